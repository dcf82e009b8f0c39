"""The report's charts: A4 size and fonts, one palette, intervals drawn, small bases marked."""

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from lublin_diagnosis.report import plots
from lublin_diagnosis.report.i18n import t

ESTIMATES = pd.DataFrame(
    {
        "label": ["Unmet medical need", "Insured", "Language barrier", "Small group"],
        "estimate": [0.12, 0.81, 0.30, np.nan],
        "ci_low": [0.09, 0.77, 0.22, np.nan],
        "ci_high": [0.16, 0.85, 0.39, np.nan],
        "reference": [0.03, 0.95, np.nan, np.nan],
        "suppressed": [False, False, False, True],
        "low_reliability": [False, False, True, False],
    }
)


def _all_figures():
    margins = pd.DataFrame(
        {
            "variable": ["sex", "sex"],
            "label": ["F", "M"],
            "target": [60.0, 40.0],
            "base": [50.0, 50.0],
            "achieved": [59.9, 40.1],
        }
    )
    scores = pd.DataFrame(
        {
            "name": ["Health", "Housing"],
            "score": [40.0, 55.0],
            "ci_low": [35.0, 50.0],
            "ci_high": [45.0, 60.0],
            "flagged": [True, False],
        }
    )
    change = pd.DataFrame({"label": ["a", "b"], "before": [40.0, 60.0], "after": [55.0, 50.0]})
    return [
        plots.plot_intervals(ESTIMATES, lang="en", reference="reference", percent=True),
        plots.plot_scores(scores, lang="pl", flagged="flagged"),
        plots.plot_weights([1, 2, 2, 3], [0.8, 2.2, 1.9, 3.5], lang="en"),
        plots.plot_margins(margins, lang="pl"),
        plots.plot_change(change, lang="en"),
    ]


@pytest.fixture()
def figures():
    figs = _all_figures()
    yield figs
    for fig in figs:
        plt.close(fig)


def test_every_chart_fits_an_a4_page_with_readable_text(figures):
    for fig in figures:
        width_cm = fig.get_size_inches()[0] * 2.54
        assert width_cm <= plots.MAX_WIDTH_CM
        fig.canvas.draw()
        sizes = [txt.get_fontsize() for txt in fig.findobj(plt.Text) if txt.get_text()]
        assert min(sizes) >= 7, min(sizes)


def test_intervals_are_drawn_and_small_bases_are_marked(figures):
    ax = figures[0].axes[0]
    # three intervals drawn (the suppressed estimate has none), in the main colour
    segments = [c for c in ax.collections if len(c.get_segments()) == 3]
    assert segments and to_hex(segments[0].get_colors()[0]) == plots.PALETTE["main"]
    # the legend is the figure's (under everything, so long row labels cannot push it out)
    legend = [txt.get_text() for txt in figures[0].legends[0].get_texts()]
    assert t("plots.low_reliability", "en") in legend
    assert t("plots.suppressed", "en") in legend
    assert t("plots.reference", "en") in legend
    hollow = [line for line in ax.lines if line.get_markerfacecolor() == "white"]
    assert hollow and len(hollow[0].get_xdata()) == 1  # the low-reliability one
    crosses = [line for line in ax.lines if line.get_marker() == "x"]
    assert crosses and len(crosses[0].get_xdata()) == 1  # the suppressed one
    # percent scale
    assert ax.lines[0].get_xdata()[0] == pytest.approx(12.0)


def test_hatched_bars_for_flagged_scores(figures):
    ax = figures[1].axes[0]
    hatches = [bar.get_hatch() for bar in ax.patches[:2]]
    assert hatches == ["///", None]
    assert ax.get_xlabel() == t("plots.score_axis", "pl")
    assert t("plots.low_reliability", "pl") in [x.get_text() for x in ax.get_legend().get_texts()]


def test_charts_use_the_language_asked_for():
    en = plots.plot_weights([1, 2], [1, 2], lang="en")
    pl = plots.plot_weights([1, 2], [1, 2], lang="pl")
    assert en.axes[0].get_ylabel() == "Respondents"
    assert pl.axes[0].get_ylabel() == "Respondenci"
    plt.close(en)
    plt.close(pl)


def test_charts_are_deterministic():
    def svg():
        fig = plots.plot_intervals(ESTIMATES, lang="en")
        buf = io.BytesIO()
        with plt.rc_context({"svg.hashsalt": "x"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
        return buf.getvalue()

    assert svg() == svg()
