"""The change log as a reviewer meets it: real workspaces, the zzperf command, a log line and a file tampered with."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import run_zzperf
from zzperf.cli import main
from zzperf.review import read_log, verify
from zzperf.review.history import GENESIS, LOG_FILE, differences, entry_hash
from zzperf.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, user: str = "张三") -> subprocess.CompletedProcess[str]:
    return run_zzperf(*args, cwd=cwd, user=user)


SELF_SCORE = Decimal(1)
"""The demo's own (自评) score of input.goals.clarity: a 复核 score other than it needs a reason."""


def review(demo: Path, score: str) -> subprocess.CompletedProcess[str]:
    """A 复核 of input.goals.clarity, with a reason where the score differs from the 自评 (the rule a reviewer
    meets), so that agreeing with it logs the score alone."""
    reason = [] if Decimal(score) == SELF_SCORE else ["--reason", "目标未量化"]
    return run("review", str(demo), "--indicator", "input.goals.clarity", "--score", score, *reason, cwd=demo.parent)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["demo", str(tmp_path / "demo"), "--no-open"]) == 0
    return tmp_path / "demo"


def test_a_workspace_change_is_logged_with_who_what_old_new_and_reason(demo: Path) -> None:
    os.environ["ZZPERF_USER"] = "李四"
    try:
        workspace = Workspace(demo)
        evaluation = workspace.load_evaluation(2018)
        entry = evaluation.indicators["input.goals.clarity"]
        evaluation.indicators["input.goals.clarity"] = entry.model_copy(update={"level": "较好", "reason": "已细化"})
        workspace.save_evaluation(evaluation)
    finally:
        del os.environ["ZZPERF_USER"]
    entries = read_log(demo)
    assert [(e.who, e.year, e.file, e.indicator, e.what, e.old, e.new) for e in entries] == [
        ("李四", 2018, "2018/evaluation.toml", "input.goals.clarity", "level", "一般", "较好"),
        (
            "李四",
            2018,
            "2018/evaluation.toml",
            "input.goals.clarity",
            "reason",
            "绩效指标未细化量化，自评报告“存在的问题”已列明“绩效评价不科学”。",
            "已细化",
        ),
    ]
    assert entries[0].reason == "已细化"
    assert entries[0].prev == GENESIS and entries[1].prev == entries[0].hash
    assert entries[1].hash == entry_hash(entries[1].body)


def test_a_change_that_leaves_the_reason_is_logged_without_it(demo: Path) -> None:
    """A level raised while the deduction reason stands is logged with no reason: the file's 理由 was written for
    the old level. A change that rewrites the reason carries it."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    entry = evaluation.indicators["input.goals.clarity"]
    evaluation.indicators["input.goals.clarity"] = entry.model_copy(update={"level": "好"})
    workspace.save_evaluation(evaluation)
    evaluation.indicators["input.goals.clarity"] = entry.model_copy(update={"level": "较好", "reason": "部分细化"})
    workspace.save_evaluation(evaluation)
    assert [(e.what, e.old, e.new, e.reason) for e in read_log(demo)] == [
        ("level", "一般", "好", ""),
        ("level", "好", "较好", "部分细化"),
        ("reason", entry.reason, "部分细化", "部分细化"),
    ]


def test_the_saves_of_a_reason_typed_in_a_row_are_one_row_of_the_log(demo: Path) -> None:
    """The app saves a reason at each pause in the typing: three saves in a row are one row of ``zzperf log`` (the
    text before the first, the text after the last), while every save stays in the log and a score change between
    edits keeps its own row."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    key = "input.goals.clarity"
    entry = evaluation.indicators[key]
    for reason in ("绩效指标", "绩效指标已细化", "绩效指标已细化量化。"):
        evaluation.indicators[key] = entry.model_copy(update={"reason": reason})
        workspace.save_evaluation(evaluation)
    evaluation.indicators[key] = entry.model_copy(update={"reason": "绩效指标已细化量化。", "level": "较好"})
    workspace.save_evaluation(evaluation)
    assert len(read_log(demo)) == 4
    shown = run_zzperf("log", str(demo), cwd=demo.parent, columns=200)
    assert shown.returncode == 0, shown.stderr
    rows = [line for line in shown.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 2, shown.stdout
    assert "1–3" in rows[0] and "理由（输入中保存 3 次）" in rows[0], rows[0]
    assert entry.reason[:10] in rows[0] and "绩效指标已细化量化。" in rows[0], rows[0]
    assert "等级" in rows[1] and "一般" in rows[1] and "较好" in rows[1], rows[1]
    assert "共 4 条记录（同一处文字连续输入时的多次保存合为一行，共 2 行）。" in shown.stdout


def test_saves_of_a_text_that_end_where_they_began_keep_their_rows(demo: Path) -> None:
    """评价人 typed over and put back as it was: one row “甲 → 甲” would hide what it held meanwhile."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    original = evaluation.evaluator
    for text in ("临时写的", original):
        workspace.save_evaluation(evaluation.model_copy(update={"evaluator": text}))
    shown = run_zzperf("log", str(demo), cwd=demo.parent, columns=200)
    rows = [line for line in shown.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 2 and "临时写的" in rows[0] and "输入中保存" not in shown.stdout, shown.stdout


def test_log_filters_by_indicator_and_year_and_names_the_person(demo: Path) -> None:
    for indicator, score in (("input.goals.clarity", "0.5"), ("process.management.rules", "1")):
        result = run(
            "review",
            str(demo),
            "--year",
            "2018",
            "--indicator",
            indicator,
            "--score",
            score,
            "--reason",
            f"复核 {indicator}",
            cwd=demo.parent,
        )
        assert result.returncode == 0, result.stderr
    shown = run("log", str(demo), "--indicator", "input.goals", cwd=demo.parent)
    assert shown.returncode == 0, shown.stderr
    assert "张三" in shown.stdout and "共 2 条记录" in shown.stdout  # the new review file: score and reason
    assert "共 4 条记录" in run("log", str(demo), "--year", "2018", cwd=demo.parent).stdout
    assert [(e.indicator, e.what, e.new, e.reason) for e in read_log(demo)][:2] == [
        ("input.goals.clarity", "score", "0.5", "复核 input.goals.clarity"),
        ("input.goals.clarity", "reason", "复核 input.goals.clarity", "复核 input.goals.clarity"),
    ]
    assert "没有符合条件的修改记录" in run("log", str(demo), "--year", "2017", cwd=demo.parent).stdout
    usage = run("log", "--help", cwd=demo.parent).stdout  # without --year every year's records are listed
    assert "默认列出所有年度" in usage and "默认为最新年度" not in usage


def test_verify_passes_on_an_untouched_log(demo: Path) -> None:
    assert review(demo, "1").returncode == 0
    result = run("verify", str(demo), cwd=demo.parent)
    assert result.returncode == 0, result.stdout
    assert "修改记录链完整：共 1 条记录" in result.stdout


def _two_entries(demo: Path) -> Path:
    """One 复核 below the 自评: its score and its reason, two log entries."""
    assert review(demo, "0.5").returncode == 0
    assert [entry.what for entry in read_log(demo)] == ["score", "reason"]
    return demo / LOG_FILE


def test_verify_names_the_log_line_that_was_edited(demo: Path) -> None:
    log = _two_entries(demo)
    lines = log.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["new"] = "2"  # a friendlier score, written in by hand
    lines[0] = json.dumps(first, ensure_ascii=False, separators=(",", ":"))
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("verify", str(demo), cwd=demo.parent)
    assert result.returncode == 1
    assert "第 1 条记录" in result.stdout and "内容被修改" in result.stdout


def test_verify_notices_a_removed_entry(demo: Path) -> None:
    log = _two_entries(demo)
    lines = log.read_text(encoding="utf-8").splitlines()
    log.write_text(lines[1] + "\n", encoding="utf-8")
    result = run("verify", str(demo), cwd=demo.parent)
    assert result.returncode == 1
    assert "第 1 条记录的序号是 2" in result.stdout


def test_an_outside_edit_of_a_draft_is_noted_and_then_logged_when_zzperf_next_writes(demo: Path) -> None:
    _two_entries(demo)
    verdicts = demo / "2018" / "review.toml"
    verdicts.write_text(verdicts.read_text(encoding="utf-8").replace("score = 0.5", "score = 0.8"), encoding="utf-8")
    result = run("verify", str(demo), cwd=demo.parent)
    assert result.returncode == 0
    assert "2018/review.toml 在第 2 条记录之后在 zzperf 之外修改过" in result.stdout
    assert review(demo, "0.6").returncode == 0
    entries = read_log(demo)
    assert [(e.what, e.who) for e in entries[2:]] == [("（在 zzperf 之外修改）", "（未知）"), ("score", "张三")]
    assert entries[3].old == "0.8" and entries[3].new == "0.6"
    assert verify(demo).ok and not verify(demo).outside_edits


def test_differences_name_table_rows_by_their_code() -> None:
    old = b'[[lines]]\ncode = "301"\namount = 1.50\n[[lines]]\ncode = "302"\namount = 2\n'
    new = b'[[lines]]\ncode = "301"\namount = 1.75\n[[lines]]\ncode = "302"\namount = 2\n'
    assert differences(old, new) == [(None, "lines[301].amount", "1.50", "1.75")]
    assert differences(old, old + b"# a note\n") == [(None, "（仅格式或注释）", None, None)]


def test_a_damaged_last_line_is_named_and_later_changes_are_still_logged(demo: Path) -> None:
    assert review(demo, "1").returncode == 0
    log = demo / LOG_FILE
    log.write_text(log.read_text(encoding="utf-8")[:-20] + "\n", encoding="utf-8")
    assert review(demo, "0.5").returncode == 0
    result = run("verify", str(demo), cwd=demo.parent)
    assert result.returncode == 1 and "第 1 行不是有效的记录" in result.stdout
    assert any('"new":"0.5"' in line for line in log.read_text(encoding="utf-8").splitlines()[1:])


def test_the_log_says_what_changed_in_chinese_and_names_indicators(demo: Path) -> None:
    """``zzperf log``'s 内容: 复核人, 得分, 填报日期 and figure labels, and an indicator's name rather than its id."""
    done = run(
        "review", str(demo), "--indicator", "社会效益", "--score", "1", "--reason", "证据不足", "--reviewer", "复核组",
        cwd=demo.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    workspace = Workspace(demo)
    workspace.save_evaluation(workspace.load_evaluation(2018).model_copy(update={"date": "2019年3月31日"}))
    text = (demo / "2018" / "部门决算公开全文.txt").read_text(encoding="utf-8").replace("249.86", "258.88")
    (demo.parent / "决算.txt").write_text(text, encoding="utf-8")
    assert run("import", str(demo.parent / "决算.txt"), str(demo), "--replace", cwd=demo.parent).returncode == 0
    log = run("log", str(demo), cwd=demo.parent, user="王五")
    assert log.returncode == 0, log.stderr
    table = read_box_table(log.stdout)
    shown = [row[table.heads.index("内容")] for row in table.rows]
    for words in (
        "复核 复核人",
        "复核 社会效益 得分",
        "复核 社会效益 理由",
        "自评 填报日期",
        "数据 数据来源",
        "数据 一般公共预算财政拨款基本支出决算表 301",
    ):
        assert words.replace(" ", "") in "".join(shown).replace(" ", ""), (words, shown)  # over its cell's lines
    assert "reviewer" not in log.stdout and "effect.benefit.social" not in log.stdout and " date" not in log.stdout


def test_the_log_says_an_items_status_as_the_score_tab_does(demo: Path) -> None:
    """An item ticked 已核实 and then changed (back to 草稿) is logged in those words, not confirmed / draft."""
    workspace = Workspace(demo)
    evaluation = workspace.load_evaluation(2018)
    key, entry = next((key, entry) for key, entry in evaluation.indicators.items() if entry.status == "draft")
    confirmed = entry.model_copy(update={"status": "confirmed"})
    workspace.save_evaluation(evaluation.model_copy(update={"indicators": {**evaluation.indicators, key: confirmed}}))
    log = run("log", str(demo), cwd=demo.parent)
    assert log.returncode == 0, log.stderr
    table = read_box_table(log.stdout)
    row = next(row for row in table.rows if "状态" in row[table.heads.index("内容")])
    said = [row[table.heads.index(head)] for head in table.heads]
    assert "草稿" in said and "已核实" in said, said
    assert "confirmed" not in log.stdout and "draft" not in log.stdout


def test_a_long_text_edited_in_one_place_is_logged_as_that_place() -> None:
    """A report section changed near its end: the log keeps the change with a little around it, not the whole
    section, nor only its start (which, past 300 characters, hid the change)."""
    section = "推进“最多跑一次”改革，" * 40  # 480 characters
    old = f'[report]\nachievements = "{section}全年办件 4.22 万件。"\n'.encode()
    new = f'[report]\nachievements = "{section}全年办件 4.21 万件。"\n'.encode()
    [(indicator, what, before, after)] = differences(old, new)
    assert (indicator, what) == (None, "report.achievements")
    assert before == "…跑一次”改革，全年办件 4.22 万件。"
    assert after == "…跑一次”改革，全年办件 4.21 万件。"
    short = differences(b'[report]\nmeasures = "a"\n', b'[report]\nmeasures = "ab"\n')
    assert short == [(None, "report.measures", "a", "ab")]  # short texts are logged whole


def test_the_log_of_a_year_whose_folder_is_gone_can_still_be_read(demo: Path) -> None:
    # The log keeps a removed year's entries (the ids are shown as they are); “--year” for that year refused them
    # as a year the workspace does not have. A year with neither a folder nor entries is still refused.
    import shutil

    assert review(demo, "0.5").returncode == 0
    shutil.copytree(demo / "2018", demo / "2019", ignore=shutil.ignore_patterns("review.toml"))
    (demo / "2019" / "accounts.toml").write_text(
        (demo / "2019" / "accounts.toml").read_text(encoding="utf-8").replace("year = 2018", "year = 2019", 1),
        encoding="utf-8",
    )
    evaluation = demo / "2019" / "evaluation.toml"
    evaluation.write_text(
        evaluation.read_text(encoding="utf-8").replace("year = 2018", "year = 2019", 1), encoding="utf-8"
    )
    assert (
        run(
            "review",
            str(demo),
            "--year",
            "2019",
            "--indicator",
            "input.goals.clarity",
            "--score",
            "0.5",
            "--reason",
            "目标未量化",
            cwd=demo.parent,
        ).returncode
        == 0
    )
    shutil.rmtree(demo / "2019")
    shown = run("log", str(demo), "--year", "2019", cwd=demo.parent)
    assert shown.returncode == 0, shown.stderr
    assert "目标未量化" in shown.stdout and "没有符合条件的修改记录" not in shown.stdout
    assert run("log", str(demo), "--year", "1999", cwd=demo.parent).returncode == 2


def test_a_figure_typed_into_a_year_without_targets_logs_each_target_added_once_in_words(demo: Path) -> None:
    """The 2017 year of the demo has no 绩效目标: the first figure typed into it also writes the set's targets (key,
    name, unit, comparison, no figure), which were logged as four English paths each (outcomes[cases_handled].key …).
    Each target is now one line, named; a figure of a target is worded as 绩效目标 … 完成值."""
    from zzperf.tui.session import Session

    session = Session(Workspace(demo), 2017)
    session.set_figure("three_public.budget.total", "8")
    assert not session.save_pending().failed
    session = Session(Workspace(demo), 2018)
    session.set_figure("outcomes.cases_handled.actual", "60000")
    assert not session.save_pending().failed
    log = run("log", str(demo), cwd=demo.parent)
    assert log.returncode == 0, log.stderr
    table = read_box_table(log.stdout)
    rows = [[cell.replace(" ", "") for cell in row] for row in table.rows]
    what, old, new = (table.heads.index(head) for head in ("内容", "原值", "新值"))
    added = [row for row in rows if row[what].startswith("数据绩效目标") and row[new].endswith("（新增）")]
    names = {outcome.name for outcome in Workspace(demo).load_accounts(2017).outcomes}
    assert len(added) == len(names) == 5 and {row[new].removesuffix("（新增）") for row in added} == names
    assert any(row[what] == "数据绩效目标cases_handled完成值" and row[new] == "60000" for row in rows), rows
    assert "outcomes[" not in log.stdout and ".key" not in log.stdout


def test_a_row_added_or_removed_with_figures_keeps_an_entry_for_each_figure() -> None:
    """Only a row or target holding no number is logged as one change: figures added or removed are each logged."""
    old = b'[[lines]]\ncode = "301"\nname = "a"\n'
    new = old + b'[[lines]]\ncode = "302"\nname = "b"\namount = 1.5\n'
    assert differences(old, new) == [
        (None, "lines[302].code", None, "302"),
        (None, "lines[302].name", None, "b"),
        (None, "lines[302].amount", None, "1.5"),
    ]
    assert differences(new, old)[-1] == (None, "lines[302].amount", "1.5", None)
    added = b'[[lines]]\ncode = "303"\nname = "c"\n'
    assert differences(new, new + added) == [(None, "lines[303]", None, "c（新增）")]
    assert differences(new + added, new) == [(None, "lines[303]", "c", "（删除）")]
