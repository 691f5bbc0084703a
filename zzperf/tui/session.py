"""What the app has open: one workspace year, its score card and check report, unsaved models and undo.

Plain Python (no Textual), so the app's screens stay thin and the rules about saving can be tested alone.
Every change replaces a model, rescoring at once; the replaced model goes on the undo stack and the new one
is queued for saving. ``save_pending`` writes the queue in order and may run in a worker thread.
A submitted or approved year, and every year in review mode, is read-only: changes are refused with the reason.
In review mode the reviewer's 复核 is written to its own file at once (``set_review``).
During a what-if trial the new models are held in the session instead, until the trial is applied or discarded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Literal

from zzperf import editing
from zzperf.accounts import Accounts
from zzperf.checks import CheckReport, run_checks
from zzperf.errors import ConflictError, ZzperfError
from zzperf.evaluation import Evaluation
from zzperf.indicators import resolve_set, shipped_sets
from zzperf.review import ReviewComparison, compare_review, read_only_reason, set_review
from zzperf.scoring import ScoreCard, changed_results, score_year
from zzperf.tomlio import ABSENT, dump_preserving, write_atomic
from zzperf.workspace import ACCOUNTS_FILE, EVALUATION_FILE, PROFILE_FILE, Workspace, start_new_year
from zzperf.workspace.watch import DiskWatch

FileKind = Literal["accounts", "evaluation"]
UNDO_LIMIT = 200
REVIEW_MODE = "复核模式：部门的数据与自评只读"
"""Why a year opened for review refuses changes to the department's own files."""


@dataclass(frozen=True)
class Change:
    """What one edit changed: which file, which leaves' results, and how to say it."""

    kind: FileKind
    changed: frozenset[str]
    """Ids of the leaves whose result differs."""
    description: str


@dataclass
class WhatIf:
    """A what-if trial: the year as it was when the trial began, and the trial's models held back from saving."""

    accounts: Accounts
    evaluation: Evaluation
    card: ScoreCard
    checks: CheckReport
    undo_stack: list[tuple[FileKind, Accounts | Evaluation, str]]
    held: dict[FileKind, Accounts | Evaluation] = field(default_factory=dict)
    """The files the trial changed → their trial version, written only when the trial is applied."""


@dataclass
class LeftYear:
    """A year left for another: the version of each of its files as written on leaving (``Workspace.seen``), and the
    undo history that led there."""

    versions: dict[Path, str | None]
    undo_stack: list[tuple[FileKind, Accounts | Evaluation, str]]


@dataclass
class SaveResult:
    """The outcome of writing the queue: files written and failures as (kind, reason)."""

    written: list[FileKind] = field(default_factory=list)
    failed: list[tuple[FileKind, str]] = field(default_factory=list)
    conflicts: list[FileKind] = field(default_factory=list)
    """Files not written because someone else changed them on disk since they were read."""


class Session:
    """One open workspace year."""

    def __init__(self, workspace: Workspace, year: int | None = None, *, review: bool = False) -> None:
        self.workspace = workspace
        self.review_mode = review
        """Opened by a reviewer: the department's files read-only, the 复核 editable."""
        self.read_only: str | None = None
        """Why the year's figures and 自评 may not be changed now; None while they may."""
        self.comparison: ReviewComparison | None = None
        """In review mode: the year's 自评 beside the 复核."""
        self.watch = DiskWatch()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self.pending: dict[FileKind, Accounts | Evaluation] = {}
        self.blocked: dict[FileKind, str] = {}
        """Files not written because the copy on disk is broken: kind → the error, until it is fixed or overridden."""
        self.conflicts: dict[FileKind, str] = {}
        """Files not written because someone else changed them on disk: kind → the error, until the user decides."""
        self.last_error: str | None = None
        self.what_if: WhatIf | None = None
        """The what-if trial under way: edits change what is shown and scored, never the files, until applied."""
        self.generation = 0
        """Counts loads, reloads and undos: views re-read their inputs when it changes."""
        self.undo_stack: list[tuple[FileKind, Accounts | Evaluation, str]] = []
        self._left: dict[int, LeftYear] = {}
        """The undo history of each year left for another, kept for coming back to it."""
        self.load(workspace.pick_year(year))

    # ─── loading ───

    def load(self, year: int) -> None:
        """Open ``year`` (raises ZzperfError for a broken file, leaving the session as it was).

        Leaving a year keeps its undo history (its changes are saved by then); coming back finds it again while
        the year's files hold what was left. A file changed meanwhile (or read again for that: ``reload``) starts
        the history anew, so that no undo writes over someone else's change.
        """
        indicator_set = self.workspace.set_for(year)
        loaded = self.workspace.load_year(year)
        previous = self.workspace.previous_accounts(year)
        if self.undo_stack and self.year != year:  # (none before the first year is open)
            self._left[self.year] = LeftYear(self._versions(), self.undo_stack)
        left = self._left.pop(year, None)
        self.indicator_set = indicator_set
        self.year = year
        self.accounts = editing.with_outcomes(loaded.accounts, indicator_set)  # written with the first change
        self.evaluation = loaded.evaluation
        self.previous = previous
        self.card = self._score()
        self.checks = run_checks(self.accounts, self.previous)
        self.read_only = read_only_reason(self.workspace.root, year) or (REVIEW_MODE if self.review_mode else None)
        self.comparison = compare_review(self.workspace, year) if self.review_mode else None
        with self._lock:
            self.pending.clear()
        self.what_if = None
        self.blocked.clear()
        self.conflicts.clear()
        self.undo_stack = left.undo_stack if left is not None and left.versions == self._versions() else []
        self.generation += 1
        self._watch_files()

    def _versions(self) -> dict[Path, str | None]:
        """The version of each of the open year's files as last read or written (its content's hash)."""
        return {path: self.workspace.seen.get(path) for path in (self.path("accounts"), self.path("evaluation"))}

    def reload(self) -> None:
        """Read the year's files again (after someone changed them on disk)."""
        self.workspace = Workspace(self.workspace.root)
        self.load(self.year)

    def _watch_files(self) -> None:
        self.watch = DiskWatch(self.watched_paths(), known=self.workspace.stamps)

    def watched_paths(self) -> list[Path]:
        root = self.workspace.root
        paths = [root / PROFILE_FILE, self.path("accounts"), self.path("evaluation")]
        if self.year - 1 in self.workspace.years():
            paths.append(root / str(self.year - 1) / ACCOUNTS_FILE)
        name = self.workspace.profile.year_sets.get(str(self.year), self.workspace.profile.indicator_set)
        if name in shipped_sets():
            return paths  # part of the installed program, not of the workspace
        try:
            set_path = resolve_set(name, base=root)
        except ZzperfError:
            return paths
        if set_path.resolve().is_relative_to(root.resolve()):
            paths.append(set_path)  # a set the department wrote itself
        return paths

    def path(self, kind: FileKind) -> Path:
        return self.workspace.year_dir(self.year) / (ACCOUNTS_FILE if kind == "accounts" else EVALUATION_FILE)

    def kind_of(self, path: Path) -> FileKind | None:
        """Which of this year's files ``path`` is (None for the profile or the previous year)."""
        for kind in ("accounts", "evaluation"):
            if path == self.path(kind):  # type: ignore[arg-type]
                return kind  # type: ignore[return-value]
        return None

    # ─── scoring ───

    def _score(self) -> ScoreCard:
        return score_year(self.indicator_set, self.accounts, self.evaluation, self.previous)

    def _rescore(self) -> frozenset[str]:
        before = self.card.results
        self.card = self._score()
        return changed_results(before, self.card.results)

    # ─── changes ───

    def _refuse_if_read_only(self) -> None:
        if self.read_only is not None:
            raise editing.EditError(self.read_only)

    def _push_undo(self, kind: FileKind, model: Accounts | Evaluation, description: str) -> None:
        self.undo_stack.append((kind, model, description))
        del self.undo_stack[:-UNDO_LIMIT]

    def set_figure(self, path: str, text: str) -> Change:
        """Set one figure from typed text; raises EditError and changes nothing when the text is not valid."""
        self._refuse_if_read_only()
        return self._set_accounts(editing.set_figure(self.accounts, path, text), "修改数据")

    def add_line(self, sheet: str, code: str, name: str) -> Change:
        """Add an empty 科目 row to one of the line tables (raises EditError)."""
        self._refuse_if_read_only()
        return self._set_accounts(editing.add_line(self.accounts, sheet, code, name), f"添加 {code} {name.strip()}")

    def remove_line(self, sheet: str, code: str) -> Change:
        """Remove a 科目 row and the rows under it (raises EditError)."""
        self._refuse_if_read_only()
        accounts, gone = editing.remove_line(self.accounts, sheet, code)
        more = f" 等 {len(gone)} 行" if len(gone) > 1 else ""
        return self._set_accounts(accounts, f"删除 {gone[0]}{more}")

    def _set_accounts(self, accounts: Accounts, description: str) -> Change:
        if accounts == self.accounts:
            return Change("accounts", frozenset(), "")
        self._push_undo("accounts", self.accounts, description)
        self.accounts = accounts
        self.checks = run_checks(self.accounts, self.previous)
        self._queue("accounts", accounts)
        return Change("accounts", self._rescore(), description)

    def update_entry(self, indicator_id: str, changes: dict[str, Any]) -> Change:
        self._refuse_if_read_only()
        evaluation = editing.update_entry(self.evaluation, indicator_id, changes, order=list(self.indicator_set.by_id))
        return self._set_evaluation(evaluation, "修改评分")

    def update_report(self, **changes: str) -> Change:
        self._refuse_if_read_only()
        return self._set_evaluation(editing.update_report(self.evaluation, **changes), "修改报告文字")

    def update_profile(self, **changes: str) -> bool:
        """Change the department's details on the report's cover (``COVER_DETAILS``, shared by every year)
        and write ``zzperf.toml`` at once; whether anything changed.

        Raises EditError (a read-only year, a value that is not valid) or ConflictError (someone changed the file
        on disk since it was read), and the profile stays as it was. Not on the undo stack: the boxes undo typing.
        """
        self._refuse_if_read_only()
        before = self.workspace.profile
        profile = editing.update_profile(before, **changes)
        if profile == before:
            return False
        path = self.workspace.root / PROFILE_FILE
        self.workspace.profile = profile
        try:
            with self._write_lock, self.watch.writing(path):
                self.workspace.save_profile()
        except Exception:
            self.workspace.profile = before
            raise
        return True

    def _set_evaluation(self, evaluation: Evaluation, description: str) -> Change:
        if evaluation == self.evaluation:
            return Change("evaluation", frozenset(), "")
        self._push_undo("evaluation", self.evaluation, description)
        self.evaluation = evaluation
        self._queue("evaluation", evaluation)
        return Change("evaluation", self._rescore(), description)

    def undo(self) -> Change | None:
        """Put back the model before the last change; None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        self._refuse_if_read_only()
        kind, model, description = self.undo_stack.pop()
        if kind == "accounts":
            self.accounts = model  # type: ignore[assignment]
            self.checks = run_checks(self.accounts, self.previous)
        else:
            self.evaluation = model  # type: ignore[assignment]
        self._queue(kind, model)
        self.generation += 1
        return Change(kind, self._rescore(), f"撤销{description}")

    # ─── review ───

    def set_review(self, indicator_id: str, score: str, reason: str, opinion: str) -> ReviewComparison:
        """Write the reviewer's 复核得分 (typed text; empty keeps the one recorded), 理由 and 意见 for one leaf.

        Raises ZzperfError (EditError for a score that is not a number) and writes nothing when refused.
        """
        if not self.review_mode:
            raise editing.EditError("只有复核模式（zzperf open 工作区 --review）可以记录复核")
        value: Decimal | None = None
        if score.strip():
            try:
                value = Decimal(score.strip())
            except InvalidOperation:
                raise editing.EditError(f"复核得分应为数字：{score.strip()}") from None
            if not value.is_finite():
                raise editing.EditError(f"复核得分应为数字：{score.strip()}")
        set_review(self.workspace, self.year, indicator_id, score=value, reason=reason, opinion=opinion)
        self.comparison = compare_review(self.workspace, self.year)
        self.generation += 1
        return self.comparison

    # ─── what-if ───

    def start_what_if(self) -> None:
        """Begin a trial: from now on edits are scored and shown but held back from the files."""
        if self.what_if is None:
            self.what_if = WhatIf(self.accounts, self.evaluation, self.card, self.checks, list(self.undo_stack))

    @property
    def what_if_changed(self) -> bool:
        """Whether the trial's year differs from the year as it was when the trial began."""
        trial = self.what_if
        return trial is not None and (trial.accounts != self.accounts or trial.evaluation != self.evaluation)

    def apply_what_if(self) -> list[FileKind]:
        """End the trial keeping its edits: queue the files it changed for saving; returns their kinds."""
        trial, self.what_if = self.what_if, None
        if trial is None:
            return []
        kinds = [kind for kind in ("accounts", "evaluation") if kind in trial.held]
        for kind in kinds:
            self._queue(kind, trial.held[kind])  # type: ignore[arg-type]
        return kinds  # type: ignore[return-value]

    def discard_what_if(self) -> Change | None:
        """End the trial dropping its edits: the year is as it was when the trial began (None when no trial)."""
        trial, self.what_if = self.what_if, None
        if trial is None:
            return None
        before = self.card.results
        self.accounts, self.evaluation, self.card, self.checks = (
            trial.accounts,
            trial.evaluation,
            trial.card,
            trial.checks,
        )
        self.undo_stack = trial.undo_stack
        self.generation += 1
        changed = changed_results(before, self.card.results)
        return Change("evaluation", changed, "放弃假设的修改")

    # ─── saving ───

    def _queue(self, kind: FileKind, model: Accounts | Evaluation) -> None:
        if self.what_if is not None:
            self.what_if.held[kind] = model  # a trial's edit: kept in memory, never written until applied
            return
        with self._lock:
            self.pending[kind] = model

    def queue_all(self) -> None:
        """Queue both files as they are in memory (to write over a copy changed on disk); a trial's edits stay out."""
        trial = self.what_if
        with self._lock:
            self.pending["accounts"] = trial.accounts if trial is not None else self.accounts
            self.pending["evaluation"] = trial.evaluation if trial is not None else self.evaluation

    def keep_mine(self, bases: dict[Path, str]) -> None:
        """Write this session's version over the outside edits: ``bases`` are the disk versions the user saw.

        Everything in memory is queued; a file changed once more since ``bases`` was taken still conflicts.
        """
        for path, digest in bases.items():
            self.workspace.accept_disk(path, digest)
            self.watch.record(path)
        self.blocked.clear()
        self.conflicts.clear()
        self.queue_all()

    def discard_pending(self) -> None:
        with self._lock:
            self.pending.clear()

    @property
    def has_pending(self) -> bool:
        with self._lock:
            return bool(self.pending)

    def save_pending(self) -> SaveResult:
        """Write every queued model, oldest file first, atomically; safe to call from any thread.

        The queue is taken under the write lock, so a later call always writes the newer model last.
        A failed write stays queued (unless something newer was queued meanwhile). A file someone else changed on
        disk since it was read is never written over: it stays queued and in ``conflicts`` until ``keep_mine``.
        """
        result = SaveResult()
        with self._write_lock:
            for kind in ("accounts", "evaluation"):
                if kind in self.blocked or kind in self.conflicts:
                    continue
                with self._lock:
                    model = self.pending.pop(kind, None)  # type: ignore[call-overload]
                if model is None:
                    continue
                path = self.workspace.year_dir(model.year) / (ACCOUNTS_FILE if kind == "accounts" else EVALUATION_FILE)
                try:
                    with self.watch.writing(path):
                        if kind == "accounts":
                            self.workspace.save_accounts(model)
                        else:
                            self.workspace.save_evaluation(model)
                except ConflictError as error:
                    with self._lock:
                        self.pending.setdefault(kind, model)  # type: ignore[arg-type]
                    self.conflicts[kind] = error.message  # type: ignore[index]
                    result.conflicts.append(kind)  # type: ignore[arg-type]
                except (OSError, ZzperfError) as error:
                    reason = getattr(error, "strerror", None) or str(error)
                    with self._lock:
                        self.pending.setdefault(kind, model)  # type: ignore[arg-type]
                    result.failed.append((kind, reason))  # type: ignore[arg-type]
                else:
                    result.written.append(kind)  # type: ignore[arg-type]
        self.last_error = result.failed[0][1] if result.failed else (None if result.written else self.last_error)
        return result

    def save_aside(self) -> list[Path]:
        """Write what a conflict held back next to its file (``NAME.unsaved-<时间>``): leaving never loses typing."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        written = []
        for kind in list(self.conflicts):
            with self._lock:
                model = self.pending.get(kind)
            if model is None:
                continue
            path = self.path(kind)
            aside = path.with_name(f"{path.name}.unsaved-{stamp}")
            try:
                write_atomic(aside, dump_preserving(model, None), expect=ABSENT)
            except (OSError, ZzperfError):
                continue
            written.append(aside)
        return written

    # ─── years ───

    def start_new_year(self) -> int:
        """Create the year after the latest one (targets carried over) and return it."""
        return start_new_year(self.workspace)
