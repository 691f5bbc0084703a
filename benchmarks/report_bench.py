"""How long the 自评报告 takes to render, per format: for the demo year, and for a batch of generated department-years.

    python benchmarks/report_bench.py                  # demo 2018 ×20 per format, then 1,000 department-years
    python benchmarks/report_bench.py --count 200 --formats md,docx

The batch makes department-years from the demo's 2018 figures, each scaled by its own random factor
(seeded, so runs are comparable) with random 绩效目标 results, a previous year for half of them and
random report text; every department-year is scored, checked and rendered in every format, in memory.
Figures printed are wall-clock times on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zzperf.accounts import Accounts  # noqa: E402
from zzperf.cli import DEMO_SOURCE  # noqa: E402
from zzperf.evaluation import ReportText  # noqa: E402
from zzperf.report import FORMATS, build_context, context_for, render  # noqa: E402
from zzperf.workspace import Workspace  # noqa: E402

CENT = Decimal("0.01")


def _scaled(value: Any, factor: Decimal) -> Any:
    """Every amount in a dumped ``Accounts`` times ``factor`` (counts and codes untouched)."""
    if isinstance(value, dict):
        return {key: _scaled(item, factor) for key, item in value.items()}
    if isinstance(value, list):
        return [_scaled(item, factor) for item in value]
    if isinstance(value, Decimal):
        return (value * factor).quantize(CENT)
    return value


def generate(count: int, seed: int = 2018) -> list[tuple[Any, ...]]:
    """``count`` department-years: (profile, indicator set, accounts, evaluation, previous accounts)."""
    workspace = Workspace(DEMO_SOURCE)
    base = workspace.load_accounts(2018).model_dump()
    base_previous = workspace.load_accounts(2017).model_dump()
    evaluation = workspace.load_evaluation(2018)
    indicator_set = workspace.indicator_set
    rng = random.Random(seed)
    out = []
    for index in range(count):
        factor = Decimal(rng.randint(20, 500)) / 100
        data = _scaled(base, factor)
        for outcome in data["outcomes"]:
            if outcome.get("target") is not None:
                outcome["actual"] = (outcome["target"] * Decimal(rng.randint(80, 140)) / 100).quantize(CENT)
        accounts = Accounts.model_validate(data)
        previous = None
        if index % 2 == 0:
            previous = Accounts.model_validate(_scaled(base_previous, factor * Decimal(rng.randint(85, 115)) / 100))
        profile = workspace.profile.model_copy(update={"name": f"演示县第{index + 1:04d}局"})
        text = ReportText(
            achievements=(
                f"完成办件 {rng.randint(1000, 90000)} 件 & 群众满意度 >{rng.randint(85, 99)}%。\n推进“最多跑一次”改革。"
            ),
            problems="预算编制有待完善。\n绩效目标不够细化。",
            measures="完善预算编制。\n细化绩效目标。",
            application="" if index % 5 == 0 else "报送财政局并公开。",
        )
        out.append((profile, indicator_set, accounts, evaluation.model_copy(update={"report": text}), previous))
    return out


def _median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.1f} ms"


def bench_demo(repeat: int, formats: list[str]) -> None:
    workspace = Workspace(DEMO_SOURCE)
    print(f"演示工作区 2018 年度（每项 {repeat} 次取中位数）")
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        context = context_for(workspace, 2018)
        timings.append(time.perf_counter() - started)
    print(f"  数据、评分与校验（上下文） {_median_ms(timings)}")
    for fmt in formats:
        render(context, fmt)  # first call: imports, template loading and compiling
        timings, size = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            size = len(render(context, fmt))
            timings.append(time.perf_counter() - started)
        print(f"  {fmt:<5} 渲染 {_median_ms(timings)}   文件 {size / 1024:6.1f} KiB")


def bench_batch(count: int, formats: list[str]) -> None:
    started = time.perf_counter()
    years = generate(count)
    print(f"\n批量：{count} 个部门年度（生成数据 {time.perf_counter() - started:.2f} s）")
    started = time.perf_counter()
    contexts = [build_context(*year) for year in years]
    elapsed = time.perf_counter() - started
    print(f"  上下文（评分、校验）  合计 {elapsed:7.2f} s   每个 {elapsed / count * 1000:7.2f} ms")
    for fmt in formats:
        started = time.perf_counter()
        total = sum(len(render(context, fmt)) for context in contexts)
        elapsed = time.perf_counter() - started
        print(
            f"  {fmt:<5}                合计 {elapsed:7.2f} s   每个"
            f" {elapsed / count * 1000:7.2f} ms   共 {total / 2**20:7.1f} MiB"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="部门年度数（默认 1000）")
    parser.add_argument("--repeat", type=int, default=20, help="演示年度每种格式的重复次数")
    parser.add_argument("--formats", default=",".join(FORMATS), help="逗号分隔：docx,md,html,xlsx")
    args = parser.parse_args(argv)
    formats = [part.strip() for part in args.formats.split(",") if part.strip()]
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        parser.error(f"未知格式：{'、'.join(unknown)}")
    bench_demo(args.repeat, formats)
    if args.count:
        bench_batch(args.count, formats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
