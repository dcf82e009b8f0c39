"""The recommendations register: status, implementation, the indicators behind each
recommendation and the consultation group's opinions.

The register is three tables of a dataset (``docs/data-contracts.md``):
``recommendations`` (one row per recommendation, addressed to one institution, in one
area, resting on one or more indicators), ``status`` (the history of each recommendation:
``issued`` first, then ``acknowledged``, ``in_progress``, ``implemented``,
``partially_implemented`` or ``rejected``) and ``opinions`` (each consultation-group
member's ``support`` / ``amend`` / ``reject``, with an optional comment in both
languages).

Everything is computed **as of a reference date** (:func:`resolve_reference_date`), by
default the latest date found in the register -- never the day of the run, so that a run
on the same data gives the same tables. Recommendations issued after the reference date
are left out; status rows and opinions dated after it are ignored.

Rules
-----
* **Current status** is the last status row dated on or before the reference date (rows
  of the same day keep their file order); **time in status** counts the days from the
  first row of the current unbroken run of that status to the reference date.
* **Implementation rate** of a group of recommendations (an institution, an area, all):
  ``(implemented + 0.5 * partially_implemented) / n_recommendations``, where the
  denominator is every recommendation issued by the reference date, rejected ones
  included. A partial implementation counts as half (:data:`STATUS_CREDIT`). The register
  is a census, not a sample: the rates carry no sampling error, and the counts per status
  are published next to them.
* **Opinions**: each member's *latest* opinion on a recommendation (as of the reference
  date) counts once, so a member who first asked to amend a draft and later supported it
  counts as support. Shares are over the members who gave an opinion. Member codes are
  never published; comments are shown as distinct texts in the report language (falling
  back to the other language, marked ``[pl]`` / ``[en]``, when a comment was written in
  one language only). Opinion tallies describe a consultation group's votes on policy
  proposals, not a population: they are published as they are (see the module
  :mod:`~lublin_diagnosis.disclosure.control` for the counts that are protected).

>>> ds = _example()
>>> recommendation_status(ds)[["rec_id", "status", "days_in_status"]].to_dict("records")
[{'rec_id': 'R1', 'status': 'implemented', 'days_in_status': 30}, {'rec_id': 'R2', 'status': 'in_progress', 'days_in_status': 61}]
>>> implementation_rates(ds, by=None)["implementation_rate"].tolist()
[0.5]
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DataError, Problem, ValidationError

__all__ = [
    "OPINIONS",
    "STATUSES",
    "STATUS_COLOURS",
    "STATUS_CREDIT",
    "check_register",
    "implementation_rates",
    "opinion_comments",
    "opinion_summary",
    "plot_timeline",
    "recommendation_indicators",
    "recommendation_register",
    "recommendation_status",
    "resolve_reference_date",
    "status_timeline",
]

#: Statuses of a recommendation, in the order of the report's legends.
STATUSES: tuple[str, ...] = (
    "issued",
    "acknowledged",
    "in_progress",
    "partially_implemented",
    "implemented",
    "rejected",
)
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
#: Opinions of the consultation group.
OPINIONS: tuple[str, ...] = ("support", "amend", "reject")
#: Colour of each status in the timeline chart (seaborn's colour-blind palette).
STATUS_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "issued": "#949494",
        "acknowledged": "#56b4e9",
        "in_progress": "#0173b2",
        "partially_implemented": "#ece133",
        "implemented": "#029e73",
        "rejected": "#d55e00",
    }
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_REC_COLUMNS = ("rec_id", "area", "institution_id", "indicator_ids", "date_issued")
_STATUS_COLUMNS = ("rec_id", "date", "status")
_OPINION_COLUMNS = ("rec_id", "member", "date", "opinion")


# --------------------------------------------------------------------------- checks
def _row(frame: pd.DataFrame, pos: int) -> int | None:
    """Spreadsheet row of a record (header is row 1) when the frame is in file order."""
    return pos + 2 if isinstance(frame.index, pd.RangeIndex) else None


def check_register(dataset: Any) -> None:
    """Check that the recommendations register can be used; report every problem at once.

    :func:`~lublin_diagnosis.data.validation.load_dataset` already enforces the contract; this
    check guards the functions of this module against tables edited or built by hand.

    Parameters
    ----------
    dataset : Dataset
        Needs ``recommendations`` and ``status``; ``opinions`` and ``institutions`` are
        checked when present.

    Raises
    ------
    DataError
        When the register is absent or a table misses a column.
    ValidationError
        Listing every record at fault: a recommendation whose institution is unknown or
        that has no ``issued`` status, a repeated ``rec_id``, a status or opinion naming an
        unknown recommendation, an unknown status or opinion code.

    Examples
    --------
    >>> ds = _example()
    >>> check_register(ds)
    >>> bad = _example(institution="nowhere")
    >>> check_register(bad)
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ValidationError: the recommendations register cannot be used:
      - recommendations.csv, row 3, column 'institution_id': [unknown_institution] (value 'nowhere') recommendation R2 is addressed to institution 'nowhere', which is not in institutions.csv; add the institution or correct the id
    """
    recs = getattr(dataset, "recommendations", None)
    status = getattr(dataset, "status", None)
    if recs is None:
        raise DataError(
            "the dataset has no recommendations register (recommendations.csv "
            "is declared absent or missing); the recommendation tables need it"
        )
    if status is None:
        raise DataError(
            "the dataset has no status histories (recommendation_status.csv is "
            "declared absent or missing); the recommendation tables need them"
        )
    for name, frame, cols in (
        ("recommendations.csv", recs, _REC_COLUMNS),
        ("recommendation_status.csv", status, _STATUS_COLUMNS),
    ):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise DataError(f"{name} has no column(s) {', '.join(missing)}")
    opinions = getattr(dataset, "opinions", None)
    if opinions is not None:
        missing = [c for c in _OPINION_COLUMNS if c not in opinions.columns]
        if missing:
            raise DataError(f"recommendation_opinions.csv has no column(s) {', '.join(missing)}")
    problems: list[Problem] = []
    ids = recs["rec_id"].astype(str).tolist()
    seen: dict[str, int] = {}
    for pos, rec in enumerate(ids):
        if rec in seen:
            problems.append(
                Problem(
                    "recommendations.csv",
                    "unique",
                    f"recommendation {rec} is listed twice (first at "
                    f"position {seen[rec] + 1}); give each one its own id",
                    row=_row(recs, pos),
                    column="rec_id",
                    value=rec,
                )
            )
        seen.setdefault(rec, pos)
    institutions = getattr(dataset, "institutions", None)
    if institutions is not None:
        known = set(institutions["institution_id"].astype(str))
        for pos, (rec, inst) in enumerate(zip(ids, recs["institution_id"], strict=False)):
            if str(inst) not in known:
                problems.append(
                    Problem(
                        "recommendations.csv",
                        "unknown_institution",
                        f"recommendation {rec} is addressed to institution {inst!r}, which is "
                        f"not in institutions.csv; add the institution or correct the id",
                        row=_row(recs, pos),
                        column="institution_id",
                        value=inst,
                    )
                )
    known_recs = set(ids)
    issued = set()
    for pos, (rec, code) in enumerate(
        zip(status["rec_id"].astype(str), status["status"], strict=False)
    ):
        if rec not in known_recs:
            problems.append(
                Problem(
                    "recommendation_status.csv",
                    "unknown_rec_id",
                    f"a status row names recommendation {rec}, which is not in recommendations.csv",
                    row=_row(status, pos),
                    column="rec_id",
                    value=rec,
                )
            )
        if code not in STATUSES:
            problems.append(
                Problem(
                    "recommendation_status.csv",
                    "allowed",
                    f"status {code!r} of recommendation {rec} is not one of {', '.join(STATUSES)}",
                    row=_row(status, pos),
                    column="status",
                    value=code,
                )
            )
        if code == "issued":
            issued.add(rec)
    for rec in ids:
        if rec not in issued:
            problems.append(
                Problem(
                    "recommendation_status.csv",
                    "status_issued",
                    f"recommendation {rec} has no 'issued' status row; "
                    f"start its history with the date it was issued",
                    row=None,
                    column="rec_id",
                    value=rec,
                )
            )
    if opinions is not None:
        for pos, (rec, code) in enumerate(
            zip(opinions["rec_id"].astype(str), opinions["opinion"], strict=False)
        ):
            if rec not in known_recs:
                problems.append(
                    Problem(
                        "recommendation_opinions.csv",
                        "unknown_rec_id",
                        f"an opinion names recommendation {rec}, which is "
                        f"not in recommendations.csv",
                        row=_row(opinions, pos),
                        column="rec_id",
                        value=rec,
                    )
                )
            if code not in OPINIONS:
                problems.append(
                    Problem(
                        "recommendation_opinions.csv",
                        "allowed",
                        f"opinion {code!r} on recommendation {rec} is not "
                        f"one of {', '.join(OPINIONS)}",
                        row=_row(opinions, pos),
                        column="opinion",
                        value=code,
                    )
                )
    if problems:
        raise ValidationError(problems, summary="the recommendations register cannot be used")


# --------------------------------------------------------------------------- reference date
def resolve_reference_date(dataset: Any, value: Any = None) -> pd.Timestamp:
    """The date the register is read at.

    Parameters
    ----------
    dataset : Dataset
    value : str, date or None
        ``"YYYY-MM-DD"``; ``None`` or ``""`` (the notebooks' default) means the latest
        date in the register: issue dates, status changes and opinions.

    Returns
    -------
    pandas.Timestamp
        Midnight of the reference date.

    Raises
    ------
    ValueError
        When ``value`` is not a date, or is before the first recommendation was issued
        (there would be nothing to report).
    DataError
        When the dataset has no recommendations register.

    Examples
    --------
    >>> ds = _example()
    >>> str(resolve_reference_date(ds).date()), str(resolve_reference_date(ds, "2023-05-01").date())
    ('2023-09-30', '2023-05-01')
    >>> resolve_reference_date(ds, "1.5.2023")
    Traceback (most recent call last):
    ...
    ValueError: parameter 'reference_date' must be a date written YYYY-MM-DD, or empty for the latest date in the register, not '1.5.2023'
    """
    check_register(dataset)
    recs = dataset.recommendations
    if value is None or (isinstance(value, str) and not value.strip()):
        dates = [
            pd.to_datetime(recs["date_issued"]).max(),
            pd.to_datetime(dataset.status["date"]).max(),
        ]
        if getattr(dataset, "opinions", None) is not None and len(dataset.opinions):
            dates.append(pd.to_datetime(dataset.opinions["date"]).max())
        dates = [d for d in dates if not pd.isna(d)]
        if not dates:
            raise DataError("the recommendations register holds no dates")
        return pd.Timestamp(max(dates)).normalize()
    if isinstance(value, str):
        text = value.strip()
        if not _DATE.match(text):
            raise ValueError(
                f"parameter 'reference_date' must be a date written YYYY-MM-DD, "
                f"or empty for the latest date in the register, not {value!r}"
            )
        try:
            ts = pd.Timestamp(text)
        except ValueError:
            raise ValueError(f"parameter 'reference_date' is not a valid date: {value!r}") from None
    elif isinstance(value, (_dt.date, pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
    else:
        raise ValueError(f"parameter 'reference_date' must be a date (YYYY-MM-DD), not {value!r}")
    ts = ts.normalize()
    first = pd.to_datetime(recs["date_issued"]).min()
    if not pd.isna(first) and ts < first:
        raise ValueError(
            f"reference_date {ts.date()} is before the first recommendation was "
            f"issued ({first.date()}): there is nothing to report"
        )
    return ts


# --------------------------------------------------------------------------- helpers
def _framework_of(dataset: Any, framework: Any = None):
    """The framework: given, or the dataset's (a shipped name or a path in its folder)."""
    from lublin_diagnosis.framework.model import Framework, available_frameworks, load_framework

    if isinstance(framework, Framework):
        return framework
    meta = getattr(dataset, "meta", None) or {}
    name = framework if framework is not None else meta.get("framework", "lublin-14")
    if name in available_frameworks():
        return load_framework(name)
    path = Path(name)
    data_dir = getattr(dataset, "data_dir", None)
    if not path.is_absolute() and data_dir is not None and (Path(data_dir) / path).exists():
        path = Path(data_dir) / path
    return load_framework(path)


def _institution_names(dataset: Any, lang: str) -> dict[str, str]:
    inst = getattr(dataset, "institutions", None)
    if inst is None:
        return {}
    return dict(
        zip(inst["institution_id"].astype(str), inst[f"name_{lang}"].astype(str), strict=False)
    )


def _history(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    """Status rows dated on or before ``ref``, per recommendation in time order (rows of
    one day in file order)."""
    st = dataset.status
    hist = pd.DataFrame(
        {
            "rec_id": st["rec_id"].astype(str).to_numpy(),
            "date": pd.to_datetime(st["date"]).to_numpy(),
            "status": st["status"].astype(str).to_numpy(),
            "_order": np.arange(len(st)),
        }
    )
    hist = hist[hist["date"] <= ref]
    return hist.sort_values(["rec_id", "date", "_order"], kind="stable").reset_index(drop=True)


def _issued(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    recs = dataset.recommendations
    out = pd.DataFrame(
        {
            "rec_id": recs["rec_id"].astype(str).to_numpy(),
            "area": recs["area"].astype(str).to_numpy(),
            "institution": recs["institution_id"].astype(str).to_numpy(),
            "indicator_ids": recs["indicator_ids"].astype(str).to_numpy(),
            "date_issued": pd.to_datetime(recs["date_issued"]).to_numpy(),
        }
    )
    for lang in ("pl", "en"):
        if f"text_{lang}" in recs.columns:
            out[f"text_{lang}"] = recs[f"text_{lang}"].astype(str).to_numpy()
    return out[out["date_issued"] <= ref].reset_index(drop=True)


def _ref(dataset: Any, reference_date: Any) -> pd.Timestamp:
    return resolve_reference_date(dataset, reference_date)


# --------------------------------------------------------------------------- status
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
    >>> st = recommendation_status(_example(), reference_date="2023-06-30")
    >>> st[["rec_id", "status", "status_since", "days_in_status"]].astype(str).to_dict("records")
    [{'rec_id': 'R1', 'status': 'in_progress', 'status_since': '2023-04-01', 'days_in_status': '90'}, {'rec_id': 'R2', 'status': 'issued', 'status_since': '2023-06-01', 'days_in_status': '29'}]
    """
    ref = _ref(dataset, reference_date)
    recs = _issued(dataset, ref)
    hist = _history(dataset, ref)
    groups = {rec: part for rec, part in hist.groupby("rec_id", sort=False)}
    status, since, changes = [], [], []
    for rec, issued in zip(recs["rec_id"], recs["date_issued"], strict=False):
        part = groups.get(rec)
        if part is None or part.empty:
            status.append("issued")
            since.append(issued)
            changes.append(0)
            continue
        codes = part["status"].tolist()
        dates = part["date"].tolist()
        k = len(codes) - 1
        while k > 0 and codes[k - 1] == codes[k]:
            k -= 1
        status.append(codes[-1])
        since.append(dates[k])
        changes.append(int(sum(c != "issued" for c in codes)))
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
        fw = _framework_of(dataset, framework)
        names = _institution_names(dataset, lang)
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
    >>> tl = status_timeline(_example())
    >>> tl[tl["rec_id"] == "R1"][["status", "days", "current"]].to_dict("records")
    [{'status': 'issued', 'days': 31, 'current': False}, {'status': 'in_progress', 'days': 152, 'current': False}, {'status': 'implemented', 'days': 30, 'current': True}]
    """
    ref = _ref(dataset, reference_date)
    recs = _issued(dataset, ref)
    hist = _history(dataset, ref)
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
        names = _institution_names(dataset, lang)
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
    >>> implementation_rates(_example(), by="institution")[
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
            fw = _framework_of(dataset, framework)
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
                names = _institution_names(dataset, lang)
                out.insert(1, "institution_name", [names.get(i, i) for i in order])
            else:
                fw = _framework_of(dataset, framework)
                out.insert(1, "area_name", [fw.label(a, lang) for a in order])
    return out


# --------------------------------------------------------------------------- opinions
def _latest_opinions(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    ops = getattr(dataset, "opinions", None)
    cols = ["rec_id", "member", "date", "opinion", "comment_pl", "comment_en"]
    if ops is None or ops.empty:
        return pd.DataFrame(columns=cols)
    frame = pd.DataFrame(
        {
            "rec_id": ops["rec_id"].astype(str).to_numpy(),
            "member": ops["member"].astype(str).to_numpy(),
            "date": pd.to_datetime(ops["date"]).to_numpy(),
            "opinion": ops["opinion"].astype(str).to_numpy(),
            "_order": np.arange(len(ops)),
        }
    )
    for lang in ("pl", "en"):
        col = f"comment_{lang}"
        values = (
            ops[col].astype(object).to_numpy()
            if col in ops.columns
            else np.full(len(ops), None, dtype=object)
        )
        frame[col] = [
            None
            if v is None
            or (isinstance(v, float) and np.isnan(v))
            or v is pd.NA
            or not str(v).strip()
            else str(v).strip()
            for v in values
        ]
    frame = frame[frame["date"] <= ref]
    frame = frame.sort_values(["rec_id", "member", "date", "_order"], kind="stable")
    return frame.groupby(["rec_id", "member"], sort=False).tail(1)[cols].reset_index(drop=True)


def opinion_summary(
    dataset: Any, *, reference_date: Any = None, institution: str | None = None
) -> pd.DataFrame:
    """The consultation group's opinions on each recommendation: counts and shares.

    Returns
    -------
    DataFrame
        One row per recommendation issued by the reference date (register order):
        ``rec_id, n_opinions, support, amend, reject, share_support, share_amend,
        share_reject`` (shares of the members who gave an opinion; missing when none
        did). Each member's latest opinion counts once.

    Examples
    --------
    >>> opinion_summary(_example())[["rec_id", "n_opinions", "support", "amend", "share_support"]].to_dict("records")
    [{'rec_id': 'R1', 'n_opinions': 3, 'support': 2, 'amend': 1, 'share_support': 0.6666666666666666}, {'rec_id': 'R2', 'n_opinions': 0, 'support': 0, 'amend': 0, 'share_support': nan}]
    """
    ref = _ref(dataset, reference_date)
    recs = _issued(dataset, ref)
    if institution is not None:
        recs = recs[recs["institution"] == str(institution)]
    latest = _latest_opinions(dataset, ref)
    counts = pd.crosstab(latest["rec_id"], latest["opinion"]) if len(latest) else pd.DataFrame()
    counts = counts.reindex(index=recs["rec_id"].tolist(), columns=list(OPINIONS), fill_value=0)
    out = pd.DataFrame({"rec_id": pd.array(recs["rec_id"].tolist(), dtype="str")})
    total = counts.sum(axis=1).to_numpy(dtype="int64")
    out["n_opinions"] = total
    for code in OPINIONS:
        out[code] = counts[code].to_numpy(dtype="int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        for code in OPINIONS:
            out[f"share_{code}"] = np.where(total > 0, out[code] / np.maximum(total, 1), np.nan)
    return out


def opinion_comments(
    dataset: Any, lang: str, *, reference_date: Any = None, institution: str | None = None
) -> pd.DataFrame:
    """The consultation group's comments on each recommendation, in the report language.

    Parameters
    ----------
    dataset : Dataset
    lang : {"pl", "en"}
        Comments in this language; a comment written only in the other language is
        shown in it, marked ``[pl]`` or ``[en]``.

    Returns
    -------
    DataFrame
        ``rec_id, opinion, opinion_name, comment``: the distinct comments of the
        members' latest opinions, by recommendation and opinion (support, amend,
        reject). Member codes are not shown.

    Examples
    --------
    >>> opinion_comments(_example(), "en")[["rec_id", "opinion", "comment"]].to_dict("records")  # doctest: +SKIP
    [{'rec_id': 'R1', 'opinion': 'amend', 'comment': 'Add English.'}, {'rec_id': 'R1', 'opinion': 'support', 'comment': '[pl] Bardzo potrzebne.'}]
    """
    from lublin_diagnosis.report.i18n import check_lang, t

    check_lang(lang)
    other = "en" if lang == "pl" else "pl"
    ref = _ref(dataset, reference_date)
    recs = _issued(dataset, ref)
    if institution is not None:
        recs = recs[recs["institution"] == str(institution)]
    order = {r: k for k, r in enumerate(recs["rec_id"])}
    latest = _latest_opinions(dataset, ref)
    latest = latest[latest["rec_id"].isin(order)]
    comments = [
        c if not pd.isna(c) else (f"[{other}] {o}" if not pd.isna(o) else None)
        for c, o in zip(
            latest[f"comment_{lang}"].astype(object),
            latest[f"comment_{other}"].astype(object),
            strict=False,
        )
    ]
    table = pd.DataFrame(
        {
            "rec_id": latest["rec_id"].to_numpy(),
            "opinion": latest["opinion"].to_numpy(),
            "comment": comments,
        },
        columns=["rec_id", "opinion", "comment"],
    )
    table = table[table["comment"].notna()].drop_duplicates()
    table = table.assign(
        _r=table["rec_id"].map(order),
        _o=table["opinion"].map({o: k for k, o in enumerate(OPINIONS)}),
    )
    table = table.sort_values(["_r", "_o", "comment"], kind="stable")
    out = pd.DataFrame(
        {
            "rec_id": pd.array(table["rec_id"].tolist(), dtype="str"),
            "opinion": pd.array(table["opinion"].tolist(), dtype="str"),
            "opinion_name": pd.array(
                [t(f"opinions.{o}", lang) for o in table["opinion"]], dtype="str"
            ),
            "comment": pd.array(table["comment"].tolist(), dtype="str"),
        }
    )
    return out


def recommendation_register(
    dataset: Any,
    *,
    lang: str,
    reference_date: Any = None,
    institution: str | None = None,
    framework: Any = None,
) -> pd.DataFrame:
    """The register as the report shows it: each recommendation with its status and the
    consultation group's opinions.

    Returns
    -------
    DataFrame
        :func:`recommendation_status` (with labels in ``lang``) joined with
        :func:`opinion_summary` on ``rec_id``; the ``reference_date`` column is dropped.

    Examples
    --------
    >>> recommendation_register(_example(), lang="en")[["rec_id", "status_name", "support"]]  # doctest: +SKIP
      rec_id  status_name  support
    0     R1  implemented        2
    1     R2  in progress        0
    """
    status = recommendation_status(
        dataset,
        reference_date=reference_date,
        lang=lang,
        framework=framework,
        institution=institution,
    )
    ops = opinion_summary(dataset, reference_date=reference_date, institution=institution)
    out = status.drop(columns=["reference_date"]).merge(
        ops, on="rec_id", how="left", validate="one_to_one"
    )
    return out


# --------------------------------------------------------------------------- indicators
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
    >>> basis = recommendation_indicators(_example(), card, institution="mup")
    >>> basis[["rec_id", "answer", "score_institution", "score_city"]].to_dict("records")
    [{'rec_id': 'R2', 'answer': 'partial', 'score_institution': 50.0, 'score_city': 62.5}]
    """
    fw = _framework_of(
        dataset, framework if framework is not None else getattr(scorecard, "framework", None)
    )
    status = recommendation_status(dataset, reference_date=reference_date, institution=institution)
    ind = scorecard.indicators
    city = ind[ind["institution"].isna()].drop_duplicates("indicator").set_index("indicator")
    own: dict[tuple[str, str], dict] = {}
    for rec in ind[ind["institution"].notna()].to_dict("records"):
        own.setdefault((str(rec["institution"]), str(rec["indicator"])), rec)
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
    if problems:
        raise ValidationError(problems, summary="recommendations rest on unknown indicators")
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


# --------------------------------------------------------------------------- chart
def plot_timeline(
    timeline: pd.DataFrame,
    *,
    lang: str,
    label: str | None = None,
    title: str = "",
    reference_date: Any = None,
):
    """Timeline of status changes: one row per recommendation, coloured by status.

    Parameters
    ----------
    timeline : DataFrame
        From :func:`status_timeline` (``rec_id, status, start, end``), in the order the
        rows should appear.
    lang : {"pl", "en"}
        Language of the legend (status names from the locale files) and axis.
    label : str, optional
        Column holding each recommendation's row label (default ``rec_id``).
    title : str
    reference_date : date, optional
        Drawn as a dashed line (default: the latest ``end``).

    Returns
    -------
    matplotlib.figure.Figure
        At most 17 cm wide (an A4 page), a row per recommendation; dates on the axis as
        ``YYYY-MM``; a dot marks every status change.

    Examples
    --------
    >>> tl = status_timeline(_example(), lang="en")                  # doctest: +SKIP
    >>> fig = plot_timeline(tl, lang="en", label="label")            # doctest: +SKIP
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import CM, FONT_SIZE, PALETTE, report_style

    label = label or "rec_id"
    recs = list(dict.fromkeys(timeline["rec_id"]))
    first = dict(zip(timeline["rec_id"][::-1], timeline[label][::-1], strict=False))
    labels = [str(first[r]) for r in recs]
    pos = {r: k for k, r in enumerate(recs)}
    start = pd.to_datetime(timeline["start"])
    end = pd.to_datetime(timeline["end"])
    ref = (
        pd.Timestamp(reference_date)
        if reference_date is not None
        else (end.max() if len(end) else None)
    )
    height = min(max(len(recs), 1) * 0.42 + 3.2, 24.0)
    with report_style():
        fig, ax = plt.subplots(figsize=(16 * CM, height * CM), layout="constrained")
        x0 = mdates.date2num(start.to_numpy())
        x1 = mdates.date2num(end.to_numpy())
        ys = timeline["rec_id"].map(pos).to_numpy()
        colours = [STATUS_COLOURS.get(s, PALETTE["muted"]) for s in timeline["status"]]
        ax.barh(ys, x1 - x0, left=x0, height=0.62, color=colours, edgecolor="white", linewidth=0.4)
        changes = timeline["status"].to_numpy() != "issued"
        ax.plot(x0[changes], ys[changes], "o", color="#222222", ms=2.4)
        if ref is not None:
            ax.axvline(mdates.date2num(ref), color="#222222", lw=0.9, ls="--")
        ax.set_yticks(np.arange(len(recs)), labels)
        ax.set_ylim(len(recs) - 0.5, -0.5)
        if len(x0):
            right = max(x1.max(), mdates.date2num(ref) if ref is not None else x1.max())
            ax.set_xlim(x0.min() - 5, right + 8)
            span_months = (end.max() - start.min()).days / 30.4
            step = 1 if span_months <= 12 else 2 if span_months <= 24 else 3
            ax.xaxis.set_major_locator(mdates.MonthLocator(interval=step))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.tick_params(axis="x", labelrotation=45, labelsize=FONT_SIZE - 1.5)
        ax.set_xlabel(t("recommendations.timeline_axis", lang))
        ax.set_title(textwrap.fill(title, 75))
        present = [s for s in STATUSES if s in set(timeline["status"])]
        handles = [Patch(color=STATUS_COLOURS[s], label=t(f"statuses.{s}", lang)) for s in present]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3) or 1,
            frameon=False,
        )
    return fig


# --------------------------------------------------------------------------- example
def _example(institution: str = "mup") -> SimpleNamespace:
    """A two-recommendation register for the examples of this module."""
    recs = pd.DataFrame(
        {
            "rec_id": ["R1", "R2"],
            "area": ["social_assistance", "labour"],
            "institution_id": ["mopr", institution],
            "indicator_ids": ["social_assistance_p_interpreting", "labour_p_mup_services"],
            "text_pl": ["Zapewnić tłumaczenie.", "Opublikować informacje."],
            "text_en": ["Provide interpreting.", "Publish the information."],
            "date_issued": pd.to_datetime(["2023-03-01", "2023-06-01"]),
        }
    )
    status = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R1", "R2", "R2"],
            "date": pd.to_datetime(
                ["2023-03-01", "2023-04-01", "2023-08-31", "2023-06-01", "2023-07-31"]
            ),
            "status": ["issued", "in_progress", "implemented", "issued", "in_progress"],
        }
    )
    opinions = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R1", "R1"],
            "member": ["CG01", "CG02", "CG03", "CG01"],
            "date": pd.to_datetime(["2023-02-01", "2023-02-01", "2023-02-01", "2023-09-30"]),
            "opinion": ["amend", "amend", "support", "support"],
            "comment_pl": ["Dodać angielski.", "Dodać angielski.", "Bardzo potrzebne.", None],
            "comment_en": ["Add English.", "Add English.", None, None],
        }
    )
    institutions = pd.DataFrame(
        {"institution_id": ["mopr", "mup"], "name_pl": ["MOPR", "MUP"], "name_en": ["MOPR", "MUP"]}
    )
    return SimpleNamespace(
        recommendations=recs,
        status=status,
        opinions=opinions,
        institutions=institutions,
        meta={"framework": "lublin-14"},
        data_dir=None,
    )
