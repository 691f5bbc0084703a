"""What a column holds, read from the stacked header above it; and 科目编码 split over 类/款 columns joined.

The header decides, never a fixed list: the “三公” table prints 预算数/决算数 pairs under each item in
some documents and a 预算数 block followed by a 决算数 block in others, and only the header tells which.
"""

from __future__ import annotations

import re

from zzperf.importing.grid import Cell, Line, cell_text, norm

THREE_ITEMS = (
    ("vehicle_purchase", ("公务用车购置费", "车购置费", "购置费")),
    ("vehicle_operation", ("公务用车运行费", "运行维护费", "运行费", "运维费")),
    ("vehicle", ("公务用车购置及运行费", "购置及运行", "小计")),
    ("abroad", ("因公出国", "出国")),
    ("reception", ("公务接待", "接待")),
    ("total", ("合计", "总计")),
)
"""“三公” items and the header words that name them."""

_BLOCKS = (("budget", "预算"), ("actual", "决算"))


def three_item(text: str) -> str | None:
    """The “三公” item a stacked header names: the word printed last (lowest header row) decides.

    “公务用车购置及运行费 公务用车购置费 预算数” is the 购置费, not the 小计 above it.
    """
    text = norm(text)
    best: tuple[int, int, str] | None = None
    for name, words in THREE_ITEMS:
        for word in words:
            position = text.rfind(word)
            if position < 0:
                continue
            end = position + len(word)
            candidate = (end, len(word), name)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return best[2] if best else None


def three_block(text: str) -> str | None:
    """budget or actual: the 预算数/决算数 word in a column's stacked header, when it names exactly one."""
    text = norm(text).replace("预决算", "")
    named = [block for block, word in _BLOCKS if word in text]
    return named[0] if len(named) == 1 else None


def three_columns(columns: dict[int, str]) -> dict[int, tuple[str, str]] | None:
    """Column → (block, item) when every “三公” column's own header names both; None otherwise.

    A column whose header names neither an item nor a block (会议费, 机关运行经费 …) is left out.
    """
    placed: dict[int, tuple[str, str]] = {}
    for index, text in columns.items():
        item, block = three_item(text), three_block(text)
        if item is None:
            continue
        if block is None:
            return None
        if (block, item) in placed.values():
            return None
        placed[index] = (block, item)
    return placed or None


_CLASS = re.compile(r"^3\d\d$")
_SECTION = re.compile(r"^\d\d$")


def join_economic_codes(line: Line) -> Line:
    """“301 | 01 | 基本工资”: an economic 类 and its 款 in two columns, as one code 30101 in the first."""
    if not line.positional:
        return line
    cells: list[Cell] = list(line.cells)
    changed = False
    for index in range(len(cells) - 1):
        first, second = cell_text(cells[index]), cell_text(cells[index + 1])
        if _CLASS.match(first) and _SECTION.match(second):
            cells[index], cells[index + 1] = first + second, None
            changed = True
    return Line(tuple(cells), line.where, line.positional, line.sheet, line.raw) if changed else line
