"""Amounts as people paste them, and 四舍五入 display of amounts, rates and scores.

Money is ``Decimal`` in 万元 everywhere; rounding happens only here, for display.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
"""What a ratio is multiplied by to read as a percentage."""
CENT = Decimal("0.01")
"""The last place of a number shown with 2 decimals (an amount in 万元, a score, a percentage)."""

WAN = Decimal(10000)
"""元 per 万元."""

UNITS = {"万元": Decimal(1), "元": 1 / WAN, "亿元": WAN}
"""How many 万元 one of each accepted unit is."""

MAX_WAN = Decimal(10) ** 12
"""Amounts must stay below this many 万元 (一万亿亿元): far above any 决算, far below where arithmetic breaks."""

MAX_YUAN = MAX_WAN * WAN
"""``MAX_WAN`` in 元, the smallest unit: the bound on a number before it is converted."""

MAX_PLACES = 6
"""Decimals an amount in 万元 may have: 0.01 元 is 0.000001 万元."""
_LAST_PLACE = Decimal(1).scaleb(-MAX_PLACES)

MAX_POINTS = 1000
"""Most points an indicator (and so a score) may have: no set gives more, and scoring's rounding stays exact."""

MAX_NUMBER_LENGTH = 40
"""Characters a typed or pasted number may have; a longer one is not a figure anybody wrote."""

_DASHES = {"-", "—", "–", "－", "——", "/"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")
_WRITTEN_UNITS = ("亿元", "万元", "元", "亿", "万")
"""Units a number may be followed by in a file that names its own ``unit``; longest first."""


def parse_amount(raw: object, *, blank_is_zero: bool = True, file_unit: str | None = None) -> Decimal | None:
    """Read an amount as typed or pasted: ``1,234.56``, ``６０８．７２``, ``−12``, ``—``, ``""``, ``12.5万``.

    A dash means zero (the tables print "-" for 0). A blank is zero when ``blank_is_zero``,
    otherwise None (no data). Anything else that is not a number raises ``ValueError``
    with a Chinese message. ``file_unit`` is the unit of the file the amount is read from (a key of ``UNITS``):
    given it, a number written with a unit (“608.72元”) is refused saying how to write it in that file, except
    万元 after a number in a file in 万元, which is read.
    """
    amount = _parse(raw, blank_is_zero, file_unit)
    if amount is not None and not amount.is_finite():
        raise ValueError("应为有限的数字")
    if amount is not None and abs(amount) >= MAX_YUAN:  # the bound in 元, the smallest unit; 万元 is checked later
        raise ValueError(f"{shown_number(amount)} 超出金额的范围：应小于 {shown_number(MAX_WAN)} 万元")
    return amount


def _parse(raw: object, blank_is_zero: bool, file_unit: str | None) -> Decimal | None:
    kind = type(raw)
    if kind is Decimal:  # what a TOML file gives for 608.72 (floats are read as Decimal)
        return raw  # type: ignore[return-value]
    if kind is int:  # and for 0
        return Decimal(raw)  # type: ignore[arg-type]
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
    if len(raw) > MAX_NUMBER_LENGTH:
        raise ValueError(f"“{shorten(raw)}”不是金额：数字过长，无法读取")
    text = unicodedata.normalize("NFKC", raw).strip()
    text = text.replace(" ", "").replace("\u3000", "").replace("−", "-")
    if file_unit is not None:
        _refuse_written_unit(raw, text, file_unit)
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


def _refuse_written_unit(raw: str, text: str, file_unit: str) -> None:
    """Refuse ``raw`` (read as ``text``) when it is a number followed by a unit other than the file's 万元, saying
    what it is in the file's unit; anything else is left to ``_parse``."""
    written = next((unit for unit in _WRITTEN_UNITS if text.endswith(unit)), None)
    if written is None:
        return
    number = text.removesuffix(written)
    if not (_NUMBER.fullmatch(number) or _GROUPED.fullmatch(number)):
        return
    unit = written if written.endswith("元") else written + "元"
    if unit == file_unit == "万元":
        return
    number = number.replace(",", "")
    if unit == file_unit:
        raise ValueError(f"“{raw}”：金额后面不写单位，应写作 {number}（不加引号）")
    converted = shown_number((Decimal(number) * UNITS[unit] / UNITS[file_unit]).normalize())
    raise ValueError(
        f"“{raw}”的单位“{unit}”与本文件的金额单位（{file_unit}）不同："
        f"应按{file_unit}写作 {converted}（不加引号、不写单位），"
        f'或把文件开头的 unit 改为 "{unit}" 并把全部金额按{unit}填写'
    )


def check_amount(value: Decimal, unit: str = "万元") -> Decimal:
    """``value`` (万元) when a 决算 can hold it: finite, below ``MAX_WAN``, at most ``MAX_PLACES`` decimals.

    The bound keeps every sum, ratio and rounding well inside what ``Decimal`` computes exactly.
    """
    if not value.is_finite():
        raise ValueError("应为有限的数字")
    if abs(value) >= MAX_WAN:
        raise ValueError(
            f"{shown_number(value)} 超出金额的范围：应小于 {shown_number(MAX_WAN)}{' ' + unit if unit else ''}"
        )
    if not within_places(value):
        raise ValueError(f"{shown_number(value)} 的小数位数过多：最多 {MAX_PLACES} 位小数")
    return value


def within_places(value: Decimal) -> bool:
    """Whether a finite number below ``MAX_WAN`` has at most ``MAX_PLACES`` decimals (608.7200000 has, as 608.72)."""
    try:
        return value.quantize(_LAST_PLACE) == value
    except InvalidOperation:  # more digits than the context's precision holds
        return False


def shown_number(value: Decimal) -> str:
    """A number for an error message: exact when short, in scientific notation when it would be long."""
    text = format(value, "f")
    return text if len(text) <= 24 else f"{value:.6E}"


def shorten(text: str, width: int = 24) -> str:
    """The start of a long text for a message, with an ellipsis."""
    return text if len(text) <= width else text[:width] + "…"


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Chinese 四舍五入 to ``places`` decimals."""
    return value.quantize(CENT if places == 2 else Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_money(value: Decimal | None, places: int = 2) -> str:
    """An amount in 万元 for display: ``608.72``; missing data shows as 数据不足."""
    if value is None:
        return "数据不足"
    return f"{round_half_up(value, places) + 0:.{places}f}"


def fmt_plain(value: Decimal) -> str:
    """A Decimal as people write it, exactly and without trailing zeros: ``0.5``, ``100``, ``-30``."""
    return format(value.normalize(), "f")


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


def fmt_signed(value: Decimal, places: int = 2) -> str:
    """A difference with its sign, rounded half up: ``+17.57``, ``-3.00``, ``+0.00``."""
    return f"{round_half_up(value, places):+.{places}f}"


def fmt_score(value: Decimal | None) -> str:
    """A score with 2 decimals; None shows as a dash meaning 'not scored'."""
    if value is None:
        return "—"
    return f"{round_half_up(value, 2):.2f}"
