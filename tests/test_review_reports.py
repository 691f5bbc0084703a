"""复核 beside 自评 where a reviewer reads it: ``zzperf report --review`` (Word, Excel, Markdown, HTML) and the
``zzperf compare FOLDER`` ranking, on copies of the demo workspace with a 复核 recorded through ``zzperf review``."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from tests.box_tables import read_box_table
from tests.conftest import DEMO
from zzperf.cli import main
from zzperf.editing.entries import update_entry
from zzperf.workspace import Workspace

SOCIAL = "effect.benefit.social"
"""社会效益: 8 points, the demo's 自评 6.00."""


def review(root: Path, indicator: str, score: str, *extra: str) -> None:
    """Record a 复核 as a reviewer does, through the CLI."""
    reason = [] if "--reason" in extra else ["--reason", "复核依据"]
    assert (
        main(["review", str(root), "--year", "2018", "--indicator", indicator, "--score", score, *reason, *extra]) == 0
    )


@pytest.fixture
def reviewed(demo: Path) -> Path:
    """The demo with 社会效益 reviewed down from 6 to 3 (a 3-point inflation) by 某县财政局."""
    review(
        demo,
        SOCIAL,
        "3",
        "--reason",
        "社会效益证据不足",
        "--opinion",
        "补充服务对象反馈材料",
        "--reviewer",
        "某县财政局",
    )
    return demo


def score_table(document: docx.document.Document) -> list[list[str]]:
    tables = [table for table in document.tables if table.rows[0].cells[0].text == "一级指标"]
    assert len(tables) == 1
    return [[cell.text for cell in row.cells] for row in tables[0].rows]


def test_a_review_reason_ending_a_sentence_is_not_followed_by_a_second_mark(demo: Path, tmp_path: Path) -> None:
    """“…按一半计分。” then the flag read “…按一半计分。；自评高于复核…” in the 复核意见."""
    review(demo, SOCIAL, "3", "--reason", "佐证只有一半，按一半计分。", "--opinion", "补充材料。")
    out = tmp_path / "复核版.docx"
    assert main(["report", str(demo), "--review", "--out", str(out)]) == 0
    rows = score_table(docx.Document(str(out)))
    social = dict(zip(rows[0], next(row for row in rows if row[2] == "社会效益")))
    said = social["复核意见"]
    assert "理由：佐证只有一半，按一半计分；意见：补充材料；自评高于复核 3.00 分" in said, said
    assert "。；" not in said


def test_docx_with_review_has_both_scores_their_difference_and_the_opinion(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "复核版.docx"
    assert main(["report", str(reviewed), "--review", "--out", str(out)]) == 0
    document = docx.Document(str(out))
    rows = score_table(document)
    header = rows[0]
    assert header == [
        "一级指标",
        "二级指标",
        "三级指标",
        "分值",
        "指标值",
        "完成值",
        "自评得分",
        "复核得分",
        "差",
        "扣分原因",
        "复核意见",
    ]
    by_name = {row[2]: dict(zip(header, row)) for row in rows[1:]}
    social = by_name["社会效益"]
    assert (social["自评得分"], social["复核得分"], social["差"]) == ("6.00", "3.00", "+3.00")
    assert "理由：社会效益证据不足" in social["复核意见"] and "意见：补充服务对象反馈材料" in social["复核意见"]
    assert "自评高于复核 3.00 分" in social["复核意见"]
    unreviewed = by_name["在职人员控制率"]
    assert (unreviewed["自评得分"], unreviewed["复核得分"], unreviewed["差"], unreviewed["复核意见"]) == (
        "5.00",
        "5.00",
        "0.00",
        "",
    )
    total = dict(zip(header, rows[-1]))
    assert (total["一级指标"], total["自评得分"], total["复核得分"], total["差"]) == ("合计", "65.53", "62.53", "+3.00")
    assert total["复核意见"] == "复核等级：中（暂定）"
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "财政局复核：某县财政局复核了 1 项指标（其余 25 项沿用自评得分），复核总分 62.53 分" in text
    assert "自评与复核之差 +3.00 分，自评明显偏高" in text
    assert "部门整体支出绩效自评与复核得分表" in text


def test_the_report_stays_the_departments_own_without_review(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "自评.docx"
    assert main(["report", str(reviewed), "--out", str(out)]) == 0
    document = docx.Document(str(out))
    assert score_table(document)[0][6:] == ["得分", "扣分原因"]
    assert not any("复核" in paragraph.text for paragraph in document.paragraphs)


def test_review_without_a_review_record_is_refused(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "x.docx"
    assert main(["report", str(demo), "--review", "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "2018 年度尚无复核记录，不能生成含复核的报告" in error and "zzperf review" in error
    assert "Traceback" not in error and not out.exists()


def test_xlsx_with_review_sums_both_columns_and_every_figure_is_a_number(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "自评表.xlsx"
    assert main(["report", str(reviewed), "--review", "--out", str(out)]) == 0
    formulas = openpyxl.load_workbook(out)["自评表"]
    values = openpyxl.load_workbook(out, data_only=True)["自评表"]
    assert values["A1"].value == "部门整体支出绩效自评表（含财政局复核）"
    assert "复核：某县财政局" in values["A2"].value
    header = [cell.value for cell in values[3]]
    assert header[6:9] == ["自评得分", "复核得分", "差"] and header[-1] == "复核意见"
    self_col, review_col, diff_col = 7, 8, 9
    rows = {values.cell(row, 1).value or values.cell(row, 2).value or "": row for row in range(4, values.max_row + 1)}
    total = rows["合计"]
    assert formulas.cell(total, review_col).value.startswith("=SUM(H")
    assert formulas.cell(total, diff_col).value == f"=G{total}-H{total}"
    assert values.cell(total, self_col).value == pytest.approx(65.53)
    assert values.cell(total, review_col).value == pytest.approx(62.53)
    assert values.cell(total, diff_col).value == pytest.approx(3)
    note = values.cell(total, header.index("复核意见") + 1).value
    assert "自评明显偏高" in note
    assert "暂定：已复核 1/" in note and "其余按自评计" in note  # in the words the header and the reports use
    leaf_rows = [row for row in range(4, total) if values.cell(row, 3).value]
    social = next(row for row in leaf_rows if values.cell(row, 3).value == "社会效益")
    assert (values.cell(social, review_col).value, values.cell(social, diff_col).value) == (3, 3)
    for row in range(4, total + 1):  # every 复核 and 差 cell is a number (or empty where there is no score)
        for column in (review_col, diff_col):
            value = values.cell(row, column).value
            assert value is None or isinstance(value, (int, float)), (row, column, value)
    assert sum(values.cell(row, review_col).value or 0 for row in leaf_rows) == pytest.approx(62.53)


def test_markdown_and_html_with_review(reviewed: Path, tmp_path: Path) -> None:
    for suffix in ("md", "html"):
        out = tmp_path / f"r.{suffix}"
        assert main(["report", str(reviewed), "--review", "--out", str(out)]) == 0
        text = out.read_text(encoding="utf-8")
        assert "复核总分 62.53 分" in text and "自评明显偏高" in text
        assert "社会效益：自评 6.00 分，复核 3.00 分。理由：社会效益证据不足" in text
    markdown = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "| 自评得分 | 复核得分 | 差 | 扣分原因 | 复核意见 |" in markdown
    assert "| **合计** | | | **100.00** | | | **65.53** | **62.53** | **+3.00** |" in markdown
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<th>自评得分</th><th>复核得分</th><th>差</th>" in html


def test_a_users_sandboxed_template_sees_the_review_as_plain_data(reviewed: Path, tmp_path: Path) -> None:
    folder = tmp_path / "模板"
    assert main(["report", "--export-templates", str(folder)]) == 0
    (folder / "report.md.j2").write_text(
        "{% for row in scores.rows if row.kind == 'leaf' and row.reviewed %}"
        "{{ row.level3 }} {{ row.score|score }}→{{ row.review_score|score }}；{% endfor %}"
        "{{ review.reviewer }} {{ review.total|score }}",
        encoding="utf-8",
    )
    out = tmp_path / "r.md"
    assert main(["report", str(reviewed), "--review", "--template", str(folder), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == "社会效益 6.00→3.00；某县财政局 62.53"


# ─── the ranking of a folder ───


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """Three departments (copies of the demo): one inflated against its 复核, one with an automatic score raised
    above what its 决算 gives (and reviewed as is), one not reviewed."""
    folder = tmp_path / "全县"
    for name in ("甲", "乙", "丙"):
        shutil.copytree(DEMO, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
        profile = folder / name / "zzperf.toml"
        text = profile.read_text(encoding="utf-8")
        profile.write_text(text.replace('name = "株洲市政务服务中心"', f'name = "{name}局"', 1), encoding="utf-8")
    review(folder / "甲", SOCIAL, "1", "--reason", "无佐证")
    workspace = Workspace(folder / "乙")
    evaluation = workspace.load_evaluation(2018)
    raised = {"score": Decimal(6), "reason": "预算执行良好", "status": "confirmed"}
    workspace.save_evaluation(update_entry(evaluation, "process.execution.budget_completion", raised))
    review(folder / "乙", SOCIAL, "6")
    return folder


def test_compare_csv_has_review_columns_numeric_and_flags(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "排名.csv"
    assert main(["compare", str(county), "--year", "2018", "--out", str(out)]) == 0
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[header.index("等级") + 1 : header.index("等级") + 5] == ["状态", "复核", "差", "复核提示"]
    records = {Path(row[header.index("工作区")]).name: dict(zip(header, row)) for row in rows[1:]}
    first, second, third = records["甲"], records["乙"], records["丙"]
    assert (Decimal(first["复核"]), Decimal(first["差"])) == (Decimal("60.53"), Decimal("5.00"))
    assert first["复核提示"] == "自评明显偏高：高于复核 5.00 分；复核暂定：已复核 1/26 项，其余按自评计"
    assert (first["状态"], third["状态"]) == ("草稿", "草稿")
    assert (Decimal(second["总分"]), Decimal(second["复核"]), Decimal(second["差"])) == (
        Decimal("69.53"),
        Decimal("69.53"),
        Decimal("0.00"),
    )
    assert second["复核提示"] == "复核暂定：已复核 1/26 项，其余按自评计；自评高于决算数据所得 4.00 分（预算完成率）"
    assert (third["复核"], third["差"], third["复核提示"]) == ("", "", "未复核")


def test_compare_xlsx_cells_are_numbers(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "排名.xlsx"
    assert main(["compare", str(county), "--year", "2018", "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out)["排名"]
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    by_name = {Path(row[header.index("工作区")]).name: row for row in values[1:]}
    assert by_name["甲"][header.index("复核")] == pytest.approx(60.53)
    assert by_name["甲"][header.index("差")] == 5
    assert by_name["丙"][header.index("复核")] is None and by_name["丙"][header.index("差")] is None
    assert by_name["丙"][header.index("复核提示")] == "未复核"
    assert isinstance(by_name["乙"][header.index("总分")], float) and by_name["乙"][header.index("暂定")]


def test_compare_in_the_terminal_names_the_largest_inflation(county: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["compare", str(county), "--year", "2018"]) == 0
    output = capsys.readouterr().out
    assert "已复核 2 个部门，未复核 1 个" in output and "差 ≥ 3.00 分标为自评明显偏高" in output
    assert "自评高于复核最多：甲局（5.00 分）" in output
    table = read_box_table(output)
    records: list[list[str]] = []  # per department: its name and its 提示, their wrapped lines joined
    for row in table.rows:
        if row[table.heads.index("排名")]:
            records.append(["", ""])
        records[-1][0] += row[table.heads.index("部门")]
        records[-1][1] += row[table.heads.index("提示")]
    tips = {name: tip.replace(" ", "") for name, tip in records}
    assert "自评明显偏高：高于复核5.00分" in tips["甲局"], tips  # in the department's row, not below the table
    assert "自评高于决算数据所得4.00分（预算完成率）" in tips["乙局"], tips
    assert "未复核" in output and "⚠" not in output


def test_folder_report_with_review_includes_it_where_there_is_one(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告"
    assert main(["report", str(county), "--year", "2018", "--review", "--format", "md", "--out", str(out)]) == 0
    written = sorted(out.iterdir())
    assert len(written) == 3
    with_review = [path.name for path in written if "复核得分" in path.read_text(encoding="utf-8")]
    assert with_review == ["乙局-2018.md", "甲局-2018.md"]
