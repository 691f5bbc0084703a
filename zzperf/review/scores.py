"""The reviewer's 复核 (``YEAR/review.toml``, beside the department's ``evaluation.toml``) and 自评 against 复核."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from zzperf.accounts import Year
from zzperf.amounts import MAX_POINTS, fmt_score
from zzperf.errors import ZzperfError, did_you_mean
from zzperf.evaluation import Entry as SelfEntry
from zzperf.indicators import LABEL_MARK, Indicator, IndicatorSet
from zzperf.review.history import REVIEW_FILE, because
from zzperf.scoring import IndicatorResult, ScoreCard, Status, score_year
from zzperf.tomlio import ABSENT, content_digest, dump_preserving, load_model, write_atomic
from zzperf.workspace import Workspace
from zzperf.workspace.lock import refuse_if_held

INFLATION_SHARE = Decimal("0.2")
"""An indicator's 自评 is flagged as inflated when it exceeds the 复核 by this share of its points…"""
INFLATION_MIN = Decimal("0.5")
"""…and by at least this many points."""
TOTAL_INFLATION = Decimal(3)
"""A department's 自评 total this far above its 复核 total is flagged."""


class ReviewEntry(BaseModel):
    """The reviewer's verdict on one leaf indicator."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True, defer_build=True)

    score: Annotated[Decimal, Field(ge=0, le=MAX_POINTS)] | None = None
    """复核得分"""
    reason: str = ""
    """理由：复核得分与自评不同的依据"""
    opinion: str = ""
    """意见：给部门的意见或整改要求"""


class Review(BaseModel):
    """One year's 复核 by the finance bureau."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, validate_assignment=True, defer_build=True)

    format_version: Literal[1] = 1
    """File format version."""
    year: Year
    """评价年度"""
    reviewer: str = ""
    """复核人或复核机构"""
    indicators: dict[str, ReviewEntry] = Field(default_factory=dict)
    """复核 by indicator id."""


def review_path(workspace: Workspace, year: int) -> Path:
    return workspace.year_dir(year) / REVIEW_FILE


def load_review(workspace: Workspace, year: int) -> Review | None:
    """The year's 复核, or None when nobody has reviewed it; unknown indicators are an error."""
    path = review_path(workspace, year)
    if not os.path.lexists(path):
        return None
    review = load_model(path, Review)
    if review.year != year:
        raise ZzperfError(f"文件中的 year = {review.year} 与所在文件夹 {year} 不一致", file=path, where="year")
    known = workspace.set_for(year).by_id
    for key in review.indicators:
        if key not in known or not known[key].is_leaf:
            raise ZzperfError(
                f"复核记录引用了指标体系中没有的末级指标 “{key}”",
                file=path,
                where=f"indicators.{key}",
                hint=did_you_mean(key, [node.id for node in workspace.set_for(year).leaves]),
            )
    return review


_QUOTES = "\"'“”‘’「」"
"""Quotation marks a name may be typed with, or typed around."""


def _folded(name: str) -> str:
    """A name as typed in a shell: full-width forms folded, without spaces or quotation marks (“三公经费”控制率)."""
    return re.sub(f"[\\s{_QUOTES}]", "", unicodedata.normalize("NFKC", name))


def find_leaf(indicator_set: IndicatorSet, said: str) -> Indicator:
    """The leaf indicator ``said`` names: its id, its name when exactly one leaf has that name (quotation marks
    and spaces aside: 三公经费控制率 is “三公经费”控制率), or ``组 › 名`` when exactly one leaf has that group and
    name. A clear error otherwise, naming the candidates."""
    node = indicator_set.by_id.get(said.strip())
    if node is None and LABEL_MARK.strip() in said:
        above, _, name = said.rpartition(LABEL_MARK.strip())
        matched = [
            leaf
            for leaf in indicator_set.leaves
            if _folded(leaf.name) == _folded(name) and _folded(_parent_name(indicator_set, leaf)) == _folded(above)
        ]
        _refuse_several(indicator_set, said, matched)
        node = matched[0] if matched else None
    if node is None:
        wanted = _folded(said)
        named = [item for item in indicator_set.by_id.values() if _folded(item.name) == wanted]
        leaves = [item for item in named if item.is_leaf]
        _refuse_several(indicator_set, said, leaves)
        if not leaves and len(named) > 1:
            listed = "、".join(
                f"{group.name}（{_path_of(indicator_set, group)}，{group.id}）"
                if "." in group.id
                else f"{group.name}（{group.id}）"
                for group in named
            )
            below = [
                leaf for leaf in indicator_set.leaves if any(leaf.id.startswith(group.id + ".") for group in named)
            ]
            raise ZzperfError(
                f"有 {len(named)} 个指标名为“{said}”，都不是末级指标：{listed}；复核记在它们下面的末级指标上",
                hint="请用编号，可选：" + "、".join(f"{leaf.name}（{leaf.id}）" for leaf in below),
            )
        node = leaves[0] if leaves else named[0] if named else None
    if node is None:
        shown = said.strip().strip(_QUOTES)
        raise ZzperfError(f"指标体系中没有末级指标“{shown}”", hint=_closest_leaf(indicator_set, said))
    if not node.is_leaf:
        below_names = [leaf.name for leaf in indicator_set.leaves if leaf.id.startswith(node.id + ".")]
        raise ZzperfError(
            f"“{node.name}”不是末级指标，复核记在它下面的末级指标上",
            hint="可选：" + "、".join(below_names) if below_names else None,
        )
    return node


def _refuse_several(indicator_set: IndicatorSet, said: str, leaves: list[Indicator]) -> None:
    """An error naming each of ``leaves`` by its path and id when ``said`` names more than one."""
    if len(leaves) > 1:
        listed = "、".join(f"{leaf.name}（{_path_of(indicator_set, leaf)}，{leaf.id}）" for leaf in leaves)
        raise ZzperfError(
            f"有 {len(leaves)} 个末级指标名为“{said}”：{listed}", hint=f"请用编号，如 --indicator {leaves[0].id}"
        )


CLOSEST_SHOWN = 5
"""Leaves a hint offers at most for a name that matches none."""


def _closest_leaf(indicator_set: IndicatorSet, said: str) -> str:
    """A hint naming the leaves ``said`` may mean: those whose name holds it (控制率: every 控制率), else the closest
    by name or id; where the names are listed when none is close."""
    import difflib  # only a mistake needs it

    wanted = _folded(said)
    leaves = [leaf for leaf in indicator_set.leaves if wanted and wanted in _folded(leaf.name)]
    if not leaves:
        by_key = {_folded(leaf.name): leaf for leaf in indicator_set.leaves} | {
            leaf.id: leaf for leaf in indicator_set.leaves
        }
        close = difflib.get_close_matches(wanted, list(by_key), n=CLOSEST_SHOWN, cutoff=0.6)
        leaves = list(dict.fromkeys(by_key[key] for key in close))
    if not leaves:
        return "用 zzperf review 工作区 查看各指标的名称"
    shown = "、".join(f"{leaf.name}（{leaf.id}）" for leaf in leaves[:CLOSEST_SHOWN])
    more = f" 等 {len(leaves)} 项" if len(leaves) > CLOSEST_SHOWN else ""
    return f"是不是 {shown}{more}？" if len(leaves) == 1 else f"可能是：{shown}{more}"


def _parent_name(indicator_set: IndicatorSet, leaf: Indicator) -> str:
    parent = indicator_set.by_id.get(leaf.id.rsplit(".", 1)[0])
    return parent.name if parent is not None else ""


def _path_of(indicator_set: IndicatorSet, leaf: Indicator) -> str:
    """“过程/预算执行”: the names above a leaf, to tell two leaves of one name apart."""
    parts = leaf.id.split(".")
    above = [indicator_set.by_id.get(".".join(parts[:end])) for end in range(1, len(parts))]
    return "/".join(node.name for node in above if node is not None)


def set_review(
    workspace: Workspace,
    year: int,
    indicator: str,
    *,
    score: Decimal | None = None,
    reason: str | None = None,
    opinion: str | None = None,
    reviewer: str | None = None,
) -> Review:
    """Record the reviewer's 复核得分, 理由 and/or 意见 for one leaf indicator (its id or name, ``find_leaf``); the
    file as written."""
    refuse_if_held(workspace.root)
    indicator_set = workspace.set_for(year)
    node = find_leaf(indicator_set, indicator)
    indicator = node.id
    if score is not None and not Decimal(0) <= score <= node.points:
        raise ZzperfError(f"复核得分 {fmt_score(score)} 应在 0 到本指标分值 {fmt_score(node.points)} 之间")
    path = review_path(workspace, year)
    expect = content_digest(path)
    review = load_review(workspace, year) or Review(year=year)
    entry = review.indicators.get(indicator, ReviewEntry()).model_copy()
    if score is not None:
        entry.score = score
    if reason is not None:
        entry.reason = reason
    if opinion is not None:
        entry.opinion = opinion
    if (score is not None or reason is not None) and entry.score is not None and not entry.reason.strip():
        own = _self_score(workspace, year, indicator)
        if own != entry.score:
            raise ZzperfError(
                f"“{node.name}”的复核得分 {fmt_score(entry.score)} 与自评 {fmt_score(own)} 不同，须写明理由",
                hint="用 --reason 写明复核得分与自评不同的依据",
            )
    review.indicators = {**review.indicators, indicator: entry}
    if reviewer is not None:
        review.reviewer = reviewer
    existing = path.read_text(encoding="utf-8") if expect != ABSENT else None
    heading = "# zzperf 复核记录：财政局的复核得分、理由与意见。\n\n"
    text = dump_preserving(review, existing) if existing else heading + dump_preserving(review, None)
    with because(entry.reason):
        write_atomic(path, text, expect=expect)
    return review


def _self_score(workspace: Workspace, year: int, indicator: str) -> Decimal | None:
    """The department's own (自评) score of one leaf, as its year scores."""
    return workspace.score(year).results[indicator].final_score


@dataclass(frozen=True)
class ReviewLine:
    """One leaf: its 自评 and 复核 and what stands out."""

    indicator_id: str
    name: str
    points: Decimal
    self_score: Decimal | None
    review_score: Decimal | None
    """None when the reviewer has not scored this item (the 自评 then stands)."""
    reason: str
    opinion: str
    flags: tuple[str, ...]
    label: str = ""
    """The name as shown and as ``--indicator`` takes it (``IndicatorSet.shown_names``: with the group above where
    another leaf shares the name)."""

    @property
    def difference(self) -> Decimal | None:
        """自评 − 复核 (positive: the department scored itself higher)."""
        if self.self_score is None or self.review_score is None:
            return None
        return self.self_score - self.review_score


@dataclass(frozen=True)
class ReviewComparison:
    """A year's 自评 and 复核 side by side."""

    year: int
    self_card: ScoreCard
    review_card: ScoreCard | None
    """The year scored with the 复核 in place of the 自评 where given; None without a review."""
    lines: tuple[ReviewLine, ...]
    reviewer: str = ""

    @property
    def reviewed_count(self) -> int:
        """Leaves the reviewer has scored; the others count at their 自评 score in the 复核 total."""
        return sum(1 for line in self.lines if line.review_score is not None)

    @property
    def progress(self) -> str:
        """``暂定：已复核 1/28 项，其余按自评计`` while the 复核 total still holds 自评 scores; empty when every item is
        reviewed or there is no 复核."""
        return review_progress(self.reviewed_count, len(self.lines)) if self.review_card is not None else ""

    @property
    def review_total_text(self) -> str:
        """The 复核 total as said wherever it appears: ``67.70（暂定：已复核 1/28 项，其余按自评计）`` until every
        item is reviewed."""
        return fmt_score(self.review_total) + (f"（{self.progress}）" if self.progress else "")

    @property
    def unsupported(self) -> int:
        """Formula indicators whose figures are 数据不足 but which carry the evaluator's score: no figure backs it."""
        return unsupported_count(self.self_card)

    @property
    def notes(self) -> tuple[str, ...]:
        """复核提示 for the whole year: scores no figure supports."""
        return unsupported_notes(self.unsupported)

    @property
    def self_total(self) -> Decimal | None:
        return self.self_card.shown_total

    @property
    def review_total(self) -> Decimal | None:
        return None if self.review_card is None else self.review_card.shown_total

    @property
    def difference(self) -> Decimal | None:
        if self.self_total is None or self.review_total is None:
            return None
        return self.self_total - self.review_total

    @property
    def inflated(self) -> bool:
        return self.difference is not None and self.difference >= TOTAL_INFLATION

    @property
    def flagged(self) -> list[ReviewLine]:
        """Lines with a flag, the largest inflation first."""
        chosen = [line for line in self.lines if line.flags]
        return sorted(chosen, key=lambda line: -(line.difference or Decimal(0)))


def review_progress(reviewed: int, leaves: int) -> str:
    """``暂定：已复核 1/28 项，其余按自评计`` while items are left; empty once every item is reviewed."""
    if reviewed >= leaves:
        return ""
    return f"暂定：已复核 {reviewed}/{leaves} 项，其余按自评计"


def unsupported_count(card: ScoreCard) -> int:
    """Formula indicators left 数据不足 by the figures whose score the evaluator gave by hand (a 0 the set gives for
    missing figures, ``missing = "zero"``, is the rule's, not a hand score)."""
    return sum(
        1
        for result in card.results.values()
        if result.indicator.formula
        and result.missing is not None
        and result.final_score is not None
        and result.entry.score is not None
    )


def unsupported_notes(count: int) -> tuple[str, ...]:
    """The 复核提示 for hand scores no figure supports (empty when there are none)."""
    return (f"{count} 项公式指标缺数据，由评价人给分",) if count else ()


def _reviewed_entry(entry: SelfEntry, verdict: ReviewEntry) -> SelfEntry:
    """The department's entry with the reviewer's score in its place, so the year scores as reviewed."""
    return entry.model_copy(
        update={
            "score": verdict.score,
            "reason": verdict.reason.strip() or "复核",
            "status": "confirmed",
            "not_applicable": False,
        }
    )


def _flags(
    self_score: Decimal | None, review_score: Decimal | None, points: Decimal, result: IndicatorResult
) -> tuple[str, ...]:
    flags = []
    if self_score is not None and review_score is not None:
        over = self_score - review_score
        if over >= max(INFLATION_MIN, points * INFLATION_SHARE):
            flags.append(f"自评高于复核 {fmt_score(over)} 分")
    if result.status is Status.OVERRIDDEN and result.auto_score is not None and result.final_score is not None:
        if result.final_score > result.auto_score:
            flags.append(f"自评高于决算数据所得 {fmt_score(result.final_score - result.auto_score)} 分")
    return tuple(flags)


def compare_review(workspace: Workspace, year: int) -> ReviewComparison:
    """The year's 自评 and 复核, per leaf and in total, with inflations flagged."""
    indicator_set = workspace.set_for(year)
    loaded = workspace.load_year(year)
    previous = workspace.previous_accounts(year)
    self_card = score_year(indicator_set, loaded.accounts, loaded.evaluation, previous)
    review = load_review(workspace, year)
    review_card = None
    if review is not None:
        entries = dict(loaded.evaluation.indicators)
        for key, verdict in review.indicators.items():
            if verdict.score is not None:
                entries[key] = _reviewed_entry(loaded.evaluation.entry(key), verdict)
        reviewed = loaded.evaluation.model_copy(update={"indicators": entries})
        review_card = score_year(indicator_set, loaded.accounts, reviewed, previous)
    labels = indicator_set.shown_names
    lines = []
    for leaf in indicator_set.leaves:
        result = self_card.results[leaf.id]
        verdict = review.indicators.get(leaf.id) if review is not None else None
        review_score = verdict.score if verdict is not None else None
        lines.append(
            ReviewLine(
                leaf.id,
                leaf.name,
                leaf.points,
                result.final_score,
                review_score,
                verdict.reason if verdict else "",
                verdict.opinion if verdict else "",
                _flags(result.final_score, review_score, leaf.points, result),
                labels[leaf.id],
            )
        )
    return ReviewComparison(year, self_card, review_card, tuple(lines), review.reviewer if review else "")
