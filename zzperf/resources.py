"""The folders zzperf ships beside its code: indicator sets, report templates and the demo workspaces."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Shipped = Literal["indicators", "reports", "demo", "demo_county"]

PACKAGE_DIR = Path(__file__).parent
"""The ``zzperf`` package folder; an installed wheel holds every shipped folder inside it."""


def shipped_dir(name: Shipped) -> Path:
    """The shipped folder ``name``: inside the installed package, or the checkout's top level.

    The wheel packs ``indicators/`` and ``reports/`` into the package; a checkout keeps them beside it.
    The demos live inside the package in both.
    """
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return Path(__file__).resolve().parent.parent / name


__all__ = ["PACKAGE_DIR", "Shipped", "shipped_dir"]
