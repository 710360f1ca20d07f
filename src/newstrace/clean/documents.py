"""Cleaning (placeholder: trafilatura for HTML, text kept as is)."""

from __future__ import annotations

from collections.abc import Callable

import trafilatura

from newstrace.model import Document


def clean_html(html: str, url: str | None = None) -> str:
    """The cleaned article body of one HTML page."""
    return trafilatura.extract(html, url=url, include_comments=False) or ""


def clean_documents(documents: list[Document], progress: Callable[[int, int], None] | None = None) -> list[Document]:
    """Set ``text`` and ``removed`` on every document."""
    for n, doc in enumerate(documents, 1):
        raw = doc.raw or ""
        doc.text = clean_html(raw, doc.url) if doc.raw_kind == "html" else raw.strip()
        if progress:
            progress(n, len(documents))
    return documents
