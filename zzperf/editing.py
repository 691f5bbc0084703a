"""Editing a workspace: figures by path from typed text, evaluator entries, a new year, navigation, disk changes.

The operations a screen (or a script) needs to change a department-year without knowing the models' insides.
Every change returns a new model and leaves the old one untouched, so callers can keep it for undo; every
mistake a person can make raises ``EditError`` with a Chinese message saying what was expected.

Figure paths extend ``fields.py`` with table rows, in the form ``zzperf check`` names them::

    overview.expenditure_total              公开01表 本年支出合计
    three_public.budget.total               “三公”经费预算数·合计
    expenditure.lines[2010301].basic        公开03表 2010301 行 基本支出
    basic_expenditure.lines[30101].amount   公开06表 30101 基本工资
    budget.by_function[2010301].initial     按功能分类的年初预算
    outcomes.cases_handled.actual           绩效目标“办件量”的完成值
    prev.overview.carryover_end             上年数据（只读）
"""

from __future__ import annotations

import hashlib
import stat as stat_module
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ValidationError

from zzperf import fields
from zzperf.accounts import COMPARISON_SYMBOL, Accounts, BudgetLine, EconomicLine, ExpenditureLine, IncomeLine, Outcome
from zzperf.amounts import WAN, fmt_money, fmt_number, parse_amount
from zzperf.checks import ECONOMIC_CLASSES
from zzperf.errors import ZzperfError
from zzperf.evaluation import REPORT_SECTIONS, Entry, Evaluation, ReportText
from zzperf.indicators import Indicator, IndicatorSet, TargetRule

if TYPE_CHECKING:
    from zzperf.scoring import IndicatorResult, ScoreCard
    from zzperf.workspace import Workspace


class EditError(ZzperfError):
    """Typed text that cannot become the value asked for; the message says what is expected."""


# ─── figure paths ──────────────────────────────────────────────────────────

_STEP = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([0-9A-Za-z_]+)\])?$")
_BLANK_WORDS = {"", "数据不足", "无数据", "空"}
_OPS = {">=": ">=", "≥": ">=", "=": "=", "==": "=", "<=": "<=", "≤": "<="}
_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×"}

Kind = Literal["money", "quantity", "count", "bool", "text", "op"]
"""What a figure holds: 万元, a non-money number, a whole count, yes/no, free text or an 指标性质 (=, ≥, ≤)."""


@dataclass(frozen=True)
class _Target:
    owner: BaseModel
    name: str
    kind: Kind


def _steps(path: str) -> list[tuple[str, str | None]]:
    steps = []
    for part in path.split("."):
        match = _STEP.match(part)
        if match is None:
            raise EditError(f"数据路径“{path}”格式不对", where=path)
        steps.append((match[1], match[2]))
    return steps


def _kind(model: type[BaseModel], name: str, path: str) -> Kind:
    annotation = model.model_fields[name].annotation
    if name == "op" and issubclass(model, Outcome):
        return "op"
    if annotation in (Decimal | None, Decimal):
        return "quantity" if issubclass(model, Outcome) else "money"
    if annotation in (int | None, int):
        return "count"
    if annotation in (bool | None, bool):
        return "bool"
    if annotation in (str | None, str):
        return "text"
    raise EditError(f"“{path}”不是可以填写的数据项", where=path)


def _resolve(accounts: Accounts, path: str) -> _Target:
    """The model that holds the figure at ``path`` and the field's name."""
    if path.startswith(fields.PREVIOUS):
        raise EditError("上年数据只能在上年度中修改", where=path)
    steps = _steps(path)
    node: Any = accounts
    for index, (name, code) in enumerate(steps):
        last = index == len(steps) - 1
        if isinstance(node, Accounts) and name == "outcomes" and code is None and len(steps) == 3:
            outcome = accounts.outcome(steps[1][0])
            if outcome is None:
                raise EditError(f"本年没有绩效目标“{steps[1][0]}”", where=path)
            field = steps[2][0]
            if field not in Outcome.model_fields or field == "key":
                raise EditError(f"绩效目标没有“{field}”一项", where=path)
            return _Target(outcome, field, _kind(Outcome, field, path))
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            raise EditError(f"数据路径“{path}”中没有“{name}”", where=path)
        if last and code is None:
            return _Target(node, name, _kind(type(node), name, path))
        value = getattr(node, name)
        if code is not None:
            if not isinstance(value, list):
                raise EditError(f"数据路径“{path}”中“{name}”不是表格行", where=path)
            value = next((line for line in value if getattr(line, "code", None) == code), None)
            if value is None:
                raise EditError(f"表中没有科目编码 {code} 的行", where=path)
            if last:
                # A whole row (as a check names it) means its one amount column, when it has one.
                if "amount" in type(value).model_fields:
                    return _Target(value, "amount", "money")
                raise EditError(f"“{path}”是一整行，请指明列", where=path)
        node = value
    raise EditError(f"“{path}”不是可以填写的数据项", where=path)


def figure_kind(accounts: Accounts, path: str) -> Kind:
    """What the figure at ``path`` holds."""
    return _resolve(accounts, path.removeprefix(fields.PREVIOUS)).kind


def get_figure(accounts: Accounts, path: str, previous: Accounts | None = None) -> Any:
    """The value at ``path`` (``prev.`` paths read ``previous``); None when there is no data or no such row."""
    source = accounts
    if path.startswith(fields.PREVIOUS):
        if previous is None:
            return None
        source, path = previous, path[len(fields.PREVIOUS) :]
    try:
        target = _resolve(source, path)
    except EditError:
        return None
    return getattr(target.owner, target.name)


def parse_figure(text: str, kind: Kind) -> Any:
    """Typed text as a value of ``kind``; a blank (or 数据不足) means no data. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if kind == "text":
        return cleaned or None
    if cleaned in _BLANK_WORDS:
        return None
    if kind == "op":
        compact = cleaned.replace(" ", "")
        if compact not in _OPS:
            raise EditError(f"“{text}”不是指标性质：应为 ≥、= 或 ≤（也可写 >=、<=）")
        return _OPS[compact]
    if kind == "bool":
        lowered = cleaned.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise EditError(f"“{text}”应为“是”或“否”")
    factor = Decimal(1)
    if kind == "money" and cleaned.endswith("元") and not cleaned.endswith("万元"):
        cleaned, factor = cleaned[:-1], 1 / WAN
    try:
        number = parse_amount(cleaned, blank_is_zero=False)
    except ValueError as error:
        raise EditError(str(error)) from None
    if number is None:
        return None
    if kind == "count":
        if number != number.to_integral_value() or number < 0:
            raise EditError(f"“{text}”应为不小于 0 的整数")
        return int(number)
    return _tidy(number * factor) if factor != 1 else number


def _tidy(value: Decimal) -> Decimal:
    """608.7200 → 608.72, 600.00 → 600, without exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def set_figure(accounts: Accounts, path: str, text: str) -> Accounts:
    """A copy of ``accounts`` with the figure at ``path`` set from typed ``text``. Raises EditError."""
    kind = _resolve(accounts, path).kind
    value = parse_figure(text, kind)
    changed = accounts.model_copy(deep=True)
    target = _resolve(changed, path)
    try:
        setattr(target.owner, target.name, value)
    except ValidationError as error:
        raise EditError(f"“{text}”不能填在这里：{error.errors()[0]['msg']}", where=path) from None
    return changed


def figure_text(value: Any, kind: Kind) -> str:
    """A value for display in a sheet: amounts with 2 decimals, counts whole, blank for no data."""
    if value is None:
        return ""
    if kind == "money":
        return fmt_money(value)
    if kind == "quantity":
        return fmt_number(value)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "op":
        return COMPARISON_SYMBOL.get(value, str(value))
    return str(value)


def edit_text(value: Any, kind: Kind) -> str:
    """A value as it should appear in an editor: exact, without rounding."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return figure_text(value, kind)


# ─── sheets: the figures laid out like the 决算 tables ───────────────────────


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
    return {name: fields._label(info.description, name) for name, info in model.model_fields.items()}


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
        rows.append(SheetRow(labels[name], (path, fields.PREVIOUS + path) if with_previous else (path,)))
    columns = ("本年", "上年") if with_previous else ("本年",)
    return Sheet(key, title, columns, tuple(rows))


def _line_sheet(key: str, title: str, section: str, accounts: Accounts, columns: Sequence[str], model: type[BaseModel]) -> Sheet:
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
        return (path, fields.PREVIOUS + path) if prev else (path,)

    income = _labels(type(accounts.income))
    overview = _labels(type(accounts.overview))
    t1_rows = [SheetRow(income[name], pair(f"income.{name}")) for name in _scalar_fields(type(accounts.income))]
    t1_rows += [SheetRow(overview[name], pair(f"overview.{name}")) for name in _scalar_fields(type(accounts.overview))]
    result = [
        Sheet("t1", "公开01表 收入支出决算总表", ("本年", "上年") if prev else ("本年",), tuple(t1_rows)),
        _line_sheet(
            "t2", "公开02表 收入决算表", "income_table", accounts,
            ("total", "fiscal", "superior_subsidy", "business", "operating", "affiliated", "other"), IncomeAmounts,
        ),
        _line_sheet(
            "t3", "公开03表 支出决算表", "expenditure", accounts,
            ("total", "basic", "project", "remit", "operating", "affiliated"), ExpenditureAmounts,
        ),
        _scalar_sheet("t4", "公开04表 财政拨款收入支出决算总表", "fiscal_overview", FiscalOverview, prev),
        _line_sheet(
            "t5", "公开05表 一般公共预算财政拨款支出决算表", "general_budget_expenditure", accounts,
            ("total", "basic", "project"), ExpenditureAmounts,
        ),
    ]
    basic = accounts.basic_expenditure
    t6_rows = [
        SheetRow("人员经费合计", ("basic_expenditure.personnel_total",)),
        SheetRow("公用经费合计", ("basic_expenditure.public_total",)),
    ]
    t6_rows += [
        SheetRow(line.name, (f"basic_expenditure.lines[{line.code}].amount",), code=line.code, level=(len(line.code) - 3) // 2)
        for line in basic.lines
    ]
    result.append(Sheet("t6", "公开06表 一般公共预算财政拨款基本支出决算表", ("决算数",), tuple(t6_rows), coded=True))

    three = _labels(type(accounts.three_public.budget))
    t7_rows = [
        SheetRow(three[name], (f"three_public.budget.{name}", f"three_public.actual.{name}")) for name in three
    ]
    others = _labels(type(accounts.three_public))
    t7_rows += [
        SheetRow(others[name], (None, f"three_public.{name}"))
        for name in _scalar_fields(type(accounts.three_public))
    ]
    result.append(Sheet("t7", "公开07表 “三公”经费支出决算表", ("预算数", "决算数"), tuple(t7_rows)))
    result.append(_scalar_sheet("t8", "公开08表 政府性基金预算财政拨款收入支出决算表", "gov_fund", GovFund, prev))

    budget_fields = _scalar_fields(Budget)
    budget_labels = _labels(Budget)
    result.append(
        Sheet(
            "budget", "预算", ("本年", "上年") if prev else ("本年",),
            tuple(SheetRow(budget_labels[name], pair(f"budget.{name}")) for name in budget_fields),
        )
    )
    result.append(
        Sheet(
            "budget_lines", "预算（按功能分类）", ("年初预算", "调整预算"),
            tuple(
                SheetRow(
                    line.name,
                    (f"budget.by_function[{line.code}].initial", f"budget.by_function[{line.code}].adjusted"),
                    code=line.code, level=(len(line.code) - 3) // 2,
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
            "outcomes", "绩效目标与完成值", ("单位", "性质", "指标值", "完成值", "说明"),
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
            paths = (f"outcomes.{node.rule.outcome}.actual", f"outcomes.{node.rule.outcome}.target",
                     f"outcomes.{node.rule.outcome}.op")
        for path in paths:
            uses.setdefault(path, []).append(node)
    return uses


# ─── adding and removing table rows ──────────────────────────────────────────

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
    where = LINE_TABLES[sheet][0]
    if where == "budget.by_function":
        return accounts.budget.by_function
    return getattr(accounts, where).lines


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


# ─── the evaluator's entries and report text ─────────────────────────────────


def parse_score(text: str, points: Decimal) -> Decimal | None:
    """A typed score within 0..points; blank means no score. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    if not cleaned:
        return None
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise EditError(f"“{text}”不是分数：请输入数字，如 4 或 3.5")
    score = Decimal(cleaned)
    if score < 0 or score > points:
        raise EditError(f"得分应在 0 至 {fmt_number(points)} 分之间，“{text}”超出范围")
    return score


def parse_cases(text: str) -> int | None:
    """A typed number of cases (whole, ≥ 0); blank means not yet counted. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip().removesuffix("例").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise EditError(f"“{text}”应为不小于 0 的整数（发现的例数）")
    return int(cleaned)


def update_entry(
    evaluation: Evaluation, indicator_id: str, changes: Mapping[str, Any], order: Sequence[str] = ()
) -> Evaluation:
    """A copy of ``evaluation`` with one entry changed (validated); an entry left empty is dropped.

    ``order`` (the set's ids) keeps the entries in the indicator set's order in the file.
    """
    current = evaluation.entry(indicator_id)
    try:
        entry = Entry.model_validate({**current.model_dump(), **changes})
    except ValidationError as error:
        first = error.errors()[0]
        raise EditError(f"{'.'.join(map(str, first['loc']))}：{first['msg']}", where=indicator_id) from None
    indicators = dict(evaluation.indicators)
    if entry.is_empty():
        indicators.pop(indicator_id, None)
    else:
        indicators[indicator_id] = entry
    if order:
        rank = {key: index for index, key in enumerate(order)}
        indicators = dict(sorted(indicators.items(), key=lambda item: rank.get(item[0], len(rank))))
    return evaluation.model_copy(update={"indicators": indicators})




def update_report(evaluation: Evaluation, **changes: str) -> Evaluation:
    """A copy with report text (``achievements=…``) or the evaluator/date changed."""
    report_changes = {key: value for key, value in changes.items() if key in REPORT_SECTIONS}
    other = {key: value for key, value in changes.items() if key not in REPORT_SECTIONS}
    unknown = [key for key in other if key not in ("evaluator", "date")]
    if unknown:
        raise EditError(f"评分记录没有“{unknown[0]}”一项")
    report = evaluation.report.model_copy(update=report_changes)
    return evaluation.model_copy(update={"report": report, **other})


# ─── a new year ──────────────────────────────────────────────────────────────


def next_year_accounts(accounts: Accounts, year: int) -> Accounts:
    """Next year's figures, empty but laid out: what carries over from the year before, nothing else.

    The outcomes keep name, unit, 性质 and 指标值 (完成值 and notes cleared); the 科目 rows of the line tables keep
    their codes and names with empty amounts; 年初结转和结余 is last year's 年末结转和结余 (公开01/04表 say so).
    """
    new = Accounts(year=year)
    new.outcomes = [outcome.model_copy(update={"actual": None, "note": None}) for outcome in accounts.outcomes]
    for sheet in LINE_TABLES:
        _line_list(new, sheet)[:] = [type(line)(code=line.code, name=line.name) for line in _line_list(accounts, sheet)]
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
        raise EditError("工作区还没有年度数据，请指明新年度")
    if new in years:
        raise EditError(f"工作区已有 {new} 年度的数据", file=workspace.root)
    if not 2000 <= new <= 2100:
        raise EditError(f"年度 {new} 不在 2000–2100 之间")
    if source is not None:
        previous = workspace.load_year(source)
        accounts = next_year_accounts(previous.accounts, new)
        evaluation = Evaluation(year=new, evaluator=previous.evaluation.evaluator)
    else:
        accounts, evaluation = Accounts(year=new), Evaluation(year=new)
    workspace.save_evaluation(evaluation)
    workspace.save_accounts(accounts)
    return new


# ─── moving through a score card ─────────────────────────────────────────────

Seek = Literal["attention", "unscored"]
"""attention: 数据不足, 待评, 需填理由 or any problem; unscored: no final score yet."""


def _wanted(result: IndicatorResult, kind: Seek) -> bool:
    if kind == "unscored":
        return result.final_score is None and not result.excluded
    return result.needs_attention


def next_leaf(card: ScoreCard, current: str | None, kind: Seek = "attention", backwards: bool = False) -> str | None:
    """The id of the next (or previous) leaf after ``current`` that is ``kind``, wrapping round; None if none.

    ``current`` itself is returned only when it is the one leaf left.
    """
    ids = [node.id for node in card.indicator_set.leaves]
    if backwards:
        ids.reverse()
    start = ids.index(current) + 1 if current in ids else 0
    for key in ids[start:] + ids[:start]:
        if _wanted(card.results[key], kind):
            return key
    return None


def count_wanted(card: ScoreCard, kind: Seek = "attention") -> int:
    """How many leaves are ``kind``."""
    return sum(1 for result in card.results.values() if _wanted(result, kind))


# ─── noticing files changed on disk ──────────────────────────────────────────


@dataclass(frozen=True)
class FileStamp:
    """What a file looked like: modification time, size and a hash of its content (all None when absent)."""

    mtime_ns: int | None
    size: int | None
    digest: str | None

    @property
    def exists(self) -> bool:
        return self.digest is not None


MISSING = FileStamp(None, None, None)


def stamp(path: Path, *, digest: bool = True) -> FileStamp:
    """The file's stamp now; with ``digest=False`` only the cheap stat part is filled."""
    try:
        info = path.stat()
    except OSError:
        return MISSING
    if not digest:
        return FileStamp(info.st_mtime_ns, info.st_size, "")
    if not stat_module.S_ISREG(info.st_mode):  # never open a FIFO or a folder: it is a change, with no content
        return FileStamp(info.st_mtime_ns, info.st_size, f"not-a-file:{stat_module.S_IFMT(info.st_mode):o}")
    try:
        content = path.read_bytes()
    except OSError:
        return MISSING
    return FileStamp(info.st_mtime_ns, info.st_size, hashlib.sha256(content).hexdigest())


class DiskWatch:
    """Remembers the files as last read or written and tells which have changed since.

    A changed time or size alone is not a change: the content hash decides, so ``touch`` is ignored.
    Thread-safe: a saving thread records while the UI thread polls.
    """

    def __init__(self, paths: Iterable[Path] = ()) -> None:
        self._lock = threading.Lock()
        self._stamps: dict[Path, FileStamp] = {}
        self._busy: set[Path] = set()
        for path in paths:
            self.record(path)

    @property
    def paths(self) -> list[Path]:
        with self._lock:
            return list(self._stamps)

    def record(self, path: Path, known: FileStamp | None = None) -> None:
        """Remember ``path`` as it is now (after reading or writing it)."""
        value = known if known is not None else stamp(path)
        with self._lock:
            self._stamps[path] = value

    @contextmanager
    def writing(self, path: Path) -> Iterator[None]:
        """Wrap one's own write of ``path``: it is not reported as a change, and is recorded once it succeeded.

        A write that failed records nothing, so a change someone else made meanwhile is still reported.
        """
        with self._lock:
            self._busy.add(path)
        try:
            yield
        except BaseException:
            with self._lock:
                self._busy.discard(path)
            raise
        now = stamp(path)
        with self._lock:
            self._stamps[path] = now
            self._busy.discard(path)

    def forget(self, path: Path) -> None:
        with self._lock:
            self._stamps.pop(path, None)

    def changed(self) -> list[Path]:
        """Files whose content differs from what was recorded (created, changed or deleted)."""
        with self._lock:
            known = dict(self._stamps)
            busy = set(self._busy)
        result = []
        for path, before in known.items():
            if path in busy:
                continue
            quick = stamp(path, digest=False)
            if quick.mtime_ns == before.mtime_ns and quick.size == before.size:
                continue
            now = stamp(path)
            if now.digest == before.digest:
                with self._lock:
                    if self._stamps.get(path) == before:
                        self._stamps[path] = now  # touched, not changed
                continue
            with self._lock:
                if self._stamps.get(path) != before or path in self._busy:
                    continue  # being written or recorded meanwhile by a save
            result.append(path)
        return result
