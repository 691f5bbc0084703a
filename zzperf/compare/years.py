"""One department across years: every indicator matched by id, the movers, the signals and the sentences.

Indicators are matched by their stable id; an indicator renamed or moved in a later version of the set is
matched through that version's ``replaces = ["old.id"]``. An indicator that a year's set does not have is
*absent* (shown as —), never 0; a leaf without a score keeps its status (数据不足, 待评). Years scored with
different sets are also compared on first-level percentages (score ÷ points), and a leaf whose points differ
between the two years changes by percentage points.

Budget execution (预算完成率 / 执行率) is found by convention: the leaf whose id ends in one of
``EXECUTION_KEYS`` (``process.execution.budget_completion`` in the shipped sets). A set without such a
leaf simply gets no execution signals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from zzperf.accounts import COMPARISON_SYMBOL
from zzperf.amounts import HUNDRED, ZERO, fmt_number, fmt_percent, fmt_score, round_half_up
from zzperf.compare.values import (
    DRAFT_NOTE,
    EXECUTION_KEYS,
    PARTIAL_NOTE,
    Cell,
    ScoreChange,
    SetInfo,
    arrow,
    cell_of,
    grade_of,
    score_change,
    total_cell,
)
from zzperf.errors import ZzperfError
from zzperf.indicators import JUDGED_RULES, IndicatorSet, TargetRule
from zzperf.scoring import ScoreCard, score_year

if TYPE_CHECKING:
    from zzperf.accounts import Accounts
    from zzperf.evaluation import Evaluation
    from zzperf.workspace import Workspace

DEVIATION_PERCENT = Decimal(30)
"""完成值 beating its 指标值 by this many percent suggests the target was set too low (domain.md §16)."""
MOVERS = 5
"""How many of the largest movers up and down are listed."""


@dataclass(frozen=True)
class Row:
    """One indicator (or group) across the compared years, under its key (its id in the latest set)."""

    key: str
    name: str
    level: int
    is_leaf: bool
    unit: str
    ids: dict[int, str]
    """The indicator's id in each year whose set has it."""
    cells: dict[int, Cell | None]
    """Each year's cell; None when that year's set does not have the indicator (absent, shown as —)."""
    changes: list[ScoreChange]
    """Between each pair of consecutive compared years."""

    def cell_text(self, year: int) -> str:
        cell = self.cells.get(year)
        return "—" if cell is None else cell.score_text

    def value_text(self, year: int) -> str:
        cell = self.cells.get(year)
        return "—" if cell is None else cell.value_text

    @property
    def last_change(self) -> ScoreChange | None:
        return self.changes[-1] if self.changes else None


@dataclass(frozen=True)
class Mover:
    """A leaf whose score moved most between the last two compared years, with the evaluator's reasons."""

    row: Row
    change: ScoreChange
    reasons: tuple[str, ...]

    @property
    def before(self) -> Cell:
        cell = self.row.cells[self.change.since]
        assert cell is not None
        return cell

    @property
    def after(self) -> Cell:
        cell = self.row.cells[self.change.until]
        assert cell is not None
        return cell


SignalKind = Literal["full_marks", "target_beaten", "score_up_execution_down"]

SIGNAL_TITLES: dict[str, str] = {
    "full_marks": "每年满分",
    "target_beaten": f"完成值超出指标值 {DEVIATION_PERCENT}% 以上",
    "score_up_execution_down": "得分上升而预算执行下降",
}


@dataclass(frozen=True)
class Signal:
    """Something a reviewer asks about (domain.md §16)."""

    kind: SignalKind
    key: str | None
    """The row it concerns; None for the total."""
    text: str

    @property
    def title(self) -> str:
        return SIGNAL_TITLES[self.kind]


@dataclass(frozen=True)
class YearComparison:
    """One workspace across years."""

    name: str
    years: list[int]
    sets: dict[int, SetInfo]
    rows: list[Row]
    totals: dict[int, Cell]
    grades: dict[int, str]
    total_changes: list[ScoreChange]
    movers_up: list[Mover]
    movers_down: list[Mover]
    signals: list[Signal]
    notes: list[str]
    execution_key: str | None = None
    """Key of the budget-execution row, when the sets have one."""
    sources: dict[int, str] = field(default_factory=dict)
    """Each year's 数据来源 as its figures file states it (years that state none are left out)."""

    @property
    def sets_differ(self) -> bool:
        return len({(info.id, info.version) for info in self.sets.values()}) > 1

    @property
    def top_rows(self) -> list[Row]:
        return [row for row in self.rows if row.level == 1]

    @property
    def latest(self) -> int:
        return self.years[-1]

    @property
    def previous(self) -> int | None:
        return self.years[-2] if len(self.years) > 1 else None

    def row(self, key: str) -> Row:
        return next(row for row in self.rows if row.key == key)

    def signals_for(self, key: str | None) -> list[Signal]:
        return [signal for signal in self.signals if signal.key == key]

    def source_notes(self) -> list[str]:
        """ "2017 年度数据来源：…" for each year whose figures say where they come from; the first notes."""
        return [f"{year} 年度数据来源：{self.sources[year]}" for year in self.years if year in self.sources]

    def sentences(self) -> list[str]:
        """ "与上年相比" sentences about scores (the report and the TUI use these, so they agree)."""
        return score_sentences(self)


@dataclass(frozen=True)
class YearData:
    """What a year contributes to a comparison: its score card and, for target signals, its figures."""

    card: ScoreCard
    accounts: Accounts | None = None


def compare_years(
    workspace: Workspace,
    years: Sequence[int] | None = None,
    loaded: Mapping[int, tuple[Accounts, Evaluation]] | None = None,
) -> YearComparison:
    """Compare the given years of a workspace (default: the latest year and the one before).

    ``loaded``: figures and evaluations already in memory (the TUI's open year, saved or not), used
    instead of the files for those years, also as the previous year of the year after.
    """
    loaded = loaded or {}
    available = workspace.years()
    if not available:
        raise ZzperfError(
            "工作区还没有任何年度数据", file=workspace.root, hint="用 zzperf init 目录 --year 年度 建立年度"
        )
    if years is None:
        chosen = available[-2:]
    else:
        chosen = sorted(set(years))
        missing = [year for year in chosen if year not in available]
        if missing:
            raise ZzperfError(
                f"工作区没有 {'、'.join(map(str, missing))} 年度的数据",
                file=workspace.root,
                hint=f"已有年度：{'、'.join(map(str, available))}",
            )
    accounts_cache: dict[int, Accounts] = {}

    def accounts(year: int) -> Accounts:
        if year not in accounts_cache:
            accounts_cache[year] = loaded[year][0] if year in loaded else workspace.load_accounts(year)
        return accounts_cache[year]

    data: dict[int, YearData] = {}
    for year in chosen:
        indicator_set = workspace.set_for(year)
        previous = accounts(year - 1) if (year - 1) in available else None
        evaluation = loaded[year][1] if year in loaded else workspace.load_evaluation(year)
        card = score_year(indicator_set, accounts(year), evaluation, previous)
        data[year] = YearData(card, accounts(year))
    return build_year_comparison(workspace.profile.name, data)


def previous_year_comparison(workspace: Workspace, year: int) -> YearComparison | None:
    """This year against the workspace's previous year, or None when the workspace has no earlier year."""
    earlier = [candidate for candidate in workspace.years() if candidate < year]
    if not earlier:
        return None
    return compare_years(workspace, [earlier[-1], year])


def build_year_comparison(name: str, data: dict[int, YearData]) -> YearComparison:
    """The comparison of already scored years (the TUI passes the cards it holds)."""
    years = sorted(data)
    if not years:
        raise ZzperfError("没有可比较的年度")
    sets = {year: data[year].card.indicator_set for year in years}
    keys = _match_keys(sets, years)
    order = _row_order(sets, keys, years)
    rows = [_row(key, sets, keys, years, data) for key in order]
    totals = {year: total_cell(data[year].card) for year in years}
    grades = {year: grade_of(data[year].card) for year in years}
    pairs = list(zip(years, years[1:]))
    total_changes = [score_change(totals[a], totals[b], a, b) for a, b in pairs]
    execution_key = next(
        (row.key for suffix in EXECUTION_KEYS for row in rows if row.is_leaf and row.key.rsplit(".", 1)[-1] == suffix),
        None,
    )
    comparison = YearComparison(
        name=name,
        years=years,
        sets={year: SetInfo.of(sets[year]) for year in years},
        rows=rows,
        totals=totals,
        grades=grades,
        total_changes=total_changes,
        movers_up=[],
        movers_down=[],
        signals=[],
        notes=[],
        execution_key=execution_key,
        sources={year: source for year in years if (source := _source(data[year].accounts))},
    )
    up, down = _movers(comparison)
    comparison.movers_up.extend(up)
    comparison.movers_down.extend(down)
    comparison.signals.extend(_signals(comparison, data))
    comparison.notes.extend(_notes(comparison, data, keys))
    return comparison


def _source(accounts: Accounts | None) -> str:
    return " ".join((accounts.source or "").split()) if accounts is not None else ""


def _same_set(a: IndicatorSet, b: IndicatorSet) -> bool:
    return a is b or (a.id, a.version) == (b.id, b.version)


def _match_keys(sets: dict[int, IndicatorSet], years: list[int]) -> dict[int, dict[str, str]]:
    """For each year, its ids mapped to row keys: the id an indicator has in the latest set.

    An id is followed forward through each later, different set: when that set lists the id in an
    indicator's ``replaces``, the indicator's id takes over (``replaces`` wins over an id reused for
    something else). Two ids of one year landing on the same key keep separate rows.
    """
    successors: dict[int, dict[str, str]] = {}
    for indicator_set in sets.values():
        successors.setdefault(id(indicator_set), {})
        for node in indicator_set.indicator:
            for old in node.replaces:
                successors[id(indicator_set)].setdefault(old, node.id)
    keys: dict[int, dict[str, str]] = {}
    for index, year in enumerate(years):
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for node in sets[year].indicator:
            current = node.id
            seen = sets[year]
            for later in years[index + 1 :]:
                if _same_set(sets[later], seen):
                    continue
                seen = sets[later]
                current = successors[id(seen)].get(current, current)
            if current in taken:
                current = f"{node.id}@{year}"
            taken.add(current)
            mapping[node.id] = current
        keys[year] = mapping
    return keys


def _row_order(sets: dict[int, IndicatorSet], keys: dict[int, dict[str, str]], years: list[int]) -> list[str]:
    """The latest set's order; indicators only older sets have go after their predecessor in that set."""
    order: list[str] = []
    for year in reversed(years):
        previous: str | None = None
        for node in sets[year].indicator:
            key = keys[year][node.id]
            if key in order:
                previous = key
                continue
            if previous is None:
                position = 0
            else:
                position = (
                    max(
                        index
                        for index, existing in enumerate(order)
                        if existing == previous or existing.startswith(previous + ".")
                    )
                    + 1
                )
            order.insert(position, key)
            previous = key
    return order


def _row(
    key: str,
    sets: dict[int, IndicatorSet],
    keys: dict[int, dict[str, str]],
    years: list[int],
    data: dict[int, YearData],
) -> Row:
    ids: dict[int, str] = {}
    cells: dict[int, Cell | None] = {}
    for year in years:
        node_id = next((node_id for node_id, mapped in keys[year].items() if mapped == key), None)
        if node_id is None:
            cells[year] = None
            continue
        ids[year] = node_id
        cells[year] = cell_of(data[year].card, node_id)
    newest = sets[max(ids)].by_id[ids[max(ids)]]
    changes = [score_change(cells[a], cells[b], a, b) for a, b in zip(years, years[1:])]
    return Row(key, newest.name, newest.level, newest.is_leaf, newest.unit, ids, cells, changes)


def _mover_size(change: ScoreChange, after: Cell) -> Decimal:
    """Size of a move in points, for ranking (a share change counts at the later year's points)."""
    if change.same_points:
        return change.points or ZERO
    return (change.rate or ZERO) * after.points / HUNDRED


def _movers(comparison: YearComparison) -> tuple[list[Mover], list[Mover]]:
    if comparison.previous is None:
        return [], []
    candidates: list[tuple[Decimal, Mover]] = []
    for row in comparison.rows:
        change = row.last_change
        if not row.is_leaf or change is None or change.direction not in ("up", "down"):
            continue
        after = row.cells[change.until]
        before = row.cells[change.since]
        assert after is not None and before is not None
        reasons: list[str] = []
        if after.reason:
            reasons.append(after.reason)
        if after.comment:
            reasons.append(f"备注：{after.comment}")
        if before.reason and change.direction == "up":
            reasons.append(f"{change.since} 年度扣分原因：{before.reason}")
        if not reasons and after.basis:
            reasons.append(f"评分依据：{after.basis}")
        if not reasons:
            reasons.append("评价人未填写理由")
        candidates.append((_mover_size(change, after), Mover(row, change, tuple(reasons))))
    up = sorted((c for c in candidates if c[0] > 0), key=lambda c: -c[0])
    down = sorted((c for c in candidates if c[0] < 0), key=lambda c: c[0])
    return [mover for _, mover in up[:MOVERS]], [mover for _, mover in down[:MOVERS]]


def _signals(comparison: YearComparison, data: dict[int, YearData]) -> list[Signal]:
    signals: list[Signal] = []
    for row in comparison.rows:
        if not row.is_leaf:
            continue
        present = [(year, cell) for year, cell in row.cells.items() if cell is not None]
        if len(present) >= 2 and all(cell.full for _, cell in present):
            years = "、".join(str(year) for year, _ in present)
            node = data[present[-1][0]].card.indicator_set.by_id[row.ids[present[-1][0]]]
            kind = "，定性指标，请核对佐证材料" if node.rule is not None and node.rule.type in JUDGED_RULES else ""
            signals.append(Signal("full_marks", row.key, f"{row.name}：{years} 年度均为满分{kind}"))
    for year in comparison.years:
        signals.extend(_target_signals(comparison, year, data[year]))
    signals.extend(_execution_signals(comparison))
    return signals


def _target_signals(comparison: YearComparison, year: int, year_data: YearData) -> list[Signal]:
    accounts = year_data.accounts
    if accounts is None:
        return []
    signals = []
    keys = {row.ids.get(year): row.key for row in comparison.rows}
    for leaf in year_data.card.indicator_set.leaves:
        if not isinstance(leaf.rule, TargetRule):
            continue
        outcome = accounts.outcome(leaf.rule.outcome)
        if outcome is None or outcome.target is None or outcome.actual is None or not outcome.target:
            continue
        if outcome.op == ">=":
            beyond = (outcome.actual - outcome.target) / outcome.target * HUNDRED
        elif outcome.op == "<=":
            beyond = (outcome.target - outcome.actual) / outcome.target * HUNDRED
        else:
            continue
        beyond = round_half_up(beyond)
        if beyond >= DEVIATION_PERCENT:
            word = "超出" if outcome.op == ">=" else "低于"
            unit = f" {outcome.unit}" if outcome.unit and outcome.unit != "%" else outcome.unit
            signals.append(
                Signal(
                    "target_beaten",
                    keys.get(leaf.id, leaf.id),
                    f"{leaf.name}：{year} 年度完成值 {fmt_number(outcome.actual)}{unit}，"
                    f"指标值 {COMPARISON_SYMBOL[outcome.op]}{fmt_number(outcome.target)}{unit}，"
                    f"{word} {fmt_percent(beyond)}，目标可能定得偏低",
                )
            )
    return signals


def _execution_signals(comparison: YearComparison) -> list[Signal]:
    if comparison.execution_key is None:
        return []
    execution = comparison.row(comparison.execution_key)
    signals = []
    for total_change in comparison.total_changes:
        since, until = total_change.since, total_change.until
        before, after = execution.cells.get(since), execution.cells.get(until)
        if before is None or after is None or before.value is None or after.value is None:
            continue
        fall = round_half_up(after.value) - round_half_up(before.value)
        if total_change.direction != "up" or fall >= 0:
            continue
        signals.append(
            Signal(
                "score_up_execution_down",
                None,
                f"{since}→{until} 年度：总分 {total_change.text}，而{execution.name}由 {before.value_text} 降至 "
                f"{after.value_text}"
                f"（{arrow(fall, ' 个百分点' if execution.unit == '%' else '')}），请说明得分上升的依据",
            )
        )
    return signals


def _notes(comparison: YearComparison, data: dict[int, YearData], keys: dict[int, dict[str, str]]) -> list[str]:
    notes = comparison.source_notes()
    if comparison.sets_differ:
        by_set: dict[str, list[int]] = {}
        for year, info in comparison.sets.items():
            by_set.setdefault(info.label, []).append(year)
        parts = "；".join(f"{'、'.join(map(str, years))} 年度为{label}" for label, years in by_set.items())
        notes.append(
            f"指标体系不同：{parts}。一级指标和总分同时按得分和得分率（得分 ÷ 分值）比较；"
            "分值不同的指标按得分率的变化（个百分点）比较；某年体系中没有的指标显示为“—”。"
        )
    for row in comparison.rows:
        renamed = {year: node_id for year, node_id in row.ids.items() if node_id != row.key}
        if renamed:
            olds = "、".join(f"{year} 年度 {node_id}" for year, node_id in renamed.items())
            notes.append(f"“{row.name}”（{row.key}）与 {olds} 按 replaces 对应。")
    if len(comparison.years) == 1:
        notes.append(f"只有 {comparison.years[0]} 一个年度，无法比较变化。")
    for year in comparison.years:
        card = data[year].card
        for adjustment in card.adjustments:
            notes.append(f"{year} 年度：{adjustment}")
    if any(not cell.complete for row in comparison.rows for cell in row.cells.values() if cell is not None) or any(
        not cell.complete for cell in comparison.totals.values()
    ):
        notes.append(PARTIAL_NOTE + "“数据不足”“待评”的指标没有得分，不按 0 分计。")
    if any(cell is not None and cell.draft for row in comparison.rows for cell in row.cells.values()):
        notes.append(DRAFT_NOTE)
    if comparison.execution_key is None:
        notes.append(
            "指标体系中没有预算执行率指标（id 以 "
            + "、".join(EXECUTION_KEYS)
            + " 结尾），未检查“得分上升而预算执行下降”。"
        )
    return notes


def score_sentences(comparison: YearComparison) -> list[str]:
    """Sentences comparing the latest year with the one before: total and grade, first-level groups, movers."""
    if comparison.previous is None:
        return []
    before_year, after_year = comparison.previous, comparison.latest
    before, after = comparison.totals[before_year], comparison.totals[after_year]
    if before.score is None:
        return [f"{before_year} 年度没有评分结果（{before.status}），本年度得分无法与上年比较。"]
    if after.score is None:
        return [f"本年度尚无评分结果（{after.status}），无法与上年比较。"]
    change = comparison.total_changes[-1]
    sentences = []
    if (comparison.sets[before_year].id, comparison.sets[before_year].version) != (
        comparison.sets[after_year].id,
        comparison.sets[after_year].version,
    ):
        sentences.append(
            f"两年所用指标体系不同（{before_year} 年度为{comparison.sets[before_year].label}，"
            f"{after_year} 年度为{comparison.sets[after_year].label}），一级指标按得分率比较。"
        )
    sentences.append(
        f"与上年相比，总分{_moved(change, before, after)}；"
        f"等级由“{comparison.grades[before_year]}”变为“{comparison.grades[after_year]}”。"
    )
    unfinished = [str(year) for year, cell in ((before_year, before), (after_year, after)) if not cell.complete]
    if unfinished:
        sentences.append(
            f"{'、'.join(unfinished)} 年度尚有数据不足、待评或缺理由的指标，总分为暂计，"
            "以上升降不是最终结果，待全部指标评定后再作比较。"
        )
    parts = []
    for row in comparison.top_rows:
        row_change = row.last_change
        old, new = row.cells.get(before_year), row.cells.get(after_year)
        if row_change is None or old is None or new is None or row_change.measure is None:
            continue
        parts.append(row.name + ("" if row_change.same_points else "得分率") + _moved(row_change, old, new))
    if parts:
        sentences.append("其中" + "，".join(parts) + "。")
    for movers, word in ((comparison.movers_up, "上升"), (comparison.movers_down, "下降")):
        if movers:
            names = "、".join(f"{mover.row.name}（{_amount(mover.change)}）" for mover in movers[:3])
            sentences.append(f"得分{word}较多的指标：{names}。")
    return sentences


def _amount(change: ScoreChange) -> str:
    """``+1.50 分`` or ``-5.00 个百分点``."""
    measure = round_half_up(change.measure or ZERO)
    unit = " 分" if change.same_points else " 个百分点"
    return f"{'+' if measure > 0 else ''}{fmt_score(measure)}{unit}"


def _moved(change: ScoreChange, old: Cell, new: Cell) -> str:
    """``由 60.00 分上升至 65.53 分（+5.53 分）`` or ``与上年持平（65.53 分）``; shares when the points differ.

    A score with leaves still unscored below it is called 暂计: ``由暂计 29.00 分上升至暂计 71.03 分``.
    """
    if change.same_points:
        old_text, new_text = f"{fmt_score(old.score)} 分", f"{fmt_score(new.score)} 分"
    else:
        old_text, new_text = fmt_percent(old.rate), fmt_percent(new.rate)
    old_text = f" {old_text}" if old.complete else f"暂计 {old_text}"
    new_text = f" {new_text}" if new.complete else f"暂计 {new_text}"
    direction = change.direction
    if direction == "same":
        return f"与上年持平（{new_text.strip()}）"
    word = "上升" if direction == "up" else "下降"
    return f"由{old_text}{word}至{new_text}（{_amount(change)}）"
