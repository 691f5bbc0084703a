"""An evaluator at work on a copy of the demo: judging, overriding, correcting figures, switching years, quitting.

Each test drives the app with keys as a person would and checks what the screen shows and what the files hold.
Expected figures are computed from the workspace with the core, so the tests follow the demo data.
"""

from __future__ import annotations

import asyncio
import gc
from decimal import Decimal
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.widgets import TextArea
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.accounts import Accounts
from zzperf.amounts import fmt_score
from zzperf.evaluation import Evaluation
from zzperf.review.history import read_log
from zzperf.scoring import Status
from zzperf.tomlio import load_model
from zzperf.workspace import Workspace

SIZE = (100, 30)


def evaluation_on_disk(path: Path, year: int = 2018) -> Evaluation:
    return load_model(path / str(year) / "evaluation.toml", Evaluation)


def accounts_on_disk(path: Path, year: int = 2018) -> Accounts:
    return load_model(path / str(year) / "accounts.toml", Accounts)


async def test_opening_the_demo_shows_where_the_evaluation_stands(demo: Path) -> None:
    card = Workspace(demo).score(2018)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "株洲市政务服务中心" in text and "2018年度" in text
        assert f"总分 {fmt_score(card.total)}" in text
        assert f"等级 {card.grade_text}" in text
        assert f"已评 {card.scored_count}/{len(card.results)}" in text
        for group in card.top_groups():
            assert f"{group.indicator.name} {fmt_score(group.score)}/" in text
        assert "勾稽 错误" in text and "已保存" in text
        # the tree shows every 一级 indicator with its points and the first leaf's detail is open
        assert "绩效目标合理性" in text and "指标解释" in text


async def test_judging_an_insufficient_item_with_a_reason(demo: Path) -> None:
    key = "effect.satisfaction.service"
    before = Workspace(demo).score(2018)
    assert before.results[key].status is Status.INSUFFICIENT
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):  # next unscored: “三公经费”变动率, 政府采购执行率, 服务对象满意度
            await pilot.press("u")
        await pilot.pause()
        assert app.score_pane.current == key
        assert "服务对象满意度" in screen_text(app)
        await pilot.press("e")
        assert app.focused.id == "entry-score"
        await pilot.press("6", "tab")
        await pilot.press(*"未开展满意度调查 依据投诉记录评定")
        await pilot.press("tab")
        await settle(pilot)
        text = screen_text(app)
        assert f"总分 {fmt_score(before.total + 6)}" in text
        assert app.session.card.results[key].status is Status.JUDGED
    saved = evaluation_on_disk(demo).entry(key)
    assert saved.score == Decimal(6)
    assert saved.reason == "未开展满意度调查 依据投诉记录评定"


async def test_an_override_without_a_reason_is_refused_on_screen_then_taken_with_one(demo: Path) -> None:
    key = "input.config.staff_control"
    before = Workspace(demo).score(2018)
    assert before.results[key].status is Status.AUTO and before.results[key].final_score == Decimal(5)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")  # 在职人员控制率, then into its inputs
        assert app.score_pane.current == key and app.focused.id == "entry-score"
        await pilot.press("4", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "调整自动得分须填写理由，未采用" in text
        assert "缺理由" in text
        assert f"总分 {fmt_score(before.total)}" in text  # the 4 is not taken
        # what was typed is kept: on screen and on disk
        assert app.query_one("#entry-score").value == "4"
        assert evaluation_on_disk(demo).entry(key).score == Decimal(4)

        assert app.focused.id == "entry-reason"  # Enter moved on to the reason the override needs
        await pilot.press(*"编外人员 3 人长期顶岗 实际超编")
        await pilot.press("tab")
        await settle(pilot)
        text = screen_text(app)
        assert "调整自动得分须填写理由" not in text
        assert "草稿" in text  # taken, and shown as the evaluator's draft until 已核实 is ticked
        assert f"总分 {fmt_score(before.total - 1)}" in text
    saved = evaluation_on_disk(demo).entry(key)
    assert saved.score == Decimal(4) and saved.reason == "编外人员 3 人长期顶岗 实际超编"


async def test_invalid_score_stays_with_its_error_and_is_never_saved(demo: Path) -> None:
    key = "process.management.information"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select(key)
        await pilot.press("e")
        await pilot.press("ctrl+a", "ctrl+k", *"九", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "“九”不是分数" in text
        assert "! 1 处输入无效" in text
        await pilot.press("ctrl+a", "ctrl+k", "3", "enter")
        await settle(pilot)
        assert "得分应在 0 至 2 分之间" in screen_text(app)
        # leave the item and come back: the text and its error are still there
        await pilot.press("escape", "down", "up")
        await pilot.pause()
        assert app.score_pane.current == key
        assert app.query_one("#entry-score").value == "3"
        assert "得分应在 0 至 2 分之间" in screen_text(app)
        # quitting asks first
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "还有无效的输入" in screen_text(app)
        await pilot.press("enter")  # 返回修改
        await pilot.pause()
        assert app.is_running
    assert evaluation_on_disk(demo).entry(key).score == Decimal(1)


async def test_unticking_a_checklist_item_is_a_draft_until_its_reason_is_written(demo: Path) -> None:
    """Enter on 资产管理安全性 focuses its checklist with the first item highlighted, so Space unticks it at once;
    the deduction then waits for its reason (缺理由, out of the total), as a level's does, and counts once written."""
    key = "process.assets.safety"
    before = Workspace(demo).score(2018)
    assert before.results[key].final_score == Decimal(3)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select(key)
        await settle(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "entry-checklist")
        assert app.focused.highlighted == 0
        await pilot.press("space")  # 资产保存完整、账实相符
        await settle(pilot)
        result = app.session.card.results[key]
        assert result.status is Status.NEEDS_REASON and result.held_score == Decimal(2), result
        assert app.session.card.total == before.total - 3
        text = screen_text(app)
        assert "—/3 缺理由" in text and f"总分 {fmt_score(before.total - 3)}" in text, text
        await pilot.press("tab")
        while app.focused.id != "entry-reason":
            await pilot.press("tab")
        await pilot.press(*"盘点发现两台电脑账实不符", "tab")
        await settle(pilot)
        assert app.session.card.results[key].final_score == Decimal(2)
        assert app.session.card.total == before.total - 1
    saved = evaluation_on_disk(demo).entry(key)
    assert (
        saved.checked == ["配置合理、处置规范", "资产收入及时足额上缴"] and saved.reason == "盘点发现两台电脑账实不符"
    )


async def test_checklist_and_level_inputs(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select("process.management.rules")
        await pilot.press("e")
        assert app.focused.id == "entry-checklist"
        await pilot.press("end", "space")  # tick 制度得到有效执行 (the last item)
        await settle(pilot)
        assert app.session.card.results["process.management.rules"].final_score == Decimal(3)
        app.score_pane.select("input.goals.clarity")
        await pilot.press("e")
        assert app.focused.id == "entry-level"
        await pilot.press("enter", "home", "down", "enter")  # open the list, skip the blank, pick 好
        await settle(pilot)
        assert app.session.card.results["input.goals.clarity"].final_score == Decimal(3)
    saved = evaluation_on_disk(demo)
    assert saved.entry("process.management.rules").checked == ["管理制度已制定", "制度合法合规完整", "制度得到有效执行"]
    assert saved.entry("input.goals.clarity").level == "好"


async def test_changing_a_figure_rescores_dependents_and_rechecks_live(demo: Path) -> None:
    before = Workspace(demo).score(2018)
    completion = "process.execution.budget_completion"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        assert app.focused.id == "sheet-table"
        pane = app.data_pane
        row = next(i for i, r in enumerate(pane.sheets[0].rows) if r.paths[0] == "overview.expenditure_total")
        for _ in range(row):
            await pilot.press("down")
        assert "预算完成率 119.67% → 2.00 分" in screen_text(app)
        await pilot.press(*"517.70", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "517.70" in text
        after = app.session.card
        assert after.results[completion].final_score == Decimal(6)
        assert f"总分 {fmt_score(after.total)}" in text and after.total != before.total
        # the findings follow the new figure: 支出总计 no longer balances
        assert any(f.code.startswith("T1") and f.severity == "error" for f in app.session.checks.findings)
        assert "公开01表 · 总计" in text

        # a finding takes you to its figures; correcting them clears it
        t6 = next(f for f in app.session.checks.findings if f.code == "T6-301")
        await pilot.press("ctrl+f")
        assert app.focused.id == "findings"
        index = sorted(
            app.session.checks.findings, key=lambda f: {"error": 0, "warning": 1, "info": 2}[f.severity]
        ).index(t6)
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert pane.sheets[pane.sheet_index].key == "t6"
        assert "公开06表 一般公共预算财政拨款基本支出决算表" in screen_text(app)
        assert pane._cursor_path() == "basic_expenditure.lines[301].amount"
        await pilot.press(*"258.88", "enter")
        await settle(pilot)
        assert all(f.code != "T6-301" for f in app.session.checks.findings)
        await pilot.press("ctrl+f")
        assert "301 工资福利支出：表列" not in screen_text(app)
    saved = accounts_on_disk(demo)
    assert saved.overview.expenditure_total == Decimal("517.70")
    assert saved.basic_expenditure.amount("301") == Decimal("258.88")


async def test_a_committed_figure_shows_in_the_first_frame_after_enter(demo: Path) -> None:
    """Enter paints once: the first frame already has the new figure, total and 勾稽 marks, never the old ones."""
    from zzperf.tui.widgets.header import StatusHeader

    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        pane = app.data_pane
        row = next(i for i, r in enumerate(pane.sheets[0].rows) if r.paths[0] == "overview.expenditure_total")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press(*"517.70")
        await settle(pilot)
        painted: list[tuple[Decimal | None, bool, bool, bool]] = []
        display = app._display

        def recording(screen, update) -> None:  # noqa: ANN001 - Textual's signature
            header = app.query_one(StatusHeader).standing
            painted.append(
                (
                    app.session.accounts.overview.expenditure_total,
                    pane.state is not None and pane.state.accounts is app.session.accounts,
                    header is not None and header.total == app.session.card.total,
                    pane.editing_path is None,
                )
            )
            display(screen, update)

        app._display = recording  # type: ignore[method-assign]
        await pilot.press("enter")
        await settle(pilot, 0.1)
        app._display = display  # type: ignore[method-assign]
        assert painted, "nothing was painted after Enter"
        assert painted[0] == (Decimal("517.70"), True, True, True)
        assert "517.70" in screen_text(app)


async def test_a_new_workspace_offers_its_sets_targets_on_the_data_screen(tmp_path: Path) -> None:
    from zzperf.cli import main

    assert main(["init", str(tmp_path / "ws"), "--name", "测试局", "--year", "2024", "--set", "zhuzhou-zwfw"]) == 0
    app = build(tmp_path / "ws")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        pane = app.data_pane
        for _ in range(next(i for i, sheet in enumerate(pane.sheets) if sheet.key == "outcomes")):
            await pilot.press("]")
        assert "绩效目标与完成值" in screen_text(app)
        row = next(i for i, r in enumerate(pane.sheets[pane.sheet_index].rows) if r.label == "办件量")
        for _ in range(row):
            await pilot.press("down")
        assert pane._cursor_path() == "outcomes.cases_handled.unit"
        await pilot.press(
            "enter", "件", "enter", "up"
        )  # text cells open with Enter; Enter moves down, as in a spreadsheet
        await pilot.press("right", "right", *"50000", "enter", "up", "right", *"54875", "enter")
        await settle(pilot)
        result = app.session.card.results["output.quantity.cases_handled"]
        assert result.status is not Status.INSUFFICIENT and result.final_score == Decimal(5)
    saved = accounts_on_disk(tmp_path / "ws", 2024).outcome("cases_handled")
    assert (saved.name, saved.unit, saved.target, saved.actual) == ("办件量", "件", Decimal(50000), Decimal(54875))


async def test_adding_and_removing_table_rows(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        pane = app.data_pane
        await pilot.press("insert")  # 公开01表 has fixed rows: no dialog, a word why
        await settle(pilot)
        assert app.screen is pane.screen and "这张表的行是固定的" in screen_text(app)
        await pilot.press("]", "]")  # 公开03表 支出决算表
        assert pane.sheets[pane.sheet_index].key == "t3"
        await pilot.press("insert")
        await pilot.press(*"2010350")
        await pilot.press("enter")  # to the name: this code is new, so nothing is filled in
        await pilot.press("enter")
        assert "请填写科目名称" in screen_text(app)
        await pilot.press(*"事业运行", "enter")
        await settle(pilot)
        assert pane._cursor_path() == "expenditure.lines[2010350].total"  # the new row, first amount
        await pilot.press(*"12.5", "enter")
        await settle(pilot)
        assert "2010350" in screen_text(app) and "事业运行" in screen_text(app)
        codes = [line.code for line in accounts_on_disk(demo).expenditure.lines]
        assert codes.index("2010350") == codes.index("2010302") + 1  # in 科目编码 order

        # a code already known elsewhere in the year gets its name; one already in the table is refused
        await pilot.press("insert", *"208", "enter")
        assert "表中已有 208 社会保障和就业支出" in screen_text(app)
        await pilot.press("escape")

        # the 合计 row cannot be removed (it would take every row with it)
        pane.table.move_cursor(row=0)
        await pilot.press("delete")
        await settle(pilot)
        assert "合计行不能删除" in screen_text(app)
        assert len(accounts_on_disk(demo).expenditure.lines) == 13

        # removing a 类 takes its 款 and 项 with it, and Ctrl+Z puts them back
        row = next(i for i, r in enumerate(pane.sheets[pane.sheet_index].rows) if r.code == "208")
        pane.table.move_cursor(row=row)
        await pilot.press("delete")
        await settle(pilot)
        assert "已删除 208 社会保障和就业支出 等 3 行" in screen_text(app)
        assert not any(line.code.startswith("208") for line in accounts_on_disk(demo).expenditure.lines)
        await pilot.press("ctrl+z")
        await settle(pilot)
    saved = accounts_on_disk(demo).expenditure
    assert [line.code for line in saved.lines if line.code.startswith("208")] == ["208", "20805", "2080505"]
    added = next(line for line in saved.lines if line.code == "2010350")
    assert (added.name, added.total, added.basic) == ("事业运行", Decimal("12.5"), None)


async def test_an_invalid_figure_stays_in_the_editor(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", "enter")
        await pilot.press("ctrl+u", *"六百", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "“六百”不是金额" in text and "! 1 处输入无效" in text
        assert app.data_pane.editor.text == "六百"
        await pilot.press("down")  # moving away is refused while the text is not a figure
        assert app.data_pane.editor.editing and app.data_pane.table.cursor_row == 0
        await pilot.press("escape")
        await pilot.pause()
        assert "输入无效" not in screen_text(app)
    assert accounts_on_disk(demo) == Workspace(demo).load_accounts(2018)


async def test_switching_year_and_starting_a_new_one(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert "切换年度" in screen_text(app)
        await pilot.press("up", "enter")  # 2017
        await settle(pilot)
        text = screen_text(app)
        assert "2017年度" in text
        card = Workspace(demo).score(2017)
        assert f"总分 {fmt_score(card.shown_total)}" in text
        await pilot.press("f5", "end", "enter")  # 新建 2019 年度
        await settle(pilot)
        assert "新建 2019 年度？" in screen_text(app) and app.session.year == 2017  # asked first
        await pilot.press("enter")
        await settle(pilot)
        assert "2019年度" in screen_text(app)
        assert app.session.year == 2019
    workspace = Workspace(demo)
    assert workspace.years() == [2017, 2018, 2019]
    new = workspace.load_accounts(2019)
    assert [o.target for o in new.outcomes] == [o.target for o in workspace.load_accounts(2018).outcomes]
    assert all(o.actual is None for o in new.outcomes)


async def test_quit_right_after_typing_then_reopen_finds_exactly_what_was_entered(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.press("down", *"600", "enter")  # 政府性基金预算财政拨款收入 in 公开01表
        app.score_pane.select("effect.benefit.sustainable")
        await pilot.press("f2", "e", "tab")  # level → score
        await pilot.press("2", "tab")
        await pilot.press(*"方案尚为草案")
        await pilot.press("f4", "tab")
        await pilot.press(*"新写的一段")
        await pilot.press("ctrl+q")  # before any typing delay has passed
        await pilot.pause()
    assert not app.is_running
    evaluation = evaluation_on_disk(demo)
    entry = evaluation.entry("effect.benefit.sustainable")
    assert entry.score == Decimal(2) and entry.reason.endswith("方案尚为草案")
    assert evaluation.report.achievements.endswith("新写的一段")
    assert accounts_on_disk(demo).income.gov_fund == Decimal(600)

    again = build(demo)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.session.evaluation == evaluation
        assert again.session.card.total == app.session.card.total
        assert f"总分 {fmt_score(app.session.card.total)}" in screen_text(again)


@pytest.mark.parametrize("after", [0.0, 0.01, 0.02])
async def test_closing_while_the_inputs_are_still_being_added_raises_nothing(demo: Path, after: float) -> None:
    # The inputs are added just after the first screen; an app closed then must not fill in inputs whose parts
    # are already removed (run_test raises whatever the app raised while closing).
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(after)
    assert not app.is_running


@pytest.mark.parametrize("review", [False, True])
async def test_start_up_collects_no_garbage_and_gives_the_thresholds_back(demo: Path, review: bool) -> None:
    # Start-up builds only what lives on; at Python's thresholds it started some 60 collections before its first
    # screen was complete. Once it is (or the app is closed before), the thresholds the app found are back.
    from zzperf.tui import make_app

    before = gc.get_threshold()
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=review)
    started: list[int] = []

    def count(phase: str, info: dict) -> None:
        if phase == "start" and not app._tabs_added:  # the first screen is complete when the hidden tabs are added
            started.append(info["generation"])

    gc.callbacks.append(count)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app._tabs_added)
            await settle(pilot)
            assert gc.get_threshold() == before
        early = build(demo)
        async with early.run_test(size=SIZE):
            pass  # closed before its first screen is complete
        assert gc.get_threshold() == before
    finally:
        gc.callbacks.remove(count)
    assert len(started) <= 3, started


async def test_figures_typed_in_the_report_text_are_checked_against_the_accounts(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "tab")
        await pilot.press("enter", *"全年三公经费支出合计4.22万元")
        await wait_until(pilot, lambda: "文中数字与决算数据不符" in screen_text(app))  # once typing pauses
        assert "4.21 万元" in screen_text(app)
        assert "第 4 段“全年三公经费支出合计4.22万元”" in screen_text(app)  # a paragraph, as the editor wraps it
        await pilot.press("backspace", "backspace", "backspace", *"1万元")
        await wait_until(pilot, lambda: "处数字与决算数据相符" in screen_text(app))
        assert "不符" not in screen_text(app)


async def test_a_figure_the_text_check_cannot_place_is_said_to_be_unchecked(demo: Path) -> None:
    """“我单位本年收入合计600.00万元”: the check cannot tell which figure it is, and said nothing, which read as
    agreement; the line under the text now says how many figures were not checked."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "tab")
        await pilot.press("enter", *"我单位本年收入合计600.00万元。")
        await wait_until(pilot, lambda: "未能对应到决算数据，未核对" in screen_text(app).replace("\n", ""))
        line = str(app.query_one("#report-figures").content)
        assert "1 处数字未能对应到决算数据，未核对。" in line, line


async def test_typing_on_the_report_tab_goes_into_the_text(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert app.focused.id == "report-sections"
        await pilot.press(*"开头")  # straight from the section list: the first key opens the text box
        assert app.focused.id == "report-achievements"
        await pilot.press("ctrl+down", *"问题")  # next section, from inside the text box
        assert app.focused.id == "report-problems"
        await pilot.press("escape")
        assert app.focused.id == "report-sections"
        await pilot.press("f6")  # the tab keys work from anywhere
        assert app.active_tab == "compare"
        await pilot.press("ctrl+q")
        await pilot.pause()
    report = evaluation_on_disk(demo).report
    assert report.achievements.endswith("开头") and report.problems.endswith("问题")


async def test_a_phrase_typed_on_the_report_section_list_arrives_whole(demo: Path) -> None:
    """An input method commits a phrase as several keys at once: the keys that reach the section list before the
    text box has taken the focus follow the first one into it, spaces and ? included (the spaces were dropped)."""
    phrase = "合计 4.22 万元? 共 2 处"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert app.focused.id == "report-sections"
        area = app.query_one("#report-achievements", TextArea)
        before = area.text
        for character in phrase:  # all at once, as a terminal passes on what the input method commits
            app.post_message(events.Key(_character_to_key(character), character))
        await settle(pilot)
        assert app.focused is area
        assert area.text == before + phrase
        await pilot.press("escape")
        await settle(pilot, 0.6)
        await pilot.press("space")  # on the list alone, a space is the list's own key, not text
        await settle(pilot)
        assert app.focused.id == "report-sections" and area.text == before + phrase


async def in_the_score_box(app, pilot, key: str) -> None:  # noqa: ANN001
    """Select the leaf ``key`` and press e, as a person does, until its score box has the focus."""
    await pilot.pause()
    app.score_pane.select(key)
    await settle(pilot)
    await pilot.press("e")
    await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "entry-score")


async def test_a_score_cleared_to_be_typed_anew_is_not_saved_while_the_box_waits(demo: Path) -> None:
    """Clearing the score and pausing before typing 0.75 saved the item as 待评 (the total fell by its score) and
    logged the score → — before the new number: one edit now makes one change, written by Enter."""
    key = "process.management.information"
    before = Workspace(demo).score(2018)
    old = evaluation_on_disk(demo).entry(key).score
    assert old is not None and old != Decimal("0.75")
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await in_the_score_box(app, pilot, key)
        await pilot.press("ctrl+a", "ctrl+k")
        await settle(pilot, 0.8)  # a pause longer than the typing delay
        assert f"总分 {fmt_score(before.total)}" in screen_text(app)
        assert evaluation_on_disk(demo).entry(key).score == old
        assert "未保存" in screen_text(app).splitlines()[0]
        await pilot.press(*"0.75", "enter")
        await settle(pilot)
        assert f"总分 {fmt_score(before.total - old + Decimal('0.75'))}" in screen_text(app)
    assert evaluation_on_disk(demo).entry(key).score == Decimal("0.75")
    scores = [entry for entry in read_log(demo) if entry.indicator == key and entry.what.endswith("score")]
    assert [(Decimal(entry.old), entry.new) for entry in scores] == [(old, "0.75")]


async def test_a_score_cleared_and_left_empty_makes_the_item_unscored(demo: Path) -> None:
    key = "process.management.information"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await in_the_score_box(app, pilot, key)
        await pilot.press("ctrl+a", "ctrl+k", "enter")
        await settle(pilot)
        assert app.session.card.results[key].status is Status.UNSCORED
    assert evaluation_on_disk(demo).entry(key).score is None


async def test_undo_puts_back_the_last_change(demo: Path) -> None:
    original = Workspace(demo).load_accounts(2018)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3", *"1", "enter")
        await settle(pilot)
        assert accounts_on_disk(demo).income.general_budget == Decimal(1)
        await pilot.press("ctrl+z")
        await settle(pilot)
    assert accounts_on_disk(demo) == original


async def test_files_changed_on_disk_are_reloaded_or_asked_about(demo: Path) -> None:
    app = build(demo, watch_interval=0.05)
    path = demo / "2018" / "accounts.toml"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        path.write_text(
            path.read_text(encoding="utf-8").replace("in_service = 17", "in_service = 25"), encoding="utf-8"
        )
        await settle(pilot, 0.3)
        assert app.session.accounts.staffing.in_service == 25
        assert "已重新载入" in screen_text(app)

        # with typed text not yet taken, the app asks
        app.score_pane.select("process.management.information")
        await pilot.press("e", "ctrl+a", "ctrl+k", "x", "enter")
        await settle(pilot)
        path.write_text(
            path.read_text(encoding="utf-8").replace("in_service = 25", "in_service = 18"), encoding="utf-8"
        )
        await settle(pilot, 0.3)
        assert "文件在 zzperf 之外被修改" in screen_text(app)
        await pilot.press("enter")  # 载入磁盘上的版本
        await settle(pilot, 0.2)
        assert app.session.accounts.staffing.in_service == 18
        assert "输入无效" not in screen_text(app)

        # a broken file is reported and not overwritten
        path.write_text("year = [broken", encoding="utf-8")
        await settle(pilot, 0.3)
        assert "文件有错误" in screen_text(app) or "未保存" in screen_text(app)
    assert path.read_text(encoding="utf-8") == "year = [broken"


async def test_a_file_broken_on_disk_is_named_in_the_header_without_claiming_unsaved_work(demo: Path) -> None:
    """The header said “✗ 未保存：磁盘上的 accounts.toml 有错误，修改…”, cut off at 100 columns, when nothing had been
    typed: it says the file has an error, whole where it fits and briefly where it does not."""
    app = build(demo, watch_interval=0.05)
    path = demo / "2018" / "accounts.toml"
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await pilot.pause()
        path.write_text(path.read_text(encoding="utf-8").replace("[overview]", "[overview", 1), encoding="utf-8")
        await settle(pilot, 0.3)
        first = screen_text(app).splitlines()[0]
        assert "✗ 文件有错误：accounts.toml，修改暂不写入" in first and "未保存" not in first
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        first = screen_text(app).splitlines()[0]
        assert first.rstrip().endswith("✗ 文件有错误") and "…" not in first
        assert "文件有错误，未重新载入" in screen_text(app)
        app.notify("另一条提示", severity="warning", timeout=30)
        path.write_text(path.read_text(encoding="utf-8").replace("[overview", "[overview]", 1), encoding="utf-8")
        await settle(pilot, 0.3)
        text = screen_text(app)  # the error notice goes with the error, at once, not after its 15 s
        assert "已重新载入" in text and "文件有错误" not in text and "● 已保存" in text.splitlines()[0]
        assert "另一条提示" in text  # a notice of something else stays its time


async def test_help_lists_every_key(demo: Path) -> None:
    from zzperf.tui.panes import DataPane, ReportPane, ScorePane

    app = build(demo)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for binding in [*app.BINDINGS, *ScorePane.BINDINGS, *DataPane.BINDINGS, *ReportPane.BINDINGS]:
            assert binding.tooltip in text, binding
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        assert "zzperf 键盘操作" in screen_text(app)


async def test_command_palette_finds_an_indicator_by_its_chinese_name(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.press(*"政府采购执行率")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.score_pane.current == "process.execution.procurement"
        assert "政府采购执行率（4 分）" in screen_text(app)


async def test_the_theme_picker_prompts_in_chinese_and_changes_the_theme(demo: Path) -> None:
    """切换配色主题 opened Textual's picker, which said “Search for themes…” and, for no match, “No matches found”."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"切换配色主题")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot, 0.3)
        text = screen_text(app)
        assert "输入配色主题的名称" in text and "Search" not in text
        await pilot.press(*"无此主题")
        await settle(pilot, 1.5)
        text = screen_text(app)
        assert "没有找到与“无此主题”相符的配色主题" in text and "No matches" not in text
        await pilot.press(*(["backspace"] * 4), *"nord")
        await settle(pilot, 0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "nord"


async def test_a_tab_key_pressed_the_moment_the_app_opens_is_not_lost(demo: Path) -> None:
    """The hidden tabs are still being mounted: F3 or F4 at once must still open them, with the focus in them."""
    for key, tab, focused, shown in (
        ("f3", "data", "sheet-table", "公开01表"),
        ("f4", "report", "report-sections", "上一部分"),
    ):
        app = build(demo)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await settle(pilot, 0.3)
            assert app.active_tab == tab
            assert app.focused is not None and app.focused.id == focused
            assert shown in screen_text(app)


async def test_a_tab_key_while_its_pane_is_still_composing_waits_for_it(demo: Path, monkeypatch) -> None:
    """F3 pressed while the 数据 pane is in the tree but its table is not yet there: no crash, and the table gets
    the focus once it is mounted."""
    from zzperf.tui.panes import DataPane

    composing = DataPane._on_compose
    pressed: list[bool] = []

    async def slow_compose(self, event) -> None:  # noqa: ANN001
        self.app.simulate_key("f3")  # handled by the app while this pane still has no children
        pressed.append(not self.query("#sheet-table"))
        await asyncio.sleep(0.5)
        await composing(self, event)

    monkeypatch.setattr(DataPane, "_on_compose", slow_compose)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "sheet-table")
        assert pressed == [True]
        assert app.active_tab == "data"
        assert "公开01表" in screen_text(app)


async def test_mouse_clicks_switch_tabs_and_select_indicators(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        tabs = app.query_one("#status").size.height - 2  # the tab names: below the status lines
        await pilot.click("#status", offset=(12, tabs))  # 数据 F3
        await pilot.pause()
        assert "公开01表 收入支出决算总表" in screen_text(app)
        await pilot.click("#status", offset=(3, tabs))  # 评分 F2
        await pilot.pause()
        tree = app.score_pane.tree
        line = tree.nodes["process.execution.budget_completion"].line
        await pilot.click(tree, offset=(10, line - tree.scroll_offset.y))
        await pilot.pause()
        assert app.score_pane.current == "process.execution.budget_completion"
        assert "预算完成率 = 本年支出合计" in screen_text(app)


async def test_a_year_scored_with_another_set_gets_its_own_tree(demo: Path) -> None:
    profile = demo / "zzperf.toml"
    profile.write_text(
        profile.read_text(encoding="utf-8") + '\n[year_sets]\n2017 = "national-2013"\n', encoding="utf-8"
    )
    national = Workspace(demo).set_for(2017)
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.score_pane.indicator_set.id == "zhuzhou-zwfw"
        app.open_year(2017)
        await wait_until(pilot, lambda: app.score_pane.indicator_set is national)
        first_leaf = next(node for node in national.indicator if node.is_leaf)
        await wait_until(pilot, lambda: first_leaf.name in screen_text(app))
        app.open_year(2018)
        await wait_until(pilot, lambda: app.score_pane.indicator_set.id == "zhuzhou-zwfw")


async def test_not_applicable_and_case_count_inputs(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select("process.execution.procurement")  # 不适用 allowed: full marks
        await pilot.pause()
        app.query_one("#entry-na").focus()
        await pilot.press("space")
        await settle(pilot)
        result = app.session.card.results["process.execution.procurement"]
        assert result.status is Status.NOT_APPLICABLE and result.final_score == Decimal(4)
        assert "不适用" in screen_text(app)
        app.score_pane.select("process.management.compliance")  # 每发现 1 例扣 1 分
        await pilot.press("e")
        assert app.focused.id == "entry-cases"
        await pilot.press("ctrl+a", "ctrl+k", "2", "enter")
        await settle(pilot)
        counted = app.session.card.results["process.management.compliance"]
        assert counted.status is Status.NEEDS_REASON and counted.held_score == Decimal(1)  # the cases want a reason
        app.query_one("#entry-reason").focus()
        await pilot.press(*"两笔支出未按规定审批", "tab")
        await settle(pilot)
        assert app.session.card.results["process.management.compliance"].final_score == Decimal(1)
        assert "发现 2 例" in screen_text(app)
        # an indicator that does not allow 不适用 shows no such box
        app.score_pane.select("input.config.staff_control")
        await pilot.pause()
        assert not app.query_one("#entry-na").display
    saved = evaluation_on_disk(demo)
    assert saved.entry("process.execution.procurement").not_applicable is True
    assert saved.entry("process.management.compliance").cases == 2


async def test_a_half_typed_report_date_waits_in_its_box_and_is_saved_once_it_is_a_date(demo: Path) -> None:
    before = evaluation_on_disk(demo).date
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: bool(app.query("#report-sections")))
        sections = app.query_one("#report-sections")
        sections.focus()
        await pilot.press("end", "enter")  # 封面与通知, the last section: the cursor goes to its first box
        await pilot.press("tab", "ctrl+a", "ctrl+k", *"2019-0")
        await settle(pilot, 1.0)  # the typing pause after which a change is sent and saved
        text = screen_text(app)
        assert "2019-0" in text and "不是日期" in text.replace("\n", "")  # said under the box, in the app's words
        assert not any(notice.severity == "error" for notice in app._notifications)  # no alarm for half a date
        assert "1 处" in text.splitlines()[0] or "输入无效" in text  # the header counts it
        assert evaluation_on_disk(demo).date == before  # nothing half typed reaches the file
        await pilot.press(*"3-31")
        await settle(pilot, 1.0)
        assert evaluation_on_disk(demo).date == "2019-03-31"
        text = screen_text(app)
        assert "不是日期" not in text.replace("\n", "") and "输入无效" not in text
        await pilot.press("ctrl+q")
        await settle(pilot)


async def test_a_figures_error_keeps_every_line_in_view_when_the_terminal_narrows(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(140, 32)) as pilot:
        await pilot.pause()
        await pilot.press("f3", "enter")
        await pilot.press("ctrl+u", *"六百", "enter")
        await settle(pilot)
        editor = app.data_pane.editor
        wide = editor.size.height
        await pilot.resize_terminal(80, 24)
        await settle(pilot, 0.2)
        needed = editor.render().get_height(editor.styles, editor.size.width)
        assert needed > wide  # the error takes more lines at 80 columns
        assert editor.size.height == needed


async def test_the_report_text_follows_the_year_and_typing_never_writes_one_years_text_into_another(
    demo: Path,
) -> None:
    # The editors were filled when the year's number changed, before the new year's text arrived: after F5 they
    # showed the last year's text, and one key wrote it into the new year (and back in 2018, an empty 2017 text
    # over 2018's 主要成绩).
    from textual.widgets import TextArea

    written = evaluation_on_disk(demo).report.achievements
    assert written and not (demo / "2017" / "evaluation.toml").exists()
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await wait_until(pilot, lambda: bool(app.query("#report-achievements")))
        area = app.query_one("#report-achievements", TextArea)
        await wait_until(pilot, lambda: area.text == written)
        app.open_year(2017)
        await settle(pilot)
        assert area.text == ""  # 2017 has no report text yet
        area.focus()
        await pilot.press("Q")
        await settle(pilot, 1.0)  # the typing is sent and saved
        app.open_year(2018)
        await settle(pilot)
        assert area.text == written
    assert evaluation_on_disk(demo, 2017).report.achievements == "Q"
    assert evaluation_on_disk(demo).report.achievements == written


async def test_a_score_raised_to_full_marks_flags_the_old_reason_and_logs_none(demo: Path) -> None:
    """绩效指标明确性 is 一般 with its deduction reason. Raised to 好 (full marks), the form says the text below is the
    old deduction's reason until it is rewritten, and the log records the raise with no reason rather than with that
    text; the reason rewritten then is logged as its own change, with itself as the reason."""
    key = "input.goals.clarity"
    old_reason = evaluation_on_disk(demo).entry(key).reason
    assert old_reason and evaluation_on_disk(demo).entry(key).level == "一般"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select(key)
        hint = app.query_one("#reason-hint")
        await wait_until(pilot, lambda: str(hint.content) == "本项扣 2.00 分，理由已填写。")
        await pilot.press("e")
        assert app.focused.id == "entry-level"
        await pilot.press("enter", "home", "down", "enter")  # open the list, skip the blank, pick 好
        await settle(pilot)
        assert app.session.card.results[key].final_score == Decimal(3)
        assert str(hint.content).startswith("本项得满分，不扣分；下面的文字是原来的扣分原因"), str(hint.content)
        box = app.query_one("#entry-reason", TextArea)
        box.focus()
        await pilot.press("f7", "backspace", *"年初目标已细化量化", "tab")  # F7: select all
        await settle(pilot)
        assert str(hint.content) == "扣分时须写明理由，否则不计入总分。"  # the reason rewritten: nothing stale
    assert evaluation_on_disk(demo).entry(key).reason == "年初目标已细化量化"
    logged = [(entry.what, entry.reason) for entry in read_log(demo) if entry.indicator == key]
    # the confirmed entry went back to draft with the raise (status), with no reason either
    assert logged == [("level", ""), ("status", ""), ("reason", "年初目标已细化量化")], logged


async def test_the_undo_history_of_a_year_survives_a_visit_to_another(demo: Path) -> None:
    """A score typed in 2018, a look at 2017 (F5) and back: Ctrl+Z still undoes the score. A year whose file was
    changed on disk meanwhile starts its history anew: an undo would write over that change."""
    key = "process.management.information"
    old = evaluation_on_disk(demo).entry(key).score
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await in_the_score_box(app, pilot, key)
        await pilot.press("ctrl+a", "ctrl+k", *"0.75", "enter")
        await settle(pilot)
        assert evaluation_on_disk(demo).entry(key).score == Decimal("0.75")
        await pilot.press("escape", "f5", "up", "enter")  # the year list: 2017
        await settle(pilot)
        assert app.session.year == 2017
        await pilot.press("f5", "down", "enter")  # back to 2018
        await settle(pilot)
        assert app.session.year == 2018
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert app.session.evaluation.entry(key).score == old
        await wait_until(pilot, lambda: evaluation_on_disk(demo).entry(key).score == old)

        await in_the_score_box(app, pilot, key)
        await pilot.press("ctrl+a", "ctrl+k", *"0.5", "enter")
        await settle(pilot)
        await pilot.press("escape", "f5", "up", "enter")
        await settle(pilot)
        path = demo / "2018" / "evaluation.toml"
        path.write_text(path.read_text(encoding="utf-8").replace('evaluator = "', 'evaluator = "王五、'), "utf-8")
        await pilot.press("f5", "down", "enter")
        await settle(pilot)
        assert app.session.year == 2018 and app.session.evaluation.evaluator.startswith("王五、")
        await pilot.press("ctrl+z")  # nothing to undo: the 0.5 stays, and so does the other change
        await settle(pilot)
    saved = evaluation_on_disk(demo)
    assert saved.entry(key).score == Decimal("0.5") and saved.evaluator.startswith("王五、")


async def test_the_years_goal_and_notice_are_written_on_the_report_screen(demo: Path) -> None:
    """年度总体目标 and the notice the self-evaluation answers, which the report wrote as （未填写）, are filled in
    on the report screen like its other parts, saved to the year's file, and the report cites them."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: bool(app.query("#report-sections")))
        app.query_one("#report-sections").focus()
        await pilot.press("end", "up", "enter")  # 年度总体目标, above the last section
        assert app.focused.id == "report-goal"
        assert "年度总体目标" in screen_text(app)
        await pilot.press(*"全年办件5万件以上")
        await pilot.press("escape", "end", "enter")  # 封面与通知: the cursor goes to its first box
        assert app.focused.id == "report-evaluator"
        await pilot.press("tab", "tab")
        assert app.focused.id == "report-notice"
        for character in "《关于开展绩效自评的通知》":  # as the input method passes it on (《 has no key name)
            app.post_message(events.Key(_character_to_key(character), character))
        await settle(pilot)
        await pilot.press("tab")
        await settle(pilot, 1.0)
    saved = evaluation_on_disk(demo)
    assert (saved.goal, saved.notice) == ("全年办件5万件以上", "《关于开展绩效自评的通知》")
    from zzperf.report import write_report

    written = write_report(Workspace(demo), 2018, "md").read_text(encoding="utf-8")
    assert "根据《关于开展绩效自评的通知》要求" in written and "全年办件5万件以上" in written
    assert "（通知名称和文号未填写）" not in written and "年度总体目标（未填写）" not in written


async def test_c_on_the_tree_confirms_a_draft_and_takes_it_back(demo: Path) -> None:
    """社会效益 is a draft in the demo: c on the tree ticks 已核实 without tabbing to the box (saved, marked), c again
    takes it back to draft; on an automatic item with nothing entered c only says there is nothing to confirm."""
    key = next(k for k, entry in evaluation_on_disk(demo).indicators.items() if entry.status == "draft")
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.score_pane.select(key)
        app.score_pane.tree.focus()
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.session.evaluation.entry(key).status == "confirmed"
        assert app.query_one("#entry-confirmed").value
        await wait_until(pilot, lambda: evaluation_on_disk(demo).entry(key).status == "confirmed")
        await pilot.press("c")
        await settle(pilot)
        assert app.session.evaluation.entry(key).status == "draft"
        await wait_until(pilot, lambda: evaluation_on_disk(demo).entry(key).status == "draft")
        box = app.query_one("#entry-reason", TextArea)
        box.focus()
        await pilot.press("end", "c")  # in a text box c is a letter
        await settle(pilot)
        assert box.text.endswith("c") and app.session.evaluation.entry(key).status == "draft"
        app.score_pane.select("process.execution.budget_adjustment")  # automatic, nothing entered
        app.score_pane.tree.focus()
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert any(notice.message == "本项还没有评价人录入的内容，无需确认" for notice in app._notifications)
        assert app.session.evaluation.entry("process.execution.budget_adjustment").is_empty()


async def test_the_cover_details_of_the_department_are_written_on_the_report_screen(demo: Path) -> None:
    """预算编码, 联系人 and 联系电话, which the report wrote as （未填写）, are typed under 封面与通知: written to
    zzperf.toml at once (its comments kept), not taken for someone else's change, and on the report's cover."""
    before = (demo / "zzperf.toml").read_text(encoding="utf-8")
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: bool(app.query("#report-sections")))
        app.query_one("#report-sections").focus()
        await pilot.press("end", "enter")  # 封面与通知
        for key, text in (("budget_code", "101001"), ("contact", "张三"), ("phone", "0731-28888888")):
            app.query_one(f"#report-{key}").focus()
            await pilot.press(*text)
            await settle(pilot, 0.8)  # the typing pause after which a change is sent and saved
        await pilot.press("tab")
        await settle(pilot, 0.5)
        assert not any(notice.title == "已重新载入" for notice in app._notifications)
    profile = Workspace(demo).profile
    assert (profile.budget_code, profile.contact, profile.phone) == ("101001", "张三", "0731-28888888")
    assert (demo / "zzperf.toml").read_text(encoding="utf-8").startswith(before.split("\n", 1)[0])  # comments kept
    from zzperf.report import write_report

    written = write_report(Workspace(demo), 2018, "md").read_text(encoding="utf-8")
    assert "| 联系人 | 张三 |" in written and "| 联系电话 | 0731-28888888 |" in written
    assert "| 预算编码 | 101001 |" in written


async def test_a_cover_detail_typed_over_an_outside_change_is_refused_not_written_over(demo: Path) -> None:
    """Someone changed zzperf.toml while the app was open: the 联系人 typed is not written over it; the notice says
    why, and the file keeps the other change."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: bool(app.query("#report-sections")))
        profile = demo / "zzperf.toml"
        profile.write_text(profile.read_text(encoding="utf-8") + 'phone = "0731-1"\n', encoding="utf-8")
        app.query_one("#report-sections").focus()
        await pilot.press("end", "enter")
        app.query_one("#report-contact").focus()
        await pilot.press(*"张三")
        await settle(pilot, 0.8)
        assert any(notice.title == "部门信息未保存" for notice in app._notifications)
    saved = Workspace(demo).profile
    assert (saved.contact, saved.phone) == ("", "0731-1")


async def test_c_does_not_confirm_a_score_waiting_for_its_reason(demo: Path) -> None:
    """在职人员控制率 adjusted to 4 without a reason (缺理由, the 4 not used): c says so instead of confirming it."""
    key = "input.config.staff_control"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await in_the_score_box(app, pilot, key)
        await pilot.press("4", "enter")
        await settle(pilot)
        app.score_pane.tree.focus()
        await settle(pilot, 0.6)  # a moment later, as a person moves on (keys just after Enter follow the focus)
        assert app.session.card.results[key].status is Status.NEEDS_REASON
        await pilot.press("c")
        await settle(pilot)
        assert app.session.evaluation.entry(key).status == "draft"
        assert any("写明理由后再确认" in notice.message.replace("\n", "") for notice in app._notifications)


async def test_typing_on_the_cover_section_adds_to_the_end_of_the_evaluator_after_a_year_switch(demo: Path) -> None:
    """After F5 to 2017 and back, a key typed on 封面与通知 in the list went before 评价人's text (the box was
    filled again with its cursor at the start); it is added at the end."""
    before = evaluation_on_disk(demo).evaluator
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")  # the report tab open before the switch: its boxes are filled again after it
        await wait_until(pilot, lambda: bool(app.query("#report-sections")))
        await pilot.press("f5", "up", "enter")  # 2017
        await settle(pilot)
        await pilot.press("f5", "down", "enter")  # back to 2018
        await settle(pilot)
        assert app.session.year == 2018
        app.query_one("#report-sections").focus()
        await pilot.press("end")
        await settle(pilot, 0.6)
        await pilot.press("V")
        await settle(pilot, 1.0)
    assert evaluation_on_disk(demo).evaluator == before + "V"
