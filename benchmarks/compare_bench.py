"""How long ranking many departments takes: 1,000 generated workspaces × 5 years, compared for one year.

    python benchmarks/compare_bench.py                   # 1,000 workspaces, 2014–2018, rank 2018
    python benchmarks/compare_bench.py --count 200 --profile

Each workspace gets the demo's figures for every year, scaled by its own random factor (seeded, so
runs are comparable), random 绩效目标 results and a few random judged scores; one in ten uses its own
copy of the indicator set instead of the shipped one. The baseline is reading and parsing the same
TOML files (profile, the year, the previous year, the evaluation) without validating or scoring them,
so the ratio says what the models, scoring and ranking cost on top of the unavoidable I/O.
Figures are wall-clock times on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import tomli_w  # noqa: E402

from zzperf import workspace as workspace_module  # noqa: E402
from zzperf.cli import DEMO_SOURCE  # noqa: E402
from zzperf.compare import compare_departments  # noqa: E402
from zzperf.indicators import shipped_sets  # noqa: E402
from zzperf.workspace import Workspace, find_workspaces  # noqa: E402

CENT = Decimal("0.01")
YEARS = range(2014, 2019)


def _scaled(value: Any, factor: Decimal) -> Any:
    """Every amount times ``factor`` (integers such as counts and codes untouched)."""
    if isinstance(value, dict):
        return {key: _scaled(item, factor) for key, item in value.items()}
    if isinstance(value, list):
        return [_scaled(item, factor) for item in value]
    if isinstance(value, Decimal):
        return (value * factor).quantize(CENT)
    return value


def generate(parent: Path, count: int, seed: int = 2018) -> None:
    """``count`` workspaces with the years in ``YEARS`` under ``parent``."""
    rng = random.Random(seed)
    demo = Workspace(DEMO_SOURCE)
    accounts = tomllib.loads((DEMO_SOURCE / "2018" / "accounts.toml").read_text(encoding="utf-8"), parse_float=Decimal)
    evaluation = tomllib.loads(
        (DEMO_SOURCE / "2018" / "evaluation.toml").read_text(encoding="utf-8"), parse_float=Decimal
    )
    own_set = shipped_sets()[demo.profile.indicator_set].read_text(encoding="utf-8")
    for number in range(count):
        root = parent / f"dept-{number:04d}"
        root.mkdir()
        set_name = demo.profile.indicator_set
        if number % 10 == 0:
            (root / "indicator-set.toml").write_text(own_set, encoding="utf-8")
            set_name = "indicator-set.toml"
        profile = {"format_version": 1, "name": f"演示部门{number:04d}", "indicator_set": set_name}
        (root / "zzperf.toml").write_text(tomli_w.dumps(profile), encoding="utf-8")
        factor = Decimal(rng.randint(50, 400)) / 100
        for year in YEARS:
            folder = root / str(year)
            folder.mkdir()
            figures = _scaled(accounts, factor * Decimal(rng.randint(90, 110)) / 100)
            figures["year"] = year
            for outcome in figures.get("outcomes", []):
                if outcome.get("target") is not None:
                    outcome["actual"] = (outcome["target"] * Decimal(rng.randint(70, 140)) / 100).quantize(CENT)
            (folder / "accounts.toml").write_text(tomli_w.dumps(figures), encoding="utf-8")
            record = {**evaluation, "year": year}
            record["indicators"] = dict(evaluation["indicators"])
            record["indicators"]["process.management.information"] = {
                "score": rng.randint(0, 2),
                "reason": "基础信息有不一致之处",
                "status": "confirmed",
            }
            record["indicators"]["effect.satisfaction.service"] = {
                "score": rng.randint(3, 5),
                "reason": "以投诉率代替满意度调查",
                "status": "confirmed",
            }
            (folder / "evaluation.toml").write_text(tomli_w.dumps(record), encoding="utf-8")


def baseline(roots: list[Path], year: int) -> None:
    """Read and parse the files a ranking needs, nothing more."""
    for root in roots:
        for path in (
            root / "zzperf.toml",
            root / str(year) / "accounts.toml",
            root / str(year - 1) / "accounts.toml",
            root / str(year) / "evaluation.toml",
        ):
            tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def naive(roots: list[Path], year: int) -> None:
    """What a loop over ``Workspace.score`` costs when every workspace parses its own indicator set."""
    for root in roots:
        workspace_module._SETS.clear()
        Workspace(root).score(year)


def timed(label: str, action: Any, base: float | None = None) -> float:
    """Run ``action``; print wall-clock and CPU seconds (this process and its workers); return CPU seconds.

    CPU time is the steadier figure on a shared machine, so ratios are taken on it.
    """
    wall, before = time.perf_counter(), os.times()
    action()
    after = os.times()
    wall = time.perf_counter() - wall
    cpu = (after.user + after.system + after.children_user + after.children_system) - (
        before.user + before.system + before.children_user + before.children_system
    )
    ratio = f"  ×{cpu / base:.2f} of the baseline" if base else ""
    print(f"{label:<48} wall {wall:7.2f} s   cpu {cpu:7.2f} s{ratio}")
    return cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="workspaces to generate (default 1000)")
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of the serial run")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    year = YEARS[-1]
    parent = args.keep or Path(tempfile.mkdtemp(prefix="zzperf-compare-bench-"))
    parent.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        generate(parent, args.count)
        files = sum(1 for _ in parent.rglob("*.toml"))
        print(
            f"generated {args.count} workspaces × {len(YEARS)} years"
            f" ({files} files) in {time.perf_counter() - start:.1f} s"
        )
        print(f"cpus: {os.cpu_count()}")
        roots = find_workspaces([parent])
        base = timed("baseline: read + parse the TOML files", lambda: baseline(roots, year))
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            compare_departments(roots, year, workers=1)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        timed("naive: Workspace.score per workspace, no cache", lambda: naive(roots, year), base)
        workspace_module._SETS.clear()
        serial = timed("compare_departments, one process", lambda: compare_departments(roots, year, workers=1), base)
        start = time.perf_counter()
        result = compare_departments(roots, year)
        wall = time.perf_counter() - start
        print(f"{'compare_departments, automatic workers':<48} wall {wall:7.2f} s")
        print(
            f"per workspace: {serial / len(roots) * 1000:.2f} ms CPU in one process, "
            f"{wall / len(roots) * 1000:.2f} ms wall with workers"
        )
        top = result.departments[0]
        print(
            f"ranked {len(result.departments)}, failed {len(result.failures)}; "
            f"first: {top.name} {top.total.score_text} {top.grade}"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
