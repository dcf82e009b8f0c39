"""The scorecard cache takes the run's lonely-PSU policy (part of its key)."""

from types import SimpleNamespace

import pandas as pd
import pytest

from lublin_diagnosis.data.validation import load_dataset
from lublin_diagnosis.exceptions import DesignError
from lublin_diagnosis.pipeline.cache import scorecard_tables
from support import DEMO

NAMES = ("indicators", "areas", "index", "institutions", "disparities", "changes")


def test_lonely_psu_policy_reaches_the_design_and_the_cache_key(tmp_path, monkeypatch):
    dataset = load_dataset(DEMO)
    built = []

    def fake_build(dataset, framework, **kw):  # records the design it was given
        built.append(kw.get("design"))
        frame = pd.DataFrame({"n": [len(built)]})
        return SimpleNamespace(tables=lambda: dict.fromkeys(NAMES, frame), settings={})

    monkeypatch.setattr("lublin_diagnosis.indicators.scorecard.build_scorecard", fake_build)
    plain = scorecard_tables(dataset, replicates=4, seed=1, cache_dir=tmp_path)
    adjust = scorecard_tables(
        dataset, replicates=4, seed=1, cache_dir=tmp_path, lonely_psu="adjust"
    )
    again = scorecard_tables(dataset, replicates=4, seed=1, cache_dir=tmp_path, lonely_psu="adjust")
    assert len(list(tmp_path.glob("scorecard-*.pkl"))) == 2  # one entry per policy
    assert len(built) == 2 and built[0] is None  # the third call read the cache
    assert built[1]._lonely_psu == "adjust"  # the design built with the policy
    assert plain.areas["n"].tolist() == [1] and adjust.areas.equals(again.areas)
    with pytest.raises(DesignError, match="lonely_psu must be one of"):
        scorecard_tables(dataset, replicates=4, seed=1, lonely_psu="ignore")
