"""Fit the time curve (``stories/timing.py``) on one half of BASIL dev; report the other half untouched.

    .venv/bin/python eval/fit_time_curve.py [--write]

BASIL dev's events are split by the year of their first article: 2010-2012
(fit) and 2013-2014 (report). On each half alone: candidate pairs and their
content probability from the shipped pair model (as batch grouping scores
them, dates unseen), and the days between the two publication dates. Printed:

- how often a candidate pair is one event, by gap, on both halves (the
  curve's raw material);
- the curve fitted on the fit half: the content log-odds as an offset (each
  pair twice, as the second stage and as the first stage score it: batch
  grouping and the stream apply the same curve to each), plus ``near`` (at
  most 0) and ``per_log_day`` by maximum likelihood under a Gaussian prior;
  ``grace_days`` and the prior's strength chosen by leave-one-year-out
  log-loss within the fit half;
- B-cubed F1 on each half, batch and incremental, without time evidence, with
  the earlier hand-set damping (batch; full weight for 3 days, then
  exp(-days/7)), and with the fitted curve.

``--write`` stores the fitted curve as ``src/newstrace/stories/time_curve.json``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, str(Path(__file__).resolve().parent))
from basil_data import basil_documents
from ecb_data import bcubed_f1, cached_features

from newstrace.stories import incremental, timing
from newstrace.stories.features import DocumentFrequency, RawFeatures
from newstrace.stories.grouping import cluster
from newstrace.stories.incremental import StoryIndex
from newstrace.stories.pairs import candidate_pairs, pair_features
from newstrace.stories.scoring import shipped_model

GRACE_CHOICES = (0.0, 1.0, 2.0, 3.0, 5.0, 7.0)
PRIORS = (0.01, 0.1, 1.0)
GAP_BINS = (0, 1, 2, 4, 8, 15, 31, 91, 366, 10_000)
NO_TIME = timing.TimeCurve(0.0, 0.0, 0.0)


def halves(docs, gold) -> dict[str, np.ndarray]:
    """Article indices of each half, split by the year of each event's first article."""
    first_year: dict[str, str] = {}
    for doc in docs:
        event = gold[doc.id]
        first_year[event] = min(first_year.get(event, "9999"), (doc.published or "")[:4])
    fit = [n for n, d in enumerate(docs) if first_year[gold[d.id]] <= "2012"]
    report = [n for n, d in enumerate(docs) if first_year[gold[d.id]] > "2012"]
    return {"fit 2010-2012": np.array(fit), "report 2013-2014": np.array(report)}


def content_pairs(raw):
    """Candidate pairs of ``raw`` and their content probability, dates unseen: the second
    stage's (batch grouping) and the first stage's (the stream)."""
    model = shipped_model()
    frequency = DocumentFrequency()
    frequency.add(raw)
    weighted = frequency.weigh(raw)
    pairs = candidate_pairs(weighted)
    features = pair_features(weighted, raw, pairs)
    return pairs, model.probability(features, pairs, len(raw)), model.first.probability(features)


def by_gap(name: str, gaps: np.ndarray, same: np.ndarray, p: np.ndarray) -> None:
    print(f"{name}: candidate pairs by days apart (one event / pairs; mean content p)")
    for lo, hi in itertools.pairwise(GAP_BINS):
        inside = (gaps >= lo) & (gaps < hi)
        if inside.any():
            print(
                f"  {lo:>4}-{hi - 1:<5} {int(same[inside].sum()):>3} / {int(inside.sum()):>4}"
                f"  p {p[inside].mean():.3f}"
            )


def _offset(p: np.ndarray) -> np.ndarray:
    q = np.clip(p.astype(np.float64), 1e-6, 1 - 1e-6)
    return np.log(q / (1 - q))


def _log_loss(curve: timing.TimeCurve, gaps, same, p) -> float:
    z = _offset(p) + curve.shift(gaps)
    return float(np.mean(np.logaddexp(0, z) - same * z))


def fit_one(gaps, same, p, grace: float, prior: float) -> timing.TimeCurve:
    """``near`` (at most 0) and ``per_log_day`` (at least 0) of highest likelihood
    under a Gaussian prior of precision ``prior``, the content log-odds an offset.

    ``near`` is kept at or below 0: BASIL's events are sparse in time (50 over
    five years), so a pair published the same day is nearly always one event
    there; in a dense stream many similar events run at once, and closeness
    in time is no evidence for one event, only distance against it."""
    offset = _offset(p)
    beyond = np.maximum(0.0, np.log1p(gaps) - np.log1p(grace))

    def loss(theta):
        z = offset + theta[0] - theta[1] * beyond
        return np.sum(np.logaddexp(0, z) - same * z) + 0.5 * prior * theta @ theta

    found = minimize(loss, np.zeros(2), method="L-BFGS-B", bounds=[(None, 0.0), (0, None)])
    return timing.TimeCurve(float(found.x[0]), float(found.x[1]), grace)


def fit_curve(gaps, same, p, years) -> timing.TimeCurve:
    """Grace and prior chosen by leave-one-year-out log-loss within the fit half, then refitted on all of it."""
    best: tuple[float, float, float] | None = None
    for grace in GRACE_CHOICES:
        for prior in PRIORS:
            held_out = []
            for year in np.unique(years):
                inside = years != year
                curve = fit_one(gaps[inside], same[inside], p[inside], grace, prior)
                held_out.append(_log_loss(curve, gaps[~inside], same[~inside], p[~inside]))
            loss = float(np.mean(held_out))
            print(f"  grace {grace:g} d, prior {prior:g}: leave-one-year-out log-loss {loss:.4f}")
            if best is None or loss < best[0]:
                best = (loss, grace, prior)
    assert best is not None
    return fit_one(gaps, same, p, best[1], best[2])


def hand_set_damping(gaps: np.ndarray) -> np.ndarray:
    """The rule the curve replaces: full weight within 3 days, then exp(-(days - 3) / 7) (nan: 1)."""
    gaps = np.nan_to_num(gaps, nan=0.0)
    return np.exp(-np.maximum(0.0, gaps - 3) / 7.0)


def batch_f1(n, pairs, probabilities, stories) -> float:
    return bcubed_f1(cluster(n, pairs, probabilities, shipped_model().threshold).labels, stories)


def stream_f1(docs, raw, stories, curve, dated: bool, hand_set: bool = False) -> float:
    index = StoryIndex(time_curve=curve)
    if hand_set:  # the earlier rule, for comparison: p times the damping
        incremental.with_time = lambda p, left, right, pairs, curve: (
            p * hand_set_damping(timing.day_gaps(left, right, pairs))
        )
    order = sorted(range(len(docs)), key=lambda n: (docs[n].published or "", docs[n].id))
    labels = {}
    for n in order:
        row = raw.rows([n])
        if not dated:
            row.published = [None]
        labels[n] = index.add_features(docs[n], row).story
    incremental.with_time = timing.with_time
    return bcubed_f1([labels[n] for n in range(len(docs))], stories)


@dataclass
class Half:
    """One half of BASIL dev: its articles, candidate pairs, content probabilities and gaps."""

    index: np.ndarray
    raw: RawFeatures
    stories: np.ndarray
    pairs: np.ndarray
    second: np.ndarray
    first: np.ndarray
    gaps: np.ndarray
    same: np.ndarray
    years: np.ndarray


def scored_half(docs, gold, raw, index: np.ndarray) -> Half:
    part = raw.rows(index)
    pairs, second, first = content_pairs(part)
    stories = np.array([gold[docs[i].id] for i in index])
    return Half(
        index,
        part,
        stories,
        pairs,
        second,
        first,
        timing.day_gaps(part.published, part.published, pairs),
        (stories[pairs[:, 0]] == stories[pairs[:, 1]]).astype(np.float64),
        np.array([(docs[index[i]].published or "")[:4] for i in pairs[:, 0]]),
    )


def report(name: str, half: Half, docs, curve: timing.TimeCurve) -> None:
    """B-cubed F1 of one half, batch and stream, without time evidence, with the old rule, with ``curve``."""
    n, members = len(half.index), [docs[i] for i in half.index]
    timed = timing.with_time(half.second, half.raw.published, half.raw.published, half.pairs, curve)
    damped = half.second * hand_set_damping(half.gaps)
    print(
        f"{name}: batch no time {batch_f1(n, half.pairs, half.second, half.stories):.3f}"
        f" | hand-set damping {batch_f1(n, half.pairs, damped, half.stories):.3f}"
        f" | curve {batch_f1(n, half.pairs, timed, half.stories):.3f}"
        f" || stream no time {stream_f1(members, half.raw, half.stories, NO_TIME, False):.3f}"
        f" | hand-set {stream_f1(members, half.raw, half.stories, curve, True, hand_set=True):.3f}"
        f" | curve {stream_f1(members, half.raw, half.stories, curve, True):.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="store the fitted curve")
    args = parser.parse_args()
    docs, gold = basil_documents(dated=True)
    raw = cached_features(docs)
    scored = {
        name: scored_half(docs, gold, raw, index) for name, index in halves(docs, gold).items()
    }
    for name, half in scored.items():
        by_gap(name, half.gaps, half.same, half.second)
    print("fit on 2010-2012 (each pair twice: the second stage's p and the first stage's):")
    fit = scored["fit 2010-2012"]
    curve = fit_curve(
        np.tile(fit.gaps, 2),
        np.tile(fit.same, 2),
        np.concatenate([fit.second, fit.first]),
        np.tile(fit.years, 2),
    )
    print(f"chosen: {curve}")
    for name, half in scored.items():
        report(name, half, docs, curve)
    if args.write:
        timing.CURVE_PATH.write_text(json.dumps(curve.to_dict(), indent=1) + "\n")
        print(f"wrote {timing.CURVE_PATH}")


if __name__ == "__main__":
    main()
