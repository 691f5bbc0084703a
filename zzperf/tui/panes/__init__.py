"""The app's tabs: 评分 (with the entry form), 数据, 报告, 对比, and 复核 in review mode."""

from zzperf.tui.panes.compare import ComparePane, CompareState, ScoreChart
from zzperf.tui.panes.data import DataPane, DataState, SheetTable
from zzperf.tui.panes.entry_form import EntryForm
from zzperf.tui.panes.report_text import ReportPane
from zzperf.tui.panes.review import ReviewPane
from zzperf.tui.panes.score import ScorePane, ScoreTree

__all__ = [
    "ComparePane",
    "CompareState",
    "DataPane",
    "DataState",
    "EntryForm",
    "ReportPane",
    "ReviewPane",
    "ScoreChart",
    "ScorePane",
    "ScoreTree",
    "SheetTable",
]
