"""Places of events and where someone travels next.

spaCy tags GPE/LOC/FAC names; which of them is an event's place or a trip's
next destination comes from the syntax around them, by our rules: a place
after "to"/"for" on a travel verb in the future or after "before departing"
("set to travel to Jordan", "before departing Israel for Saudi Arabia",
"is set to continue his efforts in Jordan") is the *next destination* of the
verb's subject; a place after "in"/"at"/"near" is where the verb's event
happened. Name variants ("U.S." / "United States") are folded together.
"""

from __future__ import annotations

import re

from newstrace.facts.claims import Claim

PLACE_LABELS = {"GPE", "LOC", "FAC"}
TRAVEL_VERBS = {
    "travel",
    "head",
    "go",
    "fly",
    "depart",
    "leave",
    "continue",
    "move",
    "proceed",
    "visit",
    "journey",
    "arrive",
    "return",
    "stop",
}
_FUTURE_MARKERS = {
    "will",
    "'ll",
    "set",
    "due",
    "expect",
    "schedule",
    "plan",
    "to",
    "before",
    "next",
    "later",
    "then",
}
_LOCATIVE = {"in", "at", "near", "outside", "inside"}
_ALIASES = {
    "u.s.": "united states",
    "us": "united states",
    "u.s": "united states",
    "usa": "united states",
    "america": "united states",
    "the united states": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "the gaza strip": "gaza",
    "gaza strip": "gaza",
    "the west bank": "west bank",
    "ala.": "alabama",
    "ariz.": "arizona",
    "ark.": "arkansas",
    "calif.": "california",
    "colo.": "colorado",
    "conn.": "connecticut",
    "del.": "delaware",
    "fla.": "florida",
    "ga.": "georgia",
    "ill.": "illinois",
    "ind.": "indiana",
    "kan.": "kansas",
    "ky.": "kentucky",
    "la.": "louisiana",
    "md.": "maryland",
    "mass.": "massachusetts",
    "mich.": "michigan",
    "minn.": "minnesota",
    "miss.": "mississippi",
    "mo.": "missouri",
    "mont.": "montana",
    "neb.": "nebraska",
    "nev.": "nevada",
    "n.h.": "new hampshire",
    "n.j.": "new jersey",
    "n.m.": "new mexico",
    "n.y.": "new york",
    "n.c.": "north carolina",
    "n.d.": "north dakota",
    "okla.": "oklahoma",
    "ore.": "oregon",
    "pa.": "pennsylvania",
    "r.i.": "rhode island",
    "s.c.": "south carolina",
    "s.d.": "south dakota",
    "tenn.": "tennessee",
    "tex.": "texas",
    "vt.": "vermont",
    "va.": "virginia",
    "wash.": "washington",
    "w.va.": "west virginia",
    "wis.": "wisconsin",
    "wyo.": "wyoming",
    "nyc": "new york city",
    "l.a.": "los angeles",
}


_INITIALISM = re.compile(r"(?:[a-z]\.)+[a-z]\.?")


def place_key(text: str) -> str:
    lower = " ".join(text.lower().replace("’s", "").replace("'s", "").split())
    if _INITIALISM.fullmatch(lower):  # "U.K" (cut from "U.K..") / "UK", "E.U." / "EU"
        lower = _ALIASES.get(lower.rstrip(".") + ".", lower.replace(".", ""))
    lower = _ALIASES.get(lower, lower)
    return lower[4:] if lower.startswith("the ") else lower


def _is_next_trip(verb, prep) -> bool:
    """True when ``verb`` is a trip yet to come: future, planned, or "before departing"."""
    lemmas = {verb.lemma_.lower()}
    cursor = verb
    for _ in range(3):
        lemmas.update(
            c.lemma_.lower()
            for c in cursor.children
            if c.dep_ in ("aux", "auxpass", "advmod", "mark")
        )
        if cursor.dep_ in ("xcomp", "pcomp", "advcl") and cursor.head is not cursor:
            lemmas.add(cursor.head.lemma_.lower())
            cursor = cursor.head
        else:
            break
    if verb.lemma_.lower() in ("depart", "leave") and prep.lower_ == "for":
        # "before departing Israel for Saudi Arabia"; "left for Washington a week
        # ago" (past tense) is a trip already made, not the next one
        return verb.tag_ != "VBD"
    return bool(lemmas & _FUTURE_MARKERS - {"to"}) or (
        verb.dep_ == "xcomp"
        and verb.head.lemma_.lower() in ("set", "due", "expect", "schedule", "plan")
    )


def _traveler(verb):
    cursor = verb
    for _ in range(4):
        subjects = [c for c in cursor.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        if cursor.head is cursor:
            return None
        cursor = cursor.head
    return None


def extract_places(
    parsed, sent, base: int, doc_id: str, index: int, sent_span, last_person: str | None
) -> list[Claim]:
    claims = []
    for ent in sent.ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        root = ent.root
        # an actor ("Israel said") is a place too, but only compared with the same
        # sentence of another article (a "mention": no role to line it up by)
        prep = root.head if root.dep_ == "pobj" else None
        holder = prep.head if prep is not None else root.head
        verb = holder
        for _ in range(2):  # "continue his efforts in Jordan": the prep hangs on the object
            if verb.pos_ in ("VERB", "AUX"):
                break
            verb = verb.head
        role, who = (
            ("", "")
            if root.dep_ in ("nsubj", "nsubjpass", "poss", "compound")
            else _role(root, prep, holder, verb, last_person)
        )
        if not role:
            role = "mention"  # only checked against an aligned copy
        if role == "destination":
            subject = f"next destination of {who}"
        elif role == "location":
            subject = f"place: {who} {verb.text}".strip()
        else:
            subject = f"place: {ent.text}"
        claims.append(
            Claim(
                kind="place",
                doc=doc_id,
                sentence=index,
                span=sent_span,
                text="",
                mention=(base + ent.start_char, base + ent.end_char),
                subject=subject,
                value=place_key(ent.text),
                report_value={"place": ent.text, "role": role},
                key=frozenset({who.lower().split()[-1]} if who else set()),
                role=role,
                extra={"weak": role == "mention"},
            )
        )
    return claims


def _role(root, prep, holder, verb, last_person):
    lemma = verb.lemma_.lower()
    traveler = _traveler(verb)
    who = ""
    if traveler is not None:
        who = last_person or "" if traveler.pos_ == "PRON" else traveler.text
    if (
        (
            lemma in TRAVEL_VERBS
            and prep is not None
            and (
                prep.lower_ in ("to", "for", "toward", "towards")
                or (lemma == "continue" and prep.lower_ == "in")
            )
        )
        and _is_next_trip(verb, prep)
        and who
    ):
        return "destination", who
    if lemma in ("depart", "leave") and root.dep_ == "dobj":
        return "", ""
    if prep is not None and prep.lower_ in _LOCATIVE and verb.pos_ in ("VERB", "AUX"):
        return "location", who
    return "", ""
