"""Notices leave the screen whole: when one goes, the terminal shows again what was beneath it, cell by cell,
double-width characters under its edge included."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import SelectionList
from tui_helpers import Terminal, build, columns, screen_text, settle, wait_until

from zzperf.tui import make_app
from zzperf.tui.screens.dialogs import TextScreen


def cells(line: str, width: int) -> str:
    """The first ``width`` cells of ``line``."""
    while cell_len(line) > width:
        line = line[:-1]
    return line


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


async def export_docx(pilot) -> None:  # noqa: ANN001
    """Export the report as Word from the command palette, as a person would."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"导出报告：docx")
    await pilot.pause(0.3)
    await pilot.press("enter")


async def test_key_bar_is_whole_again_when_the_undo_notice_goes(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 90 columns the notice's right edge crosses “退” of “^q 退出” in the data tab's key bar."""
    app = build(demo)
    terminal = Terminal(app, monkeypatch)
    async with app.run_test(size=(90, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot, 0.3)
        await pilot.press("6", "0", "0", "enter")
        await settle(pilot, 0.3)
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: "已撤销" in terminal.text())
        await wait_until(pilot, lambda: not app._notifications and "已撤销" not in terminal.text(), timeout=30)
        await settle(pilot, 0.2)
        shown, expected = lines(terminal.text()), lines(screen_text(app))
        assert "^q 退出  F1 帮助  F5 年度" in shown[-1], shown[-1]
        assert shown == expected


async def test_compare_tab_says_how_to_scroll_its_table_and_tab_reaches_it_sooner(demo: Path) -> None:
    """F6 focuses the table and the key bar names its page keys; at 100×30 the chart needs no scrolling, so Tab
    does not stop on it: one Tab goes from the table to the signals, the next back to the table."""
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await wait_until(pilot, lambda: app.focused is not None and app.focused.id == "compare-table")
        await settle(pilot, 0.3)
        key_bar = lines(screen_text(app))[-1]
        assert "PgDn 下翻一页" in key_bar and "PgUp 上翻一页" in key_bar, key_bar  # as the help (F1) writes them
        chain = [widget.id for widget in app.screen.focus_chain]
        assert "compare-chart-box" not in chain, chain
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert app.focused.id == "compare-table"
        rows_before = app.focused.cursor_row
        await pilot.press("pagedown")
        await settle(pilot)
        assert app.focused.cursor_row > rows_before


async def test_export_notice_shows_the_folder_and_the_file_name_each_broken_sensibly(demo: Path) -> None:
    """The folder breaks after a “/”, the file name starts a line of its own and keeps “2018年度” whole."""
    app = build(demo)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await export_docx(pilot)
        await wait_until(pilot, lambda: "已导出报告" in screen_text(app))
        path = next(demo.glob("**/*.docx"))
        notice = [
            cells(line, 50)[1:].replace("▐", "").strip() for line in lines(screen_text(app)) if line.startswith("▌")
        ]
        assert notice[0].startswith("已导出报告"), notice
        assert any(line.startswith(path.stem[:12]) for line in notice), notice  # the name opens a line
        assert any("2018年度" in line for line in notice), notice
        folder = "".join(notice[1 : notice.index(next(line for line in notice if line.startswith(path.stem[:12])))])
        assert folder == f"{path.parent}/", notice
        assert all(line.endswith("/") for line in notice[1:-2]), notice


async def test_data_tab_at_80_columns_gives_names_the_free_width(demo: Path) -> None:
    """A row name is cut (“…”) only when the figures leave no room for it; the line under the table shows the
    cell's name whole, the hint shortened to make room."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: "一般公共预算财政拨款收入" in screen_text(app))
        await settle(pilot, 0.3)
        status = next(line for line in lines(screen_text(app)) if "608.72  （" in line)
        assert "01 收入支出总表 · 一般公共预算财政拨款收入 · 本年  608.72  （回车修改）" in status, status
        pane = app.query_one("DataPane")
        table = app.query_one("#sheet-table")
        for index in range(len(pane.sheets)):
            app.go_to_sheet(index)
            await settle(pilot, 0.2)
            labels = [
                str(table.get_cell_at((row, 1 if pane.sheets[index].coded else 0))) for row in range(table.row_count)
            ]
            if any(label.endswith("…") for label in labels):
                assert table.virtual_size.width >= table.content_region.width - 2, (index, labels)


COUNTY = Path(__file__).resolve().parents[2] / "zzperf" / "demo_county" / "天水市幼儿园"


async def test_checklist_items_and_label_wrap_at_80_columns(tmp_path: Path) -> None:
    """绩效目标合理性 of a county department at 80 columns: each criterion reads whole (wrapped, its box on its
    first line), and the label keeps its closing bracket."""
    shutil.copytree(COUNTY, tmp_path / "dept")
    app = build(tmp_path / "dept")
    async with app.run_test(size=(80, 40)) as pilot:  # 80 columns, tall enough to see the list whole
        await settle(pilot)
        leaf = next(node for node in app.session.indicator_set.leaves if node.name == "绩效目标合理性")
        app.score_pane.select(leaf.id)
        await settle(pilot, 0.3)
        checklist = app.query_one("#entry-checklist", SelectionList)
        checklist.focus()
        await settle(pilot, 0.3)
        app.query_one("#checklist-label").scroll_visible(animate=False)
        await settle(pilot, 0.2)
        screen = lines(screen_text(app))
        label = app.query_one("#checklist-label").region
        shown = "".join(columns(line, label.x, label.right).strip() for line in screen[label.y : label.bottom])
        assert shown == "符合的检查项（空格键勾选）", shown
        boxes = ("▊", "▎", "▐ ▌", "▐X▌")
        for index in range(checklist.option_count):
            prompt = str(checklist.get_option_at_index(index).prompt)
            await pilot.press("down" if index else "home")
            await settle(pilot, 0.2)
            region = checklist.scrollable_content_region
            shown = [
                columns(line, region.x, region.right) for line in lines(screen_text(app))[region.y : region.bottom]
            ]
            for box in boxes:
                shown = [line.replace(box, "") for line in shown]
            assert prompt in "".join(line.strip() for line in shown), (prompt, shown)
        await pilot.press("space")
        await settle(pilot)
        assert checklist.selected == [str(checklist.get_option_at_index(checklist.option_count - 1).value)]


async def test_a_notice_over_a_longer_line_is_closed_by_an_edge(demo: Path) -> None:
    """In the review tab Enter's notice covers the start of the hint above the key bar: the hint's rest, beside it,
    is set off by the notice's right edge, on every line of the notice, rather than reading as part of it."""
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("tab", "1", "tab", *"证据不足", "enter")  # a score below the 自评 with its reason
        await wait_until(pilot, lambda: "已记录" in screen_text(app))
        notice = [line for line in lines(screen_text(app)) if line.startswith("▌")]
        assert len(notice) >= 2, notice
        edges = {cell_len(line[: line.index("▐")]) if "▐" in line else None for line in notice}
        assert edges == {48}, notice  # a notice 49 cells wide at 100 columns, its last cell the edge
        assert any("部门的自评不变" in line.split("▐")[1] for line in notice), notice


def test_a_repaint_is_widened_only_where_its_edge_splits_a_wide_character() -> None:
    from rich.segment import Segment
    from textual.strip import Strip

    from zzperf.tui.compositor import splits_wide as _splits_wide

    strip = Strip([Segment("F5 "), Segment("年度"), Segment(" x")])
    assert [_splits_wide(strip, offset) for offset in range(9)] == [False] * 4 + [True, False, True] + [False] * 2


async def test_export_notice_on_the_report_tab_keeps_the_characters_over_the_panel_edge(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the 报告 tab the file name's “心” lies across the edge of the section list beneath the notice: the notice
    shows it, in a full repaint and on the terminal as repainted piece by piece."""
    app = build(demo)
    terminal = Terminal(app, monkeypatch)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot, 0.3)
        await export_docx(pilot)
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))  # what to mend before submitting
        await pilot.press("escape")
        await wait_until(pilot, lambda: "已导出报告" in terminal.text())
        await settle(pilot, 0.2)
        name = next(demo.glob("**/*.docx")).stem
        for shown in (screen_text(app), terminal.text()):
            y, line = next((y, line) for y, line in enumerate(lines(shown)) if line.startswith(f"▌ {name[:6]}"))
            assert name[:20] in line, line
        heart = cell_len(line[: line.index(name[8])])  # “心”, in the cells heart and heart + 1
        assert heart + 1 in app.screen._compositor.cuts[y], "an edge beneath the notice no longer crosses “心”"


@pytest.mark.parametrize("width", [50, 40])
async def test_a_notice_is_broken_into_lines_at_its_real_width(demo: Path, width: int) -> None:
    """A notice's lines fill the notice as the stylesheet sizes it (zzperf-later.tcss, or a width set over it)."""
    app = build(demo)
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        await settle(pilot)
        app.stylesheet.add_source(f"Toast {{ width: {width}; }}", read_from=("test", "Toast"))
        app.refresh_css(animate=False)
        app.notify("部门整体支出绩效自评" * 6)
        await wait_until(pilot, lambda: "部门整体支出绩效自评" in screen_text(app))
        await settle(pilot)
        toast = app.screen.query_one("Toast")
        assert toast.region.width == width
        room = toast.content_region.width
        shown = [
            columns(line, toast.content_region.x, toast.content_region.right).rstrip()
            for line in lines(screen_text(app))[toast.region.y : toast.region.bottom]
        ]
        assert [cell_len(line) for line in shown] == [room] * (len(shown) - 1) + [120 - (len(shown) - 1) * room], shown
