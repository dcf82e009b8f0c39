"""The code base is lint-clean and formatted (ruff, configured in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

from support import ROOT

RUFF = Path(sys.executable).parent / "ruff"


def _ruff(*args):
    assert RUFF.exists(), "ruff is missing: it comes with the test extra"
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_ruff_check_is_clean():
    result = _ruff("check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_ruff_format_is_clean():
    result = _ruff("format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:]


def test_mypy_passes_on_the_survey_engine(tmp_path):
    mypy = Path(sys.executable).parent / "mypy"
    assert mypy.exists(), "mypy is missing: it comes with the test extra"
    result = subprocess.run(
        [str(mypy), "--cache-dir", str(tmp_path / "mypy-cache")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:]
