"""The report preview: the open year's report as Markdown, rendered in a worker thread.

The same calls as ``zzperf report``: ``report.context_for`` and ``report.render_text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from zzperf.tui.compositor import WholeCharacters
from zzperf.tui.widgets.text import error_message

if TYPE_CHECKING:
    from zzperf.tui.app import ZzperfApp


class ReportPreviewScreen(WholeCharacters, ModalScreen[None]):
    """The open year's report as Markdown, rendered in a worker."""

    BINDINGS = [Binding("escape,q", "dismiss(None)", "关闭", id="preview.close", tooltip="关闭报告预览")]

    def __init__(self, zzperf: ZzperfApp) -> None:
        super().__init__()
        self.zzperf = zzperf
        self.workspace = zzperf.session.workspace
        self.year = zzperf.session.year

    def compose(self) -> ComposeResult:
        # with markdown-it and Pygments: loaded on the first preview
        from zzperf.tui.widgets.markdown import ProseMarkdownViewer

        with Vertical(id="preview-dialog", classes="dialog"):
            yield Static(Content.styled(f"报告预览：{self.year} 年度", "bold"), classes="dialog-title")
            yield Static("正在生成报告……", id="preview-status")
            yield ProseMarkdownViewer("", id="preview-body", show_table_of_contents=False)
            yield Static(
                Content.styled("Esc 关闭 · 宽表格：Tab 选中后 ←/→ 左右滚动 · 导出：Ctrl+P 导出报告", "$text-muted")
            )

    def on_mount(self) -> None:
        self._render_worker()

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-preview")
    def _render_worker(self) -> None:
        from zzperf.report import context_for, render_text

        try:
            text = render_text(context_for(self.workspace, self.year), "md")
        except Exception as error:  # noqa: BLE001 - shown, never raised: the app stays up
            self.app.call_from_thread(self._show_error, error_message(error))
            return
        self.app.call_from_thread(self._show, text)

    async def _show(self, text: str) -> None:
        from textual.widgets import MarkdownViewer

        if not self.is_attached:
            return
        await self.query_one(MarkdownViewer).document.update(text)
        self.query_one("#preview-status", Static).display = False
        self.query_one(MarkdownViewer).focus()

    def _show_error(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#preview-status", Static).update(Content.styled(f"无法生成报告：{message}", "$error"))
