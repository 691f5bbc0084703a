"""Editing a department-year: figures by path from typed text, table rows, the evaluator's entries.

The operations a screen (or a script) needs to change a year's models without knowing their insides. Every
change returns a new model and leaves the old one untouched, so callers can keep it for undo; every mistake a
person can make raises ``EditError`` with a Chinese message saying what was expected. Nothing here touches disk.

- ``figures``: a figure path resolved, read, set from typed text and shown;
- ``sheets``: every figure laid out like the 决算 tables, and which indicators use each figure;
- ``rows``: 科目 rows added and removed, outcome rows the set scores;
- ``entries``: the evaluator's scores, counts, reasons and report text.
"""

from __future__ import annotations

from typing import Literal

from zzperf.errors import ZzperfError


class EditError(ZzperfError):
    """Typed text that cannot become the value asked for; the message says what is expected."""


Kind = Literal["money", "quantity", "count", "bool", "text", "op"]
"""What a figure holds: 万元, a non-money number, a whole count, yes/no, free text or an 指标性质 (=, ≥, ≤)."""


# The submodules import EditError and Kind from here, so these imports come after them.
from zzperf.editing.entries import (  # noqa: E402
    parse_cases,
    parse_score,
    update_entry,
    update_profile,
    update_report,
)
from zzperf.editing.figures import (  # noqa: E402
    edit_text,
    figure_kind,
    figure_text,
    get_figure,
    parse_figure,
    set_figure,
)
from zzperf.editing.rows import (  # noqa: E402
    CODE_LEVELS,
    LINE_TABLES,
    add_line,
    name_for_code,
    remove_line,
    with_outcomes,
)
from zzperf.editing.sheets import Sheet, SheetRow, figure_uses, locate, sheets  # noqa: E402

__all__ = [
    "CODE_LEVELS",
    "LINE_TABLES",
    "EditError",
    "Kind",
    "Sheet",
    "SheetRow",
    "add_line",
    "edit_text",
    "figure_kind",
    "figure_text",
    "figure_uses",
    "get_figure",
    "locate",
    "name_for_code",
    "parse_cases",
    "parse_figure",
    "parse_score",
    "remove_line",
    "set_figure",
    "sheets",
    "update_entry",
    "update_profile",
    "update_report",
    "with_outcomes",
]
