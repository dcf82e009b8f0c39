"""Campaign factsheets: one printable page per area and language, from the scorecard.

Each page (A4 or A5 portrait, PNG and PDF, drawn with matplotlib) carries

* the area's number and name, and the report's title;
* **three headline numbers** (:func:`headline_numbers`), each with its 95% confidence
  interval or its base: the area score (0-100, with its interval and its rank among the
  areas), the survey outcome of the area furthest from its goal (a share or mean among
  migrants, with its interval and unweighted number of respondents), and the policy
  score of the monitored institutions (with the number of institutions and indicators
  it rests on). When one of these is missing (no published outcome, no policy answers)
  the next candidate is used: the weakest administrative figure, then the next outcome;
* **one chart**: every indicator of the area on the 0-100 scale, with its interval,
  suppressed estimates marked, weakest first;
* a footer with the method in one sentence, the round and the number of bootstrap
  replicates;
* when the data are synthetic, a red banner at the top and a light diagonal
  "SYNTHETIC" watermark across the page, so that no cropped or printed copy can be
  taken for real findings.

Only published numbers of the scorecard appear: suppressed estimates are never shown,
and estimates on a small base say so. Text is at least 8 pt at print size; files carry
no creation date, so a re-run writes the same bytes (PNG) and the same content (PDF).

>>> paths = write_factsheets(card, "outputs/factsheets", langs=("pl",))   # doctest: +SKIP
>>> len(paths)                                                           # doctest: +SKIP
28
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, round_bases
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.report import formatting

__all__ = [
    "PAPER_SIZES",
    "factsheet_figure",
    "headline_numbers",
    "write_factsheets",
]

#: Paper sizes (width, height) in cm, portrait.
PAPER_SIZES = {"A4": (21.0, 29.7), "A5": (14.8, 21.0)}

_RED = "#b00020"
_INK = "#222222"


def _num(value: float, lang: str, digits: int = 1) -> str:
    return formatting.number(value, lang, digits=digits)


def _share(value: float, lang: str) -> str:
    return _num(value * 100, lang, 0) + "%"


def _value_text(value: float, statistic: str, lang: str, unit: str = "") -> str:
    if statistic == "proportion":
        return _share(value, lang)
    digits = 0 if abs(value) >= 100 else 1
    return _num(value, lang, digits) + (f" {unit}" if unit else "")


def headline_numbers(
    scorecard: Any, area: str, *, lang: str, framework: Any = None
) -> pd.DataFrame:
    """The three headline numbers of an area's factsheet.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    area : str
    lang : {"pl", "en"}
    framework : Framework or str, optional
        Default: the scorecard's, else ``lublin-14``.

    Returns
    -------
    DataFrame
        Three rows (fewer only if the area has too little published data): ``role``
        (``area_score``, ``outcome``, ``policy``, ``admin``), ``indicator``, ``label``
        (what the number is, in ``lang``), ``value, ci_low, ci_high, n``, ``text`` (the
        number as printed) and ``detail`` (its interval or base, as printed).

    Raises
    ------
    KeyError
        When ``area`` is not an area of the scorecard.

    Examples
    --------
    >>> headline_numbers(card, "housing", lang="en")[["role", "text"]]   # doctest: +SKIP
             role        text
    0  area_score  50.3 / 100
    1     outcome         37%
    2      policy  25.0 / 100
    """
    from lublin_diagnosis.report.i18n import t

    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    areas = scorecard.areas.set_index("area")
    if area not in areas.index:
        raise KeyError(f"area {area!r} is not in the scorecard; areas: {', '.join(areas.index)}")
    a = areas.loc[area]
    n_areas = int(len(areas))
    ind = scorecard.indicators
    city = ind[(ind["institution"].isna()) & (ind["area"] == area)]
    published = city[~city["suppressed"].astype(bool) & city["score"].notna()]
    # bases as every published table shows them (exact ones could be subtracted)
    published = round_bases(published, getattr(scorecard, "rules", None) or DisclosureRules())
    rows: list[dict] = []
    if not pd.isna(a["score"]):
        rows.append(
            {
                "role": "area_score",
                "indicator": None,
                "label": t("factsheet.area_score", lang),
                "value": float(a["score"]),
                "ci_low": float(a["ci_low"]),
                "ci_high": float(a["ci_high"]),
                "n": None,
                "text": _num(float(a["score"]), lang) + " / 100",
                "detail": t(
                    "factsheet.area_score_detail",
                    lang,
                    ci_low=_num(float(a["ci_low"]), lang),
                    ci_high=_num(float(a["ci_high"]), lang),
                    rank=int(a["rank"]),
                    n_areas=n_areas,
                ),
            }
        )
    outcomes = published[published["kind"] == "O"].sort_values(
        ["score", "indicator"], kind="stable"
    )
    candidates: list[dict] = []
    for rec in outcomes.to_dict("records"):
        spec = fw.indicator(rec["indicator"])
        detail = t(
            "factsheet.outcome_detail",
            lang,
            ci_low=_value_text(rec["ci_low"], spec.statistic, lang),
            ci_high=_value_text(rec["ci_high"], spec.statistic, lang),
            n=_num(int(rec["n"]), lang, 0),
            score=_num(float(rec["score"]), lang, 0),
        )
        if bool(rec["low_reliability"]):
            detail += " " + t("factsheet.low_reliability", lang)
        candidates.append(
            {
                "role": "outcome",
                "indicator": rec["indicator"],
                "label": fw.label(spec, lang),
                "value": float(rec["value"]),
                "ci_low": float(rec["ci_low"]),
                "ci_high": float(rec["ci_high"]),
                "n": int(rec["n"]),
                "text": _value_text(float(rec["value"]), spec.statistic, lang),
                "detail": detail,
            }
        )
    policy = published[published["kind"] == "P"]
    inst = scorecard.institutions
    rnd = scorecard.settings.get("round")
    inst = inst[(inst["area"] == area) & ((rnd is None) | (inst["round"] == rnd))]
    policy_row = None
    if len(policy) and not pd.isna(a.get("policy_score", np.nan)):
        policy_row = {
            "role": "policy",
            "indicator": None,
            "label": t("factsheet.policy_score", lang),
            "value": float(a["policy_score"]),
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": None,
            "text": _num(float(a["policy_score"]), lang) + " / 100",
            "detail": t(
                "factsheet.policy_detail",
                lang,
                n_institutions=int(inst["institution"].nunique()),
                n_indicators=int(len(policy)),
            ),
        }
    admin_rows = []
    for rec in (
        published[published["kind"] == "A"]
        .sort_values(["score", "indicator"], kind="stable")
        .to_dict("records")
    ):
        spec = fw.indicator(rec["indicator"])
        unit = fw.label(spec.unit, lang) if spec.unit is not None else ""
        admin_rows.append(
            {
                "role": "admin",
                "indicator": rec["indicator"],
                "label": fw.label(spec, lang),
                "value": float(rec["value"]),
                "ci_low": np.nan,
                "ci_high": np.nan,
                "n": None,
                "text": _value_text(float(rec["value"]), "mean", lang),
                "detail": t(
                    "factsheet.admin_detail",
                    lang,
                    unit=unit,
                    round=int(rec["round"]) if not pd.isna(rec["round"]) else "",
                ),
            }
        )
    order = candidates[:1] + ([policy_row] if policy_row else []) + admin_rows[:1] + candidates[1:]
    for row in order:
        if len(rows) >= 3:
            break
        rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=["role", "indicator", "label", "value", "ci_low", "ci_high", "n", "text", "detail"],
    )
    out["n"] = pd.array(
        [None if v is None or pd.isna(v) else int(v) for v in out["n"]], dtype="Int64"
    )
    return out


def _draw_scores(
    ax,
    rows: pd.DataFrame,
    fw: Any,
    lang: str,
    font: float,
    *,
    legend_offset: float = -0.12,
    wrap: int = 30,
) -> None:
    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import PALETTE, mark_suppressed, note_handles

    rows = rows.assign(_s=rows["score"].fillna(-1)).sort_values(["_s", "indicator"], kind="stable")
    n = len(rows)
    y = np.arange(n)
    score = rows["score"].to_numpy(dtype=float)
    lo = rows["score_ci_low"].to_numpy(dtype=float)
    hi = rows["score_ci_high"].to_numpy(dtype=float)
    hidden = rows["suppressed"].astype(bool).to_numpy() | np.isnan(score)
    low = rows["low_reliability"].astype(bool).to_numpy() & ~hidden
    colours = [PALETTE.get(k, PALETTE["main"]) for k in rows["kind"]]
    for yi, s, h, lw, c in zip(y, score, hidden, low, colours, strict=False):
        if h:
            continue
        ax.barh(
            yi,
            s,
            height=0.6,
            color="white" if lw else c,
            edgecolor=c,
            hatch="///" if lw else None,
            linewidth=1.0,
        )
        right = s if np.isnan(hi[yi]) else max(s, hi[yi])
        ax.text(
            min(right, 100) + 1.5,
            yi,
            _num(s, lang, 0),
            va="center",
            ha="left",
            fontsize=font - 0.5,
            color=_INK,
        )
    has_ci = ~hidden & ~np.isnan(lo) & ~np.isnan(hi)
    ax.errorbar(
        score[has_ci],
        y[has_ci],
        xerr=np.vstack([score[has_ci] - lo[has_ci], hi[has_ci] - score[has_ci]]),
        fmt="none",
        ecolor=_INK,
        elinewidth=1.0,
        capsize=2.5,
    )
    mark_suppressed(ax, 0, y[hidden], ms=7)
    labels = ["\n".join(textwrap.wrap(fw.label(i, lang), wrap)) for i in rows["indicator"]]
    ax.set_yticks(y, labels, fontsize=font - 0.5)
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_xlim(0, 108)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", labelsize=font - 0.5)
    ax.set_xlabel(t("plots.score_axis", lang), fontsize=font)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.patches import Patch

    kinds = [k for k in ("P", "A", "O") if k in set(rows["kind"])]
    handles = [Patch(color=PALETTE[k], label=t(f"kinds.{k}", lang)) for k in kinds]
    handles += note_handles(lang, low=bool(low.any()), suppressed=bool(hidden.any()), bars=True)
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.45, legend_offset),
        ncols=min(len(handles), 3),
        frameon=False,
        fontsize=font - 1,
    )


def factsheet_figure(
    scorecard: Any,
    area: str,
    *,
    lang: str,
    synthetic: bool = True,
    framework: Any = None,
    paper: str = "A4",
    rules: Any = None,
):
    """One area's factsheet as a matplotlib figure of the paper's size.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    area : str
    lang : {"pl", "en"}
    synthetic : bool
        Mark the page as built from synthetic data (banner and watermark).
    framework : Framework or str, optional
    paper : {"A4", "A5"}
    rules : DisclosureRules, optional
        The rules the scorecard was protected with (for the method note; default the
        scorecard's own, else the defaults).

    Returns
    -------
    matplotlib.figure.Figure
        Close it after saving (``plt.close(fig)``).

    Examples
    --------
    >>> fig = factsheet_figure(card, "health", lang="pl", paper="A5")   # doctest: +SKIP
    """
    import matplotlib.pyplot as plt

    from lublin_diagnosis.report.i18n import check_lang, t

    check_lang(lang)
    if paper not in PAPER_SIZES:
        raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, not {paper!r}")
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    spec = fw.area(area)
    width_cm, height_cm = PAPER_SIZES[paper]
    small = paper == "A5"
    font = 8.5 if small else 10.0
    big = 18 if small else 28
    wrap_title = 34 if small else 40
    heads = headline_numbers(scorecard, area, lang=lang, framework=fw)
    ind = scorecard.indicators
    rows = ind[(ind["institution"].isna()) & (ind["area"] == area)]
    settings = scorecard.settings
    with plt.rc_context(
        {
            "font.family": "DejaVu Sans",
            "font.size": font,
            "pdf.fonttype": 42,
            "svg.fonttype": "path",
        }
    ):
        fig = plt.figure(figsize=(width_cm / 2.54, height_cm / 2.54))
        margin = 1.3 / width_cm
        top = 1.0
        if synthetic:
            fig.patches.append(
                plt.Rectangle(
                    (0, 1 - 1.1 / height_cm),
                    1,
                    1.1 / height_cm,
                    transform=fig.transFigure,
                    color=_RED,
                    zorder=0,
                )
            )
            fig.text(
                0.5,
                1 - 0.55 / height_cm,
                textwrap.fill(t("report.synthetic_banner", lang), 95 if not small else 70),
                ha="center",
                va="center",
                color="white",
                fontsize=font - 1.5,
                fontweight="bold",
            )
            fig.text(
                0.5,
                0.5,
                t("report.synthetic_short", lang),
                rotation=55,
                ha="center",
                va="center",
                fontsize=60 if not small else 44,
                color="#b0002014",
                fontweight="bold",
                zorder=0,
            )
            top = 1 - 1.1 / height_cm
        y = top - (0.9 if not small else 0.6) / height_cm
        if not small:
            fig.text(
                margin, y, t("report.title", lang), fontsize=font - 0.5, color="#555555", va="top"
            )
            y -= 0.75 / height_cm
        title = t(
            "factsheet.title",
            lang,
            number=spec.number,
            n_areas=len(fw.areas),
            name=fw.label(spec, lang),
        )
        fig.text(
            margin,
            y,
            textwrap.fill(title, wrap_title),
            fontsize=font + 7,
            fontweight="bold",
            va="top",
            color=_INK,
        )
        y -= (1.2 + 0.8 * title.count("\n") + (0.9 if len(title) > wrap_title else 0)) / height_cm
        # -- headline numbers, one row each
        box_h = (3.1 if not small else 2.4) / height_cm
        text_x = margin + (0.36 if not small else 0.37)
        for rec in heads.to_dict("records"):
            fig.patches.append(
                plt.Rectangle(
                    (margin, y - box_h),
                    1 - 2 * margin,
                    box_h * 0.92,
                    transform=fig.transFigure,
                    facecolor="#f2f5f9",
                    edgecolor="none",
                    zorder=0,
                )
            )
            fig.text(
                margin + 0.02,
                y - box_h * 0.46,
                rec["text"],
                fontsize=big,
                fontweight="bold",
                va="center",
                color="#0b5394",
            )
            fig.text(
                text_x,
                y - 0.25 / height_cm,
                textwrap.fill(rec["label"], 48 if not small else 36),
                fontsize=font,
                va="top",
                fontweight="bold",
                color=_INK,
            )
            fig.text(
                text_x,
                y - box_h * 0.86,
                textwrap.fill(rec["detail"], 60 if not small else 46),
                fontsize=font - 1.5,
                va="bottom",
                color="#444444",
            )
            y -= box_h
        # -- chart
        y -= 0.5 / height_cm
        fig.text(
            margin,
            y,
            textwrap.fill(t("factsheet.chart_title", lang), 80 if not small else 62),
            fontsize=font + 1,
            fontweight="bold",
            va="top",
        )
        footer_cm, axis_text_cm = (3.0, 2.2) if not small else (2.3, 1.9)
        chart_top = y - (0.9 if not small else 1.2) / height_cm
        bottom = (footer_cm + axis_text_cm) / height_cm
        left = margin + (0.30 if not small else 0.36)
        ax_h = max(chart_top - bottom, 0.08)
        ax = fig.add_axes((left, bottom, 1 - left - margin, ax_h))
        _draw_scores(
            ax,
            rows,
            fw,
            lang,
            font,
            legend_offset=-(axis_text_cm - 0.55) / (ax_h * height_cm),
            wrap=30 if not small else 26,
        )
        # -- footer
        note = t(
            "factsheet.method",
            lang,
            round=settings.get("round"),
            replicates=settings.get("replicates"),
            min_n=_min_n(scorecard, rules),
        )
        fig.text(
            margin,
            (2.5 if not small else 1.9) / height_cm,
            textwrap.fill(note, 110 if not small else 90),
            fontsize=font - 2,
            va="top",
            color="#444444",
        )
        if synthetic and not small:
            fig.text(
                margin,
                0.7 / height_cm,
                textwrap.fill(t("report.synthetic_banner", lang), 105 if not small else 80),
                fontsize=font - 2,
                color=_RED,
                fontweight="bold",
                va="bottom",
            )
    return fig


def _min_n(scorecard: Any, rules: Any = None) -> int:
    """The disclosure threshold: of ``rules``, else of the scorecard, else the default."""
    from lublin_diagnosis.disclosure import DisclosureRules

    rules = rules if rules is not None else getattr(scorecard, "rules", None)
    return int(getattr(rules, "min_n", DisclosureRules().min_n))


def write_factsheets(
    scorecard: Any,
    out_dir: str | Path,
    *,
    langs: Sequence[str] = ("pl", "en"),
    synthetic: bool = True,
    framework: Any = None,
    areas: Sequence[str] | None = None,
    paper: str = "A4",
    dpi: int = 200,
    rules: Any = None,
) -> list[Path]:
    """Write one factsheet per area and language, as PNG and PDF.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    out_dir : path
        Files go to ``out_dir/<lang>/factsheets/<NN>-<area>.png`` and ``.pdf`` (``NN``
        the area number), the layout of a run folder.
    langs : sequence of {"pl", "en"}
    synthetic : bool
        Mark every page as synthetic (pass ``dataset.synthetic``).
    framework : Framework or str, optional
    areas : sequence of str, optional
        Only these areas (default: every area of the scorecard, framework order).
    paper : {"A4", "A5"}
    dpi : int
        Resolution of the PNG (the PDF is vector).
    rules : DisclosureRules, optional
        The rules the scorecard was protected with (named in each page's method note).

    Returns
    -------
    list of pathlib.Path
        The files written: ``len(areas) × len(langs) × 2``, by language, area, then
        PNG before PDF.

    Raises
    ------
    KeyError
        For an area that is not in the scorecard.

    Examples
    --------
    >>> write_factsheets(card, "outputs/run", langs=("en",), areas=["health"])  # doctest: +SKIP
    [PosixPath('outputs/run/en/factsheets/01-health.png'), PosixPath('outputs/run/en/factsheets/01-health.pdf')]
    """
    import matplotlib.pyplot as plt

    from lublin_diagnosis.report.i18n import check_lang
    from lublin_diagnosis.report.plots import png_bytes
    from lublin_diagnosis.report.text_metrics import shared_text_metrics

    for lang in langs:
        check_lang(lang)
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    wanted = (
        list(areas)
        if areas is not None
        else [a for a in fw.area_ids if a in set(scorecard.areas["area"])]
    )
    unknown = [a for a in wanted if a not in set(scorecard.areas["area"])]
    if unknown:
        raise KeyError(f"area(s) {', '.join(unknown)} not in the scorecard")
    paths: list[Path] = []
    for lang in langs:
        folder = Path(out_dir) / lang / "factsheets"
        folder.mkdir(parents=True, exist_ok=True)
        for area in wanted:
            fig = factsheet_figure(
                scorecard,
                area,
                lang=lang,
                synthetic=synthetic,
                framework=fw,
                paper=paper,
                rules=rules,
            )
            stem = f"{fw.area(area).number:02d}-{area}"
            try:
                png = folder / f"{stem}.png"
                pdf = folder / f"{stem}.pdf"
                with shared_text_metrics():
                    png.write_bytes(png_bytes(fig, dpi=dpi))
                    fig.savefig(
                        pdf, metadata={"Creator": None, "Producer": None, "CreationDate": None}
                    )
            finally:
                plt.close(fig)
            paths += [png, pdf]
    return paths
