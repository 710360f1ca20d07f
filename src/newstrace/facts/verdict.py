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
    aspect: str = ""  # what differs: "value", "words", "speaker", "place", "date"


def _contains(short: list[str], long: list[str]) -> bool:
    if not short:
        return True
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def compare_quotes(a: QuoteValue, b: QuoteValue, linked: bool) -> tuple[str, str]:
    """Same words (or one quotes a part of the other) → equal; else the words differ."""
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
    if not same_words:
        return "different", "words"
    if _speaker_changed(a, b):  # altered between linked articles, else a conflict
        return "different", "speaker"
    return "equal", ""


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
