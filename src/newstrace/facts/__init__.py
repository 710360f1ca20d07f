"""Extract facts, line them up across the articles of a story, and judge them."""

from newstrace.facts.compare import compare_facts

__all__ = ["compare_facts"]
