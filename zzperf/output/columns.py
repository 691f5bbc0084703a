"""Terminal tables that fit the terminal: optional columns left out, word columns wrapped at a readable width."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console

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
    with the width below which it is squeezed only as a last resort) counts at that width, since it wraps, and
    then takes what is left, up to its longest cell, in column order; every other column keeps its widest cell,
    so a figure is never cut. When even that does not fit, the word columns wrap narrower, down to ``WORD_FLOOR``.
    """
    from rich.cells import cell_len

    def widest(index: int) -> int:
        return max(cell_len(cell) for cell in [header[index], *(line[index] for line in body)])

    def needed(index: int) -> int:
        column = header[index]
        return min(max(words[column], cell_len(column)), widest(index)) if column in words else widest(index)

    def used(columns: list[int]) -> int:
        # each column: its width, one cell of border and two of padding; one more for the table's right edge
        return sum(needed(index) + 3 for index in columns) + 1

    shown = list(range(len(header)))
    left_out = list(optional)
    while left_out and used(shown) > width:
        shown.remove(left_out.pop())
    widths = {index: needed(index) for index in shown}
    slack = width - used(shown)
    word_columns = [index for index in shown if header[index] in words]
    for index in reversed(word_columns):  # nothing left to leave out: notes, then names, wrap narrower
        if slack >= 0:
            break
        squeeze = min(-slack, max(0, widths[index] - WORD_FLOOR))
        widths[index] -= squeeze
        slack += squeeze
    for index in word_columns:  # room to spare: the names first take what is left, up to their longest
        extra = min(max(0, slack), max(0, widest(index) - widths[index]))
        widths[index] += extra
        slack -= extra
    return shown, widths


def print_fitted(
    console: Console,
    title: str,
    header: Sequence[str],
    body: Sequence[Sequence[str]],
    optional: Sequence[int],
    words: Mapping[str, int],
    full_table: str,
    figures: Literal["left", "right"] = "left",
) -> None:
    """The table fitted to the console (``fit_columns``), then the line naming what was left out, if anything.

    ``full_table``: the option that gives the whole table; ``figures``: how the columns that are not words align.
    """
    from rich.table import Table
    from rich.text import Text

    shown, widths = fit_columns(header, body, console.width, optional, words)
    table = Table(title=title)
    for index in shown:
        column = header[index]
        in_words = column in words
        # no_wrap: a figure such as 65.53* stays whole; words wrap but keep a readable width. The width is exact:
        # rich would widen a word column past what fits, or cut a figure.
        table.add_column(
            column,
            overflow="fold",
            justify="left" if in_words else figures,
            no_wrap=not in_words,
            width=widths[index],
        )
    for line in body:
        table.add_row(*(Text(line[index]) for index in shown))
    console.print(table)
    hidden = [column for index, column in enumerate(header) if index not in shown]
    if hidden:
        console.print(Text(f"终端宽度不够，未显示：{'、'.join(hidden)}；完整的表请用 {full_table}。", style="dim"))
