"""Excel workbooks (.xlsx): one sheet per table, found by the title written in the sheet.

Only cell values are read (``data_only``): no macros run and no external links are followed. A formula
cell contributes the value Excel saved with it.
"""

from __future__ import annotations

import math
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from zzperf.amounts import MAX_WAN, WAN
from zzperf.errors import ZzperfError
from zzperf.importing.grid import Cell, Line
from zzperf.importing.tables import recognise_title

MAX_ROWS = 5000
"""Rows read per sheet; a 决算 table has a few hundred at most."""
MAX_COLUMNS = 60
MAX_SHEETS = 60
MAX_UNPACKED = 100 * 1024 * 1024
"""Bytes all parts of a workbook may unpack to; a 决算 workbook unpacks to a few MB at most."""
MAX_PARTS = 2000
"""Files inside the workbook's zip."""
_LARGEST_NUMBER = MAX_WAN * WAN
"""A cell number at or above this is no amount in any unit; it is kept as text and reported as unreadable."""


def _cell(value: Any) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return Decimal(value) if abs(value) < _LARGEST_NUMBER else str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or abs(value) >= _LARGEST_NUMBER:
            return str(value)
        exact = Decimal(repr(value))
        cents = exact.quantize(Decimal("0.01"))
        # A float such as 5201.999999999999 is a value typed as 5202.00.
        return cents if abs(exact - cents) < Decimal("0.000001") else exact
    if isinstance(value, Decimal):
        return value if value.is_finite() and abs(value) < _LARGEST_NUMBER else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def workbook_lines(path: Path) -> tuple[list[Line], list[str], list[str]]:
    """All rows of all visible sheets as lines; notes; and the names of sheets with figures but no title."""
    from openpyxl import load_workbook

    _check_size(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False, keep_vba=False)
    except Exception as error:  # noqa: BLE001 - a malformed part fails anywhere inside openpyxl or lxml
        raise _invalid(path, error) from None
    try:
        lines, notes, untitled = _read_sheets(workbook)
    except ZzperfError:
        raise
    except Exception as error:  # noqa: BLE001 - as above, for parts read sheet by sheet
        raise _invalid(path, error) from None
    finally:
        workbook.close()
    return lines, notes + _unsaved_formulas(path, lines), untitled


def _unsaved_formulas(path: Path, lines: list[Line]) -> list[str]:
    """A note for each formula cell the file holds without a saved result: it reads as blank, and is not zero.

    A workbook written by a program rather than saved by Excel or WPS has formulas but no saved results.
    Formulas are only looked at, never evaluated.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    read = {(line.sheet, line.where): line.cells for line in lines}
    notes: list[str] = []
    workbook = load_workbook(path, read_only=True, data_only=False, keep_links=False, keep_vba=False)
    try:
        for sheet in workbook.worksheets[:MAX_SHEETS]:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS:
                    break
                cells = read.get((sheet.title, f"工作表“{sheet.title}”第 {number} 行"), ())
                for column, value in enumerate(values):
                    if (
                        isinstance(value, str)
                        and value.startswith("=")
                        and (column >= len(cells) or cells[column] is None)
                    ):
                        notes.append(
                            f"工作表“{sheet.title}"
                            f"”{get_column_letter(column + 1)}{number} 是公式，文件中没有保存计算结果，"
                            "未读取：请在 Excel 或 WPS 中打开并保存后再导入"
                        )
    finally:
        workbook.close()
    return notes


def _invalid(path: Path, error: BaseException) -> ZzperfError:
    """One message for a workbook openpyxl cannot read, with the first line of what went wrong."""
    detail = str(error).strip().splitlines()[0][:120] if str(error).strip() else type(error).__name__
    return ZzperfError(
        f"不是有效的 Excel（.xlsx）文件：{detail}", file=path, hint="请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
    )


def _check_size(path: Path) -> None:
    """Refuse a workbook whose parts would unpack to more than a 决算 needs (a zip bomb), before reading it.

    The sizes come from the zip directory; Python's zipfile never unpacks a part beyond its stated size.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _invalid(path, error) from None
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_PARTS or unpacked > MAX_UNPACKED:
        raise ZzperfError(
            f"Excel 文件解压后过大（{len(parts)} 个部件，共 {unpacked / 1024 / 1024:,.0f} MB），未读取",
            file=path,
            hint=f"决算表工作簿解压后不超过 {MAX_UNPACKED // 1024 // 1024} MB；请只保留决算表后另存",
        )


def _read_sheets(workbook: Any) -> tuple[list[Line], list[str], list[str]]:
    """The rows of the visible sheets (see ``workbook_lines``)."""
    lines: list[Line] = []
    notes: list[str] = []
    untitled: list[str] = []
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
