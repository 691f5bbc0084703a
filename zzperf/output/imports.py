"""The import summary in a terminal: tables read, rows left out, conflicts, suggestions, differences."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from zzperf.amounts import fmt_money
from zzperf.importing.grid import norm
from zzperf.importing.plan import ImportPlan, YearPlan
from zzperf.importing.result import ImportResult, Problem, Suggestion
from zzperf.importing.tables import KINDS, display_name

if TYPE_CHECKING:
    from rich.console import Console

CHANGES_SHOWN = 40
"""Differences listed one by one; the rest are counted."""


IMPORT_HEADER = ("表", "位置", "单位", "读入行", "导入数字", "未导入", "无法识别")
IMPORT_WORDS = {"表": 12, "位置": 8}
"""The import summary's columns of words, which wrap, and the width below which each is squeezed only as a last
resort; the counts and the unit are never cut."""


def print_department(console: Console, result: ImportResult, name: str) -> None:
    """注意, when the file names its department otherwise than the workspace (``name``): in red when it looks like
    another department's."""
    said = result.department_note(name)
    if said:
        console.print(f"注意：{said}", style="bold red" if result.other_department(name) else "yellow")


def print_result(console: Console, result: ImportResult) -> None:
    """Per-table summary, notes, rows not understood and conflicts; the table fitted to the terminal (a narrow one
    leaves out 位置 and says so)."""
    from rich.text import Text

    from zzperf.output.columns import print_fitted

    department = f"，部门：{result.department}" if result.department else ""
    console.print(f"读取 {result.source.name}（{result.form}）：{result.year} 年度{department}", style="bold")
    body: list[list[tuple[str, str]]] = []
    for read in result.tables:
        material = any(note.material for note in read.not_understood)
        body.append(
            [
                (read.name if read.kind else f"（不导入）{read.title}", ""),
                (read.where, ""),
                (read.unit or "—", ""),
                (str(read.rows_read), ""),
                (str(read.figure_count), ""),
                (str(len(read.not_stored)), ""),
                (str(len(read.not_understood)), "red" if material else ""),
            ]
        )
    for kind in result.missing:
        body.append([(display_name(kind), ""), ("未找到", "red"), *[("", "")] * 5])
    print_fitted(console, "", IMPORT_HEADER, body, [IMPORT_HEADER.index("位置")], IMPORT_WORDS, "", "right")
    for read in result.tables:
        if read.kind is not None and norm(read.title) != norm(KINDS[read.kind][0]):
            console.print(Text(f"  · {read.name}：原表题为“{read.title}”（{read.label or read.where}）", style="dim"))
        for note in read.notes:
            console.print(Text(f"  · {read.name}：{note}", style="dim"))
        if read.not_stored:
            reasons = Counter(note.reason for note in read.not_stored)
            for reason, count in reasons.items():
                examples = [note.text for note in read.not_stored if note.reason == reason][:2]
                console.print(
                    Text(f"  · {read.name}：{count} 行未导入（{reason}），如“{'”“'.join(examples)}”", style="dim")
                )
    for note in result.notes:
        console.print(Text(f"  · {note}", style="dim"))
    rows = result.not_understood
    if rows and result.read_no_figures and not any(note.material for _, note in rows):
        # nothing read anywhere (a blank template): the refusal below says why, row after row would bury it
        said = f"无法识别的行：{len(rows)} 行，都没有金额（各表中没有读到任何数字，见下），未逐行列出"
        console.print(Text(said, style="dim"))
    elif rows:
        console.print("无法识别的行：", style="bold red" if any(note.material for _, note in rows) else "bold")
        for read, note in rows:
            tail = "" if note.material else "（数字均为 0 或空，可略过）"
            console.print(Text(f"  {read.name} {note.where}：“{note.text}” — {note.reason}{tail}"))
    if result.conflicts:
        console.print("表间不一致（照原表导入，请核对原表）：", style="bold yellow")
        for conflict in result.conflicts:
            console.print(Text(f"  {conflict.message}"))


def print_suggestions(console: Console, suggestions: Sequence[Suggestion], *, accepted: bool) -> None:
    """The narrative figures, each with its sentence and how it was derived."""
    from rich.text import Text

    if not suggestions:
        return
    if accepted:
        console.print("说明文字中的数字（已按 --accept-suggestions 采纳，有分歧的除外）：", style="bold")
    else:
        console.print("说明文字中的数字（建议；加 --accept-suggestions 才会写入）：", style="bold")
    shown: list[object] = []
    for number, suggestion in enumerate(suggestions, start=1):
        year = f"{suggestion.year} 年度 " if suggestion.year != _main_year(suggestions) else ""
        unit = " 万元" if isinstance(suggestion.value, Decimal) else ""
        value = fmt_money(suggestion.value) if isinstance(suggestion.value, Decimal) else str(suggestion.value)
        style = "yellow" if suggestion.conflict else "cyan"
        console.print(Text(f"  [{number}] {year}{suggestion.label} = {value}{unit}", style=style))
        if suggestion.sources != shown:
            for source in suggestion.sources[:3]:
                console.print(Text(f"      “{_short(source.sentence)}”（{source.where}）", style="dim"))
            shown = list(suggestion.sources)
        if suggestion.how:
            console.print(Text(f"      {suggestion.how}", style="dim"))
        if suggestion.conflict:
            console.print(Text(f"      ⚠ {suggestion.conflict}", style="yellow"))
        if suggestion.warning:
            console.print(Text(f"      ⚠ {suggestion.warning}", style="yellow"))


def _main_year(suggestions: Sequence[Suggestion]) -> int:
    return max(suggestion.year for suggestion in suggestions)


def _short(sentence: str, limit: int = 90) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def print_changes(console: Console, plan: ImportPlan, origins: dict[str, str] | None = None) -> None:
    """What writing would change, year by year; with ``origins``, each change names where its figure was printed."""
    for year_plan in (plan.current, plan.previous):
        if year_plan is None:
            continue
        _print_year(console, year_plan, origins if year_plan is plan.current else None)


def _print_year(console: Console, year_plan: YearPlan, origins: dict[str, str] | None) -> None:
    from rich.text import Text

    if not year_plan.exists:
        console.print(
            f"{year_plan.year} 年度还没有数据文件：将新建 {year_plan.path}（{len(year_plan.changes)} 项数字）"
        )
    elif not year_plan.changes:
        console.print(f"{year_plan.year} 年度：与工作区中现有数字一致，无需改动")
    else:
        counts = Counter(change.verb for change in year_plan.changes)
        summary = "，".join(f"{verb} {counts[verb]} 项" for verb in ("修改", "删除", "新增") if counts[verb])
        if year_plan.overwrites:
            console.print(f"{year_plan.year} 年度已有数据，导入将{summary}：", style="bold")
        else:
            console.print(f"{year_plan.year} 年度：导入将在 {year_plan.path} 中{summary}，不改动已有数字")
        shown = [change for change in year_plan.changes if change.old is not None][:CHANGES_SHOWN]
        added = [change for change in year_plan.changes if change.old is None]
        for change in shown:
            origin = (origins or {}).get(change.path)
            console.print(Text.assemble(f"  {change}", (f"（{origin}）" if origin else "", "dim")))
        hidden = len(year_plan.overwrites) - len(shown)
        if hidden > 0:
            console.print(f"  …另有 {hidden} 项修改或删除")
        if added:
            names = "、".join(change.label for change in added[:6])
            more = f" 等 {len(added)} 项" if len(added) > 6 else ""
            console.print(Text(f"  新增：{names}{more}", style="dim"))
    for note in year_plan.skipped:
        console.print(Text(f"  · {note}", style="dim"))


def print_problems(console: Console, problems: Sequence[Problem]) -> None:
    from rich.text import Text

    console.print("不能导入：", style="bold red")
    for problem in problems:
        console.print(Text(f"  ✗ {problem.message}", style="red"))
        if problem.hint:
            console.print(Text(f"    提示：{problem.hint}"))
