"""What every 决算 table layout reads with: the row tests, amounts in 万元, and ``TableReader``.

``TableReader`` splits a table into header rows, 栏次 rows (dropped) and data rows, and keeps what the
layout's reader found: the figures, the rows it did not understand or does not store, and the notes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zzperf.amounts import CENT
from zzperf.importing.grid import (
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
)
from zzperf.importing.result import RowNote, TableRead
from zzperf.importing.tables import RawTable, quote


def to_wan(value: Decimal, factor: Decimal) -> Decimal:
    """An amount in the table's unit as 万元: exact, as printed when already 万元, else without needless zeros."""
    if factor == 1:
        return value
    converted = value * factor
    cents = converted.quantize(CENT)
    return cents if converted == cents else Decimal(format(converted.normalize(), "f"))


# ─── rows ────────────────────────────────────────────────────────────────────


def is_text(cell: Cell) -> bool:
    """A cell holding words, not a number."""
    return isinstance(cell, str) and bool(cell.strip()) and not is_number(cell)


def is_column_numbers(line: Line) -> bool:
    """A 栏次 row: starts with 栏次, or is only the column numbers 1, 2, 3, … (perhaps after 合计)."""
    filled = [cell for _, cell in line.filled]
    if not filled:
        return False
    first = filled[0]
    if isinstance(first, str) and norm(first).startswith(("栏次", "行次")):
        return True
    numbers = [cell for cell in filled if not (is_text(cell) and norm(cell_text(cell)) in ("合", "计", "合计"))]
    if len(numbers) < 3 or not all(is_integer(cell) for cell in numbers):
        return False
    values = [as_integer(cell) or 0 for cell in numbers]
    return values == list(range(values[0], values[0] + len(values))) and values[0] in (0, 1)


def is_header(line: Line) -> bool:
    """A row of column titles: text only."""
    filled = line.filled
    return bool(filled) and all(is_text(cell) for _, cell in filled)


def _material(line: Line) -> bool:
    """True when the row holds a non-zero amount (so leaving it out loses a figure).

    A 科目编码 before its name and a 行次 between a label and an amount are not amounts.
    """
    cells = [cell for _, cell in line.filled]
    for index, cell in enumerate(cells):
        following = cells[index + 1] if index + 1 < len(cells) else None
        previous = cells[index - 1] if index else None
        if code_of(cell) and is_text(following):
            continue
        if (as_integer(cell) or 100) < 100 and is_text(previous) and is_number(following):
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


class TableReader:
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
        self.line: Line | None = None
        """The row being read, so that ``put`` can record where each figure was printed."""
        self.blanks = 0
        """Blank amount cells of printed rows read as 0 (``printed_blanks``)."""
        self.label: str | None = None
        self._split()
        self.blank_is_zero = raw.sheet is None and any(
            _printed_amount(cell) for line in self.rows if line.positional for _, cell in line.filled
        )
        """Whether a blank amount cell of a printed row reads as 0: in a ruled table of a published document (a PDF,
        a web page) that prints figures. A workbook's blank cell may be one nobody has filled in yet, and a table
        without a figure (a template's “XX”) has no zeros either."""

    def _split(self) -> None:
        """Header rows (before the first figures), 栏次 rows (dropped) and data rows."""
        for line in self.raw.lines:
            if not line.filled or is_column_numbers(line):
                continue
            if is_header(line) and (not self.rows or (_looks_like_header(line) and not _name_tail(line))):
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

    def printed_blanks(self, values: list[Decimal | None]) -> list[Decimal | None]:
        """The amounts of a row the table prints, a blank cell read as 0 where ``blank_is_zero`` holds (each counted
        for the table's note, ``read_table``); as they are otherwise."""
        if not self.blank_is_zero or None not in values:
            return values
        self.blanks += values.count(None)
        return [ZERO_CELL if value is None else value for value in values]

    def not_understood(self, line: Line, reason: str) -> None:
        self.read.not_understood.append(RowNote(line.where, quote(line), reason, _material(line)))

    def not_stored(self, line: Line, reason: str) -> None:
        self.read.not_stored.append(RowNote(line.where, quote(line), reason, _material(line)))

    def at(self, line: Line, label: str | None) -> None:
        """The row (and its label as printed) that the next ``put`` calls read from."""
        self.line, self.label = line, label

    def origin(self, line: Line, path: str, label: str | None) -> None:
        """Record that the figure at ``path`` was printed in ``line``: 第 7 页 收入支出决算总表 ‘年初结转和结余’."""
        page = _ROW_IN_TABLE.sub("", line.where)
        self.read.origins[path] = f"{page} {self.read.title} ‘{label}’" if label else f"{line.where} {self.read.title}"

    def put(self, path: str, value: Any) -> None:
        """Set ``section.field`` (or ``section.sub.field``) in the table's data."""
        node = self.read.data
        *parents, last = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
        if self.line is not None:
            self.origin(self.line, path, self.label)


_ROW_IN_TABLE = re.compile(r"表格第 \d+ 行$")
"""The row part of a PDF table row's place (第 7 页表格第 3 行): a figure's origin names the page and the row label."""

_HEADER_WORDS = (
    "项目",
    "科目",
    "编码",
    "名称",
    "行次",
    "栏次",
    "金额",
    "合计",
    "小计",
    "支出",
    "收入",
    "经费",
    "决算数",
    "预算数",
)


def _name_tail(line: Line) -> bool:
    """One short text cell after the figures began: the rest of a 科目名称 wrapped onto its own line (“费支出”)."""
    filled = line.filled
    if len(filled) != 1:
        return False
    text = norm(cell_text(filled[0][1]))
    return 0 < len(text) <= 12 and text not in _HEADER_WORDS and re.fullmatch(r"[\u4e00-\u9fff()、]+", text) is not None


def _looks_like_header(line: Line) -> bool:
    """A text-only row after the figures began: a header repeated on a new page. A row with a numbered label
    (“二、政府性基金预算财政拨款收入”) is a row of the table whose amounts are blank, however many of the header's
    words (收入, 支出) its labels hold."""
    cells = [norm(cell_text(cell)) for _, cell in line.filled]
    if any(strip_numbering(text) != text for text in cells):
        return False
    return sum(1 for text in cells if any(word in text for word in _HEADER_WORDS)) * 2 >= len(cells)


def amounts_or_reason(reader: TableReader, cells: Sequence[Cell]) -> tuple[list[Decimal | None], str | None]:
    """The cells as 万元, or the reason when one of them is not an amount."""
    values: list[Decimal | None] = []
    for cell in cells:
        try:
            values.append(reader.wan(cell))
        except ValueError:
            return [], f"“{cell_text(cell)}”不是金额"
    return values, None


def _printed_amount(cell: Cell) -> bool:
    """A cell printed as an amount with its decimals (“2,082.85”, “0.00”), not a code, 行次 or count."""
    return isinstance(cell, str) and "." in cell and is_number(cell)


BLANK_IS_ZERO = "决算公开表中空白即为零"
"""Why a blank amount cell of a row a ruled table prints is read as 0: the tables print only the cells that are not
zero (a table copied as text loses its blank cells, and with them where they were: there a blank stays unread)."""

ZERO_CELL = Decimal("0.00")
"""What a blank amount cell of a printed row is read as."""


def put_amount(reader: TableReader, path: str, value: Decimal | None) -> None:
    """Set ``path`` to an amount; None (a blank cell read as no data, see ``TableReader.blank_is_zero``) sets
    nothing."""
    if value is not None:
        reader.put(path, value)


def keyword_field(text: str, rules: Sequence[tuple[str, tuple[str, ...]]]) -> str | None:
    """The first field of ``rules`` (field, keywords) with a keyword that ``text`` contains."""
    return next((name for name, keywords in rules if any(keyword in text for keyword in keywords)), None)
