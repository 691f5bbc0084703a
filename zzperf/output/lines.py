"""Chinese text broken into lines as Chinese is set: between characters, never inside a number or word, no 。 at a
line start; for the terminal tables and the app alike.

rich and Textual break lines only at spaces and fold a longer run at the exact width, so a sentence such as
“只有本部门《2018 年度部门决算》与 2017 年比较时……” came out as “…《201” / “8 年度…”, or with “，” opening a line.
``break_offsets`` finds the breaks a Chinese reader expects; ``wrap`` applies them to plain text.
"""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…—%,.;:!?)]}/")
"""Characters that never open a line (closing punctuation, as Chinese typesetting rules have it; and the slash of a
score such as “2.00 / 6”)."""

NO_LINE_END = frozenset("（《「『【〔“‘([{/")
"""Characters that never close a line (opening punctuation; the slash)."""


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after`` (neither of them a space)."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def break_offsets(line: str, width: int) -> list[int]:
    """Where to break ``line`` (no newlines in it) so that each piece fits ``width`` cells, spaces at a piece's end
    not counted: after a space, or between two characters one of which is wide (Chinese), except before closing
    and after opening punctuation (a space between does not change that). A run with no such place (a long number
    or word) is folded at the width."""
    if cell_len(line) <= width:
        return []
    offsets: list[int] = []
    start = 0
    used = 0
    last_break = 0  # the latest place after ``start`` where the line may break
    shown = ""  # the last character before ``index`` that is not a space
    for index, char in enumerate(line):
        if index > start and not line[start:index].isspace():  # an indent alone is not a line
            before = line[index - 1]
            if before.isspace() and not char.isspace():
                if char not in NO_LINE_START and shown not in NO_LINE_END:
                    last_break = index
            elif not before.isspace() and not char.isspace() and _may_break(before, char):
                last_break = index
        if not char.isspace():
            shown = char
        size = get_character_cell_size(char)
        if char.isspace() or used + size <= width or index == start:
            used += size
            continue
        cut = last_break if last_break > start else index
        offsets.append(cut)
        start = cut
        used = sum(get_character_cell_size(c) for c in line[start : index + 1])
        last_break = start
    return offsets


def wrap(text: str, width: int) -> list[str]:
    """The lines of ``text`` at ``width`` cells: each of its lines broken by ``break_offsets``, the spaces that end a
    piece removed; a blank line stays. An indented line (a 二级 or 三级 name) keeps its indent on the lines it
    continues on while the indent takes at most half the width; a wider indent is dropped where the line breaks."""
    lines: list[str] = []
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip(" "))
        if 0 < indent <= width // 2:
            lines += [line[:indent] + piece for piece in wrap(line[indent:], width - indent)]
            continue
        cuts = [0, *break_offsets(line, width), len(line)]
        pieces = [line[start:end].rstrip() for start, end in zip(cuts, cuts[1:])]
        lines += pieces[1:] if len(pieces) > 1 and not pieces[0] else pieces  # an indent as wide as the line goes
    return lines
