"""A Markdown viewer whose running text breaks as Chinese prose and whose tables show every cell in full.

Textual's Markdown wraps its text only at spaces: “根据财政部门开展 2018” then “年度部门整体支出…” on the next line,
and it cuts a table cell that does not fit with “…”. Here paragraphs, headings and list items break as Chinese prose
(``ProseRendered``) and a table (``ProseTable``) wraps its cells the same way, keeps its figures whole and aligned as
the report sets them, and scrolls sideways when even so it is wider than the preview.
Imported with the report preview, on its first use (it brings markdown-it).
"""

from __future__ import annotations

from functools import cache

from textual.app import ComposeResult
from textual.containers import HorizontalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Markdown, MarkdownViewer, Static
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownHeader,
    MarkdownParagraph,
    MarkdownTable,
    MarkdownTableOfContents,
    MarkdownTD,
    MarkdownTH,
    MarkdownTR,
)

from zzperf.output.columns import narrowed, ruled, side_by_side
from zzperf.output.lines import narrowest_width
from zzperf.tui.widgets.prose import ProseRendered, wrapped_lines

NARROWEST_TEXT = 8
"""The narrowest a column of text is made (in cells), four Chinese characters a line, unless its text is narrower:
a name or reason read two or three characters a line is no longer read as one."""

SHORT_COLUMN = 12
"""A column no wider than this (in cells, six Chinese characters), such as a row's name (本年支出合计), is kept whole
when the wider columns can give up the room: they fold into more lines, a short name folded is hard to read."""

Cell = tuple[Content, bool]
"""A table cell: its text, and whether it is set flush right (a column of figures, ``---:`` in the Markdown)."""


class ProseTableGrid(Widget):
    """A table drawn in lines: each cell wrapped as Chinese prose inside its column, figures flush right and never
    wrapped, as wide as its container allows or as its narrowest columns need (then wider than its container)."""

    DEFAULT_CSS = """
    ProseTableGrid {
        width: auto;
        height: auto;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    """

    BORDER = "$foreground 30%"
    HEADER = "bold $primary"

    def __init__(self, rows: list[list[Cell]]) -> None:
        super().__init__()
        columns = max((len(row) for row in rows), default=0)
        self.rows = [row + [(Content(), False)] * (columns - len(row)) for row in rows]
        """The header row, then the body rows, each as many cells as the widest row."""
        cells = list(zip(*self.rows))
        self.natural = [max(text.cell_length for text, _ in column) for column in cells]
        """Each column's width with no cell wrapped."""
        self.narrowest = [self._narrowest(column) for column in cells]
        """Each column's narrowest width (``_narrowest``)."""
        self._lines: tuple[int, list[Content]] | None = None

    @staticmethod
    def _narrowest(column: tuple[Cell, ...]) -> int:
        """A column's narrowest width: its figures whole, its header and text no narrower than ``narrowest_width``
        (the line breaker's own rules) and ``NARROWEST_TEXT`` allow."""
        (header, _), *body = column
        figures = max((text.cell_length for text, right in body if right), default=0)
        texts = [header, *(text for text, right in body if not right)]
        wrapped = max((narrowest_width(text.plain) for text in texts if text.plain.strip()), default=0)
        widest_text = max((text.cell_length for text in texts), default=0)
        return max(figures, min(widest_text, max(wrapped, NARROWEST_TEXT)))

    def _frame(self, count: int) -> int:
        """The cells taken by the rules and padding of ``count`` columns."""
        return 3 * count + 1

    def width_in(self, space: int) -> int:
        """The table's width (in cells) with ``space`` cells to fill."""
        frame = self._frame(len(self.natural))
        return sum(self.column_widths(space - frame)) + frame

    def column_widths(self, space: int) -> list[int]:
        """Each column's width (in cells) when the columns share ``space``: as wide as its widest cell when all fit,
        else the widest narrowed first, none below its ``narrowest`` (their sum may then exceed ``space``), and a
        short column (``SHORT_COLUMN``) not at all while the others can make the room."""
        excess = sum(self.natural) - space
        whole = [
            max(width, floor) if width <= SHORT_COLUMN else floor for width, floor in zip(self.natural, self.narrowest)
        ]
        return narrowed(self.natural, whole if sum(whole) <= space else self.narrowest, excess)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return self.width_in(container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.size.width))

    def lines(self, width: int) -> list[Content]:
        """The table's lines at ``width`` (as ``width_in`` gave it), kept for that width."""
        if self._lines is None or self._lines[0] != width:
            widths = self.column_widths(width - self._frame(len(self.natural)))
            self._lines = (width, self._drawn(widths))
        return self._lines[1]

    def _drawn(self, widths: list[int]) -> list[Content]:
        """The table's lines, its columns ``widths`` wide: a rule around and between the rows."""

        def rule(left: str, middle: str, right: str) -> Content:
            return Content.styled(ruled(widths, left, "─", middle, right), self.BORDER)

        bar = Content.styled("│", self.BORDER)
        blanks = [Content(" " * width) for width in widths]
        lines = [rule("┌", "┬", "┐")]
        for index, row in enumerate(self.rows):
            if index:
                lines.append(rule("├", "┼", "┤"))
            pieces = [self._wrapped(cell, width, header=not index) for cell, width in zip(row, widths)]
            for shown in side_by_side(pieces, blanks):
                lines.append(bar + Content.assemble(*[part for text in shown for part in (" ", text, " ", bar)]))
        lines.append(rule("└", "┴", "┘"))
        return lines

    def _wrapped(self, cell: Cell, width: int, header: bool) -> list[Content]:
        """The lines of ``cell`` in a column ``width`` cells wide, each padded to the width on the side it is set."""
        text, right = cell
        text = text.stylize(self.HEADER) if header else text
        lines = wrapped_lines(text.rstrip(), width)
        return [
            line.pad_left(width - line.cell_length) if right else line.pad_right(width - line.cell_length)
            for line in lines
        ]


class TableScroll(HorizontalScroll):
    """A table's sideways scroll: focusable (arrow keys scroll it) only when the table is wider than the preview."""

    DEFAULT_CSS = """
    TableScroll {
        height: auto;
    }
    """

    def allow_focus(self) -> bool:
        return self.max_scroll_x > 0

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_wider)  # once the table's width is laid out

    def _say_wider(self) -> None:
        """Say above the table that it goes on to the right, while it does (the scroll bar is at its foot)."""
        if self.parent is not None:
            self.parent.query_one(TableWider).display = self.max_scroll_x > 0


class TableWider(Static):
    """Above a table wider than the preview: that it goes on to the right, and how to see the rest."""

    DEFAULT_CSS = """
    TableWider {
        color: $text-muted;
        height: auto;
    }
    """


WIDER = "（此表较宽，右侧未显示完：Tab 选中后 ←/→ 左右滚动）"


class ProseTable(MarkdownTable):
    """A Markdown table as ``ProseTableGrid`` draws it, in a ``TableScroll``."""

    def compose(self) -> ComposeResult:
        wider = TableWider(WIDER)
        wider.display = False
        yield wider
        yield TableScroll(ProseTableGrid(self.rows()))

    def rows(self) -> list[list[Cell]]:
        """The header row and the body rows, each cell with whether the Markdown sets it flush right."""

        def flatten(block: MarkdownBlock) -> list[MarkdownBlock]:
            return [inner for child in block._blocks for inner in (*flatten(child), child)]

        rows: list[list[Cell]] = [[]]
        for block in flatten(self):
            if isinstance(block, MarkdownTR) and rows[-1]:
                rows.append([])
            elif isinstance(block, (MarkdownTH, MarkdownTD)):
                right = "text-align:right" in str(block._token.attrs.get("style", ""))
                rows[-1].append((block._content, right))
        return [row for row in rows if row]


@cache
def prose_block(block: type[MarkdownBlock]) -> type[MarkdownBlock]:
    """``block`` breaking its text as Chinese prose when it holds running text (a paragraph or a heading); a code
    block as it is."""
    if not issubclass(block, (MarkdownParagraph, MarkdownHeader)):
        return block
    return type(block.__name__, (ProseRendered, block), {"__doc__": block.__doc__})


class ProseMarkdown(Markdown):
    """Textual's Markdown, its running text broken as Chinese prose and its tables drawn by ``ProseTable``."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        if block_name == "table_open":
            return ProseTable
        return prose_block(super().get_block_class(block_name))


class ProseMarkdownViewer(MarkdownViewer):
    """Textual's Markdown viewer showing a ``ProseMarkdown``."""

    def compose(self) -> ComposeResult:
        markdown = ProseMarkdown(parser_factory=self._parser_factory, open_links=self._open_links)
        markdown.can_focus = True
        yield markdown
        yield MarkdownTableOfContents(markdown)
