"""The ``zzperf`` command. Each subcommand imports only what it needs, so ``zzperf check`` stays quick."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf import cli_setup as setup
from zzperf.cli_setup import COUNTY_DIR, DEMO_DIR, DEMO_SOURCE
from zzperf.errors import ZzperfError
from zzperf.output import terminal

__all__ = ["DEMO_DIR", "DEMO_SOURCE", "build_parser", "main"]

if TYPE_CHECKING:
    from zzperf.report.records import YearScore
    from zzperf.workspace import Workspace


class _Formatter(argparse.HelpFormatter):
    """Help text with a Chinese usage line, its descriptions in one column however many Chinese characters (two
    cells wide each) the options' names hold (argparse counts characters)."""

    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001, ANN202 - argparse's signature
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            from rich.cells import cell_len  # only help needs it

            width = cell_len(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def format_help(self) -> str:
        """argparse's, with a Chinese colon after the Chinese section headings (“参数：”, “选项：”), as after 用法."""
        import re

        return re.sub(r"^([\u4e00-\u9fff]+):$", r"\1：", super().format_help(), flags=re.MULTILINE)

    def _format_action(self, action: argparse.Action) -> str:
        """argparse's, with the spaces after a name that holds Chinese counted in cells, not characters."""
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        from rich.cells import cell_len

        wider = cell_len(header) - len(header)
        indent = len(text) - len(text.lstrip(" "))
        rest = text[indent + len(header) :]
        spaces = len(rest) - len(rest.lstrip(" "))
        if wider and text[indent:].startswith(header) and spaces - wider >= 2 and rest.strip():
            text = text[:indent] + header + " " * (spaces - wider) + rest.lstrip(" ")
        return text


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese help, Chinese errors and exit code 2."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003 - passed through to argparse
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.commands: dict[str, argparse.ArgumentParser] = {}
        """zzperf's own: each subcommand's parser by name (``build_parser``), to say a usage error with its usage."""
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        translated = (
            message.replace("the following arguments are required", "缺少参数")
            .replace("unrecognized arguments", "无法识别的参数")
            .replace("invalid choice", "无效的选项")
            .replace("invalid int value", "应为整数")
            .replace("expected one argument", "需要一个值")
            .replace("expected at least one argument", "至少需要一个值")
            .replace(": not allowed with ", " 不能与以下参数同时使用：")
            .replace("argument", "参数")
            .replace(" (choose from ", "（可选：")
            .replace("')", "'）")
        )
        print(f"错误：{translated}", file=sys.stderr)
        sys.exit(2)


def build_parser(command: str | None = None) -> _Parser:
    """The ``zzperf`` parser; given the ``command`` about to run, only that subcommand's parser is added.

    One subcommand's arguments parse and its help and errors read the same without the others, and building all of
    them is a good part of a quick command's start-up.
    """
    parser = _Parser(
        prog="zzperf",
        description="部门整体支出绩效自评：决算数据校验、指标评分与自评报告。",
        epilog="先试试：zzperf demo（生成并查看演示工作区）。",
    )
    from zzperf import __version__

    parser.add_argument("--version", action="version", version=f"zzperf {__version__}", help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name, add in COMMANDS.items():
        if command in (None, name):
            add(commands)
    from zzperf import cli_review  # the review subcommands' parsers; their handlers import the rest when run

    if command is None or command in cli_review.COMMANDS:
        cli_review.add_commands(commands, _workspace_arguments)
    for listed in commands._choices_actions:  # each command's own help opens with what the list says of it
        command_parser = commands.choices[listed.dest]
        command_parser.description = command_parser.description or listed.help
    parser.commands = commands.choices
    return parser


def _add_demo(commands: argparse._SubParsersAction) -> None:
    demo = commands.add_parser(
        "demo", help="生成（或复用）株洲市政务服务中心演示工作区并打开评分界面（不在终端中时显示评分概况）"
    )
    demo.add_argument(
        "dir",
        nargs="?",
        default=None,
        metavar="目录",
        help=f"工作区目录（默认 ./{DEMO_DIR}；--county 时 ./{COUNTY_DIR}）",
    )
    demo.add_argument("--no-open", action="store_true", help="只生成工作区，不打开界面也不显示概况（供脚本使用）")
    demo.add_argument("--reset", action="store_true", help="删除已有的演示工作区后重新生成")
    demo.add_argument(
        "--county",
        action="store_true",
        help="生成财政局复核演示：一个目录下多个部门（真实决算数据，演示用的自评、复核和提交状态）",
    )


def _add_init(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="新建部门工作区")
    init.add_argument("dir", metavar="目录", help="工作区目录")
    init.add_argument("--name", metavar="名称", help="部门（单位）名称")
    init.add_argument("--year", type=int, metavar="年度", help="第一个评价年度")
    init.add_argument(
        "--set", dest="indicator_set", metavar="指标体系", help="指标体系（内置名称或 TOML 路径，默认 national-2013）"
    )


def _add_open(commands: argparse._SubParsersAction) -> None:
    open_command = commands.add_parser("open", help="打开评分界面：指标评分、决算数据与勾稽检查、报告文字（终端界面）")
    _workspace_arguments(open_command)
    open_command.add_argument(
        "--review",
        action="store_true",
        help="复核模式（财政局）：部门的数据与自评只读，在“复核”页记录复核得分、理由与意见（写入 review.toml）",
    )


def _add_check(commands: argparse._SubParsersAction) -> None:
    check = commands.add_parser(
        "check",
        help="检查决算数据的勾稽关系，并可核对说明文字中的数字；有错误时退出码为 1",
        epilog="--text 核对决算说明或自评报告（.txt/.md/.docx）中的金额、占比、完成率和增减变动是否与本年度数据一致。",
    )
    _workspace_arguments(check)
    check.add_argument(
        "--text",
        type=Path,
        action="append",
        default=[],
        metavar="文件",
        help="要核对的说明或报告文字（.txt、.md 或 .docx），可多次给出",
    )
    check.add_argument("--verbose", "-v", action="store_true", help="列出规则代码，以及每条未检查规则的原因")
    _cache_argument(check)


def _add_score(commands: argparse._SubParsersAction) -> None:
    score = commands.add_parser("score", help="计算各项指标得分，显示公式、取数、得分与扣分原因")
    _workspace_arguments(score)
    score.add_argument("--out", type=Path, metavar="文件", help="对文件夹：把各部门汇总表写入 .csv 或 .xlsx 文件")
    _cache_argument(score)


def _add_compare(commands: argparse._SubParsersAction) -> None:
    compare = commands.add_parser(
        "compare",
        help="得分对比：一个工作区的各年度，或多个部门同一年度的排名",
        epilog="一个工作区：按年度对比（默认最新两年）；多个工作区或存放工作区的上级目录：按部门排名。"
        "有工作区未能读取时仍输出其余部门，退出码为 1。",
    )
    compare.add_argument(
        "workspaces",
        nargs="*",
        type=Path,
        metavar="工作区",
        help="工作区目录（默认为当前工作区）；多个工作区或上级目录则按部门对比",
    )
    compare_years = compare.add_mutually_exclusive_group()
    compare_years.add_argument(
        "--years", nargs="+", type=int, metavar="年度", help="按年度对比时要比较的年度，如 2016 2017 2018"
    )
    compare_years.add_argument("--all", action="store_true", help="按年度对比时比较全部年度")
    compare_years.add_argument(
        "--year", type=int, metavar="年度", help="按部门对比的年度（默认最新）；按年度对比时为该年与上一年"
    )
    compare.add_argument(
        "--format",
        dest="compare_format",
        choices=("table", "md", "csv", "xlsx", "html"),
        metavar="格式",
        help="输出格式：table（默认）、md、csv、html（含得分图）或 xlsx（须配合 --out）；省略时按 --out 的扩展名",
    )
    compare.add_argument("--out", type=Path, metavar="文件", help="写入文件（默认输出到屏幕）")
    _cache_argument(compare)


def _add_report(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser(
        "report",
        help="生成部门整体支出绩效自评报告（Word，默认）、Markdown、HTML 或 Excel 自评表",
        epilog="默认写入工作区的年度文件夹，如 2018/株洲市政务服务中心-2018年度部门整体支出绩效自评报告.docx。"
        "修改模板：先 --export-templates 目录 导出，编辑后用 --template 目录 生成。",
    )
    _workspace_arguments(report)
    report.add_argument(
        "--format",
        dest="report_format",
        choices=("docx", "md", "html", "xlsx"),
        metavar="格式",
        help="输出格式：docx（默认）、md、html，或 xlsx 自评表；省略时按 --out 的扩展名",
    )
    report.add_argument("--out", type=Path, metavar="文件", help="输出文件（默认写入工作区的年度文件夹）")
    report.add_argument("--template", type=Path, metavar="目录", help="使用自己修改的模板目录（在沙箱中渲染）")
    report.add_argument(
        "--appendix",
        action="store_true",
        help="在报告末尾附上决算数据校验结果（默认不附，仅在终端提示未解决的勾稽错误）",
    )
    report.add_argument(
        "--review",
        action="store_true",
        help="财政局复核版：得分表并列自评得分、复核得分、差和复核意见（须已有复核记录；对文件夹生成时，未复核的部门照常生成自评报告）",
    )
    report.add_argument(
        "--export-templates", type=Path, metavar="目录", help="把内置模板复制到该目录以便修改，然后退出"
    )
    _cache_argument(report)


def _add_import(commands: argparse._SubParsersAction) -> None:
    importer = commands.add_parser(
        "import",
        help="导入部门决算公开表（从 PDF 或网页复制的文本，或 .xlsx），写入年度 accounts.toml",
        epilog="先不加选项运行查看导入摘要；说明文字中的数字（年初预算、上年收支、机关运行经费等）"
        "列为建议，加 --accept-suggestions 才写入。空白 Excel 模板：zzperf import --template 模板.xlsx",
    )
    importer.add_argument(
        "file", nargs="?", type=Path, metavar="文件", help="部门决算 PDF、决算表文本（.txt）或 Excel（.xlsx）"
    )
    importer.add_argument(
        "workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录（默认为当前目录或其上级）"
    )
    importer.add_argument("--year", type=int, metavar="年度", help="决算年度（默认取文件中写明的年度）")
    importer.add_argument("--replace", action="store_true", help="该年度已有数据时以导入的为准（原文件先备份）")
    importer.add_argument(
        "--accept-suggestions", action="store_true", help="同时写入从说明文字中读出的数字（有分歧的除外）"
    )
    importer.add_argument("--partial", action="store_true", help="缺少某些表或有无法识别的行时，仍导入其余部分")
    importer.add_argument(
        "--accept-department", action="store_true", help="文件中的部门名称与工作区不同（确是本部门）时仍导入"
    )
    importer.add_argument(
        "--unit", choices=("万元", "元", "亿元"), metavar="单位", help="金额单位（万元、元或亿元），覆盖文件中的单位行"
    )
    importer.add_argument("--dry-run", action="store_true", help="只显示导入摘要和改动，不写入")
    importer.add_argument("--template", type=Path, metavar="模板.xlsx", help="生成空白 Excel 模板后退出")


def _add_sets(commands: argparse._SubParsersAction) -> None:
    sets = commands.add_parser("sets", help="指标体系：列出内置体系或校验 TOML 文件")
    sets_commands = sets.add_subparsers(dest="sets_command", metavar="子命令", parser_class=_Parser)
    sets_commands.add_parser("list", help="列出内置指标体系")
    validate = sets_commands.add_parser("validate", help="校验指标体系 TOML 文件")
    validate.add_argument("file", type=Path, metavar="文件", help="指标体系文件")


COMMANDS = {
    "demo": _add_demo,
    "init": _add_init,
    "open": _add_open,
    "check": _add_check,
    "score": _add_score,
    "compare": _add_compare,
    "report": _add_report,
    "import": _add_import,
    "sets": _add_sets,
}
"""The subcommands defined here, each with the function that adds its parser (the review ones are in cli_review)."""


def _cache_argument(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="对多个部门：全部重新计算，不读也不写结果缓存（缓存在 ~/.cache/zzperf，按文件内容判断是否变化）",
    )


def _workspace_arguments(command: argparse.ArgumentParser, year_help: str = "年度（默认为最新年度）") -> None:
    command.add_argument(
        "workspace", nargs="?", type=Path, metavar="工作区", help="工作区目录或其中的年度目录（默认为当前目录或其上级）"
    )
    command.add_argument("--year", type=int, metavar="年度", help=year_help)
    command.set_defaults(year_folder=True)  # a year's folder may stand for the workspace (``read_year_folder``)


EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 1, 2, 3, 130, 141
"""Exit codes: success; findings (check errors, an import refused for its data); usage or input error;
internal error (a crash report is written); interrupted; output pipe closed by its reader (as SIGPIPE would)."""


COMMAND_GC = (100_000, 20, 20)
"""The garbage collector's thresholds while a command runs. At Python's default (a collection every 700 net
allocations) a command that reads one workspace starts about 80 collections while it imports pydantic and builds its
models, each walking every young object, when almost nothing is garbage (modules, classes and models live until it
exits): some 20 ms. A command on one workspace now seldom needs one; a run over a folder collects every 100,000
objects. The app restores Python's thresholds (``setup.run_app``)."""


def main(argv: list[str] | None = None) -> int:
    """Run one command; every failure ends in one Chinese message and a documented exit code, never a traceback."""
    # zzperf uses no pydantic plugins. Without this, pydantic scans every installed package's entry points for them
    # when it builds its first validator. PYDANTIC_DISABLE_PLUGINS is pydantic's documented switch (its "Plugins"
    # page); a value the user has set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_loader()
    thresholds = gc.get_threshold()
    gc.set_threshold(*COMMAND_GC)
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = terminal.CleanStream(stdout), terminal.CleanStream(stderr)
    try:
        return _run(argv)
    except ZzperfError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (``zzperf score | head``)
        terminal.silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as error:
        print(f"错误：{terminal.file_error(error)}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as error:  # noqa: BLE001 - the one place that turns a bug into a report instead of a traceback
        report = terminal.crash_report(error, argv)
        where = f"完整报告已写入 {report}" if report else "未能写入完整报告"
        from zzperf.amounts import shorten

        summary = shorten(f"{type(error).__name__}: {error}".strip().splitlines()[0], 200)
        print(f"内部错误：{summary}；{where}，请把它发给 zzperf 的维护者。", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = stdout, stderr
        gc.set_threshold(*thresholds)


PLUGIN_LOADER = "pydantic.plugin._loader"
"""The module in which pydantic looks for plugins when it builds its first validator (pydantic 2.x)."""

PLUGINS_OFF = ("__all__", "1", "true")
"""The values of PYDANTIC_DISABLE_PLUGINS with which pydantic loads no plugin at all."""


def _skip_plugin_loader() -> None:
    """Spare a command the import of pydantic's plugin loader while plugins are switched off.

    The loader imports ``importlib.metadata`` (and with it ``email``, ``zipfile``, ``csv``, ``socket``) at its top,
    only to read PYDANTIC_DISABLE_PLUGINS and find no plugin: some 15 ms of every command, a tenth of what is not
    importing. The stand-in answers ``get_plugins`` as the loader does while the switch is off; once it is not, or
    when pydantic asks it for anything else, the real loader is imported and answers instead.
    """
    if PLUGIN_LOADER in sys.modules or os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in PLUGINS_OFF:
        return
    import types

    def real() -> types.ModuleType:
        if sys.modules.get(PLUGIN_LOADER) is stand_in:
            del sys.modules[PLUGIN_LOADER]
        import importlib

        return importlib.import_module(PLUGIN_LOADER)

    def get_plugins() -> Iterable[object]:
        return () if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in PLUGINS_OFF else real().get_plugins()

    def other(name: str) -> object:
        if name.startswith("__"):  # what the import system asks of any module (“__path__”: is it a package?)
            raise AttributeError(name)
        return getattr(real(), name)

    stand_in = types.ModuleType(PLUGIN_LOADER, "Stands in for pydantic's plugin loader while plugins are off.")
    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = other  # type: ignore[attr-defined]
    sys.modules[PLUGIN_LOADER] = stand_in


def _run(argv: list[str] | None) -> int:
    from zzperf import cli_review

    words = sys.argv[1:] if argv is None else argv
    named = words[0] if words and (words[0] in COMMANDS or words[0] in cli_review.COMMANDS) else None
    parser = build_parser(named)  # a mistyped or missing command gets every command's parser, for the error or help
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:  # said by the command's own parser, with its usage (the top one would show ``zzperf 命令 ...``)
            parser.commands.get(args.command, parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as stop:  # --help (0) and usage errors (2)
        return stop.code if isinstance(stop.code, int) else EXIT_INPUT
    handlers = {
        "demo": setup.demo,
        "init": setup.init,
        "check": _check,
        "score": _score,
        "report": _report,
        "import": _import,
        "sets": setup.sets,
        "open": setup.open,
        "compare": _compare,
    }
    if args.command in (None, "demo", "init", "import", "open"):
        from zzperf.review import install  # deferred for start-up time: only commands that write need the log

        install()
    if args.command is None:
        return setup.bare(parser)
    if getattr(args, "year_folder", False):
        setup.read_year_folder(args)
    if args.command not in handlers:
        return cli_review.run(args, terminal.console, setup.open_workspace)
    return handlers[args.command](args)


def _check(args: argparse.Namespace) -> int:
    from zzperf import cli_review

    if cli_review.is_department_folder(args.workspace):
        return cli_review.run_folder(args, terminal.console())
    from zzperf.checks import run_checks
    from zzperf.output.checks import print_findings, print_narrative, print_origins

    workspace = setup.open_workspace(args.workspace)
    year = workspace.pick_year(args.year)
    accounts, previous = workspace.load_accounts(year), workspace.previous_accounts(year)
    from zzperf.workspace.new_year import holds_figures

    if not holds_figures(accounts):  # every rule would be skipped: "0 个错误" must not read as a pass
        raise ZzperfError(
            f"{year} 年度还没有决算数据，没有可检查的内容",
            file=workspace.year_dir(year) / "accounts.toml",
            hint=f"先导入部门决算公开表：zzperf import 决算.pdf {args.workspace or '.'} --year {year}",
        )
    texts = []
    if args.text:
        from zzperf.narrative import audit, read_source

        texts = [(path, *read_source(path)) for path in args.text]  # every file readable before anything is printed
    report = run_checks(accounts, previous)
    console = terminal.console()
    print_findings(console, workspace, year, report, args.verbose)
    from zzperf.workspace import read_origins

    source, origins = read_origins(workspace.year_dir(year), accounts)
    print_origins(console, report.findings, origins, source)
    failed = bool(report.errors)
    for path, text, word in texts:
        narrative = audit(text, accounts, previous, source=path.name, paragraphs=word)
        console.print()
        print_narrative(console, path, narrative, args.verbose)
        failed = failed or bool(narrative.errors)
    return 1 if failed else 0


def _score(args: argparse.Namespace) -> int:
    from zzperf import cli_review

    if cli_review.is_department_folder(args.workspace):
        return cli_review.run_folder(args, terminal.console())
    if args.out is not None:
        raise ZzperfError("--out 只用于存放多个工作区的文件夹（写各部门汇总表）", hint="单个工作区请用 zzperf report")
    from zzperf.output.scores import print_score_table, print_summary

    workspace = setup.open_workspace(args.workspace)
    year = workspace.pick_year(args.year)
    card = workspace.score(year)
    console = terminal.console()
    print_score_table(console, card)
    print_summary(console, workspace, card)
    cli_review.print_year_review(console, workspace, year)
    return 0


def _report(args: argparse.Namespace) -> int:
    from zzperf.report import export_templates, write_report

    if args.export_templates is not None:
        written = export_templates(args.export_templates)
        print(f"已导出模板到 {args.export_templates}：{'、'.join(path.name for path in written)}")
        print(f"修改后运行：zzperf report --template {args.export_templates}")
        return 0
    from zzperf import cli_review

    if cli_review.is_department_folder(args.workspace):
        return cli_review.run_folder(args, terminal.console())
    fmt = _report_format(args.report_format, args.out)
    if args.out is not None and not _is_stream(args.out):
        _refuse_report_out(args.out, fmt)
    workspace = setup.open_workspace(args.workspace)
    year = workspace.pick_year(args.year)
    if args.out is not None and _is_stream(args.out):
        from zzperf.report import context_for, render

        context = context_for(workspace, year, appendix=args.appendix, review=args.review)
        data = render(context, fmt, args.template)
        if fmt in ("md", "html"):  # text that may land on a terminal
            data = terminal.clean(data.decode("utf-8")).encode("utf-8")
        try:
            with args.out.open("wb") as stream:  # a terminal, pipe or device is written to, never replaced
                stream.write(data)
        except OSError as error:
            error.filename = str(args.out)
            raise
        notes = sys.stderr  # the report itself may be on stdout
    else:
        path = write_report(workspace, year, fmt, args.out, args.template, appendix=args.appendix, review=args.review)
        print(f"已生成 {path}")
        notes = sys.stdout
    _report_warnings(workspace, year, notes, appendix=args.appendix)
    return 0


def _is_stream(path: Path) -> bool:
    """True for a place to write into rather than replace: a device or FIFO, or ``/dev/stdout``-like paths.

    ``/dev/stdout`` may lead to the file the shell redirected to; replacing it would swap the link itself.
    """
    import stat

    if path.absolute().parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


REPORT_SUFFIXES = {".docx": "docx", ".md": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx"}


def _refuse_report_out(out: Path, fmt: str) -> None:
    """A report is written only to a file named as one, in a folder that exists: a slip of the hand must not put a
    report over ``accounts.toml`` or any other file, nor into a folder made up on the way (``compare`` refuses the
    same). A folder is said to be one first, whatever its name ends with."""
    _refuse_out_place(out, f"自评报告.{fmt}")
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise ZzperfError(
            f"报告文件名应以 {'、'.join(dict.fromkeys(REPORT_SUFFIXES))} 结尾（写的是“{out.name}”），未生成",
            file=out,
            hint=f"如 --out {out.with_suffix('.' + fmt)}",
        )


def _refuse_out_place(out: Path, example: str) -> None:
    """``--out`` of ``report`` and ``compare``: a file (not a folder) in a folder that exists, which is not made;
    ``example`` names such a file in the hint."""
    if out.is_dir():
        raise ZzperfError("--out 应为文件，这是一个文件夹", file=out, hint=f"如 --out {out / example}")
    if out.parent.exists() and not out.parent.is_dir():
        raise ZzperfError("输出文件所在的文件夹是一个文件", file=out.parent, hint="--out 写一个文件夹中的文件名")
    if not out.parent.is_dir():
        raise ZzperfError(
            "输出文件所在的文件夹不存在，未生成", file=out.parent, hint="先建立这个文件夹，或写一个已有的文件夹"
        )


def _report_format(chosen: str | None, out: Path | None) -> str:
    """--format, else the --out file's extension, else docx; a disagreement between the two is refused."""
    implied = REPORT_SUFFIXES.get(out.suffix.lower()) if out is not None else None
    if chosen and implied and chosen != implied:
        raise ZzperfError(
            f"--format {chosen} 与输出文件的扩展名 {out.suffix} 不一致",  # type: ignore[union-attr]
            hint=f"去掉 --format（按扩展名生成 {implied}），或把文件名改为 .{chosen}",
        )
    return chosen or implied or "docx"


def _report_warnings(workspace: Workspace, year: int, stream: object = None, appendix: bool = False) -> None:
    """What to know before submitting: open check errors, unscored items, wrong figures in the text."""
    from zzperf.checks import run_checks
    from zzperf.narrative import audit_report_text
    from zzperf.report import submission_notes, unfilled
    from zzperf.scoring import score_year

    loaded = workspace.load_year(year)  # read once for the three questions
    previous = workspace.previous_accounts(year)
    errors = run_checks(loaded.accounts, previous).errors
    card = score_year(workspace.set_for(year), loaded.accounts, loaded.evaluation, previous)
    empty = unfilled(workspace.profile, loaded.evaluation)
    for note in submission_notes(card, errors, appendix=appendix, empty=empty):
        print(f"注意：{note}。", file=stream)
    wrong = audit_report_text(loaded.evaluation.report, loaded.accounts, previous)
    if wrong:
        print(f"注意：报告文字中有 {len(wrong)} 处数字与决算数据不符（报告已照原文生成，请核对后修改）：", file=stream)
        for finding in wrong:
            print(f"  {finding.table} {finding.message}", file=stream)


def _import(args: argparse.Namespace) -> int:
    if args.template is not None:
        if args.file is not None:
            raise ZzperfError("--template 只生成模板，不能同时导入文件", hint="zzperf import --template 模板.xlsx")
        from zzperf.importing.blank_workbook import write_template

        write_template(args.template)
        print(f"已生成空白模板 {args.template}：每个工作表一张决算表。填好后运行 zzperf import {args.template} 工作区")
        return 0
    if args.file is None:
        raise ZzperfError(
            "缺少要导入的文件", hint="zzperf import 决算.txt 工作区；空白模板：zzperf import --template 模板.xlsx"
        )
    from zzperf.checks import run_checks
    from zzperf.importing.plan import plan_import, write_import
    from zzperf.importing.reader import read_import
    from zzperf.output.checks import print_findings, print_narrative, print_origins
    from zzperf.output.imports import (
        print_changes,
        print_department,
        print_problems,
        print_result,
        print_suggestions,
    )

    result = read_import(args.file, year=args.year, unit=args.unit)
    try:
        workspace = setup.open_workspace(args.workspace)
    except ZzperfError as error:
        if "不是 zzperf 工作区" not in error.message and "目录不存在" not in error.message:
            raise
        name = result.department or "部门名称"
        raise ZzperfError(
            error.message,
            file=error.file,
            hint=f"先新建工作区：zzperf init 工作区目录 --name {name} --year {result.year}，"
            f"再运行 zzperf import {args.file} 工作区目录",
        ) from None
    console = terminal.console()
    print_result(console, result)
    other = result.other_department(workspace.profile.name)
    if other and not (args.accept_department or args.dry_run):
        raise ZzperfError(
            f"{result.department_note(workspace.profile.name)}，未写入任何文件",
            file=args.file,
            hint="确是本部门（名称写法不同）时加 --accept-department 再导入；否则请导入本部门的文件，"
            "或导入到该部门的工作区",
        )
    print_department(console, result, workspace.profile.name)
    blocking = result.blocking(args.partial)
    if blocking:
        print_problems(console, blocking)
        console.print("未写入任何文件。", style="bold")
        return 1
    plan = plan_import(workspace, result, accept=args.accept_suggestions, partial=args.partial)
    print_suggestions(console, result.suggestions, accepted=args.accept_suggestions)
    print_changes(console, plan, result.origins)
    if plan.unchanged:
        console.print("没有需要写入的改动。")
        return 0
    if args.dry_run:
        console.print("（--dry-run：未写入任何文件）")
        return 0
    if plan.needs_replace and not args.replace:
        console.print(
            f"{plan.current.year} 年度已有数据，以上是导入会改动的数字。确认以导入为准请加 --replace"
            "（原文件会先备份）。未写入任何文件。",
            style="bold yellow",
        )
        return 1
    setup.require_writable(workspace.year_dir(plan.current.year))
    written = write_import(workspace, plan, replace=args.replace)
    for path in written.files:
        console.print(f"已写入 {path}", style="bold green")
    for path in written.backups:
        console.print(f"原文件已备份为 {path}")
    year = plan.current.year
    accounts, previous = workspace.load_accounts(year), workspace.previous_accounts(year)
    report = run_checks(accounts, previous)
    print_findings(console, workspace, year, report)
    print_origins(console, report.findings, result.origins)
    if result.text is not None:
        from zzperf.narrative import audit

        narrative = audit(result.text, accounts, previous, source=args.file.name, pages=result.text_pages)
        if narrative.checked:
            console.print()
            print_narrative(console, args.file, narrative)
    return 0


def _compare(args: argparse.Namespace) -> int:
    from zzperf.compare import compare_departments, compare_years
    from zzperf.output import compare as compare_output
    from zzperf.workspace import Workspace, find_workspaces

    fmt = args.compare_format or _format_from_suffix(args.out)
    if fmt == "xlsx" and args.out is None:
        raise ZzperfError("xlsx 格式需要用 --out 指定输出文件", hint="zzperf compare --format xlsx --out 对比.xlsx")
    if args.out is not None:
        _refuse_out_place(args.out, f"对比.{'csv' if fmt in (None, 'table') else fmt}")
    if args.workspaces:
        roots = find_workspaces(args.workspaces)
        by_department = len(roots) > 1 or not (args.workspaces[0] / "zzperf.toml").is_file()
    else:
        roots, by_department = [setup.open_workspace(None).root], False

    if by_department:
        if args.years or args.all:
            raise ZzperfError("按部门对比时只比较一个年度", hint="用 --year 年度，如 --year 2018")
        departments = compare_departments(roots, args.year, cache=not args.no_cache)
        writers = {
            "table": lambda console: compare_output.print_departments(console, departments),
            "md": lambda: compare_output.departments_markdown(departments),
            "html": lambda: compare_output.departments_html(departments),
            "csv": lambda: compare_output.departments_csv(departments),
            "xlsx": lambda path: compare_output.write_departments_xlsx(departments, path),
        }
        failed = len(departments.failures)
    else:
        workspace = Workspace(roots[0])
        if args.all:
            years = workspace.years()
        elif args.years:
            years = args.years
        elif args.year is not None:
            earlier = [year for year in workspace.years() if year < args.year]
            years = earlier[-1:] + [args.year]
        else:
            years = None
        comparison = compare_years(workspace, years)
        writers = {
            "table": lambda console: compare_output.print_years(console, comparison),
            "md": lambda: compare_output.years_markdown(comparison),
            "html": lambda: compare_output.years_html(comparison, _year_scores(workspace, comparison.years)),
            "csv": lambda: compare_output.years_csv(comparison),
            "xlsx": lambda path: compare_output.write_years_xlsx(comparison, path),
        }
        failed = 0
    _write_comparison(fmt, writers, args.out)
    if failed:
        print(f"注意：{failed} 个工作区未能读取，未参加排名（原因见输出）。", file=sys.stderr)
        return 1
    return 0


def _year_scores(workspace: Workspace, years: Sequence[int]) -> list[YearScore]:
    """Each year's scores for the charts of a web page (the report's code, imported only for this)."""
    from zzperf.report.context import year_score

    return [year_score(workspace.score(year)) for year in years]


def _format_from_suffix(out: Path | None) -> str:
    suffixes = {".md": "md", ".csv": "csv", ".xlsx": "xlsx", ".html": "html", ".htm": "html"}
    return suffixes.get(out.suffix.lower(), "table") if out is not None else "table"


def _write_comparison(fmt: str, writers: dict, out: Path | None) -> None:  # noqa: ANN001 - one writer per format
    if fmt == "xlsx":
        setup.require_writable(out.parent)  # type: ignore[union-attr]
        writers["xlsx"](out)
    elif fmt == "table":
        if out is None:
            writers["table"](terminal.console())
        else:
            with _open_out(out, "utf-8") as handle:
                writers["table"](terminal.file_console(handle))
    else:
        text = writers[fmt]()
        if out is None:
            sys.stdout.write(text)
            return
        # CSV with a byte-order mark so that Excel reads the Chinese correctly.
        with _open_out(out, "utf-8-sig" if fmt == "csv" else "utf-8") as handle:
            handle.write(text)
    if out is not None:
        print(f"已写入 {out}")


def _open_out(out: Path, encoding: str):  # noqa: ANN202 - a text file handle
    setup.require_writable(out.parent)
    try:
        return out.open("w", encoding=encoding, newline="")
    except OSError as error:
        raise terminal.file_error(error) from None
