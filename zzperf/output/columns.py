"""Terminal tables that fit the terminal: optional columns left out, word columns wrapped at a readable width; and
``boxed``, a table drawn with box lines whose word cells break as Chinese is set. The report preview's tables narrow
their columns and set their rows by the same helpers (``narrowed``, ``ruled``, ``side_by_side``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from rich.console import Console
    from rich.segment import Segments

Line = TypeVar("Line")
"""A line of a table's cell, as plain text or styled."""

WORD_FLOOR = 4
"""The width below which a word column is never squeezed, even when nothing else is left to leave out."""


def fit_columns(
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    width: int,
    optional: Sequence[int],
    words: Mapping[str, int],
) -> tuple[list[int], dict[int, int]]:
    """The columns that fit in ``width`` terminal cells, and the width each of them gets.

    ``optional`` lists the columns that may be left out, the last one first, until the rest fits; every other
    column always stays, so the names and notes are never squeezed to nothing. A word column (named in ``words``
    with the width below which it is squeezed only as a last resort) counts at that width, since it wraps; what
    is left then goes, a cell at a time, to the narrowest word column still short of its longest line, so long
    words share the room evenly. Every other column keeps its widest cell, so a figure is never cut. When even
    that does not fit, the widest word column wraps a cell narrower, again and again, down to ``WORD_FLOOR``.
    """
    from rich.cells import cell_len

    longest = [
        max(cell_len(line) for cell in [column, *(cells[index] for cells in body)] for line in cell.split("\n"))
        for index, column in enumerate(header)
    ]

    def needed(index: int) -> int:
        column = header[index]
        return min(max(words[column], cell_len(column)), longest[index]) if column in words else longest[index]

    def used(columns: list[int]) -> int:
        # each column: its width, one cell of border and two of padding; one more for the table's right edge
        return sum(needed(index) + 3 for index in columns) + 1

    shown = list(range(len(header)))
    left_out = list(optional)
    while left_out and used(shown) > width:
        shown.remove(left_out.pop())
    word_columns = [index for index in shown if header[index] in words]
    # nothing left to leave out: the widest word column wraps narrower, down to WORD_FLOOR; the others stay whole
    floors = [WORD_FLOOR if index in word_columns else needed(index) for index in shown]
    widths = dict(zip(shown, narrowed([needed(index) for index in shown], floors, used(shown) - width)))
    slack = width - used(shown) + sum(needed(index) - widths[index] for index in shown)
    while slack > 0:  # room to spare: the narrowest word column that wraps gets a cell more
        short = [index for index in word_columns if widths[index] < longest[index]]
        if not short:
            break
        widths[min(short, key=widths.__getitem__)] += 1
        slack -= 1
    return shown, widths


def narrowed(widths: Sequence[int], floors: Sequence[int], excess: int) -> list[int]:
    """``widths`` (of columns, in cells) made ``excess`` cells narrower in all, a cell at a time from the widest column
    still above its floor (the first of equals), none below its ``floors``: less in all when the floors stop it."""
    shown = list(widths)
    while excess > 0:
        shrinkable = [index for index, width in enumerate(shown) if width > floors[index]]
        if not shrinkable:
            break
        shown[max(shrinkable, key=shown.__getitem__)] -= 1
        excess -= 1
    return shown


def print_fitted(
    console: Console,
    title: str,
    header: Sequence[str],
    body: Sequence[Sequence[str | tuple[str, str]]],
    optional: Sequence[int],
    words: Mapping[str, int],
    full_table: str,
    figures: Literal["left", "right"] = "left",
    row_lines: bool = False,
    mark: str = "",
) -> None:
    """The table fitted to the console (``fit_columns``) and drawn by ``boxed``, then the line naming what was left
    out, if anything.

    ``body``: each cell a text, or (text, style); ``full_table``: the option that gives the whole table (empty: none
    but a wider terminal);
    ``figures``: how the columns that are not words align; ``row_lines``: a line between rows; ``mark``: a sign that
    may follow a figure (a provisional score's “*”), whose width every other cell of a right-aligned column keeps
    (``reserve_marks``) so that the decimal points line up. A head may hold a line break (“2017\n得分”), so that a
    figure column need not be as wide as its head. Text from files is measured as the terminal shows it: control
    characters removed, tabs expanded.
    """
    from rich.text import Text

    from zzperf.output.terminal import clean

    def as_shown(cell: str | tuple[str, str]) -> tuple[str, str]:
        text, style = (cell, "") if isinstance(cell, str) else cell
        return clean(text).expandtabs(4), style

    cells = [[as_shown(cell) for cell in line] for line in body]
    if mark and figures == "right":
        for index, column in enumerate(header):
            if column not in words:
                texts = reserve_marks([line[index][0] for line in cells], mark)
                for line, text in zip(cells, texts):
                    line[index] = (text, line[index][1])
    shown, widths = fit_columns(header, [[text for text, _ in line] for line in cells], console.width, optional, words)
    right = [number for number, index in enumerate(shown) if figures == "right" and header[index] not in words]
    console.print(
        boxed(
            clean(title),
            [header[index] for index in shown],
            [[line[index] for index in shown] for line in cells],
            [widths[index] for index in shown],
            right,
            row_lines,
        )
    )
    hidden = [column.replace("\n", " ") for index, column in enumerate(header) if index not in shown]
    if hidden:
        whole = f"完整的表请用 {full_table}" if full_table else "终端更宽（或 COLUMNS 更大）时显示完整的表"
        console.print(Text(f"终端宽度不够，未显示：{'、'.join(hidden)}；{whole}。", style="dim"))


PIECES = re.compile(r"[/（）()\s]+|[^/（）()\s]+")
"""A cell's pieces: runs of separators (“/”, brackets, spaces) and runs of anything else (a figure, a word)."""


def _pieces(text: str, mark: str) -> tuple[list[str], set[int]]:
    """``text`` cut into ``PIECES`` without ``mark``, and the pieces the mark followed."""
    pieces: list[str] = []
    marked: set[int] = set()
    for piece in PIECES.findall(text):
        if not piece.replace(mark, ""):  # the mark after a separator (“（按得分率）*”)
            if pieces:
                marked.add(len(pieces) - 1)
            continue
        if piece.endswith(mark):
            piece = piece[: -len(mark)]
            marked.add(len(pieces))
        pieces.append(piece)
    return pieces, marked


def reserve_marks(texts: Sequence[str], mark: str) -> list[str]:
    """A right-aligned column's cells, each with a space where a cell of its shape (as many pieces) has ``mark`` and
    it has not, so that figures line up: after the same piece (the n-th figure, word or separator) that the mark
    follows elsewhere (“18.00/20（90.00%）” → “18.00 /20（90.00% ）” beside “7.50*/15（50.00%*）”, “2.50” → “2.50 ”
    beside “7.50*”); a cell of another shape (“中（暂定）”) and an empty one stay as they are."""
    parsed = [_pieces(text, mark) for text in texts]
    slots: dict[int, set[int]] = {}
    for pieces, marked in parsed:
        if marked:
            slots.setdefault(len(pieces), set()).update(marked)
    if not slots:
        return list(texts)
    shown = []
    for text, (pieces, marked) in zip(texts, parsed):
        reserved = slots.get(len(pieces), set()) if text else set()
        shown.append(
            "".join(
                piece + (mark if index in marked else " " if index in reserved else "")
                for index, piece in enumerate(pieces)
            )
            if reserved
            else text
        )
    return shown


def ruled(widths: Sequence[int], left: str, fill: str, cross: str, right: str) -> str:
    """A table's rule across columns ``widths`` cells wide (each with a cell of padding either side): ``left``, then
    ``fill`` over each column with ``cross`` between, then ``right``."""
    return left + cross.join(fill * (width + 2) for width in widths) + right


def side_by_side(cells: Sequence[Sequence[Line]], blanks: Sequence[Line]) -> list[list[Line]]:
    """A table row's lines, its ``cells`` (each given as its lines) side by side: the n-th line holds each cell's
    n-th line, or the cell's entry in ``blanks`` where it has fewer lines."""
    height = max((len(lines) for lines in cells), default=0)
    return [
        [lines[number] if number < len(lines) else blank for lines, blank in zip(cells, blanks)]
        for number in range(height)
    ]


def boxed(
    title: str,
    header: Sequence[str],
    body: Sequence[Sequence[tuple[str, str]]],
    widths: Sequence[int],
    right: Sequence[int] = (),
    row_lines: bool = True,
) -> Segments:
    """A table drawn with box lines, as rich draws its own (a heavy header), ready to print.

    ``body``: each row's cells as (text, style), style "" for none; ``widths``: each column's width in cells, as
    ``fit_columns`` gives it; ``right``: the columns aligned right; ``row_lines``: a line between rows. A cell wider
    than its column is broken by ``zzperf.output.lines.wrap`` (a number or a word stays whole where it fits); the
    title (none when empty) is above in italics, the header in bold. The table is given as rich segments, each run
    of unstyled text one segment.
    """
    from rich.cells import cell_len
    from rich.segment import Segment, Segments
    from rich.style import Style

    from zzperf.output.lines import wrap

    segments: list[Segment] = []
    plain: list[str] = []

    def add(piece: str, style: str = "") -> None:
        if not style:
            plain.append(piece)
            return
        if plain:
            segments.append(Segment("".join(plain)))
            plain.clear()
        segments.append(Segment(piece, Style.parse(style)))

    def rule(left: str, fill: str, cross: str, right_end: str) -> None:
        add(ruled(widths, left, fill, cross, right_end) + "\n")

    def row(cells: Sequence[tuple[str, str]], edge: str) -> None:
        # a cell that fits keeps its spaces (a right-aligned one its reserved mark), else it breaks
        columns = [
            [cell] if "\n" not in cell and cell_len(cell) <= width else wrap(cell, width)
            for (cell, _), width in zip(cells, widths)
        ]
        for shown in side_by_side(columns, [""] * len(columns)):
            for index, ((_, style), line, width) in enumerate(zip(cells, shown, widths)):
                fill = " " * (width - cell_len(line))
                add(edge + " ")
                add(fill + line if index in right else line + fill, style)
                add(" ")
            add(edge + "\n")

    if title:
        add(title, "italic")
        add("\n")
    rule("┏", "━", "┳", "┓")
    row([(head, "bold") for head in header], "┃")
    rule("┡", "━", "╇", "┩")
    for number, cells in enumerate(body):
        if number and row_lines:
            rule("├", "─", "┼", "┤")
        row(cells, "│")
    rule("└", "─", "┴", "┘")
    segments.append(Segment("".join(plain)))
    return Segments(segments)
