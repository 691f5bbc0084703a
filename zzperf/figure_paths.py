"""The figures a formula may name: dotted paths into ``Accounts``, with their Chinese labels.

``budget.initial`` is this year's 年初预算; ``prev.budget.initial`` the previous year's;
``outcomes.cases_handled.actual`` / ``.target`` a service outcome's 完成值 / 指标值.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from pydantic import BaseModel

from zzperf.accounts import SECTION_NAMES, Accounts, Section

PREVIOUS = "prev."
OUTCOME_PARTS = {"actual": "完成值", "target": "指标值"}


def description_label(description: str | None, name: str) -> str:
    """A model field's label: its description up to the first “：”, or its name when it has none."""
    return (description or name).split("：")[0].strip()


def _walk(model: type[BaseModel], prefix: str, label_prefix: str, out: dict[str, str]) -> None:
    section = prefix.split(".")[0]
    for name, info in model.model_fields.items():
        annotation = info.annotation
        label = description_label(info.description, name)
        if isinstance(annotation, type) and issubclass(annotation, Section):
            # Nested blocks prefix their children's labels: “三公”经费预算数合计, 支出决算表合计行基本支出.
            table = SECTION_NAMES[section] if name == "total" else ""
            _walk(annotation, f"{prefix}{name}.", f"{label_prefix}{table}{label}·", out)
        elif annotation in (Decimal | None, int | None):
            out[f"{prefix}{name}"] = label_prefix + label


@cache
def field_labels() -> dict[str, str]:
    """Every fixed figure path with its Chinese label."""
    labels: dict[str, str] = {}
    for name, info in Accounts.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, Section):
            _walk(annotation, f"{name}.", "", labels)
    return labels


def _split(path: str) -> tuple[bool, str]:
    if path.startswith(PREVIOUS):
        return True, path[len(PREVIOUS) :]
    return False, path


def _outcome_parts(path: str) -> tuple[str, str] | None:
    parts = path.split(".")
    if len(parts) == 3 and parts[0] == "outcomes" and parts[2] in OUTCOME_PARTS:
        return parts[1], parts[2]
    return None


def is_known(path: str) -> bool:
    """True when ``path`` names a figure a formula may use."""
    _, own = _split(path)
    return own in field_labels() or _outcome_parts(own) is not None


def known_paths() -> list[str]:
    """All fixed paths, for "did you mean" hints."""
    return list(field_labels())


def label(path: str, accounts: Accounts | None = None) -> str:
    """The Chinese label of a figure path; outcome labels use the outcome's name when known."""
    previous, own = _split(path)
    outcome = _outcome_parts(own)
    if outcome is not None:
        key, part = outcome
        found = accounts.outcome(key) if accounts is not None else None
        text = f"{found.name if found else key}{OUTCOME_PARTS[part]}"
    else:
        text = field_labels().get(own, own)
    return f"上年{text}" if previous else text


def value(path: str, accounts: Accounts, previous: Accounts | None) -> Decimal | None:
    """The figure at ``path``, or None when the year (or the previous year) has no data for it."""
    is_previous, own = _split(path)
    source = previous if is_previous else accounts
    if source is None:
        return None
    outcome = _outcome_parts(own)
    if outcome is not None:
        key, part = outcome
        found = source.outcome(key)
        return getattr(found, part) if found is not None else None
    node: object = source
    for part in own.split("."):
        node = getattr(node, part, None)
        if node is None:
            return None
    return Decimal(node) if isinstance(node, int) else node  # type: ignore[return-value]
