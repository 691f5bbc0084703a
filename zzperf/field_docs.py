"""Helpers for the models' fields: descriptions from attribute docstrings (read with ``ast`` once per module), and
empty lists and tables as defaults.

pydantic's ``use_attribute_docstrings`` reads and parses a module's source once for every model class, which
made importing the models cost more than the rest of a ``zzperf check``. ``document`` does the same work once
per module, and only for the models whose descriptions are read at run time (labels, section titles); the
JSON Schema documents the indicator-set models when it is built.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from itertools import pairwise
from typing import Any


@cache
def attribute_docstrings(module_name: str) -> dict[str, dict[str, str]]:
    """Class name → {field name → the string right below its annotated assignment}, for every class of the module."""
    module = sys.modules[module_name]
    source = module.__loader__.get_source(module_name) if module.__loader__ else None  # type: ignore[union-attr]
    if source is None:  # no source shipped: the fields keep no description
        return {}
    found: dict[str, dict[str, str]] = {}
    classes = [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]
    for node in classes:  # the module's classes and the classes inside them; a function body holds no model
        classes += [inner for inner in node.body if isinstance(inner, ast.ClassDef)]
        docs: dict[str, str] = {}
        body = node.body
        for statement, following in pairwise(body):
            if not (
                isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                continue
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                docs[statement.target.id] = inspect.cleandoc(following.value.value)
        found[node.name] = docs
    return found


def document(*models: Any) -> None:
    """Give each field of ``models`` without a description the docstring below it in the class that declares it."""
    for model in models:
        for name, info in model.model_fields.items():
            if info.description is not None:
                continue
            owner = next((cls for cls in model.__mro__ if name in inspect.get_annotations(cls)), None)
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
