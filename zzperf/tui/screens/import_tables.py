"""Importing 决算 tables from the TUI: the file's tables and the changes they would make, written on confirmation.

The same calls as ``zzperf import``: ``read_import``, ``plan_import`` and ``write_import``, with the CLI's
printed summary as the screen's preview. Reading runs in a worker thread.
"""

from __future__ import annotations

import os
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
from textual.widgets import Button, Input, SelectionList, Static

from zzperf.errors import ZzperfError
from zzperf.tui.compositor import WholeCharacters
from zzperf.tui.screens.dialogs import ConfirmScreen
from zzperf.tui.widgets.text import error_message

if TYPE_CHECKING:
    from zzperf.importing import ImportPlan, ImportResult
    from zzperf.tui.app import ZzperfApp


class ImportScreen(WholeCharacters, ModalScreen[None]):
    """A path, what the file holds and what it would change; writing only after confirmation."""

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
            yield Input(
                self.start_path,
                placeholder="决算 PDF、决算表文本（.txt）或 Excel（.xlsx）的路径，回车读取",
                id="import-path",
            )
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
        except Exception as error:  # noqa: BLE001 - any failure is shown in the app, never raised
            self.app.call_from_thread(self._say, f"无法导入：{error_message(error)}", True)
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
            suggestions.add_option(
                (f"采用建议：{suggestion.label} {suggestion.value}（{suggestion.year} 年度）", index)
            )
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
            summary.print_department(console, result, self.zzperf.session.workspace.profile.name)
            blocking = result.blocking()
            if blocking:
                summary.print_problems(console, blocking)
                console.print("不能导入：请先修正以上问题。", style="bold")
            elif plan is not None:
                summary.print_changes(console, plan, result.origins)
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
                f"{plan.current.year} 年度已有数据，导入会改动其中"
                f" {count} 项。原文件会先备份为 accounts.toml.bak-<时间>。",
                [("replace", "以导入为准并写入", "warning"), ("stay", "返回", "primary")],
            ),
            answered,
        )

    def _write(self, replace: bool) -> None:
        from zzperf.importing import write_import

        plan = self.plan
        assert plan is not None
        if not self.zzperf.flush():
            return
        try:
            written = write_import(self.zzperf.session.workspace, plan, replace=replace)
        except ZzperfError as error:
            self.app.notify(str(error), title="导入失败", severity="error", timeout=10)
            return
        app = self.zzperf
        self.dismiss(None)
        app.reload()
        files = "、".join(str(path) for path in written.files)
        backups = "；原文件已备份为 " + "、".join(path.name for path in written.backups) if written.backups else ""
        app.notify(f"已写入 {files}{backups}", title="已导入", timeout=10)
