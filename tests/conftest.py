"""Fixtures shared by every test: the shipped demo workspace, a fresh copy of it, and the snapshots' frozen copy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from zzperf.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "zzperf" / "demo"
"""The demo workspace as shipped; tests that change files work on a copy (the ``demo`` fixture)."""
FROZEN = Path(__file__).resolve().parent / "tui" / "fixtures" / "demo"
"""A frozen copy of the demo (with its indicator set) so that snapshots change only when the screens do."""


def run_zzperf(
    *args: str, cwd: Path, columns: int = 200, user: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """``zzperf`` run as a user runs it, in a new process: its output ``columns`` wide, as ``user`` when given."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns)}
    if user is not None:
        env["ZZPERF_USER"] = user
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def score_with_edited_set(demo: Path, *edits: tuple[str, str]) -> None:
    """Have the demo copy ``demo`` scored with its shipped set edited: each (old, new) replaced once, the result
    saved as the workspace's own ``own-set.toml`` and named in its ``zzperf.toml``."""
    profile = demo / "zzperf.toml"
    name = Workspace(demo).profile.indicator_set
    from zzperf.indicators import shipped_sets

    text = shipped_sets()[name].read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text, f"{old!r} is not in the set {name}"
        text = text.replace(old, new, 1)
    (demo / "own-set.toml").write_text(text, encoding="utf-8")
    said = profile.read_text(encoding="utf-8")
    profile.write_text(said.replace(f'indicator_set = "{name}"', 'indicator_set = "own-set.toml"'), encoding="utf-8")


@pytest.fixture(autouse=True)
def own_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's result cache (``zzperf.review.cache``) in its own folder, never the user's ``~/.cache``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


@pytest.fixture(autouse=True)
def default_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """No ``COLUMNS`` from wherever the tests run (pytest-xdist's workers have one): a command run in the test's
    process, or in a child without its own ``COLUMNS``, prints at the piped default width; a test that wants
    another width sets ``COLUMNS`` for its command."""
    monkeypatch.delenv("COLUMNS", raising=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    """A fresh copy of the shipped demo workspace, at ``tmp_path / "demo"``."""
    target = tmp_path / "demo"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def workspace(demo: Path) -> Workspace:
    """The fresh copy of the demo, opened."""
    return Workspace(demo)


@pytest.fixture(scope="session")
def shipped() -> Workspace:
    """The shipped demo itself, for tests that only read."""
    return Workspace(DEMO)


@pytest.fixture
def frozen_demo(tmp_path: Path) -> Path:
    """A fresh copy of the frozen demo of the snapshot tests."""
    target = tmp_path / "frozen-demo"
    shutil.copytree(FROZEN, target)
    return target
