"""Optional extras: a clear error naming the extra when its packages are missing.

``newstrace`` installs what every analysis needs; the Dask engine, the
PostgreSQL driver and the web app come with the extras ``[dask]``,
``[postgres]`` and ``[web]`` so that a plain install stays small.
"""

from __future__ import annotations

from importlib.util import find_spec

from newstrace.errors import ExtraMissingError


def require_extra(extra: str, feature: str, *modules: str) -> None:
    """Raise :class:`ExtraMissingError` unless every one of ``modules`` can be imported."""
    if any(find_spec(module) is None for module in modules):
        raise ExtraMissingError(feature, extra)
