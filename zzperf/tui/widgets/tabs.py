"""The tabs' panes, the open one shown (the tab names are drawn by the header, ``StatusHeader``).

Lighter than Textual's TabbedContent (a widget per tab, an animated underline), so the app opens sooner.
"""

from __future__ import annotations

from textual.widgets import ContentSwitcher


class TabPanes(ContentSwitcher):
    """The tabs' panes, one shown at a time."""

    BLANK = True
    """The shown pane covers this one: it draws blank lines, which never show, at once."""

    @property
    def active(self) -> str:
        """The id of the shown pane."""
        return self.current or ""
