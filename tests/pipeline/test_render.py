"""The last steps of a run: started as soon as what they read is written, errors kept."""

import threading

import pytest

from lublin_diagnosis.pipeline.render import Finisher


def test_results_by_name_in_the_order_submitted():
    timing: dict[str, float] = {}
    finisher = Finisher(workers=2, timing=timing)
    for name, value in (("pdf-pl", 1), ("workbook-pl", 2), ("pdf-en", 3), ("cards", 4)):
        assert finisher.submit(name, lambda v=value: v)
    assert "pdf-en" in finisher and "workbook-en" not in finisher
    assert finisher.results() == {"pdf-pl": 1, "workbook-pl": 2, "pdf-en": 3, "cards": 4}
    assert sorted(timing) == ["cards", "pdf", "workbook"]


def test_a_name_runs_once():
    calls = []
    finisher = Finisher(workers=1)
    assert finisher.submit("cards", lambda: calls.append(1))
    assert not finisher.submit("cards", lambda: calls.append(2))
    finisher.results()
    assert calls == [1]


def test_the_first_error_submitted_is_raised_once_all_ended():
    ended = threading.Event()

    def slow_ok():
        ended.wait(5)
        return "ok"

    def fail(kind):
        raise kind("broken")

    finisher = Finisher(workers=3)
    finisher.submit("pdf-pl", lambda: fail(ValueError))
    finisher.submit("cards", slow_ok)
    finisher.submit("pdf-en", lambda: fail(KeyError))
    ended.set()
    with pytest.raises(ValueError, match="broken"):
        finisher.results()


def test_cancel_drops_what_has_not_started():
    started = threading.Event()
    release = threading.Event()
    ran = []

    def first():
        started.set()
        release.wait(5)
        ran.append("first")

    finisher = Finisher(workers=1)
    finisher.submit("a", first)
    finisher.submit("b", lambda: ran.append("b"))
    started.wait(5)
    threading.Timer(0.2, release.set).start()  # "a" still runs while the run is cancelled
    finisher.cancel()
    assert ran == ["first"]
