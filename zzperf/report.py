"""The 部门整体支出绩效自评报告 in Word (docxtpl), Markdown and HTML (Jinja2), and the 自评表 in Excel (openpyxl).

Shipped templates live in ``reports/`` (installed as ``zzperf/reports``) and render in one cached
Jinja2 environment per format: ``StrictUndefined`` so a misspelt variable is an error, never a blank;
autoescape on for HTML and Word (whose XML needs ``&`` and ``<`` escaped), off for Markdown. Templates a
user supplies with ``--template DIR`` see the same plain data and filters, but render in
``zzperf.report_sandbox``: a bounded sandbox in a child process with a time and memory limit.

docxtpl and openpyxl are imported only when a Word or Excel file is made.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from jinja2.sandbox import SecurityError

from zzperf.errors import ZzperfError, did_you_mean
from zzperf.filters import FILTERS, TESTS, FilterError
from zzperf.report_context import plain_context
from zzperf.resources import shipped_dir
from zzperf.tomlio import write_bytes_atomic

if TYPE_CHECKING:
    from zzperf.workspace import Workspace

Format = Literal["docx", "md", "html", "xlsx"]
FORMATS: tuple[Format, ...] = ("docx", "md", "html", "xlsx")
TEMPLATE_FILES: dict[str, str] = {"md": "report.md.j2", "html": "report.html.j2", "docx": "report.docx"}
"""The template file each templated format reads."""
EXPORTED_FILES = ("report.docx", "report.md.j2", "report.html.j2", "README.md")
"""What ``--export-templates`` copies: the three templates and the description of their variables."""
SUFFIXES: dict[str, str] = {"docx": ".docx", "md": ".md", "html": ".html", "xlsx": ".xlsx"}

def default_name(department: str, year: int, fmt: Format) -> str:
    """``株洲市政务服务中心-2018年度部门整体支出绩效自评报告.docx``; the Excel file is the 自评表."""
    what = "部门整体支出绩效自评表" if fmt == "xlsx" else "部门整体支出绩效自评报告"
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", department).strip() or "部门"
    return f"{safe}-{year}年度{what}{SUFFIXES[fmt]}"


# ── environments ─────────────────────────────────────────────────────────


@lru_cache(maxsize=32)
def environment(fmt: str, template_dir: str | None = None) -> jinja2.Environment:
    """The one Jinja2 environment for a format: shipped templates, or a user's folder (``ReportSandbox``).

    ``StrictUndefined``; autoescape for html and docx; every filter and test from ``zzperf.filters``.
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
        from zzperf.report_sandbox import FolderLoader, ReportSandbox

        options["loader"] = FolderLoader(template_dir) if text else None
        return ReportSandbox(filters=FILTERS, tests=TESTS, **options)
    env = jinja2.Environment(**options)
    env.filters.update(FILTERS)
    env.tests.update(TESTS)
    return env


def _run(env: jinja2.Environment, template: jinja2.Template, context: dict[str, Any]) -> str:
    """The template's output; a sandbox stops it once the output passes its size limit."""
    bounded = getattr(env, "render_bounded", None)
    return bounded(template, context) if bounded is not None else template.render(context)


def _stops(sandboxed: bool) -> tuple[type[BaseException], ...]:
    """What stops a user template besides ordinary errors: its deadline."""
    if not sandboxed:
        return ()
    from zzperf.report_sandbox import TemplateStopped

    return (TemplateStopped,)


# ── errors a template author can act on ─────────────────────────────────

_UNDEFINED_NAME = re.compile(r"^'([^']+)' is undefined")
_NO_ATTRIBUTE = re.compile(r"has no attribute '([^']+)'")


def _template_line(error: BaseException, filename: str) -> int | None:
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

    from zzperf.report_sandbox import OUT_OF_MEMORY, STOPPED, STOPPED_HINT, TemplateLimitError, TemplateStopped

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
    error: BaseException, file: Path, line: int | None, source: str | None, context: dict[str, Any] | None, *,
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


def render_text(context: dict[str, Any], fmt: Literal["md", "html"], template_dir: Path | None = None) -> str:
    """The report as Markdown or HTML, from the shipped template or ``template_dir``'s (sandboxed)."""
    return render(context, fmt, template_dir).decode("utf-8")


def _render_text(context: dict[str, Any], fmt: Literal["md", "html"], folder: Path | None) -> str:
    """Markdown or HTML in this process: the shipped template, or (in the sandbox's child) ``folder``'s."""
    name = TEMPLATE_FILES[fmt]
    sandboxed = folder is not None
    folder = _template_folder(folder, name)
    env = environment(fmt, str(folder) if sandboxed else None)
    path = folder / name
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as error:
        raise template_error(error, path, error.lineno, error.source or _read(path), context) from None
    except (Exception, *_stops(sandboxed)) as error:  # compiling folds constants, which runs filters
        if not sandboxed:
            raise
        raise template_error(error, path, _template_line(error, str(path)), _read(path), context) from None
    try:
        text = _run(env, template, context)
    except (Exception, *_stops(sandboxed)) as error:  # any failure inside a template becomes one clear message
        if not sandboxed and not isinstance(error, jinja2.TemplateError):
            raise
        line = _template_line(error, str(template.filename or path))
        raise template_error(error, path, line, _read(path), context) from None
    return re.sub(r"\n{3,}", "\n\n", text) if fmt == "md" else text


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _template_folder(template_dir: Path | None, name: str) -> Path:
    if template_dir is None:
        return shipped_dir("reports")
    if not template_dir.is_dir():
        raise ZzperfError("模板目录不存在", file=template_dir, hint="先用 zzperf report --export-templates 目录 导出模板")
    if not (template_dir / name).is_file():
        raise ZzperfError(
            f"模板目录中没有 {name}", file=template_dir, hint="用 zzperf report --export-templates 目录 导出全部模板后修改"
        )
    return template_dir.resolve()


# ── Word ────────────────────────────────────────────────────────────────


@lru_cache(maxsize=8)
def _template_bytes(path: str, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


@lru_cache(maxsize=64)
def _compiled(env: jinja2.Environment, source: str) -> jinja2.Template:
    return env.from_string(source)


@lru_cache(maxsize=1)
def _docx_class() -> type:
    """docxtpl's template class with compiled-template caching and errors located in the document."""
    from docxtpl import DocxTemplate

    class ReportTemplate(DocxTemplate):  # type: ignore[misc, valid-type]
        """Renders with a cached compiled template; a failing paragraph is kept for the error message."""

        failed_source: str | None = None

        def patch_xml(self, src_xml: str) -> str:
            return _patched(super().patch_xml, src_xml)

        def render_properties(self, context, jinja_env=None):  # noqa: ANN001, ANN201
            # document properties are plain text, not XML: no escaping, or "&" would show as "&amp;"
            plain = jinja_env.overlay(autoescape=False) if jinja_env is not None else None
            return super().render_properties(context, plain)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):  # noqa: ANN001, ANN201
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            try:
                dst_xml = _run(jinja_env, _compiled(jinja_env, source), context)
            except BaseException:
                self.failed_source = source
                raise
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            return self.resolve_listing(dst_xml)

    return ReportTemplate


_PATCHED: dict[str, str] = {}


def _patched(patch: Any, src_xml: str) -> str:
    """docxtpl's XML clean-up, remembered for the few distinct parts a template has."""
    cached = _PATCHED.get(src_xml)
    if cached is None:
        cached = patch(src_xml)
        if len(_PATCHED) > 64:
            _PATCHED.clear()
        _PATCHED[src_xml] = cached
    return cached


def prepare_docx() -> None:
    """Import docxtpl now, before limits apply to what follows."""
    _docx_class()


def render_docx(context: dict[str, Any], template_dir: Path | None = None) -> bytes:
    """The report as a Word document, from the shipped ``report.docx`` or ``template_dir``'s (sandboxed)."""
    return render(context, "docx", template_dir)


def _render_docx(context: dict[str, Any], folder: Path | None) -> bytes:
    """A Word document in this process: the shipped template, or (in the sandbox's child) ``folder``'s."""
    sandboxed = folder is not None
    folder = _template_folder(folder, TEMPLATE_FILES["docx"])
    path = folder / TEMPLATE_FILES["docx"]
    data = _template_bytes(str(path), path.stat().st_mtime_ns)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ZzperfError("不是有效的 Word 文档（.docx）", file=path, hint="在 Word 中“另存为”Word 文档（*.docx）格式")
    template = _docx_class()(io.BytesIO(data))
    env = environment("docx", str(folder) if sandboxed else None)
    try:
        template.render(context, jinja_env=env)
    except (Exception, *_stops(sandboxed)) as error:  # any failure inside a template becomes one clear message
        if not sandboxed and not isinstance(error, jinja2.TemplateError):
            raise
        if isinstance(error, (KeyError, ValueError)) and not isinstance(error, FilterError) and template.failed_source is None:
            raise ZzperfError(f"不是有效的 Word 模板：{error}", file=path) from None
        line = _template_line(error, "<template>")
        raise template_error(error, path, line, template.failed_source, context, place="段附近") from None
    merge_score_cells(template.docx)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _cell_text(tc: Any) -> str:
    return "".join(node.text or "" for node in tc.iter(f"{_W}t")).strip()


def merge_score_cells(document: Any) -> None:
    """Merge the 一级/二级 cells of the score table vertically over their rows, as a printed 自评表 does.

    The template prints a group's name on its first row and leaves the cell blank below; each blank
    cell is joined with the named one above it. Any table whose header starts with 一级指标 is treated;
    a row whose first cell spans several columns (a subtotal) ends the groups above it.
    """
    for table in document.tables:
        rows = table._tbl.tr_lst
        if not rows or not rows[0].tc_lst or _cell_text(rows[0].tc_lst[0]) != "一级指标":
            continue
        for column in (0, 1):
            groups: list[list[Any]] = []
            current: list[Any] | None = None
            for tr in rows[1:]:
                cells = tr.tc_lst
                if len(cells) < 3 or cells[0].grid_span > 1:
                    current = None
                    continue
                cell = cells[column]
                if _cell_text(cell):
                    current = [cell]
                    groups.append(current)
                elif current is not None:
                    current.append(cell)
            for group in groups:
                if len(group) < 2:
                    continue
                group[0].vMerge = "restart"
                for cell in group[1:]:
                    cell.vMerge = "continue"
                    for paragraph in cell.p_lst:
                        for run in paragraph.r_lst:
                            paragraph.remove(run)


# ── Excel ────────────────────────────────────────────────────────────────


def render_xlsx(context: dict[str, Any]) -> bytes:
    """The 部门整体支出绩效自评表 with live SUM formulas for every subtotal and the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    scores = context["scores"]
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    headers = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "扣分原因")
    widths = (10, 14, 24, 8, 16, 16, 8, 48)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="仿宋", size=10.5)
    bold = Font(name="黑体", size=10.5)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    shade = PatternFill("solid", fgColor="D9D9D9")
    light = PatternFill("solid", fgColor="F2F2F2")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def merge(first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a block; the cells under it keep their borders and lose their values (as Excel shows them)."""
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                if (row, column) != (first_row, first_column):
                    sheet.cell(row, column).value = None
        corner, end = f"{get_column_letter(first_column)}{first_row}", f"{get_column_letter(last_column)}{last_row}"
        sheet.merged_cells.add(MergedCellRange(sheet, f"{corner}:{end}"))

    merge(1, 1, 1, len(headers))
    sheet["A1"] = "部门整体支出绩效自评表"
    sheet["A1"].font = Font(name="黑体", size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    merge(2, 1, 2, len(headers))
    sheet["A2"] = f"部门(单位)名称：{context['dept'].name}    评价年度：{context['year']} 年度    指标体系：{scores.set_name}"
    sheet["A2"].font = body
    header_row = 3
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column, title)
        cell.font, cell.alignment, cell.border, cell.fill = bold, centre, border, shade
    sheet.row_dimensions[header_row].height = 22

    row_number = header_row
    top_refs: list[tuple[str, str]] = []
    rows_by_level1: dict[str, list] = {}
    for row in scores.rows:
        if row.kind == "leaf":
            rows_by_level1.setdefault(row.level1, []).append(row)

    named: dict[tuple[int, bool, bool, int], str] = {}

    def style(font: Font, centred: bool, number: bool, fill: PatternFill | None) -> str:
        """One registered named style per combination: far quicker than styling each cell."""
        key = (id(font), centred, number, id(fill))
        if key not in named:
            from openpyxl.styles import NamedStyle

            name = f"zzperf{len(named)}"
            look = NamedStyle(name=name, font=font, border=border, alignment=centre if centred else wrap)
            if number:
                look.number_format = "0.00"
            if fill is not None:
                look.fill = fill
            book.add_named_style(look)
            named[key] = name
        return named[key]

    def put(values: tuple[Any, ...], *, font: Font = body, fill: PatternFill | None = None) -> int:
        nonlocal row_number
        row_number += 1
        lines = 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row_number, column, value)
            cell.style = style(font, column in (1, 2, 4, 7), column in (4, 7), fill)
            if isinstance(value, str) and value.startswith("=") and column not in (4, 7):
                cell.data_type = "s"  # text such as "=0%" is shown as written, never run as a formula
            label_of_merged_row = font is bold and column < 4  # spans several columns
            if isinstance(value, str) and cell.data_type == "s" and not label_of_merged_row:
                lines = max(lines, _wrapped_lines(value, widths[column - 1]))
        if lines > 1:  # Excel does not grow rows for wrapped text written by a program
            sheet.row_dimensions[row_number].height = 14 * lines + 4
        return row_number

    for group in scores.groups:
        leaves = rows_by_level1.get(group.name, [])
        level2_refs: list[str] = []
        first_of_group = row_number + 1
        by_level2: dict[str, list] = {}
        for leaf in leaves:
            by_level2.setdefault(leaf.level2, []).append(leaf)
        for level2, members in by_level2.items():
            first = row_number + 1
            for leaf in members:
                put((
                    leaf.level1, leaf.level2, leaf.level3 or leaf.level2 or leaf.level1, leaf.points,
                    leaf.target, leaf.actual, leaf.score, leaf.reason,
                ))
            end = row_number
            if level2 and leaf.level3:
                if end > first:
                    merge(first, 2, end, 2)
                subtotal = put(
                    (group.name, f"{level2}小计", None, f"=SUM(D{first}:D{end})", None, None,
                     f"=SUM(G{first}:G{end})", None),
                    font=bold, fill=light,
                )
                merge(subtotal, 2, subtotal, 3)
                level2_refs.append(str(subtotal))
            else:
                level2_refs.extend(str(number) for number in range(first, end + 1))
        if row_number >= first_of_group:
            merge(first_of_group, 1, row_number, 1)
        pending = "" if group.complete else f"{group.pending_points:.2f} 分待评"
        subtotal = put(
            (f"{group.name}小计", None, None, "=SUM(" + ",".join(f"D{r}" for r in level2_refs) + ")", None, None,
             "=SUM(" + ",".join(f"G{r}" for r in level2_refs) + ")", pending),
            font=bold, fill=shade,
        )
        merge(subtotal, 1, subtotal, 3)
        top_refs.append((f"D{subtotal}", f"G{subtotal}"))

    total = put(
        ("合计", None, None, "=SUM(" + ",".join(d for d, _ in top_refs) + ")", None, None,
         "=SUM(" + ",".join(g for _, g in top_refs) + ")", "；".join(scores.adjustments)),
        font=bold, fill=shade,
    )
    merge(total, 1, total, 3)
    if scores.adjustments:
        adjusted = put(("折算或封顶后总分", None, None, None, None, None, scores.total, "；".join(scores.adjustments)), font=bold)
        merge(adjusted, 1, adjusted, 3)
    grade = put(("自评等级", None, None, None, None, None, scores.grade_text, _pending_note(scores)), font=bold)
    merge(grade, 1, grade, 3)

    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    book.properties.title = f"{context['dept'].name}{context['year']}年度部门整体支出绩效自评表"
    book.properties.creator = "zzperf"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (a CJK character counts two)."""
    import math
    import unicodedata

    room = max(1.0, width - 1.5)
    total = 0
    for line in text.split("\n"):
        size = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
        total += max(1, math.ceil(size / room))
    return total


def _pending_note(scores: Any) -> str:
    notes = []
    if not scores.complete:
        names = "、".join(f"{item.name}（{item.status}）" for item in scores.pending)
        notes.append(f"暂定：尚有 {len(scores.pending)} 项共 {scores.pending_points:.2f} 分未评定：{names}")
    if scores.drafts:
        notes.append(f"{len(scores.drafts)} 项评分未经评价人确认（草稿）：{'、'.join(scores.drafts)}")
    return "；".join(notes)


# ── one call for each use ────────────────────────────────────────────────


def render(context: dict[str, Any], fmt: Format, template_dir: Path | None = None) -> bytes:
    """The finished file's bytes for one format; nothing is written.

    A user's ``template_dir`` renders in a limited child process (``zzperf.report_sandbox``); the shipped
    templates render here.
    """
    context = plain_context(context)
    if fmt == "xlsx":
        if template_dir is not None:
            raise ZzperfError("Excel 自评表不使用模板，--template 只适用于 docx、md 和 html")
        return render_xlsx(context)
    if fmt not in TEMPLATE_FILES:
        raise ZzperfError(f"未知的报告格式“{fmt}”", hint=f"可选：{'、'.join(FORMATS)}")
    if template_dir is None:
        return render_template(context, fmt, None)
    from zzperf.report_sandbox import check_template_file, render_in_child

    folder = _template_folder(template_dir, TEMPLATE_FILES[fmt])
    path = folder / TEMPLATE_FILES[fmt]
    check_template_file(path, fmt)
    return render_in_child(context, fmt, folder, path)


def render_template(context: dict[str, Any], fmt: str, folder: Path | None) -> bytes:
    """One templated format rendered in this process: shipped templates, or ``folder``'s in the sandbox.

    Only the sandbox's child process passes a ``folder``; everything else calls ``render``.
    """
    if fmt == "docx":
        return _render_docx(context, folder)
    return _render_text(context, fmt, folder).encode("utf-8")  # type: ignore[arg-type]


def write_report(
    workspace: Workspace,
    year: int,
    fmt: Format = "docx",
    out: Path | None = None,
    template_dir: Path | None = None,
) -> Path:
    """Render one year's report and write it atomically; returns the path written."""
    from zzperf.report_context import context_for

    context = context_for(workspace, year)
    data = render(context, fmt, template_dir)
    target = out if out is not None else workspace.year_dir(year) / default_name(workspace.profile.name, year, fmt)
    if target.is_dir():
        target = target / default_name(workspace.profile.name, year, fmt)
    write_bytes_atomic(target, data)
    return target


def export_templates(target: Path) -> list[Path]:
    """Copy the shipped templates into ``target`` for editing; refuses to overwrite anything."""
    source = shipped_dir("reports")
    existing = [target / name for name in EXPORTED_FILES if (target / name).exists()]
    if existing:
        raise ZzperfError(
            f"目标目录中已有 {'、'.join(path.name for path in existing)}，未覆盖",
            file=target,
            hint="换一个空目录，或先移走这些文件",
        )
    if target.exists() and not target.is_dir():
        raise ZzperfError("目标不是目录", file=target)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name in EXPORTED_FILES:
        temporary = target / f".{name}.tmp"
        shutil.copyfile(source / name, temporary)
        os.replace(temporary, target / name)
        written.append(target / name)
    return written


__all__ = [
    "FORMATS",
    "default_name",
    "environment",
    "export_templates",
    "render",
    "render_docx",
    "render_text",
    "render_xlsx",
    "write_report",
]
