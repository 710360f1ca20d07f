"""Input readers (placeholder: plain text files and directories only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from newstrace.model import Document, Skipped


def read_inputs(inputs: Iterable[str | Path]) -> Iterator[Document | Skipped]:
    """Documents, or a :class:`Skipped` for each input that cannot be read."""
    n = 0
    for item in inputs:
        path = Path(item)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                yield Skipped(str(file), str(exc))
                continue
            n += 1
            title = text.strip().splitlines()[0] if text.strip() else None
            yield Document(id=f"d{n}", origin=str(file), title=title, raw=text)
