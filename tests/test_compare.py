"""Comparing scores across years of one workspace and across departments."""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal
from html import escape
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.box_tables import read_box_table
from tests.conftest import DEMO
from zzperf.compare import (
    YearData,
    build_year_comparison,
    compare_departments,
    compare_years,
    previous_year_comparison,
)
from zzperf.errors import ZzperfError
from zzperf.output.compare import (
    departments_csv,
    departments_markdown,
    write_departments_xlsx,
    write_years_xlsx,
    years_csv,
    years_html,
    years_markdown,
)
from zzperf.tomlio import read_toml
from zzperf.workspace import Workspace, find_workspaces

# ─── a generated workspace: set v1 (2016) and v2 (2017, 2018), one indicator renamed ───

SET_V1 = """
format_version = 1
id = "test-set"
name = "测试指标体系"
version = "1"
total = 100

[[indicator]]
id = "input"
name = "投入"
points = 20
[[indicator]]
id = "input.goals"
name = "目标设定"
points = 20
[[indicator]]
id = "input.goals.soundness"
name = "目标合理性"
points = 15
rule = { type = "judged" }
[[indicator]]
id = "input.goals.clarity"
name = "指标明确性"
points = 5
rule = { type = "judged" }

[[indicator]]
id = "process"
name = "过程"
points = 40
[[indicator]]
id = "process.execution"
name = "预算执行"
points = 40
[[indicator]]
id = "process.execution.budget_completion"
name = "预算完成率"
points = 20
unit = "%"
formula = "overview.expenditure_total / budget.initial"
rule = { type = "proportional" }
[[indicator]]
id = "process.execution.old_control"
name = "经费控制（旧）"
points = 20
rule = { type = "judged" }

[[indicator]]
id = "output"
name = "产出"
points = 40
[[indicator]]
id = "output.duties"
name = "履职产出"
points = 40
[[indicator]]
id = "output.duties.cases"
name = "办件量"
points = 40
rule = { type = "target", outcome = "cases" }
"""

SET_V2 = """
format_version = 1
id = "test-set"
name = "测试指标体系"
version = "2"
total = 100

[[indicator]]
id = "input"
name = "投入"
points = 10
[[indicator]]
id = "input.goals"
name = "目标设定"
points = 10
[[indicator]]
id = "input.goals.soundness"
name = "目标合理性"
points = 10
rule = { type = "judged" }

[[indicator]]
id = "process"
name = "过程"
points = 50
[[indicator]]
id = "process.execution"
name = "预算执行"
points = 50
[[indicator]]
id = "process.execution.budget_completion"
name = "预算完成率"
points = 20
unit = "%"
formula = "overview.expenditure_total / budget.initial"
rule = { type = "proportional" }
[[indicator]]
id = "process.execution.cost_control"
name = "经费控制"
points = 30
rule = { type = "judged" }
replaces = ["process.execution.old_control"]

[[indicator]]
id = "output"
name = "产出"
points = 40
[[indicator]]
id = "output.duties"
name = "履职产出"
points = 40
[[indicator]]
id = "output.duties.cases"
name = "办件量"
points = 30
rule = { type = "target", outcome = "cases" }
[[indicator]]
id = "output.duties.satisfaction"
name = "满意度"
points = 10
rule = { type = "target", outcome = "satisfaction" }
"""


def _accounts(year: int, spent: int, cases: int, satisfaction: int | None) -> str:
    text = f"""format_version = 1
year = {year}

[overview]
expenditure_total = {spent}

[budget]
initial = 100

[[outcomes]]
key = "cases"
name = "办件量"
unit = "件"
op = ">="
target = 100
actual = {cases}

[[outcomes]]
key = "satisfaction"
name = "满意度"
unit = "%"
op = ">="
target = 95
"""
    return text + (f"actual = {satisfaction}\n" if satisfaction is not None else "")


def _evaluation(year: int, entries: dict[str, tuple[int, str, str]]) -> str:
    text = f"format_version = 1\nyear = {year}\n"
    for key, (score, reason, comment) in entries.items():
        text += f'\n[indicators."{key}"]\nscore = {score}\n'
        if reason:
            text += f'reason = "{reason}"\n'
        if comment:
            text += f'comment = "{comment}"\n'
    return text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """测试局: 2016 on set v1, 2017–2018 on set v2 (old_control renamed to cost_control)."""
    root = tmp_path / "测试局"
    _write(root / "set-v1.toml", SET_V1)
    _write(root / "set-v2.toml", SET_V2)
    _write(
        root / "zzperf.toml",
        'format_version = 1\nname = "测试局"\nindicator_set = "set-v2.toml"\n\n[year_sets]\n2016 = "set-v1.toml"\n',
    )
    _write(root / "2016" / "accounts.toml", _accounts(2016, spent=90, cases=140, satisfaction=None))
    _write(
        root / "2016" / "evaluation.toml",
        _evaluation(
            2016,
            {
                "input.goals.soundness": (15, "", ""),
                "input.goals.clarity": (4, "指标未量化", ""),
                "process.execution.old_control": (16, "超支", ""),
            },
        ),
    )
    _write(root / "2017" / "accounts.toml", _accounts(2017, spent=95, cases=120, satisfaction=None))
    _write(
        root / "2017" / "evaluation.toml",
        _evaluation(
            2017,
            {
                "input.goals.soundness": (10, "", ""),
                "process.execution.cost_control": (27, "公务接待超标准", ""),
            },
        ),
    )
    _write(root / "2018" / "accounts.toml", _accounts(2018, spent=85, cases=150, satisfaction=96))
    _write(
        root / "2018" / "evaluation.toml",
        _evaluation(
            2018,
            {
                "input.goals.soundness": (10, "", ""),
                "process.execution.cost_control": (30, "", "新的公务接待制度执行到位"),
            },
        ),
    )
    return root


# ─── across years ───


def test_history_scores_each_year_with_its_own_set(history: Path) -> None:
    workspace = Workspace(history)
    assert workspace.set_for(2016).version == "1"
    assert workspace.set_for(2017).version == "2"
    assert workspace.score(2016).total == Decimal("93")


def test_history_matches_renamed_indicator_and_shows_absent(history: Path) -> None:
    comparison = compare_years(Workspace(history), [2016, 2017, 2018])
    assert comparison.years == [2016, 2017, 2018]
    assert comparison.sets_differ

    control = comparison.row("process.execution.cost_control")
    assert control.ids == {
        2016: "process.execution.old_control",
        2017: "process.execution.cost_control",
        2018: "process.execution.cost_control",
    }
    assert [control.cell_text(year) for year in comparison.years] == ["草稿·16.00", "草稿·27.00", "草稿·30.00"]
    # 16/20 → 27/30: the points differ, so the change is in the share: 80% → 90%.
    first = control.changes[0]
    assert not first.same_points and first.rate == Decimal(10)
    assert first.text == "↑ 10.00 个百分点（按得分率）"
    assert control.changes[1].text == "↑ 3.00"
    assert not any(row.key == "process.execution.old_control" for row in comparison.rows)

    clarity = comparison.row("input.goals.clarity")
    assert clarity.cells[2017] is None and clarity.cell_text(2017) == "—" and clarity.cell_text(2016) == "草稿·4.00"
    assert clarity.changes[0].text == "—"
    satisfaction = comparison.row("output.duties.satisfaction")
    assert satisfaction.cell_text(2016) == "—"
    assert satisfaction.cell_text(2017) == "数据不足"
    assert satisfaction.cell_text(2018) == "10.00"
    # An indicator only the old set has sits after its old neighbour, inside its group.
    keys = [row.key for row in comparison.rows]
    assert keys.index("input.goals.clarity") == keys.index("input.goals.soundness") + 1


def test_history_totals_and_first_level_percentages(history: Path) -> None:
    comparison = compare_years(Workspace(history), [2016, 2017, 2018])
    assert [comparison.totals[y].score_text for y in comparison.years] == ["93.00", "86.00*", "97.00"]
    assert comparison.grades == {2016: "优", 2017: "良（暂定）", 2018: "优"}
    assert [change.text for change in comparison.total_changes] == ["↓ 7.00*", "↑ 11.00*"]
    top = {row.key: row for row in comparison.top_rows}
    assert [top["input"].cells[y].rate_text for y in comparison.years] == ["95.00%", "100.00%", "100.00%"]
    assert [top["process"].cells[y].score_text for y in comparison.years] == ["34.00", "46.00", "47.00"]
    assert top["input"].changes[0].text == "↑ 5.00 个百分点（按得分率）"
    assert top["output"].cells[2017].score_text == "30.00*"
    assert any(note.startswith("指标体系不同") and "版本 1" in note and "版本 2" in note for note in comparison.notes)


def test_history_movers_with_reasons(history: Path) -> None:
    comparison = compare_years(Workspace(history), [2016, 2017, 2018])
    assert [mover.row.key for mover in comparison.movers_up] == ["process.execution.cost_control"]
    up = comparison.movers_up[0]
    assert "备注：新的公务接待制度执行到位" in up.reasons
    assert "2017 年度扣分原因：公务接待超标准" in up.reasons
    assert [mover.row.key for mover in comparison.movers_down] == ["process.execution.budget_completion"]
    assert comparison.movers_down[0].change.text == "↓ 2.00"
    assert comparison.movers_down[0].reasons[0].startswith("评分依据：")


def test_history_signals(history: Path) -> None:
    comparison = compare_years(Workspace(history), [2016, 2017, 2018])
    kinds = {(signal.kind, signal.key) for signal in comparison.signals}
    assert ("full_marks", "input.goals.soundness") in kinds
    assert ("full_marks", "output.duties.cases") in kinds
    assert ("full_marks", "process.execution.cost_control") not in kinds
    beaten = [signal.text for signal in comparison.signals if signal.kind == "target_beaten"]
    assert len(beaten) == 2
    assert any("2016 年度完成值 140 件" in text and "超出 40.00%" in text for text in beaten)
    assert any("2018 年度" in text and "50.00%" in text for text in beaten)
    execution = [signal for signal in comparison.signals if signal.kind == "score_up_execution_down"]
    assert len(execution) == 1
    assert "2017→2018" in execution[0].text and "95.00%" in execution[0].text and "85.00%" in execution[0].text


def test_history_default_years_and_sentences(history: Path) -> None:
    comparison = compare_years(Workspace(history))
    assert comparison.years == [2017, 2018]
    assert not comparison.sets_differ
    sentences = comparison.sentences()
    # 2017 still has items without a score: its total is provisional and the sentence says so where it compares
    assert sentences[0].startswith("与上年相比，总分由暂计 86.00 分上升至 97.00 分（+11.00 分）")
    assert "等级由“良（暂定）”变为“优”" in sentences[0]
    assert (
        sentences[1]
        == "2017 年度尚有数据不足、待评或缺理由的指标，总分为暂计，以上升降不是最终结果，待全部指标评定后再作比较。"
    )
    assert previous_year_comparison(Workspace(history), 2016) is None
    assert previous_year_comparison(Workspace(history), 2018).years == [2017, 2018]


def test_cli_compare_calls_a_provisional_total_provisional(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "compare", str(history), "--years", "2017", "2018")
    assert code == 0
    summary = "".join(out.split())
    assert "总分由暂计86.00分上升至97.00分（+11.00分）" in summary
    assert "以上升降不是最终结果" in summary
    # 2017's 满意度 reported: both totals are final, and the sentence compares them plainly
    _write(history / "2017" / "accounts.toml", _accounts(2017, spent=95, cases=120, satisfaction=90))
    comparison = compare_years(Workspace(history), [2017, 2018])
    assert all(cell.complete for cell in comparison.totals.values())
    sentences = comparison.sentences()
    assert sentences[0].startswith("与上年相比，总分由 ") and "暂计" not in "".join(sentences)


def test_history_unknown_year_is_a_clear_error(history: Path) -> None:
    with pytest.raises(ZzperfError, match="没有 2015 年度的数据"):
        compare_years(Workspace(history), [2015, 2016])


# ─── the demo: 2017 has few figures ───


def test_demo_2017_is_never_zero() -> None:
    comparison = compare_years(Workspace(DEMO), [2017, 2018])
    assert comparison.totals[2017].score is None
    assert comparison.totals[2017].score_text == "数据不足"
    assert comparison.grades[2017] == "—"
    budget = comparison.row("process.execution.budget_completion")
    assert budget.cell_text(2017) == "数据不足" and budget.value_text(2017) == "数据不足"
    assert budget.value_text(2018) == "119.67%"
    assert comparison.row("input.goals.rationality").cell_text(2017) == "待评"
    for row in comparison.rows:
        assert row.cell_text(2017) in ("数据不足", "待评"), row.key
        assert row.last_change.text == "—"
    assert comparison.total_changes[0].text == "—"
    assert comparison.movers_up == [] and comparison.movers_down == []
    assert comparison.sentences() == ["2017 年度没有评分结果（数据不足），本年度得分无法与上年比较。"]
    beaten = [s for s in comparison.signals if s.kind == "target_beaten"]
    assert [s.key for s in beaten] == ["output.quality.joint_licensing"]
    assert "0.00" not in years_csv(comparison).split("\n")[-2]  # the total row


def _numbers(value: object) -> list[Decimal | int]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, Decimal)):
        return [value]
    if isinstance(value, dict):
        return [number for item in value.values() for number in _numbers(item)]
    if isinstance(value, list):
        return [number for item in value for number in _numbers(item)]
    return []


def test_demo_2017_holds_only_figures_its_2018_document_states() -> None:
    """The demo's 2017 is what the published 2018 决算 says of 2017: no figure is estimated or invented."""
    document = (DEMO / "2018" / "部门决算公开全文.txt").read_text(encoding="utf-8")
    data, _ = read_toml(DEMO / "2017" / "accounts.toml")
    assert data.pop("year") == 2017 and data.pop("format_version") == 1
    figures = _numbers(data)
    assert sorted(set(figures)) == [Decimal("19.44"), Decimal("591.15"), Decimal("597.72")]
    assert len(figures) == 10
    # every figure's line quotes the sentence or table row it comes from, and the quote is in the document
    flat = " ".join(document.split())
    lines = (DEMO / "2017" / "accounts.toml").read_text(encoding="utf-8").splitlines()
    cited = [line for line in lines if re.match(r"\w+ = \d", line) and not line.startswith(("year", "format_version"))]
    assert len(cited) == len(figures)
    for line in cited:
        value = line.split("=")[1].split("#")[0].strip()
        quote = re.search(r"“(.+?)”", line)
        assert quote, f"no source quoted: {line}"
        assert value in quote.group(1) and " ".join(quote.group(1).split()) in flat, line
    # the 30% fall of 三公 is a ratio, not a figure: 2017's 三公 stays absent (数据不足), never back-computed
    assert "比上年减少 30%" in document and "three_public" not in data


def test_demo_years_say_where_their_figures_come_from(tmp_path: Path) -> None:
    """Where a user meets 2017's 数据不足, the comparison says why: what its file holds and what is missing."""
    comparison = compare_years(Workspace(DEMO))
    earlier, later = comparison.source_notes()
    assert earlier.startswith("2017 年度数据来源：只有本部门《2018 年度部门决算》与 2017 年比较时写明的几项")
    assert "2017 年度决算和自评报告未能取得" in earlier and "数据不足" in earlier and "不作估算" in earlier
    assert "\n" not in earlier  # the file's continued line reads as one sentence
    assert later.startswith("2018 年度数据来源：本部门公开的《2018 年度部门决算》全文（见 2018/部门决算公开全文.txt）")
    assert (DEMO / "2018" / "部门决算公开全文.txt").is_file()
    assert comparison.notes[:2] == [earlier, later]
    assert f"- {earlier}" in years_markdown(comparison)
    assert escape(earlier) in years_html(comparison, [])
    from openpyxl import load_workbook

    write_years_xlsx(comparison, tmp_path / "对比.xlsx")
    notes = [row[0] for row in load_workbook(tmp_path / "对比.xlsx")["变动与提示"].iter_rows(values_only=True)]
    assert earlier in notes and later in notes


def test_a_year_names_its_source_only_when_its_file_states_one(history: Path) -> None:
    workspace = Workspace(history)
    assert compare_years(workspace, [2017, 2018]).sources == {}
    assert not any("数据来源" in note for note in compare_years(workspace, [2017, 2018]).notes)
    accounts = workspace.load_accounts(2017)
    workspace.save_accounts(accounts.model_copy(update={"source": "  2017 年度决算\n  公开全文 "}))
    assert workspace.load_accounts(2017).source == "  2017 年度决算\n  公开全文 "  # kept as written
    comparison = compare_years(Workspace(history), [2017, 2018])
    assert comparison.sources == {2017: "2017 年度决算 公开全文"}
    assert comparison.source_notes() == ["2017 年度数据来源：2017 年度决算 公开全文"]
    assert comparison.notes[0] == comparison.source_notes()[0]


def test_demo_outputs_read_back(tmp_path: Path) -> None:
    comparison = compare_years(Workspace(DEMO))
    rows = list(csv.reader(io.StringIO(years_csv(comparison))))
    header = rows[0]
    assert header[:4] == ["层级", "指标 id", "指标名称", "分值"]
    assert "2017 得分" in header and "2018 得分" in header and "变化 2017→2018" in header
    by_id = {row[1]: dict(zip(header, row)) for row in rows[1:]}
    budget = by_id["process.execution.budget_completion"]
    assert budget["2017 得分"] == "数据不足" and budget["2018 得分"] == "2.00" and budget["2018 完成值"] == "119.67%"
    total = next(dict(zip(header, row)) for row in rows if row[0] == "合计")
    assert total["2017 得分"] == "数据不足" and total["2018 得分"] == "65.53*"
    assert "证照联办" in years_markdown(comparison)

    from openpyxl import load_workbook

    path = tmp_path / "对比.xlsx"
    write_years_xlsx(comparison, path)
    book = load_workbook(path)
    sheet = book["得分对比"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header
    row = next(line for line in values if line[1] == "process.execution.budget_completion")
    column = header.index("2018 得分")
    assert row[column] == 2 and row[header.index("2017 得分")] == "数据不足"
    assert row[header.index("2018 得分率")] == pytest.approx(0.3333, abs=1e-4)
    assert "变动与提示" in book.sheetnames


def test_build_from_cards_matches_compare_years(history: Path) -> None:
    workspace = Workspace(history)
    data = {year: YearData(workspace.score(year), workspace.load_accounts(year)) for year in (2017, 2018)}
    built = build_year_comparison("测试局", data)
    assert built.sentences() == compare_years(workspace).sentences()


# ─── across departments ───


def _department(
    parent: Path, folder: str, name: str, soundness: int, control: int, spent: int, satisfaction: int | None
) -> Path:
    root = parent / folder
    _write(root / "set-v2.toml", SET_V2)
    _write(root / "zzperf.toml", f'format_version = 1\nname = "{name}"\nindicator_set = "set-v2.toml"\n')
    _write(root / "2018" / "accounts.toml", _accounts(2018, spent=spent, cases=110, satisfaction=satisfaction))
    _write(
        root / "2018" / "evaluation.toml",
        _evaluation(
            2018,
            {
                "input.goals.soundness": (soundness, "" if soundness == 10 else "目标偏笼统", ""),
                "process.execution.cost_control": (control, "" if control == 30 else "超支", ""),
            },
        ),
    )
    return root


@pytest.fixture
def bureau(tmp_path: Path) -> Path:
    parent = tmp_path / "财政局"
    # Totals by hand (soundness + budget 20×spent% + control + cases 30 + satisfaction 10):
    _department(parent, "a", "甲局", 10, 30, 100, 96)  # 10 + 20 + 30 + 30 + 10 = 100
    _department(parent, "b", "乙局", 8, 25, 90, 96)  # 8 + 18 + 25 + 30 + 10 = 91
    _department(parent, "c", "丙局", 10, 28, 90, 96)  # 10 + 18 + 28 + 30 + 10 = 96
    _department(parent, "d", "丁局", 9, 29, 90, 96)  # 9 + 18 + 29 + 30 + 10 = 96 (ties with 丙局)
    _department(parent, "e", "戊局", 10, 30, 60, None)  # 10 + 12 + 30 + 30 + 数据不足 = 82*
    broken = parent / "f"
    _write(broken / "zzperf.toml", 'format_version = 1\nname = "己局"\nindicator_set = "nowhere.toml"\n')
    _write(broken / "2018" / "accounts.toml", _accounts(2018, spent=90, cases=100, satisfaction=None))
    old = _department(parent, "g", "庚局", 10, 30, 100, 96)
    (old / "2018" / "accounts.toml").rename(old / "2018" / "accounts.bak")
    (parent / "notes").mkdir()  # not a workspace: skipped
    return parent


def test_ranking_checked_by_hand(bureau: Path) -> None:
    roots = find_workspaces([bureau])
    assert [root.name for root in roots] == ["a", "b", "c", "d", "e", "f", "g"]
    comparison = compare_departments(roots, 2018, workers=1)
    ranking = [(d.rank, d.name, d.total.score_text, d.grade) for d in comparison.departments]
    assert ranking == [
        (1, "甲局", "100.00", "优"),
        (2, "丙局", "96.00", "优"),
        (2, "丁局", "96.00", "优"),
        (4, "乙局", "91.00", "优"),
        (5, "戊局", "82.00*", "良（暂定）"),
    ]
    first = comparison.departments[0]
    assert first.groups["process"].score_text == "50.00"
    assert first.key_values["budget_completion"].value_text == "100.00%"
    wu = comparison.departments[-1]
    assert wu.pending == 1 and wu.groups["output"].score_text == "30.00*"
    # 82% of the points against 60% budget completion: more than 5 points ahead.
    assert any("高于预算完成率 60.00% 22.00 个百分点" in flag for flag in wu.flags)
    assert comparison.groups == [("input", "投入"), ("process", "过程"), ("output", "产出")]
    failures = {failure.name: failure.error for failure in comparison.failures}
    assert set(failures) == {"己局"}
    assert "找不到指标体系" in failures["己局"]
    # a department without figures for the year is named, but is not a failure
    assert [(absent.name, absent.error) for absent in comparison.absent] == [
        ("庚局", "没有 2018 年度的数据（已有年度：无）")
    ]
    assert "1 个工作区没有 2018 年度的数据，未参加排名：庚局。" in comparison.notes


def test_ranking_in_worker_processes_is_the_same(bureau: Path) -> None:
    roots = find_workspaces([bureau])
    serial = compare_departments(roots, 2018, workers=1)
    parallel = compare_departments(roots, 2018, workers=2)
    assert [(d.rank, d.name) for d in parallel.departments] == [(d.rank, d.name) for d in serial.departments]
    assert [f.name for f in parallel.failures] == [f.name for f in serial.failures]


def test_ranking_csv_and_xlsx_read_back(bureau: Path, tmp_path: Path) -> None:
    unevaluated = _department(bureau, "h", "辛局", 10, 30, 100, 96)
    (unevaluated / "2018" / "evaluation.toml").unlink()
    comparison = compare_departments(find_workspaces([bureau]), 2018, workers=1)
    rows = list(csv.reader(io.StringIO(departments_csv(comparison))))
    header = rows[0]
    records = [dict(zip(header, row)) for row in rows[1:]]
    # The bureau's two entered scores are unconfirmed drafts: every total is 暂定 until they are confirmed.
    assert [(r["排名"], r["部门"], r["总分"], r["暂定"], r["等级"]) for r in records[:6]] == [
        ("1", "甲局", "100.00", "2 项草稿", "优"),
        ("2", "丙局", "96.00", "2 项草稿", "优"),
        ("2", "丁局", "96.00", "2 项草稿", "优"),
        ("4", "乙局", "91.00", "2 项草稿", "优"),
        ("5", "戊局", "82.00", "1 项待评或数据不足；2 项草稿", "良（暂定）"),
        ("", "辛局", "", "", "未自评"),
    ]
    first = records[0]
    assert (first["得分率（%）"], first["满分"], first["过程"], first["过程 满分"]) == (
        "100.00",
        "100.00",
        "50.00",
        "50.00",
    )
    assert first["预算完成率（%）"] == "100.00" and first["复核"] == "" and first["复核提示"] == "未复核"
    assert [(r["排名"], r["等级"]) for r in records[6:]] == [("", "未能读取"), ("", "无该年度")]
    assert "找不到指标体系" in records[6]["提示"]
    figures = [column for column in header if column in ("排名", "总分", "满分", "差") or "得分率" in column]
    figures += ["过程", "投入", "产出", "未得分项数"]
    for record in records:
        for column in figures:
            assert record[column] == "" or Decimal(record[column]).is_finite(), (column, record[column])

    from openpyxl import load_workbook

    path = tmp_path / "排名.xlsx"
    write_departments_xlsx(comparison, path)
    book = load_workbook(path)
    sheet = book["排名"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == header
    assert [(line[0], line[1], line[4]) for line in values[1:4]] == [(1, "甲局", 100), (2, "丙局", 96), (2, "丁局", 96)]
    wu = dict(zip(header, values[5]))
    assert wu["总分"] == 82 and wu["暂定"] == "1 项待评或数据不足；2 项草稿" and wu["产出"] == 30
    xin = dict(zip(header, values[6]))
    assert (xin["排名"], xin["总分"], xin["等级"]) == (None, None, "未自评")
    assert values[1][header.index("得分率（%）")] == 100
    assert sheet.cell(row=2, column=header.index("总分") + 1).number_format == "0.00"
    for line in values[1:]:
        for column in figures:
            assert line[header.index(column)] is None or isinstance(line[header.index(column)], (int, float))
    failed = [[cell.value for cell in row] for row in book["未能读取"].iter_rows()]
    assert [line[0] for line in failed[1:]] == ["己局"]  # 庚局 has no 2018: named in the notes, not a failure
    markdown = departments_markdown(comparison)
    assert "| 1 | 甲局 |" in markdown and "## 未能读取" in markdown
    assert "| 82.00* |" in markdown and "| — | 辛局 | 未自评 |" in markdown


def test_find_workspaces_errors(tmp_path: Path) -> None:
    with pytest.raises(ZzperfError, match="目录不存在"):
        find_workspaces([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ZzperfError, match="没有包含工作区"):
        find_workspaces([tmp_path / "empty"])


def test_departments_with_different_sets_rank_by_share(bureau: Path, tmp_path: Path) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    comparison = compare_departments([bureau / "a", demo], 2018, workers=1)
    assert comparison.sets_differ
    assert [d.name for d in comparison.departments] == ["甲局", "株洲市政务服务中心"]
    assert any("按得分率" in note for note in comparison.notes)


# ─── the command ───


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from zzperf.cli import main

    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_years_table_and_csv(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "compare", str(DEMO))
    assert code == 0
    assert "株洲市政务服务中心 部门整体支出绩效自评得分对比（2017—2018 年度）" in out and "数据不足" in out
    joined = "".join(out.split())  # the terminal wraps long notes
    assert "2017年度数据来源：只有本部门《2018年度部门决算》与2017年比较时写明的几项" in joined
    assert "2017年度决算和自评报告未能取得" in joined
    assert "2018年度数据来源：本部门公开的《2018年度部门决算》全文" in joined
    assert joined.index("2017年度数据来源") < joined.index("一级指标与总分")  # above the tables of 数据不足
    code, out, _ = _run(capsys, "compare", str(history), "--all", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert "2016 得分" in rows[0] and "变化 2017→2018" in rows[0]
    control = next(row for row in rows if row[1] == "process.execution.cost_control")
    assert control[rows[0].index("2016 得分")] == "草稿·16.00"  # entered, not yet confirmed
    code, out, _ = _run(capsys, "compare", str(history), "--year", "2017", "--format", "md")
    assert code == 0 and "2016—2017 年度" in out and "指标体系不同" in out


def test_cli_years_to_files(history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "对比.xlsx"
    code, stdout, _ = _run(capsys, "compare", str(history), "--years", "2016", "2018", "--out", str(out))
    assert code == 0 and "已写入" in stdout
    assert load_workbook(out)["得分对比"]["A1"].value == "层级"
    text_out = tmp_path / "对比.txt"
    code, _, _ = _run(capsys, "compare", str(history), "--out", str(text_out))
    assert code == 0 and "逐项对比" in text_out.read_text(encoding="utf-8")


def test_cli_departments(bureau: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "排名.csv"
    code, _, err = _run(capsys, "compare", str(bureau), "--year", "2018", "--out", str(out))
    assert code == 1 and "1 个工作区未能读取" in err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [row[1] for row in rows[1:6]] == ["甲局", "丙局", "丁局", "乙局", "戊局"]
    code, stdout, _ = _run(capsys, "compare", str(bureau / "a"), str(bureau / "b"))
    assert code == 0 and "甲局" in stdout and "乙局" in stdout and "未能读取" not in stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "xlsx"], "xlsx 格式需要用 --out"),
        (["--years", "2015", "2016"], "没有 2015 年度的数据"),
        (["--out", "/nonexistent/x.csv"], "输出文件所在的文件夹不存在"),
    ],
)
def test_cli_errors_are_chinese_without_traceback(
    history: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = _run(capsys, "compare", str(history), *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_cli_departments_take_one_year(bureau: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "compare", str(bureau), "--all")
    assert code == 2 and "按部门对比时只比较一个年度" in err
    code, _, err = _run(capsys, "compare", str(bureau / "missing"))
    assert code == 2 and "目录不存在" in err


# ─── the report uses the same sentences ───


def test_report_score_sentences_come_from_the_comparison(history: Path) -> None:
    from zzperf.report import context_for, render

    workspace = Workspace(history)
    context = context_for(workspace, 2018)
    expected = compare_years(workspace, [2017, 2018]).sentences()
    assert list(context["score_comparison"]) == expected
    assert "".join(expected) in render(context, "md").decode("utf-8")
    assert "".join(expected) in render(context, "html").decode("utf-8")
    import docx

    document = docx.Document(io.BytesIO(render(context, "docx")))
    assert any("".join(expected) in paragraph.text for paragraph in document.paragraphs)
    assert context_for(workspace, 2016)["score_comparison"] == ()
    # The demo's 2017 has no score: the report says so instead of comparing with 0.
    demo_context = context_for(Workspace(DEMO), 2018)
    assert demo_context["score_comparison"] == ("2017 年度没有评分结果（数据不足），本年度得分无法与上年比较。",)


def test_terminal_and_tui_print_one_movers_and_signals_block(history: Path) -> None:
    from rich.console import Console

    from zzperf.output.compare import movers_and_signals, print_years
    from zzperf.tui.panes.compare import _side_text

    comparison = compare_years(Workspace(history), [2016, 2017, 2018])
    block = movers_and_signals(comparison).plain
    assert comparison.movers_up or comparison.movers_down
    for mover in [*comparison.movers_up, *comparison.movers_down]:
        assert f"{mover.change.text} {mover.row.name}：" in block
    assert "提示\n" in block and all(signal.text in block for signal in comparison.signals)
    console = Console(record=True, width=1000, color_system=None)
    print_years(console, comparison)
    assert block.rstrip() in console.export_text()
    assert block in _side_text(comparison).plain


def test_comparison_markdown_escapes_cells_as_the_report_does() -> None:
    from zzperf.output.markdown import md_cell, md_table
    from zzperf.report import filters

    assert filters.md_cell is md_cell
    assert md_table(["指标", "理由"], [["甲\\", "一|二\n三"]])[2] == "| 甲\\\\ | 一\\|二<br>三 |"


def test_cli_years_and_ranking_as_web_pages_with_charts(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "对比.html"
    code, stdout, _ = _run(capsys, "compare", str(history), "--all", "--out", str(page))
    assert code == 0 and "已写入" in stdout
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "<script" not in text
    assert 'aria-label="各年度自评总分"' in text and 'aria-label="一级指标得分"' in text
    for year in (2016, 2017, 2018):
        assert f">{year} 年</text>" in text
    assert "<h2>逐项对比</h2>" in text and "<h2>得分上升最多的指标（2017→2018）</h2>" in text
    ranking = tmp_path / "排名.html"
    code, _, _ = _run(
        capsys, "compare", str(history), str(DEMO), "--year", "2018", "--format", "html", "--out", str(ranking)
    )
    assert code == 0
    text = ranking.read_text(encoding="utf-8")
    assert 'aria-label="各部门得分率"' in text and "株洲市政务服务中心" in text and "<h2>排名</h2>" in text


def test_compare_ranks_the_departments_of_a_folder_at_any_depth(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county = tmp_path / "县"
    for place in ("乡镇/甲镇", "部门/财政局", "部门/教育/教育局"):
        shutil.copytree(DEMO, county / place, ignore=shutil.ignore_patterns("__pycache__"))
    (county / ".备份" / "旧").mkdir(parents=True)
    shutil.copytree(DEMO, county / ".备份" / "旧" / "ws", ignore=shutil.ignore_patterns("__pycache__"))
    assert [path.relative_to(county).as_posix() for path in find_workspaces([county])] == [
        "乡镇/甲镇",
        "部门/教育/教育局",
        "部门/财政局",
    ]
    code, out, _ = _run(capsys, "compare", str(county), "--year", "2018", "--format", "csv")
    assert code == 0
    assert out.count("株洲市政务服务中心") == 3


@pytest.mark.parametrize("width", [50, 60, 80, 120])
def test_a_narrow_terminal_leaves_out_columns_before_the_department_names(bureau: Path, width: int) -> None:
    from rich.cells import cell_len

    from zzperf.output.compare import print_departments
    from zzperf.output.terminal import file_console

    long_name = "某某县人民政府办公室（县政府研究室、县外事侨务办公室）"
    profile = bureau / "a" / "zzperf.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace('"甲局"', f'"{long_name}"'), encoding="utf-8")
    comparison = compare_departments(find_workspaces([bureau]), 2018, workers=1)
    out = io.StringIO()
    print_departments(file_console(out, width=width), comparison)
    text = out.getvalue()
    table = read_box_table(text)
    assert max(cell_len(line) for line in table.lines) <= width  # the table fits the terminal
    # every name can be read in the 部门 column, wrapped over its lines but never cut to nothing
    names = table.column("部门")
    for name in (long_name, "乙局", "丙局", "丁局", "戊局"):
        assert name in names, (name, names)
    if width < 120:
        left_out = re.search(r"终端宽度不够，未显示：(\S+)；", text)
        assert left_out is not None and "预算完成率" in left_out.group(1)
        assert not {"部门", "提示", "总分", "等级"} & set(left_out.group(1).split("、"))
    assert "等级" in table.heads  # the core columns stay, however narrow


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_the_years_tables_fit_the_terminal_and_cut_no_figure(width: int) -> None:
    """``zzperf compare`` of one department: both tables as wide as the terminal at most, every name there (wrapped),
    every score whole; on a narrow terminal the 完成值 columns give way and are named."""
    from zzperf.output.compare import print_years
    from zzperf.output.terminal import file_console

    comparison = compare_years(Workspace(DEMO), [2017, 2018])
    out = io.StringIO()
    print_years(file_console(out, width=width), comparison)
    text = out.getvalue()
    summary_text, _, detail_text = text.partition("逐项对比")
    summary, detail = read_box_table(summary_text), read_box_table(detail_text)
    for table in (summary, detail):
        assert {cell_len(line) for line in table.lines} == {cell_len(table.lines[0])}
        assert cell_len(table.lines[0]) <= width
    assert [row[0] for row in summary.rows] == ["投入", "过程", "产出", "效果", "总分", "等级"]
    assert "65.53* / 100" in {row[2] for row in summary.rows}
    names = "".join(row[0].strip() for row in detail.rows)
    assert all(row.name in names for row in comparison.rows)
    scores = {cell for row in detail.rows for cell in row[1:]}
    assert {"数据不足", "待评", "2.03", "65.53*"} - scores <= {"65.53*"}  # the total is in the summary
    dropped = "终端宽度不够，未显示：2017 完成值、2018 完成值" in text
    assert dropped == (width < 80)
    if not dropped:
        assert "109.87%" in scores


def _figure_tails(text: str, column: int, pattern: str, skip: str = "") -> set[int]:
    """For each body line of the first table in ``text`` whose cell in ``column`` holds ``pattern``: the cells from
    where it starts to the cell's right edge (one value for all: the figures line up); the row named ``skip`` apart."""
    tails = set()
    for line in read_box_table(text).lines:
        if line.startswith("│") and (not skip or line.split("│")[1].strip() != skip):
            cell = line.split("│")[column + 1]
            found = re.search(pattern, cell)
            if found:
                tails.add(cell_len(cell[found.start() :]))
    return tails


def test_a_provisional_mark_does_not_shift_the_decimal_points(bureau: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A “*” beside a provisional score keeps its place in every row: the decimal points of a column line up."""
    code, out, _ = _run(capsys, "compare", str(DEMO))
    assert code == 0
    summary, _, detail = out.partition("逐项对比")
    assert "65.53* / 100" in {row[2] for row in read_box_table(summary).rows}
    # “7.50* / 15” over “18.00  / 20” (the total's “/ 100” is wider)
    assert len(_figure_tails(summary, 2, r"\.\d\d", skip="总分")) == 1
    assert len(_figure_tails(summary, 2, r"/", skip="总分")) == 1
    scores = {row[5] for row in read_box_table(detail).rows}  # 2018 得分
    assert {"7.50*", "2.50", "数据不足"} <= scores
    assert len(_figure_tails(detail, 5, r"\.\d\d")) == 1  # 2018 得分: “7.50*” over “2.50 ”
    code, out, _ = _run(capsys, "compare", str(bureau), "--year", "2018")
    table = read_box_table(out)
    total = table.heads.index("总分")
    assert "82.00*" in {row[total] for row in table.rows} and "100.00" in {row[total] for row in table.rows}
    assert len(_figure_tails(out, total, r"\.\d\d")) == 1


def test_compare_marks_draft_scores_as_score_does(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """社会效益 and 可持续影响 are 已评·草稿 in `zzperf score`; `compare` marks the same two, in every format."""
    code, out, _ = _run(capsys, "compare", str(demo))
    assert code == 0
    drafts = {line.split("│")[1].strip() for line in out.splitlines() if "草稿·" in line}
    assert drafts == {"社会效益", "可持续影响"}, out
    assert "标“草稿”的得分是评价人录入、尚未核实的" in out
    code, md, _ = _run(capsys, "compare", str(demo), "--format", "md")
    assert "草稿·6.00" in md and "草稿·3.00" in md and md.count("草稿·") == 2
    code, text, _ = _run(capsys, "compare", str(demo), "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert sum("草稿·6.00" in row for row in rows) == 1
