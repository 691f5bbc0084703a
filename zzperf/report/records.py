"""The records a report template sees, and ``plain``, which checks that a context holds nothing else.

Everything a template sees is a plain, read-only value (``Decimal`` in 万元, counts, ``None`` for no data,
short strings, tuples, and frozen records of those with no public methods), so a template supplied by
someone else can read the report's data and nothing more: no model class, no file access, no pickle.
``plain`` enforces that before a template runs. A figure that can be compared with the previous year is a
``Figure`` carrying both years; ``prev`` is None when the previous year is absent from the workspace or
lacks that figure, and templates then drop the comparison.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


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
    notice: str
    """The notice the self-evaluation answers (通知名称和文号), cited at the report's start: the year's own
    (``Evaluation.notice``), else the department's (``Profile.notice``)."""


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
    """已完成, 未完成, 数据不足 or 未设指标值."""
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
    value: Decimal | None = None
    """完成值 as a number (in the indicator's unit, percent for "%"), when the leaf has one."""
    unit: str = ""
    """The indicator's unit."""
    mark: str = ""
    """暂定 (the evaluator's scoring is still a draft), why a leaf has no score yet (待评, 数据不足, 缺理由), or
    empty."""
    given_reason: str = ""
    """The reason the evaluator wrote for this leaf, empty when none."""
    rule_scored: bool = False
    """The rule gave the score (no score of the evaluator's own), so ``reason`` (the rule and its figures) explains
    any deduction; a deduction the evaluator made needs ``given_reason``."""
    first1: bool = False
    """First leaf of its 一级 group."""
    first2: bool = False
    """First leaf of its 二级 group."""
    span1: int = 1
    """Rows of its 一级 group (on the group's first row), for merged cells."""
    span2: int = 1
    """Rows of its 二级 group (on the group's first row), for merged cells."""
    review_score: Decimal | None = None
    """复核得分 (with ``review`` only): the reviewer's score, or the 自评 where the reviewer gave none."""
    reviewed: bool = False
    """The reviewer scored this leaf (subtotals and the total: always True)."""
    difference: Decimal | None = None
    """自评 − 复核 (positive: the department scored itself higher); None when either is missing."""
    review_text: str = ""
    """What the 复核意见 column shows: the reviewer's 理由 and 意见, then the flags."""
    flags: tuple[str, ...] = ()
    """Inflations flagged on this leaf: 自评高于复核, or a 自评 above the score the 决算 gives."""


@dataclass(frozen=True)
class Group:
    """A 一级 node with its score so far."""

    name: str
    points: Decimal
    score: Decimal | None
    """None while nothing below has a score (shown as —, not 0.00)."""
    complete: bool
    pending_points: Decimal
    """Points of the indicators below without a score (不适用 apart)."""
    pending_text: str = ""
    """Those points by why, e.g. “5.00 分数据不足” or “2.00 分待评、3.00 分数据不足”; empty when complete."""


@dataclass(frozen=True)
class YearScore:
    """One year's total and 一级 scores, for the chart of scores over the years."""

    year: int
    total: Decimal | None
    """None while nothing is scored."""
    full: Decimal
    complete: bool
    grade: str
    groups: tuple[Group, ...]


@dataclass(frozen=True)
class Charts:
    """The report's charts as inline SVG markup (no script, no outside resource); empty when not drawn."""

    history: str
    """The total score over the years."""
    groups: str
    """Each 一级 indicator's score over the years (得分率), or this year's alone."""


@dataclass(frozen=True)
class ProjectLine:
    """One 功能分类 科目 with 项目支出: its 决算 and, where the accounts have them, its budget."""

    code: str
    name: str
    actual: Decimal | None
    """项目支出"""
    spent: Decimal | None
    """What the 科目's budget is compared with: its 项目支出, or its whole 支出 when it also has 基本支出 (the
    budget is the 科目's, not its projects')."""
    initial: Decimal | None
    adjusted: Decimal | None


@dataclass(frozen=True)
class Projects:
    """项目支出: the total against last year and its budget, and the 科目 it was spent under."""

    total: Figure
    budget: Decimal | None
    """项目支出预算总额, when the accounts have it."""
    lines: tuple[ProjectLine, ...]


@dataclass(frozen=True)
class BudgetRow:
    """One row of the budget execution table: 年初预算, 全年预算 (调整后预算) and 全年执行数."""

    name: str
    initial: Decimal | None
    adjusted: Decimal | None
    actual: Decimal | None


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
    held_back: tuple[str, ...] = ()
    """Names of scores entered without the reason they need: drafts, not counted in the total."""
    caps: tuple[str, ...] = ()
    """Each cap that lowered the total: its rule, the value behind it and its effect."""


@dataclass(frozen=True)
class ReviewSummary:
    """The finance bureau's 复核 of the year (context key ``review``; None unless asked for with ``--review``)."""

    reviewer: str
    self_total: Decimal | None
    """自评总分; None while nothing is self-scored."""
    total: Decimal
    """复核总分: the year scored with the reviewer's scores in place of the 自评 where given."""
    grade: str
    grade_text: str
    complete: bool
    difference: Decimal | None
    """自评总分 − 复核总分."""
    inflated: bool
    """The 自评 total is at least ``threshold`` points above the 复核 total."""
    threshold: Decimal
    reviewed_count: int
    """Leaves the reviewer scored."""
    leaf_count: int
    flagged: tuple[ScoreRow, ...]
    """Leaves with a flag, the largest inflation first."""
    adjustments: tuple[str, ...]
    """The 复核 total's 折算 and caps, as for the 自评."""


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
    goal: str
    """年度总体目标 as the department set it at the start of the year."""


RECORDS: tuple[type, ...] = (
    Figure,
    BudgetItem,
    Department,
    Staff,
    OutcomeRow,
    ScoreRow,
    Group,
    Pending,
    Scores,
    ReviewSummary,
    FindingRow,
    Checks,
    Meta,
    Figures,
    Income,
    Expenditure,
    ThreePublic,
    GeneralSpending,
    Procurement,
    Assets,
    Text,
    YearScore,
    Charts,
    ProjectLine,
    Projects,
    BudgetRow,
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
            field.name: plain(getattr(value, field.name), f"{where}.{field.name}")
            for field in dataclasses.fields(value)
        }
        return dataclasses.replace(value, **changes)
    raise TypeError(f"not plain template data at {where}: {type(value).__qualname__}")


def plain_context(context: dict[str, Any]) -> dict[str, Any]:
    """Every value of a template context as read-only plain data (see ``plain``)."""
    return {str(key): plain(value, str(key)) for key, value in context.items()}
