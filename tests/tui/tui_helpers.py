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
