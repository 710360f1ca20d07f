"""The shared tokeniser: its fast path for ASCII text reads the same words as the Unicode one."""

from __future__ import annotations

import pytest

from newstrace.nlp import words as words_module
from newstrace.nlp.words import unspaced, word_spans

ASCII_TEXTS = [
    "A ferry carrying 1,312 passengers ran aground on Tuesday (3.5 km off Kos).",
    "Don't miss: U.S. officials said 12,000,000 -- or 1,2345 -- were 'safe'_now.",
    "e-mail x2 2nd 10:30 #tag @user",
]


def _unicode_path(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in words_module._TOKEN.finditer(text):
        word = words_module.normalise_word(match.group())
        if word:
            found.append((match.start(), match.end(), word))
    return found


@pytest.mark.parametrize("text", ASCII_TEXTS)
def test_ascii_text_reads_the_same_words_on_either_path(text):
    assert word_spans(text) == _unicode_path(text)


def test_unspaced_words_are_those_of_scripts_without_spaces():
    assert unspaced("渡轮") and unspaced("カタ") and unspaced("ภา")
    assert not unspaced("fähre") and not unspaced("паром") and not unspaced("2014")
