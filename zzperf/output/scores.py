"""Scores in a terminal: a year's score card as a table, and its summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zzperf.amounts import fmt_score
from zzperf.output.terminal import print_paragraph
from zzperf.scoring import pending_text

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.scoring import ScoreCard
    from zzperf.workspace import Workspace


SCORE_HEADER = ("指标", "分值", "完成值", "得分", "状态", "公式、取数与评分依据")
SCORE_WORDS = {"指标": 10, "状态": 10, "公式、取数与评分依据": 20}
"""The score table's word columns, and the width below which each is squeezed only when nothing else fits. Below
that the 完成值 give way first (the notes beside them show each value in its formula), so that the names keep room
for their indent."""


def print_score_table(console: Console, card: ScoreCard) -> None:
    """Every indicator with its points, value, score, status and how the score came about, fitted to the console.

    Names, states and notes wrap as Chinese is set; points, values and scores are never cut (``fit_columns``).
    """
    from zzperf.output.columns import print_fitted

    body: list[list[tuple[str, str]]] = []
    for node in card.indicator_set.indicator:
        indent = "  " * (node.level - 1)
        if not node.is_leaf:
            group = card.groups[node.id]
            pending = pending_text(group.pending)
            body.append(
                [
                    (indent + node.name, "bold"),
                    (fmt_score(node.points), ""),
                    ("", ""),
                    (fmt_score(group.shown_score), ""),
                    (pending, "yellow"),
                    ("", ""),
                ]
            )
            continue
        result = card.results[node.id]
        missing = result.missing and result.missing + result.missing_place
        notes = [line for line in (result.trace, missing, result.rule_text) if line]
        notes.append(f"评分规则：{result.rule_description}")
        if result.entry.reason.strip():  # a reason typed with a last Enter ends in a newline: no empty line for it
            notes.append(f"理由：{result.entry.reason.strip()}")
        notes += [f"⚠ {problem}" for problem in result.problems]
        body.append(
            [
                (indent + node.name, ""),
                (fmt_score(node.points), ""),
                (result.value_text or "", ""),
                (fmt_score(result.final_score), ""),
                (
                    result.status.value + ("·草稿" if result.is_draft else ""),
                    "yellow" if result.needs_attention else "",
                ),
                ("\n".join(notes), ""),
            ]
        )
    title = f"{card.indicator_set.name}（{card.year} 年度）"
    print_fitted(console, title, SCORE_HEADER, body, (2,), SCORE_WORDS, "", "right", row_lines=True)


def print_summary(console: Console, workspace: Workspace, card: ScoreCard) -> None:
    """The first-level scores, total and grade, progress, and what still needs the evaluator."""
    console.print(f"{workspace.profile.name} {card.year} 年度部门整体支出绩效自评", style="bold")
    for group in card.top_groups():
        pending = f"（{pending_text(group.pending)}）" if group.pending else ""
        points = fmt_score(group.indicator.points)
        print_paragraph(console, f"  {group.indicator.name}  {fmt_score(group.shown_score)} / {points}{pending}")
    capped = {cap.text for cap in card.caps}
    for adjustment in card.adjustments:
        if adjustment not in capped:
            print_paragraph(console, f"  {adjustment}")
    console.print(f"总分 {fmt_score(card.shown_total)}，等级 {card.grade_text}", style="bold")
    for cap in card.caps:
        print_paragraph(
            console,
            f"  总分已封顶：{cap.rule}。{cap.indicator} {cap.value_text}，"
            f"总分由 {fmt_score(cap.before)} 降为 {fmt_score(cap.after)}。",
            "bold yellow",
        )
    console.print(f"进度：已评 {card.scored_count}/{len(card.results)} 项")
    shown = card.indicator_set.shown_names  # a leaf whose name another shares, with the group above it
    if card.pending:
        names = "、".join(f"{shown[r.indicator.id]}（{r.status.value}）" for r in card.pending)
        print_paragraph(
            console,
            f"尚有 {len(card.pending)} 项未得分，共 {fmt_score(card.pending_points)} 分"
            f"（{pending_text(card.pending_by_status)}）：{names}。总分和等级在这些项得分后才是最终结果。",
            "yellow",
        )
    if card.held_back:
        names = "、".join(f"{shown[r.indicator.id]}（{fmt_score(r.held_score)} 分）" for r in card.held_back)
        print_paragraph(
            console,
            f"{len(card.held_back)} 项评分缺理由，得分为草稿，不计入总分：{names}。写明扣分原因或评分理由后计入。",
            "yellow",
        )
    if card.drafts:
        names = "、".join(shown[r.indicator.id] for r in card.drafts)
        print_paragraph(console, f"{len(card.drafts)} 项评分为草稿、尚未确认：{names}。", "yellow")
    attention = [r for r in card.results.values() if r.problems]
    for result in attention:
        print_paragraph(console, f"  ⚠ {shown[result.indicator.id]}：{'；'.join(result.problems)}", "yellow")
