"""``zzperf import`` as a user runs it: real files, exit codes, backups, and a workspace left untouched on refusal."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import DEMO, REPO
from tests.seed_2018 import SEED_TEXT as SEED
from tests.seed_2018 import TABLE_SECTIONS
from zzperf.accounts import Accounts
from zzperf.checks import run_checks
from zzperf.cli import main
from zzperf.workspace import Workspace

NARRATIVE_SECTIONS = ("budget", "operating_costs", "general_spending", "procurement", "assets", "staffing")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove a refused import changed nothing."""
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def fresh(demo: Path) -> Path:
    """The demo department with its 2017 figures but no 2018 file yet."""
    shutil.rmtree(demo / "2018")
    return demo


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A workspace with a profile and no years."""
    root = tmp_path / "ws"
    root.mkdir()
    (root / "zzperf.toml").write_text('format_version = 1\nname = "株洲市政务服务中心"\n', encoding="utf-8")
    return root


def seed_with(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / "seed_changed.txt"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["import", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out + captured.err


# ─── importing ────────────────────────────────────────────────────────────────


NAME = 'name = "株洲市政务服务中心"'
"""The demo profile's department name."""


def test_another_departments_file_is_refused_unless_accepted(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """株洲市政务服务中心's 决算 into a workspace named for another department was written with a note only."""
    profile = fresh / "zzperf.toml"
    profile.write_text(
        profile.read_text(encoding="utf-8").replace(NAME, 'name = "上海市普陀区财政局"'), encoding="utf-8"
    )
    before = snapshot(fresh)
    code, out = run(capsys, str(SEED), str(fresh))
    assert code == 2 and "文件中的部门是“株洲市政务服务中心”，工作区是“上海市普陀区财政局”" in out, out
    assert "--accept-department" in out and snapshot(fresh) == before
    code, out = run(capsys, str(SEED), str(fresh), "--accept-department")
    assert code == 0, out
    assert Workspace(fresh).load_accounts(2018).overview.income_total == Decimal("608.72")


def test_a_shorter_name_of_the_same_department_is_only_noted(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = fresh / "zzperf.toml"
    profile.write_text(profile.read_text(encoding="utf-8").replace(NAME, 'name = "政务服务中心"'), encoding="utf-8")
    code, out = run(capsys, str(SEED), str(fresh))
    assert code == 0 and "注意：文件中的部门是“株洲市政务服务中心”，工作区是“政务服务中心”" in out, out


def test_import_into_a_new_year_writes_the_tables_and_runs_the_checks(
    fresh: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, str(SEED), str(fresh))
    assert code == 0, out
    workspace = Workspace(fresh)
    accounts = workspace.load_accounts(2018)
    expected = Workspace(DEMO).load_accounts(2018)
    for section in TABLE_SECTIONS:
        assert getattr(accounts, section) == getattr(expected, section), section
    assert (accounts.three_public.budget, accounts.three_public.actual) == (
        expected.three_public.budget,
        expected.three_public.actual,
    )
    # Narrative figures are only suggested: nothing of them is written without --accept-suggestions.
    assert accounts.budget.initial is None and accounts.operating_costs.budget is None
    assert "加 --accept-suggestions 才会写入" in out and "年初预算 = 517.70 万元" in out
    # Summary per table, then the checks' findings.
    assert "公开06表 一般公共预算财政拨款基本支出决算表" in out
    assert "301 工资福利支出" in out and "T6-301" not in out and "共 1 个错误，0 个警告，3 条提示" in out
    # … and the text's own 说明 checked against the tables just imported: its 537.71 is 577.72 in 公开05表.
    assert f"说明核对：{SEED}" in out and "文中金额与决算数据一致" in out and "N-AMOUNT" not in out and "577.72" in out
    assert not list((fresh / "2018").glob("*.bak-*"))


def test_checks_after_import_with_suggestions_match_the_demo(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(SEED), str(fresh), "--accept-suggestions")
    assert code == 0, out
    workspace = Workspace(fresh)
    mine = run_checks(workspace.load_accounts(2018), workspace.load_accounts(2017))
    reference = Workspace(DEMO)
    theirs = run_checks(reference.load_accounts(2018), reference.load_accounts(2017))
    assert [(f.code, f.severity, f.message) for f in mine.findings] == [
        (f.code, f.severity, f.message) for f in theirs.findings
    ]
    assert mine.skipped == theirs.skipped == ()


def test_accepted_suggestions_are_the_demo_narrative_figures(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(SEED), str(empty), "--accept-suggestions")
    assert code == 0, out
    workspace = Workspace(empty)
    accounts = workspace.load_accounts(2018)
    demo = Workspace(DEMO).load_accounts(2018)
    for section in NARRATIVE_SECTIONS:
        assert getattr(accounts, section) == getattr(demo, section), section
    assert accounts.three_public.vehicles_held == 1
    # 5 批/36 人次 in the 决算说明, 21 批次/116 人 in the 绩效报告: a conflict, so neither is written.
    assert accounts.three_public.reception_batches is None and accounts.three_public.reception_guests is None
    assert "各处说法不一（5、21）" in out
    previous = workspace.load_accounts(2017)
    assert previous.overview.income_total == Decimal("591.15")
    assert previous.overview.expenditure_total == Decimal("597.72")
    assert previous.overview.carryover_end == Decimal("19.44")
    assert previous.fiscal_overview.income_total == Decimal("591.15")


def test_previous_year_suggestions_fill_only_empty_fields(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    workspace = Workspace(empty)
    workspace.save_accounts(Accounts.model_validate({"year": 2017, "overview": {"income_total": "590.00"}}))
    code, out = run(capsys, str(SEED), str(empty), "--accept-suggestions")
    assert code == 0, out
    previous = workspace.load_accounts(2017)
    assert previous.overview.income_total == Decimal("590.00")  # kept
    assert previous.overview.expenditure_total == Decimal("597.72")  # filled
    assert "2017 年度已有 590.00，与建议的 591.15 不同，未改动" in out
    assert list((empty / "2017").glob("accounts.toml.bak-*"))  # the previous year's file was backed up too


def test_reimporting_the_same_file_changes_nothing(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(demo)
    code, out = run(capsys, str(SEED), str(demo))
    assert code == 0, out
    assert "与工作区中现有数字一致" in out and "没有需要写入的改动" in out
    assert snapshot(demo) == before


def test_existing_figures_need_replace_then_are_backed_up(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    changed = seed_with(tmp_path, "本年收入合计\t22\t608.72", "本年收入合计\t22\t608.70")
    before = snapshot(demo)
    code, out = run(capsys, str(changed), str(demo))
    assert code == 1
    assert "公开01表 本年收入合计：608.72 → 608.70" in out
    assert "--replace" in out and "未写入任何文件" in out
    assert snapshot(demo) == before

    original = (demo / "2018" / "accounts.toml").read_bytes()
    code, out = run(capsys, str(changed), str(demo), "--replace")
    assert code == 0, out
    backups = list((demo / "2018").glob("accounts.toml.bak-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == original
    assert "原文件已备份为" in out
    accounts = Workspace(demo).load_accounts(2018)
    assert accounts.overview.income_total == Decimal("608.70")
    # Everything the tables do not hold is kept: narrative figures, 绩效目标, and the file's comments.
    assert accounts.budget.initial == Decimal("517.70") and len(accounts.outcomes) == 5
    text = (demo / "2018" / "accounts.toml").read_text(encoding="utf-8")
    assert "# 公开03表 支出决算表 合计" in text


def test_dry_run_shows_everything_and_writes_nothing(fresh: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(fresh)
    code, out = run(capsys, str(SEED), str(fresh), "--dry-run", "--accept-suggestions")
    assert code == 0
    assert "将新建" in out and "--dry-run" in out
    assert snapshot(fresh) == before


def test_workspace_found_from_the_current_folder(
    fresh: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(fresh)
    code, out = run(capsys, str(SEED))
    assert code == 0, out
    assert (fresh / "2018" / "accounts.toml").is_file()


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "模板.xlsx"
    code, out = run(capsys, "--template", str(target))
    assert code == 0 and target.is_file() and "已生成空白模板" in out
    code, out = run(capsys, "--template", str(target))
    assert code == 2 and "已存在" in out


# ─── damaged inputs: clear message, non-zero exit, workspace untouched ─────────────


def _missing_table(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    start = text.index("支出决算表\n\n公开03表")
    end = text.index("财政拨款收入支出决算总表\n\n公开04表")
    path = tmp_path / "missing.txt"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def _text_for_number(tmp_path: Path) -> Path:
    return seed_with(
        tmp_path, "2010301\t行政运行\t485.47\t485.47\t0.00\t0.00", "2010301\t行政运行\t485.47\tabc\t0.00\t0.00"
    )


def _yuan_everywhere(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"^(金额单位|位)：万元$", r"\1：元", text, flags=re.MULTILINE)
    path = tmp_path / "yuan.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _yuan_in_one_table(tmp_path: Path) -> Path:
    return seed_with(tmp_path, "支出决算表\n\n公开03表\n\n金额单位：万元", "支出决算表\n\n公开03表\n\n金额单位：元")


def _file(name: str, content: bytes) -> Callable[[Path], Path]:
    """Makes the file ``name`` holding ``content`` in a test's folder."""

    def make(tmp_path: Path) -> Path:
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return make


_empty = _file("empty.txt", b"")
_blank = _file("blank.txt", " \n\t\n\n".encode())
_binary = _file("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
_pdf = _file("决算.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
_empty_pdf = _file("决算.pdf", b"")
_text_named_pdf = _file("决算.pdf", b"hello\n")
_prose = _file("prose.txt", "本部门 2018 年度收入 608.72 万元。\n支出 619.54 万元。\n".encode())


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.txt"
    line = "201\t一般公共服务支出\t577.72\t537.72\t40.00\n".encode()
    with path.open("wb") as stream:
        for _ in range(50 * 1024 * 1024 // (len(line) * 1000) + 1):
            stream.write(line * 1000)
    assert path.stat().st_size >= 50 * 1024 * 1024
    return path


@pytest.mark.parametrize(
    ("make", "exit_code", "messages"),
    [
        (_missing_table, 1, ["缺少公开03表 支出决算表", "--partial"]),
        (_text_for_number, 1, ["“abc”不是金额", "2010301  行政运行  485.47  abc", "无法识别"]),
        (_yuan_everywhere, 1, ["金额单位看来不对", "628.15 元", "以万元为单位", "--unit 万元"]),
        (_yuan_in_one_table, 1, ["公开03表 支出决算表的金额单位与其他各表对不上", "相差约"]),
        (_empty, 2, ["文件是空的"]),
        (_blank, 2, ["文件是空的"]),
        (_binary, 2, ["不是文本文件"]),
        (_pdf, 2, ["PDF 文件已损坏或不完整", "重新下载"]),
        (_empty_pdf, 2, ["文件是空的（0 字节）", "重新下载"]),
        (_text_named_pdf, 2, ["名为 .pdf，但不是 PDF 文件", "存为 .txt"]),
        (_huge, 2, ["文件太大", "上限为 10 MB"]),
        (_prose, 2, ["没有找到任何决算表"]),
    ],
    ids=[
        "missing-table",
        "text-for-number",
        "yuan-everywhere",
        "yuan-in-one-table",
        "empty",
        "blank",
        "binary",
        "damaged-pdf",
        "empty-pdf",
        "text-named-pdf",
        "50MB",
        "no-tables",
    ],
)
def test_damaged_inputs_are_refused_and_change_nothing(
    make,
    exit_code: int,
    messages: list[str],
    demo: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # noqa: ANN001
) -> None:
    source = make(tmp_path)
    before = snapshot(demo)
    code, out = run(capsys, str(source), str(demo), "--replace")
    assert code == exit_code, out
    for message in messages:
        assert message in out, (message, out)
    assert snapshot(demo) == before


def test_year_option_that_contradicts_the_document(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(demo)
    code, out = run(capsys, str(SEED), str(demo), "--year", "2019")
    assert code == 2 and "文件中的决算年度是 2018 年，与 --year 2019 不一致" in out
    assert snapshot(demo) == before


def test_missing_file(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, str(demo / "nope.txt"), str(demo))
    assert code == 2 and "文件不存在" in out


def test_partial_imports_the_tables_that_are_there(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, str(_missing_table(tmp_path)), str(fresh), "--partial")
    assert code == 0, out
    accounts = Workspace(fresh).load_accounts(2018)
    assert accounts.expenditure.total.total is None and accounts.expenditure.lines == []
    assert accounts.income_table.total.total == Decimal("608.72")


def test_unit_option_overrides_a_wrong_unit_line(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, str(_yuan_everywhere(tmp_path)), str(fresh), "--unit", "万元")
    assert code == 0, out
    assert "按 --unit 指定的“万元”读取" in out
    assert Workspace(fresh).load_accounts(2018).overview.income_total == Decimal("608.72")


def test_real_process_exit_codes_and_no_traceback(fresh: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "160"}

    def zzperf(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zzperf", "import", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    refused = zzperf(str(_binary(tmp_path)), str(fresh))
    assert refused.returncode == 2 and "不是文本文件" in refused.stderr and "Traceback" not in refused.stderr
    done = zzperf(str(SEED), str(fresh))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已写入" in done.stdout and "Traceback" not in done.stderr


def test_no_workspace_yet_says_how_to_make_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = run(capsys, str(SEED))
    assert code == 2
    assert "zzperf init 工作区目录 --name 株洲市政务服务中心 --year 2018" in out


def test_an_import_names_its_document_as_the_years_source(
    fresh: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, str(SEED), str(fresh))
    assert code == 0, out
    assert Workspace(fresh).load_accounts(2018).source == f"导入自《{SEED.name}》"
    # a year that said where its figures came from keeps that, and names the new document after it
    changed = seed_with(tmp_path, "本年收入合计\t22\t608.72", "本年收入合计\t22\t608.70")
    said = Workspace(fresh).load_accounts(2018).source
    code, out = run(capsys, str(changed), str(fresh), "--replace")
    assert code == 0, out
    assert Workspace(fresh).load_accounts(2018).source == f"{said}；导入自《seed_changed.txt》"
    code, out = run(capsys, str(SEED), str(fresh), "--replace")
    assert code == 0, out
    assert Workspace(fresh).load_accounts(2018).source == f"{said}；导入自《seed_changed.txt》"  # named once


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_summary_table_fits_the_terminal_and_cuts_no_count(demo: Path, tmp_path: Path, width: int) -> None:
    """``zzperf import --dry-run`` at 60, 80 and 120 columns: the table of tables as wide as the terminal at most,
    every count whole on one line, every table's name there (wrapped as Chinese is set); a narrow terminal leaves
    out 位置 and says so."""
    from rich.cells import cell_len

    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(width)}
    result = subprocess.run(
        [sys.executable, "-m", "zzperf", "import", str(SEED), str(demo), "--dry-run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    table = read_box_table(result.stdout)
    assert max(cell_len(line) for line in table.lines) <= width
    for head in ("读入行", "导入数字", "未导入", "无法识别"):
        cells = [row[table.heads.index(head)] for row in table.rows]
        assert all(re.fullmatch(r"\d*", cell) for cell in cells), (head, cells)
    assert {"91", "81", "78"} <= {row[table.heads.index("导入数字")] for row in table.rows}
    names = table.column("表").replace(" ", "")
    assert (
        "公开06表一般公共预算财政拨款基本支出决算表" in names
        and "公开07表一般公共预算财政拨款“三公”经费支出决算表" in names
    )
    assert ("位置" in table.heads) == (width >= 80)
    assert ("终端宽度不够，未显示：位置" in result.stdout) == (width < 80)


def test_a_word_report_or_a_zip_is_refused_in_chinese_naming_what_can_be_imported(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .docx (zzperf's own report, say) is a zip like a workbook: openpyxl refused it in English, calling it not a
    valid .xlsx. It is named for what it is, with what import reads; nothing is written."""
    report = tmp_path / "自评报告.docx"
    assert main(["report", str(demo), "--out", str(report)]) == 0
    archive = tmp_path / "决算.zip"
    shutil.make_archive(str(archive.with_suffix("")), "zip", demo / "2018")
    capsys.readouterr()
    before = snapshot(demo)
    for path, said in (
        (report, "这是 Word 文档（.docx），不能导入"),
        (archive, "这是压缩文件（zip），不是 Excel 工作簿"),
    ):
        code, out = run(capsys, str(path), str(demo), "--year", "2018")
        assert code == 2 and said in out, out
        assert "可以导入的是部门公开的决算 PDF、从中复制的文字（.txt）或 Excel 工作簿（.xlsx）" in out
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,}", out.replace(str(path), "")), out  # no English sentence
    assert snapshot(demo) == before


@pytest.mark.parametrize("cut", [100, 300_000])
def test_a_cut_off_pdf_is_said_to_be_damaged_in_chinese(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: int
) -> None:
    """A download cut short: the PDF reader's own words (“Unexpected EOF”, “No /Root object! - Is this really a
    PDF?”) ended the message; what they mean is said instead."""
    real = REPO / "tests" / "fixtures" / "real" / "上海市普陀区财政局-2024-部门决算.pdf"
    path = tmp_path / "决算.pdf"
    path.write_bytes(real.read_bytes()[:cut])
    code, out = run(capsys, str(path), str(demo), "--year", "2018")
    assert code == 2 and "PDF 文件已损坏或不完整，无法读取（文件在中途断了，像是没有下载完）" in out, out
    assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", out.replace(str(path), "").replace(str(demo), "")), out
