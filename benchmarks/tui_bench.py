"""How quickly the scoring app opens and answers a key press, against a bare Textual app of the same size.

    python benchmarks/tui_bench.py            # 7 runs each
    python benchmarks/tui_bench.py --runs 3
    python benchmarks/tui_bench.py --only commit   # only the key latencies (figure and score committed)

Printed, in one run, each with its target from issue 14 and whether it is met:

- time to first screen of the demo and of a bare Textual app that shows a Tree with the same nodes, in-process
  (imports warm) and cold (a new interpreter each time, imports included; the bare child imports only Textual);
  in-process also the time until the first screen is complete (the last frame that changed the screen once every
  part is mounted: what arrives after the first frame, such as the detail text, the inputs and the footer);
- a cursor move (↓ then ↑) in the score tree against the same move in the bare Tree, with the demo and with
  indicator sets of about 60 and 300 leaves built from the shipped set's structure in a temporary folder;
- committing a figure on the data screen (Enter: rescore of every leaf, the 勾稽 checks, the table and the
  header repainted), and a score typed on the score screen;
- a tab switch (F3 ↔ F2) once every tab is mounted;
- ``zzperf check`` and ``zzperf score`` cold, against ``python -c "import textual, jinja2, pydantic"``.

Cold runs load zzperf's compiled bytecode, as an installed zzperf does: it is written first (see compile_bytecode).

The apps run headless, but every frame is rendered to terminal output (segments → escape codes) as a real
terminal would receive it, so "repaint" means the bytes for the screen are ready. Times are CPU time of the
process (or of the child process) over the measured span, which a machine busy with other work does not
inflate; wall-clock medians are printed beside them. For a key press the time is that of the thread running the
app; what other threads of the process spend meanwhile (the worker writing the changed file after a commit) is
printed beside it. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
import tomllib

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zzperf.cli import DEMO_SOURCE  # noqa: E402
from zzperf.indicators import resolve_set  # noqa: E402
from zzperf.tui.app import ZzperfApp  # noqa: E402
from zzperf.tui.session import Session  # noqa: E402
from zzperf.workspace import Workspace  # noqa: E402

SIZE = (100, 30)

# ─── painting in headless mode ───

PAINTING = r'''
import re
import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Tree


class Painting:
    """Render each screen update to the escape codes a terminal would get (headless apps skip this).

    The first paint is the first frame that shows ``shows`` (the first node of the tree), for either app: a frame
    painted before the tree is filled in does not count.
    """

    shows = ""
    first_paint = 0.0
    last_paint = 0.0
    first_paint_cpu = 0.0
    painted_bytes = 0
    paints = None
    """When a list: every frame painted, as (its escape codes, wall clock, process CPU time) when it was ready."""

    def _display(self, screen, renderable) -> None:  # noqa: ANN001 - Textual's signature
        from textual._compositor import CompositorUpdate

        if isinstance(renderable, CompositorUpdate):
            codes = renderable.render_segments(self.console)
            self.painted_bytes += len(codes)
            self.last_paint = time.perf_counter()
            if self.paints is not None:
                self.paints.append((codes, self.last_paint, time.process_time()))
            if not self.first_paint and self.shows in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", codes):
                self.first_paint, self.first_paint_cpu = self.last_paint, time.process_time()
        super()._display(screen, renderable)


class BareTree(Painting, App):
    """A Textual app with nothing but a Tree of ``nodes`` (level, label) lines and a footer."""

    def __init__(self, nodes) -> None:  # noqa: ANN001
        super().__init__()
        self.nodes = nodes
        self.shows = nodes[0][1].split()[0]

    def compose(self) -> ComposeResult:
        tree = Tree("指标")
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
'''
"""The painting mixin and the bare app, as source: the cold bare child runs it with nothing of zzperf imported."""

exec(PAINTING)  # noqa: S102 - defines Painting and BareTree here, from the same text the cold child runs


class PaintingApp(Painting, App):  # type: ignore[misc,valid-type]  # noqa: F821 - defined by exec
    """A Textual app that paints each update."""


class PaintingZzperf(ZzperfApp, PaintingApp):
    """zzperf, painting what it sends the terminal: its ``_display`` (a repaint widened to whole pieces of lines)
    runs first, then the painting mixin's, then Textual's (the method order puts the mixin between the two)."""


def _demo_app(path: Path) -> PaintingZzperf:
    """What make_app does, with painting; its first paint is the first frame that shows the tree's first node."""
    app = PaintingZzperf(Session(Workspace(path)), cursor_blink=False, watch_interval=0)
    app.shows = app.session.indicator_set.indicator[0].name
    return app


def _tree_nodes(path: Path) -> list[tuple[int, str]]:
    indicator_set = Workspace(path).indicator_set
    return [(node.level, f"{node.name}  {node.points}") for node in indicator_set.indicator]


# ─── measuring ───


@dataclass
class Span:
    """CPU and wall seconds of one measured span."""

    cpu: float
    wall: float
    background: float = 0.0
    """CPU seconds of the process's other threads over the span (a key press: the save worker)."""


@dataclass
class Spans:
    values: list[Span] = field(default_factory=list)

    def add(self, cpu: float, wall: float, background: float = 0.0) -> None:
        self.values.append(Span(cpu, wall, background))

    @property
    def cpu(self) -> float:
        return statistics.median(span.cpu for span in self.values)

    @property
    def wall(self) -> float:
        return statistics.median(span.wall for span in self.values)

    def text(self) -> str:
        cpus = sorted(span.cpu for span in self.values)
        p90 = cpus[min(len(cpus) - 1, int(len(cpus) * 0.9))]
        return (
            f"CPU median {self.cpu * 1000:6.1f} ms  p90 {p90 * 1000:6.1f} ms   wall median {self.wall * 1000:6.1f} ms"
            f"  (n={len(self.values)})"
            + (f"  + other threads {background * 1000:.1f} ms" if (background := self.background) else "")
        )

    @property
    def background(self) -> float:
        return statistics.median(span.background for span in self.values)


RESULTS: list[tuple[str, str, bool]] = []
"""(what, measured against its target, met) for the summary at the end."""


def verdict(what: str, value: float, limit: float, unit: str) -> None:
    shown = f"{value:.2f}×" if unit == "×" else f"{value * 1000:.1f} ms"
    target = f"{limit:.2f}×" if unit == "×" else f"{limit * 1000:.0f} ms"
    met = value <= limit
    RESULTS.append((what, f"{shown} (target ≤ {target})", met))
    print(f"    → {what}: {shown}, target ≤ {target}: {'met' if met else 'NOT MET'}")


async def _first_screen(make, spans: Spans, complete: Spans | None = None) -> None:  # noqa: ANN001
    """From building the app to its first painted screen (and, into ``complete``, to the screen complete).

    The screen is complete with the last frame that changed what the terminal shows before the app goes quiet
    (every part mounted, nothing painted for ``QUIET`` seconds): parts that arrive after the first frame (the
    detail text, the footer, the inputs below the text) are in it.
    """
    start, start_cpu = time.perf_counter(), time.process_time()
    app = make()
    app.paints = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause(0.05)
        for _ in range(100):
            if app.first_paint:
                break
            await pilot.pause(0.02)
        assert app.first_paint, f"no frame showed {app.shows!r}"
        spans.add(app.first_paint_cpu - start_cpu, app.first_paint - start)
        if complete is None:
            return
        for _ in range(200):
            mounted = not isinstance(app, ZzperfApp) or app.score_pane.form is not None
            if mounted and time.perf_counter() - app.last_paint > QUIET:
                break
            await pilot.pause(0.05)
        wall, cpu = _last_change(app.paints)
        complete.add(cpu - start_cpu, wall - start)


QUIET = 0.3
"""Seconds without a frame after which an app that has mounted everything counts as settled."""

FIRST_FRAMES = 9
"""First frames are timed ``FIRST_FRAMES`` × runs times for each app, in turn and back to back, apart from the starts
waited out until the screen is complete.

A first frame is a short span (about 30–50 ms) and a process that has sat idle for a few tenths of a second can run
the next tens of milliseconds up to 1.6× slower, at random: on the 2-CPU machine measured, a fixed pure-Python loop
took 20–24 ms run back to back but 21–36 ms after each 0.3 s sleep. Timed after each start had waited out the
``QUIET`` time, each first frame fell on either speed, and a median of 7 took the slow one for either app about as
often as not: six repeats of the same code gave ratios of 0.86–1.82×.

Back to back, neighbouring starts are still often one fast and one slow, so each app's first frames spread widely
(deciles 38–66 ms for the demo, 27–50 ms for the bare app in one run of 400 pairs) and a median of few of them is
loose. In that run (ratio of the medians of all 400 pairs: 1.33×), the ratio of the medians of consecutive blocks of
21 pairs (3 × 7) ran from 1.04 to 1.54× (10–90 %: 1.16–1.46×); of 63 pairs (9 × 7), from 1.11 to 1.43×
(1.22–1.38×). The starts are short, so the extra samples cost about half a minute."""


def _last_change(paints: list[tuple[str, float, float]]) -> tuple[float, float]:
    """(wall, CPU) time of the last frame that changed a cell of the terminal, replaying the frames' escape codes."""
    from rich.cells import cell_len

    cells: dict[tuple[int, int], tuple[str, str]] = {}
    changed = (0.0, 0.0)
    for codes, wall, cpu in paints:
        row = column = 0
        style = ""
        before = dict(cells)
        for match in re.finditer(r"\x1b\[([0-9;?]*)([A-Za-z])|\n|[^\x1b\n]", codes):
            text = match.group(0)
            if match.group(2) == "H":
                row, column = (int(number) - 1 for number in match.group(1).split(";"))
            elif match.group(2) == "m":
                style = "" if match.group(1) in ("", "0") else style + match.group(1) + ";"
            elif match.group(2):
                continue
            elif text == "\n":
                row, column = row + 1, 0
            else:
                cells[row, column] = (text, style)
                for extra in range(1, cell_len(text)):
                    cells[row, column + extra] = ("", style)
                column += max(1, cell_len(text))
        if cells != before:
            changed = (wall, cpu)
    return changed


PILOT_WAITS = False
"""Whether timed key presses also wait the way Pilot does (``--pilot-waits``): see ``_timed``."""


async def _timed(app, pilot, *keys: str, wait: float = 0.05) -> Span:  # noqa: ANN001
    """Press ``keys``; CPU and wall time until the last frame they caused is painted.

    The keys go in as Pilot sends them, and the app then runs on its own for ``wait`` seconds, painting frames
    from its own timer. Pilot's ``press`` and ``pause`` would also wait for every widget of the screen to
    answer a callback, twice per key: about 0.1 ms of CPU per widget each time (Textual inspects the signature
    of each callback), which no terminal ever asks of the app and which grows with the number of widgets
    (about 80 in zzperf with every tab mounted, 3 in the bare app). ``--pilot-waits`` measures with them.
    """
    await pilot.pause()
    start, start_cpu, start_thread = time.perf_counter(), time.process_time(), time.thread_time()
    app.last_paint = 0.0
    if PILOT_WAITS:
        await pilot.press(*keys)
        await pilot.pause(wait)
    else:
        await app._press_keys(keys)
        await asyncio.sleep(wait)
    thread = time.thread_time() - start_thread
    cpu = time.process_time() - start_cpu
    return Span(thread, (app.last_paint or time.perf_counter()) - start, max(0.0, cpu - thread))


async def _cursor_moves(app, runs: int, tree_selector: str, settle=None) -> Spans:  # noqa: ANN001
    """↓ and ↑ in a tree, each timed alone."""
    spans = Spans()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        if settle is not None:
            await settle(app, pilot)
        app.query_one(tree_selector).focus()
        await pilot.press("down", "up")  # warm up
        for _ in range(runs):
            for key in ("down", "up"):
                span = await _timed(app, pilot, key)
                spans.add(span.cpu, span.wall)
    return spans


MOVE_ROUNDS = 4
"""Cursor moves are timed in this many rounds, each a new start of both apps in turn (bare, then zzperf): a machine
whose speed drifts between one block of moves and the next changes both alike (with 2 rounds, a slow spell over
one app's half of the moves once put the demo's median at 2.4× the bare Tree's, against 1.5× in other runs)."""


async def _moves_in_turn(bare, zzperf, runs: int) -> tuple[Spans, Spans]:  # noqa: ANN001
    """``runs`` cursor moves (↓ and ↑) of the bare Tree made by ``bare()`` and of zzperf's tree made by ``zzperf()``,
    timed in ``MOVE_ROUNDS`` rounds taken in turn."""
    bare_spans, zzperf_spans = Spans(), Spans()
    for _ in range(MOVE_ROUNDS):
        bare_spans.values += (await _cursor_moves(bare(), -(-runs // MOVE_ROUNDS), "Tree")).values
        zzperf_spans.values += (
            await _cursor_moves(zzperf(), -(-runs // MOVE_ROUNDS), "#indicator-tree", _all_mounted)
        ).values
    return bare_spans, zzperf_spans


async def _all_mounted(app, pilot) -> None:  # noqa: ANN001
    """Wait until the lazily mounted tabs and the entry form are there."""
    for _ in range(100):
        if app.query("#sheet-table") and app.query("#report-sections") and app.score_pane.form is not None:
            break
        await pilot.pause(0.05)
    await app.workers.wait_for_complete()
    await pilot.pause(0.1)


async def _tab_switches(path: Path, runs: int) -> Spans:
    app = _demo_app(path)
    spans = Spans()
    async with app.run_test(size=SIZE) as pilot:
        await _all_mounted(app, pilot)
        await pilot.press("f3", "f2")  # warm up
        await pilot.pause(0.1)
        for _ in range(runs):
            for key in ("f3", "f2"):
                span = await _timed(app, pilot, key, wait=0.1)
                spans.add(span.cpu, span.wall)
    return spans


async def _key_latencies(path: Path, runs: int) -> tuple[Spans, Spans]:
    """(a figure committed on the data screen, a score committed on the score screen): Enter → last frame painted."""
    app = _demo_app(path)
    figure, score = Spans(), Spans()
    async with app.run_test(size=SIZE) as pilot:
        await _all_mounted(app, pilot)
        await pilot.press("f3")
        await pilot.pause(0.1)
        pane = app.data_pane
        row = next(i for i, r in enumerate(pane.sheets[0].rows) if r.paths[0] == "overview.expenditure_total")
        for _ in range(row):
            await pilot.press("down")
        for run in range(runs + 1):
            await pilot.press(*str(600 + run % 7 * 5), "wait:0")
            span = await _timed(app, pilot, "enter")
            if run:  # the first is a warm-up
                figure.add(span.cpu, span.wall, span.background)
            await pilot.press("up")
        await pilot.press("f2")
        judged = next(node.id for node in app.session.indicator_set.leaves if node.rule.type == "judged")
        app.score_pane.select(judged)
        await pilot.press("e")
        await pilot.pause()
        for run in range(runs + 1):
            await pilot.press("ctrl+a", "ctrl+k", str(run % 2))
            span = await _timed(app, pilot, "enter")
            if run:
                score.add(span.cpu, span.wall, span.background)
            await pilot.press("shift+tab")
        await app.workers.wait_for_complete()
    return figure, score


# ─── cold starts ───

COLD_DEMO = r"""
import asyncio, sys, time
start, start_cpu = time.perf_counter(), time.process_time()
sys.path.insert(0, {repo!r}); sys.path.insert(0, {bench!r})
from pathlib import Path
import tui_bench as bench
async def main():
    app = bench._demo_app(Path(sys.argv[1]))
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.first_paint:
            await pilot.pause(0.02)
        print(app.first_paint_cpu - start_cpu, app.first_paint - start)
asyncio.run(main())
"""
"""A fresh interpreter opening the demo (importing zzperf through this file)."""

COLD_BARE = r"""
import asyncio, json, sys, time
start, start_cpu = time.perf_counter(), time.process_time()
{painting}
async def main():
    app = BareTree([tuple(node) for node in json.loads(sys.argv[1])])
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.first_paint:
            await pilot.pause(0.02)
        print(app.first_paint_cpu - start_cpu, app.first_paint - start)
asyncio.run(main())
"""
"""A fresh interpreter opening the bare app: it imports Textual only, nothing of zzperf."""


def _cold(kind: str, path: Path, nodes: list[tuple[int, str]]) -> Span:
    if kind == "demo":
        code, argument = COLD_DEMO.format(repo=str(REPO), bench=str(Path(__file__).resolve().parent)), str(path)
    else:
        code, argument = COLD_BARE.format(painting=PAINTING), json.dumps(nodes)
    result = subprocess.run([sys.executable, "-c", code, argument], capture_output=True, text=True, check=True)
    if kind == "bare":
        assert "zzperf" not in code
    cpu, wall = (float(value) for value in result.stdout.strip().splitlines()[-1].split())
    return Span(cpu, wall)


def compile_bytecode() -> None:
    """Write zzperf's bytecode beside its source, as pip does when it installs a package.

    An editable install run with PYTHONDONTWRITEBYTECODE has none, and each cold run would then compile every zzperf
    module it imports, while the floor's libraries (Textual, jinja2, pydantic) load theirs, written at install.
    """
    compileall.compile_dir(REPO / "zzperf", quiet=1)


def _command(argv: list[str]) -> Span:
    """CPU (user + system) and wall seconds of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return Span(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall)


def _spans(makes, runs: int) -> list[Spans]:  # noqa: ANN001
    """``runs`` spans of each of ``makes``, taken in turn (A B C A B C …): a machine that speeds up or slows down
    during the measurement changes each alike, so their ratios stay fair (blocks of A then of B did not)."""
    spans = [Spans() for _ in makes]
    for _ in range(runs):
        for make, kept in zip(makes, spans, strict=True):
            span = make()
            kept.add(span.cpu, span.wall)
    return spans


# ─── generated indicator sets ───


def generated_set(leaves: int) -> tuple[str, int]:
    """The shipped set of the demo, its 一级 groups repeated (ids and names numbered) until ``leaves`` leaves.

    Every copy keeps the shipped formulas, rules and judged leaves, so one figure feeds as many leaves as in the
    demo times the number of copies. The total is the sum of the groups; the grades follow it.
    Returns the TOML text and the number of leaves.
    """
    shipped = resolve_set("zhuzhou-zwfw", REPO)
    data = tomllib.loads(Path(shipped).read_text(encoding="utf-8"))
    nodes = data["indicator"]
    tops = [node for node in nodes if "." not in node["id"]]
    out: list[dict] = []
    count, copy, total = 0, 0, 0
    while count < leaves:
        copy += 1
        for top in tops:
            if count >= leaves:
                break
            suffix = "" if copy == 1 else str(copy)
            for node in nodes:
                if node["id"] != top["id"] and not node["id"].startswith(top["id"] + "."):
                    continue
                clone = dict(node)
                head, _, rest = node["id"].partition(".")
                clone["id"] = f"{head}{suffix}" + (f".{rest}" if rest else "")
                if suffix:
                    clone["name"] = f"{node['name']}（{copy}）"
                out.append(clone)
                if node["id"].count(".") == 2:
                    count += 1
            total += top["points"]
    if total > 1000:  # the most a set may total: halve every amount of points
        out = [_halved(node) for node in out]
        data["cap"] = [_halved(cap) for cap in data.get("cap", [])]
        total = total / 2
    data["indicator"] = out
    data["id"] = f"bench-{leaves}"
    data["name"] = f"基准测试指标体系（{count} 项）"
    data["total"] = total
    data.pop("grade", None)  # the national bands, scaled to the total
    return tomli_w.dumps(data), count


POINT_KEYS = {"points", "deduct", "deviation_penalty", "max_total"}


def _halved(value):  # noqa: ANN001, ANN202
    """``value`` with every amount of points in it halved (the set's rules stay consistent)."""
    if isinstance(value, dict):
        return {key: (item / 2 if key in POINT_KEYS else _halved(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [_halved(item) for item in value]
    return value


def generated_workspace(folder: Path, leaves: int) -> tuple[Path, int]:
    target = folder / f"ws-{leaves}"
    shutil.copytree(DEMO_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    text, count = generated_set(leaves)
    (target / "bench-set.toml").write_text(text, encoding="utf-8")
    profile = target / "zzperf.toml"
    text = profile.read_text(encoding="utf-8")
    assert 'indicator_set = "zhuzhou-zwfw"' in text
    profile.write_text(
        text.replace('indicator_set = "zhuzhou-zwfw"', 'indicator_set = "bench-set.toml"'), encoding="utf-8"
    )
    (target / "2018" / "evaluation.toml").write_text("format_version = 1\nyear = 2018\n", encoding="utf-8")
    return target, count


async def commit_only(runs: int) -> None:
    """Only the figure and score committed with the generated set of about 300 leaves."""
    with tempfile.TemporaryDirectory() as folder:
        print(f"load average {os.getloadavg()[0]:.1f}; CPU times (of the app's thread for a key), wall clock beside")
        path, count = generated_workspace(Path(folder), 300)
        figure, score = await _key_latencies(path, runs * 2)
        print(f"  {count:3d} leaves  figure committed (data)  {figure.text()}")
        print(f"  {count:3d} leaves  score committed (score)  {score.text()}")
        verdict(f"figure committed, {count} leaves", figure.cpu, 0.050, "ms")


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        demo = Path(folder) / "demo"
        shutil.copytree(DEMO_SOURCE, demo, ignore=shutil.ignore_patterns("__pycache__"))
        nodes = _tree_nodes(demo)
        print(
            f"zzperf TUI benchmark · Python {sys.version.split()[0]}"
            f" · {os.cpu_count()} CPUs · screen {SIZE[0]}×{SIZE[1]}"
        )
        print(f"load average {os.getloadavg()[0]:.1f}; CPU times (of the app's thread for a key), wall clock beside")
        compile_bytecode()
        print("zzperf's bytecode compiled beforehand, as at install (the libraries it is compared with have theirs)")
        print()
        leaves = sum(1 for level, _ in nodes if level == 3)
        print(f"First screen (demo: {len(nodes)} tree nodes, {leaves} leaves)")
        await _first_screen(lambda: _demo_app(demo), Spans())  # warm up imports and caches
        await _first_screen(lambda: BareTree(nodes), Spans())  # noqa: F821
        demo_times, bare_times, demo_complete, bare_complete = Spans(), Spans(), Spans(), Spans()
        for _ in range(runs * FIRST_FRAMES):
            await _first_screen(lambda: _demo_app(demo), demo_times)
            await _first_screen(lambda: BareTree(nodes), bare_times)  # noqa: F821
        for _ in range(runs):
            await _first_screen(lambda: _demo_app(demo), Spans(), demo_complete)
            await _first_screen(lambda: BareTree(nodes), Spans(), bare_complete)  # noqa: F821
        print(f"  in-process  demo       {demo_times.text()}")
        print(f"  in-process  bare Tree  {bare_times.text()}")
        verdict("first frame, in-process, demo / bare", demo_times.cpu / bare_times.cpu, 1.5, "×")
        print("  first screen complete (the last frame that changed the screen: detail text, inputs, footer)")
        print(f"  in-process  demo       {demo_complete.text()}")
        print(f"  in-process  bare Tree  {bare_complete.text()}")
        print(f"    (complete, in-process) ratio {demo_complete.cpu / bare_complete.cpu:.2f}×")
        cold_runs = max(3, runs // 2)
        cold_demo, cold_bare = _spans(
            [lambda: _cold("demo", demo, nodes), lambda: _cold("bare", demo, nodes)], cold_runs
        )
        print(f"  cold        demo       {cold_demo.text()}")
        print(f"  cold        bare Tree  {cold_bare.text()}")
        print(f"    (cold: new interpreter, imports included) ratio {cold_demo.cpu / cold_bare.cpu:.2f}×")
        print()

        print("Cursor move in the score tree (↓ or ↑ until painted)")
        bare_move, demo_move = await _moves_in_turn(lambda: BareTree(nodes), lambda: _demo_app(demo), runs * 2)  # noqa: F821
        print(f"  bare Tree  {len(nodes):3d} nodes  {bare_move.text()}")
        print(f"  demo       {leaves:3d} leaves {demo_move.text()}")
        verdict("cursor move, demo / bare Tree", demo_move.cpu / bare_move.cpu, 2.0, "×")
        print()

        print("Tab switch (F3 ↔ F2, every tab mounted)")
        tabs = await _tab_switches(demo, runs * 2)
        print(f"  demo  {tabs.text()}")
        verdict("tab switch", tabs.cpu, 0.100, "ms")
        print()

        print("Generated sets: the shipped set's 一级 groups repeated")
        for wanted, move_limit in ((60, 0.016), (300, 0.030)):
            path, count = generated_workspace(Path(folder), wanted)
            set_nodes = _tree_nodes(path)
            bare, moves = await _moves_in_turn(
                lambda: BareTree(set_nodes),  # noqa: B023, F821 - called within this iteration
                lambda: _demo_app(path),  # noqa: B023
                runs * 2,
            )
            figure, score = await _key_latencies(path, runs * 2)
            print(f"  {count:3d} leaves  cursor move (bare Tree) {bare.text()}")
            print(f"  {count:3d} leaves  cursor move              {moves.text()}")
            verdict(f"cursor move, {count} leaves", moves.cpu, move_limit, "ms")
            verdict(f"cursor move, {count} leaves / bare Tree", moves.cpu / bare.cpu, 2.0, "×")
            print(f"  {count:3d} leaves  figure committed (data)  {figure.text()}")
            print(f"  {count:3d} leaves  score committed (score)  {score.text()}")
            if wanted == 300:
                verdict(f"figure committed, {count} leaves", figure.cpu, 0.050, "ms")
        print()

        print("Commands, cold (a new interpreter each)")
        zzperf = [sys.executable, "-m", "zzperf"]
        floor, check, score_cmd = _spans(
            [
                lambda: _command([sys.executable, "-c", "import textual, jinja2, pydantic"]),
                lambda: _command([*zzperf, "check", str(demo)]),
                lambda: _command([*zzperf, "score", str(demo)]),
            ],
            runs + 2,  # a command is one span of a few hundred ms: more of them than of the cold starts above
        )
        print(f"  import textual, jinja2, pydantic  {floor.text()}")
        print(f"  zzperf check                      {check.text()}")
        print(f"  zzperf score                      {score_cmd.text()}")
        verdict("zzperf check / imports", check.cpu / floor.cpu, 1.3, "×")
        verdict("zzperf score / imports", score_cmd.cpu / floor.cpu, 1.3, "×")
        print()
        met = sum(1 for _, _, ok in RESULTS if ok)
        print(f"Targets met: {met} of {len(RESULTS)}")
        for what, text, ok in RESULTS:
            print(f"  {'✓' if ok else '✗'} {what}: {text}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measurements per figure (key presses: 2× as many)")
    parser.add_argument(
        "--pilot-waits", action="store_true", help="timed keys also wait for every widget, as Pilot's press does"
    )
    parser.add_argument(
        "--only", choices=["commit"], help="measure only this: commit = the key latencies at 300 leaves"
    )
    arguments = parser.parse_args()
    PILOT_WAITS = arguments.pilot_waits
    asyncio.run(commit_only(arguments.runs) if arguments.only == "commit" else main(arguments.runs))
