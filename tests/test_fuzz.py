"""Issue 22: a fuzzer over the readers and cleaners (Hypothesis), run by the ``slow`` marker.

Every generated input is either read (documents with valid UTF-8 text, an
origin naming the file, JSON-serialisable) or skipped with a one-line reason
naming it, and nothing raises. The inputs mix random bytes with mangled
versions of each format a user feeds: text, HTML, JSON Lines, JSON, RSS/Atom
(with DOCTYPEs and entities), WARC and gzip, under odd file names.

The number of examples is bounded (``NEWSTRACE_FUZZ_EXAMPLES``, default 1000
per test), so the run takes a bounded time; CI may raise it.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from conftest import SEEDS

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newstrace.engine.work import clean_each  # noqa: E402
from newstrace.ingest import read_inputs  # noqa: E402
from newstrace.ingest.names import shown_name  # noqa: E402
from newstrace.model import Document, Skipped  # noqa: E402

pytestmark = [pytest.mark.shared, pytest.mark.slow]

EXAMPLES = int(os.environ.get("NEWSTRACE_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=40
)
prose = st.lists(words, min_size=0, max_size=30).map(" ".join)
nasty = st.sampled_from(
    [
        "\x00",
        "\x1b[2J",
        "\x1b]0;title\x07",
        "\u202e",
        "\ufeff",
        "\r\n",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&bogus;",
        "<![CDATA[",
        "]]>",
        "<!--",
        "\\ud800",
        "<script>alert(1)</script>",
        '"',
        "\n\n",
        "</p>",
    ]
)
fragment = st.lists(st.one_of(words, nasty), max_size=20).map("".join)


@st.composite
def html_page(draw) -> bytes:
    body = "".join(f"<p>{draw(fragment)}</p>" for _ in range(draw(st.integers(0, 6))))
    head = draw(st.sampled_from(["", "<!DOCTYPE html>", "<?xml version='1.0'?>", "\ufeff"]))
    page = f"{head}<html><head><title>{draw(fragment)}</title></head><body>{body}"
    if draw(st.booleans()):
        page += "</body></html>"
    return page.encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), errors="replace")


@st.composite
def jsonl(draw) -> bytes:
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        record = draw(
            st.dictionaries(
                st.sampled_from(["id", "text", "html", "title", "url", "published", "source"]),
                st.one_of(
                    fragment,
                    st.integers(),
                    st.none(),
                    st.floats(allow_nan=True),
                    st.lists(st.integers(), max_size=3),
                    st.booleans(),
                ),
            )
        )
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        if draw(st.integers(0, 9)) == 0:
            line = line[: draw(st.integers(0, len(line)))]  # a truncated record
        if draw(st.integers(0, 9)) == 0:
            line = line.replace('"', '"\\ud800', 1)  # a lone surrogate escape
        lines.append(line)
    data = "\n".join(lines)
    if draw(st.booleans()):
        data = "[" + ",".join(lines) + "]"
    return data.encode("utf-8", errors="surrogatepass")


@st.composite
def feed(draw) -> bytes:
    doctype = draw(
        st.sampled_from(
            [
                "",
                '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">',
                '<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
                '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
                "<!DOCTYPE rss [",
            ]
        )
    )
    items = "".join(
        f"<item><title>{draw(fragment)}</title><link>{draw(fragment)}</link>"
        f"<description>{draw(fragment)} &b; &x;</description><pubDate>{draw(words)}</pubDate></item>"
        for _ in range(draw(st.integers(0, 4)))
    )
    if draw(st.booleans()):
        return f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>{draw(fragment)}</title>{items}</channel></rss>'.encode(
            "utf-8", errors="replace"
        )
    entries = "".join(
        f"<entry><title>{draw(fragment)}</title><id>{draw(words)}</id><content type='html'>{draw(fragment)}</content></entry>"
        for _ in range(draw(st.integers(0, 4)))
    )
    return f'<?xml version="1.0"?>{doctype}<feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'.encode(
        "utf-8", errors="replace"
    )


@st.composite
def warc(draw) -> bytes:
    body = draw(html_page())
    length = draw(st.one_of(st.just(len(body)), st.integers(-5, 10_000_000)))
    record = (
        f"WARC/1.0\r\nWARC-Type: {draw(st.sampled_from(['response', 'resource', 'bogus']))}\r\n"
        f"WARC-Target-URI: {draw(words)}\r\nContent-Length: {length}\r\n\r\n"
    ).encode("utf-8", errors="replace")
    return record + b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body


def mutated(data: bytes, cuts: list[int], flips: list[int]) -> bytes:
    out = bytearray(data)
    for flip in flips:
        if out:
            out[flip % len(out)] ^= 0xFF
    for cut in cuts:
        out = out[: cut % (len(out) + 1)]
    return bytes(out)


content = st.one_of(
    st.binary(max_size=2000),
    prose.map(lambda t: t.encode("utf-8")),
    html_page(),
    jsonl(),
    feed(),
    warc(),
    st.tuples(
        st.one_of(html_page(), jsonl(), feed(), warc()),
        st.lists(st.integers(0, 10_000), max_size=1),
        st.lists(st.integers(0, 10_000), max_size=3),
    ).map(lambda t: mutated(*t)),
)
compressed = st.tuples(content, st.booleans(), st.integers(0, 40)).map(
    lambda t: gzip.compress(t[0])[: -t[2] or None] if t[1] else t[0]
)
names = st.tuples(
    st.sampled_from(
        [b"a", b"latin1_\xe9\xff", b"esc_\x1b[2J", b"sp ace", b"-dash", b"\xf0\x9f\x93\xb0"]
    ),
    st.sampled_from(
        [b".txt", b".html", b".jsonl", b".json", b".xml", b".rss", b".warc", b".gz", b""]
    ),
).map(lambda t: t[0] + t[1])


def terminal_safe(text: str) -> bool:
    """No control character, lone surrogate or bidirectional override."""
    return not any(
        unicodedata.category(ch) in ("Cc", "Cs") or "\u202a" <= ch <= "\u202e" for ch in text
    )


def check(items: list, folder: bytes) -> None:
    shown_folder = os.fsdecode(folder)
    for item in items:
        assert isinstance(item, (Document, Skipped))
        item.origin.encode("utf-8")
        assert item.origin.startswith(shown_folder) or item.origin == "-"
        assert terminal_safe(item.origin), item.origin
        if isinstance(item, Skipped):
            assert item.error and "\n" not in item.error and terminal_safe(item.error), item.error
        else:
            json.dumps(item.to_dict(), ensure_ascii=False).encode("utf-8")
            (item.title or "").encode("utf-8")


@FUZZ
@given(files=st.lists(st.tuples(names, compressed), min_size=1, max_size=4))
def test_readers_and_cleaners_never_raise(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.fsencode(tmp)
        for n, (name, data) in enumerate(files):
            with open(os.path.join(folder, b"%d_" % n + name), "wb") as out:
                out.write(data)
        items = list(read_inputs([os.fsdecode(folder)]))
        check(items, folder)
        for n, (name, _) in enumerate(files):  # every input is read or skipped, by its name
            shown = shown_name(os.fsdecode(os.path.join(folder, b"%d_" % n + name)))
            assert any(i.origin.startswith(shown) for i in items), shown
        documents = [i for i in items if isinstance(i, Document)]
        cleaned, failed = clean_each(documents)
        assert not failed, [s.error for s in failed.values()]
        for doc in cleaned:
            doc.text.encode("utf-8")
            assert len(doc.text) <= 100_000


@settings(
    max_examples=max(3, EXAMPLES // 200),
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: each example runs the CLI three times
)
@given(files=st.lists(st.tuples(names, compressed), min_size=2, max_size=6))
def test_the_cli_on_fuzzed_folders_analyses_the_good_article(files):
    """Through the real commands: exit 0, the good article analysed and stored, the store
    readable, no traceback."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.fsencode(tmp)
        for n, (name, data) in enumerate(files):
            with open(os.path.join(folder, b"%d_" % n + name), "wb") as out:
                out.write(data)
        good = sorted(SEEDS.glob("*.txt"))[0]
        (Path(tmp) / "good.txt").write_bytes(good.read_bytes())
        report = Path(tmp) / "report.json"
        run = subprocess.run(
            [sys.executable, "-m", "newstrace.cli", "analyze", tmp, "--json", str(report), "-q"],
            capture_output=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr
        assert b"Traceback" not in run.stderr and b"\x1b" not in run.stderr + run.stdout
        data = json.loads(report.read_text(encoding="utf-8"))
        assert str(Path(tmp) / "good.txt") in {d["origin"] for d in data["documents"]}
        named = {d["origin"] for d in data["documents"]} | {s["origin"] for s in data["skipped"]}
        for n, (name, _) in enumerate(files):  # every input is read or skipped, by its name
            shown = shown_name(os.fsdecode(os.path.join(folder, b"%d_" % n + name)))
            assert any(o.startswith(shown) for o in named), (shown, named)
        store = Path(tmp) / "store" / "s.db"
        store.parent.mkdir()
        ingested = subprocess.run(
            [sys.executable, "-m", "newstrace.cli", "ingest", tmp, "--db", str(store)],
            capture_output=True,
            timeout=600,
        )
        assert ingested.returncode == 0, ingested.stderr
        exported = subprocess.run(
            [
                sys.executable,
                "-m",
                "newstrace.cli",
                "export",
                "--db",
                str(store),
                "--json",
                str(report),
            ],
            capture_output=True,
            timeout=600,
        )
        assert exported.returncode == 0, exported.stderr
        assert b"Traceback" not in ingested.stderr + exported.stderr
        data = json.loads(report.read_text(encoding="utf-8"))
        assert str(Path(tmp) / "good.txt") in {d["origin"] for d in data["documents"]}
