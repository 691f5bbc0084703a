"""SVG snapshots of the main screens at 100×30 and 80×24 (frozen demo data, cursor not blinking, no clock).

Update after an intended change of the screens with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_helpers import build

SIZES = [pytest.param((100, 30), id="100x30"), pytest.param((80, 24), id="80x24")]


@pytest.mark.parametrize("size", SIZES)
def test_score_screen(snap_compare, frozen_demo: Path, size: tuple[int, int]) -> None:
    assert snap_compare(build(frozen_demo), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_data_screen(snap_compare, frozen_demo: Path, size: tuple[int, int]) -> None:
    assert snap_compare(build(frozen_demo), terminal_size=size, press=["f3"])


@pytest.mark.parametrize("size", SIZES)
def test_report_screen(snap_compare, frozen_demo: Path, size: tuple[int, int]) -> None:
    assert snap_compare(build(frozen_demo), terminal_size=size, press=["f4"])


def test_override_waiting_for_a_reason(snap_compare, frozen_demo: Path) -> None:
    """在职人员控制率 overridden to 4 without a reason: the screen says the reason is missing."""
    assert snap_compare(
        build(frozen_demo), terminal_size=(100, 30), press=["down", "down", "down", "enter", "4", "enter"]
    )


def test_finding_opens_its_table(snap_compare, frozen_demo: Path) -> None:
    """Selecting the T6-301 error opens 公开06表 with the cursor on row 301 and its figures marked."""
    assert snap_compare(build(frozen_demo), terminal_size=(100, 30), press=["f3", "ctrl+f", "enter"])


def test_help_screen(snap_compare, frozen_demo: Path) -> None:
    assert snap_compare(build(frozen_demo), terminal_size=(80, 24), press=["f1"])


def test_year_dialog(snap_compare, frozen_demo: Path) -> None:
    assert snap_compare(build(frozen_demo), terminal_size=(80, 24), press=["f5"])
