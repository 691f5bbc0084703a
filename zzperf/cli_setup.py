"""``zzperf demo``, ``init``, ``open`` and ``sets``: creating and opening workspaces, and the questions they ask.

Also the helpers every command uses to find its workspace and check that a folder can be written.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.errors import ZzperfError
from zzperf.output import terminal
from zzperf.resources import shipped_dir

if TYPE_CHECKING:
    from zzperf.workspace import Workspace

DEMO_SOURCE = shipped_dir("demo")
DEMO_DIR = "zzperf-demo"
COUNTY_DIR = "zzperf-county"
DEFAULT_GC = gc.get_threshold()
"""The garbage collector's thresholds as Python set them, before a command raises them (``cli.COMMAND_GC``)."""


def open_workspace(path: Path | None) -> Workspace:
    from zzperf.workspace import Workspace, find_workspace

    if path is not None:
        if not path.exists():
            raise ZzperfError("目录不存在", file=path)
        if not path.is_dir():
            raise ZzperfError(
                "这是一个文件，不是工作区目录", file=path, hint=f"写出工作区目录（或其中的年度目录），如 {path.parent}"
            )
        return Workspace(path)
    found = find_workspace(Path.cwd())
    if found is None:
        raise ZzperfError(
            "当前目录不是 zzperf 工作区", hint="在工作区目录中运行，或写出工作区路径，如 zzperf score zzperf-demo"
        )
    return Workspace(found)


def read_year_folder(args: argparse.Namespace) -> None:
    """A year's folder stands for its workspace and that year: ``zzperf score ws/2018`` works on ws at 2018, and so
    does ``zzperf score`` run inside ws/2018 (where ``--year`` may name another year). Given as the workspace, the
    folder and ``--year`` must agree. A command without ``--year`` (``state``, ``verify``) takes the workspace."""
    from zzperf.workspace import find_workspace
    from zzperf.workspace.discover import is_workspace

    path: Path | None = args.workspace
    given = getattr(args, "year", None)
    if path is None:
        root = find_workspace(Path.cwd())
        if root is not None and given is None and hasattr(args, "year"):
            args.year = year_inside(root, Path.cwd())
        return
    folder = path if path.name not in ("", ".", "..") else path.resolve()
    if not (folder.name.isdigit() and path.is_dir() and not is_workspace(path) and is_workspace(path / "..")):
        return
    year = int(folder.name)
    if given is not None and given != year:
        raise ZzperfError(
            f"这是 {year} 年度的目录，与 --year {given} 不一致",
            file=path,
            hint=f"去掉 --year，或写出工作区目录：{folder.parent}",
        )
    args.workspace = folder.parent
    if hasattr(args, "year"):
        args.year = year


def year_inside(root: Path, here: Path) -> int | None:
    """The year whose folder ``here`` is (or is below) in the workspace ``root``; None elsewhere in it."""
    parts = here.relative_to(root).parts
    return int(parts[0]) if parts and parts[0].isdigit() else None


def demo(args: argparse.Namespace) -> int:
    if args.county:
        return demo_county(Path(args.dir or COUNTY_DIR))
    target = Path(args.dir or DEMO_DIR)
    require_folder(target)
    if args.reset and target.exists():
        if not is_demo(target):
            raise ZzperfError(
                "拒绝删除：该目录不是演示工作区", file=target, hint="--reset 只用于 zzperf demo 生成的演示工作区"
            )
        shutil.rmtree(target)
    if target.exists() and any(target.iterdir()):
        if not is_demo(target):
            raise ZzperfError(
                "目录已存在且不是演示工作区", file=target, hint="换一个目录名；查看自己的工作区请用 zzperf score 目录"
            )
        created = False
    else:
        shutil.copytree(DEMO_SOURCE, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        created = True
    console = terminal.console()
    console.print(f"{'已生成' if created else '已复用'}演示工作区：{target}")
    if args.no_open:
        return 0
    if interactive():
        return run_app(target, None)
    from zzperf.output.scores import print_summary

    workspace = open_workspace(target)
    year = workspace.pick_year(None)
    card = workspace.score(year)
    print_summary(console, workspace, card)
    from zzperf.checks import run_checks

    report = run_checks(workspace.load_accounts(year), workspace.previous_accounts(year))
    console.print(
        f"决算勾稽检查：{len(report.errors)} 个错误，{len(report.warnings)} 个警告，{len(report.infos)} 条提示"
        f"（详见 zzperf check {target}）"
    )
    console.print(f"逐项得分与公式：zzperf score {target}")
    return 0


def demo_county(target: Path) -> int:
    """Write the county demo (several departments in one folder) and say what to try on it."""
    from zzperf.cli_county import ROLES, SOURCES_NOTE, build_county

    require_folder(target)
    require_writable(target if target.exists() else target.parent)
    names = build_county(target, DEMO_SOURCE)
    console = terminal.console()
    console.print(f"已生成财政局复核演示：{target}，{len(names)} 个部门：{'、'.join(names)}")
    console.print(f"各部门决算数字的出处见 {target / SOURCES_NOTE}；自评、复核和提交状态是演示场景。")
    years = "、".join(str(year) for year in sorted({role.year for role in ROLES} | {2018}, reverse=True))
    console.print(f"各部门的年度不同（{years}），文件夹命令请加 --year：")
    console.print(
        f"  zzperf check {target} --year 2024；zzperf score {target} --year 2024；zzperf compare {target} --year 2024"
    )
    console.print(
        f"复核一个部门：zzperf review {target / ROLES[-1].folder}；zzperf log / state / verify 同样写部门目录"
    )
    return 0


def interactive() -> bool:
    """True in a terminal a person uses; scripts and CI (output piped or captured) get printed text instead."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def run_app(path: Path, year: int | None, review: bool = False) -> int:
    """Open the scoring app on a workspace (Textual is imported only here).

    The app runs for hours: it collects garbage at Python's default thresholds, so that each pause stays short, and
    what start-up made (modules, classes, the indicator set) is frozen, left out of every later full collection.
    """
    from zzperf.tui import run

    gc.freeze()
    gc.set_threshold(*DEFAULT_GC)
    run(path, year, review=review)
    return 0


def open(args: argparse.Namespace) -> int:
    workspace = open_workspace(args.workspace)
    workspace.pick_year(args.year)  # a clear error before the screen opens
    if not interactive():
        raise ZzperfError(
            "zzperf open 需要在终端中运行",
            hint=f"在脚本中请用 zzperf score {workspace.root} 或 zzperf check {workspace.root}",
        )
    return run_app(workspace.root, args.year, args.review)


def bare(parser: argparse.ArgumentParser) -> int:
    """A bare ``zzperf``: open the app when run in a workspace folder (or below one; in a year's folder at that year),
    else show the help."""
    from zzperf.workspace import find_workspace

    found = find_workspace(Path.cwd())
    if found is None or not interactive():
        parser.print_help()
        return 0
    year = year_inside(found, Path.cwd())  # in a year's folder: that year
    if year is not None:
        from zzperf.workspace import Workspace

        Workspace(found).pick_year(year)  # a clear error before the screen opens
    return run_app(found, year)


def require_folder(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ZzperfError("这是一个文件，不是目录", file=target, hint="换一个目录名")


def require_writable(folder: Path) -> None:
    """Refuse a read-only folder before anything is written into it (see ``tomlio.refuse_read_only_folder``)."""
    from zzperf.tomlio import refuse_read_only_folder

    refuse_read_only_folder(folder)


def is_demo(target: Path) -> bool:
    """True when ``target`` holds a workspace made by ``zzperf demo`` (same department and set)."""
    from zzperf.tomlio import read_toml

    path = target / "zzperf.toml"
    if not path.is_file():
        return False
    try:
        profile, _ = read_toml(path)
        demo, _ = read_toml(DEMO_SOURCE / "zzperf.toml")
    except ZzperfError:
        return False
    return all(profile.get(key) == demo.get(key) for key in ("name", "indicator_set"))


def init(args: argparse.Namespace) -> int:
    from zzperf.workspace import PROFILE_FILE, Workspace

    target = Path(args.dir)
    require_folder(target)
    interactive = sys.stdin.isatty()
    if (target / PROFILE_FILE).exists():
        if args.name or args.indicator_set:
            raise ZzperfError(
                "该目录已经是 zzperf 工作区；--name 和 --set 只用于新建",
                file=target,
                hint="给已有工作区增加年度：zzperf init 目录 --year 年度",
            )
        return add_year(Workspace(target), args.year if args.year is not None else ask_year(interactive))
    if target.exists() and any(target.iterdir()):
        raise ZzperfError("目录不是空的，也不是 zzperf 工作区", file=target, hint="换一个新目录名")
    name = (args.name if args.name is not None else ask("部门（单位）名称", interactive, "--name")).strip()
    if not name:
        raise ZzperfError("部门（单位）名称不能为空", hint="--name 株洲市某某局")
    year = args.year if args.year is not None else ask_year(interactive)
    set_name = args.indicator_set or ask_set(interactive)
    return create_workspace(target, name, check_year(year), set_name)


def create_workspace(target: Path, name: str, year: int, set_name: str) -> int:
    """Validate everything first, then write: a failed init leaves nothing behind."""
    from zzperf.accounts import Accounts
    from zzperf.evaluation import Evaluation
    from zzperf.indicators import load_set, shipped_sets
    from zzperf.tomlio import dump_model, write_atomic
    from zzperf.workspace import PROFILE_FILE, Profile, Workspace

    own_set = None
    if set_name not in shipped_sets():
        own_set = Path(set_name)
        if not own_set.is_file():
            raise ZzperfError(
                f"找不到指标体系 “{set_name}”",
                hint=f"内置指标体系：{'、'.join(shipped_sets())}；也可写 TOML 文件路径",
            )
    indicator_set = load_set(own_set) if own_set else load_set(shipped_sets()[set_name])
    profile = Profile(name=name, indicator_set="indicator-set.toml" if own_set else set_name)
    accounts, evaluation = Accounts(year=year), Evaluation(year=year)
    require_writable(target if target.exists() else target.parent)
    target.mkdir(parents=True, exist_ok=True)
    if own_set:
        # The workspace keeps its own copy, so it still scores when the original file moves.
        write_atomic(target / "indicator-set.toml", own_set.read_text(encoding="utf-8"))
    write_atomic(target / PROFILE_FILE, dump_model(profile))
    workspace = Workspace(target)
    workspace.save_accounts(accounts)
    workspace.save_evaluation(evaluation)
    print(f"已新建工作区 {target}：{name}，{year} 年度，指标体系：{indicator_set.name}")
    print(
        "下一步：导入决算表 zzperf import 决算.pdf|决算.txt|决算.xls"
        f"x {target}，或打开评分界面 zzperf open {target} 逐项填写；"
    )
    print(f"部门职能、内设机构、预算编码等写在 {target / 'zzperf.toml'}。")
    return 0


def add_year(workspace: Workspace, year: int) -> int:
    from zzperf.workspace import start_new_year

    added = start_new_year(workspace, check_year(year))
    print(f"已为 {workspace.profile.name} 增加 {added} 年度（绩效目标的指标值沿用上一年度，数据待填写）")
    return 0


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise ZzperfError(f"年度 {year} 不在 2000–2100 之间", hint="--year 2024")
    return year


def ask_year(interactive: bool) -> int:
    return int(ask("评价年度（如 2024）", interactive, "--year", numeric=True))


def ask_set(interactive: bool) -> str:
    from zzperf.indicators import load_set, shipped_sets

    if not interactive:
        return "national-2013"
    choices = sorted(shipped_sets(), key=lambda set_id: set_id != "national-2013")
    for number, set_id in enumerate(choices, start=1):
        print(f"  {number}. {set_id}  {load_set(shipped_sets()[set_id]).name}")
    while True:
        answer = ask(f"指标体系（1–{len(choices)}，或 TOML 文件路径，回车为 1）", interactive, "--set", blank_ok=True)
        if not answer:
            return choices[0]
        if answer.isdigit() and 1 <= int(answer) <= len(choices):
            return choices[int(answer) - 1]
        if answer in choices or Path(answer).is_file():
            return answer
        print("请输入序号、内置名称或存在的 TOML 文件路径。")


def ask(question: str, interactive: bool, option: str, numeric: bool = False, blank_ok: bool = False) -> str:
    if not interactive:
        raise ZzperfError(f"缺少 {option}", hint=f"非交互运行时请用 {option} 给出{question}")
    while True:
        try:
            answer = input(f"{question}：").strip()
        except EOFError:
            raise ZzperfError("已取消：没有输入") from None
        if (answer or blank_ok) and (not numeric or (answer.isdigit() and 2000 <= int(answer) <= 2100)):
            return answer
        print("请重新输入。" if not numeric else "请输入 2000–2100 之间的年份。")


def sets(args: argparse.Namespace) -> int:
    from zzperf.indicators import load_set, shipped_sets

    if args.sets_command == "validate":
        indicator_set = load_set(args.file)
        leaves = indicator_set.leaves
        print(f"{args.file}：有效。{indicator_set.name}，{len(leaves)} 个末级指标，总分 {indicator_set.total}")
        return 0
    if args.sets_command != "list":
        raise ZzperfError("缺少子命令", hint="zzperf sets list 或 zzperf sets validate 文件")
    for set_id, path in shipped_sets().items():
        indicator_set = load_set(path)
        print(f"{set_id}\t{indicator_set.name}（{len(indicator_set.leaves)} 项，{indicator_set.total} 分）")
    return 0
