"""The 复核 tab of review mode: every leaf's 自评 beside the reviewer's 复核, and the 复核 of the chosen one to edit.

The department's own figures and 自评 stay read-only in the other tabs; here the reviewer types 复核得分, 理由
and 意见 for the highlighted indicator and presses Enter, and the app writes them to the year's ``review.toml``.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import DataTable, Input, Static

from zzperf.amounts import fmt_score, fmt_signed
from zzperf.review import ReviewComparison, ReviewLine
from zzperf.tui.widgets.prose import ProseText
from zzperf.tui.widgets.steady import SteadyTable

COLUMNS = ("指标", "分值", "自评", "复核", "差", "理由", "意见", "提示")
FIGURE_WIDTH = 6
"""Cells of the score columns (分值, 自评, 复核, 差): room for ``+10.00``, so the header stays put as scores arrive."""


class ReviewPane(Vertical):
    """A table of the leaves with 自评 and 复核, and three fields for the highlighted leaf's 复核."""

    class ReviewEdited(Message):
        """The reviewer asked to record a leaf's 复核得分 (typed text, empty keeps it), 理由 and 意见."""

        def __init__(self, indicator_id: str, score: str, reason: str, opinion: str) -> None:
            super().__init__()
            self.indicator_id = indicator_id
            self.score = score
            self.reason = reason
            self.opinion = opinion

    comparison: var[ReviewComparison | None] = var(None, always_update=True, init=False)

    def compose(self) -> ComposeResult:
        table: DataTable[str | Text] = SteadyTable(id="review-table", cursor_type="row", zebra_stripes=True)
        for column in COLUMNS:
            table.add_column(column, width=FIGURE_WIDTH if column in ("分值", "自评", "复核", "差") else None)
        yield table
        with Vertical(id="review-form"):
            yield Static("", id="review-current")
            with Horizontal(id="review-fields"):
                yield Input(placeholder="复核得分", id="review-score")
                yield Input(placeholder="理由：与自评不同的依据", id="review-reason")
                yield Input(placeholder="意见：意见或整改要求", id="review-opinion")
            yield ProseText("", id="review-error")
            yield Static("在任一栏按 Enter 记录本项复核（写入本年度的 review.toml，部门的自评不变）", id="review-hint")

    @property
    def current(self) -> ReviewLine | None:
        """The highlighted leaf."""
        comparison = self.comparison
        if comparison is None or not comparison.lines:
            return None
        row = self.query_one("#review-table", DataTable).cursor_row
        return comparison.lines[min(max(row, 0), len(comparison.lines) - 1)]

    def watch_comparison(self, comparison: ReviewComparison | None) -> None:
        if comparison is None:
            return
        table = self.query_one("#review-table", DataTable)
        row = table.cursor_row
        table.clear()
        for line in comparison.lines:
            table.add_row(
                # the name alone (with its group when another leaf shares it): an id would push the figures off
                Text(line.label),
                fmt_score(line.points),
                fmt_score(line.self_score),
                fmt_score(line.review_score) if line.review_score is not None else "—",
                "" if line.difference is None else fmt_signed(line.difference),
                Text(line.reason),
                Text(line.opinion),
                Text("；".join(line.flags), style="yellow"),
                key=line.indicator_id,
            )
        if comparison.lines:
            table.move_cursor(row=min(max(row, 0), len(comparison.lines) - 1))
        self._show_current()

    @on(DataTable.RowHighlighted, "#review-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_current()

    @on(DataTable.RowSelected, "#review-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a leaf: into its 复核得分, as Enter on the score tab goes into a leaf's inputs."""
        event.stop()
        self.query_one("#review-score", Input).focus()

    def _show_current(self) -> None:
        line = self.current
        if line is None:
            return
        self.query_one("#review-error", ProseText).update("")
        self.query_one("#review-current", Static).update(
            Text(f"{line.label}（分值 {fmt_score(line.points)}，自评 {fmt_score(line.self_score)}）")
        )
        self.query_one("#review-score", Input).value = "" if line.review_score is None else fmt_score(line.review_score)
        self.query_one("#review-reason", Input).value = line.reason
        self.query_one("#review-opinion", Input).value = line.opinion

    def refuse(self, message: str) -> None:
        """Say below the fields why the 复核 was not recorded; what was typed stays for the reviewer to complete."""
        self.query_one("#review-error", ProseText).update(Content.styled(message, "bold $error"))

    @on(Input.Submitted, "#review-fields Input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        line = self.current
        if line is None:
            return
        self.post_message(
            self.ReviewEdited(
                line.indicator_id,
                self.query_one("#review-score", Input).value,
                self.query_one("#review-reason", Input).value,
                self.query_one("#review-opinion", Input).value,
            )
        )
