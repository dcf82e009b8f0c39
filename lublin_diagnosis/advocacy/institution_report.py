"""One monitored institution as its report shows it: its policy scores against the city,
its findings and what is asked of it.

The institution notebook (``notebooks/20_institution.ipynb``, one page per institution
and language) calls these functions with the scorecard of the run, and the
recommendation and follow-up tables of :mod:`~lublin_diagnosis.advocacy.recommendations` and
:mod:`~lublin_diagnosis.advocacy.followup`.

* :func:`institution_scores`: the institution's policy score in each area it answered,
  next to the **city-wide score on the same indicators** (the city-wide indicator scores
  -- the mean over every monitored institution -- aggregated with the scorecard's rule
  over exactly the indicators this institution answered, so that the two numbers are
  comparable), and the area's overall score with its confidence interval for context;
* :func:`institution_findings`: the policy indicators on which it scores 0 or 50 in the
  scored round (absent, or partial / ad hoc / only in Polish / on request), with the
  answer, the evidence and its date.

Policy answers are facts about an institution, not estimates from a sample: they carry
no interval and need no disclosure control.

>>> from types import SimpleNamespace as NS
>>> import pandas as pd
>>> ds = NS(institutions=pd.DataFrame({"institution_id": ["mopr"], "name_pl": ["MOPR"],
...                                    "name_en": ["MOPR"]}))
>>> check_institution(ds, "mopr")
'mopr'
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "check_institution",
    "institution_findings",
    "institution_scores",
    "plot_institution_scores",
]


def check_institution(dataset: Any, institution: Any) -> str:
    """Return ``institution`` if it is an institution of the dataset, else raise.

    Raises
    ------
    DataError
        Naming the unknown id and the known ones (or saying the dataset has no
        institutions table).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> ds = NS(institutions=pd.DataFrame({"institution_id": ["mopr", "mup"]}))
    >>> check_institution(ds, "zus")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.DataError: parameter 'institution' must be an institution_id of institutions.csv (mopr, mup), not 'zus'
    """
    table = getattr(dataset, "institutions", None)
    if table is None:
        raise DataError(
            "the dataset has no institutions table (institutions.csv), so no "
            "institution report can be made"
        )
    known = table["institution_id"].astype(str).tolist()
    if not isinstance(institution, str) or institution not in known:
        raise DataError(
            f"parameter 'institution' must be an institution_id of "
            f"institutions.csv ({', '.join(known)}), not {institution!r}"
        )
    return institution


def institution_scores(
    scorecard: Any, institution: str, *, lang: str | None = None, framework: Any = None
) -> pd.DataFrame:
    """The institution's policy score per area against the city-wide picture.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    institution : str
    lang : {"pl", "en"}, optional
        Add ``area_name``.
    framework : Framework or str, optional
        Default: the scorecard's, else ``lublin-14``.

    Returns
    -------
    DataFrame
        One row per area in which the institution answered a policy indicator in the
        scored round (framework order): ``area, round, score`` (the institution's),
        ``city_score`` (city-wide scores of the same indicators, same aggregation),
        ``difference`` (``score - city_score``), ``n_indicators``, ``area_score,
        area_ci_low, area_ci_high`` (the area's overall score, every kind of indicator).

    Examples
    --------
    >>> scores = institution_scores(card, "mopr", lang="en")      # doctest: +SKIP
    """
    from lublin_diagnosis.indicators.scoring import aggregate

    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    method = scorecard.settings.get("aggregation", "arithmetic")
    shift = scorecard.settings.get("shift", 1.0)
    rnd = scorecard.settings.get("round")
    ind = scorecard.indicators
    own = ind[(ind["institution"] == institution) & (ind["kind"] == "P") & ind["score"].notna()]
    if rnd is not None:
        own = own[own["round"] == rnd]
    city = ind[ind["institution"].isna()].drop_duplicates("indicator").set_index("indicator")
    inst = scorecard.institutions
    inst = inst[inst["institution"] == institution]
    if rnd is not None and "round" in inst.columns:
        inst = inst[inst["round"] == rnd]
    inst_score = dict(zip(inst["area"], inst["score"], strict=False))
    areas = scorecard.areas.set_index("area")
    rows = []
    for area in fw.areas:
        part = own[own["area"] == area.id]
        if part.empty:
            continue
        ids = part["indicator"].tolist()
        weights = [fw.indicator(i).weight for i in ids]
        own_scores = part["score"].astype(float).to_numpy()
        city_scores = np.array(
            [float(city.loc[i, "score"]) if i in city.index else np.nan for i in ids]
        )
        score = float(inst_score.get(area.id, aggregate(own_scores, weights, method, shift=shift)))
        city_score = float(aggregate(city_scores, weights, method, shift=shift))
        a = areas.loc[area.id] if area.id in areas.index else None
        rows.append(
            {
                "area": area.id,
                "round": rnd,
                "score": score,
                "city_score": city_score,
                "difference": score - city_score,
                "n_indicators": len(ids),
                "area_score": float(a["score"]) if a is not None else np.nan,
                "area_ci_low": float(a["ci_low"]) if a is not None else np.nan,
                "area_ci_high": float(a["ci_high"]) if a is not None else np.nan,
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "area",
            "round",
            "score",
            "city_score",
            "difference",
            "n_indicators",
            "area_score",
            "area_ci_low",
            "area_ci_high",
        ],
    )
    out["round"] = pd.array([None if pd.isna(v) else int(v) for v in out["round"]], dtype="Int64")
    out["n_indicators"] = out["n_indicators"].astype("int64")
    if lang is not None:
        out.insert(1, "area_name", [fw.label(a, lang) for a in out["area"]])
    return out


def institution_findings(
    scorecard: Any,
    dataset: Any,
    institution: str,
    *,
    lang: str | None = None,
    framework: Any = None,
    threshold: float = 50.0,
) -> pd.DataFrame:
    """The policy indicators on which the institution scores ``threshold`` or less.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    dataset : Dataset
        For the evidence and date of each answer (``monitoring``).
    institution : str
    lang : {"pl", "en"}, optional
        Add ``area_name``, the indicator ``label``, the ``answer_label`` and the
        ``evidence_name`` (locale files).
    threshold : float
        Highest score counted as a finding (default 50: scores 0 and 50).

    Returns
    -------
    DataFrame
        ``area, indicator, round, answer, score, evidence, date``, lowest score first,
        then in framework order.

    Examples
    --------
    >>> institution_findings(card, dataset, "mopr", lang="pl")       # doctest: +SKIP
    """
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None),
        dataset=dataset,
    )
    rnd = scorecard.settings.get("round")
    ind = scorecard.indicators
    rows = ind[
        (ind["institution"] == institution)
        & (ind["kind"] == "P")
        & ind["score"].notna()
        & (ind["score"] <= threshold)
    ]
    if rnd is not None:
        rows = rows[rows["round"] == rnd]
    order = {i: k for k, i in enumerate(fw.base.indicator_ids)}
    rows = rows.assign(_k=rows["indicator"].map(order)).sort_values(["score", "_k"], kind="stable")
    evidence: dict[tuple[str, int], tuple[str, Any]] = {}
    mon = getattr(dataset, "monitoring", None)
    if mon is not None:
        mine = mon[mon["institution_id"] == institution]
        for i, r, e, d in zip(
            mine["indicator_id"], mine["round"], mine["evidence"], mine["date"], strict=False
        ):
            evidence[(str(i), int(r))] = (str(e), pd.Timestamp(d))
    out = pd.DataFrame(
        {
            "area": pd.array(rows["area"].tolist(), dtype="str"),
            "indicator": pd.array(rows["indicator"].tolist(), dtype="str"),
            "round": pd.array(
                [int(r) if not pd.isna(r) else None for r in rows["round"]], dtype="Int64"
            ),
            "answer": rows["answer"].astype(object).tolist(),
            "score": rows["score"].astype(float).to_numpy(),
        }
    )
    keys = [
        (i, int(r)) if not pd.isna(r) else (i, -1)
        for i, r in zip(out["indicator"], out["round"], strict=False)
    ]
    out["evidence"] = pd.array([evidence.get(k, (None, None))[0] for k in keys], dtype="str")
    out["date"] = pd.to_datetime([evidence.get(k, (None, None))[1] for k in keys])
    if lang is not None:
        from lublin_diagnosis.report.i18n import check_lang, t

        check_lang(lang)
        out.insert(1, "area_name", [fw.label(a, lang) for a in out["area"]])
        out.insert(3, "label", [fw.label(i, lang) for i in out["indicator"]])
        out.insert(
            out.columns.get_loc("answer") + 1,
            "answer_label",
            [
                fw.label(fw.indicator(i).option(a), lang) if isinstance(a, str) else None
                for i, a in zip(out["indicator"], out["answer"], strict=False)
            ],
        )
        out.insert(
            out.columns.get_loc("evidence") + 1,
            "evidence_name",
            [
                t(f"evidence.{e}", lang) if isinstance(e, str) and e else None
                for e in out["evidence"]
            ],
        )
    return out


def plot_institution_scores(
    scores: pd.DataFrame, *, lang: str, label: str = "area_name", title: str = ""
):
    """The institution's policy score per area (dot) against the city-wide score on the
    same indicators (diamond), with a line coloured by the side the institution is on.

    Parameters
    ----------
    scores : DataFrame
        From :func:`institution_scores` with ``lang`` (``score``, ``city_score`` and the
        ``label`` column).
    lang : {"pl", "en"}
        Language of the legend and axis (locale files).

    Returns
    -------
    matplotlib.figure.Figure
        16 cm wide (fits an A4 page), one row per area, scores 0-100.

    Examples
    --------
    >>> scores = institution_scores(card, "mopr", lang="en")         # doctest: +SKIP
    >>> fig = plot_institution_scores(scores, lang="en")             # doctest: +SKIP
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import CM, PALETTE, report_style

    n = len(scores)
    labels = ["\n".join(textwrap.wrap(str(v), 34)) or str(v) for v in scores[label]]
    # rows tall enough for labels wrapped on two lines; the title is wrapped to the room
    # the plot leaves it when the figure is published (plots.fit_titles, which also makes
    # the figure taller by its added lines): a fixed width here broke it twice
    lines = max((x.count("\n") + 1 for x in labels), default=1)
    row_cm = max(0.6, 0.36 * lines + 0.1)
    extra_cm = 2.8 + 0.5 * title.count("\n")
    with report_style():
        fig, ax = plt.subplots(
            figsize=(16 * CM, min(max(n, 1) * row_cm + extra_cm, 24) * CM), layout="constrained"
        )
        y = np.arange(n)
        own = scores["score"].to_numpy(dtype=float)
        city = scores["city_score"].to_numpy(dtype=float)
        for yi, a, b in zip(y, own, city, strict=False):
            if np.isnan(a) or np.isnan(b):
                continue
            ax.plot(
                [b, a],
                [yi, yi],
                lw=2,
                solid_capstyle="round",
                color=PALETTE["main"] if a >= b else PALETTE["alert"],
            )
        ax.plot(city, y, "D", color=PALETTE["muted"], ms=5.5)
        ax.plot(own, y, "o", color=PALETTE["main"], ms=6.5)
        ax.set_yticks(y, labels)
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_xlim(-2, 102)
        ax.set_xlabel(t("plots.score_axis", lang))
        ax.set_title(title)
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=PALETTE["main"],
                label=t("institution.legend_institution", lang),
            ),
            Line2D(
                [],
                [],
                marker="D",
                linestyle="none",
                color=PALETTE["muted"],
                label=t("institution.legend_city", lang),
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig
