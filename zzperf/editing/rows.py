"""Table rows: adding and removing the 科目 lines of a year's tables, and the outcome rows a set scores."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from zzperf.accounts import Accounts, BudgetLine, EconomicLine, ExpenditureLine, IncomeLine, Outcome
from zzperf.checks import ECONOMIC_CLASSES
from zzperf.editing import EditError
from zzperf.indicators import IndicatorSet, TargetRule

LINE_TABLES: dict[str, tuple[str, str, type[BaseModel]]] = {
    "t2": ("income_table", "功能分类", IncomeLine),
    "t3": ("expenditure", "功能分类", ExpenditureLine),
    "t5": ("general_budget_expenditure", "功能分类", ExpenditureLine),
    "t6": ("basic_expenditure", "经济分类", EconomicLine),
    "budget_lines": ("budget.by_function", "功能分类", BudgetLine),
}
"""Sheets whose rows are 科目 lines a department adds or removes: sheet key → (where, 分类, line model)."""

CODE_LEVELS = {"功能分类": "类 3 位、款 5 位、项 7 位", "经济分类": "类 3 位、款 5 位"}
"""How long a 科目编码 is at each level, as the add-row dialog and its errors say it."""


def _line_list(accounts: Accounts, sheet: str) -> list[Any]:
    return accounts.coded_lines()[LINE_TABLES[sheet][0]]


def name_for_code(accounts: Accounts, sheet: str, code: str, previous: Accounts | None = None) -> str | None:
    """A name this 科目编码 already has: in another table of the year, last year, or the 经济分类 类 list."""
    functional = LINE_TABLES[sheet][1] == "功能分类"
    for source in (accounts, previous):
        if source is None:
            continue
        for other, (_, kind, _) in LINE_TABLES.items():
            if (kind == "功能分类") == functional:
                found = next((line.name for line in _line_list(source, other) if line.code == code), None)
                if found:
                    return found
    return None if functional else ECONOMIC_CLASSES.get(code)


def add_line(accounts: Accounts, sheet: str, code: str, name: str) -> Accounts:
    """A copy with a new empty row ``code name`` in ``sheet``'s table, in 科目编码 order. Raises EditError."""
    if sheet not in LINE_TABLES:
        raise EditError("这张表的行是固定的，不能添加")
    _, kind, model = LINE_TABLES[sheet]
    code, name = code.strip(), name.strip()
    try:
        line = model(code=code, name=name)  # the model's own 科目编码 pattern decides
    except ValidationError:
        raise EditError(f"{kind}科目编码应为数字（{CODE_LEVELS[kind]}），“{code}”不是") from None
    if not name:
        raise EditError("请填写科目名称")
    lines = _line_list(accounts, sheet)
    existing = next((line for line in lines if line.code == code), None)
    if existing is not None:
        raise EditError(f"表中已有 {code} {existing.name}")
    changed = accounts.model_copy(deep=True)
    target = _line_list(changed, sheet)
    at = next((index for index, line in enumerate(target) if line.code > code), len(target))
    target.insert(at, line)
    return changed


def remove_line(accounts: Accounts, sheet: str, code: str) -> tuple[Accounts, list[str]]:
    """A copy without row ``code`` and the rows under it (款 and 项), and the rows removed as “编码 名称”."""
    if sheet not in LINE_TABLES:
        raise EditError("这张表的行是固定的，不能删除")
    if not code:
        raise EditError("合计行不能删除；要删除的是科目行时，请把光标移到该行")
    changed = accounts.model_copy(deep=True)
    target = _line_list(changed, sheet)
    gone = [line for line in target if line.code.startswith(code)]
    if not gone:
        raise EditError(f"表中没有科目编码 {code} 的行")
    target[:] = [line for line in target if not line.code.startswith(code)]
    return changed, [f"{line.code} {line.name}" for line in gone]


def with_outcomes(accounts: Accounts, indicator_set: IndicatorSet) -> Accounts:
    """``accounts`` with a row for every 绩效目标 the set scores and the year does not list yet.

    A new workspace has no outcomes, so the data screen would offer nowhere to type 办件量's 指标值 and 完成值.
    The new rows are named after their indicator and are empty (数据不足) until the evaluator fills them in.
    """
    present = {outcome.key for outcome in accounts.outcomes}
    missing: dict[str, str] = {}
    for node in indicator_set.leaves:
        if isinstance(node.rule, TargetRule) and node.rule.outcome not in present:
            missing.setdefault(node.rule.outcome, node.name)
    if not missing:
        return accounts
    added = [Outcome(key=key, name=name) for key, name in missing.items()]
    return accounts.model_copy(update={"outcomes": [*accounts.outcomes, *added]})
