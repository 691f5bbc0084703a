"""Importing 决算 tables from text as copied out of the published PDF: the seed document is the oracle.

``zzperf/demo/2018/部门决算公开全文.txt`` is 株洲市政务服务中心's 2018 部门决算 as extracted from the PDF
(tab-separated tables, a 总表 printed under the 财政拨款 title, three-block 基本支出表, “三公” blocks in
one row, truncated 部门 lines, “位：万元”, an empty 政府性基金 table). The hand-built demo workspace holds
the same tables; importing the text must reproduce them figure for figure.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO
from tests.seed_2018 import SEED_TEXT as SEED
from tests.seed_2018 import TABLE_SECTIONS
from zzperf.accounts import Accounts
from zzperf.checks import run_checks
from zzperf.importing import read_import
from zzperf.importing.grid import split_text_line
from zzperf.importing.tables import recognise_title, unit_in
from zzperf.workspace import Workspace


def imported(path: Path = SEED) -> Accounts:
    result = read_import(path)
    assert result.problems == []
    return Accounts.model_validate({"year": result.year, **result.sections})


def assert_same_tables(accounts: Accounts, expected: Accounts) -> None:
    for section in TABLE_SECTIONS:
        assert getattr(accounts, section) == getattr(expected, section), section
    assert accounts.three_public.budget == expected.three_public.budget
    assert accounts.three_public.actual == expected.three_public.actual


def test_fixture_is_the_shared_seed_when_it_is_there() -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_24af73ecf2cd4e14.txt"
    if not shared.is_file():
        pytest.skip("../shared/seed is not present in this checkout; the fixture is a copy of it")
    assert SEED.read_bytes() == shared.read_bytes()


def test_seed_text_reproduces_the_demo_tables_figure_for_figure() -> None:
    demo = Workspace(DEMO).load_accounts(2018)
    assert_same_tables(imported(), demo)


def test_seed_summary_says_what_was_read() -> None:
    result = read_import(SEED)
    assert result.year == 2018
    assert result.department == "株洲市政务服务中心"
    assert [table.kind for table in result.tables] == [
        "overview",
        "income_table",
        "expenditure",
        "fiscal_overview",
        "general_budget_expenditure",
        "basic_expenditure",
        "three_public",
        "gov_fund",
    ]
    assert result.missing == []
    assert result.conflicts == []
    by_kind = result.found
    assert by_kind["income_table"].rows_read == 13  # 合计 + 12 科目
    assert by_kind["basic_expenditure"].rows_read == 29
    assert by_kind["three_public"].rows_read == 1
    assert all(table.not_understood == [] for table in result.tables)
    assert all(table.unit == "万元" for table in result.tables)  # including the one whose line reads “位：万元”
    # The 总表 is printed under the 财政拨款 title; the 公开01表 label decides, and the summary says so.
    assert by_kind["overview"].title == "财政拨款收入支出决算总表"
    assert any("公开01表" in note and "收入支出决算总表" in note for note in result.notes)
    # Its 年初结转 breakdown has no place in the 总表 section: listed, not silently dropped.
    assert [note.text for note in by_kind["overview"].not_stored] == [
        "一般公共预算财政拨款  24  19.44  51",
        "政府性基金预算财政拨款  25  0  52",
    ]
    assert any("株洲市政务服务大厅" in note for note in result.notes)


def test_checks_find_on_the_import_what_they_find_on_the_demo() -> None:
    workspace = Workspace(DEMO)
    demo = run_checks(workspace.load_accounts(2018), workspace.load_accounts(2017))
    mine = run_checks(imported(), workspace.load_accounts(2017))
    assert [(f.code, f.severity, f.message) for f in mine.findings] == [
        (f.code, f.severity, f.message) for f in demo.findings
    ]
    assert [f.code for f in mine.errors] == ["T6-301"]
    assert sorted(f.code for f in mine.infos) == ["T1-BAL-IN", "T4-BAL-IN", "T4-BALANCE"]


def test_web_page_copy_with_runs_of_spaces_reads_the_same(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    spaced = tmp_path / "spaced.txt"
    spaced.write_text("\n".join(re.sub(r"\t+", "   ", line) for line in text.splitlines()), encoding="utf-8")
    assert_same_tables(imported(spaced), Workspace(DEMO).load_accounts(2018))


def test_gbk_encoded_text_is_read(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    assert_same_tables(imported(gbk), Workspace(DEMO).load_accounts(2018))


# ─── suggestions from the narrative ─────────────────────────────────────────────


def suggestions() -> dict[tuple[int, str], list]:
    found: dict[tuple[int, str], list] = {}
    for suggestion in read_import(SEED).suggestions:
        found.setdefault(suggestion.key, []).append(suggestion)
    return found


def one(found: dict, year: int, path: str):  # noqa: ANN001, ANN201 - test helper
    items = found[(year, path)]
    assert len(items) == 1, items
    return items[0]


def test_narrative_figures_are_suggested_with_their_sentences() -> None:
    found = suggestions()
    initial = one(found, 2018, "budget.initial")
    assert initial.value == Decimal("517.7")
    assert "年初预算为 517.7 万元" in initial.sources[0].sentence
    assert "第三部分" in initial.sources[0].where
    expected = {
        "operating_costs.actual": Decimal("313.35"),
        "general_spending.meeting": Decimal("0.14"),
        "general_spending.meeting_people": 100,
        "general_spending.training": Decimal("5.09"),
        "general_spending.training_people": 232,
        "procurement.total": Decimal("49.55"),
        "procurement.goods": Decimal("1.65"),
        "procurement.works": Decimal("0"),
        "procurement.services": Decimal("47.9"),
        "procurement.sme": Decimal("47.9"),
        "procurement.small_micro": Decimal("47.9"),
        "staffing.authorized": 20,
        "staffing.in_service": 17,
        "staffing.contract": 18,
        "three_public.vehicles_held": 1,
        "assets.vehicles": 1,
        "assets.official_vehicles": 1,
        "assets.leader_vehicles": 0,
    }
    for path, value in expected.items():
        assert one(found, 2018, path).value == value, path


def test_operating_cost_budget_is_derived_and_says_how() -> None:
    budget = one(suggestions(), 2018, "operating_costs.budget")
    assert budget.value == Decimal("285.21")
    assert "313.35 − 28.14 = 285.21" in (budget.how or "")
    assert "比年初预算数增加28.14万元" in budget.sources[0].sentence  # the sentence broken across PDF lines, joined
    assert budget.warning is None


def test_derived_operating_rate_is_rounded_half_up(tmp_path: Path) -> None:
    """12.25 ÷ 100.00 = 12.25%, shown to one place as 12.3% (四舍五入), never the 12.2% of banker's rounding."""
    text = SEED.read_text(encoding="utf-8").replace(
        "313.35 万元，比年\n\n初预算数增加28.14万元，增长9.9%", "112.25 万元，比年\n\n初预算数增加12.25万元，增长12.25%"
    )
    pasted = tmp_path / "决算.txt"
    pasted.write_text(text, encoding="utf-8")
    found = [item for item in read_import(pasted).suggestions if item.key == (2018, "operating_costs.budget")]
    assert len(found) == 1 and found[0].value == Decimal("100.00")
    assert "12.25 ÷ 100.00 = 12.3%" in (found[0].how or "") and found[0].warning is None


def test_previous_year_totals_are_suggested_for_the_previous_year() -> None:
    found = suggestions()
    income = one(found, 2017, "overview.income_total")
    assert income.value == Decimal("591.15")
    assert any("与 2017 年的收入 591.15 万元相比" in source.sentence for source in income.sources)
    assert len(income.sources) == 2  # 决算说明 and 绩效报告 say the same: one suggestion
    assert one(found, 2017, "overview.expenditure_total").value == Decimal("597.72")
    assert one(found, 2017, "fiscal_overview.income_total").value == Decimal("591.15")
    carry = one(found, 2017, "overview.carryover_end")
    assert carry.value == Decimal("19.44") and "上年年末" in (carry.how or "")


def test_budget_by_function_matches_names_to_the_table_rows() -> None:
    found = suggestions()
    by_code = {
        path.split("[")[1].split("]")[0]: items[0]
        for (year, path), items in found.items()
        if path.startswith("budget.by_function")
    }
    assert {code: item.value for code, item in by_code.items()} == {
        "201": Decimal("475.88"),
        "2010301": Decimal("435.88"),
        "2010302": Decimal("40"),
        "2010399": Decimal("0"),
        "208": Decimal("20.1"),
        "210": Decimal("21.72"),
    }
    assert "一般行政管理事物" in (by_code["2010302"].how or "")  # the typo in the text, matched and said so
    assert "为新增" in (by_code["2010399"].how or "")


def test_sentences_that_disagree_are_conflicts_not_suggestions() -> None:
    found = suggestions()
    batches = found[(2018, "three_public.reception_batches")]
    assert sorted(item.value for item in batches) == [5, 21]
    assert all(item.conflict for item in batches)
    assert sorted(item.value for item in found[(2018, "three_public.reception_guests")]) == [36, 116]


def test_a_sentence_about_another_year_is_flagged() -> None:
    in_service = one(suggestions(), 2018, "staffing.in_service")
    assert in_service.warning == "句中写的是 2019 年，导入的是 2018 年度，请核对"


# ─── pieces ───────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("收入支出决算总表", "overview"),
        ("公开01表 收入支出决算总表", "overview"),
        ("株洲市政务服务中心2018年度收入支出决算总表", "overview"),
        ("财政拨款收入支出决算总表", "fiscal_overview"),
        ("一般公共预算财政拨款“三公”经费支出决算表", "three_public"),
        ('一般公共预算财政拨款"三公"经费支出决算表', "three_public"),
        ("一般公共预算财政拨款基本支出决算明细表", "basic_expenditure"),
        ("收入决算表（单位：万元）", "income_table"),
        ("一般公共预算财政拨款项目支出决算表", None),
        ("国有资产占用情况表", None),
    ],
)
def test_tables_are_matched_by_name(line: str, kind: str | None) -> None:
    title = recognise_title(line)
    assert title is not None and title.kind == kind


@pytest.mark.parametrize(
    "line", ["一、收入支出决算总体情况说明", "部门：株洲市政务服务中心", "本表反映部门本年度各项支出情况。"]
)
def test_text_that_is_not_a_title(line: str) -> None:
    assert recognise_title(line) is None


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("金额单位：万元", "万元"),
        ("位：万元", "万元"),
        ("单位:元", "元"),
        ("金额单位：亿元", "亿元"),
        ("各单位元旦", None),
    ],
)
def test_unit_lines(line: str, unit: str | None) -> None:
    assert unit_in(line) == unit


CODED_DOC = """2018 年度部门决算
支出决算表
金额单位：{unit}
科目编码{sep}科目名称{sep}本年支出合计{sep}基本支出{sep}项目支出
合计{sep}{sep}{total}
{rows}
"""


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["201", "20103", "2010301", "208", "2080505", "210"]),
            st.lists(st.decimals(min_value=0, max_value=10**7, places=2), min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=8,
    ),
    separator=st.sampled_from(["\t", "  ", "   "]),
    in_yuan=st.booleans(),
    commas=st.booleans(),
)
def test_property_coded_rows_round_trip(
    tmp_path_factory: pytest.TempPathFactory, rows: list, separator: str, in_yuan: bool, commas: bool
) -> None:
    """Any amounts in a 支出决算表 (tabs or spaces, 元 or 万元, with or without 1,234 separators) read back exactly."""

    def show(value: Decimal) -> str:
        scaled = value * 10000 if in_yuan else value
        return f"{scaled:,.2f}" if commas else f"{scaled:.2f}"

    body = "\n".join(separator.join([code, "科目" + code, *(show(v) for v in values)]) for code, values in rows)
    totals = [sum((values[i] for _, values in rows), Decimal(0)) for i in range(3)]
    text = CODED_DOC.format(
        unit="元" if in_yuan else "万元", sep=separator, total=separator.join(show(v) for v in totals), rows=body
    )
    path = tmp_path_factory.mktemp("coded") / "t.txt"
    path.write_text(text, encoding="utf-8")
    result = read_import(path)
    table = result.found["expenditure"]
    assert table.not_understood == []
    lines = result.sections["expenditure"]["lines"]
    assert [(line["code"], [line["total"], line["basic"], line["project"]]) for line in lines] == [
        (code, values) for code, values in rows
    ]
    assert [result.sections["expenditure"]["total"][k] for k in ("total", "basic", "project")] == totals


def test_split_keeps_blank_cells_of_tab_lines_only() -> None:
    assert split_text_line("|3||国防".replace("|", "\t"), "第 1 行").cells == (None, "3", None, "国防")
    assert split_text_line("201  一般公共服务支出   577.72", "第 1 行").cells == ("201", "一般公共服务支出", "577.72")
    assert split_text_line("201 一般公共服务支出 577.72 537.72", "第 1 行").cells == (
        "201",
        "一般公共服务支出",
        "577.72",
        "537.72",
    )
    sentence = "本年支出合计 619.54 万元，其中：基本支出 579.54 万元，占 93.5%；项目支出 40 万元，占 6.5%。"
    assert split_text_line(sentence, "第 1 行").cells == (sentence,)


FRAGMENTS = [
    "收入支出决算总表",
    "财政拨款收入支出决算总表",
    "支出决算表",
    "收入决算表",
    "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表",
    "“三公”经费支出决算表",
    "政府性基金预算财政拨款收入支出决算表",
    "公开01表",
    "金额单位：万元",
    "金额单位：元",
    "位：万元",
    "部门：某局",
    "2018年度",
    "注：本表无数据",
    "项目",
    "行次",
    "金额",
    "合计",
    "总计",
    "本年收入合计",
    "本年支出合计",
    "年初结转和结余",
    "科目编码",
    "科目名称",
    "预算数",
    "决算数",
    "因公出国（境）费",
    "公务接待费",
    "人员经费合计",
    "公用经费合计",
    "栏次",
    "201",
    "20103",
    "2010301",
    "301",
    "30101",
    "一、一般公共服务支出",
    "行政运行",
    "-",
    "—",
    "",
    "0",
    "1",
    "12",
    "608.72",
    "1,234.56",
    "abc",
    "第三部分",
    "与 2017 年的收入 591.15 万元相比",
    "机关运行经费支出 313.35 万元，比年初预算数增加28.14万元",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=9), st.sampled_from(["\t", "  ", " "])
        ),
        max_size=40,
    )
)
def test_property_any_text_gives_a_result_or_a_user_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list
) -> None:
    """Whatever is pasted, the importer answers with a summary or a ZzperfError, never a crash."""
    from zzperf.errors import ZzperfError

    path = tmp_path_factory.mktemp("fuzz") / "t.txt"
    path.write_text("\n".join(separator.join(cells) for cells, separator in lines), encoding="utf-8", errors="replace")
    try:
        result = read_import(path, year=2018)
    except ZzperfError:
        return
    if not result.problems:
        assert Accounts.model_validate({"year": 2018, **result.sections}).year == 2018


def test_three_public_columns_that_are_not_three_public_items_are_named_and_left_out(tmp_path: Path) -> None:
    header = "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t会议费"
    sub = "\t\t小计\t公务用车购置费\t公务用车运行费\t\t"
    path = tmp_path / "three.txt"
    path.write_text(
        "2018年度\n一般公共预算财政拨款“三公”经费支出决算表\n金额单位：万元\n"
        f"预算数\t\t\t\t\t\t\t决算数\n{header}\t{header}\n{sub}\t{sub}\n"
        "8.00\t0.00\t4.00\t0.00\t4.00\t4.00\t1.00\t4.21\t0.00\t3.77\t0.00\t3.77\t0.44\t0.14\n",
        encoding="utf-8",
    )
    result = read_import(path)
    table = result.found["three_public"]
    assert table.not_understood == []
    assert table.notes == ["列“会议费”不是“三公”经费的项目，其数字未导入"]
    assert result.sections["three_public"]["actual"]["reception"] == Decimal("0.44")
    assert result.sections["three_public"]["budget"]["total"] == Decimal("8.00")
