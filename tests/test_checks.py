"""勾稽关系 checks: the seed's known flaws, a clean year, one break per rule kind, missing data, and balance."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.seed_2018 import TABLE_SECTIONS, seed_2018_accounts
from zzperf import figure_paths
from zzperf.accounts import Accounts, Overview
from zzperf.checks import (
    RULES,
    T1,
    T6,
    TOLERANCE,
    CheckReport,
    Finding,
    Hierarchy,
    Identity,
    RowSum,
    run_checks,
)

D = Decimal
NAMES = {
    "201": "一般公共服务支出",
    "20101": "人大事务",
    "2010101": "行政运行",
    "2010102": "一般行政管理事务",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "310": "资本性支出",
    "399": "其他支出",
    "30212": "因公出国（境）费用",
    "30217": "公务接待费",
    "30231": "公务用车运行维护费",
}


def _roll_up(items: dict[str, dict[str, Decimal]], width: int) -> tuple[dict[str, Decimal], list[dict[str, Any]]]:
    """Lines for every item plus its parents (codes cut to 3 and 5 digits), and the 合计 of the 类 rows."""
    columns = list(next(iter(items.values())))
    rolled: dict[str, dict[str, Decimal]] = {}
    for code, amounts in items.items():
        for key in dict.fromkeys((code[:3], code[:5], code[:width])):
            row = rolled.setdefault(key, dict.fromkeys(columns, D(0)))
            for column in columns:
                row[column] += amounts[column]
    total = {column: sum((rolled[key][column] for key in rolled if len(key) == 3), D(0)) for column in columns}
    lines = [{"code": key, "name": NAMES.get(key, f"科目{key}"), **rolled[key]} for key in sorted(rolled)]
    return total, lines


def balanced_accounts(
    items: dict[str, tuple[Decimal, Decimal]],
    econ: dict[str, Decimal],
    *,
    carry_begin: Decimal = D("20.00"),
    carry_end: Decimal = D("12.50"),
    budget_extra: Decimal = D("2.00"),
    year: int = 2019,
) -> Accounts:
    """A year whose tables agree everywhere: 项 (basic, project) and 款-level 经济分类 amounts, rolled up."""
    basic = sum((b for b, _ in items.values()), D(0))
    assert basic == sum(econ.values(), D(0)), "基本支出 must equal Σ 经济分类 lines"
    spending = {code: {"total": b + p, "basic": b, "project": p} for code, (b, p) in items.items()}
    spent_total, spent_lines = _roll_up(spending, 7)
    expenditure, income_total = spent_total["total"], spent_total["total"] - carry_begin + carry_end
    first = min(items)
    received = {code: {"total": row["total"], "fiscal": row["total"]} for code, row in spending.items()}
    received[first] = {key: value + carry_end - carry_begin for key, value in received[first].items()}
    received_total, received_lines = _roll_up(received, 7)
    econ_total, econ_lines = _roll_up({code: {"amount": amount} for code, amount in econ.items()}, 5)
    personnel = sum((line["amount"] for line in econ_lines if line["code"] in ("301", "303")), D(0))
    actual = {
        "abroad": econ.get("30212", D(0)),
        "vehicle_purchase": D(0),
        "vehicle_operation": econ.get("30231", D(0)),
        "reception": econ.get("30217", D(0)),
    }
    actual |= {
        "vehicle": actual["vehicle_operation"],
        "total": actual["abroad"] + actual["vehicle_operation"] + actual["reception"],
    }
    budget = {key: value + budget_extra for key, value in actual.items() if key in ("abroad", "reception")}
    budget |= {"vehicle_purchase": D(0), "vehicle_operation": actual["vehicle_operation"] + budget_extra}
    budget |= {
        "vehicle": budget["vehicle_operation"],
        "total": budget["abroad"] + budget["vehicle_operation"] + budget["reception"],
    }
    return Accounts.model_validate(
        {
            "year": year,
            "overview": {
                "income_total": income_total,
                "carryover_begin": carry_begin,
                "income_grand_total": income_total + carry_begin,
                "expenditure_total": expenditure,
                "carryover_end": carry_end,
                "expenditure_grand_total": expenditure + carry_end,
            },
            "income": {"general_budget": income_total, "gov_fund": 0},
            "income_table": {"total": received_total, "lines": received_lines},
            "expenditure": {"total": spent_total, "lines": spent_lines},
            "fiscal_overview": {
                "general_budget_income": income_total,
                "gov_fund_income": 0,
                "income_total": income_total,
                "carryover_begin": carry_begin,
                "carryover_begin_general": carry_begin,
                "carryover_begin_gov_fund": 0,
                "income_grand_total": income_total + carry_begin,
                "expenditure_total": expenditure,
                "expenditure_general": expenditure,
                "expenditure_gov_fund": 0,
                "carryover_end": carry_end,
                "expenditure_grand_total": expenditure + carry_end,
            },
            "general_budget_expenditure": {"total": spent_total, "lines": spent_lines},
            "basic_expenditure": {
                "personnel_total": personnel,
                "public_total": econ_total["amount"] - personnel,
                "lines": econ_lines,
            },
            "three_public": {"budget": budget, "actual": actual},
            "gov_fund": {
                "has_data": False,
                "note": "本单位没有政府性基金收入，也没有使用政府性基金安排的支出，故本表无数据",
            },
            "operating_costs": {"actual": econ_total["amount"] - personnel},
        }
    )


CLEAN_ITEMS = {
    "2010101": (D("310.35"), D("0.00")),
    "2010102": (D("0.00"), D("48.60")),
    "2080505": (D("30.12"), D("0.00")),
    "2210201": (D("21.53"), D("0.00")),
}
CLEAN_ECON = {
    "30101": D("120.35"),
    "30102": D("39.65"),
    "30108": D("30.12"),
    "30113": D("21.53"),
    "30302": D("10.00"),
    "30201": D("50.00"),
    "30217": D("4.80"),
    "30231": D("15.20"),
    "30299": D("60.35"),
    "31002": D("10.00"),
}


def clean_year() -> Accounts:
    return balanced_accounts(CLEAN_ITEMS, CLEAN_ECON)


def previous_of(accounts: Accounts) -> Accounts:
    """A previous year whose 年末 balances are this year's 年初."""
    previous = Accounts(year=accounts.year - 1)
    previous.overview.carryover_end = accounts.overview.carryover_begin
    previous.fiscal_overview.carryover_end = accounts.fiscal_overview.carryover_begin
    return previous


def found(report: CheckReport) -> set[tuple[str, str]]:
    return {(finding.code, finding.severity) for finding in report.findings}


def line(table: Any, code: str) -> Any:
    return next(row for row in table.lines if row.code == code)


# --- the seed ---------------------------------------------------------------------------------------------


def test_seed_has_exactly_the_known_flaws() -> None:
    report = run_checks(seed_2018_accounts())
    assert found(report) == {
        ("T6-301", "error"),
        ("T1-BAL-IN", "info"),
        ("T4-BAL-IN", "info"),
        ("T4-BALANCE", "info"),
    }
    assert report.warnings == ()


def test_seed_301_error_names_both_figures_and_the_difference() -> None:
    (error,) = run_checks(seed_2018_accounts()).errors
    assert error.table == T6
    assert error.row == "301 工资福利支出"
    assert (error.left, error.right) == (D("249.86"), D("258.88"))
    assert error.message == "公开06表 · 301 工资福利支出：表列 249.86，其款级明细合计 258.88，相差 9.02"
    assert error.paths[0] == "basic_expenditure.lines[301]"
    assert "basic_expenditure.lines[30113]" in error.paths


def test_seed_grand_total_rounding_is_info() -> None:
    report = run_checks(seed_2018_accounts())
    info = next(finding for finding in report.infos if finding.code == "T1-BAL-IN")
    assert info.table == T1
    assert (info.left, info.right) == (D("628.15"), D("628.16"))
    for text in ("公开01表", "628.15", "608.72", "19.44", "628.16", "相差 0.01", "四舍五入"):
        assert text in info.message
    assert "使用非财政拨款结余未列示，按 0 计" in info.message


def test_seed_without_previous_year_skips_carryover_rules() -> None:
    skipped = dict(run_checks(seed_2018_accounts()).skipped)
    assert skipped["T1-PREV"] == "缺少数据：上年年末结转和结余"
    assert "T4-PREV" in skipped


# --- a clean year and one break per rule kind ----------------------------------------------------------------


def test_clean_year_has_no_findings() -> None:
    accounts = clean_year()
    report = run_checks(accounts, previous_of(accounts))
    assert report.findings == ()
    assert [code for code, _ in report.skipped if code in ("T1-PREV", "T4-PREV")] == []


def _add(model: Any, name: str, amount: str) -> None:
    setattr(model, name, getattr(model, name) + D(amount))


def _break_t3_row(a: Accounts) -> None:
    _add(line(a.expenditure, "2010101"), "total", "5")


def _break_t5_class(a: Accounts) -> None:
    for column in ("total", "basic"):
        _add(line(a.general_budget_expenditure, "201"), column, "3")


def _break_three_public_budget(a: Accounts) -> None:
    a.three_public.budget.reception = a.three_public.actual.reception - D("1")
    _add(a.three_public.budget, "total", "-3")


def _break_rounding(a: Accounts) -> None:
    _add(a.overview, "income_grand_total", "0.01")


def _break_t6_detail(a: Accounts) -> None:
    _add(line(a.basic_expenditure, "30101"), "amount", "1")


def _break_personnel_total(a: Accounts) -> None:
    _add(a.basic_expenditure, "personnel_total", "1")


def _break_reception_within_30217(a: Accounts) -> None:
    _add(line(a.basic_expenditure, "30217"), "amount", "-2")
    _add(line(a.basic_expenditure, "30299"), "amount", "2")


def _break_three_public_sum(a: Accounts) -> None:
    _add(a.three_public.actual, "total", "1")


def _break_gov_fund(a: Accounts) -> None:
    a.gov_fund.has_data = True
    a.gov_fund.income = D("5")


def _break_gov_fund_note(a: Accounts) -> None:
    a.gov_fund.note = None


def _break_operating_costs(a: Accounts) -> None:
    _add(a.operating_costs, "actual", "8")


def _break_t2_row(a: Accounts) -> None:
    _add(line(a.income_table, "2080505"), "fiscal", "1")


def _break_income_source(a: Accounts) -> None:
    _add(a.income, "general_budget", "1")


def _break_t4_carryover_end(a: Accounts) -> None:
    _add(a.fiscal_overview, "carryover_end", "1")


def _break_non_fiscal_balance(a: Accounts) -> None:
    a.overview.non_fiscal_balance_used = D("3")


BREAKS: list[tuple[Callable[[Accounts], None], set[tuple[str, str]]]] = [
    (_break_t3_row, {("T3-ROW", "error"), ("T3-HIER", "error")}),
    (_break_t5_class, {("T5-HIER", "error")}),
    (_break_three_public_budget, {("T7-LIMIT-RECEPTION", "warning")}),
    (_break_rounding, {("T1-BAL-IN", "info"), ("T1-TOTALS", "info")}),
    (_break_t6_detail, {("T6-301", "error")}),
    (_break_personnel_total, {("T6-PERSONNEL", "error"), ("T5-T6", "error")}),
    (_break_reception_within_30217, {("T7-T6-RECEPTION", "warning")}),
    (_break_three_public_sum, {("T7-ACTUAL-SUM", "error")}),
    (_break_gov_fund, {("T8-T4", "warning"), ("T8-T4-INCOME", "error")}),
    (_break_gov_fund_note, {("T8-NOTE", "info")}),
    (_break_operating_costs, {("OPS-PUBLIC", "info")}),
    (_break_t2_row, {("T2-ROW", "error"), ("T2-HIER", "error")}),
    (_break_income_source, {("T1-INCOME", "error"), ("T1-T4-GENERAL", "error")}),
    (_break_t4_carryover_end, {("T4-BAL-OUT", "error"), ("T4-BALANCE", "error")}),
    (_break_non_fiscal_balance, {("T1-BAL-IN", "error")}),
]


@pytest.mark.parametrize(("breaking", "expected"), BREAKS, ids=[b.__name__.removeprefix("_break_") for b, _ in BREAKS])
def test_one_broken_figure_fires_its_rule(breaking: Callable[[Accounts], None], expected: set) -> None:
    accounts = clean_year()
    previous = previous_of(accounts)
    breaking(accounts)
    report = run_checks(accounts, previous)
    assert found(report) == expected
    for finding in report.findings:
        assert finding.message.startswith(
            finding.table.split()[0] if finding.table.startswith("公开") else finding.table
        )
        assert finding.paths


def test_previous_year_carryover_mismatch_is_an_error() -> None:
    accounts = clean_year()
    previous = previous_of(accounts)
    previous.overview.carryover_end = D("25.00")
    report = run_checks(accounts, previous)
    assert found(report) == {("T1-PREV", "error")}
    (error,) = report.errors
    assert "上年年末结转和结余 25.00" in error.message and "20.00" in error.message and "相差 5.00" in error.message


def test_t3_row_message_names_columns_and_figures() -> None:
    accounts = clean_year()
    _break_t3_row(accounts)
    finding = next(f for f in run_checks(accounts).findings if f.code == "T3-ROW")
    assert finding.row == "2010101 行政运行"
    assert finding.message == (
        "公开03表 · 2010101 行政运行：本年支出合计 315.35，基本支出 310.35 + 项目支出 0.00 = 310.35，相差 5.00"
    )
    assert finding.paths == (
        "expenditure.lines[2010101].total",
        "expenditure.lines[2010101].basic",
        "expenditure.lines[2010101].project",
    )


def test_one_cent_is_info_and_two_cents_is_error() -> None:
    accounts = clean_year()
    _add(line(accounts.expenditure, "2080505"), "basic", "0.01")
    _add(line(accounts.expenditure, "2080505"), "total", "0.01")
    report = run_checks(accounts)
    assert found(report) == {("T3-HIER", "info")}
    assert all("可能为四舍五入差异" in f.message for f in report.findings)
    accounts = clean_year()
    _add(line(accounts.expenditure, "2080505"), "basic", "0.02")
    assert found(run_checks(accounts)) == {("T3-ROW", "error"), ("T3-HIER", "error")}


def test_three_public_over_budget_is_a_warning_naming_both_figures() -> None:
    accounts = clean_year()
    _break_three_public_budget(accounts)
    (warning,) = run_checks(accounts).warnings
    assert warning.message == (
        "公开07表 · 公务接待费：“三公”经费决算数·公务接待费 4.80，超过“三公”经费预算数·公务接待费 3.80，超出 1.00"
    )


# --- missing data -----------------------------------------------------------------------------------------------


def test_missing_data_skips_rules_and_finds_nothing() -> None:
    accounts = Accounts(year=2018, overview=Overview(expenditure_total=D("619.54")))
    report = run_checks(accounts)
    assert report.findings == ()
    skipped = dict(report.skipped)
    assert skipped["T1-T3"] == "缺少数据：公开03表合计·本年支出合计"
    assert skipped["T1-BAL-OUT"].startswith("缺少数据：")
    assert skipped["T3-ROW"] == "缺少数据：公开03表 支出决算表"
    assert skipped["T6-301"] == "缺少数据：公开06表 一般公共预算财政拨款基本支出决算表"
    assert skipped["T1-INCOME"].startswith("缺少数据：")
    assert {code for code, _ in report.skipped} >= {"T1-BAL-IN", "T1-T3-CLASS", "T5-HIER", "T7-LIMIT-TOTAL", "T8-NOTE"}
    assert all(reason.startswith("缺少数据") for _, reason in report.skipped)


def test_a_missing_key_total_skips_but_a_missing_optional_term_counts_zero() -> None:
    accounts = clean_year()
    accounts.overview.carryover_begin = None
    report = run_checks(accounts)
    assert "T1-BAL-IN" in dict(report.skipped)
    assert found(report) == set()
    accounts = clean_year()
    assert accounts.overview.balance_distribution is None
    assert "T1-BAL-OUT" not in dict(run_checks(accounts).skipped)


def test_a_missing_row_cell_is_skipped_not_reported() -> None:
    accounts = clean_year()
    line(accounts.expenditure, "2010101").total = None
    report = run_checks(accounts)
    assert ("T3-ROW", "缺少数据：2010101 行政运行 本年支出合计") in report.skipped
    assert not any(f.code == "T3-ROW" for f in report.findings)


# --- the rule list ----------------------------------------------------------------------------------------------


def test_rule_codes_are_unique_and_described() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert rule.severity in ("error", "warning", "info")
        assert rule.table.startswith(("公开0", "决算说明"))
        assert rule.title and not rule.title.isascii()


def test_formula_rules_name_known_figures_and_optional_terms_are_summands() -> None:
    for rule in RULES:
        if not isinstance(rule, Identity):
            continue
        for side in (rule.left, rule.right):
            terms = [term.strip() for term in side.split("+")]
            for name in terms:
                derived = name.startswith(("econ_", "classes."))
                assert derived or figure_paths.is_known(name), (rule.code, name)
        for name in rule.optional:
            assert name in [t.strip() for t in (rule.left + "+" + rule.right).split("+")], (rule.code, name)


def test_table_rules_cover_the_function_tables() -> None:
    kinds = {(type(rule).__name__, rule.table.split()[0]) for rule in RULES if isinstance(rule, (RowSum, Hierarchy))}
    assert kinds == {
        (kind, table) for kind in ("RowSum", "Hierarchy") for table in ("公开02表", "公开03表", "公开05表")
    }


def test_tolerance_is_one_cent() -> None:
    assert TOLERANCE == D("0.01")
    assert Finding.__dataclass_params__.frozen  # type: ignore[attr-defined]


# --- property: balanced tables never produce findings ---------------------------------------------------------

_AMOUNTS = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
_ITEMS = ("2010101", "2010102", "2080505", "2101101")
_ECON_POOL = ("30101", "30102", "30113", "30302", "30201", "30212", "30217", "30231", "30299", "31002", "39999")


@settings(max_examples=60, deadline=None)
@given(
    spending=st.lists(
        st.tuples(st.sampled_from(_ECON_POOL), st.sampled_from(_ITEMS), _AMOUNTS), min_size=1, max_size=20
    ),
    projects=st.lists(_AMOUNTS, min_size=len(_ITEMS), max_size=len(_ITEMS)),
    carry=st.tuples(_AMOUNTS, _AMOUNTS),
    budget_extra=_AMOUNTS,
)
def test_balanced_tables_have_no_findings(
    spending: list[tuple[str, str, Decimal]],
    projects: list[Decimal],
    carry: tuple[Decimal, Decimal],
    budget_extra: Decimal,
) -> None:
    econ: dict[str, Decimal] = {}
    basic = dict.fromkeys(_ITEMS, D(0))
    for econ_code, item, amount in spending:
        econ[econ_code] = econ.get(econ_code, D(0)) + amount
        basic[item] += amount
    items = {item: (basic[item], project) for item, project in zip(_ITEMS, projects, strict=True)}
    accounts = balanced_accounts(items, econ, carry_begin=carry[0], carry_end=carry[1], budget_extra=budget_extra)
    report = run_checks(accounts, previous_of(accounts))
    assert report.errors == ()
    assert report.findings == ()


def test_demo_workspace_holds_the_seed_tables_figure_for_figure() -> None:
    from pathlib import Path

    from zzperf.workspace import Workspace

    demo = Workspace(Path(__file__).resolve().parent.parent / "zzperf" / "demo").load_accounts(2018)
    seed = seed_2018_accounts()
    for section in TABLE_SECTIONS:
        assert getattr(demo, section) == getattr(seed, section), section
    assert demo.three_public.budget == seed.three_public.budget
    assert demo.three_public.actual == seed.three_public.actual


def test_table_total_must_equal_the_sum_of_its_classes() -> None:
    accounts = seed_2018_accounts()
    for line in accounts.income_table.lines:
        if line.code.startswith("208"):
            line.total += 10
            line.fiscal += 10
    findings = [f for f in run_checks(accounts).findings if f.code == "T2-HIER"]
    assert [(f.severity, f.row) for f in findings] == [("error", "合计"), ("error", "合计")]
    assert "608.72" in findings[0].message and "618.72" in findings[0].message
