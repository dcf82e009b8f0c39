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

import numpy as np
import scipy.sparse as sp

from lublin_diagnosis.survey._sums import rowsum

__all__ = ["CorrectedInfluence", "DenseInfluence", "PartitionInfluence", "group_cell_matrix"]


def group_cell_matrix(
    codes: np.ndarray, n_groups: int, cell: np.ndarray, n_cells: int, values: np.ndarray
) -> sp.csr_matrix:
    """Sparse (n_groups × n_cells) matrix of the sums of ``values`` over (group, cell) pairs."""
    return sp.csr_matrix((values, (codes, cell)), shape=(n_groups, n_cells))


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


class PartitionInfluence:
    """Row ``i`` contributes ``values[i, j]`` to column ``group[i] * q + j`` only.

    Rows with ``group < 0`` contribute nothing.
    """

    def __init__(self, values: np.ndarray, group: np.ndarray, n_domains: int):
        values = np.asarray(values, dtype=float)
        self.values = values[:, None] if values.ndim == 1 else values
        self.group = group
        self.n_domains = n_domains
        self.q = self.values.shape[1]
        self.p = n_domains * self.q
        self._inside = group >= 0
        self._all_inside = bool(self._inside.all())

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray:
        d = self.n_domains
        if self._all_inside:
            key = codes if d == 1 else codes * d + self.group
            values = self.values if scale is None else self.values * scale[:, None]
        else:
            inside = self._inside
            key = codes[inside] * d + self.group[inside]
            values = (self.values if scale is None else self.values * scale[:, None])[inside]
        out = np.empty((n_groups, d, self.q))
        for j in range(self.q):
            out[:, :, j] = np.bincount(key, weights=values[:, j], minlength=n_groups * d).reshape(
                n_groups, d
            )
        return out.reshape(n_groups, self.p)

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
        return x


@dataclass
class CorrectedInfluence:
    """``base - sum_c rowweight_c ⊙ C_c[cell_c]``: an influence after calibration.

    Each correction is ``(rowweight (n,), cell (n,), n_cells, C (n_cells × p))``.
    """

    base: object
    corrections: list = field(default_factory=list)

    @property
    def p(self) -> int:
        return self.base.p

    def totals(
        self, codes: np.ndarray, n_groups: int, scale: np.ndarray | None = None
    ) -> np.ndarray:
        out = self.base.totals(codes, n_groups, scale)
        for rowweight, cell, n_cells, coef in self.corrections:
            rw = rowweight if scale is None else rowweight * scale
            if n_cells == 1:
                out = out - np.bincount(codes, weights=rw, minlength=n_groups)[:, None] * coef[0]
            else:
                out = out - np.asarray(group_cell_matrix(codes, n_groups, cell, n_cells, rw) @ coef)
        return out

    def dense(self) -> np.ndarray:
        x = self.base.dense().copy()
        for rowweight, cell, _, coef in self.corrections:
            x -= rowweight[:, None] * coef[cell]
        return x


def as_corrected(influence) -> CorrectedInfluence:
    if isinstance(influence, CorrectedInfluence):
        return CorrectedInfluence(influence.base, list(influence.corrections))
    return CorrectedInfluence(influence, [])
