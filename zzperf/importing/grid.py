"""Rows of cells as they come out of a pasted text or a worksheet, and how to read one cell.

A text line is split at tabs (as copied from a PDF) or at runs of two or more spaces (as copied from a
web page). Tab-separated lines and worksheet rows keep blank cells, so a cell's position is its column
(``positional``); space-separated lines lose blank cells and are read by the order of their cells.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from zzperf.amounts import parse_amount

Cell = str | Decimal | None
"""A cell: text as printed, a number read from a worksheet, or None when blank."""


@dataclass(frozen=True)
class Line:
    """One line of a text or one row of a sheet."""

    cells: tuple[Cell, ...]
    where: str
    """第 12 行, or 工作表“公开02表”第 5 行."""
    positional: bool
    """True when blank cells were kept, so a cell's index is its column."""
    sheet: str | None = None
    """The worksheet the row comes from, for workbooks."""
    raw: str | None = None
    """The text line as it was, for reading the narrative."""

    @property
    def filled(self) -> list[tuple[int, Cell]]:
        """(column, cell) of the non-blank cells."""
        return [(index, cell) for index, cell in enumerate(self.cells) if not is_blank(cell)]

    @property
    def text(self) -> str:
        """The line as a person would quote it: non-blank cells joined by a wide gap."""
        return "  ".join(cell_text(cell) for _, cell in self.filled)


_SPACE_RUN = re.compile(r"[ \u3000\xa0]{2,}")
_SINGLE_SPACE = re.compile(r"[ \u3000\xa0]")
_NUMBER_TOKEN = re.compile(r"^[-−]?[\d,，]*\d(?:\.\d+)?$|^[-—–－]+$")


def split_text_line(raw: str, where: str) -> Line:
    """Cells of one pasted text line (see module docstring)."""
    line = raw.rstrip("\r\n")
    if "\t" in line:
        return Line(tuple(_blank_to_none(cell) for cell in line.split("\t")), where, positional=True, raw=line)
    stripped = line.strip()
    cells = [cell for cell in _SPACE_RUN.split(stripped) if cell]
    if len(cells) == 1 and not _is_prose(stripped):
        # "201 一般公共服务支出 577.72 537.72 40.00": single spaces, but several numbers in a row.
        tokens = _SINGLE_SPACE.split(stripped)
        if sum(1 for token in tokens if _NUMBER_TOKEN.match(token)) >= 2:
            cells = [token for token in tokens if token]
    return Line(tuple(cells), where, positional=False, raw=line)


def _blank_to_none(cell: str) -> str | None:
    stripped = cell.strip()
    return stripped or None


def _is_prose(text: str) -> bool:
    """A sentence, not a table row: narrative punctuation and some length."""
    return len(text) > 30 and any(mark in text for mark in "，。；")


def is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell: Cell) -> str:
    """A cell as printed: numbers from a sheet without exponent notation."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")
    return cell.strip()


def norm(text: str) -> str:
    """Text for matching names: full-width folded, no spaces, no quotes, round brackets as ``()``."""
    folded = unicodedata.normalize("NFKC", text)
    folded = re.sub(r"[\s\u3000]+", "", folded)
    folded = re.sub(r"[“”\"'‘’「」『』]", "", folded)
    return folded.replace("（", "(").replace("）", ")")


_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d)|其中[:：]?)+"
)


def strip_numbering(label: str) -> str:
    """A row label without its 一、/（一）/1. numbering or 其中：, normalized."""
    return _NUMBERING.sub("", norm(label))


def is_number(cell: Cell) -> bool:
    """True for a cell that reads as an amount, including a dash meaning zero."""
    if isinstance(cell, Decimal):
        return True
    if not isinstance(cell, str) or not cell.strip():
        return False
    try:
        parse_amount(cell)
    except ValueError:
        return False
    return True


def as_integer(cell: Cell) -> int | None:
    """A whole number without decimals, as 行次 and 栏次 are printed; None otherwise."""
    if isinstance(cell, Decimal):
        return int(cell) if cell == cell.to_integral_value() and cell >= 0 else None
    if isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip()
        return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None
    return None


def is_integer(cell: Cell) -> bool:
    return as_integer(cell) is not None


def amount(cell: Cell) -> Decimal | None:
    """The amount in a cell (a dash is zero, blank is None); ValueError for text."""
    if is_blank(cell):
        return None
    if isinstance(cell, Decimal):
        return cell
    assert isinstance(cell, str)
    return parse_amount(cell)


FUNCTION_CODE = re.compile(r"^[0-9]{3}(?:[0-9]{2}){0,2}$")
ECONOMIC_CODE = re.compile(r"^3[0-9]{2}(?:[0-9]{2})?$")


def code_of(cell: Cell) -> str | None:
    """A 科目编码 printed in a cell (3, 5 or 7 digits), or None."""
    if isinstance(cell, Decimal):
        if cell != cell.to_integral_value() or cell < 0:
            return None
        text = str(int(cell))
    elif isinstance(cell, str):
        text = unicodedata.normalize("NFKC", cell).strip()
    else:
        return None
    return text if FUNCTION_CODE.match(text) else None


def tidy_name(text: str) -> str:
    """A 科目名称 as printed, without the spaces a PDF puts between Chinese characters."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text).strip()
