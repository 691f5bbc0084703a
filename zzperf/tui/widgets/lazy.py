"""Widgets mounted just after the first screen is shown, so that the app opens at once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.lazy import Lazy
from textual.message import Message
from textual.widget import Widget


class LazyPane(Lazy):
    """A pane mounted after the first screen is shown, announcing itself when it is.

    A ``held`` pane (a hidden tab) waits, once composed, until ``release`` is called: the app releases the hidden
    tabs once the inputs of the first screen are mounted, so that they are not kept waiting behind them.
    """

    class Ready(Message):
        def __init__(self, pane: Widget) -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, pane: Widget, *, held: bool = False) -> None:
        super().__init__(pane)
        self._held = held
        self._waiting: Callable[[], Awaitable[None]] | None = None

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

        if self._held:
            self._waiting = mount
        else:
            self.call_after_refresh(mount)

    def release(self) -> None:
        """Let a held pane be mounted (after the next refresh); nothing happens for one not held."""
        self._held = False
        mount, self._waiting = self._waiting, None
        if mount is not None and self.is_attached:
            self.call_after_refresh(mount)
