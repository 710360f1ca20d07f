"""What the store keeps so opening is cheap and ingest incremental.

A new process rebuilds the story index from stored features (no NLP) into the
same state the ingests left; reuse and facts are stored per story and only the
stories a batch touches are analysed again; ``export`` and ``story`` read them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from conftest import SEEDS

from newstrace.pipeline import analyze
from newstrace.store import Corpus
from newstrace.store.state import pack_features, unpack_features

pytestmark = pytest.mark.shared

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "articles"
ECB = SEEDS.parent / "dev" / "ecb"


def _inputs() -> list[str]:
    """The August seed first, so the October ones close its story (14-day window); then samples and ECB."""
    seeds = sorted(SEEDS.iterdir())
    ecb = [
        str(ECB / json.loads(line)["doc"])
        for line in (ECB / "gold.jsonl").read_text().splitlines()[:24]
    ]
    return [str(seeds[-1]), *map(str, seeds[:-1]), str(SAMPLES), *ecb]


def _index_state(index) -> dict:
    """Everything that decides where the next article goes."""
    return {
        "arrivals": index._arrivals,
        "made": index._stories_made,
        "documents": index.frequency.documents,
        "counts": {name: counts.copy() for name, counts in index.frequency.counts.items()},
        "open": [
            (sid, s.story.title, s.last_arrival, s.last_date, sorted(s.keys))
            for sid, s in index.open.items()
        ],
        "members": {sid: _features_tuple(s.members) for sid, s in index.open.items()},
        "closed": sorted(s.id for s in index.closed),
        "postings": {key: sorted(holders) for key, holders in index._postings.items()},
    }


def _features_tuple(raw) -> tuple:
    return (
        {
            name: (table.indptr.tolist(), table.indices.tolist(), table.data.tolist())
            for name, table in raw.tables.items()
        },
        raw.lead_vectors.tolist(),
        raw.published,
        raw.lengths.tolist(),
    )


def _assert_same_state(restored: dict, live: dict) -> None:
    for name in live["counts"]:
        assert np.array_equal(restored["counts"][name], live["counts"][name]), name
    for key in ("arrivals", "made", "documents", "open", "members", "closed", "postings"):
        assert restored[key] == live[key], key


@pytest.fixture(scope="module")
def live_store(tmp_path_factory):
    """Seeds, samples and ECB articles ingested in one process, and that process's index state."""
    url = f"sqlite:///{tmp_path_factory.mktemp('state') / 'live.db'}"
    with Corpus(url) as corpus:
        corpus.ingest(_inputs(), batch_size=7, analyse=False)
        state = _index_state(corpus._index)
    return url, state


def test_features_survive_storage_exactly():
    from newstrace.clean import clean_documents
    from newstrace.ingest import read_inputs
    from newstrace.stories.features import extract

    docs = [d for d in read_inputs([SEEDS]) if hasattr(d, "text")][:2]
    raw = extract(clean_documents(docs))
    for n in range(len(raw)):
        row = raw.rows([n])
        assert _features_tuple(unpack_features(pack_features(row))) == _features_tuple(row)


def test_a_new_process_restores_the_index_the_ingests_left_without_nlp(live_store, monkeypatch):
    url, live = live_store
    assert live["closed"], "the August story should have closed: nothing to test about closing"
    import newstrace.stories.features as features

    def no_nlp(*_args, **_kwargs):
        raise AssertionError("restoring re-ran feature extraction")

    monkeypatch.setattr(features, "extract", no_nlp)
    with Corpus(url) as corpus:
        corpus._catch_up()
        _assert_same_state(_index_state(corpus._index), live)


def _copy_of(url: str, copy: Path) -> tuple[Path, sa.Engine]:
    """A copy of the SQLite store at ``url``, and an engine on it, to alter what it holds."""
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    return copy, sa.create_engine(f"sqlite:///{copy}")


def test_stored_features_of_another_extractor_are_extracted_again_and_stored(live_store, tmp_path):
    url, live = live_store
    copy, engine = _copy_of(url, tmp_path / "old.db")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE features SET version = 'older'"))
        conn.execute(sa.text("UPDATE checkpoints SET version = 'older'"))
    with Corpus(f"sqlite:///{copy}") as corpus:
        corpus.ingest(
            [str(SEEDS)], analyse=False
        )  # all stored already: restores, re-extracts, adds nothing
        _assert_same_state(_index_state(corpus._index), live)
    with engine.connect() as conn:
        assert (
            conn.execute(sa.text("SELECT count(*) FROM features WHERE version = 'older'")).scalar()
            == 0
        )
    engine.dispose()


def _npz_packed(data: bytes) -> bytes:
    """Features as stores wrote them before the flat format: one ``.npz`` member per array."""
    import io

    raw = unpack_features(data)
    arrays = {"tables": np.array(list(raw.tables))}
    for name, table in raw.tables.items():
        arrays[f"{name}.indices"] = table.indices.astype(np.int32)
        arrays[f"{name}.data"] = table.data.astype(np.float32)
    arrays["lead_vector"] = raw.lead_vectors[0]
    arrays["length"] = raw.lengths[:1]
    arrays["published"] = np.array(
        [raw.published[0].toordinal() if raw.published[0] else -1], dtype=np.int64
    )
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def test_a_store_of_older_packed_features_restores_the_same_index_and_is_rewritten(
    live_store, tmp_path
):
    url, live = live_store
    copy, engine = _copy_of(url, tmp_path / "npz.db")
    with engine.begin() as conn:
        for seq, data in conn.execute(sa.text("SELECT seq, data FROM features")).all():
            conn.execute(
                sa.text("UPDATE features SET data = :d WHERE seq = :s"),
                {"d": _npz_packed(data), "s": seq},
            )
    with Corpus(f"sqlite:///{copy}") as corpus:
        corpus._catch_up()
        _assert_same_state(_index_state(corpus._index), live)
        corpus.ingest([str(SEEDS)], analyse=False)  # adds nothing, rewrites what opening read
    with engine.connect() as conn:
        blobs = [bytes(row[0]) for row in conn.execute(sa.text("SELECT data FROM features"))]
    engine.dispose()
    rewritten = sum(blob.startswith(b"NTF2") for blob in blobs)
    assert 0 < rewritten < len(blobs), (
        "the open stories' members are rewritten, closed stories' rows left alone"
    )
    with Corpus(f"sqlite:///{copy}") as corpus:
        corpus._catch_up()
        _assert_same_state(_index_state(corpus._index), live)


def _by_origin(report: dict) -> dict:
    """Each story as sets keyed by document origin, so stored and analysed runs compare despite ids."""
    origin = {d["id"]: d["origin"] for d in report["documents"]}
    stories = {}
    for story in report["stories"]:
        members = frozenset(origin[d] for d in story["documents"])
        reuse = sorted(
            (origin[r["derived"]], origin[r["origin"]], r["kind"], r["directed"], r["score"])
            for r in story["reuse"]
        )
        facts = sorted(
            (
                f["kind"],
                f["verdict"],
                tuple(sorted((origin[s["doc"]], tuple(s["span"])) for s in f["statements"])),
            )
            for f in story["facts"]
        )
        stories[members] = (reuse, facts)
    return stories


@pytest.mark.slow
def test_export_equals_analyze_for_every_story_grouped_alike(tmp_path, db_url):
    inputs = [str(SEEDS), str(SAMPLES)]
    with Corpus(db_url) as corpus:
        corpus.ingest(inputs)
        stored = _by_origin(corpus.export_report().to_dict())
    analysed = _by_origin(analyze(inputs).to_dict())
    alike = set(stored) & set(analysed)
    assert len(alike) >= 2, "too few stories grouped alike to compare anything"
    assert any(stored[members][0] for members in alike) and any(
        stored[members][1] for members in alike
    )
    for members in alike:
        assert stored[members] == analysed[members], sorted(members)


@pytest.mark.slow
def test_an_ingest_analyses_only_the_stories_it_touched(tmp_path, db_url):
    with Corpus(db_url) as corpus:
        first = corpus.ingest([str(SEEDS)])
        before = _results(db_url)
        second = corpus.ingest([str(SAMPLES)])
        after = _results(db_url)
        touched = {d.story for d in corpus.documents()[first.added :]}
    assert first.analysed_stories == len(before)
    assert second.analysed_stories == len(touched)
    for story, row in before.items():
        if story not in touched:
            assert after[story] == row  # untouched: not analysed again
    assert touched <= set(after) and second.added


def _results(url: str) -> dict:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = {
            r[0]: tuple(r[1:])
            for r in conn.execute(
                sa.text("SELECT story, revision, reuse, facts FROM story_results")
            )
        }
    engine.dispose()
    return found


@pytest.mark.slow
def test_story_reads_one_story_from_the_store(tmp_path, db_url):
    with Corpus(db_url) as corpus:
        corpus.ingest([str(SEEDS)], analyse=False)
        story_id = corpus.stories()[0]["id"]
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "story",
            story_id,
            "--db",
            db_url,
            "--format",
            "json",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    shown = json.loads(run.stdout)
    assert shown["story"]["id"] == story_id and shown["documents"]
    assert {d["id"] for d in shown["documents"]} == set(shown["story"]["documents"])
    missing = subprocess.run(
        [sys.executable, "-m", "newstrace.cli", "story", "s999", "--db", db_url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert (
        missing.returncode == 1 and "s999" in missing.stderr and "Traceback" not in missing.stderr
    )
