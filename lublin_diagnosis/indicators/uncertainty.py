"""Sampling uncertainty of area scores and the overall index, from replicate weights.

An area score mixes survey outcomes (``O``, estimated with sampling error) with policy
answers (``P``) and administrative figures (``A``). Here **P and A are treated as
fixed** -- they are observed for the institutions themselves, not sampled -- and the
sampling uncertainty of the outcomes is carried through the whole scoring chain with
replicate weights:

1. the design is turned into a bootstrap replicate design (``design.replicate(
   "bootstrap", replicates=R, seed=s)``), which re-applies the raking to every
   replicate, so the uncertainty of the weighting is included;
2. every outcome is re-estimated with every replicate's weights, vectorised:
   ``theta_r = (W[:, r] @ y) / (W[:, r] @ d)`` (:func:`replicate_outcomes`);
3. each replicate's outcomes are normalised (goalposts clip at 0 and 100) and
   aggregated, with the fixed P and A scores, into replicate area scores and a
   replicate index exactly as the point estimates are (:func:`propagate_scores`);
4. the standard error is the replicate variance formula of the design
   (``scale * sum rscales (theta_r - mean)^2``; for the bootstrap ``1/(R-1)``) and the
   interval ``estimate ± t(df) * se``, with ``df`` the replicate design's degrees of
   freedom, clipped to [0, 100] (:func:`replicate_se`, :func:`t_interval`).

An area with no outcome indicator therefore has a zero-width interval: it carries no
sampling error, not no uncertainty -- the sensitivity analysis
(:mod:`lublin_diagnosis.indicators.sensitivity`) covers the modelling choices.

>>> import numpy as np
>>> from lublin_diagnosis.indicators.uncertainty import t_interval
>>> t_interval(np.array([50.0, 99.0]), np.array([5.0, 5.0]), np.inf)[1].round(2).tolist()
[59.8, 100.0]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from lublin_diagnosis.exceptions import EstimationError
from lublin_diagnosis.framework.model import Framework, Indicator, normalise
from lublin_diagnosis.indicators.scoring import aggregate, area_matrix, outcome_arrays

__all__ = [
    "normalise_replicates",
    "propagate_scores",
    "replicate_outcomes",
    "replicate_se",
    "t_interval",
]


def replicate_outcomes(design, indicators: Sequence[Indicator]) -> np.ndarray:
    """Replicate estimates of outcome indicators: an (R × k) matrix.

    Parameters
    ----------
    design : SurveyDesign
        A replicate design (``design.replicate("bootstrap", ...)``).
    indicators : sequence of Indicator
        Outcome (``O``) indicators.

    Returns
    -------
    ndarray (R, k)
        NaN where a replicate leaves an indicator's domain empty.

    Examples
    --------
    >>> import lublin_diagnosis as ld                                     # doctest: +SKIP
    >>> design = ld.SurveyDesign.from_dataset(ds)                         # doctest: +SKIP
    >>> rep = design.replicate("bootstrap", replicates=50, seed=1)        # doctest: +SKIP
    >>> replicate_outcomes(rep, [fw.indicator("labour_o_employed")]).shape  # doctest: +SKIP
    (50, 1)
    """
    weights = design.replicate_weights
    if weights is None:
        raise EstimationError(
            "replicate estimates need a replicate design: use "
            "design.replicate('bootstrap', replicates=..., seed=...)"
        )
    y, d = outcome_arrays(design.data, indicators)
    with np.errstate(divide="ignore", invalid="ignore"):
        thetas = (weights.T @ y) / (weights.T @ d)
    return np.where(np.isfinite(thetas), thetas, np.nan)


def replicate_se(design, thetas: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """Standard errors of statistics from their replicate values (one per column).

    Uses the replicate variance formula of ``design`` (its scale, replicate scales and
    centring). Replicates with a missing value are left out column by column; a column
    whose replicates are all equal has standard error 0, one with no usable replicate
    NaN.

    Examples
    --------
    >>> import numpy as np, pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 2, 3, 4]})).replicate("JK1")
    >>> thetas = d.replicate_weights.T @ np.array([1.0, 2, 3, 4]) / 4
    >>> float(replicate_se(d, thetas[:, None], np.array([2.5]))[0].round(4))
    0.6455
    """
    if not design.is_replicate:
        raise EstimationError("replicate_se needs a replicate design")
    thetas = np.asarray(thetas, dtype=float)
    if thetas.ndim == 1:
        thetas = thetas[:, None]
    estimate = np.atleast_1d(np.asarray(estimate, dtype=float))
    out = np.full(thetas.shape[1], np.nan)
    for j in range(thetas.shape[1]):
        col = thetas[:, j]
        if not np.isfinite(col).any() or not np.isfinite(estimate[j]):
            continue
        var = design.replicate_variance(col[:, None], estimate[j : j + 1])[0, 0]
        out[j] = float(np.sqrt(max(var, 0.0)))
    return out


def t_interval(
    estimate: np.ndarray,
    se: np.ndarray,
    df: float,
    level: float = 0.95,
    *,
    lower: float = 0.0,
    upper: float = 100.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``estimate ± t(df) * se`` clipped to ``[lower, upper]`` (normal when ``df`` is inf).

    Examples
    --------
    >>> import numpy as np
    >>> lo, hi = t_interval(np.array([10.0]), np.array([10.0]), 30)
    >>> float(lo[0]), round(float(hi[0]), 2)
    (0.0, 30.42)
    """
    alpha = 1 - level
    q = stats.norm.ppf(1 - alpha / 2) if not np.isfinite(df) else stats.t.ppf(1 - alpha / 2, df)
    est = np.asarray(estimate, dtype=float)
    half = q * np.asarray(se, dtype=float)
    return np.clip(est - half, lower, upper), np.clip(est + half, lower, upper)


def propagate_scores(
    framework: Framework,
    indicator_ids: Sequence[str],
    scores: np.ndarray,
    replicate_scores: np.ndarray,
    *,
    method: str = "arithmetic",
    weights: Mapping[str, float] | None = None,
    area_weights: Mapping[str, float] | None = None,
    shift: float = 1.0,
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Area scores and the index, for the point estimates and every replicate.

    Parameters
    ----------
    framework : Framework
        The framework or a regrouped view.
    indicator_ids : sequence of str
        The indicators (columns of ``scores``).
    scores : ndarray (k,)
        City-wide indicator scores (NaN: left out of every aggregate).
    replicate_scores : ndarray (R, k)
        The same scores in every replicate (P and A columns constant). A NaN in a
        replicate makes that replicate's area score (and index) NaN, so it is left out
        of the variance rather than silently re-weighted.

    Returns
    -------
    areas : ndarray (A,)
    area_replicates : ndarray (R, A)
    index : float
    index_replicates : ndarray (R,)

    Examples
    --------
    >>> import numpy as np
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> fw = load_framework()
    >>> ids = ["health_p_interpreting", "health_o_unmet_need"]
    >>> a, reps, idx, _ = propagate_scores(fw, ids, np.array([50.0, 70.0]),
    ...                                    np.array([[50.0, 60.0], [50.0, 80.0]]))
    >>> float(a[0]), reps[:, 0].tolist(), idx
    (60.0, [55.0, 65.0], 60.0)
    """
    scores = np.asarray(scores, dtype=float)
    reps = np.asarray(replicate_scores, dtype=float)
    mat = area_matrix(framework, indicator_ids, weights=weights)  # (A, k)
    used = ~np.isnan(scores)
    mat = mat * used[None, :]
    n_areas = mat.shape[0]
    areas = np.full(n_areas, np.nan)
    area_reps = np.full((reps.shape[0], n_areas), np.nan)
    for a in range(n_areas):
        members = np.flatnonzero(mat[a] > 0)
        if members.size == 0:
            continue
        w = mat[a, members]
        areas[a] = aggregate(scores[members], w, method, shift=shift)
        sub = reps[:, members]
        vals = aggregate(sub, w, method, shift=shift)
        area_reps[:, a] = np.where(np.isnan(sub).any(axis=1), np.nan, vals)
    aw = np.array(
        [
            float(area_weights[x.id]) if area_weights and x.id in area_weights else float(x.weight)
            for x in framework.areas
        ]
    )
    index = aggregate(areas, aw, method, shift=shift)
    present = ~np.isnan(areas)
    index_reps = (
        aggregate(area_reps[:, present], aw[present], method, shift=shift)
        if present.any()
        else np.full(reps.shape[0], np.nan)
    )
    index_reps = np.where(np.isnan(area_reps[:, present]).any(axis=1), np.nan, index_reps)
    return areas, area_reps, index, np.asarray(index_reps, dtype=float)


def normalise_replicates(indicators: Sequence[Indicator], thetas: np.ndarray) -> np.ndarray:
    """Normalise replicate outcome values (R × k) on each indicator's goalposts.

    Examples
    --------
    >>> import numpy as np
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> ind = load_framework().indicator("labour_o_employed")   # goalposts 0.50 -> 0.78
    >>> normalise_replicates([ind], np.array([[0.64], [0.9]])).round(1).tolist()
    [[50.0], [100.0]]
    """
    out = np.empty_like(thetas, dtype=float)
    for j, ind in enumerate(indicators):
        assert ind.goalposts is not None
        out[:, j] = normalise(thetas[:, j], ind.goalposts)
    return out
