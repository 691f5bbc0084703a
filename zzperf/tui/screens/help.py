"""The help screen (F1 or ?): every key of every area, read from the bindings themselves, and the status marks."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from zzperf.output.lines import wrap
from zzperf.tui.compositor import WholeCharacters

KEY_WIDTH = 14
"""Cells for a table's key column at least: its longest key widens it (to ``KEY_WIDTH + 8`` at most), so that the
descriptions of one area start in one column, and a short area's keys take no more room than these."""

KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "Esc",
    "enter": "回车",
    "space": "空格",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}

WIDGET_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "通用",
        [
            ("Tab / Shift+Tab", "在各区域、输入框之间移动"),
            ("↑ ↓ ← →", "在树、表格和列表中移动"),
            ("回车", "打开、选中或提交"),
            ("鼠标", "点击标签页、指标、单元格、按钮；滚轮滚动"),
            ("^（底栏中）", "表示按住 Ctrl 键：^q 即 Ctrl+Q，^p 即 Ctrl+P"),
        ],
    ),
    (
        "评分（指标树与输入框）",
        [
            ("回车（在指标上）", "开始录入本指标"),
            ("j / k（在指标树中）", "下移 / 上移，同 ↓ ↑"),
            ("空格（在分组上）", "展开或收起分组"),
            ("空格（在检查项上）", "勾选或取消检查项"),
        ],
    ),
    (
        "数据（表格）",
        [
            ("回车 / 直接输入数字", "编辑单元格；回车保存，Esc 放弃"),
            ("留空", "表示“数据不足”；“-” 表示 0"),
        ],
    ),
    (
        "文字编辑（理由、报告）",
        [
            ("Ctrl+Z / Ctrl+Y", "在文本框内撤销 / 重做"),
            ("Ctrl+C/V/X", "复制 / 粘贴 / 剪切"),
        ],
    ),
]

LEGEND = [
    ("自动", "按公式和评分规则自动计分"),
    ("已评", "评价人已评定（等级、检查项、例数或分数）"),
    ("已调整", "评价人调整了自动得分（已填理由）"),
    ("草稿", "评价人已评分或调整，尚未勾选“已核实”确认（报告中列为未确认）"),
    ("缺数据", "数据不足，补齐数据或由评价人评分"),
    ("待评", "需要评价人评分"),
    ("缺理由", "调整或扣分尚未写明理由，得分未采用"),
    ("不适用", "本年度不适用"),
    ("有误", "输入的内容无效，仍保留在输入框中"),
    ("*", "标题栏中一级指标后的 * 表示其下还有未得分的指标（待评、数据不足或缺理由）"),
]


MODIFIERS = {"ctrl": "Ctrl", "shift": "Shift", "alt": "Alt"}


def key_text(binding: Binding) -> str:
    """A binding's keys as printed on keyboards: ``F1 / ?``, ``Ctrl+Q``, ``n``."""
    names = []
    for key in binding.key.split(","):
        key = key.strip()
        if key in KEY_NAMES:
            names.append(KEY_NAMES[key])
            continue
        *modifiers, last = key.split("+")
        names.append("+".join([*(MODIFIERS.get(m, m) for m in modifiers), _key_name(last, bool(modifiers))]))
    return " / ".join(names)


def _key_name(key: str, modified: bool) -> str:
    """One key as printed on keyboards: ``F2``, ``P`` after Ctrl, ``n`` alone, ``Insert`` as ``Esc`` and ``Tab``."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if len(key) == 1:
        return key.upper() if modified else key
    if key[0] == "f" and key[1:].isdigit():
        return key.upper()
    return key.capitalize()


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    return [(key_text(binding), binding.tooltip or binding.description) for binding in bindings]


def _table(rows: list[tuple[str, str]], width: int = 0) -> Table:
    """The keys and what they do; at ``width`` cells, each description broken into lines as Chinese prose (rich
    breaks only at spaces, and would cut a long description short with “…”)."""
    table = Table.grid(padding=(0, 2))
    key_width = min(max([KEY_WIDTH, *(cell_len(key) for key, _ in rows)]), KEY_WIDTH + 8)
    table.add_column(no_wrap=True, width=key_width, style="bold")
    table.add_column(ratio=1)
    room = width - key_width - 2
    for key, what in rows:
        table.add_row(Text(key), Text("\n".join(wrap(what, room)) if room > 1 else what))
    return table


class KeyTable(Static):
    """A table of keys, laid out again at its width (its descriptions wrap to it)."""

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__(_table(rows))
        self.rows = rows

    def on_resize(self, event: Resize) -> None:
        self.update(_table(self.rows, self.content_region.width))


class HelpScreen(WholeCharacters, ModalScreen[None]):
    """All keys, grouped by area."""

    BINDINGS = [
        Binding(
            "escape,f1,question_mark,q",
            "dismiss(None)",
            "关闭帮助",
            id="help.close",
            tooltip="关闭帮助，回到原来的画面",
        ),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        sections = [(title, binding_rows(bindings)) for title, bindings in self.groups] + WIDGET_KEYS
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Content.styled("zzperf 键盘操作", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                for title, rows in sections:
                    yield Static(Content.styled(title, "bold $accent"), classes="help-section")
                    yield KeyTable(rows)
                yield Static(Content.styled("状态标记", "bold $accent"), classes="help-section")
                yield KeyTable(LEGEND)
                yield Static(
                    Content.styled(
                        "每次修改都会立即保存到工作区文件；文件被其他程序修改时会自动重新载入或询问。", "$text-muted"
                    ),
                    classes="help-section",
                )
            yield Static(Content.styled("Esc、F1 或 ? 关闭", "$text-muted"))
