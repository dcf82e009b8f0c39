"""Shared fixtures (paths and helpers live in ``support.py``) and the order in which
pytest-xdist hands the test files out."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from support import (
    DEMO,
    DIAGNOSIS_NOTEBOOKS,
    DIAGNOSIS_PARAMS,
    REFERENCE,
    build_once,
    execute_notebook,
)

#: Test files that take longest (with the shared runs they build), in the order they are
#: handed out first: ``make test`` runs ``--dist loadfile --no-loadscope-reorder``, so a
#: worker takes the next file of the collection when it is free, and the long files must
#: not be the last ones taken (one worker would finish them alone). Measured with
#: ``--durations``; the order of the other files stays pytest-randomly's.
SLOW_FIRST = (
    "tests/report/test_pages.py",  # builds the injected run (the whole plan, both languages)
    "tests/pipeline/test_pipeline.py",  # builds the diagnosis run
    "tests/test_packaging.py",
    "tests/pipeline/test_notebooks.py",
    "tests/framework/test_resolver.py",
    "tests/pipeline/test_cli.py",
    "tests/advocacy/test_advocacy_notebooks.py",
    "tests/pipeline/test_runcache.py",
)
#: Files that only read a shared run another file builds: handed out last, so that they
#: do not wait for its build on the other worker.
READERS_LAST = (
    "tests/disclosure/test_run_audit.py",  # the diagnosis run
    "tests/report/test_output_safety.py",  # the injected run
    "tests/report/test_pdf.py",  # the injected run
)


@pytest.hookimpl(trylast=True)  # after pytest-randomly has shuffled
def pytest_collection_modifyitems(items):
    first = {name: rank for rank, name in enumerate(SLOW_FIRST)}
    last = set(READERS_LAST)

    def rank(item):
        path = item.nodeid.split("::")[0]
        return (1, 0) if path in last else (0, first.get(path, len(first)))

    items.sort(key=rank)  # stable: the shuffled order within each rank is kept


@pytest.fixture(scope="session")
def apiclus1() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "apiclus1.csv")


@pytest.fixture(scope="session")
def apistrat() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "apistrat.csv")


@pytest.fixture()
def clus1_design(apiclus1):
    import lublin_diagnosis as ld

    return ld.SurveyDesign(apiclus1, ids="dnum", weights="pw", fpc="fpc")


@pytest.fixture(scope="session")
def run_notebook():
    """:func:`support.execute_notebook`, for tests that execute notebooks."""
    return execute_notebook


@pytest.fixture(scope="session")
def diagnosis_run(tmp_path_factory, worker_id) -> Path:
    """The demo diagnosis in both languages (:data:`DIAGNOSIS_NOTEBOOKS`, small parameters,
    one area) on a copy of the demo data: ``<base>/data`` run into ``<base>/run/demo``.

    Built once per test session and shared by the xdist workers (``build_once``): the
    pipeline's output, manifest and verify tests and the disclosure audit read it. Never
    change it; a test that edits the run or its data works on :func:`copy_run`'s copy.
    ``<base>/result.txt`` holds the run's summary (``RunResult.format()``).
    """
    from lublin_diagnosis.pipeline.plan import PLAN
    from lublin_diagnosis.pipeline.run import run_pipeline

    def build(base: Path) -> None:
        shutil.copytree(DEMO, base / "data")
        result = run_pipeline(
            data_dir=base / "data",
            out_dir=base / "run" / "demo",
            params=DIAGNOSIS_PARAMS,
            lang="both",
            jobs=2,
            progress=False,
            plan=[s for s in PLAN if s.notebook in DIAGNOSIS_NOTEBOOKS],
        )
        (base / "result.txt").write_text(result.format(), encoding="utf-8")

    return build_once(tmp_path_factory, worker_id, "diagnosis", build) / "run" / "demo"
