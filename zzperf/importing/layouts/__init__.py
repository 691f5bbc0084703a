"""Reading each kind of 决算 table into ``accounts.toml`` figures, one module per layout.

Three layouts cover the tables:

- **two-sided** (收入支出决算总表, 财政拨款收入支出决算总表): 收入 on the left, 支出 on the right, each
  side with its 项目, 行次 and amount columns; rows are matched by their label (``two_sided``).
- **coded rows** (收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表, 政府性基金表): a 合计 row and
  one row per 科目编码; columns are matched by their header (本年收入合计, 基本支出, …) (``coded``).
- **blocks** (基本支出表: 科目编码/科目名称/决算数 repeated side by side, ``basic``; “三公” table: 预算数 and
  决算数 blocks of 合计/因公出国（境）费/公务用车…/公务接待费, ``three_public``).

A column's meaning comes from the header above it when blank cells were kept (tab-separated text,
worksheets); otherwise from the order of the numbers, and only when their count fits the layout.
A row that fits nowhere is reported with its text, never placed somewhere plausible.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from zzperf.importing.layouts.basic import read_basic
from zzperf.importing.layouts.coded import CODED, empty_table_statement, read_coded
from zzperf.importing.layouts.common import (
    BLANK_IS_ZERO,
    TableReader,
    header_columns,
    is_column_numbers,
    is_header,
    to_wan,
)
from zzperf.importing.layouts.three_public import read_three_public
from zzperf.importing.layouts.two_sided import read_two_sided
from zzperf.importing.result import TableRead
from zzperf.importing.tables import RawTable

__all__ = [
    "CODED",
    "READERS",
    "TableReader",
    "empty_table_statement",
    "header_columns",
    "is_column_numbers",
    "is_header",
    "read_basic",
    "read_coded",
    "read_table",
    "read_three_public",
    "read_two_sided",
    "to_wan",
]

READERS: dict[str, Callable[[TableReader], None]] = {
    "overview": read_two_sided,
    "fiscal_overview": read_two_sided,
    "income_table": read_coded,
    "expenditure": read_coded,
    "general_budget_expenditure": read_coded,
    "gov_fund": read_coded,
    "state_capital": read_coded,
    "basic_expenditure": read_basic,
    "three_public": read_three_public,
}


def read_table(raw: RawTable, factor: Decimal, unit: str | None) -> TableRead:
    """One table's figures in 万元, with what was left out and why."""
    reader = TableReader(raw, factor, unit)
    kind = raw.title.kind
    if kind is None:
        reader.read.rows_read = 0
        for line in reader.rows:
            reader.not_stored(line, "这张表不在 accounts.toml 的范围内")
        return reader.read
    READERS[kind](reader)
    if reader.blanks:
        reader.read.notes.append(f"{reader.blanks} 个金额为空白，按 0 读取（{BLANK_IS_ZERO}）")
    return reader.read
