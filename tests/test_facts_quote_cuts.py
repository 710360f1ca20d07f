"""A copy that cuts a quotation inside a sentence, or drops a negation, changed it; cuts of whole
sentences, quotations split around their attribution and independent outlets' choices did not."""

from __future__ import annotations

from conftest import facts_between, linked_facts

FLAGS = ("altered", "conflict")
LEAD = "The governor spoke in Carson City on Monday about the land decision. "


def _linked_flags(origin: str, copy: str) -> list:
    facts = linked_facts(LEAD + origin, LEAD + copy)
    return [f for f in facts if f.kind == "quote" and f.verdict in FLAGS]


def _independent_flags(first: str, second: str) -> list:
    facts = facts_between(LEAD + first, LEAD + second)
    return [f for f in facts if f.kind == "quote" and f.verdict in FLAGS]


WHOLE = (
    '"This policy might win plaudits from special interests, but it is going to cost our '
    'state jobs and opportunity," Lombardo said.'
)
CLAUSE = '"This policy might win plaudits from special interests," Lombardo said.'


def test_a_linked_copy_that_keeps_one_clause_of_a_quoted_sentence_changed_it():
    flags = _linked_flags(WHOLE, CLAUSE)
    assert [f.verdict for f in flags] == ["altered"]


def test_independent_outlets_quoting_different_stretches_are_no_conflict():
    assert _independent_flags(WHOLE, CLAUSE) == []


def test_whole_sentences_left_out_or_a_quotation_split_around_its_attribution_are_no_change():
    two = '"We will win this fight. We will rebuild the town," Lombardo said.'
    assert _linked_flags(two, '"We will win this fight," Lombardo said.') == []
    one = '"We will win this fight and we will rebuild the town," Lombardo said.'
    split = '"We will win this fight," Lombardo said, "and we will rebuild the town."'
    assert _linked_flags(one, split) == []


def test_a_negation_added_at_the_end_of_a_quotation_is_a_change_linked_or_not():
    said = '"Do not come, but we will wave you in if you do," the guard said.'
    negated = '"Do not come, but we will wave you in if you do not," the guard said.'
    assert [f.verdict for f in _linked_flags(said, negated)] == ["altered"]
    assert [f.verdict for f in _independent_flags(said, negated)] == ["conflict"]


JOINED = (
    'A police spokeswoman said: "Police and firefighters are at the scene of a large fire '
    'at a store in High Street, which is being treated as potentially suspicious."'
)
ALONE = (
    'A police spokeswoman said: "The fire has spread rapidly through the store.\n'
    'It is being treated as potentially suspicious."'
)


def test_a_clause_printed_as_its_own_sentence_is_no_change():
    """'It is being treated …' / '…, which is being treated …': two outlets cut one
    statement in other places; the words both quote agree. A subject changed inside
    the stretch both quote is still a change."""
    assert _independent_flags(JOINED, ALONE) == []
    assert _independent_flags(ALONE, JOINED) == []
    other = ALONE.replace("It is being treated", "The store is being treated")
    assert [f.verdict for f in _independent_flags(JOINED, other)] == ["conflict"]


def test_a_clause_kept_of_one_sentence_of_a_longer_quotation_is_a_change():
    whole = (
        '"It came as a surprise to all of us," Lindsay said. "He has given us twelve years of '
        'service, so if he wants to go, we would support him. He is a loyal friend of the club."'
    )
    cut = whole.replace("if he wants to go, we would support him.", "if he wants to go.")
    assert [f.verdict for f in _linked_flags(whole, cut)] == ["altered"]
    dropped = whole.replace(" He is a loyal friend of the club.", "")
    assert _linked_flags(whole, dropped) == []
