"""Reuse in any script: near copies are linked in seven languages, words are read in every script.

The articles are written here for the test: one short report of a ferry running
aground, in English, German, Russian, Greek, Arabic, Hindi and Chinese; its
near copy changes the passenger count and the weekday and drops one sentence,
as a newsroom lightly editing a wire story does.
"""

from __future__ import annotations

import numpy as np
import pytest

from newstrace.clean.text import clean_text
from newstrace.model import Document
from newstrace.nlp.words import words
from newstrace.reuse.candidates import shingle_hashes, shingle_pairs
from newstrace.reuse.links import find_links

# (sentences of the original, (old, new) for the number, (old, new) for the weekday)
ARTICLES = {
    "en": (
        [
            "A ferry carrying 312 passengers ran aground off the island of Kos on Tuesday morning.",
            "The coast guard said all passengers were rescued and taken to the port.",
            "Two crew members were treated for minor injuries at the local hospital.",
            "The ferry had left Piraeus the previous evening and was due to arrive at noon.",
            "Investigators are examining whether a navigation error caused the accident.",
            "The operator said services would resume on Friday after an inspection of the hull.",
        ],
        ("312", "318"),
        ("Tuesday", "Wednesday"),
    ),
    "de": (
        [
            "Eine Fähre mit 312 Passagieren ist am Dienstagmorgen vor der Insel Kos auf Grund gelaufen.",
            "Die Küstenwache teilte mit, alle Passagiere seien gerettet und in den Hafen gebracht worden.",
            "Zwei Besatzungsmitglieder wurden im örtlichen Krankenhaus wegen leichter Verletzungen behandelt.",
            "Die Fähre hatte Piräus am Vorabend verlassen und sollte am Mittag ankommen.",
            "Ermittler prüfen, ob ein Navigationsfehler den Unfall verursacht hat.",
            "Der Betreiber erklärte, der Fährbetrieb werde am Freitag nach einer Prüfung des Rumpfes wieder aufgenommen.",
        ],
        ("312", "318"),
        ("Dienstagmorgen", "Mittwochmorgen"),
    ),
    "ru": (
        [
            "Паром с 312 пассажирами на борту во вторник утром сел на мель у острова Кос.",
            "Береговая охрана сообщила, что все пассажиры были спасены и доставлены в порт.",
            "Двум членам экипажа оказали помощь в местной больнице в связи с лёгкими травмами.",
            "Паром вышел из Пирея накануне вечером и должен был прибыть в полдень.",
            "Следователи выясняют, не стала ли причиной аварии ошибка в навигации.",
            "Оператор заявил, что рейсы возобновятся в пятницу после осмотра корпуса судна.",
        ],
        ("312", "318"),
        ("во вторник", "в среду"),
    ),
    "el": (
        [
            "Ένα πλοίο με 312 επιβάτες προσάραξε την Τρίτη το πρωί ανοιχτά του νησιού Κως.",
            "Το λιμενικό ανακοίνωσε ότι όλοι οι επιβάτες διασώθηκαν και μεταφέρθηκαν στο λιμάνι.",
            "Δύο μέλη του πληρώματος νοσηλεύτηκαν για ελαφρά τραύματα στο τοπικό νοσοκομείο.",
            "Το πλοίο είχε αναχωρήσει από τον Πειραιά το προηγούμενο βράδυ και αναμενόταν να φτάσει το μεσημέρι.",
            "Οι ερευνητές εξετάζουν αν λάθος στη ναυσιπλοΐα προκάλεσε το ατύχημα.",
            "Η εταιρεία ανέφερε ότι τα δρομολόγια θα ξαναρχίσουν την Παρασκευή μετά από έλεγχο του σκάφους.",
        ],
        ("312", "318"),
        ("την Τρίτη", "την Τετάρτη"),
    ),
    "ar": (
        [
            "جنحت عبارة تقل 312 راكبا قبالة جزيرة كوس صباح يوم الثلاثاء.",
            "وقال خفر السواحل إن جميع الركاب أنقذوا ونقلوا إلى الميناء.",
            "وتلقى اثنان من أفراد الطاقم العلاج من إصابات طفيفة في المستشفى المحلي.",
            "وكانت العبارة قد غادرت ميناء بيرايوس مساء اليوم السابق وكان من المقرر أن تصل ظهرا.",
            "ويحقق المحققون فيما إذا كان خطأ في الملاحة قد تسبب في الحادث.",
            "وقالت الشركة المشغلة إن الرحلات ستستأنف يوم الجمعة بعد فحص هيكل السفينة.",
        ],
        ("312", "318"),
        ("الثلاثاء", "الأربعاء"),
    ),
    "hi": (
        [
            "मंगलवार सुबह कोस द्वीप के पास 312 यात्रियों को ले जा रही एक नौका फंस गई।",
            "तटरक्षक बल ने कहा कि सभी यात्रियों को बचा लिया गया और बंदरगाह पहुंचाया गया।",
            "चालक दल के दो सदस्यों का स्थानीय अस्पताल में मामूली चोटों का इलाज किया गया।",
            "नौका पिछली शाम पिरेयस से रवाना हुई थी और उसे दोपहर तक पहुंचना था।",
            "जांचकर्ता यह पता लगा रहे हैं कि क्या नौवहन में गलती के कारण यह दुर्घटना हुई।",
            "संचालक ने कहा कि जहाज के ढांचे की जांच के बाद सेवाएं शुक्रवार को फिर से शुरू होंगी।",
        ],
        ("312", "318"),
        ("मंगलवार", "बुधवार"),
    ),
    "zh": (
        [
            "一艘载有312名乘客的渡轮周二上午在科斯岛附近搁浅。",
            "海岸警卫队表示，所有乘客均已获救并被送往港口。",
            "两名船员因轻伤在当地医院接受治疗。",
            "这艘渡轮前一天晚上从比雷埃夫斯出发，原定中午抵达。",
            "调查人员正在调查事故是否由导航失误造成。",
            "运营公司表示，在检查船体之后，航班将于周五恢复。",
        ],
        ("312", "318"),
        ("周二", "周三"),
    ),
}


def _near_copy(sentences: list[str], number: tuple[str, str], day: tuple[str, str]) -> str:
    kept = sentences[:3] + sentences[4:]  # one sentence dropped
    text = "\n".join(kept)
    assert number[0] in text and day[0] in text
    return text.replace(number[0], number[1], 1).replace(day[0], day[1], 1)


@pytest.fixture(scope="module")
def links():
    docs = []
    for lang, (sentences, number, day) in ARTICLES.items():
        docs.append(
            Document(
                id=f"{lang}-wire",
                origin=f"{lang}-wire",
                text="\n".join(sentences),
                published="2024-10-01T08:00:00",
            )
        )
        docs.append(
            Document(
                id=f"{lang}-copy",
                origin=f"{lang}-copy",
                text=_near_copy(sentences, number, day),
                published="2024-10-01T14:00:00",
            )
        )
    return {d.id: d.text for d in docs}, find_links(docs)


@pytest.mark.parametrize("lang", list(ARTICLES))
def test_near_copy_is_linked_to_its_wire_story_in_every_language(links, lang):
    texts, links = links
    found = [
        link for link in links if {link.derived, link.origin} == {f"{lang}-wire", f"{lang}-copy"}
    ]
    assert len(found) == 1, f"{lang}: near copy not linked"
    (link,) = found
    assert (link.derived, link.origin, link.directed) == (f"{lang}-copy", f"{lang}-wire", True)
    assert link.kind in ("near_copy", "rewrite")
    assert link.passages
    for passage in link.passages:  # shown side by side: both spans hold the shared words
        derived = words(texts[link.derived][slice(*passage.derived)])
        origin = words(texts[link.origin][slice(*passage.origin)])
        assert len(set(derived) & set(origin)) >= 0.6 * max(len(set(derived)), 1)


def test_only_copies_are_linked_across_the_seven_languages(links):
    _, links = links
    assert all(link.derived.split("-")[0] == link.origin.split("-")[0] for link in links)
    assert len(links) == len(ARTICLES)


@pytest.mark.parametrize("lang", list(ARTICLES))
def test_the_cleaner_keeps_every_sentence_in_every_language(lang):
    """Cleaning counts words with the same tokeniser: a Chinese sentence is not one word."""
    sentences = ARTICLES[lang][0]
    cleaned = clean_text("\n".join(sentences))
    assert cleaned.removed == []
    assert cleaned.text.splitlines() == sentences


def test_words_are_read_in_every_script():
    assert words("Die Fähre fuhr ab") == ["die", "fähre", "fuhr", "ab"]
    assert words("Паром ВО вторник") == ["паром", "во", "вторник"]
    assert words("नौका मंगलवार को") == ["नौका", "मंगलवार", "को"]  # vowel signs stay inside
    assert words("بنگلہ دیش نے ٢٠١٤ میں") == ["بنگلہ", "دیش", "نے", "2014", "میں"]
    assert words("STRASSE 1,200 people") == words("Straße 1200 People")
    assert words("渡轮周二") == ["渡轮", "轮周", "周二"]  # no spaces: character bigrams


def test_documents_without_words_never_collide():
    texts = ["", "— — —", "!!! ???", "A ferry ran aground off Kos with 312 people on board."]
    shingles = [shingle_hashes(words(t)) for t in texts]
    assert [len(s) for s in shingles[:3]] == [0, 0, 0]
    assert shingle_pairs(shingles + [shingles[3].copy()]) == {(3, 4)}


def test_a_short_passage_in_a_long_text_is_a_candidate():
    """Containment, not Jaccard: a short item quoted inside a long one pairs with it."""
    rng = np.random.default_rng(5)
    vocabulary = [f"w{k}" for k in range(5000)]
    long_text = list(rng.choice(vocabulary, 600))
    short = long_text[200:215] + list(rng.choice(vocabulary, 25))
    other = list(rng.choice(vocabulary, 600))
    pairs = shingle_pairs([shingle_hashes(t) for t in (long_text, short, other)])
    assert (0, 1) in pairs and (1, 2) not in pairs and (0, 2) not in pairs


def test_3gram_index_taken_in_parts_finds_the_same_pairs():
    """A large corpus is indexed part by part (bounded memory): the pairs must not change,
    including pairs whose shared 3-grams fall in different parts."""
    rng = np.random.default_rng(11)
    vocabulary = [f"w{k}" for k in range(3000)]
    texts = [list(rng.choice(vocabulary, int(rng.integers(0, 300)))) for _ in range(400)]
    for k in range(0, 400, 9):  # passages taken from another text
        texts[k] = texts[k] + texts[(k * 7 + 3) % 400][:40]
    shingles = [shingle_hashes(t) for t in texts]
    whole = shingle_pairs(shingles)
    assert len(whole) > 40
    for grams_per_part in (20_000, 3_001, 500):
        assert shingle_pairs(shingles, grams_per_part=grams_per_part) == whole
