"""A department year's submission state (``YEAR/submission.toml``) and whether the year may be edited."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from zzperf.accounts import Year
from zzperf.tomlio import load_model
from zzperf.workspace.files import ACCOUNTS_FILE, EVALUATION_FILE

SUBMISSION_FILE = "submission.toml"

State = Literal["draft", "submitted", "returned", "approved"]

STATE_WORDS: dict[str, str] = {"draft": "草稿", "submitted": "已提交", "returned": "退回", "approved": "通过"}
"""Each state as people say it."""

READ_ONLY_STATES = ("submitted", "approved")
"""States in which the department's own files (figures and 自评) are not written by zzperf."""

PINNED_FILES = (ACCOUNTS_FILE, EVALUATION_FILE)
"""The files of a year whose content is pinned by hash when it is submitted."""

ACTION_WORDS: dict[str, str] = {"submit": "提交", "return": "退回", "approve": "通过"}


class Event(BaseModel):
    """One step of the year through submission and review."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, defer_build=True)

    action: Literal["submit", "return", "approve"]
    """submit 提交, return 退回, approve 通过"""
    who: str
    """谁"""
    time: str
    """何时（ISO 8601）"""
    comment: str = ""
    """意见（退回时必填）"""


class Submission(BaseModel):
    """Where a department year stands, with the steps that took it there."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, defer_build=True)

    format_version: Literal[1] = 1
    """File format version."""
    year: Year
    """评价年度"""
    state: State = "draft"
    """draft 草稿, submitted 已提交, returned 退回, approved 通过"""
    pinned: dict[str, str] = Field(default_factory=dict)
    """SHA-256 of each file as submitted (accounts, evaluation), for ``zzperf verify``."""
    events: list[Event] = Field(default_factory=list)
    """提交、退回、通过的经过"""

    @property
    def state_text(self) -> str:
        return STATE_WORDS[self.state]

    @property
    def last_comment(self) -> str:
        """The comment of the latest return, while the year stands returned."""
        if self.state != "returned":
            return ""
        return next((event.comment for event in reversed(self.events) if event.action == "return"), "")


def submission_path(root: Path, year: int) -> Path:
    return root / str(year) / SUBMISSION_FILE


def load_submission(root: Path, year: int) -> Submission:
    """The year's submission record; a draft when there is none yet."""
    path = submission_path(root, year)
    if not os.path.lexists(path):
        return Submission(year=year)
    return load_model(path, Submission)


def read_only_reason(root: Path, year: int) -> str | None:
    """Why the year's figures and 自评 may not be changed now (None: they may). The TUI asks this before editing."""
    submission = load_submission(root, year)
    if submission.state not in READ_ONLY_STATES:
        return None
    if submission.state == "approved":
        return f"{year} 年度已通过复核，只读"
    return f"{year} 年度已提交，只读；财政局退回后才能修改"
