"""t-tests, variances and cross-tables with cell SEs (numbers from R's survey 4.1)."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld


def test_two_group_ttest_is_the_domain_difference(clus1_design):
    t = clus1_design.ttest("api00", "awards")
    diff = clus1_design.mean("api00", by="awards").difference("Yes", "No")
    assert t["estimate"].iloc[0] == pytest.approx(diff["estimate"].iloc[0])
    assert t["se"].iloc[0] == pytest.approx(diff["se"].iloc[0])
    assert t["df"].iloc[0] == clus1_design.degf - 1
    assert t["contrast"].iloc[0] == "Yes - No"


def test_one_sample_ttest_against_mu():
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 6.0, 8.0]})
    t = ld.SurveyDesign(df).ttest("y", mu=4.0)
    assert t["estimate"].iloc[0] == pytest.approx(0.0)
    assert t["p"].iloc[0] == pytest.approx(1.0)
    assert t["df"].iloc[0] == 4  # R: degf(design) - 1


def test_ttest_needs_two_groups_and_answers(clus1_design):
    with pytest.raises(ld.DomainError, match="exactly two groups"):
        clus1_design.ttest("api00", "stype")
    with pytest.raises(ld.EstimationError, match="na_rm"):
        ld.SurveyDesign(pd.DataFrame({"y": [1.0, np.nan, 2.0]})).ttest("y")


def test_variance_of_equal_weights_is_the_sample_variance():
    d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 4.0, 9.0]}))
    v = d.variance("y")
    assert v["estimate"].iloc[0] == pytest.approx(np.var([1.0, 2.0, 4.0, 9.0], ddof=1))
    assert v["se"].iloc[0] > 0
    with pytest.raises(ld.DomainError, match="two respondents"):
        ld.SurveyDesign(pd.DataFrame({"y": [1.0, np.nan]})).variance("y", na_rm=True)


def test_table_cells_add_up(clus1_design):
    counts = clus1_design.table("stype", "awards")
    assert len(counts) == 6 and counts.vcov.shape == (6, 6)
    assert counts["estimate"].sum() == pytest.approx(clus1_design.weights.sum())
    assert counts["by"].iloc[0] == "E:No"
    shares = clus1_design.table("stype", "awards", share=True)
    assert shares["estimate"].sum() == pytest.approx(1.0)
    assert (shares["se"] > 0).all()


def test_table_missing_values():
    df = pd.DataFrame({"a": ["x", "y", None, "y"], "b": ["u", "u", "v", "v"]})
    d = ld.SurveyDesign(df)
    assert d.table("a", "b")["n"].sum() == 3
    with pytest.raises(ld.EstimationError, match="na_rm"):
        d.table("a", "b", na_rm=False)
