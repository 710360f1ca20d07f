"""``newstrace serve``: a local web app to browse a report (search, story dossiers, comparisons)."""

from newstrace.web.app import create_app, is_loopback, run_server

__all__ = ["create_app", "is_loopback", "run_server"]
