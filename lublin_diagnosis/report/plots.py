"""The report's charts: one palette, intervals always drawn, small bases visibly marked.

Every chart is drawn with seaborn's theme and the palette :data:`PALETTE`, fits an A4 page
(width at most :data:`MAX_WIDTH_CM` = 17 cm, text at least 7 pt when printed at 100 %) and
takes its words from the locale files in the language asked for. Estimates are drawn with
their confidence intervals; an estimate on a small base (``low_reliability``) is a hollow
marker or a hatched bar, a suppressed one a grey cross at the axis, and a legend note
says so.

>>> import pandas as pd
>>> df = pd.DataFrame({"label": ["a", "b"], "estimate": [0.4, None], "ci_low": [0.3, None],
...                    "ci_high": [0.5, None], "suppressed": [False, True],
...                    "low_reliability": [True, False]})
>>> fig = plot_intervals(df, lang="en", xlabel="Share")
>>> bool(fig.get_size_inches()[0] * 2.54 <= MAX_WIDTH_CM)
True
>>> import matplotlib.pyplot as plt; plt.close(fig)
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from lublin_diagnosis.report.formatting import percent
from lublin_diagnosis.report.i18n import t

__all__ = [
    "mark_suppressed",
    "note_handles",
    "CM",
    "fit_titles",
    "FONT_SIZE",
    "freeze_layout",
    "MAX_WIDTH_CM",
    "PALETTE",
    "plot_change",
    "plot_ci_explainer",
    "plot_intervals",
    "plot_margins",
    "plot_scores",
    "plot_weights",
    "png_bytes",
    "report_style",
    "texts_outside",
]

#: zlib level of the PNG files (:func:`png_bytes`): faster than PIL's default 6 and, on
#: the report's charts, no larger.
PNG_COMPRESSION = 3
#: One centimetre in inches.
CM = 1 / 2.54
#: Widest figure, in cm (A4 minus 2 cm margins each side).
MAX_WIDTH_CM = 17.0
#: Base font size in points (ticks are one point smaller, titles one larger).
FONT_SIZE = 8.5
_WIDTH_CM = 16.0

#: The report's colours (seaborn's colour-blind palette): one role per colour.
PALETTE: Mapping[str, str] = {
    "main": sns.color_palette("colorblind").as_hex()[0],  # estimates, scores
    "contrast": sns.color_palette("colorblind").as_hex()[1],  # second round, targets
    "reference": sns.color_palette("colorblind").as_hex()[2],  # Polish population
    "alert": sns.color_palette("colorblind").as_hex()[3],  # gaps, worsening
    "muted": "#8c8c8c",  # suppressed, base weights
    "P": sns.color_palette("colorblind").as_hex()[0],
    "A": sns.color_palette("colorblind").as_hex()[4],
    "O": sns.color_palette("colorblind").as_hex()[2],
}

_RC = {
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 1,
    "axes.labelsize": FONT_SIZE,
    "xtick.labelsize": FONT_SIZE - 1,
    "ytick.labelsize": FONT_SIZE - 1,
    "legend.fontsize": FONT_SIZE - 1,
    "legend.title_fontsize": FONT_SIZE,
    "figure.titlesize": FONT_SIZE + 1.5,
    "figure.dpi": 100,
    "savefig.dpi": 200,
    # DejaVu Sans draws every chart; an SVG names the fallbacks of a machine without it
    # (Arial, Liberation Sans, ..., any sans-serif: narrower, so every text still fits)
    "font.family": ["DejaVu Sans", "sans-serif"],
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    # titles sit on the axes' top edge: no chart has tick labels or a label on top, and
    # a fixed place spares matplotlib measuring every y tick label again to place the
    # title at each layout pass and drawing (a fifth of the time of a saved figure)
    "axes.titley": 1.0,
}


@contextmanager
def report_style():
    """Context in which charts take the report's theme (seaborn ``whitegrid``, A4 fonts).

    Every plotting function of this module already uses it.
    """
    with sns.axes_style("whitegrid"), plt.rc_context(_RC):
        yield


def _figure(
    n_rows: int,
    *,
    width_cm: float = _WIDTH_CM,
    row_cm: float = 0.55,
    extra_cm: float = 3.8,
    labels: list[str] | None = None,
) -> tuple[Figure, plt.Axes]:
    """A figure of the report's width, tall enough for ``n_rows`` rows (and for labels
    wrapped on two or more lines)."""
    if labels:
        lines = max(label.count("\n") + 1 for label in labels)
        row_cm = max(row_cm, 0.36 * lines + 0.1)
    width = min(width_cm, MAX_WIDTH_CM)
    height = min(max(n_rows, 1) * row_cm + extra_cm, 24.0)
    fig, ax = plt.subplots(figsize=(width * CM, height * CM), layout="constrained")
    return fig, ax


def _wrap(text: str, width: int = 42) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(str(text), width)) or str(text)


def _flag(frame: pd.DataFrame, column: str | None) -> np.ndarray:
    if column is None or column not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    return frame[column].fillna(False).astype(bool).to_numpy()


def note_handles(lang: str, *, low: bool, suppressed: bool, bars: bool = False) -> list:
    """Legend entries for the notes every chart shares: a low-reliability marker (a hollow
    point, or a hatched bar with ``bars``) and the suppressed-value cross."""
    handles = []
    if low:
        if bars:
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=PALETTE["main"],
                    hatch="///",
                    label=t("plots.low_reliability", lang),
                )
            )
        else:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markerfacecolor="white",
                    markeredgecolor=PALETTE["main"],
                    label=t("plots.low_reliability", lang),
                )
            )
    if suppressed:
        handles.append(
            Line2D(
                [],
                [],
                marker="x",
                linestyle="none",
                color=PALETTE["muted"],
                label=t("plots.suppressed", lang),
            )
        )
    return handles


def mark_suppressed(
    ax: plt.Axes, x: float, y: Sequence[float] | np.ndarray, *, ms: float = 6
) -> None:
    """An "x" at ``x`` on every row ``y`` whose value is suppressed (its legend entry:
    :func:`note_handles`); nothing when there is none, since an empty unclipped line
    counts as a marker at the figure's corner and shrinks the plot at every layout.

    >>> fig, ax = plt.subplots()
    >>> mark_suppressed(ax, 0, []); len(ax.lines)
    0
    >>> mark_suppressed(ax, 0, [1, 3]); ax.lines[0].get_xydata().tolist()
    [[0.0, 1.0], [0.0, 3.0]]
    >>> plt.close(fig)
    """
    y = np.asarray(y)
    if len(y):
        ax.plot(np.full(len(y), x), y, "x", color=PALETTE["muted"], ms=ms, clip_on=False)


def plot_intervals(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    estimate: str = "estimate",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    reference: str | None = None,
    suppressed: str | None = "suppressed",
    low_reliability: str | None = "low_reliability",
    xlabel: str = "",
    title: str = "",
    xlim: tuple[float, float] | None = None,
    percent: bool = False,
    legend: str = "",
) -> Figure:
    """Estimates with confidence intervals, one row each, in the order of ``frame``.

    Parameters
    ----------
    frame : DataFrame
        One row per estimate with the columns named by the other arguments.
    lang : {"pl", "en"}
        Language of the legend notes.
    reference : str, optional
        Column of a reference value (Polish population), drawn as a diamond.
    suppressed, low_reliability : str, optional
        Boolean flag columns: a suppressed estimate is a grey cross at the axis, a
        low-reliability one a hollow marker; the legend explains both.
    percent : bool
        Show shares (0-1) as per cent.

    Returns
    -------
    matplotlib.figure.Figure

    legend : str
        Label of the intervals in the legend (default: an estimate with its 95% confidence
        interval; the sensitivity chart says what its intervals are)."""
    labels = [_wrap(v) for v in frame[label].astype(str)]
    with report_style():
        fig, ax = _figure(len(frame), labels=labels)
        y = np.arange(len(frame))
        est = pd.to_numeric(frame[estimate], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(frame[ci_low], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(frame[ci_high], errors="coerce").to_numpy(dtype=float)
        scale = 100.0 if percent else 1.0
        sup = _flag(frame, suppressed) | np.isnan(est)
        low = _flag(frame, low_reliability) & ~sup
        ok = ~sup
        ax.hlines(y[ok], lo[ok] * scale, hi[ok] * scale, color=PALETTE["main"], lw=1.6)
        solid = ok & ~low
        ax.plot(est[solid] * scale, y[solid], "o", color=PALETTE["main"], ms=5.5)
        ax.plot(
            est[low] * scale,
            y[low],
            "o",
            markerfacecolor="white",
            markeredgecolor=PALETTE["main"],
            markeredgewidth=1.4,
            ms=5.5,
        )
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                color=PALETTE["main"],
                label=legend or t("plots.estimate_ci", lang),
            )
        ]
        if reference is not None and reference in frame.columns:
            ref = pd.to_numeric(frame[reference], errors="coerce").to_numpy(dtype=float)
            has = ~np.isnan(ref)
            ax.plot(ref[has] * scale, y[has], "D", color=PALETTE["reference"], ms=4.5)
            if has.any():
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="D",
                        linestyle="none",
                        color=PALETTE["reference"],
                        label=t("plots.reference", lang),
                    )
                )
        if xlim is not None:
            ax.set_xlim(xlim[0] * scale, xlim[1] * scale)
        left = ax.get_xlim()[0]
        mark_suppressed(ax, left, y[sup])
        ax.set_yticks(y, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlabel(xlabel)
        ax.set_title(title)
        handles += note_handles(lang, low=bool(low.any()), suppressed=bool(sup.any()))
        # under the whole figure (not centred on axes pushed right by long row labels),
        # two entries a row: it stays inside the canvas
        fig.legend(
            handles=handles, loc="outside lower center", ncols=min(len(handles), 2), frameon=False
        )
    return fig


def plot_scores(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "name",
    score: str = "score",
    ci_low: str = "ci_low",
    ci_high: str = "ci_high",
    flagged: str | None = None,
    title: str = "",
    xlabel: str | None = None,
) -> Figure:
    """Scores 0-100 as horizontal bars with their intervals, in the order of ``frame``.

    ``flagged`` names a boolean column of bars drawn hatched (scores resting on a
    small-base or suppressed indicator); the legend explains the hatching.

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_scores(pd.DataFrame({"name": ["Health", "Housing"], "score": [40, 55],
    ...                                 "ci_low": [35, 50], "ci_high": [45, 60]}), lang="en")
    >>> len(fig.axes[0].patches)
    2
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    labels = [_wrap(v, 36) for v in frame[label].astype(str)]
    with report_style():
        fig, ax = _figure(len(frame), labels=labels)
        y = np.arange(len(frame))
        values = pd.to_numeric(frame[score], errors="coerce").to_numpy(dtype=float)
        hatch = _flag(frame, flagged)
        colours = [PALETTE["main"]] * len(frame)
        bars = ax.barh(y, np.nan_to_num(values), color=colours, height=0.62)
        for bar, h in zip(bars, hatch, strict=False):
            if h:
                bar.set_facecolor("white")
                bar.set_edgecolor(PALETTE["main"])
                bar.set_hatch("///")
        lo = pd.to_numeric(frame[ci_low], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(frame[ci_high], errors="coerce").to_numpy(dtype=float)
        err = np.vstack([values - lo, hi - values])
        ax.errorbar(
            values,
            y,
            xerr=np.nan_to_num(err),
            fmt="none",
            ecolor="#222222",
            elinewidth=1.1,
            capsize=2.5,
        )
        for yi, v in zip(y, values, strict=False):
            if not np.isnan(v):
                ax.text(
                    2,
                    yi,
                    f"{v:.0f}",
                    va="center",
                    ha="left",
                    color="white" if v > 12 else "#222222",
                    fontsize=FONT_SIZE - 1.5,
                )
        ax.set_xlim(0, 100)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlabel(t("plots.score_axis", lang) if xlabel is None else xlabel)
        ax.set_title(title)
        handles = [Patch(color=PALETTE["main"], label=t("plots.score_ci", lang))]
        handles += note_handles(lang, low=bool(hatch.any()), suppressed=False, bars=True)
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0),
            borderaxespad=3.8,  # below tick labels and axis label
            ncols=len(handles),
            frameon=False,
        )
    return fig


def plot_weights(
    base: Sequence[float], final: Sequence[float], *, lang: str, title: str = ""
) -> Figure:
    """Distribution of the design weights and of the final (raked) weights.

    Examples
    --------
    >>> fig = plot_weights([1, 1, 2], [0.8, 1.1, 2.4], lang="pl")
    >>> fig.axes[0].get_xlabel()
    'Waga (skala logarytmiczna)'
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    data = pd.concat(
        [
            pd.DataFrame({"w": np.asarray(base, dtype=float), "k": t("plots.base_weights", lang)}),
            pd.DataFrame(
                {"w": np.asarray(final, dtype=float), "k": t("plots.final_weights", lang)}
            ),
        ],
        ignore_index=True,
    )
    with report_style():
        fig, ax = _figure(6, row_cm=1.0)
        sns.histplot(
            data,
            x="w",
            hue="k",
            log_scale=True,
            bins=30,
            element="step",
            palette=[PALETTE["muted"], PALETTE["main"]],
            ax=ax,
        )
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_xlabel(t("plots.weight_axis", lang))
        ax.set_ylabel(t("plots.respondents_axis", lang))
        ax.set_title(title)
        legend = ax.get_legend()
        if legend is not None:
            legend.set_title(None)
            legend.set_frame_on(False)
    return fig


def plot_margins(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    target: str = "target",
    base: str = "base",
    achieved: str = "achieved",
    title: str = "",
) -> Figure:
    """Margins before and after weighting: the share of each category in the population
    (target), with the design weights (base) and with the final weights (achieved).

    Shares are taken within each margin variable; ``frame`` needs a ``variable`` column.
    """
    shares = frame.copy()
    for col in (target, base, achieved):
        shares[col] = shares[col] / shares.groupby("variable")[col].transform("sum")
    labels = [_wrap(v, 44) for v in shares[label].astype(str)]
    with report_style():
        fig, ax = _figure(len(shares), row_cm=0.5, labels=labels)
        y = np.arange(len(shares))
        ax.hlines(y, shares[base] * 100, shares[target] * 100, color=PALETTE["muted"], lw=1)
        ax.plot(
            shares[base] * 100,
            y,
            "o",
            color=PALETTE["muted"],
            ms=5,
            label=t("plots.margin_base", lang),
        )
        ax.plot(
            shares[target] * 100,
            y,
            "|",
            color=PALETTE["contrast"],
            ms=11,
            mew=2.2,
            label=t("plots.margin_target", lang),
        )
        ax.plot(
            shares[achieved] * 100,
            y,
            "o",
            markerfacecolor="none",
            markeredgecolor=PALETTE["main"],
            ms=7,
            mew=1.4,
            label=t("plots.margin_achieved", lang),
        )
        ax.set_yticks(y, labels)
        ax.set_ylim(len(shares) - 0.5, -0.5)
        ax.set_xlabel(t("plots.share_axis", lang))
        ax.set_title(title)
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=3.8, ncols=3, frameon=False
        )
    return fig


def plot_change(
    frame: pd.DataFrame,
    *,
    lang: str,
    label: str = "label",
    before: str = "before",
    after: str = "after",
    before_label: str = "",
    after_label: str = "",
    title: str = "",
    xlabel: str | None = None,
) -> Figure:
    """Change between two rounds as a dumbbell per row: grey dot (before), coloured dot
    (after), the line coloured by direction (improvement or worsening of the score).

    Examples
    --------
    >>> import pandas as pd
    >>> fig = plot_change(pd.DataFrame({"label": ["x"], "before": [40.0], "after": [55.0]}),
    ...                   lang="en", before_label="2022", after_label="2023")
    >>> [h.get_label() for h in fig.axes[0].get_legend().legend_handles][:2]
    ['2022', '2023']
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    labels = [_wrap(v) for v in frame[label].astype(str)]
    with report_style():
        fig, ax = _figure(len(frame), labels=labels)
        y = np.arange(len(frame))
        b = pd.to_numeric(frame[before], errors="coerce").to_numpy(dtype=float)
        a = pd.to_numeric(frame[after], errors="coerce").to_numpy(dtype=float)
        for yi, bi, ai in zip(y, b, a, strict=False):
            if np.isnan(bi) or np.isnan(ai):
                continue
            ax.plot(
                [bi, ai],
                [yi, yi],
                color=PALETTE["main"] if ai >= bi else PALETTE["alert"],
                lw=2,
                solid_capstyle="round",
            )
        ax.plot(b, y, "o", color=PALETTE["muted"], ms=5.5, label=before_label or before)
        ax.plot(a, y, "o", color=PALETTE["contrast"], ms=5.5, label=after_label or after)
        ax.set_yticks(y, labels)
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.set_xlim(-2, 102)
        ax.set_xlabel(t("plots.score_axis", lang) if xlabel is None else xlabel)
        ax.set_title(title)
        ax.legend(
            loc="upper center", bbox_to_anchor=(0.5, 0), borderaxespad=3.8, ncols=2, frameon=False
        )
    return fig


def plot_ci_explainer(*, lang: str, samples: int = 20, n: int = 400, seed: int = 13) -> Figure:
    """The glossary's picture of a 95% confidence interval: ``samples`` imagined repeats of
    a survey of ``n`` people where the true share is 40%, each with its interval; about
    one in twenty misses the true value (drawn in the contrast colour).

    The samples are simulated (a fixed seed), not data of the diagnosis.

    Examples
    --------
    >>> fig = plot_ci_explainer(lang="pl")
    >>> len(fig.axes[0].lines) >= 20
    True
    >>> import matplotlib.pyplot as plt; plt.close(fig)
    """
    rng = np.random.default_rng(seed)
    truth = 0.4
    shares = rng.binomial(n, truth, size=samples) / n
    half = 1.96 * np.sqrt(shares * (1 - shares) / n)
    missed = (shares - half > truth) | (shares + half < truth)
    if not missed.any():  # the picture must show a miss: widen none, move the last one
        shares[-1] = truth + 2.3 * np.sqrt(truth * (1 - truth) / n)
        half[-1] = 1.96 * np.sqrt(shares[-1] * (1 - shares[-1]) / n)
        missed = (shares - half > truth) | (shares + half < truth)
    with report_style():
        fig, ax = _figure(samples, row_cm=0.32, extra_cm=3.2)
        for k, (share, h, miss) in enumerate(zip(shares, half, missed, strict=True)):
            colour = PALETTE["alert"] if miss else PALETTE["main"]
            ax.plot([share - h, share + h], [k, k], color=colour, linewidth=2)
            ax.plot([share], [k], "o", color=colour, markersize=4)
        ax.axvline(truth, color="#1f2328", linestyle="--", linewidth=1.2)
        ax.set_yticks([])
        ax.set_ylim(-1, samples)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(lambda v, _: percent(v, lang, digits=0))
        )
        ax.set_xlabel(t("glossary.ci_axis", lang))
        ax.set_ylabel(t("glossary.ci_samples", lang))
        handles = [
            Line2D([], [], color=PALETTE["main"], linewidth=2, label=t("glossary.ci_hit", lang)),
            Line2D([], [], color=PALETTE["alert"], linewidth=2, label=t("glossary.ci_miss", lang)),
            Line2D(
                [],
                [],
                color="#1f2328",
                linestyle="--",
                label=t("glossary.ci_truth", lang),
            ),
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
    return fig


def texts_outside(
    fig: Figure, *, tolerance: float = 1.0, draw: bool = True, bbox: Bbox | None = None
) -> list[str]:
    """The texts of ``fig`` (titles, labels, tick labels, legends) that reach outside its
    canvas as saved, by their drawn extents. The report saves a figure with every artist
    in it (``bbox_inches="tight"``), so the saved area may grow below and above the
    figure, but not wider than the figure or the page (:data:`MAX_WIDTH_CM`): a text
    beyond that is cut on the page, or shrinks the whole figure to fit. Empty when every
    text fits. ``draw=False`` when the figure was just drawn (saved): its layout is reused;
    ``bbox`` is then the drawn figure's tight box in inches, if already measured
    (``fig.get_tightbbox()``), so that it is not measured again.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    >>> texts_outside(fig)
    []
    >>> _ = ax.set_title("a title far too long for a figure three inches wide, " * 4)
    >>> texts_outside(fig)[0][:20]
    'a title far too long'
    >>> plt.close(fig)
    """
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    if draw:
        fig.draw_without_rendering()
        bbox = None
    if bbox is None:
        bbox = fig.get_tightbbox(renderer)
    drawn = bbox.transformed(fig.dpi_scale_trans)  # every artist
    room = max(fig.bbox.width, MAX_WIDTH_CM * CM * fig.dpi)
    if drawn.width <= room + tolerance:
        return []
    left = max(drawn.x0, fig.bbox.x0 - (room - fig.bbox.width))
    right = left + room
    out = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        extent = text.get_window_extent(renderer)
        if not Bbox.intersection(extent, drawn):  # not drawn (a tick outside the view)
            continue
        if extent.x0 < left - tolerance or extent.x1 > right + tolerance:
            out.append(text.get_text())
    return out or ["(an artist other than a text)"]


def fit_titles(fig: Figure) -> bool:
    """Wrap every title of ``fig`` (axes titles, the suptitle) that is wider than the room
    the drawn figure leaves it, and put a legend wider than the canvas in one column, so
    they stay inside the canvas. Returns whether anything changed (the figure must then be
    drawn again). Call it on a drawn figure.

    Examples
    --------
    >>> fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    >>> _ = ax.set_title("a title far too long for a figure three inches wide, it is cut off")
    >>> fig.draw_without_rendering()
    >>> fit_titles(fig), "\\n" in ax.get_title(), texts_outside(fig)
    (True, True, [])
    >>> plt.close(fig)
    """
    import textwrap

    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    titles = [(fig._suptitle, box.x0)] if getattr(fig, "_suptitle", None) else []
    for ax in fig.axes:
        left = ax.get_window_extent(renderer).x0
        titles += [(ax.title, box.x0), (ax._left_title, left), (ax._right_title, box.x0)]
    changed = False
    added, line_pt = 0, 0.0  # title lines added by wrapping, and their height
    for text, start in titles:
        content = text.get_text()
        if not content.strip():
            continue
        extent = text.get_window_extent(renderer)
        room = box.x1 - max(min(extent.x0, start), box.x0) - 4 * fig.dpi / 100  # 0.04 in
        if extent.x0 >= box.x0 and extent.x1 <= box.x1 and extent.width <= room:
            continue
        longest = max(content.split("\n"), key=len)
        # as many characters a line as fit (words break earlier); narrower below if not
        chars = max(12, int(len(longest) * room / max(extent.width, 1.0)))
        for _ in range(4):  # narrower until it fits (long words are broken too)
            text.set_text("\n".join(textwrap.fill(line, chars) for line in content.split("\n")))
            extent = text.get_window_extent(renderer)
            if extent.width <= room or chars <= 12:
                break
            chars = max(12, int(chars * room / extent.width * 0.95))
        added += text.get_text().count("\n") - content.count("\n")
        line_pt = max(line_pt, text.get_fontsize() * 1.2)
        changed = True
    legends = [*fig.legends, *(ax.get_legend() for ax in fig.axes)]
    for legend in legends:  # a legend in one row wider than the canvas: one entry a row
        if legend is None or getattr(legend, "_ncols", 1) == 1:
            continue
        extent = legend.get_window_extent(renderer)
        if extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1:
            continue
        rows = _legend_rows(legend)
        if _one_column(legend):
            added += _legend_rows(legend) - rows
            line_pt = max(line_pt, legend.get_texts()[0].get_fontsize() * 1.6)
            changed = True
    if added > 0:  # the figure grows by the lines it gained, so its plot keeps its height
        fig.set_figheight(fig.get_figheight() + added * line_pt / 72)
    return changed


def _legend_columns(legend) -> list:
    """The packed columns of entries of a built legend."""
    box = getattr(legend, "_legend_handle_box", None)
    return list(box.get_children()) if box is not None else []


def _legend_rows(legend) -> int:
    """Rows of entries of a built legend."""
    return max((len(c.get_children()) for c in _legend_columns(legend)), default=0)


def _one_column(legend) -> bool:
    """Put the entries of a drawn legend in one column (``set_ncols`` alone changes
    nothing once the legend is built: its entries are packed in columns at creation).
    Whether it changed."""
    from matplotlib.offsetbox import VPacker

    columns = _legend_columns(legend)
    if len(columns) < 2 or not all(isinstance(c, VPacker) for c in columns):
        return False
    items = [item for column in columns for item in column.get_children()]
    first = columns[0]
    legend._legend_handle_box._children = [
        VPacker(pad=0, sep=first.sep, align=first.align, children=items)
    ]
    legend._legend_box.set_figure(legend.get_figure(root=False))  # reaches the new column
    legend.set_ncols(1)
    legend.stale = True
    return True


def freeze_layout(
    fig: Figure, *, dpi: float | None = None, pad_inches: float = 0.1, fit: bool = True
) -> tuple[Bbox, list[str]]:
    """Lay ``fig`` out once, measure it once and freeze it, before it is saved.

    The figure is laid out once at ``dpi`` (its layout engine, the constrained layout,
    runs as a drawing would run it) and the box of every artist is measured once, padded
    by ``pad_inches``; :func:`texts_outside` checks it. With ``fit``, titles
    and legends wider than the canvas are wrapped (:func:`fit_titles`) and only then is
    the figure laid out a second time. Finally the layout engine is switched off, so
    the figure keeps this layout, and ``savefig(..., bbox_inches=box)`` draws each
    file once, where ``bbox_inches="tight"`` draws it twice and lays it out again.

    Parameters
    ----------
    fig : Figure
    dpi : float, optional
        Resolution of the measuring drawing: the one of the PNG to be saved (text extents
        are hinted to the pixel grid). Default: the figure's own.
    pad_inches : float
        Margin around the box of every artist, as ``savefig``'s ``pad_inches``.
    fit : bool
        Wrap what reaches outside the canvas (see :func:`fit_titles`).

    Returns
    -------
    box : matplotlib.transforms.Bbox
        The area to save, in inches (``bbox_inches=box``).
    outside : list of str
        The texts beyond the canvas after fitting (empty when everything fits).

    Examples
    --------
    >>> import io
    >>> fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    >>> _ = ax.set_title("a title far too long for a figure three inches wide " * 4)
    >>> box, outside = freeze_layout(fig, dpi=100)
    >>> outside, fig.get_layout_engine() is None, "\\n" in ax.get_title()
    ([], True, True)
    >>> fig.savefig(io.BytesIO(), format="png", dpi=100, bbox_inches=box)
    >>> bool(box.width <= 3 + 2 * 0.1 + 0.01)
    True
    >>> plt.close(fig)
    """
    import warnings

    import matplotlib

    def measure() -> tuple[Bbox, list[str]]:
        # what Figure.draw does before drawing: the layout engine places the axes; the
        # box of every artist then updates ticks, axis labels and titles as a drawing
        # would, without drawing anything (a third of the time of draw_without_rendering)
        engine = fig.get_layout_engine()
        if engine is not None and fig.axes:
            with contextlib.suppress(ValueError):  # as Figure.draw: a layout that fails
                engine.execute(fig)
        box = fig.get_tightbbox(fig.canvas.get_renderer()).frozen()
        return box, texts_outside(fig, draw=False, bbox=box)

    original = fig.dpi
    if dpi is not None:
        fig.dpi = dpi
    try:
        # a title too wide can collapse the first layout; its warning only counts if
        # wrapping the titles does not lay the figure out again
        with warnings.catch_warnings(record=True) as first:
            warnings.simplefilter("always")
            box, outside = measure()
        if outside and fit and fit_titles(fig):
            box, outside = measure()
        else:
            for w in first:
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    finally:
        fig.dpi = original
    # no layout engine at all (not "none", a placeholder that savefig still measures for)
    with matplotlib.rc_context(
        {"figure.autolayout": False, "figure.constrained_layout.use": False}
    ):
        fig.set_layout_engine(None)
    return box.padded(pad_inches), outside


def png_bytes(
    fig: Figure,
    *,
    dpi: float,
    bbox_inches: Bbox | None = None,
    compress_level: int = PNG_COMPRESSION,
) -> bytes:
    """The figure as PNG bytes: drawn once by Agg, without an alpha channel when every
    pixel is opaque (the report's figures are: same look, a quarter fewer bytes to
    compress), zlib level ``compress_level``, no date or software stamp.

    Parameters
    ----------
    fig : Figure
    dpi : float
    bbox_inches : Bbox, optional
        The area to save, in inches (as from :func:`freeze_layout`); default the whole
        figure. ``"tight"`` is not accepted: measure once with :func:`freeze_layout`.
    compress_level : int
        zlib level, 0-9.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> fig, ax = plt.subplots(figsize=(2, 1))
    >>> img = Image.open(io.BytesIO(png_bytes(fig, dpi=50)))
    >>> img.size, img.mode
    ((100, 50), 'RGB')
    >>> plt.close(fig)
    """
    import io

    from PIL import Image

    if isinstance(bbox_inches, str):
        raise ValueError("png_bytes takes a Bbox in inches (see freeze_layout), not a string")
    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi, bbox_inches=bbox_inches)
    data = buf.getvalue()
    width_in = bbox_inches.width if bbox_inches is not None else fig.get_figwidth()
    width = int(width_in * dpi)
    height = len(data) // (4 * width) if width else 0
    if not width or len(data) != 4 * width * height:  # not as Agg sizes a canvas: the slow way
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format="png",
            dpi=dpi,
            bbox_inches=bbox_inches,
            metadata={"Software": None},
            pil_kwargs={"compress_level": compress_level},
        )
        return buf.getvalue()
    image = Image.frombuffer("RGBA", (width, height), data, "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format="png", compress_level=compress_level, dpi=(dpi, dpi))
    return out.getvalue()
