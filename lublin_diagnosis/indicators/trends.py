"""Trends over any number of rounds, and the city among its peers.

* :func:`round_table` -- the rounds of a dataset (``rounds.csv``, or the rounds found in
  the data), each with its ``retrospective`` mark and labels.
* :func:`policy_trends` -- city-wide policy (``P``) scores per area and round, over the
  current monitoring and its earlier rounds (``monitoring_history.csv``). A round's area
  score is the unweighted mean of the city-wide scores of the area's policy indicators
  answered in that round (the MIPEX rule, as in the scorecard); ``n_indicators`` and
  ``n_institutions`` say how much of the area a round covers (a retrospective round
  often covers less).
* :func:`outcome_trends` -- outcome (``O``) estimates per survey round (each round its
  own raked design, an independent sample), disclosure-protected, and the change
  between consecutive rounds with ``se = sqrt(se1² + se2²)`` and Satterthwaite degrees of
  freedom (:func:`~lublin_diagnosis.indicators.change.outcome_changes`).
* :func:`peer_comparison` -- the city's area scores beside the peer cities' scores in the
  same framework, with the city's rank in each area.

>>> import pandas as pd
>>> mon = pd.DataFrame({"institution_id": ["a", "b", "a"],
...                     "indicator_id": ["health_p_interpreting"] * 3,
...                     "answer": ["none", "partial", "full"], "round": [2011, 2011, 2022]})
>>> t = policy_trends(mon, rounds=pd.DataFrame({"round": [2011, 2022],
...                                               "retrospective": [True, False]}))
>>> t[t["area"] == "health"][["round", "score", "retrospective"]].to_dict("records")
[{'round': 2011, 'score': 25.0, 'retrospective': True}, {'round': 2022, 'score': 100.0, 'retrospective': False}]
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, protect_estimates
from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.change import outcome_changes
from lublin_diagnosis.indicators.scoring import outcome_estimates, policy_scores

__all__ = [
    "TREND_COLUMNS",
    "all_monitoring",
    "outcome_trends",
    "peer_comparison",
    "policy_trends",
    "round_table",
    "survey_designs",
]

#: Columns of :func:`policy_trends`.
TREND_COLUMNS: list[str] = [
    "area",
    "round",
    "retrospective",
    "score",
    "n_indicators",
    "n_institutions",
]


def all_monitoring(dataset: Any) -> pd.DataFrame | None:
    """The current monitoring answers and the earlier rounds, in one table (None if the
    dataset has no monitoring at all)."""
    frames = [f for f in (dataset.monitoring, dataset.monitoring_history) if f is not None]
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def round_table(dataset: Any) -> pd.DataFrame:
    """The rounds of a dataset: ``kind, round, retrospective, label_pl, label_en, source``
    (and ``source_pl``, ``source_en`` when ``rounds.csv`` has them).

    From ``rounds.csv`` when the dataset has one (``retrospective`` as a bool); otherwise
    the rounds found in the monitoring (current and earlier) and the survey rounds of
    ``survey_history.csv``, none retrospective, labelled by their year. The current
    survey then takes the last monitoring round, as the scorecard does.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ds = SimpleNamespace(rounds=None, monitoring=pd.DataFrame({"round": [2022, 2023]}),
    ...                      monitoring_history=None, survey_history=None)
    >>> round_table(ds)[["kind", "round", "retrospective"]].values.tolist()
    [['monitoring', 2022, False], ['monitoring', 2023, False], ['survey', 2023, False]]
    """
    columns = ["kind", "round", "retrospective", "label_pl", "label_en", "source"]
    if dataset.rounds is not None:
        out = dataset.rounds.copy()
        out["retrospective"] = out["retrospective"].astype(str).eq("yes")
        out["round"] = out["round"].astype(int)
        out["source"] = out["source"].fillna("") if "source" in out else ""
        own = [c for c in ("source_pl", "source_en") if c in out]  # the source by language
        return out[columns + own].sort_values(["kind", "round"], ignore_index=True)
    rows = []
    mon = all_monitoring(dataset)
    mon_rounds = sorted({int(r) for r in mon["round"].dropna()}) if mon is not None else []
    for r in mon_rounds:
        rows.append(("monitoring", r))
    survey = set()
    if dataset.survey_history is not None:
        survey |= {int(r) for r in dataset.survey_history["round"].dropna()}
    if mon_rounds:
        survey.add(mon_rounds[-1])
    rows += [("survey", r) for r in sorted(survey)]
    return pd.DataFrame(
        [(k, r, False, str(r), str(r), "") for k, r in rows], columns=columns
    ).astype({"round": "int64"})


def _retrospective(rounds: pd.DataFrame | None, kind: str = "monitoring") -> dict[int, bool]:
    if rounds is None:
        return {}
    rows = rounds[rounds["kind"] == kind] if "kind" in rounds.columns else rounds
    return {int(r): bool(x) for r, x in zip(rows["round"], rows["retrospective"], strict=False)}


def policy_trends(
    monitoring: pd.DataFrame,
    framework: Framework | str = "lublin-14",
    *,
    rounds: pd.DataFrame | None = None,
    matched: bool = False,
) -> pd.DataFrame:
    """City-wide policy scores per area and round.

    Parameters
    ----------
    monitoring : DataFrame
        Answers of every round (:func:`all_monitoring`).
    framework : Framework or str
    rounds : DataFrame, optional
        :func:`round_table` (or any frame with ``round`` and ``retrospective``).
    matched : bool
        Keep only the (institution, indicator) pairs answered in **every** round, so
        that a trend is a change of practice and not of who answered (a retrospective
        round usually covers fewer institutions and indicators).

    Returns
    -------
    DataFrame
        :data:`TREND_COLUMNS`, one row per area and round with at least one answer,
        in framework then round order.
    """
    fw = resolve_framework(framework)
    if matched and len(monitoring):
        n_rounds = monitoring["round"].nunique()
        pairs = monitoring.groupby(["institution_id", "indicator_id"])["round"].transform("nunique")
        monitoring = monitoring[pairs == n_rounds]
    scores = policy_scores(monitoring, fw)
    city = scores[scores["institution"].isna()]
    inst = scores[scores["institution"].notna()]
    retro = _retrospective(rounds)
    order = {a: i for i, a in enumerate(fw.area_ids)}
    rows = []
    for (area, rnd), group in city.groupby(["area", "round"], sort=False):
        answered = inst[(inst["area"] == area) & (inst["round"] == rnd)]
        rows.append(
            {
                "area": area,
                "round": int(rnd),
                "retrospective": retro.get(int(rnd), False),
                "score": float(group["score"].mean()),
                "n_indicators": int(len(group)),
                "n_institutions": int(answered["institution"].nunique()),
            }
        )
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    if out.empty:
        return out
    out["_order"] = out["area"].map(order).fillna(len(order))
    return out.sort_values(["_order", "round"], ignore_index=True).drop(columns="_order")


def survey_designs(dataset: Any, *, lonely_psu: str = "fail") -> dict[int, Any]:
    """One raked survey design per survey round: the current survey and every round of
    ``survey_history.csv``, each raked to the dataset's margins (the demo has no margins
    per round; a real dataset would give each round the registers of its date).

    The current survey's round is the survey round of :func:`round_table` that is not in
    ``survey_history``.
    """
    from lublin_diagnosis.survey import SurveyDesign

    table = round_table(dataset)
    surveys = set(table.loc[table["kind"] == "survey", "round"].astype(int))
    hist = dataset.survey_history
    past = set() if hist is None else {int(r) for r in hist["round"].dropna()}
    current = sorted(surveys - past)
    designs: dict[int, Any] = {}
    for rnd in sorted(past):
        frame = hist[hist["round"] == rnd].drop(columns="round").reset_index(drop=True)
        earlier = dataclasses.replace(dataset, survey=frame)
        designs[rnd] = SurveyDesign.from_dataset(earlier, lonely_psu=lonely_psu)
    if current:
        designs[current[-1]] = SurveyDesign.from_dataset(dataset, lonely_psu=lonely_psu)
    return dict(sorted(designs.items()))


def outcome_trends(
    designs: Mapping[int, Any],
    framework: Framework | str = "lublin-14",
    *,
    rules: DisclosureRules | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcome estimates per survey round, and the changes between consecutive rounds.

    Parameters
    ----------
    designs : mapping of int to SurveyDesign
        Round → its raked design (:func:`survey_designs`).
    framework : Framework or str
    rules : DisclosureRules, optional
        Every estimate is protected (suppressed on small bases, flagged) before it is
        compared; a change with a suppressed end is suppressed.
    method, level : see :func:`~lublin_diagnosis.indicators.scoring.outcome_estimates`

    Returns
    -------
    estimates : DataFrame
        ``round`` first, then the columns of ``outcome_estimates`` after protection.
    changes : DataFrame
        :func:`~lublin_diagnosis.indicators.change.outcome_changes` of each pair of
        consecutive rounds, stacked.
    """
    fw = resolve_framework(framework)
    rules = rules or DisclosureRules()
    per_round = {}
    for rnd, design in designs.items():
        est = outcome_estimates(design, fw, method=method, level=level)
        est = protect_estimates(est, rules)
        per_round[int(rnd)] = est
    estimates = (
        pd.concat([e.assign(round=r) for r, e in per_round.items()], ignore_index=True)
        if per_round
        else pd.DataFrame()
    )
    if len(estimates):
        estimates = estimates[["round", *[c for c in estimates.columns if c != "round"]]]
    rounds = sorted(per_round)
    changes = [
        outcome_changes(
            per_round[a], per_round[b], baseline_round=a, follow_up_round=b, level=level
        )
        for a, b in zip(rounds, rounds[1:], strict=False)
    ]
    return estimates, (pd.concat(changes, ignore_index=True) if changes else pd.DataFrame())


def peer_comparison(
    city_scores: pd.DataFrame | Mapping[str, float],
    peer_scores: pd.DataFrame,
    framework: Framework | str = "lublin-14",
    *,
    city: str = "lublin",
) -> pd.DataFrame:
    """The city's area scores among the peer cities' (same framework, latest peer round).

    Parameters
    ----------
    city_scores : DataFrame or mapping
        The city's area scores: a frame with ``area`` and ``score`` (the scorecard's
        area table) or a mapping area → score.
    peer_scores : DataFrame
        ``city, area, round, score, status`` (``Dataset.peer_scores``).
    framework : Framework or str
    city : str
        The city's id.

    Returns
    -------
    DataFrame
        One row per area (framework order) and city: ``area, city, score, status,
        rank`` (1 = highest score of the area; ties share the best rank), the city's
        own rows with status ``own``.

    Examples
    --------
    >>> peers = pd.DataFrame({"city": ["gdansk"], "area": ["health"], "round": [2023],
    ...                       "score": [60.0], "status": ["synthetic"]})
    >>> t = peer_comparison({"health": 40.0}, peers)
    >>> t[t["area"] == "health"][["city", "score", "rank"]].to_dict("records")
    [{'city': 'lublin', 'score': 40.0, 'rank': 2}, {'city': 'gdansk', 'score': 60.0, 'rank': 1}]
    """
    fw = resolve_framework(framework)
    if isinstance(city_scores, pd.DataFrame):
        own = dict(zip(city_scores["area"], city_scores["score"].astype(float), strict=False))
    else:
        own = {k: float(v) for k, v in city_scores.items()}
    latest = peer_scores
    if len(peer_scores):
        last = peer_scores.groupby("city")["round"].transform("max")
        latest = peer_scores[peer_scores["round"] == last]
    rows = []
    for area in fw.area_ids:
        rows.append({"area": area, "city": city, "score": own.get(area, np.nan), "status": "own"})
        for rec in latest[latest["area"] == area].itertuples(index=False):
            rows.append(
                {"area": area, "city": rec.city, "score": float(rec.score), "status": rec.status}
            )
    out = pd.DataFrame(rows, columns=["area", "city", "score", "status"])
    out["rank"] = out.groupby("area")["score"].rank(method="min", ascending=False).astype("Int64")
    return out
