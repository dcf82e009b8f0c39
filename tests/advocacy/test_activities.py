"""The activity record against the project's targets: the demo's outputs, the reference
date, targets from dataset.yml, and a dataset without events."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.advocacy import activities
from support import DEMO


@pytest.fixture(scope="module")
def demo():
    return ld.load_dataset(DEMO)


def _achieved(summary: pd.DataFrame) -> dict[str, int]:
    return dict(zip(summary["output"], summary["achieved_count"], strict=True))


def test_demo_outputs_against_the_projects_targets(demo):
    summary = activities.activity_summary(demo, lang="pl")
    assert _achieved(summary) == {
        "seminars": 4,
        "study_visits": 3,
        "consultation_meetings": 7,
        "campaigns": 2,
        "campaign_actions": 5,
        "legal_clients": 60,
        "areas_monitored": 14,
        "institutions_reported": 16,
    }
    targets = dict(zip(summary["output"], summary["target_count"], strict=True))
    assert targets["legal_clients"] == 60 and targets["institutions_reported"] == 16
    assert pd.isna(targets["consultation_meetings"])
    assert summary.set_index("output").loc["seminars", "progress_name"] == "cel osiągnięty"


def test_the_reference_date_counts_only_what_happened_by_then(demo):
    summary = activities.activity_summary(demo, lang="en", reference_date="2023-06-30")
    achieved = _achieved(summary)
    assert achieved["seminars"] == 2 and achieved["study_visits"] == 2
    assert achieved["campaigns"] == 1
    row = summary.set_index("output").loc["seminars"]
    assert row["share"] == 0.5 and row["progress_name"] == "2 to go" and not row["met"]


def test_targets_come_from_dataset_yml(demo):
    meta = {**demo.meta, "targets": {**demo.meta["targets"], "seminars": 5}}
    summary = activities.activity_summary(dataclasses.replace(demo, meta=meta))
    row = summary.set_index("output").loc["seminars"]
    assert (row["target_count"], row["achieved_count"], row["met"]) == (5, 4, False)


def test_a_dataset_without_events_reports_zeros(demo):
    bare = dataclasses.replace(demo, events=None)
    achieved = _achieved(activities.activity_summary(bare))
    assert achieved["seminars"] == achieved["campaigns"] == achieved["institutions_reported"] == 0
    assert achieved["legal_clients"] == 60
    assert activities.events_by_type(bare).empty


def test_events_by_type_sums_participants(demo):
    table = activities.events_by_type(demo, lang="en").set_index("type")
    assert table.loc["seminar", "events"] == 4
    cols = list(activities.PARTICIPANT_COLUMNS)
    assert (table[cols].sum(axis=1) == table["participants"]).all()
    expected = demo.events[demo.events["type"] == "campaign_action"][cols].to_numpy().sum()
    assert table.loc["campaign_action", "participants"] == expected
    places = demo.events.loc[demo.events["type"] == "study_visit", "place"].tolist()
    assert places == ["Gdańsk", "Wrocław", "Kraków"]


def test_an_action_without_a_campaign_is_a_campaign_of_its_own():
    from types import SimpleNamespace

    events = pd.DataFrame(
        {
            "type": ["campaign_action"] * 3,
            "date": pd.to_datetime(["2023-01-01"] * 3),
            "campaign": ["C1", "C1", None],
            **{c: [1, 1, 1] for c in activities.PARTICIPANT_COLUMNS},
        }
    )
    ds = SimpleNamespace(events=events, legal_cases=None, monitoring=None, institutions=None)
    assert _achieved(activities.activity_summary(ds))["campaigns"] == 2
