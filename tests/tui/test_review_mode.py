"""A reviewer and a department in the app: a submitted year opens read-only, and review mode records the 复核.

The app is driven through Pilot with keys as a person presses them; the assertions read the screen and the files.
"""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input
from tui_helpers import build, screen_text, settle

from tests.conftest import REPO
from tests.test_review_submission import FILL_IN
from zzperf.amounts import fmt_score
from zzperf.cli import main
from zzperf.review import compare_review, load_review, read_log, submit
from zzperf.tui import make_app
from zzperf.workspace import Workspace

SIZE = (120, 34)


@pytest.fixture
def submitted(demo: Path) -> Path:
    """The demo with every indicator scored and its 勾稽 error corrected, submitted for 2018."""
    accounts = demo / "2018" / "accounts.toml"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace("amount = 64.11\n", "amount = 55.09\n"), "utf-8")
    evaluation = demo / "2018" / "evaluation.toml"
    evaluation.write_text(evaluation.read_text(encoding="utf-8") + FILL_IN, encoding="utf-8")
    submit(Workspace(demo), 2018)
    return demo


async def test_a_submitted_year_opens_read_only_and_refuses_edits_with_the_reason(submitted: Path) -> None:
    files = {name: (submitted / "2018" / name).read_bytes() for name in ("accounts.toml", "evaluation.toml")}
    reason = "2018 年度已提交，只读；财政局退回后才能修改"
    app = build(submitted)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert f"只读：{reason}" in screen_text(app)
        # a score typed into the entry form is refused, and the form shows the file again
        key = "process.management.information"
        before = app.session.evaluation.entry(key).score
        app.score_pane.select(key)
        await pilot.press("e")
        await pilot.press("ctrl+a", "ctrl+k", "0", "enter")
        await settle(pilot)
        assert reason in screen_text(app)
        assert app.session.evaluation.entry(key).score == before and not app.session.has_pending
        # so is a figure typed on the data screen
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press(*"517.70", "enter")
        await settle(pilot)
        assert app.session.accounts.overview.expenditure_total != Decimal("517.70")
        assert not app.session.has_pending
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert {name: (submitted / "2018" / name).read_bytes() for name in files} == files


async def test_review_mode_keeps_the_department_read_only_and_records_the_review(demo: Path) -> None:
    evaluation = (demo / "2018" / "evaluation.toml").read_bytes()
    workspace = Workspace(demo)
    first = compare_review(workspace, 2018).lines[0]
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert f"自评 {fmt_score(app.session.card.shown_total)}" in text and "复核 —" in text
        assert "只读：复核模式：部门的数据与自评只读" in text
        assert app.focused is not None and app.focused.id == "review-table"
        assert first.name in text and first.indicator_id not in text  # the name, not the id of files and commands
        # the reviewer scores the highlighted indicator lower, with a reason and an opinion
        await pilot.press("tab")
        assert app.focused.id == "review-score"
        score = first.points - 1
        await pilot.press(*str(score), "tab", *"目标未细化到季度", "tab", *"请补充季度目标", "enter")
        await settle(pilot)
        assert f"已记录“{first.name}”的复核" in "\n".join(notice.message for notice in app._notifications)
        review = load_review(workspace, 2018)
        assert review is not None
        entry = review.indicators[first.indicator_id]
        assert (entry.score, entry.reason, entry.opinion) == (score, "目标未细化到季度", "请补充季度目标")
        reviewed = compare_review(workspace, 2018)
        text = screen_text(app)
        assert f"复核 {fmt_score(reviewed.review_total)}" in text
        assert f"自评 {fmt_score(reviewed.self_total)}" in text
        # the department's own score stays as it is, on screen and on disk
        await pilot.press("f2")
        app.score_pane.select(first.indicator_id)
        await pilot.press("e", "ctrl+a", "ctrl+k", "0", "enter")
        await settle(pilot)
        assert "复核模式：部门的数据与自评只读" in screen_text(app)
        await pilot.press("ctrl+q")
        await settle(pilot)
    assert (demo / "2018" / "evaluation.toml").read_bytes() == evaluation
    assert any(line.file == "2018/review.toml" for line in read_log(demo))


async def test_at_80x24_the_review_table_shows_names_and_every_figure_whole(demo: Path) -> None:
    first = compare_review(Workspace(demo), 2018).lines[0]
    review = first.self_score - Decimal("0.5")
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("tab", *str(review), "tab", *"证据不足", "enter")
        await settle(pilot)
        row = next(line for line in screen_text(app).splitlines() if first.name in line)
        assert first.indicator_id not in row  # the id of files and commands would push the figures off the screen
        figures = [fmt_score(first.points), fmt_score(first.self_score), fmt_score(review), "+0.50"]
        assert row.split()[1:5] == figures, row
        await pilot.press("ctrl+q")
        await settle(pilot)


def test_make_app_logs_what_the_app_writes_however_it_is_started(demo: Path) -> None:
    """A fresh interpreter that builds the app itself (not through the CLI) still logs the evaluator's change."""
    code = (
        "import sys\nfrom zzperf.tui import make_app\n"
        "app = make_app(sys.argv[1], watch_interval=0)\n"
        "app.session.update_entry('process.management.information', {'score': 1, 'reason': '日志测试'})\n"
        "assert not app.session.save_pending().failed\napp.lock.release()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(demo)], cwd=REPO, check=True, capture_output=True, timeout=120)
    logged = [entry for entry in read_log(demo) if entry.file == "2018/evaluation.toml"]
    assert {entry.indicator for entry in logged} == {"process.management.information"}


async def test_review_mode_exports_the_report_with_the_review_beside_the_self_evaluation(demo: Path) -> None:
    import docx

    first = compare_review(Workspace(demo), 2018).lines[0]
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("tab", *str(first.points - 1), "tab", *"目标未细化", "tab", *"请补充", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"导出复核版报告：docx")
        await pilot.pause(0.3)
        await pilot.press("enter")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert any("已导出" in notification.title for notification in app._notifications)
        await pilot.press("ctrl+q")
        await settle(pilot)
    written = list((demo / "2018").glob("*.docx"))
    # the bureau's version is named apart and never takes the place of the department's own report
    assert [path.name for path in written] == ["株洲市政务服务中心-2018年度部门整体支出绩效自评报告（复核版）.docx"]
    document = docx.Document(str(written[0]))
    headers = [cell.text for table in document.tables for cell in table.rows[0].cells]
    assert "自评得分" in headers and "复核得分" in headers and "复核意见" in headers
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("请补充" in cell for cell in cells), cells


def county_town(tmp_path: Path) -> tuple[Path, int]:
    """洪湖镇 of a new county demo, and the row of its 预算完成率 in the 复核 tab."""
    assert main(["demo", "--county", str(tmp_path / "县"), "--no-open"]) == 0
    town = tmp_path / "县" / "重庆市长寿区洪湖镇人民政府"
    lines = compare_review(Workspace(town), 2024).lines
    return town, next(index for index, line in enumerate(lines) if line.name == "预算完成率")


async def test_a_reviewer_in_the_county_demo_sees_progress_reasons_and_groups(tmp_path: Path) -> None:
    """洪湖镇 in review mode: a lower score without a reason stays in the field with the reason under it; with one,
    the header says the 复核 total is 暂定 and how far the review has got; shared names show their group."""
    town, row = county_town(tmp_path)
    app = make_app(town, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        header_before = next(line for line in screen_text(app).splitlines() if "理由" in line and "差" in line)
        text = screen_text(app)
        assert "预算管理 › 管理制度健全性" in text and "资产管理 › 管理制度健全性" in text
        await pilot.press(*["down"] * row, "tab", "1", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "“预算完成率”的复核得分 1.00 与自评 2.00 不同，须写明理由" in text
        assert app.query_one("#review-score", Input).value == "1"
        assert not (town / "2024" / "review.toml").exists()
        await pilot.press("tab", *"按决算", "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "复核 67.70（暂定：已复核 1/28）" in text  # the long form where the line has room
        assert "须写明理由" not in text
        assert app.query_one("#review-score", Input).value == "1.00"
        header_after = next(line for line in text.splitlines() if "理由" in line and "差" in line)
        # the score columns stay put as scores arrive: 理由 opens where it did
        assert header_after.index("理由") == header_before.index("理由")
        await pilot.press("ctrl+q")
        await settle(pilot)


async def test_enter_on_a_leaf_goes_into_its_review_score(demo: Path) -> None:
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "review-table"
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "review-score"
        await pilot.press("1")
        assert app.focused.value.endswith("1")


async def test_a_score_refused_for_want_of_a_reason_is_said_below_the_fields_and_nowhere_over_them(
    demo: Path,
) -> None:
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        line = compare_review(Workspace(demo), 2018).lines[0]
        await pilot.press("enter", *fmt_score(line.self_score - 1), "enter")  # lower than the 自评, no reason
        await settle(pilot)
        assert "须写明理由" in screen_text(app)
        assert not list(app._notifications), [notice.message for notice in app._notifications]
        assert app.focused is not None and app.focused.id == "review-score"


async def test_the_review_header_at_80_by_24_keeps_the_longest_progress_that_fits(tmp_path: Path) -> None:
    """洪湖镇's name takes a line of its own at 80×24; the line below has room for the 暂定 progress, so it is said
    in words, not as a bare “*”."""
    town, row = county_town(tmp_path)
    app = make_app(town, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * row, "tab", "1", "tab", *"按决算", "enter")
        await settle(pilot)
        header = next(line for line in screen_text(app).splitlines() if "自评 68.70" in line)
        assert "复核 67.70（暂定" in header and "1/28）" in header, header
        assert "复核 67.70*" not in header
        assert "只读" in header and "已评 28/28" in header
        await pilot.press("ctrl+q")
        await settle(pilot)


async def test_the_palette_writes_a_space_between_chinese_and_a_format_name(demo: Path) -> None:
    app = make_app(demo, cursor_blink=False, watch_interval=0, review=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"导出")
        await settle(pilot, 0.3)
        text = screen_text(app)
        assert "本年度的 Word 报告" in text and "复核的 Word 报告" in text, text
        assert "的Word" not in text and "的Excel" not in text
