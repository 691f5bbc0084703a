"""Importing 决算 tables from Excel: sheets found by the title written in them, amounts in 元, and the template."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tests.conftest import DEMO
from tests.seed_2018 import SEED_2018, T6_PERSONNEL, T6_PUBLIC
from tests.seed_2018 import TABLE_SECTIONS as SECTIONS
from zzperf.accounts import Accounts
from zzperf.errors import ZzperfError
from zzperf.importing import read_import
from zzperf.importing.blank_workbook import write_template
from zzperf.workspace import Workspace

GOV_FUND_NOTE = "株洲市政务服务中心没有政府性基金收入，也没有使用政府性基金收入的支出，故本表无数据"


def yuan(value: str | None, *, text: bool = False) -> Any:
    """A 万元 figure of the seed as Excel would hold it in 元: a number, or text with thousands separators."""
    if value is None:
        return None
    amount = Decimal(value) * 10000
    return f"{amount:,.2f}" if text else float(amount)


def head(sheet: Any, title: str, width: int) -> None:
    sheet.append([title])
    sheet.append(["部门：株洲市政务服务中心", *[None] * (width - 2), "金额单位：元"])
    sheet.append(["2018年度"])


def build_seed_workbook(path: Path) -> None:
    """The seed's tables as staff might type them: one sheet per table, odd sheet names, a shuffled order, 元."""
    seed = SEED_2018
    workbook = Workbook()
    workbook.remove(workbook.active)

    three = workbook.create_sheet("三公")  # rows orientation: items down, 预算数/决算数 across
    head(three, "一般公共预算财政拨款“三公”经费支出决算表", 3)
    three.append(["项目", "预算数", "决算数"])
    labels = {
        "total": "合计",
        "abroad": "因公出国（境）费",
        "vehicle": "公务用车购置及运行费",
        "vehicle_purchase": "其中：公务用车购置费",
        "vehicle_operation": "公务用车运行费",
        "reception": "公务接待费",
    }
    for key, label in labels.items():
        three.append([label, yuan(seed["three_public"]["budget"][key]), yuan(seed["three_public"]["actual"][key])])

    basic = workbook.create_sheet("Sheet6")
    head(basic, "一般公共预算财政拨款基本支出决算表", 6)
    basic.append(["人员经费", None, None, "公用经费"])
    basic.append(["科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数"])
    for index in range(max(len(T6_PERSONNEL), len(T6_PUBLIC))):
        row: list[Any] = [None] * 6
        if index < len(T6_PERSONNEL):
            code, name, amount = T6_PERSONNEL[index]
            row[0:3] = [code, name, yuan(amount)]
        if index < len(T6_PUBLIC):
            code, name, amount = T6_PUBLIC[index]
            row[3:6] = [int(code), name, yuan(amount, text=True)]  # codes typed as numbers, amounts as text
        basic.append(row)
    basic.append([None, "人员经费合计", yuan("266.19"), None, "公用经费合计", yuan("313.35")])

    income = workbook.create_sheet("收入")
    head(income, "收入决算表", 9)
    income.append(
        [
            "科目编码",
            "科目名称",
            "本年收入合计",
            "财政拨款收入",
            "上级补助收入",
            "事业收入",
            "经营收入",
            "附属单位上缴收入",
            "其他收入",
        ]
    )
    columns = ("total", "fiscal", "superior_subsidy", "business", "operating", "affiliated", "other")
    income.append([None, "合计", *[yuan(seed["income_table"]["total"][c]) for c in columns]])
    for line in seed["income_table"]["lines"]:
        income.append([line["code"], line["name"], *[yuan(line[c]) for c in columns]])

    fund = workbook.create_sheet("基金")
    head(fund, "政府性基金预算财政拨款收入支出决算表", 8)
    fund.append(["科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出", None, None, "年末结转和结余"])
    fund.append([None, None, None, None, "小计", "基本支出", "项目支出"])
    fund.append([None, "合计"])
    fund.append([f"注：本表反映政府性基金收支。（{GOV_FUND_NOTE}）"])

    gbe = workbook.create_sheet("05")
    head(gbe, "一般公共预算财政拨款支出决算表", 5)
    gbe.append(["科目编码", "科目名称", "本年支出", None, None])
    gbe.append([None, None, "小计", "基本支出", "项目支出"])
    spend = ("total", "basic", "project")
    gbe.append([None, "合计", *[yuan(seed["general_budget_expenditure"]["total"][c]) for c in spend]])
    for line in seed["general_budget_expenditure"]["lines"]:
        gbe.append([line["code"], line["name"], *[yuan(line[c]) for c in spend]])

    overview = workbook.create_sheet("总表")  # the 2021 layout: one amount column on each side
    head(overview, "收入支出决算总表", 6)
    overview.append(["项目", "行次", "金额", "项目", "行次", "金额"])
    o, i = seed["overview"], seed["income"]
    overview.append(
        ["一、一般公共预算财政拨款收入", 1, yuan(i["general_budget"]), "一、一般公共服务支出", 9, yuan("577.72")]
    )
    overview.append(
        ["二、政府性基金预算财政拨款收入", 2, yuan(i["gov_fund"]), "二、社会保障和就业支出", 10, yuan("20.10")]
    )
    overview.append([None, 3, None, "三、医疗卫生与计划生育支出", 11, yuan("21.72")])
    overview.append(["本年收入合计", 4, yuan(o["income_total"]), "本年支出合计", 12, yuan(o["expenditure_total"])])
    overview.append(["使用非财政拨款结余", 5, None, "结余分配", 13, None])  # blank: no data, not zero
    overview.append(["年初结转和结余", 6, yuan(o["carryover_begin"]), "年末结转和结余", 14, yuan(o["carryover_end"])])
    overview.append(["总计", 7, yuan(o["income_grand_total"]), "总计", 15, yuan(o["expenditure_grand_total"])])

    expenditure = workbook.create_sheet("支出")
    head(expenditure, "支出决算表", 8)
    expenditure.append(
        [
            "科目编码",
            "科目名称",
            "本年支出合计",
            "基本支出",
            "项目支出",
            "上缴上级支出",
            "经营支出",
            "对附属单位补助支出",
        ]
    )
    columns = ("total", "basic", "project", "remit", "operating", "affiliated")
    expenditure.append([None, "合计", *[yuan(seed["expenditure"]["total"][c]) for c in columns]])
    for line in seed["expenditure"]["lines"]:
        expenditure.append([line["code"], line["name"], *[yuan(line[c]) for c in columns]])

    fiscal = workbook.create_sheet("财政拨款总表")
    head(fiscal, "财政拨款收入支出决算总表", 8)
    fiscal.append([None, None, None, "支出"])
    fiscal.append(["项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"])
    f = seed["fiscal_overview"]
    fiscal.append(
        [
            "一、一般公共预算财政拨款",
            1,
            yuan(f["general_budget_income"]),
            "一、一般公共服务支出",
            8,
            yuan("577.72"),
            yuan("577.72"),
            0,
        ]
    )
    fiscal.append(
        [
            "二、政府性基金预算财政拨款",
            2,
            yuan(f["gov_fund_income"]),
            "二、社会保障和就业支出",
            9,
            yuan("20.10"),
            yuan("20.10"),
            0,
        ]
    )
    fiscal.append([None, 3, None, "三、医疗卫生与计划生育支出", 10, yuan("21.72"), yuan("21.72"), 0])
    fiscal.append(
        [
            "本年收入合计",
            4,
            yuan(f["income_total"]),
            "本年支出合计",
            11,
            yuan(f["expenditure_total"]),
            yuan(f["expenditure_general"]),
            yuan(f["expenditure_gov_fund"]),
        ]
    )
    fiscal.append(
        [
            "年初财政拨款结转和结余",
            5,
            yuan(f["carryover_begin"]),
            "年末财政拨款结转和结余",
            12,
            yuan(f["carryover_end"]),
            yuan(f["carryover_end"]),
            0,
        ]
    )
    fiscal.append(["一般公共预算财政拨款", 6, yuan(f["carryover_begin_general"]), None, 13])
    fiscal.append(["政府性基金预算财政拨款", 7, yuan(f["carryover_begin_gov_fund"]), None, 14])
    fiscal.append(
        [
            "总计",
            8,
            yuan(f["income_grand_total"]),
            "总计",
            15,
            yuan(f["expenditure_grand_total"]),
            yuan(f["expenditure_grand_total"]),
            0,
        ]
    )
    workbook.save(path)


def test_workbook_in_yuan_in_another_order_imports_to_the_demo_figures(tmp_path: Path) -> None:
    path = tmp_path / "决算.xlsx"
    build_seed_workbook(path)
    result = read_import(path)
    assert result.problems == []
    assert result.form == "Excel" and result.year == 2018 and result.department == "株洲市政务服务中心"
    assert {table.unit for table in result.tables} == {"元"}
    accounts = Accounts.model_validate({"year": 2018, **result.sections})
    demo = Workspace(DEMO).load_accounts(2018)
    for section in SECTIONS:
        assert getattr(accounts, section) == getattr(demo, section), section
    assert accounts.three_public.budget == demo.three_public.budget
    assert accounts.three_public.actual == demo.three_public.actual
    assert accounts.overview.non_fiscal_balance_used is None  # a blank cell is no data, not 0
    assert result.conflicts == []  # the 总表s' class lines agree with the 支出决算表 and 05表


def test_workbook_class_lines_that_disagree_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "决算.xlsx"
    build_seed_workbook(path)
    workbook = load_workbook(path)
    sheet = workbook["总表"]
    for row in sheet.iter_rows():
        if row[3].value == "一、一般公共服务支出":
            row[5].value = float(Decimal("577.00") * 10000)
    workbook.save(path)
    result = read_import(path)
    assert [conflict.message for conflict in result.conflicts] == [
        "“一般公共服务支出”：公开01表 收入支出决算总表 577.00，公开0"
        "3表 支出决算表 201 一般公共服务支出 577.72，相差 0.72"
    ]


def test_formulas_are_read_as_their_saved_values_and_never_run(tmp_path: Path) -> None:
    """openpyxl writes no cached values, so a formula cell reads as blank: the import says what it could not read."""
    path = tmp_path / "决算.xlsx"
    build_seed_workbook(path)
    workbook = load_workbook(path)
    sheet = workbook["收入"]
    sheet["C5"] = "=SUM(C6:C7)"
    workbook.save(path)
    result = read_import(path)
    assert "total" not in result.sections["income_table"]["total"]
    assert (
        "工作表“收入”C5 是公式，文件中没有保存计算结果，未读取：请在 Excel 或 WPS 中打开并保存后再导入" in result.notes
    )


def test_a_sheet_without_a_title_is_named_by_its_sheet_name_or_reported(tmp_path: Path) -> None:
    path = tmp_path / "决算.xlsx"
    build_seed_workbook(path)
    workbook = load_workbook(path)
    workbook["收入"]["A1"] = None
    workbook["支出"]["A1"] = None
    workbook["支出"].title = "支出决算表"
    workbook.save(path)
    result = read_import(path)
    assert any("按工作表名称识别" in note for note in result.notes)
    assert any("工作表“收入”中没有找到表名" in note for note in result.notes)
    assert result.missing == ["income_table"]


def test_unit_and_label_beside_the_title_in_one_row(tmp_path: Path) -> None:
    path = tmp_path / "一张表.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["收入决算表", None, None, "公开02表", "金额单位：元"])
    sheet.append(["部门：某局", None, "2018年度"])
    sheet.append(["科目编码", "科目名称", "本年收入合计", "财政拨款收入"])
    sheet.append([None, "合计", 1000000, 1000000])
    sheet.append([201, "一般公共服务支出", 1000000, "1,000,000.00"])
    workbook.save(path)
    result = read_import(path)
    table = result.found["income_table"]
    assert (table.unit, table.label, table.department, table.year) == ("元", "公开02表", "某局", 2018)
    assert result.sections["income_table"]["lines"] == [
        {"code": "201", "name": "一般公共服务支出", "total": Decimal("100.00"), "fiscal": Decimal("100.00")}
    ]


def test_a_broken_workbook_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ZzperfError, match="不是有效的 Excel"):
        read_import(path)


# ─── the template ───────────────────────────────────────────────────────────────


def _find(sheet: Any, text: str, min_row: int = 1) -> Any:
    for row in sheet.iter_rows(min_row=min_row):
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text} not in {sheet.title}")


def _put_right(sheet: Any, label: str, *values: Any, offset: int = 2) -> None:
    cell = _find(sheet, label, min_row=5)  # below the header row
    for index, value in enumerate(values):
        sheet.cell(row=cell.row, column=cell.column + offset + index, value=value)


def fill_template(path: Path) -> None:
    """Type the seed into the blank template the way a user would (万元, as printed)."""
    seed = SEED_2018
    workbook = load_workbook(path)
    for sheet in workbook.worksheets[1:]:
        _find(sheet, "部门：").value = "部门：株洲市政务服务中心"
        _find(sheet, "年度：").value = "年度：2018"
    o, i, f = seed["overview"], seed["income"], seed["fiscal_overview"]
    t1 = workbook["公开01表"]
    _put_right(t1, "一、一般公共预算财政拨款收入", i["general_budget"])
    _put_right(t1, "二、政府性基金预算财政拨款收入", i["gov_fund"])
    for label, key in (
        ("本年收入合计", "income_total"),
        ("年初结转和结余", "carryover_begin"),
        ("本年支出合计", "expenditure_total"),
        ("年末结转和结余", "carryover_end"),
    ):
        _put_right(t1, label, o[key])
    totals = [cell for row in t1.iter_rows() for cell in row if cell.value == "总计"]
    t1.cell(row=totals[0].row, column=3, value=o["income_grand_total"])
    t1.cell(row=totals[1].row, column=6, value=o["expenditure_grand_total"])
    _put_right(t1, "一、一般公共服务支出", "577.72")

    t4 = workbook["公开04表"]
    _put_right(t4, "一、一般公共预算财政拨款", f["general_budget_income"])
    _put_right(t4, "二、政府性基金预算财政拨款", f["gov_fund_income"])
    _put_right(t4, "本年收入合计", f["income_total"])
    _put_right(t4, "年初财政拨款结转和结余", f["carryover_begin"])
    _put_right(t4, "一般公共预算财政拨款", f["carryover_begin_general"])
    _put_right(t4, "政府性基金预算财政拨款", f["carryover_begin_gov_fund"])
    _put_right(t4, "本年支出合计", f["expenditure_total"], f["expenditure_general"], f["expenditure_gov_fund"])
    _put_right(t4, "年末财政拨款结转和结余", f["carryover_end"])
    totals = [cell for row in t4.iter_rows() for cell in row if cell.value == "总计"]
    t4.cell(row=totals[0].row, column=3, value=f["income_grand_total"])
    t4.cell(row=totals[1].row, column=6, value=f["expenditure_grand_total"])

    for name, section, columns in (
        (
            "公开02表",
            "income_table",
            ("total", "fiscal", "superior_subsidy", "business", "operating", "affiliated", "other"),
        ),
        ("公开03表", "expenditure", ("total", "basic", "project", "remit", "operating", "affiliated")),
        ("公开05表", "general_budget_expenditure", ("total", "basic", "project")),
    ):
        sheet = workbook[name]
        _put_right(sheet, "合计", *[seed[section]["total"][c] for c in columns], offset=1)
        for row, line in enumerate(seed[section]["lines"], start=6):
            sheet.cell(row=row, column=1, value=line["code"])
            sheet.cell(row=row, column=2, value=line["name"])
            for column, key in enumerate(columns, start=3):
                sheet.cell(row=row, column=column, value=line[key])

    t6 = workbook["公开06表"]
    for row in t6.iter_rows(min_row=6):
        for cell in row:
            cell.value = None
    public_goods = [row for row in T6_PUBLIC if row[0].startswith("302")]
    others = [row for row in T6_PUBLIC if not row[0].startswith("302")]
    for block, rows in enumerate((T6_PERSONNEL, public_goods, others)):
        for index, (code, name, amount) in enumerate(rows):
            for offset, value in enumerate((code, name, amount)):
                t6.cell(row=6 + index, column=1 + 3 * block + offset, value=value)
    last = 6 + max(len(T6_PERSONNEL), len(public_goods), len(others))
    for column, value in ((2, "人员经费合计"), (3, "266.19"), (5, "公用经费合计"), (6, "313.35")):
        t6.cell(row=last, column=column, value=value)

    t7 = workbook["公开07表"]
    order = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
    for column, value in enumerate(
        [seed["three_public"]["budget"][k] for k in order] + [seed["three_public"]["actual"][k] for k in order], start=1
    ):
        t7.cell(row=7, column=column, value=float(value))

    t8 = workbook["公开08表"]
    _find(t8, "注：").value = f"注：{GOV_FUND_NOTE}。"
    workbook.save(path)


def test_template_filled_in_imports_to_the_demo_figures(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    fill_template(path)
    result = read_import(path)
    assert result.problems == [], result.problems
    accounts = Accounts.model_validate({"year": 2018, **result.sections})
    demo = Workspace(DEMO).load_accounts(2018)
    for section in SECTIONS:
        assert getattr(accounts, section) == getattr(demo, section), section
    assert accounts.three_public.budget == demo.three_public.budget
    assert accounts.three_public.actual == demo.three_public.actual


def test_blank_template_has_every_table_and_no_figures(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_template(path)
    result = read_import(path, year=2018)
    assert result.missing == []
    assert [problem.message for problem in result.problems] == ["各表中没有读到任何数字"]
    assert result.sections["gov_fund"] == {"has_data": False}


def test_template_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    path.write_bytes(b"mine")
    with pytest.raises(ZzperfError, match="已存在"):
        write_template(path)
    assert path.read_bytes() == b"mine"
