"""Broken indicator sets give one clear message naming the file, the line and the indicator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zzperf.errors import ZzperfError
from zzperf.indicators import load_set, shipped_sets
from zzperf.schema import SCHEMA_PATH, schema_text

GOOD = """\
format_version = 1
id = "tiny"
name = "小体系"
total = 10

[[indicator]]
id = "input"
name = "投入"
points = 10

[[indicator]]
id = "input.config"
name = "预算配置"
points = 10

[[indicator]]
id = "input.config.staff"
name = "在职人员控制率"
points = 6
unit = "%"
formula = "staffing.in_service / staffing.authorized"
explanation = "在职人数 ÷ 编制数"
standard = "≤100% 满分"
[indicator.rule]
type = "threshold"
limit = 100
deduct = 0.5

[[indicator]]
id = "input.config.rules"
name = "管理制度健全性"
points = 4
[indicator.rule]
type = "judged"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ZzperfError) as caught:
        load_set(_write(tmp_path, text))
    message = str(caught.value)
    assert "set.toml" in message, message
    return message


def test_good_set_loads(tmp_path: Path) -> None:
    indicator_set = load_set(_write(tmp_path, GOOD))
    assert [leaf.id for leaf in indicator_set.leaves] == ["input.config.staff", "input.config.rules"]


def test_points_not_summing(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("points = 6", "points = 7"))
    assert "下级分值之和 11" in message and "不等于本级分值 10" in message
    assert "input.config" in message
    assert "第 11 行" in message  # the [[indicator]] header of input.config


def test_total_not_matching(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("total = 10", "total = 100"))
    assert "一级指标分值之和 10" in message and "总分 100" in message


def test_unknown_formula_field_with_suggestion(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("staffing.authorized", "staffing.authorised"))
    assert "未知字段 “staffing.authorised”" in message
    assert "staffing.authorized" in message  # did you mean
    assert "input.config.staff" in message and "第 16 行" in message


def test_formula_syntax_error(tmp_path: Path) -> None:
    message = _error(
        tmp_path,
        GOOD.replace("staffing.in_service / staffing.authorized", "staffing.in_service / (staffing.authorized"),
    )
    assert "公式第" in message and "input.config.staff" in message


def test_duplicate_id(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('id = "input.config.rules"', 'id = "input.config.staff"'))
    assert "重复" in message and "input.config.staff" in message


def test_unknown_key_with_suggestion(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('name = "管理制度健全性"', 'name = "管理制度健全性"\npionts = 4'))
    assert "未知的键" in message and "pionts" in message
    assert "points" in message  # did you mean


def test_malformed_toml(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('name = "投入"', "name = 投入"))
    assert "TOML 格式错误" in message and "第 8 行" in message


def test_leaf_without_rule(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('[indicator.rule]\ntype = "judged"\n', ""))
    assert "缺少评分规则" in message and "input.config.rules" in message


def test_unknown_rule_type(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('type = "judged"', 'type = "guess"'))
    assert "type" in message and "indicator[3]" in message


def test_step_rounding_must_be_stated(tmp_path: Path) -> None:
    text = GOOD.replace(
        'type = "threshold"\nlimit = 100\ndeduct = 0.5', 'type = "step"\nlimit = 100\nstep = 5\ndeduct = 2'
    )
    message = _error(tmp_path, text)
    assert "rounding" in message and "缺少必填项" in message


def test_orphan_node(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('id = "input.config.rules"', 'id = "input.conifg.rules"'))
    assert "上级指标 “input.conifg” 不存在" in message
    assert "input.config" in message


def test_shipped_sets_are_listed() -> None:
    assert {"national-2013", "hunan-yueyang", "zhuzhou-zwfw"} <= set(shipped_sets())


def test_committed_schema_is_current() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python -m zzperf.schema"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return []


OUTSIDE_FILE = re.compile(r"[\w-]+\.md\b|§")


@pytest.mark.parametrize("set_id", sorted(shipped_sets()))
def test_shipped_set_text_names_no_file_outside_the_product(set_id: str) -> None:
    """Names, 指标解释, 评分标准 and cap reasons are shown to users; they point at nothing users do not have."""
    texts = _strings(load_set(shipped_sets()[set_id]).model_dump())
    assert any("预算" in text for text in texts)
    assert [text for text in texts if OUTSIDE_FILE.search(text)] == []


def test_schema_descriptions_name_no_file_outside_the_product() -> None:
    descriptions = re.findall(r'"description": "([^"]*)"', schema_text())
    assert descriptions
    assert [text for text in descriptions if OUTSIDE_FILE.search(text)] == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            (
                '[indicator.rule]\ntype = "judged"',
                'formula = "staffing.authorized"\n[indicator.rule]\ntype = "bands"\n'
                "bands = [{ lower = 100, upper = 50, points = 1 }]",
            ),
            "区间下限 100 大于上限 50",
        ),
        (
            ('type = "judged"', 'type = "levels"\nlevels = [{ name = "好", points = 4 }, { name = "好", points = 2 }]'),
            "“好” 重复出现",
        ),
        (
            (
                'type = "judged"',
                'type = "checklist"\nitems = [{ name = "甲", points = 2 }, { name = "甲", points = 2 }]',
            ),
            "“甲” 重复出现",
        ),
        (("deduct = 0.5", "deduct = 0"), "扣分 deduct 应大于 0"),
        (
            ("total = 10\n", 'total = 10\n[[grade]]\nname = "优"\nmin = 9\n[[grade]]\nname = "良"\nmin = 5\n'),
            "最低等级的 min 应为 0",
        ),
        (
            ("total = 10\n", 'total = 10\n[[grade]]\nname = "优"\nmin = 90\n[[grade]]\nname = "差"\nmin = 0\n'),
            "超过总分 10",
        ),
        (
            (
                "total = 10\n",
                'total = 10\n[[cap]]\nindicator = "input.config.rules"\nupper = 60\nmax_total = 5\nreason = "r"\n',
            ),
            "须引用有公式的末级指标",
        ),
        (
            (
                "total = 10\n",
                'total = 10\n[[cap]]\nindicator = "input.config.staff"\n'
                'lower = 80\nupper = 70\nmax_total = 5\nreason = "r"\n',
            ),
            "下限 80 应小于上限 70",
        ),
    ],
)
def test_nonsense_rule_parameters_are_refused(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    message = _error(tmp_path, GOOD.replace(*change, 1))
    assert expected in message, message


def test_target_deviation_parameters(tmp_path: Path) -> None:
    text = GOOD.replace('type = "judged"', 'type = "target"\noutcome = "cases"\ndeviation = -10\ndeviation_penalty = 2')
    assert "应大于 0" in _error(tmp_path, text)
    text = GOOD.replace('type = "judged"', 'type = "target"\noutcome = "cases"\ndeviation = 30\ndeviation_penalty = 20')
    assert "超过指标分值 4" in _error(tmp_path, text)


def test_unknown_key_inside_a_rule_points_at_its_line(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("deduct = 0.5", "deductt = 0.5"))
    assert "未知的键" in message and "deductt" in message and "第 27 行" in message
    assert "是不是“deduct”" in message


def test_default_grades_scale_with_the_total(tmp_path: Path) -> None:
    indicator_set = load_set(_write(tmp_path, GOOD))
    assert indicator_set.grade_for(__import__("decimal").Decimal("9")) == "优"
    assert indicator_set.grade_for(__import__("decimal").Decimal("8.99")) == "良"
    assert indicator_set.grade_for(__import__("decimal").Decimal("0")) == "差"


def test_malformed_toml_at_the_end_names_the_last_line(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.rstrip("\n") + "\nlast = [\n")
    assert "TOML 格式错误" in message and f"文件末尾（第 {len(GOOD.rstrip(chr(10)).splitlines()) + 1} 行）" in message


def test_a_set_says_itself_whether_its_formulas_read_the_previous_year(tmp_path: Path) -> None:
    own_year = load_set(_write(tmp_path, GOOD))
    assert own_year.uses_previous is False
    with_previous = load_set(_write(tmp_path, GOOD.replace("staffing.in_service /", "prev.staffing.in_service /")))
    assert with_previous.uses_previous is True
    assert own_year.uses_previous is False  # each set answers for itself, whatever was asked before
    # A copy with other nodes works the answer (and the lookup by id) out again from its own nodes.
    copied = own_year.model_copy(update={"indicator": with_previous.indicator})
    assert copied.uses_previous is True
    assert copied.by_id["input.config.staff"] is with_previous.by_id["input.config.staff"]
    assert own_year.uses_previous is False
