"""Time between two articles as evidence of one event, learned from a dated stream.

Two reports hours apart that name the same people are usually one event; two
reports weeks apart rarely are, however alike their words (a minister's two
visits, a yearly summit). The content model cannot see this: it is trained on
ECB+, which has no publication dates. So time enters as a likelihood ratio on
top of it: the pair's log-odds of one event move by ``TimeCurve.shift(gap)``,
a curve fitted on BASIL dev's dated candidate pairs with the content
log-odds held as an offset (``eval/fit_time_curve.py``, fitted on the
2010-2012 events, reported on the 2013-2014 events). The same shift applies
in batch grouping and in the stream (``StoryIndex``); where either date is
missing it is 0, so undated corpora are grouped on content alone.

The curve's shape is fixed and has two numbers: a shift for pairs within
``grace_days`` (``near``), then a fall linear in log(1 + days)
(``per_log_day``): the evidence of a gap grows with its order of magnitude,
a week against a day counting like a month against a week. ``near`` is
fitted at or below 0: closeness in time is no evidence of one event where
many similar events run at once, only distance is evidence against it.
The shipped curve (grace 5 days, then steep) is nearly a cutoff, because no
BASIL event's articles lie more than a week apart; a story covered for
weeks splits into its bursts (``docs/stories.md``, Time as evidence).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

CURVE_PATH = Path(__file__).with_name("time_curve.json")


@dataclass(frozen=True)
class TimeCurve:
    """Log-odds shift of "one event" by the days between two articles' publication dates."""

    near: float
    per_log_day: float
    grace_days: float

    def shift(self, gap_days: np.ndarray) -> np.ndarray:
        """The log-odds shift for each gap (days, non-negative)."""
        beyond = np.maximum(0.0, np.log1p(gap_days) - np.log1p(self.grace_days))
        return (self.near - self.per_log_day * beyond).astype(np.float32)

    def to_dict(self) -> dict:
        return {
            "near": round(self.near, 4),
            "per_log_day": round(self.per_log_day, 4),
            "grace_days": self.grace_days,
        }

    @classmethod
    def from_dict(cls, data: dict) -> TimeCurve:
        return cls(float(data["near"]), float(data["per_log_day"]), float(data["grace_days"]))


@lru_cache(maxsize=1)
def shipped_curve() -> TimeCurve:
    """The curve fitted on BASIL dev (``time_curve.json``)."""
    return TimeCurve.from_dict(json.loads(CURVE_PATH.read_text(encoding="utf-8")))


def day_gaps(left: list[date | None], right: list[date | None], pairs: np.ndarray) -> np.ndarray:
    """Days between the two dates of each pair ``(i, j)`` (``left[i]``, ``right[j]``); NaN where one is unknown."""
    gaps = np.full(len(pairs), np.nan, dtype=np.float64)
    for n, (i, j) in enumerate(pairs.tolist()):
        a, b = left[i], right[j]
        if a is not None and b is not None:
            gaps[n] = abs((a - b).days)
    return gaps


def with_time(
    probabilities: np.ndarray,
    left: list[date | None],
    right: list[date | None],
    pairs: np.ndarray,
    curve: TimeCurve | None = None,
) -> np.ndarray:
    """Pair probabilities moved by the time between the two articles (unchanged where a date is missing)."""
    gaps = day_gaps(left, right, pairs)
    known = ~np.isnan(gaps)
    if not known.any():
        return probabilities
    curve = curve or shipped_curve()
    out = np.asarray(probabilities, dtype=np.float32).copy()
    p = np.clip(out[known].astype(np.float64), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p)) + curve.shift(gaps[known])
    out[known] = 1.0 / (1.0 + np.exp(-logit))
    return out
