"""Follow-up of the recommendations: did the indicators of the implemented ones move?

For every monitored institution, :func:`followup_table` sets the change of each of its
indicators between the baseline monitoring round (2022) and the follow-up round (2023)
next to the status of the recommendations addressed to it on that indicator, and
:func:`followup_summary` compares the mean score change of indicators whose
recommendations were implemented with those whose were not.

Where the changes come from
---------------------------
The change table of the scorecard (``Scorecard.changes``, built by
:mod:`~lublin_diagnosis.indicators.change`) or :func:`monitoring_changes`, which calls the same
functions on a dataset:

* policy (``P``) answers and administrative (``A``) figures are exact (census of the
  institutions): the change of the institution's own score;
* survey outcomes (``O``) are city-wide, and change only when a second survey round
  exists: then the change carries its standard error ``sqrt(se1² + se2²)``, interval and
  p-value (two independent samples, :func:`~lublin_diagnosis.indicators.change.outcome_changes`),
  and a change resting on a suppressed estimate is suppressed.

A recommendation resting on an indicator with no institution-level change (a survey
outcome, a city-wide figure) is set against the city-wide change (``scope`` ``"city"``),
or kept with no change (``scope`` ``"none"``) so that no recommendation disappears from
the table.

Implementation classes
----------------------
The status of a recommendation is read **as of the follow-up measurement** of its
indicator (the date of the institution's follow-up answer or figure; the reference date
for survey outcomes and when no date is known), so that only what was done before the
follow-up monitoring can be credited with a change (``as_of="reference"`` reads every
status at the reference date instead). A recommendation issued after that date does not
count. When several recommendations rest on one institution's indicator, the most
advanced status decides the class (:data:`IMPLEMENTATION_CLASSES`, in this order):
``implemented``, ``partially_implemented``, ``pending`` (issued, acknowledged or in
progress), ``rejected``; indicators of the institution without any recommendation form
the comparison class ``none``.

The summary is descriptive: recommendations were addressed where scores were low, so
regression to the mean and other changes of practice are not separated from the effect
of a recommendation. The class sizes ``n_pairs`` are shown with every mean.

>>> import pandas as pd
>>> table = pd.DataFrame({"implementation": ["implemented", "implemented", "pending", "none"],
...                       "score_change": [50.0, 0.0, 0.0, -50.0], "kind": ["P"] * 4,
...                       "suppressed": [False] * 4})
>>> followup_summary(table)[["implementation", "n_pairs", "mean_score_change"]].to_dict("records")
[{'implementation': 'implemented', 'n_pairs': 2, 'mean_score_change': 25.0}, {'implementation': 'pending', 'n_pairs': 1, 'mean_score_change': 0.0}, {'implementation': 'none', 'n_pairs': 1, 'mean_score_change': -50.0}]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.register_tables import (
    institution_names,
    issued_recommendations,
    resolve_reference_date,
    status_history,
)
from lublin_diagnosis.advocacy.status import recommendation_status
from lublin_diagnosis.data.register import check_register
from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.change import CHANGE_ESTIMATES, CHANGE_SCORES

__all__ = [
    "FOLLOWUP_COLUMNS",
    "IMPLEMENTATION_CLASSES",
    "followup_summary",
    "followup_table",
    "implementation_class",
    "monitoring_changes",
]

#: Classes of an institution's indicator by the recommendations resting on it, most
#: advanced first; ``none``: no recommendation (the comparison class).
IMPLEMENTATION_CLASSES: tuple[str, ...] = (
    "implemented",
    "partially_implemented",
    "pending",
    "rejected",
    "none",
)
_CLASS_OF_STATUS = {
    "implemented": "implemented",
    "partially_implemented": "partially_implemented",
    "issued": "pending",
    "acknowledged": "pending",
    "in_progress": "pending",
    "rejected": "rejected",
}

_NUMBERS = (*CHANGE_ESTIMATES, "p_value", *CHANGE_SCORES)
#: Columns of :func:`followup_table`.
FOLLOWUP_COLUMNS: list[str] = [
    "institution",
    "area",
    "indicator",
    "kind",
    "scope",
    "baseline_round",
    "follow_up_round",
    *_NUMBERS,
    "n_baseline",
    "n_follow_up",
    "rec_ids",
    "n_recommendations",
    "implementation",
    "as_of",
    "status_now",
    "suppressed",
    "low_reliability",
    "flags",
]


def implementation_class(statuses: list[str] | tuple[str, ...]) -> str:
    """The class of an indicator from the statuses of the recommendations resting on it.

    Examples
    --------
    >>> implementation_class(["rejected", "in_progress"]), implementation_class([])
    ('pending', 'none')
    >>> implementation_class(["partially_implemented", "implemented"])
    'implemented'
    """
    classes = {_CLASS_OF_STATUS[s] for s in statuses}
    for c in IMPLEMENTATION_CLASSES:
        if c in classes:
            return c
    return "none"


def monitoring_changes(
    dataset: Any,
    *,
    framework: Any = None,
    baseline: int | None = None,
    follow_up: int | None = None,
    design: Any = None,
    previous_design: Any = None,
) -> pd.DataFrame:
    """Changes between two monitoring rounds of a dataset, with :mod:`~lublin_diagnosis.indicators.change`.

    Parameters
    ----------
    dataset : Dataset
    framework : Framework or str, optional
    baseline, follow_up : int, optional
        The rounds (default: the two latest rounds of the monitoring and admin tables).
    design, previous_design : SurveyDesign, optional
        The survey designs of the follow-up and baseline survey rounds: when both are
        given, the outcome changes with their standard errors are added
        (:func:`~lublin_diagnosis.indicators.change.compare_designs`).

    Returns
    -------
    DataFrame
        :data:`~lublin_diagnosis.indicators.change.CHANGE_COLUMNS`.

    Raises
    ------
    DataError
        When the data hold fewer than two monitoring rounds.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> mon = pd.DataFrame({"institution_id": ["mopr"] * 2,
    ...                     "indicator_id": ["social_assistance_p_interpreting"] * 2,
    ...                     "answer": ["none", "full"], "round": [2022, 2023]})
    >>> ch = monitoring_changes(NS(monitoring=mon, admin=None, meta={}, data_dir=None))
    >>> ch[["institution", "score_change"]].to_dict("records")
    [{'institution': 'mopr', 'score_change': 100.0}, {'institution': None, 'score_change': 100.0}]
    """
    from lublin_diagnosis.indicators.change import (
        CHANGE_COLUMNS,
        admin_changes,
        compare_designs,
        policy_changes,
    )

    fw = resolve_framework(framework, dataset=dataset)
    rounds: set[int] = set()
    for table in (dataset.monitoring, getattr(dataset, "admin", None)):
        if table is not None:
            rounds |= {int(r) for r in table["round"].dropna().unique()}
    ordered = sorted(rounds)
    if follow_up is None:
        follow_up = ordered[-1] if ordered else None
    if baseline is None:
        earlier = [r for r in ordered if follow_up is not None and r < follow_up]
        baseline = earlier[-1] if earlier else None
    if baseline is None or follow_up is None:
        raise DataError(
            f"the follow-up needs two monitoring rounds; the data hold {ordered or 'none'}"
        )
    frames = []
    mon = dataset.monitoring
    if mon is not None and {baseline, follow_up} <= set(mon["round"].unique()):
        frames.append(policy_changes(mon, fw, baseline=baseline, follow_up=follow_up))
    adm = getattr(dataset, "admin", None)
    if adm is not None and {baseline, follow_up} <= set(adm["round"].unique()):
        frames.append(admin_changes(adm, fw, baseline=baseline, follow_up=follow_up))
    if design is not None and previous_design is not None:
        frames.append(
            compare_designs(
                previous_design, design, fw, baseline_round=baseline, follow_up_round=follow_up
            )
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(frames, ignore_index=True)[CHANGE_COLUMNS]


def _follow_up_dates(dataset: Any, follow_up_round: Any) -> dict[tuple[str, str], pd.Timestamp]:
    """Date of each institution's follow-up answer (monitoring) or figure (admin)."""
    out: dict[tuple[str, str], pd.Timestamp] = {}
    if follow_up_round is None or pd.isna(follow_up_round):
        return out
    for table in (getattr(dataset, "monitoring", None), getattr(dataset, "admin", None)):
        if table is None or "date" not in table.columns:
            continue
        rows = table[table["round"] == int(follow_up_round)]
        for inst, ind, date in zip(
            rows["institution_id"], rows["indicator_id"], rows["date"], strict=False
        ):
            if isinstance(inst, str) and inst:
                out[(inst, str(ind))] = pd.Timestamp(date).normalize()
    return out


def _status_at(
    hist_by_rec: dict[str, pd.DataFrame], rec: str, issued: pd.Timestamp, when: pd.Timestamp
) -> str | None:
    """Status of a recommendation at a date; None if it was not yet issued."""
    if issued > when:
        return None
    part = hist_by_rec.get(rec)
    if part is None:
        return "issued"
    part = part[part["date"] <= when]
    return str(part["status"].iloc[-1]) if len(part) else "issued"


def followup_table(
    dataset: Any,
    changes: pd.DataFrame,
    *,
    reference_date: Any = None,
    as_of: str = "follow_up",
    institution: str | None = None,
    framework: Any = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """Indicator changes of each institution next to the status of its recommendations.

    Parameters
    ----------
    dataset : Dataset
        Needs the recommendations register (statuses) and, for the dates of the
        follow-up answers, the monitoring and admin tables.
    changes : DataFrame
        A change table (:data:`~lublin_diagnosis.indicators.change.CHANGE_COLUMNS`):
        ``Scorecard.changes`` or :func:`monitoring_changes`.
    reference_date : str or date, optional
        Date of ``status_now`` (see
        :func:`~lublin_diagnosis.advocacy.recommendations.resolve_reference_date`).
    as_of : {"follow_up", "reference"}
        When the status that decides the class is read (module docstring).
    institution : str, optional
        Only this institution's rows.
    framework : Framework or str, optional
    lang : {"pl", "en"}, optional
        Add ``institution_name``, ``label`` (indicator), ``scope_name`` and
        ``implementation_name``.

    Returns
    -------
    DataFrame
        :data:`FOLLOWUP_COLUMNS`, one row per institution and indicator, ordered by
        institution (institutions table order) and the framework's indicators.
        ``rec_ids`` lists the recommendations (``;``-joined, empty if none),
        ``status_now`` their statuses at the reference date.

    Raises
    ------
    ValueError
        For an unknown ``as_of``.
    ValidationError
        When the register is unusable (:func:`~lublin_diagnosis.data.register.check_register`).

    Examples
    --------
    >>> table = followup_table(dataset, scorecard.changes)          # doctest: +SKIP
    >>> followup_summary(table)                                     # doctest: +SKIP
    """
    if as_of not in ("follow_up", "reference"):
        raise ValueError(f"as_of must be 'follow_up' or 'reference', not {as_of!r}")
    check_register(dataset)
    fw = resolve_framework(framework, dataset=dataset)
    ref = resolve_reference_date(dataset, reference_date)
    recs = issued_recommendations(dataset, ref)
    hist = status_history(dataset, ref)
    hist_by_rec = {rec: part for rec, part in hist.groupby("rec_id", sort=False)}
    issued_on = dict(zip(recs["rec_id"], recs["date_issued"], strict=False))
    now = recommendation_status(dataset, reference_date=ref).set_index("rec_id")["status"]

    ch = changes.copy()
    inst_rows = ch[ch["institution"].notna()]
    city_rows = ch[ch["institution"].isna()].drop_duplicates("indicator").set_index("indicator")
    rounds = ch[["baseline_round", "follow_up_round"]].dropna()
    r0 = int(rounds["baseline_round"].iloc[0]) if len(rounds) else None
    r1 = int(rounds["follow_up_round"].iloc[0]) if len(rounds) else None
    dates = _follow_up_dates(dataset, r1)

    pairs, by_pair = _pairs(inst_rows, city_rows, recs, fw, r0, r1)

    rows = []
    for (inst, ind), rec in pairs.items():
        rec_ids = by_pair.get((inst, ind), [])
        when = ref if as_of == "reference" else dates.get((inst, ind), ref)
        statuses = [_status_at(hist_by_rec, r, issued_on[r], when) for r in rec_ids]
        counted = [s for s in statuses if s is not None]
        row = {c: rec.get(c) for c in FOLLOWUP_COLUMNS if c in rec}
        row.update(
            institution=inst,
            indicator=ind,
            scope=rec["scope"],
            rec_ids=";".join(rec_ids),
            n_recommendations=len(rec_ids),
            implementation=implementation_class(counted),
            as_of=when,
            status_now=";".join(str(now.get(r, "")) for r in rec_ids),
        )
        rows.append(row)
    out = pd.DataFrame(rows, columns=FOLLOWUP_COLUMNS)
    out = _ordered(out, dataset, fw)
    if institution is not None:
        out = out[out["institution"] == str(institution)].reset_index(drop=True)
    out = _types(out)
    if lang is not None:
        out = _labelled(out, dataset, fw, lang)
    return out


def _pairs(
    inst_rows: pd.DataFrame,
    city_rows: pd.DataFrame,
    recs: pd.DataFrame,
    fw: Any,
    r0: int | None,
    r1: int | None,
) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str], list[str]]]:
    """The (institution, indicator) pairs followed up -- those with a change, and those a
    recommendation rests on (with the city-wide change, or none) -- and the
    recommendations on each pair."""
    pairs: dict[tuple[str, str], dict] = {}
    for rec in inst_rows.to_dict("records"):
        pairs[(str(rec["institution"]), str(rec["indicator"]))] = dict(rec, scope="institution")
    by_pair: dict[tuple[str, str], list[str]] = {}
    for rec_id, inst, ids in zip(
        recs["rec_id"], recs["institution"], recs["indicator_ids"], strict=False
    ):
        for ind in [s.strip() for s in str(ids).split(";") if s.strip()]:
            by_pair.setdefault((inst, ind), []).append(rec_id)
    for key in by_pair:
        if key in pairs:
            continue
        inst, ind = key
        if ind in city_rows.index:
            pairs[key] = dict(
                city_rows.loc[ind].to_dict(), indicator=ind, institution=inst, scope="city"
            )
        else:
            known = ind in set(fw.base.indicator_ids)
            pairs[key] = {
                "institution": inst,
                "indicator": ind,
                "area": fw.base.indicator(ind).area if known else None,
                "kind": fw.base.indicator(ind).kind if known else None,
                "baseline_round": r0,
                "follow_up_round": r1,
                "scope": "none",
                "suppressed": False,
                "low_reliability": False,
                "flags": "",
            }
    return pairs, by_pair


def _ordered(out: pd.DataFrame, dataset: Any, fw: Any) -> pd.DataFrame:
    """Rows in the order of the institutions table, then of the framework's indicators."""
    inst_order = {}
    if getattr(dataset, "institutions", None) is not None:
        inst_order = {i: k for k, i in enumerate(dataset.institutions["institution_id"])}
    ind_order = {i: k for k, i in enumerate(fw.base.indicator_ids)}
    out = out.assign(
        _i=out["institution"].map(lambda v: inst_order.get(v, len(inst_order))),
        _k=out["indicator"].map(lambda v: ind_order.get(v, len(ind_order))),
    )
    out = out.sort_values(["_i", "institution", "_k", "indicator"], kind="stable")
    out = out.drop(columns=["_i", "_k"]).reset_index(drop=True)
    return out


def _labelled(out: pd.DataFrame, dataset: Any, fw: Any, lang: str) -> pd.DataFrame:
    """Names of the institutions, indicators, scopes and classes in ``lang``."""
    from lublin_diagnosis.report.i18n import check_lang, t

    check_lang(lang)
    names = institution_names(dataset, lang)
    out.insert(1, "institution_name", [names.get(i, i) for i in out["institution"]])
    out.insert(
        out.columns.get_loc("indicator") + 1,
        "label",
        [fw.label(i, lang) if i in set(fw.base.indicator_ids) else i for i in out["indicator"]],
    )
    out.insert(
        out.columns.get_loc("scope") + 1,
        "scope_name",
        [t(f"followup.scopes.{c}", lang) for c in out["scope"]],
    )
    out.insert(
        out.columns.get_loc("implementation") + 1,
        "implementation_name",
        [t(f"followup.classes.{c}", lang) for c in out["implementation"]],
    )
    return out


def _types(out: pd.DataFrame) -> pd.DataFrame:
    out = out.copy()
    for c in _NUMBERS:
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in (
        "baseline_round",
        "follow_up_round",
        "n_baseline",
        "n_follow_up",
        "n_recommendations",
    ):
        out[c] = pd.array(
            [None if v is None or pd.isna(v) else int(v) for v in out[c]], dtype="Int64"
        )
    for c in ("suppressed", "low_reliability"):
        out[c] = out[c].fillna(False).astype(bool)
    out["flags"] = out["flags"].fillna("").astype("str")
    for c in ("institution", "indicator", "scope", "rec_ids", "implementation", "status_now"):
        out[c] = out[c].astype("str")
    for c in ("area", "kind"):
        out[c] = out[c].astype(object).where(out[c].notna(), None)
    out["as_of"] = pd.to_datetime(out["as_of"])
    return out


def followup_summary(
    table: pd.DataFrame, *, kinds: str = "PAO", lang: str | None = None
) -> pd.DataFrame:
    """Mean score change per implementation class, with the number of indicators.

    Parameters
    ----------
    table : DataFrame
        From :func:`followup_table` (``implementation``, ``score_change``, ``kind``,
        ``suppressed``).
    kinds : str
        Indicator kinds included (default all).
    lang : {"pl", "en"}, optional
        Add ``implementation_name``.

    Returns
    -------
    DataFrame
        One row per class present (order of :data:`IMPLEMENTATION_CLASSES`):
        ``implementation, n_pairs`` (institution × indicator pairs with a published
        score change), ``mean_score_change, sd_score_change, se_mean_score_change``
        (``sd / sqrt(n_pairs)``: the spread of the changes, not a sampling error; survey
        changes carry their own standard errors in the table), ``improved, unchanged,
        worsened``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"implementation": ["implemented", "implemented", "none"],
    ...                   "score_change": [50.0, 0.0, float("nan")], "kind": ["P", "P", "P"],
    ...                   "suppressed": [False, False, False]})
    >>> followup_summary(t)[["implementation", "n_pairs", "sd_score_change", "improved"]].to_dict("records")
    [{'implementation': 'implemented', 'n_pairs': 2, 'sd_score_change': 35.35533905932738, 'improved': 1}]
    """
    rows = table[table["kind"].isin(list(kinds))]
    if "suppressed" in rows.columns:
        rows = rows[~rows["suppressed"].fillna(False).astype(bool)]
    rows = rows[pd.to_numeric(rows["score_change"], errors="coerce").notna()]
    out = []
    for c in IMPLEMENTATION_CLASSES:
        x = pd.to_numeric(rows.loc[rows["implementation"] == c, "score_change"]).to_numpy(
            dtype=float
        )
        if x.size == 0:
            continue
        sd = float(np.std(x, ddof=1)) if x.size > 1 else np.nan
        out.append(
            {
                "implementation": c,
                "n_pairs": int(x.size),
                "mean_score_change": float(np.mean(x)),
                "sd_score_change": sd,
                "se_mean_score_change": sd / np.sqrt(x.size) if x.size > 1 else np.nan,
                "improved": int((x > 0).sum()),
                "unchanged": int((x == 0).sum()),
                "worsened": int((x < 0).sum()),
            }
        )
    result = pd.DataFrame(
        out,
        columns=[
            "implementation",
            "n_pairs",
            "mean_score_change",
            "sd_score_change",
            "se_mean_score_change",
            "improved",
            "unchanged",
            "worsened",
        ],
    )
    result["implementation"] = result["implementation"].astype("str")
    if lang is not None:
        from lublin_diagnosis.report.i18n import t

        result.insert(
            1,
            "implementation_name",
            [t(f"followup.classes.{c}", lang) for c in result["implementation"]],
        )
    return result
