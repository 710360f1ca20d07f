"""The story index's state, kept in the store so a new process need not rebuild it by NLP.

Each stored document keeps its story features (one row of
:class:`~newstrace.stories.features.RawFeatures`, as compressed numpy arrays,
never pickles) and the blocking keys it joined its story with. From those, the
documents table and a checkpoint of the document frequencies, ``restore``
rebuilds a :class:`~newstrace.stories.StoryIndex` equal to the one the ingests
left behind, without re-running spaCy or the embedding model:

- document frequencies: the checkpoint plus the features of later documents;
- a story's members: the features of its last ``max_members`` documents; its
  keys: the union of its documents' keys; its last arrival: its last ``seq``;
- whether it closed: a later article was dated more than ``window_days`` after
  its newest, or ``max_idle`` articles arrived since its last.

Features depend on the code that extracts them: ``FEATURES_VERSION`` is a
digest of that code and the pair model, and stored features of another version
are not used (the store re-extracts them once, see ``Corpus``). The index
itself is set through its public ``StoryIndex.restore``.
"""

from __future__ import annotations

import hashlib
import io
import json
import zlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from newstrace.ingest.dates import published_day
from newstrace.model import Story
from newstrace.stories import StoryIndex
from newstrace.stories.features import (
    COUNTED_TABLES,
    N_FEATURES,
    DocumentFrequency,
    RawFeatures,
    csr_from_rows,
)
from newstrace.stories.incremental import OpenStory

_STORIES = Path(__file__).resolve().parents[1] / "stories"


def _features_version() -> str:
    digest = hashlib.sha256()
    for name in ("features.py", "pairs.py", "incremental.py", "pair_model.json"):
        digest.update((_STORIES / name).read_bytes())
    digest.update(str(N_FEATURES).encode())
    return digest.hexdigest()[:16]


FEATURES_VERSION = _features_version()


_PACKED = b"NTF2"
"""The prefix of packed features; rows written before it (numpy ``.npz``) are still read."""


def pack_features(raw: RawFeatures) -> bytes:
    """One document's features in one compressed buffer: a small JSON header, then flat arrays.

    Not ``.npz``: a store restores thousands of rows when it opens, and reading
    one ``.npz`` member costs a zip entry and a header parse (~6 ms a row over
    all tables); this is read with one ``zlib`` call and ``np.frombuffer``.
    """
    tables = {name: table.tocsr() for name, table in raw.tables.items()}
    published = raw.published[0]
    header = {
        "tables": list(tables),
        "sizes": [int(t.nnz) for t in tables.values()],
        "dimensions": int(raw.lead_vectors.shape[1]),
        "published": published.toordinal() if published else -1,
        "length": float(raw.lengths[0]),
    }
    head = json.dumps(header, separators=(",", ":")).encode()
    body = b"".join(
        [
            len(head).to_bytes(4, "little"),
            head,
            raw.lead_vectors[0].astype(np.float32).tobytes(),
            *(t.indices.astype(np.int32).tobytes() for t in tables.values()),
            *(t.data.astype(np.float32).tobytes() for t in tables.values()),
        ]
    )
    return _PACKED + zlib.compress(body, 6)


def is_current_packing(data: bytes) -> bool:
    """Whether ``data`` was packed by this :func:`pack_features` (not an older store's ``.npz``)."""
    return data.startswith(_PACKED)


def unpack_features(data: bytes) -> RawFeatures:
    """One document's features, as :func:`pack_features` (or an older store) wrote them."""
    return unpack_stacked([data])


def unpack_stacked(blobs: list[bytes]) -> RawFeatures:
    """Many (at least one) documents' features as one :class:`RawFeatures`, rows in the order given.

    Each table is built once for all rows: restoring a story's members needs them stacked anyway.
    """
    if not all(map(is_current_packing, blobs)):  # a store written before the flat format
        return RawFeatures.stack([_unpack_npz(blob) for blob in blobs])
    parsed = [_unpack_flat(blob) for blob in blobs]
    names = parsed[0][0]["tables"]
    tables = {
        name: csr_from_rows(
            [p[2][t] for p in parsed],
            [p[3][t] for p in parsed],
            [p[0]["sizes"][t] for p in parsed],
            N_FEATURES,
        )
        for t, name in enumerate(names)
    }
    dates = [
        date.fromordinal(p[0]["published"]) if p[0]["published"] >= 0 else None for p in parsed
    ]
    return RawFeatures(
        tables,
        np.vstack([p[1] for p in parsed]),
        dates,
        np.array([p[0]["length"] for p in parsed], dtype=np.float32),
    )


def _unpack_flat(blob: bytes) -> tuple[dict, np.ndarray, list[np.ndarray], list[np.ndarray]]:
    body = zlib.decompress(blob[len(_PACKED) :])
    size = int.from_bytes(body[:4], "little")
    header = json.loads(body[4 : 4 + size])
    at = 4 + size
    dimensions = header["dimensions"]
    lead = np.frombuffer(body, np.float32, dimensions, at)[None, :]
    at += 4 * dimensions
    indices, values = [], []
    for count in header["sizes"]:
        indices.append(np.frombuffer(body, np.int32, count, at))
        at += 4 * count
    for count in header["sizes"]:
        values.append(np.frombuffer(body, np.float32, count, at))
        at += 4 * count
    return header, lead, indices, values


def _unpack_npz(data: bytes) -> RawFeatures:
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        tables = {}
        for name in arrays["tables"].tolist():
            indices, values = arrays[f"{name}.indices"], arrays[f"{name}.data"]
            tables[name] = sp.csr_matrix(
                (values, indices, np.array([0, len(indices)])), shape=(1, N_FEATURES)
            )
        ordinal = int(arrays["published"][0])
        return RawFeatures(
            tables,
            arrays["lead_vector"][None, :].copy(),
            [date.fromordinal(ordinal) if ordinal >= 0 else None],
            arrays["length"].copy(),
        )


def pack_frequency(frequency: DocumentFrequency) -> bytes:
    arrays: dict[str, np.ndarray] = {"documents": np.array([frequency.documents], dtype=np.int64)}
    for name in COUNTED_TABLES:
        where = np.flatnonzero(frequency.counts[name]).astype(np.int32)
        arrays[f"{name}.where"] = where
        arrays[f"{name}.counts"] = frequency.counts[name][where]
    buffer = io.BytesIO()
    np.savez_compressed(buffer, allow_pickle=False, **arrays)
    return buffer.getvalue()


def unpack_frequency(data: bytes) -> DocumentFrequency:
    frequency = DocumentFrequency()
    with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
        frequency.documents = int(arrays["documents"][0])
        for name in COUNTED_TABLES:
            frequency.counts[name][arrays[f"{name}.where"]] = arrays[f"{name}.counts"]
    return frequency


@dataclass
class StoredDocument:
    """What restoring needs of one stored document (no text)."""

    seq: int
    id: str
    story: str
    published: str | None
    keys: str
    """The blocking keys it joined with, as stored (JSON): read only for open stories."""


@dataclass
class StoredStory:
    id: str
    title: str
    first_published: str | None
    last_published: str | None


def open_members(index: StoryIndex, documents: list[StoredDocument]) -> dict[str, list[int]]:
    """Each story still open after ``documents`` (in ``seq`` order): the seqs of its kept members."""
    last_seq: dict[str, int] = {}
    last_date: dict[str, date] = {}
    members: dict[str, list[int]] = {}
    for doc in documents:
        last_seq[doc.story] = doc.seq
        members.setdefault(doc.story, []).append(doc.seq)
        published = published_day(doc.published)
        if published and (doc.story not in last_date or published > last_date[doc.story]):
            last_date[doc.story] = published
    newest_after = _newest_date_after(documents)
    arrivals = documents[-1].seq if documents else 0
    position = {doc.seq: n for n, doc in enumerate(documents)}
    still_open = {}
    for story, seq in last_seq.items():
        later = newest_after[position[seq]]
        idle = arrivals - seq > index.max_idle
        stale = (
            later is not None
            and story in last_date
            and (later - last_date[story]).days > index.window_days
        )
        if not idle and not stale:
            still_open[story] = members[story][-index.max_members :]
    return still_open


def _newest_date_after(documents: list[StoredDocument]) -> list[date | None]:
    """For each position, the newest publication date among the documents after it."""
    newest: list[date | None] = [None] * len(documents)
    running: date | None = None
    for n in range(len(documents) - 1, -1, -1):
        newest[n] = running
        published = published_day(documents[n].published)
        if published and (running is None or published > running):
            running = published
    return newest


def restore(
    index: StoryIndex,
    documents: list[StoredDocument],
    stories: dict[str, StoredStory],
    frequency: DocumentFrequency,
    features: dict[int, bytes],
) -> None:
    """Set ``index`` to the state the stored ingests left: ``features`` holds every open story's kept
    members, packed (closed stories need neither features nor keys, so a large store opens in time
    that grows with its open stories, not with every article it holds)."""
    keys: dict[str, set[int]] = {}
    by_story: dict[str, list[str]] = {}
    last_seq: dict[str, int] = {}
    last_date: dict[str, date] = {}
    members = open_members(index, documents)
    for doc in documents:
        if doc.story in members:
            keys.setdefault(doc.story, set()).update(json.loads(doc.keys))
        by_story.setdefault(doc.story, []).append(doc.id)
        last_seq[doc.story] = doc.seq
        published = published_day(doc.published)
        if published and (doc.story not in last_date or published > last_date[doc.story]):
            last_date[doc.story] = published
    still_open, closed = [], []
    for story_id in sorted(by_story, key=last_seq.__getitem__):
        stored = stories[story_id]
        story = Story(
            id=story_id,
            title=stored.title,
            documents=by_story[story_id],
            first_published=stored.first_published,
            last_published=stored.last_published,
        )
        if story_id not in members:
            closed.append(story)
            continue
        still_open.append(
            OpenStory(
                story,
                members=unpack_stacked([features[seq] for seq in members[story_id]]),
                keys=keys[story_id],
                last_date=last_date.get(story_id),
                last_arrival=last_seq[story_id],
            )
        )
    index.restore(frequency, documents[-1].seq if documents else 0, still_open, closed)


def keys_json(keys: set[int]) -> str:
    return json.dumps(sorted(keys))
