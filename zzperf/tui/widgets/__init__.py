"""Widgets and text helpers shared by the panes and screens: the status header, the cell editor, lazy panes."""

from zzperf.tui.widgets.cell_editor import CellEditor
from zzperf.tui.widgets.header import Standing, StatusHeader
from zzperf.tui.widgets.lazy import LazyPane
from zzperf.tui.widgets.text import (
    TYPING_DELAY,
    clip,
    error_message,
    pad,
    set_display,
    set_text,
)

__all__ = [
    "TYPING_DELAY",
    "CellEditor",
    "LazyPane",
    "Standing",
    "StatusHeader",
    "clip",
    "error_message",
    "pad",
    "set_display",
    "set_text",
]
