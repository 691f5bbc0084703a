"""Helpers for the models' fields: descriptions from attribute docstrings (read from the source once per module), and
empty lists and tables as defaults.

pydantic's ``use_attribute_docstrings`` reads and parses a module's source once for every model class, which
made importing the models cost more than the rest of a ``zzperf check``. ``document`` does the same work once
per module, and only for the models whose descriptions are read at run time (labels, section titles); the
JSON Schema documents the indicator-set models when it is built.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from bisect import bisect_left
from functools import cache
from typing import Any

_DEFINITION = re.compile(r"^( *)(?:async +)?(class|def) +(\w+)", re.MULTILINE)
"""A class or function statement: its indent, its kind and its name."""

_DOCUMENTED_FIELD = re.compile(
    r'^( +)(\w+) *:[^\n]*\n(?:[ \t]*(?:#[^\n]*)?\n)*\1([rR]?)"""(.*?)"""', re.MULTILINE | re.DOTALL
)
"""A one-line annotated assignment in a body (``income_total: Amount = None``) and the string below it at the same
indent, blank and comment lines between: the field's indent, name, the string's prefix and its text."""


@cache
def attribute_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """Class name → {field name → the string right below its annotated assignment}, for every class of the module,
    the classes inside them included.

    A field's docstring is read from the source text, as the statement on one line and the string on the lines below
    it, not with ``ast``: parsing ``zzperf.accounts`` took some 10 ms of every command. A field whose statement
    spans lines keeps no description; ``tests/test_field_docs.py`` holds every module to what ``ast`` reads.
    """
    module = sys.modules[module_name]
    source = module.__loader__.get_source(module_name) if module.__loader__ else None  # type: ignore[union-attr]
    if source is None:  # no source shipped: the fields keep no description
        return {}
    definitions = [(match.start(), len(match[1]), match[2], match[3]) for match in _DEFINITION.finditer(source)]
    starts = [start for start, _, _, _ in definitions]

    def owner(start: int, indent: int) -> int | None:
        """The class whose body holds the statement at ``start``, indented ``indent`` (its number in ``definitions``):
        the last class or function above it indented less; None when that is a function or not just one level up."""
        number = bisect_left(starts, start) - 1
        while number >= 0 and definitions[number][1] >= indent:
            number -= 1
        if number < 0 or definitions[number][2] != "class" or definitions[number][1] != indent - INDENT:
            return None
        return number

    classes: set[int] = set()  # the module's classes and the classes in their bodies; a function's body holds none
    for number, (start, indent, kind, _) in enumerate(definitions):
        if kind == "class" and (indent == 0 or owner(start, indent) in classes):
            classes.add(number)
    found: dict[str, dict[str, str]] = {definitions[number][3]: {} for number in sorted(classes)}
    for match in _DOCUMENTED_FIELD.finditer(source):
        number = owner(match.start(), len(match[1]))
        if number not in classes:
            continue
        text = match[4]
        if "\\" in text and not match[3]:  # an escape (“\n”, “\\”): the string as Python reads it
            text = ast.literal_eval(f'"""{text}"""')
        found[definitions[number][3]][match[2]] = inspect.cleandoc(text)
    return found


INDENT = 4
"""The indent of a class body (as the formatter writes it)."""


def document(*models: Any) -> None:
    """Give each field of ``models`` without a description the docstring below it in the class that declares it."""
    for model in models:
        for name, info in model.model_fields.items():
            if info.description is not None:
                continue
            owner = next((cls for cls in model.__mro__ if name in vars(cls).get("__annotations__", ())), None)
            if owner is not None and owner.__module__ in sys.modules:
                doc = attribute_docstrings(owner.__module__).get(owner.__name__, {}).get(name)
                if doc is not None:
                    info.description = doc


def document_module(module_name: str) -> None:
    """``document`` every pydantic model defined in the module ``module_name``."""
    namespace = vars(sys.modules[module_name])
    document(
        *(
            value
            for value in list(namespace.values())
            if isinstance(value, type) and value.__module__ == module_name and hasattr(value, "__pydantic_fields__")
        )
    )


def new_list() -> list:
    """An empty list: a field's ``default_factory``.

    pydantic reads the signature of every default factory. For the built-in ``list`` or ``dict`` that means parsing
    their text signature with ``tokenize`` (several milliseconds for a command's first model); for a function of
    our own it is a look-up.
    """
    return []


def new_dict() -> dict:
    """An empty table: a field's ``default_factory`` (see ``new_list``)."""
    return {}
