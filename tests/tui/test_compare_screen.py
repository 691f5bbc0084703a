"""The 对比 pane: the years side by side, the chart, movers and signals; the same comparison as ``zzperf compare``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.geometry import Region
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.compare import compare_years
from zzperf.output.lines import NO_LINE_START
from zzperf.tui.panes.compare import ComparePane, CompareState, ScoreChart, block_bar
from zzperf.tui.widgets.prose import ProseText
from zzperf.workspace import Workspace

SIZE = (110, 40)


class PaneApp(App[None]):
    """The pane alone, handed the state the way the app hands it down."""

    CSS_PATH = [
        Path(__file__).resolve().parents[2] / "zzperf" / "tui" / name for name in ("zzperf.tcss", "zzperf-later.tcss")
    ]

    def __init__(self, state: CompareState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield ComparePane(id="compare-pane")

    def on_mount(self) -> None:
        self.query_one(ComparePane).state = self.state


def state_of(path: Path, year: int = 2018, generation: int = 1, **entry: object) -> CompareState:
    workspace = Workspace(path)
    loaded = workspace.load_year(year)
    evaluation = loaded.evaluation
    if entry:
        indicators = dict(evaluation.indicators)
        indicators["process.management.information"] = evaluation.entry("process.management.information").model_copy(
            update=entry
        )
        evaluation = evaluation.model_copy(update={"indicators": indicators})
    return CompareState(workspace, year, loaded.accounts, evaluation, generation)


def test_bar_lengths_in_eighths() -> None:
    assert block_bar(Decimal(100), 10) == "█" * 10
    assert block_bar(Decimal(0), 10) == ""
    assert block_bar(Decimal(55), 10) == "█████▌"
    assert block_bar(Decimal(150), 4) == "████"


async def test_pane_shows_the_demo_years_side_by_side(demo: Path) -> None:
    expected = compare_years(Workspace(demo), Workspace(demo).years())
    app = PaneApp(state_of(demo))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.query_one(ComparePane)
        assert pane.comparison is not None
        assert pane.comparison.sentences() == expected.sentences()
        text = screen_text(app)
        assert "株洲市政务服务中心 2017—2018 年度得分对比" in text
        assert "总分 2017 │数据不足" in text  # no score is not a zero-length bar
        assert "65.53*/100" in text
        beside = "".join(line.split("▊")[-1].strip(" ▁▂▃▄▅▆▇█") for line in text.splitlines() if "▊" in line)
        assert "证照联办" in beside  # the 完成值 beat its target by 40%
        # why 2017 is 数据不足, beside the summary: what its file holds and that its own 决算 was not available
        assert "年度数据来源：只有本部门" in text
        prose = app.query_one("#compare-signals", ProseText)
        side = prose.visual.plain
        assert expected.source_notes()[0] in side and expected.source_notes()[1] in side
        assert side.index("2017 年度数据来源") < side.index("提示")
        # wrapped as Chinese is set: every line drawn fits, no number cut in two, no closing mark opening a line
        width = prose.content_region.width
        lines = [strip.text.rstrip() for strip in prose.render_lines(Region(0, 0, width, prose.size.height))]
        lines = [line for line in lines if line]
        assert len(lines) > 1 and max(cell_len(line) for line in lines) <= width
        assert "".join(lines).replace(" ", "") == side.replace("\n", "").replace(" ", "")
        assert "《2018" in "\n".join(lines) and not any(line[:1] in NO_LINE_START for line in lines)
        table = pane.table
        budget = table.get_row("process.execution.budget_completion")
        assert [str(cell) for cell in budget[2:4]] == ["数据不足", "2.00"]
        assert str(table.get_row("total")[3]) == "65.53*"
        assert app.query_one(ScoreChart).comparison is pane.comparison


async def test_the_open_year_is_compared_as_held_in_memory(demo: Path) -> None:
    """The session's year (saved or not) is compared, not the file on disk."""
    app = PaneApp(state_of(demo))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.query_one(ComparePane)
        before = pane.comparison
        assert before is not None and before.totals[2018].score == Decimal("65.53")
        pane.state = state_of(demo, generation=2, score=Decimal(2), reason="已整改")
        await settle(pilot)
        assert pane.comparison is not before
        assert pane.comparison.totals[2018].score == Decimal("66.53")
        assert str(pane.table.get_row("total")[3]) == "66.53*"


async def test_a_broken_year_is_reported_not_raised(demo: Path) -> None:
    (demo / "2017" / "accounts.toml").write_text("year = [", encoding="utf-8")
    app = PaneApp(state_of(demo))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "无法对比" in text and "2017" in text


# ─── in the app ───


async def test_f6_opens_the_compare_tab_computed_only_when_shown(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.query(ComparePane)))  # mounted just after the first screen
        assert app.query_one(ComparePane).comparison is None  # hidden: nothing computed yet
        await pilot.press("f6")
        pane = app.query_one(ComparePane)
        await wait_until(pilot, lambda: pane.comparison is not None)
        assert pane.comparison is not None and pane.comparison.years == [2017, 2018]
        assert app.focused is pane.table
        text = screen_text(app)
        assert "对比 F6" in text and "2017—2018 年度得分对比" in text


async def test_an_edit_in_the_app_shows_in_the_compare_tab(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await settle(pilot)
        before = app.query_one(ComparePane).comparison
        assert before is not None
        app.session.update_entry("process.management.information", {"score": Decimal(2), "reason": "已整改"})
        app._publish()
        await settle(pilot)
        after = app.query_one(ComparePane).comparison
        assert after is not None and after.totals[2018].score == before.totals[2018].score + 1


def test_compare_screen_snapshot(snap_compare, frozen_demo: Path) -> None:
    async def open_the_tab(pilot) -> None:
        await pilot.pause()  # the first screen shown, as a user sees it before pressing a key
        await pilot.press("f6")
        # The pane is mounted after the first screen, then computes in a worker: wait for the table it fills.
        await wait_until(pilot, lambda: "绩效目标合理性" in screen_text(pilot.app))
        await settle(pilot)

    assert snap_compare(build(frozen_demo), terminal_size=(100, 30), run_before=open_the_tab)


async def test_at_80_columns_every_column_head_of_the_table_shows_whole(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot, 0.3)
        text = screen_text(app)
        head = next(line for line in text.splitlines() if line.strip().startswith("指标"))
        for label in ("2017", "2018", "较2017"):
            assert f" {label} " in f"{head} ", head


async def test_at_80x24_the_chart_and_the_side_text_scroll_into_view_from_the_keyboard(demo: Path) -> None:
    """Too low for all the bars and the 数据来源 text: Tab reaches each, and PageDown or End shows the rest."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        chart = app.query_one(ScoreChart)
        await wait_until(pilot, lambda: chart.comparison is not None)
        await settle(pilot)
        assert "条形为得分率" not in screen_text(app)  # the chart is taller than its half of the pane
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "compare-chart-box"
        await pilot.press("pagedown")
        await settle(pilot)
        text = screen_text(app)
        assert "效果 2017" in text and "条形为得分率" in text
        assert any(line.lstrip().startswith("2018 │") and "9.00*/20" in line for line in text.splitlines())

        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "compare-side"
        side = app.query_one("#compare-signals", ProseText)
        last = side.visual.plain.rstrip().splitlines()[-1]
        assert last[-6:] not in screen_text(app).replace(" ", "").replace("\n", "")
        await pilot.press("end")
        await settle(pilot)
        assert last[-6:] in "".join(line.split("▊")[-1].strip() for line in screen_text(app).splitlines())
