"""Moving a department year through 草稿 → 已提交 → 退回 → 已提交 → 通过, with what blocks a submission."""

from __future__ import annotations

from datetime import datetime

from zzperf.checks import run_checks
from zzperf.errors import ZzperfError
from zzperf.review.history import because, who
from zzperf.review.state import (
    ACTION_WORDS,
    PINNED_FILES,
    STATE_WORDS,
    Event,
    Submission,
    load_submission,
    submission_path,
)
from zzperf.scoring import Status
from zzperf.tomlio import content_digest, dump_model, write_atomic
from zzperf.workspace import Workspace
from zzperf.workspace.lock import refuse_if_held

SHOWN_BLOCKERS = 12
"""Blockers listed in a refusal; the rest are counted."""


def blockers(workspace: Workspace, year: int) -> list[str]:
    """Why the year cannot be submitted yet: unscored items, deductions without a reason, open 勾稽 errors."""
    found: list[str] = []
    card = workspace.score(year)
    for result in card.results.values():
        if result.excluded:
            continue
        name = f"{result.indicator.id}（{result.indicator.name}）"
        if result.status is Status.NEEDS_REASON:
            found.append(f"指标 {name} 有扣分或调整，未填写理由")
        elif result.final_score is None:
            word = "数据不足" if result.status is Status.INSUFFICIENT else "待评"
            found.append(f"指标 {name} 尚未评分（{word}）")
        elif result.problems:
            found.append(f"指标 {name}：{result.problems[0]}")
    report = run_checks(workspace.load_accounts(year), workspace.previous_accounts(year))
    found += [f"勾稽错误 {finding.code}：{finding.message}" for finding in report.errors]
    return found


def _pins(workspace: Workspace, year: int) -> dict[str, str]:
    folder = workspace.year_dir(year)
    return {name.removesuffix(".toml"): content_digest(folder / name) for name in PINNED_FILES}


def _step(workspace: Workspace, year: int, allowed: tuple[str, ...], action: str, comment: str) -> Submission:
    """Write the year's next state after ``action``, from one of the ``allowed`` states; the new record."""
    refuse_if_held(workspace.root)
    path = submission_path(workspace.root, year)
    expect = content_digest(path)
    current = load_submission(workspace.root, year)
    if current.state not in allowed:
        wanted = "、".join(STATE_WORDS[state] for state in allowed)
        raise ZzperfError(
            f"{year} 年度当前为“{current.state_text}”，不能{ACTION_WORDS[action]}（须为：{wanted}）",
            file=workspace.root,
        )
    state = {"submit": "submitted", "return": "returned", "approve": "approved"}[action]
    time = datetime.now().astimezone().isoformat(timespec="seconds")
    event = Event(action=action, who=who(), time=time, comment=comment)  # type: ignore[arg-type]
    pinned = _pins(workspace, year) if action == "submit" else current.pinned
    after = Submission(year=year, state=state, pinned=pinned, events=[*current.events, event])  # type: ignore[arg-type]
    header = "# zzperf 提交与复核状态。由 zzperf submit / return / approve 写入，请勿手工修改。\n\n"
    with because(comment or ACTION_WORDS[action]):
        write_atomic(path, header + dump_model(after), expect=expect)
    return after


def submit(workspace: Workspace, year: int, comment: str = "") -> Submission:
    """Submit the year (from 草稿 or 退回); refused, with every reason, while anything blocks it."""
    found = blockers(workspace, year)
    if found:
        shown = "；\n  ".join(found[:SHOWN_BLOCKERS])
        more = f"\n  …… 另有 {len(found) - SHOWN_BLOCKERS} 项" if len(found) > SHOWN_BLOCKERS else ""
        raise ZzperfError(
            f"{year} 年度还不能提交，共 {len(found)} 项待处理：\n  {shown}{more}",
            file=workspace.root,
            hint="评完全部指标、为扣分写明理由、改正勾稽错误后再提交（zzperf score / zzperf check 查看详情）",
        )
    return _step(workspace, year, ("draft", "returned"), "submit", comment)


def return_year(workspace: Workspace, year: int, comment: str) -> Submission:
    """Return a submitted year to the department with the reviewer's comments; it can be edited again."""
    if not comment.strip():
        raise ZzperfError("退回须写明意见", hint="用 --comment 写明需要修改的地方")
    return _step(workspace, year, ("submitted",), "return", comment)


def approve(workspace: Workspace, year: int, comment: str = "") -> Submission:
    """Approve a submitted year; refused when its files differ from what was submitted."""
    current = load_submission(workspace.root, year)
    if current.state == "submitted":
        changed = [
            f"{name}.toml"
            for name, digest in current.pinned.items()
            if content_digest(workspace.year_dir(year) / f"{name}.toml") != digest
        ]
        if changed:
            raise ZzperfError(
                f"{year} 年度提交后文件被修改：{'、'.join(changed)}，不能通过",
                file=workspace.root,
                hint="用 zzperf verify 查看；退回部门重新提交",
            )
    return _step(workspace, year, ("submitted",), "approve", comment)
