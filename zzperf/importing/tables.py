"""The 决算 tables by name, and cutting a stream of lines into tables at their titles.

Tables are recognised by their **name**, never by their number: regions number them differently
(公开07表 is “三公” in the 2018 set and 政府性基金 in the 2021 set). The 公开NN表 label is kept only
to tell apart two tables printed under the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from zzperf.importing.grid import Cell, Line, norm

# Each kind: the section it fills, its standard name, and the names (normalized) it is printed under.
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "overview": ("收入支出决算总表", ("收入支出决算总表", "收支决算总表", "部门收支决算总表", "部门收入支出决算总表")),
    "income_table": ("收入决算表", ("收入决算表", "部门收入决算表")),
    "expenditure": ("支出决算表", ("支出决算表", "部门支出决算表")),
    "fiscal_overview": ("财政拨款收入支出决算总表", ("财政拨款收入支出决算总表", "财政拨款收支决算总表")),
    "general_budget_expenditure": (
        "一般公共预算财政拨款支出决算表",
        ("一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算明细表"),
    ),
    "basic_expenditure": (
        "一般公共预算财政拨款基本支出决算表",
        (
            "一般公共预算财政拨款基本支出决算表",
            "一般公共预算财政拨款基本支出决算明细表",
            "一般公共预算财政拨款基本支出决算(明细)表",
            "财政拨款基本支出决算表",
            "基本支出决算明细表",
        ),
    ),
    "three_public": (
        "一般公共预算财政拨款“三公”经费支出决算表",
        (
            "一般公共预算财政拨款三公经费支出决算表",
            "财政拨款三公经费支出决算表",
            "三公经费支出决算表",
            "一般公共预算财政拨款三公经费支出预决算表",
        ),
    ),
    "gov_fund": (
        "政府性基金预算财政拨款收入支出决算表",
        (
            "政府性基金预算财政拨款收入支出决算表",
            "政府性基金预算财政拨款收支决算表",
            "政府性基金预算财政拨款支出决算表",
        ),
    ),
    "state_capital": (
        "国有资本经营预算财政拨款支出决算表",
        ("国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表"),
    ),
}
"""Every table the importer knows. ``state_capital`` has no section in ``accounts.toml``: read, reported, not stored."""

REQUIRED = (
    "overview",
    "income_table",
    "expenditure",
    "fiscal_overview",
    "general_budget_expenditure",
    "basic_expenditure",
    "three_public",
    "gov_fund",
)
"""The tables ``accounts.toml`` holds (公开01–08表 of the 2018 set); an import needs all of them unless partial."""

STANDARD_LABEL = {
    "overview": "公开01表",
    "income_table": "公开02表",
    "expenditure": "公开03表",
    "fiscal_overview": "公开04表",
    "general_budget_expenditure": "公开05表",
    "basic_expenditure": "公开06表",
    "three_public": "公开07表",
    "gov_fund": "公开08表",
}
"""How ``zzperf check`` numbers the tables (the 2018 set), for messages."""


def display_name(kind: str) -> str:
    """公开03表 支出决算表: the number zzperf uses, then the name."""
    label = STANDARD_LABEL.get(kind)
    name = KINDS[kind][0]
    return f"{label} {name}" if label else name


_NAMES = sorted(
    ((norm(name), kind) for kind, (_, names) in KINDS.items() for name in names), key=lambda item: -len(item[0])
)
_OTHER_TABLE = re.compile(r"(决算|预算|情况|明细)[^,，。；]{0,12}表$")
_LABEL = re.compile(r"公开\d{1,2}(?:-\d)?表|(?:财决|附)\d{1,2}(?:-\d)?表|表[一二三四五六七八九十\d]+")
_PREFIX_YEAR = re.compile(r"\d{4}年度?")
_NAME_WORDS = ("财政拨款", "预算", "基本", "项目", "三公", "基金", "资本", "经费", "一般公共", "收入", "支出")
_UNIT = re.compile(r"(?:金额)?(?:单位|位)[:：]?(万元|亿元|元)(?![\u4e00-\u9fff])")
_UNIT_TAIL = re.compile(r"[(（]?(?:金额)?单位[:：]?(?:万元|亿元|元)[)）]?")


@dataclass(frozen=True)
class Title:
    """A recognised table title."""

    kind: str | None
    """Known kind, or None for a table the importer does not read (reported, not stored)."""
    printed: str
    label: str | None


def recognise_title(text: str) -> Title | None:
    """The table a title line names, or None when the line is not a table title.

    The name must end the line; before it only numbering, a 公开NN表 label, a year, or a department
    name may stand (a prefix that itself reads like part of a table name makes the title unknown:
    "一般公共预算财政拨款项目支出决算表" is not the 支出决算表).
    """
    if not text or len(text) > 80:
        return None
    compact = norm(text)
    if any(mark in compact for mark in ",，。；;") or compact.startswith("注"):
        return None
    label_match = _LABEL.search(compact)
    label = label_match.group(0) if label_match else None
    body = _UNIT_TAIL.sub("", _LABEL.sub("", compact))
    body = re.sub(r"^[一二三四五六七八九十]+、|^[(]?[一二三四五六七八九十\d]+[)、.]", "", body)
    if not body.endswith("表"):
        return None
    for name, kind in _NAMES:
        if body.endswith(name):
            prefix = _PREFIX_YEAR.sub("", body[: -len(name)])
            if any(word in prefix for word in _NAME_WORDS):
                break
            return Title(kind, text.strip(), label)
    if _OTHER_TABLE.search(body) and len(body) <= 40:
        return Title(None, text.strip(), label)
    return None


def unit_in(text: str) -> str | None:
    """万元/元/亿元 from a unit line such as “金额单位：万元” (also the truncated “位：万元”)."""
    match = _UNIT.search(norm(text))
    return match.group(1) if match else None


_DEPARTMENT = re.compile(r"^(?:编制)?(?:部门|单位)(?:名称)?[:：](.*)$")
_YEAR = re.compile(r"^(\d{4})年度?$|^(\d{4})年度?决算$")
_YEAR_FIELD = re.compile(r"^(?:决算)?年度[:：](?:(\d{4})年?度?)?$")
_ROW_LABEL = re.compile(r"^公开\d{1,2}表$")


@dataclass
class RawTable:
    """One table as cut from the source: its title, the lines under it, and what its header lines say."""

    title: Title
    where: str
    lines: list[Line] = field(default_factory=list)
    unit: str | None = None
    unit_text: str | None = None
    department: str | None = None
    year: int | None = None
    notes: list[str] = field(default_factory=list)
    label: str | None = None
    sheet: str | None = None

    def take_meta(self, cell: Cell) -> bool:
        """Read a header cell (unit, department, year, label, note); True when it was one."""
        if not isinstance(cell, str):
            return False
        text = cell.strip()
        compact = norm(text)
        if compact.startswith(("注:", "注：", "说明:", "说明：")) or compact == "注":
            self.notes.append(text)
            return True
        unit = unit_in(text)
        if unit and len(compact) <= 24:
            if self.unit is None:
                self.unit, self.unit_text = unit, text
            return True
        department = _DEPARTMENT.match(compact)
        if department and not unit:
            name = department.group(1).strip()
            if name and self.department is None:
                self.department = name
            return True
        year = _YEAR.match(compact) or _YEAR_FIELD.match(compact)
        if year:
            digits = next((group for group in year.groups() if group), None)
            if digits and self.year is None:
                self.year = int(digits)
            return True
        if _ROW_LABEL.match(compact):
            self.label = self.label or compact
            return True
        if compact.startswith("预算代码") or compact.startswith("部门编码") or compact.startswith("单位编码"):
            return True
        return False


def is_part_marker(text: str) -> bool:
    """第三部分 … : the start of another part of a 决算 document, which ends the tables."""
    return bool(re.match(r"^第[一二三四五六七八九十]+部分", norm(text)))


def _single_text(line: Line) -> str | None:
    filled = line.filled
    if len(filled) == 1 and isinstance(filled[0][1], str):
        return filled[0][1].strip()
    return None


def cut_tables(lines: Iterable[Line]) -> tuple[list[RawTable], list[Line]]:
    """Cut lines into tables at their titles; also return the lines outside any table.

    A title counts only when a table follows it (a unit line, a 公开NN表 label or a row with several
    cells before the next title): the 目录 lists the same names with nothing under them. A sheet
    boundary ends a table. A 公开NN表 label after a table's rows starts a table without a title.
    """
    tables: list[RawTable] = []
    outside: list[Line] = []
    current: RawTable | None = None
    pending: list[tuple[Title, Line]] = []  # titles seen but not yet confirmed by table content
    last_sheet: str | None = None
    for line in lines:
        if line.sheet != last_sheet:
            current, pending, last_sheet = None, [], line.sheet
        single = _single_text(line)
        if single is not None and is_part_marker(single):
            current, pending = None, []
            outside.append(line)
            continue
        title = recognise_title(single) if single is not None else _title_in_cells(line)
        if title is not None:
            pending = [(title, line)]
            current = None
            outside.append(line)
            continue
        if pending and _confirms_table(line):
            title, title_line = pending[-1]
            current = RawTable(title, title_line.where, label=title.label, sheet=line.sheet)
            for _, cell in title_line.filled:  # a unit or 公开NN表 beside the title, in the same row
                if not (isinstance(cell, str) and cell.strip() == title.printed):
                    current.take_meta(cell)
            tables.append(current)
            pending = []
        if current is None:
            outside.append(line)
            continue
        if single is not None and _ROW_LABEL.match(norm(single)) and _has_rows(current):
            current = RawTable(Title(None, single, norm(single)), line.where, label=norm(single), sheet=line.sheet)
            tables.append(current)
            continue
        _add(current, line, outside)
    return tables, outside


def _title_in_cells(line: Line) -> Title | None:
    """A title in one cell of a worksheet row that has only header text (e.g. title and unit side by side)."""
    filled = line.filled
    if not filled or len(filled) > 4 or not all(isinstance(cell, str) for _, cell in filled):
        return None
    for _, cell in filled:
        assert isinstance(cell, str)
        title = recognise_title(cell)
        if title is not None:
            return title
    return None


def _confirms_table(line: Line) -> bool:
    single = _single_text(line)
    if single is None:
        return len(line.filled) >= 2
    compact = norm(single)
    return bool(unit_in(single) or _ROW_LABEL.match(compact) or _DEPARTMENT.match(compact))


def _has_rows(table: RawTable) -> bool:
    return any(len(line.filled) >= 2 for line in table.lines)


def _add(table: RawTable, line: Line, outside: list[Line]) -> None:
    """A line under a table: header cells are read as meta, other rows are kept for the table's layout."""
    filled = line.filled
    if not filled:
        return
    if len(filled) == 1:
        cell = filled[0][1]
        if table.take_meta(cell):
            if isinstance(cell, str) and norm(cell).startswith(("注", "说明")):
                outside.append(line)
            return
        if isinstance(cell, str) and len(cell.strip()) > 30:
            outside.append(line)  # a paragraph between tables: narrative, not a row
            return
    rest = [(index, cell) for index, cell in filled if not table.take_meta(cell)]
    if len(rest) < len(filled):
        if not rest:
            return
        cells: list[Cell] = [None] * len(line.cells)
        for index, cell in rest:
            cells[index] = cell
        line = Line(tuple(cells), line.where, line.positional, line.sheet)
    table.lines.append(line)


def quote(line: Line, limit: int = 80) -> str:
    """A line's text for a message, shortened."""
    text = line.text
    return text if len(text) <= limit else text[: limit - 1] + "…"
