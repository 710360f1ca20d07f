"""Direct quotations: the exact words and who said them.

spaCy gives sentences, entities and the subject of each verb, but no quote
attribution, so the rules are ours: quotation marks of any typographic style
are found in each paragraph; the speaker is the subject of the nearest speech
verb outside the quotation marks in the same paragraph ("… ,” Beilin told"),
an "according to X", or — when the quotation fills its paragraph — the
speaker of the paragraph before (a continued quotation). A quotation left
without a speaker takes the one of the next paragraph when that paragraph
opens with a quotation naming it ("“…,” the official added."). A pronoun
subject ("he said", "she told reporters") resolves to the most recent named
person of fitting gender in the two sentences before it, one named as a
subject first ("Blinken met Netanyahu. He said: …" is Blinken), else the last
named person before it; gender comes from titles, role nouns, first names and
earlier pronouns (:mod:`newstrace.facts.gender`), and a person of unknown
gender fits either pronoun. "It said" is the body
(ORG) last named as a subject in the two sentences before, or no one. Quotation pieces of one
paragraph with one attribution ("“A,” he said, “B.”") are joined.
Indirect speech ("Miller stated that …") is not a quotation and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from newstrace.facts.claims import Claim
from newstrace.facts.gender import ent_gender, fits, pronoun_gender

OPEN_CLOSE = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‟": '"', "″": '"'})
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?", re.I)
MIN_WORDS = 3
NAME_REACH = 120  # a speaker's name this close to the quotation is shown with it

SPEECH_VERBS = {
    "say",
    "tell",
    "add",
    "remark",
    "note",
    "state",
    "stress",
    "warn",
    "write",
    "explain",
    "declare",
    "insist",
    "argue",
    "claim",
    "announce",
    "report",
    "observe",
    "comment",
    "acknowledge",
    "admit",
    "underscore",
    "emphasize",
    "emphasise",
    "highlight",
    "reiterate",
    "assert",
    "respond",
    "reply",
    "ask",
    "tweet",
    "post",
    "continue",
    "conclude",
    "recall",
    "describe",
    "call",
    "quote",
    "confirm",
    "urge",
    "caution",
    "predict",
    "suggest",
    "proclaim",
    "exclaim",
    "mention",
    "vow",
    "pledge",
    "deny",
    "characterize",
    "testify",
    "joke",
    "muse",
    "concede",
    "shout",
    "tout",
    "boast",
    "lament",
    "plead",
    "inform",
    "indicate",
    "disclose",
    "reveal",
    "recount",
    "express",
    "voice",
    "maintain",
    "contend",
    "opine",
    "assure",
    "advise",
    "counter",
    "relate",
    "convey",
    "share",
    "notify",
    "point",
    "elaborate",
}
_INVERTING = {
    "say",
    "add",
    "write",
    "explain",
    "note",
    "continue",
    "recall",
    "ask",
    "insist",
    "state",
    "remark",
}
_ORG_NOISE = {"the", "u.s.", "us", "u.s", "united", "states", "'s", "’s"}


@dataclass
class Speaker:
    """Who is quoted: a display name and the keys it lines up on (surnames, bodies)."""

    name: str = ""
    keys: frozenset[str] = frozenset()
    explicit: bool = False  # named in the quotation's own paragraph
    primary: str = ""  # the person's surname, else the body's name: what a changed speaker changes
    named: bool = False  # a proper name ("Miller", "the State Department"), not "officials"
    where: tuple[int, int] | None = None  # the name's characters in the quotation's paragraph
    gender: str = ""  # "m", "f", or "" when the article does not say (a person only)


@dataclass
class QuoteValue:
    """The quoted words (pieces of one quotation), the speaker, and the
    lower-cased sentences around it (to tell a changed speaker from a
    sentence naming two people)."""

    pieces: list[str]
    speaker: Speaker = field(default_factory=Speaker)
    context: str = ""

    @property
    def words(self) -> list[str]:
        return [w for piece in self.pieces for w in quote_words(piece)]

    @property
    def display_words(self) -> list[str]:
        return [w for piece in self.pieces for w in _WORD.findall(piece.replace("’", "'"))]

    def word_spans(self) -> list[tuple[int, int, int]]:
        """(piece, start, end) of each of :attr:`display_words`, so an excerpt can quote the text as written."""
        return [
            (k, m.start(), m.end())
            for k, piece in enumerate(self.pieces)
            for m in _WORD.finditer(piece.replace("’", "'"))
        ]

    def excerpt(self, first: int, last: int) -> str:
        """The quotation as written from word ``first`` to word ``last`` (inclusive), punctuation kept."""
        spans = self.word_spans()[first : last + 1]
        if not spans:
            return ""
        parts: list[str] = []
        for k in dict.fromkeys(piece for piece, _, _ in spans):
            inside = [(s, e) for piece, s, e in spans if piece == k]
            parts.append(self.pieces[k][inside[0][0] : inside[-1][1]])
        return " … ".join(parts)


_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")  # speech has no brackets: the writer's
_ACRONYM = re.compile(r"\b(?:[a-z]\.){2,}")
# Titles before a name as newsroom style abbreviates them: "Sen. Reid" / "Senator Reid".
_TITLES = {
    "sen": "senator",
    "rep": "representative",
    "gov": "governor",
    "gen": "general",
    "pres": "president",
    "dr": "doctor",
    "prof": "professor",
    "col": "colonel",
    "lt": "lieutenant",
    "sgt": "sergeant",
    "capt": "captain",
}
# British and American spelling of one word: "realised" / "realized", "labour" / "labor".
_SPELLING = [
    (re.compile(r"(?<=\w\w)is(e|es|ed|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=\w\w\w)our(s|ed|ing|ite|ites|able|hood|hoods|ful|less)?$"), r"or\1"),
    (re.compile(r"(?<=\w\w)tre(s)?$"), r"ter\1"),
    (re.compile(r"(?<=\w\w)bre(s)?$"), r"ber\1"),  # "fibre" / "fiber"
]


def _spelling(word: str) -> str:
    if word == "okay":  # "OK" / "okay": one word, two house styles
        return "ok"
    for pattern, american in _SPELLING:
        word = pattern.sub(american, word)
    return word


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3})")
# Clock times as outlets write them: "6:41pm PST", "18:41", "0241 GMT",
# "6 p.m.", "6:00 p.m." — one time of day read in 24 hours; a time zone after
# it is how it is written, not a word of the speaker.
_ZONE = r"(?:\s*\(?(?:gmt|utc|bst|cet|cest|[ecmp][sd]t)\b\)?)?"
_CLOCK_12 = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?m\b\.?" + _ZONE)
_CLOCK_24 = re.compile(r"\b([01]?\d|2[0-3]):([0-5]\d)\b" + _ZONE)
_CLOCK_ZONED = re.compile(r"\b([01]\d|2[0-3])([0-5]\d)(?=\s*(?:gmt|utc|bst|hrs|hours)\b)" + _ZONE)


def _clock(hour: int, minute: int) -> str:
    return f" t{hour:02d}{minute:02d} "


def _clock_12(match: re.Match) -> str:
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
    return _clock(hour, int(match.group(2) or 0))


def _clock_times(text: str) -> str:
    """Every clock time in ``text`` (lower case) as one word, "t1841"."""
    text = _CLOCK_12.sub(_clock_12, text)
    text = _CLOCK_24.sub(lambda m: _clock(int(m.group(1)), int(m.group(2))), text)
    return _CLOCK_ZONED.sub(lambda m: _clock(int(m.group(1)), int(m.group(2))), text)


_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "percent": "%",
    "first": "1st",
    "second": "2nd",
    "third": "3rd",
    "fourth": "4th",
    "fifth": "5th",
    "sixth": "6th",
    "seventh": "7th",
    "eighth": "8th",
    "ninth": "9th",
    "tenth": "10th",
    "eleventh": "11th",
    "twelfth": "12th",
}
_CONTRACTIONS = [
    (re.compile(r"\b(can)'t\b"), r"\1 not"),
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"\bi'm\b"), "i am"),
    (re.compile(r"'d\b"), " would"),
    (re.compile(r"\b(it|that|there|what|here|who|he|she)'s\b"), r"\1 is"),
]


# "al-Qaddafi" / "Qaddafi": Arabic names' article is written or left out.
_NAME_ARTICLE = re.compile(r"\b[ae]l-(?=[A-Z])")
# A long name inside a sentence (not at its start, where any word is capitalised),
# transliterated or spelled two ways: "Qaddafi" / "Gadhafi", "Muammar" / "Moammar".
_LONG_NAME = re.compile(r"(?<=[a-z0-9,;)] )(?:[ae]l-)?([A-Z][a-z]{5,})\b")
_NAME_SOUNDS = [
    (re.compile(r"[cgq]"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"[aeiouhwy]"), ""),
    (re.compile(r"(.)\1+"), r"\1"),
]


def _name_sound(name: str) -> str:
    key = name.lower()
    for pattern, sound in _NAME_SOUNDS:
        key = pattern.sub(sound, key)
    return key


def name_spellings(a: list[str], b: list[str]) -> dict[str, str]:
    """``b``'s spelling → ``a``'s for long names each quotation spells its own way
    and that read alike by their consonants ("Gadhafi" → "qaddafi"): a name
    transliterated two ways, not another person. A name both write, or one
    written in lower case on the other side ("High Street" / "high street"), is
    left alone; short names ("Ann" / "Ian") are never merged."""
    words_a = {w for piece in a for w in quote_words(piece)}
    words_b = {w for piece in b for w in quote_words(piece)}
    names_a = {n.lower() for piece in a for n in _LONG_NAME.findall(piece)} - words_b
    names_b = {n.lower() for piece in b for n in _LONG_NAME.findall(piece)} - words_a
    by_sound = {_name_sound(n): n for n in names_a}
    return {n: by_sound[_name_sound(n)] for n in names_b if _name_sound(n) in by_sound}


def quote_words(text: str, spellings: dict[str, str] | None = None) -> list[str]:
    """The words of a quotation, ignoring case, punctuation, apostrophe style,
    contractions ("aren't" / "are not"), number format ("four" / "4", "1,200" /
    "1200"), clock times ("6:41pm PST" / "18:41"), acronyms' full stops ("F.B.I." / "FBI"), an editor's insertions in brackets, abbreviated titles ("Sen.") and
    British or American spelling ("realised" / "realized", "OK" / "okay"), an Arabic name's
    article ("al-Qaddafi" / "Qaddafi") and, with ``spellings`` (from
    :func:`name_spellings`), a name spelled two ways."""
    text = _NAME_ARTICLE.sub("", text)
    text = _THOUSANDS.sub("", text.lower().replace("’", "'").replace("‘", "'"))
    text = _clock_times(_BRACKETS.sub(" ", text))  # an editor's insertion: "[Tara Reid]"
    text = _ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)  # "F.B.I." / "FBI"
    for pattern, expansion in _CONTRACTIONS:
        text = pattern.sub(expansion, text)
    words = [
        _spelling(_TITLES.get(w, _NUMBER_WORDS.get(w, w))).replace("'", "")
        for w in _WORD.findall(text)
    ]
    return [spellings.get(w, w) for w in words] if spellings else words


# Marks paired wrongly (one left out, or a stray one) put the narration between
# two quotations inside marks; a quotation never opens with its own reporting
# clause: ”, said Maral, 45, an Ashgabat resident“.
_NARRATION = re.compile(r"[\s,]*(?:said|says|added|adds|told)\s+(?:[A-Z]|(?:he|she|they)\b)")


def _closes(line: str, mark: int) -> bool:
    """A closing quotation mark: a typographic one, or a straight one right after
    the quotation's last punctuation and before a space ('…avenue," Lindqvist said'),
    also where a quotation inside it closes first ('…on a secure phone,\'" LaRue said')."""
    if line[mark] == "”":
        return True
    after = line[mark + 1 : mark + 2]
    before = line[max(0, mark - 2) : mark]
    return (
        line[mark] == '"'
        and (before[-1:] in (",", ".", "?", "!") or before in _INNER_CLOSED)
        and after in ("", " ")
    )


_INNER_CLOSED = {p + q for p in ",.?!" for q in "'’"}  # a quotation within the quotation closed


def quote_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside each pair of quotation marks in one paragraph."""
    return [(s, e) for s, e in _marked_spans(line) if len(quote_words(line[s:e])) >= MIN_WORDS]


def short_quote_spans(line: str) -> list[tuple[int, int]]:
    """Quotations of one or two words ("to “refocus” on the election"): a word
    put in someone's mouth, or a scare quote; see :func:`short_quote_claims`."""
    return [(s, e) for s, e in _marked_spans(line) if 0 < len(quote_words(line[s:e])) < MIN_WORDS]


def _leaves_open(line: str) -> bool:
    """The paragraph ends inside a quotation (its last quotation runs to its end)."""
    return _runs_to_end(line, _marked_spans(line))


def _runs_to_end(line: str, spans: list[tuple[int, int]]) -> bool:
    return bool(spans) and spans[-1][1] == len(line) and line.rstrip()[-1:] not in ('"', "”")


def _hangs_closed(line: str, mark: int) -> bool:
    """A mark that closes what the paragraph before left open: a closing mark, or a
    straight one hung on the word before it with no word after it ('subdued".')."""
    return _closes(line, mark) or (
        line[mark] == '"'
        and line[mark - 1 : mark].strip() != ""
        and not line[mark + 1 : mark + 2].isalnum()
    )


def _carries_on(line: str) -> bool:
    """A paragraph that goes on with a quotation opened before: its first mark closes
    it (‘…whole of the system,” he said’), or it opens with a mark again."""
    marks = [m.start() for m in re.finditer('"', line.translate(OPEN_CLOSE))]
    if not marks:
        return False
    return _hangs_closed(line, marks[0]) or not line[: marks[0]].strip()


def _still_open(line: str, open_before: bool) -> bool:
    """Whether a quotation is open at the end of a paragraph with marks: one the
    paragraph before left open and this one closes first ('Very, very subdued".')
    leaves open only what the marks after it open."""
    marks = [m.start() for m in re.finditer('"', line.translate(OPEN_CLOSE))]
    if open_before and _hangs_closed(line, marks[0]):  # the first mark closed it
        return _runs_to_end(line, _paired(line, marks[1:]))
    return _leaves_open(line)


def continued_quote_lines(text: str) -> set[int]:
    """Starts of the paragraphs with no quotation mark that lie inside a quotation
    continued over paragraphs: a paragraph leaves a quotation open, the next ones
    have no mark and each ends a sentence (a long quotation written one sentence a
    paragraph), and the quotation is taken up again by a paragraph whose first mark
    closes it or that opens with a mark. A paragraph that ends no sentence (a photo
    caption) or picks up no quotation ends the run: those paragraphs were narration."""
    found: set[int] = set()
    pending: list[int] = []
    open_quote = False
    start = 0
    for line in text.split("\n"):
        if not line.strip():
            open_quote, pending = False, []
        elif '"' not in line.translate(OPEN_CLOSE):
            if open_quote and line.rstrip()[-1] in ".?!…":
                pending.append(start)
            else:
                open_quote, pending = False, []
        else:
            if open_quote and pending and _carries_on(line):
                found.update(pending)
            pending = []
            open_quote = _still_open(line, open_quote)
        start += len(line) + 1
    return found


def continued_quote_span(line: str) -> tuple[int, int] | None:
    """The words of a paragraph inside a continued quotation (see
    :func:`continued_quote_lines`), when they are enough for a quotation."""
    start = len(line) - len(line.lstrip())
    end = len(line.rstrip())
    return (start, end) if len(quote_words(line[start:end])) >= MIN_WORDS else None


def _marked_spans(line: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in re.finditer('"', line.translate(OPEN_CLOSE))]
    spans = []
    if (
        len(marks) % 2 == 1
        and _closes(line, marks[0])
        and not line[: marks[0]].lstrip().startswith(("“", '"'))
    ):
        # a closing mark first: the paragraph goes on with a quotation opened in the
        # one before (“… except for rape. / And that should be where America is at,”
        # Graham explained)
        spans.append((len(line) - len(line.lstrip()), marks[0]))
        marks = marks[1:]
    spans.extend(_paired(line, marks))
    return [(s, e) for s, e in spans if not _NARRATION.match(line[s:e])]


def _paired(line: str, marks: list[int]) -> list[tuple[int, int]]:
    """The spans between marks, paired in order, except that a mark which opens a
    new sentence while a quotation is open starts a new quotation there.

    Some house styles (the BBC's among them) open each sentence of a speaker's
    quotation with a mark of its own and never close the one before:
    '"The result is big government. "Worst of all, it is…" The Tories, he said'.
    Paired in order, the second mark would close the first quotation and the
    narration after the third would be read as quoted. A straight mark's side
    shows in its spacing: it opens when a space (or the start) is before it and
    a word after it, and the quotation open before it ends a sentence there.
    """
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    for mark in marks:
        if opened is None:
            opened = mark
        elif _reopens(line, opened, mark):
            spans.append((opened + 1, len(line[:mark].rstrip())))
            opened = mark
        else:
            spans.append((opened + 1, mark))
            opened = None
    if opened is not None:  # a quotation continued in the next paragraph
        spans.append((opened + 1, len(line)))
    return spans


def _reopens(line: str, opened: int, mark: int) -> bool:
    """The mark opens a new sentence of quotation rather than closing the open one."""
    before, after = line[mark - 1 : mark], line[mark + 1 : mark + 2]
    said = line[opened + 1 : mark].rstrip()
    return (
        line[mark] != "”"
        and before.isspace()
        and (after.isalnum() or after in "'‘")
        and said[-1:] in (".", "?", "!")
        and len(quote_words(said)) >= MIN_WORDS
    )


def _name_of(token) -> tuple[str, set[str]]:
    """Display name and keys of the noun phrase headed by ``token``."""
    doc = token.doc
    if token.ent_type_ and token.ent_iob_ != "O":
        ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    else:
        ent = None
    keys: set[str] = set()
    parts = [t for t in token.subtree if t.pos_ == "PROPN" or t.i == token.i]
    for e in doc.ents:
        if (
            e.label_ in ("ORG", "NORP")
            and e.start >= token.left_edge.i
            and e.end <= token.right_edge.i + 1
        ):
            org = " ".join(w for w in e.text.lower().split() if w not in _ORG_NOISE)
            if org:
                keys.add(org)
    if _proper(token):
        chain = [t for t in token.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"] + [token]
        name = (  # a body by its whole name: "Centers for Disease Control", not "Centers"
            _strip_article(ent.text)
            if ent is not None and ent.label_ in ("PERSON", "ORG")
            else " ".join(t.text for t in chain)
        )
        keys.add(_name_key(token.text))
        return name, keys
    appos = [c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if appos:
        name, more = _name_of(appos[0])
        return name, keys | more
    if parts and len(parts) > 1:
        props = [t for t in parts if t.pos_ == "PROPN"]
        if props:
            keys.add(props[-1].text.lower())
    start, end = token.left_edge, token.right_edge
    phrase = doc.text[start.idx : end.idx + len(end.text)].strip(" ,.:;“”\"'")
    if not keys:
        keys.add(token.lemma_.lower())
    return phrase, keys


def _name_key(word: str) -> str:
    """A name word as compared: the full stops of an initialism are house style ("U.S." / "US")."""
    return word.lower().replace(".", "").strip(",")


def _strip_article(name: str) -> str:
    return name[4:] if name[:4] in ("The ", "the ") else name


def _primary(token) -> str:
    """Surname of the person the phrase names (its own head or an apposition), else ''."""
    if _proper(token):
        return _name_key(token.text)
    for child in token.children:
        if child.dep_ in ("appos", "compound") and _proper(child) and child.i > token.i:
            return _name_key(child.text)
    owner = _owner(token)
    return _name_key(owner.text) if owner is not None else token.lemma_.lower()


def _owner(token):
    """The person whose voice a role noun is: "Reid's rep", "Biden's spokesman"."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in ROLES | {"rep", "representative"}:
        return None
    return next((c for c in token.children if c.dep_ == "poss" and _proper(c)), None)


def _speaker_of_verb(
    verb, last_person: Speaker | None, pronoun: Callable | None = None
) -> Speaker | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if (
        not subjects
        and verb.dep_ in ("conj", "advcl", "xcomp")
        and verb.head.pos_ in ("VERB", "AUX")
    ):
        subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and verb.dep_ == "acl" and verb.head.i < verb.i and _proper(verb.head):
        # "“…,” Ramirez, director of the foundation, noted from Bulgaria": the parser
        # hangs the verb on the name it follows, which is its subject
        subjects = [verb.head]
    if (
        not subjects and verb.lemma_.lower() in _INVERTING
    ):  # "…," said Ron Howard — parsed as an object now and then
        subjects = [
            c
            for c in verb.rights
            if c.pos_ == "PROPN"
            and c.left_edge.i == verb.i + 1
            and c.dep_ in ("dobj", "attr", "npadvmod", "dative", "appos")
        ]
    if not subjects:
        return None
    # two subjects: a dateline the parser hung on the verb ("TEL AVIV, Israel — Blinken
    # emphasized"); the one next to the verb is the speaker
    subject = min(subjects, key=lambda t: abs(t.i - verb.i))
    if subject.pos_ == "PRON":
        if (
            subject.lower_ == "it" and pronoun is not None
        ):  # "The ministry issued a statement. It said …"
            body = pronoun(subject)
            return (
                Speaker(body.name, body.keys, explicit=False, primary=body.primary)
                if body
                else None
            )
        if subject.lower_ in PERSON_PRONOUNS and pronoun is not None:
            last_person = pronoun(subject) or last_person
        if (
            subject.lower_ in PERSON_PRONOUNS
            and last_person is not None
            and fits(last_person.gender, pronoun_gender(subject.lower_))
        ):
            return Speaker(
                last_person.name, last_person.keys, explicit=False, primary=last_person.primary
            )
        return None
    if _is_role(subject) and pronoun is not None:  # "the official said" → the last person
        person = pronoun(subject)
        if person is not None:
            return replace(person, explicit=False, where=None)
    return _speaker_from(subject)


ROLES = {
    "official",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "president",
    "secretary",
    "chief",
    "director",
    "leader",
    "governor",
    "mayor",
    "senator",
    "ambassador",
    "envoy",
    "commander",
    "prosecutor",
    "lawyer",
    "attorney",
    "executive",
    "chairman",
    "chairwoman",
    "founder",
    "coach",
    "actor",
    "actress",
    "singer",
    "star",
    "diplomat",
    "general",
    "premier",
    "chancellor",
}


TITLES = {
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "sen.",
    "rep.",
    "gov.",
    "gen.",
    "lt.",
    "col.",
    "sgt.",
    "prof.",
}


def _is_role(token) -> bool:
    """'the official', 'the former secretary of state': a definite role noun with no
    name of its own, which stands for someone named just before."""
    return (
        token.pos_ == "NOUN"
        and token.lemma_.lower() in ROLES
        and any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
        and not _is_named(token)
    )


def _is_named(token) -> bool:
    """The phrase names someone: a proper noun heads it or stands beside its head
    ("spokesperson Matthew Miller", "the State Department"), not "officials"."""
    if _proper(token):
        return True
    if _owner(token) is not None:  # "Reid's rep"
        return True
    return any(c.dep_ in ("appos", "compound") and _proper(c) for c in token.children)


def _proper(token) -> bool:
    """A proper noun, also where the tagger wavers ('said Greenway' read as a common
    noun): a capitalised word inside a name entity, or not at the sentence start."""
    if token.lower_ in ROLES or token.lower_ in TITLES:  # "Secretary", "Governor": a title
        return False
    if token.pos_ == "PROPN":
        return True
    if not token.text[:1].isupper() or token.is_stop or token.pos_ in ("PRON", "DET", "PUNCT"):
        return False
    return token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or token.i != token.sent.start


def _speaker_from(token) -> Speaker:
    name, keys = _name_of(token)
    end = token.right_edge.idx + len(token.right_edge.text)
    return Speaker(
        name,
        frozenset(keys),
        explicit=True,
        primary=_primary(token),
        named=_is_named(token),
        where=(token.left_edge.idx, end),
    )


def _according_to(tokens) -> Speaker | None:
    for token in tokens:
        if token.lower_ == "according":
            for to in token.children:
                for obj in to.children:
                    if obj.dep_ == "pobj":
                        holder = obj
                        for prep in obj.children:  # "a statement from the State Department"
                            if prep.dep_ == "prep" and prep.lower_ in ("from", "by", "of"):
                                holder = next((c for c in prep.children if c.dep_ == "pobj"), obj)
                        return _speaker_from(holder)
    return None


def attribute(
    parsed,
    line_quotes: list[tuple[int, int]],
    target: tuple[int, int],
    last_person: Speaker | None,
    pronoun: Callable | None = None,
) -> Speaker | None:
    """Speaker of the quotation at ``target`` (start, end in the paragraph), from the
    words outside all quotation marks: the speech verb of its own sentence first,
    then the nearest one in the paragraph. ``pronoun(token)`` names the person a
    "he"/"she" subject stands for (else ``last_person``)."""

    def inside(token) -> bool:
        return any(s <= token.idx < e for s, e in line_quotes)

    def distance(token) -> tuple[int, int]:
        same_sentence = token.sent.start_char < target[1] and target[0] < token.sent.end_char
        gap = (
            0
            if target[0] <= token.idx < target[1]
            else min(abs(token.idx - target[0]), abs(token.idx - target[1]))
        )
        return (0 if same_sentence else 1, gap)

    outside = [t for t in parsed if not inside(t)]
    verbs = [t for t in outside if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS]
    verbs.sort(key=distance)
    found: Speaker | None = None
    for verb in verbs:
        found = _speaker_of_verb(verb, last_person, pronoun)
        if found is not None:
            break
    source = _according_to(outside)
    if found is None:
        return source
    if source is not None:
        quoted = set(quote_words(parsed.text[target[0] : target[1]]))
        if found.primary and found.primary in quoted:
            # "According to a statement from the State Department, Blinken underscored:
            # “Mr. Blinken underscored …”": one who is named in the third person
            # inside the quotation is not its speaker; the statement's source is
            return source
        found = replace(found, keys=found.keys | source.keys)
    return found


PERSON_PRONOUNS = {"he", "she", "i"}


def people_with_roles(
    sent, known_people: set[str] | None = None
) -> list[tuple[int, Speaker, bool, bool]]:
    """Named people and bodies of a sentence: (character offset in the parse,
    speaker, whether the name is a subject — the role "he said" takes, whether
    it is a person rather than a body). A name the tagger calls an organisation
    here but a person elsewhere in the article (``known_people``, surnames) is
    that person: "Trump said" tagged ORG after "Donald Trump" is still Trump."""
    found = []
    for ent in sent.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        root = ent.root
        while root.dep_ in ("compound", "appos") and root.head.i != root.i:
            root = root.head
        surname = _name_key(ent[-1].text)
        if ent.label_ == "PERSON" or (
            known_people and len(ent) <= 3 and ent[-1].pos_ == "PROPN" and surname in known_people
        ):
            speaker = Speaker(ent.text, frozenset({surname}), True, surname, gender=ent_gender(ent))
            person = True
        else:
            person = False
            body = " ".join(w for w in ent.text.lower().split() if w not in _ORG_NOISE)
            if not body:
                continue
            speaker = Speaker(ent.text, frozenset({body}), True, body)
        found.append((ent.start_char, speaker, root.dep_ in ("nsubj", "nsubjpass"), person))
    return found


def people_in(parsed) -> list[Speaker]:
    """Named people of a paragraph, in order (for "he said" further on)."""
    people = []
    for ent in parsed.ents:
        if ent.label_ == "PERSON" or (
            ent.root.dep_ in ("nsubj", "nsubjpass")
            and ent.root.pos_ == "PROPN"
            and ent.label_ in ("GPE", "ORG")
        ):
            if ent.label_ != "PERSON" and ent.label_ == "ORG":
                continue
            surname = _name_key(ent[-1].text)
            people.append(
                Speaker(ent.text, frozenset({surname}), True, surname, gender=ent_gender(ent))
            )
    return people


def quote_claims(doc_id: str, parsed, base: int, quotes, speaker_of, sentence_of) -> list[Claim]:
    """One claim per quotation of a paragraph, pieces with one attribution joined."""
    line = parsed.text
    groups: list[list[tuple[int, int]]] = [[quotes[0]]]
    for start, end in quotes[1:]:
        between = line[groups[-1][-1][1] : start]
        if len(between.split()) <= 8:
            groups[-1].append((start, end))
        else:
            groups.append([(start, end)])
    claims = []
    for pieces in groups:
        first, last = pieces[0][0], pieces[-1][1]
        speaker = speaker_of((first, last))
        start, end = (first - 1 if first > 0 else first), min(last + 1, len(line))
        where = speaker.where if speaker is not None else None
        if where is not None and where[0] - end <= NAME_REACH and start - where[1] <= NAME_REACH:
            start, end = min(start, where[0]), max(end, where[1])  # the attribution too
        span = (base + start, base + end)
        text = line[span[0] - base : span[1] - base]
        context = " ".join(
            sent.text for sent in parsed.sents if sent.start_char < last and first < sent.end_char
        )
        for piece_start, piece_end in pieces:  # the words around the quotation, not in it
            context = context.replace(line[piece_start:piece_end], " ")
        value = QuoteValue(
            [line[s:e].strip() for s, e in pieces], speaker or Speaker(), context.lower()
        )
        claims.append(
            Claim(
                kind="quote",
                doc=doc_id,
                sentence=sentence_of(base + first),
                span=span,
                text=text,
                mention=(base + first, base + last),
                subject=f"quote of {value.speaker.name}"
                if value.speaker.name
                else "quote (speaker unknown)",
                value=value,
                report_value={
                    "speaker": value.speaker.name or None,
                    "words": " … ".join(value.pieces),
                },
                key=frozenset(value.speaker.keys),
            )
        )
    return claims


def _named_in_sentence(parsed, line_quotes: list[tuple[int, int]], target: tuple[int, int]):
    """The one a short quotation's own sentence names as saying it: the named
    subject of its speech verb nearest the quotation ("Gibbs said … his “phony
    theology”"), else a named "according to" source; no pronoun, no one from
    another sentence (a scare quote is nobody's words)."""
    sent = next((s for s in parsed.sents if s.start_char <= target[0] < s.end_char), None)
    if sent is None:
        return None
    outside = [t for t in sent if not any(s <= t.idx < e for s, e in line_quotes)]
    verbs = [t for t in outside if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in SPEECH_VERBS]
    verbs.sort(key=lambda t: min(abs(t.idx - target[0]), abs(t.idx - target[1])))
    found = next((sp for sp in map(_speaker_of_verb, verbs, [None] * len(verbs)) if sp), None)
    if found is not None and found.named:
        return found
    source = _according_to(outside)
    return source if source is not None and source.named else None


def short_quote_claims(
    doc_id: str, parsed, base: int, line_quotes, shorts, sentence_of
) -> list[Claim]:
    """Claims for quotations of one or two words that their own sentence gives to
    a named speaker: only who said it can differ (line-up pairs them word for word,
    between linked articles), "DeMint said Steele needs to “refocus”" / "GOP said …"."""
    claims = quote_claims(
        doc_id,
        parsed,
        base,
        shorts,
        lambda target: _named_in_sentence(parsed, line_quotes, target),
        sentence_of,
    )
    for claim in claims:
        claim.extra["short"] = True
    return [c for c in claims if c.value.speaker.name]


def set_speaker(claim: Claim, speaker: Speaker) -> None:
    """Give a quotation claim its speaker once it is known (attribution further on)."""
    claim.value.speaker = speaker
    claim.subject = f"quote of {speaker.name}"
    claim.report_value["speaker"] = speaker.name
    claim.key = frozenset(speaker.keys)
