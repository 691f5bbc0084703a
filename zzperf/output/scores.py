"""Scores in a terminal: a year's score card as a rich table, and its summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zzperf.amounts import fmt_score

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.scoring import ScoreCard
    from zzperf.workspace import Workspace


def print_score_table(console: Console, card: ScoreCard) -> None:
    """Every indicator with its points, value, score, status and how the score came about.

    Every cell is a ``Text``: a plain string would be parsed for markup and emoji codes, which none of them holds.
    """
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{card.indicator_set.name}（{card.year} 年度）", show_lines=True)
    table.add_column("指标", overflow="fold", min_width=10)
    table.add_column("分值", justify="right")
    table.add_column("完成值", overflow="fold")
    table.add_column("得分", justify="right")
    table.add_column("状态")
    table.add_column("公式、取数与评分依据", overflow="fold", ratio=1)
    for node in card.indicator_set.indicator:
        indent = "  " * (node.level - 1)
        if not node.is_leaf:
            group = card.groups[node.id]
            pending = "" if group.complete else f"{fmt_score(node.points - group.scored_points)} 分待评"
            table.add_row(
                Text(indent + node.name, style="bold"),
                Text(fmt_score(node.points)),
                Text(),
                Text(fmt_score(group.score)),
                Text(pending, style="yellow"),
                Text(),
            )
            continue
        result = card.results[node.id]
        notes = [line for line in (result.trace, result.missing, result.rule_text) if line]
        notes.append(f"评分规则：{result.rule_description}")
        if result.entry.reason:
            notes.append(f"理由：{result.entry.reason}")
        notes += [f"⚠ {problem}" for problem in result.problems]
        style = "yellow" if result.needs_attention else ""
        table.add_row(
            Text(indent + node.name),
            Text(fmt_score(node.points)),
            Text(result.value_text or ""),
            Text(fmt_score(result.final_score)),
            Text(result.status.value + ("·草稿" if result.is_draft else ""), style=style),
            Text("\n".join(notes)),
        )
    console.print(table)


def print_summary(console: Console, workspace: Workspace, card: ScoreCard) -> None:
    """The first-level scores, total and grade, progress, and what still needs the evaluator."""
    console.print(f"{workspace.profile.name} {card.year} 年度部门整体支出绩效自评", style="bold")
    for group in card.top_groups():
        pending = "" if group.complete else f"（{fmt_score(group.indicator.points - group.scored_points)} 分待评）"
        points = fmt_score(group.indicator.points)
        console.print(f"  {group.indicator.name}  {fmt_score(group.score)} / {points}{pending}")
    capped = {cap.text for cap in card.caps}
    for adjustment in card.adjustments:
        if adjustment not in capped:
            console.print(f"  {adjustment}")
    console.print(f"总分 {fmt_score(card.shown_total)}，等级 {card.grade_text}", style="bold")
    for cap in card.caps:
        console.print(
            f"  总分已封顶：{cap.rule}。{cap.indicator} {cap.value_text}，"
            f"总分由 {fmt_score(cap.before)} 降为 {fmt_score(cap.after)}。",
            style="bold yellow",
        )
    console.print(f"进度：已评 {card.scored_count}/{len(card.results)} 项")
    if card.pending:
        names = "、".join(f"{r.indicator.name}（{r.status.value}）" for r in card.pending)
        console.print(
            f"尚有 {len(card.pending)} 项未得分，共 {fmt_score(card.pending_points)} 分：{names}。"
            "总分和等级在这些项评定后才是最终结果。",
            style="yellow",
        )
    if card.held_back:
        names = "、".join(f"{r.indicator.name}（{fmt_score(r.held_score)} 分）" for r in card.held_back)
        console.print(
            f"{len(card.held_back)} 项评分缺理由，得分为草稿，不计入总分：{names}。写明扣分原因或评分理由后计入。",
            style="yellow",
        )
    if card.drafts:
        names = "、".join(r.indicator.name for r in card.drafts)
        console.print(f"{len(card.drafts)} 项评分为草稿、尚未确认：{names}。", style="yellow")
    attention = [r for r in card.results.values() if r.problems]
    for result in attention:
        console.print(f"  ⚠ {result.indicator.name}：{'；'.join(result.problems)}", style="yellow")
