"""Results of department years kept between runs, in one SQLite file per user, keyed by their input files' content.

A folder of a thousand departments is mostly unchanged from one run to the next, and a department year's result
(its ranking row, its summary row) is a function of a few files: the profile, the year's folder and the previous
year's folder (figures, 自评, 复核, submission state), and the indicator set file(s) the year is scored with.
A result is served only when every one of those files has the same bytes as when it was computed, and the code
that computed it is the same (``code_digest``): a changed byte anywhere means a recompute, never a stale value.

How a later run checks, and why it is never stale:

- The entry for (kind, arguments, code, department folder, year) stores one SHA-256 over the inputs: the names
  in the year's and the previous year's folder (so a file that appears or disappears counts, such as a new
  ``review.toml``), the bytes of every file in them, the profile's bytes, and the path and bytes of each set file
  used. A lookup recomputes that digest from the disk and compares. Nothing is trusted from file times or sizes:
  hashing these files is a small fraction of parsing them (SHA-256 runs at hundreds of MB/s, the TOML parser at
  a few MB/s), so content is checked on every run and there is no window in which an edit within the file
  system's timestamp granularity could go unnoticed.
- The set files are those the computation loaded (``record_sets``), each with the SHA-256 of the bytes it parsed;
  their resolved path is part of the digest too, so a symbolic link pointed elsewhere counts as a change. Which
  sets a year uses follows from the profile's bytes (a shipped name or a path inside the workspace), which are in
  the digest as well.
- The worker that computes a result hashes the profile and the folders before and after computing it, and each
  set file after it; the result is stored only when nothing changed (a set file still holds the bytes that were
  parsed), so a file saved while it was being read is not stored under either version.
- Failures (a department that cannot be read) are not stored: they are recomputed every run, so the cache never
  has to know which missing file a repair would add.

Why SQLite (``sqlite3`` of the standard library) rather than plain files or DuckDB: one file holds thousands of
small entries; readers and writers in several processes (two commands at once) are serialised by SQLite's own
locks (write-ahead log, a busy timeout); a batch of entries is written in one transaction or not at all; and a
damaged file raises ``sqlite3.DatabaseError``, on which it is deleted and rebuilt. Plain files would need their
own locking, atomic renames and a thousand inodes per kind; DuckDB is a third-party dependency built for column
analytics, not for key lookups.

The file lives in the per-user cache folder (``$XDG_CACHE_HOME/zzperf``, else ``~/.cache/zzperf``), never inside
a department's workspace; a cache folder that lies inside one of the departments is not used. Worker processes
only compute and hash; the command's own process reads and writes the file. Entries are pickled: the file is the
user's own, like the rest of their cache folder.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import zzperf
from zzperf.workspace import record_sets
from zzperf.workspace.files import PROFILE_FILE

CACHE_FILE = "results.sqlite3"
SCHEMA = 1
"""Layout of the tables; a file with another layout is rebuilt."""
BUSY_TIMEOUT = 30.0
"""Seconds to wait for another process's write before giving up (the run then goes on without storing)."""


def cache_dir() -> Path:
    """The per-user cache folder of zzperf."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    return Path(base) / "zzperf" if base else Path.home() / ".cache" / "zzperf"


@lru_cache(maxsize=1)
def code_digest() -> str:
    """SHA-256 over zzperf's version, its source files, the shipped set names and the Python version."""
    digest = hashlib.sha256(f"{zzperf.__version__}\0{sys.version}\0{SCHEMA}".encode())
    package = Path(zzperf.__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes() + b"\0")
    from zzperf.indicators import shipped_sets

    for name, path in shipped_sets().items():
        digest.update(f"set\0{name}\0{path}\0".encode())
    return digest.hexdigest()


def inputs_digest(root: Path, year: int, sets: Iterable[str | Path], resolved: dict[str, str] | None = None) -> str:
    """SHA-256 over everything a department year's result is computed from (see the module docstring).

    ``resolved``: set paths already resolved in this run (many departments share one set file).
    """
    digest = _folders_digest(root, year)
    for path in map(os.fspath, sets):
        _add_set(digest, path, resolved)
    return digest.hexdigest()


def _folders_digest(root: Path, year: int) -> Any:
    """The digest over the profile and the year's and the previous year's folders (names and bytes)."""
    digest = hashlib.sha256(f"{year}\0".encode())
    base = os.fspath(root)
    _add_file(digest, os.path.join(base, PROFILE_FILE))
    for folder in (os.path.join(base, str(year)), os.path.join(base, str(year - 1))):
        try:
            names = sorted(os.listdir(folder))
        except FileNotFoundError:
            digest.update(b"no folder\0")
            continue
        except NotADirectoryError:
            digest.update(b"not a folder\0")
            continue
        for name in names:
            digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
            if not name.startswith("."):
                _add_file(digest, os.path.join(folder, name))
    return digest


def _add_set(digest: Any, path: str, resolved: dict[str, str] | None = None) -> str | None:
    """A set file's resolved path and bytes; the SHA-256 of its bytes (None when it is not a readable file)."""
    real = resolved.get(path) if resolved is not None else None
    if real is None:
        real = os.path.realpath(path)
        if resolved is not None:
            resolved[path] = real
    digest.update(f"set\0{real}\0".encode("utf-8", "surrogateescape"))
    return _add_file(digest, path)


def _add_file(digest: Any, path: str) -> str | None:
    """A regular file's bytes (its SHA-256 is returned); for anything else only what it is (a FIFO is never opened)."""
    try:
        status = os.stat(path)
    except OSError:
        digest.update(b"missing\0")
        return None
    if not stat.S_ISREG(status.st_mode):
        digest.update(f"mode {stat.S_IFMT(status.st_mode)}\0".encode())
        return None
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        digest.update(f"unreadable {error.errno}\0".encode())
        return None
    content = hashlib.sha256(data)
    digest.update(len(data).to_bytes(8, "little") + content.digest())
    return content.hexdigest()


@dataclass(frozen=True)
class Computed:
    """A result computed in a worker, pickled, with its input digest (None: inputs changed meanwhile)."""

    blob: bytes
    inputs: str | None
    sets: tuple[str, ...]


def compute_with_inputs(root: Path, work: Any, year: int, *arguments: Any) -> Computed:
    """``work(root, year, *arguments)`` with the digest of its inputs, which stayed the same while it ran.

    The profile and the two years' folders are hashed before and after; the set files are those the work loaded
    (``record_sets``), each with the hash of the very bytes it parsed, which must still be on disk afterwards.
    """
    try:
        before = _folders_digest(root, year).hexdigest()
    except Exception:  # noqa: BLE001 - inputs the digest cannot read: the work itself reports what is wrong
        before = None
    with record_sets() as used:
        result = work(root, year, *arguments)
    stable = None
    if before is not None:
        digest = _folders_digest(root, year)
        if digest.hexdigest() == before and all(_add_set(digest, path) == used[path] for path in used):
            stable = digest.hexdigest()
    return Computed(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), stable, tuple(used))


class ResultCache:
    """The SQLite file of stored results; every failure to use it turns into a miss, never into an error."""

    def __init__(self, path: Path | None = None, *, roots: Sequence[Path] = ()) -> None:
        self.path = path or cache_dir() / CACHE_FILE
        self.connection: sqlite3.Connection | None = None
        self.resolved: dict[str, str] = {}
        """Set paths resolved during this run."""
        if _inside_any(self.path, roots):
            return
        self.connection = self._open()

    def _open(self) -> sqlite3.Connection | None:
        for attempt in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA:
                    connection.execute("DROP TABLE IF EXISTS results")
                    connection.execute(
                        "CREATE TABLE results (key TEXT PRIMARY KEY, inputs TEXT NOT NULL, sets TEXT NOT NULL,"
                        " value BLOB NOT NULL, stored REAL NOT NULL)"
                    )
                    connection.execute(f"PRAGMA user_version={SCHEMA}")
                connection.execute("SELECT count(*) FROM results WHERE key = ''").fetchone()
                return connection
            except sqlite3.DatabaseError:
                if attempt == 0 and not self._remove():
                    return None
            except OSError:
                return None
        return None

    def _remove(self) -> bool:
        """Delete a damaged cache file (and its journal files); whether it is gone."""
        try:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError:
            return False
        return True

    @staticmethod
    def key(kind: str, root: Path, year: int, arguments: str) -> str:
        return f"{kind}\0{code_digest()}\0{arguments}\0{os.path.abspath(root)}\0{year}"

    def get_many(self, keys: Sequence[str], roots: Sequence[Path], year: int) -> list[tuple[bool, Any]]:
        """For each key, (True, the stored result) when its inputs are unchanged on disk; (False, None) otherwise.

        The entries are read in one transaction (one query each), then each is checked against the disk.
        """
        rows: list[Any] = [None] * len(keys)
        if self.connection is not None:
            try:
                with self.connection:
                    self.connection.execute("BEGIN")
                    for index, key in enumerate(keys):
                        query = "SELECT inputs, sets, value FROM results WHERE key = ?"
                        rows[index] = self.connection.execute(query, (key,)).fetchone()
            except sqlite3.DatabaseError:
                self._rebuild()
                rows = [None] * len(keys)
        return [self._check(row, root, year) for row, root in zip(rows, roots)]

    def _check(self, row: Any, root: Path, year: int) -> tuple[bool, Any]:
        if row is None:
            return False, None
        inputs, sets, value = row
        try:
            if inputs_digest(root, year, [name for name in sets.split("\0") if name], self.resolved) != inputs:
                return False, None
            return True, pickle.loads(value)
        except Exception:  # noqa: BLE001 - an entry that does not load is a miss, recomputed and replaced
            return False, None

    def put_many(self, entries: Iterable[tuple[str, Computed]]) -> None:
        """Store computed results whose inputs stayed put; skipped (not an error) when the file is busy or damaged."""
        rows = [(key, c.inputs, "\0".join(c.sets), c.blob, time.time()) for key, c in entries if c.inputs]
        if self.connection is None or not rows:
            return
        try:
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")
                self.connection.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)", rows)
        except sqlite3.OperationalError:
            return  # busy beyond the timeout, or a read-only folder: this run's results are simply not kept
        except sqlite3.DatabaseError:
            self._rebuild()

    def _rebuild(self) -> None:
        self.close()
        self.connection = self._open() if self._remove() else None

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except sqlite3.Error:
                pass
            self.connection = None


def _inside_any(path: Path, roots: Sequence[Path]) -> bool:
    """Whether ``path`` lies in one of the workspaces (the cache is then not used, so nothing is written there)."""
    try:
        resolved = path.resolve()
    except OSError:
        return True
    return any(resolved.is_relative_to(root.resolve()) for root in roots)
