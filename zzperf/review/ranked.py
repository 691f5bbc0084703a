"""What a department year in a ranking (``zzperf compare``, the folder summary) says of its state and its 复核."""

from __future__ import annotations

from zzperf.review.state import STATE_WORDS

RETURNED_NOTE = "已退回，待部门修改后重新提交，不参加排名"
"""The note on a department whose 自评 is 退回: it is listed apart, not ranked."""


class RankedYear:
    """The properties a ranked department year derives from its submission state and its 复核 progress.

    Mixed into ``DepartmentScore`` (``zzperf compare``) and ``DepartmentRow`` (the folder summary), which each
    hold ``state`` (in words, as ``STATE_WORDS`` says it) and ``review_progress`` as their own fields."""

    state: str
    review_progress: str

    @property
    def returned(self) -> bool:
        """退回: the 自评 is back with the department to be corrected, so it is listed apart, not ranked."""
        return self.state == STATE_WORDS["returned"]

    @property
    def progress_note(self) -> str:
        """``复核暂定：已复核 1/28 项，其余按自评计`` while the 复核 total still holds 自评 scores; empty otherwise."""
        return f"复核{self.review_progress}" if self.review_progress else ""
