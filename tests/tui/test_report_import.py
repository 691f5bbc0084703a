"""Report preview, report export and importing 决算 tables from the TUI, as a person would."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, MarkdownViewer

from tests.seed_2018 import SEED_TEXT as SEED
from tests.tui.tui_helpers import build, screen_text, wait_until
from zzperf.accounts import Accounts
from zzperf.output.lines import wrap
from zzperf.tomlio import load_model
from zzperf.tui.screens import ImportScreen, ReportPreviewScreen
from zzperf.tui.screens.dialogs import TextScreen
from zzperf.workspace import Workspace

SIZE = (120, 40)


async def settle(pilot: Pilot) -> None:  # type: ignore[type-arg]
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def before_submitting(app) -> str:  # noqa: ANN001
    """The text of the dialog that lists what to mend before submitting, as it shows (its lines joined)."""
    screen = app.screen
    assert isinstance(screen, TextScreen) and screen.title_text == "提交前请注意"
    return "".join(paragraph.plain for paragraph in screen.paragraphs)


async def run_command(pilot: Pilot, name: str) -> None:  # type: ignore[type-arg]
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*name)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await settle(pilot)


async def test_preview_shows_the_report_of_the_open_year(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, ReportPreviewScreen)
        text = screen_text(app)
        assert "报告预览：2018 年度" in text and "部门整体支出绩效自评报告" in text
        for _ in range(12):  # the 支出 figures are further down: page through as a reader would
            if "619.54" in text:
                break
            app.screen.query_one(MarkdownViewer).scroll_relative(y=20, animate=False)
            await pilot.pause()
            text = screen_text(app)
        assert "619.54" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReportPreviewScreen)


async def test_preview_from_the_command_palette(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "预览报告")
        assert isinstance(app.screen, ReportPreviewScreen)
        await settle(pilot)
        text = screen_text(app)
        assert "报告预览：2018 年度" in text and "株洲市政务服务中心" in text


async def test_export_writes_a_word_report(demo: Path) -> None:
    import docx

    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "导出报告")
        await settle(pilot)
        written = list((demo / "2018").glob("*.docx"))
        assert len(written) == 1 and written[0].name.endswith("部门整体支出绩效自评报告.docx")
        document = docx.Document(str(written[0]))
        assert any("株洲市政务服务中心" in paragraph.text for paragraph in document.paragraphs)
        assert any("已导出" in notification.title for notification in app._notifications)
        assert not any("不符" in notification.title for notification in app._notifications)


async def test_export_warns_of_wrong_figures_in_the_report_text(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "tab", "enter", *"全年三公经费支出4.22万元")
        await run_command(pilot, "导出报告")
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        message = before_submitting(app)
        assert "报告文字中有 1 处数字与决算数据不符" in message
        assert "主要成绩" in message and "4.21 万元" in message
        assert list((demo / "2018").glob("*.docx"))  # written as typed all the same


async def test_every_wrong_figure_of_the_report_text_is_listed_on_export(demo: Path) -> None:
    """Two wrong figures in 主要成绩, at 80×24: the dialog lists both (a notice was cut at the screen's height and
    showed only the first), and Esc closes it."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "tab", "enter", *"全年本年支出合计600.00万元，三公经费支出4.22万元")
        await run_command(pilot, "导出报告")
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        message = before_submitting(app)
        assert "报告文字中有 2 处数字与决算数据不符" in message
        assert "619.54" in message and "4.21 万元" in message, message
        await pilot.press("escape")
        assert not isinstance(app.screen, TextScreen)


async def test_export_says_what_zzperf_report_says_before_submitting(demo: Path) -> None:
    """The open 勾稽 error, the items without a score, the unconfirmed scores and the parts of the report left
    empty, as ``zzperf report`` prints them after writing, with the keys or places that lead to them instead of the
    commands."""
    card = Workspace(demo).score(2018)
    assert card.pending and card.drafts
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "导出报告")
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        said = re.sub(r"\s", "", before_submitting(app))
        notes = [
            "· 决算数据有 1 个勾稽错误未解决（报告未附校验结果；数据页 Ctrl+F）",
            f"· {len(card.pending)} 项指标尚未得分，总分与等级为暂定（评分页按 n 逐项查看）",
            f"· {len(card.drafts)} 项评分尚未确认（草稿）：社会效益、可持续影响",
            "· 报告中有 6 处写作“（未填写）”：自评依据的通知、填报日期、年度总体目标（在报告页填写）；"
            "预算编码、联系人、联系电话（在报告页“封面与通知”填写）",
        ]
        assert said == re.sub(r"\s", "", "".join(notes)), said


async def test_import_lists_the_difference_and_writes_after_confirmation(demo: Path) -> None:
    accounts_file = demo / "2018" / "accounts.toml"
    text = accounts_file.read_text(encoding="utf-8")
    assert "expenditure_total = 619.54" in text
    accounts_file.write_text(
        text.replace("expenditure_total = 619.54", "expenditure_total = 600.00", 1), encoding="utf-8"
    )
    assert load_model(accounts_file, Accounts).overview.expenditure_total == Decimal("600.00")
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "导入决算表")
        assert isinstance(app.screen, ImportScreen)
        path_input = app.screen.query_one("#import-path", Input)
        assert app.focused is path_input
        path_input.value = str(SEED)
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "部门决算公开全文.txt" in shown
        summary = str(app.screen.query_one("#import-summary").render())
        assert "600.00 → 619.54" in summary
        assert not list((demo / "2018").glob("accounts.toml.bak-*"))  # nothing written before confirming
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "以导入的数字为准" in screen_text(app)
        await pilot.press("enter")  # 以导入为准并写入
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
        assert load_model(accounts_file, Accounts).overview.expenditure_total == Decimal("619.54")
        backups = list((demo / "2018").glob("accounts.toml.bak-*"))
        assert len(backups) == 1
        assert load_model(backups[0], Accounts).overview.expenditure_total == Decimal("600.00")
        assert app.session.accounts.overview.expenditure_total == Decimal("619.54")  # the app reloaded the year


async def test_import_of_another_departments_file_says_so_before_confirmation(demo: Path) -> None:
    """The same judgement as ``zzperf import``: a workspace named for another department is told, in red, that the
    file looks like another department's (it was the same yellow note as a shorter form of the name)."""
    profile = demo / "zzperf.toml"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace('name = "株洲市政务服务中心"', 'name = "上海市普陀区财政局"'), encoding="utf-8")
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "导入决算表")
        app.screen.query_one("#import-path", Input).value = str(SEED)
        await pilot.press("enter")
        await settle(pilot)
        summary = app.screen.query_one("#import-summary").render()
        said = "注意：文件中的部门是“株洲市政务服务中心”，工作区是“上海市普陀区财政局”：像是另一个部门的决算"
        assert said in str(summary), str(summary)
        start = str(summary).index("像是另一个部门")
        assert any(span.start <= start < span.end and "red" in str(span.style) for span in summary.spans)


async def test_import_of_a_missing_file_says_why(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(demo / "没有这个文件.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert "无法导入" in screen_text(app)
        assert app.screen.query_one("#import-write").disabled


async def test_a_pdf_import_names_the_page_table_and_row_of_each_change(tmp_path: Path) -> None:
    from tests.test_import_pdf import PUTUO
    from zzperf.cli import main

    root = tmp_path / "ws"
    assert main(["init", str(root), "--name", "上海市普陀区财政局", "--year", "2024", "--set", "zhuzhou-zwfw"]) == 0
    assert main(["import", str(PUTUO), str(root)]) == 0
    accounts_file = root / "2024" / "accounts.toml"
    printed = load_model(accounts_file, Accounts).overview.carryover_begin
    text = accounts_file.read_text(encoding="utf-8")
    line = f"carryover_begin = {printed}"
    assert line in text
    accounts_file.write_text(text.replace(line, "carryover_begin = 1.00", 1), encoding="utf-8")
    app = build(root, 2024)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_command(pilot, "导入决算表")
        assert isinstance(app.screen, ImportScreen)
        assert "决算 PDF" in app.screen.query_one("#import-path", Input).placeholder
        app.screen.query_one("#import-path", Input).value = str(PUTUO)
        await pilot.press("enter")
        for _ in range(40):  # the PDF is read in a worker thread
            await settle(pilot)
            if "PDF" in str(app.screen.query_one("#import-summary").render()):
                break
            await pilot.pause(0.5)
        summary = str(app.screen.query_one("#import-summary").render())
        assert "（PDF）" in summary and "第 6 页" in summary  # the tables with the page each starts on
        assert f"1.00 → {printed}（第 7 页 收入支出决算总表 ‘年初结转和结余’）" in summary
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # 以导入为准并写入
        await settle(pilot)
        assert not isinstance(app.screen, ImportScreen)
    assert load_model(accounts_file, Accounts).overview.carryover_begin == printed


async def test_the_preview_breaks_its_paragraphs_as_chinese_is_set(demo: Path) -> None:
    """“根据财政部门开展 2018 年度…”: broken between characters to fill each line, not at the space before “2018”."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: not app.screen.query_one("#preview-status").display)
        viewer = app.screen.query_one("#preview-body")
        paragraph = next(
            block for block in viewer.query("MarkdownParagraph") if "根据财政部门开展" in str(block._content)
        )
        viewer.scroll_to_widget(paragraph, top=True, animate=False)
        await settle(pilot)
        _, y, width, height = paragraph.content_region
        assert height > 1
        shown = screen_text(app).splitlines()[y : y + height]
        lines = [line.split("█")[1].strip(" ▁▂▃▄▅▆▇") for line in shown]  # inside the dialog's border
        assert lines == wrap(paragraph._content.plain, width), lines
        assert not any(line.endswith("2018") for line in lines)


async def test_the_dialog_of_what_to_mend_scrolls_to_its_last_item_at_80x24(demo: Path) -> None:
    """Five wrong figures at 80×24: the dialog's last lines were cut off with nothing to scroll; now its keys stay
    in view and End scrolls its text to the last item."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        text = "本年收入合计600.00万元。本年支出合计610.00万元。年末结转和结余9.00万元。基本支出570.00万元。"
        await pilot.press("f4", "tab", "enter", *text, *"项目支出41.00万元。")
        await run_command(pilot, "导出报告")
        await wait_until(pilot, lambda: isinstance(app.screen, TextScreen))
        assert "报告文字中有 5 处数字与决算数据不符" in before_submitting(app)
        await settle(pilot)
        assert "Esc 或回车关闭" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert "41.00" in screen_text(app)  # the last item, 项目支出
        assert "Esc 或回车关闭" in screen_text(app)
