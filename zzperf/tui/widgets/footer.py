"""The key bar at the bottom: Textual's Footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys (unmount, mount, lay out the screen) whenever the bindings may have
    changed: a focus change, a tab switch. This one rebuilds only when what it would show differs from what it
    shows, which saves whole-screen layouts on a tab switch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: object = None

    def _keys(self) -> object:
        """Everything ``compose`` reads, for comparing."""
        if not self._bindings_ready or not self.is_attached:
            return None
        palette = self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE
        return (
            tuple(
                (
                    binding.key,
                    binding.key_display,
                    binding.description,
                    binding.action,
                    binding.show,
                    binding.group,
                    enabled,
                    tooltip,
                )
                for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or (palette and key == self.app.COMMAND_PALETTE_BINDING)
            ),
            self.compact,
            palette,
        )

    async def recompose(self) -> None:
        keys = self._keys()
        if keys is not None and keys == self._shown:
            return
        self._shown = keys
        await super().recompose()
