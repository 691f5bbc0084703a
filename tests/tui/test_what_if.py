"""假设模式: trying a score out changes what the screen shows, never the files, until the evaluator applies it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from test_evaluator import SIZE, evaluation_on_disk
from tui_helpers import build, screen_text, settle, wait_until

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


def test_a_trial_holds_figures_and_undo_apart_from_the_real_edits(demo: Path) -> None:
    """A real edit made before the trial is still written; the trial's edits, undo included, are not."""
    from zzperf.tui.session import Session

    session = Session(Workspace(demo))
    session.set_figure("staffing.in_service", "18")  # a real edit, queued
    session.start_what_if()
    session.set_figure("budget.initial", "1300")
    assert session.card.total == Decimal("59.00") and session.card.caps  # the trial is scored, cap and all
    session.undo()
    session.undo()  # past the start of the trial: still only a trial
    result = session.save_pending()
    assert result.written == ["accounts"]
    written = files(demo)
    assert b"in_service = 18" in written["accounts.toml"] and b"initial = 517.70" in written["accounts.toml"]
    session.discard_what_if()
    assert session.accounts.staffing.in_service == Decimal(18) and len(session.undo_stack) == 1
    assert session.save_pending().written == [] and files(demo) == written

    session.start_what_if()
    session.set_figure("budget.initial", "1300")
    session.queue_all()  # keeping this session's version over the disk's writes the real year, not the trial
    session.save_pending()
    assert b"initial = 517.70" in files(demo)["accounts.toml"]
    assert session.apply_what_if() == ["accounts"] and session.what_if is None
    session.save_pending()
    assert b"initial = 1300" in files(demo)["accounts.toml"]


async def test_the_report_tab_says_its_text_is_not_written_while_trying(demo: Path) -> None:
    # The count under the report text said “自动保存” in what-if mode, where nothing typed is written until applied.
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: "自动保存" in screen_text(app))
        await palette(pilot, "假设模式：开始")
        await wait_until(pilot, lambda: "应用后才写入文件" in screen_text(app))
        assert "自动保存" not in screen_text(app)
        await palette(pilot, "放弃假设的修改")
        await wait_until(pilot, lambda: "自动保存" in screen_text(app))
