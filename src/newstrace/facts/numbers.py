"""Numbers written in words or digits: "2.3 million", "forty-two", "a dozen", "1,200".

Hand written because the grammar is small and closed (units, tens, scales,
"a dozen") and a library for it would add a dependency for thirty lines;
spaCy tokenises the run, these rules give its value.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 10**12,
}
NUMERIC = re.compile(r"^\d[\d,]*(\.\d+)?$")
# A sum with its scale written on ("$280bn", "£1.2m", "€60mn", "$5k", "$1tn"); read
# so only after a currency sign, since "a 60m fall" is metres.
MONEY_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "tn": 1e12}
SCALED_SUM = re.compile(r"^(\d[\d,]*(?:\.\d+)?)(k|m|mn|bn|tn)$")
CURRENCY = ("$", "£", "€")


def word_value(word: str) -> float | None:
    word = word.lower()
    if word in UNITS:
        return float(UNITS[word])
    if word in TENS:
        return float(TENS[word])
    if "-" in word:
        parts = word.split("-")
        if len(parts) == 2 and parts[0] in TENS and parts[1] in UNITS:
            return float(TENS[parts[0]] + UNITS[parts[1]])
    return None


def is_number_token(token: Token) -> bool:
    text = token.text.lower()
    return (
        bool(NUMERIC.match(text))
        or (_after_currency(token) and bool(SCALED_SUM.match(text)))
        or word_value(text) is not None
        or text in SCALES
        or text == "dozen"
    )


def _after_currency(token: Token) -> bool:
    return token.i > 0 and token.doc[token.i - 1].text in CURRENCY


def parse_number(words: list[str]) -> float | None:
    """Value of a run of number words/digits: "2.3 million", "forty-two", "a dozen"."""
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        word = raw.lower()
        if word == "-":
            continue
        if word in ("a", "an") and not seen:
            current, seen = 1.0, True
            continue
        if word == "and" and seen:
            continue
        if NUMERIC.match(word):
            current += float(word.replace(",", ""))
        elif scaled := SCALED_SUM.match(word):  # a sum's own scale: see SCALED_SUM
            current += float(scaled.group(1).replace(",", "")) * MONEY_SCALES[scaled.group(2)]
        elif (value := word_value(word)) is not None:
            current += value
        elif word == "dozen":
            current = (current or 1.0) * 12
        elif word in SCALES:
            scale = SCALES[word]
            if scale == 100:
                current = (current or 1.0) * 100
            else:
                total += (current or 1.0) * scale
                current = 0.0
        else:
            return None
        seen = True
    return total + current if seen else None


def number_runs(sent: SpacySpan) -> list[tuple[int, int]]:
    """Token index ranges [i, j) of number expressions in the sentence."""
    runs: list[tuple[int, int]] = []
    tokens = list(sent)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        starts = (is_number_token(tok) and tok.text.lower() not in SCALES) or (
            tok.lower_ in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1].lower_ in ("dozen",)
        )
        if not starts:
            i += 1
            continue
        j = i + 1
        while j < len(tokens) and (
            is_number_token(tokens[j])
            or (
                tokens[j].lower_ == "and"
                and j + 1 < len(tokens)
                and is_number_token(tokens[j + 1])
                and tokens[j - 1].lower_ in SCALES
            )
            or hyphenated_number(tokens, j)
        ):
            j += 1
        runs.append((tokens[i].i, tokens[j - 1].i + 1))
        i = j
    return runs


def hyphenated_number(tokens, j: int) -> bool:
    """ "sixty-three" comes out of the tokenizer as "sixty", "-", "three"."""
    return (
        tokens[j].text == "-"
        and 0 < j < len(tokens) - 1
        and not tokens[j - 1].whitespace_
        and not tokens[j].whitespace_
        and tokens[j - 1].lower_ in TENS
        and tokens[j + 1].lower_ in UNITS
    )
