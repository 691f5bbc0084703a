"""The kinds of 勾稽 rule (identities, row sums, 类/款/项 hierarchies …), their findings and the reading context."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property
from typing import Any, Literal

from zzperf import figure_paths
from zzperf.accounts import SECTION_NAMES, Accounts, ExpenditureAmounts, GovFund, IncomeAmounts
from zzperf.amounts import fmt_money
from zzperf.formula import Formula, parse

Severity = Literal["error", "warning", "info"]
SEVERITY_WORDS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
"""Each severity as people read it."""
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
"""Where each severity sorts in a list of findings: the most serious first."""
TOLERANCE = Decimal("0.01")
"""Largest difference still read as 可能为四舍五入差异."""
_HALF_CENT = Decimal("0.005")
"""How far a figure rounded to the cent can be from its exact value: a sum of n such figures may be n times off."""

T1 = "公开01表 收入支出决算总表"
T2 = "公开02表 收入决算表"
T3 = "公开03表 支出决算表"
T4 = "公开04表 财政拨款收入支出决算总表"
T5 = "公开05表 一般公共预算财政拨款支出决算表"
T6 = "公开06表 一般公共预算财政拨款基本支出决算表"
T7 = "公开07表 一般公共预算财政拨款“三公”经费支出决算表"
T8 = "公开08表 政府性基金预算财政拨款收入支出决算表"
OPS = "决算说明 机关运行经费支出情况"

SECTION_TABLES = {
    "overview": T1,
    "income": T1,
    "income_table": T2,
    "expenditure": T3,
    "fiscal_overview": T4,
    "general_budget_expenditure": T5,
    "basic_expenditure": T6,
    "three_public": T7,
    "gov_fund": T8,
    "operating_costs": OPS,
}
"""The table each top-level section of ``Accounts`` is printed in."""

ECONOMIC_CLASSES = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "307": "债务利息及费用支出",
    "309": "资本性支出（基本建设）",
    "310": "资本性支出",
    "311": "对企业补助（基本建设）",
    "312": "对企业补助",
    "313": "对社会保障基金补助",
    "399": "其他支出",
}
"""部门预算支出经济分类 类 codes that may appear in 公开06表; 301 and 303 are 人员经费, the rest 公用经费."""

_ECON = re.compile(r"econ_(\d{3}(?:\d{2})?)")
_CLASSES = re.compile(r"classes\.(\w+)\.(\w+)")
_NAMES = re.compile(r"[A-Za-z_][\w.]*")


def short_table(table: str) -> str:
    """公开06表 for a 公开 table; the whole name otherwise."""
    return table.split()[0] if table.startswith("公开") else table


@dataclass(frozen=True)
class Finding:
    """One broken 勾稽关系: where it is, both figures and what they are."""

    code: str
    severity: Severity
    table: str
    row: str
    message: str
    left: Decimal | None
    right: Decimal | None
    paths: tuple[str, ...]


class BySeverity:
    """Errors, warnings and infos of a report's ``findings``."""

    findings: tuple[Finding, ...]

    def _of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(finding for finding in self.findings if finding.severity == severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self._of("error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self._of("warning")

    @property
    def infos(self) -> tuple[Finding, ...]:
        return self._of("info")


@dataclass(frozen=True)
class CheckReport(BySeverity):
    """All findings, and the rules not checked for lack of data with the reason."""

    findings: tuple[Finding, ...]
    skipped: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Skip:
    """A rule not checked, with the reason (the figures it lacks)."""

    code: str
    reason: str


@dataclass(frozen=True)
class Context:
    """The figures of one year, addressed by figure_paths.py paths plus two derived forms.

    ``econ_30217`` is a 公开06表 line; ``classes.expenditure.total`` sums a 功能分类 table's 类 rows.
    """

    accounts: Accounts
    previous: Accounts | None

    @cached_property
    def _values(self) -> dict[str, Decimal | None]:
        """Each figure's value once looked up: many rules read the same figures (the accounts do not change)."""
        return {}

    def value(self, name: str) -> Decimal | None:
        values = self._values
        if name not in values:
            values[name] = self._look_up(name)
        return values[name]

    def _look_up(self, name: str) -> Decimal | None:
        if match := _ECON.fullmatch(name):
            return self.accounts.basic_expenditure.amount(match[1])
        if match := _CLASSES.fullmatch(name):
            values = [getattr(line, match[2]) for line in self.class_rows(match[1])]
            present = [value for value in values if value is not None]
            return sum(present, Decimal(0)) if present else None
        return figure_paths.value(name, self.accounts, self.previous)

    @cached_property
    def economic_lines(self) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """公开06表's lines: each line by its code, and the 款 (5-digit) lines under each 类 code, in order."""
        lines = self.accounts.basic_expenditure.lines
        details: dict[str, list[Any]] = {}
        for line in lines:
            if len(line.code) == 5:
                details.setdefault(line.code[:3], []).append(line)
        return {line.code: line for line in reversed(lines)}, details

    def class_rows(self, section: str) -> list[Any]:
        return [line for line in getattr(self.accounts, section).lines if len(line.code) == 3]

    def label(self, name: str, table: str) -> str:
        if match := _ECON.fullmatch(name):
            line = next((line for line in self.accounts.basic_expenditure.lines if line.code == match[1]), None)
            text = f"{match[1]} {line.name if line else ECONOMIC_CLASSES.get(match[1], '')}".strip()
            return text if table == T6 else f"{short_table(T6)} {text}"
        if match := _CLASSES.fullmatch(name):
            home = SECTION_TABLES[match[1]]
            text = f"各类{_column_label(match[1], match[2])}之和"
            return text if table == home else short_table(home) + text
        previous = name.startswith(figure_paths.PREVIOUS)
        own = name.removeprefix(figure_paths.PREVIOUS)
        section = own.split(".")[0]
        text = figure_paths.label(own)
        if section in SECTION_NAMES and text.startswith(SECTION_NAMES[section] + "合计"):
            text = text.removeprefix(SECTION_NAMES[section])  # 支出决算表合计·基本支出 → 合计·基本支出
        home = SECTION_TABLES.get(section, table)
        if home != table:
            text = short_table(home) + text
        return f"上年{text}" if previous else text

    def paths(self, name: str) -> tuple[str, ...]:
        if match := _ECON.fullmatch(name):
            return (f"basic_expenditure.lines[{match[1]}]",)
        if match := _CLASSES.fullmatch(name):
            return tuple(f"{match[1]}.lines[{line.code}].{match[2]}" for line in self.class_rows(match[1]))
        return (name,)


_COLUMNS = {
    "income_table": IncomeAmounts,
    "expenditure": ExpenditureAmounts,
    "general_budget_expenditure": ExpenditureAmounts,
}


def _column_label(section: str, column: str) -> str:
    """The Chinese heading of one column of a 功能分类 table, e.g. 基本支出."""
    return _COLUMNS[section].model_fields[column].description or column


@cache
def _parse(source: str) -> Formula:
    return parse(source)


def _money(_: str, value: Decimal) -> str:
    """Figures in a rule's sum: amounts with 2 decimals (one function, so a formula's results can be reused)."""
    return fmt_money(value)


@cache
def _names(source: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_NAMES.findall(source)))


class _Side:
    """One side of a rule worked out: its value (None: no data) and the missing figures; its text and figure paths
    are worked out when a finding needs them (most rules hold, and then neither is read)."""

    def __init__(self, source: str, optional: tuple[str, ...], ctx: Context, table: str) -> None:
        """Evaluate ``source``, dropping optional terms that have no data (they count as 0)."""
        self.ctx, self.table = ctx, table
        self.names = names = _names(source)
        self.values = values = {name: ctx.value(name) for name in names}
        self.absent = absent = [name for name in names if values[name] is None and name in optional]
        self.value: Decimal | None = None
        self.missing: tuple[str, ...] = ()
        self.source = source
        if len(absent) == len(names):
            self.missing = tuple(self._label(name) for name in absent)
            return
        self.missing = tuple(self._label(name) for name in names if values[name] is None and name not in absent)
        if self.missing:
            return
        if absent:
            self.source = " + ".join(term for term in (t.strip() for t in source.split("+")) if term not in absent)
        self.value = _parse(self.source).compute(values)

    def _label(self, name: str) -> str:
        return self.ctx.label(name, self.table)

    @property
    def text(self) -> str:
        """The side written out with labels and figures (and the optional terms counted as 0)."""
        labels = {name: self._label(name) for name in self.names}
        evaluation = _parse(self.source).evaluate(self.values, labels, _money)
        text = evaluation.text
        if evaluation.value is not None and self.source.strip() not in self.values:
            text += f" = {fmt_money(evaluation.value)}"
        if self.absent:
            absent = self.absent
            shown = "、".join(labels[name] for name in absent[:2]) + (f"等 {len(absent)} 项" if len(absent) > 2 else "")
            text += f"（{shown}未列示，按 0 计）"
        return text

    @property
    def paths(self) -> tuple[str, ...]:
        """The figure paths of every term, the optional ones without data included."""
        return tuple(path for name in self.names for path in self.ctx.paths(name))


def _judge(severity: Severity, difference: Decimal, parts: int = 1) -> tuple[Severity, str] | None:
    """The severity for a positive difference, and the words that describe it.

    A total compared with the sum of ``parts`` figures, each rounded to the cent, can differ from it by up to
    half a cent per figure (the total's own included) without any error: such a difference is a 提示.
    """
    if difference <= 0:
        return None
    if difference <= max(TOLERANCE, _HALF_CENT * (parts + 1)):
        return "info", f"相差 {fmt_money(difference)}，可能为四舍五入差异"
    return severity, f"相差 {fmt_money(difference)}"


@dataclass(frozen=True)
class Identity:
    """``left = right``, both formulas over figure paths; ``optional`` terms count as 0 when absent."""

    code: str
    table: str
    row: str
    title: str
    left: str
    right: str
    severity: Severity = "error"
    optional: tuple[str, ...] = ()
    hint: str = ""

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        left = _Side(self.left, self.optional, ctx, self.table)
        right = _Side(self.right, self.optional, ctx, self.table)
        if left.value is None or right.value is None:
            yield Skip(self.code, "缺少数据：" + "、".join(dict.fromkeys(left.missing + right.missing)))
            return
        if verdict := self._verdict(left.value, right.value):
            severity, difference, relation = verdict
            said = f"{left.text}，{relation}{right.text}，{difference}{self.hint}"
            message = f"{short_table(self.table)} · {self.row}：{said}"
            paths = left.paths + right.paths
            yield Finding(self.code, severity, self.table, self.row, message, left.value, right.value, paths)

    def _verdict(self, left: Decimal, right: Decimal) -> tuple[Severity, str, str] | None:
        verdict = _judge(self.severity, abs(left - right))
        return verdict and (*verdict, "")


@dataclass(frozen=True)
class NotExceed(Identity):
    """``left ≤ right``: an upper bound that spending should respect (warning, not an identity)."""

    severity: Severity = "warning"

    def _verdict(self, left: Decimal, right: Decimal) -> tuple[Severity, str, str] | None:
        verdict = _judge(self.severity, left - right)
        return verdict and (verdict[0], verdict[1].replace("相差", "超出"), "超过")


def _rows(ctx: Context, section: str) -> list[tuple[str, str, Any]]:
    """(row label, path prefix, amounts) for the 合计 row and each line of a 功能分类 table."""
    table = getattr(ctx.accounts, section)
    rows: list[tuple[str, str, Any]] = [("合计", f"{section}.total", table.total)]
    return rows + [(f"{line.code} {line.name}", f"{section}.lines[{line.code}]", line) for line in table.lines]


def _has_data(amounts: Any, columns: tuple[str, ...]) -> bool:
    return any(getattr(amounts, column) is not None for column in columns)


@dataclass(frozen=True)
class RowSum:
    """Each row (合计 included) of a 功能分类 table: ``total`` column = Σ ``parts`` (absent parts count 0)."""

    code: str
    table: str
    title: str
    section: str
    total: str
    parts: tuple[str, ...]
    severity: Severity = "error"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        rows = _rows(ctx, self.section)
        if not any(_has_data(amounts, (self.total, *self.parts)) for _, _, amounts in rows):
            yield Skip(self.code, f"缺少数据：{self.table}")
            return
        total_label = _column_label(self.section, self.total)
        for row, prefix, amounts in rows:
            total = getattr(amounts, self.total)
            parts = [(part, getattr(amounts, part)) for part in self.parts if getattr(amounts, part) is not None]
            if total is None and not parts:
                continue
            if total is None or not parts:
                yield Skip(self.code, f"缺少数据：{row} {total_label if total is None else '各分项'}")
                continue
            summed = sum((value for _, value in parts), Decimal(0))
            verdict = _judge(self.severity, abs(total - summed))
            if verdict:
                terms = " + ".join(f"{_column_label(self.section, part)} {fmt_money(value)}" for part, value in parts)
                if len(parts) > 1:
                    terms += f" = {fmt_money(summed)}"
                message = f"{short_table(self.table)} · {row}：{total_label} {fmt_money(total)}，{terms}，{verdict[1]}"
                paths = tuple(f"{prefix}.{column}" for column in (self.total, *(part for part, _ in parts)))
                yield Finding(self.code, verdict[0], self.table, row, message, total, summed, paths)


_LEVELS = {0: "类", 3: "款", 5: "项"}


@dataclass(frozen=True)
class Hierarchy:
    """类 = Σ款, 款 = Σ项 (codes 3/5/7 digits, matched by prefix) and 合计 = Σ类, for each column."""

    code: str
    table: str
    title: str
    section: str
    columns: tuple[str, ...]
    severity: Severity = "error"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        rows = _rows(ctx, self.section)
        if len(rows) == 1:
            yield Skip(self.code, f"缺少数据：{self.table} 科目明细行")
            return
        # the rows under each 类 and 款 code (and under the 合计 row, ""): 款 and 项 rows start with their parent's code
        children_of: dict[str, list[tuple[str, str, Any]]] = {}
        for child in rows[1:]:
            code = child[2].code
            if len(code) in (3, 5, 7):
                children_of.setdefault(code[:-2] if len(code) > 3 else "", []).append(child)
        for row, prefix, parent in rows:
            own = getattr(parent, "code", "")  # the 合计 row has no code and its children are the 类 rows
            if len(own) not in _LEVELS:
                continue
            children = children_of.get(own)
            if not children:
                continue
            for column in self.columns:
                stated = getattr(parent, column)
                present = [value for _, _, amounts in children if (value := getattr(amounts, column)) is not None]
                if stated is None and not present:
                    continue
                if stated is None or not present:
                    yield Skip(self.code, f"缺少数据：{row} {_column_label(self.section, column)}")
                    continue
                summed = sum(present, Decimal(0))
                verdict = _judge(self.severity, abs(stated - summed), len(present))
                if verdict:
                    label, level = _column_label(self.section, column), _LEVELS[len(own)]
                    message = (
                        f"{short_table(self.table)} · {row}：{label} 表列 {fmt_money(stated)}，"
                        f"其{level}级明细合计 {fmt_money(summed)}，{verdict[1]}"
                    )
                    paths = (f"{prefix}.{column}", *(f"{p}.{column}" for _, p, _ in children))
                    yield Finding(self.code, verdict[0], self.table, row, message, stated, summed, paths)


@dataclass(frozen=True)
class CodeParents:
    """Each 款 (5-digit) and 项 (7-digit) code sits under a 类/款 line of the same table.

    A code such as 99999 whose 类 999 is not in the table is most likely mistyped: its amount is counted in no
    类 and so in no 合计 check. (Only the structure is checked: the 科目 list changes from year to year.)
    """

    code: str
    table: str
    title: str
    section: str
    severity: Severity = "warning"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        lines = getattr(ctx.accounts, self.section).lines
        codes = {line.code for line in lines}
        for line in lines:
            parent = line.code[:-2]
            if len(line.code) == 3 or parent in codes:
                continue
            level, above = ("款", "类") if len(line.code) == 5 else ("项", "款")
            row = f"{line.code} {line.name}"
            message = (
                f"{short_table(self.table)} · {row}：{level}级科目的上级{above} {parent} 不在表中，"
                f"科目编码可能写错（应以所属{above}的编码开头），这一行未计入任何{above}的合计核对"
            )
            yield Finding(
                self.code, self.severity, self.table, row, message, None, None, (f"{self.section}.lines[{line.code}]",)
            )


@dataclass(frozen=True)
class EconomicDetail:
    """公开06表: a 类 line (301 …, three digits) = Σ its 款 lines (5-digit codes starting with it)."""

    code: str
    table: str
    title: str
    class_code: str
    severity: Severity = "error"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        lines = ctx.accounts.basic_expenditure.lines
        if not lines:
            yield Skip(self.code, f"缺少数据：{self.table}")
            return
        by_code, details_of = ctx.economic_lines
        head = by_code.get(self.class_code)
        details = details_of.get(self.class_code, [])
        present = [line.amount for line in details if line.amount is not None]
        if not details or (head is None and not present):
            return
        row = f"{self.class_code} {head.name if head else ECONOMIC_CLASSES.get(self.class_code, '')}"
        if head is None or head.amount is None or not present:
            yield Skip(self.code, f"缺少数据：{row} {'类合计' if head is None or head.amount is None else '款级明细'}")
            return
        summed = sum(present, Decimal(0))
        verdict = _judge(self.severity, abs(head.amount - summed), len(present))
        if verdict:
            message = (
                f"{short_table(self.table)} · {row}：表列 {fmt_money(head.amount)}，"
                f"其款级明细合计 {fmt_money(summed)}，{verdict[1]}"
            )
            paths = tuple(f"basic_expenditure.lines[{line.code}]" for line in (head, *details))
            yield Finding(self.code, verdict[0], self.table, row, message, head.amount, summed, paths)


_GOV_FUND_AMOUNTS = GovFund.AMOUNTS


def _gov_fund_has_figures(ctx: Context) -> bool:
    return any(getattr(ctx.accounts.gov_fund, name) for name in _GOV_FUND_AMOUNTS)


@dataclass(frozen=True)
class EmptyTableNote:
    """公开08表 without data must carry a statement saying why (空表说明)."""

    code: str
    table: str
    title: str
    severity: Severity = "info"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        gov_fund = ctx.accounts.gov_fund
        if gov_fund.has_data is None and not _gov_fund_has_figures(ctx):
            yield Skip(self.code, "缺少数据：政府性基金表是否有数据")
        elif gov_fund.has_data is False and not (gov_fund.note or "").strip():
            message = f"{short_table(self.table)} · 空表说明：本表无数据，空表须有说明（写明本单位没有政府性基金收支）"
            yield Finding(
                self.code,
                self.severity,
                self.table,
                "空表说明",
                message,
                None,
                None,
                ("gov_fund.has_data", "gov_fund.note"),
            )


@dataclass(frozen=True)
class EmptyWhenZero:
    """公开04表 政府性基金 column all 0 (absent cells count 0) ⇒ 公开08表 should have no figures."""

    code: str
    table: str
    title: str
    column: tuple[str, ...]
    severity: Severity = "warning"

    def check(self, ctx: Context) -> Iterator[Finding | Skip]:
        values = [ctx.value(path) for path in self.column]
        if values[0] is None:
            yield Skip(self.code, f"缺少数据：{ctx.label(self.column[0], self.table)}")
            return
        if any(values) or not (ctx.accounts.gov_fund.has_data or _gov_fund_has_figures(ctx)):
            return
        message = (
            f"{short_table(self.table)} · 本表数据：公开04表政府性基金预算财政拨款收支均为 0.00，但本表列有数据，请核对"
        )
        paths = (*self.column, *(f"gov_fund.{name}" for name in _GOV_FUND_AMOUNTS))
        yield Finding(self.code, self.severity, self.table, "本表数据", message, values[0], None, paths)


Rule = Identity | NotExceed | RowSum | Hierarchy | CodeParents | EconomicDetail | EmptyTableNote | EmptyWhenZero
