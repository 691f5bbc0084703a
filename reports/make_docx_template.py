"""Build ``report.docx``, the Word template of the 部门整体支出绩效自评报告, from scratch and reproducibly.

    python reports/make_docx_template.py            # writes reports/report.docx
    python reports/make_docx_template.py OUT.docx   # writes elsewhere

The template is an ordinary Word document with docxtpl tags (``{{ … }}``, ``{%p … %}``, ``{%tr … %}``),
so it can be opened and restyled in Word or LibreOffice; the tags use the same variables and filters
as ``report.md.j2`` (see README.md). The page and styles follow common official-document practice
(GB/T 9704): A4; margins 37/35/28/26 mm; body 仿宋 三号 with a fixed 28 pt line; title 宋体 二号 bold;
headings 黑体 / 楷体 / 仿宋 bold by level; tables 仿宋 五号 with a repeated, shaded header row; page
numbers "— 1 —" centred in the footer. Each font carries an alternative name in the font table so a
machine without it falls back to a close Chinese font. The file's bytes depend only on this script.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE / "report.docx"

BODY_FONT = "仿宋"
HEI = "黑体"
KAI = "楷体"
SONG = "宋体"
LATIN = "Times New Roman"
ALT_NAMES = {BODY_FONT: "FangSong", HEI: "SimHei", KAI: "KaiTi", SONG: "SimSun"}
"""Fonts used and the names Windows also knows them by; written to the font table as w:altName."""

BODY_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(10.5)  # 五号
LINE = Pt(28)
NO_SPACE = Pt(0)
TEXT_WIDTH = Mm(210 - 28 - 26)

# ── styles ───────────────────────────────────────────────────────────────


def set_fonts(style, east_asia: str, size: Pt, *, bold: bool = False, latin: str = LATIN) -> None:
    """Fonts of a style without theme fonts, so Word does not replace them with Calibri or 等线."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for key, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia), ("w:cs", latin)):
        fonts.set(qn(key), value)
    rpr.insert(0, fonts)
    style.font.size = size
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)


def paragraph_format(
    style,
    *,
    indent: bool = True,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    line: Pt | None = LINE,
    before: Pt = NO_SPACE,
    after: Pt = NO_SPACE,
    keep_next: bool = False,
) -> None:
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before = before
    fmt.space_after = after
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    ppr = style.element.get_or_add_pPr()
    for old in ppr.findall(qn("w:ind")):
        ppr.remove(old)
    ind = OxmlElement("w:ind")
    if indent:
        ind.set(qn("w:firstLineChars"), "200")  # two characters, whatever the font size
        ind.set(qn("w:firstLine"), str(int(style.font.size.pt * 2 * 20)))
    else:
        ind.set(qn("w:firstLine"), "0")
    ind.set(qn("w:left"), "0")
    ppr.append(ind)


def make_styles(document) -> None:
    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in list(rpr_default):
        rpr_default.remove(old)
    fonts = OxmlElement("w:rFonts")
    for key, value in (("w:ascii", LATIN), ("w:hAnsi", LATIN), ("w:eastAsia", BODY_FONT), ("w:cs", LATIN)):
        fonts.set(qn(key), value)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr_default.append(fonts)
    rpr_default.append(lang)

    normal = styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_SIZE)
    paragraph_format(normal)

    title = styles["Title"]
    set_fonts(title, SONG, Pt(22), bold=True)
    paragraph_format(title, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(36), after=Pt(24))
    for border in title.element.get_or_add_pPr().findall(qn("w:pBdr")):
        title.element.get_or_add_pPr().remove(border)

    for name, font, bold in (("Heading 1", HEI, False), ("Heading 2", KAI, False), ("Heading 3", BODY_FONT, True)):
        heading = styles[name]
        set_fonts(heading, font, BODY_SIZE, bold=bold)
        paragraph_format(heading, keep_next=True)

    for name, font, align, bold in (
        ("Table Text", BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT, False),
        ("Table Number", BODY_FONT, WD_ALIGN_PARAGRAPH.RIGHT, False),
        ("Table Centre", BODY_FONT, WD_ALIGN_PARAGRAPH.CENTER, False),
        ("Table Heading", HEI, WD_ALIGN_PARAGRAPH.CENTER, False),
        ("Table Strong", BODY_FONT, WD_ALIGN_PARAGRAPH.LEFT, True),
        ("Table Strong Number", BODY_FONT, WD_ALIGN_PARAGRAPH.RIGHT, True),
    ):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        set_fonts(style, font, TABLE_SIZE, bold=bold)
        paragraph_format(style, indent=False, align=align, line=None)

    cover = styles.add_style("Cover", WD_STYLE_TYPE.PARAGRAPH)
    cover.base_style = normal
    set_fonts(cover, BODY_FONT, Pt(14))
    paragraph_format(cover, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT, line=Pt(24))
    cover_label = styles.add_style("Cover Label", WD_STYLE_TYPE.PARAGRAPH)
    cover_label.base_style = cover
    set_fonts(cover_label, HEI, Pt(14))
    paragraph_format(cover_label, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(24))

    caption = styles["Caption"]
    caption.base_style = normal
    set_fonts(caption, HEI, Pt(12))
    paragraph_format(
        caption, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=None, before=Pt(6), after=Pt(3), keep_next=True
    )

    note = styles.add_style("Note", WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    set_fonts(note, KAI, Pt(14))
    paragraph_format(note, line=Pt(24))

    footer = styles["Footer"]
    set_fonts(footer, SONG, Pt(14))
    paragraph_format(footer, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=None)


KEEP_STYLES = {
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Caption",
    "Footer",
    "Header",
    "Default Paragraph Font",
    "Normal Table",
    "Table Grid",
    "No List",
}


def drop_unused_styles(document) -> None:
    """Keep the file small and quick to open: only the styles the report uses (and Word's defaults)."""
    root = document.styles.element
    for style in list(root.findall(qn("w:style"))):
        name = style.find(qn("w:name"))
        if name is None or name.get(qn("w:val")).lower() not in {keep.lower() for keep in KEEP_STYLES}:
            root.remove(style)
    for latent in root.findall(qn("w:latentStyles")):
        root.remove(latent)
    part = document.part
    for key, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            del part.rels[key]


def add_alt_font_names(document) -> None:
    """Font-table entries (GB2312 charset, alternative names) so a missing 仿宋 falls back sensibly."""
    part = next((rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")), None)
    if part is None:  # pragma: no cover - python-docx's default template has a font table
        return
    from docx.oxml import parse_xml

    root = parse_xml(part.blob)
    for name, alt in ALT_NAMES.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern"), ("w:pitch", "fixed")):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            font.append(element)
        root.append(font)
    from lxml import etree

    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ── page, footer ─────────────────────────────────────────────────────────


def make_page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(20)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.style = document.styles["Footer"]
    paragraph.add_run("— ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" —")


def _field(paragraph, code: str) -> None:
    def char(kind: str):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    run._r.append(instruction)
    char("separate")
    paragraph.add_run("1")
    char("end")


# ── content helpers ──────────────────────────────────────────────────────


class Writer:
    """Appends paragraphs and tables; every tag stays inside one run so docxtpl sees it whole."""

    def __init__(self, document) -> None:
        self.document = document

    def p(self, text: str, style: str = "Normal") -> None:
        paragraph = self.document.add_paragraph(style=style)
        paragraph.add_run(text)

    def tag(self, text: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag; docxtpl removes the paragraph itself."""
        self.p(text)

    def h1(self, text: str) -> None:
        self.p(text, "Heading 1")

    def h2(self, text: str) -> None:
        self.p(text, "Heading 2")

    def paragraphs(self, expression: str) -> None:
        """One body paragraph per line of an evaluator's text field."""
        self.tag(f"{{%p for paragraph in {expression}|paragraphs %}}")
        self.p("{{ paragraph }}")
        self.tag("{%p endfor %}")

    def table(
        self,
        widths_mm: list[float],
        header: list[str] | None,
        rows: list[list[str] | str],
        numeric: set[int] = frozenset(),
        centre: set[int] = frozenset(),
        caption: str | None = None,
        text_style: str = "Table Text",
        centre_style: str = "Table Centre",
        keep_together: bool = True,
    ) -> None:
        """A bordered table: shaded header row repeated on every page, then ``rows``.

        A row given as a string is a ``{%tr … %}`` tag row. In a row given as a list, a cell starting
        with ``**`` is bold (the marker is removed) and ``None`` continues the cell to its left (merged).
        """
        if caption:
            self.p(caption, "Caption")
        table = self.document.add_table(rows=0, cols=len(widths_mm))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _table_width(table, widths_mm)
        if header is not None:
            head = table.add_row()
            _repeat_header(head)
            for index, text in enumerate(header):
                _cell(head.cells[index], text, "Table Heading", widths_mm[index], shade="D9D9D9")
        for row in rows:
            added = table.add_row()
            cells = added.cells
            added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
            if isinstance(row, str):
                _cell(cells[0], row, "Table Text", widths_mm[0])
                for index in range(1, len(widths_mm)):
                    _cell(cells[index], "", "Table Text", widths_mm[index])
                continue
            shade = "F2F2F2" if any(isinstance(text, str) and text.startswith("**") for text in row) else None
            for index, text in enumerate(row):
                if text is None:
                    continue
                bold = text.startswith("**")
                text = text.removeprefix("**")
                if index in numeric:
                    style = "Table Strong Number" if bold else "Table Number"
                elif index in centre:
                    style = "Table Strong" if bold else centre_style
                else:
                    style = "Table Strong" if bold else text_style
                _cell(cells[index], text, style, widths_mm[index], shade=shade)
            for index in range(len(row) - 1, 0, -1):
                if row[index] is None:
                    start = index - 1
                    while row[start] is None:
                        start -= 1
                    end = index
                    while end + 1 < len(row) and row[end + 1] is None:
                        end += 1
                    cells[start].merge(cells[end])
                    break
        if keep_together:  # a short table is not split over two pages
            for row in table.rows[:-1]:
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        self.document.add_paragraph(style="Table Text")  # breathing space after the table


def _table_width(table, widths_mm: list[float]) -> None:
    total = sum(widths_mm)
    scale = TEXT_WIDTH / Mm(total)
    tbl_pr = table._tbl.tblPr
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(Mm(total).twips * scale)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("w:top", "28"), ("w:left", "85"), ("w:bottom", "28"), ("w:right", "85")):
        element = OxmlElement(side)
        element.set(qn("w:w"), value)
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    for index, column in enumerate(table.columns):
        column.width = Mm(widths_mm[index] * scale)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)


def _cell(cell, text: str, style: str, width_mm: float, shade: str | None = None) -> None:
    cell.width = Mm(width_mm)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = cell.part.document.styles[style]
    if text:
        paragraph.add_run(text)
    if shade:
        tc_pr = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), shade)
        tc_pr.append(fill)


# ── the report ───────────────────────────────────────────────────────────


def write_report(w: Writer) -> None:
    w.p("{{ title }}", "Title")
    w.table(
        [40, 100],
        None,
        [
            ["部门（单位）名称", "{{ dept.name }}"],
            ["预算编码", "{{ dept.budget_code|filled }}"],
            ["评价年度", "{{ year }} 年度"],
            ["评价方式", "{{ meta.method }}"],
            ["评价机构", "{{ meta.evaluator|filled }}"],
            ["指标体系", "{{ scores.set_name }}"],
            [
                "自评得分",
                "{% if scores.scored_count %}{{ scores.total|score }} 分，等级 {{ scores.grade_text }}"
                "{% for cap in scores.caps %}（{{ cap }}）{% endfor %}{% else %}尚未评分{% endif %}",
            ],
            ["联系人", "{{ dept.contact|filled }}"],
            ["联系电话", "{{ dept.phone|filled }}"],
            ["填报日期", "{{ meta.date|filled }}"],
        ],
        centre={0},
        text_style="Cover",
        centre_style="Cover Label",
    )
    w.p(
        "{% if dept.notice %}根据{{ dept.notice }}要求，{{ dept.name }}对 {{ year }} 年度部门整体支出开展了绩效自评，"
        "现将自评情况报告如下。{% else %}根据财政部门开展 "
        "{{ year }} 年度部门整体支出绩效自评的通知（通知名称和文号未填写）要求，"
        "{{ dept.name }}对 {{ year }} 年度部门整体支出开展了绩效自评，现将自评情况报告如下。{% endif %}"
    )

    w.h1("一、部门（单位）基本情况")
    w.h2("（一）部门职能")
    w.p(
        "{% if dept.level %}{{ dept.name }}为{{ dept.level }}。{% endif %}"
        "{% if dept.duties %}主要职责是：{% else %}主要职责（未填写）。{% endif %}"
    )
    w.tag("{%p for duty in dept.duties %}")
    w.p("{{ loop.index }}. {{ duty }}")  # not （一）: that is the heading level above
    w.tag("{%p endfor %}")
    w.h2("（二）机构设置")
    w.p(
        "{% if dept.structure %}内设 {{ dept.structure|length }} 个科室：{{ dept.structure|join_cn }}。"
        "{% else %}内设机构（未填写）。{% endif %}{% if dept.units %}决算单位构成：{{ dept.units }}。{% endif %}"
    )
    w.h2("（三）人员编制")
    w.p(
        "{% if staff.authorized is none and staff.in_service is none and staff.contract is none %}"
        "人员编制及实有人数数据不足。{% else %}核定编制 {{ staff.authorized|num('人') }}，年末实有在职人员 "
        "{{ staff.in_service|num('人') }}，编外人员 "
        "{{ staff.contract|num('人') }}；在职人员控制率（在职人员 ÷ 编制数）为 "
        "{{ staff.in_service|pct_of(staff.authorized) }}。{% endif %}"
    )

    w.h1("二、部门整体支出管理及使用情况")
    w.tag("{%p if not has_previous %}")
    w.p("本工作区没有 {{ prev_year }} 年度数据，以下不作上年比较。")
    w.tag("{%p endif %}")

    w.h2("（一）收入情况")
    w.tag("{%p if income.total is missing %}")
    w.p("本年收入数据不足。")
    w.tag("{%p else %}")
    w.p(
        "{{ year }} 年度本年收入合计 {{ income.total|wan }}{% if income.total is comparable %}，{{ income.total|yoy }}"
        "{% endif %}。"
        "{% for source, share in income.sources|with_shares(income.total) if source.now is positive %}"
        "{{ '其中：' if loop.first }}{{ source.name }} {{ source|wan }}，占本年收入的 {{ share }}"
        "{{ '。' if loop.last else '；' }}"
        "{% endfor %}{% if income.carryover_begin is not missing %}年初结转和结余 {{ income.carryover_begin|wan }}。"
        "{% endif %}"
    )
    w.tag("{%p if income.sources %}")
    w.table(
        [80, 40, 36],
        ["收入来源", "金额（万元）", "占比"],
        [
            "{%tr for source, share in income.sources|with_shares(income.total) %}",
            ["{{ source.name }}", "{{ source|money }}", "{{ share }}"],
            "{%tr endfor %}",
            ["**本年收入合计", "**{{ income.total|money }}", "**{{ '100.00%' if income.total is positive else '—' }}"],
        ],
        numeric={1, 2},
    )
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")

    w.h2("（二）支出情况")
    w.tag("{%p if expenditure.total is missing %}")
    w.p("本年支出数据不足。")
    w.tag("{%p else %}")
    w.p(
        "{{ year }} 年度本年支出合计 {{ expenditure.total|wan }}{% if expenditure.total is comparable %}，"
        "{{ expenditure.total|yoy }}{% endif %}。"
        "{% if expenditure.kinds %}{% for kind, share in expenditure.kinds|with_shares(expenditure.total) if kind.now i"
        "s positive %}"
        "{{ '按支出性质分：' if loop.first }}{{ kind.name }} {{ kind|wan }}，占 {{ share }}"
        "{% if kind is comparable %}（{{ kind|yoy }}）{% endif %}"
        "{{ '。' if loop.last else '；' }}{% endfor %}{% else %}基本支出和项目支出数据不足。{% endif %}"
        "{% if expenditure.personnel is not missing or expenditure.public is not missing %}"
        "{% set basic_parts = [expenditure.personnel, expenditure.public] %}"
        "{% for part, share in basic_parts|with_shares(expenditure.basic) %}{{ '基本支出中，' if loop.first }}"
        "{{ part.name }} {{ part|wan }}，占基本支出的 {{ share }}{{ '。' if loop.last else '；' }}{% endfor %}"
        "{% endif %}"
        "{% for line, share in expenditure.classes|with_shares(expenditure.total) if line.now is positive %}"
        "{{ '按支出功能分类：' if loop.first }}{{ line.name }} {{ line|wan }}，占 {{ share }}"
        "{{ '。' if loop.last else '；' }}{% endfor %}"
        "{% if expenditure.carryover_end is not missing %}年末结转和结余 {{ expenditure.carryover_end|wan }}"
        "{% if expenditure.carryover_end is comparable %}，{{ expenditure.carryover_end|yoy }}{% endif %}。{% endif %}"
    )
    w.p(
        "{% if expenditure.budget_initial is not none %}预算执行：财政拨款支出年初预算 "
        "{{ expenditure.budget_initial|wan }}"
        "{% if expenditure.budget_adjusted is not none %}，调整预算 {{ expenditure.budget_adjusted|wan }}{% endif %}；"
        "本年支出合计为年初预算的 {{ expenditure.total|pct_of(expenditure.budget_initial) }}，比年初预算"
        "{{ expenditure.total|change(expenditure.budget_initial) }}。{% else %}预算执行：年初预算数据不足。"
        "{% endif %}"
    )
    w.tag("{%p if expenditure.kinds %}")
    w.table(
        [80, 40, 36],
        ["支出性质", "金额（万元）", "占本年支出"],
        [
            "{%tr for kind, share in expenditure.kinds|with_shares(expenditure.total) %}",
            ["{{ kind.name }}", "{{ kind|money }}", "{{ share }}"],
            "{%tr endfor %}",
            [
                "**本年支出合计",
                "**{{ expenditure.total|money }}",
                "**{{ '100.00%' if expenditure.total is positive else '—' }}",
            ],
        ],
        numeric={1, 2},
    )
    w.tag("{%p endif %}")
    w.tag("{%p if expenditure.classes %}")
    w.table(
        [80, 40, 36],
        ["支出功能分类", "金额（万元）", "占本年支出"],
        [
            "{%tr for line, share in expenditure.classes|with_shares(expenditure.total) %}",
            ["{{ line.name }}", "{{ line|money }}", "{{ share }}"],
            "{%tr endfor %}",
            [
                "**本年支出合计",
                "**{{ expenditure.total|money }}",
                "**{{ '100.00%' if expenditure.total is positive else '—' }}",
            ],
        ],
        numeric={1, 2},
    )
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")

    w.h2("（三）预算执行情况")
    w.p(
        "{% set br = budget_rows[0] %}{% if br.initial is none and br.adjusted is none %}年初预算和全年预算（调整后预算"
        "）数据不足，"
        "预算执行率无法计算。{% else %}{{ year }} 年度年初预算 "
        "{{ br.initial|wan if br.initial is not none else '数据不足' }}；"
        "全年预算（调整后预算）{{ br.adjusted|wan if br.adjusted is not none else '数据不足（决算未列明调整后预算）' }}"
        "{% if expenditure.budget_additions is not none %}，其中本年追加 {{ expenditure.budget_additions|wan }}"
        "{% endif %}"
        "{% if expenditure.budget_reductions is not none %}，追减 {{ expenditure.budget_reductions|wan }}{% endif %}；"
        "全年执行数 {{ br.actual|wan }}，{% if br.adjusted is not none %}为全年预算的 "
        "{{ br.actual|pct_of(br.adjusted) }}，"
        "{% endif %}为年初预算的 {{ br.actual|pct_of(br.initial) }}。{% endif %}"
    )
    w.table(
        [34, 24, 24, 26, 24, 24],
        [
            "项目",
            "年初预算（万元）",
            "全年预算（万元）",
            "全年执行数（万元）",
            "执行率（占全年预算）",
            "执行率（占年初预算）",
        ],
        [
            "{%tr for row in budget_rows %}",
            [
                "{{ row.name }}",
                "{{ row.initial|money if row.initial is not none else '数据不足' }}",
                "{{ row.adjusted|money if row.adjusted is not none else '数据不足' }}",
                "{{ row.actual|money }}",
                "{{ row.actual|pct_of(row.adjusted) }}",
                "{{ row.actual|pct_of(row.initial) }}",
            ],
            "{%tr endfor %}",
        ],
        numeric={1, 2, 3, 4, 5},
    )
    w.tag("{%p if budget_rows|length > 1 and budget_rows[1].initial is none %}")
    w.p(
        "项目支出的年初预算决算未单独列明"
        "{% if projects.lines|rejectattr('initial', 'none')|list %}，所在科目的年初预算见“项目支出情况”{% endif %}。"
    )
    w.tag("{%p endif %}")

    w.h2("（四）项目支出情况")
    w.tag("{%p set pj = projects %}")
    w.p(
        "{% if pj.total is missing %}项目支出数据不足。{% elif not pj.total is positive %}{{ year }} 年度无项目支出。"
        "{% else %}"
        "{{ year }} 年度项目支出 {{ pj.total|wan }}，占本年支出的 {{ pj.total|pct_of(expenditure.total) }}"
        "{% if pj.total is comparable %}，{{ pj.total|yoy }}{% endif %}{% if pj.budget is not none %}；项目支出预算 "
        "{{ pj.budget|wan }}，执行率 {{ pj.total|pct_of(pj.budget) }}{% endif %}。"
        "{% for line in pj.lines %}{{ '按支出功能分类科目：' if loop.first }}{{ line.name }}（"
        "{{ line.code }}）项目支出 {{ line.actual|wan }}"
        "{% if line.initial is not none %}，{% if line.spent != line.actual %}该科目支出合计 "
        "{{ line.spent|wan }}，{% endif %}该科目年初预算 {{ line.initial|wan }}，完成年初预算的 "
        "{{ line.spent|pct_of(line.initial) }}{% endif %}{% if line.adjusted is not none %}，调整后预算 "
        "{{ line.adjusted|wan }}"
        "{% endif %}{{ '。' if loop.last else '；' }}{% endfor %}{% endif %}"
    )
    w.tag("{%p if pj.lines and pj.total is positive %}")
    w.table(
        [20, 46, 24, 22, 22, 22],
        ["科目编码", "科目名称", "项目支出（万元）", "年初预算（万元）", "调整后预算（万元）", "完成年初预算"],
        [
            "{%tr for line in pj.lines %}",
            [
                "{{ line.code }}",
                "{{ line.name }}",
                "{{ line.actual|money }}",
                "{{ line.initial|money if line.initial is not none else '数据不足' }}",
                "{{ line.adjusted|money if line.adjusted is not none else '数据不足' }}",
                "{{ line.spent|pct_of(line.initial) }}"
                "{% if line.initial is not none and line.spent != line.actual %}（按科目支出合计）{% endif %}",
            ],
            "{%tr endfor %}",
        ],
        numeric={2, 3, 4, 5},
        centre={0},
    )
    w.tag("{%p endif %}")

    w.h2("（五）“三公”经费")
    w.tag("{%p if three_public.total.budget is none and three_public.total.actual is none %}")
    w.p("“三公”经费预算和决算数据不足。")
    w.tag("{%p else %}")
    w.tag("{%p set tp = three_public %}")
    w.tag("{%p set share = tp.lines|rejectattr('sub')|share_map(tp.total.actual, 'actual') %}")
    w.p(
        "{{ year }} 年度“三公”经费财政拨款支出预算 {{ tp.total.budget|wan }}，决算 "
        "{{ tp.total.actual|wan }}，完成预算的 "
        "{{ tp.total.actual|pct_of(tp.total.budget) }}，比预算{{ tp.total.actual|change(tp.total.budget) }}"
        "{% if tp.total.figure is comparable %}；决算数{{ tp.total.figure|yoy }}{% endif %}。"
        "{% if tp.reason %}主要原因：{{ tp.reason }}{% endif %}"
        "{% for line in tp.lines if not line.sub %}{{ '其中：' if loop.first }}{{ line.name }}预算 "
        "{{ line.budget|wan }}，决算 "
        "{{ line.actual|wan }}{% if line.budget is positive %}，完成预算的 {{ line.actual|pct_of(line.budget) }}"
        "{% endif %}"
        "{% if line.actual is positive %}，占“三公”经费决算的 {{ share[line.name] }}{% endif %}"
        "{{ '。' if loop.last else '；' }}{% endfor %}"
        "{% if tp.reception_batches is not none or tp.reception_guests is not none %}全年接待国内来访团组 "
        "{{ tp.reception_batches|num('个') }}、来宾 {{ tp.reception_guests|num('人次') }}。{% endif %}"
        "{% if tp.vehicles_held is not none %}年末公务用车保有量 {{ tp.vehicles_held|num('辆') }}。{% endif %}"
    )
    w.table(
        [44, 22, 22, 22, 22, 24],
        ["项目", "预算数（万元）", "决算数（万元）", "决算占预算", "决算构成", "决算较预算增减（万元）"],
        [
            "{%tr for line in tp.lines %}",
            [
                "{{ '其中：' if line.sub }}{{ line.name }}",
                "{{ line.budget|money }}",
                "{{ line.actual|money }}",
                "{{ line.actual|pct_of(line.budget) }}",
                "{{ line.actual|pct_of(tp.total.actual) if line.sub else share[line.name] }}",
                "{{ line.actual|delta(line.budget) }}",
            ],
            "{%tr endfor %}",
            [
                "**合计",
                "**{{ tp.total.budget|money }}",
                "**{{ tp.total.actual|money }}",
                "**{{ tp.total.actual|pct_of(tp.total.budget) }}",
                "**{{ '100.00%' if tp.total.actual is positive else '—' }}",
                "**{{ tp.total.actual|delta(tp.total.budget) }}",
            ],
        ],
        numeric={1, 2, 3, 4, 5},
    )
    w.tag("{%p endif %}")

    w.h2("（六）机关运行经费")
    w.p(
        "{% set oc = operating_costs %}{% if oc.actual is none %}机关运行经费数据不足。{% else %}机关运行经费支出 "
        "{{ oc.actual|wan }}{% if oc.budget is not none %}，{{ oc.actual|yoy(oc.budget, label='年初预算') }}{% endif %}"
        "{% if oc.figure is comparable %}；{{ oc.figure|yoy }}{% endif %}。{% endif %}"
    )

    w.h2("（七）会议费、培训费")
    w.p(
        "{% set gs = general_spending %}"
        "{% if gs.meeting is missing and gs.training is missing %}会议费、培训费数据不足。"
        "{% else %}会议费支出 {{ gs.meeting|wan }}{% if gs.meeting_people is not none %}，参会 "
        "{{ gs.meeting_people|num('人次') }}{% endif %}"
        "{% if gs.meeting is comparable %}，{{ gs.meeting|yoy }}{% endif %}；培训费支出 {{ gs.training|wan }}"
        "{% if gs.training_people is not none %}，培训 {{ gs.training_people|num('人次') }}{% endif %}"
        "{% if gs.training is comparable %}，{{ gs.training|yoy }}{% endif %}。{% endif %}"
    )

    w.h2("（八）政府采购")
    w.p(
        "{% set pr = procurement %}{% if pr.total is missing %}政府采购支出数据不足。{% else %}政府采购支出总额 "
        "{{ pr.total|wan }}{% if pr.total is comparable %}，{{ pr.total|yoy }}{% endif %}；其中政府采购货物支出 "
        "{{ pr.goods|wan }}、工程支出 {{ pr.works|wan }}、服务支出 {{ pr.services|wan }}。"
        "{% if pr.sme is not none %}授予中小企业合同金额 {{ pr.sme|wan }}，占政府采购支出的 "
        "{{ pr.sme|pct_of(pr.total) }}"
        "{% if pr.small_micro is not none %}；其中授予小微企业合同金额 {{ pr.small_micro|wan }}，占 "
        "{{ pr.small_micro|pct_of(pr.total) }}{% endif %}。{% endif %}{% if pr.budget is not none %}政府采购预算 "
        "{{ pr.budget|wan }}，执行率 {{ pr.total|pct_of(pr.budget) }}。"
        "{% else %}政府采购预算数据不足，执行率无法计算。"
        "{% endif %}{% endif %}"
    )

    w.h2("（九）国有资产")
    w.p(
        "{% set a = assets %}{% if a.vehicles is none and a.general_equipment_over_50 is none and "
        "a.special_equipment_over_100 is none and a.fixed_assets_total is none %}国有资产占用情况数据不足。{% else %}"
        "截至 {{ year }} 年 12 月 31 日，共有车辆 {{ a.vehicles|num('辆') }}，其中部级领导干部用车 "
        "{{ a.leader_vehicles|num('辆') }}、"
        "一般公务用车 {{ a.official_vehicles|num('辆') }}、一般执法执勤用车 "
        "{{ a.law_enforcement_vehicles|num('辆') }}、"
        "特种专业技术用车 {{ a.special_vehicles|num('辆') }}；单位价值 50 万元以上通用设备 "
        "{{ a.general_equipment_over_50|num('台（套）') }}，单价 100 万元以上专用设备 "
        "{{ a.special_equipment_over_100|num('台（套）') }}。{% if a.fixed_assets_total is not none %}固定资产原值 "
        "{{ a.fixed_assets_total|wan }}，其中在用 {{ a.fixed_assets_in_use|wan }}，固定资产利用率 "
        "{{ a.fixed_assets_in_use|pct_of(a.fixed_assets_total) }}。{% endif %}{% endif %}"
    )

    w.tag("{%p if has_previous %}")
    w.h2("（十）与上年比较")
    w.tag("{%p if comparisons|select('comparable')|list %}")
    w.table(
        [44, 26, 26, 30, 30],
        ["项目", "{{ year }} 年（万元）", "{{ prev_year }} 年（万元）", "增减额（万元）", "增减率"],
        [
            "{%tr for item in comparisons if item is comparable %}",
            ["{{ item.name }}", "{{ item|money }}", "{{ item.prev|money }}", "{{ item|delta }}", "{{ item|rate }}"],
            "{%tr endfor %}",
        ],
        numeric={1, 2, 3, 4},
    )
    w.tag("{%p endif %}")
    w.tag("{%p if comparisons|reject('comparable')|list %}")
    w.p(
        "{{ prev_year }} 年度数据不足、未作比较的项目："
        "{{ comparisons|reject('comparable')|map(attribute='name')|join_cn }}。"
    )
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")

    w.h1("三、绩效目标设定及完成情况")
    w.h2("（一）年度总体目标")
    w.tag("{%p if text.goal %}")
    w.paragraphs("text.goal")
    w.tag("{%p else %}")
    w.p("年度总体目标（未填写）{% if outcomes %}；年初设定的绩效指标见下表{% endif %}。")
    w.tag("{%p endif %}")
    w.h2("（二）绩效指标完成情况")
    w.tag("{%p if outcomes %}")
    w.p(
        "{% set done = outcomes|selectattr('status', 'equalto', '已完成')|list %}"
        "{% set missed = outcomes|selectattr('status', 'equalto', '未完成')|list %}"
        "{% set unknown = outcomes|rejectattr('status', 'in', ['已完成', '未完成'])|list %}"
        "年度绩效目标共 {{ outcomes|length }} 项，已完成 {{ done|length }} 项，未完成 {{ missed|length }} 项"
        "{% if unknown %}，{{ unknown|length }} 项无法判断（{{ unknown|map(attribute='name')|join_cn }}）{% endif %}。"
    )
    w.table(
        [36, 24, 24, 18, 54],
        ["绩效指标", "指标值", "完成值", "完成情况", "说明"],
        [
            "{%tr for item in outcomes %}",
            ["{{ item.name }}", "{{ item.target }}", "{{ item.actual }}", "{{ item.status }}", "{{ item.note }}"],
            "{%tr endfor %}",
        ],
        centre={1, 2, 3},
    )
    w.tag("{%p else %}")
    w.p("年度绩效目标数据不足。")
    w.tag("{%p endif %}")
    w.h2("（三）主要成绩")
    w.paragraphs("text.achievements")

    w.h1("四、自评得分情况")
    w.p(
        "{% if scores.scored_count %}按《{{ scores.set_name }}》评分，{{ year }} 年度部门整体支出绩效自评总分 "
        "{{ scores.total|score }} 分（满分 {{ scores.full|score }} 分），等级为“{{ scores.grade }}”"
        "{{ '' if scores.complete else '（暂定）' }}。{% for group in scores.groups %}{{ group.name }}"
        "{% if group.score is none %}尚未得分{% else %} {{ group.score|score }} 分{% endif %}"
        "（满分 {{ group.points|score }} 分）{{ '。' if loop.last else '，' }}{% endfor %}{% else %}按《"
        "{{ scores.set_name }}》评分，"
        "{{ year }} 年度全部 {{ scores.leaf_count }} 项指标尚未评分（数据不足或待评价人评定），暂无总分和等级。"
        "{% endif %}"
    )
    w.tag("{%p if score_comparison %}")
    w.p("{{ score_comparison|join('') }}")
    w.tag("{%p endif %}")
    w.tag("{%p for adjustment in scores.adjustments %}")
    w.p("{{ adjustment }}。")
    w.tag("{%p endfor %}")
    w.tag("{%p if review %}")
    w.p(
        "财政局复核：{{ review.reviewer or '财政局' }}复核了 {{ review.reviewed_count }} 项指标（其余 "
        "{{ review.leaf_count - review.reviewed_count }} 项沿用自评得分），复核总分 {{ review.total|score }} 分，"
        "等级“{{ review.grade_text }}”；自评总分 {{ review.self_total|score }} 分"
        "{% if review.difference is not none %}，自评与复核之差 {{ review.self_total|delta(review.total) }} 分"
        "{% endif %}{% if review.inflated %}，自评明显偏高（高出 {{ review.threshold|score }} 分及以上）{% endif %}。"
        "{% for adjustment in review.adjustments %}复核总分{{ adjustment }}。{% endfor %}"
    )
    w.tag("{%p for row in review.flagged %}")
    w.p(
        "{{ loop.index }}. {{ row.level3 or row.level2 or row.level1 }}：自评 {{ row.score|score }} 分，复核 "
        "{{ row.review_score|score }} 分。{{ row.review_text }}",
        "Note",
    )
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if not scores.complete %}")
    w.p(
        "暂定：尚有 {{ scores.pending|length }} 项指标共 {{ scores.pending_points|score }} 分未得分，未计入总分；"
        "总分和等级在这些指标得分后确定。",
        "Note",
    )
    w.tag("{%p for item in scores.pending %}")
    w.p("{{ loop.index }}. {{ item.name }}（{{ item.points|score }} 分，{{ item.status }}）：{{ item.why }}", "Note")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")
    w.tag("{%p if scores.held_back %}")
    w.p(
        "草稿未计入：{{ scores.held_back|length }} 项评分未写明扣分原因或评分理由，其得分为草稿，未计入总分："
        "{{ scores.held_back|join_cn }}。",
        "Note",
    )
    w.tag("{%p endif %}")
    w.tag("{%p if scores.drafts %}")
    w.p("尚有 {{ scores.drafts|length }} 项评分未经评价人确认（草稿）：{{ scores.drafts|join_cn }}。", "Note")
    w.tag("{%p endif %}")
    w.tag("{%p if scores.deductions %}")
    w.p(
        "扣分指标 {{ scores.deductions|length }} 项：{% for row in scores.deductions %}"
        "{{ row.level3 or row.level2 or row.level1 }}"
        "扣 {{ row.lost|score }} 分{{ '。' if loop.last else '，' }}{% endfor %}原因见下表。"
    )
    w.tag("{%p endif %}")
    w.tag("{%p if review %}")
    w.table(
        [12, 13, 18, 9, 13, 13, 10, 10, 9, 26, 24],
        [
            "一级指标",
            "二级指标",
            "三级指标",
            "分值",
            "指标值",
            "完成值",
            "自评得分",
            "复核得分",
            "差",
            "扣分原因",
            "复核意见",
        ],
        [
            "{%tr for row in scores.rows %}",
            "{%tr if row.kind == 'leaf' %}",
            [
                "{{ row.level1 if row.first1 }}",
                "{{ row.level2 if row.first2 }}",
                "{{ row.level3 }}",
                "{{ row.points|score }}",
                "{{ row.target }}",
                "{{ row.actual }}",
                "{{ row.score|score }}",
                "{{ row.review_score|score }}",
                "{{ row.score|delta(row.review_score) if row.difference is not none else '—' }}",
                "{{ row.reason }}",
                "{{ row.review_text }}",
            ],
            "{%tr elif row.kind == 'subtotal' %}",
            [
                "**{{ row.level1 }}",
                None,
                None,
                "**{{ row.points|score }}",
                "**",
                "**",
                "**{{ row.score|score }}",
                "**{{ row.review_score|score }}",
                "**{{ row.score|delta(row.review_score) }}",
                "**{{ row.reason }}",
                "**",
            ],
            "{%tr else %}",
            [
                "**{{ row.level1 }}",
                None,
                None,
                "**{{ row.points|score }}",
                "**",
                "**",
                "**{{ row.score|score }}",
                "**{{ row.review_score|score }}",
                "**{{ row.score|delta(row.review_score) }}",
                "**等级：{{ row.status }}{% if row.reason %}；{{ row.reason }}{% endif %}",
                "**复核等级：{{ review.grade_text }}",
            ],
            "{%tr endif %}",
            "{%tr endfor %}",
        ],
        numeric={3, 6, 7, 8},
        centre={0, 1, 4, 5},
        caption="部门整体支出绩效自评与复核得分表",
        keep_together=False,
    )
    w.tag("{%p else %}")
    w.table(
        [16, 18, 26, 11, 17, 17, 11, 40],
        ["一级指标", "二级指标", "三级指标", "分值", "指标值", "完成值", "得分", "扣分原因"],
        [
            "{%tr for row in scores.rows %}",
            "{%tr if row.kind == 'leaf' %}",
            [
                "{{ row.level1 if row.first1 }}",
                "{{ row.level2 if row.first2 }}",
                "{{ row.level3 }}",
                "{{ row.points|score }}",
                "{{ row.target }}",
                "{{ row.actual }}",
                "{{ row.score|score }}",
                "{{ row.reason }}",
            ],
            "{%tr elif row.kind == 'subtotal' %}",
            [
                "**{{ row.level1 }}",
                None,
                None,
                "**{{ row.points|score }}",
                "**",
                "**",
                "**{{ row.score|score }}",
                "**{{ row.reason }}",
            ],
            "{%tr else %}",
            [
                "**{{ row.level1 }}",
                None,
                None,
                "**{{ row.points|score }}",
                "**",
                "**",
                "**{{ row.score|score }}",
                "**等级：{{ row.status }}{% if row.reason %}；{{ row.reason }}{% endif %}",
            ],
            "{%tr endif %}",
            "{%tr endfor %}",
        ],
        numeric={3, 6},
        centre={0, 1, 4, 5},
        caption="部门整体支出绩效自评得分表",
        keep_together=False,
    )
    w.tag("{%p endif %}")

    w.h1("五、存在的问题及原因分析")
    w.h2("（一）存在的问题")
    w.paragraphs("text.problems")
    w.h2("（二）扣分原因分析")
    w.tag("{%p for row in scores.deductions %}")
    w.p(
        "{{ loop.index }}. {{ row.level3 or row.level2 or row.level1 }}（分值 {{ row.points|score }} 分，得 "
        "{{ row.score|score }} 分，"
        "扣 {{ row.lost|score }} 分{% if row.mark %}，{{ row.mark }}{% endif %}）：{% if row.given_reason %}"
        "{{ row.given_reason|sentence }}"
        "{% elif row.rule_scored %}按评分规则，{{ row.reason }}。"
        "{% else %}评价人未写明原因；按评分规则：{{ row.reason|sentence }}{% endif %}"
    )
    w.tag("{%p endfor %}")
    w.tag("{%p if not scores.deductions %}")
    w.p(
        "{% if not scores.scored_count %}尚无已得分的指标，暂无扣分。"
        "{% elif not scores.complete %}已得分的指标均未扣分；另有 {{ scores.pending|length }} 项尚未得分（见上）。"
        "{% else %}各项指标均未扣分。{% endif %}"
    )
    w.tag("{%p endif %}")
    w.h1("六、改进措施")
    w.paragraphs("text.measures")
    w.h1("七、结果应用")
    w.paragraphs("text.application")

    w.tag("{%p if appendix %}")
    w.h1("附：数据校验结果")
    w.tag("{%p if checks.findings %}")
    w.p(
        "{{ year }} 年度决算数据勾稽关系检查尚有 {{ checks.errors }} 个错误、{{ checks.warnings }} 个警告、"
        "{{ checks.infos }} 条提示未解决{% if checks.skipped %}，另有 {{ checks.skipped }} 条规则因数据不足未检查"
        "{% endif %}："
    )
    w.table(
        [14, 26, 116],
        ["级别", "代码", "说明"],
        [
            "{%tr for finding in checks.findings %}",
            ["{{ finding.severity }}", "{{ finding.code }}", "{{ finding.message }}"],
            "{%tr endfor %}",
        ],
        centre={0, 1},
        keep_together=False,
    )
    w.tag("{%p else %}")
    w.p(
        "{{ year }} 年度决算数据勾稽关系检查未发现问题{% if checks.skipped %}；"
        "{{ checks.skipped }} 条规则因数据不足未检查{% endif %}。"
    )
    w.tag("{%p endif %}")
    w.tag("{%p endif %}")


# ── reproducible file ────────────────────────────────────────────────────

FIXED_TIME = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


def build() -> bytes:
    document = Document()
    # the default template starts with one empty paragraph
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    drop_unused_styles(document)
    make_styles(document)
    add_alt_font_names(document)
    make_page(document)
    write_report(Writer(document))
    package = document.part.package
    for key, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[key]
    props = document.core_properties
    props.title = "{{ title }}"
    props.subject = "部门整体支出绩效自评报告"
    props.author = "{{ dept.name }}"
    props.comments = "由 zzperf 生成；模板见 reports/make_docx_template.py"
    props.keywords = "绩效自评"
    props.last_modified_by = "zzperf"
    props.revision = 1
    props.created = props.modified = FIXED_TIME.replace(tzinfo=None)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """The same bytes on every run: fixed timestamps and a fixed member order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name))
    return out.getvalue()


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUT
    target.write_bytes(build())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
