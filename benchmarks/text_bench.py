"""How checking a 说明 (``check --text``) and importing pasted tables grow with the size of the text.

    python benchmarks/text_bench.py              # the demo's 决算公开全文 ×1, ×4, ×16
    python benchmarks/text_bench.py --times 1 8 32

The text is the demo's published 决算 (tables and 说明) repeated. The baseline, measured in the same run
on the same text, is reading the file and decoding it; the ratio says what the reading of sentences and
tables costs on top of that. Linear work keeps the per-figure and per-line times flat as the text grows.
Figures are wall-clock times on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zzperf.accounts import Accounts  # noqa: E402
from zzperf.importing import read_import  # noqa: E402
from zzperf.importing.text import decode  # noqa: E402
from zzperf.narrative import audit, read_text  # noqa: E402
from zzperf.tomlio import load_model  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "zzperf" / "demo"


def _seconds(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--times", type=int, nargs="+", default=[1, 4, 16], help="how often the text is repeated")
    args = parser.parse_args()
    seed = (DEMO / "2018" / "部门决算公开全文.txt").read_text(encoding="utf-8")
    accounts = load_model(DEMO / "2018" / "accounts.toml", Accounts)
    previous = load_model(DEMO / "2017" / "accounts.toml", Accounts)
    print(
        f"{'倍数':>4} {'大小 KB':>8} {'行':>7} {'数字':>6} {'读取解码 s':>10} {'说明核对 s':>10} {'比值':>6}"
        f" {'每数字 ms':>9} {'导入 s':>7} {'比值':>6} {'每行 ms':>8}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for times in args.times:
            path = Path(folder) / f"text-{times}.txt"
            path.write_text(seed * times, encoding="utf-8")
            baseline = min(_seconds(lambda: decode(path.read_bytes(), path)) for _ in range(3))
            text = read_text(path)
            report = None

            def check() -> None:
                nonlocal report
                report = audit(text, accounts, previous, source=path.name)

            checking = _seconds(check)
            importing = _seconds(lambda: read_import(path))
            figures = report.checked + len(report.unplaced)
            lines = text.count("\n") + 1
            print(
                f"{times:>4} {path.stat().st_size / 1024:>8.0f} {lines:>7}"
                f" {figures:>6} {baseline:>10.4f} {checking:>10.3f}"
                f" {checking / baseline:>6.0f} {checking / figures * 1000:>9.3f} {importing:>7.3f}"
                f" {importing / baseline:>6.0f} {importing / lines * 1000:>8.3f}"
            )


if __name__ == "__main__":
    main()
