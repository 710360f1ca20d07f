"""``trace_reuse``: find, align and classify reuse across the whole batch.

Candidates come from the whole corpus (a copy may land in a different story
when grouping misses it), each candidate pair is aligned sentence by sentence
and classified, and every link is attached to the story of its derived
document.

Copies of one wire story all resemble each other, so pairwise links are then
explained away: a document's best origin (highest score) is kept, and a
weaker link to a document that is itself linked to that best origin is
dropped (a sibling copy, not a source); an undirected pair whose members both
copy a common origin in the corpus is dropped too. A pair left undirected by
dates and containment, where one side is the origin of other copies and the
other of none, is oriented towards the one others copy (the wire), and the
``why`` says so. A copy reports the same event as its origin, so when a link joins
two stories they are merged into one (the first in the list keeps its id),
and the link's ``why`` says so: the report contract wants both ends of a link
inside the story that lists it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import overload

import numpy as np

from newstrace._unionfind import root_of
from newstrace.model import Annotations, Document, Passage, ReuseLink, Spilled, Story
from newstrace.progress import track
from newstrace.reuse.align import GAIN_FLOOR, align
from newstrace.reuse.candidates import (
    GRAMS_PER_PART,
    candidate_pairs,
    gram_hashes,
    hash_ranges,
    in_range,
    lead_vectors,
)
from newstrace.reuse.classify import classify, classify_passages, describe
from newstrace.reuse.digest import ReuseDigest, view_from_bytes
from newstrace.reuse.passages import Shared, grams_of, shared_passages, vocabulary_share
from newstrace.reuse.text import ReuseView, ensure_embeddings, ensure_signatures, reuse_view


def find_links(documents: list[Document], map_chunks: MapChunks | None = None) -> list[ReuseLink]:
    """All reuse links among ``documents``, whatever their stories (``map_chunks``: see :func:`pair_links`)."""
    links, views = pair_links(documents, map_chunks)
    return resolve(links, views)


Held = ReuseView | ReuseDigest
"""What the main process holds of a document for reuse: its whole view, or the digest of a
spilled one (:mod:`newstrace.reuse.digest`); resolution reads ``content_chars`` from either."""


def resolve(links: list[ReuseLink], views: dict[str, Held]) -> list[ReuseLink]:
    """Pairwise links explained away (siblings of one origin) and oriented towards hubs."""
    return _orient_towards_hubs(_explain_away(links), views)


def pair_links(
    documents: list[Document], map_chunks: MapChunks | None = None
) -> tuple[list[ReuseLink], dict[str, Held]]:
    """Every candidate pair's own link, before siblings are explained away, and the views.

    The pairs are checked in chunks of ``PAIRS_PER_CHUNK`` (:func:`link_pairs`,
    each chunk carrying its documents and views), by ``map_chunks`` (the
    builtin ``map`` by default; an engine passes its own to run the chunks as
    tasks), links in pair order either way. Documents whose views were
    spilled (:mod:`newstrace.engine.spill`) go by :func:`_spilled_pair_links`:
    the same pairs and links, each chunk carrying handles instead of views.
    """
    docs = [d for d in documents if d.text.strip()]
    if docs and all(
        d.annotations.reuse is None and d.annotations.reuse_digest is not None for d in docs
    ):
        return _spilled_pair_links(docs, map_chunks)
    views = [reuse_view(d) for d in track(docs, "sentences")]
    ensure_embeddings(views)
    ensure_signatures(views)
    leads = lead_vectors([v.embeddings for v in views], [v.lead() for v in views])
    shingles = [_shingles(v) for v in views]
    _gram_weights(views, shingles)
    pairs = [
        (docs[i], views[i], docs[j], views[j]) for i, j in sorted(candidate_pairs(shingles, leads))
    ]
    chunks = [pairs[k : k + PAIRS_PER_CHUNK] for k in range(0, len(pairs), PAIRS_PER_CHUNK)]
    found = (map_chunks or map)(link_pairs, track(chunks, "pairs"))
    return [link for links in found for link in links], {v.doc_id: v for v in views}


def _spilled_pair_links(
    docs: list[Document], map_chunks: MapChunks | None
) -> tuple[list[ReuseLink], dict[str, Held]]:
    """:func:`pair_links` over documents whose views are in the spill file.

    Candidates come from the digests' 3-gram hashes and lead vectors, as from
    the views, read back from the spill file as the search needs them
    (:class:`OnDisk`: the 3-gram index in parts reads each part's hashes, the
    lead vectors are stacked once). The corpus-wide document frequencies of
    each document's distinct 3-grams and words are counted here, a part of
    the hash range at a time, and written to a spill file of their own
    (:func:`_corpus_frequencies`); a chunk carries where its documents'
    frequencies are, and the worker reads them and the two views back and
    gives them the weights :func:`_gram_weights` would have (the same
    arithmetic on the same integers, so the same links).
    """
    from newstrace.engine.spill import SpillFile

    digests = [d.annotations.reuse_digest for d in docs if d.annotations.reuse_digest is not None]
    leads = np.stack([g.lead_vector() for g in digests])
    found = sorted(candidate_pairs(OnDisk(digests, ReuseDigest.grams, 0), leads))
    del leads
    with SpillFile() as tables:
        frequencies = (
            _corpus_frequencies(OnDisk(digests, ReuseDigest.grams, 0), tables),
            _corpus_frequencies(OnDisk(digests, ReuseDigest.vocabulary, 1), tables),
        )
        chunks = _spilled_chunks(docs, digests, found, frequencies)
        done = list(
            (map_chunks or map)(
                link_pairs, track(chunks, "pairs", -(-len(found) // PAIRS_PER_CHUNK))
            )
        )
    return [link for links in done for link in links], {g.doc_id: g for g in digests}


class OnDisk(Sequence[np.ndarray]):
    """One array of each digest (``read``: :meth:`ReuseDigest.grams` or ``vocabulary``), read
    back when indexed; the lengths known without reading (``which``: its place in ``lengths``)."""

    def __init__(
        self, digests: list[ReuseDigest], read: Callable[[ReuseDigest], np.ndarray], which: int
    ) -> None:
        self.digests, self.read = digests, read
        self.lengths = np.array(
            [g.lengths[which] if g.arrays is not None else len(read(g)) for g in digests],
            dtype=np.int64,
        )

    def __len__(self) -> int:
        return len(self.digests)

    @overload
    def __getitem__(self, index: int) -> np.ndarray: ...
    @overload
    def __getitem__(self, index: slice) -> list[np.ndarray]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.read(g) for g in self.digests[index]]
        return self.read(self.digests[index])

    def __iter__(self) -> Iterator[np.ndarray]:
        return (self.read(g) for g in self.digests)


@dataclass
class Frequencies:
    """How many documents of the corpus have each distinct 3-gram (or word) of each document,
    in a spill file: part ``p`` of the hash range is one region, each document's counts
    (uint32, aligned with its sorted hashes' slice in that part) from ``offsets[p][n]`` to
    ``offsets[p][n + 1]`` entries in."""

    regions: list[Spilled]
    offsets: np.ndarray  # (parts, documents + 1), int64

    def of(self, n: int) -> list[Spilled]:
        """Where document ``n``'s counts are, part by part (read them with :func:`read_counts`)."""
        return [
            Spilled(region.path, region.offset + 4 * int(low), 4 * int(high - low))
            for region, low, high in zip(self.regions, self.offsets[:, n], self.offsets[:, n + 1])
            if high > low
        ]


def read_counts(handles: list[Spilled]) -> np.ndarray:
    """A document's counts from :meth:`Frequencies.of`, in the order of its sorted hashes."""
    if not handles:
        return np.zeros(0, np.uint32)
    return np.concatenate([np.frombuffer(h.read(), dtype=np.uint32) for h in handles])


def _corpus_frequencies(
    arrays: OnDisk, out, grams_per_part: int = GRAMS_PER_PART
) -> Frequencies | None:
    """The document frequencies of every document's sorted distinct hashes (``arrays``),
    counted a part of the hash range at a time (about ``grams_per_part`` entries, so the
    count never holds the corpus's hashes at once) and written to ``out`` (a spill file);
    None where no document has any (then :func:`_gram_weights` and :func:`_word_weights`
    weigh nothing either)."""
    total = int(arrays.lengths.sum())
    if total == 0:
        return None
    ranges = hash_ranges(total, grams_per_part)
    offsets = np.zeros((len(ranges), len(arrays) + 1), dtype=np.int64)
    regions = []
    for part, (low, high) in enumerate(ranges):
        pieces = [in_range(a, low, high) for a in arrays]
        table = _counts(pieces)
        counts = [
            _lookup(table, piece) if table is not None else np.zeros(0, np.uint32)
            for piece in pieces
        ]
        np.cumsum([len(c) for c in counts], out=offsets[part, 1:])
        regions.append(out.write(np.concatenate(counts).astype(np.uint32).tobytes()))
    return Frequencies(regions, offsets)


@dataclass
class SpilledSide:
    """One document of a chunk of spilled pairs: the document (no annotations), where its view
    is, and where the corpus frequencies of its distinct 3-grams and words are (None: none
    counted; see :class:`Frequencies`)."""

    doc: Document
    stored: Spilled
    gram_df: list[Spilled] | None
    word_df: list[Spilled] | None


@dataclass
class SpilledPairs:
    """A chunk of candidate pairs whose views are in the spill file (what :func:`link_pairs`
    gets from :func:`_spilled_pair_links`): ``pairs`` index ``sides``."""

    sides: list[SpilledSide]
    pairs: list[tuple[int, int]]
    documents: int  # in the corpus the frequencies were counted over

    def __len__(self) -> int:
        return len(self.pairs)

    def loaded(self) -> list[PairWork]:
        """The pairs with their views read back (each once a chunk), weighed where a pair's
        check reads the weights (:func:`_shared`: not both English)."""
        views = [view_from_bytes(side.doc.id, side.stored.read()) for side in self.sides]
        for a, b in self.pairs:
            if not (views[a].english and views[b].english):  # only such pairs read the weights
                self._weigh(self.sides[a], views[a])
                self._weigh(self.sides[b], views[b])
        return [(self.sides[a].doc, views[a], self.sides[b].doc, views[b]) for a, b in self.pairs]

    def _weigh(self, side: SpilledSide, view: ReuseView) -> None:
        """The weights :func:`_gram_weights` gives a view, from the frequencies counted in the
        main process (nothing where none were: ``_shared`` then weighs the pair alone)."""
        words = view.content_words()[0]
        if side.gram_df is not None and "grams" not in view.extra:
            grams = gram_hashes(words)
            signature = view.signature if view.signature is not None else np.zeros(0, np.uint64)
            gram_df = read_counts(side.gram_df)
            _weigh_grams(view, grams, gram_df[np.searchsorted(signature, grams)], self.documents)
        if side.word_df is not None and "vocabulary" not in view.extra:
            found = np.unique(gram_hashes(words, 1))
            _weigh_words(view, found, read_counts(side.word_df), self.documents)


def _counts(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray] | None:
    """The distinct values of ``arrays`` and in how many arrays each is (each array distinct)."""
    present = [a for a in arrays if len(a)]
    if not present:
        return None
    values, counts = np.unique(np.concatenate(present), return_counts=True)
    return values, counts.astype(np.uint32)


def _lookup(table: tuple[np.ndarray, np.ndarray], keys: np.ndarray) -> np.ndarray:
    values, counts = table
    return counts[np.searchsorted(values, keys)] if len(keys) else np.zeros(0, np.uint32)


def _spilled_chunks(
    docs: list[Document],
    digests: list[ReuseDigest],
    pairs: list[tuple[int, int]],
    frequencies: tuple[Frequencies | None, Frequencies | None],
) -> Iterator[SpilledPairs]:
    """The chunks of ``PAIRS_PER_CHUNK`` pairs, made as the map takes them; each document
    travels without its annotations (one such copy per document, shared by its chunks)."""
    grams, words = frequencies
    bare: dict[int, Document] = {}
    for first in range(0, len(pairs), PAIRS_PER_CHUNK):
        chunk = pairs[first : first + PAIRS_PER_CHUNK]
        index: dict[int, int] = {}
        sides: list[SpilledSide] = []
        for n in (n for pair in chunk for n in pair):
            if n not in index:
                index[n] = len(sides)
                stored = digests[n].stored
                if stored is None:
                    raise ValueError(f"{docs[n].id}: the reuse view was not spilled")
                if n not in bare:
                    bare[n] = replace(docs[n], annotations=Annotations())
                sides.append(
                    SpilledSide(
                        bare[n],
                        stored,
                        None if grams is None else grams.of(n),
                        None if words is None else words.of(n),
                    )
                )
        yield SpilledPairs(sides, [(index[a], index[b]) for a, b in chunk], len(docs))


PairWork = tuple[Document, ReuseView, Document, ReuseView]
MapChunks = Callable[
    [
        Callable[[list[PairWork] | SpilledPairs], list[ReuseLink]],
        Iterable[list[PairWork] | SpilledPairs],
    ],
    Iterable[list[ReuseLink]],
]
"""How the chunks of candidate pairs are run: ``map``, or an engine's map (results in order)."""
PAIRS_PER_CHUNK = 100


def link_pairs(pairs: list[PairWork] | SpilledPairs) -> list[ReuseLink]:
    """The links of a chunk of candidate pairs, each pair checked on its own (chunks are independent).

    A chunk of spilled pairs reads its views back first (:meth:`SpilledPairs.loaded`).

    NumPy's BLAS is held to one thread here: a pair's sentence-vector products
    are tiny (a few dozen rows of 384), and waking BLAS threads for each one
    cost six times the product itself (1,618 ECB+ pairs' pre-checks: 0.21 s of
    CPU with two threads, 0.03 s with one; more on a loaded machine).
    """
    from threadpoolctl import threadpool_limits

    work = pairs.loaded() if isinstance(pairs, SpilledPairs) else pairs
    with threadpool_limits(limits=1, user_api="blas"):
        return [link for link in (_link_pair(*pair) for pair in work) if link]


WEIGHTED = True
ALIGN_COVERAGE = 0.25
"""Without embeddings, sentences align on their characters alone, which needs much shared
text: below this share of either text in shared passages, the alignment is not tried."""


def _shingles(view: ReuseView) -> np.ndarray:
    return view.signature if view.signature is not None else np.zeros(0, np.uint64)


def _gram_weights(views: list[ReuseView], shingles: list[np.ndarray]) -> None:
    """Each view's 3-gram hashes in text order and their inverse document frequency in the corpus.

    ``log(N / df)``: a 3-gram of one document pair weighs ``log(N / 2)``, a
    formulaic one found across the corpus close to nothing, and a text copied
    by every outlet keeps its full coverage, since its own words are all weighed alike.
    """
    _word_weights(views)
    table = _counts(shingles)
    if table is None:
        return
    for v in views:
        grams = gram_hashes(v.content_words()[0])
        _weigh_grams(v, grams, _lookup(table, grams), len(views))


def _word_weights(views: list[ReuseView]) -> None:
    """Each view's distinct content words (sorted hashes) and their rarity in the corpus."""
    distinct = [np.unique(gram_hashes(v.content_words()[0], 1)) for v in views]
    table = _counts(distinct)
    if table is None:
        return
    for v, found in zip(views, distinct):
        _weigh_words(v, found, _lookup(table, found), len(views))


def _weigh_grams(view: ReuseView, grams: np.ndarray, df: np.ndarray, documents: int) -> None:
    """``grams`` (the view's 3-gram hashes in text order) weighed ``log(N / df)``."""
    view.extra["grams"] = grams_of(grams)
    view.extra["gram_weights"] = np.log(max(documents, 2) / np.maximum(df, 1)).clip(min=0.0)


def _weigh_words(view: ReuseView, found: np.ndarray, df: np.ndarray, documents: int) -> None:
    """``found`` (the view's distinct word hashes) weighed ``log((N + 1) / df)``: close to
    ``log(N / df)`` in a corpus, and still above zero for a word every document of a
    two-document batch uses."""
    view.extra["vocabulary"] = (found, np.log((documents + 1) / np.maximum(df, 1)))


EXPLAINED_MARGIN = (
    0.02  # a link this close to the best one is kept: two origins may be the same text
)


def _explain_away(links: list[ReuseLink]) -> list[ReuseLink]:
    linked = {frozenset((link.derived, link.origin)) for link in links}
    origins_of: dict[str, list[ReuseLink]] = {}
    for link in links:
        if link.directed:
            origins_of.setdefault(link.derived, []).append(link)
    best = {
        doc: max(found, key=lambda link: (link.score, link.origin))
        for doc, found in origins_of.items()
    }
    kept = []
    for link in links:
        if link.directed:
            top = best[link.derived]
            explained = link.origin != top.origin and frozenset((link.origin, top.origin)) in linked
            if explained and link.score < top.score - EXPLAINED_MARGIN:
                continue
        elif _siblings(link, origins_of):
            continue
        kept.append(link)
    return kept


def _siblings(link: ReuseLink, origins_of: dict[str, list[ReuseLink]]) -> bool:
    """An undirected pair whose members both copy one origin, one of them at least as closely as the other member."""
    mine = {x.origin: x.score for x in origins_of.get(link.derived, [])}
    theirs = {x.origin: x.score for x in origins_of.get(link.origin, [])}
    return any(max(mine[o], theirs[o]) >= link.score for o in mine.keys() & theirs.keys())


def _orient_towards_hubs(links: list[ReuseLink], views: dict[str, Held]) -> list[ReuseLink]:
    copied: dict[str, int] = {}
    for link in links:
        if link.directed:
            copied[link.origin] = copied.get(link.origin, 0) + 1
    for link in links:
        if link.directed or link.kind == "shared_source":
            continue
        a, b = copied.get(link.derived, 0), copied.get(link.origin, 0)
        if (a == 0) != (b == 0):
            if a:
                link.derived, link.origin = link.origin, link.derived
                link.passages = [Passage(p.origin, p.derived, p.similarity) for p in link.passages]
                aligned = sum(p.derived[1] - p.derived[0] for p in link.passages)
                link.score = round(min(1.0, aligned / max(views[link.derived].content_chars, 1)), 4)
            link.directed = True
            link.why = describe(
                link.kind,
                link.score,
                f"dates and containment do not decide, but {link.origin} is the source other documents copy ({max(a, b)})",
            )
    return links


def _link_pair(
    doc_a: Document, view_a: ReuseView, doc_b: Document, view_b: ReuseView
) -> ReuseLink | None:
    if doc_a.id == doc_b.id:
        return None
    if view_a.english and view_b.english:
        # English: sentence alignment with MiniLM paraphrase evidence decides, calibrated on
        # same-story ECB+ pairs (real reprints and shared quotes are frequent there)
        if not _may_align(view_a, view_b):
            return None
        return classify(doc_a, view_a, doc_b, view_b, align(view_a, view_b))
    shared = _shared(view_a, view_b)
    link = None
    if max(shared.coverage_a, shared.coverage_b) >= ALIGN_COVERAGE:
        link = classify(doc_a, view_a, doc_b, view_b, align(view_a, view_b))
    return link or classify_passages(doc_a, view_a, doc_b, view_b, shared)


def _shared(view_a: ReuseView, view_b: ReuseView) -> Shared:
    if not all("grams" in v.extra and "vocabulary" in v.extra for v in (view_a, view_b)):
        ensure_signatures([view_a, view_b])
        _gram_weights([view_a, view_b], [_shingles(view_a), _shingles(view_b)])
    shared = shared_passages(
        view_a.extra["grams"],
        view_b.extra["grams"],
        view_a.extra.get("gram_weights") if WEIGHTED else None,
        view_b.extra.get("gram_weights") if WEIGHTED else None,
    )
    if shared.passages and "vocabulary" in view_a.extra and "vocabulary" in view_b.extra:
        words_a, weights_a = view_a.extra["vocabulary"]
        words_b, weights_b = view_b.extra["vocabulary"]
        shared.vocabulary_a = vocabulary_share(words_a, weights_a, words_b)
        shared.vocabulary_b = vocabulary_share(words_b, weights_b, words_a)
    return shared


def _may_align(view_a: ReuseView, view_b: ReuseView) -> bool:
    """Cheap pre-check: at least one content sentence pair is similar enough to count."""
    if not view_a.content.any() or not view_b.content.any():
        return False
    semantic = view_a.vectors[view_a.content] @ view_b.vectors[view_b.content].T
    return bool((semantic > GAIN_FLOOR).any()) or _shares_a_sentence(view_a, view_b)


def _shares_a_sentence(view_a: ReuseView, view_b: ReuseView) -> bool:
    return bool(set(view_a.normalised) & set(view_b.normalised))


def trace_reuse(
    documents: list[Document], stories: list[Story], map_chunks: MapChunks | None = None
) -> None:
    """Fill ``story.reuse`` for every story (merging stories that a link joins);
    ``map_chunks`` runs the pair checks (see :func:`pair_links`)."""
    links = find_links(documents, map_chunks)
    story_of = {d.id: d.story for d in documents}
    _merge_linked_stories(documents, stories, links, story_of)
    by_story = {s.id: s for s in stories}
    for story in stories:
        story.reuse = []
    for link in links:
        holder = by_story.get(story_of.get(link.derived) or "")
        if holder is not None:
            holder.reuse.append(link)
    for story in stories:
        story.reuse.sort(key=lambda link: (-link.score, link.derived, link.origin))


def _merge_linked_stories(
    documents: list[Document], stories: list[Story], links: list[ReuseLink], story_of: dict
) -> None:
    order = {s.id: n for n, s in enumerate(stories)}
    parent = {s.id: s.id for s in stories}

    def root(sid: str) -> str:
        return root_of(parent, sid)

    for link in links:
        a, b = story_of.get(link.derived), story_of.get(link.origin)
        if a in parent and b in parent and root(a) != root(b):
            ra, rb = sorted((root(a), root(b)), key=order.__getitem__)
            parent[rb] = ra
            link.why += f"; stories {ra} and {rb} merged (a copy reports its origin's event)"
    if all(root(s.id) == s.id for s in stories):
        return
    _apply_merge(documents, stories, root, story_of)


def _apply_merge(documents: list[Document], stories: list[Story], root, story_of: dict) -> None:
    by_id = {s.id: s for s in stories}
    for story in stories:
        keeper = by_id[root(story.id)]
        if keeper is story:
            continue
        keeper.documents.extend(d for d in story.documents if d not in keeper.documents)
        dates = [x for x in (keeper.first_published, story.first_published) if x]
        keeper.first_published = min(dates) if dates else None
        dates = [x for x in (keeper.last_published, story.last_published) if x]
        keeper.last_published = max(dates) if dates else None
    for doc in documents:
        if doc.story in by_id:
            doc.story = root(doc.story)
            story_of[doc.id] = doc.story
    stories[:] = [s for s in stories if root(s.id) == s.id]
