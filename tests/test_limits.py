"""Big inputs: ``check --text`` and ``import`` do a bounded amount of work per figure and per line, and refuse
files no 决算 can be, with a size message, before reading them."""

from __future__ import annotations

import difflib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO as DEMO_PATH
from tests.seed_2018 import SEED_TEXT as SEED
from zzperf import narrative
from zzperf.narrative import audit
from zzperf.workspace import Workspace

DEMO = Workspace(DEMO_PATH)
ACCOUNTS = DEMO.load_accounts(2018)
PREVIOUS = DEMO.load_accounts(2017)


def zzperf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zzperf", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def _fuzzy_comparisons(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """(figures read, difflib ratios computed) for checking ``text``: the costly unit of work per figure."""
    calls = [0]
    ratio = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher) -> float:
        calls[0] += 1
        return ratio(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    report = audit(text, ACCOUNTS, PREVIOUS)
    return report.checked + len(report.unplaced), calls[0]


def test_the_fuzzy_row_matching_does_not_grow_faster_than_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    seed = SEED.read_text(encoding="utf-8")
    figures_once, work_once = _fuzzy_comparisons(seed, monkeypatch)
    figures_four, work_four = _fuzzy_comparisons(seed * 4, monkeypatch)
    assert figures_once > 100 and figures_four > 3 * figures_once
    assert work_four <= 4 * work_once  # a subject already matched is not matched again


def test_one_sentence_of_many_figures_reads_a_bounded_stretch_before_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """“…：500 万元；500 万元；…” in one sentence: each figure looks back at most ``CHAIN_REACH`` characters."""
    read: list[int] = []
    chain = narrative._Reader._chain

    def measured(self: narrative._Reader, text: str, sentence, start: int):
        read.append(len(text))
        return chain(self, text, sentence, start)

    monkeypatch.setattr(narrative._Reader, "_chain", measured)
    report = audit("一般公共服务（类）：" + "500万元；" * 4000 + "。", ACCOUNTS, PREVIOUS)
    assert len(report.unplaced) + report.checked == 4000
    assert max(read) <= narrative.CHAIN_REACH


def test_check_text_refuses_a_file_with_more_figures_than_any_narrative(demo: Path, tmp_path: Path) -> None:
    dump = tmp_path / "导出.txt"
    dump.write_text("".join(f"第{i}笔支出 {i}.5 万元\n" for i in range(narrative.MAX_FIGURES + 1)), encoding="utf-8")
    result = zzperf("check", str(demo), "--text", str(dump), cwd=tmp_path)
    assert result.returncode == 2
    assert "导出.txt" in result.stderr
    assert f"金额和百分比太多（{narrative.MAX_FIGURES + 1} 个），上限为 {narrative.MAX_FIGURES} 个" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_check_text_refuses_a_file_bigger_than_any_narrative(demo: Path, tmp_path: Path) -> None:
    big = tmp_path / "大.txt"
    big.write_text("说明文字。" * (narrative.MAX_BYTES // 10), encoding="utf-8")
    result = zzperf("check", str(demo), "--text", str(big), cwd=tmp_path)
    assert result.returncode == 2
    assert "文件太大" in result.stderr and "上限为 2 MB" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_import_refuses_more_lines_than_any_decision_before_reading_them(demo: Path, tmp_path: Path) -> None:
    from zzperf.importing.reader import MAX_LINES

    rows = tmp_path / "百万行.txt"
    rows.write_text("收入决算表\n" + "".join(f"2010301\t行政\t{i}\n" for i in range(MAX_LINES)), encoding="utf-8")
    before = (demo / "2018" / "accounts.toml").read_bytes()
    result = zzperf("import", str(rows), str(demo), "--replace", cwd=tmp_path)
    assert result.returncode == 2
    assert "百万行.txt" in result.stderr
    assert f"文件太长（{MAX_LINES + 1} 行），上限为 {MAX_LINES} 行" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert (demo / "2018" / "accounts.toml").read_bytes() == before
