"""Every scoring rule in words: the rule itself, its standard (指标值), what the evaluator found, and values with units.

All wording that depends on a rule's type is decided in one switch, ``rule_words``; scoring, the report's
自评表 and the TUI read their texts from it. Scores themselves are computed in ``zzperf.scoring``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from zzperf.accounts import COMPARISON_SYMBOL, Outcome
from zzperf.amounts import ZERO, fmt_money, fmt_number, fmt_percent, fmt_plain
from zzperf.evaluation import Entry
from zzperf.formula import MISSING
from zzperf.indicators import (
    Band,
    BandsRule,
    ChecklistRule,
    Indicator,
    JudgedRule,
    LevelsRule,
    PerCaseRule,
    ProportionalRule,
    Rule,
    StepRule,
    TargetRule,
    ThresholdRule,
)

if TYPE_CHECKING:
    from zzperf.scoring import IndicatorResult

NO_DATA = "数据不足"
"""What a missing figure reads as in the 自评表."""


@dataclass(frozen=True)
class RuleWords:
    """One rule in words, for one unit and (where the evaluator scores it) one entry."""

    description: str
    """The whole rule, e.g. "不超过100% 得满分，每超 1 个百分点扣 0.5 分，扣完为止": comparisons in words."""
    standard: str | None
    """指标值 in a few characters, e.g. ``≤100%``; None where the year's outcome holds it (target rules)."""
    found: str | None
    """完成值 as the evaluator found it, e.g. ``符合 3/4 项``; None where a value is computed instead."""


_NO_ENTRY = Entry()


def rule_words(rule: Rule, unit: str, entry: Entry | None = None) -> RuleWords:
    """``rule`` in words; ``found`` reads ``entry`` (an empty entry when None)."""
    entry = entry if entry is not None else _NO_ENTRY
    spaced = "%" if unit == "%" else (f" {unit}" if unit else "")
    if isinstance(rule, ThresholdRule):
        cmp, verb = ("≤", "超") if rule.direction == "max" else ("≥", "低")
        words = "不超过" if rule.direction == "max" else "不低于"
        step_word = "个百分点" if unit == "%" else unit
        description = (
            f"{words}{fmt_plain(rule.limit)}{unit} 得满分，"
            f"每{verb} {fmt_plain(rule.per)} {step_word}扣 {fmt_plain(rule.deduct)} 分，扣完为止"
        )
        return RuleWords(description, f"{cmp}{fmt_plain(rule.limit)}{spaced}", None)
    if isinstance(rule, StepRule):
        cmp, verb = ("≤", "超过") if rule.direction == "max" else ("≥", "低于")
        words = "不超过" if rule.direction == "max" else "不低于"
        counting = "不足一档按一档计" if rule.rounding == "ceil" else "不足一档不扣"
        description = (
            f"{words}{fmt_plain(rule.limit)}{unit} 得满分，每{verb} {fmt_plain(rule.step)}{unit} "
            f"扣 {fmt_plain(rule.deduct)} 分（{counting}），扣完为止"
        )
        return RuleWords(description, f"{cmp}{fmt_plain(rule.limit)}{spaced}", None)
    if isinstance(rule, BandsRule):
        description = "；".join(_band_points(band, unit) for band in rule.bands)
        return RuleWords(description, _best_band(rule, spaced), None)
    if isinstance(rule, ProportionalRule):
        description = f"按完成比例计分（{fmt_plain(rule.target)}{unit} 为满分），满分为止"
        return RuleWords(description, f"≥{fmt_plain(rule.target)}{spaced}", None)
    if isinstance(rule, TargetRule):
        miss = "按完成比例计分" if rule.miss == "proportional" else "得 0 分"
        description = f"达到指标值得满分，未达到{miss}"
        if rule.deviation is not None:
            description += (
                f"；完成值优于指标值 {fmt_plain(rule.deviation)}% 及以上视为目标设定偏低（偏离），"
                f"扣 {fmt_plain(rule.deviation_penalty or ZERO)} 分"
            )
        return RuleWords(description, None, None)
    if isinstance(rule, ChecklistRule):
        description = "；".join(f"{item.name}（{fmt_plain(item.points)} 分）" for item in rule.items)
        if not entry.checked and entry.score is None:
            found = "待评"
        else:
            found = f"符合 {sum(1 for item in rule.items if item.name in entry.checked)}/{len(rule.items)} 项"
        return RuleWords(description, f"符合全部 {len(rule.items)} 项要点", found)
    if isinstance(rule, PerCaseRule):
        found = f"{entry.cases} 例" if entry.cases is not None else "待评"
        return RuleWords(f"每发现 1 例扣 {fmt_plain(rule.deduct)} 分，扣完为止", "0 例", found)
    if isinstance(rule, LevelsRule):
        description = "；".join(f"{level.name} {fmt_plain(level.points)} 分" for level in rule.levels)
        return RuleWords(description, f"“{rule.levels[0].name}”", f"“{entry.level}”" if entry.level else "待评")
    found = ("评价人评定" if entry.score is not None else "待评") if isinstance(rule, JudgedRule) else None
    return RuleWords("由评价人在 0 至满分之间评分，扣分须写明原因", "—", found)


def describe(rule: Rule, unit: str) -> str:
    """The rule in words, e.g. "不超过100% 得满分，每超 1 个百分点扣 0.5 分，扣完为止"."""
    return rule_words(rule, unit).description


def _band_points(band: Band, unit: str) -> str:
    """A band and its points: “不低于95%、不超过105% 得 6 分”, “其他情况得 0 分”."""
    text = band_text(band, unit)
    return f"{text}{'情况' if text == '其他' else ' '}得 {fmt_plain(band.points)} 分"


def band_text(band: Band, unit: str) -> str:
    """A band as people read it, comparisons in words as in every rule text: ``等于0%``, ``不低于90%``,
    ``大于10%、不超过20%``, ``其他``."""
    if band.lower is None and band.upper is None:
        return "其他"
    lower = "不低于" if band.include_lower else "大于"
    upper = "不超过" if band.include_upper else "低于"
    if band.lower is None:
        return f"{upper}{fmt_plain(band.upper)}{unit}"
    if band.upper is None:
        return f"{lower}{fmt_plain(band.lower)}{unit}"
    if band.lower == band.upper:
        return f"等于{fmt_plain(band.lower)}{unit}"
    return f"{lower}{fmt_plain(band.lower)}{unit}、{upper}{fmt_plain(band.upper)}{unit}"


def _best_band(rule: BandsRule, unit: str) -> str:
    """The band worth the most points, as the standard: ``≥90%``, ``10 件–20 件``."""
    best = max(rule.bands, key=lambda band: band.points)
    if best.lower is not None and best.upper is not None:
        if best.lower == best.upper:
            return f"={fmt_plain(best.lower)}{unit}"
        return f"{fmt_plain(best.lower)}{unit}–{fmt_plain(best.upper)}{unit}"
    if best.lower is not None:
        return f"{'≥' if best.include_lower else '>'}{fmt_plain(best.lower)}{unit}"
    if best.upper is not None:
        return f"{'≤' if best.include_upper else '<'}{fmt_plain(best.upper)}{unit}"
    return "—"


def fmt_value(value: Decimal | None, unit: str) -> str:
    """A value with its unit: ``119.67%``, ``54875 件``, ``数据不足``."""
    if value is None:
        return "数据不足"
    if unit == "%":
        return fmt_percent(value)
    if unit == "万元":
        return f"{fmt_money(value)} 万元"
    text = fmt_number(value)
    return f"{text} {unit}" if unit else text


# ── the 自评表 ───────────────────────────────────────────────────────────


def target_of(node: Indicator, result: IndicatorResult) -> str:
    """指标值 for the 自评表: the standard a leaf is measured against, in a few characters."""
    standard = rule_words(node.rule, node.unit).standard
    if standard is None:  # the year's outcome holds the standard
        return result.target_text.replace(" ", "", 1) if result.target_text else "—"
    return standard


def actual_of(node: Indicator, result: IndicatorResult) -> str:
    """完成值 for the 自评表: the computed value, or what the evaluator found."""
    if result.value_text:
        return result.value_text
    return rule_words(node.rule, node.unit, result.entry).found or "—"


def missing_words(result: IndicatorResult) -> str:
    """What a leaf lacks (“上年“三公”经费预算数”), for a place that already says 数据不足 (its status or heading)."""
    return (result.missing or "").removeprefix(MISSING)


def why_unscored(result: IndicatorResult) -> str:
    """Why a leaf has no score yet: what it lacks, its problems, or that the evaluator has not scored it."""
    return missing_words(result) or "；".join(result.problems) or "评价人尚未评分"


def rule_scored(result: IndicatorResult) -> bool:
    """A formula or target gave the score that counts, unadjusted: its rule and figures are the reason for a deduction.

    A level, checklist or case count is the evaluator's finding, so a deduction there still wants their reason."""
    return result.indicator.computed and result.entry.score is None and result.final_score is not None


def reason_of(result: IndicatorResult) -> str:
    """扣分原因: the evaluator's reason, or the rule's own explanation; why a leaf has no score yet."""
    reason = result.entry.reason.strip()
    if result.not_applicable:
        return "不适用" + (f"：{reason}" if reason else "")
    if result.final_score is None:
        return f"{result.status.value}：{why_unscored(result)}"
    if result.final_score >= result.indicator.points:
        return ""
    if reason:
        return reason
    return result.rule_text or result.trace


def outcome_value(value: Decimal | None, unit: str) -> str:
    """An outcome's 指标值 or 完成值 with its unit; 数据不足 when the year's data lacks it."""
    return NO_DATA if value is None else fmt_value(value, unit)


def outcome_target(outcome: Outcome) -> str:
    """An outcome's 指标值 with its sign: ``≥50000 件``, or 未设指标值."""
    if outcome.target is None:
        return "未设指标值"
    return f"{COMPARISON_SYMBOL[outcome.op]}{outcome_value(outcome.target, outcome.unit)}"


def outcome_status(outcome: Outcome) -> str:
    """Whether an outcome met its 指标值: 已完成, 未完成, or why that cannot be said."""
    if outcome.actual is None:
        return NO_DATA
    if outcome.target is None:
        return "未设指标值"
    met = {
        "=": outcome.actual == outcome.target,
        ">=": outcome.actual >= outcome.target,
        "<=": outcome.actual <= outcome.target,
    }[outcome.op]
    return "已完成" if met else "未完成"


__all__ = [
    "NO_DATA",
    "RuleWords",
    "actual_of",
    "band_text",
    "describe",
    "fmt_value",
    "outcome_status",
    "outcome_target",
    "outcome_value",
    "reason_of",
    "rule_scored",
    "rule_words",
    "target_of",
]
