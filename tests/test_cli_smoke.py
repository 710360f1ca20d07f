"""The command runs end to end and writes a report that keeps the contract."""

import json
import subprocess
import sys

import pytest
from conftest import SEEDS

from newstrace.report import validate_report

pytestmark = pytest.mark.shared


def run(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "newstrace.cli", *args], capture_output=True, text=True, **kwargs
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("newstrace ")


def test_analyze_writes_valid_json_and_html(tmp_path):
    out, page = tmp_path / "r.json", tmp_path / "r.html"
    result = run("analyze", str(SEEDS), "--json", str(out), "--html", str(page))
    assert result.returncode == 0, result.stderr
    report = json.loads(out.read_text())
    validate_report(report)
    assert len(report["documents"]) == 5
    assert "<html" in page.read_text()


def test_usage_error_exits_2():
    assert run("analyze").returncode == 2
