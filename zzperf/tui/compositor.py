"""Screens whose lines keep their double-width characters where a widget above covers another's edge, and repaints
that keep them where a changed area's edge crosses one (``whole_pieces``).

Textual's compositor cuts every line at every widget's edge and divides each widget's line at the edges within it,
whether or not that widget is on top there: a double-width (Chinese) character of a notice that lies across the edge
of a panel beneath becomes two spaces (“政务服务中  -2018” for “政务服务中心-2018”). ``WholeCharacterCompositor``
leaves out such an edge on such a line, so the widget on top is divided only where another widget's cells begin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len, get_character_cell_size
from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


def splits_wide(strip: Strip, offset: int) -> bool:
    """Whether a cut ``offset`` cells into ``strip`` falls inside a double-width character."""
    position = 0
    for segment in strip:
        text = segment.text
        width = cell_len(text)
        if position + width <= offset:  # wholly before the cut
            position += width
            continue
        if width == len(text):  # narrow characters only: the cut falls between two of them
            return False
        for character in text:
            size = get_character_cell_size(character)
            if position < offset < position + size:
                return True
            position += size
            if position >= offset:
                return False
    return False


class WholeCharacterCompositor(Compositor):
    """A compositor that does not divide a widget's line at an edge where that widget is on top on both sides and
    the edge falls inside one of its double-width characters.

    The two pieces either side of such an edge would both be that widget's, so joining them changes nothing but
    the character. Only edges with the same widget on top on both sides are looked at (an overlay's, over edges
    beneath it), so the work stays with the lines repainted.
    """

    def __init__(self) -> None:
        super().__init__()
        self._joined: set[int] = set()
        """The lines whose pieces of the last render are not those of ``cuts`` (an edge was left out)."""

    def _render_chops(self, crop: Region, is_rendered_line: Callable[[int], bool]) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        left_out: dict[int, set[int]] = {}
        for region, clip, strips in self._get_renders(crop):
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips):
                if not is_rendered_line(y):
                    continue
                line = chops[y]
                final_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
                skipped = left_out.get(y, ())
                # edges inside this line with this widget on top on both sides (a piece no widget above took is None)
                joins = (
                    [
                        cut
                        for before, cut in zip(final_cuts, final_cuts[1:-1])
                        if line.get(cut, 0) is None
                        and line.get(before, 0) is None
                        and splits_wide(strip, cut - render_x)
                    ]
                    if len(final_cuts) > 2
                    else None
                )
                if joins:
                    for cut in joins:
                        del line[cut]
                    skipped = left_out.setdefault(y, set())
                    skipped.update(joins)
                    final_cuts = [cut for cut in final_cuts if cut not in skipped or cut == first_cut]
                pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
                for cut, piece in zip(final_cuts, pieces):
                    if cut not in skipped and line.get(cut) is None:
                        line[cut] = piece
        self._joined = set(left_out)
        return chops  # type: ignore[return-value]

    def render_partial_update(self) -> ChopsUpdate | None:
        """The update, with each piece's end where the next piece begins on a line that has an edge left out."""
        update = super().render_partial_update()
        if update is not None:
            width = self.size.width
            for y in self._joined:
                update.chop_ends[y] = [*list(update.chops[y])[1:], width]
        return update


class WholeCharacters:
    """For a screen: its lines are put together by ``WholeCharacterCompositor``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = WholeCharacterCompositor()


def whole_pieces(update: ChopsUpdate) -> ChopsUpdate:
    """The update with a line's changed span widened to the piece of line (between widgets' edges) it cuts, where
    its edge falls inside a double-width character of that piece.

    Textual repaints only the cells of a changed area, cutting the lines beneath at its edges: a double-width
    (Chinese) character under an edge becomes a space, and the terminal, writing that space over one half of
    the character, blanks the other half, outside the area, which nothing repaints. So when a notice goes away,
    the key bar beneath lost the character its edge crossed ("F5 年" for "F5 年度") until the next full repaint.
    A piece begins and ends at a widget's edge, where no character of the widget is split; a span whose edges
    split no character (a table's changed cells) is painted as it is.
    """
    spans: list[tuple[int, int, int]] = []
    for y, x1, x2 in update.spans:
        for (start, strip), end in zip(update.chops[y].items(), update.chop_ends[y]):
            if strip is None:
                continue
            if start < x1 < end and splits_wide(strip, x1 - start):
                x1 = start
            if start < x2 < end and splits_wide(strip, x2 - start):
                x2 = end
        if spans and spans[-1][0] == y and spans[-1][2] >= x1:
            spans[-1] = (y, spans[-1][1], max(spans[-1][2], x2))
        else:
            spans.append((y, x1, x2))
    return ChopsUpdate(update.chops, spans, update.chop_ends)
