"""Trace reuse: duplicates, near copies, rewrites and shared sources."""

from newstrace.reuse.links import trace_reuse

__all__ = ["trace_reuse"]
