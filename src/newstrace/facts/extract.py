"""Collect the claims of each document from its spaCy parse, paragraph by paragraph.

The parse is the document's one spaCy pass (:mod:`newstrace.nlp.parse`,
kept on it by the stages before, or by the store as bytes); ``extract``
reads it, and parses documents that have none without keeping anything.
``parse``, ``pack_parse``, ``restore_parse``, ``parse_version`` and
``BATCH_SIZE`` (``benchmarks/bench_facts.py``) are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from newstrace.facts.claims import Claim, Sentence
from newstrace.facts.dates import calendar_spans, extract_dates
from newstrace.facts.gender import KnownGenders, fits, referent_gender
from newstrace.facts.places import extract_places
from newstrace.facts.quantities import extract_quantities
from newstrace.facts.quotes import (
    PERSON_PRONOUNS,
    Speaker,
    attribute,
    continued_quote_lines,
    continued_quote_span,
    people_in,
    people_with_roles,
    quote_claims,
    quote_spans,
    set_speaker,
    short_quote_claims,
    short_quote_spans,
)
from newstrace.ingest.dates import published_day
from newstrace.model import Document, kept_or_spilled
from newstrace.nlp.parse import (  # noqa: F401 - BATCH_SIZE, parse, pack_parse, restore_parse, parse_version: kept importable here
    BATCH_SIZE,
    pack_parse,
    parse,
    parse_version,
    pipe,
    restore_parse,
    unpack,
)
from newstrace.progress import report


@dataclass
class Extracted:
    """The sentences and claims of one document."""

    doc: Document
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def sentence_at(self, offset: int) -> int:
        for sentence in self.sentences:
            if sentence.span[0] <= offset < sentence.span[1]:
                return sentence.index
        return -1


def _parsed_lines(documents: list[Document]) -> Iterator[tuple[object, tuple[int, int]]]:
    """(spaCy doc of a line, (document index, line start)): kept parses, then the rest parsed now."""
    fresh = []
    for k, doc in enumerate(documents):
        kept = kept_or_spilled(doc.annotations.parse, doc.annotations.spilled_parse)
        if kept is not None:
            lines = unpack(kept) if isinstance(kept, bytes) else kept
            yield from ((parsed, (k, start)) for start, parsed in lines)
        else:
            fresh.append(k)
    yield from (
        (parsed, (fresh[n], start)) for parsed, (n, start) in pipe([documents[k] for k in fresh])
    )


def extract(documents: list[Document]) -> list[Extracted]:
    """Claims of every document, in document order."""
    results = [Extracted(doc) for doc in documents]
    state: dict[int, _DocState] = {}
    for parsed, (k, start) in _parsed_lines(documents):
        result = results[k]
        if k not in state:
            state[k] = _DocState(
                published_day(result.doc.published),
                continued=continued_quote_lines(result.doc.text),
            )
        doc_state = state[k]
        _read_line(result, doc_state, parsed, start)
        report("parse", len(state) - 1, len(documents))
    report("parse", len(documents), len(documents))
    for result in results:
        for claim in result.claims:
            if not claim.text:
                claim.text = result.doc.text[claim.span[0] : claim.span[1]]
    return results


@dataclass
class _DocState:
    published: date | None
    last_person: Speaker | None = None
    last_quote_speaker: Speaker | None = None
    previous_was_quote: bool = False
    previous_ends_colon: bool = False
    # (sentence, offset, speaker, named as a subject, a person rather than a body)
    recent: list[tuple[int, int, Speaker, bool, bool]] = field(default_factory=list)
    known_people: set[str] = field(default_factory=set)  # surnames named as people so far
    genders: KnownGenders = field(default_factory=KnownGenders)  # surname → "m"/"f" so far
    unattributed: list[Claim] = field(
        default_factory=list
    )  # quotes of the paragraph before with no speaker
    # starts of unmarked paragraphs inside a quotation continued over paragraphs
    continued: set[int] = field(default_factory=set)

    def pronoun_person(
        self, sentence: int, offset: int, person: bool = True, gender: str = ""
    ) -> Speaker | None:
        """ "he said": the most recent named person of fitting ``gender`` in the two
        sentences before (or earlier in the same sentence), a subject first —
        "Blinken met Netanyahu. He said". When only people of the other gender are
        named there, the last one of this gender further back ("Lisa Su … Mr.
        Feldman spoke. She said"); one of unknown gender fits either pronoun.
        "it said" (``person`` false): the last body named as a subject."""
        before = [r for r in self.recent if r[1] < offset and r[4] == person]
        near = [r for r in before if sentence - 2 <= r[0] <= sentence]
        if gender and person and near:
            # people of the other gender are left out; only they near: the last
            # one of this gender further back
            fitting = [r for r in near if fits(self.gender_of(r[2]), gender)]
            near = fitting or [r for r in before if self.gender_of(r[2]) == gender][-1:]
        subjects = [r for r in near if r[3]]
        if not person:
            near = subjects
        chosen = (subjects or near)[-1] if near else None
        if (
            chosen is not None
            and person
            and gender
            and len({r[2].primary for r in near}) == 1
            and chosen[2].primary not in self.genders
        ):  # "Su spoke. She said": Su is a woman; with two people named, a guess is not learnt
            self.genders.learn(chosen[2].primary, gender)
        return replace(chosen[2], gender=self.gender_of(chosen[2])) if chosen else None

    def gender_of(self, speaker: Speaker) -> str:
        return self.genders.of(speaker.gender, speaker.primary)

    def with_gender(self, speaker: Speaker) -> Speaker:
        """A person named now, with what the article has told of their gender (and learn it)."""
        self.genders.learn(speaker.primary, speaker.gender)
        return replace(speaker, gender=self.gender_of(speaker))


def _read_line(result: Extracted, state: _DocState, parsed, base: int) -> None:
    doc_id = result.doc.id
    line = parsed.text
    line_start_person = state.last_person
    calendar = calendar_spans(line)
    quotes = quote_spans(line)
    carried_on = base in state.continued and not quotes
    if carried_on:
        whole = continued_quote_span(line)
        quotes = [whole] if whole else []
    for sent in parsed.sents:
        text = sent.text.strip()
        if not text:
            continue
        lead = len(sent.text) - len(sent.text.lstrip())
        span = (base + sent.start_char + lead, base + sent.start_char + lead + len(text))
        index = len(result.sentences)
        result.sentences.append(Sentence(doc_id, index, span, text))
        result.claims.extend(extract_quantities(parsed, sent, base, doc_id, index, span, calendar))
        result.claims.extend(
            extract_dates(
                parsed, sent, base, state.published, doc_id, index, span, calendar, quotes
            )
        )
        last_name = state.last_person.name if state.last_person else None
        result.claims.extend(extract_places(parsed, sent, base, doc_id, index, span, last_name))
        people = [state.with_gender(p) for p in people_in(sent)]
        if people:
            state.last_person = people[-1]
        mentioned = [
            (start, state.with_gender(s) if person else s, subject, person)
            for start, s, subject, person in people_with_roles(sent, state.known_people)
        ]
        state.known_people.update(s.primary for _, s, _, person in mentioned if person)
        # the last two sentences' names, and further back for a pronoun's gender
        state.recent = state.recent[-30:] + [
            (index, base + start, speaker, subject, person)
            for start, speaker, subject, person in mentioned
        ]
    if quotes:
        people = [replace(p, gender=state.gender_of(p)) for p in people_in(parsed)]
        fills_line = sum(e - s for s, e in quotes) >= 0.8 * len(line.strip())
        continued = fills_line and (state.previous_was_quote or state.previous_ends_colon)
        found: list[Speaker] = []

        def pronoun(token) -> Speaker | None:
            offset = base + token.idx
            person = token.lower_ in PERSON_PRONOUNS or token.pos_ == "NOUN"  # "the official"
            gender = referent_gender(token.lower_)
            return state.pronoun_person(result.sentence_at(offset), offset, person, gender)

        def speaker_of(target: tuple[int, int]) -> Speaker | None:
            before = [p for p in people if p.name and 0 <= line.find(p.name) < target[0]]
            speaker = attribute(
                parsed, quotes, target, before[-1] if before else line_start_person, pronoun
            )
            if speaker is None and continued and state.last_quote_speaker is not None:
                # named in the paragraph before: a changed name is flagged there, once
                speaker = replace(state.last_quote_speaker, explicit=False, where=None)
            if speaker is not None:
                found.append(speaker)
            return speaker

        claims = quote_claims(doc_id, parsed, base, quotes, speaker_of, result.sentence_at)
        result.claims.extend(claims)
        _attribute_back(state, line, quotes, claims)
        unattributed = [c for c in claims if not c.value.speaker.name]
        # a quotation read over several paragraphs waits for one speaker
        state.unattributed = state.unattributed + unattributed if carried_on else unattributed
        state.last_quote_speaker = found[-1] if found else None
        named = [s for s in found if s.name]
        if named:
            last = named[-1]
            state.last_person = replace(
                last, explicit=False, where=None, gender=state.gender_of(last)
            )
    else:
        state.unattributed = []
    shorts = short_quote_spans(line)
    if shorts:
        spans = quotes + shorts
        result.claims.extend(
            short_quote_claims(doc_id, parsed, base, spans, shorts, result.sentence_at)
        )
    state.previous_was_quote = bool(quotes)
    state.previous_ends_colon = line.rstrip().endswith(":")


def _attribute_back(
    state: _DocState, line: str, quotes: list[tuple[int, int]], claims: list[Claim]
) -> None:
    """A quotation with no speaker, then a paragraph opening with a quotation that
    names one (“…,” the official added): both are that speaker's."""
    if (
        not state.unattributed
        or not claims
        or line[: quotes[0][0]].strip() not in ("", '"', "“", "”", "„", "«")
    ):
        return
    speaker = claims[0].value.speaker
    if speaker.name and speaker.explicit:
        for claim in state.unattributed:
            set_speaker(claim, replace(speaker, explicit=False, where=None))
