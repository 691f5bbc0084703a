"""The two-sided layout: 收入支出决算总表 and 财政拨款收入支出决算总表.

收入 on the left, 支出 on the right, each side with its 项目, 行次 and amount columns; a row's label says
which figure it holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from zzperf.importing.grid import Cell, Line, cell_text, is_integer, is_number, strip_numbering
from zzperf.importing.layouts.common import (
    TableReader,
    amounts_or_reason,
    header_columns,
    is_text,
    keyword_field,
    put_amount,
)


@dataclass(frozen=True)
class _Side:
    label: int
    row_number: int | None
    amounts: tuple[tuple[int, str], ...]
    """(column, field: total/general/gov_fund/state_capital/other)."""


_SIDE_COLUMNS = (
    ("general", ("一般公共预算",)),
    ("gov_fund", ("政府性基金",)),
    ("state_capital", ("国有资本",)),
    ("total", ("合计", "小计", "金额", "决算数", "本年")),
)


def _sides(headers: Sequence[Line]) -> list[_Side] | None:
    """The 收入 and 支出 sides from the header row that has 项目 twice."""
    columns = header_columns(headers)
    starts = [index for index, text in columns.items() if "项目" in text and "项目支出" not in text]
    if len(starts) != 2:
        return None
    sides = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else max(columns) + 1
        row_number = next((index for index in range(start + 1, end) if "行次" in columns.get(index, "")), None)
        amounts = []
        for index in range(start + 1, end):
            text = columns.get(index, "")
            if index == row_number or not text:
                continue
            field = keyword_field(text, _SIDE_COLUMNS) or "other"
            amounts.append((index, field))
        if not amounts:
            return None
        sides.append(_Side(start, row_number, tuple(amounts)))
    return sides


@dataclass
class _SideRow:
    label: str | None
    values: dict[str, Decimal | None]


def _align(reader: TableReader, line: Line, sides: Sequence[_Side]) -> tuple[list[_SideRow], str | None]:
    """The row's label and amounts on each side: by column when the row fits the header, else by order."""
    rows: list[_SideRow] = []
    if line.positional and _fits(line, sides):
        for side in sides:
            label_cell = line.cells[side.label] if side.label < len(line.cells) else None
            cells = [line.cells[index] if index < len(line.cells) else None for index, _ in side.amounts]
            values, problem = amounts_or_reason(reader, cells)
            if problem:
                return [], problem
            label = cell_text(label_cell) or None
            if label is not None:  # a row the table prints (a blank cell beside no label is no row's)
                values = reader.printed_blanks(values)
            rows.append(_SideRow(label, {field: value for (_, field), value in zip(side.amounts, values)}))
        return rows, None
    tokens = [cell for _, cell in line.filled]
    position = 0
    for side in sides:
        label = None
        if position < len(tokens) and is_text(tokens[position]):
            label = cell_text(tokens[position])
            position += 1
        wanted = len(side.amounts) + (1 if side.row_number is not None else 0)
        numbers: list[Cell] = []
        while position < len(tokens) and len(numbers) < wanted and is_number(tokens[position]):
            numbers.append(tokens[position])
            position += 1
        if (
            side.row_number is not None
            and numbers
            and (len(numbers) == wanted or label is None or (len(numbers) == wanted - 1 and is_integer(numbers[0])))
        ):
            numbers = numbers[1:]  # the 行次 (with a blank amount when only it is left)
        if label is not None and numbers and len(numbers) != len(side.amounts):
            return [], f"“{label}”有 {len(numbers)} 个金额，表头有 {len(side.amounts)} 栏"
        values, problem = amounts_or_reason(reader, numbers)
        if problem:
            return [], problem
        rows.append(_SideRow(label, {field: value for (_, field), value in zip(side.amounts, values)}))
    if position < len(tokens):
        return [], f"多出的内容“{cell_text(tokens[position])}”"
    return rows, None


def _fits(line: Line, sides: Sequence[_Side]) -> bool:
    """Every filled cell sits in a label, 行次 or amount column of the header, with the right kind of content."""
    label_columns = {side.label for side in sides}
    number_columns = {index for side in sides for index, _ in side.amounts} | {
        side.row_number for side in sides if side.row_number is not None
    }
    for index, cell in line.filled:
        if index in label_columns:
            if not is_text(cell):
                return False
        elif index in number_columns:
            if is_text(cell) and not _looks_like_number_typo(cell):
                return False
        else:
            return False
    return True


def _looks_like_number_typo(cell: Cell) -> bool:
    """Text in an amount column that is meant as one (so it is reported, not realigned): "608.7２x", "abc"."""
    return isinstance(cell, str) and len(cell.strip()) <= 16


_INCOME_LINES = {
    "一般公共预算财政拨款收入": "general_budget",
    "一般公共预算财政拨款": "general_budget",
    "政府性基金预算财政拨款收入": "gov_fund",
    "政府性基金预算财政拨款": "gov_fund",
    "国有资本经营预算财政拨款收入": "state_capital",
    "国有资本经营预算财政拨款": "state_capital",
    "上级补助收入": "superior_subsidy",
    "事业收入": "business",
    "经营收入": "operating",
    "附属单位上缴收入": "affiliated",
    "其他收入": "other",
}
_INCOME_TOTAL = {"本年收入合计", "收入合计", "本年收入小计"}
_NON_FISCAL = {"使用非财政拨款结余", "用事业基金弥补收支差额", "使用非财政拨款结余(含专用结余)", "使用专用结余"}
_CARRY_BEGIN = {"年初结转和结余", "年初财政拨款结转和结余", "上年结转和结余", "上年结转"}
_CARRY_END = {"年末结转和结余", "年末财政拨款结转和结余"}
_GRAND = {"总计", "收入总计", "支出总计"}
_EXPEND_TOTAL = {"本年支出合计", "支出合计", "本年支出小计"}
_DISTRIBUTION = {"结余分配"}


@dataclass(frozen=True)
class _TotalRow:
    """A total row of one side: its labels, the field its amount fills, and what kind of row it is."""

    labels: set[str]
    field: str
    kind: str = "total"
    fiscal: bool | None = True
    """In 财政拨款收入支出决算总表: True stores it too, False reads it without storing, None does not know it."""


_INCOME_TOTALS = (
    _TotalRow(_INCOME_TOTAL, "income_total"),
    _TotalRow(_NON_FISCAL, "non_fiscal_balance_used", fiscal=None),
    _TotalRow(_CARRY_BEGIN, "carryover_begin", "carryover"),
    _TotalRow(_GRAND, "income_grand_total"),
)
_EXPENDITURE_TOTALS = (
    _TotalRow(_EXPEND_TOTAL, "expenditure_total"),
    _TotalRow(_CARRY_END, "carryover_end"),
    _TotalRow(_GRAND, "expenditure_grand_total"),
    _TotalRow(_DISTRIBUTION, "balance_distribution", fiscal=False),
)


def read_two_sided(reader: TableReader) -> None:
    fiscal = reader.read.kind == "fiscal_overview"
    sides = _sides(reader.headers)
    if sides is None:
        right = ((5, "total"), (6, "general"), (7, "gov_fund")) if fiscal else ((5, "total"),)
        sides = [_Side(0, 1, ((2, "total"),)), _Side(3, 4, right)]
        reader.read.notes.append(
            "没有找到“项目…项目”表头，按标准格式（收入：项目、行次、金额；支出：项目、行次、金额）读取"
        )
    _note_unused_columns(reader, sides, fiscal)
    in_carryover = False
    for line in reader.rows:
        rows, problem = _align(reader, line, sides)
        if problem:
            reader.not_understood(line, problem)
            continue
        used = False
        left, right = rows[0], rows[1] if len(rows) > 1 else _SideRow(None, {})
        if left.label:
            reader.at(line, left.label)
            outcome = _left(reader, line, left, fiscal, in_carryover)
            if outcome == "carryover":
                in_carryover = True
            if outcome is None:
                reader.not_understood(line, _left_reason(left.label))
            used = used or outcome is not None
        if right.label:
            reader.at(line, right.label)
            outcome = _right(reader, right, fiscal)
            if outcome is None:
                reader.not_understood(line, f"支出栏“{right.label}”无法识别")
            used = used or outcome is not None
        if used:
            reader.read.rows_read += 1
    classes = reader.read.cross.get("classes", {})
    if classes:  # read, and said so: they are not counted 未导入, yet nothing keeps them but the comparison
        detail = "一般公共预算财政拨款支出决算表" if fiscal else "支出决算表"
        reader.read.notes.append(
            f"支出栏按功能分类的 {len(classes)} 类金额只用于与{detail}的各类核对"
            "（相差超过 0.01 万元时列出），不单独保存"
        )


_COLUMN_NAMES = {
    "general": "一般公共预算财政拨款",
    "gov_fund": "政府性基金预算财政拨款",
    "state_capital": "国有资本经营预算财政拨款",
}


def _note_unused_columns(reader: TableReader, sides: Sequence[_Side], fiscal: bool) -> None:
    for number, side in enumerate(sides):
        if any(field == "other" for _, field in side.amounts):
            reader.read.notes.append(f"{'收入' if number == 0 else '支出'}栏有无法识别的金额列，未导入")
        unused = [
            _COLUMN_NAMES[field] for _, field in side.amounts if field in _COLUMN_NAMES and (not fiscal or number == 0)
        ]
        if unused:
            columns = "“" + "”“".join(unused) + "”"
            reader.read.notes.append(
                f"{'收入' if number == 0 else '支出'}栏的{columns}列在本表中不单独保存，只读“合计”列"
            )


def _left_reason(label: str) -> str:
    if strip_numbering(label) in ("财政拨款收入", "财政拨款"):
        return f"收入栏“{label}”是旧表样，不区分一般公共预算与政府性基金，无法确定对应哪一项；请按公开04表分别填写"
    return f"收入栏“{label}”无法识别"


def _total(row: _SideRow) -> Decimal | None:
    if "total" in row.values:
        return row.values["total"]
    present = [value for value in row.values.values() if value is not None]
    return present[0] if len(present) == 1 and len(row.values) == 1 else None


def _left(reader: TableReader, line: Line, row: _SideRow, fiscal: bool, in_carryover: bool) -> str | None:
    """Place one 收入 row; returns what it was ("line", "carryover", …) or None when not understood."""
    label = strip_numbering(row.label or "")
    value = _total(row)
    prefix = "fiscal_overview." if fiscal else "overview."
    if in_carryover and label in _INCOME_LINES and _INCOME_LINES[label] in ("general_budget", "gov_fund"):
        if fiscal:
            name = "carryover_begin_general" if _INCOME_LINES[label] == "general_budget" else "carryover_begin_gov_fund"
            put_amount(reader, prefix + name, value)
        else:
            reader.not_stored(line, "年初结转和结余的明细，收入支出决算总表中没有此项（见财政拨款收入支出决算总表）")
        return "breakdown"
    if label in _INCOME_LINES:
        source = _INCOME_LINES[label]
        if fiscal:
            if source == "general_budget":
                put_amount(reader, prefix + "general_budget_income", value)
            elif source == "gov_fund":
                put_amount(reader, prefix + "gov_fund_income", value)
            else:
                reader.not_stored(line, "zzperf 只保存一般公共预算和政府性基金两项财政拨款收入，此项不单独保存")
        else:
            put_amount(reader, f"income.{source}", value)
        return "line"
    kind = _put_total(reader, label, value, fiscal, _INCOME_TOTALS)
    if label in _GRAND and value is not None:
        reader.read.grand_total = value
    return kind


_FUNCTION_LINE = re.compile(r"支出$|\(类\)$")


def _right(reader: TableReader, row: _SideRow, fiscal: bool) -> str | None:
    label = strip_numbering(row.label or "")
    value = _total(row)
    kind = _put_total(reader, label, value, fiscal, _EXPENDITURE_TOTALS)
    if kind is not None:
        if fiscal and label in _EXPEND_TOTAL:
            put_amount(reader, "fiscal_overview.expenditure_general", row.values.get("general"))
            put_amount(reader, "fiscal_overview.expenditure_gov_fund", row.values.get("gov_fund"))
        elif fiscal:
            _by_fund(reader, label, row)
        return kind
    if _FUNCTION_LINE.search(label):
        name = label.removesuffix("(类)")
        if value is not None:
            reader.read.cross.setdefault("classes", {})[name] = value
        general = row.values.get("general")
        if fiscal and general is not None:
            reader.read.cross.setdefault("classes_general", {})[name] = general
        return "function"
    return None


def _by_fund(reader: TableReader, label: str, row: _SideRow) -> None:
    """年末结转和结余, 总计 …: the 一般公共预算 / 政府性基金 / 国有资本 columns, kept to compare with 合计."""
    funds = {field: value for field, value in row.values.items() if field in _COLUMN_NAMES and value is not None}
    for field, value in funds.items():
        reader.read.cross.setdefault("by_fund", {})[f"{label}·{_COLUMN_NAMES[field]}"] = value
    total = row.values.get("total")
    if funds and total is not None and sum(funds.values(), Decimal(0)) != total:
        parts = " + ".join(f"{_COLUMN_NAMES[field]} {value}" for field, value in funds.items())
        reader.read.notes.append(f"“{label}”合计 {total} 与各栏之和（{parts}）不等")


def _put_total(
    reader: TableReader, label: str, value: Decimal | None, fiscal: bool, totals: Sequence[_TotalRow]
) -> str | None:
    """Place a total row of one side; what kind of row it was, or None when the label is none of ``totals``."""
    for total in totals:
        if label not in total.labels or (fiscal and total.fiscal is None):
            continue
        if fiscal and not total.fiscal:
            return "other"
        put_amount(reader, ("fiscal_overview." if fiscal else "overview.") + total.field, value)
        return total.kind
    return None
