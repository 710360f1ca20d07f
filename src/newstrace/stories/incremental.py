"""Incremental grouping: assign arriving articles to open stories or open new ones.

Nothing is regrouped. Each new article is compared with the kept members of
the stories its blocking keys point to (an inverted index over open stories,
see ``pairs``), scored with the first-stage pair model, and joins the story
with the best average probability (the mean batch's linkage takes,
``linkage.group_means``) if that is above ``stream_threshold``; else it
opens a story.

Memory stays bounded for an endless stream: document frequencies are hashed
(fixed size), a story keeps at most ``max_members`` members' features, and a
story closes, leaving the index, when its newest article is more than
``window_days`` older than the new one, or (articles without dates) after
``max_idle`` arrivals without a new member.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp

from newstrace.model import Document, Story
from newstrace.stories.features import DocumentFrequency, RawFeatures, extract, headline
from newstrace.stories.linkage import group_means
from newstrace.stories.pairs import (
    BLOCKING_TABLES,
    KEYS_PER_DOC,
    MAX_POSTINGS,
    pair_features,
)
from newstrace.stories.scoring import PairModel, shipped_model
from newstrace.stories.timing import TimeCurve, with_time

WINDOW_DAYS = 14
MAX_MEMBERS = 30
MAX_IDLE = 20_000
MAX_CANDIDATE_STORIES = 40


@dataclass
class Assignment:
    """Where one article went: its story, whether that story is new, and the score."""

    document: str
    story: str
    new_story: bool
    score: float
    keys: frozenset[int] = frozenset()
    """The blocking keys the article joined its story with."""


@dataclass
class OpenStory:
    """A story still taking articles: its kept members' features and the blocking keys it holds."""

    story: Story
    members: RawFeatures | None = None
    keys: set[int] = field(default_factory=set)
    last_date: date | None = None
    last_arrival: int = 0


class StoryIndex:
    """Stories of a stream of articles, grouped as they arrive.

    >>> index = StoryIndex()
    >>> assignments = index.add(documents)   # sets doc.story too

    ``time_curve``: how publication gaps move a pair's log-odds (default the
    shipped ``timing`` curve, the one batch grouping uses).
    """

    def __init__(
        self,
        window_days: int = WINDOW_DAYS,
        max_members: int = MAX_MEMBERS,
        max_idle: int = MAX_IDLE,
        model: PairModel | None = None,
        use_embeddings: bool = True,
        time_curve: TimeCurve | None = None,
    ):
        self.window_days = window_days
        self.max_members = max_members
        self.max_idle = max_idle
        self.model = model or shipped_model()
        self.use_embeddings = use_embeddings
        self.time_curve = time_curve
        self.frequency = DocumentFrequency()
        self.open: OrderedDict[str, OpenStory] = OrderedDict()
        self._closed: dict[str, Story] = {}
        self._postings: dict[int, set[str]] = {}
        self._arrivals = 0
        self._stories_made = 0

    def add(self, documents: list[Document]) -> list[Assignment]:
        """Assign each document, in order, to a story; sets ``doc.story``."""
        if not documents:
            return []
        raw = extract(documents, use_embeddings=self.use_embeddings)
        return [self.add_features(doc, raw.rows([n])) for n, doc in enumerate(documents)]

    def add_features(self, doc: Document, raw: RawFeatures) -> Assignment:
        """Assign one document given its raw features (one row)."""
        self._arrivals += 1
        self.frequency.add(raw)
        self._close_stale(raw.published[0])
        weighted = self.frequency.weigh(raw)
        keys = _keys(weighted)
        best, best_score = self._best_story(weighted, raw, self._candidates(keys))
        if best is None or best_score <= self.model.stream_threshold:
            best = self._open_story(doc)
            is_new = True
        else:
            is_new = False
        self._join(self.open[best], doc, raw, keys)
        doc.story = best
        return Assignment(doc.id, best, is_new, round(float(best_score), 4), frozenset(keys))

    def add_known(
        self, doc: Document, raw: RawFeatures, title: str, keys: set[int] | None = None
    ) -> set[int]:
        """Add a document whose story is already decided (``doc.story``) as if it had been assigned there.

        A store replays what other processes grouped this way. ``keys``: the
        blocking keys it joined with, if known (else computed as
        :meth:`add_features` does). A story closed here but joined elsewhere
        opens again. Returns the keys.
        """
        self._arrivals += 1
        self.frequency.add(raw)
        self._close_stale(raw.published[0])
        if keys is None:
            keys = _keys(self.frequency.weigh(raw))
        if doc.story is None:
            raise ValueError(f"{doc.id}: add_known needs a document whose story is decided")
        self._join(self._reopen(doc.story, title), doc, raw, keys)
        return keys

    def restore(
        self,
        frequency: DocumentFrequency,
        arrivals: int,
        open_stories: list[OpenStory],
        closed: list[Story],
    ) -> None:
        """Set the index to a saved state: ``open_stories`` (in order of their last arrival) and ``closed``."""
        self.frequency = frequency
        self._arrivals = arrivals
        self._stories_made = max(
            (int(s.id[1:]) for s in [*closed, *(o.story for o in open_stories)]), default=0
        )
        self.open = OrderedDict((o.story.id, o) for o in open_stories)
        self._closed = {story.id: story for story in closed}
        self._postings = {}
        for story in open_stories:
            for key in story.keys:
                self._postings.setdefault(key, set()).add(story.story.id)

    @property
    def closed(self) -> list[Story]:
        """Stories the window (or idleness) has closed, in the order they closed."""
        return list(self._closed.values())

    def stories(self) -> list[Story]:
        """Every story so far, closed ones first, each in order of creation."""
        return sorted(
            [*self._closed.values(), *(s.story for s in self.open.values())],
            key=lambda s: int(s.id[1:]),
        )

    def _candidates(self, keys: set[int]) -> list[str]:
        votes: dict[str, int] = {}
        for key in keys:
            holders = self._postings.get(key)
            if holders and len(holders) <= MAX_POSTINGS:
                for story_id in holders:
                    votes[story_id] = votes.get(story_id, 0) + 1
        ranked = sorted(
            votes, key=lambda s: (-votes[s], int(s[1:]))
        )  # ties by story number, not set order
        return ranked[:MAX_CANDIDATE_STORIES]

    def _best_story(
        self, weighted, raw: RawFeatures, candidates: list[str]
    ) -> tuple[str | None, float]:
        """The candidate story with the highest mean pair probability (the linkage's power mean), and that mean."""
        if not candidates:
            return None, 0.0
        stacks = [_members(self.open[story_id]) for story_id in candidates]
        owners = np.repeat(np.arange(len(candidates)), [len(m) for m in stacks])
        members = RawFeatures.stack(stacks)
        pairs = np.column_stack([np.zeros(len(owners), dtype=np.int64), np.arange(len(owners))])
        features = pair_features(
            weighted, raw, pairs, other=(self.frequency.weigh(members), members)
        )
        probabilities = self.model.first.probability(features)
        probabilities = with_time(
            probabilities, raw.published, members.published, pairs, self.time_curve
        )
        means = group_means(probabilities, owners, len(candidates))
        best = int(np.argmax(means))
        return candidates[best], float(means[best])

    def _reopen(self, story_id: str, title: str) -> OpenStory:
        """The open story ``story_id``: made (or taken back from the closed) if need be."""
        if story_id in self.open:
            return self.open[story_id]
        closed = self._closed.pop(story_id, None)
        self.open[story_id] = OpenStory(closed or Story(id=story_id, title=title))
        self._stories_made = max(self._stories_made, int(story_id[1:]))
        return self.open[story_id]

    def _open_story(self, doc: Document) -> str:
        self._stories_made += 1
        story = Story(id=f"s{self._stories_made}", title=headline(doc))
        self.open[story.id] = OpenStory(story)
        return story.id

    def _join(self, story: OpenStory, doc: Document, raw: RawFeatures, keys: set[int]) -> None:
        story.story.documents.append(doc.id)
        if doc.published:
            first, last = story.story.first_published, story.story.last_published
            story.story.first_published = min(first, doc.published) if first else doc.published
            story.story.last_published = max(last, doc.published) if last else doc.published
        if raw.published[0] is not None:
            story.last_date = max(story.last_date or raw.published[0], raw.published[0])
        story.last_arrival = self._arrivals
        story.members = raw if story.members is None else RawFeatures.stack([story.members, raw])
        if len(story.members) > self.max_members:
            story.members = story.members.rows(
                np.arange(len(story.members) - self.max_members, len(story.members))
            )
        for key in keys - story.keys:
            self._postings.setdefault(key, set()).add(story.story.id)
        story.keys |= keys
        self.open.move_to_end(story.story.id)

    def _close_stale(self, today: date | None) -> None:
        stale = [
            story_id
            for story_id, story in self.open.items()
            if self._arrivals - story.last_arrival > self.max_idle
            or (today and story.last_date and (today - story.last_date).days > self.window_days)
        ]
        for story_id in stale:
            story = self.open.pop(story_id)
            for key in story.keys:
                holders = self._postings.get(key)
                if holders:
                    holders.discard(story_id)
                    if not holders:
                        del self._postings[key]
            self._closed[story_id] = story.story


def _members(story: OpenStory) -> RawFeatures:
    """A candidate's kept members (a story is a candidate only once it holds one)."""
    if story.members is None:
        raise AssertionError(f"open story {story.story.id} has no members")
    return story.members


def _keys(weighted: dict[str, sp.csr_matrix]) -> set[int]:
    """The document's blocking keys: its heaviest entries across the bags."""
    offset, entries = 0, list[tuple[float, int]]()
    for name in BLOCKING_TABLES:
        row = weighted[name]
        entries.extend(zip(row.data.tolist(), (row.indices + offset).tolist()))
        offset += row.shape[1]
    entries.sort(reverse=True)
    return {key for _, key in entries[:KEYS_PER_DOC]}
