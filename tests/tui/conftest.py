"""The TUI tests use the root fixtures (``demo``, ``frozen_demo``); the app is built by ``tui_helpers.build``."""
