"""Trends over rounds and the peer comparison."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.data.validation import load_dataset
from lublin_diagnosis.indicators import trends
from support import DEMO


def _answers(rows):
    return pd.DataFrame(rows, columns=["institution_id", "indicator_id", "answer", "round"])


def test_policy_trends_every_round_and_matched_pairs():
    mon = _answers(
        [
            ("a", "health_p_interpreting", "none", 2011),
            ("a", "health_p_interpreting", "partial", 2022),
            ("b", "health_p_interpreting", "full", 2022),
            ("a", "health_p_interpreting", "full", 2023),
            ("b", "health_p_interpreting", "full", 2023),
        ]
    )
    rounds = pd.DataFrame({"round": [2011, 2022, 2023], "retrospective": [True, False, False]})
    every = trends.policy_trends(mon, rounds=rounds)
    health = every[every["area"] == "health"]
    assert health["score"].tolist() == [0.0, 75.0, 100.0]
    assert health["n_institutions"].tolist() == [1, 2, 2]
    assert health["retrospective"].tolist() == [True, False, False]
    matched = trends.policy_trends(mon, rounds=rounds, matched=True)
    assert matched[matched["area"] == "health"]["score"].tolist() == [0.0, 50.0, 100.0]


def test_round_table_without_rounds_file():
    ds = SimpleNamespace(
        rounds=None,
        monitoring=pd.DataFrame({"round": [2022, 2023]}),
        monitoring_history=pd.DataFrame({"round": [2011]}),
        survey_history=pd.DataFrame({"round": [2019]}),
    )
    table = trends.round_table(ds)
    assert table[["kind", "round"]].values.tolist() == [
        ["monitoring", 2011],
        ["monitoring", 2022],
        ["monitoring", 2023],
        ["survey", 2019],
        ["survey", 2023],
    ]
    assert not table["retrospective"].any()


def test_peer_comparison_ranks_and_latest_round():
    peers = pd.DataFrame(
        {
            "city": ["gdansk", "gdansk", "wroclaw"],
            "area": ["health", "health", "health"],
            "round": [2020, 2023, 2023],
            "score": [90.0, 60.0, 40.0],
            "status": ["synthetic"] * 3,
        }
    )
    table = trends.peer_comparison({"health": 40.0}, peers)
    health = table[table["area"] == "health"].set_index("city")
    assert health["score"].to_dict() == {"lublin": 40.0, "gdansk": 60.0, "wroclaw": 40.0}
    assert health["rank"].tolist() == [2, 1, 2]  # ties share the best rank
    assert np.isnan(table[(table["area"] == "education")]["score"].iloc[0])


@pytest.fixture(scope="module")
def demo():
    return load_dataset(DEMO)


def test_demo_trends_three_monitoring_rounds_retrospective_first(demo):
    rounds = trends.round_table(demo)
    table = trends.policy_trends(trends.all_monitoring(demo), rounds=rounds, matched=True)
    assert sorted(table["round"].unique()) == [2011, 2022, 2023]
    assert set(table.loc[table["retrospective"], "round"]) == {2011}


def test_demo_survey_changes_use_independent_samples(demo):
    designs = trends.survey_designs(demo)
    assert list(designs) == [2022, 2023]
    assert [d.n for d in designs.values()] == [800, 1200]
    estimates, changes = trends.outcome_trends(designs)
    row = changes[changes["indicator"] == "information_o_knows_source"].iloc[0]
    before = estimates[(estimates["round"] == 2022) & (estimates["indicator"] == row["indicator"])]
    after = estimates[(estimates["round"] == 2023) & (estimates["indicator"] == row["indicator"])]
    assert row["change"] == pytest.approx(after["value"].iloc[0] - before["value"].iloc[0])
    assert row["se"] == pytest.approx(np.hypot(before["se"].iloc[0], after["se"].iloc[0]))
    assert row["baseline_round"] == 2022 and row["follow_up_round"] == 2023
    # the earlier round was drawn with fewer people knowing where to find information
    assert row["change"] > 0 and row["p_value"] < 0.05
