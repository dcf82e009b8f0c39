"""The project's activity record against its targets, for the activity page and the
grant report.

The record is the optional ``events.csv`` (``docs/data-contracts.md``): one row per
event (seminar, study visit, consultation-group meeting, campaign action, report sent to
an institution, ...), participants as **counts by category**, never names. With the
legal-advice log and the monitoring it gives the outputs the project promised:

========================= ===================================================================
output                    counted as
========================= ===================================================================
``seminars``              events of type ``seminar``
``study_visits``          events of type ``study_visit``
``consultation_meetings`` events of type ``consultation_group`` (no target)
``campaigns``             distinct ``campaign`` values of the ``campaign_action`` events (an
                          action without a campaign counts as a campaign of its own)
``campaign_actions``      events of type ``campaign_action`` (no target)
``legal_clients``         cases of the legal-advice log (the log has one row per client's
                          case and no client id; a returning client with a new problem
                          counts twice)
``areas_monitored``       framework areas with a monitoring answer in the latest round
``institutions_reported`` distinct institutions named by ``report_sent`` events
========================= ===================================================================

The targets are the project's (:data:`~lublin_diagnosis.data.contracts.DEFAULT_TARGETS`:
4 seminars, 3 study visits, 60 clients, 2 campaigns, 14 areas, every institution);
``targets:`` in ``dataset.yml`` overrides any of them. Events and cases dated after the
reference date (when one is given) are not counted.

>>> from types import SimpleNamespace
>>> events = pd.DataFrame({"type": ["seminar", "seminar", "campaign_action"],
...     "date": pd.to_datetime(["2023-03-01", "2023-06-01", "2023-05-01"]),
...     "campaign": ["", "", "C1"], "institution_id": ["", "", ""],
...     **{c: [5, 6, 7] for c in PARTICIPANT_COLUMNS}})
>>> ds = SimpleNamespace(events=events, legal_cases=None, monitoring=None,
...                      institutions=None, meta={})
>>> summary = activity_summary(ds)
>>> summary.set_index("output").loc["seminars", ["target_count", "achieved_count"]].tolist()
[4, 2]
>>> int(summary.set_index("output").loc["campaigns", "achieved_count"])
1
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.data.contracts import DEFAULT_TARGETS, EVENT_TYPES, PARTICIPANT_COLUMNS
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "DEFAULT_TARGETS",
    "OUTPUTS",
    "PARTICIPANT_COLUMNS",
    "activity_summary",
    "activity_targets",
    "events_by_type",
    "plot_targets",
]

#: The outputs of :func:`activity_summary`, in the order of the page; each with the
#: target it is measured against (None: reported without a target).
OUTPUTS: Mapping[str, str | None] = {
    "seminars": "seminars",
    "study_visits": "study_visits",
    "consultation_meetings": None,
    "campaigns": "campaigns",
    "campaign_actions": None,
    "legal_clients": "legal_clients",
    "areas_monitored": "areas_monitored",
    "institutions_reported": "institutions_reported",
}


def activity_targets(dataset: Any) -> dict[str, int]:
    """The targets of a dataset: ``targets:`` of ``dataset.yml`` over the project's,
    ``"all"`` institutions resolved to the number of institutions.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> insts = pd.DataFrame({"institution_id": ["mup", "mopr"]})
    >>> ds = SimpleNamespace(meta={"targets": {"seminars": 5}}, institutions=insts)
    >>> activity_targets(ds)
    {'seminars': 5, 'study_visits': 3, 'legal_clients': 60, 'campaigns': 2, 'areas_monitored': 14, 'institutions_reported': 2}
    """
    meta = getattr(dataset, "meta", None) or {}
    targets = {**DEFAULT_TARGETS, **dict(meta.get("targets") or {})}
    if targets["institutions_reported"] == "all":
        insts = getattr(dataset, "institutions", None)
        targets["institutions_reported"] = 0 if insts is None else len(insts)
    return {k: int(v) for k, v in targets.items()}


def _events(dataset: Any, as_of: pd.Timestamp | None) -> pd.DataFrame:
    events = getattr(dataset, "events", None)
    if events is None:
        columns = ["type", "date", "campaign", "institution_id", *PARTICIPANT_COLUMNS]
        return pd.DataFrame(columns=columns)
    events = events.copy()
    events["date"] = pd.to_datetime(events["date"])
    if as_of is not None:
        events = events[events["date"] <= as_of]
    return events


def _as_of(reference_date: Any) -> pd.Timestamp | None:
    if reference_date is None or (isinstance(reference_date, str) and not reference_date):
        return None
    return pd.Timestamp(reference_date).normalize()


def _blank(value: Any) -> bool:
    return value is None or value == "" or (not isinstance(value, str) and bool(pd.isna(value)))


def activity_summary(
    dataset: Any,
    *,
    lang: str | None = None,
    reference_date: Any = None,
    framework: Any = None,
) -> pd.DataFrame:
    """Each output of :data:`OUTPUTS` against its target.

    Parameters
    ----------
    dataset : Dataset
        ``events``, ``legal_cases`` and ``monitoring`` may each be None: their outputs
        are then 0.
    lang : {"pl", "en"}, optional
        Add ``output_name`` and ``progress_name`` ("target met", "3 to go", "no target").
    reference_date : str or date, optional
        Count only what happened by then (default: everything in the files).
    framework : Framework or str, optional
        For the areas monitored (default: the dataset's).

    Returns
    -------
    DataFrame
        ``output, target_count`` (``Int64``, missing without a target),
        ``achieved_count`` (``int64``), ``share`` (achieved / target, missing without a target or with a
        target of 0), ``met`` (bool).
    """
    as_of = _as_of(reference_date)
    targets = activity_targets(dataset)
    events = _events(dataset, as_of)
    kinds = events["type"].astype(str)
    actions = events[kinds == "campaign_action"]
    names = actions["campaign"] if "campaign" in actions else pd.Series([""] * len(actions))
    campaigns = {str(c) if not _blank(c) else f"_event{k}" for k, c in enumerate(names)}
    reported = events.get("institution_id", pd.Series(dtype=object))[kinds == "report_sent"]
    achieved = {
        "seminars": int((kinds == "seminar").sum()),
        "study_visits": int((kinds == "study_visit").sum()),
        "consultation_meetings": int((kinds == "consultation_group").sum()),
        "campaigns": len(campaigns),
        "campaign_actions": len(actions),
        "legal_clients": _legal_clients(dataset, as_of),
        "areas_monitored": _areas_monitored(dataset, framework),
        "institutions_reported": len({str(i) for i in reported if not _blank(i)}),
    }
    rows = []
    for output, target_key in OUTPUTS.items():
        target = targets.get(target_key) if target_key else None
        value = achieved[output]
        share = value / target if target else np.nan
        rows.append(
            {
                "output": output,
                "target_count": target,
                "achieved_count": value,
                "share": share,
                "met": bool(target is not None and value >= target),
            }
        )
    out = pd.DataFrame(rows)
    out["target_count"] = pd.array(out["target_count"], dtype="Int64")
    out["achieved_count"] = out["achieved_count"].astype("int64")
    out["share"] = out["share"].astype(float)
    if lang is not None:
        from lublin_diagnosis.report.i18n import t

        out.insert(1, "output_name", [t(f"activities.outputs.{o}", lang) for o in out["output"]])
        out["progress_name"] = [
            _progress(target, value, lang)
            for target, value in zip(out["target_count"], out["achieved_count"], strict=True)
        ]
    return out


def _progress(target: Any, value: int, lang: str) -> str:
    from lublin_diagnosis.report.i18n import t

    if pd.isna(target):
        return t("activities.progress.no_target", lang)
    if value >= int(target):
        return t("activities.progress.met", lang)
    return t("activities.progress.to_go", lang, n=int(target) - value)


def _legal_clients(dataset: Any, as_of: pd.Timestamp | None) -> int:
    cases = getattr(dataset, "legal_cases", None)
    if cases is None:
        return 0
    if as_of is None:
        return len(cases)
    return int((pd.to_datetime(cases["date_opened"]) <= as_of).sum())


def _areas_monitored(dataset: Any, framework: Any) -> int:
    monitoring = getattr(dataset, "monitoring", None)
    if monitoring is None or not len(monitoring):
        return 0
    fw = resolve_framework(framework, dataset=dataset)
    latest = monitoring[monitoring["round"] == monitoring["round"].max()]
    known = set(fw.indicator_ids)
    return len({fw.indicator(i).area for i in latest["indicator_id"].astype(str) if i in known})


def events_by_type(dataset: Any, *, lang: str | None = None, reference_date: Any = None):
    """Events and participants by type of event (participants summed by category).

    Returns
    -------
    DataFrame
        One row per type of :data:`~lublin_diagnosis.data.contracts.EVENT_TYPES` that
        occurs, in that order: ``type, events``, the four participant counts and
        ``participants`` (their sum); with ``lang``, ``type_name`` after ``type``.
        Counts of people at events are aggregates, not a sample: they are published
        as they are.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> ev = pd.DataFrame({"type": ["seminar", "seminar"], "date": ["2023-01-01"] * 2,
    ...                    **{c: [3, 4] for c in PARTICIPANT_COLUMNS}})
    >>> events_by_type(SimpleNamespace(events=ev))[["type", "events", "participants"]]
          type  events  participants
    0  seminar       2            28
    """
    events = _events(dataset, _as_of(reference_date))
    rows = []
    for kind in EVENT_TYPES:
        part = events[events["type"].astype(str) == kind]
        if not len(part):
            continue
        counts = {c: int(pd.to_numeric(part[c]).fillna(0).sum()) for c in PARTICIPANT_COLUMNS}
        rows.append({"type": kind, "events": len(part), **counts})
    out = pd.DataFrame(rows, columns=["type", "events", *PARTICIPANT_COLUMNS])
    for col in ["events", *PARTICIPANT_COLUMNS]:
        out[col] = out[col].astype("int64")
    out["participants"] = out[list(PARTICIPANT_COLUMNS)].sum(axis=1).astype("int64")
    if lang is not None:
        from lublin_diagnosis.report.i18n import t

        out.insert(1, "type_name", [t(f"activities.types.{k}", lang) for k in out["type"]])
    return out


def plot_targets(summary: pd.DataFrame, *, lang: str, title: str = ""):
    """Horizontal bars: each output with a target, as a share of it (capped at 100 %),
    labelled ``achieved / target``.

    Parameters
    ----------
    summary : DataFrame
        From :func:`activity_summary` with ``lang``.

    Examples
    --------
    >>> s = pd.DataFrame({"output_name": ["Seminars"], "target_count": pd.array([4], "Int64"),
    ...                   "achieved_count": [2], "share": [0.5]})
    >>> fig = plot_targets(s, lang="en")
    >>> [t.get_text() for t in fig.axes[0].texts]
    ['2 / 4']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
    """
    import matplotlib.pyplot as plt

    from lublin_diagnosis.report.formatting import number, percent
    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import CM, PALETTE, report_style

    rows = summary[summary["target_count"].notna()].reset_index(drop=True)
    with report_style():
        fig, ax = plt.subplots(
            figsize=(16 * CM, (len(rows) * 0.9 + 2.2) * CM), layout="constrained"
        )
        y = np.arange(len(rows))
        shares = np.minimum(rows["share"].fillna(0).to_numpy(dtype=float), 1.0)
        colours = [PALETTE["reference"] if s >= 1 else PALETTE["main"] for s in shares]
        ax.barh(y, np.ones(len(rows)), color="#e6e6e6", height=0.6)
        ax.barh(y, shares, color=colours, height=0.6)
        ax.axvline(1.0, color="#222222", lw=0.9)
        for k, (a, g) in enumerate(zip(rows["achieved_count"], rows["target_count"], strict=True)):
            label = f"{number(int(a), lang, digits=0)} / {number(int(g), lang, digits=0)}"
            ax.text(1.02, k, label, va="center", ha="left")
        ax.set_yticks(y, [textwrap.fill(str(n), 28) for n in rows["output_name"]])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlim(0, 1.18)
        ax.set_xticks([0, 0.5, 1.0], [percent(v, lang, digits=0) for v in (0, 0.5, 1.0)])
        ax.set_xlabel(t("activities.chart_axis", lang))
        if title:
            ax.set_title(title)  # wrapped to the room the plot leaves it: plots.fit_titles
    return fig
