from pathlib import Path

import pandas as pd
import pytest

REFERENCE = Path(__file__).parent / "reference" / "survey-r"


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


MARGINS = {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 5122}}
