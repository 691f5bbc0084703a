"""Importing a department's published 决算 tables (the PDF, pasted text or .xlsx) into ``accounts.toml``.

``read_import`` reads a file into an ``ImportResult`` (per-table summaries, rows not understood,
conflicts, suggestions) without touching anything; ``plan_import`` compares it with the workspace;
``write_import`` writes, keeping a backup. The CLI and the TUI both use these three calls.

A screen uses them as::

    result = read_import(path)                      # never writes; raises ZzperfError for unreadable files
    show(result.tables, result.not_understood, result.conflicts, result.suggestions, result.problems)
    plan = plan_import(workspace, result, accept=chosen_suggestions)   # compares with the year's file
    show(plan.current.changes, plan.blocking, plan.needs_replace)
    write_import(workspace, plan, replace=user_confirmed)              # backup, then atomic write
"""

from zzperf.importing.plan import Change, ImportPlan, Written, plan_import, write_import
from zzperf.importing.reader import MAX_BYTES, read_import
from zzperf.importing.result import Conflict, ImportResult, Problem, RowNote, Source, Suggestion, TableRead

__all__ = [
    "MAX_BYTES",
    "Change",
    "Conflict",
    "ImportPlan",
    "ImportResult",
    "Problem",
    "RowNote",
    "Source",
    "Suggestion",
    "TableRead",
    "Written",
    "plan_import",
    "read_import",
    "write_import",
]
