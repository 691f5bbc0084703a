"""Reading each kind of 决算 table into ``accounts.toml`` figures.

Three layouts cover the tables:

- **two-sided** (收入支出决算总表, 财政拨款收入支出决算总表): 收入 on the left, 支出 on the right, each
  side with its 项目, 行次 and amount columns; rows are matched by their label.
- **coded rows** (收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金表): a 合计 row and
  one row per 科目编码; columns are matched by their header (本年收入合计, 基本支出, …).
- **blocks** (基本支出表: 科目编码/科目名称/决算数 repeated side by side; “三公” table: 预算数 and
  决算数 blocks of 合计/因公出国（境）费/公务用车…/公务接待费).

A column's meaning comes from the header above it when blank cells were kept (tab-separated text,
worksheets); otherwise from the order of the numbers, and only when their count fits the layout.
A row that fits nowhere is reported with its text, never placed somewhere plausible.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zzperf.importing.grid import (
    ECONOMIC_CODE,
    Cell,
    Line,
    amount,
    as_integer,
    cell_text,
    code_of,
    is_integer,
    is_number,
    norm,
    strip_numbering,
    tidy_name,
)
from zzperf.importing.result import RowNote, TableRead
from zzperf.importing.tables import RawTable, quote

TWO = Decimal("0.01")


def to_wan(value: Decimal, factor: Decimal) -> Decimal:
    """An amount in the table's unit as 万元: exact, as printed when already 万元, else without needless zeros."""
    if factor == 1:
        return value
    converted = value * factor
    cents = converted.quantize(TWO)
    return cents if converted == cents else Decimal(format(converted.normalize(), "f"))


# ─── rows ────────────────────────────────────────────────────────────────────


def _is_text(cell: Cell) -> bool:
    return isinstance(cell, str) and bool(cell.strip()) and not is_number(cell)


def is_column_numbers(line: Line) -> bool:
    """A 栏次 row: starts with 栏次, or is only the column numbers 1, 2, 3, … (perhaps after 合计)."""
    filled = [cell for _, cell in line.filled]
    if not filled:
        return False
    first = filled[0]
    if isinstance(first, str) and norm(first).startswith(("栏次", "行次")):
        return True
    numbers = [cell for cell in filled if not (_is_text(cell) and norm(cell_text(cell)) in ("合", "计", "合计"))]
    if len(numbers) < 3 or not all(is_integer(cell) for cell in numbers):
        return False
    values = [as_integer(cell) or 0 for cell in numbers]
    return values == list(range(values[0], values[0] + len(values))) and values[0] in (0, 1)


def is_header(line: Line) -> bool:
    """A row of column titles: text only."""
    filled = line.filled
    return bool(filled) and all(_is_text(cell) for _, cell in filled)


def _material(line: Line) -> bool:
    """True when the row holds a non-zero amount (so leaving it out loses a figure).

    A 科目编码 before its name and a 行次 between a label and an amount are not amounts.
    """
    cells = [cell for _, cell in line.filled]
    for index, cell in enumerate(cells):
        following = cells[index + 1] if index + 1 < len(cells) else None
        previous = cells[index - 1] if index else None
        if code_of(cell) and _is_text(following):
            continue
        if (as_integer(cell) or 100) < 100 and _is_text(previous) and is_number(following):
            continue
        try:
            value = amount(cell) if is_number(cell) else None
        except ValueError:
            value = None
        if value:
            return True
    return False


def header_columns(headers: Sequence[Line]) -> dict[int, str]:
    """Column index → the header texts stacked above it, normalized and joined.

    Space-separated headers lost their blank cells, so stacking them would misalign the columns: the
    fullest header row alone is used, and its cells are numbered in order.
    """
    if headers and not any(line.positional for line in headers):
        fullest = max(headers, key=lambda line: len(line.filled))
        return {index: norm(cell_text(cell)) for index, (_, cell) in enumerate(fullest.filled)}
    columns: dict[int, list[str]] = {}
    for line in headers:
        if not line.positional:
            continue
        for index, cell in line.filled:
            text = norm(cell_text(cell))
            if text and text not in columns.setdefault(index, []):
                columns[index].append(text)
    return {index: "".join(parts) for index, parts in sorted(columns.items())}


# ─── the reader ─────────────────────────────────────────────────────────────


class _Reader:
    """Shared bookkeeping while one table is read."""

    def __init__(self, raw: RawTable, factor: Decimal, unit: str | None) -> None:
        self.raw = raw
        self.factor = factor
        self.read = TableRead(
            kind=raw.title.kind,
            title=raw.title.printed,
            where=raw.where,
            label=raw.label,
            unit=unit,
            department=raw.department,
            year=raw.year,
        )
        self.headers: list[Line] = []
        self.rows: list[Line] = []
        self._split()

    def _split(self) -> None:
        """Header rows (before the first figures), 栏次 rows (dropped) and data rows."""
        for line in self.raw.lines:
            if not line.filled or is_column_numbers(line):
                continue
            if is_header(line) and (not self.rows or _looks_like_header(line)):
                self.headers.append(line)
            else:
                self.rows.append(line)

    def wan(self, cell: Cell) -> Decimal | None:
        """A cell as 万元 (None when blank); ValueError for text."""
        value = amount(cell)
        if value is None:
            return None
        converted = to_wan(value, self.factor)
        if self.read.largest is None or abs(converted) > self.read.largest:
            self.read.largest = abs(converted)
        return converted

    def not_understood(self, line: Line, reason: str) -> None:
        self.read.not_understood.append(RowNote(line.where, quote(line), reason, _material(line)))

    def not_stored(self, line: Line, reason: str) -> None:
        self.read.not_stored.append(RowNote(line.where, quote(line), reason, _material(line)))

    def put(self, path: str, value: Any) -> None:
        """Set ``section.field`` (or ``section.sub.field``) in the table's data."""
        node = self.read.data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value


_HEADER_WORDS = ("项目", "科目", "编码", "名称", "行次", "栏次", "金额", "合计", "小计", "支出", "收入", "经费", "决算数", "预算数")


def _looks_like_header(line: Line) -> bool:
    """A text-only row after the figures began: a header repeated on a new page."""
    cells = [norm(cell_text(cell)) for _, cell in line.filled]
    return sum(1 for text in cells if any(word in text for word in _HEADER_WORDS)) * 2 >= len(cells)


def _amounts_or_reason(reader: _Reader, cells: Sequence[Cell]) -> tuple[list[Decimal | None], str | None]:
    values: list[Decimal | None] = []
    for cell in cells:
        try:
            values.append(reader.wan(cell))
        except ValueError:
            return [], f"“{cell_text(cell)}”不是金额"
    return values, None


# ─── coded rows: 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金表 ──────────


@dataclass(frozen=True)
class _CodedLayout:
    section: str
    columns: tuple[tuple[str, tuple[str, ...]], ...]
    """(field, header keywords), most specific first; the first field whose keyword a header contains wins."""
    standard: tuple[tuple[str, ...], ...]
    """Column orders accepted when the header cannot be used, by number of amounts."""


_EXPENDITURE_COLUMNS = (
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("remit", ("上缴上级",)),
    ("operating", ("经营支出",)),
    ("affiliated", ("附属单位",)),
    ("total", ("本年支出合计", "支出合计", "合计", "小计", "本年支出", "决算数")),
)

CODED = {
    "income_table": _CodedLayout(
        "income_table",
        (
            ("fiscal", ("财政拨款",)),
            ("superior_subsidy", ("上级补助",)),
            ("business", ("事业收入",)),
            ("operating", ("经营收入",)),
            ("affiliated", ("附属单位",)),
            ("other", ("其他收入",)),
            ("total", ("本年收入合计", "收入合计", "合计", "小计", "本年收入")),
        ),
        (("total", "fiscal", "superior_subsidy", "business", "operating", "affiliated", "other"),),
    ),
    "expenditure": _CodedLayout(
        "expenditure",
        _EXPENDITURE_COLUMNS,
        (("total", "basic", "project", "remit", "operating", "affiliated"), ("total", "basic", "project")),
    ),
    "general_budget_expenditure": _CodedLayout(
        "general_budget_expenditure", _EXPENDITURE_COLUMNS, (("total", "basic", "project"),)
    ),
    "gov_fund": _CodedLayout(
        "gov_fund",
        (
            ("carryover_begin", ("年初",)),
            ("carryover_end", ("年末",)),
            ("income", ("本年收入", "收入")),
            ("expenditure_basic", ("基本支出",)),
            ("expenditure_project", ("项目支出",)),
            ("expenditure_total", ("小计", "本年支出", "支出合计", "合计")),
        ),
        (
            (
                "carryover_begin",
                "income",
                "expenditure_total",
                "expenditure_basic",
                "expenditure_project",
                "carryover_end",
            ),
        ),
    ),
    "state_capital": _CodedLayout("state_capital", _EXPENDITURE_COLUMNS, (("total", "basic", "project"),)),
}

_TOTAL_LABELS = {"合计", "总计", "本年合计", "合计数"}


def _is_label_header(text: str) -> bool:
    """The 科目编码 / 科目名称 / 项目 / 栏次 columns, which hold no amounts."""
    if any(word in text for word in ("编码", "名称", "栏次", "行次")) or text in ("类", "款", "项"):
        return True
    return "项目" in text and "项目支出" not in text


def _resolve_columns(
    columns: dict[int, str], rules: Sequence[tuple[str, tuple[str, ...]]]
) -> tuple[dict[int, str], dict[int, str]]:
    """Header texts → field per column, and the amount columns no field claims (index → header text)."""
    mapped: dict[int, str] = {}
    unknown: dict[int, str] = {}
    taken: set[str] = set()
    for index, text in columns.items():
        if _is_label_header(text):
            continue
        found = next((name for name, keywords in rules if any(keyword in text for keyword in keywords)), None)
        if found is None or found in taken:
            unknown[index] = text
            continue
        mapped[index] = found
        taken.add(found)
    return mapped, unknown


def _split_coded(line: Line) -> tuple[str | None, str, list[tuple[int, Cell]], str | None]:
    """(code, name, amount cells with their columns, problem) of one coded row."""
    filled = line.filled
    code = code_of(filled[0][1]) if filled else None
    position = 1 if code else 0
    if code and len(code) == 3:
        # 类 | 款 | 项 printed in separate columns (201 | 03 | 01), always followed by the name.
        parts = [code]
        while position < len(filled) and len(parts) < 3 and _two_digits(filled[position][1]):
            parts.append(cell_text(filled[position][1]))
            position += 1
        if position < len(filled) and _is_text(filled[position][1]):
            code = "".join(parts)
        else:
            position = 1
    names: list[str] = []
    while position < len(filled) and _is_text(filled[position][1]):
        names.append(cell_text(filled[position][1]))
        position += 1
    cells = filled[position:]
    for _, cell in cells:
        if _is_text(cell):
            return code, tidy_name("".join(names)), cells, f"“{cell_text(cell)}”不是金额"
    return code, tidy_name("".join(names)), cells, None


def _two_digits(cell: Cell) -> bool:
    return isinstance(cell, str) and re.fullmatch(r"\d{2}", cell.strip()) is not None


def _map_amounts(
    reader: _Reader,
    line: Line,
    cells: Sequence[tuple[int, Cell]],
    mapped: dict[int, str],
    unknown: dict[int, str],
    standard: Sequence[Sequence[str]],
) -> tuple[dict[str, Decimal | None] | None, str | None]:
    """Field → amount for one row, by the header's columns or, failing that, by the order of the numbers."""
    values, problem = _amounts_or_reason(reader, [cell for _, cell in cells])
    if problem:
        return None, problem
    if line.positional and mapped and all(index in mapped or index in unknown for index, _ in cells):
        row = {mapped[index]: value for (index, _), value in zip(cells, values) if index in mapped}
        for (index, _), value in zip(cells, values):
            if index in unknown and value:
                reader.read.notes.append(f"列“{unknown[index]}”的数字未导入（accounts.toml 中没有此项）")
        return {name: row.get(name) for name in mapped.values()}, None
    order = [mapped[index] for index in sorted(mapped)] if mapped else []
    if order and len(values) == len(order) and not unknown:
        return dict(zip(order, values)), None
    for fields in standard:
        if len(values) == len(fields) and (not order or list(fields) == order):
            return dict(zip(fields, values)), None
    expected = len(order) if order else "、".join(str(len(fields)) for fields in standard)
    return None, f"有 {len(values)} 个金额，与表头的 {expected} 栏对不上"


def read_coded(reader: _Reader) -> None:
    kind = reader.read.kind
    assert kind is not None
    layout = CODED[kind]
    mapped, unknown = _resolve_columns(header_columns(reader.headers), layout.columns)
    total: dict[str, Decimal | None] | None = None
    lines: list[dict[str, Any]] = []
    wheres: list[str] = []
    for line in reader.rows:
        code, name, cells, problem = _split_coded(line)
        if problem:
            reader.not_understood(line, problem)
            continue
        if not cells:
            if code or name:
                reader.not_understood(line, "这一行没有金额")
            continue
        row, problem = _map_amounts(reader, line, cells, mapped, unknown, layout.standard)
        if row is None:
            reader.not_understood(line, problem or "无法识别")
            continue
        if code is None and norm(name) in _TOTAL_LABELS:
            if total is not None:
                reader.not_understood(line, "第二个合计行")
                continue
            total = row
            reader.read.rows_read += 1
        elif code is None:
            reader.not_understood(line, f"“{name}”没有科目编码，无法确定是哪一科目" if name else "没有科目编码和名称")
        else:
            if not name:
                reader.read.notes.append(f"{line.where}：科目 {code} 没有科目名称")
            lines.append({"code": code, "name": name, **row})
            wheres.append(line.where)
            reader.read.rows_read += 1
    if kind == "gov_fund":
        _finish_gov_fund(reader, total, lines, wheres)
        return
    if kind == "state_capital":
        if _any_figure(total or {}) or any(_any_figure(line) for line in lines):
            reader.read.notes.append("国有资本经营预算财政拨款支出不在 accounts.toml 中，本表数字未导入")
        return
    section = layout.section
    reader.read.data[section] = {"total": _present(total or {}), "lines": [_present(line) for line in lines]}
    reader.read.grand_total = (total or {}).get("total")
    if total is None and lines:
        reader.read.notes.append("没有找到合计行")


def _any_figure(values: dict[str, Any]) -> bool:
    """True when a row holds a non-zero amount."""
    return any(isinstance(value, Decimal) and value for value in values.values())


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Drop blank cells: a blank means no data, not zero."""
    return {key: value for key, value in values.items() if value is not None}


_EMPTY_WORDS = ("无数据", "空表", "没有政府性基金", "无政府性基金", "未安排", "没有使用", "无收支", "无此项", "本表为空")


def empty_table_statement(texts: Sequence[str]) -> str | None:
    """The 空表说明 in a table's notes: the bracketed statement, or the sentence saying the table is empty."""
    for text in texts:
        for inside in re.findall(r"[（(]([^（）()]+)[）)]", text):
            if any(word in inside for word in _EMPTY_WORDS):
                return inside.strip().rstrip("。")
    for text in texts:
        for sentence in re.split(r"[。；]", re.sub(r"^\s*(注|说明)\s*[:：]\s*", "", text)):
            if any(word in sentence for word in _EMPTY_WORDS):
                return sentence.strip()
    return None


def _finish_gov_fund(
    reader: _Reader, total: dict[str, Decimal | None] | None, lines: list[dict[str, Any]], wheres: list[str]
) -> None:
    statement = empty_table_statement(reader.raw.notes)
    figures = [value for value in (total or {}).values() if value is not None]
    if not figures and not lines:
        data: dict[str, Any] = {"has_data": False}
        if statement:
            data["note"] = statement
        else:
            reader.read.notes.append("本表无数据，也没有找到空表说明")
        reader.read.data["gov_fund"] = data
        return
    if not any(figures) and not any(_any_figure(line) for line in lines):
        reader.read.notes.append("表中数字均为 0，按空表读入")
        reader.read.data["gov_fund"] = {"has_data": False, **({"note": statement} if statement else {})}
        return
    reader.read.data["gov_fund"] = {"has_data": True, **_present(total or {})}
    reader.read.grand_total = (total or {}).get("expenditure_total")
    for where, line in zip(wheres, lines):
        reader.read.not_stored.append(
            RowNote(where, f"{line['code']} {line['name']}", "按科目的明细不在 accounts.toml 中，只导入合计行")
        )
    if total is None:
        reader.read.notes.append("没有找到合计行：政府性基金的收支数字未导入")


# ─── two-sided: 收入支出决算总表, 财政拨款收入支出决算总表 ────────────────────────────


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
            field = next((name for name, words in _SIDE_COLUMNS if any(word in text for word in words)), "other")
            amounts.append((index, field))
        if not amounts:
            return None
        sides.append(_Side(start, row_number, tuple(amounts)))
    return sides


@dataclass
class _SideRow:
    label: str | None
    values: dict[str, Decimal | None]


def _align(reader: _Reader, line: Line, sides: Sequence[_Side]) -> tuple[list[_SideRow], str | None]:
    """The row's label and amounts on each side: by column when the row fits the header, else by order."""
    rows: list[_SideRow] = []
    if line.positional and _fits(line, sides):
        for side in sides:
            label_cell = line.cells[side.label] if side.label < len(line.cells) else None
            cells = [line.cells[index] if index < len(line.cells) else None for index, _ in side.amounts]
            values, problem = _amounts_or_reason(reader, cells)
            if problem:
                return [], problem
            label = cell_text(label_cell) or None
            rows.append(_SideRow(label, {field: value for (_, field), value in zip(side.amounts, values)}))
        return rows, None
    tokens = [cell for _, cell in line.filled]
    position = 0
    for side in sides:
        label = None
        if position < len(tokens) and _is_text(tokens[position]):
            label = cell_text(tokens[position])
            position += 1
        wanted = len(side.amounts) + (1 if side.row_number is not None else 0)
        numbers: list[Cell] = []
        while position < len(tokens) and len(numbers) < wanted and is_number(tokens[position]):
            numbers.append(tokens[position])
            position += 1
        if side.row_number is not None and numbers and (
            len(numbers) == wanted or label is None or (len(numbers) == wanted - 1 and is_integer(numbers[0]))
        ):
            numbers = numbers[1:]  # the 行次 (with a blank amount when only it is left)
        if label is not None and numbers and len(numbers) != len(side.amounts):
            return [], f"“{label}”有 {len(numbers)} 个金额，表头有 {len(side.amounts)} 栏"
        values, problem = _amounts_or_reason(reader, numbers)
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
            if not _is_text(cell):
                return False
        elif index in number_columns:
            if _is_text(cell) and not _looks_like_number_typo(cell):
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


def read_two_sided(reader: _Reader) -> None:
    fiscal = reader.read.kind == "fiscal_overview"
    sides = _sides(reader.headers)
    if sides is None:
        right = ((5, "total"), (6, "general"), (7, "gov_fund")) if fiscal else ((5, "total"),)
        sides = [_Side(0, 1, ((2, "total"),)), _Side(3, 4, right)]
        reader.read.notes.append("没有找到“项目…项目”表头，按标准格式（收入：项目、行次、金额；支出：项目、行次、金额）读取")
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
            outcome = _left(reader, line, left, fiscal, in_carryover)
            if outcome == "carryover":
                in_carryover = True
            if outcome is None:
                reader.not_understood(line, _left_reason(left.label))
            used = used or outcome is not None
        if right.label:
            outcome = _right(reader, right, fiscal)
            if outcome is None:
                reader.not_understood(line, f"支出栏“{right.label}”无法识别")
            used = used or outcome is not None
        if used:
            reader.read.rows_read += 1


_COLUMN_NAMES = {"general": "一般公共预算财政拨款", "gov_fund": "政府性基金预算财政拨款", "state_capital": "国有资本经营预算财政拨款"}


def _note_unused_columns(reader: _Reader, sides: Sequence[_Side], fiscal: bool) -> None:
    for number, side in enumerate(sides):
        if any(field == "other" for _, field in side.amounts):
            reader.read.notes.append(f"{'收入' if number == 0 else '支出'}栏有无法识别的金额列，未导入")
        unused = [
            _COLUMN_NAMES[field]
            for _, field in side.amounts
            if field in _COLUMN_NAMES and (not fiscal or number == 0)
        ]
        if unused:
            columns = "“" + "”“".join(unused) + "”"
            reader.read.notes.append(f"{'收入' if number == 0 else '支出'}栏的{columns}列在本表中不单独保存，只读“合计”列")


def _left_reason(label: str) -> str:
    if strip_numbering(label) in ("财政拨款收入", "财政拨款"):
        return f"收入栏“{label}”是旧表样，不区分一般公共预算与政府性基金，无法确定对应哪一项；请按公开04表分别填写"
    return f"收入栏“{label}”无法识别"


def _total(row: _SideRow) -> Decimal | None:
    if "total" in row.values:
        return row.values["total"]
    present = [value for value in row.values.values() if value is not None]
    return present[0] if len(present) == 1 and len(row.values) == 1 else None


def _left(reader: _Reader, line: Line, row: _SideRow, fiscal: bool, in_carryover: bool) -> str | None:
    """Place one 收入 row; returns what it was ("line", "carryover", …) or None when not understood."""
    label = strip_numbering(row.label or "")
    value = _total(row)
    prefix = "fiscal_overview." if fiscal else "overview."
    if in_carryover and label in _INCOME_LINES and _INCOME_LINES[label] in ("general_budget", "gov_fund"):
        if fiscal:
            name = "carryover_begin_general" if _INCOME_LINES[label] == "general_budget" else "carryover_begin_gov_fund"
            _put(reader, prefix + name, value)
        else:
            reader.not_stored(line, "年初结转和结余的明细，收入支出决算总表中没有此项（见财政拨款收入支出决算总表）")
        return "breakdown"
    if label in _INCOME_LINES:
        source = _INCOME_LINES[label]
        if fiscal:
            if source == "general_budget":
                _put(reader, prefix + "general_budget_income", value)
            elif source == "gov_fund":
                _put(reader, prefix + "gov_fund_income", value)
            else:
                reader.not_stored(line, "财政拨款收入支出决算总表中没有此项")
        else:
            _put(reader, f"income.{source}", value)
        return "line"
    if label in _INCOME_TOTAL:
        _put(reader, prefix + "income_total", value)
        return "total"
    if label in _NON_FISCAL and not fiscal:
        _put(reader, prefix + "non_fiscal_balance_used", value)
        return "total"
    if label in _CARRY_BEGIN:
        _put(reader, prefix + "carryover_begin", value)
        return "carryover"
    if label in _GRAND:
        _put(reader, prefix + "income_grand_total", value)
        if value is not None:
            reader.read.grand_total = value
        return "total"
    return None


_FUNCTION_LINE = re.compile(r"支出$|\(类\)$")


def _right(reader: _Reader, row: _SideRow, fiscal: bool) -> str | None:
    label = strip_numbering(row.label or "")
    value = _total(row)
    prefix = "fiscal_overview." if fiscal else "overview."
    if label in _EXPEND_TOTAL:
        _put(reader, prefix + "expenditure_total", value)
        if fiscal:
            _put(reader, prefix + "expenditure_general", row.values.get("general"))
            _put(reader, prefix + "expenditure_gov_fund", row.values.get("gov_fund"))
        return "total"
    if label in _CARRY_END:
        _put(reader, prefix + "carryover_end", value)
        return "total"
    if label in _GRAND:
        _put(reader, prefix + "expenditure_grand_total", value)
        return "total"
    if label in _DISTRIBUTION:
        if fiscal:
            return "other"
        _put(reader, prefix + "balance_distribution", value)
        return "total"
    if _FUNCTION_LINE.search(label):
        name = label.removesuffix("(类)")
        if value is not None:
            reader.read.cross.setdefault("classes", {})[name] = value
        general = row.values.get("general")
        if fiscal and general is not None:
            reader.read.cross.setdefault("classes_general", {})[name] = general
        return "function"
    return None


def _put(reader: _Reader, path: str, value: Decimal | None) -> None:
    if value is not None:
        reader.put(path, value)


# ─── blocks: 基本支出决算表 ─────────────────────────────────────────────────────────

_PERSONNEL_TOTAL = {"人员经费合计", "人员经费"}
_PUBLIC_TOTAL = {"公用经费合计", "公用经费"}
_BASIC_TOTAL = {"合计", "基本支出合计", "总计"}


def read_basic(reader: _Reader) -> None:
    code_columns = [index for index, text in header_columns(reader.headers).items() if "编码" in text]
    block_of_class: dict[str, int] = {}
    entries: list[tuple[int, int, int, dict[str, Any]]] = []
    for row_number, line in enumerate(reader.rows):
        filled = line.filled
        position, slot, used, problem = 0, 0, False, None
        while position < len(filled) and problem is None:
            column, cell = filled[position]
            code = _economic_code(cell)
            following = filled[position + 1][1] if position + 1 < len(filled) else None
            if code and _is_text(following):
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
                elif position < len(filled) and _is_text(filled[position][1]):
                    problem = f"“{cell_text(filled[position][1])}”不是金额"
                    break
                block = _block(code, column, slot, line.positional, code_columns, block_of_class)
                entry: dict[str, Any] = {"code": code, "name": name}
                if value is not None:
                    entry["amount"] = value
                entries.append((block, row_number, slot, entry))
                slot += 1
                used = True
                continue
            if _is_text(cell):
                label = norm(cell_text(cell))
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
                    _put(reader, "basic_expenditure.personnel_total", value)
                elif label in _PUBLIC_TOTAL:
                    _put(reader, "basic_expenditure.public_total", value)
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
    return not (_economic_code(cell) and _is_text(following))


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


# ─── blocks: “三公”经费支出决算表 ───────────────────────────────────────────────────

_THREE_ITEMS = (
    ("vehicle", ("购置及运行", "小计")),
    ("vehicle_purchase", ("购置费", "车购置")),
    ("vehicle_operation", ("运行费", "运行维护", "运维")),
    ("abroad", ("出国",)),
    ("reception", ("接待",)),
    ("total", ("合计", "总计")),
)
_THREE_STANDARD = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def _three_item(text: str) -> str | None:
    return next((name for name, words in _THREE_ITEMS if any(word in text for word in words)), None)


def _block_order(headers: Sequence[Line]) -> list[str]:
    """["budget", "actual"] in the order the header names 预算数 and 决算数."""
    text = "".join(norm(cell_text(cell)) for line in headers for _, cell in line.filled)
    budget, actual = text.find("预算"), text.find("决算数")
    if actual < 0:
        actual = text.find("决算")
    if budget >= 0 and actual >= 0:
        return ["budget", "actual"] if budget < actual else ["actual", "budget"]
    if actual >= 0:
        return ["actual"]
    if budget >= 0:
        return ["budget"]
    return ["budget", "actual"]


def read_three_public(reader: _Reader) -> None:
    columns = header_columns(reader.headers)
    order = _block_order(reader.headers)
    data_rows = [line for line in reader.rows if all(is_number(cell) for _, cell in line.filled)]
    labelled = [line for line in reader.rows if line not in data_rows]
    if data_rows and not labelled:
        for line in data_rows:
            _three_columns(reader, line, columns, order)
        return
    _three_rows(reader, reader.rows, columns, order)


def _three_columns(reader: _Reader, line: Line, columns: dict[int, str], order: list[str]) -> None:
    """One row of numbers under 预算数 and 决算数 blocks of items."""
    if reader.read.data.get("three_public"):
        reader.not_understood(line, "第二行数字：本表应只有一行")
        return
    values, problem = _amounts_or_reason(reader, [cell for _, cell in line.filled])
    if problem:
        reader.not_understood(line, problem)
        return
    placed: dict[str, dict[str, Decimal | None]] | None = None
    if line.positional:
        skipped: list[str] = []
        placed = _place_by_header(line, values, columns, order, skipped)
        if placed is not None and skipped:
            reader.read.notes.append("列“" + "”“".join(dict.fromkeys(skipped)) + "”不是“三公”经费的项目，其数字未导入")
    if placed is None:
        if len(values) == 6 * len(order) and len(order) in (1, 2):
            placed = {block: dict(zip(_THREE_STANDARD, values[6 * n : 6 * n + 6])) for n, block in enumerate(order)}
            reader.read.notes.append("表头与数字对不上，按标准列序（合计、因公出国（境）费、公务用车购置及运行费、购置费、运行费、公务接待费）读取")
        else:
            reader.not_understood(line, f"有 {len(values)} 个金额，应为预算数、决算数各 6 个")
            return
    for block, items in placed.items():
        for item, value in items.items():
            _put(reader, f"three_public.{block}.{item}", value)
    reader.read.rows_read += 1
    reader.read.grand_total = placed.get("budget", {}).get("total") or placed.get("actual", {}).get("total")


def _place_by_header(
    line: Line, values: list[Decimal | None], columns: dict[int, str], order: list[str], skipped: list[str]
) -> dict[str, dict[str, Decimal | None]] | None:
    """Numbers by their column's header: items by keyword, a new block at each 合计 column.

    A number under a header that names no “三公” item (会议费, 机关运行经费, …) is left out and named in
    ``skipped``; a number under no header at all means the row does not fit the header (None).
    """
    items: dict[int, tuple[int, str]] = {}
    block = -1
    for index in sorted(columns):
        item = _three_item(columns[index])
        if item is None:
            continue
        if item == "total" or block < 0:
            block += 1
        items[index] = (block, item)
    placed: dict[str, dict[str, Decimal | None]] = {}
    for (index, _), value in zip(line.filled, values):
        if index not in items:
            if not columns.get(index):
                return None
            if value:
                skipped.append(columns[index])
            continue
        number, item = items[index]
        if number >= len(order):
            return None
        target = placed.setdefault(order[number], {})
        if item in target:
            return None
        target[item] = value
    return placed if placed else None


def _three_rows(reader: _Reader, lines: Sequence[Line], columns: dict[int, str], order: list[str]) -> None:
    """Items down the rows, 预算数 and 决算数 across."""
    block_columns = [index for index, text in columns.items() if "预算" in text or "决算" in text]
    for line in lines:
        filled = line.filled
        if not filled or not _is_text(filled[0][1]):
            reader.not_understood(line, "应以项目名称开头")
            continue
        item = _three_item(norm(cell_text(filled[0][1])))
        if item is None:
            reader.not_understood(line, f"“{cell_text(filled[0][1])}”不是“三公”经费的项目")
            continue
        cells = filled[1:]
        values, problem = _amounts_or_reason(reader, [cell for _, cell in cells])
        if problem or len(values) != len(order):
            names = "、".join("预算数" if block == "budget" else "决算数" for block in order)
            reader.not_understood(line, problem or f"有 {len(values)} 个金额，应为 {len(order)} 个（{names}）")
            continue
        blocks = order
        if line.positional and len(block_columns) == len(order):
            by_column = {index: ("budget" if "预算" in columns[index] else "actual") for index in block_columns}
            if all(index in by_column for index, _ in cells):
                blocks = [by_column[index] for index, _ in cells]
        for block, value in zip(blocks, values):
            _put(reader, f"three_public.{block}.{item}", value)
        reader.read.rows_read += 1
    three = reader.read.data.get("three_public", {})
    reader.read.grand_total = three.get("budget", {}).get("total") or three.get("actual", {}).get("total")


# ─── entry point ────────────────────────────────────────────────────────────────

READERS: dict[str, Callable[[_Reader], None]] = {
    "overview": read_two_sided,
    "fiscal_overview": read_two_sided,
    "income_table": read_coded,
    "expenditure": read_coded,
    "general_budget_expenditure": read_coded,
    "gov_fund": read_coded,
    "state_capital": read_coded,
    "basic_expenditure": read_basic,
    "three_public": read_three_public,
}


def read_table(raw: RawTable, factor: Decimal, unit: str | None) -> TableRead:
    """One table's figures in 万元, with what was left out and why."""
    reader = _Reader(raw, factor, unit)
    kind = raw.title.kind
    if kind is None:
        reader.read.rows_read = 0
        for line in reader.rows:
            reader.not_stored(line, "这张表不在 accounts.toml 的范围内")
        return reader.read
    READERS[kind](reader)
    return reader.read
