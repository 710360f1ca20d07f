"""Replay stored documents into a :class:`StoryIndex` without regrouping them.

``StoryIndex.add_features`` chooses a story; a store already knows each
document's story, so this replays the same steps (document frequencies,
closing stale stories, blocking keys, joining) onto the stored story instead.
It uses the index's internals, so it lives beside them in spirit: if
``stories.incremental`` changes how a document joins, change this too. A
public ``StoryIndex.restore`` would be the better home (stories issue).
"""

from __future__ import annotations

from newstrace.model import Document, Story
from newstrace.stories.features import RawFeatures, extract
from newstrace.stories.incremental import StoryIndex, _keys, _OpenStory


def replay(index: StoryIndex, documents: list[Document], story_titles: list[str],
           features: list[RawFeatures] | None = None,
           keys: list[set[int]] | None = None) -> list[tuple[RawFeatures, set[int]]]:
    """Add ``documents`` (each with its stored ``story``) to ``index``, in order.

    ``features`` and ``keys`` are the stored ones, if any; without them the
    features are extracted and the keys computed as ``add_features`` would.
    Returns each document's features and keys.
    """
    if features is None:
        raw = extract(documents, use_embeddings=index.use_embeddings)
        features = [raw.rows([n]) for n in range(len(documents))]
    replayed = []
    for n, (doc, title, row) in enumerate(zip(documents, story_titles, features)):
        index._arrivals += 1
        index.frequency.add(row)
        index._close_stale(row.published[0])
        joined = keys[n] if keys is not None else _keys(index.frequency.weigh(row))
        index._join(_open_story(index, doc.story, title), doc, row, joined)
        replayed.append((row, joined))
    return replayed


def _open_story(index: StoryIndex, story_id: str, title: str) -> _OpenStory:
    if story_id in index.open:
        return index.open[story_id]
    closed = next((s for s in index.closed if s.id == story_id), None)
    if closed is not None:  # closed here but joined later elsewhere: reopen it
        index.closed.remove(closed)
    index.open[story_id] = _OpenStory(closed or Story(id=story_id, title=title))
    index._stories_made = max(index._stories_made, int(story_id[1:]))
    return index.open[story_id]
