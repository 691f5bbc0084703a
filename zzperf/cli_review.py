"""The ``zzperf`` subcommands of review at the finance bureau: log, verify, state, submit, return, approve, review."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

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


def run(args: argparse.Namespace, console: Callable[[], Console], open_workspace: Callable[[Path | None], Workspace]) -> int:
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
