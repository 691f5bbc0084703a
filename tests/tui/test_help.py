"""The help screen (F1) at 80×24 and 100×30: in each area the descriptions start in one column, right of its
longest key, and read whole."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from tui_helpers import build, columns, screen_text, settle

from zzperf.tui.screens.help import KeyTable


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_each_areas_descriptions_start_in_one_column_right_of_its_longest_key(
    demo: Path, size: tuple[int, int]
) -> None:
    app = build(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot, 0.3)
        tables = list(app.screen.query(KeyTable))
        assert any(max(cell_len(key) for key, _ in table.rows) > 14 for table in tables)  # a key longer than most
        for table in tables:
            table.scroll_visible(animate=False, top=True)
            await settle(pilot)
            region = table.content_region
            shown = screen_text(app).splitlines()[region.y : region.y + region.height]
            column = max(14, *(cell_len(key) for key, _ in table.rows)) + 2  # at least KEY_WIDTH
            keys = [columns(line, region.x, region.x + column).strip() for line in shown]
            texts = [columns(line, region.x + column, region.right).rstrip() for line in shown]
            assert [key for key in keys if key] == [key for key, _ in table.rows], keys
            assert all(text and not text.startswith(" ") for text in texts), texts
            assert "".join(texts) == "".join(what for _, what in table.rows), texts


async def test_keys_read_as_elsewhere_in_the_help(demo: Path) -> None:
    """Insert and Delete are written as Esc, Tab and F2 are, not in capitals."""
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot, 0.3)
        keys = [key for table in app.screen.query(KeyTable) for key, _ in table.rows]
        assert {"Insert", "Delete", "Esc", "F2", "Ctrl+P"} <= set(keys), keys
        assert not [key for key in keys if re.search(r"[A-Z]{3}", key)], keys  # no INSERT, DELETE or PAGEUP


async def test_the_key_bars_caret_keys_are_explained_and_listed_as_ctrl(demo: Path) -> None:
    """The key bar writes Ctrl+Q as ^q (Textual's way, to fit 80 columns); the help, which writes Ctrl+Q, says so."""
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        bar = screen_text(app).splitlines()[-1]
        carets = re.findall(r"\^([a-z])\b", bar)
        assert carets, bar
        await pilot.press("f1")
        await settle(pilot, 0.3)
        rows = [row for table in app.screen.query(KeyTable) for row in table.rows]
        keys = {key for key, _ in rows}
        for letter in carets:
            assert any(f"Ctrl+{letter.upper()}" in key.split(" / ") for key in keys), (letter, keys)
        explained = [what for key, what in rows if key.startswith("^")]
        assert explained and all(f"^{letter} 即 Ctrl+{letter.upper()}" in explained[0] for letter in carets), rows
