"""Ingest reads every kind of input a user has, with its metadata, by content.

Fixtures are built in tmp_path around the text of the real seed articles
(../shared/seeds), wrapped the way each format carries articles in the wild:
a news page with meta tags and page furniture, a WARC crawl written with
warcio, RSS and Atom feeds, JSON Lines dumps, gzip.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from html import escape
from pathlib import Path

import pytest
from conftest import SEEDS
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace import clean_html
from newstrace.ingest import read_inputs
from newstrace.ingest.dates import iso_date
from newstrace.ingest.detect import (
    FEED,
    HTML,
    JSON,
    JSONL,
    MHTML,
    TEXT,
    WARC,
    NotArticle,
    detect_kind,
)
from newstrace.ingest.text import headline
from newstrace.model import Document, Skipped

pytestmark = pytest.mark.shared


def seed_article(n: int) -> tuple[str, list[str]]:
    """(headline, body paragraphs) of a seed whose first line is its headline."""
    path = sorted(SEEDS.glob("*.txt"))[n]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines[0], [line for line in lines[1:] if len(line.split()) > 25]


def news_page(
    title: str,
    paragraphs: list[str],
    *,
    site="Gulf Courier",
    url="https://www.gulfcourier.example/world/blinken-visit",
    published="2024-10-22T09:15:00+00:00",
    charset="utf-8",
) -> str:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="{charset}">
<title>{escape(title)} | {site}</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:site_name" content="{site}">
<meta property="og:url" content="{url}">
<link rel="canonical" href="{url}">
<meta property="article:published_time" content="{published}">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="search">Hi, what are you looking for?</div>
<article><h1>{escape(title)}</h1>
<p class="byline">By Staff Writer</p>
{body}
</article>
<aside><h3>Latest Updates</h3><ul><li><a href="/a">Stocks rally on rate hopes</a></li><li><a href="/b">Storm hits coast</a></li></ul></aside>
<footer>Copyright 2024 {site}. All rights reserved.</footer>
</body></html>"""


def write_warc(
    path: Path, pages: list[tuple[str, str]], *, gzip_records=True, extra_records=True
) -> bytes:
    """A WARC file like a crawler writes: requests, responses, an image, a redirect."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    for uri, html in pages:
        if extra_records:
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example")], is_http_request=True
            )
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(html.encode()), http_headers=headers
            )
        )
    if extra_records:
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
                http_headers=image,
            )
        )
        moved = StatusAndHeaders(
            "301 Moved Permanently", [("Location", "https://example.org/")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "http://example.org/", "response", payload=io.BytesIO(b""), http_headers=moved
            )
        )
    data = buffer.getvalue()
    path.write_bytes(data)
    return data


def rss_feed(items: list[dict]) -> str:
    entries = "\n".join(
        f"""<item><title>{escape(item["title"])}</title><link>{item["link"]}</link>
<guid>{item["link"]}</guid><pubDate>{item["date"]}</pubDate>
<description>{escape(item["summary"])}</description>
{f"<content:encoded><![CDATA[{item['html']}]]></content:encoded>" if item.get("html") else ""}</item>"""
        for item in items
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>  Levant Wire  </title><link>https://levantwire.example/</link><description>News</description>
{entries}
</channel></rss>"""


def atom_feed(title: str, paragraphs: list[str]) -> str:
    content = escape("".join(f"<p>{escape(p)}</p>" for p in paragraphs))
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Post</title><id>urn:harbour</id><updated>2024-10-23T08:00:00Z</updated>
  <entry>
    <title>{escape(title)}</title><id>urn:harbour:1</id>
    <link href="https://harbourpost.example/blinken"/>
    <published>2024-10-23T07:30:00+02:00</published><updated>2024-10-23T08:00:00Z</updated>
    <content type="html">{content}</content>
  </entry>
</feed>"""


def read(*inputs) -> tuple[list[Document], list[Skipped]]:
    items = list(read_inputs([str(i) for i in inputs]))
    return [i for i in items if isinstance(i, Document)], [
        i for i in items if isinstance(i, Skipped)
    ]


# --- plain text ------------------------------------------------------------------


def test_seed_text_files_keep_full_text_and_take_headline_as_title():
    docs, skipped = read(SEEDS)
    assert not skipped
    assert [d.id for d in docs] == [f"d{i}" for i in range(1, len(docs) + 1)]
    for doc, path in zip(docs, sorted(SEEDS.glob("*.txt")), strict=True):
        assert doc.origin == str(path)
        assert doc.raw_kind == "text"
        assert doc.raw == path.read_text(encoding="utf-8")
    first_lines = [
        p.read_text(encoding="utf-8").splitlines()[0] for p in sorted(SEEDS.glob("*.txt"))
    ]
    assert docs[0].title == first_lines[0]
    assert docs[1].title == first_lines[1]
    # every seed's headline (under whatever page furniture) names the visiting minister
    assert all(doc.title and "Blinken" in doc.title and doc.title in doc.raw for doc in docs)


def test_title_skips_page_furniture_and_datelines_above_the_headline():
    body = "The minister said on Tuesday that the talks would resume next week in Cairo, after two days of meetings with both delegations and the mediators."
    text = f"Connect with us\n\nHi, what are you looking for?\n\nInternational\n\nUpdated: July 7, 2012, 10:04 PM ET\n\nTalks to resume in Cairo next week\n\n{body}\n"
    assert headline(text) == "Talks to resume in Cairo next week"


def test_headline_about_the_us_is_not_mistaken_for_a_reader_prompt():
    text = "US strikes target Houthi sites in Yemen\nThe strikes hit radar and missile sites overnight, two officials said, adding that more were planned.\n"
    assert headline(text) == "US strikes target Houthi sites in Yemen"


def test_lede_sentence_is_not_taken_for_a_headline():
    text = "A huge fire has destroyed the Waitrose store in Banstead High Street.\nFirefighters were called at 3am and twenty engines attended.\n"
    assert headline(text) is None


def test_markdown_heading_and_front_matter(tmp_path):
    title, paragraphs = seed_article(0)
    md = tmp_path / "story.md"
    md.write_text(
        "---\nsource: Desert Ledger\ndate: 22 October 2024\nurl: https://ledger.example/b\n---\n"
        f"# {title}\n\n" + "\n\n".join(paragraphs),
        encoding="utf-8",
    )
    (doc,), _ = read(md)
    assert doc.title == title
    assert doc.source == "Desert Ledger"
    assert doc.published == "2024-10-22"
    assert doc.url == "https://ledger.example/b"
    assert not doc.raw.startswith("---")


def test_legacy_encodings_are_decoded(tmp_path):
    text = "Café owners in Zürich say the new rules are «unfair»\nThe city council voted on Monday to cap terrace opening hours, a decision café owners called a blow to a trade already hit by rising rents.\n"
    (tmp_path / "latin1.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    docs, skipped = read(tmp_path)
    assert not skipped
    assert [d.raw.replace("\r\n", "\n") for d in docs] == [text] * 3
    assert {d.title for d in docs} == {"Café owners in Zürich say the new rules are «unfair»"}


# --- HTML ------------------------------------------------------------------------


def test_html_page_metadata(tmp_path):
    title, paragraphs = seed_article(1)
    page = tmp_path / "page.html"
    page.write_text(news_page(title, paragraphs), encoding="utf-8")
    (doc,), skipped = read(page)
    assert not skipped
    assert doc.raw_kind == "html" and "<article>" in doc.raw
    assert doc.title == title
    assert doc.source == "Gulf Courier"
    assert doc.url == "https://www.gulfcourier.example/world/blinken-visit"
    assert (
        doc.published == "2024-10-22T09:15:00+00:00"
    )  # the page's own timestamp, not just the day
    assert paragraphs[0][:80] in clean_html(doc.raw, doc.url)


def test_outlet_name_is_cut_from_the_page_title(tmp_path):
    html = (
        '<html><head><meta property="og:title" content="Ferry fire: all 353 evacuated | The Harbour Herald">'
        '<meta property="og:site_name" content="The Harbour Herald"></head><body><article><p>'
        + "The ferry was evacuated after a fire broke out in the engine room. " * 6
        + "</p></article></body></html>"
    )
    page = tmp_path / "p.html"
    page.write_text(html, encoding="utf-8")
    (doc,), _ = read(page)
    assert (doc.title, doc.source) == ("Ferry fire: all 353 evacuated", "The Harbour Herald")


def test_html_source_falls_back_to_domain_and_date_from_url(tmp_path):
    html = (
        "<html><head><title>Storm wall approved</title>"
        '<link rel="canonical" href="https://www.orsk-news.example/2025/03/10/storm-wall"></head>'
        "<body><article><p>"
        + "The council voted for the wall after months of debate. " * 8
        + "</p></article></body></html>"
    )
    page = tmp_path / "p.html"
    page.write_text(html, encoding="utf-8")
    (doc,), _ = read(page)
    assert doc.source == "orsk-news.example"
    assert doc.published == "2025-03-10"


def test_html_declared_charset_is_honoured(tmp_path):
    title = "Fußball-Verband prüft Vorwürfe gegen Präsidenten"
    html = news_page(
        title,
        [
            "Der Verband prüft nach Angaben vom Dienstag Vorwürfe gegen seinen Präsidenten, der jede Schuld bestreitet und von einer Kampagne spricht."
        ]
        * 3,
        charset="iso-8859-1",
        site="Süddeutsche Rundschau",
    )
    page = tmp_path / "de.html"
    page.write_bytes(html.encode("iso-8859-1"))
    (doc,), _ = read(page)
    assert doc.title == title
    assert doc.source == "Süddeutsche Rundschau"


# --- kind detection by content -------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "crawl.txt", WARC),
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed.html", FEED),
        (
            b'<?xml version="1.0" encoding="utf-8"?>\n<!-- generator -->\n<feed xmlns="http://www.w3.org/2005/Atom">',
            "x.txt",
            FEED,
        ),
        (
            b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
            "rss",
            FEED,
        ),
        (b"<!DOCTYPE html>\n<html><head>", "article.txt", HTML),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">',
            "a.xml",
            HTML,
        ),
        (b"\n\n  <div class='story'><p>Text</p></div>", "snippet.json", HTML),
        (b'{"text": "Body", "title": "T"}\n{"text": "More"}\n', "dump.txt", JSONL),
        (b'{\n  "articles": [\n', "dump.jsonl", JSON),
        (b'[{"text": "a"}, {"text": "b"}]', "dump.txt", JSON),
        (b"Headline here\nBody text follows with <b>one</b> tag.\n", "page.html", TEXT),
        (b"[Reuters] Markets rose on Monday.\n", "a.json", TEXT),
        (b"{Update} Markets fell on Monday.\nMore text.\n", "a.jsonl", TEXT),
        (b'{"text": "a record cut short\n{"text": "b"}\n', "a.txt", JSONL),
    ],
)
def test_kind_is_detected_by_content(content, name, kind):
    assert detect_kind(content, name) == kind


def test_extension_only_breaks_ties():
    few_tags = b"Headline\n<p>First paragraph.</p>\n<p>Second.</p>\n<p>Third.</p>\n"
    assert detect_kind(few_tags, "page.html") == HTML
    assert detect_kind(few_tags, "notes.md") == TEXT


def test_misleading_extensions_are_read_by_content(tmp_path):
    title, paragraphs = seed_article(0)
    (tmp_path / "a_page.txt").write_text(news_page(title, paragraphs), encoding="utf-8")
    (tmp_path / "b_feed.html").write_text(
        rss_feed(
            [
                {
                    "title": title,
                    "link": "https://levantwire.example/1",
                    "date": "Tue, 22 Oct 2024 10:00:00 +0000",
                    "summary": paragraphs[0],
                }
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "c_records.txt").write_text(
        json.dumps({"id": "r1", "text": "\n".join(paragraphs), "title": title}) + "\n",
        encoding="utf-8",
    )
    write_warc(
        tmp_path / "d_crawl.html", [("https://gulfcourier.example/x", news_page(title, paragraphs))]
    )
    (tmp_path / "e_text.html").write_text(title + "\n" + "\n".join(paragraphs), encoding="utf-8")
    docs, skipped = read(tmp_path)
    assert not skipped
    kinds = {Path(d.origin.split("#")[0]).name: d.raw_kind for d in docs}
    assert kinds == {
        "a_page.txt": "html",
        "b_feed.html": "text",
        "c_records.txt": "text",
        "d_crawl.html": "html",
        "e_text.html": "text",
    }
    assert all(d.title == title for d in docs)


def test_binary_signatures_are_not_articles():
    for data in (
        b"%PDF-1.7\n",
        b"\x89PNG\r\n\x1a\n....",
        b"PK\x03\x04\x14\x00",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
    ):
        with pytest.raises(NotArticle, match="not an article"):
            detect_kind(data, "story.txt")


# --- JSON Lines and JSON ------------------------------------------------------------


def test_jsonl_records_with_text_and_html(tmp_path):
    title0, paragraphs0 = seed_article(0)
    title1, paragraphs1 = seed_article(1)
    records = [
        {
            "id": "a-1",
            "text": "\n\n".join(paragraphs0),
            "title": title0,
            "url": "https://a.example/1",
            "published": "Tue, 22 Oct 2024 14:05:00 GMT",
            "source": "  Desert Ledger \n",
        },
        {"html": news_page(title1, paragraphs1)},
        {
            "maintext": paragraphs0[0],
            "date_publish": "2024-10-23 08:00:00",
            "source": {"id": "x", "name": "Wire One"},
        },
        {"text": news_page(title1, paragraphs1, site="Page In Text")},
    ]
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    docs, skipped = read(dump)
    assert not skipped
    assert [d.origin for d in docs] == [f"{dump}#a-1", f"{dump}:2", f"{dump}:3", f"{dump}:4"]
    first, second, third, page_as_text = docs
    assert (first.title, first.source, first.url, first.published, first.raw_kind) == (
        title0,
        "Desert Ledger",
        "https://a.example/1",
        "2024-10-22T14:05:00+00:00",
        "text",
    )
    assert (second.title, second.source, second.published, second.raw_kind) == (
        title1,
        "Gulf Courier",
        "2024-10-22T09:15:00+00:00",
        "html",
    )
    assert (third.source, third.published) == ("Wire One", "2024-10-23T08:00:00")
    assert (page_as_text.raw_kind, page_as_text.source) == ("html", "Page In Text")


def test_json_array_of_records(tmp_path):
    title, paragraphs = seed_article(0)
    dump = tmp_path / "export.json"
    dump.write_text(
        json.dumps(
            {
                "articles": [
                    {"title": title, "body": p, "publishedAt": 1729591200} for p in paragraphs[:3]
                ]
            },
            indent=2,
        )
    )
    docs, skipped = read(dump)
    assert not skipped
    assert [d.origin for d in docs] == [f"{dump}[{i}]" for i in range(3)]
    assert docs[0].published == "2024-10-22T10:00:00+00:00"


# --- WARC ---------------------------------------------------------------------------


@pytest.mark.parametrize("gzip_records", [True, False])
def test_warc_html_responses_become_documents(tmp_path, gzip_records):
    pages = []
    for n in range(3):
        title, paragraphs = seed_article(n)
        pages.append(
            (
                f"https://site{n}.example/news/{n}",
                news_page(
                    title,
                    paragraphs,
                    site=f"Site {n}",
                    url=f"https://site{n}.example/canonical/{n}",
                ),
            )
        )
    archive = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    write_warc(archive, pages, gzip_records=gzip_records)
    docs, skipped = read(archive)
    assert not skipped, skipped
    assert [d.origin for d in docs] == [f"{archive}#{uri}" for uri, _ in pages]
    assert [d.url for d in docs] == [uri for uri, _ in pages]
    assert [d.source for d in docs] == ["Site 0", "Site 1", "Site 2"]
    assert all(d.raw_kind == "html" and d.published == "2024-10-22T09:15:00+00:00" for d in docs)


def test_warc_date_is_only_a_fallback(tmp_path):
    html = (
        "<html><head><title>Undated page</title></head><body><article><p>"
        + "No date appears anywhere on this page. " * 10
        + "</p></article></body></html>"
    )
    archive = tmp_path / "c.warc"
    write_warc(
        archive, [("https://undated.example/story", html)], gzip_records=False, extra_records=False
    )
    (doc,), _ = read(archive)
    crawl_date = archive.read_bytes().split(b"WARC-Date: ")[1][:10].decode()
    assert doc.published.startswith(crawl_date)
    assert doc.source == "undated.example"


# --- feeds --------------------------------------------------------------------------


def test_rss_entries_prefer_full_content_over_summary(tmp_path):
    title, paragraphs = seed_article(0)
    html_body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    feed = tmp_path / "wire.rss"
    feed.write_text(
        rss_feed(
            [
                {
                    "title": title,
                    "link": "https://levantwire.example/a",
                    "date": "Tue, 22 Oct 2024 10:00:00 +0000",
                    "summary": "Short teaser.",
                    "html": html_body,
                },
                {
                    "title": "Second story",
                    "link": "https://levantwire.example/b",
                    "date": "Mon, 21 Oct 2024 18:30:00 +0200",
                    "summary": paragraphs[1],
                },
            ]
        ),
        encoding="utf-8",
    )
    docs, skipped = read(feed)
    assert not skipped
    full, teaser = docs
    assert full.origin == f"{feed}#https://levantwire.example/a"
    assert (full.title, full.url, full.source, full.published, full.raw_kind) == (
        title,
        "https://levantwire.example/a",
        "Levant Wire",
        "2024-10-22T10:00:00+00:00",
        "html",
    )
    assert paragraphs[2][:60] in clean_html(full.raw)
    assert teaser.raw_kind == "text" and teaser.raw == paragraphs[1]
    assert teaser.published == "2024-10-21T18:30:00+02:00"


def test_atom_entry(tmp_path):
    title, paragraphs = seed_article(1)
    feed = tmp_path / "atom.xml"
    feed.write_text(atom_feed(title, paragraphs), encoding="utf-8")
    (doc,), _ = read(feed)
    assert (doc.title, doc.url, doc.source, doc.published, doc.raw_kind) == (
        title,
        "https://harbourpost.example/blinken",
        "Harbour Post",
        "2024-10-23T07:30:00+02:00",
        "html",
    )
    assert paragraphs[0][:60] in clean_html(doc.raw)


# --- gzip, directories, stdin ---------------------------------------------------------


def test_gzip_is_undone_for_every_kind_whatever_the_name(tmp_path):
    title, paragraphs = seed_article(0)
    contents = {
        "page": news_page(title, paragraphs),
        "records": json.dumps({"text": "\n".join(paragraphs), "title": title}) + "\n",
        "feed": rss_feed(
            [
                {
                    "title": title,
                    "link": "https://l.example/1",
                    "date": "Tue, 22 Oct 2024 10:00:00 +0000",
                    "summary": paragraphs[0],
                }
            ]
        ),
        "text": title + "\n" + "\n".join(paragraphs),
    }
    for name, content in contents.items():
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(content.encode()))
    (tmp_path / "noext").write_bytes(gzip.compress(contents["text"].encode()))
    docs, skipped = read(tmp_path)
    assert not skipped
    assert len(docs) == 5 and all(d.title == title for d in docs)
    assert [d.raw_kind for d in docs] == [
        "text",
        "text",
        "html",
        "text",
        "text",
    ]  # sorted: feed, noext, page, records, text


def test_directories_are_walked_recursively_in_sorted_order_without_hidden_files(tmp_path):
    for rel in [
        "b/2.txt",
        "a/z.txt",
        "a/sub/1.txt",
        "c.txt",
        ".hidden.txt",
        ".git/HEAD.txt",
        "a/.cache/x.txt",
    ]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Story filed as {rel} today\nThe body of {rel} has a sentence that is long enough to read as an article paragraph.\n"
        )
    docs, skipped = read(tmp_path, tmp_path / "c.txt")
    assert not skipped
    assert [Path(d.origin).relative_to(tmp_path).as_posix() for d in docs] == [
        "a/sub/1.txt",
        "a/z.txt",
        "b/2.txt",
        "c.txt",
    ]
    again, _ = read(tmp_path)
    assert [(d.id, d.origin) for d in again] == [(d.id, d.origin) for d in docs]
    as_one_path = list(read_inputs(str(tmp_path)))
    assert [(d.id, d.origin) for d in as_one_path] == [(d.id, d.origin) for d in docs]


def test_stdin_is_read_and_sniffed(monkeypatch):
    title, paragraphs = seed_article(0)
    feed = rss_feed(
        [
            {
                "title": title,
                "link": "https://l.example/1",
                "date": "Tue, 22 Oct 2024 10:00:00 +0000",
                "summary": paragraphs[0],
            }
        ]
    )
    for payload, raw_kind in (
        (gzip.compress(news_page(title, paragraphs).encode()), "html"),
        (feed.encode(), "text"),
    ):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
        (doc,), skipped = read("-")
        assert not skipped
        assert (doc.origin.split("#")[0], doc.raw_kind, doc.title) == ("<stdin>", raw_kind, title)


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2024-10-22", "2024-10-22"),
        ("2024-10-22T09:15:00Z", "2024-10-22T09:15:00+00:00"),
        ("Tue, 22 Oct 2024 09:15:00 +0300", "2024-10-22T09:15:00+03:00"),
        ("October 22, 2024", "2024-10-22"),
        ("22 octobre 2024", "2024-10-22"),
        (1729591200, "2024-10-22T10:00:00+00:00"),
        (1729591200000, "2024-10-22T10:00:00+00:00"),
        ("not a date", None),
        ("", None),
    ],
)
def test_dates_are_normalised_to_iso_8601(value, iso):
    assert iso_date(value) == iso


def test_json_feed_items(tmp_path):
    title, paragraphs = seed_article(1)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Harbour Post",
        "items": [
            {
                "id": "p1",
                "url": "https://harbourpost.example/p1",
                "title": title,
                "content_html": "".join(f"<p>{escape(p)}</p>" for p in paragraphs),
                "date_published": "2024-10-23T07:30:00+02:00",
            },
            {
                "id": "p2",
                "url": "https://harbourpost.example/p2",
                "title": "Short note",
                "content_text": paragraphs[0],
            },
        ],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed, indent=2))
    docs, skipped = read(path)
    assert not skipped
    assert [(d.origin, d.raw_kind, d.title) for d in docs] == [
        (f"{path}#p1", "html", title),
        (f"{path}#p2", "text", "Short note"),
    ]
    assert docs[0].published == "2024-10-23T07:30:00+02:00"
    assert paragraphs[1][:60] in clean_html(docs[0].raw)


def saved_mhtml(html: str, location: str) -> bytes:
    """A page as Chrome's "Save page as… single file" writes it."""
    import quopri

    head = (
        f"From: <Saved by Blink>\r\nSnapshot-Content-Location: {location}\r\nSubject: saved\r\n"
        'MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype="text/html";\r\n'
        '\tboundary="----MultipartBoundary--x----"\r\n\r\n\r\n'
    )
    html_part = (
        "------MultipartBoundary--x----\r\nContent-Type: text/html\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {location}\r\n\r\n"
    )
    image_part = (
        "\r\n------MultipartBoundary--x----\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://img.example/logo.png\r\n\r\niVBORw0KGgo=\r\n------MultipartBoundary--x------\r\n"
    )
    return (
        head.encode()
        + html_part.encode()
        + quopri.encodestring(html.encode())
        + image_part.encode()
    )


def test_page_saved_by_a_browser_as_mhtml(tmp_path):
    title, paragraphs = seed_article(0)
    saved = tmp_path / "saved page.mhtml"
    saved.write_bytes(
        saved_mhtml(
            news_page(title, paragraphs, url="https://www.gulfcourier.example/canonical"),
            "https://www.gulfcourier.example/a?utm=x",
        )
    )
    (doc,), skipped = read(saved)
    assert not skipped
    assert detect_kind(saved.read_bytes()[:65536], "x.txt") == MHTML
    assert (doc.raw_kind, doc.title, doc.source, doc.url, doc.published) == (
        "html",
        title,
        "Gulf Courier",
        "https://www.gulfcourier.example/canonical",
        "2024-10-22T09:15:00+00:00",
    )
    assert paragraphs[1][:60] in clean_html(doc.raw)
