"""The PAC conversion (eval/pac_data.py) keeps its promises: readable text, no held-out years,
one story per repeated article."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
from pac_data import detokenise, pac_documents, pac_records


def test_detokenise_puts_punctuation_clitics_quotes_and_hyphens_back():
    tokens = 'Sen. Rob Portman ( R - Ohio ) said " it \'s a late - night leak , " and it ’s 5 % — do n’t .'
    assert detokenise(tokens) == (
        'Sen. Rob Portman (R-Ohio) said "it\'s a late-night leak," and it’s 5% — don’t.'
    )


def _write(folder: Path, story: int, doc: int, **fields) -> None:
    record = {
        "id": f"STORY_{story}_DOCUMENT_{doc}",
        "title": fields.pop("title", f"Headline {story} {doc}"),
        "date": fields.pop("date", "2013-01-14"),
        "split": fields.pop("split", "train"),
        "source": fields.pop("source", f"Outlet {doc}"),
        "news": [{"id": 0, "text": fields.pop("text", f"Story {story} text , tokenised .")}],
    }
    (folder / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")


def test_stories_of_held_out_years_and_unknown_train_years_are_never_read(tmp_path):
    _write(tmp_path, 1, 0)
    _write(tmp_path, 1, 1)
    _write(tmp_path, 2, 0, date="2016-03-01")  # BASIL's held-out years
    _write(tmp_path, 2, 1, date="2016-03-01")
    _write(tmp_path, 3, 0, date="2013-02-01")
    _write(tmp_path, 3, 1, date="2017-02-01")  # one article in them is enough
    _write(tmp_path, 4, 0, date="", split="train")  # year unknown
    _write(tmp_path, 4, 1, date="", split="train")
    _write(tmp_path, 5, 0, date="", split="dev", title="abortion_9_1", text="The headline .")
    _write(tmp_path, 5, 1, date="", split="dev")
    records = pac_records(tmp_path)
    assert sorted({r["story"] for r in records}) == ["STORY_1", "STORY_5"]
    assert records[0]["text"] == "Story 1 text, tokenised."
    slugged = next(r for r in records if r["id"] == "STORY_5_DOCUMENT_0")
    assert slugged["title"] == "The headline." and "published" not in slugged


def test_an_article_repeated_in_two_stories_is_kept_once_and_the_stories_are_one(tmp_path):
    _write(tmp_path, 20, 0)
    _write(tmp_path, 20, 1, title="Rhetoric heats up", source="Washington Times")
    _write(tmp_path, 37, 0)
    _write(tmp_path, 37, 1, title="Rhetoric heats up", source="Washington Times")
    docs, gold = pac_documents(tmp_path, dated=True)
    assert len(docs) == 3 and set(gold.values()) == {"STORY_20"}
    docs, gold = pac_documents(tmp_path, dated=False, dedupe=False)
    assert len(docs) == 4 and len(set(gold.values())) == 2
    assert all(doc.published is None for doc in docs)


def test_the_halves_split_stories_by_year_and_together_make_all(tmp_path):
    _write(tmp_path, 1, 0, date="2013-05-01")
    _write(tmp_path, 1, 1, date="2013-05-02")
    _write(tmp_path, 2, 0, date="2021-07-01")
    _write(tmp_path, 2, 1, date="2021-07-01")
    _write(tmp_path, 3, 0, date="", split="dev")  # undated: the 2022 development split
    _write(tmp_path, 3, 1, date="", split="dev")
    stories = {
        half: {r["story"] for r in pac_records(tmp_path, half=half)}
        for half in ("tune", "untouched", "all")
    }
    assert stories["untouched"] == {"STORY_1"}
    assert stories["tune"] == {"STORY_2", "STORY_3"}
    assert stories["tune"] | stories["untouched"] == stories["all"]
    docs, _ = pac_documents(tmp_path, dated=True, half="untouched")
    assert [doc.id for doc in docs] == ["STORY_1_DOCUMENT_0", "STORY_1_DOCUMENT_1"]
    with pytest.raises(ValueError):
        pac_records(tmp_path, half="2015")
