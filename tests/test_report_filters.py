"""The report filters: amounts, percentages, shares that add up, changes chosen by sign, missing data."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zzperf.report import filters
from zzperf.report.records import Figure

D = Decimal


def test_amounts_and_counts() -> None:
    assert filters.money(D("608.72")) == "608.72"
    assert filters.money(D("20.1")) == "20.10"
    assert filters.money(D("0.005")) == "0.01"  # 四舍五入, not banker's rounding
    assert filters.wan(D("4.21")) == "4.21 万元"
    assert filters.wan(None) == "数据不足"
    assert filters.num(17, "人") == "17 人"
    assert filters.num(None, "人") == "数据不足"
    assert filters.score(D("65.525")) == "65.53"
    assert filters.score(None) == "—"
    assert filters.money(Figure(D("1.5"), D("2"))) == "1.50"


def test_percentages() -> None:
    assert filters.pct_of(D("579.54"), D("619.54")) == "93.54%"
    assert filters.pct_of(D("4.21"), D("8.00")) == "52.63%"  # the seed's report says 52.62%
    assert filters.pct_of(D("3.77"), D("4.00")) == "94.25%"
    assert filters.pct_of(D(0), D(0)) == "—"
    assert filters.pct_of(None, D(8)) == "数据不足"
    assert filters.pct(D("119.6716")) == "119.67%"
    assert filters.pct(D("0.125")) == "0.13%"


def test_shares_add_up_by_largest_remainder() -> None:
    assert filters.apportion([D(1), D(1), D(1)], D(3)) == [D("33.34"), D("33.33"), D("33.33")]
    three_public = [D(0), D("3.77"), D("0.44")]
    assert filters.apportion(three_public, D("4.21")) == [D("0.00"), D("89.55"), D("10.45")]
    pairs = filters.with_shares([Figure(D("579.54"), name="基本"), Figure(D("40.00"), name="项目")], D("619.54"))
    assert [share for _, share in pairs] == ["93.54%", "6.46%"]


def test_shares_of_parts_that_do_not_add_up_are_rounded_one_by_one() -> None:
    # inconsistent data is not forced to 100%: each share stays honest
    assert filters.apportion([D(1), D(1)], D(3)) == [D("33.33"), D("33.33")]
    assert [s for _, s in filters.with_shares([Figure(None, name="x")], D(3))] == ["数据不足"]
    assert [s for _, s in filters.with_shares([Figure(D(0), name="x")], D(0))] == ["—"]


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=12))
def test_displayed_shares_always_sum_to_exactly_100(cents: list[int]) -> None:
    parts = [D(c) / 100 for c in cents]
    whole = sum(parts, D(0))
    shares = filters.apportion(parts, whole)
    if whole == 0:
        assert shares == [None] * len(parts)
        return
    assert sum(shares, D(0)) == D("100.00")
    for part, share in zip(parts, shares):
        exact = part / whole * 100
        assert abs(share - exact) < D("0.01")  # never more than one display unit away


def test_changes_are_worded_by_sign() -> None:
    income = Figure(D("608.72"), D("591.15"))
    assert filters.change(income) == "增加 17.57 万元"
    assert filters.growth(income) == "增长 2.97%"
    assert filters.yoy(income) == "比上年（591.15 万元）增加 17.57 万元，增长 2.97%"
    carry = Figure(D("8.61"), D("19.44"))
    assert filters.yoy(carry) == "比上年（19.44 万元）减少 10.83 万元，下降 55.71%"
    assert filters.yoy(Figure(D(5), D(5))) == "与上年（5.00 万元）持平"
    assert filters.change(D("313.35"), D("285.21")) == "增加 28.14 万元"
    assert filters.delta(carry) == "-10.83" and filters.rate(carry) == "-55.71%"
    assert filters.delta(income) == "+17.57" and filters.rate(income) == "+2.97%"


@pytest.mark.parametrize("figure", [Figure(D(5), None), Figure(None, D(5)), Figure(None, None)])
def test_missing_data_never_reads_as_a_zero_change(figure: Figure) -> None:
    for text in (filters.change(figure), filters.growth(figure), filters.yoy(figure), filters.rate(figure)):
        assert "0.00" not in text and "数据不足" in text
    assert not filters.is_comparable(figure)


def test_a_zero_base_has_no_growth_rate() -> None:
    assert filters.growth(Figure(D(3), D(0))) == ""
    assert filters.yoy(Figure(D(3), D(0))) == "比上年（0.00 万元）增加 3.00 万元"
    assert filters.rate(Figure(D(3), D(0))) == "—"


def test_a_tiny_change_is_not_shown_as_zero() -> None:
    assert filters.growth(D("100000.01"), D("100000")) == "增长不足 0.01%"
    assert filters.change(D("1.001"), D("1")) == "增加 不足 0.01 万元"


@given(st.integers(-(10**8), 10**8), st.integers(-(10**8), 10**8))
def test_the_word_always_matches_the_sign(now: int, before: int) -> None:
    a, b = D(now) / 100, D(before) / 100
    text = filters.change(a, b)
    if a > b:
        assert text.startswith("增加")
    elif a < b:
        assert text.startswith("减少")
    else:
        assert text == "持平"
    assert filters.growth(a, b) not in ("增长 0.00%", "下降 0.00%")


def test_words_and_text() -> None:
    assert [filters.cn(n) for n in (1, 7, 10, 11, 20, 23)] == ["一", "七", "十", "十一", "二十", "二十三"]
    assert filters.filled("  ") == "（未填写）"
    assert filters.filled("有内容") == "有内容"
    assert filters.paragraphs("第一段\r\n\n  第二段  \x07") == ["第一段", "第二段"]
    assert filters.paragraphs("") == ["（未填写）"]
    assert filters.md_cell("a|b\nc") == "a\\|b<br>c"
    assert filters.join_cn(["综合科", "窗口管理科"]) == "综合科、窗口管理科"
    assert filters.bar(D("7.5"), D(15), 300) == "150.0"
    assert filters.bar(None, D(15), 300) == "0"


@pytest.mark.parametrize(
    "name,args,message",
    [
        ("pct", (1, 999999999), "过滤器 pct：小数位数应为 0 到 10 的整数，而不是 999999999"),
        ("pct", (1, -1), "小数位数应为 0 到 10 的整数"),
        ("pct_of", (1, 3, "2"), "小数位数应为 0 到 10 的整数"),
        ("wan", ("abc",), "过滤器 wan：'abc' 不是数字"),
        ("money", (D("1e30"),), "过滤器 money：数字超出可计算的范围"),
        ("money", (D("NaN"),), "不是有限的数字"),
        ("money", (float("inf"),), "不是有限的数字"),
        ("plus", (None, 3), "过滤器 plus"),
        ("cn", ("十",), "过滤器 cn 的参数不对"),
    ],
)
def test_a_filter_given_what_it_cannot_use_says_so_in_chinese(name: str, args: tuple, message: str) -> None:
    with pytest.raises(filters.FilterError) as raised:
        filters.FILTERS[name](*args)
    assert message in str(raised.value)
    assert "decimal" not in str(raised.value) and "InvalidOperation" not in str(raised.value)


def test_bounded_places_still_allow_every_sensible_precision() -> None:
    assert filters.FILTERS["pct"](D("93.5437"), 0) == "94%"
    assert filters.FILTERS["pct"](D("93.5437"), 10) == "93.5437000000%"
    assert filters.FILTERS["pct_of"](1, 3, 4) == "33.3333%"
