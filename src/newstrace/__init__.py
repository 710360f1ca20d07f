"""newstrace: which articles report the same event, who copied whom, and which
facts the sources agree on, disagree on, or a rewrite quietly changed.

Public API::

    import newstrace
    report = newstrace.analyze(["articles/"])
    print(report.to_json())
    body = newstrace.clean_html(html, url="https://example.com/a")
"""

from newstrace.clean import clean_html
from newstrace.model import Document, Fact, Report, ReuseLink, Story
from newstrace.pipeline import analyze

__version__ = "0.1.0"

__all__ = ["Document", "Fact", "Report", "ReuseLink", "Story", "__version__", "analyze", "clean_html"]
