"""Group sums: runs of sorted codes summed with reduceat agree with bincount."""

import numpy as np

from lublin_diagnosis.survey._sums import register_runs, rowsum, run_starts


def test_run_starts_only_for_sorted_codes_with_every_group():
    assert run_starts(np.array([0, 0, 1, 2, 2, 2]), 3).tolist() == [0, 2, 3]
    assert run_starts(np.array([0]), 1).tolist() == [0]
    assert run_starts(np.array([0, 1, 0]), 2) is None  # unsorted
    assert run_starts(np.array([0, 0, 2]), 3) is None  # group 1 absent
    assert run_starts(np.array([0, 0, 1]), 3) is None  # last group absent
    assert run_starts(np.array([], dtype=np.int64), 0) is None


def test_sums_over_registered_runs_equal_bincount():
    rng = np.random.default_rng(2)
    codes = np.sort(rng.integers(0, 40, 500))
    codes = np.unique(codes, return_inverse=True)[1].reshape(-1)  # every group present
    k = int(codes.max()) + 1
    x = rng.normal(size=(500, 3))
    expected = np.column_stack([np.bincount(codes, weights=x[:, j], minlength=k) for j in range(3)])
    unregistered = codes.copy()
    assert register_runs(codes, k) is not None
    np.testing.assert_allclose(rowsum(x, codes, k), expected, rtol=1e-13)
    np.testing.assert_allclose(rowsum(x[:, 0], codes, k), expected[:, 0], rtol=1e-13)
    np.testing.assert_allclose(rowsum(x, unregistered, k), expected, rtol=1e-13)
    # a registered array asked for a different number of groups is summed by bincount
    np.testing.assert_allclose(rowsum(x[:, 0], codes, k + 2)[:k], expected[:, 0], rtol=1e-13)
