"""Editing the 数据 tab's figures: typing into a cell through the editor line, and adding and removing 科目 rows.

A mixin of ``DataPane``: it uses the pane's table, state and messages, and keeps the pane's file to what it shows.
"""

from __future__ import annotations

from textual import events

from zzperf import editing, figure_paths
from zzperf.editing import EditError, Kind
from zzperf.tui.screens.dialogs import AddLineScreen

TYPES_NOTHING = " ?[]"
"""Characters that do not start editing a cell: space, ? (help), [ and ] (previous and next table)."""
HINTS: dict[Kind, str] = {
    "money": "万元；留空 = 数据不足，“-” = 0，也可写 6087200元",
    "quantity": "留空 = 数据不足",
    "count": "整数；留空 = 数据不足",
    "bool": "是 / 否",
    "text": "文字",
    "op": "≥、= 或 ≤",
}


class CellEditing:
    """The editing half of ``DataPane`` (see there for the widgets and state it relies on)."""

    # ─── editing a cell ───

    def on_key(self, event: events.Key) -> None:
        """While editing, keys go to the editor line; on a cell, typing (a digit, a letter, any text) starts editing it.

        The pane's commands sit on keys that type nothing (Ctrl+F, Ctrl+T, Insert, Delete), so typing never runs one.
        """
        editor = self.editor
        if editor.editing:
            key = event.key
            if key == "enter":
                self._submit()
            elif key in ("up", "down", "tab", "shift+tab"):
                if not self._commit():
                    event.stop()
                    event.prevent_default()
                return  # taken: let the key move on as usual
            elif key == "backspace":
                editor.delete_left()
            elif key == "delete":
                editor.delete_right()
            elif key in ("left", "right"):
                editor.move(-1 if key == "left" else 1)
            elif key == "home":
                editor.cursor = 0
            elif key == "end":
                editor.cursor = len(editor.text)
            elif key in ("ctrl+u", "ctrl+k"):
                editor.text, editor.cursor = (
                    ("", 0) if key == "ctrl+u" else (editor.text[: editor.cursor], editor.cursor)
                )
            elif key == "escape":
                self.action_cancel_edit()
            elif event.is_printable and event.character:
                editor.insert(event.character)
            else:
                return
            event.stop()
            event.prevent_default()
            return
        if self.table.has_focus and event.is_printable and event.character and event.character not in TYPES_NOTHING:
            path = self._cursor_path()
            if path and not path.startswith(figure_paths.PREVIOUS):
                event.stop()
                event.prevent_default()
                self.action_edit_cell(event.character)

    def on_paste(self, event: events.Paste) -> None:
        """Pasting on a cell edits it with the pasted text (its first line)."""
        text = event.text.strip().splitlines()[0] if event.text.strip() else ""
        if not text:
            return
        event.stop()
        if self.editor.editing:
            self.editor.insert(text)
        elif self.table.has_focus:
            self.action_edit_cell(text)

    def action_edit_cell(self, start: str | None = None) -> None:
        state = self.state
        path = self._cursor_path()
        if state is None or path is None:
            return
        if path.startswith(figure_paths.PREVIOUS):
            self.notify(f"上年数据只读，请切换到 {state.accounts.year - 1} 年度修改。", severity="warning")
            return
        if self.editor.editing and not self._commit():
            return
        kind = self._kinds.get(path) or editing.figure_kind(state.accounts, path)
        value = editing.get_figure(state.accounts, path)
        self.editing_path = path
        self.editor.start(
            self._cell_title(path), start if start is not None else editing.edit_text(value, kind), HINTS[kind]
        )
        self._show_cell()
        self.table.focus()

    def _set_error(self, error: str | None) -> None:
        if error != self.editor.error:
            self.editor.error = error
            self.post_message(self.DraftChanged(error))

    def _check(self) -> str | None:
        """The error of the text being typed, or None when it can be taken."""
        assert self.state is not None and self.editing_path is not None
        kind = self._kinds.get(self.editing_path) or editing.figure_kind(self.state.accounts, self.editing_path)
        try:
            editing.parse_figure(self.editor.text, kind)
        except EditError as error:
            return error.message
        return None

    def _commit(self) -> bool:
        """Send the typed figure up when valid and stop editing (True); else show why and keep it (False)."""
        if self.state is None or self.editing_path is None:
            return True
        error = self._check()
        if error is not None:
            self._set_error(f"{error}（改正后按回车，或按 Esc 放弃）")
            return False
        held = self.app.batch_update()  # painted again once the app has applied the figure (see FigureEdited)
        held.__enter__()
        # straight to the app, which outlives any pane: the message is always handled, so the screen is released
        self.app.post_message(self.FigureEdited(self.editing_path, self.editor.text, held))
        self._close_editor()
        return True

    def _close_editor(self) -> None:
        self.editing_path = None
        self.editor.editing = False
        self._set_error(None)
        self._show_cell()

    def take_pending(self) -> tuple[str, str] | None:
        """The valid figure being typed (for quitting or switching); invalid text stays and is reported."""
        if self.state is None or self.editing_path is None:
            return None
        path, text = self.editing_path, self.editor.text
        error = self._check()
        if error is not None:
            self._set_error(f"{error}（改正后按回车，或按 Esc 放弃）")
            return None
        self._close_editor()
        return path, text

    def _submit(self) -> None:
        """Enter: take the figure and move down a row, as in a spreadsheet."""
        if self._commit():
            table = self.table
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1, animate=False)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        if event.widget is self.table:
            self._commit()

    def action_cancel_edit(self) -> None:
        """Esc: drop the figure being typed; else clear a finding's marks and, from a list beside it, go back to the
        table (where the arrow keys move the cell again)."""
        if self.editing_path is not None:
            self._close_editor()
            return
        if self.marked:
            self.marked = ()
            self._update_cells()
        if not self.table.has_focus:
            self.table.focus()

    def discard_draft(self) -> None:
        if self.editing_path is not None:
            self._close_editor()

    # ─── adding and removing rows ───

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Rows are added and removed where the cursor is: in the table, not in the lists beside it."""
        if action in ("add_line", "remove_line"):
            return self.table.has_focus
        return True

    def _rows_fixed(self) -> bool:
        """True (and says so) when the shown table's rows are fixed: only 科目 tables take new rows."""
        if self.sheets and self.sheets[self.sheet_index].key in editing.LINE_TABLES:
            return False
        self.notify(
            "这张表的行是固定的；可以添加、删除行的是公开02、03、05、06表和按功能分类的预算。", severity="warning"
        )
        return True

    def action_add_line(self) -> None:
        state = self.state
        if state is None or self._rows_fixed() or not self._commit():
            return
        sheet = self.sheets[self.sheet_index]
        _, kind, _ = editing.LINE_TABLES[sheet.key]

        def check(code: str, name: str) -> str | None:
            try:
                editing.add_line(state.accounts, sheet.key, code, name)
            except EditError as error:
                return error.message
            return None

        def added(answer: tuple[str, str] | None) -> None:
            if answer is not None:
                self._goto_code = answer[0]
                self.post_message(self.LineAdded(sheet.key, *answer))

        self.app.push_screen(
            AddLineScreen(
                f"在“{sheet.title}”中添加一行",
                editing.CODE_LEVELS[kind],
                lambda code: editing.name_for_code(state.accounts, sheet.key, code, state.previous),
                check,
            ),
            added,
        )

    def action_remove_line(self) -> None:
        if self.state is None or self._rows_fixed():
            return
        sheet = self.sheets[self.sheet_index]
        if not sheet.rows:
            return
        row = sheet.rows[min(self.table.cursor_row, len(sheet.rows) - 1)]
        if not row.code:
            self.notify("合计行不能删除；请把光标移到要删除的科目行。", severity="warning")
            return
        if self.editing_path is not None:
            self._close_editor()
        self.post_message(self.LineRemoved(sheet.key, row.code))
