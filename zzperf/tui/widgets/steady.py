"""Lists and tables that keep what they drew when they are shown again at the size they had."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.widgets import DataTable, OptionList


class KeepsDrawnLines:
    """For a widget that drops every line it has drawn on a Resize (DataTable, OptionList).

    Textual sends a Resize to each widget shown again, a tab switched back to, even when its size is the one it had.
    DataTable and OptionList then drop what they have drawn, so that a tab was drawn twice each time it was opened:
    at once, and again once the Resize arrived (a third of a tab switch). A Resize that leaves the widget's size and
    the room for its content as they were is let go (the size of the content itself, its virtual size, follows from
    what is drawn, not the other way round); any other is handled as Textual handles it.
    """

    _drawn_for: tuple[Size, Size] | None = None

    def _on_resize(self, event: events.Resize) -> None:
        shape = (event.size, event.container_size)
        if shape == self._drawn_for:
            event.prevent_default()  # the lines drawn for this size still hold: DataTable's and OptionList's own
            # handlers (which drop them) are not called
        self._drawn_for = shape


class SteadyOptionList(KeepsDrawnLines, OptionList):
    """An OptionList that keeps its drawn lines when shown again at the same size."""


class SteadyTable(KeepsDrawnLines, DataTable):
    """A DataTable that keeps its drawn cells when shown again at the same size."""
