"""复核 as a reviewer records it: its own file beside evaluation.toml, both scores side by side, inflation flagged."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import run_zzperf, score_with_edited_set
from zzperf.cli import main
from zzperf.errors import ZzperfError
from zzperf.review import compare_review, load_review, set_review
from zzperf.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_zzperf(*args, cwd=cwd, columns=220, user="财政局王五")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert main(["demo", str(tmp_path / "demo"), "--no-open"]) == 0
    return tmp_path / "demo"


def test_the_review_lives_beside_the_evaluation_and_never_inside_it(demo: Path) -> None:
    evaluation = (demo / "2018" / "evaluation.toml").read_bytes()
    result = run(
        "review",
        str(demo),
        "--indicator",
        "effect.benefit.social",
        "--score",
        "3",
        "--reason",
        "社会效益证据不足",
        "--opinion",
        "补充服务对象反馈材料",
        "--reviewer",
        "某县财政局",
        cwd=demo.parent,
    )
    assert result.returncode == 0, result.stderr
    assert (demo / "2018" / "evaluation.toml").read_bytes() == evaluation
    review = load_review(Workspace(demo), 2018)
    assert review is not None and review.reviewer == "某县财政局"
    entry = review.indicators["effect.benefit.social"]
    assert (entry.score, entry.reason, entry.opinion) == (Decimal(3), "社会效益证据不足", "补充服务对象反馈材料")
    assert (
        "自评总分 65.53，复核总分 62.53（暂定：已复核 1/26 项，其余按自评计），"
        "复核等级 中（暂定）；自评比复核高 3.00 分" in result.stdout
    )
    assert "分，自评明显偏高" in result.stdout
    assert "自评高于复核 3.00 分" in result.stdout


def test_score_shows_self_review_and_difference(demo: Path) -> None:
    workspace = Workspace(demo)
    set_review(workspace, 2018, "input.goals.clarity", score=Decimal("0.5"), reason="目标未量化")
    shown = run("score", str(demo), cwd=demo.parent)
    assert shown.returncode == 0, shown.stderr
    assert (
        "自评总分 65.53，复核总分 65.03（暂定：已复核 1/26 项，其余按自评计），"
        "复核等级 中（暂定）；自评比复核高 0.50 分" in shown.stdout
    )
    table = run("review", str(demo), cwd=demo.parent)
    assert table.returncode == 0
    assert "自评与复核" in table.stdout and "目标未量化" in table.stdout


def test_the_item_just_reviewed_is_in_the_table_printed_after_it(demo: Path) -> None:
    """A 复核 half a point below the 自评 is not flagged, but the table printed after recording it shows it first."""
    done = run(
        "review", str(demo), "--indicator", "process.execution.budget_completion", "--score", "1.5",
        "--reason", "完成率偏高", cwd=demo.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    table = read_box_table(done.stdout)
    assert table.rows[0][0] == "预算完成率", table.rows
    assert [cell for cell in table.rows[0][1:5]] == ["6.00", "2.00", "1.50", "+0.50"], table.rows[0]


def test_a_part_of_a_name_offers_every_leaf_holding_it(demo: Path) -> None:
    """控制率 names five leaves: each is offered (only the closest was), and a name in quotation marks is not
    quoted twice."""
    refused = run("review", str(demo), "--indicator", "控制率", "--score", "1", cwd=demo.parent)
    assert refused.returncode == 2, refused.stdout
    offered = refused.stderr.split("可能是：")[1]
    for name in ("在职人员控制率", "“三公经费”控制率", "公务接待费控制率", "公务用车运行费控制率"):
        assert name in offered, refused.stderr
    quoted = run("review", str(demo), "--indicator", "“三公经费”", "--score", "1", cwd=demo.parent)
    assert "没有末级指标“三公经费”" in quoted.stderr and "““" not in quoted.stderr, quoted.stderr
    assert "“三公经费”变动率" in quoted.stderr and "“三公经费”控制率" in quoted.stderr, quoted.stderr
    assert not (demo / "2018" / "review.toml").exists()


def test_a_review_score_is_checked_against_the_indicator(demo: Path) -> None:
    workspace = Workspace(demo)
    with pytest.raises(ZzperfError, match="应在 0 到本指标分值 3.00 之间"):
        set_review(workspace, 2018, "input.goals.clarity", score=Decimal(4))
    with pytest.raises(ZzperfError, match="“目标设定”不是末级指标"):
        set_review(workspace, 2018, "input.goals", score=Decimal(1))
    assert not (demo / "2018" / "review.toml").exists()
    refused = run("review", str(demo), "--indicator", "input.goals.clarity", "--score", "三", cwd=demo.parent)
    assert refused.returncode == 2 and "复核得分应为数字" in refused.stderr


def test_a_self_score_above_what_the_figures_give_is_flagged(demo: Path) -> None:
    evaluation = demo / "2018" / "evaluation.toml"
    evaluation.write_text(
        evaluation.read_text(encoding="utf-8")
        + '\n[indicators."process.execution.budget_completion"]\nscore = 6\nreason = "预算调整较多"\n',
        encoding="utf-8",
    )
    workspace = Workspace(demo)
    set_review(workspace, 2018, "process.execution.budget_completion", score=Decimal(2), reason="按决算数据")
    comparison = compare_review(workspace, 2018)
    line = comparison.flagged[0]
    assert line.indicator_id == "process.execution.budget_completion"
    assert line.flags == ("自评高于复核 4.00 分", "自评高于决算数据所得 4.00 分")
    assert line.difference == Decimal(4)
    untouched = next(line for line in comparison.lines if line.indicator_id == "input.goals.clarity")
    assert (untouched.self_score, untouched.review_score, untouched.flags) == (Decimal("1.00"), None, ())


def test_a_zero_the_set_gives_for_missing_figures_is_not_counted_as_a_hand_score(demo: Path) -> None:
    # 政府采购执行率 lacks its figures; with missing = "zero" its set scores it 0. That 0 is the rule's, not the
    # evaluator's: the 复核提示 “N 项公式指标缺数据，由评价人给分” must not count it.
    from zzperf.review.scores import unsupported_count

    before = unsupported_count(Workspace(demo).score(2018))
    score_with_edited_set(demo, ('name = "政府采购执行率"\n', 'name = "政府采购执行率"\nmissing = "zero"\n'))
    card = Workspace(demo).score(2018)
    assert card.results["process.execution.procurement"].final_score == Decimal(0)
    assert unsupported_count(card) == before


def _with_twin_groups(demo: Path) -> None:
    """The demo scored with its set changed so that 投入 and 过程 each hold a 预算管理 with a 管理制度健全性."""
    score_with_edited_set(
        demo,
        ('name = "预算配置"\n', 'name = "预算管理"\n'),
        ('name = "在职人员控制率"\n', 'name = "管理制度健全性"\n'),
    )


def test_a_group_and_leaf_name_two_leaves_share_is_refused_naming_both(demo: Path) -> None:
    _with_twin_groups(demo)
    said = "预算管理 › 管理制度健全性"
    refused = run("review", str(demo), "--indicator", said, "--opinion", "补制度", cwd=demo.parent)
    assert refused.returncode == 2, refused.stdout
    assert f"有 2 个末级指标名为“{said}”" in refused.stderr
    assert "投入/预算管理，input.config.staff_control" in refused.stderr
    assert "过程/预算管理，process.management.rules" in refused.stderr
    assert "请用编号" in refused.stderr and "Traceback" not in refused.stderr
    assert not (demo / "2018" / "review.toml").exists()
    taken = run("review", str(demo), "--indicator", "process.management.rules", "--opinion", "补制度", cwd=demo.parent)
    assert taken.returncode == 0, taken.stderr


def test_a_group_name_two_groups_share_names_both_and_the_leaves_below(demo: Path) -> None:
    _with_twin_groups(demo)
    refused = run("review", str(demo), "--indicator", "预算管理", "--opinion", "补制度", cwd=demo.parent)
    assert refused.returncode == 2, refused.stdout
    assert "有 2 个指标名为“预算管理”，都不是末级指标" in refused.stderr
    assert "预算管理（投入，input.config）、预算管理（过程，process.management）" in refused.stderr
    assert "process.management.disclosure" in refused.stderr  # a leaf of the second group is offered too
    assert not (demo / "2018" / "review.toml").exists()
