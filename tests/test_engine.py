"""The Dask engine gives what the local engine gives: same report, same documents, same skips.

One LocalCluster (two single-threaded worker processes) serves the whole
module; the CLI test reaches it through --scheduler.
"""

import io
import json
import math
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import ECB, SEEDS

from newstrace.engine import prepared_documents
from newstrace.engine.partitions import RecordRange, plan_partitions, read_entry
from newstrace.engine.work import PartitionResult, assemble
from newstrace.ingest import read_inputs
from newstrace.ingest.warc_ranges import WarcRange
from newstrace.model import Document, Skipped
from newstrace.pipeline import analyze
from newstrace.stories.features import extract

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.shared
SAMPLES = ROOT / "samples" / "articles"


@pytest.fixture(scope="module")
def client():
    from newstrace.engine.dask_engine import dask_client

    with dask_client(workers=2) as dask:
        yield dask


def ecb_texts(n: int) -> list[str]:
    return [path.read_text() for path in sorted(ECB.glob("*.txt"))[:n]]


def write_dump(path: Path, texts: list[str]) -> Path:
    """A JSON Lines dump as crawlers write them, with the faults real dumps have."""
    lines = []
    for n, text in enumerate(texts):
        title, _, body = text.partition("\n")
        record = {"title": title, "text": body, "source": f"outlet{n % 5}.example"}
        if n % 7 == 3:
            record["id"] = f"rec-{n}"
        lines.append(json.dumps(record))
        if n == 4:
            lines.append("")
        if n == 9:
            lines.append('{"title": "broken", "text": ')
        if n == 12:
            lines.append(json.dumps({"title": "no body here"}))
    path.write_text("\n".join(lines) + "\n")
    return path


def read_in_partitions(inputs, budget):
    partitions = plan_partitions(inputs, budget)
    results = [
        PartitionResult(p.number, [(e, read_entry(e)) for e in p.entries], None) for p in partitions
    ]
    return partitions, assemble(results)


def fields(doc: Document):
    return doc.id, doc.origin, doc.title, doc.raw, doc.source, doc.published, doc.url


def test_jsonl_in_record_ranges_reads_as_the_whole_file(tmp_path):
    dump = write_dump(tmp_path / "dump.jsonl", ecb_texts(60))
    whole = list(read_inputs([str(dump)]))
    partitions, prepared = read_in_partitions([str(dump)], budget=20_000)
    ranges = [e for p in partitions for e in p.entries if isinstance(e, RecordRange)]
    assert len(ranges) >= 5 and ranges[-1].last_of_file
    assert [fields(d) for d in prepared.documents] == [
        fields(d) for d in whole if isinstance(d, Document)
    ]
    assert prepared.skipped == [s for s in whole if isinstance(s, Skipped)]
    assert any(":" in s.origin and "invalid JSON" in s.error for s in prepared.skipped)


def write_warc(path: Path, texts: list[str], gzip_records: bool) -> Path:
    """A crawl as crawlers write it: requests, article responses, an image, a redirect."""
    from html import escape

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        for n, text in enumerate(texts):
            title, _, body = text.partition("\n")
            uri = f"https://outlet{n % 4}.example/news/{n}"
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example")], is_http_request=True
            )
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.splitlines() if p.strip())
            page = f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>"
            ok = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(page.encode()), http_headers=ok
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://outlet0.example/logo.png",
                "response",
                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
                http_headers=image,
            )
        )
    return path


@pytest.mark.parametrize("gzip_records", [False, True])
def test_warc_in_record_ranges_reads_as_the_whole_archive(tmp_path, gzip_records):
    archive = write_warc(
        tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc"), ecb_texts(40), gzip_records
    )
    whole = list(read_inputs([str(archive)]))
    partitions, prepared = read_in_partitions([str(archive)], budget=archive.stat().st_size // 6)
    assert sum(isinstance(e, WarcRange) for p in partitions for e in p.entries) >= 4
    assert [fields(d) for d in prepared.documents] == [
        fields(d) for d in whole if isinstance(d, Document)
    ]
    assert len(prepared.documents) == 40
    assert prepared.skipped == [s for s in whole if isinstance(s, Skipped)]


def test_gzipped_jsonl_in_chunks_reads_as_the_whole_file(tmp_path):
    import gzip

    plain = write_dump(tmp_path / "dump.jsonl", ecb_texts(60))
    dump = tmp_path / "dump.jsonl.gz"
    dump.write_bytes(gzip.compress(plain.read_bytes()))
    whole = list(read_inputs([str(dump)]))
    partitions, prepared = read_in_partitions([str(dump)], budget=20_000)
    assert sum(isinstance(e, RecordRange) for p in partitions for e in p.entries) >= 5
    assert [fields(d) for d in prepared.documents] == [
        fields(d) for d in whole if isinstance(d, Document)
    ]
    assert prepared.skipped == [s for s in whole if isinstance(s, Skipped)]


def test_truncated_gzipped_jsonl_loses_what_ingest_loses(tmp_path):
    import gzip

    plain = write_dump(tmp_path / "dump.jsonl", ecb_texts(60))
    packed = gzip.compress(plain.read_bytes())
    dump = tmp_path / "cut.jsonl.gz"
    dump.write_bytes(packed[: len(packed) * 2 // 3])
    whole = list(read_inputs([str(dump)]))
    _, prepared = read_in_partitions([str(dump)], budget=20_000)
    assert [fields(d) for d in prepared.documents] == [
        fields(d) for d in whole if isinstance(d, Document)
    ]
    assert prepared.skipped == [s for s in whole if isinstance(s, Skipped)]
    assert "were lost" in prepared.skipped[-1].error


def test_bodyless_dump_split_in_ranges_is_reported_once(tmp_path):
    dump = tmp_path / "labels.jsonl"
    dump.write_text("".join(json.dumps({"label": n, "note": "x" * 200}) + "\n" for n in range(300)))
    _, prepared = read_in_partitions([str(dump)], budget=5_000)
    assert prepared.documents == []
    assert prepared.skipped == [s for s in read_inputs([str(dump)]) if isinstance(s, Skipped)]
    assert len(prepared.skipped) == 1


def test_files_and_skips_keep_input_order(tmp_path):
    (tmp_path / "empty").mkdir()
    inputs = [
        str(SAMPLES),
        str(tmp_path / "missing.txt"),
        str(tmp_path / "empty"),
        str(SEEDS),
        str(SAMPLES),
    ]
    whole = list(read_inputs(inputs))
    _, prepared = read_in_partitions(inputs, budget=3_000)
    assert [fields(d) for d in prepared.documents] == [
        fields(d) for d in whole if isinstance(d, Document)
    ]
    assert prepared.skipped == [s for s in whole if isinstance(s, Skipped)]


@pytest.mark.slow
def test_dask_partitions_give_the_local_documents_and_features(client, tmp_path):
    dump = write_dump(tmp_path / "dump.jsonl", ecb_texts(16))
    inputs = [str(dump), str(SEEDS)]
    local = prepared_documents(inputs)
    on_dask = prepared_documents(inputs, engine="dask", client=client, partition_bytes=15_000)
    assert [(d.id, d.origin, d.title, d.text) for d in on_dask.documents] == [
        (d.id, d.origin, d.title, d.text) for d in local.documents
    ]
    assert on_dask.skipped == local.skipped
    kept = [d for d in local.documents if d.text.strip()]
    expected = extract(kept)
    for name, table in expected.tables.items():
        assert (on_dask.features.tables[name] != table).nnz == 0, name
    assert np.array_equal(on_dask.features.lead_vectors, expected.lead_vectors)
    assert on_dask.features.published == expected.published
    assert all(d.annotations.reuse.doc_id == d.id for d in on_dask.documents if d.text.strip())
    assert all(
        isinstance(d.annotations.parse, bytes) for d in on_dask.documents if d.text.strip()
    )  # parsed on workers


@pytest.mark.slow
def test_dask_report_equals_local_report(client, tmp_path):
    from distributed import get_task_stream

    inputs = [str(SAMPLES), str(SEEDS), str(tmp_path / "missing.txt")]
    local = analyze(inputs).to_json()
    with get_task_stream(client) as tasks:
        on_dask = analyze(inputs, engine="dask", client=client).to_json()
    assert on_dask == local
    report = json.loads(on_dask)
    assert report["stories"] and any(s["reuse"] for s in report["stories"])
    assert any(s["origin"].endswith("missing.txt") for s in report["skipped"])
    workers = set(client.scheduler_info()["workers"])
    ran_on = {}
    for task in tasks.data:
        ran_on.setdefault(str(task["key"]).split("-")[0], set()).add(task["worker"])
    # reading, the reuse pair checks and the stories' facts ran as tasks on the workers
    assert ran_on.keys() >= {"prepare_partition", "link_pairs", "facts_of_story"}
    assert all(found <= workers for found in ran_on.values())
    facts_tasks = [t for t in tasks.data if str(t["key"]).startswith("facts_of_story-")]
    assert 1 < len(facts_tasks) < len(report["stories"])  # small stories share a task


def test_batches_keep_item_order_within_budget_and_count():
    from newstrace.engine.dask_engine import batches

    items = ["a" * 10, "b" * 10, "c" * 500, "d" * 10, "e" * 10, "f" * 10, "g" * 10]
    found = list(batches(items, budget=100, most=3))
    firsts = [first for first, _ in found]
    unpacked = [pickle.loads(blob) for _, blobs in found for blob in blobs]
    assert unpacked == items
    assert firsts == [0, 2, 3, 6]  # the big item alone; at most three a batch
    assert list(batches([], budget=100, most=3)) == []


@pytest.mark.slow
def test_task_map_gives_results_in_item_order(client):
    from newstrace.engine.dask_engine import task_map

    items = list(range(-40, 0))
    assert task_map(client)(abs, items) == [abs(n) for n in items]
    with pytest.raises(ValueError):
        task_map(client)(math.sqrt, [4.0, 1.0, -1.0, 9.0])


@pytest.mark.slow
def test_cli_analyze_on_a_scheduler(client, tmp_path):
    out = tmp_path / "seeds.json"
    address = client.scheduler.address
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "analyze",
            str(SEEDS),
            "--engine",
            "dask",
            "--scheduler",
            address,
            "--json",
            str(out),
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text()) == json.loads(analyze([str(SEEDS)]).to_json())


@pytest.mark.slow
def test_unreachable_scheduler_is_one_line_error():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "analyze",
            str(SEEDS),
            "--engine",
            "dask",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "--quiet",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_cli_ingest_on_dask_stores_what_local_ingest_stores(client, tmp_path):
    exports = []
    for name, extra in (
        ("local", []),
        ("dask", ["--engine", "dask", "--scheduler", client.scheduler.address]),
    ):
        db, out = tmp_path / f"{name}.db", tmp_path / f"{name}.json"
        for args in (
            ["ingest", str(SEEDS), "--db", str(db), *extra],
            ["export", "--json", str(out), "--db", str(db)],
        ):
            result = subprocess.run(
                [sys.executable, "-m", "newstrace.cli", *args], capture_output=True, text=True
            )
            assert result.returncode == 0, result.stderr
        exports.append(json.loads(out.read_text()))
    local, on_dask = exports
    assert on_dask == local
    assert local["documents"] and local["stories"]


@pytest.mark.slow
def test_scheduler_without_dask_engine_is_refused():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newstrace.cli",
            "analyze",
            str(SEEDS),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "only with --engine dask" in result.stderr and "Traceback" not in result.stderr
