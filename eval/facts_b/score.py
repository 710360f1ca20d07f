"""Score newstrace's facts stage on the copies of ``make_copies.py``.

Each (original, copy) pair is analysed on its own through ``newstrace.analyze``
(one process, so models load once) and only the report is read:

- an alteration is *found* when a fact flagged ``altered`` or ``conflict`` has
  a statement in the copy whose span covers or overlaps the altered sentence
  (located in the copy's cleaned text) and the fact's kind fits the
  alteration's (number -> quantity, date -> date, quote_words and speaker ->
  quote, place -> place);
- a flag is a true positive when one of its statements in the copy overlaps an
  altered sentence of that copy (any kind), or, for a speaker alteration, is a
  quote fact in the rest of that paragraph (its later quotations are spoken by
  the new speaker too); every other flag is a false alarm (listed with its
  subject and sentences only with ``--details``: this is the held-out check,
  so rules are not to be fitted to its individual errors);
- harmless-only copies: the share that got any flag.

Usage::

    python eval/facts_b/score.py /tmp/facts_b/copies-101.jsonl [--json out.json]
    python eval/facts_b/score.py --seed 101          # generate, then score
    python eval/facts_b/score.py --seed 101 --details  # every pair and false alarm too
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

FLAGS = ("altered", "conflict")
FITS = {
    "number": {"quantity"},
    "date": {"date"},
    "quote_words": {"quote"},
    "speaker": {"quote"},
    "place": {"place"},
}
_FOLD = {
    "\u201c": '"',
    "\u201d": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u2014": "-",
    "\u2013": "-",
}


def folded(text: str) -> tuple[str, list[int]]:
    """``text`` with quotes, dashes and spacing folded, and each folded char's index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if text.startswith("--", i):
            out.append("-")
            index.append(i)
            i += 2
            continue
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                index.append(i)
            i += 1
            continue
        out.append(_FOLD.get(ch, ch))
        index.append(i)
        i += 1
    return "".join(out), index


def locate(sentence: str, text: str, value: str | None = None) -> tuple[int, int] | None:
    """The span of ``sentence`` in ``text`` (cleaned), tolerant of typography and spacing.

    Falls back to the longest window around ``value`` that still matches once,
    for a sentence the cleaner changed at its edges.
    """
    start = text.find(sentence)
    if start >= 0:
        return start, start + len(sentence)
    ftext, index = folded(text)
    fsent = folded(sentence)[0].strip()
    pos = ftext.find(fsent)
    if pos >= 0:
        return index[pos], index[pos + len(fsent) - 1] + 1
    if value:
        fval = folded(value)[0]
        at = fsent.find(fval)
        if at >= 0:
            for width in (120, 80, 50, 30):
                a = max(0, at - width)
                b = min(len(fsent), at + len(fval) + width)
                piece = fsent[a:b]
                if ftext.count(piece) == 1:
                    pos = ftext.find(piece)
                    return index[pos], index[pos + len(piece) - 1] + 1
    return None


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def score_pair(pair: dict, analyze, workdir: Path) -> dict:
    path = workdir / f"{pair['pair']}.jsonl"
    path.write_text(
        json.dumps(pair["original"], ensure_ascii=False)
        + "\n"
        + json.dumps(pair["copy"], ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    report = analyze([str(path)]).to_dict()
    ids = {d["origin"].rsplit("#", 1)[-1]: d["id"] for d in report["documents"]}
    texts = {d["id"]: d["text"] for d in report["documents"]}
    orig_id, copy_id = ids.get("orig"), ids.get("copy")
    stories = report["stories"]
    same_story = any(orig_id in s["documents"] and copy_id in s["documents"] for s in stories)
    links = [
        link
        for s in stories
        for link in s["reuse"]
        if {link["derived"], link["origin"]} == {orig_id, copy_id}
    ]
    link = links[0] if links else None
    # where each alteration sits in the cleaned texts
    alts = []
    for a in pair["alterations"]:
        in_copy = locate(a["copy_sentence"], texts.get(copy_id, ""), a["new"])
        in_orig = locate(a["orig_sentence"], texts.get(orig_id, ""), a["old"])
        para = None
        if a["kind"] == "speaker" and a.get("copy_paragraph"):
            para = locate(a["copy_paragraph"], texts.get(copy_id, ""), a["new"])
        alts.append(
            {
                **a,
                "copy_span": in_copy,
                "orig_span": in_orig,
                "paragraph_span": para,
                "found": False,
                "by": [],
            }
        )
    flags = []
    for s in stories:
        for fact in s["facts"]:
            if fact["verdict"] not in FLAGS:
                continue
            copy_st = [st for st in fact["statements"] if st["doc"] == copy_id]
            hits = []
            for i, a in enumerate(alts):
                if a["copy_span"] and any(
                    overlaps(tuple(st["span"]), a["copy_span"]) for st in copy_st
                ):
                    hits.append(i)
                    a["by"].append(fact["kind"])
                    if fact["kind"] in FITS[a["kind"]]:
                        a["found"] = True
                elif (
                    a["paragraph_span"]
                    and fact["kind"] == "quote"
                    and any(overlaps(tuple(st["span"]), a["paragraph_span"]) for st in copy_st)
                ):
                    # a later quotation of the same paragraph, now spoken by the new speaker
                    hits.append(i)
            flags.append(
                {
                    "kind": fact["kind"],
                    "verdict": fact["verdict"],
                    "subject": fact["subject"],
                    "explanation": fact.get("explanation", ""),
                    "true": bool(hits),
                    "statements": [
                        {
                            "doc": "copy" if st["doc"] == copy_id else "orig",
                            "text": st["text"],
                            "value": st.get("value"),
                            "sentence": _sentence_around(texts[st["doc"]], st["span"]),
                        }
                        for st in fact["statements"]
                    ],
                }
            )
    return {
        "pair": pair["pair"],
        "harmless_only": not pair["alterations"],
        "same_story": same_story,
        "linked": link is not None,
        "link": None
        if link is None
        else {
            "kind": link["kind"],
            "directed": link["directed"],
            "copy_is_derived": link["derived"] == copy_id,
            "score": link["score"],
        },
        "alterations": alts,
        "flags": flags,
    }


def _sentence_around(text: str, span: list[int], width: int = 160) -> str:
    start, end = span
    a = max(text.rfind("\n", 0, start) + 1, start - width)
    b = text.find("\n", end)
    b = min(b if b >= 0 else len(text), end + width)
    return text[a:b]


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "n/a (0/0)"


def summarise(results: list[dict], out=sys.stdout, details: bool = False) -> dict:
    """Print the figures; with ``details`` also every pair, missed alteration and false alarm.

    The details are off by default: this generator is the held-out check of the facts
    stage, and reading its individual false alarms invites rules fitted to it."""

    def p(*args):
        print(*args, file=out)

    def d(*args):
        if details:
            print(*args, file=out)

    d(f"{'pair':<50} {'alterations':<24} {'story':<6} {'link':<12} flags  found")
    for r in results:
        kinds = ",".join(a["kind"] for a in r["alterations"]) or "-"
        link = r["link"]
        link_s = (
            f"{link['kind']}{'>' if link['directed'] and link['copy_is_derived'] else '?' if not link['directed'] else '<'}"
            if link
            else "no"
        )
        found = ",".join(("+" if a["found"] else "-") + a["kind"] for a in r["alterations"])
        n_true = sum(f["true"] for f in r["flags"])
        d(
            f"{r['pair']:<50} {kinds:<24.24} {'same' if r['same_story'] else 'SPLIT':<6} "
            f"{link_s:<12} {len(r['flags']):>3} ({n_true} true)  {found}"
        )
    alts = [a for r in results for a in r["alterations"]]
    by_kind: dict[str, list[bool]] = {}
    for a in alts:
        by_kind.setdefault(a["kind"], []).append(a["found"])
    flags = [f for r in results for f in r["flags"]]
    tp = sum(f["true"] for f in flags)
    harmless = [r for r in results if r["harmless_only"]]
    flagged_harmless = sum(1 for r in harmless if r["flags"])
    unlocated = sum(1 for a in alts if a["copy_span"] is None)
    wrong_kind = [a for a in alts if not a["found"] and a["by"]]
    p("")
    p(f"pairs: {len(results)}  (harmless only: {len(harmless)})")
    p(f"same story: {ratio(sum(r['same_story'] for r in results), len(results))}")
    p(f"reuse-linked: {ratio(sum(r['linked'] for r in results), len(results))}")
    directed_right = sum(
        1 for r in results if r["link"] and r["link"]["directed"] and r["link"]["copy_is_derived"]
    )
    p(f"linked with the copy as derived (directed): {ratio(directed_right, len(results))}")
    p(f"alterations not located in the cleaned copy: {unlocated}")
    p(f"recall overall: {ratio(sum(a['found'] for a in alts), len(alts))}")
    for kind in sorted(by_kind):
        p(f"  recall {kind:<12} {ratio(sum(by_kind[kind]), len(by_kind[kind]))}")
    if wrong_kind:
        p(f"  flagged at the altered sentence but under another fact kind: {len(wrong_kind)}")
        for a in wrong_kind:
            d(f"    {a['kind']}: {a['old']!r} -> {a['new']!r} flagged as {sorted(set(a['by']))}")
    p(f"precision of flags: {ratio(tp, len(flags))}")
    p(
        f"flags by verdict: {dict(Counter(str(f['verdict']) for f in flags))}; "
        f"by kind: {dict(Counter(f['kind'] for f in flags))}"
    )
    p(f"harmless-only copies with any flag: {ratio(flagged_harmless, len(harmless))}")
    d("")
    d("missed alterations:")
    for r in results:
        for a in r["alterations"]:
            if not a["found"]:
                where = "" if a["copy_span"] else " [not located in cleaned copy]"
                d(f"  {r['pair']} {a['kind']}: {a['old']!r} -> {a['new']!r}{where}")
                d(f"      copy: {a['copy_sentence'][:200]}")
    d("")
    d("false alarms:")
    for r in results:
        for f in r["flags"]:
            if f["true"]:
                continue
            same = len({folded(st["text"])[0] for st in f["statements"]}) == 1
            mark = "  [same statement text in both]" if same else ""
            d(
                f"  {r['pair']} {f['kind']}/{f['verdict']} subject={f['subject']!r}{mark}  "
                f"{f['explanation'][:150]}"
            )
            for st in f["statements"]:
                d(f"      {st['doc']}: value={st['value']!r} text={st['text'][:80]!r}")
                d(f"            in: {st['sentence'][:260]!r}")
    return {
        "pairs": len(results),
        "harmless_only": len(harmless),
        "same_story": sum(r["same_story"] for r in results),
        "linked": sum(r["linked"] for r in results),
        "alterations": len(alts),
        "found": sum(a["found"] for a in alts),
        "recall_by_kind": {k: [sum(v), len(v)] for k, v in sorted(by_kind.items())},
        "flags": len(flags),
        "true_flags": tp,
        "harmless_flagged": flagged_harmless,
        "unlocated": unlocated,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("copies", nargs="?", type=Path, help="JSON lines from make_copies.py")
    ap.add_argument("--seed", type=int, help="generate the copies with this seed first")
    ap.add_argument("--json", type=Path, help="write per-pair results and the summary here")
    ap.add_argument(
        "--details",
        action="store_true",
        help="also print every pair, missed alteration and false alarm (not while changing rules)",
    )
    args = ap.parse_args(argv)
    if args.copies is None and args.seed is None:
        ap.error("give a copies file or --seed")
    if args.copies is not None:
        pairs = [
            json.loads(line)
            for line in args.copies.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from make_copies import make_corpus

        pairs = make_corpus(args.seed)
    import newstrace

    t0 = time.time()
    results = []
    with tempfile.TemporaryDirectory(prefix="facts_b-") as tmp:
        for pair in pairs:
            results.append(score_pair(pair, newstrace.analyze, Path(tmp)))
    summary = summarise(results, details=args.details)
    summary["seconds"] = round(time.time() - t0, 1)
    print(f"\nanalysis time: {summary['seconds']} s for {len(pairs)} pairs")
    if args.json:
        args.json.write_text(
            json.dumps({"summary": summary, "results": results}, indent=1, ensure_ascii=False)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
