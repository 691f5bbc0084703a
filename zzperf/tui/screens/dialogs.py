"""Small modal screens: choosing a year, asking before something that cannot be undone, adding a table row, reading
a text in full."""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from zzperf.tui.compositor import WholeCharacters
from zzperf.tui.widgets.prose import ProseText


class YearList(OptionList):
    """An option list whose cursor stops at either end instead of wrapping round to the other."""

    def action_cursor_up(self) -> None:
        if self.highlighted is None or any(not option.disabled for option in self.options[: self.highlighted]):
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        start = -1 if self.highlighted is None else self.highlighted
        if any(not option.disabled for option in self.options[start + 1 :]):
            super().action_cursor_down()


class YearScreen(WholeCharacters, ModalScreen[tuple[str, int] | None]):
    """The workspace's years to switch to, starting the next year from the latest, and removing an empty year.

    Dismisses with ("open", year), ("new", year) or ("remove", year); the app asks before the last two.
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "关闭", id="year.close", tooltip="不切换年度，回到原来的画面"),
        Binding(
            "delete",
            "remove",
            "删除空年度",
            key_display="Delete",
            id="year.remove",
            tooltip="删除没有任何数据和评分的年度（会先确认）",
        ),
    ]

    def __init__(self, years: list[int], current: int, empty: set[int] | frozenset[int] = frozenset()) -> None:
        """``empty`` are the years that hold no data, the only ones that may be removed."""
        super().__init__()
        self.years = years
        self.current = current
        self.empty = empty

    def compose(self) -> ComposeResult:
        options = [
            Option(
                f"{year} 年度{'（当前）' if year == self.current else ''}{'（空）' if year in self.empty else ''}",
                id=f"open-{year}",
            )
            for year in self.years
        ]
        if self.years:
            latest = self.years[-1]
            options.append(
                Option(f"新建 {latest + 1} 年度（带入 {latest} 年度的绩效目标，数据为空）", id=f"new-{latest + 1}")
            )
        hint = "回车选择 · Delete 删除空年度 · Esc 关闭" if self.empty else "回车选择 · Esc 关闭"
        with Vertical(id="year-dialog", classes="dialog"):
            yield Static(Content.styled("切换年度", "bold"), classes="dialog-title")
            yield YearList(*options, id="year-list")
            yield Static(Content.styled(hint, "$text-muted"))

    def on_mount(self) -> None:
        year_list = self.query_one(OptionList)
        year_list.highlighted = self.years.index(self.current) if self.current in self.years else 0

    def _highlighted(self) -> tuple[str, int] | None:
        year_list = self.query_one(OptionList)
        if year_list.highlighted is None:
            return None
        action, year = (year_list.get_option_at_index(year_list.highlighted).id or "open-0").split("-")
        return action, int(year)

    def action_remove(self) -> None:
        chosen = self._highlighted()
        if chosen is None or chosen[0] != "open":
            return
        if chosen[1] not in self.empty:
            self.notify(f"{chosen[1]} 年度已有数据或评分，不能删除。", severity="warning", timeout=3)
            return
        self.dismiss(("remove", chosen[1]))

    @on(OptionList.OptionSelected, "#year-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        action, year = (event.option.id or "open-0").split("-")
        self.dismiss((action, int(year)))


class ConfirmScreen(WholeCharacters, ModalScreen[str | None]):
    """A question with a few answers; dismisses with the chosen answer's key (None on Esc)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="confirm.cancel", tooltip="关闭对话框，什么也不做")]

    def __init__(self, title: str, message: str, answers: list[tuple[str, str, str]], can_cancel: bool = True) -> None:
        """``answers`` are (key, label, variant) with variant one of default, primary, error, warning.

        Without ``can_cancel`` Esc does nothing: one of the answers must be chosen.
        """
        super().__init__()
        self.can_cancel = can_cancel
        self.title_text = title
        self.message = message
        self.answers = answers

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            yield ProseText(Content(self.message), id="confirm-message")  # broken as Chinese is set: “1 处” whole
            with Horizontal(id="confirm-buttons"):
                for key, label, variant in self.answers:
                    yield Button(label, id=f"answer-{key}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "dismiss":
            return self.can_cancel
        return True

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-"))


class AddLineScreen(WholeCharacters, ModalScreen[tuple[str, str] | None]):
    """科目编码 and 名称 of a new table row; the name is filled in when the code is already known.

    ``check`` returns the error of a (code, name) pair or None; the dialog stays open until it is None.
    """

    BINDINGS = [Binding("escape", "dismiss(None)", "取消", id="add_line.cancel", tooltip="不添加，关闭对话框")]

    def __init__(
        self, title: str, lengths: str, known_name: Callable[[str], str | None], check: Callable[[str, str], str | None]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lengths = lengths
        self.known_name = known_name
        self.check = check
        self._filled = ""
        """The name last filled in from the code, replaced when the code changes (a typed name is kept)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="add-line-dialog", classes="dialog"):
            yield Static(Content.styled(self.title_text, "bold"), classes="dialog-title")
            yield Label(f"科目编码（{self.lengths}）", classes="field-label")
            yield Input(id="add-line-code", restrict=r"\d*", max_length=7)
            yield Label("科目名称", classes="field-label")
            yield Input(id="add-line-name")
            yield Static("", id="add-line-error")
            yield Static(Content.styled("回车添加 · Tab 切换 · Esc 取消", "$text-muted"))

    @on(Input.Changed, "#add-line-code")
    def _code_changed(self, event: Input.Changed) -> None:
        name = self.query_one("#add-line-name", Input)
        if name.value and name.value != self._filled:
            return
        self._filled = self.known_name(event.value) or ""
        name.value = self._filled

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        code = self.query_one("#add-line-code", Input).value.strip()
        name = self.query_one("#add-line-name", Input).value.strip()
        if event.input.id == "add-line-code" and not name:
            self.query_one("#add-line-name", Input).focus()
            return
        error = self.check(code, name)
        if error is not None:
            self.query_one("#add-line-error", Static).update(Content.styled(f"✗ {error}", "bold $error"))
            return
        self.dismiss((code, name))


class TextScreen(WholeCharacters, ModalScreen[None]):
    """A text shown in full, a paragraph at a time (broken as Chinese prose, scrolled when long); a paragraph that
    is an item of a list (“· …”) is indented, one of a list within an item (“– …”) more. Esc, q, Enter or ``key``
    (the key that opened it) close it."""

    def __init__(self, title: str, paragraphs: list[Content], key: str) -> None:
        super().__init__()
        self.title_text = title
        self.paragraphs = paragraphs
        self.key = key

    def compose(self) -> ComposeResult:
        with Vertical(id="text-dialog", classes="dialog"):
            yield ProseText(Content.styled(self.title_text, "bold"), classes="dialog-title")
            with VerticalScroll(id="text-body"):
                for paragraph in self.paragraphs:
                    kind = {"· ": "text-item", "– ": "text-subitem"}.get(paragraph.plain[:2], "")
                    yield ProseText(paragraph, classes=kind)
            yield Static(Content.styled("Esc 或回车关闭", "$text-muted"), id="text-keys")

    def on_mount(self) -> None:
        self.query_one("#text-body").focus()

    def on_key(self, event: events.Key) -> None:
        if event.key in ("escape", "q", "enter", self.key):
            event.stop()
            self.dismiss(None)
