"""Chinese text broken into lines as Chinese is set: between characters, never inside a number or word, no 。 at a
line start; for the terminal tables and the app alike.

rich and Textual break lines only at spaces and fold a longer run at the exact width, so a sentence such as
“只有本部门《2018 年度部门决算》与 2017 年比较时……” came out as “…《201” / “8 年度…”, or with “，” opening a line.
``break_offsets`` finds the breaks a Chinese reader expects, keeping short labels (“评定得分：”), terms (“得分”), a
figure with the name before it (“机关运行经费预算数 285.21”) and a number with its unit (“0 分”) whole where they fit;
``wrap`` applies them to plain text, and ``narrowest_width`` says how narrow a line may be set.
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

_NUMBER_AFTER_SPACE = re.compile(r"(?<=\S) +([-+−]?\d|—(?= |$))")
"""A number after a space after a word, sign or number (the 9.02 of “相差 9.02”), or the lone dash of a missing one
(the — of “得分 — / 5.00”): its first character is group 1."""

MEASURE_WORDS = frozenset(
    "个项件次人名户家所位例批条篇份本册部套台辆处座间场期类种笔张节宗起元角万亿年月日天周时分秒岁倍吨亩米"
)
"""Measure words and units, which a number keeps on its line (“1 个百分点”, “11 项”, “54875 件”, “0.2 分”); another
word after a number (“29.00 上升至”) is kept with it only as a label is."""

UNITS = ("个百分点", "百分点", "万元", "亿元", "元")
"""Units of more than one character, kept whole after a number (“9.87 个百分点”, “4.22 万元”)."""

_BRACKETED = re.compile(r"（[^（）]{1,4}）")
"""A short bracketed unit or note, as the “（万元）” of a column's heading: kept on one line."""

NAME_CHARS = 12
"""The longest name kept whole before its figure after “，”, “：”, “、”, “；” or “（” (in characters), as
“财政拨款本年收入合计 608.72” after a “，” and “一般公共预算财政拨款收入” (12); longer running text keeps only its
last ``LABEL_CHARS`` with the figure, so that a line is not left half empty."""

NAME_AFTER = frozenset("，：、；（")
"""The punctuation after which a run of words before a figure is read as the figure's name (up to ``NAME_CHARS``)."""

WORDS = (
    *("数据不足", "尚未计入", "缺理由", "缺数据", "已调整", "不适用", "未评分"),
    *("总分", "得分", "待评", "已评", "自动", "草稿"),
)
"""Short fixed words of the scores (the marks of ``zzperf.scoring.Status``, “得分”, “总分”, “缺理由”…), kept whole
wherever they stand, as in “5.00 分数据不足” and “（尚未计入总分）”."""

_WORD = re.compile("|".join(sorted(WORDS, key=len, reverse=True)))

_QUOTED = re.compile(r"“[^“”]{1,6}”")
"""A short quotation, as the “三公” of “三公”经费: kept on one line with its marks."""

_FIXED = re.compile(r"公开\d{2}表|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?")
"""Names and stamps never read in parts: a table of the 决算 (“公开06表”) and a date with its time
(“2026-12-06 22:11:48”)."""


SPLIT_LAST = 1
"""The strength of a place that is broken only when a line has no free place where the rest fits: inside a short
label or term, inside a word run before a figure, and between them."""

SPLIT_NEVER = 2
"""The strength of a place that is broken only when nothing else fits: between a number and its measure word, inside
a short bracketed unit."""


def _narrow_run(line: str, sizes: list[int], index: int, step: int) -> int:
    """The end (``step`` 1) or the start (``step`` -1) of the run of narrow characters other than spaces (a number)
    that holds ``line[index]`` (``sizes``: each character's width in cells)."""
    while 0 <= index + step < len(line) and sizes[index + step] == 1:
        if line[index + step].isspace():
            break
        index += step
    return index + 1 if step > 0 else index


def _is_sign(char: str) -> bool:
    """Whether ``char`` is a narrow sign or bracket (“|”, “(”, “=”), not a letter, figure or space."""
    return char.isascii() and not char.isalnum() and not char.isspace()


def _bonds(line: str, sizes: list[int]) -> list[tuple[int, int, int]]:
    """The pieces of ``line`` that should not break (beyond the punctuation rules), each as (start, end, strength);
    one holds only while it fits on a line (``_places``). They are: a short label (“评定得分：”) or term (“得分”); a
    figure after a space with the words that say what it is, so that no line opens with a figure cut from them: a
    name set off by a space, an operator or an opening bracket (“÷ 机关运行经费预算数 285.21”) whole, and that name
    alone when the figure does not fit beside it; a name after “，” or “：” up to ``NAME_CHARS`` characters whole; of
    longer running text the last ``LABEL_CHARS`` characters (“…支出写作 537.71”); a short quotation before the name
    belongs to it (“÷ “三公”经费预算数 8.00”); a number with the measure word or unit after it (“得 0 分”, “11 项公式
    指标”, “9.87 个百分点”, a time's “22:11:48 起”); a short bracketed unit (“（万元）”); a short fixed word
    (``WORDS``), quotation (“三公”), table name (“公开06表”) or date and time (“2026-12-06 22:11:48”); a name of up
    to ``NAME_CHARS`` characters between “、” (or “，”…) and a bracket, as in “政府采购执行率（数据不足）、
    服务对象满意度（数据不足）”. ``sizes``: each character's width in cells."""
    numbers = {match.start(1) for match in _NUMBER_AFTER_SPACE.finditer(line)}
    bonds = [(match.start(), match.end(), SPLIT_NEVER) for match in _BRACKETED.finditer(line)]
    quoted: dict[int, int] = {}  # each short quotation by its end: a name after it starts at its “
    stamps: list[tuple[int, int]] = []  # the table names, dates and times
    for pattern in (_WORD, _QUOTED, _FIXED):
        for match in pattern.finditer(line):
            bonds.append((match.start(), match.end(), SPLIT_LAST))
            if pattern is _QUOTED:
                quoted[match.end()] = match.start()
            elif pattern is _FIXED:
                stamps.append(match.span())
    worded: set[int] = set()  # the numbers after a run of words
    for match in _LETTERS.finditer(line):
        start, end = match.span()
        if min(sizes[start:end]) < 2:  # not all wide (Chinese)
            continue
        before = line[start - 1] if start else " "
        after = line[end] if end < len(line) else " "
        label = after == "：" and end - start <= LABEL_CHARS
        term = end - start <= TERM_CHARS and (before.isspace() or before == "：") and after.isspace()
        number = len(line) - len(line[end:].lstrip(" "))
        if label or term:
            bonds.append((start, end + label, SPLIT_LAST))
        if before in NAME_AFTER and after == "（" and end - start <= NAME_CHARS:  # a name in a list: “、满意度（”
            bonds.append((start, end, SPLIT_LAST))
        counted = start >= 2 and before == " " and line[start - 2].isdigit()  # after a number: “11 项公式…”
        if after == " " and number in numbers:
            figure = _narrow_run(line, sizes, number, 1)
            opened = quoted.get(start, start)  # with a quotation and the signs it opens with: “|一般公共…”, “(年末…”
            while opened and _is_sign(line[opened - 1]):
                opened -= 1
            ahead = line[opened - 1] if opened else " "
            named = ahead in NAME_AFTER and end - opened <= NAME_CHARS  # “，财政拨款本年收入合计 608.72”
            if (ahead.isspace() and not counted) or ahead in NO_LINE_END or named:  # a name: the whole run
                bonds += [(start, end, SPLIT_LAST), (opened, end, SPLIT_LAST), (opened, figure, SPLIT_LAST)]
            else:  # running text: the words just before the figure
                words = max(start, end - LABEL_CHARS)
                bonds += [(words, end, SPLIT_LAST), (words, figure, SPLIT_LAST)]
            worded.add(number)
        if counted:
            unit = line[start] in MEASURE_WORDS
            whole = next((start + len(word) for word in UNITS if line.startswith(word, start)), start + 1)
            amount = _narrow_run(line, sizes, start - 2, -1)
            amount = next((begin for begin, stamp in stamps if begin < amount < stamp), amount)  # “… 22:11:48 起”
            strength = SPLIT_NEVER if unit else SPLIT_LAST
            bonds += [(amount, start + 1, strength), (amount, whole, strength)]
    for number in numbers - worded:  # a number with the sign or figure before it (“= 628.16”, “1.50 / 2.00”)
        shown = len(line[:number].rstrip(" ")) - 1
        first = _narrow_run(line, sizes, shown, -1) if sizes[shown] == 1 else shown
        bonds.append((first, _narrow_run(line, sizes, number, 1), SPLIT_LAST))
    return bonds


def _places(line: str, width: int, sizes: list[int], edges: list[int]) -> dict[int, int]:
    """Every place where ``line`` may break (a break before ``line[index]``), with its strength: the strongest of the
    ``_bonds`` it is inside of that fit in ``width`` cells, else 0 (it breaks freely). A place is after a space, or
    between two characters one of which is wide (Chinese), except before closing and after opening punctuation (a
    space between does not change that); a dash standing alone for a missing score (“得分 — / 5.00”) may open a line.
    ``sizes``: each character's width in cells; ``edges``: the cells before each character (``_cells``)."""
    places: dict[int, int] = {}
    shown = ""  # the last character before ``index`` that is not a space
    before, space_before = "", False
    for index, char in enumerate(line):
        space = char.isspace()
        if index:
            if space_before and not space:
                alone = char == "—" and line[index + 1 : index + 2] in ("", " ")  # a dash for no score: “得分 — / 5.00”
                if (alone or char not in NO_LINE_START) and shown not in NO_LINE_END:
                    places[index] = 0
            elif not space_before and not space and char not in NO_LINE_START and before not in NO_LINE_END:
                if sizes[index - 1] == 2 or sizes[index] == 2:  # beside a wide (Chinese) character
                    places[index] = 0
        if not space:
            shown = char
        before, space_before = char, space
    joined = _JOINED in line or _EMOJI_STYLE in line  # only then is a piece's width not the sum of its characters
    for start, end, strength in _bonds(line, sizes):
        if (cell_len(line[start:end]) if joined else edges[end] - edges[start]) <= width:
            for place in range(start + 1, end):
                if place in places and places[place] < strength:
                    places[place] = strength
    return places


_JOINED, _EMOJI_STYLE = "\u200d", "\ufe0f"
"""The zero-width joiner and the emoji variation selector: a run of characters holding either is as wide as rich's
``cell_len`` says (an emoji sequence), not as the sum of its characters' widths."""


def _cells(line: str) -> tuple[list[int], list[int]]:
    """Each character's width in cells, and the cells before each character (one more: the whole line's)."""
    sizes = [get_character_cell_size(char) for char in line]
    edges = [0]
    for size in sizes:
        edges.append(edges[-1] + size)
    return sizes, edges


def break_offsets(line: str, width: int) -> list[int]:
    """Where to break ``line`` (no newlines in it) so that each piece fits ``width`` cells, spaces at a piece's end
    not counted: at the latest place (``_places``) after which the rest fits, the weakest such place first, so that
    a short label before “：”, a short term beside a space, a figure with the word run before it, a number with its
    measure word and a short bracketed unit stay whole when they fit on a line. A run with no such place (a long
    number or word) is folded at the width."""
    if cell_len(line) <= width:
        return []
    sizes, edges = _cells(line)
    places = _places(line, width, sizes, edges)
    joined = _JOINED in line or _EMOJI_STYLE in line
    offsets: list[int] = []
    start = 0
    used = 0
    latest = [0, 0, 0]  # by strength, the latest place after ``start`` where the line may break
    for index, char in enumerate(line):
        if index in places and index > start and not line[start:index].isspace():  # an indent alone is not a line
            latest[places[index]] = index
        size = sizes[index]
        if used + size <= width or index == start or char.isspace():
            used += size
            continue
        # the latest place to break after which the rest fits, the weakest first; a run with no such place is
        # folded before this character
        rest = (
            place
            for place in latest
            if place > start
            and (cell_len(line[place : index + 1]) if joined else edges[index + 1] - edges[place]) <= width
        )
        cut = next(rest, index)
        offsets.append(cut)
        start = cut
        used = edges[index + 1] - edges[start]
        # a place after the break (a number kept with its label, found at this very character) stays a place
        latest = [max(place, start) for place in latest]
    return offsets


def narrowest_width(line: str) -> int:
    """The fewest cells ``line`` (no newlines in it) may take without folding a number or word, breaking against the
    punctuation rules, or parting a number from its measure word or a short bracketed unit: its widest piece between
    the places where ``break_offsets`` may break it at a pinch (``SPLIT_LAST`` or weaker), spaces at a piece's end
    not counted. ``break_offsets`` at this width breaks no stronger place."""
    indent = len(line) - len(line.lstrip())
    sizes, cells = _cells(line)
    places = _places(line, cells[-1], sizes, cells)
    cuts = [index for index, strength in places.items() if index > indent and strength < SPLIT_NEVER]
    edges = [0, *cuts, len(line)]
    return max(cell_len(line[start:end].rstrip()) for start, end in zip(edges, edges[1:]))


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
