"""The dossier and the web app in a real browser (Playwright driving Debian's Chromium).

scripts/test installs /usr/bin/chromium; without it these tests fail, they
are never skipped. Set NEWSTRACE_SCREENSHOTS=1 to refresh the screenshots in
docs/ that README shows (otherwise they go to a temporary folder).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import SEEDS
from test_html import EVIL, evil_report, seed_report

from newstrace.report import render_html

pytestmark = pytest.mark.shared

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS = Path(__file__).resolve().parents[1] / "docs"
LAPTOP = {"width": 1366, "height": 860}


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Watched:
    """A page that records every dialog (alert, confirm, prompt) and failed request."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport=LAPTOP)
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.errors: list[str] = []  # a policy violation or a script error shows up here
        self.page.on(
            "console", lambda message: message.type == "error" and self.errors.append(message.text)
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    tab = Watched(browser)
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    if os.environ.get("NEWSTRACE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        return DOCS
    return tmp_path_factory.mktemp("screenshots")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(report_json: Path):
    """``newstrace serve REPORT --port N`` as a user starts it; yields its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "newstrace.cli", "serve", str(report_json), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"newstrace serve did not start:\n{process.stdout.read()}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    report = tmp_path_factory.mktemp("serve") / "report.json"
    report.write_text(seed_report().to_json(), encoding="utf-8")
    with serving(report) as url:
        yield url


def _open_static(watched: Watched, tmp_path: Path, report) -> None:
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(report), encoding="utf-8")
    watched.page.goto(page_file.as_uri())


def _assert_fact_highlighted_in_both(page, fact: str, left_words: str, right_words: str) -> None:
    page.click(f'button.show[data-fact="{fact}"]')
    compare = page.locator(".compare", has=page.locator(f'[data-facts~="{fact}"]')).first
    left = compare.locator(f'.cell.origin .hl[data-facts~="{fact}"]')
    right = compare.locator(f'.cell.derived .hl[data-facts~="{fact}"]')
    assert left.count() > 0 and right.count() > 0
    assert left.first.is_visible() and right.first.is_visible()
    assert left_words in "".join(left.all_inner_texts())
    assert right_words in "".join(right.all_inner_texts())
    # the highlight is visible, not just a class: the marked text gets a yellow background
    colour = right.first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour.replace(" ", "") == "rgb(255,224,102)"


def _screenshot_story_top(page, path: Path) -> None:
    """The story header, timeline, graph and fact table: what a reader sees first."""
    top = page.locator("#story-s1").bounding_box()
    facts = page.locator("#story-s1 > .card").nth(1).bounding_box()
    height = min(facts["y"] + facts["height"] - top["y"] + 16, 1500)
    page.screenshot(
        path=str(path),
        full_page=True,
        clip={"x": 0, "y": top["y"] - 16, "width": LAPTOP["width"], "height": height},
    )


@pytest.mark.shared
def test_static_dossier_loads_offline_and_highlights_a_flagged_fact(watched, tmp_path, screenshots):
    page = watched.page
    _open_static(watched, tmp_path, seed_report())
    assert page.locator("h1").first.inner_text().startswith("Blinken Urges Israeli Leaders")
    assert page.locator("svg.graph text", has_text="shared source 0.62").count() == 1
    _screenshot_story_top(page, screenshots / "dossier.png")
    _assert_fact_highlighted_in_both(page, "fact-f1", "too high a price", "heavy price")
    assert all(url.startswith("file:") for url in watched.requests), watched.requests
    assert watched.dialogs == [] and watched.errors == []


@pytest.mark.shared
def test_static_dossier_shows_the_word_differences(watched, tmp_path):
    page = watched.page
    _open_static(watched, tmp_path, seed_report())
    row = page.locator("#cmp-s1-001-002 .cell.derived", has_text="heavy price")
    changed = row.locator(".diff").all_inner_texts()
    assert "truly" in changed and any("heavy" in word for word in changed)
    same = (
        page.locator("#cmp-s1-001-002 .cell.origin", has_text="too high")
        .locator(".diff")
        .all_inner_texts()
    )
    assert any("too high" in words for words in same)


@pytest.mark.shared
def test_a_fact_lights_up_its_sentence_in_the_full_article(watched, tmp_path):
    page = watched.page
    _open_static(watched, tmp_path, seed_report())
    assert not page.locator("#doc-s1-001").evaluate("el => el.open")
    page.click('button.show[data-fact="fact-f3"]')
    assert page.locator("#doc-s1-001").evaluate("el => el.open")
    assert page.locator("#doc-s1-001 .text .hl").all_inner_texts() == ["11th visit"]
    sentence = "".join(page.locator("#doc-s1-001 .text .hl-ctx").all_inner_texts())
    assert sentence.startswith("Blinken arrived in Israel on Tuesday")
    page.click('button.show[data-fact="fact-f1"]')  # picking another fact clears the first
    assert page.locator('.hl[data-facts~="fact-f3"], .hl-ctx[data-context~="fact-f3"]').count() == 0


@pytest.mark.shared
def test_a_conflict_between_unlinked_articles_lights_up_both_full_texts(watched, tmp_path):
    from newstrace.model import Fact, Statement

    report = seed_report()
    d0, d3 = report.document("000"), report.document("003")
    statements = []
    for doc, needle in ((d0, "11th trip"), (d3, "11th visit")):
        start = doc.text.index(needle)
        statements.append(Statement(doc.id, (start, start + len(needle)), needle, 11))
    report.stories[0].facts.append(
        Fact("c1", "quantity", "visits", "conflict", statements, "made up for this test")
    )
    page = watched.page
    _open_static(watched, tmp_path, report)
    page.click('button.show[data-fact="fact-c1"]')
    for doc_id, words in (("000", "11th trip"), ("003", "11th visit")):
        marked = page.locator(f"#doc-s1-{doc_id} .text .hl")
        assert marked.all_inner_texts() == [words] and marked.first.is_visible()


def test_a_link_to_an_article_opens_it(watched, served):
    page = watched.page
    page.goto(served + "/story/s1#doc-s1-002")
    assert page.locator("#doc-s1-002").evaluate("el => el.open")
    assert page.locator("#doc-s1-002 .text").is_visible()


def test_script_in_an_article_shows_as_text_and_runs_nothing(watched, tmp_path):
    page = watched.page
    page.add_init_script("window.__ran = []; window.alert = (m) => window.__ran.push(m);")
    _open_static(watched, tmp_path, evil_report())
    page.locator("#doc-s1-e1 summary").first.click()
    body = page.locator("#doc-s1-e1 .text")
    assert "<script>alert(1)</script>" in body.inner_text()
    assert (
        page.locator("#doc-s1-e1 .text img, #doc-s1-e1 .text a, #doc-s1-e1 .text script").count()
        == 0
    )
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.evaluate("window.__ran") == []
    # our own script still runs (it is pinned by hash), the article's never does
    page.click('button.show[data-fact="fact-x1"]')
    assert page.locator('.hl[data-facts~="fact-x1"]').count() >= 2
    assert watched.dialogs == []


def test_served_app_search_story_and_compare(watched, served, screenshots):
    page = watched.page
    page.goto(served + "/")
    page.fill('input[name="q"]', "Beilin")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url("**/?q=Beilin")
    assert page.locator(".article-hit").count() == 2
    assert page.locator(".snippet mark", has_text="Beilin").count() == 2
    page.screenshot(path=str(screenshots / "serve.png"))

    page.locator(".result a", has_text="Blinken Urges Israeli Leaders").first.click()
    page.wait_for_url("**/story/s1")
    _assert_fact_highlighted_in_both(page, "fact-f1", "too high a price", "heavy price")

    page.goto(served + "/compare?a=001&b=002")
    assert page.locator(".compare .cell.derived .diff", has_text="truly").count() == 1
    page.screenshot(path=str(screenshots / "compare.png"))
    _assert_fact_highlighted_in_both(page, "fact-f1", "too high a price", "heavy price")

    page.goto(served + "/compare")
    page.select_option("#pick-a", "000")
    page.select_option("#pick-b", "003")
    page.click("button.go")
    page.wait_for_url("**/compare?a=000&b=003")
    assert page.locator(".compare .cell").count() == 0  # independently written: nothing lines up
    assert page.locator(".compare .empty", has_text="No passages").is_visible()
    assert watched.dialogs == [] and watched.errors == []
    assert all(url.startswith(served) for url in watched.requests), watched.requests


def test_served_pages_keep_hostile_text_inert(watched, tmp_path):
    report = tmp_path / "evil.json"
    report.write_text(evil_report().to_json(), encoding="utf-8")
    page = watched.page
    with serving(report) as base:
        for path in ("/story/s1", "/?q=alert", "/compare?a=001&b=e1"):
            page.goto(base + path)
            assert "<script>alert(1)</script>" in page.locator("body").inner_text(), path
            assert page.locator('main img, a[href^="javascript"]').count() == 0, path
    assert watched.dialogs == [] and watched.errors == []


@pytest.mark.parametrize("suffix", [".html", ".jsonl"])
def test_hostile_input_through_the_pipeline_runs_nothing(watched, tmp_path, suffix):
    from newstrace.pipeline import analyze

    article = tmp_path / f"evil{suffix}"
    body = f"Officials met on Tuesday to discuss the ceasefire. {EVIL} The talks went on for hours."
    if suffix == ".html":
        article.write_text(
            f"<html><head><title>Talks {EVIL}</title></head><body><article><h1>Talks</h1>"
            f"<p>Officials met on Tuesday to discuss the ceasefire and the hostages, officials said.</p>"
            f"<p>{EVIL}</p><p>The talks went on for hours, a spokesperson said after the meeting.</p>"
            f"</article></body></html>",
            encoding="utf-8",
        )
    else:
        record = {
            "title": f"Talks {EVIL}",
            "text": body,
            "url": "javascript:alert(5)",
            "source": EVIL,
        }
        article.write_text(json.dumps(record) + "\n", encoding="utf-8")
    report = analyze([article])
    page = watched.page
    page.add_init_script("window.__ran = []; window.alert = (m) => window.__ran.push(m);")
    _open_static(watched, tmp_path, report)
    page.locator("details.article summary").first.click()
    assert page.locator("main .article .text *:not(span)").count() == 0
    assert page.locator('img, iframe, a[href^="javascript"]').count() == 0
    assert page.evaluate("window.__ran") == []
    assert watched.dialogs == []


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.shared
def test_analyze_then_serve_the_seeds(watched, tmp_path):
    """The whole path a new user takes: analyze the seeds, open the page, serve the JSON."""
    out, page_file = tmp_path / "seeds.json", tmp_path / "seeds.html"
    seeds = SEEDS
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "analyze",
            str(seeds),
            "--json",
            str(out),
            "--html",
            str(page_file),
            "-q",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    page = watched.page
    page.goto(page_file.as_uri())
    assert page.locator("section.story").count() == len(json.loads(out.read_text())["stories"])
    with serving(out) as base:
        page.goto(base + "/?q=Blinken")
        assert page.locator(".article-hit").count() >= 4
        page.locator(".stories td.title a").first.click()
        assert page.locator("section.story h1").count() == 1
    assert watched.dialogs == [] and watched.errors == []


def _many_stories_report():
    """The hospital story plus twenty one-article stories and five small linked ones."""
    from test_html import _hospital_report

    from newstrace.model import Document, ReuseLink, Story

    report = _hospital_report()
    for n in range(20):
        doc = Document(
            id=f"x{n}", origin=f"x{n}.txt", title=f"Lone {n}", text="A b.", story=f"t{n}"
        )
        report.documents.append(doc)
        report.stories.append(Story(f"t{n}", f"Lone story walrus{n}", [doc.id]))
    for n in range(5):
        a = Document(
            id=f"p{n}", origin=f"p{n}.txt", title="Pair", text="Zebra crossing.", story=f"u{n}"
        )
        b = Document(
            id=f"q{n}", origin=f"q{n}.txt", title="Pair", text="Zebra crossing.", story=f"u{n}"
        )
        report.documents += [a, b]
        link = ReuseLink(b.id, a.id, True, "duplicate", 1.0)
        report.stories.append(Story(f"u{n}", f"Pair story {n}", [a.id, b.id], reuse=[link]))
    return report


def _wait_shown(page, text: str) -> None:
    """The search runs after a pause in typing: wait for its count."""
    page.wait_for_function(
        "text => document.querySelector('[data-shown]').textContent === text", arg=text
    )


def test_stories_can_be_searched_filtered_and_sorted_and_reach_the_changed_value(
    watched, tmp_path, screenshots
):
    page = watched.page
    _open_static(watched, tmp_path, _many_stories_report())
    rows = page.locator("table.stories tbody tr")
    assert rows.first.get_attribute("data-story") == "story-s1"  # most flagged first
    page.screenshot(path=str(screenshots / "stories.png"))
    page.fill("[data-search]", "main street")  # a story's text, not only its title
    _wait_shown(page, "1 of 27 shown")
    page.fill("[data-search]", "walrus7")
    page.wait_for_function(
        "() => document.querySelectorAll('.singles li:not([hidden])').length === 1"
    )
    assert page.locator(".singles-wrap").evaluate("el => el.open")
    page.fill("[data-search]", "")
    _wait_shown(page, "27 of 27 shown")
    page.select_option("[data-filter]", "flagged")
    assert page.inner_text("[data-shown]") == "1 of 27 shown"
    page.select_option("[data-filter]", "all")
    page.click("th button[data-sort=articles]")
    assert rows.first.get_attribute("data-articles") == "3"
    page.click("th button[data-sort=articles]")
    assert rows.first.get_attribute("data-articles") == "2"
    # two clicks: the header's flagged count, then the fact; its button goes to 001 -> 002
    page.click('header a[href="#flagged"]')
    page.click("#flagged tbody a >> nth=0")
    page.click('button.show[data-fact="fact-s1-f1"]')
    changed = page.locator("#cmp-s1-001-002 .cell.derived .hl.changed")
    assert changed.inner_text() == "five" and changed.is_visible()
    assert watched.errors == []


@pytest.mark.shared
def test_phone_width_reflows_the_tables_and_labels_each_paragraph(browser, tmp_path, screenshots):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(seed_report()), encoding="utf-8")
    page.goto(page_file.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    flagged = page.locator("table.stories tbody tr >> nth=0 >> td[data-label='Flagged facts']")
    box = flagged.bounding_box()
    assert box and box["x"] + box["width"] <= 390
    page.click('button.show[data-fact="fact-f1"]')
    cell = page.locator("#cmp-s1-001-002 .cell.derived").first
    label = cell.locator(".cell-label")
    assert label.is_visible() and label.inner_text().startswith("002")
    font = page.locator("svg.graph text").first.evaluate("el => el.getBoundingClientRect().height")
    assert font >= 10  # the graph scrolls; its text does not shrink
    page.screenshot(path=str(screenshots / "dossier-phone.png"))
    assert errors == []
    context.close()
