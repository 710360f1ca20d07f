"""Leave-topics-out figures with extra pair features added to both stages.

    OMP_NUM_THREADS=1 .venv/bin/python eval/experiments/stories_extra_features.py --extra NAME[,NAME...] [--quick]

Extra features (each a few columns appended to ``pairs.PAIR_FEATURES``):

- ``lead_year:N``: years written in the first N characters (the dateline and
  first sentence): whether the two share one, and whether both give some
  and none in common;
- ``lead_numbers``: numbers named in the lead (a toll, a magnitude): their
  cosine, and whether both give some and none in common;
- ``lead_days``, ``lead_weekdays``: month-days or weekdays named in the
  lead, as ``lead_year:N``;
- ``lead_vs_years``: one lead names years and the other text names years,
  none of them the lead's (either way round);
- ``year_rarity``: the rarest year both texts name, as log(N / df) over
  the batch (``year_shared`` replaced, see ``--drop``);
- ``lead_uncovered``: the share of each lead's TF-IDF mass whose words the
  other article never uses (lower and higher of the two sides);
- ``headline_names``: how many names of each headline the other article
  never mentions (lower and higher of the two sides).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction import FeatureHasher

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import train_story_model as trainer
from ecb_data import dev_set

from newstrace.stories import features as F
from newstrace.stories import grouping
from newstrace.stories import pairs as pairs_module
from newstrace.stories.pairs import row_dots

_HASH = FeatureHasher(n_features=F.N_FEATURES, alternate_sign=False, dtype=np.float32)
_pair_features = pairs_module.pair_features


def _table(rows: list[dict]) -> sp.csr_matrix:
    return _HASH.transform(rows).tocsr()


def extra_tables(documents, extras: list[str]) -> dict[str, sp.csr_matrix]:
    tables = {}
    for extra in extras:
        if extra.startswith("lead_year:"):
            chars = int(extra.split(":")[1])
            tables[extra] = _table(
                [dict.fromkeys(F._TEXT_YEAR.findall(d.text[:chars]), 1.0) for d in documents]
            )
        elif extra == "lead_numbers":
            rows = []
            for d in documents:
                found = d.annotations.entities
                row = {}
                for start, end, label in found:
                    if start < F.LEAD_CHARS and label in F.NUMBER_LABELS:
                        value = F._number_value(d.text[start:end])
                        if value is not None:
                            row[f"{value:g}"] = 1.0
                rows.append(row)
            tables[extra] = _table(rows)
        elif extra in ("lead_days", "lead_weekdays"):
            kind = "m" if extra == "lead_days" else "w"
            rows = []
            for d in documents:
                row = {}
                for start, end, label in d.annotations.entities:
                    if start < F.LEAD_CHARS and label == "DATE":
                        for key in F._date_keys(d.text[start:end]):
                            if F._date_kind(key) == kind:
                                row[key] = 1.0
                rows.append(row)
            tables[extra] = _table(rows)
        elif extra == "headline_names":
            rows = []
            for d in documents:
                end_of_headline = len(d.text.split("\n", 1)[0])
                row = {}
                for start, end, label in d.annotations.entities:
                    if start < end_of_headline and F.ENTITY_TABLES.get(label) in F.NAME_TABLES:
                        for table, key in F._entity_keys(d.text[start:end], label):
                            row[f"{table}:{key}"] = 1.0
                rows.append(row)
            tables[extra] = _table(rows)
    return tables


def _has(table, index) -> np.ndarray:
    return np.diff(table.indptr)[index] > 0


def extra_columns(extra, weighted, raw, left, right) -> list[np.ndarray]:
    if extra.startswith("lead_year:") or extra in ("lead_numbers", "lead_days", "lead_weekdays"):
        table = raw.tables[extra]
        a, b = table[left], table[right]
        shared = row_dots(a, b)
        both = _has(table, left) & _has(table, right)
        columns = [(shared > 0).astype(np.float32), (both & (shared == 0)).astype(np.float32)]
        if extra == "lead_numbers":
            norms = np.sqrt(np.maximum(row_dots(a, a) * row_dots(b, b), 1e-12))
            columns.append(np.where(both, shared / norms, 0.0).astype(np.float32))
        return columns
    if extra == "lead_vs_years":
        lead, years = raw.tables["lead_years"], raw.tables["year_mentions"]

        def one_way(a, b):
            both = _has(lead, a) & _has(years, b)
            return (both & (row_dots(lead[a], years[b]) == 0)).astype(np.float32)

        forward, backward = one_way(left, right), one_way(right, left)
        return [np.maximum(forward, backward)]
    if extra == "year_rarity":
        years = raw.tables["year_mentions"].tocsr()
        df = np.bincount(years.indices, minlength=years.shape[1])
        rarity = years.copy()
        rarity.data = np.maximum(
            np.log(years.shape[0] / np.maximum(df[years.indices], 1)), 0
        ).astype(np.float32)
        shared = rarity[left].multiply(years[right] > 0).tocsr()
        return [shared.max(axis=1).toarray().ravel().astype(np.float32)]
    if extra == "lead_uncovered":
        lead, words = weighted["lead"], raw.tables["words"]
        present = words.copy()
        present.data[:] = 1.0
        lead_squared = lead.multiply(lead).tocsr()
        forward = 1.0 - row_dots(lead_squared[left], present[right])
        backward = 1.0 - row_dots(lead_squared[right], present[left])
        return [np.minimum(forward, backward), np.maximum(forward, backward)]
    if extra == "headline_names":
        head, mentioned = raw.tables[extra], raw.tables["mentioned"]
        forward = row_dots(head[left], head[left]) - row_dots(head[left], mentioned[right])
        backward = row_dots(head[right], head[right]) - row_dots(head[right], mentioned[left])
        return [np.minimum(forward, backward), np.maximum(forward, backward)]
    raise SystemExit(f"unknown extra feature {extra!r}")


def patched(extras, dropped=()):
    def pair_features(weighted, raw, pairs, other=None):
        assert other is None
        base = _pair_features(weighted, raw, pairs)
        base[:, list(dropped)] = 0.0
        left, right = pairs[:, 0], pairs[:, 1]
        columns = [c for extra in extras for c in extra_columns(extra, weighted, raw, left, right)]
        return np.column_stack([base, *columns]).astype(np.float32) if columns else base

    return pair_features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extra", default="")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--drop", default="", help="pair features to zero, comma-separated")
    args = parser.parse_args()
    gold, documents, raw, stories = dev_set()
    topics = np.array([r["topic"] for r in gold])
    extras = [e for e in args.extra.split(",") if e]
    raw.tables.update(extra_tables(documents, extras))
    function = patched(
        extras, [pairs_module.PAIR_FEATURES.index(n) for n in args.drop.split(",") if n]
    )
    pairs_module.pair_features = grouping.pair_features = trainer.pair_features = function
    splits = trainer.SPLITS[: 1 if args.quick else None]
    trainer.split_figures(gold, raw, stories, topics, f"extras {extras}: ", splits)


if __name__ == "__main__":
    main()
