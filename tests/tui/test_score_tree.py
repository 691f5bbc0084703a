"""The score tree draws each line itself: the same segments, in the same styles, as Textual's Tree would draw.

Every line of the tree is drawn both ways and compared, in the states a line can be in: under the cursor with the
tree focused or not, hovered, with an invalid entry, in each of a light and a dark theme, scrolled, and in a
terminal narrow enough that the score columns close up.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Tree
from tui_helpers import build, settle

from zzperf.tui.panes.score import ScoreTree


def _both_ways(tree: ScoreTree) -> list[tuple[int, list, list]]:
    """(line, our segments, Textual's) for every line of the tree drawn both ways that differs, each drawn as the
    compositor asks for it (a repaint of the whole tree); its caches are left empty."""

    def drawn() -> list[list]:
        tree._line_cache.clear()
        tree._styles_cache.clear()
        lines = [list(strip) for strip in tree.render_lines(tree.region.reset_offset)]
        tree._line_cache.clear()
        tree._styles_cache.clear()
        return lines

    ours = drawn()
    own = {name: ScoreTree.__dict__[name] for name in ("render_lines", "render_line", "_render_line")}
    try:
        for name in own:
            setattr(ScoreTree, name, getattr(Tree, name))
        textual = drawn()
    finally:
        for name, method in own.items():
            setattr(ScoreTree, name, method)
    assert len(ours) == len(textual) > 10
    return [(y, mine, theirs) for y, (mine, theirs) in enumerate(zip(ours, textual, strict=True)) if mine != theirs]


async def test_every_line_is_drawn_as_textuals_tree_draws_it(demo: Path) -> None:
    for size in ((100, 30), (80, 24)):
        app = build(demo)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, 0.1)
            tree = app.score_pane.tree
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

            tree.scroll_end(animate=False)  # the lines below the first screen
            await settle(pilot)
            assert tree.scroll_y > 0
            assert _both_ways(tree) == []


def test_each_node_keeps_its_indicators_name_as_written(demo: Path) -> None:
    # Textual reads a string label as markup; a name is text, whatever brackets it holds.
    from zzperf.workspace import Workspace

    indicator_set = Workspace(demo).indicator_set
    leaf = next(node for node in indicator_set.indicator if node.is_leaf)
    renamed = indicator_set.model_copy(
        update={
            "indicator": [
                node.model_copy(update={"name": "[i]服务[b]满意度"}) if node is leaf else node
                for node in indicator_set.indicator
            ]
        }
    )
    tree = ScoreTree(renamed)
    assert tree.nodes[leaf.id].label.plain == "[i]服务[b]满意度"
    assert all(tree.nodes[node.id].label.plain == node.name for node in indicator_set.indicator if node is not leaf)


async def test_a_resize_or_a_new_theme_redraws_the_lines_without_building_the_tree_again(demo: Path) -> None:
    # Which nodes are on which line changes only when nodes are added, removed, expanded or collapsed; Textual's
    # Tree built its lines again after every resize and style update (four times before the first screen).
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        tree = app.score_pane.tree
        builds: list[int] = []
        build_lines = tree._build
        tree._build = lambda: (builds.append(1), build_lines())[1]  # type: ignore[method-assign]
        before = [strip.text for strip in tree.render_lines(tree.region.reset_offset)]
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        app.theme = "textual-light"
        await settle(pilot)
        after = [strip.text for strip in tree.render_lines(tree.region.reset_offset)]
        assert not builds
        assert after != before and after[0].startswith("▼ 投入")  # drawn anew, at the new width
        tree.nodes["input"].collapse()
        await settle(pilot)
        assert builds and tree.nodes["process"].line == 1  # collapsing still builds them again


async def test_j_and_k_move_the_cursor_down_and_up_as_the_arrows_do(demo: Path) -> None:
    app = build(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, 0.1)
        tree = app.score_pane.tree
        assert tree.has_focus
        start = tree.cursor_line
        await pilot.press("j", "j")
        await settle(pilot)
        assert tree.cursor_line == start + 2
        assert app.score_pane.current == tree.cursor_node.data  # the detail follows the cursor, as with ↓
        await pilot.press("k")
        await settle(pilot)
        assert tree.cursor_line == start + 1
        assert app.focused is tree  # the keys stayed in the tree, no input took them
