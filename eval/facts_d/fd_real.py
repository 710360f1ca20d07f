"""The real changes: each alters one fact in one sentence and says what it did.

Every function takes the copy's draft, the random generator and what the
article's names are (:class:`Names`), picks one sentence no earlier change
touched, rewrites it and returns ``(kind, old, new, sentence)`` or None when
the article offers nothing to change that way.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from fd_draft import Draft, Sentence, inside, sentence_quotes, whole_quotes


def _words(text: str) -> list[str]:
    """A list of names written as one string (easier to read than a long list)."""
    return text.split()


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = _words(
    "January February March April May June July August September October November December"
)
REPORTING_VERBS = _words(
    "said says told added adds stated explained insisted warned argued claimed admitted "
    "commented continued noted suggested"
)

COUNTRIES = _words(
    "Afghanistan Argentina Australia Austria Belgium Brazil Bulgaria Canada Chile China "
    "Colombia Croatia Cuba Denmark Egypt Ethiopia Finland France Germany Ghana Greece Hungary "
    "India Indonesia Iran Iraq Ireland Israel Italy Japan Kenya Lebanon Libya Malaysia Mexico "
    "Morocco Nepal Netherlands Nigeria Norway Pakistan Peru Poland Portugal Romania Russia "
    "Serbia Singapore Spain Sudan Sweden Switzerland Syria Taiwan Thailand Tunisia Uganda "
    "Ukraine Vietnam Zimbabwe Zambia"
) + ["South Africa", "South Korea", "North Korea", "New Zealand", "Saudi Arabia"]
CITIES = _words(
    "London Paris Berlin Madrid Rome Moscow Tokyo Beijing Shanghai Delhi Mumbai Sydney "
    "Melbourne Toronto Chicago Boston Dallas Seattle Atlanta Denver Miami Dublin Belfast "
    "Cardiff Edinburgh Glasgow Aberdeen Bristol Birmingham Leeds Sheffield Nottingham "
    "Leicester Brighton Oxford Cambridge Brussels Geneva Zurich Vienna Prague Warsaw Budapest "
    "Athens Istanbul Cairo Lagos Nairobi Johannesburg Baghdad Tehran Jerusalem Kabul "
    "Islamabad Karachi Bangkok Jakarta Singapore Seoul Amsterdam Stockholm Oslo Copenhagen "
    "Helsinki Lisbon Barcelona Milan Munich Frankfurt Hamburg Lyon Marseille Geneva "
    "Manchester Liverpool Newcastle Southampton Plymouth"
) + ["New York", "Los Angeles", "San Francisco", "Hong Kong", "Washington DC"]
HOME_NATIONS = ["England", "Scotland", "Wales", "Northern Ireland"]
CONTINENTS = [
    "Europe",
    "Asia",
    "Africa",
    "Scandinavia",
    "the Middle East",
    "Latin America",
    "South America",
    "North America",
    "the Balkans",
    "the Caribbean",
    "South-East Asia",
    "West Africa",
    "East Africa",
]
REGIONS = _words(
    "Yorkshire Kent Essex Surrey Devon Cornwall Lancashire Merseyside Ulster Bavaria "
    "Catalonia Tuscany Siberia Kashmir Darfur Chechnya Texas California Florida Ohio Michigan "
    "Quebec Ontario Queensland Punjab Bengal Tibet Normandy"
) + ["East Anglia", "the Midlands", "South Wales"]
PLACE_KINDS = {
    "country": COUNTRIES,
    "home nation": HOME_NATIONS,
    "city": CITIES,
    "region": REGIONS,
    "continent": CONTINENTS,
}

ANTONYMS = {
    "more": "less",
    "less": "more",
    "increase": "decrease",
    "good": "bad",
    "strong": "weak",
    "better": "worse",
    "worse": "better",
    "high": "low",
    "higher": "lower",
    "lower": "higher",
    "big": "small",
    "small": "big",
    "right": "wrong",
    "wrong": "right",
    "success": "failure",
    "always": "never",
    "never": "always",
    "best": "worst",
    "rise": "fall",
    "positive": "negative",
    "happy": "unhappy",
    "easy": "difficult",
    "difficult": "easy",
    "great": "poor",
    "confident": "doubtful",
    "clear": "unclear",
    "support": "oppose",
    "agree": "disagree",
    "likely": "unlikely",
    "possible": "impossible",
    "important": "unimportant",
    "win": "lose",
    "won": "lost",
    "love": "hate",
    "huge": "tiny",
    "many": "few",
    "pleased": "disappointed",
    "delighted": "disappointed",
    "welcome": "regret",
    "fair": "unfair",
    "safe": "unsafe",
    "sure": "unsure",
    "everyone": "nobody",
    "everything": "nothing",
    "optimistic": "pessimistic",
    "fantastic": "terrible",
    "excellent": "poor",
    "successful": "unsuccessful",
    "accept": "reject",
}
AUXILIARIES = ("is", "are", "was", "were", "will", "would", "should", "could", "has", "have", "can")


@dataclass
class Names:
    """What spaCy found in the origin: people by sentence (origin index) and their names."""

    people: dict[int, list[str]] = field(default_factory=dict)  # sentence -> names in it
    all_people: list[str] = field(default_factory=list)
    places: dict[int, list[str]] = field(default_factory=dict)  # sentence -> GPE/LOC texts
    full_people: list[str] = field(default_factory=list)  # two words or more, checked people
    surnames: set[str] = field(default_factory=set)  # last words of full_people


Change = tuple[str, str, str, Sentence]


def _free(draft: Draft) -> list[tuple[int, int, Sentence]]:
    """Sentences no change has touched yet (only origin sentences)."""
    return [(p, i, s) for p, i, s in draft.sentences() if not s.changes and s.origin is not None]


def _replace(sentence: Sentence, a: int, b: int, new: str) -> None:
    sentence.text = sentence.text[:a] + new + sentence.text[b:]


_NUMBER = re.compile(
    r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w,/:-]*\d)(?!\.\d)"
    r"(?!(?!m\b|bn\b|k\b|km\b|kg\b|ft\b|mph\b|pc\b|p\b)[A-Za-z])"
    r"(?! ?(?:GMT|BST|ET|am|pm|hrs)\b)"  # a time of day
)
# A number after one of these names something (Section 404, Channel 4), it counts nothing.
_LABELS = re.compile(
    r"\b(?:Section|Article|Chapter|No|Number|number|Channel|Formula|Room|Flight|Windows|Version|"
    r"version|Radio|BBC|Apollo|Series|Class|Division|League|Level|Grade|Form|Act|Clause|Rule|Route|"
    r"Junction|Platform|Gate|Terminal|Day|Week|Game|Round|Stage|Page|page|Category|Phase|Track|Part|"
    r"Generation|PlayStation|Xbox|Office|Top|Euro|World|Cup|Under|Star|Boeing|Airbus|MP|"
    r"Mark|Model|Catch|Studio|Square|Street|Road|Highway|Interstate|Pack) $",
    re.IGNORECASE,
)


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and 1800 <= int(token) <= 2099


def _next_to_month(text: str, a: int, b: int) -> bool:
    """The number is the day of a month ("12 January", "January 12")."""
    after = text[b : b + 14]
    before = text[max(0, a - 12) : a]
    month = "|".join(MONTHS)
    return bool(
        re.match(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{month})", after)
        or re.search(rf"(?:{month})\s+$", before)
    )


def _new_number(token: str, rng: random.Random) -> str:
    """Another value written the same way (commas, decimals kept)."""
    plain = token.replace(",", "")
    if "." in plain:
        decimals = len(plain.split(".")[1])
        value = float(plain)
        factor = rng.choice([0.6, 0.75, 1.3, 1.5, 2.0])
        new = f"{value * factor:.{decimals}f}"
        if new == plain:
            new = f"{value + 1:.{decimals}f}"
        return new
    value = int(plain)
    if value < 10:
        new_value = (
            value + rng.choice([1, 2, 3]) if value < 3 else value + rng.choice([-2, -1, 1, 2])
        )
    else:
        new_value = round(value * rng.choice([0.6, 0.75, 1.3, 1.5, 2.0]))
        if value >= 100:
            step = 10 ** (len(str(value)) - 2)
            new_value = max(step, round(new_value / step) * step)
    if new_value == value:
        new_value = value + 1
    return f"{new_value:,}" if "," in token else str(new_value)


def change_number(draft: Draft, rng: random.Random, names: Names) -> Change | None:
    """A count, amount, percentage or age (never a year, a day of a month or a time)."""
    candidates = []
    for p, i, s in _free(draft):
        quotes = sentence_quotes(draft, p, i)
        for m in _NUMBER.finditer(s.text):
            token = m.group(1)
            if _is_year(token) or _next_to_month(s.text, m.start(), m.end()):
                continue
            before = s.text[max(0, m.start() - 14) : m.start()]
            if _LABELS.search(before) or re.search(r"\d, $", before):
                continue  # Section 404; Windows 95, 98
            if inside(quotes, m.start(), m.end()):
                continue
            candidates.append((s, m.start(), m.end(), token))
    if not candidates:
        return None
    s, a, b, token = rng.choice(candidates)
    new = _new_number(token, rng)
    _replace(s, a, b, new)
    return ("number", token, new, s)


_NAMED_AFTER_A_DAY = re.compile(
    r" (?:Telegraph|Times|Mirror|Express|People|Herald|Mail|Post|Business|Independent|Tribune|"
    r"Sport|Star|Observer|Sun|Night|Service|School|Club|League|Bloody)\b"
)
_DATE_LEADS = {"On", "By", "Since", "Until", "From", "Last", "Next", "This", "Before", "After"}
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
_DAY_OF_MONTH = re.compile(
    r"\b(\d{1,2})(st|nd|rd|th)?(?=\s+(?:of\s+)?(?:" + "|".join(MONTHS) + r")\b)"
    r"|\b(?:" + "|".join(MONTHS) + r") (\d{1,2})\b(?![,.]?\d)"
)


def change_date(draft: Draft, rng: random.Random, names: Names) -> Change | None:
    """A weekday or the day of a month becomes another (outside quotations)."""
    candidates = []
    for p, i, s in _free(draft):
        quotes = sentence_quotes(draft, p, i)
        for m in _WEEKDAY.finditer(s.text):
            before = s.text[: m.start()].split()[-1:] or [""]
            if before[0][:1].isupper() and before[0] not in _DATE_LEADS:
                continue  # Sheffield Wednesday, Super Tuesday, Good Friday
            if _NAMED_AFTER_A_DAY.match(s.text[m.end() :]):
                continue  # the Sunday Telegraph, Sunday Business
            if not inside(quotes, m.start(), m.end()):
                candidates.append((s, m.start(), m.end(), m.group(0), "weekday"))
        for m in _DAY_OF_MONTH.finditer(s.text):
            group = 1 if m.group(1) else 3
            a, b = m.start(group), m.end(group)
            if not inside(quotes, a, b) and 1 <= int(m.group(group)) <= 31:
                candidates.append((s, a, b, m.group(group), "day"))
    if not candidates:
        return None
    s, a, b, old, what = rng.choice(candidates)
    if what == "weekday":
        new = rng.choice([d for d in WEEKDAYS if d != old])
    else:
        new = str(rng.choice([d for d in range(1, 29) if abs(d - int(old)) >= 2]))
    _replace(s, a, b, new)
    return ("date", old, new, s)


def _negatable(auxiliary: str, rest: str) -> bool:
    """Whether "not" fits after this auxiliary: "is going", "will be", "has been", "are fully"."""
    following = re.match(r"\s+([a-z]+)", rest)
    if not following or re.search(r"\b(?:not|never|no)\b|n't", " ".join(rest.split()[:3])):
        return False  # a negation is there already ("were certainly not")
    word = following.group(1)
    if auxiliary in ("has", "have"):
        return word.endswith(("ed", "en")) or word in ("been", "got", "made", "done", "had")
    if auxiliary in ("is", "are", "was", "were"):
        return word not in ("a", "an", "the", "to", "that", "this", "there", "what", "why", "how")
    return word not in ("a", "an", "the", "to", "that", "this", "there")


def _quote_negation(text: str, a: int, b: int, rng: random.Random) -> tuple[str, str] | None:
    """Insert "not" after an auxiliary of the quotation (new quoted text, or None)."""
    content = text[a:b]
    spots = [
        m
        for m in re.finditer(r"\b(" + "|".join(AUXILIARIES) + r")\b", content)
        if _negatable(m.group(1), content[m.end() :])
    ]
    if not spots:
        return None
    m = rng.choice(spots)
    word = m.group(1)
    insert = "cannot" if word == "can" else f"{word} not"
    return content, content[: m.start()] + insert + content[m.end() :]


def _quote_antonym(text: str, a: int, b: int, rng: random.Random) -> tuple[str, str] | None:
    content = text[a:b]
    spots = [m for m in re.finditer(r"\b[A-Za-z]+\b", content) if m.group(0).lower() in ANTONYMS]
    if not spots:
        return None
    m = rng.choice(spots)
    word = m.group(0)
    new = ANTONYMS[word.lower()]
    if word[0].isupper():
        new = new[0].upper() + new[1:]
    return content, content[: m.start()] + new + content[m.end() :]


def _quote_cut(text: str, a: int, b: int, rng: random.Random) -> tuple[str, str] | None:
    """Cut the quotation after a comma, keeping its closing punctuation."""
    content = text[a:b]  # from the opening mark to the closing one, both included
    inner = content[1:-1]
    final = inner[-1] if inner and inner[-1] in ",.!?" else ""
    body = inner[:-1] if final else inner
    cuts = [
        m.start()
        for m in re.finditer(r", ", body)
        if len(body[: m.start()].split()) >= 4 and len(body[m.end() :].split()) >= 3
    ]
    if not cuts:
        return None
    at = rng.choice(cuts)
    return content, '"' + body[:at] + (final or ".") + '"'


def change_quote_words(draft: Draft, rng: random.Random, names: Names) -> Change | None:
    """A word of a quotation replaced by its opposite, a negation added, or the quote cut."""
    candidates = []
    for p, i, s in _free(draft):
        for a, b in whole_quotes(draft, p, i):
            if len(s.text[a:b].split()) >= 5:
                candidates.append((s, a, b))
    rng.shuffle(candidates)
    ways = [_quote_antonym, _quote_negation, _quote_cut]
    rng.shuffle(ways)
    for s, a, b in candidates:
        for way in ways:
            result = way(s.text, a, b, rng)
            if result:
                old, new = result
                _replace(s, a, b, new)
                return ("quote", old, new, s)
    return None


def _place_kind(name: str) -> str | None:
    for kind, members in PLACE_KINDS.items():
        if name in members:
            return kind
    return None


def change_place(draft: Draft, rng: random.Random, names: Names) -> Change | None:
    """A country, city or region spaCy calls a place becomes another of the same kind."""
    whole_text = " ".join(s.text for _, _, s in draft.sentences())
    candidates = []
    for p, i, s in _free(draft):
        quotes = sentence_quotes(draft, p, i)
        for name in names.places.get(s.origin, []) if s.origin is not None else []:
            kind = _place_kind(name)
            if not kind:
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", s.text):
                if not inside(quotes, m.start(), m.end()):
                    candidates.append((s, m.start(), m.end(), name, kind))
    if not candidates:
        return None
    s, _, _, old, kind = rng.choice(candidates)
    others = [n for n in PLACE_KINDS[kind] if n != old and n not in whole_text]
    new = rng.choice(others)
    # every mention in the sentence, so that it does not name both places
    s.text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", new, s.text)
    return ("place", old, new, s)


_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers|they|them|their)\b", re.IGNORECASE)


def outside_text(draft: Draft, p: int, i: int) -> str:
    """The sentence with its quotations blanked out."""
    text = draft.paragraphs[p][i].text
    out = list(text)
    for a, b in sentence_quotes(draft, p, i):
        out[a:b] = " " * (b - a)
    return "".join(out)


def leans_on_pronoun(draft: Draft, p: int, i: int) -> bool:
    """Outside its quotations the sentence says "he", "she", "they"...: who that is depends on
    the sentences before it, so it is neither moved nor left after a moved or dropped one."""
    return bool(_PRONOUN.search(outside_text(draft, p, i)))


def _following(draft: Draft, p: int, i: int, n: int) -> list[tuple[int, int]]:
    """The next ``n`` sentences after (p, i), across paragraphs."""
    flat = [(q, j) for q, j, _ in draft.sentences()]
    at = flat.index((p, i))
    return flat[at + 1 : at + 1 + n]


_VERBS = "|".join(REPORTING_VERBS)
_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Prof")


def gives_the_quote(outside: str, a: int, b: int) -> bool:
    """The name at a..b is the one a reporting verb of the sentence gives the quotation to.

    "X said", "X, the chairman, said", "said X", "said its chairman, X",
    "according to X".
    """
    after, before = outside[b : b + 90], outside[max(0, a - 60) : a]
    if after.startswith("'s"):
        return False  # "said Mr Shiga's appointment", "said of Dame Alicia Markova's dancing"
    return bool(
        re.match(rf"(?:,[^,\"]{{1,70}},)?\s+(?:{_VERBS})\b", after)
        or re.search(rf"\b(?:{_VERBS})\s+(?:[\w,.'-]+\s+){{0,6}}$", before)
        or re.search(r"\baccording to\s+(?:[\w,.'-]+\s+){0,4}$", before)
    )


def _replacement(old: str, others: list[str], rng: random.Random, text: str) -> str:
    """Another person's name in the form the old one had (full name, surname, "Ms" + surname).

    A title is the one the article gives the new person ("Ms Capella", not "Mr Capella").
    """
    words = old.split()
    if words[0] in _TITLES and len(words) == 2:
        surname = rng.choice(others).split()[-1]
        titled = re.search(rf"\b({'|'.join(_TITLES)}) {re.escape(surname)}\b", text)
        return f"{titled.group(1) if titled else words[0]} {surname}"
    if len(words) == 1:
        return rng.choice(others).split()[-1]
    return rng.choice(others)


def change_speaker(draft: Draft, rng: random.Random, names: Names) -> Change | None:
    """A quotation given by name to one person is given to another person of the article."""
    candidates = []
    for p, i, s in _free(draft):
        if not whole_quotes(draft, p, i) or s.origin is None:
            continue
        if any(leans_on_pronoun(draft, q, j) for q, j in _following(draft, p, i, 2)):
            continue
        outside = outside_text(draft, p, i)
        for name in names.people.get(s.origin, []):
            if name.split()[-1] not in names.surnames:
                continue
            for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", outside):
                if gives_the_quote(outside, m.start(), m.end()):
                    candidates.append((s, m.start(), m.end(), name))
    rng.shuffle(candidates)
    for s, a, b, old in candidates:
        old_last = old.split()[-1]
        others = [n for n in names.full_people if old_last not in n.split() and n not in old]
        if not others:
            continue
        new = _replacement(old, others, rng, " ".join(x.text for _, _, x in draft.sentences()))
        _replace(s, a, b, new)
        return ("speaker", old, new, s)
    return None


REAL_CHANGES = {
    "number": change_number,
    "date": change_date,
    "quote": change_quote_words,
    "place": change_place,
    "speaker": change_speaker,
}
