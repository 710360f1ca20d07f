"""The independent facts-copy generator (eval/facts_b) keeps its own promises.

No analysis runs here: these tests check the generator only, so that figures
from ``eval/facts_b/score.py`` rest on copies that are what they claim to be.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import DEV

ROOT = Path(__file__).resolve().parents[1]
BASIL = DEV / "basil" / "corpus.jsonl"
pytestmark = pytest.mark.shared

sys.path.insert(0, str(ROOT / "eval" / "facts_b"))
import make_copies  # noqa: E402


@pytest.fixture(scope="module")
def pairs():
    return make_copies.make_corpus(7, n_altered=10, n_harmless=4)


def test_sizes_and_metadata(pairs):
    assert len(pairs) == 14
    assert sum(1 for p in pairs if not p["alterations"]) == 4
    for p in pairs:
        orig, copy = p["original"], p["copy"]
        assert date.fromisoformat(copy["published"]) == date.fromisoformat(
            orig["published"]
        ) + timedelta(days=1)
        assert copy["source"] and orig["source"] and copy["source"] != orig["source"]
        assert p["harmless"], "every copy carries harmless edits"
        assert len(p["alterations"]) <= 2


def test_each_alteration_is_in_the_copy_and_not_in_the_original(pairs):
    seen = 0
    for p in pairs:
        orig, copy = p["original"]["text"], p["copy"]["text"]
        for a in p["alterations"]:
            seen += 1
            assert a["kind"] in make_copies.KINDS
            assert a["old"] != a["new"]
            assert a["orig_sentence"] in orig
            assert a["old"] in a["orig_sentence"]
            assert a["copy_sentence"] in copy
            assert a["new"] in a["copy_sentence"]
            # the altered sentence is nowhere in the original, even with typography folded
            assert make_copies.normalise(a["copy_sentence"]) not in make_copies.normalise(orig)
            assert a["copy_sentence"] in a["copy_paragraph"]
    assert seen >= 10


def test_quotation_alterations_touch_quotes_and_others_do_not(pairs):
    for p in pairs:
        before = Counter(make_copies.quoted_words(p["original"]["text"]))
        after = Counter(make_copies.quoted_words(p["copy"]["text"]))
        kinds = {a["kind"] for a in p["alterations"]}
        if "quote_words" in kinds:
            assert before != after
        else:
            # speaker, number, date and place alterations leave every quoted word alone
            assert before == after, p["pair"]


def test_harmless_only_copies_keep_every_quoted_string(pairs):
    harmless = [p for p in pairs if not p["alterations"]]
    assert harmless
    for p in harmless:
        before = Counter(make_copies.quoted_words(p["original"]["text"]))
        after = Counter(make_copies.quoted_words(p["copy"]["text"]))
        assert before == after, p["pair"]
        assert before, "originals are chosen for their quotations"


def test_relative_days_follow_the_copy_date():
    sents = [
        make_copies.Sent('The mayor spoke today and said "we start today."'),
        make_copies.Sent("The vote was held Wednesday."),
        make_copies.Sent("The council met on Thursday."),
    ]
    # the copy's own weekday said of the past means the week before
    paras = [
        make_copies.Para([make_copies.Sent("Title", frozen=True)], title=True),
        make_copies.Para(sents),
    ]
    make_copies.edit_relative_days(paras, date(2013, 5, 22), [])  # a Wednesday
    assert [s.text for s in sents] == [
        'The mayor spoke yesterday and said "we start today."',
        "The vote was held yesterday.",
        "The council met last Thursday.",
    ]
