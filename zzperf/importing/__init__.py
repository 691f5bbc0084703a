"""Importing a department's published 决算 tables (pasted text or .xlsx) into ``accounts.toml``.

``read_import`` reads a file into an ``ImportResult`` (per-table summaries, rows not understood,
conflicts, suggestions) without touching anything; ``plan_import`` compares it with the workspace;
``write_import`` writes, keeping a backup. The CLI and the TUI both use these three calls.
"""

from zzperf.importing.reader import MAX_BYTES, read_import
from zzperf.importing.result import Conflict, ImportResult, Problem, RowNote, Source, Suggestion, TableRead

__all__ = [
    "MAX_BYTES",
    "Conflict",
    "ImportResult",
    "Problem",
    "RowNote",
    "Source",
    "Suggestion",
    "TableRead",
    "read_import",
]
