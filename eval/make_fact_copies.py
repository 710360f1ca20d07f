"""Make derived copies of real articles, with harmless rewording and recorded alterations.

Each article of the corpus (ECB+ dev articles by default; any folder of .txt
articles) gets a publication date and yields:

* one *harmless* copy: number formats ("1,200" → "1200", "four" → "4",
  "2.3 million" → "2,300,000"), honest qualifiers ("42,718" → "more than
  42,000"; "over 60" → "more than 60"), straight ↔ typographic quotes and
  dashes, synonyms outside quotation marks, other reporting verbs outside
  quotation marks ("said" → "noted", "told reporters"), connectives added or
  dropped at sentence starts ("Meanwhile, the …"), "yesterday" / "today" /
  "last night" written as the weekday they mean, lines of page furniture
  ("Advertisement", "Share this article") between paragraphs, one to three
  sentences left out (now and then a whole quoted sentence, or a sentence
  inside a quotation), neighbouring paragraphs and sentences swapped;
* up to two *altered* copies: the same kind of harmless rewording (half of
  them in the altered sentence too, outside the altered words) plus one real
  alteration, recorded with its span in the copy: a changed number, a changed
  word inside a quotation, another speaker for a quotation (another person
  named in the article, first name and surname when the original gives both),
  another place (another place of the article with the same spaCy label, or
  one from a list), another day or date.

Alteration sites are found with plain patterns and spaCy's entity tags, not
with newstrace's own extractor, so the score does not grade the extractor
against itself.

    python eval/make_fact_copies.py [--corpus DIR] [--limit N] [--seed S] [--out FILE.jsonl]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
PLACES = [
    "France",
    "Germany",
    "Italy",
    "Spain",
    "Japan",
    "China",
    "India",
    "Brazil",
    "Mexico",
    "Canada",
    "Egypt",
    "Jordan",
    "Turkey",
    "Greece",
    "Kenya",
    "Nigeria",
    "Pakistan",
    "Iran",
    "Iraq",
    "Syria",
    "Israel",
    "Lebanon",
    "Russia",
    "Ukraine",
    "Poland",
    "Australia",
    "Indonesia",
    "Chile",
    "Peru",
    "Norway",
    "Sweden",
    "Ireland",
    "London",
    "Paris",
    "Berlin",
    "Tokyo",
    "Moscow",
    "Beijing",
    "Chicago",
    "Boston",
    "Los Angeles",
    "New York",
    "Washington",
    "Houston",
    "Dallas",
    "Miami",
    "Atlanta",
    "Seattle",
    "Denver",
    "Toronto",
    "Sydney",
    "Mumbai",
    "Cairo",
    "Dubai",
    "Madrid",
    "Rome",
    "California",
    "Texas",
    "Florida",
    "Ohio",
    "Georgia",
    "Virginia",
    "San Francisco",
    "Philadelphia",
    "Detroit",
    "Phoenix",
    "Las Vegas",
    "Hollywood",
    "Manhattan",
    "Brooklyn",
    "Indonesia",
    "Philippines",
    "Haiti",
    "Chile",
    "Colombia",
    "Venezuela",
    "Afghanistan",
    "Somalia",
    "Sudan",
]
SYNONYMS = {
    "also": "additionally",
    "began": "started",
    "big": "large",
    "help": "assist",
    "announced": "declared",
    "however": "nevertheless",
    "after": "following",
    "about": "regarding",
    "quickly": "rapidly",
    "buy": "purchase",
    "shows": "indicates",
    "many": "numerous",
    "told": "informed",
    "start": "begin",
    "people": "individuals",
    "major": "significant",
    "hit": "struck",
    "killed": "slain",
    "near": "close to",
    "officials": "authorities",
}
QUOTE_WORD_SWAPS = {
    "very": "really",
    "great": "huge",
    "good": "fine",
    "important": "crucial",
    "happy": "glad",
    "think": "believe",
    "big": "large",
    "we": "they",
    "will": "would",
    "can": "could",
    "all": "many",
    "never": "rarely",
    "always": "often",
    "the": "this",
    "is": "was",
    "are": "were",
    "not": "never",
    "our": "their",
    "my": "our",
}
SPEECH = r"(?:said|says|told|added|wrote|stated|explained|noted)"
_NUMBER = re.compile(r"(?<![\w.,:/$-])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w:/-]|\.\d|,\d)")
_SCALED = re.compile(r"\b(\d+(?:\.\d+)?) (million|billion)\b")
_QUALIFIED = re.compile(
    r"\b(over|more than|at least|about|around|approximately|nearly|almost|up to|some) (\d[\d,]*)\b"
)
_SPEAKER_AFTER = re.compile(
    r'[,.!?]["”],? (?:(?:'
    + SPEECH
    + r") )?((?:[A-Z][a-z]+ )?[A-Z][a-z]{2,})(?![\w\'’]| [A-Z])(?: "
    + SPEECH
    + r")?"
)
_SPEAKER_BEFORE = re.compile(
    r"(?<![A-Z][a-z] )(?<![A-Z][a-z]{2} )\b([A-Z][a-z]{2,}) " + SPEECH + r'[,:] ["“]'
)
_DATE = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")
_SENTENCE = re.compile(r"[^\n]+?(?:[.!?](?=\s|$)|$)")
_QUALIFIER_SWAPS = {
    "over": "more than",
    "more than": "over",
    "about": "around",
    "around": "approximately",
    "approximately": "about",
    "at least": "no fewer than",
    "nearly": "almost",
    "almost": "nearly",
}


@dataclass
class Edit:
    start: int
    end: int
    replacement: str
    kind: str  # harmless kind, or "alter:<kind>"
    before: str = ""


# ------------------------------------------------------------ where things are


def _closing_mark_first(line: str, mark: int) -> bool:
    """The line's first quotation mark closes a quotation: a typographic ”, or a
    straight one that hangs on the word before it with no word right after it
    ('…our nation's biodiversity."', '…95th Avenue," Lindqvist said', 'subdued".')."""
    if line[:mark].lstrip().startswith(('"', "“")):
        return False
    if line[mark] == "”":
        return True
    # a straight mark closes when it hangs on the word before and no word follows it
    return (
        line[mark] == '"'
        and line[mark - 1 : mark].strip() != ""
        and not line[mark + 1 : mark + 2].isalnum()
    )


def quote_ranges(text: str) -> list[tuple[int, int]]:
    """Quoted stretches, paragraph by paragraph. An unclosed quotation runs to its
    paragraph's end and goes on over the paragraphs after it when they carry it on:
    unmarked paragraphs that end a sentence (a long quotation split into one
    paragraph per sentence) followed by one whose first mark closes it, or by one
    that opens with a mark again (the newsroom convention for a quotation continued
    over paragraphs). A line with no closing punctuation (a caption) ends it."""
    ranges: list[tuple[int, int]] = []
    pending: list[tuple[int, int]] = []  # unmarked paragraphs after an unclosed quotation
    carried = False  # the paragraph before left a quotation open
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        marks = [m.start() for m in re.finditer(r'["“”]', line)]
        if not line.strip():
            carried, pending = False, []
        elif carried and not marks:
            if line.rstrip()[-1] in ".?!…:;'’":
                pending.append((start, end))
            else:  # a caption or heading between paragraphs: the quotation ended before it
                carried, pending = False, []
        else:
            if carried and _closing_mark_first(line, marks[0]):
                ranges.extend(pending)
                ranges.append((start, start + marks[0] + 1))
                marks = marks[1:]
            elif carried and not line[: marks[0]].strip():
                ranges.extend(pending)  # the next paragraph opens the quotation again
            pending = []
            for k in range(0, len(marks) - 1, 2):
                ranges.append((start + marks[k], start + marks[k + 1] + 1))
            carried = len(marks) % 2 == 1
            if carried:
                ranges.append((start + marks[-1], end))
        start = end + 1
    return ranges


def _inside(pos: int, ranges) -> bool:
    return any(s <= pos < e for s, e in ranges)


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(1[89]|20)\d\d", token))


def _free_numbers(text: str, quotes) -> list[re.Match]:
    found = []
    for m in _NUMBER.finditer(text):
        if _is_year(m.group(1)) or _inside(m.start(), quotes):
            continue
        before = text[max(0, m.start() - 12) : m.start()]
        if re.search(
            r"(No\.|#|\$|£|€|Route|Highway|Interstate|I-|Flight|Channel|Room|Suite|Apt\.)\s*$",
            before,
        ) or re.search(r"\b(" + "|".join(MONTHS) + r")\s*$", before):
            continue
        after = text[m.end() : m.end() + 12]
        if re.match(
            r"\s*(a\.m\.|p\.m\.|am\b|pm\b|GMT|EST|EDT|ET\b|Freeway|Highway|Street|St\.|Avenue|Ave\.|Blvd|Road"
            r"|[NSEW]\.|North|South|East|West|" + "|".join(MONTHS) + r")",
            after,
        ):
            continue
        found.append(m)
    return found


_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Prof|Jr|Sr|No|[A-Z])\.$"
)


def sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        if not m.group().strip():
            continue
        if (
            spans
            and (
                _ABBREVIATION.search(text[spans[-1][0] : spans[-1][1]])
                or m.group().lstrip()[:1].islower()
                or m.group().lstrip()[:1].isdigit()
            )
            and "\n" not in text[spans[-1][1] : m.start()]
        ):
            # "Dr. Benjamin", "after 3 p.m. the day of", "with a. 357 Magnum": one
            # sentence (none opens in lower case, nor on a figure, as news style has it)
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


# ------------------------------------------------------------ harmless rewording


def harmless_edits(
    text: str,
    rng: random.Random,
    protected: list[tuple[int, int]],
    published: date | None = None,
) -> list[Edit]:
    quotes = quote_ranges(text)
    candidates: list[Edit] = []
    for m in _free_numbers(text, quotes):
        value = m.group(1)
        after = text[m.end() : m.end() + 10]
        if "," in value:
            candidates.append(Edit(m.start(), m.end(), value.replace(",", ""), "format"))
        elif value.isdigit() and int(value) >= 1000 and not after.startswith(" million"):
            candidates.append(Edit(m.start(), m.end(), f"{int(value):,}", "format"))
        elif value.isdigit() and 2 <= int(value) <= 9 and re.match(r" [a-z]+", after):
            word = {v: k for k, v in NUMBER_WORDS.items()}[int(value)]
            candidates.append(Edit(m.start(), m.end(), word, "written_number"))
        plain = int(value.replace(",", "")) if value.replace(",", "").isdigit() else None
        preceding = text[max(0, m.start() - 15) : m.start()].lower()
        if (
            plain
            and plain >= 150
            and not re.search(
                r"(over|than|least|about|around|approximately|nearly|almost|to|some)\s*$", preceding
            )
        ):
            digits = len(str(plain))
            rounded = plain // 10 ** (digits - 2) * 10 ** (digits - 2)
            if rounded < plain:
                candidates.append(
                    Edit(m.start(), m.end(), f"more than {rounded:,}", "honest_qualifier")
                )
    for word, value in NUMBER_WORDS.items():
        for m in re.finditer(rf"\b{word}\b(?= [a-z]+)", text):
            if not _inside(m.start(), quotes):
                candidates.append(Edit(m.start(), m.end(), str(value), "written_number"))
    for m in _SCALED.finditer(text):
        if not _inside(m.start(), quotes):
            number = float(m.group(1)) * (1_000_000 if m.group(2) == "million" else 1_000_000_000)
            candidates.append(Edit(m.start(), m.end(), f"{number:,.0f}", "format"))
    for m in _QUALIFIED.finditer(text):
        if not _inside(m.start(), quotes) and m.group(1) in _QUALIFIER_SWAPS:
            candidates.append(
                Edit(
                    m.start(),
                    m.start() + len(m.group(1)),
                    _QUALIFIER_SWAPS[m.group(1)],
                    "qualifier_synonym",
                )
            )
    for word, synonym in SYNONYMS.items():
        for m in re.finditer(rf"\b{word}\b", text):
            if not _inside(m.start(), quotes):
                candidates.append(Edit(m.start(), m.end(), synonym, "synonym"))
    for m in re.finditer(r" - | -- ", text):
        candidates.append(Edit(m.start(), m.end(), " — ", "dash"))
    candidates.extend(_reporting_verb_edits(text, quotes, rng))
    candidates.extend(_connective_edits(text, quotes, rng))
    if published is not None:
        candidates.extend(_relative_day_edits(text, quotes, published))
    rng.shuffle(candidates)
    chosen = _non_overlapping(candidates, protected, limit=rng.randint(4, 8))
    chosen.extend(_furniture_edits(text, rng))
    style = _quote_style_edits(text, rng)
    chosen.extend(
        e for e in style if not any(_overlap((e.start, e.end), (c.start, c.end)) for c in chosen)
    )
    for _ in range(rng.choice([1, 1, 2, 3])):
        drop = _drop_sentence(
            text, rng, protected + [(e.start, max(e.end, e.start + 1)) for e in chosen]
        )
        if drop is not None:
            chosen.append(drop)
    return chosen


_REPORTING = {
    "said": ["stated", "noted", "added", "explained", "told reporters", "remarked"],
    "says": ["said", "stated", "notes"],
    "added": ["said", "continued", "noted"],
    "stated": ["said"],
    "told": ["informed"],
    "explained": ["said"],
    "noted": ["said", "observed"],
}
_CONNECTIVES = ["Meanwhile, ", "In addition, ", "Also, ", "Moreover, ", "At the same time, "]
_EXISTING_CONNECTIVE = re.compile(
    r"(?:However|Meanwhile|Also|Moreover|Furthermore|In addition|Still|But|And), (?=[A-Za-z])"
)
_LOWERABLE = {
    "The",
    "A",
    "An",
    "It",
    "He",
    "She",
    "They",
    "This",
    "That",
    "There",
    "We",
    "His",
    "Her",
    "Their",
    "Its",
}
FURNITURE = [
    "Advertisement",
    "Share this article",
    "Read more: Latest news and updates",
    "Follow us on Twitter and Facebook",
    "Sign up for our daily newsletter",
    "Related Stories",
    "Click here to subscribe",
    "(Reporting by staff; editing by the desk)",
]


def _reporting_verb_edits(text: str, quotes, rng: random.Random) -> list[Edit]:
    """Another reporting verb outside the quotation marks ("said" -> "noted")."""
    edits = []
    for word, others in _REPORTING.items():
        for m in re.finditer(rf"\b{word}\b", text):
            if not _inside(m.start(), quotes):
                edits.append(Edit(m.start(), m.end(), rng.choice(others), "reporting_verb"))
    return edits


def _connective_edits(text: str, quotes, rng: random.Random) -> list[Edit]:
    """A connective added at a sentence start, or an existing one dropped."""
    edits = []
    for start, end in sentences(text)[2:]:
        if _inside(start, quotes):
            continue
        m = _EXISTING_CONNECTIVE.match(text, start)
        if m:
            following = text[m.end()]
            edits.append(Edit(start, m.end() + 1, following.upper(), "connective"))
            continue
        first = re.match(r"[A-Za-z]+", text[start:end])
        if first and first.group() in _LOWERABLE:
            word = first.group()
            edits.append(
                Edit(
                    start, start + len(word), rng.choice(_CONNECTIVES) + word.lower(), "connective"
                )
            )
    return edits


def _relative_day_edits(text: str, quotes, published: date) -> list[Edit]:
    """ "yesterday" / "today" written as the weekday it means."""
    edits = []
    for m in re.finditer(r"\blast night\b", text):
        if not _inside(m.start(), quotes):
            day = published - timedelta(days=1)
            edits.append(Edit(m.start(), m.end(), WEEKDAYS[day.weekday()] + " night", "weekday"))
    for m in re.finditer(r"\b(yesterday|today)\b", text):
        if _inside(m.start(), quotes):
            continue
        day = published - timedelta(days=1 if m.group(1) == "yesterday" else 0)
        before = text[max(0, m.start() - 4) : m.start()]
        prefix = "" if before.endswith("on ") else "on "
        edits.append(Edit(m.start(), m.end(), prefix + WEEKDAYS[day.weekday()], "weekday"))
    return edits


def _furniture_edits(text: str, rng: random.Random) -> list[Edit]:
    """Lines of page furniture between paragraphs (never after the headline)."""
    breaks = [m.end() for m in re.finditer(r"\n", text)][1:]
    if not breaks or rng.random() < 0.4:
        return []
    return [
        Edit(at, at, rng.choice(FURNITURE) + "\n", "furniture")
        for at in rng.sample(breaks, min(len(breaks), rng.randint(1, 2)))
    ]


def reorder(
    copy: str, records: list[dict], rng: random.Random
) -> tuple[str, list[dict], list[str]]:
    """Swap two neighbouring paragraphs (never the headline) and two neighbouring
    sentences of one paragraph; alteration spans move with their text."""
    done = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        units = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+\n?", copy)]
        if len(units) < 4:
            break
        k = rng.randrange(1, len(units) - 1)
        copy, records = _swap(copy, records, units[k], units[k + 1], paragraph=True)
        done.append("reorder_paragraphs")
    if rng.random() < 0.6:
        pairs = []
        for line in re.finditer(r"[^\n]+", copy):
            spans = [(s + line.start(), e + line.start()) for s, e in sentences(line.group())]
            spans = [(s, e) for s, e in spans if copy[s:e].strip()]
            pairs.extend(itertools.pairwise(spans))
        pairs = [
            (a, b)
            for a, b in pairs[1:]
            if len(re.findall(r'["“”]', copy[a[0] : a[1]])) % 2 == 0
            and len(re.findall(r'["“”]', copy[b[0] : b[1]])) % 2 == 0
            and copy[a[1] : b[0]] == " "
        ]
        if pairs:
            a, b = rng.choice(pairs)
            copy, records = _swap(copy, records, a, b)
            done.append("reorder_sentences")
    return copy, records, done


def _swap(copy: str, records: list[dict], a, b, paragraph: bool = False):
    first, second = copy[a[0] : a[1]], copy[b[0] : b[1]]
    if paragraph and not second.endswith("\n"):
        first, second = first.rstrip("\n"), second + "\n"
    between = copy[a[1] : b[0]]
    new = copy[: a[0]] + second + between + first + copy[b[1] :]
    moved = []
    for record in records:
        start, end = record["span"]
        if a[0] <= start < a[1]:
            shift = len(second) + len(between)
        elif b[0] <= start < b[1]:
            shift = -(b[0] - a[0])
        else:
            shift = 0
        moved.append({**record, "span": [start + shift, end + shift]})
    return new, moved


def _quote_style_edits(text: str, rng: random.Random) -> list[Edit]:
    if rng.random() < 0.5:
        return []
    edits = []
    curly = "“" in text or "”" in text
    opening, closing = ('"', '"') if curly else ("“", "”")
    for start, end in quote_ranges(text):
        if text[start] in '"“”':  # a continued quotation's unmarked paragraph has none
            edits.append(Edit(start, start + 1, opening, "quote_style"))
        if end - 1 > start and text[end - 1] in '"”':
            edits.append(Edit(end - 1, end, closing, "quote_style"))
    return edits


def _drop_sentence(text: str, rng: random.Random, keep: list[tuple[int, int]]) -> Edit | None:
    spans = sentences(text)[2:]  # keep the headline and lead
    rng.shuffle(spans)
    for start, end in spans:
        if any(_overlap((start, end), k) for k in keep):
            continue
        marks = len(re.findall(r'["“”]', text[start:end]))
        if marks % 2 or (marks and rng.random() < 0.5):  # a whole quotation may go too
            continue
        end_with_space = end + 1 if end < len(text) and text[end] == " " else end
        return Edit(start, end_with_space, "", "drop_sentence")
    return None


def _overlap(x, y) -> bool:
    return x[0] < y[1] and y[0] < x[1]


def _non_overlapping(edits: list[Edit], protected, limit: int) -> list[Edit]:
    chosen: list[Edit] = []
    for edit in edits:
        span = (edit.start, max(edit.end, edit.start + 1))
        if any(_overlap(span, (c.start, max(c.end, c.start + 1))) for c in chosen):
            continue
        if any(_overlap(span, p) for p in protected):
            continue
        chosen.append(edit)
        if len(chosen) >= limit:
            break
    return chosen


# ------------------------------------------------------------ real alterations


def entities(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, label, text) of spaCy's named entities: who and where, so a speaker
    swap swaps a person for a person and a place swap a place for a place."""
    from newstrace.nlp import spacy_nlp

    doc = spacy_nlp(parser=False)(text)
    return [(e.start_char, e.end_char, e.label_, e.text) for e in doc.ents]


FULL_NAMES = ["Maria Thompson", "Daniel Ramirez", "Grace Okafor", "Erik Lindqvist"]


def _ner_speaker_sites(text: str, ents, quotes, rng: random.Random) -> list[Edit]:
    """A person named beside a quotation in its paragraph ('“…,” said Lisa Su',
    'according to John Ging', 'Oppal said: “…”') given as another person of the article."""
    people = [e for e in ents if e[2] == "PERSON" and len(e[3]) > 2]
    sites = []
    for start, end, _, name in people:
        if _inside(start, quotes):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end) % (len(text) + 1)
        near = [
            (qs, qe)
            for qs, qe in quotes
            if line_start <= qs < line_end
            and (0 <= start - qe <= 60 or 0 <= qs - end <= 60)
            and len(text[qs:qe].split()) >= 4
        ]
        speaks = re.search(
            SPEECH + r"|\bsays\b|\baccording to\s*$", text[max(line_start, start - 25) : end + 25]
        )
        if not near or not speaks:
            continue
        surname = name.split()[-1]
        others = sorted(
            {
                other
                for _, _, _, other in people
                if surname not in other.split()
                and other.split()[-1] not in name
                and other not in text[line_start:line_end]
                and len(other.split()) == len(name.split())
            }
        ) or [n if len(name.split()) > 1 else n.split()[-1] for n in FULL_NAMES]
        sites.append(Edit(start, end, rng.choice(others), "alter:speaker", name))
    return sites


def _ner_place_sites(text: str, ents, quotes, rng: random.Random) -> list[Edit]:
    """A place of the article given as another place of the same label."""
    places = [e for e in ents if e[2] in ("GPE", "LOC") and e[3][0].isupper()]
    sites = []
    for start, end, label, name in places:
        if _inside(start, quotes):
            continue
        sentence = next(((s, e) for s, e in sentences(text) if s <= start < e), (start, end))
        others = sorted(
            {
                other
                for _, _, other_label, other in places
                if other_label == label
                and other != name
                and other not in text[sentence[0] : sentence[1]]
                and name not in other
                and other not in name
            }
        ) or [p for p in PLACES if p not in text]
        sites.append(Edit(start, end, rng.choice(others), "alter:place", name))
    return sites


def alteration_sites(text: str, rng: random.Random) -> dict[str, list[Edit]]:
    quotes = quote_ranges(text)
    ents = entities(text)
    people = {word for e in ents if e[2] == "PERSON" for word in e[3].split()}
    sites: dict[str, list[Edit]] = {
        "number": [],
        "quote_words": [],
        "speaker": [],
        "place": [],
        "date": [],
    }
    for m in _free_numbers(text, quotes):
        value = m.group(1)
        number = float(value.replace(",", ""))
        if number < 2:
            continue
        changed = _changed_number(number, rng)
        text_value = f"{changed:,}" if "," in value else str(changed)
        sites["number"].append(Edit(m.start(1), m.end(1), text_value, "alter:number", value))
    for word, value in NUMBER_WORDS.items():
        for m in re.finditer(rf"\b{word}\b(?= [a-z]+)", text):
            if not _inside(m.start(), quotes):
                other = rng.choice([w for w in NUMBER_WORDS if abs(NUMBER_WORDS[w] - value) >= 2])
                sites["number"].append(Edit(m.start(), m.end(), other, "alter:number", word))
    for qs, qe in quotes:
        if qe - qs < 20:
            continue
        words = list(re.finditer(r"\b[a-zA-Z']+\b", text[qs:qe]))
        if len(words) < 5:
            continue
        swaps = [w for w in words if w.group().lower() in QUOTE_WORD_SWAPS]
        if swaps:
            w = rng.choice(swaps)
            new = QUOTE_WORD_SWAPS[w.group().lower()]
            new = new.capitalize() if w.group()[0].isupper() else new
            sites["quote_words"].append(
                Edit(qs + w.start(), qs + w.end(), new, "alter:quote_words", w.group())
            )
        else:
            w = rng.choice(words[1:-1])
            sites["quote_words"].append(
                Edit(qs + w.start(), qs + w.end() + 1, "", "alter:quote_words", w.group())
            )
    names = sorted(
        {m.group(1).split()[-1] for m in _SPEAKER_AFTER.finditer(text)}
        | {m.group(1) for m in _SPEAKER_BEFORE.finditer(text)}
    )
    for pattern in (_SPEAKER_AFTER, _SPEAKER_BEFORE):
        for m in pattern.finditer(text):
            name = m.group(1)
            if any(word not in people for word in name.split()):
                continue
            others = [n for n in names if n in people and n not in name.split()] or [
                "Thompson",
                "Ramirez",
                "Okafor",
                "Lindqvist",
            ]
            sites["speaker"].append(
                Edit(m.start(1), m.end(1), rng.choice(others), "alter:speaker", name)
            )
    sites["speaker"] = [
        site
        for site in _dedupe(sites["speaker"] + _ner_speaker_sites(text, ents, quotes, rng))
        if _speaks(text, site.start, site.end)
    ]
    sites["place"].extend(_ner_place_sites(text, ents, quotes, rng))
    for place in sorted(set(PLACES), key=len, reverse=True):
        for m in re.finditer(rf"\b(?:in|to|from|at|near) ({re.escape(place)})\b", text):
            if _inside(m.start(), quotes):
                continue
            other = rng.choice([p for p in PLACES if p != place and p not in text])
            sites["place"].append(Edit(m.start(1), m.end(1), other, "alter:place", place))
    for m in re.finditer(r"\b(" + "|".join(WEEKDAYS) + r")\b", text):
        if _inside(m.start(), quotes):
            continue
        other = WEEKDAYS[(WEEKDAYS.index(m.group(1)) + rng.randint(2, 5)) % 7]
        sites["date"].append(Edit(m.start(), m.end(), other, "alter:date", m.group(1)))
    for m in _DATE.finditer(text):
        if _inside(m.start(), quotes) or int(m.group(2)) > 31:
            continue
        day = int(m.group(2))
        other = rng.choice([d for d in range(1, 29) if abs(d - day) >= 2])
        sites["date"].append(Edit(m.start(2), m.end(2), str(other), "alter:date", m.group(2)))
    sites["place"] = _dedupe(sites["place"])
    return {kind: edits for kind, edits in sites.items() if edits}


_VERB_AFTER_NAME = re.compile(r"(?:,[^,\n]{1,60},)?\s+(?:" + SPEECH + r"|says)\b")
_VERB_BEFORE_NAME = re.compile(
    r"[\"”],?\s+(?:" + SPEECH + r"|says)\s+(?:(?:[a-z]+|[A-Z][a-z]{0,4}\.)\s+){0,2}$"
    r"|\b[Aa]ccording to\s+$"
)


def _speaks(text: str, start: int, end: int) -> bool:
    """The name at ``start:end`` is the one a quotation is given to: the subject
    right before its speech verb ("Lisa Su, AMD's chief, said"), the name after
    a closing mark and the verb ('," said agent Mark Roesler'), or "according
    to" it. Not a name the verb's clause is about ("Fowler said Ben is"), an
    addressee ("told Nixon that"), one whose words are recalled ("recalling
    Magruder's words, told"), nor a title cut short ("Dist. Atty. Steve")."""
    if (
        text[end : end + 1] == "."
        and re.match(r"\. [A-Z]", text[end : end + 3])
        and end - start <= 5
    ):
        return False
    before = text[max(0, start - 40) : start]
    return bool(_VERB_AFTER_NAME.match(text, end) or _VERB_BEFORE_NAME.search(before))


def _dedupe(edits: list[Edit]) -> list[Edit]:
    """One site per stretch of text (two patterns may find one name)."""
    kept: list[Edit] = []
    for edit in edits:
        if not any(_overlap((edit.start, edit.end), (k.start, k.end)) for k in kept):
            kept.append(edit)
    return kept


def _changed_number(number: float, rng: random.Random) -> int | float:
    if not float(number).is_integer():
        return round(number * rng.choice([0.6, 1.5, 2]), 1)
    n = int(number)
    factor = rng.choice([0.5, 0.7, 1.4, 1.8, 3])
    changed = max(2, round(n * factor))
    return changed if changed != n else n + 3


# ------------------------------------------------------------ copies


def apply(text: str, edits: list[Edit]) -> tuple[str, list[dict]]:
    """The copy, and each alteration with its span in the copy."""
    out, cursor, shift = [], 0, 0
    records = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):  # insertions first
        out.append(text[cursor : edit.start])
        start_in_copy = edit.start + shift
        out.append(edit.replacement)
        if edit.kind.startswith("alter:"):
            records.append(
                {
                    "kind": edit.kind[6:],
                    "span": [start_in_copy, start_in_copy + len(edit.replacement)],
                    "before": edit.before,
                    "after": edit.replacement,
                }
            )
        shift += len(edit.replacement) - (edit.end - edit.start)
        cursor = edit.end
    out.append(text[cursor:])
    return "".join(out), records


def make_copies(
    doc_id: str, text: str, rng: random.Random, kind_counter: dict[str, int]
) -> list[dict]:
    copies = []
    published = date(2008, 1, 1) + timedelta(days=rng.randrange(6 * 365))
    harmless = harmless_edits(text, rng, [], published)
    copy, _ = apply(text, harmless)
    copy, _, moves = reorder(copy, [], rng)
    copies.append(
        {
            "origin_id": doc_id,
            "copy_id": f"{doc_id}~h",
            "copy": copy,
            "published": published.isoformat(),
            "alterations": [],
            "harmless": sorted({e.kind for e in harmless} | set(moves)),
        }
    )
    sites = alteration_sites(text, rng)
    kinds = sorted(sites, key=lambda k: (kind_counter.get(k, 0), rng.random()))[:2]
    for n, kind in enumerate(kinds):
        kind_counter[kind] = kind_counter.get(kind, 0) + 1
        alteration = rng.choice(sites[kind])
        sentence = next(
            ((s, e) for s, e in sentences(text) if s <= alteration.start < e),
            (alteration.start, alteration.end),
        )
        # half the copies reword the altered sentence too (outside the altered words)
        keep = sentence if rng.random() < 0.5 else (alteration.start - 2, alteration.end + 2)
        edits = harmless_edits(text, rng, [keep], published) + [alteration]
        if keep != sentence:  # never drop the altered sentence
            edits = [
                e
                for e in edits
                if e.kind != "drop_sentence" or e.end <= sentence[0] or e.start >= sentence[1]
            ]
        copy, records = apply(text, edits)
        copy, records, moves = reorder(copy, records, rng)
        copies.append(
            {
                "origin_id": doc_id,
                "copy_id": f"{doc_id}~a{n}",
                "copy": copy,
                "published": published.isoformat(),
                "alterations": records,
                "harmless": sorted(
                    {e.kind for e in edits if not e.kind.startswith("alter:")} | set(moves)
                ),
            }
        )
    return copies


def generate(corpus: Path, limit: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    files = sorted(p for p in corpus.glob("*.txt"))
    rng.shuffle(files)
    items, counter = [], {}
    for path in files[:limit]:
        text = path.read_text(encoding="utf-8")
        for copy in make_copies(path.stem, text, rng, counter):
            copy["origin"] = text
            items.append(copy)
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=None, help="JSON Lines file (default: standard output)"
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"error: {args.corpus}: not a directory of .txt articles", file=sys.stderr)
        return 2
    items = generate(args.corpus, args.limit, args.seed)
    lines = "\n".join(json.dumps(item, ensure_ascii=False) for item in items) + "\n"
    if args.out:
        args.out.write_text(lines, encoding="utf-8")
    else:
        sys.stdout.write(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
