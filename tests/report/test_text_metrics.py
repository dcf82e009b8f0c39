"""Text measurements shared between figures: same bytes, fewer measurements."""

import io

import matplotlib.pyplot as plt
import matplotlib.text as mtext
import pytest

from lublin_diagnosis.report import text_metrics
from lublin_diagnosis.report.plots import report_style
from lublin_diagnosis.report.text_metrics import measured, shared_text_metrics


def _figure():
    with report_style():
        fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
        ax.barh(["Zażółć gęślą jaźń", "Ochrona zdrowia", "Mieszkalnictwo"], [30, 55, 70])
        ax.set_title("Wyniki wskaźników: migranci i migrantki")
        ax.set_xlabel("Wynik (0–100)")
    return fig


def _files(fig):
    """The figure as PNG at two resolutions, SVG and PDF, without dates."""
    out = []
    no_dates = {"png": None, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    for fmt, dpi in (("png", 100), ("png", 150), ("svg", 100), ("pdf", 72)):
        buf = io.BytesIO()
        with plt.rc_context({"svg.hashsalt": "x"}):
            fig.savefig(buf, format=fmt, dpi=dpi, metadata=no_dates[fmt])
        out.append(buf.getvalue())
    plt.close(fig)
    return out


def test_figures_are_byte_identical_with_shared_measurements():
    plain = _files(_figure())
    with shared_text_metrics():
        first = _files(_figure())
        again = _files(_figure())  # measured from the shared cache
    assert first == plain
    assert again == plain


def test_texts_are_measured_once_across_figures():
    with shared_text_metrics():
        _files(_figure())
        before = measured()
        _files(_figure())
        assert measured() == before  # nothing new to measure


def test_matplotlib_function_is_restored_and_blocks_nest():
    original = mtext._get_text_metrics_function
    with shared_text_metrics():
        with shared_text_metrics():
            assert mtext._get_text_metrics_function is not original
        assert mtext._get_text_metrics_function is not original  # outer block still open
    assert mtext._get_text_metrics_function is original


def test_restored_after_an_error():
    original = mtext._get_text_metrics_function
    with pytest.raises(ZeroDivisionError), shared_text_metrics():
        raise ZeroDivisionError
    assert mtext._get_text_metrics_function is original


def test_a_matplotlib_without_the_hook_is_left_alone(monkeypatch):
    monkeypatch.setattr(mtext, "_get_text_metrics_function", None)
    with shared_text_metrics():
        assert mtext._get_text_metrics_function is None
    assert mtext._get_text_metrics_function is None


def test_a_full_cache_is_emptied_not_grown(monkeypatch):
    monkeypatch.setattr(text_metrics, "LIMIT", 3)
    monkeypatch.setattr(text_metrics, "_caches", {})
    monkeypatch.setattr(text_metrics, "_functions", text_metrics.weakref.WeakKeyDictionary())
    with shared_text_metrics():
        _files(_figure())
    assert all(len(c) <= 3 for c in text_metrics._caches.values())
