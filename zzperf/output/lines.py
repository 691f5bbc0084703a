"""Chinese text broken into lines as Chinese is set: between characters, never inside a number or word, no 。 at a
line start; for the terminal tables and the app alike.

rich and Textual break lines only at spaces and fold a longer run at the exact width, so a sentence such as
“只有本部门《2018 年度部门决算》与 2017 年比较时……” came out as “…《201” / “8 年度…”, or with “，” opening a line.
``break_offsets`` finds the breaks a Chinese reader expects, keeping short labels (“评定得分：”), terms (“得分”) and a
number with its unit (“0 分”) whole where they fit; ``wrap`` applies them to plain text.
"""

from __future__ import annotations

import re

from rich.cells import cell_len, get_character_cell_size

NO_LINE_START = frozenset("，。、；：！？）》」』】〕”’…—%,.;:!?)]}/›")
"""Characters that never open a line (closing punctuation, as Chinese typesetting rules have it; the slash of a
score such as “2.00 / 6”; the “›” between the names of an indicator's path)."""

NO_LINE_END = frozenset("（《「『【〔“‘([{/›")
"""Characters that never close a line (opening punctuation; the slash; the “›” of a path)."""


LABEL_CHARS = 8
"""The longest label kept whole (in characters): the Chinese characters before a “：”, as “评定得分：”."""

TERM_CHARS = 4
"""The longest term kept whole (in characters): Chinese characters from a space, a line's start or a “：” to a space
or the line's end, as the “得分” of “    得分 1.50”, the “自动” of “2.00 / 6  自动” and a “缺数据” after “状态：”."""

_LETTERS = re.compile(r"[^\W\d_]+")
"""A run of letters, Chinese or not (the Chinese ones are told apart by their width)."""

_NUMBER_AFTER_SPACE = re.compile(r"(?<=\S) +([-+−]?\d)")
"""A number after a space after a word, sign or number (the 9.02 of “相差 9.02”): its first character is group 1."""

_BRACKETED = re.compile(r"（[^（）]{1,4}）")
"""A short bracketed unit or note, as the “（万元）” of a column's heading: kept on one line."""


def _kept_whole(line: str) -> set[int]:
    """The places in ``line`` where it must not break (a break before ``line[index]``), beyond the punctuation
    rules: inside a short label or term; between a number and the unit or measure word after it (“得 0 分”,
    “11 项公式指标”); before a number after a space (“相差 9.02”, “= 628.16”) and inside the Chinese words just
    before it (their last ``LABEL_CHARS`` characters), so that no line opens with a figure cut from what it is; and
    inside a short bracketed unit or note (“（万元）”)."""
    numbers = {match.start(1) for match in _NUMBER_AFTER_SPACE.finditer(line)}
    kept: set[int] = set(numbers)
    for match in _BRACKETED.finditer(line):
        kept.update(range(match.start() + 1, match.end()))
    for match in _LETTERS.finditer(line):
        start, end = match.span()
        if any(get_character_cell_size(char) != 2 for char in match.group()):
            continue
        before = line[start - 1] if start else " "
        after = line[end] if end < len(line) else " "
        label = after == "：" and end - start <= LABEL_CHARS
        term = end - start <= TERM_CHARS and (before.isspace() or before == "：") and after.isspace()
        if label or term:
            kept.update(range(start + 1, end))
        number = len(line) - len(line[end:].lstrip(" "))
        if after == " " and number in numbers:
            kept.update(range(max(start, end - LABEL_CHARS) + 1, end))
        if start >= 2 and before == " " and line[start - 2].isdigit():  # a measure word: “11 项公式…”, “1 个百分点”
            kept.add(start)
    return kept


def _may_break(before: str, after: str) -> bool:
    """Whether a line may break between ``before`` and ``after`` (neither of them a space)."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return get_character_cell_size(before) == 2 or get_character_cell_size(after) == 2


def break_offsets(line: str, width: int) -> list[int]:
    """Where to break ``line`` (no newlines in it) so that each piece fits ``width`` cells, spaces at a piece's end
    not counted: after a space, or between two characters one of which is wide (Chinese), except before closing
    and after opening punctuation (a space between does not change that). A run with no such place (a long number
    or word) is folded at the width. A short label before “：”, a short term beside a space, a number with its
    one-character unit or with the words before it, and a short bracketed unit stay whole (``_kept_whole``) when
    they fit on a line."""
    if cell_len(line) <= width:
        return []
    kept = _kept_whole(line)
    offsets: list[int] = []
    start = 0
    used = 0
    last_break = 0  # the latest place after ``start`` where the line may break
    last_split = 0  # the same, a label, term or unit split: used only when the line has no other
    shown = ""  # the last character before ``index`` that is not a space
    for index, char in enumerate(line):
        if index > start and not line[start:index].isspace():  # an indent alone is not a line
            before = line[index - 1]
            if before.isspace() and not char.isspace():
                may = char not in NO_LINE_START and shown not in NO_LINE_END
            else:
                may = not before.isspace() and not char.isspace() and _may_break(before, char)
            if may and index in kept:
                last_split = index
            elif may:
                last_break = index
        if not char.isspace():
            shown = char
        size = get_character_cell_size(char)
        if char.isspace() or used + size <= width or index == start:
            used += size
            continue
        # the latest place to break after which the rest fits, a label, term or unit kept whole if it can be; a
        # run with no such place is folded before this character
        rest = (
            place for place in (last_break, last_split) if place > start and cell_len(line[place : index + 1]) <= width
        )
        cut = next(rest, index)
        offsets.append(cut)
        start = cut
        used = sum(get_character_cell_size(c) for c in line[start : index + 1])
        # a place after the break (a number kept with its label, found at this very character) stays a place
        last_break, last_split = max(last_break, start), max(last_split, start)
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
