"""The TUI never writes over what someone else saved: the conflict dialog holds its own save, the workspace lock,
unsent typing in the header, and stray temporary files removed on opening."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import TextArea
from tui_helpers import build, screen_text, settle, wait_until

from zzperf.errors import ZzperfError
from zzperf.tui.screens import ConfirmScreen
from zzperf.workspace.lock import LOCK_FILE, WorkspaceLocked

SIZE = (120, 36)


def asking(app) -> bool:
    return isinstance(app.screen, ConfirmScreen)


async def type_report(pilot, text: str) -> None:
    """Type into the 主要成绩 text box (held back for half a second before it is sent and saved)."""
    app = pilot.app
    await pilot.press("f4")
    await wait_until(pilot, lambda: bool(app.query("#report-achievements")))
    area = app.query_one("#report-achievements", TextArea)
    area.focus()
    await pilot.pause()
    area.move_cursor(area.document.end)
    await pilot.press(*text)


@pytest.mark.parametrize("answer", ["disk", "mine"])
async def test_the_conflict_dialog_holds_the_save_until_the_user_answers(demo: Path, answer: str) -> None:
    path = demo / "2018" / "evaluation.toml"
    app = build(demo, watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        for attempt in range(6):
            await type_report(pilot, f"x{attempt}")
            outside = re.sub(
                r'(?m)^evaluator = ".*"$', f'evaluator = "外部修改 {attempt}"', path.read_text(encoding="utf-8")
            )
            path.write_text(outside, encoding="utf-8")
            await wait_until(pilot, lambda: asking(app))
            assert "文件在 zzperf 之外被修改" in screen_text(app)
            await settle(pilot, 1.0)  # the typing has been sent and its save tried meanwhile
            assert not app._typing() and app.session.has_pending
            assert path.read_text(encoding="utf-8") == outside, f"overwritten on attempt {attempt + 1}"
            assert "未保存" in screen_text(app)
            await pilot.click(f"#answer-{answer}")
            await wait_until(pilot, lambda: not asking(app) and not app.session.has_pending)
            saved = path.read_text(encoding="utf-8")
            if answer == "disk":
                assert saved == outside and f"x{attempt}" not in app.session.evaluation.report.achievements
            else:
                assert f"x{attempt}" in saved and f"外部修改 {attempt}" not in saved
            await pilot.press("f2")


async def test_a_second_app_on_the_workspace_is_refused_naming_the_first(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE):
        assert (demo / LOCK_FILE).is_file()
        with pytest.raises(WorkspaceLocked, match=f"进程 {os.getpid()}"):
            build(demo)
    assert not (demo / LOCK_FILE).exists()  # released on exit
    async with build(demo).run_test(size=SIZE):
        pass


async def test_import_replace_refuses_while_the_app_holds_the_workspace(demo: Path) -> None:
    accounts = demo / "2018" / "accounts.toml"
    accounts.write_text(
        accounts.read_text(encoding="utf-8").replace("income_total = 608.72", "income_total = 600.00"), encoding="utf-8"
    )
    source = demo / "2018" / "部门决算公开全文.txt"
    app = build(demo)
    async with app.run_test(size=SIZE):
        before = accounts.read_bytes()
        result = subprocess.run(
            [sys.executable, "-m", "zzperf", "import", str(source), str(demo), "--replace"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"进程 {os.getpid()}" in result.stderr and "评分界面" in result.stderr
        assert accounts.read_bytes() == before
    result = subprocess.run(
        [sys.executable, "-m", "zzperf", "import", str(source), str(demo), "--replace"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


async def test_an_outside_save_is_never_overwritten_by_a_save_already_queued(demo: Path) -> None:
    """The file changes between the poll and the save: the compare-and-swap refuses, and the dialog asks."""
    path = demo / "2018" / "evaluation.toml"
    app = build(demo)  # no polling: only the save itself can notice
    async with app.run_test(size=SIZE) as pilot:
        await type_report(pilot, "abc")
        outside = path.read_text(encoding="utf-8") + "\n# 外部修改\n"
        path.write_text(outside, encoding="utf-8")
        await wait_until(pilot, lambda: asking(app))
        assert path.read_text(encoding="utf-8") == outside
        assert app.session.conflicts


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_the_header_says_typing_is_not_saved_yet_without_moving_the_screen(
    demo: Path, size: tuple[int, int]
) -> None:
    app = build(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        height = app.query_one("#status").size.height
        await type_report(pilot, "ab")
        await wait_until(pilot, lambda: "✎ 未保存" in screen_text(app))
        assert "已保存" not in screen_text(app)
        assert app.query_one("#status").size.height == height  # the same lines: nothing below moves
        await wait_until(pilot, lambda: "● 已保存" in screen_text(app))
        assert app.query_one("#status").size.height == height
        assert "ab" in (demo / "2018" / "evaluation.toml").read_text(encoding="utf-8")


async def test_opening_removes_temporary_files_a_killed_save_left(demo: Path) -> None:
    stray = demo / "2018" / ".evaluation.toml.12345.k1ll3d.tmp"
    stray.write_text("half a file", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(stray, (an_hour_ago, an_hour_ago))
    async with build(demo).run_test(size=SIZE):
        assert not stray.exists()


def test_a_second_zzperf_open_is_refused_and_the_lock_goes_with_sigterm_or_kill(tmp_path: Path) -> None:
    from test_terminal import Terminal, run

    assert run("demo", "ws", "--no-open", cwd=tmp_path).returncode == 0
    lock = tmp_path / "ws" / LOCK_FILE
    first = Terminal(["open", "ws"], tmp_path)
    first.read_until("已保存")
    second = Terminal(["open", "ws"], tmp_path)
    second.read_until("不能打开")
    assert second.wait() == 2
    assert f"进程 {first.process.pid}".encode() in second.output and b"Traceback" not in second.output
    first.process.send_signal(signal.SIGTERM)
    first.wait()
    assert not lock.exists()  # released on SIGTERM
    killed = Terminal(["open", "ws"], tmp_path)
    killed.read_until("已保存")
    killed.process.send_signal(signal.SIGKILL)
    killed.wait()
    assert lock.exists()  # left behind by the killed one: stale, taken over by the next
    again = Terminal(["open", "ws"], tmp_path)
    again.read_until("已保存")
    again.send("\x11")  # Ctrl+Q
    assert again.wait() == 0 and not lock.exists()


@pytest.mark.parametrize("odd", ["fifo", "folder", "dangling"])
def test_the_app_refuses_an_odd_evaluation_file_and_lets_go_of_the_workspace(demo: Path, odd: str) -> None:
    path = demo / "2018" / "evaluation.toml"
    path.unlink()
    if odd == "fifo":
        os.mkfifo(path)
    elif odd == "folder":
        path.mkdir()
    else:
        path.symlink_to(demo / "不存在.toml")
    with pytest.raises(ZzperfError, match="命名管道|文件夹|不存在"):
        build(demo)
    assert not (demo / LOCK_FILE).exists()
