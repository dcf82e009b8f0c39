"""Influence values in structured form, so variances never build an n × p matrix.

The Taylor variance of an estimator only needs the *cluster totals* of its weighted
influence values at each sampling stage. This module represents influence values so that
those totals are computed directly:

- :class:`DenseInfluence`: an explicit (n × p) matrix;
- :class:`PartitionInfluence`: domain estimates, where row ``i`` contributes only to the
  columns of its domain ``group[i]``: an (n × q) matrix of values plus a group code, read
  as the (n × D·q) matrix ``X[i, group[i]·q + j] = values[i, j]``;
- :class:`CorrectedInfluence`: a base influence minus low-rank corrections
  ``rowweight ⊙ C[cell]``, which is what every calibration residual (post-stratification,
  raking, GREG) turns into.

``totals(codes, n_groups, scale=None)`` returns the (n_groups × p) sums of
``scale[i] * X[i, :]`` over the groups ``codes``; everything is a few ``bincount`` passes
and sparse products.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from lublin_diagnosis.survey._sums import rowsum

__all__ = [
    "CorrectedInfluence",
    "DenseInfluence",
    "GroupCellCache",
    "Influence",
    "PartitionInfluence",
    "all_in_domains",
    "group_cell_matrix",
]


class Influence(Protocol):
    """What the variance needs of influence values: their width and group totals."""

    p: int

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray: ...

    def dense(self) -> np.ndarray: ...


def group_cell_matrix(
    codes: np.ndarray, n_groups: int, cell: np.ndarray, n_cells: int, values: np.ndarray
) -> sp.csr_matrix:
    """Sparse (n_groups × n_cells) matrix of the sums of ``values`` over (group, cell) pairs."""
    return sp.csr_matrix((values, (codes, cell)), shape=(n_groups, n_cells))


class GroupCellCache:
    """The (group × cell) matrices of one fixed row weight, kept per grouping.

    A calibration's correction always weights the rows by the same vector, and the
    variance always groups them by the same stage clusters: the sparse matrix is built
    once per design and stage and reused by every later estimate.

    >>> cache = GroupCellCache()
    >>> codes, cell = np.array([0, 0, 1]), np.array([1, 0, 1])
    >>> m = cache.matrix(codes, 2, cell, 2, np.array([1.0, 2.0, 3.0]))
    >>> m.toarray().tolist(), cache.matrix(codes, 2, cell, 2, np.ones(3)) is m
    ([[2.0, 1.0], [0.0, 3.0]], True)
    """

    def __init__(self) -> None:
        self._store: dict[tuple[int, int], tuple[np.ndarray, sp.csr_matrix]] = {}

    def matrix(
        self, codes: np.ndarray, n_groups: int, cell: np.ndarray, n_cells: int, values: np.ndarray
    ) -> sp.csr_matrix:
        """The matrix of ``values`` (the same for every call on one cache) over groups."""
        hit = self._store.get((id(codes), n_groups))
        if hit is not None and hit[0] is codes:
            return hit[1]
        m = group_cell_matrix(codes, n_groups, cell, n_cells, values)
        if len(self._store) < 8:
            self._store[(id(codes), n_groups)] = (codes, m)  # holds codes: its id stays valid
        return m


class DenseInfluence:
    """An explicit (n × p) matrix of influence values."""

    def __init__(self, x: np.ndarray):
        x = np.asarray(x, dtype=float)
        self.x = x[:, None] if x.ndim == 1 else x
        self.p = self.x.shape[1]

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray:
        x = self.x if scale is None else self.x * scale[:, None]
        return rowsum(x, codes, n_groups)

    def dense(self) -> np.ndarray:
        return self.x

    def row_counts(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """(n_groups × p) number of rows of each group that enter each column."""
        counts = np.bincount(codes, minlength=n_groups).astype(float)
        return np.repeat(counts[:, None], self.p, axis=1)


def all_in_domains(group: np.ndarray) -> bool:
    """Whether every row has a domain (``group >= 0``); a constant (zero-stride) group is
    read from its one value.

    >>> all_in_domains(np.broadcast_to(np.int64(0), (5,))), all_in_domains(np.array([0, -1]))
    (True, False)
    """
    if group.ndim == 1 and group.size and group.strides[0] == 0:
        return bool(group[0] >= 0)
    return bool(group.min(initial=0) >= 0)


class PartitionInfluence:
    """Row ``i`` contributes ``values[i, j] * col_scale[group[i] * q + j]`` to column
    ``group[i] * q + j`` only.

    Rows with ``group < 0`` contribute nothing. ``col_scale`` (one factor per column,
    default 1) lets a ratio's ``1 / denominator`` be applied to the (few) group totals
    instead of to every row.
    """

    def __init__(
        self,
        values: np.ndarray,
        group: np.ndarray,
        n_domains: int,
        col_scale: np.ndarray | None = None,
    ):
        values = np.asarray(values, dtype=float)
        self.values = values[:, None] if values.ndim == 1 else values
        self.group = group
        self.n_domains = n_domains
        self.q = self.values.shape[1]
        self.p = n_domains * self.q
        self.col_scale = None if col_scale is None else np.asarray(col_scale, dtype=float)
        self._all_inside = all_in_domains(group)

    @property
    def _inside(self) -> np.ndarray:
        return self.group >= 0

    def _scaled(self, out: np.ndarray) -> np.ndarray:
        """``out`` (a new array of group totals) times the column scale, in place."""
        if self.col_scale is not None:
            out *= self.col_scale
        return out

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray:
        d = self.n_domains
        if self._all_inside and d == 1:  # plain cluster sums (runs when clusters are sorted)
            return self._scaled(
                rowsum(
                    self.values if scale is None else self.values * scale[:, None],
                    codes,
                    n_groups,
                )
            )
        if self._all_inside:
            key = codes * d + self.group
            values = self.values if scale is None else self.values * scale[:, None]
        else:
            inside = self._inside
            key = codes[inside] * d + self.group[inside]
            values = (self.values if scale is None else self.values * scale[:, None])[inside]
        if self.q == 1:
            sums = np.bincount(key, weights=values[:, 0], minlength=n_groups * d)
            return self._scaled(sums.reshape(n_groups, d))
        out = np.empty((n_groups, d, self.q))
        for j in range(self.q):
            out[:, :, j] = np.bincount(key, weights=values[:, j], minlength=n_groups * d).reshape(
                n_groups, d
            )
        return self._scaled(out.reshape(n_groups, self.p))

    def row_counts(self, codes: np.ndarray, n_groups: int) -> np.ndarray:
        """(n_groups × p) number of rows of each group in each column's domain."""
        d = self.n_domains
        inside = self._inside
        key = codes[inside] * d + self.group[inside]
        counts = np.bincount(key, minlength=n_groups * d).reshape(n_groups, d).astype(float)
        return np.repeat(counts, self.q, axis=1)

    def dense(self) -> np.ndarray:
        x = np.zeros((self.group.size, self.p))
        rows = np.flatnonzero(self._inside)
        for j in range(self.q):
            x[rows, self.group[rows] * self.q + j] = self.values[rows, j]
        return self._scaled(x)


@dataclass
class CorrectedInfluence:
    """``base - sum_c rowweight_c ⊙ C_c[cell_c]``: an influence after calibration.

    Each correction is ``(rowweight (n,), cell (n,), n_cells, C (n_cells × p))``,
    optionally followed by the :class:`GroupCellCache` of its row weight.
    """

    base: Influence
    corrections: list = field(default_factory=list)

    @property
    def p(self) -> int:
        return self.base.p

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray:
        out = self.base.totals(codes, n_groups, scale)
        for rowweight, cell, n_cells, coef, *cache in self.corrections:
            rw = rowweight if scale is None else rowweight * scale
            if n_cells == 1:
                out = out - np.bincount(codes, weights=rw, minlength=n_groups)[:, None] * coef[0]
                continue
            if cache and scale is None:
                m = cache[0].matrix(codes, n_groups, cell, n_cells, rw)
            else:
                m = group_cell_matrix(codes, n_groups, cell, n_cells, rw)
            out = out - np.asarray(m @ coef)
        return out

    def dense(self) -> np.ndarray:
        x = self.base.dense().copy()
        for rowweight, cell, _, coef, *_cache in self.corrections:
            x -= rowweight[:, None] * coef[cell]
        return x


def as_corrected(influence: Influence) -> CorrectedInfluence:
    if isinstance(influence, CorrectedInfluence):
        return CorrectedInfluence(influence.base, list(influence.corrections))
    return CorrectedInfluence(influence, [])
