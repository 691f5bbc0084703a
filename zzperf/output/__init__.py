"""Output for people: terminal tables (rich), Markdown, CSV and Excel workbooks; no Textual.

- ``markdown``: one Markdown cell escaping rule and tables built on it;
- ``xlsx``: filling and saving openpyxl workbooks from tables of text;
- ``figures``: tables whose figure cells are numbers (暂定 in its own column), as CSV text or a workbook sheet;
- ``compare``: comparisons across years and departments, in every format;
- ``checks``: 决算勾稽检查 and 说明核对 findings in a terminal;
- ``scores``: a score card and its summary in a terminal;
- ``imports``: what an import read and would change, in a terminal;
- ``terminal``: the rich console, text made harmless for a terminal, and crash reports;
- ``review``: the change log, submission states, 自评 beside 复核 and a folder's summary, in every format.

Import the module you need (``from zzperf.output import checks``): the package loads none of them, and rich
and openpyxl are imported inside the functions that print or write, so ``zzperf check`` stays quick.
"""

__all__ = ["checks", "compare", "figures", "imports", "markdown", "review", "scores", "terminal", "xlsx"]
