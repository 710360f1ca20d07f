"""The story dossier as HTML: one self-contained page per run, and the web app's pages.

Article text is untrusted input. Every template is autoescaped, links are
made only from http(s) URLs, and the Content-Security-Policy allows no
network load at all and exactly one script and one style sheet (ours,
inlined, by their SHA-256 hash), so even markup that slipped through could
not run or fetch anything.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from newstrace.model import Report
from newstrace.report._common import FLAGGED, VERDICT_LABELS
from newstrace.report.dossier import (
    anchor,
    document_index,
    format_date,
    origin_namer,
    story_order,
    story_summary,
    story_view,
)


@dataclass(frozen=True)
class _Assets:
    css: Markup
    js: Markup
    css_hash: str
    js_hash: str


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode(
        "ascii"
    )


@lru_cache(maxsize=1)
def _assets() -> _Assets:
    static = resources.files("newstrace.report") / "static"
    css = (static / "dossier.css").read_text(encoding="utf-8")
    js = (static / "dossier.js").read_text(encoding="utf-8")
    return _Assets(Markup(css), Markup(js), _sha256(css), _sha256(js))


def content_security_policy(*, forms: bool = False) -> str:
    """Nothing from the network; only our own inline style and script run."""
    assets = _assets()
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src '{assets.js_hash}'",
            f"style-src '{assets.css_hash}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'self'" if forms else "form-action 'none'",
        ]
    )


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newstrace", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["anchor"] = anchor
    env.globals["format_date"] = format_date
    env.globals["origin_name"] = origin_namer([])
    env.globals["verdict_labels"] = VERDICT_LABELS
    return env


def render_page(
    template: str, *, forms: bool = False, home_href: str = "#stories", **context: Any
) -> str:
    """Render one of the report templates with the shared assets and policy."""
    return "".join(_page_parts(template, forms=forms, home_href=home_href, **context))


def _page_parts(
    template: str, *, forms: bool = False, home_href: str = "#stories", **context: Any
) -> Iterator[str]:
    """The rendered page piece by piece (Jinja's ``generate``): what ``render`` joins."""
    return (
        _environment()
        .get_template(template)
        .generate(
            assets=_assets(),
            csp=content_security_policy(forms=forms),
            home_href=home_href,
            **context,
        )
    )


def _in_page_story_href(story_id: str) -> str:
    return "#" + anchor("story", story_id)


def render_html(report: Report) -> str:
    """The whole report as one HTML page that loads nothing from anywhere.

    Stories come most flagged first, then largest; stories of one article are
    listed compactly after the others. Origins are named from the input folder
    down, never by an absolute path.
    """
    return "".join(_report_page_parts(report))


def write_html(report: Report, out: TextIO) -> None:
    """Write :func:`render_html`'s page to ``out`` as Jinja renders it, never as one string."""
    for part in _report_page_parts(report):
        out.write(part)


def _report_page_parts(report: Report) -> Iterator[str]:
    index = document_index(report)
    summaries = story_order([story_summary(report, s, index) for s in report.stories])
    by_id = {s.id: s for s in report.stories}
    views = [story_view(report, by_id[s["story"].id], index) for s in summaries]
    flagged = [
        (view, fv)
        for view in views
        for _, _, items in view.fact_groups
        for fv in items
        if fv.fact.verdict in FLAGGED
    ]
    known = {name for view in views for name in view.outlets}
    return _page_parts(
        "report.html.j2",
        report=report,
        summaries=[s for s in summaries if s["articles"] > 1],
        singles=[s for s in summaries if s["articles"] <= 1],
        views=views,
        flagged=flagged,
        outlet_count=len(known),
        story_href=_in_page_story_href,
        origin_name=origin_namer(
            [d.origin for d in report.documents] + [s.origin for s in report.skipped]
        ),
    )
