"""Multistage Taylor variance from PSU totals; stages must be consistent."""

import numpy as np
import pytest

from lublin_diagnosis.survey._errors import DesignError
from lublin_diagnosis.survey._variance import Stage, multistage_variance


def _stage(n_psu):
    cluster = np.array([0, 0, 1, 2, 3, 3])
    strata = np.array([0, 0, 0, 1, 1, 1])
    return Stage(cluster, strata, np.asarray(n_psu, dtype=float), None, ("a", "b"))


def test_variance_is_the_stratified_between_psu_formula():
    x = np.array([1.0, 2.0, 4.0, 3.0, 5.0, 6.0])
    v = multistage_variance(x, [_stage([2, 2, 2, 2, 2, 2])])[0, 0]
    # PSU totals 3, 4 (stratum a) and 3, 11 (stratum b): n/(n-1) * sum of squared deviations
    assert v == pytest.approx(2 * (0.5**2 * 2) + 2 * (4.0**2 * 2))


def test_a_stage_whose_psu_counts_disagree_with_its_clusters_is_refused():
    with pytest.raises(DesignError, match="n_psu"):
        multistage_variance(np.ones(6), [_stage([3, 3, 3, 2, 2, 2])])
