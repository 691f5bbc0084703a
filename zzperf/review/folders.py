"""A folder of department workspaces (at any depth) summarised for one year, in parallel: one row per department."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from zzperf.checks import run_checks
from zzperf.errors import ZzperfError
from zzperf.review.cache import ResultCache, compute_with_inputs
from zzperf.review.ranked import RankedYear
from zzperf.review.scores import compare_review
from zzperf.review.state import STATE_WORDS, load_submission
from zzperf.workspace import PROFILE_FILE, Workspace, find_workspaces, latest_year

NOT_EVALUATED = "未自评"


def no_department_has(year: int, folder: Path | None = None) -> ZzperfError:
    """The error when none of the workspaces has figures for ``year``."""
    return ZzperfError(
        f"这些工作区都没有 {year} 年度的数据", file=folder, hint="换一个年度，或去掉 --year 用各部门最新的年度"
    )


PARALLEL_FROM = 4
"""Departments from which the work is spread over processes."""
CHUNK = 16
"""Most departments handed to a worker process at once (fewer when there are few per worker, to share them out)."""

Audit = Callable[[Any, Any, Any], Sequence[Any]]
"""Checks a year's report text against its figures (``narrative.audit_report_text``); findings with a severity."""


@dataclass(frozen=True)
class DepartmentRow(RankedYear):
    """One department's year in the summary table."""

    path: Path
    name: str
    year: int
    total: Decimal | None
    """自评总分; None while nothing is self-evaluated."""
    provisional: bool
    """暂定: some items are still 待评 or 数据不足."""
    grade: str
    state: str
    errors: int
    """勾稽 errors"""
    warnings: int
    """勾稽 warnings"""
    drafts: int
    """Items entered but not yet confirmed (草稿)."""
    mismatches: int | None
    """Figures of the report text that differ from the accounts (说明不符); None when not checked."""
    review_total: Decimal | None = None
    inflated: bool = False
    rank: int | None = None
    """Place among the departments that have self-evaluated; None for 未自评."""
    error: str = ""
    """Why the department could not be read (its other fields are then empty)."""
    pending: int = 0
    """Items without a score (待评 or 数据不足): why the total is 暂定."""
    absent: bool = False
    """The workspace has no figures for the year asked about: listed, not ranked, and not an error."""
    review_progress: str = ""
    """``暂定：已复核 1/28 项，其余按自评计`` while the 复核 total still holds 自评 scores; empty otherwise."""

    @property
    def evaluated(self) -> bool:
        return self.total is not None

    @property
    def ranking_score(self) -> Decimal | None:
        """What the ranking goes by: the 复核总分 where there is one, else the 自评总分 (as ``zzperf compare``)."""
        return self.review_total if self.review_total is not None else self.total

    @property
    def difference(self) -> Decimal | None:
        """自评 − 复核."""
        if self.total is None or self.review_total is None:
            return None
        return self.total - self.review_total


@dataclass(frozen=True)
class FolderSummary:
    """Every department found under a folder, ranked, and those that could not be read."""

    year: int | None
    rows: list[DepartmentRow]

    @property
    def failures(self) -> list[DepartmentRow]:
        return [row for row in self.rows if row.error and not row.absent]

    @property
    def absent(self) -> list[DepartmentRow]:
        """Departments without figures for the year asked about."""
        return [row for row in self.rows if row.absent]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)

    @property
    def reviewed(self) -> bool:
        return any(row.review_total is not None for row in self.rows)


def find_departments(folder: Path) -> list[Path]:
    """Every workspace at or below ``folder`` (a workspace's own sub-folders are not searched), in path order."""
    return find_workspaces([folder])


def summarise(root: Path, year: int | None, audit: Audit | None = None) -> DepartmentRow:
    """One department's row for ``year`` (None: its latest); a row with ``error`` when it cannot be read."""
    name = root.name
    try:
        workspace = Workspace(root)
        name = workspace.profile.name
        if year is not None and year not in workspace.years():
            return replace(_failed(root, name, year, f"已有年度：{workspace.years_text()}"), absent=True)
        chosen = workspace.pick_year(year)
        accounts, previous = workspace.load_accounts(chosen), workspace.previous_accounts(chosen)
        report = run_checks(accounts, previous)
        evaluation = workspace.load_evaluation(chosen)
        state = STATE_WORDS[load_submission(root, chosen).state]
        mismatches = None
        if audit is not None:
            found = audit(evaluation.report, accounts, previous)
            mismatches = sum(1 for finding in found if finding.severity == "error")
        comparison = compare_review(workspace, chosen)
        card = comparison.self_card
        if not card.self_evaluated:
            return DepartmentRow(
                root,
                name,
                chosen,
                None,
                False,
                NOT_EVALUATED,
                state,
                len(report.errors),
                len(report.warnings),
                0,
                mismatches,
            )
        return DepartmentRow(
            root,
            name,
            chosen,
            card.shown_total,
            not card.complete,
            card.grade_text,
            state,
            len(report.errors),
            len(report.warnings),
            len(card.drafts),
            mismatches,
            comparison.review_total,
            comparison.inflated,
            pending=len(card.pending),
            review_progress=comparison.progress,
        )
    except ZzperfError as error:
        return _failed(root, name, year, str(error if error.file else error.located(root / PROFILE_FILE)))
    except Exception as error:  # noqa: BLE001 - one broken folder must not stop a run over hundreds
        return _failed(root, name, year, f"无法读取（{type(error).__name__}: {error}）")


def _failed(root: Path, name: str, year: int | None, error: str) -> DepartmentRow:
    return DepartmentRow(root, name, year or 0, None, False, "", "", 0, 0, 0, None, error=error)


def run_parallel(
    work: Callable[..., Any],
    roots: Sequence[Path],
    *arguments: Any,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """``work(root, *arguments)`` for every root, over a process pool when there are several; results in order."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(roots) >= PARALLEL_FROM else 1
    results: list[Any] = [None] * len(roots)
    if workers <= 1:
        for index, root in enumerate(roots):
            results[index] = work(root, *arguments)
            if progress is not None:
                progress(index + 1, len(roots))
        return results
    size = max(1, min(CHUNK, len(roots) // (workers * 8)))
    done = 0
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(_run_chunk, work, roots[start : start + size], arguments): start
            for start in range(0, len(roots), size)
        }
        for future in as_completed(futures):
            chunk = future.result()
            start = futures[future]
            results[start : start + len(chunk)] = chunk
            done += len(chunk)
            if progress is not None:
                progress(done, len(roots))
    return results


def _run_chunk(work: Callable[..., Any], roots: Sequence[Any], arguments: tuple[Any, ...]) -> list[Any]:
    return [work(root, *arguments) for root in roots]


def run_cached(
    work: Callable[..., Any],
    kind: str,
    roots: Sequence[Path],
    year: int | None,
    *arguments: Any,
    keep: Callable[[Any], bool],
    cache: bool = True,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
    progress: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """``work(root, year, *arguments)`` for every root, served from the result cache when its inputs are unchanged.

    Results for which ``keep`` is true are stored (``keep`` is false for a department that could not be read);
    the rest is computed over a process pool when there are at least ``parallel_from`` of them. ``cache`` false,
    or no ``year``: everything is computed and nothing is read or written.
    """
    if not cache or year is None or not roots:
        if workers is None and len(roots) < parallel_from:
            workers = 1
        return run_parallel(work, roots, year, *arguments, workers=workers, progress=progress)
    store = ResultCache(roots=roots)
    try:
        described = "\0".join(_describe(argument) for argument in arguments)
        keys = [store.key(kind, root, year, described) for root in roots]
        results: list[Any] = [None] * len(roots)
        missing: list[int] = []
        for index, (hit, value) in enumerate(store.get_many(keys, roots, year)):
            if hit:
                results[index] = value
            else:
                missing.append(index)
        hits = len(roots) - len(missing)
        if progress is not None and hits:
            progress(hits, len(roots))
        if workers is None and len(missing) < parallel_from:
            workers = 1
        step = None if progress is None else (lambda done, total: progress(hits + done, len(roots)))
        computed = run_parallel(
            compute_with_inputs, [roots[i] for i in missing], work, year, *arguments, workers=workers, progress=step
        )
        kept = []
        for index, item in zip(missing, computed):
            results[index] = pickle.loads(item.blob)
            if keep(results[index]):
                kept.append((keys[index], item))
        store.put_many(kept)
        return results
    finally:
        store.close()


def _describe(argument: Any) -> str:
    """An argument as part of a cache key: a function by its qualified name, anything else by its repr."""
    if callable(argument):
        return f"{argument.__module__}.{argument.__qualname__}"
    return repr(argument)


def summarise_folder(
    folder: Path,
    year: int | None = None,
    *,
    audit: Audit | None = None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> FolderSummary:
    """Every department under ``folder`` for one year (the latest any has, by default), ranked
    by the 复核总分 where there is one, else the 自评总分; the returned (退回) listed apart, unranked.

    ``cache``: serve unchanged department years from the result cache (``zzperf.review.cache``).
    """
    roots = find_departments(folder)
    if year is None:
        year = latest_year(roots)
    rows = run_cached(
        summarise,
        "summary",
        roots,
        year,
        audit,
        keep=lambda row: not row.error,
        cache=cache,
        workers=workers,
        progress=progress,
    )
    if rows and all(row.absent for row in rows):
        raise no_department_has(year, folder)
    return FolderSummary(year, rank(rows))


def rank(rows: list[DepartmentRow]) -> list[DepartmentRow]:
    """Ranked departments by the 复核总分 where there is one, else the 自评总分 (highest first, ties share a place);
    then the returned (退回, unranked), then 未自评, then the unreadable."""
    evaluated = sorted(
        (row for row in rows if row.evaluated and not row.error and not row.returned),
        key=lambda row: (-(row.ranking_score or 0), row.name),
    )
    ranked: list[DepartmentRow] = []
    for index, row in enumerate(evaluated):
        place = ranked[-1].rank if ranked and ranked[-1].ranking_score == row.ranking_score else index + 1
        ranked.append(replace(row, rank=place))
    returned = sorted((row for row in rows if row.evaluated and row.returned and not row.error), key=lambda r: r.name)
    rest = sorted((row for row in rows if not row.evaluated and not row.error), key=lambda row: row.name)
    failed = sorted((row for row in rows if row.error), key=lambda row: row.name)
    return ranked + returned + rest + failed
