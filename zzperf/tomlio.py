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
from pydantic import BaseModel, ValidationError

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


def dump_model(instance: BaseModel) -> str:
    """TOML text of a model without None values (TOML has no null)."""
    data = instance.model_dump(mode="python", exclude_none=True)
    return tomli_w.dumps(_prune(data))


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
