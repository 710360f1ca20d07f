"""Give the memory a finished stage freed back to the system.

CPython frees a stage's objects at once, but glibc's allocator keeps most of
the pages they lived on for the process to reuse, so the process's resident
size stays at its high mark: on 2,000 articles of the growth benchmark the
main process held 318 MB when facts began and 332 MB at the end; with the
pages given back each time the pipeline drops a stage's annotations
(``pipeline._drop``), 230 and 245 MB (docs/engine.md, "100k again"). ``malloc_trim`` returns them; no
library wraps it (psutil measures memory, it does not release it), so it is
called here through ctypes. Elsewhere than glibc (macOS, Windows, musl) this
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import lru_cache


def release_freed_memory() -> None:
    """Collect garbage and hand the allocator's free pages back to the system (glibc only)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@lru_cache(maxsize=1)
def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None
