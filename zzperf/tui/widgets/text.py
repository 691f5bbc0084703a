"""Text helpers the panes and screens share: fitting text to cells, the typing pause, error wording, Static updates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from textual.content import Content
from textual.dom import NoScreen
from textual.errors import NoWidget
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import _RenderCache

from zzperf.errors import ZzperfError

if TYPE_CHECKING:
    from textual.geometry import Size
    from textual.style import Style as VisualStyle
    from textual.timer import Timer
    from textual.widget import Widget
    from textual.widgets import Static

TYPING_DELAY = 0.5
"""Seconds of quiet after a keystroke before typed text is saved (or checked)."""
FORWARD_WINDOW = 0.5
"""Seconds after a box was asked to take the focus during which characters still arriving at the widget that had
it are passed on to the box (they were typed for it: a phrase an input method commits arrives as several keys)."""


class HoldsTyping:
    """For a pane that holds typed text until the typing pauses, then sends it all at once (its ``flush``).

    The pane sets ``_waiting`` (a dict) and ``_timer`` (None) and defines ``flush``; ``set_timer`` is Textual's.
    """

    _waiting: dict[str, Any]
    _timer: Timer | None

    def hold(self, key: str, value: Any) -> None:
        """Keep ``value`` for ``key`` and send everything held once the typing has paused for ``TYPING_DELAY``."""
        self._waiting[key] = value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TYPING_DELAY, self._typing_paused)  # type: ignore[attr-defined]

    def _typing_paused(self) -> None:
        """The typing has paused: send what is held."""
        self.flush()  # type: ignore[attr-defined]

    @property
    def holds_typing(self) -> bool:
        """Typing held back for a moment, not yet sent to the app."""
        return bool(self._waiting)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis."""
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        if used + cell_len(char) > width - 1:
            break
        out.append(char)
        used += cell_len(char)
    return "".join(out) + "…"


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` cells."""
    gap = " " * max(0, width - cell_len(text))
    return gap + text if right else text + gap


def error_message(error: BaseException) -> str:
    """What went wrong, for a notice: a ZzperfError's own message, else the error's type and text."""
    if isinstance(error, ZzperfError):
        return str(error)
    return f"{type(error).__name__}：{error}"


def looks_the_same(old: Any, new: Any) -> bool:
    """Whether two texts (str, rich ``Text`` or Textual ``Content``) show the same: same text, same styles."""
    return old is new or (
        type(old) is type(new) and old == new and getattr(old, "spans", None) == getattr(new, "spans", None)
    )


def set_text(widget: Static, content: Content | str, layout: bool = True) -> bool:
    """Show ``content`` in ``widget`` unless it shows that already (same text, same styles); True when changed.

    Updating a Static lays the screen out again: skipping the updates that change nothing keeps a cursor move
    to a repaint of what did change.
    """
    if looks_the_same(widget.content, content):
        return False
    if layout and keeps_its_height(widget, content):
        layout = False  # a repaint is enough, nothing else moves
    widget.update(content, layout=layout)
    return True


def keeps_its_height(widget: Widget, content: Content | str) -> bool:
    """Whether ``content`` takes as many lines as ``widget`` shows now, at its width (a shown widget whose height
    follows its content): then the new content needs a repaint, not a layout of the screen."""
    height = widget.styles.height
    if not widget.display or height is None or not height.is_auto:
        return False
    width, lines = widget.size
    shown_as = getattr(widget, "shown_as", None)  # a widget that breaks its lines its own way (``ProseText``)
    new = shown_as(content) if shown_as else content if isinstance(content, Content) else Content(content)
    return bool(width) and new.get_height(widget.styles, width) == lines


class LaidOutOnce:
    """For a widget whose content changes size: each change lays the screen out once, not twice.

    After a layout Textual hands each widget its new size; a new virtual size then asks for another layout of
    the whole screen, although the one just made already placed everything at that size. A scrollbar that has
    to appear or go still asks for its own layout.
    """

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


class SameLines:
    """For a container that draws nothing of its own but its background (and padding at the sides): every line of
    it is the same, so one is drawn and repeated. Not for a container with a border or padding above or below."""

    def render_lines(self, crop: Region) -> list[Strip]:
        if not crop.height:
            return []
        line = super().render_lines(Region(crop.x, crop.y, crop.width, 1))  # type: ignore[misc]
        return line * crop.height


class PaintedInView:
    """For a widget in a box that scrolls (the entry form): no repaint is asked for while it is scrolled out of view.

    Textual's compositor takes a widget it is asked to repaint but does not show for a new one, and arranges every
    widget of the screen again to place it: on each cursor move, for the inputs below the fold. A widget out of
    view has dropped its rendered lines all the same, and is painted from what it holds when it scrolls into view.
    """

    def _check_refresh(self) -> None:
        widget: Widget = self  # type: ignore[assignment]
        if widget._repaint_required and not _in_view(widget):
            widget._repaint_required = False
        super()._check_refresh()  # type: ignore[misc]


def _in_view(widget: Widget) -> bool:
    """Whether ``widget`` shows on the screen as last arranged (True when it was not arranged yet)."""
    try:
        geometry = widget.screen.find_widget(widget)
    except (NoScreen, NoWidget):
        return True
    return geometry.clip.overlaps(geometry.region)


def drop_layout_unless_resized(widget: Widget) -> None:
    """Take back the layout of the whole screen that ``widget`` asked for, when nothing would move.

    For widgets Textual updates itself (a Select's label and options, an Input's value): a hidden widget is laid
    out when it is shown, one whose width and height do not depend on its content keeps its size, and so does
    one whose text still takes the same number of lines at its width.
    """
    if not widget._layout_required:
        return
    height, width = widget.styles.height, widget.styles.width
    if height is not None and not height.is_auto and width is not None and not width.is_auto:
        pass  # a fixed size
    elif widget.display and height is not None and height.is_auto:
        content = getattr(widget, "content", None)
        if not isinstance(content, (Content, str)) or not keeps_its_height(widget, content):
            return
    elif widget.display:
        return
    widget._layout_required = False


def set_display(widget: Widget, shown: bool) -> None:
    """Show or hide ``widget``, touching its styles only when that changes."""
    if widget.display != shown:
        widget.display = shown


def styled_strips(widget: Widget, lines: list[Content], width: int) -> list[Strip]:
    """Lines of styled text (Textual's Content) that need no wrapping, as strips ``width`` cells wide in the
    widget's style: as Textual draws a Static's text, but without breaking the lines again and without the per-cell
    positions that selecting text needs."""
    base = widget.visual_style
    parsed: dict[str | VisualStyle, VisualStyle] = {}

    def parse(style: str | VisualStyle) -> VisualStyle:
        if style not in parsed:
            parsed[style] = widget._get_style(style)
        return parsed[style]

    blank = base.rich_style
    return [
        Strip(
            [Segment(text, style.rich_style) for text, style in line.render(base, end="", parse_style=parse)]
        ).adjust_cell_length(width, blank)
        for line in lines
    ]


class StyledLines:
    """For a widget that draws lines of styled text (Textual's Content), each of which fits its width and never
    wraps: ``styled_lines`` gives them. They are drawn by ``styled_strips``, with Textual's padding, filters and
    caching unchanged (the widget's text is not selectable)."""

    ALLOW_SELECT = False

    def styled_lines(self) -> list[Content]:
        raise NotImplementedError

    def _render_content(self) -> None:
        widget: Widget = self  # type: ignore[assignment]
        strips = styled_strips(widget, self.styled_lines(), widget.size.width)
        widget._render_cache = _RenderCache(widget.size, strips)
        widget._dirty_regions.clear()
