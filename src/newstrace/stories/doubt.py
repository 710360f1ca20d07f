"""Say when unsure: story members that may report a separate, similar event.

Grouping joins an article to a story when it is close enough to the story's
members as a whole. An article about an *earlier, similar* event (a first
visit by the same minister) shares the topic — the people, places and
vocabulary every report of that topic names — and can pass. What it does not
share are the facts of *this* event: the name at its centre (Sinwar, whose
killing the October visit followed), its ordinal ("11th visit"), its dates.
And it names facts of its own event instead (Herzog, a "bridging proposal").

This pass looks at each member ``d`` of a story of three or more articles:

- the story's **consensus without d**: names (people by surname,
  organisations, places, other names), numbers and dates (resolved against
  the publication date when there is one) that at least ``CONSENSUS_SHARE``
  of the *other* members name (at least two of them);
- each such fact weighs how **specific** it is to this story: the share of
  the corpus articles naming it that are in the story (a name every article
  of the batch names, in a batch of one topic, weighs fully; a name half the
  corpus names, when the story is a tenth of it, weighs a fifth), times how
  much a fact of its kind says about one event (``KIND_WEIGHTS``: a number
  or a person more than an organisation), times the share of the others
  naming it;
- ``d`` is **in doubt** when the weight of the consensus it does not name
  reaches ``MISSING_WEIGHT`` and is at least ``MISSING_SHARE`` of the
  consensus weight, and it names at least ``OWN_NAMES`` central names of its
  own (in its headline or lead, or named twice) that no other member names:
  missing facts alone mark a short or narrow article, not another event.

The note is one line: what it lacks that the others name, and what it names
instead. Flagged members stay in their story; the note says to look.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import scipy.sparse as sp
from scipy.cluster.hierarchy import fcluster, linkage

from newstrace.facts.dates import resolve
from newstrace.ingest.dates import published_day
from newstrace.model import Document, Spilled, Story
from newstrace.nlp import document_entities
from newstrace.stories.features import (
    ENTITY_TABLES,
    LEAD_CHARS,
    NAME_TABLES,
    NUMBER_LABELS,
    _normalise_name,
    _number_value,
)

MIN_STORY = 3
MIN_OTHERS = 3
"""The member rule needs at least three others: what two articles share is not a story's consensus."""
SIDE_RATIO = 0.6
SIDE_WEIGHT = 2.0
MAX_SIDE_MEMBERS = 2000
"""Larger stories skip the side rule (its split costs the square of the story's size)."""
CONSENSUS_SHARE = 0.75
MISSING_WEIGHT = 6.0
MISSING_SHARE = 0.4
OWN_NAMES = 1
OWN_SHARE = 0.0
"""Own names: named by no more than this share of the other members (0: by none)."""
MAX_LISTED = 4

KIND_WEIGHTS = {
    "PERSON": 1.26,
    "ORG": 0.30,
    "GPE": 1.03,
    "LOC": 0.61,
    "FAC": 1.61,
    "NORP": 0.85,
    "numbers": 1.69,
    "dates": 2.20,
}
"""How much a fact of each kind says about one event, as log-odds: of the facts
at least half of an ECB+ dev story's articles name, how many the other event
of the same topic does not name (in at least a quarter of its articles)
against how many it does, add-one smoothed (``eval/score_doubt.py --kinds``:
people 133 against 37, organisations 60 against 44, numbers 53 against 9,
dates 8 against 0). People, numbers and dates belong to an event;
organisations recur across a topic's events."""
DEFAULT_KIND_WEIGHT = 0.61
"""Other names (works, products, laws, events): 10 against 5."""

_SMALL_NUMBERS = {f"{n:g}" for n in range(0, 11)}
"""Numbers up to ten say little about which event (two, three, first ...)."""


@dataclass
class Profile:
    """What one article names: fact keys, their display form, which are central."""

    keys: set[str] = field(default_factory=set)
    shown: dict[str, str] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    central: set[str] = field(default_factory=set)
    kinds: dict[str, str] = field(default_factory=dict)

    def own(self, key: str) -> bool:
        """A fact the article puts forward: in its lead, or named at least twice."""
        return key in self.central or self.counts[key] >= 2


def profile(doc: Document, found) -> Profile:
    """The names, numbers and dates ``doc`` mentions (``found``: its entities)."""
    base = published_day(doc.published)
    result = Profile()
    for start, end, label in found:
        surface = " ".join(doc.text[start:end].split())
        for key in _keys(surface, label, base):
            result.keys.add(key)
            result.counts[key] += 1
            result.shown.setdefault(key, _display(surface, label))
            result.kinds.setdefault(key, label if key.startswith("name:") else key.split(":")[0])
            if start < LEAD_CHARS:
                result.central.add(key)
    return result


_FIELD, _RECORD = "\x1f", "\x1e"
"""Separators of a packed profile: ``str.split()`` takes both for whitespace, so no surface,
key or display form (all made of whitespace-split words) contains them."""


def packed_profile(doc: Document, found) -> bytes:
    """:func:`profile` of ``doc`` as one byte string, about a fifth of its entities' size.

    The worker that finds a document's entities packs this (``engine.work.annotate``)
    and drops the entities: this pass is their only reader after the feature rows
    exist, so the main process never holds them (docs/engine.md, "Growth").
    Facts are packed in the order they were first named, so :func:`unpacked_profile`
    rebuilds the same sets and counters, in the same iteration order.
    """
    made = profile(doc, found)
    return _RECORD.join(
        _FIELD.join(
            (key, made.shown[key], str(count), "c" if key in made.central else "", made.kinds[key])
        )
        for key, count in made.counts.items()
    ).encode()


def unpacked_profile(data: bytes) -> Profile:
    """The :class:`Profile` :func:`packed_profile` packed."""
    result = Profile()
    for record in data.decode().split(_RECORD) if data else []:
        key, shown, count, central, kind = record.split(_FIELD)
        result.keys.add(key)
        result.counts[key] = int(count)
        result.shown[key] = shown
        result.kinds[key] = kind
        if central:
            result.central.add(key)
    return result


def _keys(surface: str, label: str, base: date | None) -> list[str]:
    table = ENTITY_TABLES.get(label)
    if table in NAME_TABLES:
        name = _normalise_name(surface)
        if not name:
            return []
        if label == "PERSON":
            name = name.split()[-1]
        return [f"name:{name}"]
    if label in NUMBER_LABELS:
        value = _number_value(surface)
        if value is None or f"{value:g}" in _SMALL_NUMBERS:
            return []
        return [f"numbers:{value:g}"]
    if label == "DATE":
        when = resolve(surface, base)
        if when is None or when.month is None or when.day is None:
            return []
        year = f"{when.year}-" if when.year else ""
        return [f"dates:{year}{when.month:02d}-{when.day:02d}"]
    return []


def _display(surface: str, label: str) -> str:
    surface = re.sub(r"^(?:the|a|an)\s+", "", surface, flags=re.I)
    surface = re.sub(r"['\u2019]s$", "", surface)
    if label == "PERSON":
        return surface.split()[-1] if surface.split() else surface
    return surface


@dataclass
class Doubt:
    """Why a member may report another event: the story's facts it lacks, its own instead."""

    document: str
    story: str
    missing: list[str]
    instead: list[str]
    missing_weight: float
    missing_share: float
    side: int = 1
    """Members of the story flagged together (the smaller side of a split story), or 1."""
    scores: tuple[float, float] | None = None
    """For a side: its mean pair probability with the rest, and the sides' inner mean."""

    @property
    def note(self) -> str:
        if self.side > 1:
            note = (
                f"with {self.side - 1} other article{'s' if self.side > 2 else ''} of this story, "
                f"names none of {_listing(self.missing)} that the rest of the story names"
            )
        else:
            note = f"names none of {_listing(self.missing)} that the other articles name"
        if self.instead:
            note += f"; names {_listing(self.instead)} instead"
        if self.scores:
            note += f" (pair score {self.scores[0]:.2f} with them, {self.scores[1]:.2f} among them)"
        return note


def _listing(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more else "")


def story_doubts(
    documents: list[Document],
    stories: list[Story],
    missing_weight: float = MISSING_WEIGHT,
    missing_share: float = MISSING_SHARE,
    own_names: int = OWN_NAMES,
    profiles: list[Profile] | None = None,
    consensus_share: float = CONSENSUS_SHARE,
    own_share: float = OWN_SHARE,
    pairs: np.ndarray | None = None,
    probabilities: np.ndarray | None = None,
    side_ratio: float = SIDE_RATIO,
    side_weight: float = SIDE_WEIGHT,
) -> list[Doubt]:
    """Members of ``stories`` (of ``MIN_STORY`` articles or more) that may be a separate event.

    Sets ``doc.story_doubt`` to the note of each one found (and to None on the
    others). ``profiles``: the documents' :func:`profile`, when computed ahead.
    ``pairs`` and ``probabilities``: the grouping's scored candidate pairs
    (indices into ``documents``); without them only the member rule runs.
    """
    for doc in documents:
        doc.story_doubt = None
    index = {doc.id: n for n, doc in enumerate(documents)}
    big = [s for s in stories if len(s.documents) >= MIN_STORY]
    if not big:
        return []
    if profiles is None:
        wanted = sorted({index[d] for s in big for d in s.documents})
        profiles = _member_profiles(documents, wanted)
    corpus = Counter(key for p in profiles for key in p.keys)
    graph = _graph(len(documents), pairs, probabilities)
    doubts = []
    for story in big:
        members = [index[d] for d in story.documents]
        sides = (
            []
            if graph is None or len(members) > MAX_SIDE_MEMBERS
            else _side_doubts(
                story, members, documents, profiles, corpus, graph, side_ratio, side_weight
            )
        )
        flagged = {doubt.document for doubt in sides}
        doubts.extend(sides)
        if len(members) - 1 < MIN_OTHERS:
            continue
        doubts.extend(
            doubt
            for doubt in _story_doubts(
                story,
                members,
                documents,
                profiles,
                corpus,
                (missing_weight, missing_share, own_names, consensus_share, own_share),
            )
            if doubt.document not in flagged
        )
    for doubt in doubts:
        documents[index[doubt.document]].story_doubt = doubt.note
    return doubts


def _member_profiles(documents: list[Document], wanted: list[int]) -> list[Profile]:
    """The profiles of ``documents[i]`` for ``i`` in ``wanted`` (the others empty): packed by
    the NLP where it ran (``annotations.story_profile``, in memory or spilled), else made
    from the entities here. Only the members of stories this pass looks at count, so
    the corpus counts of facts are over them."""
    made: dict[int, Profile] = {}
    todo = []
    for i in wanted:
        packed = documents[i].annotations.story_profile
        if isinstance(packed, Spilled):
            packed = packed.read()
        if packed is None:
            todo.append(i)
        else:
            made[i] = unpacked_profile(packed)
    found = document_entities([documents[i] for i in todo])
    made.update((i, profile(documents[i], f)) for i, f in zip(todo, found))
    return [made.get(i, Profile()) for i in range(len(documents))]


def _story_doubts(
    story: Story,
    members: list[int],
    documents: list[Document],
    profiles: list[Profile],
    corpus: Counter,
    thresholds: tuple[float, float, int, float, float],
) -> list[Doubt]:
    missing_weight, missing_share, own_names, consensus_share, own_share = thresholds
    named = Counter(key for i in members for key in profiles[i].keys)
    specific = _weights(members, profiles, corpus)
    doubts = []
    for i in members:
        mine = profiles[i]
        others = len(members) - 1
        need = max(2, math.ceil(consensus_share * others - 1e-9))
        consensus = {
            key: (named[key] - (key in mine.keys)) / others
            for key in named
            if named[key] - (key in mine.keys) >= need
        }
        if not consensus:
            continue
        weight = {key: specific[key] * share for key, share in consensus.items()}
        missing = sorted(
            (key for key in consensus if key not in mine.keys), key=lambda k: -weight[k]
        )
        lacking = sum(weight[key] for key in missing)
        total = sum(weight.values())
        if lacking < missing_weight or lacking < missing_share * total:
            continue
        instead = sorted(
            (
                key
                for key in mine.keys
                if named[key] - 1 <= own_share * others and mine.own(key) and _is_name(key)
            ),
            key=lambda k: (k not in mine.central, -mine.counts[k], k),
        )
        if len(instead) < own_names:
            continue
        doubts.append(
            Doubt(
                documents[i].id,
                story.id,
                [_shown(profiles, members, key) for key in missing],
                [mine.shown[key] for key in instead],
                round(lacking, 3),
                round(lacking / total, 3),
            )
        )
    return doubts


def _graph(n: int, pairs: np.ndarray | None, probabilities: np.ndarray | None):
    if pairs is None or probabilities is None or not len(pairs):
        return None
    both = np.concatenate([pairs, pairs[:, ::-1]])
    values = np.concatenate([probabilities, probabilities])
    return sp.csr_matrix((values, (both[:, 0], both[:, 1])), shape=(n, n))


def _weights(members: list[int], profiles: list[Profile], corpus: Counter) -> dict[str, float]:
    """Each fact the members name: its specificity to them times its kind's weight."""
    named = Counter(key for i in members for key in profiles[i].keys)
    kind = {key: profiles[i].kinds.get(key, "") for i in members for key in profiles[i].keys}
    return {
        key: count / corpus[key] * KIND_WEIGHTS.get(kind[key], DEFAULT_KIND_WEIGHT)
        for key, count in named.items()
    }


def _side_doubts(
    story: Story,
    members: list[int],
    documents: list[Document],
    profiles: list[Profile],
    corpus: Counter,
    graph: sp.csr_matrix,
    side_ratio: float,
    side_weight: float,
) -> list[Doubt]:
    """The smaller side of a story that splits in two, each side with facts of its own.

    The story's members are split in two by average linkage on their pair
    probabilities (pairs never scored count as 0). The smaller side is in
    doubt when its mean probability with the other side is under
    ``side_ratio`` times the lower of the two sides' inner means (a side of
    one takes the other's), and the other side has facts of weight at least
    ``side_weight`` that at least ``CONSENSUS_SHARE`` of it names and at most
    a quarter of the smaller side does.
    """
    k = len(members)
    scores = graph[members][:, members].toarray()
    np.fill_diagonal(scores, 0.0)
    distance = np.clip(1.0 - scores[np.triu_indices(k, 1)], 0.0, 1.0)
    labels = fcluster(linkage(distance, "average"), 2, "maxclust")
    if labels.max() < 2:
        return []
    small = labels == (1 if (labels == 1).sum() <= (labels == 2).sum() else 2)
    between = float(scores[np.ix_(small, ~small)].mean())
    inner = [_inner(scores, ~small), _inner(scores, small)]
    within = min(x for x in inner if x is not None)
    if within <= 0 or between >= side_ratio * within:
        return []
    rest = [members[r] for r in range(k) if not small[r]]
    side = [members[r] for r in range(k) if small[r]]
    weights = _weights(members, profiles, corpus)
    in_rest = Counter(key for i in rest for key in profiles[i].keys)
    in_side = Counter(key for i in side for key in profiles[i].keys)
    lacking = sorted(
        (
            key
            for key in in_rest
            if len(rest) >= 2
            and in_rest[key] >= CONSENSUS_SHARE * len(rest)
            and in_side[key] <= 0.25 * len(side)
        ),
        key=lambda key: (-weights[key], key),
    )
    weight = sum(weights[key] for key in lacking)
    if weight < side_weight:
        return []
    instead = sorted(
        (
            key
            for key in in_side
            if _is_name(key)
            and in_side[key] >= CONSENSUS_SHARE * len(side)
            and in_rest[key] <= 0.25 * len(rest)
        ),
        key=lambda key: (-weights[key], key),
    )
    return [
        Doubt(
            documents[i].id,
            story.id,
            [_shown(profiles, members, key) for key in lacking],
            [_shown(profiles, side, key) for key in instead],
            round(weight, 3),
            round(between / within, 3),
            side=len(side),
            scores=(round(between, 2), round(within, 2)),
        )
        for i in side
    ]


def _inner(scores: np.ndarray, mask: np.ndarray) -> float | None:
    if mask.sum() < 2:
        return None
    block = scores[np.ix_(mask, mask)]
    return float(block[np.triu_indices(len(block), 1)].mean())


def _is_name(key: str) -> bool:
    return key.startswith("name:")


def _shown(profiles: list[Profile], members: list[int], key: str) -> str:
    forms = Counter(profiles[i].shown[key] for i in members if key in profiles[i].shown)
    return forms.most_common(1)[0][0]
