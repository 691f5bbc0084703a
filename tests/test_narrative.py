"""说明核对: the seed's hand-written 说明 and 自评报告 against its own tables, and our own report against its data."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO as DEMO_PATH
from tests.seed_2018 import SEED_TEXT as SEED
from zzperf.accounts import Accounts
from zzperf.cli import main
from zzperf.narrative import audit, read_text
from zzperf.report import build_context, context_for, render
from zzperf.workspace import Workspace

DEMO = Workspace(DEMO_PATH)
ACCOUNTS = DEMO.load_accounts(2018)
PREVIOUS = DEMO.load_accounts(2017)


def check(text: str, accounts: Accounts = ACCOUNTS, previous: Accounts | None = PREVIOUS):
    return audit(text, accounts, previous)


def test_the_seed_narrative_disagrees_with_its_tables_where_it_is_wrong_and_only_there() -> None:
    report = check(SEED.read_text(encoding="utf-8"))
    found = sorted((finding.row, finding.code, finding.severity, finding.left) for finding in report.findings)
    assert found == sorted(
        [
            # 一般公共服务（类）支出 537.71: the table says 577.72 (537.72 is its 基本支出 column) …
            ("第 367 行", "N-AMOUNT", "error", Decimal("537.71")),
            ("第 373 行", "N-AMOUNT", "error", Decimal("537.71")),
            # … so its share and its rate against the budget are wrong too.
            ("第 367 行", "N-SHARE", "error", Decimal("86.8")),
            ("第 373 行", "N-RATIO", "error", Decimal("113")),
            # Rates cut off instead of rounded: 2.97% → “2.9%”, 3.65% → “3.6%”, 52.625% → “52.62%”, 96.67% → “96.6%”.
            ("第 341 行", "N-CHANGE", "warning", Decimal("2.9")),
            ("第 341 行", "N-CHANGE", "warning", Decimal("3.6")),
            ("第 353 行", "N-CHANGE", "warning", Decimal("2.9")),
            ("第 355 行", "N-CHANGE", "warning", Decimal("3.6")),
            ("第 363 行", "N-CHANGE", "warning", Decimal("3.6")),
            ("第 391 行", "N-RATIO", "warning", Decimal("52.62")),
            ("第 442 行", "N-SHARE", "warning", Decimal("96.6")),
            # The self-evaluation report (第五部分): 三公 4.22 against the table's 4.21, twice …
            # (the paragraph starts on line 508; these figures are on line 510, after the PDF's page break)
            ("第 510 行", "N-AMOUNT", "warning", Decimal("4.22")),
            ("第 510 行", "N-AMOUNT", "warning", Decimal("4.22")),
            # … 21 批次 and 116 人 where the 说明 and the workspace say 5 and 36, and a year that is not 2018.
            ("第 510 行", "N-COUNT", "error", Decimal(21)),
            ("第 510 行", "N-COUNT", "error", Decimal(116)),
            ("第 494 行", "N-YEAR", "warning", None),
        ]
    )
    assert report.checked >= 100
    messages = "\n".join(finding.message for finding in report.findings)
    assert "公开05表 201 一般公共服务支出为 577.72 万元" in messages
    assert "按文中所写 537.71 计算则为 86.8%，错在金额" in messages
    assert "四舍五入应为 52.63%（疑似直接截去尾数）" in messages
    assert "句中写的是 2019 年" in messages


def test_right_figures_written_with_fewer_decimals_pass() -> None:
    report = check(
        "2018 年度财政拨款支出年初预算为 517.7 万元，支出决算为 619.54 万元，完成年初预算的 119.7%。"
        "社会保障和就业支出年初预算为 20.1 万元，支出决算为 20.1 万元，完成年初预算的 100%。"
        "本年支出合计 619.54 万元，其中：基本支出 579.54 万元，占 93.5%；项目支出 40 万元，占 6.5%。"
    )
    assert report.findings == ()
    assert report.checked == 11


def test_a_change_in_the_wrong_direction_is_an_error() -> None:
    report = check("2018 年收入 608.72 万元，与 2017 年的收入 591.15 万元相比减少 17.57 万元，下降 3.0%。")
    assert [(f.code, f.severity) for f in report.findings] == [("N-CHANGE", "error"), ("N-CHANGE", "error")]
    assert "应为增加 17.57 万元" in report.findings[0].message
    assert "实为增长" in report.findings[1].message


def test_without_the_previous_year_a_change_is_checked_only_against_the_sentence_s_own_figures() -> None:
    report = check(
        "2018 年收入 608.72 万元，与 2017 年的收入 591.15 万元相比增加 17.57 万元，增长 2.97%。", previous=None
    )
    assert report.findings == ()
    assert report.checked == 3  # this year's 608.72; 17.57 and 2.97% from 608.72 and the 591.15 the sentence states
    assert len(report.unplaced) == 1  # 591.15 itself: no table to compare it with
    alone = check("2018 年收入 608.72 万元，比上年增加 17.57 万元。", previous=None)
    assert alone.findings == () and alone.checked == 1 and len(alone.unplaced) == 1


def test_three_public_year_on_year_figures_that_do_not_add_up_are_errors_without_the_previous_year() -> None:
    said = "2018年度“三公”经费财政拨款支出4.21万元，比2017年度减少1.00万元，下降{}%。"
    right = check(said.format("19.19"), previous=None)
    assert right.findings == () and right.checked == 2  # 4.21 against the table; 1.00 ÷ (4.21 + 1.00)
    wrong = check(said.format("25.00"), previous=None)
    assert [(f.code, f.severity) for f in wrong.findings] == [("N-CHANGE", "error")]
    assert "19.19%" in wrong.findings[0].message and "5.21" in wrong.findings[0].message
    both = check("公务接待费0.44万元，2017年度为0.94万元，比2017年度减少0.40万元，下降53.19%。", previous=None)
    assert [(f.code, f.severity) for f in both.findings] == [("N-CHANGE", "error")]
    assert "应为减少 0.50 万元" in both.findings[0].message  # 0.44 − 0.94; the 53.19% follows from 0.94 and is right


def test_figures_it_cannot_place_are_listed_not_guessed() -> None:
    report = check("全年各类收费 12.58 亿元，其中建设报建收费 11.2 亿元。单位价值 50 万元以上通用设备 0 台。")
    assert report.findings == ()
    assert report.checked == 1  # the count: 0 台, as the workspace says
    assert [text.split("：")[1] for text in report.unplaced] == [
        "全年各类收费12.58亿元",
        "其中建设报建收费11.2亿元",
        "单位价值50万元",
    ]


def test_a_named_whole_after_zhan_is_the_base_of_the_share() -> None:
    right = check("基本支出中，人员经费 266.19 万元，占基本支出的 45.93%；公用经费 313.35 万元，占基本支出的 54.07%。")
    assert right.findings == () and right.checked == 4
    wrong = check("人员经费 266.19 万元，占本年支出合计的 45.93%。")
    assert [f.code for f in wrong.findings] == ["N-SHARE"]
    assert "266.19 ÷ 本年支出合计 619.54" in wrong.findings[0].message


def test_our_own_report_of_the_demo_agrees_with_its_data(tmp_path: Path) -> None:
    context = context_for(DEMO, 2018)
    markdown = render(context, "md").decode("utf-8")
    report = check(markdown)
    assert report.findings == ()
    assert report.checked >= 60
    docx = tmp_path / "report.docx"
    docx.write_bytes(render(context, "docx"))
    from_word = check(read_text(docx))
    assert from_word.findings == ()
    assert from_word.checked == report.checked


def _jittered(value: object, rng: random.Random) -> object:
    """Every amount multiplied by its own random factor: figures that need not add up, as typed data may be."""
    if isinstance(value, Decimal):
        return (value * Decimal(rng.randint(1, 300)) / 100).quantize(Decimal("0.01"))
    if isinstance(value, dict):
        return {key: _jittered(item, rng) for key, item in value.items()}
    if isinstance(value, list):
        return [_jittered(item, rng) for item in value]
    return value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32), with_previous=st.booleans())
def test_our_report_agrees_with_any_department_figures(seed: int, with_previous: bool) -> None:
    """Every amount, share, rate and change our report writes is one the audit reads back as right."""
    rng = random.Random(seed)
    accounts = Accounts.model_validate(_jittered(ACCOUNTS.model_dump(), rng))
    previous = Accounts.model_validate(_jittered(PREVIOUS.model_dump(), rng)) if with_previous else None
    context = build_context(DEMO.profile, DEMO.indicator_set, accounts, DEMO.load_evaluation(2018), previous)
    report = check(render(context, "md").decode("utf-8"), accounts, previous)
    assert report.findings == ()
    assert report.checked >= 40


def test_check_with_text_prints_both_and_fails_on_narrative_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "ws"), "--no-open"]) == 0
    capsys.readouterr()
    code = main(["check", str(tmp_path / "ws"), "--text", str(SEED)])
    out = capsys.readouterr().out
    assert code == 1
    assert "勾稽检查" in out and f"说明核对：{SEED}" in out
    assert "537.71" in out and "577.72" in out
    assert "6 个错误" in out


def test_check_with_an_unreadable_text_says_so_before_anything_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "ws"), "--no-open"]) == 0
    capsys.readouterr()
    binary = tmp_path / "说明.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    fake_word = tmp_path / "说明.docx"
    fake_word.write_bytes(b"PK\x03\x04 not really a zip")
    for path, words in (
        (binary, "不是文本文件"),
        (fake_word, "不是可读的 Word（.docx）文件"),
        (tmp_path / "无.txt", "文件不存在"),
    ):
        code = main(["check", str(tmp_path / "ws"), "--text", str(path)])
        captured = capsys.readouterr()
        assert code == 2
        assert captured.out == ""
        assert words in captured.err and str(path) in captured.err
        assert "Traceback" not in captured.err


def test_word_paragraphs_are_read(tmp_path: Path) -> None:
    path = tmp_path / "说明.docx"
    document = Document()
    document.add_heading("三、支出决算情况说明", level=2)
    document.add_paragraph(
        "本年支出合计 619.54 万元，其中：基本支出 579.54 万元，占 93.5%；项目支出 41 万元，占 6.5%。"
    )
    document.save(str(path))
    report = check(read_text(path))
    assert [(f.code, f.left, f.right) for f in report.findings] == [("N-AMOUNT", Decimal(41), Decimal("40.00"))]


def test_amounts_in_yuan_agree_to_the_cent() -> None:
    right = check("本年收入合计 6,087,200.00 元，本年支出合计 6195420 元。")
    assert right.findings == () and right.checked == 2
    wrong = check("本年收入合计 6,088,200.00 元。")
    assert [(f.code, f.severity, f.left) for f in wrong.findings] == [("N-AMOUNT", "error", Decimal("608.82"))]
    assert "文中写 6088200.00 元" in wrong.findings[0].message


def test_report_command_points_out_wrong_figures_in_the_evaluators_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "ws"), "--no-open"]) == 0
    out = tmp_path / "r.md"
    capsys.readouterr()
    assert main(["report", str(tmp_path / "ws"), "--format", "md", "--out", str(out)]) == 0
    assert "不符" not in capsys.readouterr().out  # the demo's own text has no money figures to get wrong
    evaluation = tmp_path / "ws" / "2018" / "evaluation.toml"
    text = evaluation.read_text(encoding="utf-8").replace(
        "首批推进 28 件事。", "首批推进 28 件事。“三公”经费完成预算的 52.6%，支出 4.22 万元。"
    )
    evaluation.write_text(text, encoding="utf-8")
    assert main(["report", str(tmp_path / "ws"), "--format", "md", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "报告文字中有 1 处数字与决算数据不符" in printed
    assert "主要成绩" in printed and "4.21 万元" in printed
    assert "支出 4.22 万元" in out.read_text(encoding="utf-8")  # the report keeps the evaluator's words


@pytest.mark.parametrize(
    "lead",
    ["", "二是", "其二，", "（二）", "(2)", "2.", "2、", "二、", "二．", "②", "2）"],
)
def test_an_enumerated_point_does_not_hide_what_its_figure_is(
    lead: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """“二是“三公”经费支出合计 4.22 万元。” is the 三公 total, as without the 二是; the quote is as written."""
    monkeypatch.setenv("COLUMNS", "300")
    path = tmp_path / "说明.txt"
    sentence = f"{lead}“三公”经费支出合计 4.22 万元。"
    path.write_text(f"一、基本情况\n\n{sentence}\n", encoding="utf-8")
    assert main(["check", str(DEMO_PATH), "--year", "2018", "--text", str(path)]) == 1  # the demo's 勾稽 error
    printed = " ".join(capsys.readouterr().out.split())
    assert "0 处数字无法对应" in printed, printed
    quoted = sentence.removesuffix("。").removeprefix("其二，").removeprefix("二、").removeprefix("2、")
    assert f"第 3 行「{quoted}」：文中写 4.22 万元，“三公”经费决算数·合计为 4.21 万元" in printed
    assert "““" not in printed


def test_an_enumerated_chain_of_rows_is_read_through_its_lead_in() -> None:
    report = check("（二）一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）支出 310 万元。")
    assert report.unplaced == () and report.checked == 1
    assert (
        "第 1 行“…（类）政府办公厅（室）及相关机构事务（款）行政运行（项）支出 310 万元”："
        in report.findings[0].message
    )


def test_word_paragraphs_and_report_text_are_counted_as_paragraphs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    path = tmp_path / "报告.docx"
    document = Document()
    document.add_paragraph("一、基本情况")
    document.add_paragraph("")
    document.add_paragraph("全年共办理各类事项 54875 件。")
    document.add_paragraph("")
    document.add_paragraph("一是全年支出 619.54 万元；二是“三公”经费支出合计 4.22 万元。")
    document.save(str(path))
    assert main(["check", str(DEMO_PATH), "--year", "2018", "--text", str(path)]) == 1
    printed = " ".join(capsys.readouterr().out.split())
    assert "第 3 段「二是“三公”经费支出合计 4.22 万元」" in printed, printed

    assert main(["demo", str(tmp_path / "ws"), "--no-open"]) == 0
    evaluation = tmp_path / "ws" / "2018" / "evaluation.toml"
    text = evaluation.read_text(encoding="utf-8").replace(
        "首批推进 28 件事。", "首批推进 28 件事。\n\n二是“三公”经费支出合计 4.22 万元。"
    )
    evaluation.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["report", str(tmp_path / "ws"), "--format", "md", "--out", str(tmp_path / "r.md")]) == 0
    printed = capsys.readouterr().out
    assert "主要成绩 第 4 段「二是“三公”经费支出合计 4.22 万元」：文中写 4.22 万元" in printed, printed


RIGHT = [
    # two subjects in one sentence; a 预算 before does not make the next 支出 a budget
    "2018年度收入608.72万元，支出619.54万元。",
    "公务接待费年初预算4万元，全年支出0.44万元。",
    "“三公”经费年初预算8万元，全年实际支出4.21万元，节约3.79万元。",
    "本年支出619.54万元，为年初预算的119.67%，超支101.84万元。",
    # the 财政部 template: a 类/款/项 heading, then its figures (the deepest row is meant)
    "1.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为435.88万元，支出决算为485.47万元，完成年初预算的111.38%。",
    "1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）：年初预算为40万元，支出决算为40万元，完成年初预算的100%。",
    "医疗卫生与计划生育支出（类）行政事业单位医疗（款）行政单位医疗（项）支出决算为16.52万元。",
    "一般公共服务支出577.72万元，占一般公共预算财政拨款支出的93.25%。",
    "2018年度一般公共预算财政拨款基本支出579.54万元。",
    # the name after the figure; a row's own columns; a name before a colon
    "本年支出合计619.54万元，其中579.54万元用于基本支出，40万元用于项目支出。",
    "“三公”经费支出4.21万元，其中3.77万元为公务用车运行维护费，0.44万元为公务接待费。",
    "一般公共服务支出577.72万元，其中基本支出537.72万元，项目支出40万元。",
    "本年收入合计：608.72万元。",
    # the year named last is the figure's; 经济分类 names beside 功能分类 ones
    "与2017年相比2018年支出619.54万元，增加21.82万元。",
    "人员经费266.19万元，其中：机关事业单位基本养老保险缴费24.18万元。",
    "- 本年收入合计**608.72**万元。",
    "2、公务接待费支出决算为0.44万元。",
]

NOT_PLACED = [
    # (text, the figures it leaves unchecked: listed, never judged)
    ("本年收入608.72万元，全年办理各类事项54875件，同比增长12%。", ["同比增长12%"]),  # the 12% is the 事项's
    ("本年支出合计619.54万元，人员增加3人，增长21.43%。", ["增长21.43%"]),
    ("保障机关日常行政运行的公用经费313.35万元。", ["保障机关日常行政运行的公用经费313.35万元"]),
    ("2016年至2018年，收入分别为500万元、591.15万元、608.72万元。", ["收入分别为500万元", "591.15万元", "608.72万元"]),
    ("与2016年相比，2018年收入增加108.72万元。", ["2018年收入增加108.72万元"]),
    ("收入、支出分别比上年增加17.57万元和21.82万元。", ["支出分别比上年增加17.57万元", "和21.82万元"]),
    ("其中行政运行485.47万元，占84.03%。", ["占84.03%"]),  # of its 类, or of the total? not said
    ("本年收入合计1000000000000000000000000000万元。", ["1000000000000000000000000000万元（数字过长）"]),
    ("本部门共有编制20人，其中行政编制15人、事业编制5人。", []),  # 编制 20 is checked; its parts are not 编制
    ("2017年末在职人数15人。", []),  # last year's staff: not this year's figure
]


@pytest.mark.parametrize("text", RIGHT)
def test_right_figures_in_many_wordings_pass(text: str) -> None:
    report = check(text)
    assert report.findings == (), [finding.message for finding in report.findings]
    assert report.checked >= 1 and report.unplaced == ()  # every figure placed, and found right


@pytest.mark.parametrize(("text", "left"), NOT_PLACED)
def test_figures_that_cannot_be_placed_surely_are_not_judged(text: str, left: list[str]) -> None:
    report = check(text)
    assert report.findings == ()
    assert [entry.split("：", 1)[1] for entry in report.unplaced] == left


def test_a_wrong_figure_in_those_wordings_is_still_found() -> None:
    report = check(
        "1.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为435.88万元，支出决算为458.47万元。"
    )
    assert [(f.code, f.left, f.right) for f in report.findings] == [("N-AMOUNT", Decimal("458.47"), Decimal("485.47"))]
    assert "2010301 行政运行" in report.findings[0].message


def test_report_format_follows_the_file_name_and_a_mismatch_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", str(tmp_path / "ws"), "--no-open"]) == 0
    markdown = tmp_path / "r.md"
    assert main(["report", str(tmp_path / "ws"), "--out", str(markdown)]) == 0
    assert markdown.read_text(encoding="utf-8").startswith("# 株洲市政务服务中心")
    printed = capsys.readouterr().out
    assert "1 个勾稽错误" in printed and "3 项指标尚未得分" in printed  # said before the report goes out
    assert main(["report", str(tmp_path / "ws"), "--format", "md", "--out", str(tmp_path / "r.docx")]) == 2
    assert "与输出文件的扩展名 .docx 不一致" in capsys.readouterr().err
    assert not (tmp_path / "r.docx").exists()


def test_grand_totals_and_spending_words_are_told_apart() -> None:
    assert check("支出总计628.15万元，其中：本年支出合计619.54万元，年末结转和结余8.61万元。").findings == ()
    assert (
        check("本部门2018年度收入总计628.15万元，其中：本年收入合计608.72万元，年初结转和结余19.44万元。").findings
        == ()
    )
    assert check("机关运行经费预算285.21万元，2018年支出313.35万元。").findings == ()


def test_a_row_named_with_its_column_is_checked_against_that_column() -> None:
    """“一般行政管理事务（2010302）项目支出 40.00 万元” is the row's 项目支出, not its 本年支出合计."""
    accounts = DEMO.load_accounts(2018)
    right = check("一般行政管理事务（2010302）项目支出 40.00 万元。", accounts, None)
    assert right.findings == () and right.checked == 1
    wrong = check("一般行政管理事务（2010302）项目支出 41.00 万元。", accounts, None)
    assert [finding.right for finding in wrong.findings] == [Decimal("40.00")]
