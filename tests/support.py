"""Paths and helpers the tests share. Every path is absolute, from the repository root: no
test depends on, or changes, the process's working directory. (``tests`` is on the import
path through ``pythonpath`` in pyproject.toml.)"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
NOTEBOOKS = ROOT / "notebooks"
REFERENCE = ROOT / "tests" / "reference" / "survey-r"
#: The diagnosis's own notebooks and legal advice (the ``diagnosis_run`` fixture of conftest.py).
DIAGNOSIS_NOTEBOOKS = (
    "00_data_checks",
    "01_weighting",
    "10_area",
    "30_legal_advice",
    "90_diagnosis",
)
DIAGNOSIS_PARAMS = {"replicates": 20, "sensitivity_draws": 20, "areas": ["health"]}
MARGINS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}}


def execute_notebook(name: str, target: Path, parameters: Mapping[str, Any]) -> Path:
    """Run ``notebooks/<name>.ipynb`` into ``target`` as the pipeline does.

    The kernel starts in ``target``'s folder (never the test process's working directory,
    which papermill's ``cwd=`` would change for every thread), only declared parameters are
    injected, ``data_dir`` defaults to the demo's absolute path, and a kernel that dies or
    does not start is replaced and the notebook retried once (``kernels.execute_notebook``).
    Safe to call from several threads.
    """
    import papermill as pm

    from lublin_diagnosis.pipeline.kernels import KernelSlot
    from lublin_diagnosis.pipeline.kernels import execute_notebook as run

    source = NOTEBOOKS / f"{name}.ipynb"
    declared = set(pm.inspect_notebook(str(source)))
    params = {"data_dir": str(DEMO), **parameters}
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    slot = KernelSlot(cwd=target.parent, log=target.with_suffix(".kernel.log"), reuse=False)
    try:
        run(source, target, {k: v for k, v in params.items() if k in declared}, slot=slot)
    finally:
        slot.shutdown()
    return target


def build_once(tmp_path_factory, worker_id: str, name: str, build) -> Path:
    """``build(folder)`` once per test session, shared by the pytest-xdist workers.

    Under xdist every worker has its own session fixtures, so a session fixture used by two
    test files on two workers would be built twice. The workers share their session's base
    temporary folder; the first to take the lock builds into it, the others wait and reuse
    it (pytest-xdist's documented pattern, with a POSIX lock instead of filelock).
    """
    import fcntl

    if worker_id == "master":  # not under xdist
        folder = tmp_path_factory.mktemp(name)
        build(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent
    folder = shared / name
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (folder / ".built").exists():
                folder.mkdir(exist_ok=True)
                build(folder)
                (folder / ".built").touch()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return folder


def copy_run(run: Path, target: Path) -> Path:
    """A copy of the ``diagnosis_run`` fixture and its data folder under ``target``, in the same
    relative layout (the manifest names the data folder relative to the run)."""
    import shutil

    shutil.copytree(run.parent.parent / "data", target / "data")
    shutil.copytree(run, target / "run" / run.name)
    return target / "run" / run.name
