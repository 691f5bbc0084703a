"""The data a report template sees: one department-year, its previous year where there is one, scores and checks.

Everything here is a plain, read-only value (``Decimal`` in 万元, counts, ``None`` for no data, short
strings, tuples, and frozen records of those with no public methods), so a template supplied by someone
else can read the report's data and nothing more: no model class, no file access, no pickle. ``plain``
enforces that before a template runs. The 自评表's texts (指标值, 完成值, 扣分原因, targets met) come worded
from ``zzperf.wording``; the templates word and compute every other figure through ``zzperf.filters``.
A figure that can be compared with the previous year is a ``Figure`` carrying both years; ``prev`` is
None when the previous year is absent from the workspace or lacks that figure, and templates then drop
the comparison.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zzperf.accounts import Accounts
from zzperf.amounts import fmt_score
from zzperf.checks import SEVERITY_RANK, SEVERITY_WORDS
from zzperf.evaluation import Evaluation
from zzperf.indicators import IndicatorSet
from zzperf.wording import actual_of, outcome_status, outcome_target, outcome_value, reason_of, target_of

if TYPE_CHECKING:
    from zzperf.checks import CheckReport
    from zzperf.scoring import ScoreCard
    from zzperf.workspace import Profile, Workspace


@dataclass(frozen=True)
class Figure:
    """One figure this year and, where the workspace has it, the previous year's."""

    now: Decimal | None
    prev: Decimal | None = None
    name: str = ""

    @property
    def comparable(self) -> bool:
        """Both years have the figure."""
        return self.now is not None and self.prev is not None


@dataclass(frozen=True)
class BudgetItem:
    """A line with 预算数 and 决算数 (the "三公" items, 机关运行经费), and last year's 决算数."""

    name: str
    budget: Decimal | None
    actual: Decimal | None
    prev: Decimal | None = None
    sub: bool = False
    """A 其中 line under the one before it."""

    @property
    def figure(self) -> Figure:
        return Figure(self.actual, self.prev, self.name)


@dataclass(frozen=True)
class Department:
    name: str
    budget_code: str
    level: str
    duties: tuple[str, ...]
    structure: tuple[str, ...]
    units: str
    contact: str
    phone: str


@dataclass(frozen=True)
class Staff:
    authorized: int | None
    in_service: int | None
    contract: int | None


@dataclass(frozen=True)
class OutcomeRow:
    """One 绩效目标: 指标值 against 完成值."""

    name: str
    unit: str
    target: str
    actual: str
    status: str
    """已完成, 未完成, （无数据） or 未设指标值."""
    note: str


@dataclass(frozen=True)
class ScoreRow:
    """One row of the score table: a leaf, a 一级 subtotal or the total."""

    kind: str
    """leaf, subtotal or total."""
    level1: str
    level2: str
    level3: str
    points: Decimal
    score: Decimal | None
    target: str
    """指标值"""
    actual: str
    """完成值"""
    reason: str
    """扣分原因, or why there is no score yet."""
    status: str
    lost: Decimal | None = None
    """Points deducted (分值 − 得分) when scored."""
    first1: bool = False
    """First leaf of its 一级 group."""
    first2: bool = False
    """First leaf of its 二级 group."""
    span1: int = 1
    """Rows of its 一级 group (on the group's first row), for merged cells."""
    span2: int = 1
    """Rows of its 二级 group (on the group's first row), for merged cells."""


@dataclass(frozen=True)
class Group:
    """A 一级 node with its score so far."""

    name: str
    points: Decimal
    score: Decimal
    complete: bool
    pending_points: Decimal


@dataclass(frozen=True)
class Pending:
    name: str
    points: Decimal
    status: str
    why: str


@dataclass(frozen=True)
class Scores:
    set_name: str
    rows: tuple[ScoreRow, ...]
    groups: tuple[Group, ...]
    total: Decimal
    raw_total: Decimal
    full: Decimal
    grade: str
    grade_text: str
    complete: bool
    pending: tuple[Pending, ...]
    pending_points: Decimal
    adjustments: tuple[str, ...]
    deductions: tuple[ScoreRow, ...]
    """Leaves that lost points, for the prose."""
    leaf_count: int
    scored_count: int
    drafts: tuple[str, ...]
    """Names of items whose scoring the evaluator has not confirmed yet."""


@dataclass(frozen=True)
class FindingRow:
    severity: str
    code: str
    table: str
    row: str
    message: str


@dataclass(frozen=True)
class Checks:
    findings: tuple[FindingRow, ...]
    errors: int
    warnings: int
    infos: int
    skipped: int


@dataclass(frozen=True)
class Meta:
    evaluator: str
    date: str
    method: str


@dataclass(frozen=True)
class Figures:
    """The figures most reports quote, by short name (``f.income``)."""

    income: Figure
    expenditure: Figure
    basic: Figure
    project: Figure
    personnel: Figure
    public: Figure
    carryover_begin: Figure
    carryover_end: Figure
    three_public: Figure
    operating_costs: Figure
    meeting: Figure
    training: Figure
    procurement: Figure


@dataclass(frozen=True)
class Income:
    total: Figure
    sources: tuple[Figure, ...]
    """Each source of income that has data."""
    carryover_begin: Figure


@dataclass(frozen=True)
class Expenditure:
    total: Figure
    kinds: tuple[Figure, ...]
    """By 支出性质 (基本支出, 项目支出, …)."""
    classes: tuple[Figure, ...]
    """By 功能分类 类."""
    basic: Figure
    project: Figure
    personnel: Figure
    public: Figure
    carryover_end: Figure
    budget_initial: Decimal | None
    budget_adjusted: Decimal | None
    budget_additions: Decimal | None
    budget_reductions: Decimal | None


@dataclass(frozen=True)
class ThreePublic:
    lines: tuple[BudgetItem, ...]
    total: BudgetItem
    vehicles_held: int | None
    reception_batches: int | None
    reception_guests: int | None
    reason: str


@dataclass(frozen=True)
class GeneralSpending:
    meeting: Figure
    meeting_people: int | None
    training: Figure
    training_people: int | None


@dataclass(frozen=True)
class Procurement:
    total: Figure
    budget: Decimal | None
    goods: Decimal | None
    works: Decimal | None
    services: Decimal | None
    sme: Decimal | None
    small_micro: Decimal | None


@dataclass(frozen=True)
class Assets:
    """国有资产占用情况: vehicles and equipment counted, fixed assets in 万元."""

    vehicles: int | None
    leader_vehicles: int | None
    official_vehicles: int | None
    law_enforcement_vehicles: int | None
    special_vehicles: int | None
    general_equipment_over_50: int | None
    special_equipment_over_100: int | None
    fixed_assets_total: Decimal | None
    fixed_assets_in_use: Decimal | None


@dataclass(frozen=True)
class Text:
    """What the evaluator wrote for the report."""

    achievements: str
    problems: str
    measures: str
    application: str


RECORDS: tuple[type, ...] = (
    Figure, BudgetItem, Department, Staff, OutcomeRow, ScoreRow, Group, Pending, Scores, FindingRow, Checks,
    Meta, Figures, Income, Expenditure, ThreePublic, GeneralSpending, Procurement, Assets, Text,
)
"""The record types a template may see; each is frozen and has no public methods."""

SCALARS: tuple[type, ...] = (str, int, float, Decimal, datetime.date, type(None))
"""The values a template may see besides records and tuples (bool is an int)."""


def plain(value: Any, where: str = "context") -> Any:
    """``value`` as read-only template data: lists become tuples; anything else that is not plain is refused.

    A template written by someone else runs against this data, so it must not carry a model (whose class
    methods read files or unpickle), a mutable object or any callable. ``where`` names the offending key.
    """
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(plain(item, f"{where}[{index}]") for index, item in enumerate(value))
    if type(value) in RECORDS:
        changes = {
            field.name: plain(getattr(value, field.name), f"{where}.{field.name}") for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    raise TypeError(f"not plain template data at {where}: {type(value).__qualname__}")


def plain_context(context: dict[str, Any]) -> dict[str, Any]:
    """Every value of a template context as read-only plain data (see ``plain``)."""
    return {str(key): plain(value, str(key)) for key, value in context.items()}


# ── helpers ──────────────────────────────────────────────────────────────


def _fig(now: Decimal | None, prev: Decimal | None, name: str = "") -> Figure:
    return Figure(now, prev, name)


def _get(accounts: Accounts | None, path: str) -> Any:
    if accounts is None:
        return None
    value: Any = accounts
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _scores(card: ScoreCard) -> Scores:
    indicator_set = card.indicator_set
    by_id = indicator_set.by_id
    rows: list[ScoreRow] = []
    groups: list[Group] = []
    deductions: list[ScoreRow] = []
    for top in indicator_set.children(None):
        seen1 = False
        seen2: set[str] = set()
        leaves = [leaf for leaf in indicator_set.leaves if leaf.id == top.id or leaf.id.startswith(top.id + ".")]
        spans2: dict[str, int] = {}
        for leaf in leaves:
            spans2[".".join(leaf.id.split(".")[:2])] = spans2.get(".".join(leaf.id.split(".")[:2]), 0) + 1
        for leaf in leaves:
            parts = leaf.id.split(".")
            names = [by_id[".".join(parts[: depth + 1])].name for depth in range(len(parts))]
            level1 = names[0]
            level2 = names[1] if len(names) > 1 else ""
            level3 = names[2] if len(names) > 2 else ""
            key2 = ".".join(parts[:2])
            result = card.results[leaf.id]
            row = ScoreRow(
                kind="leaf",
                level1=level1,
                level2=level2,
                level3=level3,
                points=leaf.points,
                score=result.final_score,
                target=target_of(leaf, result),
                actual=actual_of(leaf, result),
                reason=reason_of(result),
                status=result.status.value,
                lost=None if result.final_score is None else leaf.points - result.final_score,
                first1=not seen1,
                first2=key2 not in seen2,
                span1=len(leaves) if not seen1 else 1,
                span2=spans2[key2] if key2 not in seen2 else 1,
            )
            seen1 = True
            seen2.add(key2)
            rows.append(row)
            if result.final_score is not None and result.final_score < leaf.points:
                deductions.append(row)
        group = card.groups.get(top.id)
        if group is None:  # a 一级 node that is itself a leaf
            result = card.results[top.id]
            score = result.final_score or Decimal(0)
            complete = result.final_score is not None or result.excluded
            scored = top.points if result.final_score is not None else Decimal(0)
        else:
            score, complete, scored = group.score, group.complete, group.scored_points
        pending_points = Decimal(0) if complete else top.points - scored
        groups.append(Group(top.name, top.points, score, complete, pending_points))
        rows.append(
            ScoreRow(
                kind="subtotal", level1=f"{top.name}小计", level2="", level3="", points=top.points, score=score,
                target="", actual="", reason="" if complete else f"{fmt_score(pending_points)} 分待评",
                status="" if complete else "待评",
            )
        )
    rows.append(
        ScoreRow(
            kind="total", level1="合计", level2="", level3="", points=indicator_set.total, score=card.total,
            target="", actual="", reason="；".join(card.adjustments), status=card.grade_text,
        )
    )
    pending = [
        Pending(r.indicator.name, r.indicator.points, r.status.value, r.missing or "；".join(r.problems) or "评价人尚未评分")
        for r in card.pending
    ]
    return Scores(
        set_name=indicator_set.name,
        rows=tuple(rows),
        groups=tuple(groups),
        total=card.total,
        raw_total=card.raw_total,
        full=indicator_set.total,
        grade=card.grade,
        grade_text=card.grade_text,
        complete=card.complete,
        pending=tuple(pending),
        pending_points=card.pending_points,
        adjustments=tuple(card.adjustments),
        deductions=tuple(deductions),
        leaf_count=len(card.results),
        scored_count=card.scored_count,
        drafts=tuple(result.indicator.name for result in card.drafts),
    )


def _outcomes(accounts: Accounts) -> list[OutcomeRow]:
    return [
        OutcomeRow(
            outcome.name,
            outcome.unit,
            outcome_target(outcome),
            outcome_value(outcome.actual, outcome.unit),
            outcome_status(outcome),
            outcome.note or "",
        )
        for outcome in accounts.outcomes
    ]


def _checks(report: CheckReport) -> Checks:
    findings = [
        FindingRow(SEVERITY_WORDS[f.severity], f.code, f.table, f.row, f.message)
        for f in sorted(report.findings, key=lambda f: SEVERITY_RANK[f.severity])
    ]
    return Checks(tuple(findings), len(report.errors), len(report.warnings), len(report.infos), len(report.skipped))


# ── the context ──────────────────────────────────────────────────────────


INCOME_SOURCES = (
    ("general_budget", "一般公共预算财政拨款收入"),
    ("gov_fund", "政府性基金预算财政拨款收入"),
    ("state_capital", "国有资本经营预算财政拨款收入"),
    ("superior_subsidy", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)

EXPENDITURE_KINDS = (
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("remit", "上缴上级支出"),
    ("operating", "经营支出"),
    ("affiliated", "对附属单位补助支出"),
)

THREE_PUBLIC_ITEMS = (
    ("abroad", "因公出国（境）费", False),
    ("vehicle", "公务用车购置及运行费", False),
    ("vehicle_purchase", "公务用车购置费", True),
    ("vehicle_operation", "公务用车运行费", True),
    ("reception", "公务接待费", False),
)


def build_context(
    profile: Profile,
    indicator_set: IndicatorSet,
    accounts: Accounts,
    evaluation: Evaluation,
    previous: Accounts | None = None,
    card: ScoreCard | None = None,
    checks: CheckReport | None = None,
    score_comparison: list[str] | None = None,
) -> dict[str, Any]:
    """The template context for one department-year; scores and checks are computed when not given.

    Built of records and tuples only; ``zzperf.report.render`` checks it with ``plain_context`` before any
    template sees it.

    ``score_comparison``: the "与上年相比" sentences about scores, from ``zzperf.compare`` (none when not given).
    """
    from zzperf.checks import run_checks
    from zzperf.scoring import score_year

    if card is None:
        card = score_year(indicator_set, accounts, evaluation, previous)
    if checks is None:
        checks = run_checks(accounts, previous)
    year = accounts.year

    def fig(path: str, name: str = "") -> Figure:
        return _fig(_get(accounts, path), _get(previous, path), name)

    income_sources = [
        fig(f"income.{key}", name) for key, name in INCOME_SOURCES if _get(accounts, f"income.{key}") is not None
    ]
    totals = accounts.expenditure.total
    expenditure_kinds = [
        fig(f"expenditure.total.{key}", name) for key, name in EXPENDITURE_KINDS if getattr(totals, key) is not None
    ]
    prev_classes = {line.code: line.total for line in previous.expenditure.lines} if previous else {}
    function_classes = [
        Figure(line.total, prev_classes.get(line.code), line.name)
        for line in accounts.expenditure.lines
        if len(line.code) == 3
    ]
    three = accounts.three_public
    prev_three = previous.three_public if previous else None
    three_items = [
        BudgetItem(
            name, getattr(three.budget, key), getattr(three.actual, key),
            getattr(prev_three.actual, key) if prev_three else None, sub,
        )
        for key, name, sub in THREE_PUBLIC_ITEMS
    ]
    three_total = BudgetItem(
        "合计", three.budget.total, three.actual.total, prev_three.actual.total if prev_three else None
    )
    staffing = accounts.staffing
    budget = accounts.budget
    procurement = accounts.procurement
    assets = accounts.assets
    spending = accounts.general_spending
    text = evaluation.report

    figures = {
        "income": fig("overview.income_total", "本年收入合计"),
        "expenditure": fig("overview.expenditure_total", "本年支出合计"),
        "basic": fig("expenditure.total.basic", "基本支出"),
        "project": fig("expenditure.total.project", "项目支出"),
        "personnel": fig("basic_expenditure.personnel_total", "人员经费"),
        "public": fig("basic_expenditure.public_total", "公用经费"),
        "carryover_begin": fig("overview.carryover_begin", "年初结转和结余"),
        "carryover_end": fig("overview.carryover_end", "年末结转和结余"),
        "three_public": fig("three_public.actual.total", "“三公”经费支出"),
        "operating_costs": fig("operating_costs.actual", "机关运行经费"),
        "meeting": fig("general_spending.meeting", "会议费"),
        "training": fig("general_spending.training", "培训费"),
        "procurement": fig("procurement.total", "政府采购支出"),
    }
    comparisons = [
        figures[key]
        for key in (
            "income", "expenditure", "basic", "project", "personnel", "public", "carryover_end",
            "three_public", "operating_costs", "meeting", "training", "procurement",
        )
    ]
    title = f"{profile.name}{year}年度部门整体支出绩效自评报告"
    return {
        "title": title,
        "year": year,
        "prev_year": year - 1,
        "has_previous": previous is not None,
        "dept": Department(
            name=profile.name,
            budget_code=profile.budget_code,
            level=profile.level,
            duties=tuple(profile.duties),
            structure=tuple(profile.structure),
            units=profile.units,
            contact=profile.contact,
            phone=profile.phone,
        ),
        "meta": Meta(
            evaluator=evaluation.evaluator,
            date=evaluation.date,
            method="部门(单位)绩效自评",
        ),
        "staff": Staff(staffing.authorized, staffing.in_service, staffing.contract),
        "f": Figures(**figures),
        "income": Income(
            total=figures["income"],
            sources=tuple(income_sources),
            carryover_begin=figures["carryover_begin"],
        ),
        "expenditure": Expenditure(
            total=figures["expenditure"],
            kinds=tuple(expenditure_kinds),
            classes=tuple(function_classes),
            basic=figures["basic"],
            project=figures["project"],
            personnel=figures["personnel"],
            public=figures["public"],
            carryover_end=figures["carryover_end"],
            budget_initial=budget.initial,
            budget_adjusted=budget.adjusted,
            budget_additions=budget.additions,
            budget_reductions=budget.reductions,
        ),
        "three_public": ThreePublic(
            lines=tuple(three_items),
            total=three_total,
            vehicles_held=three.vehicles_held,
            reception_batches=three.reception_batches,
            reception_guests=three.reception_guests,
            reason=three.reason or "",
        ),
        "operating_costs": BudgetItem(
            "机关运行经费", accounts.operating_costs.budget, accounts.operating_costs.actual,
            previous.operating_costs.actual if previous else None,
        ),
        "general_spending": GeneralSpending(
            meeting=figures["meeting"],
            meeting_people=spending.meeting_people,
            training=figures["training"],
            training_people=spending.training_people,
        ),
        "procurement": Procurement(
            total=figures["procurement"],
            budget=procurement.budget,
            goods=procurement.goods,
            works=procurement.works,
            services=procurement.services,
            sme=procurement.sme,
            small_micro=procurement.small_micro,
        ),
        "assets": Assets(**{field.name: getattr(assets, field.name) for field in dataclasses.fields(Assets)}),
        "comparisons": tuple(comparisons),
        "outcomes": tuple(_outcomes(accounts)),
        "scores": _scores(card),
        "score_comparison": tuple(score_comparison or ()),
        "text": Text(
            achievements=text.achievements,
            problems=text.problems,
            measures=text.measures,
            application=text.application,
        ),
        "checks": _checks(checks),
    }


def context_for(workspace: Workspace, year: int) -> dict[str, Any]:
    """The template context for one year of a workspace (with the previous year when the workspace has it)."""
    loaded = workspace.load_year(year)
    return build_context(
        workspace.profile,
        workspace.set_for(year),  # a workspace may score some years with another set
        loaded.accounts,
        loaded.evaluation,
        workspace.previous_accounts(year),
        score_comparison=_score_comparison(workspace, year),
    )


def _score_comparison(workspace: Workspace, year: int) -> list[str]:
    """This year's scores against the previous year's, in the words the 对比 screen and ``zzperf compare`` use."""
    from zzperf.compare import previous_year_comparison

    comparison = previous_year_comparison(workspace, year)
    return comparison.sentences() if comparison is not None else []
