"""facts_d's generator (eval/facts_d): its reading of a text and its edits do what they record.

The BBC articles are not in the repository, so these tests run on a short
article written here. They check the generator, not newstrace.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval" / "facts_d"))

import fd_draft as fd
import fd_harmless as harmless
import fd_real as real

FACTS_D = Path(fd.__file__).parent
sys.path.remove(str(FACTS_D))  # its make_copies.py and score.py must not shadow other folders'


def _load_score():
    """eval/facts_d/score.py under its own name (other generators have a score.py too)."""
    spec = importlib.util.spec_from_file_location("facts_d_score", FACTS_D / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


score = _load_score()

ARTICLE = """The city council approved a budget of £12m on Tuesday, the third rise since 2004.

Council leader Jane Smith said: "This budget is good for every family in Leeds." Opposition leader Tom Brown, 54, said the plan was a mistake. "We will fight it, and we will win because the figures are wrong," said Mr Brown.

The plan includes 300 new homes in Yorkshire. Officials said yesterday that work would start in March. The council employs 4,500 people, 12% part-time, in three UK offices.

"It is a fair deal for everyone, and it is a budget we can afford," Ms Smith told reporters. The vote was 31 to 20."""


def names() -> real.Names:
    found = real.Names(
        people={1: ["Jane Smith"], 2: ["Tom Brown"], 3: ["Brown"], 7: ["Smith"]},
        all_people=["Jane Smith", "Tom Brown"],
        places={1: ["Leeds"], 4: ["Yorkshire"]},
    )
    found.full_people = ["Jane Smith", "Tom Brown"]
    found.surnames = {"Smith", "Brown"}
    return found


def quotations(text: str) -> list[str]:
    """Every quotation's words (punctuation at its end dropped)."""
    out = []
    for para in text.split("\n\n"):
        for a, b in fd.quoted_ranges(para):
            out.append(" ".join(para[a:b].strip('"').rstrip(",.!?").split()))
    return out


def test_sentences_keep_their_closing_quote_and_titles():
    text = 'Mr Brown said: "We will win." Then he left. "It was fair," said Ms Smith.'
    assert fd.split_sentences(text) == [
        'Mr Brown said: "We will win."',
        "Then he left.",
        '"It was fair," said Ms Smith.',
    ]


def test_a_quotation_that_loses_its_closing_mark_ends_at_the_next_opening():
    text = 'He said: "We are ready. "The rest is theirs," he added. The end.'
    ranges = fd.quoted_ranges(text)
    assert [text[a:b] for a, b in ranges] == ['"We are ready. ', '"The rest is theirs,"']


def test_the_layout_gives_every_sentence_its_span():
    article = fd.read_draft(ARTICLE)
    text, spans = fd.layout(article)
    for _, _, sentence in article.sentences():
        a, b = spans[id(sentence)]
        assert text[a:b] == sentence.text
    assert text == "\n\n".join(" ".join(p.split()) for p in ARTICLE.split("\n\n"))


@pytest.mark.parametrize("kind", sorted(real.REAL_CHANGES))
def test_each_real_change_alters_the_sentence_it_records(kind):
    origin = fd.read_draft(ARTICLE)
    by_index = {s.origin: s.text for _, _, s in origin.sentences()}
    for seed in range(5):
        copy = origin.copy()
        change = real.REAL_CHANGES[kind](copy, random.Random(seed), names())
        assert change is not None
        found_kind, old, new, sentence = change
        assert found_kind == kind and old != new
        assert old in by_index[sentence.origin] and new in sentence.text
        assert sentence.text != by_index[sentence.origin]
        others = [s.text for _, _, s in copy.sentences() if s is not sentence]
        assert others == [t for i, t in sorted(by_index.items()) if i != sentence.origin]


def test_a_number_change_leaves_years_alone():
    for seed in range(20):
        copy = fd.read_draft(ARTICLE)
        change = real.change_number(copy, random.Random(seed), names())
        assert change is not None and change[1] != "2004"


def test_a_speaker_change_gives_the_quotation_to_another_person_of_the_article():
    for seed in range(5):
        copy = fd.read_draft(ARTICLE)
        _, old, new, _ = real.change_speaker(copy, random.Random(seed), names())
        assert old.split()[-1] != new.split()[-1]
        assert new.split()[-1] in {"Smith", "Brown"}


@pytest.mark.parametrize("edit", sorted(harmless.HARMLESS_EDITS))
def test_harmless_edits_never_touch_a_quotation(edit):
    origin_text, _ = fd.layout(fd.read_draft(ARTICLE))
    before = quotations(origin_text)
    applied = 0
    for seed in range(10):
        copy = fd.read_draft(ARTICLE)
        dates = harmless.Dates(harmless.dt.date(2005, 3, 2), harmless.dt.date(2005, 3, 2))
        done = harmless.HARMLESS_EDITS[edit](copy, random.Random(seed), names(), dates)
        copy_text, _ = fd.layout(copy)
        applied += bool(done)
        assert (copy_text != origin_text) == bool(done)
        assert all(q in before for q in quotations(copy_text)), (edit, seed, copy_text)
    assert applied  # the article offers every edit a place


def test_a_flag_is_true_only_on_a_changed_sentence():
    class Fact:
        kind, verdict, explanation = "quantity", "altered", ""

    result = {
        "changes": [({"kind": "number"}, {"origin": (10, 40), "copy": (10, 41)})],
        "flags": [
            (Fact(), [("origin", (12, 30), ""), ("copy", (12, 31), "")]),
            (Fact(), [("origin", (50, 60), ""), ("copy", (50, 61), "")]),
        ],
    }
    found, true_flags = score.judge(result)
    assert found == [True]
    assert true_flags == [True, False]


def test_a_newspaper_named_after_a_day_is_no_date():
    article = fd.read_draft(
        "A report in the Sunday Telegraph said prices rose in Sheffield Wednesday."
    )
    assert real.change_date(article, random.Random(0), real.Names()) is None


def test_the_speaker_is_the_name_the_reporting_verb_governs():
    text = "Mr Ghosn said Mr Shiga's appointment would ensure a                   ."
    shiga, ghosn = text.index("Shiga"), text.index("Ghosn")
    assert not real.gives_the_quote(text, shiga, shiga + len("Shiga"))
    assert real.gives_the_quote(text, ghosn, ghosn + len("Ghosn"))
