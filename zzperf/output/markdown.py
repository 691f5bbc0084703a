"""Markdown pieces: a table cell that cannot break its table, and a whole table."""

from __future__ import annotations

from typing import Any


def md_cell(text: Any) -> str:
    """Text safe inside a Markdown table cell: no line breaks, ``|`` escaped."""
    value = "" if text is None else str(text)
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>") or " "


def md_table(header: list[str], body: list[list[str]]) -> list[str]:
    """The lines of a Markdown table: the header, the rule under it, one line per row."""
    lines = ["| " + " | ".join(md_cell(cell) for cell in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(cell) for cell in line) + " |" for line in body]
    return lines
