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


def test_freeze_layout_measures_once_and_saves_the_tight_area():
    fig = plots.plot_scores(
        pd.DataFrame({"name": ["Health"], "score": [40.0], "ci_low": [35.0], "ci_high": [45.0]}),
        lang="en",
        title="Scores",
    )
    tight = io.BytesIO()
    fig.savefig(tight, format="png", dpi=60, bbox_inches="tight", pad_inches=0.1)
    box, outside = plots.freeze_layout(fig, dpi=60)
    assert outside == [] and fig.get_layout_engine() is None
    position = fig.axes[0].get_position().bounds
    frozen = plots.png_bytes(fig, dpi=60, bbox_inches=box)
    assert fig.axes[0].get_position().bounds == position  # saving did not lay it out again
    from PIL import Image

    size = Image.open(io.BytesIO(frozen)).size
    assert abs(size[0] - Image.open(tight).size[0]) <= 1  # the same area as "tight"
    assert abs(size[1] - Image.open(tight).size[1]) <= 1
    plt.close(fig)


def test_freeze_layout_wraps_a_title_wider_than_the_page_and_keeps_a_text_it_cannot_fit():
    fig, ax = plt.subplots(figsize=(3, 4), layout="constrained")
    ax.set_title("a title far wider than the page it is printed on " * 3)
    box, outside = plots.freeze_layout(fig, dpi=50)
    assert outside == [] and "\n" in ax.get_title()
    assert box.width <= plots.MAX_WIDTH_CM * plots.CM + 0.2 + 0.01
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(3, 2))
    ax.text(3.0, 0.5, "a note far right of the axes", transform=ax.transAxes)
    box, outside = plots.freeze_layout(fig, dpi=50)
    assert outside == ["a note far right of the axes"]  # the canvas guard still sees it
    plt.close(fig)


def test_png_bytes_is_the_savefig_image_without_an_unneeded_alpha_channel():
    from PIL import Image

    fig, ax = plt.subplots(figsize=(2, 1.5))
    ax.plot([0, 1], [1, 0])
    ref = io.BytesIO()
    fig.savefig(ref, format="png", dpi=40)
    ours = plots.png_bytes(fig, dpi=40)
    assert ours == plots.png_bytes(fig, dpi=40)  # byte-reproducible
    a, b = Image.open(ref), Image.open(io.BytesIO(ours))
    assert b.mode == "RGB" and a.size == b.size == (80, 60)
    assert np.array_equal(np.asarray(a.convert("RGB")), np.asarray(b))
    fig.patch.set_alpha(0.0)  # a transparent figure keeps its alpha channel
    assert Image.open(io.BytesIO(plots.png_bytes(fig, dpi=40))).mode == "RGBA"
    with pytest.raises(ValueError, match="Bbox"):
        plots.png_bytes(fig, dpi=40, bbox_inches="tight")
    plt.close(fig)


def test_a_legend_wider_than_the_page_is_put_in_one_column():
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    for k in range(3):
        ax.plot([0, 1], [k, k + 1], label=f"a legend label longer than half the page, number {k}")
    legend = fig.legend(loc="outside lower center", ncols=2, frameon=False)
    fig.draw_without_rendering()
    two = legend.get_window_extent(fig.canvas.get_renderer())
    box, outside = plots.freeze_layout(fig, dpi=fig.dpi)
    one = legend.get_window_extent(fig.canvas.get_renderer())
    assert outside == [] and one.width < two.width * 0.6 and one.height > two.height * 1.3
    assert [t.get_text()[-1] for t in legend.texts] == ["0", "1", "2"]
    plt.close(fig)


@pytest.mark.parametrize("suppressed", [False, True])
def test_interval_chart_layout_is_stable_and_keeps_its_plot_tall(suppressed):
    # an empty unclipped line (no suppressed row) once counted as a marker at the
    # figure's corner: every layout shrank the plot, and a two-row chart collapsed
    import warnings

    rows = pd.DataFrame(
        {
            "label": ["Knows where to look for information", "Official information understood"],
            "estimate": [0.66, 0.73],
            "ci_low": [0.62, 0.70],
            "ci_high": [0.70, 0.76],
            "suppressed": [False, suppressed],
        }
    )
    fig = plots.plot_intervals(rows, lang="en", percent=True, xlim=(0, 1), title="Outcomes")
    heights = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "constrained_layout not applied"
        for _ in range(3):
            fig.draw_without_rendering()
            heights.append(fig.axes[0].get_position().height)
    plt.close(fig)
    assert heights[0] == pytest.approx(heights[-1])
    assert heights[0] > 0.45  # of the figure's height: the plot, not the margins
