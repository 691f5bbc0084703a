"""Chinese prose wrapped as Chinese is set: between characters, never inside a number or word, no 。 at a line start.

Textual (like rich) breaks lines only at spaces and folds a longer run at the exact width. ``wrapped_content``
applies the breaks a Chinese reader expects (``zzperf.output.lines.break_offsets``) to Textual's styled text,
``ProseText`` is a Static whose text (a label, a hint, an error, a side text) wraps so at whatever width it is laid
out, and ``ProseArea`` is a text box whose soft wrap breaks its lines there too.
"""

from __future__ import annotations

from types import FunctionType
from typing import TYPE_CHECKING, Any

from textual._wrap import compute_wrap_offsets
from textual.content import Content
from textual.document import _wrapped_document
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import Static, TextArea

from zzperf.output.lines import break_offsets

if TYPE_CHECKING:
    from textual.css.styles import RulesMap
    from textual.strip import Strip
    from textual.style import Style
    from textual.visual import RenderOptions


def wrapped_lines(content: Content, width: int) -> list[Content]:
    """The lines of ``content`` (Textual's styled text) broken wherever ``break_offsets`` breaks them; styles kept."""
    if width < 2:
        return content.split("\n", allow_blank=True)
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        lines.extend(piece.rstrip() for piece in line.divide(break_offsets(line.plain, width)))
    return lines


def wrapped_content(content: Content, width: int) -> Content:
    """``content`` with a line break wherever ``break_offsets`` puts one (``wrapped_lines`` joined)."""
    return Content("\n").join(wrapped_lines(content, width))


class ProseContent(Content):
    """Textual's styled text that breaks into lines where ``break_offsets`` breaks them, at whatever width it is
    laid out in: its height and its lines both follow those breaks."""

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self._wrapped(width).get_height(rules, width)

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self._wrapped(width).render_strips(width, height, style, options)

    def _wrapped(self, width: int) -> Content:
        """The text broken at ``width``, kept for that width: laying it out measures it, then it is drawn."""
        kept: tuple[int, Content] | None = getattr(self, "_kept_wrap", None)
        if kept is None or kept[0] != width:
            plain = Content(self.plain, self.spans, self.cell_length)  # Textual's own: no breaks of its own
            kept = self._kept_wrap = (width, wrapped_content(plain, width))
        return kept[1]


def as_prose(content: Content | str) -> ProseContent:
    """``content`` (a string is taken as plain text) as ``ProseContent``."""
    content = Content(content) if isinstance(content, str) else content
    return ProseContent(content.plain, content.spans, content.cell_length)


class ProseRendered:
    """For a Static (or a subclass of one) whose text breaks into lines as Chinese prose does at its width: the
    Content it holds is laid out and drawn as ``ProseContent``."""

    def render(self) -> Any:
        """The Static's Content as ``ProseContent``, made again only when the Content changes: Textual asks for a
        render on every refresh, and a new ``ProseContent`` would break its lines anew each time."""
        visual = super().render()  # type: ignore[misc]
        if type(visual) is not Content:
            return visual
        kept: tuple[Content, ProseContent] | None = self.__dict__.get("_prose_of")
        if kept is None or kept[0] is not visual:
            kept = self.__dict__["_prose_of"] = (visual, as_prose(visual))
        return kept[1]


class ProseText(ProseRendered, Static):
    """A Static whose text (a string, taken as plain text, or Textual's Content) breaks into lines as Chinese prose
    does at its width: a label, hint or error line that may take more than one line."""

    def __init__(self, content: Content | str = "", **kwargs: Any) -> None:
        super().__init__(content, markup=False, **kwargs)

    def shown_as(self, content: Content | str) -> Content:
        """``content`` as this widget lays it out (``set_text`` measures its height so)."""
        return as_prose(content)


def _wrap_offsets(
    text: str,
    width: int,
    tab_size: int,
    fold: bool = True,
    precomputed_tab_sections: list[tuple[str, int]] | None = None,
) -> list[int]:
    """Textual's ``compute_wrap_offsets`` with the breaks of ``break_offsets``; a line holding a tab is left to
    Textual's (its tab stops widen the line)."""
    if "\t" in text:
        return compute_wrap_offsets(text, width, tab_size, fold, precomputed_tab_sections)
    return break_offsets(text, width)


def _with_our_breaks(method: Any) -> Any:
    """``method`` of Textual's wrapped document as it is, calling ``_wrap_offsets`` where it calls its module's
    ``compute_wrap_offsets``: the same code bound to that module's names with this one replaced."""
    names = dict(vars(_wrapped_document), compute_wrap_offsets=_wrap_offsets)
    return FunctionType(method.__code__, names, method.__name__, method.__defaults__, method.__closure__)


class ProseWrappedDocument(WrappedDocument):
    """Textual's wrapped view of a text box's document, its lines broken where ``break_offsets`` breaks them: all of
    them (``wrap``) and those an edit touched (``wrap_range``). Everything else (cursor places, sections) follows
    from the offsets, as for Textual's own."""

    wrap = _with_our_breaks(WrappedDocument.wrap)
    wrap_range = _with_our_breaks(WrappedDocument.wrap_range)


class ProseArea(TextArea):
    """A text box whose soft wrap breaks Chinese lines as ``ProseText`` does, not only at spaces (a paragraph with one
    ASCII space in it would break early there, leaving a short line)."""

    @property  # type: ignore[override]
    def wrapped_document(self) -> WrappedDocument:
        return self._prose_document

    @wrapped_document.setter
    def wrapped_document(self, document: WrappedDocument) -> None:
        """Textual makes a wrapped document for each text loaded (not yet wrapped): ours takes its place."""
        self._prose_document = ProseWrappedDocument(document.document, tab_width=document._tab_width)
