"""Sheets: every figure of a year laid out like the 决算 tables, and the indicators that use each figure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from pydantic import BaseModel

from zzperf import figure_paths
from zzperf.accounts import Accounts
from zzperf.indicators import Indicator, IndicatorSet, TargetRule


@dataclass(frozen=True)
class SheetRow:
    """One row: its label, its 科目编码 (when a table row) and one path per column (None: empty cell)."""

    label: str
    paths: tuple[str | None, ...]
    code: str = ""
    level: int = 0
    """Indent: 0 for 合计 and scalar rows, 1 for 款, 2 for 项."""


@dataclass(frozen=True)
class Sheet:
    """A table of figures as the 决算 prints it."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    coded: bool = False
    """Rows carry a 科目编码 column."""


def _labels(model: type[BaseModel]) -> dict[str, str]:
    return {name: figure_paths.description_label(info.description, name) for name, info in model.model_fields.items()}


_SCALARS = (Decimal | None, Decimal, int | None, int, bool | None, bool, str | None, str)


def _scalar_fields(model: type[BaseModel]) -> list[str]:
    """The fields of a section that hold one figure or one text (not nested tables or rows)."""
    return [name for name, info in model.model_fields.items() if info.annotation in _SCALARS]


def _scalar_sheet(key: str, title: str, section: str, model: type[BaseModel], with_previous: bool) -> Sheet:
    labels = _labels(model)
    rows = []
    for name in _scalar_fields(model):
        info = model.model_fields[name]
        path = f"{section}.{name}"
        if info.annotation in (bool | None, str | None):
            rows.append(SheetRow(labels[name], (path, None) if with_previous else (path,)))
            continue
        rows.append(SheetRow(labels[name], (path, figure_paths.PREVIOUS + path) if with_previous else (path,)))
    columns = ("本年", "上年") if with_previous else ("本年",)
    return Sheet(key, title, columns, tuple(rows))


def _line_sheet(
    key: str, title: str, section: str, accounts: Accounts, columns: Sequence[str], model: type[BaseModel]
) -> Sheet:
    labels = _labels(model)
    table = getattr(accounts, section)
    rows = [SheetRow("合计", tuple(f"{section}.total.{column}" for column in columns))]
    for line in table.lines:
        rows.append(
            SheetRow(
                line.name,
                tuple(f"{section}.lines[{line.code}].{column}" for column in columns),
                code=line.code,
                level=(len(line.code) - 3) // 2,
            )
        )
    return Sheet(key, title, tuple(labels[column] for column in columns), tuple(rows), coded=True)


def sheets(accounts: Accounts, with_previous: bool = False) -> list[Sheet]:
    """Every figure of a year, grouped as the 基础数据表 and 公开01–08表 print them."""
    from zzperf.accounts import (
        Assets,
        Budget,
        ExpenditureAmounts,
        FiscalOverview,
        GeneralSpending,
        GovFund,
        IncomeAmounts,
        OperatingCosts,
        Procurement,
        Staffing,
    )

    prev = with_previous

    def pair(path: str) -> tuple[str | None, ...]:
        return (path, figure_paths.PREVIOUS + path) if prev else (path,)

    income = _labels(type(accounts.income))
    overview = _labels(type(accounts.overview))
    t1_rows = [SheetRow(income[name], pair(f"income.{name}")) for name in _scalar_fields(type(accounts.income))]
    t1_rows += [SheetRow(overview[name], pair(f"overview.{name}")) for name in _scalar_fields(type(accounts.overview))]
    result = [
        Sheet("t1", "公开01表 收入支出决算总表", ("本年", "上年") if prev else ("本年",), tuple(t1_rows)),
        _line_sheet(
            "t2",
            "公开02表 收入决算表",
            "income_table",
            accounts,
            ("total", "fiscal", "superior_subsidy", "business", "operating", "affiliated", "other"),
            IncomeAmounts,
        ),
        _line_sheet(
            "t3",
            "公开03表 支出决算表",
            "expenditure",
            accounts,
            ("total", "basic", "project", "remit", "operating", "affiliated"),
            ExpenditureAmounts,
        ),
        _scalar_sheet("t4", "公开04表 财政拨款收入支出决算总表", "fiscal_overview", FiscalOverview, prev),
        _line_sheet(
            "t5",
            "公开05表 一般公共预算财政拨款支出决算表",
            "general_budget_expenditure",
            accounts,
            ("total", "basic", "project"),
            ExpenditureAmounts,
        ),
    ]
    basic = accounts.basic_expenditure
    t6_rows = [
        SheetRow("人员经费合计", ("basic_expenditure.personnel_total",)),
        SheetRow("公用经费合计", ("basic_expenditure.public_total",)),
    ]
    t6_rows += [
        SheetRow(
            line.name,
            (f"basic_expenditure.lines[{line.code}].amount",),
            code=line.code,
            level=(len(line.code) - 3) // 2,
        )
        for line in basic.lines
    ]
    result.append(Sheet("t6", "公开06表 一般公共预算财政拨款基本支出决算表", ("决算数",), tuple(t6_rows), coded=True))

    three = _labels(type(accounts.three_public.budget))
    t7_rows = [SheetRow(three[name], (f"three_public.budget.{name}", f"three_public.actual.{name}")) for name in three]
    others = _labels(type(accounts.three_public))
    t7_rows += [
        SheetRow(others[name], (None, f"three_public.{name}")) for name in _scalar_fields(type(accounts.three_public))
    ]
    result.append(Sheet("t7", "公开07表 “三公”经费支出决算表", ("预算数", "决算数"), tuple(t7_rows)))
    result.append(_scalar_sheet("t8", "公开08表 政府性基金预算财政拨款收入支出决算表", "gov_fund", GovFund, prev))

    budget_fields = _scalar_fields(Budget)
    budget_labels = _labels(Budget)
    result.append(
        Sheet(
            "budget",
            "预算",
            ("本年", "上年") if prev else ("本年",),
            tuple(SheetRow(budget_labels[name], pair(f"budget.{name}")) for name in budget_fields),
        )
    )
    result.append(
        Sheet(
            "budget_lines",
            "预算（按功能分类）",
            ("年初预算", "调整预算"),
            tuple(
                SheetRow(
                    line.name,
                    (f"budget.by_function[{line.code}].initial", f"budget.by_function[{line.code}].adjusted"),
                    code=line.code,
                    level=(len(line.code) - 3) // 2,
                )
                for line in accounts.budget.by_function
            ),
            coded=True,
        )
    )
    for key, title, model in (
        ("operating_costs", "机关运行经费", OperatingCosts),
        ("general_spending", "一般性支出（会议费、培训费）", GeneralSpending),
        ("procurement", "政府采购", Procurement),
        ("assets", "国有资产占用", Assets),
        ("staffing", "人员编制", Staffing),
    ):
        result.append(_scalar_sheet(key, title, key, model, prev))
    result.append(
        Sheet(
            "outcomes",
            "绩效目标与完成值",
            ("单位", "性质", "指标值", "完成值", "说明"),
            tuple(
                SheetRow(
                    outcome.name,
                    tuple(f"outcomes.{outcome.key}.{part}" for part in ("unit", "op", "target", "actual", "note")),
                )
                for outcome in accounts.outcomes
            ),
        )
    )
    return result


def locate(sheet_list: Sequence[Sheet], path: str) -> tuple[int, int, int] | None:
    """(sheet, row, column) of the cell showing ``path``; a row path finds the row's first cell."""
    fallback = None
    for s, sheet in enumerate(sheet_list):
        for r, row in enumerate(sheet.rows):
            for c, cell in enumerate(row.paths):
                if cell == path:
                    return s, r, c
                if fallback is None and cell is not None and cell.startswith(path + "."):
                    fallback = (s, r, c)
    return fallback


# ─── indicators that use a figure ────────────────────────────────────────────


def figure_uses(indicator_set: IndicatorSet) -> dict[str, list[Indicator]]:
    """For each figure path, the leaves whose score depends on it (formula fields and outcome targets)."""
    uses: dict[str, list[Indicator]] = {}
    for node in indicator_set.leaves:
        paths: Iterable[str] = ()
        if node.parsed_formula is not None:
            paths = node.parsed_formula.fields
        elif isinstance(node.rule, TargetRule):
            paths = (
                f"outcomes.{node.rule.outcome}.actual",
                f"outcomes.{node.rule.outcome}.target",
                f"outcomes.{node.rule.outcome}.op",
            )
        for path in paths:
            uses.setdefault(path, []).append(node)
    return uses
