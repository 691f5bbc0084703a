"""Every Jinja filter and test the report templates use, in one place.

Figures arrive in templates as ``Decimal`` in 万元 (or counts), or ``None`` for no data; all wording
of numbers happens here, so a template never types a number and never computes one by hand.

- Amounts: 2 decimals, 四舍五入 (``608.72``); ``wan`` adds the unit (``608.72 万元``).
- Percentages: 2 decimals, 四舍五入, in tables and in prose alike (``93.54%``).
- Shares of a whole: largest-remainder rounding, so the shares shown add up to exactly 100.00%.
- Changes: 增加/减少/持平 and 增长/下降 chosen by sign; a rate against a zero base is never shown.
- Missing data: ``数据不足``; a division by zero: ``—``; never ``0.00`` for something unknown.

A filter given something it cannot use raises ``FilterError`` with a Chinese message naming the filter
(``FILTERS`` wraps each one), never a bare ``decimal.InvalidOperation``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import ROUND_FLOOR, Decimal, DecimalException
from typing import Any

from zzperf.amounts import HUNDRED, fmt_money, fmt_number, fmt_score, round_half_up
from zzperf.output.markdown import md_cell

NO_DATA = "数据不足"
"""What a missing figure reads as."""
UNDEFINED = "—"
"""What a ratio with a zero (or missing) denominator reads as in a table."""
NOT_FILLED = "（未填写）"
"""What an empty piece of the evaluator's text reads as."""

MAX_PLACES = 10
"""Most decimals a percentage may be shown with."""


class FilterError(ValueError):
    """A filter was given a value or an argument it cannot use; the message is for the template's author."""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"


def _is_figure(value: Any) -> bool:
    """A figure with this year's value and the previous year's (the context's ``Figure``), known by its shape.

    The class is asked, not the value, so that an undefined template variable never raises here.
    """
    return isinstance(getattr(type(value), "comparable", None), property) and hasattr(type(value), "prev")


def _value(value: Any) -> Decimal | None:
    if _is_figure(value):
        return value.now
    if value is None or isinstance(value, Decimal):
        return value if value is None or value.is_finite() else _not_a_number(value)
    if isinstance(value, bool):
        raise FilterError(f"{_shown(value)} 不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except DecimalException:
            raise FilterError(f"{_shown(value)} 不是数字") from None
        return number if number.is_finite() else _not_a_number(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else _not_a_number(value)
    raise FilterError(f"{_shown(value)} 不是数字")


def _not_a_number(value: Any) -> Decimal:
    raise FilterError(f"{_shown(value)} 不是有限的数字")


def _places(places: Any) -> int:
    """A number of decimals a filter may show: 0 to ``MAX_PLACES``."""
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
        raise FilterError(f"小数位数应为 0 到 {MAX_PLACES} 的整数，而不是 {_shown(places)}")
    return places


def _pair(value: Any, base: Any) -> tuple[Decimal | None, Decimal | None]:
    """(now, base) from a Figure (base = previous year) or from two figures."""
    if _is_figure(value) and base is None:
        return value.now, value.prev
    return _value(value), _value(base)


# ── amounts, counts, scores ──────────────────────────────────────────────


def money(value: Any) -> str:
    """An amount in 万元 without the unit, for tables: ``608.72``."""
    amount = _value(value)
    return NO_DATA if amount is None else fmt_money(amount)


def wan(value: Any) -> str:
    """An amount with its unit, for prose: ``608.72 万元``."""
    amount = _value(value)
    return NO_DATA if amount is None else f"{fmt_money(amount)} 万元"


def num(value: Any, unit: str = "") -> str:
    """A head or item count: ``17 人``."""
    number = _value(value)
    if number is None:
        return NO_DATA
    text = fmt_number(number)
    return f"{text} {unit}" if unit else text


def score(value: Any) -> str:
    """A score with 2 decimals; ``—`` while not scored."""
    return fmt_score(_value(value))


# ── percentages and shares ───────────────────────────────────────────────


def pct(value: Any, places: int = 2) -> str:
    """A value already in percent: ``93.5437…`` → ``93.54%``."""
    places = _places(places)
    number = _value(value)
    return NO_DATA if number is None else f"{round_half_up(number, places):.{places}f}%"


def ratio(part: Any, whole: Any) -> Decimal | None:
    """``part / whole × 100``, unrounded; None when either is missing or the whole is zero."""
    numerator, denominator = _value(part), _value(whole)
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def pct_of(part: Any, whole: Any, places: int = 2) -> str:
    """``part`` as a percentage of ``whole``: ``93.54%``; ``数据不足`` or ``—`` when it cannot be computed."""
    places = _places(places)
    numerator, denominator = _value(part), _value(whole)
    if numerator is None or denominator is None:
        return NO_DATA
    if denominator == 0:
        return UNDEFINED
    return pct(numerator / denominator * HUNDRED, places)


def apportion(parts: Sequence[Decimal | None], whole: Decimal | None, places: int = 2) -> list[Decimal | None]:
    """Shares of ``whole`` in percent, rounded so that they add up to exactly 100 when the parts do.

    Largest-remainder method: every share is floored to ``places`` decimals, then the units still
    missing go to the shares with the largest remainders. When plain 四舍五入 already adds up, the
    result is the same as 四舍五入. When the parts do not add up to the whole (inconsistent data),
    each share is rounded on its own and nothing is forced.
    """
    if whole is None or whole == 0:
        return [None for _ in parts]
    exact = [None if part is None else part / whole * HUNDRED for part in parts]
    unit = Decimal(1).scaleb(-places)
    if any(part is None for part in parts) or sum(parts, Decimal(0)) != whole:  # type: ignore[arg-type]
        return [None if share is None else round_half_up(share, places) for share in exact]
    floors = [share.quantize(unit, rounding=ROUND_FLOOR) for share in exact]  # type: ignore[union-attr]
    missing = int((HUNDRED - sum(floors, Decimal(0))) / unit)
    order = sorted(range(len(parts)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)  # type: ignore[operator]
    shares = list(floors)
    for index in order[: max(0, missing)]:
        shares[index] += unit
    return shares  # type: ignore[return-value]


def _public(name: str) -> str:
    """An attribute name a template may ask a filter to read: never a private or special one."""
    if not isinstance(name, str) or name.startswith("_"):
        raise FilterError(f"不能读取属性“{name}”")
    return name


def _shares(items: Sequence[Any], whole: Any, attribute: str) -> list[str]:
    attribute = _public(attribute)
    values = [
        _value(item if isinstance(item, (Decimal, int)) or item is None else getattr(item, attribute)) for item in items
    ]
    if whole is None:
        total = None if any(value is None for value in values) else sum(values, Decimal(0))  # type: ignore[arg-type]
    else:
        total = _value(whole)
    if total is None:
        return [NO_DATA for _ in items]
    if total == 0:
        return [UNDEFINED for _ in items]
    return [NO_DATA if share is None else pct(share) for share in apportion(values, total)]


def with_shares(items: Iterable[Any], whole: Any = None, attribute: str = "now") -> list[tuple[Any, str]]:
    """Pairs ``(item, share)``: each item's ``attribute`` as a share of ``whole`` (default: their sum).

    ``{% for source, share in income.sources|with_shares(income.total) %}``; the shares add up to 100.00%.
    """
    listed = list(items)
    return list(zip(listed, _shares(listed, whole, attribute)))


def share_map(items: Iterable[Any], whole: Any = None, attribute: str = "now", key: str = "name") -> dict[str, str]:
    """The same shares by each item's ``key``: ``{% set share = lines|share_map(total, 'actual') %}``."""
    listed = list(items)
    key = _public(key)
    return {getattr(item, key): share for item, share in zip(listed, _shares(listed, whole, attribute))}


# ── changes ──────────────────────────────────────────────────────────────


def _tiny(text: str) -> str:
    return f"不足 {text}"


def change(value: Any, base: Any = None, unit: str = "万元") -> str:
    """增加/减少/持平 with the amount: ``增加 17.57 万元``; ``数据不足`` when either side is missing.

    ``fig|change`` compares with the previous year; ``actual|change(budget)`` with any base.
    """
    now, before = _pair(value, base)
    if now is None or before is None:
        return NO_DATA
    difference = now - before
    if difference == 0:
        return "持平"
    word = "增加" if difference > 0 else "减少"
    shown = round_half_up(abs(difference))
    amount = fmt_money(abs(difference)) if shown else _tiny("0.01")
    return f"{word} {amount} {unit}".rstrip() if unit else f"{word} {amount}"


def growth(value: Any, base: Any = None) -> str:
    """增长/下降 with the rate: ``增长 2.97%``; ``持平`` when equal.

    Empty when the base is zero (a rate on a zero base means nothing) and ``数据不足`` when a side is
    missing: never ``增长 0.00%`` for something unknown.
    """
    now, before = _pair(value, base)
    if now is None or before is None:
        return NO_DATA
    if now == before:
        return "持平"
    if before == 0:
        return ""
    rate = (now - before) / abs(before) * HUNDRED
    word = "增长" if rate > 0 else "下降"
    shown = round_half_up(abs(rate))
    return f"{word} {pct(abs(rate))}" if shown else f"{word}{_tiny('0.01%')}"


def delta(value: Any, base: Any = None) -> str:
    """A signed difference for tables: ``+17.57``, ``-3.00``, ``0.00``; ``数据不足`` when a side is missing."""
    now, before = _pair(value, base)
    if now is None or before is None:
        return NO_DATA
    difference = round_half_up(now - before)
    return f"+{difference:.2f}" if difference > 0 else f"{difference:.2f}"


def rate(value: Any, base: Any = None) -> str:
    """A signed rate of change for tables: ``+2.97%``; ``—`` on a zero base; ``数据不足`` when a side is missing."""
    now, before = _pair(value, base)
    if now is None or before is None:
        return NO_DATA
    if before == 0:
        return "0.00%" if now == 0 else UNDEFINED
    change_rate = round_half_up((now - before) / abs(before) * HUNDRED)
    return f"+{change_rate:.2f}%" if change_rate > 0 else f"{change_rate:.2f}%"


def yoy(value: Any, base: Any = None, unit: str = "万元", label: str = "上年") -> str:
    """A whole comparison clause: ``比上年（591.15 万元）增加 17.57 万元，增长 2.97%``.

    ``与上年（…）持平`` when equal; ``上年数据不足`` when the base is missing, so a template that
    forgets to test ``is comparable`` still never prints a made-up change.
    """
    now, before = _pair(value, base)
    if before is None:
        return f"{label}{NO_DATA}"
    if now is None:
        return NO_DATA
    shown = wan(before) if unit == "万元" else num(before, unit)
    if now == before:
        return f"与{label}（{shown}）持平"
    rate = growth(now, before)
    return f"比{label}（{shown}）{change(now, before, unit)}" + (f"，{rate}" if rate else "")


# ── words and text ───────────────────────────────────────────────────────

_DIGITS = "零一二三四五六七八九"


def cn(number: int) -> str:
    """A Chinese numeral for headings and lists: 1 → 一, 12 → 十二, 20 → 二十."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    if tens == 0:
        return _DIGITS[ones]
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def filled(text: Any, note: str = NOT_FILLED) -> str:
    """The text, or a visible ``（未填写）`` when the evaluator left it empty."""
    value = "" if text is None else str(text)
    return value if value.strip() else note


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def paragraphs(text: Any) -> list[str]:
    """Non-empty lines of a text field, stripped, without control characters; ``[（未填写）]`` if none."""
    value = "" if text is None else _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    return lines or [NOT_FILLED]


SENTENCE_ENDS = ("。", "！", "？", "；", "…", ".", "!", "?", ";")
"""What may end a sentence (before any closing quotation mark or bracket)."""
CLOSERS = "”’」』）)]】"


def sentence(text: Any) -> str:
    """``text`` ended as a sentence: “。” added unless it already ends with one of ``SENTENCE_ENDS`` (a closing
    quotation mark or bracket after it counts), so that a reason typed without it reads like the others."""
    value = "" if text is None else str(text).strip()
    if not value or value.rstrip(CLOSERS).endswith(SENTENCE_ENDS):
        return value
    return value + "。"


def join_cn(items: Iterable[Any], separator: str = "、") -> str:
    """``综合科、窗口管理科``."""
    return separator.join(str(item) for item in items)


def bar(value: Any, full: Any, width: int | float = 100) -> str:
    """Length of a bar for ``value`` out of ``full`` in a chart ``width`` wide, as SVG wants it: ``62.5``."""
    number, whole, room = _value(value), _value(full), _value(width)
    if number is None or whole is None or whole <= 0:
        return "0"
    length = max(Decimal(0), min(Decimal(1), number / whole)) * (room or Decimal(0))
    return f"{round_half_up(length, 1):.1f}"


def plus(value: Any, offset: Any) -> str:
    """A chart coordinate moved by ``offset``: ``110.0``."""
    start, step = _value(value), _value(offset)
    if start is None or step is None:
        raise FilterError("坐标需要两个数字")
    return f"{round_half_up(start + step, 1):.1f}"


# ── tests ────────────────────────────────────────────────────────────────


def is_comparable(value: Any) -> bool:
    """``{% if fig is comparable %}``: both this year's and the previous year's figure exist."""
    return _is_figure(value) and value.comparable


def is_missing(value: Any) -> bool:
    """``{% if x is missing %}``: no data (None, or a Figure without this year's value)."""
    return _value(value) is None if _is_figure(value) or isinstance(value, (Decimal, type(None))) else False


def is_positive(value: Any) -> bool:
    """``{% if x is positive %}``: a figure greater than zero."""
    number = _value(value) if _is_figure(value) or isinstance(value, (Decimal, int, type(None))) else None
    return number is not None and number > 0


def _explained(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` raising ``FilterError`` in Chinese, naming the filter, for whatever it cannot handle."""

    @functools.wraps(function)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except FilterError as error:
            raise FilterError(f"过滤器 {name}：{error}") from None
        except (DecimalException, OverflowError):
            raise FilterError(f"过滤器 {name}：数字超出可计算的范围") from None
        except (TypeError, ValueError, AttributeError) as error:
            raise FilterError(f"过滤器 {name} 的参数不对（{str(error)[:120]}）") from None

    return filter_


FILTERS: dict[str, Callable[..., Any]] = {
    "money": money,
    "wan": wan,
    "num": num,
    "score": score,
    "pct": pct,
    "pct_of": pct_of,
    "with_shares": with_shares,
    "share_map": share_map,
    "delta": delta,
    "rate": rate,
    "change": change,
    "growth": growth,
    "yoy": yoy,
    "cn": cn,
    "filled": filled,
    "paragraphs": paragraphs,
    "md_cell": md_cell,
    "join_cn": join_cn,
    "sentence": sentence,
    "bar": bar,
    "plus": plus,
}
"""Filters registered on every report environment."""
FILTERS = {name: _explained(name, function) for name, function in FILTERS.items()}

TESTS: dict[str, Callable[..., bool]] = {
    "comparable": is_comparable,
    "missing": is_missing,
    "positive": is_positive,
}
"""Tests registered on every report environment."""
