"""The aggregate views of the data-check and weighting pages publish no small count and no
full-precision design-weighted total."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.disclosure import DisclosureRules, weight_step
from lublin_diagnosis.report import overview
from support import DEMO


def _dataset(missing: int, n: int = 100) -> SimpleNamespace:
    codebook = SimpleNamespace(by_role=lambda role: ["x"], label=lambda v, lang: "X")
    return SimpleNamespace(
        codebook=codebook,
        survey=pd.DataFrame({"x": [1.0] * (n - missing) + [None] * missing}),
    )


@pytest.mark.parametrize(
    ("missing", "hidden"), [(0, False), (1, True), (9, True), (10, False), (90, False), (91, True)]
)
def test_item_response_never_publishes_a_count_under_min_n(missing, hidden):
    row = overview.item_response(_dataset(missing), "en", rules=DisclosureRules()).iloc[0]
    assert bool(row["suppressed"]) == hidden
    if hidden:
        assert pd.isna(row["answered"]) and pd.isna(row["missing"])
        assert np.isnan(row["missing_share"]) and row["flags"] == "suppressed"
    else:
        assert row["missing"] == missing and row["answered"] == 100 - missing
        assert row["missing_share"] == pytest.approx(missing / 100)


def test_item_response_follows_the_run_rules():
    row = overview.item_response(_dataset(12), "en", rules=DisclosureRules(min_n=15)).iloc[0]
    assert row["suppressed"]


def test_weight_step():
    assert weight_step(61_800, 1200, 10) == 1000.0  # 10 x mean weight 51.5
    assert weight_step(61_800, 1200, 5) == 500.0  # 257.5 -> 500
    assert weight_step(2_000, 1000, 10) == 20.0
    assert weight_step(0, 10, 10) == 1.0


def test_margin_table_rounds_the_design_weighted_totals():
    dataset = ld.load_dataset(DEMO)
    diagnostics = ld.SurveyDesign.from_dataset(dataset).diagnostics()
    rules = DisclosureRules()
    margins = overview.margin_table(diagnostics, dataset.codebook, "en", rules=rules)
    population = margins.groupby("variable")["target"].sum().max()
    step = weight_step(population, int(diagnostics.summary["n"].iloc[0]), rules.min_n)
    assert step >= rules.min_n * population / len(dataset.survey)
    assert (margins["base"] % step == 0).all()
    raw = diagnostics.margins
    raw = raw[raw["adjustment"] == raw["adjustment"].iloc[-1]]
    assert (np.abs(margins["base"].to_numpy() - raw["base"].to_numpy()) <= step / 2).all()
    assert (margins["target"].to_numpy() == raw["target"].to_numpy()).all()
