"""Real reports keep the newstrace.report/1 contract, and broken ones are rejected."""

from __future__ import annotations

import copy
import io
import json

import jsonschema
import pytest
from conftest import SEEDS
from test_samples_report import analyzed_samples, truth_report

import newstrace
from newstrace.model import Report
from newstrace.report import SCHEMA_PATH, load_schema, validate_report

pytestmark = pytest.mark.shared
CONTRACT_DOCUMENT = {
    "id",
    "origin",
    "source",
    "url",
    "title",
    "published",
    "text",
    "removed",
    "story",
}
CONTRACT_STORY = {"id", "title", "documents", "reuse", "facts"}


@pytest.fixture(scope="module")
def sample_report() -> dict:
    return json.loads(analyzed_samples().to_json())


@pytest.fixture(scope="module")
def seeds_report() -> dict:
    return json.loads(newstrace.analyze([SEEDS]).to_json())


@pytest.fixture()
def good() -> dict:
    return truth_report().to_dict()


def test_schema_file_is_a_valid_json_schema_and_ships_in_the_package():
    jsonschema.Draft202012Validator.check_schema(load_schema())
    assert SCHEMA_PATH.parent.name == "report"
    assert load_schema()["properties"]["schema"]["const"] == "newstrace.report/1"


def test_schema_keeps_every_contract_name():
    props = load_schema()["properties"]
    assert set(props["documents"]["items"]["required"]) >= CONTRACT_DOCUMENT
    assert set(props["stories"]["items"]["required"]) >= CONTRACT_STORY
    story = props["stories"]["items"]["properties"]
    assert set(story["reuse"]["items"]["required"]) >= {
        "derived",
        "origin",
        "directed",
        "kind",
        "score",
        "passages",
    }
    assert set(story["facts"]["items"]["required"]) >= {
        "id",
        "kind",
        "subject",
        "verdict",
        "statements",
    }
    assert set(story["facts"]["items"]["properties"]["verdict"]["enum"]) == {
        "agree",
        "compatible",
        "conflict",
        "altered",
        "single_source",
    }


@pytest.mark.slow
def test_report_on_the_samples_keeps_the_contract(sample_report):
    validate_report(sample_report)
    assert sample_report["skipped"] == []
    assert len(sample_report["documents"]) >= 7
    assert {d["story"] for d in sample_report["documents"]} == {
        s["id"] for s in sample_report["stories"]
    }


@pytest.mark.slow
def test_report_on_the_seeds_keeps_the_contract(seeds_report):
    validate_report(seeds_report)
    assert len(seeds_report["documents"]) == 5


def test_hand_built_report_with_flagged_facts_keeps_the_contract(good):
    validate_report(good)
    json.loads(json.dumps(good))  # serialisable as is


def _break(report: dict, how: str) -> dict:
    bad = copy.deepcopy(report)
    story = bad["stories"][0]
    if how == "bad verdict":
        story["facts"][0]["verdict"] = "wrong"
    elif how == "span past the end":
        doc = next(
            d for d in bad["documents"] if d["id"] == story["facts"][0]["statements"][0]["doc"]
        )
        story["facts"][0]["statements"][0]["span"] = [10, len(doc["text"]) + 1]
    elif how == "span backwards":
        story["reuse"][0]["passages"][0]["origin"] = [50, 40]
    elif how == "missing text":
        del bad["documents"][0]["text"]
    elif how == "missing skipped":
        del bad["skipped"]
    elif how == "wrong schema id":
        bad["schema"] = "newstrace.report/2"
    elif how == "unknown document in a statement":
        story["facts"][0]["statements"][0]["doc"] = "nope"
    elif how == "document of another story in a link":
        story["reuse"][0]["origin"] = bad["stories"][1]["documents"][0]
    elif how == "document names a story that does not list it":
        bad["documents"][0]["story"] = bad["stories"][1]["id"]
    elif how == "duplicate document id":
        bad["documents"][1]["id"] = bad["documents"][0]["id"]
    elif how == "altered without a reuse link":
        story["reuse"] = []
    elif how == "score above one":
        story["reuse"][0]["score"] = 1.5
    elif how == "unknown reuse kind":
        story["reuse"][0]["kind"] = "plagiarism"
    elif how == "statement text not what its span holds":
        story["facts"][0]["statements"][0]["span"][0] += 1
    elif how == "date not ISO 8601":
        bad["documents"][0]["published"] = "11/03/2025"
    else:
        raise AssertionError(how)
    return bad


BREAKAGES = [
    "bad verdict",
    "span past the end",
    "span backwards",
    "missing text",
    "missing skipped",
    "wrong schema id",
    "unknown document in a statement",
    "document of another story in a link",
    "document names a story that does not list it",
    "duplicate document id",
    "altered without a reuse link",
    "score above one",
    "unknown reuse kind",
    "date not ISO 8601",
    "statement text not what its span holds",
]


@pytest.mark.parametrize("how", BREAKAGES)
def test_broken_reports_are_rejected(good, how):
    validate_report(good)
    with pytest.raises(jsonschema.ValidationError):
        validate_report(_break(good, how))


def test_extra_fields_are_allowed(good):
    good["documents"][0]["kind"] = "text"
    good["stories"][0]["facts"][0]["confidence"] = 0.9
    good["generator"] = "newstrace test"
    validate_report(good)


def _written(report, indent: int | None) -> str:
    out = io.StringIO()
    report.write_json(out, indent)
    return out.getvalue()


def _check_written_part_by_part(report: Report) -> None:
    """write_json (what analyze --json writes) gives json.dumps of to_dict byte for byte."""
    for indent in (2, None):
        whole = json.dumps(report.to_dict(), ensure_ascii=False, indent=indent)
        assert _written(report, indent) == whole
        assert report.to_json(indent) == whole


def test_the_seeds_report_written_part_by_part_is_the_whole_report_encoded_at_once():
    _check_written_part_by_part(newstrace.analyze([SEEDS]))
    _check_written_part_by_part(truth_report())


@pytest.mark.slow
def test_the_samples_report_written_part_by_part_is_the_whole_report_encoded_at_once():
    _check_written_part_by_part(analyzed_samples())


def test_an_empty_report_is_written_as_one_dict():
    empty = Report()
    assert _written(empty, 2) == json.dumps(empty.to_dict(), ensure_ascii=False, indent=2)
    assert json.loads(_written(empty, None)) == {
        "schema": "newstrace.report/1",
        "documents": [],
        "skipped": [],
        "stories": [],
    }
