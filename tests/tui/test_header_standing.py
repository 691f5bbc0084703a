"""The header tells why the total is what it is: scores left out as drafts for lack of a reason, and caps."""

from __future__ import annotations

from pathlib import Path

from test_evaluator import SIZE, evaluation_on_disk
from tui_helpers import build, screen_text, settle, wait_until

from tests.test_score_standing import (
    CLARITY,
    NAME,
    drop_reason,
    lower_the_initial_budget,
)
from zzperf.amounts import fmt_score
from zzperf.tui.panes.score import DetailText
from zzperf.workspace import Workspace


async def test_a_deduction_without_a_reason_is_a_draft_until_the_reason_is_written(demo: Path) -> None:
    full = Workspace(demo).score(2018)
    held = full.results[CLARITY].final_score
    assert held is not None
    drop_reason(demo, CLARITY)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert f"总分 {fmt_score(full.total - held)}" in text
        second = text.splitlines()[1]  # the note shortens so that every 一级 subtotal stays beside it
        assert second.lstrip().startswith("草稿 1 项缺理由  ") and all(
            g in second for g in ("投入", "过程", "产出", "效果")
        )

        await pilot.press("ctrl+p", *NAME)
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.score_pane.current == CLARITY)
        status = app.query_one("#detail-text", DetailText).content.plain  # the status line may wrap on screen
        assert f"得分 — / 3.00（草稿 {fmt_score(held)} 分未计入）" in status
        assert f"（草稿 {fmt_score(held)}" in screen_text(app)
        await pilot.press("enter")
        for _ in range(12):  # on to the reason box, as a person tabs through the inputs
            if app.focused is not None and app.focused.id == "entry-reason":
                break
            await pilot.press("tab")
        assert app.focused.id == "entry-reason"
        await pilot.press(*"指标未细化量化")
        await pilot.press("tab")
        await settle(pilot)
        text = screen_text(app)
        assert f"总分 {fmt_score(full.total)}" in text
        assert "草稿 1 项缺理由" not in text
    assert evaluation_on_disk(demo).entry(CLARITY).reason == "指标未细化量化"


async def test_a_draft_without_a_reason_is_named_in_the_header_where_there_is_room(demo: Path) -> None:
    """At 100 columns the note named the draft and pushed 产出 and 效果 off the line; the names are there where the
    terminal is wide enough for them and every 一级 subtotal."""
    drop_reason(demo, CLARITY)
    app = build(demo)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        second = screen_text(app).splitlines()[1]
        assert f"草稿 1 项缺理由，未计入总分：{NAME}" in second
        assert all(f"{name} " in second for name in ("投入", "过程", "产出", "效果"))


async def test_at_80_columns_a_draft_without_a_reason_leaves_every_subtotal_on_the_line(demo: Path) -> None:
    """At 80×24 the note “草稿 1 项缺理由” pushed 效果 and its subtotal off the line; it shortens further instead."""
    drop_reason(demo, CLARITY)
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        second = screen_text(app).splitlines()[1]
        assert second.lstrip().startswith("缺理由 1 项  ")
        assert all(f"{name} " in second for name in ("投入", "过程", "产出", "效果")) and "勾稽 错误1" in second


async def test_a_cap_on_the_total_is_named_in_the_header_with_its_rule_and_effect(demo: Path) -> None:
    lower_the_initial_budget(demo)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "总分 59.00（封顶）" in text
        assert "封顶 59.00（预算完成率低于 50%，总分不超过 59 分；预算完成率 47.66%，原 61.53）" in text


async def test_no_cap_no_draft_leaves_the_header_as_it_was(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "封顶" not in text and "缺理由，未计入总分" not in text


# ─── the department's name at 80×24 ───

LONG_NAME = "株洲市人民政府政务服务中心（株洲市人民政府电子政务中心）"


async def _header_at_80x24(path: Path) -> list[str]:
    app = build(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "勾稽" in screen_text(app) and "对比 F6" in screen_text(app))
        return screen_text(app).splitlines()


async def test_at_80x24_the_demo_name_is_whole_beside_a_shortened_year(demo: Path) -> None:
    lines = await _header_at_80x24(demo)
    first = lines[0].split()
    assert first[:2] == ["株洲市政务服务中心", "2018年"] and "…" not in lines[0]
    assert "总分" in lines[0] and "已评" in lines[0] and "● 已保存" in lines[0]
    assert all(f"{name} " in lines[1] for name in ("投入", "过程", "产出", "效果"))
    assert "评分 F2" in lines[2]


async def test_at_80x24_a_long_name_takes_its_own_line_and_nothing_else_is_lost(demo: Path) -> None:
    profile = demo / "zzperf.toml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace('name = "株洲市政务服务中心"', f'name = "{LONG_NAME}"'),
        encoding="utf-8",
    )
    lines = await _header_at_80x24(demo)
    assert lines[0].strip() == LONG_NAME
    assert lines[1].split()[:2] == ["2018年度", "总分"] and "等级" in lines[1] and "● 已保存" in lines[1]
    assert all(f"{name} " in lines[2] for name in ("投入", "过程", "产出", "效果")) and "勾稽" in lines[2]
    assert "评分 F2" in lines[3] and "对比 F6" in lines[3]
    assert "F1 帮助" in lines[-1]


async def test_the_header_works_its_status_lines_out_once_for_each_change(demo: Path) -> None:
    # Fitting the header's height and drawing it both need the status lines: made once, not once for each.
    from zzperf.tui.widgets.header import StatusHeader

    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = app.query_one(StatusHeader)
        made: list[int] = []
        make = header._made_first_lines
        header._made_first_lines = lambda standing, width: (made.append(width), make(standing, width))[1]  # type: ignore[method-assign]
        app._update_header(saving=True)  # a new standing: “保存中”
        await settle(pilot)
        assert "保存中" in screen_text(app) or "已保存" in screen_text(app)
        assert len(made) == 1


async def test_an_automatic_score_adjusted_without_a_reason_is_named_in_the_header(demo: Path) -> None:
    """在职人员控制率 adjusted to 4 with no reason: the form says the adjustment is not used, and the header counts it
    beside the drafts (it said nothing, so the adjustment could be forgotten), until the reason is written."""
    app = build(demo)
    async with app.run_test(size=(160, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter", "4", "enter")  # 在职人员控制率, into its score
        await settle(pilot)
        second = screen_text(app).splitlines()[1]
        assert "缺理由 1 项：调整 1 项未采用：在职人员控制率" in second, second
        assert all(f"{name} " in second for name in ("投入", "过程", "产出", "效果"))
        await pilot.press(*"编制数按核定口径")
        await pilot.press("tab")
        await settle(pilot)
        assert "缺理由" not in screen_text(app).splitlines()[1]
