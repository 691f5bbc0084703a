"""The help screen (F1 or ?): every key of every area, read from the bindings themselves, and the status marks."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "escape": "Esc",
    "enter": "回车",
    "space": "空格",
    "tab": "Tab",
    "shift+tab": "Shift+Tab",
}

WIDGET_KEYS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "通用",
        [
            ("Tab / Shift+Tab", "在各区域、输入框之间移动"),
            ("↑ ↓ ← →", "在树、表格和列表中移动"),
            ("回车", "打开、选中或提交"),
            ("鼠标", "点击标签页、指标、单元格、按钮；滚轮滚动"),
        ],
    ),
    (
        "评分（指标树与输入框）",
        [
            ("回车（在指标上）", "开始录入本指标"),
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
            ("Ctrl+C / Ctrl+V / Ctrl+X", "复制 / 粘贴 / 剪切"),
        ],
    ),
]

LEGEND = [
    ("自动", "按公式和评分规则自动计分"),
    ("已评", "评价人已评定（等级、检查项、例数或分数）"),
    ("已调整", "评价人调整了自动得分（已填理由）"),
    ("缺数据", "数据不足，补齐数据或由评价人评分"),
    ("待评", "需要评价人评分"),
    ("缺理由", "调整或扣分尚未写明理由，得分未采用"),
    ("不适用", "本年度不适用"),
    ("有误", "输入的内容无效，仍保留在输入框中"),
    ("*", "标题栏中一级指标后的 * 表示其下还有待评项"),
]


def key_text(binding: Binding) -> str:
    keys = []
    for key in binding.key.split(","):
        key = key.strip()
        name = KEY_NAMES.get(key)
        if name is None:
            name = "+".join(part.capitalize() if len(part) > 1 else part.upper() if part.isalpha() and "+" in key else part for part in key.split("+"))
        keys.append(name)
    return " / ".join(keys)


def binding_rows(bindings: list[Binding]) -> list[tuple[str, str]]:
    return [(key_text(binding), binding.tooltip or binding.description) for binding in bindings]


class HelpScreen(ModalScreen[None]):
    """All keys, grouped by area."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "dismiss(None)", "关闭帮助", id="help.close", tooltip="关闭帮助，回到原来的画面"),
    ]

    def __init__(self, groups: list[tuple[str, list[Binding]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        sections: list[tuple[str, list[tuple[str, str]]]] = [(title, binding_rows(bindings)) for title, bindings in self.groups]
        sections += WIDGET_KEYS
        width = max(cell_len(key) for _, rows in sections for key, _ in rows) + 2
        lines: list[Content] = []
        for title, rows in sections:
            lines.append(Content.styled(title, "bold $accent"))
            for key, what in rows:
                lines.append(Content.assemble(("  " + key + " " * (width - cell_len(key)), "bold"), what))
            lines.append(Content(""))
        lines.append(Content.styled("状态标记", "bold $accent"))
        for mark, what in LEGEND:
            lines.append(Content.assemble(("  " + mark + " " * (width - cell_len(mark)), "bold"), what))
        lines.append(Content(""))
        lines.append(
            Content.styled("每次修改都会立即保存到工作区文件；文件被其他程序修改时会自动重新载入或询问。", "$text-muted")
        )
        with Vertical(id="help-dialog", classes="dialog"):
            yield Static(Content.styled("zzperf 键盘操作", "bold"), classes="dialog-title")
            with VerticalScroll(id="help-body"):
                yield Static(Content("\n").join(lines))
            yield Static(Content.styled("Esc、F1 或 ? 关闭", "$text-muted"))
