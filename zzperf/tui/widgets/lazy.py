"""Widgets mounted just after the first screen is shown, so that the app opens at once."""

from __future__ import annotations

from textual.lazy import Lazy
from textual.message import Message
from textual.widget import Widget


class LazyPane(Lazy):
    """A pane mounted after the next refresh once this placeholder is, announcing itself (``Ready``) when it is.

    The app adds the hidden tabs, each pane in one of these, once the first screen's inputs are mounted: each pane
    then waits for a refresh of its own, so that a key pressed meanwhile is not kept waiting behind all of them.
    """

    class Ready(Message):
        def __init__(self, pane: Widget) -> None:
            super().__init__()
            self.pane = pane

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        parent = self.parent
        if not isinstance(parent, Widget):
            return
        pane = self._replace_widget

        async def mount() -> None:
            if not parent.is_attached or not self.is_attached:  # the app closed, or the tab was rebuilt, before
                return
            await parent.mount(pane, after=self)
            await self.remove()
            parent.post_message(self.Ready(pane))

        self.call_after_refresh(mount)
