"""Tick boxes that show their state by shape, not colour alone: ▐X▌ ticked, ▐ ▌ not."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
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
    """A selection list whose boxes are empty when not ticked, and whose items may take more than one line (a long
    criterion wraps rather than ending in “…”): the box is drawn on an item's first line only."""

    DEFAULT_CSS = """
    TickList {
        text-wrap: wrap;
        text-overflow: fold;
    }
    """

    def on_focus(self, event: events.Focus) -> None:
        """The first item is highlighted when the list gets the focus with none highlighted (its items were just
        set): Space then ticks it at once, and the highlight shows which item Space changes."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        """Textual's SelectionList takes each line for an item of its own; this one looks the item up by line."""
        line = OptionList.render_line(self, y)
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
            selection = self.get_option_at_index(index)
        except (IndexError, OptionDoesNotExist):
            return line
        underlying = next(iter(line)).style or self.rich_style
        if offset:  # a further line of a long item: no box beside it
            return Strip([Segment(" " * self._get_left_gutter_width(), underlying), *line])
        ticked = selection.value in self.selected
        component = "selection-list--button" + ("-selected" if ticked else "")
        component += "-highlighted" if self.highlighted == index else ""
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        side = Style.from_color(button.bgcolor, underlying.bgcolor) + Style(meta={"option": index})
        return Strip(
            [
                Segment(ToggleButton.BUTTON_LEFT, side),
                Segment(TICK if ticked else UNTICKED, button),
                Segment(ToggleButton.BUTTON_RIGHT, side),
                Segment(" ", underlying),
                *line,
            ]
        )
