"""The 部门整体支出绩效自评表 as an Excel workbook: SUM formulas for every subtotal and the total, with their results.

With the finance bureau's 复核 (context key ``review``), 复核得分, 差 (自评 − 复核, a formula) and 复核意见 stand
beside the 自评得分, and both totals are summed.

openpyxl writes a formula without its result, which Excel computes on opening but other readers (openpyxl,
pandas, previewers) see as empty; ``_cache_results`` writes each result into the file beside its formula.
openpyxl is imported only when a workbook is made.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from zzperf.amounts import fmt_number, fmt_score, round_half_up
from zzperf.review.scores import review_progress

HEADERS = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "状态", "扣分原因")
"""The 自评表's columns; 状态 marks a row 暂定 (scoring still a draft, or a subtotal with items below it without a
score) or says why a leaf has no score yet (待评, 数据不足, 缺理由)."""
POINTS, VALUE, SCORE = 4, 6, 7
"""Columns (1-based) of 分值, 完成值 and 得分."""
REVIEW_HEADERS = (*HEADERS[:6], "自评得分", "复核得分", "差", *HEADERS[7:], "复核意见")
"""The columns with the 复核 beside the 自评."""
REVIEW, DIFFERENCE = 8, 9
"""Columns (1-based) of 复核得分 and 差 in ``REVIEW_HEADERS``."""


def render_xlsx(context: dict[str, Any]) -> bytes:
    """The 部门整体支出绩效自评表 with live SUM formulas for every subtotal and the total."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.merge import MergedCellRange

    scores = context["scores"]
    review = context.get("review")
    book = Workbook()
    sheet = book.active
    sheet.title = "自评表"
    headers = REVIEW_HEADERS if review is not None else HEADERS
    widths = (10, 14, 24, 8, 16, 16, 8, 8, 8, 8, 40, 40) if review is not None else (10, 14, 24, 8, 16, 16, 8, 8, 48)
    summed = {POINTS, SCORE, REVIEW} if review is not None else {POINTS, SCORE}
    """Columns whose subtotals and total are SUM formulas."""
    figures = summed | {DIFFERENCE} if review is not None else summed
    centred = {1, 2, 4, 7, 8, 9, 10} if review is not None else {1, 2, 4, 7, 8}
    results: dict[str, Decimal] = {}
    """Each formula cell's result, by coordinate."""
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="仿宋", size=10.5)
    bold = Font(name="黑体", size=10.5)
    wrap = Alignment(wrap_text=True, vertical="center")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    shade = PatternFill("solid", fgColor="D9D9D9")
    light = PatternFill("solid", fgColor="F2F2F2")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    def merge(first_row: int, first_column: int, last_row: int, last_column: int) -> None:
        """Merge a block; the cells under it keep their borders and lose their values (as Excel shows them)."""
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                if (row, column) != (first_row, first_column):
                    sheet.cell(row, column).value = None
        corner, end = f"{get_column_letter(first_column)}{first_row}", f"{get_column_letter(last_column)}{last_row}"
        sheet.merged_cells.add(MergedCellRange(sheet, f"{corner}:{end}"))

    merge(1, 1, 1, len(headers))
    sheet["A1"] = "部门整体支出绩效自评表" + ("（含财政局复核）" if review is not None else "")
    sheet["A1"].font = Font(name="黑体", size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    merge(2, 1, 2, len(headers))
    sheet["A2"] = (
        f"部门（单位）名称：{context['dept'].name}    评价年度：{context['year']} 年度    指标体系：{scores.set_name}"
    )
    if review is not None:
        sheet["A2"] = f"{sheet['A2'].value}    复核：{review.reviewer or '财政局'}"
    sheet["A2"].font = body
    header_row = 3
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column, title)
        cell.font, cell.alignment, cell.border, cell.fill = bold, centre, border, shade
    sheet.row_dimensions[header_row].height = 22

    row_number = header_row
    top_refs: list[tuple[str, str]] = []
    rows_by_level1: dict[str, list] = {}
    for row in scores.rows:
        if row.kind == "leaf":
            rows_by_level1.setdefault(row.level1, []).append(row)

    named: dict[tuple[int, bool, str | None, int], str] = {}

    def style(font: Font, centred: bool, number: str | None, fill: PatternFill | None) -> str:
        """One registered named style per combination: far quicker than styling each cell."""
        key = (id(font), centred, number, id(fill))
        if key not in named:
            from openpyxl.styles import NamedStyle

            name = f"zzperf{len(named)}"
            look = NamedStyle(name=name, font=font, border=border, alignment=centre if centred else wrap)
            if number:
                look.number_format = number
            if fill is not None:
                look.fill = fill
            book.add_named_style(look)
            named[key] = name
        return named[key]

    def put(
        values: tuple[Any, ...],
        *,
        font: Font = body,
        fill: PatternFill | None = None,
        unit: str = "",
        reviewed: tuple[Any, Any, str] = (None, None, ""),
    ) -> int:
        """One row; ``values`` in ``HEADERS`` order, ``reviewed`` the 复核得分, 差 and 复核意见 (with a review)."""
        nonlocal row_number
        row_number += 1
        lines = 1
        if review is not None:
            difference = reviewed[1]
            if difference == "=":  # 差 as a formula over this row's two scores
                difference = f"=G{row_number}-H{row_number}"
            values = (*values[:7], reviewed[0], difference, *values[7:], reviewed[2])
        for column, value in enumerate(values, start=1):
            coordinate = f"{get_column_letter(column)}{row_number}"
            if isinstance(value, str) and value.startswith("=SUM(") and column in summed:
                results[coordinate] = _sum(sheet, value, results)
            elif isinstance(value, str) and value.startswith("=") and column == DIFFERENCE and review is not None:
                results[coordinate] = _cell_value(sheet, f"G{row_number}", results) - _cell_value(
                    sheet, f"H{row_number}", results
                )
            cell = sheet.cell(row_number, column, value)
            number = "0.00" if column in figures else None
            if column == VALUE and isinstance(value, Decimal):
                whole = value == value.to_integral_value() and unit not in MONEY_UNITS  # 54875 件, not 54875.00
                number = '0.00"%"' if unit == "%" else "0" if whole else "0.00"
            cell.style = style(font, column in centred, number, fill)
            if isinstance(value, str) and value.startswith("=") and column not in figures:
                cell.data_type = "s"  # text such as "=0%" is shown as written, never run as a formula
            label_of_merged_row = font is bold and column < 4  # spans several columns
            if isinstance(value, str) and cell.data_type == "s" and not label_of_merged_row:
                lines = max(lines, _wrapped_lines(value, widths[column - 1]))
        if lines > 1:  # Excel does not grow rows for wrapped text written by a program
            sheet.row_dimensions[row_number].height = 14 * lines + 4
        return row_number

    for group in scores.groups:
        leaves = rows_by_level1.get(group.name, [])
        level2_refs: list[str] = []
        first_of_group = row_number + 1
        by_level2: dict[str, list] = {}
        for leaf in leaves:
            by_level2.setdefault(leaf.level2, []).append(leaf)
        for level2, members in by_level2.items():
            first = row_number + 1
            for leaf in members:
                value = leaf.actual if leaf.value is None else round_half_up(leaf.value)
                put(
                    (
                        leaf.level1,
                        leaf.level2,
                        leaf.level3 or leaf.level2 or leaf.level1,
                        leaf.points,
                        leaf.target,
                        value,
                        leaf.score,
                        leaf.mark,
                        leaf.reason,
                    ),
                    unit=leaf.unit,
                    reviewed=(leaf.review_score, "=" if leaf.difference is not None else None, leaf.review_text),
                )
            end = row_number
            if level2 and leaf.level3:
                if end > first:
                    merge(first, 2, end, 2)
                subtotal = put(
                    (
                        group.name,
                        f"{level2}小计",
                        None,
                        f"=SUM(D{first}:D{end})",
                        None,
                        None,
                        _summed(f"=SUM(G{first}:G{end})", members),
                        "暂定" if any(leaf.mark for leaf in members) else None,
                        None,
                    ),
                    font=bold,
                    fill=light,
                    reviewed=(f"=SUM(H{first}:H{end})", "=", ""),
                )
                merge(subtotal, 2, subtotal, 3)
                level2_refs.append(str(subtotal))
            else:
                level2_refs.extend(str(number) for number in range(first, end + 1))
        if row_number >= first_of_group:
            merge(first_of_group, 1, row_number, 1)
        pending = group.pending_text
        subtotal = put(
            (
                f"{group.name}小计",
                None,
                None,
                "=SUM(" + ",".join(f"D{r}" for r in level2_refs) + ")",
                None,
                None,
                _summed("=SUM(" + ",".join(f"G{r}" for r in level2_refs) + ")", leaves),
                "" if group.complete else "暂定",
                pending,
            ),
            font=bold,
            fill=shade,
            reviewed=("=SUM(" + ",".join(f"H{r}" for r in level2_refs) + ")", "=", ""),
        )
        merge(subtotal, 1, subtotal, 3)
        top_refs.append((f"D{subtotal}", f"G{subtotal}"))

    total = put(
        (
            "合计",
            None,
            None,
            "=SUM(" + ",".join(d for d, _ in top_refs) + ")",
            None,
            None,
            "=SUM(" + ",".join(g for _, g in top_refs) + ")" if scores.scored_count else NO_SCORE,
            "" if scores.complete else "暂定",
            "；".join(scores.adjustments),
        ),
        font=bold,
        fill=shade,
        reviewed=("=SUM(" + ",".join(f"H{g[1:]}" for _, g in top_refs) + ")", "=", _review_note(review)),
    )
    merge(total, 1, total, 3)
    review_adjusted = review is not None and review.adjustments
    if scores.adjustments or review_adjusted:
        adjusted = put(
            ("折算或封顶后总分", None, None, None, None, None, scores.total, None, "；".join(scores.adjustments)),
            font=bold,
            reviewed=(review.total, "=", "；".join(review.adjustments)) if review is not None else (None, None, ""),
        )
        merge(adjusted, 1, adjusted, 3)
    grade = put(
        (
            "等级" if review is not None else "自评等级",
            None,
            None,
            None,
            None,
            None,
            scores.grade_text,
            None,
            _pending_note(scores),
        ),
        font=bold,
        reviewed=(review.grade_text, None, "") if review is not None else (None, None, ""),
    )
    merge(grade, 1, grade, 3)

    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    book.properties.title = f"{context['dept'].name}{context['year']}年度部门整体支出绩效自评表"
    book.properties.creator = "zzperf"
    buffer = io.BytesIO()
    book.save(buffer)
    return _cache_results(buffer.getvalue(), results)


MONEY_UNITS = ("万元", "元", "亿元")
"""完成值 units shown with two decimals even when whole; a count (件, 人, 个) is shown as the whole number it is."""

NO_SCORE = "—"
"""A subtotal none of whose indicators has a score yet, as ``zzperf score`` shows it: a SUM would show 0.00."""


def _summed(formula: str, leaves: list[Any]) -> str:
    """The SUM ``formula`` of a subtotal's 得分, or ``NO_SCORE`` when none of its ``leaves`` has one (Excel's SUM
    skips the text when the subtotal is itself summed)."""
    return formula if any(leaf.score is not None for leaf in leaves) else NO_SCORE


def _sum(sheet: Any, formula: str, results: dict[str, Decimal]) -> Decimal:
    """What Excel computes for ``=SUM(D4:D9)`` or ``=SUM(D10,D14)`` over the cells written so far (blanks are 0)."""
    from openpyxl.utils import range_boundaries

    total = Decimal(0)
    for part in formula[len("=SUM(") : -1].split(","):
        first_column, first_row, last_column, last_row = range_boundaries(part if ":" in part else f"{part}:{part}")
        for row in range(first_row, last_row + 1):
            for column in range(first_column, last_column + 1):
                value = sheet.cell(row, column).value
                if isinstance(value, str) and value.startswith("="):
                    total += results[sheet.cell(row, column).coordinate]
                elif isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                    total += Decimal(value)
    return total


_FORMULA_CELL = re.compile(r'(<c r="([A-Z]+[0-9]+)"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(?:</v>)?')


def _cache_results(data: bytes, results: dict[str, Decimal]) -> bytes:
    """The workbook with each formula's result stored beside it, as Excel itself saves them."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                text = content.decode("utf-8")
                text = _FORMULA_CELL.sub(
                    lambda match: (
                        f"{match[1]}{match[3]}<v>{results[match[2]]}</v>" if match[2] in results else match[0]
                    ),
                    text,
                )
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _cell_value(sheet: Any, coordinate: str, results: dict[str, Decimal]) -> Decimal:
    """What Excel takes a cell to be in arithmetic: a formula's result, a number, or 0 when blank."""
    value = sheet[coordinate].value
    if isinstance(value, str) and value.startswith("="):
        return results[coordinate]
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(0)


def _review_note(review: Any) -> str:
    """The 复核意见 of the total row: who reviewed, the difference, and whether the 自评 is inflated."""
    if review is None:
        return ""
    notes = [review_progress(review.reviewed_count, review.leaf_count) or f"已复核全部 {review.leaf_count} 项"]
    if review.inflated:
        at_least = fmt_number(review.threshold)
        notes.append(f"自评总分高于复核总分 {fmt_score(review.difference)} 分（≥ {at_least} 分），自评明显偏高")
    return "；".join(notes)


def _wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (a CJK character counts two)."""
    import math
    import unicodedata

    room = max(1.0, width - 1.5)
    total = 0
    for line in text.split("\n"):
        size = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
        total += max(1, math.ceil(size / room))
    return total


def _pending_note(scores: Any) -> str:
    notes = []
    if not scores.complete:
        names = "、".join(f"{item.name}（{item.status}）" for item in scores.pending)
        notes.append(f"暂定：尚有 {len(scores.pending)} 项共 {fmt_score(scores.pending_points)} 分未得分：{names}")
    if scores.held_back:
        notes.append(f"{len(scores.held_back)} 项评分缺理由，得分为草稿，未计入总分：{'、'.join(scores.held_back)}")
    if scores.drafts:
        notes.append(f"{len(scores.drafts)} 项评分未经评价人确认（草稿）：{'、'.join(scores.drafts)}")
    return "；".join(notes)
