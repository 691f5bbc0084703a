"""The result cache of department years: served only while every input file is unchanged, rebuilt when damaged."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DEMO
from zzperf import workspace as workspace_module
from zzperf.compare import compare_departments
from zzperf.compare import departments as departments_module
from zzperf.indicators import resolve_set, shipped_sets
from zzperf.review import set_review
from zzperf.review.cache import CACHE_FILE, ResultCache, cache_dir, inputs_digest
from zzperf.review.folders import summarise_folder
from zzperf.tomlio import read_toml
from zzperf.workspace import Workspace


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """Three copies of the demo under one folder; the second carries its own copy of the indicator set."""
    folder = tmp_path / "county"
    for index in range(3):
        root = folder / f"dept-{index}"
        shutil.copytree(DEMO, root, ignore=shutil.ignore_patterns("__pycache__"))
        profile = root / "zzperf.toml"
        text = profile.read_text(encoding="utf-8").replace('name = "株洲市政务服务中心"', f'name = "部门{index}"')
        if index == 1:
            set_name = Workspace(DEMO).profile.indicator_set
            shutil.copyfile(shipped_sets()[set_name], root / "own-set.toml")
            text = text.replace(f'indicator_set = "{set_name}"', 'indicator_set = "own-set.toml"')
        profile.write_text(text, encoding="utf-8")
    return folder


def roots_of(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


def rank(folder: Path, cache: bool = True):  # noqa: ANN201 - a DepartmentComparison
    return compare_departments(roots_of(folder), 2018, workers=1, cache=cache)


def stored(kind: str) -> int:
    with sqlite3.connect(cache_dir() / CACHE_FILE) as connection:
        return connection.execute("SELECT count(*) FROM results WHERE key LIKE ?", (f"{kind}%",)).fetchone()[0]


def test_cache_lives_in_the_users_cache_folder(tmp_path: Path) -> None:
    assert cache_dir() == tmp_path / "xdg-cache" / "zzperf"


def test_a_hit_gives_the_same_ranking_as_no_cache(county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = rank(county, cache=False)
    assert not (cache_dir() / CACHE_FILE).exists()
    first = rank(county)
    assert stored("ranking") == 3

    def refuse(*_args: object) -> None:
        raise AssertionError("a department was scored although nothing changed")

    monkeypatch.setattr(departments_module, "score_for_ranking", refuse)
    again = rank(county)
    assert first == fresh
    assert again == fresh
    assert [d.name for d in again.departments] == ["部门0", "部门1", "部门2"]


def test_a_hit_gives_the_same_summary_as_no_cache(county: Path) -> None:
    fresh = summarise_folder(county, 2018, workers=1, cache=False)
    assert summarise_folder(county, 2018, workers=1, cache=True) == fresh
    assert stored("summary") == 3
    assert summarise_folder(county, 2018, workers=1, cache=True) == fresh


def change_one_byte(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1 and len(old.encode()) == len(new.encode())
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_one_byte_of_a_year_file_recomputes(county: Path) -> None:
    before = rank(county)
    evaluation = county / "dept-0" / "2018" / "evaluation.toml"
    stat = evaluation.stat()
    change_one_byte(evaluation, "\nscore = 1\n", "\nscore = 0\n")
    os.utime(evaluation, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size and time: only the content tells
    after = rank(county)
    assert after == rank(county, cache=False)
    changed = next(d for d in after.departments if d.name == "部门0")
    unchanged = next(d for d in before.departments if d.name == "部门0")
    assert changed.total.score == unchanged.total.score - 1


def test_one_byte_of_the_indicator_set_recomputes(county: Path) -> None:
    before = rank(county)
    own_set = county / "dept-1" / "own-set.toml"
    first_group = next(iter(before.departments[0].group_names.values()))
    change_one_byte(own_set, f'name = "{first_group}"', f'name = "{first_group[:-1]}X"'.replace("X", "甲"))
    workspace_module._SETS.clear()
    after = rank(county)
    assert after == rank(county, cache=False)
    renamed = next(d for d in after.departments if d.name == "部门1")
    assert first_group[:-1] + "甲" in renamed.group_names.values()


def test_a_new_review_file_recomputes_the_summary(county: Path) -> None:
    before = summarise_folder(county, 2018, workers=1, cache=True)
    assert all(row.review_total is None for row in before.rows)
    workspace = Workspace(county / "dept-2")
    leaf = workspace.set_for(2018).leaves[0]
    set_review(workspace, 2018, leaf.id, score=Decimal(0), reason="复核未见佐证")
    after = summarise_folder(county, 2018, workers=1, cache=True)
    assert after == summarise_folder(county, 2018, workers=1, cache=False)
    assert next(row for row in after.rows if row.name == "部门2").review_total is not None
    review = county / "dept-2" / "2018" / "review.toml"
    change_one_byte(review, "score = 0.0\n", "score = 1.0\n")
    again = summarise_folder(county, 2018, workers=1, cache=True)
    assert again == summarise_folder(county, 2018, workers=1, cache=False)
    assert again != after


def test_a_damaged_cache_file_is_rebuilt(county: Path) -> None:
    fresh = rank(county, cache=False)
    path = cache_dir() / CACHE_FILE
    path.parent.mkdir(parents=True)
    path.write_bytes(b"this is not a database" * 100)
    assert rank(county) == fresh
    assert stored("ranking") == 3
    with open(path, "r+b") as handle:  # a torn page in the middle of a valid file
        handle.seek(1000)
        handle.write(b"\xff" * 3000)
    assert rank(county) == fresh
    assert rank(county) == fresh


def test_nothing_is_written_inside_the_workspaces(county: Path) -> None:
    def listing() -> dict[Path, tuple[int, int]]:
        return {path: (path.stat().st_size, path.stat().st_mtime_ns) for path in county.rglob("*")}

    before = listing()
    rank(county)
    rank(county)
    summarise_folder(county, 2018, workers=1, cache=True)
    assert listing() == before


def test_a_cache_folder_inside_a_workspace_is_not_used(county: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside = county / "dept-0" / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(inside))
    assert rank(county) == rank(county, cache=False)
    assert not inside.exists()
    assert ResultCache(roots=roots_of(county)).connection is None


def test_the_digest_covers_every_file_a_computation_opens(county: Path) -> None:
    """Whatever ranking and the summary read inside a workspace (or of a set file) is part of the digest."""
    root = county / "dept-1"
    set_review(
        Workspace(root), 2018, Workspace(root).set_for(2018).leaves[0].id, score=Decimal(0), reason="复核未见佐证"
    )
    opened: list[Path] = []
    recording = [True]

    def hook(event: str, args: tuple) -> None:
        if recording[0] and event == "open" and isinstance(args[0], (str, os.PathLike)):
            opened.append(Path(os.fspath(args[0])))

    workspace_module._SETS.clear()
    sys.addaudithook(hook)
    try:
        compare_departments([root], 2018, workers=1)
        summarise_folder(root, 2018, workers=1)
    finally:
        recording[0] = False
    sets = _set_paths(root, 2018)
    covered = {root / "zzperf.toml", *sets}
    covered |= {path for year in (2017, 2018) for path in (root / str(year)).iterdir()}
    inputs = {path for path in opened if path.suffix != ".py" and (path.is_relative_to(root) or path in sets)}
    assert root / "2018" / "review.toml" in inputs
    assert inputs <= covered
    assert inputs_digest(root, 2018, sets)  # and the digest reads them all without error


def _set_paths(root: Path, year: int) -> list[Path]:
    """The set files a year of the workspace is scored with, worked out here from its profile, apart from zzperf."""
    profile, _ = read_toml(root / "zzperf.toml")
    names = [profile.get("indicator_set", "national-2013")]
    chosen = profile.get("year_sets", {}).get(str(year))
    if isinstance(chosen, str):
        names.append(chosen)
    return [resolve_set(name, base=root, inside=root) for name in names]
