"""How quickly the scoring app opens and answers a key press, against a bare Textual app of the same size.

    python benchmarks/tui_bench.py            # 7 runs each, in-process and cold (a fresh Python per run)
    python benchmarks/tui_bench.py --runs 3

Printed, in one run:

- time to first screen for the demo (loading the workspace, scoring, checking, composing and painting
  100×30) and for a bare Textual app that shows a Tree with the same number of nodes, and their ratio —
  in-process (imports warm) and cold (a new interpreter each time, imports included);
- key press → rescore → repaint, with generated indicator sets of 60 and 300 leaves (made in a temporary
  folder): a figure typed on the data screen and confirmed with Enter (rescore of every leaf, the 勾稽
  checks, the table and the header), and a score typed on the score screen (rescore, tree line and header).

The apps run headless, but every frame is rendered to terminal output (segments → escape codes) as a real
terminal would receive it, so "repaint" means the bytes for the screen are ready. Wall-clock times on this
machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import Footer, Tree  # noqa: E402

from zzperf.cli import DEMO_SOURCE  # noqa: E402
from zzperf.tui.app import ZzperfApp  # noqa: E402
from zzperf.tui.session import Session  # noqa: E402
from zzperf.workspace import Workspace  # noqa: E402

SIZE = (100, 30)

# ─── painting in headless mode ───


class Painting:
    """Render each screen update to the escape codes a terminal would get (headless apps skip this)."""

    first_paint = 0.0
    last_paint = 0.0
    painted_bytes = 0

    def _display(self, screen, renderable) -> None:  # noqa: ANN001 - Textual's signature
        from textual._compositor import CompositorUpdate

        if isinstance(renderable, CompositorUpdate):
            self.painted_bytes += len(renderable.render_segments(self.console))  # type: ignore[attr-defined]
            self.last_paint = time.perf_counter()
            self.first_paint = self.first_paint or self.last_paint
        super()._display(screen, renderable)  # type: ignore[misc]


class PaintingZzperf(Painting, ZzperfApp):
    pass


class BareTree(Painting, App[None]):
    """A Textual app with nothing but a Tree of ``nodes`` lines and a footer."""

    def __init__(self, nodes: list[tuple[int, str]]) -> None:
        super().__init__()
        self.nodes = nodes

    def compose(self) -> ComposeResult:
        tree: Tree[str] = Tree("指标")
        tree.show_root = False
        parents = {0: tree.root}
        for level, label in self.nodes:
            parent = parents[level - 1]
            if level == 3:
                parent.add_leaf(label)
            else:
                parents[level] = parent.add(label, expand=True)
        yield tree
        yield Footer()


async def _first_screen(make, settled: bool = False) -> float:  # noqa: ANN001
    """Seconds from building the app to its first painted screen (``settled``: until it stops painting)."""
    start = time.perf_counter()
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.05)
        assert app.painted_bytes > 0
        return (app.last_paint if settled else app.first_paint) - start


def _demo_app(path: Path) -> PaintingZzperf:
    """What make_app does, with painting."""
    return PaintingZzperf(Session(Workspace(path)), cursor_blink=False, watch_interval=0)


def _tree_nodes(path: Path) -> list[tuple[int, str]]:
    indicator_set = Workspace(path).indicator_set
    return [(node.level, f"{node.name}  {node.points}") for node in indicator_set.indicator]


# ─── cold starts ───

COLD = r"""
import asyncio, sys, time
start = time.perf_counter()
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
from pathlib import Path
import tui_bench as bench
kind, path = sys.argv[1], Path(sys.argv[2])
make = (lambda: bench._demo_app(path)) if kind == "demo" else (lambda: bench.BareTree(bench._tree_nodes_cached))
if kind == "bare":
    import json
    bench._tree_nodes_cached = [tuple(n) for n in json.loads(sys.argv[3])]
async def main():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        print(app.first_paint - start)
asyncio.run(main())
"""


def _cold(kind: str, path: Path, nodes: list[tuple[int, str]]) -> float:
    import json

    code = COLD.format(repo=str(REPO), bench=str(Path(__file__).resolve().parent))
    result = subprocess.run(
        [sys.executable, "-c", code, kind, str(path), json.dumps(nodes)], capture_output=True, text=True, check=True
    )
    return float(result.stdout.strip().splitlines()[-1])


# ─── generated indicator sets ───

FORMULAS = [
    ("overview.expenditure_total / budget.initial", "bands"),
    ("abs(income.general_budget - budget.initial) / budget.initial", "bands"),
    ("(overview.carryover_end - overview.carryover_begin) / overview.carryover_begin", "threshold"),
    ("operating_costs.actual / operating_costs.budget", "threshold"),
    ("three_public.actual.total / three_public.budget.total", "threshold"),
    ("staffing.in_service / staffing.authorized", "threshold"),
    ("overview.expenditure_total / overview.income_total", "proportional"),
    ("fiscal_overview.expenditure_total / fiscal_overview.income_total", "proportional"),
]


def _rule(kind: str, points: Decimal) -> str:
    if kind == "bands":
        half = (points / 2).quantize(Decimal("0.01"))
        return (
            f'type = "bands"\nbands = [\n  {{ lower = 95, upper = 105, include_upper = true, points = {points} }},\n'
            f"  {{ lower = 80, upper = 95, points = {half} }},\n  {{ points = 0 }},\n]\n"
        )
    if kind == "threshold":
        return 'type = "threshold"\ndirection = "max"\nlimit = 100\ndeduct = 0.1\n'
    return 'type = "proportional"\n'


def generated_set(leaves: int) -> str:
    """A valid set of ``leaves`` leaves under 4 一级 and 5 二级 each; every 10th leaf judged, the rest formulas.

    Every leaf is worth 1 point scaled so that the total is 100; all formulas use ``overview.expenditure_total``
    or figures next to it, so one edit on the data screen rescores many leaves.
    """
    tops, seconds = 4, 5
    per_second = leaves // (tops * seconds)
    unit = Decimal(100) / Decimal(tops * seconds * per_second)
    lines = [
        "format_version = 1",
        f'id = "bench-{leaves}"',
        f'name = "基准测试指标体系（{leaves} 项）"',
        "total = 100",
        "",
    ]
    count = 0
    points_left = Decimal(100)
    plan = []
    for t in range(tops):
        for s in range(seconds):
            for leaf in range(per_second):
                count += 1
                last = count == tops * seconds * per_second
                points = points_left if last else unit.quantize(Decimal("0.01"))
                points_left -= points
                plan.append((t, s, leaf, points))
    sums: dict[tuple[int, int | None], Decimal] = {}
    for t, s, _, points in plan:
        sums[(t, s)] = sums.get((t, s), Decimal(0)) + points
        sums[(t, None)] = sums.get((t, None), Decimal(0)) + points
    index = 0
    for t in range(tops):
        lines += ["[[indicator]]", f'id = "g{t}"', f'name = "一级指标{t + 1}"', f"points = {sums[(t, None)]}", ""]
        for s in range(seconds):
            lines += ["[[indicator]]", f'id = "g{t}.s{s}"', f'name = "二级指标{t + 1}.{s + 1}"', f"points = {sums[(t, s)]}", ""]
            for _, _, leaf, points in [p for p in plan if p[0] == t and p[1] == s]:
                index += 1
                lines += ["[[indicator]]", f'id = "g{t}.s{s}.l{leaf}"', f'name = "三级指标{index}（基准）"', f"points = {points}"]
                if index % 10 == 0:
                    lines += ["[indicator.rule]", 'type = "judged"', ""]
                    continue
                formula, kind = FORMULAS[index % len(FORMULAS)]
                lines += [f'formula = "{formula}"', 'unit = "%"', "[indicator.rule]", _rule(kind, points)]
    return "\n".join(lines)


def generated_workspace(folder: Path, leaves: int) -> Path:
    target = folder / f"ws-{leaves}"
    shutil.copytree(DEMO_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "bench-set.toml").write_text(generated_set(leaves), encoding="utf-8")
    profile = target / "zzperf.toml"
    text = profile.read_text(encoding="utf-8").replace('indicator_set = "zhuzhou-zwfw"', 'indicator_set = "bench-set.toml"')
    profile.write_text(text, encoding="utf-8")
    (target / "2018" / "evaluation.toml").write_text("format_version = 1\nyear = 2018\n", encoding="utf-8")
    return target


async def _key_latencies(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """(figure edits on the data screen, score edits on the score screen): Enter → last frame painted."""
    app = _demo_app(path)
    figure: list[float] = []
    score: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        pane = app.data_pane
        row = next(i for i, r in enumerate(pane.sheets[0].rows) if r.paths[0] == "overview.expenditure_total")
        for _ in range(row):
            await pilot.press("down")
        for run in range(runs):
            await pilot.press(*str(600 + run % 7 * 5), "wait:0")
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause(0.05)
            figure.append(app.last_paint - start)
            await pilot.press("up")
        await pilot.press("f2")
        judged = next(node.id for node in app.session.indicator_set.leaves if node.rule.type == "judged")
        app.score_pane.select(judged)
        await pilot.press("e")
        await pilot.pause()
        for run in range(runs):
            await pilot.press("ctrl+a", "ctrl+k", str(run % 2))
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("enter")
            await pilot.pause(0.05)
            score.append(app.last_paint - start)
        await app.workers.wait_for_complete()
    return figure, score


def _ms(values: list[float]) -> str:
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(len(values) * 0.9))]
    return f"median {statistics.median(values) * 1000:7.1f} ms   p90 {p90 * 1000:7.1f} ms   (n={len(values)})"


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        shutil.copytree(DEMO_SOURCE, demo, ignore=shutil.ignore_patterns("__pycache__"))
        nodes = _tree_nodes(demo)
        print(f"zzperf TUI benchmark · Python {sys.version.split()[0]} · {os.cpu_count()} CPUs · screen {SIZE[0]}×{SIZE[1]}")
        print()
        print(f"Time to first screen (demo: {len(nodes)} tree nodes, {sum(1 for level, _ in nodes if level == 3)} leaves)")
        await _first_screen(lambda: _demo_app(demo))  # warm up imports and caches
        await _first_screen(lambda: BareTree(nodes))
        demo_times = [await _first_screen(lambda: _demo_app(demo)) for _ in range(runs)]
        bare_times = [await _first_screen(lambda: BareTree(nodes)) for _ in range(runs)]
        ratio = statistics.median(demo_times) / statistics.median(bare_times)
        print(f"  in-process  demo       {_ms(demo_times)}")
        print(f"  in-process  bare Tree  {_ms(bare_times)}")
        print(f"  in-process  ratio demo / bare: {ratio:.2f}×")
        settled = [await _first_screen(lambda: _demo_app(demo), settled=True) for _ in range(runs)]
        print(f"  in-process  demo, all tabs mounted and painted {_ms(settled)}")
        cold_runs = max(3, runs // 2)
        cold_demo = [_cold("demo", demo, nodes) for _ in range(cold_runs)]
        cold_bare = [_cold("bare", demo, nodes) for _ in range(cold_runs)]
        cold_ratio = statistics.median(cold_demo) / statistics.median(cold_bare)
        print(f"  cold        demo       {_ms(cold_demo)}")
        print(f"  cold        bare Tree  {_ms(cold_bare)}")
        print(f"  cold        ratio demo / bare: {cold_ratio:.2f}×   (new interpreter, imports included)")
        print()
        print("Key press → rescore → repaint (Enter until the last frame is painted)")
        for leaves in (60, 300):
            path = generated_workspace(Path(folder), leaves)
            workspace = Workspace(path)
            session = Session(workspace)
            started = time.perf_counter()
            for _ in range(20):
                session._score()
            rescore = (time.perf_counter() - started) / 20
            figure, score = await _key_latencies(path, runs * 3)
            print(f"  {leaves:3d} leaves  score_year alone          {rescore * 1000:7.1f} ms")
            print(f"  {leaves:3d} leaves  figure on the data screen {_ms(figure)}")
            print(f"  {leaves:3d} leaves  score on the score screen {_ms(score)}")
            first = statistics.median([await _first_screen(lambda: _demo_app(path)) for _ in range(3)])
            print(f"  {leaves:3d} leaves  first screen              {first * 1000:7.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measurements per figure (key presses: 3× as many)")
    asyncio.run(main(parser.parse_args().runs))
