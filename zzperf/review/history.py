"""The workspace's append-only, hash-chained change log (``zzperf-history.jsonl``) and its verification.

Every write zzperf makes to a year's figures (``accounts.toml``), 自评 (``evaluation.toml``), 复核
(``review.toml``) or submission state (``submission.toml``) passes ``tomlio.write_bytes_atomic``; the hook
installed by ``install()`` turns the difference between the old and the new content into log entries, one per
changed value: time, who, which file and key, old → new, reason, and the SHA-256 of the file as written. Each
entry carries the hash of the one before, so changing, removing or reordering an entry breaks the chain. The
same hook refuses writes to the figures and 自评 of a submitted or approved year.
"""

from __future__ import annotations

import contextlib
import contextvars
import getpass
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import tomli

from zzperf.amounts import fmt_score
from zzperf.errors import ZzperfError
from zzperf.review.state import (
    PINNED_FILES,
    READ_ONLY_STATES,
    STATE_WORDS,
    SUBMISSION_FILE,
    load_submission,
    read_only_reason,
)
from zzperf.tomlio import add_write_hook
from zzperf.workspace.files import ACCOUNTS_FILE, EVALUATION_FILE, PROFILE_FILE, REVIEW_FILE

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: appends are not serialised between processes
    fcntl = None  # type: ignore[assignment]

LOG_FILE = "zzperf-history.jsonl"

TRACKED: dict[str, str] = {
    ACCOUNTS_FILE: "数据",
    EVALUATION_FILE: "自评",
    REVIEW_FILE: "复核",
    SUBMISSION_FILE: "状态",
}
"""The files of a year folder whose changes are logged, and what each holds."""

GENESIS = "0" * 64
"""The ``prev`` of the first entry."""

MAX_VALUE = 300
"""Characters of an old or new value kept in the log; longer text keeps its start and its length."""
EXCERPT_FROM = 60
"""A text changed into another at least this long is logged as the part that changed (``_excerpts``)."""
EXCERPT_CONTEXT = 15
"""Characters of unchanged text kept on each side of the part that changed."""

NEW_FILE_VALUES = 50
"""A new file with up to this many values is logged value by value; a larger one (an import) as one entry."""

OUTSIDE = "（在 zzperf 之外修改）"
"""The ``what`` of an entry that records a change zzperf found but did not make."""

FIELD_WORDS = {
    "score": "得分",
    "reason": "理由",
    "evidence": "佐证",
    "comment": "备注",
    "status": "状态",
    "checked": "检查项",
    "level": "等级",
    "cases": "例数",
    "not_applicable": "不适用",
    "opinion": "意见",
    "state": "状态",
}
"""An indicator's fields in ``evaluation.toml`` and ``review.toml``."""

STATUS_WORDS = {"draft": "草稿", "confirmed": "已核实"}
"""An indicator's ``status`` in ``evaluation.toml`` as the score tab says it (its tick is “已核实”)."""

TOP_WORDS = {
    "reviewer": "复核人",
    "evaluator": "评价人",
    "date": "填报日期",
    "notice": "自评依据的通知",
    "goal": "年度总体目标",
    "year": "年度",
    "format_version": "文件格式版本",
}
"""The other fields of ``evaluation.toml`` and ``review.toml``; the report's text is 报告·主要成绩 and so on."""

_REASON: contextvars.ContextVar[str] = contextvars.ContextVar("zzperf_history_reason", default="")


def who() -> str:
    """Who is changing things: ``ZZPERF_USER``, else the operating system's user name."""
    configured = os.environ.get("ZZPERF_USER", "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "（未知）"


@contextlib.contextmanager
def because(reason: str) -> Iterator[None]:
    """Log the writes made inside the block with ``reason`` (a command's 理由 or 意见)."""
    token = _REASON.set(reason)
    try:
        yield
    finally:
        _REASON.reset(token)


@dataclass(frozen=True)
class Entry:
    """One logged change."""

    n: int
    time: str
    who: str
    year: int
    file: str
    what: str
    old: str | None
    new: str | None
    reason: str
    sha256: str
    """The file's content hash once this change was written."""
    prev: str
    hash: str
    indicator: str | None = None

    @property
    def body(self) -> dict[str, Any]:
        """Everything the hash covers, in a fixed order."""
        return {
            "n": self.n,
            "time": self.time,
            "who": self.who,
            "year": self.year,
            "file": self.file,
            "indicator": self.indicator,
            "what": self.what,
            "old": self.old,
            "new": self.new,
            "reason": self.reason,
            "sha256": self.sha256,
            "prev": self.prev,
        }

    @property
    def old_text(self) -> str:
        return _shown(self.what, self.file, self.old)

    @property
    def new_text(self) -> str:
        return _shown(self.what, self.file, self.new)

    def line(self) -> str:
        return json.dumps({**self.body, "hash": self.hash}, ensure_ascii=False, separators=(",", ":"))

    @property
    def what_text(self) -> str:
        """The change as people read it: ``自评 input.goals.clarity 得分``, ``复核 复核人``."""
        return self.what_words()

    def what_words(self, names: Mapping[str, str] | None = None) -> str:
        """``what_text``, the indicator called by its name from ``names`` (id → name): ``自评 绩效指标明确性 得分``."""
        kind = TRACKED.get(Path(self.file).name, self.file)
        if Path(self.file).name == SUBMISSION_FILE:
            if self.what == "state":
                return "提交状态"
            if self.what.startswith("pinned."):
                return f"提交时文件指纹 {self.what.removeprefix('pinned.')}.toml"
        if self.indicator is not None:
            name = (names or {}).get(self.indicator, self.indicator)
            return f"{kind} {name} {FIELD_WORDS.get(self.what, self.what)}"
        if Path(self.file).name == ACCOUNTS_FILE:
            return f"{kind} {_figure_words(self.what)}"
        return f"{kind} {_field_words(self.what)}"


def _field_words(what: str) -> str:
    """A field of ``evaluation.toml`` or ``review.toml`` in words: 复核人, 填报日期, 报告·主要成绩."""
    if what in TOP_WORDS:
        return TOP_WORDS[what]
    if what.startswith("report."):
        from zzperf.evaluation import REPORT_SECTIONS

        return f"报告·{REPORT_SECTIONS.get(what.removeprefix('report.'), what.removeprefix('report.'))}"
    return FIELD_WORDS.get(what, what)


def _figure_words(what: str) -> str:
    """A figure of ``accounts.toml`` in words: 本年收入合计, 公开05表 201 支出合计; the path when it has no label."""
    from zzperf import figure_paths

    labels = figure_paths.field_labels()
    if what in labels:
        return labels[what]
    from typing import get_args

    from zzperf.accounts import SECTION_NAMES, Accounts

    if what in Accounts.model_fields:  # source, unit, year
        return figure_paths.description_label(Accounts.model_fields[what].description, what)
    outcome = re.fullmatch(r"outcomes\[([^\]]+)\](?:\.(\w+))?", what)
    if outcome is not None:  # 绩效目标 cases_handled 完成值; a whole one added or removed: 绩效目标 cases_handled
        from zzperf.accounts import Outcome

        field = Outcome.model_fields.get(outcome[2] or "")
        words = figure_paths.description_label(field.description, outcome[2]) if field is not None else outcome[2]
        return f"绩效目标 {outcome[1]}" + (f" {words}" if words else "")
    line = re.fullmatch(r"(\w+)\.lines\[(\w+)\]\.(\w+)", what)
    if line is None:
        return what

    section = Accounts.model_fields.get(line[1])
    rows = section.annotation.model_fields.get("lines") if section is not None and section.annotation else None
    models = get_args(rows.annotation) if rows is not None else ()
    column = models[0].model_fields.get(line[3]) if models else None
    if column is None:
        return what
    column_words = figure_paths.description_label(column.description, line[3])
    return f"{SECTION_NAMES.get(line[1], line[1])} {line[2]} {column_words}"


PIN_SHOWN = 8
"""Hex digits of a pinned file's hash the log shows (as a short commit id): enough to tell two apart, and narrow
enough that the log keeps every column and a whole hash on one line at 80 columns."""


def _shown(what: str, file: str, value: str | None) -> str:
    if value is None:
        return "—"
    if what == "state" and Path(file).name == SUBMISSION_FILE:
        return STATE_WORDS.get(value, value)
    if what == "status":
        return STATUS_WORDS.get(value, value)
    if what.startswith("pinned.") and Path(file).name == SUBMISSION_FILE:
        return value[:PIN_SHOWN] + "…"
    if what == "score":  # a score reads as everywhere else: 1.50
        try:
            return fmt_score(Decimal(value))
        except InvalidOperation:
            return value
    return value


def entry_hash(body: dict[str, Any]) -> str:
    canonical = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ─── what changed ───


def _parse(content: bytes | None) -> dict[str, Any] | None:
    if content is None:
        return None
    try:
        return tomli.loads(content.decode("utf-8").removeprefix("\ufeff"), parse_float=Decimal)
    except (UnicodeDecodeError, tomli.TOMLDecodeError, RecursionError, ValueError):
        return None


def _identity(item: dict[str, Any], index: int) -> str:
    for key in ("code", "key", "id", "name"):
        if isinstance(item.get(key), (str, int)):
            return str(item[key])
    return str(index)


def flatten(data: Any, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], Any]:
    """Every value of a TOML document by its key path; list elements that are tables by their code, key or id."""
    if isinstance(data, dict):
        flat: dict[tuple[str, ...], Any] = {}
        for key, value in data.items():
            flat.update(flatten(value, (*path, str(key))))
        return flat
    if isinstance(data, list) and data and all(isinstance(item, dict) for item in data):
        flat = {}
        for index, item in enumerate(data):
            flat.update(flatten(item, (*path[:-1], f"{path[-1]}[{_identity(item, index)}]")))
        return flat
    return {path: data}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    elif isinstance(value, list):
        text = "、".join(str(_text(item)) for item in value)
    else:
        text = str(value)
    if len(text) > MAX_VALUE:
        return f"{text[:MAX_VALUE]}…（共 {len(text)} 字）"
    return text


def _what(path: tuple[str, ...]) -> tuple[str | None, str]:
    """The indicator a key path belongs to (``indicators.<id>.…``), and the rest of the path."""
    if len(path) >= 3 and path[0] == "indicators":
        return path[1], ".".join(path[2:])
    return None, ".".join(path)


def differences(old: bytes | None, new: bytes) -> list[tuple[str | None, str, str | None, str | None]]:
    """(indicator, what, old, new) for every value that differs; a new file or unreadable text is one entry."""
    before, after = _parse(old), _parse(new)
    if after is None:
        return [(None, "（文件内容无法读取）", None, None)]
    if before is None and (old is not None or len(flatten(after)) > NEW_FILE_VALUES):
        what = "（新建文件）" if old is None else "（替换无法读取的文件）"
        return [(None, what, None, f"{len(flatten(after))} 项")]
    flat_before = flatten(before) if before is not None else {("format_version",): None, ("year",): None}
    flat_after = flatten(after)
    if before is None:
        flat_after = {path: value for path, value in flat_after.items() if path not in flat_before}
    found = []
    whole, said = _whole_items(flat_before, flat_after), set()
    for path in [*flat_before, *(path for path in flat_after if path not in flat_before)]:
        item = _item(path)
        if item in whole:
            if item not in said:  # said once, at its first key
                said.add(item)
                found.append((*_what(item), *whole[item]))
            continue
        old_value, new_value = flat_before.get(path), flat_after.get(path)
        if old_value != new_value or type(old_value) is not type(new_value):
            if (
                isinstance(old_value, str)
                and isinstance(new_value, str)
                and max(map(len, (old_value, new_value))) >= EXCERPT_FROM
            ):
                old_text, new_text = _excerpts(old_value, new_value)
            else:
                old_text, new_text = _text(old_value), _text(new_value)
            if old_text != new_text:
                found.append((*_what(path), old_text, new_text))
    return found or [(None, "（仅格式或注释）", None, None)]


def _item(path: tuple[str, ...]) -> tuple[str, ...] | None:
    """The list element (a table row, an outcome) a key path is in: its path up to ``lines[301]``; None outside one."""
    for index, part in enumerate(path):
        if part.endswith("]") and "[" in part:
            return path[: index + 1]
    return None


def _whole_items(
    before: dict[tuple[str, ...], Any], after: dict[tuple[str, ...], Any]
) -> dict[tuple[str, ...], tuple[str | None, str | None]]:
    """List elements added or removed whole that hold no number (an outcome's key, name, unit and comparison, a row's
    code and name), each with the one change it is logged as: its name (or code) and 新增 / 删除. One with a number
    keeps an entry for each of its keys."""
    changes: dict[tuple[str, ...], tuple[str | None, str | None]] = {}
    for side, other, added in ((after, before, True), (before, after, False)):
        items: dict[tuple[str, ...], dict[tuple[str, ...], Any]] = {}
        for path, value in side.items():
            if (item := _item(path)) is not None:
                items.setdefault(item, {})[path[len(item) :]] = value
        elsewhere = {_item(path) for path in other}
        for item, values in items.items():
            if item in elsewhere or any(_is_number(value) for value in values.values()):
                continue
            name = str(values.get(("name",)) or values.get(("code",)) or item[-1])
            changes[item] = (None, f"{name}（新增）") if added else (name, "（删除）")
    return changes


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _excerpts(old: str, new: str) -> tuple[str, str]:
    """The part of a long text that changed, before and after, each with a little of the text around it and “…”
    where text is left out: a report section edited in one place logs that place, not the whole section (or
    only its start, when the change lies beyond ``MAX_VALUE`` characters)."""
    start = len(os.path.commonprefix([old, new]))
    same_end = len(os.path.commonprefix([old[start:][::-1], new[start:][::-1]]))

    def excerpt(text: str) -> str:
        left, right = max(0, start - EXCERPT_CONTEXT), min(len(text), len(text) - same_end + EXCERPT_CONTEXT)
        middle = text[left:right]
        if len(middle) > MAX_VALUE:
            middle = f"{middle[:MAX_VALUE]}…（共 {len(middle)} 字）"
        return ("…" if left else "") + middle + ("…" if right < len(text) else "")

    return excerpt(old), excerpt(new)


def _reason_for(indicator: str | None, content: bytes, rewritten: bool) -> str:
    """The explicit reason of the command, else the 理由 the file now gives for the indicator when this write
    changed it (``rewritten``): a score raised while the old deduction reason stands is logged with no reason, not
    with one written for another score."""
    explicit = _REASON.get()
    if explicit or indicator is None or not rewritten:
        return explicit
    data = _parse(content) or {}
    entry = (data.get("indicators") or {}).get(indicator)
    return str(entry.get("reason", "")) if isinstance(entry, dict) else ""


# ─── the log ───


def workspace_of(path: Path) -> tuple[Path, int] | None:
    """The workspace root and year of a tracked file (``ROOT/2018/evaluation.toml``), else None."""
    if path.name not in TRACKED or not path.parent.name.isdigit():
        return None
    root = path.parent.parent
    if not (root / PROFILE_FILE).is_file():
        return None
    return root, int(path.parent.name)


class LogError(ZzperfError):
    """The log cannot be read as a chain."""


def read_log(root: Path) -> list[Entry]:
    """Every entry of the workspace's log, in order; LogError names the first line that is not an entry."""
    path = root / LOG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            entries.append(Entry(**data))
        except (ValueError, TypeError) as error:
            raise LogError(f"第 {number} 行不是有效的记录：{error}", file=path) from None
    return entries


def _tail_entry(handle: int) -> Entry | None:
    """The last entry of an open log (read from its end); one whose line is damaged chains on that line's hash."""
    size = os.fstat(handle).st_size
    window = 65536
    while True:
        start = max(0, size - window)
        data = os.pread(handle, size - start, start)
        lines = data.splitlines()
        complete = lines[1:] if start else lines
        for line in reversed(complete):
            if line.strip():
                try:
                    return Entry(**json.loads(line))
                except (ValueError, TypeError):  # verify names the damaged line; new entries still chain after it
                    damaged = hashlib.sha256(line).hexdigest()
                    lines_before = os.pread(handle, size, 0).count(b"\n")
                    return Entry(lines_before, "", "", 0, "", "", None, None, "", "", "", damaged)
        if not start:
            return None
        window *= 4


def _last_hashes(root: Path) -> dict[str, str]:
    """The content hash each tracked file had after its latest logged change."""
    last: dict[str, str] = {}
    try:
        for entry in read_log(root):
            last[entry.file] = entry.sha256
    except LogError:
        pass  # verify says so; the new entries still chain to the last line
    return last


def record(path: Path, old: bytes | None, new: bytes) -> list[Entry]:
    """Append the changes from ``old`` to ``new`` of a tracked file to its workspace's log (nothing for others)."""
    place = workspace_of(path)
    if place is None:
        return []
    root, year = place
    relative = f"{year}/{path.name}"
    digest = hashlib.sha256(new).hexdigest()
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    person = who()
    log = root / LOG_FILE
    handle = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    written: list[Entry] = []
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        last = _tail_entry(handle)
        previous, number = (last.hash, last.n) if last else (GENESIS, 0)
        rows: list[tuple[str | None, str, str | None, str | None, str, str, str]] = []
        if old is not None:
            known = _last_hashes(root).get(relative)
            old_digest = hashlib.sha256(old).hexdigest()
            if known is not None and known != old_digest:
                rows.append((None, OUTSIDE, known[:12], old_digest[:12], "", "（未知）", old_digest))
        changes = differences(old, new)
        rewritten = {indicator for indicator, what, _, _ in changes if what == "reason"}
        for indicator, what, before, after in changes:
            if path.name == SUBMISSION_FILE and what.startswith("events["):
                continue  # the step's who, when and comment are this entry's own who, time and reason
            if indicator is None and path.name == REVIEW_FILE:
                reason = ""  # the reason a command gives is its indicator's, not the reviewer row's
            else:
                reason = _reason_for(indicator, new, indicator in rewritten)
            rows.append((indicator, what, before, after, reason, person, digest))
        lines = []
        for indicator, what, before, after, reason, author, sha in rows:
            number += 1
            body = {
                "n": number,
                "time": now,
                "who": author,
                "year": year,
                "file": relative,
                "indicator": indicator,
                "what": what,
                "old": before,
                "new": after,
                "reason": reason,
                "sha256": sha,
                "prev": previous,
            }
            entry = Entry(**body, hash=entry_hash(body))
            previous = entry.hash
            written.append(entry)
            lines.append(entry.line())
        os.write(handle, ("\n".join(lines) + "\n").encode("utf-8"))
        os.fsync(handle)
    finally:
        os.close(handle)
    return written


def _hook(path: Path, old: bytes | None, new: bytes) -> Any:
    """The write hook: refuse writes to a read-only year's own files; log every tracked change once written."""
    place = workspace_of(path)
    if place is None:
        return None
    root, year = place
    if path.name in PINNED_FILES:
        refusal = read_only_reason(root, year)
        if refusal is not None:
            raise ZzperfError(refusal + "，未写入", file=path, hint="财政局用 zzperf return 退回后才能修改")
    if path.name == REVIEW_FILE and load_submission(root, year).state == "approved":
        raise ZzperfError(f"{year} 年度已通过复核，复核意见只读，未写入", file=path)
    return lambda: record(path, old, new)


def install() -> None:
    """Log (and guard) every later write of this process to tracked workspace files."""
    add_write_hook(_hook)


# ─── verification ───


@dataclass
class Verification:
    """What ``zzperf verify`` found: the first break of the chain, and files that differ from the log."""

    entries: int = 0
    broken: str | None = None
    """The first entry that does not match the chain, said in words."""
    pinned_mismatches: list[str] = field(default_factory=list)
    """Files of a submitted or approved year (or their state file) that differ from the log."""
    outside_edits: list[str] = field(default_factory=list)
    """Files of a draft or returned year changed outside zzperf since their last logged change (allowed)."""

    @property
    def ok(self) -> bool:
        return self.broken is None and not self.pinned_mismatches


def _digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def verify(root: Path) -> Verification:
    """Recompute the chain, then compare the current files with the hashes the log holds for them."""
    result = Verification()
    try:
        entries = read_log(root)
    except LogError as error:
        result.broken = error.message
        return result
    result.entries = len(entries)
    previous = GENESIS
    for index, entry in enumerate(entries, start=1):
        if entry.n != index:
            result.broken = f"第 {index} 条记录的序号是 {entry.n}，记录被删除、插入或调换"
            return result
        if entry.prev != previous:
            result.broken = f"第 {entry.n} 条记录（{entry.time} {entry.who}）与上一条不相连：前一条被修改或删除"
            return result
        if entry_hash(entry.body) != entry.hash:
            result.broken = f"第 {entry.n} 条记录（{entry.time} {entry.who} {entry.what_text}）的内容被修改"
            return result
        previous = entry.hash
    last: dict[str, Entry] = {}
    states: dict[int, str] = {}
    pins: dict[tuple[int, str], str] = {}
    for entry in entries:
        last[entry.file] = entry
        if Path(entry.file).name == SUBMISSION_FILE:
            if entry.what == "state" and entry.new is not None:
                states[entry.year] = entry.new
            elif entry.what.startswith("pinned.") and entry.new is not None:
                pins[(entry.year, entry.what.removeprefix("pinned."))] = entry.new
    for relative, entry in last.items():
        current = _digest(root / relative)
        locked = states.get(entry.year) in READ_ONLY_STATES
        name = Path(relative).name
        if locked and name in PINNED_FILES:
            continue  # compared with the pin below
        if current == entry.sha256:
            continue
        said = "已被删除" if current is None else "内容与记录不符"
        if locked or name == SUBMISSION_FILE:
            word = STATE_WORDS.get(states.get(entry.year, ""), "")
            result.pinned_mismatches.append(
                f"{relative} {said}（{word}后在 zzperf 之外被修改；最后记录为第 {entry.n} 条）"
            )
        else:
            result.outside_edits.append(f"{relative} 在第 {entry.n} 条记录之后在 zzperf 之外修改过")
    for (year, name), pinned in sorted(pins.items()):
        if states.get(year) not in READ_ONLY_STATES:
            continue
        file_name = f"{name}.toml"
        current = _digest(root / str(year) / file_name)
        if current != pinned:
            said = "已被删除" if current is None else "内容与提交时不符"
            word = STATE_WORDS[states[year]]
            result.pinned_mismatches.append(f"{year}/{file_name} {said}（{word}后在 zzperf 之外被修改）")
    return result


def filter_entries(entries: list[Entry], *, year: int | None = None, indicator: str | None = None) -> list[Entry]:
    """Entries of one year and/or one indicator (an indicator's id, or the start of one: ``input.goals``)."""
    chosen = entries
    if year is not None:
        chosen = [entry for entry in chosen if entry.year == year]
    if indicator is not None:
        chosen = [
            entry
            for entry in chosen
            if entry.indicator is not None
            and (entry.indicator == indicator or entry.indicator.startswith(indicator + "."))
        ]
    return chosen
