"""Bad input, tried as a new user would: each is skipped with a one-line reason
naming it, the rest of the run goes on, and the command never shows a traceback.

Every case is built in tmp_path next to a good article (a real seed), so each
test also checks that one bad input does not spoil the others.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import tracemalloc
from pathlib import Path

import pytest
from conftest import SEEDS
from conftest import newstrace as run_newstrace
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newstrace.ingest import MAX_DOCUMENT_BYTES, read_inputs
from newstrace.model import Document, Skipped

pytestmark = pytest.mark.shared

SEED = min(SEEDS.glob("*.txt"), default=SEEDS / "missing.txt")  # the tests are skipped without it


def read(*inputs) -> tuple[list[Document], list[Skipped]]:
    items = list(read_inputs([str(i) for i in inputs]))
    return [i for i in items if isinstance(i, Document)], [
        i for i in items if isinstance(i, Skipped)
    ]


def only_skip(*inputs) -> Skipped:
    """The single skip reported for ``inputs``, read after a good seed article."""
    docs, skipped = read(SEED, *inputs)
    assert [d.origin for d in docs] == [str(SEED)]
    assert len(skipped) == 1, skipped
    assert "\n" not in skipped[0].error
    return skipped[0]


def seed_paragraphs() -> list[str]:
    return [
        line for line in SEED.read_text(encoding="utf-8").splitlines() if len(line.split()) > 25
    ]


def page(n: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in seed_paragraphs())
    return f"<html><head><title>Page {n} about the Gaza ceasefire push</title></head><body><article>{body}</article></body></html>"


def warc_bytes(n_pages: int, gzip_records: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip_records)
    for n in range(n_pages):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news{n}.example/story",
            "response",
            payload=io.BytesIO(page(n).encode()),
            http_headers=headers,
        )
        writer.write_record(record)
    return buffer.getvalue()


# --- paths ---------------------------------------------------------------------------


def test_missing_path(tmp_path):
    missing = tmp_path / "missing.txt"
    skip = only_skip(missing)
    assert (skip.origin, skip.error) == (str(missing), "no such file or directory")


def test_url_is_not_fetched():
    assert "not fetched" in only_skip("https://example.com/story").error


def test_directory_without_articles(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert only_skip(empty).error == "directory has no files to read"
    hidden_only = tmp_path / "hidden"
    (hidden_only / ".git").mkdir(parents=True)
    (hidden_only / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    assert (
        only_skip(hidden_only).error == "directory has no files to read (2 hidden entries ignored)"
    )


def test_directory_of_non_articles_lists_each_file(tmp_path):
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + os.urandom(500))
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04\x14\x00\x00\x00" + os.urandom(100))
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset><url><loc>https://x.example/</loc></url></urlset>'
    )
    docs, skipped = read(tmp_path)
    assert not docs
    reasons = {Path(s.origin).name: s.error for s in skipped}
    assert reasons == {
        "bundle.zip": "not an article: a zip archive (or an office document)",
        "photo.jpg": "not an article: a JPEG image",
        "report.pdf": "not an article: a PDF document",
        "sitemap.xml": "not an article: XML document with root <urlset>, neither a feed nor a web page",
    }


# --- undecodable, empty, malformed -----------------------------------------------------


def test_binary_file(tmp_path):
    blob = tmp_path / "article.txt"
    blob.write_bytes(os.urandom(4096) + b"\x00")
    skip = only_skip(blob)
    assert skip.origin == str(blob) and skip.error.startswith("binary data, not text")


def test_undecodable_bytes(tmp_path):
    blob = tmp_path / "story.txt"
    blob.write_bytes(bytes(range(0x80, 0x100)) * 40)
    assert only_skip(blob).error == "undecodable: not text in any known encoding"


def test_empty_and_blank_files(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.html").write_text("  \n\t\n")
    docs, skipped = read(tmp_path)
    assert not docs
    assert {Path(s.origin).name: s.error for s in skipped} == {
        "blank.html": "empty file (only whitespace)",
        "empty.txt": "empty file",
    }


def test_malformed_html_is_repaired_when_it_can_be(tmp_path):
    broken = tmp_path / "broken.html"
    paragraphs = seed_paragraphs()
    broken.write_text(
        f"<html><body><div><p>{paragraphs[0]}<b>unclosed <i>tags</div></p><p>{paragraphs[1]}",
        encoding="utf-8",
    )
    docs, skipped = read(broken)
    assert not skipped and docs[0].raw_kind == "html"


def test_html_with_nothing_to_extract(tmp_path):
    (tmp_path / "script_only.html").write_text(
        "<html><head><script>var a = 1;</script><style>p{}</style></head><body><!-- --></body></html>"
    )
    (tmp_path / "symbols.html").write_text("<<<>>><</ <!-- ")
    docs, skipped = read(tmp_path)
    assert not docs
    assert {Path(s.origin).name: s.error for s in skipped} == {
        "script_only.html": "malformed or empty HTML: no text could be extracted",
        "symbols.html": "no article text (no words, only symbols or numbers)",
    }


# --- JSON Lines ------------------------------------------------------------------------


def test_broken_json_line_skips_only_that_line(tmp_path):
    dump = tmp_path / "dump.jsonl"
    good = [json.dumps({"id": f"r{i}", "text": p}) for i, p in enumerate(seed_paragraphs()[:3])]
    dump.write_text(
        "\n".join([good[0], '{"id": "r9", "text": "unterminated', good[1], "", good[2]]) + "\n",
        encoding="utf-8",
    )
    docs, skipped = read(dump)
    assert [d.origin for d in docs] == [f"{dump}#r0", f"{dump}#r1", f"{dump}#r2"]
    (skip,) = skipped
    assert skip.origin == f"{dump}:2"
    assert skip.error.startswith("invalid JSON: Unterminated string")


def test_record_without_text_or_html(tmp_path):
    dump = tmp_path / "dump.jsonl"
    records = [
        {"id": 1, "text": seed_paragraphs()[0]},
        {"id": 2, "title": "Only a title"},
        {"title": "No body", "url": "https://x.example"},
        [1, 2],
    ]
    dump.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    docs, skipped = read(dump)
    assert [d.origin for d in docs] == [f"{dump}#1"]
    assert [(s.origin, s.error) for s in skipped] == [
        (f"{dump}#2", "record has neither 'text' nor 'html'"),
        (f"{dump}:3", "record has neither 'text' nor 'html'"),
        (f"{dump}:4", "invalid record: expected a JSON object, got list"),
    ]


def test_jsonl_that_holds_no_articles_is_reported_once(tmp_path):
    labels = tmp_path / "gold.jsonl"
    labels.write_text(
        "\n".join(json.dumps({"doc": f"d{i}", "topic": 1}) for i in range(500)) + "\n"
    )
    assert only_skip(labels).error == "no record has a 'text' or 'html' field (500 records)"


# --- truncation ----------------------------------------------------------------------


@pytest.mark.parametrize("gzip_records", [False, True])
def test_truncated_warc_keeps_the_pages_before_the_break(tmp_path, gzip_records):
    data = warc_bytes(3, gzip_records)
    archive = tmp_path / "crawl.warc"
    archive.write_bytes(data[: len(data) - 700])
    docs, skipped = read(archive)
    assert [d.url for d in docs] == ["https://news0.example/story", "https://news1.example/story"]
    assert skipped and all(s.origin.startswith(str(archive)) for s in skipped)
    assert any("truncated" in s.error for s in skipped)


def test_warc_cut_inside_a_record_header(tmp_path):
    data = warc_bytes(2, gzip_records=False)
    archive = tmp_path / "crawl.warc"
    second = data.index(b"WARC/1.", 10)
    archive.write_bytes(data[: second + 120])
    docs, skipped = read(archive)
    assert [d.url for d in docs] == ["https://news0.example/story"]
    assert (
        len(skipped) == 1 and skipped[0].origin == str(archive) and "truncated" in skipped[0].error
    )


def test_damaged_warc_is_reported_quietly(tmp_path, capfd):
    data = warc_bytes(3, gzip_records=False)
    second = data.index(b"WARC/1.", 10)
    junk = tmp_path / "junk.warc"
    junk.write_bytes(data[:second] + b"garbage line here\r\n\r\n" + data[second:])
    wrong_length = tmp_path / "length.warc"
    wrong_length.write_bytes(data.replace(b"Content-Length: ", b"Content-Length: 1", 1))
    docs, skipped = read(junk, wrong_length)
    assert [d.origin for d in docs] == [
        f"{junk}#https://news0.example/story",
        f"{wrong_length}#https://news0.example/story",
    ]
    assert [(s.origin, s.error.split(" (")[0]) for s in skipped] == [
        (str(junk), "corrupt or truncated WARC after 1 record"),
        (
            str(wrong_length),
            "1 record with a wrong Content-Length: pages next to them may be incomplete or lost",
        ),
    ]
    assert capfd.readouterr().err == ""


def test_warc_without_pages(tmp_path):
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://x.example/a.png",
            "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n"),
            http_headers=image,
        )
    )
    archive = tmp_path / "crawl.warc.gz"
    archive.write_bytes(buffer.getvalue())
    assert only_skip(archive).error == "no HTML page in the archive (2 records of other kinds)"


def test_truncated_gzip_jsonl_keeps_the_records_before_the_break(tmp_path):
    lines = [
        json.dumps({"id": i, "text": f"Record {i}: {p}"})
        for i, p in enumerate(seed_paragraphs() * 400)
    ]
    compressed = gzip.compress("\n".join(lines).encode())
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(compressed[: len(compressed) // 2])
    docs, skipped = read(dump)
    assert 0 < len(docs) < len(lines)
    assert [d.origin for d in docs] == [f"{dump}#{i}" for i in range(len(docs))]
    assert [s.origin for s in skipped] == [str(dump)]
    assert skipped[0].error.startswith("truncated or corrupt gzip stream")


def test_truncated_gzip_page_is_skipped(tmp_path):
    compressed = gzip.compress(page(1).encode())
    cut = tmp_path / "page.html.gz"
    cut.write_bytes(compressed[: len(compressed) // 2])
    assert only_skip(cut).error.startswith("truncated or corrupt gzip stream")


# --- feeds ---------------------------------------------------------------------------


def test_feed_with_no_entries(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet Wire</title><link>https://q.example</link></channel></rss>'
    )
    assert only_skip(feed).error == "feed has no entries"


def test_feed_entry_without_body(tmp_path):
    feed = tmp_path / "feed.rss"
    feed.write_text(f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Headline only</title><link>https://w.example/1</link></item>
<item><title>With body</title><link>https://w.example/2</link><description>{seed_paragraphs()[0]}</description></item>
</channel></rss>""")
    docs, skipped = read(feed)
    assert [d.url for d in docs] == ["https://w.example/2"]
    assert [(s.origin, s.error) for s in skipped] == [
        (f"{feed}#https://w.example/1", "feed entry has neither content nor summary")
    ]


# --- size ------------------------------------------------------------------------------


def _big_page(megabytes: int) -> bytes:
    paragraph = ("<p>" + " ".join(seed_paragraphs()) + "</p>\n").encode()
    return (
        b"<html><head><title>Huge page</title></head><body>"
        + paragraph * (megabytes * 1_000_000 // len(paragraph) + 1)
        + b"</body></html>"
    )


def test_50_mb_page_is_skipped_without_reading_it(tmp_path):
    huge = tmp_path / "huge.html"
    huge.write_bytes(_big_page(50))
    tracemalloc.start()
    skip = only_skip(huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert (
        skip.error.startswith("page of 50.")
        and "over the 20 MB limit for one document" in skip.error
    )
    assert peak < 5_000_000


def test_50_mb_page_compressed_is_read_no_further_than_the_limit(tmp_path):
    huge = tmp_path / "huge.html.gz"
    huge.write_bytes(gzip.compress(_big_page(50), compresslevel=1))
    tracemalloc.start()
    skip = only_skip(huge)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert skip.error == "page over the 20 MB limit for one document (after decompression)"
    assert peak < 2.5 * MAX_DOCUMENT_BYTES


def test_oversized_jsonl_record_is_skipped_and_the_next_one_read(tmp_path):
    dump = tmp_path / "dump.jsonl"
    with dump.open("w") as out:
        out.write(
            json.dumps({"id": "huge", "text": "word " * (MAX_DOCUMENT_BYTES // 5 + 10)}) + "\n"
        )
        out.write(json.dumps({"id": "fine", "text": seed_paragraphs()[0]}) + "\n")
    docs, skipped = read(dump)
    assert [d.origin for d in docs] == [f"{dump}#fine"]
    assert [(s.origin, s.error) for s in skipped] == [
        (f"{dump}:1", "record longer than the 20 MB limit")
    ]


# --- the command ------------------------------------------------------------------------


def newstrace(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return run_newstrace(*args, stdin=stdin, text=False, timeout=600)


def test_cli_missing_file_is_one_line_and_exit_1(tmp_path):
    result = newstrace("analyze", tmp_path / "missing.txt")
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "missing.txt" in line] == [
        f"skipped {tmp_path / 'missing.txt'}: no such file or directory"
    ]


def test_cli_all_bad_inputs_at_once(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "noise.bin").write_bytes(os.urandom(2048) + b"\x00")
    (bad / "broken.jsonl").write_text('{"text": \n')
    (bad / "nofeed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    )
    (bad / "cut.warc").write_bytes(warc_bytes(1, False)[:-300])
    (tmp_path / "empty_dir").mkdir()
    result = newstrace("analyze", bad, tmp_path / "empty_dir", tmp_path / "missing.txt", "--quiet")
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr
    assert "Traceback" not in stderr
    for name in [
        "empty.txt",
        "noise.bin",
        "broken.jsonl:1",
        "nofeed.xml",
        "cut.warc",
        "empty_dir",
        "missing.txt",
    ]:
        assert any(line.startswith("skipped ") and name in line for line in stderr.splitlines()), (
            name
        )


@pytest.mark.slow  # two full pipeline runs (~40 s on 2 cores)
def test_cli_good_and_bad_inputs_exit_0_and_strict_exit_1(tmp_path):
    out = tmp_path / "report.json"
    args = ["analyze", SEED, tmp_path / "missing.txt", "--json", out, "--quiet"]
    result = newstrace(*args)
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(out.read_text())
    assert [d["origin"] for d in report["documents"]] == [str(SEED)]
    assert report["skipped"] == [
        {"origin": str(tmp_path / "missing.txt"), "error": "no such file or directory"}
    ]
    strict = newstrace(*args, "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr.decode()


def test_cli_unknown_option_is_a_usage_error():
    result = newstrace("analyze", "x.txt", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr.decode()


def test_cli_reads_standard_input():
    result = newstrace("clean", "-", stdin=gzip.compress(page(1).encode()))
    assert result.returncode == 0, result.stderr.decode()
    assert seed_paragraphs()[0][:80] in result.stdout.decode()
    empty = newstrace("clean", "-", stdin=b"")
    assert empty.returncode == 1
    assert empty.stderr.decode().strip() == "error: <stdin>: empty file"


# --- damaged files of every kind -----------------------------------------------------------


def test_damaged_files_of_every_kind_never_break_the_run(tmp_path, capfd):
    """Cut, overwritten and padded copies of good inputs: each ends as documents or
    reasons, never as an exception, an internal error, or noise on stderr."""
    import random

    paragraphs = seed_paragraphs()
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        + "".join(
            f"<item><title>Item {i}</title><link>https://w.example/{i}</link><description>{p}</description></item>"
            for i, p in enumerate(paragraphs)
        )
        + "</channel></rss>"
    )
    good = {
        "page.html": page(1).encode(),
        "feed.rss": feed.encode(),
        "dump.jsonl": "\n".join(
            json.dumps({"id": i, "text": p}) for i, p in enumerate(paragraphs)
        ).encode(),
        "crawl.warc": warc_bytes(2, gzip_records=False),
        "crawl.warc.gz": warc_bytes(2, gzip_records=True),
        "story.txt": SEED.read_bytes(),
    }
    good.update({f"{name}.gz": gzip.compress(data) for name, data in list(good.items())})
    rng = random.Random(7)
    for attempt in range(120):
        name, data = rng.choice(sorted(good.items()))
        damaged = bytearray(data[: rng.randrange(1, len(data))] if rng.random() < 0.6 else data)
        for _ in range(rng.randint(0, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        path = tmp_path / f"{attempt}_{name}"
        path.write_bytes(bytes(damaged))
        for item in read_inputs([str(path)]):
            assert isinstance(item, (Document, Skipped))
            assert item.origin.startswith(str(path))
            if isinstance(item, Skipped):
                assert not item.error.startswith("could not be read"), (name, item.error)
                assert "\n" not in item.error
    assert capfd.readouterr().err == ""
