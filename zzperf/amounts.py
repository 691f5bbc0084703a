"""Amounts as people paste them, and 四舍五入 display of amounts, rates and scores.

Money is ``Decimal`` in 万元 everywhere; rounding happens only here, for display.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

WAN = Decimal(10000)
"""元 per 万元."""

UNITS = {"万元": Decimal(1), "元": 1 / WAN, "亿元": WAN}
"""How many 万元 one of each accepted unit is."""

_DASHES = {"-", "—", "–", "－", "——", "/"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def parse_amount(raw: object, *, blank_is_zero: bool = True) -> Decimal | None:
    """Read an amount as typed or pasted: ``1,234.56``, ``６０８．７２``, ``—``, ``""``, ``12.5万``.

    A dash means zero (the tables print "-" for 0). A blank is zero when ``blank_is_zero``,
    otherwise None (no data). Anything else that is not a number raises ``ValueError``
    with a Chinese message.
    """
    if raw is None:
        return Decimal(0) if blank_is_zero else None
    if isinstance(raw, bool):
        raise ValueError(f"应为金额，得到 {raw!r}")
    if isinstance(raw, Decimal):
        return raw
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    if not isinstance(raw, str):
        raise ValueError(f"应为金额，得到 {raw!r}")
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.replace(" ", "").replace("\u3000", "").replace("−", "-")
    if "," in text:
        if not _GROUPED.fullmatch(text.removesuffix("万元").removesuffix("万")):
            raise ValueError(f"“{raw}”不是金额：逗号只能作千位分隔符（如 1,234.56）；小数点请用“.”")
        text = text.replace(",", "")
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("万"):
        text = text[:-1]
    if text == "":
        return Decimal(0) if blank_is_zero else None
    if text in _DASHES:
        return Decimal(0)
    if not _NUMBER.fullmatch(text):
        raise ValueError(f"“{raw}”不是金额：应为数字，如 608.72、1,234.56 或“-”")
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern already rules this out
        raise ValueError(f"“{raw}”不是金额") from error


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Chinese 四舍五入 to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal | None, places: int = 2) -> str:
    """An amount in 万元 for display: ``608.72``; missing data shows as 数据不足."""
    if value is None:
        return "数据不足"
    return f"{round_half_up(value, places) + 0:.{places}f}"


def fmt_number(value: Decimal | None, places: int = 2) -> str:
    """A count or amount: integers without decimals (``17``), others with ``places`` decimals."""
    if value is None:
        return "数据不足"
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    return f"{round_half_up(value, places):.{places}f}"


def fmt_percent(value: Decimal | None, places: int = 2) -> str:
    """A value already in percent (119.6716…) as ``119.67%``."""
    if value is None:
        return "数据不足"
    return f"{round_half_up(value, places):.{places}f}%"


def fmt_score(value: Decimal | None) -> str:
    """A score with 2 decimals; None shows as a dash meaning 'not scored'."""
    if value is None:
        return "—"
    return f"{round_half_up(value, 2):.2f}"
