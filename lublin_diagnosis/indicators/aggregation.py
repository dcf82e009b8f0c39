"""Aggregation of scores into a composite (arithmetic or shifted geometric weighted mean),
and the goalposts widened or narrowed for the sensitivity analysis. The rules are
described in :mod:`~lublin_diagnosis.indicators.scoring`."""

from __future__ import annotations

from typing import Any

import numpy as np

from lublin_diagnosis.framework.model import Goalposts

__all__ = ["AGGREGATIONS", "aggregate", "scale_goalposts"]

#: Aggregation rules of :func:`aggregate`.
AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric")


def aggregate(
    scores: Any,
    weights: Any = None,
    method: str = "arithmetic",
    *,
    shift: float = 1.0,
    skipna: bool = True,
) -> Any:
    """Aggregate 0-100 scores along their last axis.

    Parameters
    ----------
    scores : array-like (..., k)
        Scores; NaN is a missing score. Leading axes (replicates, draws) are kept.
    weights : array-like (k,) or (..., k), optional
        Non-negative weights (default equal). They need not add up to 1.
    method : {"arithmetic", "geometric"}
        Weighted arithmetic mean, or weighted geometric mean of ``score + shift`` minus
        ``shift`` (see the module docstring for the treatment of zeros).
    shift : float
        Shift of the geometric mean (default 1 point; 0 for the plain geometric mean).
    skipna : bool
        Leave missing scores out and rescale the other weights (default); otherwise a
        missing score is an error.

    Returns
    -------
    float or ndarray
        NaN where no score with a positive weight is available.

    Raises
    ------
    ValueError
        Unknown method, negative or non-finite weights, weights of the wrong length,
        negative scores for the geometric mean, or missing scores with ``skipna=False``.

    Examples
    --------
    >>> aggregate([20, 40, 90], weights=[1, 1, 2])
    60.0
    >>> round(aggregate([20, 40, 90], method="geometric"), 3)
    41.791
    >>> aggregate([0, 100], method="geometric", shift=0)
    0.0
    >>> aggregate([[0, 100], [50, float("nan")]]).tolist()
    [50.0, 50.0]
    """
    if method not in AGGREGATIONS:
        raise ValueError(f"method must be one of {AGGREGATIONS}, not {method!r}")
    s = np.asarray(scores, dtype=float)
    if s.ndim == 0:
        raise ValueError("scores must be a sequence (the scores to aggregate), not a number")
    k = s.shape[-1]
    w = np.ones(k) if weights is None else np.asarray(weights, dtype=float)
    if w.ndim == 0 or w.shape[-1] != k:
        raise ValueError(f"weights must have one value per score ({k}), not shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights must be finite and >= 0, got {w.tolist()!r}")
    w = np.broadcast_to(w, s.shape)
    missing = np.isnan(s)
    if missing.any() and not skipna:
        raise ValueError("a score is missing; pass skipna=True to leave missing scores out")
    w = np.where(missing, 0.0, w)
    s0 = np.where(missing, 0.0, s)
    total = w.sum(axis=-1)
    used = w > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "arithmetic":
            out = (w * s0).sum(axis=-1) / total
        else:
            if shift < 0 or not np.isfinite(shift):
                raise ValueError(f"shift must be a finite number >= 0, not {shift!r}")
            if np.any(s0[used] < 0):
                raise ValueError("the geometric mean needs scores >= 0")
            logs = np.where(used, np.log(s0 + shift), 0.0)
            out = np.exp((w * logs).sum(axis=-1) / total) - shift
        # a mean lies between the scores it averages; rounding can push it one unit in
        # the last place past them (two scores of 100 averaging 100.00000000000001)
        low = np.where(used, s0, np.inf).min(axis=-1)
        high = np.where(used, s0, -np.inf).max(axis=-1)
        out = np.clip(out, np.minimum(low, high), np.maximum(low, high))
        out = np.where(total > 0, out, np.nan)
    return float(out) if out.ndim == 0 else out


def scale_goalposts(goalposts: Goalposts, factor: float) -> Goalposts:
    """Goalposts widened (``factor > 1``) or narrowed (``factor < 1``) around their midpoint.

    Used by the sensitivity analysis: ``factor=1.1`` widens the distance between the
    anchors by 10 % (each moves out by 5 % of it), ``0.9`` narrows it by 10 %.

    Examples
    --------
    >>> scale_goalposts(Goalposts(worst=0.0, best=0.5), 1.1)
    Goalposts(worst=-0.025, best=0.525)
    """
    if not factor > 0:
        raise ValueError(f"factor must be > 0, not {factor!r}")
    mid = (goalposts.worst + goalposts.best) / 2
    half = (goalposts.best - goalposts.worst) / 2 * factor
    return Goalposts(worst=round(mid - half, 12), best=round(mid + half, 12))
