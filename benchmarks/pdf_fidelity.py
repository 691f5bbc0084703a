"""How faithfully a published 决算 PDF imports: figures per table, false errors of ``check``, printed indicators.

    python benchmarks/pdf_fidelity.py                 # every PDF in tests/fixtures/real/ that the tests know
    python benchmarks/pdf_fidelity.py 决算.pdf ...     # other documents

For each table the benchmark counts the non-empty amount cells of its ruled rows (cells with decimals, as
the PDF prints amounts; codes and 行次 are whole numbers) and how many of those values the import kept,
as figures for ``accounts.toml`` or for cross-checks. It then writes the import (with the 说明's
suggestions) into a scratch workspace, runs ``check`` and the 说明 audit and lists every error, and compares
the indicator values the document prints with those zzperf computes. Times are wall-clock; nothing is asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zzperf.amounts import parse_amount  # noqa: E402
from zzperf.importing import plan_import, read_import, write_import  # noqa: E402
from zzperf.importing.grid import cell_text  # noqa: E402
from zzperf.importing.pdf import read_pdf  # noqa: E402
from zzperf.importing.tables import cut_tables  # noqa: E402

REAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real"
_AMOUNT = re.compile(r"^-?[\d,]*\d\.\d+$")


@dataclass(frozen=True)
class Printed:
    """An indicator value the document itself prints, and the set whose formula is the document's."""

    indicator: str
    value: Decimal
    indicator_set: str
    where: str


KNOWN: dict[str, list[Printed]] = {
    "上海市普陀区财政局-2024-部门决算.pdf": [
        Printed(
            "process.execution.budget_completion",
            Decimal("98.20"),
            "zhuzhou-zwfw",
            "第 21 页：完成年初预算的 98.20%（支出决算 ÷ 年初预算）",
        ),
    ],
}
"""Documents the tests know, with the indicator values they print."""


def _figures(value: Any) -> list[Decimal]:
    if isinstance(value, dict):
        return [figure for item in value.values() for figure in _figures(item)]
    if isinstance(value, list):
        return [figure for item in value for figure in _figures(item)]
    return [value] if isinstance(value, Decimal) else []


def _cells(path: Path) -> dict[str, list[Decimal]]:
    """The non-empty amount cells of each table's ruled rows, by the table's printed title."""
    document = read_pdf(path)
    raws, _ = cut_tables(document.lines)
    cells: dict[str, list[Decimal]] = {}
    for raw in raws:
        values = cells.setdefault(raw.title.printed, [])
        for line in raw.lines:
            for _, cell in line.filled:
                text = cell_text(cell)
                if _AMOUNT.match(text):
                    values.append(parse_amount(text))
    return cells


def fidelity(path: Path, *, show: bool = True) -> tuple[int, int, list[str]]:
    """Print the report for one PDF; returns (cells found, cells in the tables, error messages)."""
    started = time.perf_counter()
    result = read_import(path)
    took = time.perf_counter() - started
    cells = _cells(path)
    found_total = cell_total = 0
    print(f"\n{path.name}：{result.year} 年度，读取 {took:.2f} 秒")
    print(f"  {'表':<34}{'找到':>6}{'数字单元格':>10}{'比例':>9}")
    for table in result.tables:
        printed = cells.get(table.title, [])
        kept = Counter(_figures(table.data) + _figures(table.cross))
        wanted = Counter(printed)
        found = sum(min(count, kept[value]) for value, count in wanted.items())
        found_total += found
        cell_total += len(printed)
        share = f"{found / len(printed):.0%}" if printed else "—"
        print(f"  {table.name:<34}{found:>6}{len(printed):>10}{share:>9}")
        if show and found < len(printed):
            lost = wanted - kept
            print("      未找到：" + "、".join(f"{value}×{count}" for value, count in lost.items()))
    share = f"{found_total / cell_total:.2%}" if cell_total else "—"
    print(f"  {'合计':<34}{found_total:>6}{cell_total:>10}{share:>9}")
    errors = _check(path, result)
    return found_total, cell_total, errors


def _check(path: Path, result: Any) -> list[str]:
    """Import into a scratch workspace, then list check's and the 说明 audit's errors and the printed indicators."""
    from zzperf.checks import run_checks
    from zzperf.cli import main
    from zzperf.narrative import audit

    printed = KNOWN.get(path.name, [])
    indicator_set = printed[0].indicator_set if printed else "national-2013"
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        with contextlib.redirect_stdout(io.StringIO()):
            main(["init", str(root), "--name", "基准", "--year", str(result.year), "--set", indicator_set])
        from zzperf.workspace import Workspace

        workspace = Workspace(root)
        plan = plan_import(workspace, result, accept=True, partial=True)
        write_import(workspace, plan, replace=True)
        workspace = Workspace(root)
        accounts = workspace.load_accounts(result.year)
        previous = workspace.previous_accounts(result.year)
        report = run_checks(accounts, previous)
        for finding in report.errors:
            errors.append(f"check {finding.code}：{finding.message}")
        if result.text:
            narrative = audit(result.text, accounts, previous, source=path.name, pages=result.text_pages)
            for finding in narrative.errors:
                errors.append(f"说明 {finding.code}：{finding.message}")
        print(f"  check：{len(report.errors)} 个错误，{len(report.warnings)} 个警告，{len(report.infos)} 条提示")
        for message in errors:
            print(f"    · {message}")
        card = workspace.score(result.year)
        for item in printed:
            got = card.results[item.indicator]
            same = "相符" if got.value is not None and got.value.quantize(Decimal("0.01")) == item.value else "不符"
            print(f"  指标 {got.indicator.name}：文件 {item.value}%，zzperf {got.value_text}（{same}；{item.where}）")
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    files = args.files or [REAL / name for name in KNOWN]
    for path in files:
        fidelity(path)


if __name__ == "__main__":
    main()
