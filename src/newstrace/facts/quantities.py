"""Quantities: the number, its honest qualifier, and what it counts.

spaCy finds numbers and their syntax; it has no notion of an *honest
qualifier* ("over 42,000" is true of 42,718) nor a value for "a dozen" or
"2.3 million", so those rules are ours; the value of a run of number words
is read by ``facts/numbers.py``.

A quantity is kept as an interval: its qualifier says which numbers it is
true of, and two statements are compatible when their intervals meet.
Ranges ("between 10 and 20", "10 to 20", "10-20 people", "from 300 to
400") are that interval itself; plural scale words are documented ranges:
"dozens of" 24–144, "hundreds of" 200–999, "thousands of" 2,000–999,999,
"tens of thousands" 20,000–99,999 (see ``_MANY``). A fraction ("a third
of", "half of") is compared as a percentage, within 1.5 points ("a third"
is true of 31.8–34.8%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from newstrace.facts.claims import Claim
from newstrace.facts.numbers import (
    CURRENCY,
    MONEY_SCALES,
    SCALES,
    UNITS,
    number_runs,
    parse_number,
)

_ORDINALS = {
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "twentieth": 20,
}
_FRACTIONS = {
    "half": 1 / 2,
    "third": 1 / 3,
    "thirds": 1 / 3,
    "quarter": 1 / 4,
    "quarters": 1 / 4,
    "fifth": 1 / 5,
}

# qualifier phrases (lower-case, longest first) → qualifier class
_QUALIFIERS: list[tuple[tuple[str, ...], str]] = sorted(
    [
        (("more", "than"), "over"),
        (("over",), "over"),
        (("above",), "over"),
        (("exceeding",), "over"),
        (("upwards", "of"), "over"),
        (("in", "excess", "of"), "over"),
        (("greater", "than"), "over"),
        (("just", "over"), "over"),
        (("well", "over"), "over"),
        (("at", "least"), "at_least"),
        (("no", "fewer", "than"), "at_least"),
        (("no", "less", "than"), "at_least"),
        (("a", "minimum", "of"), "at_least"),
        (("about",), "approx"),
        (("around",), "approx"),
        (("approximately",), "approx"),
        (("roughly",), "approx"),
        (("some",), "approx"),
        (("an", "estimated"), "approx"),
        (("estimated",), "approx"),
        (("circa",), "approx"),
        (("close", "to"), "nearly"),
        (("nearly",), "nearly"),
        (("almost",), "nearly"),
        (("just", "under"), "nearly"),
        (("up", "to"), "up_to"),
        (("as", "many", "as"), "up_to"),
        (("at", "most"), "up_to"),
        (("fewer", "than"), "under"),
        (("less", "than"), "under"),
        (("under",), "under"),
        (("below",), "under"),
        (("no", "more", "than"), "up_to"),
    ],
    key=lambda item: -len(item[0]),
)

_QUALIFIER_WORDS = {
    "range": "",
    "many": "",
    "over": "over",
    "at_least": "at least",
    "approx": "about",
    "nearly": "nearly",
    "up_to": "up to",
    "under": "under",
    "": "",
}

# canonical classes for what is counted, so "deaths", "killed" and "lives" line up
_CLASSES = {
    "killed": {
        "kill",
        "killed",
        "dead",
        "death",
        "fatality",
        "die",
        "life",
        "toll",
        "casualty",
        "murder",
        "deceased",
    },
    "injured": {"injure", "injured", "wound", "wounded", "injury", "hurt"},
    "hostage": {"hostage", "captive", "abduct", "abducted"},
    "missile": {"missile", "rocket", "projectile"},
    "displaced": {"displace", "displaced", "displacement", "flee", "evacuate"},
    "arrested": {"arrest", "arrested", "detain", "detained", "detention"},
    "visit": {"visit", "trip", "journey", "tour"},
    "people": {
        "people",
        "person",
        "individual",
        "other",
        "resident",
        "inhabitant",
        "civilian",
        "man",
        "woman",
        "citizen",
        "population",
    },
}
_CLASS_OF = {word: name for name, words in _CLASSES.items() for word in words}

_SKIP_ENTS = {
    "DATE",
    "TIME",
    "PERSON",
    "ORG",
    "FAC",
    "LAW",
    "PRODUCT",
    "WORK_OF_ART",
    "EVENT",
    "GPE",
    "NORP",
}
_ORDINAL_NUMERIC = re.compile(r"^(\d+)(st|nd|rd|th)$", re.I)
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)s?$")
_CONTEXT_DEPS = {"amod", "compound", "nmod"}
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}


@dataclass(frozen=True)
class Quantity:
    """A number and the set of numbers it is honestly true of."""

    number: float
    qualifier: str  # "" exact | over | at_least | approx | nearly | up_to | under | range | many
    unit: str  # count | percent | ordinal | fraction | money | duration | length | mass | area
    high: float | None = None  # upper bound of a range ("range", "many"); ``number`` is the lower

    def interval(self) -> tuple[float, float, bool, bool]:
        """(low, high, low_open, high_open) of the numbers this statement allows."""
        n = self.number
        if self.high is not None:
            return n, self.high, False, False
        if self.unit == "fraction" and self.qualifier:
            return Quantity(n * 100, self.qualifier, "percent").interval()
        if self.unit == "fraction":
            return n * 100 - FRACTION_POINTS, n * 100 + FRACTION_POINTS, False, False
        if self.qualifier == "over":
            return n, float("inf"), True, False
        if self.qualifier == "at_least":
            return n, float("inf"), False, False
        if self.qualifier == "approx":
            return n * 0.85, n * 1.15, False, False
        if self.qualifier == "nearly":
            return n * 0.85, n, False, False
        if self.qualifier == "up_to":
            return 0.0, n, False, False
        if self.qualifier == "under":
            return 0.0, n, False, True
        return n, n, False, False

    def label(self) -> str:
        number = _format(self.number)
        if self.high is not None:
            number += f"–{_format(self.high)}"
        if self.unit == "percent":
            number += "%"
        elif self.unit == "duration":
            number += " h"
        elif self.unit in _BASE_UNITS:
            number += " " + _BASE_UNITS[self.unit]
        elif self.unit == "ordinal":
            number = f"#{number}"
        return f"{_QUALIFIER_WORDS[self.qualifier]} {number}".strip()


FRACTION_POINTS = (
    1.5  # "a third" is about 33%: how many percentage points a fraction spans either way
)


def _format(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.4g}"


def comparable_unit(q: Quantity) -> str:
    """A fraction ("a third of") and a percentage ("33%") say the same kind of thing."""
    return "percent" if q.unit == "fraction" else q.unit


def _as_percent(q: Quantity) -> Quantity:
    if q.unit != "fraction":
        return q
    if q.qualifier:
        return Quantity(q.number * 100, q.qualifier, "percent")
    low, high, _, _ = q.interval()
    return Quantity(low, "range", "percent", high)


def _bounded_direction(q: Quantity) -> str:
    if q.qualifier in ("over", "at_least"):
        return "low"
    if q.qualifier in ("up_to", "under", "nearly"):
        return "high"
    return q.qualifier or "exact"


def compare_quantities(a: Quantity, b: Quantity, linked: bool) -> str:
    """``equal``, ``compatible`` or ``different``.

    Intervals that meet are compatible ("over 60" / "at least 60", "over
    42,000" / "42,718"). Between a copy and its origin, the same kind of
    qualifier with another number is a changed value even when both bounds
    can hold ("at least 60" → "at least 80").
    """
    if comparable_unit(a) != comparable_unit(b):
        return "unrelated"
    if a.unit != b.unit:
        a, b = _as_percent(a), _as_percent(b)
    if _same_number(a.number, b.number) and _same_number(a.high, b.high):
        return "equal" if a.qualifier == b.qualifier else "compatible"
    if a.unit in _CONVERTED and abs(a.number - b.number) <= 0.05 * max(a.number, b.number):
        return "compatible"  # "a month" / "30 days", "24km" / "15 miles"
    if linked and _bounded_direction(a) == _bounded_direction(b) and a.qualifier:
        return "different"
    lo_a, hi_a, lo_open_a, hi_open_a = a.interval()
    lo_b, hi_b, lo_open_b, hi_open_b = b.interval()
    low = max(lo_a, lo_b)
    high = min(hi_a, hi_b)
    if low < high:
        return "compatible"
    if low == high and not (
        (low == lo_a and lo_open_a)
        or (low == lo_b and lo_open_b)
        or (high == hi_a and hi_open_a)
        or (high == hi_b and hi_open_b)
    ):
        return "compatible"
    return "different"


def _same_number(x: float | None, y: float | None) -> bool:
    if x is None or y is None:
        return x is y
    return abs(x - y) < 1e-9 * max(1.0, abs(x))


def _qualifier_before(doc, start: int, sent_start: int) -> tuple[str, int]:
    for phrase, name in _QUALIFIERS:
        first = start - len(phrase)
        if first < sent_start:
            continue
        if tuple(t.lower_ for t in doc[first:start]) == phrase:
            return name, first
    return "", start


# ---------------------------------------------------------------- subjects


def _head_noun(doc, start: int, end: int) -> Token | None:
    """The noun the number counts, or None when the number stands alone."""
    anchor = doc[end - 1]
    if anchor.lower_ in _MANY:  # "hundreds of homes": the homes are counted
        return next(
            (
                c
                for of in anchor.children
                if of.lower_ == "of"
                for c in of.children
                if c.dep_ == "pobj"
            ),
            None,
        )
    while anchor.dep_ in ("compound", "nummod", "quantmod") and anchor.head.i in range(start, end):
        anchor = anchor.head
    if anchor.dep_ in ("nummod", "quantmod", "amod") and anchor.head.pos_ in (
        "NOUN",
        "PROPN",
        "PRON",
    ):
        return anchor.head
    if end < len(doc) and doc[end].pos_ in ("NOUN", "PROPN") and doc[end].head.i >= end:
        return doc[end]
    return None


def _subject_tokens(doc, start: int, end: int) -> tuple[list[Token], Token | None]:
    """Tokens saying what is counted: head noun, modifiers, verb and its place."""
    noun = _head_noun(doc, start, end)
    anchor = noun if noun is not None else doc[end - 1]
    if doc[end - 1].lower_ in _MANY:  # "dozens of people were killed": the verb is the plural's
        anchor = doc[start]
    words: list[Token] = []
    if noun is not None:
        if noun.text in ("%",) or noun.lower_ in ("percent", "per"):
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    words.extend(c for c in child.children if c.dep_ == "pobj")
        words.append(noun)
        words.extend(
            c for c in noun.children if c.dep_ in _CONTEXT_DEPS and c.i not in range(start, end)
        )
    # what the number or noun does or undergoes
    verb = None
    for child in anchor.children:
        if child.dep_ in ("acl", "relcl", "amod") and child.pos_ in ("VERB", "ADJ"):
            verb = child
    if (
        verb is None
        and anchor.dep_ in ("nsubj", "nsubjpass", "dobj", "attr", "conj")
        and anchor.head.pos_ in ("VERB", "AUX", "ADJ")
    ):
        verb = anchor.head
    if verb is None and anchor.dep_ == "pobj" and anchor.head.dep_ == "prep":
        holder = anchor.head.head
        if holder.pos_ in ("NOUN", "PROPN"):
            words.append(holder)
            words.extend(c for c in holder.children if c.dep_ in _CONTEXT_DEPS)
    if verb is not None:
        words.append(verb)
        for child in verb.children:
            if child.dep_ in ("acomp", "oprd"):
                words.append(child)
            if child.dep_ == "prep" and child.lower_ in (
                "in",
                "at",
                "near",
                "from",
                "toward",
                "towards",
                "into",
                "across",
                "on",
                "by",
                "to",
                "during",
            ):
                words.extend(c for c in child.children if c.dep_ == "pobj")
    if noun is not None:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "from", "of"):
                words.extend(c for c in child.children if c.dep_ == "pobj")
    words = [w for w in words if w.i not in range(start, end)]
    return words, noun


def _refers_back(doc, start: int) -> bool:
    """ "The three met", "the two were charged": a number standing for a noun
    after "the" points back at people already named (like "they"); it does not
    count them anew, and another article's "the two" may name another group."""
    return start > 0 and doc[start - 1].lower_ == "the" and doc[start - 1].dep_ == "det"


def _own_modifiers(doc, start: int, end: int, noun: Token) -> list[Token]:
    """Modifiers of a noun counted by two numbers that belong to this one: in
    "12 Somali and 11 Yemeni pirates", "Somali" is said of the 12 only (each
    modifier belongs to the nearest number before it)."""
    numbers = sorted(c.i for c in noun.children if c.dep_ == "nummod")
    others = [i for i in numbers if i not in range(start, end)]
    if not others:
        return []
    own = []
    for child in noun.children:
        if child.dep_ not in _CONTEXT_DEPS or child.i > noun.i or child.i < start:
            continue
        owner = max((i for i in numbers + [start] if i < child.i), default=-1)
        if start <= owner < end:
            own.append(child)
    return own


def _places_of(noun: Token) -> list[Token]:
    """Places the counted thing belongs to: "21 percent of Colorado's population",
    "30 percent of the population in Arizona", "jobs in Ohio"."""
    holders = [noun] + [
        c
        for p in noun.children
        if p.dep_ == "prep" and p.lower_ == "of"
        for c in p.children
        if c.dep_ == "pobj"
    ]
    places = []
    for holder in holders:
        for child in holder.children:
            if child.dep_ == "poss":
                places.append(child)
            if child.dep_ == "prep" and child.lower_ in ("in", "of"):
                places.extend(c for c in child.children if c.dep_ == "pobj")
    return [t for t in places if t.ent_type_ in ("GPE", "LOC")]


def _distinct_marks(doc, start: int, end: int, noun: Token | None) -> frozenset[str]:
    """``=`` keys: what sets this count apart from a count of another kind of the
    same thing — its own modifier of a noun counted twice, or the place counted.
    Two counts whose marks have nothing in common count different things."""
    if noun is None:
        return frozenset()
    marks = {"=" + t.lower_ for t in _own_modifiers(doc, start, end, noun)}
    marks |= {"=" + t.lower_ for t in _places_of(noun)}
    tense = _tense_of(noun)
    if tense:
        marks.add("~" + tense)
    return frozenset(marks)


_PLANNING = {"set", "due", "expect", "schedule", "plan"}


def _tense_of(noun: Token) -> str:
    """ "future" or "past" for the verb whose subject or object is counted: "will
    miss the final two games" and "missed four games earlier this season" are
    two events, whatever their numbers; "" when the verb does not say."""
    verb = noun.head
    if noun.dep_ not in ("dobj", "nsubj", "nsubjpass") or verb.pos_ != "VERB":
        return ""
    auxiliaries = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if auxiliaries & {"will", "'ll", "shall"}:
        return "future"
    if "to" in auxiliaries and (
        verb.dep_ == "ROOT"  # a headline: "Bush to miss last 2 games"
        or (verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _PLANNING)
    ):
        return "future"
    return "past" if verb.tag_ == "VBD" else ""


def _lemma(token: Token) -> str:
    text = token.lower_
    if text in ("killed", "injured", "wounded", "displaced", "dead"):
        return text
    return token.lemma_.lower()


def _key(words: list[Token], noun: Token | None) -> frozenset[str]:
    key: set[str] = set()
    for token in words:
        if token.pos_ not in _CONTENT_POS and token.text != "%":
            continue
        lemma = _lemma(token)
        key.add(lemma)
        if lemma in _CLASS_OF:
            key.add("@" + _CLASS_OF[lemma])
    if noun is not None:
        head = _lemma(noun)
        key.add("^" + _CLASS_OF.get(head, head))
    events = sorted(k[1:] for k in key if k.startswith("@") and k not in ("@people", "@visit"))
    if events and (noun is None or "^people" in key):
        key.add("^" + events[0])  # "18 people killed", "a toll of 42,718": counted by the event
    return frozenset(key)


def _subject_text(words: list[Token], noun: Token | None) -> str:
    """Readable words for what is counted, prepositions kept: "individuals killed in territories"."""
    chosen = {t.i: t for t in words if t.pos_ in _CONTENT_POS or t.text == "%"}
    for token in list(chosen.values()):
        if token.dep_ == "pobj" and token.head.pos_ == "ADP":
            chosen[token.head.i] = token.head
    ordered = sorted(chosen.values(), key=lambda t: t.i)
    while ordered and ordered[0].pos_ == "ADP":
        ordered.pop(0)
    text = " ".join(t.text for t in ordered)
    return text or (noun.text if noun is not None else "")


# ---------------------------------------------------------------- extraction


_CALENDAR = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?|oct(ober)?|nov(ember)?"
    r"|dec(ember)?|(mon|tues|wednes|thurs|fri|satur|sun)day)\b|\b(1[89]|20)\d\d\b",
    re.I,
)


def _skip_run(doc, start: int, end: int) -> bool:
    if _not_a_count(doc, start, end):
        return True
    return (
        end < len(doc)
        and doc[end].text in (":", "-")
        and end + 1 < len(doc)
        and doc[end + 1].like_num
    )


def _not_a_count(doc, start: int, end: int) -> bool:
    """A year, a calendar date, a name, "No. 5": a number that counts nothing; or
    one touching a character lost in encoding ("4\ufffd months" for "4½"), which
    cannot be read."""
    tokens = doc[start:end]
    last = tokens[-1]
    after = last.idx + len(last.text)
    if "\ufffd" in last.text or doc.text[after : after + 1] == "\ufffd":
        return True
    if start > 0 and doc[start - 1].text in CURRENCY:
        return False  # a sum, whatever entity the tagger took it for ("$280bn" as a person)
    for token in tokens:
        if token.ent_type_ in ("DATE", "TIME"):
            ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
            if ent is not None and _CALENDAR.search(ent.text):
                return True  # a calendar date: see dates.py
        elif token.ent_type_ in _SKIP_ENTS:
            return True
    if end - start == 1 and _YEAR.match(tokens[0].text):
        return True
    first = tokens[0]
    if first.lower_ == "one" and end - start == 1 and first.dep_ != "nummod":
        return True
    return first.i > 0 and doc[first.i - 1].text in ("#", "No.", "No")


_HOURS = {
    "second": 1 / 3600,
    "minute": 1 / 60,
    "hour": 1,
    "day": 24,
    "week": 168,
    "month": 730,
    "year": 8766,
    "decade": 87660,
    "fortnight": 336,
}


# Measures one outlet gives in metric units and another in imperial ("about
# 24km" / "about 15 miles"): each kind in one base unit, so both read alike.
_MEASURES = {
    "km": ("length", 1000.0),
    "kilometre": ("length", 1000.0),
    "kilometer": ("length", 1000.0),
    "mile": ("length", 1609.344),
    "metre": ("length", 1.0),
    "meter": ("length", 1.0),
    "foot": ("length", 0.3048),
    "feet": ("length", 0.3048),
    "ft": ("length", 0.3048),
    "yard": ("length", 0.9144),
    "kg": ("mass", 1.0),
    "kilogram": ("mass", 1.0),
    "pound": ("mass", 0.45359237),
    "lb": ("mass", 0.45359237),
    "acre": ("area", 4046.8564),
    "hectare": ("area", 10000.0),
}
_CONVERTED = {"duration", "length", "mass", "area"}
_BASE_UNITS = {"length": "m", "mass": "kg", "area": "m²"}


def _measure(noun: Token | None) -> tuple[str, float] | None:
    if noun is None:
        return None
    if noun.lower_ == "m" and _metres(noun):
        return ("length", 1.0)
    return _MEASURES.get(noun.lemma_.lower())


def _money_scale(doc, start: int, end: int) -> float:
    """A sum written "$60m", "£1.2bn": the letters written onto the number scale it."""
    if start == 0 or doc[start - 1].text not in CURRENCY or end >= len(doc):
        return 0.0
    if doc[end - 1].whitespace_:
        return 0.0
    return MONEY_SCALES.get(doc[end].lower_, 0.0)


def _metres(unit: Token) -> bool:
    """ "m" written onto its number is metres ("a 60m fall"), except after a
    currency sign, where it is millions ("$60m")."""
    doc, i = unit.doc, unit.i
    if i == 0 or not doc[i - 1].like_num or doc[i - 1].whitespace_:
        return False
    return i < 2 or doc[i - 2].text not in CURRENCY


def _unit(doc, start: int, end: int, noun: Token | None) -> str:
    measure = _measure(noun)
    if measure is not None:
        return measure[0]
    if start > 0 and doc[start - 1].text in CURRENCY:
        return "money"
    if noun is not None and noun.lemma_.lower() in _HOURS:
        return "duration"
    if end < len(doc) and doc[end].lower_ in ("%", "percent"):
        return "percent"
    if noun is not None and noun.lower_ in ("%", "percent"):
        return "percent"
    return "count"


def extract_quantities(
    doc, sent: SpacySpan, base: int, doc_id: str, index: int, sent_span, dates=()
) -> list[Claim]:
    """Quantity claims of one parsed sentence (``base`` = its line's offset in the text).

    ``dates`` are character spans (in the parsed line) of calendar dates, whose
    numbers are dates, not quantities.
    """
    claims: list[Claim] = []
    for start, end, value, high in _values(doc, sent, dates):
        if high is not None:
            qualifier, q_start = (
                ("range", _range_opening(doc, start, sent.start))
                if value is not None
                else ("many", start)
            )
            value = value if value is not None else high[0]
            high = high[-1]
        else:
            qualifier, q_start = _qualifier_before(doc, start, sent.start)
        words, noun = _subject_tokens(doc, start, end)
        unit = _unit(doc, start, end, noun)
        if value is None:  # a plural scale with no count of its own keeps its bounds in ``high``
            continue
        written = value
        if unit in _CONVERTED and noun is not None:  # "two days" and "48 hours": one length of time
            factor = (
                _HOURS[noun.lemma_.lower()] if unit == "duration" else _measure(noun)[1]  # type: ignore[index]
            )
            value = round(value * factor, 6)
            high = round(high * factor, 6) if high is not None else None
        claim = _claim(
            doc,
            doc_id,
            index,
            sent_span,
            base,
            q_start,
            end,
            Quantity(value, qualifier, unit, high),
            words,
            noun,
        )
        if unit == "duration":
            claim.report_value.update(number=written, hours=value)
        elif unit in _CONVERTED:
            claim.report_value.update(number=written, base_units=value)
        if high is not None:
            claim.report_value["high"] = high
        if (
            noun is None
            and doc[end - 1].dep_ in ("nsubj", "nsubjpass")
            and not any(k[0] == "^" for k in claim.key)
        ):
            claim.key = claim.key | {"^people"}  # "four were taken to hospital": people, by default
        claim.key = claim.key | _distinct_marks(doc, start, end, noun)
        if not words:  # nothing says what is counted: only checked against an aligned copy
            claim.extra["weak"] = True
            claim.subject = f"number {doc[start:end].text}"
        if noun is None and _refers_back(doc, start):
            claim.extra["weak"] = True  # "The three met": those just named, not a count
        claims.append(claim)
    claims.extend(_ordinals_and_fractions(doc, sent, base, doc_id, index, sent_span))
    return claims


_RANGE_JOINS = {
    ("and",),
    ("to",),
    ("-",),
    ("–",),
    ("%", "to"),
    ("%", "-"),
    ("%", "–"),
    ("%", "and"),
    ("and", "$"),
    ("to", "$"),
}
_CHANGE_VERBS = {
    "rise",
    "increase",
    "climb",
    "grow",
    "jump",
    "fall",
    "drop",
    "decline",
    "decrease",
    "raise",
    "cut",
    "reduce",
    "lower",
    "surge",
    "soar",
    "swell",
    "double",
    "go",
    "up",
    "down",
    "boost",
    "slash",
    "shrink",
}
# plural scale words, as ranges: "dozens of" is at least two dozen and fewer than a gross
_MANY = {
    "dozens": (24, 144),
    "hundreds": (200, 999),
    "thousands": (2_000, 999_999),
    "millions": (2_000_000, 999_999_999),
    "billions": (2e9, 999e9),
}


def _scale_written_out(low: float, high: float) -> float:
    """The scale a range's low end shares with a high end written out in figures:
    "between $140 and $150,000,000" is "$140 and $150 million" with the scale word
    spelt as zeros, so the low end is 140 million. Only a low end under a thousand
    and a high end a round number of millions or billions within ten times it
    ("between 1 and 1,000,000" stays as it is)."""
    if low >= 1000 or high < 1_000_000:
        return 1.0
    for scale in (1e9, 1e6):
        if high % scale == 0 and low * scale < high < low * scale * 10:
            return scale
    return 1.0


def _values(doc, sent: SpacySpan, dates) -> list[tuple[int, int, float | None, tuple | None]]:
    """(start, end, value, high) of each number or range; ``high`` is None for a
    single number, (high,) for a range, (low, high) for "dozens of"."""
    runs = [(s, e) for s, e in number_runs(sent) if not any(a <= doc[s].idx < b for a, b in dates)]
    found: list[tuple[int, int, float | None, tuple | None]] = []
    k = 0
    while k < len(runs):
        start, end = runs[k]
        if k + 1 < len(runs) and _is_range(doc, runs[k], runs[k + 1], sent.start):
            low = parse_number([t.text for t in doc[start:end]])
            high_start, high_end = runs[k + 1]
            high = parse_number([t.text for t in doc[high_start:high_end]])
            scale = doc[high_end - 1].lower_
            if (
                low is not None
                and high is not None
                and scale in SCALES
                and doc[end - 1].lower_ not in SCALES
            ):
                low *= SCALES[scale]  # "between 2 and 3 million"
            elif low is not None and high is not None:
                low *= _scale_written_out(low, high)  # "between $140 and $150,000,000"
            if low is not None and high is not None and low < high:
                found.append((start, high_end, low, (high,)))
                k += 2
                continue
        fraction_follows = (
            end + 1 < len(doc) and doc[end].lower_ in _FRACTIONS and doc[end + 1].lower_ == "of"
        )
        if not _skip_run(doc, start, end) and not fraction_follows:
            value = parse_number([t.text for t in doc[start:end]])
            if value is not None:
                scale = _money_scale(doc, start, end)
                if scale:  # "$60m": 60 million dollars, the "m" part of the number
                    value, end = value * scale, end + 1
                found.append((start, end, value, None))
        k += 1
    found.extend(_many(doc, sent))
    return sorted(found, key=lambda item: item[0])


def _is_range(doc, first: tuple[int, int], second: tuple[int, int], sent_start: int) -> bool:
    """ "between 10 and 20", "from 300 to 400", "10 to 20", "10-20 people" — not "rose from 10 to 20", not a score "3-2"."""
    between = tuple(t.text.lower() for t in doc[first[1] : second[0]])
    if between not in _RANGE_JOINS or _not_a_count(doc, *first) or _not_a_count(doc, *second):
        return False
    opening = doc[first[0] - 1].lower_ if first[0] > sent_start else ""
    if between[-1] == "and":
        return opening == "between"
    if any(
        t.lemma_.lower() in _CHANGE_VERBS for t in doc[max(sent_start, first[0] - 4) : first[0]]
    ):
        return False  # a change from one value to another: two numbers
    if between[-1] in ("-", "–"):
        after = doc[second[1]] if second[1] < len(doc) else None
        return after is not None and (after.pos_ in ("NOUN", "ADJ") or after.text == "%")
    return True


def _range_opening(doc, start: int, sent_start: int) -> int:
    return (
        start - 1 if start > sent_start and doc[start - 1].lower_ in ("between", "from") else start
    )


def _many(doc, sent: SpacySpan) -> list[tuple[int, int, float | None, tuple | None]]:
    """ "dozens of people", "hundreds of homes", "tens of thousands of people"."""
    found: list[tuple[int, int, float | None, tuple | None]] = []
    for token in sent:
        bounds = _MANY.get(token.lower_, (0, 0) if token.lower_ == "tens" else None)
        if (
            bounds is None
            or token.i + 1 >= len(doc)
            or doc[token.i + 1].lower_ != "of"
            or token.ent_type_ in _SKIP_ENTS
        ):
            continue
        start = token.i
        if (
            token.i >= sent.start + 2
            and doc[token.i - 1].lower_ == "of"
            and doc[token.i - 2].lower_ in ("tens", "hundreds")
        ):
            continue  # the "thousands" of "tens of thousands": read with the first word below
        if (
            token.lower_ in ("tens", "hundreds")
            and token.i + 2 < len(doc)
            and doc[token.i + 2].lower_ in _MANY
        ):
            scale = SCALES[doc[token.i + 2].lower_[:-1]]
            low = (20 if token.lower_ == "tens" else 200) * scale
            found.append((start, token.i + 3, None, (low, low * 5 - 1)))
            continue
        if token.lower_ == "tens":
            continue
        found.append((start, token.i + 1, None, bounds))
    return found


def _claim(
    doc, doc_id, index, sent_span, base, start, end, quantity: Quantity, words, noun
) -> Claim:
    last = end
    if end < len(doc) and doc[end].lower_ in ("%", "percent"):
        last = end + 1
    mention = (base + doc[start].idx, base + doc[last - 1].idx + len(doc[last - 1].text))
    before = next(
        (t.lower_ for t in reversed(doc[max(0, start - 3) : start]) if not t.is_punct), ""
    )
    after = next((t.lower_ for t in doc[last : last + 3] if not t.is_punct), "")
    return Claim(
        kind="quantity",
        doc=doc_id,
        sentence=index,
        span=sent_span,
        text="",
        mention=mention,
        subject=_subject_text(words, noun),
        value=quantity,
        report_value={
            "number": quantity.number,
            "qualifier": _QUALIFIER_WORDS[quantity.qualifier] or None,
            "unit": quantity.unit,
            "as_written": doc[start:last].text,
        },
        key=_key(words, noun),
        extra={"neighbours": (before, after)},
    )


def _ordinals_and_fractions(doc, sent: SpacySpan, base, doc_id, index, sent_span) -> list[Claim]:
    claims: list[Claim] = []
    for token in sent:
        match = _ORDINAL_NUMERIC.match(token.text)
        lower = token.lower_
        if match or (lower in _ORDINALS and token.dep_ == "amod"):
            if token.ent_type_ == "DATE":
                continue
            value = float(match.group(1)) if match else float(_ORDINALS[lower])
            noun = token.head if token.head.pos_ in ("NOUN", "PROPN") else None
            if noun is None:
                continue
            words = [noun] + [
                c for c in noun.children if c.dep_ == "prep" for c in c.children if c.dep_ == "pobj"
            ]
            claims.append(
                _claim(
                    doc,
                    doc_id,
                    index,
                    sent_span,
                    base,
                    token.i,
                    token.i + 1,
                    Quantity(value, "", "ordinal"),
                    words,
                    noun,
                )
            )
        elif (
            lower in _FRACTIONS
            and (
                lower == "half"
                or (
                    token.i > sent.start and doc[token.i - 1].lower_ in ("a", "one", "two", "three")
                )
            )
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)
        ):
            count = float(UNITS.get(doc[token.i - 1].lower_, 1)) if token.i > sent.start else 1.0
            of = next(c for c in token.children if c.dep_ == "prep" and c.lower_ == "of")
            words = [c for c in of.children if c.dep_ == "pobj"]
            if token.head.pos_ in ("VERB", "AUX"):
                words.append(token.head)
                words.extend(c for c in token.head.children if c.dep_ in ("acomp", "attr"))
            if not words:
                continue
            first = (
                token.i - 1
                if token.i > sent.start and doc[token.i - 1].lower_ in ("a", "one", "two", "three")
                else token.i
            )
            qualifier, q_start = _qualifier_before(doc, first, sent.start)
            claim = _claim(
                doc,
                doc_id,
                index,
                sent_span,
                base,
                q_start,
                token.i + 1,
                Quantity(round(count * _FRACTIONS[lower], 4), qualifier, "fraction"),
                words,
                None,
            )
            claim.key = claim.key | {"^%"}  # lined up with percentages of the same thing
            claims.append(claim)
    return claims
