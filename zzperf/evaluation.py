"""The evaluator's work for one year (``evaluation.toml``): judged scores, overrides, reasons, report text."""

from __future__ import annotations

import calendar
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from zzperf.accounts import Year, empty_section
from zzperf.amounts import MAX_POINTS
from zzperf.field_docs import document, new_dict, new_list

FORMAT_VERSION = 1

MAX_CASES = 10**6
"""Cases an evaluator can count for one per-case indicator."""


DATE_FORMS = "2019年3月31日、2019-03-31 或 2019.3.31"
"""How a report date may be written, for messages."""
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?|(\d{4})([-./])(\d{1,2})\5(\d{1,2})")

_CHINESE_DIGITS = dict(zip("〇零○一二三四五六七八九", "000123456789", strict=True))
_CHINESE_DATE = re.compile(
    r"([〇零○一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月(?:([一二三四五六七八九十]{1,3})日)?"
)


def _chinese_number(text: str) -> str:
    """A month or day in Chinese numerals (三, 十, 十二, 二十, 三十一) as digits; unchanged when it is none."""
    if "十" not in text:
        return "".join(_CHINESE_DIGITS.get(char, char) for char in text)
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return text  # 十十, 二十三十 and the like: not a number, and the date is refused as not a date
    return str(int(_CHINESE_DIGITS.get(tens, "1")) * 10 + int(_CHINESE_DIGITS.get(units, "0")))


def _in_digits(written: str) -> str:
    """A date written in Chinese numerals, as official documents date themselves (二〇一九年三月二十日), in digits;
    any other text as it is."""
    match = _CHINESE_DATE.fullmatch(written)
    if match is None:
        return written
    year = "".join(_CHINESE_DIGITS[char] for char in match[1])
    day = f"{_chinese_number(match[3])}日" if match[3] else ""
    return f"{year}年{_chinese_number(match[2])}月{day}"


def check_date(text: str) -> str:
    """``text`` when it is a real date as a report writes it (2019年3月31日, 2019-03-31, 2019.3.31, 2019年3月), or
    empty; else ValueError naming the field and what is wrong (2019年13月45日: no 13th month)."""
    written = text.strip()
    if not written:
        return text
    match = _DATE.fullmatch(_in_digits(unicodedata.normalize("NFKC", written).replace(" ", "")))
    if match is None:
        raise ValueError(f"填报日期“{written}”不是日期：应写成 {DATE_FORMS}")
    year, month, day = (
        int(part) if part else None for part in (match[1] or match[4], match[2] or match[6], match[3] or match[7])
    )
    assert year is not None and month is not None
    if not 2000 <= year <= 2100:
        raise ValueError(f"填报日期“{written}”的年份 {year} 不对：应在 2000 至 2100 年之间")
    if not 1 <= month <= 12:
        raise ValueError(f"填报日期“{written}”不是有效日期：没有 {month} 月")
    days = calendar.monthrange(year, month)[1]
    if day == 0:
        raise ValueError(f"填报日期“{written}”不是有效日期：没有 0 日")
    if day is not None and day > days:
        raise ValueError(f"填报日期“{written}”不是有效日期：{year} 年 {month} 月只有 {days} 天")
    return text


ReportDate = Annotated[str, AfterValidator(check_date)]
"""报告的填报日期 as the evaluator writes it, checked to be a real date (or left empty)."""


class Entry(BaseModel):
    """What the evaluator recorded for one leaf indicator."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    score: Annotated[Decimal, Field(ge=0, le=MAX_POINTS)] | None = None
    """Judged score, or an override of the automatic score (needs ``reason``)."""
    reason: str = ""
    """扣分原因 / 调整理由: required for any deduction the rule does not explain, and for an override."""
    evidence: str = ""
    """佐证材料"""
    comment: str = ""
    """备注"""
    status: Literal["draft", "confirmed"] = "draft"
    """draft: still being worked on; confirmed: the evaluator has checked this item."""
    checked: list[str] = Field(default_factory=new_list)
    """Checklist rule: names of the review points that are met."""
    level: str | None = None
    """Levels rule: the chosen level's name."""
    cases: Annotated[int, Field(ge=0, le=MAX_CASES)] | None = None
    """Per-case rule without a formula: number of cases found."""
    not_applicable: bool = False
    """The indicator does not apply to this department this year (不适用)."""

    def is_empty(self) -> bool:
        return self == Entry()


class ReportText(BaseModel):
    """The report's free text, written by the evaluator."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    achievements: str = ""
    """主要成绩"""
    problems: str = ""
    """存在的问题"""
    measures: str = ""
    """改进措施"""
    application: str = ""
    """结果应用"""


REPORT_SECTIONS: dict[str, str]
"""The report's free-text sections and their Chinese titles: 主要成绩, 存在的问题, 改进措施, 结果应用.

Worked out from ``ReportText``'s field docstrings when first used (see ``__getattr__``): ``zzperf check`` and
``score`` show no section titles and do not parse this module's source for them.
"""


REPORT_TEXTS: dict[str, str]
"""The texts the evaluator writes for the report, with their titles: ``REPORT_SECTIONS``, then the year's goal
(``Evaluation.goal``, 年度总体目标, written once a year). Worked out when first used, as that is."""


def __getattr__(name: str) -> Any:
    if name == "REPORT_SECTIONS":
        document(ReportText)
        sections = {field: info.description or field for field, info in ReportText.model_fields.items()}
        globals()[name] = sections
        return sections
    if name == "REPORT_TEXTS":
        texts = {**__getattr__("REPORT_SECTIONS"), "goal": GOAL_TITLE}
        globals()[name] = texts
        return texts
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


GOAL_TITLE = "年度总体目标"


def report_text(evaluation: Evaluation, key: str) -> str:
    """One of the ``REPORT_TEXTS`` of ``evaluation``."""
    return evaluation.goal if key == "goal" else getattr(evaluation.report, key)


class Evaluation(BaseModel):
    """One year's evaluation record."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)

    format_version: Literal[1] = FORMAT_VERSION
    """File format version."""
    year: Year
    """评价年度"""
    evaluator: str = ""
    """评价机构或评价人"""
    date: ReportDate = ""
    """报告日期（填报日期）：2019年3月31日、2019-03-31 或 2019.3.31"""
    notice: str = ""
    """自评依据的通知：名称和文号，如 《关于开展2018年度部门整体支出绩效自评工作的通知》（株财绩〔2019〕1号）；
    空时用 zzperf.toml 中的 notice"""
    goal: str = ""
    """年度总体目标：年初设定的部门整体绩效目标（报告“绩效目标”部分引用）"""
    indicators: dict[str, Entry] = Field(default_factory=new_dict)
    """Entries by indicator id."""
    report: ReportText = empty_section()
    """报告文字"""

    def entry(self, indicator_id: str) -> Entry:
        """The entry for an indicator (an empty one when nothing is recorded)."""
        return self.indicators.get(indicator_id) or Entry()
