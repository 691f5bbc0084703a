"""Published 决算 PDFs: the ruled tables as rows of cells, and the text around them as lines, page by page.

Tables are read by their ruling lines (pdfplumber's table finder), never from the text layer: each ruled
cell becomes one cell of a ``Line`` with blank cells kept, so a cell's index is its column. A header cell
that spans several columns or rows is repeated in each column it covers, so the stacked header above a
column names it fully (“公务用车购置及运行费 / 公务用车购置费 / 预算数”). A name wrapped inside its cell is
joined again. The 类/款/项 sub-header that shares a ruled row with the 合计 row is given a row of its own.

Text outside the tables is read word by word with its position. Words whose line boxes overlap by half
their height are one visual line, ordered left to right: a figure or a year set as a separate, slightly
lower text run lands back in the gap of its sentence (“年初预算为 2993.92 万元”).

Each page's characters and ruling lines come from pypdfium2 (PDFium, in C), which reads a page's content
an order of magnitude faster than pdfminer; pdfplumber's table finder and word grouping then run on them
unchanged. A page PDFium cannot give exactly as pdfminer would (form objects, curves, rotated text) is read
by pdfplumber itself.

pdfplumber and pypdfium2 are imported inside the functions only (layer rule R3): the rest of zzperf never
loads them.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zzperf.errors import ZzperfError
from zzperf.importing.grid import Line, is_number

MAX_PAGES = 300
"""Pages read; a department's 决算 has 20–60."""
_OVERLAP = 0.5
"""Two words are on one visual line when their boxes overlap by this share of the smaller height."""
_FOOTER = 0.07
"""Share of the page height at its bottom where a lone number is a page number."""
_CODE_HEADERS = ("类", "款", "项")


@dataclass
class PdfDocument:
    """What a PDF gave: lines in reading order (text lines and table rows), the prose, and what was seen."""

    lines: list[Line] = field(default_factory=list)
    text: str = ""
    """The text outside the tables, one visual line per line, with separate figure runs set back in place."""
    text_pages: list[int] = field(default_factory=list)
    """The page of each line of ``text``."""
    pages: int = 0
    tables: int = 0
    """Ruled tables found (a table continued on the next page counts once per page)."""
    notes: list[str] = field(default_factory=list)


def read_pdf(path: Path, *, pdfium: bool = True) -> PdfDocument:
    """The lines and prose of a PDF; ZzperfError for an encrypted, damaged or scanned (text-less) file.

    ``pdfium=False`` reads every page with pdfplumber alone: the same result, several times slower.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _encrypted(path) from None
    except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds of errors on malformed files
        if type(error).__name__.startswith("PDFPassword") or "password" in str(error).lower():
            raise _encrypted(path) from None
        raise _damaged(path, error) from None
    document = PdfDocument()
    with pdf:
        try:
            pages = list(pdf.pages)
        except Exception as error:  # noqa: BLE001 - as above, for the page tree
            if "password" in str(error).lower() or "encrypt" in str(error).lower():
                raise _encrypted(path) from None
            raise _damaged(path, error) from None
        document.pages = len(pages)
        if len(pages) > MAX_PAGES:
            document.notes.append(f"PDF 有 {len(pages)} 页，只读前 {MAX_PAGES} 页")
        chars = 0
        fast = _open_pdfium(path, len(pages)) if pdfium else None
        try:
            for number, page in enumerate(pages[:MAX_PAGES], start=1):
                quick = _pdfium_page(fast, number) if fast is not None else None
                chars += len((quick or page).chars)
                _read_page(quick or page, number, document)
        finally:
            if fast is not None:
                fast.close()
    if not chars:
        raise ZzperfError(
            f"PDF 共 {document.pages} 页，但没有文字层：看来是扫描件（图片）",
            file=path,
            hint="扫描件需先做文字识别（OCR），zzperf 不带 OCR；请找部门公开的电子版 PDF，"
            "或把表格数字录入空白 Excel 模板（zzperf import --template 模板.xlsx）后导入",
        )
    return document


_DAMAGE = (
    ("eof", "文件在中途断了，像是没有下载完"),
    ("/root", "缺少 PDF 的目录（Root）"),
    ("xref", "交叉引用表损坏"),  # startxref too
    ("stream", "某个数据流损坏"),
)
"""What the PDF readers' (English) errors say, in words a user reads: a key in the message, what it means."""


def _damaged(path: Path, error: BaseException) -> ZzperfError:
    """A PDF the readers cannot open: said in Chinese, with what is broken when the reader's message tells."""
    said = str(error).lower()
    detail = next((words for key, words in _DAMAGE if key in said), None)
    reason = f"（{detail}）" if detail else ""
    return ZzperfError(f"PDF 文件已损坏或不完整，无法读取{reason}", file=path, hint="请重新下载该 PDF 后再导入")


def _encrypted(path: Path) -> ZzperfError:
    return ZzperfError(
        "PDF 已加密（需要密码才能打开），无法读取",
        file=path,
        hint="请在 PDF 阅读器中输入密码后另存为不加密的 PDF，或使用部门公开的无密码版本",
    )


# ─── a page read by PDFium ────────────────────────────────────────────────────


def _open_pdfium(path: Path, pages: int) -> Any:
    """The document opened by PDFium, or None when PDFium cannot read it as pdfminer did (then pdfplumber reads)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(path)
    except Exception:  # noqa: BLE001 - any PDFium failure leaves the file to pdfplumber
        return None
    if len(document) != pages:
        document.close()
        return None
    return document


class PdfiumPage:
    """One page's characters and ruling lines from PDFium, shaped as pdfplumber's objects.

    Characters carry pdfminer's box: the advance width across, and the font size above the baseline
    lowered by the font's descent, so words, lines and cells come out as pdfplumber would make them.
    """

    def __init__(
        self, number: int, height: float, width: float, chars: list[dict[str, Any]], edges: list[dict[str, Any]]
    ) -> None:
        self.page_number = number
        self.height, self.width = height, width
        self.bbox = (0.0, 0.0, width, height)
        self.chars = chars
        self.edges = edges
        self.lines = edges
        self.rects: list[dict[str, Any]] = []

    def find_tables(self) -> list[Any]:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables  # type: ignore[arg-type]

    def extract_words(self, **settings: Any) -> list[dict[str, Any]]:
        from pdfplumber.utils import extract_words

        return extract_words(self.chars, **settings)


def _pdfium_page(document: Any, number: int) -> PdfiumPage | None:
    """The page from PDFium; None when it holds what only pdfminer reads as pdfplumber expects."""
    page = document[number - 1]
    try:
        width, height = page.get_size()
        if page.get_rotation():
            return None
        edges = _pdfium_edges(page, height)
        chars = _pdfium_chars(page, height) if edges is not None else None
        if edges is None or chars is None:
            return None
        return PdfiumPage(number, height, width, chars, edges)
    finally:
        page.close()


def _pdfium_chars(page: Any, height: float) -> list[dict[str, Any]] | None:
    """The page's characters in pdfminer's boxes; None when some are rotated or sheared."""
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        x, y = ctypes.c_double(), ctypes.c_double()
        descent = ctypes.c_float()
        box = pdfium_c.FS_RECTF()
        matrix = pdfium_c.FS_MATRIX()
        chars: list[dict[str, Any]] = []
        for index in range(pdfium_c.FPDFText_CountChars(handle)):
            if pdfium_c.FPDFText_IsGenerated(handle, index):
                continue
            text = chr(pdfium_c.FPDFText_GetUnicode(handle, index))
            if text in "\r\n":
                continue
            pdfium_c.FPDFText_GetMatrix(handle, index, matrix)
            if matrix.a <= 0 or matrix.d <= 0 or abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6:
                return None  # rotated, mirrored or sheared text
            pdfium_c.FPDFText_GetCharOrigin(handle, index, x, y)
            pdfium_c.FPDFText_GetLooseCharBox(handle, index, box)
            nominal = pdfium_c.FPDFText_GetFontSize(handle, index)
            font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(handle, index))
            pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(nominal), descent)
            size = nominal * matrix.d
            bottom = height - (y.value + descent.value * matrix.d)
            chars.append(
                {
                    "text": text,
                    "x0": box.left,
                    "x1": box.right,
                    "top": bottom - size,
                    "bottom": bottom,
                    "doctop": bottom - size,
                    "upright": True,
                    "size": size,
                    "fontname": "",
                    "object_type": "char",
                }
            )
        return chars
    finally:
        textpage.close()


def _pdfium_edges(page: Any, height: float) -> list[dict[str, Any]] | None:
    """The horizontal and vertical strokes of the page's paths; None for curves, slants or form objects."""
    import pypdfium2.raw as pdfium_c

    edges: list[dict[str, Any]] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = pdfium_c.FS_MATRIX()
    for index in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
        path = pdfium_c.FPDFPage_GetObject(page.raw, index)
        kind = pdfium_c.FPDFPageObj_GetType(path)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            return None  # its paths and text sit in a nested content stream
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        pdfium_c.FPDFPageObj_GetMatrix(path, matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        start = previous = None
        for number in range(pdfium_c.FPDFPath_CountSegments(path)):
            segment = pdfium_c.FPDFPath_GetPathSegment(path, number)
            kind = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
                return None
            pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
            elif previous is not None and not _add_edge(edges, previous, point):
                return None
            if pdfium_c.FPDFPathSegment_GetClose(segment) and start is not None and not _add_edge(edges, point, start):
                return None
            previous = point
    return edges


def _add_edge(edges: list[dict[str, Any]], start: tuple[float, float], end: tuple[float, float]) -> bool:
    """A stroke from ``start`` to ``end`` as pdfplumber's edge; False for a slanted one.

    pdfplumber classes a slanted stroke by the kind of path it belongs to, so such a page is left to it.
    """
    (x0, y0), (x1, y1) = start, end
    if abs(x0 - x1) < 0.01:
        top, bottom = sorted((y0, y1))
        edges.append(
            {
                "x0": x0,
                "x1": x0,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": 0.0,
                "height": bottom - top,
                "orientation": "v",
                "object_type": "line",
            }
        )
    elif abs(y0 - y1) < 0.01:
        left, right = sorted((x0, x1))
        edges.append(
            {
                "x0": left,
                "x1": right,
                "top": y0,
                "bottom": y0,
                "doctop": y0,
                "width": right - left,
                "height": 0.0,
                "orientation": "h",
                "object_type": "line",
            }
        )
    else:
        return False
    return True


# ─── one page ──────────────────────────────────────────────────────────────────


def _read_page(page: Any, number: int, document: PdfDocument) -> None:
    """Append the page's text lines and table rows to the document, top to bottom."""
    ruled = page.lines or page.rects  # a page of prose has no ruling lines: the table finder is skipped
    tables = [table for table in page.find_tables() if len(table.rows) >= 1] if ruled else []
    boxes = [table.bbox for table in tables]
    items: list[tuple[float, int, list[Line]]] = []
    for top, text in _text_lines(page, boxes):
        if _is_page_number(text, top, page.height):
            continue
        line = Line((text,), f"第 {number} 页", positional=False, raw=text)
        items.append((top, 0, [line]))
        document.text += text + "\n"
        document.text_pages.append(number)
    for index, table in enumerate(tables):
        rows = _table_lines(table, number)
        if rows:
            document.tables += 1
            items.append((table.bbox[1], 1 + index, rows))
    items.sort(key=lambda item: (item[0], item[1]))
    for _, _, lines in items:
        document.lines.extend(lines)
    if document.text_pages and document.text_pages[-1] == number:
        document.text += "\n"  # a blank line ends the page's last paragraph
        document.text_pages.append(number)


def _is_page_number(text: str, top: float, height: float) -> bool:
    return (
        top > height * (1 - _FOOTER) and re.fullmatch(r"[-—–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?[-—–\s]*", text) is not None
    )


def _inside(word: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    middle_x = (word["x0"] + word["x1"]) / 2
    middle_y = (word["top"] + word["bottom"]) / 2
    return any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)


def _text_lines(page: Any, boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, str]]:
    """(top, text) of each visual line outside the tables (see the module docstring)."""
    words = [word for word in page.extract_words(x_tolerance=1.5) if not _inside(word, boxes)]
    words.sort(key=lambda word: (word["top"], word["x0"]))
    lines: list[dict[str, Any]] = []
    for word in words:
        height = word["bottom"] - word["top"] or 1.0
        best, best_overlap = None, 0.0
        for line in lines[-6:]:
            overlap = min(line["bottom"], word["bottom"]) - max(line["top"], word["top"])
            share = overlap / min(height, line["bottom"] - line["top"] or 1.0)
            if share >= _OVERLAP and share > best_overlap:
                best, best_overlap = line, share
        if best is None:
            lines.append({"top": word["top"], "bottom": word["bottom"], "words": [word]})
        else:
            best["words"].append(word)
    result = []
    for line in lines:
        ordered = sorted(line["words"], key=lambda word: word["x0"])
        text = _join([word["text"] for word in ordered])
        if text.strip():
            result.append((line["top"], text))
    return result


def _join(parts: list[str]) -> str:
    """Words of one line: no space between Chinese and figures, one space between two Latin or digit runs."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text += " "
        text += part
    return text


# ─── one ruled table ───────────────────────────────────────────────────────────


def _cell_text(text: str | None) -> str | None:
    """A cell's text with its wrapped lines joined and the spaces a PDF sets between Chinese characters removed."""
    if text is None:
        return None
    text = _join(text.split("\n"))
    text = re.sub(r"(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])", "", text)
    return text.strip() or None


def _table_lines(table: Any, page: int) -> list[Line]:
    """The rows of one ruled table; header cells repeated over the columns and rows they span."""
    extracted = table.extract()
    if not extracted:
        return []
    width = max(len(row) for row in extracted)
    grid: list[list[str | None]] = [
        [_cell_text(cell) for cell in row] + [None] * (width - len(row)) for row in extracted
    ]
    header_rows = _header_rows(grid)
    _fill_spans(table, grid, header_rows)
    lines: list[Line] = []
    for number, cells in enumerate(grid, start=1):
        if not any(cells):
            continue
        where = f"第 {page} 页表格第 {number} 行"
        head = [index for index, cell in enumerate(cells[:3]) if cell in _CODE_HEADERS]
        if number > header_rows and head and any(is_number(cell) for cell in cells):
            # “类 | 款 | 项 | 合计 | 2,946.25 …”: the code sub-header shares its ruled row with the 合计 row.
            lines.append(Line(tuple(cell if index in head else None for index, cell in enumerate(cells)), where, True))
            cells = [None if index in head else cell for index, cell in enumerate(cells)]
        lines.append(Line(tuple(cells), where, positional=True))
    return lines


def _header_rows(grid: list[list[str | None]]) -> int:
    """How many rows at the top hold only text (the header); 0 for a page that continues a table."""
    for index, cells in enumerate(grid):
        if any(cell and is_number(cell) and not re.fullmatch(r"\d{2,3}", cell) for cell in cells):
            return index
        if any(cell and re.fullmatch(r"\d{3}", cell) for cell in cells[:1]):
            return index  # a 类 code in the first column starts the rows
    return len(grid)


def _fill_spans(table: Any, grid: list[list[str | None]], header_rows: int) -> None:
    """Repeat each header cell's text in every (row, column) its ruled box covers."""
    starts = sorted({round(cell[0], 1) for cell in table.cells})
    tops = [round(row.bbox[1], 1) for row in table.rows]
    for row_index, row in enumerate(table.rows[:header_rows]):
        for column_index, box in enumerate(row.cells):
            if box is None or column_index >= len(grid[row_index]):
                continue
            text = grid[row_index][column_index]
            if text is None:
                continue
            x0, top, x1, bottom = box
            columns = [index for index, start in enumerate(starts) if x0 - 0.5 <= start < x1 - 0.5]
            rows = [index for index, row_top in enumerate(tops) if top - 0.5 <= row_top < bottom - 0.5]
            for covered_row in rows:
                if covered_row >= header_rows:
                    continue
                for covered_column in columns:
                    if covered_column < len(grid[covered_row]) and grid[covered_row][covered_column] is None:
                        grid[covered_row][covered_column] = text
