"""Amounts as people paste them, 元 → 万元 conversion, and 四舍五入 display."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zzperf.accounts import Accounts
from zzperf.amounts import (
    MAX_PLACES,
    MAX_WAN,
    check_amount,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_plain,
    fmt_signed,
    parse_amount,
    round_half_up,
)
from zzperf.errors import ZzperfError
from zzperf.tomlio import dump_model, load_model

D = Decimal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.56", "1234.56"),
        ("６０８．７２", "608.72"),
        ("—", "0"),
        ("-", "0"),
        ("", "0"),
        ("  12.5 ", "12.5"),
        ("12.5万元", "12.5"),
        ("-3.20", "-3.20"),
        (608.72, "608.72"),
        (17, "17"),
    ],
)
def test_parse_amount_accepts_what_people_paste(raw, expected: str) -> None:
    assert parse_amount(raw) == D(expected)


@pytest.mark.parametrize("raw", ["abc", "12..5", "1.2.3", "12元5", "1e5", True])
def test_parse_amount_rejects_the_rest(raw) -> None:
    with pytest.raises(ValueError, match="金额"):
        parse_amount(raw)


def test_blank_can_mean_no_data() -> None:
    assert parse_amount("", blank_is_zero=False) is None


def test_round_half_up_is_chinese_rounding() -> None:
    assert round_half_up(D("52.625")) == D("52.63")
    assert round_half_up(D("0.005")) == D("0.01")
    assert round_half_up(D("-55.7098")) == D("-55.71")
    assert fmt_percent(D("52.625")) == "52.63%"
    assert fmt_money(None) == "数据不足"
    assert fmt_money(D("8.6")) == "8.60"


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_formatted_amount_reads_back(value: Decimal) -> None:
    assert parse_amount(fmt_money(value)) == value


def test_accounts_in_yuan_are_converted_to_wan(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text(
        'format_version = 1\nyear = 2018\nunit = "元"\n[overview]\nincome_total = "6,087,200.00"\n'
        "[staffing]\nin_service = 17\n",
        encoding="utf-8",
    )
    accounts = load_model(path, Accounts)
    assert accounts.overview.income_total == D("608.72")
    assert accounts.staffing.in_service == 17  # counts are not money
    assert accounts.unit == "万元"
    assert 'unit = "万元"' in dump_model(accounts)
    assert "608.72" in dump_model(accounts)


def test_missing_figures_stay_missing_and_round_trip(tmp_path: Path) -> None:
    accounts = Accounts.model_validate({"year": 2018, "overview": {"income_total": "608.72", "carryover_begin": "-"}})
    assert accounts.overview.carryover_begin == D(0)
    assert accounts.overview.expenditure_total is None
    path = tmp_path / "a.toml"
    path.write_text(dump_model(accounts), encoding="utf-8")
    again = load_model(path, Accounts)
    assert again == accounts


def test_bad_amount_names_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text('format_version = 1\nyear = 2018\n\n[overview]\nincome_total = "六百"\n', encoding="utf-8")
    with pytest.raises(ZzperfError) as caught:
        load_model(path, Accounts)
    message = str(caught.value)
    assert "accounts.toml" in message and "overview.income_total" in message and "第 5 行" in message
    assert "不是金额" in message


def test_unknown_unit_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_text('format_version = 1\nyear = 2018\nunit = "千元"\n', encoding="utf-8")
    with pytest.raises(ZzperfError, match="千元"):
        load_model(path, Accounts)


@pytest.mark.parametrize("raw", ["619,54", "619，54", "1,23.4"])
def test_a_comma_is_only_a_thousands_separator(raw: str) -> None:
    with pytest.raises(ValueError, match="千位分隔符"):
        parse_amount(raw)


def test_a_blank_figure_in_a_file_is_no_data_not_zero() -> None:
    accounts = Accounts.model_validate(
        {"year": 2018, "three_public": {"actual": {"total": ""}}, "outcomes": [{"key": "k", "name": "n", "actual": ""}]}
    )
    assert accounts.three_public.actual.total is None
    assert accounts.outcomes[0].actual is None


def test_notepad_bom_and_nested_error_lines(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    path.write_bytes("\ufeffformat_version = 1\nyear = 2018\n".encode("utf-8"))
    assert load_model(path, Accounts).year == 2018
    path.write_text(
        "format_version = 1\nyear = 2018\n[three_public.budget]\ntotal = 8\n[three_public.actual]\nabroad = 0\n"
        'total = "四点二一"\n[[basic_expenditure.lines]]\ncode = "301"\nname = "工资福利支出"\namount = 1\n'
        '[[basic_expenditure.lines]]\ncode = "30113"\nname = "住房公积金"\namount = 2\n',
        encoding="utf-8",
    )
    with pytest.raises(ZzperfError) as caught:
        load_model(path, Accounts)
    assert "第 7 行 “三公”经费决算数·合计（three_public.actual.total）" in str(caught.value)
    text = path.read_text(encoding="utf-8").replace('"四点二一"', "4.21").replace("amount = 2", 'amount = "x"')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ZzperfError) as caught:
        load_model(path, Accounts)
    assert "第 15 行 决算数（basic_expenditure.lines[1]（30113）.amount）" in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("9" * 17, "超出金额的范围"),
        ("1" * 41, "数字过长"),
        (Decimal("1e30"), "超出金额的范围"),
        (Decimal("Infinity"), "有限的数字"),
        (10**4000, "超出金额的范围"),
    ],
)
def test_amounts_beyond_any_budget_are_refused(raw: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_amount(raw)


def test_the_bound_in_wan_and_its_decimals() -> None:
    assert check_amount(Decimal("999999999999.999999")) == Decimal("999999999999.999999")
    assert check_amount(Decimal("1.50000000")) == Decimal("1.50000000")  # trailing zeros are no decimals
    with pytest.raises(ValueError, match="超出金额的范围：应小于 1000000000000 万元"):
        check_amount(MAX_WAN)
    with pytest.raises(ValueError, match="小数位数过多"):
        check_amount(Decimal("0.0000001"))


@given(st.decimals(min_value=-MAX_WAN + 1, max_value=MAX_WAN - 1, places=MAX_PLACES))
def test_every_amount_within_the_bound_formats(value: Decimal) -> None:
    assert fmt_money(check_amount(value)).replace("-", "").replace(".", "").isdigit()


@pytest.mark.parametrize(
    ("value", "plain", "number"),
    [
        ("0.5", "0.5", "0.50"),
        ("100.00", "100", "100"),
        ("1E+2", "100", "100"),
        ("-30", "-30", "-30"),
        ("0.125", "0.125", "0.13"),
        ("12.3400", "12.34", "12.34"),
    ],
)
def test_a_decimal_as_people_write_it_exactly_or_to_two_places(value: str, plain: str, number: str) -> None:
    assert fmt_plain(Decimal(value)) == plain
    assert fmt_number(Decimal(value)) == number


def test_signed_difference_is_rounded_half_up() -> None:
    assert fmt_signed(Decimal("2.125")) == "+2.13" and fmt_signed(Decimal("-2.125")) == "-2.13"
    assert fmt_signed(Decimal("0")) == "+0.00" and fmt_signed(Decimal("0.125"), 1) == "+0.1"


def test_csv_figures_are_rounded_half_up() -> None:
    from zzperf.output.figures import figures_csv

    text = figures_csv(["部门", "完成率"], [["甲", Decimal("52.625")], ["乙", Decimal("-1.005")]])
    assert "甲,52.63" in text and "乙,-1.01" in text


def test_unit_mismatch_factor_is_rounded_half_up() -> None:
    from zzperf.importing.reader import _times

    assert _times(Decimal("1250.5")) == "1,251" and _times(Decimal(1) / Decimal("2500.5")) == "2,501"
