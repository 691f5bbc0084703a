"""Each rule type in words: its description, its standard (指标值) and what the evaluator found."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from zzperf.evaluation import Entry
from zzperf.indicators import (
    Band,
    BandsRule,
    ChecklistItem,
    ChecklistRule,
    JudgedRule,
    Level,
    LevelsRule,
    PerCaseRule,
    ProportionalRule,
    StepRule,
    TargetRule,
    ThresholdRule,
)
from zzperf.wording import RuleWords, band_text, describe, rule_words

CHECKLIST = ChecklistRule(
    type="checklist", items=[ChecklistItem(name="甲", points=D(1)), ChecklistItem(name="乙", points=D("0.5"))]
)


@pytest.mark.parametrize(
    ("rule", "unit", "words"),
    [
        (
            ThresholdRule(type="threshold", limit=D(100), deduct=D("0.5")),
            "%",
            RuleWords("不超过100% 得满分，每超 1 个百分点扣 0.5 分，扣完为止", "≤100%", None),
        ),
        (
            StepRule(type="step", limit=D(90), step=D(5), deduct=D(1), rounding="ceil"),
            "件",
            RuleWords("不低于90件 得满分，每低于 5件 扣 1 分（不足一档按一档计），扣完为止", "≥90 件", None),
        ),
        (
            BandsRule(
                type="bands", bands=[Band(lower=D(90), points=D(2)), Band(lower=D(80), upper=D(90), points=D(1))]
            ),
            "%",
            RuleWords("不低于90% 得 2 分；不低于80%、低于90% 得 1 分", "≥90%", None),
        ),
        (
            ProportionalRule(type="proportional"),
            "%",
            RuleWords("按完成比例计分（100% 为满分），满分为止", "≥100%", None),
        ),
        (
            TargetRule(type="target", outcome="cases", deviation=D(30), deviation_penalty=D(2)),
            "件",
            RuleWords(
                "达到指标值得满分，未达到按完成比例计分；完成值优于指标值 30% 及以上视为目标设定偏低（偏离），扣 2 分",
                None,
                None,
            ),
        ),
        (CHECKLIST, "", RuleWords("甲（1 分）；乙（0.5 分）", "符合全部 2 项要点", "待评")),
        (
            PerCaseRule(type="per_case", deduct=D("0.5")),
            "",
            RuleWords("每发现 1 例扣 0.5 分，扣完为止", "0 例", "待评"),
        ),
        (
            LevelsRule(type="levels", levels=[Level(name="好", points=D(3)), Level(name="差", points=D(0))]),
            "",
            RuleWords("好 3 分；差 0 分", "“好”", "待评"),
        ),
        (JudgedRule(type="judged"), "", RuleWords("由评价人在 0 至满分之间评分，扣分须写明原因", "—", "待评")),
    ],
)
def test_every_rule_type_is_worded_once(rule, unit: str, words: RuleWords) -> None:
    assert rule_words(rule, unit) == words
    assert describe(rule, unit) == words.description


def test_what_the_evaluator_found_reads_the_entry() -> None:
    assert rule_words(CHECKLIST, "", Entry(checked=["乙"])).found == "符合 1/2 项"
    assert rule_words(PerCaseRule(type="per_case", deduct=D(1)), "", Entry(cases=3)).found == "3 例"
    assert rule_words(JudgedRule(type="judged"), "", Entry(score=D(2))).found == "评价人评定"


@pytest.mark.parametrize(
    ("band", "text"),
    [
        (Band(points=D(1)), "其他"),
        (Band(upper=D(10), include_upper=True, points=D(1)), "不超过10%"),
        (Band(lower=D(0), upper=D(0), points=D(1)), "等于0%"),
        (Band(lower=D(10), upper=D(20), include_lower=False, include_upper=True, points=D(1)), "大于10%、不超过20%"),
    ],
)
def test_a_band_as_people_read_it(band: Band, text: str) -> None:
    assert band_text(band, "%") == text


def test_the_demos_rule_texts_word_every_comparison_alike(demo) -> None:  # noqa: ANN001
    """`zzperf score` read as a user reads it: 预算调整率's bands say “大于20%” and “大于30%”, not one in words and
    the next as “>30%”; no rule or trace mixes in a comparison symbol (指标值 keeps its compact ≤ / ≥)."""
    import re
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "zzperf", "score", str(demo), "--year", "2018"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "400", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "等于0% 得 4 分；大于0%、不超过10% 得 3 分" in result.stdout
    assert "大于20%、不超过30% 得 1 分；大于30% 得 0 分" in result.stdout
    assert "（不低于30%），目标设定偏低" in result.stdout
    for line in result.stdout.splitlines():
        assert not re.search(r"评分规则：.*[≤≥<>=]", line), line
        assert not re.search(r"（[≤≥<>=]", line), line
