"""Command palette (Ctrl+P): one provider per area, every command named in Chinese, and the palette itself."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import CommandList as PaletteList
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets.option_list import Option

from zzperf import editing, figure_paths
from zzperf.amounts import fmt_money, fmt_number, fmt_score
from zzperf.checks import rule_name
from zzperf.evaluation import REPORT_TEXTS
from zzperf.tui.compositor import WholeCharacters
from zzperf.tui.export import EXPORT_FORMATS, export_report
from zzperf.tui.panes.report_text import META_TITLE

if TYPE_CHECKING:
    from zzperf.tui.app import ZzperfApp

Command = tuple[str, str, Callable[[], object]]
"""(name, help, callback)."""


class Palette(WholeCharacters, CommandPalette):
    """Textual's command palette, saying in Chinese when nothing matches (``what``: what it searches)."""

    def __init__(self, *args: Any, what: str = "命令、指标或数据", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.what = what

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if not search_value:
                self._list_visible = False
                return
            message = Content.styled(f"没有找到与“{search_value}”相符的{self.what}", "$text-muted")
            self.query_one(PaletteList).add_option(Option(message, disabled=True, id=self._NO_MATCHES))
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class CommandList(Provider):
    """A provider over a list of commands; ``discover`` shows the first few when nothing is typed."""

    DISCOVER = 12

    RANK = 0.0
    """Added to a hit's match score: of the names a search matches equally well, those of the provider with the
    higher rank come first (the palette orders hits by score alone, and asks the providers in no fixed order).
    Indicators first, as what evaluators look for first; commands next; named figures; tables, findings and the
    other data items last. Ranks stay below half a point, less than a better match adds (a point or more: a letter
    matched at a word's start, fewer pieces), so they never put a weaker match first."""

    @property
    def zzperf(self) -> ZzperfApp:
        return self.app  # type: ignore[return-value]

    def commands(self) -> Iterable[Command]:
        """The provider's commands, in the order ``discover`` shows them."""
        raise NotImplementedError

    async def discover(self) -> Hits:
        for index, (name, help_text, callback) in enumerate(self.commands()):
            if index >= self.DISCOVER:
                break
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score + self.RANK, matcher.highlight(name), callback, help=help_text)


class GeneralCommands(CommandList):
    """Tabs, years, saving, undo, help and quitting."""

    RANK = 0.2

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        yield "转到评分", "指标树、得分与评分输入", partial(app.action_show_tab, "score")
        yield "转到数据", "决算数据表与勾稽关系检查", partial(app.action_show_tab, "data")
        yield "转到报告文字", "主要成绩、存在的问题、改进措施、结果应用", partial(app.action_show_tab, "report")
        yield "转到对比", "各年度得分对比、升降最多的指标与审核提示", partial(app.action_show_tab, "compare")
        yield "切换年度", "打开工作区中的其他年度", app.action_switch_year
        for year in app.session.workspace.years():
            if year != app.session.year:
                yield f"切换到 {year} 年度", "打开该年度的数据和评分", partial(app.open_year, year)
        yield "新建下一年度", "从最新年度带入绩效目标，数据为空", app.action_new_year
        yield "立即保存", "把所有修改写入工作区文件（平时已自动保存）", app.action_save
        yield "撤销上一次修改", "恢复上一次修改之前的数据或评分", app.action_undo
        if app.session.what_if is None:
            yield (
                "假设模式：开始",
                "试算：修改得分或数据只用于计算，不写入文件，之后再决定应用或放弃",
                app.start_what_if,
            )
        else:
            yield "应用假设的修改", "把假设模式中的修改写入文件，结束假设模式", app.apply_what_if
            yield "放弃假设的修改", "恢复为进入假设模式前的样子，文件不改动", app.discard_what_if
        yield "重新载入", "从磁盘重新读取本年度的文件", app.action_reload
        yield "帮助：键盘操作", "列出所有按键", app.action_help
        yield "切换配色主题", "选择界面配色", app.action_change_theme
        yield "退出", "保存并退出 zzperf", app.action_quit


class ScoreCommands(CommandList):
    """Moving through the indicators."""

    RANK = 0.3

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        yield "下一项待处理", "跳到下一个待评、数据不足、缺理由或有问题的指标", partial(app.seek, "attention")
        yield "下一项未评分", "跳到下一个还没有得分的指标", partial(app.seek, "unscored")
        card = app.session.card
        for node in card.indicator_set.indicator:
            if node.is_leaf:
                result = card.results[node.id]
                help_text = f"{result.status.value} {fmt_score(result.final_score)}/{fmt_number(node.points)} 分"
            else:
                score = card.groups[node.id].shown_score
                help_text = (
                    f"{'一级' if node.level == 1 else '二级'}指标 {fmt_score(score)}/{fmt_number(node.points)} 分"
                )
            yield f"指标：{node.name}", help_text, partial(app.go_to_indicator, node.id)


class DataCommands(CommandList):
    """Opening a table, a figure or a finding."""

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        try:
            pane = app.data_pane
        except NoMatches:
            return  # not mounted yet (just after start)
        for index, sheet in enumerate(pane.sheets):
            yield f"表：{sheet.title}", "打开这张表", partial(app.go_to_sheet, index)
        for finding in app.session.checks.findings:
            yield (
                f"勾稽：{finding.row} · {rule_name(finding.code)}",
                finding.message,
                partial(app.go_to_finding, finding),
            )
        named = set(figure_paths.known_paths())  # FigureCommands names these
        for sheet in pane.sheets:
            for row in sheet.rows:
                for column, path in zip(sheet.columns, row.paths):
                    if path and not path.startswith("prev.") and path not in named:
                        code = f"{row.code} " if row.code else ""
                        yield f"数据：{code}{row.label}·{column}", sheet.title, partial(app.go_to_figure, path)


class FigureCommands(CommandList):
    """The year's figures by their names (“三公”经费预算数·合计 …), each opening its cell in the 数据 tab."""

    DISCOVER = 0
    RANK = 0.1

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        accounts = app.session.accounts
        sheet_list = editing.sheets(accounts)
        for path in figure_paths.known_paths():
            place = editing.locate(sheet_list, path)
            if place is None:
                continue
            value = figure_paths.value(path, accounts, None)
            shown = "未填" if value is None else fmt_money(value)
            table = sheet_list[place[0]].title.split()[0]
            yield (
                f"数据：{figure_paths.label(path, accounts)}（{table}）",
                f"{accounts.year} 年度：{shown}",
                partial(app.go_to_figure, path),
            )


class ReportCommands(CommandList):
    """Writing the report text."""

    RANK = 0.2

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        for key, title in REPORT_TEXTS.items():
            yield f"编辑报告：{title}", "报告文字，自动保存", partial(app.go_to_report, key)
        about = "报告开头的评价机构、日期、依据的通知和部门信息"
        yield f"编辑报告：{META_TITLE}", about, partial(app.go_to_report, "meta")


class ReportImportCommands(CommandList):
    """Previewing and exporting the report, importing 决算 tables."""

    RANK = 0.2

    def commands(self) -> Iterable[Command]:
        app = self.zzperf
        yield "预览报告", "以 Markdown 显示本年度的自评报告（Ctrl+E）", app.action_preview_report
        # each format's name after Chinese words: a space before a Latin one (“的 Word 报告”)
        # the command named as users know the format (“Word”, found by typing it), the file type beside it
        formats = [
            (fmt, f"{known}（{fmt}）", f" {name}" if name[0].isascii() else name) for fmt, known, name in EXPORT_FORMATS
        ]
        for fmt, title, name in formats:
            yield f"导出报告：{title}", f"写出本年度的{name}到年度目录", partial(export_report, app, fmt)  # type: ignore[arg-type]
        if app.session.review_mode:
            for fmt, title, name in formats:
                yield (
                    f"导出复核版报告：{title}",
                    f"写出并列自评与复核的{name}（复核版）到年度目录",
                    partial(export_report, app, fmt, review=True),  # type: ignore[arg-type]
                )
        yield (
            "导入决算表",
            "从决算 PDF、决算表文本或 Excel 导入本年度数据（先预览，确认后写入并备份）",
            app.action_import_tables,
        )
