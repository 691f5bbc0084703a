"""The app's modal screens: report preview, importing 决算 tables, the small dialogs and the help."""

from zzperf.tui.screens.dialogs import AddLineScreen, ConfirmScreen, YearScreen
from zzperf.tui.screens.help import HelpScreen
from zzperf.tui.screens.import_tables import ImportScreen
from zzperf.tui.screens.preview import ReportPreviewScreen

__all__ = ["AddLineScreen", "ConfirmScreen", "HelpScreen", "ImportScreen", "ReportPreviewScreen", "YearScreen"]
