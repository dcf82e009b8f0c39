"""The import contracts of pyproject.toml ([tool.importlinter]) hold: the survey engine stands
alone, the layers follow the data flow, no cycles, private modules stay private."""

import shutil
import subprocess
import sys
from pathlib import Path

from support import ROOT


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint is not None, "import-linter is missing: it comes with the test extra"
    result = subprocess.run(
        [lint, "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_the_survey_engine_imports_nothing_else_of_the_package():
    # a second, independent check: the source of lublin_diagnosis/survey names no sibling
    for path in (ROOT / "lublin_diagnosis" / "survey").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("from lublin_diagnosis", "import lublin_diagnosis")):
                assert stripped.startswith("from lublin_diagnosis.survey"), (path.name, line)
