"""Input that used to be accepted silently, met as a user meets it: a quoted year, a score on a group, ``replaces``
cycles, a 科目 code under no 类, a set outside the workspace and TOML errors — each a located Chinese error."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_indicator_sets import GOOD
from zzperf.checks import run_checks
from zzperf.errors import ZzperfError
from zzperf.tomlio import _TOML_WORDS, read_toml
from zzperf.workspace import Workspace

SHIPPED_SET = REPO / "indicators" / "zhuzhou-zwfw.toml"


def zzperf(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "zzperf", *args], capture_output=True, text=True, cwd=cwd, timeout=60)


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """The one-message refusal: exit code 2, no traceback, each of ``words`` in the message."""
    said = result.stderr + result.stdout
    assert result.returncode == 2, said
    assert "Traceback" not in said
    for word in words:
        assert word in said
    return said


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check_refuses_income_total(demo: Path, written: str, *words: str) -> str:
    """``zzperf check`` refusing the year once 本年收入合计 (line 9) is written as ``written``: its message."""
    _edit(demo / "2018" / "accounts.toml", "income_total = 608.72 ", f"income_total = {written} ")
    return refused(zzperf("check", str(demo), cwd=demo.parent), *words)


# ─── figures ─────────────────────────────────────────────────────────────────


def test_an_amount_in_chinese_numerals_is_refused_with_the_figures_chinese_label(demo: Path) -> None:
    said = check_refuses_income_total(
        demo,
        '"六百零八点七二"',
        "accounts.toml:第 9 行 本年收入合计（overview.income_total）",
        "“六百零八点七二”不是金额",
    )
    assert said.count("\n") <= 2, said


@pytest.mark.parametrize("unit", ["万元", " 万元", "元", "%"])
def test_a_unit_written_after_an_amount_is_named_as_such(demo: Path, unit: str) -> None:
    """``income_total = 608.72万元`` is not two statements on one line: the number goes without its unit."""
    _edit(demo / "2018" / "accounts.toml", "income_total = 608.72 ", f"income_total = 608.72{unit} ")
    column = len("income_total = 608.72") + 1 + (unit != unit.strip())
    said = refused(
        zzperf("check", str(demo), cwd=demo.parent),
        f"accounts.toml:第 9 行第 {column} 列",
        f"数字后面不能写单位：应写作 608.72（不写“{unit.strip()}”）",
        'unit = "万元"',
    )
    assert "一行只能写一个" not in said


def test_a_unit_after_an_amount_names_the_figure(demo: Path) -> None:
    said = check_refuses_income_total(
        demo,
        "608.72万元",
        "accounts.toml:第 9 行第 22 列 本年收入合计（overview.income_total）",
        "数字后面不能写单位：应写作 608.72（不写“万元”）",
    )
    assert said.count("错误") == 1, said


@pytest.mark.parametrize("minus", ["\u2212", "\uff0d"])
def test_an_unquoted_negative_amount_with_another_minus_asks_for_the_ascii_one(demo: Path, minus: str) -> None:
    """“−608.72” pasted from a PDF (U+2212) or written full-width: the key is named and the minus to use shown."""
    said = check_refuses_income_total(
        demo,
        f"{minus}608.72",
        "accounts.toml:第 9 行 本年收入合计（overview.income_total）",
        f"负号须用英文减号“-”：应写作 -608.72（文件中的“{minus}”是另一个字符）",
    )
    assert "TOML 格式错误" not in said and said.count("错误") == 1, said


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("1,234.56", "数字中不能写千位分隔符：应写作 1234.56（文件中写的是 1,234.56）"),
        ("608,72", "小数点须用英文句点“.”：应写作 608.72（文件中写的是 608,72）"),
        ("608.72x", "“608.72x”不是一个数字"),
        ("608.72.1", "“608.72.1”不是一个数字"),
        ("608.72万x", "“608.72万x”不是一个数字"),
        ("６０８.７２", "数字须用半角字符：应写作 608.72（文件中写的是 ６０８.７２）"),
        ("６０８．７２", "数字须用半角字符：应写作 608.72（文件中写的是 ６０８．７２）"),
    ],
)
def test_a_garbled_number_is_named_as_such_not_as_two_statements_on_a_line(demo: Path, written: str, said: str) -> None:
    """A thousands separator, a decimal comma or a stray character after the number had tomli's words: “一行只能写
    一个‘键 = 值’ … 中文只能写在值里”, true of none of them."""
    message = check_refuses_income_total(
        demo, written, "accounts.toml:第 9 行 本年收入合计（overview.income_total）", said, "不带千位分隔符"
    )
    assert "一行只能写一个" not in message and "TOML 格式错误" not in message, message
    assert message.count("错误") == 1, message


@pytest.mark.parametrize("written", ["6O8.72", "608..72"])
def test_a_number_that_cannot_be_told_gets_the_form_not_a_guess(demo: Path, written: str) -> None:
    """“6O8.72” (a letter O) or “608..72”: what was meant cannot be told, so the hint shows how a number is written
    with an example, not “6” or “608” cut from the text as if that were the value."""
    message = check_refuses_income_total(
        demo, written, "accounts.toml:第 9 行 本年收入合计（overview.income_total）", f"“{written}”不是一个数字"
    )
    assert "如 income_total = 1234.56：" in message, message
    assert "= 6：" not in message and "= 608：" not in message, message


def test_a_telephone_number_without_quotes_is_asked_to_be_quoted(demo: Path) -> None:
    """``phone = 073128888888`` in zzperf.toml: TOML has no number with a leading 0, and tomli's words (“一行只能写
    一个‘键 = 值’”) misled; the message says to quote it, with the line to write."""
    (demo / "zzperf.toml").write_text(
        (demo / "zzperf.toml").read_text(encoding="utf-8") + "phone = 073128888888\n", encoding="utf-8"
    )
    said = refused(
        zzperf("score", str(demo), cwd=demo.parent),
        "“073128888888”以 0 开头，不是数字：电话号码、编码等须加引号写作文字",
        '写作 phone = "073128888888"',
    )
    assert "一行只能写一个" not in said, said


def test_a_key_written_twice_is_named_with_what_to_do(demo: Path) -> None:
    said = check_refuses_income_total(
        demo,
        "608.72\nincome_total = 608.72",
        "accounts.toml:第 10 行第 22 列 本年收入合计（overview.income_total）",
        "TOML 格式错误：重复定义了同一个键",
        "同一个表中每个键只能写一次",
    )
    assert "检查引号" not in said, said


def test_an_unquoted_amount_in_chinese_numerals_asks_for_arabic_numerals(demo: Path) -> None:
    said = check_refuses_income_total(
        demo,
        "六百零八点七二",
        "accounts.toml:第 9 行 本年收入合计（overview.income_total）",
        "金额须用阿拉伯数字书写，例如 608.72",
        "income_total = 608.72",
    )
    assert "TOML 格式错误" not in said and "中文只能写在值里" not in said
    assert said.count("错误") == 1, said


def test_an_amount_in_another_unit_than_the_files_says_how_to_write_it(demo: Path) -> None:
    said = check_refuses_income_total(
        demo,
        '"608.72元"',
        "accounts.toml:第 9 行 本年收入合计（overview.income_total）",
        "单位“元”与本文件的金额单位（万元）不同",
        "应按万元写作 0.060872",
        'unit 改为 "元"',
    )
    assert said.count("错误") == 1, said


@pytest.mark.parametrize("minus", ["-", "\u2212", "\uff0d"])
def test_a_negative_amount_in_another_unit_says_how_to_write_it_whichever_minus(demo: Path, minus: str) -> None:
    """Each minus ``parse_amount`` reads (ASCII, U+2212 −, full-width －) gets the unit's own message."""
    said = check_refuses_income_total(
        demo,
        f'"{minus}608.72元"',
        "accounts.toml:第 9 行 本年收入合计（overview.income_total）",
        f"“{minus}608.72元”的单位“元”与本文件的金额单位（万元）不同",
        "应按万元写作 -0.060872",
    )
    assert "不是金额" not in said and said.count("错误") == 1, said


def test_a_negative_amount_with_the_files_own_unit_says_to_leave_it_out(demo: Path) -> None:
    accounts = demo / "2018" / "accounts.toml"
    _edit(accounts, 'unit = "万元"', 'unit = "元"')
    _edit(accounts, "income_total = 608.72 ", 'income_total = "\u2212608.72元" ')
    refused(
        zzperf("check", str(demo), cwd=demo.parent),
        "本年收入合计（overview.income_total）",
        "“\u2212608.72元”：金额后面不写单位，应写作 -608.72（不加引号）",
    )


def test_an_error_inside_an_array_of_tables_names_the_element(demo: Path) -> None:
    text = (demo / "2018" / "accounts.toml").read_text(encoding="utf-8")
    second = [number for number, line in enumerate(text.splitlines(), start=1) if line.startswith("[[")][1]
    lines = text.splitlines()
    key = next(n for n in range(second, len(lines)) if lines[n].startswith("total ="))
    name = "total"
    header = lines[second - 1].strip("[] ")
    lines[key] = f"{name} = 两百"
    (demo / "2018" / "accounts.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = refused(zzperf("check", str(demo), cwd=demo.parent), f"第 {key + 1} 行", f"{header}[1]", f".{name}")
    assert "金额须用阿拉伯数字书写" in said


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("year = 2018", "year = 二〇一八", "数字须用阿拉伯数字书写，例如 2018"),
        ('code = "20103"', "code = 二〇一〇三", "TOML 格式错误"),  # text: the advice is its quotes
    ],
)
def test_chinese_numerals_where_no_amount_is_expected(demo: Path, old: str, new: str, words: str) -> None:
    _edit(demo / "2018" / "accounts.toml", old, new)
    refused(zzperf("check", str(demo), cwd=demo.parent), words)


def test_two_statements_on_one_line_are_still_told_so(demo: Path) -> None:
    _edit(demo / "2018" / "accounts.toml", "income_total = 608.72 ", "income_total = 608.72 carryover = 1 ")
    refused(zzperf("check", str(demo), cwd=demo.parent), "第 9 行第 23 列", "一行只能写一个“键 = 值”")


# ─── year ─────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["accounts.toml", "evaluation.toml"])
def test_a_quoted_year_is_refused_with_its_line(demo: Path, name: str) -> None:
    _edit(demo / "2018" / name, "\nyear = 2018\n", '\nyear = "2018"\n')
    said = refused(
        zzperf("score", str(demo), "--year", "2018", cwd=demo.parent),
        name,
        "第 5 行 ",
        "year",
        "不加引号的整数",
        '"2018"',
    )
    assert "year = 2018" in said


def test_a_year_written_as_a_decimal_is_refused(demo: Path) -> None:
    _edit(demo / "2018" / "accounts.toml", "\nyear = 2018\n", "\nyear = 2018.0\n")
    with pytest.raises(ZzperfError, match="不加引号的整数"):
        Workspace(demo).load_accounts(2018)


# ─── the report date ──────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("2019年13月45日", "没有 13 月"),
        ("2019年2月29日", "2019 年 2 月只有 28 天"),
        ("二〇一九年二月三十日", "2019 年 2 月只有 28 天"),
        ("二〇一九年十三月一日", "没有 13 月"),
        ("2019-04-31", "2019 年 4 月只有 30 天"),
        ("下个月", "应写成 2019年3月31日、2019-03-31 或 2019.3.31"),
    ],
)
def test_an_impossible_report_date_is_refused_with_its_line(demo: Path, written: str, words: str) -> None:
    _edit(demo / "2018" / "evaluation.toml", '\nevaluator = "部门（单位）评价组"\n', f'\ndate = "{written}"\n')
    said = refused(zzperf("report", str(demo), "--format", "md", cwd=demo.parent), "evaluation.toml", "第 6 行 date")
    assert f"填报日期“{written}”" in said and words in said
    assert not list((demo / "2018").glob("*.md"))


@pytest.mark.parametrize(
    "written",
    [
        "2019年3月31日",
        "2019-03-31",
        "2019.3.31",
        "2019/3/31",
        "2019年3月",
        "２０１９年３月３１日",
        "二〇一九年三月二十日",  # as official documents date themselves
        "二〇二〇年十二月",
        "二○一九年十月三十一日",
    ],
)
def test_a_report_date_in_a_common_form_is_printed_as_written(demo: Path, written: str) -> None:
    _edit(demo / "2018" / "evaluation.toml", '\nevaluator = "部门（单位）评价组"\n', f'\ndate = "{written}"\n')
    done = zzperf("report", str(demo), "--format", "docx", cwd=demo.parent)
    assert done.returncode == 0, done.stderr
    import docx

    document = docx.Document(str(next((demo / "2018").glob("*.docx"))))
    cells = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["填报日期", written] in cells


def test_the_report_date_typed_in_the_app_is_checked_before_it_is_saved(demo: Path) -> None:
    from zzperf.editing import EditError, update_report

    evaluation = Workspace(demo).load_evaluation(2018)
    with pytest.raises(EditError, match="填报日期“2019年13月45日”不是有效日期：没有 13 月"):
        update_report(evaluation, date="2019年13月45日")
    assert update_report(evaluation, date="2019.3.31").date == "2019.3.31"


# ─── a score on a group ───────────────────────────────────────────────────────


def test_a_score_on_a_group_indicator_names_its_leaves(demo: Path) -> None:
    evaluation = demo / "2018" / "evaluation.toml"
    evaluation.write_text(
        evaluation.read_text(encoding="utf-8") + '\n[indicators."input.goals"]\nscore = 5\nreason = "整体评分"\n',
        encoding="utf-8",
    )
    line = evaluation.read_text(encoding="utf-8").splitlines().index('[indicators."input.goals"]') + 1
    said = refused(
        zzperf("score", str(demo), "--year", "2018", cwd=demo.parent),
        "evaluation.toml",
        f'第 {line} 行 indicators."input.goals"',
        "分组指标",
        "input.goals.rationality",
        "input.goals.clarity",
    )
    assert "末级指标" in said


# ─── replaces ─────────────────────────────────────────────────────────────────


def _set_with(tmp_path: Path, staff: str, rules: str) -> Path:
    text = GOOD.replace('name = "在职人员控制率"\n', f'name = "在职人员控制率"\n{staff}')
    text = text.replace('name = "管理制度健全性"\n', f'name = "管理制度健全性"\n{rules}')
    path = tmp_path / "set.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("staff", "rules", "words"),
    [
        (
            'replaces = ["input.config.rules"]\n',
            'replaces = ["input.config.staff"]\n',
            ["“input.config.rules” 仍是本体系中的指标", "循环"],
        ),
        ('replaces = ["input.config.staff"]\n', "", ["列出了它自己"]),
        ('replaces = ["input.config.rules"]\n', "", ["仍是本体系中的指标"]),
        ('replaces = ["input.old"]\n', 'replaces = ["input.old"]\n', ["旧 id “input.old” 同时被"]),
    ],
    ids=["cycle", "itself", "an-id-in-the-set", "one-old-id-twice"],
)
def test_sets_validate_refuses_replaces_that_cannot_be_an_earlier_id(
    tmp_path: Path, staff: str, rules: str, words: list[str]
) -> None:
    path = _set_with(tmp_path, staff, rules)
    said = refused(zzperf("sets", "validate", str(path), cwd=tmp_path), "set.toml", "replaces", *words)
    assert re.search(r"第 \d+ 行 indicator\[\d\]", said)


def test_replaces_of_an_earlier_id_is_accepted(tmp_path: Path) -> None:
    path = _set_with(tmp_path, 'replaces = ["input.config.personnel"]\n', "")
    result = zzperf("sets", "validate", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


# ─── 科目 codes ───────────────────────────────────────────────────────────────


def test_a_code_under_no_class_is_a_warning_in_check(demo: Path) -> None:
    accounts = demo / "2018" / "accounts.toml"
    _edit(accounts, 'code = "2010399"\nname = "其他政府办公厅(室)及相关机构事务支出"', 'code = "99999"\nname = "其他"')
    result = zzperf("check", str(demo), "--year", "2018", cwd=demo.parent)
    assert "Traceback" not in result.stderr
    assert "99999 其他" in result.stdout and "T3-CODE" not in result.stdout  # the rule's name, not its code
    report = run_checks(Workspace(demo).load_accounts(2018))
    found = [finding for finding in report.findings if finding.code == "T3-CODE"]
    assert [(finding.severity, finding.row) for finding in found] == [("warning", "99999 其他")]
    assert "上级类 999 不在表中" in found[0].message


def test_the_demo_codes_all_sit_under_their_class() -> None:
    report = run_checks(Workspace(REPO / "zzperf" / "demo").load_accounts(2018))
    assert not [finding for finding in report.findings if finding.code.endswith("-CODE")]


# ─── the indicator set's place ────────────────────────────────────────────────


@pytest.mark.parametrize("where", ["absolute", "parent", "symlink"])
def test_an_indicator_set_outside_the_workspace_is_refused(demo: Path, tmp_path: Path, where: str) -> None:
    outside = tmp_path / "shared" / "set.toml"
    outside.parent.mkdir()
    shutil.copy(SHIPPED_SET, outside)
    name = {"absolute": str(outside), "parent": "../shared/set.toml", "symlink": "linked.toml"}[where]
    if where == "symlink":
        (demo / "linked.toml").symlink_to(outside)
    _edit(demo / "zzperf.toml", 'indicator_set = "zhuzhou-zwfw"', f"indicator_set = '{name}'")
    refused(
        zzperf("score", str(demo), "--year", "2018", cwd=demo.parent),
        "zzperf.toml",
        "indicator_set",
        "不在工作区文件夹内",
        "复制到工作区文件夹",
    )


def test_a_year_set_outside_the_workspace_is_refused(demo: Path, tmp_path: Path) -> None:
    shutil.copy(SHIPPED_SET, tmp_path / "old.toml")
    profile = demo / "zzperf.toml"
    profile.write_text(profile.read_text(encoding="utf-8") + '\n[year_sets]\n2018 = "../old.toml"\n', encoding="utf-8")
    refused(
        zzperf("score", str(demo), "--year", "2018", cwd=demo.parent),
        "zzperf.toml",
        "year_sets.2018",
        "不在工作区文件夹内",
    )


def test_a_set_copied_into_the_workspace_and_a_shipped_name_both_work(demo: Path) -> None:
    before = zzperf("score", str(demo), "--year", "2018", cwd=demo.parent)
    assert before.returncode == 0, before.stderr
    (demo / "sets").mkdir()
    shutil.copy(SHIPPED_SET, demo / "sets" / "own.toml")
    _edit(demo / "zzperf.toml", 'indicator_set = "zhuzhou-zwfw"', 'indicator_set = "sets/own.toml"')
    after = zzperf("score", str(demo), "--year", "2018", cwd=demo.parent)
    assert after.returncode == 0, after.stderr
    assert after.stdout == before.stdout


# ─── TOML errors ──────────────────────────────────────────────────────────────

_BROKEN_TOML = {
    "Invalid value": "a = 中文\n",
    "Invalid statement": "= 1\n",
    "Invalid initial character for a key part": "a.= 1\n",
    "Invalid date or datetime": "a = 2019-02-30\n",
    "Invalid hex value": 'a = "\\uZZZZ"\n',
    "Expected '=' after a key in a key/value pair": "a 1\n",
    "Expected newline or end of document after a statement": "a = 1 b = 2\n",
    "Expected ']' at the end of a table declaration": "[a\n",
    "Expected ']]' at the end of an array declaration": "[[a]\n",
    "Cannot overwrite a value": "a = 1\na = 2\n",
    "Cannot declare": "[a]\n[a]\n",
    "Cannot mutate immutable namespace": "a = {b = 1}\na.c = 2\n",
    "Duplicate inline table key": "a = {b = 1, b = 2}\n",
    "Unclosed array": "a = [1, 2\n",
    "Unclosed inline table": "a = {b = 1\n",
    "Unterminated string": 'a = """abc\n',
    "Unescaped '\\' in a string": 'a = "x\\q"\n',
    "Escaped character is not a Unicode scalar value": 'a = "\\uD800"\n',
    "Illegal character": 'a = "abc\n',
    "Found invalid character": "a = 'x\x01'\n",
}


@pytest.mark.parametrize("english", list(_BROKEN_TOML))
def test_every_toml_error_is_told_in_chinese_with_its_line(tmp_path: Path, english: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(_BROKEN_TOML[english], encoding="utf-8")
    with pytest.raises(ZzperfError) as caught:
        read_toml(path)
    error = caught.value
    assert error.message == f"TOML 格式错误：{_TOML_WORDS[english]}"
    assert not re.search(r"[A-Za-z]{3,}", error.message.removeprefix("TOML")), error.message
    assert error.where and error.where.startswith(("第 ", "文件末尾"))


def test_a_toml_error_from_the_command_line_is_chinese(demo: Path) -> None:
    (demo / "2018" / "evaluation.toml").write_text(
        "format_version = 1\nyear = 2018\na = {b = 1, b = 2}\n", encoding="utf-8"
    )
    said = refused(
        zzperf("score", str(demo), "--year", "2018", cwd=demo.parent), "evaluation.toml", "第 3 行", "内联表"
    )
    assert "Duplicate" not in said


def test_the_chinese_table_covers_every_message_tomli_can_raise() -> None:
    """Every literal message in tomli's parser (its wheel ships the source beside the compiled module) starts one of
    the table's entries."""
    import tomli

    source = (Path(tomli.__file__).parent / "_parser.py").read_text(encoding="utf-8")
    said = set(re.findall(r'(?:suffixed_err|TOMLDecodeError)\(\s*(?:src,\s*\w+,\s*)?f?"([^"{]+)', source))
    said = {
        message.strip().replace("\\\\", "\\")
        for message in said
        if message.strip() and not message.startswith("An error")
    }
    assert said, "the parser's messages were not found"
    missing = [message for message in said if not any(message.startswith(english) for english in _TOML_WORDS)]
    assert not missing


def test_the_kind_of_a_field_is_read_from_its_type_not_from_the_words_in_its_name() -> None:
    # A field typed with a class whose name holds “int” (Hint, Points) was taken for a 数字 field.
    from decimal import Decimal as Amount

    from pydantic import BaseModel

    from zzperf.tomlio import _value_kind

    class Hint(str):
        pass

    class Model(BaseModel, arbitrary_types_allowed=True):
        note: Hint | None = None
        count: int = 0
        amount: Amount | None = None

    assert [_value_kind(Model, (name,)) for name in ("note", "count", "amount")] == ["", "数字", "金额"]
