"""Tables whose figure cells are numbers, as CSV text or a workbook sheet, and the wording of their 暂定 column.

A row holds typed cells: ``Decimal`` or ``int`` for figures, ``str`` for words, ``None`` for nothing. CSV gets
plain numbers (``-1.50``, never ``+`` or ``*``), a workbook gets numeric cells with a number format; a provisional
figure says so in its own 暂定 column instead of carrying a mark. The folder summary of ``zzperf check|score`` and
the ranking of ``zzperf compare FOLDER`` are both written through here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence
from decimal import Decimal
from typing import Any

from zzperf.amounts import round_half_up
from zzperf.output.xlsx import fill_sheet

NO_YEAR = "无该年度"
"""A department listed in a ranking or summary that has no figures for the year asked about."""


def provisional_text(pending: int, drafts: int) -> str:
    """Why a total is 暂定 (items without a score, unconfirmed drafts); empty when it is final."""
    reasons = []
    if pending:
        reasons.append(f"{pending} 项待评或数据不足")
    if drafts:
        reasons.append(f"{drafts} 项草稿")
    return "；".join(reasons)


def figure(value: Decimal | None) -> Decimal | None:
    """A score, difference or percentage as it is shown: rounded half up to two places."""
    return None if value is None else round_half_up(value)


def plain(value: Any) -> str:
    """A cell as text for a file: figures as plain numbers (``-1.50``, never ``+``), nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{round_half_up(value):.2f}"
    return str(value)


def figures_csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """The table as CSV text (no byte-order mark: the writer of the file adds it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([plain(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def fill_figures(
    sheet,  # noqa: ANN001 - an openpyxl worksheet, typed loosely so that openpyxl loads only when used
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    figures: Collection[str],
) -> None:
    """The table into ``sheet``: the ``figures`` columns as numeric cells (``0`` or ``0.00``), empty cells empty."""
    table = [list(header), *([plain(cell) for cell in row] for row in rows)]
    fill_sheet(sheet, table, numeric={index for index, column in enumerate(header, start=1) if column in figures})
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.value == "":
                cell.value = None
