"""Finding workspaces: the department folders among given paths, their latest year, one year scored for ranking."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError
from zzperf.scoring import ScoreCard, score_year
from zzperf.workspace.files import ACCOUNTS_FILE, PROFILE_FILE

if TYPE_CHECKING:
    from zzperf.workspace import Workspace


def find_workspaces(paths: Sequence[Path]) -> list[Path]:
    """Workspace folders among ``paths``: a workspace itself, or each workspace directly inside a folder."""
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise ZzperfError("目录不存在", file=path)
        if not path.is_dir():
            raise ZzperfError("这不是目录", file=path, hint="写出工作区目录或存放多个工作区的上级目录")
        if (path / PROFILE_FILE).is_file():
            found.append(path)
            continue
        inside = sorted(child for child in path.iterdir() if child.is_dir() and (child / PROFILE_FILE).is_file())
        if not inside:
            raise ZzperfError(
                f"既不是 zzperf 工作区，也没有包含工作区（没有 {PROFILE_FILE}）",
                file=path,
                hint="写出工作区目录，或存放多个部门工作区的上级目录",
            )
        found.extend(inside)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(path, None)
    return list(unique)


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
    if not (workspace.year_dir(year) / ACCOUNTS_FILE).is_file():
        years = "、".join(map(str, workspace.years())) or "无"
        raise ZzperfError(f"没有 {year} 年度的数据", hint=f"已有年度：{years}")
    indicator_set = workspace.set_for(year)
    previous = None
    if indicator_set.uses_previous and (workspace.year_dir(year - 1) / ACCOUNTS_FILE).is_file():
        previous = workspace.load_accounts(year - 1)
    return score_year(indicator_set, workspace.load_accounts(year), workspace.load_evaluation(year), previous)
