"""Disparities: group estimates with Rao-Scott and Wald tests, as the engine computes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.exceptions import DomainError
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.indicators.disparities import TEST_COLUMNS, disparities, disparity_tests
from support import DEMO

FW = load_framework()


@pytest.fixture(scope="module")
def design():
    return ld.SurveyDesign.from_dataset(ld.load_dataset(DEMO))


def test_tests_match_the_engine(design):
    out = disparity_tests(
        design,
        FW,
        by=["citizenship", "sex"],
        indicators=["anti_discrimination_o_discrim_12m", "culture_o_belonging"],
    )
    rows = out.set_index(["indicator", "by"])
    direct = design.chisq("discrim_12m", "citizenship").iloc[0]
    share = rows.loc[("anti_discrimination_o_discrim_12m", "citizenship")]
    assert share["test"] == "rao_scott_F"
    assert share["F"] == pytest.approx(direct["F"])
    assert share["p_value"] == pytest.approx(direct["p"])
    assert share["test_n"] == direct["n"]
    mean = rows.loc[("culture_o_belonging", "sex")]
    direct = design.compare_means("belonging", "sex", na_rm=True).iloc[0]
    assert mean["test"] == "wald_F" and mean["F"] == pytest.approx(direct["F"])
    # the demo builds discrimination higher among people from Asia, Africa, Middle East
    assert share["p_value"] < 0.01


def test_group_estimates_with_their_test(design):
    out = disparities(design, FW, by="sex", indicators=["labour_o_employed"])
    assert list(out.columns[-len(TEST_COLUMNS) :]) == TEST_COLUMNS
    assert out["group"].tolist() == ["F", "M"]
    assert out["p_value"].nunique() == 1
    for rec in out.to_dict("records"):
        assert rec["ci_low"] <= rec["value"] <= rec["ci_high"]


def test_untestable_comparisons_are_explained():
    df = pd.DataFrame({"polish_friends": ["1", "1", "1", "1"], "sex": ["F", "M", "F", "M"]})
    out = disparity_tests(
        ld.SurveyDesign(df), FW, by="sex", indicators=["culture_o_polish_friends"]
    )
    row = out.iloc[0]
    assert np.isnan(row["F"]) and "two observed categories" in row["test_note"]
    with pytest.raises(DomainError, match="religion"):
        disparity_tests(ld.SurveyDesign(df), FW, by="religion")
