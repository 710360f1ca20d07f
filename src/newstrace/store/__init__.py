"""A growing corpus in a database: ingest articles batch by batch, read stories back.

SQLAlchemy Core (no ORM) so the same code serves the embedded SQLite default
and any other SQLAlchemy URL (PostgreSQL in particular, tested on a real server).
See :mod:`newstrace.store.corpus` for the design.
"""

from newstrace.store.corpus import SCHEMA_VERSION, Corpus, IngestResult, StoreError, database_url

__all__ = ["SCHEMA_VERSION", "Corpus", "IngestResult", "StoreError", "database_url"]
