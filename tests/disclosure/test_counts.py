"""Boundaries of the count rules: each threshold tested on both sides.

Mutation-checked: ``count < min_n`` -> ``<=``, ``count >= 1`` -> ``>= 0`` and
``count < low_n`` -> ``<=`` in ``protect_counts`` each fail a test here.
"""

from __future__ import annotations

import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, protect_counts

RULES = DisclosureRules(min_n=10, low_n=30)


def published(count: int) -> pd.Series:
    """The published row of the cell ``count`` in a table without totals."""
    s = pd.Series({"a": count, "b": 500}).rename_axis("g")
    out = protect_counts(s, RULES, margins=False)
    return out.set_index("g").loc["a"]


def test_a_count_of_min_n_is_published_and_min_n_minus_one_is_not():
    at = published(RULES.min_n)
    assert not at["suppressed"] and at["count"] == RULES.min_n
    below = published(RULES.min_n - 1)
    assert below["suppressed"] and pd.isna(below["count"]) and below["flags"] == "suppressed"


def test_a_zero_count_is_published():
    zero = published(0)
    assert not zero["suppressed"] and zero["count"] == 0 and zero["flags"] == ""


def test_low_base_is_under_low_n_not_at_it():
    assert published(RULES.low_n)["flags"] == ""
    below = published(RULES.low_n - 1)
    assert below["flags"] == "low_base" and below["low_reliability"]


def test_with_totals_the_threshold_holds_too():
    s = pd.Series({"a": RULES.min_n, "b": 500, "c": 300}).rename_axis("g")
    assert not protect_counts(s, RULES)["suppressed"].any()
    s["a"] = RULES.min_n - 1
    out = protect_counts(s, RULES).set_index("g")
    assert out.loc["a", "flags"] == "suppressed"
    assert int(out["suppressed"].sum()) == 2  # and one complement
