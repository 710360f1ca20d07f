"""Replay stored documents into a :class:`StoryIndex` without regrouping them.

``StoryIndex.add_features`` chooses a story; a store already knows each
document's story (another process chose it), so it replays the document onto
that story with ``StoryIndex.add_known``.
"""

from __future__ import annotations

from newstrace.model import Document
from newstrace.stories.features import RawFeatures, extract
from newstrace.stories.incremental import StoryIndex


def replay(
    index: StoryIndex,
    documents: list[Document],
    story_titles: list[str],
    features: list[RawFeatures] | None = None,
    keys: list[set[int]] | None = None,
) -> list[tuple[RawFeatures, set[int]]]:
    """Add ``documents`` (each with its stored ``story``) to ``index``, in order.

    ``features`` and ``keys`` are the stored ones, if any; without them the
    features are extracted and the keys computed as ``add_features`` would.
    Returns each document's features and keys.
    """
    if features is None:
        raw = extract(documents, use_embeddings=index.use_embeddings)
        features = [raw.rows([n]) for n in range(len(documents))]
    return [
        (row, index.add_known(doc, row, title, keys[n] if keys is not None else None))
        for n, (doc, title, row) in enumerate(zip(documents, story_titles, features))
    ]
