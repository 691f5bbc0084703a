"""Noticing files changed on disk: a file's stamp (time, size, content hash) and a watch over several files."""

from __future__ import annotations

import hashlib
import stat as stat_module
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileStamp:
    """What a file looked like: modification time, size and a hash of its content (all None when absent)."""

    mtime_ns: int | None
    size: int | None
    digest: str | None

    @property
    def exists(self) -> bool:
        return self.digest is not None


MISSING = FileStamp(None, None, None)


def stamp(path: Path, *, digest: bool = True) -> FileStamp:
    """The file's stamp now; with ``digest=False`` only the cheap stat part is filled."""
    try:
        info = path.stat()
    except OSError:
        return MISSING
    if not digest:
        return FileStamp(info.st_mtime_ns, info.st_size, "")
    if not stat_module.S_ISREG(info.st_mode):  # never open a FIFO or a folder: it is a change, with no content
        return FileStamp(info.st_mtime_ns, info.st_size, f"not-a-file:{stat_module.S_IFMT(info.st_mode):o}")
    try:
        content = path.read_bytes()
    except OSError:
        return MISSING
    return FileStamp(info.st_mtime_ns, info.st_size, hashlib.sha256(content).hexdigest())


class DiskWatch:
    """Remembers the files as last read or written and tells which have changed since.

    A changed time or size alone is not a change: the content hash decides, so ``touch`` is ignored.
    Thread-safe: a saving thread records while the UI thread polls.
    """

    def __init__(self, paths: Iterable[Path] = (), known: Mapping[Path, tuple[int, int, str]] | None = None) -> None:
        """Watch ``paths`` from their state now, or from ``known`` (time, size, hash), the state they were read in."""
        self._lock = threading.Lock()
        self._stamps: dict[Path, FileStamp] = {}
        self._busy: set[Path] = set()
        known = known or {}
        for path in paths:
            self.record(path, FileStamp(*known[path]) if path in known else None)

    @property
    def paths(self) -> list[Path]:
        with self._lock:
            return list(self._stamps)

    def record(self, path: Path, known: FileStamp | None = None) -> None:
        """Remember ``path`` as it is now (after reading or writing it)."""
        value = known if known is not None else stamp(path)
        with self._lock:
            self._stamps[path] = value

    @contextmanager
    def writing(self, path: Path) -> Iterator[None]:
        """Wrap one's own write of ``path``: it is not reported as a change, and is recorded once it succeeded.

        A write that failed records nothing, so a change someone else made meanwhile is still reported.
        """
        with self._lock:
            self._busy.add(path)
        try:
            yield
        except BaseException:
            with self._lock:
                self._busy.discard(path)
            raise
        now = stamp(path)
        with self._lock:
            self._stamps[path] = now
            self._busy.discard(path)

    def changed(self) -> list[Path]:
        """Files whose content differs from what was recorded (created, changed or deleted)."""
        with self._lock:
            known = dict(self._stamps)
            busy = set(self._busy)
        result = []
        for path, before in known.items():
            if path in busy:
                continue
            quick = stamp(path, digest=False)
            if quick.mtime_ns == before.mtime_ns and quick.size == before.size:
                continue
            now = stamp(path)
            if now.digest == before.digest:
                with self._lock:
                    if self._stamps.get(path) == before:
                        self._stamps[path] = now  # touched, not changed
                continue
            with self._lock:
                if self._stamps.get(path) != before or path in self._busy:
                    continue  # being written or recorded meanwhile by a save
            result.append(path)
        return result
