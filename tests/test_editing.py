"""Editing a workspace without a screen: figures from typed text, entries, a new year, navigation, disk changes."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import DEMO
from zzperf import editing
from zzperf.accounts import Accounts
from zzperf.editing import EditError
from zzperf.errors import ZzperfError
from zzperf.evaluation import Evaluation
from zzperf.scoring import Status, count_wanted, next_leaf, score_year
from zzperf.tomlio import _umask, load_model
from zzperf.workspace import Workspace, start_new_year
from zzperf.workspace.watch import DiskWatch

D = Decimal


@pytest.fixture(scope="module")
def accounts() -> Accounts:
    return Workspace(DEMO).load_accounts(2018)


@pytest.mark.parametrize(
    ("path", "text", "expected"),
    [
        ("overview.expenditure_total", "700", D("700")),
        ("overview.expenditure_total", "1,234.56", D("1234.56")),
        ("overview.expenditure_total", "６０８．７２", D("608.72")),
        ("overview.expenditure_total", "12.5万", D("12.5")),
        ("overview.expenditure_total", "6087200元", D("608.72")),
        ("overview.expenditure_total", "-", D("0")),
        ("overview.expenditure_total", "", None),
        ("overview.expenditure_total", "数据不足", None),
        ("three_public.budget.total", "9", D("9")),
        ("expenditure.lines[2010301].basic", "480", D("480")),
        ("basic_expenditure.lines[301]", "258.88", D("258.88")),
        ("basic_expenditure.lines[30101].amount", "100", D("100")),
        ("staffing.in_service", "18", 18),
        ("outcomes.satisfaction.actual", "96.5", D("96.5")),
        ("outcomes.cases_handled.op", "≤", "<="),
        ("gov_fund.has_data", "否", False),
        ("gov_fund.note", "本单位无政府性基金收支", "本单位无政府性基金收支"),
    ],
)
def test_set_figure_reads_what_people_type(accounts: Accounts, path: str, text: str, expected: object) -> None:
    changed = editing.set_figure(accounts, path, text)
    assert editing.get_figure(changed, path) == expected
    # the original is untouched
    assert accounts.overview.expenditure_total == D("619.54")
    assert accounts.staffing.in_service == 17


@pytest.mark.parametrize(
    ("path", "text", "message"),
    [
        ("overview.expenditure_total", "六百", "不是金额"),
        ("staffing.in_service", "17.5", "整数"),
        ("staffing.in_service", "-1", "整数"),
        ("outcomes.cases_handled.op", ">", "指标性质"),
        ("gov_fund.has_data", "也许", "是"),
        ("prev.overview.income_total", "1", "上年"),
        ("expenditure.lines[999].basic", "1", "999"),
        ("overview.no_such_field", "1", "no_such_field"),
        ("outcomes.unknown.actual", "1", "unknown"),
        ("expenditure.lines[201]", "1", "指明列"),
    ],
)
def test_set_figure_refuses_with_a_chinese_message(accounts: Accounts, path: str, text: str, message: str) -> None:
    with pytest.raises(EditError) as raised:
        editing.set_figure(accounts, path, text)
    assert message in raised.value.message


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_edit_text_round_trips(value: Decimal) -> None:
    text = editing.edit_text(value, "money")
    assert editing.parse_figure(text, "money") == value


def test_edited_figure_rescores_the_dependent_indicator(shipped: Workspace, accounts: Accounts) -> None:
    evaluation = shipped.load_evaluation(2018)
    before = score_year(shipped.indicator_set, accounts, evaluation, shipped.previous_accounts(2018))
    changed = editing.set_figure(accounts, "overview.expenditure_total", "517.70")
    after = score_year(shipped.indicator_set, changed, evaluation, shipped.previous_accounts(2018))
    key = "process.execution.budget_completion"
    assert before.results[key].final_score == D("2.00")
    assert after.results[key].value_text == "100.00%"
    assert after.results[key].final_score == D("6.00")
    assert after.total == before.total + 4
    uses = editing.figure_uses(shipped.indicator_set)
    assert [node.id for node in uses["overview.expenditure_total"]] == [key]
    assert "output.quantity.cases_handled" in [node.id for node in uses["outcomes.cases_handled.actual"]]


def test_setting_any_figure_changes_that_figure_only_and_leaves_the_accounts_it_was_set_on_as_they_were(
    accounts: Accounts,
) -> None:
    """Every cell of every sheet: the copy holds the new figure and equals the original elsewhere; the original (kept
    for undo) is unchanged, the parts of it not on the way to the figure shared rather than copied."""
    before = accounts.model_copy(deep=True)
    paths = [path for sheet in editing.sheets(accounts) for row in sheet.rows for path in row.paths if path]
    assert len(paths) > 300
    for path in paths:
        kind = editing.figure_kind(accounts, path)
        text = {"money": "12.34", "quantity": "5", "count": "7", "bool": "是", "op": ">="}.get(kind, "文字")
        changed = editing.set_figure(accounts, path, text)
        assert editing.get_figure(changed, path) == editing.parse_figure(text, kind), path
        others = [other for other in paths[:: len(paths) // 40] if other != path]
        assert [editing.get_figure(changed, other) for other in others] == [
            editing.get_figure(before, other) for other in others
        ], path
        assert accounts == before, path
    untouched = editing.set_figure(accounts, "overview.income_total", "1")
    assert untouched.expenditure is accounts.expenditure and untouched.overview is not accounts.overview


def test_sheets_cover_every_table_and_locate_finding_paths(accounts: Accounts) -> None:
    sheet_list = editing.sheets(accounts, with_previous=True)
    titles = [sheet.title for sheet in sheet_list]
    for number in range(1, 9):
        assert any(title.startswith(f"公开0{number}表") for title in titles)
    assert "绩效目标与完成值" in titles
    # every path shown is one set_figure accepts
    for sheet in sheet_list:
        for row in sheet.rows:
            for path in row.paths:
                if path and not path.startswith("prev."):
                    editing.figure_kind(accounts, path)
    s, r, c = editing.locate(sheet_list, "basic_expenditure.lines[301]")
    assert sheet_list[s].key == "t6" and sheet_list[s].rows[r].code == "301"
    s, r, c = editing.locate(sheet_list, "overview.income_grand_total")
    assert sheet_list[s].key == "t1" and sheet_list[s].rows[r].label == "收入总计" and c == 0
    s, r, c = editing.locate(sheet_list, "prev.overview.carryover_end")
    assert c == 1
    assert editing.locate(sheet_list, "nowhere.at_all") is None


def test_scores_and_cases_are_validated() -> None:
    assert editing.parse_score("3.5", D(4)) == D("3.5")
    assert editing.parse_score(" 4分 ", D(4)) == D(4)
    assert editing.parse_score("", D(4)) is None
    with pytest.raises(EditError, match="0 至 4 分"):
        editing.parse_score("5", D(4))
    with pytest.raises(EditError, match="不是分数"):
        editing.parse_score("好", D(4))
    with pytest.raises(EditError, match="0 至 4 分"):
        editing.parse_score("-1", D(4))
    assert editing.parse_cases("2") == 2 and editing.parse_cases("") is None
    with pytest.raises(EditError):
        editing.parse_cases("1.5")


def test_update_entry_keeps_set_order_and_drops_empty_entries(shipped: Workspace) -> None:
    evaluation = shipped.load_evaluation(2018)
    order = list(shipped.indicator_set.by_id)
    changed = editing.update_entry(
        evaluation, "input.config.staff_control", {"score": D(4), "reason": "编外人员较多"}, order
    )
    keys = list(changed.indicators)
    assert keys.index("input.config.staff_control") < keys.index("process.management.rules")
    assert changed.entry("input.config.staff_control").reason == "编外人员较多"
    assert "input.config.staff_control" not in evaluation.indicators
    cleared = editing.update_entry(changed, "input.config.staff_control", {"score": None, "reason": ""}, order)
    assert "input.config.staff_control" not in cleared.indicators
    with pytest.raises(EditError):
        editing.update_entry(evaluation, "input.config.staff_control", {"score": D(-1)})
    report = editing.update_report(evaluation, problems="新问题", evaluator="某评价组")
    assert report.report.problems == "新问题" and report.evaluator == "某评价组"
    assert report.report.achievements == evaluation.report.achievements


def test_changing_a_confirmed_score_or_its_grounds_takes_it_back_to_draft(shipped: Workspace) -> None:
    """已核实 vouches for what was checked: a new level, score, count, 不适用, reason or evidence unconfirms it."""
    evaluation = shipped.load_evaluation(2018)
    key = "input.goals.clarity"  # 一般, confirmed in the demo
    assert evaluation.entry(key).status == "confirmed"
    for changes in (
        {"level": "较好"},
        {"score": D(1)},
        {"not_applicable": True},
        {"reason": "改写的理由"},
        {"evidence": "新的佐证"},
    ):
        assert editing.update_entry(evaluation, key, changes).entry(key).status == "draft", changes
    counted = "process.management.compliance"  # cases = 0, confirmed
    assert editing.update_entry(evaluation, counted, {"cases": 2}).entry(counted).status == "draft"
    ticked = "process.management.rules"
    more = {"checked": ["管理制度已制定", "制度合法合规完整", "制度得到有效执行"]}
    assert editing.update_entry(evaluation, ticked, more).entry(ticked).status == "draft"
    # the same values again, a note beside the score, or the tick itself leave the status as asked
    assert editing.update_entry(evaluation, key, {"level": "一般"}).entry(key).status == "confirmed"
    assert editing.update_entry(evaluation, key, {"comment": "备注"}).entry(key).status == "confirmed"
    both = editing.update_entry(evaluation, key, {"level": "好", "status": "confirmed"})
    assert both.entry(key).status == "confirmed" and both.entry(key).level == "好"
    draft = editing.update_entry(evaluation, key, {"status": "draft"})
    assert editing.update_entry(draft, key, {"status": "confirmed"}).entry(key).status == "confirmed"


def test_start_new_year_keeps_targets_and_clears_figures(workspace: Workspace) -> None:
    year = start_new_year(workspace)
    assert year == 2019 and workspace.years() == [2017, 2018, 2019]
    accounts = workspace.load_accounts(2019)
    old = workspace.load_accounts(2018)
    assert [o.key for o in accounts.outcomes] == [o.key for o in old.outcomes]
    assert [o.target for o in accounts.outcomes] == [o.target for o in old.outcomes]
    assert all(o.actual is None and o.note is None for o in accounts.outcomes)
    assert accounts.overview.expenditure_total is None
    # the 科目 rows carry over with empty amounts; this year's opening balance is last year's closing one
    assert [(line.code, line.name) for line in accounts.expenditure.lines] == [
        (line.code, line.name) for line in old.expenditure.lines
    ]
    assert all(line.total is None and line.basic is None for line in accounts.expenditure.lines)
    assert [line.code for line in accounts.basic_expenditure.lines] == [
        line.code for line in old.basic_expenditure.lines
    ]
    assert all(line.amount is None for line in accounts.basic_expenditure.lines)
    assert accounts.overview.carryover_begin == old.overview.carryover_end == Decimal("8.61")
    evaluation = workspace.load_evaluation(2019)
    assert evaluation.indicators == {} and evaluation.evaluator == "部门（单位）评价组"
    assert workspace.profile.name == "株洲市政务服务中心"
    card = workspace.score(2019)
    assert card.scored_count == 0
    with pytest.raises(ZzperfError, match="已有 2019"):
        start_new_year(workspace, 2019)


def test_next_leaf_walks_the_items_needing_attention(shipped: Workspace) -> None:
    card = shipped.score(2018)
    first = next_leaf(card, None)
    assert first == "input.config.three_public_change"
    assert card.results[first].status is Status.INSUFFICIENT
    second = next_leaf(card, first)
    assert second == "process.execution.procurement"
    assert next_leaf(card, second, backwards=True) == first
    assert next_leaf(card, None, "unscored", backwards=True) == "effect.satisfaction.service"
    assert count_wanted(card, "unscored") == 3
    # wraps round from the last leaf
    assert next_leaf(card, "effect.satisfaction.service") == first


def test_disk_watch_notices_content_changes_not_touches(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text("year = 2018\n", encoding="utf-8")
    watch = DiskWatch([path])
    assert watch.changed() == []
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert watch.changed() == []  # touched, same content
    path.write_text("year = 2019\n", encoding="utf-8")
    assert watch.changed() == [path]
    watch.record(path)
    assert watch.changed() == []
    with watch.writing(path):
        path.write_text("year = 2020\n", encoding="utf-8")
        assert watch.changed() == []  # one's own write in flight
    assert watch.changed() == []
    path.unlink()
    assert watch.changed() == [path]


def test_a_watch_over_what_was_read_notices_a_change_made_since_the_read(workspace: Workspace) -> None:
    path = workspace.year_dir(2018) / "accounts.toml"
    workspace.load_accounts(2018)
    path.write_text(path.read_text(encoding="utf-8") + "\n# 外部修改\n", encoding="utf-8")  # after the read
    assert DiskWatch([path], known=workspace.stamps).changed() == [path]  # the figures held are not the file's
    assert DiskWatch([path]).changed() == []  # a watch from the file as it is now could not tell
    # what the workspace writes itself is not a change: the watch then takes the file as it is
    workspace = Workspace(workspace.root)
    workspace.save_accounts(editing.set_figure(workspace.load_accounts(2018), "procurement.budget", "52.00"))
    assert DiskWatch([path], known=workspace.stamps).changed() == []


def test_saved_files_read_back_exactly(workspace: Workspace) -> None:
    accounts = editing.set_figure(workspace.load_accounts(2018), "procurement.budget", "52.00")
    workspace.save_accounts(accounts)
    assert load_model(workspace.year_dir(2018) / "accounts.toml", Accounts).procurement.budget == D("52.00")
    evaluation = editing.update_entry(
        workspace.load_evaluation(2018), "effect.satisfaction.service", {"score": D(6), "reason": "抽样调查 93%"}
    )
    workspace.save_evaluation(evaluation)
    saved = load_model(workspace.year_dir(2018) / "evaluation.toml", Evaluation)
    assert saved.entry("effect.satisfaction.service").score == D(6)
    assert saved == evaluation


def test_saving_keeps_the_files_permissions(workspace: Workspace) -> None:
    path = workspace.year_dir(2018) / "accounts.toml"
    os.chmod(path, 0o644)
    workspace.save_accounts(editing.set_figure(workspace.load_accounts(2018), "procurement.budget", "52"))
    assert path.stat().st_mode & 0o777 == 0o644  # not the 0600 of a temporary file
    new_year = start_new_year(workspace)
    created = workspace.year_dir(new_year) / "accounts.toml"
    assert created.stat().st_mode & 0o777 == 0o666 & ~_umask()  # as open() would make it


def test_adding_and_removing_rows_keeps_code_order_and_refuses_what_cannot_be(accounts: Accounts) -> None:
    added = editing.add_line(accounts, "t5", "2010350", "事业运行")
    codes = [line.code for line in added.general_budget_expenditure.lines]
    assert codes.index("2010350") == codes.index("2010302") + 1
    assert accounts.general_budget_expenditure.lines != added.general_budget_expenditure.lines  # a copy
    for sheet, code, name, words in (
        ("t5", "20103501", "x", "功能分类科目编码应为数字（类 3 位、款 5 位、项 7 位）"),
        ("t6", "3010101", "x", "经济分类科目编码应为数字（类 3 位、款 5 位）"),
        ("t5", "208", "x", "表中已有 208 社会保障和就业支出"),
        ("t5", "212", " ", "请填写科目名称"),
        ("t1", "201", "x", "这张表的行是固定的"),
    ):
        with pytest.raises(EditError, match=words.replace("(", r"\(").replace(")", r"\)")):
            editing.add_line(accounts, sheet, code, name)
    removed, gone = editing.remove_line(accounts, "t5", "208")
    assert gone == ["208 社会保障和就业支出", "20805 行政事业单位离退休", "2080505 机关事业单位基本养老保险缴费支出"]
    assert not any(line.code.startswith("208") for line in removed.general_budget_expenditure.lines)
    with pytest.raises(EditError, match="合计行不能删除"):
        editing.remove_line(accounts, "t5", "")


def test_a_new_rows_name_comes_from_the_years_other_tables_or_the_class_list(accounts: Accounts) -> None:
    assert editing.name_for_code(accounts, "budget_lines", "20805") == "行政事业单位离退休"  # from 公开03/05表
    assert editing.name_for_code(accounts, "t6", "302") == "商品和服务支出"
    assert editing.name_for_code(accounts, "t5", "2130101") is None  # not known: nothing guessed
