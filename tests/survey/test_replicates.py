"""Replicate factors and factored replicate totals."""

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.survey._errors import LonelyPSUError
from lublin_diagnosis.survey._replicates import (
    COUNTED_DRAWS_FROM,
    _partition_tdot,
    _qr_rank_loop,
    bootstrap_factors,
    qr_rank,
)


def _lonely_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "st": list("AAAABBCCC"),
            "psu": ["p1", "p1", "p2", "p3", "q1", "q1", "r1", "r2", "r3"],
            "y": np.arange(1.0, 10.0),
        }
    )


def test_bootstrap_with_a_lonely_psu_follows_r_bootweights():
    # R 4.2 / survey 4.1: options(survey.lonely.psu = "adjust");
    # as.svrepdesign(svydesign(ids = ~psu, strata = ~st, data = d), "bootstrap", 5):
    # the rows of stratum B (one PSU) weigh 1 in every replicate and scale = 0.5625
    d = ld.SurveyDesign(_lonely_frame(), ids="psu", strata="st", lonely_psu="adjust")
    rep = d.replicate("bootstrap", replicates=5, seed=1)._rep
    w = rep.weights
    np.testing.assert_array_equal(w[4:6], np.ones((2, 5)))
    assert rep.scale == pytest.approx(0.5625)
    # every other stratum draws as many PSUs as it has, in every replicate
    first = [0, 2, 3, 6, 7, 8]
    assert w[first[:3]].sum(axis=0).tolist() == [3.0] * 5
    assert w[first[3:]].sum(axis=0).tolist() == [3.0] * 5
    se = d.replicate("bootstrap", replicates=50, seed=2).mean("y")["se"].iloc[0]
    assert np.isfinite(se) and se > 0


def test_bootstrap_with_a_lonely_psu_fails_by_default():
    d = ld.SurveyDesign(_lonely_frame(), ids="psu", strata="st", lonely_psu="fail")
    with pytest.raises(LonelyPSUError, match="lonely-PSU policy"):
        d.replicate("bootstrap", replicates=5, seed=1)
    with pytest.raises(LonelyPSUError):
        bootstrap_factors(np.array([0, 1]), 4, np.random.default_rng(0), lonely_psu="adjust")


def test_large_strata_draw_counts_with_the_bootstrap_distribution():
    nh = COUNTED_DRAWS_FROM + 500
    strata = np.r_[np.zeros(nh, dtype=np.int64), np.ones(3, dtype=np.int64)]
    f, scale, _ = bootstrap_factors(strata, 40, np.random.default_rng(4))
    again, _, _ = bootstrap_factors(strata, 40, np.random.default_rng(4))
    np.testing.assert_array_equal(f, again)
    assert f[:nh].sum(axis=0).tolist() == [float(nh)] * 40
    assert f[nh:].sum(axis=0).tolist() == [3.0] * 40
    assert np.all(f == np.round(f)) and f.min() >= 0
    # a PSU is drawn Binomial(nh, 1/nh) times: mean 1, variance close to 1
    assert abs(f[:nh].mean() - 1) < 1e-12 and abs(f[:nh].var() - 1) < 0.05
    m = 1 / np.mean([1 / nh, 1 / 3])
    assert scale == pytest.approx(m / ((m - 1) * 39))


def test_qr_rank_shortcut_agrees_with_the_column_loop():
    rng = np.random.default_rng(3)
    full = rng.normal(size=(60, 8))
    assert qr_rank(full) == _qr_rank_loop(full, 1e-5) == 8
    dup = np.column_stack([full, full[:, 2]])
    assert qr_rank(dup) == _qr_rank_loop(dup, 1e-5) == 8
    near = np.column_stack([full, full[:, 0] + 1e-7 * rng.normal(size=60)])
    assert qr_rank(near) == _qr_rank_loop(near, 1e-5) == 8
    assert qr_rank(full[:5]) == _qr_rank_loop(full[:5], 1e-5) == 5  # fewer rows than columns


@pytest.mark.parametrize("shuffle", [False, True])
def test_factored_replicate_totals_equal_the_weight_matrix(shuffle):
    rng = np.random.default_rng(8)
    n = 400
    psu = np.sort(rng.integers(0, 40, n))
    df = pd.DataFrame(
        {
            "st": psu // 10,
            "psu": psu,
            "w": rng.uniform(1, 2, n),
            "y": rng.normal(size=n),
            "a": rng.choice(list("xyz"), n),
            "g": rng.integers(0, 3, n),
        }
    )
    if shuffle:
        df = df.iloc[rng.permutation(n)].reset_index(drop=True)
    margins = {"a": {"x": 300.0, "y": 250.0, "z": 200.0}}
    d = ld.SurveyDesign(df, ids="psu", strata="st", weights="w")
    rep = d.replicate("bootstrap", replicates=7, seed=1).rake(margins)._rep
    w = rep.weights
    y = df["y"].to_numpy()
    np.testing.assert_allclose(rep.tdot(y), w.T @ y, rtol=1e-12)
    group = df["g"].to_numpy()
    vals = np.column_stack([y, y**2])
    np.testing.assert_allclose(
        rep.tdot_partition(vals, group, 3), _partition_tdot(w, vals, group, 3), rtol=1e-12
    )
    everyone = np.zeros(n, dtype=np.int64)
    np.testing.assert_allclose(rep.count_totals(everyone, 1)[:, 0], w.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(
        rep.count_totals(group, 3), _partition_tdot(w, np.ones((n, 1)), group, 3), rtol=1e-12
    )
