"""Estimates keep their covariance: contrasts, domain differences, Wald and term tests."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.survey import Estimates, predict


@pytest.fixture()
def strat_design(apistrat):
    return ld.SurveyDesign(apistrat, strata="stype", weights="pw", fpc="fpc")


def test_estimates_are_todays_table_plus_vcov(clus1_design):
    res = clus1_design.mean("api00", by="stype")
    assert isinstance(res, Estimates) and isinstance(res, pd.DataFrame)
    frame = res.to_frame()
    assert type(frame) is pd.DataFrame and frame.equals(pd.DataFrame(res))
    assert res.vcov.shape == (3, 3)
    assert np.sqrt(np.diag(res.vcov)) == pytest.approx(res["se"].to_numpy())
    # pandas operations give plain tables (notebooks and plots see no difference)
    assert type(res[["by", "estimate"]]) is pd.DataFrame
    assert type(res.copy()) is pd.DataFrame


def test_domain_difference_matches_r_svycontrast(strat_design):
    # R: svycontrast(svyby(~api00, ~stype, dstrat, svymean, covmat = TRUE), c(-1, 1, 0))
    diff = strat_design.mean("api00", by="stype").difference("H", "E")
    assert diff["estimate"].iloc[0] == pytest.approx(-48.61, rel=1e-9)
    assert diff["se"].iloc[0] == pytest.approx(19.4021553995334, rel=1e-9)
    assert diff["contrast"].iloc[0] == "H - E"


def test_two_variables_keep_their_joint_covariance(strat_design):
    both = strat_design.mean(["api00", "api99"])
    assert both["variable"].tolist() == ["api00", "api99"]
    assert both.vcov[0, 1] > 0  # strongly correlated scores
    growth = both.contrast({"growth": [1, -1]})
    apart = np.sqrt(both.vcov[0, 0] + both.vcov[1, 1])
    assert growth["se"].iloc[0] < apart / 3


def test_conf_int_levels_and_normal(clus1_design):
    res = clus1_design.mean("api00")
    ci95 = res.conf_int()
    assert ci95["ci_low"].iloc[0] == pytest.approx(res["ci_low"].iloc[0])
    ci90 = res.conf_int(0.9)
    assert ci90["ci_low"].iloc[0] > ci95["ci_low"].iloc[0]
    normal = res.conf_int(df=np.inf)
    half = normal["ci_high"].iloc[0] - res["estimate"].iloc[0]
    assert half == pytest.approx(1.959963984540054 * res["se"].iloc[0])
    with pytest.raises(ld.EstimationError, match="level"):
        res.conf_int(1.5)


def test_wald_test_of_equal_means_is_compare_means(clus1_design):
    wald = clus1_design.mean("api00", by="stype").wald_test()
    cm = clus1_design.compare_means("api00", "stype")
    for col in ("F", "ndf", "ddf", "p"):
        assert wald[col].iloc[0] == pytest.approx(cm[col].iloc[0])
    assert cm["ddf"].iloc[0] == 12  # R's regTermTest: degf - p + 1


def test_contrast_and_difference_errors(clus1_design):
    res = clus1_design.mean("api00", by="stype")
    with pytest.raises(ld.EstimationError, match="3 estimates"):
        res.contrast([1, -1])
    with pytest.raises(ld.EstimationError, match="domains"):
        res.difference("H", "X")
    one = clus1_design.mean("api00")
    with pytest.raises(ld.EstimationError, match="two rows"):
        one.wald_test()
    with pytest.raises(ld.EstimationError, match="square"):
        Estimates.build(pd.DataFrame({"estimate": [1.0, 2.0]}), np.eye(3))


def test_categorical_difference_needs_level(clus1_design):
    res = clus1_design.mean("sch.wide", by="stype")
    with pytest.raises(ld.EstimationError, match="level="):
        res.difference("H", "E")
    d = res.difference("H", "E", level="Yes")
    assert d["estimate"].iloc[0] == pytest.approx(
        res.set_index(["by", "level"]).loc[("H", "Yes"), "estimate"]
        - res.set_index(["by", "level"]).loc[("E", "Yes"), "estimate"]
    )


def test_proportion_keeps_domain_covariance(clus1_design):
    res = clus1_design.proportion("sch.wide", "Yes", by="stype")
    assert res.vcov.shape == (3, 3)
    assert np.sqrt(np.diag(res.vcov)) == pytest.approx(res["se"].to_numpy())


def test_glm_term_test_and_predict(clus1_design):
    fit = clus1_design.glm("api00 ~ ell + meals + stype")
    assert fit.info["terms"] == ["Intercept", "ell", "meals", "stype", "stype"]
    t = fit.term_test("stype")
    assert t["ndf"].iloc[0] == 2 and t["ddf"].iloc[0] == 10  # degf + 1 - p
    with pytest.raises(ld.EstimationError, match="not in the model"):
        fit.term_test("awards")
    pred = predict(fit, pd.DataFrame({"ell": [10.0], "meals": [20.0], "stype": ["E"]}))
    coef = fit.set_index("term")["estimate"]
    assert pred["estimate"].iloc[0] == pytest.approx(
        coef["(Intercept)"] + 10 * coef["ell"] + 20 * coef["meals"]
    )
    with pytest.raises(ld.EstimationError, match="type"):
        predict(fit, pd.DataFrame({"ell": [1.0], "meals": [1.0], "stype": ["E"]}), type="x")
    with pytest.raises(ld.EstimationError, match="glm"):
        predict(clus1_design.mean("api00"), pd.DataFrame({"ell": [1.0]}))


def test_glm_family_names():
    df = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 2, 2, 4, 7, 9]})
    d = ld.SurveyDesign(df)
    for fam in ("Gamma", 'Gamma(link = "log")', "gaussian(log)", "quasipoisson"):
        assert len(d.glm("y ~ x", fam)) == 2
    with pytest.raises(ld.EstimationError, match="family"):
        d.glm("y ~ x", "weibull")
    with pytest.raises(ld.EstimationError, match="link"):
        d.glm("y ~ x", "gaussian(cauchit)")


def test_working_lrt_and_anova(clus1_design):
    from lublin_diagnosis.survey import anova

    big = clus1_design.glm("api00 ~ ell + meals + stype")
    small = clus1_design.glm("api00 ~ ell + meals")
    lrt = big.term_test("stype", method="LRT")
    # R: regTermTest(g, ~stype, method = "LRT")
    assert lrt["chisq"].iloc[0] == pytest.approx(148954.548678398, rel=1e-9)
    assert lrt["p"].iloc[0] == pytest.approx(0.00165497917546038, rel=1e-6)
    both_ways = [anova(big, small), anova(small, big)]
    for out in both_ways:
        assert out["p"].iloc[0] == pytest.approx(lrt["p"].iloc[0])
    wald = anova(big, small, method="Wald")
    assert wald["F"].iloc[0] == pytest.approx(big.term_test("stype")["F"].iloc[0])
    with pytest.raises(ld.EstimationError, match="method"):
        big.term_test("stype", method="Score")
    with pytest.raises(ld.EstimationError, match="not nested"):
        anova(big, clus1_design.glm("api00 ~ mobility"))
    with pytest.raises(ld.EstimationError, match="same terms"):
        anova(big, big)
