"""The Jinja2 environments of the report templates, the errors a template author can act on, and Markdown/HTML.

One cached environment per format: ``StrictUndefined`` so a misspelt variable is an error, never a blank;
autoescape on for HTML and Word (whose XML needs ``&`` and ``<`` escaped), off for Markdown. A user's
folder of templates gets a ``ReportSandbox`` instead (``zzperf.report.sandbox``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import jinja2
from jinja2.sandbox import SecurityError

from zzperf.errors import ZzperfError, did_you_mean
from zzperf.report.filters import FILTERS, TESTS, FilterError
from zzperf.resources import shipped_dir

TEMPLATE_FILES: dict[str, str] = {"md": "report.md.j2", "html": "report.html.j2", "docx": "report.docx"}
"""The template file each templated format reads."""


@lru_cache(maxsize=32)
def environment(fmt: str, template_dir: str | None = None) -> jinja2.Environment:
    """The one Jinja2 environment for a format: shipped templates, or a user's folder (``ReportSandbox``).

    ``StrictUndefined``; autoescape for html and docx; every filter and test from ``zzperf.report.filters``.
    Word templates are compiled from the document XML by docxtpl, so their environment has no loader
    and keeps whitespace exactly.
    """
    text = fmt in ("md", "html")
    options: dict[str, Any] = {
        "loader": jinja2.FileSystemLoader(template_dir or shipped_dir("reports"), encoding="utf-8") if text else None,
        "undefined": jinja2.StrictUndefined,
        "autoescape": fmt in ("html", "docx"),
        "trim_blocks": text,
        "lstrip_blocks": text,
        "keep_trailing_newline": True,
    }
    if template_dir is not None:
        # deferred: zzperf.report stays light until a user's template needs the sandbox
        from zzperf.report.sandbox import FolderLoader, ReportSandbox

        options["loader"] = FolderLoader(template_dir) if text else None
        return ReportSandbox(filters=FILTERS, tests=TESTS, **options)
    env = jinja2.Environment(**options)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def run_template(env: jinja2.Environment, template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's output; a sandbox stops it once the output passes its size limit."""
    bounded = getattr(env, "render_bounded", None)
    return bounded(template, context) if bounded is not None else template.render(context)


def stops(sandboxed: bool) -> tuple[type[BaseException], ...]:
    """What stops a user template besides ordinary errors: its deadline."""
    if not sandboxed:
        return ()
    # deferred: zzperf.report stays light until a user's template needs the sandbox
    from zzperf.report.sandbox import TemplateStopped

    return (TemplateStopped,)


# ── errors a template author can act on ─────────────────────────────────

_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")


def template_line(error: BaseException, filename: str) -> int | None:
    """The template line an error was raised at: from Jinja's rewritten traceback, or mapped from its code.

    Errors Jinja does not rewrite (a deadline stopping the template) still pass through the compiled
    template's frames, whose line numbers the template maps back to its own.
    """
    line = getattr(error, "lineno", None)
    tb: TracebackType | None = error.__traceback__
    while tb is not None:
        template = tb.tb_frame.f_globals.get("__jinja_template__")
        if template is not None:
            line = template.get_corresponding_lineno(tb.tb_lineno)
        elif tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _attributes(value: Any) -> list[str]:
    """The names a template can use on a value."""
    if isinstance(value, dict):
        return [str(key) for key in value]
    if hasattr(value, "__dataclass_fields__"):
        properties = [name for name in vars(type(value)) if isinstance(getattr(type(value), name), property)]
        return list(value.__dataclass_fields__) + properties
    if hasattr(type(value), "model_fields"):
        return list(type(value).model_fields)
    if hasattr(value, "__dict__"):
        return [name for name in vars(value) if not name.startswith("_")]
    return []


def _unknown_attribute(attribute: str, line_text: str, context: dict[str, Any] | None) -> tuple[str, str | None]:
    """``dept.nam`` → 未知变量“dept.nam”, with the nearest existing attribute as a hint."""
    match = re.search(rf"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.{re.escape(attribute)}\b", line_text)
    if match is None:
        return f"未知变量：没有属性“{attribute}”", "变量与属性的清单见导出模板中的 README.md"
    owner = match[1]
    value: Any = context
    for part in owner.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    names = _attributes(value)
    hint = did_you_mean(attribute, names) or (f"{owner} 的属性有：{'、'.join(names)}" if names else None)
    return f"未知变量“{owner}.{attribute}”", hint


def _explain(error: BaseException, context: dict[str, Any] | None, line_text: str = "") -> tuple[str, str | None]:
    """The error in Chinese, and a hint."""
    from decimal import DecimalException

    # deferred: zzperf.report stays light until a user's template needs the sandbox
    from zzperf.report.sandbox import OUT_OF_MEMORY, STOPPED, STOPPED_HINT, TemplateLimitError, TemplateStopped

    message = str(getattr(error, "message", None) or error)
    if isinstance(error, TemplateLimitError):
        return message, "用户模板的限制见导出模板中的 README.md"
    if isinstance(error, TemplateStopped):
        return STOPPED, STOPPED_HINT
    if isinstance(error, MemoryError):
        return OUT_OF_MEMORY, "检查模板中生成长文本或长列表的写法"
    if isinstance(error, RecursionError):
        return "模板中的宏（macro）或 include 递归过深，已停止", None
    if isinstance(error, FilterError):
        return message, "过滤器的用法见导出模板中的 README.md"
    if isinstance(error, ZeroDivisionError):
        return "模板中的运算除以 0", "比例请用 pct_of 过滤器：除数为 0 时写“—”"
    if isinstance(error, (DecimalException, OverflowError)):
        return "模板中的运算结果超出可计算的范围", None
    missing = _NO_ATTRIBUTE.search(message) or _UNDEFINED_NAME.match(message)
    internal = isinstance(error, jinja2.UndefinedError) and missing is not None and missing[1].startswith("_")
    if isinstance(error, SecurityError) or "unsafe" in message or internal:
        return f"模板试图访问受保护的内部属性，已拒绝（{message[:160]}）", "模板只能使用报告数据和 zzperf 提供的过滤器"
    if isinstance(error, jinja2.UndefinedError):
        if match := _UNDEFINED_NAME.match(message):
            name = match[1]
            hint = did_you_mean(name, context or {}) if context else None
            if hint is None and context:
                hint = "可用的变量：" + "、".join(sorted(context))
            return f"未知变量“{name}”", hint
        if match := _NO_ATTRIBUTE.search(message):
            return _unknown_attribute(match[1], line_text, context)
        return f"未知变量（{message}）", None
    if isinstance(error, jinja2.TemplateNotFound):
        return f"模板引用的文件“{message}”不存在", "include、import、extends 只能引用模板目录中的文件"
    if isinstance(error, TypeError) and "no loader" in message:
        return "Word 模板不能使用 include、import 或 extends", None
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"模板语法错误：{message}", "检查 {{ }}、{% %} 是否成对，if/for 是否有 endif/endfor"
    if isinstance(error, jinja2.TemplateError):
        return f"模板错误：{message}", None
    if isinstance(error, TypeError):
        return f"模板中的运算或调用用在了不合适的值上（{message[:200]}）", None
    return f"模板运行出错：{type(error).__name__}: {message[:200]}", None


def _source_line(source: str | None, line: int | None) -> str:
    """The template line, with Word's XML tags removed."""
    if not source or not line:
        return ""
    lines = source.splitlines()
    if not 0 < line <= len(lines):
        return ""
    return re.sub(r"<[^>]+>", "", lines[line - 1]).strip()


def _snippet(text: str, focus: str | None, width: int = 60) -> str:
    """At most ``width`` characters of ``text``, around ``focus`` when it occurs there."""
    if len(text) <= width:
        return text
    at = text.find(focus) if focus else -1
    start = 0 if at < 0 else max(0, min(at - width // 3, len(text) - width))
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def template_error(
    error: BaseException,
    file: Path,
    line: int | None,
    source: str | None,
    context: dict[str, Any] | None,
    *,
    place: str = "行",
) -> ZzperfError:
    """A ZzperfError naming the template file, the line (or paragraph) and the variable."""
    text = _source_line(source, line)
    message, hint = _explain(error, context, text)
    focus = re.search(r"“([^”]+)”", message)
    snippet = _snippet(text, focus[1].split(".")[-1] if focus else None)
    if snippet:
        message += f"：{snippet}"
    where = f"第 {line} {place}" if line else None
    return ZzperfError(message, file=file, where=where, hint=hint)


# ── Markdown and HTML ────────────────────────────────────────────────────


def render_text_here(context: dict[str, Any], fmt: Literal["md", "html"], folder: Path | None) -> str:
    """Markdown or HTML in this process: the shipped template, or (in the sandbox's child) ``folder``'s."""
    name = TEMPLATE_FILES[fmt]
    sandboxed = folder is not None
    folder = template_folder(folder, name)
    env = environment(fmt, str(folder) if sandboxed else None)
    path = folder / name
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        raise template_error(error, path, error.lineno, error.source or _read(path), context) from None
    except (Exception, *stops(sandboxed)) as error:  # compiling folds constants, which runs filters
        if not sandboxed:
            raise
        raise template_error(error, path, template_line(error, str(path)), _read(path), context) from None
    try:
        text = run_template(env, template, context)
    except (Exception, *stops(sandboxed)) as error:  # any failure inside a template becomes one clear message
        if not sandboxed and not isinstance(error, jinja2.TemplateError):
            raise
        line = template_line(error, str(template.filename or path))
        raise template_error(error, path, line, _read(path), context) from None
    return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def template_folder(template_dir: Path | None, name: str) -> Path:
    if template_dir is None:
        return shipped_dir("reports")
    if not template_dir.is_dir():
        raise ZzperfError(
            "模板目录不存在", file=template_dir, hint="先用 zzperf report --export-templates 目录 导出模板"
        )
    if not (template_dir / name).is_file():
        raise ZzperfError(
            f"模板目录中没有 {name}",
            file=template_dir,
            hint="用 zzperf report --export-templates 目录 导出全部模板后修改",
        )
    return template_dir.resolve()
