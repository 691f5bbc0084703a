"""Many departments in one year: each workspace scored on its own and ranked.

Each workspace is read on its own: one that fails to load is listed with its error and the rest are still
ranked. Large folders are scored in worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from zzperf.amounts import fmt_percent, fmt_score, round_half_up
from zzperf.compare.values import (
    EXECUTION_KEYS,
    PARTIAL_NOTE,
    Cell,
    SetInfo,
    cell_of,
    grade_of,
    leaf_cell,
    total_cell,
)
from zzperf.errors import ZzperfError
from zzperf.scoring import ScoreCard
from zzperf.workspace import PROFILE_FILE, Workspace, latest_year, score_for_ranking

KEY_EXECUTION_KEYS = (*EXECUTION_KEYS, "budget_adjustment", "payment_progress", "carryover_rate", "carryover_change")
"""Last id parts of the execution indicators shown in a department ranking (when they have a formula)."""
AHEAD_OF_EXECUTION = Decimal(5)
"""Score share running this many points ahead of budget execution is flagged (domain.md §16)."""
PARALLEL_FROM = 64
"""Departments from which scoring runs in worker processes."""


@dataclass(frozen=True)
class KeyValue:
    """A key execution indicator of a department: its value and score."""

    name: str
    value: Decimal | None
    value_text: str
    score_text: str


@dataclass(frozen=True)
class DepartmentScore:
    """One department's year, ready for ranking."""

    path: Path
    name: str
    year: int
    set: SetInfo
    total: Cell
    grade: str
    groups: dict[str, Cell]
    """First-level groups by id."""
    group_names: dict[str, str]
    key_values: dict[str, KeyValue]
    """Key execution indicators by the last part of their id."""
    pending: int
    """Leaves without a score (数据不足 or 待评)."""
    flags: tuple[str, ...] = ()
    rank: int = 0

    @property
    def share(self) -> Decimal | None:
        """Total as a percentage of the set's total."""
        return self.total.rate


@dataclass(frozen=True)
class Failure:
    """A workspace that could not be read or scored."""

    path: Path
    name: str
    error: str


@dataclass(frozen=True)
class DepartmentComparison:
    """Departments ranked for one year."""

    year: int
    departments: list[DepartmentScore]
    failures: list[Failure]
    groups: list[tuple[str, str]]
    """First-level columns: (id, name)."""
    key_columns: list[tuple[str, str]]
    """Key execution columns: (last id part, name)."""
    notes: list[str] = field(default_factory=list)

    @property
    def sets_differ(self) -> bool:
        return len({(d.set.id, d.set.version) for d in self.departments}) > 1


def compare_departments(
    roots: Sequence[Path], year: int | None = None, workers: int | None = None
) -> DepartmentComparison:
    """Score each workspace's year and rank them; failures are collected, not raised.

    ``workers``: processes to use (None: automatic, several from ``PARALLEL_FROM`` departments; 1: none).
    """
    if year is None:
        year = latest_year(roots)
        if year is None:
            raise ZzperfError("这些工作区都还没有年度数据", hint="用 zzperf init 目录 --year 年度 建立年度")
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(roots) >= PARALLEL_FROM else 1
    loaded: list[DepartmentScore | Failure]
    if workers > 1 and len(roots) > 1:
        from concurrent.futures import ProcessPoolExecutor

        chunk = max(1, len(roots) // (workers * 4))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            loaded = list(pool.map(load_department, roots, [year] * len(roots), chunksize=chunk))
    else:
        loaded = [load_department(root, year) for root in roots]
    departments = [item for item in loaded if isinstance(item, DepartmentScore)]
    failures = [item for item in loaded if isinstance(item, Failure)]
    return rank_departments(year, departments, failures)


def load_department(root: Path, year: int) -> DepartmentScore | Failure:
    """One department's year scored, or why it could not be."""
    name = root.name
    try:
        workspace = Workspace(root)
        name = workspace.profile.name
        card = score_for_ranking(workspace, year)
    except ZzperfError as error:
        located = error if error.file else error.located(root / PROFILE_FILE)
        return Failure(root, name, str(located))
    except Exception as error:  # noqa: BLE001 - one broken folder must not stop a run over hundreds
        return Failure(root, name, f"无法读取（{type(error).__name__}: {error}）")
    return department_from_card(root, name, card)


def department_from_card(root: Path, name: str, card: ScoreCard) -> DepartmentScore:
    indicator_set = card.indicator_set
    total = total_cell(card)
    groups = {node.id: cell_of(card, node.id) for node in indicator_set.children(None)}
    group_names = {node.id: node.name for node in indicator_set.children(None)}
    key_values: dict[str, KeyValue] = {}
    for suffix in KEY_EXECUTION_KEYS:
        leaf = next(
            (leaf for leaf in indicator_set.leaves if leaf.id.rsplit(".", 1)[-1] == suffix and leaf.formula), None
        )
        if leaf is not None:
            cell = leaf_cell(card.results[leaf.id])
            key_values[suffix] = KeyValue(leaf.name, cell.value, cell.value_text, cell.score_text)
    flags: list[str] = []
    pending = len(card.pending)
    if total.score is None:
        flags.append("尚无评分结果")
    elif pending:
        flags.append(f"{pending} 项指标数据不足或待评，总分为暂计")
    execution = next((key_values[key] for key in EXECUTION_KEYS if key in key_values), None)
    if execution is not None and execution.value is not None and total.rate is not None:
        ahead = round_half_up(total.rate - execution.value)
        if ahead > AHEAD_OF_EXECUTION:
            flags.append(
                f"得分率 {fmt_percent(total.rate)} 高于{execution.name}"
                f" {execution.value_text} {fmt_score(ahead)} 个百分点"
            )
    return DepartmentScore(
        path=root,
        name=name,
        year=card.year,
        set=SetInfo.of(indicator_set),
        total=total,
        grade=grade_of(card),
        groups=groups,
        group_names=group_names,
        key_values=key_values,
        pending=pending,
        flags=tuple(flags),
    )


def rank_departments(year: int, departments: list[DepartmentScore], failures: list[Failure]) -> DepartmentComparison:
    """Rank by total (by share of the set's total when sets differ); finished evaluations before unfinished ones.

    Equal scores share a rank (1, 1, 3) and keep their folder order. Departments with no score at all
    come last, unranked (rank 0).
    """
    differ = len({(d.set.id, d.set.version) for d in departments}) > 1

    def measure(department: DepartmentScore) -> Decimal:
        value = department.share if differ else department.total.score
        return value if value is not None else Decimal(-1)

    def order(department: DepartmentScore) -> tuple[int, Decimal, str]:
        unfinished = 2 if department.total.score is None else 1 if department.pending else 0
        return unfinished, -measure(department), str(department.path)

    ranked: list[DepartmentScore] = []
    previous: tuple[int, Decimal] | None = None
    rank = 0
    for position, department in enumerate(sorted(departments, key=order), start=1):
        if department.total.score is None:
            ranked.append(_with_rank(department, 0))
            continue
        current = (order(department)[0], round_half_up(measure(department)))
        if current != previous:
            rank, previous = position, current
        ranked.append(_with_rank(department, rank))
    groups: dict[str, str] = {}
    keys: dict[str, str] = {}
    for department in ranked:
        for group_id, group_name in department.group_names.items():
            groups.setdefault(group_id, group_name)
        for suffix, key_value in department.key_values.items():
            keys.setdefault(suffix, key_value.name)
    key_columns = [(suffix, keys[suffix]) for suffix in KEY_EXECUTION_KEYS if suffix in keys]
    notes = []
    if differ:
        sets = "、".join(sorted({d.set.label for d in ranked}))
        notes.append(f"各部门所用指标体系不同（{sets}），按得分率（总分 ÷ 满分）排名；一级指标同时给出得分率。")
    if any(d.pending for d in ranked):
        notes.append("评分未完成的部门排在评分完成的部门之后，其总分和等级为暂计。" + PARTIAL_NOTE)
    if failures:
        notes.append(f"{len(failures)} 个工作区未能读取，未参加排名（见“未能读取”）。")
    failed = sorted(failures, key=lambda f: str(f.path))
    return DepartmentComparison(year, ranked, failed, list(groups.items()), key_columns, notes)


def _with_rank(department: DepartmentScore, rank: int) -> DepartmentScore:
    return replace(department, rank=rank)
