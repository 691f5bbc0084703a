"""说明核对: the figures a narrative (决算说明, 绩效自评报告) states, checked against the year's tables.

The 说明 and the self-evaluation report are written by hand and often disagree with the tables they
describe (口径不一致, a standard audit finding). This module reads such a text sentence by sentence, finds
each amount (万元) and percentage, works out what it is from the words before it, and compares it with the
year's figures:

- an amount: “一般公共服务（类）支出 537.71 万元” against 公开05表 (577.72);
- a share: “基本支出 579.54 万元，占 93.5%” against 579.54 ÷ 619.54 (the whole named after 占, or else the
  figure the part belongs to);
- a ratio to the budget: “完成预算的 52.62%” against 4.21 ÷ 8.00 = 52.63% (四舍五入 at the text's decimals);
- a change: “与 2017 年的收入 591.15 万元相比增加 17.57 万元增长 2.9%” against the previous year;
- counts (编制, 在职, 接待批次, 车辆) as the importer reads them, and a year that is not the report's year.

A figure it cannot place is not guessed: it is counted as not checked. Comparisons use the tables'
figures, never the text's own, so one wrong amount does not hide a wrong share.

Codes: N-AMOUNT, N-SHARE, N-RATIO, N-CHANGE, N-COUNT, N-YEAR.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any

from zzperf import figure_paths
from zzperf.accounts import Accounts
from zzperf.amounts import UNITS, fmt_money, fmt_number, round_half_up, shorten
from zzperf.checks import SECTION_TABLES, BySeverity, Finding, Severity
from zzperf.errors import ZzperfError
from zzperf.evaluation import REPORT_SECTIONS, ReportText
from zzperf.importing.grid import Line, norm
from zzperf.importing.suggestions import Sentence, compact, extract, sentences
from zzperf.importing.text import decode, read_limited, text_lines

TABLE = "说明文本"
MAX_BYTES = 2 * 1024 * 1024
"""A 决算说明 or 自评报告 is well under 1 MB of text."""
MAX_FIGURES = 20_000
"""A real 说明 states a few hundred figures; far more means the file is something else (e.g. a data dump)."""
CHAIN_REACH = 500
"""How far before a figure (characters) a 类/款/项 chain naming it is looked for: a real chain is one clause."""


# ─── what a figure is ─────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Topic:
    """Something the text gives a figure for: its name, and where its actual and budget figures are."""

    name: str
    actual: str | None
    budget: str | None = None
    whole: str | None = None
    """The topic this one is a part of, for “占 x%” without a named whole (a 类 row: its table, ``….total``)."""

    @property
    def income(self) -> bool:
        return "收入" in self.name


_TOPICS: tuple[tuple[str, Topic], ...] = (
    # Most specific first: “公务用车运行维护费” before “公务用车”, “财政拨款收入” before “收入”.
    (
        r"公务用车购置及运行(?:维护)?费?|公务用车购置和运行(?:维护)?费?|公车购置和(?:运行)?维护费?|公务用车费",
        Topic("公务用车购置及运行费", "three_public.actual.vehicle", "three_public.budget.vehicle", "三公"),
    ),
    (
        r"公务用车运行(?:维护)?费?",
        Topic(
            "公务用车运行费", "three_public.actual.vehicle_operation", "three_public.budget.vehicle_operation", "三公"
        ),
    ),
    (
        r"公务用车购置费?",
        Topic("公务用车购置费", "three_public.actual.vehicle_purchase", "three_public.budget.vehicle_purchase", "三公"),
    ),
    (r"公务接待费?", Topic("公务接待费", "three_public.actual.reception", "three_public.budget.reception", "三公")),
    (
        r"因公出?国\(境\)费?|出国(?:\(境\))?(?:经)?费",
        Topic("因公出国（境）费", "three_public.actual.abroad", "three_public.budget.abroad", "三公"),
    ),
    (r"[\"“”‘’']?三公[\"“”‘’']?经费", Topic("三公", "three_public.actual.total", "three_public.budget.total")),
    (r"机关运行经费", Topic("机关运行经费", "operating_costs.actual", "operating_costs.budget")),
    (r"会议费", Topic("会议费", "general_spending.meeting")),
    (r"培训费", Topic("培训费", "general_spending.training")),
    (
        r"(?:政府采购)?货物(?:类)?(?:支出|采购(?:金额)?)",
        Topic("政府采购货物支出", "procurement.goods", None, "政府采购"),
    ),
    (
        r"(?:政府采购)?工程(?:类)?(?:支出|采购(?:金额)?)",
        Topic("政府采购工程支出", "procurement.works", None, "政府采购"),
    ),
    (
        r"(?:政府采购)?服务(?:类)?(?:支出|采购(?:金额)?)",
        Topic("政府采购服务支出", "procurement.services", None, "政府采购"),
    ),
    (r"授予中小企业合同(?:金额)?", Topic("授予中小企业合同金额", "procurement.sme", None, "政府采购")),
    (r"授予小微企业合同(?:金额)?", Topic("授予小微企业合同金额", "procurement.small_micro", None, "政府采购")),
    (r"政府采购(?:支出)?(?:总额|金额|合计)?", Topic("政府采购", "procurement.total", "procurement.budget")),
    (r"人员经费", Topic("人员经费", "basic_expenditure.personnel_total", None, "基本支出")),
    (r"公用经费", Topic("公用经费", "basic_expenditure.public_total", "budget.public_initial", "基本支出")),
    (r"基本支出", Topic("基本支出", "expenditure.total.basic", None, "支出")),
    (r"项目支出", Topic("项目支出", "expenditure.total.project", "budget.projects", "支出")),
    (r"经营支出", Topic("经营支出", "expenditure.total.operating", None, "支出")),
    (r"年初结转和结余", Topic("年初结转和结余", "overview.carryover_begin")),
    (r"年末结转和结余", Topic("年末结转和结余", "overview.carryover_end")),
    (r"财政拨款收入支出总计", Topic("财政拨款收入支出总计", "fiscal_overview.income_grand_total")),
    (r"收入支出总计", Topic("收入支出总计", "overview.income_grand_total")),
    (
        r"一般公共预算财政拨款支出",
        Topic("一般公共预算财政拨款支出", "general_budget_expenditure.total.total", "budget.initial"),
    ),
    (r"一般公共预算财政拨款收入", Topic("一般公共预算财政拨款收入", "income.general_budget", None, "收入")),
    (r"政府性基金预算财政拨款收入", Topic("政府性基金预算财政拨款收入", "income.gov_fund", None, "收入")),
    (r"财政(?:拨款|补助)收入", Topic("财政拨款收入", "fiscal_overview.income_total", None, "收入")),
    (r"事业收入", Topic("事业收入", "income_table.total.business", None, "收入")),
    (r"经营收入", Topic("经营收入", "income_table.total.operating", None, "收入")),
    (r"其他收入", Topic("其他收入", "income_table.total.other", None, "收入")),
    (r"财政拨款支出", Topic("财政拨款支出", "fiscal_overview.expenditure_total", "budget.initial")),
    (r"财政拨款收入总计", Topic("财政拨款收入总计", "fiscal_overview.income_grand_total")),
    (r"财政拨款支出总计", Topic("财政拨款支出总计", "fiscal_overview.expenditure_grand_total")),
    (r"收入总计", Topic("收入总计", "overview.income_grand_total")),
    (r"支出总计", Topic("支出总计", "overview.expenditure_grand_total")),
    (r"(?:本年|总|全年)?收入(?:合计|总额|执行数|决算数)?", Topic("收入", "overview.income_total")),
    (
        r"(?:本年|总|全年|整体)?支出(?:合计|总额|执行数|决算数)?",
        Topic("支出", "overview.expenditure_total", "budget.initial"),
    ),
)
_BY_NAME = {topic.name: topic for _, topic in _TOPICS}

_FUND_NAMES = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算")
_FILLER = re.compile(
    # the department's name
    r"[\u4e00-\u9fff]{2,30}?(?:局|委员会|委|办公室|办|中心|院|所|站|厅|馆|队|处|部)(?=\d{4}年)|"
    r"\d{4}年(?:度)?(?:末)?|年度|本年(?:度)?|全年|上年|本单位|本部门|我中心|实际|其中|共计|合计|共|主要用于以下方面|"
    r"与|相比|比|较|同|"
    r"支出决算(?:数)?|决算(?:数)?|年初预算(?:数)?|调整(?:后)?预算(?:数)?|全年预算(?:数)?|预算(?:数)?|执行数|金额|"
    r"以合同签订为准|为|是|达|的|[()①-⑩\d.、:,;\"“”‘’']"
)
_CHANGE_WORDS = {
    "增加": 1,
    "增长": 1,
    "超支": 1,
    "上升": 1,
    "增幅": 1,
    "增长率": 1,
    "减少": -1,
    "下降": -1,
    "节约": -1,
    "降低": -1,
    "降幅": -1,
    "下降率": -1,
}
_CHANGE_AT_END = re.compile(r"(增长率|下降率|增幅|降幅|增加|增长|超支|上升|减少|下降|节约|降低)(?:了|为|达)?$")
_RATIO = re.compile(
    r"完成(?:年初|全年|调整后?)?预算(?:数)?的?|为(?:年初|全年|调整后?)?预算(?:数)?的|预算执行率(?:为|达)?|执行率(?:为|达)?"
)
_COMPARE_YEAR = re.compile(r"(?:与|比|较|同)(\d{4})年")
_COMPARE_PREVIOUS = re.compile(r"(?:与|比|较)(?:上年|上一年|去年)|同比")
_COMPARE_BUDGET = re.compile(r"(?:与|比|较)(?:年初|调整后?|全年)?预算")
_SPENDING_ONLY = re.compile(
    r"^(?:其中)?(?:\d{4}年度?)?(?:全年|年度|本年度)?(?:实际)?支出(?:决算数?|预算数?)?(?:为|是|达)?$"
)
"""“支出”, “全年实际支出”, “支出决算为”: the spending of what the sentence is about, not 本年支出合计."""
_MENTION = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(万元|亿元|元|%)")
_BOUNDARY = re.compile(r"[,;:。!?、]")
_NUMERAL = "[一二三四五六七八九十]{1,3}"
_ENUMERATION = re.compile(
    rf"^(?:{_NUMERAL}是|其{_NUMERAL}(?:是|,)?|\({_NUMERAL}\)|{_NUMERAL}[.、]|\(\d{{1,2}}\)|\d{{1,2}}[.、)](?!\d))"
)
"""The lead-in of an enumerated point (folded text): 一是, 其二, (三), 四., (1), 1., 2). It names nothing: the subject
after it is what the figure is. (① folds to a digit, which ``_strip`` drops like any other.)"""


# ─── the report ───────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class NarrativeReport(BySeverity):
    """What checking one text found: findings, how many figures were compared, and those not placed."""

    source: str
    findings: tuple[Finding, ...]
    checked: int
    unplaced: tuple[str, ...]


def read_text(path: Path) -> str:
    """The prose of a .txt/.md file or a Word .docx (its paragraphs), with a clear error otherwise."""
    return read_source(path)[0]


def read_source(path: Path) -> tuple[str, bool]:
    """``read_text``, and whether the file was a Word .docx (each line of the text is then a paragraph)."""
    usage = "请给出决算说明或自评报告的 .txt、.md 或 .docx 文件"
    data = read_limited(path, MAX_BYTES, what="文件", usage=usage, too_big="说明和报告的文字通常不到 1 MB")
    if data[:4] == b"PK\x03\x04":
        return _docx_text(data, path), True
    if data[:5] == b"%PDF-":
        raise ZzperfError("不能直接读取 PDF", file=path, hint="请把说明的文字复制粘贴到 .txt 文件，或另存为 .docx")
    try:
        text = decode(data, path)
    except ZzperfError as error:
        raise ZzperfError(error.message, file=path, hint="请给出 .txt、.md 或 .docx 格式的说明或报告文字") from None
    _check_figures(text, path)
    return text, False


def _check_figures(text: str, path: Path) -> None:
    """Refuse a text with more figures than any 说明 states, before the (per-figure) reading starts."""
    figures = sum(1 for _ in _MENTION.finditer(compact(text)))
    if figures > MAX_FIGURES:
        raise ZzperfError(
            f"文中金额和百分比太多（{figures} 个），上限为 {MAX_FIGURES} 个",
            file=path,
            hint="说明核对只读决算说明或自评报告的文字（通常只有几百个数字）；请只给出说明部分",
        )


def _docx_text(data: bytes, path: Path) -> str:
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - python-docx raises several kinds for a damaged package or another Office file
        kind = "Excel 文件" if path.suffix.lower() == ".xlsx" else "可读的 Word（.docx）文件"
        raise ZzperfError(
            f"不是{kind}", file=path, hint="说明核对读 .txt、.md 或 Word .docx；请把说明另存为其中一种"
        ) from None
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    _check_figures(text, path)
    return text


def audit(
    text: str,
    accounts: Accounts,
    previous: Accounts | None,
    source: str = TABLE,
    pages: Sequence[int] | None = None,
    paragraphs: bool = False,
) -> NarrativeReport:
    """Every figure of ``text`` that can be placed, compared with ``accounts`` (and ``previous``).

    Findings name the line of a text file (第 N 行). ``paragraphs``: each line of ``text`` is a paragraph, as in a
    Word file or the report's own text, and findings name the paragraph (第 N 段, blank lines not counted).
    ``pages`` gives the page of each line of a text read from a PDF: findings then name the page.
    """
    prose = _prose(text)
    lines = text_lines(prose)
    reader = _Reader(accounts, previous, source, [compact(line) for line in prose.splitlines()])
    reader.pages = list(pages) if pages is not None else None
    if paragraphs:
        counted = 0
        reader.paragraphs = [counted := counted + 1 if line else counted for line in reader.lines]
    for sentence in sentences(lines):
        reader.read(sentence)
    _counts(lines, accounts, previous, reader)
    return NarrativeReport(source, tuple(reader.findings), reader.checked, tuple(reader.unplaced))


def audit_report_text(report: ReportText, accounts: Accounts, previous: Accounts | None) -> list[Finding]:
    """The evaluator's own report text (主要成绩, 存在的问题 …) checked section by section, as it goes out."""
    found: list[Finding] = []
    for key, title in REPORT_SECTIONS.items():
        found.extend(audit(getattr(report, key), accounts, previous, source=title, paragraphs=True).findings)
    return found


def _prose(text: str) -> str:
    """Markdown as plain prose: heading and list marks and emphasis dropped, table rows blanked (line numbers kept)."""
    kept = []
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped.startswith("|"):
            kept.append("")
            continue
        stripped = re.sub(r"^(?:#{1,6}|[-*+]|>)\s+", "", stripped)
        kept.append(re.sub(r"\*\*|__", "", stripped))
    return "\n".join(kept)


# ─── reading sentences ────────────────────────────────────────────────────────


@dataclass
class _Mention:
    """A figure as the text writes it: “537.71万元” is 537.71 in 万元 with 2 decimals."""

    number: Decimal
    places: int
    unit: str
    text: str
    subject: str
    """The words before it in its clause (after the previous figure): what it is."""
    span: str
    """Everything since the previous figure: where a comparison (“与 2017 年相比”) may be named."""
    tail: str
    """The words after it up to the next comma: “其中 579.54 万元用于基本支出”."""
    start: int

    @property
    def value(self) -> Decimal:
        """In 万元 (amounts) or in percent."""
        return self.number * UNITS[self.unit] if self.unit != "%" else self.number

    @property
    def shown(self) -> str:
        return f"{self.number}%" if self.unit == "%" else f"{self.number} {self.unit}"

    def agrees(self, figure: Decimal, sign: int = 1) -> bool:
        """``figure`` (万元) is what the text says, written with the text's unit and decimals (20.1 for 20.10).

        In 元 the text is finer than the 万元 table: it agrees when it rounds to the table's cents.
        """
        if round_half_up(figure / UNITS[self.unit], self.places) == self.number * sign:
            return True
        return self.unit == "元" and round_half_up(self.value * sign, 2) == round_half_up(figure, 2)


@dataclass
class _State:
    """What the sentence is about so far."""

    topic: Topic | None = None
    budget: bool = False
    base: str = "previous"
    """What a following 增加/减少 compares with: ``previous`` (year), ``budget``, or ``other`` (another year)."""
    respectively: bool = False
    """“分别为 …”: the figures that follow belong to several things in turn; they are not placed."""
    stated: dict[str, Decimal] = field(default_factory=dict)
    """Amounts the sentence states, by figure path (``prev.`` for the previous year's): its own arithmetic."""
    changes: dict[str, Decimal] = field(default_factory=dict)
    """Year-on-year changes the sentence states (signed, 万元), by the path of the figure that changed."""


_ROW_COLUMN = re.compile(r"[)）]\s*(基本支出|项目支出)\s*$")
"""A 功能分类 row named with its code, then the column: “行政运行（2010301）基本支出”."""
_COLUMNS = {"基本支出": "basic", "项目支出": "project"}


@dataclass
class _Reader:
    accounts: Accounts
    previous: Accounts | None
    source: str
    lines: list[str]
    """Each line of the text as sentences are matched (NFKC, no spaces), to say on which line a figure is."""
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    unplaced: list[str] = field(default_factory=list)
    carried: Topic | None = None
    """A 功能分类 row named by a sentence without figures (“1.一般公共服务（类）…行政运行（项）。”) for the next one."""
    wrong: dict[str, Decimal] = field(default_factory=dict)
    """Amounts of the current sentence that disagree with the tables, by path: a share of one is explained."""
    shares: dict[str, list[tuple[_Mention, Finding | None]]] = field(default_factory=dict)
    """The current sentence's shares by their whole, judged together at its end (see ``_settle_shares``)."""
    pending: list[tuple[int, Finding]] = field(default_factory=list)
    """The current sentence's findings with their place, reported in the order of the text."""
    rows: dict[str, list[tuple[Any, Topic]]] = field(default_factory=dict)
    """科目 rows that can be named, with their topics, by table: built on first use."""
    placed: dict[Sentence, tuple[int, list[int]]] = field(default_factory=dict)
    """Where each sentence starts in its first line and where its lines end, for ``_line_of``."""
    pages: list[int] | None = None
    """The page of each line, for a text read from a PDF."""
    paragraphs: list[int] | None = None
    """The paragraph (from 1, blank lines not counted) of each line, for a text whose lines are paragraphs."""
    named: dict[tuple[str, str], tuple[int, Topic] | None] = field(default_factory=dict)
    """What ``_row`` found for a subject in a table: (subject, section) → rank and topic."""

    def read(self, sentence: Sentence) -> None:
        compact = sentence.compact
        self.wrong, self.shares, self.pending = {}, {}, []
        state = _State(topic=self.carried)
        self.carried = None
        ends = [match.end() for match in _BOUNDARY.finditer(compact)]
        position = 0
        mentions = 0
        for match in _MENTION.finditer(compact):
            mentions += 1
            mention = self._mention(match, sentence, ends, position)
            position = match.end()
            if mention is None:
                continue
            if "分别" in mention.span:
                state.respectively = True
            if state.respectively:
                self._skip(sentence, mention)
                continue
            self._comparison(mention.span, state)
            if mention.unit == "%":
                self._percent(mention, state, sentence)
            else:
                self._amount(mention, state, sentence)
        if not mentions:
            self.carried = self._chain(compact, sentence, 0)
        self._settle_shares()
        self.findings.extend(finding for _, finding in sorted(self.pending, key=lambda pair: pair[0]))

    def _mention(self, match: re.Match[str], sentence: Sentence, ends: list[int], position: int) -> _Mention | None:
        compact = sentence.compact
        number = match.group(1).replace(",", "")
        clause = _last_before(ends, match.start())
        subject = compact[max(clause, position) : match.start()]
        if not subject and clause > max(position, 1) and compact[clause - 1] == ":":
            # “本年收入合计：608.72 万元”: the name is before the colon.
            subject = compact[max(_last_before(ends, clause - 1), position) : clause - 1]
        subject = _ENUMERATION.sub("", subject, count=1)  # “二是“三公”经费支出合计 4.22 万元”: the 三公 total
        after = bisect_right(ends, match.end())
        following = ends[after] if after < len(ends) else len(compact) + 1
        tail = compact[match.end() : following - 1]
        if len(number.replace(".", "")) > 15:
            self.unplaced.append(f"{self._line_of(sentence, match.start())}：{shorten(match.group(0), 40)}（数字过长）")
            return None
        places = len(number.split(".")[1]) if "." in number else 0
        return _Mention(
            Decimal(number),
            places,
            match.group(2),
            match.group(0),
            subject,
            compact[position : match.start()],
            tail,
            match.start(),
        )

    def _comparison(self, span: str, state: _State) -> None:
        """What a 增加/减少 is against, when the text names it: “与 2017 年相比”, “比上年”, “比年初预算”."""
        span = _FUND_NAMES.sub("", span)
        if match := _COMPARE_YEAR.search(span):
            state.base = "previous" if int(match[1]) == self.accounts.year - 1 else "other"
        elif _COMPARE_PREVIOUS.search(span):
            state.base = "previous"
        elif _COMPARE_BUDGET.search(span):
            state.base = "budget"

    def _settle_shares(self) -> None:
        """Shares of one whole that add up to exactly 100% may each be one unit off 四舍五入 (largest remainder).

        “93.25%、3.24%、3.51%” instead of 93.25、3.24、3.52: rounded so that the breakdown adds up. Such a group is
        right; any other share that is not its 四舍五入 value is reported.
        """
        for group in self.shares.values():
            stated = sum((mention.value for mention, _ in group), Decimal(0))
            near = all(
                finding is None or abs(finding.right - mention.value) <= Decimal(1).scaleb(-mention.places)  # type: ignore[operator]
                for mention, finding in group
            )
            if len(group) > 1 and stated == 100 and near:
                continue
            self.pending.extend((mention.start, finding) for mention, finding in group if finding is not None)

    # ─── what a figure is ───

    def _topic_of(self, subject: str, mention: _Mention, state: _State, sentence: Sentence) -> Topic | None:
        """The topic ``subject`` names; the sentence's current one when it names nothing of its own; else None."""
        rest = _strip(subject)
        current = self._inherited(state, mention)
        spending = _SPENDING_ONLY.match(re.sub(r"[,;:()]", "", subject))
        if not rest or (spending and current is not None and not current.income):
            if current is None:
                # “…一般行政管理事务（项）：年初预算为 40 万元”: the row was named before the colon; else not guessed
                return self._chain(
                    sentence.compact[max(0, mention.start - CHAIN_REACH) : mention.start], sentence, mention.start
                )
            after = re.match(r"(?:主要)?(?:用于|为|是|系|作为)(.+)", mention.tail)
            if after:  # “其中 579.54 万元用于基本支出”: the name comes after the figure
                return self._resolve(after[1], mention, sentence)
            return current
        return self._resolve(subject, mention, sentence)

    @staticmethod
    def _inherited(state: _State, mention: _Mention) -> Topic | None:
        """The sentence's current topic, unless something else was named since (“办理事项 54875 件，增长 12%”)."""
        return state.topic if _continues(mention) else None

    def _resolve(self, subject: str, mention: _Mention, sentence: Sentence) -> Topic | None:
        """The topic a subject names, or None when it names something else or nothing known."""
        cleaned = subject.replace("（", "(").replace("）", ")")
        if re.search(r"\((?:类|款|项)\)", cleaned):
            return self._chain(cleaned, sentence, mention.start)
        function = self._named_row(cleaned, self._lines(sentence, mention.start)[0])
        economic = self._named_row(cleaned, "basic_expenditure")
        if function is not None and (economic is None or function[0] >= economic[0]):
            return function[1]  # 功能分类 rows first: “一般公共服务支出”, “行政运行”
        for pattern, topic in _TOPICS:
            match = re.search(pattern, cleaned)
            if match:
                rest = _strip(cleaned[: match.start()] + cleaned[match.end() :])
                return topic if not rest or _only_words(rest) else None
        return economic[1] if economic is not None else None  # then 经济分类 款: “基本工资”

    def _lines(self, sentence: Sentence, start: int) -> tuple[str, list[Any]]:
        """The 功能分类 table the text is about: 公开05表 under “财政拨款” (before the figure or in the heading)."""
        financial = _says_financial(sentence, start)
        section = "general_budget_expenditure" if financial else "expenditure"
        lines = getattr(self.accounts, section).lines
        if not lines:
            section = "expenditure" if financial else "general_budget_expenditure"
            lines = getattr(self.accounts, section).lines
        return section, lines

    def _row_topic(self, section: str, line: Any) -> Topic:
        code = line.code
        budgeted = {budget.code for budget in self.accounts.budget.by_function}
        budget = f"budget.by_function[{code}].initial" if code in budgeted else None
        # A 类 row's share is of 本年支出合计 (公开03表, as our report writes it) or of 公开05表's 合计.
        whole = ("支出" if section == "expenditure" else f"{section}.total") if len(code) == 3 else None
        return Topic(line.name, f"{section}.lines[{code}].total", budget, whole)

    def _candidates(self, section: str) -> list[tuple[Any, Topic]]:
        """The rows of a 功能分类 table, or of 公开06表 (``basic_expenditure``), with their topics."""
        if section not in self.rows:  # the accounts do not change while a text is read: built once per table
            if section == "basic_expenditure":
                self.rows[section] = [
                    (
                        line,
                        Topic(
                            line.name,
                            f"basic_expenditure.lines[{line.code}].amount",
                            None,
                            "人员经费" if line.code[:3] in ("301", "303") else "公用经费",
                        ),
                    )
                    for line in self.accounts.basic_expenditure.lines
                ]
            else:
                lines = getattr(self.accounts, section).lines
                self.rows[section] = [(line, self._row_topic(section, line)) for line in lines]
        return self.rows[section]

    def _named_row(self, subject: str, section: str) -> tuple[int, Topic] | None:
        """``_row`` in one table, once per subject: a text names the same rows again and again."""
        key = (subject, section)
        if key not in self.named:
            self.named[key] = self._row(subject, self._candidates(section))
        return self.named[key]

    @staticmethod
    def _row(subject: str, candidates: list[tuple[Any, Topic]]) -> tuple[int, Topic] | None:
        """The row named in the subject with nothing else around it, ranked: 3 whole name, 2 without 支出, 1 close.

        “一般行政管理事物” (a typo) is close to 一般行政管理事务; “保障机关日常行政运行的公用经费” names no row.
        """
        core = re.sub(r"\((?:类|款|项)\)", "", subject)
        best: tuple[int, int, Topic] | None = None
        for line, topic in candidates:
            name = _name(line.name)
            for rank, said in ((3, name), (2, name.removesuffix("支出"))):
                if len(said) < 2 or said not in core:
                    continue
                at = core.index(said)
                rest = _strip(core[:at] + core[at + len(said) :])
                if rest and not _only_words(rest):
                    continue
                if best is None or (rank, len(said)) > best[:2]:
                    best = (rank, len(said), topic)
                break
        if best is None:
            said = _strip(core).removesuffix("支出")
            close = _closest(said, [line for line, _ in candidates]) if len(said) >= 4 else None
            if close is not None:
                return 1, next(topic for line, topic in candidates if line is close)
            return None
        return best[0], best[2]

    def _chain(self, text: str, sentence: Sentence, start: int) -> Topic | None:
        """The deepest row of a 类/款/项 chain: “一般公共服务（类）…事务（款）行政运行（项）” → 2010301."""
        cleaned = text.replace("（", "(").replace("）", ")")
        parts = re.split(r"\((类|款|项)\)", cleaned)
        if len(parts) < 3:
            return None
        section, lines = self._lines(sentence, start)
        found: Any = None
        for index in range(0, len(parts) - 1, 2):
            said = norm(re.sub(r"^[\d.、]+|^其中", "", _ENUMERATION.sub("", parts[index], count=1)))
            length = {"类": 3, "款": 5, "项": 7}[parts[index + 1]]
            options = [
                line
                for line in lines
                if len(line.code) == length and (found is None or line.code.startswith(found.code))
            ]
            match = _closest(said, options)
            if match is None:
                return None
            found = match
        after = _strip(parts[-1]).strip("。!?")
        if after and not _only_words(after):
            return None
        return self._row_topic(section, found) if found is not None else None

    # ─── amounts ───

    def _amount(self, mention: _Mention, state: _State, sentence: Sentence) -> None:
        subject = mention.subject
        change = _CHANGE_AT_END.search(subject)
        if change:
            topic = self._changed(change, mention, state, sentence)
            if topic is not None:
                self._change_amount(mention, topic, state, change.group(1), sentence)
            return
        when = self._when(subject)
        topic = self._topic_of(subject, mention, state, sentence)
        if topic is None or when == "other":
            state.topic = None if topic is None else state.topic
            self._skip(sentence, mention)
            return
        if (
            topic.name in ("基本支出", "项目支出")
            and state.topic is not None
            and state.topic.whole
            and "其中" in subject
        ):
            column = "basic" if topic.name == "基本支出" else "project"
            row = state.topic.actual.rsplit(".", 1)[0] if state.topic.actual else ""
            if row.endswith("]"):  # “一般公共服务支出 577.72 万元，其中基本支出 537.72 万元”: that row's column
                topic = Topic(f"{state.topic.name}·{topic.name}", f"{row}.{column}")
        if topic.actual is not None and topic.actual.endswith("].total"):
            column = _ROW_COLUMN.search(subject)  # “一般行政管理事务（2010302）项目支出 40.00 万元”: that column
            if column is not None:
                row = topic.actual.removesuffix(".total")
                topic = Topic(f"{topic.name}·{column.group(1)}", f"{row}.{_COLUMNS[column.group(1)]}")
        if _names_kind(subject):
            budget = _says_budget(subject)
        else:
            budget = state.budget and "支出" not in subject
        state.topic, state.budget = topic, budget
        path = self._budget_path(topic, subject) if budget else topic.actual
        if path is None:
            self._skip(sentence, mention)
            return
        path = self._financial(path, sentence, mention.start)
        if when == "previous":
            state.base = "previous"
            path = figure_paths.PREVIOUS + path
        state.stated[path] = mention.value
        self._compare_amount(mention, path, sentence)

    def _when(self, subject: str) -> str:
        """Which year the subject names last: ``current``, ``previous`` or ``other``."""
        said = [(match.start(), int(match[1])) for match in re.finditer(r"(\d{4})年", subject)]
        said += [(match.start(), self.accounts.year - 1) for match in re.finditer(r"上年|上一年|去年", subject)]
        if not said:
            return "current"
        year = max(said)[1]
        return "current" if year == self.accounts.year else "previous" if year == self.accounts.year - 1 else "other"

    def _budget_path(self, topic: Topic, text: str) -> str | None:
        """The budget figure the text means: 年初 or 调整/全年; None when it does not say and the two differ."""
        path = topic.budget
        if path is None or not path.endswith(".initial"):
            return path
        adjusted = path.removesuffix(".initial") + ".adjusted"
        if re.search(r"调整|全年预算", text):
            return adjusted
        if "年初" in text:
            return path
        initial_value, adjusted_value = self._value(path), self._value(adjusted)
        return path if adjusted_value is None or adjusted_value == initial_value else None

    def _compare_amount(self, mention: _Mention, path: str, sentence: Sentence) -> None:
        actual = self._value(path)
        if actual is None:
            self._skip(sentence, mention, "（表中无此数）")
            return
        self.checked += 1
        if mention.agrees(actual):
            return
        self.wrong[path] = mention.value
        difference = abs(mention.value - actual)
        severity: Severity = "warning" if difference <= Decimal("0.01") else "error"
        self._add(
            "N-AMOUNT",
            severity,
            sentence,
            mention,
            f"文中写 {mention.shown}，{self._label(path)}为"
            f" {fmt_money(actual)} 万元（相差 {fmt_money(difference)} 万元）",
            mention.value,
            actual,
            path,
        )

    def _change_amount(self, mention: _Mention, topic: Topic, state: _State, word: str, sentence: Sentence) -> None:
        pair = self._pair(topic, state, mention, sentence)
        if pair is None:
            self._own_change_amount(mention, topic, state, word, sentence)
            return
        now, base, base_label, path = pair
        self.checked += 1
        sign = _CHANGE_WORDS[word]
        delta = now - base
        if mention.agrees(delta, sign):
            return
        right = "增加" if delta > 0 else "减少" if delta < 0 else "持平"
        severity: Severity = "warning" if abs(mention.value * sign - delta) <= Decimal("0.01") else "error"
        self._add(
            "N-CHANGE",
            severity,
            sentence,
            mention,
            f"文中写{word} {mention.shown}；按表中数 {fmt_money(now)} − {base_label} {fmt_money(base)} "
            f"= {fmt_money(delta)}，应为{right} {fmt_money(abs(delta))} 万元",
            mention.value * sign,
            delta,
            path,
        )

    # ─── percentages ───

    def _percent(self, mention: _Mention, state: _State, sentence: Sentence) -> None:
        subject = mention.subject
        unfunded = _FUND_NAMES.sub("", subject)
        if "占" in subject:
            before, after = subject.split("占", 1)
            topic = (
                self._topic_of(before, mention, state, sentence) if _strip(before) else self._inherited(state, mention)
            )
            if topic is None:
                self._skip(sentence, mention)
                return
            state.topic = topic
            if "预算" in _FUND_NAMES.sub("", after):
                self._ratio(mention, topic, after, sentence)
            else:
                self._share(mention, topic, after, state, sentence)
            return
        ratio = _RATIO.search(unfunded)
        if ratio:
            named = unfunded[: ratio.start()]
            topic = self._inherited(state, mention) if not _strip(named) else self._resolve(named, mention, sentence)
            if topic is None:
                self._skip(sentence, mention)
                return
            state.topic = topic
            self._ratio(mention, topic, subject, sentence)
            return
        change = _CHANGE_AT_END.search(subject)
        if change:
            topic = self._changed(change, mention, state, sentence)
            if topic is not None:
                self._change_rate(mention, topic, state, change.group(1), sentence)
            return
        self._skip(sentence, mention)

    def _changed(self, change: re.Match[str], mention: _Mention, state: _State, sentence: Sentence) -> Topic | None:
        """What a 增加/减少 (amount or rate) is of, and against what; None (skipped) when that is not clear."""
        named = mention.subject[: change.start()]
        topic = self._inherited(state, mention) if not _strip(named) else self._resolve(named, mention, sentence)
        if change.group(1) in ("超支", "节约") or "预算" in _FUND_NAMES.sub("", named):
            state.base = "budget"  # 节约/超支 are always against the budget
        if topic is None:
            self._skip(sentence, mention)
            return None
        state.topic = topic
        return topic

    def _share(self, mention: _Mention, topic: Topic, whole_text: str, state: _State, sentence: Sentence) -> None:
        whole_text = re.sub(r"的?(?:比重|比例)?$", "", whole_text.removesuffix("比")).removesuffix("的")
        if whole_text:
            whole = self._resolve(whole_text, mention, sentence)
        elif topic.whole is not None and topic.whole.endswith(".total"):
            whole = Topic("合计", f"{topic.whole}.total")  # a 类 row: of its table's 合计
        else:
            whole = _BY_NAME.get(topic.whole or "")
        budget = state.budget and topic.budget is not None and "决算" not in whole_text
        part_path = self._budget_path(topic, mention.span) if budget else topic.actual
        whole_path = None if whole is None else self._budget_path(whole, mention.span) if budget else whole.actual
        if part_path is None or whole is None or whole_path is None:
            self._skip(sentence, mention)
            return
        part_path = self._financial(part_path, sentence, mention.start)
        whole_path = self._financial(whole_path, sentence, mention.start)
        part, total = self._value(part_path), self._value(whole_path)
        if part is None or total is None or total == 0:
            self._skip(sentence, mention, "（表中无此数）")
            return
        finding = self._compare_rate(
            "N-SHARE",
            mention,
            part / total * 100,
            f"{self._label(part_path)} {fmt_money(part)} ÷ {self._label(whole_path)} {fmt_money(total)}",
            part_path,
            sentence,
            self._explained(part_path, total, mention),
            report=False,
        )
        self.shares.setdefault(whole_path, []).append((mention, finding))

    def _ratio(self, mention: _Mention, topic: Topic, text: str, sentence: Sentence) -> None:
        budget_path = self._budget_path(topic, text)
        if topic.actual is None or budget_path is None:
            self._skip(sentence, mention)
            return
        actual_path = self._financial(topic.actual, sentence, mention.start)
        actual, budget = self._value(actual_path), self._value(budget_path)
        if actual is None or budget is None or budget == 0:
            self._skip(sentence, mention, "（表中无此数）")
            return
        self._compare_rate(
            "N-RATIO",
            mention,
            actual / budget * 100,
            f"{self._label(actual_path)} {fmt_money(actual)} ÷ {self._label(budget_path)} {fmt_money(budget)}",
            actual_path,
            sentence,
            self._explained(actual_path, budget, mention),
        )

    def _explained(self, path: str, whole: Decimal, mention: _Mention) -> str:
        """“按文中所写 537.71 计算为 86.8%，错在金额” when the rate follows from a wrong amount just before."""
        wrong = self.wrong.get(path)
        if wrong is None or round_half_up(wrong / whole * 100, mention.places) != mention.value:
            return ""
        return f"；按文中所写 {fmt_money(wrong)} 计算则为 {mention.shown}，错在金额"

    def _change_rate(self, mention: _Mention, topic: Topic, state: _State, word: str, sentence: Sentence) -> None:
        pair = self._pair(topic, state, mention, sentence)
        if pair is None:
            pair = self._own_pair(topic, state, mention, sentence)
        if pair is None or pair[1] == 0:
            self._skip(sentence, mention)
            return
        now, base, base_label, path = pair
        rate = (now - base) / base * 100
        formula = f"（{fmt_money(now)} − {fmt_money(base)}）÷ {base_label} {fmt_money(base)}"
        sign = _CHANGE_WORDS[word]
        if (rate > 0 and sign < 0) or (rate < 0 and sign > 0):
            self.checked += 1
            self._add(
                "N-CHANGE",
                "error",
                sentence,
                mention,
                f"文中写{word} {mention.shown}；按表中数 {formula} ="
                f" {round_half_up(rate, 2)}%，实为{'增长' if rate > 0 else '下降'}",
                mention.value * sign,
                rate,
                path,
            )
            return
        self._compare_rate("N-CHANGE", mention, abs(rate), formula, path, sentence)

    def _compare_rate(
        self,
        code: str,
        mention: _Mention,
        rate: Decimal,
        formula: str,
        path: str,
        sentence: Sentence,
        note: str = "",
        report: bool = True,
    ) -> Finding | None:
        """The finding when ``mention`` is not ``rate`` 四舍五入 to its decimals; added unless ``report`` is False."""
        self.checked += 1
        expected = round_half_up(rate, mention.places)
        if expected == mention.value:
            return None
        truncated = rate.quantize(Decimal(1).scaleb(-mention.places), rounding=ROUND_DOWN)
        exact = f"{round_half_up(rate, max(mention.places, 2) + 2)}".rstrip("0").rstrip(".")
        message = f"文中写 {mention.shown}；按表中数 {formula} = {exact}%，四舍五入应为 {expected}%{note}"
        last_digit = Decimal(1).scaleb(-mention.places)
        if truncated == mention.value:
            message += "（疑似直接截去尾数）"
            severity: Severity = "warning"
        elif abs(expected - mention.value) <= last_digit:
            severity = "warning"
        else:
            severity = "error"
        return self._add(code, severity, sentence, mention, message, mention.value, expected, path, report)

    # ─── figures ───

    def _pair(
        self, topic: Topic, state: _State, mention: _Mention, sentence: Sentence
    ) -> tuple[Decimal, Decimal, str, str] | None:
        """(this year's figure, what it is compared with, that figure's label, path) for a 增加/减少."""
        if topic.actual is None or state.base == "other":
            return None
        path = self._financial(topic.actual, sentence, mention.start)
        now = self._value(path)
        if state.base == "budget":
            budget_path = self._budget_path(topic, mention.span)
            if budget_path is None:
                return None
            base, label = self._value(budget_path), self._label(budget_path)
        else:
            base, label = self._value(figure_paths.PREVIOUS + path), "上年"
        if now is None or base is None:
            return None
        return now, base, label, path

    def _own_change_amount(self, mention: _Mention, topic: Topic, state: _State, word: str, sentence: Sentence) -> None:
        """A year-on-year change with no previous year's figures: checked against the sentence's own two years."""
        if topic.actual is None or state.base != "previous":
            self._skip(sentence, mention)
            return
        path = self._financial(topic.actual, sentence, mention.start)
        sign = _CHANGE_WORDS[word]
        state.changes[path] = mention.value * sign
        now, base = state.stated.get(path), state.stated.get(figure_paths.PREVIOUS + path)
        if now is None or base is None:
            self._skip(sentence, mention)
            return
        self.checked += 1
        delta = now - base
        if mention.agrees(delta, sign):
            return
        right = "增加" if delta > 0 else "减少" if delta < 0 else "持平"
        self._add(
            "N-CHANGE",
            "error",
            sentence,
            mention,
            f"文中写{word} {mention.shown}；按文中两年的数 {fmt_money(now)} − {fmt_money(base)} = {fmt_money(delta)}，"
            f"应为{right} {fmt_money(abs(delta))} 万元",
            mention.value * sign,
            delta,
            path,
        )

    def _own_pair(
        self, topic: Topic, state: _State, mention: _Mention, sentence: Sentence
    ) -> tuple[Decimal, Decimal, str, str] | None:
        """A year-on-year rate's two figures when there are no previous year's figures in the workspace.

        This year's as the sentence states it (else the table's); the previous year's as the sentence states
        it, or as this year's less the change the sentence states.
        """
        if topic.actual is None or state.base != "previous":
            return None
        path = self._financial(topic.actual, sentence, mention.start)
        now = state.stated.get(path, self._value(path))
        if now is None:
            return None
        if (base := state.stated.get(figure_paths.PREVIOUS + path)) is not None:
            return now, base, "文中上年数", path
        if path in state.changes:
            return now, now - state.changes[path], "文中增减额推得的上年数", path
        return None

    def _financial(self, path: str, sentence: Sentence, start: int) -> str:
        """Under “财政拨款” (before the figure, or in the heading) 基本支出 and 项目支出 are 公开05表's columns."""
        financial = _says_financial(sentence, start)
        if financial and path in ("expenditure.total.basic", "expenditure.total.project"):
            return path.replace("expenditure.", "general_budget_expenditure.", 1)
        return path

    def _value(self, path: str) -> Decimal | None:
        if match := re.fullmatch(r"budget\.by_function\[(\d+)\]\.(initial|adjusted)", path):
            line = next((line for line in self.accounts.budget.by_function if line.code == match[1]), None)
            return getattr(line, match[2]) if line is not None else None
        if match := re.fullmatch(r"(prev\.)?(\w+)\.lines\[(\d+)\]\.(\w+)", path):
            source = self.previous if match[1] else self.accounts
            if source is None:
                return None
            line = next((line for line in getattr(source, match[2]).lines if line.code == match[3]), None)
            return getattr(line, match[4]) if line is not None else None
        return figure_paths.value(path, self.accounts, self.previous)

    def _label(self, path: str) -> str:
        previous = path.startswith(figure_paths.PREVIOUS)
        own = path.removeprefix(figure_paths.PREVIOUS)
        source = (self.previous if previous else None) or self.accounts
        if match := re.fullmatch(r"(\w+)\.lines\[(\d+)\]\.(\w+)", own):
            line = next((line for line in getattr(source, match[1]).lines if line.code == match[2]), None)
            text = f"{SECTION_TABLES[match[1]].split()[0]} {match[2]} {line.name if line else ''}".strip()
        elif match := re.fullmatch(r"budget\.by_function\[(\d+)\]\.(initial|adjusted)", own):
            line = next((line for line in source.budget.by_function if line.code == match[1]), None)
            which = "年初预算" if match[2] == "initial" else "调整预算"
            text = f"{match[1]} {line.name if line else ''} {which}".strip()
        else:
            text = figure_paths.label(own)
        return f"上年{text}" if previous else text

    def _skip(self, sentence: Sentence, mention: _Mention, why: str = "") -> None:
        self.unplaced.append(f"{self._line_of(sentence, mention.start)}：{mention.subject}{mention.text}{why}")

    def _line_of(self, sentence: Sentence, offset: int) -> str:
        """“第 N 行” of the figure at ``offset`` in the sentence (a sentence may run over several lines)."""
        found = re.search(r"\d+", sentence.where)
        if found is None:
            return sentence.where
        first = int(found[0]) - 1
        if sentence not in self.placed:
            joined, ends = "", []
            for index in range(first, min(first + 200, len(self.lines))):
                joined += self.lines[index]
                ends.append(len(joined))
                if sentence.compact in joined:
                    break
            self.placed[sentence] = (joined.find(sentence.compact), ends)
        at, ends = self.placed[sentence]
        if at < 0:
            return self._name(first)
        return self._name(first + min(bisect_right(ends, at + offset), len(ends) - 1))

    def _name(self, index: int) -> str:
        """第 N 行 of line ``index`` (from 0), 第 N 段 when lines are paragraphs, 第 P 页 when from a PDF."""
        if self.pages is not None and 0 <= index < len(self.pages):
            return f"第 {self.pages[index]} 页"
        if self.paragraphs is not None and 0 <= index < len(self.paragraphs):
            return f"第 {max(1, self.paragraphs[index])} 段"
        return f"第 {index + 1} 行"

    def _add(
        self,
        code: str,
        severity: Severity,
        sentence: Sentence,
        mention: _Mention,
        message: str,
        left: Decimal | None,
        right: Decimal | None,
        path: str,
        report: bool = True,
    ) -> Finding:
        quote = _quote(sentence, mention.start, mention.text)
        where = self._line_of(sentence, mention.start)
        finding = Finding(
            code, severity, self.source, where, f"{where}{_quoted(quote)}：{message}", left, right, (path,)
        )
        if report:
            self.pending.append((mention.start, finding))
        return finding


def _counts(lines: Iterable[Line], accounts: Accounts, previous: Accounts | None, reader: _Reader) -> None:
    """Counts (编制, 在职, 接待批次, 车辆) and stray years, read as the importer reads them."""
    suggestions = [s for s in extract(lines, accounts.year, []) if isinstance(s.value, int)]
    told: set[str] = set()
    for suggestion in suggestions:
        path = suggestion.path if suggestion.year == accounts.year else figure_paths.PREVIOUS + suggestion.path
        source = suggestion.sources[0]
        said_here = compact(source.sentence)
        sentence = Sentence(source.sentence, said_here, source.where.split(" · ")[0], "")
        where = reader._line_of(sentence, max(0, said_here.find(str(suggestion.value))))
        quote = _quoted(_around(source.sentence, str(suggestion.value)))
        said = re.search(r"(\d{4}) 年", suggestion.warning or "")
        if said:  # which year's figure it is, the text does not make clear: not compared
            if int(said[1]) != accounts.year - 1:  # a year after, or long before, the report's: a slip
                warning = (suggestion.warning or "").replace("导入的是", "核对的是")
                reader.findings.append(
                    Finding(
                        "N-YEAR", "warning", reader.source, where, f"{where}{quote}：{warning}", None, None, (path,)
                    )
                )
            continue
        known = figure_paths.value(path, accounts, previous)
        if known is None:
            if suggestion.conflict and path not in told:
                told.add(path)
                said = "，".join(
                    f"{other.sources[0].where.split(' · ')[0]}写 {other.value}"
                    for other in suggestions
                    if other.path == suggestion.path and other.year == suggestion.year
                )
                reader.findings.append(
                    Finding(
                        "N-COUNT",
                        "warning",
                        reader.source,
                        where,
                        f"{suggestion.label}各处说法不一：{said}",
                        None,
                        None,
                        (path,),
                    )
                )
            continue
        reader.checked += 1
        if Decimal(suggestion.value) != known:
            reader.findings.append(
                Finding(
                    "N-COUNT",
                    "error",
                    reader.source,
                    where,
                    f"{where}{quote}：文中写{suggestion.label} {suggestion.value}，工作区数据为 {fmt_number(known)}",
                    Decimal(suggestion.value),
                    known,
                    (path,),
                )
            )


# ─── small helpers ────────────────────────────────────────────────────────────


def _names_kind(subject: str) -> bool:
    return bool(re.search(r"预算|决算|执行数|实际", _FUND_NAMES.sub("", subject)))


def _says_budget(subject: str) -> bool:
    """“预算为”, “年初预算数” → budget; “支出决算为”, “比预算…决算为” → actual."""
    subject = _FUND_NAMES.sub("", subject)
    budget = subject.rfind("预算")
    actual = max(subject.rfind("决算"), subject.rfind("执行数"), subject.rfind("实际"))
    return budget > actual


def _strip(text: str) -> str:
    """What is left of a subject without years, fund names, 决算/预算 words and connecting words."""
    return _FILLER.sub("", _FUND_NAMES.sub("", text))


def _closest(said: str, lines: list[Any]) -> Any:
    """The row whose name is ``said`` (with or without 支出, or within one or two characters of it)."""
    best, score = None, 0.0
    bare_said = said.removesuffix("支出")
    for line in lines:
        name = _name(line.name)
        bare = name.removesuffix("支出")
        if said in (name, bare) or bare_said == bare:
            return line
        if 2 * min(len(bare_said), len(bare)) < 0.85 * (len(bare_said) + len(bare)):
            continue  # the lengths alone keep the ratio below 0.85
        matcher = difflib.SequenceMatcher(None, bare_said, bare)
        if matcher.quick_ratio() < 0.85:  # an upper bound of ratio(), much cheaper
            continue
        ratio = matcher.ratio()
        if ratio >= 0.85 and ratio > score:
            best, score = line, ratio
    return best


@functools.lru_cache(maxsize=4096)
def _name(name: str) -> str:
    """A row's name as matched (``norm``), computed once per name rather than once per figure."""
    return norm(name)


def _says_financial(sentence: Sentence, start: int) -> bool:
    """“财政拨款” before position ``start`` of the sentence, or in its heading."""
    first = _first_financial(sentence.compact)
    return 0 <= first <= start - len("财政拨款") or "财政拨款" in sentence.heading


@functools.lru_cache(maxsize=64)
def _first_financial(compact: str) -> int:
    """Where “财政拨款” first appears in a sentence (-1: nowhere), found once per sentence, not once per figure."""
    return compact.find("财政拨款")


def _last_before(ends: list[int], position: int) -> int:
    """The end of the last boundary mark at or before ``position`` (0: none)."""
    index = bisect_right(ends, position)
    return ends[index - 1] if index else 0


def _continues(mention: _Mention) -> bool:
    """Nothing but connecting words between the previous figure and this one's subject."""
    between = mention.span[: len(mention.span) - len(mention.subject)]
    return not _strip(between)


def _only_words(rest: str) -> bool:
    """What is left around a topic name is connecting words, not another thing's name."""
    return bool(re.fullmatch(r"(?:财政拨款|支出|费用?|经费|总额|本年|全部|各项|用于|开支|$)*", rest))


def _quote(sentence: Sentence, start: int, text: str) -> str:
    """The clause of the figure at ``start`` of the folded sentence, up to the figure, as the text writes it."""
    folded = sentence.compact
    left = max(0, start - 30)
    boundary = max(folded.rfind(mark, left, start) for mark in ",;:。!?、")
    begin, end = max(left, boundary + 1), start + len(text)
    cut = "…" if begin == left > 0 else ""  # a long clause: its last words
    origin = _origins(sentence.text)
    if len(origin) != len(folded):  # a fold that does not go character by character: the folded words
        return cut + folded[begin:end]
    return cut + sentence.text[origin[begin] : origin[end - 1] + 1].strip()


def _origins(text: str) -> list[int]:
    """For each character of ``compact(text)``, the index in ``text`` of the character it comes from."""
    return [index for index, char in enumerate(text) for _ in compact(char)]


def _quoted(text: str) -> str:
    """A quotation in a message: “…”, or 「…」 when the text has double quotation marks of its own (“三公”)."""
    return f"「{text}」" if re.search(r"[“”\"]", text) else f"“{text}”"


def _around(sentence: str, needle: str, width: int = 18) -> str:
    """The stretch of a long sentence around what it says, as written: “…共接待 21 批次，共计 116 人…”."""
    written = re.sub(r"\s+", " ", sentence).strip()
    at = written.find(needle)
    if at < 0 or len(written) <= 2 * width + len(needle):
        return written if len(written) <= 60 else written[:59] + "…"
    start, end = max(0, at - width), min(len(written), at + len(needle) + width)
    return ("…" if start else "") + written[start:end].strip() + ("…" if end < len(written) else "")
