"""The data screen: the year's figures laid out like the 决算 tables, an editor for one cell, and the 勾稽 findings.

One DataTable shows the chosen table; a change updates only the cells whose text changed. Selecting a
finding opens its table and puts the cursor on the figures it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from zzperf import editing, fields
from zzperf.accounts import Accounts
from zzperf.checks import CheckReport, Finding
from zzperf.editing import EditError, Sheet
from zzperf.indicators import IndicatorSet
from zzperf.scoring import ScoreCard
from zzperf.tui.header import clip

SHORT_TITLES = {
    "t1": "01 收入支出总表",
    "t2": "02 收入决算表",
    "t3": "03 支出决算表",
    "t4": "04 财政拨款总表",
    "t5": "05 一般预算支出",
    "t6": "06 基本支出",
    "t7": "07 “三公”经费",
    "t8": "08 政府性基金",
    "budget": "预算",
    "budget_lines": "预算（按功能分类）",
    "operating_costs": "机关运行经费",
    "general_spending": "会议费、培训费",
    "procurement": "政府采购",
    "assets": "国有资产",
    "staffing": "人员编制",
    "outcomes": "绩效目标与完成值",
}
"""Names short enough for the table list; the full title is shown above the table."""

SEVERITY = {"error": ("错误", "✗", 0), "warning": ("警告", "!", 1), "info": ("提示", "·", 2)}
SEVERITY_STYLE = {"error": "$error", "warning": "$warning", "info": "$text-muted"}
UNIT_COLUMNS = {"本年", "上年", "预算数", "决算数", "年初预算", "调整预算"}


@dataclass(frozen=True)
class DataState:
    """What the data screen shows: the figures, the previous year's, the scores and the check report."""

    accounts: Accounts
    previous: Accounts | None
    card: ScoreCard
    checks: CheckReport
    generation: int


def _cell_matches(cell: str, path: str) -> bool:
    return cell == path or cell.startswith(path + ".")


class SheetTable(DataTable):
    """A DataTable whose cells are styled by the component classes below (theme colours from the .tcss)."""

    COMPONENT_CLASSES = {"sheet--error", "sheet--warning", "sheet--info", "sheet--marked", "sheet--previous", "sheet--label"}


class DataPane(Vertical):
    """Tables on the left, the chosen table, the cell editor, what the cell feeds, and the findings."""

    BINDINGS = [
        Binding("e", "edit_cell", "编辑", id="data.edit", tooltip="编辑光标所在的数据（也可按回车，或直接输入数字）"),
        Binding("f", "focus_findings", "勾稽问题", id="data.findings", tooltip="转到勾稽关系问题列表；选中一条即跳到相关数据"),
        Binding("t", "focus_sheets", "表目录", id="data.sheets", tooltip="转到左侧的表目录"),
        Binding("right_square_bracket", "sheet(1)", "下一张表", id="data.next_sheet", tooltip="显示下一张表", show=False),
        Binding("left_square_bracket", "sheet(-1)", "上一张表", id="data.previous_sheet", tooltip="显示上一张表", show=False),
        Binding("escape", "cancel_edit", "取消编辑", id="data.cancel", tooltip="放弃正在输入的数据，恢复原值", show=False),
    ]

    class FigureEdited(Message):
        """A figure was typed and is valid."""

        def __init__(self, path: str, text: str) -> None:
            super().__init__()
            self.path = path
            self.text = text

    class DraftChanged(Message):
        """The cell editor holds text that cannot be taken (``error``), or no longer does (None)."""

        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    state: reactive[DataState | None] = reactive(None, always_update=True, init=False)

    def __init__(self, indicator_set: IndicatorSet, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicator_set = indicator_set
        self.uses = editing.figure_uses(indicator_set)
        self.sheets: list[Sheet] = []
        self.sheet_index = 0
        self.marked: tuple[str, ...] = ()
        self.editing_path: str | None = None
        self._cells: dict[tuple[int, int], tuple[str, str]] = {}
        self._shown_sheet: Sheet | None = None
        self._findings: list[Finding] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="data-main"):
            yield OptionList(id="sheet-list")
            with Vertical(id="sheet-box"):
                yield Static("", id="sheet-title")
                yield SheetTable(id="sheet-table", cursor_type="cell", zebra_stripes=True)
        with Horizontal(id="figure-editor"):
            yield Label("", id="figure-label")
            yield Input(id="figure-input", select_on_focus=False)
        yield Static("", id="figure-error")
        yield Static("", id="figure-uses")
        yield OptionList(id="findings")

    def on_mount(self) -> None:
        self.query_one("#figure-editor").display = False
        self.query_one("#figure-error").display = False

    @property
    def table(self) -> SheetTable:
        return self.query_one(SheetTable)

    # ─── showing the state ───

    def watch_state(self, old: DataState | None, state: DataState | None) -> None:
        if state is None:
            return
        sheets = editing.sheets(state.accounts, with_previous=state.previous is not None)
        rebuilt = old is None or old.generation != state.generation or sheets != self.sheets
        self.sheets = sheets
        self.sheet_index = min(self.sheet_index, len(sheets) - 1)
        with self.app.batch_update():
            self._fill_sheet_list()
            if rebuilt or self._shown_sheet != sheets[self.sheet_index]:
                self._build_table()
            else:
                self._update_cells()
            self._fill_findings(old)
            self._show_uses()

    def _severities(self) -> dict[str, str]:
        """Figure path named by a finding → its worst severity."""
        assert self.state is not None
        worst: dict[str, str] = {}
        for finding in self.state.checks.findings:
            for path in finding.paths:
                if SEVERITY[finding.severity][2] < SEVERITY[worst.get(path, "info")][2] or path not in worst:
                    worst[path] = finding.severity
        return worst

    def _sheet_severity(self, sheet: Sheet, severities: dict[str, str]) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.state.checks.findings if self.state else ():
            cells = [cell for row in sheet.rows for cell in row.paths if cell]
            if any(_cell_matches(cell, path) for path in finding.paths for cell in cells):
                counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    def _fill_sheet_list(self) -> None:
        sheet_list = self.query_one("#sheet-list", OptionList)
        severities = self._severities()
        options = []
        for sheet in self.sheets:
            counts = self._sheet_severity(sheet, severities)
            parts: list[Any] = [SHORT_TITLES.get(sheet.key, sheet.title)]
            for severity in ("error", "warning"):
                if counts.get(severity):
                    parts.append((f" {SEVERITY[severity][1]}{counts[severity]}", f"bold {SEVERITY_STYLE[severity]}"))
            options.append(Option(Content.assemble(*parts), id=sheet.key))
        highlighted = self.sheet_index
        with sheet_list.prevent(OptionList.OptionHighlighted):
            sheet_list.set_options(options)
            sheet_list.highlighted = highlighted

    def _column_width(self, label: str) -> int:
        return max(10, min(cell_len(label), 14))

    def _build_table(self) -> None:
        table = self.table
        sheet = self.sheets[self.sheet_index]
        self._shown_sheet = sheet
        unit = "（万元）" if sheet.key not in ("outcomes", "staffing", "assets") else ""
        self.query_one("#sheet-title", Static).update(Content.assemble((sheet.title, "bold"), (unit, "$text-muted")))
        cursor = table.cursor_coordinate
        table.clear(columns=True)
        if sheet.coded:
            table.add_column("编码", key="code", width=8)
        label_width = min(30, max([cell_len(row.label) + 2 * row.level + 2 for row in sheet.rows] + [8]))
        table.add_column("科目名称" if sheet.coded else "项目", key="label", width=label_width)
        for index, column in enumerate(sheet.columns):
            table.add_column(column, key=f"c{index}", width=self._column_width(column))
        self._cells = {}
        rows = self._render_rows()
        for r, cells in enumerate(rows):
            table.add_row(*cells, key=f"r{r}")
        if sheet.rows:
            first_value = 2 if sheet.coded else 1
            row = min(cursor.row, len(sheet.rows) - 1)
            column = max(first_value, min(cursor.column, first_value + len(sheet.columns) - 1))
            table.move_cursor(row=row, column=column, animate=False)

    def _render_rows(self) -> list[list[Text]]:
        """Every row's cells as Text, remembering (plain, style name) per cell to update only what changed."""
        assert self.state is not None
        sheet = self.sheets[self.sheet_index]
        state = self.state
        severities = self._severities()
        table = self.table
        style_of = {name: table.get_component_rich_style(f"sheet--{name}", partial=True) for name in ("error", "warning", "info", "marked", "previous", "label")}
        rows: list[list[Text]] = []
        for r, row in enumerate(sheet.rows):
            worst = None
            for cell in row.paths:
                for path, severity in severities.items():
                    if cell and _cell_matches(cell, path) and (worst is None or SEVERITY[severity][2] < SEVERITY[worst][2]):
                        worst = severity
            mark = SEVERITY[worst][1] if worst else " "
            label = Text(f"{mark} ", style=style_of[worst] if worst else Style())
            label.append("  " * row.level + row.label, style=style_of["label"] if row.level == 0 and sheet.coded else Style())
            cells: list[Text] = []
            if sheet.coded:
                cells.append(Text(row.code))
            cells.append(label)
            for c, path in enumerate(row.paths):
                if path is None:
                    text, name = "", ""
                else:
                    kind = editing.figure_kind(state.accounts, path)
                    value = editing.get_figure(state.accounts, path, state.previous)
                    text = editing.figure_text(value, kind)
                    name = ""
                    if path.startswith(fields.PREVIOUS):
                        name = "previous"
                    if any(_cell_matches(path, marked) for marked in self.marked):
                        name = "marked"
                    elif any(_cell_matches(path, p) for p, s in severities.items() if s == "error"):
                        name = name or "error"
                self._cells[(r, c)] = (text, name)
                justify = "left" if path and path.endswith((".unit", ".op", ".note")) else "right"
                cells.append(Text(text, style=style_of[name] if name else Style(), justify=justify))
            rows.append(cells)
        return rows

    def _update_cells(self) -> None:
        before = dict(self._cells)
        rows = self._render_rows()
        table = self.table
        sheet = self.sheets[self.sheet_index]
        offset = 2 if sheet.coded else 1
        for r, cells in enumerate(rows):
            table.update_cell_at(Coordinate(r, offset - 1), cells[offset - 1])
            for c in range(len(sheet.columns)):
                if before.get((r, c)) != self._cells.get((r, c)):
                    table.update_cell_at(Coordinate(r, offset + c), cells[offset + c])

    def _fill_findings(self, old: DataState | None) -> None:
        assert self.state is not None
        findings_list = self.query_one("#findings", OptionList)
        findings = sorted(self.state.checks.findings, key=lambda f: SEVERITY[f.severity][2])
        if old is not None and old.checks == self.state.checks and old.generation == self.state.generation:
            return
        self._findings = findings
        options: list[Option] = []
        for index, finding in enumerate(findings):
            word, _, _ = SEVERITY[finding.severity]
            options.append(
                Option(
                    Content.assemble(
                        (word, f"bold {SEVERITY_STYLE[finding.severity]}"), " ", (finding.code, "$text-muted"), " ",
                        Content(finding.message),
                    ),
                    id=f"finding-{index}",
                )
            )
        if not findings:
            options.append(Option(Content("未发现勾稽关系问题。"), disabled=True))
        skipped = len(self.state.checks.skipped)
        if skipped:
            options.append(Option(Content.styled(f"另有 {skipped} 条规则因数据不足未检查。", "$text-muted"), disabled=True))
        highlighted = findings_list.highlighted
        findings_list.set_options(options)
        if findings:
            findings_list.highlighted = min(highlighted or 0, len(findings) - 1)
        findings_list.border_title = f"勾稽关系：错误 {len(self.state.checks.errors)}，警告 {len(self.state.checks.warnings)}，提示 {len(self.state.checks.infos)}"

    # ─── the cell under the cursor ───

    def _cursor_path(self) -> str | None:
        if not self.sheets:
            return None
        sheet = self.sheets[self.sheet_index]
        coordinate = self.table.cursor_coordinate
        column = coordinate.column - (2 if sheet.coded else 1)
        if not 0 <= coordinate.row < len(sheet.rows) or not 0 <= column < len(sheet.columns):
            return None
        return sheet.rows[coordinate.row].paths[column]

    def _cell_title(self, path: str) -> str:
        sheet = self.sheets[self.sheet_index]
        for row in sheet.rows:
            if path in row.paths:
                column = sheet.columns[row.paths.index(path)]
                code = f"{row.code} " if row.code else ""
                return f"{SHORT_TITLES.get(sheet.key, sheet.title)} · {code}{row.label} · {column}"
        return path

    def _show_uses(self) -> None:
        uses_line = self.query_one("#figure-uses", Static)
        state = self.state
        path = self._cursor_path()
        if state is None or path is None:
            uses_line.update("")
            return
        if path.startswith(fields.PREVIOUS):
            uses_line.update(Content.styled(f"上年数据，只读；请切换到 {state.accounts.year - 1} 年度修改。", "$text-muted"))
            return
        parts: list[Any] = []
        leaves = self.uses.get(path, [])
        if leaves:
            parts.append(("用于评分：", "bold"))
            items = []
            for node in leaves:
                result = state.card.results[node.id]
                score = "—" if result.final_score is None else f"{result.final_score:.2f}"
                items.append(f"{node.name} {result.value_text or '数据不足'} → {score} 分")
            parts.append(Content("；".join(items)))
        else:
            parts.append(("本项不直接用于评分。", "$text-muted"))
        named = [f.code for f in state.checks.findings if any(_cell_matches(path, p) for p in f.paths)]
        if named:
            parts.append(("  勾稽：", "bold"))
            parts.append(("、".join(named), "$warning"))
        uses_line.update(Content.assemble(*parts))

    @on(DataTable.CellHighlighted, "#sheet-table")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_uses()

    @on(DataTable.CellSelected, "#sheet-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        event.stop()
        self.action_edit_cell()

    @on(OptionList.OptionHighlighted, "#sheet-list")
    def _sheet_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_index != self.sheet_index:
            self.show_sheet(event.option_index)

    @on(OptionList.OptionSelected, "#sheet-list")
    def _sheet_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.show_sheet(event.option_index)
        self.table.focus()

    def show_sheet(self, index: int, keep_marks: bool = False) -> None:
        self._commit_or_keep()
        if not keep_marks:
            self.marked = ()
        self.sheet_index = max(0, min(index, len(self.sheets) - 1))
        sheet_list = self.query_one("#sheet-list", OptionList)
        with sheet_list.prevent(OptionList.OptionHighlighted):
            sheet_list.highlighted = self.sheet_index
        self.table.move_cursor(row=0, column=0, animate=False)
        self._build_table()
        self._show_uses()

    # ─── editing a cell ───

    def on_key(self, event: events.Key) -> None:
        """Typing a number on a cell starts editing it with that character, as in a spreadsheet.

        While the editor is open every character and Enter is handled here, whichever widget had focus when
        the key was pressed: keys typed faster than the editor takes focus still reach it, in order. (The editor
        itself never passes characters on, and Enter and Backspace from it end up here too.)
        """
        if self.editing_path is not None:
            editor = self.query_one("#figure-input", Input)
            if event.key == "enter":
                self._submit()
            elif event.key == "backspace":
                editor.action_delete_left()
            elif event.is_printable and event.character:
                editor.insert_text_at_cursor(event.character)
            else:
                return
            event.stop()
            event.prevent_default()
            return
        if self.table.has_focus and event.character and event.character in "0123456789.-":
            path = self._cursor_path()
            if path and not path.startswith(fields.PREVIOUS):
                event.stop()
                event.prevent_default()
                self.action_edit_cell(event.character)

    def on_paste(self, event: events.Paste) -> None:
        """Pasting on a cell edits it with the pasted text (first line)."""
        if self.table.has_focus and self.editing_path is None and event.text.strip():
            event.stop()
            self.action_edit_cell(event.text.strip().splitlines()[0])

    def action_edit_cell(self, start: str | None = None) -> None:
        state = self.state
        path = self._cursor_path()
        if state is None or path is None:
            return
        if path.startswith(fields.PREVIOUS):
            self.notify(f"上年数据只读，请切换到 {state.accounts.year - 1} 年度修改。", severity="warning")
            return
        self._commit_or_keep()
        if self.editing_path is not None:
            return
        kind = editing.figure_kind(state.accounts, path)
        value = editing.get_figure(state.accounts, path)
        self.editing_path = path
        hints = {
            "money": "万元；留空 = 数据不足，“-” = 0，可写 6087200元",
            "quantity": "留空 = 数据不足",
            "count": "整数；留空 = 数据不足",
            "bool": "是 / 否",
            "text": "文字",
            "op": "≥、= 或 ≤",
        }
        self.query_one("#figure-label", Label).update(Content(clip(self._cell_title(path), 40)))
        editor = self.query_one("#figure-input", Input)
        editor.placeholder = hints[kind]
        with editor.prevent(Input.Changed):
            editor.value = start if start is not None else editing.edit_text(value, kind)
        self.query_one("#figure-editor").display = True
        self._set_error(None)
        editor.focus()
        if start is None:
            editor.select_all()  # typing replaces the old value, arrows keep it
        else:
            editor.cursor_position = len(editor.value)

    def _set_error(self, error: str | None) -> None:
        box = self.query_one("#figure-error", Static)
        box.update(Content.styled(f"✗ {error}（按 Esc 放弃修改）", "bold $error") if error else "")
        box.display = error is not None
        self.post_message(self.DraftChanged(error))

    def _commit(self) -> bool:
        """Check the editor's text; send it up and close the editor when valid, else show why. True when closed."""
        state, path = self.state, self.editing_path
        if state is None or path is None:
            return True
        text = self.query_one("#figure-input", Input).value
        try:
            editing.set_figure(state.accounts, path, text)
        except EditError as error:
            self._set_error(error.message)
            return False
        self.post_message(self.FigureEdited(path, text))
        self._close_editor()
        return True

    def _commit_or_keep(self) -> None:
        if self.editing_path is not None:
            self._commit()

    def _close_editor(self) -> None:
        self.editing_path = None
        self.query_one("#figure-editor").display = False
        self._set_error(None)

    def take_pending(self) -> tuple[str, str] | None:
        """The valid text waiting in the editor (for quitting); invalid text stays and is reported as a draft."""
        state, path = self.state, self.editing_path
        if state is None or path is None:
            return None
        text = self.query_one("#figure-input", Input).value
        try:
            editing.set_figure(state.accounts, path, text)
        except EditError as error:
            self._set_error(error.message)
            return None
        self._close_editor()
        return path, text

    @on(Input.Submitted, "#figure-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def _submit(self) -> None:
        """Enter in the editor: take the figure and move down a row, as in a spreadsheet."""
        if self._commit():
            table = self.table
            table.focus()
            if table.cursor_row < table.row_count - 1:
                table.move_cursor(row=table.cursor_row + 1, animate=False)

    @on(Input.Blurred, "#figure-input")
    def _blurred(self, event: Input.Blurred) -> None:
        event.stop()
        self._commit_or_keep()

    def action_cancel_edit(self) -> None:
        if self.editing_path is not None:
            self._close_editor()
            self.table.focus()
        elif self.marked:
            self.marked = ()
            self._update_cells()

    def discard_draft(self) -> None:
        if self.editing_path is not None:
            self._close_editor()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_edit":
            return self.editing_path is not None or bool(self.marked)
        if action == "edit_cell":
            return self.editing_path is None
        return True

    # ─── findings ───

    def action_focus_findings(self) -> None:
        self.query_one("#findings", OptionList).focus()

    def action_focus_sheets(self) -> None:
        self.query_one("#sheet-list", OptionList).focus()

    def action_sheet(self, step: int) -> None:
        self.show_sheet((self.sheet_index + step) % len(self.sheets))

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if not option_id.startswith("finding-"):
            return
        self.jump_to(self._findings[int(option_id.removeprefix("finding-"))])

    def jump_to(self, finding: Finding) -> None:
        """Open the table of the finding's first figure, mark all its figures and put the cursor on the first."""
        for path in finding.paths:
            place = editing.locate(self.sheets, path)
            if place is not None:
                break
        else:
            self.notify("这条问题涉及的数据不在本年度的表中（可能是上年数据）。", severity="warning")
            return
        sheet, row, column = place
        self.marked = finding.paths
        self.show_sheet(sheet, keep_marks=True)
        offset = 2 if self.sheets[sheet].coded else 1
        self.table.move_cursor(row=row, column=column + offset, animate=False)
        self.table.focus()
        self._show_uses()

    def jump_to_path(self, path: str) -> None:
        place = editing.locate(self.sheets, path)
        if place is None:
            return
        sheet, row, column = place
        self.show_sheet(sheet)
        offset = 2 if self.sheets[sheet].coded else 1
        self.table.move_cursor(row=row, column=column + offset, animate=False)
        self.table.focus()
