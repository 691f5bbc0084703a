"""The 自评报告 and 自评表 as a department would open them: real files read back with python-docx and openpyxl.

The Markdown of the demo's 2018 report is checked against ``tests/golden/demo-2018.md``. After an
intended change to the templates, the filters or the demo, regenerate it and review the diff:

    ZZPERF_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py -k golden
"""

from __future__ import annotations

import html.parser
import importlib.util
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.conftest import REPO
from zzperf.cli import main
from zzperf.errors import ZzperfError
from zzperf.report import context_for, default_name, render, render_text, write_report
from zzperf.resources import shipped_dir
from zzperf.workspace import Workspace

GOLDEN = Path(__file__).parent / "golden" / "demo-2018.md"
NASTY = "A&B <b>粗体</b> \"双引号\" 'single' ‘单引号’ x<y>z & 1 < 2"


def _docx_text(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    document = docx.Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return paragraphs, tables


def _paragraph(paragraphs: list[tuple[str, str]], start: str) -> str:
    return next(text for _, text in paragraphs if text.startswith(start))


def _table(tables: list[list[list[str]]], first_header: str) -> list[list[str]]:
    return next(table for table in tables if table and table[0][0] == first_header)


# ── Word ────────────────────────────────────────────────────────────────


def test_docx_2018_has_the_outline_and_every_figure_right(demo: Path) -> None:
    path = write_report(Workspace(demo), 2018, "docx", appendix=True)
    assert path == demo / "2018" / "株洲市政务服务中心-2018年度部门整体支出绩效自评报告.docx"
    paragraphs, tables = _docx_text(path)
    assert paragraphs[0] == ("Title", "株洲市政务服务中心2018年度部门整体支出绩效自评报告")
    headings = [text for style, text in paragraphs if style == "Heading 1"]
    assert headings == [
        "一、部门（单位）基本情况",
        "二、部门整体支出管理及使用情况",
        "三、绩效目标设定及完成情况",
        "四、自评得分情况",
        "五、存在的问题及原因分析",
        "六、改进措施",
        "七、结果应用",
        "附：数据校验结果",
    ]
    assert "（五）“三公”经费" in [text for style, text in paragraphs if style == "Heading 2"]

    income = _paragraph(paragraphs, "2018 年度本年收入合计")
    assert "本年收入合计 608.72 万元，比上年（591.15 万元）增加 17.57 万元，增长 2.97%" in income
    spending = _paragraph(paragraphs, "2018 年度本年支出合计")
    assert "619.54 万元，比上年（597.72 万元）增加 21.82 万元，增长 3.65%" in spending
    assert "基本支出 579.54 万元，占 93.54%；项目支出 40.00 万元，占 6.46%" in spending
    assert "一般公共服务支出 577.72 万元" in spending and "537.71" not in spending  # the seed's typo
    three = _paragraph(paragraphs, "2018 年度“三公”经费")
    assert "决算 4.21 万元，完成预算的 52.63%" in three  # the seed says 4.22 and 52.62%
    assert "4.22" not in three and "52.62" not in three
    assert "占“三公”经费决算的 89.55%" in three and "10.45%" in three
    assert "总分 65.53 分" in _paragraph(paragraphs, "按《")

    assert _table(tables, "收入来源")[-1] == ["本年收入合计", "608.72", "100.00%"]
    assert ["基本支出", "579.54", "93.54%"] in _table(tables, "支出性质")
    three_table = next(table for table in tables if table[0][:2] == ["项目", "预算数（万元）"])
    assert three_table[-1] == ["合计", "8.00", "4.21", "52.63%", "100.00%", "-3.79"]
    scores = _table(tables, "一级指标")
    assert scores[0] == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "扣分原因"]
    assert scores[-1][0] == "合计" and scores[-1][3] == "100.00" and scores[-1][6] == "65.53"
    assert "中（暂定）" in scores[-1][7]
    budget_row = next(row for row in scores if row[2] == "预算完成率")
    assert budget_row[:3] == ["过程", "预算执行", "预算完成率"]
    assert budget_row[3] == "6.00" and budget_row[5:7] == ["119.67%", "2.00"] and budget_row[4]
    pending = next(row for row in scores if row[2] == "服务对象满意度")
    assert pending[6] == "—" and "数据不足" in pending[7]
    findings = _table(tables, "级别")
    assert ["错误", "T6-301"] == findings[1][:2] and "249.86" in findings[1][2]


def test_docx_report_read_back_has_every_part_of_the_outline_and_the_new_blocks(demo: Path) -> None:
    (demo / "zzperf.toml").write_text(
        (demo / "zzperf.toml").read_text(encoding="utf-8")
        + 'contact = "张三"\nphone = "0731-12345678"\n'
        + 'notice = "《关于开展2018年度部门整体支出绩效自评工作的通知》（株财绩〔2019〕1号）"\n',
        encoding="utf-8",
    )
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    goal = "围绕“最多跑一次”改革，全年办件 5 万件以上。"
    workspace.save_evaluation(evaluation.model_copy(update={"goal": goal, "date": "2019年5月20日"}))
    paragraphs, tables = _docx_text(write_report(Workspace(demo), 2018, "docx"))
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    text = "\n".join(body for _, body in paragraphs)
    for part in ("基本情况", "部门整体支出", "绩效目标", "存在的问题", "改进措施"):
        assert any(part in heading for heading in headings if heading[0] in "一二三四五六七"), part
    assert any(caption == "部门整体支出绩效自评得分表" for _, caption in paragraphs)
    assert _table(tables, "一级指标")[0][4] == "指标值"
    # 项目支出 described from the accounts, with its 科目's budget
    projects = _paragraph(paragraphs, "2018 年度项目支出")
    assert "40.00 万元" in projects and "6.46%" in projects and "一般行政管理事务（2010302）" in projects
    # 年初预算 beside 全年预算, which the demo's accounts lack
    budget = next(table for table in tables if table[0][:3] == ["项目", "年初预算（万元）", "全年预算（万元）"])
    assert budget[1][:4] == ["本年支出合计", "517.70", "数据不足", "619.54"]
    assert "全年预算（调整后预算）数据不足" in text
    # 年度总体目标, the reasons for each deduction, the contact and notice block
    assert "（一）年度总体目标" in headings and "全年办件 5 万件以上" in text
    assert "（二）扣分原因分析" in headings
    assert "绩效目标合理性（分值 2.00 分，得 1.50 分，扣 0.50 分）：整体绩效目标与“三定”职责相符" in text
    assert "预算完成率（分值 6.00 分，得 2.00 分，扣 4.00 分）：按评分规则，119.67%" in text
    cover = tables[0]
    assert (
        ["联系人", "张三"] in cover
        and ["联系电话", "0731-12345678"] in cover
        and ["填报日期", "2019年5月20日"] in cover
    )
    assert "根据《关于开展2018年度部门整体支出绩效自评工作的通知》（株财绩〔2019〕1号）要求" in text
    # the check results are not published unless asked for
    assert "附：数据校验结果" not in headings and "T6-301" not in text


def test_report_without_the_appendix_warns_of_open_check_errors(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zzperf.cli import main

    assert main(["report", str(demo), "--year", "2018", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "个勾稽错误未解决" in out and "--appendix" in out
    written = next((demo / "2018").glob("*.md")).read_text(encoding="utf-8")
    assert "附：数据校验结果" not in written
    assert main(["report", str(demo), "--year", "2018", "--format", "md", "--appendix"]) == 0
    assert "见报告附录" in capsys.readouterr().out
    assert "## 附：数据校验结果" in next((demo / "2018").glob("*.md")).read_text(encoding="utf-8")


def test_the_report_names_what_it_left_unfilled_and_the_years_notice_comes_first(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``zzperf report`` lists the parts the report writes as （未填写） and where each is filled in; the notice of
    the year's own evaluation is cited before the department's, and a part filled in leaves the list."""
    from zzperf.cli import main

    assert main(["report", str(demo), "--year", "2018", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert (
        "注意：报告中有 6 处写作“（未填写）”：自评依据的通知、填报日期、年度总体目标（在评分界面的报告页 F4 或该年度的"
        " evaluation.toml 中填写）；预算编码、联系人、联系电话（在评分界面的报告页 F4 或工作区的 zzperf.toml 中填写"
        " budget_code、contact、phone）。" in out.replace("\n", "")
    ), out
    written = next((demo / "2018").glob("*.md")).read_text(encoding="utf-8")
    assert "（通知名称和文号未填写）" in written and "年度总体目标（未填写）" in written

    (demo / "zzperf.toml").write_text(
        (demo / "zzperf.toml").read_text(encoding="utf-8") + 'notice = "《部门的通知》"\ncontact = "张三"\n',
        encoding="utf-8",
    )
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    workspace.save_evaluation(evaluation.model_copy(update={"notice": "《2018 年度的通知》（株财绩〔2019〕1号）"}))
    assert main(["report", str(demo), "--year", "2018", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "报告中有 4 处写作“（未填写）”：填报日期、年度总体目标" in out and "预算编码、联系电话（" in out, out
    written = next((demo / "2018").glob("*.md")).read_text(encoding="utf-8")
    assert "根据《2018 年度的通知》（株财绩〔2019〕1号）要求" in written and "《部门的通知》" not in written


AUTOMATIC_DEDUCTIONS = ("预算完成率", "预算调整率", "公用经费（机关运行经费）控制率", "“证照联办”改革事项")


def _deduction_lines(text: str) -> dict[str, str]:
    """The 扣分原因分析 items by indicator name: what follows "（分值 … 分）："."""
    found = re.findall(r"\d+\. (.+?)（分值 [^）]*）：(.+)", text)
    return {name: reason for name, reason in found}


def _report_texts(demo: Path) -> dict[str, str]:
    """The 2018 report's text in each format: the docx's paragraphs, the Markdown, the HTML without its tags (a list
    item numbered as in Markdown)."""
    paragraphs, _ = _docx_text(write_report(Workspace(demo), 2018, "docx"))
    html = write_report(Workspace(demo), 2018, "html").read_text(encoding="utf-8")
    return {
        "docx": "\n".join(text for _, text in paragraphs),
        "md": write_report(Workspace(demo), 2018, "md").read_text(encoding="utf-8"),
        "html": re.sub(r"<[^>]+>", "", html.replace("<li>", "1. ")),
    }


def test_an_automatic_deduction_is_explained_by_its_rule_in_every_format(demo: Path) -> None:
    """A formula-scored deduction reads "按评分规则，…。" (the rule and the figures), never "评价人未写明原因";
    a judged score lowered without a reason stays flagged as a draft left out of the total."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    entries = dict(evaluation.indicators)
    entries["input.goals.clarity"] = entries["input.goals.clarity"].model_copy(update={"reason": ""})
    workspace.save_evaluation(evaluation.model_copy(update={"indicators": entries}))
    texts = _report_texts(demo)
    for kind, text in texts.items():
        assert "未写明原因" not in text, kind
        lines = _deduction_lines(text)
        for name in AUTOMATIC_DEDUCTIONS:
            assert lines[name].startswith("按评分规则，") and lines[name].endswith("。"), (kind, name, lines[name])
        assert lines["预算完成率"].startswith("按评分规则，119.67%（"), kind
        assert "绩效指标明确性" not in lines, kind  # held back: no score counts yet
        assert "1 项评分未写明扣分原因或评分理由，其得分为草稿，未计入总分：绩效指标明确性" in text, kind
    rows = list(openpyxl.load_workbook(write_report(Workspace(demo), 2018, "xlsx")).active.values)
    for name in AUTOMATIC_DEDUCTIONS:
        row = next(row for row in rows if row[2] == name)
        assert row[8] and "未写明" not in row[8] and "%" in row[8] + str(row[5]), row
    assert next(row for row in rows if row[2] == "绩效指标明确性")[7] == "缺理由"


def test_a_reason_typed_without_a_full_stop_ends_as_a_sentence_in_every_format(demo: Path) -> None:
    """“表间数据不一致” went into 扣分原因分析 without its 。 while every other item had one; one that ends with a
    closing bracket after no stop gets it after the bracket, and one that has its stop keeps it alone."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    entries = dict(evaluation.indicators)
    reasons = {
        "input.goals.clarity": "表间数据不一致",
        "input.goals.rationality": "目标未细化（见自评报告）",
        "process.management.information": "基础信息不全。",
    }
    for key, reason in reasons.items():
        entries[key] = entries[key].model_copy(update={"reason": reason})
    workspace.save_evaluation(evaluation.model_copy(update={"indicators": entries}))
    texts = _report_texts(demo)
    for kind, text in texts.items():
        lines = _deduction_lines(text)
        assert lines["绩效指标明确性"] == "表间数据不一致。", kind
        assert lines["绩效目标合理性"] == "目标未细化（见自评报告）。", kind
        assert lines["基础信息完善性"] == "基础信息不全。", kind


def test_the_budget_table_says_why_the_project_budget_is_missing_and_where_the_subject_budgets_are(
    demo: Path,
) -> None:
    """预算执行 said 项目支出 年初预算 数据不足 while 项目支出情况 went on to a 科目's 年初预算 of 40.00 万元: the
    two read as a contradiction. The 决算 gives no 项目支出 budget as a whole; the report now says so, and where the
    科目's budget is."""
    said = "项目支出的年初预算决算未单独列明，所在科目的年初预算见“项目支出情况”。"
    for kind, text in _report_texts(demo).items():
        lines = [line.strip() for line in text.splitlines()]
        assert said in lines, kind
        assert lines.index(said) < next(i for i, line in enumerate(lines) if "该科目年初预算 40.00 万元" in line), kind


def test_xlsx_read_back_shows_numbers_and_keeps_the_sums(demo: Path) -> None:
    import openpyxl

    path = write_report(Workspace(demo), 2018, "xlsx")
    values = openpyxl.load_workbook(path, data_only=True).active
    formulas = openpyxl.load_workbook(path).active
    rows = list(values.iter_rows(min_row=3, values_only=True))
    assert rows[0][:9] == ("一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "状态", "扣分原因")
    total = next(row for row in rows if row[0] == "合计")
    assert total[3] == 100 and abs(total[6] - 65.53) < 0.005 and total[7] == "暂定"
    total_row = next(row for row in formulas.iter_rows(min_row=3) if row[0].value == "合计")
    assert str(total_row[6].value).startswith("=SUM(")  # Excel users keep the live formula
    for row in rows[1:]:
        if row[0] and str(row[0]).endswith("小计"):
            assert isinstance(row[3], (int, float)) and isinstance(row[6], (int, float)), row
    cases = next(row for row in rows if row[2] == "办件量")
    assert cases[5] == 54875
    count = next(row for row in formulas.iter_rows(min_row=3) if row[2].value == "办件量")
    assert count[5].number_format == "0"  # 54875 件, not 54875.00
    budget = next(row for row in rows if row[2] == "预算完成率")
    assert abs(budget[5] - 119.67) < 0.005
    assert next(row for row in rows if row[2] == "社会效益")[7] == "暂定"
    assert next(row for row in rows if row[2] == "服务对象满意度")[7] == "数据不足"  # why it has no score


def test_xlsx_subtotal_without_a_score_shows_none_and_a_partial_one_is_marked(demo: Path) -> None:
    """满意度's one indicator (服务对象满意度) is 数据不足: its subtotal reads — as ``zzperf score`` shows it (a SUM
    over the empty cell showed 0.00), and 预算配置, with one of two items 数据不足, is marked 暂定 (it was not)."""
    import openpyxl

    path = write_report(Workspace(demo), 2018, "xlsx")
    rows = list(openpyxl.load_workbook(path, data_only=True).active.iter_rows(min_row=3, values_only=True))
    satisfaction = next(row for row in rows if row[1] == "满意度小计")
    assert (satisfaction[6], satisfaction[7]) == ("—", "暂定"), satisfaction
    config = next(row for row in rows if row[1] == "预算配置小计")
    assert (config[6], config[7]) == (5, "暂定"), config
    goals = next(row for row in rows if row[1] == "目标设定小计")
    assert (goals[6], goals[7]) == (2.5, None), goals
    effect = next(row for row in rows if row[0] == "效果小计")
    assert abs(effect[6] - 9) < 0.005  # the — beneath is skipped by the SUM, as Excel skips text


def test_xlsx_completion_value_is_rounded_half_up_as_everywhere_else(demo: Path, capsys) -> None:
    """4.21 ÷ 8.00 = 52.625%: the workbook holds 52.63, as the score, docx and md show it, never the 52.62 of
    banker's rounding."""
    assert main(["report", str(demo), "--year", "2018", "--format", "xlsx"]) == 0
    assert main(["report", str(demo), "--year", "2018", "--format", "md"]) == 0
    capsys.readouterr()
    path = demo / "2018" / "株洲市政务服务中心-2018年度部门整体支出绩效自评表.xlsx"
    sheet = openpyxl.load_workbook(path).active
    row = next(row for row in sheet.iter_rows() if row[2].value == "“三公经费”控制率")
    assert row[5].value == 52.63 and row[5].number_format == '0.00"%"'
    markdown = next((demo / "2018").glob("*.md")).read_text(encoding="utf-8")
    assert "52.63%" in markdown and "52.62" not in markdown
    assert main(["score", str(demo), "--year", "2018"]) in (0, 1)
    assert "52.63%" in capsys.readouterr().out


def test_html_report_draws_the_score_over_years_and_the_groups_without_scripts(demo: Path) -> None:
    html = write_report(Workspace(demo), 2018, "html").read_text(encoding="utf-8")
    assert html.count("<svg") == 2 and 'aria-label="各年度自评总分"' in html and 'aria-label="一级指标得分"' in html
    assert "2017 年" in html and "65.53（暂定）" in html
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_docx_page_styles_and_footer_look_like_an_official_document(demo: Path) -> None:
    document = docx.Document(str(write_report(Workspace(demo), 2018, "docx")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "仿宋"
    heading = document.styles["Heading 1"].element.rPr.rFonts
    assert heading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "黑体"
    footer_xml = section.footer._element.xml
    assert "PAGE" in footer_xml
    score_table = next(table for table in document.tables if table.rows[0].cells[0].text == "一级指标")
    header_props = score_table.rows[0]._tr.trPr.xml
    assert "tblHeader" in header_props  # the header row repeats on every page
    # the 一级 column is merged over each group's rows, not repeated
    first_column = [row._tr.tc_lst[0] for row in score_table.rows[1:5]]
    assert first_column[0].vMerge == "restart" and first_column[1].vMerge == "continue"
    assert document.core_properties.title == "株洲市政务服务中心2018年度部门整体支出绩效自评报告"


def test_docx_template_is_rebuilt_byte_for_byte_by_its_script() -> None:
    spec = importlib.util.spec_from_file_location("make_docx_template", REPO / "reports" / "make_docx_template.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == (REPO / "reports" / "report.docx").read_bytes(), (
        "reports/report.docx is stale: run python reports/make_docx_template.py"
    )


# ── special characters ───────────────────────────────────────────────────


def _with_nasty_text(demo: Path) -> Workspace:
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    report = evaluation.report.model_copy(update={"achievements": NASTY, "problems": f"第一条\n{NASTY}"})
    workspace.save_evaluation(evaluation.model_copy(update={"report": report}))
    return Workspace(demo)


def test_ampersands_brackets_and_quotes_survive_in_docx(demo: Path) -> None:
    workspace = _with_nasty_text(demo)
    paragraphs, _ = _docx_text(write_report(workspace, 2018, "docx"))
    texts = [text for _, text in paragraphs]
    assert texts.count(NASTY) == 2
    assert "第一条" in texts


class _Text(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.tags: list[str] = []

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        self.tags.append(tag)


def test_a_department_name_with_an_ampersand_is_right_in_the_title_and_properties(demo: Path) -> None:
    workspace = Workspace(demo)
    workspace.profile.name = "规划&<建设>局"
    workspace.save_profile()
    path = write_report(Workspace(demo), 2018, "docx")
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "规划&<建设>局2018年度部门整体支出绩效自评报告"
    assert document.core_properties.title == "规划&<建设>局2018年度部门整体支出绩效自评报告"
    assert document.core_properties.author == "规划&<建设>局"
    assert path.name == "规划&_建设_局-2018年度部门整体支出绩效自评报告.docx"


def test_ampersands_brackets_and_quotes_survive_in_html_and_are_escaped(demo: Path) -> None:
    workspace = _with_nasty_text(demo)
    page = write_report(workspace, 2018, "html").read_text(encoding="utf-8")
    assert "<b>粗体</b>" not in page and "&lt;b&gt;粗体&lt;/b&gt;" in page
    parser = _Text()
    parser.feed(page)
    assert NASTY in parser.chunks
    assert "b" not in parser.tags  # the evaluator's text never becomes markup


def test_markdown_keeps_text_as_written_and_tables_intact(demo: Path) -> None:
    workspace = _with_nasty_text(demo)
    text = write_report(workspace, 2018, "md").read_text(encoding="utf-8")
    assert NASTY in text


# ── HTML ────────────────────────────────────────────────────────────────


def test_html_is_self_contained_printable_and_has_the_score_chart(demo: Path) -> None:
    page = write_report(Workspace(demo), 2018, "html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    assert "@page" in page and "size: A4" in page and "@media print" in page
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page), "no external resources"
    assert "<link" not in page and "<script" not in page
    groups = page.index('aria-label="一级指标得分"')
    svg = page[groups : page.index("</svg>", groups)]
    assert svg.count("<rect") == 2 + 4 * 2 + 4  # legend of 2 years; 2018: track + bar; 2017 unscored: track
    assert 'width="300.0"' in svg and 'width="206.9"' in svg  # 过程: 31.03 of 45 points over 300 px
    assert "2018：31.03 / 45.00" in svg and "2018：7.50 / 15.00（5.00 分数据不足）" in svg and "2017：未评分" in svg
    assert '<td class="num">65.53</td>' in page
    assert 'rowspan="8"' in page  # 预算执行 spans its 8 rows


# ── Excel ────────────────────────────────────────────────────────────────


def _evaluate(sheet, ref: str, seen: tuple[str, ...] = ()) -> Decimal:  # noqa: ANN001
    """A cell's value, computing =SUM(...) formulas from the cells they name."""
    assert ref not in seen, f"circular reference at {ref}"
    value = sheet[ref].value
    if isinstance(value, str) and value.startswith("="):
        match = re.fullmatch(r"=SUM\(([A-Z0-9:,]+)\)", value)
        assert match, f"unexpected formula {value} in {ref}"
        total = Decimal(0)
        for part in match[1].split(","):
            if ":" in part:
                for row in sheet[part]:
                    for cell in row:
                        total += _evaluate(sheet, cell.coordinate, (*seen, ref))
            else:
                total += _evaluate(sheet, part, (*seen, ref))
        return total
    if value is None or value == "" or (value == "—" and seen):  # SUM skips text: a subtotal with no score yet
        return Decimal(0)
    assert isinstance(value, (int, float, Decimal)), f"{ref} holds {value!r}"
    return Decimal(str(value))


def test_xlsx_has_live_sums_that_equal_our_totals(demo: Path) -> None:
    workspace = Workspace(demo)
    card = workspace.score(2018)
    path = write_report(workspace, 2018, "xlsx")
    assert path.name == "株洲市政务服务中心-2018年度部门整体支出绩效自评表.xlsx"
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "部门整体支出绩效自评表"
    header = [cell.value for cell in sheet[3]]
    assert header == ["一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "状态", "扣分原因"]
    rows = {row[0].row: [cell.value for cell in row] for row in sheet.iter_rows(min_row=4)}
    total_row = next(number for number, values in rows.items() if values[0] == "合计")
    assert str(sheet[f"G{total_row}"].value).startswith("=SUM(")
    assert _evaluate(sheet, f"G{total_row}") == card.raw_total == Decimal("65.53")
    assert _evaluate(sheet, f"D{total_row}") == Decimal(100)
    subtotals = {values[0]: number for number, values in rows.items() if str(values[0] or "").endswith("小计")}
    assert list(subtotals) == ["投入小计", "过程小计", "产出小计", "效果小计"]
    for group in card.top_groups():
        number = subtotals[f"{group.indicator.name}小计"]
        assert sheet[f"G{number}"].value.startswith("=SUM(")
        assert _evaluate(sheet, f"G{number}") == group.score
        assert _evaluate(sheet, f"D{number}") == group.indicator.points
    level2 = [values[1] for values in rows.values() if str(values[1] or "").endswith("小计")]
    assert "预算执行小计" in level2 and len(level2) == 9
    leaf = next(values for values in rows.values() if values[2] == "预算完成率")
    assert leaf[3:7] == [6, "95%–105%", 119.67, 2]
    adjustment = next(number for number, values in rows.items() if values[2] == "预算调整率")
    assert sheet[f"E{adjustment}"].value == "=0%" and sheet[f"E{adjustment}"].data_type == "s"  # text, not a formula
    formulas = [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas and all(ref[0] in "DG" for ref in formulas)
    grade_row = next(values for values in rows.values() if values[0] == "自评等级")
    assert grade_row[6] == "中（暂定）" and "17.00 分" in grade_row[8]


# ── Markdown and the golden file ─────────────────────────────────────────


def test_markdown_of_the_demo_year_matches_the_golden_file(demo: Path) -> None:
    text = render(context_for(Workspace(demo), 2018), "md").decode("utf-8")
    if os.environ.get("ZZPERF_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), (
        "the 2018 demo report changed; if intended: ZZPERF_UPDATE"
        "_GOLDEN=1 python -m pytest tests/test_report.py -k golden"
    )


def test_the_golden_report_corrects_the_seeds_figures() -> None:
    text = GOLDEN.read_text(encoding="utf-8")
    for right in (
        "608.72 万元",
        "619.54 万元",
        "占 93.54%",
        "决算 4.21 万元，完成预算的 52.63%",
        "一般公共服务支出 577.72 万元",
    ):
        assert right in text, right
    body = text[: text.index("## 四、自评得分情况")]  # the score table quotes the seed's errors as reasons
    for wrong in ("4.22", "52.62%", "537.71", "93.5%", "增长 2.9%"):
        assert wrong not in body, wrong


# ── years with little or no data ─────────────────────────────────────────


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "xlsx"])
def test_a_year_without_a_previous_year_and_with_almost_no_data_renders(demo: Path, fmt: str) -> None:
    path = write_report(Workspace(demo), 2017, fmt)  # type: ignore[arg-type]
    assert path.stat().st_size > 0
    if fmt == "docx":
        paragraphs, tables = _docx_text(path)
        text = "\n".join(t for _, t in paragraphs) + "\n".join(c for table in tables for row in table for c in row)
    elif fmt == "xlsx":
        sheet = openpyxl.load_workbook(path).active
        text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    else:
        text = path.read_text(encoding="utf-8")
    assert "增长 0.00%" not in text and "None" not in text
    if fmt != "xlsx":
        assert "本工作区没有 2016 年度数据" in text
        assert "比上年" not in text and "与上年比较" not in text
        assert "数据不足" in text and "（未填写）" in text
        assert "2017 年度本年收入合计 591.15 万元" in text
        assert "尚未评分" in text


def test_2017_sections_without_data_say_so_instead_of_leaving_blanks(demo: Path) -> None:
    text = render_text(context_for(Workspace(demo), 2017), "md")
    for sentence in (
        "“三公”经费预算和决算数据不足。",
        "机关运行经费数据不足。",
        "人员编制及实有人数数据不足。",
        "政府采购支出数据不足。",
        "基本支出和项目支出数据不足。",
        "年度绩效目标数据不足。",
    ):
        assert sentence in text
    for heading in ("### （一）存在的问题", "## 六、改进措施", "## 七、结果应用"):
        after = text[text.index(heading) + len(heading) :].lstrip("\n")
        assert after.startswith("（未填写）"), heading


def test_comparisons_only_where_the_previous_year_has_the_figure(demo: Path) -> None:
    text = render_text(context_for(Workspace(demo), 2018), "md")
    assert "年末结转和结余 8.61 万元，比上年（19.44 万元）减少 10.83 万元，下降 55.71%" in text
    assert "| 本年收入合计 | 608.72 | 591.15 | +17.57 | +2.97% |" in text
    compared = text[text.index("### （十）与上年比较") : text.index("## 三、")]
    assert "| 基本支出 |" not in compared  # not compared: 2017 has no such figure
    assert "2017 年度数据不足、未作比较的项目：基本支出、项目支出、人员经费、公用经费、“三公”经费支出" in text
    three = text[text.index("### （五）“三公”经费") : text.index("### （六）")]
    assert "比上年" not in three  # 2017 has no 三公 figures: the sentence is dropped


def test_an_empty_report_field_renders_a_visible_note(demo: Path) -> None:
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    workspace.save_evaluation(
        evaluation.model_copy(update={"report": evaluation.report.model_copy(update={"measures": "  "})})
    )
    paragraphs, _ = _docx_text(write_report(Workspace(demo), 2018, "docx"))
    index = paragraphs.index(("Heading 1", "六、改进措施"))
    assert paragraphs[index + 1][1] == "（未填写）"


# ── user templates ───────────────────────────────────────────────────────


def test_exported_templates_render_the_same_report_in_the_sandbox(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert main(["report", "--export-templates", str(folder)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "report.docx", "report.html.j2", "report.md.j2"]
    context = context_for(Workspace(demo), 2018)
    for fmt in ("md", "html"):
        assert render(context, fmt, folder) == render(context, fmt)  # type: ignore[arg-type]
    ours, _ = _docx_text(_write(render(context, "docx", folder), tmp_path / "a.docx"))
    shipped, _ = _docx_text(_write(render(context, "docx"), tmp_path / "b.docx"))
    assert ours == shipped


def _write(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def test_export_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    assert main(["report", "--export-templates", str(folder)]) == 0
    (folder / "report.md.j2").write_text("mine", encoding="utf-8")
    assert main(["report", "--export-templates", str(folder)]) == 2
    assert "未覆盖" in capsys.readouterr().err
    assert (folder / "report.md.j2").read_text(encoding="utf-8") == "mine"


def _user_md(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "mine"
    folder.mkdir(exist_ok=True)
    (folder / "report.md.j2").write_text(body, encoding="utf-8")
    return folder


def test_a_user_template_with_an_unknown_variable_fails_clearly_and_writes_nothing(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _user_md(tmp_path, "# {{ title }}\n\n收入 {{ income.total|wan }}\n{{ totla_score }}\n")
    out = tmp_path / "r.md"
    code = main(["report", str(demo), "--format", "md", "--template", str(folder), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "report.md.j2" in err and "第 4 行" in err and "未知变量“totla_score”" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_an_unknown_attribute_is_named_with_a_suggestion(demo: Path, tmp_path: Path) -> None:
    folder = _user_md(tmp_path, "{{ dept.nmae }}")
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert "未知变量“dept.nmae”" in result.stderr and "是不是“name”" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ dept.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ (comparisons|share_map(none, 'now', '__class__')).keys()|first }}",
        "{{ comparisons|with_shares(none, '__class__') }}",
    ],
)
def test_a_user_template_cannot_reach_python_internals(demo: Path, tmp_path: Path, expression: str) -> None:
    folder = _user_md(tmp_path, f"正常\n{expression}\n")
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), "--out", "x.md", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "report.md.j2" in result.stderr and "第 2 行" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_a_user_template_cannot_change_the_data(demo: Path, tmp_path: Path) -> None:
    folder = _user_md(tmp_path, "{{ dept.duties.append('x') }}")
    with pytest.raises(ZzperfError, match="未知变量“dept.duties.append”"):
        render(context_for(Workspace(demo), 2018), "md", folder)


def test_a_user_template_syntax_error_names_the_line(demo: Path, tmp_path: Path) -> None:
    folder = _user_md(tmp_path, "一\n二\n{% if year %}\n没有结束\n")
    result = _run("report", str(demo), "--format", "md", "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "模板语法错误" in result.stderr and "report.md.j2" in result.stderr


def test_a_word_template_with_an_unknown_variable_fails_clearly(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    assert main(["report", "--export-templates", str(folder)]) == 0
    document = docx.Document(str(folder / "report.docx"))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("{% if dept.structure %}"))
    paragraph.runs[-1].text += "{{ undefined_total }}"
    document.save(str(folder / "report.docx"))
    out = demo / "2018" / "mine.docx"
    result = _run("report", str(demo), "--template", str(folder), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2
    assert "report.docx" in result.stderr and "未知变量“undefined_total”" in result.stderr
    assert "段附近" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    assert not [p for p in (demo / "2018").iterdir() if p.name.startswith(".")]  # no temporary file left


def test_a_template_folder_without_the_template_or_a_broken_word_file(demo: Path, tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    result = _run("report", str(demo), "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "没有 report.docx" in result.stderr
    (folder / "report.docx").write_text("not a zip", encoding="utf-8")
    result = _run("report", str(demo), "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "不是有效的 Word 文档" in result.stderr
    result = _run("report", str(demo), "--format", "xlsx", "--template", str(folder), cwd=tmp_path)
    assert result.returncode == 2 and "不使用模板" in result.stderr


# ── the command ─────────────────────────────────────────────────────────


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_report_command_defaults_to_word_in_the_year_folder(demo: Path) -> None:
    result = _run("report", "--year", "2018", cwd=demo / "2018")
    assert result.returncode == 0, result.stderr
    expected = demo / "2018" / "株洲市政务服务中心-2018年度部门整体支出绩效自评报告.docx"
    assert expected.is_file() and expected.name in result.stdout
    assert docx.Document(str(expected)).paragraphs[0].text.startswith("株洲市政务服务中心2018年度")


ASCII_BRACKET_IN_CHINESE = re.compile(r"[\u4e00-\u9fff，。：；、]\s*[()]|[()]\s*[\u4e00-\u9fff，。：；、]")
"""An ASCII bracket beside Chinese text, where the full-width （） belongs."""


def test_every_report_format_says_data_is_missing_one_way_with_full_width_brackets(demo: Path, tmp_path: Path) -> None:
    """数据不足, the house term, for every missing figure (never “（无数据）”); （） in Chinese text; a subtotal's
    points without a score named by why."""
    pieces: dict[str, list[str]] = {}
    for fmt in ("docx", "md", "html", "xlsx"):
        out = tmp_path / f"报告.{fmt}"
        result = _run("report", str(demo), "--year", "2018", "--format", fmt, "--out", str(out), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        if fmt == "docx":
            paragraphs, tables = _docx_text(out)
            pieces[fmt] = [text for _, text in paragraphs] + [cell for table in tables for row in table for cell in row]
            subtotal = next(row for row in _table(tables, "一级指标") if row[0] == "投入小计")
            assert subtotal[-1] == "5.00 分数据不足"
        elif fmt == "xlsx":
            sheet = openpyxl.load_workbook(out).active
            pieces[fmt] = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        else:
            pieces[fmt] = out.read_text(encoding="utf-8").splitlines()
    for fmt, texts in pieces.items():
        text = "\n".join(texts)
        assert "无数据" not in text.replace("故本表无数据", ""), fmt
        assert "分待评" not in text and "数据不足：缺少数据" not in text, fmt
        assert "部门（单位）" in text, fmt
        assert [piece for piece in texts if ASCII_BRACKET_IN_CHINESE.search(piece)] == [], fmt
    assert "5.00 分数据不足" in pieces["xlsx"]  # the 投入小计's 说明
    assert any("5.00 分数据不足" in line for line in pieces["html"]) and any(
        "投入小计" in line for line in pieces["md"]
    )


def test_report_replaces_an_existing_file_atomically_and_keeps_it_on_failure(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    out.write_text("旧文件", encoding="utf-8")
    assert main(["report", str(demo), "--format", "md", "--out", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert first.startswith("# 株洲市政务服务中心2018年度")
    folder = _user_md(tmp_path, "{{ nothing_here }}")
    assert main(["report", str(demo), "--format", "md", "--out", str(out), "--template", str(folder)]) == 2
    assert out.read_text(encoding="utf-8") == first
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_report_errors_are_one_clear_line(tmp_path: Path) -> None:
    result = _run("report", "nowhere", cwd=tmp_path)
    assert result.returncode == 2 and "目录不存在" in result.stderr and "Traceback" not in result.stderr
    result = _run("report", "--format", "pdf", cwd=tmp_path)
    assert result.returncode == 2


def test_default_names_are_safe_file_names() -> None:
    assert default_name("某局/二处", 2024, "md") == "某局_二处-2024年度部门整体支出绩效自评报告.md"
    assert default_name("某局", 2024, "xlsx") == "某局-2024年度部门整体支出绩效自评表.xlsx"


def test_templates_are_shipped_where_the_package_finds_them() -> None:
    folder = shipped_dir("reports")
    for name in ("report.docx", "report.md.j2", "report.html.j2", "README.md", "make_docx_template.py"):
        assert (folder / name).is_file(), name


def test_a_pending_item_says_what_is_missing_once(demo: Path) -> None:
    """“（5.00 分，数据不足）：缺少上年“三公”经费预算数·合计”: neither “缺少数据：…” after 数据不足, nor the figure
    alone, which read as a line cut off."""
    text = render_text(context_for(Workspace(demo), 2018), "md")
    line = next(line for line in text.splitlines() if line.startswith("- “三公经费”变动率（"))
    assert line.endswith("（5.00 分，数据不足）：缺少上年“三公”经费预算数·合计") and "缺少数据" not in line


def test_a_group_with_nothing_scored_has_no_subtotal_rather_than_zero(demo: Path) -> None:
    """2017 with one item of 过程 scored: 投入, 产出 and 效果 have nothing scored. The report said “投入 0.00 分” and
    printed 0.00 as their subtotals, where ``zzperf score`` and the screen show —."""
    (demo / "2017" / "evaluation.toml").write_text(
        'format_version = 1\nyear = 2017\n\n[indicators."process.management.compliance"]\ncases = 0\n'
        'status = "confirmed"\n',
        encoding="utf-8",
    )
    workspace = Workspace(demo)
    text = write_report(workspace, 2017, "md").read_text(encoding="utf-8")
    assert "投入尚未得分（满分 15.00 分），过程 3.00 分（满分 45.00 分），产出尚未得分（满分 20.00 分）" in text
    assert "0.00 分（满分" not in text
    subtotals = {
        line.split("|")[1].strip(" *"): line.split("|")[7].strip(" *") for line in text.splitlines() if "小计**" in line
    }
    assert subtotals == {"投入小计": "—", "过程小计": "3.00", "产出小计": "—", "效果小计": "—"}
    paragraphs, tables = _docx_text(write_report(workspace, 2017, "docx"))
    assert "投入尚未得分（满分 15.00 分），过程 3.00 分（满分 45.00 分）" in "\n".join(t for _, t in paragraphs)
    rows = [row for table in tables for row in table if row and row[0].endswith("小计")]
    assert [(row[0], row[6]) for row in rows] == [
        ("投入小计", "—"),
        ("过程小计", "3.00"),
        ("产出小计", "—"),
        ("效果小计", "—"),
    ]
    html = write_report(workspace, 2017, "html").read_text(encoding="utf-8")
    assert "投入尚未得分" in html
    chart = re.findall(r">([^<>]*(?:未评分|/ \d+\.00)[^<>]*)<", html)[:4]  # the 一级 chart's bars, in order
    assert chart == ["未评分", "3.00 / 45.00（12.00 分待评、30.00 分数据不足）", "未评分", "未评分"], chart


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_a_year_with_nothing_scored_claims_no_deductions_and_says_what_is_missing_plainly(demo: Path, fmt: str) -> None:
    """2017 has nothing scored: its 扣分原因分析 said 各项指标均未扣分; a missing 绩效目标 read “缺少本年未填报…”, with
    the file's key, and a quoted name inside quotes was doubled (““最多跑一次”事项梳理”)."""
    path = write_report(Workspace(demo), 2017, fmt)  # type: ignore[arg-type]
    if fmt == "docx":
        paragraphs, _ = _docx_text(path)
        text = "\n".join(t for _, t in paragraphs)
    else:
        text = path.read_text(encoding="utf-8")
    assert "尚无已得分的指标，暂无扣分。" in text and "各项指标均未扣分" not in text
    assert "本年未填报“‘最多跑一次’事项梳理”的绩效目标" in text
    assert "缺少本年未填报" not in text and "““" not in text and "accounts.toml 中 key" not in text


def test_a_partly_scored_year_without_deductions_says_the_rest_is_not_scored(demo: Path) -> None:
    (demo / "2017" / "evaluation.toml").write_text(
        'format_version = 1\nyear = 2017\n\n[indicators."process.management.compliance"]\ncases = 0\n'
        'status = "confirmed"\n',
        encoding="utf-8",
    )
    text = write_report(Workspace(demo), 2017, "md").read_text(encoding="utf-8")
    assert "已得分的指标均未扣分；另有 25 项尚未得分（见上）。" in text


def test_zzperf_report_names_an_automatic_score_adjusted_without_its_reason(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from zzperf.cli import main

    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    key = "input.config.staff_control"
    evaluation.indicators[key] = evaluation.entry(key).model_copy(update={"score": Decimal(4)})
    workspace.save_evaluation(evaluation)
    assert main(["report", str(demo), "--year", "2018", "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "注意：1 项调整自动得分缺理由，未采用（按自动得分计）：在职人员控制率。" in out, out
    assert "注意：2 项评分尚未确认（草稿）：社会效益、可持续影响。" in out, out  # named, and that one apart
