"""The recommendations register: status as of a date, time in status, implementation rates,
the indicators behind each recommendation, the consultation group's opinions, the timeline."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lublin_diagnosis.advocacy import recommendations as recs
from lublin_diagnosis.exceptions import DataError, ValidationError
from lublin_diagnosis.report.i18n import locale_keys
from support import DEMO

needs_texts = pytest.mark.skipif(
    not {"statuses.implemented", "opinions.support", "recommendations.timeline_axis"}
    <= locale_keys("en"),
    reason="the advocacy locale keys are not merged into lublin_diagnosis/locales yet",
)


def register(*, recs_rows=None, status_rows=None, opinion_rows=None, institutions=None):
    """A small register: R1 (mopr) implemented, R2 (mup) in progress, R3 (mup) rejected,
    R4 (mopr) partially implemented, issued late."""
    recs_rows = recs_rows or [
        ("R1", "social_assistance", "mopr", "social_assistance_p_interpreting", "2023-03-01"),
        ("R2", "labour", "mup", "labour_p_mup_services", "2023-03-01"),
        ("R3", "labour", "mup", "labour_p_recognition", "2023-03-01"),
        ("R4", "housing", "mopr", "housing_p_info;housing_o_overcrowded", "2023-06-01"),
    ]
    status_rows = status_rows or [
        ("R1", "2023-03-01", "issued"),
        ("R1", "2023-04-01", "in_progress"),
        ("R1", "2023-05-01", "in_progress"),
        ("R1", "2023-08-31", "implemented"),
        ("R2", "2023-03-01", "issued"),
        ("R2", "2023-03-10", "acknowledged"),
        ("R2", "2023-03-10", "in_progress"),
        ("R3", "2023-03-01", "issued"),
        ("R3", "2023-07-01", "rejected"),
        ("R4", "2023-06-01", "issued"),
        ("R4", "2023-09-15", "partially_implemented"),
    ]
    opinion_rows = (
        opinion_rows
        if opinion_rows is not None
        else [
            ("R1", "CG01", "2023-02-01", "amend", "Dodać angielski.", "Add English."),
            ("R1", "CG01", "2023-02-20", "support", None, None),
            ("R1", "CG02", "2023-02-01", "amend", "Dodać angielski.", "Add English."),
            ("R1", "CG03", "2023-02-01", "support", "Bardzo potrzebne.", None),
            ("R2", "CG02", "2023-02-01", "reject", None, "Not urgent."),
            ("R4", "CG04", "2023-10-01", "support", None, None),
        ]
    )
    frame = pd.DataFrame(
        recs_rows, columns=["rec_id", "area", "institution_id", "indicator_ids", "date_issued"]
    )
    frame["date_issued"] = pd.to_datetime(frame["date_issued"])
    frame["text_pl"] = frame["rec_id"] + " po polsku"
    frame["text_en"] = frame["rec_id"] + " in English"
    status = pd.DataFrame(status_rows, columns=["rec_id", "date", "status"])
    status["date"] = pd.to_datetime(status["date"])
    opinions = pd.DataFrame(
        opinion_rows, columns=["rec_id", "member", "date", "opinion", "comment_pl", "comment_en"]
    )
    opinions["date"] = pd.to_datetime(opinions["date"])
    institutions = (
        institutions
        if institutions is not None
        else pd.DataFrame(
            {
                "institution_id": ["mopr", "mup", "zus"],
                "name_pl": ["MOPR", "MUP", "ZUS"],
                "name_en": ["Family centre", "Labour office", "Social insurance"],
            }
        )
    )
    return SimpleNamespace(
        recommendations=frame,
        status=status,
        opinions=opinions,
        institutions=institutions,
        meta={"framework": "lublin-14"},
        data_dir=None,
    )


@pytest.fixture(scope="module")
def demo():
    import lublin_diagnosis as ld

    return ld.load_dataset(DEMO)


# --------------------------------------------------------------------------- reference date
def test_reference_date_defaults_to_the_latest_date_in_the_register():
    ds = register()
    assert recs.resolve_reference_date(ds) == pd.Timestamp("2023-10-01")  # an opinion
    assert recs.resolve_reference_date(ds, "") == pd.Timestamp("2023-10-01")
    ds.opinions = ds.opinions.iloc[:0]
    assert recs.resolve_reference_date(ds) == pd.Timestamp("2023-09-15")  # a status change


@pytest.mark.parametrize("value", ["15.09.2023", "2023-13-01", "2023/09/15", 20230915])
def test_a_bad_reference_date_names_the_parameter(value):
    with pytest.raises(ValueError, match="reference_date"):
        recs.resolve_reference_date(register(), value)


def test_a_reference_date_before_the_first_recommendation_is_refused():
    with pytest.raises(ValueError, match="before the first recommendation"):
        recs.resolve_reference_date(register(), "2022-12-31")


# --------------------------------------------------------------------------- status
def test_status_and_time_in_status_at_the_latest_date():
    st = recs.recommendation_status(register()).set_index("rec_id")
    assert st["status"].to_dict() == {
        "R1": "implemented",
        "R2": "in_progress",
        "R3": "rejected",
        "R4": "partially_implemented",
    }
    ref = pd.Timestamp("2023-10-01")
    assert (st["reference_date"] == ref).all()
    assert st.loc["R1", "days_in_status"] == (ref - pd.Timestamp("2023-08-31")).days
    # two changes on one day: the later row in file order is the status
    assert st.loc["R2", "status_since"] == pd.Timestamp("2023-03-10")
    assert st.loc["R2", "n_changes"] == 2
    assert st.loc["R4", "days_since_issued"] == (ref - pd.Timestamp("2023-06-01")).days


def test_time_in_status_counts_from_the_start_of_an_unbroken_run():
    st = recs.recommendation_status(register(), reference_date="2023-06-30").set_index("rec_id")
    # R1 was in progress from 1 April; a second in_progress row on 1 May does not restart it
    assert st.loc["R1", "status"] == "in_progress"
    assert st.loc["R1", "status_since"] == pd.Timestamp("2023-04-01")
    assert st.loc["R1", "days_in_status"] == 90


def test_recommendations_issued_after_the_reference_date_are_left_out():
    st = recs.recommendation_status(register(), reference_date="2023-05-15")
    assert st["rec_id"].tolist() == ["R1", "R2", "R3"]
    assert st.set_index("rec_id").loc["R3", "status"] == "issued"


def test_status_is_reproducible_and_never_uses_the_day_of_the_run():
    a = recs.recommendation_status(register())
    b = recs.recommendation_status(register())
    pd.testing.assert_frame_equal(a, b)
    assert a["reference_date"].iloc[0] < pd.Timestamp("2024-01-01")


def test_status_of_one_institution():
    st = recs.recommendation_status(register(), institution="mup")
    assert st["rec_id"].tolist() == ["R2", "R3"]


# --------------------------------------------------------------------------- rates
def test_implementation_rate_counts_partial_as_half_and_rejected_in_the_denominator():
    overall = recs.implementation_rates(register(), by=None).iloc[0]
    assert overall["n_recommendations"] == 4
    assert overall["implementation_rate"] == pytest.approx((1 + 0.5) / 4)
    by_inst = recs.implementation_rates(register(), by="institution").set_index("institution")
    assert by_inst.index.tolist() == ["mopr", "mup"]  # order of institutions.csv
    assert by_inst.loc["mopr", "implementation_rate"] == pytest.approx(0.75)
    assert by_inst.loc["mup", "implementation_rate"] == 0.0
    counts = by_inst[list(recs.STATUSES)].sum(axis=1)
    assert (counts == by_inst["n_recommendations"]).all()


def test_implementation_rate_by_area_follows_the_framework_order():
    by_area = recs.implementation_rates(register(), by="area")
    assert by_area["area"].tolist() == ["labour", "housing", "social_assistance"]
    with pytest.raises(ValueError, match="by must be"):
        recs.implementation_rates(register(), by="member")


# --------------------------------------------------------------------------- opinions
def test_each_members_latest_opinion_counts_once():
    ops = recs.opinion_summary(register()).set_index("rec_id")
    # CG01 first asked to amend R1, then supported it
    assert ops.loc["R1", ["n_opinions", "support", "amend", "reject"]].tolist() == [3, 2, 1, 0]
    assert ops.loc["R1", "share_support"] == pytest.approx(2 / 3)
    assert ops.loc["R3", "n_opinions"] == 0 and np.isnan(ops.loc["R3", "share_support"])


def test_opinions_after_the_reference_date_are_ignored():
    ops = recs.opinion_summary(register(), reference_date="2023-09-30").set_index("rec_id")
    assert ops.loc["R4", "n_opinions"] == 0


@needs_texts
def test_comments_in_the_report_language_fall_back_to_the_other_marked():
    en = recs.opinion_comments(register(), "en")
    assert en.to_dict("list") == {
        "rec_id": ["R1", "R1", "R2"],
        "opinion": ["support", "amend", "reject"],
        "opinion_name": ["support", "amend", "reject"],
        "comment": ["[pl] Bardzo potrzebne.", "Add English.", "Not urgent."],
    }
    pl = recs.opinion_comments(register(), "pl")
    assert "[en] Not urgent." in pl["comment"].tolist()
    assert not {"member", "date"} & set(en.columns)  # members are never shown


# --------------------------------------------------------------------------- checks
def test_every_broken_reference_is_reported_at_once_naming_the_record():
    ds = register()
    ds.recommendations.loc[1, "institution_id"] = "nowhere"
    ds.status = pd.concat(
        [
            ds.status[ds.status["rec_id"] != "R3"],
            pd.DataFrame(
                {"rec_id": ["R9"], "date": [pd.Timestamp("2023-05-01")], "status": ["issued"]}
            ),
        ],
        ignore_index=True,
    )
    ds.opinions.loc[0, "opinion"] = "maybe"
    with pytest.raises(ValidationError) as err:
        recs.recommendation_status(ds)
    text = str(err.value)
    rules = sorted(p.rule for p in err.value.problems)
    assert rules == ["allowed", "status_issued", "unknown_institution", "unknown_rec_id"]
    assert "recommendation R2 is addressed to institution 'nowhere'" in text
    assert "R3 has no 'issued' status row" in text and "R9" in text
    assert isinstance(err.value, DataError)


def test_a_dataset_without_the_register_says_so():
    ds = register()
    ds.recommendations = None
    with pytest.raises(DataError, match="no recommendations register"):
        recs.recommendation_status(ds)


# --------------------------------------------------------------------------- timeline
def test_timeline_segments_cover_each_history_without_gaps():
    tl = recs.status_timeline(register())
    ref = pd.Timestamp("2023-10-01")
    for _rec, part in tl.groupby("rec_id"):
        assert (part["start"].iloc[1:].to_numpy() == part["end"].iloc[:-1].to_numpy()).all()
        assert part["end"].iloc[-1] == ref and part["current"].iloc[-1]
        assert part["days"].sum() == (ref - part["start"].iloc[0]).days
    assert (tl["days"] >= 0).all()


@needs_texts
def test_timeline_chart_fits_a_page_with_one_row_per_recommendation():
    import matplotlib.pyplot as plt

    tl = recs.status_timeline(register(), lang="en")
    fig = recs.plot_timeline(tl, lang="en", label="label", title="Timeline")
    try:
        ax = fig.axes[0]
        assert [t.get_text() for t in ax.get_yticklabels()][0] == "R1 · Family centre"
        assert len(ax.get_yticklabels()) == 4
        assert fig.get_size_inches()[0] * 2.54 <= 17
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert "partially implemented" in legend and "rejected" in legend
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- indicators
def fake_scorecard():
    cols = [
        "area",
        "indicator",
        "kind",
        "institution",
        "round",
        "answer",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "score",
        "suppressed",
        "low_reliability",
        "flags",
    ]
    rows = [
        (
            "social_assistance",
            "social_assistance_p_interpreting",
            "P",
            None,
            2023,
            None,
            75.0,
            np.nan,
            np.nan,
            pd.NA,
            75.0,
            False,
            False,
            "",
        ),
        (
            "social_assistance",
            "social_assistance_p_interpreting",
            "P",
            "mopr",
            2023,
            "full",
            100.0,
            np.nan,
            np.nan,
            pd.NA,
            100.0,
            False,
            False,
            "",
        ),
        (
            "labour",
            "labour_p_mup_services",
            "P",
            None,
            2023,
            None,
            50.0,
            np.nan,
            np.nan,
            pd.NA,
            50.0,
            False,
            False,
            "",
        ),
        (
            "labour",
            "labour_p_recognition",
            "P",
            None,
            2023,
            None,
            25.0,
            np.nan,
            np.nan,
            pd.NA,
            25.0,
            False,
            False,
            "",
        ),
        (
            "housing",
            "housing_p_info",
            "P",
            None,
            2023,
            None,
            50.0,
            np.nan,
            np.nan,
            pd.NA,
            50.0,
            False,
            False,
            "",
        ),
        (
            "housing",
            "housing_p_info",
            "P",
            "mopr",
            2023,
            "none",
            0.0,
            np.nan,
            np.nan,
            pd.NA,
            0.0,
            False,
            False,
            "",
        ),
        (
            "housing",
            "housing_o_overcrowded",
            "O",
            None,
            2023,
            None,
            0.27,
            0.24,
            0.30,
            1175,
            100.0,
            False,
            True,
            "low_base",
        ),
    ]
    frame = pd.DataFrame(rows, columns=cols)
    frame["n"] = pd.array(frame["n"].tolist(), dtype="Int64")
    return SimpleNamespace(indicators=frame, settings={"round": 2023})


def test_indicators_behind_each_recommendation_join_the_scorecard():
    basis = recs.recommendation_indicators(register(), fake_scorecard())
    assert basis[["rec_id", "indicator"]].values.tolist() == [
        ["R1", "social_assistance_p_interpreting"],
        ["R2", "labour_p_mup_services"],
        ["R3", "labour_p_recognition"],
        ["R4", "housing_p_info"],
        ["R4", "housing_o_overcrowded"],
    ]
    r1 = basis.iloc[0]
    assert (r1["answer"], r1["score_institution"], r1["score_city"]) == ("full", 100.0, 75.0)
    assert pd.isna(basis.iloc[1]["score_institution"])  # MUP did not answer
    outcome = basis.iloc[4]
    assert outcome["n"] == 1175 and outcome["ci_low"] == 0.24 and outcome["low_reliability"]
    assert basis["n"].iloc[:4].isna().all()  # no base for policy rows


def test_indicator_table_has_no_base_column_without_survey_outcomes():
    ds = register()
    ds.recommendations = ds.recommendations[ds.recommendations["rec_id"] != "R4"]
    ds.status = ds.status[ds.status["rec_id"] != "R4"]
    ds.opinions = ds.opinions[ds.opinions["rec_id"] != "R4"]
    assert "n" not in recs.recommendation_indicators(ds, fake_scorecard()).columns


def test_an_indicator_missing_from_the_scorecard_names_the_recommendation():
    ds = register()
    ds.recommendations.loc[2, "indicator_ids"] = "labour_p_unheard_of"
    with pytest.raises(
        ValidationError, match="recommendation R3 rests on indicator 'labour_p_unheard_of'"
    ):
        recs.recommendation_indicators(ds, fake_scorecard())


@needs_texts
def test_labels_in_the_report_language():
    reg = recs.recommendation_register(register(), lang="pl")
    r1 = reg.set_index("rec_id").loc["R1"]
    assert (r1["status_name"], r1["institution_name"], r1["area_name"], r1["text"]) == (
        "wdrożona",
        "MOPR",
        "Pomoc społeczna",
        "R1 po polsku",
    )
    assert r1["support"] == 2
    basis = recs.recommendation_indicators(register(), fake_scorecard(), lang="en")
    assert basis["answer_label"].iloc[0].startswith("Yes")


# --------------------------------------------------------------------------- demo data
def test_demo_register_status_is_the_last_row_of_each_history(demo):
    st = recs.recommendation_status(demo)
    assert len(st) == len(demo.recommendations) == 50
    last = demo.status.groupby("rec_id", sort=False)["status"].last()
    assert st.set_index("rec_id")["status"].to_dict() == last.to_dict()
    assert st["reference_date"].iloc[0] == max(
        demo.status["date"].max(),
        demo.opinions["date"].max(),
        demo.recommendations["date_issued"].max(),
    )
    rates = recs.implementation_rates(demo, by="institution")
    assert rates["n_recommendations"].sum() == 50
    assert set(rates["institution"]) <= set(demo.institutions["institution_id"])
