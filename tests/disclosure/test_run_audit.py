"""The run-wide disclosure audit: each cross-table attack is found on hand-made tables (each
check mutation-tested: a relaxed bound, an always-exact or never-exact base, a disabled
check all fail a test here), and a small pipeline run (data checks, weighting, one area,
legal advice, the summary; the ``diagnosis_run`` of conftest.py) gives nothing away."""

from __future__ import annotations

import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules
from lublin_diagnosis.disclosure.run_audit import FINDING_COLUMNS, audit_run, audit_tables
from lublin_diagnosis.report.i18n import locale_keys, t

RULES = DisclosureRules()


def sample(**counts: int) -> pd.DataFrame:
    labels = [*counts, "Total"]
    values = [*counts.values(), sum(counts.values())]
    kinds = ["cell"] * len(counts) + ["total"]
    return pd.DataFrame(
        {"category": labels, "cell": kinds, "count": values, "suppressed": False, "flags": ""}
    )


def disparities(n: list, hidden: list | None = None, flags: list | None = None) -> pd.DataFrame:
    hidden = hidden or [False] * len(n)
    return pd.DataFrame(
        {
            "indicator": "x",
            "by": "v",
            "group_label": ["A", "B", "C"][: len(n)],
            "n": n,
            "suppressed": hidden,
            "flags": flags or ["suppressed" if h else "" for h in hidden],
        }
    )


def checks(found: pd.DataFrame) -> list[tuple]:
    return sorted(zip(found["table"], found["check"], strict=True))


def test_a_group_base_off_its_sample_count_by_1_to_9_is_found_when_exact():
    tables = {"sample-v": sample(A=700, B=500), "disp": disparities([697, 480])}
    found = audit_tables(tables, RULES)
    assert list(found.columns) == list(FINDING_COLUMNS)
    assert checks(found) == [("disp", "difference")]
    assert found.iloc[0][["row", "lower", "upper"]].tolist() == [2, 3.0, 3.0]
    # a difference of min_n is not small, 0 describes nobody, min_n - 1 is found
    three = {"sample-v": sample(A=700, B=500, C=300), "disp": disparities([690, 500, 291])}
    found = audit_tables(three, RULES)
    assert found[["row", "upper"]].values.tolist() == [[4, 9.0]]


def test_rounded_bases_pin_no_difference():
    tables = {"sample-v": sample(A=700, B=500), "disp": disparities([695, 480])}
    assert audit_tables(tables, RULES).empty  # 695 on the grid of 5: 697 could be 695..699


def test_the_sample_size_minus_an_indicator_base():
    indicators = pd.DataFrame({"indicator": ["x"], "n": [1193], "suppressed": [False]})
    found = audit_tables({"sample-v": sample(A=700, B=500), "ind": indicators}, RULES)
    assert checks(found) == [("ind", "difference")] and found.iloc[0]["upper"] == 7


def test_a_count_under_min_n_published_directly():
    response = pd.DataFrame(
        {"variable": list("abcde"), "answered": [1191, 1190, 1200, 1199, 0],
         "missing": [9, 10, 0, 1, 1200], "suppressed": False}
    )  # fmt: skip
    found = audit_tables({"item-response": response}, RULES)
    assert checks(found) == [("item-response", "direct")] * 2
    assert found[["row", "column"]].values.tolist() == [[2, "missing"], [5, "missing"]]
    shown_anyway = response.assign(suppressed=[True, False, False, False, False])
    found = audit_tables({"item-response": shown_anyway}, RULES)
    assert "suppressed row" in found.iloc[0]["message"]  # a suppressed row shows a number


def test_a_hidden_group_base_recovered_from_the_indicator_base():
    indicators = pd.DataFrame({"indicator": ["x"], "n": [1004], "suppressed": [False]})
    tables = {"ind": indicators, "disp": disparities([500, None, 500], [False, True, False])}
    found = audit_tables(tables, RULES)
    assert ("disp", "partition") in checks(found)
    hidden_pair = disparities(
        [None, None, 500], [True, True, False], ["suppressed", "secondary_suppression", ""]
    )
    hidden_pair.loc[0, "n"] = None
    safe = {"ind": indicators.assign(n=[520]), "disp": hidden_pair}
    assert audit_tables(safe, RULES).empty  # 20 between a primary and a secondary cell


def test_full_precision_design_weighted_totals():
    margins = pd.DataFrame(
        {"variable": ["sex", "sex"], "target": [34300.0, 27500.0], "base": [32658.6, 25341.4]}
    )
    tables = {"sample-sex": sample(F=682, M=518), "weighting-margins": margins}
    assert checks(audit_tables(tables, RULES)) == [("weighting-margins", "weights")] * 2
    tables["weighting-margins"] = margins.assign(base=[33000.0, 25000.0])
    assert audit_tables(tables, RULES).empty


def test_an_exact_date_in_a_suppressed_month():
    months = pd.DataFrame(
        {"month": ["2022-04", "2022-05"], "cell": "cell", "count": [None, 30],
         "suppressed": [True, False], "flags": ["suppressed", ""]}
    )  # fmt: skip
    pages = {"legal-advice.html": "Between 2022-04-05 and 2022-05-31 it opened"}
    found = audit_tables({"legal-months": months}, RULES, pages=pages)
    assert (
        checks(found) == [("legal-advice.html", "date")]
        and "2022-04-05" in found.iloc[0]["message"]
    )
    pages = {"legal-advice.html": "Between 2022-04 and 2022-05-31 it opened"}
    assert audit_tables({"legal-months": months}, RULES, pages=pages).empty


# --------------------------------------------------------------------------- a real run
def columns_for(lang: str) -> dict[str, str]:
    keys = sorted(k for k in locale_keys(lang) if k.startswith("columns."))
    return {t(k, lang): k.split(".", 1)[1] for k in keys}


def cells_for(lang: str) -> dict[str, str]:
    keys = sorted(k for k in locale_keys(lang) if k.startswith("cells."))
    return {t(k, lang): k.split(".", 1)[1] for k in keys}


def test_a_small_run_gives_no_count_away(diagnosis_run):
    """The diagnosis run of the demo (conftest.py), shared with tests/pipeline; every
    language folder is audited."""
    assert {p.name for p in diagnosis_run.iterdir() if (p / "tables").is_dir()} == {"pl", "en"}
    tables = sorted(p.stem for p in (diagnosis_run / "en" / "tables").glob("*.csv"))
    for name in (
        "sample-citizenship",
        "item-response",
        "weighting-margins",
        "area-health-disparities",
        "legal-months",
    ):
        assert name in tables
    found = audit_run(diagnosis_run, columns_for=columns_for, cells_for=cells_for)
    assert found.empty, found.to_string()
