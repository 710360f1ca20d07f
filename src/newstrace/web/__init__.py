"""``newstrace serve``: a local web app to browse a report (search, story dossiers, comparisons)."""

from newstrace._extras import require_extra

require_extra("web", "newstrace serve", "starlette", "uvicorn")

from newstrace.web.app import create_app, is_loopback, run_server  # noqa: E402

__all__ = ["create_app", "is_loopback", "run_server"]
