"""Comparisons as people read them: a terminal table, Markdown, CSV and an Excel workbook.

CSV and the workbook's first sheet hold the same rectangular table, so a finance bureau can sort
and filter it; Markdown and the terminal add the movers, the signals and the summary sentences.
The movers and signals as rich text (``movers_and_signals``) serve the terminal and the TUI's 对比 tab alike.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zzperf.amounts import fmt_number, fmt_score, fmt_signed
from zzperf.compare import PARTIAL_MARK, Cell, DepartmentComparison, Mover, Row, YearComparison
from zzperf.compare.departments import NOT_REVIEWED, DepartmentScore
from zzperf.output.figures import NO_YEAR, figure, figures_csv, fill_figures, provisional_text
from zzperf.output.markdown import md_table
from zzperf.output.xlsx import fill_sheet, new_book, save_book

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from zzperf.report.records import YearScore

LEVELS = {1: "一级", 2: "二级", 3: "三级"}
CHANGE_COLOURS = {"up": "green", "down": "red"}
"""The colour of a score that went up or down, in the terminal and in the TUI."""


# ───────────────────────────── shared pieces ─────────────────────────────


def _points_text(row: Row, years: Sequence[int]) -> str:
    """The row's points, ``3 → 4`` when they changed between years."""
    distinct: list[str] = []
    for year in years:
        cell = row.cells.get(year)
        if cell is not None and (text := fmt_number(cell.points)) not in distinct:
            distinct.append(text)
    return " → ".join(distinct)


def _title(comparison: YearComparison) -> str:
    span = f"{comparison.years[0]}—{comparison.years[-1]}" if len(comparison.years) > 1 else str(comparison.years[0])
    return f"{comparison.name} 部门整体支出绩效自评得分对比（{span} 年度）"


def _pairs(comparison: YearComparison) -> list[tuple[int, int]]:
    return list(zip(comparison.years, comparison.years[1:]))


def _row_hints(comparison: YearComparison, row: Row) -> str:
    hints = [signal.title for signal in comparison.signals_for(row.key)]
    for rank, mover in enumerate(comparison.movers_up, start=1):
        if mover.row.key == row.key:
            hints.append(f"上升第 {rank}")
    for rank, mover in enumerate(comparison.movers_down, start=1):
        if mover.row.key == row.key:
            hints.append(f"下降第 {rank}")
    return "；".join(hints)


def _mover_lines(mover: Mover) -> tuple[str, str, str, str, str]:
    change = mover.change
    return (
        mover.row.name,
        f"{mover.before.score_text} / {fmt_number(mover.before.points)}",
        f"{mover.after.score_text} / {fmt_number(mover.after.points)}",
        change.text,
        "；".join(mover.reasons),
    )


# ───────────────────────────── across years: tables ─────────────────────────────


def years_table(comparison: YearComparison) -> list[list[str]]:
    """The comparison as one table: a header, every indicator, the total and the grade (CSV, xlsx)."""
    header = ["层级", "指标 id", "指标名称", "分值"]
    for year in comparison.years:
        header += [f"{year} 完成值", f"{year} 得分", f"{year} 得分率"]
    header += [f"变化 {a}→{b}" for a, b in _pairs(comparison)]
    header.append("提示")
    table = [header]
    for row in comparison.rows:
        line = [LEVELS.get(row.level, str(row.level)), row.key, row.name, _points_text(row, comparison.years)]
        for year in comparison.years:
            cell = row.cells.get(year)
            if cell is None:
                line += ["—", "—", "—"]
            else:
                line += [cell.value_text, cell.score_text, cell.rate_text]
        line += [change.text for change in row.changes]
        line.append(_row_hints(comparison, row))
        table.append(line)
    total = ["合计", "", "总分", "/".join(dict.fromkeys(fmt_number(c.points) for c in comparison.totals.values()))]
    grade = ["等级", "", "等级", ""]
    for year in comparison.years:
        cell = comparison.totals[year]
        total += ["", cell.score_text, cell.rate_text]
        grade += ["", comparison.grades[year], ""]
    total += [change.text for change in comparison.total_changes]
    grade += ["" for _ in comparison.total_changes]
    total.append("；".join(signal.title for signal in comparison.signals_for(None)))
    grade.append("")
    table += [total, grade]
    return table


def years_csv(comparison: YearComparison) -> str:
    return _csv_text(years_table(comparison))


def years_markdown(comparison: YearComparison) -> str:
    lines = [f"# {_title(comparison)}", ""]
    if comparison.sets_differ:
        lines += ["> **指标体系不同**：一级指标和总分同时按得分率比较。", ""]
    lines += [f"- {note}" for note in comparison.notes]
    if comparison.notes:
        lines.append("")
    sentences = comparison.sentences()
    if sentences:
        lines += ["## 小结", "", "".join(sentences), ""]
    lines += ["## 一级指标与总分", ""]
    lines += md_table(_summary_header(comparison), _summary_rows(comparison))
    lines += ["", "## 逐项对比", ""]
    header = ["指标", "分值"]
    for year in comparison.years:
        header += [f"{year} 完成值", f"{year} 得分"]
    header += [f"变化 {a}→{b}" for a, b in _pairs(comparison)]
    body = []
    for row in comparison.rows:
        name = "　" * (row.level - 1) + (row.name if row.is_leaf else f"**{row.name}**")
        line = [name, _points_text(row, comparison.years)]
        for year in comparison.years:
            line += [row.value_text(year), row.cell_text(year)]
        line += [change.text for change in row.changes]
        body.append(line)
    lines += md_table(header, body)
    lines += _md_movers(comparison)
    lines += ["", "## 提示", ""]
    if comparison.signals:
        lines += [f"- **{signal.title}**：{signal.text}" for signal in comparison.signals]
    else:
        lines.append("- 未发现需要说明的情况。")
    return "\n".join(lines) + "\n"


def _md_movers(comparison: YearComparison) -> list[str]:
    if comparison.previous is None:
        return []
    lines: list[str] = []
    span = f"{comparison.previous}→{comparison.latest}"
    for movers, word in ((comparison.movers_up, "上升"), (comparison.movers_down, "下降")):
        lines += ["", f"## 得分{word}最多的指标（{span}）", ""]
        if not movers:
            lines.append(f"- 没有得分{word}的指标。")
            continue
        header = ["指标", f"{comparison.previous} 得分", f"{comparison.latest} 得分", "变化", "理由"]
        lines += md_table(header, [list(_mover_lines(mover)) for mover in movers])
    return lines


def _summary_header(comparison: YearComparison) -> list[str]:
    header = ["指标"]
    for year in comparison.years:
        header.append(f"{year} 得分 / 分值")
        if comparison.sets_differ:
            header.append(f"{year} 得分率")
    for a, b in _pairs(comparison):
        if comparison.sets_differ:
            header += [f"得分变化 {a}→{b}", f"得分率变化 {a}→{b}"]
        else:
            header.append(f"变化 {a}→{b}")
    return header


def _summary_rows(comparison: YearComparison) -> list[list[str]]:
    rows = []
    entries: list[tuple[str, dict[int, Cell | None], list]] = [
        (row.name, row.cells, row.changes) for row in comparison.top_rows
    ]
    entries.append(("总分", dict(comparison.totals), comparison.total_changes))
    for name, cells, changes in entries:
        line = [name]
        for year in comparison.years:
            cell = cells.get(year)
            line.append("—" if cell is None else f"{cell.score_text} / {fmt_number(cell.points)}")
            if comparison.sets_differ:
                line.append("—" if cell is None else cell.rate_text)
        for change in changes:
            if comparison.sets_differ:
                line += [change.points_text, change.rate_text]
            else:
                line.append(change.text)
        rows.append(line)
    grade = ["等级"]
    for year in comparison.years:
        grade.append(comparison.grades[year])
        if comparison.sets_differ:
            grade.append("")
    grade += [""] * (len(comparison.total_changes) * (2 if comparison.sets_differ else 1))
    rows.append(grade)
    return rows


YEARS_WORDS = {"指标": 8}
"""The years tables' column of words (the names), and the width below which it is squeezed only as a last resort."""


def _stacked(column: str) -> str:
    """A column head on two lines, at its first space (“2017\n得分”): a figure column need not be as wide as it."""
    return column.replace(" ", "\n", 1)


def print_years(console: Console, comparison: YearComparison) -> None:
    """The comparison in the terminal: summary, every indicator, movers, signals, notes.

    Both tables fit the terminal: names wrap, figures stay whole, and on a narrow one the 完成值 columns give way.
    """
    from rich.text import Text

    from zzperf.output.columns import print_fitted

    console.print(Text(_title(comparison), style="bold"))
    for note in comparison.notes:
        console.print(Text(note, style="yellow" if note.startswith("指标体系不同") else "dim"))
    summary = [
        [(cell, "bold" if line[0] in ("总分", "等级") else "") for cell in line] for line in _summary_rows(comparison)
    ]
    full_table = "--format md 或 --out 对比.xlsx"
    summary_header = [_stacked(column) for column in _summary_header(comparison)]
    print_fitted(
        console, "一级指标与总分", summary_header, summary, (), YEARS_WORDS, full_table, "right", mark=PARTIAL_MARK
    )

    header = ["指标", "分值"]
    values = []
    for year in comparison.years:
        values.append(len(header))
        header += [f"{year}\n完成值", f"{year}\n得分"]
    header += [f"变化\n{a}→{b}" for a, b in _pairs(comparison)]
    body = []
    for row in comparison.rows:
        style = "bold" if not row.is_leaf else ""
        cells = [("  " * (row.level - 1) + row.name, style), (_points_text(row, comparison.years), "")]
        for year in comparison.years:
            cell = row.cells.get(year)
            cells += [(row.value_text(year), ""), (row.cell_text(year), "yellow" if cell and cell.unscored else style)]
        cells += [(change.text, CHANGE_COLOURS.get(change.direction or "", "")) for change in row.changes]
        body.append(cells)
    print_fitted(console, "逐项对比", header, body, values, YEARS_WORDS, full_table, "right", mark=PARTIAL_MARK)

    sentences = comparison.sentences()
    if sentences:
        console.print(Text("小结：" + "".join(sentences)))
    block = movers_and_signals(comparison)
    block.rstrip()
    console.print(block)


def movers_and_signals(comparison: YearComparison) -> Text:
    """The largest movers with their reasons, then the signals (or that there are none), as one rich text."""
    from rich.text import Text

    text = Text()
    if comparison.previous is not None:
        for movers, word, direction in ((comparison.movers_up, "上升", "up"), (comparison.movers_down, "下降", "down")):
            if not movers:
                continue
            text.append(f"得分{word}最多（{comparison.previous}→{comparison.latest}）\n", style="bold")
            for mover in movers:
                text.append(f"  {mover.change.text} ", style=CHANGE_COLOURS[direction])
                text.append(f"{mover.row.name}：{'；'.join(mover.reasons)}\n")
            text.append("\n")
    text.append("提示\n", style="bold")
    if comparison.signals:
        for signal in comparison.signals:
            text.append(f"  ⚠ {signal.title}：", style="yellow")
            text.append(signal.text + "\n")
    else:
        text.append("  未发现需要说明的情况。\n", style="dim")
    return text


def write_years_xlsx(comparison: YearComparison, path: Path) -> None:
    book = new_book()
    sheet = book.active
    sheet.title = "得分对比"
    table = years_table(comparison)
    fill_sheet(sheet, table, numeric=set(range(4, len(table[0]) + 1)))
    extra = book.create_sheet("变动与提示")
    lines: list[list[str]] = [[_title(comparison)]]
    sentences = comparison.sentences()
    if sentences:
        lines += [[], ["小结"], ["".join(sentences)]]
    if comparison.previous is not None:
        for movers, word in ((comparison.movers_up, "上升"), (comparison.movers_down, "下降")):
            lines += [[], [f"得分{word}最多的指标（{comparison.previous}→{comparison.latest}）"]]
            lines.append(["指标", f"{comparison.previous} 得分", f"{comparison.latest} 得分", "变化", "理由"])
            lines += [list(_mover_lines(mover)) for mover in movers] or [[f"没有得分{word}的指标"]]
    lines += [[], ["提示"], ["类别", "说明"]]
    lines += [[signal.title, signal.text] for signal in comparison.signals] or [["", "未发现需要说明的情况"]]
    lines += [[], ["说明"]] + [[note] for note in comparison.notes]
    fill_sheet(extra, lines, header=False)
    save_book(book, path)


# ───────────────────────────── across departments ─────────────────────────────


RANKING_FIGURES = ("排名", "总分", "满分", "得分率（%）", "复核", "差", "未得分项数")
"""The ranking file's figure columns besides those of each group and key indicator."""
UNRANKED = "未能读取"


def departments_table(comparison: DepartmentComparison) -> tuple[list[str], list[list[Any]], set[str]]:
    """The ranking as one table of typed cells (CSV, xlsx): its header, its rows and which columns are figures.

    Every figure is a number (or empty): 暂定 is its own column, percentages are in percentage points with ``%`` in
    the header, 未复核 is said in 复核提示. 未自评 departments and workspaces that failed come last, without a
    rank; the failures with their error in 提示.
    """
    header = [
        "排名",
        "部门",
        "工作区",
        "指标体系",
        "总分",
        "暂定",
        "满分",
        "得分率（%）",
        "等级",
        "状态",
        *REVIEW_COLUMNS,
    ]
    figures = set(RANKING_FIGURES)
    for _, name in comparison.groups:
        header += [name, f"{name} 满分", f"{name} 得分率（%）"]
        figures.update(header[-3:])
    units = {suffix: value.unit for d in comparison.departments for suffix, value in d.key_values.items()}
    for suffix, name in comparison.key_columns:
        header.append(f"{name}（{units[suffix]}）" if units.get(suffix) else name)
        figures.add(header[-1])
    header += ["未得分项数", "提示"]
    rows: list[list[Any]] = []
    for department in comparison.departments:
        total = department.total
        provisional = provisional_text(department.pending, department.drafts) if department.self_evaluated else ""
        line: list[Any] = [
            department.rank or None,
            department.name,
            str(department.path),
            f"{department.set.id} v{department.set.version}",
            figure(total.score),
            provisional,
            total.points,
            figure(total.rate),
            department.grade,
            department.state,
            figure(department.review_total),
            figure(department.difference),
            "；".join(([] if department.reviewed else [NOT_REVIEWED]) + list(department.review_flags)),
        ]
        for group_id, _ in comparison.groups:
            cell = department.groups.get(group_id)
            line += [None, None, None] if cell is None else [figure(cell.score), cell.points, figure(cell.rate)]
        for suffix, _ in comparison.key_columns:
            key_value = department.key_values.get(suffix)
            line.append(None if key_value is None else figure(key_value.value))
        line += [department.pending, "；".join(department.flags)]
        rows.append(line)
    for failure in comparison.failures + comparison.absent:
        line = [None, failure.name, str(failure.path)] + [None] * (len(header) - 4) + [failure.error]
        line[header.index("等级")] = NO_YEAR if failure.absent else UNRANKED
        rows.append(line)
    return header, rows, figures


REVIEW_COLUMNS = ("复核", "差", "复核提示")
"""The ranking's 复核 columns: the 复核总分 (未复核 without one), 自评 − 复核, and the inflations flagged."""


def _review_cells(department: DepartmentScore) -> list[str]:
    """复核总分 or 未复核, the difference as a plain number (empty without a 复核), and the flags."""
    difference = department.difference
    return [
        (fmt_score(department.review_total) + ("（暂定）" if department.review_progress else ""))
        if department.reviewed
        else NOT_REVIEWED,
        "" if difference is None else fmt_score(difference),
        "；".join(department.review_flags),
    ]


def departments_csv(comparison: DepartmentComparison) -> str:
    """The ranking as CSV: every figure a plain number, 暂定 in its own column."""
    header, rows, _ = departments_table(comparison)
    return figures_csv(header, rows)


def _department_title(comparison: DepartmentComparison) -> str:
    """The ranking's title: by the 自评 until some department is reviewed, then by the 复核 where there is one."""
    scores = "得分（有复核的按复核）" if comparison.reviewed else "自评得分"
    return f"{comparison.year} 年度部门整体支出绩效{scores}排名（{len(comparison.departments)} 个部门）"


def departments_markdown(comparison: DepartmentComparison) -> str:
    lines = [f"# {_department_title(comparison)}", ""]
    lines += [f"- {note}" for note in comparison.notes]
    if comparison.notes:
        lines.append("")
    header, body = _department_display(comparison)
    lines += md_table(header, body)
    if comparison.failures:
        lines += ["", "## 未能读取", ""]
        lines += [
            f"- **{failure.name}**（{failure.path}）：{_one_line(failure.error)}" for failure in comparison.failures
        ]
    return "\n".join(lines) + "\n"


def _department_display(
    comparison: DepartmentComparison, flags_column: bool = True
) -> tuple[list[str], list[list[str]]]:
    """The ranking for reading: fewer columns than the CSV (group cells show score / points).

    ``flags_column``: the 复核提示 as a column of their own; without it (the terminal) they open the 提示 cell.
    """
    header = ["排名", "部门", "总分", "等级", "状态"]
    if comparison.sets_differ:
        header.insert(3, "得分率")
    shown_review = [
        column
        for column in REVIEW_COLUMNS
        if (column != "复核提示" and comparison.reviewed)
        or (column == "复核提示" and flags_column and comparison.review_flagged)
    ]
    header += shown_review
    header += [name for _, name in comparison.groups]
    header += [name for _, name in comparison.key_columns]
    header.append("提示")
    body = []
    for department in comparison.departments:
        rank = str(department.rank) if department.rank else "—"
        line = [rank, department.name, department.total.score_text, department.grade, department.state or "—"]
        if comparison.sets_differ:
            line.insert(3, department.total.rate_text)
        review = dict(zip(REVIEW_COLUMNS, _review_cells(department)))
        if review["差"]:
            review["差"] = fmt_signed(department.difference)
        line += [review[column] or "—" if column != "复核提示" else review[column] for column in shown_review]
        for group_id, _ in comparison.groups:
            cell = department.groups.get(group_id)
            if cell is None:
                line.append("—")
            elif comparison.sets_differ:
                line.append(f"{cell.score_text}/{fmt_number(cell.points)}（{cell.rate_text}）")
            else:
                line.append(f"{cell.score_text}/{fmt_number(cell.points)}")
        for suffix, _ in comparison.key_columns:
            key_value = department.key_values.get(suffix)
            line.append("—" if key_value is None else key_value.value_text)
        shown_flags = department.flags if flags_column else (*department.review_flags, *department.flags)
        line.append("；".join(shown_flags))
        body.append(line)
    return header, body


WORD_COLUMNS = {"部门": 12, "状态": 6, "提示": 10, "复核提示": 10}
"""Columns of words, which wrap, and the width below which they are never squeezed."""


def _optional_count(comparison: DepartmentComparison) -> int:
    """How many columns just before 提示 may be left out on a narrow terminal: the groups' and key figures'."""
    return len(comparison.groups) + len(comparison.key_columns)


def print_departments(console: Console, comparison: DepartmentComparison) -> None:
    from rich.text import Text

    from zzperf.output.columns import print_fitted

    header, body = _department_display(comparison, flags_column=False)
    last = len(header) - 1  # 提示 always stays
    optional = [header.index("状态"), *range(last - _optional_count(comparison), last)]  # 状态 the last to go
    title = _department_title(comparison)
    full_table = "--format csv 或 --out 排名.xlsx"
    print_fitted(console, title, header, body, optional, WORD_COLUMNS, full_table, "right", mark=PARTIAL_MARK)
    for note in comparison.notes:
        console.print(Text(note, style="dim"))
    if comparison.failures:
        console.print(Text(f"未能读取的工作区（{len(comparison.failures)} 个）：", style="bold red"))
        for failure in comparison.failures:
            console.print(Text(f"  ✗ {failure.name}（{failure.path}）：{_one_line(failure.error)}", style="red"))


def write_departments_xlsx(comparison: DepartmentComparison, path: Path) -> None:
    """The ranking as a workbook: 排名 with numeric figure cells, then 未能读取 and 说明 when there are any."""
    book = new_book()
    sheet = book.active
    sheet.title = "排名"
    header, rows, figures = departments_table(comparison)
    fill_figures(sheet, header, rows[: len(comparison.departments)], figures)
    if comparison.failures:
        failed = book.create_sheet("未能读取")
        fill_sheet(failed, [["部门", "工作区", "原因"]] + [[f.name, str(f.path), f.error] for f in comparison.failures])
    if comparison.notes:
        notes = book.create_sheet("说明")
        fill_sheet(notes, [[note] for note in comparison.notes], header=False)
    save_book(book, path)


# ───────────────────────────── HTML pages ─────────────────────────────

_PAGE_STYLE = (
    "body{font-family:SimSun,'Noto Serif CJK SC',serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #999;padding:3px 8px;text-align:left}"
    "th{background:#eee}h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em}.note{color:#555}"
)


def _html_table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_page(title: str, parts: list[str]) -> str:
    """A self-contained page: inline style, no script, every text escaped by the caller's helpers."""
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_PAGE_STYLE}</style></head><body>\n"
        f"<h1>{escape(title)}</h1>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


def years_html(comparison: YearComparison, history: Sequence[YearScore]) -> str:
    """The comparison as a web page, with the report's charts: the total over the years and each 一级 by year."""
    from zzperf.report.charts import groups_svg, history_svg  # the report's code, needed only for a web page

    parts = [f'<p class="note">{escape(note)}</p>' for note in comparison.notes]
    if comparison.sets_differ:
        parts.append('<p class="note"><b>指标体系不同</b>：一级指标和总分同时按得分率比较。</p>')
    sentences = comparison.sentences()
    if sentences:
        parts += ["<h2>小结</h2>", f"<p>{escape(''.join(sentences))}</p>"]
    parts += ["<h2>总分</h2>", history_svg(history), "<h2>一级指标得分率</h2>", groups_svg(history)]
    parts += ["<h2>一级指标与总分</h2>", _html_table(_summary_header(comparison), _summary_rows(comparison))]
    if comparison.previous is not None:
        for movers, word in ((comparison.movers_up, "上升"), (comparison.movers_down, "下降")):
            parts.append(f"<h2>得分{word}最多的指标（{comparison.previous}→{comparison.latest}）</h2>")
            header = ["指标", f"{comparison.previous} 得分", f"{comparison.latest} 得分", "变化", "理由"]
            rows = [list(_mover_lines(mover)) for mover in movers]
            parts.append(_html_table(header, rows) if rows else f"<p>没有得分{word}的指标。</p>")
    parts.append("<h2>提示</h2>")
    signals = [[signal.title, signal.text] for signal in comparison.signals]
    parts.append(_html_table(["类别", "说明"], signals) if signals else "<p>未发现需要说明的情况。</p>")
    table = years_table(comparison)
    parts += ["<h2>逐项对比</h2>", _html_table(table[0], table[1:])]
    return _html_page(_title(comparison), parts)


def departments_html(comparison: DepartmentComparison) -> str:
    """The ranking as a web page, with each department's score rate as a bar."""
    from zzperf.report.charts import ranking_svg  # the report's code, needed only for a web page

    parts = [f'<p class="note">{escape(note)}</p>' for note in comparison.notes]
    ranked = [(department.name, department.share) for department in comparison.departments]
    parts += ["<h2>得分率</h2>", ranking_svg(ranked)]
    header, body = _department_display(comparison)
    parts += ["<h2>排名</h2>", _html_table(header, body)]
    if comparison.failures:
        rows = [[failure.name, str(failure.path), _one_line(failure.error)] for failure in comparison.failures]
        parts += ["<h2>未能读取</h2>", _html_table(["部门", "工作区", "原因"], rows)]
    return _html_page(_department_title(comparison), parts)


# ───────────────────────────── helpers ─────────────────────────────


def _one_line(text: str) -> str:
    return " ".join(part.strip() for part in text.splitlines())


def _csv_text(table: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(table)
    return buffer.getvalue()
