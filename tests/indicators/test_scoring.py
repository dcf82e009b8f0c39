"""Scoring: aggregation and normalisation rules by hand, properties, P / A / O scores."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import lublin_diagnosis as ld
from lublin_diagnosis.exceptions import DataError, DomainError, EstimationError
from lublin_diagnosis.framework.model import Goalposts, load_framework
from lublin_diagnosis.indicators.scoring import (
    admin_scores,
    aggregate,
    area_matrix,
    area_scores,
    index_score,
    institution_scores,
    normalise,
    outcome_arrays,
    outcome_estimates,
    policy_scores,
    scale_goalposts,
)
from support import DEMO

FW = load_framework()
scores_0_100 = st.floats(0, 100, allow_nan=False)


# --------------------------------------------------------------------------- aggregation
def test_arithmetic_by_hand():
    assert aggregate([20, 40, 90]) == pytest.approx(50.0)
    assert aggregate([20, 40, 90], [1, 1, 2]) == pytest.approx((20 + 40 + 180) / 4)
    assert aggregate([20, 40, 90], [0, 0, 1]) == pytest.approx(90.0)


def test_geometric_by_hand():
    expected = math.exp((math.log(21) + math.log(41) + 2 * math.log(91)) / 4) - 1
    assert aggregate([20, 40, 90], [1, 1, 2], "geometric") == pytest.approx(expected)
    plain = (20 * 40 * 90**2) ** 0.25
    assert aggregate([20, 40, 90], [1, 1, 2], "geometric", shift=0) == pytest.approx(plain)


def test_geometric_treatment_of_zeros():
    # shifted by one point: a zero penalises hard but does not wipe out the others
    assert aggregate([0, 100], method="geometric") == pytest.approx(math.sqrt(101) - 1)
    assert aggregate([0, 0], method="geometric") == 0.0
    assert aggregate([0, 100], method="geometric", shift=0) == 0.0
    assert aggregate([50, 50, 50], method="geometric") == pytest.approx(50.0)


def test_missing_scores_and_errors():
    assert aggregate([np.nan, 40, 60]) == pytest.approx(50.0)
    assert math.isnan(aggregate([np.nan, np.nan]))
    assert math.isnan(aggregate([10, 20], [0, 0]))
    with pytest.raises(ValueError, match="missing"):
        aggregate([np.nan, 1], skipna=False)
    with pytest.raises(ValueError, match="method"):
        aggregate([1, 2], method="harmonic")
    with pytest.raises(ValueError, match=">= 0"):
        aggregate([1, 2], [1, -1])
    with pytest.raises(ValueError, match="one value per score"):
        aggregate([1, 2], [1, 1, 1])
    with pytest.raises(ValueError, match="scores >= 0"):
        aggregate([-1, 2], method="geometric")
    with pytest.raises(ValueError, match="sequence"):
        aggregate(5.0)


def test_aggregate_is_vectorised_over_leading_axes():
    rng = np.random.default_rng(1)
    s = rng.uniform(0, 100, (7, 5))
    s[2, 1] = np.nan
    w = rng.uniform(0.5, 2, 5)
    for method in ("arithmetic", "geometric"):
        rows = [aggregate(row, w, method) for row in s]
        np.testing.assert_allclose(aggregate(s, w, method), rows)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(scores_0_100, st.floats(0.01, 10)), min_size=1, max_size=8),
    st.sampled_from(["arithmetic", "geometric"]),
)
@example([(100.0, 3.2654742160055097), (100.0, 0.01)], "arithmetic")  # was 100.00000000000001
def test_aggregate_stays_in_range_and_ignores_order(pairs, method):
    s = np.array([p[0] for p in pairs])
    w = np.array([p[1] for p in pairs])
    value = aggregate(s, w, method)
    assert 0 <= value <= 100
    assert s.min() - 1e-9 <= value <= s.max() + 1e-9
    perm = np.random.default_rng(len(pairs)).permutation(len(pairs))
    assert aggregate(s[perm], w[perm], method) == pytest.approx(value, abs=1e-9)
    assert aggregate(s, w * 3.7, method) == pytest.approx(value, abs=1e-9)
    # shifted geometric <= arithmetic (AM-GM on score + 1)
    if method == "geometric":
        assert value <= aggregate(s, w) + 1e-9


@settings(max_examples=60, deadline=None)
@given(
    st.lists(scores_0_100, min_size=1, max_size=8),
    st.data(),
    st.sampled_from(["arithmetic", "geometric"]),
)
def test_aggregate_is_monotone_in_each_score(scores, data, method):
    s = np.array(scores)
    i = data.draw(st.integers(0, len(s) - 1))
    bump = data.draw(st.floats(0, 100 - s[i]))
    higher = s.copy()
    higher[i] += bump
    assert aggregate(higher, method=method) >= aggregate(s, method=method) - 1e-9


# --------------------------------------------------------------------------- goalposts
def test_normalisation_by_hand():
    assert normalise(0.64, {"worst": 0.50, "best": 0.78}) == pytest.approx(50.0)
    assert normalise(0.30, Goalposts(worst=0.5, best=0.0)) == pytest.approx(40.0)
    assert normalise([0.9, -1.0], Goalposts(worst=0.0, best=0.5)).tolist() == [100.0, 0.0]
    assert FW.indicator("legal_aid_a_permit_days").score(212.5) == pytest.approx(50.0)


def test_goalposts_widened_and_narrowed():
    wide = scale_goalposts(Goalposts(worst=120, best=30), 1.1)
    assert (wide.worst, wide.best) == pytest.approx((124.5, 25.5))
    narrow = scale_goalposts(Goalposts(worst=0.0, best=0.5), 0.9)
    assert (narrow.worst, narrow.best) == pytest.approx((0.025, 0.475))
    # the midpoint keeps its score of 50, a value near the best end scores lower when widened
    assert normalise(75, wide) == pytest.approx(50.0)
    assert normalise(30, wide) < 100 < normalise(30, scale_goalposts(Goalposts(120, 30), 0.9)) + 1
    with pytest.raises(ValueError):
        scale_goalposts(Goalposts(0, 1), 0)


@settings(max_examples=50, deadline=None)
@given(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3), st.floats(-1e4, 1e4), st.floats(0, 1e3))
def test_normalise_is_bounded_and_monotone(worst, best, x, dx):
    if abs(best - worst) < 1e-3:
        return
    gp = Goalposts(worst, best)
    a, b = normalise(x, gp), normalise(x + dx, gp)
    assert 0 <= a <= 100 and 0 <= b <= 100
    if best > worst:
        assert b >= a - 1e-9
    else:
        assert b <= a + 1e-9


# --------------------------------------------------------------------------- P
def monitoring(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["institution_id", "indicator_id", "answer", "round"])


def test_policy_scores_by_hand():
    mon = monitoring(
        [
            ("clinic_a", "health_p_interpreting", "none", 2022),
            ("clinic_b", "health_p_interpreting", "full", 2022),
            ("nfz", "health_p_info_languages", "partial", 2022),
            ("clinic_a", "health_p_info_languages", "full", 2022),
            ("clinic_a", "health_p_interpreting", "partial", 2023),
        ]
    )
    out = policy_scores(mon, FW)
    city = out[out["institution"].isna()].set_index(["indicator", "round"])["score"]
    assert city[("health_p_interpreting", 2022)] == 50.0  # (0 + 100) / 2
    assert city[("health_p_info_languages", 2022)] == 75.0  # (50 + 100) / 2
    assert city[("health_p_interpreting", 2023)] == 50.0
    n = out[out["institution"].isna()]["n_institutions"].tolist()
    assert n == [2, 1, 2]
    inst = institution_scores(out[out["round"] == 2022], FW)
    clinic_a = inst[inst["institution"] == "clinic_a"].iloc[0]
    assert (clinic_a["area"], clinic_a["score"], clinic_a["n_indicators"]) == ("health", 50.0, 2)
    weighted = institution_scores(
        out[out["round"] == 2022], FW, weights={"health_p_info_languages": 3}
    )
    assert weighted.loc[weighted["institution"] == "clinic_a", "score"].iloc[0] == 75.0
    assert len(policy_scores(mon, FW, round=2023)) == 2


@pytest.mark.parametrize(
    "row, message",
    [
        (("clinic_a", "nowhere_p_x", "none", 2022), "'nowhere_p_x'.*not an indicator"),
        (("clinic_a", "labour_o_employed", "none", 2022), "O indicator.*policy"),
        (("clinic_a", "health_p_interpreting", "maybe", 2022), "clinic_a.*'maybe'.*options"),
    ],
)
def test_policy_errors_name_the_indicator_and_institution(row, message):
    with pytest.raises(DataError, match=message):
        policy_scores(monitoring([row]), FW)


def test_policy_duplicates_and_rounds():
    row = ("clinic_a", "health_p_interpreting", "none", 2022)
    with pytest.raises(DataError, match="answered twice"):
        policy_scores(monitoring([row, row]), FW)
    with pytest.raises(DataError, match="round 2030"):
        policy_scores(monitoring([row]), FW, round=2030)


P_INDS = [i.id for i in FW.indicators if i.kind == "P"][:8]
INSTS = ["clinic_a", "clinic_b", "city_hall"]


@st.composite
def answers(draw):
    cells = draw(
        st.lists(
            st.tuples(
                st.sampled_from(INSTS),
                st.sampled_from(P_INDS),
                st.sampled_from(["none", "partial", "full"]),
            ),
            min_size=1,
            max_size=12,
            unique_by=lambda t: t[:2],
        )
    )
    return monitoring([(a, b, c, 2022) for a, b, c in cells])


def _area_table(mon: pd.DataFrame) -> pd.DataFrame:
    pol = policy_scores(mon, FW)
    city = pol[pol["institution"].isna()]
    return area_scores(dict(zip(city["indicator"], city["score"], strict=False)), FW)


@settings(max_examples=25, deadline=None)
@given(answers(), st.data())
def test_policy_scores_are_monotone_in_answers(mon, data):
    before = _area_table(mon)
    k = data.draw(st.integers(0, len(mon) - 1))
    up = {"none": "partial", "partial": "full", "full": "full"}
    better = mon.copy()
    better.loc[k, "answer"] = up[better.loc[k, "answer"]]
    after = _area_table(better)
    ok = before["score"].notna()
    assert (after.loc[ok, "score"] >= before.loc[ok, "score"] - 1e-9).all()
    assert ((before.loc[ok, "score"] >= 0) & (before.loc[ok, "score"] <= 100)).all()
    inst_before = institution_scores(policy_scores(mon, FW), FW)
    inst_after = institution_scores(policy_scores(better, FW), FW)
    assert (inst_after["score"].to_numpy() >= inst_before["score"].to_numpy() - 1e-9).all()


@settings(max_examples=20, deadline=None)
@given(answers(), st.randoms())
def test_policy_scores_do_not_depend_on_row_order(mon, rnd):
    order = list(range(len(mon)))
    rnd.shuffle(order)
    shuffled = mon.iloc[order].reset_index(drop=True)
    pd.testing.assert_frame_equal(policy_scores(mon, FW), policy_scores(shuffled, FW))


# --------------------------------------------------------------------------- A
def admin(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "institution_id", "round", "value"])


def test_admin_scores_by_hand():
    out = admin_scores(
        admin(
            [
                ("legal_aid_a_permit_days", "voivodeship_office", 2023, 212.5),  # 365 -> 60
                ("labour_a_work_permit_days", None, 2023, 30.0),  # city-wide figure
                ("education_a_assistants", "school_sp1", 2023, 3.0),  # 0 -> 3
                ("education_a_assistants", "school_sp2", 2023, 0.0),
            ]
        ),
        FW,
    )
    city = out[out["institution"].isna()].set_index("indicator")
    assert city.loc["legal_aid_a_permit_days", "score"] == pytest.approx(50.0)
    assert city.loc["legal_aid_a_permit_days", "value"] == 212.5
    assert city.loc["labour_a_work_permit_days", "score"] == 100.0
    # two institutions: mean of their scores, no summed value
    assert city.loc["education_a_assistants", "score"] == pytest.approx(50.0)
    assert np.isnan(city.loc["education_a_assistants", "value"])
    assert city.loc["education_a_assistants", "n_institutions"] == 2
    assert len(out) == 4 + 2
    with pytest.raises(DataError, match="health_p_interpreting.*administrative"):
        admin_scores(admin([("health_p_interpreting", None, 2023, 1.0)]), FW)


# --------------------------------------------------------------------------- areas / index
def test_area_and_index_scores_by_hand():
    scores = {
        "health_p_interpreting": 50.0,
        "health_p_info_languages": 100.0,
        "health_o_unmet_need": 60.0,
        "education_p_polish_support": 0.0,
    }
    t = area_scores(scores, FW).set_index("area")
    assert t.loc["health", "score"] == pytest.approx(70.0)
    assert t.loc["health", "policy_score"] == pytest.approx(75.0)
    assert t.loc["health", "outcome_score"] == pytest.approx(60.0)
    assert (t.loc["health", "n_P"], t.loc["health", "n_O"], t.loc["health", "n_A"]) == (2, 1, 0)
    assert t.loc["education", "score"] == 0.0
    assert np.isnan(t.loc["labour", "score"])
    geo = area_scores(scores, FW, method="geometric").set_index("area")
    assert geo.loc["health", "score"] == pytest.approx((51 * 101 * 61) ** (1 / 3) - 1)
    assert index_score(t.reset_index(), FW) == pytest.approx(35.0)  # (70 + 0) / 2
    assert index_score(
        {"health": 70.0, "education": 0.0}, FW, weights={"health": 3}
    ) == pytest.approx(52.5)


@pytest.mark.parametrize("weight, counted", [(0.0, False), (1e-9, True), (1.0, True)])
def test_zero_weight_indicators_are_not_counted(weight, counted):
    """Issue 9 item 6: an indicator weighted 0 takes no part in its area, so it is not
    counted in ``n_indicators`` (nor ``n_O``); the smallest positive weight is."""
    scores = {"health_p_interpreting": 50.0, "health_o_unmet_need": 100.0}
    t = area_scores(scores, FW, weights={"health_o_unmet_need": weight}).set_index("area")
    assert t.loc["health", "n_indicators"] == 1 + counted
    assert (t.loc["health", "n_P"], t.loc["health", "n_O"]) == (1, int(counted))
    if not counted:
        assert t.loc["health", "score"] == 50.0
    mon = pd.DataFrame(
        {
            "institution_id": ["clinic_a"] * 2,
            "indicator_id": ["health_p_interpreting", "health_p_info_languages"],
            "answer": ["none", "full"],
            "round": [2022, 2022],
        }
    )
    per = institution_scores(
        policy_scores(mon, FW), FW, weights={"health_p_info_languages": weight}
    )
    assert per["n_indicators"].tolist() == [1 + counted]
    w0 = FW.indicator("health_p_interpreting").weight
    assert per["score"].tolist() == [pytest.approx(100 * weight / (w0 + weight))]


def test_regrouped_view_counts_an_indicator_in_every_group():
    icc = FW.regroup("icc-14")
    scores = {i.id: 40.0 for i in FW.indicators_of("domestic_violence")}
    t = area_scores(scores, icc).set_index("area")
    assert t.loc["public_services", "score"] == 40.0 and t.loc["mediation", "score"] == 40.0
    m = area_matrix(icc, list(scores))
    assert (m.sum(axis=0) == 2).all()  # each in two ICC groups


# --------------------------------------------------------------------------- O
@pytest.fixture(scope="module")
def design():
    return ld.SurveyDesign.from_dataset(ld.load_dataset(DEMO))


def test_outcome_estimates_match_the_survey_engine(design):
    out = outcome_estimates(design, FW).set_index("indicator")
    assert len(out) == sum(i.kind == "O" for i in FW.indicators)
    # employed among 20-64: the domain estimated directly
    data = design.data
    ind = FW.indicator("labour_o_employed")
    y = ind.outcome(data).where(ind.universe_mask(data))
    direct = design._clone(_data=data.assign(_y=y)).proportion("_y", na_rm=True)
    row = out.loc["labour_o_employed"]
    assert row["value"] == pytest.approx(direct["estimate"].iloc[0])
    assert row["ci_low"] == pytest.approx(direct["ci_low"].iloc[0])
    assert row["n"] == int(y.notna().sum())
    # a mean: belonging 0-10
    mean = design.mean("belonging", na_rm=True)
    assert out.loc["culture_o_belonging", "value"] == pytest.approx(mean["estimate"].iloc[0])
    assert out.loc["culture_o_belonging", "statistic"] == "mean"


def test_outcome_scores_and_gaps_carry_intervals(design):
    out = outcome_estimates(design, FW).set_index("indicator")
    for ind_id, row in out.iterrows():
        gp = FW.indicator(ind_id).goalposts
        assert row["score"] == pytest.approx(normalise(row["value"], gp))
        assert row["score_ci_low"] <= row["score"] + 1e-9 <= row["score_ci_high"] + 2e-9
        ends = sorted([normalise(row["ci_low"], gp), normalise(row["ci_high"], gp)])
        assert (row["score_ci_low"], row["score_ci_high"]) == pytest.approx(ends)
    # lower is better: the upper value bound gives the lower score bound
    unmet = out.loc["health_o_unmet_need"]
    gp = FW.indicator("health_o_unmet_need").goalposts
    assert unmet["score_ci_low"] == pytest.approx(normalise(unmet["ci_high"], gp))
    ins = out.loc["health_o_insured"]
    assert ins["gap"] == pytest.approx(ins["value"] - 0.93)
    assert ins["gap_ci_low"] == pytest.approx(ins["ci_low"] - 0.93)
    assert ins["reference_illustrative"] is True


def test_outcome_hand_computed_on_a_tiny_design():
    df = pd.DataFrame(
        {"polish_friends": ["1", "0", "1", "-9", "0"], "w": [1.0, 2.0, 3.0, 4.0, 2.0]}
    )
    d = ld.SurveyDesign(df, weights="w")
    row = outcome_estimates(d, FW, indicators=["culture_o_polish_friends"]).iloc[0]
    assert row["value"] == pytest.approx(4 / 8)  # (1 + 3) / (1 + 2 + 3 + 2)
    assert row["n"] == 4
    assert row["score"] == pytest.approx(100 * (0.5 - 0.2) / 0.7)


def test_outcome_groups_partition_the_domain(design):
    out = outcome_estimates(design, FW, by=["sex", "citizenship"], indicators=["labour_o_employed"])
    total = outcome_estimates(design, FW, indicators=["labour_o_employed"])["n"].iloc[0]
    for _, part in out.groupby("by"):
        assert part["n"].sum() == total
    assert set(out.loc[out["by"] == "sex", "group"]) == {"F", "M"}
    # groups without anybody in the domain (65+ is outside 20-64) are left out
    ages = outcome_estimates(design, FW, by="age_group", indicators=["labour_o_employed"])
    assert "65+" not in set(ages["group"])


def test_outcome_errors_name_the_indicator(design):
    d = ld.SurveyDesign(pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(EstimationError, match="health_o_unmet_need"):
        outcome_estimates(d, FW, indicators=["health_o_unmet_need"])
    with pytest.raises(EstimationError, match="not outcome"):
        outcome_estimates(design, FW, indicators=["health_p_interpreting"])
    with pytest.raises(DomainError, match="nationality"):
        outcome_estimates(design, FW, by="nationality")


def test_outcome_arrays_give_the_replicate_formula(design):
    inds = [FW.indicator("labour_o_employed"), FW.indicator("culture_o_belonging")]
    y, d = outcome_arrays(design.data, inds)
    w = design.weights
    est = outcome_estimates(design, FW, indicators=[i.id for i in inds])["value"].to_numpy()
    np.testing.assert_allclose((w @ y) / (w @ d), est)
