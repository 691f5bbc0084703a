"""Text helpers the panes and screens share: fitting text to terminal cells, the typing pause, error wording."""

from __future__ import annotations

from rich.cells import cell_len

from zzperf.errors import ZzperfError

TYPING_DELAY = 0.5
"""Seconds of quiet after a keystroke before typed text is saved (or checked)."""


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        if used + cell_len(char) > width - 1:
            break
        out.append(char)
        used += cell_len(char)
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells."""
    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def error_message(error: BaseException) -> str:
    """What went wrong, for a notice: a ZzperfError's own message, else the error's type and text."""
    if isinstance(error, ZzperfError):
        return str(error)
    return f"{type(error).__name__}：{error}"
