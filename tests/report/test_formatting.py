"""The one formatter: separators, minus, precision, percentages, points, p-values, years,
dates and plural agreement, at their boundaries."""

import math

import pandas as pd
import pytest

from lublin_diagnosis.report import formatting as f
from lublin_diagnosis.report.i18n import t

NBSP, MINUS = "\u00a0", "\u2212"


def test_thousands_use_a_no_break_space_and_minus_is_true():
    assert f.number(1148.5, "pl", digits=1) == f"1{NBSP}148,5"
    assert f.number(-1148.5, "en", digits=1) == f"{MINUS}1,148.5"
    assert "\u2009" not in f.number(12345678, "pl")


@pytest.mark.parametrize("value", [-0.0, -0.0004, -1e-12])
def test_no_negative_zero(value):
    assert f.number(value, "pl", digits=3) == "0,000"
    assert f.points(value, "en") == f"0.0{NBSP}pp"


def test_missing_values_are_a_dash():
    for value in (None, pd.NA, math.nan, math.inf, -math.inf):
        assert f.number(value, "pl") == f.DASH
        assert f.percent(value, "pl") == f.DASH
        assert f.p_value(value, "en") == f.DASH


def test_percent_and_points():
    assert f.percent(0.3234, "pl") == "32,3%"
    assert f.percent(1, "en", digits=0) == "100%"
    assert f.points(0.323, "pl") == f"+32,3{NBSP}p.p."
    assert f.points(-0.05, "pl") == f"{MINUS}5,0{NBSP}p.p."


def test_p_values():
    assert f.p_value(0.0, "pl") == f"<{NBSP}0,001"
    assert f.p_value(0.000999, "en") == f"<{NBSP}0.001"
    assert f.p_value(0.001, "en") == "0.001"
    assert f.p_value(0.0456, "pl") == "0,046"


def test_years_and_dates():
    assert f.year(2022) == "2022" and f.year(2022.0) == "2022"
    assert t("area.change_intro", "pl", before=2022, after=2023).count("2022") == 1
    assert f.date("2023-12-11", "pl") == f"11 grudnia 2023{NBSP}r."
    assert f.date("2023-01-01", "pl") == f"1 stycznia 2023{NBSP}r."
    assert f.date(pd.Timestamp("2023-12-11"), "en") == "11 December 2023"
    assert f.date(None, "en") == f.DASH


def test_one_precision_per_column():
    assert f.column([0.5, 0.123456, 0.1], "en") == ["0.500", "0.123", "0.100"]
    assert f.column([12.0, 7.26, 80.5], "pl") == ["12,0", "7,3", "80,5"]
    assert f.column([3, 40, None], "pl") == ["3", "40", f.DASH]
    assert f.column_digits([]) == 0


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (0, "zmian"),
        (1, "zmiana"),
        (2, "zmiany"),
        (4, "zmiany"),
        (5, "zmian"),
        (12, "zmian"),
        (22, "zmiany"),
        (23, "zmiany"),
        (25, "zmian"),
        (112, "zmian"),
        (122, "zmiany"),
    ],
)
def test_polish_plural_agreement(n, word):
    assert f.counted(n, "pl", one="zmiana", few="zmiany", many="zmian") == f"{n}{NBSP}{word}"


def test_spec_of_the_locale_texts():
    assert f.format_spec(1200, ",", "en") == "1,200"
    assert f.format_spec(1200, "", "pl") == "1200"
    assert f.format_spec(-3.14159, ".2f", "pl") == f"{MINUS}3,14"
    assert f.format_spec(0.3, ".0%", "pl") == "30%"
    with pytest.raises(ValueError, match="lang must be one of"):
        f.number(1, "de")


def test_data_files_keep_the_precision_a_column_carries():
    import pandas as pd

    from lublin_diagnosis.report.formatting import rounded_for_file

    frame = pd.DataFrame(
        {
            "share": [0.47255705463923386, 0.1, None],
            "score": [29.777116263186304, 100.0, 0.0],
            "n": [1148, 30, 10],
            "mixed": [1200.0, 61760.00000000001, 0.6191234567],
            "ok": [True, False, True],
        }
    )
    out = rounded_for_file(frame)
    assert out["share"].tolist()[:2] == [0.47256, 0.1] and pd.isna(out["share"].iloc[2])
    assert out["score"].tolist() == [29.777, 100.0, 0.0]
    assert out["mixed"].tolist() == [1200.0, 61760.0, 0.619123]
    pd.testing.assert_frame_equal(out[["n", "ok"]], frame[["n", "ok"]])


def test_one_full_stop_after_an_abbreviation_ending_a_sentence():
    from lublin_diagnosis.report.i18n import t

    text = t("institution.intro", "pl", areas="zdrowie", round=2023, date="11 grudnia 2023 r.")
    assert text.endswith("2023 r.") and "r.." not in text
