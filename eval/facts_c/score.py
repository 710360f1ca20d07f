"""Score newstrace's facts stage on the derived copies of ``make_copies.py`` (facts_c).

Each pair (a real article and its copy) is analysed on its own, the way a
user would: both texts as one JSON Lines input to ``newstrace.analyze``
(cleaning, grouping, reuse, facts). A flag is a fact whose verdict is
``altered`` or ``conflict``; it is true when one of its statements lies on
the sentence that carries a recorded alteration, in the copy or in the
origin, and false otherwise (on a harmless-only copy every flag is false).

Printed: recall of the recorded alterations, overall and by kind; precision
of the flags; harmless-only copies with any flag (n/N); the same for the
mixed copies. ``--details`` lists every missed alteration and false flag
(for tuning on the tuning seed only, 31; never on the report seed, 32).

    python eval/facts_c/score.py --seed 31            # generate, then score
    python eval/facts_c/score.py /tmp/facts_c_31.jsonl --details
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE)]

FLAGS = ("altered", "conflict")


def analyse_pair(pair: dict, folder: Path):
    """The newstrace report of one pair (origin ``o``, copy ``c``), from a JSON Lines input."""
    import newstrace

    path = folder / f"{pair['id']}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for doc_id, text, published in (
            ("o", pair["origin_text"], pair.get("published")),
            ("c", pair["copy_text"], pair.get("copy_published") or pair.get("published")),
        ):
            record = {"id": doc_id, "title": pair.get("title"), "text": text}
            if published:
                record["published"] = published
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return newstrace.analyze([path], progress=None)


def _sentence_spans(
    report_text: str, raw_text: str, spans: list[list[int]]
) -> list[tuple[int, int]]:
    """Spans of the recorded sentences in the text the report holds (cleaning may have moved them)."""
    out = []
    for start, end in spans:
        sentence = raw_text[start:end]
        at = report_text.find(sentence)
        if at < 0:  # cleaning changed the sentence: fall back to its first 40 characters
            at = report_text.find(sentence[:40])
        if at >= 0:
            out.append((at, at + len(sentence)))
    return out


def _overlaps(span: list[int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)


def score_pair(pair: dict, report) -> dict:
    """Flags of one pair judged against its recorded alterations."""
    docs = {d.origin.rsplit("#", 1)[-1]: d for d in report.documents}
    by_id = {d.id: key for key, d in docs.items()}
    origin, copy = docs.get("o"), docs.get("c")
    located = []
    for alteration in pair["alterations"]:
        located.append(
            {
                "o": _sentence_spans(origin.text, pair["origin_text"], alteration["origin_spans"])
                if origin
                else [],
                "c": _sentence_spans(copy.text, pair["copy_text"], alteration["copy_spans"])
                if copy
                else [],
            }
        )
    same_story = bool(origin and copy and origin.story == copy.story)
    flags = []
    found = [False] * len(pair["alterations"])
    for story in report.stories:
        for fact in story.facts:
            if fact.verdict not in FLAGS:
                continue
            hits = [
                i
                for i, where in enumerate(located)
                for s in fact.statements
                if _overlaps(list(s.span), where.get(by_id.get(s.doc, ""), []))
            ]
            for i in hits:
                found[i] = True
            flags.append(
                {
                    "true": bool(hits),
                    "kind": fact.kind,
                    "verdict": fact.verdict,
                    "subject": fact.subject,
                    "statements": [
                        [by_id.get(s.doc, s.doc), s.text, str(s.value)] for s in fact.statements
                    ],
                }
            )
    return {
        "id": pair["id"],
        "sort": pair["sort"],
        "same_story": same_story,
        "flags": flags,
        "found": found,
    }


def summarise(pairs: list[dict], results: list[dict]) -> list[str]:
    """The printed figures: recall by kind, precision, harmless and mixed copies flagged."""
    by_kind: dict[str, list[int]] = {}
    for pair, result in zip(pairs, results):
        for alteration, found in zip(pair["alterations"], result["found"]):
            counts = by_kind.setdefault(alteration["kind"], [0, 0])
            counts[0] += found
            counts[1] += 1
    found = sum(c[0] for c in by_kind.values())
    total = sum(c[1] for c in by_kind.values())
    flags = [f for r in results for f in r["flags"]]
    true = sum(f["true"] for f in flags)
    sorts = ", ".join(
        f"{sort} {sum(p['sort'] == sort for p in pairs)}"
        for sort in ("altered", "harmless", "mixed")
    )
    lines = [
        f"pairs: {len(pairs)} ({sorts})",
        f"same story: {sum(r['same_story'] for r in results)}/{len(results)}",
        f"recall overall: {found / max(total, 1):.3f} ({found}/{total})",
    ]
    for kind in sorted(by_kind):
        k_found, k_total = by_kind[kind]
        lines.append(f"  recall {kind:<8} {k_found / k_total:.3f} ({k_found}/{k_total})")
    lines.append(f"precision of flags: {true / max(len(flags), 1):.3f} ({true}/{len(flags)})")
    for sort in ("harmless", "mixed", "altered"):
        group = [r for r in results if r["sort"] == sort]
        false = sum(any(not f["true"] for f in r["flags"]) for r in group)
        lines.append(f"{sort} copies with a false flag: {false}/{len(group)}")
    harmless = [r for r in results if r["sort"] == "harmless"]
    flagged = sum(bool(r["flags"]) for r in harmless)
    lines.append(f"harmless-only copies flagged: {flagged}/{len(harmless)}")
    return lines


def details(pairs: list[dict], results: list[dict]) -> list[str]:
    """Every missed alteration and every false flag, for tuning (tuning seed only)."""
    lines = []
    for pair, result in zip(pairs, results):
        for alteration, found in zip(pair["alterations"], result["found"]):
            if not found:
                spans = alteration["copy_spans"]
                sentence = pair["copy_text"][spans[0][0] : spans[0][1]] if spans else "?"
                lines.append(
                    f"MISS {pair['id']} {alteration['kind']}: {alteration['original']!r} -> "
                    f"{alteration['new']!r} | {sentence}"
                )
        for flag in result["flags"]:
            if not flag["true"]:
                lines.append(
                    f"FALSE {pair['id']} ({pair['sort']}; edits {pair['harmless_edits']}) "
                    f"{flag['kind']}/{flag['verdict']} [{flag['subject']}]"
                )
                for doc, text, value in flag["statements"]:
                    lines.append(f"    {doc}: {value!r} | {text[:220]}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("copies", nargs="?", type=Path, help="JSON lines from make_copies.py")
    parser.add_argument("--seed", type=int, help="generate the copies with this seed first")
    parser.add_argument("--json", type=Path, help="write per-pair results here")
    parser.add_argument("--details", action="store_true", help="list misses and false flags")
    args = parser.parse_args()
    if args.seed is not None:
        from make_copies import generate

        pairs = generate(args.seed, 44, 44, 20)
    elif args.copies:
        pairs = [json.loads(line) for line in args.copies.read_text().splitlines() if line]
    else:
        parser.error("give a copies file or --seed")
    started = time.process_time()
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        results = [score_pair(pair, analyse_pair(pair, Path(folder))) for pair in pairs]
    cpu = time.process_time() - started + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
    lines = summarise(pairs, results)
    if args.details:
        lines += details(pairs, results)
    lines.append(f"analysis: {cpu:.1f} s CPU, {time.perf_counter() - wall:.1f} s wall")
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
