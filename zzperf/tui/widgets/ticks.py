"""Tick boxes that show their state by shape, not colour alone: ▐X▌ ticked, ▐ ▌ not."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

TICK = ToggleButton.BUTTON_INNER
"""The mark inside a ticked box."""
UNTICKED = " "
"""What an unticked box holds: nothing, so that it differs on a terminal without colour."""


class TickBox(Checkbox):
    """A checkbox whose box is empty when not ticked."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name for the mark
        return TICK if self.value else UNTICKED


class TickList(SelectionList[str]):
    """A selection list whose boxes are empty when not ticked."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 3 or segments[1].text != TICK:
            return strip
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if option.value in self.selected:
            return strip
        segments[1] = Segment(UNTICKED, segments[1].style)
        return Strip(segments, strip.cell_length)
