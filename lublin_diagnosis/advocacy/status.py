"""Where each recommendation stands: current status, time in status, the status
history as a timeline, and the implementation rate of a group of recommendations.

* **Current status** is the last status row dated on or before the reference date (rows
  of the same day keep their file order); **time in status** counts the days from the
  first row of the current unbroken run of that status to the reference date.
* **Implementation rate** of a group of recommendations (an institution, an area, all):
  ``(implemented + 0.5 * partially_implemented) / n_recommendations``, where the
  denominator is every recommendation issued by the reference date, rejected ones
  included. A partial implementation counts as half (:data:`STATUS_CREDIT`). The register
  is a census, not a sample: the rates carry no sampling error, and the counts per status
  are published next to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register  # noqa: F401 (examples)
from lublin_diagnosis.advocacy.register_tables import (
    institution_names,
    issued_recommendations,
    resolve_reference_date,
    status_history,
)
from lublin_diagnosis.data.register import STATUSES
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "STATUS_CREDIT",
    "implementation_rates",
    "recommendation_status",
    "status_timeline",
]

#: Credit of each status in the implementation rate (partial implementation counts ½).
STATUS_CREDIT: Mapping[str, float] = MappingProxyType(
    {
        "issued": 0.0,
        "acknowledged": 0.0,
        "in_progress": 0.0,
        "partially_implemented": 0.5,
        "implemented": 1.0,
        "rejected": 0.0,
    }
)


def recommendation_status(
    dataset: Any,
    *,
    reference_date: Any = None,
    lang: str | None = None,
    framework: Any = None,
    institution: str | None = None,
) -> pd.DataFrame:
    """Current status and time in status of every recommendation, as of a date.

    Parameters
    ----------
    dataset : Dataset
    reference_date : str or date, optional
        See :func:`resolve_reference_date` (default: the latest date in the register).
    lang : {"pl", "en"}, optional
        Add ``area_name``, ``institution_name``, ``text`` and ``status_name`` in that
        language (status names from the locale files).
    framework : Framework or str, optional
        For the area names (default: the dataset's framework).
    institution : str, optional
        Only the recommendations addressed to this institution.

    Returns
    -------
    DataFrame
        One row per recommendation issued by the reference date, in register order:
        ``rec_id, area, institution, indicator_ids, date_issued, status, status_since,
        days_in_status, days_since_issued, n_changes, reference_date`` (``n_changes``:
        status changes after ``issued``), plus the labels when ``lang`` is given.

    Examples
    --------
    >>> st = recommendation_status(example_register(), reference_date="2023-06-30")
    >>> st[["rec_id", "status", "status_since", "days_in_status"]].astype(str).to_dict("records")
    [{'rec_id': 'R1', 'status': 'in_progress', 'status_since': '2023-04-01', 'days_in_status': '90'}, {'rec_id': 'R2', 'status': 'issued', 'status_since': '2023-06-01', 'days_in_status': '29'}]
    """
    ref = resolve_reference_date(dataset, reference_date)
    recs = issued_recommendations(dataset, ref)
    last = _last_status(status_history(dataset, ref))
    found = pd.Index(last["rec_id"]).get_indexer(recs["rec_id"])
    have = found >= 0
    at = np.where(have, found, 0)
    status = np.where(have, last["status"].to_numpy(dtype=object)[at], "issued")
    since = np.where(have, last["since"].to_numpy()[at], recs["date_issued"].to_numpy())
    changes = np.where(have, last["changes"].to_numpy()[at], 0)
    out = recs[["rec_id", "area", "institution", "indicator_ids", "date_issued"]].copy()
    out["status"] = pd.array(status, dtype="str")
    out["status_since"] = pd.to_datetime(pd.Series(since, dtype="datetime64[ns]")).to_numpy()
    out["days_in_status"] = ((ref - out["status_since"]).dt.days).astype("int64")
    out["days_since_issued"] = ((ref - out["date_issued"]).dt.days).astype("int64")
    out["n_changes"] = np.asarray(changes, dtype="int64")
    out["reference_date"] = ref
    if institution is not None:
        out = out[out["institution"] == str(institution)].reset_index(drop=True)
    if lang is not None:
        from lublin_diagnosis.report.i18n import check_lang, t

        check_lang(lang)
        fw = resolve_framework(framework, dataset=dataset)
        names = institution_names(dataset, lang)
        out.insert(2, "area_name", [fw.label(a, lang) for a in out["area"]])
        out.insert(4, "institution_name", [names.get(i, i) for i in out["institution"]])
        texts = recs.set_index("rec_id")[f"text_{lang}"] if f"text_{lang}" in recs else None
        out.insert(
            5, "text", [texts.get(r, "") if texts is not None else "" for r in out["rec_id"]]
        )
        out.insert(
            out.columns.get_loc("status") + 1,
            "status_name",
            [t(f"statuses.{s}", lang) for s in out["status"]],
        )
    return out


def _last_status(hist: pd.DataFrame) -> pd.DataFrame:
    """Per recommendation of a status history (:func:`status_history`: rows in time order
    within each recommendation): its last status, the date of the first row of the run of
    that same status which ends the history (``since``) and how many rows are not
    ``issued`` (``changes``). One pass over the rows, no loop over recommendations.

    >>> hist = pd.DataFrame({"rec_id": ["R1", "R1", "R1", "R2"],
    ...     "date": pd.to_datetime(["2023-01-01", "2023-02-01", "2023-03-01", "2023-01-05"]),
    ...     "status": ["issued", "in_progress", "in_progress", "issued"]})
    >>> _last_status(hist).astype(str).to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'rec_id': 'R1', 'status': 'in_progress', 'since': '2023-02-01', 'changes': '2'},
     {'rec_id': 'R2', 'status': 'issued', 'since': '2023-01-05', 'changes': '0'}]
    """
    if hist.empty:
        return pd.DataFrame(
            {
                "rec_id": pd.Series([], dtype=object),
                "status": pd.Series([], dtype=object),
                "since": pd.Series([], dtype="datetime64[ns]"),
                "changes": pd.Series([], dtype="int64"),
            }
        )
    rec = hist["rec_id"].to_numpy(dtype=object)
    code = hist["status"].to_numpy(dtype=object)
    dates = hist["date"].to_numpy()
    first_of_rec = np.r_[True, rec[1:] != rec[:-1]]
    last_of_rec = np.r_[rec[1:] != rec[:-1], True]
    new_run = first_of_rec | np.r_[True, code[1:] != code[:-1]]
    run_start = np.maximum.accumulate(np.where(new_run, np.arange(len(rec)), 0))
    not_issued = (code != "issued").astype("int64")
    group = np.cumsum(first_of_rec) - 1
    return pd.DataFrame(
        {
            "rec_id": rec[last_of_rec],
            "status": code[last_of_rec],
            "since": dates[run_start[last_of_rec]],
            "changes": np.bincount(group, weights=not_issued).astype("int64"),
        }
    )


def status_timeline(
    dataset: Any,
    *,
    reference_date: Any = None,
    institution: str | None = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """The status history as segments: one row per status a recommendation was in.

    Parameters
    ----------
    dataset : Dataset
    reference_date : str or date, optional
    institution : str, optional
        Only the recommendations addressed to this institution.
    lang : {"pl", "en"}, optional
        Add ``institution_name`` and ``label`` (``"REC01 · <institution>"``, the name cut
        to 30 characters), the row label of :func:`plot_timeline`.

    Returns
    -------
    DataFrame
        ``rec_id, institution, area, status, start, end, days, current``: a status holds
        from ``start`` to the next change (``end``), the current one until the reference
        date. Changes on the same day give zero-day segments (kept, so that every change
        is listed).

    Examples
    --------
    >>> tl = status_timeline(example_register())
    >>> tl[tl["rec_id"] == "R1"][["status", "days", "current"]].to_dict("records")
    [{'status': 'issued', 'days': 31, 'current': False}, {'status': 'in_progress', 'days': 152, 'current': False}, {'status': 'implemented', 'days': 30, 'current': True}]
    """
    ref = resolve_reference_date(dataset, reference_date)
    recs = issued_recommendations(dataset, ref)
    hist = status_history(dataset, ref)
    groups = {rec: part for rec, part in hist.groupby("rec_id", sort=False)}
    rows = []
    for rec, inst, area, issued in zip(
        recs["rec_id"], recs["institution"], recs["area"], recs["date_issued"], strict=False
    ):
        part = groups.get(rec)
        if part is None or part.empty:
            entries = [("issued", issued)]
        else:
            entries = list(zip(part["status"], part["date"], strict=False))
        for k, (code, start) in enumerate(entries):
            end = entries[k + 1][1] if k + 1 < len(entries) else ref
            rows.append(
                {
                    "rec_id": rec,
                    "institution": inst,
                    "area": area,
                    "status": code,
                    "start": pd.Timestamp(start),
                    "end": pd.Timestamp(end),
                    "current": k + 1 == len(entries),
                }
            )
    out = pd.DataFrame(
        rows, columns=["rec_id", "institution", "area", "status", "start", "end", "current"]
    )
    out["start"] = pd.to_datetime(out["start"])
    out["end"] = pd.to_datetime(out["end"])
    out.insert(6, "days", (out["end"] - out["start"]).dt.days.astype("int64"))
    out["current"] = out["current"].astype(bool)
    if institution is not None:
        out = out[out["institution"] == str(institution)].reset_index(drop=True)
    if lang is not None:
        names = institution_names(dataset, lang)
        out.insert(2, "institution_name", [names.get(i, i) for i in out["institution"]])
        out["label"] = [
            f"{r} · " + (n if len(n) <= 30 else n[:29].rstrip() + "…")
            for r, n in zip(out["rec_id"], out["institution_name"], strict=False)
        ]
    return out


def implementation_rates(
    dataset: Any,
    *,
    by: str | None = "institution",
    reference_date: Any = None,
    lang: str | None = None,
    framework: Any = None,
) -> pd.DataFrame:
    """Implementation rate of the recommendations per institution, per area or overall.

    Parameters
    ----------
    dataset : Dataset
    by : {"institution", "area", None}
        The grouping; ``None`` gives one row for all recommendations.
    reference_date : str or date, optional
    lang : {"pl", "en"}, optional
        Add the name of each institution (``institution_name``) or area (``area_name``).
    framework : Framework or str, optional

    Returns
    -------
    DataFrame
        The group column (``institution`` or ``area``; none for ``by=None``), its name
        when ``lang`` is given, ``n_recommendations``, one column per status of
        :data:`STATUSES` (counts) and ``implementation_rate`` (implemented + ½ partially
        implemented, over all recommendations issued; see the module docstring).
        Institutions follow the order of the institutions table, areas the framework;
        groups without a recommendation are left out.

    Raises
    ------
    ValueError
        For an unknown ``by``.

    Examples
    --------
    >>> implementation_rates(example_register(), by="institution")[
    ...     ["institution", "n_recommendations", "implemented", "implementation_rate"]
    ... ].to_dict("records")
    [{'institution': 'mopr', 'n_recommendations': 1, 'implemented': 1, 'implementation_rate': 1.0}, {'institution': 'mup', 'n_recommendations': 1, 'implemented': 0, 'implementation_rate': 0.0}]
    """
    if by not in ("institution", "area", None):
        raise ValueError(f"by must be 'institution', 'area' or None, not {by!r}")
    st = recommendation_status(dataset, reference_date=reference_date)
    credit = st["status"].map(STATUS_CREDIT).astype(float)
    if by is None:
        keys = pd.Series(["all"] * len(st), index=st.index)
        order = ["all"]
    else:
        keys = st[by]
        if by == "institution":
            inst = getattr(dataset, "institutions", None)
            listed = [] if inst is None else inst["institution_id"].astype(str).tolist()
            order = [i for i in listed if i in set(keys)] + sorted(set(keys) - set(listed))
        else:
            fw = resolve_framework(framework, dataset=dataset)
            listed = list(fw.base.area_ids)
            order = [a for a in listed if a in set(keys)] + sorted(set(keys) - set(listed))
    counts = pd.crosstab(keys, st["status"]).reindex(
        index=order, columns=list(STATUSES), fill_value=0
    )
    total = counts.sum(axis=1)
    credits = credit.groupby(keys).sum().reindex(order)
    out = pd.DataFrame({"n_recommendations": total.astype("int64").to_numpy()})
    for code in STATUSES:
        out[code] = counts[code].astype("int64").to_numpy()
    out["implementation_rate"] = credits.to_numpy(dtype=float) / total.to_numpy(dtype=float)
    if by is not None:
        out.insert(0, by, pd.array(order, dtype="str"))
        if lang is not None:
            if by == "institution":
                names = institution_names(dataset, lang)
                out.insert(1, "institution_name", [names.get(i, i) for i in order])
            else:
                fw = resolve_framework(framework, dataset=dataset)
                out.insert(1, "area_name", [fw.label(a, lang) for a in order])
    return out
