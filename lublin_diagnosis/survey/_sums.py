"""Group sums: the one primitive every variance and weighting step is built on."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["rowsum"]


def rowsum(x: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the rows of ``x`` (n × p) within groups ``codes`` (0 .. n_groups-1).

    >>> rowsum(np.array([[1.0], [2.0], [3.0]]), np.array([0, 1, 0]), 2)
    array([[4.],
           [2.]])
    """
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        return np.bincount(codes, weights=x, minlength=n_groups)
    if x.shape[1] <= 8:
        out = np.empty((n_groups, x.shape[1]))
        for j in range(x.shape[1]):
            out[:, j] = np.bincount(codes, weights=x[:, j], minlength=n_groups)
        return out
    indicator = sp.csr_matrix(
        (np.ones(codes.size), (codes, np.arange(codes.size))), shape=(n_groups, codes.size)
    )
    return np.asarray(indicator @ x)
