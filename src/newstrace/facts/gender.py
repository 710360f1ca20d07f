"""Whether a named person is a man or a woman, as far as the article says,
so that "she said" goes to the last woman named rather than the last person.

The article says it by a title ("Mr. Perry", "Mrs. Clinton", "Sir Keir"), a
role noun that carries it ("spokeswoman Jen Psaki", "chairman Powell"), an
earlier "he"/"she" already tied to that person, or a first name that is a
man's or a woman's in every country the list knows ("Lisa Su", "Andrew
Feldman"). First names come from ``gender-guesser`` (the optional extra
``newstrace[names]``, installed by ``scripts/setup``; its name list is
GPL-3.0, so it is an extra of this Apache-2.0 package and not a requirement).
Without it, first names say nothing and only titles, role nouns and pronouns
count. A name the list marks "mostly", androgynous, or one way in one country
and the other way in the United States or Britain ("Jean", "Kim") says
nothing either: then "he"/"she" resolves as if gender were not known.
"""

from __future__ import annotations

from functools import cache

MALE = "m"
FEMALE = "f"

# Titles and honorifics written before a name.
_TITLE_GENDER = {
    "mr": MALE,
    "mister": MALE,
    "sir": MALE,
    "lord": MALE,
    "king": MALE,
    "prince": MALE,
    "mrs": FEMALE,
    "ms": FEMALE,
    "miss": FEMALE,
    "madam": FEMALE,
    "madame": FEMALE,
    "lady": FEMALE,
    "dame": FEMALE,
    "queen": FEMALE,
    "princess": FEMALE,
}
# Role nouns whose form says it: "spokeswoman", "congressman", "actress".
_ROLE_ENDINGS = (("woman", FEMALE), ("women", FEMALE), ("man", MALE), ("men", MALE))
_ROLE_FEMALE = {"actress", "businesswoman", "waitress", "hostess", "duchess", "countess"}
_NOT_ROLES = {"human", "german", "roman", "woman", "man", "shaman", "ottoman", "talisman"}
_PRONOUN_GENDER = {"he": MALE, "him": MALE, "his": MALE, "she": FEMALE, "her": FEMALE}


def pronoun_gender(word: str) -> str:
    """ "m" for "he"/"him"/"his", "f" for "she"/"her", else "" ("I", "they", "it")."""
    return _PRONOUN_GENDER.get(word.lower(), "")


def referent_gender(word: str) -> str:
    """Gender of the one "he", "she" or "the spokeswoman" stands for, else ""."""
    return pronoun_gender(word) or title_gender(word)


def title_gender(word: str, roles: bool = True) -> str:
    """Gender a title ("Mrs.") or, with ``roles``, a role noun ("spokeswoman") says, else ""."""
    word = word.lower().rstrip(".")
    if word in _TITLE_GENDER:
        return _TITLE_GENDER[word]
    if not roles:
        return ""
    if word in _ROLE_FEMALE:
        return FEMALE
    if word.isalpha() and word not in _NOT_ROLES and len(word) > 5:
        for ending, gender in _ROLE_ENDINGS:  # "chairman", "congresswoman", "spokesmen"
            if word.endswith(ending):
                return gender
    return ""


@cache
def _detector():
    """The first-name list, read once; None without the ``names`` extra."""
    try:
        from gender_guesser.detector import Detector  # type: ignore[import-untyped]
    except ImportError:  # the optional extra is not installed: titles and pronouns only
        return None
    return Detector(case_sensitive=False)


_OPPOSITE = {"male": ("female", "mostly_female"), "female": ("male", "mostly_male")}


@cache
def first_name_gender(name: str) -> str:
    """ "m" or "f" for a first name that is a man's or a woman's over all countries
    and not leaning the other way in the United States or Britain, else ""."""
    detector = _detector()
    if detector is None or not name.isalpha() or len(name) < 2:
        return ""
    guess = detector.get_gender(name)
    if guess not in _OPPOSITE:
        return ""
    for country in ("usa", "great_britain"):
        if detector.get_gender(name, country) in _OPPOSITE[guess]:
            return ""
    return MALE if guess == "male" else FEMALE


def fits(gender: str, pronoun: str) -> bool:
    """A person of ``gender`` can be the one a pronoun of gender ``pronoun`` stands for."""
    return not gender or not pronoun or gender == pronoun


def ent_gender(ent) -> str:
    """Gender a PERSON entity's own words say: a title in it or just before it
    ("Mrs. Clinton", "spokeswoman Jen Psaki"), else its first name when it has
    a surname after it ("Lisa Su"; a lone "Su" says nothing)."""
    tokens = [t for t in ent if t.text[:1].isalpha()]
    if tokens:  # a role noun only before a full name: "Spokeswoman Jane Okoro", not "Coleman"
        own = title_gender(tokens[0].text, roles=len(tokens) >= 3)
        if own:
            return own
    if ent.start > 0:
        gender = title_gender(ent.doc[ent.start - 1].text)
        if gender:
            return gender
    names = [t for t in tokens if t.text[:1].isupper()]
    return first_name_gender(names[0].text) if len(names) >= 2 else ""


_UNSURE = "?"  # a surname given to a man and to a woman in one article


class KnownGenders(dict):
    """Surname → gender learnt so far in one article: from a full name or title
    ("Lisa Su", then "Su said"), or from a "she" already tied to that person."""

    def of(self, gender: str, surname: str) -> str:
        """A person's gender: their own words' (``gender``), else what the article told before."""
        known = self.get(surname, "")
        return gender or ("" if known == _UNSURE else known)

    def learn(self, surname: str, gender: str) -> None:
        if gender and surname:
            known = self.get(surname)
            self[surname] = gender if known in (None, gender) else _UNSURE
