"""The action plan (overdue as of the reference date), the institutions' replies and the
implementation over time: boundaries on a small register, numbers on the demo."""

from __future__ import annotations

import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.advocacy import action_plan as ap
from lublin_diagnosis.advocacy.examples import example_register
from lublin_diagnosis.data.register import STATUSES
from support import DEMO


@pytest.fixture(scope="module")
def demo():
    return ld.load_dataset(DEMO)


def _plan_on(deadline: str, ref: str, status_rows=None):
    ds = ap.example_action_plan()
    ds.recommendations["deadline"] = pd.to_datetime([deadline, deadline])
    if status_rows is not None:
        ds.status = status_rows
    return ap.action_plan(ds, reference_date=ref)


def test_overdue_starts_the_day_after_the_deadline():
    # R2 is in progress on every date below; R1 is implemented from 2023-08-31
    on_the_day = _plan_on("2023-09-30", "2023-09-30")
    day_after = _plan_on("2023-09-29", "2023-09-30")
    assert on_the_day["overdue"].tolist() == [False, False]
    assert day_after["overdue"].tolist() == [False, True]
    assert day_after["days_overdue"].tolist()[1] == 1


def test_implemented_and_rejected_are_never_overdue_partial_is():
    status = pd.DataFrame(
        {
            "rec_id": ["R1", "R1", "R2", "R2"],
            "date": pd.to_datetime(["2023-03-01", "2023-05-01", "2023-06-01", "2023-07-01"]),
            "status": ["issued", "partially_implemented", "issued", "rejected"],
        }
    )
    plan = _plan_on("2023-08-01", "2023-09-30", status)
    assert plan[["status", "overdue"]].values.tolist() == [
        ["partially_implemented", True],
        ["rejected", False],
    ]
    assert ap.overdue_count(plan) == 1


def test_a_register_without_an_action_plan_has_nothing_overdue():
    plan = ap.action_plan(example_register(), lang="en", reference_date="2023-12-31")
    assert not plan["overdue"].any()
    assert plan["deadline"].isna().all() and plan["cost_name"].isna().all()
    assert plan["responsible"].tolist() == ["MOPR", "MUP"]


def test_replies_after_the_reference_date_are_not_shown():
    ds = ap.example_action_plan()
    assert len(ap.recommendation_replies(ds, lang="pl", reference_date="2023-04-14")) == 0
    shown = ap.recommendation_replies(ds, lang="pl", reference_date="2023-04-15")
    assert shown[["rec_id", "commitment_name"]].values.tolist() == [
        ["R1", "zobowiązanie do wdrożenia"]
    ]
    assert shown.loc[0, "reply_summary"] == "Wdrożymy do września."


def test_a_summary_only_in_the_other_language_is_marked():
    ds = ap.example_action_plan()
    ds.replies["summary_en"] = [None]
    shown = ap.recommendation_replies(ds, lang="en")
    assert shown.loc[0, "reply_summary"] == "[pl] Wdrożymy do września."


def test_no_replies_register_gives_an_empty_table():
    table = ap.recommendation_replies(example_register(), lang="en")
    assert table.empty and "reply_summary" in table.columns


def test_demo_action_plan_numbers(demo):
    plan = ap.action_plan(demo, lang="en", reference_date="2023-12-11")
    assert len(plan) == 50
    assert set(plan["responsible_level"]) == {"city", "state", "other"}
    overdue = plan[plan["overdue"]]
    assert ap.overdue_count(plan) == len(overdue) > 0
    assert (overdue["deadline"] < pd.Timestamp("2023-12-11")).all()
    assert not overdue["status"].isin(["implemented", "rejected"]).any()
    assert (overdue["days_overdue"] > 0).all()
    replies = ap.recommendation_replies(demo, lang="en")
    assert len(replies) == len(demo.replies) == 27


def test_implementation_over_time_adds_up(demo):
    counts = ap.implementation_over_time(demo)
    statuses = list(STATUSES)
    assert (counts[statuses].sum(axis=1) == counts["total"]).all()
    assert counts["total"].is_monotonic_increasing and counts["total"].iloc[-1] == 50
    last = counts.iloc[-1]
    current = ap.action_plan(demo)["status"].value_counts()
    assert {s: int(last[s]) for s in statuses} == {s: int(current.get(s, 0)) for s in statuses}
    by_month = ap.implementation_by_month(counts)
    assert by_month["month"].tolist()[0] == "2023-03"
    assert by_month.iloc[-1][statuses].tolist() == last[statuses].tolist()
