"""Figures that only the narrative (决算说明, 绩效报告) states, offered as suggestions with their sentence.

年初预算, the previous year's totals (“与 2017 年的收入 591.15 万元相比”), 机关运行经费 (its budget derived
from “比年初预算数增加 28.14 万元”), 政府采购, 会议费/培训费, staffing, vehicles and reception counts.
Nothing here is written unless the user accepts it. When two sentences give the same figure different
values, both are shown as a conflict and neither is written.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zzperf.accounts import MAX_COUNT
from zzperf.amounts import UNITS, check_amount, fmt_money, round_half_up
from zzperf.figure_paths import field_labels
from zzperf.importing.grid import Line, norm
from zzperf.importing.result import Source, Suggestion, TableRead
from zzperf.importing.tables import is_part_marker

# ─── paragraphs and sentences ────────────────────────────────────────────────


@dataclass(frozen=True)
class Sentence:
    """One sentence of the narrative: as printed (for display) and folded (for matching)."""

    text: str
    compact: str
    where: str
    heading: str


_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d{1,2}[.、．](?!\d))")
_TERMINAL = ("。", "！", "？", "；", "：", ":", ";", "!", "?")


def _is_heading(text: str) -> bool:
    """“（一）收入情况”, “2、公务接待费”: numbered, short, one phrase, and stating no amount."""
    return (
        bool(_HEADING.match(text))
        and "，" not in text
        and "," not in text
        and len(text) <= 40
        and not re.search(r"\d\s*(?:万元|亿元|元|%)", text)
        and not re.search(r"。.", text)  # “1、…行政运行（项）。主要用于：…”: a sentence goes on after it
        and not re.search(r"[类款项][)）]", text)  # “5、社会保障和就业支出（类）…”: names a 科目, starts a paragraph
    )


def paragraphs(lines: Iterable[Line]) -> Iterator[tuple[str, str, str]]:
    """(paragraph, where it starts, its part and heading): lines the PDF broke mid-sentence are joined."""
    buffer, start, context = "", "", ""
    part, heading = "", ""
    for line in lines:
        text = (line.raw if line.raw is not None else " ".join(str(cell) for cell in line.cells if cell)).strip()
        if not text:
            continue
        if is_part_marker(text) or _is_heading(text):
            if buffer:
                yield buffer, start, context
            buffer = ""
            if is_part_marker(text):
                part, heading = norm(text)[: norm(text).index("部分") + 2], ""
            elif re.match(r"^[一二三四五六七八九十]+、", text):
                heading = text
            continue
        if buffer and not buffer.rstrip().endswith(_TERMINAL):
            buffer += text
            continue
        if buffer:
            yield buffer, start, context
        buffer, start, context = text, line.where, f"{part} {heading}".strip()
    if buffer:
        yield buffer, start, context


def compact(text: str) -> str:
    """Text as sentences are matched: NFKC (full-width digits and punctuation folded), no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_LONG_NUMBER = re.compile(r"(?:\d[,.，．]?){19,}")
"""A digit run longer than any amount a 决算 states (18 digits)."""


def sentences(lines: Iterable[Line]) -> list[Sentence]:
    """The narrative cut into sentences at 。！？, each with its place and heading."""
    found = []
    for paragraph, where, heading in paragraphs(lines):
        for piece in re.split(r"(?<=[。！？!?])", paragraph):
            text = re.sub(r"\s+", " ", piece).strip()
            if not text or not re.search(r"\d", text):
                continue
            found.append(Sentence(text, compact(text), where, heading))
    return found


# ─── patterns ─────────────────────────────────────────────────────────────────

AMOUNT = r"(\d[\d,]*(?:\.\d+)?)(万元|亿元|元)"
_IS = r"(?:为|是|共|共计|合计|总计)?"


def _money(number: str, unit: str) -> Decimal:
    value = Decimal(number.replace(",", "")) * UNITS[unit]
    cents = value.quantize(Decimal("0.01"))
    return cents if value == cents else value.normalize()


@dataclass
class _Found:
    path: str
    value: Decimal | int
    sentence: Sentence
    clause: str
    how: str | None = None
    previous: bool = False
    row_name: str | None = None
    warning: str | None = None


def _clause(compact: str, start: int, end: int) -> str:
    """The comma/semicolon-delimited stretch of a sentence around a match."""
    left = max(compact.rfind(mark, 0, start) for mark in ",;:") + 1
    right_candidates = [compact.find(mark, end) for mark in ",;:。"]
    right = min([position for position in right_candidates if position >= 0] or [len(compact)])
    return compact[left:right]


_SIMPLE: tuple[tuple[str, str, str], ...] = (
    # (path, pattern, kind) — kind "money" uses AMOUNT groups 1-2, "count" uses group 1.
    # Not “三公”经费财政拨款支出年初预算 nor 机关运行经费…: those are budgets of a part.
    ("budget.initial", r"(?<!经费)财政拨款支出年初预算(?:数)?" + _IS + AMOUNT, "money"),
    ("budget.initial", r"年初预算(?:总额|合计)" + _IS + AMOUNT, "money"),
    ("operating_costs.actual", r"机关运行经费(?:支出|决算数|决算)" + _IS + AMOUNT, "money"),
    ("operating_costs.budget", r"机关运行经费(?:年初)?预算(?:数)?" + _IS + AMOUNT, "money"),
    ("procurement.total", r"政府采购支出(?:总额|合计)" + _IS + AMOUNT, "money"),
    ("procurement.budget", r"政府采购预算(?:总额|数)?" + _IS + AMOUNT, "money"),
    ("procurement.goods", r"政府采购货物(?:类)?支出" + _IS + AMOUNT, "money"),
    ("procurement.works", r"政府采购工程(?:类)?支出" + _IS + AMOUNT, "money"),
    ("procurement.services", r"政府采购服务(?:类)?支出" + _IS + AMOUNT, "money"),
    ("procurement.sme", r"授予中小企业合同(?:金额)?" + _IS + AMOUNT, "money"),
    ("procurement.small_micro", r"授予小微企业合同(?:金额)?" + _IS + AMOUNT, "money"),
    ("general_spending.meeting", r"会议费(?:支出)?" + _IS + AMOUNT, "money"),
    ("general_spending.training", r"培训费(?:支出)?" + _IS + AMOUNT, "money"),
    # 编制 as a whole, not 行政编制/事业编制/参公编制 (its parts) or 编制内人员.
    (
        "staffing.authorized",
        r"(?<![行政事业参公全额差额])编制(?![内外])(?:人数|数)?[^\d,;。]{0,3}?(\d+)[^\d,;。]{0,2}?人",
        "count",
    ),
    ("staffing.in_service", r"在职(?:人员|人数|职工)?[^\d,;。]{0,3}?(\d+)人", "count"),
    ("staffing.contract", r"(?:编外|临聘)[^\d,;。]{0,6}?(\d+)人", "count"),
    ("three_public.vehicles_held", r"公务用车保有量" + _IS + r"(\d+)辆", "count"),
    ("assets.vehicles", r"(?:共有|现有)?车辆" + _IS + r"(\d+)辆", "count"),
    ("assets.leader_vehicles", r"部级领导干部用车(\d+)辆", "count"),
    ("assets.official_vehicles", r"一般公务用车(\d+)辆", "count"),
    ("assets.law_enforcement_vehicles", r"执法执勤用车(\d+)辆", "count"),
    ("assets.special_vehicles", r"特种专业技术用车(\d+)辆", "count"),
    ("assets.general_equipment_over_50", r"50万元以上(?:的)?通用设备(\d+)台", "count"),
    ("assets.special_equipment_over_100", r"100万元以上(?:的)?专用设备(\d+)台", "count"),
)

_PEOPLE = r"(?:人数|参会人数|参会人员|培训人数|参训人数|参训人员|共计)" + _IS + r"(\d+)人"
_RECEPTION_BATCHES = re.compile(r"接待(?:国内)?(?:来访)?(?:团组|批次|团)?" + _IS + r"(\d+)(?:个|批次|批)")
_RECEPTION_GUESTS = re.compile(r"(?:来宾|共计|接待人数|人数)" + _IS + r"(\d+)人")
_PREVIOUS = re.compile(
    r"(?:与|比|较|同)(\d{4})年(?:度)?的?(财政拨款收入|财政拨款支出|收入|支出)(?:执行数|决算数|总额|合计)?"
    + _IS
    + AMOUNT
)
_OPERATING_CHANGE = re.compile(r"比(?:年初)?预算(?:数)?(增加|减少|增长|下降|节约|超支)(?:了)?" + AMOUNT)
_PERCENT_AFTER = re.compile(r"^[^。]*?(增长|下降|减少|增加)(\d+(?:\.\d+)?)%")
_BUDGET_OF = re.compile(r"([\u4e00-\u9fff()]+?)年初预算(?:数)?" + _IS + AMOUNT)
_NEW_ITEM = re.compile(r"([\u4e00-\u9fff()]+?)" + AMOUNT + r",?为新增,?年初未(?:做|安排|编制|列)")
_YEAR_IN = re.compile(r"(\d{4})年")


def _simple(sentence: Sentence) -> Iterator[_Found]:
    for path, pattern, kind in _SIMPLE:
        for match in re.finditer(pattern, sentence.compact):
            value: Decimal | int = _money(match.group(1), match.group(2)) if kind == "money" else int(match.group(1))
            clause = _clause(sentence.compact, match.start(), match.end())
            found = _Found(path, value, sentence, clause)
            if path.startswith("general_spending."):
                people = re.search(_PEOPLE, clause) or re.search(_PEOPLE, _clause_to_semicolon(sentence.compact, match))
                if people:
                    yield _Found(path + "_people", int(people.group(1)), sentence, clause)
            yield found


def _clause_to_semicolon(compact: str, match: re.Match[str]) -> str:
    """The stretch from a match to the next semicolon or full stop: 会议费…，用于…，人数100人；"""
    stops = [
        position for position in (compact.find(";", match.end()), compact.find("。", match.end())) if position >= 0
    ]
    end = min(stops or [len(compact)])
    return compact[match.start() : end]


def _reception(sentence: Sentence) -> Iterator[_Found]:
    if "接待" not in sentence.compact:
        return
    batches = _RECEPTION_BATCHES.search(sentence.compact)
    if batches:
        clause = _clause(sentence.compact, batches.start(), batches.end())
        yield _Found("three_public.reception_batches", int(batches.group(1)), sentence, clause)
        guests = _RECEPTION_GUESTS.search(sentence.compact, batches.end())
        if guests:
            clause = _clause(sentence.compact, guests.start(), guests.end())
            yield _Found("three_public.reception_guests", int(guests.group(1)), sentence, clause)


def _previous_totals(sentence: Sentence, year: int) -> Iterator[_Found]:
    for match in _PREVIOUS.finditer(sentence.compact):
        if int(match.group(1)) != year - 1:
            continue
        what = match.group(2)
        subject = _subject(sentence.compact[: match.start()], year)
        # Under the heading 财政拨款收入支出决算总体情况, a bare “支出” is the 财政拨款 支出.
        fiscal = any("财政拨款" in text for text in (what, subject, sentence.heading))
        income = "收入" in what
        section = "fiscal_overview" if fiscal else "overview"
        name = "income_total" if income else "expenditure_total"
        value = _money(match.group(3), match.group(4))
        yield _Found(f"{section}.{name}", value, sentence, match.group(0), previous=True)


def _subject(before: str, year: int) -> str:
    """What the current-year figure before “与 2017 年…” is: “2018年财政拨款收入608.72万元” → that text."""
    position = before.rfind(f"{year}年")
    if position < 0:
        return ""
    return re.split(r"[,;]", before[position:])[0]


def _operating_budget(sentence: Sentence) -> Iterator[_Found]:
    actual = re.search(r"机关运行经费(?:支出|决算数|决算)?" + _IS + AMOUNT, sentence.compact)
    if not actual:
        return
    change = _OPERATING_CHANGE.search(sentence.compact, actual.end())
    if not change:
        return
    spent = _money(actual.group(1), actual.group(2))
    delta = _money(change.group(2), change.group(3))
    more = change.group(1) in ("增加", "增长", "超支")
    budget = spent - delta if more else spent + delta
    sign = "−" if more else "+"
    how = (
        f"由“机关运行经费支出 {fmt_money(spent)} 万元，比年初预算数{change.group(1)} {fmt_money(delta)} 万元”推算："
        f"{fmt_money(spent)} {sign} {fmt_money(delta)} = {fmt_money(budget)}"
    )
    warning = None
    percent = _PERCENT_AFTER.match(sentence.compact[change.end() :])
    if percent and budget:
        stated = Decimal(percent.group(2))
        computed = delta / budget * 100
        places = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0  # type: ignore[operator]
        if abs(computed - stated) <= Decimal(1).scaleb(-places) / 2 + Decimal("0.05"):
            said = f"{percent.group(1)}{stated}%"
            how += f"（{fmt_money(delta)} ÷ {fmt_money(budget)} = {round_half_up(computed, 1)}%，与句中“{said}”相符）"
        else:
            warning = f"按推算的预算数，变动率应为 {round_half_up(computed, 1)}%，句中写的是 {stated}%，请核对"
    yield _Found("operating_costs.budget", budget, sentence, change.group(0), how=how, warning=warning)


def _by_function(sentence: Sentence, names: dict[str, str]) -> Iterator[_Found]:
    if not names:
        return
    folded = {norm(name): code for code, name in names.items()}
    for pattern, zero in ((_BUDGET_OF, False), (_NEW_ITEM, True)):
        for match in pattern.finditer(sentence.compact):
            said = re.sub(r"^(?:其中)", "", match.group(1))
            code, how = _match_name(said, folded, names)
            if code is None:
                continue
            value = Decimal(0) if zero else _money(match.group(2), match.group(3))
            if zero:
                how = (how + "；" if how else "") + "句中说明“为新增，年初未做此笔预算”，即年初预算为 0"
            yield _Found(
                f"budget.by_function[{code}].initial", value, sentence, match.group(0), how=how, row_name=names[code]
            )


_ITEM = re.compile(r"([\u4e00-\u9fff]+)\(项\)")
_BARE_BUDGET = re.compile(r"^年初预算(?:数)?" + _IS + AMOUNT)


def _item_named(sentence: Sentence, names: dict[str, str]) -> tuple[str, str | None] | None:
    """(code, how) of the 项 a sentence names, as in “1、一般公共服务支出（类）财政事务（款）行政运行（项）。”."""
    match = _ITEM.search(sentence.compact)
    if match is None or not names:
        return None
    code, how = _match_name(match.group(1), {norm(name): code for code, name in names.items() if len(code) == 7}, names)
    return (code, how) if code is not None else None


def _carried_budget(sentence: Sentence, code: str, how: str | None, names: dict[str, str]) -> Iterator[_Found]:
    """“年初预算为 1560.05 万元” in a sentence after the one that named the 项."""
    match = _BARE_BUDGET.search(sentence.compact)
    if match is None:
        return
    value = _money(match.group(1), match.group(2))
    note = f"前句所述科目 {code} {names[code]}"
    yield _Found(
        f"budget.by_function[{code}].initial",
        value,
        sentence,
        match.group(0),
        how=f"{how}；{note}" if how else note,
        row_name=names[code],
    )


def _match_name(said: str, folded: dict[str, str], names: dict[str, str]) -> tuple[str | None, str | None]:
    key = norm(said)
    if not key or key in ("财政拨款支出", "年度财政拨款支出"):
        return None, None
    if key in folded:
        return folded[key], None
    for candidate, code in folded.items():
        if candidate.startswith(key) and len(key) >= 4 and len(candidate) - len(key) <= 2:
            return code, None
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.8)
    if close:
        code = folded[close[0]]
        return code, f"句中“{said}”按名称近似对应 {code} {names[code]}"
    return None, None


# ─── collecting ───────────────────────────────────────────────────────────────


def _label(path: str, row_name: str | None) -> str:
    match = re.match(r"budget\.by_function\[(\d+)\]\.initial", path)
    if match:
        return f"年初预算 · {match.group(1)} {row_name or ''}".strip()
    return field_labels().get(path, path)


def _year_warning(found: _Found, year: int) -> str | None:
    years = {int(value) for value in _YEAR_IN.findall(found.clause)}
    other = sorted(value for value in years if value != year)
    if other and not found.previous:
        return f"句中写的是 {other[0]} 年，导入的是 {year} 年度，请核对"
    return None


def function_names(tables: Sequence[TableRead]) -> dict[str, str]:
    """科目编码 → 科目名称 from the 一般公共预算财政拨款支出决算表 (else the 支出决算表)."""
    for kind in ("general_budget_expenditure", "expenditure"):
        for table in tables:
            if table.kind == kind:
                lines = table.data.get(kind, {}).get("lines", [])
                if lines:
                    return {line["code"]: line["name"] for line in lines}
    return {}


def extract(lines: Iterable[Line], year: int, tables: Sequence[TableRead]) -> list[Suggestion]:
    """All suggestions found in the narrative lines, merged by figure; disagreeing values marked as conflicts."""
    names = function_names(tables)
    found: list[_Found] = []
    carried: tuple[str, str, str | None] | None = None  # (heading, code, how) of the 项 a sentence named
    for sentence in sentences(lines):
        if _LONG_NUMBER.search(sentence.text):
            continue  # a number too long to be a figure: the narrative audit reports it, nothing is suggested
        named = _item_named(sentence, names)
        if named is not None:
            carried = (sentence.heading, *named)
        elif re.search(r"\((?:类|款|项)\)", sentence.compact):
            carried = None  # a 科目 that is not in the tables: the next 年初预算 is not the previous one's
        elif carried is not None and carried[0] == sentence.heading:
            found.extend(_carried_budget(sentence, carried[1], carried[2], names))
        found.extend(_simple(sentence))
        found.extend(_reception(sentence))
        found.extend(_previous_totals(sentence, year))
        found.extend(_operating_budget(sentence))
        found.extend(_by_function(sentence, names))
    found.extend(_carryover(tables, year))
    return _merge([item for item in found if _possible(item.value)], year)


def _possible(value: Decimal | int) -> bool:
    """True for a figure the accounts can hold; an absurd one is left to the narrative audit to point out."""
    if isinstance(value, int):
        return 0 <= value <= MAX_COUNT
    try:
        check_amount(value)
    except ValueError:
        return False
    return True


def _carryover(tables: Sequence[TableRead], year: int) -> Iterator[_Found]:
    """This year's 年初结转和结余 is last year's 年末结转和结余."""
    for table in tables:
        for section in ("overview", "fiscal_overview"):
            value = table.data.get(section, {}).get("carryover_begin") if table.kind == section else None
            if value is None:
                continue
            label = "年初结转和结余" if section == "overview" else "年初财政拨款结转和结余"
            sentence = Sentence(f"{table.name}“{label}” {fmt_money(value)}", "", table.where, "")
            yield _Found(
                f"{section}.carryover_end",
                value,
                sentence,
                "",
                previous=True,
                how=f"本年{label}即上年年末结转和结余",
            )


def _merge(found: list[_Found], year: int) -> list[Suggestion]:
    merged: dict[tuple[int, str], list[Suggestion]] = {}
    for item in found:
        target_year = year - 1 if item.previous else year
        where = f"{item.sentence.where} · {item.sentence.heading}" if item.sentence.heading else item.sentence.where
        source = Source(item.sentence.text, where)
        candidates = merged.setdefault((target_year, item.path), [])
        same = next((s for s in candidates if s.value == item.value), None)
        if same is not None:
            if source not in same.sources:
                same.sources.append(source)
            continue
        candidates.append(
            Suggestion(
                path=item.path,
                label=_label(item.path, item.row_name),
                value=item.value,
                year=target_year,
                sources=[source],
                how=item.how,
                row_name=item.row_name,
                warning=item.warning or _year_warning(item, year),
            )
        )
    result: list[Suggestion] = []
    for candidates in merged.values():
        if len(candidates) > 1:
            values = "、".join(_show(s.value) for s in candidates)
            for suggestion in candidates:
                suggestion.conflict = f"各处说法不一（{values}），不会写入，请核实后手工填写"
        result.extend(candidates)
    return result


def _show(value: Decimal | int) -> str:
    return str(value) if isinstance(value, int) else fmt_money(value)
