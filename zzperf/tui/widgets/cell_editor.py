"""The line under the data table where a cell is shown and typed into, spreadsheet-style."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from zzperf.tui.widgets.prose import as_prose
from zzperf.tui.widgets.text import clip

MORE = "（Ctrl+N 看全文）"
"""The end of a note cut at the editor's width: the data pane's key that shows it in full."""


class CellEditor(Widget):
    """Lines under the table: the cell (title and value, or the text being typed) and a note on one line, or an
    error, which takes as many lines as it needs (broken as Chinese prose). Without an error the editor keeps its
    two lines, so that moving from cell to cell (each with its own note) never lays the screen out again; a note
    too long for its line ends in ``MORE``, the key that shows it in full.

    A plain widget that never takes focus; the data pane feeds it keys, so typing never moves the focus.
    """

    title: reactive[str] = reactive("")
    text: reactive[str] = reactive("")
    cursor: reactive[int] = reactive(0)
    editing: reactive[bool] = reactive(False)
    hint: reactive[str] = reactive("")
    error: reactive[str | None] = reactive(None)
    note: reactive[Content] = reactive(Content(""))
    editable: reactive[bool] = reactive(True)
    """Whether the cell shown may be changed here: a previous year's figure is not, and offers no key to change it."""

    def render(self) -> Content:
        width = max(self.size.width, 10)
        if self.editing:
            before, after = self.text[: self.cursor], self.text[self.cursor :]
            value = Content.assemble((before, "bold"), (after[:1] or " ", "reverse"), (after[1:], "bold"))
            room = width - value.cell_length - 8
            first = Content.assemble(("编辑 ", "bold $accent"), (clip(self.title, max(8, room)), "bold"), "：", value)
            for hint in ("  回车保存 · Esc 放弃 · " + self.hint, "  回车保存 · Esc 放弃"):
                if first.cell_length + cell_len(hint) <= width:
                    first = Content.assemble(first, (hint, "$text-muted"))
                    break
        elif self.title:  # the name whole before the hint: the full hint, a short one, or none, as the width allows
            value = "  " + self.text
            first = Content.assemble((clip(self.title, max(8, width - cell_len(value))), "bold"), value)
            for hint in ("  （回车或直接输入数字修改）", "  （回车修改）") if self.editable else ():
                if first.cell_length + cell_len(hint) <= width:
                    first = Content.assemble(first, (hint, "$text-muted"))
                    break
        else:
            first = Content("")
        if self.error:
            return as_prose(
                Content.assemble(first.truncate(width), "\n", Content.styled(f"✗ {self.error}", "bold $error"))
            )
        note = self.note
        if note.cell_length > width:  # cut, and says where the rest is (the pane's key)
            more = Content.styled(MORE, "$text-muted")
            kept = note.truncate(max(width - more.cell_length - 1, 0)).rstrip()  # no half of a wide character
            note = Content.assemble(kept, "…", more)
        return Content.assemble(first.truncate(width), "\n", note.truncate(width, ellipsis=True))

    def watch_error(self) -> None:
        self._fit_height()

    def on_resize(self) -> None:
        self._fit_height()  # an error takes more or fewer lines at another width

    def _fit_height(self) -> None:
        """Two lines, or as many as the error needs: the screen is laid out again only when that number changes."""
        width = self.size.width
        lines = self.render().get_height(self.styles, width) if self.error and width else 2
        if self.styles.height is None or self.styles.height.value != lines:
            self.styles.height = lines

    def start(self, title: str, text: str, hint: str) -> None:
        self.title, self.text, self.cursor, self.hint = title, text, len(text), hint
        self.error, self.editing = None, True

    def insert(self, characters: str) -> None:
        self.text = self.text[: self.cursor] + characters + self.text[self.cursor :]
        self.cursor += len(characters)

    def delete_left(self) -> None:
        if self.cursor:
            self.text = self.text[: self.cursor - 1] + self.text[self.cursor :]
            self.cursor -= 1

    def delete_right(self) -> None:
        self.text = self.text[: self.cursor] + self.text[self.cursor + 1 :]

    def move(self, step: int) -> None:
        self.cursor = max(0, min(len(self.text), self.cursor + step))
