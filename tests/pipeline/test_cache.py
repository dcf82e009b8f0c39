"""The scorecard cache takes the run's lonely-PSU policy (part of its key)."""

import pandas as pd
import pytest

from lublin_diagnosis.data.validation import load_dataset
from lublin_diagnosis.exceptions import DesignError
from lublin_diagnosis.pipeline.cache import scorecard_tables
from support import DEMO


def test_lonely_psu_policy_reaches_the_design_and_the_cache_key(tmp_path):
    dataset = load_dataset(DEMO)
    plain = scorecard_tables(dataset, replicates=4, seed=1, cache_dir=tmp_path)
    adjust = scorecard_tables(
        dataset, replicates=4, seed=1, cache_dir=tmp_path, lonely_psu="adjust"
    )
    assert len(list(tmp_path.glob("scorecard-*.pkl"))) == 2  # one entry per policy
    # the demo has no stratum with one PSU: the policy changes no number
    pd.testing.assert_frame_equal(plain.areas, adjust.areas)
    with pytest.raises(DesignError, match="lonely_psu must be one of"):
        scorecard_tables(dataset, replicates=4, seed=1, lonely_psu="ignore")
