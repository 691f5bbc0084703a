"""check / score / report over a folder of department workspaces at any depth, as a finance-bureau reviewer runs it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from tests.box_tables import read_box_table
from tests.conftest import run_zzperf
from zzperf.cli import main
from zzperf.review.folders import find_departments, summarise_folder

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_zzperf(*args, cwd=cwd, columns=220)


def _department(folder: Path, name: str) -> Path:
    assert main(["demo", str(folder), "--no-open"]) == 0
    profile = folder / "zzperf.toml"
    lines = profile.read_text(encoding="utf-8").splitlines()
    renamed = [f'name = "{name}"' if line.startswith("name =") else line for line in lines]
    profile.write_text("\n".join(renamed) + "\n", "utf-8")
    return folder


@pytest.fixture
def county(tmp_path: Path) -> Path:
    """Four departments two levels down: one clean, one unscored (no evaluation.toml), one reviewed, one broken."""
    root = tmp_path / "全县"
    clean = _department(root / "城区" / "教育", "县教育局")
    accounts = clean / "2018" / "accounts.toml"
    accounts.write_text(accounts.read_text(encoding="utf-8").replace("amount = 64.11\n", "amount = 55.09\n"), "utf-8")
    (_department(root / "乡镇" / "某乡", "某乡政府") / "2018" / "evaluation.toml").unlink()
    reviewed = _department(root / "城区" / "公安", "县公安局")
    assert (
        main(["review", str(reviewed), "--indicator", "effect.benefit.social", "--score", "2", "--reason", "证据不足"])
        == 0
    )
    broken = _department(root / "乡镇" / "卫健", "县卫健局")
    (broken / "2018" / "evaluation.toml").write_text("year = [", encoding="utf-8")
    (root / "说明.txt").write_text("各部门材料", encoding="utf-8")
    return root


def test_departments_are_found_at_any_depth(county: Path) -> None:
    found = find_departments(county)
    found_names = [path.relative_to(county).as_posix() for path in found]
    assert found_names == ["乡镇/卫健", "乡镇/某乡", "城区/公安", "城区/教育"]
    assert find_departments(found[0]) == [found[0]]


def test_the_summary_ranks_evaluated_departments_only(county: Path) -> None:
    summary = summarise_folder(county, workers=2)
    rows = {row.name: row for row in summary.rows}
    assert [row.name for row in summary.rows] == ["县教育局", "县公安局", "某乡政府", "县卫健局"]
    # the same 自评总分, but 县公安局's 复核总分 is lower, and the ranking goes by the 复核 where there is one
    assert (rows["县教育局"].rank, rows["县公安局"].rank) == (1, 2)
    assert rows["某乡政府"].grade == "未自评" and rows["某乡政府"].rank is None and rows["某乡政府"].total is None
    assert rows["县公安局"].review_total == Decimal("61.53") and rows["县公安局"].inflated
    assert (rows["县公安局"].errors, rows["县教育局"].errors) == (1, 0)
    assert "TOML 格式错误" in rows["县卫健局"].error


def test_check_and_score_over_a_folder_print_one_table_and_write_numbers(county: Path, tmp_path: Path) -> None:
    checked = run("check", str(county), cwd=tmp_path)
    assert checked.returncode == 1  # 勾稽 errors and an unreadable department
    assert "2018 年度各部门汇总（4 个部门）" in checked.stdout
    assert "排名 2 个部门；未自评 1 个；未能读取 1 个。" in checked.stdout
    out = tmp_path / "汇总.csv"
    scored = run("score", str(county), "--out", str(out), cwd=tmp_path)
    assert "已写入汇总表" in scored.stdout
    with out.open(encoding="utf-8-sig") as stream:
        rows = list(csv.DictReader(stream))
    assert rows[0]["部门"] == "县教育局"  # ranked by the 复核总分 where there is one
    first = rows[1]
    assert (first["部门"], first["总分"], first["暂定"], first["复核"], first["差"]) == (
        "县公安局",
        "65.53",
        "3 项待评或数据不足；2 项草稿",
        "61.53",
        "4.00",
    )
    for row in rows:
        for column in ("排名", "总分", "勾稽错误", "勾稽警告", "草稿", "复核", "差"):
            assert row[column] == "" or Decimal(row[column]) is not None
    assert rows[2]["等级"] == "未自评" and rows[2]["总分"] == "" and rows[2]["排名"] == ""


def test_the_xlsx_summary_holds_numbers(county: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "汇总.xlsx"
    assert run("score", str(county), "--out", str(out), cwd=tmp_path).returncode == 1  # one department unreadable
    sheet = load_workbook(out).active
    header = [cell.value for cell in sheet[1]]
    first = dict(zip(header, [cell.value for cell in sheet[3]]))  # 县公安局, second by its 复核总分
    assert first["部门"] == "县公安局"
    assert isinstance(first["总分"], (int, float)) and first["总分"] == pytest.approx(65.53)
    assert first["暂定"] == "3 项待评或数据不足；2 项草稿" and isinstance(first["勾稽错误"], int)
    assert sheet.cell(row=2, column=header.index("总分") + 1).number_format == "0.00"
    assert first["差"] == pytest.approx(4) and first["复核"] == pytest.approx(61.53)


def test_report_over_a_folder_writes_every_department(county: Path, tmp_path: Path) -> None:
    out = tmp_path / "报告"
    result = run("report", str(county), "--out", str(out), cwd=tmp_path)
    assert "已生成 3 份报告" in result.stdout
    written = sorted(path.name for path in out.iterdir())
    assert written == ["县公安局-2018.docx", "县教育局-2018.docx", "某乡政府-2018.docx"]
    refused = run("report", str(county), "--out", str(tmp_path / "a.docx"), cwd=tmp_path)
    assert refused.returncode == 2 and "--out 应为输出目录" in refused.stderr


def test_report_keeps_same_named_departments_apart(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document

    root = tmp_path / "全市"
    first = _department(root / "甲镇" / "财政", "财政局")
    second = _department(root / "乙镇" / "财政", "财政局")
    _department(root / "城区" / "教育", "教育局")
    for folder, mark in ((first, "甲镇机制"), (second, "乙镇机制")):  # tell the two reports apart by their words
        evaluation = folder / "2018" / "evaluation.toml"
        evaluation.write_text(evaluation.read_text(encoding="utf-8").replace("四制四联", mark), "utf-8")
    capsys.readouterr()
    out = tmp_path / "报告"
    assert main(["report", str(root), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    written = sorted(path.name for path in out.iterdir())
    assert written == ["教育局-2018.docx", "财政局（乙镇-财政）-2018.docx", "财政局（甲镇-财政）-2018.docx"]
    assert "已生成 3 份报告" in printed and "同名部门的报告以所在文件夹区分" in printed
    assert "财政局（甲镇/财政）→ 财政局（甲镇-财政）-2018.docx" in printed

    def text_of(name: str) -> str:
        document = Document(str(out / name))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)

    jia, yi = text_of("财政局（甲镇-财政）-2018.docx"), text_of("财政局（乙镇-财政）-2018.docx")
    assert "甲镇机制" in jia and "乙镇机制" not in jia
    assert "乙镇机制" in yi and "甲镇机制" not in yi


def test_report_stems_never_meet(tmp_path: Path) -> None:
    from zzperf.cli_review import report_stems

    top = tmp_path / "全市"
    stems = report_stems(
        [
            ("财政局", 2018, top / "甲镇" / "CZ"),
            ("财政局", 2018, top / "甲镇" / "cz"),
            ("卫健/疾控", 2018, top / "卫健"),
            ("教育局", 2018, top / "教育"),
        ],
        top,
    )
    assert stems == ["财政局（甲镇-CZ）-2018", "财政局（甲镇-cz）-2018（2）", "卫健_疾控-2018", "教育局-2018"]


@pytest.mark.parametrize("width", [50, 60, 80, 120])
def test_the_summary_fits_a_narrow_terminal_with_every_name_whole(county: Path, width: int) -> None:
    import io
    import re

    from rich.cells import cell_len

    from zzperf.output.review import print_summary_table
    from zzperf.output.terminal import file_console

    long_name = "某某县人民政府办公室（县政府研究室、县外事侨务办公室）"
    _department(county / "城区" / "办公室", long_name)
    out = io.StringIO()
    summary = summarise_folder(county, workers=1)
    print_summary_table(file_console(out, width=width), summary)
    text = out.getvalue()
    table = read_box_table(text)
    assert max(cell_len(line) for line in table.lines) <= width  # the table fits the terminal
    names = table.column("部门")
    for name in (long_name, "县公安局", "县教育局", "某乡政府", "县卫健局"):
        assert name in names, (name, names)
    # the 说明 column is never left out (wrapped over its lines; a space may end one of them)
    assert "TOML格式错误" in table.column("说明").replace(" ", "")
    left_out = re.search(r"终端宽度不够，未显示：(\S+)；", text)
    if width < 120:
        assert left_out is not None and "年度" in left_out.group(1)
        assert not {"部门", "总分", "等级", "说明"} & set(left_out.group(1).split("、"))
    assert "复核" in table.heads or (left_out is not None and "复核" in left_out.group(1))
    column = table.heads.index("总分")
    totals = [cells[column] for cells in table.rows if cells[column]]
    assert sorted(totals) == sorted(f"{row.total:.2f}" if row.total is not None else "—" for row in summary.rows)
    grades = table.column("等级")
    assert "未自评" in grades  # words in a figure column are never cut either


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
def test_the_progress_bar_reaches_a_terminal_as_escape_codes_not_text(county: Path, tmp_path: Path) -> None:
    import pty
    import re

    main_end, child_end = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "100", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zzperf", "score", str(county), "--no-cache"],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=child_end,
        stderr=child_end,
    )
    os.close(child_end)
    chunks = []
    while True:
        try:
            chunk = os.read(main_end, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(main_end)
    seen = b"".join(chunks).decode("utf-8", errors="replace")
    assert "各部门汇总" in seen
    assert "读取各部门" in seen  # the bar was shown …
    assert not re.search(r"(?<!\x1b)\[(\?25[lh]|2K|1A)", seen)  # … and drawn, no escape code printed as text


def test_an_evaluation_with_only_empty_entries_is_not_evaluated_in_the_summary_nor_the_ranking(tmp_path: Path) -> None:
    from zzperf.compare.departments import compare_departments
    from zzperf.workspace import find_workspaces

    root = tmp_path / "全县"
    _department(root / "甲", "甲局")
    empty = _department(root / "乙", "乙局")
    (empty / "2018" / "evaluation.toml").write_text(
        'format_version = 1\nyear = 2018\n\n[indicators."input.goals.rationality"]\n', encoding="utf-8"
    )
    rows = {row.name: row for row in summarise_folder(root, 2018, workers=1).rows}
    ranking = {d.name: d for d in compare_departments(find_workspaces([root]), 2018, workers=1).departments}
    assert rows["乙局"].grade == "未自评" and rows["乙局"].rank is None
    assert not ranking["乙局"].self_evaluated and ranking["乙局"].grade == "未自评"
    assert rows["甲局"].rank == 1 and ranking["甲局"].self_evaluated
