"""Scoring the demo year reproduces the seed's figures, and every rule type scores as its text says."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO
from zzperf.accounts import Accounts
from zzperf.evaluation import Entry, Evaluation
from zzperf.indicators import IndicatorSet, JudgedRule
from zzperf.scoring import Status, score_leaf, score_year
from zzperf.workspace import Workspace

D = Decimal


@pytest.fixture(scope="module")
def card(shipped: Workspace):
    return shipped.score(2018)


@pytest.mark.parametrize(
    ("indicator_id", "trace", "value"),
    [
        (
            "process.execution.budget_completion",
            "预算完成率 = 本年支出合计 619.54 ÷ 年初预算 517.70 = 119.67%",
            "119.67%",
        ),
        ("process.execution.three_public_control", "4.21 ÷ “三公”经费预算数·合计 8.00 = 52.63%", "52.63%"),
        (
            "process.execution.public_control",
            "机关运行经费支出 313.35 ÷ 机关运行经费预算数 285.21 = 109.87%",
            "109.87%",
        ),
        (
            "process.execution.carryover_change",
            "(年末结转和结余 8.61 − 年初结转和结余 19.44) ÷ 年初结转和结余 19.44 = -55.71%",
            "-55.71%",
        ),
        ("input.config.staff_control", "在职人员控制率 = 在职人数 17 ÷ 编制数 20 = 85.00%", "85.00%"),
    ],
)
def test_seed_figures_reproduce_through_the_demo_set(card, indicator_id: str, trace: str, value: str) -> None:
    result = card.results[indicator_id]
    assert trace in result.trace
    assert result.value_text == value


def test_automatic_scores_follow_the_rules(card) -> None:
    results = card.results
    # 119.67% lies in (110%, 120%] → 2 of 6.
    assert results["process.execution.budget_completion"].final_score == D("2.00")
    # |608.72 − 517.70| ÷ 517.70 = 17.58% lies in (10%, 20%] → 2 of 4.
    assert results["process.execution.budget_adjustment"].final_score == D("2.00")
    # 109.8664…% is 9.8664 pp over 100%: 4 − 0.2 × 9.8664 = 2.0267 → 2.03.
    public = results["process.execution.public_control"]
    assert public.final_score == D("2.03")
    assert "扣 1.97 分" in public.rule_text
    # 28 items against a target of ≥ 20 beats it by 40% (≥ 30%): 4 − 2 = 2.
    joint = results["output.quality.joint_licensing"]
    assert joint.final_score == D("2.00")
    assert "目标设定偏低" in joint.rule_text
    assert results["process.execution.carryover_change"].final_score == D("4.00")
    assert results["input.config.staff_control"].final_score == D("5.00")


def test_missing_data_is_insufficient_not_zero_or_full(card) -> None:
    pending = {result.indicator.id: result for result in card.pending}
    assert set(pending) == {
        "input.config.three_public_change",  # the demo has no 2017 三公 budget
        "process.execution.procurement",  # the 决算 publishes no 政府采购预算
        "effect.satisfaction.service",  # no survey in 2018
    }
    for result in pending.values():
        assert result.status is Status.INSUFFICIENT
        assert result.final_score is None
        assert result.value_text == "数据不足"
        assert result.missing
    assert "上年“三公”经费预算数·合计" in pending["input.config.three_public_change"].missing


def test_total_and_grade_checked_by_hand(card) -> None:
    # 投入 1.5 + 1 + 5 = 7.5; 过程 (2 + 2 + 4 + 2.03 + 4 + 2 + 2) + (2 + 3 + 2 + 1) + (2 + 3) = 31.03;
    # 产出 5 + 5 + 2 + 2 + 4 = 18; 效果 6 + 3 = 9.
    assert [group.score for group in card.top_groups()] == [D("7.50"), D("31.03"), D("18.00"), D("9.00")]
    assert card.total == D("65.53")
    assert card.pending_points == D("17")
    assert not card.complete
    assert card.grade_text == "中（暂定）"


def test_resolving_the_pending_items_completes_the_card(shipped: Workspace) -> None:
    year = shipped.load_year(2018)
    evaluation = year.evaluation.model_copy(deep=True)
    evaluation.indicators["input.config.three_public_change"] = Entry(
        score=D(5), reason="核对上年预算数 8.00 万元，持平"
    )
    evaluation.indicators["process.execution.procurement"] = Entry(not_applicable=True)
    evaluation.indicators["effect.satisfaction.service"] = Entry(
        score=D(4), reason="未开展满意度调查，按投诉记录酌情评分"
    )
    card = score_year(shipped.indicator_set, year.accounts, evaluation, shipped.previous_accounts(2018))
    assert card.complete
    # 65.53 + 5 + 4 (不适用, full per the set) + 4 = 78.53 → 中.
    assert card.total == D("78.53")
    assert card.grade_text == "中"
    assert card.results["process.execution.procurement"].status is Status.NOT_APPLICABLE


def test_rescoring_after_one_edit_adds_up_the_groups_above_it_anew_and_hands_back_the_others(
    shipped: Workspace,
) -> None:
    """Groups whose leaves all handed back their results are handed back too; those above the changed leaf are
    summed again, and every group equals one scored from nothing."""
    from zzperf import editing, scoring

    indicator_set, evaluation = shipped.set_for(2018), shipped.load_evaluation(2018)
    accounts, previous = shipped.load_accounts(2018), shipped.previous_accounts(2018)
    before = score_year(indicator_set, accounts, evaluation, previous)
    staffing = editing.set_figure(accounts, "staffing.in_service", "25")
    after = score_year(indicator_set, staffing, evaluation, previous)
    leaf = "input.config.staff_control"
    assert after.results[leaf].final_score != before.results[leaf].final_score
    for group_id in ("input", "input.config"):
        assert after.groups[group_id].score == before.groups[group_id].score + (
            after.results[leaf].final_score - before.results[leaf].final_score
        )
    for group_id in ("process", "output", "effect", "input.goals"):
        assert after.groups[group_id] is before.groups[group_id]
    scoring._GROUPS.clear()
    scoring._LEAVES.clear()
    assert score_year(indicator_set, staffing, evaluation, previous).groups == after.groups


def test_override_needs_a_reason(shipped: Workspace) -> None:
    year = shipped.load_year(2018)
    node = shipped.indicator_set.by_id["process.execution.budget_completion"]
    refused = score_leaf(node, year.accounts, None, Entry(score=D(6)))
    assert refused.final_score == D("2.00")
    assert refused.status is Status.NEEDS_REASON
    assert any("须填写理由" in problem for problem in refused.problems)
    accepted = score_leaf(node, year.accounts, None, Entry(score=D(5), reason="结转资金安排的搬迁支出不计入"))
    assert accepted.final_score == D("5.00")
    assert accepted.status is Status.OVERRIDDEN
    assert accepted.auto_score == D("2.00")


def test_judged_deduction_without_reason_is_flagged(shipped: Workspace) -> None:
    year = shipped.load_year(2018)
    node = shipped.indicator_set.by_id["process.management.information"]
    result = score_leaf(node, year.accounts, None, Entry(score=D(1)))
    assert result.status is Status.NEEDS_REASON
    assert result.problems == ("有扣分，须填写扣分原因；写明理由前 1.00 分为草稿，不计入总分",)
    assert result.final_score is None and result.held_score == D("1.00")  # a draft: not in the total
    reasoned = score_leaf(node, year.accounts, None, Entry(score=D(1), reason="信息不全"))
    assert reasoned.final_score == D("1.00") and reasoned.held_score is None
    over = score_leaf(node, year.accounts, None, Entry(score=D(3), reason="x"))
    assert over.final_score is None
    assert any("超过分值" in problem for problem in over.problems)


def _one_leaf_set(rule: dict, formula: str | None = None, unit: str = "%", points: int = 10) -> IndicatorSet:
    leaf = {"id": "a.b.c", "name": "测试指标", "points": points, "unit": unit, "rule": rule}
    if formula:
        leaf["formula"] = formula
    return IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": points,
            "indicator": [
                {"id": "a", "name": "一级", "points": points},
                {"id": "a.b", "name": "二级", "points": points},
                leaf,
            ],
        }
    )


def _score(rule: dict, in_service: int, authorized: int = 100, **entry) -> Decimal | None:
    indicator_set = _one_leaf_set(rule, "staffing.in_service / staffing.authorized")
    accounts = Accounts.model_validate({"year": 2020, "staffing": {"in_service": in_service, "authorized": authorized}})
    return score_leaf(indicator_set.leaves[0], accounts, None, Entry(**entry)).final_score


@pytest.mark.parametrize(
    ("rule", "value", "expected"),
    [
        ({"type": "threshold", "direction": "max", "limit": 100, "deduct": 0.5}, 100, "10.00"),
        ({"type": "threshold", "direction": "max", "limit": 100, "deduct": 0.5}, 103, "8.50"),
        ({"type": "threshold", "direction": "max", "limit": 100, "deduct": 0.5}, 150, "0.00"),
        ({"type": "threshold", "direction": "min", "limit": 90, "deduct": 1}, 85, "5.00"),
        ({"type": "step", "direction": "min", "limit": 100, "step": 5, "deduct": 2, "rounding": "ceil"}, 96, "8.00"),
        ({"type": "step", "direction": "min", "limit": 100, "step": 5, "deduct": 2, "rounding": "floor"}, 96, "10.00"),
        ({"type": "step", "direction": "min", "limit": 100, "step": 5, "deduct": 2, "rounding": "floor"}, 89, "6.00"),
        ({"type": "proportional", "target": 100}, 80, "8.00"),
        ({"type": "proportional", "target": 100}, 130, "10.00"),
        (
            {"type": "bands", "bands": [{"lower": 90, "points": 10}, {"lower": 80, "upper": 90, "points": 6}]},
            85,
            "6.00",
        ),
        (
            {"type": "bands", "bands": [{"lower": 90, "points": 10}, {"lower": 80, "upper": 90, "points": 6}]},
            90,
            "10.00",
        ),
    ],
)
def test_rule_types(rule: dict, value: int, expected: str) -> None:
    assert _score(rule, value) == D(expected)


def test_value_outside_every_band_asks_the_evaluator() -> None:
    indicator_set = _one_leaf_set(
        {"type": "bands", "bands": [{"lower": 90, "points": 10}]}, "staffing.in_service / staffing.authorized"
    )
    accounts = Accounts.model_validate({"year": 2020, "staffing": {"in_service": 50, "authorized": 100}})
    result = score_leaf(indicator_set.leaves[0], accounts, None, Entry())
    assert result.final_score is None
    assert result.status is Status.UNSCORED
    assert "不在任何评分区间" in result.problems[0]


def test_division_by_zero_is_insufficient() -> None:
    assert _score({"type": "proportional"}, 5, authorized=0) is None


def test_missing_zero_is_stated() -> None:
    indicator_set = IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": 10,
            "indicator": [
                {"id": "a", "name": "一级", "points": 10},
                {
                    "id": "a.b",
                    "name": "二级",
                    "points": 10,
                    "formula": "budget.initial",
                    "missing": "zero",
                    "rule": {"type": "proportional", "target": 100},
                },
            ],
        }
    )
    result = score_leaf(indicator_set.leaves[0], Accounts(year=2020), None, Entry())
    assert result.final_score == D(0)
    assert "数据不足，按本指标规则计 0 分" in result.rule_text


def test_checklist_levels_and_cases() -> None:
    checklist = _one_leaf_set(
        {"type": "checklist", "items": [{"name": "甲", "points": 6}, {"name": "乙", "points": 4}]}
    )
    result = score_leaf(checklist.leaves[0], Accounts(year=2020), None, Entry(checked=["乙"], reason="甲项无制度文件"))
    assert result.final_score == D(4)
    assert "未达到：甲" in result.rule_text
    full = score_leaf(checklist.leaves[0], Accounts(year=2020), None, Entry(checked=["甲", "乙"]))
    assert full.final_score == D(10) and full.status is Status.JUDGED  # no deduction, no reason wanted
    levels = _one_leaf_set({"type": "levels", "levels": [{"name": "好", "points": 10}, {"name": "一般", "points": 6}]})
    assert score_leaf(levels.leaves[0], Accounts(year=2020), None, Entry(level="好")).final_score == D(10)
    unreasoned = score_leaf(levels.leaves[0], Accounts(year=2020), None, Entry(level="一般"))
    assert unreasoned.status is Status.NEEDS_REASON
    assert unreasoned.final_score is None and unreasoned.held_score == D(6)
    bad = score_leaf(levels.leaves[0], Accounts(year=2020), None, Entry(level="优秀"))
    assert bad.final_score is None and "无效" in bad.problems[0]
    cases = _one_leaf_set({"type": "per_case", "deduct": 3})
    assert score_leaf(cases.leaves[0], Accounts(year=2020), None, Entry(cases=2, reason="两起投诉")).final_score == D(4)
    assert score_leaf(cases.leaves[0], Accounts(year=2020), None, Entry(cases=9, reason="九起")).final_score == D(0)
    assert score_leaf(cases.leaves[0], Accounts(year=2020), None, Entry(cases=0)).final_score == D(10)


def test_a_checklist_or_case_deduction_without_a_reason_is_a_draft_kept_out_of_the_total() -> None:
    """The items ticked and the cases counted are the evaluator's finding, as a level is: the form asks for the
    reason of the deduction, and until it is written the score is a draft (缺理由), as the README says."""
    checklist = _one_leaf_set(
        {"type": "checklist", "items": [{"name": "甲", "points": 6}, {"name": "乙", "points": 4}]}
    )
    cases = _one_leaf_set({"type": "per_case", "deduct": 3})
    for indicator_set, entry, held in (
        (checklist, Entry(checked=["乙"]), D(4)),
        (cases, Entry(cases=2), D(4)),
    ):
        result = score_leaf(indicator_set.leaves[0], Accounts(year=2020), None, entry)
        assert result.status is Status.NEEDS_REASON, result
        assert result.final_score is None and result.held_score == held
        assert any("扣分原因" in problem for problem in result.problems)
        card = score_year(indicator_set, Accounts(year=2020), Evaluation(year=2020, indicators={"a.b.c": entry}))
        assert card.shown_total is None and [r.indicator.id for r in card.held_back] == ["a.b.c"]


def test_not_applicable_exclude_rescales_the_total() -> None:
    indicator_set = IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": 100,
            "indicator": [
                {"id": "a", "name": "一级", "points": 100},
                {"id": "a.x", "name": "甲", "points": 80, "rule": {"type": "judged"}},
                {"id": "a.y", "name": "乙", "points": 20, "rule": {"type": "judged"}, "not_applicable": "exclude"},
            ],
        }
    )
    evaluation = Evaluation(
        year=2020, indicators={"a.x": Entry(score=D(60), reason="r"), "a.y": Entry(not_applicable=True)}
    )
    card = score_year(indicator_set, Accounts(year=2020), evaluation)
    assert card.total == D("75.00")  # 60 ÷ 80 × 100
    assert card.complete
    assert "折算" in card.adjustments[0]


def test_caps_limit_the_total() -> None:
    indicator_set = IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": 100,
            "cap": [{"indicator": "a.rate", "lower": 70, "upper": 80, "max_total": 89, "reason": "执行率 70%–80%"}],
            "indicator": [
                {"id": "a", "name": "一级", "points": 100},
                {
                    "id": "a.rate",
                    "name": "执行率",
                    "points": 10,
                    "unit": "%",
                    "formula": "overview.expenditure_total / budget.initial",
                    "rule": {"type": "proportional"},
                },
                {"id": "a.rest", "name": "其余", "points": 90, "rule": {"type": "judged"}},
            ],
        }
    )
    accounts = Accounts.model_validate(
        {"year": 2020, "overview": {"expenditure_total": 75}, "budget": {"initial": 100}}
    )
    evaluation = Evaluation(year=2020, indicators={"a.rest": Entry(score=D(90))})
    card = score_year(indicator_set, accounts, evaluation)
    assert card.raw_total == D("97.50")
    assert card.total == D(89)
    assert "封顶" in card.adjustments[0]


def test_target_rule_directions() -> None:
    indicator_set = IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": 10,
            "indicator": [
                {"id": "a", "name": "一级", "points": 10},
                {"id": "a.t", "name": "时限", "points": 10, "rule": {"type": "target", "outcome": "days"}},
            ],
        }
    )
    leaf = indicator_set.leaves[0]

    def run(op: str, target: int, actual: int | None) -> Decimal | None:
        outcome = {"key": "days", "name": "办结时限", "unit": "天", "op": op, "target": target}
        if actual is not None:
            outcome["actual"] = actual
        accounts = Accounts.model_validate({"year": 2020, "outcomes": [outcome]})
        return score_leaf(leaf, accounts, None, Entry()).final_score

    assert run("<=", 10, 8) == D(10)
    assert run("<=", 10, 20) == D(5)
    assert run(">=", 10, 5) == D(5)
    assert run("=", 10, 10) == D(10)
    assert run(">=", 10, None) is None


_limits = st.integers(min_value=-50, max_value=200)
_deducts = st.decimals(min_value="0.01", max_value=5, places=2)
RULES = st.one_of(
    st.builds(
        lambda limit, deduct, direction: {
            "type": "threshold",
            "direction": direction,
            "limit": limit,
            "deduct": deduct,
        },
        _limits,
        _deducts,
        st.sampled_from(["max", "min"]),
    ),
    st.builds(
        lambda limit, deduct, step, rounding: {
            "type": "step",
            "limit": limit,
            "deduct": deduct,
            "step": step,
            "rounding": rounding,
        },
        _limits,
        _deducts,
        st.integers(min_value=1, max_value=20),
        st.sampled_from(["ceil", "floor"]),
    ),
    st.builds(lambda target: {"type": "proportional", "target": target}, st.integers(min_value=1, max_value=300)),
    st.builds(
        lambda cut, points: {"type": "bands", "bands": [{"lower": cut, "points": points}, {"points": 0}]},
        _limits,
        st.integers(min_value=0, max_value=10),
    ),
    st.builds(lambda deduct: {"type": "per_case", "deduct": deduct}, _deducts),
)


@settings(max_examples=300, deadline=None)
@given(
    rule=RULES,
    in_service=st.integers(min_value=0, max_value=400),
    authorized=st.integers(min_value=0, max_value=400),
    override=st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2)),
)
def test_scores_stay_within_points(rule, in_service, authorized, override) -> None:
    score = _score(rule, in_service, authorized, score=override, reason="理由" if override is not None else "")
    if score is not None:
        assert D(0) <= score <= D(10)
        assert score == score.quantize(D("0.01"))


def test_catch_all_band_scores_and_reads() -> None:
    rule = {"type": "bands", "bands": [{"lower": 95, "upper": 105, "include_upper": True, "points": 10}, {"points": 0}]}
    indicator_set = _one_leaf_set(rule, "staffing.in_service / staffing.authorized")
    accounts = Accounts.model_validate({"year": 2020, "staffing": {"in_service": 150, "authorized": 100}})
    result = score_leaf(indicator_set.leaves[0], accounts, None, Entry())
    assert result.final_score == D(0)
    assert "不在以上各档" in result.rule_text
    assert result.rule_description == "不低于95%、不超过105% 得 10 分；其他情况得 0 分"


def test_score_follows_the_displayed_value() -> None:
    """105.004% shows as 105.00% and must score as 105.00%, inside [95%, 105%]."""
    rule = {"type": "bands", "bands": [{"lower": 95, "upper": 105, "include_upper": True, "points": 10}, {"points": 0}]}
    indicator_set = _one_leaf_set(rule, "overview.expenditure_total / budget.initial")
    accounts = Accounts.model_validate(
        {"year": 2020, "overview": {"expenditure_total": "105.004"}, "budget": {"initial": 100}}
    )
    result = score_leaf(indicator_set.leaves[0], accounts, None, Entry())
    assert result.value_text == "105.00%" and result.final_score == D(10)


def test_deduction_and_score_add_up_in_the_text() -> None:
    rule = {"type": "threshold", "limit": 100, "deduct": "0.2"}
    indicator_set = _one_leaf_set(rule, "overview.expenditure_total / budget.initial", points=4)
    accounts = Accounts.model_validate(
        {"year": 2020, "overview": {"expenditure_total": "109.875"}, "budget": {"initial": 100}}
    )
    result = score_leaf(indicator_set.leaves[0], accounts, None, Entry())
    # 109.88% → 9.88 pp × 0.2 = 1.976 → 扣 1.98, 4 − 1.98 = 2.02
    assert "扣 1.98 分，得 2.02 分" in result.rule_text and result.final_score == D("2.02")


def test_looser_target_wording_for_at_most_targets() -> None:
    indicator_set = IndicatorSet.model_validate(
        {
            "id": "t",
            "name": "测试",
            "total": 10,
            "indicator": [
                {"id": "a", "name": "一级", "points": 10},
                {
                    "id": "a.t",
                    "name": "办结时限",
                    "points": 10,
                    "rule": {"type": "target", "outcome": "days", "deviation": 30, "deviation_penalty": 2},
                },
            ],
        }
    )
    accounts = Accounts.model_validate(
        {
            "year": 2020,
            "outcomes": [{"key": "days", "name": "办结时限", "unit": "天", "op": "<=", "target": 10, "actual": 5}],
        }
    )
    result = score_leaf(indicator_set.leaves[0], accounts, None, Entry())
    assert result.final_score == D(8)
    assert "低于指标值 50.00%" in result.rule_text and "偏宽松" in result.rule_text
    missing = score_leaf(indicator_set.leaves[0], Accounts(year=2020), None, Entry())
    assert missing.missing == "本年未填报“办结时限”的绩效目标" and 'key = "days"' in missing.missing_place


def test_drafts_are_reported(card) -> None:
    names = {result.indicator.id for result in card.drafts}
    assert names == {"effect.benefit.social", "effect.benefit.sustainable"}
    assert all(
        not result.is_draft for result in card.results.values() if not result.entry.reason and result.entry.is_empty()
    )


@settings(max_examples=60, deadline=None)
@given(scores=st.lists(st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=2)), min_size=6, max_size=6))
def test_subtotals_and_total_are_sums_of_parts(shipped: Workspace, scores) -> None:
    year = shipped.load_year(2018)
    leaves = [node.id for node in shipped.indicator_set.leaves if node.rule.type == "levels"][:6]
    indicators = {leaf: Entry(score=score, reason="理由") for leaf, score in zip(leaves, scores)}
    card = score_year(shipped.indicator_set, year.accounts, Evaluation(year=2018, indicators=indicators))
    for group in card.groups.values():
        below = [r.final_score for r in card.results.values() if r.indicator.id.startswith(group.indicator.id + ".")]
        assert group.score == sum((s for s in below if s is not None), D(0))
    assert card.raw_total == sum((g.score for g in card.top_groups()), D(0))
    assert card.total == card.raw_total  # no 不适用 and no cap applies in the demo


def test_nothing_scored_is_shown_as_not_scored_not_as_zero_and_poor() -> None:

    from zzperf.workspace import Workspace

    card = Workspace(DEMO).score(2017)
    assert card.scored_count == 0
    assert card.grade_text == "未评分" and card.shown_total is None


def test_a_leaf_rescored_after_its_entry_or_figures_change_in_place(demo):
    """A leaf's result is handed back only while its figures and entry are exactly as they were."""
    from zzperf.workspace import Workspace

    workspace = Workspace(demo)
    year = workspace.pick_year(None)
    indicator_set = workspace.set_for(year)
    loaded = workspace.load_year(year)
    accounts = loaded.accounts
    previous = workspace.previous_accounts(year)
    judged = next(node for node in indicator_set.leaves if isinstance(node.rule, JudgedRule))
    entry = Entry(score=judged.points, reason="完成较好")
    first = score_leaf(judged, accounts, previous, entry)
    assert score_leaf(judged, accounts, previous, entry) is first
    entry.score = Decimal("1.5")  # changed in place: scored again
    assert score_leaf(judged, accounts, previous, entry).final_score == Decimal("1.50")
    entry.score = Decimal("1.50")  # the same number with other digits: scored again, exactly
    assert score_leaf(judged, accounts, previous, entry).entry.score.as_tuple() == Decimal("1.50").as_tuple()
    from zzperf import editing

    formula_leaf = next(
        node
        for node in indicator_set.leaves
        if node.parsed_formula is not None and "overview.expenditure_total" in node.parsed_formula.fields
    )
    before = score_leaf(formula_leaf, accounts, previous, Entry())
    assert score_leaf(formula_leaf, accounts, previous, Entry()) is before
    changed = editing.set_figure(accounts, "overview.expenditure_total", "12345.67")
    after = score_leaf(formula_leaf, changed, previous, Entry())
    assert after is not before and "12345.67" in after.trace
    assert score_leaf(formula_leaf, accounts, previous, Entry()).trace == before.trace
