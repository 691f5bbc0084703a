"""Reading one file into an ``ImportResult``: which tables, in which unit, for which year, and what conflicts.

This never writes anything; ``zzperf.importing.plan`` decides what changes in the workspace.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import statistics
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from zzperf.amounts import UNITS, fmt_money, round_half_up
from zzperf.errors import ZzperfError
from zzperf.importing.columns import join_economic_codes
from zzperf.importing.grid import Line, norm, strip_numbering
from zzperf.importing.layouts import read_table
from zzperf.importing.result import Conflict, ImportResult, Problem, TableRead, kind_names
from zzperf.importing.suggestions import extract
from zzperf.importing.tables import REQUIRED, RawTable, cut_tables, display_name
from zzperf.importing.text import decode, read_limited, text_lines

MAX_BYTES = 10 * 1024 * 1024
"""Largest file accepted. A department's 决算 text is well under 1 MB, its workbook a few hundred KB."""
MAX_PDF_BYTES = 60 * 1024 * 1024
"""Largest PDF accepted: published 决算 PDFs with scanned seals or images run to tens of MB."""
MAX_LINES = 20_000
"""Lines (text) or rows (all sheets): a department's 决算 tables and 说明 are a few thousand at most."""

MAIN_KINDS = tuple(kind for kind in REQUIRED if kind not in ("three_public", "gov_fund"))
"""Tables whose largest figures are of the same size (the year's totals), for comparing their units.

The “三公” and 政府性基金 tables hold a small part of the year, or nothing, so their size says nothing of the unit.
"""

IMPLAUSIBLY_SMALL = Decimal(1)
"""万元. No department spends less than 10,000 元 in a year: a smaller 总计 means the unit line is wrong."""
IMPLAUSIBLY_LARGE = Decimal(10) ** 7
"""万元 (1,000 亿元). More than any department's year: the figures are probably in 元."""
UNIT_RATIO = Decimal(1000)
"""Two tables of the same year whose totals differ by this factor or more were read in different units."""


def read_import(path: Path, *, year: int | None = None, unit: str | None = None) -> ImportResult:
    """Read a 决算 PDF, pasted-text or .xlsx file. Raises ZzperfError when the file cannot be read at all."""
    data = read_limited(
        path,
        MAX_PDF_BYTES if path.suffix.lower() == ".pdf" else MAX_BYTES,
        what="要导入的文件",
        usage="用法：zzperf import 文件 [工作区]",
        too_big="决算表和说明的文字通常不到 1 MB；请只复制部门决算的第二、三部分，或导入 .xlsx",
    )
    if data[:4] == b"PK\x03\x04":
        _refuse_other_packages(path)
        from zzperf.importing.xlsx import workbook_lines

        lines, notes, untitled = workbook_lines(path)
        _check_lines(len(lines), path, "行（所有工作表合计）")
        result = ImportResult(source=path, form="Excel")
        result.notes.extend(notes)
        for name in untitled:
            result.notes.append(f"工作表“{name}”中没有找到表名，未导入")
    elif data[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        if not data.strip():
            raise ZzperfError("文件是空的（0 字节）", file=path, hint="请重新下载部门公开的决算 PDF 后再导入")
        if data[:5] != b"%PDF-" and b"%PDF-" not in data[:1024]:  # a PDF reader looks that far for its header
            raise ZzperfError(
                "名为 .pdf，但不是 PDF 文件（开头没有 PDF 的文件头）",
                file=path,
                hint="请重新下载部门公开的决算 PDF；若是复制的文字，请存为 .txt 后导入",
            )
        from zzperf.importing.pdf import read_pdf  # pdfplumber loads only for a PDF (layer rule R3)

        document = read_pdf(path)
        lines = document.lines
        result = ImportResult(source=path, form="PDF", text=document.text, text_pages=document.text_pages)
        result.notes.extend(document.notes)
    else:
        _refuse_other_formats(data, path)
        text = decode(data, path)
        if not text.strip():
            raise ZzperfError(
                "文件是空的", file=path, hint="请把决算 PDF 中第二部分（决算表）和第三部分（说明）的文字粘贴进来"
            )
        _check_lines(len(text.splitlines()), path, "行")
        lines = text_lines(text)
        result = ImportResult(source=path, form="文本", text=text)
    raws, outside = cut_tables(lines)
    if not [raw for raw in raws if raw.title.kind] and result.form == "PDF":
        raise ZzperfError(
            f"PDF 中没有找到任何决算表（共 {document.pages} 页，{document.tables} 张带表格线的表格）",
            file=path,
            hint=f"这看来不是部门决算；部门决算的第二部分应有以下各表：{kind_names()}",
        )
    if not [raw for raw in raws if raw.title.kind]:
        raise ZzperfError(
            "没有找到任何决算表",
            file=path,
            hint=f"每张表应以表名开头（{kind_names()}），表格各栏以制表符或两个以上空格分隔",
        )
    for raw in raws:
        if raw.title.kind == "basic_expenditure":
            raw.lines = [join_economic_codes(line) for line in raw.lines]
    _settle_same_names(raws, result)
    result.year = _year(raws, outside, year, path, result)
    factors = _units(raws, unit, result)
    tables = [read_table(raw, factors[index][0], factors[index][1]) for index, raw in enumerate(raws)]
    result.tables = _drop_duplicates(tables, result)
    _check_units(result, unit)
    result.sections = _merge_sections(result.tables)
    result.conflicts.extend(_cross_conflicts(result.tables))
    result.department = _department(raws, result)
    _collect_problems(result)
    result.suggestions = extract(outside, result.year, result.tables)
    return result


def _check_lines(count: int, path: Path, what: str) -> None:
    """Refuse more lines than any 决算 has before the per-line reading starts."""
    if count > MAX_LINES:
        raise ZzperfError(
            f"文件太长（{count} {what}），上限为 {MAX_LINES} 行",
            file=path,
            hint="决算表和说明通常只有几千行；请只复制部门决算的第二、三部分，或只导入本部门的表",
        )


IMPORTABLE = "部门公开的决算 PDF、从中复制的文字（.txt）或 Excel 工作簿（.xlsx）"
"""What ``zzperf import`` reads, for the message that refuses anything else."""

_PACKAGES = {"word/": "Word 文档（.docx）", "ppt/": "PowerPoint 演示文稿（.pptx）", "content.xml": "OpenDocument 文件"}
"""Zip packages that are not workbooks, by a part only they hold."""


def _refuse_other_packages(path: Path) -> None:
    """A zip file that is not an Excel workbook (a .docx, a .pptx, an archive): said in Chinese before openpyxl
    reads it (its own message is English and speaks of .xlsx whatever the file is)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl says what is wrong with it
    if any(name.startswith("xl/") for name in names):
        return
    kind = next((kind for part, kind in _PACKAGES.items() if any(name.startswith(part) for name in names)), None)
    raise ZzperfError(
        f"这是 {kind}，不能导入" if kind else "这是压缩文件（zip），不是 Excel 工作簿，不能导入",
        file=path,
        hint=f"可以导入的是{IMPORTABLE}",
    )


def _refuse_other_formats(data: bytes, path: Path) -> None:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ZzperfError(
            "这是旧版 Excel（.xls）或 Word（.doc）文件", file=path, hint="请在 Excel 或 WPS 中另存为 .xlsx 后导入"
        )


# ─── which table is which ───────────────────────────────────────────────────────


def _settle_same_names(raws: list[RawTable], result: ImportResult) -> None:
    """Two tables printed as 财政拨款收入支出决算总表 and no 收入支出决算总表: the one labelled 公开01表 is the 总表."""
    kinds = Counter(raw.title.kind for raw in raws)
    if kinds["overview"] or kinds["fiscal_overview"] < 2:
        return
    labelled = [raw for raw in raws if raw.title.kind == "fiscal_overview" and raw.label == "公开01表"]
    if len(labelled) != 1:
        result.problems.append(
            Problem(
                "有两张表都名为“财政拨款收入支出决算总表”，没有“收入支出决算总表”，无法判断哪一张是总表",
                hint="请把其中的收入支出决算总表改回正确的表名后再导入",
            )
        )
        return
    raw = labelled[0]
    raw.title = dataclasses.replace(raw.title, kind="overview")
    result.notes.append(
        f"{raw.where}：“{raw.title.printed}”（公开01表）与公开04表同名；文件中没有“收入支出决算总表”，"
        "按公开01表的位置读作收入支出决算总表"
    )


def _drop_duplicates(tables: list[TableRead], result: ImportResult) -> list[TableRead]:
    kept: list[TableRead] = []
    for table in tables:
        first = next((other for other in kept if table.kind and other.kind == table.kind), None)
        if first is None:
            kept.append(table)
        elif first.data == table.data:
            result.notes.append(f"{table.name}出现两次（{first.where}、{table.where}），内容相同，只读一次")
        else:
            result.problems.append(
                Problem(
                    f"{table.name}出现两次（{first.where}、{table.where}），数字不同",
                    hint="请删去重复或过时的一张后再导入",
                )
            )
    return kept


# ─── year, unit, department ─────────────────────────────────────────────────────


def _year(
    raws: Sequence[RawTable], outside: Sequence[Line], wanted: int | None, path: Path, result: ImportResult
) -> int:
    counts = Counter(raw.year for raw in raws if raw.year)
    head = [norm(line.raw or "") for line in outside[:200]]
    for index, text in enumerate(head):
        match = re.search(r"(\d{4})年度?部门决算", text) or re.fullmatch(r"(\d{4})年度", text)
        if match:
            counts[int(match.group(1))] += 1
        elif re.fullmatch(r"\d{4}", text) and any(
            re.fullmatch(r".*年度?部门决算", near) for near in head[max(index - 1, 0) : index + 2]
        ):
            counts[int(text)] += 1  # “年度部门决算 / 2024”: the year set as a run of its own, copied onto its own line
    stated = counts.most_common(1)[0][0] if counts else None
    if len(counts) > 1:
        result.notes.append(
            "文件中出现不同的年度：" + "、".join(f"{year} 年（{count} 处）" for year, count in counts.most_common())
        )
    if wanted is not None:
        if stated is not None and stated != wanted:
            raise ZzperfError(
                f"文件中的决算年度是 {stated} 年，与 --year {wanted} 不一致",
                file=path,
                hint=f"去掉 --year 即按文件导入 {stated} 年度；若确要导入到 {wanted} 年度，请先核对文件",
            )
        return wanted
    if stated is None:
        raise ZzperfError("文件中没有写明决算年度", file=path, hint="请用 --year 指定，如 --year 2018")
    return stated


def _units(raws: Sequence[RawTable], forced: str | None, result: ImportResult) -> list[tuple[Decimal, str | None]]:
    """(factor to 万元, unit) for each table: the unit option, else the table's unit line, else the document's."""
    if forced is not None:
        if forced not in UNITS:
            raise ZzperfError(f"金额单位“{forced}”无法识别", hint="应为 万元、元 或 亿元")
        for raw in raws:
            if raw.unit and raw.unit != forced:
                result.notes.append(f"{raw.where} 的表写明单位为“{raw.unit}”，按 --unit 指定的“{forced}”读取")
        return [(UNITS[forced], forced) for _ in raws]
    stated = {raw.unit for raw in raws if raw.unit}
    units: list[tuple[Decimal, str | None]] = []
    for raw in raws:
        if raw.unit:
            units.append((UNITS[raw.unit], raw.unit))
        elif len(stated) == 1:
            only = next(iter(stated))
            if raw.title.kind:
                result.notes.append(f"{_name(raw)}没有写金额单位，按其他各表的“{only}”读取")
            units.append((UNITS[only], only))
        else:
            units.append((Decimal(1), None))
            if raw.title.kind:
                result.problems.append(
                    Problem(
                        f"{_name(raw)}（{raw.where}）没有写金额单位"
                        + ("，文件中也没有其他表写明单位" if not stated else "，而其他各表的单位不一致"),
                        hint="请在表头加上“金额单位：万元”（或元），或用 --unit 万元 指定",
                    )
                )
    return units


def _name(raw: RawTable) -> str:
    return display_name(raw.title.kind) if raw.title.kind else raw.title.printed


def _check_units(result: ImportResult, forced: str | None) -> None:
    """A unit line that does not fit the figures: compare the tables with one another and with what is possible."""
    main = [table for table in result.tables if table.kind in MAIN_KINDS and table.largest]
    option = "--unit 指定的" if forced else "表头写的"
    for table in main:
        others = [other.largest for other in main if other is not table]
        if len(others) < 2:
            continue
        typical = statistics.median(others)
        assert table.largest is not None
        ratio = table.largest / typical if typical else Decimal(1)
        if ratio >= UNIT_RATIO or ratio <= 1 / UNIT_RATIO:
            result.problems.append(
                Problem(
                    f"{table.name}的金额单位与其他各表对不上：按{option}“{table.unit}”读入后，该表最大的数是 "
                    f"{fmt_money(table.largest)} 万元，其他各表约 {fmt_money(typical)} 万元，相差约 "
                    f"{_times(ratio)} 倍",
                    hint="请核对该表的金额单位行；整份文件单位相同时也可以用 --unit 万元（或元）指定",
                )
            )
    if not main:
        return
    largest = max(table.largest for table in main if table.largest)
    sample = max(main, key=lambda table: table.largest or 0)
    unit = sample.unit or "万元"
    in_unit = largest / UNITS[unit]
    if largest < IMPLAUSIBLY_SMALL:
        result.problems.append(
            Problem(
                f"金额单位看来不对：按{option}“{unit}”读，最大的数（{sample.name}）只有 {fmt_money(in_unit)} {unit}，"
                f"即 {fmt_money(largest, 4)} 万元；一个部门一年的收支不会少于 1 万元，这些数字看来是以万元为单位",
                hint="请核对“金额单位”行，或用 --unit 万元 指定",
            )
        )
    elif largest > IMPLAUSIBLY_LARGE:
        result.problems.append(
            Problem(
                f"金额单位看来不对：按{option}“{unit}”读，最大的数（{sample.name}）是 {fmt_money(largest)} 万元，"
                "超过 1000 亿元；这些数字看来是以元为单位",
                hint="请核对“金额单位”行，或用 --unit 元 指定",
            )
        )


def _times(ratio: Decimal) -> str:
    value = ratio if ratio >= 1 else 1 / ratio
    return f"{round_half_up(value, 0):,}"


def _department(raws: Sequence[RawTable], result: ImportResult) -> str | None:
    names = Counter(raw.department for raw in raws if raw.department)
    if not names:
        return None
    full = max(names, key=lambda name: (names[name], len(name)))
    others = [name for name in names if name != full and not full.startswith(name)]
    if others:
        result.notes.append(f"各表的“部门”不一致：{full}；另有 {'、'.join(others)}")
    return full


# ─── figures across tables ──────────────────────────────────────────────────────


def _merge_sections(tables: Sequence[TableRead]) -> dict[str, object]:
    sections: dict[str, dict[str, object]] = {}
    for table in tables:
        for name, values in table.data.items():
            sections.setdefault(name, {}).update(values)
    return dict(sections)


def _cross_conflicts(tables: Sequence[TableRead]) -> list[Conflict]:
    """支出功能分类 class totals printed in the 总表s against the class rows of the detailed tables."""
    by_kind = {table.kind: table for table in tables if table.kind}
    conflicts: list[Conflict] = []
    pairs = (
        ("overview", "classes", "expenditure"),
        ("fiscal_overview", "classes_general", "general_budget_expenditure"),
    )
    for summary_kind, key, detail_kind in pairs:
        summary, detail = by_kind.get(summary_kind), by_kind.get(detail_kind)
        if summary is None or detail is None or key not in summary.cross:
            continue
        classes = {
            strip_numbering(line["name"]): (line["code"], line["name"], line.get("total"))
            for line in detail.data.get(detail_kind, {}).get("lines", [])
            if len(line["code"]) == 3
        }
        seen: set[str] = set()
        for name, value in summary.cross[key].items():
            match = classes.get(name) or _close(name, classes)
            if match is None:
                if value:
                    conflicts.append(
                        Conflict(f"{summary.name}列有“{name}” {fmt_money(value)}，{detail.name}中没有这一类")
                    )
                continue
            code, detail_name, detail_value = match
            seen.add(code)
            if detail_value is not None and abs(detail_value - value) > Decimal("0.01"):
                conflicts.append(
                    Conflict(
                        f"“{name}”：{summary.name} {fmt_money(value)}，{detail.name} {code} {detail_name} "
                        f"{fmt_money(detail_value)}，相差 {fmt_money(abs(detail_value - value))}"
                    )
                )
        for code, detail_name, detail_value in classes.values():
            if code not in seen and detail_value:
                conflicts.append(
                    Conflict(
                        f"{detail.name} {code} {detail_name} {fmt_money(detail_value)}，{summary.name}中没有这一类"
                    )
                )
    return conflicts


def _close(name: str, classes: dict[str, tuple[str, str, Decimal | None]]) -> tuple[str, str, Decimal | None] | None:
    found = difflib.get_close_matches(name, list(classes), n=1, cutoff=0.8)
    return classes[found[0]] if found else None


def _collect_problems(result: ImportResult) -> None:
    missing = result.missing
    if missing:
        result.problems.append(
            Problem(
                "缺少" + "、".join(display_name(kind) for kind in missing),
                hint="请检查是否漏复制了这些表（表名须完整）；如文件确实没有，可加 --partial 只导入其余各表",
                partial_ok=True,
            )
        )
    material = [(table, note) for table, note in result.not_understood if note.material]
    if material:
        result.problems.append(
            Problem(
                f"有 {len(material)} 行带有数字却无法识别（见上表），导入会丢失这些数字",
                hint="请对照原表修正这些行；如确认可以略过，可加 --partial",
                partial_ok=True,
            )
        )
    if result.read_no_figures:
        said, hint = "各表中没有读到任何数字", "请确认表格内容一并复制进来了"
        if re.search(r"X{2,}|×{2,}", result.text or ""):  # 上海市XX局, XXX.XX: a form nobody has filled in
            said, hint = f"{said}：看来是未填写的空白模板（名称和金额处为 XX）", "请导入部门公开的、已填写数字的决算"
        elif result.form == "PDF":
            hint = "请确认这是已填写数字的部门决算 PDF（表格不是图片）"
        result.problems.append(Problem(said, hint=hint))
