"""Chinese prose wrapped as Chinese is set: between characters, never inside a number or word, no 。 at a line start.

Textual (like rich) breaks lines only at spaces and folds a longer run at the exact width. ``wrapped_content``
applies the breaks a Chinese reader expects (``zzperf.output.lines.break_offsets``) to Textual's styled text, and
``Prose`` shows a rich ``Text`` wrapped by it at the widget's width.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

from zzperf.output.lines import break_offsets


def wrapped_content(content: Content, width: int) -> Content:
    """``content`` (Textual's styled text) with a line break wherever ``break_offsets`` puts one; styles kept."""
    if width < 2:
        return content
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        lines.extend(piece.rstrip() for piece in line.divide(break_offsets(line.plain, width)))
    return Content("\n").join(lines)


class Prose(Static):
    """Chinese prose (a rich ``Text``), wrapped by ``break_offsets`` at the widget's width (again on a resize)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.text = Content("")
        """What is shown, before it is wrapped."""

    def show(self, text: Text) -> None:
        self.text = Content.from_rich_text(text)
        self._wrap()

    def on_resize(self, event: Resize) -> None:
        self._wrap()

    def _wrap(self) -> None:
        width = self.content_region.width
        self.update(wrapped_content(self.text, width) if width > 0 else self.text)
