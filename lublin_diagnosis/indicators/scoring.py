"""Scoring: indicator scores, area scores and the overall index, as pure functions.

The three kinds of indicator are scored on one 0-100 scale (100 = best practice):

* ``P`` policy: the answer option's score (0 / 50 / 100 in the default framework) for
  each monitored institution (:func:`policy_scores`); the city-wide score of an
  indicator is the **unweighted mean over the institutions** that answered it, and an
  institution's policy score in an area is the mean of its answers there
  (:func:`institution_scores`) -- the MIPEX rule (configurable weights);
* ``A`` administrative count: the value on its fixed goalposts (:func:`admin_scores`);
* ``O`` survey outcome: the weighted estimate among migrants with its confidence
  interval from the raked survey design (logit interval for shares, t interval for
  means), scored on its goalposts; the score interval is the image of the value
  interval (normalisation is monotone, so it keeps its coverage); the gap to the
  Polish-population reference, with the reference treated as fixed
  (:func:`outcome_estimates`).

Goalposts are fixed anchors (:func:`normalise`, never min-max across units: there is one
city). Area scores aggregate the city-wide indicator scores of each area
(:func:`area_scores`, members from ``framework.indicators_of(area)`` so that a
regrouped view -- ICC-14 -- works the same), and the overall index aggregates the area
scores with the area weights (:func:`index_score`), both with :func:`aggregate`:

* ``"arithmetic"``: weighted mean (compensatory; MIPEX, ICC);
* ``"geometric"``: weighted geometric mean of the scores **shifted by one point**,
  ``exp(sum w log(s + 1) / sum w) - 1``. A zero score would make a plain geometric mean
  zero whatever the other scores, and a log undefined; the shift keeps every score's
  influence finite while staying strongly non-compensatory (scores 0 and 100 give 9.05,
  against 50 arithmetically); equal scores give that score back and the result stays
  within the range of the scores. ``shift=0`` gives the plain geometric mean (0 as soon
  as one score is 0).

Missing indicator scores (an indicator nobody answered in a round, or an outcome
suppressed by disclosure control) are left out and the weights of the others rescaled
(``skipna``); tables report how many indicators entered each score.

>>> from lublin_diagnosis.indicators.scoring import aggregate
>>> aggregate([0, 50, 100]), round(aggregate([0, 100], method="geometric"), 2)
(50.0, 9.05)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DataError, DomainError, EstimationError
from lublin_diagnosis.framework.model import (
    Framework,
    Goalposts,
    Indicator,
    normalise,
)
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "AGGREGATIONS",
    "DISPARITY_VARIABLES",
    "admin_scores",
    "aggregate",
    "area_matrix",
    "area_scores",
    "index_score",
    "institution_scores",
    "normalise",
    "outcome_arrays",
    "outcome_estimates",
    "policy_scores",
    "scale_goalposts",
]

#: Aggregation rules of :func:`aggregate`.
AGGREGATIONS: tuple[str, ...] = ("arithmetic", "geometric")
#: Default survey variables for disparities.
DISPARITY_VARIABLES: tuple[str, ...] = ("citizenship", "sex", "age_group", "years_in_pl")

_PREFIX = "__ld_"


# --------------------------------------------------------------------------- aggregation
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


# --------------------------------------------------------------------------- helpers
def _rounds(frame: pd.DataFrame, round: int | None, name: str) -> pd.DataFrame:
    if "round" not in frame.columns:
        raise DataError(f"{name}: no 'round' column")
    if round is None:
        return frame
    out = frame[frame["round"] == round]
    if out.empty:
        known = sorted(set(frame["round"].dropna().astype(int)))
        raise DataError(f"{name}: no rows for round {round}; rounds: {known}")
    return out


def _blank(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _order(framework: Framework) -> dict[str, int]:
    return {ind_id: k for k, ind_id in enumerate(framework.base.indicator_ids)}


# --------------------------------------------------------------------------- P
def policy_scores(
    monitoring: pd.DataFrame, framework: Framework | str = "lublin-14", *, round: int | None = None
) -> pd.DataFrame:
    """Score the monitoring answers: per institution and city-wide, per round.

    Parameters
    ----------
    monitoring : DataFrame
        ``institution_id, indicator_id, answer, round`` (``Dataset.monitoring``).
    framework : Framework or str
    round : int, optional
        Keep one round (default: every round, scored separately).

    Returns
    -------
    DataFrame
        ``area, indicator, kind, institution, round, answer, score, n_institutions``:
        one row per answer (``n_institutions`` 1), then per indicator and round one
        city-wide row (``institution`` missing, ``answer`` missing) whose score is the
        unweighted mean of the institutions' scores (the MIPEX rule) and
        ``n_institutions`` the number of institutions averaged. ``area`` is the
        indicator's home area.

    Raises
    ------
    DataError
        An indicator that is not a ``P`` indicator of the framework, an answer that is
        not one of its options, or an answer given twice -- naming the indicator, the
        institution and the round.

    Examples
    --------
    >>> import pandas as pd
    >>> mon = pd.DataFrame({"institution_id": ["clinic_a", "clinic_b"],
    ...                     "indicator_id": ["health_p_interpreting"] * 2,
    ...                     "answer": ["partial", "full"], "round": [2022, 2022]})
    >>> policy_scores(mon)[["institution", "score", "n_institutions"]].to_dict("records")
    [{'institution': 'clinic_a', 'score': 50.0, 'n_institutions': 1}, {'institution': 'clinic_b', 'score': 100.0, 'n_institutions': 1}, {'institution': None, 'score': 75.0, 'n_institutions': 2}]
    """
    fw = resolve_framework(framework)
    base = fw.base
    mon = _rounds(monitoring, round, "monitoring")
    need = [
        c for c in ("institution_id", "indicator_id", "answer", "round") if c not in mon.columns
    ]
    if need:
        raise DataError(f"monitoring: columns {need} are missing")
    rows = []
    seen: dict[tuple, int] = {}
    for pos, rec in enumerate(
        mon[["institution_id", "indicator_id", "answer", "round"]].itertuples(index=False)
    ):
        inst, ind_id, answer, rnd = rec
        where = f"monitoring: indicator {ind_id!r}, institution {inst!r}, round {rnd}"
        ind = _indicator_of_kind(
            base, ind_id, "P", where, "monitoring answers policy (P) indicators only"
        )
        key = (ind.id, str(inst), int(rnd))
        if key in seen:
            raise DataError(f"{where}: answered twice (rows {seen[key] + 2} and {pos + 2})")
        seen[key] = pos
        if _blank(answer):
            continue
        try:
            score = float(ind.score(str(answer)))
        except KeyError as exc:
            raise DataError(f"{where}: {exc.args[0]}") from None
        rows.append(
            {
                "area": ind.area,
                "indicator": ind.id,
                "kind": "P",
                "institution": str(inst),
                "round": int(rnd),
                "answer": str(answer),
                "score": score,
                "n_institutions": 1,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "area",
            "indicator",
            "kind",
            "institution",
            "round",
            "answer",
            "score",
            "n_institutions",
        ],
    )
    if out.empty:
        return out
    city = (
        out.groupby(["area", "indicator", "kind", "round"], sort=False)
        .agg(score=("score", "mean"), n_institutions=("score", "size"))
        .reset_index()
    )
    city["institution"] = None
    city["answer"] = None
    out = pd.concat([out, city[out.columns]], ignore_index=True)
    return _sorted(out, fw)


def _sorted(frame: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    order = _order(fw)
    key = pd.DataFrame(
        {
            "i": frame["indicator"].map(order),
            "r": frame["round"],
            "c": frame["institution"].isna(),
            "n": frame["institution"].astype(object).where(frame["institution"].notna(), ""),
        },
        index=frame.index,
    )
    idx = key.sort_values(["i", "r", "c", "n"], kind="stable").index
    out = frame.loc[idx].reset_index(drop=True)
    out["institution"] = out["institution"].astype(object).where(out["institution"].notna(), None)
    return out


def institution_scores(
    policy: pd.DataFrame,
    framework: Framework | str = "lublin-14",
    *,
    method: str = "arithmetic",
    weights: Mapping[str, float] | None = None,
    shift: float = 1.0,
) -> pd.DataFrame:
    """Each institution's policy score in each area (or group of a regrouped view).

    Parameters
    ----------
    policy : DataFrame
        From :func:`policy_scores` (per-institution rows are used).
    framework : Framework or str
        The framework or a regrouped view (``fw.regroup("icc-14")``).
    method, shift : see :func:`aggregate`
    weights : mapping, optional
        Indicator id → weight, overriding the framework's weights.

    Returns
    -------
    DataFrame
        ``institution, round, area, score, n_indicators`` for every institution with at
        least one answer in the area.

    Examples
    --------
    >>> import pandas as pd
    >>> mon = pd.DataFrame({"institution_id": ["clinic_a"] * 2,
    ...                     "indicator_id": ["health_p_interpreting", "health_p_info_languages"],
    ...                     "answer": ["none", "full"], "round": [2022, 2022]})
    >>> institution_scores(policy_scores(mon)).to_dict("records")
    [{'institution': 'clinic_a', 'round': 2022, 'area': 'health', 'score': 50.0, 'n_indicators': 2}]
    """
    fw = resolve_framework(framework)
    per = policy[policy["institution"].notna()]
    rows = []
    for (inst, rnd), part in per.groupby(["institution", "round"], sort=True):
        scores = dict(zip(part["indicator"], part["score"], strict=False))
        for area in fw.areas:
            members = [i for i in fw.indicators_of(area, "P") if i.id in scores]
            if not members:
                continue
            w = [_weight(i, weights) for i in members]
            # an indicator weighted 0 takes no part in the score: it is not counted either
            s = [scores[i.id] for i in members]
            rows.append(
                {
                    "institution": inst,
                    "round": int(rnd),
                    "area": area.id,
                    "score": aggregate(s, w, method, shift=shift),
                    "n_indicators": sum(x > 0 for x in w),
                }
            )
    return pd.DataFrame(rows, columns=["institution", "round", "area", "score", "n_indicators"])


def _weight(ind: Indicator, weights: Mapping[str, float] | None) -> float:
    if weights is not None and ind.id in weights:
        return float(weights[ind.id])
    return float(ind.weight)


# --------------------------------------------------------------------------- A
def admin_scores(
    admin: pd.DataFrame, framework: Framework | str = "lublin-14", *, round: int | None = None
) -> pd.DataFrame:
    """Score the administrative figures on their goalposts.

    Parameters
    ----------
    admin : DataFrame
        ``indicator_id, institution_id, round, value`` (``Dataset.admin``); an empty
        ``institution_id`` is a city-wide figure.
    framework : Framework or str
    round : int, optional
        Keep one round (default every round).

    Returns
    -------
    DataFrame
        ``area, indicator, kind, institution, round, value, score, reference, gap,
        n_institutions``: one row per figure, then per indicator and round one city-wide
        row (``institution`` missing): the city-wide figure if one is given, otherwise
        the figure of the single institution reporting it, otherwise (several
        institutions) the mean of their scores with ``value`` missing (figures of
        different institutions are not added up blindly). ``gap`` is ``value -
        reference`` (no interval: administrative figures are taken as exact).

    Examples
    --------
    >>> import pandas as pd
    >>> adm = pd.DataFrame({"indicator_id": ["legal_aid_a_permit_days"],
    ...                     "institution_id": ["voivodeship_office"], "round": [2023],
    ...                     "value": [212.5]})
    >>> admin_scores(adm)[["institution", "value", "score"]].to_dict("records")
    [{'institution': 'voivodeship_office', 'value': 212.5, 'score': 50.0}, {'institution': None, 'value': 212.5, 'score': 50.0}]
    """
    fw = resolve_framework(framework)
    base = fw.base
    adm = _rounds(admin, round, "admin")
    need = [c for c in ("indicator_id", "institution_id", "round", "value") if c not in adm.columns]
    if need:
        raise DataError(f"admin: columns {need} are missing")
    rows = []
    for rec in adm[["indicator_id", "institution_id", "round", "value"]].itertuples(index=False):
        ind_id, inst, rnd, value = rec
        where = f"admin: indicator {ind_id!r}, institution {inst!r}, round {rnd}"
        ind = _indicator_of_kind(
            base, ind_id, "A", where, "admin figures are for administrative (A) indicators only"
        )
        value = float(value) if not _blank(value) else np.nan
        rows.append(_admin_row(ind, None if _blank(inst) else str(inst), int(rnd), value))
    out = pd.DataFrame(rows, columns=_ADMIN_COLUMNS)
    if out.empty:
        return out
    city = []
    for (ind_id, rnd), part in out.groupby(["indicator", "round"], sort=False):
        ind = base.indicator(ind_id)
        given = part[part["institution"].isna()]
        if len(given):
            continue
        if len(part) == 1:
            row = _admin_row(ind, None, int(rnd), float(part["value"].iloc[0]))
        else:
            row = _admin_row(ind, None, int(rnd), np.nan)
            row["score"] = float(part["score"].mean())
        row["n_institutions"] = len(part)
        city.append(row)
    out = (
        pd.concat([out, pd.DataFrame(city, columns=_ADMIN_COLUMNS)], ignore_index=True)
        if city
        else out
    )
    return _sorted(out, fw)


_ADMIN_COLUMNS = [
    "area",
    "indicator",
    "kind",
    "institution",
    "round",
    "value",
    "score",
    "reference",
    "gap",
    "n_institutions",
]


def _admin_row(ind: Indicator, inst: str | None, rnd: int, value: float) -> dict:
    ref = ind.reference.value if ind.reference is not None else np.nan
    return {
        "area": ind.area,
        "indicator": ind.id,
        "kind": "A",
        "institution": inst,
        "round": rnd,
        "value": value,
        "score": float(ind.score(value)) if np.isfinite(value) else np.nan,
        "reference": ref,
        "gap": value - ref,
        "n_institutions": 1,
    }


# --------------------------------------------------------------------------- O
def _with_columns(design, columns: Mapping[str, Any]):
    """A design identical to ``design`` with extra columns in its data.

    Uses ``SurveyDesign.with_columns``: the clone shares the weights, calibration and
    replicates (the rows are unchanged, so every variance computation stays valid).
    """
    clash = [c for c in columns if c in design.data.columns]
    if clash:
        raise EstimationError(f"internal column names {clash} clash with survey variables")
    return design.with_columns(**columns)


def outcome_arrays(
    frame: pd.DataFrame, indicators: Sequence[Indicator]
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome values and estimation domains of outcome indicators, as matrices.

    Returns ``(y, d)``, both (n × k): ``y`` the 1/0 outcome (share) or value (mean) with
    0 outside the domain, ``d`` 1.0 for respondents in the indicator's universe who
    answered, else 0.0. A replicate estimate is then ``(W.T @ y) / (W.T @ d)``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = resolve_framework().indicator("culture_o_polish_friends")
    >>> y, d = outcome_arrays(pd.DataFrame({"polish_friends": ["1", "0", None]}), [ind])
    >>> y[:, 0].tolist(), d[:, 0].tolist()
    ([1.0, 0.0, 0.0], [1.0, 1.0, 0.0])
    """
    n, k = len(frame), len(indicators)
    y = np.zeros((n, k))
    d = np.zeros((n, k))
    for j, ind in enumerate(indicators):
        values = _outcome(frame, ind)
        ok = values.notna().to_numpy()
        d[:, j] = ok
        y[:, j] = np.where(ok, values.fillna(0.0).to_numpy(dtype=float), 0.0)
    return y, d


def _present(column: pd.Series) -> pd.Series:
    """A grouping column restricted to a domain: unused categories dropped (so group
    order stays the codebook's and no empty group is created)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.remove_unused_categories()
    return column


def _outcome(frame: pd.DataFrame, ind: Indicator) -> pd.Series:
    """The outcome within the universe (NaN outside it or unanswered)."""
    needed = [ind.variable] + [c.variable for c in ind.universe]
    missing = [v for v in needed if v not in frame.columns]
    if missing:
        raise EstimationError(
            f"outcome indicator {ind.id!r} ({ind.area}): survey "
            f"variable(s) {missing} are not in the survey data"
        )
    values = ind.outcome(frame).astype(float)
    return values.where(ind.universe_mask(frame))


def outcome_estimates(
    design,
    framework: Framework | str = "lublin-14",
    *,
    by: str | Sequence[str] | None = None,
    method: str = "logit",
    level: float = 0.95,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Weighted estimates of the outcome (``O``) indicators, with intervals and scores.

    Each indicator is estimated in its domain -- the respondents in its universe who
    answered -- on the whole design (out-of-domain rows contribute zero, the correct
    domain variance): a share with ``design.proportion`` (``method``, default the logit
    interval, t quantile on the domain's degrees of freedom), a mean with
    ``design.mean`` (t interval).

    Parameters
    ----------
    design : SurveyDesign
        The (raked) survey design; a replicate design gives replicate standard errors.
    framework : Framework or str
    by : str or sequence of str, optional
        Survey variables: one estimate per group (e.g. :data:`DISPARITY_VARIABLES`);
        groups without a respondent in the domain are left out.
    method : str
        Interval of a share (see ``design.proportion``).
    level : float
        Confidence level.
    indicators : iterable of str, optional
        Restrict to these outcome indicators (default all, in framework order).

    Returns
    -------
    DataFrame
        ``area, indicator, kind, statistic, [by, group,] value, se, ci_low, ci_high, df,
        n, score, score_ci_low, score_ci_high, reference, reference_illustrative, gap,
        gap_ci_low, gap_ci_high``. ``value`` is a proportion in [0, 1] (or a mean on the
        variable's scale), ``n`` the unweighted base, the score interval the
        normalised value interval, the gap ``value - reference`` with the interval
        shifted by the (fixed) reference. An indicator whose domain is empty has
        ``n = 0`` and missing values.

    Raises
    ------
    EstimationError
        A survey or universe variable of an indicator is not in the data (names the
        indicator).

    Examples
    --------
    >>> import lublin_diagnosis as ld
    >>> design = ld.SurveyDesign.from_dataset(ld.load_dataset("data/demo"))  # doctest: +SKIP
    >>> outcome_estimates(design, indicators=["labour_o_employed"])          # doctest: +SKIP
    """
    fw = resolve_framework(framework)
    base = fw.base
    wanted = None if indicators is None else list(indicators)
    inds = [i for i in base.indicators if i.kind == "O"]
    if wanted is not None:
        known = {i.id for i in inds}
        bad = [w for w in wanted if w not in known]
        if bad:
            raise EstimationError(f"{bad} are not outcome (O) indicators of framework {base.id!r}")
        inds = [i for i in inds if i.id in set(wanted)]
    by_vars = [] if by is None else ([by] if isinstance(by, str) else list(by))
    work = outcome_columns(design, inds, by_vars)
    rows = []
    for k, ind in enumerate(inds):
        col = outcome_column(k)
        if not by_vars:
            rows.extend(_estimate_rows(work, ind, col, None, None, method, level))
        for b, v in enumerate(by_vars):
            rows.extend(_estimate_rows(work, ind, col, group_column(k, b), v, method, level))
    cols = (
        ["area", "indicator", "kind", "statistic"]
        + (["by", "group"] if by_vars else [])
        + [
            "value",
            "se",
            "ci_low",
            "ci_high",
            "df",
            "n",
            "score",
            "score_ci_low",
            "score_ci_high",
            "reference",
            "reference_illustrative",
            "gap",
            "gap_ci_low",
            "gap_ci_high",
        ]
    )
    out = pd.DataFrame(rows, columns=cols)
    out["n"] = out["n"].astype("int64")
    return out


def _indicator_of_kind(base: Framework, ind_id: Any, kind: str, where: str, rule: str) -> Indicator:
    """The framework's indicator ``ind_id``, which must be of ``kind`` (else DataError)."""
    try:
        ind = base.indicator(str(ind_id))
    except KeyError:
        raise DataError(f"{where}: not an indicator of framework {base.id!r}") from None
    if ind.kind != kind:
        raise DataError(f"{where}: a {ind.kind} indicator; {rule}")
    return ind


def outcome_column(k: int) -> str:
    """Name of the k-th outcome column added by :func:`outcome_columns`."""
    return f"{_PREFIX}y{k}"


def group_column(k: int, b: int) -> str:
    """Name of the b-th grouping column of the k-th outcome (see :func:`outcome_columns`)."""
    return f"{_PREFIX}b{k}_{b}"


def outcome_columns(design, inds: Sequence[Indicator], by_vars: Sequence[str]):
    """The design with, for every outcome indicator, its 1/0 (or numeric) outcome column
    and, per grouping variable, the group of the rows that have an outcome.

    Column names come from :func:`outcome_column` and :func:`group_column`.
    """
    frame = design.data
    for v in by_vars:
        if v not in frame.columns:
            raise DomainError(f"disparity variable {v!r} is not in the survey data")
    columns: dict[str, pd.Series] = {}
    for k, ind in enumerate(inds):
        y = _outcome(frame, ind)
        columns[outcome_column(k)] = y
        for b, v in enumerate(by_vars):
            columns[group_column(k, b)] = _present(frame[v].where(y.notna()))
    return _with_columns(design, columns)


def _estimate_rows(
    work,
    ind: Indicator,
    col: str,
    by_col: str | None,
    by_name: str | None,
    method: str,
    level: float,
) -> list[dict]:
    share = ind.success is not None
    try:
        if share:
            res = work.proportion(col, None, method=method, by=by_col, na_rm=True, conf_level=level)
        else:
            res = work.mean(col, by=by_col, na_rm=True, level=level)
    except DomainError:
        if by_col is not None:
            return []
        res = pd.DataFrame(
            [
                {
                    "estimate": np.nan,
                    "se": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "df": np.nan,
                    "n": 0,
                }
            ]
        )
    rows = []
    for rec in res.to_dict("records"):
        row = _scored(
            ind, rec["estimate"], rec["se"], rec["ci_low"], rec["ci_high"], rec["df"], int(rec["n"])
        )
        if by_col is not None:
            row["by"] = by_name
            row["group"] = str(rec[by_col])
        rows.append(row)
    return rows


def _scored(
    ind: Indicator, value: float, se: float, lo: float, hi: float, df: float, n: int
) -> dict:
    gp = ind.goalposts
    assert gp is not None
    ends = sorted([normalise(lo, gp), normalise(hi, gp)]) if np.isfinite(lo) else [np.nan] * 2
    ref = ind.reference.value if ind.reference is not None else np.nan
    return {
        "area": ind.area,
        "indicator": ind.id,
        "kind": "O",
        "statistic": ind.statistic,
        "value": float(value),
        "se": float(se),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "df": float(df),
        "n": n,
        "score": float(normalise(value, gp)) if np.isfinite(value) else np.nan,
        "score_ci_low": ends[0],
        "score_ci_high": ends[1],
        "reference": ref,
        "reference_illustrative": (
            ind.reference.illustrative if ind.reference is not None else None
        ),
        "gap": value - ref,
        "gap_ci_low": lo - ref,
        "gap_ci_high": hi - ref,
    }


# --------------------------------------------------------------------------- areas
def area_matrix(
    framework: Framework,
    indicator_ids: Sequence[str],
    *,
    weights: Mapping[str, float] | None = None,
) -> np.ndarray:
    """Weights of each indicator in each area (areas × indicators; 0 if not a member).

    Examples
    --------
    >>> fw = resolve_framework()
    >>> m = area_matrix(fw, ["health_p_interpreting", "labour_o_employed"])
    >>> m.shape, m[0].tolist()
    ((14, 2), [1.0, 0.0])
    """
    col = {ind_id: j for j, ind_id in enumerate(indicator_ids)}
    mat = np.zeros((len(framework.areas), len(indicator_ids)))
    for a, area in enumerate(framework.areas):
        for ind in framework.indicators_of(area):
            if ind.id in col:
                mat[a, col[ind.id]] = _weight(ind, weights)
    return mat


def area_scores(
    scores: Mapping[str, float] | pd.Series,
    framework: Framework | str = "lublin-14",
    *,
    method: str = "arithmetic",
    weights: Mapping[str, float] | None = None,
    shift: float = 1.0,
) -> pd.DataFrame:
    """Area scores from city-wide indicator scores.

    Parameters
    ----------
    scores : mapping or Series
        Indicator id → city-wide score (missing / NaN: left out).
    framework : Framework or str
        The framework or a regrouped view (areas are then its groups).
    method, shift : see :func:`aggregate`
    weights : mapping, optional
        Indicator id → weight, overriding the framework's.

    Returns
    -------
    DataFrame
        ``area, number, name_pl, name_en, weight, score, n_indicators, n_P, n_A, n_O,
        policy_score, admin_score, outcome_score`` (the last three aggregate one kind
        of indicator only).

    Examples
    --------
    >>> t = area_scores({"health_p_interpreting": 50.0, "health_o_unmet_need": 100.0})
    >>> t[["area", "score", "n_indicators", "policy_score"]].iloc[:1].to_dict("records")
    [{'area': 'health', 'score': 75.0, 'n_indicators': 2, 'policy_score': 50.0}]
    """
    fw = resolve_framework(framework)
    values = dict(scores)
    rows = []
    for area in fw.areas:
        members = fw.indicators_of(area)
        s = np.array([float(values.get(i.id, np.nan)) for i in members])
        w = np.array([_weight(i, weights) for i in members])
        kinds = np.array([i.kind for i in members])
        ok = ~np.isnan(s) & (w > 0)
        row = {
            "area": area.id,
            "number": area.number,
            "name_pl": area.name.pl,
            "name_en": area.name.en,
            "weight": float(area.weight),
            "score": aggregate(s, w, method, shift=shift) if len(s) else np.nan,
            "n_indicators": int(ok.sum()),
        }
        for kind in ("P", "A", "O"):
            row[f"n_{kind}"] = int((ok & (kinds == kind)).sum())
        for kind, name in (("P", "policy_score"), ("A", "admin_score"), ("O", "outcome_score")):
            sel = kinds == kind
            row[name] = aggregate(s[sel], w[sel], method, shift=shift) if sel.any() else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


def index_score(
    areas: pd.DataFrame | Mapping[str, float],
    framework: Framework | str = "lublin-14",
    *,
    method: str = "arithmetic",
    weights: Mapping[str, float] | None = None,
    shift: float = 1.0,
) -> float:
    """The overall index: the aggregate of the area scores with the area weights.

    Parameters
    ----------
    areas : DataFrame (from :func:`area_scores`) or mapping area id → score
    framework : Framework or str
        Gives the areas and their weights (a regrouped view: the group weights).
    weights : mapping, optional
        Area id → weight, overriding the framework's.

    Examples
    --------
    >>> index_score({"health": 40.0, "education": 60.0})
    50.0
    """
    fw = resolve_framework(framework)
    if isinstance(areas, pd.DataFrame):
        values = dict(zip(areas["area"], areas["score"], strict=False))
    else:
        values = dict(areas)
    s = np.array([float(values.get(a.id, np.nan)) for a in fw.areas])
    w = np.array(
        [
            float(weights[a.id]) if weights is not None and a.id in weights else float(a.weight)
            for a in fw.areas
        ]
    )
    return aggregate(s, w, method, shift=shift)
