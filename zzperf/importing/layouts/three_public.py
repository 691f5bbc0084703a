"""The “三公”经费支出决算表: 预算数 and 决算数 blocks of 合计, 因公出国（境）费, 公务用车…, 公务接待费.

The blocks run across one row of numbers, or the items run down the rows with 预算数 and 决算数 across.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from zzperf.importing.columns import three_columns
from zzperf.importing.grid import Line, cell_text, is_number, norm
from zzperf.importing.layouts.common import (
    TableReader,
    amounts_or_reason,
    header_columns,
    is_text,
    keyword_field,
    put_amount,
)

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
    return keyword_field(text, _THREE_ITEMS)


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


def read_three_public(reader: TableReader) -> None:
    columns = header_columns(reader.headers)
    order = _block_order(reader.headers)
    data_rows = [line for line in reader.rows if all(is_number(cell) for _, cell in line.filled)]
    labelled = [line for line in reader.rows if line not in data_rows]
    if data_rows and not labelled:
        for line in data_rows:
            _three_columns(reader, line, columns, order)
        return
    _three_rows(reader, reader.rows, columns, order)


def _three_columns(reader: TableReader, line: Line, columns: dict[int, str], order: list[str]) -> None:
    """One row of numbers under 预算数 and 决算数 blocks of items."""
    if reader.read.data.get("three_public"):
        reader.not_understood(line, "第二行数字：本表应只有一行")
        return
    values, problem = amounts_or_reason(reader, [cell for _, cell in line.filled])
    if problem:
        reader.not_understood(line, problem)
        return
    placed: dict[str, dict[str, Decimal | None]] | None = None
    skipped: list[str] = []
    by_column = three_columns(columns) if line.positional else None
    if by_column is not None and all(index in by_column or columns.get(index) for index, _ in line.filled):
        # Each column's own header names its block and item (预算数/决算数 pairs under a three-row header):
        # every column of the printed row is read, a blank cell as 0.
        placed = {}
        found = dict(zip((index for index, _ in line.filled), values))
        for index, (block, item) in sorted(by_column.items()):
            placed.setdefault(block, {})[item] = found.get(index) or Decimal("0.00")
            reader.origin(line, f"three_public.{block}.{item}", columns[index])
        skipped = [columns[index] for index, value in found.items() if index not in by_column and value]
        if skipped:
            reader.read.notes.append("列“" + "”“".join(dict.fromkeys(skipped)) + "”不是“三公”经费的项目，其数字未导入")
    elif line.positional:
        placed = _place_by_header(line, values, columns, order, skipped)
        if placed is not None and skipped:
            reader.read.notes.append("列“" + "”“".join(dict.fromkeys(skipped)) + "”不是“三公”经费的项目，其数字未导入")
    if placed is None:
        if len(values) == 6 * len(order) and len(order) in (1, 2):
            placed = {block: dict(zip(_THREE_STANDARD, values[6 * n : 6 * n + 6])) for n, block in enumerate(order)}
            reader.read.notes.append(
                "表头与数字对不上，按标准列序（合计、因公出国（境）费、公务用车购置及运行费、购置费、运行费、公务接待费）读取"
            )
        else:
            reader.not_understood(line, f"有 {len(values)} 个金额，应为预算数、决算数各 6 个")
            return
    for block, items in placed.items():
        for item, value in items.items():
            put_amount(reader, f"three_public.{block}.{item}", value)
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


def _three_rows(reader: TableReader, lines: Sequence[Line], columns: dict[int, str], order: list[str]) -> None:
    """Items down the rows, 预算数 and 决算数 across."""
    block_columns = [index for index, text in columns.items() if "预算" in text or "决算" in text]
    for line in lines:
        filled = line.filled
        if not filled or not is_text(filled[0][1]):
            reader.not_understood(line, "应以项目名称开头")
            continue
        item = _three_item(norm(cell_text(filled[0][1])))
        if item is None:
            reader.not_understood(line, f"“{cell_text(filled[0][1])}”不是“三公”经费的项目")
            continue
        cells = filled[1:]
        values, problem = amounts_or_reason(reader, [cell for _, cell in cells])
        if problem or len(values) != len(order):
            names = "、".join("预算数" if block == "budget" else "决算数" for block in order)
            reader.not_understood(line, problem or f"有 {len(values)} 个金额，应为 {len(order)} 个（{names}）")
            continue
        blocks = order
        if line.positional and len(block_columns) == len(order):
            by_column = {index: ("budget" if "预算" in columns[index] else "actual") for index in block_columns}
            if all(index in by_column for index, _ in cells):
                blocks = [by_column[index] for index, _ in cells]
        reader.at(line, cell_text(filled[0][1]))
        for block, value in zip(blocks, values):
            put_amount(reader, f"three_public.{block}.{item}", value)
        reader.read.rows_read += 1
    three = reader.read.data.get("three_public", {})
    reader.read.grand_total = three.get("budget", {}).get("total") or three.get("actual", {}).get("total")
