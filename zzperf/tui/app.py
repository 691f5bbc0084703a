"""The zzperf app: header, the 评分 / 数据 / 报告 / 对比 tabs, footer; saving, reloading, years, undo and quitting.

The panes post what the evaluator changed; the app applies it to the session, rescoring at once, hands the
new state down to every pane and saves in a worker thread. Typing is buffered for a moment and flushed on
blur, tab or year switch, and quit, so a crash or a kill loses at most the keystrokes of the last half second.
In 假设模式 (what-if) edits are scored and shown but held in the session until the user applies or discards them.
"""

from __future__ import annotations

import asyncio
import gc
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.cells import cell_len
from rich.console import RenderableType
from textual import on, work
from textual._compositor import ChopsUpdate
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import Container
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets._toast import Toast

from zzperf.amounts import fmt_score
from zzperf.checks import Finding
from zzperf.editing import EditError
from zzperf.errors import ZzperfError
from zzperf.output.lines import wrap
from zzperf.review import install as install_history
from zzperf.scoring import Seek
from zzperf.tomlio import content_digest
from zzperf.tui.commands import (
    DataCommands,
    FigureCommands,
    GeneralCommands,
    Palette,
    ReportCommands,
    ReportImportCommands,
    ScoreCommands,
)
from zzperf.tui.compositor import WholeCharacters, whole_pieces
from zzperf.tui.panes import (
    ComparePane,
    CompareState,
    DataPane,
    DataState,
    EntryForm,
    ReportPane,
    ReviewPane,
    ScorePane,
)
from zzperf.tui.screens import ConfirmScreen, HelpScreen, ImportScreen, ReportPreviewScreen, YearScreen
from zzperf.tui.session import Change, SaveResult, Session
from zzperf.tui.widgets import LazyPane, Standing, StatusHeader
from zzperf.tui.widgets.footer import KeyFooter
from zzperf.tui.widgets.text import SameLines
from zzperf.workspace import COVER_DETAILS, Workspace, remove_empty_year
from zzperf.workspace.lock import WorkspaceLock

PaneType = TypeVar("PaneType", bound=Widget)

NOTICE_RACK_GUTTER = 2
"""Cells of the terminal's width that the notices' rack keeps for its scroll bar (Textual's ToastRack)."""
NOTICE_FRAME = 4
"""Cells of a notice that are not its text: its coloured edges and a space inside each."""

WATCH_INTERVAL = 1.0
"""Seconds between checks for files changed on disk."""
TYPING_WATCH = 0.1
"""Seconds between looks at whether a pane holds typing not yet sent (for the header)."""
START_GC = (100_000, 20, 20)
"""The garbage collector's thresholds from the app's start until its first screen is complete (``_add_tabs``).

Start-up builds what lives as long as the app: the widgets, their styles and the year's models. At Python's default
(a collection every 700 net allocations) it started some 60 young collections and 5 older ones before the first frame,
and every other start a full one, walking everything the process holds; almost nothing they find is garbage. Textual
holds collection the same way while it scrolls (``App.PAUSE_GC_ON_SCROLL``). Python's thresholds, or whatever the
process had set, are back once the first screen is complete, or when the app closes before it is."""


class MainScreen(WholeCharacters, SameLines, Screen[None]):
    """The app's screen: its own lines are its background alone (the header, tabs and footer cover it)."""


BROKEN_FILE = "文件有错误，未重新载入"
"""The title of the notice of a file that could not be read again; it goes once the files read again."""


class ZzperfApp(App[None]):
    """部门整体支出绩效自评."""

    CSS_PATH = Path(__file__).with_name("zzperf.tcss")
    LATER_CSS_PATH = Path(__file__).with_name("zzperf-later.tcss")
    """The rest of the stylesheet, added before the first widget mounted after the first screen (``_register``)."""
    REVIEW_CSS_PATH = Path(__file__).with_name("zzperf-review.tcss")
    """The 复核 tab's stylesheet, read in review mode only."""
    TITLE = "zzperf 部门整体支出绩效自评"
    COMMANDS = {GeneralCommands, ScoreCommands, DataCommands, FigureCommands, ReportCommands, ReportImportCommands}
    COMMAND_PALETTE_DISPLAY = "Ctrl+P"
    NOTIFICATION_TIMEOUT = 3
    """Seconds a notice stays (errors say how long they stay); notices sit at the bottom left (zzperf.tcss)."""
    BINDINGS = [
        Binding("f1,question_mark", "help", "帮助", key_display="F1", id="app.help", tooltip="列出所有按键"),
        Binding(
            "f2",
            "show_tab('score')",
            "评分",
            key_display="F2",
            id="app.score",
            tooltip="指标树、得分与评分输入",
            show=False,
            priority=True,
        ),
        Binding(
            "f3",
            "show_tab('data')",
            "数据",
            key_display="F3",
            id="app.data",
            tooltip="决算数据表与勾稽关系",
            show=False,
            priority=True,
        ),
        Binding(
            "f4",
            "show_tab('report')",
            "报告",
            key_display="F4",
            id="app.report",
            tooltip="报告：成绩、问题、措施、应用、总体目标、封面与通知",
            show=False,
            priority=True,
        ),
        Binding(
            "f5", "switch_year", "年度", key_display="F5", id="app.year", tooltip="切换年度，或从最新年度新建下一年度"
        ),
        Binding(
            "f6",
            "show_tab('compare')",
            "对比",
            key_display="F6",
            id="app.compare",
            tooltip="各年度得分对比：图表、逐项得分、变动与审核提示",
            show=False,
            priority=True,
        ),
        Binding(
            "ctrl+z",
            "undo",
            "撤销",
            id="app.undo",
            tooltip="撤销上一次对数据或评分的修改（文本框内撤销输入）",
            show=False,
        ),
        Binding(
            "ctrl+s", "save", "保存", id="app.save", tooltip="立即写入文件（平时每次修改都已自动保存）", show=False
        ),
        Binding("ctrl+r", "reload", "重新载入", id="app.reload", tooltip="从磁盘重新读取本年度的文件", show=False),
        Binding(
            "ctrl+e",
            "preview_report",
            "预览报告",
            id="app.preview",
            tooltip="预览本年度的自评报告（Markdown）",
            show=False,
        ),
        Binding(
            "ctrl+o", "import_tables", "导入决算表", id="app.import", tooltip="导入决算表，确认后写入并备份", show=False
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "命令",
            id="app.palette",
            tooltip="命令面板：按名称查找命令、指标、数据和勾稽问题",
            show=False,
            priority=True,
        ),
        Binding("ctrl+q", "quit", "退出", id="app.quit", tooltip="保存并退出", priority=True),
        Binding("ctrl+c", "quit", "退出", id="app.quit_c", tooltip="保存并退出（在文本框内为复制）", show=False),
    ]

    class Saved(Message):
        """A save worker finished."""

        def __init__(self, result: SaveResult) -> None:
            super().__init__()
            self.result = result

    def __init__(
        self,
        session: Session,
        *,
        cursor_blink: bool = True,
        watch_interval: float = WATCH_INTERVAL,
        lock: WorkspaceLock | None = None,
    ) -> None:
        super().__init__(css_path=[self.CSS_PATH, self.REVIEW_CSS_PATH] if session.review_mode else None)
        self.session = session
        self.lock = lock
        """The workspace lock this app holds while it runs, released when it closes."""
        self.cursor_blink = cursor_blink
        self.watch_interval = watch_interval
        self.invalid_entries: dict[str, str] = {}
        self.invalid_figure: str | None = None
        self.invalid_date: str | None = None
        """Why the report date typed cannot be saved (it stays in its box), or None."""
        self._asking = False
        self._closing_down = False
        self._shown_typing = False
        self._panes: dict[type, Widget] = {}
        self._pending_figure: str | None = None
        """A figure to show once the 数据 tab is mounted."""
        self._later_css: Path | None = None
        """The rest of the stylesheet, once the first screen is composed, until it is added (``_register``)."""
        self._tabs_added = False
        """Whether the 数据, 报告 and 对比 tabs have been added (``_add_tabs``)."""
        self.active_tab = "score"
        """The id of the open tab (and of its pane on the screen): score, data, report, compare or review."""
        self._gc_thresholds: tuple[int, ...] | None = None
        """The garbage collector's thresholds to go back to once the first screen is complete (``START_GC``)."""

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="_default")

    def get_theme(self, theme_name: str) -> Theme | None:
        """Themes by name, looked up once: Textual asks for the current theme for every styled widget."""
        cache: dict[str, Theme | None] = self.__dict__.setdefault("_theme_cache", {})
        if theme_name not in cache:
            cache[theme_name] = super().get_theme(theme_name)
        return cache[theme_name]

    def register_theme(self, theme: Theme) -> None:
        self.__dict__.setdefault("_theme_cache", {}).clear()
        super().register_theme(theme)

    def _register(self, parent: Any, *widgets: Widget, **kwargs: Any) -> list[Widget]:
        """Textual's, with the rest of the stylesheet added before the first widget after the first screen."""
        path, self._later_css = self._later_css, None
        if path is not None:
            self.stylesheet.add_source(path.read_text(encoding="utf-8"), read_from=(str(path), ""))
        return super()._register(parent, *widgets, **kwargs)

    def action_command_palette(self) -> None:
        """The command palette, with a Chinese prompt."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder="输入命令、指标、数据项或勾稽问题的名称…", id="--command-palette"))

    def action_change_theme(self) -> None:
        """Textual's theme picker, prompting in Chinese (the themes keep their own names)."""
        from textual.theme import ThemeProvider

        self.push_screen(
            Palette(
                providers=[ThemeProvider],
                placeholder="输入配色主题的名称（主题名为英文，如 nord、gruvbox）…",
                what="配色主题",
            )
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The tab keys win over an editor's own (F6 selects a line in a text box) but not over a dialog."""
        if action == "show_tab" and isinstance(self.screen, ModalScreen):
            return False
        return True

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show text as is (file names and error messages may contain [brackets]), broken into lines
        at the notice's width as Chinese prose, a folder after a path separator (``notice_lines``)."""
        width = self._notice_width()
        if width is not None:
            message = notice_lines(message, width - NOTICE_FRAME)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def _notice_width(self) -> int | None:
        """A notice's width in cells: a ``Toast``'s width as the stylesheet sets it (zzperf-later.tcss), at most half
        its rack's (Textual's own Toast); None when the stylesheet gives it no width in cells."""
        toast = Toast(Notification("", "", "information", 0))
        self.stylesheet.apply(toast)
        width = toast.styles.width
        if width is None or width.cells is None:
            return None
        return min(width.cells, (self.size.width - NOTICE_RACK_GUTTER) // 2)

    def _display(self, screen: Screen, renderable: RenderableType | None) -> None:
        """Repaints write whole pieces of lines: see ``whole_pieces``."""
        if isinstance(renderable, ChopsUpdate):
            renderable = whole_pieces(renderable)
        super()._display(screen, renderable)

    def _on_notify(self, event: Notify) -> None:
        """A new information notice takes the place of those still shown (warnings and errors stay their time), so
        that notices do not pile up from the bottom over the text being edited."""
        if event.notification.severity == "information":
            for shown in [notice for notice in self._notifications if notice.severity == "information"]:
                self._unnotify(shown, refresh=False)
        super()._on_notify(event)

    # ─── layout ───

    def compose(self) -> ComposeResult:
        indicator_set = self.session.indicator_set
        tabs = [("score", "评分 F2"), ("data", "数据 F3"), ("report", "报告 F4"), ("compare", "对比 F6")]
        if self.session.review_mode:
            tabs.append(("review", "复核"))
        initial = "review" if self.session.review_mode else "score"
        self.active_tab = initial
        yield StatusHeader(tabs, initial, id="status")
        # Each tab's pane sits on the screen itself, the open one shown (no container around them to lay out).
        score = ScorePane(indicator_set, id="score")  # the tab's pane itself: one container less to lay out
        score.display = initial == "score"
        score.set_reactive(ScorePane.active, initial == "score")
        yield score
        # The other tabs are added after the first screen is shown, once its inputs are (_add_tabs).
        if self.session.review_mode:
            with Container(id="review"):
                yield ReviewPane(id="review-pane")
        yield KeyFooter()

    def _pane(self, kind: type[PaneType]) -> PaneType:
        pane = self._panes.get(kind)
        if pane is None or not pane.is_attached:
            pane = self._panes[kind] = self.query_one(kind)
        return pane  # type: ignore[return-value]

    def _maybe(self, kind: type[PaneType]) -> PaneType | None:
        """The pane, or None while it is still waiting to be mounted or its own widgets are being mounted."""
        if not self._tabs_added and kind in (DataPane, ReportPane, ComparePane):
            return None
        try:
            pane = self._pane(kind)
        except NoMatches:
            return None
        return pane if pane.is_mounted else None  # a lazy pane is found before its children are there

    @on(LazyPane.Ready)
    def _pane_ready(self, event: LazyPane.Ready) -> None:
        """A hidden tab has been mounted: hand it the state, and the focus when its tab is open."""
        if self._closing_down or not event.pane.is_attached:
            return
        if isinstance(event.pane, EntryForm):  # the first screen is complete: the hidden tabs' turn
            self._add_tabs()
        if not self.cursor_blink:
            for editor in event.pane.query("Input, TextArea"):
                editor.cursor_blink = False  # type: ignore[attr-defined]
        self._publish()
        active = self.active_tab
        if event.pane.parent is not None and getattr(event.pane.parent, "id", None) == active:
            self._focus_tab(active)
        if isinstance(event.pane, DataPane) and self._pending_figure is not None:
            path, self._pending_figure = self._pending_figure, None
            event.pane.jump_to_path(path)

    def _add_tabs(self) -> None:
        """Add the 数据, 报告 and 对比 tabs, hidden, each pane mounted after a refresh (once: at the latest when the
        first screen's inputs are mounted, sooner when one of these tabs is asked for)."""
        if self._tabs_added:
            return
        self._tabs_added = True
        self._resume_collection()
        indicator_set = self.session.indicator_set
        tabs = [
            Container(LazyPane(DataPane(indicator_set, id="data-pane")), id="data"),
            Container(LazyPane(ReportPane(id="report-pane")), id="report"),
            Container(LazyPane(ComparePane(id="compare-pane")), id="compare"),  # computes only while shown
        ]
        for tab in tabs:
            tab.display = False
        score = self.score_pane
        score.parent.mount_all(tabs, after=score)  # type: ignore[union-attr]

    @property
    def score_pane(self) -> ScorePane:
        return self._pane(ScorePane)

    @property
    def data_pane(self) -> DataPane:
        return self._pane(DataPane)

    @property
    def report_pane(self) -> ReportPane:
        return self._pane(ReportPane)

    def on_mount(self) -> None:
        self._later_css = self.LATER_CSS_PATH  # what is mounted next may need the rest of the stylesheet
        if not self.cursor_blink:
            for editor in self.query("Input, TextArea"):
                editor.cursor_blink = False  # type: ignore[attr-defined]
        self._publish()
        if self.session.review_mode:
            self.query_one("#review-table").focus()
        else:
            self.score_pane.tree.focus()
        if self.watch_interval > 0:
            self.set_interval(self.watch_interval, self._poll_disk, name="disk-watch")
        self.set_interval(TYPING_WATCH, self._watch_typing, name="typing-watch")
        try:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(number, self._terminate)
        except (NotImplementedError, RuntimeError, AttributeError, ValueError):
            pass  # no signal handlers where the platform or thread has none

    # ─── handing the state down ───

    def _publish(self) -> None:
        session = self.session
        score = self._maybe(ScorePane)
        if score is None:
            return  # being rebuilt, or the app is closing
        if score.indicator_set is not session.indicator_set:
            self.call_later(self._rebuild_panes)
            return
        with self.batch_update():
            score.generation = session.generation
            score.card = session.card
            data = self._maybe(DataPane)
            if data is not None:
                data.state = DataState(
                    session.accounts, session.previous, session.card, session.checks, session.generation
                )
            report = self._maybe(ReportPane)
            if report is not None:
                report.show(
                    session.generation, session.evaluation, session.workspace.profile, trial=session.what_if is not None
                )
                report.figures = (session.accounts, session.previous)
            compare = self._maybe(ComparePane)
            if compare is not None:
                compare.state = CompareState(
                    session.workspace, session.year, session.accounts, session.evaluation, session.generation
                )
            review_pane = self._maybe(ReviewPane) if session.review_mode else None
            if review_pane is not None:
                review_pane.comparison = session.comparison
            self._update_header()
        self.title = f"zzperf · {session.workspace.profile.name} {session.year} 年度"

    async def _rebuild_panes(self) -> None:
        """The year is scored with another indicator set: build the tree and the 数据 pane anew."""
        indicator_set = self.session.indicator_set
        await self.score_pane.remove()
        if self._tabs_added:  # else the 数据 pane is built for the new set when the tabs are added
            await self.query_one("#data", Container).remove_children()
        header = self.query_one(StatusHeader)
        score = ScorePane(indicator_set, id="score")
        score.display = self.active_tab == "score"
        score.set_reactive(ScorePane.active, self.active_tab == "score")
        await header.parent.mount(score, after=header)  # type: ignore[union-attr]
        if self._tabs_added:
            await self.query_one("#data", Container).mount(DataPane(indicator_set, id="data-pane"))
        if not self.cursor_blink:
            for editor in self.query("Input, TextArea"):
                editor.cursor_blink = False  # type: ignore[attr-defined]
        self._publish()

    def _update_header(self, saving: bool = False) -> None:
        session = self.session
        invalid = self._invalid_inputs()
        typing = self._shown_typing = self._typing()
        if session.blocked:
            state, detail = "blocked", next(iter(session.blocked.values()))
        elif session.conflicts:
            state, detail = "conflict", "文件在 zzperf 之外被修改"
        elif invalid:
            state, detail = "invalid", f"{len(invalid)} 处（{invalid[0]}）"
        elif session.what_if is not None:
            state, detail = "what_if", f"实际总分 {fmt_score(session.what_if.card.shown_total)}"
        elif session.last_error and session.has_pending:
            state, detail = "failed", session.last_error
        elif typing:
            state, detail = "typing", ""
        elif saving or session.has_pending:
            state, detail = "saving", ""
        else:
            state, detail = "saved", ""
        comparison = session.comparison
        try:
            header = self.query_one(StatusHeader)
        except NoMatches:  # a timer fired before the screen was composed, or while it closes: nothing shows it
            return
        header.standing = Standing.of(
            session.workspace.profile.name,
            session.card,
            session.checks,
            state,
            detail,
            read_only=session.read_only or "",
            reviewing=session.review_mode,
            review_total=comparison.review_total if comparison is not None else None,
            review_progress=(comparison.reviewed_count, len(comparison.lines))
            if comparison is not None and comparison.review_card is not None
            else None,
            invalid=len(invalid),
        )

    # ─── applying edits ───

    def _apply(self, change: Callable[[], Change]) -> Change | None:
        """Make a change, show it and save it; None (and a notice) when it was refused."""
        try:
            result = change()
        except EditError as error:
            self.notify(error.message, title="未保存", severity="error")
            if self.session.read_only is not None:
                self._discard_buffers()  # what was typed into a read-only year goes back to what the files hold
                self.session.generation += 1
                self._publish()
            return None
        if result.description:
            self._publish()
            self._save()
        else:
            self._update_header()  # the typing was sent, and changed nothing
        return result

    def _watch_typing(self) -> None:
        """Typing is held back for a moment (the panes keep their keys to themselves): the header says so."""
        if not self._closing_down and self._typing() != self._shown_typing:
            self._update_header()

    def _typing(self) -> bool:
        """Whether a pane holds typing not yet sent to the session."""
        score = self._maybe(ScorePane)
        form = score.form if score is not None else None
        report, data = self._maybe(ReportPane), self._maybe(DataPane)
        return bool(
            (form is not None and form.holds_typing)
            or (report is not None and report.holds_typing)
            or (data is not None and data.editing_path)
        )

    @on(ScorePane.EntryEdited)
    def _entry_edited(self, event: ScorePane.EntryEdited) -> None:
        self._apply(lambda: self.session.update_entry(event.indicator_id, event.changes))

    @on(DataPane.FigureEdited)
    def _figure_edited(self, event: DataPane.FigureEdited) -> None:
        try:
            self._apply(lambda: self.session.set_figure(event.path, event.text))
        finally:
            event.release()

    @on(DataPane.LineAdded)
    def _line_added(self, event: DataPane.LineAdded) -> None:
        self._apply(lambda: self.session.add_line(event.sheet, event.code, event.name))

    @on(DataPane.LineRemoved)
    def _line_removed(self, event: DataPane.LineRemoved) -> None:
        change = self._apply(lambda: self.session.remove_line(event.sheet, event.code))
        if change is not None:
            self.notify(f"已{change.description}（Ctrl+Z 撤销）。", timeout=4)

    @on(ReportPane.DateDraft)
    def _date_draft(self, event: ReportPane.DateDraft) -> None:
        self.invalid_date = event.error
        self._update_header()

    @on(ReportPane.ReportEdited)
    def _report_edited(self, event: ReportPane.ReportEdited) -> None:
        self._apply_report(event.changes)

    def _apply_report(self, changes: dict[str, str]) -> None:
        """The report screen's changes: the year's texts to the session, the department's cover details written to
        its profile at once."""
        department = {key: text for key, text in changes.items() if key in COVER_DETAILS}
        year = {key: text for key, text in changes.items() if key not in department}
        if year:
            self._apply(lambda: self.session.update_report(**year))
        if department:
            try:
                changed = self.session.update_profile(**department)
            except ZzperfError as error:
                self.notify(error.message, title="部门信息未保存", severity="error", timeout=10)
                return
            if changed:
                self._update_header()

    @on(ReviewPane.ReviewEdited)
    def _review_edited(self, event: ReviewPane.ReviewEdited) -> None:
        try:
            self.session.set_review(event.indicator_id, event.score, event.reason, event.opinion)
        except ZzperfError as error:
            self.query_one(ReviewPane).refuse(error.message)  # below the fields: no notice over what is typed
            return
        self._publish()
        node = self.session.indicator_set.by_id.get(event.indicator_id)
        self.notify(f"已记录“{node.name if node else event.indicator_id}”的复核。", title="已保存", timeout=2)

    @on(EntryForm.DraftsChanged)
    def _entry_drafts(self, event: EntryForm.DraftsChanged) -> None:
        self.invalid_entries = dict(event.invalid)
        self._update_header()

    @on(DataPane.DraftChanged)
    def _figure_draft(self, event: DataPane.DraftChanged) -> None:
        self.invalid_figure = event.error
        self._update_header()

    def _collect_pending(self) -> None:
        """Apply what the panes are still holding back (typing not yet sent) to the session, synchronously."""
        form = self.score_pane.form
        entry = form.take_pending() if form is not None else None
        if entry is not None:
            self._apply(lambda: self.session.update_entry(*entry))
        report_pane, data_pane = self._maybe(ReportPane), self._maybe(DataPane)
        report = report_pane.take_pending() if report_pane is not None else None
        if report:
            self._apply_report(report)
        figure = data_pane.take_pending() if data_pane is not None else None
        if figure is not None:
            self._apply(lambda: self.session.set_figure(*figure))

    def flush(self) -> bool:
        """Write what the panes and the session still hold, so that the files on disk are what the panes show.

        False (and a notice saying why) when a file could not be written.
        """
        self._collect_pending()
        result = self.session.save_pending()
        self._update_header()
        if result.failed:
            self.notify(result.failed[0][1], title="保存失败", severity="error")
            return False
        return True

    def _has_unsaved(self) -> bool:
        return bool(
            self.session.has_pending or self.session.what_if_changed or self._typing() or self._invalid_inputs()
        )

    def _invalid_inputs(self) -> list[str]:
        """The error of each input typed that cannot be saved: a figure, the report's date, leaves' scores."""
        return [error for error in (self.invalid_figure, self.invalid_date) if error] + [*self.invalid_entries.values()]

    # ─── what-if ───

    def start_what_if(self) -> None:
        """Try scores and figures out: edits are scored and shown but not written until applied."""
        if self.session.what_if is not None:
            self.notify("已在假设模式中。", timeout=2)
            return
        self._collect_pending()
        self.session.start_what_if()
        self._publish()  # the header and the report's count say what is tried is not written
        self.notify(
            "此后的修改只用于试算，不写入文件。命令面板（Ctrl+P）中“应用假设的修改”写入文件，“放弃假设的修改”恢复原样。",
            title="假设模式",
            timeout=6,
        )

    def apply_what_if(self) -> None:
        """Keep the trial's edits: write them to the files."""
        self._collect_pending()
        kinds = self.session.apply_what_if()
        self._update_header()
        if kinds:
            self._save()
        names = "、".join(self.session.path(kind).name for kind in kinds)
        self.notify(f"假设的修改已写入 {names}。" if kinds else "假设模式中没有修改。", title="已应用", timeout=3)

    def discard_what_if(self) -> None:
        """Drop the trial's edits: the year is as it was, as the files still hold it."""
        if self.session.what_if is None:
            return
        self._discard_buffers()
        self.session.discard_what_if()
        self._publish()
        self.notify("已放弃假设的修改，文件未改动。", title="已放弃", timeout=3)

    def end_what_if(self, then: Callable[[], None] | None = None) -> None:
        """Ask whether to apply or discard the trial, then carry on with ``then`` (not when the user stays)."""
        self._collect_pending()
        if not self.session.what_if_changed:
            self.discard_what_if()
            if then is not None:
                then()
            return

        def answered(answer: str | None) -> None:
            if answer == "apply":
                self.apply_what_if()
            elif answer == "discard":
                self.discard_what_if()
            if answer in ("apply", "discard") and then is not None:
                then()

        self.push_screen(
            ConfirmScreen(
                "结束假设模式",
                "假设模式中的修改还没有写入文件。应用会把它们写入文件；放弃会恢复为进入假设模式前的样子。",
                [("apply", "应用修改", "primary"), ("discard", "放弃修改", "error"), ("stay", "继续假设", "default")],
            ),
            answered,
        )

    # ─── saving ───

    @work(thread=True, exclusive=True, exit_on_error=False, group="save")
    def _save_worker(self) -> None:
        self.post_message(self.Saved(self.session.save_pending()))

    def _save(self) -> None:
        """Write the queue in a worker, started once the change is on screen (the writing never delays that)."""
        self._update_header(saving=True)
        self.call_after_refresh(self._save_worker)

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        if event.result.conflicts and not self._closing_down:
            self._ask_about_conflicts()
        for kind, reason in event.result.failed:
            name = self.session.path(kind).name
            self.notify(
                f"{name}：{reason}。修改仍在内存中，将在下次修改或按 Ctrl+S 时重试。",
                title="保存失败",
                severity="error",
                timeout=8,
            )
        self._update_header()

    def action_save(self) -> None:
        self._collect_pending()
        if self.session.conflicts:
            self._ask_about_conflicts()
            return
        if self.session.blocked:
            self._ask_overwrite_blocked()
            return
        result = self.session.save_pending()
        self._update_header()
        if result.failed:
            self.notify(result.failed[0][1], title="保存失败", severity="error")
        else:
            self.notify("所有修改都已写入文件。", title="已保存", timeout=2)

    # ─── files changed on disk ───

    def _poll_disk(self) -> None:
        if self._asking or self._closing_down:
            return
        changed = self.session.watch.changed()
        if not changed:
            return
        if self._has_unsaved():
            self._ask_about_disk(changed)
        else:
            self.reload(changed)

    def _names(self, paths: list[Path]) -> str:
        root = self.session.workspace.root
        return "、".join(str(path.relative_to(root)) if path.is_relative_to(root) else str(path) for path in paths)

    def reload(self, changed: list[Path] | None = None) -> None:
        """Read the open year again from disk and show it; ``changed`` are the files that changed outside zzperf.

        When a file cannot be read, the app keeps what it shows and writes nothing over the files in ``changed``.
        """
        try:
            self.session.reload()
        except ZzperfError as error:
            for path in changed or []:
                self.session.watch.record(path)
                kind = self.session.kind_of(path)
                if kind is not None:
                    self.session.blocked[kind] = f"{path.name}，修改暂不写入"
            self.notify(str(error), title=BROKEN_FILE, severity="error", timeout=15)
            self._update_header()
            return
        self._discard_buffers()
        self._publish()
        for notice in [notice for notice in self._notifications if notice.title == BROKEN_FILE]:
            self._unnotify(notice)  # the error it said of a file no longer holds (other notices stay their time)
        if changed:
            self.notify(f"{self._names(changed)} 在 zzperf 之外被修改，已重新载入。", title="已重新载入", timeout=4)

    def _discard_buffers(self) -> None:
        form = self.score_pane.form
        if form is not None:
            form.discard_drafts()
        report, data = self._maybe(ReportPane), self._maybe(DataPane)
        if report is not None:
            report.take_pending()
        if data is not None:
            data.discard_draft()
        self.invalid_entries, self.invalid_figure, self.invalid_date = {}, None, None

    def _ask_about_conflicts(self) -> None:
        """Ask about the files whose save was refused because they changed on disk."""
        self._ask_about_disk([self.session.path(kind) for kind in self.session.conflicts])

    def _ask_about_disk(self, changed: list[Path]) -> None:
        """Ask whether to load the disk's version or write over it; until then nothing is written over it."""
        if self._asking:
            return
        self._asking = True
        bases: dict[Path, str] = {}
        for path in changed:
            kind = self.session.kind_of(path)
            if kind is not None:
                self.session.conflicts.setdefault(kind, "文件在 zzperf 之外被修改")
            try:
                bases[path] = content_digest(path)
            except ZzperfError:
                pass  # no longer a file: writing over it is refused when tried
        self._update_header()

        def answered(answer: str | None) -> None:
            self._asking = False
            if answer == "disk":
                self.session.discard_pending()
                self.reload(changed)
            elif answer == "mine":
                self._collect_pending()
                self.session.keep_mine(bases)
                self._save()

        self.push_screen(
            ConfirmScreen(
                "文件在 zzperf 之外被修改",
                f"{self._names(changed)} 已被其他程序修改，而这里还有未保存的修改。\n"
                "载入磁盘上的版本会放弃这里未保存的修改；保留我的修改会用这里的内容覆盖磁盘文件。",
                [("disk", "载入磁盘上的版本", "warning"), ("mine", "保留我的修改", "primary")],
                can_cancel=False,
            ),
            answered,
        )

    def _ask_overwrite_blocked(self, then: Callable[[], None] | None = None) -> None:
        reasons = "；".join(self.session.blocked.values())

        def answered(answer: str | None) -> None:
            if answer == "overwrite":
                self.session.blocked.clear()
                self.session.queue_all()
                result = self.session.save_pending()
                self._update_header()
                if result.failed:
                    self.notify(result.failed[0][1], title="保存失败", severity="error")
                    return
            if answer in ("overwrite", "drop") and then is not None:
                then()

        answers = [("overwrite", "用这里的内容覆盖", "primary"), ("stay", "先去修正文件", "default")]
        if then is not None:
            answers.insert(1, ("drop", "不保存，直接退出", "error"))
        self.push_screen(
            ConfirmScreen("磁盘文件有错误", f"{reasons}。\n修正文件后 zzperf 会自动重新载入。", answers), answered
        )

    def action_reload(self) -> None:
        if self._has_unsaved():
            self._collect_pending()
            self._ask_about_disk(self.session.watched_paths()[1:3])
        else:
            self.reload()
            self.notify("已从磁盘重新载入。", timeout=2)

    # ─── years ───

    def action_switch_year(self) -> None:
        def chosen(choice: tuple[str, int] | None) -> None:
            if choice is None:
                return
            action, year = choice
            if action == "new":
                self.action_new_year()
            elif action == "remove":
                self.ask_remove_year(year)
            elif year != self.session.year:
                self.open_year(year)

        workspace = self.session.workspace
        years = workspace.years()
        empty = {year for year in years if not workspace.has_data(year)}
        self.push_screen(YearScreen(years, self.session.year, empty), chosen)

    def open_year(self, year: int, quiet: bool = False) -> None:
        """Save what is open and show ``year`` (``quiet``: without the notice saying so)."""
        if not self._leave_year():
            return
        try:
            self.session.load(year)
        except ZzperfError as error:
            self.notify(str(error), title=f"无法打开 {year} 年度", severity="error", timeout=10)
            return
        self._discard_buffers()
        data = self._maybe(DataPane)
        if data is not None:
            data.sheet_index = 0
        self._publish()
        if not quiet:
            self.notify(f"已打开 {year} 年度。", timeout=2)

    def _leave_year(self) -> bool:
        """Write everything before leaving the year; False (and say why) when that is not possible."""
        self._collect_pending()
        if self.session.what_if is not None:
            self.end_what_if()
            return False
        if self._invalid_inputs():
            self.notify("有无效的输入尚未保存，请先修正（或清空）后再切换年度。", title="不能切换", severity="warning")
            return False
        if self.session.blocked:
            self._ask_overwrite_blocked()
            return False
        result = self.session.save_pending()
        if result.failed:
            self.notify(result.failed[0][1], title="保存失败，不能切换年度", severity="error")
            return False
        if self.session.conflicts:
            self._ask_about_conflicts()
            return False
        return True

    def action_new_year(self) -> None:
        """Ask, then start the year after the latest one."""
        years = self.session.workspace.years()
        if not years:
            return
        latest = years[-1]

        def answered(answer: str | None) -> None:
            if answer == "create":
                self.create_new_year()

        self.push_screen(
            ConfirmScreen(
                f"新建 {latest + 1} 年度？",
                f"将新建 {latest + 1} 年度：带入 {latest} 年度的绩效目标和科目，数据为空。\n"
                "新年度没有数据时，可在“切换年度”（F5）中用 Delete 删除。",
                [("create", f"新建 {latest + 1} 年度", "primary"), ("cancel", "取消", "default")],
            ),
            answered,
        )

    def create_new_year(self) -> None:
        """Start the year after the latest one and open it."""
        if not self._leave_year():
            return
        try:
            year = self.session.start_new_year()
        except ZzperfError as error:
            self.notify(error.message, title="不能新建年度", severity="error")
            return
        self.open_year(year, quiet=True)
        self.notify(
            f"已新建 {year} 年度：绩效目标的指标值已带入，请在“数据”中填写本年数据。", title="新年度", timeout=4
        )

    def ask_remove_year(self, year: int) -> None:
        """Ask, then delete a year that holds no data (a year with data is never removed)."""
        workspace = self.session.workspace

        def answered(answer: str | None) -> None:
            if answer != "remove":
                return
            if year == self.session.year:
                others = [other for other in workspace.years() if other != year]
                if not others:
                    self.notify("这是工作区唯一的年度，不能删除。", title="不能删除", severity="warning")
                    return
                self.open_year(next((o for o in reversed(others) if workspace.has_data(o)), others[-1]), quiet=True)
                if self.session.year == year:
                    return  # could not leave the year: the reason has been shown
            try:
                remove_empty_year(workspace, year)
            except ZzperfError as error:
                self.notify(error.message, title="不能删除年度", severity="error")
                return
            self._publish()
            self.notify(f"已删除空的 {year} 年度。", timeout=3)

        self.push_screen(
            ConfirmScreen(
                f"删除 {year} 年度？",
                f"{year} 年度没有任何数据和评分。删除后，它的文件夹和其中的 accounts.toml、evaluation.toml 都会删除。",
                [("keep", "保留", "primary"), ("remove", f"删除 {year} 年度", "error")],
            ),
            answered,
        )

    # ─── undo ───

    def action_undo(self) -> None:
        self._collect_pending()
        change = self.session.undo()
        if change is None:
            self.notify("没有可以撤销的修改。", timeout=2)
            return
        self._discard_buffers()
        self._publish()
        self._save()
        self.notify(f"已{change.description}。", timeout=2)

    # ─── moving around ───

    def action_show_tab(self, tab: str) -> None:
        self._collect_pending()
        if tab != "score":
            self._add_tabs()
        if self.active_tab != tab:
            with self.batch_update():
                self.query_one(f"#{self.active_tab}").display = False
                self.query_one(f"#{tab}").display = True
            self.active_tab = tab
            self.query_one(StatusHeader).active_tab = tab
            self.score_pane.active = tab == "score"
        self._focus_tab(tab)

    def _focus_tab(self, tab: str) -> None:
        """Focus the main widget of a tab (when it is mounted; a lazy tab focuses itself once it is)."""
        if tab == "score":
            target: Widget | None = self.score_pane.tree
        else:
            kind, selector = {
                "data": (DataPane, "#sheet-table"),
                "report": (ReportPane, "#report-sections"),
                "compare": (ComparePane, "DataTable"),
                "review": (ReviewPane, "#review-table"),
            }[tab]
            pane = self._maybe(kind)
            try:
                target = pane.query_one(selector) if pane is not None else None
            except NoMatches:
                target = None  # mounted, its widgets not yet: it focuses itself once they are
        if target is None:
            # Not mounted yet (it focuses itself once it is). Let go of the old tab's focus now: else, when that
            # tab hides, Textual hands the focus to its next widget, and that would re-open the old tab.
            self.screen.set_focus(None)
            return
        target.focus()
        self.call_after_refresh(target.focus)  # once the tab is shown, in case it was still hidden

    def seek(self, kind: Seek) -> None:
        self.action_show_tab("score")
        self.score_pane.action_seek(kind)

    def go_to_indicator(self, indicator_id: str) -> None:
        self.action_show_tab("score")
        self.score_pane.select(indicator_id)

    def go_to_sheet(self, index: int) -> None:
        self.action_show_tab("data")
        self.data_pane.show_sheet(index)

    def go_to_finding(self, finding: Finding) -> None:
        self.action_show_tab("data")
        self.data_pane.jump_to(finding)

    def go_to_figure(self, path: str) -> None:
        """Open the 数据 tab on the cell of ``path`` (once the tab is mounted, when it is not yet)."""
        self.action_show_tab("data")
        pane = self._maybe(DataPane)
        if pane is None or pane.state is None:
            self._pending_figure = path
        else:
            pane.jump_to_path(path)

    def go_to_figure_in(self, year: int, path: str) -> None:
        """Open ``year`` (saving the open one first) and its 数据 tab on the cell of ``path``."""
        if year != self.session.year:
            if year not in self.session.workspace.years():
                self.notify(
                    f"工作区还没有 {year} 年度：请先在“切换年度”（F5）中建立。", title="没有该年度", severity="warning"
                )
                return
            self.open_year(year)
            if self.session.year != year:
                return  # could not leave the open year: the reason has been shown
        self.go_to_figure(path)

    def go_to_report(self, key: str) -> None:
        self.action_show_tab("report")
        pane = self.report_pane
        sections = pane.query_one("#report-sections", OptionList)
        sections.highlighted = sections.get_option_index(key)
        pane.query_one("#report-evaluator" if key == "meta" else f"#report-{key}").focus()

    def action_preview_report(self) -> None:
        if self.flush():
            self.push_screen(ReportPreviewScreen(self))

    def action_import_tables(self) -> None:
        if self.session.what_if is not None:
            self.end_what_if(then=self.action_import_tables)
            return
        self.push_screen(ImportScreen(self))

    def action_help(self) -> None:
        self.push_screen(
            HelpScreen(
                [
                    ("全局", [b for b in self.BINDINGS if isinstance(b, Binding)]),
                    ("评分", list(ScorePane.BINDINGS)),  # type: ignore[arg-type]
                    ("数据", list(DataPane.BINDINGS)),  # type: ignore[arg-type]
                    ("报告文字", list(ReportPane.BINDINGS)),  # type: ignore[arg-type]
                ]
            )
        )

    # ─── quitting ───

    async def action_quit(self) -> None:
        self._collect_pending()
        if self.session.what_if is not None:
            self.end_what_if(then=self.exit_when_saved)
            return
        if self.session.blocked:
            self._ask_overwrite_blocked(then=self._exit_after_save)
            return
        invalid = self._invalid_inputs()
        if invalid:

            def answered(answer: str | None) -> None:
                if answer == "quit":
                    self._exit_after_save()

            self.push_screen(
                ConfirmScreen(
                    "还有无效的输入",
                    f"有 {len(invalid)} 处输入无效，不能保存（{invalid[0]}）。其余修改都已保存。",
                    [("stay", "返回修改", "primary"), ("quit", "放弃这些输入并退出", "error")],
                ),
                answered,
            )
            return
        self._exit_after_save()

    def exit_when_saved(self) -> None:
        """Quit as Ctrl+Q does, once a what-if trial has been settled."""
        self.call_later(self.action_quit)

    def _exit_after_save(self) -> None:
        result = self.session.save_pending()
        if self.session.conflicts:
            self._ask_about_conflicts()
            return
        if result.failed:

            def answered(answer: str | None) -> None:
                if answer == "quit":
                    self._closing_down = True
                    self.exit()

            self.push_screen(
                ConfirmScreen(
                    "保存失败",
                    f"{result.failed[0][1]}\n现在退出会丢失尚未写入的修改。",
                    [("stay", "返回", "primary"), ("quit", "仍然退出", "error")],
                ),
                answered,
            )
            return
        self._closing_down = True
        self.exit()

    def on_load(self) -> None:
        """Hold collection until the first screen is complete (``START_GC``)."""
        self._gc_thresholds = gc.get_threshold()
        gc.set_threshold(*START_GC)

    def _resume_collection(self) -> None:
        """Back to the thresholds the app found (see ``START_GC``); once."""
        thresholds, self._gc_thresholds = self._gc_thresholds, None
        if thresholds is not None:
            gc.set_threshold(*thresholds)

    def on_unmount(self) -> None:
        self._resume_collection()
        if self.lock is not None:
            self.lock.release()

    def _terminate(self) -> None:
        """SIGTERM or SIGHUP: write what can be written and leave without asking."""
        try:
            self._collect_pending()
            self.session.save_pending()
            self.session.save_aside()
        finally:
            self._closing_down = True
            self.exit()


def make_app(
    workspace_path: Path | str,
    year: int | None = None,
    *,
    cursor_blink: bool = True,
    watch_interval: float = WATCH_INTERVAL,
    review: bool = False,
) -> ZzperfApp:
    """The app for the workspace at ``workspace_path`` (latest year unless ``year``); used by the CLI and tests.

    ``review``: review mode (the department's files read-only, the 复核 tab editable). Every write the app makes is
    logged in the workspace's change log, however the app is started.
    Raises ZzperfError when the folder is not a workspace or a file cannot be read.
    Holds the workspace lock from here until the app closes: raises WorkspaceLocked when another zzperf holds it.
    """
    install_history()
    workspace = Workspace(Path(workspace_path))
    lock = WorkspaceLock.acquire(workspace.root)
    try:
        workspace.remove_stale_temporaries()
        session = Session(workspace, year, review=review)
    except BaseException:
        lock.release()
        raise
    return ZzperfApp(session, cursor_blink=cursor_blink, watch_interval=watch_interval, lock=lock)


def run(workspace_path: Path | str, year: int | None = None, **kwargs: Any) -> None:
    """Run the app in the terminal, then write anything still queued (should the app have stopped abnormally).

    An unexpected error inside the app is raised here once the terminal is restored, for the CLI to report;
    Textual's own traceback is kept off the screen.
    """
    import io

    from rich.console import Console

    app = make_app(workspace_path, year, **kwargs)
    app.error_console = Console(file=io.StringIO(), markup=False, highlight=False)
    try:
        app.run()
    finally:
        try:
            app.session.save_pending()
            app.session.save_aside()
        finally:
            if app.lock is not None:
                app.lock.release()
    if app._exception is not None:  # Textual keeps the first unhandled error here
        raise app._exception


def notice_lines(text: str, width: int) -> str:
    """``text`` with a line break wherever a notice ``width`` cells wide breaks it: a folder (a line ending with a path
    separator) after a separator, when one fits; any other line as Chinese prose (``wrap``), so that a
    file name keeps “2018年度” whole. Textual would fold both at the exact width."""
    if width < 10:
        return text
    lines: list[str] = []
    for line in text.split("\n"):
        if line.endswith(("/", os.sep)) and " " not in line:
            while cell_len(line) > width:
                fits = next(end for end in range(len(line), 0, -1) if cell_len(line[:end]) <= width)
                cut = max(line.rfind("/", 0, fits), line.rfind(os.sep, 0, fits))
                cut = cut + 1 if cut > 0 else fits
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
        else:
            lines += wrap(line, width)
    return "\n".join(lines)
