"""Reading TOML files into models with errors a person can act on, and atomic writes."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
import tomlkit
from pydantic import BaseModel, ValidationError
from tomlkit.items import AoT, Float, Item, Trivia

from zzperf.errors import ZzperfError, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

Model = TypeVar("Model", bound=BaseModel)

_TYPE_WORDS = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的键",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为表（[...]）",
    "model_type": "应为表（[...]）",
    "literal_error": "取值无效",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "string_pattern_mismatch": "格式不符",
    "union_tag_invalid": "type 取值无效",
    "union_tag_not_found": "缺少 type",
}


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed document (floats as Decimal) and its text; a clear error when unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ZzperfError("文件不存在", file=path) from None
    except UnicodeDecodeError:
        raise ZzperfError("不是 UTF-8 文本文件", file=path, hint="请用 UTF-8 编码保存") from None
    except OSError as error:
        raise ZzperfError(f"无法读取：{error.strerror}", file=path) from None
    try:
        return tomllib.loads(text, parse_float=Decimal), text
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+), column (\d+)", str(error))
        where = f"第 {match.group(1)} 行第 {match.group(2)} 列" if match else None
        raise ZzperfError(
            f"TOML 格式错误：{error}", file=path, where=where, hint="检查引号、括号和等号；中文只能写在值里"
        ) from None


def key_path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as a dotted key path: ``indicator[3].rule.limit``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def line_of_table(text: str, array: str, index: int) -> int | None:
    """The 1-based line of the ``index``-th ``[[array]]`` header in ``text``."""
    count = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() == f"[[{array}]]":
            count += 1
            if count == index:
                return number
    return None


def line_of_key(text: str, key: str) -> int | None:
    """The 1-based line where ``key = …`` or ``[key]`` first appears."""
    pattern = re.compile(rf"^\s*(\[+\s*)?{re.escape(key)}\s*(=|\])")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def explain(error: ValidationError, model: type[BaseModel], path: Path, text: str) -> ZzperfError:
    """The first validation problem as a located error with a hint."""
    first = error.errors()[0]
    loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    where = key_path(loc)
    kind = first["type"]
    message = _TYPE_WORDS.get(kind, "")
    detail = str(first.get("msg", ""))
    if kind.startswith("value_error"):
        message = detail.removeprefix("Value error, ")
    elif kind == "literal_error":
        message = f"取值无效：{detail.replace('Input should be', '应为')}"
    elif not message:
        message = detail
    hint = None
    if kind == "extra_forbidden" and loc:
        hint = did_you_mean(str(loc[-1]), _siblings(model, loc[:-1]))
    line = None
    if loc and isinstance(loc[0], str) and len(loc) > 1 and isinstance(loc[1], int):
        line = line_of_table(text, loc[0], loc[1])
    elif loc:
        line = line_of_key(text, str(loc[-1])) or line_of_key(text, str(loc[0]))
    place = f"第 {line} 行 {where}" if line else where
    return ZzperfError(message, file=path, where=place or None, hint=hint)


def _siblings(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """Field names of the model reached by ``loc``, for "did you mean"."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        annotation = fields[part].annotation
        args = getattr(annotation, "__args__", ())
        current = next((arg for arg in (annotation, *args) if hasattr(arg, "model_fields")), None)
        if current is None:
            return []
    return list(getattr(current, "model_fields", {}))


def load_model(path: Path, model: type[Model]) -> Model:
    """Read and validate one TOML file, raising ZzperfError that names file, line and key."""
    data, text = read_toml(path)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise explain(error, model, path, text) from None
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
    return tomli_w.dumps(_prune(_data(instance)))


def dump_preserving(instance: BaseModel, existing: str | None) -> str:
    """TOML text of a model that keeps the comments and layout of ``existing`` where values are unchanged.

    People edit these files by hand too; a save from the program must not wipe their notes.
    """
    data = _prune(_data(instance))
    if not existing:
        return tomli_w.dumps(data)
    try:
        document = tomlkit.parse(existing)
    except tomlkit.exceptions.ParseError:
        return tomli_w.dumps(data)
    _merge(document, data)
    return tomlkit.dumps(document)


def _merge(table: Any, data: dict[str, Any]) -> None:
    """Update a tomlkit table in place to hold ``data``, touching only what changed."""
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
    plain = old.unwrap() if isinstance(old, Item) else old
    if isinstance(value, Decimal) and isinstance(plain, (int, float)) and not isinstance(plain, bool):
        return Decimal(str(plain)) == value
    return type(plain) is type(value) and plain == value


def _item(value: Any, old: Any) -> Any:
    """A tomlkit item for ``value``: decimals keep their exact text, a replaced scalar keeps its comment."""
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


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` so that ``path`` holds either the old or the new content, never half.

    Temporary file in the same folder, flush, fsync, rename over the target, fsync the folder.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
