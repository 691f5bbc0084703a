"""The terminal: text from files made harmless (control characters removed), the rich console, and crash reports.

Everything zzperf prints passes through here: ``CleanStream`` wraps ``print``, ``console()`` gives a rich
console whose render hook drops control characters, and OS errors and crashes become one Chinese line.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError

if TYPE_CHECKING:
    from rich.console import Console


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Characters that steer a terminal (ESC, CSI, OSC, BEL, \\r, C1) or reorder text (bidi overrides); \\n and \\t stay."""


def clean(text: str) -> str:
    """Text from a file made harmless for a terminal: control characters removed."""
    return CONTROL.sub("", text)


class CleanStream:
    """A text stream that drops control characters from everything written through it (plain ``print``)."""

    def __init__(self, stream: object) -> None:
        self.raw = stream

    def write(self, text: str) -> int:
        self.raw.write(clean(text))  # type: ignore[attr-defined]
        return len(text)

    def __getattr__(self, name: str) -> object:
        return getattr(self.raw, name)


class CleanRenderable:
    """Renders a rich renderable with the control characters of its text removed; rich's own styling is kept."""

    def __init__(self, renderable: object) -> None:
        self.renderable = renderable

    def __rich_console__(self, console, options):  # noqa: ANN001, ANN204 - rich's protocol
        from rich.segment import Segment

        search = CONTROL.search
        for segment in console.render(self.renderable, options):
            if segment.control or search(segment.text) is None:  # most segments are clean: passed on as they are
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style)


class CleanHook:
    """A rich render hook: everything a console prints passes through ``CleanRenderable``."""

    def process_renderables(self, renderables: list) -> list:
        return [CleanRenderable(renderable) for renderable in renderables]


def raw_stream(stream: object) -> object:
    return stream.raw if isinstance(stream, CleanStream) else stream


def silence_stdout() -> None:
    """After a broken pipe, send what is left to /dev/null so Python's exit does not raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
    except (OSError, ValueError, AttributeError):
        pass


FILE_ERRORS = {
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "只读的文件系统，无法写入",
    errno.ENOTDIR: "路径中有一部分是文件，不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "已存在同名的文件",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已满",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EBUSY: "文件正被占用",
}


def file_error(error: OSError) -> ZzperfError:
    """An OSError as a message that names the file (a save's temporary file is shown as its folder)."""
    name = error.filename
    if name is not None:
        path = Path(os.fsdecode(name))
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            path = path.parent
        name = path
    reason = FILE_ERRORS.get(error.errno or 0) or error.strerror or type(error).__name__
    return ZzperfError(f"无法读写：{reason}", file=name, hint="检查路径和权限，或换一个可以写入的位置")


def crash_report(error: BaseException, argv: list[str] | None) -> Path | None:
    """Write the traceback with version, arguments and Python into the cache folder; None when nowhere is writable."""
    import datetime
    import platform
    import tempfile
    import traceback

    from zzperf import __version__

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "\n".join(
        [
            f"zzperf {__version__} 内部错误报告 {stamp}",
            f"命令：{' '.join(sys.argv[:1] + (argv if argv is not None else sys.argv[1:]))}",
            f"Python：{sys.version.split()[0]}（{platform.platform()}）",
            "",
            "".join(traceback.format_exception(error)),
        ]
    )
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    for folder in (Path(cache) / "zzperf", Path(tempfile.gettempdir()) / "zzperf"):
        path = folder / f"crash-{stamp}-{os.getpid()}.txt"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError:
            continue
        return path
    return None


PIPED_WIDTH = 120
"""How wide output that does not go to a terminal (a pipe, a file) is set when ``COLUMNS`` does not say."""


def output_width(stream: object) -> int | None:
    """The width to set output at: ``COLUMNS`` when it is a positive whole number (as rich and most tools read it),
    else None for a terminal (rich asks the terminal) and ``PIPED_WIDTH`` for anything else."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if stream.isatty() else PIPED_WIDTH  # type: ignore[attr-defined]


def console() -> Console:
    """The console for terminal output (``output_width`` wide): no markup guessing, no emoji codes (a name such as
    “:star:” is printed as written), and no control characters from the data."""
    from rich.console import Console

    stream = raw_stream(sys.stdout)
    width = output_width(stream)
    console = Console(file=stream, highlight=False, emoji=False, soft_wrap=True, width=width)  # type: ignore[arg-type]
    console.push_render_hook(CleanHook())
    console.on_broken_pipe = broken_pipe  # type: ignore[method-assign] - rich would exit with 1, our "findings"
    return console


def print_paragraph(console: Console, text: str, style: str = "") -> None:
    """``text`` printed as plain text, broken into lines as Chinese is set (``wrap``) at the console's width, as
    the tables are: the console's soft wrap leaves a long line to the terminal, which splits it anywhere (inside
    a number or word, with a “；” opening a line)."""
    from zzperf.output.lines import wrap

    console.print("\n".join(wrap(text, console.width)), style=style, markup=False, highlight=False)


def file_console(handle: object, width: int = 160) -> Console:
    """A console that writes plain text (no colours) into an open file, with the same cleaning as ``console()``."""
    from rich.console import Console

    console = Console(file=handle, width=width, color_system=None, highlight=False, emoji=False, soft_wrap=True)  # type: ignore[arg-type]
    console.push_render_hook(CleanHook())
    return console


def broken_pipe() -> None:
    raise BrokenPipeError
