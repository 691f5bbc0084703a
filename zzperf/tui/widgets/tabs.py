"""The tab strip and the tabs' panes: the tab names drawn as one piece of content, the open pane shown beneath.

Lighter than Textual's TabbedContent (a widget per tab, an animated underline), so the app opens sooner. A click
on a tab's name runs the app's ``show_tab`` action, as its key does.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import ContentSwitcher


class TabStrip(Widget):
    """The tab names on one line, the open one underlined on the line below; not focusable."""

    DEFAULT_CSS = """
    TabStrip {
        height: 2;
        width: 1fr;
    }
    """

    active: reactive[str] = reactive("")
    """The id of the open tab."""

    def __init__(self, tabs: list[tuple[str, str]], active: str, *, id: str | None = None) -> None:  # noqa: A002
        """``tabs``: (id, name) in order."""
        super().__init__(id=id)
        self.tabs = tabs
        self.set_reactive(TabStrip.active, active)

    def _spans(self) -> list[tuple[int, int, str]]:
        """(first column, column after, id) of each tab's name, padded by a space on either side."""
        spans, column = [], 0
        for tab, name in self.tabs:
            width = Content(name).cell_length + 2
            spans.append((column, column + width, tab))
            column += width
        return spans

    def render(self) -> Content:
        names: list[tuple[str, str] | str] = []
        start = end = 0
        for (first, after, tab), (_, name) in zip(self._spans(), self.tabs, strict=True):
            if tab == self.active:
                start, end = first + 1, after - 1
            names += [" ", (name, "$foreground" if tab == self.active else "$foreground 50%"), " "]
        dim = "$foreground 10%"
        bar = Content.assemble(
            ("━" * max(0, start - 1) + ("╸" if start else ""), dim),
            ("━" * (end - start), "$block-cursor-background"),
            ("╺" + "━" * max(0, self.size.width - end - 1), dim),
        )
        return Content("\n").join([Content.assemble(*names), bar])

    async def on_click(self, event: events.Click) -> None:
        for first, after, tab in self._spans():
            if first <= event.x < after:
                event.stop()
                await self.run_action(f"app.show_tab({tab!r})")
                return


class TabPanes(ContentSwitcher):
    """The tabs' panes, one shown at a time."""

    BLANK = True
    """The shown pane covers this one: it draws blank lines, which never show, at once."""

    @property
    def active(self) -> str:
        """The id of the shown pane."""
        return self.current or ""
