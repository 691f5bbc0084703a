"""The 数据 tab's texts as a new user reads them: the 勾稽 findings broken as Chinese prose at the list's width, and
the full note of what a cell feeds, which the editor's two lines cut.

Each test drives the app with keys, at the sizes a user's terminal has (100×30, 80×24), and reads the screen.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.tui.panes import DataPane


async def open_data(pilot) -> None:
    """F3, then wait until the 数据 tab shows its table with the cursor in it."""
    await pilot.press("f3")
    await wait_until(
        pilot,
        lambda: (
            (pane := pilot.app._maybe(DataPane)) is not None
            and pane.state is not None
            and bool(pane.query("#sheet-table"))
            and pane.table.has_focus
        ),
    )
    await settle(pilot)


def findings_lines(text: str) -> list[str]:
    """The lines inside the findings box (between its borders) of a screen's text."""
    lines = text.split("\n")
    top = next(index for index, line in enumerate(lines) if "勾稽关系：" in line and "╭" in line)
    inside = []
    for line in lines[top + 1 :]:
        if line.startswith("╰"):
            break
        inside.append(line.strip("│ ▄▀█▁▂▃▅▆▇"))
    return inside


async def read_findings(pilot) -> list[str]:
    """Every line of the findings list, stepping through it from the top (Ctrl+F, then ↓ for each finding)."""
    app = pilot.app
    await pilot.press("ctrl+f", "home")
    await settle(pilot)
    seen: list[str] = []
    for _ in range(len(app.session.checks.findings) + 1):
        for line in findings_lines(screen_text(app)):
            if line not in seen:
                seen.append(line)
        await pilot.press("down")
        await settle(pilot)
    return seen


async def test_no_finding_line_opens_with_a_figure_cut_from_its_words(demo: Path) -> None:
    """At 80×24 Textual's own wrap left “…，相差” / “9.02”; the list breaks as Chinese prose does, at each width."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_data(pilot)
        for size in ((80, 24), (100, 30), (80, 24)):
            await pilot.resize_terminal(*size)
            await settle(pilot, 0.1)
            lines = await read_findings(pilot)
            assert any("相差 9.02" in line for line in lines), (size, lines)
            opening = [line for line in lines if re.match(r"[-+−]?\d", line)]
            assert not opening, (size, opening)
            width = app.query_one("#findings").scrollable_content_region.width
            assert width < 80 if size[0] == 80 else width > 80  # broken again at the new width


def dialog_text(text: str) -> str:
    """What the dialog on the screen shows: the text between its side borders, lines joined, spaces dropped."""
    inside = [line[line.index("█") + 1 : line.rindex("█")] for line in text.split("\n") if line.count("█") >= 2]
    return "".join(inside).replace(" ", "")


async def test_the_note_a_cell_feeds_is_cut_at_the_width_and_shown_in_full_on_a_key(demo: Path) -> None:
    """年初结转和结余 feeds an indicator and a 勾稽 rule: at 80×24 its note is cut; it ends saying which key shows
    it all, that key (in the key bar) opens the full note, and moving the cursor never moves the table."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_data(pilot)
        pane = app.data_pane
        editor = pane.editor
        table_region, editor_region = pane.table.region, editor.region
        for _ in range(10):
            await pilot.press("down")
        await settle(pilot)
        assert pane._cursor_path() == "overview.carryover_begin"
        assert (pane.table.region, editor.region) == (table_region, editor_region)  # nothing moved
        lines = screen_text(app).split("\n")
        note = next(line for line in lines if line.startswith(" 用于评分：结转结余变动率"))
        assert note.rstrip().endswith("…（Ctrl+N 看全文）"), note
        assert "^n 用途全文" in lines[-2] + lines[-1]

        await pilot.press("ctrl+n")
        await settle(pilot)
        shown = dialog_text(screen_text(app))
        rule = "公开01表：收入总计=本年收入合计+使用非财政拨款结余+年初结转和结余"
        for words in (
            "数据用途：01收入支出总表·年初结转和结余·本年",
            "·结转结余变动率-55.71%→4.00分",
            "勾稽：",
            f"·{rule}",
        ):
            assert words in shown, (words, shown)
        await pilot.press("escape")
        await settle(pilot)
        assert "数据用途" not in screen_text(app) and pane.table.has_focus

        # while a figure is being typed the note is that cell's; the draft stays through the dialog
        await pilot.press("5", "ctrl+n")
        await settle(pilot)
        assert "·结转结余变动率-55.71%→4.00分" in dialog_text(screen_text(app))
        await pilot.press("enter")
        await settle(pilot)
        assert editor.editing and editor.text == "5" and "数据用途" not in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not editor.editing and editor.region == editor_region


async def test_a_cut_note_ends_at_its_last_character_then_the_ellipsis(demo: Path) -> None:
    # A cut through a Chinese character leaves half of it as a space: “本年收入合 …” rather than “本年收入合…”.
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_data(pilot)
        cut = 0
        for _ in range(18):
            await pilot.press("down")
            await settle(pilot)
            lines = screen_text(app).split("\n")
            notes = [line for line in lines if "（Ctrl+N 看全文）" in line]
            cut += len(notes)
            assert not any(" …（Ctrl+N" in line for line in notes), notes
        assert cut  # some notes were cut on the way


async def test_the_table_is_built_once_it_has_a_width_and_again_only_when_its_names_get_another(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mounted hidden, the table waits for a width; the first visit builds it once; a resize that leaves the name
    column as it was builds nothing, one that narrows it builds the table once more."""
    widths: list[int] = []
    build_table = DataPane._build_table

    def counted(pane: DataPane) -> None:
        widths.append(pane.table.content_region.width)
        build_table(pane)

    monkeypatch.setattr(DataPane, "_build_table", counted)
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: (pane := app._maybe(DataPane)) is not None and pane.state is not None)
        await settle(pilot, 0.3)
        assert widths == []
        await open_data(pilot)
        assert len(widths) == 1 and widths[0] > 0, widths
        pane = app.query_one(DataPane)
        label_width = pane._label_width
        await pilot.resize_terminal(120, 30)
        await settle(pilot, 0.2)
        assert pane._label_width == label_width and len(widths) == 1, (pane._label_width, widths)
        await pilot.resize_terminal(60, 30)
        await settle(pilot, 0.2)
        assert pane._label_width < label_width and len(widths) == 2, (pane._label_width, widths)


async def test_the_table_is_built_when_first_shown_after_a_resize_and_a_scroll_elsewhere(demo: Path) -> None:
    # A new user's keys: into a leaf's inputs, the terminal made smaller, 12 leaves down (the form scrolls), then
    # F3. The table was laid out first by a scroll's layout, and Textual sent it no Resize: it stayed unbuilt,
    # the 数据 tab showing its list of tables beside an empty space.
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "down", "down", "enter")
        await settle(pilot, 0.6)
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(*["down"] * 12, "enter")
        await settle(pilot)
        await pilot.press("escape", "f3")
        await settle(pilot, 0.5)
        table = app.data_pane.table
        assert table.row_count > 0
        assert "本年收入合计" in screen_text(app)


async def test_the_data_tab_shown_again_keeps_what_it_drew(demo: Path) -> None:
    """Textual sends each widget of a tab shown again a Resize, at the size it had too. The table and the lists of
    the 数据 tab dropped all they had drawn on it and drew it again (a third of a tab switch); at their old size they
    keep it, and a new size still has them draw afresh."""
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_data(pilot)
        pane = app.query_one(DataPane)
        table, lists = pane.table, [pane.query_one("#findings"), pane.query_one("#sheet-list")]
        await pilot.press("f2")
        await settle(pilot)
        await open_data(pilot)
        drawn = table._update_count
        for widget in lists:
            widget._option_render_cache["kept"] = "drawn before"  # gone if the list drops what it drew
        for _ in range(2):
            await pilot.press("f2")
            await settle(pilot)
            await open_data(pilot)
        assert table._update_count == drawn
        assert all("kept" in widget._option_render_cache for widget in lists)
        await pilot.resize_terminal(80, 24)
        await settle(pilot, 0.1)
        assert table._update_count > drawn
        assert not any("kept" in widget._option_render_cache for widget in lists)


async def test_a_previous_years_cell_offers_no_key_to_change_it(demo: Path) -> None:
    """The editor line under a 上年 cell said “（回车修改）” beside the note that the figure is read-only here."""
    from zzperf import figure_paths

    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_data(pilot)
        pane = app.data_pane
        assert "回车或直接输入数字修改" in screen_text(app)  # a cell of this year
        index, sheet = next(
            (index, sheet)
            for index, sheet in enumerate(pane.sheets)
            if any(path.startswith(figure_paths.PREVIOUS) for row in sheet.rows for path in row.paths)
        )
        row, column = next(
            (number, row.paths.index(path))
            for number, row in enumerate(sheet.rows)
            for path in row.paths
            if path.startswith(figure_paths.PREVIOUS)
        )
        pane.show_sheet(index)
        await settle(pilot)
        pane.table.cursor_coordinate = (row, column + (2 if sheet.coded else 1))
        await settle(pilot)
        assert pane._cursor_path() == sheet.rows[row].paths[column]  # the 上年 cell itself
        text = screen_text(app)
        assert "上年数据，只读" in text, text
        assert "回车修改" not in text and "直接输入数字修改" not in text, text
