"""Newsroom edits that change no fact: what a copy desk, a house style or a scraper does.

Each edit takes the copy's paragraphs, a random generator and the article's
publication date, changes the copy in place and returns True, or returns False
when the article offers nothing it applies to. Words inside quotations are
never touched (a quotation printed in quotation marks keeps its words), and a
sentence that carries a recorded alteration is never dropped, never merged
away and never taken out of its quotation marks.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass

from alterations import MONTHS, WEEKDAYS
from text import Sentence, balanced_quotes, outside_quotes

_BRITISH = {
    "favor": "favour",
    "favorite": "favourite",
    "center": "centre",
    "organization": "organisation",
    "organizations": "organisations",
    "defense": "defence",
    "program": "programme",
    "programs": "programmes",
    "labor": "labour",
    "color": "colour",
    "honor": "honour",
    "behavior": "behaviour",
    "neighbor": "neighbour",
    "neighbors": "neighbours",
    "criticize": "criticise",
    "criticized": "criticised",
    "recognize": "recognise",
    "recognized": "recognised",
    "apologize": "apologise",
    "apologized": "apologised",
    "emphasize": "emphasise",
    "analyze": "analyse",
    "license": "licence",
    "offense": "offence",
    "traveled": "travelled",
    "canceled": "cancelled",
    "percent": "per cent",
}
_CONNECTIVES_ADDED = ["Meanwhile, ", "In addition, ", "Also, ", "At the same time, ", "Still, "]
_CONNECTIVE_START = re.compile(
    r"^(But|And|However,|Meanwhile,|Still,|Also,|In addition,|Moreover,|Yet|So) "
)
_LOWER_STARTERS = {"The", "This", "That", "These", "Those", "It", "A", "An", "There", "Many"}
_SMALL = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_MONTH_ABBREVIATIONS = {
    "January": "Jan.",
    "February": "Feb.",
    "August": "Aug.",
    "September": "Sept.",
    "October": "Oct.",
    "November": "Nov.",
    "December": "Dec.",
}
_BYLINES = ["By Staff Writer", "By Anna Keller and Tom Ruiz", "By Newsroom Staff"]
_PHOTO = ["Photo: Reuters", "Photo: AP Photo/File", "Image: Getty Images"]
_REPORTED_QUOTE = re.compile(r"^[\"“]([^\"“”]{10,}?),[\"”] ([A-Z][\w.'’ -]{1,40}?) (said|says)\.$")
_LEADING_ATTRIBUTION = re.compile(
    r"^([A-Z][\w.'’ -]{1,40}?) (said|says), [\"“]([^\"“”]{10,}?)\.?[\"”]$"
)


def _sentences(paragraphs: list[list[Sentence]]) -> list[Sentence]:
    """The article's own sentences that are not part of a quotation running over sentences."""
    return [s for p in paragraphs for s in p if s.source is not None and not s.in_quote]


def _sub_outside(sentence: Sentence, pattern: re.Pattern, repl, limit: int = 0) -> int:
    """Replace ``pattern`` in the sentence outside its quotations; the number of replacements."""
    if not balanced_quotes(sentence.text):
        return 0
    count = 0
    out = ""
    last = 0
    for m in pattern.finditer(sentence.text):
        if limit and count >= limit:
            break
        if not outside_quotes(sentence.text, m.start(), m.end()):
            continue
        new = repl(m) if callable(repl) else m.expand(repl)
        out += sentence.text[last : m.start()] + new
        last = m.end()
        count += 1
    if count:
        sentence.text = out + sentence.text[last:]
    return count


def _apply_some(paragraphs, rng: random.Random, pattern: re.Pattern, repl, most: int = 3) -> bool:
    candidates = [s for s in _sentences(paragraphs) if pattern.search(s.text)]
    rng.shuffle(candidates)
    done = 0
    for sentence in candidates:
        done += _sub_outside(sentence, pattern, repl)
        if done >= most:
            break
    return done > 0


def reporting_verb(paragraphs, rng: random.Random, dates) -> bool:
    """said / stated / added / noted, says / states: the verb of an attribution, outside quotes."""
    verbs = {"said": ["stated", "added", "noted", "explained"], "says": ["states", "adds", "notes"]}
    return _apply_some(
        paragraphs,
        rng,
        re.compile(r"\b(said|says)\b(?! that)"),
        lambda m: rng.choice(verbs[m.group(1)]),
        most=4,
    )


def connective(paragraphs, rng: random.Random, dates) -> bool:
    """A connective added at the start of a sentence, or one dropped."""
    sentences = [s for s in _sentences(paragraphs) if s.source != 0]
    dropping = [s for s in sentences if _CONNECTIVE_START.match(s.text)]
    if dropping and rng.random() < 0.5:
        sentence = rng.choice(dropping)
        rest = _CONNECTIVE_START.sub("", sentence.text, count=1)
        sentence.text = rest[:1].upper() + rest[1:]
        return True
    adding = [s for s in sentences if s.text.split(" ", 1)[0] in _LOWER_STARTERS]
    if not adding:
        return False
    sentence = rng.choice(adding)
    sentence.text = rng.choice(_CONNECTIVES_ADDED) + sentence.text[0].lower() + sentence.text[1:]
    return True


def reorder(paragraphs, rng: random.Random, dates) -> bool:
    """Two paragraphs after the lead swap places, or two sentences of a paragraph."""
    if len(paragraphs) >= 4 and rng.random() < 0.6:
        i = rng.randrange(1, len(paragraphs) - 1)
        if not any(s.in_quote for p in paragraphs[i : i + 3] for s in p):
            paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
            return True
    longer = [p for p in paragraphs[1:] if len(p) >= 2 and not p[0].in_quote and not p[1].in_quote]
    if not longer:
        return False
    paragraph = rng.choice(longer)
    paragraph[0], paragraph[1] = paragraph[1], paragraph[0]
    return True


def drop_sentences(paragraphs, rng: random.Random, dates) -> bool:
    """One or two sentences after the lead left out (never one that carries an alteration)."""
    candidates = [s for s in _sentences(paragraphs) if s.source and not s.alterations]
    if len(candidates) < 6:
        return False
    for sentence in rng.sample(candidates, rng.choice([1, 2])):
        for paragraph in paragraphs:
            if sentence in paragraph:
                paragraph.remove(sentence)
    paragraphs[:] = [p for p in paragraphs if p]
    return True


def furniture(paragraphs, rng: random.Random, dates) -> bool:
    """Page furniture: a byline, a photo credit, "Read more", a copyright line or a dateline."""
    choice = rng.choice(["byline", "photo", "read_more", "copyright", "dateline"])
    year = dates.copy.year if dates.copy else 2014
    if choice == "byline":
        paragraphs.insert(0, [Sentence(rng.choice(_BYLINES))])
    elif choice == "photo":
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), [Sentence(rng.choice(_PHOTO))])
    elif choice == "read_more":
        paragraphs.append([Sentence("Read more: Latest news and analysis")])
    elif choice == "copyright":
        paragraphs.append(
            [Sentence(f"Copyright {year} The Associated Press. All rights reserved.")]
        )
    else:
        first = paragraphs[0][0]
        if first.source is None or re.match(r"^[A-Z .,]{3,}(\(\w+\))? ?[—–-]", first.text):
            return False  # a dateline is there already
        first.text = rng.choice(["WASHINGTON (AP) — ", "NEW YORK (Reuters) - "]) + first.text
    return True


def _number_words(m: re.Match) -> str:
    return _SMALL[int(m.group(1)) - 1]


def _million_to_digits(m: re.Match) -> str:
    whole, fraction = m.group(1), m.group(2) or ""
    return f"{round(float(whole + fraction) * 1_000_000):,}"


def number_style(paragraphs, rng: random.Random, dates) -> bool:
    """House style for numbers: "5 people" / "five people", "1.2 million" / "1,200,000"."""
    if rng.random() < 0.5:
        done = _apply_some(
            paragraphs,
            rng,
            re.compile(r"(?<![\w.,$])(\d)(?= [a-z]{3,})(?![\w.,%])"),
            _number_words,
            99,
        )
        if done:
            return True
    return _apply_some(
        paragraphs,
        rng,
        re.compile(r"(?<![\w.,$])(\d{1,3})(\.\d)? million\b"),
        _million_to_digits,
        99,
    )


def percent_style(paragraphs, rng: random.Random, dates) -> bool:
    """ "percent" / "per cent" / "%"."""
    target = rng.choice([" per cent", "%"])
    return _apply_some(paragraphs, rng, re.compile(r"(?<=\d) ?(percent|per cent|%)"), target, 99)


def date_style(paragraphs, rng: random.Random, dates) -> bool:
    """ "September 5" / "Sept. 5" / "5 September"."""
    pattern = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b(?!,? \d{4}:)")
    style = rng.choice(["day_first", "abbreviated"])

    def restyle(m: re.Match) -> str:
        if style == "day_first" or m.group(1) not in _MONTH_ABBREVIATIONS:
            return f"{m.group(2)} {m.group(1)}"
        return f"{_MONTH_ABBREVIATIONS[m.group(1)]} {m.group(2)}"

    return _apply_some(paragraphs, rng, pattern, restyle, 99)


def us_style(paragraphs, rng: random.Random, dates) -> bool:
    """ "U.S." / "US", "U.N." / "UN"."""
    return _apply_some(paragraphs, rng, re.compile(r"\b(U)\.(S|N|K)\.(?= [a-zA-Z])"), r"\1\2", 99)


def second_reference(paragraphs, rng: random.Random, dates) -> bool:
    """A person's full name on a later mention shortened to the surname."""
    text = " ".join(s.text for s in _sentences(paragraphs))
    full_names = re.findall(r"\b([A-Z][a-z]+ [A-Z][a-z]{2,})\b", text)
    repeated = sorted({n for n in full_names if full_names.count(n) >= 2})
    rng.shuffle(repeated)
    for name in repeated:
        seen = False
        changed = False
        for sentence in _sentences(paragraphs):
            for _ in range(sentence.text.count(name)):
                if seen:
                    changed |= bool(
                        _sub_outside(sentence, re.compile(re.escape(name)), name.split()[1], 1)
                    )
                seen = True
        if changed:
            return True
    return False


def spelling(paragraphs, rng: random.Random, dates) -> bool:
    """American spelling made British (lower-case words only, so no names change)."""
    pattern = re.compile(r"\b(" + "|".join(_BRITISH) + r")\b")
    return _apply_some(paragraphs, rng, pattern, lambda m: _BRITISH[m.group(1)], 99)


def relative_date(paragraphs, rng: random.Random, dates) -> bool:
    """ "yesterday" / "today" / "tomorrow" written as the weekday it means, or the other way.

    What a relative date means is fixed by the origin's publication date; a
    copy published later must write every one of them as the weekday (and may
    write a past weekday as "yesterday" or "today" only when that holds from
    its own date).
    """
    if dates.origin is None or dates.copy is None:
        return False
    shift = {"yesterday": -1, "today": 0, "tomorrow": 1}

    def weekday(m: re.Match) -> str:
        day = dates.origin + dt.timedelta(days=shift[m.group(1).lower()])
        return WEEKDAYS[day.weekday()]

    relative_words = re.compile(r"(?<=[a-z,] )(yesterday|today|tomorrow)\b(?![’']s)")
    if _apply_some(paragraphs, rng, relative_words, weekday, 99 if dates.moved else 3):
        return True
    # A weekday after a verb in the past tense is a day of the week before the origin's
    # date (a weekday after "will vote" may be next week's).
    relative = {}
    for word, d in (("yesterday", -1), ("today", 0)):
        day = dates.copy + dt.timedelta(days=d)
        if 0 <= (dates.origin - day).days < 7:
            relative[WEEKDAYS[day.weekday()]] = word
    if not relative:
        return False
    pattern = re.compile(
        r"(?<=\b(?:said|told|\w\wed) )(?:on )?(" + "|".join(relative) + r")\b(?! night| morning)"
    )
    return _apply_some(paragraphs, rng, pattern, lambda m: relative[m.group(1)])


def titles(paragraphs, rng: random.Random, dates) -> bool:
    """A title on a later reference dropped ("Mr. Perry" -> "Perry") or added where the article uses it."""
    sentences = _sentences(paragraphs)
    text = " ".join(s.text for s in sentences)
    titled = re.compile(
        r"\b(Mr\.|Mrs\.|Ms\.|Mr|Mrs|Ms|Dr\.|President|Gov\.|Sen\.|Rep\.) ([A-Z][a-z]+)\b"
    )
    used = {m.group(2): m.group(1) for m in titled.finditer(text)}
    if not used:
        return False
    if rng.random() < 0.5:
        later = sentences[1:]
        done = 0
        for sentence in later:
            done += _sub_outside(sentence, titled, r"\2")
        return done > 0
    bare = re.compile(r"(?<![\w.] )(?<!\w)(" + "|".join(map(re.escape, used)) + r")\b(?! [A-Z])")
    done = 0
    for sentence in sentences[1:]:
        done += _sub_outside(sentence, bare, lambda m: f"{used[m.group(1)]} {m.group(1)}")
    return done > 0


def split_sentence(paragraphs, rng: random.Random, dates) -> bool:
    """A long sentence cut in two at ", and" / ", but" / ";" outside quotes."""
    joint = re.compile(r"(, and |, but |; )(?=[a-z])")
    for paragraph in rng.sample(paragraphs, len(paragraphs)):
        for i, sentence in enumerate(paragraph):
            if sentence.source is None or sentence.in_quote or len(sentence.text.split()) < 25:
                continue
            for m in joint.finditer(sentence.text):
                if not outside_quotes(sentence.text, m.start(), m.end()):
                    continue
                head, tail = sentence.text[: m.start()], sentence.text[m.end() :]
                if len(head.split()) < 8 or len(tail.split()) < 8:
                    continue
                lead = "But " if "but" in m.group(1) else ""
                tail = lead + (tail[0].upper() + tail[1:] if not lead else tail)
                second = Sentence(tail, sentence.source, set(sentence.alterations), False)
                sentence.text = head + "."
                paragraph.insert(i + 1, second)
                return True
    return False


def merge_sentences(paragraphs, rng: random.Random, dates) -> bool:
    """Two short neighbouring sentences without quotations joined by ", and"."""
    for paragraph in rng.sample(paragraphs, len(paragraphs)):
        for i in range(len(paragraph) - 1):
            a, b = paragraph[i], paragraph[i + 1]
            if (
                a.source is None
                or b.source is None
                or a.alterations
                or b.alterations
                or a.in_quote
                or b.in_quote
            ):
                continue
            if any(q in a.text + b.text for q in '"“”') or not a.text.endswith("."):
                continue
            if len(a.text.split()) > 20 or len(b.text.split()) > 20:
                continue
            first = b.text.split(" ", 1)[0]
            if first not in _LOWER_STARTERS:
                continue
            a.text = a.text[:-1] + ", and " + b.text[0].lower() + b.text[1:]
            paragraph.remove(b)
            return True
    return False


def reported_speech(paragraphs, rng: random.Random, dates) -> bool:
    """'"We will win," Smith said.' becomes 'Smith said we will win.' (same words, same speaker)."""
    for sentence in rng.sample(_sentences(paragraphs), len(_sentences(paragraphs))):
        m = _REPORTED_QUOTE.match(sentence.text)
        if not m or sentence.alterations:
            continue
        words = m.group(1)
        first = words.split(" ", 1)[0]
        if first in {"We", "It", "The", "This", "That", "There", "They", "You", "He", "She"}:
            words = words[0].lower() + words[1:]
        sentence.text = f"{m.group(2)} {m.group(3)} {words}."
        return True
    return False


_SAID_NAME = re.compile(r"^[\"“]([^\"“”]{10,}?),[\"”] said ([A-Z][\w.'’ -]{1,40}?)\.$")
_COLON_ATTRIBUTION = re.compile(
    r"^([A-Z][\w.'’ -]{1,40}?) (said|says): [\"“]([^\"“”]{10,}?)\.?[\"”]$"
)


def move_attribution(paragraphs, rng: random.Random, dates) -> bool:
    """The attribution of a quotation before or after it, or inverted: 'X said' / 'said X'.

    '"Q," X said.' -> 'X said, "Q."' or '"Q," said X.'; 'X said: "Q."' and
    'X said, "Q."' -> '"Q," X said.'; '"Q," said X.' -> '"Q," X said.'.
    """
    for sentence in rng.sample(_sentences(paragraphs), len(_sentences(paragraphs))):
        after = _REPORTED_QUOTE.match(sentence.text)
        if after:
            quote, name, verb = after.groups()
            if rng.random() < 0.5:
                sentence.text = f"{name} {verb}, “{quote}.”"
            else:
                sentence.text = f"“{quote},” {verb} {name}."
            return True
        inverted = _SAID_NAME.match(sentence.text)
        if inverted:
            sentence.text = f"“{inverted.group(1)},” {inverted.group(2)} said."
            return True
        before = _LEADING_ATTRIBUTION.match(sentence.text) or _COLON_ATTRIBUTION.match(
            sentence.text
        )
        if before:
            sentence.text = f"“{before.group(3)},” {before.group(1)} {before.group(2)}."
            return True
    return False


_RARE = {
    "relative_date",
    "number_style",
    "percent_style",
    "date_style",
    "us_style",
    "titles",
    "reported_speech",
    "move_attribution",
    "merge_sentences",
}

EDITS = {
    "reporting_verb": reporting_verb,
    "connective": connective,
    "reorder": reorder,
    "drop_sentences": drop_sentences,
    "furniture": furniture,
    "number_style": number_style,
    "percent_style": percent_style,
    "date_style": date_style,
    "us_style": us_style,
    "second_reference": second_reference,
    "spelling": spelling,
    "relative_date": relative_date,
    "titles": titles,
    "split_sentence": split_sentence,
    "merge_sentences": merge_sentences,
    "reported_speech": reported_speech,
    "move_attribution": move_attribution,
}


@dataclass
class Dates:
    """Publication dates of the origin and of the copy (a copy may come out a day or two later)."""

    origin: dt.date | None
    copy: dt.date | None

    @property
    def moved(self) -> bool:
        return self.origin != self.copy


def apply_harmless(
    paragraphs: list[list[Sentence]], rng: random.Random, dates: Dates, count: int
) -> list[str]:
    """Apply ``count`` different applicable edits (fewer if the article offers fewer); their names."""
    names = list(EDITS)
    rng.shuffle(names)
    # Half the copies try first the edits that most articles offer little room for.
    if rng.random() < 0.5:
        rare = [n for n in names if n in _RARE]
        names = rare + [n for n in names if n not in _RARE]
    done = []
    if dates.moved and relative_date(paragraphs, rng, dates):
        done.append("relative_date")  # a later copy cannot keep the origin's "yesterday"
    for name in names:
        if name in done:
            continue
        if len(done) >= count:
            break
        if EDITS[name](paragraphs, rng, dates):
            done.append(name)
    return done
