"""Monte Carlo sensitivity analysis: seeded, degenerate cases by hand, invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.indicators.scorecard import build_scorecard
from lublin_diagnosis.indicators.scoring import aggregate, normalise, scale_goalposts
from lublin_diagnosis.indicators.sensitivity import SensitivityResult, sensitivity_analysis
from support import DEMO

FW = load_framework()


@pytest.fixture(scope="module")
def card():
    return build_scorecard(ld.load_dataset(DEMO), replicates=10, disparity_by=())


def table(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "indicator": i,
                "kind": FW.indicator(i).kind,
                "institution": None,
                "value": v,
                "score": FW.indicator(i).score(v) if FW.indicator(i).kind != "P" else v,
                "in_aggregate": True,
            }
            for i, v in rows
        ]
    )


def test_seeded_and_reproducible(card):
    a = card.sensitivity(n_draws=300, seed=5)
    b = card.sensitivity(n_draws=300, seed=5)
    pd.testing.assert_frame_equal(a, b)
    c = card.sensitivity(n_draws=300, seed=6)
    assert not np.allclose(a["p05"], c["p05"])
    assert list(a.columns[:5]) == ["area", "number", "name_pl", "name_en", "score"]


def test_intervals_and_urgency(card):
    res = card.sensitivity_result(n_draws=500, seed=1)
    assert isinstance(res, SensitivityResult)
    areas = res.areas
    assert (areas["p05"] <= areas["median"]).all() and (areas["median"] <= areas["p95"]).all()
    np.testing.assert_allclose(areas["score"], card.areas["score"])
    assert areas["p_urgent"].between(0, 1).all()
    # every draw names exactly three most urgent areas
    assert areas["p_urgent"].sum() == pytest.approx(3.0)
    assert set(res.draws["aggregation"]) == {"arithmetic", "geometric"}
    assert set(res.draws["normalisation"]) == {"fixed", "widened", "narrowed"}
    assert len(res.draws) == 500 * 14
    assert res.index["p05"].iloc[0] <= res.index["median"].iloc[0] <= res.index["p95"].iloc[0]
    # the lowest area of the scorecard is the most likely to be urgent
    lowest = card.areas.sort_values("score")["area"].iloc[0]
    assert areas.set_index("area").loc[lowest, "p_urgent"] == areas["p_urgent"].max()


def test_no_variation_gives_the_nominal_scores(card):
    res = card.sensitivity(
        n_draws=50,
        seed=1,
        weight_range=0.0,
        aggregations=("arithmetic",),
        normalisations=("fixed",),
    )
    np.testing.assert_allclose(res["p05"], card.areas["score"])
    np.testing.assert_allclose(res["p95"], card.areas["score"])
    assert (res["p_urgent"].isin([0.0, 1.0])).all()


def test_by_hand_goalposts_and_weights():
    rows = [
        ("health_p_interpreting", 50.0),
        ("health_o_unmet_need", 0.30),
        ("labour_o_employed", 0.64),
    ]
    t = table(rows)
    widened = sensitivity_analysis(
        t,
        FW,
        n_draws=20,
        seed=1,
        weight_range=0.0,
        aggregations=("arithmetic",),
        normalisations=("widened",),
    )
    gp = scale_goalposts(FW.indicator("health_o_unmet_need").goalposts, 1.1)
    health = widened.areas.set_index("area").loc["health"]
    assert health["median"] == pytest.approx((50 + normalise(0.30, gp)) / 2)
    assert np.isnan(widened.areas.set_index("area").loc["education", "median"])
    # weights vary within +-25 %: the health score stays within the extreme weightings
    free = sensitivity_analysis(
        t, FW, n_draws=400, seed=2, aggregations=("arithmetic",), normalisations=("fixed",)
    )
    h = free.areas.set_index("area").loc["health"]
    o = FW.indicator("health_o_unmet_need").score(0.30)
    ends = sorted([aggregate([50, o], [1.25, 0.75]), aggregate([50, o], [0.75, 1.25])])
    assert ends[0] - 1e-9 <= h["p05"] < h["score"] < h["p95"] <= ends[1] + 1e-9


def test_regrouped_and_bad_parameters(card):
    icc = card.for_grouping("icc-14").sensitivity(n_draws=100, seed=1)
    assert icc["area"].iloc[0] == "commitment" and len(icc) == 14
    with pytest.raises(ValueError, match="weight_range"):
        card.sensitivity(n_draws=10, weight_range=1.5)
    with pytest.raises(ValueError, match="aggregation"):
        card.sensitivity(n_draws=10, aggregations=("median",))
    with pytest.raises(ValueError, match="normalisation"):
        card.sensitivity(n_draws=10, normalisations=("minmax",))
    with pytest.raises(ValueError, match="framework"):
        sensitivity_analysis(card.indicators)


def test_nominal_scores_follow_the_scorecard_weights():
    card = build_scorecard(
        ld.load_dataset(DEMO),
        replicates=5,
        disparity_by=(),
        weights={"health_o_unmet_need": 4.0},
        area_weights={"language": 3.0},
    )
    res = card.sensitivity_result(n_draws=20, seed=1)
    np.testing.assert_allclose(res.areas["score"], card.areas["score"])
    assert res.index["score"].iloc[0] == pytest.approx(card.index["score"].iloc[0])
