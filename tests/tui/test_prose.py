"""Chinese prose wrapped as Chinese is set: numbers and words whole, no closing mark at a line start, styles kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from tui_helpers import build, screen_text, settle

from zzperf.output.lines import NO_LINE_END, NO_LINE_START, break_offsets, wrap
from zzperf.tui.widgets.prose import ProseArea, wrapped_content

SOURCE = (
    "2017 年度数据来源：只有本部门《2018 年度部门决算》与 2017 年比较时写明的几项（本年收入、支出合计，"
    "财政拨款收入、支出，年末结转和结余）；本部门 2017 年度决算和自评报告未能取得，其余指标为“数据不足”。"
)


@pytest.mark.parametrize("width", range(8, 61))
def test_every_line_fits_and_breaks_where_chinese_may(width: int) -> None:
    lines = wrapped_content(Content(SOURCE), width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == SOURCE.replace(" ", "")  # nothing lost but the spaces at breaks
    assert not any(line[:1] in NO_LINE_START for line in lines[1:])
    assert not any(line[-1:] in NO_LINE_END for line in lines)
    for number in ("2017", "2018"):
        assert sum(line.count(number) for line in lines) == SOURCE.count(number)  # never cut in two


def test_a_run_longer_than_the_line_is_folded_and_spaces_end_lines() -> None:
    assert break_offsets("abc 1234567890123 x", 10) == [4, 14]
    assert wrapped_content(Content("abc 1234567890123 x"), 10).plain == "abc\n1234567890\n123 x"


def test_styles_and_blank_lines_are_kept() -> None:
    from rich.text import Text

    text = Text("总分由 29.00 上升至 71.03\n\n")
    text.append("提示：“三公”经费比上年增加", style="yellow")
    out = wrapped_content(Content.from_rich_text(text), 12)  # a rich Text, as the 对比 side text is made
    assert out.plain.split("\n")[2] == ""  # the blank line
    yellow = "".join(out.plain[span.start : span.end] for span in out.spans)  # the only styled words
    assert yellow.replace("\n", "") == "提示：“三公”经费比上年增加"


def test_an_indent_alone_never_makes_a_line() -> None:
    lines = wrapped_content(Content("  ⚠ 完成值超出指标值 30% 以上：“证照联办”改革事项"), 14).plain.split("\n")
    assert lines[0].startswith("  ⚠") and all(line.strip() for line in lines)


def test_a_style_stays_on_its_characters() -> None:
    content = Content(SOURCE).stylize("bold", 0, 4)
    assert wrapped_content(content, 20).plain == wrapped_content(Content(SOURCE), 20).plain
    assert wrapped_content(content, 20).spans[0].end == 4


@pytest.mark.parametrize("width", range(12, 31))
def test_a_score_and_its_points_stay_on_one_line(width: int) -> None:
    """“2.00 / 6” is read as one figure: no line ends or starts at its slash (the score detail's lists)."""
    source = (
        "得分 — / 5.00（尚未计入总分）\n  预算完成率  2.00 / 6  自动\n  公用经费（机关运行经费）控制率  2.03 / 4  自动"
    )
    lines = wrapped_content(Content(source), width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    for pair in ("— / 5.00", "2.00 / 6", "2.03 / 4"):
        assert any(pair in line for line in lines), (pair, lines)


@pytest.mark.parametrize("width", range(16, 41))
def test_short_labels_terms_and_units_stay_whole_where_they_fit(width: int) -> None:
    """“评定得分：”, “得分”, “自动” and “0 分” are read as words: a line never breaks inside them while they fit
    (the longest, “服务对象满意度：”, takes 16 cells)."""
    source = (
        "状态：缺数据    得分 — / 5.00（尚未计入总分）\n"
        "状态：已评    得分 1.50 / 2.00\n"
        "计分规则：好 2 分；较好 1.5 分；一般 1 分；差 0 分\n"
        "评定得分：评定为“较好”，得 1.50 分\n"
        "公式与取数：服务对象满意度：完成值 数据不足，指标值 ≥ 95.00%\n"
        "  公用经费（机关运行经费）控制率  2.03 / 4  自动\n"
        "预算完成率（6 分）  过程 › 预算执行"
    )
    lines = wrap(source, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == source.replace(" ", "").replace("\n", "")
    labels = ("状态：", "评定得分：", "公式与取数：", "服务对象满意度：")
    terms = ("缺数据", "得分", "完成值", "自动", "2 分", "0 分")
    for word in (*labels, *terms, "1.50 / 2.00", "2.03 / 4", "过程 › 预算执行"):
        assert sum(line.count(word) for line in lines) == source.count(word), (word, lines)


def test_a_label_too_long_for_the_line_still_breaks_and_long_runs_are_not_kept() -> None:
    assert wrap("服务对象满意度：完成值", 6) == ["服务对", "象满意", "度：", "完成值"]
    # nine characters before the colon, six between spaces: ordinary text, broken as usual
    assert wrap("本部门全年主要工作是：推进改革。", 12) == ["本部门全年主", "要工作是：推", "进改革。"]
    assert wrap("与 2017 年比较时写明的几项", 12) == ["与 2017 年比", "较时写明的几", "项"]


def test_a_name_after_chinese_punctuation_stays_whole_with_its_figure() -> None:
    """A name of up to 12 characters after “，” or “：” goes to the next line with its figure, not cut to its last 8
    (“…，财政 / 拨款本年收入合计 608.72”); longer running text still keeps only its last 8 with the figure."""
    assert wrap("财政拨款收入总计 628.15，财政拨款本年收入合计 608.72 + 年初财政拨款结转和结余 19.44", 33) == [
        "财政拨款收入总计 628.15，",
        "财政拨款本年收入合计 608.72 +",
        "年初财政拨款结转和结余 19.44",
    ]
    assert wrap("公开04表 · 收支平衡：年初财政拨款结转和结余 19.44 + 财政拨款本年收入合计 608.72", 33) == [
        "公开04表 · 收支平衡：",
        "年初财政拨款结转和结余 19.44 +",
        "财政拨款本年收入合计 608.72",
    ]
    assert wrap("= 628.16，一般公共预算财政拨款收入 600.00", 36) == ["= 628.16，", "一般公共预算财政拨款收入 600.00"]
    assert wrap("本年的支出合计，主要用于本部门的基本支出和项目支出写作 537.71", 40) == [
        "本年的支出合计，主要用于本部门的基本支",
        "出和项目支出写作 537.71",
    ]


@pytest.mark.parametrize("width", range(10, 25))
def test_fixed_words_quotations_table_names_and_dates_stay_whole_where_they_fit(width: int) -> None:
    """“数据不足”, “总分”, “三公”, “公开06表” and a date with its time are read as one word each."""
    source = (
        "投入 5.00 分数据不足\n得分 — / 5.00（尚未计入总分）\n上年“三公”经费预算数 8.00 ÷ “三公”经费预算数 8.00\n"
        "公开06表：301 工资福利支出 = Σ其款级明细\n（进程 17980，2026-12-06 22:11:48 起）打开"
    )
    lines = wrap(source, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == source.replace(" ", "").replace("\n", "")
    words = ("数据不足", "得分", "总分", "尚未计入", "“三公”", "公开06表")
    words += ("2026-12-06",)
    words += ("2026-12-06 22:11:48",) if width >= 19 else ()
    for word in words:
        assert sum(line.count(word) for line in lines) == source.count(word), (word, lines)


def test_a_name_in_a_list_stays_whole_before_its_bracket() -> None:
    text = "尚有 3 项未得分：政府采购执行率（数据不足）、服务对象满意度（数据不足）。"
    assert wrap(text, 56) == ["尚有 3 项未得分：政府采购执行率（数据不足）、", "服务对象满意度（数据不足）。"]


def test_a_dash_for_a_missing_score_may_open_a_line() -> None:
    assert wrap("得分 — / 5.00（尚未计入总分）", 12) == ["得分", "— / 5.00", "（尚未计入", "总分）"]


def test_every_status_is_a_word_kept_whole() -> None:
    from zzperf.output.lines import WORDS
    from zzperf.scoring import Status

    assert {status.value for status in Status} <= set(WORDS)


# ─── the report editor (F4): its soft wrap breaks as the line breaker does ───


async def open_report_text(pilot):  # noqa: ANN001, ANN201
    """F4, then Tab into the first section's text box, the cursor at its start."""
    await pilot.press("f4", "tab")
    await settle(pilot)
    area = pilot.app.focused
    assert isinstance(area, ProseArea)
    await pilot.press("pageup", "home")
    assert area.cursor_location == (0, 0)
    return area


async def test_the_report_editor_wraps_a_paragraph_as_the_line_breaker_does(demo: Path) -> None:
    """The demo's 主要成绩 has a space before and after “44”: the first line does not stop at that space."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await open_report_text(pilot)
        paragraph = area.document.lines[0]
        assert paragraph.startswith("全面推进“最多跑一次”改革：梳理进驻 44 个部门")
        sections = [section.rstrip() for section in area.wrapped_document.lines[0]]
        assert sections == wrap(paragraph, area.wrap_width)
        assert sections[0] == "全面推进“最多跑一次”改革：梳理进驻 44 个部门的审批事"
        assert sections[0] in screen_text(app)


async def test_typing_and_moving_on_a_wrapped_line_of_the_report(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        area = await open_report_text(pilot)
        paragraph = area.document.lines[0]
        first = len(area.wrapped_document.lines[0][0])

        def row() -> int:
            """The line on screen (of the wrapped paragraph) the cursor is on."""
            return area.wrapped_document.location_to_offset(area.cursor_location).y

        await pilot.press("down")  # to the start of the paragraph's second line on screen
        assert area.cursor_location == (0, first) and row() == 1
        await pilot.press(*"甲乙")
        await settle(pilot)
        typed = paragraph[:first] + "甲乙" + paragraph[first:]
        assert area.document.lines[0] == typed and area.cursor_location == (0, first + 2)
        assert [section.rstrip() for section in area.wrapped_document.lines[0]] == wrap(typed, area.wrap_width)
        assert row() == 1  # “甲乙” do not fit after the first line's end: they open the second

        await pilot.press("up")
        assert row() == 0
        await pilot.press("down", "down")
        assert row() == 2
        await pilot.press("home", "left")  # from the third line's start back to the second line's last place
        assert row() == 1
        await pilot.press("backspace")
        await settle(pilot)
        column = area.cursor_location[1]
        assert area.document.lines[0] == typed[:column] + typed[column + 1 :]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert area.document.lines[0] == typed
        assert [section.rstrip() for section in area.wrapped_document.lines[0]] == wrap(typed, area.wrap_width)


async def test_a_reason_typed_wraps_as_the_report_text_does(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.score_pane.select("process.management.information")
        reason = app.query_one("#entry-reason", ProseArea)
        reason.focus()
        await pilot.press("end", *"抽查 12 个项目资料齐全并按规定公开")
        await settle(pilot)
        text = reason.document.lines[0]
        assert text.endswith("抽查 12 个项目资料齐全并按规定公开")
        assert [section.rstrip() for section in reason.wrapped_document.lines[0]] == wrap(text, reason.wrap_width)


@pytest.mark.parametrize("width", range(20, 81))
def test_no_line_opens_with_a_number_cut_from_its_words(width: int) -> None:
    """A 勾稽 finding is made of figures and what they are: “相差 9.02”, “= 628.16” never lose their words."""
    source = (
        "提示 公开01表 · 总计（收入侧）：收入总计 628.15，本年收入合计 608.72 + 年初结转和结余 19.44 = 628.16"
        "（使用非财政拨款结余未列示，按 0 计），相差 0.01，可能为四舍五入差异"
    )
    lines = wrapped_content(Content(source), width).plain.split("\n")
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == source.replace(" ", "")
    assert not any(line[:1].isdigit() for line in lines), lines
    assert sum(line.count("相差 0.01") for line in lines) == 1, lines
    assert wrapped_content(Content("明细合计 258.88，相差 9.02"), 24).plain == "明细合计 258.88，\n相差 9.02"
    assert wrapped_content(Content("合计 258.88，相差 9.02"), 16).plain == "合计 258.88，\n相差 9.02"
    assert wrapped_content(Content("控制率  2.03 / 4"), 12).plain == "控制率\n2.03 / 4"


async def test_a_prose_text_breaks_its_lines_once_not_on_every_repaint(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hint or label is repainted on every cursor move; its text, unchanged, is not broken into lines again."""
    from textual.app import App

    from zzperf.tui.widgets import prose
    from zzperf.tui.widgets.prose import ProseText

    class One(App[None]):
        def compose(self):  # noqa: ANN202
            yield ProseText("评分标准：符合国家法律法规和经济社会发展规划、符合三定职责，评为“好”得 2 分")

    app = One()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = app.query_one(ProseText)
        breaks: list[int] = []
        original = prose.wrapped_content
        monkeypatch.setattr(prose, "wrapped_content", lambda *args: breaks.append(1) or original(*args))
        for _ in range(10):
            text.refresh()
            await pilot.pause()
        assert breaks == []
        text.update("评定得分：评定为“较好”，得 1.50 分，理由见自评报告第二部分")
        await pilot.pause()
        assert 1 <= len(breaks) <= 2, breaks  # the new text: measured and drawn at its width
