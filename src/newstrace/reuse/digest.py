"""What the main process keeps of a document's reuse view once the view is spilled.

The whole view (sentences, normalised sentences, sentence vectors, content
words and their spans) is some 60 KB a document; held for every document
from the NLP to the end of reuse it was most of what the main process grew
by (docs/engine.md, "Growth"). Candidate search and link resolution need
much less, and this is it: the distinct content-word 3-gram hashes
(``shingles``, the candidate index and the 3-gram document frequencies), the
distinct content-word hashes (the word document frequencies), the unit mean
of the lead sentences' vectors (embedding candidates) and the content
characters (``_orient_towards_hubs`` rescores with them). The view itself is
in the run's spill file (``stored``), read back by the pair checks; the three
arrays follow it there (``arrays``), read back by candidate search and the
frequency count, so what stays in memory is the content characters and
handles (0.7 KB a document, against 6.4 KB with the arrays).

Everything here is computed from the view alone, so a worker computes it
where the view is made; the frequencies the pair checks need from the whole
corpus are counted from these in the main process
(:func:`newstrace.reuse.links.pair_links`).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from newstrace.model import Document, Spilled
from newstrace.reuse.candidates import gram_hashes, lead_vectors
from newstrace.reuse.text import ReuseView


@dataclass(slots=True)
class ReuseDigest:
    """A spilled reuse view's stand-in on its document (see the module docstring).

    The three arrays candidate search reads are in memory until the main
    process spills them too (:meth:`spill_arrays`, back to back in one record
    of the run's spill file); from then on :meth:`grams`, :meth:`vocabulary`
    and :meth:`lead_vector` read each back by its own offset, so the main
    process keeps a few ints a document from the NLP to the end of reuse, not
    the arrays (5.9 KB a growth-corpus document; docs/engine.md, "Growth").
    """

    doc_id: str
    shingles: np.ndarray | None  # the view's signature: distinct content-word 3-gram hashes, sorted
    words: np.ndarray | None  # distinct content-word hashes, sorted
    lead: np.ndarray | None  # unit mean of the lead sentences' vectors (float32)
    content_chars: int
    stored: Spilled | None = None  # where the view is, once written
    blob: bytes | None = None  # the pickled view, until the main process writes it
    arrays: Spilled | None = None  # where the three arrays are, once written
    lengths: tuple[int, int, int] = (0, 0, 0)  # their entries, in the order written

    def spill_arrays(self, write: Callable[[bytes], Spilled]) -> None:
        """Write the three arrays with ``write`` (the spill file's) and keep their handle only."""
        if self.shingles is None or self.words is None or self.lead is None:
            return
        parts = (self.shingles.astype(np.uint64), self.words.astype(np.uint64))
        lead = self.lead.astype(np.float32)
        self.arrays = write(b"".join(part.tobytes() for part in (*parts, lead)))
        self.lengths = (len(parts[0]), len(parts[1]), len(lead))
        self.shingles = self.words = self.lead = None

    def grams(self) -> np.ndarray:
        """The distinct 3-gram hashes, sorted (from the spill file once spilled)."""
        return self.shingles if self.shingles is not None else self._read(0, np.uint64)

    def vocabulary(self) -> np.ndarray:
        """The distinct content-word hashes, sorted (from the spill file once spilled)."""
        return self.words if self.words is not None else self._read(1, np.uint64)

    def lead_vector(self) -> np.ndarray:
        """The lead sentences' unit mean vector (from the spill file once spilled)."""
        return self.lead if self.lead is not None else self._read(2, np.float32)

    def _read(self, which: int, dtype) -> np.ndarray:
        if self.arrays is None:
            raise ValueError(
                f"{self.doc_id}: the reuse digest's arrays were neither kept nor spilled"
            )
        start = 8 * sum(self.lengths[:which])  # two uint64 arrays, then the float32 vector
        size = self.lengths[which] * np.dtype(dtype).itemsize
        if not size:
            return np.zeros(0, dtype)
        part = Spilled(self.arrays.path, self.arrays.offset + start, size)
        return np.frombuffer(part.read(), dtype=dtype)


def digest_of(view: ReuseView) -> ReuseDigest:
    """The digest of a view with embeddings and signature (``engine.work.annotate`` made them),
    the view pickled into ``blob``: bytes the main process writes without unpickling them."""
    words = view.content_words()[0]
    lead = lead_vectors([view.embeddings], [view.lead()])[0]
    shingles = view.signature if view.signature is not None else np.zeros(0, np.uint64)
    return ReuseDigest(
        view.doc_id,
        shingles,
        np.unique(gram_hashes(words, 1)),
        lead,
        view.content_chars,
        blob=pickle.dumps(view, protocol=pickle.HIGHEST_PROTOCOL),
    )


def stored_view(digest: ReuseDigest) -> ReuseView:
    """The whole view back from the spill file (or from ``blob`` if not yet written)."""
    if digest.blob is not None:
        return view_from_bytes(digest.doc_id, digest.blob)
    if digest.stored is None:
        raise ValueError(f"{digest.doc_id}: the reuse view was neither kept nor spilled")
    return view_from_bytes(digest.doc_id, digest.stored.read())


def digest_in_place(doc: Document) -> None:
    """Swap ``doc``'s whole reuse view (with embeddings) for its digest; anything else is left."""
    notes = doc.annotations
    if notes.reuse is not None and notes.reuse.embeddings is not None:
        notes.reuse_digest, notes.reuse = digest_of(notes.reuse), None


def view_from_bytes(doc_id: str, data: bytes) -> ReuseView:
    """The view pickled by :func:`digest_of`, checked to be ``doc_id``'s."""
    view = pickle.loads(data)
    if not isinstance(view, ReuseView) or view.doc_id != doc_id:
        raise ValueError(f"{doc_id}: the spilled reuse view is not this document's")
    return view
