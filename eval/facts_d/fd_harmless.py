"""Newsroom edits that change no fact: each rewrites only words outside quotations.

Every function takes the copy's draft, the random generator, the article's
:class:`~fd_real.Names` and the pair's :class:`Dates`, makes one edit and
returns a short description, or None when the article offers no place for it.
None rewrites a sentence that carries a real change (a reorder may move one),
and none touches a word inside quotation marks.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from fd_draft import (
    Draft,
    Sentence,
    has_quote,
    inside,
    quoted_ranges,
    sentence_quotes,
    whole_quotes,
)
from fd_real import REPORTING_VERBS, WEEKDAYS, Names, leans_on_pronoun

_SWAPS = {
    "said": ["added", "stated", "explained"],
    "added": ["said"],
    "stated": ["said"],
    "explained": ["said"],
    "says": ["adds"],
    "adds": ["says"],
}
_CONNECTIVES = ["Meanwhile, ", "In addition, ", "Separately, ", "At the same time, "]
_DROPPABLE_CONNECTIVES = re.compile(
    r"^(?:But|And|However,|Meanwhile,|Also,|In addition,|Separately,|At the same time,)\s+"
)
_LOWERABLE = {
    "The",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "He",
    "She",
    "They",
    "A",
    "An",
    "There",
    "Its",
    "His",
    "Her",
    "Their",
    "Some",
    "Many",
    "Most",
}
_SPELLINGS = {
    "organisation": "organization",
    "organisations": "organizations",
    "programme": "program",
    "programmes": "programs",
    "favour": "favor",
    "favourite": "favorite",
    "colour": "color",
    "centre": "center",
    "defence": "defense",
    "realise": "realize",
    "realised": "realized",
    "recognise": "recognize",
    "recognised": "recognized",
    "criticised": "criticized",
    "criticise": "criticize",
    "labour": "labor",
    "behaviour": "behavior",
    "analyse": "analyze",
    "travelled": "traveled",
    "cancelled": "canceled",
    "licence": "license",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "honour": "honor",
    "rumours": "rumors",
    "modelling": "modeling",
}
_NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}


@dataclass
class Dates:
    """The pair's assumed publication dates (the copy's may be a day later)."""

    origin: dt.date
    copy: dt.date


def _editable(draft: Draft) -> list[tuple[int, int, Sentence]]:
    """Origin sentences no real change and no earlier rewrite touched."""
    return [
        (p, i, s)
        for p, i, s in draft.sentences()
        if not s.changes and not s.touched and s.origin is not None
    ]


def _outside(draft: Draft, p: int, i: int, pattern: re.Pattern[str]) -> list[re.Match[str]]:
    quotes = sentence_quotes(draft, p, i)
    text = draft.paragraphs[p][i].text
    return [m for m in pattern.finditer(text) if not inside(quotes, m.start(), m.end())]


def _set(sentence: Sentence, text: str) -> None:
    sentence.text = text
    sentence.touched = True


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str | None:
    """The sentence with a lowered first word, or None if that word may be a name."""
    first = text.split(" ", 1)[0]
    if first not in _LOWERABLE:
        return None
    return first.lower() + text[len(first) :]


def swap_reporting_verb(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """said -> added/stated, and back, outside quotations of a quoting sentence."""
    pattern = re.compile(r"\b(" + "|".join(_SWAPS) + r")\b")
    spots = [
        (s, m)
        for p, i, s in _editable(draft)
        if has_quote(draft, p, i)
        for m in _outside(draft, p, i, pattern)
    ]
    if not spots:
        return None
    s, m = rng.choice(spots)
    new = rng.choice(_SWAPS[m.group(1)])
    _set(s, s.text[: m.start()] + new + s.text[m.end() :])
    return f"reporting verb {m.group(1)} -> {new}"


def add_or_drop_connective(
    draft: Draft, rng: random.Random, names: Names, dates: Dates
) -> str | None:
    """Drop a leading "But"/"However," or put "Meanwhile," before a sentence."""
    drops, adds = [], []
    for p, i, s in _editable(draft):
        if (p, i) == (0, 0) or inside(sentence_quotes(draft, p, i), 0, 1):
            continue  # the lead, or a sentence that opens inside a quotation
        if _DROPPABLE_CONNECTIVES.match(s.text):
            drops.append(s)
        elif _lower_first(s.text):
            adds.append(s)
    if drops and (not adds or rng.random() < 0.5):
        s = rng.choice(drops)
        m = _DROPPABLE_CONNECTIVES.match(s.text)
        assert m
        _set(s, _capitalise(s.text[m.end() :]))
        return f"connective {m.group(0).strip()!r} dropped"
    if not adds:
        return None
    s = rng.choice(adds)
    connective = rng.choice(_CONNECTIVES)
    lowered = _lower_first(s.text)
    assert lowered
    _set(s, connective + lowered)
    return f"connective {connective.strip()!r} added"


def _self_contained(draft: Draft, p: int, i: int) -> bool:
    """Moving or dropping it cannot change who "he"/"she" means, here or next."""
    return not leans_on_pronoun(draft, p, i)


def reorder_paragraphs(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """Swap two neighbouring paragraphs (never the lead) that lean on no pronoun."""
    paras = draft.paragraphs

    def free(q: int) -> bool:
        return q >= len(paras) or all(_self_contained(draft, q, j) for j in range(len(paras[q])))

    spots = [q for q in range(1, len(paras) - 1) if free(q) and free(q + 1) and free(q + 2)]
    if not spots:
        return None
    q = rng.choice(spots)
    paras[q], paras[q + 1] = paras[q + 1], paras[q]
    return f"paragraphs {q} and {q + 1} swapped"


def reorder_sentences(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """Swap two neighbouring sentences of a paragraph that hold no quotation."""
    spots = []
    for p, para in enumerate(draft.paragraphs):
        for i in range(len(para) - 1):
            if (p, i) == (0, 0):
                continue
            pair_ok = all(
                not has_quote(draft, p, j) and _self_contained(draft, p, j) for j in (i, i + 1)
            )
            after_ok = i + 2 >= len(para) or _self_contained(draft, p, i + 2)
            if pair_ok and after_ok:
                spots.append((p, i))
    if not spots:
        return None
    p, i = rng.choice(spots)
    para = draft.paragraphs[p]
    para[i], para[i + 1] = para[i + 1], para[i]
    return f"sentences {i} and {i + 1} of paragraph {p} swapped"


def drop_sentences(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """Drop one or two sentences that quote no one, name no one and lean on nothing."""
    flat = draft.sentences()
    spots = []
    for n, (p, i, s) in enumerate(flat):
        if n == 0 or s.changes or s.origin is None or has_quote(draft, p, i):
            continue
        if names.people.get(s.origin) or not _self_contained(draft, p, i):
            continue
        if n + 1 < len(flat) and not _self_contained(draft, flat[n + 1][0], flat[n + 1][1]):
            continue
        spots.append(s)
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), rng.choice([1, 2])))
    for para in draft.paragraphs:
        para[:] = [s for s in para if not any(s is c for c in chosen)]
    draft.paragraphs[:] = [para for para in draft.paragraphs if para]
    return f"{len(chosen)} sentence(s) dropped"


_OUTLETS = ["Copydesk News", "The Daily Ledger", "Newswire Online"]


def add_furniture(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """A byline, a "Read more" line, a copyright line or a photo credit as its own paragraph."""
    outlet = rng.choice(_OUTLETS)
    kind = rng.choice(["byline", "read more", "copyright", "photo credit"])
    if kind == "byline":
        draft.paragraphs.insert(0, [Sentence(f"By staff reporters, {outlet}")])
    elif kind == "read more":
        at = rng.randrange(1, len(draft.paragraphs) + 1)
        draft.paragraphs.insert(at, [Sentence(f"Read more: latest news from {outlet}")])
    elif kind == "copyright":
        draft.paragraphs.append([Sentence(f"© {dates.copy.year} {outlet}. All rights reserved.")])
    else:
        draft.paragraphs.insert(
            1, [Sentence(rng.choice(["Photo: Reuters", "Photo: AFP/Getty Images"]))]
        )
    return f"page furniture: {kind}"


def _style_percent(text: str) -> str:
    return re.sub(r"(\d)%", r"\1 per cent", text)


def _style_per_cent(text: str) -> str:
    return re.sub(r"(\d) per cent\b", r"\1%", text)


def _style_country_codes(text: str) -> str:
    return re.sub(r"\bUK\b", "U.K.", re.sub(r"\bUS\b(?!\w)", "U.S.", text))


def _style_spelling(text: str) -> str:
    return re.sub(r"\b(" + "|".join(_SPELLINGS) + r")\b", lambda m: _SPELLINGS[m.group(1)], text)


def _style_number_words(text: str) -> str:
    return re.sub(
        r"\b(" + "|".join(_NUMBER_WORDS) + r")\b(?![-\w])",
        lambda m: _NUMBER_WORDS[m.group(1)],
        text,
    )


_STYLES = {
    "per cent spelt out": _style_percent,
    "per cent as %": _style_per_cent,
    "UK/US with stops": _style_country_codes,
    "American spelling": _style_spelling,
    "small numbers as digits": _style_number_words,
}


def _restyle_outside(draft: Draft, p: int, i: int, style: object) -> bool:
    """Apply ``style`` to the stretches between quotations; whether anything changed."""
    s = draft.paragraphs[p][i]
    quotes = sentence_quotes(draft, p, i)
    cuts = [0]
    for a, b in quotes:
        cuts += [a, b]
    cuts.append(len(s.text))
    out = []
    for n in range(0, len(cuts), 2):
        a, b = cuts[n], cuts[n + 1]
        out.append(style(s.text[a:b]))  # type: ignore[operator]
        if n + 2 < len(cuts):
            out.append(s.text[b : cuts[n + 2]])
    new = "".join(out)
    if new != s.text:
        _set(s, new)
        return True
    return False


def house_style(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """One house-style rule applied to every sentence, outside quotations."""
    styles = list(_STYLES.items())
    rng.shuffle(styles)
    for label, style in styles:
        changed = [_restyle_outside(draft, p, i, style) for p, i, _ in _editable(draft)]
        if any(changed):
            return f"house style: {label} ({sum(changed)} sentences)"
    return None


def shorten_names(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """A later mention of a full name becomes the surname; or "Mr"/"Ms" is dropped."""
    surnames = [n.split()[-1] for n in names.all_people]
    full = [n for n in names.full_people if surnames.count(n.split()[-1]) == 1]
    editable = {id(s) for _, _, s in _editable(draft)}
    seen: set[str] = set()
    spots = []
    for p, i, s in draft.sentences():
        for name in full:
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", s.text):
                quoted = inside(sentence_quotes(draft, p, i), m.start(), m.end())
                if name in seen and id(s) in editable and not quoted:
                    spots.append((s, m.start(), m.end(), name.split()[-1], name))
                seen.add(name)
    titled = re.compile(r"\b(Mr|Mrs|Ms|Dr) (?=[A-Z][a-z])")
    for p, i, s in _editable(draft):
        for m in _outside(draft, p, i, titled):
            spots.append((s, m.start(), m.end(), "", m.group(0)))
    if not spots:
        return None
    s, a, b, new, old = rng.choice(spots)
    _set(s, s.text[:a] + new + s.text[b:])
    return f"name form: {old.strip()!r} -> {new or '(title dropped)'!r}"


def yesterday_as_weekday(
    draft: Draft, rng: random.Random, names: Names, dates: Dates
) -> str | None:
    """ "yesterday" written as the weekday it means (or a weekday as "yesterday").

    Only when both texts share a publication date. If the origin has no
    "yesterday", a "on <weekday>" becomes "yesterday" and the pair's date is
    moved to the day after that weekday (same date for both texts).
    """
    if dates.copy != dates.origin:
        return None
    pattern = re.compile(r"\b([Yy]esterday)('s)?")
    spots = [(p, i, s, m) for p, i, s in _editable(draft) for m in _outside(draft, p, i, pattern)]
    if spots:
        _, _, s, m = rng.choice(spots)
        weekday = WEEKDAYS[(dates.origin - dt.timedelta(days=1)).weekday()]
        if m.group(2):
            new = weekday + "'s"
        elif m.group(1)[0] == "Y":
            new = "On " + weekday
        else:
            new = "on " + weekday
        _set(s, s.text[: m.start()] + new + s.text[m.end() :])
        return f"'yesterday' -> {new!r} (published {dates.origin})"
    # only a past event ("said on Monday", "was sacked on Monday"): "due on Thursday" may be ahead
    weekday_pattern = re.compile(
        r"\b(?:said|told|was|were|\w+ed) on (" + "|".join(WEEKDAYS) + r")\b"
    )
    spots = [
        (p, i, s, m)
        for p, i, s in _editable(draft)
        for m in _outside(draft, p, i, weekday_pattern)
        if m.group(1) not in "".join(x.text for _, _, x in draft.sentences() if x is not s)
    ]
    if not spots:
        return None
    _, _, s, m = rng.choice(spots)
    day = WEEKDAYS.index(m.group(1))
    shift = (day + 1 - dates.origin.weekday()) % 7
    dates.origin = dates.copy = dates.origin + dt.timedelta(days=shift)
    verb_end = m.start() + m.group(0).index(" on ")
    _set(s, s.text[:verb_end] + " yesterday" + s.text[m.end() :])
    return f"'on {m.group(1)}' -> 'yesterday' (published {dates.origin})"


def split_or_join(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """Split a long sentence at "; " or ", and the ..." or join two short ones with "and"."""
    splits, joins = [], []
    for p, para in enumerate(draft.paragraphs):
        for i, s in enumerate(para):
            if s.changes or s.touched or s.origin is None or has_quote(draft, p, i):
                continue
            for m in re.finditer(
                r"; |, (?:and|but) (?=(?:the|a|an|it|its|they|their|there|this)\b)", s.text
            ):
                if len(s.text[: m.start()].split()) >= 8 and len(s.text[m.end() :].split()) >= 6:
                    splits.append((s, m))
            if i + 1 < len(para):
                nxt = para[i + 1]
                if (
                    not (nxt.changes or nxt.touched or nxt.origin is None)
                    and not has_quote(draft, p, i + 1)
                    and len(s.text.split()) <= 18
                    and len(nxt.text.split()) <= 18
                    and s.text.endswith(".")
                    and _lower_first(nxt.text)
                    and _self_contained(draft, p, i + 1)
                ):
                    joins.append((p, i))
    if splits and (not joins or rng.random() < 0.5):
        s, m = rng.choice(splits)
        rest = s.text[m.end() :]
        head = s.text[: m.start()] + "."
        if m.group(0).startswith(", but"):
            rest = "But " + rest
        else:
            rest = _capitalise(rest)
        p, i = next((p, i) for p, i, x in draft.sentences() if x is s)
        first, second = Sentence(head, s.origin), Sentence(rest, s.origin)
        first.touched = second.touched = True
        draft.paragraphs[p][i : i + 1] = [first, second]
        return "a long sentence split in two"
    if not joins:
        return None
    p, i = rng.choice(joins)
    a, b = draft.paragraphs[p][i], draft.paragraphs[p][i + 1]
    lowered = _lower_first(b.text)
    assert lowered
    joined = Sentence(a.text[:-1] + ", and " + lowered, a.origin)
    joined.touched = True
    draft.paragraphs[p][i : i + 2] = [joined]
    return "two short sentences joined"


_TRAILING_ATTRIBUTION = re.compile(
    r'^"(?P<q>[^"]+?)(?P<p>[,!?])" (?P<who>[^"]{2,60}?) (?P<v>'
    + "|".join(REPORTING_VERBS)
    + r")\.$"
)
_TRAILING_INVERTED = re.compile(
    r'^"(?P<q>[^"]+?)(?P<p>[,!?])" (?P<v>'
    + "|".join(REPORTING_VERBS)
    + r') (?P<who>[^"]{2,60}?)\.$'
)
_LEADING_ATTRIBUTION = re.compile(
    r'^(?P<who>[^"]{2,60}?) (?P<v>'
    + "|".join(REPORTING_VERBS)
    + r')[:,] "(?P<q>[^"]+?)(?P<p>[.!?])"$'
)


def _after_open_quote(draft: Draft, p: int, i: int) -> bool:
    """A quotation of an earlier sentence of the paragraph has no closing mark before this one.

    Then words put at the front of this sentence would read as part of it.
    """
    before = " ".join(s.text for s in draft.paragraphs[p][:i])
    ranges = quoted_ranges(before + " ")
    return bool(ranges) and before[ranges[-1][1] - 1 : ranges[-1][1]] != '"'


def move_attribution(draft: Draft, rng: random.Random, names: Names, dates: Dates) -> str | None:
    """ "..., X said." becomes "X said: "..."." and the other way round."""
    spots = []
    for p, i, s in _editable(draft):
        if len(whole_quotes(draft, p, i)) != 1 or _after_open_quote(draft, p, i):
            continue
        for pattern in (_TRAILING_ATTRIBUTION, _TRAILING_INVERTED, _LEADING_ATTRIBUTION):
            m = pattern.match(s.text)
            if m and len(m.group("who").split()) <= 8:
                spots.append((s, pattern, m))
    if not spots:
        return None
    s, pattern, m = rng.choice(spots)
    who, verb, quote, mark = m.group("who"), m.group("v"), m.group("q"), m.group("p")
    if pattern is _LEADING_ATTRIBUTION:
        lowered = _lower_first(who) or who
        _set(s, f'"{quote}{"," if mark == "." else mark}" {lowered} {verb}.')
        return "attribution moved to the end"
    _set(s, f'{_capitalise(who)} {verb}: "{quote}{"." if mark == "," else mark}"')
    return "attribution moved to the front"


HARMLESS_EDITS = {
    "reporting verb": swap_reporting_verb,
    "connective": add_or_drop_connective,
    "paragraph order": reorder_paragraphs,
    "sentence order": reorder_sentences,
    "dropped sentences": drop_sentences,
    "page furniture": add_furniture,
    "house style": house_style,
    "name form": shorten_names,
    "yesterday/weekday": yesterday_as_weekday,
    "split/join": split_or_join,
    "attribution position": move_attribution,
}
