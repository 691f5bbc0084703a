"""Shared fixtures: a copy of the demo workspace per test, the app built by the same factory as the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEMO = Path(__file__).resolve().parents[2] / "zzperf" / "demo"
FROZEN = Path(__file__).resolve().parent / "fixtures" / "demo"
"""A frozen copy of the demo (with its indicator set) so that snapshots change only when the screens do."""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A fresh copy of the shipped demo workspace."""
    target = tmp_path / "zzperf-demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def frozen_demo(tmp_path: Path) -> Path:
    target = tmp_path / "frozen-demo"
    shutil.copytree(FROZEN, target)
    return target
