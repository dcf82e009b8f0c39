"""What the report shows of a scorecard (views), the scorecard cache, the overview tables
of the data-check and weighting notebooks, and the run plan."""

import pandas as pd
import pytest

import lublin_diagnosis as ld
from lublin_diagnosis.pipeline.cache import ScorecardTables, cache_key, scorecard_tables
from lublin_diagnosis.pipeline.plan import PLAN, expand_plan
from lublin_diagnosis.report import overview, views
from support import DEMO


@pytest.fixture(scope="module")
def dataset():
    return ld.load_dataset(DEMO)


@pytest.fixture(scope="module")
def framework():
    return ld.load_framework()


@pytest.fixture(scope="module")
def card(dataset, tmp_path_factory):
    return scorecard_tables(
        dataset, replicates=20, seed=1, cache_dir=tmp_path_factory.mktemp("cache")
    )


def test_cache_is_shared_and_keyed_by_inputs_and_settings(dataset, tmp_path, monkeypatch):
    import lublin_diagnosis.indicators.scorecard as scorecard

    calls = []
    real = scorecard.build_scorecard
    monkeypatch.setattr(
        scorecard, "build_scorecard", lambda *a, **k: calls.append(k) or real(*a, **k)
    )
    first = scorecard_tables(dataset, replicates=20, seed=1, cache_dir=tmp_path)
    again = scorecard_tables(dataset, replicates=20, seed=1, cache_dir=tmp_path)
    assert len(calls) == 1 and isinstance(again, ScorecardTables)
    pd.testing.assert_frame_equal(first.areas, again.areas)
    with_sensitivity = scorecard_tables(
        dataset, replicates=20, seed=1, cache_dir=tmp_path, sensitivity_draws=10
    )
    assert len(calls) == 2 and list(with_sensitivity.sensitivity["area"]) == list(
        first.areas["area"]
    )
    assert cache_key(dataset, seed=1) != cache_key(dataset, seed=2)


def test_ranked_areas_start_with_the_most_urgent(card):
    ranked = views.ranked_areas(card, "pl")
    assert ranked["rank"].tolist() == sorted(ranked["rank"])
    assert ranked["score"].iloc[0] == card.areas["score"].min()
    assert ranked["name"].iloc[0] in set(card.areas["name_pl"])


def test_largest_gaps_are_worse_for_migrants_whatever_the_direction(card, framework):
    gaps = views.largest_gaps(card, framework, "en", n=10)
    assert (gaps["harm"] > 0).all() and gaps["harm"].is_monotonic_decreasing
    for row in gaps.itertuples():
        direction = framework.indicator(row.indicator).direction
        assert (row.gap > 0) == (direction == "lower_is_better")


def test_priorities_are_the_lowest_scores(card, framework):
    top = views.priorities(card, framework, "en", n=5)
    assert top["priority"].tolist() == [1, 2, 3, 4, 5]
    city = card.indicators[
        card.indicators["institution"].isna() & card.indicators["in_aggregate"].astype(bool)
    ]
    assert top["score"].max() <= sorted(city["score"].dropna())[4]


def test_area_views_label_rows_in_the_language(card, framework, dataset):
    rows = views.city_rows(card, framework, "pl", area="health")
    assert set(rows["indicator"]) == {i.id for i in framework.indicators_of("health")}
    assert rows["indicator_label"].tolist() == [framework.label(i, "pl") for i in rows["indicator"]]
    assert set(rows["kind_name"]) <= {
        "rozwiązania instytucji",
        "dane administracyjne",
        "wynik badania",
    }
    groups = views.disparity_rows(card, framework, dataset.codebook, "en", area="education")
    assert groups["suppressed"].any()  # small groups exist on purpose
    assert set(groups["by_label"]) >= {"Sex"}
    answers = views.institution_answers(card, framework, dataset.institutions, "en", area="health")
    assert answers["name"].str.contains("synthetic").all()
    assert views.shares_only(
        views.city_rows(card, framework, "en", area="culture", kinds="O"), framework
    )["indicator"].tolist() == ["culture_o_cultural_event", "culture_o_polish_friends"]


def test_overview_tables(dataset):
    counts = overview.category_counts(dataset, "sex", "en")
    assert counts.sum() == len(dataset.survey) and counts.index.name == "category"
    response = overview.item_response(dataset, "pl")
    assert (response["answered"] + response["missing"] == len(dataset.survey)).all()
    design = ld.SurveyDesign.from_dataset(dataset)
    margins = overview.margin_table(design.diagnostics(), dataset.codebook, "en")
    assert set(margins["variable"]) == set(dataset.margins_dict())
    assert (margins["rel_diff"].abs() < 0.01).all()


def test_plan_fans_out_over_the_areas_in_each_language(dataset):
    plan = [
        s
        for s in PLAN
        if s.notebook in ("00_data_checks", "01_weighting", "10_area", "90_diagnosis")
    ]
    jobs = expand_plan(plan, dataset, {"areas": ["health", "safety"]}, ["pl", "en"])
    names = [j.name for j in jobs]
    assert len(jobs) == 2 * (3 + 2)
    assert "en/10_area-safety" in names and "pl/90_diagnosis" in names
    area = next(j for j in jobs if j.key == "10_area-health" and j.lang == "pl")
    assert area.params == {"lang": "pl", "area": "health", "framework": "lublin-14"}
    assert area.page == "areas/health.html"
    assert len(expand_plan(plan, dataset, {}, ["pl"])) == 3 + 14


def test_jobs_start_with_the_scorecard_then_what_never_reads_it(dataset):
    jobs = expand_plan(PLAN, dataset, {"areas": ["health"], "institutions": ["mup"]}, ["pl", "en"])
    names = [j.name for j in jobs]
    # the first language's summary computes the scorecard (and its sensitivity analysis)
    assert names[0] == "pl/90_diagnosis"
    free = [j.name for j in jobs if j.step.scorecard == "none"]
    assert names[1 : 1 + len(free)] == free and "en/00_data_checks" in free
    rest = names[1 + len(free) :]
    assert rest.index("en/90_diagnosis") < rest.index("pl/10_area-health")
    assert rest[-4:] == ["pl/10_area-health", "pl/20_institution-mup"] + [
        "en/10_area-health",
        "en/20_institution-mup",
    ]


def test_key_findings_are_five_to_seven_linked_sentences(card, framework):
    found = views.key_findings(card, framework, "pl")
    assert 5 <= len(found) <= 7
    assert found["href"].str.len().gt(0).all()
    lowest = card.areas.sort_values("rank").iloc[0]
    assert f"areas/{lowest['area']}.html" in set(found["href"])
    assert lowest["name_pl"] in found["text"].iloc[1]
    text = views.findings_markdown(found, "pl")
    assert text.startswith("1. Indeks ogólny") and "[Zobacz dane](" in text
    assert ".." not in text.replace("...", "")


def test_priorities_are_split_by_who_can_act(card, framework):
    top = views.priorities_by_level(card, framework, "en", n=2)
    assert set(top["level"]) <= {"city", "state", "other"} and len(top) <= 6
    assert top.groupby("level")["priority"].apply(list).map(lambda p: p == [1, 2][: len(p)]).all()
    for row in top.itertuples():
        assert framework.indicator(row.indicator).responsible_level == row.level
    # ranked by evidence within a level: the surest low score first
    city = top[top["level"] == "city"]
    upper = city["score_ci_high"].fillna(city["score"]).tolist()
    assert upper == sorted(upper)


def test_an_area_opens_with_two_or_three_findings(card, framework):
    for area in ("language", "labour"):
        found = views.area_findings(card, framework, "en", area=area)
        assert 2 <= len(found) <= 3
        assert all(h.startswith("#") for h in found["href"])
