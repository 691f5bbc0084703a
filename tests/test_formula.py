"""The formula evaluator: grammar, Decimal arithmetic, people-readable traces and safety."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from zzperf.errors import ZzperfError
from zzperf.formula import FUNCTIONS, MAX_LENGTH, MAX_NESTING, Formula, FormulaError, FormulaValue, parse

D = Decimal
CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)
LABELS = {
    "overview.expenditure_total": "本年支出合计",
    "budget.initial": "年初预算",
    "overview.carryover_end": "年末结转结余",
    "prev.overview.carryover_end": "上年年末结转结余",
}


def value_of(source: str, values: dict[str, Decimal] | None = None) -> Decimal | None:
    return parse(source).evaluate(values or {}).value


# --- arithmetic ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("10 - 4 - 3", "3"),
        ("2 + 3 * 4", "14"),
        ("(2+3)*4", "20"),
        ("8 / 4 / 2", "1"),
        ("2 * 3 - 4 / 2", "4"),
        ("-3 + 5", "2"),
        ("-(3 + 5)", "-8"),
        ("- -2", "2"),
        ("+2 * -3", "-6"),
        ("10 - -4", "14"),
        ("abs(x) + -1.5", "1.5"),
        ("max(0, a.b - 3) * 2", "14"),
        ("min(4, 2, 3)", "2"),
        ("max(4, 2, 3)", "4"),
        ("abs(2 - 5)", "3"),
        ("  1\t+\n2  ", "3"),
    ],
)
def test_precedence_associativity_and_functions(source: str, expected: str) -> None:
    assert value_of(source, {"x": D("-3"), "a.b": D("10")}) == D(expected)


def test_decimal_is_exact() -> None:
    assert value_of("0.1 + 0.2") == D("0.3")
    assert value_of("1 / 3 * 3") == D("0.9999999999999999999999999999")


def test_evaluation_uses_its_own_context() -> None:
    with localcontext() as ctx:
        ctx.prec = 5
        result = value_of("2 / 3")
        assert ctx.prec == 5
    assert result == D("0.6666666666666666666666666667")  # 28 digits, half up


def test_results_are_not_rounded() -> None:
    assert value_of("1.005 * 1") == D("1.005")


def test_function_name_without_parentheses_is_a_field() -> None:
    formula = parse("min + abs.x")
    assert formula.fields == {"min", "abs.x"}
    assert formula.evaluate({"min": D(1), "abs.x": D(2)}).value == D(3)


# --- traces for people --------------------------------------------------------------------------


def test_ratio_trace() -> None:
    formula = parse("overview.expenditure_total / budget.initial")
    values = {"overview.expenditure_total": D("619.54"), "budget.initial": D("517.70")}
    result = formula.evaluate(values, LABELS)
    assert result.text == "本年支出合计 619.54 ÷ 年初预算 517.70"
    assert result.missing is None
    assert result.value.quantize(D("0.0001")) == D("1.1967")
    assert formula.render(LABELS) == "本年支出合计 ÷ 年初预算"


def test_change_rate_trace_keeps_parentheses() -> None:
    formula = parse("(overview.carryover_end - prev.overview.carryover_end) / prev.overview.carryover_end")
    values = {"overview.carryover_end": D("8.61"), "prev.overview.carryover_end": D("19.44")}
    result = formula.evaluate(values, LABELS)
    assert result.value == D("-0.5570987654320987654320987654")
    assert str(result.value).startswith("-0.557098")
    assert result.text == "(年末结转结余 8.61 − 上年年末结转结余 19.44) ÷ 上年年末结转结余 19.44"
    assert formula.render(LABELS) == "(年末结转结余 − 上年年末结转结余) ÷ 上年年末结转结余"


def test_render_operators_functions_and_redundant_parentheses() -> None:
    formula = parse("max(0, a.b - 3) * 2 + ((-x)) / 1.50")
    assert formula.render() == "（0、a.b − 3 中较大者） × 2 + ((−x)) ÷ 1.50"
    assert formula.render({"x": "差额"}) == "（0、a.b − 3 中较大者） × 2 + ((−差额)) ÷ 1.50"
    assert parse("abs(a - b) / min(a, b)").render({"a": "甲", "b": "乙"}) == "|甲 − 乙| ÷ （甲、乙 中较小者）"


def test_default_format_of_values() -> None:
    values = {"a": D(17), "b": D("17.00"), "c": D("8.605"), "d": D("-0.0"), "e": D("-2.005")}
    result = parse("a + b + c + d + e").evaluate(values)
    assert result.text == "a 17 + b 17 + c 8.61 + d 0 + e -2.01"


def test_custom_format_gets_field_name() -> None:
    result = parse("a * 100").evaluate({"a": D("0.5")}, {"a": "执行率"}, fmt=lambda name, value: f"{name}={value}")
    assert result.text == "执行率 a=0.5 × 100"


# --- insufficient data --------------------------------------------------------------------------


def test_missing_fields_are_all_listed() -> None:
    formula = parse("overview.expenditure_total / budget.initial + budget.initial")
    result = formula.evaluate({"overview.expenditure_total": None}, LABELS)
    assert result.value is None
    assert result.missing == "缺少数据：本年支出合计、年初预算"
    assert result.text == "本年支出合计（数据不足） ÷ 年初预算（数据不足） + 年初预算（数据不足）"


def test_missing_field_without_label_uses_its_name() -> None:
    result = parse("a + b").evaluate({"a": D(1)})
    assert (result.value, result.missing) == (None, "缺少数据：b")
    assert result.text == "a 1 + b（数据不足）"


def test_division_by_zero_field() -> None:
    labels = {"b": "上年“三公”经费"}
    result = parse("a / b").evaluate({"a": D(1), "b": D("0.00")}, labels, fmt=lambda _, v: f"{v:.2f}")
    assert result == FormulaValue(None, "除数为 0：上年“三公”经费 0.00", "a 1.00 ÷ 上年“三公”经费 0.00")


def test_division_by_zero_expression() -> None:
    result = parse("a / (b - c)").evaluate({"a": D(1), "b": D(2), "c": D(2)})
    assert result.value is None
    assert result.missing == "除数为 0：(b 2 − c 2) = 0"
    assert value_of("1 / 0") is None
    assert parse("1 / 0").evaluate({}).missing == "除数为 0：0"


def test_missing_data_takes_precedence_over_zero_divisor() -> None:
    assert parse("a / 0 + b").evaluate({"a": D(1)}).missing == "缺少数据：b"


# --- fields and construction --------------------------------------------------------------------


def test_fields() -> None:
    formula = parse("(overview.carryover_end - prev.overview.carryover_end) / prev.overview.carryover_end + max(a, 1)")
    assert formula.fields == frozenset({"overview.carryover_end", "prev.overview.carryover_end", "a"})
    assert parse("1 + 2").fields == frozenset()
    assert FUNCTIONS == frozenset({"min", "max", "abs"})


def test_formula_from_source_parses_and_compares_by_source() -> None:
    assert Formula("a + 1") == parse("a + 1")
    assert Formula("a + 1").evaluate({"a": D(1)}).value == D(2)
    with pytest.raises(FormulaError):
        Formula("a +")


# --- syntax errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "column", "words"),
    [
        ("", 1, "公式为空"),
        ("   ", 1, "公式为空"),
        ("(1 + 2", 7, "缺少右括号“)”"),
        ("(1 + 2 3", 8, "右括号"),
        ("1 + ", 5, "不完整"),
        ("1 +* 2", 4, "却是“*”"),
        ("a b", 3, "缺少运算符"),
        ("1)", 2, "多余的右括号"),
        ("1, 2", 2, "逗号"),
        ("min(1)", 1, "至少 2 个"),
        ("max()", 1, "至少 2 个"),
        ("abs(1, 2)", 1, "恰好 1 个"),
        ("min(1, 2", 9, "右括号"),
        ("min(1,)", 7, "却是“)”"),
        ("1.", 2, "小数点"),
        (".5", 1, "小数点"),
        ("1.2.3", 4, "小数点"),
        ("a.", 2, "字段名"),
        ("a..b", 2, "字段名"),
        ("1e5", 2, "“e”"),
        ("2 ^ 3", 3, "乘方"),
        ("a;b", 2, "“;”"),
        ("（1）", 1, "“（”"),
        ("1 ** 2", 3, "乘方"),
        ("a.__class__", 3, "下划线"),
    ],
)
def test_syntax_errors_name_the_column(source: str, column: int, words: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(source)
    message = str(caught.value)
    assert f"公式第 {column} 列：" in message
    assert words in message
    assert caught.value.column == column
    assert caught.value.where is None
    assert isinstance(caught.value, ZzperfError)


def test_unknown_function_hints() -> None:
    with pytest.raises(FormulaError) as caught:
        parse("mx(a, b)")
    assert "未知函数“mx”" in caught.value.message and caught.value.hint == "是不是“max”？"
    with pytest.raises(FormulaError) as caught:
        parse("1 + pow(2, 3)")
    assert "公式第 5 列：未知函数“pow”" in str(caught.value)
    assert "abs、max、min" in caught.value.hint
    with pytest.raises(FormulaError, match="半角"):
        parse("a × b")


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        "a.__class__",
        "_private",
        "1 ** 2",
        '"x"',
        "'x'",
        "a[0]",
        "lambda x: x",
        "lambda: 0",
        "().__class__",
        "os.system(1)",
        "exec(1)",
        "a.b()",
        "a if b else c",
        "a == b",
        "f'{a}'",
        "1 % 2",
        "a @ b",
        "a\\\nb",
    ],
)
def test_no_python_gets_through(source: str) -> None:
    with pytest.raises(FormulaError, match=r"公式第 \d+ 列"):
        parse(source)


def test_nesting_and_length_are_bounded() -> None:
    ok = "(" * MAX_NESTING + "1" + ")" * MAX_NESTING
    assert value_of(ok) == 1
    with pytest.raises(FormulaError, match="嵌套"):
        parse("(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    with pytest.raises(FormulaError, match="嵌套"):
        parse("-" * (MAX_NESTING + 1) + "1")
    with pytest.raises(FormulaError, match="嵌套"):
        parse("abs(" * (MAX_NESTING + 1) + "1" + ")" * (MAX_NESTING + 1))
    with pytest.raises(FormulaError, match="过长"):
        parse("(" * 10_000)
    longest_chain = "+".join(["1"] * ((MAX_LENGTH + 1) // 2))
    assert len(longest_chain) <= MAX_LENGTH
    formula = parse(longest_chain)
    assert formula.evaluate({}).value == (MAX_LENGTH + 1) // 2
    assert formula.render().count("+") == (MAX_LENGTH + 1) // 2 - 1


# --- properties ---------------------------------------------------------------------------------

small = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


@given(small, small, small)
def test_precedence_matches_decimal_arithmetic(a: Decimal, b: Decimal, c: Decimal) -> None:
    values = {"a": a, "b.x": b, "c.y.z": c}
    with localcontext(CONTEXT):
        assert parse("a + b.x * c.y.z").evaluate(values).value == a + b * c
        assert parse("a - b.x - c.y.z").evaluate(values).value == (a - b) - c
        assert parse("a * b.x - -c.y.z").evaluate(values).value == a * b + c
        if c != 0 and b != 0:
            assert parse("a / b.x / c.y.z").evaluate(values).value == (a / b) / c


literals = st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False)
spaces = st.sampled_from(["", " ", "  ", "\t"])
Generated = tuple[str, Decimal, int]  # source, its value, its nesting depth


def _binary(parts: tuple[Generated, str, Generated, str]) -> Generated:
    (left, lv, ld), op, (right, rv, rd), gap = parts
    if op == "/" and rv == 0:
        op = "+"
    with localcontext(CONTEXT):
        value = {"+": lv + rv, "-": lv - rv, "*": lv * rv, "/": lv / rv if rv else None}[op]
    return f"({left}{gap}{op}{gap}{right})", value, max(ld, rd) + 1


def _call(parts: tuple[str, list[Generated]]) -> Generated:
    name, args = parts
    if name == "abs":
        args = args[:1]
    values = [value for _, value, _ in args]
    result = abs(values[0]) if name == "abs" else (min if name == "min" else max)(values)
    return f"{name}({', '.join(source for source, _, _ in args)})", result, max(d for _, _, d in args) + 1


def _negate(child: Generated) -> Generated:
    source, value, depth = child
    with localcontext(CONTEXT):
        return f"-{source}", -value, depth + 1


def _extend(children: st.SearchStrategy[Generated]) -> st.SearchStrategy[Generated]:
    return st.one_of(
        st.tuples(children, st.sampled_from("+-*/"), children, spaces).map(_binary),
        children.map(_negate),
        st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(children, min_size=2, max_size=3)).map(_call),
    )


expressions = st.recursive(literals.map(lambda d: (format(d, "f"), d, 0)), _extend, max_leaves=12)


@settings(max_examples=300)
@given(expressions)
def test_generated_expressions_evaluate_to_their_known_value(generated: Generated) -> None:
    source, expected, depth = generated
    assume(depth <= MAX_NESTING and len(source) <= MAX_LENGTH)
    result = parse(source).evaluate({})
    assert result == FormulaValue(expected, None, result.text)
    assert result.text == parse(source).render()


formula_alphabet = st.sampled_from(list("0123456789.+-*/(), abminx_") + ["max", "min", "abs", "a.b", "  "])


@settings(max_examples=300)
@given(st.one_of(st.text(), st.lists(formula_alphabet).map("".join)))
def test_parse_only_ever_raises_formula_error(source: str) -> None:
    try:
        formula = parse(source)
    except FormulaError as error:
        assert re.search(r"公式第 \d+ 列：", error.message)
        return
    assert isinstance(formula.render(), str)
    assert formula.evaluate({}).value is None or not formula.fields
    result = formula.evaluate(dict.fromkeys(formula.fields, D(1)))
    assert (result.value is None) == (result.missing is not None)


def test_a_result_reused_only_for_the_same_figures_labels_and_format():
    formula = parse("a / b")
    first = formula.evaluate({"a": Decimal("1.0"), "b": Decimal("4")})
    assert (first.value, first.text) == (Decimal("0.25"), "a 1 ÷ b 4")
    assert formula.evaluate({"a": Decimal("1.0"), "b": Decimal("4")}) is first
    other_digits = formula.evaluate({"a": Decimal("1.00"), "b": Decimal("4")})
    assert other_digits is not first and other_digits.value == Decimal("0.25")
    assert str(formula.evaluate({"a": Decimal("2"), "b": Decimal("4")}).value) == "0.5"
    assert formula.evaluate({"a": Decimal("1.0"), "b": Decimal("4")}, {"a": "甲"}).text == "甲 1 ÷ b 4"
    assert (
        formula.evaluate({"a": Decimal("1.0"), "b": Decimal("4")}, fmt=lambda _, v: f"<{v}>").text == "a <1.0> ÷ b <4>"
    )
    assert formula.evaluate({"a": Decimal("1.0"), "b": Decimal("0")}).missing == "除数为 0：b 0"
    assert formula.evaluate({"a": None, "b": Decimal("4")}).missing == "缺少数据：a"
    for run in range(40):  # more inputs than are kept: each still right
        assert formula.evaluate({"a": Decimal(run), "b": Decimal("4")}).value == Decimal(run) / 4
