"""The workspace lock: the evaluation screen holds ``.zzperf.lock`` so that a second one, or a CLI writer, is told who.

The lock is an ``flock`` on the file, kept while the screen is open; the file says who holds it (pid, host, user,
start time). The kernel drops the ``flock`` when the holder dies, so a lock left by a killed process is stale and
taken over; the file itself is removed on a normal exit. Where there is no ``flock`` (Windows) the lock file
is still written, for people to see, but nothing is refused: saves are then guarded by their content check alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from zzperf.errors import ZzperfError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = ".zzperf.lock"


@dataclass(frozen=True)
class Holder:
    """Who holds a workspace."""

    pid: int
    host: str
    user: str
    started: str

    def __str__(self) -> str:
        return f"{self.user}@{self.host} 的 zzperf 评分界面（进程 {self.pid}，{self.started} 起）"


class WorkspaceLocked(ZzperfError):
    """Another zzperf screen has the workspace open."""


_HELD: dict[Path, WorkspaceLock] = {}
"""Workspaces this process holds, by resolved folder."""


class WorkspaceLock:
    """The lock one open evaluation screen holds on its workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.path = self.root / LOCK_FILE
        self._handle: int | None = None
        self.took_over: Holder | None = None
        """The holder recorded in a stale lock file that this lock replaced."""

    @classmethod
    def acquire(cls, root: Path) -> WorkspaceLock:
        """Take the workspace, or raise WorkspaceLocked naming who has it open."""
        lock = cls(root)
        if lock.root in _HELD:
            raise _locked(lock.root, _HELD[lock.root].holder())
        while True:
            try:
                handle = os.open(lock.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
            except OSError as error:
                raise ZzperfError(f"无法建立工作区锁文件：{error.strerror}", file=lock.path) from None
            try:
                if fcntl is not None:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(handle)
                raise _locked(lock.root, read_holder(lock.path)) from None
            if os.fstat(handle).st_ino == _inode(lock.path):
                break
            os.close(handle)  # the holder removed the file meanwhile: lock the one now there
        lock.took_over = read_holder(lock.path)
        import socket  # only taking the lock needs the host and user names

        me = Holder(os.getpid(), socket.gethostname(), _user(), datetime.now().strftime("%Y-%m-%d %H:%M:%S"))
        os.ftruncate(handle, 0)
        os.write(handle, json.dumps(me.__dict__, ensure_ascii=False).encode("utf-8") + b"\n")
        os.fsync(handle)
        lock._handle = handle
        _HELD[lock.root] = lock
        return lock

    def holder(self) -> Holder | None:
        return read_holder(self.path)

    def release(self) -> None:
        """Remove the lock file and let go (idempotent)."""
        if self._handle is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._handle)
            self._handle = None
            _HELD.pop(self.root, None)


def refuse_if_held(root: Path) -> None:
    """Raise WorkspaceLocked when another process has the workspace open in the evaluation screen."""
    resolved = root.resolve()
    if resolved in _HELD or fcntl is None:
        return  # this process is the one holding it, or locks cannot be told apart from stale ones here
    path = resolved / LOCK_FILE
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return  # no lock file: nobody holds it
    try:
        fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        raise _locked(resolved, read_holder(path)) from None
    finally:
        os.close(handle)


def read_holder(path: Path) -> Holder | None:
    """Who the lock file says holds it (None when it is empty or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Holder(int(data["pid"]), str(data["host"]), str(data["user"]), str(data["started"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _locked(root: Path, holder: Holder | None) -> WorkspaceLocked:
    who = str(holder) if holder is not None else "另一个 zzperf 评分界面"
    return WorkspaceLocked(
        f"工作区正由 {who}打开，为免互相覆盖，现在不能打开或写入",
        file=root,
        hint="先在那里保存并退出（Ctrl+Q），再重试；那个进程已不存在时锁会自动失效",
    )


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid())
