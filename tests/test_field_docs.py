"""Field descriptions read from attribute docstrings: the quick reading of the source agrees with Python's own."""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from itertools import pairwise
from pathlib import Path

import pytest

import zzperf
from zzperf.field_docs import attribute_docstrings

PACKAGE = Path(zzperf.__file__).parent
MODULES = sorted(
    ".".join(("zzperf", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")
    for path in PACKAGE.rglob("*.py")
    if path.name != "__main__.py"
)


def parsed_docstrings(source: str) -> dict[str, dict[str, str]]:
    """What ``ast`` finds: for every class (and class inside one), each annotated name with a string right below."""
    found: dict[str, dict[str, str]] = {}
    classes = [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]
    for node in classes:
        classes += [inner for inner in node.body if isinstance(inner, ast.ClassDef)]
        docs: dict[str, str] = {}
        for statement, following in pairwise(node.body):
            if (
                isinstance(statement, ast.AnnAssign)
                and isinstance(statement.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[statement.target.id] = inspect.cleandoc(following.value.value)
        found[node.name] = docs
    return found


@pytest.mark.parametrize("name", MODULES)
def test_every_model_field_of_the_package_has_its_docstring_as_python_reads_it(name: str) -> None:
    """Each field of each pydantic model: the description ``attribute_docstrings`` gives it is the string ``ast``
    finds below it (a field written over several lines and documented would fail here, naming it)."""
    module = importlib.import_module(name)
    parsed = parsed_docstrings(Path(module.__file__).read_text(encoding="utf-8"))
    read = attribute_docstrings(name)
    models = [
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == name and hasattr(value, "__pydantic_fields__")
    ]
    fields = [
        (model.__name__, field)
        for model in models
        for field in inspect.get_annotations(model)
        if field in model.__pydantic_fields__
    ]
    assert [(model, field, read.get(model, {}).get(field)) for model, field in fields] == [
        (model, field, parsed.get(model, {}).get(field)) for model, field in fields
    ]


SAMPLE = '''
class Outer:
    """A class."""

    plain: int = 0
    """一行"""
    spread: str = ""
    """第一行

        缩进的第二行
    """
    escaped: str = ""
    """带转义\\t的\\\\说明"""
    raw: str = ""
    r"""原样\\t"""
    undocumented: int = 0
    after_blank: int = 0

    # a comment
    """not a field's: a blank line between"""

    class Inner:
        inner_field: int = 0
        """内层"""

    later: int = 0
    """外层，在内层类之后"""

    def method(self) -> None:
        local: int = 0
        """a function's body holds no field"""


def function() -> None:
    class Local:
        hidden: int = 0
        """a class in a function is not the module's"""

        class Deeper:
            deeper: int = 0
            """nor a class in that one"""
'''


def test_a_sample_of_every_shape_is_read_as_python_reads_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "docs_sample.py").write_text(SAMPLE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("docs_sample")
    try:
        read = {owner: docs for owner, docs in attribute_docstrings("docs_sample").items() if docs}
    finally:
        del sys.modules["docs_sample"]
    assert read == {owner: docs for owner, docs in parsed_docstrings(SAMPLE).items() if docs}
    assert read["Outer"]["spread"] == "第一行\n\n缩进的第二行"
    assert read["Outer"]["escaped"] == "带转义\t的\\说明".expandtabs()  # as cleandoc gives it
    assert read["Outer"]["raw"] == "原样\\t"
    assert read["Inner"] == {"inner_field": "内层"}
    assert read["Outer"]["after_blank"] == "not a field's: a blank line between"
    assert "Local" not in read and "Deeper" not in read
