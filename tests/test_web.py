"""``newstrace serve``: reading a report back, search, story pages, comparisons, safe defaults."""

from __future__ import annotations

import json
import re

import pytest
from conftest import SEEDS
from starlette.testclient import TestClient
from test_html import EVIL, evil_report, parse, seed_report
from typer.testing import CliRunner

import newstrace.web
from newstrace.cli import app as cli_app
from newstrace.report.load import ReportFileError, load_report
from newstrace.web import create_app, is_loopback

pytestmark = pytest.mark.shared


@pytest.fixture(scope="module")
def report_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.json"
    path.write_text(seed_report().to_json(), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def client(report_file):
    return TestClient(create_app(load_report(report_file)))


def _text(html: str) -> str:
    return " ".join(" ".join(parse(html).text).split())


def test_report_round_trips_through_json(report_file):
    assert load_report(report_file).to_dict() == seed_report().to_dict()


@pytest.mark.parametrize(
    "content, reason",
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ('{"schema": "something/else"}', "not a newstrace.report/1 report"),
        ('{"schema": "newstrace.report/1", "documents": []}', "breaks the report contract"),
    ],
)
def test_bad_report_files_give_one_clear_error(tmp_path, content, reason):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ReportFileError) as caught:
        load_report(path)
    assert str(path) in str(caught.value) and reason in str(caught.value)


def test_serve_with_a_bad_file_exits_1_without_traceback(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", str(tmp_path / "missing.json")])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "missing.json: no such file" in output and "Traceback" not in output


def test_serve_warns_only_off_loopback(report_file, monkeypatch):
    served = []
    monkeypatch.setattr(
        newstrace.web, "run_server", lambda report, host, port: served.append((host, port))
    )
    quiet = CliRunner().invoke(cli_app, ["serve", str(report_file)])
    loud = CliRunner().invoke(
        cli_app, ["serve", str(report_file), "--host", "0.0.0.0", "--port", "8123"]
    )
    assert quiet.exit_code == 0 and loud.exit_code == 0
    assert served == [("127.0.0.1", 8000), ("0.0.0.0", 8123)]
    assert "warning" not in quiet.output
    assert "warning" in loud.output and "0.0.0.0" in loud.output


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert (
        not is_loopback("0.0.0.0")
        and not is_loopback("192.168.1.5")
        and not is_loopback("example.org")
    )


def test_home_lists_stories_with_the_policy_header(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "form-action 'self'" in response.headers["content-security-policy"]
    text = _text(response.text)
    assert "Blinken Urges Israeli Leaders to Renew Efforts" in text
    assert 'href="/story/s1"' in response.text and 'href="/story/s2"' in response.text


def test_search_finds_articles_and_their_story(client):
    page = client.get("/", params={"q": "Beilin war"}).text
    hits = re.findall(r'<div class="result article-hit">\s*<a href="([^"]+)"', page)
    assert sorted(hits) == ["/story/s1#doc-s1-001", "/story/s1#doc-s1-002"]
    assert "<mark>Beilin</mark>" in page
    assert "1 story and 2 articles" in _text(page)


def test_search_needs_every_word(client):
    page = client.get("/", params={"q": "Beilin Hamburg"}).text
    assert "Nothing matches every word" in page


def test_story_page_is_the_dossier(client):
    response = client.get("/story/s1")
    assert response.status_code == 200
    assert '<svg class="graph"' in response.text
    assert 'data-fact="fact-f1"' in response.text
    assert client.get("/story/nope").status_code == 404


def test_compare_linked_articles_uses_the_reuse_passages(client):
    page = client.get("/compare", params={"a": "002", "b": "001"}).text
    assert "shared source · 0.62" in page
    assert "aligned for this view" not in page
    assert re.search(r'<span class="(stmt flag )?diff"[^>]*>truly</span>', page)


def test_compare_any_two_articles(client):
    unlinked = seed_report()
    unlinked.stories[0].reuse = []  # the rewrites 001 and 002, with no link to lean on
    page = TestClient(create_app(unlinked)).get("/compare", params={"a": "001", "b": "002"}).text
    assert "aligned for this view" in page
    pairs = re.findall(
        r'<div class="cell origin[^"]*">(.*?)</div>\s*<div class="cell derived[^"]*">(.*?)</div>',
        page,
        re.S,
    )
    assert len(pairs) >= 5
    plain = [(re.sub("<[^>]+>", "", a), re.sub("<[^>]+>", "", b)) for a, b in pairs]
    assert any(
        "Blinken arrived in Israel on Tuesday" in a and "Blinken arrived in Israel on Tuesday" in b
        for a, b in plain
    )
    independent = client.get("/compare", params={"a": "000", "b": "003"}).text
    assert "No passages of these two articles line up" in independent
    assert client.get("/compare", params={"a": "000", "b": "zzz"}).status_code == 404


def test_hostile_text_is_served_as_text(tmp_path):
    evil = TestClient(create_app(evil_report()))
    for url in ("/story/s1", "/?q=script", "/compare?a=001&b=e1"):
        page = evil.get(url).text
        parsed = parse(page)
        assert [t for t, _ in parsed.tags].count("script") == 1, url
        assert not any(name.startswith("on") for _, attrs in parsed.tags for name in attrs), url
        assert "<script>alert(1)</script>" in "".join(parsed.text), url
    assert json.loads(json.dumps(EVIL)) == EVIL


def test_story_list_pages_largest_first():
    from newstrace.model import Story

    report = seed_report()
    report.stories += [Story(f"x{i}", f"Filler {i}", []) for i in range(60)]
    client = TestClient(create_app(report))
    first = client.get("/").text
    assert (
        first.index('href="/story/s1"')
        < first.index('href="/story/s2"')
        < first.index('href="/story/x0"')
    )
    assert "page 1 of 2" in first and 'href="/?page=2#stories"' in first
    second = client.get("/", params={"page": "2"}).text
    assert 'href="/story/x59"' in second and 'href="/story/s1"' not in second
    assert client.get("/", params={"page": "nonsense"}).status_code == 200


def test_loopback_server_refuses_foreign_host_names():
    from newstrace.web.app import LOOPBACK_NAMES

    app = create_app(seed_report(), allowed_hosts=LOOPBACK_NAMES)
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://attacker.example:8000").get("/").status_code == 400


def test_serve_rejects_a_port_out_of_range(report_file):
    result = CliRunner().invoke(cli_app, ["serve", str(report_file), "--port", "99999"])
    assert result.exit_code == 2


def test_an_empty_report_still_serves():
    from newstrace.model import Report

    empty = TestClient(create_app(Report()))
    assert "This report has no stories." in empty.get("/").text
    assert empty.get("/compare").status_code == 200
    assert "Nothing matches" in empty.get("/", params={"q": "anything"}).text


@pytest.mark.shared
def test_serve_a_stored_corpus(tmp_path, monkeypatch):
    """``serve --db`` listens at once on the store as stored: a story not analysed yet is shown
    without reuse and facts and analysed in the background, then served with them."""
    import sqlite3

    from newstrace.store import Corpus
    from newstrace.web.app import SwappableApp, serve_refreshed

    seeds = SEEDS
    db = tmp_path / "store.db"
    with Corpus(str(db)) as corpus:
        corpus.ingest([seeds], analyse=False)
        titles = [s["title"] for s in corpus.stories()]
    served = []
    monkeypatch.setattr(
        newstrace.web,
        "run_server",
        lambda report, host, port, **background: served.append((report, background)),
    )
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "1 story(ies) have no up-to-date reuse and facts" in result.output
    assert "analysing them in the background" in result.output
    report, background = served[0]
    page = TestClient(create_app(report)).get("/")
    assert page.status_code == 200 and all(title in _text(page.text) for title in titles)
    assert not any(story.facts for story in report.stories)
    with sqlite3.connect(db) as conn:  # nothing analysed or written before listening
        assert conn.execute("SELECT count(*) FROM story_results").fetchone() == (0,)
    holder = SwappableApp(create_app(report))
    before = TestClient(holder).get("/story/s1").text
    messages: list[str] = []
    fresh: list = []

    def refreshed():
        fresh.append(background["refreshed"]())
        return fresh[0]

    serve_refreshed(holder, refreshed, None, messages.append).join(timeout=300)
    assert messages == ["background analysis done: reuse and facts are up to date"]
    assert any(story.facts for story in fresh[0].stories)
    assert TestClient(holder).get("/story/s1").text != before  # now served with its facts
    result = CliRunner().invoke(cli_app, ["serve", "--db", str(db)])
    assert result.exit_code == 0 and "up-to-date" not in result.output
    assert any(story.facts for story in served[1][0].stories) and served[1][1] == {}


def test_a_server_bound_to_another_loopback_address_answers_its_own_url():
    from newstrace.web.app import allowed_hosts_for

    app = create_app(seed_report(), allowed_hosts=allowed_hosts_for("127.0.0.2"))
    assert TestClient(app, base_url="http://127.0.0.2:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://localhost:8000").get("/").status_code == 200
    assert TestClient(app, base_url="http://attacker.example:8000").get("/").status_code == 400
    six = create_app(seed_report(), allowed_hosts=allowed_hosts_for("::1"))
    assert TestClient(six, base_url="http://[::1]:8000").get("/healthz").status_code == 200
    assert allowed_hosts_for("0.0.0.0") is None


def test_every_response_carries_the_security_headers():
    from newstrace.web.app import LOOPBACK_NAMES

    app = create_app(seed_report(), allowed_hosts=LOOPBACK_NAMES)
    local = TestClient(app, base_url="http://127.0.0.1:8000")
    responses = [
        local.get("/healthz"),
        local.get("/no/such/page"),
        local.post("/"),
        local.get("/story/zzz"),
        TestClient(app, base_url="http://attacker.example:8000").get("/"),
    ]
    assert [r.status_code for r in responses] == [200, 404, 405, 404, 400]
    for response in responses:
        assert "default-src" in response.headers["content-security-policy"], response.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_a_slow_page_does_not_hold_up_healthz(monkeypatch):
    import threading
    import time

    import newstrace.web.app as web_app

    render = web_app.render_page

    def slow_render(*args, **kwargs):
        time.sleep(1.5)  # a big story page, rendering on its thread
        return render(*args, **kwargs)

    monkeypatch.setattr(web_app, "render_page", slow_render)
    with TestClient(create_app(seed_report())) as client:
        page = threading.Thread(target=lambda: client.get("/story/s1"))
        page.start()
        time.sleep(0.2)
        started = time.monotonic()
        assert client.get("/healthz").text == "ok"
        waited = time.monotonic() - started
        page.join()
    assert waited < 0.7, waited


@pytest.mark.parametrize("args", [[], ["report.json", "--db", "store.db"]])
def test_serve_needs_a_report_or_a_store(args):
    result = CliRunner().invoke(cli_app, ["serve", *args])
    assert result.exit_code == 1 and "one of the two" in result.output
