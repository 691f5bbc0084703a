"""Excel workbooks from tables of text: cells that read as numbers become numbers, and saving names its file.

openpyxl is imported inside the functions that need it, so that loading this module stays cheap.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from zzperf.amounts import round_half_up


def numeric_value(text: str) -> Decimal | None:
    """A plain score or percentage cell as a number for Excel (``65.53`` → 65.53, ``85.00%`` → 0.85)."""
    candidate = text.rstrip("%")
    try:
        value = Decimal(candidate)
    except ArithmeticError:
        return None
    if not candidate or candidate != text.rstrip("%") or not value.is_finite():
        return None
    return round_half_up(value / 100, 4) if text.endswith("%") else value


def new_book():  # noqa: ANN201 - an openpyxl Workbook, typed loosely so that openpyxl loads only here
    """An empty workbook with one sheet."""
    from openpyxl import Workbook

    return Workbook()


def fill_sheet(
    sheet,  # noqa: ANN001 - an openpyxl worksheet, typed loosely so that openpyxl loads only when used
    table: list[list[str]],
    numeric: set[int] | None = None,
    header: bool = True,  # noqa: ANN001 - a worksheet
) -> None:
    """Write rows; in the ``numeric`` columns (1-based) plain numbers and percentages become numeric cells."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from rich.cells import cell_len

    widths: dict[int, int] = {}
    for row_index, line in enumerate(table, start=1):
        for column, text in enumerate(line, start=1):
            value: object = text
            number = numeric_value(text) if numeric and column in numeric and (row_index > 1 or not header) else None
            cell = sheet.cell(row=row_index, column=column)
            if number is not None:
                cell.value = number
                cell.number_format = "0.00%" if text.endswith("%") else "0.00" if "." in text else "0"
            else:
                cell.value = value
            widths[column] = max(widths.get(column, 0), min(cell_len(text), 60))
    if header and table:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = max(6, width + 2)


def save_book(book, path: Path) -> None:  # noqa: ANN001
    """Save the workbook; a failure names ``path`` (the CLI words it in Chinese)."""
    try:
        book.save(path)
    except OSError as error:
        error.filename = str(path)
        raise
