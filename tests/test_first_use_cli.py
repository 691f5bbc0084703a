"""Rough edges a new user meets on the command line: which year a command opens, rule names instead of codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from zzperf.workspace import Workspace, has_data, start_new_year


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60
    )


def test_commands_default_to_the_latest_year_with_data(demo: Path) -> None:
    workspace = Workspace(demo)
    start_new_year(workspace)
    assert workspace.years() == [2017, 2018, 2019] and not workspace.has_data(2019)
    score = run("score", str(demo), cwd=demo.parent)
    assert score.returncode == 0, score.stderr
    assert "2018" in score.stdout and "2019" not in score.stdout
    check = run("check", str(demo), cwd=demo.parent)
    assert "2018 年度决算勾稽检查" in check.stdout
    explicit = run("check", str(demo), "--year", "2019", cwd=demo.parent)  # asked for: says it has nothing yet
    assert explicit.returncode == 2 and "2019 年度还没有决算数据" in explicit.stderr, explicit.stdout
    assert "zzperf import" in explicit.stderr and "0 个错误" not in explicit.stdout


def test_a_year_counts_as_holding_data_once_anything_is_entered(demo: Path) -> None:
    workspace = Workspace(demo)
    start_new_year(workspace)
    loaded = workspace.load_year(2019)
    assert not has_data(loaded.accounts, loaded.evaluation)
    loaded.accounts.outcomes[0].actual = loaded.accounts.outcomes[0].target
    assert has_data(loaded.accounts, loaded.evaluation)
    fresh = workspace.load_year(2019)
    fresh.evaluation.report.problems = "无"
    assert has_data(fresh.accounts, fresh.evaluation)
    fresh = workspace.load_year(2019)
    fresh.accounts.overview.income_total = 0  # a zero is a figure
    assert has_data(fresh.accounts, fresh.evaluation)


def test_check_names_the_rules_and_shows_codes_only_when_asked(demo: Path) -> None:
    plain = run("check", str(demo), "--year", "2017", cwd=demo.parent)
    assert "未检查：" in plain.stdout and "--verbose" in plain.stdout
    assert "T1-" not in plain.stdout and "T6-" not in plain.stdout
    failing = run("check", str(demo), cwd=demo.parent)
    assert "公开06表：301 工资福利支出" in failing.stdout and "T6-301" not in failing.stdout
    verbose = run("check", str(demo), "--verbose", cwd=demo.parent)
    assert "T6-301" in verbose.stdout
    verbose_2017 = run("check", str(demo), "--year", "2017", "-v", cwd=demo.parent)
    assert "缺少数据：" in verbose_2017.stdout and "T1-" in verbose_2017.stdout
