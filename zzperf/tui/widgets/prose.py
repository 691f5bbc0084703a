"""Chinese prose wrapped as Chinese is set: between characters, never inside a number or word, no 。 at a line start.

Textual (like rich) breaks lines only at spaces and folds a longer run at the exact width, so a sentence such as
“只有本部门《2018 年度部门决算》与 2017 年比较时……” came out as “…《201” / “8 年度…”, or with “，” opening a line.
``break_offsets`` finds the breaks a Chinese reader expects, ``wrapped_content`` applies them to Textual's styled
text, and ``Prose`` shows a rich ``Text`` wrapped by it at the widget's width.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.text import Text
from textual.content import Content
from textual.events import Resize
from textual.widgets import Static

NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…—%,.;:!?)]}")
"""Characters that never open a line (closing punctuation, as Chinese typesetting rules have it)."""

NO_LINE_END = frozenset("（《「『【〔“‘([{")
"""Characters that never close a line (opening punctuation)."""


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after`` (neither of them a space)."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def break_offsets(line: str, width: int) -> list[int]:
    """Where to break ``line`` (no newlines in it) so that each piece fits ``width`` cells, spaces at a piece's end
    not counted: after a space, or between two characters one of which is wide (Chinese), except before closing
    and after opening punctuation. A run with no such place (a long number or word) is folded at the width."""
    offsets: list[int] = []
    start = 0
    used = 0
    last_break = 0  # the latest place after ``start`` where the line may break
    for index, char in enumerate(line):
        if index > start and not line[start:index].isspace():  # an indent alone is not a line
            before = line[index - 1]
            if before.isspace() and not char.isspace():
                last_break = index
            elif not before.isspace() and not char.isspace() and _may_break(before, char):
                last_break = index
        size = get_character_cell_size(char)
        if char.isspace() or used + size <= width or index == start:
            used += size
            continue
        cut = last_break if last_break > start else index
        offsets.append(cut)
        start = cut
        used = sum(get_character_cell_size(c) for c in line[start : index + 1])
        last_break = start
    return offsets


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
