"""A finished stage's freed memory goes back to the system (glibc), not kept at the high mark."""

import psutil
import pytest

from newstrace.engine.memory import _malloc_trim, release_freed_memory


@pytest.mark.skipif(_malloc_trim() is None, reason="malloc_trim is glibc's")
def test_freed_pages_between_live_objects_go_back_to_the_system():
    process = psutil.Process()
    blocks = [bytes(1000) + n.to_bytes(4, "little") for n in range(200_000)]  # ~200 MB, malloc'd
    kept = blocks[::10]  # live objects scattered through the freed ones: nothing to trim at the top
    del blocks
    before = process.memory_info().rss
    release_freed_memory()
    after = process.memory_info().rss
    assert before - after > 100e6, (before, after)
    assert len(kept) == 20_000
