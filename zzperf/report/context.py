"""The data a report template sees, built for one department-year, with its previous year, scores and checks.

Every value is one of the plain records of ``zzperf.report.records``. The 自评表's texts (指标值, 完成值,
扣分原因, targets met) come worded from ``zzperf.wording``; the templates word and compute every other
figure through ``zzperf.report.filters``.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from zzperf.accounts import Accounts
from zzperf.checks import SEVERITY_RANK, SEVERITY_WORDS, run_checks
from zzperf.compare import previous_year_comparison
from zzperf.errors import ZzperfError
from zzperf.evaluation import Evaluation
from zzperf.formula import MISSING
from zzperf.indicators import IndicatorSet
from zzperf.report.charts import groups_svg, history_svg
from zzperf.report.records import (
    Assets,
    BudgetItem,
    BudgetRow,
    Charts,
    Checks,
    Department,
    Expenditure,
    Figure,
    Figures,
    FindingRow,
    GeneralSpending,
    Group,
    Income,
    Meta,
    OutcomeRow,
    Pending,
    Procurement,
    ProjectLine,
    Projects,
    ReviewSummary,
    ScoreRow,
    Scores,
    Staff,
    Text,
    ThreePublic,
    YearScore,
)
from zzperf.scoring import pending_by_status, pending_text, score_year
from zzperf.wording import (
    actual_of,
    missing_words,
    outcome_status,
    outcome_target,
    outcome_value,
    reason_of,
    rule_scored,
    target_of,
    why_unscored,
)

if TYPE_CHECKING:
    from zzperf.checks import CheckReport
    from zzperf.review import ReviewComparison, ReviewLine
    from zzperf.scoring import IndicatorResult, ScoreCard
    from zzperf.workspace import Profile, Workspace


# ── helpers ──────────────────────────────────────────────────────────────


def _fig(now: Decimal | None, prev: Decimal | None, name: str = "") -> Figure:
    return Figure(now, prev, name)


def _get(accounts: Accounts | None, path: str) -> Any:
    if accounts is None:
        return None
    value: Any = accounts
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _pending_why(result: IndicatorResult) -> str:
    """Why a leaf counts for nothing yet, after its name and status: 缺少政府采购预算, or why it is unscored (a list
    item “政府采购执行率（4.00 分，数据不足）：政府采购预算” read as cut off). A lack said as a sentence of its own
    (本年未填报“办件量”的绩效目标) stands as it is."""
    if (result.missing or "").startswith(MISSING):
        return f"缺少{missing_words(result)}"
    return why_unscored(result)


def _scores(card: ScoreCard, review: ReviewComparison | None = None) -> Scores:
    """The score table; with ``review``, every row also carries its 复核得分, the difference and the 复核意见."""
    indicator_set = card.indicator_set
    lines = {line.indicator_id: line for line in review.lines} if review is not None else {}
    reviewed_card = review.review_card if review is not None else None
    by_id = indicator_set.by_id
    rows: list[ScoreRow] = []
    groups: list[Group] = []
    deductions: list[ScoreRow] = []
    for top in indicator_set.children(None):
        seen1 = False
        seen2: set[str] = set()
        leaves = [leaf for leaf in indicator_set.leaves if leaf.id == top.id or leaf.id.startswith(top.id + ".")]
        spans2: dict[str, int] = {}
        for leaf in leaves:
            spans2[".".join(leaf.id.split(".")[:2])] = spans2.get(".".join(leaf.id.split(".")[:2]), 0) + 1
        for leaf in leaves:
            parts = leaf.id.split(".")
            names = [by_id[".".join(parts[: depth + 1])].name for depth in range(len(parts))]
            level1 = names[0]
            level2 = names[1] if len(names) > 1 else ""
            level3 = names[2] if len(names) > 2 else ""
            key2 = ".".join(parts[:2])
            result = card.results[leaf.id]
            row = ScoreRow(
                kind="leaf",
                level1=level1,
                level2=level2,
                level3=level3,
                points=leaf.points,
                score=result.final_score,
                target=target_of(leaf, result),
                actual=actual_of(leaf, result),
                reason=reason_of(result),
                status=result.status.value,
                lost=None if result.final_score is None else leaf.points - result.final_score,
                value=result.value,
                unit=leaf.unit,
                mark=_mark(result),
                given_reason=result.entry.reason.strip(),
                rule_scored=rule_scored(result),
                first1=not seen1,
                first2=key2 not in seen2,
                span1=len(leaves) if not seen1 else 1,
                span2=spans2[key2] if key2 not in seen2 else 1,
            )
            if reviewed_card is not None:
                row = _reviewed_leaf(row, lines[leaf.id], reviewed_card.results[leaf.id].final_score)
            seen1 = True
            seen2.add(key2)
            rows.append(row)
            if result.final_score is not None and result.final_score < leaf.points:
                deductions.append(row)
        group = card.groups.get(top.id)
        if group is None:  # a 一级 node that is itself a leaf
            result = card.results[top.id]
            score = result.final_score
            complete = result.final_score is not None or result.excluded
            pending = pending_by_status([result])
        else:  # nothing below scored yet: no subtotal (—), not 0.00
            score, complete, pending = group.shown_score, group.complete, group.pending
        pending_points = sum((points for _, points in pending), Decimal(0))
        groups.append(Group(top.name, top.points, score, complete, pending_points, pending_text(pending)))
        subtotal_review = None
        if reviewed_card is not None:
            reviewed_group = reviewed_card.groups.get(top.id)
            subtotal_review = (
                reviewed_group.shown_score if reviewed_group is not None else reviewed_card.results[top.id].final_score
            )
        rows.append(
            _with_total_review(
                ScoreRow(
                    kind="subtotal",
                    level1=f"{top.name}小计",
                    level2="",
                    level3="",
                    points=top.points,
                    score=score,
                    target="",
                    actual="",
                    reason=pending_text(pending),
                    status="" if complete else "暂定",
                ),
                subtotal_review,
            )
        )
    notes = list(card.adjustments)
    if card.held_back:
        names = "、".join(indicator_set.shown_names[r.indicator.id] for r in card.held_back)
        notes.append(f"{len(card.held_back)} 项评分缺理由，得分为草稿，未计入总分：{names}")
    rows.append(
        _with_total_review(
            ScoreRow(
                kind="total",
                level1="合计",
                level2="",
                level3="",
                points=indicator_set.total,
                score=card.shown_total,
                target="",
                actual="",
                reason="；".join(notes),
                status=card.grade_text,
            ),
            None if reviewed_card is None else reviewed_card.total,
        )
    )
    shown = indicator_set.shown_names
    pending = [
        Pending(shown[r.indicator.id], r.indicator.points, r.status.value, _pending_why(r)) for r in card.pending
    ]
    return Scores(
        set_name=indicator_set.name,
        rows=tuple(rows),
        groups=tuple(groups),
        total=card.total,
        raw_total=card.raw_total,
        full=indicator_set.total,
        grade=card.grade,
        grade_text=card.grade_text,
        complete=card.complete,
        pending=tuple(pending),
        pending_points=card.pending_points,
        adjustments=tuple(card.adjustments),
        deductions=tuple(deductions),
        leaf_count=len(card.results),
        scored_count=card.scored_count,
        drafts=tuple(shown[result.indicator.id] for result in card.drafts),
        held_back=tuple(shown[result.indicator.id] for result in card.held_back),
        caps=tuple(cap.text for cap in card.caps),
    )


def _reviewed_leaf(row: ScoreRow, line: ReviewLine, review_score: Decimal | None) -> ScoreRow:
    """A leaf's row with its 复核: the reviewer's score (or the 自评 standing in for it), difference and words."""
    said = [f"理由：{line.reason.strip()}" if line.reason.strip() else "", f"意见：{line.opinion.strip()}"]
    words = [part.rstrip("。；;") for part in [*said, *line.flags] if part.removeprefix("意见：")]  # not “。；”
    difference = None if row.score is None or review_score is None else row.score - review_score
    return dataclasses.replace(
        row,
        review_score=review_score,
        reviewed=line.review_score is not None,
        difference=difference,
        review_text="；".join(words),
        flags=line.flags,
    )


def _with_total_review(row: ScoreRow, review_score: Decimal | None) -> ScoreRow:
    """A subtotal or total row with the 复核 figure beside the 自评 one (unchanged without a review)."""
    if review_score is None:
        return row
    difference = None if row.score is None else row.score - review_score  # 数据不足 has no difference, not −复核
    return dataclasses.replace(row, review_score=review_score, reviewed=True, difference=difference)


def review_summary(review: ReviewComparison, scores: Scores) -> ReviewSummary:
    """The 复核 totals and the flagged leaves, for the report's 复核 paragraph."""
    from zzperf.review.scores import TOTAL_INFLATION

    card = review.review_card
    assert card is not None  # callers pass only a reviewed year
    flagged = [row for row in scores.rows if row.kind == "leaf" and row.flags]
    flagged.sort(key=lambda row: -(row.difference or Decimal(0)))
    return ReviewSummary(
        reviewer=review.reviewer,
        self_total=review.self_total,
        total=card.total,
        grade=card.grade,
        grade_text=card.grade_text,
        complete=card.complete,
        difference=review.difference,
        inflated=review.inflated,
        threshold=TOTAL_INFLATION,
        reviewed_count=review.reviewed_count,
        leaf_count=len(review.lines),
        flagged=tuple(flagged),
        adjustments=tuple(card.adjustments),
    )


def _mark(result: IndicatorResult) -> str:
    """The 自评表's per-row mark: while a leaf has no score, why (待评, 数据不足, 缺理由); 暂定 while its scoring is
    a draft."""
    if result.final_score is None and not result.excluded:
        return result.status.value
    if result.is_draft:
        return "暂定"
    return ""


def year_score(card: ScoreCard) -> YearScore:
    """A year's total and 一级 scores as the charts draw them."""
    groups = _scores(card).groups
    return YearScore(
        year=card.year,
        total=card.total if card.scored_count else None,
        full=card.indicator_set.total,
        complete=card.complete,
        grade=card.grade_text,
        groups=groups,
    )


def _projects(accounts: Accounts, previous: Accounts | None) -> Projects:
    """项目支出 from the 支出决算表: the deepest 科目 that carry it, with their budget where the accounts have one."""
    spent = [line for line in accounts.expenditure.lines if line.project]
    deepest = [line for line in spent if not any(o.code != line.code and o.code.startswith(line.code) for o in spent)]
    budgets = {line.code: line for line in accounts.budget.by_function}
    lines = []
    for line in sorted(deepest, key=lambda line: line.code):
        budget = budgets.get(line.code)
        spent = line.total if line.basic else line.project  # a 科目's budget covers its 基本支出 too
        known = budget is not None and spent is not None
        lines.append(
            ProjectLine(
                line.code,
                line.name,
                line.project,
                spent,
                budget.initial if known else None,
                budget.adjusted if known else None,
            )
        )
    return Projects(
        total=_fig(
            accounts.expenditure.total.project, previous.expenditure.total.project if previous else None, "项目支出"
        ),
        budget=accounts.budget.projects,
        lines=tuple(lines),
    )


def _budget_rows(accounts: Accounts) -> tuple[BudgetRow, ...]:
    """年初预算, 全年预算 (调整后预算) and 全年执行数 of the whole and of 项目支出, as far as the accounts have them."""
    budget = accounts.budget
    rows = [BudgetRow("本年支出合计", budget.initial, budget.adjusted, accounts.overview.expenditure_total)]
    if budget.projects is not None or accounts.expenditure.total.project:
        rows.append(BudgetRow("其中：项目支出", budget.projects, None, accounts.expenditure.total.project))
    return tuple(rows)


def _outcomes(accounts: Accounts) -> list[OutcomeRow]:
    return [
        OutcomeRow(
            outcome.name,
            outcome.unit,
            outcome_target(outcome),
            outcome_value(outcome.actual, outcome.unit),
            outcome_status(outcome),
            outcome.note or "",
        )
        for outcome in accounts.outcomes
    ]


def _checks(report: CheckReport) -> Checks:
    findings = [
        FindingRow(SEVERITY_WORDS[f.severity], f.code, f.table, f.row, f.message)
        for f in sorted(report.findings, key=lambda f: SEVERITY_RANK[f.severity])
    ]
    return Checks(tuple(findings), len(report.errors), len(report.warnings), len(report.infos), len(report.skipped))


# ── the context ──────────────────────────────────────────────────────────


INCOME_SOURCES = (
    ("general_budget", "一般公共预算财政拨款收入"),
    ("gov_fund", "政府性基金预算财政拨款收入"),
    ("state_capital", "国有资本经营预算财政拨款收入"),
    ("superior_subsidy", "上级补助收入"),
    ("business", "事业收入"),
    ("operating", "经营收入"),
    ("affiliated", "附属单位上缴收入"),
    ("other", "其他收入"),
)

EXPENDITURE_KINDS = (
    ("basic", "基本支出"),
    ("project", "项目支出"),
    ("remit", "上缴上级支出"),
    ("operating", "经营支出"),
    ("affiliated", "对附属单位补助支出"),
)

THREE_PUBLIC_ITEMS = (
    ("abroad", "因公出国（境）费", False),
    ("vehicle", "公务用车购置及运行费", False),
    ("vehicle_purchase", "公务用车购置费", True),
    ("vehicle_operation", "公务用车运行费", True),
    ("reception", "公务接待费", False),
)


def cited_notice(profile: Profile, evaluation: Evaluation) -> str:
    """The notice the report cites at its start: the year's own, else the department's (empty: none written)."""
    return evaluation.notice or profile.notice


def build_context(
    profile: Profile,
    indicator_set: IndicatorSet,
    accounts: Accounts,
    evaluation: Evaluation,
    previous: Accounts | None = None,
    card: ScoreCard | None = None,
    checks: CheckReport | None = None,
    score_comparison: list[str] | None = None,
    history: list[YearScore] | None = None,
    appendix: bool = False,
    review: ReviewComparison | None = None,
) -> dict[str, Any]:
    """The template context for one department-year; scores and checks are computed when not given.

    Built of records and tuples only; ``zzperf.report.render`` checks it with ``plain_context`` before any
    template sees it.

    ``score_comparison``: the "与上年相比" sentences about scores, from ``zzperf.compare`` (none when not given).
    ``history``: each year's scores up to this one, for the charts (this year alone when not given).
    ``appendix``: whether the report ends with the 数据校验结果 of the accounts.
    ``review``: the finance bureau's 复核 of the year (from ``zzperf.review.compare_review``); the score table
    then shows 自评 and 复核 side by side and ``review`` holds the totals. None: a plain 自评 report.
    """
    if card is None:
        card = score_year(indicator_set, accounts, evaluation, previous)
    if checks is None:
        checks = run_checks(accounts, previous)
    year = accounts.year

    def fig(path: str, name: str = "") -> Figure:
        return _fig(_get(accounts, path), _get(previous, path), name)

    income_sources = [
        fig(f"income.{key}", name) for key, name in INCOME_SOURCES if _get(accounts, f"income.{key}") is not None
    ]
    totals = accounts.expenditure.total
    expenditure_kinds = [
        fig(f"expenditure.total.{key}", name) for key, name in EXPENDITURE_KINDS if getattr(totals, key) is not None
    ]
    prev_classes = {line.code: line.total for line in previous.expenditure.lines} if previous else {}
    function_classes = [
        Figure(line.total, prev_classes.get(line.code), line.name)
        for line in accounts.expenditure.lines
        if len(line.code) == 3
    ]
    three = accounts.three_public
    prev_three = previous.three_public if previous else None
    three_items = [
        BudgetItem(
            name,
            getattr(three.budget, key),
            getattr(three.actual, key),
            getattr(prev_three.actual, key) if prev_three else None,
            sub,
        )
        for key, name, sub in THREE_PUBLIC_ITEMS
    ]
    three_total = BudgetItem(
        "合计", three.budget.total, three.actual.total, prev_three.actual.total if prev_three else None
    )
    staffing = accounts.staffing
    budget = accounts.budget
    procurement = accounts.procurement
    assets = accounts.assets
    spending = accounts.general_spending
    text = evaluation.report

    figures = {
        "income": fig("overview.income_total", "本年收入合计"),
        "expenditure": fig("overview.expenditure_total", "本年支出合计"),
        "basic": fig("expenditure.total.basic", "基本支出"),
        "project": fig("expenditure.total.project", "项目支出"),
        "personnel": fig("basic_expenditure.personnel_total", "人员经费"),
        "public": fig("basic_expenditure.public_total", "公用经费"),
        "carryover_begin": fig("overview.carryover_begin", "年初结转和结余"),
        "carryover_end": fig("overview.carryover_end", "年末结转和结余"),
        "three_public": fig("three_public.actual.total", "“三公”经费支出"),
        "operating_costs": fig("operating_costs.actual", "机关运行经费"),
        "meeting": fig("general_spending.meeting", "会议费"),
        "training": fig("general_spending.training", "培训费"),
        "procurement": fig("procurement.total", "政府采购支出"),
    }
    comparisons = [
        figures[key]
        for key in (
            "income",
            "expenditure",
            "basic",
            "project",
            "personnel",
            "public",
            "carryover_end",
            "three_public",
            "operating_costs",
            "meeting",
            "training",
            "procurement",
        )
    ]
    title = f"{profile.name}{year}年度部门整体支出绩效自评报告"
    if review is not None and review.review_card is None:
        review = None
    scores = _scores(card, review)
    years = list(history) if history else [year_score(card)]
    return {
        "title": title,
        "year": year,
        "prev_year": year - 1,
        "has_previous": previous is not None,
        "dept": Department(
            name=profile.name,
            budget_code=profile.budget_code,
            level=profile.level,
            duties=tuple(profile.duties),
            structure=tuple(profile.structure),
            units=profile.units,
            contact=profile.contact,
            phone=profile.phone,
            notice=cited_notice(profile, evaluation),
        ),
        "meta": Meta(
            evaluator=evaluation.evaluator,
            date=evaluation.date,
            method="部门（单位）绩效自评",
        ),
        "staff": Staff(staffing.authorized, staffing.in_service, staffing.contract),
        "f": Figures(**figures),
        "income": Income(
            total=figures["income"],
            sources=tuple(income_sources),
            carryover_begin=figures["carryover_begin"],
        ),
        "expenditure": Expenditure(
            total=figures["expenditure"],
            kinds=tuple(expenditure_kinds),
            classes=tuple(function_classes),
            basic=figures["basic"],
            project=figures["project"],
            personnel=figures["personnel"],
            public=figures["public"],
            carryover_end=figures["carryover_end"],
            budget_initial=budget.initial,
            budget_adjusted=budget.adjusted,
            budget_additions=budget.additions,
            budget_reductions=budget.reductions,
        ),
        "projects": _projects(accounts, previous),
        "budget_rows": _budget_rows(accounts),
        "three_public": ThreePublic(
            lines=tuple(three_items),
            total=three_total,
            vehicles_held=three.vehicles_held,
            reception_batches=three.reception_batches,
            reception_guests=three.reception_guests,
            reason=three.reason or "",
        ),
        "operating_costs": BudgetItem(
            "机关运行经费",
            accounts.operating_costs.budget,
            accounts.operating_costs.actual,
            previous.operating_costs.actual if previous else None,
        ),
        "general_spending": GeneralSpending(
            meeting=figures["meeting"],
            meeting_people=spending.meeting_people,
            training=figures["training"],
            training_people=spending.training_people,
        ),
        "procurement": Procurement(
            total=figures["procurement"],
            budget=procurement.budget,
            goods=procurement.goods,
            works=procurement.works,
            services=procurement.services,
            sme=procurement.sme,
            small_micro=procurement.small_micro,
        ),
        "assets": Assets(**{field.name: getattr(assets, field.name) for field in dataclasses.fields(Assets)}),
        "comparisons": tuple(comparisons),
        "outcomes": tuple(_outcomes(accounts)),
        "scores": scores,
        "history": tuple(years),
        "charts": Charts(history=history_svg(years), groups=groups_svg(years)),
        "score_comparison": tuple(score_comparison or ()),
        "text": Text(
            achievements=text.achievements,
            problems=text.problems,
            measures=text.measures,
            application=text.application,
            goal=evaluation.goal,
        ),
        "checks": _checks(checks),
        "appendix": appendix,
        "review": review_summary(review, scores) if review is not None else None,
    }


def context_for(workspace: Workspace, year: int, appendix: bool = False, review: bool = False) -> dict[str, Any]:
    """The template context for one year of a workspace (with the previous year when the workspace has it).

    ``appendix``: end the report with the 数据校验结果 (the accounts' unresolved check findings).
    ``review``: show the finance bureau's 复核 beside the 自评; an error when the year has no 复核 record.
    """
    loaded = workspace.load_year(year)
    comparison = None
    if review:
        from zzperf.review import compare_review

        comparison = compare_review(workspace, year)
        if comparison.review_card is None:
            raise ZzperfError(
                f"{workspace.profile.name} {year} 年度尚无复核记录，不能生成含复核的报告",
                hint="先用 zzperf review --indicator 指标 --score 分数 记录复核，或去掉 --review",
            )
    return build_context(
        workspace.profile,
        workspace.set_for(year),  # a workspace may score some years with another set
        loaded.accounts,
        loaded.evaluation,
        workspace.previous_accounts(year),
        score_comparison=_score_comparison(workspace, year),
        history=score_history(workspace, year),
        appendix=appendix,
        review=comparison,
    )


def score_history(workspace: Workspace, until: int) -> list[YearScore]:
    """Each year of the workspace up to ``until``, scored with its own set, for the charts."""
    return [year_score(workspace.score(year)) for year in workspace.years() if year <= until]


def _score_comparison(workspace: Workspace, year: int) -> list[str]:
    """This year's scores against the previous year's, in the words the 对比 screen and ``zzperf compare`` use."""
    comparison = previous_year_comparison(workspace, year)
    return comparison.sentences() if comparison is not None else []
