"""How long importing a published 决算 PDF takes, against what merely opening it with pdfplumber costs.

    python benchmarks/pdf_speed.py                 # the shared 2024 PDF, and a 30-page PDF made from it
    python benchmarks/pdf_speed.py 决算.pdf ...     # other documents
    python benchmarks/pdf_speed.py --repeat 5

The 30-page PDF is the 2024 document (25 pages) followed by its first five table pages again, so it holds
as many ruled tables as a large department's 决算. Measured in the same run on the same file:

- 打开 (baseline): ``pdfplumber.open`` and its page list, what any pdfplumber-based reader pays first;
- pdfminer 逐页: pdfplumber parsing every page's characters and lines, the floor of a reader that takes
  each page from pdfminer;
- read_pdf (pdfminer): zzperf's PDF reading with every page from pdfplumber alone;
- read_pdf: zzperf's PDF reading, pages from PDFium;
- read_import: the whole import reading (tables, units, suggestions), what ``zzperf import`` waits for.

The best of ``--repeat`` runs is printed, as seconds and as a multiple of the baseline. The target is a
30-page PDF in 2 s or less. Figures are wall-clock times on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from zzperf.importing import read_import  # noqa: E402
from zzperf.importing.pdf import read_pdf  # noqa: E402

REAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real"
PUTUO = REAL / "上海市普陀区财政局-2024-部门决算.pdf"
TARGET_PAGES, TARGET_SECONDS = 30, 2.0


def thirty_pages(folder: Path) -> Path:
    """The 2024 PDF followed by its first table pages again, 30 pages in all."""
    import pypdfium2

    source = pypdfium2.PdfDocument(PUTUO)
    extra = TARGET_PAGES - len(source)
    first_table = 5  # 0-based: page 6, 收入支出决算总表
    out = pypdfium2.PdfDocument.new()
    out.import_pages(source)
    out.import_pages(source, list(range(first_table, first_table + extra)))
    path = folder / "三十页.pdf"
    out.save(path)
    out.close()
    source.close()
    return path


def _open(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        list(pdf.pages)


def _pdfminer_pages(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars  # noqa: B018 - parses the page's content stream
            page.flush_cache()


def best(task: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        task()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(path: Path, repeat: int) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("打开 (baseline)", lambda: _open(path)),
        ("pdfminer 逐页", lambda: _pdfminer_pages(path)),
        ("read_pdf (pdfminer)", lambda: read_pdf(path, pdfium=False)),
        ("read_pdf", lambda: read_pdf(path)),
        ("read_import", lambda: read_import(path)),
    ]
    print(f"{path.name}: {pages} 页")
    baseline = None
    for name, task in steps:
        seconds = best(task, repeat)
        baseline = baseline or seconds
        print(f"  {name:<22} {seconds:7.2f} s  {seconds / baseline:6.1f}×  {seconds / pages * 1000:6.0f} ms/页")
        if name == "read_import" and pages >= TARGET_PAGES:
            verdict = "达到" if seconds <= TARGET_SECONDS * pages / TARGET_PAGES else "未达到"
            print(f"  目标：{TARGET_PAGES} 页 ≤ {TARGET_SECONDS:.0f} s（{verdict}）")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for path in args.files or [PUTUO, thirty_pages(Path(folder))]:
            measure(path, args.repeat)


if __name__ == "__main__":
    main()
