"""What an import changes in a workspace, and writing it: differences, backups, atomic writes.

``plan_import`` is pure: it loads the year's current figures and works out the new ones and every
difference. ``write_import`` refuses when the plan has blocking problems, or when it would change
figures already in the workspace without ``replace``; otherwise it copies the old file to
``accounts.toml.bak-<时间>`` and writes the new one atomically.

Only the sections the imported tables fill are replaced (公开01–08表); narrative figures, 绩效目标 and
everything else already in ``accounts.toml`` stay as they were unless a suggestion is accepted.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zzperf.accounts import SECTION_NAMES, Accounts, BudgetLine
from zzperf.amounts import fmt_money
from zzperf.checks import SECTION_TABLES
from zzperf.errors import ConflictError, ZzperfError
from zzperf.figure_paths import field_labels
from zzperf.importing.result import ImportResult, Problem, Suggestion
from zzperf.tomlio import ABSENT, content_digest
from zzperf.workspace import ACCOUNTS_FILE, Workspace, write_origins
from zzperf.workspace.lock import refuse_if_held

KIND_SECTIONS = {
    "overview": ("overview", "income"),
    "income_table": ("income_table",),
    "expenditure": ("expenditure",),
    "fiscal_overview": ("fiscal_overview",),
    "general_budget_expenditure": ("general_budget_expenditure",),
    "basic_expenditure": ("basic_expenditure",),
    "three_public": ("three_public.budget", "three_public.actual"),
    "gov_fund": ("gov_fund",),
}
"""The parts of ``accounts.toml`` each table replaces."""


@dataclass(frozen=True)
class Change:
    """One figure that differs between the file in the workspace and the import."""

    path: str
    label: str
    old: Any
    new: Any

    @property
    def verb(self) -> str:
        if self.old is None:
            return "新增"
        if self.new is None:
            return "删除"
        return "修改"

    def __str__(self) -> str:
        if self.old is None:
            return f"{self.label}：{_show(self.new)}（新增）"
        if self.new is None:
            return f"{self.label}：{_show(self.old)} → 无数据"
        return f"{self.label}：{_show(self.old)} → {_show(self.new)}"


def _show(value: Any) -> str:
    if isinstance(value, Decimal):
        return fmt_money(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


@dataclass
class YearPlan:
    """One year's file: its figures before and after, and the differences."""

    year: int
    path: Path
    before: Accounts | None
    after: Accounts
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Suggestions not applied, with the reason (the field already holds another value)."""
    base: str = ABSENT
    """Content hash of the file as the plan read it: writing refuses when the file is no longer that."""

    @property
    def exists(self) -> bool:
        return self.before is not None

    @property
    def overwrites(self) -> list[Change]:
        """Changes to figures the file already holds."""
        return [change for change in self.changes if change.old is not None]


@dataclass
class ImportPlan:
    """What writing an import would do."""

    result: ImportResult
    current: YearPlan
    previous: YearPlan | None
    accepted: list[Suggestion]
    partial: bool

    @property
    def blocking(self) -> list[Problem]:
        return self.result.blocking(self.partial)

    @property
    def needs_replace(self) -> bool:
        """True when the import would change figures the year already has."""
        return bool(self.current.overwrites)

    @property
    def unchanged(self) -> bool:
        return not self.current.changes and not (self.previous and self.previous.changes)


@dataclass(frozen=True)
class Written:
    """Files written by ``write_import`` and the backups kept."""

    files: tuple[Path, ...]
    backups: tuple[Path, ...]


def plan_import(
    workspace: Workspace,
    result: ImportResult,
    *,
    accept: bool | Iterable[Suggestion] = False,
    partial: bool = False,
) -> ImportPlan:
    """The new figures for the import's year (and the previous year's, for accepted 上年 suggestions)."""
    if result.year is None:  # pragma: no cover - read_import always settles the year
        raise ZzperfError("没有决算年度")
    year = result.year
    accepted = _accepted(result, accept)
    before = _load(workspace, year)
    after = _with_tables(before or Accounts(year=year), result)
    current = _year_plan(workspace, year, before, after)
    for suggestion in accepted:
        if suggestion.year == year:
            _apply(after, suggestion)
    current.changes = differences(before, after)
    if current.changes:
        after.source = source_naming(after.source, result.source.name)
    previous: YearPlan | None = None
    earlier = [suggestion for suggestion in accepted if suggestion.year == year - 1]
    if earlier:
        old = _load(workspace, year - 1)
        new = (old or Accounts(year=year - 1)).model_copy(deep=True)
        previous = _year_plan(workspace, year - 1, old, new)
        for suggestion in earlier:
            present = _get(new, suggestion.path)
            if present is None:
                _apply(new, suggestion)
            elif present != suggestion.value:
                previous.skipped.append(
                    f"{suggestion.label}：{year - 1} 年度已有 {_show(present)}"
                    f"，与建议的 {_show(suggestion.value)} 不同，未改动"
                )
        previous.changes = differences(old, new)
        if previous.changes:
            new.source = source_naming(new.source, result.source.name)
    return ImportPlan(result, current, previous, accepted, partial)


def source_naming(source: str | None, document: str) -> str:
    """A year's 数据来源 that names the document its figures were imported from (once, after what it said)."""
    imported = f"导入自《{document}》"
    if not source:
        return imported
    return source if f"《{document}》" in source else f"{source}；{imported}"


def _year_plan(workspace: Workspace, year: int, before: Accounts | None, after: Accounts) -> YearPlan:
    """One year's plan, remembering the version of its file that was read (none: the file must stay absent)."""
    path = workspace.year_dir(year) / ACCOUNTS_FILE
    base = workspace.seen.get(path, ABSENT) if before is not None else ABSENT
    return YearPlan(year, path, before, after, base=base)


def _accepted(result: ImportResult, accept: bool | Iterable[Suggestion]) -> list[Suggestion]:
    """Suggestions to write: all (or the chosen ones) that no other sentence contradicts."""
    chosen = result.suggestions if accept is True else [] if accept is False else list(accept)
    return [suggestion for suggestion in chosen if suggestion.conflict is None]


def _load(workspace: Workspace, year: int) -> Accounts | None:
    if not os.path.lexists(workspace.year_dir(year) / ACCOUNTS_FILE):  # a broken file is an error, not "none"
        return None
    return workspace.load_accounts(year)


def _with_tables(base: Accounts, result: ImportResult) -> Accounts:
    """``base`` with the sections of the imported tables replaced by the import's figures."""
    try:
        imported = Accounts.model_validate({"year": base.year, **result.sections})
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ZzperfError(f"导入的数字无法保存：{where} {first['msg'].removeprefix('Value error, ')}") from None
    after = base.model_copy(deep=True)
    for kind in result.imported_kinds:
        for path in KIND_SECTIONS[kind]:
            owner_new: Any = imported
            owner: Any = after
            *parents, name = path.split(".")
            for part in parents:
                owner_new, owner = getattr(owner_new, part), getattr(owner, part)
            setattr(owner, name, getattr(owner_new, name).model_copy(deep=True))
    return after


_BY_FUNCTION = re.compile(r"^budget\.by_function\[(\d+)\]\.initial$")


def _get(accounts: Accounts, path: str) -> Any:
    match = _BY_FUNCTION.match(path)
    if match:
        line = next((line for line in accounts.budget.by_function if line.code == match.group(1)), None)
        return line.initial if line else None
    section, name = path.split(".")
    return getattr(getattr(accounts, section), name)


def _apply(accounts: Accounts, suggestion: Suggestion) -> None:
    match = _BY_FUNCTION.match(suggestion.path)
    if match:
        code = match.group(1)
        line = next((line for line in accounts.budget.by_function if line.code == code), None)
        if line is None:
            accounts.budget.by_function.append(
                BudgetLine(code=code, name=suggestion.row_name or "", initial=suggestion.value)
            )
        else:
            line.initial = suggestion.value  # type: ignore[assignment]
        return
    section, name = suggestion.path.split(".")
    setattr(getattr(accounts, section), name, suggestion.value)


# ─── differences ──────────────────────────────────────────────────────────────


def differences(before: Accounts | None, after: Accounts) -> list[Change]:
    """Every figure that differs, as ``Change``s in file order (numbers compared by value: 20.1 = 20.10)."""
    old = flatten(before) if before is not None else {}
    new = flatten(after)
    changes = []
    for path, (label, value) in new.items():
        previous = old.get(path, (label, None))[1]
        if not _same(previous, value):
            changes.append(Change(path, label, previous, value))
    for path, (label, value) in old.items():
        if path not in new and value is not None:
            changes.append(Change(path, label, value, None))
    return changes


def _same(left: Any, right: Any) -> bool:
    if isinstance(left, Decimal) and isinstance(right, Decimal):
        return left == right
    return type(left) is type(right) and left == right


def flatten(accounts: Accounts) -> dict[str, tuple[str, Any]]:
    """Figure path → (Chinese label, value) for every value in the file except its header keys."""
    flat: dict[str, tuple[str, Any]] = {}
    for name in type(accounts).model_fields:
        if name in ("format_version", "year", "unit", "source"):
            continue
        table = SECTION_TABLES.get(name, "")
        prefix = table.split()[0] + " " if table.startswith("公开") else ""
        labels = {path: prefix + label for path, label in field_labels().items() if path.startswith(name + ".")}
        _walk(getattr(accounts, name), name, prefix + SECTION_NAMES.get(name, name), labels, flat)
    return flat


def _walk(value: Any, path: str, label: str, labels: dict[str, str], flat: dict[str, tuple[str, Any]]) -> None:
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            child_path = f"{path}.{name}"
            child_label = labels.get(child_path) or f"{label}·{_field_label(info.description, name)}"
            _walk(getattr(value, name), child_path, child_label, labels, flat)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            key = getattr(item, "code", None) or getattr(item, "key", None) or str(index)
            name = getattr(item, "name", "")
            row_label = f"{label} {key} {name}".strip() if getattr(item, "code", None) else f"{label}“{name or key}”"
            if isinstance(item, BaseModel):
                for field_name, info in type(item).model_fields.items():
                    if field_name in ("code", "key"):
                        continue
                    _walk(
                        getattr(item, field_name),
                        f"{path}[{key}].{field_name}",
                        f"{row_label}·{_field_label(info.description, field_name)}",
                        labels,
                        flat,
                    )
        return
    if value is None or value == []:
        return
    flat[path] = (label, value)


def _field_label(description: str | None, name: str) -> str:
    return re.split(r"[：；]", description or name)[0].strip()


# ─── writing ────────────────────────────────────────────────────────────────────


def write_import(
    workspace: Workspace, plan: ImportPlan, *, replace: bool = False, now: datetime | None = None
) -> Written:
    """Write the plan: refuse on blocking problems or unreplaced differences; back up files before changing them.

    Refuses (ConflictError, WorkspaceLocked) when a file changed since the plan read it or another process has the
    workspace open in the evaluation screen.
    """
    blocking = plan.blocking
    if blocking:
        raise ZzperfError(blocking[0].message, file=plan.result.source, hint=blocking[0].hint)
    if plan.needs_replace and not replace:
        raise ZzperfError(
            f"{plan.current.year} 年度已有数据，导入会改动其中 {len(plan.current.overwrites)} 项",
            file=plan.current.path,
            hint="确认要以导入的数字为准时加 --replace（原文件会先备份）",
        )
    refuse_if_held(workspace.root)
    for year_plan in (plan.current, plan.previous):
        if year_plan is not None and year_plan.changes:
            if content_digest(year_plan.path) != year_plan.base:
                raise ConflictError(
                    "文件在读取之后已被修改（可能正在 zzperf 评分界面中打开），未导入",
                    file=year_plan.path,
                    hint="重新运行导入，对照磁盘上的新版本",
                )
            workspace.accept_disk(year_plan.path, year_plan.base)  # the save replaces what the plan read, or nothing
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    files: list[Path] = []
    backups: list[Path] = []
    for year_plan in (plan.current, plan.previous):
        if year_plan is None or not year_plan.changes:
            continue
        if year_plan.path.is_file():
            backups.append(backup(year_plan.path, stamp))
        workspace.save_accounts(year_plan.after)
        written = workspace.load_accounts(year_plan.year)
        if written != year_plan.after:  # pragma: no cover - a save that does not read back is a bug
            raise ZzperfError("写入后读回的数据与导入的不一致", file=year_plan.path, hint="原文件已备份")
        files.append(year_plan.path)
        if year_plan is plan.current:
            write_origins(workspace.year_dir(year_plan.year), plan.result.source.name, plan.result.origins, written)
    return Written(tuple(files), tuple(backups))


def backup(path: Path, stamp: str) -> Path:
    """Copy ``path`` to ``path.bak-<stamp>`` (with a counter if that exists) and return the copy."""
    target = path.with_name(f"{path.name}.bak-{stamp}")
    counter = 2
    while target.exists():
        target = path.with_name(f"{path.name}.bak-{stamp}-{counter}")
        counter += 1
    shutil.copy2(path, target)
    return target
