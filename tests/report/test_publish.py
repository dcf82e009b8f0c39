"""Publishing tables and figures: disclosure checks, translation, files, records; the locale
files; the notebook parameters."""

import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.exceptions import DisclosureError
from lublin_diagnosis.pipeline.parameters import check_params
from lublin_diagnosis.report.i18n import locale_keys, localise_columns, t
from lublin_diagnosis.report.publish import Publisher, read_records


@pytest.fixture()
def pub(tmp_path):
    return Publisher(
        tmp_path,
        lang="en",
        notebook="10_area",
        part="health",
        survey_rows=100,
        id_columns=("resp_id",),
    )


def _estimates(n=(200, 4, 25)):
    return pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "value": [0.5, 0.2, 0.05],
            "se": [0.05, 0.1, 0.01],
            "ci_low": [0.4, 0.05, 0.03],
            "ci_high": [0.6, 0.5, 0.08],
            "n": list(n),
        }
    )


# --------------------------------------------------------------------------- tables
def test_table_is_protected_translated_written_and_recorded(pub, tmp_path):
    shown = pub.table(_estimates(), "health-outcomes", title="Outcomes")
    csv = pd.read_csv(tmp_path / "en" / "tables" / "health-outcomes.csv")
    assert list(csv.columns[:3]) == ["indicator", "value", "se"]  # machine codes
    assert {"suppressed", "low_reliability", "flags"} <= set(csv.columns)
    # the estimate on 4 respondents is blanked, its base too, and flagged
    row = csv.iloc[1]
    assert np.isnan(row["value"]) and np.isnan(row["ci_low"]) and np.isnan(row["n"])
    assert bool(row["suppressed"]) and row["flags"] == "suppressed"
    assert csv.iloc[2]["flags"] == "low_base"
    precise = pd.read_csv(tmp_path / "en" / "precise" / "health-outcomes.csv")
    pd.testing.assert_frame_equal(precise, csv, rtol=1e-4)  # the CSV is only rounded
    records = json.loads((tmp_path / ".records" / "en" / "10_area-health.json").read_text())
    assert records[0]["name"] == "health-outcomes" and records[0]["rows"] == 3
    html = shown._repr_html_()
    assert "Outcomes" in html and "<table" in html
    assert "suppressed (base under 10)" in html and "small base (under 30)" in html
    assert "Standard error" not in html and "Indicator (code)" not in html  # CSV only


def test_respondent_level_tables_are_refused(pub):
    with pytest.raises(DisclosureError, match="as many as the survey"):
        pub.table(pd.DataFrame({"x": range(100)}), "microdata", title="x")
    with pytest.raises(DisclosureError, match="respondent-id column 'resp_id'"):
        pub.table(pd.DataFrame({"resp_id": ["r1"], "x": [1]}), "ids", title="x")
    with pytest.raises(DisclosureError, match="respondent_id"):
        pub.table(pd.DataFrame({"respondent_id": ["r1"]}), "ids2", title="x")


def test_policy_rows_need_no_base_but_survey_rows_do(pub):
    mixed = pd.DataFrame(
        {
            "indicator": ["p", "o"],
            "kind": ["P", "O"],
            "value": [50.0, 0.4],
            "se": [np.nan, 0.02],
            "n": [np.nan, 300],
        }
    )
    out = pub.table(mixed, "mixed", title="Mixed").frame
    assert out["value"].tolist() == [50.0, 0.4]  # the files' machine codes
    assert out["suppressed"].tolist() == [False, False]
    with pytest.raises(DisclosureError, match="no unweighted base"):
        pub.table(mixed.assign(kind="O"), "survey-without-base", title="x")


def test_counts_go_through_protect_counts_with_translated_totals(tmp_path):
    pub = Publisher(tmp_path, lang="pl", notebook="00_data_checks", survey_rows=1200)
    counts = pd.Series(
        [120, 45, 4, 15],
        index=pd.Index(["UA", "BY", "asia", "other"], name="category"),
        name="count",
    )
    out = pub.counts(counts, "sample", title="Próba").frame
    assert out["category"].tolist() == ["UA", "BY", "asia", "other", "Razem"]
    assert out["count"].isna().tolist() == [False, False, True, True, False]
    assert set(out["cell"]) == {"komórka", "razem"}


def test_names_are_checked_and_unique(pub):
    with pytest.raises(ValueError, match="lower-case"):
        pub.table(pd.DataFrame({"area": ["a"]}), "Bad Name", title="x")
    pub.table(pd.DataFrame({"area": ["a"]}), "areas", title="x")
    with pytest.raises(ValueError, match="twice"):
        pub.table(pd.DataFrame({"area": ["a"]}), "areas", title="x")
    with pytest.raises(KeyError, match="no header for column"):
        pub.table(pd.DataFrame({"not_a_known_column": [1]}), "unknown-header", title="x")


def test_records_of_two_notebooks_must_not_clash(tmp_path):
    for nb in ("a", "b"):
        Publisher(tmp_path, lang="en", notebook=nb).table(
            pd.DataFrame({"area": ["x"]}), "same", title="x"
        )
    with pytest.raises(ValueError, match="published by both"):
        read_records(tmp_path)


def test_figures_are_png_and_svg_and_byte_reproducible(pub, tmp_path):
    def draw():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.plot([0, 1], [1, 0])
        return fig

    shown = pub.figure(draw(), "line", title="A line")
    png = (tmp_path / "en" / "figures" / "line.png").read_bytes()
    svg = (tmp_path / "en" / "figures" / "line.svg").read_bytes()
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    data, meta = shown._repr_png_()
    assert data == png
    assert meta["caption"] == shown.title and shown.title in meta["alt"]
    again = Publisher(tmp_path, lang="en", notebook="10_area", part="health")
    again.figure(draw(), "line", title="A line")
    assert (tmp_path / "en" / "figures" / "line.png").read_bytes() == png
    assert (tmp_path / "en" / "figures" / "line.svg").read_bytes() == svg
    assert not plt.get_fignums()  # published figures are closed


def test_locale_files_have_the_same_keys_and_placeholders():
    import string

    assert locale_keys("pl") == locale_keys("en")
    fields = {}
    for lang in ("pl", "en"):
        fields[lang] = {
            key: sorted({f for _, f, _, _ in string.Formatter().parse(_raw(key, lang)) if f})
            for key in locale_keys(lang)
        }
    assert fields["pl"] == fields["en"]


def _raw(key, lang):
    from lublin_diagnosis.report.i18n import _flat

    return _flat(lang)[key]


def test_missing_texts_name_the_locale_file():
    with pytest.raises(KeyError, match="locales/en.yml"):
        t("columns.no_such_column", "en")
    with pytest.raises(KeyError, match="needs a value for 'n'"):
        t("units.respondents", "en", m=3)
    with pytest.raises(ValueError, match="lang must be one of"):
        t("report.title", "de")
    assert localise_columns(pd.DataFrame({"score": [1]}), "pl").columns.tolist() == [
        "Wynik (0-100)"
    ]


# --------------------------------------------------------------------------- parameters
def test_check_params_resolves_paths_and_rejects_bad_values(tmp_path, monkeypatch):
    p = check_params(notebook="10_area", area="health", replicates=20, out_dir=str(tmp_path))
    assert p.data_dir.name == "demo" and p.data_dir.is_absolute()
    assert p.lang_dir == tmp_path / "pl" and p.rules.min_n == 10
    monkeypatch.chdir(p.data_dir.parent.parent / "notebooks")  # as in JupyterLab
    assert check_params(notebook="00_data_checks").data_dir == p.data_dir
    for bad, match in [
        ({"replicates": 1}, "'replicates' must be at least 2"),
        ({"min_cell": 2.5}, "'min_cell' must be a whole number"),
        ({"low_n": 5}, "'low_n' must be at least 10"),
        ({"max_cv": 0}, "'max_cv'"),
        ({"area": "nowhere"}, "'area' must be one of"),
        ({"replicate": 20}, "unknown parameter"),
        ({"lang": "both"}, "'lang' must be one of"),
    ]:
        with pytest.raises(ValueError, match=match):
            check_params(notebook="10_area", **{"area": "health", **bad})
    with pytest.raises(FileNotFoundError, match="not found"):
        check_params(notebook="00_data_checks", data_dir="no/such/dir")


def test_figure_text_outside_the_axes_stays_on_the_canvas(tmp_path):
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.image import imread

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.set_title("a title much longer than the two-inch canvas of this small figure")
    ax.text(1.6, 0.5, "right of the canvas", transform=ax.transAxes)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    outside = [
        txt
        for txt in fig.findobj(matplotlib.text.Text)
        if txt.get_text() and not fig.bbox.contains(*txt.get_window_extent(renderer).p1)
    ]
    assert outside  # the figure as drawn would cut its texts
    shown = Publisher(tmp_path, lang="en", notebook="nb").figure(fig, "wide", title="Wide")
    height, width = imread(io.BytesIO(shown.png)).shape[:2]
    assert width > 2 * 150 * 1.3  # the saved area grew to hold every text


def test_census_counts_are_not_flagged_as_small_samples(tmp_path):
    counts = pd.Series([3, 12, 25, 40], index=pd.Index(list("abcd"), name="problem"))
    pub = Publisher(tmp_path, lang="pl", notebook="nb")
    sample = pub.counts(counts, "sample", title="S", localise=False)
    census = pub.counts(counts, "census", title="C", localise=False, census=True)
    assert sample.frame["flags"].str.contains("low_base").any()
    assert not census.frame["flags"].str.contains("low_base").any()
    assert census.frame["suppressed"].tolist() == sample.frame["suppressed"].tolist()


def test_display_formats_percent_points_and_p_values(tmp_path):
    frame = pd.DataFrame(
        {"label": ["a", "b"], "value": [0.3234, 0.5], "gap": [-0.05, 0.0323], "p_value": [0.0, 0.2]}
    )
    pub = Publisher(tmp_path, lang="pl", notebook="nb")
    shown = pub.table(
        frame, "f", title="F", formats={"value": "percent", "gap": "points", "p_value": "p_value"}
    )._repr_html_()
    assert "32,3%" in shown and "\u22125,0\u00a0p.p." in shown and "&lt;\u00a00,001" in shown
    with pytest.raises(ValueError, match="formats="):
        pub.table(frame, "g", title="G", formats={"value": "euro"})


def test_a_published_figure_is_laid_out_once_and_drawn_once_per_file(tmp_path, monkeypatch):
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    counts = {"draw": 0, "layout": 0}
    draw, execute = Figure.draw, ConstrainedLayoutEngine.execute

    def counted_draw(self, renderer):
        counts["draw"] += 1
        return draw(self, renderer)

    def counted_layout(self, fig):
        counts["layout"] += 1
        return execute(self, fig)

    monkeypatch.setattr(Figure, "draw", counted_draw)
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", counted_layout)
    fig, ax = plt.subplots(figsize=(3, 2), layout="constrained")
    ax.plot([0, 1], [1, 0])
    ax.set_title("short")
    shown = Publisher(tmp_path, lang="en", notebook="nb").figure(fig, "once", title="Once")
    assert counts == {"draw": 2, "layout": 1}  # PNG and SVG; one layout
    assert shown.record.texts_outside == ()
    fig, ax = plt.subplots(figsize=(3, 4), layout="constrained")
    ax.set_title("a title far wider than the page it is printed on " * 3)
    counts.update(draw=0, layout=0)
    Publisher(tmp_path, lang="en", notebook="nb2").figure(fig, "wrapped", title="Wrapped")
    assert counts == {"draw": 2, "layout": 2}  # laid out again only after wrapping the title
