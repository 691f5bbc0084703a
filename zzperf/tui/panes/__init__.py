"""The app's four tabs: 评分 (with the entry form), 数据, 报告 and 对比."""

from zzperf.tui.panes.compare import ComparePane, CompareState, ScoreChart
from zzperf.tui.panes.data import DataPane, DataState, SheetTable
from zzperf.tui.panes.entry_form import EntryForm
from zzperf.tui.panes.report_text import ReportPane
from zzperf.tui.panes.score import ScorePane, ScoreTree

__all__ = [
    "ComparePane",
    "CompareState",
    "DataPane",
    "DataState",
    "EntryForm",
    "ReportPane",
    "ScoreChart",
    "ScorePane",
    "ScoreTree",
    "SheetTable",
]
