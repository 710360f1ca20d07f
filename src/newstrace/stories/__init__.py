"""Group articles into stories: articles about the same real-world event."""

from newstrace.stories.grouping import group_stories

__all__ = ["group_stories"]
