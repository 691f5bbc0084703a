"""The score table in a terminal: fitted to its width, figures whole, names and notes broken as Chinese is set."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.box_tables import read_box_table
from tests.conftest import run_zzperf
from zzperf.output.lines import NO_LINE_START, wrap
from zzperf.output.scores import SCORE_HEADER, print_score_table
from zzperf.output.terminal import file_console
from zzperf.workspace import Workspace


@pytest.mark.parametrize("width", [50, 60, 80, 100, 120, 160])
def test_the_score_table_fits_the_terminal_and_cuts_no_figure(shipped: Workspace, width: int) -> None:
    card = shipped.score(2018)
    out = io.StringIO()
    print_score_table(file_console(out, width=width), card)
    text = out.getvalue()
    assert text.splitlines()[0] == f"{card.indicator_set.name}（2018 年度）"
    table = read_box_table(text)
    # below 80 columns the 完成值 give way (and the line below the table says so): the names keep their room
    shown = [head for head in SCORE_HEADER if head != "完成值" or width >= 80]
    assert all(full.startswith(head) for head, full in zip(table.heads, shown, strict=True))  # may wrap
    assert ("未显示：完成值" in text) == (width < 80)
    assert {cell_len(line) for line in table.lines[1:]} == {cell_len(table.lines[1])}  # every line equally wide
    assert cell_len(table.lines[1]) <= width
    cells = {cell for row in table.rows for cell in row}
    leaves = [node for node in card.indicator_set.indicator if node.is_leaf]
    for node in leaves:  # each figure on one line of its cell
        result = card.results[node.id]
        assert width < 80 or result.value_text is None or result.value_text in cells, result.value_text
    for node in leaves:  # a leaf's name (a 三级 indicator) starts at its level's indent, not folded into it
        assert any(line.startswith(f"│     {node.name[:2]}") for line in text.splitlines()), node.name
    notes = "".join(row[-1] for row in table.rows).replace(" ", "")
    for node in leaves:
        result = card.results[node.id]
        if result.trace:  # the trace's words all there, in order, nothing but spaces lost at the breaks
            assert result.trace.replace(" ", "") in notes
    if width < 80:  # the notes squeezed to a few cells: a run with no place to break is folded
        return
    body_lines = [row[-1] for row in table.rows]
    assert not any(line[:1] in NO_LINE_START for line in body_lines)
    for number in ("619.54", "517.70", "119.67%", "85.00%"):
        assert any(number in line for line in body_lines), number  # a number in the notes is never cut in two


def test_the_score_table_at_a_wide_terminal_keeps_every_state_and_name_on_one_line(shipped: Workspace) -> None:
    out = io.StringIO()
    print_score_table(file_console(out, width=160), shipped.score(2018))
    table = read_box_table(out.getvalue())
    assert "5.00 分数据不足" in {row[4] for row in table.rows}
    assert "公用经费（机关运行经费）控制率" in {row[0] for row in table.rows}


def test_wrap_breaks_between_chinese_characters_and_keeps_numbers_and_blank_lines() -> None:
    # each figure keeps the words that say what it is
    assert wrap("预算完成率 = 本年支出合计 619.54 ÷ 年初预算 517.70", 20) == [
        "预算完成率 =",
        "本年支出合计 619.54",
        "÷ 年初预算 517.70",
    ]
    # a short quotation is one word
    assert wrap("评定为“较好”，得 1.50 分\n\n理由：无", 12) == ["评定为", "“较好”，", "得 1.50 分", "", "理由：无"]
    assert wrap("年初预算（万元） 本年支出合计（万元）", 10) == ["年初预算", "（万元）", "本年支出合", "计（万元）"]
    # a number keeps its measure word, whatever follows it
    assert wrap("其余按自评计；11 项公式指标缺数据", 16) == ["其余按自评计；", "11 项公式指标", "缺数据"]
    assert wrap("  短", 10) == ["  短"]


@pytest.mark.parametrize("width", range(18, 27))
def test_a_name_before_a_figure_stays_whole_and_the_line_breaks_at_the_operator(width: int) -> None:
    """“机关运行经费预算数” (18 cells) is one word: a line breaks at the space or operator before it, never inside it,
    whether or not its figure fits beside it (the rule kept only its last eight characters)."""
    source = "公用经费控制率 = 机关运行经费支出 313.35 ÷ 机关运行经费预算数 285.21 = 109.87%"
    lines = wrap(source, width)
    assert all(cell_len(line) <= width for line in lines)
    for word in ("机关运行经费支出", "机关运行经费预算数", "313.35", "285.21", "109.87%"):
        assert sum(line.count(word) for line in lines) == source.count(word), (word, lines)
    assert "÷ 机关运行经费预算数" in lines or "机关运行经费预算数" in lines or "机关运行经费预算数 285.21" in lines


def test_a_name_too_long_for_the_line_breaks_and_running_text_keeps_its_last_words() -> None:
    assert wrap("÷ 机关运行经费预算数 285.21", 12) == ["÷ 机关运行经", "费预算数", "285.21"]
    # after Chinese punctuation the run is running text, not a name: only its last words stay with the figure
    assert wrap("不符；说明中一般公共服务支出写作 537.71 万元", 20) == [
        "不符；说明中一般",
        "公共服务支出写作",
        "537.71 万元",
    ]


@pytest.mark.parametrize("width", range(4, 13))
def test_a_number_and_its_measure_word_are_never_parted_while_they_fit(width: int) -> None:
    """“1 个” (4 cells) fits from width 4: “每超 1” / “个百分点” is never a line's end and the next one's start; a
    word after a number that is no measure word (“29.00 上升至”) may go to the next line."""
    lines = wrap("每超 1 个百分点扣 0.2 分", width)
    assert all(cell_len(line) <= width for line in lines)
    for pair in ("1 个", "0.2 分"):
        assert cell_len(pair) > width or any(pair in line for line in lines), (pair, lines)
    assert wrap("总分由 29.00 上升至 71.03", 12) == ["总分由 29.00", "上升至 71.03"]
    assert wrap("超出标准 9.87 个百分点，扣 1.97 分", 20) == ["超出标准", "9.87 个百分点，", "扣 1.97 分"]


@pytest.mark.parametrize("columns", [80, 100, 120])
def test_zzperf_score_breaks_a_formula_at_its_operators_not_inside_a_name(demo: Path, columns: int) -> None:
    """``zzperf score`` on the demo: the 公用经费 formula's names stay whole in the notes (“…313.35 ÷ 机” /
    “关运行经费预算数 285.21” was printed at these widths)."""
    done = run_zzperf("score", str(demo), cwd=demo.parent, columns=columns)
    assert done.returncode == 0, done.stderr
    notes = [row[-1] for row in read_box_table(done.stdout).rows]
    for name in ("机关运行经费支出", "机关运行经费预算数"):
        assert any(name in line for line in notes), (name, notes)
    assert not any(line.endswith("÷ 机") for line in notes)


def test_an_indented_name_keeps_its_indent_when_it_wraps() -> None:
    assert wrap("    绩效目标合理性", 12) == ["    绩效目标", "    合理性"]
    assert wrap("    绩效目标合理性", 6) == ["    绩", "效目标", "合理性"]  # no room for the indent: dropped


def test_a_group_with_nothing_scored_shows_a_dash_not_zero(shipped: Workspace) -> None:
    """满意度 holds one leaf, 数据不足 in the demo: its subtotal is “—”, as the app and ``compare`` show it."""
    card = shipped.score(2018)
    group = next(node for node in card.indicator_set.indicator if node.name == "满意度")
    assert card.groups[group.id].scored_leaves == 0
    out = io.StringIO()
    print_score_table(file_console(out, width=160), card)
    row = next(row for row in read_box_table(out.getvalue()).rows if row[0] == "满意度")
    assert row[3] == "—"


def test_a_reason_ending_in_a_newline_adds_no_empty_line(workspace: Workspace) -> None:
    """The reason box keeps the Enter typed after the last line; the table shows the reason without it."""
    from zzperf.evaluation import Entry

    evaluation = workspace.load_evaluation(2018)
    key = "input.goals.rationality"
    evaluation.indicators[key] = Entry(level="较好", reason="佐证材料不完整\n")
    workspace.save_evaluation(evaluation)
    out = io.StringIO()
    print_score_table(file_console(out, width=160), Workspace(workspace.root).score(2018))
    table = read_box_table(out.getvalue())
    start = next(number for number, row in enumerate(table.rows) if row[0] == "绩效目标合理性")
    cell = [row[5] for row in table.rows[start:]]
    reason = cell.index("理由：佐证材料不完整")
    assert cell[reason + 1] != ""  # the next line of the notes, or the next row's first: never a blank line


def test_a_missing_target_says_where_the_file_would_hold_it(demo: Path, capsys) -> None:  # noqa: ANN001
    """``zzperf score`` is read by those who edit the files: a 绩效目标 not filled in names its key there; the
    report and the screen say where it goes their own way (see tests/test_report.py)."""
    from zzperf.cli import main

    assert main(["score", str(demo), "--year", "2017"]) == 0
    out = capsys.readouterr().out.replace("\n", "").replace("│", "").replace(" ", "")
    assert '本年未填报“办件量”的绩效目标（accounts.toml中key="cases_handled"的[[outcomes]]）' in out
