"""The evaluator's entries: a typed score or count of cases, one entry changed, the report text changed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from zzperf.amounts import fmt_number
from zzperf.editing import EditError
from zzperf.evaluation import REPORT_SECTIONS, Entry, Evaluation, check_date
from zzperf.workspace import COVER_DETAILS, Profile


def parse_score(text: str, points: Decimal) -> Decimal | None:
    """A typed score within 0..points; blank means no score. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise EditError(f"“{text}”不是分数：请输入数字，如 4 或 3.5")
    score = Decimal(cleaned)
    if score < 0 or score > points:
        raise EditError(f"得分应在 0 至 {fmt_number(points)} 分之间，“{text}”超出范围")
    return score


def parse_cases(text: str) -> int | None:
    """A typed number of cases (whole, ≥ 0); blank means not yet counted. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("例").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise EditError(f"“{text}”应为不小于 0 的整数（发现的例数）")
    return int(cleaned)


JUDGEMENT_FIELDS = ("score", "level", "checked", "cases", "not_applicable", "reason", "evidence")
"""What a confirmation vouches for: the score and what it rests on (the rule's input, the reason, the evidence).

Changing any of these takes a confirmed entry back to draft; the 备注 (``comment``) is a note beside the score.
"""


def update_entry(
    evaluation: Evaluation, indicator_id: str, changes: Mapping[str, Any], order: Sequence[str] = ()
) -> Evaluation:
    """A copy of ``evaluation`` with one entry changed (validated); an entry left empty is dropped.

    ``order`` (the set's ids) keeps the entries in the indicator set's order in the file. A confirmed entry
    whose score or grounds change (``JUDGEMENT_FIELDS``) goes back to draft unless ``changes`` sets the status:
    已核实 vouches for what was checked, not for what was written afterwards.
    """
    current = evaluation.entry(indicator_id)
    try:
        entry = Entry.model_validate({**current.model_dump(), **changes})
        if (
            "status" not in changes
            and current.status == "confirmed"
            and any(getattr(entry, field) != getattr(current, field) for field in JUDGEMENT_FIELDS)
        ):
            entry = entry.model_copy(update={"status": "draft"})
    except ValidationError as error:
        first = error.errors()[0]
        raise EditError(f"{'.'.join(map(str, first['loc']))}：{first['msg']}", where=indicator_id) from None
    indicators = dict(evaluation.indicators)
    if entry.is_empty():
        indicators.pop(indicator_id, None)
    else:
        indicators[indicator_id] = entry
    if order:
        rank = {key: index for index, key in enumerate(order)}
        indicators = dict(sorted(indicators.items(), key=lambda item: rank.get(item[0], len(rank))))
    return evaluation.model_copy(update={"indicators": indicators})


def update_report(evaluation: Evaluation, **changes: str) -> Evaluation:
    """A copy with report text (``achievements=…``), the year's goal, the notice or the evaluator/date changed."""
    report_changes = {key: value for key, value in changes.items() if key in REPORT_SECTIONS}
    other = {key: value for key, value in changes.items() if key not in REPORT_SECTIONS}
    unknown = [key for key in other if key not in ("evaluator", "date", "notice", "goal")]
    if unknown:
        raise EditError(f"评分记录没有“{unknown[0]}”一项")
    if "date" in other:
        try:
            check_date(other["date"])
        except ValueError as error:
            raise EditError(str(error)) from None
    report = evaluation.report.model_copy(update=report_changes)
    return evaluation.model_copy(update={"report": report, **other})


def update_profile(profile: Profile, **changes: str) -> Profile:
    """A copy of the department's profile with some of its ``COVER_DETAILS`` changed (raises EditError)."""
    unknown = [key for key in changes if key not in COVER_DETAILS]
    if unknown:
        raise EditError(f"部门信息没有“{unknown[0]}”一项")
    try:
        return Profile.model_validate({**profile.model_dump(), **{key: text.strip() for key, text in changes.items()}})
    except ValidationError as error:
        first = error.errors()[0]
        raise EditError(f"{COVER_DETAILS.get(str(first['loc'][0]), first['loc'][0])}：{first['msg']}") from None
