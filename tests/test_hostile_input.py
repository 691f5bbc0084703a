"""Hostile and broken input met through the real command: huge numbers, file-system errors, hostile files,
exit codes and terminal escapes. Each case ends in one Chinese message and a documented exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import DEMO, REPO
from tests.test_import_xlsx import build_seed_workbook

NARRATIVE = DEMO / "2018" / "部门决算公开全文.txt"


def run(*args: str, cwd: Path, env: dict[str, str] | None = None, **options: Any) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160", "NO_COLOR": "1", **(env or {})}
    environment.pop("FORCE_COLOR", None)
    options.setdefault("capture_output", True)
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args], cwd=cwd, env=environment, text=True, timeout=60, **options
    )


def refused(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    """The stderr of a run that ended as it should: the exit code, a Chinese error, no traceback."""
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "错误" in result.stderr
    return result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ─── 6 huge numbers ──────────────────────────────────────────────────────────


@pytest.mark.parametrize("command", ["check", "score", "report", "compare"])
def test_an_amount_beyond_any_budget_names_its_key(workspace: Path, command: str) -> None:
    accounts = workspace / "2018" / "accounts.toml"
    replace_in(accounts, "income_total = 608.72", "income_total = 1e30")
    before = snapshot(workspace)
    message = refused(run(command, str(workspace), cwd=workspace.parent))
    assert "accounts.toml:第 9 行 本年收入合计（overview.income_total）" in message
    assert "超出金额的范围" in message
    assert snapshot(workspace) == before


@pytest.mark.parametrize(
    ("unit", "value", "words"),
    [
        ("亿元", "10000000000", "换算为万元后为 100000000000000 超出金额的范围"),
        ("元", "0.001", "换算为万元后为 0.0000001 的小数位数过多"),
    ],
)
def test_the_bound_applies_after_converting_the_unit(workspace: Path, unit: str, value: str, words: str) -> None:
    accounts = workspace / "2018" / "accounts.toml"
    replace_in(accounts, 'unit = "万元"', f'unit = "{unit}"')
    replace_in(accounts, "income_total = 608.72", f"income_total = {value}")
    message = refused(run("check", str(workspace), cwd=workspace.parent))
    assert "overview.income_total" in message and words in message


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1" + "0" * 5000, "位数过多"),
        ("0.0000000001", "小数位数过多"),
        ("inf", "有限的数字"),
        ('"' + "9" * 60 + '"', "数字过长"),
    ],
)
def test_absurd_amounts_in_accounts(workspace: Path, value: str, words: str) -> None:
    replace_in(workspace / "2018" / "accounts.toml", "income_total = 608.72", f"income_total = {value}")
    assert words in refused(run("score", str(workspace), cwd=workspace.parent))


def test_a_huge_score_or_case_count_names_its_key(workspace: Path) -> None:
    evaluation = workspace / "2018" / "evaluation.toml"
    replace_in(
        evaluation, '[indicators."input.goals.rationality"]\n', '[indicators."input.goals.rationality"]\nscore = 1e30\n'
    )
    message = refused(run("score", str(workspace), cwd=workspace.parent))
    assert "evaluation.toml:第 9 行 indicators.input.goals.rationality.score: 数值应不大于 1000" in message
    replace_in(evaluation, "score = 1e30\n", "")
    replace_in(evaluation, "cases = 0", "cases = " + "9" * 40)
    assert "compliance.cases" in refused(run("report", str(workspace), cwd=workspace.parent))


def test_a_5000_digit_number_in_pasted_text(workspace: Path, tmp_path: Path) -> None:
    pasted = tmp_path / "决算.txt"
    text = NARRATIVE.read_text(encoding="utf-8").replace("608.72", "1" + "9" * 5000, 1)
    pasted.write_text(text + "\n本年收入合计" + "9" * 5000 + "万元，增长" + "9" * 5000 + "%。\n", encoding="utf-8")
    before = snapshot(workspace)

    checked = run("check", str(workspace), "--text", str(pasted), cwd=tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stdout + checked.stderr
    assert "无法读取的数字（过长）" in checked.stdout

    imported = run("import", str(pasted), str(workspace), "--replace", "--accept-suggestions", cwd=tmp_path)
    assert imported.returncode == 1, imported.stdout + imported.stderr
    assert "Traceback" not in imported.stdout + imported.stderr
    assert "无法识别的行" in imported.stdout and "未写入任何文件" in imported.stdout
    assert snapshot(workspace) == before


def test_an_absurd_suggestion_in_the_narrative_is_not_offered(workspace: Path, tmp_path: Path) -> None:
    pasted = tmp_path / "决算.txt"
    text = NARRATIVE.read_text(encoding="utf-8").replace("年初预算为 517.7 万元", "年初预算为 99999999999999999 万元")
    pasted.write_text(text, encoding="utf-8")
    result = run("import", str(pasted), str(workspace), "--replace", "--accept-suggestions", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "99999999999999999" not in (workspace / "2018" / "accounts.toml").read_text(encoding="utf-8")


def test_a_huge_number_in_a_workbook_cell(workspace: Path, tmp_path: Path) -> None:
    book = tmp_path / "决算.xlsx"
    build_seed_workbook(book)
    workbook = load_workbook(book)
    workbook["三公"]["B5"] = 1e30
    workbook.save(book)
    before = snapshot(workspace)
    result = run("import", str(book), str(workspace), "--replace", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "“1e+30”不是金额" in result.stdout
    assert snapshot(workspace) == before


# ─── 7 hostile files and file-system errors ─────────────────────────────────


def test_an_xlsx_zip_bomb_is_refused_from_its_directory(workspace: Path, tmp_path: Path) -> None:
    seed = tmp_path / "seed.xlsx"
    build_seed_workbook(seed)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                target.writestr(item, source.read(item.filename))
                continue
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            with target.open(info, "w", force_zip64=True) as stream:
                for _ in range(200):
                    stream.write(b"<row>" * 200_000)  # 1 GB of XML in a few MB
    assert bomb.stat().st_size < 10 * 1024 * 1024
    message = refused(run("import", str(bomb), str(workspace), cwd=tmp_path))
    assert "解压后过大" in message


def test_a_malformed_workbook_xml(workspace: Path, tmp_path: Path) -> None:
    seed = tmp_path / "seed.xlsx"
    build_seed_workbook(seed)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(seed) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)
    message = refused(run("import", str(broken), str(workspace), cwd=tmp_path))
    assert "不是有效的 Excel（.xlsx）文件" in message and message.count("\n") <= 2


def test_deeply_nested_toml(workspace: Path) -> None:
    accounts = workspace / "2018" / "accounts.toml"
    accounts.write_text("format_version = 1\nyear = 2018\nx = " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    message = refused(run("check", str(workspace), cwd=workspace.parent))
    assert "accounts.toml" in message and "嵌套层数过多" in message


def test_report_out_below_a_file(workspace: Path, tmp_path: Path) -> None:
    (tmp_path / "f").write_text("not a folder", encoding="utf-8")
    message = refused(run("report", str(workspace), "--out", str(tmp_path / "f" / "r.md"), cwd=tmp_path))
    assert "f" in message and "文件" in message
    assert (tmp_path / "f").read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize(
    ("out", "said"),
    [
        ("2018/accounts.toml", "报告文件名应以 .docx、.md、.html、.htm、.xlsx 结尾（写的是“accounts.toml”）"),
        ("2018/evaluation.toml", "（写的是“evaluation.toml”）"),
        ("../报告.pdf", "（写的是“报告.pdf”）"),
        ("没有的文件夹/报告.md", "输出文件所在的文件夹不存在"),
    ],
)
def test_report_out_is_refused_where_it_would_overwrite_data_or_invent_a_folder(
    workspace: Path, out: str, said: str
) -> None:
    """A mistyped --out once wrote the report over the year's accounts.toml (the workspace broken, no backup), a
    .pdf name got a Word file, and a missing folder was made on the way."""
    before = snapshot(workspace)
    message = refused(run("report", str(workspace), "--format", "md", "--out", str(workspace / out), cwd=workspace))
    assert said in message
    assert snapshot(workspace) == before
    assert not (workspace / "没有的文件夹").exists() and not (workspace.parent / "报告.pdf").exists()


def test_report_out_naming_a_folder_says_it_is_one_and_offers_a_file_in_it(workspace: Path) -> None:
    """``--out 2018`` (a folder, no suffix) was refused as a file name without .docx, with the hint ``--out 2018.docx``
    that writes beside the folder rather than into it."""
    message = refused(run("report", str(workspace), "--out", str(workspace / "2018"), cwd=workspace))
    assert "--out 应为文件，这是一个文件夹" in message
    assert f"如 --out {workspace / '2018' / '自评报告.docx'}" in message


def test_report_to_dev_stdout_writes_into_the_pipe(workspace: Path) -> None:
    if not Path("/dev/stdout").is_symlink():
        pytest.skip("/dev/stdout is not a link on this system")
    target = os.readlink("/dev/stdout")
    try:
        result = run("report", str(workspace), "--format", "md", "--out", "/dev/stdout", cwd=workspace.parent)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("# 株洲市政务服务中心2018年度部门整体支出绩效自评报告")
        assert "已生成" not in result.stdout and "注意：" in result.stderr
        # with stdout redirected to a file, the file gets the report and /dev/stdout stays a link
        with tempfile.TemporaryFile("w+", encoding="utf-8") as redirected:
            result = run(
                "report",
                str(workspace),
                "--format",
                "md",
                "--out",
                "/dev/stdout",
                cwd=workspace.parent,
                capture_output=False,
                stdout=redirected,
                stderr=subprocess.PIPE,
            )
            redirected.seek(0)
            assert result.returncode == 0 and redirected.read().startswith("# 株洲市")
        assert Path("/dev/stdout").is_symlink()
    finally:
        if not Path("/dev/stdout").is_symlink():  # undo what a regression would have done to the machine
            os.replace("/dev/stdout", "/dev/stdout.broken")
            os.symlink(target, "/dev/stdout")


def test_report_into_a_folder_root_cannot_write(workspace: Path) -> None:
    message = refused(run("report", str(workspace), "--format", "md", "--out", "/proc/r.md", cwd=workspace.parent))
    assert "/proc" in message and "无法读写" in message


def read_only_workspace(folder: Path) -> Path:
    target = folder / "ws"
    shutil.copytree(DEMO, target, ignore=shutil.ignore_patterns("__pycache__"))
    replace_in(target / "2018" / "accounts.toml", "income_total = 608.72", "income_total = 600")
    for path in [target, *target.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return target


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody may write to (its mode decides, so the test holds when run as root too)."""
    folder = tmp_path / "ro"
    folder.mkdir()
    workspace = read_only_workspace(folder)
    folder.chmod(0o555)
    yield workspace
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_report_import_and_init_in_read_only_folders(read_only: Path, tmp_path: Path) -> None:
    workspace = read_only
    before = snapshot(workspace)
    message = refused(run("report", str(workspace), "--format", "md", cwd=tmp_path))
    assert f"{workspace / '2018'}: 文件夹是只读的" in message
    result = run("import", str(NARRATIVE), str(workspace), "--replace", cwd=tmp_path)
    assert "文件夹是只读的" in refused(result)
    message = refused(
        run(
            "init",
            str(workspace.parent / "new"),
            "--name",
            "某局",
            "--year",
            "2018",
            "--set",
            "national-2013",
            cwd=tmp_path,
        )
    )
    assert "文件夹是只读的" in message
    for out in ("c.md", "c.csv", "c.xlsx"):
        assert "文件夹是只读的" in refused(run("compare", str(workspace), "--out", str(workspace / out), cwd=tmp_path))
    assert snapshot(workspace) == before
    assert not (workspace.parent / "new").exists()


# ─── 8 exit codes ────────────────────────────────────────────────────────────


def test_usage_errors_exit_2_and_findings_exit_1(workspace: Path) -> None:
    assert "无效的选项" in refused(run("nonsense", cwd=workspace))
    assert "应为整数" in refused(run("score", str(workspace), "--year", "x", cwd=workspace))
    assert run("check", str(workspace), cwd=workspace.parent).returncode == 1  # the demo has one 勾稽 error
    assert run("score", str(workspace), cwd=workspace.parent).returncode == 0
    assert run("--help", cwd=workspace).returncode == 0


def test_a_reader_that_stops_early_ends_quietly_with_141(workspace: Path) -> None:
    """``zzperf score | head -1``: no traceback and no "findings" code when the pipe closes."""
    environment = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first line is written
    try:
        result = subprocess.run(
            [sys.executable, "-m", "zzperf", "score", str(workspace)],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=environment,
            timeout=60,
        )
    finally:
        os.close(writer)
    assert result.returncode == 141
    assert result.stderr == b""


def test_an_internal_error_writes_a_crash_report_and_exits_3(workspace: Path, tmp_path: Path) -> None:
    # A failure inside a library we use (rich), which no check of ours foresees.
    code = (
        "import sys, rich.console\n"
        "def broken(*args, **kwargs):\n"
        "    raise RuntimeError('rich failed')\n"
        "rich.console.Console.print = broken\n"
        "from zzperf.cli import main\n"
        f"sys.exit(main(['score', {str(workspace)!r}]))\n"
    )
    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("内部错误：RuntimeError: rich failed；完整报告已写入 ")
    assert result.stderr.count("\n") == 1
    reports = list((cache / "zzperf").glob("crash-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in result.stderr
    report = reports[0].read_text(encoding="utf-8")
    assert "Traceback" in report and "RuntimeError: rich failed" in report
    assert "zzperf 0." in report and "score" in report and sys.version.split()[0] in report


def test_the_crash_report_falls_back_to_the_temp_folder(workspace: Path, tmp_path: Path) -> None:
    code = (
        "import sys, rich.console\n"
        "rich.console.Console.print = lambda *args, **kwargs: 1 / 0\n"
        "from zzperf.cli import main\n"
        f"sys.exit(main(['score', {str(workspace)!r}]))\n"
    )
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(blocked), "TMPDIR": str(temp)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 3 and "ZeroDivisionError" in result.stderr
    assert len(list((temp / "zzperf").glob("crash-*.txt"))) == 1


# ─── 9 terminal escapes ──────────────────────────────────────────────────────

HOSTILE = "\x1b]0;PWNED\x07\x1b[31m\x9b2J\r"
HOSTILE_TOML = "\\u001b]0;PWNED\\u0007\\u001b[31m\\u009b2J\\r"


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for control in ("\x1b", "\x07", "\x9b", "\r"):
        assert control not in output, repr(output[max(0, output.find(control) - 40) : output.find(control) + 40])


def test_escape_sequences_from_files_never_reach_the_terminal(workspace: Path, tmp_path: Path) -> None:
    replace_in(workspace / "zzperf.toml", 'name = "株洲市政务服务中心"', f'name = "株洲{HOSTILE_TOML}中心"')
    evaluation = workspace / "2018" / "evaluation.toml"
    replace_in(evaluation, 'reason = "整体绩效目标', f'reason = "{HOSTILE_TOML}整体绩效目标')
    replace_in(
        workspace / "2018" / "accounts.toml", 'name = "一般公共服务支出"', f'name = "一般{HOSTILE_TOML}公共服务支出"'
    )
    score = run("score", str(workspace), cwd=tmp_path)
    assert_clean(score)
    assert "株洲]0;PWNED[31m2J中心" in score.stdout  # the text is shown; only its control characters are gone
    for args in (
        ("compare", str(workspace)),
        ("compare", str(workspace), "--format", "md"),
        ("compare", str(workspace), "--format", "csv"),
        ("compare", str(tmp_path)),
        ("check", str(workspace)),
        ("report", str(workspace), "--format", "md"),
        ("report", str(workspace), "--format", "md", "--out", "/dev/stdout"),
    ):
        assert_clean(run(*args, cwd=tmp_path))

    pasted = tmp_path / "决算.txt"
    pasted.write_text(
        NARRATIVE.read_text(encoding="utf-8").replace("株洲市政务服务中心", f"株洲{HOSTILE}中心"), encoding="utf-8"
    )
    assert_clean(run("import", str(pasted), str(workspace), "--dry-run", cwd=tmp_path))
    assert_clean(run("check", str(workspace), "--text", str(pasted), cwd=tmp_path))


def test_escapes_in_an_error_message_are_removed(workspace: Path) -> None:
    replace_in(workspace / "2018" / "accounts.toml", "income_total = 608.72", f'income_total = "{HOSTILE_TOML}"')
    result = run("check", str(workspace), cwd=workspace.parent)
    assert result.returncode == 2
    assert_clean(result)


def test_huge_points_in_an_indicator_set(tmp_path: Path) -> None:
    indicator_set = tmp_path / "set.toml"
    text = (REPO / "indicators" / "national-2013.toml").read_text(encoding="utf-8")
    indicator_set.write_text(text.replace("\ntotal = 100", "\ntotal = 1e30", 1), encoding="utf-8")
    message = refused(run("sets", "validate", str(indicator_set), cwd=tmp_path))
    assert "total" in message and "数值应不大于 1000" in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a Linux pseudo-terminal")
def test_an_internal_error_in_the_app_ends_in_one_line_after_it_closes(workspace: Path, tmp_path: Path) -> None:
    import fcntl
    import pty
    import select
    import struct
    import termios

    # A failure inside Textual (the key bar), which the app cannot foresee.
    code = (
        "import sys\n"
        "from zzperf.tui.widgets.footer import KeyFooter\n"
        "def broken(self):\n"
        "    raise RuntimeError('key bar failed')\n"
        "KeyFooter.styled_lines = broken\n"
        "from zzperf.cli import main\n"
        f"sys.exit(main(['open', {str(workspace)!r}]))\n"
    )
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CACHE_HOME": str(tmp_path / "cache"), "TERM": "xterm-256color"}
    process = subprocess.Popen([sys.executable, "-c", code], stdin=slave, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    screen = b""
    deadline = time.monotonic() + 30  # an app that did not fail would wait for keys forever
    while (process.poll() is None or select.select([master], [], [], 0)[0]) and time.monotonic() < deadline:
        if select.select([master], [], [], 0.2)[0]:
            try:
                screen += os.read(master, 65536)
            except OSError:
                break
    os.close(master)
    if process.poll() is None:
        process.kill()
    assert process.wait(timeout=30) == 3
    stderr = process.stderr.read().decode("utf-8")  # type: ignore[union-attr]
    assert "Traceback" not in stderr and b"Traceback" not in screen
    last = stderr.rstrip("\n").rsplit("\n", 1)[-1]
    assert "内部错误：RuntimeError: key bar failed；完整报告已写入 " in last
    assert len(list((tmp_path / "cache" / "zzperf").glob("crash-*.txt"))) == 1
