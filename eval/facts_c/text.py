"""Article text as paragraphs of sentences, for the facts_c copy generator.

The generator shares no code with newstrace's rules: sentences are cut here by
a plain regular expression, and quotations are found by their marks. Each
sentence keeps where it came from (its index in the original) and which
recorded alterations it carries, so that a recorded alteration can be found
again in the copy however the copy's sentences were moved, split or merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# An abbreviation's full stop does not end a sentence.
_ABBREVIATIONS = [
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Sen",
    "Rep",
    "Gov",
    "Gen",
    "Lt",
    "Col",
    "Sgt",
    "Capt",
    "Prof",
    "St",
    "Jr",
    "Sr",
    "Inc",
    "Corp",
    "Co",
    "Ltd",
    "No",
    "Vol",
    "vs",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Ala",
    "Ariz",
    "Calif",
    "Colo",
    "Conn",
    "Fla",
    "Ga",
    "Ill",
    "Ind",
    "Kan",
    "Ky",
    "La",
    "Mass",
    "Md",
    "Mich",
    "Minn",
    "Miss",
    "Mo",
    "Neb",
    "Nev",
    "Okla",
    "Ore",
    "Pa",
    "Tenn",
    "Tex",
    "Va",
    "Vt",
    "Wash",
    "Wis",
    "Wyo",
    "Mt",
    "Ft",
    "Ave",
]
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"”’]?)\s+(?=[\"“‘(A-Z0-9])")
QUOTE = re.compile(r"[“\"]([^“”\"]{2,}?)[”\"]")


@dataclass
class Sentence:
    """One sentence of a copy: its text, the original sentence it came from, its alterations."""

    text: str
    source: int | None = None  # index of the original sentence; None for added furniture
    alterations: set[int] = field(default_factory=set)
    in_quote: bool = False  # part of a quotation that runs over more than this sentence


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, cut after . ! ? (and a closing quote) before a capital."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        end = match.start() + len(match.group(1))
        before = paragraph[start:end]
        last_word = re.findall(r"(\w+)\.[\"”’]?$", before)
        if last_word and (last_word[0] in _ABBREVIATIONS or len(last_word[0]) == 1):
            continue
        out.append(before.strip())
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def paragraphs_of(text: str, sentences_per_paragraph: int = 2) -> list[list[Sentence]]:
    """The text as paragraphs of sentences, each numbered in reading order.

    A text without blank-line paragraphs (PAC gives one line of sentences) is
    cut into paragraphs of ``sentences_per_paragraph`` sentences, the way wire
    copy is laid out.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1:
        lines = [line.strip() for line in blocks[0].splitlines() if line.strip()]
        flat = [s for line in lines for s in split_sentences(line)]
        groups = [
            flat[i : i + sentences_per_paragraph]
            for i in range(0, len(flat), sentences_per_paragraph)
        ]
    else:
        groups = [split_sentences(" ".join(b.split())) for b in blocks]
    paragraphs = []
    index = 0
    for group in groups:
        paragraph = []
        for sentence in group:
            paragraph.append(Sentence(sentence, index))
            index += 1
        paragraphs.append(paragraph)
    mark_quoted(paragraphs)
    return [p for p in paragraphs if p]


def mark_quoted(paragraphs: list[list[Sentence]]) -> None:
    """Mark the sentences a quotation runs through without opening and closing in them.

    Words in such a sentence are quoted words even where the sentence has no
    mark of its own; edits that keep quotations as printed leave it alone. A
    quotation may run over paragraphs (wire style leaves it open at the end of
    one and opens it again at the start of the next).
    """
    inside = False
    for paragraph in paragraphs:
        if paragraph and paragraph[0].text[:1] in '“"':
            inside = False
        for sentence in paragraph:
            started_inside = inside
            for char in sentence.text:
                if char == "“":
                    inside = True
                elif char == "”":
                    inside = False
                elif char == '"':
                    inside = not inside
            sentence.in_quote = started_inside or inside


def render(paragraphs: list[list[Sentence]]) -> tuple[str, list[tuple[Sentence, int, int]]]:
    """The text of the paragraphs and each sentence's character span in it."""
    text = ""
    spans = []
    for p_index, paragraph in enumerate(paragraphs):
        if p_index:
            text += "\n\n"
        for s_index, sentence in enumerate(paragraph):
            if s_index:
                text += " "
            spans.append((sentence, len(text), len(text) + len(sentence.text)))
            text += sentence.text
    return text, spans


def balanced_quotes(sentence: str) -> bool:
    """Whether every quotation mark of the sentence is closed within it."""
    straight = sentence.count('"')
    return straight % 2 == 0 and sentence.count("“") == sentence.count("”")


def quote_spans(sentence: str) -> list[tuple[int, int]]:
    """Character spans of the quotations (marks included) in one sentence."""
    return [m.span() for m in QUOTE.finditer(sentence)]


def outside_quotes(sentence: str, start: int, end: int) -> bool:
    """Whether sentence[start:end] lies outside every quotation of a sentence with closed quotes."""
    if not balanced_quotes(sentence):
        return False
    return all(end <= a or start >= b for a, b in quote_spans(sentence))
