"""The terminal app where evaluators do their work; ``make_app`` builds it for the CLI and the tests."""

from zzperf.tui.app import ZzperfApp, make_app, run

__all__ = ["ZzperfApp", "make_app", "run"]
