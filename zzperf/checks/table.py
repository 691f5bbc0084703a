"""The 勾稽 rules of the 决算 tables 公开01–08表, as one declarative table (``RULES``) with stable codes."""

from __future__ import annotations

from zzperf.checks.rules import (
    ECONOMIC_CLASSES,
    OPS,
    T1,
    T2,
    T3,
    T4,
    T5,
    T6,
    T7,
    T8,
    CodeParents,
    EconomicDetail,
    EmptyTableNote,
    EmptyWhenZero,
    Hierarchy,
    Identity,
    NotExceed,
    RowSum,
    Rule,
)

_INCOME_SOURCES = tuple(
    f"income.{name}"
    for name in (
        "general_budget",
        "gov_fund",
        "state_capital",
        "superior_subsidy",
        "business",
        "operating",
        "affiliated",
        "other",
    )
)
_PUBLIC_CLASSES = tuple(f"econ_{code}" for code in ECONOMIC_CLASSES if code not in ("301", "303"))
_O, _F, _B, _G = "overview.", "fiscal_overview.", "basic_expenditure.", "gov_fund."
_T2_PARTS = ("fiscal", "superior_subsidy", "business", "operating", "affiliated", "other")
_T3_PARTS = ("basic", "project", "remit", "operating", "affiliated")
_HIERARCHY = "类 = Σ款，款 = Σ项，合计 = Σ类（各列）"
_CODE_PARENTS = "每个款、项科目的上级类、款在表中（编码以上级编码开头）"


def _three_public(block: str, name: str) -> tuple[Identity, ...]:
    p = f"three_public.{block}."
    return (
        Identity(
            f"T7-{block.upper()}-SUM",
            T7,
            f"{name} 合计",
            f"{name}合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
            f"{p}total",
            f"{p}abroad + {p}vehicle + {p}reception",
        ),
        Identity(
            f"T7-{block.upper()}-VEHICLE",
            T7,
            f"{name} 公务用车购置及运行费",
            f"{name}公务用车购置及运行费 = 购置费 + 运行费",
            f"{p}vehicle",
            f"{p}vehicle_purchase + {p}vehicle_operation",
        ),
    )


def _limit(code: str, item: str, name: str) -> NotExceed:
    return NotExceed(
        f"T7-LIMIT-{code}",
        T7,
        name,
        f"{name} 决算数 ≤ 预算数",
        f"three_public.actual.{item}",
        f"three_public.budget.{item}",
    )


def _within_line(code: str, item: str, line: str, name: str) -> NotExceed:
    return NotExceed(
        f"T7-T6-{code}",
        T7,
        name,
        f"{name} 决算数 ≤ 公开06表 {line} 经济分类支出",
        f"three_public.actual.{item}",
        f"econ_{line}",
    )


RULES: tuple[Rule, ...] = (
    Identity(
        "T1-BAL-IN",
        T1,
        "总计（收入侧）",
        "收入总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余（未列示的使用非财政拨款结余按 0 计）",
        f"{_O}income_grand_total",
        f"{_O}income_total + {_O}non_fiscal_balance_used + {_O}carryover_begin",
        optional=(f"{_O}non_fiscal_balance_used",),
    ),
    Identity(
        "T1-BAL-OUT",
        T1,
        "总计（支出侧）",
        "支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余（未列示的结余分配按 0 计）",
        f"{_O}expenditure_grand_total",
        f"{_O}expenditure_total + {_O}balance_distribution + {_O}carryover_end",
        optional=(f"{_O}balance_distribution",),
    ),
    Identity("T1-TOTALS", T1, "总计", "收入总计 = 支出总计", f"{_O}income_grand_total", f"{_O}expenditure_grand_total"),
    Identity(
        "T1-INCOME",
        T1,
        "本年收入合计",
        "本年收入合计 = 各收入来源之和（未列示的来源按 0 计，至少须有一项）",
        f"{_O}income_total",
        " + ".join(_INCOME_SOURCES),
        optional=_INCOME_SOURCES,
    ),
    Identity(
        "T1-T2",
        T1,
        "本年收入合计",
        "公开01表本年收入合计 = 公开02表合计行本年收入合计",
        f"{_O}income_total",
        "income_table.total.total",
    ),
    Identity(
        "T1-T3",
        T1,
        "本年支出合计",
        "公开01表本年支出合计 = 公开03表合计行本年支出合计",
        f"{_O}expenditure_total",
        "expenditure.total.total",
    ),
    Identity(
        "T1-T3-CLASS",
        T1,
        "本年支出合计",
        "公开01表本年支出合计 = 公开03表各类本年支出合计之和",
        f"{_O}expenditure_total",
        "classes.expenditure.total",
    ),
    Identity(
        "T1-T4-GENERAL",
        T1,
        "一般公共预算财政拨款收入",
        "公开01表一般公共预算财政拨款收入 = 公开04表同项",
        "income.general_budget",
        f"{_F}general_budget_income",
    ),
    Identity(
        "T1-T4-GOV-FUND",
        T1,
        "政府性基金预算财政拨款收入",
        "公开01表政府性基金预算财政拨款收入 = 公开04表同项",
        "income.gov_fund",
        f"{_F}gov_fund_income",
    ),
    Identity(
        "T1-PREV",
        T1,
        "年初结转和结余",
        "本年年初结转和结余 = 上年年末结转和结余",
        f"{_O}carryover_begin",
        f"prev.{_O}carryover_end",
    ),
    RowSum("T2-ROW", T2, "每行本年收入合计 = 各收入来源列之和（含合计行）", "income_table", "total", _T2_PARTS),
    Hierarchy("T2-HIER", T2, _HIERARCHY, "income_table", ("total", *_T2_PARTS)),
    CodeParents("T2-CODE", T2, _CODE_PARENTS, "income_table"),
    RowSum(
        "T3-ROW",
        T3,
        "每行本年支出合计 = 基本 + 项目 + 上缴上级 + 经营 + 对附属单位补助（含合计行）",
        "expenditure",
        "total",
        _T3_PARTS,
    ),
    Hierarchy("T3-HIER", T3, _HIERARCHY, "expenditure", ("total", *_T3_PARTS)),
    CodeParents("T3-CODE", T3, _CODE_PARENTS, "expenditure"),
    Identity(
        "T4-INCOME",
        T4,
        "本年收入合计",
        "本年收入合计 = 一般公共预算 + 政府性基金（未列示的政府性基金按 0 计）",
        f"{_F}income_total",
        f"{_F}general_budget_income + {_F}gov_fund_income",
        optional=(f"{_F}gov_fund_income",),
    ),
    Identity(
        "T4-CARRY-BEGIN",
        T4,
        "年初财政拨款结转和结余",
        "年初结转和结余 = 一般公共预算 + 政府性基金（未列示的按 0 计）",
        f"{_F}carryover_begin",
        f"{_F}carryover_begin_general + {_F}carryover_begin_gov_fund",
        optional=(f"{_F}carryover_begin_general", f"{_F}carryover_begin_gov_fund"),
    ),
    Identity(
        "T4-EXPEND",
        T4,
        "本年支出合计",
        "本年支出合计 = 一般公共预算 + 政府性基金（未列示的政府性基金按 0 计）",
        f"{_F}expenditure_total",
        f"{_F}expenditure_general + {_F}expenditure_gov_fund",
        optional=(f"{_F}expenditure_gov_fund",),
    ),
    Identity(
        "T4-BAL-IN",
        T4,
        "总计（收入侧）",
        "收入总计 = 本年收入合计 + 年初财政拨款结转和结余",
        f"{_F}income_grand_total",
        f"{_F}income_total + {_F}carryover_begin",
    ),
    Identity(
        "T4-BAL-OUT",
        T4,
        "总计（支出侧）",
        "支出总计 = 本年支出合计 + 年末财政拨款结转和结余",
        f"{_F}expenditure_grand_total",
        f"{_F}expenditure_total + {_F}carryover_end",
    ),
    Identity("T4-TOTALS", T4, "总计", "收入总计 = 支出总计", f"{_F}income_grand_total", f"{_F}expenditure_grand_total"),
    Identity(
        "T4-BALANCE",
        T4,
        "收支平衡",
        "年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
        f"{_F}carryover_begin + {_F}income_total",
        f"{_F}expenditure_total + {_F}carryover_end",
    ),
    Identity(
        "T4-PREV",
        T4,
        "年初财政拨款结转和结余",
        "本年年初财政拨款结转和结余 = 上年年末财政拨款结转和结余",
        f"{_F}carryover_begin",
        f"prev.{_F}carryover_end",
    ),
    Identity(
        "T4-T5",
        T4,
        "一般公共预算财政拨款支出",
        "公开04表一般公共预算财政拨款支出 = 公开05表合计",
        f"{_F}expenditure_general",
        "general_budget_expenditure.total.total",
    ),
    RowSum(
        "T5-ROW",
        T5,
        "每行本年支出合计 = 基本支出 + 项目支出（含合计行）",
        "general_budget_expenditure",
        "total",
        ("basic", "project"),
    ),
    Hierarchy("T5-HIER", T5, _HIERARCHY, "general_budget_expenditure", ("total", "basic", "project")),
    CodeParents("T5-CODE", T5, _CODE_PARENTS, "general_budget_expenditure"),
    Identity(
        "T5-T6",
        T5,
        "合计 基本支出",
        "公开05表合计行基本支出 = 公开06表人员经费合计 + 公用经费合计",
        "general_budget_expenditure.total.basic",
        f"{_B}personnel_total + {_B}public_total",
    ),
    *(
        EconomicDetail(f"T6-{code}", T6, f"{code} {name} = Σ其款级明细", code)
        for code, name in ECONOMIC_CLASSES.items()
    ),
    Identity(
        "T6-PERSONNEL",
        T6,
        "人员经费合计",
        "人员经费合计 = 301 + 303（未列示的类按 0 计）",
        f"{_B}personnel_total",
        "econ_301 + econ_303",
        optional=("econ_301", "econ_303"),
    ),
    Identity(
        "T6-PUBLIC",
        T6,
        "公用经费合计",
        "公用经费合计 = 302 + 307 + 309 + 310 + 311 + 312 + 313 + 399（未列示的类按 0 计）",
        f"{_B}public_total",
        " + ".join(_PUBLIC_CLASSES),
        optional=_PUBLIC_CLASSES,
    ),
    *_three_public("budget", "预算数"),
    *_three_public("actual", "决算数"),
    _limit("TOTAL", "total", "合计"),
    _limit("ABROAD", "abroad", "因公出国（境）费"),
    _limit("VEHICLE", "vehicle", "公务用车购置及运行费"),
    _limit("RECEPTION", "reception", "公务接待费"),
    _within_line("ABROAD", "abroad", "30212", "因公出国（境）费"),
    _within_line("VEHICLE", "vehicle_operation", "30231", "公务用车运行费"),
    _within_line("RECEPTION", "reception", "30217", "公务接待费"),
    EmptyTableNote("T8-NOTE", T8, "本表无数据时须有空表说明"),
    EmptyWhenZero(
        "T8-T4",
        T8,
        "公开04表政府性基金收支均为 0 时本表应无数据",
        (f"{_F}gov_fund_income", f"{_F}carryover_begin_gov_fund", f"{_F}expenditure_gov_fund"),
    ),
    Identity(
        "T8-T4-INCOME",
        T8,
        "本年收入",
        "本表本年收入 = 公开04表政府性基金预算财政拨款收入",
        f"{_G}income",
        f"{_F}gov_fund_income",
    ),
    Identity(
        "T8-BALANCE",
        T8,
        "合计",
        "年初结转和结余 + 本年收入 = 本年支出 + 年末结转和结余",
        f"{_G}carryover_begin + {_G}income",
        f"{_G}expenditure_total + {_G}carryover_end",
    ),
    Identity(
        "T8-EXPEND",
        T8,
        "本年支出",
        "本年支出小计 = 基本支出 + 项目支出",
        f"{_G}expenditure_total",
        f"{_G}expenditure_basic + {_G}expenditure_project",
    ),
    Identity(
        "OPS-PUBLIC",
        OPS,
        "机关运行经费支出",
        "机关运行经费支出与公开06表公用经费合计不等时提示",
        "operating_costs.actual",
        f"{_B}public_total",
        severity="info",
        hint="（参公单位二者通常相等，请核对口径）",
    ),
)
"""Every consistency rule, in report order."""
