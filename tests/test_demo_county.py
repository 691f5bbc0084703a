"""``zzperf demo --county``: the county folder as a reviewer meets it, through the CLI, and its sources."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import REPO, run_zzperf
from zzperf.cli_county import COUNTY_SOURCE, ROLES, SEED_NAME, SOURCES_NOTE
from zzperf.review import load_submission, read_log
from zzperf.review.scores import load_review
from zzperf.tomlio import read_toml
from zzperf.workspace import Workspace


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_zzperf(*args, cwd=cwd, user="复核员")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("county")
    made = run("demo", "--county", "县", cwd=base)
    assert made.returncode == 0, made.stderr
    assert "5 个部门" in made.stdout
    return base / "县"


def test_every_department_is_a_workspace_with_a_source_entry(county: Path) -> None:
    note = (county / SOURCES_NOTE).read_text(encoding="utf-8")
    folders = sorted(path.name for path in county.iterdir() if path.is_dir())
    assert folders == sorted([SEED_NAME, *(role.folder for role in ROLES)])
    for folder in folders:
        profile, _ = read_toml(county / folder / "zzperf.toml")
        assert f"| {profile['name']} |" in note, f"{folder} 没有来源条目"
    assert "演示场景" in note


def test_every_shipped_figure_file_names_its_source() -> None:
    """Each accounts.toml of the county data says in its heading where its figures come from."""
    files = sorted(COUNTY_SOURCE.glob("*/*/accounts.toml"))
    assert len(files) == len(ROLES)
    for path in files:
        heading = path.read_text(encoding="utf-8").split("format_version")[0]
        assert "来源说明" in heading and "公开" in heading, path


def test_check_score_compare_over_the_folder(county: Path) -> None:
    checked = run("check", str(county), "--year", "2024", cwd=county.parent)
    # 普陀区财政局 and 洪湖镇 are scored, 来凤街道 is not; the departments of other years are named as such,
    # and having no 2024 is not a failure
    summary = "排名 1 个部门；已退回 1 个（不参加排名）；未自评 1 个；没有 2024 年度数据 2 个；未能读取 0 个"
    assert checked.returncode == 0 and summary in checked.stdout, checked.stdout
    scored = run("score", str(county), "--year", "2024", "--out", "汇总.csv", cwd=county.parent)
    assert scored.returncode == 0 and summary in scored.stdout, scored.stdout
    with (county.parent / "汇总.csv").open(encoding="utf-8-sig", newline="") as handle:
        states = {row["部门"]: (row["状态"], row["说明"]) for row in csv.DictReader(handle)}
    assert states["天水市幼儿园"] == ("无该年度", "已有年度：2017")
    assert states["株洲市政务服务中心"] == ("无该年度", "已有年度：2017、2018")
    compared = run("compare", str(county), "--year", "2024", cwd=county.parent)
    assert compared.returncode == 0, compared.stderr
    assert "2 个工作区没有 2024 年度的数据，未参加排名：天水市幼儿园、株洲市政务服务中心" in compared.stdout
    assert "未能读取" not in compared.stdout + compared.stderr
    ranking = compared.stdout.split("没有 2024")[0]
    # the returned department's inflated self-score is not ranked: the submitted one is first, the returned one after
    assert re.search(r"│\s+1\s+│\s+重庆市长寿区洪.*68\.70", ranking), ranking
    assert re.search(r"│\s+—\s+│\s+上海市普陀区财.*100\.00", ranking), ranking
    table = read_box_table(compared.stdout)
    starts = [number for number, row in enumerate(table.rows) if row[0]]
    returned = table.rows[starts[1] : starts[2]]  # its lines, the department's name and 提示 wrapped over them
    assert returned[0][table.heads.index("状态")] == "退回"
    hints = "".join(row[table.heads.index("提示")] for row in returned).replace(" ", "")
    assert "自评明显偏高：高于复核50.00分" in hints and "已退回" in hints and "不参加排名" in hints
    assert [row[table.heads.index("状态")] for row in table.rows if row[0]] == ["已提交", "退回", "草稿"]
    out = county.parent / "排名.csv"
    assert run("compare", str(county), "--year", "2024", "--out", str(out), cwd=county.parent).returncode == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        ranked = {row["部门"]: (row["状态"], row["复核提示"]) for row in csv.DictReader(handle)}
    assert ranked["上海市普陀区财政局"][0] == "退回" and "自评明显偏高" in ranked["上海市普陀区财政局"][1]
    assert "3 个部门" in compared.stdout


def test_the_seed_department_shows_its_real_check_errors(county: Path) -> None:
    checked = run("check", str(county / SEED_NAME), cwd=county.parent)
    assert checked.returncode == 1, checked.stderr  # errors found
    errors = int(re.search(r"共 (\d+) 个错误", checked.stdout).group(1))
    assert errors > 0
    refused = run("submit", str(county / SEED_NAME), "--year", "2018", cwd=county.parent)
    assert refused.returncode == 2 and "勾稽错误" in refused.stderr


def test_states_reviews_and_logs(county: Path) -> None:
    states = {role.folder: load_submission(county / role.folder, role.year).state for role in ROLES}
    assert states == {
        "重庆市璧山区来凤街道办事处": "draft",
        "重庆市长寿区洪湖镇人民政府": "submitted",
        "天水市幼儿园": "approved",
        "上海市普陀区财政局": "returned",
    }
    unscored = Workspace(county / "重庆市璧山区来凤街道办事处").score(2024)
    assert all(result.final_score is None for result in unscored.results.values())
    inflated = Workspace(county / "上海市普陀区财政局")
    card = inflated.score(2024)
    review = load_review(inflated, 2024)
    assert review is not None
    below = [key for key, entry in review.indicators.items() if entry.score < card.results[key].final_score]
    assert len(below) >= 5  # the 复核 sits well below the self scores
    overridden = [r for r in card.results.values() if r.auto_score is not None and r.final_score > r.auto_score]
    assert overridden, "some automatic score is raised above what the 决算 gives"
    for folder in [SEED_NAME, *(role.folder for role in ROLES)]:
        verified = run("verify", str(county / folder), cwd=county.parent)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    log = run("log", str(county / "上海市普陀区财政局"), cwd=county.parent)
    assert log.returncode == 0 and "共 60 条记录" in log.stdout
    *_, totals, note = run("review", str(county / "上海市普陀区财政局"), cwd=county.parent).stdout.splitlines()
    # the grade 差 is named as a grade, apart from the difference in points; one item is left at its 自评 score
    assert totals == (
        "自评总分 100.00，复核总分 50.00（暂定：已复核 27/28 项，其余按自评计），复核等级 差；"
        "自评比复核高 50.00 分，自评明显偏高"
    )
    assert note == "复核提示：9 项公式指标缺数据，由评价人给分"
    assert {entry.who for entry in read_log(county / "上海市普陀区财政局")} == {
        "部门评价组（演示）",
        "财政局复核组（演示）",
    }


def test_review_takes_an_indicator_by_its_name_and_says_which_when_the_name_is_not_enough(
    county: Path, tmp_path: Path
) -> None:
    department = tmp_path / "上海市普陀区财政局"
    shutil.copytree(county / "上海市普陀区财政局", department)
    done = run("review", str(department), "--indicator", "三公经费变动率", "--opinion", "请补佐证", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "已记录复核：“三公经费”变动率（input.allocation.three_public_change）。" in done.stdout
    review = load_review(Workspace(department), 2024)
    assert review is not None and review.indicators["input.allocation.three_public_change"].opinion == "请补佐证"
    same = run("review", str(department), "--indicator", "管理制度健全性", "--opinion", "x", cwd=tmp_path)
    assert same.returncode == 2 and "Traceback" not in same.stderr
    assert "有 2 个末级指标名为“管理制度健全性”" in same.stderr
    assert "（过程/预算管理，process.management.rules）" in same.stderr and "process.assets.rules" in same.stderr
    unknown = run("review", str(department), "--indicator", "三公经费控制", "--opinion", "x", cwd=tmp_path)
    assert unknown.returncode == 2 and "指标体系中没有末级指标“三公经费控制”" in unknown.stderr
    assert "是不是 “三公经费”控制率（process.execution.three_public_control）？" in unknown.stderr
    group = run("review", str(department), "--indicator", "预算执行", "--opinion", "x", cwd=tmp_path)
    assert group.returncode == 2 and "“预算执行”不是末级指标" in group.stderr and "预算完成率" in group.stderr
    assert review == load_review(Workspace(department), 2024)  # nothing written by a refused command


def test_a_second_run_into_the_same_folder_is_refused(county: Path) -> None:
    again = run("demo", "--county", str(county), cwd=county.parent)
    assert again.returncode == 2
    assert "不是空目录" in again.stderr and "Traceback" not in again.stderr


def test_a_year_no_department_has_is_one_clear_error(county: Path) -> None:
    for command in ("check", "score", "compare"):
        refused = run(command, str(county), "--year", "2030", cwd=county.parent)
        assert refused.returncode == 2, (command, refused.stdout)
        assert "这些工作区都没有 2030 年度的数据" in refused.stderr and "Traceback" not in refused.stderr


FIGURE_CELL = re.compile(r"([+-]?\d+\.\d\d|—)?")
"""A score cell shown whole: a figure with two decimals, a dash, or nothing (a wrapped row's next line)."""


@pytest.mark.parametrize("width", [60, 80, 120])
def test_review_log_and_state_tables_fit_the_terminal_and_cut_nothing(county: Path, width: int) -> None:
    """``zzperf review``, ``log`` and ``state`` at 60, 80 and 120 columns: every table as wide as the terminal at
    most, every score whole on one line, every name and comment there (wrapped as Chinese is set)."""
    from rich.cells import cell_len

    department = county / "上海市普陀区财政局"
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(width)}
    outputs = {}
    for command in ("review", "log", "state"):
        result = subprocess.run(
            [sys.executable, "-m", "zzperf", command, str(department)],
            cwd=county,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        table = read_box_table(result.stdout)
        assert max(cell_len(line) for line in table.lines) <= width, command
        outputs[command] = (result.stdout, table)

    text, review = outputs["review"]
    for head in ("分值", "自评", "复核", "差"):
        column = review.heads.index(head)
        assert all(FIGURE_CELL.fullmatch(row[column]) for row in review.rows), (head, [r[column] for r in review.rows])
    names = review.column("指标").replace(" ", "")
    assert all(name in names for name in ("绩效目标合理性", "结转结余变动率")) and "input." not in names
    # no column of ids (--indicator takes the name shown): the words have the room, nothing is left out
    assert "编号" not in review.heads and "input.goals.goal_soundness" not in text and "未显示" not in text
    reasons = review.heads.index("理由")
    assert cell_len(review.rows[0][reasons]) >= {60: 4, 80: 8, 120: 20}[width], review.rows[0]
    assert "自评高于决算数据所得2.00分" in review.column("提示").replace(" ", "")

    text, log = outputs["log"]
    stamps = [row[log.heads.index("时间")] for row in log.rows]
    assert all(re.fullmatch(r"(\d{4}-\d\d-\d\d( \d\d:\d\d:\d\d)?|\d\d:\d\d:\d\d)?", stamp) for stamp in stamps)
    assert "提交状态" in log.column("内容")
    assert ("序号" in log.heads) == (width >= 80)
    assert ("终端宽度不够，未显示：序号" in text) == (width < 80)
    if width >= 80:  # file names and hashes whole on one line, the one year in the title
        assert {"accounts.toml", "evaluation.toml"} <= set(log.column("内容").split() + [r[3] for r in log.rows])
        assert all(re.fullmatch(r"[0-9a-f]{8}…", row[5]) for row in log.rows if row[5].endswith("…"))
        assert "2024 年度修改记录" in text

    _, state = outputs["state"]
    assert state.column("状态") == "退回"
    assert "请按复核意见逐项修改后重新提交。" in state.column("意见").replace(" ", "")
