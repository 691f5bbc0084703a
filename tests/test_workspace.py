"""Workspace files: atomic saves that keep what people wrote by hand, and clear errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from zzperf.errors import ZzperfError
from zzperf.evaluation import Entry
from zzperf.tomlio import write_atomic
from zzperf.workspace import Workspace

FILES = ("zzperf.toml", "2017/accounts.toml", "2018/accounts.toml", "2018/evaluation.toml")


def test_saving_unchanged_files_changes_nothing(workspace: Workspace) -> None:
    before = {name: (workspace.root / name).read_bytes() for name in FILES}
    workspace.save_profile()
    for year in workspace.years():
        workspace.save_accounts(workspace.load_accounts(year))
    workspace.save_evaluation(workspace.load_evaluation(2018))
    assert {name: (workspace.root / name).read_bytes() for name in FILES} == before


def test_a_change_touches_only_its_line_and_keeps_comments(workspace: Workspace) -> None:
    path = workspace.root / "2018" / "accounts.toml"
    before = path.read_text(encoding="utf-8").splitlines()
    accounts = workspace.load_accounts(2018)
    accounts.overview.income_total = Decimal("608.73")
    workspace.save_accounts(accounts)
    after = path.read_text(encoding="utf-8").splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after)
    assert changed == [
        ("income_total = 608.72           # 本年收入合计", "income_total = 608.73           # 本年收入合计")
    ]
    assert workspace.load_accounts(2018) == accounts


def test_evaluation_round_trips_special_characters_and_multiline_text(workspace: Workspace) -> None:
    evaluation = workspace.load_evaluation(2018)
    evaluation.indicators["effect.satisfaction.service"] = Entry(
        score=Decimal("4"), reason='问卷 < 30 份 & "抽样" 不足', evidence="第一行\n第二行"
    )
    evaluation.report.problems = "一、预算编制\n二、绩效目标 \\ 反斜杠"
    workspace.save_evaluation(evaluation)
    assert workspace.load_evaluation(2018) == evaluation
    assert "# 株洲市政务服务中心 2018 年度评分记录" in (workspace.root / "2018" / "evaluation.toml").read_text(
        encoding="utf-8"
    )


def test_new_files_get_a_header(tmp_path: Path) -> None:
    (tmp_path / "zzperf.toml").write_text('format_version = 1\nname = "某局"\n', encoding="utf-8")
    workspace = Workspace(tmp_path)
    from zzperf.accounts import Accounts

    workspace.save_accounts(Accounts(year=2024))
    text = (tmp_path / "2024" / "accounts.toml").read_text(encoding="utf-8")
    assert text.startswith("# zzperf 年度数据")
    assert "format_version = 1" in text and 'unit = "万元"' in text
    assert workspace.years() == [2024]


def test_write_atomic_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    """A writer killed in the middle of a save leaves the old file whole."""
    target = tmp_path / "accounts.toml"
    target.write_text("old = 1\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
        import zzperf.tomlio as tomlio
        real_replace = os.replace
        def killed(*args):
            os.kill(os.getpid(), 9)
        tomlio.os.replace = killed
        tomlio.write_atomic(__import__("pathlib").Path({str(target)!r}), "new = 2\\n" * 100000)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert result.returncode != 0
    assert target.read_text(encoding="utf-8") == "old = 1\n"
    write_atomic(target, "new = 2\n")
    assert target.read_text(encoding="utf-8") == "new = 2\n"
    leftovers = [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    assert len(leftovers) <= 1  # only the killed writer's temporary file, never the target


def test_evaluation_naming_an_unknown_indicator(workspace: Workspace) -> None:
    path = workspace.root / "2018" / "evaluation.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"input.goals.clarity"', '"input.goals.clearity"'), encoding="utf-8"
    )
    with pytest.raises(ZzperfError) as caught:
        workspace.load_evaluation(2018)
    assert "input.goals.clearity" in str(caught.value) and "input.goals.clarity" in str(caught.value)


def test_year_folder_and_file_must_agree(workspace: Workspace) -> None:
    path = workspace.root / "2017" / "accounts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("year = 2017", "year = 2016"), encoding="utf-8")
    with pytest.raises(ZzperfError, match="2016"):
        workspace.load_accounts(2017)


def test_previous_year_feeds_change_rates(workspace: Workspace) -> None:
    accounts = workspace.load_accounts(2017)
    accounts.three_public.budget.total = Decimal("10.00")
    workspace.save_accounts(accounts)
    result = workspace.score(2018).results["input.config.three_public_change"]
    assert result.value_text == "-20.00%"
    assert "上年“三公”经费预算数·合计 10.00" in result.trace
    assert result.final_score == Decimal("5.00")


def test_evaluation_year_must_match_its_folder(workspace: Workspace) -> None:
    path = workspace.root / "2018" / "evaluation.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("year = 2018", "year = 2016"), encoding="utf-8")
    with pytest.raises(ZzperfError, match="2016"):
        workspace.load_evaluation(2018)


def test_picking_the_year_then_loading_it_reads_a_file_changed_in_between_anew(workspace: Workspace) -> None:
    """``pick_year`` hands what it read to the next load only while the file on disk is the same."""
    assert workspace.pick_year(None) == 2018
    path = workspace.root / "2018" / "accounts.toml"
    text = path.read_text(encoding="utf-8")
    assert "income_total = 608.72" in text
    path.write_text(text.replace("income_total = 608.72", "income_total = 700.5", 1), encoding="utf-8")
    assert workspace.load_accounts(2018).overview.income_total == Decimal("700.5")
    workspace.pick_year(None)
    assert workspace.load_year(2018).accounts.overview.income_total == Decimal("700.5")


def test_the_latest_year_with_figures_is_picked_without_reading_its_scores(workspace: Workspace) -> None:
    (workspace.root / "2018" / "evaluation.toml").write_text("year = 2018\n[indicators.nothing]\n", encoding="utf-8")
    assert workspace.pick_year(None) == 2018
    with pytest.raises(ZzperfError, match="nothing"):
        workspace.load_evaluation(2018)


def test_saves_one_after_another_write_what_a_fresh_reading_would(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save reuses the document the last save of the file made (reading the text with tomlkit was most of a save):
    the file is read once for seven saves, and each text written is the one a save reading the file afresh writes."""
    import tomlkit

    from zzperf import editing, tomlio

    readings = []
    parse = tomlkit.parse
    monkeypatch.setattr(tomlkit, "parse", lambda text: readings.append(text) or parse(text))

    steps = [
        lambda a: editing.set_figure(a, "overview.income_total", "608.73"),
        lambda a: editing.set_figure(a, "overview.carryover_begin", ""),  # a key taken out
        lambda a: editing.add_line(a, "t3", "2010350", "事业运行"),
        lambda a: editing.set_figure(a, "expenditure.lines[2010350].basic", "12.5"),
        lambda a: editing.set_figure(a, "overview.carryover_begin", "19.44"),  # and put back
        lambda a: editing.remove_line(a, "t3", "2010350")[0],
        lambda a: editing.set_figure(a, "three_public.budget.total", "8.10"),
    ]
    texts = {}
    for fresh in (False, True):
        root = tmp_path / ("fresh" if fresh else "kept")
        shutil.copytree(demo, root)
        workspace = Workspace(root)
        accounts, path, written = workspace.load_accounts(2018), root / "2018" / "accounts.toml", []
        for step in steps:
            accounts = step(accounts)
            if fresh:
                tomlio._DOCUMENTS.clear()
            workspace.save_accounts(accounts)
            written.append(path.read_text(encoding="utf-8"))
        texts[fresh] = written
        assert Workspace(root).load_accounts(2018) == accounts
        assert len(readings) == (len(steps) if fresh else 1)
        readings.clear()
    assert texts[False] == texts[True]
    assert "income_total = 608.73           # 本年收入合计" in texts[False][-1]


def test_a_save_after_someone_edited_the_file_keeps_their_edit(workspace: Workspace) -> None:
    """The document kept from the last save is used only for the very text it gave: a note written into the file by
    hand in between is read and kept."""
    path = workspace.root / "2018" / "accounts.toml"
    accounts = workspace.load_accounts(2018)
    accounts.overview.income_total = Decimal("608.73")
    workspace.save_accounts(accounts)
    noted = path.read_text(encoding="utf-8").replace("[income]", "# 手工加的说明\n[income]")
    path.write_text(noted, encoding="utf-8")
    workspace = Workspace(workspace.root)
    accounts = workspace.load_accounts(2018)
    accounts.overview.income_total = Decimal("608.74")
    workspace.save_accounts(accounts)
    text = path.read_text(encoding="utf-8")
    assert "# 手工加的说明\n[income]" in text and "income_total = 608.74" in text
