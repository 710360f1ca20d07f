"""Group articles into stories: articles about the same real-world event.

``group_stories`` groups a batch; ``StoryIndex`` groups a stream as it arrives.
"""

from newstrace.stories.grouping import group_stories
from newstrace.stories.incremental import Assignment, StoryIndex

__all__ = ["Assignment", "StoryIndex", "group_stories"]
