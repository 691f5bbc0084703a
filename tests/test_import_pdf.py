"""Importing a published 决算 PDF as it is: ruled tables, figure runs set back into the 说明, and clear refusals.

The oracle is ``tests/fixtures/real/上海市普陀区财政局-2024-部门决算.pdf``, a document as the department published
it (see ``../shared/real/README.md``); every figure asserted here is printed in it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from zzperf.checks import run_checks
from zzperf.cli import main
from zzperf.errors import ZzperfError
from zzperf.importing import read_import
from zzperf.importing.pdf import read_pdf
from zzperf.workspace import Workspace

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
PUTUO = REAL / "上海市普陀区财政局-2024-部门决算.pdf"
TEMPLATE = REAL / "部门决算模板-上海市XX局-2024.pdf"


@pytest.fixture(scope="module")
def putuo():  # noqa: ANN201 - an ImportResult
    return read_import(PUTUO)


def _line(section: dict, code: str) -> dict:
    return next(line for line in section["lines"] if line["code"] == code)


def test_the_nine_tables_are_found_by_name_with_their_page(putuo) -> None:  # noqa: ANN001
    kinds = {table.kind: table.where for table in putuo.tables}
    assert kinds == {
        "overview": "第 6 页",
        "income_table": "第 8 页",
        "expenditure": "第 10 页",
        "fiscal_overview": "第 12 页",
        "general_budget_expenditure": "第 15 页",
        "basic_expenditure": "第 16 页",
        "three_public": "第 18 页",
        "gov_fund": "第 19 页",
        "state_capital": "第 20 页",
    }
    assert putuo.form == "PDF"
    assert putuo.year == 2024  # “年度部门决算” and “2024” are separate text runs on the cover
    assert {table.unit for table in putuo.tables} == {"万元"}


def test_one_figure_of_each_table_reads_back(putuo) -> None:  # noqa: ANN001
    sections = putuo.sections
    # 收入支出决算总表, continued on page 7 without its header
    assert sections["overview"]["carryover_begin"] == Decimal("49.14")
    assert sections["overview"]["carryover_end"] == Decimal("55.34")
    assert sections["overview"]["income_grand_total"] == Decimal("2995.39")
    assert sections["income"]["general_budget"] == Decimal("2940.05")
    # 收入决算表: 类/款/项 in three columns, rows that fill 2 of 7 columns (the blank ones are zeros), a name
    # wrapped in its cell
    income = sections["income_table"]
    zeros = dict.fromkeys(("superior_subsidy", "business", "operating", "affiliated"), Decimal("0.00"))
    assert income["total"] == {
        "total": Decimal("2946.25"),
        "fiscal": Decimal("2940.05"),
        "other": Decimal("6.20"),
        **zeros,
    }
    assert _line(income, "2080505") == {
        "code": "2080505",
        "name": "机关事业单位基本养老保险缴费支出",
        "total": Decimal("160.75"),
        "fiscal": Decimal("160.75"),
        "other": Decimal("0.00"),
        **zeros,
    }
    assert _line(income, "2210203")["total"] == Decimal("258.50")  # page 9, after the page break
    # 支出决算表
    assert _line(sections["expenditure"], "2010601") == {
        "code": "2010601",
        "name": "行政运行",
        "total": Decimal("1511.89"),
        "basic": Decimal("1503.52"),
        "project": Decimal("8.37"),
        **dict.fromkeys(("remit", "operating", "affiliated"), Decimal("0.00")),
    }
    # 财政拨款收入支出决算总表: its two-line column header names 一般公共预算财政拨款
    fiscal = sections["fiscal_overview"]
    assert fiscal["expenditure_general"] == Decimal("2940.05")
    assert fiscal["carryover_begin_general"] == Decimal("21.63")
    assert fiscal["expenditure_grand_total"] == Decimal("2961.68")
    # 一般公共预算财政拨款支出决算表 (its 合计 row at the bottom)
    general = sections["general_budget_expenditure"]
    assert general["total"] == {"total": Decimal("2940.05"), "basic": Decimal("2336.91"), "project": Decimal("603.14")}
    # 基本支出决算表: two blocks side by side, 类 and 款 in separate columns, continued on page 17
    basic = sections["basic_expenditure"]
    assert basic["personnel_total"] == Decimal("2152.26") and basic["public_total"] == Decimal("184.65")
    assert _line(basic, "30101") == {"code": "30101", "name": "基本工资", "amount": Decimal("262.33")}
    # a blank 决算数: the published tables print only the cells that are not zero
    assert _line(basic, "30231") == {"code": "30231", "name": "公务用车运行维护费", "amount": Decimal("0.00")}
    assert _line(basic, "31002") == {"code": "31002", "name": "办公设备购置", "amount": Decimal("13.58")}
    # 政府性基金: empty, with its statement under the table
    assert sections["gov_fund"] == {
        "has_data": False,
        "note": "上海市普陀区财政局无政府性基金预算财政拨款支出，故本表无数据",
    }


def test_the_narrative_figures_go_back_into_their_sentences() -> None:
    text = read_pdf(PUTUO).text.replace("\n", "")  # the PDF's own line breaks fall mid-sentence
    assert "一般公共预算财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%。" in text
    assert "机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%。" in text
    assert "1、一般公共服务支出（类）财政事务（款）行政运行（项）。" in text
    assert "上海市普陀区财政局2024年度部门决算" in text


def test_the_template_with_xxx_for_figures_reads_no_numbers() -> None:
    result = read_import(TEMPLATE, year=2024)
    assert len(result.found) >= 8
    assert any("没有读到任何数字" in problem.message for problem in result.problems)
    said = next(problem for problem in result.problems if "没有读到任何数字" in problem.message)
    assert "未填写的空白模板" in said.message and "复制" not in said.hint  # a PDF, not pasted text


# ─── refusals: each names what was found and what is missing ─────────────────────


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A small PDF file from its numbered objects, with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def _page_pdf(content: bytes, trailer: bytes = b"", extra: list[bytes] | None = None) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *(extra or []),
        ],
        trailer,
    )


def test_a_scanned_pdf_says_it_has_no_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "扫描件.pdf"
    path.write_bytes(_page_pdf(b"0.5 g 50 50 495 742 re f"))  # a page with a picture-like fill and no text
    with pytest.raises(ZzperfError) as caught:
        read_import(path)
    assert "没有文字层" in caught.value.message and "扫描件" in caught.value.message
    assert "OCR" in (caught.value.hint or "")


def test_an_encrypted_pdf_asks_for_an_unlocked_copy(tmp_path: Path) -> None:
    path = tmp_path / "加密.pdf"
    encrypt = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -44 >>" % (b"ab" * 32, b"cd" * 32)
    path.write_bytes(
        _page_pdf(
            b"BT /F1 12 Tf 72 720 Td (x) Tj ET",
            b"/Encrypt 6 0 R /ID [<%s> <%s>] " % (b"01" * 16, b"01" * 16),
            [encrypt],
        )
    )
    with pytest.raises(ZzperfError) as caught:
        read_import(path)
    assert "已加密" in caught.value.message
    assert "不加密" in (caught.value.hint or "")


def test_a_pdf_that_is_no_decision_document_names_the_tables_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "会议纪要.pdf"
    path.write_bytes(_page_pdf(b"BT /F1 12 Tf 72 720 Td (Minutes of the meeting, 2024) Tj ET"))
    with pytest.raises(ZzperfError) as caught:
        read_import(path)
    assert "PDF 中没有找到任何决算表（共 1 页，0 张带表格线的表格）" in caught.value.message
    assert "收入支出决算总表" in (caught.value.hint or "")


def test_a_pdf_with_tables_missing_names_them(tmp_path: Path) -> None:
    import pypdfium2

    source = pypdfium2.PdfDocument(str(PUTUO))
    short = pypdfium2.PdfDocument.new()
    short.import_pages(source, list(range(0, 11)))  # 封面 … 支出决算表 (pages 1–11)
    path = tmp_path / "前三张表.pdf"
    short.save(str(path))
    result = read_import(path)
    assert set(result.found) == {"overview", "income_table", "expenditure"}
    missing = next(problem for problem in result.problems if problem.message.startswith("缺少"))
    assert "公开04表 财政拨款收入支出决算总表" in missing.message and missing.partial_ok


def test_the_budgets_the_narrative_states_are_suggested(putuo) -> None:  # noqa: ANN001
    suggested = {suggestion.path: suggestion for suggestion in putuo.suggestions}
    assert suggested["budget.initial"].value == Decimal("2993.92") and suggested["budget.initial"].conflict is None
    assert suggested["budget.initial"].sources[0].where.startswith("第 21 页")
    # “1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：……。年初预算为 1560.05 万元”
    assert suggested["budget.by_function[2010601].initial"].value == Decimal("1560.05")
    # the 项 name broken over two lines (“行政单位离退休 / （项）”)
    assert suggested["budget.by_function[2080501].initial"].value == Decimal("85.55")
    assert suggested["budget.by_function[2210203].initial"].value == Decimal("258.50")
    by_function = [path for path in suggested if path.startswith("budget.by_function")]
    assert len(by_function) == 11 and all(suggested[path].conflict is None for path in by_function)
    # the 三公 sentence's “年初预算为 0.95 万元” is no department budget
    assert not any(suggestion.value == Decimal("0.95") for suggestion in putuo.suggestions)


def test_the_three_public_pairs_are_read_in_the_order_of_their_header(putuo) -> None:  # noqa: ANN001
    # 预算数/决算数 pairs under a three-row header: “0.95 | | … | 0.95 |” is 合计 and 公务接待费 预算数;
    # every 决算数 is blank, which the printed table means as zero.
    three = putuo.sections["three_public"]
    assert three["budget"]["total"] == Decimal("0.95") and three["budget"]["reception"] == Decimal("0.95")
    assert three["budget"]["vehicle_purchase"] == 0 and three["budget"]["abroad"] == 0
    assert all(value == 0 for value in three["actual"].values()) and len(three["actual"]) == 6


def test_every_figure_keeps_the_page_table_and_row_it_was_printed_in(putuo) -> None:  # noqa: ANN001
    origins = putuo.origins
    assert origins["overview.carryover_begin"] == "第 7 页 收入支出决算总表 ‘年初结转和结余’"
    assert origins["income_table.lines[2010601].total"] == "第 8 页 收入决算表 ‘2010601 行政运行 本年收入合计’"
    assert origins["income_table.lines[2210203].total"].startswith("第 9 页 收入决算表 ‘2210203 购房补贴")
    assert origins["basic_expenditure.personnel_total"] == "第 17 页 一般公共预算财政拨款基本支出决算表 ‘人员经费合计’"
    assert origins["three_public.budget.reception"].startswith("第 18 页 财政拨款“三公”经费支出决算表 ‘")
    assert "公务接待费预算数" in origins["three_public.budget.reception"]


def test_check_finds_only_what_the_document_really_contains(tmp_path: Path) -> None:
    from zzperf.checks import run_checks
    from zzperf.cli import main
    from zzperf.narrative import audit
    from zzperf.workspace import Workspace

    root = tmp_path / "ws"
    assert main(["init", str(root), "--name", "上海市普陀区财政局", "--year", "2024", "--set", "zhuzhou-zwfw"]) == 0
    assert main(["import", str(PUTUO), str(root), "--accept-suggestions"]) == 0  # nothing refused, nothing partial
    workspace = Workspace(root)
    accounts, previous = workspace.load_accounts(2024), workspace.previous_accounts(2024)
    report = run_checks(accounts, previous)
    assert report.errors == () and report.warnings == ()
    # 302 商品和服务支出 171.07 against its twelve 款 171.09: within their rounding, said as a 提示
    tail = next(finding for finding in report.infos if finding.code == "T6-302")
    assert "可能为四舍五入差异" in tail.message
    # the two real contradictions of its 说明, both on page 21: 财政拨款收入支出总计 printed as 0.3 万元 where the
    # 财政拨款收入支出决算总表 totals 2961.68; 201 一般公共服务支出 2106.66 ÷ 2940.05 is 71.65%, the 说明 prints 71.73%
    result = read_import(PUTUO)
    narrative = audit(result.text or "", accounts, previous, source=PUTUO.name, pages=result.text_pages)
    assert [finding.code for finding in narrative.errors] == ["N-AMOUNT", "N-SHARE"]
    total, share = narrative.errors
    assert (
        "第 21 页“" in total.message and "财政拨款收入支出总计0.3万元" in total.message and "2961.68" in total.message
    )
    assert "第 21 页“占71.73%”" in share.message and "2106.66" in share.message
    # every other figure the 说明 cites and the workspace holds agrees, 收入支出总计 and its fall of 1.87% included
    assert narrative.checked >= 66
    # 预算完成率 as the document prints it: 支出决算 2940.05 ÷ 年初预算 2993.92
    card = workspace.score(2024)
    assert card.results["process.execution.budget_completion"].value_text == "98.20%"


# ─── PDFium reads the pages as pdfplumber would ───────────────────────────────────


def _same_reading(path: Path) -> None:
    fast, reference = read_pdf(path), read_pdf(path, pdfium=False)
    assert fast.lines == reference.lines
    assert (fast.text, fast.text_pages, fast.tables) == (reference.text, reference.text_pages, reference.tables)


@pytest.mark.parametrize("path", [PUTUO, TEMPLATE], ids=["putuo", "template"])
def test_pdfium_reads_the_real_documents_exactly_as_pdfplumber(path: Path) -> None:
    _same_reading(path)


_GRID = b"".join(b"%d 500 m %d 600 l S " % (x, x) for x in (100, 250, 400)) + b"".join(
    b"100 %d m 400 %d l S " % (y, y) for y in (500, 550, 600)
)
_CELLS = b"BT /F1 1 Tf 10 0 0 10 110 570 Tm (Total) Tj 15 0 Td (12.50) Tj ET "
_CELLS += b"BT /F1 10 Tf 110 520 Td (Other) Tj 150 0 Td (3.25) Tj ET"


@pytest.mark.parametrize(
    "content",
    [
        _GRID + _CELLS,  # text set at size 1 and scaled by its matrix, as some producers do
        _GRID + b"q 0 0 1 rg 100 500 300 100 re S Q " + _CELLS,  # a rectangle closing the grid
        _GRID + b"100 100 m 120 140 160 140 180 100 c S " + _CELLS,  # a curve: pdfplumber reads the page
        _GRID + _CELLS + b" BT /F1 12 Tf 0 1 -1 0 500 300 Tm (turned) Tj ET",  # rotated text: likewise
        _GRID + b"100 600 m 250 550 l S " + _CELLS,  # a slanted stroke (a split header cell): likewise
    ],
    ids=["scaled-text", "rectangle", "curve", "rotated-text", "slant"],
)
def test_pdfium_reads_a_ruled_page_as_pdfplumber(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "表.pdf"
    path.write_bytes(_page_pdf(content))
    document = read_pdf(path)
    assert document.tables == 1 and any(line.positional and "12.50" in line.cells for line in document.lines)
    _same_reading(path)


# ─── the same document as text copied from a PDF viewer ─────────────────────────


def _figures(value, path: str = "") -> dict[str, object]:  # noqa: ANN001 - a section of ImportResult.sections
    if isinstance(value, dict):
        return {key: item for name, part in value.items() for key, item in _figures(part, f"{path}.{name}").items()}
    if isinstance(value, list):
        out: dict[str, object] = {}
        for index, part in enumerate(value):
            out.update(_figures(part, f"{path}[{part.get('code', index) if isinstance(part, dict) else index}]"))
        return out
    return {path: value}


def test_text_copied_from_the_pdf_reads_names_set_above_their_codes_and_guesses_no_sparse_row(
    tmp_path: Path,
    putuo,  # noqa: ANN001
) -> None:
    import pdfplumber

    with pdfplumber.open(PUTUO) as pdf:  # what a PDF viewer's copy gives: one text line per visual line
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "\n行政运行\n201 06 01 1,511.89 1,503.52 8.37\n" in text  # the name a line above its code
    assert "\n年度部门决算\n2024\n" in text  # the year set as a run of its own
    path = tmp_path / "复制.txt"
    path.write_text(text, encoding="utf-8")
    result = read_import(path)
    assert result.year == 2024
    table = result.found["general_budget_expenditure"].data["general_budget_expenditure"]
    lines = {line["code"]: line for line in table["lines"]}
    assert lines["20106"]["name"] == "财政事务" and lines["2010601"]["name"] == "行政运行"
    assert lines["2010601"]["total"] == Decimal("1511.89") and lines["2010601"]["project"] == Decimal("8.37")
    # every figure read agrees with the PDF's ruled cells; rows whose blank cells vanished are refused, not guessed
    copied, printed = _figures(result.sections), _figures(putuo.sections)
    figures = {key: value for key, value in copied.items() if isinstance(value, Decimal)}
    assert figures and all(printed.get(key) == value for key, value in figures.items())
    sparse = [note for read, note in result.not_understood if read.kind == "general_budget_expenditure"]
    assert any(note.text == "201  06  02  10.00  10.00" and note.material for note in sparse)


def test_a_later_check_names_where_the_figures_of_an_error_were_printed(tmp_path: Path) -> None:
    from zzperf.cli import main
    from zzperf.workspace import ORIGINS_FILE

    root = tmp_path / "ws"
    assert main(["init", str(root), "--name", "上海市普陀区财政局", "--year", "2024", "--set", "zhuzhou-zwfw"]) == 0
    assert main(["import", str(PUTUO), str(root)]) == 0
    record = (root / "2024" / ORIGINS_FILE).read_text(encoding="utf-8")
    assert '"overview.carryover_begin" = { where = "第 7 页 收入支出决算总表 ‘年初结转和结余’", value = "' in record
    accounts_file = root / "2024" / "accounts.toml"
    text = accounts_file.read_text(encoding="utf-8")
    # 本年支出合计 edited by hand: the totals no longer add up, and it is no longer the document's figure
    edited = re.sub(r"(?m)^expenditure_total = [\d.]+", "expenditure_total = 1.00", text, count=1)
    assert edited != text
    accounts_file.write_text(edited, encoding="utf-8")
    out = _run(["check", str(root)])
    assert f"上述问题中的数字在原文件（{PUTUO.name}）中的位置" in out
    assert "第 7 页 收入支出决算总表 ‘总计’" in out  # the grand total, still as imported
    assert "‘本年支出合计’" not in out  # the edited figure names no place in the document


def _run(argv: list[str]) -> str:
    import contextlib
    import io

    from zzperf.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        main(argv)
    return buffer.getvalue()


def test_the_report_compares_a_subjects_budget_with_all_it_spent_not_its_projects_alone(tmp_path: Path) -> None:
    """行政运行（2010601）spent 1511.89 万元 (基本 1503.52 + 项目 8.37) against its 年初预算 of 1560.05 万元, both
    printed in the PDF: the 项目支出 section said 8.37 “完成年初预算的 0.54%” (the project part over the whole
    subject's budget)."""
    from zzperf.cli import main
    from zzperf.report import context_for, render_text
    from zzperf.workspace import Workspace

    root = tmp_path / "普陀区财政局"
    assert main(["init", str(root), "--name", "上海市普陀区财政局", "--year", "2024", "--set", "zhuzhou-zwfw"]) == 0
    assert main(["import", str(PUTUO), str(root), "--accept-suggestions"]) == 0
    workspace = Workspace(root)
    line = next(line for line in workspace.load_accounts(2024).budget.by_function if line.code == "2010601")
    assert line.initial == Decimal("1560.05")
    text = render_text(context_for(workspace, 2024), "md")
    assert (
        "行政运行（2010601）项目支出 8.37 万元，该科目支出合计 1511.89 万元，该科目年初预算 1560.05 万元，"
        "完成年初预算的 96.91%" in text
    ), text
    assert "0.54%" not in text
    row = next(row for row in text.splitlines() if row.startswith("| 2010601 "))
    assert row.endswith("| 96.91%（按科目支出合计） |"), row


def test_the_function_classes_of_the_two_summary_tables_are_said_to_be_only_compared(putuo) -> None:  # noqa: ANN001
    """01表 and 04表 print all 26 function classes, 一般公共服务支出 2106.66 and three more with figures, the rest
    blank (zero): read and compared, not kept, and the summary said 未导入 0 with no word of them."""
    by_kind = {table.kind: table for table in putuo.tables}
    for kind, detail in (("overview", "支出决算表"), ("fiscal_overview", "一般公共预算财政拨款支出决算表")):
        notes = by_kind[kind].notes
        assert (
            f"支出栏按功能分类的 26 类金额只用于与{detail}的各类核对（相差超过 0.01 万元时列出），不单独保存" in notes
        )
    classes = by_kind["overview"].cross["classes"]
    assert classes["一般公共服务支出"] == Decimal("2106.66") and classes["外交支出"] == Decimal("0.00")
    assert sum(1 for value in classes.values() if value) == 4


def test_a_blank_cell_of_a_printed_row_reads_as_zero_and_the_summary_says_so(putuo) -> None:  # noqa: ANN001
    """The tables print only the cells that are not zero. 06表's 30217 公务接待费 and 01表's 政府性基金预算财政拨款收入
    are printed with blank amounts: 0, as 07表's blank 决算数 already were, so that the 勾稽 rules between them run.
    The 01表 rows with blank amounts had been taken for a header repeated on a new page (their labels hold 收入 and
    支出). 02、03 and 05表 print a row's columns the same way (收入决算表: most rows fill 2 of 7)."""
    assert _line(putuo.sections["income_table"], "2010607")["other"] == Decimal("0.00")
    assert putuo.sections["expenditure"]["total"]["remit"] == Decimal("0.00")
    sections = putuo.sections
    assert _line(sections["basic_expenditure"], "30217") == {
        "code": "30217",
        "name": "公务接待费",
        "amount": Decimal("0.00"),
    }
    assert sections["income"]["gov_fund"] == Decimal("0.00")
    assert sections["fiscal_overview"]["gov_fund_income"] == Decimal("0.00")
    assert sections["three_public"]["actual"]["reception"] == Decimal("0.00")
    notes = {table.kind: table.notes for table in putuo.tables}
    blanks = {
        "overview": 30,
        "income_table": 95,
        "expenditure": 76,
        "fiscal_overview": 106,
        "general_budget_expenditure": 16,
        "basic_expenditure": 37,
    }
    for kind, count in blanks.items():
        assert f"{count} 个金额为空白，按 0 读取（决算公开表中空白即为零）" in notes[kind], (kind, notes[kind])


def test_the_rules_between_the_three_public_table_and_the_basic_table_run_on_the_published_figures(
    tmp_path: Path,
) -> None:
    """With 06表's blanks read as zeros, 公务接待费 决算数 ≤ 30217 and its two neighbours are checked, not skipped
    for 缺少数据; only the rules that need the year before or the 说明's figures are left."""
    workspace = tmp_path / "ws"
    assert main(["init", str(workspace), "--name", "上海市普陀区财政局", "--year", "2024"]) == 0
    assert main(["import", str(PUTUO), str(workspace), "--year", "2024"]) == 0
    year = Workspace(workspace).load_accounts(2024)
    report = run_checks(year, None)
    skipped = {code for code, _ in report.skipped}
    assert not skipped & {"T7-T6-ABROAD", "T7-T6-VEHICLE", "T7-T6-RECEPTION", "T8-T4", "T1-T4-GOV-FUND"}
    assert not report.errors


def test_the_blank_templates_refusal_is_not_buried_under_its_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its 21 rows without figures were listed one by one before the one line that matters (an unfilled template):
    they are counted in a line, and the refusal follows."""
    workspace = tmp_path / "ws"
    assert main(["init", str(workspace), "--name", "上海市XX局", "--year", "2024"]) == 0
    capsys.readouterr()
    assert main(["import", str(TEMPLATE), str(workspace), "--year", "2024"]) == 1
    out = capsys.readouterr().out
    assert "无法识别的行：21 行，都没有金额（各表中没有读到任何数字，见下），未逐行列出" in out
    assert "这一行没有金额" not in out and "看来是未填写的空白模板" in out
