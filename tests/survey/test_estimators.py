"""Estimators: tidy results, domains, missing values, intervals."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld


def test_tidy_columns(clus1_design):
    res = clus1_design.mean("api00", by="stype", deff=True)
    assert list(res.columns) == [
        "variable",
        "by",
        "stype",
        "level",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "df",
        "n",
        "deff",
    ]
    assert res["n"].sum() == 183
    assert (res["ci_low"] < res["estimate"]).all() and (res["estimate"] < res["ci_high"]).all()


def test_domain_estimate_matches_subset_point_estimate_but_not_its_se(clus1_design, apiclus1):
    dom = clus1_design.mean("api00", by="stype").set_index("by")
    sub = apiclus1[apiclus1["stype"] == "H"]
    naive = ld.SurveyDesign(sub, ids="dnum", weights="pw").mean("api00")
    assert dom.loc["H", "estimate"] == pytest.approx(naive["estimate"].iloc[0])
    # subsetting loses the PSUs without a high school: a different (wrong) variance
    assert dom.loc["H", "se"] != pytest.approx(naive["se"].iloc[0], rel=1e-3)


def test_categorical_proportions_sum_to_one(clus1_design):
    res = clus1_design.mean("stype")
    assert res["level"].tolist() == ["E", "H", "M"]
    assert res["estimate"].sum() == pytest.approx(1.0)


def test_missing_values_need_na_rm():
    df = pd.DataFrame({"y": [1.0, np.nan, 3.0, 4.0]})
    d = ld.SurveyDesign(df)
    with pytest.raises(ld.EstimationError, match="na_rm=True"):
        d.mean("y")
    res = d.mean("y", na_rm=True)
    assert res["estimate"].iloc[0] == pytest.approx(8 / 3) and res["n"].iloc[0] == 3


def test_unknown_and_non_numeric_variables(clus1_design):
    with pytest.raises(ld.EstimationError, match="not a column"):
        clus1_design.mean("nope")
    with pytest.raises(ld.EstimationError, match="non-numeric"):
        clus1_design.mean("stype", categorical=False)


def test_normal_interval_with_infinite_df(clus1_design):
    res = clus1_design.mean("api00", df=np.inf)
    half = (res["ci_high"] - res["estimate"]).iloc[0]
    assert half == pytest.approx(1.959964 * res["se"].iloc[0], rel=1e-6)


@pytest.mark.parametrize("method", ["logit", "beta", "likelihood", "wald", "wilson", "asin"])
def test_proportion_intervals_contain_the_estimate(clus1_design, method):
    res = clus1_design.proportion("sch.wide", "Yes", method=method, by="stype")
    assert (res["ci_low"] <= res["estimate"]).all() and (res["estimate"] <= res["ci_high"]).all()
    assert ((res["ci_low"] >= 0) & (res["ci_high"] <= 1)).all() or method == "wald"


def test_quantile_by_domain(clus1_design):
    res = clus1_design.quantile("api00", [0.25, 0.5, 0.75], by="stype")
    assert len(res) == 9
    for _, g in res.groupby("by"):
        assert g["estimate"].is_monotonic_increasing


def test_chisq_detects_association_and_independence():
    rng = np.random.default_rng(0)
    a = rng.choice(["x", "y"], 600)
    b = np.where(rng.random(600) < 0.8, np.where(a == "x", "p", "q"), rng.choice(["p", "q"], 600))
    df = pd.DataFrame(
        {"a": a, "b": b, "c": rng.choice(["u", "v"], 600), "psu": np.repeat(np.arange(60), 10)}
    )
    d = ld.SurveyDesign(df, ids="psu")
    assert d.chisq("a", "b")["p"].iloc[0] < 1e-6
    assert d.chisq("a", "c")["p"].iloc[0] > 0.01


def test_glm_binomial_and_errors(apiclus1):
    d = ld.SurveyDesign(apiclus1, ids="dnum", weights="pw", fpc="fpc")
    fit = d.glm("I(sch.wide == 'Yes') ~ ell + stype", family="binomial")
    assert fit["term"].tolist() == ["(Intercept)", "ell", "stypeH", "stypeM"]
    assert (fit["se"] > 0).all()
    rep = d.replicate("JK1").glm("api00 ~ ell", "gaussian")
    assert (rep["se"] > 0).all()
    with pytest.raises(ld.EstimationError, match="family"):
        d.glm("api00 ~ ell", family="gamma-ish")
    with pytest.raises(ld.EstimationError):
        d.glm("api00 ell")


def test_domains_are_the_observed_combinations_of_the_by_variables():
    rng = np.random.default_rng(11)
    n = 300
    df = pd.DataFrame(
        {
            "y": rng.normal(size=n),
            "w": rng.uniform(1, 2, n),
            "k": rng.choice([10, 30, 70], n),  # integers with gaps
            "c": pd.Categorical(rng.choice(list("ab"), n), categories=["z", "a", "b"]),
            "t": rng.choice(["p", "q", None], n),  # text with missing values
        }
    )
    d = ld.SurveyDesign(df, weights="w")
    got = d.mean("y", by=["k", "c", "t"])
    ok = df.dropna(subset=["t"])
    expected = (
        ok.assign(wy=ok["w"] * ok["y"])
        .groupby(["k", "c", "t"], observed=True)
        .agg(wy=("wy", "sum"), w=("w", "sum"), n=("y", "size"))
        .reset_index()
    )
    assert got["by"].tolist() == [f"{k}:{c}:{t}" for k, c, t in expected[["k", "c", "t"]].values]
    np.testing.assert_allclose(got["estimate"], expected["wy"] / expected["w"], rtol=1e-12)
    assert got["n"].tolist() == expected["n"].tolist()
    assert "z" not in set(got["c"])  # an unused category is no domain
