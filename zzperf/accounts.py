"""A department-year's figures (``accounts.toml``): the 决算 tables 公开01–08表 and the narrative numbers.

Every amount is ``Decimal`` in 万元. A key left out of the file (or an empty string) means
"no data" (None) and shows as 数据不足; a ``0`` or ``"-"`` means zero. A file may say ``unit = "元"``: its amounts
are converted to 万元 on load and written back in 万元.
"""

# No ``from __future__ import annotations`` here: pydantic would then read each of the hundred-odd fields' types
# back from a string, one ``eval`` each, whenever a command starts.

from collections.abc import Callable
from contextvars import ContextVar
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, model_validator
from pydantic_core import CoreSchema, core_schema

from zzperf.amounts import MAX_WAN, MAX_YUAN, UNITS, check_amount, parse_amount, shown_number, within_places
from zzperf.field_docs import document_module, new_list


class ReadAs:
    """``Annotated`` metadata: ``read`` turns what the file holds into the value the field's type then checks.

    pydantic's ``BeforeValidator`` does the same, but inspects the function's signature again for every field that
    uses it, a large part of building ``Accounts``'s validator with its hundred-odd amounts. ``read`` takes the
    value alone.
    """

    __slots__ = ("read",)

    def __init__(self, read: Callable[[Any], Any]) -> None:
        self.read = read

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.read, handler(source))


def _whole_year(value: Any) -> Any:
    """A year is written as a bare integer: “2018” in quotes (or 2018.0) is refused, not coerced."""
    if isinstance(value, bool) or not isinstance(value, int):
        shown = f'"{value}"' if isinstance(value, str) else str(value)
        raise ValueError(f"年度应为不加引号的整数，例如 year = 2018（文件中写的是 {shown}）")
    return value


Year = Annotated[int, ReadAs(_whole_year), Field(ge=2000, le=2100)]
"""A 决算 or evaluation year, strict: TOML ``year = 2018``."""

FORMAT_VERSION = 1

_unit_factor: ContextVar[Decimal] = ContextVar("unit_factor", default=Decimal(1))


def _to_wan(raw: object) -> Decimal | None:
    kind = type(raw)
    if kind is int or (kind is Decimal and raw.is_finite()):  # type: ignore[union-attr] # what TOML gives
        amount = raw if kind is Decimal else Decimal(raw)  # type: ignore[arg-type]
        if abs(amount) < MAX_YUAN:  # an amount that passes every check below is returned at once
            value = amount * _unit_factor.get()  # type: ignore[operator]
            if abs(value) < MAX_WAN and within_places(value):
                return value
    if raw is None:
        return None
    factor = _unit_factor.get()
    file_unit = next(name for name, value in UNITS.items() if value == factor) if isinstance(raw, str) else None
    amount = parse_amount(raw, blank_is_zero=False, file_unit=file_unit)
    if amount is None:
        return None
    try:
        return check_amount(amount * factor)
    except ValueError as error:
        raise ValueError(f"{shown_number(amount)} 换算为万元后为 {error}" if factor != 1 else str(error)) from None


def _to_quantity(raw: object) -> Decimal | None:
    amount = None if raw is None else parse_amount(raw, blank_is_zero=False)
    return None if amount is None else check_amount(amount, unit="")


Amount = Annotated[Decimal | None, ReadAs(_to_wan)]
"""An amount in 万元; None means no data."""

Quantity = Annotated[Decimal | None, ReadAs(_to_quantity)]
"""A non-money figure (件, %, 人); None means no data."""

MAX_COUNT = 10**9
"""Largest head or item count a file may give."""

Count = Annotated[int | None, Field(ge=0, le=MAX_COUNT)]
"""A head or item count; None means no data."""

FunctionCode = Annotated[str, Field(pattern=r"^\d{3}(\d{2}){0,2}$")]
"""A 支出功能分类 code: 类 3 digits, 款 5, 项 7."""

EconomicCode = Annotated[str, Field(pattern=r"^\d{3}(\d{2})?$")]
"""A 支出经济分类 code: 类 3 digits (301), 款 5 digits (30101)."""


class Section(BaseModel):
    """One block of figures. Its validator is built on first use: reading a file validates every section with
    ``Accounts``'s own validator, so a command that only reads figures builds one validator, not one per block."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


def empty_section() -> Any:
    """A section field's default: a section with no data, made by the enclosing model's validator from ``{}``.

    ``default_factory=Overview`` would build ``Overview``'s own validator for every block a file leaves out. The
    ``{}`` is only read: each model gets a new section.
    """
    return Field(default={}, validate_default=True)


class Overview(Section):
    """公开01表 收入支出决算总表: the stated totals of both sides."""

    income_total: Amount = None
    """本年收入合计"""
    non_fiscal_balance_used: Amount = None
    """使用非财政拨款结余"""
    carryover_begin: Amount = None
    """年初结转和结余"""
    income_grand_total: Amount = None
    """收入总计：收入侧“总计”行"""
    expenditure_total: Amount = None
    """本年支出合计"""
    balance_distribution: Amount = None
    """结余分配"""
    carryover_end: Amount = None
    """年末结转和结余"""
    expenditure_grand_total: Amount = None
    """支出总计：支出侧“总计”行"""


class Income(Section):
    """本年收入 by source: the income lines of 公开01表."""

    general_budget: Amount = None
    """一般公共预算财政拨款收入"""
    gov_fund: Amount = None
    """政府性基金预算财政拨款收入"""
    state_capital: Amount = None
    """国有资本经营预算财政拨款收入"""
    superior_subsidy: Amount = None
    """上级补助收入"""
    business: Amount = None
    """事业收入"""
    operating: Amount = None
    """经营收入"""
    affiliated: Amount = None
    """附属单位上缴收入"""
    other: Amount = None
    """其他收入"""


class IncomeAmounts(Section):
    """The columns of 公开02表 收入决算表."""

    total: Amount = None
    """本年收入合计"""
    fiscal: Amount = None
    """财政拨款收入"""
    superior_subsidy: Amount = None
    """上级补助收入"""
    business: Amount = None
    """事业收入"""
    operating: Amount = None
    """经营收入"""
    affiliated: Amount = None
    """附属单位上缴收入"""
    other: Amount = None
    """其他收入"""


class IncomeLine(IncomeAmounts):
    """One 功能分类 row of 公开02表."""

    code: FunctionCode
    """科目编码"""
    name: str
    """科目名称"""


class IncomeTable(Section):
    """公开02表 收入决算表."""

    total: IncomeAmounts = empty_section()
    """合计"""
    lines: list[IncomeLine] = Field(default_factory=new_list)
    """类/款/项 rows in table order."""


class ExpenditureAmounts(Section):
    """The columns of 公开03表 支出决算表 (公开05表 uses total, basic and project)."""

    total: Amount = None
    """本年支出合计"""
    basic: Amount = None
    """基本支出"""
    project: Amount = None
    """项目支出"""
    remit: Amount = None
    """上缴上级支出"""
    operating: Amount = None
    """经营支出"""
    affiliated: Amount = None
    """对附属单位补助支出"""


class ExpenditureLine(ExpenditureAmounts):
    """One 功能分类 row of 公开03表 or 公开05表."""

    code: FunctionCode
    """科目编码"""
    name: str
    """科目名称"""


class ExpenditureTable(Section):
    """公开03表 支出决算表, or 公开05表 一般公共预算财政拨款支出决算表."""

    total: ExpenditureAmounts = empty_section()
    """合计"""
    lines: list[ExpenditureLine] = Field(default_factory=new_list)
    """类/款/项 rows in table order."""


class FiscalOverview(Section):
    """公开04表 财政拨款收入支出决算总表."""

    general_budget_income: Amount = None
    """一般公共预算财政拨款收入"""
    gov_fund_income: Amount = None
    """政府性基金预算财政拨款收入"""
    income_total: Amount = None
    """财政拨款本年收入合计"""
    carryover_begin: Amount = None
    """年初财政拨款结转和结余"""
    carryover_begin_general: Amount = None
    """年初一般公共预算财政拨款结转和结余"""
    carryover_begin_gov_fund: Amount = None
    """年初政府性基金预算财政拨款结转和结余"""
    income_grand_total: Amount = None
    """财政拨款收入总计"""
    expenditure_total: Amount = None
    """财政拨款本年支出合计"""
    expenditure_general: Amount = None
    """一般公共预算财政拨款支出"""
    expenditure_gov_fund: Amount = None
    """政府性基金预算财政拨款支出"""
    carryover_end: Amount = None
    """年末财政拨款结转和结余"""
    expenditure_grand_total: Amount = None
    """财政拨款支出总计"""


class EconomicLine(Section):
    """One 经济分类 row of 公开06表 (类 301 or 款 30101)."""

    code: EconomicCode
    """科目编码"""
    name: str
    """科目名称"""
    amount: Amount = None
    """决算数"""


class BasicExpenditure(Section):
    """公开06表 一般公共预算财政拨款基本支出决算表."""

    personnel_total: Amount = None
    """人员经费合计"""
    public_total: Amount = None
    """公用经费合计"""
    lines: list[EconomicLine] = Field(default_factory=new_list)
    """类 and 款 rows, both blocks, in table order."""

    def amount(self, code: str) -> Decimal | None:
        """The stated amount of one code, or None when the row is absent or empty."""
        return next((line.amount for line in self.lines if line.code == code), None)


class ThreePublicAmounts(Section):
    """One block (预算数 or 决算数) of the "三公" table."""

    total: Amount = None
    """合计"""
    abroad: Amount = None
    """因公出国（境）费"""
    vehicle: Amount = None
    """公务用车购置及运行费"""
    vehicle_purchase: Amount = None
    """公务用车购置费"""
    vehicle_operation: Amount = None
    """公务用车运行费"""
    reception: Amount = None
    """公务接待费"""


class ThreePublic(Section):
    """一般公共预算财政拨款“三公”经费支出决算表, with the narrative's counts."""

    budget: ThreePublicAmounts = empty_section()
    """“三公”经费预算数"""
    actual: ThreePublicAmounts = empty_section()
    """“三公”经费决算数"""
    vehicles_held: Count = None
    """公务用车保有量（辆）"""
    reception_batches: Count = None
    """国内公务接待批次"""
    reception_guests: Count = None
    """国内公务接待人次"""
    reason: str | None = None
    """差异原因：决算与预算、与上年相比增减的主要原因"""


class GovFund(Section):
    """政府性基金预算财政拨款收入支出决算表; empty for most departments."""

    has_data: bool | None = None
    """本表是否有数据；无数据时须有空表说明"""
    note: str | None = None
    """空表说明"""
    carryover_begin: Amount = None
    """政府性基金年初结转和结余"""
    income: Amount = None
    """政府性基金本年收入"""
    expenditure_total: Amount = None
    """政府性基金本年支出"""
    expenditure_basic: Amount = None
    """政府性基金基本支出"""
    expenditure_project: Amount = None
    """政府性基金项目支出"""
    carryover_end: Amount = None
    """政府性基金年末结转和结余"""

    AMOUNTS: ClassVar[tuple[str, ...]] = (
        "carryover_begin",
        "income",
        "expenditure_total",
        "expenditure_basic",
        "expenditure_project",
        "carryover_end",
    )
    """The table's amounts, in the order it prints them."""


class BudgetLine(Section):
    """年初预算 and 调整预算 of one 功能分类 code."""

    code: FunctionCode
    """科目编码"""
    name: str
    """科目名称"""
    initial: Amount = None
    """年初预算"""
    adjusted: Amount = None
    """调整预算"""


class Budget(Section):
    """The year's budget figures (from the 决算说明 or the budget approval)."""

    initial: Amount = None
    """年初预算：财政拨款支出年初预算数"""
    adjusted: Amount = None
    """调整预算：年初预算 + 调增 − 调减"""
    additions: Amount = None
    """本年追加预算"""
    reductions: Amount = None
    """本年追减预算"""
    public_initial: Amount = None
    """公用经费年初预算"""
    key_projects: Amount = None
    """重点项目支出预算"""
    projects: Amount = None
    """项目支出预算总额"""
    by_function: list[BudgetLine] = Field(default_factory=new_list)
    """年初/调整预算 by 功能分类."""


class OperatingCosts(Section):
    """机关运行经费."""

    budget: Amount = None
    """机关运行经费预算数"""
    actual: Amount = None
    """机关运行经费支出"""


class GeneralSpending(Section):
    """一般性支出: 会议费 and 培训费."""

    meeting: Amount = None
    """会议费"""
    meeting_people: Count = None
    """会议人数"""
    training: Amount = None
    """培训费"""
    training_people: Count = None
    """培训人数"""


class Procurement(Section):
    """政府采购支出."""

    budget: Amount = None
    """政府采购预算"""
    total: Amount = None
    """政府采购支出总额"""
    goods: Amount = None
    """政府采购货物支出"""
    works: Amount = None
    """政府采购工程支出"""
    services: Amount = None
    """政府采购服务支出"""
    sme: Amount = None
    """授予中小企业合同金额"""
    small_micro: Amount = None
    """授予小微企业合同金额"""


class Assets(Section):
    """国有资产占用情况."""

    vehicles: Count = None
    """车辆总数"""
    leader_vehicles: Count = None
    """部级领导干部用车"""
    official_vehicles: Count = None
    """一般公务用车"""
    law_enforcement_vehicles: Count = None
    """一般执法执勤用车"""
    special_vehicles: Count = None
    """特种专业技术用车"""
    general_equipment_over_50: Count = None
    """单位价值50万元以上通用设备（台套）"""
    special_equipment_over_100: Count = None
    """单价100万元以上专用设备（台套）"""
    fixed_assets_total: Amount = None
    """固定资产原值"""
    fixed_assets_in_use: Amount = None
    """在用固定资产原值"""


class Staffing(Section):
    """编制 and 实有人数."""

    authorized: Count = None
    """编制数"""
    in_service: Count = None
    """在职人数"""
    contract: Count = None
    """编外人员"""


Comparison = Literal["=", ">=", "<="]
COMPARISON_SYMBOL: dict[str, str] = {"=": "=", ">=": "≥", "<=": "≤"}
"""指标性质 as people read it: each ``Comparison`` as its mathematical sign."""


class Outcome(Section):
    """A service-outcome figure with its 绩效目标 (指标值) and 完成值."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    """ASCII key used by indicator formulas, e.g. ``cases_handled``."""
    name: str
    """指标名称"""
    unit: str = ""
    """计量单位，如 件、项、%"""
    op: Comparison = ">="
    """指标性质：=、>= 或 <="""
    target: Quantity = None
    """指标值"""
    actual: Quantity = None
    """完成值"""
    note: str | None = None
    """说明（数据来源等）"""


SECTION_NAMES = {
    "overview": "收入支出决算总表",
    "income": "本年收入",
    "income_table": "收入决算表",
    "expenditure": "支出决算表",
    "fiscal_overview": "财政拨款收入支出决算总表",
    "general_budget_expenditure": "一般公共预算财政拨款支出决算表",
    "basic_expenditure": "一般公共预算财政拨款基本支出决算表",
    "three_public": "“三公”经费支出决算表",
    "gov_fund": "政府性基金预算财政拨款收入支出决算表",
    "budget": "预算",
    "operating_costs": "机关运行经费",
    "general_spending": "一般性支出",
    "procurement": "政府采购",
    "assets": "国有资产",
    "staffing": "人员编制",
    "outcomes": "绩效目标与完成值",
}
"""Chinese names of the top-level sections, for messages and screens."""


class Accounts(BaseModel):
    """All figures of one department-year."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    format_version: Literal[1] = FORMAT_VERSION
    """File format version."""
    year: Year
    """决算年度"""
    unit: Literal["万元"] = "万元"
    """金额单位；文件中也可写“元”或“亿元”，读入时换算为万元"""
    source: str | None = None
    """数据来源：本年度数字取自哪份公开文件；缺项及其原因也写在这里，年度对比时列出"""
    overview: Overview = empty_section()
    """公开01表 收入支出决算总表"""
    income: Income = empty_section()
    """本年收入 by source"""
    income_table: IncomeTable = empty_section()
    """公开02表 收入决算表"""
    expenditure: ExpenditureTable = empty_section()
    """公开03表 支出决算表"""
    fiscal_overview: FiscalOverview = empty_section()
    """公开04表 财政拨款收入支出决算总表"""
    general_budget_expenditure: ExpenditureTable = empty_section()
    """公开05表 一般公共预算财政拨款支出决算表"""
    basic_expenditure: BasicExpenditure = empty_section()
    """公开06表 一般公共预算财政拨款基本支出决算表"""
    three_public: ThreePublic = empty_section()
    """“三公”经费支出决算表"""
    gov_fund: GovFund = empty_section()
    """政府性基金预算财政拨款收入支出决算表"""
    budget: Budget = empty_section()
    """年初预算与调整预算"""
    operating_costs: OperatingCosts = empty_section()
    """机关运行经费"""
    general_spending: GeneralSpending = empty_section()
    """会议费与培训费"""
    procurement: Procurement = empty_section()
    """政府采购"""
    assets: Assets = empty_section()
    """国有资产"""
    staffing: Staffing = empty_section()
    """人员编制"""
    outcomes: list[Outcome] = Field(default_factory=new_list)
    """绩效目标与完成值"""

    @model_validator(mode="wrap")
    @classmethod
    def _convert_unit(cls, data: Any, handler: Any) -> "Accounts":
        """Read amounts in the file's unit and keep them in 万元."""
        if not isinstance(data, dict) or data.get("unit", "万元") == "万元":
            return handler(data)
        unit = data["unit"]
        if unit not in UNITS:
            raise ValueError(f"金额单位“{unit}”无法识别：应为 万元、元 或 亿元")
        token = _unit_factor.set(UNITS[unit])
        try:
            return handler({**data, "unit": "万元"})
        finally:
            _unit_factor.reset(token)

    @model_validator(mode="after")
    def _unique_outcome_keys(self) -> "Accounts":
        seen: set[str] = set()
        for outcome in self.outcomes:
            if outcome.key in seen:
                raise ValueError(f"绩效目标 key “{outcome.key}” 重复")
            seen.add(outcome.key)
        return self

    def outcome(self, key: str) -> Outcome | None:
        """The outcome with this key, or None."""
        return next((outcome for outcome in self.outcomes if outcome.key == key), None)

    def coded_lines(self) -> dict[str, list[Any]]:
        """The 科目 rows of each line table, by where the table sits (``expenditure``, ``budget.by_function`` …)."""
        return {
            "income_table": self.income_table.lines,
            "expenditure": self.expenditure.lines,
            "general_budget_expenditure": self.general_budget_expenditure.lines,
            "basic_expenditure": self.basic_expenditure.lines,
            "budget.by_function": self.budget.by_function,
        }


document_module(__name__)  # the field docstrings are the figures' labels
