"""The scorecard of the demo data: tables, intervals, disclosure, regrouping."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.disclosure import (
    FLAGS,
    VALUE_COLUMNS,
    DisclosureRules,
    audit_estimates,
)
from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.indicators.scorecard import INDICATOR_COLUMNS, Scorecard, build_scorecard
from lublin_diagnosis.indicators.scoring import aggregate, outcome_arrays
from support import DEMO

REQUIRED = [
    "area",
    "indicator",
    "kind",
    "institution",
    "round",
    "value",
    "ci_low",
    "ci_high",
    "se",
    "n",
    "score",
    "score_ci_low",
    "score_ci_high",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
    "reference",
    "suppressed",
    "low_reliability",
    "flags",
]


@pytest.fixture(scope="module")
def dataset():
    return ld.load_dataset(DEMO)


@pytest.fixture(scope="module")
def design(dataset):
    return ld.SurveyDesign.from_dataset(dataset)


@pytest.fixture(scope="module")
def card(dataset, design):
    return build_scorecard(dataset, design=design, replicates=30, seed=7)


def city(card: Scorecard) -> pd.DataFrame:
    return card.indicators[card.indicators["institution"].isna()]


# --------------------------------------------------------------------------- indicators
def test_indicator_table_has_the_agreed_columns(card):
    t = card.indicators
    assert set(REQUIRED) <= set(t.columns) and list(t.columns) == INDICATOR_COLUMNS
    assert t.loc[t["institution"].notna(), "kind"].isin(["P", "A"]).all()
    # one city-wide row per indicator of the framework
    assert city(card)["indicator"].tolist() == list(card.framework.indicator_ids)
    assert (t["round"].dropna() == 2023).all()
    assert set(t["status"]) <= {"published", "suppressed", "no_data"}


def test_every_outcome_score_has_an_interval(card):
    o = city(card)[city(card)["kind"] == "O"]
    assert len(o) == 30 and not o["suppressed"].any()
    for c in ("value", "ci_low", "ci_high", "se", "score", "score_ci_low", "score_ci_high"):
        assert o[c].notna().all(), c
    assert (o["ci_low"] <= o["value"]).all() and (o["value"] <= o["ci_high"]).all()
    assert (o["score_ci_low"] <= o["score"] + 1e-9).all()
    assert (o["score"] <= o["score_ci_high"] + 1e-9).all()
    assert (o["n"] > 0).all()
    ref = o[o["reference"].notna()]
    assert len(ref) >= 5 and ref["gap_ci_low"].notna().all()
    np.testing.assert_allclose(ref["gap"], ref["value"] - ref["reference"])


def test_policy_and_admin_rows_are_fixed(card):
    pa = card.indicators[card.indicators["kind"].isin(["P", "A"])]
    assert pa[["ci_low", "ci_high", "se", "score_ci_low", "score_ci_high"]].isna().all().all()
    assert pa["n"].isna().all()
    p_city = city(card)[city(card)["kind"] == "P"]
    per = card.indicators[(card.indicators["kind"] == "P") & card.indicators["institution"].notna()]
    for ind_id, row in p_city.set_index("indicator").iterrows():
        answers = per.loc[per["indicator"] == ind_id, "score"]
        if len(answers):
            assert row["score"] == pytest.approx(answers.mean())  # MIPEX: unweighted
            assert row["n_institutions"] == len(answers)


# --------------------------------------------------------------------------- areas / index
def test_area_scores_are_the_published_aggregates(card):
    areas = card.areas
    assert len(areas) == 14 and areas["name_pl"].notna().all() and areas["name_en"].notna().all()
    c = city(card)
    for rec in areas.to_dict("records"):
        members = c[(c["area"] == rec["area"]) & c["in_aggregate"]]
        assert rec["score"] == pytest.approx(aggregate(members["score"], members["weight"]))
        assert rec["n_indicators"] == len(members)
        assert rec["ci_low"] <= rec["score"] <= rec["ci_high"]
        assert rec["ci_high"] - rec["ci_low"] > 0  # every demo area has an outcome
    assert sorted(areas["rank"]) == list(range(1, 15))
    assert areas.sort_values("rank")["score"].is_monotonic_increasing
    idx = card.index.iloc[0]
    assert idx["score"] == pytest.approx(areas["score"].mean())
    assert idx["ci_low"] < idx["score"] < idx["ci_high"]
    assert idx["replicates"] == 30


def test_replicate_interval_matches_the_linearised_one(card):
    """social_assistance has one outcome among five indicators: its area score moves
    by 1/5 of that outcome's score, whose se is |slope| * se(value) inside the goalposts."""
    area = card.areas.set_index("area").loc["social_assistance"]
    o = city(card).set_index("indicator").loc["social_assistance_o_knows_benefits"]
    slope = 100 / (0.80 - 0.20)
    expected = slope * o["se"] / 5
    assert 0.5 < area["se"] / expected < 2.0


def test_build_is_reproducible(dataset, design, card):
    again = build_scorecard(dataset, design=design, replicates=30, seed=7, disparity_by=())
    pd.testing.assert_frame_equal(again.areas, card.areas)
    other = build_scorecard(dataset, design=design, replicates=30, seed=8, disparity_by=())
    assert not np.allclose(other.areas["se"], card.areas["se"])
    np.testing.assert_allclose(other.areas["score"], card.areas["score"])


# --------------------------------------------------------------------------- disclosure
def test_no_table_exposes_a_suppressed_cell(card):
    for name, table in card.tables().items():
        if "suppressed" not in table.columns:
            continue
        flags = table["flags"].str.split(";").map(lambda f: set(filter(None, f)))
        assert all(f <= set(FLAGS) for f in flags), name
        hidden = table[table["suppressed"]]
        assert (hidden["flags"] != "").all(), name
        for c in [*VALUE_COLUMNS, "n", "baseline", "follow_up", "change"]:
            if c in hidden.columns:
                assert hidden[c].isna().all(), (name, c)
        shown = table[~table["suppressed"]]
        if "n" in shown.columns and "kind" in shown.columns:
            o = shown[shown["kind"] == "O"]
            assert (o["n"] >= card.rules.min_n).all(), name


def test_disparity_tables_resist_subtraction(card, design):
    disp = card.disparities
    assert disp["suppressed"].any()  # the demo has small groups on purpose
    # what an attacker may know: each partition's total base (respondents in the
    # indicator's domain with a group), computed from the microdata
    inds = [i for i in card.framework.indicators if i.kind == "O"]
    _, domain = outcome_arrays(design.data, inds)
    totals = pd.Series(
        {
            (ind.id, by): int((domain[:, j] * design.data[by].notna()).sum())
            for j, ind in enumerate(inds)
            for by in disp["by"].unique()
        }
    )
    audit = audit_estimates(disp, totals, card.rules, groups=["indicator", "by"])
    assert audit["protected"].all()
    # tests use every respondent and are published for every indicator and variable
    assert disp["p_value"].notna().mean() > 0.9
    assert set(disp["test"]) == {"rao_scott_F", "wald_F"}
    assert set(disp["by"]) == {"citizenship", "sex", "age_group", "years_in_pl"}


def test_suppressed_outcomes_leave_the_aggregates(dataset, design):
    strict = build_scorecard(
        dataset,
        design=design,
        replicates=20,
        disparity_by=(),
        rules=DisclosureRules(min_n=250, low_n=600),
    )
    o = city(strict)[city(strict)["kind"] == "O"]
    hidden = o[o["suppressed"]]
    assert len(hidden) >= 3
    assert (hidden["status"] == "suppressed").all() and not hidden["in_aggregate"].any()
    assert hidden[["value", "score", "score_ci_low", "n"]].isna().all().all()
    assert o.loc[~o["suppressed"] & (o["n"] < 600), "flags"].str.contains("low_base").all()
    areas = strict.areas.set_index("area")
    for area_id, part in city(strict).groupby("area"):
        used = part[part["in_aggregate"]]
        assert areas.loc[area_id, "score"] == pytest.approx(aggregate(used["score"]))
        assert areas.loc[area_id, "n_suppressed"] == int(part["suppressed"].sum())


# --------------------------------------------------------------------------- options
def test_icc_regrouping_reuses_the_same_scores(card):
    icc = card.for_grouping("icc-14")
    assert len(icc.areas) == 14 and icc.areas["area"].iloc[0] == "commitment"
    assert icc.settings["grouping"] == "icc-14" and icc.index["grouping"].iloc[0] == "icc-14"
    rows = icc.indicators[icc.indicators["institution"].isna()]
    dv = rows[rows["indicator"] == "domestic_violence_o_knows_help"]
    assert set(dv["area"]) == {"public_services", "mediation"}
    for rec in icc.areas.to_dict("records"):
        members = rows[(rows["area"] == rec["area"]) & rows["in_aggregate"]]
        assert rec["score"] == pytest.approx(aggregate(members["score"]))
        assert rec["ci_low"] <= rec["score"] <= rec["ci_high"]
    back = icc.for_grouping(None)
    pd.testing.assert_frame_equal(back.areas, card.areas)
    assert set(icc.institutions["area"]) <= set(icc.areas["area"])


def test_geometric_aggregation_and_weights(dataset, design, card):
    geo = build_scorecard(
        dataset, design=design, replicates=20, aggregation="geometric", disparity_by=()
    )
    assert (geo.areas["score"] <= card.areas["score"] + 1e-9).all()
    assert geo.index["aggregation"].iloc[0] == "geometric"
    heavy = build_scorecard(
        dataset, design=design, replicates=20, disparity_by=(), area_weights={"language": 13.0}
    )
    lang = card.areas.set_index("area").loc["language", "score"]
    others = card.areas.set_index("area").drop("language")["score"].mean()
    assert heavy.index["score"].iloc[0] == pytest.approx((13 * lang + 13 * others) / 26)


def test_rounds_and_institutions(dataset, design, card):
    base = build_scorecard(dataset, design=design, replicates=20, round=2022, disparity_by=())
    assert base.settings["baseline_round"] is None and base.changes.empty
    p = base.indicators[base.indicators["kind"].isin(["P", "A"])]
    assert (p["round"].dropna() == 2022).all()
    assert card.settings["baseline_round"] == 2022
    assert set(card.changes["kind"]) == {"P", "A"}  # no second survey round given
    inst = card.institutions
    assert {"institution", "name_pl", "name_en", "type", "area", "score"} <= set(inst.columns)
    assert inst["score"].between(0, 100).all()
    with pytest.raises(DataError, match="round 1999"):
        build_scorecard(dataset, design=design, round=1999)
    with pytest.raises(ValueError, match="aggregation"):
        build_scorecard(dataset, design=design, aggregation="median")


def test_scorecard_is_frozen_and_exports(card):
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.areas = None
    assert set(card.tables()) == {
        "indicators",
        "areas",
        "index",
        "institutions",
        "disparities",
        "changes",
    }
    assert "lublin-14" in repr(card)
    assert card.settings["synthetic"] is True
