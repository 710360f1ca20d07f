"""The text cleaner on real scraped articles: furniture goes, every article line stays."""

from pathlib import Path

import pytest
from conftest import ECB as ECB_DIR
from conftest import SEEDS as SEEDS_DIR

from newstrace.clean import clean_documents, clean_text
from newstrace.model import Document

pytestmark = pytest.mark.shared

SEEDS = sorted(SEEDS_DIR.glob("*.txt"))
ECB = sorted(ECB_DIR.glob("*.txt"))

# Page furniture found by reading the seeds, with the reasons that name it correctly.
FURNITURE = {
    "Connect with us": {"navigation prompt"},
    "Hi, what are you looking for?": {"navigation prompt"},
    "International": {"section label", "navigation prompt"},
    "Written By": {"byline box"},
    "About Author": {"byline box"},
    "Click to comment": {"comment form"},
    "Leave a Reply": {"comment form"},
    "Your email address will not be published. Required fields are marked *": {"comment form"},
    "Latest Updates": {"teaser list heading", "section label"},
    "Entertainment": {"section label"},
    '" "': {"stray punctuation"},
    "0": {"counter"},
    "0 95": {"counter"},
}
FURNITURE_STARTS = {  # long lines, by their opening words
    "Home World Live International Crisis": {"breadcrumb"},
    "For continuous updates and in-depth analysis": {"template placeholder", "call to action"},
    "Note to Readers:": {"call to action"},
    "An Italian aircraft carrier has docked": {"teaser of unrelated article"},
    "TikTok influencer Minahil Malik": {"teaser of unrelated article"},
    "Elif Karaarslan, a 24-year-old": {"teaser of unrelated article"},
    "Bakhtawar Bhutto Zardari": {"teaser of unrelated article"},
}


def _lines(text):
    return [line.strip() for line in text.splitlines() if line.strip()]


def _expected_reasons(line):
    if line in FURNITURE:
        return FURNITURE[line]
    for start, reasons in FURNITURE_STARTS.items():
        if line.startswith(start):
            return reasons
    return None


@pytest.fixture(scope="module")
def cleaned_seeds():
    docs = []
    for n, path in enumerate(SEEDS):
        raw = path.read_text(encoding="utf-8")
        docs.append(Document(id=f"s{n}", origin=str(path), raw=raw, title=_lines(raw)[0]))
    return clean_documents(docs)


def test_seeds_are_present():
    assert len(SEEDS) == 5


def test_every_piece_of_furniture_is_removed_with_its_reason(cleaned_seeds):
    checked = 0
    for doc in cleaned_seeds:
        kept = set(_lines(doc.text))
        reasons = {}
        for removal in doc.removed:
            reasons.setdefault(removal.text.strip(), set()).add(removal.reason)
        for line in _lines(doc.raw):
            expected = _expected_reasons(line)
            if expected is None:
                continue
            checked += 1
            assert line not in kept, f"{doc.origin}: furniture kept: {line!r}"
            assert reasons.get(line, set()) & expected, (
                f"{doc.origin}: {line!r} removed as {reasons.get(line)}"
            )
    assert checked == 23


def test_every_article_line_is_kept(cleaned_seeds):
    for doc in cleaned_seeds:
        kept = set(_lines(doc.text))
        for line in _lines(doc.raw):
            if _expected_reasons(line) is None:
                assert line in kept, f"{doc.origin}: article line removed: {line!r}"


def test_article_sentences_datelines_quotes_and_subheadings_survive(cleaned_seeds):
    text = "\n".join(doc.text for doc in cleaned_seeds)
    assert "TEL AVIV, Israel — Secretary of State Antony Blinken emphasized on Wednesday" in text
    assert (
        "“It’s truly time to end this war. We are all paying a heavy price and suffering,” Beilin told."
        in text
    )
    assert "adding to the staggering toll of 42,718 since hostilities began" in text
    for subheading in (
        "Strategic Shift",
        "Limited Optimism",
        "Humanitarian Concerns Compound the Crisis",
    ):
        assert subheading in _lines(text)


def test_headline_kept_once_at_the_top_and_title_fixed(cleaned_seeds):
    for doc in cleaned_seeds:
        lines = _lines(doc.text)
        assert lines[0] == doc.title, doc.origin
        assert lines.count(doc.title) == 1, doc.origin
        assert not _expected_reasons(doc.title)
    titles = {doc.title for doc in cleaned_seeds}
    assert (
        "Blinken meets Israeli leaders in bid to revive Gaza And Lebanon ceasefire Efforts"
        in titles
    )
    assert "Blinken urges urgent ceasefire talks between Israel, Hamas" in titles


def test_clean_articles_lose_almost_nothing():
    """On 772 clean ECB+ articles, the cleaner removes (almost) no article line."""
    lines = removed = 0
    for path in ECB:
        raw = path.read_text(encoding="utf-8")
        raw_lines = _lines(raw)
        result = clean_text(raw)
        lines += len(raw_lines)
        kept = set(_lines(result.text))
        removed += sum(1 for r in result.removed if r.text.strip() not in kept)
    assert len(ECB) > 700
    assert removed / lines < 0.002


def _ecb_article(index):
    return ECB[index].read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("index", [3, 100, 400])
def test_unseen_furniture_around_a_clean_article_is_removed(index):
    """Furniture phrased unlike anything in the seeds, around real article text."""
    article = _ecb_article(index)
    head = ["Skip to main content", "Menu", "Search", "News > World > Americas"]
    tail = [
        "Share this article",
        "Facebook Twitter WhatsApp Email",
        "Subscribe to our newsletter",
        "We use cookies to improve your experience. Accept cookies",
        "Related stories",
        "Celebrity chef opens third restaurant in downtown Lisbon as tourism numbers rise to a record...",
        "Local council approves new cycle lanes after a two-year consultation with residents and...",
        "Posted by admin",
        "3 comments",
    ]
    result = clean_text("\n".join(head + [article] + tail))
    kept = _lines(result.text)
    assert kept == _lines(article)
    assert {r.text for r in result.removed} == set(head + tail)


def test_breadcrumb_glued_to_a_headline_given_once_is_cut_off():
    """With the title known (page metadata, a JSON record), a breadcrumb glued to it is cut, the headline kept."""
    seed = next(p for p in SEEDS if "Home World Live" in p.read_text(encoding="utf-8"))
    lines = _lines(seed.read_text(encoding="utf-8"))
    headline = lines[1]
    raw = "\n".join([lines[0]] + [line for line in lines[1:] if line not in (headline, "0")])
    doc = Document(id="g", origin="glued", raw=raw, title=headline)
    clean_documents([doc])
    assert _lines(doc.text)[0] == headline
    assert [r.reason for r in doc.removed] == ["breadcrumb"]
    assert doc.removed[0].text == lines[0][: -len(headline)].strip()
    assert _lines(doc.text)[1:] == _lines(raw)[1:]


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_sample_corpus_boilerplate_is_removed_and_recorded():
    """Every boilerplate line the sample corpus's ground truth lists is gone from the cleaned text.

    In plain text the cleaner itself removes it, so it must be recorded; in HTML
    the extractor never takes it into the body.
    """
    import json

    from newstrace.ingest import read_inputs

    truth = json.loads((SAMPLES / "truth.json").read_text(encoding="utf-8"))
    files = {a["key"]: a for a in truth["articles"]}
    for key, lines in truth["boilerplate"].items():
        article = files[key]
        docs = [d for d in read_inputs([SAMPLES / article["file"]]) if isinstance(d, Document)]
        if article.get("record"):
            docs = [d for d in docs if d.origin.endswith("#" + article["record"])]
        (doc,) = clean_documents(docs)
        removed = " ".join(r.text for r in doc.removed)
        for line in lines:
            assert line not in doc.text, (key, line)
            if article["format"] == "text":
                assert line in removed, (key, line)
