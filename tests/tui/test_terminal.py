"""The commands that open the app, run as a person runs them: in a real pseudo-terminal, and from scripts.

In a terminal ``zzperf demo``, ``zzperf open`` and a bare ``zzperf`` in a workspace open the app; piped or
captured (CI) they print text and never wait for keys. A killed app leaves every file whole and readable.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import REPO
from zzperf.accounts import Accounts
from zzperf.evaluation import Evaluation
from zzperf.tomlio import load_model

ENV = {**os.environ, "PYTHONPATH": str(REPO), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "30"}


class Terminal:
    """A command running in a 100×30 pseudo-terminal, with what it has drawn so far."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        main, secondary = pty.openpty()
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "zzperf", *args],
            cwd=cwd,
            env=ENV,
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            start_new_session=True,
        )
        os.close(secondary)
        self.fd = main
        self.output = b""

    def read_until(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        wanted = text.encode()
        while wanted not in self.output:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not shown; last output: {self.output[-400:]!r}")
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())
        self.drain(0.3)

    def wait(self, timeout: float = 20) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError("the app did not exit")
            self.drain(0.1)
        os.close(self.fd)
        return self.process.returncode


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_demo_opens_the_app_in_a_terminal_and_quits_cleanly(tmp_path: Path) -> None:
    terminal = Terminal(["demo", "ws"], tmp_path)
    terminal.read_until("总分")
    terminal.read_until("已保存")
    terminal.send("\x11")  # Ctrl+Q
    assert terminal.wait() == 0
    assert (tmp_path / "ws" / "zzperf.toml").is_file()


def test_bare_zzperf_in_a_workspace_folder_opens_the_app(tmp_path: Path) -> None:
    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    terminal = Terminal([], tmp_path / "ws" / "2018")
    terminal.read_until("总分")
    terminal.send("\x11")
    assert terminal.wait() == 0


def test_killed_mid_edit_leaves_whole_files_with_what_was_saved(tmp_path: Path) -> None:
    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    workspace = tmp_path / "ws"
    terminal = Terminal(["open", "ws"], tmp_path)
    terminal.read_until("已保存")
    terminal.send("\x1bOR")  # F3: the data screen, cursor on 一般公共预算财政拨款收入
    terminal.read_until("公开01表")
    terminal.read_until("勾稽问题")  # the data screen's keys in the footer: the table has focus
    terminal.send("612.5\r")
    deadline = time.monotonic() + 30
    while load_model(workspace / "2018" / "accounts.toml", Accounts).income.general_budget != Decimal("612.5"):
        assert time.monotonic() < deadline, "the figure was not saved"
        terminal.drain(0.1)
    terminal.send("\x1bOS")  # F4: report text
    terminal.read_until("上一部分")  # its keys in the footer: the report has focus
    terminal.send("\t")
    terminal.send("正在输入")
    os.killpg(terminal.process.pid, signal.SIGKILL)
    terminal.wait()
    accounts = load_model(workspace / "2018" / "accounts.toml", Accounts)
    assert accounts.income.general_budget == Decimal("612.5")
    load_model(workspace / "2018" / "evaluation.toml", Evaluation)  # whole and valid, with or without the last words
    assert not list((workspace / "2018").glob(".*.tmp"))


def test_terminated_app_writes_what_was_typed(tmp_path: Path) -> None:
    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    workspace = tmp_path / "ws"
    terminal = Terminal(["open", "ws"], tmp_path)
    terminal.read_until("已保存")
    terminal.send("\x1bOS")  # F4
    terminal.read_until("上一部分")
    terminal.send("\t")  # into 主要成绩
    terminal.send("补充一句")
    terminal.read_until("补充一句")
    terminal.process.send_signal(signal.SIGTERM)
    terminal.wait()
    evaluation = load_model(workspace / "2018" / "evaluation.toml", Evaluation)
    assert evaluation.report.achievements.endswith("补充一句")


def test_open_outside_a_terminal_says_so(tmp_path: Path) -> None:
    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    result = run("open", "ws", cwd=tmp_path)
    assert result.returncode == 2
    assert "需要在终端中运行" in result.stderr and "zzperf score" in result.stderr
    wrong_year = run("open", "ws", "--year", "1999", cwd=tmp_path)
    assert wrong_year.returncode == 2 and "没有 1999 年度" in wrong_year.stderr
    nowhere = run("open", cwd=tmp_path)
    assert nowhere.returncode == 2 and "不是 zzperf 工作区" in nowhere.stderr


def test_bare_zzperf_outside_a_terminal_prints_help(tmp_path: Path) -> None:
    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    result = run(cwd=tmp_path / "ws")
    assert result.returncode == 0
    assert "open" in result.stdout and "demo" in result.stdout


def test_demo_without_a_terminal_prints_the_summary_and_does_not_wait(tmp_path: Path) -> None:
    result = run("demo", "ws", cwd=tmp_path)
    assert result.returncode == 0
    assert "总分" in result.stdout and "已生成演示工作区" in result.stdout
    quiet = run("demo", "ws", "--no-open", cwd=tmp_path)
    assert quiet.stdout.strip() == "已复用演示工作区：ws"


pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
