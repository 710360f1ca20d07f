"""Precision of the facts stage's flags on real articles of one event, hand-labelled.

Generated copies test the rules against the edits their generator knows; real
outlets covering one event differ in ways no generator makes (quoted speech
with its own "yesterday", a show called "Today", a weekday seen from two
publication dates). This script runs the facts stage over real same-event
groups — BASIL dev events (three outlets, dated), ECB+ dev gold stories
(undated), the seeds and PAC (two opposite-leaning outlets per event,
a clone of github.com/launchnlp/Partisan-Event-Dataset given by ``NEWSTRACE_PAC``) — and either lists every ``altered``/``conflict`` flag
(``--collect``, to sample and label by hand) or scores the labels in
``eval/facts_real_flags.jsonl`` (BASIL, ECB+, seeds) and
``eval/facts_real_flags_pac.jsonl`` (PAC): each labelled flag is ``real``
(the articles do give different values of the same fact) or ``misreading``
(the stage read one of them wrong), with a reason. The first sample is split
by a hash of each flag's key into halves ``A`` and ``B``; PAC by a hash of the
story id into ``C`` and ``D``. Rules may be fixed from A, B and C; D is
labelled and reported only.

Score: a labelled flag still raised counts as a true flag if ``real``, a false
one if ``misreading``; precision = true / raised, per half. Flags raised now
that match no label are counted, not judged.

    python eval/score_real_flags.py --collect /tmp/real-flags.jsonl [--corpora pac]
    python eval/score_real_flags.py
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from basil_data import basil_documents
from ecb_data import SHARED, load_documents, load_gold
from pac_data import flag_sample_records, pac_document

from newstrace.facts import compare_facts
from newstrace.model import Document, Fact, Story

HERE = Path(__file__).resolve().parent
LABELS = (HERE / "facts_real_flags.jsonl", HERE / "facts_real_flags_pac.jsonl")
HALVES = ("A", "B", "C", "D")
FLAGS = ("altered", "conflict")


def basil_groups() -> tuple[list[Document], list[Story]]:
    documents, gold = basil_documents(dated=True)
    members: dict[str, list[str]] = {}
    for doc in documents:
        members.setdefault(f"basil:{gold[doc.id]}", []).append(doc.id)
    return documents, [Story(id=k, title=k, documents=v) for k, v in members.items()]


def ecb_groups() -> tuple[list[Document], list[Story]]:
    gold = load_gold()
    documents = load_documents(gold)
    members: dict[str, list[str]] = {}
    for row, doc in zip(gold, documents):
        members.setdefault(f"ecb:{row['story']}", []).append(doc.id)
    return documents, [Story(id=k, title=k, documents=v) for k, v in members.items() if len(v) > 1]


PAC = Path(os.environ.get("NEWSTRACE_PAC", SHARED.parent / "data" / "Partisan-Event-Dataset"))


def pac_groups() -> tuple[list[Document], list[Story]]:
    """PAC: 107 stories of two articles from opposite-leaning outlets (one sentence a line).

    Read from a clone of github.com/launchnlp/Partisan-Event-Dataset (``NEWSTRACE_PAC``)
    through ``pac_data.flag_sample_records``, the text the PAC labels' offsets refer to.
    """
    try:
        records = flag_sample_records(PAC)
    except SystemExit as missing:
        print(f"PAC skipped: {missing} (or set NEWSTRACE_PAC)", file=sys.stderr)
        return [], []
    documents = [pac_document(r) for r in records]
    members: dict[str, list[str]] = {}
    for r in records:
        members.setdefault(f"pac:{r['story']}", []).append(r["id"])
    return documents, [Story(id=k, title=k, documents=v) for k, v in members.items()]


def seed_group() -> tuple[list[Document], list[Story]]:
    paths = sorted((SHARED / "seeds").glob("*.txt"))
    documents = [
        Document(id=p.name[:3], origin=str(p), text=p.read_text(encoding="utf-8")) for p in paths
    ]
    return documents, [Story(id="seeds", title="seeds", documents=[d.id for d in documents])]


GROUPS = {"basil": basil_groups, "ecb": ecb_groups, "seeds": seed_group, "pac": pac_groups}


def flag_key(story: Story, fact: Fact) -> list[str]:
    """The statements of a flag, as ``doc@start`` of their spans: stable while rules change."""
    return sorted({f"{s.doc}@{s.span[0]}" for s in fact.statements})


def half_of(story_id: str, key: list[str]) -> str:
    """A/B for the first sample (by flag); C/D for PAC, by story, so a story's flags stay together."""
    if story_id.startswith("pac:"):
        story_digest = hashlib.sha1(story_id.encode()).hexdigest()
        return "C" if int(story_digest[:8], 16) % 2 == 0 else "D"
    digest = hashlib.sha1((story_id + "|" + " ".join(key)).encode()).hexdigest()
    return "A" if int(digest[:8], 16) % 2 == 0 else "B"


def raised_flags(corpora: list[str], only_stories: set[str] | None = None) -> list[dict]:
    """Every flag the stage raises now over the named corpora."""
    rows = []
    for corpus in corpora:
        documents, stories = GROUPS[corpus]()
        if only_stories is not None:
            stories = [s for s in stories if s.id in only_stories]
        wanted = {d for s in stories for d in s.documents}
        documents = [d for d in documents if d.id in wanted]
        compare_facts(documents, stories)
        for story in stories:
            rows.extend(_flag_rows(story))
    return rows


def _flag_rows(story: Story) -> list[dict]:
    rows = []
    for fact in story.facts:
        if fact.verdict not in FLAGS:
            continue
        key = flag_key(story, fact)
        rows.append(
            {
                "story": story.id,
                "kind": fact.kind,
                "key": key,
                "half": half_of(story.id, key),
                "explanation": fact.explanation,
                "statements": [
                    {"doc": s.doc, "text": s.text[:400], "value": s.value} for s in fact.statements
                ],
            }
        )
    return rows


def _matches(label: dict, row: dict) -> bool:
    """The same flag: same story and kind, and at least two statements in common."""
    if label["story"] != row["story"] or label["kind"] != row["kind"]:
        return False
    return len(set(label["key"]) & set(row["key"])) >= 2


def half_figures(labels: list[dict], rows: list[dict]) -> dict[str, dict]:
    """Per half: labelled, real, still raised, true, precision and the share of real flags kept."""
    out = {}
    for half in HALVES:
        part = [lab for lab in labels if lab["half"] == half]
        raised = [lab for lab in part if any(_matches(lab, r) for r in rows)]
        true = sum(lab["label"] == "real" for lab in raised)
        real_total = sum(lab["label"] == "real" for lab in part)
        out[half] = {
            "labelled": len(part),
            "real": real_total,
            "raised": len(raised),
            "true": true,
            "precision": true / len(raised) if raised else 1.0,
            "real_kept": true / real_total if real_total else 1.0,
        }
    return out


def score(labels: list[dict], rows: list[dict], show: str = "") -> None:
    for half, f in half_figures(labels, rows).items():
        print(
            f"half {half}: labelled {f['labelled']} ({f['real']} real); still raised {f['raised']}; "
            f"precision {f['precision']:.3f} ({f['true']}/{f['raised']}); real flags kept {f['true']}/{f['real']}"
        )
    unlabelled = [r for r in rows if not any(_matches(lab, r) for lab in labels)]
    print(f"flags raised in the labelled stories that match no label: {len(unlabelled)}")
    for row in unlabelled:
        if row["half"] in show:
            print(f"  {row['half']} unlabelled: {row['explanation'][:300]}")
    for lab in labels:
        if lab["half"] not in show:
            continue
        raised = any(_matches(lab, r) for r in rows)
        if raised != (lab["label"] == "real"):
            state = "still raised" if raised else "no longer raised"
            print(f"  {lab['half']} {lab['label']} {state}: {lab['reason']}")


def labelled_flags() -> list[dict]:
    """Every hand-labelled flag, BASIL/ECB+/seeds and PAC."""
    return [
        json.loads(line)
        for path in LABELS
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collect", metavar="OUT", help="write every flag raised now, to label")
    parser.add_argument("--corpora", default="basil,ecb,seeds,pac")
    parser.add_argument(
        "--show", default="", help="halves whose wrong calls to list: only tuning halves (A, B, C)"
    )
    args = parser.parse_args(argv)
    corpora = args.corpora.split(",")
    if args.collect:
        rows = raised_flags(corpora)
        with open(args.collect, "w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        print(f"{len(rows)} flags written to {args.collect}", file=sys.stderr)
        return 0
    labels = labelled_flags()
    stories = {lab["story"] for lab in labels}
    used = sorted({s.split(":", 1)[0] for s in stories if ":" in s} | {"seeds"} & stories)
    rows = raised_flags([c for c in corpora if c in used], stories)
    score(labels, rows, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
