"""The report as a Word document: docxtpl renders ``report.docx``, and the score table's groups are merged.

docxtpl is imported only when a Word document is made.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from zzperf.errors import ZzperfError
from zzperf.report.environment import (
    TEMPLATE_FILES,
    environment,
    run_template,
    stops,
    template_error,
    template_folder,
    template_line,
)
from zzperf.report.filters import FilterError


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

        def render_properties(self, context, jinja_env=None):  # noqa: ANN001, ANN202
            # document properties are plain text, not XML: no escaping, or "&" would show as "&amp;"
            plain = jinja_env.overlay(autoescape=False) if jinja_env is not None else None
            return super().render_properties(context, plain)

        def render_xml_part(self, src_xml, part, context, jinja_env=None):  # noqa: ANN001, ANN202
            source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            try:
                dst_xml = run_template(jinja_env, _compiled(jinja_env, source), context)
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


def render_docx_here(context: dict[str, Any], folder: Path | None) -> bytes:
    """A Word document in this process: the shipped template, or (in the sandbox's child) ``folder``'s."""
    sandboxed = folder is not None
    folder = template_folder(folder, TEMPLATE_FILES["docx"])
    path = folder / TEMPLATE_FILES["docx"]
    data = _template_bytes(str(path), path.stat().st_mtime_ns)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ZzperfError("不是有效的 Word 文档（.docx）", file=path, hint="在 Word 中“另存为”Word 文档（*.docx）格式")
    template = _docx_class()(io.BytesIO(data))
    env = environment("docx", str(folder) if sandboxed else None)
    try:
        template.render(context, jinja_env=env)
    except (Exception, *stops(sandboxed)) as error:  # any failure inside a template becomes one clear message
        if not sandboxed and not isinstance(error, jinja2.TemplateError):
            raise
        if (
            isinstance(error, (KeyError, ValueError))
            and not isinstance(error, FilterError)
            and template.failed_source is None
        ):
            raise ZzperfError(f"不是有效的 Word 模板：{error}", file=path) from None
        line = template_line(error, "<template>")
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
