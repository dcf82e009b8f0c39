"""Calibration in cell space: the same g-weights and standard errors as the row-level
computation, for every calibration distance, the full sample and replicates."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.survey._calibration import (
    CellModel,
    calibrate_g,
    calibration_model,
    dense_model,
)
from lublin_diagnosis.survey._errors import CalibrationError, MarginError
from lublin_diagnosis.survey._variance import multistage_variance

TOTALS = {"a": {"x": 500.0, "y": 700.0, "z": 300.0}, "b": {"p": 900.0, "q": 600.0}}
CALFUNS = [("linear", None), ("linear", (0.6, 1.6)), ("raking", None), ("logit", (0.4, 2.5))]


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(7)
    n = 240
    return pd.DataFrame(
        {
            "st": np.repeat([0, 1, 2], n // 3),
            "psu": np.repeat(np.arange(24), n // 24),
            "a": rng.choice(list("xyz"), n, p=[0.5, 0.3, 0.2]),
            "b": rng.choice(list("pq"), n),
            "u": rng.gamma(2.0, 3.0, n),
            "v": rng.normal(50.0, 10.0, n),
            "w": rng.uniform(4.0, 8.0, n),
        }
    )


def _row_matrix(frame, totals):
    model, pop, _ = calibration_model(frame, totals, None)
    return model.rows_dot(np.eye(model.p)), pop


def _row_residual_se(design_before, g, mm, values):
    """SE of the mean as the row-level formula: QR of mm·sqrt(w0), residuals of x / w."""
    w0 = design_before.weights
    w = w0 * g
    whalf = np.sqrt(w0)
    q, _ = np.linalg.qr(mm * whalf[:, None])
    total_w = w.sum()
    est = (w * values).sum() / total_w
    x = w * (values - est) / total_w
    scaled = x / (g * whalf)
    resid = (scaled - q @ (q.T @ scaled)) * g * whalf
    stages = list(design_before._stages)
    return est, float(np.sqrt(multistage_variance(resid, stages)[0, 0]))


@pytest.mark.parametrize(("calfun", "bounds"), CALFUNS)
def test_cell_space_calibration_matches_the_row_level_computation(frame, calfun, bounds):
    design = ld.SurveyDesign(frame, ids="psu", strata="st", weights="w")
    cal = design.calibrate(TOTALS, calfun=calfun, bounds=bounds)
    mm, pop = _row_matrix(frame, TOTALS)
    b = bounds or (-np.inf, np.inf)
    g, _ = calibrate_g(mm, design.weights, pop, calfun=calfun, bounds=b)
    np.testing.assert_allclose(cal.weights, design.weights * g, rtol=1e-10)
    np.testing.assert_allclose(mm.T @ cal.weights, pop, rtol=1e-7)
    est, se = _row_residual_se(design, g, mm, frame["v"].to_numpy())
    res = cal.mean("v")
    np.testing.assert_allclose(res["estimate"].iloc[0], est, rtol=1e-12)
    np.testing.assert_allclose(res["se"].iloc[0], se, rtol=1e-9)


def test_numeric_auxiliaries_pass_over_the_rows_and_match_the_row_level_computation(frame):
    design = ld.SurveyDesign(frame, ids="psu", strata="st", weights="w")
    totals = {**TOTALS, "u": float((frame["u"] * frame["w"]).sum() * 1.05)}
    cal = design.calibrate(totals, calfun="raking")
    mm, pop = _row_matrix(frame, totals)
    assert mm.shape == (len(frame), 5)
    g, _ = calibrate_g(mm, design.weights, pop, calfun="raking")
    np.testing.assert_allclose(cal.weights, design.weights * g, rtol=1e-10)
    est, se = _row_residual_se(design, g, mm, frame["v"].to_numpy())
    np.testing.assert_allclose(cal.mean("v")["se"].iloc[0], se, rtol=1e-9)


@pytest.mark.parametrize("numeric", [False, True])
def test_replicates_are_calibrated_as_the_materialised_matrix(frame, numeric):
    totals = dict(TOTALS)
    if numeric:
        totals["u"] = float((frame["u"] * frame["w"]).sum())
    design = ld.SurveyDesign(frame, ids="psu", strata="st", weights="w")
    rep = design.replicate("bootstrap", replicates=12, seed=3)
    factored = rep.calibrate(totals, calfun="linear", bounds=(0.5, 2.0))
    plain = ld.SurveyDesign.from_replicate_weights(
        frame, rep.replicate_weights, weights="w", type="bootstrap", scale=rep._rep.scale
    ).calibrate(totals, calfun="linear", bounds=(0.5, 2.0))
    np.testing.assert_allclose(factored.replicate_weights, plain.replicate_weights, rtol=1e-10)
    mm, pop = _row_matrix(frame, totals)
    np.testing.assert_allclose(mm.T @ factored.replicate_weights, pop[:, None] @ np.ones((1, 12)))
    a, b = factored.mean("v"), plain.mean("v")
    np.testing.assert_allclose(a["se"], b["se"], rtol=1e-10)


def test_calibrate_after_rake_and_its_replicates_agree(frame):
    design = ld.SurveyDesign(frame, ids="psu", strata="st", weights="w")
    raked = design.rake({"b": TOTALS["b"]}).calibrate({"a": TOTALS["a"]}, calfun="raking")
    again = raked.replicate("JKn")
    np.testing.assert_allclose(again.weights, raked.weights, rtol=1e-10)
    assert np.isfinite(again.mean("v")["se"].iloc[0])


def test_cell_model_products_equal_the_dense_matrix():
    rng = np.random.default_rng(1)
    cell = rng.integers(0, 4, 30)
    cat = rng.random((4, 3))
    num = rng.random((30, 2))
    model = CellModel(cell, cat, num)
    dense = np.column_stack([cat[cell], num])
    v = rng.random(30)
    u = rng.random((30, 3))
    eta = rng.random((5, 2))
    np.testing.assert_allclose(model.gram(v), dense.T @ (dense * v[:, None]))
    np.testing.assert_allclose(model.tdot(u), dense.T @ u)
    np.testing.assert_allclose(model.rows_dot(eta), dense @ eta)
    np.testing.assert_allclose(dense_model(dense).gram(v), model.gram(v))


def test_population_size_without_categories_gives_an_intercept(frame):
    model, pop, names = calibration_model(frame, {"u": 100.0}, 1500.0)
    assert names == ["(Intercept)", "u"] and model.n_cells == 1 and model.q == 1
    assert pop.tolist() == [1500.0, 100.0]


def test_bad_calibration_input_is_named(frame):
    design = ld.SurveyDesign(frame, weights="w")
    with pytest.raises(MarginError, match="'nope' is not a column"):
        design.calibrate({"nope": 3.0})
    with pytest.raises(MarginError, match="must be a number"):
        design.calibrate({"u": "many"})
    with pytest.raises(CalibrationError, match="calfun must be"):
        design.calibrate(TOTALS, calfun="cubic")
    with pytest.raises(CalibrationError, match="are empty"):
        design.calibrate(TOTALS, bounds=(2.0, 1.0))
    with pytest.raises(CalibrationError, match="failed to converge"):
        design.calibrate(TOTALS, bounds=(0.99, 1.01), max_iter=5)
