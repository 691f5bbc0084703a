"""Comparing scores: one department across years, and many departments in one year.

- ``values``: SetInfo, Cell and ScoreChange, the pieces both comparisons are made of;
- ``years``: a workspace's years side by side, movers, signals and the "与上年相比" sentences;
- ``departments``: departments ranked for one year.
"""

from zzperf.compare.departments import (
    AHEAD_OF_EXECUTION,
    KEY_EXECUTION_KEYS,
    PARALLEL_FROM,
    DepartmentComparison,
    DepartmentScore,
    Failure,
    KeyValue,
    compare_departments,
    department_from_card,
    load_department,
    rank_departments,
)
from zzperf.compare.values import EXECUTION_KEYS, PARTIAL_MARK, PARTIAL_NOTE, Cell, ScoreChange, SetInfo
from zzperf.compare.years import (
    DEVIATION_PERCENT,
    MOVERS,
    SIGNAL_TITLES,
    Mover,
    Row,
    Signal,
    SignalKind,
    YearComparison,
    YearData,
    build_year_comparison,
    compare_years,
    previous_year_comparison,
    score_sentences,
)

__all__ = [
    "AHEAD_OF_EXECUTION",
    "DEVIATION_PERCENT",
    "EXECUTION_KEYS",
    "KEY_EXECUTION_KEYS",
    "MOVERS",
    "PARALLEL_FROM",
    "PARTIAL_MARK",
    "PARTIAL_NOTE",
    "SIGNAL_TITLES",
    "Cell",
    "DepartmentComparison",
    "DepartmentScore",
    "Failure",
    "KeyValue",
    "Mover",
    "Row",
    "ScoreChange",
    "SetInfo",
    "Signal",
    "SignalKind",
    "YearComparison",
    "YearData",
    "build_year_comparison",
    "compare_departments",
    "compare_years",
    "department_from_card",
    "load_department",
    "previous_year_comparison",
    "rank_departments",
    "score_sentences",
]
