"""Arithmetic formulas from indicator sets: parsed safely, computed in Decimal, explained to people.

Formulas come from files people edit, so they are read by a small recursive-descent parser and never by
Python's eval/compile/ast: only numbers, dotted field names, + - * /, parentheses and min/max/abs exist.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from functools import cached_property
from typing import NamedTuple

from zzperf.errors import ZzperfError, did_you_mean

FUNCTIONS: frozenset[str] = frozenset({"min", "max", "abs"})
MISSING = "缺少数据："
"""How a value that cannot be worked out for lack of figures says so, before the figures it lacks."""
MAX_LENGTH = 500
"""Longest formula accepted, so evaluating and rendering never hit Python's recursion limit."""
MAX_NESTING = 40
"""Deepest nesting of parentheses, signs and function calls accepted, for the same reason."""
_KEPT_RESULTS = 16
"""Results kept per formula for inputs seen before (a year rescored after one figure changed mostly repeats)."""

_ARITY = {"min": (2, None), "max": (2, None), "abs": (1, 1)}
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)
_SYMBOLS = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_OPERATIONS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}
_AGGREGATES = {"min": min, "max": max}
_LOOKALIKES = {"×": "*", "÷": "/", "−": "-", "–": "-", "—": "-", "。": "."}
_UNSUPPORTED = {
    '"': "不支持字符串",
    "'": "不支持字符串",
    "[": "不支持下标“[”",
    "]": "不支持下标“]”",
    "^": "不支持乘方“^”",
}


class FormulaError(ZzperfError):
    """A formula that does not parse; the message names the 1-based column and what was expected."""

    def __init__(self, message: str, *, column: int | None = None, **kwargs: str | None) -> None:
        super().__init__(message, **kwargs)
        self.column = column


def _fail(column: int, problem: str, hint: str | None = None) -> FormulaError:
    return FormulaError(f"公式第 {column} 列：{problem}", column=column, hint=hint)


# The tokens and the parse tree's nodes are NamedTuples, immutable as frozen dataclasses: each of those costs a
# command about a millisecond to create at import (its methods are compiled one by one), a NamedTuple a fifth.


class _Number(NamedTuple):
    """A number as written in the formula; ``parens`` counts the brackets around it."""

    text: str
    parens: int = 0


class _Field(NamedTuple):
    """A figure path (``budget.initial``) or bare name."""

    name: str
    parens: int = 0


class _Unary(NamedTuple):
    """A sign before an operand (``-x``)."""

    op: str
    operand: _Node
    parens: int = 0


class _Binary(NamedTuple):
    """Two operands joined by ``+ - * /``."""

    op: str
    left: _Node
    right: _Node
    parens: int = 0


class _Call(NamedTuple):
    """``min``, ``max`` or ``abs`` with its arguments."""

    function: str
    args: tuple[_Node, ...]
    parens: int = 0


_Node = _Number | _Field | _Unary | _Binary | _Call


class _Token(NamedTuple):
    """One token of the source and the column it starts at."""

    kind: str  # "number", "name", "op", "(", ")", "," or "end"
    text: str
    column: int


def _tokens(source: str) -> list[_Token]:
    """Split ``source`` into tokens, rejecting anything outside the grammar where it appears."""
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        char, column = source[i], i + 1
        if char.isspace():
            i += 1
        elif number := _NUMBER.match(source, i):
            i = number.end()
            after = source[i : i + 1]
            if after == ".":
                problem = "数字中多了一个小数点“.”" if "." in number[0] else "小数点后缺少数字"
                raise _fail(i + 1, problem)
            if after.isalnum() or after == "_":
                hint = "不支持科学计数法，请写出完整的数字" if after in "eE" else None
                raise _fail(i + 1, f"数字“{number[0]}”后面不能紧跟“{after}”", hint)
            tokens.append(_Token("number", number[0], column))
        elif name := _NAME.match(source, i):
            offset = column
            for part in name[0].split("."):
                if part.startswith("_"):
                    raise _fail(offset, f"字段名不能以下划线开头：“{part}”")
                offset += len(part) + 1
            i = name.end()
            if source[i : i + 1] == ".":
                raise _fail(i + 1, "“.”后缺少字段名")
            tokens.append(_Token("name", name[0], column))
        elif char in "+-*/(),":
            if source.startswith("**", i):
                raise _fail(column, "不支持乘方“**”")
            tokens.append(_Token("op" if char in "+-*/" else char, char, column))
            i += 1
        else:
            raise _bad_character(source, i)
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


def _bad_character(source: str, i: int) -> FormulaError:
    """The error for a character the grammar has no place for, with a hint when one helps."""
    char, column = source[i], i + 1
    if char == ".":
        if _NUMBER.match(source, i + 1):
            return _fail(column, "数字不能以小数点开头", "请写成 0.5 这样的形式")
        return _fail(column, "“.”前缺少字段名")
    if char in _UNSUPPORTED:
        return _fail(column, _UNSUPPORTED[char])
    ascii_char = _LOOKALIKES.get(char) or unicodedata.normalize("NFKC", char)
    hint = f"请改用半角字符“{ascii_char}”" if ascii_char in set("0123456789+-*/()., ") else None
    shown = char if char.isprintable() else f"U+{ord(char):04X}"
    return _fail(column, f"不能识别的字符“{shown}”", hint)


class _Parser:
    """Recursive descent over the tokens: expression → term → unary → primary."""

    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.pos = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.pos]

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def descend(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _fail(token.column, f"括号、正负号或函数嵌套超过 {MAX_NESTING} 层")

    def expect(self, kind: str, wanted: str) -> None:
        token = self.take()
        if token.kind != kind:
            if token.kind == "end":
                raise _fail(token.column, f"缺少{wanted}")
            raise _fail(token.column, f"此处应为{wanted}，却是“{token.text}”")

    def expression(self) -> _Node:
        node = self.term()
        while self.token.kind == "op" and self.token.text in "+-":
            node = _Binary(self.take().text, node, self.term())
        return node

    def term(self) -> _Node:
        node = self.unary()
        while self.token.kind == "op" and self.token.text in "*/":
            node = _Binary(self.take().text, node, self.unary())
        return node

    def unary(self) -> _Node:
        if self.token.kind == "op" and self.token.text in "+-":
            sign = self.take()
            self.descend(sign)
            node = _Unary(sign.text, self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> _Node:
        token = self.take()
        if token.kind == "number":
            return _Number(token.text)
        if token.kind == "name":
            return self.call(token) if self.token.kind == "(" else _Field(token.text)
        if token.kind == "(":
            self.descend(token)
            node = self.expression()
            self.expect(")", "右括号“)”")
            self.depth -= 1
            return node._replace(parens=node.parens + 1)
        if token.kind == "end":
            raise _fail(token.column, "公式不完整，末尾缺少数字、字段名或“(”")
        raise _fail(token.column, f"此处应为数字、字段名或“(”，却是“{token.text}”")

    def call(self, name: _Token) -> _Call:
        if name.text not in FUNCTIONS:
            hint = did_you_mean(name.text, FUNCTIONS) or "可用的函数：" + "、".join(sorted(FUNCTIONS))
            raise _fail(name.column, f"未知函数“{name.text}”", hint)
        self.descend(self.take())
        args = [] if self.token.kind == ")" else [self.expression()]
        while self.token.kind == ",":
            self.take()
            args.append(self.expression())
        self.expect(")", "右括号“)”或逗号“,”")
        self.depth -= 1
        low, high = _ARITY[name.text]
        if len(args) < low or (high is not None and len(args) > high):
            need = f"恰好 {low} 个" if low == high else f"至少 {low} 个"
            raise _fail(name.column, f"函数 {name.text} 需要{need}参数，这里有 {len(args)} 个")
        return _Call(name.text, tuple(args))


def parse(source: str) -> Formula:
    """Parse ``source`` into a Formula; raises FormulaError naming the column of the first mistake."""
    if len(source) > MAX_LENGTH:
        raise _fail(MAX_LENGTH + 1, f"公式过长，最多 {MAX_LENGTH} 个字符")
    parser = _Parser(source)
    if parser.token.kind == "end":
        raise _fail(1, "公式为空")
    tree = parser.expression()
    token = parser.token
    if token.kind == ")":
        raise _fail(token.column, "多余的右括号“)”")
    if token.kind in ("number", "name", "("):
        raise _fail(token.column, f"“{token.text}”前缺少运算符（+ − × ÷）")
    if token.kind == ",":
        raise _fail(token.column, "逗号“,”只能用于分隔函数的参数")
    if token.kind != "end":
        raise _fail(token.column, f"多余的“{token.text}”")
    return Formula(source, tree)


@dataclass(frozen=True)
class FormulaValue:
    """A formula's result, or why there is none, with the sum written out for people."""

    value: Decimal | None
    missing: str | None
    text: str


@dataclass(frozen=True)
class Formula:
    """A parsed formula; equal formulas have equal source text."""

    source: str
    tree: _Node | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.tree is None:
            object.__setattr__(self, "tree", parse(self.source).tree)

    @cached_property
    def fields(self) -> frozenset[str]:
        """Every dotted field name the formula reads."""
        return frozenset(self.names)

    @cached_property
    def names(self) -> tuple[str, ...]:
        """Every dotted field name the formula reads, once each, in the order they are written."""
        return tuple(dict.fromkeys(_field_names(self.tree)))

    def evaluate(
        self,
        values: Mapping[str, Decimal | None],
        labels: Mapping[str, str] | None = None,
        fmt: Callable[[str, Decimal], str] | None = None,
    ) -> FormulaValue:
        """Compute in Decimal (28 digits, half up, unrounded); missing data or a zero divisor gives no value.

        The result is a function of the named figures exactly as given (their type and digits, so 1.0 and 1.00
        stay apart), their labels and ``fmt``: a result already worked out for the same inputs is handed back.
        """
        labels = labels or {}
        fmt = fmt or _default_fmt
        names = self.names
        key = (fmt, tuple([repr(values.get(name)) for name in names]), tuple([labels.get(name) for name in names]))
        results = self._results
        kept = results.get(key)
        if kept is None:
            kept = self._evaluate(values, labels, fmt)
            if len(results) >= _KEPT_RESULTS:
                results.clear()
            results[key] = kept
        return kept

    def compute(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The value ``evaluate`` gives, without its text: None for missing data, a zero divisor or an invalid
        result."""
        if any(values.get(name) is None for name in self.names):
            return None
        try:
            with localcontext(_CONTEXT):
                return _compute(self.tree, values, [])
        except ArithmeticError:
            return None

    @cached_property
    def _results(self) -> dict[tuple[object, ...], FormulaValue]:
        """Results already worked out, by their inputs (see ``evaluate``)."""
        return {}

    def _evaluate(
        self, values: Mapping[str, Decimal | None], labels: Mapping[str, str], fmt: Callable[[str, Decimal], str]
    ) -> FormulaValue:

        def show(name: str) -> str:
            value = values.get(name)
            label = labels.get(name, name)
            return f"{label}（数据不足）" if value is None else f"{label} {fmt(name, value)}"

        text = _render(self.tree, show)
        missing = [labels.get(name, name) for name in self.names if values.get(name) is None]
        if missing:
            return FormulaValue(None, MISSING + "、".join(missing), text)
        zero_divisors: list[_Node] = []
        try:
            with localcontext(_CONTEXT):
                value = _compute(self.tree, values, zero_divisors)
        except ArithmeticError:
            return FormulaValue(None, "无法计算：数值超出范围或无效", text)
        if value is None:
            divisor = zero_divisors[0]
            shown = _render(divisor, show)
            if isinstance(divisor, (_Unary, _Binary, _Call)):
                shown += " = 0"
            return FormulaValue(None, "除数为 0：" + shown, text)
        return FormulaValue(value, None, text)

    def render(self, labels: Mapping[str, str] | None = None) -> str:
        """The formula written with labels instead of field names, e.g. "本年支出合计 ÷ 年初预算"."""
        labels = labels or {}
        return _render(self.tree, lambda name: labels.get(name, name))


def _children(node: _Node) -> tuple[_Node, ...]:
    if isinstance(node, _Unary):
        return (node.operand,)
    if isinstance(node, _Binary):
        return (node.left, node.right)
    if isinstance(node, _Call):
        return node.args
    return ()


def _field_names(node: _Node) -> Iterator[str]:
    """Field names in the order they are written, repeats included."""
    if isinstance(node, _Field):
        yield node.name
    for child in _children(node):
        yield from _field_names(child)


def _compute(node: _Node, values: Mapping[str, Decimal | None], zero_divisors: list[_Node]) -> Decimal | None:
    """The node's value in the current context, or None after recording a zero divisor."""
    if isinstance(node, _Number):
        return Decimal(node.text)
    if isinstance(node, _Field):
        return values[node.name]
    args = [_compute(child, values, zero_divisors) for child in _children(node)]
    if any(arg is None for arg in args):
        return None
    if isinstance(node, _Unary):
        return -args[0] if node.op == "-" else +args[0]
    if isinstance(node, _Call):
        return abs(args[0]) if node.function == "abs" else _AGGREGATES[node.function](args)
    left, right = args
    if node.op == "/" and right == 0:
        zero_divisors.append(node.right)
        return None
    return _OPERATIONS[node.op](left, right)


def _render(node: _Node, show: Callable[[str], str]) -> str:
    """The node as people read it, with parentheses exactly where the source had them: ``abs(x)`` as ``|x|``,
    ``min(a, b)`` as ``（a、b 中较小者）``."""
    if isinstance(node, _Number):
        body = node.text
    elif isinstance(node, _Field):
        body = show(node.name)
    elif isinstance(node, _Unary):
        body = _SYMBOLS[node.op] + _render(node.operand, show)
    elif isinstance(node, _Binary):
        body = f"{_render(node.left, show)} {_SYMBOLS[node.op]} {_render(node.right, show)}"
    elif node.function == "abs":
        body = f"|{_render(node.args[0], show)}|"
    else:  # min, max: in words, in full-width brackets so that they read as one term
        body = f"（{'、'.join(_render(arg, show) for arg in node.args)} 中{_CHOSEN[node.function]}）"
    return "(" * node.parens + body + ")" * node.parens


_CHOSEN = {"min": "较小者", "max": "较大者"}
"""How a formula's ``min`` and ``max`` are read: people see words, never the function names."""


def _default_fmt(name: str, value: Decimal) -> str:
    """Whole numbers without decimals ("17"), others with two decimals rounded half up ("517.70")."""
    if not value:
        return "0"
    if value == value.to_integral_value():
        return format(value.to_integral_value(), "f")
    context = Context(prec=max(28, value.adjusted() + 3), rounding=ROUND_HALF_UP)
    return format(value.quantize(Decimal("0.01"), context=context), "f")
