"""Many departments in one year: each workspace scored on its own and ranked, with its 复核 where there is one.

Each workspace is read on its own: one that fails to load is listed with its error and the rest are still
ranked. Large folders are scored in worker processes.
"""

from __future__ import annotations

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
from zzperf.review.folders import NOT_EVALUATED, no_department_has, run_cached
from zzperf.review.ranked import RETURNED_NOTE, RankedYear
from zzperf.review.scores import (
    TOTAL_INFLATION,
    compare_review,
    load_review,
    unsupported_count,
    unsupported_notes,
)
from zzperf.review.state import STATE_WORDS, load_submission
from zzperf.scoring import ScoreCard, Status
from zzperf.workspace import PROFILE_FILE, Workspace, latest_year, score_for_ranking

KEY_EXECUTION_KEYS = (*EXECUTION_KEYS, "budget_adjustment", "payment_progress", "carryover_rate", "carryover_change")
"""Last id parts of the execution indicators shown in a department ranking (when they have a formula)."""
AHEAD_OF_EXECUTION = Decimal(5)
"""Score share running this many points ahead of budget execution is flagged (domain.md §16)."""
PARALLEL_FROM = 64
"""Departments from which scoring runs in worker processes."""
NOT_REVIEWED = "未复核"
LARGEST_INFLATIONS = 5
"""How many of the departments whose 自评 is far above the 复核 the ranking's notes name, largest first."""


@dataclass(frozen=True)
class KeyValue:
    """A key execution indicator of a department: its value and score."""

    name: str
    value: Decimal | None
    value_text: str
    score_text: str
    unit: str = ""
    """The indicator's unit (``%`` for a rate), for a column that holds the bare number."""


@dataclass(frozen=True)
class DepartmentScore(RankedYear):
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
    review_total: Decimal | None = None
    """复核总分: the year scored with the reviewer's scores; None when it has not been reviewed (未复核)."""
    reviewed: bool = False
    review_flags: tuple[str, ...] = ()
    """Inflations: a 自评 total far above the 复核 total, and 自评 scores raised above what the 决算 figures give."""
    drafts: int = 0
    """Items entered but not yet confirmed (草稿): the total may still change."""
    self_evaluated: bool = True
    """The department has entered something in its 自评; without it (未自评) it is listed but not ranked."""
    state: str = ""
    """The year's submission state in words: 草稿, 已提交, 退回, 通过 (empty when not known)."""
    review_progress: str = ""
    """``暂定：已复核 1/28 项，其余按自评计`` while the 复核 total still holds 自评 scores; empty otherwise."""

    @property
    def ranking_score(self) -> Decimal | None:
        """What the ranking goes by: the 复核总分 where there is one, else the 自评总分."""
        return self.review_total if self.reviewed else self.total.score

    @property
    def ranking_share(self) -> Decimal | None:
        """``ranking_score`` as a percentage of the set's total."""
        score, points = self.ranking_score, self.total.points
        if score is None or not points:
            return None
        return score * 100 / points

    @property
    def share(self) -> Decimal | None:
        """Total as a percentage of the set's total."""
        return self.total.rate

    @property
    def difference(self) -> Decimal | None:
        """自评总分 − 复核总分 (positive: the department scored itself higher); None without both."""
        if self.total.score is None or self.review_total is None:
            return None
        return self.total.score - self.review_total

    @property
    def inflated(self) -> bool:
        """The 自评 total is at least ``TOTAL_INFLATION`` points above the 复核 total."""
        return self.difference is not None and self.difference >= TOTAL_INFLATION


@dataclass(frozen=True)
class Failure:
    """A workspace that could not be read or scored, or (``absent``) has no figures for the year asked about."""

    path: Path
    name: str
    error: str
    absent: bool = False


@dataclass(frozen=True)
class DepartmentComparison:
    """Departments ranked for one year."""

    year: int
    departments: list[DepartmentScore]
    failures: list[Failure]
    """Workspaces that could not be read or scored."""
    groups: list[tuple[str, str]]
    """First-level columns: (id, name)."""
    key_columns: list[tuple[str, str]]
    """Key execution columns: (last id part, name)."""
    notes: list[str] = field(default_factory=list)
    absent: list[Failure] = field(default_factory=list)
    """Workspaces that have no figures for the year: not ranked, and not an error."""

    @property
    def sets_differ(self) -> bool:
        return len({(d.set.id, d.set.version) for d in self.departments}) > 1

    @property
    def reviewed(self) -> bool:
        """Some department's year has been reviewed."""
        return any(d.reviewed for d in self.departments)

    @property
    def review_flagged(self) -> bool:
        return any(d.review_flags for d in self.departments)


def compare_departments(
    roots: Sequence[Path], year: int | None = None, workers: int | None = None, *, cache: bool = False
) -> DepartmentComparison:
    """Score each workspace's year and rank them; failures are collected, not raised.

    ``workers``: processes to use (None: automatic, several from ``PARALLEL_FROM`` departments; 1: none).
    ``cache``: serve unchanged department years from the result cache (``zzperf.review.cache``).
    """
    if year is None:
        year = latest_year(roots)
        if year is None:
            raise ZzperfError("这些工作区都还没有年度数据", hint="用 zzperf init 目录 --year 年度 建立年度")
    loaded = run_cached(
        load_department,
        "ranking",
        roots,
        year,
        keep=lambda item: isinstance(item, DepartmentScore),
        cache=cache,
        workers=workers,
        parallel_from=PARALLEL_FROM,
    )
    departments = [item for item in loaded if isinstance(item, DepartmentScore)]
    failures = [item for item in loaded if isinstance(item, Failure)]
    if loaded and all(isinstance(item, Failure) and item.absent for item in loaded):
        raise no_department_has(year)
    return rank_departments(year, departments, failures)


def load_department(root: Path, year: int) -> DepartmentScore | Failure:
    """One department's year scored, or why it could not be."""
    name = root.name
    try:
        workspace = Workspace(root)
        name = workspace.profile.name
        if year not in workspace.years():
            return Failure(root, name, f"没有 {year} 年度的数据（已有年度：{workspace.years_text()}）", absent=True)
        card = score_for_ranking(workspace, year)
        review_total, progress = _review_total(workspace, year)
        state = STATE_WORDS[load_submission(root, year).state]
    except ZzperfError as error:
        located = error if error.file else error.located(root / PROFILE_FILE)
        return Failure(root, name, str(located))
    except Exception as error:  # noqa: BLE001 - one broken folder must not stop a run over hundreds
        return Failure(root, name, f"无法读取（{type(error).__name__}: {error}）")
    department = replace(with_review(department_from_card(root, name, card), review_total, progress), state=state)
    if department.returned:
        department = replace(department, flags=(*department.flags, RETURNED_NOTE))
    return department


def _review_total(workspace: Workspace, year: int) -> tuple[Decimal | None, str]:
    """The year's 复核总分 (None when the finance bureau has not reviewed it) and its progress while 暂定."""
    if load_review(workspace, year) is None:
        return None, ""
    comparison = compare_review(workspace, year)
    return comparison.review_total, comparison.progress


def with_review(department: DepartmentScore, review_total: Decimal | None, progress: str = "") -> DepartmentScore:
    """The department with its 复核总分 (None: 未复核), how far the 复核 has got while 暂定, and the flag when
    its 自评 total is far above it."""
    if review_total is None:
        return department
    department = replace(department, review_total=review_total, reviewed=True, review_progress=progress)
    if department.progress_note:
        department = replace(department, review_flags=(department.progress_note, *department.review_flags))
    if department.inflated:
        flag = f"自评明显偏高：高于复核 {fmt_score(department.difference)} 分"
        department = replace(department, review_flags=(flag, *department.review_flags))
    return department


def _above_accounts(card: ScoreCard) -> tuple[str, ...]:
    """A flag when 自评 scores were raised above what the 决算 figures give (an automatic score overridden upward)."""
    raised = [
        result
        for result in card.results.values()
        if result.status is Status.OVERRIDDEN
        and result.auto_score is not None
        and result.final_score is not None
        and result.final_score > result.auto_score
    ]
    if not raised:
        return ()
    excess = sum((result.final_score - result.auto_score for result in raised), Decimal(0))  # type: ignore[operator]
    names = "、".join(result.indicator.name for result in raised)
    return (f"自评高于决算数据所得 {fmt_score(excess)} 分（{names}）",)


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
            key_values[suffix] = KeyValue(leaf.name, cell.value, cell.value_text, cell.score_text, leaf.unit)
    flags: list[str] = []
    pending = len(card.pending)
    if not card.self_evaluated:
        total = replace(total, score=None, status=NOT_EVALUATED)
        flags.append("尚未自评，不参加排名")
    elif total.score is None:
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
        grade=grade_of(card) if card.self_evaluated else NOT_EVALUATED,
        groups=groups,
        group_names=group_names,
        key_values=key_values,
        pending=pending,
        flags=tuple(flags),
        review_flags=(*unsupported_notes(unsupported_count(card)), *_above_accounts(card)),
        drafts=len(card.drafts),
        self_evaluated=card.self_evaluated,
    )


def rank_departments(year: int, departments: list[DepartmentScore], failures: list[Failure]) -> DepartmentComparison:
    """Rank by the 复核总分 where there is one, else the 自评总分 (by share of the set's total when sets differ);
    finished evaluations before unfinished ones.

    Equal scores share a rank (1, 1, 3) and keep their folder order. Returned departments (退回, their 自评 to be
    corrected), those with no score at all, and those that have not self-evaluated (未自评, their total left empty)
    come last, unranked (rank 0).
    """
    differ = len({(d.set.id, d.set.version) for d in departments}) > 1

    def measure(department: DepartmentScore) -> Decimal:
        value = department.ranking_share if differ else department.ranking_score
        return value if value is not None else Decimal(-1)

    def order(department: DepartmentScore) -> tuple[int, Decimal, str]:
        unfinished = (
            3 if department.total.score is None else 2 if department.returned else 1 if department.pending else 0
        )
        return unfinished, -measure(department), str(department.path)

    ranked: list[DepartmentScore] = []
    previous: tuple[int, Decimal] | None = None
    rank = 0
    for position, department in enumerate(sorted(departments, key=order), start=1):
        if department.total.score is None or department.returned:
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
    if any(d.pending and d.self_evaluated for d in ranked):
        notes.append("评分未完成的部门排在评分完成的部门之后，其总分和等级为暂计。" + PARTIAL_NOTE)
    notes += _review_notes(ranked)
    returned = [d.name for d in ranked if d.returned and d.total.score is not None]
    if returned:
        notes.append(f"{len(returned)} 个部门的自评已退回，待修改后重新提交，不参加排名：{'、'.join(returned)}。")
    absent = sorted((f for f in failures if f.absent), key=lambda f: str(f.path))
    failed = sorted((f for f in failures if not f.absent), key=lambda f: str(f.path))
    if absent:
        names = "、".join(f.name for f in absent[:10]) + ("等" if len(absent) > 10 else "")
        notes.append(f"{len(absent)} 个工作区没有 {year} 年度的数据，未参加排名：{names}。")
    if failed:
        notes.append(f"{len(failed)} 个工作区未能读取，未参加排名（见“未能读取”）。")
    return DepartmentComparison(year, ranked, failed, list(groups.items()), key_columns, notes, absent)


def _review_notes(ranked: list[DepartmentScore]) -> list[str]:
    """How many are reviewed, what 差 means, and the departments whose 自评 is furthest above the 复核."""
    reviewed = [d for d in ranked if d.reviewed]
    if not reviewed:
        return []
    notes = [
        f"已复核 {len(reviewed)} 个部门，{NOT_REVIEWED} {len(ranked) - len(reviewed)} 个；已复核的部门按复核总分排名，"
        f"{NOT_REVIEWED}的按自评总分；复核未完成的，复核总分中未复核的指标按自评计，为暂定。"
        f"“差”为自评总分减复核总分，差 ≥ {fmt_score(TOTAL_INFLATION)} 分标为自评明显偏高。"
    ]
    inflated = sorted((d for d in reviewed if d.inflated), key=lambda d: (-(d.difference or 0), str(d.path)))
    if inflated:
        named = "、".join(f"{d.name}（{fmt_score(d.difference)} 分）" for d in inflated[:LARGEST_INFLATIONS])
        more = f"等 {len(inflated)} 个部门" if len(inflated) > LARGEST_INFLATIONS else ""
        notes.append(f"自评高于复核最多：{named}{more}。")
    return notes


def _with_rank(department: DepartmentScore, rank: int) -> DepartmentScore:
    return replace(department, rank=rank)
