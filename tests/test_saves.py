"""Saves that never overwrite what someone else saved, nor replace what they should not; odd files are errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from zzperf.errors import ConflictError, ZzperfError
from zzperf.workspace import Workspace
from zzperf.workspace.lock import LOCK_FILE, WorkspaceLock, WorkspaceLocked


def zzperf(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zzperf", *map(str, args)], capture_output=True, text=True, timeout=60, cwd=cwd
    )


def differ_from_the_import(root: Path) -> None:
    """Change one figure, so that importing the demo's text would replace it."""
    path = root / "2018" / "accounts.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("income_total = 608.72", "income_total = 600.00"), encoding="utf-8"
    )


def evaluation_path(root: Path) -> Path:
    return root / "2018" / "evaluation.toml"


def scored(workspace: Workspace, score: str) -> None:
    evaluation = workspace.load_evaluation(2018)
    entry = next(iter(evaluation.indicators.values()))
    evaluation.indicators[next(iter(evaluation.indicators))] = entry.model_copy(update={"score": Decimal(score)})
    workspace.save_evaluation(evaluation)


# ─── compare-and-swap ───


def test_a_save_refuses_to_overwrite_a_file_changed_since_it_was_read(demo: Path) -> None:
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    path = evaluation_path(demo)
    outside = path.read_text(encoding="utf-8") + "\n# 另一个人的修改\n"
    path.write_text(outside, encoding="utf-8")
    with pytest.raises(ConflictError, match="已被其他程序修改"):
        workspace.save_evaluation(evaluation)
    assert path.read_text(encoding="utf-8") == outside
    assert not list(path.parent.glob(".*.tmp"))


def test_two_writers_do_not_lose_each_other_s_work(demo: Path) -> None:
    first, second = Workspace(demo), Workspace(demo)
    first_copy, second_copy = first.load_evaluation(2018), second.load_evaluation(2018)
    first.save_evaluation(first_copy.model_copy(update={"evaluator": "甲"}))
    with pytest.raises(ConflictError):
        second.save_evaluation(second_copy.model_copy(update={"evaluator": "乙"}))
    assert Workspace(demo).load_evaluation(2018).evaluator == "甲"


RACER = """
import sys
from pathlib import Path
from zzperf.editing import update_report
from zzperf.errors import ConflictError
from zzperf.workspace import Workspace
root, name = Path(sys.argv[1]), sys.argv[2]
for round in range(20):
    while True:
        workspace = Workspace(root)
        evaluation = workspace.load_evaluation(2018)
        text = evaluation.report.achievements + f"<{name}{round}>"
        try:
            workspace.save_evaluation(update_report(evaluation, achievements=text))
            break
        except ConflictError:
            continue
"""


def test_two_processes_saving_at_once_keep_every_save(demo: Path) -> None:
    racers = [subprocess.Popen([sys.executable, "-c", RACER, str(demo), name]) for name in ("甲", "乙")]
    assert [racer.wait(timeout=120) for racer in racers] == [0, 0]
    text = Workspace(demo).load_evaluation(2018).report.achievements
    assert all(f"<{name}{round}>" in text for name in ("甲", "乙") for round in range(20))


def test_a_writer_saves_again_over_its_own_last_write(demo: Path) -> None:
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    workspace.save_evaluation(evaluation.model_copy(update={"evaluator": "甲"}))
    workspace.save_evaluation(evaluation.model_copy(update={"evaluator": "乙"}))
    assert Workspace(demo).load_evaluation(2018).evaluator == "乙"


def test_import_replace_refuses_when_the_file_changed_after_it_was_read(demo: Path) -> None:
    from zzperf.importing import plan_import, read_import, write_import

    source = demo / "2018" / "部门决算公开全文.txt"
    differ_from_the_import(demo)
    workspace = Workspace(demo)
    plan = plan_import(workspace, read_import(source))
    assert plan.needs_replace
    accounts = demo / "2018" / "accounts.toml"
    outside = accounts.read_text(encoding="utf-8") + "\n# 手工改过\n"
    accounts.write_text(outside, encoding="utf-8")
    with pytest.raises(ConflictError):
        write_import(workspace, plan, replace=True)
    assert accounts.read_text(encoding="utf-8") == outside


def test_import_refuses_when_the_same_program_saved_the_file_after_planning(demo: Path) -> None:
    """The evaluation screen plans an import, then writes a figure typed meanwhile: the import must not undo it."""
    from zzperf.importing import plan_import, read_import, write_import

    differ_from_the_import(demo)
    workspace = Workspace(demo)
    plan = plan_import(workspace, read_import(demo / "2018" / "部门决算公开全文.txt"))
    accounts = workspace.load_accounts(2018)
    accounts.overview.carryover_end = Decimal("9.99")
    workspace.save_accounts(accounts)
    with pytest.raises(ConflictError):
        write_import(workspace, plan, replace=True)
    assert Workspace(demo).load_accounts(2018).overview.carryover_end == Decimal("9.99")


def test_import_replace_writes_and_backs_up_when_nothing_changed_meanwhile(demo: Path) -> None:
    from zzperf.importing import plan_import, read_import, write_import

    differ_from_the_import(demo)
    workspace = Workspace(demo)
    plan = plan_import(workspace, read_import(demo / "2018" / "部门决算公开全文.txt"))
    written = write_import(workspace, plan, replace=True)
    assert Workspace(demo).load_accounts(2018).overview.income_total == Decimal("608.72")
    assert [path.name.startswith("accounts.toml.bak-") for path in written.backups] == [True]


# ─── the workspace lock ───


def test_a_second_holder_is_told_who_has_the_workspace(demo: Path) -> None:
    lock = WorkspaceLock.acquire(demo)
    try:
        with pytest.raises(WorkspaceLocked, match=f"进程 {os.getpid()}"):
            WorkspaceLock.acquire(demo)
        assert (demo / LOCK_FILE).is_file()
    finally:
        lock.release()
    assert not (demo / LOCK_FILE).exists()
    WorkspaceLock.acquire(demo).release()


def test_a_lock_left_by_a_dead_process_is_taken_over(demo: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (demo / LOCK_FILE).write_text(
        f'{{"pid": {pid}, "host": "{os.uname().nodename}", "user": "x", "started": "2026-01-01 08:00:00"}}\n',
        encoding="utf-8",
    )
    lock = WorkspaceLock.acquire(demo)
    try:
        assert lock.took_over is not None and lock.took_over.pid == pid
        assert f'"pid": {os.getpid()}' in (demo / LOCK_FILE).read_text(encoding="utf-8")
    finally:
        lock.release()


HOLDER = """
import sys, time
from pathlib import Path
from zzperf.workspace.lock import WorkspaceLock
lock = WorkspaceLock.acquire(Path(sys.argv[1]))
print("held", flush=True)
time.sleep(60)
"""


def test_cli_writers_and_open_refuse_while_another_process_holds_the_workspace(demo: Path) -> None:
    differ_from_the_import(demo)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(demo)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(WorkspaceLocked, match=f"进程 {holder.pid}"):
            scored(Workspace(demo), "1")
        source = demo / "2018" / "部门决算公开全文.txt"
        before = (demo / "2018" / "accounts.toml").read_bytes()
        result = zzperf("import", source, demo, "--replace")
        assert result.returncode == 2, result.stdout + result.stderr
        assert f"进程 {holder.pid}" in result.stderr and "Traceback" not in result.stderr
        assert (demo / "2018" / "accounts.toml").read_bytes() == before
    finally:
        holder.kill()
        holder.wait()
    scored(Workspace(demo), "1")  # the kernel dropped the dead holder's lock


# ─── what a save must not replace ───


def test_a_save_writes_through_a_symlink_to_its_target(demo: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "evaluation.toml"
    shared.parent.mkdir()
    shutil.move(evaluation_path(demo), shared)
    evaluation_path(demo).symlink_to(shared)
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    workspace.save_evaluation(evaluation.model_copy(update={"evaluator": "共享目标"}))
    assert evaluation_path(demo).is_symlink()
    assert 'evaluator = "共享目标"' in shared.read_text(encoding="utf-8")
    assert not list(evaluation_path(demo).parent.glob(".*.tmp")) and not list(shared.parent.glob(".*.tmp"))


def test_a_read_only_file_is_refused_with_a_message(demo: Path) -> None:
    path = evaluation_path(demo)
    before = path.read_bytes()
    path.chmod(0o444)
    workspace = Workspace(demo)
    with pytest.raises(ZzperfError, match="只读"):
        workspace.save_evaluation(workspace.load_evaluation(2018).model_copy(update={"evaluator": "x"}))
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444


def _dangling(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.with_name("不存在.toml"))


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


ODD = [
    pytest.param(_dangling, "不存在", id="dangling-link"),
    pytest.param(_folder, "文件夹", id="folder"),
    pytest.param(_fifo, "命名管道", id="fifo"),
]


READERS = [
    pytest.param(command, name, id=f"{command}-{name}")
    for command in ("score", "check", "report")
    for name in ("2018/evaluation.toml", "2018/accounts.toml", "zzperf.toml")
    if not (command == "check" and name.endswith("evaluation.toml"))  # check reads no scores
]


@pytest.mark.parametrize(("make", "words"), ODD)
@pytest.mark.parametrize(("command", "name"), READERS)
def test_an_odd_file_in_place_of_a_workspace_file_is_an_error(
    demo: Path, tmp_path: Path, make, words: str, name: str, command: str
) -> None:
    make(demo / name)
    extra = ["--out", tmp_path / "r.md"] if command == "report" else []
    result = zzperf(command, demo, *extra)
    assert result.returncode == 2, result.stdout + result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr
    assert "总分" not in result.stdout


# ─── stray temporary files ───


def test_stale_temporary_files_are_removed_but_a_live_writer_s_is_kept(demo: Path) -> None:
    folder = demo / "2018"
    old = folder / ".evaluation.toml.abc123.tmp"
    old.write_text("half", encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = folder / f".accounts.toml.{int(dead.stdout)}.xyz789.tmp"
    orphan.write_text("half", encoding="utf-8")
    live = folder / f".evaluation.toml.{os.getpid()}.live01.tmp"
    live.write_text("being written", encoding="utf-8")
    mine = folder / ".notes.txt.tmp"
    mine.write_text("not ours", encoding="utf-8")
    os.utime(mine, (an_hour_ago, an_hour_ago))
    removed = Workspace(demo).remove_stale_temporaries()
    assert set(removed) == {old, orphan}
    assert live.exists() and mine.exists()
