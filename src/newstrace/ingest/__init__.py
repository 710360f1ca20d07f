"""Ingest: read articles from any input a user has."""

from newstrace.ingest.readers import read_inputs

__all__ = ["read_inputs"]
