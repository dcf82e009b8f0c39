"""Uncertainty and sensitivity analysis of the area scores (OECD/JRC Handbook style).

A composite score depends on choices as much as on data. Following the OECD/JRC
*Handbook on Constructing Composite Indicators*, a seeded Monte Carlo re-computes the
area scores and the overall index under many plausible sets of choices, and reports how
much each area's score -- and its place among the most urgent areas -- depends on them.
Each draw picks, independently:

* **weights**: every indicator weight (within its area) and every area weight (in the
  index) is multiplied by an independent uniform factor in ``[1 - r, 1 + r]``, ``r =
  weight_range`` (default 0.25: ±25 %);
* **aggregation**: the arithmetic or the geometric mean (shifted by one point, see
  :mod:`lublin_diagnosis.indicators.scoring`), with equal probability, at both levels (areas and
  index);
* **normalisation**: the fixed goalposts of the framework, or all goalposts of the
  ``A`` and ``O`` indicators widened, or narrowed, by ``goalpost_change`` (default
  10 %) of their distance, symmetrically around their midpoint
  (:func:`~lublin_diagnosis.indicators.scoring.scale_goalposts`), with equal probability. ``P``
  answers keep their 0/50/100 anchors: they are the definition of the scale.

The data are held fixed (the city-wide values of the scorecard; the sampling error of
the outcomes is reported separately by the replicate intervals of the scorecard), and
indicators suppressed by disclosure control stay out, as in the scorecard.

Per area the result gives the nominal score (the scorecard's), the median and the 5th
and 95th percentiles of the simulated scores, the nominal and median urgency rank (1 =
lowest score = most urgent) and the probability that the area is among the
``n_urgent`` (3) most urgent.

>>> from lublin_diagnosis.indicators.sensitivity import sensitivity_analysis
>>> result = sensitivity_analysis(scorecard, n_draws=1000, seed=1)   # doctest: +SKIP
>>> result.areas[["area", "p05", "median", "p95", "p_urgent"]]        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.indicators.scoring import AGGREGATIONS, aggregate, normalise, scale_goalposts

__all__ = ["NORMALISATIONS", "SensitivityResult", "sensitivity_analysis"]

#: Normalisation scenarios: fixed goalposts, widened, narrowed.
NORMALISATIONS: tuple[str, ...] = ("fixed", "widened", "narrowed")


@dataclass(frozen=True)
class SensitivityResult:
    """The result of :func:`sensitivity_analysis`.

    Attributes
    ----------
    areas : DataFrame
        One row per area: ``area, number, name_pl, name_en, score`` (nominal),
        ``mean, median, p05, p95, rank`` (nominal), ``median_rank, p05_rank, p95_rank,
        p_urgent``.
    index : DataFrame
        One row: the overall index, ``score, mean, median, p05, p95``.
    draws : DataFrame
        One row per draw and area: ``draw, aggregation, normalisation, area, score,
        rank``.
    settings : dict
        The parameters of the run (for the report).
    """

    areas: pd.DataFrame
    index: pd.DataFrame
    draws: pd.DataFrame = field(repr=False)
    settings: dict = field(default_factory=dict)


def _inputs(source: Any, framework: Framework | None) -> tuple[pd.DataFrame, Framework]:
    if isinstance(source, pd.DataFrame):
        if framework is None:
            raise ValueError("give the framework with an indicator table")
        return source, framework
    table = getattr(source, "indicators", None)
    fw = framework or getattr(source, "framework", None)
    if not isinstance(table, pd.DataFrame) or not isinstance(fw, Framework):
        raise TypeError(
            f"source must be a Scorecard or an indicator table, not {type(source).__name__}"
        )
    return table, fw


def sensitivity_analysis(
    source: Any,
    framework: Framework | None = None,
    *,
    n_draws: int = 1000,
    seed: int = 2023,
    weight_range: float = 0.25,
    aggregations: Sequence[str] = AGGREGATIONS,
    normalisations: Sequence[str] = NORMALISATIONS,
    goalpost_change: float = 0.10,
    method: str = "arithmetic",
    n_urgent: int = 3,
    shift: float = 1.0,
) -> SensitivityResult:
    """Monte Carlo sensitivity of area scores to weights, aggregation and normalisation.

    Parameters
    ----------
    source : Scorecard or DataFrame
        A scorecard (its ``indicators`` table and ``framework`` are used, so a
        scorecard regrouped with ``for_grouping`` is analysed by its groups), or an
        indicator table with the columns ``indicator, kind, institution, value, score,
        in_aggregate`` and optionally ``weight`` (city-wide rows have no institution).
        The nominal weights are those of the table (the scorecard's, including any
        override), else the framework's; area weights those of the scorecard's areas.
    framework : Framework, optional
        Required with a table; default the scorecard's.
    n_draws : int
        Number of Monte Carlo draws.
    seed : int
        Seed of the random numbers (the result is reproducible).
    weight_range : float
        Half-width of the uniform weight multipliers (0.25: ±25 %).
    aggregations, normalisations : sequences of str
        The scenarios drawn from (with equal probability).
    goalpost_change : float
        Relative widening / narrowing of the goalposts (0.10: 10 %).
    method : str
        Aggregation of the nominal scores (the scorecard's).
    n_urgent : int
        How many lowest-scoring areas count as "most urgent".

    Returns
    -------
    SensitivityResult

    Examples
    --------
    >>> import pandas as pd
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> fw = load_framework()
    >>> table = pd.DataFrame({"indicator": ["health_p_interpreting", "labour_o_employed"],
    ...                       "kind": ["P", "O"], "institution": [None, None],
    ...                       "value": [50.0, 0.64], "score": [50.0, 50.0],
    ...                       "in_aggregate": [True, True]})
    >>> res = sensitivity_analysis(table, fw, n_draws=200, seed=1)
    >>> res.areas.loc[res.areas["area"] == "health", ["p05", "p95"]].iloc[0].tolist()
    [50.0, 50.0]
    """
    _check_settings(n_draws, weight_range, goalpost_change, aggregations, normalisations)
    table, fw = _inputs(source, framework)
    city = table[table["institution"].isna() & table["in_aggregate"].astype(bool)]
    city = city.drop_duplicates("indicator")
    inds = [fw.base.indicator(i) for i in city["indicator"]]
    variants = _normalised_variants(city, inds, goalpost_change)
    members, nominal_w, area_w = _nominal_weights(source, city, inds, fw)
    rng = np.random.default_rng(seed)
    k, n_a = len(inds), len(fw.areas)
    w_draws = nominal_w[None, :] * rng.uniform(1 - weight_range, 1 + weight_range, (n_draws, k))
    aw_draws = area_w[None, :] * rng.uniform(1 - weight_range, 1 + weight_range, (n_draws, n_a))
    agg_pick = rng.integers(0, len(aggregations), n_draws)
    norm_pick = rng.integers(0, len(normalisations), n_draws)
    picks = [
        (agg, variants[norm], np.flatnonzero((agg_pick == ai) & (norm_pick == ni)))
        for ai, agg in enumerate(aggregations)
        for ni, norm in enumerate(normalisations)
    ]
    scores, index = _drawn_scores(picks, members, w_draws, aw_draws, shift)
    ranks = _ranks(scores)
    nominal = np.array(
        [
            aggregate(variants["fixed"][m], nominal_w[m], method, shift=shift) if m.size else np.nan
            for m in members
        ]
    )
    area_table = _area_summary(fw.areas, scores, ranks, nominal, n_urgent)
    index_table = pd.DataFrame(
        [{"score": aggregate(nominal, area_w, method, shift=shift), **_spread(index)}]
    )
    draws = pd.DataFrame(
        {
            "draw": np.repeat(np.arange(n_draws), n_a),
            "aggregation": np.repeat(np.asarray(aggregations, dtype=object)[agg_pick], n_a),
            "normalisation": np.repeat(np.asarray(normalisations, dtype=object)[norm_pick], n_a),
            "area": np.tile(np.array([a.id for a in fw.areas], dtype=object), n_draws),
            "score": scores.ravel(),
            "rank": ranks.ravel(),
        }
    )
    settings = {
        "n_draws": n_draws,
        "seed": seed,
        "weight_range": weight_range,
        "aggregations": tuple(aggregations),
        "normalisations": tuple(normalisations),
        "goalpost_change": goalpost_change,
        "method": method,
        "n_urgent": n_urgent,
        "shift": shift,
        "grouping": fw.grouped_by,
        "n_indicators": k,
    }
    return SensitivityResult(area_table, index_table, draws, settings)


def _check_settings(
    n_draws: int,
    weight_range: float,
    goalpost_change: float,
    aggregations: Sequence[str],
    normalisations: Sequence[str],
) -> None:
    if n_draws < 1:
        raise ValueError(f"n_draws must be >= 1, not {n_draws}")
    if not 0 <= weight_range < 1:
        raise ValueError(f"weight_range must be in [0, 1), not {weight_range}")
    if not 0 <= goalpost_change < 1:
        raise ValueError(f"goalpost_change must be in [0, 1), not {goalpost_change}")
    for a in aggregations:
        if a not in AGGREGATIONS:
            raise ValueError(f"unknown aggregation {a!r}; use {AGGREGATIONS}")
    for v in normalisations:
        if v not in NORMALISATIONS:
            raise ValueError(f"unknown normalisation {v!r}; use {NORMALISATIONS}")


def _normalised_variants(
    city: pd.DataFrame, inds: list[Any], goalpost_change: float
) -> dict[str, np.ndarray]:
    """The indicator scores under each normalisation (P scores do not change)."""
    factors = {"fixed": 1.0, "widened": 1 + goalpost_change, "narrowed": 1 - goalpost_change}
    variants = {}
    for name in NORMALISATIONS:
        s = []
        for ind, value, score in zip(inds, city["value"], city["score"], strict=False):
            if ind.kind == "P":
                s.append(float(score))
            else:
                assert ind.goalposts is not None
                s.append(
                    float(normalise(float(value), scale_goalposts(ind.goalposts, factors[name])))
                )
        variants[name] = np.array(s, dtype=float)
    return variants


def _nominal_weights(
    source: Any, city: pd.DataFrame, inds: list[Any], fw: Framework
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """The columns of each area's indicators, the indicator weights and the area weights
    (the table's or scorecard's where given, else the framework's)."""
    col = {ind.id: j for j, ind in enumerate(inds)}
    members = [
        np.array([col[i.id] for i in fw.indicators_of(area) if i.id in col], dtype=int)
        for area in fw.areas
    ]
    table_w = (
        dict(zip(city["indicator"], city["weight"], strict=False))
        if "weight" in city.columns
        else {}
    )
    nominal_w = np.zeros(len(inds))
    for ind in inds:
        nominal_w[col[ind.id]] = float(table_w.get(ind.id, ind.weight))
    area_table = getattr(source, "areas", None)
    given = (
        dict(zip(area_table["area"], area_table["weight"], strict=False))
        if isinstance(area_table, pd.DataFrame) and "weight" in area_table.columns
        else {}
    )
    area_w = np.array([float(given.get(a.id, a.weight)) for a in fw.areas])
    return members, nominal_w, area_w


def _drawn_scores(
    picks: list[tuple[str, np.ndarray, np.ndarray]],
    members: list[np.ndarray],
    w_draws: np.ndarray,
    aw_draws: np.ndarray,
    shift: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Area scores (draws × areas) and index (draws) of each (aggregation, scores, draws)
    scenario."""
    n_draws = w_draws.shape[0]
    scores = np.full((n_draws, len(members)), np.nan)
    index = np.full(n_draws, np.nan)
    for agg, s, sel in picks:
        if sel.size == 0:
            continue
        for a, m in enumerate(members):
            if m.size:
                scores[np.ix_(sel, [a])] = np.asarray(
                    aggregate(
                        np.broadcast_to(s[m], (sel.size, m.size)),
                        w_draws[np.ix_(sel, m)],
                        agg,
                        shift=shift,
                    )
                ).reshape(-1, 1)
        index[sel] = aggregate(scores[sel], aw_draws[sel], agg, shift=shift)
    return scores, index


def _spread(values: np.ndarray) -> dict[str, float]:
    """Mean, median, 5th and 95th percentiles of the draws that have a value."""
    ok = ~np.isnan(values)
    q = np.percentile(values[ok], [5, 50, 95]) if ok.any() else [np.nan] * 3
    mean = float(values[ok].mean()) if ok.any() else np.nan
    return {"mean": mean, "median": q[1], "p05": q[0], "p95": q[2]}


def _area_summary(
    areas: Sequence[Any], scores: np.ndarray, ranks: np.ndarray, nominal: np.ndarray, n_urgent: int
) -> pd.DataFrame:
    nominal_rank = _ranks(nominal[None, :])[0]
    rows = []
    for a, area in enumerate(areas):
        s, r = scores[:, a], ranks[:, a]
        ok = ~np.isnan(s)
        rq = np.percentile(r[ok], [5, 50, 95]) if ok.any() else [np.nan] * 3
        rows.append(
            {
                "area": area.id,
                "number": area.number,
                "name_pl": area.name.pl,
                "name_en": area.name.en,
                "score": nominal[a],
                **_spread(s),
                "rank": nominal_rank[a],
                "median_rank": rq[1],
                "p05_rank": rq[0],
                "p95_rank": rq[2],
                "p_urgent": float((r[ok] <= n_urgent).mean()) if ok.any() else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """Urgency ranks per row: 1 = lowest score; ties in area order; NaN stays NaN."""
    filled = np.where(np.isnan(scores), np.inf, scores)
    order = np.argsort(filled, axis=1, kind="stable")
    ranks = np.empty_like(filled)
    rows = np.arange(scores.shape[0])[:, None]
    ranks[rows, order] = np.arange(1, scores.shape[1] + 1)[None, :]
    return np.where(np.isnan(scores), np.nan, ranks)
