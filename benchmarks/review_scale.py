"""How ranking and summarising 1,000 departments × 5 years scales: the parse floor, a first run, a later run, reports.

    python benchmarks/review_scale.py                 # 1,000 departments, years 2014–2018, rank 2018
    python benchmarks/review_scale.py --count 100     # a quick run
    python benchmarks/review_scale.py --profile       # cProfile of the first ranking run, in one process

The departments are copies of the demo workspace's real files, under ten 片区 folders: the profile with the name
varied (株洲市政务服务中心（副本0001）…), 2018 and 2017 as in the demo, and 2014–2016 as copies of 2018 whose
``year`` line names their own year; one department in ten carries its own copy of the shipped indicator set.
No figure is generated.

Measured in the same run, with the same process pool (one worker per CPU, at most 8) for every step:

- the floor: reading and parsing the TOML files a ranking reads (profile, the year's figures and 自评, the previous
  year's figures, and each set file once per process, as the ranking does), and nothing else;
- ``compare_departments`` without the cache, then a first run with an empty cache (computes and stores), then a
  later run with nothing changed (hashes the input files and reads the cache); the same for the folder summary
  of ``zzperf score FOLDER`` (which also checks figures and the report text, and reads 复核 and submission state);
- a later ``zzperf compare FOLDER`` as a fresh command, start-up included;
- one ``zzperf report FOLDER --out DIR`` command: every department's docx report from one process pool.

Targets (issue 13): first ranking run ≤ 1.5 × the floor; later run ≥ 10 × faster than the floor. Times are wall
clock (the machine is shared, so CPU seconds of this process and its workers are printed beside them); nothing
is asserted. The floor and the first run are measured ``--repeat`` times as back-to-back pairs, each first run with
an empty cache of its own, and the ratio is the median of the pairs' ratios: on a shared machine the load drifts
within a minute, and a floor measured at another moment than the run it is compared with says little.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zzperf.cli_setup import DEMO_SOURCE  # noqa: E402
from zzperf.compare import compare_departments  # noqa: E402
from zzperf.indicators import resolve_set  # noqa: E402
from zzperf.review.folders import run_parallel, summarise_folder  # noqa: E402
from zzperf.tomlio import read_toml  # noqa: E402
from zzperf.workspace import find_workspaces  # noqa: E402

YEARS = range(2014, 2019)
YEAR = YEARS[-1]
DEMO_NAME = "株洲市政务服务中心"
PARSED_SETS: set[Path] = set()
"""Set files this process has parsed for the floor (the ranking, too, parses each set file once per process)."""


def generate(parent: Path, count: int) -> list[Path]:
    """``count`` copies of the demo workspace under ``parent``, in ten 片区 folders; their paths."""
    profile = (DEMO_SOURCE / "zzperf.toml").read_text(encoding="utf-8")
    set_line = next(line for line in profile.splitlines() if line.startswith("indicator_set"))
    set_file = resolve_set(set_line.split("=", 1)[1].strip().strip('"'))
    year_files = {
        year: {
            path.name: path.read_text(encoding="utf-8")
            for path in (DEMO_SOURCE / str(year)).iterdir()
            if path.is_file()
        }
        for year in (2017, 2018)
    }
    roots = []
    for number in range(count):
        root = parent / f"片区{number % 10:02d}" / f"部门{number:04d}"
        root.mkdir(parents=True)
        text = profile.replace(f'name = "{DEMO_NAME}"', f'name = "{DEMO_NAME}（副本{number:04d}）"')
        if number % 10 == 0:
            shutil.copyfile(set_file, root / "indicator-set.toml")
            text = text.replace(set_line, 'indicator_set = "indicator-set.toml"')
        (root / "zzperf.toml").write_text(text, encoding="utf-8")
        for year in YEARS:
            folder = root / str(year)
            folder.mkdir()
            source = year if year in year_files else 2018
            for name, content in year_files[source].items():
                if year != source and name.endswith(".toml"):
                    content = content.replace(f"\nyear = {source}\n", f"\nyear = {year}\n")
                (folder / name).write_text(content, encoding="utf-8")
        roots.append(root)
    return roots


def parse_only(root: Path, year: int) -> int:
    """Read and parse the TOML files ranking ``year`` reads; how many."""
    profile, _ = read_toml(root / "zzperf.toml")
    files = [root / str(year) / "accounts.toml", root / str(year - 1) / "accounts.toml"]
    evaluation = root / str(year) / "evaluation.toml"
    if evaluation.exists():
        files.append(evaluation)
    set_path = resolve_set(profile.get("indicator_set", "national-2013"), base=root, inside=root)
    if set_path not in PARSED_SETS:
        PARSED_SETS.add(set_path)
        files.append(set_path)
    for path in files:
        read_toml(path)
    return len(files) + 1


def timed(label: str, action: Any, floor: float | None = None, target: str = "") -> tuple[float, float, Any]:
    """Run ``action``; print wall and CPU seconds (this process and its workers) and the ratio to the floor."""
    before, wall = os.times(), time.perf_counter()
    result = action()
    wall, after = time.perf_counter() - wall, os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    ratio = ""
    if floor:
        ratio = f"  {wall / floor:5.2f} × floor" if wall >= floor else f"  floor ÷ {floor / wall:5.1f}"
    print(f"{label:<46} wall {wall:7.2f} s  cpu {cpu:7.2f} s{ratio}{target}")
    return wall, cpu, result


def run_command(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *arguments], env=env, capture_output=True, text=True, check=False
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="departments (default 1000)")
    parser.add_argument("--reports", type=int, default=None, help="departments to write reports for (default all)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the first run, in one process")
    parser.add_argument("--repeat", type=int, default=3, help="floor and first-run pairs (default 3; the median)")
    parser.add_argument("--keep", type=Path, help="generate into this (new) folder and keep it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="zzperf-scale-"))
    parent = args.keep or scratch / "departments"
    cache_home = scratch / "cache"
    os.environ["XDG_CACHE_HOME"] = str(cache_home)  # an empty cache of this run's own, also for the commands below
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    try:
        start = time.perf_counter()
        generate(parent, args.count)
        files = sum(1 for _ in parent.rglob("*") if _.is_file())
        print(
            f"{args.count} departments × {len(YEARS)} years ({files} files) copied in"
            f" {time.perf_counter() - start:.1f} s; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        roots = find_workspaces([parent])
        workers = min(os.cpu_count() or 1, 8)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            compare_departments(roots, YEAR, workers=1, cache=True)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            shutil.rmtree(cache_home, ignore_errors=True)

        print(f"\nranking {YEAR} (zzperf compare FOLDER --year {YEAR})")
        floors, ratios = [], []
        for repeat in range(args.repeat):  # pairs measured back to back: the machine's load drifts between them
            os.environ["XDG_CACHE_HOME"] = str(cache_home / f"first{repeat}")  # an empty cache for each first run
            PARSED_SETS.clear()
            floor, floor_cpu, _ = timed(
                "floor: parse the TOML files", lambda: run_parallel(parse_only, roots, YEAR, workers=workers)
            )
            first, first_cpu, ranked = timed(
                "first run (empty cache)",
                lambda: compare_departments(roots, YEAR, cache=True, workers=workers),
                floor,
                "   target ≤ 1.50",
            )
            floors.append(floor)
            ratios.append((first / floor, first_cpu / floor_cpu))
        floor = statistics.median(floors)
        wall_ratio = statistics.median(ratio for ratio, _ in ratios)
        cpu_ratio = statistics.median(ratio for _, ratio in ratios)
        print(
            f"  median of {args.repeat}: floor {floor:.2f} s; first run {wall_ratio:.2f} × floor"
            f" (CPU {cpu_ratio:.2f} ×)"
        )
        timed("no cache", lambda: compare_departments(roots, YEAR, cache=False, workers=workers), floor)
        later, _, again = timed(
            "later run (nothing changed)",
            lambda: compare_departments(roots, YEAR, cache=True, workers=workers),
            floor,
            "   target floor ÷ ≥ 10",
        )
        env["XDG_CACHE_HOME"] = os.environ["XDG_CACHE_HOME"]  # the commands below see the cache filled above
        assert again == ranked, "a later run must rank exactly as the first"
        print(f"  ranked {len(ranked.departments)}, failed {len(ranked.failures)}")
        start = time.perf_counter()
        done = run_command(["compare", str(parent), "--year", str(YEAR), "--format", "csv"], env)
        command = time.perf_counter() - start
        print(
            f"{'later run as a command (start-up included)':<46} wall {command:7.2f} s"
            f"  floor ÷ {floor / command:5.1f}  (exit {done.returncode})"
        )

        print(f"\nfolder summary {YEAR} (zzperf score FOLDER)")
        timed("no cache", lambda: summarise_folder(parent, YEAR, cache=False, workers=workers), floor)
        timed("first run (empty cache)", lambda: summarise_folder(parent, YEAR, cache=True, workers=workers), floor)
        timed("later run (nothing changed)", lambda: summarise_folder(parent, YEAR, cache=True, workers=workers), floor)

        count = args.reports if args.reports is not None else args.count
        if count:
            target = parent if count == args.count else scratch / "some"
            if count != args.count:
                target.mkdir()
                for root in roots[:count]:
                    shutil.copytree(root, target / root.name)
            out = scratch / "reports"
            print("\nreports (zzperf report FOLDER --out DIR, one command, one process pool)")
            start = time.perf_counter()
            done = run_command(["report", str(target), "--year", str(YEAR), "--out", str(out)], env)
            wall = time.perf_counter() - start
            written = sorted(out.glob("*.docx"))
            size = sum(path.stat().st_size for path in written)
            print(
                f"{len(written)} docx reports in {wall:.1f} s wall: {wall / max(len(written), 1) * 1000:.0f} ms each"
                f" ({size / 2**20:.1f} MiB; exit {done.returncode})"
            )
            if done.returncode not in (0, 1):
                print(done.stderr[-2000:])
        print(
            f"\nsummary: first ranking {wall_ratio:.2f} × floor by wall clock, {cpu_ratio:.2f} × by CPU"
            " (target ≤ 1.50); "
            f"later run floor ÷ {floor / later:.1f}, as a command ÷ {floor / command:.1f} (target ≥ 10)"
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
