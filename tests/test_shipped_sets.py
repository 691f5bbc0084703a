"""The indicator sets shipped in ``indicators/``: they load, add up to 100 and say how they score."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from zzperf.indicators import (
    BandsRule,
    ChecklistRule,
    IndicatorSet,
    JudgedRule,
    PerCaseRule,
    StepRule,
    ThresholdRule,
    load_set,
)

INDICATORS = Path(__file__).resolve().parent.parent / "indicators"
SET_FILES = sorted(INDICATORS.glob("*.toml"))


def _load(name: str) -> IndicatorSet:
    return load_set(INDICATORS / f"{name}.toml")


def test_sets_are_shipped() -> None:
    names = {path.stem for path in SET_FILES}
    assert {"national-2013", "hunan-yueyang"} <= names


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.stem)
def test_set_loads_and_is_complete(path: Path) -> None:
    indicator_set = load_set(path)

    assert indicator_set.id == path.stem
    assert indicator_set.total == Decimal(100)
    leaves = indicator_set.leaves
    assert leaves
    assert sum((leaf.points for leaf in leaves), Decimal(0)) == indicator_set.total
    top = indicator_set.children(None)
    assert sum((node.points for node in top), Decimal(0)) == indicator_set.total

    ids = [node.id for node in indicator_set.indicator]
    assert len(ids) == len(set(ids))

    for leaf in leaves:
        assert leaf.name.strip(), leaf.id
        assert leaf.explanation.strip(), f"{leaf.id} 缺少指标解释"
        assert leaf.standard.strip(), f"{leaf.id} 缺少评分标准"


@pytest.mark.parametrize("path", SET_FILES, ids=lambda path: path.stem)
def test_parent_points_are_sums_of_children(path: Path) -> None:
    indicator_set = load_set(path)
    for node in indicator_set.indicator:
        children = indicator_set.children(node.id)
        if children:
            assert sum((child.points for child in children), Decimal(0)) == node.points, node.id


def _leaf(indicator_set: IndicatorSet, name: str):  # noqa: ANN202 - Indicator
    matches = [leaf for leaf in indicator_set.leaves if leaf.name == name]
    assert len(matches) == 1, f"{name}: {len(matches)} 个末级指标"
    return matches[0]


def test_national_2013_tree_and_weights() -> None:
    indicator_set = _load("national-2013")

    points = {node.name: node.points for node in indicator_set.children(None)}
    assert points == {"投入": 15, "过程": 40, "产出": 25, "效果": 20}
    assert [node.name for node in indicator_set.children("process")] == ["预算执行", "预算管理", "资产管理"]
    assert len(indicator_set.children("process.execution")) == 8
    assert len(indicator_set.leaves) == 28
    assert indicator_set.cap == []

    staff = _leaf(indicator_set, "在职人员控制率")
    assert staff.formula == "staffing.in_service / staffing.authorized"
    assert staff.unit == "%"
    assert isinstance(staff.rule, ThresholdRule)
    assert (staff.rule.direction, staff.rule.limit) == ("max", Decimal(100))

    change = _leaf(indicator_set, "“三公经费”变动率")
    assert change.formula is not None
    assert "prev.three_public.budget.total" in change.formula
    assert "three_public.actual" not in change.formula  # 53号: budget vs budget

    completion = indicator_set.by_id["process.execution.budget_completion"]
    assert isinstance(completion.rule, StepRule)
    assert completion.rule.rounding == "ceil"

    procurement = _leaf(indicator_set, "政府采购执行率")
    assert procurement.not_applicable == "full"
    assert procurement.formula == "procurement.total / procurement.budget"

    rules = indicator_set.by_id["process.management.rules"]
    assert isinstance(rules.rule, ChecklistRule)
    assert len(rules.rule.items) == 3

    assert isinstance(_leaf(indicator_set, "资金使用合规性").rule, PerCaseRule)
    assert isinstance(_leaf(indicator_set, "支付进度率").rule, JudgedRule)
    for leaf in indicator_set.children("output.duties"):
        assert isinstance(leaf.rule, JudgedRule), leaf.id
        assert "录入得分" in leaf.standard
    assert all(leaf.missing == "insufficient" for leaf in indicator_set.leaves)


def test_hunan_yueyang_follows_the_yueyang_table() -> None:
    indicator_set = _load("hunan-yueyang")

    points = {node.name: node.points for node in indicator_set.children(None)}
    assert points == {"投入": 15, "过程": 40, "产出": 25, "效果": 20}
    execution = {node.name: node.points for node in indicator_set.children("process.execution")}
    assert execution == {"预算调整率": 3, "支付进度": 3, "资金结余": 3, "“三公经费”控制率": 6}
    assert indicator_set.by_id["process.management"].points == 15

    control = _leaf(indicator_set, "“三公经费”控制率")
    assert control.points == 6
    assert control.formula == "three_public.actual.total / three_public.budget.total"
    assert control.unit == "%"
    assert isinstance(control.rule, ThresholdRule)
    assert control.rule.direction == "max"
    assert control.rule.limit == Decimal(100)
    assert control.rule.deduct == Decimal(1)
    assert control.rule.per == Decimal(1)

    staff = _leaf(indicator_set, "财政供养人员控制率")
    assert isinstance(staff.rule, ThresholdRule)
    assert (staff.points, staff.rule.limit, staff.rule.deduct) == (5, 100, Decimal("0.5"))

    change = _leaf(indicator_set, "“三公经费”变动率")
    assert isinstance(change.rule, ThresholdRule)
    assert (change.points, change.rule.limit, change.rule.deduct) == (5, 0, Decimal("0.5"))

    key = _leaf(indicator_set, "重点支出安排率")
    assert isinstance(key.rule, BandsRule)
    ladder = [
        (Decimal(95), 5),
        (Decimal(90), 5),
        (Decimal("89.99"), 4),
        (Decimal(80), 4),
        (Decimal(70), 3),
        (Decimal(60), 2),
        (Decimal("59.99"), 0),
    ]
    for value, expected in ladder:
        band = next(band for band in key.rule.bands if band.contains(value))
        assert band.points == expected, value

    adjustment = _leaf(indicator_set, "预算调整率")
    assert isinstance(adjustment.rule, BandsRule)
    ladder = [
        (Decimal(0), 3),
        (Decimal("0.01"), 2),
        (Decimal(10), 2),
        (Decimal("10.01"), 1),
        (Decimal(20), 1),
        (Decimal(25), Decimal("0.5")),
        (Decimal(30), Decimal("0.5")),
        (Decimal("30.01"), 0),
    ]
    for value, expected in ladder:
        band = next(band for band in adjustment.rule.bands if band.contains(value))
        assert band.points == expected, value

    payment = _leaf(indicator_set, "支付进度")
    assert isinstance(payment.rule, PerCaseRule)
    assert payment.rule.deduct == Decimal("0.5")

    compliance = _leaf(indicator_set, "资金使用合规性")
    assert isinstance(compliance.rule, PerCaseRule)
    assert (compliance.points, compliance.rule.deduct) == (3, 1)

    rules = indicator_set.by_id["process.management.rules"]
    assert isinstance(rules.rule, ChecklistRule)
    assert [item.points for item in rules.rule.items] == [1, 1, 1]

    assert [(grade.name, grade.min) for grade in indicator_set.grade] == [("优", 90), ("良", 80), ("中", 60), ("差", 0)]
    assert indicator_set.grade_for(Decimal("89.99")) == "良"
