"""``zzperf demo --county``: a folder of real departments' workspaces with a review scenario played on them.

The departments' figures are shipped in ``demo_county/`` (each traced to its published document in
``demo_county/来源说明.md``); the seed demo (株洲市政务服务中心) is copied in as one more department. The scores,
reasons, 复核 and submission steps are a demonstration scenario, written here through the same code paths
(``save_evaluation``, ``submit``, ``set_review``, ``return_year``, ``approve``) as a person's commands, so every
workspace's history log is a real one and ``zzperf verify`` passes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError
from zzperf.resources import shipped_dir

if TYPE_CHECKING:
    from zzperf.evaluation import Evaluation
    from zzperf.workspace import Workspace

COUNTY_SOURCE = shipped_dir("demo_county")
SOURCES_NOTE = "来源说明.md"
SEED_NAME = "株洲市政务服务中心"
EVALUATOR = "部门评价组（演示）"
REVIEWER = "财政局复核组（演示）"
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Role:
    """What the scenario does with one department's year."""

    folder: str
    year: int
    plan: str
    """``none`` (left unscored), ``honest``, or ``inflated`` (self scores above what the 决算 supports)."""
    steps: tuple[str, ...] = ()
    """Submission steps in order: ``submit``, ``review``, ``return``, ``approve``."""


ROLES = (
    Role("重庆市璧山区来凤街道办事处", 2024, "none"),
    Role("重庆市长寿区洪湖镇人民政府", 2024, "honest", ("submit",)),
    Role("天水市幼儿园", 2017, "honest", ("submit", "review", "approve")),
    Role("上海市普陀区财政局", 2024, "inflated", ("submit", "review", "return")),
)
"""The scenario; 株洲市政务服务中心 (the seed demo, with the real 勾稽 errors of its document) stays a draft."""

RETURN_COMMENT = (
    "自评得分明显高于决算数据支持的水平：预算完成率、结转结余率等按决算计算的指标被人工调为满分，"
    "数据不足的指标也按满分自评且无佐证。请按复核意见逐项修改后重新提交。"
)
APPROVE_COMMENT = "决算公开说明只给出总数，数据不足的指标已写明理由；复核同意自评结果。"


@contextlib.contextmanager
def acting_as(person: str) -> Iterator[None]:
    """Record the writes made inside the block as ``person`` (the history log's 谁)."""
    before = os.environ.get("ZZPERF_USER")
    os.environ["ZZPERF_USER"] = person
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("ZZPERF_USER", None)
        else:
            os.environ["ZZPERF_USER"] = before


def build_county(target: Path, seed: Path) -> list[str]:
    """Write the county folder into ``target`` (new or empty); the departments' names, in folder order."""
    from zzperf.review import history

    if target.exists() and any(target.iterdir()):
        raise ZzperfError("目录已存在且不是空目录", file=target, hint="换一个新目录名，如 zzperf demo --county 县")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(seed, target / SEED_NAME, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(COUNTY_SOURCE / SOURCES_NOTE, target / SOURCES_NOTE)
    history.install()
    for role in ROLES:
        shutil.copytree(COUNTY_SOURCE / role.folder, target / role.folder, ignore=shutil.ignore_patterns("__pycache__"))
        play(target / role.folder, role)
    return sorted(path.name for path in target.iterdir() if path.is_dir())


def play(root: Path, role: Role) -> None:
    """Score the department's year as the role's plan says, then take its submission steps."""
    from zzperf.evaluation import Evaluation
    from zzperf.review.scores import set_review
    from zzperf.review.submission import approve, return_year, submit
    from zzperf.workspace import Workspace

    workspace = Workspace(root)
    with acting_as(EVALUATOR):
        evaluation = self_scores(workspace, role) if role.plan != "none" else Evaluation(year=role.year)
        workspace.save_evaluation(evaluation)
    for step in role.steps:
        if step == "submit":
            with acting_as(EVALUATOR):
                submit(Workspace(root), role.year, "演示：自评完成，提交财政局复核")
            continue
        with acting_as(REVIEWER):
            if step == "review":
                for indicator, score, reason in review_scores(Workspace(root), role):
                    set_review(Workspace(root), role.year, indicator, score=score, reason=reason, reviewer=REVIEWER)
            elif step == "return":
                return_year(Workspace(root), role.year, RETURN_COMMENT)
            else:
                approve(Workspace(root), role.year, APPROVE_COMMENT)


def self_scores(workspace: Workspace, role: Role) -> Evaluation:
    """The evaluator's entries: every leaf scored, ``inflated`` at full marks whatever the 决算 says."""
    from zzperf.evaluation import Entry, Evaluation
    from zzperf.indicators import ChecklistRule, JudgedRule, LevelsRule, PerCaseRule

    inflated = role.plan == "inflated"
    card = workspace.score(role.year)
    entries: dict[str, Entry] = {}
    for key, result in card.results.items():
        node = result.indicator
        rule = node.rule
        entry = Entry(status="confirmed")
        if isinstance(rule, ChecklistRule):
            items = rule.items if inflated else rule.items[:-1]
            entry.checked = [item.name for item in items]
            if not inflated:
                entry.reason = f"“{rule.items[-1].name}”一项佐证不足，未计分。"
        elif isinstance(rule, LevelsRule):
            level = rule.levels[0] if inflated else rule.levels[min(1, len(rule.levels) - 1)]
            entry.level = level.name
            entry.reason = "" if inflated else "有成效，但缺少量化佐证，评为“较好”。"
        elif isinstance(rule, PerCaseRule) and result.auto_score is None:
            entry.cases = 0
            entry.evidence = "年度内未发现违规使用资金情况（演示）"
        elif isinstance(rule, JudgedRule):
            entry.score = node.points if inflated else round_half(node.points * Decimal("0.8"))
            entry.reason = "" if inflated else "完成情况总体较好，个别任务滞后（演示理由）。"
        elif result.auto_score is None:  # 数据不足: a person's score with a reason, or nothing counts
            if inflated:
                entry.score, entry.reason = node.points, "工作完成较好。"
            else:
                entry.score = round_half(node.points * Decimal("0.6"))
                entry.reason = "决算公开说明只给出总数，本项数据不足；按评价组掌握的情况评分，待补齐决算表后再核。"
        elif inflated and result.auto_score < node.points:
            entry.score, entry.reason = node.points, "按实际工作情况调整为满分。"
        else:
            continue
        entries[key] = entry
    return Evaluation(year=role.year, evaluator=EVALUATOR, indicators=entries)


def review_scores(workspace: Workspace, role: Role) -> list[tuple[str, Decimal, str]]:
    """The reviewer's 复核得分 for the leaves a person scored: what the 决算 supports, or less without evidence."""
    from zzperf.scoring import Status

    card = workspace.score(role.year)
    found: list[tuple[str, Decimal, str]] = []
    for key, result in card.results.items():
        if result.final_score is None or result.status is Status.AUTO:
            continue
        if result.auto_score is not None and result.auto_score < result.final_score:
            reason = f"按决算数据计算得 {result.auto_score} 分，自评调为满分的理由不成立。"
            found.append((key, result.auto_score, reason))
        elif role.plan == "inflated":
            score = round_half(result.indicator.points / 2)
            found.append((key, score, "自评满分，未提供佐证材料，按一半计分。"))
        else:
            found.append((key, result.final_score, "同意自评。"))
    return found


def round_half(value: Decimal) -> Decimal:
    """Down to a multiple of 0.5 (scores are given in half points)."""
    return (value / HALF).to_integral_value(rounding="ROUND_FLOOR") * HALF


__all__ = ["COUNTY_SOURCE", "ROLES", "SOURCES_NOTE", "Role", "build_county"]
