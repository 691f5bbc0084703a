"""Indicator sets (``indicators/*.toml``): the 一级 → 二级 → 三级 tree, points and scoring rules.

A set is a flat list of ``[[indicator]]`` tables; the id says where a node sits
(``process.execution.budget_completion`` is a 三级 leaf under ``process.execution`` under
``process``). Leaves carry a rule chosen by ``type`` (domain.md §4); parents carry only points.
"""

# No ``from __future__ import annotations`` here: pydantic would then read each field's type back from a string,
# one ``eval`` each, whenever a set is loaded.

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zzperf import figure_paths
from zzperf.amounts import MAX_POINTS
from zzperf.errors import ZzperfError, did_you_mean
from zzperf.field_docs import new_list
from zzperf.formula import FormulaError, parse
from zzperf.resources import shipped_dir
from zzperf.tomlio import line_of_table, load_model, locate, read_toml

FORMAT_VERSION = 1

Points = Annotated[Decimal, Field(ge=0, le=MAX_POINTS)]
"""A point value (an indicator's own points are checked against its scores when scoring)."""
IndicatorId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,2}$")]


LABEL_MARK = " › "
"""Between a group's name and a leaf's, where the leaf's name alone is not unique (``资产管理 › 管理制度健全性``)."""


class Value(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ThresholdRule(Value):
    """Full marks up to a limit, then a linear deduction per unit beyond it (扣完为止)."""

    type: Literal["threshold"]
    direction: Literal["max", "min"] = "max"
    """max: the value must not exceed ``limit``; min: it must not fall below it."""
    limit: Decimal
    """The limit in the indicator's unit, e.g. 100 for 100%."""
    deduct: Points
    """Points deducted per ``per`` units beyond the limit."""
    per: Annotated[Decimal, Field(gt=0)] = Decimal(1)
    """Size of one deduction unit, e.g. 1 percentage point."""


class StepRule(Value):
    """Full marks up to a limit, then a fixed deduction per started (ceil) or whole (floor) step."""

    type: Literal["step"]
    direction: Literal["max", "min"] = "min"
    """max: the value must not exceed ``limit``; min: it must not fall below it."""
    limit: Decimal
    """The limit in the indicator's unit."""
    step: Annotated[Decimal, Field(gt=0)]
    """Width of one step, e.g. 5 for "每低于 5%"."""
    deduct: Points
    """Points deducted per step."""
    rounding: Literal["ceil", "floor"]
    """ceil: any shortfall starts a step (96% is one step below 100%); floor: only whole steps count."""


class Band(Value):
    """One scoring band: values in [lower, upper) by default get ``points``."""

    lower: Decimal | None = None
    """Lower bound; none means no lower bound."""
    upper: Decimal | None = None
    """Upper bound; none means no upper bound."""
    include_lower: bool = True
    """Whether the lower bound itself belongs to the band."""
    include_upper: bool = False
    """Whether the upper bound itself belongs to the band."""
    points: Points
    """Score for values in this band."""

    def contains(self, value: Decimal) -> bool:
        if self.lower is not None and (value < self.lower or (value == self.lower and not self.include_lower)):
            return False
        if self.upper is not None and (value > self.upper or (value == self.upper and not self.include_upper)):
            return False
        return True


class BandsRule(Value):
    """Tiered bands (预算调整率, 重点支出安排率): the first band containing the value decides."""

    type: Literal["bands"]
    bands: list[Band] = Field(min_length=1)
    """Bands in order; the first that contains the value wins."""


class ProportionalRule(Value):
    """按完成比例计算得分，满分为止: points × value / target, capped at full marks."""

    type: Literal["proportional"]
    target: Annotated[Decimal, Field(gt=0)] = Decimal(100)
    """The value that earns full marks, e.g. 100 for 100%."""


class TargetRule(Value):
    """Compare an outcome's 完成值 with its 指标值 (=, ≥, ≤ as the year's data states)."""

    type: Literal["target"]
    outcome: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    """Key of the outcome in ``accounts.toml``."""
    miss: Literal["proportional", "zero"] = "proportional"
    """When the target is missed: score in proportion to completion, or 0."""
    deviation: Decimal | None = None
    """偏离 rule: percent by which beating the target counts as a target set too low (e.g. 30)."""
    deviation_penalty: Points | None = None
    """Points lost when the 偏离 rule applies (e.g. 2)."""


class ChecklistItem(Value):
    """One review point worth some points."""

    name: str
    points: Points


class ChecklistRule(Value):
    """Each review point met earns its points; the evaluator ticks the points met."""

    type: Literal["checklist"]
    items: list[ChecklistItem] = Field(min_length=1)


class PerCaseRule(Value):
    """Deduct a fixed amount per case (违规、逾期); cases come from a formula or the evaluator."""

    type: Literal["per_case"]
    deduct: Points
    """Points deducted per case."""


class Level(Value):
    """A qualitative level and its score."""

    name: str
    points: Points
    description: str = ""


class LevelsRule(Value):
    """The evaluator picks one qualitative level (好/较好/一般/差)."""

    type: Literal["levels"]
    levels: list[Level] = Field(min_length=1)


class JudgedRule(Value):
    """The evaluator scores 0..points with a written reason for any deduction."""

    type: Literal["judged"]


Rule = Annotated[
    Union[
        ThresholdRule,
        StepRule,
        BandsRule,
        ProportionalRule,
        TargetRule,
        ChecklistRule,
        PerCaseRule,
        LevelsRule,
        JudgedRule,
    ],
    Field(discriminator="type"),
]

FORMULA_RULES = ("threshold", "step", "bands", "proportional")
"""Rule types that score the value of a formula."""
JUDGED_RULES = ("checklist", "levels", "judged")
"""Rule types scored by the evaluator; they take no formula."""


class Indicator(Value):
    """One node of the tree: a 一级/二级 group with points, or a leaf with a rule."""

    id: IndicatorId
    """Stable ASCII id; its dotted parts give the place in the tree."""
    name: str
    """指标名称"""
    points: Points
    """分值"""
    explanation: str = ""
    """指标解释"""
    standard: str = ""
    """评分标准 as shown to evaluators."""
    formula: str | None = None
    """Formula over the year's figures (``prev.`` for the previous year)."""
    unit: str = ""
    """Unit of the value: "%" multiplies the formula's ratio by 100."""
    rule: Rule | None = None
    """Scoring rule; only leaves have one."""
    missing: Literal["insufficient", "zero"] = "insufficient"
    """When data is missing: show 数据不足 and wait for the evaluator, or score 0 (stated, never silent)."""
    not_applicable: Literal["forbidden", "full", "exclude"] = "forbidden"
    """When the evaluator marks it 不适用: not allowed, full marks, or leave it out and rescale the total."""
    replaces: list[str] = Field(default_factory=new_list)
    """Ids this indicator had in earlier versions of the set."""

    @property
    def level(self) -> int:
        return self.id.count(".") + 1

    @property
    def parent_id(self) -> str | None:
        return self.id.rsplit(".", 1)[0] if "." in self.id else None

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    @property
    def computed(self) -> bool:
        """Scored from the figures (a formula, or a target's 完成值 against its 指标值), not by the evaluator's
        judgement (a level, checklist, case count or judged score); False for a group."""
        return bool(self.formula) or isinstance(self.rule, TargetRule)

    @cached_property
    def parsed_formula(self):  # noqa: ANN201 - Formula, imported lazily for readers of this module
        return parse(self.formula) if self.formula else None


class Grade(Value):
    """A grade band: totals at or above ``min`` get ``name`` (the highest matching band wins)."""

    name: str
    min: Decimal


class Cap(Value):
    """A cap on the total when an indicator's value falls in [lower, upper), e.g. a low budget execution rate."""

    indicator: IndicatorId
    lower: Decimal | None = None
    upper: Decimal | None = None
    max_total: Points
    reason: str


DEFAULT_GRADES = (("优", Decimal(90)), ("良", Decimal(80)), ("中", Decimal(60)), ("差", Decimal(0)))
"""The national grade bands: name and lowest total, in points out of 100 (``Grade``s are made for a set's total)."""


class IndicatorSet(BaseModel):
    """A whole indicator set as read from TOML."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    format_version: Literal[1] = FORMAT_VERSION
    """File format version."""
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    """Stable ASCII id of the set, e.g. ``hunan-2018``."""
    name: str
    """指标体系名称"""
    description: str = ""
    """来源与说明"""
    version: str = "1"
    """Version of this set; years scored with different versions are compared by share of points."""
    total: Points = Decimal(100)
    """总分"""
    grade: list[Grade] = Field(default_factory=new_list)
    """等级区间; none given means 优 ≥ 90%, 良 ≥ 80%, 中 ≥ 60%, 差 of the total."""
    cap: list[Cap] = Field(default_factory=new_list)
    """总分封顶规则"""
    indicator: list[Indicator] = Field(min_length=1)
    """All nodes, parents before their children."""

    @model_validator(mode="after")
    def _check_tree(self) -> "IndicatorSet":
        check_tree(self)
        return self

    _DERIVED: ClassVar[tuple[str, ...]] = ("by_id", "uses_previous", "_children", "_leaves", "shown_names")
    """Cached answers worked out from the nodes; a copy works them out again from its own nodes."""

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> "IndicatorSet":
        copy = super().model_copy(update=update, deep=deep)
        for name in self._DERIVED:
            copy.__dict__.pop(name, None)
        return copy

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {node.id: node for node in self.indicator}

    @cached_property
    def uses_previous(self) -> bool:
        """Whether any formula reads the previous year (``prev.``); otherwise that year's file need not be read."""
        return any(
            path.startswith(figure_paths.PREVIOUS)
            for leaf in self.leaves
            if leaf.parsed_formula is not None
            for path in leaf.parsed_formula.fields
        )

    @cached_property
    def _children(self) -> dict[str | None, tuple[Indicator, ...]]:
        found: dict[str | None, list[Indicator]] = {}
        for node in self.indicator:
            found.setdefault(node.parent_id, []).append(node)
        return {parent: tuple(nodes) for parent, nodes in found.items()}

    def children(self, node_id: str | None) -> list[Indicator]:
        """Direct children of a node (None: the 一级 nodes), in file order."""
        return list(self._children.get(node_id, ()))

    @cached_property
    def _leaves(self) -> tuple[Indicator, ...]:
        return tuple(node for node in self.indicator if node.is_leaf)

    @property
    def leaves(self) -> list[Indicator]:
        return list(self._leaves)

    @cached_property
    def shown_names(self) -> dict[str, str]:
        """Each leaf's name as a list of leaves shows it, and as ``--indicator`` takes it: with the group above it
        (``资产管理 › 管理制度健全性``) where another leaf of the set has the same name."""
        counts = Counter(leaf.name for leaf in self._leaves)
        names = {}
        for leaf in self._leaves:
            parent = self.by_id.get(leaf.parent_id or "")
            shared = counts[leaf.name] > 1 and parent is not None
            names[leaf.id] = f"{parent.name}{LABEL_MARK}{leaf.name}" if shared else leaf.name  # type: ignore[union-attr]
        return names

    @property
    def grades(self) -> list[Grade]:
        """The set's grade bands, or the national bands scaled to its total."""
        if self.grade:
            return self.grade
        return [Grade(name=name, min=lowest * self.total / 100) for name, lowest in DEFAULT_GRADES]

    def grade_for(self, total: Decimal) -> str:
        """The grade of a total (bands are half-open: 90 is 优, 89.99 is 良)."""
        ordered = sorted(self.grades, key=lambda band: band.min, reverse=True)
        return next((band.name for band in ordered if total >= band.min), ordered[-1].name)


def _where(index: int, node: Indicator, key: str = "") -> str:
    return f"indicator[{index}]（{node.id}）{'.' + key if key else ''}"


def check_tree(indicator_set: IndicatorSet) -> None:
    """Validate ids, the tree shape, point sums, formulas and rules; raise ZzperfError naming the node."""
    seen: dict[str, int] = {}
    for index, node in enumerate(indicator_set.indicator):
        if node.id in seen:
            raise ZzperfError(f"指标 id “{node.id}” 重复（另见 indicator[{seen[node.id]}]）", where=_where(index, node))
        seen[node.id] = index
        if node.parent_id is not None and node.parent_id not in seen:
            raise ZzperfError(
                f"上级指标 “{node.parent_id}” 不存在或写在本指标之后",
                where=_where(index, node, "id"),
                hint=did_you_mean(node.parent_id, seen) or "上级指标须先于下级列出",
            )
        _check_leaf(index, node)

    for index, node in enumerate(indicator_set.indicator):
        children = indicator_set.children(node.id)
        if node.is_leaf and children:
            raise ZzperfError("有下级指标的节点不能有 rule", where=_where(index, node, "rule"))
        if not node.is_leaf and not children:
            raise ZzperfError(
                "末级指标缺少评分规则 rule", where=_where(index, node), hint="加一个 [indicator.rule] 表，写明 type"
            )
        if node.is_leaf and node.level == 1:
            raise ZzperfError("一级指标须有下级指标", where=_where(index, node))
        if children:
            total = sum((child.points for child in children), Decimal(0))
            if total != node.points:
                names = " + ".join(f"{child.name} {child.points}" for child in children)
                raise ZzperfError(
                    f"下级分值之和 {total}（{names}）不等于本级分值 {node.points}", where=_where(index, node, "points")
                )

    _check_replaces(indicator_set, seen)
    top = indicator_set.children(None)
    total = sum((node.points for node in top), Decimal(0))
    if total != indicator_set.total:
        names = " + ".join(f"{node.name} {node.points}" for node in top)
        raise ZzperfError(f"一级指标分值之和 {total}（{names}）不等于总分 {indicator_set.total}", where="total")
    for index, cap in enumerate(indicator_set.cap):
        where = f"cap[{index}]"
        if cap.indicator not in seen:
            raise ZzperfError(
                f"封顶规则引用的指标 “{cap.indicator}” 不存在",
                where=f"{where}.indicator",
                hint=did_you_mean(cap.indicator, seen),
            )
        target = indicator_set.by_id[cap.indicator]
        if not target.formula:
            raise ZzperfError(f"封顶规则须引用有公式的末级指标，“{cap.indicator}”没有公式", where=f"{where}.indicator")
        if cap.lower is not None and cap.upper is not None and cap.lower >= cap.upper:
            raise ZzperfError(f"封顶区间下限 {cap.lower} 应小于上限 {cap.upper}", where=where)
        if cap.max_total > indicator_set.total:
            raise ZzperfError(f"封顶分 {cap.max_total} 超过总分 {indicator_set.total}", where=f"{where}.max_total")
    _check_grades(indicator_set)


def _check_replaces(indicator_set: IndicatorSet, ids: dict[str, int]) -> None:
    """``replaces`` names ids of earlier versions only, each taken over once: no self, no id of this set, no cycle."""
    taken: dict[str, str] = {}
    for index, node in enumerate(indicator_set.indicator):
        for old in node.replaces:
            where = _where(index, node, "replaces")
            if old == node.id:
                raise ZzperfError(
                    f"指标 “{node.id}” 的 replaces 列出了它自己", where=where, hint="replaces 只写早先版本中的旧 id"
                )
            if old in ids:
                raise ZzperfError(
                    f"replaces 中的 “{old}” 仍是本体系中的指标（indicator[{ids[old]}]）",
                    where=where,
                    hint="replaces 只写早先版本中已不再使用的旧 id；两个指标互相 replaces 会形成循环",
                )
            if old in taken:
                raise ZzperfError(
                    f"旧 id “{old}” 同时被 “{taken[old]}” 和 “{node.id}” 替代",
                    where=where,
                    hint="一个旧 id 只能由一个新指标替代",
                )
            taken[old] = node.id


def group_entry_error(indicator_set: IndicatorSet, node_id: str, path: Path) -> ZzperfError:
    """The error for an evaluation entry on a group (一级/二级) indicator: scores belong to its leaves."""
    _, text = read_toml(path)
    line = locate(text, ("indicators", node_id))
    key = f'indicators."{node_id}"'
    leaves = [leaf.id for leaf in indicator_set.leaves if leaf.id.startswith(node_id + ".")]
    shown = "、".join(leaves[:8]) + ("等" if len(leaves) > 8 else "")
    node = indicator_set.by_id[node_id]
    return ZzperfError(
        f"“{node_id}”（{node.name}）是有下级的分组指标，不能直接评分或填写记录",
        file=path,
        where=f"第 {line} 行 {key}" if line else key,
        hint=f"请把评分写在其下的末级指标上：{shown}",
    )


def _check_grades(indicator_set: IndicatorSet) -> None:
    if not indicator_set.grade:
        return
    names = [grade.name for grade in indicator_set.grade]
    duplicate = next((name for name in names if names.count(name) > 1), None)
    if duplicate:
        raise ZzperfError(f"等级名称 “{duplicate}” 重复", where="grade")
    for index, grade in enumerate(indicator_set.grade):
        if grade.min > indicator_set.total:
            raise ZzperfError(
                f"等级 “{grade.name}” 的下限 {grade.min} 超过总分 {indicator_set.total}", where=f"grade[{index}].min"
            )
    if min(grade.min for grade in indicator_set.grade) > 0:
        raise ZzperfError(
            "等级区间须覆盖 0 分：最低等级的 min 应为 0", where="grade", hint='例如 { name = "差", min = 0 }'
        )


def _check_leaf(index: int, node: Indicator) -> None:
    rule = node.rule
    if rule is None:
        if node.formula:
            raise ZzperfError("只有末级指标可以有公式", where=_where(index, node, "formula"))
        return
    if rule.type in FORMULA_RULES and not node.formula:
        raise ZzperfError(f"评分规则 {rule.type} 需要公式 formula", where=_where(index, node, "formula"))
    if rule.type in (*JUDGED_RULES, "target") and node.formula:
        raise ZzperfError(f"评分规则 {rule.type} 不使用公式，请删除 formula", where=_where(index, node, "formula"))
    if node.formula:
        try:
            formula = parse(node.formula)
        except FormulaError as error:
            raise ZzperfError(error.message, where=_where(index, node, "formula"), hint=error.hint) from None
        for field in sorted(formula.fields):
            if not figure_paths.is_known(field):
                own = field.removeprefix(figure_paths.PREVIOUS)
                hint = did_you_mean(own, figure_paths.known_paths())
                raise ZzperfError(f"公式引用了未知字段 “{field}”", where=_where(index, node, "formula"), hint=hint)
    if isinstance(rule, ChecklistRule):
        total = sum((item.points for item in rule.items), Decimal(0))
        if total != node.points:
            raise ZzperfError(
                f"检查项分值之和 {total} 不等于指标分值 {node.points}", where=_where(index, node, "rule.items")
            )
    for label, points in _rule_points(rule):
        if points > node.points:
            raise ZzperfError(f"{label} 的得分 {points} 超过指标分值 {node.points}", where=_where(index, node, "rule"))
    names = _rule_names(rule)
    duplicate = next((name for name in names if names.count(name) > 1), None)
    if duplicate:
        raise ZzperfError(f"“{duplicate}” 重复出现", where=_where(index, node, "rule"))
    if isinstance(rule, (ThresholdRule, StepRule, PerCaseRule)) and rule.deduct <= 0:
        raise ZzperfError("扣分 deduct 应大于 0", where=_where(index, node, "rule.deduct"))
    if isinstance(rule, BandsRule):
        for number, band in enumerate(rule.bands):
            if (
                band.lower is not None
                and band.upper is not None
                and (
                    band.lower > band.upper
                    or (band.lower == band.upper and not (band.include_lower and band.include_upper))
                )
            ):
                raise ZzperfError(
                    f"区间下限 {band.lower} 大于上限 {band.upper}，或相等却未同时包含两端",
                    where=_where(index, node, f"rule.bands[{number}]"),
                )
    if isinstance(rule, TargetRule):
        if (rule.deviation is None) != (rule.deviation_penalty is None):
            raise ZzperfError("deviation 与 deviation_penalty 须同时给出", where=_where(index, node, "rule"))
        if rule.deviation is not None and rule.deviation <= 0:
            raise ZzperfError(
                "偏离比例 deviation 应大于 0（如 30 表示 30%）", where=_where(index, node, "rule.deviation")
            )
        if rule.deviation_penalty is not None and rule.deviation_penalty > node.points:
            raise ZzperfError(
                f"偏离扣分 {rule.deviation_penalty} 超过指标分值 {node.points}",
                where=_where(index, node, "rule.deviation_penalty"),
            )


def _rule_names(rule: Rule) -> list[str]:
    if isinstance(rule, ChecklistRule):
        return [item.name for item in rule.items]
    if isinstance(rule, LevelsRule):
        return [level.name for level in rule.levels]
    return []


def _rule_points(rule: Rule) -> list[tuple[str, Decimal]]:
    if isinstance(rule, BandsRule):
        return [(f"bands[{index}]", band.points) for index, band in enumerate(rule.bands)]
    if isinstance(rule, LevelsRule):
        return [(f"levels “{level.name}”", level.points) for level in rule.levels]
    return []


def shipped_sets() -> dict[str, Path]:
    """Shipped set files by set id (the file name without ``.toml``)."""
    return dict(_shipped_sets())


@cache
def _shipped_sets() -> dict[str, Path]:
    """The shipped folder listed once: it is part of the installed package (opening a year looked it up twice)."""
    return {path.stem: path for path in sorted(shipped_dir("indicators").glob("*.toml"))}


def load_set(path: Path, *, seen: dict[Path, str] | None = None) -> IndicatorSet:
    """Read and validate one set file; errors name the file, the line and the indicator.

    ``seen``, when given, records the SHA-256 of the bytes parsed (as ``read_toml`` does).
    """
    from zzperf.tomlio import read_toml

    try:
        return load_model(path, IndicatorSet, seen=seen)
    except ZzperfError as error:
        if error.where and error.where.startswith("indicator[") and "第" not in error.where:
            index = int(error.where[len("indicator[") : error.where.index("]")])
            _, text = read_toml(path)
            line = line_of_table(text, "indicator", index)
            if line:
                raise ZzperfError(
                    error.message, file=path, where=f"第 {line} 行 {error.where}", hint=error.hint
                ) from None
        raise


def resolve_set(name: str, base: Path | None = None, *, inside: Path | None = None) -> Path:
    """A set named by shipped id or by path (relative to ``base``); a path must stay in the folder ``inside``.

    A workspace shared with others carries its own set: one outside its folder (``../x.toml``, an absolute
    path, a symlink out) would make the scores depend on a file the recipient does not have or does not see.
    """
    sets = shipped_sets()
    if name in sets:
        return sets[name]
    candidate = Path(name)
    if base is not None and not candidate.is_absolute():
        candidate = base / candidate
    if inside is not None and not candidate.resolve().is_relative_to(inside.resolve()):
        raise ZzperfError(
            f"指标体系文件 “{name}” 不在工作区文件夹内",
            hint=(
                f"请把指标体系文件复制到工作区文件夹 {inside} 中，再写相对路径（如"
                f' indicator_set = "{Path(name).name}"）'
            ),
        )
    if candidate.is_file():
        return candidate
    raise ZzperfError(
        f"找不到指标体系 “{name}”",
        hint=did_you_mean(name, sets) or f"可用的内置指标体系：{'、'.join(sets)}；也可写 TOML 文件路径",
    )
