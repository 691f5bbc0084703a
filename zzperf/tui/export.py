"""Exporting the open year's report from the TUI: written in a worker thread, where it went told in a notice, and
what to mend before submitting it listed in full in a dialog.

The same call as ``zzperf report``: ``report.write_report``; the report text's figures are audited first.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from textual.content import Content

from zzperf.tui.screens.dialogs import TextScreen
from zzperf.tui.widgets.text import error_message

if TYPE_CHECKING:
    from zzperf.report import Format
    from zzperf.tui.app import ZzperfApp

EXPORT_FORMATS: tuple[tuple[str, str, str], ...] = (
    ("docx", "Word", "Word 报告"),
    ("md", "Markdown", "Markdown 报告"),
    ("html", "网页", "网页报告"),
    ("xlsx", "Excel", "Excel 自评表"),
)
"""(format, its name as users know it, what it is called in the command palette's descriptions)."""


def export_report(app: ZzperfApp, fmt: Format = "docx", out: Path | None = None, review: bool = False) -> None:
    """Write the open year's report (``fmt``) in a worker and say where, or why not.

    ``review``: the finance bureau's version, 复核 beside 自评 (as ``zzperf report --review``).
    """
    if not app.flush():
        return
    session = app.session
    workspace, year, previous = session.workspace, session.year, session.previous
    written = session.what_if or session  # what the files hold (a what-if trial is not written until applied)
    evaluation, accounts = written.evaluation, written.accounts
    report = evaluation.report
    card, errors = written.card, written.checks.errors

    def run() -> None:  # in a worker: the report and the audit of its text (the importer's text tools)
        from zzperf.narrative import audit_report_text
        from zzperf.report import submission_notes, unfilled, write_report

        wrong = audit_report_text(report, accounts, previous)
        try:
            path = write_report(workspace, year, fmt, out, review=review)
        except Exception as error:  # noqa: BLE001 - any failure is shown in the app, never raised
            app.call_from_thread(app.notify, error_message(error), title="导出失败", severity="error", timeout=10)
            return
        app.call_from_thread(app.notify, f"{path.parent}{os.sep}\n{path.name}", title="已导出报告", timeout=8)
        # what zzperf report says after writing, with the keys that lead there
        notes = submission_notes(
            card,
            errors,
            see_checks="数据页 Ctrl+F",
            see_scores="评分页按 n 逐项查看",
            add_appendix="",
            empty=unfilled(workspace.profile, evaluation),
            fill_year="在报告页填写",
            fill_cover="在报告页“封面与通知”填写",
        )
        if wrong:
            notes.append(f"报告文字中有 {len(wrong)} 处数字与决算数据不符（报告已照原文生成，请在报告页核对后修改）：")
        if notes:  # every one, however many: a notice is cut at the screen's height and goes after a while
            paragraphs = [Content(f"· {note}") for note in notes]
            paragraphs += [Content(f"– {finding.table} {finding.message}") for finding in wrong]
            app.call_from_thread(app.push_screen, TextScreen("提交前请注意", paragraphs, "escape"))

    app.notify(f"正在导出 {year} 年度{'复核版' if review else ''}报告（{fmt}）……", timeout=2)
    app.run_worker(run, thread=True, exclusive=True, exit_on_error=False, group="report-export")
