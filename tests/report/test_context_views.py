"""Context tables, sources and labels: escaped, in the page's language, no raw codes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from lublin_diagnosis.report import context_plots, context_views
from lublin_diagnosis.report.i18n import locale_keys


def _public(**changes):
    row = {
        "theme": "education",
        "indicator": "foreign_students",
        "territory": "lublin",
        "group": None,
        "date": pd.Timestamp("2021-10-01"),
        "value": 8300.0,
        "unit": "persons",
        "status": "real",
        "source_title": "A report",
        "publisher": "A paper",
        "url": "https://x.pl/a",
        "retrieved": pd.Timestamp("2026-12-01"),
        "note": None,
    }
    row.update(changes)
    return pd.DataFrame([row])


def test_sources_note_escapes_hostile_text_and_links_only_http():
    rows = _public(
        source_title="<script>alert(1)</script>",
        publisher="[x](javascript:y)",
        url='https://x.pl/"><img/src=x/onerror=alert(1)>',
    )
    text = context_views.sources_note(rows, "pl")
    assert "<script>" not in text and "](javascript" not in text
    assert '">' not in text and "<img" not in text
    assert "<https://x.pl/%22%3E%3Cimg/src=x/onerror=alert(1)%3E>" in text
    spaced = context_views.sources_note(_public(url="https://x.pl/a b"), "en")
    assert "<https" not in spaced  # not a link: shown as escaped text


def test_synthetic_sources_say_so_in_the_language_of_the_page():
    rows = pd.concat([_public(status="synthetic"), _public(status="synthetic", value=1.0)])
    assert "Liczby syntetyczne" in context_views.sources_note(rows, "pl")
    assert "2\xa0liczby" in context_views.sources_note(rows, "pl")
    assert "Synthetic figures" in context_views.sources_note(rows, "en")


def test_labels_come_from_the_locale_files():
    assert context_views.group_name("citizenship=UA", "pl") == "obywatelstwo: Ukraina"
    assert context_views.group_name(None, "en") == "Total"
    assert context_views.territory_name("wroclaw", "pl") == "Wrocław"
    assert [context_views.figures_count(n, "pl") for n in (1, 3, 5, 22)] == [
        "1\xa0liczba",
        "3\xa0liczby",
        "5\xa0liczb",
        "22\xa0liczby",
    ]
    table = context_views.public_table(_public(), "pl")
    assert table.loc[0, "status_name"] == "dane prawdziwe"
    assert table.loc[0, "date"] == "1 października 2021\xa0r."


def test_context_locales_have_the_same_keys():
    pl = {k for k in locale_keys("pl") if k.split(".")[0] in ("context", "peers", "trends")}
    en = {k for k in locale_keys("en") if k.split(".")[0] in ("context", "peers", "trends")}
    assert pl == en and len(pl) > 100


def test_peer_bars_highlight_the_city_and_hatch_synthetic_figures():
    frame = pd.DataFrame(
        {
            "label": ["Lublin", "Gdańsk"],
            "value": [48.0, 57.0],
            "status": ["synthetic", "real"],
            "city": ["lublin", "gdansk"],
        }
    )
    fig = context_plots.plot_bars(
        frame, lang="en", key="city", highlight="lublin", peers=["gdansk"]
    )
    bars = fig.axes[0].patches
    assert bars[0].get_hatch() == "///" and bars[1].get_hatch() is None
    plt.close(fig)


def test_sources_are_in_the_page_language_where_the_data_give_them(injected_run):
    # the demo names its sources in English (source) and in Polish (source_pl)
    for page, polish, english in (
        ("trends.html", "SYNTETYCZNE: odpowiedzi zakodowane", "SYNTHETIC: answers coded"),
        ("peers.html", "SYNTETYCZNE: wyniki miast", "SYNTHETIC: invented peer-city"),
        ("context.html", "SYNTETYCZNE: na wzór rejestracji", "SYNTHETIC: shaped on PESEL"),
    ):
        pl = (injected_run / "pl" / page).read_text(encoding="utf-8")
        en = (injected_run / "en" / page).read_text(encoding="utf-8")
        assert polish in pl and english not in pl, page
        assert english in en and polish not in en, page
