"""Notices leave the screen whole: when one goes, the terminal shows again what was beneath it, cell by cell,
double-width characters under its edge included."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import Terminal, build, screen_text, settle, wait_until


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.splitlines()]


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
        assert "pgdn 下翻一页" in key_bar and "pgup 上翻一页" in key_bar, key_bar
        chain = [widget.id for widget in app.screen.focus_chain]
        assert "compare-chart-box" not in chain, chain
        await pilot.press("tab", "tab")
        await settle(pilot)
        assert app.focused.id == "compare-table"
        rows_before = app.focused.cursor_row
        await pilot.press("pagedown")
        await settle(pilot)
        assert app.focused.cursor_row > rows_before
