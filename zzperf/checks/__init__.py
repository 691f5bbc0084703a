"""勾稽关系: consistency checks across the 决算 tables 公开01–08表, as declarative rules with stable codes.

A difference of at most ``TOLERANCE`` is reported as info (可能为四舍五入差异); a larger one at the rule's
severity. Missing data never produces a finding: the rule is listed in ``CheckReport.skipped`` instead.
Terms a table often does not print (使用非财政拨款结余, 结余分配, 政府性基金 columns, optional 类 rows)
count as 0 when absent, as each rule's ``optional`` says; a side with no data at all is skipped.

Codes: ``T1``–``T8`` name the table (公开01–08表, the 2018 8-table set); each rule's ``title`` says what it checks.
T1-BAL-IN/-BAL-OUT/-TOTALS/-INCOME/-PREV, T1-T2, T1-T3, T1-T3-CLASS, T1-T4-GENERAL, T1-T4-GOV-FUND;
T2-ROW, T2-HIER; T3-ROW, T3-HIER; T4-INCOME/-CARRY-BEGIN/-EXPEND/-BAL-IN/-BAL-OUT/-TOTALS/-BALANCE/-PREV, T4-T5;
T5-ROW, T5-HIER, T5-T6; T6-301 … T6-399 (类 = Σ款), T6-PERSONNEL, T6-PUBLIC; T7-BUDGET-SUM/-VEHICLE,
T7-ACTUAL-SUM/-VEHICLE, T7-LIMIT-TOTAL/-ABROAD/-VEHICLE/-RECEPTION, T7-T6-ABROAD/-VEHICLE/-RECEPTION;
T8-NOTE, T8-T4, T8-T4-INCOME, T8-BALANCE, T8-EXPEND; OPS-PUBLIC (机关运行经费 vs 公用经费).
"""

from __future__ import annotations

import re
from functools import cache

from zzperf.accounts import Accounts
from zzperf.checks.rules import (
    ECONOMIC_CLASSES,
    SECTION_TABLES,
    SEVERITY_RANK,
    SEVERITY_WORDS,
    T1,
    T2,
    T3,
    T4,
    T5,
    T6,
    T7,
    T8,
    TOLERANCE,
    BySeverity,
    CheckReport,
    Context,
    Finding,
    Hierarchy,
    Identity,
    NotExceed,
    RowSum,
    Rule,
    Severity,
    short_table,
)
from zzperf.checks.table import RULES

__all__ = [
    "ECONOMIC_CLASSES",
    "RULES",
    "SECTION_TABLES",
    "SEVERITY_RANK",
    "SEVERITY_WORDS",
    "TOLERANCE",
    "BySeverity",
    "CheckReport",
    "Finding",
    "Identity",
    "NotExceed",
    "Hierarchy",
    "Rule",
    "RowSum",
    "Severity",
    "T1",
    "T2",
    "T3",
    "T4",
    "T5",
    "T6",
    "T7",
    "T8",
    "rule_name",
    "run_checks",
]


def run_checks(accounts: Accounts, previous: Accounts | None = None) -> CheckReport:
    """Check every rule in ``RULES`` against one year (and the previous year, for carry-over rules)."""
    context = Context(accounts, previous)
    findings: list[Finding] = []
    skipped: list[tuple[str, str]] = []
    for rule in RULES:
        for outcome in rule.check(context):
            if isinstance(outcome, Finding):
                findings.append(outcome)
            elif not (accounts.gov_fund.has_data is False and outcome.code in _GOV_FUND_DATA_RULES):
                skipped.append((outcome.code, outcome.reason))
    return CheckReport(tuple(findings), tuple(skipped))


_GOV_FUND_DATA_RULES = {"T8-T4-INCOME", "T8-BALANCE", "T8-EXPEND"}
"""Rules over 公开08表 figures; a table declared empty has none, so they are not "skipped for lack of data"."""


_NARRATIVE_NAMES = {
    "N-AMOUNT": "文中金额与决算数据一致",
    "N-SHARE": "文中占比与决算数据一致",
    "N-RATIO": "文中预算完成比例与决算数据一致",
    "N-CHANGE": "文中与上年相比的增减与决算数据一致",
    "N-COUNT": "文中人数、批次、车辆数与决算数据一致",
    "N-YEAR": "文中年度与报告年度一致",
}
"""The 说明核对 rules of ``narrative``, by code (they report ``Finding``s as the 勾稽 rules do)."""


@cache
def _rule_names() -> dict[str, str]:
    names = {rule.code: f"{short_table(rule.table)}：{re.sub(r'（[^（）]*）$', '', rule.title)}" for rule in RULES}
    return names | _NARRATIVE_NAMES


def rule_name(code: str) -> str:
    """What a rule checks, as users read it (公开01表：收入总计 = 支出总计); the code itself for an unknown code.

    Users see rule names; the codes are stable keys for scripts and appear only on request (``--verbose``).
    """
    return _rule_names().get(code, code)
