"""株洲市政务服务中心 2018 年度部门决算, 公开01–08表 typed as printed in the seed document (万元).

The seed's 公开01表 is printed with the layout of 财政拨款收入支出决算总表, so its income side lists only the
two 财政拨款 lines and no 使用非财政拨款结余 / 结余分配 rows; those keys are left out (no data).
Known flaws kept on purpose: 总计 628.15 ≠ 608.72 + 19.44 = 628.16 (rounding), and 公开06表
301 工资福利支出 249.86 ≠ Σ款 258.88.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from zzperf.accounts import Accounts

SEED_TEXT = Path(__file__).resolve().parent.parent / "zzperf" / "demo" / "2018" / "部门决算公开全文.txt"
"""The seed document as extracted from the PDF, shipped with the demo workspace for ``zzperf check --text``."""

ZEROS = {"superior_subsidy": "0.00", "business": "0.00", "operating": "0.00", "affiliated": "0.00", "other": "0.00"}
"""The 公开02表 columns after 财政拨款收入, all 0.00 in the seed."""

NIL = {"remit": "0.00", "operating": "0.00", "affiliated": "0.00"}
"""The last three columns of 公开03表, all 0.00 in the seed."""


def _income(code: str, name: str, amount: str) -> dict[str, Any]:
    return {"code": code, "name": name, "total": amount, "fiscal": amount, **ZEROS}


def _spend(code: str, name: str, total: str, basic: str, project: str, *, t3: bool) -> dict[str, Any]:
    return {"code": code, "name": name, "total": total, "basic": basic, "project": project, **(NIL if t3 else {})}


T3_ROWS = [
    ("201", "一般公共服务支出", "577.72", "537.72", "40.00"),
    ("20103", "政府办公厅(室)及相关机构事务", "577.72", "537.72", "40.00"),
    ("2010301", "行政运行", "485.47", "485.47", "0.00"),
    ("2010302", "一般行政管理事务", "40.00", "0.00", "40.00"),
    ("2010399", "其他政府办公厅(室)及相关机构事务支出", "52.25", "52.25", "0.00"),
    ("208", "社会保障和就业支出", "20.10", "20.10", "0.00"),
    ("20805", "行政事业单位离退休", "20.10", "20.10", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "20.10", "20.10", "0.00"),
    ("210", "医疗卫生与计划生育支出", "21.72", "21.72", "0.00"),
    ("21011", "行政事业单位医疗", "21.72", "21.72", "0.00"),
    ("2101101", "行政单位医疗", "16.52", "16.52", "0.00"),
    ("2101103", "公务员医疗补助", "5.20", "5.20", "0.00"),
]
"""公开03表 rows (本年支出合计, 基本支出, 项目支出); 公开05表 has the same figures with full-width （室）."""

T6_PERSONNEL = [
    ("301", "工资福利支出", "249.86"),
    ("30101", "基本工资", "64.11"),
    ("30102", "津贴补贴", "8.69"),
    ("30103", "奖金", "44.32"),
    ("30106", "伙食补助费", "31.00"),
    ("30107", "绩效工资", "49.46"),
    ("30108", "机关事业单位基本养老保险缴费", "24.18"),
    ("30109", "职业年金缴费", "0.94"),
    ("30110", "职工基本医疗保险缴费", "0.00"),
    ("30111", "公务员医疗补助缴费", "0.00"),
    ("30112", "其他社会保障缴费", "10.73"),
    ("30113", "住房公积金", "25.45"),
    ("30114", "医疗费", "0.00"),
    ("30199", "其他工资福利支出", "0.00"),
    ("303", "对个人和家庭的补助", "16.33"),
    ("30301", "离休费", "0.00"),
    ("30302", "退休费", "0.00"),
    ("30303", "退职（役）费", "0.00"),
    ("30304", "抚恤金", "0.00"),
    ("30305", "生活补助", "0.00"),
    ("30306", "救济费", "0.00"),
    ("30307", "医疗费补助", "16.03"),
    ("30308", "助学金", "0.00"),
    ("30309", "奖励金", "0.30"),
    ("30310", "个人农业生产补贴", "0.00"),
    ("30399", "其他对个人和家庭的补助支出", "0.00"),
]
"""公开06表 人员经费 block."""

T6_PUBLIC = [
    ("302", "商品和服务支出", "313.35"),
    ("30201", "办公费", "8.54"),
    ("30202", "印刷费", "24.78"),
    ("30203", "咨询费", "0.00"),
    ("30204", "手续费", "0.00"),
    ("30205", "水费", "1.68"),
    ("30206", "电费", "42.72"),
    ("30207", "邮电费", "14.73"),
    ("30208", "取暖费", "13.66"),
    ("30209", "物业管理费", "47.90"),
    ("30211", "差旅费", "9.00"),
    ("30212", "因公出国（境）费用", "0.00"),
    ("30213", "维修（护）费", "19.27"),
    ("30214", "租赁费", "0.00"),
    ("30215", "会议费", "0.14"),
    ("30216", "培训费", "5.09"),
    ("30217", "公务接待费", "0.44"),
    ("30218", "专用材料费", "0.00"),
    ("30224", "被装购置费", "0.00"),
    ("30225", "专用燃料费", "0.00"),
    ("30226", "劳务费", "55.91"),
    ("30227", "委托业务费", "8.77"),
    ("30228", "工会经费", "1.92"),
    ("30229", "福利费", "5.55"),
    ("30231", "公务用车运行维护费", "3.77"),
    ("30239", "其他交通费用", "14.20"),
    ("30240", "税金及附加费用", "0.00"),
    ("30299", "其他商品和服务支出", "35.28"),
    ("307", "债务利息及费用支出", "0.00"),
    ("30701", "国内债务付息", "0.00"),
    ("30702", "国外债务付息", "0.00"),
    ("310", "资本性支出", "0.00"),
    ("31001", "房屋建筑物购建", "0.00"),
    ("31002", "办公设备购置", "0.00"),
    ("31003", "专用设备购置", "0.00"),
    ("31005", "基础设施建设", "0.00"),
    ("31006", "大型修缮", "0.00"),
    ("31007", "信息网络及软件购置更新", "0.00"),
    ("31008", "物资储备", "0.00"),
    ("31009", "土地补偿", "0.00"),
    ("31010", "安置补助", "0.00"),
    ("31011", "地上附着物和青苗补偿", "0.00"),
    ("31012", "拆迁补偿", "0.00"),
    ("31013", "公务用车购置", "0.00"),
    ("31019", "其他交通工具购置", "0.00"),
    ("31021", "文物和陈列品购置", "0.00"),
    ("31022", "无形资产购置", "0.00"),
    ("31099", "其他资本性支出", "0.00"),
    ("399", "其他支出", "0.00"),
    ("39906", "赠与", "0.00"),
    ("39907", "国家赔偿费用支出", "0.00"),
    ("39908", "对民间非营利组织和群众性自治组织补贴", "0.00"),
    ("39999", "其他支出", "0.00"),
]
"""公开06表 公用经费 blocks (the 302 column, then the 307/310/399 column)."""

SEED_2018: dict[str, Any] = {
    "year": 2018,
    "overview": {
        "income_total": "608.72",
        "carryover_begin": "19.44",
        "income_grand_total": "628.15",
        "expenditure_total": "619.54",
        "carryover_end": "8.61",
        "expenditure_grand_total": "628.15",
    },
    "income": {"general_budget": "608.72", "gov_fund": "0"},
    "income_table": {
        "total": {"total": "608.72", "fiscal": "608.72", **ZEROS},
        "lines": [
            _income("201", "一般公共服务支出", "566.90"),
            _income("20103", "政府办公厅（室）及相关机构事务", "566.90"),
            _income("2010301", "行政运行", "474.65"),
            _income("2010302", "一般行政管理事务", "40.00"),
            _income("2010399", "其他政府办公厅（室）及相关机构事务支出", "52.25"),
            _income("208", "社会保障和就业支出", "20.10"),
            _income("20805", "行政事业单位离退休", "20.10"),
            _income("2080505", "机关事业单位基本养老保险缴费支出", "20.10"),
            _income("210", "医疗卫生与计划生育支出", "21.72"),
            _income("21011", "行政事业单位医疗", "21.72"),
            _income("2101101", "行政单位医疗", "16.52"),
            _income("2101103", "公务员医疗补助", "5.20"),
        ],
    },
    "expenditure": {
        "total": {"total": "619.54", "basic": "579.54", "project": "40.00", **NIL},
        "lines": [_spend(*row, t3=True) for row in T3_ROWS],
    },
    "fiscal_overview": {
        "general_budget_income": "608.72",
        "gov_fund_income": "0.00",
        "income_total": "608.72",
        "carryover_begin": "19.44",
        "carryover_begin_general": "19.44",
        "carryover_begin_gov_fund": "0.00",
        "income_grand_total": "628.15",
        "expenditure_total": "619.54",
        "expenditure_general": "619.54",
        "expenditure_gov_fund": "0.00",
        "carryover_end": "8.61",
        "expenditure_grand_total": "628.15",
    },
    "general_budget_expenditure": {
        "total": {"total": "619.54", "basic": "579.54", "project": "40.00"},
        "lines": [
            _spend(code, name.replace("(室)", "（室）"), total, basic, project, t3=False)
            for code, name, total, basic, project in T3_ROWS
        ],
    },
    "basic_expenditure": {
        "personnel_total": "266.19",
        "public_total": "313.35",
        "lines": [{"code": code, "name": name, "amount": amount} for code, name, amount in T6_PERSONNEL + T6_PUBLIC],
    },
    "three_public": {
        "budget": {
            "total": "8.00",
            "abroad": "0.00",
            "vehicle": "4.00",
            "vehicle_purchase": "0.00",
            "vehicle_operation": "4.00",
            "reception": "4.00",
        },
        "actual": {
            "total": "4.21",
            "abroad": "0.00",
            "vehicle": "3.77",
            "vehicle_purchase": "0.00",
            "vehicle_operation": "3.77",
            "reception": "0.44",
        },
    },
    "gov_fund": {
        "has_data": False,
        "note": "株洲市政务服务中心没有政府性基金收入，也没有使用政府性基金收入的支出，故本表无数据",
    },
}
"""The seed's 公开01–08表 as an ``accounts.toml``-shaped dict."""


def seed_2018_accounts() -> Accounts:
    """The seed's 2018 tables as ``Accounts``."""
    return Accounts.model_validate(SEED_2018)


TABLE_SECTIONS = (
    "overview",
    "income",
    "income_table",
    "expenditure",
    "fiscal_overview",
    "general_budget_expenditure",
    "basic_expenditure",
    "gov_fund",
)
"""The ``Accounts`` sections that hold the published tables 公开01–08表 (三公 aside: it also holds narrative counts)."""
