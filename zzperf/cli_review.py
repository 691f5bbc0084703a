"""The ``zzperf`` subcommands of review at the finance bureau (log, verify, state, submit, return, approve, review)
and ``check`` / ``score`` / ``report`` over a folder of departments: their parsers and handlers.

What they print and write is in ``zzperf.output.review``. Handlers import the rest of zzperf when they run, for
the CLI's start-up time.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError
from zzperf.workspace.files import safe_file_name

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.review.folders import FolderSummary
    from zzperf.workspace import Workspace

COMMANDS = ("log", "verify", "state", "submit", "return", "approve", "review")


def add_commands(commands: argparse._SubParsersAction, workspace_arguments: Callable) -> None:
    """Add the review subcommands to the ``zzperf`` parser."""
    log = commands.add_parser("log", help="修改记录：谁在何时把哪一项从什么改成什么、理由（可按年度、指标筛选）")
    workspace_arguments(log, year_help="只看这一年度的记录（默认列出所有年度）")
    log.add_argument("--indicator", metavar="指标", help="只看一个指标（或以它开头的一组指标）的记录")
    verify = commands.add_parser(
        "verify",
        help="核验修改记录链和当前文件；记录被改动或已提交的文件在 zzperf 之外被修改时退出码为 1",
    )
    verify.add_argument(
        "workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录或其中的年度目录（默认为当前目录或其上级）"
    )
    verify.set_defaults(year_folder=True)  # a year's folder stands for its workspace
    state = commands.add_parser("state", help="各年度的提交状态：草稿、已提交、退回、通过")
    state.add_argument(
        "workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录或其中的年度目录（默认为当前目录或其上级）"
    )
    state.set_defaults(year_folder=True)
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
        "review",
        help="复核：记录一个指标的复核得分、理由、意见；不给 --indicator 时显示自评与复核对比",
    )
    workspace_arguments(review)
    review.add_argument(
        "--indicator", metavar="指标", help="末级指标的名称或编号，如 “三公经费”控制率 或 input.goals.clarity"
    )
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
        "log": _log,
        "verify": _verify,
        "state": _state,
        "submit": _submit,
        "return": _return,
        "approve": _approve,
        "review": _review,
    }[args.command]
    return handler(args, workspace, console())


def _log(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.output.review import print_log
    from zzperf.review import filter_entries, read_log

    entries = filter_entries(read_log(workspace.root), year=args.year, indicator=args.indicator)
    if args.year is not None and not entries:
        workspace.pick_year(args.year)  # neither a year of the workspace nor of its log: an error, as elsewhere
    names: dict[str, str] = {}
    for year in sorted({entry.year for entry in entries if entry.indicator is not None}, reverse=True):
        try:
            indicator_set = workspace.set_for(year)
        except ZzperfError:  # a year whose folder is gone: its entries keep the ids
            continue
        shown = indicator_set.shown_names  # a name two leaves share is told apart by the group above it
        for node in indicator_set.by_id.values():
            names.setdefault(node.id, shown.get(node.id, node.name))
    print_log(console, workspace.profile.name, entries, names)
    return 0


def _verify(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.output.review import print_verification
    from zzperf.review import verify

    result = verify(workspace.root)
    print_verification(console, result)
    return 0 if result.ok else 1


def _state(args: argparse.Namespace, workspace: Workspace, console: Console) -> int:
    from zzperf.output.review import print_states
    from zzperf.review import load_submission

    years = [(year, load_submission(workspace.root, year)) for year in workspace.years()]
    print_states(console, workspace.profile.name, years)
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
    from zzperf.output.review import print_review
    from zzperf.review import compare_review, set_review
    from zzperf.review.scores import find_leaf

    year = workspace.pick_year(args.year)
    if args.indicator is None:
        if any(value is not None for value in (args.score, args.reason, args.opinion)):
            raise ZzperfError("记录复核须指明指标", hint="加上 --indicator 指标名称或编号")
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
    node = find_leaf(workspace.set_for(year), args.indicator)
    set_review(workspace, year, node.id, score=score, reason=args.reason, opinion=args.opinion, reviewer=args.reviewer)
    comparison = compare_review(workspace, year)
    line = next(line for line in comparison.lines if line.indicator_id == node.id)
    console.print(f"已记录复核：{line.name}（{line.indicator_id}）。")
    print_review(console, workspace.profile.name, comparison, every_line=False, recorded=node.id)
    return 0


def print_year_review(console: Console, workspace: Workspace, year: int) -> None:
    """Below ``zzperf score``: the year's 复核 totals and flagged items, when it has been reviewed."""
    from zzperf.workspace.files import REVIEW_FILE

    if (workspace.year_dir(year) / REVIEW_FILE).exists():
        from zzperf.output.review import print_review
        from zzperf.review import compare_review

        console.print()
        print_review(console, workspace.profile.name, compare_review(workspace, year), every_line=False)


# ─── folders of departments ───


def is_department_folder(path: Path | None) -> bool:
    """A folder that is not itself a workspace: the commands then run over every workspace below it."""
    from zzperf.workspace.discover import is_workspace

    return path is not None and path.is_dir() and not is_workspace(path)


def run_folder(args: argparse.Namespace, console: Console) -> int:
    """``check`` / ``score`` / ``report`` over a folder of departments: one summary table (and files)."""
    from zzperf.narrative import audit_report_text  # the folder summary checks each report text as it goes out
    from zzperf.output.review import print_summary_table, write_summary
    from zzperf.review import install
    from zzperf.review.folders import find_departments, summarise_folder

    install()
    out: Path | None = getattr(args, "out", None)
    if getattr(args, "text", None):
        raise ZzperfError(
            "对文件夹检查时不能用 --text", hint="说明文字请逐个工作区核对：zzperf check 工作区 --text 文件"
        )
    if args.command == "report":
        if out is None or out.suffix:
            raise ZzperfError("对文件夹生成报告时 --out 应为输出目录", hint="如 zzperf report 全县 --out 报告")
        if getattr(args, "template", None) is not None or getattr(args, "export_templates", None) is not None:
            raise ZzperfError("对文件夹生成报告时不能指定模板", hint="用内置模板生成，或逐个工作区生成")
    elif out is not None and out.suffix.lower() not in (".csv", ".xlsx"):
        raise ZzperfError("汇总表只能写成 .csv 或 .xlsx 文件", file=out)
    count = len(find_departments(args.workspace))
    with _Progress(console, "读取各部门", count) as advance:
        summary = summarise_folder(
            args.workspace, args.year, audit=audit_report_text, progress=advance, cache=not args.no_cache
        )
    print_summary_table(console, summary)
    failed = bool(summary.failures)
    if args.command == "report":
        fmt = args.report_format or "docx"
        review = getattr(args, "review", False)
        failed = _write_reports(console, summary, args.workspace, out, fmt, review) or failed  # type: ignore[arg-type]
    elif out is not None:
        write_summary(summary, out)
        console.print(f"已写入汇总表 {out}")
    if args.command == "check" and summary.has_errors:
        failed = True
    return 1 if failed else 0


class _Progress:
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

        from zzperf.output.terminal import raw_stream

        # the bar's own escape codes must reach the terminal: the cleaned stderr would drop their ESC and print
        # the rest as text (only zzperf's own words are in the bar)
        self.bar = Progress(console=RichConsole(file=raw_stream(sys.stderr)), transient=True)
        self.bar.start()
        task = self.bar.add_task(self.what, total=self.total)
        return lambda done, total: self.bar.update(task, completed=done)  # type: ignore[union-attr]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def write_department_report(
    root: Path, year: int, fmt: str, folder: Path, review: bool = False, stem: str | None = None
) -> str:
    """Write one department's report into ``folder``; its path, or ``错误：…`` (runs in a worker process).

    ``review``: with the 复核 beside the 自评 when the department's year has a 复核 record.
    ``stem``: the file's name without suffix (default ``部门-年度``).
    """
    from zzperf.report import write_report
    from zzperf.review.scores import load_review
    from zzperf.workspace import Workspace

    try:
        workspace = Workspace(root)
        target = folder / f"{stem or safe_file_name(workspace.profile.name) + f'-{year}'}.{fmt}"
        reviewed = review and load_review(workspace, year) is not None
        return str(write_report(workspace, year, fmt, target, None, review=reviewed))  # type: ignore[arg-type]
    except ZzperfError as error:
        return f"错误：{error}"


def _write_reports(console: Console, summary: FolderSummary, top: Path, folder: Path, fmt: str, review: bool) -> bool:
    """Every readable department's report into ``folder``, over a process pool; whether any failed."""
    from zzperf.review.folders import run_parallel

    folder.mkdir(parents=True, exist_ok=True)
    rows = [row for row in summary.rows if not row.error]
    stems = report_stems([(row.name, row.year, row.path) for row in rows], top)
    with _Progress(console, "生成报告", len(rows)) as advance:
        results = run_parallel(
            _report_job,
            [(row.path, row.year, stem) for row, stem in zip(rows, stems)],
            fmt,
            folder,
            review,
            progress=advance,
        )
    failed = [result for result in results if result.startswith("错误：")]
    console.print(f"已生成 {len(results) - len(failed)} 份报告，写入 {folder}")
    renamed = [(row, stem) for row, stem in zip(rows, stems) if stem != f"{safe_file_name(row.name)}-{row.year}"]
    if renamed:
        console.print("同名部门的报告以所在文件夹区分：")
        for row, stem in renamed:
            console.print(f"  {row.name}（{_relative(row.path, top)}）→ {stem}.{fmt}")
    for problem in failed:
        console.print(problem, style="red")
    return bool(failed)


def report_stems(departments: Sequence[tuple[str, int, Path]], top: Path) -> list[str]:
    """A distinct file name (without suffix) per (name, year, folder), so that no report overwrites another.

    ``部门-年度``; departments that share a name get their folder below ``top`` as well, ``部门（乡镇-甲镇）-年度``,
    and a number is added should two names still meet (the file system may not tell case apart).
    """
    counts = Counter(safe_file_name(name).casefold() for name, _, _ in departments)
    stems: list[str] = []
    taken: set[str] = set()
    for name, year, path in departments:
        safe = safe_file_name(name)
        stem = f"{safe}-{year}"
        if counts[safe.casefold()] > 1:
            where = safe_file_name(_relative(path, top).replace("/", "-"))
            stem = f"{safe}（{where}）-{year}"
        unique, number = stem, 2
        while unique.casefold() in taken:
            unique, number = f"{stem}（{number}）", number + 1
        taken.add(unique.casefold())
        stems.append(unique)
    return stems


def _relative(path: Path, top: Path) -> str:
    """``path`` below ``top`` as ``a/b``; the folder's own name when it is ``top`` or lies elsewhere."""
    try:
        relative = path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return path.name
    return relative if relative != "." else path.name


def _report_job(job: tuple[Path, int, str], fmt: str, folder: Path, review: bool) -> str:
    return write_department_report(job[0], job[1], fmt, folder, review, job[2])
