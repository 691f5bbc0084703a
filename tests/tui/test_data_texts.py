"""The 数据 tab's texts as a new user reads them: the 勾稽 findings broken as Chinese prose at the list's width, and
the full note of what a cell feeds, which the editor's two lines cut.

Each test drives the app with keys, at the sizes a user's terminal has (100×30, 80×24), and reads the screen.
"""

from __future__ import annotations

import re
from pathlib import Path

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
