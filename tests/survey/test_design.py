"""SurveyDesign: construction, immutability, adjustments, diagnostics and every error."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from support import MARGINS


def test_adjustments_return_new_designs_and_leave_the_old_one(clus1_design):
    before = clus1_design.weights
    raked = clus1_design.rake(MARGINS)
    assert raked is not clus1_design
    np.testing.assert_array_equal(clus1_design.weights, before)
    assert not np.allclose(raked.weights, before)
    with pytest.raises(ValueError):
        raked._w[0] = 1.0  # the weights array is read-only


def test_rake_hits_the_margins_and_reports_diagnostics(clus1_design):
    raked = clus1_design.rake(MARGINS)
    diag = raked.diagnostics()
    assert diag.margins["rel_diff"].abs().max() < 1e-6
    assert bool(diag.adjustments["converged"].iloc[0])
    s = diag.summary.iloc[0]
    assert s["n"] == 183 and s["kish_deff"] >= 1 and s["effective_n"] <= 183
    assert s["min"] <= s["median"] <= s["max"]


def test_rake_accepts_the_long_margins_table(clus1_design):
    long = pd.DataFrame(
        [(v, c, n) for v, cats in MARGINS.items() for c, n in cats.items()],
        columns=["variable", "category", "count"],
    )
    np.testing.assert_allclose(clus1_design.rake(long).weights, clus1_design.rake(MARGINS).weights)


def test_replicate_then_rake_equals_rake_then_replicate(clus1_design):
    a = clus1_design.rake(MARGINS).replicate("JK1").mean("api00")
    b = clus1_design.replicate("JK1").rake(MARGINS).mean("api00")
    pd.testing.assert_frame_equal(a, b)


def test_bootstrap_is_reproducible_with_a_seed(clus1_design):
    a = clus1_design.replicate("bootstrap", replicates=30, seed=7).mean("api00")
    b = clus1_design.replicate("bootstrap", replicates=30, seed=7).mean("api00")
    pd.testing.assert_frame_equal(a, b)
    taylor = clus1_design.mean("api00")["se"].iloc[0]
    assert 0.5 * taylor < a["se"].iloc[0] < 2 * taylor


def test_replicate_types(apistrat):
    d = ld.SurveyDesign(apistrat, strata="stype", weights="pw", fpc="fpc")
    se = d.mean("api00")["se"].iloc[0]
    assert d.replicate("JKn").mean("api00")["se"].iloc[0] == pytest.approx(se, rel=1e-9)
    paired = apistrat.assign(pair=np.arange(len(apistrat)) // 2)
    brr = ld.SurveyDesign(paired, ids="cds", strata="pair", weights="pw").replicate("BRR")
    assert brr.replicate_weights.shape[1] >= 101
    fay = ld.SurveyDesign(paired, ids="cds", strata="pair", weights="pw").replicate("Fay")
    assert np.isfinite(fay.mean("api00")["se"].iloc[0])


# -- every error class has a test ------------------------------------------------------


def test_missing_design_column_is_named():
    with pytest.raises(ld.DesignError, match="'psu'"):
        ld.SurveyDesign(pd.DataFrame({"y": [1.0]}), ids="psu")


@pytest.mark.parametrize(
    ("weights", "match"),
    [
        ([1.0, 0.0, 2.0], "zero or negative"),
        ([1.0, -1.0, 2.0], "zero or negative"),
        ([1.0, np.nan, 2.0], "missing or non-numeric"),
    ],
)
def test_bad_weights(weights, match):
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0], "w": weights})
    with pytest.raises(ld.DesignError, match=match):
        ld.SurveyDesign(df, weights="w")


def test_missing_values_in_design_variables():
    df = pd.DataFrame({"psu": [1, None, 2], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(ld.DesignError, match="missing value"):
        ld.SurveyDesign(df, ids="psu")


def test_clusters_crossing_strata_need_nest():
    df = pd.DataFrame({"st": ["a", "a", "b", "b"], "psu": [1, 2, 1, 2], "y": [1.0] * 4})
    with pytest.raises(ld.DesignError, match="nest=True"):
        ld.SurveyDesign(df, ids="psu", strata="st")
    assert ld.SurveyDesign(df, ids="psu", strata="st", nest=True).degf == 2


def test_lonely_psu_fails_by_default_and_policies_work():
    df = pd.DataFrame({"st": ["a", "a", "b"], "y": [1.0, 2.0, 4.0]})
    with pytest.raises(ld.LonelyPSUError, match="'b'"):
        ld.SurveyDesign(df, strata="st").mean("y")
    for policy in ("adjust", "average", "remove", "certainty"):
        se = ld.SurveyDesign(df, strata="st", lonely_psu=policy).mean("y")["se"].iloc[0]
        assert np.isfinite(se)


def test_margin_categories_missing_either_way(clus1_design):
    with pytest.raises(ld.MarginError, match="'M'.*not in the margin"):
        clus1_design.rake({"stype": {"E": 4421, "H": 755}})
    with pytest.raises(ld.MarginError, match="'X'.*no respondent"):
        clus1_design.rake({"stype": {"E": 4421, "H": 755, "M": 1018, "X": 5}})


def test_margins_totals_disagree(clus1_design):
    with pytest.raises(ld.MarginError, match="disagree by more than 0.5%"):
        clus1_design.rake(
            {"stype": {"E": 4421, "H": 755, "M": 1018}, "sch.wide": {"No": 1072, "Yes": 6000}}
        )


def test_missing_values_in_margin_variable():
    df = pd.DataFrame({"g": ["a", None, "b"], "y": [1.0, 2.0, 3.0]})
    with pytest.raises(ld.MarginError, match="missing value"):
        ld.SurveyDesign(df).rake({"g": {"a": 1, "b": 2}})


def test_bad_margin_counts(clus1_design):
    with pytest.raises(ld.MarginError, match="not a positive number"):
        clus1_design.rake({"stype": {"E": 4421, "H": -5, "M": 1018}})


def test_non_convergence_raises_or_warns():
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"a": rng.choice(list("xyz"), 300), "b": rng.choice(list("pq"), 300)})
    margins = {"a": {"x": 10, "y": 500, "z": 90}, "b": {"p": 550, "q": 50}}
    with pytest.raises(ld.ConvergenceError) as err:
        ld.SurveyDesign(df).rake(margins, max_iter=1)
    assert err.value.max_deviation > 0
    with pytest.warns(RuntimeWarning, match="did not converge"):
        ld.SurveyDesign(df).rake(margins, max_iter=1, on_fail="warn")


def test_infeasible_calibration_bounds(clus1_design):
    with pytest.raises(ld.CalibrationError, match="failed to converge"):
        clus1_design.calibrate(
            {"stype": {"E": 4421, "H": 755, "M": 1018}, "api99": 3914069}, bounds=(0.99, 1.01)
        )
    with pytest.raises(ld.CalibrationError, match="finite bounds"):
        clus1_design.calibrate({"stype": {"E": 4421, "H": 755, "M": 1018}}, calfun="logit")


def test_empty_domain(clus1_design):
    with pytest.raises(ld.DomainError, match="no respondent"):
        clus1_design.proportion("sch.wide", "Yes", domain={"stype": "X"})
    with pytest.raises(ld.DomainError):
        clus1_design.mean("api00", by="no_such_column")


def test_trim_keeps_total_and_bounds(clus1_design):
    cal = clus1_design.calibrate({"stype": {"E": 4421, "H": 755, "M": 1018}, "api99": 3914069})
    trimmed = cal.trim(20, 45)
    assert trimmed.weights.sum() == pytest.approx(cal.weights.sum())
    with pytest.raises(ld.DesignError):
        cal.trim(5, 1)


def test_factored_replicates_equal_the_explicit_matrix(clus1_design):
    """Raked bootstrap replicates held as PSU x cell factors give the same SEs as the
    explicit (n x R) weight matrix."""
    rep = clus1_design.replicate("bootstrap", replicates=40, seed=3).rake(MARGINS)
    w = rep.replicate_weights  # materialised from the factors
    y = rep.data["api00"].to_numpy(dtype=float)
    thetas = (w * y[:, None]).sum(axis=0) / w.sum(axis=0)
    scheme = rep._rep
    se = float(np.sqrt(scheme.variance(thetas, np.array([0.0]))[0, 0]))
    assert rep.mean("api00")["se"].iloc[0] == pytest.approx(se, rel=1e-10)
    dom = rep.mean("api00", by="stype")
    for _, row in dom.iterrows():
        m = (rep.data["stype"] == row["by"]).to_numpy()
        th = (w[m] * y[m, None]).sum(axis=0) / w[m].sum(axis=0)
        assert row["se"] == pytest.approx(
            np.sqrt(scheme.variance(th, np.array([0.0]))[0, 0]), rel=1e-10
        )
    # the raked replicate weights hit the margins in every replicate
    e = (rep.data["stype"] == "E").to_numpy()
    np.testing.assert_allclose(w[e].sum(axis=0), 4421, rtol=1e-5)


def test_trimming_replicates_keeps_dropped_psus_dropped(clus1_design):
    """A jackknife replicate's dropped PSU has weight 0; trimming must not lift it to the
    lower bound (that would put the cluster back into the replicate)."""
    rep = clus1_design.replicate("JK1")
    trimmed = rep.trim(20, 60)
    before = rep.replicate_weights == 0
    np.testing.assert_array_equal(trimmed.replicate_weights == 0, before)
    np.testing.assert_allclose(
        trimmed.replicate_weights.sum(axis=0), rep.replicate_weights.sum(axis=0)
    )
    se_trim = trimmed.mean("api00")["se"].iloc[0]
    assert se_trim > 0.5 * rep.mean("api00")["se"].iloc[0]


def test_pps_designs_brewer_and_joint_probabilities():

    df = pd.DataFrame({"y": [3.0, 5.0, 9.0, 4.0], "p": [0.2, 0.3, 0.5, 0.4]})
    brewer = ld.SurveyDesign.from_pps(df, probs="p")
    assert brewer.weights.tolist() == pytest.approx([5.0, 10 / 3, 2.0, 2.5])
    wr = ld.SurveyDesign(df, weights=1 / df["p"].to_numpy())
    # Brewer: each PSU's squared deviation shrunk by 1 - pi_i, so below with-replacement
    assert brewer.total("y")["se"].iloc[0] < wr.total("y")["se"].iloc[0]
    # independent (Poisson-like) joint probabilities: D is diagonal, 1 - pi_i
    joint = np.outer(df["p"], df["p"])
    np.fill_diagonal(joint, df["p"])
    ht = ld.SurveyDesign.from_pps(df, probs="p", method="ht", joint=joint)
    x = df["y"] / df["p"]
    assert ht.total("y")["se"].iloc[0] == pytest.approx(np.sqrt(np.sum((1 - df["p"]) * x**2)))
    with pytest.raises(ld.DesignError, match="joint"):
        ld.SurveyDesign.from_pps(df, probs="p", method="ht")
    with pytest.raises(ld.DesignError, match="4 × 4"):
        ld.SurveyDesign.from_pps(df, probs="p", method="ht", joint=np.eye(3))
    with pytest.raises(ld.DesignError, match=r"\(0, 1\]"):
        ld.SurveyDesign.from_pps(df.assign(p=[0.2, 1.5, 0.5, 0.4]), probs="p")


def test_ultimate_cluster_and_multi_variable_poststratification(apiclus1):
    d = ld.SurveyDesign(apiclus1, ids="dnum", weights="pw", fpc="fpc")
    pop = pd.DataFrame(
        {
            "stype": ["E", "H", "M"] * 2,
            "awards": ["No"] * 3 + ["Yes"] * 3,
            "Freq": [1400, 400, 500, 3021, 355, 518],
        }
    )
    ps = d.poststratify(["stype", "awards"], pop)
    assert ps.weights.sum() == pytest.approx(pop["Freq"].sum())
    with pytest.raises(ld.MarginError, match="Freq"):
        d.poststratify(["stype", "awards"], pop.rename(columns={"Freq": "N"}))
    # replicates replay the two-variable post-stratification
    assert ps.replicate("JK1").weights.sum() == pytest.approx(pop["Freq"].sum())
    assert d.with_ultimate_cluster().mean("api00")["se"].iloc[0] == pytest.approx(
        d.mean("api00")["se"].iloc[0]
    )  # one stage: nothing to drop


def test_subbootstrap_se_is_close_to_taylor(apistrat):
    d = ld.SurveyDesign(apistrat, strata="stype", weights="pw")
    taylor = d.mean("api00")["se"].iloc[0]
    boot = d.replicate("subbootstrap", replicates=400, seed=7)
    assert boot.is_replicate and boot.replicate_weights.shape == (len(apistrat), 400)
    assert boot.mean("api00")["se"].iloc[0] == pytest.approx(taylor, rel=0.15)
    with pytest.raises(ld.DesignError, match="subbootstrap"):
        d.replicate("jackknife")
