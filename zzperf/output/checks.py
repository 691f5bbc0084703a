"""Checks in a terminal: the 决算勾稽检查 of a year, the 说明核对 of a text, where a finding's figures came from."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from zzperf.checks import SEVERITY_RANK, SEVERITY_WORDS, CheckReport, Finding, rule_name
from zzperf.output.terminal import print_paragraph

if TYPE_CHECKING:
    from rich.console import Console

    from zzperf.narrative import NarrativeReport
    from zzperf.workspace import Workspace


def print_narrative(console: Console, path: Path, report: NarrativeReport, verbose: bool = False) -> None:
    """说明核对 of one text: its findings and how many numbers were checked (``verbose``: with rule codes)."""
    console.print(f"说明核对：{path}", style="bold")
    print_finding_table(console, report.findings, verbose)
    print_paragraph(
        console,
        f"核对了 {report.checked} 处数字：{len(report.errors)} 个错误，{len(report.warnings)} 个警告；"
        f"{len(report.unplaced)} 处数字无法对应到决算数据，未核对。",
    )
    unreadable = [entry for entry in report.unplaced if entry.endswith("（数字过长）")]
    if unreadable:
        print_paragraph(console, f"无法读取的数字（过长）：{'；'.join(unreadable[:5])}", "yellow")


def print_findings(
    console: Console, workspace: Workspace, year: int, report: CheckReport, verbose: bool = False
) -> None:
    """决算勾稽检查 of a year: its findings, the counts, and the rules left unchecked for want of data.

    Rules are named by what they check; ``verbose`` adds their codes and says why each was left unchecked.
    """
    console.print(f"{workspace.profile.name} {year} 年度决算勾稽检查", style="bold")
    print_finding_table(console, report.findings, verbose)
    print_paragraph(
        console,
        f"共 {len(report.errors)} 个错误，{len(report.warnings)} 个警告，{len(report.infos)} 条提示；"
        f"{len(report.skipped)} 条规则因数据不足未检查。",
    )
    if not report.skipped:
        return
    if verbose:
        console.print("未检查：", style="dim")
        for code, reason in report.skipped:
            print_paragraph(console, f"  {code} {rule_name(code)}（{reason}）", "dim")
        return
    names = list(dict.fromkeys(rule_name(code) for code, _ in report.skipped))
    shown = "；".join(names[:6]) + (f" 等 {len(names)} 条" if len(names) > 6 else "")
    print_paragraph(console, f"未检查：{shown}（加 --verbose 列出每条规则及原因）", "dim")


FINDING_WORDS = {"规则": 12, "说明": 20}
"""The findings table's word columns, and the width below which each is squeezed only when nothing else fits."""


def print_finding_table(console: Console, findings: Sequence[Finding], verbose: bool = False) -> None:
    """Findings as a table, the most serious first (nothing when there are none); ``verbose`` adds the codes.

    Rules and explanations wrap as Chinese is set, a figure kept whole (``fit_columns``)."""
    from zzperf.output.columns import print_fitted

    if not findings:
        return
    colours = {"error": "red", "warning": "yellow", "info": "cyan"}
    header = ("级别", "规则", "说明", *(("代码",) if verbose else ()))
    body = [
        [
            (SEVERITY_WORDS[finding.severity], colours[finding.severity]),
            (rule_name(finding.code), ""),
            (finding.message, ""),
            *(((finding.code, ""),) if verbose else ()),
        ]
        for finding in sorted(findings, key=lambda f: SEVERITY_RANK[f.severity])
    ]
    print_fitted(console, "", header, body, (), FINDING_WORDS, "")


def print_origins(
    console: Console, findings: Sequence[Finding], origins: dict[str, str], source: str | None = None
) -> None:
    """For each error or warning of ``check`` after an import, where the figures it compares were printed."""
    from rich.text import Text

    shown: list[str] = []
    for finding in findings:
        if finding.severity == "info":
            continue
        places = list(dict.fromkeys(origins[path] for path in finding.paths if path in origins))
        if places:
            shown.append(f"  {finding.row}：" + "；".join(places[:6]) + ("…" if len(places) > 6 else ""))
    if shown:
        console.print(
            f"上述问题中的数字在原文件（{source}）中的位置：" if source else "上述问题中的数字在原文件中的位置："
        )
        for line in shown:
            console.print(Text(line))
