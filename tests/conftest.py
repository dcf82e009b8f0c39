"""Shared fixtures (paths and helpers live in ``support.py``)."""

from __future__ import annotations

import pandas as pd
import pytest

from support import REFERENCE, execute_notebook


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
