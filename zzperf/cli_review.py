"""The ``zzperf`` subcommands of review at the finance bureau (log, verify, state, submit, return, approve, review)
and ``check`` / ``score`` / ``report`` over a folder of departments.

Handlers import the rest of zzperf (and rich, openpyxl) when they run, for the CLI's start-up time.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zzperf.errors import ZzperfError

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.review import ReviewComparison
    from zzperf.workspace import Workspace

COMMANDS = ("log", "verify", "state", "submit", "return", "approve", "review")


def add_commands(commands: argparse._SubParsersAction, workspace_arguments: Callable) -> None:
    """Add the review subcommands to the ``zzperf`` parser."""
    log = commands.add_parser("log", help="修改记录：谁在何时把哪一项从什么改成什么、理由（可按年度、指标筛选）")
    workspace_arguments(log)
    log.add_argument("--indicator", metavar="指标", help="只看一个指标（或以它开头的一组指标）的记录")
    verify = commands.add_parser(
        "verify", help="核验修改记录链和当前文件；记录被改动或已提交的文件在 zzperf 之外被修改时退出码为 1",
    )
    verify.add_argument("workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录（默认为当前目录或其上级）")
    state = commands.add_parser("state", help="各年度的提交状态：草稿、已提交、退回、通过")
    state.add_argument("workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录（默认为当前目录或其上级）")
    submit = commands.add_parser("submit", help="提交自评（草稿或退回 → 已提交）；提交后只读，退回后才能修改")
    workspace_arguments(submit)
    submit.add_argument("--comment", default="", metavar="说明", help="提交说明")
    back = commands.add_parser("return", help="财政局退回自评（已提交 → 退回），须写明意见")
    workspace_arguments(back)
    back.add_argument("--comment", required=True, metavar="意见", help="退回意见")
    approve = commands.add_parser("approve", help="财政局复核通过（已提交 → 通过）")
    workspace_arguments(approve)
    approve.add_argument("--comment", default="", metavar="意见", help="复核意见")
    review = commands.add_parser(
        "review", help="复核：记录一个指标的复核得分、理由、意见；不给 --indicator 时显示自评与复核对比",
    )
    workspace_arguments(review)
    review.add_argument("--indicator", metavar="指标", help="末级指标编号，如 input.goals.clarity")
    review.add_argument("--score", metavar="分数", help="复核得分")
    review.add_argument("--reason", metavar="理由", help="复核得分的理由")
    review.add_argument("--opinion", metavar="意见", help="给部门的意见")
    review.add_argument("--reviewer", metavar="复核人", help="复核人或复核机构")


def run(
    args: argparse.Namespace, console: Callable[[], Console], open_workspace: Callable[[Path | None], Workspace]
) -> int:
    """Run one review subcommand; the exit code."""
    from zzperf.review import install

    install()
    workspace = open_workspace(args.workspace)
    handler = {
        "log": _log, "verify": _verify, "state": _state, "submit": _submit, "return": _return, "approve": _approve,
        "review": _review,
    }[args.command]
    return handler(args, workspace, console())


def _log(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from rich.table import Table

    from zzperf.review import filter_entries, read_log

    entries = filter_entries(read_log(workspace.root), year=args.year, indicator=args.indicator)
    if not entries:
        console.print("没有符合条件的修改记录。")
        return 0
    table = Table(title=f"{workspace.profile.name} 修改记录", expand=False)
    for column in ("序号", "时间", "修改人", "年度", "内容", "原值", "新值", "理由"):
        table.add_column(column, overflow="fold")
    for entry in entries:
        table.add_row(
            str(entry.n), entry.time.replace("T", " ")[:19], entry.who, str(entry.year), entry.what_text,
            entry.old_text, entry.new_text, entry.reason,
        )
    console.print(table)
    console.print(f"共 {len(entries)} 条记录。")
    return 0


def _verify(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.review import verify

    result = verify(workspace.root)
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
        return 0
    return 1


def _state(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from rich.table import Table

    from zzperf.review import load_submission
    from zzperf.review.state import ACTION_WORDS

    table = Table(title=f"{workspace.profile.name} 提交状态", expand=False)
    for column in ("年度", "状态", "最近一步", "意见"):
        table.add_column(column, overflow="fold")
    for year in workspace.years():
        submission = load_submission(workspace.root, year)
        last = submission.events[-1] if submission.events else None
        step = f"{last.time.replace('T', ' ')[:16]} {last.who} {ACTION_WORDS[last.action]}" if last else "—"
        table.add_row(str(year), submission.state_text, step, last.comment if last else "")
    console.print(table)
    return 0


def _submit(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.review import submit

    year = workspace.pick_year(args.year)
    submit(workspace, year, args.comment)
    console.print(f"{workspace.profile.name} {year} 年度自评已提交；提交后只读，财政局退回后才能修改。")
    return 0


def _return(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.review import return_year

    year = workspace.pick_year(args.year)
    return_year(workspace, year, args.comment)
    console.print(f"{workspace.profile.name} {year} 年度自评已退回，意见：{args.comment}")
    return 0


def _approve(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.review import approve

    year = workspace.pick_year(args.year)
    approve(workspace, year, args.comment)
    console.print(f"{workspace.profile.name} {year} 年度自评复核通过。")
    return 0


def _review(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.review import compare_review, set_review

    year = workspace.pick_year(args.year)
    if args.indicator is None:
        if any(value is not None for value in (args.score, args.reason, args.opinion)):
            raise ZzperfError("记录复核须指明指标", hint="加上 --indicator 指标编号")
        print_review(console, workspace.profile.name, compare_review(workspace, year), every_line=True)
        return 0
    score = None
    if args.score is not None:
        try:
            score = Decimal(args.score.strip())
        except InvalidOperation:
            raise ZzperfError(f"复核得分应为数字：{args.score}") from None
    if score is None and args.reason is None and args.opinion is None:
        raise ZzperfError("没有要记录的内容", hint="用 --score、--reason 或 --opinion 给出复核得分、理由或意见")
    set_review(
        workspace, year, args.indicator, score=score, reason=args.reason, opinion=args.opinion, reviewer=args.reviewer
    )
    comparison = compare_review(workspace, year)
    line = next(line for line in comparison.lines if line.indicator_id == args.indicator)
    console.print(f"已记录 {line.indicator_id}（{line.name}）的复核。")
    print_review(console, workspace.profile.name, comparison, every_line=False)
    return 0


def print_review(console: Console, name: str, comparison: ReviewComparison, *, every_line: bool) -> None:
    """The totals of 自评 and 复核 and, per indicator, both scores with their difference and flags."""
    from rich.table import Table
    from rich.text import Text

    from zzperf.amounts import fmt_score

    if comparison.review_card is None:
        console.print(f"{name} {comparison.year} 年度尚无复核记录。")
        return
    lines = comparison.lines if every_line else tuple(comparison.flagged)
    if lines:
        table = Table(title=f"{name} {comparison.year} 年度 自评与复核", expand=False)
        for column in ("指标", "分值", "自评", "复核", "差", "理由", "意见", "提示"):
            table.add_column(column, overflow="fold")
        for line in lines:
            difference = line.difference
            table.add_row(
                f"{line.indicator_id} {line.name}", fmt_score(line.points), fmt_score(line.self_score),
                fmt_score(line.review_score), "" if difference is None else f"{difference:+.2f}", line.reason,
                line.opinion, Text("；".join(line.flags), style="yellow"),
            )
        console.print(table)
    print_review_totals(console, comparison)


def print_review_totals(console: Console, comparison: ReviewComparison) -> None:
    """One line: 自评 and 复核 totals, their difference, and whether the 自评 is inflated."""
    from zzperf.amounts import fmt_score

    if comparison.review_card is None:
        return
    difference = comparison.difference
    said = "" if difference is None else f"，差 {difference:+.2f}"
    console.print(
        f"自评总分 {fmt_score(comparison.self_total)}，复核总分 {fmt_score(comparison.review_total)}"
        f"（{comparison.review_card.grade_text}）{said}"
        + ("；自评明显偏高" if comparison.inflated else ""),
        style="yellow" if comparison.inflated else None,
    )


def print_year_review(console: Console, workspace: Workspace, year: int) -> None:
    """Below ``zzperf score``: the year's 复核 totals and flagged items, when it has been reviewed."""
    from zzperf.review import compare_review
    from zzperf.review.history import REVIEW_FILE

    if (workspace.year_dir(year) / REVIEW_FILE).exists():
        console.print()
        print_review(console, workspace.profile.name, compare_review(workspace, year), every_line=False)


# ─── folders of departments ───

SUMMARY_COLUMNS = (
    "排名", "部门", "年度", "总分", "暂定", "等级", "状态", "勾稽错误", "勾稽警告", "草稿", "说明不符", "复核", "差", "说明",
)


def is_department_folder(path: Path | None) -> bool:
    """A folder that is not itself a workspace: the commands then run over every workspace below it."""
    return path is not None and path.is_dir() and not os.path.lexists(path / "zzperf.toml")


def run_folder(args: argparse.Namespace, console: Console) -> int:
    """``check`` / ``score`` / ``report`` over a folder of departments: one summary table (and files)."""
    from zzperf.narrative import audit_report_text  # the folder summary checks each report text as it goes out
    from zzperf.review import install
    from zzperf.review.folders import find_departments, summarise_folder

    install()
    out: Path | None = getattr(args, "out", None)
    if getattr(args, "text", None):
        raise ZzperfError("对文件夹检查时不能用 --text", hint="说明文字请逐个工作区核对：zzperf check 工作区 --text 文件")
    if args.command == "report":
        if out is None or out.suffix:
            raise ZzperfError("对文件夹生成报告时 --out 应为输出目录", hint="如 zzperf report 全县 --out 报告")
        if getattr(args, "template", None) is not None or getattr(args, "export_templates", None) is not None:
            raise ZzperfError("对文件夹生成报告时不能指定模板", hint="用内置模板生成，或逐个工作区生成")
    elif out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise ZzperfError("汇总表只能写成 .csv 或 .xlsx 文件", file=out)
    count = len(find_departments(args.workspace))
    with _progress(console, "读取各部门", count) as advance:
        summary = summarise_folder(args.workspace, args.year, audit=audit_report_text, progress=advance)
    print_summary_table(console, summary)
    failed = bool(summary.failures)
    if args.command == "report":
        failed = _write_reports(console, summary, out, args.report_format or "docx") or failed  # type: ignore[arg-type]
    elif out is not None:
        write_summary(summary, out)
        console.print(f"已写入汇总表 {out}")
    if args.command == "check" and summary.has_errors:
        failed = True
    return 1 if failed else 0


class _progress:
    """A progress bar on the terminal while departments are read (nothing when output is not a terminal)."""

    def __init__(self, console: Console, what: str, total: int) -> None:
        self.console, self.what, self.total = console, what, total
        self.bar = None

    def __enter__(self) -> Callable[[int, int], None]:
        import sys

        if not sys.stderr.isatty() or self.total < 2:
            return lambda done, total: None
        from rich.console import Console as RichConsole
        from rich.progress import Progress

        self.bar = Progress(console=RichConsole(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task(self.what, total=self.total)
        return lambda done, total: self.bar.update(task, completed=done)  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def summary_rows(summary: Any) -> list[list[Any]]:
    """The summary as rows of cells: figures as numbers (None when there is none), 暂定 in its own column."""
    rows = []
    for row in summary.rows:
        notes = row.error or ("自评明显高于复核" if row.inflated else "")
        rows.append([
            row.rank, row.name, row.year or None, row.total, "暂定" if row.provisional else "", row.grade, row.state,
            None if row.error else row.errors, None if row.error else row.warnings, None if row.error else row.drafts,
            row.mismatches, row.review_total, row.difference, notes,
        ])
    return rows


def print_summary_table(console: Console, summary: Any) -> None:
    from rich.table import Table

    table = Table(title=f"{summary.year} 年度各部门汇总（{len(summary.rows)} 个部门）", expand=False)
    wanted = [column for column in SUMMARY_COLUMNS if summary.reviewed or column not in ("复核", "差")]
    for column in wanted:
        wide = column in ("部门", "说明")
        table.add_column(column, overflow="fold", min_width=8 if wide else None, no_wrap=not wide)
    for cells in summary_rows(summary):
        shown = dict(zip(SUMMARY_COLUMNS, cells))
        table.add_row(*(_cell(shown[column], column) for column in wanted))
    console.print(table)
    ranked = sum(1 for row in summary.rows if row.rank is not None)
    missing = sum(1 for row in summary.rows if row.grade == "未自评")
    console.print(f"排名 {ranked} 个部门；未自评 {missing} 个；未能读取 {len(summary.failures)} 个。")


def _cell(value: Any, column: str) -> str:
    if value is None:
        return "—" if column in ("排名", "总分", "复核", "差", "说明不符") else ""
    if isinstance(value, Decimal):
        return f"{value:+.2f}" if column == "差" else f"{value:.2f}"
    return str(value)


def write_summary(summary: Any, out: Path) -> None:
    """The summary as .csv (UTF-8 with BOM, for Excel) or .xlsx, every figure cell a number."""
    import csv
    import io

    from zzperf.tomlio import write_bytes_atomic

    rows = summary_rows(summary)
    if out.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(SUMMARY_COLUMNS)
        writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
        write_bytes_atomic(out, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
        return
    from openpyxl import Workbook  # deferred: openpyxl is heavy and only the xlsx summary needs it

    book = Workbook()
    sheet = book.active
    sheet.title = f"{summary.year}年度汇总"
    sheet.append(list(SUMMARY_COLUMNS))
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(out, buffer.getvalue())


def write_department_report(root: Path, year: int, fmt: str, folder: Path) -> str:
    """Write one department's report into ``folder``; its path, or ``错误：…`` (runs in a worker process)."""
    from zzperf.report import write_report
    from zzperf.workspace import Workspace

    try:
        workspace = Workspace(root)
        target = folder / f"{workspace.profile.name}-{year}.{fmt}"
        return str(write_report(workspace, year, fmt, target, None))  # type: ignore[arg-type]
    except ZzperfError as error:
        return f"错误：{error}"


def _write_reports(console: Console, summary: Any, folder: Path, fmt: str) -> bool:
    """Every readable department's report into ``folder``, over a process pool; whether any failed."""
    from zzperf.review.folders import run_parallel

    folder.mkdir(parents=True, exist_ok=True)
    rows = [row for row in summary.rows if not row.error]
    with _progress(console, "生成报告", len(rows)) as advance:
        results = run_parallel(
            _report_job, [(row.path, row.year) for row in rows], fmt, folder, progress=advance,
        )
    failed = [result for result in results if result.startswith("错误：")]
    console.print(f"已生成 {len(results) - len(failed)} 份报告，写入 {folder}")
    for problem in failed:
        console.print(problem, style="red")
    return bool(failed)


def _report_job(job: tuple[Path, int], fmt: str, folder: Path) -> str:
    return write_department_report(job[0], job[1], fmt, folder)
