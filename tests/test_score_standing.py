"""What `zzperf score` and `zzperf report` say about scores left out of the total and about caps on it.

A score entered without the reason it needs is a draft and does not count; a cap that lowers the total is named
with its rule and its effect. Each case is set up in the files as an evaluator would leave them.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from docx import Document

from tests.test_cli import run
from zzperf.amounts import fmt_score
from zzperf.workspace import Workspace

CLARITY = "input.goals.clarity"  # 绩效指标明确性: level “一般” with a reason in the demo
NAME = "绩效指标明确性"


def drop_reason(demo: Path, key: str) -> None:
    """Remove the reason of ``key``'s entry from the year's evaluation.toml, as if it was never written."""
    path = demo / "2018" / "evaluation.toml"
    text = path.read_text(encoding="utf-8")
    block = re.search(rf'\[indicators\."{re.escape(key)}"\]\n(.*?)\n\n', text, re.DOTALL)
    assert block is not None and "reason = " in block.group(1)
    kept = "\n".join(line for line in block.group(1).splitlines() if not line.startswith("reason = "))
    path.write_text(text.replace(block.group(1), kept), encoding="utf-8")


def lower_the_initial_budget(demo: Path) -> None:
    """年初预算 1300 万元: 预算完成率 falls below 50%, and the set caps the total at 59."""
    path = demo / "2018" / "accounts.toml"
    text = path.read_text(encoding="utf-8")
    assert "initial = 517.70" in text
    path.write_text(text.replace("initial = 517.70", "initial = 1300.00", 1), encoding="utf-8")


def test_a_level_deduction_without_a_reason_is_a_draft_left_out_of_the_total(demo: Path) -> None:
    before = Workspace(demo).score(2018)
    held = before.results[CLARITY].final_score
    assert held is not None and held < before.results[CLARITY].indicator.points
    drop_reason(demo, CLARITY)

    result = run("score", str(demo), cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert f"总分 {fmt_score(before.total - held)}" in out
    assert f"1 项评分缺理由，得分为草稿，不计入总分：{NAME}（{fmt_score(held)} 分）" in out

    report = demo / "r.md"
    result = run("report", str(demo), "--format", "md", "--out", str(report), cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    assert f"1 项评分缺理由，得分为草稿，未计入总分：{NAME}" in result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    assert f"**草稿未计入**：1 项评分未写明扣分原因或评分理由，其得分为草稿，未计入总分：{NAME}。" in text
    assert f"自评总分 {fmt_score(before.total - held)} 分" in text

    docx = demo / "r.docx"
    assert run("report", str(demo), "--out", str(docx), cwd=demo.parent).returncode == 0
    paragraphs = [p.text for p in Document(str(docx)).paragraphs]
    assert any(p.startswith("草稿未计入：1 项评分") and NAME in p for p in paragraphs)

    assert any(f"1 项评分缺理由，得分为草稿，未计入总分：{NAME}" in text for text in xlsx_texts(demo))


def test_a_cap_that_lowers_the_total_is_shown_with_its_rule_and_effect(demo: Path) -> None:
    lower_the_initial_budget(demo)
    card = Workspace(demo).score(2018)
    assert card.total == Decimal("59.00") and sum(g.score for g in card.top_groups()) == Decimal("61.53")

    result = run("score", str(demo), cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "总分 59.00" in out
    assert "总分已封顶：预算完成率低于 50%，总分不超过 59 分。预算完成率 47.66%，总分由 61.53 降为 59.00。" in out

    report = demo / "r.md"
    assert run("report", str(demo), "--format", "md", "--out", str(report), cwd=demo.parent).returncode == 0
    text = report.read_text(encoding="utf-8")
    cap = "预算完成率低于 50%，总分不超过 59 分：预算完成率 47.66%，总分由 61.53 封顶为 59.00"
    cover = next(line for line in text.splitlines() if line.startswith("| 自评得分 |"))
    assert "59.00 分" in cover and cap in cover
    assert f"{cap}。" in text  # in 四、自评得分情况 as well

    docx = demo / "r.docx"
    assert run("report", str(demo), "--out", str(docx), cwd=demo.parent).returncode == 0
    cells = [cell.text for table in Document(str(docx)).tables for row in table.rows for cell in row.cells]
    assert any("59.00 分" in cell and cap in cell for cell in cells)
    assert any(cap in text for text in xlsx_texts(demo))


def xlsx_texts(demo: Path) -> list[str]:
    """Every text cell of the 自评表 that `zzperf report --format xlsx` writes."""
    from openpyxl import load_workbook

    path = demo / "r.xlsx"
    result = run("report", str(demo), "--format", "xlsx", "--out", str(path), cwd=demo.parent)
    assert result.returncode == 0, result.stderr
    book = load_workbook(path)
    return [
        cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)
    ]


def test_a_score_waiting_for_its_reason_is_called_the_same_everywhere(demo: Path) -> None:
    """The tree, the header and the help say 缺理由; ``zzperf compare`` (and F6) said 需填理由 for the same item."""
    drop_reason(demo, CLARITY)
    for command in ("compare", "score"):
        shown = run(command, str(demo), cwd=demo.parent)
        assert shown.returncode == 0, shown.stderr
        assert "缺理由" in shown.stdout and "需填理由" not in shown.stdout, command


def test_a_leaf_waiting_for_its_reason_is_marked_unscored_in_the_year_comparison(demo: Path) -> None:
    """F6 and ``zzperf compare`` mark the leaves without a score (in yellow) by ``Cell.unscored``: 缺理由 as 待评 and
    数据不足 (the CLI's table had matched the words 数据不足 and 待评 only)."""
    from zzperf.compare import compare_years

    drop_reason(demo, CLARITY)
    comparison = compare_years(Workspace(demo), [2017, 2018])
    assert comparison.row(CLARITY).cells[2018].status == "缺理由"
    assert comparison.row(CLARITY).cells[2018].unscored
    assert comparison.row("input.goals.rationality").cells[2017].unscored  # 待评
    budget = comparison.row("process.execution.budget_completion")
    assert budget.cells[2017].unscored and not budget.cells[2018].unscored  # 数据不足, then scored
