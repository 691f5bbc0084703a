"""A Markdown viewer whose paragraphs, headings and list items break as Chinese prose (``ProseRendered``).

Textual's Markdown wraps its text only at spaces: “根据财政部门开展 2018” then “年度部门整体支出…” on the next line.
Imported with the report preview, on its first use (it brings markdown-it).
"""

from __future__ import annotations

from functools import cache

from textual.app import ComposeResult
from textual.widgets import Markdown, MarkdownViewer
from textual.widgets._markdown import MarkdownBlock, MarkdownHeader, MarkdownParagraph, MarkdownTableOfContents

from zzperf.tui.widgets.prose import ProseRendered


@cache
def prose_block(block: type[MarkdownBlock]) -> type[MarkdownBlock]:
    """``block`` breaking its text as Chinese prose when it holds running text (a paragraph or a heading); a table
    or code block as it is."""
    if not issubclass(block, (MarkdownParagraph, MarkdownHeader)):
        return block
    return type(block.__name__, (ProseRendered, block), {"__doc__": block.__doc__})


class ProseMarkdown(Markdown):
    """Textual's Markdown, its running text broken as Chinese prose."""

    def get_block_class(self, block_name: str) -> type[MarkdownBlock]:
        return prose_block(super().get_block_class(block_name))


class ProseMarkdownViewer(MarkdownViewer):
    """Textual's Markdown viewer showing a ``ProseMarkdown``."""

    def compose(self) -> ComposeResult:
        markdown = ProseMarkdown(parser_factory=self._parser_factory, open_links=self._open_links)
        markdown.can_focus = True
        yield markdown
        yield MarkdownTableOfContents(markdown)
