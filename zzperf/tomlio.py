"""Reading TOML files into models with errors a person can act on, and atomic writes."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, get_args

import tomli
from pydantic import BaseModel, ValidationError

from zzperf.errors import ConflictError, ZzperfError, did_you_mean

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; the content check alone guards a save
    fcntl = None  # type: ignore[assignment]


Model = TypeVar("Model", bound=BaseModel)

_TYPE_WORDS = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的键",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数（不能有小数）",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "string_type": "应为文本（加引号）",
    "list_type": "应为列表",
    "dict_type": "应为表（[...]）",
    "model_type": "应为表（[...]）",
    "model_attributes_type": "应为表（[...]）",
    "decimal_parsing": "应为数字",
    "decimal_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "string_pattern_mismatch": "格式不符",
    "string_too_short": "不能为空",
    "too_short": "至少需要 1 项",
    "union_tag_invalid": "type 取值无效",
    "union_tag_not_found": "缺少 type",
}

_TOML_WORDS = {
    # Every message tomli raises (``tomli/_parser.py``), matched by how it starts; more
    # specific starts before the general ones (“Expected '='” before “Expected”).
    "Invalid value": "值无效（文字须加英文引号，数字不加）",
    "Invalid statement": "无法识别的语句",
    "Invalid initial character for a key part": "键名只能用英文字母、数字、下划线（中文请写在值里）",
    "Invalid date or datetime": "日期或时间无效（格式如 2019-03-31）",
    "Invalid hex value": "\\u 或 \\U 转义后的十六进制数无效",
    "Expected '=' after a key in a key/value pair": "键后面缺少“=”",
    "Expected newline or end of document after a statement": "一行只能写一个“键 = 值”",
    "Expected ']' at the end of a table declaration": "表头缺少右方括号“]”",
    "Expected ']]' at the end of an array declaration": "表数组的表头缺少“]]”",
    "Expected": "缺少应有的符号（引号、括号或等号）",
    "Cannot overwrite a value": "重复定义了同一个键",
    "Cannot declare": "重复定义了同一个表",
    "Cannot mutate immutable namespace": "不能再向已用内联表 { … } 或数组写定的键添加内容",
    "Cannot redefine namespace": "同一个名字已经是表，不能再作为别的值定义",
    "Duplicate inline table key": "内联表 { … } 中重复写了同一个键",
    "Unclosed array": "数组缺少右方括号“]”",
    "Unclosed inline table": "内联表缺少右花括号“}”",
    "Unterminated string": "字符串缺少结束引号",
    "Unescaped '\\' in a string": "字符串中的反斜杠“\\”须写成“\\\\”，或改用单引号",
    "Escaped character is not a Unicode scalar value": "转义得到的不是有效的字符",
    "Found invalid character": "字符串或注释中有不允许的控制字符",
    "Illegal character": "字符串中有不允许的字符（换行或控制字符；可能缺少结束引号）",
    "parse_float must not return dicts or lists": "数字无法读取",
}


_TOML_HINT = "检查引号、括号和等号；中文只能写在值里"
_TOML_HINTS = {
    "Cannot overwrite a value": "同一个表中每个键只能写一次：删去重复的那一行，或把它移到它所属的表头下",
    "Cannot declare": "每个 [表头] 只能出现一次：把两处的内容合到一处",
    "Duplicate inline table key": "内联表 { … } 中每个键只能写一次",
}
"""What to do about a TOML error, where the general hint (``_TOML_HINT``) does not fit it."""


Stamp = tuple[int, int, str]
"""A file as it was read: (modification time in ns, size, content hash)."""


def read_toml(
    path: Path,
    *,
    seen: dict[Path, str] | None = None,
    stamps: dict[Path, Stamp] | None = None,
    model: type[BaseModel] | None = None,
) -> tuple[dict[str, Any], str]:
    """The parsed document (floats as Decimal) and its text; a clear error when unreadable.

    Only a regular file is opened (a FIFO would block, a dangling link or a folder is not "empty"); ``seen``, when
    given, records the content hash of what was read, for ``write_bytes_atomic(expect=...)``; ``stamps`` records
    the time, size and hash of those very bytes, for noticing a later change (``DiskWatch``). ``model``, when
    given, lets an error in a value name the figure by its Chinese label (本年收入合计（overview.income_total）).
    """
    refuse_odd_file(path)
    try:
        with path.open("rb") as handle:
            info = os.fstat(handle.fileno())
            raw = handle.read()
        text = raw.decode("utf-8").removeprefix("\ufeff")  # Notepad's BOM
    except FileNotFoundError:
        raise ZzperfError("文件不存在", file=path) from None
    except IsADirectoryError:
        raise ZzperfError("这是一个文件夹，不是文件", file=path) from None
    except UnicodeDecodeError:
        raise ZzperfError("不是 UTF-8 文本文件", file=path, hint="请用 UTF-8 编码另存为 .toml 文本文件") from None
    except OSError as error:
        raise ZzperfError(f"无法读取：{error.strerror}", file=path) from None
    if seen is not None or stamps is not None:
        digest = hashlib.sha256(raw).hexdigest()
        if seen is not None:
            seen[path] = digest
        if stamps is not None:
            stamps[path] = (info.st_mtime_ns, info.st_size, digest)
    try:
        return tomli.loads(text, parse_float=Decimal), text
    except RecursionError:
        raise ZzperfError("TOML 嵌套层数过多，无法读取", file=path, hint="数组和表的嵌套只需几层") from None
    except tomli.TOMLDecodeError as error:
        detail = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        words = next((chinese for english, chinese in _TOML_WORDS.items() if detail.startswith(english)), detail)
        match = re.search(r"line (\d+), column (\d+)", str(error))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            where = f"第 {line} 行第 {column} 列"
            written = _unit_after_number(text, line, column)
            if written is not None:
                number, unit = written
                raise ZzperfError(
                    f"数字后面不能写单位：应写作 {number}（不写“{unit}”）",
                    file=path,
                    where=_named(where, text, line, model),
                    hint=_unit_hint(text),
                ) from None
            minus = _odd_minus_at(text, line, column)
            if detail.startswith("Invalid value") and minus is not None:
                sign, number = minus
                raise ZzperfError(
                    f"负号须用英文减号“-”：应写作 -{number}（文件中的“{sign}”是另一个字符）",
                    file=path,
                    where=_named(f"第 {line} 行", text, line, model),
                    hint="从网页、PDF 或 Word 复制来的负数常带这样的负号，请改为键盘上的减号",
                ) from None
            garbled = _garbled_number(text, line)
            if garbled is not None:
                message, hint = garbled
                raise ZzperfError(
                    message, file=path, where=_named(f"第 {line} 行", text, line, model), hint=hint
                ) from None
            kind = _value_kind(model, _loc_of_line(text, line))
            if detail.startswith("Invalid value") and kind and _chinese_numeral_at(text, line, column):
                raise ZzperfError(
                    f"{kind}须用阿拉伯数字书写，例如 {'608.72' if kind == '金额' else '2018'}",
                    file=path,
                    where=_named(f"第 {line} 行", text, line, model),
                    hint=_numeral_hint(text, line),
                ) from None
            where = _named(where, text, line, model)
        else:  # “at end of document”: the last line that says something is where it went wrong
            said = [number for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
            where = f"文件末尾（第 {said[-1]} 行）" if said else "文件末尾"
        hint = next((hint for start, hint in _TOML_HINTS.items() if detail.startswith(start)), _TOML_HINT)
        raise ZzperfError(f"TOML 格式错误：{words}", file=path, where=where, hint=hint) from None
    except ValueError:  # an integer with thousands of digits
        raise ZzperfError("TOML 中有位数过多的数字，无法读取", file=path, hint="金额和分数只需十几位数字") from None


_UNIT = re.compile(r"\s*(万元|亿元|千元|元|个百分点|百分点|%|％|人|件|辆|次|个|项|台|套|户|家|天|日)")


def _unit_after_number(text: str, line: int, column: int) -> tuple[str, str] | None:
    """The number and the unit written right after it where tomli stopped (``608.72万元``), or None."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    before, after = lines[line - 1][: column - 1], lines[line - 1][column - 1 :]
    unit = _UNIT.match(after)
    number = re.search(r"[-+]?[\d_]+(\.[\d_]+)?\s*$", before)
    return (number.group(0).strip(), unit.group(1)) if unit and number else None


_ODD_MINUS = re.compile(r"([−－])\s*(\d[\d_]*(?:\.\d+)?)")
"""A number behind a minus sign TOML does not read but ``parse_amount`` does: the mathematical minus (U+2212) and the
full-width one (a dash before a number is no minus there either)."""


def _odd_minus_at(text: str, line: int, column: int) -> tuple[str, str] | None:
    """The sign and the number of a value written with such a minus where tomli stopped (``−608.72``), or None."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    written = _ODD_MINUS.match(lines[line - 1][column - 1 :])
    return (written.group(1), written.group(2)) if written else None


_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d{1,2}")


NUMBER_HINT = "数字只写阿拉伯数字和小数点，如 {example}：不加引号，不带千位分隔符、单位或其他字符"


def _garbled_number(text: str, line: int) -> tuple[str, str] | None:
    """What is wrong with a value on ``line`` that starts as a number but is not one TOML reads (``1,234.56``,
    ``608,72``, ``６０８.７２``, ``608.72x``, ``608.72.1``, ``0731…``), and a hint with the value as it should be
    written (an example of the form when that cannot be told); None for anything else."""
    lines = text.splitlines()
    if not 0 < line <= len(lines) or not (key := _KEY.match(lines[line - 1])):
        return None
    written = lines[line - 1][key.end() :].split("#", 1)[0].strip()
    if not re.match(r"[-+]?\d", written) or re.search(r"\s|:|\d-\d", written):
        return None  # not a number at all; two statements on a line, a time or a date: tomli's words fit those
    name = key.group(1)
    halfwidth = unicodedata.normalize("NFKC", written)  # full-width digits, as a Chinese input method types them
    if halfwidth != written and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", halfwidth):
        said = f"数字须用半角字符：应写作 {halfwidth}（文件中写的是 {written}）"
        return said, NUMBER_HINT.format(example=f"{name} = {halfwidth}")
    if re.fullmatch(r"0[0-9]+", written):  # TOML has no number with a leading 0: a telephone number or a code
        said = f"“{written}”以 0 开头，不是数字：电话号码、编码等须加引号写作文字"
        return said, f'写作 {name} = "{written}"；金额等数字不以 0 开头'
    if re.fullmatch(r"[-+]?[0-9_]+(\.[0-9_]+)?([eE][-+]?[0-9]+)?", written):
        return None  # one TOML reads: the error is elsewhere on the line
    if _THOUSANDS.fullmatch(written):
        fixed = written.replace(",", "")
        said = f"数字中不能写千位分隔符：应写作 {fixed}（文件中写的是 {written}）"
        return said, NUMBER_HINT.format(example=f"{name} = {fixed}")
    if _DECIMAL_COMMA.fullmatch(written):
        fixed = written.replace(",", ".")
        said = f"小数点须用英文句点“.”：应写作 {fixed}（文件中写的是 {written}）"
        return said, NUMBER_HINT.format(example=f"{name} = {fixed}")
    return f"“{written}”不是一个数字", NUMBER_HINT.format(example=f"{name} = 1234.56")  # the form: the meaning is lost


_CHINESE_NUMERALS = "零一二三四五六七八九十百千万亿两〇点壹贰叁肆伍陆柒捌玖拾佰仟"


def _chinese_numeral_at(text: str, line: int, column: int) -> bool:
    """Whether the value tomli could not read (at ``line``, ``column``) starts with a Chinese numeral."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return False
    return lines[line - 1][column - 1 : column] in tuple(_CHINESE_NUMERALS)


def _numeral_hint(text: str, line: int) -> str:
    """How the value on ``line`` is written: an example with the line's own key."""
    key = _KEY.match(text.splitlines()[line - 1])
    example = f"{key.group(1)} = 608.72" if key else "608.72"
    return f"数字不加引号，如 {example}；{_unit_hint(text)}"


def _value_kind(model: type[BaseModel] | None, loc: tuple[int | str, ...]) -> str:
    """What the field at ``loc`` holds, for an error about Chinese numerals: 金额 (a decimal, or a field the model
    does not describe), 数字 (an integer), or "" for text, whose Chinese is right once quoted."""
    if model is None or not loc:
        return "金额"
    field = None
    for _, field, _ in _fields_along(model, loc):  # noqa: B007 - the last step's field is wanted
        if field is None:
            return "金额"
    annotation = getattr(field, "annotation", None)
    if _holds(annotation, Decimal):
        return "金额"
    return "数字" if _holds(annotation, int) else ""


def _holds(annotation: Any, kind: type) -> bool:
    """Whether a field's type is ``kind`` or has it inside (``Decimal | None``, ``Annotated[int, …]``); a name that
    merely contains the word (a class called ``Points``) is not it."""
    return annotation is kind or any(_holds(argument, kind) for argument in get_args(annotation))


def _named(where: str, text: str, line: int, model: type[BaseModel] | None) -> str:
    """``where`` followed by the key written on ``line``: its Chinese label and dotted path when ``model`` has one."""
    loc = _loc_of_line(text, line)
    if not loc:
        return where
    path = key_path(loc)
    label = _field_label(model, loc) if model is not None else None
    return f"{where} {label}（{path}）" if label else f"{where} {path}"


def _loc_of_line(text: str, line: int) -> tuple[int | str, ...]:
    """The location (as pydantic gives it) of the key written on ``line``: the table header above it, each array
    of tables with the index of its element, then the key; empty when no key starts that line."""
    loc: tuple[int | str, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for number, kind, value in _lines(text):
        if number > line:
            break
        if kind == "key":
            if number == line:
                return (*loc, str(value))
            continue
        name: tuple[str, ...] = value  # type: ignore[assignment]
        if kind == "array":
            counts[name] = counts.get(name, -1) + 1
            counts = {key: count for key, count in counts.items() if key[: len(name)] != name or key == name}
        loc = ()
        for depth in range(1, len(name) + 1):
            loc += (name[depth - 1],)
            if name[:depth] in counts and (depth < len(name) or kind == "array"):
                loc += (counts[name[:depth]],)
    return ()


def _unit_hint(text: str) -> str:
    """How the file sets its unit, for an error about a unit written after a number."""
    unit = re.search(r'^\s*unit\s*=\s*"([^"]*)"', text, re.MULTILINE)
    if unit:
        return f'本文件的金额单位由 unit = "{unit.group(1)}" 统一设定，数字后面不写单位'
    return '数字后面不写单位；决算数据的金额单位由 unit = "万元"（或 "元"）统一设定'


def key_path(loc: tuple[int | str, ...], data: Any = None) -> str:
    """A pydantic location as a dotted key path: ``basic_expenditure.lines[11]（30113）.amount``."""
    text = ""
    node = data
    for part in loc:
        node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
        if isinstance(part, int):
            text += f"[{part}]"
            name = next((node[key] for key in ("code", "key", "id") if isinstance(node, dict) and key in node), None)
            if name is not None:
                text += f"（{name}）"
        else:
            text += f".{part}" if text else str(part)
    return text


def _has(node: dict | list, part: int | str) -> bool:
    if isinstance(node, list):
        return isinstance(part, int) and 0 <= part < len(node)
    return part in node


_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*(\"[^\"]*\"|[A-Za-z0-9_-]+)\s*=")


def _split_dotted(name: str) -> tuple[str, ...]:
    return tuple(part.strip().strip('"') for part in re.findall(r'"[^"]*"|[^.]+', name))


def _lines(text: str) -> list[tuple[int, str, tuple[str, ...] | str]]:
    """(line number, kind, header path or key) for every header and key line."""
    entries: list[tuple[int, str, tuple[str, ...] | str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            kind = "array" if header.group(1) == "[[" else "table"
            entries.append((number, kind, _split_dotted(header.group(2))))
            continue
        key = _KEY.match(line)
        if key:
            entries.append((number, "key", key.group(1).strip('"')))
    return entries


def locate(text: str, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the key a pydantic location points to (tables, arrays of tables, nested keys)."""
    entries = _lines(text)
    path: tuple[str, ...] = ()
    start = 0
    line: int | None = None
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        following = loc[index + 1] if index + 1 < len(loc) else None
        if isinstance(following, int):
            element = _nth_array(entries, path + (part,), following, start)
            if element is None:  # an inline array: point at its key
                return _key_line(entries, path, part, start) or line
            start, line = element, entries[element][0]
            path += (part,)
        elif following is None:
            return _key_line(entries, path, part, start) or _header_line(entries, path + (part,), start) or line
        else:
            path += (part,)
    return line


def _nth_array(entries: list, name: tuple[str, ...], index: int, start: int) -> int | None:
    count = -1
    for position in range(start, len(entries)):
        _, kind, value = entries[position]
        if kind == "array" and value == name:
            count += 1
            if count == index:
                return position
    return None


def _header_line(entries: list, name: tuple[str, ...], start: int) -> int | None:
    return next((number for number, kind, value in entries[start:] if kind != "key" and value == name), None)


def _key_line(entries: list, table: tuple[str, ...], key: str, start: int) -> int | None:
    """The line of ``key`` inside ``table``, looking from entry ``start`` to the next element of the same array."""
    current: tuple[str, ...] = entries[start][2] if entries and start and entries[start][1] != "key" else ()
    for number, kind, value in entries[start + (1 if start else 0) :]:
        if kind == "array" and current and value == current and table[: len(value)] == value and start:
            break  # the next element of the array we started in
        if kind != "key":
            current = value  # type: ignore[assignment]
        elif current == table and value == key:
            return number
    return None


def explain(error: ValidationError, model: type[BaseModel], path: Path, text: str, data: Any = None) -> ZzperfError:
    """The first validation problem as a located error with a hint."""
    # A misspelt key shows up twice (unknown key + missing key); the unknown one, with its hint, helps more.
    first = min(error.errors(), key=lambda item: item["type"] != "extra_forbidden")
    loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    tagged_loc = loc
    loc = tuple(
        part for index, part in enumerate(loc) if not (part in _RULE_TAGS and loc[index - 1 : index] == ("rule",))
    )
    where = key_path(loc, data)
    kind = first["type"]
    message = _TYPE_WORDS.get(kind, "")
    detail = str(first.get("msg", ""))
    context = first.get("ctx") or {}
    if kind.startswith("value_error"):
        message = detail.removeprefix("Value error, ")
    elif kind == "literal_error":
        message = f"取值无效：应为 {context.get('expected', '').replace(' or ', ' 或 ')}"
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"数值应不小于 {context.get('ge', context.get('gt'))}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"数值应不大于 {context.get('le', context.get('lt'))}"
    elif not message:
        message = detail
    hint = None
    if kind == "extra_forbidden" and loc:
        hint = did_you_mean(str(loc[-1]), _siblings(model, tagged_loc[:-1]))
    line = locate(text, loc) if loc else None
    label = _field_label(model, tagged_loc)
    if label and where:
        where = f"{label}（{where}）"
    place = f"第 {line} 行 {where}" if line else where
    return ZzperfError(message, file=path, where=place or None, hint=hint)


_RULE_TAGS = {
    "threshold",
    "step",
    "bands",
    "proportional",
    "target",
    "checklist",
    "per_case",
    "levels",
    "judged",
}
"""Discriminator tags pydantic puts into a rule's error location (``rule.threshold.limit``)."""


_TAG = object()
"""A step of an error location that is a rule's tag (it picks the union member), not a field."""


def _fields_along(model: type[BaseModel], loc: tuple[int | str, ...]) -> Iterator[tuple[int, Any, list[Any]]]:
    """Each named step of ``loc`` (list indexes are passed over): its index, the field it names (``_TAG`` for a
    rule's tag, None when no model there has it) and the models the walk stands in after it."""
    candidates: list[Any] = [model]
    for index, part in enumerate(loc):
        if isinstance(part, int):
            continue
        tagged = [c for c in candidates if _tag(c) == part]
        if tagged:
            candidates = tagged
            yield index, _TAG, candidates
            continue
        current = next((c for c in candidates if part in c.model_fields), None)
        field = current.model_fields[part] if current is not None else None
        if field is not None:
            candidates = _models_in(field.annotation)
        yield index, field, candidates


def _siblings(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the model reached by ``loc``, for "did you mean"."""
    candidates: list[Any] = [model]
    for _, field, candidates in _fields_along(model, loc):  # noqa: B007 - the last step's models are wanted
        if field is None:
            return []
    return list(candidates[0].model_fields) if len(candidates) == 1 else []


def _field_label(model: type[BaseModel], loc: tuple[int | str, ...]) -> str | None:
    """The Chinese label of the field ``loc`` ends at, from the field descriptions: 本年收入合计, and for a field
    inside a nested block the block's label before it, “三公”经费决算数·合计 (as ``figure_paths.label`` words it)."""
    if not loc or not isinstance(loc[-1], str):
        return None
    labels: list[str] = []
    for index, field, _ in _fields_along(model, loc):
        if field is None or field is _TAG:  # None: a key of a table of entries (indicators."input.goals")
            continue
        label = re.sub(r"（[^（）]*）$", "", (field.description or "").strip().split("\n")[0].split("：")[0].strip())
        if index > 0 or index == len(loc) - 1:  # a top-level table's name (公开01表…) is not part of the label
            labels.append(label if re.search(r"[^\x00-\x7f]", label) and not re.search(r"[A-Za-z]{2}", label) else "")
    return "·".join(label for label in labels if label) if labels and labels[-1] else None


def _models_in(annotation: Any) -> list[Any]:
    """Model classes inside an annotation such as ``list[Line]`` or ``Annotated[Union[A, B], ...] | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[Any] = []
    for argument in get_args(annotation):
        found += _models_in(argument)
    return found


def _tag(candidate: Any) -> str | None:
    """The ``type`` literal of a tagged union member, if it has one."""
    field = candidate.model_fields.get("type")
    values = get_args(field.annotation) if field is not None else ()
    return values[0] if len(values) == 1 and isinstance(values[0], str) else None


def line_of_table(text: str, array: str, index: int) -> int | None:
    """The 1-based line of the ``index``-th ``[[array]]`` header in ``text``."""
    position = _nth_array(_lines(text), (array,), index, 0)
    return _lines(text)[position][0] if position is not None else None


def load_model(
    path: Path, model: type[Model], *, seen: dict[Path, str] | None = None, stamps: dict[Path, Stamp] | None = None
) -> Model:
    """Read and validate one TOML file, raising ZzperfError that names file, line and key."""
    data, text = read_toml(path, seen=seen, stamps=stamps, model=model)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise explain(error, model, path, text, data) from None
    except ZzperfError as error:
        raise error.located(file=path) from None


ALWAYS_WRITTEN = ("format_version", "unit", "indicator_set")
"""Top-level keys written even at their default value, so every file states them."""


def _data(instance: BaseModel) -> dict[str, Any]:
    """A model as TOML data: no None (TOML has no null) and no blank defaults ("", false, empty lists).

    Defaults that say something (``op = ">="``, ``status = "draft"``) are written out.
    """
    data: dict[str, Any] = {}
    for name, info in type(instance).model_fields.items():
        value = getattr(instance, name)
        if value is None:
            continue
        if not info.is_required() and name not in ALWAYS_WRITTEN:
            default = info.get_default(call_default_factory=True)
            if not default and value == default:
                continue
        data[name] = _plain_data(value)
    return data


def _plain_data(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _data(value)
    if isinstance(value, list):
        return [_plain_data(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain_data(item) for key, item in value.items()}
    return value


def dump_model(instance: BaseModel) -> str:
    """TOML text of a model (see ``_data`` for what is left out)."""
    import tomli_w  # the writers are imported on the first write: reading (``zzperf check``) needs neither

    return tomli_w.dumps(_prune(_data(instance)))


def dump_preserving(instance: BaseModel, existing: str | None) -> str:
    """TOML text of a model that keeps the comments and layout of ``existing`` where values are unchanged.

    People edit these files by hand too; a save from the program must not wipe their notes.

    Reading the text with tomlkit is most of the work (some 60 ms for a year's figures, in the app's saving thread,
    where it held up the screen): the document a save made is kept (``_DOCUMENTS``) and used again when the next
    save starts from the very text it gave, as the app's saves of one file do one after another.
    """
    import tomli_w
    import tomlkit

    data = _prune(_data(instance))
    if not existing:
        return tomli_w.dumps(data)
    with _DOCUMENTS_LOCK:
        document = _DOCUMENTS.pop(existing, None)
        if document is None:
            try:
                document = tomlkit.parse(existing)
            except tomlkit.exceptions.ParseError:
                return tomli_w.dumps(data)
        _merge(document, data)
        text = tomlkit.dumps(document)
        _DOCUMENTS[text] = document
        while len(_DOCUMENTS) > KEPT_DOCUMENTS:
            del _DOCUMENTS[next(iter(_DOCUMENTS))]  # the oldest
        return text


KEPT_DOCUMENTS = 4
"""How many documents ``dump_preserving`` keeps: a year's figures and scores, and the reviewer's file."""

_DOCUMENTS: dict[str, Any] = {}
"""tomlkit documents by the text each gives, newest last: a document is taken out while a save changes it."""

_DOCUMENTS_LOCK = threading.Lock()


def _merge(table: Any, data: dict[str, Any]) -> None:
    """Update a tomlkit table in place to hold ``data``, touching only what changed."""
    from tomlkit.items import AoT

    for key in [key for key in table if key not in data]:
        del table[key]
    for key, value in data.items():
        old = table.get(key)
        if isinstance(value, dict) and hasattr(old, "items") and not isinstance(old, AoT):
            _merge(old, value)
        elif _is_table_list(value) and isinstance(old, AoT) and len(old) == len(value):
            for old_row, new_row in zip(old, value):
                _merge(old_row, new_row)
        elif old is None or not _same(old, value):
            table[key] = _item(value, old)


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(item, dict) for item in value)


def _same(old: Any, value: Any) -> bool:
    from tomlkit.items import Item

    plain = old.unwrap() if isinstance(old, Item) else old
    if isinstance(value, Decimal) and isinstance(plain, (int, float)) and not isinstance(plain, bool):
        return Decimal(str(plain)) == value
    return type(plain) is type(value) and plain == value


def _item(value: Any, old: Any) -> Any:
    """A tomlkit item for ``value``: decimals keep their exact text, a replaced scalar keeps its comment."""
    import tomlkit
    from tomlkit.items import AoT, Float, Item, Trivia

    if isinstance(value, Decimal):
        new: Any = Float(float(value), Trivia(), format(value, "f"))
    elif isinstance(value, dict):
        table = tomlkit.item(_plain(value))
        table.add(tomlkit.nl())
        return table
    elif isinstance(value, list):
        return tomlkit.item(_plain(value))
    elif isinstance(value, str) and "\n" in value:
        new = tomlkit.string(value, multiline=True)
    else:
        new = tomlkit.item(value)
    if isinstance(old, Item) and not isinstance(old, AoT) and hasattr(new, "trivia"):
        new.trivia.comment = old.trivia.comment
        new.trivia.comment_ws = old.trivia.comment_ws
    return new


def _plain(value: Any) -> Any:
    """Nested data with decimals as exact-text TOML floats, for tomlkit."""
    from tomlkit.items import Float, Trivia

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, Decimal):
        return Float(float(value), Trivia(), format(value, "f"))
    return value


def _prune(value: Any) -> Any:
    """Drop empty tables and lists so files stay short, keeping key order."""
    if isinstance(value, dict):
        pruned = {key: _prune(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item != {} and item != []}
    if isinstance(value, list):
        return [_prune(item) for item in value]
    return value


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_NEW_FILE_MODE = 0o666 & ~_umask()
"""The mode ``open()`` gives a new file (read once, at import, before any thread writes)."""


def refuse_odd_file(path: Path) -> None:
    """Raise for anything at ``path`` that is there but is not a regular file; stats only, never opens it."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise ZzperfError(
                f"符号链接指向的文件不存在：{os.readlink(path)}", file=path, hint="修正或删除这个链接"
            ) from None
        return
    except OSError as error:
        raise ZzperfError(f"无法读取：{error.strerror}", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise ZzperfError("这是一个文件夹，不是文件", file=path, hint="把它移走，换成 TOML 文本文件")
    if not stat.S_ISREG(info.st_mode):
        kind = "命名管道（FIFO）" if stat.S_ISFIFO(info.st_mode) else "特殊文件"
        raise ZzperfError(f"这是一个{kind}，不是普通文件", file=path, hint="把它移走，换成 TOML 文本文件")


ABSENT = ""
"""The ``expect`` of a file that must not exist yet."""


def content_digest(path: Path) -> str:
    """The SHA-256 of the file's content, ``ABSENT`` when there is none (regular files only)."""
    try:
        refuse_odd_file(path)
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ABSENT


def write_atomic(path: Path, text: str, *, expect: str | None = None) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) atomically; see ``write_bytes_atomic``."""
    write_bytes_atomic(path, text.encode("utf-8"), expect=expect)


WriteHook = Callable[[Path, "bytes | None", bytes], "Callable[[], None] | None"]
"""Sees a write before it happens: ``hook(file, old content or None, new content)``, under the folder lock.

It refuses the write by raising; what it returns (if anything) is called once the new content is in place.
"""

_WRITE_HOOKS: list[WriteHook] = []


def add_write_hook(hook: WriteHook) -> None:
    """Have ``hook`` see every later ``write_bytes_atomic`` in this process (once, however often it is added)."""
    if hook not in _WRITE_HOOKS:
        _WRITE_HOOKS.append(hook)


def _run_write_hooks(target: Path, data: bytes) -> list[Callable[[], None]]:
    """Ask every hook about writing ``data`` over ``target``; the follow-ups to call once it is written."""
    if not _WRITE_HOOKS:
        return []
    try:
        old: bytes | None = target.read_bytes()
    except FileNotFoundError:
        old = None
    if old == data:
        return []
    return [done for hook in _WRITE_HOOKS if (done := hook(target, old, data)) is not None]


TEMPORARY_AGE = 60
"""Seconds after which a leftover ``.NAME.*.tmp`` is taken for one a killed save left behind."""


def write_bytes_atomic(path: Path, data: bytes, *, expect: str | None = None) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never half.

    Temporary file in the target's folder (through a symbolic link: the link stays, its target gets the data),
    flush, fsync, rename over the target, fsync the folder. With ``expect`` (a ``content_digest``, or ``ABSENT``)
    the file must still be what was read: checked just before the rename, under a lock on the folder that every
    zzperf process takes, else ConflictError and nothing is written. A read-only file is refused, and so is a write
    that a write hook (``add_write_hook``) refuses.
    """
    target = _write_target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp makes the file private (0600); keep the mode the file had, or what a new file gets.
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _NEW_FILE_MODE
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        with _locked_folder(target.parent) as folder:
            if expect is not None and content_digest(target) != expect:
                raise ConflictError(
                    "文件在读取之后已被其他程序修改（可能正在 zzperf 评分界面中打开），未写入",
                    file=path,
                    hint="重新读取文件后再操作；磁盘上的版本保持不变",
                )
            follow_ups = _run_write_hooks(target, data)
            os.replace(temporary, target)
            if folder is not None:
                os.fsync(folder)
            for follow_up in follow_ups:
                follow_up()
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _locked_folder(folder: Path) -> Iterator[int | None]:
    """Hold an exclusive ``flock`` on ``folder`` (every zzperf writer takes it); yields its descriptor for fsync.

    Where folders cannot be opened or locked (Windows), yields None and locks nothing.
    """
    if not hasattr(os, "O_DIRECTORY"):
        yield None
        return
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield handle
    finally:
        os.close(handle)  # closing releases the lock


def refuse_read_only_folder(folder: Path) -> None:
    """Raise for a folder whose mode lets nobody write (checked on the mode bits: root would write regardless)."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return  # a missing folder is created, or the write says why it cannot be
    if not mode & 0o222:
        raise ZzperfError("文件夹是只读的，无法写入", file=folder, hint="请修改文件夹权限，或换一个可以写入的位置")


def _write_target(path: Path) -> Path:
    """The file a write of ``path`` really replaces: a link's target; refuses odd and read-only files and folders."""
    refuse_odd_file(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    refuse_read_only_folder(target.parent)
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if not mode & 0o222:
        raise ZzperfError("文件是只读的，未写入", file=path, hint=f"确需修改时先解除只读：chmod u+w {path}")
    return target


def remove_stale_temporaries(folder: Path, names: Iterable[str]) -> list[Path]:
    """Delete the ``.NAME.PID.*.tmp`` files killed saves of ``names`` left in ``folder``: old, or their writer gone."""
    pattern = re.compile(rf"^\.(?:{'|'.join(map(re.escape, names))})\.(?:(\d+)\.)?[^.]+\.tmp$")
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not stat.S_ISREG(info.st_mode):
            continue
        writer = int(match.group(1)) if match.group(1) else None
        if now - info.st_mtime < TEMPORARY_AGE and (writer is None or _alive(writer)):
            continue
        try:
            entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as error:
        return error.errno == errno.EPERM
    return True
