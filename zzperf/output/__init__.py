"""Output for people: terminal tables (rich), Markdown, CSV and Excel workbooks; no Textual.

- ``markdown``: one Markdown cell escaping rule and tables built on it;
- ``xlsx``: filling and saving openpyxl workbooks from tables of text;
- ``compare``: comparisons across years and departments, in every format;
- ``checks``: 决算勾稽检查 and 说明核对 findings in a terminal;
- ``scores``: a score card and its summary in a terminal;
- ``imports``: what an import read and would change, in a terminal.

rich and openpyxl are imported inside the functions that print or write, so loading this package stays cheap.
"""

from zzperf.output.checks import print_finding_table, print_findings, print_narrative
from zzperf.output.compare import (
    CHANGE_COLOURS,
    departments_csv,
    departments_markdown,
    departments_table,
    movers_and_signals,
    print_departments,
    print_years,
    write_departments_xlsx,
    write_years_xlsx,
    years_csv,
    years_markdown,
    years_table,
)
from zzperf.output.imports import print_changes, print_problems, print_result, print_suggestions
from zzperf.output.markdown import md_cell, md_table
from zzperf.output.scores import print_score_table, print_summary
from zzperf.output.xlsx import fill_sheet, numeric_value, save_book

__all__ = [
    "CHANGE_COLOURS",
    "departments_csv",
    "departments_markdown",
    "departments_table",
    "fill_sheet",
    "md_cell",
    "md_table",
    "movers_and_signals",
    "numeric_value",
    "print_changes",
    "print_departments",
    "print_finding_table",
    "print_findings",
    "print_narrative",
    "print_problems",
    "print_result",
    "print_score_table",
    "print_suggestions",
    "print_summary",
    "print_years",
    "save_book",
    "write_departments_xlsx",
    "write_years_xlsx",
    "years_csv",
    "years_markdown",
    "years_table",
]
