"""The lines at the top: where the evaluation stands, whether the work is saved, and the tabs.

One widget draws them all, the tab names included (one widget fewer to style and lay out before the first frame).
A click on a tab's name runs the app's ``show_tab`` action, as its key does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from zzperf.amounts import fmt_number, fmt_score
from zzperf.checks import SEVERITY_WORDS, CheckReport
from zzperf.review.scores import review_progress
from zzperf.scoring import ScoreCard
from zzperf.tui.widgets.text import StyledLines, clip

SaveState = str
"""saved, typing, saving, failed, blocked, conflict, invalid or what_if."""


@dataclass(frozen=True)
class Standing:
    """Everything the header shows, computed from the session."""

    department: str
    year: int
    total: Decimal | None
    grade: str
    scored: int
    leaves: int
    groups: tuple[tuple[str, Decimal | None, Decimal, bool], ...]
    """(一级 name, score (None while nothing below is scored), points, complete)."""
    errors: int
    warnings: int
    infos: int
    unchecked: int = 0
    """Rules not checked for lack of data."""
    save_state: SaveState = "saved"
    save_detail: str = ""
    read_only: str = ""
    """Why the year's figures and 自评 may not be changed (shown in place of the save state); empty when they may."""
    review_total: Decimal | None = None
    reviewing: bool = False
    """Review mode: the total is shown as 自评, beside the 复核 total."""
    review_progress: tuple[int, int] | None = None
    """Items reviewed of all, while the 复核 total still counts the rest at their 自评 score (暂定)."""
    held: tuple[str, ...] = ()
    """Names of the scores entered without the reason they need: drafts, not in the total."""
    unadopted: tuple[str, ...] = ()
    """Names of the automatic scores adjusted without the reason it needs: the adjustment is not used."""
    caps: tuple[str, ...] = ()
    """Each cap that lowered the total: its rule, the value behind it and the total before."""
    invalid: int = 0
    """How many typed inputs are not valid: the invalid save state says only this when its detail does not fit."""

    @classmethod
    def of(
        cls,
        department: str,
        card: ScoreCard,
        checks: CheckReport,
        save_state: SaveState,
        detail: str,
        *,
        read_only: str = "",
        review_total: Decimal | None = None,
        reviewing: bool = False,
        review_progress: tuple[int, int] | None = None,
        invalid: int = 0,
    ) -> Standing:
        return cls(
            department=department,
            year=card.year,
            total=card.shown_total,
            grade=card.grade_text,
            scored=card.scored_count,
            leaves=len(card.results),
            groups=tuple((g.indicator.name, g.shown_score, g.indicator.points, g.complete) for g in card.top_groups()),
            errors=len(checks.errors),
            warnings=len(checks.warnings),
            infos=len(checks.infos),
            unchecked=len(checks.skipped),
            save_state=save_state,
            save_detail=detail,
            read_only=read_only,
            review_total=review_total,
            reviewing=reviewing,
            review_progress=review_progress,
            held=tuple(r.indicator.name for r in card.held_back),
            unadopted=tuple(r.indicator.name for r in card.unadopted),
            caps=tuple(
                f"封顶 {fmt_score(cap.after)}（{cap.rule}；{cap.indicator}"
                f" {cap.value_text}，原 {fmt_score(cap.before)}）"
                for cap in card.caps
            ),
            invalid=invalid,
        )


SAVE_TEXT = {
    "saved": ("● 已保存", "$success"),
    "typing": ("✎ 未保存", "$warning"),
    "saving": ("◌ 保存中…", "$warning"),
    "failed": ("✗ 保存失败", "bold $error"),
    "blocked": ("✗ 文件有错误", "bold $error"),  # on disk, changed by someone else: nothing typed need be unsaved
    "conflict": ("✗ 未保存", "bold $error"),
    "invalid": ("! 有无效输入", "bold $warning"),
    "what_if": ("◇ 假设模式", "bold $warning"),
}


SEPARATOR = "  "

ROUTINE_WIDTH = max(cell_len(SAVE_TEXT[state][0]) for state in ("saved", "typing", "saving"))
"""The room the save state takes while work goes as usual: the header is laid out for the widest of these, so that
typing and saving never move the screen by a line."""


def _taken(parts: list[tuple[str, str]]) -> int:
    """The cells that ``parts`` (text, style) take on a line, each with the separator after it."""
    return sum(cell_len(text) + cell_len(SEPARATOR) for text, _ in parts)


def _fit(parts: list[tuple[str, str, int]], width: int, separator: str = "  ") -> Content:
    """Join (text, style, priority) parts, dropping the lowest priorities until they fit in ``width`` cells.

    Of equal priorities the later part goes first; a part of priority 9 or more is never dropped (nor any after it)."""
    sizes = [cell_len(text) for text, _, _ in parts]
    gap = cell_len(separator)
    dropped: set[int] = set()
    taken = sum(sizes) + gap * (len(parts) - 1)
    for index in sorted(range(len(parts)), key=lambda index: (parts[index][2], -index)):
        if taken <= width or parts[index][2] >= 9:
            break
        dropped.add(index)
        taken -= sizes[index] + gap
    kept = [part for index, part in enumerate(parts) if index not in dropped]
    pieces: list[str | tuple[str, str]] = []
    for index, (text, style, _) in enumerate(kept):
        if index:
            pieces.append((separator, "$text-muted"))
        pieces.append((text, style) if style else text)
    return Content.assemble(*pieces)


def _taken_parts(parts: list[tuple[str, str, int]], separator: str = "  ") -> int:
    """The cells ``_fit`` needs to show every one of ``parts``."""
    return sum(cell_len(text) for text, _, _ in parts) + cell_len(separator) * (len(parts) - 1)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` cells, none of it dropped."""
    lines = [""]
    for char in text:
        if lines[-1] and cell_len(lines[-1] + char) > width:
            lines.append("")
        lines[-1] += char
    return lines


class StatusHeader(StyledLines, Widget):
    """Department, year, total and grade, progress, 一级 subtotals, open findings and the save state, on the
    panel's colour; below them the tab names, the open one underlined on the line after.

    The department's name and the save state are always shown whole (the save state clipped only when it alone
    overflows its line): when they do not fit beside the rest, the year and the grade are shortened first; when
    they still do not fit, the name takes a line (or more) of its own above the others.
    """

    PADDING = 1
    """Cells left blank, in the panel's colour, at either end of the status lines."""

    standing: reactive[Standing | None] = reactive(None, layout=False)
    active_tab: reactive[str] = reactive("", layout=False)
    """The id of the open tab."""

    def __init__(self, tabs: list[tuple[str, str]], active_tab: str, **kwargs: Any) -> None:
        """``tabs``: (id, name) of each tab, in order."""
        super().__init__(**kwargs)
        self.tabs = tabs
        self.set_reactive(StatusHeader.active_tab, active_tab)
        self._kept_lines: tuple[Standing, int, list[Content]] | None = None
        """The standing and width the first lines were last made for, and those lines (fitting the header's height
        and drawing it both need them)."""

    def styled_lines(self) -> list[Content]:
        standing = self.standing
        status: list[Content] = []
        if standing is not None:
            width = self._width()
            blank = " " * self.PADDING
            status = [
                Content.assemble(blank, line, " " * (width - line.cell_length) + blank).stylize_before("on $panel")
                for line in [*self._first_lines(standing, width), self._second_line(standing, width)]
            ]
        return [*status, *self._tab_lines()]

    def _tab_lines(self) -> list[Content]:
        """The tab names, and below them a bar, highlighted under the open tab's name."""
        names: list[tuple[str, str] | str] = []
        start = end = 0
        for (first, after, tab), (_, name) in zip(self._tab_spans(), self.tabs, strict=True):
            if tab == self.active_tab:
                start, end = first + 1, after - 1
            names += [" ", (name, "$foreground" if tab == self.active_tab else "$foreground 50%"), " "]
        dim = "$foreground 10%"
        width = self.size.width or self.app.size.width
        bar = Content.assemble(
            ("━" * max(0, start - 1) + ("╸" if start else ""), dim),
            ("━" * (end - start), "$block-cursor-background"),
            ("╺" + "━" * max(0, width - end - 1), dim),
        )
        return [Content.assemble(*names), bar]

    def _tab_spans(self) -> list[tuple[int, int, str]]:
        """(first column, column after, id) of each tab's name, padded by a space on either side."""
        spans, column = [], 0
        for tab, name in self.tabs:
            width = cell_len(name) + 2
            spans.append((column, column + width, tab))
            column += width
        return spans

    async def on_click(self, event: events.Click) -> None:
        if event.y < self.size.height - 2:  # the status lines, above the tab names and their bar
            return
        for first, after, tab in self._tab_spans():
            if first <= event.x < after:
                event.stop()
                await self.run_action(f"app.show_tab({tab!r})")
                return

    def watch_standing(self, standing: Standing | None) -> None:
        self._fit_height()

    def on_resize(self) -> None:
        self._fit_height()

    def _width(self) -> int:
        """The width of the status lines: the header's (before the first layout, the terminal's, which it spans)
        less the blank cells at either end."""
        width = (self.size.width or self.app.size.width) - 2 * self.PADDING
        return max(width, 20)

    def _fit_height(self) -> None:
        """Two status lines, and one more for each line the department's name needs on its own; the tabs' two."""
        standing = self.standing
        status = 2 if standing is None else len(self._first_lines(standing, self._width())) + 1
        if self.styles.height is None or self.styles.height.value != status + 2:
            self.styles.height = status + 2

    def _first_lines(self, standing: Standing, width: int) -> list[Content]:
        """The department (whole), year, total, grade, progress and the save state, on one line or more
        (``_made_first_lines``), made once for each standing and width."""
        kept = self._kept_lines
        if kept is None or kept[0] is not standing or kept[1] != width:
            kept = self._kept_lines = (standing, width, self._made_first_lines(standing, width))
        return kept[2]

    def _made_first_lines(self, standing: Standing, width: int) -> list[Content]:
        """The department (whole), year, total, grade, progress and the save state, on one line or more.

        Invalid input is said with its first error where that fits on the line, else briefly (“! 1 处输入无效”,
        the error being under the input itself), and a read-only year with its reason, else as “只读”: never cut
        off mid-word, and never pushing the name off its line.
        """
        save_text, save_style = SAVE_TEXT.get(standing.save_state, SAVE_TEXT["saved"])
        brief = ""
        if standing.save_detail and standing.save_state in ("failed", "blocked", "conflict", "invalid"):
            if standing.save_state == "invalid" and standing.invalid:
                brief = f"! {standing.invalid} 处输入无效"
            elif standing.save_state in ("blocked", "conflict"):
                brief = save_text  # the notice names the file and what is wrong with it
            save_text = f"{save_text}：{standing.save_detail}"
        elif standing.read_only:
            save_text, save_style, brief = f"只读：{standing.read_only}", "bold $warning", "只读"
        if standing.reviewing:
            review = f"复核 {fmt_score(standing.review_total)}"
            reviewed = standing.review_progress
            # a 暂定 复核 total says how far the review has got; the long form first, the short one where it fits
            forms = (
                [
                    f"{review}（{review_progress(*reviewed)}）",
                    f"{review}（暂定：已复核 {reviewed[0]}/{reviewed[1]}）",
                    f"{review}（暂定 {reviewed[0]}/{reviewed[1]}）",
                    f"{review}*",
                ]
                if reviewed is not None and review_progress(*reviewed)
                else [review]
            )
            variants = [
                [(f"自评 {fmt_score(standing.total)}", "bold $accent"), (form, "bold $accent")] for form in forms
            ]
        else:
            variants = [[(f"总分 {fmt_score(standing.total)}{'（封顶）' if standing.caps else ''}", "bold $accent")]]
        totals = variants[-1]
        progress = (f"已评 {standing.scored}/{standing.leaves}", "")
        name = standing.department
        # the year and the grade shorten before the name is clipped or moved: “2018年”, then the grade without 等级
        for said, shown, (year, grade) in (
            (said, shown, pair)
            for said in ((save_text, brief) if brief else (save_text,))
            for shown in variants
            for pair in (
                (f"{standing.year}年度", f"等级 {standing.grade}"),
                (f"{standing.year}年", f"等级 {standing.grade}"),
                (f"{standing.year}年", standing.grade),
            )
        ):
            middle = [(year, "bold"), *shown, (grade, "bold"), progress]
            rest = _taken(middle)
            if cell_len(name) + rest + cell_len(SEPARATOR) + max(cell_len(said), ROUTINE_WIDTH) <= width:
                return [self._line([(name, "bold"), *middle], said, save_style, width)]
        # the name on a line of its own: below it, the longest 复核 form that fits beside the save state
        for said, shown in ((said, shown) for said in (save_text, brief) if said for shown in variants):
            middle = [(f"{standing.year}年度", "bold"), *shown, (f"等级 {standing.grade}", "bold"), progress]
            room = width - _taken(middle)
            if max(cell_len(said), ROUTINE_WIDTH) <= room:
                break
        else:
            middle = [(f"{standing.year}年度", "bold"), *totals, (f"等级 {standing.grade}", "bold"), progress]
            room = width - _taken(middle)
            said = save_text if cell_len(save_text) <= room else brief or save_text
        return [
            *(Content.styled(part, "bold") for part in _wrap(name, width)),
            self._line(middle, said, save_style, width),
        ]

    @staticmethod
    def _line(parts: list[tuple[str, str]], save_text: str, save_style: str, width: int) -> Content:
        """``parts`` and the save state (clipped to what is left, eight cells at least), separated."""
        used = _taken(parts)
        pieces: list[str | tuple[str, str]] = []
        for text, style in [*parts, (clip(save_text, max(8, width - used)), save_style)]:
            if pieces:
                pieces.append((SEPARATOR, ""))
            pieces.append((text, style) if style else text)
        return Content.assemble(*pieces)

    def _second_line(self, standing: Standing, width: int) -> Content:
        """A what-if trial, caps on the total, drafts left out, 一级 subtotals (* while pending), 勾稽 findings."""
        groups = [
            (f"{name} {fmt_score(score)}/{fmt_number(points)}{'' if complete else '*'}", "", 5)
            for name, score, points, complete in standing.groups
        ]
        counts = [
            (word, count)
            for word, count in (
                (SEVERITY_WORDS["error"], standing.errors),
                (SEVERITY_WORDS["warning"], standing.warnings),
                (SEVERITY_WORDS["info"], standing.infos),
            )
            if count
        ]
        if counts:
            findings = "勾稽 " + " ".join(f"{word}{count}" for word, count in counts)
        else:  # no finding is “无问题” only when the rules could run
            findings = f"勾稽 {standing.unchecked} 条缺数据未查" if standing.unchecked else "勾稽 无问题"
        findings_style = "bold $error" if standing.errors else ("$warning" if standing.warnings else "$text-muted")
        narrow = [  # every 一级 without its points
            (f"{name} {fmt_score(score)}{'' if complete else '*'}", "", 5)
            for name, score, points, complete in standing.groups
        ]
        notes = [(clip(cap, width), "bold $warning", 8) for cap in standing.caps]
        if standing.save_state == "what_if":
            trial = f"假设模式：修改未写入文件，{standing.save_detail}（Ctrl+P 应用或放弃）"
            notes.insert(0, (clip(trial, width), "bold $warning", 8))
        # scores waiting for their reason: with the names where the 一级 subtotals still fit beside them, else without
        count = len(standing.held) + len(standing.unadopted)
        if standing.unadopted:  # an adjustment of an automatic score not used (and drafts, if any)
            what = "，".join(
                [f"草稿 {len(standing.held)} 项未计入总分"] * bool(standing.held)
                + [f"调整 {len(standing.unadopted)} 项未采用"]
            )
            said = [
                f"缺理由 {count} 项：{what}：{'、'.join(standing.held + standing.unadopted)}",
                f"缺理由 {count} 项：{what}",
            ]
        elif standing.held:
            drafts = f"草稿 {count} 项缺理由"
            said = [f"{drafts}，未计入总分：{'、'.join(standing.held)}", f"{drafts}，未计入总分", drafts]
        else:
            said = []
        said += [f"缺理由 {count} 项"] * bool(said)  # at 80 columns, beside the four 一级 scores without their points
        helds = [[(clip(text, width), "bold $error", 7)] for text in said] or [[]]
        for shown in (groups, narrow):  # the longest that fits whole; else the lowest priorities go
            for held in helds:
                parts = [*notes, *held, *shown, (findings, findings_style, 6)]
                if _taken_parts(parts) <= width:
                    return _fit(parts, width)
        return _fit([*notes, *helds[-1], *narrow, (findings, findings_style, 6)], width)
