"""What a 财政局 reviewer meets on the county demo: 暂定 复核 totals, reasons, unsupported hand scores, the ranking,
shared indicator names and the change log."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_zzperf
from zzperf.tomlio import read_toml

TOWN = "重庆市长寿区洪湖镇人民政府"
PROGRESS = "67.70（暂定：已复核 1/28 项，其余按自评计）"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_zzperf(*args, cwd=cwd, user="复核员")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("county")
    assert run("demo", "--county", "县", cwd=base).returncode == 0
    return base / "县"


@pytest.fixture
def county(made: Path, tmp_path: Path) -> Path:
    shutil.copytree(made, tmp_path / "县")
    return tmp_path / "县"


def review_one(county: Path) -> subprocess.CompletedProcess[str]:
    return run(
        "review",
        str(county / TOWN),
        "--indicator",
        "预算完成率",
        "--score",
        "1",
        "--reason",
        "按决算",
        cwd=county.parent,
    )


def test_a_partial_review_total_says_how_far_the_review_has_got_everywhere(county: Path) -> None:
    assert review_one(county).returncode == 0
    shown = run("review", str(county / TOWN), cwd=county.parent)
    assert f"复核总分 {PROGRESS}" in shown.stdout
    folder = run("score", str(county), "--year", "2024", "--no-cache", cwd=county.parent)
    row = next(line for line in folder.stdout.splitlines() if "洪湖镇" in line)
    assert "67.70（暂定）" in row and "复核暂定：已复核 1/28 项，其余按自评计" in folder.stdout
    compared = run("compare", str(county), "--year", "2024", cwd=county.parent)
    assert "67.70（暂定）" in compared.stdout
    assert "复核总分中未复核的指标按自评计，为暂定" in compared.stdout


def test_a_changed_review_score_without_a_reason_is_refused(county: Path) -> None:
    refused = run("review", str(county / TOWN), "--indicator", "预算完成率", "--score", "1", cwd=county.parent)
    assert refused.returncode == 2
    assert "“预算完成率”的复核得分 1.00 与自评 2.00 不同，须写明理由" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (county / TOWN / "2024" / "review.toml").exists()
    same = run("review", str(county / TOWN), "--indicator", "预算完成率", "--score", "2", cwd=county.parent)
    assert same.returncode == 0, same.stderr  # agreeing with the 自评 needs no reason


def test_hand_scores_no_figure_supports_are_a_review_note(county: Path) -> None:
    assert review_one(county).returncode == 0
    note = "11 项公式指标缺数据，由评价人给分"
    assert f"复核提示：{note}" in run("review", str(county / TOWN), cwd=county.parent).stdout
    out = county.parent / "排名.csv"
    assert (
        run(
            "compare", str(county), "--year", "2024", "--format", "csv", "--out", str(out), cwd=county.parent
        ).returncode
        == 0
    )
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert note in next(row for row in rows if "洪湖镇" in row)


def test_the_ranking_goes_by_the_review_and_leaves_a_returned_department_unranked(county: Path) -> None:
    compared = run("compare", str(county), "--year", "2024", cwd=county.parent)
    assert compared.returncode == 0, compared.stderr
    rows = {
        line.split("│")[2].strip(): line.split("│")[1].strip() for line in compared.stdout.splitlines() if "│" in line
    }
    assert rows["上海市普陀区财"] == "—" and rows["重庆市长寿区洪"] == "1"
    assert "已复核的部门按复核总分排名" in compared.stdout
    assert "年度部门整体支出绩效得分（有复核的按复核）排名" in compared.stdout  # the title does not say 自评
    assert "1 个部门的自评已退回，待修改后重新提交，不参加排名：上海市普陀区财政局。" in compared.stdout


def test_shared_indicator_names_show_their_group(county: Path) -> None:
    shown = run("review", str(county / "上海市普陀区财政局"), cwd=county.parent).stdout
    assert "预算管理 › 管理制度健全性" in shown and "资产管理 › 管理制度健全性" in shown
    taken = run(
        "review",
        str(county / TOWN),
        "--indicator",
        "资产管理 › 管理制度健全性",
        "--opinion",
        "补制度",
        cwd=county.parent,
    )
    assert taken.returncode == 0, taken.stderr
    review, _ = read_toml(county / TOWN / "2024" / "review.toml")
    assert review["indicators"]["process.assets.rules"]["opinion"] == "补制度"
    logged = run("log", str(county / TOWN), cwd=county.parent).stdout  # named there as here, and as it was typed
    assert "资产管理 › 管理制度健全性" in logged


def test_the_log_shows_scores_as_elsewhere_and_refuses_an_unknown_year(county: Path) -> None:
    assert (
        run(
            "review",
            str(county / TOWN),
            "--indicator",
            "预算完成率",
            "--score",
            "1.5",
            "--reason",
            "按决算",
            "--reviewer",
            "复核组",
            cwd=county.parent,
        ).returncode
        == 0
    )
    log = run("log", str(county / TOWN), cwd=county.parent).stdout
    score_row = next(line for line in log.splitlines() if "复核 预算完成率" in line and "1.50" in line)
    assert "按决算" in score_row
    reviewer_row = next(line for line in log.splitlines() if "复核组" in line)
    assert "按决算" not in reviewer_row
    missing = run("log", str(county / TOWN), "--year", "1999", cwd=county.parent)
    assert missing.returncode == 2
    assert "工作区没有 1999 年度的数据" in missing.stderr and "已有年度：2024" in missing.stderr


def test_the_folder_summary_ranks_as_compare_does(county: Path) -> None:
    scored = run("score", str(county), "--year", "2024", "--no-cache", cwd=county.parent)
    assert scored.returncode == 0, scored.stderr
    rows = {
        line.split("│")[2].strip(): line.split("│")[1].strip() for line in scored.stdout.splitlines() if "│" in line
    }
    assert rows["上海市普陀区财政局"] == "—" and rows["重庆市长寿区洪湖镇人民政府"] == "1", rows
    assert "已退回 1 个（不参加排名）" in scored.stdout and "已复核的部门按复核总分排名" in scored.stdout
