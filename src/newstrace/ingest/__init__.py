"""Ingest: read articles from any input a user has.

``read_inputs`` takes any mix of text/Markdown, HTML, saved MHTML pages, JSON
Lines, JSON, WARC, RSS/Atom files (gzip-compressed or not), directories of
them and ``-`` for standard input, and yields :class:`~newstrace.model.Document` objects (with
``raw``/``raw_kind`` for the clean stage) or :class:`~newstrace.model.Skipped`
reasons. See :mod:`newstrace.ingest.readers` for the rules and limits.
"""

from newstrace.ingest.readers import MAX_DOCUMENT_BYTES, read_inputs

__all__ = ["MAX_DOCUMENT_BYTES", "read_inputs"]
