"""Fact comparison across a story (placeholder: none yet)."""

from __future__ import annotations

from newstrace.model import Document, Story


def compare_facts(documents: list[Document], stories: list[Story]) -> None:
    """Fill ``story.facts`` for every story."""
    for story in stories:
        story.facts = []
