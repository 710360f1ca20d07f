"""What extraction hands to line-up: one :class:`Claim` per checkable statement.

A claim is one document's statement of one fact (a number with what it
counts, a quotation with its speaker, a date of an event, a place), with the
sentence it sits in. Line-up pairs claims across documents; verdicts compare
their ``value`` objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Span = tuple[int, int]


@dataclass
class Sentence:
    """One sentence of a document: its index, span and text."""

    doc: str
    index: int
    span: Span
    text: str


@dataclass
class Claim:
    """One document's statement of a fact.

    ``span``/``text`` are what the report shows (the sentence, or the quote);
    ``mention`` is the exact stretch that carries the value; ``key`` holds the
    words that say what the claim is about, for line-up; ``value`` is a
    kind-specific comparable object; ``report_value`` is its JSON form.
    """

    kind: str
    doc: str
    sentence: int
    span: Span
    text: str
    mention: Span
    subject: str
    value: Any
    report_value: Any
    key: frozenset[str] = frozenset()
    role: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
