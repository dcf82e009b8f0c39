"""The chart of the recommendations' status histories (a timeline per recommendation)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register
from lublin_diagnosis.advocacy.status import status_timeline
from lublin_diagnosis.data.register import STATUSES

__all__ = ["STATUS_COLOURS", "example_register", "plot_timeline", "status_timeline"]

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
    >>> tl = status_timeline(example_register(), lang="en")
    >>> fig = plot_timeline(tl, lang="en", label="label")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['R1 · MOPR', 'R2 · MUP']
    >>> import matplotlib.pyplot as plt
    >>> plt.close(fig)
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
        ax.set_title(title)  # wrapped to the room the plot leaves it: plots.fit_titles
        present = [s for s in STATUSES if s in set(timeline["status"])]
        handles = [Patch(color=STATUS_COLOURS[s], label=t(f"statuses.{s}", lang)) for s in present]
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 3) or 1,
            frameon=False,
        )
    return fig
