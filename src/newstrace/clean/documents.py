"""Cleaning a batch of documents: set ``text``, ``removed`` and a better ``title``.

HTML documents go through trafilatura and the text cleaner, text documents
through the text cleaner only. For text inputs, ingest takes the first line as
the title; when the cleaner finds that line was page furniture (a navigation
prompt, a breadcrumb), the title becomes the headline the cleaner found.
"""

from __future__ import annotations

from collections.abc import Callable

from newstrace.clean.html import clean_page
from newstrace.clean.text import CleanedText, clean_text
from newstrace.model import Document


def _clean_one(doc: Document) -> CleanedText:
    raw = doc.raw or ""
    if doc.raw_kind == "html":
        return clean_page(raw, doc.url, doc.title)
    return clean_text(raw, _known_title(doc.title, raw))


def _known_title(title: str | None, raw: str) -> str | None:
    """The title unless ingest merely took it from the first line (which may be furniture)."""
    if not title:
        return None
    first_line = next((line.strip() for line in raw.splitlines() if line.strip()), "")
    return None if title.strip() == first_line else title


def _better_title(doc: Document, cleaned: CleanedText) -> str | None:
    removed_texts = {removal.text.strip() for removal in cleaned.removed}
    if cleaned.headline and (not doc.title or doc.title.strip() in removed_texts):
        return cleaned.headline
    return doc.title


def clean_documents(
    documents: list[Document], progress: Callable[[int, int], None] | None = None
) -> list[Document]:
    """Set ``text`` and ``removed`` on every document (and fix a title that was page furniture)."""
    for n, doc in enumerate(documents, 1):
        cleaned = _clean_one(doc)
        doc.text = cleaned.text
        doc.removed = cleaned.removed
        doc.title = _better_title(doc, cleaned)
        if progress:
            progress(n, len(documents))
    return documents
