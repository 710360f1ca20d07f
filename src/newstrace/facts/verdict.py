"""Compare two statements of one fact, and turn a set of comparisons into a
verdict with a one-line explanation a person can read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from newstrace.facts.claims import Claim
from newstrace.facts.dates import compare_dates
from newstrace.facts.quantities import compare_quantities
from newstrace.facts.quotes import QuoteValue, quote_words
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
    words_a, words_b = a.words, b.words
    same_words = words_a == words_b
    if not same_words:
        short, long = (a, words_b) if len(words_a) <= len(words_b) else (b, words_a)
        same_words = all(_contains(quote_words(piece), long) for piece in short.pieces)
        if not same_words:  # whole sentences left out of a long quotation change no word
            same_words = all(
                _contains(quote_words(sentence), long)
                for piece in short.pieces
                for sentence in _QUOTE_SENTENCE.split(piece)
            )
    overlap_only = False
    if not same_words:
        same_words = overlap_only = _agree_where_both_quote(a, b) and _agree_where_both_quote(b, a)
    if not same_words:
        return "different", "words"
    if _speaker_changed(a, b):  # altered between linked articles, else a conflict
        return "different", "speaker"
    return "equal", "overlap" if overlap_only else ""


_ELLIPSIS = re.compile(r"\.\s*\.\s*\.|…")
# A quotation cut by one outlet may open on a connective or interjection the
# other outlet's cut left out ("... And, for the sake of" / "For the sake of").
_OPENERS = frozenset({"and", "but", "so", "or", "well", "oh", "now", "then", "because"})
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


def _fragments(value: QuoteValue, by_sentence: bool) -> list[list[str]]:
    """The quotation cut where its writer cut it (pieces, ellipses) and, for
    ``by_sentence``, at sentence ends too: each fragment may quote a stretch of
    the speech the other outlet did not, but inside it no word may differ."""
    parts = [f for piece in value.pieces for f in _ELLIPSIS.split(piece)]
    if by_sentence:
        parts = [s for part in parts for s in _sentences(part)]
    return [words for part in parts if (words := quote_words(part))]


def _edge_only(op: tuple[str, int, int, int, int], mine: list[str], other: list[str]) -> bool:
    """A difference at a fragment's edge that only says where a quotation was cut:
    a phrase one side has and the other does not (a cut leaves out two words or
    more; one word less at the end is an edit), or opening connectives one side
    has ("And, for the sake of" / "For the sake of")."""
    _, i1, i2, j1, j2 = op
    if i1 == i2 or j1 == j2:
        extra = mine[i1:i2] or other[j1:j2]
        return len(extra) >= 2 or all(w in _OPENERS for w in extra)
    return all(w in _OPENERS for w in mine[i1:i2]) or all(w in _OPENERS for w in other[j1:j2])


def _agree_where_both_quote(a: QuoteValue, b: QuoteValue) -> bool:
    """Every sentence ``a`` quotes reads word for word like ``b`` wherever both
    quote the same stretch of speech (sharing a run of three words, or of two in
    a fragment of four words or fewer).

    Outlets quote different parts of one speech: one starts a sentence later,
    stops earlier, leaves a sentence out or marks a cut with an ellipsis. Those
    are omissions, not changed words; a word replaced, added or dropped inside
    the stretch both quote is a difference."""
    theirs = _fragments(b, by_sentence=False)
    for mine in _fragments(a, by_sentence=True):
        for other in theirs:
            matcher = difflib.SequenceMatcher(a=mine, b=other, autojunk=False)
            run = max((m.size for m in matcher.get_matching_blocks()), default=0)
            if run < min(_MIN_SHARED_RUN, max(2, min(len(mine), len(other)) // 2)):
                continue  # not the same stretch of speech
            ops = matcher.get_opcodes()
            while ops and ops[0][0] != "equal" and _edge_only(ops[0], mine, other):
                ops.pop(0)
            while ops and ops[-1][0] != "equal" and _edge_only(ops[-1], mine, other):
                ops.pop()
            if any(op[0] != "equal" for op in ops):
                return False
    return True


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


def compare(edge: Edge) -> Edge:
    a, b = edge.a, edge.b
    if a.kind == "quantity":
        edge.relation = compare_quantities(a.value, b.value, edge.linked)
        edge.aspect = "value"
    elif a.kind == "quote":
        edge.relation, edge.aspect = compare_quotes(a.value, b.value, edge.linked)
    elif a.kind == "date":
        edge.relation = compare_dates(a.value, b.value)
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
