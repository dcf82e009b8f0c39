"""Replicate propagation of sampling error into area scores and the index."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.exceptions import EstimationError
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.indicators.scoring import outcome_estimates
from lublin_diagnosis.indicators.uncertainty import (
    normalise_replicates,
    propagate_scores,
    replicate_outcomes,
    replicate_se,
    t_interval,
)
from support import DEMO

FW = load_framework()


@pytest.fixture(scope="module")
def rep_design():
    design = ld.SurveyDesign.from_dataset(ld.load_dataset(DEMO))
    return design.replicate("bootstrap", replicates=40, seed=3)


def test_replicate_outcomes_agree_with_the_engine(rep_design):
    inds = [FW.indicator("labour_o_employed"), FW.indicator("culture_o_belonging")]
    thetas = replicate_outcomes(rep_design, inds)
    assert thetas.shape == (40, 2)
    est = outcome_estimates(rep_design, FW, indicators=[i.id for i in inds])
    se = replicate_se(rep_design, thetas, est["value"].to_numpy())
    np.testing.assert_allclose(se, est["se"].to_numpy(), rtol=1e-8)
    with pytest.raises(EstimationError, match="replicate design"):
        replicate_outcomes(ld.SurveyDesign(pd.DataFrame({"x": [1.0]})), inds)


def test_propagation_by_hand():
    ids = ["health_p_interpreting", "health_o_unmet_need", "education_o_school_support"]
    scores = np.array([50.0, 70.0, 40.0])
    reps = np.array([[50.0, 60.0, 30.0], [50.0, 80.0, 50.0], [50.0, np.nan, 45.0]])
    areas, area_reps, index, index_reps = propagate_scores(FW, ids, scores, reps)
    assert areas[0] == 60.0 and areas[1] == 40.0 and np.isnan(areas[2])
    np.testing.assert_allclose(area_reps[:2, 0], [55.0, 65.0])
    assert np.isnan(area_reps[2, 0])  # a failed replicate is not re-weighted
    np.testing.assert_allclose(area_reps[:, 1], [30.0, 50.0, 45.0])
    assert index == 50.0
    np.testing.assert_allclose(index_reps[:2], [42.5, 57.5])
    assert np.isnan(index_reps[2])
    # an excluded indicator (NaN point score) stays out of every replicate
    areas2, reps2, _, _ = propagate_scores(FW, ids, np.array([50.0, np.nan, 40.0]), reps)
    assert areas2[0] == 50.0 and (reps2[:, 0] == 50.0).all()


def test_fixed_scores_have_no_sampling_error(rep_design):
    ids = ["health_p_interpreting"]
    _, reps, _, _ = propagate_scores(FW, ids, np.array([50.0]), np.full((40, 1), 50.0))
    assert replicate_se(rep_design, reps[:, :1], np.array([50.0]))[0] == 0.0


def test_t_interval_and_normalised_replicates():
    lo, hi = t_interval(np.array([50.0, 2.0]), np.array([5.0, 5.0]), np.inf)
    np.testing.assert_allclose(lo, [50 - 1.959964 * 5, 0.0], atol=1e-5)
    np.testing.assert_allclose(hi, [50 + 1.959964 * 5, 2 + 1.959964 * 5], atol=1e-5)
    ind = FW.indicator("health_o_unmet_need")  # 0.40 -> 0.05
    out = normalise_replicates([ind], np.array([[0.40], [0.225], [0.01]]))
    np.testing.assert_allclose(out[:, 0], [0.0, 50.0, 100.0])
