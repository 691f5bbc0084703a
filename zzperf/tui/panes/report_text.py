"""The report's free text: 主要成绩, 存在的问题, 改进措施, 结果应用 and the year's 年度总体目标 in multi-line
editors, and who evaluated when and the notice the self-evaluation answers.

Figures the evaluator writes (“三公经费支出 4.22 万元”) are checked against the year's 决算 as they type, with
the same audit as ``zzperf check --text``.
"""

from __future__ import annotations

import time
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import DescendantBlur
from textual.message import Message
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from zzperf.accounts import Accounts
from zzperf.evaluation import REPORT_TEXTS, Evaluation, check_date, report_text
from zzperf.tui.widgets.prose import ProseArea
from zzperf.tui.widgets.steady import SteadyOptionList
from zzperf.tui.widgets.text import FORWARD_WINDOW, TYPING_DELAY, HoldsTyping, set_display, set_text
from zzperf.workspace import COVER_DETAILS, Profile

META = "meta"
META_TITLE = "封面与通知"

META_BOXES = ("evaluator", "date", "notice")
"""The one-line boxes of the ``META`` section that hold fields of the year's evaluation, in order."""


class ReportPane(HoldsTyping, Horizontal):
    """Section list on the left, the chosen section's editor on the right."""

    BINDINGS = [
        Binding(
            "ctrl+down,ctrl+right",
            "section(1)",
            "下一部分",
            key_display="^↓",
            id="report.next",
            tooltip="编辑报告的下一部分",
        ),
        Binding(
            "ctrl+up,ctrl+left",
            "section(-1)",
            "上一部分",
            key_display="^↑",
            id="report.previous",
            tooltip="编辑报告的上一部分",
        ),
        Binding(
            "escape",
            "leave_editor",
            "部分目录",
            id="report.sections",
            tooltip="离开文本框，回到左侧的部分目录",
            show=False,
        ),
    ]

    class ReportEdited(Message):
        """Report text or the evaluator's name or date changed."""

        def __init__(self, changes: dict[str, str]) -> None:
            super().__init__()
            self.changes = changes

    class DateDraft(Message):
        """The date typed cannot be saved (``error``), or no longer stands in the way (None)."""

        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    evaluation: var[Evaluation | None] = var(None, always_update=True, init=False)
    profile: var[Profile | None] = var(None, always_update=True, init=False)
    """The department's profile: its cover details (``COVER_DETAILS``) are edited here too."""
    generation: var[int] = var(0, init=False)
    figures: var[tuple[Accounts, Accounts | None] | None] = var(None, always_update=True, init=False)
    """The year's and the previous year's figures, to check the numbers in the text against."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._waiting: dict[str, str] = {}
        self._timer: Timer | None = None
        self._figures_timer: Timer | None = None
        self._loaded_generation = -1
        self._trial = False
        """Whether a what-if trial is under way: the text typed is then not written to the file until applied."""
        self._passed_on = 0.0
        """When a character typed on the section list was last passed on to a section's box (``on_key``)."""

    def compose(self) -> ComposeResult:
        options = [Option(title, id=key) for key, title in REPORT_TEXTS.items()]
        options.append(Option(META_TITLE, id=META))
        yield SteadyOptionList(*options, id="report-sections")
        with Vertical(id="report-box"):
            yield Static("", id="report-title")
            with ContentSwitcher(initial="report-achievements", id="report-editors"):
                for key in REPORT_TEXTS:
                    yield ProseArea(id=f"report-{key}", soft_wrap=True, tab_behavior="focus")
                with VerticalScroll(id=f"report-{META}"):  # at 80×24 its boxes are taller than the screen
                    yield Label("评价机构或评价人", classes="field-label")
                    yield Input(id="report-evaluator")
                    yield Label("报告日期", classes="field-label")
                    yield Input(id="report-date", placeholder="如 2019年3月20日")
                    yield Static("", id="report-date-error")
                    yield Label("自评依据的通知（名称和文号）", classes="field-label")
                    yield Input(id="report-notice", placeholder="如《关于开展2018年度部门整体支出绩效自评工作的通知》")
                    yield Static(Content.styled("部门信息（各年度共用，写入 zzperf.toml）", "bold"), id="report-dept")
                    for key, label in COVER_DETAILS.items():
                        yield Label(label, classes="field-label")
                        yield Input(id=f"report-{key}")
            yield Static("", id="report-figures")
            yield Static("", id="report-count")

    def on_mount(self) -> None:
        self.query_one("#report-sections", OptionList).highlighted = 0
        self._show_title("achievements")

    def show(self, generation: int, evaluation: Evaluation, profile: Profile, *, trial: bool = False) -> None:
        """The year's evaluation as the session holds it now, and the session's generation. The editors are filled
        from it when the generation is new (a year opened, reloaded or an undo), never after an edit, which they
        show already. Both arrive together: filled on a new generation with the last year's evaluation, the editors
        showed that year's text, and the next key wrote it into this year."""
        self.evaluation = evaluation
        self.profile = profile
        if trial != self._trial:
            self._trial = trial
            self._count()
        if generation != self._loaded_generation:
            self.generation = generation
            self._load()

    def watch_figures(self) -> None:
        self._check_figures_soon()

    def _load(self) -> None:
        evaluation = self.evaluation
        if evaluation is None:
            return
        self._loaded_generation = self.generation
        self._waiting.clear()
        with self.prevent(TextArea.Changed, Input.Changed):
            for key in REPORT_TEXTS:
                area = self.query_one(f"#report-{key}", TextArea)
                area.load_text(report_text(evaluation, key))
                area.move_cursor(area.document.end)
            for key in META_BOXES:
                self.query_one(f"#report-{key}", Input).value = getattr(evaluation, key)
            if self.profile is not None:
                for key in COVER_DETAILS:
                    self.query_one(f"#report-{key}", Input).value = getattr(self.profile, key)
        self._show_date_error(None)
        self._count()

    def _current(self) -> str:
        current = self.query_one("#report-editors", ContentSwitcher).current or "report-achievements"
        return current.removeprefix("report-")

    def _show_title(self, key: str) -> None:
        title = REPORT_TEXTS.get(key, META_TITLE)
        hints = {
            "goal": "年初设定的部门整体绩效目标，报告“绩效目标”部分引用。",
            "achievements": "写全年履职成效和主要数据，可引用评分中的完成值。",
            "problems": "可参考“评分”中的扣分原因和“数据”中的勾稽问题。",
            "measures": "针对存在的问题逐条写明整改措施。",
            "application": "自评结果如何报送、公开和用于下年预算。",
            META: "报告开头的评价机构、日期、依据的通知和部门信息。",
        }
        self.query_one("#report-title", Static).update(
            Content.assemble((title, "bold"), ("  " + hints[key], "$text-muted"))
        )

    def _count(self) -> None:
        key = self._current()
        if key == META:
            self.query_one("#report-count", Static).update("")
            return
        text = self.query_one(f"#report-{key}", TextArea).text
        characters = sum(1 for char in text if not char.isspace())
        saved = "假设模式，应用后才写入文件" if self._trial else "自动保存"
        self.query_one("#report-count", Static).update(Content.styled(f"{characters} 字 · {saved}", "$text-muted"))

    def _check_figures_soon(self) -> None:
        """Check the figures once typing (or a burst of changes elsewhere) pauses, not on every key."""
        if self._figures_timer is not None:
            self._figures_timer.stop()
        self._figures_timer = self.set_timer(TYPING_DELAY, self._check_figures)

    def _check_figures(self) -> None:
        key = self._current()
        line = self.query_one("#report-figures", Static)
        if key in (META, "goal"):  # the goal's figures are targets, not the 决算's
            figures = Content("")
        else:
            figures = self._figures_line(self.query_one(f"#report-{key}", TextArea).text)
        set_text(line, figures)  # unchanged (the usual case after a figure elsewhere changed): no re-layout
        set_display(line, bool(figures.plain))

    def _figures_line(self, text: str) -> Content:
        """What checking the text's figures against the 决算 found: each disagreement on a line, or how many agree;
        and how many figures it could not place (not checked), so that no silence reads as agreement."""
        if self.figures is None or not text.strip():
            return Content("")
        from zzperf.narrative import audit  # with the importer's text tools: loaded once the pane checks a text

        report = audit(text, *self.figures, paragraphs=True)
        unplaced = f"{len(report.unplaced)} 处数字未能对应到决算数据，未核对。" if report.unplaced else ""
        if report.findings:
            worst = "$error" if any(finding.severity == "error" for finding in report.findings) else "$warning"
            count = len(report.findings)
            lines: list[Content | str | tuple[str, str]] = [
                (
                    f"文中数字与决算数据不符（共 {count} 处）：" if count > 1 else "文中数字与决算数据不符：",
                    f"bold {worst}",
                )
            ]
            for index, finding in enumerate(report.findings, 1):
                lines.append("\n")
                lines.append(Content(f"{index}. {finding.message}" if count > 1 else finding.message))
            if unplaced:
                lines += ["\n", (unplaced, "$text-muted")]
            return Content.assemble(*lines)
        agreed = Content.styled(f"文中 {report.checked} 处数字与决算数据相符。", "$success") if report.checked else None
        if unplaced:
            return Content.assemble(*([agreed, " "] if agreed else []), (unplaced, "$warning"))
        return agreed or Content("")

    @on(OptionList.OptionHighlighted, "#report-sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        key = event.option.id or "achievements"
        self.query_one("#report-editors", ContentSwitcher).current = f"report-{key}"
        self._show_title(key)
        self._count()
        self._check_figures()  # another section: its own figures, at once

    @on(OptionList.OptionSelected, "#report-sections")
    def _section_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        key = event.option.id or "achievements"
        target = "#report-evaluator" if key == META else f"#report-{key}"
        self.query_one(target).focus()

    def action_section(self, step: int) -> None:
        sections = self.query_one("#report-sections", OptionList)
        index = ((sections.highlighted or 0) + step) % sections.option_count
        sections.highlighted = index
        key = sections.get_option_at_index(index).id or "achievements"
        self.query_one("#report-evaluator" if key == META else f"#report-{key}").focus()

    def action_leave_editor(self) -> None:
        self._passed_on = 0.0  # back on the list: a space chooses a section again
        self.query_one("#report-sections", OptionList).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing on the section list writes into the section's text box instead of being lost.

        The first character moves the focus to the box; those that reach the list before the focus has moved
        follow it, spaces and ? included (on the list alone, a space chooses the section and ? opens the help).
        """
        sections = self.query_one("#report-sections", OptionList)
        if not sections.has_focus or not event.is_printable or not event.character:
            return
        following = time.monotonic() - self._passed_on <= FORWARD_WINDOW
        if event.character in " ?" and not following:
            return
        self._passed_on = time.monotonic()
        key = self._current()
        event.stop()
        event.prevent_default()
        if key == META:
            target = self.query_one("#report-evaluator", Input)
            target.focus()
            if not following:
                target.cursor_position = len(target.value)  # added to what is there, wherever the cursor was left
            target.insert_text_at_cursor(event.character)
            return
        area = self.query_one(f"#report-{key}", TextArea)
        area.focus()
        area.insert(event.character)

    # ─── sending changes ───

    def _buffer(self, key: str, value: str) -> None:
        self.hold(key, value)

    def take_pending(self) -> dict[str, str]:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        waiting, self._waiting = self._waiting, {}
        return waiting

    def flush(self) -> None:
        changes = self.take_pending()
        if changes:
            self.post_message(self.ReportEdited(changes))

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._buffer((event.text_area.id or "").removeprefix("report-"), event.text_area.text)
        self._count()
        self._check_figures_soon()

    @on(Input.Changed, "#report-meta Input")
    def _meta_changed(self, event: Input.Changed) -> None:
        event.stop()
        key = (event.input.id or "").removeprefix("report-")
        if key == "date":
            try:
                check_date(event.value)
            except ValueError as error:  # half typed, or not a date: kept in the box, said below it, not saved
                self._waiting.pop("date", None)
                self._show_date_error(str(error))
                return
            self._show_date_error(None)
        self._buffer(key, event.value)

    def _show_date_error(self, error: str | None) -> None:
        shown = self.query_one("#report-date-error", Static)
        if (error or "") != str(shown.content):
            shown.update(Content.styled(error, "$error") if error else "")
            self.post_message(self.DateDraft(error))

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.flush()
