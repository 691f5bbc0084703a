"""Review at the finance bureau for people: the change log, verification, submission states, 自评 beside 复核, and
the summary of a folder of departments in a terminal, CSV or Excel (every figure cell a number).

rich and openpyxl are imported inside the functions that print or write, so loading this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zzperf.amounts import fmt_score, fmt_signed
from zzperf.output.figures import NO_YEAR, figure, figures_csv, fill_figures, provisional_text
from zzperf.output.terminal import print_paragraph
from zzperf.output.xlsx import new_book, save_book
from zzperf.review.ranked import RETURNED_NOTE
from zzperf.review.state import ACTION_WORDS
from zzperf.tomlio import write_bytes_atomic

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.review import Entry, ReviewComparison, Submission, Verification
    from zzperf.review.folders import FolderSummary

SUMMARY_COLUMNS = (
    "排名",
    "部门",
    "年度",
    "总分",
    "暂定",
    "等级",
    "状态",
    "勾稽错误",
    "勾稽警告",
    "草稿",
    "说明不符",
    "复核",
    "差",
    "说明",
)
FIGURE_COLUMNS = ("排名", "年度", "总分", "勾稽错误", "勾稽警告", "草稿", "说明不符", "复核", "差")
"""The summary's columns that hold numbers: numeric cells in a workbook, a dash in the terminal when empty."""


LOG_HEADER = ("序号", "时间", "修改人", "年度", "内容", "原值", "新值", "理由")
LOG_WORDS = {"修改人": 6, "内容": 8, "原值": 6, "新值": 6, "理由": 8}
"""The change log's columns of words, which wrap, and the width below which each is squeezed only as a last resort."""

ONE_LINE_TIME = 100
"""The terminal width from which a log entry's time takes one line; below it the date and the time take two."""

TYPED = frozenset({"reason", "evidence", "comment", "opinion", "evaluator", "date", "notice", "goal", "reviewer"})
"""The fields a person types (the report's texts, ``report.…``, too): the app saves them at each pause in the
typing, so one edit may be logged as several saves."""

EDITING_PAUSE = 120
"""Seconds between two saves of one typed field by one person within which they count as one edit in the log."""


def edits(entries: Sequence[Entry]) -> list[list[Entry]]:
    """``entries`` as the log shows them: each a row of its own, except that the saves of one typed field by one
    person, each within ``EDITING_PAUSE`` of the one before, make one row (the text before the first, the text
    after the last); saves that end where they began keep their rows, so what the text held meanwhile is seen."""
    from datetime import datetime

    rows: list[list[Entry]] = []
    for entry in entries:
        last = rows[-1][-1] if rows else None
        if (
            last is not None
            and (entry.what in TYPED or entry.what.startswith("report."))
            and (entry.who, entry.year, entry.file, entry.indicator, entry.what)
            == (last.who, last.year, last.file, last.indicator, last.what)
            and 0
            <= (datetime.fromisoformat(entry.time) - datetime.fromisoformat(last.time)).total_seconds()
            <= EDITING_PAUSE
        ):
            rows[-1].append(entry)
        else:
            rows.append([entry])
    shown: list[list[Entry]] = []
    for row in rows:
        if len(row) > 1 and row[0].old == row[-1].new:
            shown += [[entry] for entry in row]
        else:
            shown.append(row)
    return shown


def print_log(console: Console, name: str, entries: Sequence[Entry], names: Mapping[str, str] | None = None) -> None:
    """The change log as a table fitted to the terminal: when, who, which year (in the title when there is one), what,
    old → new, why (a narrow one leaves out 序号, then 年度, and says so); the saves of one text typed in a row are one
    row (``edits``). ``names``: indicator names by id, said instead of the ids."""
    from zzperf.output.columns import print_fitted

    if not entries:
        console.print("没有符合条件的修改记录。")
        return
    body = []
    rows = edits(entries)
    for saves in rows:
        first, entry = saves[0], saves[-1]
        time = entry.time.replace("T", " ")[:19]
        body.append(
            [
                str(entry.n) if len(saves) == 1 else f"{first.n}–{entry.n}",
                time if console.width >= ONE_LINE_TIME else time.replace(" ", "\n", 1),
                entry.who,
                str(entry.year),
                entry.what_words(names) + (f"（输入中保存 {len(saves)} 次）" if len(saves) > 1 else ""),
                first.old_text,
                entry.new_text,
                entry.reason,
            ]
        )
    years = {entry.year for entry in entries}
    header, title = LOG_HEADER, f"{name} 修改记录"
    if len(years) == 1:  # one year: the title says it, and its column gives the room to file names and hashes
        year_column = LOG_HEADER.index("年度")
        header, title = LOG_HEADER[:year_column] + LOG_HEADER[year_column + 1 :], f"{name} {years.pop()} 年度修改记录"
        body = [cells[:year_column] + cells[year_column + 1 :] for cells in body]
    optional = [header.index(column) for column in ("年度", "序号") if column in header]
    print_fitted(console, title, header, body, optional, _whole_tokens(LOG_WORDS, header, body), "")
    merged = f"（同一处文字连续输入时的多次保存合为一行，共 {len(rows)} 行）" if len(rows) < len(entries) else ""
    console.print(f"共 {len(entries)} 条记录{merged}。")


LATIN_RUN = re.compile(r"[A-Za-z0-9._/…+-]+")
"""A file name, a hash or a figure: text a line must not break inside."""
LONGEST_WHOLE = 20
"""The longest such run a word column widens for; a longer one may still break."""


def _whole_tokens(words: Mapping[str, int], header: Sequence[str], body: Sequence[Sequence[str]]) -> dict[str, int]:
    """``words`` with each column's floor raised to its longest file name, hash or figure (up to ``LONGEST_WHOLE``),
    so that ``accounts.toml`` or a hash is never cut in two while the terminal has room."""
    from rich.cells import cell_len

    floors = dict(words)
    for index, column in enumerate(header):
        if column in floors:
            runs = [cell_len(run) for cells in body for run in LATIN_RUN.findall(cells[index])]
            floors[column] = max(floors[column], min(max(runs, default=0), LONGEST_WHOLE))
    return floors


def print_verification(console: Console, result: Verification) -> None:
    """Whether the log's chain holds and the current files match it; the first thing that does not."""
    if result.broken is not None:
        console.print(f"修改记录被改动：{result.broken}", style="red")
    else:
        console.print(f"修改记录链完整：共 {result.entries} 条记录。")
    for problem in result.pinned_mismatches:
        console.print(f"文件被修改：{problem}", style="red")
    for note in result.outside_edits:
        console.print(f"提示：{note}（草稿或退回状态，允许手工编辑）", style="cyan")
    if result.ok:
        console.print("核验通过：当前文件与记录一致。" if not result.outside_edits else "核验通过。")


STATE_HEADER = ("年度", "状态", "最近一步", "意见")
STATE_WORDS = {"状态": 6, "最近一步": 12, "意见": 10}


def print_states(console: Console, name: str, submissions: Sequence[tuple[int, Submission]]) -> None:
    """Each year's submission state, its last step and that step's comment, fitted to the terminal."""
    from zzperf.output.columns import print_fitted

    body = []
    for year, submission in submissions:
        last = submission.events[-1] if submission.events else None
        step = f"{last.time.replace('T', ' ')[:16]} {last.who} {ACTION_WORDS[last.action]}" if last else "—"
        body.append([str(year), submission.state_text, step, last.comment if last else ""])
    print_fitted(console, f"{name} 提交状态", STATE_HEADER, body, (), STATE_WORDS, "")


REVIEW_HEADER = ("指标", "分值", "自评", "复核", "差", "理由", "意见", "提示")
REVIEW_WORDS = {"指标": 12, "理由": 8, "意见": 8, "提示": 8}
"""自评 beside 复核: the columns of words, which wrap; the scores are never cut. ``--indicator`` takes the name
shown under 指标, so the table needs no column of ids."""


def print_review(
    console: Console, name: str, comparison: ReviewComparison, *, every_line: bool, recorded: str = ""
) -> None:
    """The totals of 自评 and 复核 and, per indicator, both scores with their difference and flags, fitted to the
    terminal: every indicator, or the flagged ones and the one just ``recorded`` (its id) first."""
    from zzperf.output.columns import print_fitted

    if comparison.review_card is None:
        console.print(f"{name} {comparison.year} 年度尚无复核记录。")
        return
    lines = comparison.lines
    if not every_line:
        just = [line for line in comparison.lines if line.indicator_id == recorded]
        lines = tuple(just + [line for line in comparison.flagged if line.indicator_id != recorded])
    if lines:
        body = []
        for line in lines:
            difference = line.difference
            body.append(
                [
                    (line.label, ""),
                    (fmt_score(line.points), ""),
                    (fmt_score(line.self_score), ""),
                    (fmt_score(line.review_score), ""),
                    ("" if difference is None else fmt_signed(difference), ""),
                    (line.reason, ""),
                    (line.opinion, ""),
                    ("；".join(line.flags), "yellow"),
                ]
            )
        title = f"{name} {comparison.year} 年度 自评与复核"
        print_fitted(console, title, REVIEW_HEADER, body, (), REVIEW_WORDS, "", "right")
    print_review_totals(console, comparison)


def print_review_totals(console: Console, comparison: ReviewComparison) -> None:
    """One line: 自评 and 复核 totals, the 复核's grade (named as such, never next to the difference: a grade
    “差” and a 差 of points read alike), how far the 自评 is above or below, and whether it is inflated."""
    if comparison.review_card is None:
        return
    difference = comparison.difference
    said = ""
    if difference is not None:
        gap = fmt_score(abs(difference))
        said = (
            f"；自评比复核高 {gap} 分"
            if difference > 0
            else f"；自评比复核低 {gap} 分"
            if difference < 0
            else "；两者相同"
        )
    print_paragraph(
        console,
        f"自评总分 {fmt_score(comparison.self_total)}，复核总分 {comparison.review_total_text}，"
        f"复核等级 {comparison.review_card.grade_text}{said}" + ("，自评明显偏高" if comparison.inflated else ""),
        "yellow" if comparison.inflated else "",
    )
    for note in comparison.notes:
        print_paragraph(console, f"复核提示：{note}", "yellow")


def summary_rows(summary: FolderSummary) -> list[list[Any]]:
    """The summary as rows of cells: figures as numbers (None when there is none), 暂定 in its own column."""
    rows = []
    for row in summary.rows:
        notes = row.error or "；".join(
            ([RETURNED_NOTE] if row.returned and row.evaluated else [])
            + ([row.progress_note] if row.progress_note else [])
            + (["自评明显高于复核"] if row.inflated else [])
        )
        rows.append(
            [
                row.rank,
                row.name,
                row.year or None,
                figure(row.total),
                provisional_text(row.pending, row.drafts) or ("暂定" if row.provisional else ""),
                row.grade,
                NO_YEAR if row.absent else row.state,
                None if row.error else row.errors,
                None if row.error else row.warnings,
                None if row.error else row.drafts,
                row.mismatches,
                figure(row.review_total),
                figure(row.difference),
                notes,
            ]
        )
    return rows


SUMMARY_WORDS = {"部门": 12, "暂定": 8, "说明": 10}
"""Summary columns of words, which wrap, and the width below which they are never squeezed."""

SUMMARY_OPTIONAL = ("状态", "勾稽错误", "复核", "差", "暂定", "草稿", "勾稽警告", "说明不符", "年度")
"""Summary columns a narrow terminal may leave out, the last one first; 排名, 部门, 总分, 等级 and 说明 always stay."""


def print_summary_table(console: Console, summary: FolderSummary) -> None:
    """The folder's departments, ranked, with a count of the ranked, the 未自评 and the unreadable."""
    from zzperf.output.columns import print_fitted

    header = [column for column in SUMMARY_COLUMNS if summary.reviewed or column not in ("复核", "差")]
    body = []
    for row, cells in zip(summary.rows, summary_rows(summary)):
        shown_cells = dict(zip(SUMMARY_COLUMNS, cells))
        line = [_cell(shown_cells[column], column) for column in header]
        if row.review_progress and "复核" in header:
            line[header.index("复核")] += "（暂定）"
        body.append(line)
    optional = [header.index(column) for column in SUMMARY_OPTIONAL if column in header]
    title = f"{summary.year} 年度各部门汇总（{len(summary.rows)} 个部门）"
    print_fitted(console, title, header, body, optional, SUMMARY_WORDS, "--out 汇总.xlsx 或 --out 汇总.csv")
    ranked = sum(1 for row in summary.rows if row.rank is not None)
    returned = sum(1 for row in summary.rows if row.returned and row.evaluated and not row.error)
    missing = sum(1 for row in summary.rows if row.grade == "未自评")
    absent = f"；没有 {summary.year} 年度数据 {len(summary.absent)} 个" if summary.absent else ""
    apart = f"；已退回 {returned} 个（不参加排名）" if returned else ""
    print_paragraph(
        console, f"排名 {ranked} 个部门{apart}；未自评 {missing} 个{absent}；未能读取 {len(summary.failures)} 个。"
    )
    if summary.reviewed:
        print_paragraph(
            console, "已复核的部门按复核总分排名，未复核的按自评总分；复核未完成的，复核总分为暂定。", "dim"
        )


def _cell(value: Any, column: str) -> str:
    if value is None:
        return "—" if column in ("排名", "总分", "复核", "差", "说明不符") else ""
    if isinstance(value, Decimal):
        return fmt_signed(value) if column == "差" else fmt_score(value)
    return str(value)


def write_summary(summary: FolderSummary, out: Path) -> None:
    """The summary as .csv (UTF-8 with BOM, for Excel) or .xlsx, every figure cell a number."""
    rows = summary_rows(summary)
    if out.suffix.lower() == ".csv":
        write_bytes_atomic(out, ("\ufeff" + figures_csv(SUMMARY_COLUMNS, rows)).encode("utf-8"))
        return
    book = new_book()
    sheet = book.active
    sheet.title = f"{summary.year}年度汇总"
    fill_figures(sheet, SUMMARY_COLUMNS, rows, FIGURE_COLUMNS)
    save_book(book, out)
