"""The key bar speaks Chinese: whatever is focused, the keys it shows are described in Chinese, never in
Textual's English (“esc Dismiss menu” under an open list)."""

from __future__ import annotations

import re
from pathlib import Path

from rich.cells import cell_len
from textual.color import Color
from textual.widgets import Select
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.tui.widgets.footer import KeyFooter

ENGLISH = re.compile(r"[A-Za-z]{2,}")


def shown_descriptions(app) -> dict[str, str]:  # noqa: ANN001
    """Key → description of every key the key bar would show now (the screen's keys with ``show``)."""
    return {
        key: binding.description
        for key, (_, binding, _, _) in app.screen.active_bindings.items()
        if binding.show and binding.description
    }


def footer_line(app) -> str:  # noqa: ANN001
    return screen_text(app).splitlines()[-1]


async def test_opening_the_level_list_shows_its_key_in_chinese(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        assert app.focused.id == "entry-level"
        await pilot.press("enter")  # the list of levels opens
        await settle(pilot)
        assert app.query_one("#entry-level", Select).expanded
        line = footer_line(app)
        assert "收起列表" in line and "Dismiss" not in line, line
        await pilot.press("escape")
        await settle(pilot)
        assert not app.query_one("#entry-level", Select).expanded


async def test_every_focusable_widget_shows_its_keys_in_chinese(demo: Path) -> None:
    """Each tab's widgets in turn, and the level list open: no English description reaches the key bar."""
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        seen: dict[str, str] = {}
        for tab in ("f2", "f3", "f4", "f6"):
            await pilot.press(tab)
            await settle(pilot, 0.2)
            for widget in list(app.screen.focus_chain):
                widget.focus(scroll_visible=False)
                await settle(pilot)
                for key, description in shown_descriptions(app).items():
                    seen[f"{type(widget).__name__} {key}"] = description
        await pilot.press("f2")
        await settle(pilot)
        app.query_one("#entry-level", Select).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.query_one("#entry-level", Select).expanded)
        for key, description in shown_descriptions(app).items():
            seen[f"level list {key}"] = description
        assert "escape" in {key.split()[-1] for key in seen}  # the level list's own key was looked at
        english = {where: description for where, description in seen.items() if ENGLISH.search(description)}
        assert not english, english
        assert app.query_one(KeyFooter).styled_lines()[0].plain.count("Dismiss") == 0


async def test_a_click_on_a_key_in_the_key_bar_presses_it_and_the_bar_keeps_the_footer_colours(demo: Path) -> None:
    from zzperf.tui.screens import HelpScreen

    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        footer = app.query_one(KeyFooter)
        line = footer_line(app)
        assert "F1 帮助" in line
        # the key and its description in the theme's footer colours: the key bold, in the key's colour
        key_colour = Color.parse(app.theme_variables["footer-key-foreground"]).rich_color
        strip = footer.render_line(0)
        first_key = next(segment for segment in strip if segment.text.strip() == "n")
        assert first_key.style.bold and first_key.style.color == key_colour
        await pilot.click(KeyFooter, offset=(cell_len(line[: line.index("F1")]) + 1, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
