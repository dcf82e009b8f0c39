"""Follow-up: indicator changes between rounds next to the status of the recommendations."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import followup
from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.indicators.change import CHANGE_COLUMNS, outcome_changes
from lublin_diagnosis.report.i18n import locale_keys
from support import DEMO

needs_texts = pytest.mark.skipif(
    not {"followup.classes.pending", "followup.scopes.city"} <= locale_keys("en"),
    reason="the advocacy locale keys are not merged into lublin_diagnosis/locales yet",
)


def dataset():
    """MOPR: interpreting (R1, implemented 2023-08-31, follow-up answer 2023-09-15),
    information (R2, implemented 2023-11-01, after the follow-up answer of 2023-10-01),
    shelter (no recommendation); MUP: services (R3, issued after its follow-up answer);
    R4 to MUP rests on a survey outcome."""
    recs = pd.DataFrame(
        {
            "rec_id": ["R1", "R2", "R3", "R4"],
            "area": ["social_assistance", "social_assistance", "labour", "labour"],
            "institution_id": ["mopr", "mopr", "mup", "mup"],
            "indicator_ids": [
                "social_assistance_p_interpreting",
                "social_assistance_p_eligibility_info",
                "labour_p_mup_services",
                "labour_o_employed",
            ],
            "text_pl": ["a", "b", "c", "d"],
            "text_en": ["a", "b", "c", "d"],
            "date_issued": pd.to_datetime(["2023-03-01", "2023-03-01", "2023-10-15", "2023-03-01"]),
        }
    )
    status = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R2", "R2", "R3", "R4", "R4"],
            "date": pd.to_datetime(
                [
                    "2023-03-01",
                    "2023-08-31",
                    "2023-03-01",
                    "2023-11-01",
                    "2023-10-15",
                    "2023-03-01",
                    "2023-04-01",
                ]
            ),
            "status": [
                "issued",
                "implemented",
                "issued",
                "implemented",
                "issued",
                "issued",
                "rejected",
            ],
        }
    )
    monitoring = pd.DataFrame(
        {
            "institution_id": ["mopr"] * 6 + ["mup"] * 2,
            "indicator_id": [
                "social_assistance_p_interpreting",
                "social_assistance_p_eligibility_info",
                "domestic_violence_p_shelter_access",
            ]
            * 2
            + ["labour_p_mup_services"] * 2,
            "answer": ["none", "partial", "none", "full", "partial", "partial", "partial", "full"],
            "evidence": ["questionnaire"] * 8,
            "date": pd.to_datetime(
                ["2022-06-01"] * 3
                + ["2023-09-15", "2023-10-01", "2023-10-01", "2022-06-01", "2023-10-01"]
            ),
            "round": [2022] * 3 + [2023] * 3 + [2022, 2023],
        }
    )
    institutions = pd.DataFrame(
        {"institution_id": ["mopr", "mup"], "name_pl": ["MOPR", "MUP"], "name_en": ["MOPR", "MUP"]}
    )
    return SimpleNamespace(
        recommendations=recs,
        status=status,
        opinions=None,
        monitoring=monitoring,
        admin=None,
        institutions=institutions,
        meta={"framework": "lublin-14"},
        data_dir=None,
    )


@pytest.fixture(scope="module")
def demo():
    import lublin_diagnosis as ld

    return ld.load_dataset(DEMO)


def test_implementation_class_takes_the_most_advanced_status():
    assert followup.implementation_class(["in_progress", "implemented"]) == "implemented"
    assert followup.implementation_class(["rejected", "acknowledged"]) == "pending"
    assert followup.implementation_class(["rejected"]) == "rejected"
    assert followup.implementation_class([]) == "none"


def test_monitoring_changes_use_the_change_module():
    ch = followup.monitoring_changes(dataset())
    assert list(ch.columns) == CHANGE_COLUMNS
    mopr = ch[ch["institution"] == "mopr"].set_index("indicator")
    assert mopr.loc["social_assistance_p_interpreting", "score_change"] == 100.0
    assert mopr.loc["social_assistance_p_eligibility_info", "score_change"] == 0.0


def test_status_is_read_at_the_follow_up_measurement():
    table = followup.followup_table(dataset(), followup.monitoring_changes(dataset()))
    row = table.set_index(["institution", "indicator"])
    # implemented before the follow-up answer: credited
    r1 = row.loc[("mopr", "social_assistance_p_interpreting")]
    assert (r1["implementation"], r1["score_change"], r1["rec_ids"]) == ("implemented", 100.0, "R1")
    assert r1["as_of"] == pd.Timestamp("2023-09-15")
    # implemented after the follow-up answer: it could not have moved the score
    assert row.loc[("mopr", "social_assistance_p_eligibility_info"), "implementation"] == "pending"
    assert row.loc[("mopr", "social_assistance_p_eligibility_info"), "status_now"] == "implemented"
    # issued after the follow-up answer: it does not count at all
    assert row.loc[("mup", "labour_p_mup_services"), "implementation"] == "none"
    assert row.loc[("mup", "labour_p_mup_services"), "n_recommendations"] == 1
    # no recommendation: the comparison class
    assert row.loc[("mopr", "domestic_violence_p_shelter_access"), "implementation"] == "none"


def test_status_at_the_reference_date_on_request():
    table = followup.followup_table(
        dataset(), followup.monitoring_changes(dataset()), as_of="reference"
    )
    row = table.set_index(["institution", "indicator"])
    assert (
        row.loc[("mopr", "social_assistance_p_eligibility_info"), "implementation"] == "implemented"
    )
    assert row.loc[("mup", "labour_p_mup_services"), "implementation"] == "pending"
    with pytest.raises(ValueError, match="as_of"):
        followup.followup_table(dataset(), followup.monitoring_changes(dataset()), as_of="now")


def test_a_recommendation_without_an_institution_change_is_kept():
    table = followup.followup_table(dataset(), followup.monitoring_changes(dataset()))
    outcome = table[table["indicator"] == "labour_o_employed"].iloc[0]
    assert (outcome["institution"], outcome["scope"], outcome["rec_ids"]) == ("mup", "none", "R4")
    assert np.isnan(outcome["score_change"]) and outcome["implementation"] == "rejected"
    assert table["institution"].tolist()[:3] == ["mopr"] * 3  # institutions.csv order


def test_survey_changes_carry_their_standard_errors():
    """A second survey round: the outcome's change is city-wide, with se = sqrt(se1² + se2²)."""
    base = pd.DataFrame(
        {
            "area": ["labour"],
            "indicator": ["labour_o_employed"],
            "value": [0.60],
            "se": [0.03],
            "df": [np.inf],
            "n": [400],
            "score": [36.0],
        }
    )
    after = base.assign(value=[0.66], se=[0.04], score=[57.0])
    survey = outcome_changes(base, after, baseline_round=2022, follow_up_round=2023)
    changes = pd.concat([followup.monitoring_changes(dataset()), survey], ignore_index=True)
    table = followup.followup_table(dataset(), changes)
    outcome = table[table["indicator"] == "labour_o_employed"].iloc[0]
    assert outcome["scope"] == "city" and outcome["kind"] == "O"
    assert outcome["se"] == pytest.approx(0.05)
    assert outcome["ci_low"] < outcome["change"] < outcome["ci_high"]
    assert outcome["n_baseline"] == 400


def test_summary_gives_mean_change_and_n_per_class():
    table = followup.followup_table(dataset(), followup.monitoring_changes(dataset()))
    summary = followup.followup_summary(table).set_index("implementation")
    assert summary.loc["implemented", ["n_pairs", "mean_score_change"]].tolist() == [1, 100.0]
    assert summary.loc["none", "n_pairs"] == 2  # shelter, MUP services
    assert summary.loc["none", "mean_score_change"] == pytest.approx(50.0)
    assert "rejected" not in summary.index  # the outcome has no change
    assert summary.index.tolist() == [
        c for c in followup.IMPLEMENTATION_CLASSES if c in summary.index
    ]


def test_summary_leaves_out_suppressed_changes_and_other_kinds():
    table = pd.DataFrame(
        {
            "implementation": ["implemented"] * 3 + ["none"],
            "score_change": [10.0, 30.0, 99.0, -5.0],
            "kind": ["P", "O", "O", "P"],
            "suppressed": [False, False, True, False],
        }
    )
    s = followup.followup_summary(table).set_index("implementation")
    assert s.loc["implemented", "n_pairs"] == 2 and s.loc["implemented", "mean_score_change"] == 20
    assert s.loc["implemented", "se_mean_score_change"] == pytest.approx(
        np.std([10, 30], ddof=1) / np.sqrt(2)
    )
    p_only = followup.followup_summary(table, kinds="P").set_index("implementation")
    assert p_only.loc["implemented", "n_pairs"] == 1


def test_one_round_is_not_enough():
    ds = dataset()
    ds.monitoring = ds.monitoring[ds.monitoring["round"] == 2023]
    with pytest.raises(DataError, match="two monitoring rounds"):
        followup.monitoring_changes(ds)


@needs_texts
def test_labels_in_the_report_language():
    table = followup.followup_table(dataset(), followup.monitoring_changes(dataset()), lang="pl")
    assert set(table["implementation_name"]) >= {"wdrożona", "bez rekomendacji"}
    assert "scope_name" in table.columns and "label" in table.columns
    summary = followup.followup_summary(table, lang="en")
    assert summary["implementation_name"].iloc[0] == "implemented"


def test_demo_every_recommendation_is_in_the_follow_up(demo):
    changes = followup.monitoring_changes(demo)
    table = followup.followup_table(demo, changes)
    listed = {r for cell in table["rec_ids"] for r in cell.split(";") if r}
    assert listed == set(demo.recommendations["rec_id"])
    assert not table.duplicated(["institution", "indicator"]).any()
    summary = followup.followup_summary(table)
    assert summary["n_pairs"].sum() == table["score_change"].notna().sum()
    one = followup.followup_table(demo, changes, institution="mopr")
    assert set(one["institution"]) == {"mopr"} and len(one) > 0
