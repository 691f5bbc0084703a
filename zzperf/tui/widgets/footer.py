"""The key bar at the bottom: the keys of the focused widget and the app, drawn as one line of text."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

from zzperf.tui.widgets.text import StyledLines

Key = tuple[str, str, str, bool, str]
"""(key, its display, description, enabled, tooltip) of one key shown."""

KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground on $footer-description-background"
SEPARATOR_STYLE = "$foreground 20%"
"""The key bar's colours, those of Textual's Footer, from the theme (no component classes: each would be styled
through the whole stylesheet as the app starts)."""


class KeyFooter(StyledLines, Widget, can_focus=False):
    """Looks like Textual's Footer, but is one widget whose text is replaced when the keys change.

    Textual's Footer removes its keys and mounts new ones, which lays the screen out twice on every tab switch;
    a line of text of a fixed size is only repainted. A click on a key presses it; hovering shows its tooltip.
    """

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.auto_links = False
        self._keys: tuple[Key, ...] = ()
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, str]] = []
        """(first cell, cell after the last, tooltip) of each key, for hovering."""
        self._looked_up = False
        """Whether the keys have been looked up: the first frame shows them without waiting for the signal."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        keys, palette = self._shown_keys()
        self._looked_up = True
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()  # the same line, new text: nothing else moves

    def _shown_keys(self) -> tuple[tuple[Key, ...], Key | None]:
        """The keys to show (one per action, as Textual's Footer) and the command palette's key."""
        app = self.app
        keys: dict[str, Key] = {}
        palette: Key | None = None
        for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items():
            if binding.show and binding.action not in keys:
                keys[binding.action] = (
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    tooltip,
                )
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (
                    binding.key,
                    app.get_key_display(binding),
                    binding.description,
                    enabled,
                    binding.tooltip or binding.description,
                )
        return tuple(keys.values()), palette

    def styled_lines(self) -> list[Content]:
        return [self._line()]

    def _line(self) -> Content:
        if not self._looked_up:
            self._looked_up = True
            self._keys, self._palette = self._shown_keys()
        pieces: list[Content] = []
        self._spans = []
        width = 0

        def add(key: Key, key_pad: str, description_pad: tuple[str, str]) -> None:
            nonlocal width
            name, display, description, enabled, tooltip = key
            click = Style.from_meta({"@click": f"press({name!r})"})
            dim = "" if enabled else " dim"
            start = width
            texts = [(f"{key_pad}{display}{key_pad}", KEY_STYLE + dim)]
            if description:
                before, after = description_pad
                texts.append((f"{before}{description}{after}", DESCRIPTION_STYLE + dim))
            for text, style in texts:
                pieces.append(Content.styled(text, style).stylize(click))
                width += cell_len(text)
            self._spans.append((start, width, tooltip or description))

        for key in self._keys:
            add(key, " ", ("", " "))
        if self._palette is not None:
            name, display, description, _, _ = self._palette
            room = 1 + cell_len(display) + 1 + cell_len(description) + 1  # "▏^p 命令 "
            gap = self.size.width - width - room
            if gap > 0:
                pieces.append(Content(" " * gap))
                width += gap
            pieces.append(Content.styled("▏", SEPARATOR_STYLE))
            width += 1
            add(self._palette, "", (" ", ""))
            pieces.append(Content(" "))
        return Content("").join(pieces)

    def action_press(self, key: str) -> None:
        """A click on a key: the key is pressed (a bell when it does nothing now)."""
        shown = [*self._keys, *([self._palette] if self._palette else [])]
        if any(name == key and not enabled for name, _, _, enabled, _ in shown):
            self.app.bell()
        else:
            self.app.simulate_key(key)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        tooltip = next((tip for start, end, tip in self._spans if start <= event.x < end), None)
        if tooltip != self.tooltip:
            self.tooltip = tooltip or None
