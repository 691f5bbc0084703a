"""Helpers for the TUI tests: the app as the CLI builds it, and the screen as plain text."""

from __future__ import annotations

import os
import re
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console
from textual._compositor import CompositorUpdate
from textual.app import App

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


def columns(line: str, start: int, end: int) -> str:
    """The characters of ``line`` that begin in cells ``start`` to ``end`` (not included)."""
    kept, cell = [], 0
    for char in line:
        if start <= cell < end:
            kept.append(char)
        cell += cell_len(char)
    return "".join(kept)


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


class Terminal:
    """A terminal that receives what the app writes, cell by cell, as a real one does with double-width characters:
    a character written over either half of a wide one blanks its other half. Installed over the app's display,
    it shows what a partial repaint leaves on screen, which ``screen_text`` (a full repaint) cannot."""

    MOVE = re.compile(r"\x1b\[(\d+);(\d+)H")
    CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r|\n")

    def __init__(self, app: ZzperfApp, monkeypatch) -> None:  # noqa: ANN001
        self.app = app
        self.cells: list[list[str]] = []
        """One string per cell: a character, "" for the right half of a wide one."""
        self.console = Console(width=500, color_system=None, file=open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        original = App._display

        def display(app_self: App, screen, renderable) -> None:  # noqa: ANN001
            original(app_self, screen, renderable)
            if app_self is self.app and isinstance(renderable, CompositorUpdate):
                self.write(renderable.render_segments(self.console))

        monkeypatch.setattr(App, "_display", display)

    def _put(self, y: int, x: int, char: str, width: int) -> None:
        line = self.cells[y]
        for column in range(x, min(x + width, len(line))):
            if line[column] == "" and column > 0:  # the right half of a wide character: its left half goes
                line[column - 1] = " "
            if column + 1 < len(line) and line[column + 1] == "" and cell_len(line[column]) == 2:
                line[column + 1] = " "  # the left half of a wide character: its right half goes
        if x < len(line):
            line[x] = char
            if width == 2 and x + 1 < len(line):
                line[x + 1] = ""

    def write(self, data: str) -> None:
        width, height = self.app.size
        if len(self.cells) != height or (self.cells and len(self.cells[0]) != width):
            self.cells = [[" "] * width for _ in range(height)]
        y = x = 0
        position = 0
        while position < len(data):
            if move := self.MOVE.match(data, position):
                y, x = int(move[1]) - 1, int(move[2]) - 1
                position = move.end()
            elif control := self.CONTROL.match(data, position):
                if control[0] == "\n":
                    y, x = y + 1, 0
                position = control.end()
            else:
                char = data[position]
                size = cell_len(char)
                if 0 <= y < height and size:
                    self._put(y, x, char, size)
                x += size
                position += 1

    def text(self) -> str:
        """What the terminal shows now, line by line."""
        return "\n".join("".join(line).rstrip() for line in self.cells)
