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

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.framework.model import (
    Framework,
    Indicator,
    normalise,
)
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.aggregation import AGGREGATIONS, aggregate, scale_goalposts
from lublin_diagnosis.indicators.outcomes import outcome_arrays, outcome_estimates

__all__ = [
    "AGGREGATIONS",
    "DISPARITY_VARIABLES",
    "POLICY_COLUMNS",
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

#: Columns of :func:`policy_scores`.
POLICY_COLUMNS: list[str] = [
    "area",
    "indicator",
    "kind",
    "institution",
    "round",
    "answer",
    "score",
    "n_institutions",
]
#: Default survey variables for disparities.
DISPARITY_VARIABLES: tuple[str, ...] = ("citizenship", "sex", "age_group", "years_in_pl")


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
    out = pd.DataFrame(rows, columns=POLICY_COLUMNS)
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


# --------------------------------------------------------------------------- lookups
def _indicator_of_kind(base: Framework, ind_id: Any, kind: str, where: str, rule: str) -> Indicator:
    """The framework's indicator ``ind_id``, which must be of ``kind`` (else DataError)."""
    try:
        ind = base.indicator(str(ind_id))
    except KeyError:
        raise DataError(f"{where}: not an indicator of framework {base.id!r}") from None
    if ind.kind != kind:
        raise DataError(f"{where}: a {ind.kind} indicator; {rule}")
    return ind


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
