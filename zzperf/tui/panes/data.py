"""The 数据 tab: the year's figures laid out like the 决算 tables, an editor for one cell, and the 勾稽 findings.

One DataTable shows the chosen table; a change updates only the cells whose text changed. The cell editor
works like a spreadsheet's: type on a cell (or press Enter) and the text goes to the editor line below the
table while the table keeps the focus, so nothing moves or re-lays out while typing. Selecting a finding
opens its table and puts the cursor on the figures it names.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.data_table import RowKey
from textual.widgets.option_list import Option

from zzperf import editing, figure_paths
from zzperf.accounts import Accounts
from zzperf.amounts import fmt_score
from zzperf.checks import SEVERITY_RANK, SEVERITY_WORDS, CheckReport, Finding, rule_name
from zzperf.editing import Kind, Sheet
from zzperf.indicators import IndicatorSet
from zzperf.scoring import ScoreCard
from zzperf.tui.panes.data_editing import CellEditing
from zzperf.tui.screens.dialogs import TextScreen
from zzperf.tui.widgets.cell_editor import CellEditor
from zzperf.tui.widgets.prose import as_prose
from zzperf.tui.widgets.steady import SteadyOptionList, SteadyTable
from zzperf.tui.widgets.text import clip, looks_the_same

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

LABEL_WIDTH = 26
"""Cells for the 科目名称 / 项目 column, its severity mark included, when the table is too narrow for its longest
name (then it scrolls right); a wider table gives the column the width to its right that the figures leave free."""

CODE_WIDTH = 8
"""Cells for the 编码 column."""


def figure_width(column: str) -> int:
    """Cells for a column of figures headed ``column``."""
    return max(10, min(cell_len(column), 14))


SEVERITY = {
    severity: (SEVERITY_WORDS[severity], icon, SEVERITY_RANK[severity])
    for severity, icon in (("error", "✗"), ("warning", "!"), ("info", "·"))
}
"""Each severity's word, its mark in the table list, and its rank (the most serious first)."""
SEVERITY_STYLE = {"error": "$error", "warning": "$warning", "info": "$text-muted"}


@dataclass(frozen=True)
class DataState:
    """What the 数据 tab shows: the figures, the previous year's, the scores and the check report."""

    accounts: Accounts
    previous: Accounts | None
    card: ScoreCard
    checks: CheckReport
    generation: int


def prefixes(path: str) -> list[str]:
    """``a.lines[301].amount`` → itself, ``a.lines[301]``, ``a.lines``, ``a``: the paths a finding may use for it."""
    out = [path]
    while True:
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return out
        path = path[:cut]
        out.append(path)


class SheetTable(SteadyTable):
    """A DataTable whose cells are styled by the component classes below (theme colours from the .tcss)."""

    COMPONENT_CLASSES = {
        "sheet--error",
        "sheet--warning",
        "sheet--info",
        "sheet--marked",
        "sheet--previous",
        "sheet--label",
    }

    class Resized(Message):
        """The table has a new size (its pane builds its table for it, ``DataPane._table_resized``)."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        """Textual's, telling the pane of a new size: Textual sends no Resize event to a widget that a scroll's
        layout placed on the screen first (its size is set by the next full layout, without the event)."""
        changed = super()._size_updated(size, virtual_size, container_size, layout=layout)
        if changed:
            self.post_message(self.Resized())
        return changed

    def set_cells(self, cells: dict[Coordinate, Text]) -> None:
        """Show new texts in cells of the same width, re-rendering only their rows.

        ``update_cell`` would drop every cached row and cell of the table (its caches are keyed by a count of
        updates), so that the next frame renders each visible cell again. Here only the cached renders of the
        changed rows are dropped (and the joined lines, which are cheap to join again from the rows).
        """
        rows: dict[int, RowKey] = {}
        for coordinate, value in cells.items():
            row_key, column_key = self.coordinate_to_cell_key(coordinate)
            self._data[row_key][column_key] = value
            rows[coordinate.row] = row_key
        if not rows:
            return
        keys = set(rows.values())
        for cache, position, wanted in (
            (self._cell_render_cache, 0, keys),
            (self._row_render_cache, 0, keys),
            (self._row_renderable_cache, 1, set(rows)),
        ):
            for key in [key for key in cache.keys() if key[position] in wanted]:
                cache.discard(key)
        self._line_cache.clear()
        for row in rows:
            self.refresh_row(row)


class DataPane(CellEditing, Vertical):
    """Tables on the left, the chosen table, the cell editor with what the cell feeds, and the findings."""

    BINDINGS = [
        Binding("enter", "edit_cell", "编辑", id="data.edit", tooltip="编辑光标所在的数据（也可直接输入数字或文字）"),
        Binding(
            "ctrl+f",
            "focus_findings",
            "勾稽问题",
            id="data.findings",
            tooltip="转到勾稽关系问题列表；选中一条即跳到相关数据",
        ),
        Binding("ctrl+t", "focus_sheets", "表目录", id="data.sheets", tooltip="转到左侧的表目录"),
        Binding(
            "ctrl+n",
            "show_note",
            "用途全文",
            id="data.note",
            tooltip="显示光标所在数据的用途全文：用于哪些指标及其得分、哪些勾稽关系",
        ),
        Binding(
            "insert",
            "add_line",
            "添加行",
            id="data.add_line",
            tooltip="在功能分类、经济分类或预算表中添加一行科目",
            show=False,
        ),
        Binding(
            "delete",
            "remove_line",
            "删除行",
            id="data.remove_line",
            tooltip="删除光标所在的科目行及其下的款、项（可撤销）",
            show=False,
        ),
        Binding(
            "right_square_bracket", "sheet(1)", "下一张表", id="data.next_sheet", tooltip="显示下一张表", show=False
        ),
        Binding(
            "left_square_bracket", "sheet(-1)", "上一张表", id="data.previous_sheet", tooltip="显示上一张表", show=False
        ),
        Binding(
            "escape",
            "cancel_edit",
            "取消",
            id="data.cancel",
            tooltip="放弃正在输入的数据（或取消勾稽问题的标记）",
            show=False,
        ),
    ]

    class FigureEdited(Message):
        """A figure was typed and is valid.

        ``held`` keeps the screen from being painted until the figure is applied (``release``): the editor closing,
        the cursor moving on and the new figures, total and 勾稽 marks then show in one frame.
        """

        def __init__(self, path: str, text: str, held: AbstractContextManager[None] | None = None) -> None:
            super().__init__()
            self.path = path
            self.text = text
            self.held = held

        def release(self) -> None:
            """Let the screen be painted again (once, however often called)."""
            held, self.held = self.held, None
            if held is not None:
                held.__exit__(None, None, None)

    class LineAdded(Message):
        """A 科目 row to add to a line table."""

        def __init__(self, sheet: str, code: str, name: str) -> None:
            super().__init__()
            self.sheet = sheet
            self.code = code
            self.name = name

    class LineRemoved(Message):
        """A 科目 row (and the rows under it) to remove from a line table."""

        def __init__(self, sheet: str, code: str) -> None:
            super().__init__()
            self.sheet = sheet
            self.code = code

    class DraftChanged(Message):
        """The cell editor holds text that cannot be taken (``error``), or no longer does (None)."""

        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    state: var[DataState | None] = var(None, always_update=True, init=False)
    """What the pane shows; its parts repaint what changed (a repaint of the whole pane would draw every part of it
    again on each figure committed)."""

    def __init__(self, indicator_set: IndicatorSet, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicator_set = indicator_set
        self.uses = editing.figure_uses(indicator_set)
        self.sheets: list[Sheet] = []
        self.sheet_index = 0
        self.marked: tuple[str, ...] = ()
        self.editing_path: str | None = None
        self._cells: dict[tuple[int, int], tuple[str, str]] = {}
        """(row, column) → (text, style name) of each shown cell; column -1 is the row's label and its mark."""
        self._shown_sheet: Sheet | None = None
        self._findings: list[Finding] = []
        self._sheet_of_path: dict[str, set[int]] = {}
        self._kinds: dict[str, Kind] = {}
        self._worst: dict[str, str] = {}
        self._finding_keys: list[str | None] = []
        self._sheet_prompts: list[str] = []
        self._style_cache: tuple[str, dict[str, Style]] | None = None
        self._goto_code: str | None = None
        """A row just added: the cursor goes to it when the table is built again."""
        self._label_width = LABEL_WIDTH
        """The 科目名称 / 项目 column's width in the table shown (``_label_width_for``)."""
        self._unbuilt = False
        """A table was asked for before the table had a width (the tab hidden): it is built when it gets one."""
        self._pending_cursor: Coordinate | None = None
        """Where the cursor goes when the table not built yet is built."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="data-main"):
            yield SteadyOptionList(id="sheet-list")
            with Vertical(id="sheet-box"):
                yield Static("", id="sheet-title")
                yield SheetTable(id="sheet-table", cursor_type="cell", zebra_stripes=True)
        yield CellEditor(id="cell-editor")
        yield SteadyOptionList(id="findings")

    @property
    def table(self) -> SheetTable:
        return self.query_one(SheetTable)

    @property
    def editor(self) -> CellEditor:
        return self.query_one(CellEditor)

    # ─── showing the state ───

    def watch_state(self, old: DataState | None, state: DataState | None) -> None:
        if state is None:
            return
        new_layout = old is None or old.generation != state.generation or old.accounts is not state.accounts
        if new_layout:
            sheets = editing.sheets(state.accounts, with_previous=state.previous is not None)
            if sheets != self.sheets:
                self.sheets = sheets
                self._index_sheets()
        checks_changed = old is None or old.checks is not state.checks or new_layout
        if checks_changed:
            self._worst = self._severities(state.checks)
        self.sheet_index = min(self.sheet_index, len(self.sheets) - 1)
        with self.app.batch_update():
            if checks_changed:
                self._fill_sheet_list()
                self._fill_findings()
            if self._shown_sheet != self.sheets[self.sheet_index] or (
                old is not None and old.generation != state.generation
            ):
                self._want_table()
            elif new_layout or checks_changed:
                self._update_cells()
            self._show_cell()

    def _index_sheets(self) -> None:
        """Which sheets show each path (and each of its prefixes), and what kind each figure is."""
        assert self.state is not None
        self._sheet_of_path = {}
        self._kinds = {}
        for index, sheet in enumerate(self.sheets):
            for row in sheet.rows:
                for path in row.paths:
                    if path is None:
                        continue
                    self._kinds[path] = editing.figure_kind(self.state.accounts, path)
                    for prefix in prefixes(path):
                        self._sheet_of_path.setdefault(prefix, set()).add(index)

    @staticmethod
    def _severities(checks: CheckReport) -> dict[str, str]:
        """Figure path named by a finding → its worst severity."""
        worst: dict[str, str] = {}
        for finding in checks.findings:
            for path in finding.paths:
                if path not in worst or SEVERITY[finding.severity][2] < SEVERITY[worst[path]][2]:
                    worst[path] = finding.severity
        return worst

    def _worst_of(self, path: str) -> str | None:
        """The worst severity of the findings naming ``path`` or a row or table containing it."""
        found = [self._worst[prefix] for prefix in prefixes(path) if prefix in self._worst]
        return min(found, key=lambda severity: SEVERITY[severity][2]) if found else None

    def _fill_sheet_list(self) -> None:
        assert self.state is not None
        counts: list[dict[str, int]] = [{} for _ in self.sheets]
        for finding in self.state.checks.findings:
            sheets = set().union(*(self._sheet_of_path.get(path, set()) for path in finding.paths))
            for index in sheets:
                counts[index][finding.severity] = counts[index].get(finding.severity, 0) + 1
        options = []
        for sheet, count in zip(self.sheets, counts):
            parts: list[Any] = [SHORT_TITLES.get(sheet.key, sheet.title)]
            for severity in ("error", "warning"):
                if count.get(severity):
                    parts.append((f" {SEVERITY[severity][1]}{count[severity]}", f"bold {SEVERITY_STYLE[severity]}"))
            options.append(Option(Content.assemble(*parts), id=sheet.key))
        prompts = [str(option.prompt) for option in options]
        if prompts == self._sheet_prompts:
            return
        self._sheet_prompts = prompts
        sheet_list = self.query_one("#sheet-list", OptionList)
        with sheet_list.prevent(OptionList.OptionHighlighted):
            sheet_list.set_options(options)
            sheet_list.highlighted = self.sheet_index

    def _want_table(self) -> None:
        """The sheet's table built now, or once the table has a width (its name column's width depends on it)."""
        if self.table.size.width:
            self._build_table()
        else:
            self._unbuilt = True

    def _build_table(self) -> None:
        table = self.table
        self._unbuilt = False
        sheet = self.sheets[self.sheet_index]
        self._shown_sheet = sheet
        unit = "（万元）" if sheet.key not in ("outcomes", "staffing", "assets") else ""
        rows_hint = "  Insert 添加行 · Delete 删除行" if sheet.key in editing.LINE_TABLES else ""
        self.query_one("#sheet-title", Static).update(
            Content.assemble((sheet.title, "bold"), (unit, "$text-muted"), (rows_hint, "$text-muted"))
        )
        cursor = self._pending_cursor or table.cursor_coordinate
        self._pending_cursor = None
        table.clear(columns=True)
        if sheet.coded:
            table.add_column("编码", key="code", width=CODE_WIDTH)
        self._label_width = self._label_width_for(sheet)
        table.add_column("科目名称" if sheet.coded else "项目", key="label", width=self._label_width)
        table.fixed_columns = 2 if sheet.coded else 1  # the code and name stay in view when scrolling right
        for index, column in enumerate(sheet.columns):
            table.add_column(column, key=f"c{index}", width=figure_width(column))
        self._cells = {}
        for r, cells in enumerate(self._render_rows()):
            table.add_row(*cells, key=f"r{r}")
        if sheet.rows:
            first_value = 2 if sheet.coded else 1
            row = min(cursor.row, len(sheet.rows) - 1)
            if self._goto_code is not None:
                row = next((index for index, line in enumerate(sheet.rows) if line.code == self._goto_code), row)
                self._goto_code = None
            column = max(first_value, min(cursor.column, first_value + len(sheet.columns) - 1))
            table.move_cursor(row=row, column=column, animate=False)

    def _label_width_for(self, sheet: Sheet) -> int:
        """The name column's width: the longest name (indent and severity mark included) where the table's width
        leaves room for it beside the figures, else at most ``LABEL_WIDTH`` (the table then scrolls right)."""
        longest = max([cell_len(row.label) + 2 * row.level + 2 for row in sheet.rows] + [8])
        table = self.table
        padding = 2 * table.cell_padding  # each column's cells have it on both sides
        others = sum(figure_width(column) + padding for column in sheet.columns)
        if sheet.coded:
            others += CODE_WIDTH + padding
        free = table.content_region.width - table.styles.scrollbar_size_vertical - others - padding
        return max(min(LABEL_WIDTH, longest), min(longest, free))

    def on_show(self) -> None:
        """The tab shown again: a table asked for while it was hidden and had no width (another year opened, a
        figure of another year gone to) is built now. The table is back at the size it had, which is no new size
        and so brings no ``SheetTable.Resized``."""
        if self._unbuilt:
            self._table_resized()

    @on(SheetTable.Resized)
    def _table_resized(self) -> None:
        """The table has a new size: a table asked for while it had no width (its tab hidden) is built now, and one
        whose name column the new width gives another width is built again (a resize that leaves it as it was drawn
        changes nothing). The table says so itself: Textual sends no Resize to a widget a scroll's layout placed
        on the screen first."""
        if self.state is None or not self.sheets or not self.table.size.width:
            return
        sheet = self._shown_sheet
        if self._unbuilt:
            self._build_table()
            self._show_cell()
        elif sheet is not None and self._label_width_for(sheet) != self._label_width:
            self._build_table()

    def _place_cursor(self, row: int, column: int) -> None:
        """The cursor on that cell, now or when the table not built yet is built."""
        if self._unbuilt:
            self._pending_cursor = Coordinate(row, column)
        else:
            self.table.move_cursor(row=row, column=column, animate=False)

    def _render_rows(self) -> list[list[Text]]:
        """Every row's cells as Text, remembering (plain, style name) per cell to update only what changed."""
        assert self.state is not None
        sheet = self.sheets[self.sheet_index]
        state = self.state
        styles = self._styles()
        marked = {prefix for path in self.marked for prefix in prefixes(path)}
        rows: list[list[Text]] = []
        for r, row in enumerate(sheet.rows):
            severities = [self._worst_of(path) for path in row.paths if path]
            present = [severity for severity in severities if severity]
            worst = min(present, key=lambda severity: SEVERITY[severity][2]) if present else None
            self._cells[(r, -1)] = (worst or "", "")
            label = Text(f"{SEVERITY[worst][1] if worst else ' '} ", style=styles[worst] if worst else Style())
            name = clip("  " * row.level + row.label, self._label_width - 2)  # a long name ends in “…”, not mid-word
            label.append(name, style=styles["label"] if row.level == 0 and sheet.coded else Style())
            cells: list[Text] = [Text(row.code)] if sheet.coded else []
            cells.append(label)
            for c, path in enumerate(row.paths):
                text, name = "", ""
                if path is not None:
                    kind = self._kinds.get(path) or editing.figure_kind(state.accounts, path)
                    text = editing.figure_text(editing.get_figure(state.accounts, path, state.previous), kind)
                    if path in marked or any(prefix in marked for prefix in prefixes(path)):
                        name = "marked"
                    elif path.startswith(figure_paths.PREVIOUS):
                        name = "previous"
                    elif self._worst_of(path) == "error":
                        name = "error"
                self._cells[(r, c)] = (text, name)
                justify = "left" if path and path.endswith((".unit", ".op", ".note")) else "right"
                cells.append(Text(text, style=styles[name] if name else Style(), justify=justify))
            rows.append(cells)
        return rows

    def _styles(self) -> dict[str, Style]:
        """The cell styles from the stylesheet, looked up once per theme."""
        theme = self.app.theme
        if self._style_cache is None or self._style_cache[0] != theme:
            table = self.table
            styles = {
                name: table.get_component_rich_style(f"sheet--{name}", partial=True)
                for name in ("error", "warning", "info", "marked", "previous", "label")
            }
            self._style_cache = (theme, styles)
        return self._style_cache[1]

    def _update_cells(self) -> None:
        before = dict(self._cells)
        rows = self._render_rows()
        table = self.table
        sheet = self.sheets[self.sheet_index]
        offset = 2 if sheet.coded else 1
        changed: dict[Coordinate, Text] = {}
        for r, cells in enumerate(rows):
            if before.get((r, -1)) != self._cells.get((r, -1)):
                changed[Coordinate(r, offset - 1)] = cells[offset - 1]
            for c in range(len(sheet.columns)):
                if before.get((r, c)) != self._cells.get((r, c)):
                    changed[Coordinate(r, offset + c)] = cells[offset + c]
        table.set_cells(changed)

    def _fill_findings(self) -> None:
        assert self.state is not None
        findings_list = self.query_one("#findings", OptionList)
        findings = sorted(self.state.checks.findings, key=lambda f: SEVERITY[f.severity][2])
        self._findings = findings
        options: list[Option] = []
        for index, finding in enumerate(findings):
            word, _, _ = SEVERITY[finding.severity]
            prompt = Content.assemble((word, f"bold {SEVERITY_STYLE[finding.severity]}"), " ", finding.message)
            # broken as Chinese prose at the list's width (again when it changes): no figure opens a line
            options.append(Option(as_prose(prompt), id=f"finding-{index}-{finding.code}-{finding.row}"))
        if not findings:
            options.append(Option(Content("未发现勾稽关系问题。"), disabled=True))
        skipped = len(self.state.checks.skipped)
        if skipped:
            options.append(
                Option(Content.styled(f"另有 {skipped} 条规则因数据不足未检查。", "$text-muted"), disabled=True)
            )
        keys = [option.id for option in options]
        if keys == self._finding_keys and findings:
            # Same findings with new figures in their messages: replace the text in place, no re-layout.
            for index, option in enumerate(options):
                shown = findings_list.get_option_at_index(index).prompt
                if option.id is not None and not looks_the_same(shown, option.prompt):  # each replacement repaints all
                    findings_list.replace_option_prompt_at_index(index, option.prompt)
        else:
            highlighted = findings_list.highlighted
            findings_list.set_options(options)
            if findings:
                findings_list.highlighted = min(highlighted or 0, len(findings) - 1)
        self._finding_keys = keys
        checks = self.state.checks
        findings_list.border_title = (
            f"勾稽关系：错误 {len(checks.errors)}，警告 {len(checks.warnings)}，提示 {len(checks.infos)}"
        )

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
        for sheet in [self.sheets[self.sheet_index], *self.sheets]:
            for row in sheet.rows:
                if path in row.paths:
                    column = sheet.columns[row.paths.index(path)]
                    code = f"{row.code} " if row.code else ""
                    return f"{SHORT_TITLES.get(sheet.key, sheet.title)} · {code}{row.label} · {column}"
        return path

    def _show_cell(self) -> None:
        """The editor line shows the cell under the cursor (unless typing); the note says what it feeds."""
        editor = self.editor
        state = self.state
        path = self._cursor_path()
        if state is None:
            return
        if not editor.editing:
            if path is None:
                editor.title, editor.text = "", ""
            else:
                kind = self._kinds.get(path) or editing.figure_kind(state.accounts, path)
                value = editing.get_figure(state.accounts, path, state.previous)
                editor.title = self._cell_title(path)
                editor.text = editing.figure_text(value, kind) or "（空：数据不足）"
                editor.editable = not path.startswith(figure_paths.PREVIOUS)
        note_path = self.editing_path or path
        editor.note = self._uses(note_path) if note_path else Content("")

    def _feeds(self, path: str) -> tuple[list[str], list[str]]:
        """What the figure at ``path`` feeds: each indicator it is scored in (with its value and score), and the
        names of the 勾稽 rules whose findings name it."""
        state = self.state
        assert state is not None
        items = [
            f"{node.name} {result.value_text or '数据不足'} → {fmt_score(result.final_score)} 分"
            for node in self.uses.get(path, [])
            for result in [state.card.results[node.id]]
        ]
        named = [
            rule_name(f.code) for f in state.checks.findings if any(prefix in f.paths for prefix in prefixes(path))
        ]
        return items, named

    def _previous_note(self) -> Content:
        assert self.state is not None
        return Content.styled(f"上年数据，只读；请切换到 {self.state.accounts.year - 1} 年度修改。", "$text-muted")

    def _uses(self, path: str) -> Content:
        """The note under the editor: what the figure feeds, on one line (the editor cuts it at its width)."""
        if path.startswith(figure_paths.PREVIOUS):
            return self._previous_note()
        items, named = self._feeds(path)
        parts: list[Any] = [
            Content.assemble(("用于评分：", "bold"), "；".join(items))
            if items
            else ("本项不直接用于评分。", "$text-muted")
        ]
        if named:
            parts.append(("  勾稽：", "bold"))
            parts.append(("、".join(named), "$warning"))
        return Content.assemble(*parts)

    def _uses_in_full(self, path: str) -> list[Content]:
        """The note in full, a paragraph for each heading and each item (``action_show_note``)."""
        if path.startswith(figure_paths.PREVIOUS):
            return [self._previous_note()]
        items, named = self._feeds(path)
        paragraphs = [
            Content.styled("用于评分：", "bold") if items else Content.styled("本项不直接用于评分。", "$text-muted")
        ]
        paragraphs += [Content(f"· {item}") for item in items]
        if named:
            paragraphs += [Content(""), Content.styled("勾稽：", "bold")]
            paragraphs += [Content.styled(f"· {name}", "$warning") for name in named]
        return paragraphs

    def action_show_note(self) -> None:
        """The full note of the cell under the cursor (or being typed into) in a dialog: the editor's second line
        shows it cut at the width, and keeps to one line so that a cursor move never moves the table."""
        path = self.editing_path or self._cursor_path()
        if self.state is None or path is None:
            self.notify("光标不在数据格上：请先把光标移到要查看的数据。", severity="warning")
            return
        self.app.push_screen(TextScreen(f"数据用途：{self._cell_title(path)}", self._uses_in_full(path), "ctrl+n"))

    @on(DataTable.CellHighlighted, "#sheet-table")
    def _cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        self._show_cell()

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
        self._commit()
        if not keep_marks:
            self.marked = ()
        self.sheet_index = max(0, min(index, len(self.sheets) - 1))
        sheet_list = self.query_one("#sheet-list", OptionList)
        with sheet_list.prevent(OptionList.OptionHighlighted):
            sheet_list.highlighted = self.sheet_index
        self._place_cursor(0, 0)
        self._want_table()
        self._show_cell()

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
        if option_id.startswith("finding-"):
            self.jump_to(self._findings[int(option_id.split("-")[1])])

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
        self._place_cursor(row, column + offset)
        self.table.focus()
        self._show_cell()

    def jump_to_path(self, path: str) -> None:
        place = editing.locate(self.sheets, path)
        if place is None:
            return
        sheet, row, column = place
        self.show_sheet(sheet)
        offset = 2 if self.sheets[sheet].coded else 1
        self._place_cursor(row, column + offset)
        self.table.focus()
