"""Charts of scores as inline SVG: the total over the years and each 一级 indicator's score rate by year.

The report's HTML and ``zzperf compare --format html`` draw the same charts from the same ``YearScore``
records. The markup is self-contained (no script, no font or style sheet from elsewhere) and every text in it
is escaped, so it can be placed into a page as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from zzperf.amounts import HUNDRED, fmt_percent, fmt_score
from zzperf.report.records import YearScore

COLOURS = ("#9b1c1c", "#1f4e79", "#7f6000", "#375623", "#5b2c6f", "#7b7b7b")
"""One colour per year, the latest year first."""
BAR_TRACK = "#e3e3e3"
FONT = 'font-family="SimHei, 黑体, Noto Sans CJK SC, sans-serif" font-size="13"'


def _n(value: Decimal | float) -> str:
    """A coordinate with one decimal."""
    return f"{float(value):.1f}"


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" style="max-width: 100%; height: auto" role="img" '
        f'aria-label="{escape(label)}" {FONT}>\n' + "\n".join(body) + "\n</svg>"
    )


def _colour(index: int, count: int) -> str:
    """The latest year (the last of ``count``) takes the first colour."""
    return COLOURS[(count - 1 - index) % len(COLOURS)]


def history_svg(history: Sequence[YearScore]) -> str:
    """Column chart of the total score by year; a provisional total is marked 暂定, an unscored year 未评分."""
    if not history:
        return ""
    top = max(item.full for item in history) or HUNDRED
    plot, base, column, gap = 180.0, 210.0, 56.0, 40.0
    width = 60 + len(history) * (column + gap)
    body = [
        f'  <line x1="50" y1="{_n(base)}" x2="{_n(width - 10)}" y2="{_n(base)}" stroke="#333" stroke-width="1"/>',
        f'  <text x="44" y="{_n(base + 4)}" text-anchor="end">0</text>',
        f'  <text x="44" y="{_n(base - plot + 4)}" text-anchor="end">{escape(fmt_score(top))}</text>',
        f'  <line x1="50" y1="{_n(base - plot)}" x2="{_n(width - 10)}" y2="{_n(base - plot)}" stroke="#bbb" '
        'stroke-width="0.5" stroke-dasharray="4 3"/>',
    ]
    for index, item in enumerate(history):
        x = 60 + index * (column + gap)
        centre = x + column / 2
        if item.total is None:
            body.append(f'  <text x="{_n(centre)}" y="{_n(base - 8)}" text-anchor="middle">未评分</text>')
        else:
            height = float(item.total) / float(top) * plot
            fill = _colour(index, len(history))
            pattern = "" if item.complete else ' fill-opacity="0.55" stroke="#333" stroke-dasharray="3 2"'
            body.append(
                f'  <rect x="{_n(x)}" y="{_n(base - height)}" width="{_n(column)}" height="{_n(height)}" '
                f'fill="{fill}"{pattern}/>'
            )
            label = fmt_score(item.total) + ("（暂定）" if not item.complete else "")
            body.append(
                f'  <text x="{_n(centre)}" y="{_n(base - height - 6)}" text-anchor="middle">{escape(label)}</text>'
            )
        body.append(f'  <text x="{_n(centre)}" y="{_n(base + 18)}" text-anchor="middle">{item.year} 年</text>')
        if item.total is not None and item.grade:
            body.append(
                f'  <text x="{_n(centre)}" y="{_n(base + 34)}" text-anchor="middle">{escape(item.grade)}</text>'
            )
    return _svg(width, base + 44, "各年度自评总分", body)


def groups_svg(history: Sequence[YearScore]) -> str:
    """Bar chart of each 一级 indicator's score rate (得分 ÷ 分值), one bar per year, with the score written beside."""
    if not history:
        return ""
    names: list[str] = []
    for item in history:
        for group in item.groups:
            if group.name not in names:
                names.append(group.name)
    by_year = [{group.name: group for group in item.groups} for item in history]
    years = len(history)
    bar, row_gap, label_width, track = 16.0, 14.0, 110.0, 300.0
    legend = 24.0 if years > 1 else 0.0
    block = years * (bar + 2) + row_gap
    height = legend + len(names) * block + 8
    width = label_width + track + 300
    body: list[str] = []
    if years > 1:
        for index, item in enumerate(history):
            x = label_width + index * 80
            body.append(f'  <rect x="{_n(x)}" y="4" width="12" height="12" fill="{_colour(index, years)}"/>')
            body.append(f'  <text x="{_n(x + 16)}" y="15">{item.year} 年</text>')
    for row, name in enumerate(names):
        top = legend + row * block
        body.append(f'  <text x="0" y="{_n(top + (years * (bar + 2)) / 2 + 4)}">{escape(name)}</text>')
        for index, groups in enumerate(by_year):
            y = top + index * (bar + 2)
            group = groups.get(name)
            body.append(
                f'  <rect x="{_n(label_width)}" y="{_n(y)}" width="{_n(track)}" height="{_n(bar)}" fill="{BAR_TRACK}" '
                'stroke="#999" stroke-width="0.5"/>'
            )
            if group is None:
                text = f"{history[index].year} 年无此指标"
            elif group.score is None:
                text = f"{history[index].year}：未评分" if years > 1 else "未评分"
            else:
                rate = group.score / group.points if group.points else Decimal(0)
                length = max(0.0, min(1.0, float(rate))) * track
                body.append(
                    f'  <rect x="{_n(label_width)}" y="{_n(y)}" width="{_n(length)}" height="{_n(bar)}" '
                    f'fill="{_colour(index, years)}"/>'
                )
                text = f"{fmt_score(group.score)} / {fmt_score(group.points)}"
                if group.pending_text:
                    text += f"（{group.pending_text}）"
                if years > 1:
                    text = f"{history[index].year}：{text}"
            body.append(f'  <text x="{_n(label_width + track + 8)}" y="{_n(y + bar - 3)}">{escape(text)}</text>')
    return _svg(width, height, "一级指标得分", body)


def ranking_svg(ranked: Sequence[tuple[str, Decimal | None]]) -> str:
    """Horizontal bars of each department's score rate (得分率, percent), in ranking order; 未评分 where none."""
    if not ranked:
        return ""
    bar, gap, label_width, track = 16.0, 6.0, 220.0, 360.0
    body: list[str] = []
    for row, (name, rate) in enumerate(ranked):
        y = 4 + row * (bar + gap)
        body.append(f'  <text x="0" y="{_n(y + bar - 3)}">{escape(name)}</text>')
        body.append(
            f'  <rect x="{_n(label_width)}" y="{_n(y)}" width="{_n(track)}" height="{_n(bar)}" fill="{BAR_TRACK}" '
            'stroke="#999" stroke-width="0.5"/>'
        )
        if rate is None:
            text = "未评分"
        else:
            length = min(max(float(rate), 0.0), 100.0) / 100 * track
            body.append(
                f'  <rect x="{_n(label_width)}" y="{_n(y)}" width='
                f'"{_n(length)}" height="{_n(bar)}" fill="{COLOURS[1]}"/>'
            )
            text = fmt_percent(rate)
        body.append(f'  <text x="{_n(label_width + track + 8)}" y="{_n(y + bar - 3)}">{escape(text)}</text>')
    return _svg(label_width + track + 90, 8 + len(ranked) * (bar + gap), "各部门得分率", body)
