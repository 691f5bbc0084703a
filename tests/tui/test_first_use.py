"""Rough edges a new user meets: the year list, rule names, missing data, the palette, notices, typing in a cell.

Each test drives the app with keys as a person would and checks what the screen shows and the files hold.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from textual.command import CommandList as PaletteList
from textual.widgets import TextArea
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.tui.panes import DataPane
from zzperf.tui.panes.score import DetailText
from zzperf.workspace import Workspace, start_new_year

SIZE = (110, 32)


async def open_data(pilot) -> None:
    """F3, then wait until the 数据 tab is mounted and shows its table (a busy machine may take a while)."""
    await pilot.press("f3")
    for _ in range(400):
        pane = pilot.app._maybe(DataPane)
        if pane is not None and pane.state is not None and pane.query("#sheet-table") and pane.table.has_focus:
            break
        await settle(pilot, 0.05)
    await settle(pilot)


def notices(app) -> str:
    """The text of the notices shown now."""
    return "\n".join(notification.message for notification in app._notifications)


# ─── the year list ───


async def test_the_year_list_does_not_wrap_round_to_new_year(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        await pilot.press("up", "up", "up", "enter")  # from 2018 up to 2017, and no further
        await settle(pilot)
        assert app.session.year == 2017
    assert Workspace(demo).years() == [2017, 2018]


async def test_new_year_is_created_only_after_asking(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "down", "enter")
        await settle(pilot)
        assert "新建 2019 年度？" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert Workspace(demo).years() == [2017, 2018] and app.session.year == 2018
        await pilot.press("f5", "down", "enter")
        await settle(pilot)
        await pilot.press("tab", "enter")  # 取消
        await settle(pilot)
        assert Workspace(demo).years() == [2017, 2018]
        await pilot.press("f5", "down", "enter")
        await settle(pilot)
        await pilot.press("enter")  # 新建 2019 年度
        await settle(pilot)
        assert app.session.year == 2019
    assert Workspace(demo).years() == [2017, 2018, 2019]


async def test_an_empty_year_can_be_removed_after_asking(demo: Path) -> None:
    start_new_year(Workspace(demo))
    app = build(demo, 2019)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot)
        assert "2019 年度（当前）（空）" in screen_text(app)
        await pilot.press("delete")
        await settle(pilot)
        assert "删除 2019 年度？" in screen_text(app)
        await pilot.press("enter")  # 保留 is the first answer
        await settle(pilot)
        assert Workspace(demo).years() == [2017, 2018, 2019]
        await pilot.press("f5", "delete")
        await settle(pilot)
        await pilot.press("tab", "enter")  # 删除 2019 年度
        await settle(pilot)
        assert app.session.year == 2018
        assert "已删除空的 2019 年度" in notices(app)
    assert Workspace(demo).years() == [2017, 2018]
    assert not (demo / "2019").exists()


async def test_a_year_with_data_is_never_removed(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "delete")
        await settle(pilot)
        assert "2018 年度已有数据或评分，不能删除" in notices(app)
        assert "删除 2018 年度？" not in screen_text(app)
    assert Workspace(demo).years() == [2017, 2018]


async def test_the_app_opens_the_latest_year_with_data(demo: Path) -> None:
    start_new_year(Workspace(demo))
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.session.year == 2018
        assert "2018年度" in screen_text(app)


# ─── rule names, the palette ───


async def test_findings_show_what_the_rule_checks_not_its_code(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_data(pilot)
        text = screen_text(app)
        assert "公开06表 · 301 工资福利支出" in text
        assert "T6-301" not in text and "T1-BAL-IN" not in text


async def test_the_palette_finds_a_figure_and_opens_its_cell(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"三公经费预算数合计")
        await settle(pilot, 0.3)
        assert "“三公”经费预算数·合计（公开07表）" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.active_tab == "data"
        assert app.data_pane._cursor_path() == "three_public.budget.total"


async def test_the_palette_lists_indicators_before_data_items(demo: Path) -> None:
    """“三公” names two indicators and many figures and tables, all matched as well: the indicators come first."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_data(pilot)  # every provider has its items (the 数据 tab's are there once it is mounted)
        await pilot.press("ctrl+p", *"三公")
        palette_list = app.screen.query_one(PaletteList)

        def names() -> list[str]:
            return [str(option.prompt).split("\n")[0] for option in palette_list.options]

        await wait_until(pilot, lambda: any(name.startswith("表：") for name in names()))
        await settle(pilot, 0.5)  # the last batch of hits
        found = names()
        assert found[:2] == ["指标：“三公经费”变动率", "指标：“三公经费”控制率"], found
        # by their scores, not by which provider answered first (the palette asks them in no fixed order)
        scores = [(str(option.prompt).startswith("指标："), option.hit.score) for option in palette_list.options]
        assert min(score for indicator, score in scores if indicator) > max(score for ind, score in scores if not ind)
        assert any(name.startswith("数据：“三公”经费") for name in found)
        assert "指标：“三公经费”变动率" in screen_text(app)


async def test_the_palette_shows_an_indicators_score_against_its_points(demo: Path) -> None:
    """“已调整 4.00/5 分”, never “已调整，5 分”, which reads as the score but is the maximum."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "enter")  # 在职人员控制率 (5 分, 自动 5), into its inputs
        assert app.score_pane.current == "input.config.staff_control"
        await pilot.press("4", "enter", *"编外人员长期顶岗", "tab")
        await settle(pilot)

        async def shown_for(name: str) -> str:
            await pilot.press("ctrl+p", *name)
            palette_list = app.screen.query_one(PaletteList)
            await wait_until(pilot, lambda: palette_list.option_count > 0)
            await settle(pilot, 0.3)
            text = screen_text(app)
            await pilot.press("escape")
            await settle(pilot)
            return text

        assert "已调整 4.00/5 分" in await shown_for("在职人员控制率")
        assert "数据不足 —/4 分" in await shown_for("政府采购执行率")
        text = await shown_for("绩效指标明确性")
        assert "已评 1.00/3 分" in text and "，3 分" not in text


async def test_the_palette_says_in_chinese_when_nothing_matches(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"qqqzzz")
        await settle(pilot, 1.0)
        text = screen_text(app)
        assert "没有找到与“qqqzzz”相符" in text and "No matches" not in text


# ─── tick boxes ───


async def test_ticked_and_unticked_boxes_differ_without_colour(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.score_pane.select("process.management.rules")  # 2 of 3 checks ticked in the demo
        await settle(pilot)
        text = screen_text(app)
        assert "▐X▌ 管理制度已制定" in text
        assert "▐ ▌ 制度得到有效执行" in text
        confirmed = app.query_one("#entry-confirmed")
        assert confirmed.render().plain.startswith("▐X▌ 已核实")  # confirmed in the demo
        await pilot.press("e", "end", "space")
        await settle(pilot)
        assert "▐X▌ 制度得到有效执行" in screen_text(app)
        assert confirmed.render().plain.startswith("▐ ▌ 已核实")  # a changed score is no longer confirmed
        confirmed.focus()
        await pilot.press("space")
        await settle(pilot)
        assert confirmed.render().plain.startswith("▐X▌ 已核实")


# ─── typing in a data cell ───


async def test_typing_a_letter_in_a_data_cell_goes_into_the_cell(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_data(pilot)
        await pilot.press("]", "]")  # 公开03表, whose rows can be added: "a" used to open 添加行 there
        pane = app.data_pane
        for _ in range(200):
            if pane.sheets[pane.sheet_index].key == "t3" and pane.table.has_focus:
                break
            await settle(pilot, 0.05)
        await pilot.press("a")
        await settle(pilot)
        assert "中添加一行" not in screen_text(app) and len(app.screen_stack) == 1
        assert app.data_pane.editor.editing and app.data_pane.editor.text == "a"
        await pilot.press("escape")
        await settle(pilot)
        assert not app.data_pane.editor.editing
        await pilot.press("insert")  # adding a row has a key that types nothing
        await settle(pilot)
        assert len(app.screen_stack) == 2


# ─── empty groups ───


async def test_groups_with_nothing_scored_show_a_dash_like_the_total(demo: Path) -> None:
    start_new_year(Workspace(demo))
    app = build(demo, 2019)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "总分 —" in text
        assert "投入 —/15" in text  # the header
        assert "0.00/" not in text
        tree_lines = [line for line in text.splitlines() if "▼ 目标设定" in line]
        assert tree_lines and "—/5" in tree_lines[0]


# ─── the text check ───


async def test_the_text_check_shows_every_disagreement_it_counts(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4")
        for _ in range(400):
            if app.query("#report-achievements"):
                break
            await settle(pilot, 0.05)
        area = app.query_one("#report-achievements", TextArea)
        area.focus()
        await settle(pilot)
        await pilot.press("ctrl+a")
        area.insert("2018年本年收入合计600.00万元，本年支出合计600.00万元。")  # as typed or pasted
        await settle(pilot, 1.0)
        text = screen_text(app)
        assert "共 2 处" in text
        assert "本年收入合计为 608.72" in text and "本年支出合计为 619.54" in text


# ─── an indicator without data ───


async def test_missing_data_says_where_it_belongs_and_goes_there(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.score_pane.select("input.config.three_public_change")
        await settle(pilot)
        text = screen_text(app).replace("\n", "")
        assert "数据不足，没有自动得分" in text
        assert "调整自动得分" not in str(app.query_one("#score-label").content)
        app.query_one(DetailText).scroll_end(animate=False)  # the text box scrolls inside itself
        await settle(pilot)
        text = screen_text(app).replace("\n", "")
        assert "应填在 2017 年度的公开07表" in text
        assert "数据不足：上年" in text.replace(" ", "") and "缺少数据" not in text  # said once, under its heading
        app.score_pane.tree.focus()
        await pilot.press("g")
        for _ in range(400):
            pane = app._maybe(DataPane)
            if app.session.year == 2017 and pane is not None and pane.state is not None and pane.query("#sheet-table"):
                break
            await settle(pilot, 0.05)
        await settle(pilot)
        assert app.session.year == 2017
        assert app.active_tab == "data"
        assert app.data_pane._cursor_path() == "three_public.budget.total"


async def test_going_to_a_figure_of_another_year_shows_that_years_table_once_the_data_tab_was_seen(
    demo: Path,
) -> None:
    """The 数据 tab, once seen, kept the open year's 公开01表 on screen after g opened 2017's 公开07表 (the table,
    hidden meanwhile, came back at its old size, which brought no Resize), and took no key."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: app._maybe(DataPane) is not None and bool(app.data_pane.query("#sheet-table")))
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        app.score_pane.select("input.config.three_public_change")
        await settle(pilot)
        app.score_pane.tree.focus()
        await pilot.press("g")
        await wait_until(pilot, lambda: app.session.year == 2017 and app.active_tab == "data")
        await settle(pilot)
        text = screen_text(app)
        assert "公开07表 “三公”经费支出决算表" in text and "608.72" not in text
        assert app.data_pane._cursor_path() == "three_public.budget.total"
        await pilot.press(*"4.5", "enter")
        await settle(pilot)
    assert Workspace(demo).load_accounts(2017).three_public.budget.total == Decimal("4.5")


# ─── notices ───


async def shown_toasts(pilot) -> list:  # noqa: ANN001
    """The notices on the screen, once the rack shows them."""
    await wait_until(pilot, lambda: bool(pilot.app.screen.query("Toast")))
    await settle(pilot)
    return list(pilot.app.screen.query("Toast"))


def clear_of(app, toasts: list, *widgets) -> None:  # noqa: ANN001
    """No notice covers the header (the tab names included) or ``widgets``."""
    for toast in toasts:
        for widget in (app.query_one("#status"), *widgets):
            assert not toast.region.overlaps(widget.region), (toast.region, widget)


@pytest.mark.parametrize("size", [(80, 24), SIZE, (120, 40)])
async def test_notices_cover_neither_the_tabs_nor_what_is_typed_into(demo: Path, size: tuple[int, int]) -> None:
    app = build(demo)
    async with app.run_test(size=size, notifications=True) as pilot:
        await settle(pilot)
        tabs = screen_text(app).splitlines()[2]
        # the score tab, typing a score: a notice with a title, as “n” and Ctrl+S give
        app.score_pane.select("process.management.information")
        await pilot.press("e")
        await settle(pilot)
        assert app.focused is not None and app.focused.id
        app.notify("所有修改都已写入文件。", title="已保存")
        clear_of(app, await shown_toasts(pilot), app.focused, app.query_one("#detail-form"))
        assert screen_text(app).splitlines()[2] == tabs

        # the 数据 tab, editing a cell
        await pilot.press("escape")
        await open_data(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.data_pane.editor.editing
        app.notify("上年数据只读，请切换到 2017 年度修改。", severity="warning")
        clear_of(app, await shown_toasts(pilot), app.data_pane.editor, app.data_pane.table)
        await pilot.press("escape")
        app.clear_notifications()

        # the report text, typing: its box and what is typed stay in view
        await pilot.press("f4", "tab", *"新写的一段")
        await settle(pilot)
        area = app.focused
        assert isinstance(area, TextArea) and area.text.endswith("新写的一段")
        app.notify("已导出 2018/自评报告.docx", title="已导出报告")
        app.notify("还有 3 项需要处理", timeout=2)  # takes the place of the first: notices do not pile up
        toasts = await shown_toasts(pilot)
        assert [toast._notification.message for toast in toasts] == ["还有 3 项需要处理"]
        clear_of(app, toasts, area)
        assert app.NOTIFICATION_TIMEOUT <= 3


# ─── an 80×24 terminal ───


async def test_at_80x24_the_header_the_names_and_the_footer_are_whole(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await wait_until(pilot, lambda: "F1 帮助" in screen_text(app) and "勾稽" in screen_text(app))
        lines = screen_text(app).splitlines()
        assert all(f"{name} " in lines[1] for name in ("投入", "过程", "产出", "效果"))
        assert "勾稽" in lines[1]
        tree = "\n".join(line.split("▎")[0] for line in lines[4:-1])
        for node in app.session.indicator_set.indicator[:18]:  # those on the first screen, the longest name among them
            assert node.name in tree, node.name
        assert "…" not in tree
        for key in ("F1 帮助", "F5 年度", "^p 命令"):
            assert key in lines[-1]
        for tab in ("评分 F2", "数据 F3", "报告 F4", "对比 F6"):
            assert tab in lines[2]
        await pilot.press("f3")
        await settle(pilot, 0.5)
        assert "F5 年度" in screen_text(app).splitlines()[-1]


# ─── the 数据 tab's names ───


async def test_the_names_take_the_width_the_figures_leave_free(demo: Path) -> None:
    """公开05表 at 120 columns shows its long 科目名称 whole; at 80 they are cut again and the figures stay in view."""
    whole = ("政府办公厅（室）及相关机构事务", "其他政府办公厅（室）及相关机构事务支出")
    app = build(demo)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_data(pilot)
        pane = app.data_pane
        pane.show_sheet(next(i for i, sheet in enumerate(pane.sheets) if sheet.title.startswith("公开05表")))
        await settle(pilot)
        text = screen_text(app)
        assert all(name in text for name in whole), text
        assert "本年支出合计" in text and "577.72" in text

        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: not any(name in screen_text(app) for name in whole))
        text = screen_text(app)
        assert "政府办公厅（室）及相…" in text and "本年支出合计" in text and "577.72" in text

        await pilot.resize_terminal(120, 30)
        await wait_until(pilot, lambda: all(name in screen_text(app) for name in whole))

        # 公开04表 (two columns of figures) at 80: its names take what the figures leave, both columns in view
        await pilot.resize_terminal(80, 24)
        pane.show_sheet(next(i for i, sheet in enumerate(pane.sheets) if sheet.title.startswith("公开04表")))
        await settle(pilot)
        lines = screen_text(app).splitlines()
        row = next(line for line in lines if "年初一般公共预算财政拨款结转" in line)
        assert row.rstrip().endswith("19.44")
        assert any(line.rstrip().endswith("591.15") for line in lines)  # the 上年 column, whole at the right


async def test_escape_from_the_findings_list_goes_back_to_the_table(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await open_data(pilot)
        pane = app.data_pane
        await pilot.press("ctrl+f")  # the 勾稽 findings list
        await settle(pilot)
        assert not pane.table.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert pane.table.has_focus
        row = pane.table.cursor_row
        await pilot.press("down")
        await settle(pilot)
        assert pane.table.cursor_row == row + 1


@pytest.mark.parametrize(("typed", "suffix"), [("Word", ".docx"), ("Excel", ".xlsx")])
async def test_the_palette_finds_an_export_by_the_name_users_know_its_format_by(
    demo: Path, typed: str, suffix: str
) -> None:
    # “Word” found nothing: the commands were named 导出报告：docx, and xlsx.
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = set((demo / "2018").iterdir())
        await pilot.press("ctrl+p", *typed)
        palette_list = app.screen.query_one(PaletteList)
        await wait_until(pilot, lambda: palette_list.option_count > 0)
        await settle(pilot, 0.3)
        assert f"导出报告：{typed}（" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(path.suffix == suffix for path in set((demo / "2018").iterdir()) - before))


async def test_where_missing_data_belongs_names_it_and_its_table_in_words(demo: Path) -> None:
    """A 完成值 is named by its outcome (not its key “satisfaction”), and a table without a 公开 number is quoted as
    a table: “政府采购”表."""
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, said in (
            ("effect.satisfaction.service", "服务对象满意度完成值应填在 2018 年度的“绩效目标与完成值”表。"),
            ("process.execution.procurement", "政府采购预算应填在 2018 年度的“政府采购”表。"),
        ):
            app.score_pane.select(key)
            await settle(pilot)
            text = app.query_one(DetailText).content.plain.replace("\n", "")
            assert said in text, text
            assert "satisfaction" not in text


async def test_a_question_breaks_its_message_as_chinese_is_set(demo: Path) -> None:
    """The quit question “有 1 处输入无效，不能保存（…）” broke after “有 1”, the number cut from its “处”."""
    from zzperf.output.lines import wrap
    from zzperf.tui.screens.dialogs import ConfirmScreen

    message = "有 1 处输入无效，不能保存（第 3 行 本年收入合计：“60x”不是数字）。其余修改都已保存。"
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(ConfirmScreen("还有无效的输入", message, [("stay", "返回修改", "primary")]))
        await settle(pilot)
        shown = app.screen.query_one("#confirm-message")
        width = shown.content_region.width
        text = screen_text(app)
        assert not any(line.rstrip(" █").endswith("有 1") for line in text.splitlines()), text
        assert all(piece in text for piece in wrap(message, width)), (wrap(message, width), text)
