"""README.md as a new user reads it: every option of every command it lists is described there."""

from __future__ import annotations

import argparse

from tests.conftest import REPO
from zzperf.cli import build_parser


def _options(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, list[str]]:
    """Each command (``report``, ``sets validate``) with its long options."""
    found: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(_options(sub, f"{prefix}{name} "))
    if prefix:
        found[prefix.strip()] = [
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--") and option != "--help"
        ]
    return found


def test_the_readme_describes_every_option_of_every_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [
        f"zzperf {command} {option}"
        for command, options in _options(build_parser()).items()
        for option in options
        if option not in readme
    ]
    assert not missing, missing
