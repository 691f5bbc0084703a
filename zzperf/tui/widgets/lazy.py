"""Widgets mounted just after the first screen is shown, so that the app opens at once."""

from __future__ import annotations

from textual.lazy import Lazy
from textual.message import Message
from textual.widget import Widget


class LazyPane(Lazy):
    """A tab's pane mounted after the first screen is shown, announcing itself when it is."""

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
            if not parent.is_attached:  # the app closed before this pane's turn came
                return
            await parent.mount(pane, after=self)
            await self.remove()
            parent.post_message(self.Ready(pane))

        self.call_after_refresh(mount)
