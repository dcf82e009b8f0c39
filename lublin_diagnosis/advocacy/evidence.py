"""The evidence behind each recommendation: the indicators it rests on, with their values
in the scorecard (city-wide, and the addressed institution's own answer)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register  # noqa: F401 (examples)
from lublin_diagnosis.advocacy.status import recommendation_status
from lublin_diagnosis.exceptions import Problem, ValidationError
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = ["recommendation_indicators"]


def recommendation_indicators(
    dataset: Any,
    scorecard: Any,
    *,
    lang: str | None = None,
    framework: Any = None,
    reference_date: Any = None,
    institution: str | None = None,
) -> pd.DataFrame:
    """The indicators each recommendation rests on, with their values in the scorecard.

    Parameters
    ----------
    dataset : Dataset
    scorecard : Scorecard or ScorecardTables
        Its ``indicators`` table: the scored round's city-wide rows and (for policy
        indicators) each institution's answer.
    lang : {"pl", "en"}, optional
        Add the indicator's ``label`` and, for a policy indicator, the ``answer_label``
        of the institution's answer.
    framework : Framework or str, optional
    reference_date, institution
        As in :func:`recommendation_status`.

    Returns
    -------
    DataFrame
        One row per recommendation and indicator: ``rec_id, institution, area,
        indicator, kind, round, answer, score_institution`` (the addressed
        institution's own score, policy indicators and institution-level figures),
        ``value, ci_low, ci_high, n, score_city`` (the city-wide row: for a survey
        outcome the weighted estimate with its interval and unweighted base) and the
        disclosure columns ``suppressed, low_reliability, flags`` of the city-wide row.
        ``n`` is given for survey outcomes only, and the column is left out when no
        recommendation rests on a survey outcome (so that the publisher has no survey
        base to check).

    Raises
    ------
    ValidationError
        When a recommendation names an indicator that is not in the scorecard.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> card = NS(indicators=pd.DataFrame({
    ...     "area": ["labour"] * 2, "indicator": ["labour_p_mup_services"] * 2,
    ...     "kind": ["P", "P"], "institution": [None, "mup"], "round": [2023, 2023],
    ...     "answer": [None, "partial"], "value": [62.5, 50.0], "ci_low": [None, None],
    ...     "ci_high": [None, None], "n": [None, None], "score": [62.5, 50.0],
    ...     "suppressed": [False, False], "low_reliability": [False, False], "flags": ["", ""]}))
    >>> basis = recommendation_indicators(example_register(), card, institution="mup")
    >>> basis[["rec_id", "answer", "score_institution", "score_city"]].to_dict("records")
    [{'rec_id': 'R2', 'answer': 'partial', 'score_institution': 50.0, 'score_city': 62.5}]
    """
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None),
        dataset=dataset,
    )
    status = recommendation_status(dataset, reference_date=reference_date, institution=institution)
    ind = scorecard.indicators
    city = ind[ind["institution"].isna()].drop_duplicates("indicator").set_index("indicator")
    own: dict[tuple[str, str], dict] = {}
    for rec in ind[ind["institution"].notna()].to_dict("records"):
        own.setdefault((str(rec["institution"]), str(rec["indicator"])), rec)
    rows, problems = _evidence_rows(status, city, own)
    if problems:
        raise ValidationError(problems, summary="recommendations rest on unknown indicators")
    out = _typed(rows)
    if lang is not None:
        out.insert(
            out.columns.get_loc("indicator") + 1,
            "label",
            [fw.label(i, lang) for i in out["indicator"]],
        )
        out.insert(
            out.columns.get_loc("answer") + 1,
            "answer_label",
            [
                fw.label(fw.indicator(i).option(a), lang) if isinstance(a, str) else None
                for i, a in zip(out["indicator"], out["answer"], strict=False)
            ],
        )
    return out


def _evidence_rows(
    status: pd.DataFrame, city: pd.DataFrame, own: dict[tuple[str, str], dict]
) -> tuple[list[dict], list[Problem]]:
    """A row per recommendation and indicator, and a problem per unknown indicator."""
    rows, problems = [], []
    for rec, inst, area, ids in zip(
        status["rec_id"],
        status["institution"],
        status["area"],
        status["indicator_ids"],
        strict=False,
    ):
        for ind_id in [s.strip() for s in str(ids).split(";") if s.strip()]:
            if ind_id not in city.index:
                problems.append(
                    Problem(
                        "recommendations.csv",
                        "unknown_indicator",
                        f"recommendation {rec} rests on indicator "
                        f"{ind_id!r}, which is not in the scorecard",
                        column="indicator_ids",
                        value=ind_id,
                    )
                )
                continue
            c = city.loc[ind_id]
            o = own.get((inst, ind_id))
            rows.append(
                {
                    "rec_id": rec,
                    "institution": inst,
                    "area": area,
                    "indicator": ind_id,
                    "kind": str(c["kind"]),
                    "round": (o["round"] if o is not None else c["round"]),
                    "answer": (o["answer"] if o is not None else None),
                    "score_institution": float(o["score"])
                    if o is not None and not pd.isna(o["score"])
                    else np.nan,
                    "value": c["value"],
                    "ci_low": c["ci_low"],
                    "ci_high": c["ci_high"],
                    "n": c["n"] if str(c["kind"]) == "O" else pd.NA,
                    "score_city": c["score"],
                    "suppressed": bool(c["suppressed"]),
                    "low_reliability": bool(c["low_reliability"]),
                    "flags": str(c["flags"]),
                }
            )
    return rows, problems


def _typed(rows: list[dict]) -> pd.DataFrame:
    cols = [
        "rec_id",
        "institution",
        "area",
        "indicator",
        "kind",
        "round",
        "answer",
        "score_institution",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "score_city",
        "suppressed",
        "low_reliability",
        "flags",
    ]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("value", "ci_low", "ci_high", "score_institution", "score_city"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in ("n", "round"):
        out[c] = pd.array([None if pd.isna(v) else int(v) for v in out[c]], dtype="Int64")
    out["answer"] = out["answer"].astype(object).where(out["answer"].notna(), None)
    for c in ("suppressed", "low_reliability"):
        out[c] = out[c].astype(bool)
    if not (out["kind"] == "O").any():
        out = out.drop(columns=["n"])
    return out
