"""The values a comparison is made of: which set scored a year, one cell of one year, how a score moved.

A cell without a score keeps its status (数据不足, 待评); a group or total with unscored leaves below is
marked provisional (``*``). The cells of a score card are built here, so years and departments agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from zzperf.amounts import HUNDRED, fmt_percent, fmt_score, round_half_up
from zzperf.indicators import IndicatorSet
from zzperf.scoring import UNSCORED_STATUSES, IndicatorResult, ScoreCard, Status

EXECUTION_KEYS = ("budget_completion", "budget_execution", "execution_rate")
"""Last id parts that mark the budget-execution leaf (预算完成率 / 预算执行率); the first found wins."""

PARTIAL_MARK = "*"
PARTIAL_NOTE = "* 含数据不足或待评的指标，得分为暂计。"
DRAFT_MARK = "草稿·"
"""Before a leaf's score the evaluator has not confirmed yet, as ``zzperf score`` marks it (已评·草稿)."""
DRAFT_NOTE = "标“草稿”的得分是评价人录入、尚未核实的，仍可能改动。"


@dataclass(frozen=True)
class SetInfo:
    """Which indicator set a year (or a department) was scored with."""

    id: str
    version: str
    name: str
    total: Decimal

    @classmethod
    def of(cls, indicator_set: IndicatorSet) -> SetInfo:
        return cls(indicator_set.id, indicator_set.version, indicator_set.name, indicator_set.total)

    @property
    def label(self) -> str:
        return f"{self.name}（{self.id}，版本 {self.version}）"


@dataclass(frozen=True)
class Cell:
    """One indicator, group or total in one year."""

    points: Decimal
    score: Decimal | None
    """None: no score (数据不足, 待评, 不适用 left out of the total)."""
    status: str = ""
    """Why there is no score, or the leaf's status mark (自动, 已评 …)."""
    complete: bool = True
    """False for a group or total that still has leaves without a score."""
    value: Decimal | None = None
    value_text: str = ""
    reason: str = ""
    comment: str = ""
    basis: str = ""
    """How the score came about (the rule's arithmetic)."""
    draft: bool = False
    """A leaf's score the evaluator entered and has not yet confirmed (草稿): it may still change."""

    @property
    def rate(self) -> Decimal | None:
        """Score as a percentage of the points."""
        if self.score is None or not self.points:
            return None
        return self.score * HUNDRED / self.points

    @property
    def unscored(self) -> bool:
        """A leaf still without a score for a reason to act on (待评, 数据不足, 缺理由), not one left out as 不适用."""
        return self.score is None and self.status in UNSCORED_STATUSES

    @property
    def full(self) -> bool:
        return self.score is not None and self.complete and self.score == self.points

    @property
    def score_text(self) -> str:
        if self.score is None:
            return self.status or "—"
        draft = DRAFT_MARK if self.draft else ""  # before the figure: decimal points stay in line
        return draft + fmt_score(self.score) + ("" if self.complete else PARTIAL_MARK)

    @property
    def rate_text(self) -> str:
        rate = self.rate
        if rate is None:
            return self.status or "—"
        return fmt_percent(rate) + ("" if self.complete else PARTIAL_MARK)


@dataclass(frozen=True)
class ScoreChange:
    """How a score moved from one year to a later one."""

    since: int
    until: int
    points: Decimal | None
    """Change in raw points; None when either year has no score."""
    rate: Decimal | None
    """Change in score share, in percentage points."""
    same_points: bool
    """Both years have the same points, so the change in points is meaningful."""
    provisional: bool = False
    """Either year still has unscored leaves below this row."""

    @property
    def measure(self) -> Decimal | None:
        """The change that counts: points when the points match, else percentage points of the share."""
        return self.points if self.same_points else self.rate

    @property
    def direction(self) -> Literal["up", "down", "same"] | None:
        measure = self.measure
        if measure is None:
            return None
        measure = round_half_up(measure)
        return "up" if measure > 0 else "down" if measure < 0 else "same"

    @property
    def text(self) -> str:
        """``↑ 1.50``, ``↓ 0.80``, ``→ 持平``, ``↑ 5.00 个百分点（按得分率）`` or ``—``."""
        if self.same_points:
            return arrow(self.points, "") + (PARTIAL_MARK if self.provisional and self.points is not None else "")
        text = arrow(self.rate, " 个百分点")
        if self.rate is not None:
            text += "（按得分率）" + (PARTIAL_MARK if self.provisional else "")
        return text

    @property
    def rate_text(self) -> str:
        """The change in score share, e.g. ``↑ 5.00 个百分点``."""
        return arrow(self.rate, " 个百分点") + (PARTIAL_MARK if self.provisional and self.rate is not None else "")

    @property
    def points_text(self) -> str:
        """The change in raw points, even when the points differ, e.g. ``↓ 9.00``."""
        return arrow(self.points, "") + (PARTIAL_MARK if self.provisional and self.points is not None else "")


def arrow(delta: Decimal | None, unit: str) -> str:
    """``↑ 1.50`` / ``↓ 0.80 个百分点`` / ``→ 持平`` for a change, ``—`` when there is none."""
    if delta is None:
        return "—"
    rounded = round_half_up(delta)
    if rounded == 0:
        return "→ 持平"
    return f"{'↑' if rounded > 0 else '↓'} {fmt_score(abs(rounded))}{unit}"


def score_change(before: Cell | None, after: Cell | None, since: int, until: int) -> ScoreChange:
    """How a cell moved from one year to a later one (no change in points when either has no score)."""
    if before is None or after is None or before.score is None or after.score is None:
        same = before is not None and after is not None and before.points == after.points
        return ScoreChange(since, until, None, None, same)
    before_rate, after_rate = before.rate, after.rate
    rate = after_rate - before_rate if before_rate is not None and after_rate is not None else None
    same = before.points == after.points
    return ScoreChange(
        since, until, after.score - before.score, rate, same, provisional=not (before.complete and after.complete)
    )


def cell_of(card: ScoreCard, node_id: str) -> Cell:
    """The cell of a leaf or group of a score card."""
    result = card.results.get(node_id)
    if result is not None:
        return leaf_cell(result)
    group = card.groups[node_id]
    below = [r for r in card.results.values() if r.indicator.id.startswith(node_id + ".")]
    if group.scored_points == 0 and not any(r.final_score is not None for r in below):
        return Cell(group.indicator.points, None, _pending_status(below), complete=group.complete)
    return Cell(group.indicator.points, group.score, complete=group.complete)


def leaf_cell(result: IndicatorResult) -> Cell:
    """The cell of one scored leaf: score, status, value and the evaluator's words."""
    entry = result.entry
    status = result.status.value
    if result.final_score is None and result.status == Status.AUTO:
        status = Status.UNSCORED.value
    return Cell(
        points=result.indicator.points,
        score=result.final_score,
        status=status,
        complete=result.final_score is not None or result.excluded,
        value=result.value,
        value_text=result.value_text or (Status.INSUFFICIENT.value if result.status == Status.INSUFFICIENT else ""),
        reason=entry.reason.strip(),
        comment=entry.comment.strip(),
        basis=result.rule_text,
        draft=result.is_draft,
    )


def _pending_status(results: Iterable[IndicatorResult]) -> str:
    statuses = {r.status for r in results}
    if statuses and statuses <= {Status.NOT_APPLICABLE}:
        return Status.NOT_APPLICABLE.value
    if Status.INSUFFICIENT in statuses:
        return Status.INSUFFICIENT.value
    return Status.UNSCORED.value


def total_cell(card: ScoreCard) -> Cell:
    """The cell of a score card's total; without any score, the status that explains why."""
    if not any(r.final_score is not None for r in card.results.values()):
        return Cell(card.indicator_set.total, None, _pending_status(card.results.values()), complete=False)
    return Cell(card.indicator_set.total, card.total, complete=card.complete)


def grade_of(card: ScoreCard) -> str:
    """The card's grade, or — when nothing is scored yet."""
    if not any(r.final_score is not None for r in card.results.values()):
        return "—"
    return card.grade_text
