"""Campaign cards: a plain-language card per area in four languages and three formats, with
natural frequencies that agree in number, the gap to Poland where a reference exists, an
uncertainty line in words, alt texts, and nothing suppressed ever printed."""

import json
import re
import struct
from functools import cache
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import campaign_cards as cc
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.report.i18n import locale_keys, t

AREAS = ("health", "labour")


@cache
def framework():
    return load_framework()


def fake_scorecard(*, suppress=(), low=(), values=None):
    """Every survey outcome of lublin-14 published (value 0.5, interval 0.45-0.55, n 400)
    unless named in ``suppress``; ``values`` overrides values by indicator."""
    fw = framework()
    rows = []
    for ind in fw.indicators:
        if ind.kind != "O":
            continue
        value = (values or {}).get(ind.id, 0.5)
        hidden = ind.id in suppress
        rows.append(
            {
                "area": ind.area,
                "indicator": ind.id,
                "kind": "O",
                "institution": None,
                "value": np.nan if hidden else value,
                "ci_low": np.nan if hidden else value - 0.05,
                "ci_high": np.nan if hidden else value + 0.05,
                "n": pd.NA if hidden else (20 if ind.id in low else 400),
                "score": np.nan if hidden else 50.0,
                "reference": ind.reference.value if ind.reference is not None else np.nan,
                "reference_illustrative": (
                    ind.reference.illustrative if ind.reference is not None else None
                ),
                "suppressed": hidden,
                "low_reliability": ind.id in low,
            }
        )
    indicators = pd.DataFrame(rows)
    indicators["n"] = pd.array(indicators["n"].tolist(), dtype="Int64")
    return SimpleNamespace(
        indicators=indicators,
        areas=pd.DataFrame({"area": list(fw.area_ids)}),
        settings={"round": 2023, "survey_round": 2023},
    )


# --------------------------------------------------------------------------- wording
@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.5, (1, 2)),
        (0.26, (1, 4)),
        (0.7, (7, 10)),
        (0.0, (1, 100)),  # never "0 in 100"
        (1.0, (99, 100)),  # never "100 in 100"
        (0.15, (15, 100)),
    ],
)
def test_natural_frequency(share, expected):
    assert cc.natural_frequency(share) == expected


def test_natural_frequency_refuses_a_missing_share():
    with pytest.raises(ValueError, match="missing"):
        cc.natural_frequency(np.nan)


@pytest.mark.parametrize(
    ("lang", "k", "form"),
    [("pl", 1, "sg"), ("pl", 2, "pl"), ("pl", 5, "sg"), ("pl", 22, "pl"), ("en", 1, "sg")]
    + [("en", 2, "pl"), ("uk", 3, "pl"), ("uk", 21, "sg"), ("ru", 4, "pl"), ("ru", 11, "sg")],
)
def test_the_verb_agrees_with_the_numerator(lang, k, form):
    assert cc.card_verb_form(k, lang) == form


def test_the_four_card_languages_have_the_same_keys_and_uk_ru_await_review():
    keys = {
        lang: {k for k in locale_keys(lang) if k.startswith("cards.")} for lang in cc.CARD_LANGUAGES
    }
    assert keys["pl"] and all(keys[lang] == keys["pl"] for lang in cc.CARD_LANGUAGES)
    for lang in ("uk", "ru"):
        assert t("cards._meta.review", lang) == "native review needed"
        assert t("cards.review_note", lang)  # shown on the index page
    assert not t("cards.review_note", "pl")
    # every key indicator has its claim, in both verb forms
    for ind in cc.KEY_INDICATORS.values():
        assert {f"cards.claims.{ind}.sg", f"cards.claims.{ind}.pl"} <= keys["pl"]


def test_a_report_language_check_still_refuses_uk_for_the_report():
    from lublin_diagnosis.report.i18n import check_lang

    with pytest.raises(ValueError):
        check_lang("uk")
    with pytest.raises(ValueError, match="lang must be one of pl, en, uk, ru"):
        cc.card_texts(fake_scorecard(), "health", lang="de")


@pytest.mark.parametrize(
    ("value", "pl_headline"),
    [
        (0.5, "1\u00a0na\u00a02 migrantki i\u00a0migrantów nie rozmawia"),
        (0.6, "3\u00a0na\u00a05 migrantek i\u00a0migrantów nie rozmawiają"),
        (0.7, "7\u00a0na\u00a010 migrantek i\u00a0migrantów nie rozmawia"),
    ],
)
def test_headline_in_natural_frequencies_agrees_in_polish(value, pl_headline):
    card = fake_scorecard(values={"health_o_language_barrier": value})
    text = cc.card_texts(card, "health", lang="pl", as_of="2026-12-01")
    assert f"{text['frequency']} {text['claim']}".startswith(pl_headline)
    assert text["gap"] == ""  # no reference for the language barrier: nothing said


def test_a_higher_is_better_indicator_is_told_from_the_problem_side_with_its_gap():
    # employment 60% against the (illustrative) 77.4% of Poland: 40 without a job vs 23
    card = fake_scorecard(values={"labour_o_employed": 0.60})
    pl = cc.card_texts(card, "labour", lang="pl", as_of="2026-12-01")
    assert pl["indicator"] == "labour_o_employed"
    assert pl["frequency"].startswith("2\u00a0na\u00a05 ")
    assert "40% osób badanych" in pl["share"]
    assert "17\u00a0punktów procentowych więcej" in pl["gap"] and "(23 na 100)" in pl["gap"]
    assert pl["gap_note"]  # the reference is illustrative
    en = cc.card_texts(card, "labour", lang="en", as_of="2026-12-01")
    assert "17\u00a0percentage points higher" in en["gap"]
    assert "between 35 and 45 in 100" in en["uncertainty"]
    uk = cc.card_texts(card, "labour", lang="uk", as_of="2026-12-01")
    assert "17\u00a0відсоткових пунктів" in uk["gap"] and "грудня 2026" in uk["source"]
    ru = cc.card_texts(card, "labour", lang="ru", as_of="2026-12-01")
    assert "17\u00a0процентных пунктов" in ru["gap"]


@pytest.mark.parametrize(
    ("value", "words"), [(0.754, "2\u00a0punkty procentowe"), (0.764, "1\u00a0punkt procentowy")]
)
def test_gap_units_agree_with_their_number(value, words):
    card = fake_scorecard(values={"labour_o_employed": value})
    assert words in cc.card_texts(card, "labour", lang="pl")["gap"]


def test_same_as_poland_says_so():
    card = fake_scorecard(values={"labour_o_employed": 0.774})
    assert cc.card_texts(card, "labour", lang="en")["gap"].startswith("The same")


def test_uncertainty_in_words_without_jargon_and_a_warning_on_a_small_base():
    card = fake_scorecard(low=("health_o_language_barrier",))
    text = cc.card_texts(card, "health", lang="pl")
    assert "między 45 a\u00a055 na 100" in text["uncertainty"]
    assert "ostrożnie" in text["uncertainty"]
    everything = " ".join(str(v) for v in text.values())
    assert not re.search(r"\b(PU|CI|przedział ufności)\b", everything)


def test_a_suppressed_key_indicator_gives_way_and_a_fully_suppressed_area_prints_no_number():
    # the key indicator suppressed: another published share of the area, reference first
    card = fake_scorecard(suppress=("health_o_language_barrier",))
    assert cc.card_texts(card, "health", lang="en")["indicator"] == "health_o_insured"
    everything = fake_scorecard(
        suppress=("health_o_language_barrier", "health_o_insured", "health_o_unmet_need")
    )
    text = cc.card_texts(everything, "health", lang="pl", synthetic=True)
    assert text["frequency"] == "" and text["uncertainty"] == "" and text["gap"] == ""
    assert "Za mało odpowiedzi" in text["no_number"] and "Za mało odpowiedzi" in text["alt"]
    assert "syntetyczne" in text["alt"]


def test_logo_files_from_the_folder_or_dataset_yml(tmp_path):
    (tmp_path / "logos").mkdir()
    (tmp_path / "logos" / "b.png").write_bytes(b"x")
    (tmp_path / "logos" / "a.svg").write_text("<svg/>")
    (tmp_path / "logos" / "notes.txt").write_text("no")
    (tmp_path / "brand").mkdir()
    (tmp_path / "brand" / "c.jpg").write_bytes(b"x")
    ds = SimpleNamespace(meta={}, data_dir=tmp_path)
    assert [p.name for p in cc.logo_files(ds)] == ["a.svg", "b.png"]
    ds.meta = {"logos": "brand"}
    assert [p.name for p in cc.logo_files(ds)] == ["c.jpg"]


# --------------------------------------------------------------------------- files
def _png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def test_write_cards_in_four_languages_and_three_formats(tmp_path):
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"/>')
    card = fake_scorecard(
        suppress=("labour_o_employed", "labour_o_overqualified", "labour_o_written_contract")
    )
    paths = cc.write_cards(card, tmp_path / "run", areas=AREAS, logos=[logo], as_of="2026-12-01")
    cards = [p for p in paths if p.suffix in (".png", ".pdf")]
    assert len(cards) == len(AREAS) * 4 * 3
    for lang in cc.CARD_LANGUAGES:
        folder = tmp_path / "run" / "cards" / lang
        assert _png_size(folder / "01-health-square.png") == (1080, 1080)
        assert _png_size(folder / "01-health-story.png") == (1080, 1920)
        assert (folder / "03-labour-a4.pdf").read_bytes()[:5] == b"%PDF-"
        page = (folder / "index.html").read_text(encoding="utf-8")
        alt = json.loads((folder / "alt-text.json").read_text(encoding="utf-8"))
        assert set(alt["cards"]) == {"01-health", "03-labour"} and alt["synthetic"] is True
        # every image of the index carries its alt text
        assert page.count("<img ") == len(AREAS) == len(re.findall(r'<img [^>]*alt="[^"]+"', page))
        assert ('class="review"' in page) == (lang in ("uk", "ru"))
    # a suppressed area: no digit in the headline of its card, in any language
    for lang in cc.CARD_LANGUAGES:
        text = cc.card_texts(card, "labour", lang=lang)
        assert not re.search(r"\d", text["frequency"] + text["claim"])


def test_unknown_area_or_language_is_refused(tmp_path):
    with pytest.raises(KeyError, match="nowhere"):
        cc.write_cards(fake_scorecard(), tmp_path, areas=["nowhere"])
    with pytest.raises(ValueError, match="lang"):
        cc.write_cards(fake_scorecard(), tmp_path, langs=("de",))
