"""The wheel a user installs works on its own: package data, declared dependencies, the CLI.

Builds the wheel from this checkout, installs it with its declared
dependencies (pinned by requirements.lock, so pip's cache serves them) into an
empty virtual environment, and analyses the bundled samples there.
"""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=1200
    )
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, ROOT)
    (built,) = out.glob("newstrace-*.whl")
    return built


def test_wheel_carries_its_package_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "newstrace/py.typed",
        "newstrace/stories/pair_model.json",
        "newstrace/report/schema.json",
        "newstrace/report/templates/dossier.html.j2",
        "newstrace/report/static/dossier.js",
        "newstrace/nlp/data/minilm-tokenizer.json",
    ):
        assert needed in names, needed


def test_wheel_in_an_empty_venv_analyses_the_samples(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    _run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--disable-pip-version-check",
        "-c",
        ROOT / "requirements.lock",
        wheel,
    )
    out = tmp_path / "report.json"
    _run(
        env_dir / "bin" / "newstrace", "analyze", ROOT / "samples" / "articles", "--json", out, "-q"
    )
    report = json.loads(out.read_text())
    assert report["schema"] == "newstrace.report/1"
    assert len(report["documents"]) >= 8
    assert any(story["reuse"] for story in report["stories"])
    # A plain install leaves the extras out, and says which one to install.
    served = subprocess.run(
        [env_dir / "bin" / "newstrace", "serve", out], capture_output=True, text=True, timeout=120
    )
    assert served.returncode == 1
    assert "newstrace[web]" in served.stderr
