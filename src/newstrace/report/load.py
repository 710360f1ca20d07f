"""Read a ``newstrace.report/1`` JSON file back into model objects.

The file is checked against the published schema first, so a wrong or
truncated file is one clear error naming the file, never a KeyError deep in
the web app.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from newstrace.errors import ReportFileError
from newstrace.model import (
    SCHEMA_ID,
    Document,
    Fact,
    Passage,
    Removal,
    Report,
    ReuseLink,
    Skipped,
    Statement,
    Story,
)


def load_report(path: str | Path) -> Report:
    """The report stored at ``path`` (written by ``newstrace analyze --json``)."""
    data = _read_json(Path(path))
    _check(data, path)
    return report_from_dict(data)


def report_from_dict(data: dict[str, Any]) -> Report:
    """Model objects from an already validated report dictionary."""
    return Report(
        documents=[_document(d) for d in data["documents"]],
        skipped=[Skipped(s["origin"], s["error"]) for s in data.get("skipped", [])],
        stories=[_story(s) for s in data["stories"]],
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportFileError(path, "no such file") from None
    except IsADirectoryError:
        raise ReportFileError(path, "is a directory, not a report JSON file") from None
    except UnicodeDecodeError:
        raise ReportFileError(path, "not UTF-8 text; expected a report JSON file") from None
    except OSError as exc:
        raise ReportFileError(path, exc.strerror or str(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReportFileError(
            path, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(data, dict):
        raise ReportFileError(path, "not a newstrace report (expected a JSON object)")
    return data


def _check(data: dict[str, Any], path: str | Path) -> None:
    import jsonschema

    from newstrace.report.jsonreport import validate_report

    if data.get("schema") != SCHEMA_ID:
        found = data.get("schema")
        raise ReportFileError(path, f"not a {SCHEMA_ID} report (schema is {found!r})")
    try:
        validate_report(data)
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path)
        raise ReportFileError(
            path, f"breaks the report contract{' at ' + where if where else ''}: {exc.message}"
        ) from None
    except KeyError as exc:
        raise ReportFileError(
            path, f"refers to a document that is not in the report: {exc.args[0]}"
        ) from None


def _span(value: list[int]) -> tuple[int, int]:
    return int(value[0]), int(value[1])


def _document(d: dict[str, Any]) -> Document:
    return Document(
        id=d["id"],
        origin=d["origin"],
        text=d["text"],
        source=d.get("source"),
        url=d.get("url"),
        title=d.get("title"),
        published=d.get("published"),
        removed=[Removal(r["text"], r["reason"]) for r in d.get("removed", [])],
        story=d.get("story"),
        story_doubt=d.get("story_doubt"),
    )


def _story(s: dict[str, Any]) -> Story:
    return Story(
        id=s["id"],
        title=s["title"],
        documents=list(s["documents"]),
        first_published=s.get("first_published"),
        last_published=s.get("last_published"),
        reuse=[_link(r) for r in s.get("reuse", [])],
        facts=[_fact(f) for f in s.get("facts", [])],
    )


def _link(r: dict[str, Any]) -> ReuseLink:
    return ReuseLink(
        derived=r["derived"],
        origin=r["origin"],
        directed=bool(r["directed"]),
        kind=r["kind"],
        score=float(r["score"]),
        passages=[
            Passage(_span(p["derived"]), _span(p["origin"]), float(p["similarity"]))
            for p in r.get("passages", [])
        ],
        why=r.get("why", ""),
    )


def _fact(f: dict[str, Any]) -> Fact:
    return Fact(
        id=f["id"],
        kind=f["kind"],
        subject=f["subject"],
        verdict=f["verdict"],
        statements=[
            Statement(s["doc"], _span(s["span"]), s["text"], s.get("value"))
            for s in f.get("statements", [])
        ],
        explanation=f.get("explanation", ""),
    )
