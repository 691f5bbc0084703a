"""The one error type for mistakes a user can fix, and the "did you mean" helper."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class ZzperfError(Exception):
    """A user mistake: says where (file and line or key), what was expected, and a hint.

    The CLI prints ``str(error)`` and exits non-zero; no traceback is shown.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        where: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.where = where
        self.hint = hint

    def located(self, file: str | Path | None = None, where: str | None = None) -> ZzperfError:
        """A copy that also names the file and place, keeping what is already known."""
        return type(self)(
            self.message,
            file=self.file or (str(file) if file is not None else None),
            where=self.where or where,
            hint=self.hint,
        )

    def __str__(self) -> str:
        place = ":".join(part for part in (self.file, self.where) if part)
        text = f"{place}: {self.message}" if place else self.message
        if self.hint:
            text += f"\n  提示：{self.hint}"
        return text


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest candidate to ``word``, or None when nothing is close."""
    import difflib  # deferred for the CLI's start-up time: only a mistake needs it

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"是不是“{matches[0]}”？" if matches else None


class ConflictError(ZzperfError):
    """A save refused because the file on disk is no longer the one that was read (someone else saved meanwhile)."""
