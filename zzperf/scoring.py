"""Scoring a year: each leaf's value, automatic score and final score, then subtotals, caps and grade.

Every computed value carries a trace a person can read, every automatic score the rule that
produced it. Missing data is 数据不足 and is never scored 0 or full without the set saying so.
Each leaf's score is kept to 2 decimals (四舍五入) so that the 自评表 adds up as printed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import TYPE_CHECKING, Literal

from zzperf import figure_paths
from zzperf.accounts import COMPARISON_SYMBOL, Accounts, Outcome
from zzperf.amounts import HUNDRED, ZERO, fmt_money, fmt_number, fmt_percent, fmt_plain, fmt_score, round_half_up
from zzperf.evaluation import Entry, Evaluation
from zzperf.formula import MISSING
from zzperf.indicators import (
    BandsRule,
    ChecklistRule,
    Indicator,
    IndicatorSet,
    JudgedRule,
    LevelsRule,
    PerCaseRule,
    ProportionalRule,
    StepRule,
    TargetRule,
    ThresholdRule,
)
from zzperf.wording import band_text, describe, fmt_value

if TYPE_CHECKING:
    from pydantic import BaseModel

    from zzperf.formula import FormulaValue


class Status(str, Enum):
    """Where a leaf stands; the value is the Chinese mark shown to people."""

    AUTO = "自动"
    JUDGED = "已评"
    OVERRIDDEN = "已调整"
    INSUFFICIENT = "数据不足"
    UNSCORED = "待评"
    NEEDS_REASON = "缺理由"
    NOT_APPLICABLE = "不适用"


UNSCORED_STATUSES = (Status.UNSCORED, Status.INSUFFICIENT, Status.NEEDS_REASON)
"""Why a leaf has no score yet, in the order they are listed: 待评 (for the evaluator), 数据不足 (for the data), 缺理由
(a score waiting for its reason)."""


@dataclass(frozen=True)
class IndicatorResult:
    """The outcome for one leaf indicator."""

    indicator: Indicator
    entry: Entry
    value: Decimal | None = None
    """The computed value in the indicator's unit (percent for "%"), unrounded."""
    value_text: str = ""
    """The value for display, e.g. ``119.67%`` or ``数据不足``."""
    trace: str = ""
    """The formula with its inputs and result, e.g. ``预算完成率 = 本年支出合计 619.54 ÷ 年初预算 517.70 = 119.67%``."""
    missing: str | None = None
    """Why the value is 数据不足."""
    missing_place: str = ""
    """Where the year's file would hold what is missing, for those who edit it by hand (``zzperf score``):
    ``（accounts.toml 中 key = "cases_handled" 的 [[outcomes]]）``. The screen and the report say it their own way."""
    target_text: str = ""
    """指标值 for target indicators, e.g. ``≥ 50000 件``."""
    auto_score: Decimal | None = None
    """The score the rule gives, before any override."""
    rule_text: str = ""
    """How the score came about, e.g. "109.87%，超出标准 9.87 个百分点，扣 1.97 分，得 2.03 分"."""
    rule_description: str = ""
    """The rule that produced it, e.g. "不超过100% 得满分，每超 1 个百分点扣 0.2 分，扣完为止"."""
    final_score: Decimal | None = None
    """The score that counts; None while 数据不足 or 待评."""
    status: Status = Status.UNSCORED
    problems: tuple[str, ...] = ()
    """What the evaluator still has to fix for this item."""
    excluded: bool = False
    """不适用 and left out of the total (the total is rescaled)."""
    held_score: Decimal | None = None
    """A score that needs a reason and has none (a judged or level deduction, or the evaluator's score where the
    rule gave none): a draft, kept out of the total (``final_score`` is None) until the reason is written."""

    @property
    def deduction(self) -> Decimal | None:
        return None if self.final_score is None else self.indicator.points - self.final_score

    @property
    def is_draft(self) -> bool:
        """The evaluator entered something here but has not confirmed it yet."""
        return self.entry.status == "draft" and not self.entry.is_empty()

    @property
    def not_applicable(self) -> bool:
        """不适用: left out of the total, or given full points because it does not apply this year."""
        return self.excluded or self.status is Status.NOT_APPLICABLE

    @property
    def needs_attention(self) -> bool:
        return self.status in UNSCORED_STATUSES or bool(self.problems)


@dataclass(frozen=True)
class GroupResult:
    """A 一级 or 二级 node: its points and the sum of its leaves' scores so far."""

    indicator: Indicator
    score: Decimal
    scored_points: Decimal
    """Points of the leaves that have a score (the rest are pending)."""
    complete: bool
    scored_leaves: int = 0
    """How many leaves below have a score."""
    pending: tuple[tuple[Status, Decimal], ...] = ()
    """The points of the leaves below without a score, by why (``pending_by_status``)."""

    @property
    def shown_score(self) -> Decimal | None:
        """The subtotal to show: None (—) while nothing below is scored, as ``ScoreCard.shown_total``."""
        return self.score if self.scored_leaves else None


@dataclass(frozen=True)
class CapEffect:
    """A cap of the set that lowered the total: its rule, the value that triggered it and the total before."""

    rule: str
    """The cap as the set words it, e.g. "预算完成率 70%–80%，总分不超过 89 分"."""
    indicator: str
    value_text: str
    before: Decimal
    after: Decimal

    @property
    def text(self) -> str:
        """The cap, why it applies and its effect, in one sentence."""
        effect = f"总分由 {fmt_score(self.before)} 封顶为 {fmt_score(self.after)}"
        return f"{self.rule}：{self.indicator} {self.value_text}，{effect}"


@dataclass(frozen=True)
class ScoreCard:
    """All results of one year under one indicator set."""

    indicator_set: IndicatorSet
    year: int
    results: dict[str, IndicatorResult]
    groups: dict[str, GroupResult]
    raw_total: Decimal
    """Sum of the leaves' final scores."""
    total: Decimal
    """The total after rescaling for 不适用 items and after caps."""
    adjustments: tuple[str, ...] = field(default_factory=tuple)
    """Rescaling and caps applied, with reasons."""
    caps: tuple[CapEffect, ...] = field(default_factory=tuple)
    """The caps that lowered the total, in the order applied."""

    @property
    def pending(self) -> list[IndicatorResult]:
        """Leaves without a final score (数据不足 or not yet judged)."""
        return [r for r in self.results.values() if r.final_score is None and not r.excluded]

    @property
    def self_evaluated(self) -> bool:
        """Whether the evaluator has entered anything for a leaf: a year without (or with empty entries) is 未自评."""
        return any(not result.entry.is_empty() for result in self.results.values())

    @property
    def complete(self) -> bool:
        return not self.pending

    @property
    def grade(self) -> str:
        """The grade of the total; provisional while items are pending."""
        return self.indicator_set.grade_for(self.total)

    @property
    def grade_text(self) -> str:
        if not self.scored_count:
            return "未评分"  # nothing scored is not 0 分 and 差
        if self.complete:
            return self.grade
        return f"{self.grade}（暂定）"

    @property
    def shown_total(self) -> Decimal | None:
        """The total to show: None (—) while nothing is scored."""
        return self.total if self.scored_count else None

    @property
    def drafts(self) -> list[IndicatorResult]:
        """Items with the evaluator's input still marked draft (not yet confirmed); those waiting for a reason (held
        back or unadopted) apart."""
        return [r for r in self.results.values() if r.is_draft and r.status is not Status.NEEDS_REASON]

    @property
    def held_back(self) -> list[IndicatorResult]:
        """Scores entered without the reason they need: drafts, not counted in the total until it is written."""
        return [r for r in self.results.values() if r.held_score is not None]

    @property
    def unadopted(self) -> list[IndicatorResult]:
        """Adjustments of an automatic score entered without their reason: the automatic score counts until it is
        written."""
        return [r for r in self.results.values() if r.status is Status.NEEDS_REASON and r.held_score is None]

    @property
    def scored_count(self) -> int:
        return sum(1 for r in self.results.values() if r.final_score is not None or r.excluded)

    @property
    def pending_points(self) -> Decimal:
        return sum((r.indicator.points for r in self.pending), ZERO)

    @property
    def pending_by_status(self) -> tuple[tuple[Status, Decimal], ...]:
        """The points without a score, by why (``pending_by_status``)."""
        return pending_by_status(self.results.values())

    def top_groups(self) -> list[GroupResult]:
        return [self.groups[node.id] for node in self.indicator_set.children(None)]


def pending_by_status(results: Iterable[IndicatorResult]) -> tuple[tuple[Status, Decimal], ...]:
    """The points of the leaves without a score (不适用 apart) summed by status: 待评 (for the evaluator), 数据不足
    (for the data), 缺理由 (a score waiting for its reason), in that order; a status no leaf has is left out."""
    return _summed_by_status(
        (result.status, result.indicator.points)
        for result in results
        if result.final_score is None and not result.excluded
    )


def _summed_by_status(parts: Iterable[tuple[Status, Decimal]]) -> tuple[tuple[Status, Decimal], ...]:
    """Points by status summed as ``pending_by_status`` orders them; a status none of ``parts`` has is left out."""
    points: dict[Status, Decimal] = dict.fromkeys(UNSCORED_STATUSES, ZERO)
    seen: set[Status] = set()
    for status, part in parts:
        points[status] = points.get(status, ZERO) + part
        seen.add(status)
    return tuple((status, total) for status, total in points.items() if status in seen)


def pending_text(pending: Iterable[tuple[Status, Decimal]]) -> str:
    """Points without a score in words, each kind apart: “5.00 分数据不足”, “2.00 分待评、5.00 分数据不足”; empty
    when there are none."""
    return "、".join(f"{fmt_score(points)} 分{status.value}" for status, points in pending)


def _clamp(score: Decimal, points: Decimal) -> Decimal:
    return round_half_up(min(points, max(ZERO, score)))


def _auto(node: Indicator, value: Decimal) -> tuple[Decimal, str]:
    """Score a formula value with the leaf's rule, and say how.

    The rule sees the value as displayed (2 decimals, 四舍五入), so a score never contradicts the
    figure printed next to it (105.00% is in "(105%, 110%]" only if it is above 105.00).
    """
    rule = node.rule
    points = node.points
    value = round_half_up(value)
    shown = fmt_value(value, node.unit)
    if isinstance(rule, ThresholdRule):
        excess = value - rule.limit if rule.direction == "max" else rule.limit - value
        if excess <= 0:
            return points, f"{shown} 达到标准，得满分 {fmt_score(points)} 分"
        deduction = min(points, round_half_up(rule.deduct * excess / rule.per))
        score = points - deduction
        return score, (
            f"{shown}，{'超出' if rule.direction == 'max' else '低于'}标准 {fmt_number(excess)}"
            f" {'个百分点' if node.unit == '%' else node.unit}，扣 {fmt_score(deduction)} 分，得 {fmt_score(score)} 分"
        )
    if isinstance(rule, StepRule):
        shortfall = value - rule.limit if rule.direction == "max" else rule.limit - value
        if shortfall <= 0:
            return points, f"{shown} 达到标准，得满分 {fmt_score(points)} 分"
        ratio = shortfall / rule.step
        steps = math.ceil(ratio) if rule.rounding == "ceil" else math.floor(ratio)
        deduction = rule.deduct * steps
        score = _clamp(points - deduction, points)
        return (
            score,
            f"{shown}，差 {fmt_number(round_half_up(shortfall))} 计 {steps}"
            f" 档，扣 {fmt_score(deduction)} 分，得 {fmt_score(score)} 分",
        )
    if isinstance(rule, BandsRule):
        for band in rule.bands:
            if band.contains(value):
                score = _clamp(band.points, points)
                if band.lower is None and band.upper is None:
                    return score, f"{shown} 不在以上各档，得 {fmt_score(score)} 分"
                return (
                    score,
                    f"{shown}（{band_text(band, '%' if node.unit == '%' else node.unit)}），得 {fmt_score(score)} 分",
                )
        raise _NoBand(f"{shown} 不在任何评分区间内，请评价人评分并写明理由")
    if isinstance(rule, ProportionalRule):
        score = _clamp(points * value / rule.target, points)
        target = f"{fmt_plain(rule.target)}{'%' if node.unit == '%' else node.unit}"
        return score, f"{shown} ÷ {target} × {fmt_score(points)} 分，得 {fmt_score(score)} 分"
    if isinstance(rule, PerCaseRule):
        return _per_case(points, rule, int(value))
    raise AssertionError(f"rule {rule!r} takes no formula")


def _per_case(points: Decimal, rule: PerCaseRule, cases: int) -> tuple[Decimal, str]:
    score = _clamp(points - rule.deduct * cases, points)
    return score, f"发现 {cases} 例 × 扣 {fmt_plain(rule.deduct)} 分，得 {fmt_score(score)} 分"


class _NoBand(Exception):
    """A value that no band covers: the evaluator must score it."""


def _target(node: Indicator, rule: TargetRule, outcome: Outcome) -> tuple[Decimal, str]:
    """Score an outcome's 完成值 against its 指标值."""
    points = node.points
    target, actual = outcome.target, outcome.actual
    assert target is not None and actual is not None
    unit = outcome.unit
    shown = f"完成值 {fmt_value(actual, unit)}，指标值 {COMPARISON_SYMBOL[outcome.op]}{fmt_value(target, unit)}"
    met = {"=": actual == target, ">=": actual >= target, "<=": actual <= target}[outcome.op]
    if met:
        score, text = points, f"{shown}，达到目标，得满分 {fmt_score(points)} 分"
    elif rule.miss == "zero":
        score, text = ZERO, f"{shown}，未达到目标，得 0 分"
    else:
        if outcome.op == ">=":
            ratio = actual / target if target else ZERO
        elif outcome.op == "<=":
            ratio = target / actual if actual else ZERO
        else:
            ratio = 1 - abs(actual - target) / target if target else ZERO
        score = _clamp(points * ratio, points)
        ratio = max(ZERO, ratio)
        text = f"{shown}，未达到目标，按完成比例 {fmt_value(ratio * HUNDRED, '%')} 计 {fmt_score(score)} 分"
    if rule.deviation is not None and rule.deviation_penalty is not None and target and outcome.op != "=":
        better = (actual - target) if outcome.op == ">=" else (target - actual)
        over = round_half_up(better / target * HUNDRED)
        if over >= rule.deviation:
            score = _clamp(score - rule.deviation_penalty, points)
            direction, loose = ("超出", "偏低") if outcome.op == ">=" else ("低于", "偏宽松")
            text += (
                f"；完成值{direction}指标值 {fmt_percent(over)}（不低于{fmt_plain(rule.deviation)}%），"
                f"目标设定{loose}，扣 {fmt_plain(rule.deviation_penalty)} 分，得 {fmt_score(score)} 分"
            )
    return score, text


def _judged(node: Indicator, entry: Entry) -> tuple[Decimal | None, str, list[str]]:
    """The evaluator's score for judged, checklist and levels rules."""
    rule = node.rule
    problems: list[str] = []
    if isinstance(rule, ChecklistRule):
        names = {item.name: item.points for item in rule.items}
        unknown = [name for name in entry.checked if name not in names]
        problems += [f"检查项“{name}”不在本指标的检查项中" for name in unknown]
        if not entry.checked and entry.score is None:
            return None, "", problems
        met = [name for name in names if name in entry.checked]
        score = sum((names[name] for name in met), ZERO)
        missed = [name for name in names if name not in entry.checked]
        text = f"符合 {len(met)}/{len(names)} 项，得 {fmt_score(score)} 分"
        if missed:
            text += f"；未达到：{'、'.join(missed)}"
        return score, text, problems
    if isinstance(rule, LevelsRule):
        if entry.level is None:
            return None, "", problems
        level = next((level for level in rule.levels if level.name == entry.level), None)
        if level is None:
            choices = "、".join(level.name for level in rule.levels)
            return None, "", [f"等级“{entry.level}”无效，应为：{choices}"]
        return level.points, f"评定为“{level.name}”，得 {fmt_score(level.points)} 分", problems
    if isinstance(rule, PerCaseRule):
        if entry.cases is None:
            return None, "", problems
        return (*_per_case(node.points, rule, entry.cases), problems)
    return None, "", problems


def score_leaf(node: Indicator, accounts: Accounts, previous: Accounts | None, entry: Entry | None) -> IndicatorResult:
    """Everything known about one leaf: value and trace, automatic score, the evaluator's input (None: nothing
    recorded, as an empty entry), status.

    A leaf is scored from its formula's result (or its outcome) and its entry alone: when both are as they were
    the last time the leaf was scored, that result is handed back (rescoring a year after one edit mostly repeats).
    """
    formula = node.parsed_formula
    figures: FormulaValue | None = None
    found: Outcome | None = None
    outcome: tuple[object, ...] | None = None
    if formula is not None:
        values = {path: figure_paths.value(path, accounts, previous) for path in formula.fields}
        labels = {path: figure_paths.label(path, accounts) for path in formula.fields}
        figures = formula.evaluate(values, labels, fmt=_field_fmt)
    elif isinstance(node.rule, TargetRule):
        found = accounts.outcome(node.rule.outcome)
        outcome = _snapshot(found) if found is not None else None
    recorded = _snapshot(entry) if entry is not None else _nothing_recorded()
    kept = _LEAVES.get(id(node))
    if kept is not None and kept[0] is node and kept[1] is figures and kept[2] == outcome and kept[3] == recorded:
        return kept[4]
    result = _score_leaf(node, entry if entry is not None else Entry(), figures, found)
    if len(_LEAVES) >= 8192:
        _LEAVES.clear()
    _LEAVES[id(node)] = (node, figures, outcome, recorded, result)
    return result


_Kept = tuple[Indicator, "FormulaValue | None", tuple[object, ...] | None, tuple[object, ...], "IndicatorResult"]
_LEAVES: dict[int, _Kept] = {}
"""Each leaf's last result with what it was scored from, by the leaf's identity (the leaf itself kept, so an id is
never taken for another's): its formula's result (the same object only for the same figures, see
``Formula.evaluate``), its outcome and its entry, field by field."""


@cache
def _nothing_recorded() -> tuple[object, ...]:
    """The snapshot of an empty entry: most leaves of a year being scored have none (one made for each, each time
    a year was rescored, was a tenth of the rescoring)."""
    return _snapshot(Entry())


def _snapshot(model: BaseModel) -> tuple[object, ...]:
    """A model's fields as they are now, exactly: lists as tuples, Decimals by their digits (1.0 is not 1.00)."""
    return tuple(
        tuple(value) if isinstance(value, list) else repr(value) if isinstance(value, Decimal) else value
        for value in model.__dict__.values()
    )


def _score_leaf(
    node: Indicator, entry: Entry, evaluation: FormulaValue | None, outcome: Outcome | None
) -> IndicatorResult:
    """``score_leaf`` for a leaf whose formula's result (or, for a target rule, outcome) is already known."""
    rule = node.rule
    assert rule is not None
    points = node.points
    problems: list[str] = []
    value = None
    value_text = ""
    trace = ""
    missing = None
    missing_place = ""
    target_text = ""
    auto: Decimal | None = None
    rule_text = ""

    if entry.not_applicable:
        if node.not_applicable == "forbidden":
            problems.append("本指标不允许标为“不适用”")
        elif node.not_applicable == "full":
            return IndicatorResult(
                node,
                entry,
                value_text="不适用",
                auto_score=points,
                rule_text="不适用，按本指标规则计满分",
                final_score=points,
                status=Status.NOT_APPLICABLE,
            )
        else:
            return IndicatorResult(
                node,
                entry,
                value_text="不适用",
                rule_text="不适用，不计入总分（总分按比例折算）",
                status=Status.NOT_APPLICABLE,
                excluded=True,
            )

    if evaluation is not None:
        value = evaluation.value
        if value is not None and node.unit == "%":
            value = value * HUNDRED
        value_text = fmt_value(value, node.unit)
        trace = f"{node.name} = {evaluation.text} = {value_text}"
        missing = evaluation.missing
        if value is not None:
            try:
                auto, rule_text = _auto(node, value)
            except _NoBand as no_band:
                problems.append(str(no_band))
    elif isinstance(rule, TargetRule):
        if outcome is None:
            name = node.name.replace("“", "‘").replace("”", "’")  # quotes inside quotes: “‘最多跑一次’事项梳理”
            missing = f"本年未填报“{name}”的绩效目标"
            missing_place = f'（accounts.toml 中 key = "{rule.outcome}" 的 [[outcomes]]）'
        else:
            symbol = COMPARISON_SYMBOL[outcome.op]
            target_text = (
                f"{symbol} {fmt_value(outcome.target, outcome.unit)}" if outcome.target is not None else "无指标值"
            )
            value = outcome.actual
            value_text = fmt_value(outcome.actual, outcome.unit)
            trace = f"{outcome.name}：完成值 {value_text}，指标值 {target_text}"
            absent = [
                name for name, figure in (("完成值", outcome.actual), ("指标值", outcome.target)) if figure is None
            ]
            if absent:
                missing = f"{MISSING}{outcome.name}{'、'.join(absent)}"
            else:
                auto, rule_text = _target(node, rule, outcome)
    else:
        auto, rule_text, judged_problems = _judged(node, entry)
        problems += judged_problems

    if missing is not None and node.missing == "zero" and entry.score is None:
        auto, rule_text = ZERO, "数据不足，按本指标规则计 0 分"

    final: Decimal | None = auto
    if auto is not None:
        status = Status.AUTO if node.computed else Status.JUDGED
    elif missing is not None:
        status = Status.INSUFFICIENT
    else:
        status = Status.UNSCORED

    held: Decimal | None = None
    if entry.score is not None:
        if entry.score > points:
            problems.append(f"得分 {fmt_score(entry.score)} 超过分值 {fmt_score(points)}，未采用")
        elif isinstance(rule, JudgedRule):
            final, status = entry.score, Status.JUDGED
            rule_text = f"评价人评分 {fmt_score(entry.score)} 分（满分 {fmt_score(points)} 分）"
        elif not entry.reason.strip():
            if auto is not None:
                problems.append("调整自动得分须填写理由，未采用")
            else:  # nothing else counts here: the score is a draft until its reason is written
                held = round_half_up(entry.score)
                problems.append(f"人工评分须填写理由；写明理由前 {fmt_score(held)} 分为草稿，不计入总分")
            status = Status.NEEDS_REASON
        else:
            if auto is None:
                final, status = entry.score, Status.JUDGED
                rule_text = f"评价人评分 {fmt_score(entry.score)} 分（满分 {fmt_score(points)} 分）"
            elif entry.score != auto:
                final, status = entry.score, Status.OVERRIDDEN
                rule_text += f"；评价人调整为 {fmt_score(entry.score)} 分"

    if (
        final is not None
        and final < points
        and not entry.reason.strip()
        and status in (Status.JUDGED, Status.OVERRIDDEN)
    ):  # a level, the items ticked or the cases counted are the evaluator's finding: a deduction wants its reason
        problems.append(f"有扣分，须填写扣分原因；写明理由前 {fmt_score(final)} 分为草稿，不计入总分")
        status = Status.NEEDS_REASON
        held, final = round_half_up(final), None
    if final is not None:
        final = round_half_up(final)

    return IndicatorResult(
        node,
        entry,
        value=value,
        value_text=value_text,
        trace=trace,
        missing=missing,
        missing_place=missing_place,
        target_text=target_text,
        auto_score=auto,
        rule_text=rule_text,
        rule_description=describe(rule, node.unit),
        final_score=final,
        status=status,
        problems=tuple(problems),
        held_score=held,
    )


def _field_fmt(path: str, value: Decimal) -> str:
    """Figures in traces: counts as integers, amounts with 2 decimals."""
    own = path.removeprefix(figure_paths.PREVIOUS)
    if own.startswith(("staffing.", "assets.vehicles", "three_public.reception_", "three_public.vehicles")):
        return fmt_number(value)
    if own.startswith("outcomes."):
        return fmt_number(value)
    return fmt_money(value)


def changed_results(before: Mapping[str, IndicatorResult], after: Mapping[str, IndicatorResult]) -> frozenset[str]:
    """Ids whose result differs (a result handed back unchanged is the same object: no need to compare it)."""
    return frozenset(key for key, result in after.items() if (old := before.get(key)) is not result and old != result)


def score_year(
    indicator_set: IndicatorSet, accounts: Accounts, evaluation: Evaluation, previous: Accounts | None = None
) -> ScoreCard:
    """Score every leaf, add up the groups, rescale for 不适用 and apply the set's caps."""
    results = {
        node.id: score_leaf(node, accounts, previous, evaluation.indicators.get(node.id))
        for node in indicator_set.leaves
    }
    groups: dict[str, GroupResult] = {}
    for node in reversed(indicator_set.indicator):  # each group after the groups below it: made from its children
        if not node.is_leaf:
            below = [
                results[child.id] if child.is_leaf else groups[child.id] for child in indicator_set.children(node.id)
            ]
            groups[node.id] = _group(node, below)
    raw_total = sum((r.final_score for r in results.values() if r.final_score is not None), ZERO)
    total = raw_total
    adjustments: list[str] = []
    caps: list[CapEffect] = []
    excluded = sum((r.indicator.points for r in results.values() if r.excluded), ZERO)
    if excluded:
        applicable = indicator_set.total - excluded
        total = round_half_up(raw_total * indicator_set.total / applicable) if applicable else ZERO
        adjustments.append(
            f"不适用指标共 {fmt_score(excluded)} 分不计入，总分按 {fmt_score(raw_total)} ÷ {fmt_score(applicable)}"
            f" × {fmt_score(indicator_set.total)} 折算为 {fmt_score(total)} 分"
        )
    for cap in indicator_set.cap:
        result = results.get(cap.indicator)
        if result is None or result.value is None:
            continue
        above_lower = cap.lower is None or result.value >= cap.lower
        below_upper = cap.upper is None or result.value < cap.upper
        if above_lower and below_upper and total > cap.max_total:
            effect = CapEffect(cap.reason, result.indicator.name, result.value_text, total, cap.max_total)
            caps.append(effect)
            adjustments.append(effect.text)
            total = cap.max_total
    return ScoreCard(indicator_set, accounts.year, results, groups, raw_total, total, tuple(adjustments), tuple(caps))


def _group(node: Indicator, children: Sequence[IndicatorResult | GroupResult]) -> GroupResult:
    """A group's result from its children's: the sum of the scores of the leaves below, the points they have and
    lack, and whether every one of them has a score (不适用 leaves need none).

    Handed back as it was when every child's result is the very one it was made from (``_GROUPS``)."""
    kept = _GROUPS.get(id(node))
    if (
        kept is not None
        and kept[0] is node
        and len(kept[1]) == len(children)
        and all(old is new for old, new in zip(kept[1], children, strict=True))
    ):
        return kept[2]
    result = _made_group(node, children)
    if len(_GROUPS) >= 8192:
        _GROUPS.clear()
    _GROUPS[id(node)] = (node, tuple(children), result)
    return result


_GROUPS: dict[int, tuple[Indicator, tuple[IndicatorResult | GroupResult, ...], GroupResult]] = {}
"""Each group's last result with the children's results it was made from, by the group's identity (the group itself
kept, so that an id is never taken for another's): after one edit most leaves hand back their result unchanged
(``score_leaf``), and so do the groups above only them."""


def _made_group(node: Indicator, children: Sequence[IndicatorResult | GroupResult]) -> GroupResult:
    leaves = [child for child in children if isinstance(child, IndicatorResult)]
    below = [child for child in children if isinstance(child, GroupResult)]
    scored = [leaf for leaf in leaves if leaf.final_score is not None]
    unscored = [leaf for leaf in leaves if leaf.final_score is None and not leaf.excluded]
    pending = [(leaf.status, leaf.indicator.points) for leaf in unscored]
    pending += [part for group in below for part in group.pending]
    return GroupResult(
        node,
        score=sum((leaf.final_score for leaf in scored), ZERO) + sum((group.score for group in below), ZERO),
        scored_points=sum((leaf.indicator.points for leaf in scored), ZERO)
        + sum((group.scored_points for group in below), ZERO),
        complete=not unscored and all(group.complete for group in below),
        scored_leaves=len(scored) + sum(group.scored_leaves for group in below),
        pending=_summed_by_status(pending),
    )


# ─── moving through a score card ─────────────────────────────────────────────

Seek = Literal["attention", "unscored"]
"""attention: 数据不足, 待评, 缺理由 or any problem; unscored: no final score yet."""


def _wanted(result: IndicatorResult, kind: Seek) -> bool:
    if kind == "unscored":
        return result.final_score is None and not result.excluded
    return result.needs_attention


def next_leaf(card: ScoreCard, current: str | None, kind: Seek = "attention", backwards: bool = False) -> str | None:
    """The id of the next (or previous) leaf after ``current`` that is ``kind``, wrapping round; None if none.

    ``current`` itself is returned only when it is the one leaf left.
    """
    ids = [node.id for node in card.indicator_set.leaves]
    if backwards:
        ids.reverse()
    start = ids.index(current) + 1 if current in ids else 0
    for key in ids[start:] + ids[:start]:
        if _wanted(card.results[key], kind):
            return key
    return None


def count_wanted(card: ScoreCard, kind: Seek = "attention") -> int:
    """How many leaves are ``kind``."""
    return sum(1 for result in card.results.values() if _wanted(result, kind))
