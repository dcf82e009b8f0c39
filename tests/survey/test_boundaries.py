"""Boundaries of the weighting rules that a mutation of the code would otherwise survive."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld


def _sample(scale: float) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(7)
    n = 400
    df = pd.DataFrame(
        {
            "sex": rng.choice(["F", "M"], n, p=[0.3, 0.7]),
            "age": rng.choice(["y", "m", "o"], n, p=[0.5, 0.3, 0.2]),
            "w": np.full(n, 10.0 * scale),
        }
    )
    margins = {
        "sex": {"F": 2100 * scale, "M": 1900 * scale},
        "age": {"y": 1000 * scale, "m": 1800 * scale, "o": 1200 * scale},
    }
    return df, margins


def _iterations(design: ld.SurveyDesign) -> int:
    return int(design.diagnostics().adjustments["iterations"].iloc[-1])


@pytest.mark.parametrize("tol", [1e-4, 1e-7])
def test_raking_tolerance_is_relative_to_the_total(tol):
    """tol < 1 is a fraction of the total weight: the same sample in other units (weights
    and margins times a million) rakes in the same number of sweeps to the same shares."""
    small, big = (_sample(s) for s in (1.0, 1e6))
    a = ld.SurveyDesign(small[0], weights="w").rake(small[1], tol=tol)
    b = ld.SurveyDesign(big[0], weights="w").rake(big[1], tol=tol)
    assert _iterations(a) == _iterations(b) > 1
    np.testing.assert_allclose(a.weights * 1e6, b.weights, rtol=1e-9)


def test_raking_tolerance_of_one_or_more_is_in_weight_units():
    """R's epsilon = 1: a change under one weighted unit stops the sweeps, the same stop as
    the fraction 1 / total."""
    df, margins = _sample(1.0)
    total = df["w"].sum()
    units = ld.SurveyDesign(df, weights="w").rake(margins, tol=1.0)
    fraction = ld.SurveyDesign(df, weights="w").rake(margins, tol=1.0 / total)
    fine = ld.SurveyDesign(df, weights="w").rake(margins, tol=1e-9)
    assert 1 < _iterations(units) == _iterations(fraction) < _iterations(fine)
