"""A new year: next year's figures laid out from this year's, the new year's folder, and removing a year left empty."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from zzperf.accounts import Accounts, Outcome
from zzperf.errors import ZzperfError
from zzperf.evaluation import Evaluation
from zzperf.workspace.files import ACCOUNTS_FILE, EVALUATION_FILE

if TYPE_CHECKING:
    from zzperf.workspace import Workspace


def next_year_accounts(accounts: Accounts, year: int) -> Accounts:
    """Next year's figures, empty but laid out: what carries over from the year before, nothing else.

    The outcomes keep name, unit, 性质 and 指标值 (完成值 and notes cleared); the 科目 rows of the line tables keep
    their codes and names with empty amounts; 年初结转和结余 is last year's 年末结转和结余 (公开01/04表 say so).
    """
    new = Accounts(year=year)
    new.outcomes = [outcome.model_copy(update={"actual": None, "note": None}) for outcome in accounts.outcomes]
    old = accounts.coded_lines()
    for where, lines in new.coded_lines().items():
        lines[:] = [type(line)(code=line.code, name=line.name) for line in old[where]]
    new.overview.carryover_begin = accounts.overview.carryover_end
    new.fiscal_overview.carryover_begin = accounts.fiscal_overview.carryover_end
    return new


def start_new_year(workspace: Workspace, year: int | None = None, source: int | None = None) -> int:
    """Create the folder of a new year from ``source`` (default the latest year) and return the new year.

    The department profile stays as it is; the outcomes' targets carry over; every figure starts empty.
    """
    years = workspace.years()
    source = source if source is not None else (years[-1] if years else None)
    new = year if year is not None else (source + 1 if source is not None else None)
    if new is None:
        raise ZzperfError("工作区还没有年度数据，请指明新年度")
    if new in years:
        raise ZzperfError(f"工作区已有 {new} 年度的数据", file=workspace.root)
    if not 2000 <= new <= 2100:
        raise ZzperfError(f"年度 {new} 不在 2000–2100 之间")
    if source is not None:
        previous = workspace.load_year(source)
        accounts = next_year_accounts(previous.accounts, new)
        evaluation = Evaluation(year=new, evaluator=previous.evaluation.evaluator)
    else:
        accounts, evaluation = Accounts(year=new), Evaluation(year=new)
    workspace.save_evaluation(evaluation)
    workspace.save_accounts(accounts)
    return new


_CARRIED = frozenset({"carryover_begin", "year", "format_version"})
"""Fields a new year is given from the year before: a year holding only these holds no data of its own."""


def holds_figures(value: Any) -> bool:
    """Whether ``Accounts`` or a part of it holds a figure of its own (an outcome: its 完成值; a line: its amounts)."""
    if isinstance(value, Outcome):
        return value.actual is not None
    if isinstance(value, BaseModel):
        return any(holds_figures(getattr(value, name)) for name in type(value).model_fields if name not in _CARRIED)
    if isinstance(value, list):
        return any(holds_figures(item) for item in value)
    if isinstance(value, bool):
        return value
    return isinstance(value, (Decimal, int))


def has_data(accounts: Accounts, evaluation: Evaluation) -> bool:
    """Whether a year holds anything entered for it: a figure, a 完成值, a score, a reason or report text.

    What ``start_new_year`` lays out (targets, 科目 rows without amounts, the carried-over 年初结转和结余, the
    evaluator's name) is not data: a year just created holds none.
    """
    return holds_figures(accounts) or evaluation_has_data(evaluation)


def evaluation_has_data(evaluation: Evaluation) -> bool:
    """Whether the 自评 holds anything entered: a score, a reason or report text."""
    return bool(evaluation.indicators) or any(text.strip() for text in evaluation.report.model_dump().values())


def remove_empty_year(workspace: Workspace, year: int) -> None:
    """Delete the folder of a year that holds no data; refused (ZzperfError) when it holds any, or other files."""
    folder = workspace.year_dir(year)
    if year not in workspace.years():
        raise ZzperfError(f"工作区没有 {year} 年度", file=workspace.root)
    loaded = workspace.load_year(year)
    if has_data(loaded.accounts, loaded.evaluation):
        raise ZzperfError(f"{year} 年度已有数据或评分，不能删除", file=folder)
    others = sorted(path.name for path in folder.iterdir() if path.name not in (ACCOUNTS_FILE, EVALUATION_FILE))
    if others:
        raise ZzperfError(f"{year} 年度文件夹中还有其他文件（{'、'.join(others[:3])}），不能删除", file=folder)
    from zzperf.workspace.lock import refuse_if_held  # deferred for the CLI's start-up time: only a removal needs it

    refuse_if_held(workspace.root)
    for name in (EVALUATION_FILE, ACCOUNTS_FILE):
        path = folder / name
        if os.path.lexists(path):
            path.unlink()
        workspace.seen.pop(path, None)
        workspace.stamps.pop(path, None)
    folder.rmdir()
