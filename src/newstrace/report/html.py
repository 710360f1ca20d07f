"""A self-contained HTML report (Jinja2, autoescaped: article text is untrusted)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from newstrace.model import Report


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("newstrace", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(report: Report) -> str:
    """One HTML page, no scripts or resources fetched from anywhere."""
    docs = {d.id: d for d in report.documents}
    return _environment().get_template("report.html.j2").render(report=report, docs=docs)
