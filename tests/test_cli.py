"""The zzperf command as a user runs it: real files, real exit codes, no tracebacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import REPO, run_zzperf
from zzperf.workspace import Workspace


def run(
    *args: str, cwd: Path, stdin: str | None = None, columns: str | None = "160"
) -> subprocess.CompletedProcess[str]:
    """``zzperf args`` with its output piped; ``columns``: the ``COLUMNS`` it sees (None: none set)."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def test_demo_creates_then_reuses_the_workspace(tmp_path: Path) -> None:
    first = run("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "已生成演示工作区" in first.stdout
    assert "总分 65.53，等级 中（暂定）" in first.stdout
    assert "1 个错误" in first.stdout
    workspace = Workspace(tmp_path / "zzperf-demo")
    assert workspace.years() == [2017, 2018]
    (tmp_path / "zzperf-demo" / "2018" / "evaluation.toml").write_text(
        "format_version = 1\nyear = 2018\n", encoding="utf-8"
    )
    second = run("demo", cwd=tmp_path)
    assert "已复用演示工作区" in second.stdout
    # the user's files are kept, not overwritten by the demo
    assert (tmp_path / "zzperf-demo" / "2018" / "evaluation.toml").read_text(encoding="utf-8").count("\n") == 2


def test_check_reports_the_seed_error_and_exits_1(demo: Path) -> None:
    result = run("check", str(demo), cwd=demo.parent)
    assert result.returncode == 1
    assert "249.86" in result.stdout and "258.88" in result.stdout
    assert "628.15" in result.stdout and "628.16" in result.stdout
    assert "Traceback" not in result.stderr


def test_check_in_the_workspace_folder_without_argument(demo: Path) -> None:
    result = run("check", "--year", "2017", cwd=demo / "2017")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2017 年度决算勾稽检查" in result.stdout
    assert "因数据不足未检查" in result.stdout


def test_score_shows_traces_subtotals_total_and_grade(demo: Path) -> None:
    result = run("score", str(demo), cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("119.67%", "517.70", "52.63%", "109.87%", "-55.71%", "85.00%", "数据不足", "过程  31.03 / 45.00"):
        assert expected in out, expected
    assert "总分 65.53，等级 中（暂定）" in out
    assert "尚有 3 项未得分" in out


def test_score_tells_points_waiting_for_the_evaluator_from_points_lacking_data(demo: Path) -> None:
    """A subtotal's points without a score are named by why: 待评 (the evaluator's turn) apart from 数据不足."""
    out = run("score", str(demo), cwd=demo.parent).stdout
    assert "分待评" not in out  # every item of the demo without a score lacks data
    assert "投入  7.50 / 15.00（5.00 分数据不足）" in out
    assert "尚有 3 项未得分，共 17.00 分（17.00 分数据不足）" in out
    assert "5.00 分数据不足" in {row[4] for row in read_box_table(out).rows}
    evaluation = demo / "2018" / "evaluation.toml"
    text = evaluation.read_text(encoding="utf-8")
    judged = text[
        text.index('[indicators."input.goals.rationality"]') : text.index('[indicators."input.goals.clarity"]')
    ]
    evaluation.write_text(text.replace(judged, ""), encoding="utf-8")  # 绩效目标合理性 (2 分) not judged yet
    out = run("score", str(demo), cwd=demo.parent).stdout
    assert "投入  6.00 / 15.00（2.00 分待评、5.00 分数据不足）" in out
    assert "尚有 4 项未得分，共 19.00 分（2.00 分待评、17.00 分数据不足）" in out
    assert "2.00 分待评、" in "".join(row[4] for row in read_box_table(out).rows)  # the subtotal's state, wrapped


@pytest.mark.parametrize(("columns", "width"), [("60", 60), ("100", 100), ("200", 200), (None, 120), ("abc", 120)])
def test_piped_output_is_as_wide_as_columns_says(demo: Path, columns: str | None, width: int) -> None:
    """Piped output follows ``COLUMNS`` when it is a width; 120 columns when it is not set or not a number."""
    from rich.cells import cell_len

    result = run("score", str(demo), cwd=demo.parent, columns=columns)
    assert result.returncode == 0, result.stderr
    table = read_box_table(result.stdout)
    assert {cell_len(line) for line in table.lines} == {width}
    assert any("119.67%" in cell for row in table.rows for cell in row)  # a figure whole at every width


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "nowhere"), "目录不存在"),
        (("score", ".", "--year", "1999"), "没有 1999 年度"),
        (("check",), "不是 zzperf 工作区"),
        (("sets", "validate", "missing.toml"), "文件不存在"),
        (("init", "x"), "缺少 --name"),
        (("frobnicate",), "无效的选项"),
    ],
)
def test_user_mistakes_give_one_clear_message(tmp_path: Path, demo: Path, args: tuple[str, ...], message: str) -> None:
    cwd = demo if "--year" in args else tmp_path
    result = run(*args, cwd=cwd)
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_broken_accounts_file_is_reported_and_left_untouched(demo: Path) -> None:
    path = demo / "2018" / "accounts.toml"
    broken = path.read_text(encoding="utf-8").replace("income_total = 608.72", 'income_total = "六百零八"')
    path.write_text(broken, encoding="utf-8")
    result = run("score", str(demo), cwd=demo.parent)
    assert result.returncode == 2
    assert "accounts.toml" in result.stderr and "overview.income_total" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


def test_init_creates_a_workspace_that_scores(tmp_path: Path) -> None:
    result = run("init", "dept", "--name", "某某局", "--year", "2024", "--set", "hunan-yueyang", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    workspace = Workspace(tmp_path / "dept")
    assert workspace.profile.name == "某某局"
    assert workspace.years() == [2024]
    card = workspace.score(2024)
    assert card.scored_count == 0 and not card.complete
    again = run("init", "dept", "--name", "x", "--year", "2024", cwd=tmp_path)
    assert again.returncode == 2 and "已经是 zzperf 工作区" in again.stderr


def test_init_refuses_an_unknown_set_before_writing(tmp_path: Path) -> None:
    result = run("init", "dept", "--name", "某某局", "--year", "2024", "--set", "hunan", cwd=tmp_path)
    assert result.returncode == 2
    assert "找不到指标体系" in result.stderr and "hunan-yueyang" in result.stderr
    assert not (tmp_path / "dept").exists()


def test_sets_list_and_validate(tmp_path: Path) -> None:
    listed = run("sets", "list", cwd=tmp_path)
    assert listed.returncode == 0
    assert "national-2013" in listed.stdout and "zhuzhou-zwfw" in listed.stdout
    valid = run("sets", "validate", str(REPO / "indicators" / "zhuzhou-zwfw.toml"), cwd=tmp_path)
    assert valid.returncode == 0 and "有效" in valid.stdout
    broken = tmp_path / "broken.toml"
    broken.write_text(
        (REPO / "indicators" / "zhuzhou-zwfw.toml")
        .read_text(encoding="utf-8")
        .replace("staffing.in_service / staffing.authorized", "staffing.in_servce / staffing.authorized"),
        encoding="utf-8",
    )
    invalid = run("sets", "validate", str(broken), cwd=tmp_path)
    assert invalid.returncode == 2
    assert "staffing.in_servce" in invalid.stderr and "staffing.in_service" in invalid.stderr


def test_installed_package_finds_its_data(tmp_path: Path) -> None:
    """A plain `pip install .` ships indicators/ and the demo inside the package (checked when installed)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    probe = subprocess.run(
        [sys.executable, "-c", "import zzperf, sys; print(zzperf.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.skip("zzperf is not installed in this environment")
    installed = Path(probe.stdout.strip()).parent
    if installed == REPO / "zzperf":
        pytest.skip("editable install: the checkout is the package")
    assert (installed / "indicators" / "zhuzhou-zwfw.toml").is_file()
    assert (installed / "reports").is_dir()
    result = subprocess.run(
        [sys.executable, "-m", "zzperf", "demo", "--no-open"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_reset_refuses_a_workspace_that_is_not_the_demo(tmp_path: Path) -> None:
    assert run("init", "mine", "--name", "测试局", "--year", "2024", cwd=tmp_path).returncode == 0
    before = (tmp_path / "mine" / "zzperf.toml").read_bytes()
    for args in (("demo", "mine", "--reset", "--no-open"), ("demo", "mine", "--no-open")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2 and "不是演示工作区" in result.stderr
    assert (tmp_path / "mine" / "zzperf.toml").read_bytes() == before
    assert run("demo", "d", "--no-open", cwd=tmp_path).returncode == 0
    assert run("demo", "d", "--reset", "--no-open", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("year", ["99999", "1999", "0"])
def test_init_rejects_a_bad_year_and_writes_nothing(tmp_path: Path, year: str) -> None:
    result = run("init", "ws", "--name", "某局", "--year", year, cwd=tmp_path)
    assert result.returncode == 2 and "不在 2000–2100 之间" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "ws").exists()


def test_files_where_folders_belong(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    for args in (("demo", "afile", "--no-open"), ("init", "afile", "--name", "x", "--year", "2024")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 2 and "这是一个文件，不是目录" in result.stderr


def test_init_with_own_set_copies_it_into_the_workspace(tmp_path: Path) -> None:
    own = tmp_path / "my.toml"
    own.write_text((REPO / "indicators" / "hunan-yueyang.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    result = run("init", "../ws", "--name", "某局", "--year", "2024", "--set", "../my.toml", cwd=tmp_path / "sub")
    assert result.returncode == 0, result.stderr
    own.unlink()
    score = run("score", "ws", cwd=tmp_path)
    assert score.returncode == 0, score.stderr
    assert (tmp_path / "ws" / "indicator-set.toml").is_file()


def test_init_adds_a_year_to_an_existing_workspace(demo: Path) -> None:
    result = run("init", str(demo), "--year", "2019", cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    workspace = Workspace(demo)
    assert workspace.years() == [2017, 2018, 2019]
    outcomes = workspace.load_accounts(2019).outcomes
    assert [o.target for o in outcomes][:2] == [50000, 900] and all(o.actual is None for o in outcomes)
    again = run("init", str(demo), "--year", "2019", cwd=demo.parent)
    assert again.returncode == 2 and "已有 2019 年度" in again.stderr


def test_interactive_init_asks_and_survives_end_of_input(tmp_path: Path) -> None:
    """In a terminal init asks for name, year and set; Ctrl-D at a prompt cancels cleanly."""
    import pty

    def session(answers: bytes) -> tuple[int, str]:
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(tmp_path)
            os.environ["PYTHONPATH"] = str(REPO)
            os.execv(sys.executable, [sys.executable, "-m", "zzperf", "init", "dept"])
        os.write(fd, answers)
        output = b""
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")

    code, output = session(b"\x04")
    assert code == 2 and "已取消" in output and "Traceback" not in output
    code, output = session("某某局\n2024\n2\n".encode())
    assert code == 0, output
    assert "部门（单位）名称" in output and "指标体系" in output
    assert Workspace(tmp_path / "dept").profile.indicator_set == "hunan-yueyang"


def test_score_shows_an_absolute_value_as_people_write_it(demo: Path) -> None:
    """The 预算调整率 formula is abs(…) in the indicator set; the user reads |…|, never the function's name."""
    shown = run("score", str(demo), "--year", "2018", cwd=demo.parent, columns="300")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    assert "预算调整率 = |一般公共预算财政拨款收入 608.72 − 年初预算 517.70| ÷ 年初预算 517.70 = 17.58%" in out
    assert "abs" not in out and "min(" not in out and "max(" not in out


# ─── paragraphs and table cells broken as Chinese is set ───


def test_a_finding_keeps_each_name_with_its_figure_at_80_columns(demo: Path) -> None:
    """A name after “，” or “：” goes to the next line with its figure, not cut to its last 8 characters."""
    out = run_zzperf("check", str(demo), cwd=demo.parent, columns=80).stdout
    for words in ("财政拨款本年收入合计 608.72 +", "年初财政拨款结转和结余 19.44 +", "财政拨款本年支出合计 619.54 +"):
        assert words in out, out


def test_score_words_stay_whole_in_the_table_at_80_columns(demo: Path) -> None:
    out = run_zzperf("score", str(demo), cwd=demo.parent, columns=80).stdout
    states = [line.split("│")[5].strip() for line in out.splitlines() if line.count("│") == 7]
    assert "5.00 分" in states and "数据不足" in states, states  # not “5.00 分数据 / 不足”
    assert "5.00 分数据" not in states and "不足" not in states


@pytest.mark.parametrize(("command", "columns"), [(("check", "--year", "2017"), 80), (("score",), 120)])
def test_paragraphs_after_the_tables_are_wrapped_at_the_output_width(
    demo: Path, command: tuple[str, ...], columns: int
) -> None:
    """The lines below a table are broken by zzperf at the table's width, not left to the terminal, which splits
    them anywhere (a “；” opening a line, “服务对象满意 / 度”)."""
    from rich.cells import cell_len

    out = run_zzperf(command[0], str(demo), *command[1:], cwd=demo.parent, columns=columns).stdout
    lines = out.splitlines()
    assert all(cell_len(line) <= columns for line in lines), [line for line in lines if cell_len(line) > columns]
    assert not any(line.startswith(("；", "，", "。", "）")) for line in lines), out
    if command[0] == "check":
        below = out[out.index("未检查：") :].replace("\n", "")
        assert below.startswith("未检查：公开01表：收入总计 = 本年收入合计") and below.endswith("及原因）")
    else:
        assert any("服务对象满意度（数据不足）" in line for line in lines), out


def test_the_lock_message_has_no_space_before_its_verb_and_keeps_the_date_and_time_whole(demo: Path) -> None:
    """The 2nd opener is told who holds the workspace since when: no space before 打开, and “2026-12-06 22:11:48”
    kept on one line wherever the message is broken into lines."""
    from zzperf.output.lines import wrap
    from zzperf.workspace.lock import LOCK_FILE, WorkspaceLock

    lock = WorkspaceLock.acquire(demo)
    try:
        (demo / LOCK_FILE).write_text(  # the same file, still locked: its holder started at a known time
            f'{{"pid": {os.getpid()}, "host": "{os.uname().nodename}", "user": "someone", '
            '"started": "2026-12-06 22:11:48"}\n',
            encoding="utf-8",
        )
        result = run_zzperf("init", str(demo), "--year", "2019", cwd=demo.parent, columns=80)
    finally:
        lock.release()
    assert result.returncode == 2
    message = result.stderr.splitlines()[0].split(": ", 1)[1]
    assert "22:11:48 起）打开，" in message
    for width in range(30, 81, 5):
        assert any("2026-12-06 22:11:48" in line for line in wrap(message, width)), width


@pytest.mark.parametrize("command", ["review", "check", "report", "import"])
def test_a_commands_help_says_what_it_does_and_lines_its_descriptions_up(command: str, tmp_path: Path) -> None:
    """Each option's description starts in one column as the terminal shows it: a name holding Chinese (two cells a
    character) pushed its description to the right; and the help opens with what ``zzperf --help`` says of it."""
    from rich.cells import cell_len

    listed = run_zzperf("--help", cwd=tmp_path).stdout
    said = next(line.split(maxsplit=1)[1] for line in listed.splitlines() if line.split()[:1] == [command])
    shown = run_zzperf(command, "--help", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert said in shown.stdout
    columns = set()
    for line in shown.stdout.splitlines():
        named = re.match(r"(  \S.*?\S)(  +)\S", line)  # an option or argument and its description
        if named:
            columns.add(cell_len(named[1]) + len(named[2]))
    assert len(columns) == 1, (columns, shown.stdout)
    headings = [line for line in shown.stdout.splitlines() if re.fullmatch(r"[\u4e00-\u9fff]+[:：]", line)]
    assert headings and all(heading.endswith("：") for heading in headings), headings  # 参数：, 选项：, as 用法：


@pytest.mark.parametrize(
    ("words", "usage"),
    [
        (["score", "{demo}", "--bogus"], "用法：zzperf score "),
        (["review", "{demo}", "--bogus"], "用法：zzperf review "),
        (["check", "{demo}", "extra"], "用法：zzperf check "),
        (["--bogus"], "用法：zzperf [-h] [--version] 命令"),
    ],
)
def test_an_unknown_option_is_refused_with_the_commands_own_usage(demo: Path, words: list[str], usage: str) -> None:
    """``zzperf score 工作区 --bogus`` showed the usage of zzperf as a whole (``zzperf [-h] 命令 ...``)."""
    result = run_zzperf(*(word.format(demo=demo) for word in words), cwd=demo.parent)
    assert result.returncode == 2
    assert result.stderr.startswith(usage), result.stderr
    assert f"错误：无法识别的参数: {words[-1]}" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_leaves_of_one_name_are_told_apart_in_the_lists_of_score_and_the_report(tmp_path: Path) -> None:
    """The national set has two “管理制度健全性” (预算管理 and 资产管理): the list of items not yet scored named
    “管理制度健全性（待评）” twice; each now carries the group above it, as ``--indicator`` takes it."""
    workspace = tmp_path / "ws"
    assert run_zzperf("init", str(workspace), "--year", "2018", "--name", "测试单位", cwd=tmp_path).returncode == 0
    shown = run_zzperf("score", str(workspace), cwd=tmp_path, columns=400).stdout
    assert "预算管理 › 管理制度健全性（待评）" in shown and "资产管理 › 管理制度健全性（待评）" in shown
    assert "、管理制度健全性（" not in shown
    out = tmp_path / "报告.md"
    assert run_zzperf("report", str(workspace), "--format", "md", "--out", str(out), cwd=tmp_path).returncode == 0
    pending = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert any(line.startswith("- 预算管理 › 管理制度健全性（") for line in pending)
    assert any(line.startswith("- 资产管理 › 管理制度健全性（") for line in pending)


def test_a_years_folder_stands_for_its_workspace_and_year(demo: Path) -> None:
    """``zzperf check demo/2018`` checks 2018 of the workspace demo; run inside demo/2017, a command works on 2017."""
    given = run("check", str(demo / "2018"), cwd=demo.parent)
    assert given.returncode == 1, given.stderr  # the seed's errors, found
    assert "2018 年度决算勾稽检查" in given.stdout and "249.86" in given.stdout

    earlier = run("score", "2017", cwd=demo)
    assert earlier.returncode == 0, earlier.stderr
    assert "2017 年度部门整体支出绩效自评" in earlier.stdout

    inside = run("score", cwd=demo / "2017")
    assert "2017 年度部门整体支出绩效自评" in inside.stdout
    chosen = run("score", "--year", "2018", cwd=demo / "2017")  # inside a year's folder --year still chooses
    assert "总分 65.53" in chosen.stdout

    clash = run("score", str(demo / "2018"), "--year", "2017", cwd=demo.parent)
    assert clash.returncode == 2
    assert "这是 2018 年度的目录，与 --year 2017 不一致" in clash.stderr
    assert "Traceback" not in clash.stderr

    state = run("state", "demo/2018", cwd=demo.parent)  # a command without --year takes the workspace
    assert state.returncode == 0, state.stderr
    assert "2017 │ 草稿" in state.stdout and "2018 │ 草稿" in state.stdout


def test_year_inside_names_the_year_folder_a_path_is_in(tmp_path: Path) -> None:
    from zzperf.cli_setup import year_inside

    assert year_inside(tmp_path, tmp_path / "2018") == 2018
    assert year_inside(tmp_path, tmp_path / "2018" / "材料") == 2018
    assert year_inside(tmp_path, tmp_path) is None
    assert year_inside(tmp_path, tmp_path / "材料") is None


def test_version_and_a_file_given_for_the_workspace(demo: Path) -> None:
    from zzperf import __version__

    shown = run("--version", cwd=demo.parent)
    assert shown.returncode == 0 and shown.stdout.strip() == f"zzperf {__version__}"
    wrong = run("score", str(demo / "2018" / "accounts.toml"), cwd=demo.parent)
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "这是一个文件，不是工作区目录" in wrong.stderr and f"如 {demo / '2018'}" in wrong.stderr, wrong.stderr
    assert "缺少 zzperf.toml" not in wrong.stderr
