"""The app's session without a screen: every change rescored and queued, saved in order, kept when a write fails."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest

from zzperf.accounts import Accounts
from zzperf.editing import EditError
from zzperf.tomlio import load_model
from zzperf.tui.session import Session
from zzperf.workspace import Workspace


def on_disk(path: Path) -> Accounts:
    return load_model(path / "2018" / "accounts.toml", Accounts)


def test_a_change_rescores_and_queues_only_its_file(demo: Path) -> None:
    session = Session(Workspace(demo))
    change = session.set_figure("overview.expenditure_total", "517.70")
    assert "process.execution.budget_completion" in change.changed
    assert set(session.pending) == {"accounts"}
    assert session.card.results["process.execution.budget_completion"].final_score == Decimal(6)
    with pytest.raises(EditError):
        session.set_figure("overview.expenditure_total", "五百")
    assert session.accounts.overview.expenditure_total == Decimal("517.70")  # a refused text changes nothing
    result = session.save_pending()
    assert result.written == ["accounts"] and not session.pending
    assert on_disk(demo).overview.expenditure_total == Decimal("517.70")
    assert session.watch.changed() == []  # one's own write is not a change on disk


def test_a_failed_write_stays_queued_and_is_retried(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = Session(Workspace(demo))
    session.set_figure("staffing.in_service", "18")
    calls = []
    original = session.workspace.save_accounts

    def failing(accounts: Accounts) -> None:
        calls.append(accounts)
        if len(calls) == 1:
            raise PermissionError(13, "权限不足")
        original(accounts)

    monkeypatch.setattr(session.workspace, "save_accounts", failing)
    first = session.save_pending()
    assert first.failed and "权限不足" in first.failed[0][1]
    assert session.has_pending and session.last_error
    assert on_disk(demo).staffing.in_service == 17
    second = session.save_pending()
    assert second.written == ["accounts"] and not session.has_pending
    assert on_disk(demo).staffing.in_service == 18


def test_saves_from_many_threads_leave_the_last_change_on_disk(demo: Path) -> None:
    session = Session(Workspace(demo))
    threads = []
    for value in range(10, 30):
        session.set_figure("staffing.in_service", str(value))
        thread = threading.Thread(target=session.save_pending)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    session.save_pending()
    assert on_disk(demo).staffing.in_service == 29


def test_undo_puts_back_and_queues_the_previous_model(demo: Path) -> None:
    session = Session(Workspace(demo))
    before = session.card.total
    session.update_entry("effect.satisfaction.service", {"score": Decimal(6), "reason": "抽样调查"})
    assert session.card.total == before + 6
    generation = session.generation
    change = session.undo()
    assert change is not None and change.description == "撤销修改评分"
    assert session.card.total == before and session.generation == generation + 1
    assert session.undo() is None
    session.save_pending()
    assert "effect.satisfaction.service" not in Workspace(demo).load_evaluation(2018).indicators


def test_a_blocked_file_is_not_written(demo: Path) -> None:
    session = Session(Workspace(demo))
    session.set_figure("staffing.in_service", "18")
    session.blocked["accounts"] = "磁盘上的 accounts.toml 有错误"
    assert session.save_pending().written == []
    assert on_disk(demo).staffing.in_service == 17 and session.has_pending
    session.blocked.clear()
    session.save_pending()
    assert on_disk(demo).staffing.in_service == 18


def test_a_file_changed_on_disk_is_not_written_over_until_the_user_keeps_theirs(demo: Path) -> None:
    from zzperf.tomlio import content_digest

    session = Session(Workspace(demo))
    session.update_report(achievements="这里的修改")
    path = demo / "2018" / "evaluation.toml"
    outside = path.read_text(encoding="utf-8").replace("部门（单位）评价组", "外部评价组")
    path.write_text(outside, encoding="utf-8")
    result = session.save_pending()
    assert result.conflicts == ["evaluation"] and not result.written
    assert path.read_text(encoding="utf-8") == outside
    assert session.has_pending and "evaluation" in session.conflicts
    assert session.watch.changed() == [path]  # the refused save did not hide the outside change
    assert session.save_pending().written == []  # held until the user decides
    session.keep_mine({path: content_digest(path)})
    assert "evaluation" in session.save_pending().written
    saved = path.read_text(encoding="utf-8")
    assert "这里的修改" in saved and "外部评价组" not in saved


def test_what_a_conflict_holds_back_is_written_aside_when_leaving(demo: Path) -> None:
    session = Session(Workspace(demo))
    session.update_report(achievements="这里的修改")
    path = demo / "2018" / "evaluation.toml"
    outside = path.read_text(encoding="utf-8").replace("部门（单位）评价组", "外部评价组")
    path.write_text(outside, encoding="utf-8")
    session.save_pending()
    [aside] = session.save_aside()
    assert aside.name.startswith("evaluation.toml.unsaved-")
    assert "这里的修改" in aside.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == outside


def test_the_cover_details_are_not_changed_in_a_read_only_year(demo: Path) -> None:
    """A year opened for review (or submitted) is read-only in the app: its report's cover details are refused like
    its figures, and zzperf.toml stays as it was; an unknown detail is refused with its name."""
    session = Session(Workspace(demo))
    with pytest.raises(EditError, match="没有“name”一项"):
        session.update_profile(name="另一个部门")
    assert session.update_profile(contact="张三") and Workspace(demo).profile.contact == "张三"
    assert not session.update_profile(contact=" 张三 ")  # the same, once the spaces around it are gone
    before = (demo / "zzperf.toml").read_bytes()
    reviewing = Session(Workspace(demo), review=True)
    assert reviewing.read_only is not None
    with pytest.raises(EditError, match="只读"):
        reviewing.update_profile(phone="0731-1")
    assert (demo / "zzperf.toml").read_bytes() == before
