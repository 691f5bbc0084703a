"""Helpers for the TUI tests: the app as the CLI builds it, and the screen as plain text."""

from __future__ import annotations

import os
from pathlib import Path

from rich.console import Console

from zzperf.tui import ZzperfApp, make_app


def build(path: Path, year: int | None = None, watch_interval: float = 0) -> ZzperfApp:
    """The app as the CLI builds it, with the cursor not blinking and (unless asked) no disk polling."""
    return make_app(path, year, cursor_blink=False, watch_interval=watch_interval)


def screen_text(app: ZzperfApp) -> str:
    """What the terminal shows now, as plain text."""
    update = app.screen._compositor.render_update(full=True)
    with open(os.devnull, "w", encoding="utf-8") as sink:
        console = Console(width=app.size.width, record=True, file=sink, color_system=None)
        console.print(update)
        return console.export_text()


async def settle(pilot, seconds: float = 0.0) -> None:
    """Let timers, the save worker and repaints finish."""
    await pilot.pause(seconds)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, condition, timeout: float = 20) -> None:
    """Pause until ``condition()`` holds (a busy machine may take a while to rebuild a screen)."""
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await settle(pilot, 0.05)
    assert condition(), "the screen did not get there in time"
