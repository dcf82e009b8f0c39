"""Change between rounds: P and A by hand, O between two independent survey designs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import lublin_diagnosis as ld
from lublin_diagnosis.disclosure import DisclosureRules, protect_estimates
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.indicators.change import (
    CHANGE_COLUMNS,
    admin_changes,
    compare_designs,
    outcome_changes,
    policy_changes,
)
from lublin_diagnosis.indicators.scorecard import build_scorecard
from lublin_diagnosis.indicators.scoring import outcome_estimates
from support import DEMO

FW = load_framework()


def test_policy_changes_by_hand():
    mon = pd.DataFrame(
        {
            "institution_id": ["clinic_a", "clinic_b", "nfz", "clinic_a", "clinic_b"],
            "indicator_id": ["health_p_interpreting"] * 2
            + ["health_p_info_languages"]
            + ["health_p_interpreting"] * 2,
            "answer": ["none", "partial", "full", "full", "partial"],
            "round": [2022, 2022, 2022, 2023, 2023],
        }
    )
    out = policy_changes(mon, FW, baseline=2022, follow_up=2023)
    assert list(out.columns) == CHANGE_COLUMNS
    rows = out.set_index("institution", drop=False)
    assert rows.loc["clinic_a", "change"] == 100.0 and rows.loc["clinic_b", "change"] == 0.0
    city = out[out["institution"].isna()].iloc[0]
    assert (city["baseline"], city["follow_up"], city["change"]) == (25.0, 75.0, 50.0)
    assert city["n_institutions"] == 2
    # nfz answered only in 2022: not matched, no row
    assert "health_p_info_languages" not in set(out["indicator"])


def test_admin_changes_by_hand():
    adm = pd.DataFrame(
        {
            "indicator_id": ["legal_aid_a_permit_days"] * 2,
            "institution_id": ["voivodeship_office"] * 2,
            "round": [2022, 2023],
            "value": [365.0, 212.5],
        }
    )
    out = admin_changes(adm, FW, baseline=2022, follow_up=2023)
    assert out["change"].tolist() == [-152.5, -152.5]
    assert out["score_change"].tolist() == [50.0, 50.0]
    assert out["institution"].tolist() == ["voivodeship_office", None]


def estimates(value, se, df, n=400, **extra):
    return pd.DataFrame(
        {
            "area": ["labour"],
            "indicator": ["labour_o_employed"],
            "value": [value],
            "se": [se],
            "df": [df],
            "n": [n],
            "score": [FW.indicator("labour_o_employed").score(value)],
            **extra,
        }
    )


def test_outcome_change_by_hand_z_and_t():
    z = outcome_changes(estimates(0.60, 0.03, np.inf), estimates(0.66, 0.04, np.inf)).iloc[0]
    assert z["change"] == pytest.approx(0.06) and z["se"] == pytest.approx(0.05)
    assert z["statistic"] == pytest.approx(1.2) and np.isinf(z["df"])
    assert z["p_value"] == pytest.approx(2 * stats.norm.sf(1.2))
    assert z["ci_low"] == pytest.approx(0.06 - 1.959964 * 0.05, abs=1e-6)
    t = outcome_changes(estimates(0.60, 0.03, 20), estimates(0.66, 0.04, 40)).iloc[0]
    df = 0.05**4 / (0.03**4 / 20 + 0.04**4 / 40)  # Satterthwaite
    assert t["df"] == pytest.approx(df)
    assert t["p_value"] == pytest.approx(2 * stats.t.sf(1.2, df))
    assert t["score_change"] == pytest.approx(
        FW.indicator("labour_o_employed").score(0.66)
        - FW.indicator("labour_o_employed").score(0.60)
    )


def test_suppressed_estimates_suppress_the_change():
    rules = DisclosureRules()
    b = protect_estimates(estimates(0.60, 0.03, 20, n=5), rules)
    f = protect_estimates(estimates(0.66, 0.04, 40, n=25), rules)
    row = outcome_changes(b, f).iloc[0]
    assert row["suppressed"] and row["flags"] == "suppressed"
    assert np.isnan(row["change"]) and np.isnan(row["follow_up"])
    ok = outcome_changes(protect_estimates(estimates(0.6, 0.03, 20), rules), f).iloc[0]
    assert not ok["suppressed"] and ok["flags"] == "low_base" and ok["low_reliability"]


@pytest.fixture(scope="module")
def two_rounds():
    """Two synthetic survey rounds: the demo, and a follow-up in which a random third of
    the respondents not employed found work (independent bootstrap of the PSUs)."""
    ds = ld.load_dataset(DEMO)
    d1 = ld.SurveyDesign.from_dataset(ds)
    rng = np.random.default_rng(11)
    survey = ds.survey.copy()
    psus = survey["psu"].unique()
    keep = survey["psu"].isin(rng.choice(psus, size=len(psus) - 6, replace=False))
    survey = survey[keep].reset_index(drop=True)
    employed = survey["employed"].astype(object)
    flip = (employed == "0") & (rng.random(len(survey)) < 1 / 3)
    survey["employed"] = pd.Categorical(
        employed.where(~flip, "1"), categories=ds.survey["employed"].cat.categories
    )
    d2 = ld.SurveyDesign(survey, ids="psu", strata="stratum", weights="base_weight").rake(
        ds.margins_dict()
    )
    return ds, d1, d2


def test_compare_two_designs(two_rounds):
    ds, d1, d2 = two_rounds
    out = compare_designs(d1, d2, FW, baseline_round=2022, follow_up_round=2023)
    e1 = outcome_estimates(d1, FW).set_index("indicator")
    e2 = outcome_estimates(d2, FW).set_index("indicator")
    rows = out.set_index("indicator")
    assert len(rows) == 30 and (rows["kind"] == "O").all()
    np.testing.assert_allclose(rows["change"], e2["value"] - e1["value"])
    np.testing.assert_allclose(rows["se"], np.hypot(e1["se"], e2["se"]))
    emp = rows.loc["labour_o_employed"]
    assert emp["change"] > 0.1 and emp["p_value"] < 0.001
    assert emp["ci_low"] > 0
    # an unchanged item: no significant change expected
    assert rows.loc["culture_o_belonging", "p_value"] > 0.001
    same = compare_designs(d1, d1, FW)
    assert np.allclose(same["change"], 0) and np.allclose(same["statistic"], 0)


def test_scorecard_adds_outcome_changes_only_with_a_second_round(two_rounds):
    ds, d1, d2 = two_rounds
    card = build_scorecard(ds, design=d2, previous_design=d1, replicates=10, disparity_by=())
    o = card.changes[card.changes["kind"] == "O"]
    assert len(o) == 30
    assert (o["baseline_round"] == 2022).all() and (o["follow_up_round"] == 2023).all()
    assert set(card.changes["kind"]) == {"P", "A", "O"}
    assert card.settings["outcome_changes"] is True
