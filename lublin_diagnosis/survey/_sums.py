"""Group sums: the one primitive every variance and weighting step is built on.

Survey files are usually sorted by cluster, and ``bincount`` over sorted codes is slow
(every addition waits for the previous one to the same group). The clusters of a design
are therefore registered once (:func:`register_runs`, called when a stage is built):
when their codes are sorted, :func:`rowsum` sums contiguous runs with ``reduceat``.
"""

from __future__ import annotations

import weakref

import numpy as np
import scipy.sparse as sp

__all__ = ["register_runs", "rowsum", "run_starts"]

# id(codes) -> (weak reference to codes, start of every group's run, or None if unsorted)
_RUNS: dict[int, tuple[weakref.ref, np.ndarray | None]] = {}
_MAX_RUNS = 64


def run_starts(codes: np.ndarray, n_groups: int) -> np.ndarray | None:
    """First row of each group when ``codes`` are sorted and every group ``0 .. n_groups-1``
    is present (so groups are contiguous runs), else ``None``.

    >>> run_starts(np.array([0, 0, 1, 2, 2]), 3).tolist()
    [0, 2, 3]
    >>> run_starts(np.array([0, 1, 0]), 2) is None
    True
    """
    if codes.size == 0 or n_groups == 0:
        return None
    if codes[0] != 0 or codes[-1] != n_groups - 1:
        return None
    step = np.diff(codes)
    if step.min(initial=0) < 0 or step.max(initial=0) > 1:
        return None
    starts = np.empty(n_groups, dtype=np.int64)
    starts[0] = 0
    starts[1:] = np.flatnonzero(step) + 1
    return starts


def register_runs(
    codes: np.ndarray, n_groups: int, starts: np.ndarray | None = None
) -> np.ndarray | None:
    """Remember whether ``codes`` (a read-only array that later sums reuse) run in sorted
    groups; returns :func:`run_starts` (computed unless a known ``starts`` is given, or
    ``codes`` are already registered).

    >>> c = np.array([0, 0, 1]); register_runs(c, 2).tolist()
    [0, 2]
    >>> rowsum(np.array([1.0, 2.0, 4.0]), c, 2).tolist()
    [3.0, 4.0]
    """
    hit = _RUNS.get(id(codes))
    if starts is None and hit is not None and hit[0]() is codes:
        known = hit[1]
        return known if known is None or known.size == n_groups else run_starts(codes, n_groups)
    if starts is None:
        starts = run_starts(codes, n_groups)
    if len(_RUNS) >= _MAX_RUNS:
        for key in [k for k, (ref, _) in _RUNS.items() if ref() is None]:
            del _RUNS[key]
        if len(_RUNS) >= _MAX_RUNS:
            _RUNS.pop(next(iter(_RUNS)))
    _RUNS[id(codes)] = (weakref.ref(codes), starts)
    return starts


def _known_starts(codes: np.ndarray, n_groups: int) -> np.ndarray | None:
    hit = _RUNS.get(id(codes))
    if hit is None or hit[0]() is not codes:
        return None
    starts = hit[1]
    return starts if starts is not None and starts.size == n_groups else None


def rowsum(x: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum the rows of ``x`` (n × p) within groups ``codes`` (0 .. n_groups-1).

    >>> rowsum(np.array([[1.0], [2.0], [3.0]]), np.array([0, 1, 0]), 2)
    array([[4.],
           [2.]])
    """
    x = np.asarray(x, dtype=float)
    starts = _known_starts(codes, n_groups)
    if starts is not None:
        return np.add.reduceat(x, starts, axis=0)
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
