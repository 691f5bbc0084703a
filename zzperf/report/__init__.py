"""The 部门整体支出绩效自评报告 in Word (docxtpl), Markdown and HTML (Jinja2), and the 自评表 in Excel (openpyxl).

Shipped templates live in ``reports/`` (installed as ``zzperf/reports``). ``context`` builds the plain data
a template sees, ``filters`` words its figures, ``environment`` renders Markdown and HTML, ``docx`` Word
and ``xlsx`` the 自评表. Templates a user supplies with ``--template DIR`` see the same plain data and
filters, but render in ``sandbox``: a bounded sandbox in a child process with a time and memory limit.

docxtpl and openpyxl are imported only when a Word or Excel file is made.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from zzperf.errors import ZzperfError
from zzperf.report.context import build_context, cited_notice, context_for
from zzperf.report.docx import merge_score_cells, prepare_docx, render_docx_here
from zzperf.report.environment import TEMPLATE_FILES, environment, render_text_here, template_error, template_folder
from zzperf.report.filters import FILTERS, TESTS, FilterError
from zzperf.report.records import RECORDS, Figure, plain, plain_context
from zzperf.report.xlsx import render_xlsx
from zzperf.resources import shipped_dir
from zzperf.tomlio import write_bytes_atomic
from zzperf.workspace import COVER_DETAILS
from zzperf.workspace.files import safe_file_name

if TYPE_CHECKING:
    from zzperf.checks import Finding
    from zzperf.evaluation import Evaluation
    from zzperf.scoring import IndicatorResult, ScoreCard
    from zzperf.workspace import Profile, Workspace

Format = Literal["docx", "md", "html", "xlsx"]
FORMATS: tuple[Format, ...] = ("docx", "md", "html", "xlsx")
EXPORTED_FILES = ("report.docx", "report.md.j2", "report.html.j2", "README.md")
"""What ``--export-templates`` copies: the three templates and the description of their variables."""
SUFFIXES: dict[str, str] = {"docx": ".docx", "md": ".md", "html": ".html", "xlsx": ".xlsx"}


def default_name(department: str, year: int, fmt: Format, review: bool = False) -> str:
    """``株洲市政务服务中心-2018年度部门整体支出绩效自评报告.docx``; the Excel file is the 自评表.

    ``review``: the finance bureau's version, named apart (``…自评报告（复核版）.docx``) so that it never takes the
    place of the department's own report.
    """
    what = "部门整体支出绩效自评表" if fmt == "xlsx" else "部门整体支出绩效自评报告"
    return f"{safe_file_name(department, '部门')}-{year}年度{what}{'（复核版）' if review else ''}{SUFFIXES[fmt]}"


def render_text(context: dict[str, Any], fmt: Literal["md", "html"], template_dir: Path | None = None) -> str:
    """The report as Markdown or HTML, from the shipped template or ``template_dir``'s (sandboxed)."""
    return render(context, fmt, template_dir).decode("utf-8")


def render_docx(context: dict[str, Any], template_dir: Path | None = None) -> bytes:
    """The report as a Word document, from the shipped ``report.docx`` or ``template_dir``'s (sandboxed)."""
    return render(context, "docx", template_dir)


def render(context: dict[str, Any], fmt: Format, template_dir: Path | None = None) -> bytes:
    """The finished file's bytes for one format; nothing is written.

    A user's ``template_dir`` renders in a limited child process (``zzperf.report.sandbox``); the shipped
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
    # deferred: zzperf.report stays light until a user's template needs the sandbox
    from zzperf.report.sandbox import check_template_file, render_in_child

    folder = template_folder(template_dir, TEMPLATE_FILES[fmt])
    path = folder / TEMPLATE_FILES[fmt]
    check_template_file(path, fmt)
    return render_in_child(context, fmt, folder, path)


def render_template(context: dict[str, Any], fmt: str, folder: Path | None) -> bytes:
    """One templated format rendered in this process: shipped templates, or ``folder``'s in the sandbox.

    Only the sandbox's child process passes a ``folder``; everything else calls ``render``.
    """
    if fmt == "docx":
        return render_docx_here(context, folder)
    return render_text_here(context, fmt, folder).encode("utf-8")  # type: ignore[arg-type]


def write_report(
    workspace: Workspace,
    year: int,
    fmt: Format = "docx",
    out: Path | None = None,
    template_dir: Path | None = None,
    appendix: bool = False,
    review: bool = False,
) -> Path:
    """Render one year's report and write it atomically; returns the path written.

    ``appendix``: end the report with the 数据校验结果 (off by default: it publishes the accounts' open errors).
    ``review``: print the finance bureau's 复核 beside the 自评 (off by default: the report is the department's own;
    an error when the year has no 复核 record).
    """
    context = context_for(workspace, year, appendix=appendix, review=review)
    data = render(context, fmt, template_dir)
    name = default_name(workspace.profile.name, year, fmt, review=review)
    target = out if out is not None else workspace.year_dir(year) / name
    if target.is_dir():
        target = target / name
    write_bytes_atomic(target, data)
    return target


PROFILE_PARTS = {**COVER_DETAILS, "duties": "主要职责", "structure": "内设机构"}
"""The department's parts of the report, as ``zzperf.toml`` names them and as the report does: the cover details the
report screen edits, and those edited in the file."""


def unfilled(profile: Profile, evaluation: Evaluation) -> tuple[list[str], list[tuple[str, str]]]:
    """The parts of a year's report left empty, which it shows as （未填写）: the year's own (its goal, the
    notice it answers, who evaluated and when, its texts), and the department's from ``zzperf.toml`` (each as its
    name and its key there)."""
    from zzperf.evaluation import REPORT_TEXTS, report_text  # titles read from the source: only when a report is made

    year = {
        "自评依据的通知": cited_notice(profile, evaluation),
        "评价机构": evaluation.evaluator,
        "填报日期": evaluation.date,
        **{title: report_text(evaluation, key) for key, title in REPORT_TEXTS.items()},
    }
    empty = [name for name, text in year.items() if not text.strip()]
    department = [(name, key) for key, name in PROFILE_PARTS.items() if not getattr(profile, key)]
    return empty, department


def submission_notes(
    card: ScoreCard,
    errors: Sequence[Finding],
    *,
    appendix: bool = False,
    see_checks: str = "详见 zzperf check",
    see_scores: str = "详见 zzperf score",
    add_appendix: str = "如需附上请加 --appendix",
    empty: tuple[Sequence[str], Sequence[tuple[str, str]]] = ((), ()),
    fill_year: str = "在评分界面的报告页 F4 或该年度的 evaluation.toml 中填写",
    fill_cover: str = "在评分界面的报告页 F4 或工作区的 zzperf.toml 中填写 {keys}",
) -> list[str]:
    """What to know before submitting a year's report, a sentence each: the 勾稽 errors still open, the items
    without a score, the scores held back for their reason, caps on the total, the scores not yet confirmed, and
    the parts of the report left empty (``empty``: the year's and the department's, as ``unfilled`` gives them).

    ``see_checks`` and ``see_scores`` say where to look (a command, or a key in the TUI); ``add_appendix`` how to
    attach the check results, when the report has none; ``fill_year`` where the year's parts are written,
    ``fill_cover`` where the department's cover details are (``{keys}``: their keys in ``zzperf.toml``).
    """
    shown = card.indicator_set.shown_names  # a name two leaves share, with the group above it

    def named(results: Sequence[IndicatorResult]) -> str:
        return "、".join(shown[result.indicator.id] for result in results)

    notes = []
    if errors:
        where = "见报告附录" if appendix else "，".join(filter(None, ["报告未附校验结果", add_appendix]))
        notes.append(f"决算数据有 {len(errors)} 个勾稽错误未解决（{where}；{see_checks}）")
    if card.pending:
        notes.append(f"{len(card.pending)} 项指标尚未得分，总分与等级为暂定（{see_scores}）")
    if card.held_back:
        notes.append(f"{len(card.held_back)} 项评分缺理由，得分为草稿，未计入总分：{named(card.held_back)}")
    if card.unadopted:
        notes.append(f"{len(card.unadopted)} 项调整自动得分缺理由，未采用（按自动得分计）：{named(card.unadopted)}")
    if card.caps:
        notes.append("；".join(cap.text for cap in card.caps))
    if card.drafts:
        notes.append(f"{len(card.drafts)} 项评分尚未确认（草稿）：{named(card.drafts)}")
    year, department = empty
    parts = [f"{'、'.join(year)}（{fill_year}）"] if year else []
    for cover in (True, False):
        parts_here = [(name, key) for name, key in department if (key in COVER_DETAILS) == cover]
        if parts_here:
            keys = "、".join(key for _, key in parts_here)
            where = fill_cover.format(keys=keys) if cover else f"在工作区的 zzperf.toml 中填写 {keys}"
            parts.append(f"{'、'.join(name for name, _ in parts_here)}（{where}）")
    if parts:
        notes.append(f"报告中有 {len(year) + len(department)} 处写作“（未填写）”：{'；'.join(parts)}")
    return notes


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
    "EXPORTED_FILES",
    "FILTERS",
    "FORMATS",
    "SUFFIXES",
    "TEMPLATE_FILES",
    "TESTS",
    "Figure",
    "FilterError",
    "Format",
    "RECORDS",
    "build_context",
    "context_for",
    "default_name",
    "environment",
    "export_templates",
    "merge_score_cells",
    "plain",
    "plain_context",
    "prepare_docx",
    "render",
    "render_docx",
    "render_template",
    "render_text",
    "render_xlsx",
    "template_error",
    "write_report",
]
