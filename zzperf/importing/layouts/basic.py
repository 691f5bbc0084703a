"""The block layout of the 基本支出决算表: 科目编码, 科目名称 and 决算数 repeated side by side."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zzperf.importing.grid import ECONOMIC_CODE, Cell, cell_text, code_of, is_number, norm, tidy_name
from zzperf.importing.layouts.common import TableReader, header_columns, is_text, put_amount

_PERSONNEL_TOTAL = {"人员经费合计", "人员经费"}
_PUBLIC_TOTAL = {"公用经费合计", "公用经费"}
_BASIC_TOTAL = {"合计", "基本支出合计", "总计"}


def read_basic(reader: TableReader) -> None:
    columns = header_columns(reader.headers)
    code_columns = [index for index, text in columns.items() if "编码" in text]
    block_of_class: dict[str, int] = {}
    entries: list[tuple[int, int, int, dict[str, Any]]] = []
    for row_number, line in enumerate(reader.rows):
        filled = line.filled
        position, slot, used, problem = 0, 0, False, None
        while position < len(filled) and problem is None:
            column, cell = filled[position]
            code = _economic_code(cell)
            following = filled[position + 1][1] if position + 1 < len(filled) else None
            if code and is_text(following):
                name = tidy_name(cell_text(following))
                name_column = filled[position + 1][0]
                position += 2
                value: Decimal | None = None
                if position < len(filled) and _amount_after_name(filled, position, name_column, line.positional):
                    try:
                        value = reader.wan(filled[position][1])
                    except ValueError:
                        problem = f"“{cell_text(filled[position][1])}”不是金额"
                        break
                    position += 1
                elif position < len(filled) and is_text(filled[position][1]):
                    problem = f"“{cell_text(filled[position][1])}”不是金额"
                    break
                if line.positional and _amount_column(columns, name_column + 1):  # its 决算数, blank or not
                    (value,) = reader.printed_blanks([value])
                block = _block(code, column, slot, line.positional, code_columns, block_of_class)
                entry: dict[str, Any] = {"code": code, "name": name}
                if value is not None:
                    entry["amount"] = value
                    reader.origin(line, f"basic_expenditure.lines[{code}]", f"{code} {name}")
                entries.append((block, row_number, slot, entry))
                slot += 1
                used = True
                continue
            if is_text(cell):
                label = norm(cell_text(cell))
                reader.at(line, cell_text(cell))
                value_cell = following if is_number(following) else None
                if value_cell is None:
                    problem = f"“{cell_text(cell)}”后面没有金额"
                    break
                try:
                    value = reader.wan(value_cell)
                except ValueError:  # pragma: no cover - is_number ruled this out
                    problem = f"“{cell_text(value_cell)}”不是金额"
                    break
                if label in _PERSONNEL_TOTAL:
                    put_amount(reader, "basic_expenditure.personnel_total", value)
                elif label in _PUBLIC_TOTAL:
                    put_amount(reader, "basic_expenditure.public_total", value)
                elif label in _BASIC_TOTAL:
                    reader.read.grand_total = value
                    reader.not_stored(line, "基本支出合计：由人员经费与公用经费合计得出，不单独保存")
                else:
                    problem = f"“{cell_text(cell)}”无法识别"
                    break
                position += 2
                used = True
                continue
            problem = f"“{cell_text(cell)}”的位置上应为科目编码或合计行名称"
        if problem:
            reader.not_understood(line, problem)
        elif used:
            reader.read.rows_read += 1
    entries.sort(key=lambda entry: entry[:3])
    reader.read.data.setdefault("basic_expenditure", {})["lines"] = [entry[3] for entry in entries]
    if reader.read.grand_total is None:
        totals = reader.read.data["basic_expenditure"]
        parts = [totals.get("personnel_total"), totals.get("public_total")]
        if all(part is not None for part in parts):
            reader.read.grand_total = parts[0] + parts[1]  # type: ignore[operator]


def _amount_after_name(filled: Sequence[tuple[int, Cell]], position: int, name_column: int, positional: bool) -> bool:
    """Whether the cell after a 科目名称 is its 决算数, rather than the next block's 科目编码 (blank amount)."""
    column, cell = filled[position]
    if not is_number(cell):
        return False
    if positional and column != name_column + 1:
        return False
    following = filled[position + 1][1] if position + 1 < len(filled) else None
    return not (_economic_code(cell) and is_text(following))


def _amount_column(columns: dict[int, str], column: int) -> bool:
    """Whether the header names ``column`` as an amount's (决算数), not a code's or a name's."""
    text = columns.get(column, "")
    return bool(text) and "编码" not in text and "名称" not in text


def _economic_code(cell: Cell) -> str | None:
    code = code_of(cell)
    return code if code and ECONOMIC_CODE.match(code) else None


def _block(code: str, column: int, slot: int, positional: bool, code_columns: list[int], known: dict[str, int]) -> int:
    """Which side-by-side block a row belongs to: its 类's block, else its column group, else its place in the row."""
    category = code[:3]
    if category in known:
        return known[category]
    if positional and len(code_columns) >= 2:
        block = sum(1 for start in code_columns if start <= column) - 1
    else:
        block = slot
    known[category] = max(block, 0)
    return known[category]
