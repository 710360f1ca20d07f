"""newstrace: which articles report the same event, who copied whom, and which
facts the sources agree on, disagree on, or a rewrite quietly changed.

Public API::

    import newstrace
    report = newstrace.analyze(["articles/"])
    print(report.to_json())
    body = newstrace.clean_html(html, url="https://example.com/a")

The heavy parts (scikit-learn, spaCy, onnxruntime) load on first use, so that
``import newstrace`` and ``newstrace --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from newstrace.model import Document, Fact, Report, ReuseLink, Story

if TYPE_CHECKING:
    from newstrace.clean import clean_html
    from newstrace.pipeline import analyze

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Fact",
    "Report",
    "ReuseLink",
    "Story",
    "__version__",
    "analyze",
    "clean_html",
]

_LAZY = {"analyze": "newstrace.pipeline", "clean_html": "newstrace.clean"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newstrace' has no attribute {name!r}")
