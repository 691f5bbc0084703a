"""At 80×24 the texts an evaluator or reviewer reads are whole: wrapped as Chinese prose, or short enough to fit.

Each test drives the app with keys as a person would and reads the screen.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import build, screen_text, settle, wait_until

from zzperf.tui import make_app

SIZE = (80, 24)


def right_of_tree(app) -> list[str]:  # noqa: ANN001
    """The lines of the detail column (right of the tree's border), as the screen shows them."""
    rows = screen_text(app).splitlines()[4:-1]
    return [row.rsplit("▎", 1)[-1].strip(" ▁▂▃▄▅▆▇█") for row in rows if "▎" in row]


async def open_figures(pilot) -> None:  # noqa: ANN001
    """F3 once the first screen has settled, then wait until the figures' table has the focus."""
    await settle(pilot)
    await pilot.press("f3")
    await wait_until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "sheet-table")


async def test_the_score_label_wraps_whole_in_the_narrow_form(demo: Path) -> None:
    """Beside the tree's whole names (the focus in the tree) the form is 27 cells wide: the label breaks after a
    “，”, never inside “3 分”; typed in, the form has room and the label takes one line."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down")  # 绩效指标明确性: a levels rule, its score an optional adjustment
        await settle(pilot)
        score, form = app.query_one("#entry-score"), app.query_one("#detail-form")
        form.scroll_to_widget(score, animate=False)
        await wait_until(pilot, lambda: form.region.contains_region(score.region))
        assert app.focused is app.score_pane.tree
        lines = right_of_tree(app)
        at = lines.index("调整得分（可选，0–3 分，")
        assert lines[at + 1] == "须填理由）", lines
        assert "留空按评定计分" in screen_text(app)  # the placeholder whole in the 20-cell input
        score.focus()
        await wait_until(pilot, lambda: form.region.contains_region(score.region) and form.size.width > 30)
        lines = right_of_tree(app)  # the tree gives the form room while it is typed in: the label on one line
        assert "调整得分（可选，0–3 分，须填理由）" in lines, lines


async def test_an_invalid_figure_shows_its_whole_error_and_the_header_keeps_the_name(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot)
        await pilot.press(*"xyz", "enter")
        await settle(pilot, 0.3)
        text = screen_text(app)
        lines = text.splitlines()
        assert lines[0].split() == [
            "株洲市政务服务中心",
            "2018年",
            "总分",
            "65.53",
            "中（暂定）",
            "已评",
            "23/26",
            "!",
            "1",
            "处输入无效",
        ], lines[0]
        error = next(index for index, line in enumerate(lines) if "“xyz”不是金额" in line)
        assert "（改正后按回车，或按 Esc" in lines[error] and lines[error + 1].strip() == "放弃）", lines[
            error : error + 2
        ]
        assert "…" not in lines[0] + lines[error]
        await pilot.press("escape")  # the error goes, and the editor is two lines again
        await settle(pilot)
        assert "放弃）" not in screen_text(app) and app.data_pane.editor.size.height == 2


async def test_the_help_wraps_a_long_description_instead_of_cutting_it(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot, 0.3)
        body = app.screen.query_one("#help-body")
        body.scroll_to(y=12, animate=False)  # the 评分 keys
        await settle(pilot)
        lines = [line.split("█")[1].strip(" ▁▂▃▄▅▆▇") for line in screen_text(app).splitlines() if line.count("█") >= 2]
        at = next(index for index, line in enumerate(lines) if "跳到下一个需要处理的指标" in line)
        assert lines[at].endswith("待评、数据不足、缺理由或有") and lines[at + 1] == "问题", lines[at : at + 2]
        assert not any(line.endswith("…") for line in lines)


async def test_the_review_fields_show_their_placeholders_whole(demo: Path) -> None:
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.3)
        await wait_until(pilot, lambda: "意见：" in screen_text(app))
        text = screen_text(app)
        assert "理由：与自评不同的依据" in text and "意见：意见或整改要求" in text
        assert "只读" in text.splitlines()[1] and "…" not in text.splitlines()[1]


async def test_moving_through_the_figures_keeps_the_table_where_it_is(demo: Path) -> None:
    # each cell has its own note (what the figure is used for): a note that wrapped onto more lines would move the
    # table up and down with the cursor, and lay the whole screen out again on every move
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot)
        table = app.query_one("#sheet-table")
        heights = set()
        for _ in range(8):
            await pilot.press("down")
            await settle(pilot)
            heights.add((table.size.height, app.data_pane.editor.size.height))
        assert heights == {(table.size.height, 2)}, heights
