"""Calibration (generalised raking of Deville and Särndal) in cell space.

The kernel behind :meth:`SurveyDesign.calibrate`. The model matrix of a calibration is
held in structured form (:class:`CellModel`): the categorical auxiliaries (and the
intercept) are columns of the cells of their cross-classification, ``cat[cell[i]]``, and
only numeric auxiliaries have a value per row. So

- with categorical auxiliaries only, every row of a cell has the same g-weight and the
  Newton iterations run on the (cells × columns) table of weights: the rows are touched
  to build the table and to apply the factors, as raking;
- with numeric auxiliaries, a Newton step makes one pass over the rows: ``X'WX`` and
  ``X'w`` come from cell totals (``bincount``) and the few numeric columns, and no
  n × p copy of the model matrix is built.

Every calibration distance (linear, raking, logit, with bounds) works on the full-sample
weights and on replicate weights (columns of a weight matrix) alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from lublin_diagnosis.survey._errors import CalibrationError, MarginError
from lublin_diagnosis.survey._sums import rowsum
from lublin_diagnosis.survey._weighting import cell_index, check_margins

__all__ = ["CalibrationOptions", "CellModel", "calibrate_g", "calibration_model", "dense_model"]

_Fn = Callable[[np.ndarray], np.ndarray]


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for the small cell-space products, without BLAS threads.

    Multithreaded BLAS wakes its threads for products of this size, which costs more than
    the product when the cores are shared; ``einsum`` computes them in one thread.
    """
    return np.einsum("ij,jk->ik", a, b)


@dataclass(frozen=True)
class CellModel:
    """A model matrix ``X = [cat[cell] | num]`` in structured form.

    Attributes
    ----------
    cell : ndarray (n,) of int
        Cell of every row (``0 .. n_cells - 1``).
    cat : ndarray (n_cells, pc)
        The categorical columns (intercept and dummies), one row per cell.
    num : ndarray (n, q)
        The numeric columns (``q`` may be 0).

    Examples
    --------
    >>> m = CellModel(np.array([0, 1, 1]), np.array([[1.0, 0.0], [1.0, 1.0]]),
    ...               np.array([[2.0], [3.0], [4.0]]))
    >>> m.p, m.n_rows
    (3, 3)
    >>> m.tdot(np.ones((3, 1)))[:, 0].tolist()
    [3.0, 2.0, 9.0]
    """

    cell: np.ndarray
    cat: np.ndarray
    num: np.ndarray

    @property
    def n_cells(self) -> int:
        return int(self.cat.shape[0])

    @property
    def pc(self) -> int:
        return int(self.cat.shape[1])

    @property
    def q(self) -> int:
        return int(self.num.shape[1])

    @property
    def p(self) -> int:
        return self.pc + self.q

    @property
    def n_rows(self) -> int:
        return int(self.cell.size)

    def rows_dot(self, eta: np.ndarray) -> np.ndarray:
        """``X @ eta`` (n × m) for coefficients ``eta`` (p × m)."""
        out = _dot(self.cat, eta[: self.pc])[self.cell]
        if self.q:
            out += self.num @ eta[self.pc :]
        return out

    def tdot(self, u: np.ndarray) -> np.ndarray:
        """``X' u`` (p × m) for row values ``u`` (n × m)."""
        parts = [_dot(self.cat.T, rowsum(u, self.cell, self.n_cells))]
        if self.q:
            parts.append(self.num.T @ u)
        return np.vstack(parts)

    def gram(self, v: np.ndarray) -> np.ndarray:
        """``X' diag(v) X`` (p × p), in one pass over the rows."""
        k, pc = self.n_cells, self.pc
        vc = np.bincount(self.cell, weights=v, minlength=k)
        out = np.empty((self.p, self.p))
        out[:pc, :pc] = _dot(self.cat.T, self.cat * vc[:, None])
        if self.q:
            vn = self.num * v[:, None]
            cross = _dot(self.cat.T, rowsum(vn, self.cell, k))
            out[:pc, pc:] = cross
            out[pc:, :pc] = cross.T
            out[pc:, pc:] = self.num.T @ vn
        return out

    def collapsed(self) -> CellModel:
        """With no numeric column, the model of the cells themselves (one row per cell)."""
        k = self.n_cells
        return CellModel(np.arange(k), self.cat, np.empty((k, 0)))


def dense_model(mm: np.ndarray) -> CellModel:
    """A plain (n × p) model matrix as a :class:`CellModel` of numeric columns.

    >>> dense_model(np.ones((4, 2))).gram(np.ones(4)).tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """
    mm = np.asarray(mm, dtype=float)
    n = mm.shape[0]
    return CellModel(np.zeros(n, dtype=np.int64), np.empty((1, 0)), mm)


def _numeric_column(data: pd.DataFrame, var: str, total: object) -> tuple[np.ndarray, float]:
    if var not in data.columns:
        raise MarginError(f"calibration variable {var!r} is not a column of the data")
    values = pd.to_numeric(data[var], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows = ", ".join(map(str, list(data.index[bad][:8])))
        raise MarginError(
            f"calibration variable {var!r} has {int(bad.sum())} missing or non-numeric "
            f"value(s) (rows {rows}); impute them first"
        )
    try:
        total_f = float(total)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise MarginError(f"calibration total of {var!r} must be a number, not {total!r}") from None
    return values, total_f


def calibration_model(
    data: pd.DataFrame, totals: Mapping, population_size: float | None
) -> tuple[CellModel, np.ndarray, list[str]]:
    """The structured model matrix, population totals and column names of a calibration.

    With a categorical variable the model has an intercept (the population size) and
    treatment contrasts, as R's formula ``~ var1 + var2``; numeric variables follow.

    >>> df = pd.DataFrame({"g": list("aab"), "x": [1.0, 2.0, 3.0]})
    >>> model, pop, names = calibration_model(df, {"g": {"a": 4, "b": 2}, "x": 11.0}, None)
    >>> names, pop.tolist(), model.n_cells
    (['(Intercept)', 'gb', 'x'], [6.0, 2.0, 11.0], 2)
    """
    n = len(data)
    cat_margins = {k: v for k, v in totals.items() if isinstance(v, Mapping)}
    checked = check_margins(data, cat_margins) if cat_margins else []
    if checked:
        cells = cell_index(checked)
        cell, k, codes = cells.cell, cells.n_cells, cells.margin_codes
    else:
        cell, k, codes = np.zeros(n, dtype=np.int64), 1, ()
    if population_size is None and checked:
        population_size = float(checked[0].targets.sum())
    cols: list[np.ndarray] = []
    pop: list[float] = []
    names: list[str] = []
    if population_size is not None:
        cols.append(np.ones(k))
        pop.append(float(population_size))
        names.append("(Intercept)")
    for m, cm in zip(checked, codes, strict=True):
        order = sorted(range(len(m.levels)), key=lambda i: m.levels[i])
        for i in order[1 if population_size is not None else 0 :]:
            cols.append((cm == i).astype(float))
            pop.append(float(m.targets[i]))
            names.append(f"{m.variable}{m.levels[i]}")
    num_cols: list[np.ndarray] = []
    for var, total in totals.items():
        if isinstance(total, Mapping):
            continue
        values, total_f = _numeric_column(data, var, total)
        num_cols.append(values)
        pop.append(total_f)
        names.append(var)
    cat = np.column_stack(cols) if cols else np.empty((k, 0))
    num = np.column_stack(num_cols) if num_cols else np.empty((n, 0))
    return CellModel(cell, cat, num), np.array(pop), names


@dataclass(frozen=True)
class CalibrationOptions:
    """The settings of a calibration, as :func:`calibrate_g` takes them."""

    calfun: str = "linear"
    bounds: tuple[float, float] = (-np.inf, np.inf)
    epsilon: float = 1e-7
    max_iter: int = 50
    names: list[str] | None = None

    def kwargs(self) -> dict:
        return {
            "calfun": self.calfun,
            "bounds": self.bounds,
            "epsilon": self.epsilon,
            "max_iter": self.max_iter,
            "names": self.names,
        }


def _calfun(name: str, lower: float, upper: float) -> tuple[_Fn, _Fn]:
    """(F^-1 - 1, derivative) of a calibration distance, with bounds on the g-weights."""
    if name == "linear":

        def fm1(u: np.ndarray) -> np.ndarray:
            return np.minimum(np.maximum(u + 1, lower), upper) - 1

        def df(u: np.ndarray) -> np.ndarray:
            return ((u < upper - 1) & (u > lower - 1)).astype(float)
    elif name == "raking":

        def fm1(u: np.ndarray) -> np.ndarray:
            return np.minimum(np.maximum(np.exp(u), lower), upper) - 1

        def df(u: np.ndarray) -> np.ndarray:
            return np.where((u < upper - 1) & (u > lower - 1), np.exp(u), 0.0)
    elif name == "logit":
        if not (np.isfinite(lower) and np.isfinite(upper)):
            raise CalibrationError("logit calibration needs finite bounds, e.g. bounds=(0.5, 2)")
        if not (lower < 1 < upper):
            raise CalibrationError(
                f"logit calibration bounds must satisfy lower < 1 < upper, got ({lower}, {upper})"
            )
        a = (upper - lower) / ((upper - 1) * (1 - lower))
        shift = np.log((1 - lower) / (upper - 1))

        # g = L (1 - s) + U s with s a logistic sigmoid of a u: the logit distance of
        # Deville and Särndal, written without overflow
        def fm1(u: np.ndarray) -> np.ndarray:
            sig = expit(a * u + shift)
            return lower * (1 - sig) + upper * sig - 1

        def df(u: np.ndarray) -> np.ndarray:
            sig = expit(a * u + shift)
            return (upper - lower) * a * sig * (1 - sig)
    else:
        raise CalibrationError(f"calfun must be 'linear', 'raking' or 'logit', not {name!r}")
    return fm1, df


def _check_bounds(lower: float, upper: float) -> None:
    if lower >= upper:
        raise CalibrationError(
            f"calibration bounds ({lower}, {upper}) are empty: lower must be below upper"
        )
    if lower > 1 or upper < 1:
        raise CalibrationError(
            f"calibration bounds ({lower}, {upper}) exclude g = 1; the "
            "bounds are limits on the ratio of calibrated to input weight"
        )


def _initial_scale(pop: np.ndarray, sample_total: np.ndarray) -> np.ndarray:
    """R's grake rescaling: when every total is far above the sample's, start scaled up."""
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = pop / np.where(sample_total == 0, np.nan, sample_total)
        finite = np.where(np.isfinite(scales), scales, np.nan)
        rescale = np.all(np.isfinite(scales), axis=0) & (np.nanmin(finite, axis=0) > 20)
        return np.where(rescale, np.nanmean(finite, axis=0), 1.0)


def _halve_steps(model, eta, xeta, step, iterations, j, fm1, df, max_iter) -> None:
    """Step halving where the Newton step left the domain of F (column ``j``, in place)."""
    st = step
    while iterations[j] < max_iter and not (
        np.all(np.isfinite(1 + fm1(xeta[:, j]))) and np.all(np.isfinite(df(xeta[:, j])))
    ):
        iterations[j] += 1
        st = st / 2
        eta[:, j] -= st
        xeta[:, j] = model.rows_dot(eta[:, j : j + 1])[:, 0]


def _failure(calfun, bounds, misfit, pop, j, names, max_iter) -> CalibrationError:
    rel_j = np.abs(misfit[:, j]) / (1 + np.abs(pop[:, 0]))
    worst = np.argsort(-rel_j)[:3]
    named = ", ".join(f"{names[i] if names else i}: off by {misfit[i, j]:,.4g}" for i in worst)
    which = "the full sample" if j == 0 else f"replicate {j}"
    return CalibrationError(
        f"calibration ({calfun}, bounds {bounds}) of {which} failed to converge in "
        f"{max_iter} iterations; largest relative misfit {rel_j.max():.3g} ({named}). "
        "The totals may be unreachable within the bounds: widen the bounds, collapse "
        "categories, or check the population totals."
    )


def calibrate_g(
    mm: np.ndarray | CellModel,
    w: np.ndarray,
    population: np.ndarray,
    *,
    calfun: str = "linear",
    bounds: tuple[float, float] = (-np.inf, np.inf),
    epsilon: float = 1e-7,
    max_iter: int = 50,
    names: list[str] | None = None,
) -> tuple[np.ndarray, int]:
    """g-weights that calibrate ``w`` to ``population`` totals of the columns of ``mm``.

    Newton iterations on the calibration equations, as R's ``survey::grake``: a column
    has converged when every ``|misfit| / (1 + |total|)`` is below ``epsilon``. ``w`` may be
    a matrix (n × m): the columns (full sample and replicates) are calibrated together, in
    batched Newton steps, each stopping when it has converged. ``mm`` is an (n × p) array
    or a :class:`CellModel`; for a model without numeric columns, ``w`` may be the table
    of weight totals of its cells (``model.collapsed()``): the g-weights are then per cell.

    Returns
    -------
    (g, iterations)
        g-weights of the shape of ``w`` and the largest number of iterations used.

    Raises
    ------
    CalibrationError
        When the equations cannot be met (for instance within the bounds), naming the
        calibration totals that are furthest off.

    Examples
    --------
    >>> mm = np.array([[1.0], [1.0]])
    >>> calibrate_g(mm, np.array([1.0, 1.0]), np.array([4.0]))[0]
    array([2., 2.])
    """
    lower, upper = float(bounds[0]), float(bounds[1])
    _check_bounds(lower, upper)
    fm1, df = _calfun(calfun, lower, upper)
    model = mm if isinstance(mm, CellModel) else dense_model(mm)
    vector = np.ndim(w) == 1
    ww = np.array(w, dtype=float, copy=True).reshape(len(w), -1)
    pop = np.asarray(population, dtype=float)[:, None]
    sample_total = model.tdot(ww)  # (p, m)
    scale = _initial_scale(pop, sample_total)
    ww *= scale
    sample_total *= scale
    m = ww.shape[1]
    eta = np.zeros((model.p, m))
    xeta = np.zeros((model.n_rows, m))
    iterations = np.ones(m, dtype=int)
    active = np.ones(m, dtype=bool)
    misfit = pop - sample_total - model.tdot(ww * fm1(xeta))
    rcond = 256 * np.finfo(float).eps
    while active.any():
        a = np.flatnonzero(active)
        step = np.empty((model.p, a.size))
        for col, j in enumerate(a):
            tmat = model.gram(ww[:, j] * df(xeta[:, j]))
            step[:, col] = np.linalg.pinv(tmat, rcond=rcond) @ misfit[:, j]
        eta[:, a] += step
        xeta[:, a] = model.rows_dot(eta[:, a])
        for col, j in enumerate(a):
            _halve_steps(model, eta, xeta, step[:, col], iterations, j, fm1, df, max_iter)
        misfit[:, a] = pop - sample_total[:, a] - model.tdot(ww[:, a] * fm1(xeta[:, a]))
        rel = np.abs(misfit[:, a]) / (1 + np.abs(pop))
        done = np.all(rel < epsilon, axis=0)
        active[a[done]] = False
        iterations[a[~done]] += 1
        failed = a[~done][iterations[a[~done]] > max_iter]
        if failed.size:
            raise _failure(calfun, bounds, misfit, pop, failed[0], names, max_iter)
    g = (1 + fm1(xeta)) * scale
    return (g[:, 0] if vector else g), int(iterations.max())
