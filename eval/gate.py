"""The accuracy gate: every stage's headline dev figures, held at pinned floors.

After trafilatura's ``tests/eval_gate.py``: the figures the ``eval/score_*.py``
scripts print are computed here as numbers and compared with the floors
pinned in ``eval/floors.json``. The gate fails when a figure falls more than
``tolerance`` below its floor, or when labels kept in this repository
(``eval/facts_real_flags.jsonl``) changed since the floors were pinned (a
SHA-256 digest per group: relabelling must be re-pinned on purpose, never
absorbed quietly). The dev data in ``../shared`` lies outside the repository
and is read-only here; its digest is recorded too, and a difference is
printed as a warning (the figures are then not comparable), not failed on.
CI runs the gate through ``tests/test_gate.py``.

``--pin`` records today's figures: a floor only ever rises, unless the figure
is named with ``--lower`` (a change that costs accuracy elsewhere on purpose
must say so). The tolerance (``floors.json``) absorbs float differences
between machines (BLAS, ONNX Runtime); the figures are otherwise
deterministic.

What the floors are: dev figures, in-sample or tuned on (stories on ECB+ and
BASIL dev, reuse on COUNTER dev, facts on the first generator's copies and
the labelled real flags of BASIL, ECB+ and the seeds), so the gate guards
against regressions only. What a user can expect on unseen data is the
held-out table in README. Data that CI cannot fetch (the PAC clone behind
``facts_c`` and the PAC flags) is not in the gate.

    .venv/bin/python eval/gate.py [--only GROUP,...] [--pin [--lower NAME ...]]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

SHARED = HERE.parents[1] / "shared"
FLOORS = HERE / "floors.json"
DEFAULT_TOLERANCE = 0.005


@dataclass(frozen=True)
class Group:
    """Figures measured together; the dev data they read in ``../shared`` and the labels
    kept in this repository (both digested)."""

    measure: Callable[[], dict[str, float]]
    shared: tuple[Path, ...]
    labels: tuple[Path, ...] = ()


def clean_figures() -> dict[str, float]:
    """Cleaner: no article line lost on clean ECB+, the seeds' furniture, generated pages."""
    from score_clean import score_ecb, score_pages, score_seeds

    ecb, seeds, pages = score_ecb(), score_seeds(), score_pages(20)
    return {
        "ecb_lines_kept": 1 - ecb["false_removal_rate"],
        "seeds_furniture_recall": seeds["furniture_recall"],
        "seeds_article_lines_kept": seeds["article_preservation"],
        "pages_body_f1": pages["newstrace.clean_html"],
    }


def stories_ecb_figures() -> dict[str, float]:
    """Grouping of all 772 ECB+ dev articles, batch and incremental (in-sample)."""
    from ecb_data import dev_set
    from score_stories import incremental_labels
    from score_stream import figures

    from newstrace.stories.grouping import group_features

    # ecb_data's scratch caches are keyed on two modules only: the gate extracts afresh
    with mock.patch.dict(os.environ, {"NEWSTRACE_NO_CACHE": "1"}):
        gold, documents, raw, _ = dev_set()
    truth = {r["doc"]: r["story"] for r in gold}
    batch = group_features(raw).labels
    stream = incremental_labels(documents, raw)
    return {
        "batch_bcubed_f1": figures(truth, {r["doc"]: f"b{b}" for r, b in zip(gold, batch)})[
            "bcubed_f1"
        ],
        "incremental_bcubed_f1": figures(truth, {r["doc"]: s for r, s in zip(gold, stream)})[
            "bcubed_f1"
        ],
    }


def stories_basil_figures() -> dict[str, float]:
    """BASIL dev in publication order: batch and incremental, with and without dates."""
    from score_stream import GROUPINGS, basil, figures

    out = {}
    for dated in (True, False):
        for mode, group in GROUPINGS.items():
            docs, gold = basil(dated)
            group(docs)
            scores = figures(gold, {d.id: d.story for d in docs})
            for measure in ("bcubed_f1", "pairwise_f1"):
                out[f"{mode}_{'dated' if dated else 'undated'}_{measure}"] = scores[measure]
    return out


def reuse_counter_figures() -> dict[str, float]:
    """Reuse on COUNTER dev's real Urdu newsroom pairs, shipped thresholds."""
    from score_counter import as_records, documents, scorer

    from newstrace.reuse.links import find_links

    gold = json.loads((SHARED / "dev" / "counter" / "gold.json").read_text(encoding="utf-8"))
    result = scorer().score(gold, as_records(find_links(documents(romanised=False))))[0]
    return {
        "derived_f1": result["binary"]["derived_F1"],
        "derived_precision": result["binary"]["derived_P"],
        "three_way_macro_f1": result["three_way"]["macro_F1"],
        "direction_accuracy": result["direction"]["accuracy_of_directed"],
    }


def facts_generated_figures() -> dict[str, float]:
    """Facts on the first generator's copies of ECB+ dev articles (seed 7, 200 articles)."""
    from make_fact_copies import DEFAULT_CORPUS, generate
    from score_facts import score

    result = score(generate(DEFAULT_CORPUS, 200, 7))
    return {
        "recall": result["recall"],
        "precision": result["precision"],
        "harmless_unflagged": result["harmless_unflagged"],
    }


def facts_real_figures() -> dict[str, float]:
    """Precision of the facts flags on real same-event articles, labelled halves A and B."""
    from score_real_flags import half_figures, labelled_flags, raised_flags

    labels = [lab for lab in labelled_flags() if lab["half"] in ("A", "B")]
    stories = {lab["story"] for lab in labels}
    rows = raised_flags(["basil", "ecb", "seeds"], stories)
    out = {}
    for half, figure in half_figures(labels, rows).items():
        if half in ("A", "B"):
            out[f"precision_{half}"] = figure["precision"]
            out[f"real_kept_{half}"] = figure["real_kept"]
    return out


ECB_DEV, BASIL_DEV, COUNTER_DEV = (SHARED / "dev" / name for name in ("ecb", "basil", "counter"))
SEEDS = SHARED / "seeds"

GROUPS: dict[str, Group] = {
    "clean": Group(clean_figures, (ECB_DEV, SEEDS)),
    "stories_ecb": Group(stories_ecb_figures, (ECB_DEV,)),
    "stories_basil": Group(stories_basil_figures, (BASIL_DEV,)),
    "reuse_counter": Group(reuse_counter_figures, (COUNTER_DEV,)),
    "facts_generated": Group(facts_generated_figures, (ECB_DEV,)),
    "facts_real": Group(
        facts_real_figures, (BASIL_DEV, ECB_DEV, SEEDS), (HERE / "facts_real_flags.jsonl",)
    ),
}


def digest(paths: tuple[Path, ...]) -> str:
    """SHA-256 over every file under ``paths``, each named from its root's own name on
    (so the digest does not depend on where the checkout lies)."""
    sha = hashlib.sha256()
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if "__pycache__" in path.parts:
                continue
            name = path.relative_to(root.parent)
            sha.update(str(name).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def measure(names: list[str]) -> dict[str, dict]:
    """Each named group's figures (rounded to 4 places), its data digest and seconds."""
    out = {}
    for name in names:
        group = GROUPS[name]
        started = time.perf_counter()
        figures = {key: round(float(value), 4) for key, value in group.measure().items()}
        out[name] = {
            "figures": figures,
            "digest": digest(group.labels),
            "shared_digest": digest(group.shared),
            "seconds": round(time.perf_counter() - started, 1),
        }
    return out


def failures(measured: dict[str, dict], pinned: dict) -> list[str]:
    """Every way ``measured`` falls short of ``pinned``: a figure under its floor by more than
    the tolerance, labels changed since pinning, a group or figure with no floor."""
    tolerance = pinned.get("tolerance", DEFAULT_TOLERANCE)
    problems = []
    for name, result in measured.items():
        floors = pinned.get("groups", {}).get(name)
        if floors is None:
            problems.append(f"{name}: no floors pinned (run eval/gate.py --pin --only {name})")
            continue
        if floors["digest"] != result["digest"]:
            problems.append(f"{name}: its labels changed since the floors were pinned")
        for key, value in result["figures"].items():
            floor = floors["floors"].get(key)
            if floor is None:
                problems.append(f"{name}.{key}: {value:.4f} has no floor")
            elif value < floor - tolerance:
                problems.append(f"{name}.{key}: {value:.4f} is under its floor {floor:.4f}")
    return problems


def pin(measured: dict[str, dict], pinned: dict, lower: set[str]) -> tuple[dict, list[str]]:
    """``pinned`` with floors raised to ``measured`` (lowered only where named in ``lower``,
    as ``group.figure``) and digests updated; the refused lowerings are returned."""
    updated = json.loads(json.dumps(pinned))
    updated.setdefault("tolerance", DEFAULT_TOLERANCE)
    groups = updated.setdefault("groups", {})
    refused = []
    for name, result in measured.items():
        entry = groups.setdefault(name, {"floors": {}})
        entry["digest"], entry["shared_digest"] = result["digest"], result["shared_digest"]
        for key, value in result["figures"].items():
            old = entry["floors"].get(key)
            if old is None or value >= old or f"{name}.{key}" in lower:
                entry["floors"][key] = value
            else:
                refused.append(
                    f"{name}.{key}: {value:.4f} would lower {old:.4f} (--lower to allow)"
                )
    return updated, refused


def warnings(measured: dict[str, dict], pinned: dict) -> list[str]:
    """Groups whose ``../shared`` data differ from when they were pinned."""
    return [
        f"{name}: ../shared differs from the data the floors were pinned on"
        for name, result in measured.items()
        if pinned.get("groups", {}).get(name, {}).get("shared_digest", result["shared_digest"])
        != result["shared_digest"]
    ]


def read_floors() -> dict:
    return json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}


def _print(measured: dict[str, dict], pinned: dict) -> None:
    for name, result in measured.items():
        floors = pinned.get("groups", {}).get(name, {}).get("floors", {})
        print(f"{name}  ({result['seconds']} s)")
        for key, value in result["figures"].items():
            floor = floors.get(key)
            shown = "no floor" if floor is None else f"floor {floor:.4f}"
            print(f"    {key:32s} {value:.4f}   {shown}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=f"groups: {', '.join(GROUPS)}",
    )
    parser.add_argument("--only", help="comma-separated groups (default: all)")
    parser.add_argument("--pin", action="store_true", help="raise the floors to today's figures")
    parser.add_argument(
        "--lower", nargs="*", default=[], metavar="GROUP.FIGURE", help="with --pin: may go down"
    )
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(GROUPS)
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; known: {', '.join(GROUPS)}")
    pinned = read_floors()
    measured = measure(names)
    _print(measured, pinned)
    if args.pin:
        updated, refused = pin(measured, pinned, set(args.lower))
        FLOORS.write_text(json.dumps(updated, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        for line in refused:
            print(f"not lowered: {line}")
        return 1 if refused else 0
    for line in warnings(measured, pinned):
        print(f"warning: {line}")
    problems = failures(measured, pinned)
    for line in problems:
        print(f"FAIL {line}")
    print("gate: " + ("failed" if problems else "every figure holds its floor"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
