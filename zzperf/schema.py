"""The JSON Schema of indicator-set files, committed as ``schemas/indicator-set.schema.json``.

Editors use it to complete and validate ``indicators/*.toml``. Regenerate with
``python -m zzperf.schema``; a test fails when the committed file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from zzperf import indicators
from zzperf.field_docs import attribute_docstrings
from zzperf.indicators import IndicatorSet

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "indicator-set.schema.json"


def _describe_fields(schema: dict[str, Any]) -> None:
    """Give each model's properties their attribute docstrings (the models leave them out at run time, for speed)."""
    for name, model in [(schema["title"], schema), *schema.get("$defs", {}).items()]:
        docs: dict[str, str] = {}
        for cls in reversed(getattr(indicators, name).__mro__):  # a field documented in a base class keeps that text
            if cls.__module__ == indicators.__name__:
                docs.update(attribute_docstrings(cls.__module__).get(cls.__name__, {}))
        for field, prop in model.get("properties", {}).items():
            if field in docs and "description" not in prop:
                prop["description"] = docs[field]


def schema_text() -> str:
    schema = IndicatorSet.model_json_schema()
    _describe_fields(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "zzperf 指标体系"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main() -> int:
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
