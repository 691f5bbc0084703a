"""Rendering a report template someone else wrote, so that it can neither run code nor hang or exhaust the machine.

Three layers. The template sees plain, read-only data only (``zzperf.report.records.plain``). It renders in
``ReportSandbox``, a Jinja2 sandbox that refuses operations whose result would be huge (``'a' * 10**9``,
``10**10**9``, ``'%.999999999f'``, a 5 MB output) with a message naming the template line. And it renders
in a child process (``render_in_child``) under a deadline, a CPU limit and an address-space limit, which
the parent enforces again by killing the child; the parent sends the context pickled (it is our own
data) and the child answers with JSON only, never pickle, because the code that ran there is untrusted.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
    SecurityError,
)
from jinja2.utils import Namespace
from markupsafe import Markup, soft_str

from zzperf.errors import ZzperfError
from zzperf.report import render_template
from zzperf.report.docx import prepare_docx
from zzperf.report.environment import TEMPLATE_FILES

TIME_LIMIT = 5
"""Seconds a user template may run (loading, compiling and rendering)."""
STARTUP_ALLOWANCE = 20
"""Seconds the parent also allows the child for starting Python and importing the libraries."""
MEMORY_LIMIT = 512 * 1024 * 1024
"""Bytes of address space the child may add to what it uses after its imports."""
OUTPUT_LIMIT = 5 * 1024 * 1024
"""Bytes (UTF-8) a template may write: the whole text, or one part of a Word document."""
ITEMS_LIMIT = 1_000_000
"""Characters of a string, items of a list, that one operation in a template may produce."""
INT_BITS_LIMIT = 10_000
"""Bits of an integer a template may compute (about 3,000 digits)."""
WIDTH_LIMIT = 1000
"""Largest width or precision in a format (``'%.2f'``, ``'{:>10}'``)."""
ARGUMENT_LIMIT = 100_000
"""Largest integer argument to Jinja's own filters that take a size (``SIZE_FILTERS``)."""
TEXT_TEMPLATE_LIMIT = 2 * 1024 * 1024
"""Bytes of a ``.j2`` template file."""
DOCX_TEMPLATE_LIMIT = 20 * 1024 * 1024
"""Bytes of a ``report.docx`` template file."""
DOCX_UNPACKED_LIMIT = 100 * 1024 * 1024
"""Bytes of a ``report.docx`` template once unpacked (a zip bomb is refused before it is read)."""


# ── errors ──────────────────────────────────────────────────────────────


class TemplateLimitError(SecurityError):
    """A template asked for something beyond a limit; the message is Chinese and says which."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


class TemplateStopped(BaseException):
    """The deadline or the CPU limit stopped a template.

    A BaseException, so that no ``except Exception`` inside Jinja (constant folding at compile time
    swallows errors) or in a filter can catch it and let the template run on.
    """


STOPPED = f"模板运行超过 {TIME_LIMIT} 秒，已停止"
STOPPED_HINT = "检查模板中的循环（for）和递归的宏（macro）"
OUT_OF_MEMORY = "模板占用内存超过上限，已停止"


def _too_long(size: int) -> TemplateLimitError:
    return TemplateLimitError(f"模板试图生成过长的文本或列表（{size:,} 项，上限 {ITEMS_LIMIT:,}）")


def _too_big() -> TemplateLimitError:
    return TemplateLimitError(f"模板试图计算过大的数字（超过 {INT_BITS_LIMIT:,} 位二进制）")


# ── checks before and after an operation ────────────────────────────────

_SIZED = (str, bytes, list, tuple, dict, set, frozenset)


def checked(value: Any) -> Any:
    """``value``, unless it is a string or collection longer than ``ITEMS_LIMIT``."""
    if isinstance(value, _SIZED) and len(value) > ITEMS_LIMIT:
        raise _too_long(len(value))
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > INT_BITS_LIMIT:
        raise _too_big()
    return value


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_size(size: int) -> None:
    if size > ITEMS_LIMIT:
        raise _too_long(size)


def _check_number_text(spec: str, what: str) -> None:
    """No width or precision in a format spec beyond ``WIDTH_LIMIT``."""
    for digits in re.findall(r"\d+", spec):
        if len(digits) > 4 or int(digits) > WIDTH_LIMIT:
            raise TemplateLimitError(f"{what}中的宽度或精度 {digits[:12]} 过大（上限 {WIDTH_LIMIT}）")


_PRINTF = re.compile(r"%(?:\([^)]*\))?([^a-zA-Z%]*)[a-zA-Z%]")


def check_printf(text: Any) -> None:
    """A ``%`` format with bounded widths and precisions, and none taken from the arguments (``%*d``)."""
    if not isinstance(text, str):
        return
    for match in _PRINTF.finditer(text):
        spec = match[1]
        if "*" in spec:
            raise TemplateLimitError("格式中不能用 * 指定宽度或精度")
        _check_number_text(spec, "格式")


def _binop_precheck(operator_name: str, left: Any, right: Any) -> None:
    if operator_name == "*":
        if isinstance(left, _SIZED) and _is_int(right):
            _check_size(len(left) * max(right, 0))
        elif isinstance(right, _SIZED) and _is_int(left):
            _check_size(len(right) * max(left, 0))
        elif _is_int(left) and _is_int(right) and left.bit_length() + right.bit_length() > INT_BITS_LIMIT:
            raise _too_big()
    elif operator_name == "**":
        if _is_int(left) and _is_int(right) and abs(left) > 1 and right > 0:
            if right > INT_BITS_LIMIT or right * left.bit_length() > INT_BITS_LIMIT:
                raise _too_big()
    elif operator_name == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED):
            _check_size(len(left) + len(right))
    elif operator_name == "%":
        check_printf(left)


def _replaced_size(text: str, old: Any, new: Any, count: Any = -1) -> int:
    if not isinstance(old, str) or not isinstance(new, str):
        return len(text)
    hits = len(text) + 1 if old == "" else text.count(old)
    if _is_int(count) and count >= 0:
        hits = min(hits, count)
    return len(text) + hits * max(0, len(new) - len(old))


def _joined_size(separator: str, items: list[Any]) -> int:
    return len(separator) * max(0, len(items) - 1) + sum(len(item) if isinstance(item, str) else 32 for item in items)


def _method_precheck(method: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a string or integer method call that would build something huge; returns the arguments to use."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, str):
        if name in ("ljust", "rjust", "center", "zfill") and args and _is_int(args[0]):
            _check_size(args[0])
        elif name == "expandtabs":
            size = args[0] if args else kwargs.get("tabsize", 8)
            if _is_int(size):
                _check_size(len(owner) + owner.count("\t") * max(size, 0))
        elif name == "replace" and len(args) >= 2:
            _check_size(_replaced_size(owner, *args[:3]))
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((len(value) for value in args[0].values() if isinstance(value, str)), default=1)
            _check_size(len(owner) * max(longest, 1))
        elif name == "join" and args:
            items = list(args[0])
            _check_size(_joined_size(owner, items))
            return (items, *args[1:])
    elif _is_int(owner) and name == "to_bytes":
        length = args[0] if args else kwargs.get("length", 1)
        if _is_int(length):
            _check_size(length)
    return args


# ── filters ─────────────────────────────────────────────────────────────


def _indent_precheck(text: Any, width: Any = 4, *_: Any, **__: Any) -> None:
    lines = str(text).count("\n") + 1
    step = len(width) if isinstance(width, str) else width if _is_int(width) else 0
    _check_size(len(str(text)) + lines * max(step, 0))


def _join_precheck(items: list[Any], separator: Any = "", *_: Any, **__: Any) -> None:
    _check_size(_joined_size(str(separator), items))


def _replace_precheck(text: Any, old: Any = "", new: Any = "", count: Any = None, **_: Any) -> None:
    _check_size(_replaced_size(str(text), old, new, -1 if count is None else count))


def _tojson_precheck(value: Any, indent: Any = None, **_: Any) -> None:
    if (_is_int(indent) and indent > 100) or (isinstance(indent, str) and len(indent) > 100):
        raise TemplateLimitError("tojson 的缩进过大（上限 100）")


def _center_precheck(value: Any, width: Any = 80, **_: Any) -> None:
    if _is_int(width):
        _check_size(width)


def _format_precheck(value: Any, *_: Any, **__: Any) -> None:
    check_printf(value)


_FILTER_PRECHECKS: dict[str, Callable[..., None]] = {
    "indent": _indent_precheck,
    "join": _join_precheck,
    "join_cn": _join_precheck,
    "replace": _replace_precheck,
    "tojson": _tojson_precheck,
    "center": _center_precheck,
    "format": _format_precheck,
}
"""Filters whose output can grow far beyond their input, with a check of the size they would produce."""

SIZE_FILTERS = frozenset({"batch", "slice", "truncate", "wordwrap", "center", "indent", "round", "tojson"})
"""Jinja filters with a count, width or length argument, which ``ARGUMENT_LIMIT`` bounds."""

_MATERIALISED = {"join", "join_cn"}
"""Filters whose first argument is read twice (size check, then the filter), so it is made a list first."""


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its size check before and the result's size checked after."""
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0
    sized = name in SIZE_FILTERS
    precheck = _FILTER_PRECHECKS.get(name)

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name in _MATERIALISED and len(args) > skip:
            args = (*args[:skip], list(args[skip]), *args[skip + 1 :])
        if sized:
            for value in (*args[skip + 1 :], *kwargs.values()):
                if _is_int(value) and abs(value) > ARGUMENT_LIMIT:
                    raise TemplateLimitError(f"过滤器 {name} 的参数 {value} 过大（上限 {ARGUMENT_LIMIT:,}）")
        if precheck is not None and len(args) > skip:
            precheck(*args[skip:], **kwargs)
        return checked(function(*args, **kwargs))

    return bounded


# ── the sandbox ─────────────────────────────────────────────────────────


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` in the sandbox, with bounded widths and precisions."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_number_text(format_spec, "格式")
        return checked(super().format_field(value, format_spec))


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    """The same for ``Markup.format`` (autoescaped templates)."""


class BoundedNamespace(Namespace):
    """``namespace()`` whose attributes cannot be set to something huge (``{% set ns.s = ns.s ~ ns.s %}``)."""

    def __setitem__(self, name: str, value: Any) -> None:
        super().__setitem__(name, checked(value))


class FolderLoader(jinja2.FileSystemLoader):
    """Templates from one folder only (``{% include %}`` too): no path or link leading outside it, none too large."""

    def __init__(self, folder: str) -> None:
        super().__init__(folder, encoding="utf-8")
        self.root = Path(folder).resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.root.joinpath(*split_template_path(template)).resolve()
        if not path.is_relative_to(self.root):
            raise TemplateLimitError(f"模板只能引用模板目录中的文件，“{template}”指向目录之外")
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        if path.stat().st_size > TEXT_TEMPLATE_LIMIT:
            raise TemplateLimitError(
                f"模板引用的文件“{template}”过大（上限 {TEXT_TEMPLATE_LIMIT // (1024 * 1024)} MB）"
            )
        return super().get_source(environment, template)


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The Jinja2 sandbox for user templates: no internals, no changes to data, and no huge results."""

    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(
        self, *, filters: dict[str, Callable[..., Any]], tests: dict[str, Callable[..., bool]], **options: Any
    ) -> None:
        super().__init__(**options)
        del self.globals["lipsum"]  # generates text of any length; a report has no use for it
        self.globals["namespace"] = BoundedNamespace
        every = {**self.filters, "format": _printf, **filters}
        self.filters = {name: _bounded_filter(name, function) for name, function in every.items()}
        self.tests.update(tests)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        _binop_precheck(operator, left, right)
        return checked(self.binop_table[operator](left, right))

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        args = _method_precheck(__obj, args, kwargs)
        return checked(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """``str.format`` and ``format_map`` through the sandbox's formatter, with bounded widths."""
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        formatter = (
            _BoundedEscapeFormatter(self, escape=text.escape) if isinstance(text, Markup) else _BoundedFormatter(self)
        )
        kind = type(text)

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if value.__name__ == "format_map":
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return checked(kind(formatter.vformat(text, args, kwargs)))

        return functools.update_wrapper(wrapper, value)

    def render_bounded(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """The template's output, stopped with the template line once it passes ``OUTPUT_LIMIT`` bytes."""
        chunks: list[str] = []
        size = 0
        stream = template.generate(context)
        for chunk in stream:
            size += len(chunk.encode("utf-8", "surrogatepass"))
            if size > OUTPUT_LIMIT:
                line = _suspended_line(stream)
                stream.close()
                raise TemplateLimitError(f"模板输出超过 {OUTPUT_LIMIT // (1024 * 1024)} MB，已停止", lineno=line)
            chunks.append(chunk)
        return "".join(chunks)


def _printf(value: Any, *args: Any, **kwargs: Any) -> str:
    """Jinja's ``format`` filter (``'%.2f'|format(x)``), with the format checked first."""
    if args and kwargs:
        raise TemplateLimitError("format 过滤器不能同时使用位置参数和关键字参数")
    return soft_str(value) % (kwargs or args)


def _suspended_line(stream: Iterator[str]) -> int | None:
    """The template line a suspended ``Template.generate`` stream last wrote from."""
    line = None
    current: Any = stream
    while current is not None and getattr(current, "gi_frame", None) is not None:
        template = current.gi_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(current.gi_frame.f_lineno)
        current = getattr(current, "gi_yieldfrom", None)
    return line


# ── the parent: run the child, read its answer ──────────────────────────

_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); from zzperf.report.sandbox import child_main; sys.exit(child_main())"
)
PACKAGE_PARENT = Path(__file__).resolve().parents[2]
"""The folder that holds the ``zzperf`` package, put on the child's ``sys.path``."""


def check_template_file(path: Path, fmt: str) -> None:
    """Refuse a template file too large to be a report template, before anything reads it."""
    import zipfile

    limit = DOCX_TEMPLATE_LIMIT if fmt == "docx" else TEXT_TEMPLATE_LIMIT
    size = path.stat().st_size
    if size > limit:
        raise ZzperfError(f"模板文件过大（{size / 1024 / 1024:.1f} MB，上限 {limit // (1024 * 1024)} MB）", file=path)
    if fmt == "docx" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > DOCX_UNPACKED_LIMIT:
            raise ZzperfError(
                f"Word 模板解压后过大（{unpacked / 1024 / 1024:.0f} MB，"
                f"上限 {DOCX_UNPACKED_LIMIT // (1024 * 1024)} MB）",
                file=path,
                hint="模板应只含报告的格式和文字；请重新从 zzperf report --export-templates 导出后修改",
            )


def render_in_child(context: dict[str, Any], fmt: str, folder: Path, template: Path) -> bytes:
    """The report from the user template ``template`` in ``folder``, rendered in a limited child process."""
    request = pickle.dumps({"context": context, "fmt": fmt, "folder": str(folder)})
    command = [sys.executable, "-I", "-c", _BOOT, str(PACKAGE_PARENT)]
    stopped = ZzperfError(STOPPED, file=template, hint=STOPPED_HINT)
    try:
        completed = subprocess.run(
            command, input=request, capture_output=True, timeout=TIME_LIMIT + STARTUP_ALLOWANCE, check=False
        )
    except subprocess.TimeoutExpired:
        raise stopped from None
    except OSError as error:
        raise ZzperfError(f"无法启动模板渲染进程：{error.strerror or error}", file=template) from None
    answer = _answer(completed.stdout)
    if answer is None:
        if completed.returncode < 0:  # killed: the CPU limit, or out of memory inside a C library
            raise ZzperfError(
                f"模板运行超出时间或内存上限（{TIME_LIMIT} 秒，{MEMORY_LIMIT // (1024 * 1024)} MB），已停止",
                file=template,
                hint="检查模板中的循环（for）、递归的宏（macro）和生成长文本的写法",
            )
        last = completed.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise ZzperfError(f"模板渲染进程意外退出（退出码 {completed.returncode}）：{last[0][:200]}", file=template)
    if "error" in answer:
        error = answer["error"]
        raise ZzperfError(
            error["message"], file=error.get("file") or template, where=error.get("where"), hint=error.get("hint")
        )
    return base64.b64decode(answer["data"], validate=True)


def _answer(stdout: bytes) -> dict[str, Any] | None:
    """The child's JSON answer, checked for shape: the child ran untrusted code, so nothing else is accepted."""
    try:
        answer = json.loads(stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(answer, dict):
        return None
    if isinstance(answer.get("data"), str):
        return {"data": answer["data"]}
    error = answer.get("error")
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        fields = ("message", "file", "where", "hint")
        return {"error": {key: error[key] for key in fields if isinstance(error.get(key), str)}}
    return None


# ── the child ───────────────────────────────────────────────────────────


def _stop(signum: int, frame: Any) -> None:
    raise TemplateStopped


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise ``TemplateStopped`` in this (main) thread after ``seconds``, where the template is running."""
    if hasattr(signal, "setitimer"):
        previous = signal.signal(signal.SIGALRM, _stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    import _thread  # no SIGALRM (Windows): a timer thread interrupts the main thread instead

    previous = signal.signal(signal.SIGINT, _stop)
    timer = threading.Timer(seconds, _thread.interrupt_main)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        signal.signal(signal.SIGINT, previous)


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), or None where that cannot be read."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit_resources() -> None:
    """CPU time, address space and no core file, where the platform has ``resource``."""
    try:
        import resource
    except ImportError:
        return
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(usage.ru_utime + usage.ru_stime) + TIME_LIMIT + 2
    if hasattr(signal, "SIGXCPU"):
        signal.signal(signal.SIGXCPU, _stop)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    used = _address_space()
    if used is not None:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY_LIMIT, used + MEMORY_LIMIT))


def child_main() -> int:
    """Read a request from the parent on stdin, render it under the limits, answer in JSON on stdout."""
    request = pickle.load(sys.stdin.buffer)  # written by our own parent: the report's plain data
    answer_to = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything else printed goes to stderr, never into the answer
    fmt, folder = request["fmt"], Path(request["folder"])
    if fmt == "docx":
        prepare_docx()
    template = folder / TEMPLATE_FILES[fmt]
    try:
        _limit_resources()
        with _deadline(TIME_LIMIT):
            data = render_template(request["context"], fmt, folder)
        answer: dict[str, Any] = {"data": base64.b64encode(data).decode("ascii")}
    except ZzperfError as error:
        answer = {"error": {"message": error.message, "file": error.file, "where": error.where, "hint": error.hint}}
    except TemplateStopped:
        answer = {"error": {"message": STOPPED, "file": str(template), "hint": STOPPED_HINT}}
    except MemoryError:
        answer = {"error": {"message": OUT_OF_MEMORY, "file": str(template)}}
    answer_to.write(json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    answer_to.close()
    return 0
