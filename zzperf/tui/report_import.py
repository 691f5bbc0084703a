"""Report preview, report export and importing 决算 tables, from the TUI (issues 4 and 6).

The same calls as the CLI: ``report.context_for`` + ``report.render_text`` for the preview,
``report.write_report`` for the export, and ``read_import`` / ``plan_import`` / ``write_import`` for the
import (with the CLI's printed summary reused as the screen's preview). Slow work runs in threads.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, MarkdownViewer, SelectionList, Static

from zzperf.errors import ZzperfError
from zzperf.narrative import audit_report_text
from zzperf.tui.commands import Command, _Commands
from zzperf.tui.dialogs import ConfirmScreen

if TYPE_CHECKING:
    from zzperf.importing import ImportPlan, ImportResult
    from zzperf.report import Format
    from zzperf.tui.app import ZzperfApp

EXPORT_FORMATS: tuple[tuple[str, str], ...] = (
    ("docx", "Word 报告"),
    ("md", "Markdown 报告"),
    ("html", "网页报告"),
    ("xlsx", "Excel 自评表"),
)


def _message(error: BaseException) -> str:
    if isinstance(error, ZzperfError):
        return str(error)
    return f"{type(error).__name__}：{error}"


def flush(app: ZzperfApp) -> bool:
    """Write what the app still holds so that files on disk are what the screens show; False when not possible."""
    app._collect_pending()
    result = app.session.save_pending()
    app._update_header()
    if result.failed:
        app.notify(result.failed[0][1], title="保存失败", severity="error")
        return False
    return True


# ─── report preview ───


class ReportPreviewScreen(ModalScreen[None]):
    """The open year's report as Markdown, rendered in a worker."""

    DEFAULT_CSS = """
    #preview-dialog { width: 95%; height: 90%; max-height: 90%; }
    #preview-body { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q", "dismiss(None)", "关闭", id="preview.close", tooltip="关闭报告预览")]

    def __init__(self, zzperf: ZzperfApp) -> None:
        super().__init__()
        self.zzperf = zzperf
        self.workspace = zzperf.session.workspace
        self.year = zzperf.session.year

    def compose(self) -> ComposeResult:
        with Vertical(id="preview-dialog", classes="dialog"):
            yield Static(Content.styled(f"报告预览：{self.year} 年度", "bold"), classes="dialog-title")
            yield Static("正在生成报告……", id="preview-status")
            yield MarkdownViewer("", id="preview-body", show_table_of_contents=False)
            yield Static(Content.styled("Esc 关闭 · 导出：Ctrl+P 导出报告", "$text-muted"))

    def on_mount(self) -> None:
        self._render_worker()

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-preview")
    def _render_worker(self) -> None:
        from zzperf.report import context_for, render_text

        try:
            text = render_text(context_for(self.workspace, self.year), "md")
        except Exception as error:  # shown, never raised: the app stays up
            self.app.call_from_thread(self._show_error, _message(error))
            return
        self.app.call_from_thread(self._show, text)

    async def _show(self, text: str) -> None:
        if not self.is_attached:
            return
        await self.query_one(MarkdownViewer).document.update(text)
        self.query_one("#preview-status", Static).display = False
        self.query_one(MarkdownViewer).focus()

    def _show_error(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#preview-status", Static).update(Content.styled(f"无法生成报告：{message}", "$error"))


def open_preview(app: ZzperfApp) -> None:
    if flush(app):
        app.push_screen(ReportPreviewScreen(app))


# ─── export ───


def export_report(app: ZzperfApp, fmt: Format = "docx", out: Path | None = None) -> None:
    """Write the open year's report (``fmt``) in a worker and say where, or why not."""
    if not flush(app):
        return
    session = app.session
    workspace, year = session.workspace, session.year
    wrong = audit_report_text(session.evaluation.report, session.accounts, session.previous)

    def run() -> None:
        from zzperf.report import write_report

        try:
            path = write_report(workspace, year, fmt, out)
        except Exception as error:
            app.call_from_thread(app.notify, _message(error), title="导出失败", severity="error", timeout=10)
            return
        app.call_from_thread(app.notify, f"已导出 {path}", title="已导出报告", timeout=8)
        if wrong:
            first = wrong[0]
            app.call_from_thread(
                app.notify, f"{first.table} {first.message}", severity="warning", timeout=12,
                title=f"报告文字中有 {len(wrong)} 处数字与决算数据不符",
            )

    app.notify(f"正在导出 {year} 年度报告（{fmt}）……", timeout=2)
    app.run_worker(run, thread=True, exclusive=True, exit_on_error=False, group="report-export")


# ─── import ───


class ImportScreen(ModalScreen[None]):
    """A path, what the file holds and what it would change; writing only after confirmation."""

    DEFAULT_CSS = """
    #import-dialog { width: 110; height: 90%; max-height: 90%; }
    #import-path { margin-bottom: 1; }
    #import-preview { height: 1fr; border: round $primary 40%; }
    #import-suggestions { height: auto; max-height: 8; }
    #import-buttons { height: auto; margin-top: 1; }
    #import-buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "关闭", id="import.close", tooltip="不导入，关闭"),
        Binding("ctrl+s", "write", "写入", id="import.write", tooltip="把导入的数字写入本工作区（先备份原文件）"),
    ]

    def __init__(self, zzperf: ZzperfApp, path: str = "") -> None:
        super().__init__()
        self.zzperf = zzperf
        self.start_path = path
        self.result: ImportResult | None = None
        self.plan: ImportPlan | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static(Content.styled("导入决算表", "bold"), classes="dialog-title")
            yield Input(self.start_path, placeholder="决算表文本（.txt）或 Excel（.xlsx）的路径，回车读取", id="import-path")
            with VerticalScroll(id="import-preview"):
                yield Static("输入文件路径后按回车：先显示读到的表和会改动的数字，确认后才写入。", id="import-summary")
            yield SelectionList[int](id="import-suggestions")
            with Horizontal(id="import-buttons"):
                yield Button("写入 Ctrl+S", id="import-write", variant="primary", disabled=True)
                yield Button("关闭 Esc", id="import-close")

    def on_mount(self) -> None:
        self.query_one("#import-suggestions", SelectionList).display = False
        self.query_one(Input).focus()
        if self.start_path:
            self._read(self.start_path)

    @on(Input.Submitted, "#import-path")
    def _submitted(self, event: Input.Submitted) -> None:
        self._read(event.value)

    def _read(self, text: str) -> None:
        path = Path(os.path.expanduser(text.strip().strip("'\"")))
        if not text.strip():
            self._say("请输入文件路径。")
            return
        if not path.is_absolute():
            path = Path.cwd() / path
        self.result = self.plan = None
        self.query_one("#import-write", Button).disabled = True
        self._say(f"正在读取 {path}……")
        self._read_worker(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="import-read")
    def _read_worker(self, path: Path) -> None:
        from zzperf.importing import plan_import, read_import

        try:
            result = read_import(path)
            plan = None if result.blocking() else plan_import(self.zzperf.session.workspace, result)
        except Exception as error:
            self.app.call_from_thread(self._say, f"无法导入：{_message(error)}", True)
            return
        self.app.call_from_thread(self._show, result, plan)

    def _say(self, message: str, error: bool = False) -> None:
        self.query_one("#import-summary", Static).update(Content.styled(message, "$error" if error else ""))

    def _show(self, result: ImportResult, plan: ImportPlan | None) -> None:
        if not self.is_attached:
            return
        self.result, self.plan = result, plan
        suggestions = self.query_one("#import-suggestions", SelectionList)
        suggestions.clear_options()
        usable = [(index, s) for index, s in enumerate(result.suggestions) if s.conflict is None]
        for index, suggestion in usable:
            suggestions.add_option((f"采用建议：{suggestion.label} {suggestion.value}（{suggestion.year} 年度）", index))
        suggestions.display = bool(usable) and plan is not None
        self._refresh()

    @on(SelectionList.SelectedChanged, "#import-suggestions")
    def _suggestions_changed(self) -> None:
        if self.result is None or self.result.blocking():
            return
        from zzperf.importing import plan_import

        try:
            self.plan = plan_import(self.zzperf.session.workspace, self.result, accept=self._accepted())
        except ZzperfError as error:
            self._say(f"无法导入：{error}", True)
            return
        self._refresh()

    def _accepted(self) -> list[Any]:
        assert self.result is not None
        chosen = self.query_one("#import-suggestions", SelectionList).selected
        return [self.result.suggestions[index] for index in chosen]

    def _refresh(self) -> None:
        from zzperf.output import imports as summary

        result, plan = self.result, self.plan
        if result is None:
            return
        with open(os.devnull, "w", encoding="utf-8") as sink:
            console = Console(width=100, record=True, file=sink, color_system="truecolor", force_terminal=True)
            summary.print_result(console, result)
            workspace = self.zzperf.session.workspace
            if result.department and result.department != workspace.profile.name:
                console.print(f"注意：文件中的部门是“{result.department}”，工作区是“{workspace.profile.name}”", style="yellow")
            blocking = result.blocking()
            if blocking:
                summary.print_problems(console, blocking)
                console.print("不能导入：请先修正以上问题。", style="bold")
            elif plan is not None:
                summary.print_changes(console, plan)
                if plan.unchanged:
                    console.print("没有需要写入的改动。")
                elif plan.needs_replace:
                    console.print(
                        f"{plan.current.year} 年度已有数据，以上是导入会改动的数字。写入前会再次确认，原文件会先备份。",
                        style="bold yellow",
                    )
            text = Text.from_ansi(console.export_text(styles=True))
        self.query_one("#import-summary", Static).update(text)
        self.query_one("#import-write", Button).disabled = plan is None or bool(blocking) or plan.unchanged

    @on(Button.Pressed, "#import-close")
    def _close(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#import-write")
    def _write_pressed(self) -> None:
        self.action_write()

    def action_write(self) -> None:
        plan = self.plan
        if plan is None or plan.blocking or plan.unchanged:
            self.app.notify("没有可以写入的导入。", severity="warning")
            return
        if not plan.needs_replace:
            self._write(False)
            return
        count = len(plan.current.overwrites)

        def answered(answer: str | None) -> None:
            if answer == "replace":
                self._write(True)

        self.app.push_screen(
            ConfirmScreen(
                "以导入的数字为准？",
                f"{plan.current.year} 年度已有数据，导入会改动其中 {count} 项。原文件会先备份为 accounts.toml.bak-<时间>。",
                [("replace", "以导入为准并写入", "warning"), ("stay", "返回", "primary")],
            ),
            answered,
        )

    def _write(self, replace: bool) -> None:
        from zzperf.importing import write_import

        plan = self.plan
        assert plan is not None
        if not flush(self.zzperf):
            return
        try:
            written = write_import(self.zzperf.session.workspace, plan, replace=replace)
        except ZzperfError as error:
            self.app.notify(str(error), title="导入失败", severity="error", timeout=10)
            return
        app = self.zzperf
        self.dismiss(None)
        app._reload()
        files = "、".join(str(path) for path in written.files)
        backups = "；原文件已备份为 " + "、".join(path.name for path in written.backups) if written.backups else ""
        app.notify(f"已写入 {files}{backups}", title="已导入", timeout=10)


def open_import(app: ZzperfApp, path: str = "") -> None:
    app.push_screen(ImportScreen(app, path))


# ─── command palette ───


class ReportImportCommands(_Commands):
    """Previewing and exporting the report, importing 决算 tables."""

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        yield "预览报告", "以 Markdown 显示本年度的自评报告（Ctrl+E）", partial(open_preview, app)
        yield "导出报告", "写出本年度的 Word 报告（docx）到年度目录", partial(export_report, app, "docx")
        for fmt, name in EXPORT_FORMATS:
            yield f"导出报告：{fmt}", f"写出本年度的{name}到年度目录", partial(export_report, app, fmt)  # type: ignore[arg-type]
        yield "导入决算表", "从决算表文本或 Excel 导入本年度数据（先预览，确认后写入并备份）", partial(open_import, app)
