"""A clean workbook to type a department's 决算 tables into: one sheet per table, ready for ``zzperf import``.

Each sheet carries the table's name, 金额单位 (万元), 部门 and 年度 cells, the column headers and the
fixed row labels of the published tables, so that only the figures (and the 科目 rows of the coded
tables) need typing.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from zzperf.errors import ZzperfError
from zzperf.tomlio import write_bytes_atomic

INCOME_LINES = (
    "一、一般公共预算财政拨款收入",
    "二、政府性基金预算财政拨款收入",
    "三、国有资本经营预算财政拨款收入",
    "四、上级补助收入",
    "五、事业收入",
    "六、经营收入",
    "七、附属单位上缴收入",
    "八、其他收入",
)
FUNCTION_CLASSES = (
    "一般公共服务支出",
    "外交支出",
    "国防支出",
    "公共安全支出",
    "教育支出",
    "科学技术支出",
    "文化旅游体育与传媒支出",
    "社会保障和就业支出",
    "卫生健康支出",
    "节能环保支出",
    "城乡社区支出",
    "农林水支出",
    "交通运输支出",
    "资源勘探工业信息等支出",
    "商业服务业等支出",
    "金融支出",
    "援助其他地区支出",
    "自然资源海洋气象等支出",
    "住房保障支出",
    "粮油物资储备支出",
    "灾害防治及应急管理支出",
    "其他支出",
)
"""支出功能分类 类 (2021 names); rename a row to match the year's table if it differs."""
NUMERALS = "一二三四五六七八九十"

PERSONNEL = (
    ("301", "工资福利支出"),
    ("30101", "基本工资"),
    ("30102", "津贴补贴"),
    ("30103", "奖金"),
    ("30106", "伙食补助费"),
    ("30107", "绩效工资"),
    ("30108", "机关事业单位基本养老保险缴费"),
    ("30109", "职业年金缴费"),
    ("30110", "职工基本医疗保险缴费"),
    ("30111", "公务员医疗补助缴费"),
    ("30112", "其他社会保障缴费"),
    ("30113", "住房公积金"),
    ("30114", "医疗费"),
    ("30199", "其他工资福利支出"),
    ("303", "对个人和家庭的补助"),
    ("30301", "离休费"),
    ("30302", "退休费"),
    ("30303", "退职（役）费"),
    ("30304", "抚恤金"),
    ("30305", "生活补助"),
    ("30306", "救济费"),
    ("30307", "医疗费补助"),
    ("30308", "助学金"),
    ("30309", "奖励金"),
    ("30310", "个人农业生产补贴"),
    ("30399", "其他对个人和家庭的补助"),
)
GOODS_AND_SERVICES = (
    ("302", "商品和服务支出"),
    ("30201", "办公费"),
    ("30202", "印刷费"),
    ("30203", "咨询费"),
    ("30204", "手续费"),
    ("30205", "水费"),
    ("30206", "电费"),
    ("30207", "邮电费"),
    ("30208", "取暖费"),
    ("30209", "物业管理费"),
    ("30211", "差旅费"),
    ("30212", "因公出国（境）费用"),
    ("30213", "维修（护）费"),
    ("30214", "租赁费"),
    ("30215", "会议费"),
    ("30216", "培训费"),
    ("30217", "公务接待费"),
    ("30218", "专用材料费"),
    ("30224", "被装购置费"),
    ("30225", "专用燃料费"),
    ("30226", "劳务费"),
    ("30227", "委托业务费"),
    ("30228", "工会经费"),
    ("30229", "福利费"),
    ("30231", "公务用车运行维护费"),
    ("30239", "其他交通费用"),
    ("30240", "税金及附加费用"),
    ("30299", "其他商品和服务支出"),
)
OTHER_PUBLIC = (
    ("307", "债务利息及费用支出"),
    ("30701", "国内债务付息"),
    ("30702", "国外债务付息"),
    ("310", "资本性支出"),
    ("31002", "办公设备购置"),
    ("31003", "专用设备购置"),
    ("31006", "大型修缮"),
    ("31007", "信息网络及软件购置更新"),
    ("31013", "公务用车购置"),
    ("31019", "其他交通工具购置"),
    ("31022", "无形资产购置"),
    ("31099", "其他资本性支出"),
    ("399", "其他支出"),
    ("39999", "其他支出"),
)
BLANK_ROWS = 40
"""Empty 科目 rows left in the coded tables."""

INSTRUCTIONS = (
    "填写说明",
    "1. 每个工作表是一张决算公开表，按表名识别，工作表的顺序和名称可以改动，表名那一格不要删。",
    "2. 金额单位默认为万元；如按元填写，请把“金额单位：万元”改为“金额单位：元”。",
    "3. 在“部门：”“年度：”后填写部门名称和决算年度（如 年度：2018）。",
    "4. 收入决算表、支出决算表等按科目逐行填写科目编码、科目名称和金额；“合计”行必填。",
    "5. 基本支出表已列出常见经济分类科目，科目不同可直接改写；“三公”经费表在表头下面一行填写预算数和决算数。",
    "6. 政府性基金表无数据时，在“注：”后写明原因（空表说明）。",
    "7. 填好后运行：zzperf import 本文件.xlsx 工作区目录",
)


def write_template(path: Path) -> None:
    """Write the blank workbook to ``path`` (atomically; an existing file is refused)."""
    if path.exists():
        raise ZzperfError("文件已存在，未覆盖", file=path, hint="换一个文件名，或先删除该文件")
    if path.suffix.lower() != ".xlsx":
        raise ZzperfError("模板文件名应以 .xlsx 结尾", file=path)
    from openpyxl import Workbook

    workbook = Workbook()
    guide = workbook.active
    guide.title = "填写说明"
    for row, text in enumerate(INSTRUCTIONS, start=1):
        guide.cell(row=row, column=1, value=text)
    guide.column_dimensions["A"].width = 100
    _overview(workbook.create_sheet("公开01表"))
    _coded(
        workbook.create_sheet("公开02表"),
        "收入决算表",
        "公开02表",
        ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
    )
    _coded(
        workbook.create_sheet("公开03表"),
        "支出决算表",
        "公开03表",
        ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
    )
    _fiscal(workbook.create_sheet("公开04表"))
    _coded(
        workbook.create_sheet("公开05表"),
        "一般公共预算财政拨款支出决算表",
        "公开05表",
        ("本年支出合计", "基本支出", "项目支出"),
    )
    _basic(workbook.create_sheet("公开06表"))
    _three_public(workbook.create_sheet("公开07表"))
    _gov_fund(workbook.create_sheet("公开08表"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


def _head(sheet: Any, title: str, label: str, width: int) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=2, column=1, value=label)
    sheet.cell(row=2, column=width, value="金额单位：万元")
    sheet.cell(row=3, column=1, value="部门：")
    sheet.cell(row=3, column=width, value="年度：")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["D"].width = 30
    sheet.column_dimensions["E"].width = 30


def _bold_row(sheet: Any, row: int, values: tuple[Any, ...], start: int = 1) -> None:
    from openpyxl.styles import Font

    for offset, value in enumerate(values):
        if value is not None:
            sheet.cell(row=row, column=start + offset, value=value).font = Font(bold=True)


def _two_sided(sheet: Any, left: list[str], right: list[str], left_totals: list[str], right_totals: list[str]) -> None:
    rows = max(len(left), len(right))
    for index in range(rows):
        row = 5 + index
        if index < len(left):
            sheet.cell(row=row, column=1, value=left[index])
        sheet.cell(row=row, column=2, value=index + 1)
        if index < len(right):
            sheet.cell(row=row, column=4, value=right[index])
        sheet.cell(row=row, column=5, value=rows + len(left_totals) + index + 1)
    for offset, (left_label, right_label) in enumerate(zip(left_totals, right_totals)):
        row = 5 + rows + offset
        if left_label:
            sheet.cell(row=row, column=1, value=left_label)
        sheet.cell(row=row, column=2, value=rows + offset + 1)
        if right_label:
            sheet.cell(row=row, column=4, value=right_label)
        sheet.cell(row=row, column=5, value=2 * rows + len(left_totals) + offset + 1)


def _classes() -> list[str]:
    return [f"{_numeral(index + 1)}、{name}" for index, name in enumerate(FUNCTION_CLASSES)]


def _numeral(number: int) -> str:
    if number <= 10:
        return NUMERALS[number - 1]
    if number < 20:
        return "十" + NUMERALS[number - 11]
    tens, ones = divmod(number, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def _overview(sheet: Any) -> None:
    _head(sheet, "收入支出决算总表", "公开01表", 6)
    _bold_row(sheet, 4, ("项目", "行次", "金额", "项目", "行次", "金额"))
    _two_sided(
        sheet,
        list(INCOME_LINES),
        _classes(),
        ["本年收入合计", "使用非财政拨款结余", "年初结转和结余", "总计"],
        ["本年支出合计", "结余分配", "年末结转和结余", "总计"],
    )


def _fiscal(sheet: Any) -> None:
    _head(sheet, "财政拨款收入支出决算总表", "公开04表", 8)
    _bold_row(
        sheet, 4, ("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款")
    )
    _two_sided(
        sheet,
        ["一、一般公共预算财政拨款", "二、政府性基金预算财政拨款"],
        _classes(),
        ["本年收入合计", "年初财政拨款结转和结余", "一般公共预算财政拨款", "政府性基金预算财政拨款", "总计"],
        ["本年支出合计", "年末财政拨款结转和结余", "", "", "总计"],
    )


def _coded(sheet: Any, title: str, label: str, columns: tuple[str, ...]) -> None:
    _head(sheet, title, label, 2 + len(columns))
    _bold_row(sheet, 4, ("科目编码", "科目名称", *columns))
    sheet.cell(row=5, column=2, value="合计")


def _basic(sheet: Any) -> None:
    _head(sheet, "一般公共预算财政拨款基本支出决算表", "公开06表", 9)
    _bold_row(sheet, 4, ("人员经费", None, None, "公用经费"))
    _bold_row(sheet, 5, ("科目编码", "科目名称", "决算数") * 3)
    for block, rows in enumerate((PERSONNEL, GOODS_AND_SERVICES, OTHER_PUBLIC)):
        for index, (code, name) in enumerate(rows):
            sheet.cell(row=6 + index, column=1 + 3 * block, value=code)
            sheet.cell(row=6 + index, column=2 + 3 * block, value=name)
    last = 6 + max(len(PERSONNEL), len(GOODS_AND_SERVICES), len(OTHER_PUBLIC))
    _bold_row(sheet, last, (None, "人员经费合计", None, None, "公用经费合计"))


def _three_public(sheet: Any) -> None:
    _head(sheet, "一般公共预算财政拨款“三公”经费支出决算表", "公开07表", 12)
    _bold_row(sheet, 4, ("预算数", None, None, None, None, None, "决算数"))
    block = ("合计", "因公出国（境）费", "公务用车购置及运行费", None, None, "公务接待费")
    _bold_row(sheet, 5, block + block)
    sub = (None, None, "小计", "公务用车购置费", "公务用车运行费", None)
    _bold_row(sheet, 6, sub + sub)


def _gov_fund(sheet: Any) -> None:
    _head(sheet, "政府性基金预算财政拨款收入支出决算表", "公开08表", 8)
    _bold_row(
        sheet,
        4,
        (
            "科目编码",
            "科目名称",
            "年初结转和结余",
            "本年收入",
            "本年支出小计",
            "基本支出",
            "项目支出",
            "年末结转和结余",
        ),
    )
    sheet.cell(row=5, column=2, value="合计")
    sheet.cell(row=5 + BLANK_ROWS // 4, column=1, value="注：")
