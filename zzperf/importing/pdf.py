"""Published 决算 PDFs: the ruled tables as rows of cells, and the text around them as lines, page by page.

Tables are read by their ruling lines (pdfplumber's table finder), never from the text layer: each ruled
cell becomes one cell of a ``Line`` with blank cells kept, so a cell's index is its column. A header cell
that spans several columns or rows is repeated in each column it covers, so the stacked header above a
column names it fully (“公务用车购置及运行费 / 公务用车购置费 / 预算数”). A name wrapped inside its cell is
joined again. The 类/款/项 sub-header that shares a ruled row with the 合计 row is given a row of its own.

Text outside the tables is read word by word with its position. Words whose line boxes overlap by half
their height are one visual line, ordered left to right: a figure or a year set as a separate, slightly
lower text run lands back in the gap of its sentence (“年初预算为 2993.92 万元”).

pdfplumber is imported inside the functions only (layer rule R3): the rest of zzperf never loads it.
"""

from __future__ import annotations

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


def read_pdf(path: Path) -> PdfDocument:
    """The lines and prose of a PDF; ZzperfError for an encrypted, damaged or scanned (text-less) file."""
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
        for number, page in enumerate(pages[:MAX_PAGES], start=1):
            chars += len(page.chars)
            _read_page(page, number, document)
    if not chars:
        raise ZzperfError(
            f"PDF 共 {document.pages} 页，但没有文字层：看来是扫描件（图片）",
            file=path,
            hint="扫描件需先做文字识别（OCR），zzperf 不带 OCR；请找部门公开的电子版 PDF，"
            "或把表格数字录入空白 Excel 模板（zzperf import --template 模板.xlsx）后导入",
        )
    return document


def _damaged(path: Path, error: BaseException) -> ZzperfError:
    detail = str(error).strip().splitlines()[0][:80] if str(error).strip() else type(error).__name__
    return ZzperfError(f"PDF 文件已损坏或不完整，无法读取（{detail}）", file=path, hint="请重新下载该 PDF 后再导入")


def _encrypted(path: Path) -> ZzperfError:
    return ZzperfError(
        "PDF 已加密（需要密码才能打开），无法读取",
        file=path,
        hint="请在 PDF 阅读器中输入密码后另存为不加密的 PDF，或使用部门公开的无密码版本",
    )


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
    return top > height * (1 - _FOOTER) and re.fullmatch(r"[-—–\s]*(?:第\s*)?\d{1,3}(?:\s*页)?[-—–\s]*", text) is not None


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
