"""The static story dossier: what a reader sees, and that untrusted text stays text.

The reuse and facts stages are built in parallel, so the reports here are
made by hand from the seed articles: 001 and 002 share an unseen original
(passages aligned by sentence with difflib), and Beilin's quote was reworded
between them. The other test modules (web, browser) import these builders.
"""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser

import pytest
from conftest import SEEDS

from newstrace.model import (
    Document,
    Fact,
    Passage,
    Removal,
    Report,
    ReuseLink,
    Skipped,
    Statement,
    Story,
)
from newstrace.report import render_html

pytestmark = pytest.mark.shared

FURNITURE = re.compile(
    r"^(Connect with us|Hi, what are you looking for\?|International|0|Home World Live .*)$"
)
DATES = {
    "000": "2024-10-22",
    "001": "2024-10-24",
    "002": "2024-10-22T18:40:00",
    "003": "2024-10-23",
    "004": "2024-08-19",
}
EVIL = '<script>alert(1)</script> <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">click me</a>'


def _seed(number: str) -> Document:
    path = next(SEEDS.glob(f"{number}_*.txt"))
    lines = path.read_text(encoding="utf-8").splitlines()
    kept, removed = [], []
    for line in lines:
        if FURNITURE.match(line.strip()):
            removed.append(Removal(line.strip(), "page furniture"))
        else:
            kept.append(line)
    body = [line for line in kept if re.search(r"\w{3}", line)]
    return Document(
        id=number,
        origin=str(path),
        title=body[0],
        text="\n".join(body[1:]),
        source=f"outlet{number}.example",
        url=f"https://outlet{number}.example/news/{number}",
        published=DATES[number],
        removed=removed,
    )


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a stop, then a space; not after a one-letter abbreviation ("U.S.")."""
    spans, start = [], 0
    for m in re.finditer(r"(?<=[.!?])(?<!\b[A-Z]\.)[”\"’]?(?=\s)|\n", text):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    trimmed = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        if e - s > 1:
            trimmed.append((s, e))
    return trimmed


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def _align(derived: Document, origin: Document) -> list[Passage]:
    """Each derived sentence with its most similar origin sentence; neighbours that
    match the same origin sentence become one passage."""
    origin_sents = _sentences(origin.text)
    pairs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for ds, de in _sentences(derived.text):
        ratio, best = max(
            (_similarity(derived.text[ds:de], origin.text[a:b]), (a, b)) for a, b in origin_sents
        )
        if ratio < 0.35:
            continue
        if pairs and pairs[-1][1] == best:
            pairs[-1] = ((pairs[-1][0][0], de), best)
        else:
            pairs.append(((ds, de), best))
    return [
        Passage(
            derived=d,
            origin=o,
            similarity=round(_similarity(derived.text[d[0] : d[1]], origin.text[o[0] : o[1]]), 3),
        )
        for d, o in pairs
    ]


def _statement(doc: Document, needle: str, value: object = None) -> Statement:
    start = doc.text.index(needle)
    return Statement(doc=doc.id, span=(start, start + len(needle)), text=needle, value=value)


def seed_report() -> Report:
    docs = {n: _seed(n) for n in DATES}
    d0, d1, d2, d3 = docs["000"], docs["001"], docs["002"], docs["003"]
    for doc in docs.values():
        doc.story = "s1" if doc.id != "004" else "s2"
    link = ReuseLink(
        derived="002",
        origin="001",
        directed=False,
        kind="shared_source",
        score=0.62,
        passages=_align(d2, d1),
        why="both rewrite one original that is not in the corpus",
    )
    quote_1 = "“It’s time to end this war; we are all paying too high a price,” Beilin remarked."
    quote_2 = "“It’s truly time to end this war. We are all paying a heavy price and suffering,” Beilin told."
    facts = [
        Fact(
            "f1",
            "quote",
            "Yossi Beilin on the war",
            "altered",
            [
                _statement(
                    d1, quote_1, "It’s time to end this war; we are all paying too high a price"
                ),
                _statement(
                    d2,
                    quote_2,
                    "It’s truly time to end this war. We are all paying a heavy price and suffering",
                ),
            ],
            "the quotation is worded differently in a copy, inside quotation marks",
        ),
        Fact(
            "f2",
            "quantity",
            "residents of Gaza",
            "agree",
            [
                _statement(d1, "2.3 million residents", 2300000),
                _statement(d2, "2.3 million inhabitants", 2300000),
                _statement(d3, "2.3 million individuals", 2300000),
            ],
            "all give 2.3 million",
        ),
        Fact(
            "f3",
            "quantity",
            "Blinken's visits to the Middle East",
            "agree",
            [
                _statement(d0, "11th trip", 11),
                _statement(d1, "11th visit", 11),
                _statement(d3, "11th visit", 11),
            ],
            "all say it is the 11th",
        ),
        Fact(
            "f4",
            "quantity",
            "displaced in northern Gaza",
            "single_source",
            [_statement(d3, "60,000 people have been displaced", 60000)],
            "only one article gives this",
        ),
    ]
    stories = [
        Story(
            "s1", d1.title, ["000", "001", "002", "003"], "2024-10-22", "2024-10-24", [link], facts
        ),
        Story("s2", docs["004"].title, ["004"], "2024-08-19", "2024-08-19"),
    ]
    return Report(documents=list(docs.values()), stories=stories)


def evil_report() -> Report:
    """Hostile markup everywhere a scraped page can put text."""
    base = seed_report()
    d1 = next(d for d in base.documents if d.id == "001")
    evil = Document(
        id="e1",
        origin=f"evil{EVIL}.html",
        title=f"Breaking {EVIL}",
        source=f"evil{EVIL}",
        url="javascript:alert(4)",
        published="2024-10-23",
        text=f"Officials met on Tuesday. {EVIL} The talks went on.\nA second line.",
        removed=[Removal(EVIL, f"share prompt {EVIL}")],
        story="s1",
    )
    start = evil.text.index("<script>")
    fact = Fact(
        "x1",
        "quote",
        f"subject {EVIL}",
        "conflict",
        [Statement("e1", (start, start + len(EVIL)), EVIL, EVIL), _statement(d1, "11th visit", 11)],
        f"explained {EVIL}",
    )
    link = ReuseLink(
        "e1", "001", True, "rewrite", 0.4, [Passage((0, len(evil.text)), (0, 200), 0.4)], EVIL
    )
    story = Story("s1", f"Story {EVIL}", ["001", "e1"], reuse=[link], facts=[fact])
    return Report(documents=[d1, evil], stories=[story])


class _Collector(HTMLParser):
    """The tags, attributes and visible text of a page, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.script_bodies if self._in_script else self.text).append(data)


def parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


@pytest.fixture(scope="module")
def seed_page() -> str:
    return render_html(seed_report())


def test_page_loads_nothing_from_the_network(seed_page):
    parsed = parse(seed_page)
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp
    assert "'unsafe-inline'" not in csp and "http" not in csp
    for tag, attrs in parsed.tags:
        assert not attrs.get("src"), (tag, attrs)
        if tag == "link":
            pytest.fail(f"external stylesheet or resource: {attrs}")
        if tag == "a":
            assert not attrs["href"].startswith("//")


def test_story_list_and_story_header(seed_page):
    text = " ".join(parse(seed_page).text)
    assert "Blinken Urges Israeli Leaders to Renew Efforts" in text
    assert "22 Oct 2024 – 24 Oct 2024" in text
    assert "4 articles" in text and "outlet001.example, outlet002.example" in text
    assert 'href="#story-s2"' in seed_page


def test_graph_shows_the_shared_source_link_with_kind_and_score(seed_page):
    graph = seed_page[seed_page.index('<svg class="graph"') :]
    graph = graph[: graph.index("</svg>")]
    assert "shared source 0.62" in graph
    assert "unseen original" in graph
    assert 'data-node="001"' in graph and 'data-node="002"' in graph
    assert 'href="#cmp-s1-001-002"' in graph


def test_facts_grouped_by_verdict_flagged_first(seed_page):
    story = seed_page[seed_page.index('id="story-s1"') : seed_page.index('id="story-s2"')]
    assert re.findall(r'<summary><span class="pill (\w+)">', story) == [
        "altered",
        "agree",
        "single_source",
    ]
    assert "the quotation is worded differently in a copy" in seed_page
    assert 'data-fact="fact-f1"' in seed_page


def test_side_by_side_marks_the_changed_words_of_the_quote(seed_page):
    compare = seed_page[seed_page.index('id="cmp-s1-001-002"') :]
    compare = compare[: compare.index("</details>")]
    origin_cells = re.findall(r'<div class="cell origin[^"]*"[^>]*>(.*?)</div>', compare, re.S)
    derived_cells = re.findall(r'<div class="cell derived[^"]*"[^>]*>(.*?)</div>', compare, re.S)
    quote_row = next(
        i for i, cell in enumerate(derived_cells) if "heavy price" in re.sub("<[^>]+>", "", cell)
    )
    assert "too high" in re.sub("<[^>]+>", "", origin_cells[quote_row])
    changed_right = re.findall(
        r'<span class="(?:stmt flag )?diff"[^>]*>([^<]*)</span>', derived_cells[quote_row]
    )
    changed_left = re.findall(
        r'<span class="(?:stmt flag )?diff"[^>]*>([^<]*)</span>', origin_cells[quote_row]
    )
    assert any("truly" in s for s in changed_right)
    assert any("heavy" in s for s in changed_right)
    assert any("too high" in s for s in changed_left)
    unchanged_right = re.sub(
        r'<span class="[^"]*diff"[^>]*>[^<]*</span>', "", derived_cells[quote_row]
    )
    assert "end this war" in unchanged_right
    # the statement spans carry the fact id, so a click can find them on both sides
    assert (
        'data-facts="fact-f1"' in origin_cells[quote_row]
        and 'data-facts="fact-f1"' in derived_cells[quote_row]
    )


def test_removed_furniture_is_listed_collapsed(seed_page):
    article = seed_page[seed_page.index('id="doc-s1-002"') :]
    article = article[: article.index('id="doc-s1-003"')]
    assert "page furniture removed" in article
    assert "Connect with us" in article
    assert '<details class="removed">' in article


def test_hostile_markup_is_shown_as_text_and_never_as_markup():
    page = render_html(evil_report())
    parsed = parse(page)
    assert len(parsed.script_bodies) == 1  # ours only, hash-pinned by the policy
    scripts = [a for t, a in parsed.tags if t == "script"]
    assert scripts == [{}]
    for tag, attrs in parsed.tags:
        assert tag != "img"
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "javascript:" not in (attrs.get("href") or "")
    text = "".join(parsed.text)
    assert "<script>alert(1)</script>" in text
    assert 'onerror="alert(2)"' in text
    assert "javascript:alert(4)" in text  # the URL is shown, not linked


def test_inline_script_and_style_are_pinned_by_hash():
    import base64
    import hashlib

    page = render_html(seed_report())
    parsed = parse(page)
    csp = next(
        a["content"]
        for t, a in parsed.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    script = parsed.script_bodies[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert not any(
        "style" in attrs for _, attrs in parsed.tags
    )  # inline style attributes would be blocked


def test_graph_layers_copies_right_of_their_origin():
    from newstrace.report.dossier import story_view

    report = seed_report()
    story = report.stories[0]
    story.reuse = [
        ReuseLink("001", "000", True, "rewrite", 0.5),
        ReuseLink("003", "001", True, "near_copy", 0.9),
        ReuseLink("002", "001", False, "shared_source", 0.6),
    ]
    graph = story_view(report, story).graph
    x = {n.id: n.x for n in graph.nodes}
    assert x["000"] < x["001"] < x["003"]
    assert any(n.virtual for n in graph.nodes)
    labels = [e.label for e in graph.edges if e.label]
    assert sorted(labels) == [
        "near copy 0.90 ← 001",
        "rewrite 0.50 ← 000",
        "shared source 0.60 ↔ 001",
    ]


def test_a_copy_of_unknown_direction_is_an_undirected_edge_not_a_shared_source():
    from newstrace.report.dossier import story_view

    report = seed_report()
    story = report.stories[0]
    story.reuse = [ReuseLink("002", "001", False, "near_copy", 0.8)]
    graph = story_view(report, story).graph
    assert not any(n.virtual for n in graph.nodes)
    [line] = [e for e in graph.edges if e.path]
    [label] = [e for e in graph.edges if e.label]
    assert line.dashed and label.label == "near copy 0.80 ↔ 001"


def test_empty_report_renders():
    page = render_html(Report())
    assert "No stories." in page


def test_a_short_statement_carries_its_sentence_as_context(seed_page):
    article = seed_page[seed_page.index('id="doc-s1-001"') :]
    article = article[: article.index("</details>")]
    context = "".join(
        re.findall(
            r'<span class="[^"]*ctx[^"]*"[^>]*data-context="[^"]*fact-f3[^"]*">([^<]*)</span>',
            article,
        )
    )
    assert context.startswith("Blinken arrived in Israel on Tuesday, marking his ")
    assert context.endswith("since the Gaza conflict erupted more than a year ago.")
    assert re.search(
        r'<span class="stmt ctx" data-facts="fact-f3" data-context="fact-f3">11th visit</span>',
        article,
    )


def test_timeline_orders_by_date_and_lists_undated_articles():
    from newstrace.report.dossier import story_view

    report = seed_report()
    report.document("003").published = None
    view = story_view(report, report.stories[0])
    assert [p.label.split(" ")[0] for p in view.timeline.points] == ["000", "002", "001"]
    xs = [p.x for p in view.timeline.points]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    assert view.timeline.undated == ["003 · outlet003.example"]
    assert all(0 <= x <= view.timeline.width for x in xs)


def test_long_unflagged_fact_groups_start_collapsed():
    from newstrace.model import Fact

    report = seed_report()
    d3 = report.document("003")
    report.stories[0].facts += [
        Fact(f"n{i}", "quantity", f"filler {i}", "single_source", [_statement(d3, "60,000 people")])
        for i in range(6)
    ]
    page = render_html(report)
    groups = dict(re.findall(r'<details class="facts-group" id="facts-s1-(\w+)"( open)?>', page))
    assert groups == {"altered": " open", "agree": " open", "single_source": ""}


def test_a_flagged_fact_marks_the_words_its_statements_differ_in(seed_page):
    fact = seed_page[seed_page.index('id="fact-s1-f1"') :]
    fact = fact[: fact.index("</ul>")]
    first, second = re.findall(r"<li>(.*?)</li>", fact, re.S)
    assert re.findall(r'<span class="diff">([^<]*)</span>', first) == [";", "too high", "remarked"]
    assert "truly" in re.findall(r'<span class="diff">([^<]*)</span>', second)
    agreed = seed_page[seed_page.index('id="fact-s1-f2"') :]
    assert 'class="diff"' not in agreed[: agreed.index("</ul>")]


def test_odd_ids_and_spans_past_the_text_still_render():
    doc_a = Document(
        id="https://a.example/x y", origin="a", text="One sentence here. Another one.", story="s/1"
    )
    doc_b = Document(
        id='b"><script>', origin="b", text="One sentence there. Another one!", story="s/1"
    )
    link = ReuseLink(doc_b.id, doc_a.id, True, "near_copy", 0.9, [Passage((0, 999), (5, 2), 0.9)])
    fact = Fact(
        'f "1"',
        "quote",
        "x",
        "conflict",
        [Statement(doc_a.id, (10, 500), "here"), Statement("gone", (0, 1), "?")],
    )
    report = Report(
        [doc_a, doc_b],
        [],
        [Story("s/1", "Odd", [doc_a.id, doc_b.id, "missing"], reuse=[link], facts=[fact])],
    )
    page = render_html(report)
    ids = [attrs["id"] for _, attrs in parse(page).tags if "id" in attrs]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", i) for i in ids), ids
    assert page.count("<script") == 1  # ours only


# --- a report a person can use on many articles -------------------------------------------------


def _hospital_report() -> Report:
    """One story of three articles: 002 near-copies 001 and changed "four" to "five"; 003
    copies 001 word for word. The near copy 001 -> 003 comes first in page order."""
    base = "Police said four people were taken to hospital after the crash on Main Street."
    texts = {
        "001": base,
        "002": "Police said five people were taken to hospital after the crash on Main Street.",
        "003": base + " More follows.",
    }
    docs = [
        Document(
            id=n,
            origin=f"/home/someone/private/news/ecb/{n}.txt",
            title=f"Crash {n}",
            text=t,
            story="s1",
        )
        for n, t in texts.items()
    ]
    whole = (0, len(base))
    links = [
        ReuseLink("003", "001", True, "near_copy", 0.99, [Passage(whole, whole, 1.0)]),
        ReuseLink(
            "002", "001", True, "near_copy", 0.9, [Passage((0, len(texts["002"])), whole, 0.95)]
        ),
    ]
    four, five = base.index("four"), texts["002"].index("five")
    fact = Fact(
        "s1-f1",
        "quantity",
        "people taken to hospital",
        "altered",
        [
            Statement("001", (0, len(base)), base, {"number": 4.0, "as_written": "four"}),
            Statement(
                "002", (0, len(texts["002"])), texts["002"], {"number": 5.0, "as_written": "five"}
            ),
            Statement("003", (0, len(base)), base, {"number": 4.0, "as_written": "four"}),
        ],
        "002 changed the number",
    )
    assert base[four : four + 4] == "four" and texts["002"][five : five + 4] == "five"
    single = Document(
        id="004",
        origin="/home/someone/private/news/ecb/004.txt",
        title="Lone",
        text="A.",
        story="s2",
    )
    return Report(
        documents=[*docs, single],
        skipped=[Skipped("/home/someone/private/news/ecb/broken.txt", "empty file")],
        stories=[
            Story("s2", "Lone article", ["004"]),
            Story("s1", "Crash on Main Street", ["001", "002", "003"], reuse=links, facts=[fact]),
        ],
    )


def test_the_differing_value_is_marked_and_show_in_articles_goes_where_it_differs():
    page = render_html(_hospital_report())
    card = page[page.index('id="fact-s1-s1-f1"') :]
    card = card[: card.index("</ul>")]
    # every statement's value is marked; the one that differs from the others most
    assert re.findall(r'<span class="(val[^"]*)">(\w+)</span>', card) == [
        ("val", "four"),
        ("val changed", "five"),
        ("val", "four"),
    ]
    # the near copy 001 -> 003 is listed first, but the value changed in 001 -> 002
    assert page.index('id="cmp-s1-001-003"') < page.index('id="cmp-s1-001-002"')
    assert 'data-target="cmp-s1-001-002"' in card
    compare = page[page.index('id="cmp-s1-001-002"') :]
    compare = compare[: compare.index("</details>")]
    assert re.search(r'class="[^"]*\bval changed\b[^"]*"[^>]*>five<', compare)
    assert re.search(r'class="[^"]*\bval\b[^"]*"[^>]*>four<', compare)


def test_stories_most_flagged_first_single_articles_folded_header_links_and_glossary():
    page = render_html(_hospital_report())
    table = page[page.index('<table class="stories"') : page.index("</table>")]
    assert 'data-story="story-s1"' in table and 'data-story="story-s2"' not in table
    singles = page[page.index('<ul class="singles"') :]
    assert 'data-story="story-s2"' in singles[: singles.index("</ul>")]
    assert page.index('id="story-s1"') < page.index('id="story-s2"')
    header = page[page.index('<header class="top">') : page.index("</header>")]
    assert re.search(r'<a href="#flagged"[^>]*>1 flagged fact</a>', header)
    assert '<a href="#skipped" class="skipped-count">1 input skipped</a>' in header
    assert 'id="flagged"' in page and 'id="skipped"' in page and 'id="glossary"' in page
    glossary = page[page.index('id="glossary"') :]
    glossary = glossary[: glossary.index("</details>")]
    for term in ("altered", "conflict", "compatible", "agree", "single source", "near copy"):
        assert term in glossary
    assert "reuse score" in glossary
    assert page.count('href="#stories"') >= 3  # back links
    single = page[page.index('id="story-s2"') :]
    assert "Side by side" not in single and "Who copied whom" not in single


def test_a_shared_report_does_not_reveal_the_users_folders():
    page = render_html(_hospital_report())
    assert "/home/someone" not in page and "private/news" not in page
    assert "ecb/001.txt" in page and "ecb/broken.txt: empty file" in page


def test_origins_are_named_from_the_input_folder_or_file_down():
    from newstrace.report.dossier import origin_namer

    folder = origin_namer(["/a/b/ecb/1.txt", "/a/b/ecb/2.txt"])
    assert folder("/a/b/ecb/1.txt") == "ecb/1.txt"
    feed = origin_namer(["/home/me/feed.xml#3", "/home/me/feed.xml#4"])
    assert feed("/home/me/feed.xml#3") == "feed.xml#3"
    mixed = origin_namer(["/a/ecb/1.txt", "/a/seeds/2.txt", "https://x.example/a", "<stdin>"])
    assert mixed("/a/ecb/1.txt") == "ecb/1.txt"
    assert mixed("https://x.example/a") == "https://x.example/a" and mixed("<stdin>") == "<stdin>"
    assert origin_namer([r"C:\Users\me\x.warc#r1"])(r"C:\Users\me\x.warc#r1") == "x.warc#r1"


def test_outlets_are_counted_only_when_the_inputs_name_them():
    page = render_html(_hospital_report())
    header = page[page.index('<header class="top">') : page.index("</header>")]
    assert "outlet" not in header
    table = page[page.index('<table class="stories"') : page.index("</table>")]
    assert '<td data-label="Outlets">—</td>' in table


def test_one_date_format():
    report = seed_report()
    page = render_html(report)
    assert "2024-10-22T18:40:00" not in page
    assert "22 Oct 2024 18:40" in page


def test_a_value_is_found_as_written_whole_and_before_a_unit():
    from newstrace.report.dossier import value_span

    assert value_span("quantity", "fell 2,000ft to his death", {"as_written": "2,000"}) == (5, 10)
    assert value_span("quantity", "about 24km north", {"as_written": "about 24"}) == (0, 8)
    assert value_span("quantity", "the 24 hours", {"as_written": "2"}) is None
    assert value_span("place", "flew on to JORDAN.", {"place": "Jordan"}) == (11, 17)
    assert value_span("place", "Jordanian officials", {"place": "Jordan"}) is None
    assert value_span("quote", "“Words,” he said", {"words": "Words"}) is None  # a quote: diffs
