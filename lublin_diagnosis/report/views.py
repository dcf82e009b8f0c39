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

from lublin_diagnosis.framework.model import RESPONSIBLE_LEVELS
from lublin_diagnosis.report.i18n import t

__all__ = [
    "area_findings",
    "area_summary",
    "city_rows",
    "disparity_rows",
    "disparity_tests",
    "findings_markdown",
    "gap_harm",
    "indicator_changes",
    "institution_answers",
    "institution_rows",
    "key_findings",
    "largest_gaps",
    "priorities",
    "priorities_by_level",
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


def _scored_city_rows(scorecard: Any) -> pd.DataFrame:
    """City-wide indicator rows that entered an area score, with their area's rank."""
    rows = _city(scorecard.indicators)
    rows = rows[rows["in_aggregate"].astype(bool) & rows["score"].notna()].copy()
    rank = dict(zip(scorecard.areas["area"], scorecard.areas["rank"], strict=False))
    rows["area_rank"] = rows["area"].map(rank)
    return rows


def _name_rows(rows: pd.DataFrame, framework: Any, lang: str) -> None:
    """Add the area, indicator and kind names in ``lang`` to ``rows`` (in place)."""
    rows["area_name"] = [framework.label(a, lang) for a in rows["area"]]
    rows["indicator_label"] = [framework.label(i, lang) for i in rows["indicator"]]
    rows["kind_name"] = [_kind_name(k, lang) for k in rows["kind"]]


def priorities(scorecard: Any, framework: Any, lang: str, *, n: int = 5) -> pd.DataFrame:
    """The ``n`` indicators to act on first: the lowest city-wide scores among those that
    entered an area score, ties broken by the urgency rank of their area.

    Columns ``priority, area, area_name, area_rank, indicator, label, kind_name, score,
    score_ci_low, score_ci_high``.
    """
    rows = _scored_city_rows(scorecard)
    rows = rows.sort_values(["score", "area_rank", "indicator"], kind="stable").head(n)
    rows["priority"] = np.arange(1, len(rows) + 1)
    _name_rows(rows, framework, lang)
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


def _level(framework: Any, indicator: str) -> str:
    level = getattr(framework.indicator(indicator), "responsible_level", None)
    return level if level in RESPONSIBLE_LEVELS else "other"


def priorities_by_level(
    scorecard: Any,
    framework: Any,
    lang: str,
    *,
    n: int = 3,
    sensitivity: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The indicators to act on first, ranked by evidence and split by who can act.

    Ranked by evidence: the upper end of the score's 95% interval first (a low score we are
    sure of comes before an equally low but uncertain one; monitoring answers and registers
    are exact, their interval is the score), then the score, then the number of
    institutions whose answers make the score (more institutions, broader evidence), then
    how often the area is among the most urgent in the sensitivity analysis, then the
    area's rank. The ``n`` first of each level (``city``, ``state``, ``other``: the
    indicator's ``responsible_level`` in the framework; ``other`` when it has none).

    Columns ``level, level_name, priority`` (rank within the level), ``evidence_rank``
    (rank over all levels), ``area, area_name, area_rank, indicator, indicator_label,
    kind_name, score, score_ci_low, score_ci_high``.

    Examples
    --------
    >>> top = priorities_by_level(card, fw, "pl", n=3)                 # doctest: +SKIP
    >>> top.groupby("level").size().max() <= 3                         # doctest: +SKIP
    True
    """
    rows = _scored_city_rows(scorecard)
    rows["upper"] = rows["score_ci_high"].fillna(rows["score"])
    count = rows.get("n_institutions", pd.Series(0, index=rows.index))
    rows["breadth"] = -pd.to_numeric(count, errors="coerce").fillna(0)
    urgent = {}
    if sensitivity is not None:
        urgent = dict(zip(sensitivity["area"], sensitivity["p_urgent"], strict=True))
    rows["urgent"] = -rows["area"].map(urgent).astype(float).fillna(0.0)
    rows = rows.sort_values(
        ["upper", "score", "breadth", "urgent", "area_rank", "indicator"], kind="stable"
    )
    rows["evidence_rank"] = np.arange(1, len(rows) + 1)
    rows["level"] = [_level(framework, i) for i in rows["indicator"]]
    rows["level_order"] = rows["level"].map({lv: k for k, lv in enumerate(RESPONSIBLE_LEVELS)})
    rows = rows.groupby("level", sort=False, group_keys=False).head(n)
    rows = rows.sort_values(["level_order", "evidence_rank"], kind="stable")
    rows["priority"] = rows.groupby("level").cumcount() + 1
    rows["level_name"] = [t(f"levels.{lv}", lang) for lv in rows["level"]]
    _name_rows(rows, framework, lang)
    return rows[
        [
            "level",
            "level_name",
            "priority",
            "evidence_rank",
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


def _sentence(key: str, lang: str, href: str | None = None, **values: Any) -> dict[str, Any]:
    """A finding: its Markdown sentence (every text value escaped) and its evidence link."""
    from lublin_diagnosis.report.escape import escape_markdown

    safe = {
        k: v if not isinstance(v, str) or k.startswith("_") else escape_markdown(v)
        for k, v in values.items()
    }
    return {"key": key, "text": t(key, lang, **safe), "href": href}


def key_findings(
    scorecard: Any,
    framework: Any,
    lang: str,
    *,
    sensitivity: pd.DataFrame | None = None,
    area_page: str = "areas/{area}.html",
    n_max: int = 7,
) -> pd.DataFrame:
    """The key findings of the executive summary: five to seven sentences built from the
    scorecard, each with a link to the page (and anchor) that holds its evidence.

    In order: the index with its sampling interval and the spread of the areas under other
    assumptions; the most urgent area; the next two; the two largest gaps to the Polish
    population; the change since the baseline; who can act on the priorities; the best
    area (when fewer findings precede it).

    Parameters
    ----------
    scorecard, framework
        As for the other views.
    lang : {"pl", "en"}
    sensitivity : DataFrame, optional
        The sensitivity table (``p05, p95, p_urgent`` by area).
    area_page : str
        Link to an area page from the summary, ``{area}`` standing for its id.
    n_max : int
        At most this many findings.

    Returns
    -------
    DataFrame
        ``key`` (the locale key), ``text`` (Markdown, values escaped), ``href``.

    Examples
    --------
    >>> found = key_findings(card, fw, "pl", sensitivity=card.sensitivity)  # doctest: +SKIP
    >>> 5 <= len(found) <= 7                                               # doctest: +SKIP
    True
    """
    from lublin_diagnosis.report import formatting

    out: list[dict[str, Any]] = []
    index = scorecard.index.iloc[0]
    areas = ranked_areas(scorecard, lang, sensitivity=sensitivity)
    if sensitivity is not None and len(sensitivity):
        spread = float((sensitivity["p95"] - sensitivity["p05"]).max())
        out.append(
            _sentence(
                "findings.index_sensitivity",
                lang,
                "#table-summary-areas",
                score=float(index["score"]),
                ci_low=float(index["ci_low"]),
                ci_high=float(index["ci_high"]),
                spread=int(round(spread)),
            )
        )
    else:
        out.append(
            _sentence(
                "findings.index",
                lang,
                "#table-summary-areas",
                score=float(index["score"]),
                ci_low=float(index["ci_low"]),
                ci_high=float(index["ci_high"]),
            )
        )
    first = areas.iloc[0]
    values = {
        "area": str(first["name"]),
        "score": float(first["score"]),
        "ci_low": float(first["ci_low"]),
        "ci_high": float(first["ci_high"]),
        "n_areas": len(areas),
    }
    href = area_page.format(area=first["area"])
    if "p_urgent" in areas.columns and pd.notna(first["p_urgent"]):
        out.append(
            _sentence(
                "findings.lowest_robust",
                lang,
                href,
                **values,
                share=formatting.percent(first["p_urgent"], lang, digits=0),
            )
        )
    else:
        out.append(_sentence("findings.lowest", lang, href, **values))
    if len(areas) >= 3:
        second, third = areas.iloc[1], areas.iloc[2]
        out.append(
            _sentence(
                "findings.next",
                lang,
                "#table-summary-areas",
                second=str(second["name"]),
                second_score=float(second["score"]),
                third=str(third["name"]),
                third_score=float(third["score"]),
            )
        )
    gaps = largest_gaps(scorecard, framework, lang, n=2)
    for row in gaps.itertuples():
        area = framework.indicator(row.indicator).area
        out.append(
            _sentence(
                "findings.gap",
                lang,
                area_page.format(area=area) + f"#figure-area-{area}-outcomes",
                label=str(row.indicator_label),
                area=str(row.area_name),
                value=formatting.percent(row.value, lang),
                reference=formatting.percent(row.reference, lang),
                gap=formatting.points(abs(row.gap), lang).lstrip("+"),
            )
        )
    changes = indicator_changes(scorecard, framework, lang)
    if len(changes):
        out.append(
            _sentence(
                "findings.change",
                lang,
                "#table-summary-changes",
                before=int(changes["baseline_round"].iloc[0]),
                after=int(changes["follow_up_round"].iloc[0]),
                better=int((changes["score_change"] > 0).sum()),
                worse=int((changes["score_change"] < 0).sum()),
                same=int((changes["score_change"] == 0).sum()),
            )
        )
    top = priorities_by_level(scorecard, framework, lang, n=3, sensitivity=sensitivity)
    if len(top):
        lead = top.sort_values("evidence_rank").iloc[0]
        out.append(
            _sentence(
                "findings.levels",
                lang,
                "#table-summary-priorities",
                label=str(lead["indicator_label"]),
                area=str(lead["area_name"]),
                level=str(lead["level_name"]),
                score=float(lead["score"]),
            )
        )
    best = areas.iloc[-1]
    out.append(
        _sentence(
            "findings.highest",
            lang,
            area_page.format(area=best["area"]),
            area=str(best["name"]),
            score=float(best["score"]),
        )
    )
    return pd.DataFrame(out[:n_max], columns=["key", "text", "href"])


def area_findings(scorecard: Any, framework: Any, lang: str, *, area: str) -> pd.DataFrame:
    """Two or three findings that open an area page (same columns as
    :func:`key_findings`, links to the page's own tables and figures): the weakest
    indicator, the largest gap to the Polish population (or the strongest indicator), and
    the change since the baseline when there is one.

    Examples
    --------
    >>> area_findings(card, fw, "en", area="health")["text"].tolist()  # doctest: +SKIP
    """
    from lublin_diagnosis.report import formatting

    out: list[dict[str, Any]] = []
    rows = city_rows(scorecard, framework, lang, area=area)
    scored = rows[rows["score"].notna() & ~rows["suppressed"].astype(bool)]
    scored = scored.sort_values(["score", "indicator"], kind="stable")
    table = f"#table-area-{area}-indicators"
    if len(scored):
        low = scored.iloc[0]
        out.append(
            _sentence(
                "findings.area_weakest",
                lang,
                table,
                label=str(low["indicator_label"]),
                kind=str(low["kind_name"]),
                score=float(low["score"]),
            )
        )
    gaps = rows[rows["gap"].notna() & ~rows["suppressed"].astype(bool)].copy()
    gaps["harm"] = [
        gap_harm(g, framework.indicator(i).direction)
        for i, g in zip(gaps["indicator"], gaps["gap"], strict=False)
    ]
    gaps = gaps[gaps["harm"] > 0].sort_values(["harm", "indicator"], ascending=[False, True])
    if len(gaps):
        g = gaps.iloc[0]
        out.append(
            _sentence(
                "findings.area_gap",
                lang,
                f"#figure-area-{area}-outcomes",
                label=str(g["indicator_label"]),
                value=formatting.percent(g["value"], lang),
                reference=formatting.percent(g["reference"], lang),
                gap=formatting.points(abs(g["gap"]), lang).lstrip("+"),
            )
        )
    elif len(scored) > 1:
        high = scored.iloc[-1]
        out.append(
            _sentence(
                "findings.area_strongest",
                lang,
                table,
                label=str(high["indicator_label"]),
                score=float(high["score"]),
            )
        )
    changes = indicator_changes(scorecard, framework, lang, area=area)
    if len(changes):
        out.append(
            _sentence(
                "findings.area_change",
                lang,
                f"#table-area-{area}-changes",
                before=int(changes["baseline_round"].iloc[0]),
                after=int(changes["follow_up_round"].iloc[0]),
                better=int((changes["score_change"] > 0).sum()),
                worse=int((changes["score_change"] < 0).sum()),
                same=int((changes["score_change"] == 0).sum()),
            )
        )
    return pd.DataFrame(out[:3], columns=["key", "text", "href"])


def findings_markdown(findings: pd.DataFrame, lang: str) -> str:
    """Findings as a numbered Markdown list, each ending with the link to its evidence.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"key": ["k"], "text": ["Score 5."], "href": ["#table-x"]})
    >>> findings_markdown(f, "en")
    '1. Score 5. [See the evidence](#table-x)'
    """
    link = t("findings.evidence", lang)
    return "\n".join(
        f"{k}. {row.text}" + (f" [{link}]({row.href})" if row.href else "")
        for k, row in enumerate(findings.itertuples(), start=1)
    )
