"""Where each imported figure was printed: ``origins.toml`` beside a year's ``accounts.toml``.

``zzperf import`` writes it with the figures it wrote, so that a later ``zzperf check`` can still say
“第 7 页 收入支出决算总表 ‘年初结转和结余’”. Each entry keeps the value imported: a figure edited since no
longer names the document as its source.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import tomli

from zzperf.accounts import Accounts
from zzperf.figure_paths import value
from zzperf.tomlio import write_atomic

ORIGINS_FILE = "origins.toml"
_LINE = re.compile(r"(\w+)\.lines\[(\w+)\]\.(\w+)")


def figure(path: str, accounts: Accounts) -> Decimal | None:
    """The figure at an import's path (``income_table.lines[2010601].total`` included), None when absent."""
    if match := _LINE.fullmatch(path):
        section = getattr(accounts, match[1], None)
        line = next((line for line in getattr(section, "lines", ()) if line.code == match[2]), None)
        found = getattr(line, match[3], None) if line is not None else None
        return found if isinstance(found, Decimal) else None
    try:
        found = value(path, accounts, None)
    except (AttributeError, ValueError):
        return None
    return found if isinstance(found, Decimal) else None


def write_origins(folder: Path, source: str, origins: dict[str, str], accounts: Accounts) -> Path | None:
    """Record where the figures of ``accounts`` were printed; remove an older record when there is none."""
    import json  # deferred for the CLI's start-up time: ``zzperf check`` only reads the record

    path = folder / ORIGINS_FILE
    kept = {key: where for key, where in sorted(origins.items()) if figure(key, accounts) is not None}
    if not kept:
        path.unlink(missing_ok=True)
        return None
    lines = [
        "# zzperf import 写入：accounts.toml 中导入的数字在原文件中的位置，zzperf check 据此指明出处。",
        "# 数字改动后，其位置不再引用（value 为导入时的数）。",
        f"source = {json.dumps(source, ensure_ascii=False)}",
        "",
        "[figures]",
    ]
    for key, where in kept.items():
        shown = json.dumps(where, ensure_ascii=False)
        lines.append(f'{json.dumps(key)} = {{ where = {shown}, value = "{figure(key, accounts)}" }}')
    write_atomic(path, "\n".join(lines) + "\n")
    return path


def read_origins(folder: Path, accounts: Accounts) -> tuple[str | None, dict[str, str]]:
    """The imported file's name, and where each figure of ``accounts`` still as imported was printed, by path.

    (None, {}) without a record.
    """
    path = folder / ORIGINS_FILE
    try:
        data = tomli.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return None, {}
    source = data.get("source") if isinstance(data.get("source"), str) else None
    found: dict[str, str] = {}
    for key, entry in (data.get("figures") or {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("where"), str):
            continue
        current = figure(key, accounts)
        if current is not None and str(current) == str(entry.get("value")):
            found[key] = entry["where"]
    return source, found
