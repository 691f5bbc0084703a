"""The score tree draws each line itself: the same segments, in the same styles, as Textual's Tree would draw.

Every line of the tree is drawn both ways and compared, in the states a line can be in: under the cursor with the
tree focused or not, hovered, with an invalid entry, in each of a light and a dark theme, and in a terminal narrow
enough that the score columns close up.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tree
from tui_helpers import build, settle

from zzperf.tui.panes.score import ScoreTree


def _both_ways(tree: ScoreTree) -> list[tuple[int, list, list]]:
    """(line, our segments, Textual's) for every line that differs; the tree's line cache is left empty."""
    tree.render_lines(tree.region.reset_offset)  # as the compositor asks: sets the state the lines depend on
    width = tree.size.width
    base_style = tree.rich_style
    differing = []
    for y in range(len(tree._tree_lines)):
        tree._line_cache.clear()
        ours = list(tree._render_line(y, 0, width, base_style))
        tree._line_cache.clear()
        textual = list(Tree._render_line(tree, y, 0, width, base_style))
        if ours != textual:
            differing.append((y, ours, textual))
    tree._line_cache.clear()
    return differing


async def test_every_line_is_drawn_as_textuals_tree_draws_it(demo: Path) -> None:
    for size in ((100, 30), (80, 24)):
        app = build(demo)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, 0.1)
            tree = app.score_pane.tree
            assert len(tree._tree_lines) > 30
            assert _both_ways(tree) == []  # the cursor on the first leaf, the tree focused

            tree.cursor_line = 1  # a group under the cursor
            tree.hover_line = 4
            tree.invalid = {"input.goals.clarity"}
            await settle(pilot)
            assert _both_ways(tree) == []

            app.set_focus(None)  # the cursor's line without the focus
            await settle(pilot)
            assert _both_ways(tree) == []

            app.theme = "textual-light"
            await settle(pilot)
            assert _both_ways(tree) == []
