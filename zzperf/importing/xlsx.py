"""Excel workbooks (.xlsx): one sheet per table, found by the title written in the sheet.

Only cell values are read (``data_only``): no macros run and no external links are followed. A formula
cell contributes the value Excel saved with it.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from zzperf.errors import ZzperfError
from zzperf.importing.grid import Cell, Line
from zzperf.importing.tables import recognise_title

MAX_ROWS = 5000
"""Rows read per sheet; a 决算 table has a few hundred at most."""
MAX_COLUMNS = 60
MAX_SHEETS = 60


def _cell(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        exact = Decimal(repr(value))
        cents = exact.quantize(Decimal("0.01"))
        # A float such as 5201.999999999999 is a value typed as 5202.00.
        return cents if abs(exact - cents) < Decimal("0.000001") else exact
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def workbook_lines(path: Path) -> tuple[list[Line], list[str], list[str]]:
    """All rows of all visible sheets as lines; notes; and the names of sheets with figures but no title."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ZzperfError(
            f"不是有效的 Excel (.xlsx) 文件：{error}", file=path, hint="请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
        ) from None
    lines: list[Line] = []
    notes: list[str] = []
    untitled: list[str] = []
    try:
        sheets = list(workbook.worksheets)
        if len(sheets) > MAX_SHEETS:
            notes.append(f"工作簿有 {len(sheets)} 个工作表，只读前 {MAX_SHEETS} 个")
        for sheet in sheets[:MAX_SHEETS]:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                notes.append(f"隐藏的工作表“{sheet.title}”未读取")
                continue
            rows = _sheet_rows(sheet, notes)
            if not any(len([cell for cell in cells if cell is not None]) >= 2 for cells in rows):
                continue
            if not _has_title(rows):
                title = recognise_title(sheet.title)
                if title is None or title.kind is None:
                    untitled.append(sheet.title)
                    continue
                notes.append(f"工作表“{sheet.title}”中没有写表名，按工作表名称识别为“{title.printed}”")
                lines.append(Line((sheet.title,), f"工作表“{sheet.title}”（工作表名）", positional=True, sheet=sheet.title))
            for number, cells in enumerate(rows, start=1):
                lines.append(Line(cells, f"工作表“{sheet.title}”第 {number} 行", positional=True, sheet=sheet.title))
    finally:
        workbook.close()
    return lines, notes, untitled


def _sheet_rows(sheet: Any, notes: list[str]) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            notes.append(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行，其余行未读取")
            break
        cells = [_cell(value) for value in values]
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(tuple(cells))
    return rows


def _has_title(rows: list[tuple[Cell, ...]]) -> bool:
    for cells in rows[:12]:
        for cell in cells:
            if isinstance(cell, str) and recognise_title(cell) is not None:
                return True
    return False
