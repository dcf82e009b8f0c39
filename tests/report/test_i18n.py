"""The locale texts a notebook reads are recorded (in the pipeline's kernels), so the run
cache re-executes a notebook only when one of them changed."""

import pandas as pd
import pytest

from lublin_diagnosis.report import i18n
from lublin_diagnosis.report.i18n import (
    current_texts,
    every_text_used,
    forget_texts_used,
    has_text,
    locale_keys,
    localise_columns,
    md,
    t,
    texts_changed,
    texts_used,
)


@pytest.fixture()
def recording(monkeypatch):
    """Record as a pipeline kernel does (RECORD_ENV set when the module was imported)."""
    monkeypatch.setattr(i18n, "_used", {})


def test_not_recording_outside_a_kernel():
    t("columns.estimate", "pl")
    assert texts_used() == {}


def test_every_way_of_reading_a_text_is_recorded(recording):
    t("columns.estimate", "pl")
    md("report.synthetic_short", "en")
    assert not has_text("no.such.text", "en")
    localise_columns(pd.DataFrame({"estimate": [1.0], "n": [3]}), "en", keep=["n"])
    with pytest.raises(KeyError):
        t("no.such.key", "pl")
    assert texts_used() == {
        "pl": {"columns.estimate": "Oszacowanie", "no.such.key": None},
        "en": {
            "report.synthetic_short": "SYNTHETIC DATA",
            "no.such.text": None,
            "columns.estimate": "Estimate",
        },
    }
    forget_texts_used()
    assert texts_used() == {}
    locale_keys("en")  # a list of every key depends on every text
    assert list(texts_used()["en"]) == ["*"]


def test_texts_changed_names_the_texts_that_read_differently(recording):
    t("columns.estimate", "en")
    has_text("columns.not_yet", "en")
    used = texts_used()
    now = {"en": current_texts("en")}
    assert texts_changed(used, now) == []
    # an edit to a text the notebook never read: nothing to re-execute
    other = {"en": {**now["en"], "columns.se": "Std. error"}}
    assert texts_changed(used, other) == []
    edited = {"en": {**now["en"], "columns.estimate": "Point estimate"}}
    assert texts_changed(used, edited) == ["en:columns.estimate"]
    added = {"en": {**now["en"], "columns.not_yet": "Now there"}}  # a missing text appears
    assert texts_changed(used, added) == ["en:columns.not_yet"]
    # a record of every text: any edit counts
    assert texts_changed(every_text_used("en"), now) == []
    assert texts_changed(every_text_used("en"), other) == ["en:*"]


def test_a_data_text_is_shown_in_the_page_language_where_the_data_give_it():
    from lublin_diagnosis.report.i18n import in_language

    frame = pd.DataFrame(
        {"source": ["register", None, "report"], "source_pl": ["rejestr", "raport", "  "]}
    )
    assert in_language(frame, "source", "pl").tolist() == ["rejestr", "raport", "report"]
    assert in_language(frame, "source", "en").tolist() == ["register", "", "report"]
    assert in_language(frame[["source_pl"]], "source", "en").tolist() == ["", "", ""]
    assert in_language(frame.iloc[:0], "source", "pl").tolist() == []
    with pytest.raises(ValueError):
        in_language(frame, "source", "de")
