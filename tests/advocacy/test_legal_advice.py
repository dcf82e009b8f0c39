"""Legal advice: cases by problem, nationality group, outcome and month, every published
count protected; the documented link from problems to framework areas."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import legal_advice as legal
from lublin_diagnosis.data.contracts import SCHEMAS
from lublin_diagnosis.disclosure import DisclosureRules, audit_counts
from lublin_diagnosis.exceptions import DataError, ValidationError
from lublin_diagnosis.framework.model import load_framework
from lublin_diagnosis.report.i18n import locale_keys
from support import DEMO

needs_texts = pytest.mark.skipif(
    not {"legal.problems.work", "legal.cases_axis"} <= locale_keys("en"),
    reason="the advocacy locale keys are not merged into lublin_diagnosis/locales yet",
)


def cases(n: int, seed: int) -> SimpleNamespace:
    """A random case log of ``n`` cases (skewed like the real one)."""
    rng = np.random.default_rng(seed)
    problems = [
        ";".join(
            sorted(
                set(
                    rng.choice(
                        legal.PROBLEMS,
                        size=rng.integers(1, 3),
                        p=[0.3, 0.15, 0.1, 0.1, 0.05, 0.08, 0.07, 0.06, 0.05, 0.04],
                    )
                )
            )
        )
        for _ in range(n)
    ]
    frame = pd.DataFrame(
        {
            "case_id": [f"C{i:03d}" for i in range(n)],
            "date_opened": pd.Timestamp("2022-04-01")
            + pd.to_timedelta(rng.integers(0, 600, n), unit="D"),
            "nationality_group": rng.choice(
                legal.NATIONALITY_GROUPS, n, p=[0.45, 0.2, 0.08, 0.05, 0.05, 0.15, 0.02]
            ),
            "sex": rng.choice(["F", "M"], n),
            "age_group": rng.choice(["18-29", "30-44"], n),
            "problems": problems,
            "outcome": rng.choice(legal.OUTCOMES, n, p=[0.4, 0.3, 0.12, 0.08, 0.1]),
            "n_consultations": rng.integers(1, 5, n),
        }
    )
    return SimpleNamespace(legal_cases=frame)


@pytest.fixture(scope="module")
def demo():
    import lublin_diagnosis as ld

    return ld.load_dataset(DEMO)


def test_the_codes_follow_the_data_contract():
    schema = SCHEMAS["legal_cases"]
    assert legal.PROBLEMS == schema.column("problems").allowed
    assert legal.NATIONALITY_GROUPS == schema.column("nationality_group").allowed
    assert legal.OUTCOMES == schema.column("outcome").allowed


def test_every_problem_is_mapped_to_areas_of_the_framework():
    fw = load_framework()
    mapping = legal.problem_areas(framework=fw)
    assert set(mapping["problem"]) == set(legal.PROBLEMS)
    assert set(mapping["area"].dropna()) <= set(fw.area_ids)
    linked = mapping.groupby("problem")["area"].apply(lambda s: tuple(s.dropna()))
    assert linked["residence"] == ("legal_aid",) and linked["citizenship"] == ("legal_aid",)
    assert linked["work"] == ("labour",) and linked["other"] == ()
    assert linked["family"] == ("domestic_violence", "social_assistance")


def test_a_mapping_to_an_unknown_area_names_the_problem():
    with pytest.raises(DataError, match="problem 'housing' is linked to area 'homes'"):
        legal.problem_areas(mapping={"housing": ("homes",)})


def test_counts_list_every_category_and_count_problem_mentions():
    log = SimpleNamespace(
        legal_cases=pd.DataFrame(
            {
                "case_id": ["C1", "C2", "C3"],
                "date_opened": pd.to_datetime(["2022-04-30", "2022-07-01", "2022-07-31"]),
                "nationality_group": ["UA", "asia", "UA"],
                "problems": ["work;housing", "work", "family"],
                "outcome": ["resolved", "ongoing", "resolved"],
                "n_consultations": [1, 2, 3],
            }
        )
    )
    problems = legal.case_counts(log, "problem")
    assert problems.index.tolist() == list(legal.PROBLEMS) and problems.sum() == 4
    assert problems[["work", "housing", "family", "health"]].tolist() == [2, 1, 1, 0]
    assert legal.case_counts(log, "nationality_group").to_dict()["UA"] == 2
    months = legal.case_counts(log, "month")
    assert months.index.tolist() == ["2022-04", "2022-05", "2022-06", "2022-07"]
    assert months.tolist() == [1, 0, 0, 2] and months.index.name == "month"
    assert legal.case_counts(log, "outcome").name == "count"
    with pytest.raises(ValueError, match="by must be one of"):
        legal.case_counts(log, "sex")


def test_a_code_outside_the_contract_names_the_case():
    log = cases(12, 1)
    log.legal_cases.loc[3, "problems"] = "work;visa"
    log.legal_cases.loc[7, "outcome"] = "won"
    with pytest.raises(ValidationError, match="case C003: problems 'visa'"):
        legal.case_counts(log, "problem")
    with pytest.raises(ValidationError, match="case C007: outcome 'won'"):
        legal.case_counts(log, "outcome")


def test_no_case_log():
    with pytest.raises(DataError, match="no legal-advice case log"):
        legal.case_counts(SimpleNamespace(legal_cases=None), "problem")


def _assert_protected(published, rules):
    """No count from 1 to min_n - 1 is shown, and no suppressed one can be recovered."""
    shown = published["count"].dropna().astype(int)
    assert not ((shown > 0) & (shown < rules.min_n)).any(), published
    assert published.loc[published["suppressed"], "count"].isna().all()
    audit = audit_counts(published, rules)
    assert audit["protected"].all(), audit[~audit["protected"]]


@pytest.mark.parametrize("by", legal.BREAKDOWNS)
def test_demo_tables_are_protected(demo, by):
    rules = DisclosureRules()
    published = legal.protected_case_counts(demo, by, rules=rules)
    _assert_protected(published, rules)
    total = published.loc[published["cell"] == "total", "count"].iloc[0]
    expected = len(demo.legal_problems()) if by == "problem" else len(demo.legal_cases)
    assert total == expected


@pytest.mark.parametrize(
    "seed, n, min_n", [(1, 60, 10), (2, 60, 5), (3, 25, 10), (4, 120, 3), (5, 8, 10)]
)
def test_random_case_logs_are_protected(seed, n, min_n):
    rules = DisclosureRules(min_n=min_n, low_n=max(min_n, 30))
    log = cases(n, seed)
    for by in legal.BREAKDOWNS:
        _assert_protected(legal.protected_case_counts(log, by, rules=rules), rules)


def test_case_summary_hides_a_handful_of_cases():
    summary = legal.case_summary(cases(60, 1)).iloc[0]
    assert summary["n_cases"] == 60 and not summary["suppressed"]
    small = legal.case_summary(cases(6, 1)).iloc[0]
    assert (
        small["suppressed"] and pd.isna(small["n_cases"]) and pd.isna(small["n_problem_mentions"])
    )
    assert np.isnan(small["mean_consultations"])


@pytest.mark.parametrize("in_first_month", [1, 9, 10, 30])
def test_exact_first_and_last_dates_only_when_their_month_is_published(in_first_month):
    rules = DisclosureRules()  # min_n 10
    dates = ["2022-04-05"] * in_first_month + ["2022-05-10"] * 20 + ["2022-06-30"]
    log = SimpleNamespace(
        legal_cases=pd.DataFrame(
            {
                "case_id": [f"C{i}" for i in range(len(dates))],
                "problems": "work",
                "n_consultations": 1,
                "date_opened": pd.to_datetime(dates),
            }
        )
    )
    summary = legal.case_summary(log, rules=rules).iloc[0]
    months = legal.protected_case_counts(log, "month", rules=rules).set_index("month")
    first_hidden = bool(months.loc["2022-04", "suppressed"])
    assert first_hidden == (in_first_month < 20)  # 10: the complement of June's 1
    if first_hidden:
        assert summary["first_period"] == "2022-04" and pd.isna(summary["first_case"])
    else:
        assert summary["first_period"] == "2022-04-05"
        assert summary["first_case"] == pd.Timestamp("2022-04-05")
    # one case in the last month: never its day
    assert summary["last_period"] == "2022-06" and pd.isna(summary["last_case"])


@needs_texts
def test_labels_in_the_report_language_and_the_chart_shows_only_published_counts(demo):
    import matplotlib.pyplot as plt

    counts = legal.case_counts(demo, "problem", lang="pl")
    assert counts.index.name == "problem_name" and counts.index[0] == "pobyt i status prawny"
    published = legal.protected_case_counts(demo, "problem", lang="en")
    fig = legal.plot_case_counts(published, lang="en", title="Cases by problem")
    try:
        bars = [p for p in fig.axes[0].patches if p.get_width() > 0]
        shown = published[
            (published["cell"] == "cell") & ~published["suppressed"] & (published["count"] > 0)
        ]
        assert sorted(b.get_width() for b in bars) == sorted(shown["count"].astype(float))
    finally:
        plt.close(fig)
    mapping = legal.problem_areas(lang="pl")
    assert mapping.loc[mapping["problem"] == "work", "area_name"].iloc[0] == "Rynek pracy"
