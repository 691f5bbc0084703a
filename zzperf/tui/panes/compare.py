"""The 对比 tab: the workspace's years side by side, a chart of the total and first-level scores by year,
and what moved most and what a reviewer will ask about.

The comparison comes from ``zzperf.compare`` (the same one the CLI and the report use), computed in a
worker thread from the files and the open year as it stands in the session (saved or not), and only
while the tab is shown.

The chart is drawn with block characters in one small widget rather than with textual-plotext: a few
bars per year need no plotting library, and that wrapper (last released for much older Textual) would
add plotext and a second constraint on the pinned Textual for no gain. Bars measure CJK labels with
``cell_len`` and take their colours from the theme.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive, var
from textual.widget import Widget
from textual.widgets import DataTable, Static

from zzperf.amounts import fmt_score
from zzperf.compare import Cell, YearComparison, compare_years
from zzperf.errors import ZzperfError
from zzperf.tui.widgets.prose import ProseText
from zzperf.tui.widgets.steady import SteadyTable

if TYPE_CHECKING:
    from zzperf.accounts import Accounts
    from zzperf.evaluation import Evaluation
    from zzperf.workspace import Workspace

EIGHTHS = " ▏▎▍▌▋▊▉"


@dataclass(frozen=True)
class CompareState:
    """What the app hands down: the workspace and the open year as the session holds it."""

    workspace: Workspace
    year: int
    accounts: Accounts
    evaluation: Evaluation
    generation: int


def block_bar(share: Decimal, width: int) -> str:
    """A horizontal bar ``share`` percent of ``width`` cells long, in eighths of a cell."""
    share = min(Decimal(100), max(Decimal(0), share))
    eighths = int(share * width * 8 / 100)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "")


class ScoreChart(Widget):
    """The total and each first-level group by year: one bar per year, as a share of the points.

    Shares make groups of different points (and years scored with different sets) comparable; the
    score itself is printed after each bar. A year without a score shows its status, not an empty bar.
    """

    COMPONENT_CLASSES = {"score-chart--bar", "score-chart--latest", "score-chart--missing", "score-chart--label"}

    comparison: reactive[YearComparison | None] = reactive(None, layout=True)

    def series(self) -> list[tuple[str, dict[int, Cell | None]]]:
        comparison = self.comparison
        if comparison is None:
            return []
        lines: list[tuple[str, dict[int, Cell | None]]] = [("总分", dict(comparison.totals))]
        lines += [(row.name, row.cells) for row in comparison.top_rows]
        return lines

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        comparison = self.comparison
        if comparison is None:
            return 1
        return len(self.series()) * len(comparison.years) + 1

    def render(self) -> RenderableType:
        comparison = self.comparison
        if comparison is None:
            return Text("正在计算……")
        series = self.series()
        label_width = max(cell_len(name) for name, _ in series) + 1
        values = {(name, year): self._value(cell) for name, cells in series for year, cell in cells.items()}
        value_width = max(cell_len(text) for text in values.values()) + 1
        bar_width = max(8, self.content_size.width - label_width - 6 - value_width)
        styles = {
            key: self.get_component_rich_style(f"score-chart--{key}") for key in ("bar", "latest", "missing", "label")
        }
        text = Text(no_wrap=True, overflow="ellipsis")
        for name, cells in series:
            for index, year in enumerate(comparison.years):
                label = name if index == 0 else ""
                text.append(label + " " * (label_width - cell_len(label)), styles["label"])
                text.append(f"{year} │")
                cell = cells.get(year)
                value = values[(name, year)]
                if cell is None or cell.rate is None:
                    text.append(value, styles["missing"])
                else:
                    drawn = block_bar(cell.rate, bar_width)
                    text.append(drawn, styles["latest" if year == comparison.latest else "bar"])
                    text.append(" " * (bar_width - cell_len(drawn) + 1) + value)
                text.append("\n")
        text.append(f"{' ' * label_width}     └ 条形为得分率（得分 ÷ 分值）", "dim")
        return text

    @staticmethod
    def _value(cell: Cell | None) -> str:
        if cell is None:
            return "—（无此指标）"
        if cell.score is None:
            return cell.score_text
        return f"{cell.score_text}/{fmt_score(cell.points).removesuffix('.00')}"


class ScrollWhenLong(VerticalScroll):
    """A box (the chart, the signals beside it) scrolled when the terminal is too low for all it holds (↑ ↓ PageUp
    PageDown)."""

    def allow_focus(self) -> bool:
        """Tab stops here only when there is something to scroll, so that it reaches the table sooner."""
        return self.max_scroll_y > 0


class CompareTable(SteadyTable):
    """Every indicator's score by year; its key bar says how to scroll it."""

    BINDINGS = [
        Binding("pagedown", "page_down", "下翻一页", key_display="PgDn"),
        Binding("pageup", "page_up", "上翻一页", key_display="PgUp"),
    ]


class ComparePane(Vertical):
    """对比: the chart and the signals on top, every indicator's score by year below."""

    class Computed(Message):
        """The worker finished a comparison (or found a file it cannot read)."""

        def __init__(self, comparison: YearComparison | None, error: str | None, generation: int) -> None:
            super().__init__()
            self.comparison = comparison
            self.error = error
            self.generation = generation

    state: var[CompareState | None] = var(None, always_update=True, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.comparison: YearComparison | None = None
        self._shown = False
        self._stale = True

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-title")
        with Horizontal(id="compare-top"):
            with ScrollWhenLong(id="compare-chart-box"):
                yield ScoreChart(id="compare-chart")
            with ScrollWhenLong(id="compare-side"):
                yield ProseText(id="compare-signals")
        yield CompareTable(id="compare-table", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable:
        return self.query_one("#compare-table", DataTable)

    # ─── computing only while shown ───

    def watch_state(self) -> None:
        self._stale = True
        if self._shown:
            self._start()

    def on_show(self) -> None:
        self._shown = True
        if self._stale:
            self._start()

    def on_hide(self) -> None:
        self._shown = False

    def _start(self) -> None:
        state = self.state
        if state is None:
            return
        self._stale = False
        self._compute(state)

    @work(thread=True, exclusive=True, exit_on_error=False, group="compare")
    def _compute(self, state: CompareState) -> None:
        try:
            comparison = compare_years(
                state.workspace, state.workspace.years(), loaded={state.year: (state.accounts, state.evaluation)}
            )
        except ZzperfError as error:
            self.post_message(self.Computed(None, str(error), state.generation))
            return
        self.post_message(self.Computed(comparison, None, state.generation))

    @on(Computed)
    def _computed(self, event: Computed) -> None:
        event.stop()
        if event.comparison is None:
            self.query_one("#compare-title", Static).update(Text(f"无法对比：{event.error}", style="bold red"))
            return
        self.comparison = event.comparison
        with self.app.batch_update():
            self._show_title(event.comparison)
            self.query_one(ScoreChart).comparison = event.comparison
            self.query_one("#compare-signals", ProseText).update(Content.from_rich_text(_side_text(event.comparison)))
            self._fill_table(event.comparison)

    # ─── showing ───

    def _show_title(self, comparison: YearComparison) -> None:
        span = (
            f"{comparison.years[0]}—{comparison.years[-1]}" if len(comparison.years) > 1 else str(comparison.years[0])
        )
        title = Text(f"{comparison.name} {span} 年度得分对比", style="bold")
        if comparison.sets_differ:
            title.append("　指标体系不同：一级指标按得分率比较", style="bold yellow")
        self.query_one("#compare-title", Static).update(title)

    def _fill_table(self, comparison: YearComparison) -> None:
        table = self.table
        row_key = None
        if table.row_count:
            row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        change = comparison.total_changes[-1] if comparison.total_changes else None
        columns = [("指标", "name"), ("分值", "points"), *((str(year), str(year)) for year in comparison.years)]
        if change is not None:
            columns.append((f"较{change.since}", "change"))  # the change since that year: short, for 80 columns
        rows: list[tuple[str, list[Text]]] = []
        for row in comparison.rows:
            points = "/".join(dict.fromkeys(fmt_score(c.points).removesuffix(".00") for c in row.cells.values() if c))
            cells: list[Text] = [
                Text("  " * (row.level - 1) + row.name, style="" if row.is_leaf else "bold"),
                Text(points, justify="right"),
            ]
            for year in comparison.years:
                score, cell = row.cell_text(year), row.cells.get(year)
                style = "yellow" if cell is not None and cell.unscored else "dim" if score == "—" else ""
                cells.append(Text(score, style=style, justify="right"))
            if change is not None:
                cells.append(_change_text(row.last_change) if row.last_change is not None else Text(""))
            rows.append((row.key, cells))
        totals = [
            Text("总分", style="bold"),
            Text(fmt_score(comparison.totals[comparison.latest].points).removesuffix(".00"), justify="right"),
        ]
        totals += [Text(comparison.totals[year].score_text, style="bold", justify="right") for year in comparison.years]
        if change is not None:
            totals.append(_change_text(change))
        rows.append(("total", totals))
        grades = [Text("等级", style="bold"), Text("")]
        grades += [Text(comparison.grades[year], justify="right") for year in comparison.years]
        if change is not None:
            grades.append(Text(""))
        rows.append(("grade", grades))
        # widths set from the content here, not measured by the table as rows arrive: a table filled while its
        # pane is being shown could otherwise keep the header's widths and cut every name short
        widths = [
            max(cell_len(label), *(cells[index].cell_len for _, cells in rows))
            for index, (label, _) in enumerate(columns)
        ]
        table.clear(columns=True)
        for (label, key), width in zip(columns, widths):
            table.add_column(label, key=key, width=width)
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if row_key is not None and row_key in table.rows:
            table.move_cursor(row=table.get_row_index(row_key))


def _change_text(change: Any) -> Text:
    from zzperf.output.compare import CHANGE_COLOURS  # with the report package: loaded once the tab is shown

    return Text(change.text, style=CHANGE_COLOURS.get(change.direction or "", ""), justify="right")


def _side_text(comparison: YearComparison) -> Text:
    """Summary sentences, each year's 数据来源, movers with reasons, signals and notes, beside the chart."""
    from zzperf.output.compare import movers_and_signals

    text = Text()
    sentences = comparison.sentences()
    if sentences:
        text.append("".join(sentences) + "\n\n")
    # Where each year's figures come from, next to the summary: it says why a year shows 数据不足.
    sources = comparison.source_notes()
    for note in sources:
        text.append(f"{note}\n\n")
    text.append(movers_and_signals(comparison))
    for note in comparison.notes:
        if note not in sources:
            text.append(f"\n{note}", style="dim")
    return text
