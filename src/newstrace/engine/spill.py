"""The run's spill file: the documents' heavy annotations on local disk, not in the main process.

After the per-document NLP the main process needs little of each document
until reuse and facts read it (:mod:`newstrace.reuse.digest`), but it used to
hold every reuse view (sentence vectors, content words, sentences) and every
packed parse from the NLP to the end of their stage: about 70 KB a document,
9 GB at 100k articles (docs/engine.md, "Growth"). Here they are written, as
they come back from the pool's workers, to one append-only file in a
temporary directory that the run removes when it ends; the document keeps a
:class:`newstrace.model.Spilled` handle (path, offset, length) and the pair
checks and each story's facts, in the workers, read the bytes back by
offset (``os.pread``), so a work item carries a few ints, not the arrays.

Why a hand-written append-only file and not a library: the data are opaque
byte strings written once, in arrival order, and read back by position, by
other processes, while the run lasts; nothing is updated, deleted, queried
or kept after the run. A file and two integers do exactly that, with no
locking (one writer, the main process; readers only read what was written and
flushed before their work item was made). ``sqlite3`` or ``shelve`` would add a
key index, page overhead and a transaction per write for no use here, and
``numpy.memmap`` fits arrays, not pickled views and spaCy's ``DocBin`` bytes.

Only the local engine spills: Dask's workers may be on other machines, which
cannot read this one's disk, so its partitions keep their views in memory as
before (and so does the store, which analyses outside a run). ``--jobs 1``
spills too, once its NLP is done.

A write that fails (the disk full, the directory gone) is a
:class:`newstrace.errors.SpillError` naming the directory and
``$TMPDIR``, not a traceback; a handle that cannot be read fails the work
item that reads it, so only its story goes without reuse or facts.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from newstrace.errors import SpillError
from newstrace.model import Document, Spilled, forget_spill_file


class SpillFile:
    """One run's append-only spill file (in a fresh temporary directory), until :meth:`close`."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="newstrace-spill-")
        self.path = str(Path(self._folder.name) / "annotations.bin")
        self._out = open(self.path, "ab", buffering=0)  # noqa: SIM115 - closed in close()
        self.size = 0

    def write(self, data: bytes) -> Spilled:
        """Append ``data``; its handle (readable at once, by any process of this machine)."""
        try:
            written = self._out.write(data)
            while written is not None and written < len(data):  # a short write: the rest
                more = self._out.write(memoryview(data)[written:])
                written += more or 0
                if not more:
                    raise OSError("no space left for the rest of the bytes")
        except OSError as exc:
            raise SpillError(self._folder.name, exc) from exc
        handle = Spilled(self.path, self.size, len(data))
        self.size += len(data)
        return handle

    def spill(self, documents: list[Document]) -> None:
        """Write each document's reuse view, packed parse and packed story profile (what
        grouping's doubt pass reads of its entities), leaving handles in their place.

        A view still whole on the document (the NLP ran in this process) is
        digested and pickled here; one a worker digested is written from the
        bytes it sent. A parse is written if packed. Anything else is left as it is.
        """
        from newstrace.reuse.digest import digest_in_place

        for doc in documents:
            digest_in_place(doc)
            notes = doc.annotations
            digest = notes.reuse_digest
            if digest is not None and digest.blob is not None:
                digest.stored, digest.blob = self.write(digest.blob), None
            if digest is not None:
                digest.spill_arrays(self.write)
            if isinstance(notes.parse, bytes):
                notes.spilled_parse, notes.parse = self.write(notes.parse), None
            if isinstance(notes.story_profile, bytes):
                notes.story_profile = self.write(notes.story_profile)

    def __enter__(self) -> SpillFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close and remove the file and its directory."""
        self._out.close()
        forget_spill_file(self.path)
        self._folder.cleanup()
