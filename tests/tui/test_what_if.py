"""假设模式: trying a score out changes what the screen shows, never the files, until the evaluator applies it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_evaluator import SIZE, evaluation_on_disk, settle, wait_until
from tui_helpers import build, screen_text

from zzperf.amounts import fmt_score
from zzperf.tui.screens import ConfirmScreen
from zzperf.workspace import Workspace

KEY = "effect.satisfaction.service"  # 服务对象满意度: 数据不足 in the demo, 8 points for the evaluator to judge


def files(demo: Path) -> dict[str, bytes]:
    year = demo / "2018"
    return {path.name: path.read_bytes() for path in sorted(year.iterdir()) if path.is_file()}


async def palette(pilot, command: str) -> None:
    """Run a command from the command palette by typing its name."""
    await pilot.press("ctrl+p", *command)
    await settle(pilot, 0.3)
    await pilot.press("enter")
    await settle(pilot)


async def try_six_points(pilot) -> None:
    """Judge 服务对象满意度 at 6 points with a reason, as in the evaluator's own flow."""
    for _ in range(3):  # next unscored: “三公经费”变动率, 政府采购执行率, 服务对象满意度
        await pilot.press("u")
    await wait_until(pilot, lambda: pilot.app.score_pane.current == KEY)
    await pilot.press("e", "6", "tab", *"依据投诉记录评定", "tab")
    await settle(pilot, 0.6)  # past the typing pause, so that an ordinary edit would have been written by now


async def test_a_what_if_change_stays_off_disk_until_applied(demo: Path) -> None:
    before_total = Workspace(demo).score(2018).total
    on_disk = files(demo)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "假设模式：开始")
        assert "假设模式：修改未写入文件" in screen_text(app)
        await try_six_points(pilot)
        text = screen_text(app)
        assert f"总分 {fmt_score(before_total + 6)}" in text
        assert f"实际总分 {fmt_score(before_total)}" in text
        assert files(demo) == on_disk  # nothing written

        await palette(pilot, "应用假设的修改")
        await wait_until(pilot, lambda: evaluation_on_disk(demo).entry(KEY).score == Decimal(6))
        text = screen_text(app)
        assert "假设模式" not in text and "已保存" in text
        assert f"总分 {fmt_score(before_total + 6)}" in text
    saved = evaluation_on_disk(demo).entry(KEY)
    assert saved.score == Decimal(6) and saved.reason == "依据投诉记录评定"


async def test_discarding_a_what_if_leaves_the_files_and_the_total_as_they_were(demo: Path) -> None:
    before_total = Workspace(demo).score(2018).total
    on_disk = files(demo)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "假设模式：开始")
        await try_six_points(pilot)
        assert f"总分 {fmt_score(before_total + 6)}" in screen_text(app)
        await palette(pilot, "放弃假设的修改")
        text = screen_text(app)
        assert f"总分 {fmt_score(before_total)}" in text and "假设模式" not in text
        assert app.session.card.results[KEY].final_score is None
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert files(demo) == on_disk


async def test_quitting_in_what_if_mode_asks_and_discarding_writes_nothing(demo: Path) -> None:
    on_disk = files(demo)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await palette(pilot, "假设模式：开始")
        await try_six_points(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "结束假设模式" in screen_text(app)
        await pilot.click("#answer-discard")
        await settle(pilot)
    assert files(demo) == on_disk
