"""A new year: next year's figures laid out from this year's, and the new year's folder in a workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zzperf.accounts import Accounts
from zzperf.errors import ZzperfError
from zzperf.evaluation import Evaluation

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
