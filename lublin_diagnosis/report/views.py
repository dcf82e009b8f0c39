"""The scorecard seen by the report: the rows, labels and orderings of each report section.

The notebooks show a scorecard (:mod:`lublin_diagnosis.indicators.scorecard`) through these
functions, which select the rows of a section, label them in the language of the run from
the framework, the codebook and the institutions table, and order them. They compute no
estimate: every number comes from the scorecard, and the tables keep the disclosure
columns (``n``, ``suppressed``, ``low_reliability``, ``flags``) so that the publisher can
check them.

Ranks follow the scorecard: rank 1 is the **lowest** score, the most urgent area.

>>> fw = load_framework()                                              # doctest: +SKIP
>>> ranked_areas(card, "en").head(3)                                   # doctest: +SKIP
>>> priorities(card, fw, "pl", n=5)                                    # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.report.i18n import t

__all__ = [
    "area_summary",
    "city_rows",
    "disparity_rows",
    "disparity_tests",
    "gap_harm",
    "indicator_changes",
    "institution_answers",
    "institution_rows",
    "largest_gaps",
    "priorities",
    "ranked_areas",
    "shares_only",
]

_CITY_COLUMNS = [
    "indicator",
    "indicator_label",
    "kind",
    "kind_name",
    "value",
    "ci_low",
    "ci_high",
    "se",
    "n",
    "score",
    "score_ci_low",
    "score_ci_high",
    "reference",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
    "suppressed",
    "low_reliability",
    "flags",
]


def _city(indicators: pd.DataFrame) -> pd.DataFrame:
    return indicators[indicators["institution"].isna()]


def _kind_name(kind: str, lang: str) -> str:
    return t(f"kinds.{kind}", lang)


def area_summary(scorecard: Any, area: str) -> dict[str, Any]:
    """The numbers of an area's headline: score, interval, rank, indicator counts.

    Returns
    -------
    dict
        ``score, ci_low, ci_high, rank, n_areas, n_indicators, n_P, n_A, n_O,
        n_suppressed`` (plain Python numbers).
    """
    row = scorecard.areas.set_index("area").loc[area]
    out = {k: float(row[k]) for k in ("score", "ci_low", "ci_high")}
    out.update(
        {k: int(row[k]) for k in ("rank", "n_indicators", "n_P", "n_A", "n_O", "n_suppressed")}
    )
    out["n_areas"] = int(len(scorecard.areas))
    return out


def city_rows(
    scorecard: Any, framework: Any, lang: str, *, area: str | None = None, kinds: str = "PAO"
) -> pd.DataFrame:
    """City-wide indicator rows (the ones scored into the areas), framework order.

    Columns: ``indicator, indicator_label`` (the short label in ``lang``), ``kind,
    kind_name`` (in words), ``value, ci_low, ci_high, se, n, score, score_ci_low,
    score_ci_high, reference, gap, gap_ci_low, gap_ci_high, suppressed,
    low_reliability, flags``.
    """
    rows = _city(scorecard.indicators)
    if area is not None:
        rows = rows[rows["area"] == area]
    rows = rows[rows["kind"].isin(list(kinds))].copy()
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["kind_name"] = [_kind_name(k, lang) for k in rows["kind"]]
    return rows[_CITY_COLUMNS].reset_index(drop=True)


def institution_rows(scorecard: Any, lang: str, *, area: str) -> pd.DataFrame:
    """Each institution's policy score in ``area`` in the scored round, best first:
    ``institution, name, score, n_indicators``."""
    rnd = scorecard.settings.get("round")
    rows = scorecard.institutions
    rows = rows[(rows["area"] == area) & ((rnd is None) | (rows["round"] == rnd))].copy()
    rows["name"] = rows[f"name_{lang}"]
    rows = rows.sort_values(["score", "name"], ascending=[False, True], kind="stable")
    return rows[["institution", "name", "score", "n_indicators"]].reset_index(drop=True)


def institution_answers(
    scorecard: Any, framework: Any, institutions: pd.DataFrame | None, lang: str, *, area: str
) -> pd.DataFrame:
    """The policy answers of each institution in ``area``: ``institution, name,
    indicator, indicator_label, answer, score``, the answer as its option label in ``lang``."""
    rows = scorecard.indicators
    rows = rows[(rows["area"] == area) & (rows["kind"] == "P") & rows["institution"].notna()].copy()
    names = (
        {}
        if institutions is None
        else dict(zip(institutions["institution_id"], institutions[f"name_{lang}"], strict=False))
    )
    rows["name"] = [names.get(i, i) for i in rows["institution"]]
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["answer"] = [
        framework.label(framework.indicator(i).option(a), lang) if isinstance(a, str) else None
        for i, a in zip(rows["indicator"], rows["answer"], strict=False)
    ]
    return rows[
        ["institution", "name", "indicator", "indicator_label", "answer", "score"]
    ].reset_index(drop=True)


def disparity_rows(
    scorecard: Any, framework: Any, codebook: Any, lang: str, *, area: str, by: str | None = None
) -> pd.DataFrame:
    """Outcome estimates by group for the indicators of ``area``: ``indicator,
    indicator_label, by, by_label, group, group_label, value, ci_low, ci_high, se, n,
    score, suppressed, low_reliability, flags`` (already protected by the scorecard, with
    complementary suppression within each indicator and variable)."""
    rows = scorecard.disparities
    rows = rows[rows["area"] == area]
    if by is not None:
        rows = rows[rows["by"] == by]
    rows = rows.copy()
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["by_label"] = [codebook.label(b, lang) for b in rows["by"]]
    rows["group_label"] = [
        codebook.value_labels(b, lang).get(str(g), str(g))
        for b, g in zip(rows["by"], rows["group"], strict=False)
    ]
    return rows[
        [
            "indicator",
            "indicator_label",
            "by",
            "by_label",
            "group",
            "group_label",
            "value",
            "ci_low",
            "ci_high",
            "se",
            "n",
            "score",
            "suppressed",
            "low_reliability",
            "flags",
        ]
    ].reset_index(drop=True)


def disparity_tests(
    scorecard: Any, framework: Any, codebook: Any, lang: str, *, area: str
) -> pd.DataFrame:
    """One row per indicator and disparity variable of ``area``: the design-based test
    that the groups do not differ (``indicator, indicator_label, by_label, test, test_name,
    F, p_value``; ``test_name`` in ``lang``)."""
    rows = scorecard.disparities
    rows = rows[rows["area"] == area].drop_duplicates(["indicator", "by"]).copy()
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["by_label"] = [codebook.label(b, lang) for b in rows["by"]]
    rows["test_name"] = [
        t(f"tests.{x}", lang) if isinstance(x, str) else None for x in rows["test"]
    ]
    return rows[
        ["indicator", "indicator_label", "by_label", "test", "test_name", "F", "p_value"]
    ].reset_index(drop=True)


def indicator_changes(
    scorecard: Any, framework: Any, lang: str, *, area: str | None = None
) -> pd.DataFrame:
    """City-wide changes between the baseline and the scored round: ``indicator,
    indicator_label, kind_name, baseline_round, follow_up_round, baseline, follow_up, change,
    score_baseline, score_follow_up, score_change``, largest score change first."""
    rows = scorecard.changes
    rows = rows[rows["institution"].isna()]
    if area is not None:
        rows = rows[rows["area"] == area]
    rows = rows.copy()
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["kind_name"] = [_kind_name(k, lang) for k in rows["kind"]]
    rows = rows.sort_values(["score_change", "indicator"], ascending=[False, True], kind="stable")
    return rows[
        [
            "indicator",
            "indicator_label",
            "kind_name",
            "baseline_round",
            "follow_up_round",
            "baseline",
            "follow_up",
            "change",
            "score_baseline",
            "score_follow_up",
            "score_change",
        ]
    ].reset_index(drop=True)


def ranked_areas(
    scorecard: Any, lang: str, *, sensitivity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The areas from the most urgent (rank 1, lowest score) to the least, with their
    intervals and, given a sensitivity table, the 5th-95th percentile of the score and
    of the rank under other weights, aggregations and goalposts, and the probability of
    being among the most urgent.

    Columns ``rank, area, number, name, score, ci_low, ci_high, n_indicators,
    n_suppressed, flagged`` (+ ``p05, p95, p05_rank, p95_rank, p_urgent``).
    ``flagged``: the score rests on a suppressed or low-reliability outcome.
    """
    areas = scorecard.areas.copy()
    areas["name"] = areas[f"name_{lang}"]
    city = _city(scorecard.indicators)
    weak = city.groupby("area")[["suppressed", "low_reliability"]].any().any(axis=1)
    areas["flagged"] = areas["area"].map(weak).fillna(False).astype(bool) | (
        areas["n_suppressed"] > 0
    )
    cols = [
        "rank",
        "area",
        "number",
        "name",
        "score",
        "ci_low",
        "ci_high",
        "n_indicators",
        "n_suppressed",
        "flagged",
    ]
    if sensitivity is not None:
        extra = ["p05", "p95", "p05_rank", "p95_rank", "p_urgent"]
        areas = areas.merge(sensitivity[["area", *extra]], on="area", how="left")
        cols += extra
    return areas.sort_values(["rank", "number"], kind="stable")[cols].reset_index(drop=True)


def shares_only(rows: pd.DataFrame, framework: Any) -> pd.DataFrame:
    """The rows whose indicator is a share (plotted in per cent; means have their own
    scale and stay in the tables).

    Examples
    --------
    >>> import pandas as pd
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> rows = pd.DataFrame({"indicator": ["culture_o_belonging", "culture_o_polish_friends"]})
    >>> shares_only(rows, load_framework())["indicator"].tolist()
    ['culture_o_polish_friends']
    """
    keep = np.array(
        [framework.indicator(i).statistic == "proportion" for i in rows["indicator"]], dtype=bool
    )
    return rows[keep].reset_index(drop=True)


def gap_harm(gap: Any, direction: str | None) -> Any:
    """A gap to the Polish population signed so that positive means worse for migrants.

    Examples
    --------
    >>> gap_harm(-0.14, "higher_is_better"), gap_harm(0.31, "lower_is_better")
    (0.14, 0.31)
    """
    return gap if direction == "lower_is_better" else -gap


def largest_gaps(scorecard: Any, framework: Any, lang: str, *, n: int = 5) -> pd.DataFrame:
    """The ``n`` outcomes furthest behind the Polish population (published estimates with
    a reference only): ``area_name, indicator, indicator_label, value, ci_low, ci_high, reference,
    gap, gap_ci_low, gap_ci_high, harm, n, suppressed, low_reliability, flags``."""
    rows = city_rows(scorecard, framework, lang, kinds="O")
    rows = rows[rows["gap"].notna() & ~rows["suppressed"]].copy()
    rows["harm"] = [
        gap_harm(g, framework.indicator(i).direction)
        for i, g in zip(rows["indicator"], rows["gap"], strict=False)
    ]
    rows = rows[rows["harm"] > 0]
    rows["area_name"] = [
        framework.label(framework.indicator(i).area, lang) for i in rows["indicator"]
    ]
    rows = rows.sort_values(["harm", "indicator"], ascending=[False, True], kind="stable")
    return (
        rows[
            [
                "area_name",
                "indicator",
                "indicator_label",
                "value",
                "ci_low",
                "ci_high",
                "reference",
                "gap",
                "gap_ci_low",
                "gap_ci_high",
                "harm",
                "n",
                "suppressed",
                "low_reliability",
                "flags",
            ]
        ]
        .head(n)
        .reset_index(drop=True)
    )


def priorities(scorecard: Any, framework: Any, lang: str, *, n: int = 5) -> pd.DataFrame:
    """The ``n`` indicators to act on first: the lowest city-wide scores among those that
    entered an area score, ties broken by the urgency rank of their area.

    Columns ``priority, area, area_name, area_rank, indicator, label, kind_name, score,
    score_ci_low, score_ci_high``.
    """
    rows = _city(scorecard.indicators)
    rows = rows[rows["in_aggregate"].astype(bool) & rows["score"].notna()].copy()
    rank = dict(zip(scorecard.areas["area"], scorecard.areas["rank"], strict=False))
    rows["area_rank"] = rows["area"].map(rank)
    rows = rows.sort_values(["score", "area_rank", "indicator"], kind="stable").head(n)
    rows["priority"] = np.arange(1, len(rows) + 1)
    rows["area_name"] = [framework.label(a, lang) for a in rows["area"]]
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["kind_name"] = [_kind_name(k, lang) for k in rows["kind"]]
    return rows[
        [
            "priority",
            "area",
            "area_name",
            "area_rank",
            "indicator",
            "indicator_label",
            "kind_name",
            "score",
            "score_ci_low",
            "score_ci_high",
        ]
    ].reset_index(drop=True)
