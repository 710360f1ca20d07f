"""The ``newstrace.report/1`` JSON Schema, shipped with the package, and its check."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("schema.json")


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_report(report: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``report`` breaks the contract.

    Beyond the schema, every span must lie inside its document's text.
    """
    import jsonschema

    jsonschema.validate(report, load_schema())
    lengths = {d["id"]: len(d["text"]) for d in report["documents"]}
    for story in report["stories"]:
        for link in story["reuse"]:
            for passage in link["passages"]:
                _check_span(passage["derived"], lengths[link["derived"]], link["derived"])
                _check_span(passage["origin"], lengths[link["origin"]], link["origin"])
        for fact in story["facts"]:
            for st in fact["statements"]:
                _check_span(st["span"], lengths[st["doc"]], st["doc"])


def _check_span(span: list[int], length: int, doc_id: str) -> None:
    import jsonschema

    start, end = span
    if not 0 <= start <= end <= length:
        raise jsonschema.ValidationError(f"span {span} outside document {doc_id} (length {length})")
