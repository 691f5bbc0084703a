"""The coded-row layout: 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金表, 国有资本经营表.

A 合计 row and one row per 科目编码; columns are matched by their header (本年收入合计, 基本支出, …), or by the
order of the numbers when the header cannot be used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from zzperf.accounts import GovFund
from zzperf.importing.grid import Cell, Line, cell_text, code_of, is_number, norm, tidy_name
from zzperf.importing.layouts.common import TableReader, amounts_or_reason, header_columns, is_text, keyword_field
from zzperf.importing.result import RowNote


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
        (GovFund.AMOUNTS,),
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
        found = keyword_field(text, rules)
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
        # With the name printed on the line above (text copied from a PDF viewer), the amounts follow the
        # code parts directly: “201 06 01 1,511.90 …”; an amount there has its decimals, a 款 code never.
        parts = [code]
        while position < len(filled) and len(parts) < 3 and _two_digits(filled[position][1]):
            parts.append(cell_text(filled[position][1]))
            position += 1
        follows = filled[position][1] if position < len(filled) else None
        if follows is not None and (is_text(follows) or (len(parts) > 1 and _decimal(follows))):
            code = "".join(parts)
        else:
            position = 1
    names: list[str] = []
    while position < len(filled) and is_text(filled[position][1]):
        names.append(cell_text(filled[position][1]))
        position += 1
    cells = filled[position:]
    for _, cell in cells:
        if is_text(cell):
            return code, tidy_name("".join(names)), cells, f"“{cell_text(cell)}”不是金额"
    return code, tidy_name("".join(names)), cells, None


def _decimal(cell: Cell) -> bool:
    return is_number(cell) and "." in cell_text(cell)


def _two_digits(cell: Cell) -> bool:
    return isinstance(cell, str) and re.fullmatch(r"\d{2}", cell.strip()) is not None


def _map_amounts(
    reader: TableReader,
    line: Line,
    cells: Sequence[tuple[int, Cell]],
    mapped: dict[int, str],
    unknown: dict[int, str],
    standard: Sequence[Sequence[str]],
) -> tuple[dict[str, Decimal | None] | None, str | None]:
    """Field → amount for one row, by the header's columns or, failing that, by the order of the numbers."""
    values, problem = amounts_or_reason(reader, [cell for _, cell in cells])
    if problem:
        return None, problem
    if line.positional and mapped and all(index in mapped or index in unknown for index, _ in cells):
        row = {mapped[index]: value for (index, _), value in zip(cells, values) if index in mapped}
        for (index, _), value in zip(cells, values):
            if index in unknown and value:
                reader.read.notes.append(f"列“{unknown[index]}”的数字未导入（accounts.toml 中没有此项）")
        fields = list(mapped.values())
        return dict(zip(fields, reader.printed_blanks([row.get(name) for name in fields]))), None
    order = [mapped[index] for index in sorted(mapped)] if mapped else []
    if order and len(values) == len(order) and not unknown:
        return dict(zip(order, values)), None
    for fields in standard:
        if len(values) == len(fields) and (not order or list(fields) == order):
            return dict(zip(fields, values)), None
    expected = len(order) if order else "、".join(str(len(fields)) for fields in standard)
    return None, f"有 {len(values)} 个金额，与表头的 {expected} 栏对不上"


def _column_name(mapped: dict[int, str], columns: dict[int, str], field: str) -> str:
    """The header of the column a field was read from (empty when the header was not used)."""
    return next((columns.get(index, "") for index, name in mapped.items() if name == field), "")


def read_coded(reader: TableReader) -> None:
    kind = reader.read.kind
    assert kind is not None
    layout = CODED[kind]
    columns = header_columns(reader.headers)
    mapped, unknown = _resolve_columns(columns, layout.columns)
    total: dict[str, Decimal | None] | None = None
    lines: list[dict[str, Any]] = []
    wheres: list[str] = []
    previous: str | None = None  # where the row just above was stored, for a wrapped name
    split = [_split_coded(line) for line in reader.rows]
    # Text copied from a PDF viewer sets each 科目名称 a line above its code and amounts: a coded row without
    # a name says so, and a name on a line of its own then belongs to the row below it.
    names_above = any(code and not name and cells and not problem for code, name, cells, problem in split)
    waiting: tuple[Line, str] | None = None
    for line, (code, name, cells, problem) in zip(reader.rows, split):
        above, previous = previous, None
        if waiting is not None:
            if code and cells and not problem:
                reader.read.notes.append(f"{waiting[0].where}：“{waiting[1]}”是下一行 {code} 的科目名称")
                name = waiting[1] + name
            else:
                reader.not_understood(waiting[0], "这一行没有金额")
            waiting = None
        if problem:
            reader.not_understood(line, problem)
            continue
        if not cells and names_above and code is None and name:
            waiting = (line, name)
            continue
        if not cells:
            if code is None and name and lines and above is not None and above == wheres[-1]:
                # “机关事业单位职业年金缴 / 费支出”: a name wrapped onto a line of its own joins the row above.
                lines[-1]["name"] += name
                reader.read.notes.append(f"{line.where}：“{name}”接上一行的科目名称（{lines[-1]['name']}）")
            elif code or name:
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
            for field, value in row.items():
                if value is not None:
                    path = f"gov_fund.{field}" if kind == "gov_fund" else f"{layout.section}.total.{field}"
                    reader.origin(line, path, f"{name} {_column_name(mapped, columns, field)}".strip())
            reader.read.rows_read += 1
        elif code is None:
            reader.not_understood(line, f"“{name}”没有科目编码，无法确定是哪一科目" if name else "没有科目编码和名称")
        else:
            if not name:
                reader.read.notes.append(f"{line.where}：科目 {code} 没有科目名称")
            lines.append({"code": code, "name": name, **row})
            wheres.append(line.where)
            previous = line.where
            for field, value in row.items():
                if value is not None:
                    label = f"{code} {name} {_column_name(mapped, columns, field)}".strip()
                    reader.origin(line, f"{layout.section}.lines[{code}].{field}", label)
            reader.read.rows_read += 1
    if waiting is not None:
        reader.not_understood(waiting[0], "这一行没有金额")
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
    """Drop the cells read as no data (blank where ``TableReader.printed_blanks`` leaves them so)."""
    return {key: value for key, value in values.items() if value is not None}


_EMPTY_WORDS = (
    "无数据",
    "空表",
    "没有政府性基金",
    "无政府性基金",
    "未安排",
    "没有使用",
    "无收支",
    "无此项",
    "本表为空",
)


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
    reader: TableReader, total: dict[str, Decimal | None] | None, lines: list[dict[str, Any]], wheres: list[str]
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
