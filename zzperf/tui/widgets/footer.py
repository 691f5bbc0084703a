"""The key bar at the bottom: the keys of the focused widget and the app, drawn as one line of text."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

Key = tuple[str, str, str, bool, str]
"""(key, its display, description, enabled, tooltip) of one key shown."""


class KeyFooter(Widget, can_focus=False):
    """Looks like Textual's Footer, but is one widget whose text is replaced when the keys change.

    Textual's Footer removes its keys and mounts new ones, which lays the screen out twice on every tab switch;
    a line of text of a fixed size is only repainted. A click on a key presses it; hovering shows its tooltip.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
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

    def render(self) -> Text:
        if not self._looked_up:
            self._looked_up = True
            self._keys, self._palette = self._shown_keys()
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        text = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []

        def add(key: Key, key_pad: str, description_pad: tuple[str, str]) -> None:
            name, display, description, enabled, tooltip = key
            click = Style.from_meta({"@click": f"press({name!r})"})
            dim = Style(dim=True) if not enabled else Style()
            start = text.cell_len
            text.append(f"{key_pad}{display}{key_pad}", key_style + dim + click)
            if description:
                before, after = description_pad
                text.append(f"{before}{description}{after}", description_style + dim + click)
            self._spans.append((start, text.cell_len, tooltip or description))

        for key in self._keys:
            add(key, " ", ("", " "))
        if self._palette is not None:
            name, display, description, _, _ = self._palette
            width = 1 + cell_len(display) + 1 + cell_len(description) + 1  # "▏^p 命令 "
            gap = self.size.width - text.cell_len - width
            if gap > 0:
                text.append(" " * gap)
            text.append("▏", self.get_component_rich_style("key-bar--separator"))
            add(self._palette, "", (" ", ""))
            text.append(" ")
        return text

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
