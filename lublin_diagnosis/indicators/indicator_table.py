"""The indicator table of a scorecard: one row per indicator and institution, city-wide
row first, with its value, interval, score, disclosure status and weight."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.indicators.outcomes import ESTIMATE_COLUMNS

__all__ = ["INDICATOR_COLUMNS", "indicator_table"]

#: Columns of :attr:`Scorecard.indicators`.
INDICATOR_COLUMNS: list[str] = [
    "area",
    "indicator",
    "kind",
    "statistic",
    "institution",
    "round",
    "answer",
    "value",
    "ci_low",
    "ci_high",
    "se",
    "df",
    "n",
    "n_institutions",
    "score",
    "score_ci_low",
    "score_ci_high",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
    "reference",
    "reference_illustrative",
    "weight",
    "in_aggregate",
    "status",
    "cv",
    "suppressed",
    "low_reliability",
    "flags",
]

_INT_COLUMNS = ("n", "n_institutions", "round")
_OBJECT_COLUMNS = ("institution", "answer", "reference_illustrative")
_BOOL_COLUMNS = ("suppressed", "low_reliability", "in_aggregate")
_TEXT_COLUMNS = ("area", "indicator", "kind", "statistic", "status", "flags")
#: Every other column holds numbers.
_FLOAT_COLUMNS = tuple(
    c
    for c in INDICATOR_COLUMNS
    if c not in _INT_COLUMNS + _OBJECT_COLUMNS + _BOOL_COLUMNS + _TEXT_COLUMNS
)


def indicator_table(
    base: Framework,
    policy: pd.DataFrame,
    admin: pd.DataFrame,
    outcomes: pd.DataFrame,
    survey_round: int | None,
    weights: Mapping[str, float] | None,
) -> pd.DataFrame:
    """The indicator table by home area: city-wide row first, then institutions.

    Parameters
    ----------
    base : Framework
    policy, admin, outcomes : DataFrame
        From :func:`~lublin_diagnosis.indicators.scoring.policy_scores`,
        :func:`~lublin_diagnosis.indicators.scoring.admin_scores` and the protected
        :func:`~lublin_diagnosis.indicators.scoring.outcome_estimates`.
    survey_round : int or None
    weights : mapping, optional
        Indicator weights overriding the framework's.

    Returns
    -------
    DataFrame
        :data:`INDICATOR_COLUMNS`; every indicator has a city-wide row (``no_data`` when
        nothing was found).

    Examples
    --------
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> empty = pd.DataFrame(columns=["indicator"])
    >>> t = indicator_table(load_framework(), empty, empty, empty, 2023, None)
    >>> t["status"].unique().tolist(), bool(t["in_aggregate"].any())
    (['no_data'], False)
    """
    by_ind = _found_rows(base, policy, admin, outcomes, survey_round)
    rows = []
    for ind in base.indicators:
        rows += _indicator_rows(ind, by_ind[ind.id], survey_round, weights)
    return _typed(rows)


def _found_rows(
    base: Framework,
    policy: pd.DataFrame,
    admin: pd.DataFrame,
    outcomes: pd.DataFrame,
    survey_round: int | None,
) -> dict[str, list[dict]]:
    """The rows of each indicator found in the P, A and O tables."""
    by_ind: dict[str, list[dict]] = {i: [] for i in base.indicator_ids}
    for rec in policy.to_dict("records"):
        by_ind[rec["indicator"]].append(
            {
                "institution": rec["institution"],
                "round": rec["round"],
                "answer": rec["answer"],
                "value": rec["score"],
                "score": rec["score"],
                "n_institutions": rec["n_institutions"],
            }
        )
    for rec in admin.to_dict("records"):
        by_ind[rec["indicator"]].append(
            {
                "institution": rec["institution"],
                "round": rec["round"],
                "value": rec["value"],
                "score": rec["score"],
                "reference": rec["reference"],
                "gap": rec["gap"],
                "n_institutions": rec["n_institutions"],
            }
        )
    keep = [*ESTIMATE_COLUMNS, "cv", "suppressed", "low_reliability", "flags"]
    for rec in outcomes.to_dict("records"):
        row = {k: rec[k] for k in keep}
        row.update(institution=None, round=survey_round)
        by_ind[rec["indicator"]].append(row)
    return by_ind


def _indicator_rows(
    ind: Any, found: list[dict], survey_round: int | None, weights: Mapping[str, float] | None
) -> list[dict]:
    """The rows of one indicator: city-wide first, then institutions, with its status."""
    rows = []
    city = [r for r in found if _missing(r.get("institution"))]
    insts = sorted(
        (r for r in found if not _missing(r.get("institution"))),
        key=lambda r: str(r["institution"]),
    )
    if not city:
        city = [{"institution": None, "round": survey_round if ind.kind == "O" else None}]
    for r in city + insts:
        row = dict.fromkeys(INDICATOR_COLUMNS)
        row.update(r)
        row.update(
            area=ind.area,
            indicator=ind.id,
            kind=ind.kind,
            statistic=ind.statistic,
            weight=float(weights[ind.id]) if weights and ind.id in weights else float(ind.weight),
        )
        if ind.reference is not None:
            row["reference"] = ind.reference.value
            row["reference_illustrative"] = ind.reference.illustrative
        row["suppressed"] = bool(row.get("suppressed") or False)
        row["low_reliability"] = bool(row.get("low_reliability") or False)
        row["flags"] = row.get("flags") or ""
        score = row.get("score")
        has_score = score is not None and not (isinstance(score, float) and np.isnan(score))
        row["status"] = (
            "suppressed" if row["suppressed"] else "published" if has_score else "no_data"
        )
        row["in_aggregate"] = bool(
            _missing(row["institution"]) and has_score and not row["suppressed"]
        )
        rows.append(row)
    return rows


def _typed(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=INDICATOR_COLUMNS)
    for c in _FLOAT_COLUMNS:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in _INT_COLUMNS:
        out[c] = pd.array([None if _missing(v) else int(v) for v in out[c]], dtype="Int64")
    for c in _OBJECT_COLUMNS:
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    for c in _BOOL_COLUMNS:
        out[c] = out[c].astype(bool)
    for c in _TEXT_COLUMNS:
        out[c] = out[c].astype("str")
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))
