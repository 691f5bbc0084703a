"""The 评分 tab: the indicator tree with scores and status marks, the selected leaf's detail and inputs."""

from __future__ import annotations

import time
from collections.abc import Collection
from functools import cache
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import Styles
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from zzperf import editing, figure_paths
from zzperf.accounts import SECTION_NAMES, Accounts
from zzperf.amounts import fmt_number, fmt_score
from zzperf.indicators import Indicator, IndicatorSet, TargetRule
from zzperf.scoring import (
    IndicatorResult,
    ScoreCard,
    Seek,
    Status,
    changed_results,
    count_wanted,
    next_leaf,
    pending_text,
)
from zzperf.tui.panes.entry_form import EntryForm
from zzperf.tui.widgets.lazy import LazyPane
from zzperf.tui.widgets.prose import wrapped_lines
from zzperf.tui.widgets.text import (
    FORWARD_WINDOW,
    LaidOutOnce,
    SameLines,
    clip,
    looks_the_same,
    pad,
    set_display,
    styled_strips,
)
from zzperf.wording import describe, missing_words

MARKS = {
    Status.AUTO: ("自动", "auto"),
    Status.JUDGED: ("已评", "judged"),
    Status.OVERRIDDEN: ("已调整", "overridden"),
    Status.INSUFFICIENT: ("缺数据", "insufficient"),
    Status.UNSCORED: ("待评", "unscored"),
    Status.NEEDS_REASON: ("缺理由", "reason"),
    Status.NOT_APPLICABLE: ("不适用", "na"),
}
"""Status → (the mark in the tree, its style class)."""


def _mark(result: IndicatorResult) -> str:
    """The tree's mark: the status, or 草稿 for the evaluator's score not yet confirmed (已核实)."""
    if result.is_draft and result.status in (Status.JUDGED, Status.OVERRIDDEN):
        return "草稿"
    return MARKS[result.status][0]


MARK_STYLES = {
    "auto": "$success",
    "judged": "$primary",
    "overridden": "$accent",
    "insufficient": "$warning",
    "unscored": "$warning",
    "reason": "$error",
    "na": "$text-muted",
    "invalid": "$error",
}
"""The same colours as the tree's marks, for the detail pane."""
MARK_WIDTH = 6
SCORE_WIDTH = 6
COMPACT_BELOW = 56
"""Tree content widths below which the score and points columns close up (an 80-column terminal)."""
COMPACT_NUMBERS = 8
"""Cells of score/points closed up: “31.03/45”."""
POINTS_WIDTH = 3
NULL = Style()
"""No style: what Rich's Text adds for a part appended without one."""
NARROW_TREE_BELOW = 100
"""Screen widths below which the tree narrows while a box of the form has the focus: at 80 columns, beside the tree's
whole names, the form would be 27 cells wide."""

MIN_LABEL_WIDTH = 24
"""Cells of a tree line below which the tree scrolls sideways instead of narrowing its lines."""


class LineKit(NamedTuple):
    """What every line of one repaint of the score tree is drawn with (Textual's Tree looks these up per line)."""

    guides_hidden: bool
    hover_guides_hidden: bool
    selected_guides_hidden: bool
    guide_style: Style
    guide_hover_style: Style
    guide_selected_style: Style
    has_focus: bool
    label_style: Style
    highlight_style: Style
    cursor_style: Style
    line_styles: dict[str, Style]
    label_width: int
    """The labels' width: the tree's, at least ``MIN_LABEL_WIDTH``."""


class ScoreTree(Tree[str]):
    """一级 / 二级 / 三级 indicators, each line: name, score / points and a status mark, in aligned columns."""

    BINDINGS = [
        Binding("j", "cursor_down", "下移", id="score.tree.down", tooltip="光标移到下一行指标，同 ↓", show=False),
        Binding("k", "cursor_up", "上移", id="score.tree.up", tooltip="光标移到上一行指标，同 ↑", show=False),
    ]

    LINE_STYLES = {
        "auto": ("success", ""),
        "judged": ("primary", ""),
        "overridden": ("accent", ""),
        "insufficient": ("warning", "bold"),
        "unscored": ("warning", ""),
        "reason": ("error", "bold"),
        "na": ("text-muted", ""),
        "invalid": ("error", "bold reverse"),
        "group": ("", "bold"),
        "numbers": ("text", ""),
    }
    """The marks' style classes (and the group names' and the numbers'): (the theme colour, the text style).

    Styles made from the theme's colours directly: as component classes, each would be one more node for
    Textual to style, twice, before the first screen.
    """

    def __init__(self, indicator_set: IndicatorSet, **kwargs: Any) -> None:
        super().__init__("指标", **kwargs)
        self.indicator_set = indicator_set
        self.show_root = False
        self.guide_depth = 2
        self.card: ScoreCard | None = None
        self.invalid: set[str] = set()
        self.nodes: dict[str, TreeNode[str]] = {}
        self._partial_styles: dict[str, tuple[object, Style]] = {}
        """Component name → (the component's styles, its partial Rich style), see get_component_rich_style."""
        self._kit: LineKit | None = None
        """What the lines of the repaint under way are drawn with (``_line_kit``)."""
        self._base_style: Style | None = None
        """The tree's own style, for the lines of the repaint under way."""
        self._line_styles: tuple[tuple[str, ...], dict[str, Style]] = ((), {})
        """(the theme colours they were made from, the LINE_STYLES as Rich styles), see ``line_styles``."""
        self._adding = True
        """While the nodes are added: the tree is made ready for them once, after the last."""
        for node in indicator_set.indicator:
            parent = self.root if node.parent_id is None else self.nodes[node.parent_id]
            if node.is_leaf:
                self.nodes[node.id] = parent.add_leaf(node.name, data=node.id)
            else:
                self.nodes[node.id] = parent.add(node.name, data=node.id, expand=True)
        self._adding = False
        self._invalidate()

    def process_label(self, label: str | Text) -> Text:
        """A node's label: the indicator's name as written (Textual reads a string as markup, where "[i]" is a tag).

        The lines are drawn from the indicator set (``_label_parts``); the label is what Textual keeps for the node.
        """
        return Text(label) if isinstance(label, str) else label

    def refresh_nodes(self, ids: Collection[str] | None = None) -> None:
        """Repaint the lines of ``ids`` and their parents (all lines when None)."""
        if ids is None:
            self._line_cache.clear()  # every line drawn anew: one repaint, not one for each line
            self.refresh()
            return
        touched: set[str] = set()
        for key in ids:
            while key and key not in touched:
                touched.add(key)
                key = key.rsplit(".", 1)[0] if "." in key else ""
        for key in touched:
            if key in self.nodes:
                self.nodes[key].refresh()

    def _columns(self, node: Indicator) -> tuple[str, str, str]:
        """(score, points, mark class) texts of one node."""
        card = self.card
        points = fmt_number(node.points)
        if card is None:
            return "", points, ""
        if node.is_leaf:
            result = card.results[node.id]
            if node.id in self.invalid:
                return fmt_score(result.final_score), points, "invalid"
            return fmt_score(result.final_score), points, MARKS[result.status][1]
        group = card.groups[node.id]
        return fmt_score(group.shown_score), points, "group" if group.complete else "unscored"

    def _label_parts(
        self, node: TreeNode[str], styles: dict[str, Style] | None = None, width: int = 0
    ) -> tuple[str, list[tuple[str, Style]]] | None:
        """(the expand icon, the name, score/points and mark each with its style) of a node's label; None for one
        that is not an indicator. ``styles`` and ``width``: the line styles and the lines' width, when known."""
        indicator = self.indicator_set.by_id.get(node.data or "")
        if indicator is None:
            return None
        score, points, mark_class = self._columns(indicator)
        if indicator.is_leaf:
            result = self.card.results[indicator.id] if self.card else None
            mark = "有误" if indicator.id in self.invalid else (_mark(result) if result else "")
        else:
            mark = "" if mark_class == "group" else "未完"
        prefix = ""
        if node.allow_expand:
            prefix = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        indent = (indicator.level - 1) * self.guide_depth
        width = width or max(self.scrollable_content_region.width, MIN_LABEL_WIDTH)
        if width < COMPACT_BELOW:  # a narrow terminal: score and points close up, to leave the names whole
            numbers = pad(f"{score}/{points}", COMPACT_NUMBERS, right=True) + " "
        else:
            numbers = f" {pad(score, SCORE_WIDTH, right=True)}/{pad(points, POINTS_WIDTH)} "
        name_width = max(4, width - indent - cell_len(prefix) - cell_len(numbers) - MARK_WIDTH)
        name = pad(clip(indicator.name, name_width), name_width)
        styles = styles or self.line_styles()
        return prefix, [
            (name, styles["group"] if not indicator.is_leaf else NULL),
            (numbers, styles["numbers"]),
            (pad(mark, MARK_WIDTH), styles[mark_class] if mark_class else NULL),
        ]

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        parts = self._label_parts(node)
        if parts is None:
            return super().render_label(node, base_style, style)
        prefix, columns = parts
        text = Text(prefix, style=base_style)
        for column, column_style in columns:
            text.append(column, style=column_style)
        text.stylize(style)
        return text

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """Textual's Tree line, with its segments made directly rather than through Rich's Text.

        The same segments in the same styles as Textual's (``tests/tui/test_score_tree.py`` compares them): one for
        each guide, each part of the label and the padding, each style the sum of the styles over it, in order.
        """
        tree_lines = self._tree_lines
        width = self.size.width
        if y >= len(tree_lines):
            return Strip.blank(width, base_style)
        line = tree_lines[y]
        if self._base_style is not None:  # a repaint: what every line needs is looked up once
            kit = self._line_kit()
            parts = self._label_parts(line.path[-1], kit.line_styles, kit.label_width)
        else:
            parts = self._label_parts(line.path[-1])
        if parts is None:
            return super()._render_line(y, x1, x2, base_style)
        is_hover = self.hover_line >= 0 and any(node._hover for node in line.path)
        cache_key = (
            y,
            is_hover,
            width,
            self._updates,
            self._pseudo_class_state,
            tuple(node._updates for node in line.path),
        )
        strip = self._line_cache.get(cache_key)
        if strip is None:
            strip = self._line_cache[cache_key] = self._make_line(y, line, parts, is_hover, base_style, width)
        return strip.crop(x1, x2)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._kit = None  # made when the first line not kept is drawn, for the lines of this repaint
        self._base_style = self.rich_style  # the same for every line (Tree works it out again for each)
        try:
            return super().render_lines(crop)
        finally:
            self._kit = self._base_style = None

    def render_line(self, y: int) -> Strip:
        """Textual's, with the tree's style worked out once for all the lines of a repaint."""
        style = self._base_style
        if style is None:
            style = self.rich_style
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(y + scroll_y, scroll_x, scroll_x + self.size.width, style)

    def _line_kit(self) -> LineKit:
        """What every line of one repaint is drawn with, looked up when its first line is drawn."""
        if self._kit is None:
            guides = self.get_component_rich_style("tree--guides", partial=True)
            self._kit = LineKit(
                guides_hidden=self.get_component_styles("tree--guides").color.a == 0,
                hover_guides_hidden=self.get_component_styles("tree--guides-hover").color.a == 0,
                selected_guides_hidden=self.get_component_styles("tree--guides-selected").color.a == 0,
                guide_style=guides,
                guide_hover_style=guides + self.get_component_rich_style("tree--guides-hover", partial=True),
                guide_selected_style=guides + self.get_component_rich_style("tree--guides-selected", partial=True),
                has_focus=self.has_focus,
                label_style=self.get_component_rich_style("tree--label", partial=True),
                highlight_style=self.get_component_rich_style("tree--highlight", partial=True),
                cursor_style=self.get_component_rich_style("tree--cursor", partial=False),
                line_styles=self.line_styles(),
                label_width=max(self.scrollable_content_region.width, MIN_LABEL_WIDTH),
            )
        return self._kit

    def _make_line(self, y: int, line: Any, parts: Any, is_hover: bool, base_style: Style, width: int) -> Strip:
        """One line of the tree, as ``Tree._render_line`` draws it (guides, label, padding)."""
        kit = self._line_kit()
        has_focus = kit.has_focus
        hover = line.path[0]._hover
        selected = line.path[0]._selected and has_focus
        line_style = self.get_component_rich_style("tree--highlight-line") if is_hover else base_style
        line_style += Style(meta={"line": y})
        segments: list[Segment] = []
        guide_style = kit.guide_style
        hidden = True
        last = line.path[-1]
        for node in line.path[1:]:
            hidden = kit.guides_hidden
            if hover:
                guide_style, hidden = kit.guide_hover_style, kit.hover_guides_hidden
            if selected:
                guide_style, hidden = kit.guide_selected_style, kit.selected_guides_hidden
            if node != last:
                space, vertical, _, _ = self._guides(guide_style, hidden)
                segments.append(Segment(space if node.is_last else vertical, line_style + guide_style))
            hover = hover or node._hover
            selected = (selected or node._selected) and has_focus
        if len(line.path) > 1:
            _, _, terminator, cross = self._guides(guide_style, hidden)
            segments.append(Segment(terminator if line.last else cross, line_style + guide_style))
        label_style = kit.label_style
        if self.hover_line == y:
            label_style += kit.highlight_style
        if self.cursor_line == y:
            label_style += kit.cursor_style
        # over every part of the label: the line's style twice (the text's and the label's own), the part's,
        # the label style and the node's id, as Rich's Text adds them up
        label_base = line_style + line_style
        label_end = (label_style if label_style else NULL) + Style(meta={"node": line.node._id})
        prefix, columns = parts
        if prefix:
            segments.append(Segment(prefix, label_base + label_end))
        for text, style in columns:
            segments.append(Segment(text, label_base + style + label_end))
        used = sum(segment.cell_length for segment in segments)
        padding = max(self.virtual_size.width, width) - used
        if padding:  # as Textual pads (a label wider than the line gets an empty segment)
            segments.append(Segment(" " * padding, line_style))
        return Strip(segments)

    def _guides(self, style: Style, hidden: bool) -> tuple[str, str, str, str]:
        """The guide strings (space, vertical, terminator, cross) in ``style``, as Textual's Tree picks them."""
        if not self.show_guides or hidden:
            return ("  ", "  ", "  ", "  ")
        lines = self.LINES["default"]
        if style.bold:
            lines = self.LINES["bold"]
        elif style.underline2:
            lines = self.LINES["double"]
        depth = max(0, self.guide_depth - 2)
        return tuple(f"{characters[0]}{characters[1] * depth} " for characters in lines)  # type: ignore[return-value]

    def line_styles(self) -> dict[str, Style]:
        """The ``LINE_STYLES`` in the theme's colours, made again when those change (a theme change)."""
        variables = self.app.theme_variables
        colours = tuple(variables.get(colour, "") for colour, _ in self.LINE_STYLES.values())
        if colours != self._line_styles[0]:
            styles = {}
            for (name, (_, text_style)), colour in zip(self.LINE_STYLES.items(), colours, strict=True):
                # Textual's own reading of a colour ("auto 60%", "ansi_red"), as a component class would have it
                style = Styles.parse(f"color: {colour};", ("ScoreTree", name)).partial_rich_style if colour else Style()
                styles[name] = style + Style.parse(text_style) if text_style else style
            self._line_styles = (colours, styles)
        return self._line_styles[1]

    def get_component_rich_style(self, *names: str, partial: bool = False, default: Style | None = None) -> Style:
        """Textual's, with a component's partial style kept for as long as the component's styles are the same.

        Textual forgets every component style on each repaint, and working out one walks the styles of every
        ancestor: the two lines a cursor move repaints would ask for about fifteen. A partial style depends on the
        component's own styles alone, and applying CSS (a theme, focus) replaces those.
        """
        styles = self._component_styles.get(names[0]) if partial and len(names) == 1 else None
        if styles is None:
            return super().get_component_rich_style(*names, partial=partial, default=default)
        kept = self._partial_styles.get(names[0])
        if kept is not None and kept[0] is styles:
            return kept[1]
        style = super().get_component_rich_style(*names, partial=True, default=default)
        self._partial_styles[names[0]] = (styles, style)
        return style

    def _invalidate(self) -> None:
        """Textual's Tree, with a repaint instead of a layout of the whole screen.

        Tree lays the screen out whenever its line cache is dropped: on every focus change and resize (each tab
        switch back to 评分). A new number of lines or width still lays it out, as the virtual size changes.
        """
        if getattr(self, "_adding", False):
            return
        self._clear_line_cache()
        self._updates += 1
        self.root._reset()
        self.refresh()

    def _repaint_lines(self) -> None:
        """Every line drawn anew, in new styles or at a new size; the tree's lines (which nodes, in which order),
        which only adding, removing, expanding or collapsing nodes changes, are kept (Textual's Tree builds them
        again after every style update and resize: four times before the first screen)."""
        self._line_cache.clear()
        self._updates += 1
        self.refresh()

    def notify_style_update(self) -> None:
        super(Tree, self).notify_style_update()  # Textual's Tree would also drop the tree's lines (_invalidate)
        self._repaint_lines()

    def _on_resize(self, event: events.Resize) -> None:
        event.prevent_default()  # Textual's Tree would also drop the tree's lines (_invalidate)
        self._line_cache.grow(event.size.height)
        self._repaint_lines()

    def get_label_width(self, node: TreeNode[str]) -> int:
        """The narrowest a label is drawn (``render_label`` fills the width beyond it).

        The tree's virtual width follows from it: not depending on the tree's size, a resize (the tab shown
        again, the scrollbar coming or going) does not change the virtual size, which would lay the screen out
        once more.
        """
        indicator = self.indicator_set.by_id.get(node.data or "")
        indent = (indicator.level - 1) * self.guide_depth if indicator else 0
        return max(1, MIN_LABEL_WIDTH - indent)


class FormScroll(SameLines, LaidOutOnce, VerticalScroll, can_focus=False):
    """Below the text, the selected leaf's inputs, in a box of a fixed height scrolled to the focused input."""

    def scroll_to_region(self, region: Region, *, animate: bool = True, **kwargs: Any) -> Offset:
        """Bring ``region`` (the input just focused) into view at once, as the tree's cursor moves.

        Textual animates it line by line, each line a layout and a paint of the whole screen: Enter in the score
        field (the focus going on to the reason below) cost about five of them before the last frame.
        """
        return super().scroll_to_region(region, animate=False, **kwargs)


class DetailText(ScrollView):
    """The selected indicator's title, status, explanation and problems, in a box of a fixed height (above the
    inputs, which have their own) that scrolls inside itself.

    Its size never follows its text, so showing another indicator repaints this box alone and never lays the
    screen out (a layout of the whole screen on each cursor move is what made moving in the tree slow). Lines
    are wrapped one cell short of the width, so the scrollbar coming or going does not re-wrap them. It takes
    the focus (Tab) to scroll long text with the keys.
    """

    ALLOW_SELECT = False
    KEPT = 64
    """How many texts keep their wrapped lines (a text shown again at the same width is not wrapped again)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.content = Content("")
        self._lines: list[Strip] = []
        self._wrapped_at = -1
        self._kept: dict[int, tuple[Content, int, list[Strip]]] = {}
        """id of a text → (the text, the width it was wrapped at, its lines), the most recently shown last."""
        self._line_width = 0
        self._line_style = Style()

    def show(self, content: Content) -> None:
        """Show ``content`` from its top (nothing happens when it is shown already)."""
        old = self.content
        if looks_the_same(old, content):
            return
        self.content = content
        if not self.size.width:  # not laid out yet: wrapped at its first size (render_line, on_resize)
            self._wrapped_at = -1
            self.refresh()
            return
        self._wrap()
        if self.scroll_y:
            self.scroll_to(y=0, animate=False)
        self.refresh()

    def _wrap(self) -> None:
        width = max(1, self.size.width - self.styles.scrollbar_size_vertical)
        self._wrapped_at = self.size.width
        content = self.content
        kept = self._kept.pop(id(content), None)
        if kept is not None and kept[0] is content and kept[1] == width:
            self._lines = kept[2]
        else:
            lines = wrapped_lines(content, width)
            self._lines = styled_strips(self, lines, width)
        self._kept[id(content)] = (content, width, self._lines)
        if len(self._kept) > self.KEPT:
            del self._kept[next(iter(self._kept))]
        size = Size(width, len(self._lines))
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)  # not the reactive's layout: the box keeps its size
            self._scroll_update(size)  # a layout only when the scrollbar comes or goes

    def on_resize(self) -> None:
        if self.size.width != self._wrapped_at:
            self._wrap()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._kept.clear()  # the lines hold the colours of the styles they were wrapped with
        if self._wrapped_at > 0:  # the text shown now too: in the new colours at once (a theme change)
            self._wrapped_at = -1
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._line_width = self.scrollable_content_region.width  # the same for each line
        self._line_style = self.visual_style.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self.size.width != self._wrapped_at:  # the first frame: wrapped here rather than one frame later
            self._wrap()
            self._line_width = self.scrollable_content_region.width  # the scrollbar may have come
        index = y + int(self.scroll_offset.y)
        width, style = self._line_width, self._line_style
        if index < len(self._lines):
            return self._lines[index].crop_extend(0, width, style)
        return Strip.blank(width, style)


class ScorePane(SameLines, Widget):
    """The tree on the left, the selected indicator's explanation, formula, scores and inputs on the right."""

    BINDINGS = [
        Binding(
            "n",
            "seek('attention')",
            "下一待办",
            id="score.next",
            tooltip="跳到下一个需要处理的指标：待评、数据不足、缺理由或有问题",
        ),
        Binding(
            "p",
            "seek('attention', True)",
            "上一待办",
            id="score.previous",
            tooltip="跳到上一个需要处理的指标",
            show=False,
        ),
        Binding("u", "seek('unscored')", "下一未评分", id="score.unscored", tooltip="跳到下一个还没有得分的指标"),
        Binding(
            "g",
            "go_to_missing",
            "转到缺少的数据",
            id="score.missing",
            tooltip="数据不足的指标：打开缺少的数据所在年度、表和单元格",
            show=False,
        ),
        Binding(
            "e",
            "edit",
            "录入",
            id="score.edit",
            tooltip="把光标移到本指标的评分输入框（也可在指标上按回车）",
            show=False,
        ),
        Binding(
            "c",
            "confirm",
            "确认",
            id="score.confirm",
            tooltip="勾选或取消本指标的“已核实”（确认评分），不必移到输入框",
            show=False,
        ),
        Binding(
            "escape", "back_to_tree", "回到指标树", id="score.back", tooltip="离开输入框，回到左侧指标树", show=False
        ),
    ]

    class EntryEdited(Message):
        """Forwarded from the form: one leaf's entry changed."""

        def __init__(self, indicator_id: str, changes: dict[str, Any]) -> None:
            super().__init__()
            self.indicator_id = indicator_id
            self.changes = changes

    card: var[ScoreCard | None] = var(None, always_update=True, init=False)
    """The year's scores; the tree repaints the lines whose results changed, and the text and inputs what they show
    (a repaint of the whole pane would draw all of it again on each change)."""
    generation: var[int] = var(0, init=False)
    active: var[bool] = var(True, init=False)
    """Whether the score tab is the one shown (set by the app)."""

    def __init__(self, indicator_set: IndicatorSet, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicator_set = indicator_set
        self._stale = False
        self._stale_nodes: set[str] | None = set()
        """Lines of the tree to repaint when the tab is opened (None: all)."""
        self.current: str | None = None
        self._leaf_texts: dict[str, tuple[IndicatorResult, int, Content]] = {}
        """Leaf id → (the result and year its detail text was made from, the text): made again when either changes."""
        self._shown_generation = -1
        self._focus_target: Widget | None = None
        self._focus_time = 0.0
        self._form: EntryForm | None = None

    def compose(self) -> ComposeResult:
        yield ScoreTree(self.indicator_set, id="indicator-tree")
        yield DetailText(id="detail-text")
        # The box of inputs below the text is mounted, with its inputs, just after the first screen (_mount_form).

    @property
    def tree(self) -> ScoreTree:
        return self.query_one(ScoreTree)

    @property
    def form(self) -> EntryForm | None:
        """The inputs, once mounted (just after the first screen); None before, or once the app closes.

        While the app closes, its widgets are removed innermost first: the form may still be attached with its
        inputs' parts gone (Textual's ``_pruning``), and must not be shown then.
        """
        form = self._form
        return form if form is not None and form.is_attached and not form._pruning else None

    @on(LazyPane.Ready)
    def _form_ready(self, event: LazyPane.Ready) -> None:
        if isinstance(event.pane, EntryForm):
            self._shown_generation = -1
            self._show_current()

    async def _mount_form(self) -> None:
        """Mount the inputs in their box below the text (after the first screen, which shows the text first)."""
        if not self.is_attached or self._pruning:  # the app closed, or the pane was rebuilt, before this
            return
        form = EntryForm(id="entry-form")
        form.display = False  # shown by _show_leaf with the leaf's values, never empty for a frame
        scroll = FormScroll(form, id="detail-form")
        node = self.indicator_set.by_id.get(self.current or "")
        scroll.display = node is not None and node.is_leaf  # a group's text takes the whole height
        await self.mount(scroll)
        self._form = form  # only now: the inputs inside it are there to be filled in (``form``)
        self.post_message(LazyPane.Ready(form))

    @property
    def _form_scroll(self) -> FormScroll | None:
        """The box of inputs below the text, once mounted."""
        form = self.form
        return form.parent if form is not None and isinstance(form.parent, FormScroll) else None

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_form)
        tree = self.tree
        first = next((node for node in self.indicator_set.indicator if node.is_leaf), None)
        if first is not None:
            tree.cursor_line = tree.nodes[first.id].line
            self.current = first.id
        # The detail follows the cursor as it moves, not when Tree's NodeHighlighted arrives: the screen may be
        # painted in between, and the tree's line and the detail would then take two frames.
        self.watch(tree, "cursor_line", self._cursor_moved, init=False)

    def on_descendant_focus(self) -> None:
        self._fit_tree()

    def on_descendant_blur(self) -> None:
        self._fit_tree()

    def on_resize(self) -> None:
        self._fit_tree()

    def _fit_tree(self) -> None:
        """On a narrow screen the tree gives the form room while the evaluator types in it (``-typing``), and takes
        it back when the focus leaves the form: the names are whole in the tree, the one typed for in the text."""
        form, focused = self.form, self.app.focused
        typing = form is not None and focused is not None and form in focused.ancestors_with_self
        self.set_class(typing and self.app.size.width < NARROW_TREE_BELOW, "-typing")

    def _cursor_moved(self) -> None:
        node = self.tree.cursor_node
        if node is not None and node.data and node.data != self.current:
            self.current = node.data
            self._show_current()

    def watch_card(self, old: ScoreCard | None, card: ScoreCard | None) -> None:
        if card is None:
            return
        tree = self.tree
        tree.card = card
        if old is None or old.indicator_set is not card.indicator_set:
            changed = None
        else:
            changed = changed_results(old.results, card.results)
        if self.active:
            tree.refresh_nodes(changed)
            self._show_current()
        else:
            # Repainted when the tab is opened: a figure committed on the 数据 tab does not pay for the hidden tree
            # and text (hidden text changes would also lay the screen out).
            self._stale = True
            if changed is None or self._stale_nodes is None:
                self._stale_nodes = None
            else:
                self._stale_nodes |= changed

    def watch_active(self, active: bool) -> None:
        if active and self._stale:
            self._stale = False
            self.tree.refresh_nodes(self._stale_nodes)
            self._stale_nodes = set()
            self._show_current()

    def _show_current(self) -> None:
        card = self.card
        if card is None or self.current is None:
            return
        node = self.indicator_set.by_id[self.current]
        form = self.form
        reload = (
            self._shown_generation != self.generation
            or form is None
            or form.indicator is None
            or form.indicator.id != node.id
        )
        self._shown_generation = self.generation
        if node.is_leaf:
            self._show_leaf(node, card.results[node.id], reload)
        else:
            self._show_group(node, card)

    @on(Tree.NodeHighlighted, "#indicator-tree")
    def _highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        event.stop()  # shown already, by _cursor_moved

    @on(Tree.NodeSelected, "#indicator-tree")
    def _selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        node = self.indicator_set.by_id.get(event.node.data or "")
        if node is not None and node.is_leaf:
            self.current = node.id
            self._show_current()
            self._focus_form()

    def _show_leaf(self, node: Indicator, result: IndicatorResult, reload: bool) -> None:
        self.query_one(DetailText).show(self._leaf_text(node, result))
        form, scroll = self.form, self._form_scroll
        if form is not None and scroll is not None:
            set_display(scroll, True)
            set_display(form, True)
            form.show(node, result, reload)
            if reload and scroll.scroll_y:  # another leaf's inputs open at their top, not where the last were left
                scroll.scroll_to(y=0, animate=False)

    def _leaf_text(self, node: Indicator, result: IndicatorResult) -> Content:
        """The detail of a leaf: its title, status and score, explanation, rule, figures and problems.

        Made once for each result of the leaf (and year): moving back to a leaf that has not changed shows the
        same text, which the detail box then need not wrap again.
        """
        year = self.card.year if self.card else 0
        kept = self._leaf_texts.get(node.id)
        if kept is not None and kept[1] == year and (kept[0] is result or kept[0] == result):
            return kept[2]
        mark, mark_class = _mark(result), MARKS[result.status][1]
        if mark == "草稿":
            mark = f"{MARKS[result.status][0]}（草稿，勾选“已核实”即确认）"
        path = " › ".join(self.indicator_set.by_id[key].name for key in _ancestors(node.id))
        title = Content.assemble((node.name, "bold"), f"（{fmt_number(node.points)} 分）", (f"  {path}", "$text-muted"))
        score_text = fmt_score(result.final_score)
        status = Content.assemble(
            "状态：",
            (mark, f"bold {MARK_STYLES[mark_class]}"),
            f"    得分 {score_text} / {fmt_score(node.points)}",
        )
        typed = result.entry.score
        if result.held_score is not None:
            held = f"（草稿 {fmt_score(result.held_score)} 分未计入）"
            status = Content.assemble(status, (held, "bold $error"))
        elif typed is not None and typed != result.final_score:
            status = Content.assemble(status, (f"（录入的 {fmt_score(typed)} 分未采用）", "bold $error"))
        elif result.final_score is None and not result.excluded:
            status = Content.assemble(status, ("（尚未计入总分）", "$warning"))
        blocks = [title, status, Content(""), _leaf_body(node, result, year)]
        if result.problems:
            problems = "\n".join(f"⚠ {problem}" for problem in result.problems)
            blocks += [Content(""), Content.styled(problems, "bold $error")]
        text = Content("\n").join(blocks)
        self._leaf_texts[node.id] = (result, year, text)
        return text

    def _show_group(self, node: Indicator, card: ScoreCard) -> None:
        form = self.form
        if form is not None:
            form.flush()
            set_display(form, False)
        scroll = self._form_scroll
        if scroll is not None:
            set_display(scroll, False)  # a group's text takes the whole height
        group = card.groups[node.id]
        title = Content.assemble((node.name, "bold"), f"（{fmt_number(node.points)} 分）")
        leaves = [r for key, r in card.results.items() if key.startswith(node.id + ".")]
        done = sum(1 for r in leaves if r.final_score is not None or r.excluded)
        status = f"小计 {fmt_score(group.shown_score)} / {fmt_score(node.points)}    已评 {done}/{len(leaves)} 项"
        if group.pending:
            status += f"，{pending_text(group.pending)}"
        lines = [title, Content(status), Content(""), Content.styled("下级指标", "bold")]
        for child in self.indicator_set.children(node.id):
            if child.is_leaf:
                result = card.results[child.id]
                lines.append(
                    Content(
                        f"  {child.name}  {fmt_score(result.final_score)} /"
                        f" {fmt_number(child.points)}  {MARKS[result.status][0]}"
                    )
                )
            else:
                sub = card.groups[child.id]
                lines.append(Content(f"  {child.name}  {fmt_score(sub.shown_score)} / {fmt_number(child.points)}"))
        self.query_one(DetailText).show(Content("\n").join(lines))

    # ─── forwarding edits ───

    @on(EntryForm.Edited)
    def _edited(self, event: EntryForm.Edited) -> None:
        event.stop()
        self.post_message(self.EntryEdited(event.indicator_id, event.changes))

    @on(EntryForm.DraftsChanged)
    def _drafts(self, event: EntryForm.DraftsChanged) -> None:
        tree = self.tree
        before = set(tree.invalid)
        tree.invalid = set(event.invalid)
        tree.refresh_nodes(before ^ tree.invalid)

    # ─── actions ───

    def select(self, indicator_id: str) -> None:
        """Move the tree cursor to ``indicator_id`` and show it."""
        tree = self.tree
        node = tree.nodes.get(indicator_id)
        if node is None:
            return
        tree.move_cursor(node, animate=False)  # a cursor that moves shows the node at once (_cursor_moved)
        tree.scroll_to_node(node, animate=False)
        if self.current != indicator_id:
            self.current = indicator_id
            self._show_current()

    def action_seek(self, kind: Seek, backwards: bool = False) -> None:
        if self.card is None:
            return
        target = next_leaf(self.card, self.current, kind, backwards)
        what = "需要处理" if kind == "attention" else "未评分"
        if target is None:
            self.notify(f"没有{what}的指标了", title="已全部处理" if kind == "attention" else "已全部评分")
            return
        if target == self.current:
            self.notify(f"只剩本项{what}")
        self.select(target)
        self.tree.focus()
        left = count_wanted(self.card, kind)
        self.notify(f"还有 {left} 项{what}", timeout=2)

    def action_go_to_missing(self) -> None:
        """Open the 数据 tab of the year and table where the first missing figure of this leaf belongs."""
        if not self.current or self.card is None or self.current not in self.card.results:
            return
        places = missing_places(self.indicator_set.by_id[self.current], self.card.results[self.current], self.card.year)
        if not places:
            self.notify("本指标不缺数据。", timeout=2)
            return
        _, path, year, _ = places[0]
        self.app.go_to_figure_in(year, path)  # type: ignore[attr-defined]

    def action_edit(self) -> None:
        if self.current and self.indicator_set.by_id[self.current].is_leaf:
            self._focus_form()

    def action_confirm(self) -> None:
        """Tick or untick 已核实 of the leaf under the cursor, as its box in the form does (``n`` then ``c``, leaf
        after leaf, confirms the drafts without tabbing to the box)."""
        result = self.card.results.get(self.current or "") if self.card is not None else None
        if result is None:  # a group, or nothing open
            return
        if result.entry.is_empty():
            self.notify("本项还没有评价人录入的内容，无需确认", title=result.indicator.name)
            return
        if result.status is Status.NEEDS_REASON and result.entry.status != "confirmed":
            said = "本项缺理由：录入的得分未计入总分，写明理由后再确认"
            self.notify(said, title=result.indicator.name, severity="warning")
            return
        form = self.form
        if form is not None:
            form.flush()  # what is typed in the form first, then the tick on it
        status = "draft" if result.entry.status == "confirmed" else "confirmed"
        self.post_message(self.EntryEdited(result.indicator.id, {"status": status}))

    def on_key(self, event: events.Key) -> None:
        """Characters typed just after Enter or ``e``, before the input has taken focus, go to that input.

        An input never passes characters on, so a character arriving here came from the tree on its way out.
        """
        target = self._focus_target
        if target is None or time.monotonic() - self._focus_time > FORWARD_WINDOW:
            self._focus_target = None
            return
        if isinstance(target, Input) and event.is_printable and event.character:
            target.insert_text_at_cursor(event.character)
            event.stop()
            event.prevent_default()

    def _focus_form(self) -> None:
        form = self.form
        if form is not None:
            self._focus_target, self._focus_time = form.focus_first(), time.monotonic()

    def action_back_to_tree(self) -> None:
        form = self.form
        if form is not None:
            form.flush()
        self.tree.focus()


def _ancestors(indicator_id: str) -> list[str]:
    parts = indicator_id.split(".")
    return [".".join(parts[: index + 1]) for index in range(len(parts) - 1)]


@cache
def _layout(year: int) -> list[editing.Sheet]:
    """The 数据 tab's tables of a year, for finding where a fixed figure sits."""
    return editing.sheets(Accounts(year=year))


def missing_places(node: Indicator, result: IndicatorResult, year: int) -> list[tuple[str, str, int, str]]:
    """Where each figure this leaf lacks belongs: (what it is, its path in that year, the year, the table as a
    sentence names it: 公开07表, “政府采购”表)."""
    if not result.missing:
        return []
    if isinstance(node.rule, TargetRule) and node.formula is None:  # its 完成值, named as the outcome is
        labelled = [(missing_words(result), f"outcomes.{node.rule.outcome}.actual")]
    elif node.parsed_formula is not None:
        lacking = set(missing_words(result).split("、"))
        labelled = [
            (label, path) for path in node.parsed_formula.fields if (label := figure_paths.label(path)) in lacking
        ]
    else:
        return []
    places: list[tuple[str, str, int, str]] = []
    for label, path in labelled:
        previous = path.startswith(figure_paths.PREVIOUS)
        own = path.removeprefix(figure_paths.PREVIOUS)
        at = year - 1 if previous else year
        found = editing.locate(_layout(at), own)
        if found is not None:
            short = _layout(at)[found[0]].title.split()[0]
            table = short if short.startswith("公开") else f"“{short}”表"
        else:
            table = f"“{SECTION_NAMES['outcomes']}”表" if own.startswith("outcomes.") else "数据表"
        places.append((label.removeprefix("上年") if previous else label, own, at, table))
    return places


def _leaf_body(node: Indicator, result: IndicatorResult, year: int) -> Content:
    """指标解释, 评分标准 and the rule; the formula and inputs, 指标值 vs 完成值, the automatic score and why. An
    automatic item shows its worked score first, where a narrow pane still has it in view; a judged one its
    standard, which the evaluator scores by."""
    blocks: list[Content] = []

    def block(title: str, text: str, style: str = "") -> None:
        if text:
            blocks.append(
                Content.assemble((f"{title}：", "bold"), Content.styled(text, style) if style else Content(text))
            )

    block("指标解释", node.explanation)
    block("评分标准", node.standard)
    if node.rule is not None:
        rule = describe(node.rule, node.unit)
        if rule.rstrip("。") not in node.standard:
            block("计分规则", rule)
    about, blocks = blocks, []
    block("公式与取数", result.trace)
    if result.missing:
        block("数据不足", missing_words(result), "$warning")  # the heading says it: “数据不足：上年…”
        places = missing_places(node, result, year)
        if places:
            where = "；".join(f"{label}应填在 {at} 年度的{table}" for label, _, at, table in places)
            blocks.append(Content.assemble(Content.styled(where + "。", "$warning"), ("  按 g 转到该数据", "bold")))
    if node.rule is not None and node.rule.type == "target":
        block("指标值 / 完成值", f"{result.target_text or '—'} / {result.value_text or '—'}")
    elif result.value_text and node.formula is not None:
        block("完成值", result.value_text)
    if result.auto_score is not None:
        score = f"{fmt_score(result.auto_score)} 分"
        said = result.rule_text if score in result.rule_text else f"{score}。{result.rule_text}"  # the score once
        block("自动得分" if node.computed else "评定得分", said)
    elif result.rule_text:
        block("得分依据", result.rule_text)
    return Content("\n").join(blocks + about if node.computed else about + blocks)
