"""Figures by path: find the figure a path names in a year's accounts, read it, set it from typed text, show it.

Figure paths extend ``figure_paths.py`` with table rows, in the form ``zzperf check`` names them::

    overview.expenditure_total              公开01表 本年支出合计
    three_public.budget.total               “三公”经费预算数·合计
    expenditure.lines[2010301].basic        公开03表 2010301 行 基本支出
    basic_expenditure.lines[30101].amount   公开06表 30101 基本工资
    budget.by_function[2010301].initial     按功能分类的年初预算
    outcomes.cases_handled.actual           绩效目标“办件量”的完成值
    prev.overview.carryover_end             上年数据（只读）
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from zzperf import figure_paths
from zzperf.accounts import COMPARISON_SYMBOL, Accounts, Outcome
from zzperf.amounts import WAN, fmt_money, fmt_number, parse_amount
from zzperf.editing import EditError, Kind

_STEP = re.compile(r"^([a-z_][a-z0-9_]*)(?:\[([0-9A-Za-z_]+)\])?$")
_BLANK_WORDS = {"", "数据不足", "无数据", "空"}
_OPS = {">=": ">=", "≥": ">=", "=": "=", "==": "=", "<=": "<=", "≤": "<="}
_TRUE = {"是", "有", "true", "yes", "y", "1", "√", "✓"}
_FALSE = {"否", "无", "false", "no", "n", "0", "×"}


@dataclass(frozen=True)
class _Target:
    owner: BaseModel
    name: str
    kind: Kind
    root: Accounts
    """The accounts walked: those given, or the copy made on the way (``_resolve(copied=True)``)."""


def _steps(path: str) -> list[tuple[str, str | None]]:
    steps = []
    for part in path.split("."):
        match = _STEP.match(part)
        if match is None:
            raise EditError(f"数据路径“{path}”格式不对", where=path)
        steps.append((match[1], match[2]))
    return steps


def _kind(model: type[BaseModel], name: str, path: str) -> Kind:
    annotation = model.model_fields[name].annotation
    if name == "op" and issubclass(model, Outcome):
        return "op"
    if annotation in (Decimal | None, Decimal):
        return "quantity" if issubclass(model, Outcome) else "money"
    if annotation in (int | None, int):
        return "count"
    if annotation in (bool | None, bool):
        return "bool"
    if annotation in (str | None, str):
        return "text"
    raise EditError(f"“{path}”不是可以填写的数据项", where=path)


def _resolve(accounts: Accounts, path: str, *, copied: bool = False) -> _Target:
    """The model that holds the figure at ``path`` and the field's name.

    ``copied``: the walk goes through a shallow copy of ``accounts`` (``root``) in which each model on the way to the
    figure, and each list of rows passed through, is a copy too. The figure can then be set on ``owner`` without
    touching ``accounts`` (the undo history keeps it), and the rest is shared: copying all of ``accounts`` (some five
    thousand objects) had taken most of the time of a figure typed in.
    """
    if path.startswith(figure_paths.PREVIOUS):
        raise EditError("上年数据只能在上年度中修改", where=path)
    steps = _steps(path)
    root = accounts.model_copy() if copied else accounts
    node: Any = root
    for index, (name, code) in enumerate(steps):
        last = index == len(steps) - 1
        if isinstance(node, Accounts) and name == "outcomes" and code is None and len(steps) == 3:
            outcome = node.outcome(steps[1][0])
            if outcome is None:
                raise EditError(f"本年没有绩效目标“{steps[1][0]}”", where=path)
            field = steps[2][0]
            if field not in Outcome.model_fields or field == "key":
                raise EditError(f"绩效目标没有“{field}”一项", where=path)
            if copied:
                outcome = _copied_row(node, name, outcome)
            return _Target(outcome, field, _kind(Outcome, field, path), root)
        if not isinstance(node, BaseModel) or name not in type(node).model_fields:
            raise EditError(f"数据路径“{path}”中没有“{name}”", where=path)
        if last and code is None:
            return _Target(node, name, _kind(type(node), name, path), root)
        value = getattr(node, name)
        if code is not None:
            if not isinstance(value, list):
                raise EditError(f"数据路径“{path}”中“{name}”不是表格行", where=path)
            value = next((line for line in value if getattr(line, "code", None) == code), None)
            if value is None:
                raise EditError(f"表中没有科目编码 {code} 的行", where=path)
            if copied:
                value = _copied_row(node, name, value)
            if last:
                # A whole row (as a check names it) means its one amount column, when it has one.
                if "amount" in type(value).model_fields:
                    return _Target(value, "amount", "money", root)
                raise EditError(f"“{path}”是一整行，请指明列", where=path)
        elif copied and isinstance(value, BaseModel):
            value = value.model_copy()
            node.__dict__[name] = value  # the same values, copied: nothing to validate again
        node = value
    raise EditError(f"“{path}”不是可以填写的数据项", where=path)


def _copied_row(parent: BaseModel, name: str, row: BaseModel) -> BaseModel:
    """A copy of ``row``, put in place of it in a copy of the list ``parent.<name>`` (``parent`` is a copy already)."""
    rows = list(getattr(parent, name))
    index = next(index for index, line in enumerate(rows) if line is row)
    rows[index] = copy = row.model_copy()
    parent.__dict__[name] = rows
    return copy


def figure_kind(accounts: Accounts, path: str) -> Kind:
    """What the figure at ``path`` holds."""
    return _resolve(accounts, path.removeprefix(figure_paths.PREVIOUS)).kind


def get_figure(accounts: Accounts, path: str, previous: Accounts | None = None) -> Any:
    """The value at ``path`` (``prev.`` paths read ``previous``); None when there is no data or no such row."""
    source = accounts
    if path.startswith(figure_paths.PREVIOUS):
        if previous is None:
            return None
        source, path = previous, path[len(figure_paths.PREVIOUS) :]
    try:
        target = _resolve(source, path)
    except EditError:
        return None
    return getattr(target.owner, target.name)


def parse_figure(text: str, kind: Kind) -> Any:
    """Typed text as a value of ``kind``; a blank (or 数据不足) means no data. Raises EditError."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if kind == "text":
        return cleaned or None
    if cleaned in _BLANK_WORDS:
        return None
    if kind == "op":
        compact = cleaned.replace(" ", "")
        if compact not in _OPS:
            raise EditError(f"“{text}”不是指标性质：应为 ≥、= 或 ≤（也可写 >=、<=）")
        return _OPS[compact]
    if kind == "bool":
        lowered = cleaned.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise EditError(f"“{text}”应为“是”或“否”")
    factor = Decimal(1)
    if kind == "money" and cleaned.endswith("元") and not cleaned.endswith("万元"):
        cleaned, factor = cleaned[:-1], 1 / WAN
    try:
        number = parse_amount(cleaned, blank_is_zero=False)
    except ValueError as error:
        raise EditError(str(error)) from None
    if number is None:
        return None
    if kind == "count":
        if number != number.to_integral_value() or number < 0:
            raise EditError(f"“{text}”应为不小于 0 的整数")
        return int(number)
    return _tidy(number * factor) if factor != 1 else number


def _tidy(value: Decimal) -> Decimal:
    """608.7200 → 608.72, 600.00 → 600, without exponent notation."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def set_figure(accounts: Accounts, path: str, text: str) -> Accounts:
    """A copy of ``accounts`` with the figure at ``path`` set from typed ``text``. Raises EditError.

    Only the models on the way to the figure are copied (``_resolve(copied=True)``); the rest is shared with
    ``accounts``, which stays as it was."""
    target = _resolve(accounts, path, copied=True)
    value = parse_figure(text, target.kind)
    try:
        setattr(target.owner, target.name, value)
    except ValidationError as error:
        raise EditError(f"“{text}”不能填在这里：{error.errors()[0]['msg']}", where=path) from None
    return target.root


def figure_text(value: Any, kind: Kind) -> str:
    """A value for display in a sheet: amounts with 2 decimals, counts whole, blank for no data."""
    if value is None:
        return ""
    if kind == "money":
        return fmt_money(value)
    if kind == "quantity":
        return fmt_number(value)
    if kind == "bool":
        return "是" if value else "否"
    if kind == "op":
        return COMPARISON_SYMBOL.get(value, str(value))
    return str(value)


def edit_text(value: Any, kind: Kind) -> str:
    """A value as it should appear in an editor: exact, without rounding."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return figure_text(value, kind)
