"""Text copied from a published 决算 PDF or web page: decoding and splitting into lines of cells."""

from __future__ import annotations

from pathlib import Path

from zzperf.errors import ZzperfError
from zzperf.importing.grid import Line, split_text_line


def read_limited(path: Path, limit: int, *, what: str, usage: str, too_big: str) -> bytes:
    """The bytes of ``path`` (at most ``limit`` + 1), or one clear error: a folder, no file, too big, unreadable."""
    try:
        if path.is_dir():
            raise ZzperfError(f"这是一个目录，不是{what}", file=path, hint=usage)
        if not path.is_file():
            raise ZzperfError("文件不存在", file=path, hint=usage)
        size = path.stat().st_size
        if size > limit:
            raise ZzperfError(
                f"文件太大（{size / 1024 / 1024:.1f} MB），上限为 {limit // 1024 // 1024} MB", file=path, hint=too_big
            )
        with path.open("rb") as stream:
            return stream.read(limit + 1)
    except OSError as error:
        raise ZzperfError(f"无法读取：{error.strerror}", file=path) from None


def decode(data: bytes, path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 as saved by Chinese Windows tools."""
    if b"\x00" in data[:8192]:
        raise ZzperfError(
            "不是文本文件（含有二进制内容）",
            file=path,
            hint="请导入从决算 PDF 或网页复制粘贴得到的 .txt 文本，或 .xlsx 表格",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ZzperfError("无法识别文本编码（不是 UTF-8 或 GBK）", file=path, hint="请用 UTF-8 编码另存后再导入")


def text_lines(text: str) -> list[Line]:
    """One ``Line`` per text line, numbered from 1 as an editor shows them."""
    return [split_text_line(raw, f"第 {number} 行") for number, raw in enumerate(text.splitlines(), start=1)]
