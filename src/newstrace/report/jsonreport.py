"""The ``newstrace.report/1`` JSON Schema, shipped with the package, and its check.

JSON Schema says what each object looks like; it cannot say that a span lies
inside its document's text or that an id refers to something in the same
report. :func:`validate_report` checks those cross-references by hand after
the schema, so a report that passes can be read by other tools without a
KeyError or an IndexError.
"""

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

    Beyond the schema: document and story ids are unique; every id a story,
    link or statement names is a document of the report (and of that story);
    each document's ``story`` lists it; every span lies inside its document's
    text, and a statement's ``text`` is exactly what its span holds; an
    ``altered`` fact has a reuse link between two of its documents.
    """
    import jsonschema

    jsonschema.validate(report, load_schema())
    texts = {d["id"]: d["text"] for d in report["documents"]}
    _require_unique([d["id"] for d in report["documents"]], "document")
    _require_unique([s["id"] for s in report["stories"]], "story")
    members = {s["id"]: set(s["documents"]) for s in report["stories"]}
    for doc in report["documents"]:
        if doc["id"] not in members.get(doc["story"], ()):
            _fail(f"document {doc['id']} names story {doc['story']!r}, which does not list it")
    for story in report["stories"]:
        _check_story(story, texts)


def _check_story(story: dict[str, Any], texts: dict[str, str]) -> None:
    lengths = {doc_id: len(text) for doc_id, text in texts.items()}
    sid = story["id"]
    for doc_id in story["documents"]:
        _require_doc(doc_id, lengths, f"story {sid}")
    own = set(story["documents"])
    linked: set[frozenset[str]] = set()
    for link in story["reuse"]:
        for role in ("derived", "origin"):
            _require_doc(link[role], lengths, f"a reuse link of story {sid}", own)
        linked.add(frozenset((link["derived"], link["origin"])))
        for passage in link["passages"]:
            _check_span(passage["derived"], lengths[link["derived"]], link["derived"])
            _check_span(passage["origin"], lengths[link["origin"]], link["origin"])
    for fact in story["facts"]:
        docs = [st["doc"] for st in fact["statements"]]
        for st in fact["statements"]:
            _require_doc(st["doc"], lengths, f"fact {fact['id']}", own)
            _check_span(st["span"], lengths[st["doc"]], st["doc"])
            start, end = st["span"]
            if texts[st["doc"]][start:end] != st["text"]:
                _fail(
                    f"fact {fact['id']}: the statement's text is not what its span {st['span']} "
                    f"holds in document {st['doc']}"
                )
        if fact["verdict"] == "altered" and not _any_pair_linked(docs, linked):
            _fail(f"fact {fact['id']} is 'altered' but no two of its documents have a reuse link")


def _any_pair_linked(docs: list[str], linked: set[frozenset[str]]) -> bool:
    return any(
        frozenset((a, b)) in linked for i, a in enumerate(docs) for b in docs[i + 1 :] if a != b
    )


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            _fail(f"{what} id {item!r} is used twice")
        seen.add(item)


def _require_doc(
    doc_id: str, lengths: dict[str, int], where: str, allowed: set[str] | None = None
) -> None:
    if doc_id not in lengths:
        _fail(f"{where} names document {doc_id!r}, which is not in the report")
    if allowed is not None and doc_id not in allowed:
        _fail(f"{where} names document {doc_id!r}, which is not in that story")


def _check_span(span: list[int], length: int, doc_id: str) -> None:
    start, end = span
    if not 0 <= start <= end <= length:
        _fail(f"span {span} outside document {doc_id} (length {length})")


def _fail(message: str) -> None:
    import jsonschema

    raise jsonschema.ValidationError(message)
