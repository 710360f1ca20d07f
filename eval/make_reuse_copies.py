"""Derived copies of real ECB+ articles, for scoring the reuse stage.

Each chosen original gets one copy "published later by another outlet", made
by one of these edits (no paraphrase model is available, so paraphrase is
rule-based):

- ``verbatim``: the same body under another headline, sometimes with furniture.
- ``light``: a few word swaps, number formats ("1,200" -> "1200", "five" -> "5"),
  one sentence dropped, page furniture added around the text.
- ``paraphrase``: synonym substitution, clause reordering ("After X, Y." ->
  "Y after X."; "X, Z said." -> "Z said X."), long sentences split at "and" /
  "which", short neighbours merged, sentences dropped and trailing clauses
  cut, furniture added.
- ``heavy``: the same, harder: every known synonym swapped, a quarter of the
  sentences dropped, half of the rest cut after their last comma.

Usage as a script writes the corpus to a folder (one .txt per document and a
truth.jsonl); ``score_reuse.py`` imports :func:`make_corpus` directly.
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

ECB = Path(__file__).resolve().parents[2] / "shared" / "dev" / "ecb"
KINDS = ("verbatim", "light", "paraphrase", "heavy")

SYNONYMS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "killed": "slain",
    "died": "perished",
    "people": "individuals",
    "police": "authorities",
    "officials": "authorities",
    "announced": "revealed",
    "reported": "stated",
    "began": "started",
    "start": "beginning",
    "started": "began",
    "large": "big",
    "big": "major",
    "many": "numerous",
    "several": "a number of",
    "about": "around",
    "around": "roughly",
    "near": "close to",
    "after": "following",
    "before": "prior to",
    "because": "since",
    "also": "additionally",
    "but": "however",
    "however": "nevertheless",
    "including": "among them",
    "help": "assist",
    "helped": "assisted",
    "show": "display",
    "showed": "indicated",
    "shows": "indicates",
    "win": "victory",
    "won": "secured",
    "new": "fresh",
    "first": "initial",
    "home": "residence",
    "house": "residence",
    "car": "vehicle",
    "cars": "vehicles",
    "hit": "struck",
    "struck": "hit",
    "fire": "blaze",
    "quake": "tremor",
    "earthquake": "tremor",
    "arrested": "detained",
    "charged": "accused",
    "hospital": "medical center",
    "company": "firm",
    "deal": "agreement",
    "buy": "purchase",
    "bought": "purchased",
    "job": "position",
    "jobs": "positions",
    "fired": "dismissed",
    "team": "squad",
    "game": "match",
    "season": "campaign",
    "film": "movie",
    "movie": "film",
    "star": "celebrity",
    "died.": "passed away.",
    "leader": "head",
    "according": "as per",
    "statement": "release",
    "week": "seven days",
    "month": "four weeks",
    "attack": "assault",
    "attacks": "assaults",
    "injured": "wounded",
    "wounded": "injured",
    "biggest": "largest",
    "largest": "biggest",
    "major": "significant",
    "important": "key",
    "victims": "casualties",
    "residents": "locals",
    "town": "municipality",
    "city": "metropolis",
    "country": "nation",
    "government": "administration",
    "quickly": "rapidly",
    "later": "subsequently",
    "expected": "anticipated",
    "plans": "intends",
    "planned": "intended",
    "wants": "seeks",
    "need": "require",
}
NUMBER_WORDS = {
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
SUBORDINATORS = (
    "After",
    "When",
    "While",
    "Although",
    "As",
    "Despite",
    "Following",
    "Before",
    "Since",
    "Because",
)
FURNITURE_BEFORE = [
    "Home > News > World",
    "Share this article",
    "Advertisement",
    "Breaking News",
    "Listen to this article",
]
FURNITURE_AFTER = [
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Follow us on Twitter and Facebook for the latest updates.",
    "Click to share on WhatsApp",
    "Subscribe to our newsletter to get the day's top stories.",
    "Copyright 2013 All rights reserved.",
    "For continuous updates and in-depth analysis, visit [your website link].",
    "Read more: Latest Updates",
]
_SENTENCE = re.compile(
    r"(?:(?<=[.!?])|(?<=[.!?][\"”]))(?<!\b[A-Z]\.)(?<!Dr\.|Mr\.|Ms\.|St\.)\s+(?=[A-Z“\"])"
)


@dataclass
class CorpusDoc:
    id: str
    text: str
    title: str
    source: str
    published: str
    story: str
    copy_of: str | None = None
    kind: str | None = None


@dataclass
class Corpus:
    documents: list[CorpusDoc] = field(default_factory=list)

    def copies(self) -> list[CorpusDoc]:
        return [d for d in self.documents if d.copy_of]


def read_ecb(folder: Path = ECB) -> list[tuple[str, str, str, str]]:
    """(doc id, headline, body, story label) for every ECB+ article."""
    gold = [
        json.loads(line)
        for line in (folder / "gold.jsonl").read_text().splitlines()
        if line.strip()
    ]
    out = []
    for row in gold:
        lines = (folder / row["doc"]).read_text(encoding="utf-8").strip().split("\n")
        out.append(
            (
                row["doc"].removesuffix(".txt"),
                lines[0].strip(),
                "\n".join(lines[1:]).strip(),
                row["story"],
            )
        )
    return out


def make_corpus(n_originals: int = 160, seed: int = 7, folder: Path = ECB) -> Corpus:
    """All ECB articles as published originals, plus one derived copy of ``n_originals`` of them."""
    rng = random.Random(seed)
    articles = read_ecb(folder)
    base = datetime(2013, 1, 1, 8, 0)
    corpus = Corpus()
    for n, (doc_id, title, body, story) in enumerate(articles):
        when = base + timedelta(days=rng.randrange(300), minutes=rng.randrange(600))
        corpus.documents.append(
            CorpusDoc(doc_id, body, title, f"outlet{n % 40}.example", when.isoformat(), story)
        )
    eligible = [d for d in corpus.documents if len(split_sentences(d.text)) >= 3]
    for n, original in enumerate(rng.sample(eligible, min(n_originals, len(eligible)))):
        kind = KINDS[n % len(KINDS)]
        later = datetime.fromisoformat(original.published) + timedelta(hours=rng.randint(1, 72))
        corpus.documents.append(
            CorpusDoc(
                f"{original.id}-{kind}",
                derive(original.text, kind, rng),
                _retitle(original.title, rng),
                f"copier{n % 25}.example",
                later.isoformat(),
                original.story,
                original.id,
                kind,
            )
        )
    return corpus


def split_sentences(text: str) -> list[str]:
    return [s for line in text.split("\n") for s in _SENTENCE.split(line.strip()) if s.strip()]


def derive(text: str, kind: str, rng: random.Random) -> str:
    sentences = split_sentences(text)
    if kind == "verbatim":
        body = "\n".join(text.split("\n"))
        return _with_furniture(body, rng) if rng.random() < 0.5 else body
    if kind == "light":
        sentences = _drop(sentences, rng, 1)
        sentences = [_swap_words(_number_format(s), rng, rate=0.08) for s in sentences]
        return _with_furniture("\n".join(sentences), rng)
    heavy = kind == "heavy"
    sentences = [_reorder_clauses(s) for s in sentences]
    sentences = [_swap_words(s, rng, rate=1.0 if heavy else 0.6) for s in sentences]
    sentences = _split_and_merge(sentences, rng)
    sentences = _drop(sentences, rng, max(1, len(sentences) // (4 if heavy else 6)))
    sentences = [_compress(s) if rng.random() < (0.5 if heavy else 0.25) else s for s in sentences]
    return _with_furniture("\n".join(sentences), rng)


def _drop(sentences: list[str], rng: random.Random, count: int) -> list[str]:
    if len(sentences) <= 3:
        return sentences
    droppable = list(range(1, len(sentences)))
    gone = set(rng.sample(droppable, min(count, len(droppable) - 2)))
    return [s for k, s in enumerate(sentences) if k not in gone]


def _swap_words(sentence: str, rng: random.Random, rate: float) -> str:
    def swap(match: re.Match) -> str:
        word = match.group()
        replacement = SYNONYMS.get(word.lower())
        if not replacement or rng.random() > rate:
            return word
        return replacement.capitalize() if word[0].isupper() else replacement

    return re.sub(
        r"[A-Za-z]+\.?", lambda m: swap(m) if not m.group().endswith(".") else m.group(), sentence
    )


def _number_format(sentence: str) -> str:
    sentence = re.sub(r"(?<=\d),(?=\d{3}\b)", "", sentence)
    return re.sub(
        r"\b(" + "|".join(NUMBER_WORDS) + r")\b", lambda m: NUMBER_WORDS[m.group()], sentence
    )


def _reorder_clauses(sentence: str) -> str:
    words = sentence.split()
    if (
        words
        and words[0].rstrip(",") in SUBORDINATORS
        and ", " in sentence
        and sentence.endswith(".")
    ):
        head, tail = sentence[:-1].split(", ", 1)
        return f"{tail[0].upper()}{tail[1:]} {head[0].lower()}{head[1:]}."
    match = re.match(r"^[\"“](.+?),?[\"”],? (\w+(?: \w+)?) said\.$", sentence)
    if match:
        return f"{match.group(2)} said that {match.group(1)[0].lower()}{match.group(1)[1:]}."
    match = re.match(r"^(.+), (police|officials|authorities|he|she|they) said\.$", sentence)
    if match:
        return f"{match.group(2).capitalize()} said that {match.group(1)[0].lower()}{match.group(1)[1:]}."
    return sentence


def _split_and_merge(sentences: list[str], rng: random.Random) -> list[str]:
    out: list[str] = []
    for sentence in sentences:
        for joint in (", and ", ", which ", "; "):
            if len(sentence.split()) > 22 and joint in sentence:
                head, tail = sentence.split(joint, 1)
                tail = ("This " + tail) if joint == ", which " else tail
                out.extend([head + ".", tail[0].upper() + tail[1:]])
                break
        else:
            if (
                out
                and len(sentence.split()) < 12
                and len(out[-1].split()) < 14
                and rng.random() < 0.5
                and out[-1].endswith(".")
            ):
                out[-1] = out[-1][:-1] + ", while " + sentence[0].lower() + sentence[1:]
            else:
                out.append(sentence)
    return out


def _compress(sentence: str) -> str:
    if sentence.count(", ") and sentence.endswith("."):
        head = sentence.rsplit(", ", 1)[0]
        if len(head.split()) >= 8:
            return head + "."
    return sentence


def _with_furniture(body: str, rng: random.Random) -> str:
    before = rng.sample(FURNITURE_BEFORE, rng.randint(0, 2))
    after = rng.sample(FURNITURE_AFTER, rng.randint(1, 3))
    return "\n".join([*before, body, *after])


def _retitle(title: str, rng: random.Random) -> str:
    return _swap_words(title, rng, rate=0.5) if rng.random() < 0.7 else title


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path("reuse-copies")
    out.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus()
    with (out / "truth.jsonl").open("w") as truth:
        for doc in corpus.documents:
            (out / f"{doc.id}.txt").write_text(doc.title + "\n" + doc.text + "\n", encoding="utf-8")
            truth.write(json.dumps({k: v for k, v in doc.__dict__.items() if k != "text"}) + "\n")
    print(f"wrote {len(corpus.documents)} documents ({len(corpus.copies())} copies) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
