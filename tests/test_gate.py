"""The accuracy gate (eval/gate.py): every stage's dev figures hold their pinned floors.

The slow test measures each group on the real dev data, as CI runs it; the
fast ones check the gate's own rules (a floor only rises, relabelling trips
it, a missing floor is not a pass).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))
import gate


def _measured(value: float, digest: str = "d", shared_digest: str = "s") -> dict:
    return {
        "facts": {
            "figures": {"precision": value},
            "digest": digest,
            "shared_digest": shared_digest,
            "seconds": 0.0,
        }
    }


PINNED = {
    "tolerance": 0.005,
    "groups": {"facts": {"digest": "d", "shared_digest": "s", "floors": {"precision": 0.9}}},
}


def test_a_figure_under_its_floor_by_more_than_the_tolerance_fails():
    assert gate.failures(_measured(0.8949), PINNED) == [
        "facts.precision: 0.8949 is under its floor 0.9000"
    ]


def test_a_figure_within_the_tolerance_or_above_passes():
    assert gate.failures(_measured(0.8951), PINNED) == []
    assert gate.failures(_measured(0.95), PINNED) == []


def test_changed_labels_fail_even_when_the_figures_hold():
    assert gate.failures(_measured(0.95, digest="other"), PINNED) == [
        "facts: its labels changed since the floors were pinned"
    ]


def test_changed_shared_data_is_a_warning_not_a_failure():
    measured = _measured(0.95, shared_digest="other")
    assert gate.failures(measured, PINNED) == []
    assert gate.warnings(measured, PINNED) == [
        "facts: ../shared differs from the data the floors were pinned on"
    ]


def test_a_group_or_figure_without_a_floor_is_not_a_pass():
    assert gate.failures(_measured(0.95), {}) == [
        "facts: no floors pinned (run eval/gate.py --pin --only facts)"
    ]
    measured = _measured(0.95)
    measured["facts"]["figures"]["recall"] = 0.9
    assert gate.failures(measured, PINNED) == ["facts.recall: 0.9000 has no floor"]


def test_pinning_raises_floors_and_lowers_one_only_when_named():
    raised, refused = gate.pin(_measured(0.93), PINNED, set())
    assert raised["groups"]["facts"]["floors"]["precision"] == 0.93 and refused == []
    kept, refused = gate.pin(_measured(0.85), PINNED, set())
    assert kept["groups"]["facts"]["floors"]["precision"] == 0.9
    assert refused == ["facts.precision: 0.8500 would lower 0.9000 (--lower to allow)"]
    lowered, refused = gate.pin(_measured(0.85), PINNED, {"facts.precision"})
    assert lowered["groups"]["facts"]["floors"]["precision"] == 0.85 and refused == []
    assert PINNED["groups"]["facts"]["floors"]["precision"] == 0.9  # not modified in place


def test_the_digest_follows_file_contents_and_names(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"label": "real"}\n')
    before = gate.digest((tmp_path,))
    (tmp_path / "a.jsonl").write_text('{"label": "misreading"}\n')
    assert gate.digest((tmp_path,)) != before
    (tmp_path / "a.jsonl").write_text('{"label": "real"}\n')
    assert gate.digest((tmp_path,)) == before
    (tmp_path / "a.jsonl").rename(tmp_path / "b.jsonl")
    assert gate.digest((tmp_path,)) != before


def test_every_group_has_floors_pinned_for_its_labels():
    pinned = gate.read_floors()
    assert set(pinned["groups"]) == set(gate.GROUPS)
    for name, group in gate.GROUPS.items():
        assert pinned["groups"][name]["digest"] == gate.digest(group.labels), name


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("name", list(gate.GROUPS))
def test_the_dev_figures_hold_their_floors(name):
    pinned = gate.read_floors()
    measured = gate.measure([name])
    assert gate.failures(measured, pinned) == [], measured[name]["figures"]
