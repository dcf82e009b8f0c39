"""Replicate weights: jackknife (JK1, JKn), BRR, Fay's BRR, and the bootstrap.

A replicate design carries, besides the full-sample weights, ``R`` columns of replicate
weights. An estimate is recomputed with every column and its variance is

``scale * sum_r rscales[r] * (theta_r - centre)^2``

where the centre is the mean of the replicates (or, with ``mse=True``, the full-sample
estimate), as in R's ``survey::svrVar``.

Replicate factors are generated per PSU and expanded to rows, so building 200 bootstrap
replicates of a million rows costs one gather, not 200 passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from lublin_diagnosis.survey._errors import DesignError, LonelyPSUError
from lublin_diagnosis.survey._sums import register_runs, rowsum

__all__ = [
    "REPLICATE_TYPES",
    "FactoredReplicates",
    "ReplicateWeights",
    "bootstrap_factors",
    "brr_factors",
    "hadamard",
    "jk1_factors",
    "jkn_factors",
    "qr_rank",
    "subbootstrap_factors",
]

REPLICATE_TYPES = ("JK1", "JKn", "BRR", "Fay", "bootstrap", "subbootstrap", "other")


class _ReplicateScheme:
    """What every replicate-weight representation shares: the variance formula and df."""

    kind: str
    scale: float
    rscales: np.ndarray
    mse: bool

    def variance(self, thetas: np.ndarray, coef: np.ndarray) -> np.ndarray:
        """Variance matrix (p × p) from replicate estimates ``thetas`` (R × p)."""
        thetas = np.asarray(thetas, dtype=float)
        if thetas.ndim == 1:
            thetas = thetas[:, None]
        coef = np.atleast_1d(np.asarray(coef, dtype=float))
        bad = ~np.all(np.isfinite(thetas), axis=1)
        rscales = self.rscales
        if bad.any():
            if bad.all():
                raise DesignError(
                    "every replicate gave an undefined estimate (for instance "
                    "an empty domain in every replicate)"
                )
            thetas = thetas[~bad]
            rscales = rscales[~bad]
        centre = coef if self.mse else thetas[rscales > 0].mean(axis=0)
        dev = (thetas - centre) * np.sqrt(rscales)[:, None]
        return self.scale * (dev.T @ dev)

    def _rank_rows(self) -> np.ndarray:
        """The rows whose rank gives the degrees of freedom (each representation's own)."""
        raise NotImplementedError

    def tdot_partition(self, values: np.ndarray, group: np.ndarray, n_domains: int) -> np.ndarray:
        raise NotImplementedError

    def count_totals(self, group: np.ndarray, n_domains: int) -> np.ndarray:
        """Replicate totals of the weights of every domain (R × D): the denominators of
        domain means."""
        return self.tdot_partition(np.ones((group.shape[0], 1)), group, n_domains)

    def degf(self) -> int:
        """Design degrees of freedom: rank of the replicate weights minus one, the rank
        as R's ``qr(weights, tol = 1e-5)$rank`` (see :func:`qr_rank`)."""
        return max(qr_rank(self._rank_rows()) - 1, 0)


@dataclass(frozen=True)
class ReplicateWeights(_ReplicateScheme):
    """Replicate analysis weights held as an explicit (n × R) matrix.

    Attributes
    ----------
    kind : str
        One of ``REPLICATE_TYPES``.
    weights : ndarray (n, R)
        Analysis (combined) weights of every replicate.
    scale : float
    rscales : ndarray (R,)
    mse : bool
        Centre the squared deviations on the full-sample estimate instead of the mean of
        the replicates.
    """

    kind: str
    weights: np.ndarray
    scale: float
    rscales: np.ndarray
    mse: bool = False

    @property
    def n_replicates(self) -> int:
        return self.weights.shape[1]

    def tdot(self, y: np.ndarray) -> np.ndarray:
        """Replicate totals ``W.T @ y``: shape (R,) for a vector, (R, p) for a matrix."""
        return self.weights.T @ y

    def tdot_partition(self, values: np.ndarray, group: np.ndarray, n_domains: int) -> np.ndarray:
        """Replicate domain totals: (R × D·q), column ``d * q + j`` the total of
        ``values[:, j]`` over the rows of domain ``d`` (rows with ``group < 0`` excluded)."""
        return _partition_tdot(self.weights, values, group, n_domains)

    def with_weights(self, weights: np.ndarray) -> ReplicateWeights:
        """The same replicate scheme with adjusted replicate weights."""
        return ReplicateWeights(self.kind, weights, self.scale, self.rscales, self.mse)

    def _rank_rows(self) -> np.ndarray:
        w = self.weights
        if w.shape[0] > 20000:  # the rank of a random sample of rows is enough
            rng = np.random.default_rng(0)
            w = w[np.sort(rng.choice(w.shape[0], 20000, replace=False))]
        return w


@dataclass(frozen=True)
class FactoredReplicates(_ReplicateScheme):
    """Replicate weights kept as factors: ``base_i * psu_factors[psu_i, r] * F[cell_i, r]``.

    Replicates made from the design (jackknife, BRR, bootstrap) change the weights by PSU,
    and raking changes them by the cells of the margins, so a million rows with 200
    replicates need a (PSUs × R) and a (cells × R) table instead of an (n × R) matrix.
    Replicate totals are computed through the sparse (PSU × cell) table of the weighted
    values. ``weights`` materialises the full matrix for the estimators that need it.
    """

    kind: str
    base: np.ndarray
    psu: np.ndarray
    psu_factors: np.ndarray
    scale: float
    rscales: np.ndarray
    mse: bool = False
    cell: np.ndarray | None = None
    n_cells: int = 0
    cell_factors: np.ndarray | None = None
    cell_table_base: np.ndarray | None = None

    @property
    def n_replicates(self) -> int:
        return self.psu_factors.shape[1]

    @property
    def weights(self) -> np.ndarray:
        """The (n × R) analysis weights (materialised: n × R × 8 bytes)."""
        w = self.base[:, None] * self.psu_factors[self.psu]
        if self.cell_factors is not None:
            w *= self.cell_factors[self.cell]
        return w

    def _by_psu(
        self, data: np.ndarray, cell: np.ndarray, n_cells: int, rows: np.ndarray | None = None
    ) -> sp.csr_matrix:
        """The sparse (PSU × cell) table of ``data`` (one entry per row). When the PSUs
        are sorted in the data, the rows of each PSU are a run and the matrix is built
        without sorting (repeated cells in a PSU are summed by the products)."""
        n_psu = self.psu_factors.shape[0]
        psu = self.psu
        if rows is None:
            starts = register_runs(psu, n_psu)
            if starts is not None:
                indptr = np.append(starts, psu.size)
                return sp.csr_matrix((data, cell, indptr), shape=(n_psu, n_cells))
        else:
            psu, cell = psu[rows], cell[rows]
        return sp.csr_matrix((data, (psu, cell)), shape=(n_psu, n_cells))

    def _cell_totals(
        self, data: np.ndarray, cell: np.ndarray, n_cells: int, rows: np.ndarray | None = None
    ) -> np.ndarray:
        """Replicate totals (n_cells × R) of ``data`` times the PSU factors, by cell.

        The product runs over the PSUs (the transposed PSU × cell table): every row of
        PSU factors is read once and the (cells × R) result stays in cache."""
        m = self._by_psu(data, cell, n_cells, rows)
        return np.asarray(m.T @ self.psu_factors)

    def _psu_totals(self, data: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        n_psu = self.psu_factors.shape[0]
        if rows is None:
            return rowsum(data, self.psu, n_psu)
        return np.bincount(self.psu[rows], weights=data, minlength=n_psu)

    def tdot(self, y: np.ndarray) -> np.ndarray:
        """Replicate totals (R,) or (R, p) of the columns of ``y``."""
        y = np.asarray(y, dtype=float)
        vector = y.ndim == 1
        y = y[:, None] if vector else y
        out = np.column_stack([self._column_total(self.base * y[:, j]) for j in range(y.shape[1])])
        return out[:, 0] if vector else out

    def _column_total(self, data: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """Replicate totals (R,) of ``data`` (base weight already applied) over ``rows``."""
        if self.cell_factors is None:
            return self.psu_factors.T @ self._psu_totals(data, rows)
        assert self.cell is not None
        t = self._cell_totals(data, self.cell, self.n_cells, rows)
        return np.einsum("cr,cr->r", t, self.cell_factors)

    def tdot_partition(self, values: np.ndarray, group: np.ndarray, n_domains: int) -> np.ndarray:
        """Replicate domain totals (R × D·q), domain by domain."""
        q = values.shape[1]
        if n_domains == 1 and group.min(initial=0) >= 0:
            return self.tdot(values)
        out = np.zeros((self.n_replicates, n_domains * q))
        order = np.argsort(group, kind="stable")
        bounds = np.searchsorted(group[order], np.arange(n_domains + 1))
        for d in range(n_domains):
            rows = order[bounds[d] : bounds[d + 1]]
            if rows.size == 0:
                continue
            base = self.base[rows]
            for j in range(q):
                out[:, d * q + j] = self._column_total(base * values[rows, j], rows)
        return out

    def count_totals(self, group: np.ndarray, n_domains: int) -> np.ndarray:
        """Replicate totals of the weights (R × D); for one domain of every row, from the
        replicate cell table kept when the replicates were raked or calibrated."""
        if (
            n_domains == 1
            and self.cell_table_base is not None
            and self.cell_factors is not None
            and group.min(initial=0) >= 0
        ):
            return np.einsum("cr,cr->r", self.cell_table_base, self.cell_factors)[:, None]
        return super().count_totals(group, n_domains)

    def cell_table(self, cell: np.ndarray, n_cells: int) -> np.ndarray:
        """Replicate weight totals of new cells, (n_cells × R), for raking the replicates."""
        if self.cell_factors is not None:
            raise ValueError("already has cell factors")
        return self._cell_totals(self.base, cell, n_cells)

    def with_cell_factors(
        self,
        cell: np.ndarray,
        n_cells: int,
        factors: np.ndarray,
        table: np.ndarray | None = None,
    ) -> FactoredReplicates:
        """The replicates adjusted by cell: ``table`` is their :meth:`cell_table` of
        ``cell`` (kept for the replicate totals of the weights)."""
        return FactoredReplicates(
            self.kind,
            self.base,
            self.psu,
            self.psu_factors,
            self.scale,
            self.rscales,
            self.mse,
            cell,
            n_cells,
            factors,
            table,
        )

    def with_weights(self, weights: np.ndarray) -> ReplicateWeights:
        return ReplicateWeights(self.kind, weights, self.scale, self.rscales, self.mse)

    def _rank_rows(self) -> np.ndarray:
        if self.cell_factors is None:
            return self.psu_factors
        n = self.base.size
        rows = np.arange(n)
        if n > 20000:
            rows = np.sort(np.random.default_rng(0).choice(n, 20000, replace=False))
        w = self.psu_factors[self.psu[rows]]
        w *= self.base[rows, None]
        assert self.cell is not None  # cell factors come with their cells
        w *= self.cell_factors[self.cell[rows]]
        return w


def _partition_tdot(
    weights: np.ndarray, values: np.ndarray, group: np.ndarray, n_domains: int
) -> np.ndarray:
    inside = group >= 0
    rows = np.flatnonzero(inside)
    q = values.shape[1]
    out = np.empty((weights.shape[1], n_domains * q))
    for j in range(q):
        s = sp.csr_matrix(
            (values[rows, j], (group[rows], rows)), shape=(n_domains, values.shape[0])
        )
        out[:, j::q] = np.asarray(s @ weights).T
    return out


def _fpc_fraction(n: np.ndarray, popsize: np.ndarray | None) -> np.ndarray:
    if popsize is None:
        return np.ones_like(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.isinf(popsize), 1.0, (popsize - n) / popsize)


def jk1_factors(
    psu: np.ndarray, n_psu: int, popsize: float | None = None
) -> tuple[np.ndarray, float, np.ndarray]:
    """Delete-one-PSU jackknife for an unstratified design.

    Returns PSU-level factors (n_psu × n_psu), ``scale = f (n-1)/n`` and ``rscales``.
    """
    if n_psu < 2:
        raise DesignError("a jackknife needs at least two PSUs")
    factors = np.full((n_psu, n_psu), n_psu / (n_psu - 1))
    np.fill_diagonal(factors, 0.0)
    f = 1.0 if popsize is None or np.isinf(popsize) else (popsize - n_psu) / popsize
    return factors, f * (n_psu - 1) / n_psu, np.ones(n_psu)


def jkn_factors(
    psu_stratum: np.ndarray, popsize: np.ndarray | None, lonely_psu: str, strata_labels: tuple
) -> tuple[np.ndarray, float, np.ndarray]:
    """Stratified delete-one-PSU jackknife (one replicate per PSU).

    Parameters
    ----------
    psu_stratum : ndarray (n_psu,)
        Stratum code of every PSU.
    popsize : ndarray (n_psu,) or None
        Population number of PSUs in the PSU's stratum.
    """
    n_psu = psu_stratum.size
    counts = np.bincount(psu_stratum)
    n_h = counts[psu_stratum].astype(float)
    f = _fpc_fraction(n_h, popsize)
    cols, rscales = [], []
    for j in range(n_psu):
        h = psu_stratum[j]
        nh = counts[h]
        if nh == 1:
            if f[j] < 1e-7:
                continue
            if lonely_psu == "fail":
                raise LonelyPSUError(
                    f"stratum {strata_labels[h]!r} has only one PSU, so a stratified "
                    "jackknife cannot drop it; collapse strata or choose lonely_psu="
                    "'remove', 'certainty' or 'adjust'"
                )
            continue
        col = np.ones(n_psu)
        col[psu_stratum == h] = nh / (nh - 1)
        col[j] = 0.0
        cols.append(col)
        rscales.append(f[j] * (nh - 1) / nh)
    if not cols:
        raise DesignError(
            "every stratum was sampled exhaustively or has one PSU: there is nothing to replicate"
        )
    return np.column_stack(cols), 1.0, np.array(rscales)


def _qr_rank_loop(mat: np.ndarray, tol: float) -> int:
    store = np.empty((mat.shape[1], mat.shape[0]))  # kept directions, one per row
    k = 0
    for j in range(mat.shape[1]):
        col = mat[:, j]
        norm = float(np.linalg.norm(col))
        if norm == 0:
            continue
        basis = store[:k]
        resid = col - (basis @ col) @ basis
        resid = resid - (basis @ resid) @ basis  # re-orthogonalise
        r = float(np.linalg.norm(resid))
        if r >= tol * norm:
            store[k] = resid / r
            k += 1
    return k


def qr_rank(mat: np.ndarray, tol: float = 1e-5) -> int:
    """Rank as R's ``qr(mat, tol)$rank`` (LINPACK ``dqrdc2``, limited pivoting).

    Columns are taken left to right; a column whose part orthogonal to the columns kept
    so far has a norm below ``tol`` times its own norm is set aside (moved to the end).

    When no column is set aside the rank is the number of columns, and the norms of the
    orthogonal parts are the diagonal of the Cholesky factor of ``mat' mat`` (one BLAS
    product instead of a loop over columns); that is used when every ratio is clearly
    above ``tol`` (by a factor 100, far above the rounding of the normal equations), and
    the column loop otherwise.

    >>> qr_rank(np.array([[1.0, 2.0, 1.0], [1.0, 2.0, 1.0 + 1e-6], [0.0, 0.0, 1.0]]))
    2
    >>> qr_rank(np.eye(3))
    3
    """
    mat = np.asarray(mat, dtype=float)
    n, p = mat.shape
    if p and n >= p and tol < 1e-2:
        gram = mat.T @ mat
        norms = np.sqrt(np.diag(gram))
        if np.all(norms > 0):
            try:
                chol = np.linalg.cholesky(gram)
            except np.linalg.LinAlgError:
                chol = None
            if chol is not None and np.all(np.abs(np.diag(chol)) >= 100 * tol * norms):
                return p
    return _qr_rank_loop(mat, tol)


def hadamard(order: int) -> np.ndarray:
    """A Sylvester Hadamard matrix of the smallest power-of-two order ≥ ``order``."""
    size = 1
    h = np.ones((1, 1))
    while size < order:
        h = np.block([[h, h], [h, -h]])
        size *= 2
    return h


def brr_factors(
    psu_stratum: np.ndarray,
    *,
    fay_rho: float = 0.0,
    strata_labels: tuple = (),
    psu_first_row: np.ndarray | None = None,
) -> tuple[np.ndarray, float, np.ndarray]:
    """Balanced repeated replication for designs with exactly two PSUs per stratum.

    The first half-sample of a stratum is its PSU that comes first in the data
    (``psu_first_row``: the first row of every PSU), as R's ``brrweights``; without
    ``psu_first_row``, the PSU with the lower code.
    """
    counts = np.bincount(psu_stratum)
    if np.any(counts != 2):
        bad = [strata_labels[h] if strata_labels else h for h in np.nonzero(counts != 2)[0]]
        raise DesignError(
            f"BRR needs exactly two PSUs in every stratum; strata "
            f"{bad[:10]} do not have two. Use JKn or the bootstrap instead."
        )
    n_strata = counts.size
    h = hadamard(n_strata + 1)
    n_rep = h.shape[0]
    # first PSU of a stratum takes the "plus" half when the Hadamard entry is +1
    data_order = (
        np.arange(psu_stratum.size)
        if psu_first_row is None
        else np.argsort(psu_first_row, kind="stable")
    )
    order = data_order[np.argsort(psu_stratum[data_order], kind="stable")]
    first = np.zeros(psu_stratum.size, dtype=bool)
    seen = set()
    for j in order:
        if psu_stratum[j] not in seen:
            first[j] = True
            seen.add(psu_stratum[j])
    signs = h[1 : n_strata + 1, :][psu_stratum]  # (n_psu, R)
    plus = np.where(first[:, None], signs > 0, signs < 0)
    factors = np.where(plus, 2.0 - fay_rho, fay_rho)
    return factors, 1.0 / (n_rep * (1 - fay_rho) ** 2), np.ones(n_rep)


#: strata with at least this many PSUs draw bootstrap PSUs by index and count them
#: (the same multinomial distribution as ``Generator.multinomial``, which makes one
#: binomial draw per PSU and replicate and is kept below this size so that seeded
#: results of smaller designs stay as they were)
COUNTED_DRAWS_FROM = 1000


def _multinomial_counts(nh: int, replicates: int, rng: np.random.Generator) -> np.ndarray:
    """(nh × R) numbers of times each of ``nh`` PSUs is drawn in ``nh`` uniform draws with
    replacement, for every replicate."""
    if nh < COUNTED_DRAWS_FROM:
        return rng.multinomial(nh, np.full(nh, 1.0 / nh), size=replicates).T
    out = np.empty((replicates, nh))
    for r in range(replicates):  # one counting pass per replicate, within the cache
        out[r] = np.bincount(rng.integers(0, nh, size=nh), minlength=nh)
    return out.T


def bootstrap_factors(
    psu_stratum: np.ndarray,
    replicates: int,
    rng: np.random.Generator,
    *,
    lonely_psu: str = "fail",
) -> tuple[np.ndarray, float, np.ndarray]:
    """Rescaled bootstrap (Canty and Davison): ``n_h`` PSUs drawn with replacement per stratum.

    The factor of a PSU in a replicate is the number of times it was drawn;
    ``scale = m / ((m - 1) (R - 1))`` with ``m`` the harmonic mean of the PSUs per stratum,
    as R's ``bootweights``. A stratum with one PSU fails with ``lonely_psu="fail"``;
    with any other policy its PSU is drawn once in every replicate (factor 1, so it adds
    no variance), and it counts in ``m``, as in R's ``bootweights``, which ignores the
    lonely-PSU option.

    >>> f, scale, _ = bootstrap_factors(np.array([0, 1, 1]), 3, np.random.default_rng(1),
    ...                                 lonely_psu="adjust")
    >>> f[0].tolist(), f[1:].sum(axis=0).tolist(), round(scale, 4)
    ([1.0, 1.0, 1.0], [2.0, 2.0, 2.0], 2.0)
    """
    if replicates < 2:
        raise DesignError("the bootstrap needs at least two replicates")
    n_psu = psu_stratum.size
    factors = np.zeros((n_psu, replicates))
    counts = np.bincount(psu_stratum)
    if np.any(counts < 2) and (lonely_psu == "fail" or np.all(counts[counts > 0] < 2)):
        raise LonelyPSUError(
            "the bootstrap needs at least two PSUs in every stratum; "
            "collapse strata with a single PSU first, or choose a lonely-PSU policy "
            "(lonely_psu='adjust', 'average', 'remove' or 'certainty': a single PSU is "
            "then drawn once in every replicate, as R's bootweights)"
        )
    order = np.argsort(psu_stratum, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(counts)])
    for h in range(counts.size):
        members = order[bounds[h] : bounds[h + 1]]
        nh = members.size
        if nh == 1:
            factors[members] = 1.0
        elif nh:
            factors[members] = _multinomial_counts(nh, replicates, rng)
    present = counts[counts > 0]
    m = float(1.0 / np.mean(1.0 / present))
    return factors, m / ((m - 1) * (replicates - 1)), np.ones(replicates)


def subbootstrap_factors(
    psu_stratum: np.ndarray, replicates: int, rng: np.random.Generator
) -> tuple[np.ndarray, float, np.ndarray]:
    """Rao and Wu's bootstrap with ``n_h - 1`` of the ``n_h`` PSUs drawn with replacement
    in every stratum, each draw weighted ``n_h / (n_h - 1)``; ``scale = 1 / (R - 1)``
    (R's ``subbootweights``, ``as.svrepdesign(type = "subbootstrap")``).

    >>> f, scale, _ = subbootstrap_factors(np.array([0, 0, 0, 1, 1]), 4, np.random.default_rng(1))
    >>> f[:3].sum(axis=0).tolist(), f[3:].sum(axis=0).tolist(), round(scale, 4)
    ([3.0, 3.0, 3.0, 3.0], [2.0, 2.0, 2.0, 2.0], 0.3333)
    """
    if replicates < 2:
        raise DesignError("the bootstrap needs at least two replicates")
    counts = np.bincount(psu_stratum)
    if np.any(counts < 2):
        raise LonelyPSUError(
            "the subbootstrap needs at least two PSUs in every stratum; "
            "collapse strata with a single PSU first"
        )
    factors = np.zeros((psu_stratum.size, replicates))
    for h in range(counts.size):
        members = np.nonzero(psu_stratum == h)[0]
        nh = members.size
        draws = rng.multinomial(nh - 1, np.full(nh, 1.0 / nh), size=replicates)
        factors[members] = draws.T * nh / (nh - 1)
    return factors, 1.0 / (replicates - 1), np.ones(replicates)
