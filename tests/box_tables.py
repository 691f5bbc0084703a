"""A box-drawn table as zzperf prints it, read back: its lines, its header, and each column's text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BoxTable:
    lines: list[str]
    """The table's lines, from its top border to the last body line."""
    heads: list[str]
    """The column headers (their first line)."""
    rows: list[list[str]]
    """Each body line's cells, stripped: a wrapped cell spans several lines."""

    def column(self, head: str) -> str:
        """Everything a column shows, its wrapped lines joined."""
        index = self.heads.index(head)
        return "".join(row[index] for row in self.rows)


def read_box_table(text: str) -> BoxTable:
    """The first table printed in ``text``."""
    lines = text.split("└")[0].splitlines()
    lines = lines[next(number for number, line in enumerate(lines) if line.startswith("┏")) :]
    header = next(line for line in lines if line.startswith("┃"))
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in lines if line.startswith("│")]
    return BoxTable(lines, [cell.strip() for cell in header.split("┃")[1:-1]], rows)
