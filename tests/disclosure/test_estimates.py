"""Boundaries of the estimate rules: each threshold tested on both sides.

Mutation-checked: ``base < min_n`` -> ``<=`` / ``< min_n - 1``, ``base < low_n`` -> ``<=``,
``cv > max_cv`` -> ``>=``, and dropping the infinite-CV clause each fail a test here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.disclosure import DisclosureRules, protect_estimates

RULES = DisclosureRules(min_n=10, low_n=30, max_cv=0.25)


def one(n: int, value: float = 0.5, se: float = 0.01) -> pd.Series:
    table = pd.DataFrame({"value": [value], "se": [se], "n": [n]})
    return protect_estimates(table, RULES).iloc[0]


def test_a_base_of_min_n_is_published_and_min_n_minus_one_is_not():
    at = one(RULES.min_n)
    assert not at["suppressed"] and at["value"] == 0.5 and at["n"] == RULES.min_n
    below = one(RULES.min_n - 1)
    assert below["suppressed"] and np.isnan(below["value"]) and pd.isna(below["n"])
    assert below["flags"] == "suppressed"


def test_low_base_is_under_low_n_not_at_it():
    assert one(RULES.low_n)["flags"] == ""
    below = one(RULES.low_n - 1)
    assert below["flags"] == "low_base" and below["low_reliability"]
    assert not below["suppressed"]


def test_cv_at_max_cv_is_not_flagged_and_above_it_is():
    assert one(100, value=1.0, se=0.25)["flags"] == ""  # cv == max_cv exactly
    above = one(100, value=1.0, se=0.2501)
    assert above["flags"] == "high_cv" and above["low_reliability"]


@pytest.mark.parametrize("value", [0.0, -0.0])
def test_an_estimate_of_zero_with_a_positive_se_is_flagged(value):
    row = one(100, value=value, se=0.01)
    assert np.isinf(row["cv"]) and row["flags"] == "high_cv" and row["low_reliability"]


def test_an_estimate_of_zero_with_no_uncertainty_is_not_flagged():
    row = one(100, value=0.0, se=0.0)
    assert row["cv"] == 0.0 and row["flags"] == ""


def test_rules_boundaries():
    assert DisclosureRules(min_n=10, low_n=10).low_n == 10  # low_n may equal min_n
    with pytest.raises(ValueError, match="low_n"):
        DisclosureRules(min_n=10, low_n=9)
    with pytest.raises(ValueError, match="min_n"):
        DisclosureRules(min_n=0)


def test_round_bases_floors_to_the_step_and_never_under_min_n():
    from lublin_diagnosis.disclosure import round_bases

    t = pd.DataFrame(
        {
            "n": pd.array([10, 14, 15, 29, 30, 766, None, 0], dtype="Int64"),
            "n_baseline": [12, 40, 41, 99, 100, 101, 10, 11],
        }
    )
    out = round_bases(t, DisclosureRules(min_n=10, low_n=30))
    assert out["n"].tolist() == [10, 10, 15, 25, 30, 765, pd.NA, 0]
    assert out["n_baseline"].tolist() == [10, 40, 40, 95, 100, 100, 10, 10]
    twelve = round_bases(pd.DataFrame({"n": [12, 14, 15]}), DisclosureRules(min_n=12, low_n=30))
    assert twelve["n"].tolist() == [12, 12, 15]
    with pytest.raises(ValueError, match="step"):
        round_bases(t, step=0)
