"""Line up the same fact across the documents of a story.

Three ways in, from most to least trusted:

1. *Aligned sentences*: sentences of two documents that say nearly the same
   (fuzzy ratio over the whole sentence; more lenient where a reuse link's
   aligned passages cover both, or where the two documents are linked at
   all). Within an aligned pair, claims that agree are paired first; a single
   leftover claim of a kind on each side is the same fact with another value.
2. *Quotations*: same speaker and overlapping words, anywhere in the story.
3. *Subjects*: a quantity counting the same thing (head noun class and at
   least two context words in common), and the next destination of the same
   traveller.

Cost: sentence alignment is one ``rapidfuzz.process.cdist`` per story over
claim-bearing sentences only; stories beyond a size cap align linked pairs only.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from itertools import combinations, pairwise

import numpy as np
from rapidfuzz import fuzz, process, utils

from newstrace.facts.claims import Claim, Sentence
from newstrace.facts.extract import Extracted
from newstrace.facts.places import place_key
from newstrace.facts.quantities import comparable_unit
from newstrace.facts.verdict import Edge, compare

LINKED_ALIGN = 60
PASSAGE_ALIGN = 45
UNLINKED_ALIGN = 82
LEFTOVER_ALIGN = 70
MASKED_ALIGN = 75
REWORDED_ALIGN = 60
MAX_STORY_SENTENCES = 4000
MAX_POSTINGS = 400  # a word in more quotations than this says nothing about which ones match
MAX_BLOCK = 400  # quantities of one generic subject beyond this are not lined up by subject
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "and",
    "in",
    "on",
    "for",
    "is",
    "are",
    "was",
    "were",
    "be",
    "it",
    "that",
    "this",
    "we",
    "i",
    "you",
    "they",
    "he",
    "she",
    "its",
    "our",
    "their",
    "with",
    "as",
    "at",
    "by",
    "all",
    "have",
    "has",
}


class Links:
    """Which document pairs are linked by reuse, and the passages aligned between them."""

    def __init__(self, reuse):
        self.pairs: dict[frozenset[str], object] = {}
        for link in reuse:
            self.pairs.setdefault(frozenset((link.derived, link.origin)), link)

    def between(self, a: str, b: str):
        return self.pairs.get(frozenset((a, b)))

    def passage_support(self, a_doc: str, a_span, b_doc: str, b_span) -> bool:
        link = self.between(a_doc, b_doc)
        if link is None or not getattr(link, "passages", None):
            return False
        if link.derived == b_doc:
            a_span, b_span = b_span, a_span
        for passage in link.passages:
            if _overlaps(passage.derived, a_span) and _overlaps(passage.origin, b_span):
                return True
        return False


def _overlaps(x, y) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def line_up(extracted: list[Extracted], links: Links) -> list[Edge]:
    """Every pair of claims judged to state the same fact, compared."""
    edges: list[Edge] = []
    edges.extend(_aligned_sentence_edges(extracted, links))
    edges.extend(_quote_edges(extracted, links))
    paired = {(id(e.a), e.b.doc) for e in edges} | {(id(e.b), e.a.doc) for e in edges}
    edges.extend(_subject_edges(extracted, links, paired))
    return [compare(edge) for edge in edges]


# ------------------------------------------------------------ aligned sentences


def _claim_sentences(extracted: list[Extracted]):
    """Sentences to align: every sentence of some length, not only those with claims
    (a twin in a linked copy may name a place the tagger missed there), so each
    sentence finds its own twin, not a look-alike."""
    rows: list[tuple[int, int]] = []  # (doc index, sentence index)
    for k, item in enumerate(extracted):
        used = {c.sentence for c in item.claims if c.kind != "quote"}
        used |= {s.index for s in item.sentences if len(s.text) >= 12}
        rows.extend((k, s) for s in sorted(used))
    return rows


def _aligned_sentence_edges(extracted: list[Extracted], links: Links) -> list[Edge]:
    rows = _claim_sentences(extracted)
    if len(rows) < 2:
        return []
    by_sentence: dict[tuple[int, int], list[Claim]] = defaultdict(list)
    for k, item in enumerate(extracted):
        for claim in item.claims:
            if claim.kind != "quote":
                by_sentence[(k, claim.sentence)].append(claim)
    texts = [utils.default_process(extracted[k].sentences[s].text) for k, s in rows]
    docs = np.array([k for k, _ in rows])
    if len(rows) <= MAX_STORY_SENTENCES:
        scores = process.cdist(
            texts, texts, scorer=fuzz.ratio, score_cutoff=PASSAGE_ALIGN, dtype=np.uint8, workers=1
        )
        pairs: list[tuple[int, ...]] = list(combinations(range(len(extracted)), 2))
    else:  # a very large story: only linked documents are aligned, pair by pair
        scores = None
        position = {item.doc.id: k for k, item in enumerate(extracted)}
        pairs = [
            tuple(sorted(position[d] for d in pair))
            for pair in links.pairs
            if all(d in position for d in pair)
        ]
    edges: list[Edge] = []
    for k, j in pairs:
        a_rows = np.flatnonzero(docs == k)
        b_rows = np.flatnonzero(docs == j)
        if not len(a_rows) or not len(b_rows):
            continue
        if scores is None:
            block = process.cdist(
                [texts[r] for r in a_rows],
                [texts[r] for r in b_rows],
                scorer=fuzz.ratio,
                score_cutoff=PASSAGE_ALIGN,
                dtype=np.uint8,
                workers=1,
            )
        else:
            block = scores[np.ix_(a_rows, b_rows)]
        doc_a, doc_b = extracted[k], extracted[j]
        link = links.between(doc_a.doc.id, doc_b.doc.id)
        for x, y in _one_to_one(block):
            ra, rb = rows[a_rows[x]], rows[b_rows[y]]
            sa, sb = doc_a.sentences[ra[1]], doc_b.sentences[rb[1]]
            if link is not None:
                needed = (
                    PASSAGE_ALIGN
                    if links.passage_support(sa.doc, sa.span, sb.doc, sb.span)
                    else LINKED_ALIGN
                )
            else:
                needed = UNLINKED_ALIGN
            if int(block[x, y]) >= needed:
                found = _pair_claims(
                    by_sentence[ra], by_sentence[rb], link is not None, int(block[x, y])
                )
                if link is not None:
                    found.extend(_untagged_places(by_sentence[ra], sb, found))
                    found.extend(_untagged_places(by_sentence[rb], sa, found))
                edges.extend(found)
    return edges


_CAPITAL_WORD = re.compile(r"[A-Z][\w’'.-]*")
_TOKEN = re.compile(r"[^\W_]+")


def _untagged_places(claims: list[Claim], other: Sentence, paired: list[Edge]) -> list[Edge]:
    """A place of one sentence whose aligned sentence in a linked copy names
    another place in the same frame, where the tagger saw no place ("in central
    Paris on Monday" / "in central Cannes on Monday"): the same sentence naming
    another place is a change. The frame is the two words before and the two
    after the name (one side may be the sentence's edge)."""
    done = {id(e.a) for e in paired} | {id(e.b) for e in paired}
    words = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(other.text)]
    lower = [w for _, _, w in words]
    edges = []
    for claim in claims:
        if claim.kind != "place" or id(claim) in done:
            continue
        before, after = _around(claim)
        before, after = before[-2:], after[:2]
        if len(before) + len(after) < 3 and not (len(before) == 2 and not after):
            continue
        for i in range(len(before), len(lower) + 1):
            if lower[i - len(before) : i] != before:
                continue
            for j in range(i + 1, min(i + 5, len(lower) + 1)):
                if lower[j : j + len(after)] != after or (not after and j != len(lower)):
                    continue
                start, end = words[i][0], words[j - 1][1]
                phrase = other.text[start:end]
                if not all(_CAPITAL_WORD.fullmatch(w) for w in phrase.split()):
                    continue
                if place_key(phrase) == claim.value or claim.value in place_key(phrase):
                    continue
                twin = Claim(
                    kind="place",
                    doc=other.doc,
                    sentence=other.index,
                    span=other.span,
                    text=other.text,
                    mention=(other.span[0] + start, other.span[0] + end),
                    subject=claim.subject,
                    value=place_key(phrase),
                    report_value={"place": phrase, "role": claim.role},
                    key=claim.key,
                    role=claim.role,
                    extra={"weak": claim.extra.get("weak", False)},
                )
                edges.append(Edge(claim, twin, True))
                break
            if edges and edges[-1].a is claim:
                break
    return edges


def _one_to_one(block: np.ndarray) -> list[tuple[int, int]]:
    """One-to-one sentence pairs, best scores first (a repeated sentence still finds its twin)."""
    if block.size == 0:
        return []
    rows, cols = np.nonzero(block)
    order = np.argsort(-block[rows, cols], kind="stable")
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    pairs = []
    for k in order:
        x, y = int(rows[k]), int(cols[k])
        if x not in used_rows and y not in used_cols:
            used_rows.add(x)
            used_cols.add(y)
            pairs.append((x, y))
    return pairs


def _pair_claims(
    left: list[Claim], right: list[Claim], linked: bool, score: int = 100
) -> list[Edge]:
    """Pair the claims of two aligned sentences: agreeing ones first, then one leftover each.

    A leftover pair says "this copy changed the value": trusted when the two
    sentences are near copies (``score`` ≥ ``LEFTOVER_ALIGN``), or for numbers
    said of the same thing; a paraphrased sentence may just mention other places.
    """
    edges: list[Edge] = []
    if not linked:  # independent articles: only numbers with a subject and dates of an event
        left = [c for c in left if _independent_checkable(c)]
        right = [c for c in right if _independent_checkable(c)]
    for kind in ("quantity", "date", "place"):
        a_claims = [c for c in left if c.kind == kind]
        b_claims = [c for c in right if c.kind == kind]
        used_b: set[int] = set()
        leftover_a = list(a_claims)
        for wanted in (("equal",), ("equal", "compatible")):  # identical values first
            still = []
            for a in leftover_a:
                match = next(
                    (
                        i
                        for i, b in enumerate(b_claims)
                        if i not in used_b
                        and _same_slot(a, b)
                        and compare(Edge(a, b, linked)).relation in wanted
                    ),
                    None,
                )
                if match is None:
                    still.append(a)
                else:
                    used_b.add(match)
                    edges.append(Edge(a, b_claims[match], linked))
            leftover_a = still
        leftover_b = [b for i, b in enumerate(b_claims) if i not in used_b]
        for slot in dict.fromkeys(_slot(c) for c in leftover_a):  # first seen: no hash order
            only_a = [c for c in leftover_a if _slot(c) == slot]
            only_b = [c for c in leftover_b if _slot(c) == slot]
            if (
                len(only_a) == 1
                and len(only_b) == 1
                and not _marked_apart(only_a[0], only_b[0])
                and _replaceable(only_a[0], only_b[0], score)
                and _same_frame(only_a[0], only_b[0])
            ):
                edge = Edge(only_a[0], only_b[0], linked)
                if compare(edge).relation != "unrelated":
                    edges.append(edge)
    return edges


def _independent_checkable(claim: Claim) -> bool:
    if claim.extra.get("weak"):
        return False
    if claim.kind == "date":
        return bool(claim.extra.get("event"))
    return claim.kind == "quantity" or claim.role == "destination"


def _replaceable(a: Claim, b: Claim, score: int) -> bool:
    """One claim can stand for the other: near-copied sentences, or a number said of
    the same thing, or with the same words beside it."""
    weak = a.extra.get("weak") or b.extra.get("weak")
    if a.kind != "quantity" or weak:
        if score < LEFTOVER_ALIGN:
            return False
        if a.kind != "quantity":
            return True
    if _plain(a) & _plain(b):
        return True
    before_a, after_a = a.extra.get("neighbours", ("", ""))
    before_b, after_b = b.extra.get("neighbours", ("", ""))
    return bool(before_a and before_a == before_b) or bool(after_a and after_a == after_b)


_FRAME_WORD = re.compile(r"[a-z0-9]+")


def _around(claim: Claim) -> tuple[list[str], list[str]]:
    """Words of the claim's sentence before and after the words that carry its value."""
    text = claim.text.lower()
    start, end = claim.mention[0] - claim.span[0], claim.mention[1] - claim.span[0]
    return _FRAME_WORD.findall(text[: max(0, start)]), _FRAME_WORD.findall(text[max(0, end) :])


def _same_frame(a: Claim, b: Claim) -> bool:
    """Two values stand in the same place of one sentence: the sentence less the
    value reads nearly the same (``MASKED_ALIGN``), and the words right beside
    the value agree (two on one side, or one on each). A copy that changed the
    value changed nothing else there; two sentences that differ around the value
    (a dropped sentence's neighbour, a reordered paragraph) are two statements.
    A number of the same thing may sit in a reworded sentence ("27 people were
    treated for smoke inhalation" / "According to the authority, 37 people
    received treatment for smoke inhalation"): ``REWORDED_ALIGN`` is enough."""
    before_a, after_a = _around(a)
    before_b, after_b = _around(b)
    masked = fuzz.ratio(" ".join(before_a + ["#"] + after_a), " ".join(before_b + ["#"] + after_b))
    if a.kind == "quantity" and masked >= REWORDED_ALIGN:
        return True  # a number of the same thing (``_replaceable``) in a reworded sentence
    if masked < MASKED_ALIGN:
        return False
    left = [x == y for x, y in zip(reversed(before_a), reversed(before_b))][:2]
    right = [x == y for x, y in zip(after_a, after_b)][:2]
    if not before_a and not before_b:  # the value opens both sentences
        left = [True, True]
    if not after_a and not after_b:  # the value closes both sentences
        right = [True, True]
    return left == [True, True] or right == [True, True] or (left[:1] == [True] == right[:1])


def _slot(claim: Claim) -> str:
    """Claims of one slot can only replace each other: a count for a count, a place for a place."""
    return comparable_unit(claim.value) if claim.kind == "quantity" else claim.kind


def _plain(claim: Claim) -> set[str]:
    """The key less its marks (``=``, ``~``): a shared tense says nothing of the thing counted."""
    return {k for k in claim.key if k[0] not in "=~"}


def _marks(claim: Claim, prefix: str) -> set[str]:
    return {k for k in claim.key if k.startswith(prefix)}


def _marked_apart(a: Claim, b: Claim) -> bool:
    """Counts set apart by their own marks ("12 Somali" / "11 Yemeni" pirates,
    Latinos' share "of Colorado's population" / "in Arizona", "will miss two
    games" / "missed four games"): different things or events."""
    for prefix in ("=", "~"):
        marks_a, marks_b = _marks(a, prefix), _marks(b, prefix)
        if marks_a and marks_b and not marks_a & marks_b:
            return True
    return False


def _same_slot(a: Claim, b: Claim, loose: bool = False) -> bool:
    if a.kind == "quantity":
        if comparable_unit(a.value) != comparable_unit(b.value) or _marked_apart(a, b):
            return False
        if loose:
            return True
        heads_a = {k for k in a.key if k.startswith("^")}
        heads_b = {k for k in b.key if k.startswith("^")}
        return not heads_a or not heads_b or bool(heads_a & heads_b) or bool(_plain(a) & _plain(b))
    if a.kind == "place":
        return a.role == b.role or loose
    return True


# ------------------------------------------------------------ quotations


def _content(words: list[str]) -> set[str]:
    return {w for w in words if w not in _STOP}


def _quote_candidates(quotes: list[Claim]) -> list[tuple[Claim, Claim]]:
    """Pairs of quotations from two documents sharing at least two content words,
    one for a quotation of a word or two (an inverted index, so unrelated quotations are never compared)."""
    index: dict[str, list[int]] = defaultdict(list)
    for n, quote in enumerate(quotes):
        for word in _content(quote.value.words):
            index[word].append(n)
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for postings in index.values():
        if len(postings) > MAX_POSTINGS:
            continue
        for x, y in combinations(postings, 2):
            shared[(x, y)] += 1
    return [
        (quotes[x], quotes[y])
        for (x, y), count in sorted(shared.items())  # in document order, not the words' hash order
        if quotes[x].doc != quotes[y].doc
        and count >= (1 if quotes[x].extra.get("short") or quotes[y].extra.get("short") else 2)
    ]


def _bigrams(words: list[str]) -> set[tuple[str, str]]:
    return set(pairwise(words))


def _longest_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of words the two quotations share, in order."""
    match = difflib.SequenceMatcher(a=a, b=b, autojunk=False).find_longest_match(
        0, len(a), 0, len(b)
    )
    return match.size


def _quote_edges(extracted: list[Extracted], links: Links) -> list[Edge]:
    """Quotations of one speaker that share word pairs in order ("to bring Yahya
    Sinwar to justice"); across speakers only near-identical words between linked copies."""
    quotes = [c for item in extracted for c in item.claims if c.kind == "quote"]
    words = {id(q): q.value.words for q in quotes}
    edges = []
    for a, b in _quote_candidates(quotes):
        wa, wb = words[id(a)], words[id(b)]
        linked = links.between(a.doc, b.doc) is not None
        if a.extra.get("short") or b.extra.get("short"):
            # a word or two in quotation marks: only the same words in a copy, where
            # only who said them can differ
            if linked and wa == wb:
                edges.append(compare(Edge(a, b, linked)))
            continue
        ba, bb = _bigrams(wa), _bigrams(wb)
        shared = len(ba & bb)
        overlap = shared / max(1, min(len(ba), len(bb)))
        ratio = fuzz.ratio(" ".join(wa), " ".join(wb))
        ka, kb = a.value.speaker.keys, b.value.speaker.keys
        same_speaker = bool(ka and kb and ka & kb)
        unknown = not ka or not kb
        if linked:  # a copy keeps most word pairs of its origin even where it changed one word
            if same_speaker:
                same = ratio >= 75 or (overlap >= 0.35 and shared >= 3)
            elif unknown:
                same = ratio >= 80 or (overlap >= 0.5 and shared >= 4)
            else:
                same = ratio >= 85 or overlap >= 0.8
        else:  # independent articles share stock phrases ("the Endangered Species Act"): ask for a long run
            run = _longest_run(wa, wb)
            if same_speaker:
                same = ratio >= 85 or run >= 7 or (run >= 5 and overlap >= 0.5)
            elif unknown:
                same = ratio >= 90 or run >= 8
            else:  # one quotation (not a stock phrase), word for word, given to two named speakers
                same = ratio >= 95 and min(len(wa), len(wb)) >= 6
        if same:
            edges.append(compare(Edge(a, b, linked)))
    return _drop_shadowed(edges)


def _drop_shadowed(edges: list[Edge]) -> list[Edge]:
    """A quotation with an identical twin in the other document is that twin's, not
    a reworded version of a similar quotation beside it ("I just wanted to say …" twice)."""

    def twin(e: Edge) -> bool:  # a short quotation inside a long one is not its twin,
        # nor one that only shares a stretch with it
        na, nb = len(e.a.value.words), len(e.b.value.words)
        return e.relation == "equal" and e.aspect != "overlap" and min(na, nb) >= 0.6 * max(na, nb)

    twins = {(id(e.a), e.b.doc) for e in edges if twin(e)} | {
        (id(e.b), e.a.doc) for e in edges if twin(e)
    }
    return [
        e
        for e in edges
        if e.relation == "equal"
        or ((id(e.a), e.b.doc) not in twins and (id(e.b), e.a.doc) not in twins)
    ]


# ------------------------------------------------------------ subjects


def _subject_edges(
    extracted: list[Extracted], links: Links, paired: set[tuple[int, str]]
) -> list[Edge]:
    """Claims about the same subject; a claim already aligned with one in the other document is left alone."""
    edges = []
    blocks: dict[tuple, list[Claim]] = defaultdict(list)
    for item in extracted:
        for claim in item.claims:
            if claim.extra.get("weak"):
                continue
            if claim.kind == "quantity" and comparable_unit(claim.value) in (
                "count",
                "percent",
                "money",
            ):
                for head in sorted(k for k in claim.key if k.startswith("^")):
                    blocks[("q", comparable_unit(claim.value), head)].append(claim)
            elif claim.kind == "place" and claim.role == "destination" and claim.key:
                blocks[("p",) + tuple(sorted(claim.key))].append(claim)
    seen: set[tuple[int, int]] = set()
    for block_key, claims in blocks.items():
        if len(claims) > MAX_BLOCK:
            continue
        for a, b in combinations(claims, 2):
            if (
                a.doc == b.doc
                or (id(a), id(b)) in seen
                or (id(a), b.doc) in paired
                or (id(b), a.doc) in paired
            ):
                continue
            seen.add((id(a), id(b)))
            edge = Edge(a, b, links.between(a.doc, b.doc) is not None)
            if block_key[0] == "q" and not _same_count(edge):
                continue
            edges.append(edge)
    return edges


def _specific_words(claim: Claim) -> set[str]:
    return {k for k in claim.key if k[0] not in "^@=~"}


def _same_count(edge: Edge) -> bool:
    """Same thing counted: close, compatible values; or, to call them different,
    at least two specific context words in common besides what is counted."""
    a, b = edge.a, edge.b
    if _marked_apart(a, b):
        return False
    relation = compare(edge).relation
    if relation != "different":
        low, high = sorted(
            q.number * 100 if q.unit == "fraction" else q.number for q in (a.value, b.value)
        )
        return high > 0 and low / high >= 0.8
    heads = {k[1:] for k in a.key if k.startswith("^")} | {
        k[1:] for k in b.key if k.startswith("^")
    }
    shared = (_specific_words(a) & _specific_words(b)) - heads
    return len(shared) >= 2
