"""The shared data classes: what a document may carry between stages is declared."""

import json
import pickle

import pytest

from newstrace.model import Annotations, Document, Verdict


def test_a_misspelt_annotation_fails_instead_of_holding_state_no_stage_reads():
    doc = Document(id="d1", origin="a.txt", text="Text.")
    with pytest.raises(AttributeError):
        doc.annotations.entites = []  # type: ignore[attr-defined]


def test_annotations_travel_to_workers_and_back():
    doc = Document(id="d1", origin="a.txt", text="Text.")
    doc.annotations.entities = [(0, 4, "ORG")]
    doc.annotations.parse = b"packed"
    copy = pickle.loads(pickle.dumps(doc))
    assert copy.annotations == Annotations(entities=[(0, 4, "ORG")], parse=b"packed")


def test_annotations_stay_out_of_the_report():
    doc = Document(id="d1", origin="a.txt", text="Text.")
    doc.annotations.html_metadata = {"sitename": "x"}
    assert "annotations" not in doc.to_dict()


def test_verdicts_serialise_to_the_contract_values_most_severe_first():
    assert json.dumps(list(Verdict)) == (
        '["altered", "conflict", "compatible", "agree", "single_source"]'
    )
    assert [v.flagged for v in Verdict] == [True, True, False, False, False]
    assert sorted(Verdict, key=lambda v: -v.severity) == list(Verdict)
