"""What tells one event from a similar one, as sparse vectors per document.

Two earthquakes in one region share a topic vocabulary; they differ in the
people, places and organisations at their centre, in their dates and in their
numbers (a magnitude, a death toll). So each document becomes a few hashed
bags, each weighted and compared on its own:

- ``words`` and ``lead``: content words of the whole text and of the headline
  and first lines (the key terms of the event);
- years anywhere in the text, counted, and the most frequent one; and the
  years in the lead (a dateline, "in 2005"), where a report names its own
  event's year rather than a past one told as background;
- ``people``, ``orgs``, ``places``, ``misc``: named entities, a mention in the
  lead counting three times (centrality); people are keyed by surname so
  "Lindsay Lohan" and "Lohan" meet;
- ``numbers``: quantities, normalised ("7.3", "seven", "81st"), years excluded;
- ``dates``: years, month-day dates and weekdays named in the text (without a
  publication date, "on Monday" against "on Tuesday" still tells two visits
  apart); with one, relative dates ("on Monday", "yesterday") also as the
  day they name, resolved against the article's own publication day;
- ``central`` and ``mentioned``: the names in the lead, and all names, as
  sets (unweighted), to see whether each article mentions the other's central names;
- one MiniLM embedding of the headline and lead (whole texts would cost far
  more than the rest of the stage together).

Raw counts are kept apart from their weights: inverse document frequency comes
from the corpus in batch and from running counts in a stream (``DocumentFrequency``),
so batch and incremental grouping share everything else. Hashing (scikit-learn's
``FeatureHasher``/``HashingVectorizer``) keeps memory fixed however many
articles pass.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer

from newstrace.facts.dates import resolve
from newstrace.ingest.dates import published_day
from newstrace.model import Document
from newstrace.nlp import document_entities, embed
from newstrace.progress import track

N_FEATURES = 2**20
LEAD_CHARS = 400
LEAD_WEIGHT = 3.0
TABLES = ("words", "lead", "people", "orgs", "places", "misc", "numbers", "dates")
NAME_TABLES = ("people", "orgs", "places", "misc")
COVERAGE_TABLES = ("central", "mentioned", "central_people", "central_orgs")
YEAR_TABLES = ("year_mentions", "main_year", "lead_years")
"""Years written anywhere in the text (datelines included), counted, the
most frequent one, and those in the lead: two reports of similar events
years apart are told apart by their years more than by anything else in
ECB+ (see ``pairs``). Years in the body are often background (an earlier
event retold); the lead's are nearly always the event's own, so two leads
naming different years are a strong sign of two events (of ECB+'s candidate
pairs, 2.4% of those are one event, against 6.6% where the years anywhere
in the texts differ). A year both leads name is evidence only as far as it
is rare: in a stream from one year every dateline names it. So lead years
are counted like the bags (``DocumentFrequency``) and a shared one weighs
its rarity, log(N / document frequency)."""
COUNTED_TABLES = (*TABLES, "lead_years")
"""Tables whose document frequencies are kept: the bags, and the lead's years for their rarity."""
DATE_KINDS = {"y": "years", "w": "weekdays", "m": "days"}
"""Date keys by kind, as sets: two articles naming different weekdays (or
years, or days) and none in common likely report different events."""
"""Binary sets of names: those in the lead, and all; an event's central names
are mentioned by every article on it (see ``pairs``, ``coverage``)."""
ENTITY_TABLES = {
    "PERSON": "people",
    "ORG": "orgs",
    "GPE": "places",
    "LOC": "places",
    "FAC": "places",
    "NORP": "misc",
    "EVENT": "misc",
    "WORK_OF_ART": "misc",
    "PRODUCT": "misc",
    "LAW": "misc",
}
NUMBER_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"}

_WORDS = HashingVectorizer(
    n_features=N_FEATURES,
    alternate_sign=False,
    norm=None,
    stop_words=sorted(ENGLISH_STOP_WORDS),
    token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b",
    dtype=np.float32,
)
_BAGS = FeatureHasher(n_features=N_FEATURES, alternate_sign=False, dtype=np.float32)

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_ORDINAL_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
        ]
    )
}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_TEXT_YEAR = re.compile(r"(?<![\d,.$])\b(19[5-9]\d|20[0-4]\d)\b(?![,.]?\d)")
_DAY = re.compile(r"\b([0-3]?\d)(?:st|nd|rd|th)?\b")
_TOKEN = re.compile(r"[a-z]+")
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|(?:set|due|scheduled|slated|expected|plans?|planning|is|are) to)\b",
    re.IGNORECASE,
)
"""A clause that announces what it dates: the facts stage's rule (``facts.dates._future``,
on the parse) read from the words alone, as stories have no parse of their own."""
_TRIM = re.compile(r"^(?:the|a|an)\s+|['\u2019]s$|[^\w\s.&-]")


@dataclass
class RawFeatures:
    """Unweighted features of a batch of documents, one row each."""

    tables: dict[str, sp.csr_matrix]
    lead_vectors: np.ndarray
    published: list[date | None]
    lengths: np.ndarray

    def __len__(self) -> int:
        return self.lengths.shape[0]

    @classmethod
    def stack(cls, parts: list[RawFeatures]) -> RawFeatures:
        """The rows of ``parts`` (at least one), in order, as one batch."""
        return cls(
            {name: _stack_rows([p.tables[name] for p in parts]) for name in parts[0].tables},
            np.concatenate([p.lead_vectors for p in parts]),
            [d for p in parts for d in p.published],
            np.concatenate([p.lengths for p in parts]),
        )

    def rows(self, index: np.ndarray | list[int]) -> RawFeatures:
        index = np.asarray(index, dtype=np.int64)
        contiguous = len(index) > 0 and index[0] >= 0 and bool(np.all(np.diff(index) == 1))
        return RawFeatures(
            {
                name: _row_range(table, int(index[0]), int(index[-1]) + 1)
                if contiguous
                else table[index]
                for name, table in self.tables.items()
            },
            self.lead_vectors[index],
            [self.published[i] for i in index],
            self.lengths[index],
        )


def _stack_rows(tables: list[sp.csr_matrix]) -> sp.csr_matrix:
    """``sp.vstack(tables, format="csr")`` in one construction: the story index stacks a few rows
    per arriving article, where scipy's general checks cost more than the copying."""
    parts = [table.tocsr() for table in tables]
    return csr_from_rows(
        [part.indices[part.indptr[0] : part.indptr[-1]] for part in parts],
        [part.data[part.indptr[0] : part.indptr[-1]] for part in parts],
        np.concatenate([np.diff(part.indptr) for part in parts]),
        parts[0].shape[1],
    )


def csr_from_rows(
    indices: list[np.ndarray], values: list[np.ndarray], counts, width: int
) -> sp.csr_matrix:
    """One CSR matrix from consecutive runs of entries; ``counts`` holds the entries of each row."""
    counts = np.asarray(counts, dtype=np.int64)
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return sp.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), indptr), shape=(len(counts), width)
    )


def _row_range(table: sp.csr_matrix, start: int, stop: int) -> sp.csr_matrix:
    """Rows ``start:stop`` of ``table`` (copied), without scipy's fancy-indexing path."""
    low, high = table.indptr[start], table.indptr[stop]
    return sp.csr_matrix(
        (
            table.data[low:high].copy(),
            table.indices[low:high].copy(),
            table.indptr[start : stop + 1] - low,
        ),
        shape=(stop - start, table.shape[1]),
    )


def headline(doc: Document) -> str:
    """The document's headline: its title, or else its first line."""
    if doc.title and doc.title.strip():
        return doc.title.strip()
    return doc.text.strip().split("\n", 1)[0][:200]


def lead_text(doc: Document) -> str:
    """Headline and first lines: where a news article names its event."""
    lead = doc.text[:LEAD_CHARS]
    title = (doc.title or "").strip()
    if title and not doc.text.lstrip().startswith(title[:40]):
        lead = f"{title}\n{lead}"
    return lead


def extract(documents: list[Document], use_embeddings: bool = True) -> RawFeatures:
    """Raw features of ``documents`` (runs NER once, cached on each document)."""
    all_entities = document_entities(documents)
    leads = [lead_text(doc) for doc in documents]
    bags: dict[str, list] = {
        name: [] for name in (*TABLES[2:], *COVERAGE_TABLES, *DATE_KINDS.values(), *YEAR_TABLES)
    }
    for doc, lead, found in track(zip(documents, leads, all_entities), "features", len(documents)):
        entity_bags = _entity_bags(doc.text, found, published_day(doc.published))
        for name, bag in entity_bags.items():
            bags[name].append(bag)
        central = _central_names(doc.text, found)
        bags["central"].append(central)
        bags["central_people"].append({k: 1.0 for k in central if k.startswith("people:")})
        bags["central_orgs"].append({k: 1.0 for k in central if k.startswith("orgs:")})
        bags["mentioned"].append({f"{t}:{k}": 1.0 for t in NAME_TABLES for k in entity_bags[t]})
        for prefix, name in DATE_KINDS.items():
            bags[name].append({k: 1.0 for k in entity_bags["dates"] if _date_kind(k) == prefix})
        years = Counter(_TEXT_YEAR.findall(doc.text))
        bags["year_mentions"].append({year: float(count) for year, count in years.items()})
        bags["main_year"].append({years.most_common(1)[0][0]: 1.0} if years else {})
        bags["lead_years"].append(dict.fromkeys(_TEXT_YEAR.findall(lead), 1.0))
    tables = {
        "words": _sublinear(_WORDS.transform([doc.text for doc in documents])),
        "lead": _sublinear(_WORDS.transform(leads)),
    }
    for name, rows in bags.items():
        tables[name] = (
            _BAGS.transform(rows).tocsr()
            if rows
            else sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
        )
    vectors = embed(leads) if use_embeddings else np.zeros((len(documents), 384), dtype=np.float32)
    lengths = np.array([len(doc.text.split()) for doc in documents], dtype=np.float32)
    return RawFeatures(
        tables, vectors, [published_day(doc.published) for doc in documents], lengths
    )


def _sublinear(counts: sp.csr_matrix) -> sp.csr_matrix:
    counts = counts.tocsr()
    counts.data = 1.0 + np.log(counts.data)
    return counts


def _entity_bags(text: str, found, published: date | None) -> dict[str, dict[str, float]]:
    bags: dict[str, dict[str, float]] = {name: {} for name in TABLES[2:]}
    for start, end, label in found:
        weight = LEAD_WEIGHT if start < LEAD_CHARS else 1.0
        surface = text[start:end]
        keys = _entity_keys(surface, label)
        if label == "DATE":
            future = bool(_FUTURE.search(_clause_before(text, start)))
            keys += [("dates", key) for key in _resolved_day_keys(surface, published, future)]
        for table, key in keys:
            bags[table][key] = bags[table].get(key, 0.0) + weight
    return {name: {k: float(np.log1p(v)) for k, v in bag.items()} for name, bag in bags.items()}


def _date_kind(key: str) -> str | None:
    """ "y" year, "w" weekday, "m" month and day; None for a bare month."""
    if key.startswith("m"):
        return "m" if "-" in key else None
    return key[0]


def _central_names(text: str, found) -> dict[str, float]:
    central = {}
    for start, end, label in found:
        if start < LEAD_CHARS and ENTITY_TABLES.get(label) in NAME_TABLES:
            for table, key in _entity_keys(text[start:end], label):
                central[f"{table}:{key}"] = 1.0
    return central


def _entity_keys(surface: str, label: str) -> list[tuple[str, str]]:
    if label in ENTITY_TABLES:
        name = _normalise_name(surface)
        if not name:
            return []
        if label == "PERSON":
            name = name.split()[-1]
        return [(ENTITY_TABLES[label], name)]
    if label == "DATE":
        return [("dates", key) for key in _date_keys(surface)]
    if label in NUMBER_LABELS:
        value = _number_value(surface)
        return [] if value is None else [("numbers", f"{value:g}")]
    return []


def _normalise_name(surface: str) -> str:
    name = " ".join(surface.lower().split())
    for _ in range(2):
        name = _TRIM.sub("", name).strip()
    return name


def _date_keys(surface: str) -> list[str]:
    lower = surface.lower()
    keys = [f"y{year}" for year in _YEAR.findall(lower)]
    words = _TOKEN.findall(lower)
    keys.extend(f"w{word}" for word in words if word in _WEEKDAYS)
    month = next((_MONTHS[w] for w in words if w in _MONTHS), None)
    if month:
        without_years = _YEAR.sub(" ", lower)
        day = _DAY.search(without_years)
        keys.append(
            f"m{month}-{int(day.group(1))}" if day and 0 < int(day.group(1)) <= 31 else f"m{month}"
        )
    return keys


def _clause_before(text: str, start: int) -> str:
    """The words of the sentence before ``start`` (at most 80 characters back)."""
    before = text[max(0, start - 80) : start]
    return re.split(r"[.!?\n]", before)[-1]


def _resolved_day_keys(surface: str, published: date | None, future: bool = False) -> list[str]:
    """A relative date as the day it names, counted from the article's own publication day.

    "On Tuesday" in an article of Wednesday 23 October 2024 is 22 October
    ("m10-22", the key "October 22" gets), as is "yesterday"; the same
    "on Tuesday" a week later is 29 October. So two reports of one event agree
    on its day however each words it, and two visits weeks apart that each
    happened "on Tuesday" name different days. Dates that name their month
    already have their key; weeks and months ("last week") name no one day.
    Without a publication date nothing is added. ``future``: the clause
    before the date announces it ("will arrive on Tuesday", "is set to meet
    on Tuesday"), so a bare weekday is the coming one, as the facts stage
    reads it (``facts.dates.resolve``); a preview and a report of one visit
    then name the same day.
    """
    if published is None or any(w in _MONTHS for w in _TOKEN.findall(surface.lower())):
        return []
    when = resolve(surface, published, future)
    if when is None or when.month is None or when.day is None or when.vague or when.window:
        return []
    return [f"m{when.month}-{when.day}"]


def _number_value(surface: str) -> float | None:
    lower = surface.lower().replace("\u2009", "")
    if _YEAR.fullmatch(lower.strip()):
        return None
    match = _NUMBER.search(lower)
    words = _TOKEN.findall(lower)
    value: float | None
    if match:
        value = float(match.group().replace(",", ""))
    else:
        value = next(
            (
                _NUMBER_WORDS.get(w, _ORDINAL_WORDS.get(w))
                for w in words
                if w in _NUMBER_WORDS or w in _ORDINAL_WORDS
            ),
            None,
        )
        if value is None:
            return None
    for word in words:
        if word in _SCALES:
            value *= _SCALES[word]
    return float(value)


class DocumentFrequency:
    """Document frequencies per table, hashed: fixed memory for any stream."""

    def __init__(self) -> None:
        self.counts = {name: np.zeros(N_FEATURES, dtype=np.int32) for name in COUNTED_TABLES}
        self.documents = 0

    def add(self, raw: RawFeatures) -> None:
        for name in COUNTED_TABLES:
            table = raw.tables[name]
            np.add.at(self.counts[name], table.indices, 1)
        self.documents += len(raw)

    def weigh(self, raw: RawFeatures) -> dict[str, sp.csr_matrix]:
        """TF-IDF rows, L2-normalised, for each table (IDF only where a row has entries),
        and ``lead_years`` as each year's rarity, log(N / document frequency), at least 0."""
        weighted = {}
        for name in TABLES:
            rows = sp.csr_matrix(raw.tables[name], dtype=np.float32, copy=True)
            counts = self.counts[name][rows.indices]
            rows.data *= (np.log((self.documents + 1.0) / (counts + 1.0)) + 1.0).astype(np.float32)
            weighted[name] = _normalise_rows(rows)
        years = sp.csr_matrix(raw.tables["lead_years"], dtype=np.float32, copy=True)
        counts = np.maximum(self.counts["lead_years"][years.indices], 1)
        years.data = np.maximum(np.log(max(self.documents, 1) / counts), 0.0).astype(np.float32)
        weighted["lead_years"] = years
        return weighted


def _normalise_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    squares = matrix.copy()
    squares.data **= 2
    norms = np.sqrt(np.asarray(squares.sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    matrix.data /= np.repeat(norms, np.diff(matrix.indptr)).astype(np.float32)
    return matrix
