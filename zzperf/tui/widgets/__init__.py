"""Widgets and text helpers shared by the panes and screens: status header, cell editor, lazy panes, tick boxes,
lists and tables that keep their lines when shown again."""

from zzperf.tui.widgets.cell_editor import CellEditor
from zzperf.tui.widgets.header import Standing, StatusHeader
from zzperf.tui.widgets.lazy import LazyPane
from zzperf.tui.widgets.steady import SteadyOptionList, SteadyTable
from zzperf.tui.widgets.text import TYPING_DELAY, HoldsTyping, clip, error_message, pad, set_display, set_text
from zzperf.tui.widgets.ticks import TickBox, TickList

__all__ = [
    "TYPING_DELAY",
    "CellEditor",
    "LazyPane",
    "Standing",
    "StatusHeader",
    "SteadyOptionList",
    "SteadyTable",
    "HoldsTyping",
    "TickBox",
    "TickList",
    "clip",
    "error_message",
    "pad",
    "set_display",
    "set_text",
]
