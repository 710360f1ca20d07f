"""A growing corpus in a database: ingest articles batch by batch, read stories back.

SQLAlchemy Core (no ORM) so the same code serves the embedded SQLite default
and any other SQLAlchemy URL (PostgreSQL in particular, tested on a real server).
See :mod:`newstrace.store.corpus` for the design.
"""

from newstrace.store.corpus import Corpus, IngestResult, StoreError, database_url
from newstrace.store.schema import SchemaError

__all__ = ["Corpus", "IngestResult", "SchemaError", "StoreError", "database_url"]
