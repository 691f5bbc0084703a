"""The score tab's detail and inputs as the cursor moves: kept texts follow every edit, hidden parts catch up.

The detail text of a leaf is made once for each of its results, the level list is filled in when it opens, and
inputs scrolled out of view are painted when they come into view: each test edits or moves, then checks that
what shows is the leaf's current state, never an earlier one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets._select import SelectOverlay
from tui_helpers import build, screen_text, settle, wait_until

from tests.conftest import score_with_edited_set
from zzperf.amounts import fmt_score
from zzperf.output.lines import NO_LINE_START, wrap
from zzperf.tui.panes.score import DetailText
from zzperf.workspace import Workspace

SIZE = (100, 30)


def detail(app) -> str:  # noqa: ANN001
    return app.query_one("#detail-text").content.plain


async def at_leaf(app, pilot, key: str):  # noqa: ANN001, ANN201
    """The score pane, with the cursor on ``key`` and the tree focused, as a person who moved there has it."""
    await pilot.pause()
    pane = app.score_pane
    pane.select(key)
    pane.tree.focus()
    return pane


async def test_a_score_typed_shows_in_the_detail_after_moving_away_and_back(demo: Path) -> None:
    key = "process.management.information"  # judged, scored 1 in the demo
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        pane = await at_leaf(app, pilot, key)
        await pilot.pause()
        points = fmt_score(app.session.indicator_set.by_id[key].points)
        assert f"得分 1.00 / {points}" in detail(app)
        await pilot.press("down", "up")  # away and back: the kept text is shown again
        assert pane.current == key and f"得分 1.00 / {points}" in detail(app)

        await pilot.press("e", "ctrl+a", "ctrl+k", "2", "enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.press("down")
        assert pane.current != key
        await pilot.press("up")
        await settle(pilot)
        assert pane.current == key
        assert app.session.card.results[key].final_score == 2
        assert f"得分 2.00 / {points}" in detail(app)
        assert "得分 1.00" not in detail(app)
        assert f"得分 2.00 / {points}" in screen_text(app)


async def test_a_figure_changed_on_the_data_tab_shows_in_the_detail_of_the_leaves_it_feeds(demo: Path) -> None:
    key = "process.execution.budget_completion"
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        pane = await at_leaf(app, pilot, key)
        await pilot.press("up", "down")  # its text is kept
        assert pane.current == key and "119.67%" in detail(app)

        await pilot.press("f3")
        data = app.data_pane
        row = next(i for i, r in enumerate(data.sheets[0].rows) if r.paths[0] == "overview.expenditure_total")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press(*"517.70", "enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert "100.00%" in detail(app) and "119.67%" not in detail(app)
        await pilot.press("up", "down")
        await settle(pilot)
        assert pane.current == key
        assert "100.00%" in detail(app) and "119.67%" not in detail(app)
        score = fmt_score(app.session.card.results[key].final_score)
        assert score != "2.00" and f"得分 {score} / 6.00" in screen_text(app)  # 2.00 before


async def test_the_level_list_offers_the_levels_of_the_leaf_shown(demo: Path) -> None:
    indicator_set = Workspace(demo).indicator_set
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.score_pane.current == "input.goals.rationality"  # the first leaf
        await pilot.press("down")
        assert app.score_pane.current == "input.goals.clarity"
        await pilot.press("e", "enter")  # open the list
        await pilot.pause()
        overlay = app.query_one("#entry-level").query_one(SelectOverlay)
        shown = [str(overlay.get_option_at_index(i).prompt) for i in range(1, overlay.option_count)]
        levels = indicator_set.by_id["input.goals.clarity"].rule.levels
        assert shown == [f"{level.name}（{fmt_score(level.points)} 分）" for level in levels]  # 1.50 and 1.00 alike
        assert overlay.highlighted == 1 + [level.name for level in levels].index("一般")  # the demo's level
        await pilot.press("escape", "escape", "up")
        assert app.score_pane.current == "input.goals.rationality"
        await pilot.press("e", "enter")
        await pilot.pause()
        shown = [str(overlay.get_option_at_index(i).prompt) for i in range(1, overlay.option_count)]
        assert "差（0.00 分）：未设定部门整体绩效目标" in shown and "好（2.00 分）" in shown


async def test_inputs_below_the_fold_show_the_new_leaf_when_scrolled_into_view(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        form = app.query_one("#detail-form")
        reason, evidence = app.query_one("#entry-reason"), app.query_one("#entry-evidence")

        async def shown_with(widget) -> str:  # noqa: ANN001
            """The screen once ``widget`` is focused and scrolled into view."""
            widget.focus(scroll_visible=False)
            form.scroll_to_widget(widget, animate=False)
            await wait_until(pilot, lambda: form.region.contains_region(widget.region))
            return screen_text(app)

        assert app.score_pane.current == "input.goals.rationality"  # the demo's reason and evidence for it
        assert "目标依据不够充分。" in await shown_with(reason)
        assert "株编办〔2015〕200号" in await shown_with(evidence)
        app.score_pane.tree.focus()
        form.scroll_home(animate=False)
        await settle(pilot)
        assert "株编办" not in screen_text(app) and "目标依据不够充分" not in screen_text(app)

        await pilot.press("down")  # 目标明确性: another reason and no evidence, below the fold
        await settle(pilot)
        assert app.score_pane.current == "input.goals.clarity"
        text = await shown_with(reason)
        assert "已列明“绩效评价不科学”。" in text and "目标依据不够充分" not in text
        text = await shown_with(evidence)
        assert evidence.value == "" and "株编办" not in text


async def test_the_inputs_first_appear_with_the_first_leafs_own_values(demo: Path) -> None:
    """No frame shows the inputs empty (the level's prompt, no leaf's values) before the first leaf's are in."""
    import re

    from textual._compositor import CompositorUpdate

    app = build(demo)
    frames: list[str] = []
    display = app._display

    def recording(screen, renderable) -> None:  # noqa: ANN001 - Textual's signature
        if isinstance(renderable, CompositorUpdate):
            frames.append(re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", renderable.render_segments(app.console)))
        display(screen, renderable)

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.score_pane.form is not None and "评定等级" in screen_text(app))
        await settle(pilot, 0.1)
        assert app.score_pane.current == "input.goals.rationality"  # a levels rule, scored 较好 in the demo
        assert "较好（1.50 分）" in screen_text(app)
    assert any("较好（1.50 分）" in frame for frame in frames)
    assert not any("选择等级" in frame for frame in frames), "a frame showed the inputs before the leaf's values"


async def test_a_theme_change_repaints_the_shown_detail_in_the_new_colours(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = app.query_one("#detail-text")

        def colours() -> set[str]:
            return {
                str(segment.style.color) for segment in text.render_line(0) if segment.style and segment.style.color
            }

        app.theme = "textual-dark"
        await settle(pilot, 0.1)
        dark = colours()
        app.theme = "textual-light"
        await settle(pilot, 0.1)
        light = colours()
        assert dark and light and dark != light
        app.score_pane.tree.focus()
        await pilot.press("down", "up")  # the same leaf again, laid out afresh in the light theme
        await settle(pilot)
        assert colours() == light


async def test_another_leaf_opens_its_inputs_at_their_top(demo: Path) -> None:
    """After working in the reason box (the inputs scrolled down to it), the next leaf shows its level first."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.query_one("#detail-form")
        await pilot.press("enter")  # into the first leaf's inputs
        await settle(pilot)
        app.query_one("#entry-reason").focus()  # the box scrolls to the reason
        await wait_until(pilot, lambda: form.scroll_y > 0)
        await pilot.press("escape")  # back to the tree
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)
        assert app.score_pane.current == "input.goals.clarity"
        assert form.scroll_y == 0
        assert "评定等级" in screen_text(app)


async def test_the_ticks_read_whole_in_an_80_column_terminal(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        form = app.query_one("#detail-form")
        tick = app.query_one("#entry-confirmed")
        tick.focus(scroll_visible=False)
        form.scroll_to_widget(tick, animate=False)
        await wait_until(pilot, lambda: form.region.contains_region(tick.region))
        assert "已核实，确认评分" in screen_text(app)


async def test_the_detail_says_a_score_once(demo: Path) -> None:
    """“评定得分：评定为“较好”，得 1.50 分”, not the score, then the rule's sentence saying it again."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.score_pane.current == "input.goals.rationality"
        text = detail(app)
        assert "评定得分：评定为“较好”，得 1.50 分" in text
        assert text.count("1.50 分") == 1
        app.score_pane.select("process.execution.budget_completion")
        await settle(pilot)
        text = detail(app)
        assert "自动得分：" in text and text.count("得 2.00 分") == 1 and "2.00 分。" not in text


def detail_lines(app) -> list[str]:  # noqa: ANN001
    """The detail box's lines as the screen shows them (what is right of the tree's border)."""
    rows = screen_text(app).splitlines()[4:-1]
    return [row.rsplit("▎", 1)[-1].strip(" ▁▂▃▄▅▆▇█") for row in rows if "▎" in row]


async def test_at_80x24_the_detail_keeps_its_labels_and_terms_whole(demo: Path) -> None:
    """“得分”, “评定得分：” and “0 分” on one line each, never “得” / “分”, in a detail box 26 cells wide."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_leaf(app, pilot, "input.config.three_public_change")  # 缺数据: “状态：缺数据    得分 — / 5.00…”
        await settle(pilot)
        lines = detail_lines(app)
        assert "状态：缺数据" in lines and any(line.startswith("得分 — / 5.00") for line in lines), lines

        await at_leaf(app, pilot, "input.goals.rationality")
        box = app.query_one(DetailText)
        box.focus()
        await pilot.press("end")  # the rule and the score, at the text's end
        await wait_until(pilot, lambda: box.scroll_y == box.max_scroll_y)
        lines = detail_lines(app)
        assert lines[lines.index("计分规则：好 2 分；") + 1 :][:4] == [  # each level with its points
            "较好 1.5 分；一般 1 分；",
            "差 0 分",
            "评定得分：评定为“较好”，",
            "得 1.50 分",
        ], lines


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
async def test_the_reason_hint_breaks_as_chinese_is_set(demo: Path, size: tuple[int, int]) -> None:
    """“⚠ 调整自动得分须填写理由，未采用。请在下面写明理由。”: no “。” opening a line, no line cut short at a space."""
    app = build(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # 在职人员控制率, into its score
        await pilot.press("4", "enter")  # an override without its reason
        await settle(pilot)
        hint = app.query_one("#reason-hint")
        form = app.query_one("#detail-form")
        form.scroll_to_widget(hint, top=True, animate=False)
        await wait_until(pilot, lambda: form.region.contains_region(hint.region))
        x, y, width, height = hint.content_region
        plain = str(hint.content)
        assert plain.startswith("⚠") and plain.endswith("请在下面写明理由。")
        lines = [row.rsplit("▎", 1)[-1].strip(" ▁▂▃▄▅▆▇█") for row in screen_text(app).splitlines()[y : y + height]]
        assert lines == wrap(plain, width), lines
        assert not any(line[:1] in NO_LINE_START for line in lines)


async def test_an_automatic_deduction_asks_for_no_reason_until_the_score_is_adjusted(demo: Path) -> None:
    """预算完成率 loses 4 points by its rule: the rule and figures are the reason, so the hint asks for none; an
    adjusted score needs one, and a judged deduction still asks for its reason."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        pane = await at_leaf(app, pilot, "process.execution.budget_completion")
        await settle(pilot)
        hint = app.query_one("#reason-hint")
        plain = str(hint.content)
        assert "本项按评分规则扣 4.00 分" in plain and "请写明扣分原因" not in plain, plain
        await pilot.press("enter")  # into its score
        await pilot.press("3", "enter")  # an adjustment without its reason
        await settle(pilot)
        assert str(hint.content).startswith("⚠") and "理由" in str(hint.content)
        await pilot.press("escape")
        pane = await at_leaf(app, pilot, "input.goals.clarity")  # judged, 一般, with its reason
        await settle(pilot)
        assert pane.current == "input.goals.clarity"
        assert str(hint.content) == "本项扣 2.00 分，理由已填写。"
        await at_leaf(app, pilot, "process.execution.carryover_change")  # automatic, full marks
        await settle(pilot)
        assert str(hint.content).startswith("自动得分由评分规则和取数算出"), str(hint.content)
        await at_leaf(app, pilot, "process.management.compliance")  # judged, full marks
        await settle(pilot)
        assert str(hint.content) == "扣分时须写明理由，否则不计入总分。"


async def test_an_empty_formula_leaves_a_judged_leaf_judged(demo: Path) -> None:
    """``formula = ""`` is no formula: the scoring judges such a leaf, so the pane calls its score 评定得分 and asks
    for the cases of a per-case leaf, as it does without the line (it said 自动得分 and hid the cases)."""
    score_with_edited_set(
        demo,
        *(
            (f'id = "{key}"\n', f'id = "{key}"\nformula = ""\n')
            for key in ("input.goals.rationality", "process.management.compliance")
        ),
    )
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        pane = await at_leaf(app, pilot, "input.goals.rationality")
        await settle(pilot)
        assert pane.current == "input.goals.rationality"
        assert "评定得分：评定为“较好”，得 1.50 分" in detail(app)
        assert str(app.query_one("#score-label").content).startswith("调整得分（可选")
        await at_leaf(app, pilot, "process.management.compliance")
        await settle(pilot)
        assert app.query_one("#entry-cases").display
        assert str(app.query_one("#reason-hint").content) == "扣分时须写明理由，否则不计入总分。"


async def test_at_80x24_an_automatic_items_worked_score_is_in_the_first_view(demo: Path) -> None:
    """预算调整率 at 80×24: the formula with its figures, the result and the score come before the explanation, so
    the narrow detail box shows them without scrolling; a judged item keeps its explanation and standard first."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_leaf(app, pilot, "process.execution.budget_adjustment")
        await settle(pilot)
        lines = detail_lines(app)
        shown = "".join(lines)
        assert "公式与取数：预算调整率 =" in shown and "608.72" in shown and "517.70" in shown, lines
        assert "完成值：17.58%" in lines, lines
        assert detail(app).index("公式与取数") < detail(app).index("自动得分") < detail(app).index("指标解释")
        await at_leaf(app, pilot, "input.goals.rationality")  # judged: the standard it is judged by first
        await settle(pilot)
        assert detail(app).index("指标解释：") < detail(app).index("评分标准：") < detail(app).index("评定得分：")


async def test_at_80_columns_the_tree_gives_the_form_room_while_it_is_typed_in(demo: Path) -> None:
    """At 80×24 the tree keeps its names whole (about 51 columns) and left the form 27: while a box of the form has
    the focus the tree narrows to half the screen (names cut with “…”), and Esc gives it its width back; at 100
    columns it stays."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_leaf(app, pilot, "input.config.staff_control")
        await settle(pilot)
        tree, form = app.score_pane.tree, app.query_one("#detail-form")
        whole = tree.size.width
        assert whole >= 50 and "在职人员控制率" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "entry-score"
        assert tree.size.width <= 40 and form.size.width >= 37, (tree.size.width, form.size.width)
        assert any(line[: tree.size.width].count("…") for line in screen_text(app).splitlines())  # a long name cut
        await pilot.press("escape")
        await settle(pilot)
        assert tree.size.width == whole
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_leaf(app, pilot, "input.config.staff_control")
        await settle(pilot)
        whole = app.score_pane.tree.size.width
        await pilot.press("enter")
        await settle(pilot)
        assert app.score_pane.tree.size.width == whole
