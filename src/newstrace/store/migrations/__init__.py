"""Alembic migrations of the store's schema, run by :func:`newstrace.store.schema.migrate` on open."""
