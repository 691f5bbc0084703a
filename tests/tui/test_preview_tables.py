"""The report preview's tables read off the screen as a reviewer reads them: each cell in full, figures flush right."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.containers import ScrollableContainer
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import MarkdownViewer
from textual.widgets._markdown import MarkdownTable

from tests.tui.tui_helpers import build, screen_text, settle, wait_until
from zzperf.output.columns import narrowed
from zzperf.output.lines import narrowest_width, wrap
from zzperf.report import context_for, render_text
from zzperf.tui.widgets.markdown import WIDER, ProseMarkdown, TableScroll, TableWider
from zzperf.workspace import Workspace

RULE_STARTS = "┌├└"
EDGE = " █▎▁▂▃▄▅▆▇"
"""What may follow a table's line on the screen: the dialog's padding, border and the preview's scroll bar."""


def report_tables(text: str) -> list[tuple[list[list[str]], list[bool]]]:
    """The tables of the Markdown report ``text``: their rows (the header first) as the reader should see each cell,
    and which columns are set flush right (``---:``)."""
    tables: list[tuple[list[list[str]], list[bool]]] = []
    block: list[str] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            rows = [[cell.strip().replace("**", "") for cell in row.strip()[1:-1].split("|")] for row in block]
            tables.append(([rows[0], *rows[2:]], [cell.endswith(":") for cell in rows[1]]))
            block = []
    return tables


def visible_chars(line: str, start: int, end: int) -> dict[int, str]:
    """The characters of the screen ``line`` wholly within the cells ``start`` to ``end``, by the cell they open."""
    chars: dict[int, str] = {}
    x = 0
    for char in line:
        width = cell_len(char)
        if start <= x and x + width <= end:
            chars[x] = char
        x += width
    return chars


async def table_on_screen(pilot: Pilot, viewer: MarkdownViewer, table: Widget) -> list[str]:  # type: ignore[type-arg]
    """Every line of ``table`` as the screen shows it, brought into view as a reader would: the preview paged down
    and, when the table scrolls sideways, the table scrolled across at each page."""
    app = pilot.app
    across = list(table.query(ScrollableContainer))
    seen: dict[int, dict[int, str]] = {}
    viewer.scroll_to_widget(table, top=True, animate=False)
    await settle(pilot)
    while True:
        view = viewer.content_region
        top, bottom = max(table.region.y, view.y), min(table.region.bottom, view.bottom)
        left, right = max(table.region.x, view.x), min(table.region.right, view.right)
        steps = range(0, across[0].max_scroll_x + right - left, max(right - left - 2, 1)) if across else [0]
        for step in steps:
            scroll_x = 0
            if across:
                across[0].scroll_to(x=step, animate=False)
                await settle(pilot)
                scroll_x = round(across[0].scroll_x)
            shown = screen_text(app).splitlines()
            for y in range(top, bottom):
                chars = visible_chars(shown[y], left, right)
                seen.setdefault(y - table.region.y, {}).update(
                    {x - table.region.x + scroll_x: char for x, char in chars.items()}
                )
        if table.region.bottom <= view.bottom:
            break
        viewer.scroll_relative(y=bottom - top - 1, animate=False)
        await settle(pilot)
    return ["".join(chars[x] for x in sorted(chars)) for _, chars in sorted(seen.items())]


def cells_of(lines: list[str]) -> list[list[list[str]]]:
    """The rows of a table drawn in ``lines``: each row's cells, each cell the pieces of its lines between the rules."""
    rows: list[list[list[str]]] = []
    for line in lines:
        drawn = line.strip()
        if drawn[:1] in RULE_STARTS:
            rows.append([])
        elif drawn.startswith("│"):
            slots = drawn[1:-1].split("│")
            if not rows[-1]:
                rows[-1] = [[] for _ in slots]
            for cell, slot in zip(rows[-1], slots):
                cell.append(slot)
    return [row for row in rows if row]


@pytest.mark.parametrize("size", [(100, 30), (80, 24)], ids=["100x30", "80x24"])
async def test_every_table_cell_of_the_preview_can_be_read_in_full(demo: Path, size: tuple[int, int]) -> None:
    """The score table's 扣分原因, a 指标体系 name, a 执行率 header: each shown whole, wrapped inside its cell and not
    cut with “…”; a figure stays on one line flush right in its column."""
    expected = report_tables(render_text(context_for(Workspace(demo), 2018), "md"))
    app = build(demo)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: not app.screen.query_one("#preview-status").display)
        viewer = app.screen.query_one(MarkdownViewer)
        tables = list(viewer.query(MarkdownTable))
        assert len(tables) == len(expected) >= 9
        for table, (rows, flush_right) in zip(tables, expected):
            lines = await table_on_screen(pilot, viewer, table)
            assert not any("…" in line for line in lines), lines
            shown = cells_of(lines)
            assert len(shown) == len(rows), lines
            for row_index, (cells, texts) in enumerate(zip(shown, rows)):
                assert len(cells) == len(texts), lines
                for slots, text, right in zip(cells, texts, flush_right):
                    read = "".join(piece.strip() for piece in slots)
                    assert "".join(read.split()) == "".join(text.split()), (text, slots)
                    if right and row_index and text:  # a figure: on one line, one space from the column's rule
                        assert any(slot.endswith(f"{text} ") for slot in slots), (text, slots)
        assert "扣分原因" in expected[-1][0][0] and "得分" in expected[-1][0][0]


async def test_a_table_wider_than_the_preview_scrolls_sideways_from_the_keyboard(demo: Path) -> None:
    """At 80 columns the score table's eight columns do not fit: Tab selects it and → brings its last column into
    view, down to the rule that closes the table on the right."""
    app = build(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: not app.screen.query_one("#preview-status").display)
        assert "Tab 选中后 ←/→ 左右滚动" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        table = next(table for table in app.screen.query(MarkdownTable) if app.focused in table.query("*"))
        wider = table.query_one(TableWider)  # the line above says the table goes on to the right
        assert wider.display and str(wider.content) == WIDER
        app.screen.query_one(MarkdownViewer).scroll_to_widget(wider, animate=False, top=True)
        await settle(pilot)
        assert WIDER in screen_text(app).splitlines()[wider.region.y]
        region = app.focused.region  # the table's sideways scroll
        shown = screen_text(app).splitlines()[region.y : region.y + 2]
        assert "一级指标" in shown[1] and "扣分原因" not in shown[1] and not shown[0].rstrip(EDGE).endswith("┐")
        for _ in range(30):
            await pilot.press("right")
        await settle(pilot)
        shown = screen_text(app).splitlines()[region.y : region.y + 2]
        assert "扣分原因" in shown[1] and shown[0].rstrip(EDGE).endswith("┐"), shown
        narrow = [t for t in app.screen.query(MarkdownTable) if t is not table]
        assert not any(t.query_one(TableWider).display for t in narrow if t.query(TableScroll)[0].max_scroll_x == 0)


def test_columns_narrow_widest_first_and_never_below_their_narrowest() -> None:
    """Four columns of 8, 14, 30 and 211 cells in 60: the two long ones give way first; a 211-cell reason in 20 cells
    stays no narrower than its floor, and the sum exceeds the space only when the floors do."""
    natural, floors = [8, 14, 30, 211], [8, 8, 8, 10]
    assert narrowed(natural, floors, sum(natural) - 300) == [8, 14, 30, 211]
    assert narrowed(natural, floors, sum(natural) - 60) == [8, 14, 19, 19]
    assert narrowed(natural, floors, sum(natural) - 20) == [8, 8, 8, 10]


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("≥50000 件", 9),  # a figure and its unit
        ("全年办理 54875 件，其中", 10),  # and the comma that cannot open a line
        ("40.00%（≥30%），目标", 10),  # brackets kept with what they enclose
        ("公开06表 301 工资福利支出", 3),  # “301 工” is a figure before a word, not a unit
        ("绩效目标合理性", 2),  # a Chinese character
        ("写作 537.71 万元", 11),  # a figure and its unit of two characters
        ("年初预算（万元）", 8),  # a short bracketed unit
        ("其余按自评计；11 项公式指标缺数据", 5),  # a number and its measure word, whatever follows
    ],
)
def test_a_cell_is_never_narrower_than_its_longest_unbroken_piece(text: str, width: int) -> None:
    assert narrowest_width(text) == width


@pytest.mark.parametrize(
    "text",
    [
        "说明中写作 537.71 万元（表列 577.72 万元），另有 11 项公式指标缺数据",
        "年初预算（万元） 本年支出合计（万元）",
        "每超 1 个百分点扣 0.2 分，扣完为止",
        "公用经费控制率 = 机关运行经费支出 313.35 ÷ 机关运行经费预算数 285.21",
    ],
)
def test_at_its_narrowest_width_a_text_keeps_its_units_and_every_line_fits(text: str) -> None:
    width = narrowest_width(text)
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines), lines
    for pair in ("537.71 万元", "577.72 万元", "11 项", "（万元）", "1 个", "0.2 分"):
        assert sum(line.count(pair) for line in lines) == text.count(pair), (pair, lines)
    assert any(cell_len(line) == width for line in lines)  # its widest piece takes the whole width


async def test_a_table_keeps_a_figure_with_its_unit_as_the_line_breaker_does() -> None:
    """The preview's tables break a cell by the line breaker's rules: “537.71 万元” and “11 项” are never parted,
    however narrow the preview (a copy of older rules split them as “537.71” / “万元”)."""
    from textual.app import App

    table = (
        "| 指标 | 说明 |\n| --- | --- |\n"
        "| 一般公共服务 | 说明中写作 537.71 万元（表列 577.72 万元），另有 11 项公式指标缺数据 |\n"
    )

    class Preview(App[None]):
        def compose(self):  # noqa: ANN202
            yield ProseMarkdown(table)

    app = Preview()
    async with app.run_test(size=(36, 24)) as pilot:
        await settle(pilot)
        assert not app.query_one(TableWider).display  # the whole table in view
        lines = screen_text(app).splitlines()
        reason = "".join(piece.strip() for piece in cells_of(lines)[1][1])
        assert "".join(reason.split()) == "说明中写作537.71万元（表列577.72万元），另有11项公式指标缺数据", lines
        for pair in ("537.71 万元", "577.72 万元），", "11 项"):
            assert any(pair in line for line in lines), (pair, lines)


def test_a_short_name_column_stays_whole_while_the_long_columns_can_fold() -> None:
    """The 2017 preview's 预算执行 table at 100 columns read “本年支出合 / 计”: every column was narrowed alike. A name
    of six characters stays whole while the long headings can give up the room; when they cannot, it folds too."""
    from textual.content import Content

    from zzperf.tui.widgets.markdown import ProseTableGrid

    headings = [
        "项目",
        "年初预算（万元）",
        "全年预算（万元）",
        "全年执行数（万元）",
        "执行率（占全年预算）",
        "执行率（占年初预算）",
    ]
    row = ["本年支出合计", "数据不足", "数据不足", "597.72", "数据不足", "数据不足"]
    grid = ProseTableGrid(
        [[(Content(text), False) for text in headings], [(Content(text), index > 0) for index, text in enumerate(row)]]
    )
    frame = 3 * len(headings) + 1
    assert grid.column_widths(90 - frame)[0] == 12  # whole: “本年支出合计”
    assert sum(grid.column_widths(90 - frame)) <= 90 - frame
    assert grid.column_widths(60 - frame)[0] < 12  # no room: it folds rather than the table going past the preview
