"""Reuse links between the documents of each story (placeholder: none yet)."""

from __future__ import annotations

from newstrace.model import Document, Story


def trace_reuse(documents: list[Document], stories: list[Story]) -> None:
    """Fill ``story.reuse`` for every story."""
    for story in stories:
        story.reuse = []
