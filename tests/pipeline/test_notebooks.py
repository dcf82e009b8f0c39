"""The notebooks: committed clean, python3 kernel, one parameters cell of plain literals
checked in the next cell, every notebook runs with papermill on small parameters, and the
golden executed copy passes nbval."""

import ast
import json
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import nbformat
import pytest

from lublin_diagnosis.pipeline.plan import PLAN
from support import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
GOLDEN = ROOT / "tests" / "golden"
SMALL = {"replicates": 20, "sensitivity_draws": 20}


def _read(path):
    return nbformat.read(str(path), as_version=4)


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_every_plan_notebook_exists():
    names = {p.stem for p in NOTEBOOKS}
    assert {step.notebook for step in PLAN} <= names
    assert {"00_data_checks", "01_weighting", "10_area", "90_diagnosis"} <= names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    for cell in _code_cells(_read(path)):
        assert cell.outputs == [], f"{path.name}: a code cell has outputs; clear them"
        assert cell.execution_count is None, f"{path.name}: clear the execution counts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_the_python3_kernel(path):
    from jupyter_client.kernelspec import KernelSpecManager

    assert _read(path).metadata["kernelspec"]["name"] == "python3"
    spec = KernelSpecManager().get_kernel_spec("python3")  # installed by `make install`
    assert spec.language == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_plain_literals_checked_in_the_next_cell(path):
    cells = _code_cells(_read(path))
    tagged = [c for c in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is cells[0], "one parameters cell, the first"
    names = []
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1
        assert isinstance(node.value, ast.Constant), f"{path.name}: {ast.unparse(node)}"
        names.append(node.targets[0].id)
    assert {"data_dir", "out_dir", "lang"} <= set(names)
    calls = [
        n
        for n in ast.walk(ast.parse(cells[1].source))
        if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "check_params"
    ]
    assert calls, f"{path.name}: the cell after the parameters must call check_params"
    passed = {kw.arg: kw.value for kw in calls[0].keywords}
    assert ast.literal_eval(passed.pop("notebook")) == path.stem
    assert set(passed) == set(names), "every parameter is checked, and only those"


def test_notebooks_write_no_files_themselves():
    for path in NOTEBOOKS:
        source = "\n".join(c.source for c in _code_cells(_read(path)))
        for forbidden in ("to_csv(", "savefig(", "to_excel(", "open("):
            assert forbidden not in source, f"{path.name} calls {forbidden}: publish instead"


def test_every_notebook_runs_with_papermill_on_small_parameters(tmp_path, run_notebook):
    jobs = [
        ("00_data_checks", {"lang": "en"}),
        ("90_diagnosis", {"lang": "en"}),  # 01_weighting runs alone in the golden test
    ]
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(
                run_notebook,
                name,
                tmp_path / f"{name}.ipynb",
                {**SMALL, **extra, "out_dir": str(tmp_path / "run")},
            )
            for name, extra in jobs
        ]
        # the area notebook alone, from the repository root, as the README shows it
        # (a child process: its working directory is its own)
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                "notebooks/10_area.ipynb",
                str(tmp_path / "10_area.ipynb"),
                "-p",
                "area",
                "education",
                "-p",
                "replicates",
                "20",
                "-p",
                "out_dir",
                str(tmp_path / "run"),
                "--no-progress-bar",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
        outputs = [f.result(timeout=240) for f in futures]
    assert cli.returncode == 0, cli.stderr[-3000:]
    for path in [*outputs, tmp_path / "10_area.ipynb"]:
        nb = _read(path)
        errors = [o for c in _code_cells(nb) for o in c.outputs if o.output_type == "error"]
        assert not errors, path.name
        text = json.dumps(nb.cells)
        assert "SYNTHETIC DATA" in text or "DANE SYNTETYCZNE" in text, path.name
    run = tmp_path / "run"
    assert (run / "pl" / "tables" / "area-education-disparities.csv").is_file()
    assert (run / "pl" / "figures" / "area-education-citizenship.svg").is_file()
    assert (run / "en" / "tables" / "summary-areas.csv").is_file()
    assert (run / "en" / "tables" / "inputs.csv").is_file()


def test_golden_notebook_source_matches_the_notebook():
    golden = [
        c.source
        for c in _code_cells(_read(GOLDEN / "01_weighting.ipynb"))
        if "injected-parameters" not in c.metadata.get("tags", [])
    ]
    current = [c.source for c in _code_cells(_read(ROOT / "notebooks" / "01_weighting.ipynb"))]
    assert golden == current, (
        "notebooks/01_weighting.ipynb changed: re-create the golden copy (tests/golden/README.md)"
    )


def test_golden_executed_notebook_passes_nbval():
    out = ROOT / "outputs" / ".nbval"
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "--nbval",
                str(GOLDEN / "01_weighting.ipynb"),
                "--nbval-sanitize-with",
                str(GOLDEN / "sanitize.cfg"),
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",  # nbval cells run in order
                "-o",
                "addopts=",
                "-q",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    assert result.returncode == 0, result.stdout[-4000:]
    assert " passed" in result.stdout
