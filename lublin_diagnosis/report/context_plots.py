"""Charts of the context chapter, the peer-city page and the trends over rounds.

They follow :mod:`lublin_diagnosis.report.plots` (its palette, fonts and A4 width) and
mark what a reader must not overlook: a **synthetic** public figure is a hollow marker on
a dashed line (a real one is filled and solid), a **retrospective** round is a hollow
marker on a dotted segment with its label, a survey estimate carries its confidence
interval, and the city is drawn apart from its peers.

>>> import pandas as pd
>>> trend = pd.DataFrame({"label": ["Health"] * 3, "round": [2011, 2022, 2023],
...                       "score": [20.0, 40.0, 55.0],
...                       "retrospective": [True, False, False]})
>>> fig = plot_round_trends(trend, lang="en", retro_label="2010–11 (retrospective)")
>>> len(fig.axes) >= 1
True
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lublin_diagnosis.report.i18n import t
from lublin_diagnosis.report.plots import CM, MAX_WIDTH_CM, PALETTE, report_style

__all__ = [
    "plot_bars",
    "plot_outcome_rounds",
    "plot_peer_scores",
    "plot_round_trends",
    "plot_series",
]

_WIDTH = min(16.0, MAX_WIDTH_CM)


def _wrap(text: str, width: int = 34) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def plot_series(
    frame: pd.DataFrame,
    *,
    lang: str,
    series: str = "label",
    x: str = "date",
    y: str = "value",
    status: str = "status",
    title: str = "",
    ylabel: str = "",
) -> Figure:
    """Time series of public figures, one line per ``series``; synthetic points hollow
    on a dashed line, real ones filled on a solid line (a legend says which is which).

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["a", "a"], "date": pd.to_datetime(["2020-01-01",
    ...                    "2021-01-01"]), "value": [1.0, 2.0], "status": ["real", "synthetic"]})
    >>> fig = plot_series(df, lang="en")
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    colours = [PALETTE["main"], PALETTE["contrast"], PALETTE["reference"], PALETTE["A"]]
    with report_style():
        fig, ax = plt.subplots(figsize=(_WIDTH * CM, 8.5 * CM), layout="constrained")
        for k, (name, rows) in enumerate(frame.groupby(series, sort=False)):
            rows = rows.sort_values(x)
            colour = colours[k % len(colours)]
            for kind, style, face in (("real", "-", colour), ("synthetic", "--", "white")):
                part = rows[rows[status] == kind]
                if part.empty:
                    continue
                ax.plot(
                    part[x],
                    part[y],
                    style,
                    marker="o",
                    color=colour,
                    markerfacecolor=face,
                    ms=5,
                    lw=1.6,
                    label=f"{name}" if kind == "real" or (rows[status] != "real").all() else None,
                )
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(
            plt.FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", "\u00a0"))
        )
        handles, labels = ax.get_legend_handles_labels()
        handles += _status_handles(lang, frame[status])
        labels += [h.get_label() for h in handles[len(labels) :]]
        fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    return fig


def _status_handles(lang: str, statuses: pd.Series) -> list[Line2D]:
    out = []
    if (statuses == "real").any():
        out.append(
            Line2D([], [], color="#444", marker="o", ls="-", label=t("context.legend_real", lang))
        )
    if (statuses == "synthetic").any():
        out.append(
            Line2D(
                [],
                [],
                color="#444",
                marker="o",
                markerfacecolor="white",
                ls="--",
                label=t("context.legend_synthetic", lang),
            )
        )
    return out


def plot_bars(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    value: str = "value",
    status: str = "status",
    highlight: str | None = None,
    title: str = "",
    xlabel: str = "",
    highlight_label: str = "",
    others_label: str = "",
    peers: Sequence[str] = (),
    key: str | None = None,
) -> Figure:
    """Horizontal bars; synthetic figures hatched. With ``key``, the row whose ``key``
    equals ``highlight`` is the city (dark), rows in ``peers`` are the study-visit cities
    (coloured), others grey.

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["Lublin", "Gdańsk"], "value": [48.0, 57.0],
    ...                    "status": ["synthetic", "real"], "city": ["lublin", "gdansk"]})
    >>> fig = plot_bars(df, lang="en", key="city", highlight="lublin", peers=["gdansk"])
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    labels = [_wrap(v) for v in frame[label].astype(str)]
    with report_style():
        height = max(len(frame), 1) * 0.62 + 3.6
        fig, ax = plt.subplots(figsize=(_WIDTH * CM, height * CM), layout="constrained")
        y = np.arange(len(frame))
        values = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float)
        for yi, v, rec in zip(y, values, frame.to_dict("records"), strict=False):
            if np.isnan(v):
                continue
            colour = PALETTE["main"]
            if key is not None:
                if rec[key] == highlight:
                    colour = "#1b1b1b"
                elif rec[key] in peers:
                    colour = PALETTE["contrast"]
                else:
                    colour = PALETTE["muted"]
            synthetic = rec.get(status) == "synthetic"
            ax.barh(
                yi,
                v,
                color="white" if synthetic else colour,
                edgecolor=colour,
                hatch="///" if synthetic else None,
                lw=1.2,
                height=0.62,
            )
            ax.text(v, yi, f" {v:,.0f}".replace(",", "\u00a0"), va="center", fontsize=7)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        ax.set_xlim(0, np.nanmax(values) * 1.15 if np.isfinite(np.nanmax(values)) else 1)
        handles = []
        if key is not None and highlight_label:
            handles.append(Line2D([], [], color="#1b1b1b", lw=6, label=highlight_label))
        if key is not None and others_label:
            handles.append(Line2D([], [], color=PALETTE["contrast"], lw=6, label=others_label))
        if (frame[status] == "synthetic").any():
            from matplotlib.patches import Patch

            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor="#444",
                    hatch="///",
                    label=t("context.legend_synthetic", lang),
                )
            )
        if handles:
            fig.legend(
                handles=handles, loc="outside lower center", ncols=len(handles), frameon=False
            )
    return fig


def plot_peer_scores(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    city: str = "city",
    score: str = "score",
    own: str = "lublin",
    names: Mapping[str, str] | None = None,
    title: str = "",
    synthetic_note: str = "",
) -> Figure:
    """One row per area: the peer cities' scores as small coloured dots, the city's as a
    large black diamond (the ICC Index's way of placing a city within its network).

    Examples
    --------
    >>> df = pd.DataFrame({"label": ["Health", "Health"], "city": ["lublin", "gdansk"],
    ...                    "score": [40.0, 60.0]})
    >>> fig = plot_peer_scores(df, lang="en")
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    names = dict(names or {})
    areas = list(dict.fromkeys(frame[label].astype(str)))
    pos = {a: i for i, a in enumerate(areas)}
    markers = {0: "o", 1: "s", 2: "^", 3: "v"}
    colours = [PALETTE["contrast"], PALETTE["reference"], PALETTE["A"], PALETTE["alert"]]
    with report_style():
        height = len(areas) * 0.55 + 4.0
        fig, ax = plt.subplots(figsize=(_WIDTH * CM, height * CM), layout="constrained")
        peers = [c for c in dict.fromkeys(frame[city]) if c != own]
        for k, c in enumerate(peers):
            rows = frame[frame[city] == c]
            ax.plot(
                rows[score],
                [pos[a] for a in rows[label].astype(str)],
                markers[k % 4],
                color=colours[k % 4],
                ms=6,
                alpha=0.9,
                label=names.get(c, c),
                ls="none",
            )
        rows = frame[frame[city] == own]
        ax.plot(
            rows[score],
            [pos[a] for a in rows[label].astype(str)],
            "D",
            color="#1b1b1b",
            ms=8,
            label=names.get(own, own),
            ls="none",
            zorder=5,
        )
        ax.set_yticks(range(len(areas)), [_wrap(a) for a in areas])
        ax.set_ylim(len(areas) - 0.5, -0.5)
        ax.set_xlim(-2, 102)
        ax.set_xlabel(t("plots.score_axis", lang))
        ax.set_title(title)
        fig.legend(
            loc="outside lower center",
            ncols=len(peers) + 1,
            frameon=False,
            title=synthetic_note or None,
        )
    return fig


def plot_round_trends(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    round: str = "round",
    score: str = "score",
    retrospective: str = "retrospective",
    retro_label: str = "",
    title: str = "",
    ncols: int = 4,
) -> Figure:
    """Small multiples, one panel per ``label``: the score over the rounds; a
    retrospective round is a hollow marker joined by a dotted segment and named in the
    legend.
    """
    panels = list(dict.fromkeys(frame[label].astype(str)))
    rounds = sorted({int(r) for r in frame[round]})
    nrows = int(np.ceil(len(panels) / ncols)) or 1
    with report_style():
        fig, axes = plt.subplots(
            nrows,
            ncols,
            figsize=(_WIDTH * CM, (nrows * 3.4 + 2.2) * CM),
            layout="constrained",
            sharex=True,
            sharey=True,
            squeeze=False,
        )
        for ax, name in zip(axes.flat, panels, strict=False):
            rows = frame[frame[label].astype(str) == name].sort_values(round)
            xs = rows[round].astype(int).to_numpy()
            ys = rows[score].astype(float).to_numpy()
            retro = rows[retrospective].astype(bool).to_numpy()
            for i in range(len(xs) - 1):
                ax.plot(
                    xs[i : i + 2],
                    ys[i : i + 2],
                    ":" if retro[i] or retro[i + 1] else "-",
                    color=PALETTE["main"],
                    lw=1.5,
                )
            ax.plot(xs[~retro], ys[~retro], "o", color=PALETTE["main"], ms=4.5)
            ax.plot(xs[retro], ys[retro], "o", color=PALETTE["main"], markerfacecolor="white", ms=5)
            ax.set_title(_wrap(name, 22), fontsize=7.5)
            ax.set_ylim(-5, 105)
            ax.set_xticks(rounds, [str(r) for r in rounds], fontsize=6.5, rotation=90)
        for ax in list(axes.flat)[len(panels) :]:
            ax.set_visible(False)
        handles = [
            Line2D(
                [],
                [],
                color=PALETTE["main"],
                marker="o",
                ls="-",
                label=t("trends.legend_round", lang),
            ),
        ]
        if frame[retrospective].astype(bool).any():
            handles.append(
                Line2D(
                    [],
                    [],
                    color=PALETTE["main"],
                    marker="o",
                    markerfacecolor="white",
                    ls=":",
                    label=retro_label or t("trends.legend_retrospective", lang),
                )
            )
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        if title:
            fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    return fig


def plot_outcome_rounds(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    round: str = "round",
    value: str = "value",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    title: str = "",
    xlabel: str = "",
) -> Figure:
    """Survey estimates of several rounds per indicator: one dot per round with its
    confidence interval, rounds told apart by colour and offset; suppressed estimates
    are left out (the table says so).
    """
    labels = list(dict.fromkeys(frame[label].astype(str)))
    rounds = sorted({int(r) for r in frame[round]})
    colours = [PALETTE["muted"], PALETTE["main"], PALETTE["contrast"], PALETTE["reference"]]
    with report_style():
        height = len(labels) * 0.62 + 3.6
        fig, ax = plt.subplots(figsize=(_WIDTH * CM, height * CM), layout="constrained")
        step = 0.32 / max(len(rounds) - 1, 1)
        for k, r in enumerate(rounds):
            rows = frame[frame[round].astype(int) == r]
            y = np.array([labels.index(str(v)) for v in rows[label]]) - 0.16 + k * step
            v = rows[value].astype(float).to_numpy() * 100
            lo = rows[ci_low].astype(float).to_numpy() * 100
            hi = rows[ci_high].astype(float).to_numpy() * 100
            ok = ~np.isnan(v)
            ax.errorbar(
                v[ok],
                y[ok],
                xerr=[v[ok] - lo[ok], hi[ok] - v[ok]],
                fmt="o",
                color=colours[k % len(colours)],
                ms=4.5,
                capsize=2,
                lw=1.2,
                label=str(r),
            )
        ax.set_yticks(range(len(labels)), [_wrap(x, 40) for x in labels])
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlim(0, 100)
        ax.set_xlabel(xlabel or t("trends.percent_axis", lang))
        ax.set_title(title)
        fig.legend(
            loc="outside lower center",
            ncols=len(rounds),
            frameon=False,
            title=t("trends.ci_note", lang),
        )
    return fig
