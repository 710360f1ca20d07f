"""From an alignment to a reuse link: is it one, which kind, which way, why.

Two independent reports of one event share facts and an official quote, so a
handful of their sentences align; a derived text aligns sentence after
sentence. The link therefore needs a share of one document's content to be
aligned in order (``LINK_COVERAGE``), at least ``MIN_ALIGNED`` sentences,
and enough evidence: the summed excess of aligned similarities over the
alignment floor (``MIN_EVIDENCE``), so three loosely similar sentences of a
short independent report do not make a link. The thresholds were set on
derived copies of ECB+ dev articles against same-story ECB+ pairs
(``eval/score_reuse.py``), not on the seeds.

Direction, in order of strength:

1. Publication times: the earlier one is the origin.
2. Containment: the copy drops or compresses sentences, so the derived text
   is the one whose content is covered by the other, clearly more than the
   other way round (or almost entirely, while the other has sentences left over).
3. Furniture: of two otherwise equal texts, the one wrapped in page furniture
   (share prompts, "Leave a Reply") is the scraped copy.
4. Otherwise undecided (``directed=False``).

Text that is not English is decided by what the two texts share
(:func:`classify_passages`): at least one verbatim or near-verbatim passage,
and either ``PASSAGE_COVERAGE`` of the derived text inside passages or
``SHARED_VOCABULARY`` of its rarity-weighted vocabulary taken from the origin
(a rewrite reorders and rewords, but keeps its source's names, places and
figures). The thresholds were set by cross-validation on COUNTER dev.

A paraphrase pair in which *each* side keeps details of the aligned passages
(numbers, names) that the other lacks anywhere is two rewrites of a third
text: neither can be the other's source, so it is ``shared_source``.
"""

from __future__ import annotations

from datetime import timedelta

from newstrace.ingest.dates import PublishedAt, published_at
from newstrace.model import Document, Passage, ReuseLink
from newstrace.reuse.align import Alignment
from newstrace.reuse.passages import Shared
from newstrace.reuse.text import ReuseView, details, page_furniture, words

LINK_COVERAGE = 0.5
MIN_ALIGNED = 2
MIN_EVIDENCE = 0.75
EVIDENCE_PER_SENTENCE = 0.25  # a text of one or two sentences cannot sum up more
SHORT_DOC_COVERAGE = 0.8  # a document of one or two sentences needs this much instead
CONTAINMENT_MARGIN = 0.15
FULLY_CONTAINED = 0.95  # with this much covered, a smaller margin (FULL_MARGIN) decides
FULL_MARGIN = 0.04
NEAR_COPY_LEXICAL = 0.75
DUPLICATE_LEXICAL = 0.98
SHARED_DETAILS = 2
PASSAGE_COVERAGE = 0.15
"""Share of the derived text inside passages shared with its origin that makes a link on
passages alone (set by cross-validation on COUNTER dev, see docs/reuse.md)."""
SHARED_VOCABULARY = 0.2
"""Share of the derived text's rarity-weighted vocabulary found in its origin that, with at
least one shared passage, makes a link (a rewrite keeps its source's rare words; set by
cross-validation on COUNTER dev, see docs/reuse.md)."""
REWRITE_WINDOW = timedelta(days=7)
"""A newsroom rewrites a wire story within days: two dated texts further apart that share
only a few passages share formulaic phrasing (match reports, datelines), not a story."""
PASSAGE_NEAR_COPY = 0.45
"""Share of the derived text inside shared passages from which the copy is a near copy
(METER's wholly derived) rather than a rewrite (partially derived)."""
NEAR_COPY_VOCABULARY = 0.6
"""Share of the derived text's rarity-weighted vocabulary found in its origin from which it is
a near copy however reworded: nearly everything it names comes from the origin (METER's wholly
derived; set by cross-validation on COUNTER dev)."""


def classify(
    doc_a: Document, view_a: ReuseView, doc_b: Document, view_b: ReuseView, alignment: Alignment
) -> ReuseLink | None:
    """The reuse link between two documents, or None when they are not linked."""
    if not _is_linked(view_a, view_b, alignment):
        return None
    kind = _kind(view_a, view_b, alignment)
    if kind == "rewrite":
        shared = _shared_source_evidence(view_a, view_b, alignment)
        if shared:
            derived_a = alignment.coverage_a >= alignment.coverage_b
            return _link(
                doc_a, doc_b, view_a, view_b, alignment, derived_a, False, "shared_source", shared
            )
    derived_a, directed, reason = _direction(doc_a, doc_b, alignment, view_a, view_b)
    return _link(doc_a, doc_b, view_a, view_b, alignment, derived_a, directed, kind, reason)


def _is_linked(view_a: ReuseView, view_b: ReuseView, alignment: Alignment) -> bool:
    coverage = max(alignment.coverage_a, alignment.coverage_b)
    shortest = min(int(view_a.content.sum()), int(view_b.content.sum()))
    if alignment.evidence < min(MIN_EVIDENCE, EVIDENCE_PER_SENTENCE * shortest):
        return False
    if alignment.aligned_sentences >= MIN_ALIGNED:
        return coverage >= LINK_COVERAGE
    return alignment.aligned_sentences >= 1 and shortest <= 2 and coverage >= SHORT_DOC_COVERAGE


def _kind(view_a: ReuseView, view_b: ReuseView, alignment: Alignment) -> str:
    if view_a.content_text() == view_b.content_text():
        return "duplicate"
    if alignment.lexical >= NEAR_COPY_LEXICAL:
        return "near_copy"
    return "rewrite"


def _shared_source_evidence(view_a: ReuseView, view_b: ReuseView, alignment: Alignment) -> str:
    only_a = _details_missing_from(view_a, [p.a for p in alignment.pairs], view_b)
    only_b = _details_missing_from(view_b, [p.b for p in alignment.pairs], view_a)
    if len(only_a) >= SHARED_DETAILS and len(only_b) >= SHARED_DETAILS:
        sample_a = ", ".join(sorted(only_a)[:3])
        sample_b = ", ".join(sorted(only_b)[:3])
        return f"both paraphrase one text in the same order, and each keeps details the other lacks ({sample_a} / {sample_b})"
    return ""


def _details_missing_from(
    view: ReuseView, ranges: list[tuple[int, int]], other: ReuseView
) -> set[str]:
    vocabulary = set(words(" ".join(other.sentences)))
    found: set[str] = set()
    for start, end in ranges:
        for k in range(start, end):
            found |= details(view.sentences[k])
    return {d for d in found if not set(words(d)) <= vocabulary}


def _direction(
    doc_a: Document, doc_b: Document, alignment: Alignment, view_a: ReuseView, view_b: ReuseView
) -> tuple[bool, bool, str]:
    """(a is the derived one, directed, why)."""
    when_a, when_b = _published(doc_a), _published(doc_b)
    if when_a and when_b and _differ(when_a, when_b):
        a_later = when_a.moment > when_b.moment
        later, earlier = (doc_a, doc_b) if a_later else (doc_b, doc_a)
        return a_later, True, f"published later ({later.published} vs {earlier.published})"
    gap = alignment.coverage_a - alignment.coverage_b
    fuller = max(alignment.coverage_a, alignment.coverage_b)
    if abs(gap) >= CONTAINMENT_MARGIN or (fuller >= FULLY_CONTAINED and abs(gap) >= FULL_MARGIN):
        a_derived = gap > 0
        return a_derived, True, "its text is contained in the other, which has more sentences"
    furniture_a, furniture_b = page_furniture(view_a), page_furniture(view_b)
    if (furniture_a == 0) != (furniture_b == 0):
        return furniture_a > 0, True, "same text, but wrapped in page furniture the other lacks"
    return (
        alignment.coverage_a >= alignment.coverage_b,
        False,
        "direction undecided: same or no dates, neither contains the other",
    )


def _published(doc: Document) -> PublishedAt | None:
    return published_at(doc.published)


def _differ(a: PublishedAt, b: PublishedAt) -> bool:
    """Two publication times that decide an order (a bare date only against another day)."""
    if a.has_time and b.has_time:
        return a.moment != b.moment
    return a.moment.date() != b.moment.date()


_KIND_WORDS = {
    "duplicate": "same text",
    "near_copy": "near copy, lightly edited",
    "rewrite": "rewrite, sentence by sentence",
    "shared_source": "shared source",
}


def describe(kind: str, score: float, reason: str) -> str:
    """The ``why`` of a link: kind, share aligned, and how the direction was decided."""
    return f"{_KIND_WORDS[kind]}: {score:.0%} of its text aligns in order; {reason}"


def _link(doc_a, doc_b, view_a, view_b, alignment, derived_a, directed, kind, reason) -> ReuseLink:
    if not derived_a:
        doc_a, doc_b, view_a, view_b, alignment = doc_b, doc_a, view_b, view_a, alignment.swapped()
    passages = [
        Passage(
            derived=(view_a.spans[p.a[0]][0], view_a.spans[p.a[1] - 1][1]),
            origin=(view_b.spans[p.b[0]][0], view_b.spans[p.b[1] - 1][1]),
            similarity=round(p.similarity, 4),
        )
        for p in alignment.pairs
    ]
    why = describe(kind, alignment.coverage_a, reason)
    return ReuseLink(
        doc_a.id, doc_b.id, directed, kind, round(min(alignment.coverage_a, 1.0), 4), passages, why
    )


def passage_kind(derived: Shared, same_text: bool, apart: timedelta | None) -> str | None:
    """The kind of link a derived text (side ``a`` of ``derived``) makes with its origin by
    what they share, or None: linked from ``PASSAGE_COVERAGE`` of it in shared passages or
    ``SHARED_VOCABULARY`` of its rare words taken from the origin; a near copy from
    ``PASSAGE_NEAR_COPY`` in passages or ``NEAR_COPY_VOCABULARY`` of its rare words; a
    rewrite only within ``REWRITE_WINDOW``."""
    if derived.coverage_a < PASSAGE_COVERAGE and derived.vocabulary_a < SHARED_VOCABULARY:
        return None
    if same_text:
        return "duplicate"
    if derived.coverage_a >= PASSAGE_NEAR_COPY or derived.vocabulary_a >= NEAR_COPY_VOCABULARY:
        return "near_copy"
    if apart is not None and apart > REWRITE_WINDOW:
        return None
    return "rewrite"


def classify_passages(
    doc_a: Document, view_a: ReuseView, doc_b: Document, view_b: ReuseView, shared: Shared
) -> ReuseLink | None:
    """The link two texts make by the verbatim and near-verbatim passages they share alone.

    The derived text is the later one where dates decide, else the one more of
    whose words lie in the shared passages; :func:`passage_kind` decides from
    its passages and the share of its rare words it took from the other. This
    reads any script and needs no sentence splitter, so a short article is
    judged by what it shares, not by how many sentences it has.
    """
    if not shared.passages:
        return None
    when_a, when_b = _published(doc_a), _published(doc_b)
    dated = bool(when_a and when_b and _differ(when_a, when_b))
    if dated and when_a and when_b:
        derived_a = when_a.moment > when_b.moment
    else:
        derived_a = shared.coverage_a >= shared.coverage_b
    derived = shared if derived_a else shared.swapped()
    days_apart = abs(when_a.moment - when_b.moment) if dated and when_a and when_b else None
    kind = passage_kind(derived, view_a.content_text() == view_b.content_text(), days_apart)
    if kind is None:
        return None
    coverage = derived.coverage_a
    gap = abs(shared.coverage_a - shared.coverage_b)
    if dated:
        later, earlier = (doc_a, doc_b) if derived_a else (doc_b, doc_a)
        directed, reason = True, f"published later ({later.published} vs {earlier.published})"
    elif gap >= CONTAINMENT_MARGIN:
        directed, reason = True, "more of its text lies in the shared passages than of the other's"
    else:
        directed, reason = (
            False,
            "direction undecided: same or no dates, neither contains the other",
        )
    if not derived_a:
        doc_a, doc_b, view_a, view_b = doc_b, doc_a, view_b, view_a
        shared = shared.swapped()
    spans_a, spans_b = view_a.content_words()[1], view_b.content_words()[1]
    passages = [
        Passage(
            derived=(int(spans_a[p.a[0], 0]), int(spans_a[p.a[1] - 1, 1])),
            origin=(int(spans_b[p.b[0], 0]), int(spans_b[p.b[1] - 1, 1])),
            similarity=round(p.matched / max(p.a[1] - p.a[0], 1), 4),
        )
        for p in shared.passages
    ]
    longest = max(p.matched for p in shared.passages)
    why = (
        f"{_KIND_WORDS[kind]}: {coverage:.0%} of its words lie in {len(passages)} passage(s) "
        f"shared word for word or nearly (longest {longest} words), and "
        f"{derived.vocabulary_a:.0%} of its rare words are the other's; {reason}"
    )
    return ReuseLink(
        doc_a.id, doc_b.id, directed, kind, round(min(coverage, 1.0), 4), passages, why
    )
