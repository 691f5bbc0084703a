"""Finding workspaces: the department folders among given paths, their latest year, one year scored for ranking."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError
from zzperf.workspace.files import ACCOUNTS_FILE, PROFILE_FILE

if TYPE_CHECKING:
    from zzperf.scoring import ScoreCard
    from zzperf.workspace import Workspace


def is_workspace(path: Path) -> bool:
    """Whether ``path`` holds a profile (anything by that name: a broken one is reported when read, not skipped)."""
    return os.path.lexists(path / PROFILE_FILE)


def find_workspaces(paths: Sequence[Path]) -> list[Path]:
    """Workspace folders among ``paths``: a workspace itself, or every workspace at any depth below a folder.

    A workspace's own sub-folders are not searched, nor hidden folders; the order is the paths' order.
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ZzperfError("目录不存在", file=path)
        if not path.is_dir():
            raise ZzperfError("这不是目录", file=path, hint="写出工作区目录或存放多个工作区的上级目录")
        if is_workspace(path):
            found.append(path)
            continue
        inside = _workspaces_below(path)
        if not inside:
            raise ZzperfError(
                f"既不是 zzperf 工作区，其下也没有包含工作区（没有 {PROFILE_FILE}）",
                file=path,
                hint="写出工作区目录，或存放多个部门工作区的上级目录",
            )
        found.extend(inside)
    return list(dict.fromkeys(found))


def _workspaces_below(folder: Path) -> list[Path]:
    found: list[Path] = []
    for current, folders, _files in os.walk(folder):
        here = Path(current)
        if here != folder and is_workspace(here):
            found.append(here)
            folders.clear()
            continue
        folders[:] = sorted(name for name in folders if not name.startswith("."))
    return sorted(found)


def latest_year(roots: Iterable[Path]) -> int | None:
    """The latest year any of the workspaces has."""
    best: int | None = None
    for root in roots:
        try:
            children = list(root.iterdir())
        except OSError:
            continue
        for child in children:
            if child.name.isdigit() and (best is None or int(child.name) > best) and (child / ACCOUNTS_FILE).is_file():
                best = int(child.name)
    return best


def score_for_ranking(workspace: Workspace, year: int) -> ScoreCard:
    """The year scored from its files; the previous year is read only when the set's formulas use it."""
    from zzperf.scoring import score_year  # finding workspaces (``zzperf check`` over a folder) scores nothing

    if not (workspace.year_dir(year) / ACCOUNTS_FILE).is_file():
        raise ZzperfError(f"没有 {year} 年度的数据", hint=f"已有年度：{workspace.years_text()}")
    indicator_set = workspace.set_for(year)
    previous = None
    if indicator_set.uses_previous and (workspace.year_dir(year - 1) / ACCOUNTS_FILE).is_file():
        previous = workspace.load_accounts(year - 1)
    return score_year(indicator_set, workspace.load_accounts(year), workspace.load_evaluation(year), previous)
