"""Words in every script: the one tokeniser the stages share when they count or compare words.

A word is a run of letters, combining marks and digits of any script (Latin,
Cyrillic, Greek, Arabic and Urdu, Devanagari, Hebrew, Hangul, ...), read with
the ``regex`` module's Unicode properties; combining marks stay inside the word,
so Devanagari vowel signs and Arabic diacritics do not split it. Each word is
normalised with NFKC and case folding (``"Fähre"`` stays one word, ``"ﬁle"`` is
``"file"``, ``"STRASSE"`` and ``"Straße"`` compare equal), zero-width joiners
are dropped, digits of any script become ASCII digits (``"٢٠١٤"`` is
``"2014"``) and a thousands comma goes (``"1,200"`` is ``"1200"``).

Scripts written without spaces between words (Chinese, Japanese kana, Thai,
Lao, Khmer, Myanmar) are cut into overlapping character bigrams, as Lucene's
CJK analyser does: no dictionary to ship, and two texts that share a phrase
share its bigrams whatever a segmenter would have made of it. A run of one
such character is a word of its own.

:func:`word_spans` keeps each word's character span in the text as given, so
passages found on words can be shown in the original.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator

import regex  # type: ignore[import-untyped]

_NO_SPACES = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
_TOKEN = regex.compile(
    rf"(?P<seg>[{_NO_SPACES}\p{{M}}]*[{_NO_SPACES}][{_NO_SPACES}\p{{M}}]*)"
    rf"|(?P<word>[[\p{{L}}\p{{M}}\p{{N}}\u200c\u200d]--[{_NO_SPACES}]]+"
    rf"(?:[.,][\p{{Nd}}]+)*)",
    regex.V1,
)
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LATIN = regex.compile(r"\p{Latin}")
_LETTER = regex.compile(r"\p{L}")

Span = tuple[int, int]


def normalise_word(word: str) -> str:
    """NFKC, case folding, ASCII digits, no joiners, no thousands commas."""
    if word.isascii():
        word = word.lower()
    else:
        word = unicodedata.normalize("NFKC", word).casefold().translate(_table())
    return _THOUSANDS.sub("", word) if "," in word else word


@functools.cache
def _table() -> dict[int, str | None]:
    """Zero-width joiners and soft hyphens dropped, every script's decimal digits as ASCII."""
    digits = regex.findall(r"\p{Nd}", "".join(map(chr, range(0x80, 0x1FC00))))
    table: dict[int, str | None] = {
        ord(d): str(unicodedata.digit(d)) for d in digits if unicodedata.digit(d, None) is not None
    }
    table.update({0x200C: None, 0x200D: None, 0x00AD: None})
    return table


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` for every word of ``text``, spans into ``text`` as given."""
    return list(_iter_words(text))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (character bigrams in scripts without spaces)."""
    return [w for _, _, w in _iter_words(text)]


_ASCII_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*")
"""The same words as ``_TOKEN`` in ASCII text, read by the faster ``re`` engine."""


def _iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    if text.isascii():
        for match in _ASCII_TOKEN.finditer(text.lower()):
            word = match.group()
            yield match.start(), match.end(), _THOUSANDS.sub("", word) if "," in word else word
        return
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if match.group("word") is not None:
            word = normalise_word(match.group())
            if word:
                yield start, end, word
            continue
        chars = [(start + k, c) for k, c in enumerate(match.group()) if not _is_mark(c)]
        if len(chars) == 1:
            yield chars[0][0], end, normalise_word(chars[0][1])
            continue
        for (s, a), (e, b) in itertools.pairwise(chars):
            yield s, e + 1, normalise_word(a + b)


_UNSPACED = regex.compile(rf"[{_NO_SPACES}]")


def unspaced(word: str) -> bool:
    """Whether ``word`` is a character bigram (or single character) of a script written
    without spaces: a short word there carries as much as a long one elsewhere."""
    return bool(_UNSPACED.search(word))


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def latin_share(text: str) -> float:
    """Share of the letters of ``text`` that are Latin (1.0 for a text without letters)."""
    letters = len(_LETTER.findall(text))
    return len(_LATIN.findall(text)) / letters if letters else 1.0
