"""The evaluator's inputs for one leaf: score or override, the rule's own input, reason, evidence, comment.

Typing is buffered briefly and sent up as ``EntryForm.Edited``; leaving a field, switching leaf or quitting
sends it at once. A score or case count that is not valid stays in its field with the error beneath it and is
remembered per leaf as a draft, so moving away and back never drops it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.events import DescendantBlur
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets._select import SelectCurrent, SelectOverlay
from textual.widgets.select import NoSelection

from zzperf.amounts import fmt_number, fmt_score
from zzperf.editing import EditError, parse_cases, parse_score
from zzperf.indicators import (
    ChecklistRule,
    Indicator,
    JudgedRule,
    LevelsRule,
    PerCaseRule,
)
from zzperf.scoring import IndicatorResult
from zzperf.tui.widgets.prose import ProseArea, ProseText, as_prose
from zzperf.tui.widgets.text import (
    HoldsTyping,
    LaidOutOnce,
    PaintedInView,
    drop_layout_unless_resized,
    set_display,
    set_text,
)
from zzperf.tui.widgets.ticks import TickBox, TickList
from zzperf.wording import rule_scored

TEXT_FIELDS = {"entry-reason": "reason", "entry-evidence": "evidence", "entry-comment": "comment"}
CHECKED_FIELDS = {"entry-score": "score", "entry-cases": "cases"}


class LevelOverlay(SelectOverlay):
    """The open list of levels, whose key in the key bar reads in Chinese."""

    BINDINGS = [Binding("escape", "dismiss", "收起列表", tooltip="收起等级列表，不改变所选等级")]


class LevelSelect(Select[str]):
    """The 评定等级 choice, whose options and value change together when another leaf is shown.

    The list of options, hidden while the choice is closed, is filled in when it opens: moving from leaf to leaf
    changes only the line that shows the chosen level.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._list_behind = False
        """The options changed since the list was last filled in."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield LevelOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    def _on_mount(self, event: events.Mount) -> None:
        """Textual's, unless the app closed while the form was being mounted: its list is removed already."""
        if not self.query(SelectOverlay):
            event.prevent_default()

    def set_options_and_value(self, options: list[tuple[Content, str]], value: str | NoSelection) -> None:
        """New options with ``value`` chosen at once: ``set_options`` would first clear the value, restyling the
        widget twice (a cost paid on every cursor move in the tree)."""
        unchanged = value == self.value
        self._setup_variables_for_options(options)
        self._list_behind = True
        self._init_selected_option(value)  # Textual's own step of set_options, given the value to choose
        if unchanged:
            self.mutate_reactive(Select.value)  # the same value under a new prompt: show the new prompt
        drop_layout_unless_resized(self.query_one("#label", Static))  # unless its text wraps differently

    def _watch_expanded(self, expanded: bool) -> None:
        if expanded and self._list_behind:
            self._list_behind = False
            self._setup_options_renderables()
        super()._watch_expanded(expanded)


class FormInput(PaintedInView, Input):
    """An input of the form, which may be scrolled out of view."""


class ReasonArea(PaintedInView, ProseArea):
    """The reason, below the score (wrapped as the report text is): often scrolled out of view."""


class FormTick(PaintedInView, TickBox):
    """A tick box of the form, which may be scrolled out of view."""


class ScoreLabel(PaintedInView, LaidOutOnce, ProseText):
    """The score field's label, whose wording changes with the leaf shown (two lines in a narrow form)."""


class HintText(PaintedInView, LaidOutOnce, ProseText):
    """A hint or error line whose text changes with the leaf shown, wrapped as Chinese prose."""


class EntryForm(HoldsTyping, Vertical):
    """Inputs for one leaf's ``Entry``; the parent sets ``show(...)`` and receives ``Edited`` messages."""

    class Edited(Message):
        """The evaluator changed one leaf's entry."""

        def __init__(self, indicator_id: str, changes: dict[str, Any]) -> None:
            super().__init__()
            self.indicator_id = indicator_id
            self.changes = changes

    class DraftsChanged(Message):
        """The set of leaves with invalid typed input changed."""

        def __init__(self, invalid: dict[str, str]) -> None:
            super().__init__()
            self.invalid = invalid
            """Leaf id → the first error."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.indicator: Indicator | None = None
        self.result: IndicatorResult | None = None
        self._waiting: dict[str, Any] = {}
        self._waiting_id: str | None = None
        self._waiting_points = Decimal(0)
        self._timer: Timer | None = None
        self.drafts: dict[tuple[str, str], tuple[str, str]] = {}
        """(leaf id, field) → (typed text, error) for input that could not be taken."""
        self._level_options: list[tuple[str, str]] = []
        self._checklist_items: list[tuple[str, str, bool]] = []
        self._deductions: dict[str, Decimal | None] = {}
        """Each leaf's deduction when last shown: a raise to full marks is seen as it happens."""
        self._raised: dict[str, str] = {}
        """Leaf id → its reason when its score was raised to full marks: stale while it still reads so."""

    def compose(self) -> ComposeResult:
        yield Static("评价人录入", classes="form-title")
        yield FormTick("不适用此指标", id="entry-na")  # short: whole in the 80-column form
        yield Label("评定等级", id="level-label", classes="field-label")
        yield LevelSelect([], id="entry-level", prompt="选择等级", allow_blank=True)
        yield ProseText("符合的检查项（空格键勾选）", id="checklist-label", classes="field-label")
        yield TickList(id="entry-checklist")
        yield Label("发现例数", id="cases-label", classes="field-label")
        yield FormInput(id="entry-cases", placeholder="如 0 或 2")
        yield HintText("", id="cases-error", classes="field-error")
        yield ScoreLabel("得分", id="score-label", classes="field-label")
        yield FormInput(id="entry-score", placeholder="留空采用自动得分")
        yield HintText("", id="score-error", classes="field-error")
        yield Label("扣分原因 / 调整理由", classes="field-label")
        yield HintText("", id="reason-hint", classes="field-hint")
        yield ReasonArea(id="entry-reason", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        yield Label("佐证材料", classes="field-label")
        yield FormInput(id="entry-evidence", placeholder="文件名、文号或说明")
        yield Label("备注", classes="field-label")
        yield FormInput(id="entry-comment")
        yield FormTick("已核实，确认评分", id="entry-confirmed")  # short: whole in the 80-column form

    def _show_score_label(self, indicator: Indicator, result: IndicatorResult) -> None:
        """What the score field is for: a judged score, adjusting the automatic one, or scoring without data."""
        rule = indicator.rule
        points = fmt_number(indicator.points)
        if isinstance(rule, JudgedRule):
            label, placeholder = f"得分（0–{points} 分）", "评价人评分"
        elif indicator.computed and result.auto_score is None:
            label = f"得分（数据不足，没有自动得分；补齐数据即自动计分，或录入 0–{points} 分并写明理由）"
            placeholder = "留空待补齐数据"
        elif indicator.computed:
            label, placeholder = f"调整自动得分（可选，0–{points} 分，须填理由）", "留空采用自动得分"
        else:
            label, placeholder = f"调整得分（可选，0–{points} 分，须填理由）", "留空按评定计分"
        set_text(self.query_one("#score-label", ScoreLabel), label)
        score = self.query_one("#entry-score", Input)
        if score.placeholder != placeholder:
            score.placeholder = placeholder

    def on_mount(self) -> None:
        for box in self.query(".field-error"):
            box.display = False

    # ─── showing a leaf ───

    def show(self, indicator: Indicator, result: IndicatorResult, reload: bool) -> None:
        """Show ``indicator``; ``reload`` re-reads the fields from the entry (new leaf, undo or reload)."""
        if self.indicator is not None and self.indicator.id != indicator.id:
            self.flush()
        self.indicator, self.result = indicator, result
        rule = indicator.rule
        entry = result.entry
        self._show_hints(indicator, result)
        self._show_score_label(indicator, result)
        if not reload:  # what is being typed stays; the tick follows the entry (a change of score unconfirms it)
            with self.prevent(Checkbox.Changed):
                _set_value(self.query_one("#entry-confirmed", Checkbox), entry.status == "confirmed")
            return
        # Each widget is touched only when what it shows changes: a cursor move then costs a repaint, not a
        # re-styling and re-layout of the whole form.
        with self.prevent(
            Input.Changed,
            TextArea.Changed,
            TextArea.SelectionChanged,  # nobody listens, and it would climb through every container above
            Checkbox.Changed,
            Select.Changed,
            SelectionList.SelectedChanged,
        ):
            na = self.query_one("#entry-na", Checkbox)
            set_display(na, indicator.not_applicable != "forbidden" or entry.not_applicable)
            _set_value(na, entry.not_applicable)
            level = self.query_one("#entry-level", LevelSelect)
            is_levels = isinstance(rule, LevelsRule)
            set_display(level, is_levels)
            set_display(self.query_one("#level-label"), is_levels)
            if is_levels:
                options = [
                    (
                        f"{item.name}（{fmt_score(item.points)} 分"
                        f"）{('：' + item.description) if item.description else ''}",
                        item.name,
                    )
                    for item in rule.levels
                ]
                names = [item.name for item in rule.levels]
                wanted = entry.level if entry.level in names else Select.NULL
                if options != self._level_options:
                    self._level_options = options
                    level.set_options_and_value([(Content(prompt), value) for prompt, value in options], wanted)
                else:
                    _set_value(level, wanted)
            checklist = self.query_one("#entry-checklist", SelectionList)
            is_checklist = isinstance(rule, ChecklistRule)
            set_display(checklist, is_checklist)
            set_display(self.query_one("#checklist-label"), is_checklist)
            items = (
                [
                    (f"{item.name}（{fmt_score(item.points)} 分）", item.name, item.name in entry.checked)
                    for item in rule.items
                ]
                if is_checklist
                else []
            )
            if items != self._checklist_items:
                self._checklist_items = items
                checklist.clear_options()
                checklist.add_options([(as_prose(prompt), value, checked) for prompt, value, checked in items])
            cases = self.query_one("#entry-cases", Input)
            is_cases = isinstance(rule, PerCaseRule) and not indicator.computed
            set_display(cases, is_cases)
            set_display(self.query_one("#cases-label"), is_cases)
            self._set_checked_input("entry-cases", "" if entry.cases is None else str(entry.cases))
            self._set_checked_input("entry-score", "" if entry.score is None else format(entry.score, "f"))
            reason = self.query_one("#entry-reason", TextArea)
            if reason.text != entry.reason:
                reason.load_text(entry.reason)
            if reason.cursor_location != reason.document.end:
                reason.move_cursor(reason.document.end)  # ready to add to what is there
            _set_value(self.query_one("#entry-evidence", Input), entry.evidence)
            _set_value(self.query_one("#entry-comment", Input), entry.comment)
            _set_value(self.query_one("#entry-confirmed", Checkbox), entry.status == "confirmed")

    def _set_checked_input(self, widget_id: str, saved: str) -> None:
        """Fill a checked input from the entry, or from the leaf's draft when it has one."""
        assert self.indicator is not None
        draft = self.drafts.get((self.indicator.id, CHECKED_FIELDS[widget_id]))
        _set_value(self.query_one(f"#{widget_id}", Input), draft[0] if draft else saved)
        error_id = "#score-error" if widget_id == "entry-score" else "#cases-error"
        self._show_error(error_id, draft[1] if draft else None)

    def _show_error(self, error_id: str, error: str | None) -> None:
        box = self.query_one(error_id, Static)
        set_text(box, Content(f"✗ {error}") if error else "")
        set_display(box, bool(error))

    def _show_hints(self, indicator: Indicator, result: IndicatorResult) -> None:
        hint = self.query_one("#reason-hint", Static)
        reason_problems = [p for p in result.problems if "理由" in p or "原因" in p]
        if reason_problems:
            set_text(hint, Content.styled(f"⚠ {'；'.join(reason_problems)}。请在下面写明理由。", "bold $error"))
            hint.set_class(True, "-demand")
        else:
            deduction = result.deduction
            if indicator.computed:
                lines = "自动得分由评分规则和取数算出；调整自动得分时须写明理由，否则不采用。"
            else:
                lines = "扣分时须写明理由，否则不计入总分。"
            written = result.entry.reason
            before, self._deductions[indicator.id] = self._deductions.get(indicator.id), deduction
            if deduction == 0 and before and written.strip() and not indicator.computed:
                self._raised[indicator.id] = written  # raised to full marks: the reason was written for a deduction
            if deduction == 0 and self._raised.get(indicator.id) == written and not result.not_applicable:
                lines = "本项得满分，不扣分；下面的文字是原来的扣分原因，已不再适用，请改写或删去。"
            elif deduction and deduction > 0:
                if rule_scored(result):
                    lines = (
                        f"本项按评分规则扣 {fmt_score(deduction)} 分，规则和取数即扣分原因；调整自动得分时须写明理由。"
                    )
                else:
                    reason = "理由已填写。" if result.entry.reason.strip() else "请写明扣分原因。"
                    lines = f"本项扣 {fmt_score(deduction)} 分，{reason}"
            set_text(hint, Content(lines))
            hint.set_class(False, "-demand")

    # ─── sending changes ───

    def _send(self, changes: dict[str, Any]) -> None:
        if self.indicator is not None and changes:
            self.post_message(self.Edited(self.indicator.id, changes))

    def _buffer(self, field: str, value: Any) -> None:
        assert self.indicator is not None
        if self._waiting_id not in (None, self.indicator.id):
            self.flush()
        self._waiting_id = self.indicator.id
        self._waiting_points = self.indicator.points
        self.hold(field, value)

    def take_pending(self) -> tuple[str, dict[str, Any]] | None:
        """The buffered changes (validated), removed from the buffer; None when nothing waits."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self._waiting or self._waiting_id is None:
            return None
        indicator_id, waiting = self._waiting_id, self._waiting
        self._waiting, self._waiting_id = {}, None
        changes: dict[str, Any] = {}
        points = self._waiting_points
        for field, value in waiting.items():
            if field in ("score", "cases"):
                try:
                    changes[field] = parse_score(value, points) if field == "score" else parse_cases(value)
                except EditError as error:
                    self._set_draft(indicator_id, field, value, error.message)
                    continue
                self._set_draft(indicator_id, field, None, None)
            else:
                changes[field] = value
        return (indicator_id, changes) if changes else None

    def _typing_paused(self) -> None:
        """A score or case count cleared to be typed anew is not sent on a pause, only by Enter or on leaving the
        box: sent, it made the item 待评, moved the total and wrote a change to the log before the new number came."""
        if any(field in self._waiting and not str(self._waiting[field]).strip() for field in ("score", "cases")):
            self._timer = None
            return
        self.flush()

    def flush(self) -> None:
        """Send what is buffered now."""
        pending = self.take_pending()
        if pending is not None:
            self.post_message(self.Edited(*pending))

    def _set_draft(self, indicator_id: str, field: str, text: str | None, error: str | None) -> None:
        key = (indicator_id, field)
        before = dict(self.drafts)
        if text is None or error is None:
            self.drafts.pop(key, None)
        else:
            self.drafts[key] = (text, error)
        if self.indicator is not None and self.indicator.id == indicator_id:
            self._show_error("#score-error" if field == "score" else "#cases-error", error)
        if before != self.drafts:
            invalid: dict[str, str] = {}
            for (leaf, _), (_, message) in self.drafts.items():
                invalid.setdefault(leaf, message)
            self.post_message(self.DraftsChanged(invalid))

    def discard_drafts(self) -> None:
        """Forget invalid input (the user chose to reload from disk)."""
        self.take_pending()
        if self.drafts:
            self.drafts.clear()
            self.post_message(self.DraftsChanged({}))

    @on(Input.Changed, "#entry-score, #entry-cases, #entry-evidence, #entry-comment")
    def _input_changed(self, event: Input.Changed) -> None:
        event.stop()
        widget_id = event.input.id or ""
        field = CHECKED_FIELDS.get(widget_id) or TEXT_FIELDS[widget_id]
        self._buffer(field, event.value)

    @on(Input.Submitted)
    def _input_submitted(self, event: Input.Submitted) -> None:
        """Enter takes the field and moves on (after 得分 comes its reason); invalid text keeps the focus."""
        event.stop()
        self.flush()
        widget_id = event.input.id or ""
        field = CHECKED_FIELDS.get(widget_id) or TEXT_FIELDS.get(widget_id)
        if self.indicator is not None and (self.indicator.id, field) in self.drafts:
            return
        self.screen.focus_next()

    @on(TextArea.Changed, "#entry-reason")
    def _reason_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._buffer("reason", event.text_area.text)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        self.flush()

    @on(Checkbox.Changed, "#entry-na")
    def _na_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.flush()
        self._send({"not_applicable": event.value})

    @on(Checkbox.Changed, "#entry-confirmed")
    def _confirmed_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.flush()
        self._send({"status": "confirmed" if event.value else "draft"})

    @on(Select.Changed, "#entry-level")
    def _level_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.flush()
        self._send({"level": None if event.value is Select.NULL else event.value})

    @on(SelectionList.SelectedChanged, "#entry-checklist")
    def _checklist_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        if not isinstance(self.indicator and self.indicator.rule, ChecklistRule):
            return
        selected = set(event.selection_list.selected)
        order = [item.name for item in self.indicator.rule.items]  # type: ignore[union-attr]
        self.flush()
        self._send({"checked": [name for name in order if name in selected]})

    def focus_first(self) -> Widget | None:
        """Focus the first input this leaf uses, and return it."""
        for widget_id in ("#entry-level", "#entry-checklist", "#entry-cases", "#entry-score"):
            widget = self.query_one(widget_id)
            if widget.display:
                widget.focus()
                return widget
        return None


def _set_value(widget: Any, value: Any) -> None:
    """Set an input's value only when it differs: an unchanged value would still re-style some widgets."""
    if widget.value != value:
        widget.value = value
        if isinstance(widget, Input):
            drop_layout_unless_resized(widget)  # an input's size never follows its value
