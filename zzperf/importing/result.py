"""What an import found: per-table summaries, rows not understood, conflicts, suggestions and problems.

An ``ImportResult`` is a plain value. The CLI prints it; a screen can show it and let the user choose
which suggestions to accept before ``plan_import`` and ``write_import`` do anything to the workspace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from zzperf.importing.tables import KINDS, REQUIRED, display_name


@dataclass(frozen=True)
class RowNote:
    """One row the importer read but did not store, or could not understand."""

    where: str
    """第 128 行, or 工作表“公开02表”第 7 行."""
    text: str
    """The row as printed."""
    reason: str
    """Why it was not stored, in Chinese."""
    material: bool = False
    """True when the row carries a non-zero figure, so leaving it out loses data."""


@dataclass
class TableRead:
    """One table as read: where it was, its unit, the figures for ``accounts.toml`` and what was left out."""

    kind: str | None
    title: str
    """The title as printed."""
    where: str
    label: str | None = None
    unit: str | None = None
    """The unit the amounts were read in."""
    department: str | None = None
    year: int | None = None
    rows_read: int = 0
    """Rows whose figures were read (stored, or used to cross-check another table)."""
    not_stored: list[RowNote] = field(default_factory=list)
    """Rows understood but with no place in ``accounts.toml``."""
    not_understood: list[RowNote] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """Accounts-shaped figures in 万元: ``{"overview": {...}, "income": {...}}``."""
    cross: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    """Figures kept only to compare with other tables, e.g. 支出功能分类 class totals by name."""
    largest: Decimal | None = None
    """The largest amount in the table, in 万元, for judging whether its unit is plausible."""
    grand_total: Decimal | None = None
    """The table's own total (总计 or 合计), in 万元."""
    origins: dict[str, str] = field(default_factory=dict)
    """Where each imported figure was printed, by figure path: 第 7 页 收入支出决算总表 ‘年初结转和结余’."""

    @property
    def name(self) -> str:
        return display_name(self.kind) if self.kind else self.title

    @property
    def figure_count(self) -> int:
        """How many figures the table gives ``accounts.toml``."""
        return sum(_count(value) for value in self.data.values())


def _count(value: Any) -> int:
    if isinstance(value, dict):
        return sum(_count(item) for item in value.values())
    if isinstance(value, list):
        return sum(_count(item) for item in value)
    return 1 if isinstance(value, Decimal) else 0


@dataclass(frozen=True)
class Conflict:
    """The same figure read twice with different values (two tables, or two sentences)."""

    message: str


@dataclass(frozen=True)
class Problem:
    """Something that stops the import; ``partial_ok`` problems can be overridden with a partial import."""

    message: str
    hint: str | None = None
    partial_ok: bool = False


@dataclass(frozen=True)
class Source:
    """Where a suggested figure was read: the sentence, and its place in the document."""

    sentence: str
    where: str


@dataclass
class Suggestion:
    """A figure found only in the narrative (or derived from it), offered for the user to accept."""

    path: str
    """Figure path as ``zzperf.editing`` names it: ``budget.initial``, ``budget.by_function[2010301].initial``."""
    label: str
    value: Decimal | int
    year: int
    """The year whose ``accounts.toml`` it belongs to (the previous year for 上年 figures)."""
    sources: list[Source] = field(default_factory=list)
    how: str | None = None
    """How the figure was derived, when it is not printed as such."""
    row_name: str | None = None
    """The 科目名称 for a by-function budget row."""
    conflict: str | None = None
    """Set when other sentences give a different value; such suggestions are never written."""
    warning: str | None = None

    @property
    def key(self) -> tuple[int, str]:
        return (self.year, self.path)


@dataclass
class ImportResult:
    """Everything read from one file. Pure data: reading never touches a workspace."""

    source: Path
    form: str
    """文本 or Excel."""
    year: int | None = None
    department: str | None = None
    tables: list[TableRead] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    """The tables' figures merged into ``accounts.toml`` sections (万元)."""
    text: str | None = None
    """The decoded text of a text file or the prose of a PDF (its 说明 is checked after the import).

    None for a workbook.
    """
    text_pages: list[int] | None = None
    """For a PDF, the page of each line of ``text``."""

    @property
    def found(self) -> dict[str, TableRead]:
        """Known tables by kind (the first of each kind)."""
        found: dict[str, TableRead] = {}
        for table in self.tables:
            if table.kind and table.kind not in found:
                found[table.kind] = table
        return found

    @property
    def missing(self) -> list[str]:
        """Kinds ``accounts.toml`` holds that the file did not contain."""
        return [kind for kind in REQUIRED if kind not in self.found]

    @property
    def not_understood(self) -> list[tuple[TableRead, RowNote]]:
        return [(table, note) for table in self.tables for note in table.not_understood]

    def blocking(self, partial: bool = False) -> list[Problem]:
        """The problems that stop a write (all of them, or only those a partial import cannot skip)."""
        return [problem for problem in self.problems if not (partial and problem.partial_ok)]

    @property
    def origins(self) -> dict[str, str]:
        """Where each imported figure was printed, by figure path (``income_table.lines[2010601].total``)."""
        return {path: where for table in self.tables for path, where in table.origins.items()}

    @property
    def read_no_figures(self) -> bool:
        """Whether no table ``accounts.toml`` holds gave a single figure (a blank template, a table of images)."""
        return not any(table.figure_count for table in self.tables if table.kind in KINDS)

    @property
    def imported_kinds(self) -> list[str]:
        return [kind for kind in self.found if kind in REQUIRED]

    def department_note(self, name: str) -> str:
        """What the file says of its department when it is not ``name`` (the workspace's), for a 注意 or an error:
        ``文件中的部门是“…”，工作区是“…”``, followed by ``：像是另一个部门的决算`` when ``other_department``; empty
        when the names are the same."""
        if not self.department or self.department == name:
            return ""
        said = f"文件中的部门是“{self.department}”，工作区是“{name}”"
        return f"{said}：像是另一个部门的决算" if self.other_department(name) else said

    def other_department(self, name: str) -> bool:
        """Whether the file names a department other than ``name``: neither name, as names are matched (``norm``),
        holds the other (株洲市政务服务中心 and 政务服务中心 are one department, 上海市普陀区财政局 another)."""
        from zzperf.importing.grid import norm

        found, ours = norm(self.department or ""), norm(name)
        return bool(found and ours) and found not in ours and ours not in found


def kind_names() -> str:
    """The names of the tables ``accounts.toml`` holds, for hints."""
    return "、".join(KINDS[kind][0] for kind in REQUIRED)
