"""已核实 follows the score: changing a confirmed item's level or reason unticks it, on screen and in the file."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import build, screen_text, settle, wait_until

from zzperf.evaluation import Evaluation
from zzperf.tomlio import load_model

KEY = "input.goals.clarity"  # 一般（1 分）, confirmed in the demo


def status_on_disk(path: Path) -> str:
    return load_model(path / "2018" / "evaluation.toml", Evaluation).entry(KEY).status


async def test_changing_a_confirmed_level_or_reason_puts_it_back_to_draft(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        assert app.score_pane.current == KEY
        tick = app.query_one("#entry-confirmed")
        assert tick.render().plain.startswith("▐X▌ 已核实")
        await pilot.press("e")
        assert app.focused.id == "entry-level"
        await pilot.press("enter", "up", "enter")  # 一般 → 较好
        await settle(pilot)
        assert app.session.evaluation.entry(KEY).level == "较好"
        assert tick.render().plain.startswith("▐ ▌ 已核实")
        assert "（草稿，勾选“已核实”即确认）" in screen_text(app)
        assert status_on_disk(demo) == "draft"

        tick.focus()
        await pilot.press("space")  # the evaluator checks the new level and confirms it
        await settle(pilot)
        assert status_on_disk(demo) == "confirmed"
        app.query_one("#entry-reason").focus()
        await pilot.press(*"已补充")  # a new justification is not what was confirmed
        await pilot.press("tab")
        await settle(pilot)
        assert app.session.evaluation.entry(KEY).reason.endswith("已补充")
        await wait_until(pilot, lambda: tick.render().plain.startswith("▐ ▌ 已核实"))
        assert status_on_disk(demo) == "draft"
