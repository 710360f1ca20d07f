"""The web app behind ``newstrace serve`` (Starlette + the report's Jinja2 templates).

It serves one report loaded in memory: search, a dossier per story (the same
templates as the static HTML report) and a side-by-side comparison of any
two articles. Every page carries the same Content-Security-Policy as the
static report, as an HTTP header, so article text can never run script.
"""

from __future__ import annotations

import ipaddress
import threading
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newstrace.model import Document, Report, ReuseLink, Story
from newstrace.report._common import FLAGGED
from newstrace.report.dossier import (
    FactView,
    comparison_view,
    doc_label,
    document_index,
    fact_marks,
    story_summary,
    story_view,
)
from newstrace.report.html import content_security_policy, render_page
from newstrace.web.search import search_articles, search_stories

STORIES_PER_PAGE = 50
STORY_PAGES_CACHED = 256


def story_href(story_id: str) -> str:
    return "/story/" + quote(story_id, safe="")


LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def create_app(report: Report, allowed_hosts: list[str] | None = None) -> Starlette:
    """An ASGI app over ``report``.

    ``allowed_hosts`` limits the Host header the app answers to; a server on
    the loopback address uses the loopback names, so a web page the user
    visits cannot read the report through DNS rebinding.
    """
    by_id = document_index(report)
    labels = {d.id: doc_label(d) for d in report.documents}
    stories_by_id = {s.id: s for s in report.stories}
    largest_first = sorted(
        report.stories, key=lambda s: (-len(s.documents), s.first_published or "", s.id)
    )

    def page(template: str, status_code: int = 200, **context) -> HTMLResponse:
        html = render_page(
            template, forms=True, home_href="/", report=report, story_href=story_href, **context
        )
        return HTMLResponse(html, status_code=status_code, headers=_security_headers())

    def index(request: Request) -> HTMLResponse:  # a thread: rendering never blocks the loop
        query = request.query_params.get("q", "").strip()
        article_hits = search_articles(report, query) if query else []
        pages = max(1, -(-len(largest_first) // STORIES_PER_PAGE))
        number = min(max(_int(request.query_params.get("page"), 1), 1), pages)
        shown = largest_first[(number - 1) * STORIES_PER_PAGE : number * STORIES_PER_PAGE]
        return page(
            "web_index.html.j2",
            query=query,
            article_hits=article_hits,
            story_hits=search_stories(report, query, article_hits) if query else [],
            summaries=[story_summary(report, s, by_id) for s in shown],
            page_number=number,
            pages=pages,
            labels=labels,
        )

    @lru_cache(maxsize=STORY_PAGES_CACHED)
    def story_html(story_id: str) -> str:
        """A story's page, rendered once: the report does not change while it is served."""
        return render_page(
            "web_story.html.j2",
            forms=True,
            home_href="/",
            report=report,
            story_href=story_href,
            view=story_view(report, stories_by_id[story_id], by_id),
        )

    def story(request: Request) -> HTMLResponse:  # a thread: rendering never blocks the loop
        story_id = request.path_params["story_id"]
        if story_id not in stories_by_id:
            return page(
                "web_missing.html.j2",
                status_code=404,
                what=f"No story with id {story_id!r} in this report.",
            )
        return HTMLResponse(story_html(story_id), headers=_security_headers())

    def compare(request: Request) -> HTMLResponse:  # a thread: rendering never blocks the loop
        left, right = request.query_params.get("a", ""), request.query_params.get("b", "")
        options = [(d.id, f"{labels[d.id]} — {d.title or d.origin}") for d in report.documents]
        view, problem, pair_facts = None, None, []
        if left and right:
            view, problem = _comparison(report, by_id, left, right)
            pair_facts = _facts_of_pair(report, labels, left, right)
        return page(
            "web_compare.html.j2",
            status_code=404 if problem else 200,
            options=options,
            left=left,
            right=right,
            view=view,
            problem=problem,
            pair_facts=pair_facts,
        )

    async def health(request: Request) -> PlainTextResponse:
        return PlainTextResponse("ok")

    middleware = [Middleware(_SecurityHeaders)]  # outermost: on every response, errors too
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    return Starlette(
        middleware=middleware,
        routes=[
            Route("/", index),
            Route("/story/{story_id:path}", story),
            Route("/compare", compare),
            Route("/healthz", health),
        ],
    )


class _SecurityHeaders:
    """ASGI middleware: the security headers on every response (error pages and /healthz too)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in _security_headers().items()
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _security_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(forms=True),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


def _comparison(report: Report, index: dict[str, Document], left: str, right: str):
    missing = next((x for x in (left, right) if x not in index), None)
    if missing is not None:
        return None, f"No article with id {missing!r} in this report."
    a, b = index[left], index[right]
    link, story = _link_between(report, left, right)
    facts = [f for s in report.stories if s.id in {a.story, b.story} for f in s.facts]
    spans = fact_marks(facts, index)
    if link is not None:
        origin, derived = index[link.origin], index[link.derived]
        return comparison_view(origin, derived, link, spans, story.id if story else ""), None
    return comparison_view(a, b, None, spans, "pick"), None


def _facts_of_pair(report: Report, labels: dict[str, str], x: str, y: str) -> list[FactView]:
    """Facts both articles state, flagged ones first."""
    found = [
        FactView(fact, fact.verdict in FLAGGED, labels)
        for story in report.stories
        for fact in story.facts
        if {x, y} <= {st.doc for st in fact.statements}
    ]
    return sorted(found, key=lambda fv: not fv.flagged)


def _link_between(report: Report, x: str, y: str) -> tuple[ReuseLink | None, Story | None]:
    for story in report.stories:
        for link in story.reuse:
            if {link.origin, link.derived} == {x, y}:
                return link, story
    return None, None


def is_loopback(host: str) -> bool:
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts_for(host: str) -> list[str] | None:
    """Host headers a server bound to ``host`` answers: on a loopback address the loopback
    names and the address itself (``127.0.0.2`` too); elsewhere any (None)."""
    if not is_loopback(host):
        return None
    bare = host.strip("[]")
    own = [bare, f"[{bare}]"] if ":" in bare else [bare]
    return [*LOOPBACK_NAMES, *(name for name in own if name not in LOOPBACK_NAMES)]


class SwappableApp:
    """An ASGI app whose report can be replaced while it serves (after a background analysis)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def serve_refreshed(
    holder: SwappableApp,
    refreshed: Callable[[], Report],
    allowed_hosts: list[str] | None,
    done: Callable[[str], None],
) -> threading.Thread:
    """Start a thread computing ``refreshed()`` and then serving it instead; ``done`` hears how it went."""

    def work() -> None:
        try:
            report = refreshed()
        except Exception as exc:  # the stored report goes on being served
            done(f"background analysis failed ({type(exc).__name__}: {exc}); serving as stored")
            return
        holder.app = create_app(report, allowed_hosts=allowed_hosts)
        done("background analysis done: reuse and facts are up to date")

    thread = threading.Thread(target=work, name="newstrace-refresh", daemon=True)
    thread.start()
    return thread


def run_server(
    report: Report,
    host: str = "127.0.0.1",
    port: int = 8000,
    refreshed: Callable[[], Report] | None = None,
    done: Callable[[str], None] = print,
) -> None:
    """Serve ``report`` until interrupted; with ``refreshed``, listen at once and serve what it
    returns (computed in a background thread) once it is ready."""
    import uvicorn

    allowed = allowed_hosts_for(host)
    holder = SwappableApp(create_app(report, allowed_hosts=allowed))
    if refreshed is not None:
        serve_refreshed(holder, refreshed, allowed, done)
    uvicorn.run(holder, host=host, port=port, log_level="info")
