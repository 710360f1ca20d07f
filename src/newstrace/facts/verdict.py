"""Compare two statements of one fact, and turn a set of comparisons into a
verdict with a one-line explanation a person can read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from newstrace.facts.claims import Claim
from newstrace.facts.dates import compare_dates
from newstrace.facts.quantities import compare_quantities
from newstrace.facts.quotes import QuoteValue, name_spellings, quote_words
from newstrace.model import Verdict

_QUOTE_SENTENCE = re.compile(r"(?<=[.!?;])\s*(?=[A-Z\"“‘])")


@dataclass
class Edge:
    """Two claims from two documents lined up as one fact, and how they compare."""

    a: Claim
    b: Claim
    linked: bool
    relation: str = ""  # equal | compatible | different
    aspect: str = ""  # what differs: "value", "words", "speaker", "place", "date"; equal
    # quotations that agree only where both quote the same stretch: "overlap"


def _contains(short: list[str], long: list[str]) -> bool:
    if not short:
        return True
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def compare_quotes(a: QuoteValue, b: QuoteValue, linked: bool) -> tuple[str, str]:
    """Same words (or one quotes a part of the other) → equal; the same words
    wherever both quote one stretch of speech → equal, aspect "overlap"; else the
    words differ."""
    spellings = name_spellings(a.pieces, b.pieces)  # b's spelling → a's, on both sides
    words_a = [spellings.get(w, w) for w in a.words]
    words_b = [spellings.get(w, w) for w in b.words]
    same_words = words_a == words_b
    if not same_words:
        short, long = (a, words_b) if len(words_a) <= len(words_b) else (b, words_a)
        same_words = all(_contains(quote_words(piece, spellings), long) for piece in short.pieces)
        if not same_words:  # whole sentences left out of a long quotation change no word
            same_words = all(
                _contains(quote_words(sentence, spellings), long)
                for piece in short.pieces
                for sentence in _QUOTE_SENTENCE.split(piece)
            )
    if (
        same_words
        and words_a != words_b
        and (_negation_only(words_a, words_b) or (linked and _clause_cut(a, b, spellings)))
    ):
        return "different", "words"
    overlap_only = False
    if not same_words:
        same_words = overlap_only = _agree_where_both_quote(
            a, b, spellings
        ) and _agree_where_both_quote(b, a, spellings)
    if not same_words:
        return "different", "words"
    if _speaker_changed(a, b):  # altered between linked articles, else a conflict
        return "different", "speaker"
    return "equal", "overlap" if overlap_only else ""


_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…")
_NEGATIONS = frozenset({"not", "never", "no", "nor"})
_MIN_CLAUSE = 4


def _negation_only(words_a: list[str], words_b: list[str]) -> bool:
    """The two quotations differ by a negation alone ("if you do" / "if you do not"):
    one that stops right before a "not" is not the same words cut shorter."""
    ops = difflib.SequenceMatcher(a=words_a, b=words_b, autojunk=False).get_opcodes()
    changed = [op for op in ops if op[0] != "equal"]
    extra = [w for _, i1, i2, j1, j2 in changed for w in words_a[i1:i2] + words_b[j1:j2]]
    return bool(extra) and all(w in _NEGATIONS for w in extra)


def _clause_cut(a: QuoteValue, b: QuoteValue, spellings: dict[str, str]) -> bool:
    """A derived copy's quotation that keeps only part of a sentence of its origin's.

    Outlets quoting one speech on their own pick different sentences; a copy
    made from an article that quotes a sentence whole and prints a clause of it
    as the whole quotation, with no ellipsis, has changed what the speaker is
    shown to say ("might win plaudits, but it is going to cost jobs" / "might
    win plaudits"). Whole sentences left out are a cut, not a change, and so
    are one or two words at the sentence's edge (an opening "Meanwhile,"): a
    clause is three words or more.
    """
    short, long = (a, b) if len(a.words) <= len(b.words) else (b, a)
    if any(_ELLIPSIS.search(piece) for piece in short.pieces + long.pieces):
        return False
    short_words = [w for piece in short.pieces for w in quote_words(piece, spellings)]
    short_sentences = [
        quote_words(sentence, spellings) for piece in short.pieces for sentence in _sentences(piece)
    ]
    for piece in long.pieces:
        for sentence in _sentences(piece):
            words = quote_words(sentence, spellings)
            if len(words) <= _MIN_CLAUSE or _contains(words, short_words):
                continue
            matcher = difflib.SequenceMatcher(a=words, b=short_words, autojunk=False)
            run = matcher.find_longest_match(0, len(words), 0, len(short_words))
            left_out = len(words) - run.size  # a clause, not a word or two at its edge
            if run.size >= _MIN_CLAUSE and run.size == len(short_words) and left_out >= 3:
                return True
            if any(_part_of(cut, words) for cut in short_sentences):
                return True  # one sentence of a longer quotation printed as a clause of itself
    return False


def _part_of(cut: list[str], sentence: list[str]) -> bool:
    """``cut`` is a clause of ``sentence``: a run of it, three words or more shorter."""
    return len(cut) >= _MIN_CLAUSE and len(sentence) - len(cut) >= 3 and _contains(cut, sentence)


# A quotation cut by one outlet may open on a connective or interjection the
# other outlet's cut left out ("... And, for the sake of" / "For the sake of").
_OPENERS = frozenset(
    {"and", "but", "so", "or", "well", "oh", "now", "then", "because", "however", "yet", "still"}
)
_MIN_SHARED_RUN = 3


# A full stop that ends an abbreviation, not a sentence: "Sen. Reid", "Mr. Blinken".
_ABBREVIATION = re.compile(
    r"(?:\b(?:sen|rep|gov|gen|pres|dr|prof|col|lt|sgt|capt|mr|mrs|ms|st|jr|sr|no|vs)|\b[a-z])\.$",
    re.I,
)


def _sentences(text: str) -> list[str]:
    """A quotation's sentences, not cut after an abbreviation's full stop."""
    sentences: list[str] = []
    for part in _QUOTE_SENTENCE.split(text):
        if sentences and _ABBREVIATION.search(sentences[-1].rstrip()):
            sentences[-1] += " " + part
        else:
            sentences.append(part)
    return sentences


@dataclass
class _Fragment:
    """Words of one stretch of a quotation, and whether its writer cut the
    speech right before or after it (an ellipsis): words the other outlet has
    there were left out, not changed."""

    words: list[str]
    cut_before: bool = False
    cut_after: bool = False
    before: list[str] = field(default_factory=list)  # the quotation's words before it, uncut


def _fragments(value: QuoteValue, by_sentence: bool, spellings: dict[str, str]) -> list[_Fragment]:
    """The quotation cut where its writer cut it (pieces, ellipses) and, for
    ``by_sentence``, at sentence ends too: each fragment may quote a stretch of
    the speech the other outlet did not, but inside it no word may differ."""
    fragments = []
    for piece in value.pieces:
        parts = _ELLIPSIS.split(piece)
        for k, part in enumerate(parts):
            stretches = _sentences(part) if by_sentence else [part]
            before: list[str] = []
            for n, stretch in enumerate(stretches):
                words = quote_words(stretch, spellings)
                if words:
                    fragments.append(
                        _Fragment(
                            words,
                            cut_before=k > 0 and n == 0,
                            cut_after=k < len(parts) - 1 and n == len(stretches) - 1,
                            before=before,
                        )
                    )
                    before = before + words
    return fragments


def _edge_only(
    op: tuple[str, int, int, int, int], mine: _Fragment, other: _Fragment, opening: bool
) -> bool:
    """A difference at a fragment's edge (``opening`` or closing) that only says
    where a quotation was cut: words next to a writer's ellipsis on the side that
    lacks them, a phrase one side has and the other does not (a cut leaves out
    two words or more; one word less at the end is an edit), or opening
    connectives one side has ("And, for the sake of" / "For the sake of")."""
    _, i1, i2, j1, j2 = op
    for lacking, size in ((mine, i2 - i1), (other, j2 - j1)):
        if size == 0 and (lacking.cut_before if opening else lacking.cut_after):
            return True
    if i1 == i2 or j1 == j2:
        extra = mine.words[i1:i2] or other.words[j1:j2]
        return len(extra) >= 2 or all(w in _OPENERS for w in extra)
    if opening and _clause_joined(mine.words[i1:i2], other.words[j1:j2]):
        return True
    if opening and mine.before and mine.before[-1] == other.words[j2 - 1]:
        # mine's sentence opens on "Oh," where the other goes straight on from the
        # sentence before, which both quote: the word is inside the shared stretch
        return False
    return all(w in _OPENERS for w in mine.words[i1:i2]) or all(
        w in _OPENERS for w in other.words[j1:j2]
    )


# One outlet prints a sentence ("It is being treated as suspicious"), the other
# joins it to the sentence before as a relative clause ("…, which is being treated").
_SUBJECT_PRONOUNS = frozenset({"it", "this", "he", "she", "they"})
_RELATIVES = frozenset({"which", "who"})


def _clause_joined(mine: list[str], other: list[str]) -> bool:
    """Before the stretch both quote, one side opens its sentence on a subject
    pronoun and the other has a relative pronoun there ("It is being treated" /
    "…in Banstead, which is being treated"): the same clause, cut in another place."""
    for lone, joined in ((mine, other), (other, mine)):
        if (
            len(lone) == 1
            and lone[0] in _SUBJECT_PRONOUNS
            and joined[-1:]
            and joined[-1] in _RELATIVES
        ):
            return True
    return False


def _reworded(op: tuple[str, int, int, int, int]) -> bool:
    """Two words or more on each side, replaced: the two fragments go their own way there."""
    tag, i1, i2, j1, j2 = op
    return tag == "replace" and i2 - i1 >= 2 and j2 - j1 >= 2


def _differences(mine: _Fragment, other: _Fragment) -> tuple[bool, set[int], set[int]] | None:
    """None when the two fragments quote different stretches of speech (no run of
    three words in common, or of two in a fragment of four words or fewer);
    else whether a word differs inside the stretch both quote, and the
    positions of ``mine`` and of ``other`` in runs of words both quote."""
    matcher = difflib.SequenceMatcher(a=mine.words, b=other.words, autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    run = max((m.size for m in blocks), default=0)
    if run < min(_MIN_SHARED_RUN, max(2, min(len(mine.words), len(other.words)) // 2)):
        return None
    ops = matcher.get_opcodes()
    if _reworded(ops[0]) and _reworded(ops[-1]):
        return None  # two sentences sharing a phrase: "The new rules weaken the scientific
        # foundation of the Act and make …" / "Changes have undermined the scientific
        # foundation of the Act, and today …"
    while ops and ops[0][0] != "equal" and _edge_only(ops[0], mine, other, opening=True):
        ops.pop(0)
    while ops and ops[-1][0] != "equal" and _edge_only(ops[-1], mine, other, opening=False):
        ops.pop()
    runs = [m for m in blocks if m.size >= 2]  # a lone word in common says nothing
    shared_mine = {i for m in runs for i in range(m.a, m.a + m.size)}
    shared_other = {j for m in runs for j in range(m.b, m.b + m.size)}
    return any(op[0] != "equal" for op in ops), shared_mine, shared_other


def _agree_where_both_quote(a: QuoteValue, b: QuoteValue, spellings: dict[str, str]) -> bool:
    """Every sentence ``a`` quotes reads word for word like ``b`` wherever both
    quote the same stretch of speech (sharing a run of three words, or of two in
    a fragment of four words or fewer).

    Outlets quote different parts of one speech: one starts a sentence later,
    stops earlier, leaves a sentence out or marks a cut with an ellipsis. Those
    are omissions, not changed words; a word replaced, added or dropped inside
    the stretch both quote is a difference. A phrase the speaker says twice
    ("legally married same-sex couples") may match a second stretch of the
    other quotation: words that another stretch of the other side already
    quotes word for word are not compared again."""
    theirs = _fragments(b, by_sentence=False, spellings=spellings)
    results = [
        (m, o, found)
        for m, mine in enumerate(_fragments(a, by_sentence=True, spellings=spellings))
        for o, other in enumerate(theirs)
        if (found := _differences(mine, other)) is not None
    ]
    agreed_mine: dict[int, set[int]] = {}
    agreed_other: dict[int, set[int]] = {}
    for m, o, (differs, shared_mine, shared_other) in results:
        if not differs:
            agreed_mine.setdefault(m, set()).update(shared_mine)
            agreed_other.setdefault(o, set()).update(shared_other)
    return not any(
        differs
        and not shared_mine <= agreed_mine.get(m, set())
        and not shared_other <= agreed_other.get(o, set())
        for m, o, (differs, shared_mine, shared_other) in results
    )


def _speaker_changed(a: QuoteValue, b: QuoteValue) -> bool:
    """Both name a speaker, the names differ, and it is not one sentence naming both people."""
    sa, sb = a.speaker, b.speaker
    if not (sa.explicit and sb.explicit and sa.named and sb.named):
        return False  # "officials" / "authorities", "he": no name to have changed
    if not (sa.primary and sb.primary) or sa.primary == sb.primary:
        return False
    if sa.keys <= sb.keys or sb.keys <= sa.keys:
        # a body and its voice: "the State Department" / "State Department spokesperson Miller"
        return False
    if sa.primary in sb.name.lower() or sb.primary in sa.name.lower():
        return False
    return not (sa.primary in b.context and sb.primary in a.context)


def _compare_places(a: str, b: str) -> str:
    """Same place, or one name inside the other ("the U.S." / "the U.S. Fish and Wildlife Service")."""
    if a == b:
        return "equal"
    wa, wb = a.replace(".", " ").split(), b.replace(".", " ").split()
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if short and _contains(short, long):
        return "compatible"
    return "different"


def _as_written(claim: Claim) -> str:
    start, end = claim.mention[0] - claim.span[0], claim.mention[1] - claim.span[0]
    return " ".join(claim.text[start:end].lower().split()) if 0 <= start < end else ""


def _same_relative_words(a: Claim, b: Claim) -> bool:
    """A linked copy that keeps its origin's "today" or "yesterday" word for word
    has not changed the date, though it came out on another day (a copy put out
    after midnight, or in another time zone): the words are the origin's."""
    if a.value.anchor is None or b.value.anchor is None or a.value.anchor == b.value.anchor:
        return False
    if a.value.named_weekday or b.value.named_weekday:
        return False  # day names have their own rule (compare_dates)
    words = _as_written(a)
    return bool(words) and words == _as_written(b)


def compare(edge: Edge) -> Edge:
    a, b = edge.a, edge.b
    if a.kind == "quantity":
        edge.relation = compare_quantities(a.value, b.value, edge.linked)
        edge.aspect = "value"
    elif a.kind == "quote":
        edge.relation, edge.aspect = compare_quotes(a.value, b.value, edge.linked)
    elif a.kind == "date":
        edge.relation = compare_dates(a.value, b.value)
        if edge.relation == "different" and edge.linked and _same_relative_words(a, b):
            edge.relation = "equal"
        edge.aspect = "date"
    else:
        edge.relation = _compare_places(a.value, b.value)
        edge.aspect = "place"
    return edge


def verdict_of(edges: list[Edge]) -> tuple[Verdict, Edge | None]:
    """The fact's verdict (its most severe comparison) and the comparison that decided it."""
    worst, deciding = Verdict.AGREE, None
    for edge in edges:
        if edge.relation == "different":
            label = Verdict.ALTERED if edge.linked else Verdict.CONFLICT
        elif edge.relation in ("compatible", "unrelated"):
            label = Verdict.COMPATIBLE
        else:
            label = Verdict.AGREE
        if label.severity > worst.severity or (deciding is None and label == worst):
            worst, deciding = label, edge
    return worst, deciding


def _diff_excerpt(shown: QuoteValue, other: QuoteValue) -> str:
    """``shown`` as written around where it departs from ``other``, with ellipses."""
    words = [w.lower() for w in shown.display_words]
    theirs = [w.lower() for w in other.display_words]
    matcher = difflib.SequenceMatcher(a=words, b=theirs, autojunk=False)
    changed = [(i1, i2) for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal"]
    if not words:
        return ""
    if not changed:
        return shown.excerpt(0, len(words) - 1)
    start = max(0, changed[0][0] - 3)
    end = min(len(words), max(changed[-1][1], changed[0][0] + 1) + 3)
    if end - start > 16:
        end = min(len(words), max(changed[0][1], changed[0][0] + 1) + 3)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(words) else ""
    return prefix + shown.excerpt(start, end - 1) + suffix


def explain(edge: Edge, names: dict[str, str], derived: str | None, subject: str = "") -> str:
    """One line: who says what, and which one changed it (``subject``: what the fact counts)."""
    a, b = edge.a, edge.b
    if derived == b.doc:
        a, b = b, a
    na, nb = names.get(a.doc, a.doc), names.get(b.doc, b.doc)
    change = f"{na} (derived from {nb}) changed it" if derived else ""
    if a.kind == "quote":
        va, vb = a.value, b.value
        if edge.aspect == "speaker":
            line = f"{na} attributes the quote to {va.speaker.name or '?'}; {nb} to {vb.speaker.name or '?'}"
        else:
            who = va.speaker.name or vb.speaker.name or "the speaker"
            line = (
                f"{na} quotes {who} as “{_diff_excerpt(va, vb)}”; {nb} as “{_diff_excerpt(vb, va)}”"
            )
    elif a.kind == "quantity":
        line = (
            f"{na} gives {a.value.label()} ('{a.report_value['as_written']}') for {subject or a.subject or 'it'}; "
            f"{nb} gives {b.value.label()} ('{b.report_value['as_written']}')"
        )
    elif a.kind == "date":
        line = f"{na} dates it {a.value.label()} ('{a.report_value['as_written']}'); {nb} {b.value.label()} ('{b.report_value['as_written']}')"
    else:
        line = (
            f"{na} says {a.subject}: {a.report_value['place']}; {nb} says {b.report_value['place']}"
        )
    if edge.relation == "compatible":
        line += " — compatible (qualifier or precision differs)"
    return f"{line}; {change}" if change and edge.relation == "different" else line
