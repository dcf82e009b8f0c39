"""Campaign factsheets: one printable page per area and language, three headline numbers each
with its interval or base, one chart, marked SYNTHETIC when the data are."""

import struct
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import factsheets
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.report.i18n import locale_keys
from support import DEMO

pytestmark = pytest.mark.skipif(
    not {"factsheet.title", "factsheet.method"} <= locale_keys("en"),
    reason="the advocacy locale keys are not merged into lublin_diagnosis/locales yet",
)


def fake_scorecard(*, suppress=(), low=(), drop_kinds=()):
    """A scorecard-like object over the lublin-14 framework: every indicator scored, the
    outcomes with intervals and bases; ``suppress`` / ``low`` name outcome indicators."""
    fw = load_framework()
    rng = np.random.default_rng(7)
    rows = []
    for ind in fw.indicators:
        if ind.kind in drop_kinds:
            continue
        score = float(rng.integers(5, 95))
        row = {
            "area": ind.area,
            "indicator": ind.id,
            "kind": ind.kind,
            "institution": None,
            "round": 2023,
            "answer": None,
            "value": score,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n": pd.NA,
            "score": score,
            "score_ci_low": np.nan,
            "score_ci_high": np.nan,
            "suppressed": False,
            "low_reliability": False,
            "flags": "",
        }
        if ind.kind == "O":
            value = score / 100 if ind.statistic == "proportion" else score / 10
            row.update(
                value=value,
                ci_low=value * 0.9,
                ci_high=value * 1.1,
                n=500,
                score_ci_low=score - 4,
                score_ci_high=score + 4,
            )
            if ind.id in suppress:
                row.update(
                    value=np.nan,
                    ci_low=np.nan,
                    ci_high=np.nan,
                    n=pd.NA,
                    score=np.nan,
                    score_ci_low=np.nan,
                    score_ci_high=np.nan,
                    suppressed=True,
                    flags="suppressed",
                )
            elif ind.id in low:
                row.update(n=20, low_reliability=True, flags="low_base")
        rows.append(row)
    indicators = pd.DataFrame(rows)
    indicators["n"] = pd.array(indicators["n"].tolist(), dtype="Int64")
    city = indicators.groupby("area", sort=False)
    areas = pd.DataFrame({"area": list(fw.area_ids)})
    areas["score"] = [float(city.get_group(a)["score"].mean()) for a in areas["area"]]
    areas["ci_low"], areas["ci_high"] = areas["score"] - 3, areas["score"] + 3
    areas["rank"] = areas["score"].rank(method="first").astype(int)
    areas["policy_score"] = [
        float(g[g["kind"] == "P"]["score"].mean()) if (g["kind"] == "P").any() else np.nan
        for _, g in ((a, city.get_group(a)) for a in areas["area"])
    ]
    institutions = pd.DataFrame(
        {
            "institution": ["city_hall", "mopr", "city_hall"],
            "area": ["health", "health", "housing"],
            "round": [2023] * 3,
            "score": [50.0, 100.0, 0.0],
        }
    )
    return SimpleNamespace(
        indicators=indicators,
        areas=areas,
        institutions=institutions,
        settings={"round": 2023, "replicates": 200},
    )


def test_three_headline_numbers_each_with_its_interval_or_base():
    heads = factsheets.headline_numbers(fake_scorecard(), "health", lang="en")
    assert heads["role"].tolist() == ["area_score", "outcome", "policy"]
    assert heads.loc[0, "detail"].startswith("95% confidence interval")
    assert "rank" in heads.loc[0, "detail"]
    outcome = heads.iloc[1]
    assert outcome["n"] == 500 and "base: 500 respondents" in outcome["detail"]
    assert "confidence interval" in outcome["detail"] and outcome["text"].endswith("%")
    assert "Base: 2 institution(s)" in heads.loc[2, "detail"]


def test_the_base_of_a_headline_outcome_is_rounded_like_the_published_tables():
    card = fake_scorecard()
    card.indicators["n"] = card.indicators["n"].where(card.indicators["n"].isna(), 1193)
    outcome = factsheets.headline_numbers(card, "health", lang="en").iloc[1]
    assert outcome["n"] == 1190 and "1,193" not in outcome["detail"]


def test_a_suppressed_outcome_is_never_a_headline():
    fw = load_framework()
    outcomes = [i.id for i in fw.indicators_of("health", "O")]
    card = fake_scorecard(suppress=outcomes[:-1], low=outcomes[-1:])
    heads = factsheets.headline_numbers(card, "health", lang="pl")
    assert heads.loc[heads["role"] == "outcome", "indicator"].tolist() == outcomes[-1:]
    assert "Mała podstawa" in heads.loc[heads["role"] == "outcome", "detail"].iloc[0]
    card = fake_scorecard(suppress=outcomes)
    heads = factsheets.headline_numbers(card, "health", lang="en")
    assert "outcome" not in set(heads["role"]) and heads["n"].isna().all()


def test_fallback_to_an_administrative_figure_without_survey_outcomes():
    heads = factsheets.headline_numbers(fake_scorecard(drop_kinds="O"), "labour", lang="en")
    assert heads["role"].tolist() == ["area_score", "policy", "admin"]
    assert "no sampling error" in heads.loc[2, "detail"]


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_text().strip() and t.get_visible()]


def test_page_is_a4_marked_synthetic_and_readable_when_printed():
    import matplotlib.pyplot as plt

    fig = factsheets.factsheet_figure(fake_scorecard(), "housing", lang="en")
    try:
        width, height = fig.get_size_inches() * 2.54
        assert (round(width, 1), round(height, 1)) == (21.0, 29.7)
        texts = _texts(fig)
        assert any("SYNTHETIC DATA" in t.get_text() for t in texts)
        assert min(t.get_fontsize() for t in texts) >= 8  # points at print size
        assert len(fig.axes) == 1  # one chart
        assert any("Area 4 of 14: Housing" in t.get_text() for t in texts)
    finally:
        plt.close(fig)
    fig = factsheets.factsheet_figure(
        fake_scorecard(), "housing", lang="pl", synthetic=False, paper="A5"
    )
    try:
        assert round(fig.get_size_inches()[0] * 2.54, 1) == 14.8
        assert not any("SYNTETYCZNE" in t.get_text() for t in _texts(fig))
    finally:
        plt.close(fig)


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_write_factsheets_every_area_and_language(tmp_path, monkeypatch):
    import matplotlib.pyplot as plt

    drawn = []

    def page(scorecard, area, *, lang, **options):  # a stand-in page: fast
        drawn.append((lang, area, options["synthetic"]))
        return plt.figure(figsize=(1, 1))

    monkeypatch.setattr(factsheets, "factsheet_figure", page)
    paths = factsheets.write_factsheets(fake_scorecard(), tmp_path, dpi=20)
    assert len(paths) == 14 * 2 * 2 and len(drawn) == 14 * 2
    assert {p.suffix for p in paths} == {".png", ".pdf"} and all(p.is_file() for p in paths)
    assert paths[0] == tmp_path / "pl" / "factsheets" / "01-health.png"
    assert paths[-1] == tmp_path / "en" / "factsheets" / "14-legal_aid.pdf"
    assert all(synthetic for *_, synthetic in drawn)


def test_a_page_as_png_and_pdf(tmp_path):
    paths = factsheets.write_factsheets(
        fake_scorecard(), tmp_path, langs=("en",), areas=["safety"], dpi=30
    )
    assert [p.name for p in paths] == ["13-safety.png", "13-safety.pdf"]
    w, h = _png_size(paths[0])
    assert abs(w - 21.0 / 2.54 * 30) <= 1 and abs(h - 29.7 / 2.54 * 30) <= 1
    pdf = paths[1].read_bytes()
    assert pdf.startswith(b"%PDF") and b"/CreationDate" not in pdf
    assert b"595.2" in pdf and b"841.8" in pdf  # A4 in points


def test_factsheets_are_byte_reproducible(tmp_path):
    card = fake_scorecard()
    a = factsheets.write_factsheets(card, tmp_path / "a", langs=("en",), areas=["culture"], dpi=40)
    b = factsheets.write_factsheets(card, tmp_path / "b", langs=("en",), areas=["culture"], dpi=40)
    for x, y in zip(a, b, strict=False):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_unknown_area_and_paper():
    with pytest.raises(KeyError, match="nowhere"):
        factsheets.write_factsheets(fake_scorecard(), "/tmp/unused", areas=["nowhere"])
    with pytest.raises(ValueError, match="paper"):
        factsheets.factsheet_figure(fake_scorecard(), "health", lang="en", paper="Letter")


def test_real_scorecard_of_the_demo(tmp_path):
    import matplotlib.pyplot as plt

    import lublin_diagnosis as ld
    from lublin_diagnosis.indicators.scorecard import build_scorecard

    card = build_scorecard(ld.load_dataset(DEMO), replicates=2, seed=1)
    for area in card.areas["area"]:
        heads = factsheets.headline_numbers(card, area, lang="en")
        assert len(heads) == 3, area
        published = card.indicators[
            card.indicators["institution"].isna() & ~card.indicators["suppressed"]
        ]
        assert set(heads["indicator"].dropna()) <= set(published["indicator"])
    paths = factsheets.write_factsheets(card, tmp_path, langs=("pl",), areas=["legal_aid"], dpi=30)
    assert [p.name for p in paths] == ["14-legal_aid.png", "14-legal_aid.pdf"]
    fig = factsheets.factsheet_figure(card, "legal_aid", lang="pl")
    try:
        texts = " ".join(t.get_text() for t in _texts(fig))
        assert "2 replikacji bootstrap" in texts and "DANE SYNTETYCZNE" in texts
    finally:
        plt.close(fig)
