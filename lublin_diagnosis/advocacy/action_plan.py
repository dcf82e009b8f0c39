"""The action plan of the recommendations, the institutions' replies and implementation
over time.

The action plan is five optional columns of ``recommendations.csv``
(``docs/data-contracts.md``): ``responsible_level`` (``city``, ``state`` administration or
``other``), ``responsible_unit``, ``deadline``, ``cost_estimate`` (a band: ``none``,
``low`` < 50,000 PLN a year, ``medium`` 50,000–250,000 PLN, ``high`` > 250,000 PLN) and
``legal_basis``. The replies are the optional ``replies.csv``.

Everything is read **as of the reference date** of the register
(:func:`~lublin_diagnosis.advocacy.register_tables.resolve_reference_date`):

* a recommendation is **overdue** when its deadline is before the reference date and its
  status on that date is neither ``implemented`` nor ``rejected`` (a partial
  implementation past its deadline is overdue: the deadline was for all of it);
* a reply dated after the reference date is not shown;
* :func:`implementation_over_time` counts the recommendations in each status on every
  date a status changed, from the first issue to the reference date.

>>> ds = example_action_plan()
>>> plan = action_plan(ds, lang="en", reference_date="2023-09-30")
>>> plan[["rec_id", "status", "overdue"]].to_dict("records")
[{'rec_id': 'R1', 'status': 'implemented', 'overdue': False}, {'rec_id': 'R2', 'status': 'in_progress', 'overdue': True}]
>>> plan["days_overdue"].tolist()
[<NA>, 29]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register
from lublin_diagnosis.advocacy.register_tables import institution_names, resolve_reference_date
from lublin_diagnosis.advocacy.status import recommendation_status, status_timeline
from lublin_diagnosis.advocacy.timeline_chart import STATUS_COLOURS
from lublin_diagnosis.data.contracts import COMMITMENTS, RESPONSIBLE_LEVELS
from lublin_diagnosis.data.register import STATUSES

__all__ = [
    "ACTION_PLAN_COLUMNS",
    "action_plan",
    "example_action_plan",
    "implementation_by_month",
    "implementation_over_time",
    "overdue_count",
    "plot_implementation",
    "recommendation_replies",
]

#: The action-plan columns of ``recommendations.csv``.
ACTION_PLAN_COLUMNS = (
    "responsible_level",
    "responsible_unit",
    "deadline",
    "cost_estimate",
    "legal_basis",
)
#: Statuses that are never overdue.
_DONE = ("implemented", "rejected")


def example_action_plan() -> Any:
    """:func:`~lublin_diagnosis.advocacy.examples.example_register` with an action plan
    (both deadlines 2023-09-01) and one reply, for examples and tests.

    Examples
    --------
    >>> example_action_plan().replies["commitment"].tolist()
    ['implement']
    """
    ds = example_register()
    recs = ds.recommendations.copy()
    recs["responsible_level"] = ["city", "city"]
    recs["responsible_unit"] = ["Dyrekcja MOPR", "Dyrekcja MUP"]
    recs["deadline"] = pd.to_datetime(["2023-09-01", "2023-09-01"])
    recs["cost_estimate"] = ["low", "none"]
    recs["legal_basis"] = ["ustawa o pomocy społecznej", "ustawa o rynku pracy"]
    ds.recommendations = recs
    ds.replies = pd.DataFrame(
        {
            "rec_id": ["R1"],
            "date": pd.to_datetime(["2023-04-15"]),
            "summary_pl": ["Wdrożymy do września."],
            "summary_en": ["We will implement it by September."],
            "commitment": ["implement"],
            "document_ref": ["MOPR/1/2023"],
        }
    )
    return ds


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _blank(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value))) or value == ""


def action_plan(
    dataset: Any,
    *,
    lang: str | None = None,
    reference_date: Any = None,
    institution: str | None = None,
    framework: Any = None,
) -> pd.DataFrame:
    """Each recommendation with its action plan, status and whether it is overdue.

    Parameters
    ----------
    dataset : Dataset
    lang : {"pl", "en"}, optional
        Add the labels: ``institution_name``, ``responsible`` (institution, unit and level
        in one cell), ``unit_level`` (unit and level), ``cost_name``, ``status_name``, ``overdue_name`` (empty, or "overdue
        by N days"), ``text``.
    reference_date : str or date, optional
        Default: the latest date of the register.
    institution : str, optional
        Only the recommendations addressed to this institution.
    framework : Framework or str, optional

    Returns
    -------
    DataFrame
        One row per recommendation issued by the reference date, in register order:
        ``rec_id, area, institution, responsible_level, responsible_unit, deadline,
        cost_estimate, legal_basis, status, overdue, days_overdue`` (``days_overdue``:
        ``Int64``, missing when not overdue) and the labels. Columns the register lacks
        are empty (``deadline`` missing: never overdue).

    Examples
    --------
    >>> plan = action_plan(example_action_plan(), lang="pl", reference_date="2023-09-30")
    >>> plan.loc[1, ["responsible", "cost_name", "overdue_name"]].tolist()
    ['MUP – Dyrekcja MUP (miasto)', 'brak', 'po terminie: 29\\xa0dni']
    """
    ref = resolve_reference_date(dataset, reference_date)
    status = recommendation_status(
        dataset, reference_date=ref, lang=lang, framework=framework, institution=institution
    )
    recs = dataset.recommendations.drop_duplicates("rec_id").set_index("rec_id")
    out = status[["rec_id", "area", "institution", "status"]].copy()
    for col in ACTION_PLAN_COLUMNS:
        values = _column(recs, col).reindex(out["rec_id"]).to_numpy()
        out.insert(out.columns.get_loc("status"), col, values)
    out["deadline"] = pd.to_datetime(out["deadline"], errors="coerce")
    late = (out["deadline"] < ref) & ~out["status"].isin(_DONE)
    out["overdue"] = late.fillna(False).astype(bool)
    days = (ref - out["deadline"]).dt.days
    out["days_overdue"] = pd.array(days.where(out["overdue"]), dtype="Int64")
    if lang is None:
        return out
    from lublin_diagnosis.report.i18n import t

    names = institution_names(dataset, lang)
    out.insert(3, "institution_name", [names.get(i, i) for i in out["institution"]])
    out.insert(1, "area_name", status["area_name"].to_numpy())
    out["text"] = status["text"].to_numpy()
    out["responsible"] = [
        _responsible(name, unit, level, lang)
        for name, unit, level in zip(
            out["institution_name"], out["responsible_unit"], out["responsible_level"], strict=True
        )
    ]
    out["unit_level"] = [
        _responsible("", unit, level, lang).lstrip(" –")
        for unit, level in zip(out["responsible_unit"], out["responsible_level"], strict=True)
    ]
    out["cost_name"] = [
        None if _blank(c) else t(f"action.costs.{c}", lang) for c in out["cost_estimate"]
    ]
    out["status_name"] = status["status_name"].to_numpy()
    out["overdue_name"] = [
        t("action.overdue_days", lang, n=int(d)) if late_ else ""
        for late_, d in zip(out["overdue"], out["days_overdue"].fillna(0), strict=True)
    ]
    return out


def _responsible(name: str, unit: Any, level: Any, lang: str) -> str:
    from lublin_diagnosis.report.i18n import t

    text = str(name)
    if not _blank(unit):
        text += f" – {unit}" if text else str(unit)
    if not _blank(level) and level in RESPONSIBLE_LEVELS:
        text += f" ({t(f'action.levels.{level}', lang)})"
    return text


def overdue_count(plan: pd.DataFrame) -> int:
    """How many recommendations of an :func:`action_plan` are overdue.

    >>> overdue_count(action_plan(example_action_plan(), reference_date="2023-09-30"))
    1
    """
    return int(plan["overdue"].sum())


def recommendation_replies(
    dataset: Any,
    *,
    lang: str,
    reference_date: Any = None,
    institution: str | None = None,
) -> pd.DataFrame:
    """The institutions' replies received by the reference date, by recommendation.

    Parameters
    ----------
    dataset : Dataset
        ``replies`` may be None (no register): the table is then empty.
    lang : {"pl", "en"}
    reference_date : str or date, optional
    institution : str, optional

    Returns
    -------
    DataFrame
        ``rec_id, institution, institution_name, date, commitment, commitment_name,
        reply_summary, document_ref``, by recommendation and date. ``reply_summary`` is in ``lang``;
        a summary written only in the other language is marked ``[pl]`` or ``[en]``.

    Examples
    --------
    >>> replies = recommendation_replies(example_action_plan(), lang="en")
    >>> replies[["rec_id", "commitment_name", "reply_summary"]].to_dict("records")
    [{'rec_id': 'R1', 'commitment_name': 'commits to implement', 'reply_summary': 'We will implement it by September.'}]
    """
    from lublin_diagnosis.report.i18n import check_lang, t

    check_lang(lang)
    ref = resolve_reference_date(dataset, reference_date)
    columns = [
        "rec_id",
        "institution",
        "institution_name",
        "date",
        "commitment",
        "commitment_name",
        "reply_summary",
        "document_ref",
    ]
    replies = getattr(dataset, "replies", None)
    if replies is None or not len(replies):
        return pd.DataFrame(columns=columns)
    recs = dataset.recommendations.drop_duplicates("rec_id").set_index("rec_id")
    order = {r: k for k, r in enumerate(recs.index)}
    out = pd.DataFrame(
        {
            "rec_id": replies["rec_id"].astype(str).to_numpy(),
            "date": pd.to_datetime(replies["date"]).to_numpy(),
            "commitment": replies["commitment"].astype(str).to_numpy(),
            "reply_summary": _summaries(replies, lang),
            "document_ref": _column(replies, "document_ref").to_numpy(),
        }
    )
    out = out[(out["date"] <= ref) & out["rec_id"].isin(order)]
    out.insert(1, "institution", recs["institution_id"].reindex(out["rec_id"]).to_numpy())
    if institution is not None:
        out = out[out["institution"] == str(institution)]
    names = institution_names(dataset, lang)
    out.insert(2, "institution_name", [names.get(i, i) for i in out["institution"]])
    out.insert(
        5,
        "commitment_name",
        [t(f"action.commitments.{c}", lang) if c in COMMITMENTS else c for c in out["commitment"]],
    )
    out["_order"] = out["rec_id"].map(order)
    out = out.sort_values(["_order", "date"], kind="stable").drop(columns="_order")
    return out[columns].reset_index(drop=True)


def _summaries(replies: pd.DataFrame, lang: str) -> list[str]:
    other = "en" if lang == "pl" else "pl"
    own, alt = _column(replies, f"summary_{lang}"), _column(replies, f"summary_{other}")
    return [
        str(a) if not _blank(a) else ("" if _blank(b) else f"[{other}] {b}")
        for a, b in zip(own, alt, strict=True)
    ]


def implementation_over_time(
    dataset: Any, *, reference_date: Any = None, institution: str | None = None
) -> pd.DataFrame:
    """How many recommendations were in each status, on every date the register changed.

    Returns
    -------
    DataFrame
        One row per date (each issue or status change, and the reference date), one
        ``int64`` column per status of :data:`~lublin_diagnosis.data.register.STATUSES`
        and ``total`` (recommendations issued by then); the index is the date.

    Examples
    --------
    >>> counts = implementation_over_time(example_register())
    >>> counts[["issued", "in_progress", "implemented", "total"]].astype(int).values.tolist()
    [[1, 0, 0, 1], [0, 1, 0, 1], [1, 1, 0, 2], [0, 2, 0, 2], [0, 1, 1, 2], [0, 1, 1, 2]]
    """
    ref = resolve_reference_date(dataset, reference_date)
    tl = status_timeline(dataset, reference_date=ref, institution=institution)
    dates = sorted(set(pd.to_datetime(tl["start"])) | {ref})
    rows = []
    for day in dates:
        # a status holds from its start to (not including) the next change; the
        # current one holds on the reference date too
        held = tl[(tl["start"] <= day) & ((tl["end"] > day) | (tl["current"] & (tl["end"] >= day)))]
        counts = held["status"].value_counts()
        rows.append([int(counts.get(s, 0)) for s in STATUSES])
    out = pd.DataFrame(rows, columns=list(STATUSES), index=pd.DatetimeIndex(dates, name="date"))
    out["total"] = out.sum(axis=1).astype("int64")
    return out


def implementation_by_month(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`implementation_over_time` at the end of each month (the last day the
    register changed in it; the reference date for the last month): the chart's numbers
    as a table short enough for a page.

    Returns
    -------
    DataFrame
        ``month`` (``YYYY-MM``), one column per status and ``total``.

    Examples
    --------
    >>> by_month = implementation_by_month(implementation_over_time(example_register()))
    >>> by_month[["month", "in_progress", "implemented"]].values.tolist()
    [['2023-03', 0, 0], ['2023-04', 1, 0], ['2023-06', 1, 0], ['2023-07', 2, 0], ['2023-08', 1, 1], ['2023-09', 1, 1]]
    """
    months = pd.to_datetime(counts.index).to_period("M").astype(str)
    out = counts.groupby(months, sort=True).last()
    out.index.name = "month"
    return out.reset_index()


def plot_implementation(counts: pd.DataFrame, *, lang: str, title: str = ""):
    """Stacked steps of the recommendations in each status over time.

    Parameters
    ----------
    counts : DataFrame
        From :func:`implementation_over_time`.
    lang : {"pl", "en"}
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        16 cm wide; the statuses stacked from implemented (bottom) to issued, in the
        colours of the timeline chart; dates as ``YYYY-MM``.

    Examples
    --------
    >>> fig = plot_implementation(implementation_over_time(example_register()), lang="en")
    >>> len(fig.axes[0].collections)
    6
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import CM, FONT_SIZE, report_style

    order = [
        "implemented",
        "partially_implemented",
        "in_progress",
        "acknowledged",
        "issued",
        "rejected",
    ]
    x = mdates.date2num(pd.to_datetime(counts.index).to_numpy())
    with report_style():
        fig, ax = plt.subplots(figsize=(16 * CM, 9 * CM), layout="constrained")
        base = np.zeros(len(counts))
        for status in order:
            values = counts[status].to_numpy(dtype=float)
            ax.fill_between(
                x,
                base,
                base + values,
                step="post",
                color=STATUS_COLOURS[status],
                linewidth=0,
                label=t(f"statuses.{status}", lang),
            )
            base = base + values
        ax.xaxis.set_major_locator(mdates.MonthLocator(interval=1 if len(x) < 2 else 2))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.tick_params(axis="x", labelrotation=45, labelsize=FONT_SIZE - 1.5)
        ax.set_ylabel(t("action.chart_axis", lang))
        ax.set_ylim(0, max(float(base.max()) if len(base) else 1.0, 1.0) * 1.05)
        if len(x):
            ax.set_xlim(x.min(), x.max())
        if title:
            ax.set_title(title)  # wrapped to the room the plot leaves it: plots.fit_titles
        handles = [Patch(color=STATUS_COLOURS[s], label=t(f"statuses.{s}", lang)) for s in order]
        fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False)
    return fig
