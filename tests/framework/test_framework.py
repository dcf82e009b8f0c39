"""Tests of the indicator framework: the default ``lublin-14`` file and the validation."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from lublin_diagnosis.exceptions import FrameworkError, LublinDiagnosisError, Problem
from lublin_diagnosis.framework.model import (
    INSTITUTION_TYPES,
    BilingualText,
    Framework,
    FrameworkProblem,
    Goalposts,
    available_frameworks,
    load_framework,
    normalise,
)
from support import ROOT

AREAS = (
    "health",
    "education",
    "labour",
    "housing",
    "social_assistance",
    "domestic_violence",
    "language",
    "information",
    "city_services",
    "anti_discrimination",
    "participation",
    "culture",
    "safety",
    "legal_aid",
)
ICC_GROUPS = (
    "commitment",
    "education",
    "neighbourhoods",
    "public_services",
    "business_labour",
    "cultural_civil_life",
    "public_spaces",
    "mediation",
    "language",
    "media",
    "international_outlook",
    "intelligence_competence",
    "welcoming",
    "governance",
)
# the institution types of institutions.csv, as listed in docs/data-contracts.md
CONTRACT_TYPES = (
    "voivodeship_office",
    "city_hall",
    "family_assistance",
    "labour_office",
    "police",
    "social_insurance",
    "health_fund",
    "transport",
    "tax_office",
    "university",
    "school",
    "clinic",
    "ngo",
    "other",
)


# --------------------------------------------------------------------------- doc survey
def _demo_survey_table() -> dict[str, dict[str, str]]:
    """The variable table of docs/demo-survey.md: name -> {type, codes, universe}."""
    text = (ROOT / "docs" / "demo-survey.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in ("variable", "") or set(cells[0]) <= {"-"}:
            continue
        name, vtype, _role, codes, universe, _meaning = cells
        rows[name] = {"type": vtype, "codes": codes, "universe": universe}
    return rows


def _doc_codebook() -> dict[str, list[str] | None]:
    """A codebook mapping built from the doc: coded variables -> codes, numeric -> None."""
    out: dict[str, list[str] | None] = {}
    for name, row in _demo_survey_table().items():
        if row["type"] in ("categorical", "ordinal"):
            out[name] = re.findall(r"`([^`]+)`", row["codes"])
        else:
            out[name] = None
    return out


def _doc_universe(text: str) -> dict[str, object]:
    """'needed_care_12m = 1', 'employed = 1 and education = tertiary', 'age 20–64'."""
    if text == "all":
        return {}
    out: dict[str, object] = {}
    for part in text.split(" and "):
        m = re.fullmatch(r"(\w+) = (\w+)", part.strip())
        if m:
            out[m.group(1)] = (m.group(2),)
            continue
        m = re.fullmatch(r"(\w+) (\d+)[–-](\d+)", part.strip())
        assert m, f"cannot read the universe {part!r} of docs/demo-survey.md"
        out[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return out


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


# --------------------------------------------------------------------------- default file
def test_default_framework_loads(fw):
    assert fw.id == "lublin-14"
    assert "lublin-14" in available_frameworks()
    assert fw.area_ids == AREAS
    assert [a.number for a in fw.areas] == list(range(1, 15))
    assert 65 <= len(fw.indicators) <= 80
    # the packaged file also loads by path
    assert load_framework(Path(fw.path)).indicator_ids == fw.indicator_ids


def test_every_area_is_complete_and_bilingual(fw):
    for area in fw.areas:
        inds = fw.indicators_of(area)
        kinds = {i.kind for i in inds}
        assert 4 <= len(inds) <= 6, area.id
        assert {"P", "O"} <= kinds, area.id
        for text in (area.name, area.description):
            assert text.pl.strip() and text.en.strip(), area.id
        assert area.name.pl != area.name.en or area.id == "education"
        for ind in inds:
            assert ind.id.startswith(f"{area.id}_{ind.kind.lower()}_"), ind.id
            for text in (ind.question, ind.short):
                assert text is not None and text.pl.strip() and text.en.strip(), ind.id
            for opt in ind.options:
                assert opt.label.pl.strip() and opt.label.en.strip(), ind.id


def test_polish_texts_use_diacritics(fw):
    polish = " ".join(
        [a.name.pl + a.description.pl for a in fw.areas] + [i.question.pl for i in fw.indicators]
    )
    assert set("ąćęłńóśźż") <= set(polish.lower())


def test_policy_indicators_follow_the_scoring_anchors(fw):
    policy = [i for i in fw.indicators if i.kind == "P"]
    assert policy
    for ind in policy:
        assert [o.score for o in ind.options] == [0.0, 50.0, 100.0], ind.id
        assert [o.id for o in ind.options] == ["none", "partial", "full"], ind.id
        assert ind.institution_types and set(ind.institution_types) <= set(CONTRACT_TYPES)
        assert ind.source in ("questionnaire", "foi_request", "document_review", "web_audit")
    assert set(INSTITUTION_TYPES) == set(CONTRACT_TYPES)
    # every monitored institution type of the 2010-11 / 2022-23 monitoring is asked something
    asked = {t for i in policy for t in i.institution_types}
    assert {
        "voivodeship_office",
        "city_hall",
        "family_assistance",
        "labour_office",
        "transport",
        "police",
        "tax_office",
        "social_insurance",
        "health_fund",
        "university",
    } <= asked


def test_admin_and_outcome_indicators_have_consistent_goalposts(fw):
    for ind in fw.indicators:
        if ind.kind == "P":
            assert ind.goalposts is None and ind.direction is None
            continue
        assert ind.goalposts is not None and ind.direction == ind.goalposts.direction, ind.id
        assert ind.score(ind.goalposts.worst) == 0.0
        assert ind.score(ind.goalposts.best) == 100.0
        if ind.kind == "A":
            assert ind.unit is not None and ind.source != "survey", ind.id
        if ind.statistic == "proportion":
            assert 0 <= ind.goalposts.worst <= 1 and 0 <= ind.goalposts.best <= 1, ind.id


def test_outcome_variables_and_codes_are_those_of_the_demo_survey_doc(fw):
    table = _demo_survey_table()
    codebook = _doc_codebook()
    assert "belonging" in table and "hh_income" in table  # the doc table was read
    outcomes = [i for i in fw.indicators if i.kind == "O"]
    for ind in outcomes:
        assert ind.variable in table, ind.id
        assert ind.source == "survey"
        if ind.success is not None:
            assert set(ind.success) <= set(codebook[ind.variable]), ind.id
        for cond in ind.universe:
            assert cond.variable in table, ind.id
            if cond.codes is not None:
                assert set(cond.codes) <= set(codebook[cond.variable]), ind.id
    # the framework validates against a codebook built from the doc
    assert load_framework(codebook=codebook).check_codebook(codebook) == ()
    assert "hh_income" not in {i.variable for i in outcomes}
    belonging = [i for i in outcomes if i.variable == "belonging"]
    assert len(belonging) == 1 and belonging[0].statistic == "mean"
    assert (belonging[0].goalposts.worst, belonging[0].goalposts.best) == (0, 10)


def test_outcome_universes_match_the_demo_survey_doc(fw):
    table = _demo_survey_table()
    for ind in (i for i in fw.indicators if i.kind == "O"):
        expected = _doc_universe(table[ind.variable]["universe"])
        got = {
            c.variable: (c.codes if c.codes is not None else (c.min, c.max)) for c in ind.universe
        }
        for var, spec in expected.items():
            assert got.get(var) == spec, (ind.id, var)


def test_references_are_marked_illustrative(fw):
    refs = [i for i in fw.indicators if i.reference is not None]
    assert refs
    for ind in refs:
        assert ind.reference.illustrative, ind.id
        assert "to be checked against the cited source" in ind.reference.source.en, ind.id
        assert "do sprawdzenia w cytowanym źródle" in ind.reference.source.pl, ind.id


def test_icc_regrouping_covers_all_fourteen_groups(fw):
    icc = fw.regroup("icc-14")
    assert icc.grouped_by == "icc-14" and icc.base is fw
    assert icc.area_ids == ICC_GROUPS
    assert icc.empty_areas == () and icc.unmapped_areas == ()
    dv = {i.id for i in fw.indicators_of("domestic_violence")}
    assert dv <= {i.id for i in icc.indicators_of("public_services")}
    assert dv <= {i.id for i in icc.indicators_of("mediation")}
    members = sum(len(icc.indicators_of(g)) for g in ICC_GROUPS)
    assert members == sum(len(fw.indicators_of(a)) * len(a.groups("icc-14")) for a in fw.areas)
    frame = icc.to_frame()
    assert len(frame) == members
    assert set(frame.loc[frame["id"] == "safety_p_hate_crime", "area"]) == {"mediation"}
    assert fw.regroup("icc-14") == icc  # views are values


def test_other_groupings_say_what_is_empty_and_unmapped(fw):
    niem = fw.regroup("niem")
    assert niem.empty_areas == ("reception",)
    assert set(niem.unmapped_areas) == {"domestic_violence", "safety"}
    mipex = fw.regroup("mipex")
    assert mipex.empty_areas == () and len(mipex.areas) == 8
    assert "safety" in mipex.unmapped_areas
    assert mipex.regroup("icc-14").area_ids == ICC_GROUPS  # regrouping a view


def test_lookups_labels_and_frame(fw):
    assert fw.label("health", "pl") == "Ochrona zdrowia"
    assert fw.label(fw.area("legal_aid"), "en") == "Legal aid and legal status"
    ind = fw.indicator("health_p_interpreting")
    assert fw.label(ind, "en") == "Interpreting in city-run clinics"
    assert fw.label(ind, "en", short=False).startswith("Can patients")
    assert fw.label(ind.options[0], "pl").startswith("Nie")
    assert fw.label("welcoming", "pl") == "Przyjmowanie nowo przybyłych"
    assert fw.regroup("icc-14").label("health", "en") == "Health care"
    assert [i.kind for i in fw.indicators_of("labour", kind=("A", "O"))] == ["A", "O", "O", "O"]
    with pytest.raises(KeyError, match="not an area"):
        fw.area("healthcare")
    with pytest.raises(ValueError, match="lang"):
        fw.label("health", "de")
    with pytest.raises(ValueError, match="kind"):
        fw.indicators_of("health", kind="X")
    frame = fw.to_frame()
    assert len(frame) == len(fw.indicators)
    assert {
        "id",
        "area",
        "kind",
        "question_pl",
        "question_en",
        "variable",
        "worst",
        "best",
        "reference",
    } <= set(frame.columns)
    assert (frame["area"] == frame["home_area"]).all()
    assert frame["id"].is_unique


def test_framework_objects_are_immutable(fw):
    with pytest.raises(dataclasses.FrozenInstanceError):
        fw.id = "other"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        fw.indicators[0].kind = "O"  # type: ignore[misc]
    assert isinstance(fw.indicators, tuple) and isinstance(fw.areas, tuple)


def test_indicator_scores_masks_and_outcomes(fw):
    assert fw.indicator("labour_p_mup_services").score("partial") == 50.0
    with pytest.raises(KeyError, match="not an answer option"):
        fw.indicator("labour_p_mup_services").score("maybe")
    assert fw.indicator("legal_aid_a_permit_days").score(212.5) == pytest.approx(50.0)
    survey = pd.DataFrame(
        {
            "age": ["19", "20", "64", "70", None],
            "employed": ["1", "0", "1", "-9", None],
            "education": ["tertiary", "tertiary", "primary", "tertiary", "tertiary"],
            "overqualified": ["1", "0", None, "1", "0"],
        }
    )
    employed = fw.indicator("labour_o_employed")
    assert employed.universe_mask(survey).tolist() == [False, True, True, False, False]
    assert employed.outcome(survey).tolist()[:3] == [1.0, 0.0, 1.0]
    assert math.isnan(employed.outcome(survey).iloc[3])  # -9 refused
    over = fw.indicator("labour_o_overqualified")
    assert over.universe_mask(survey).tolist() == [True, False, False, False, False]
    # numeric columns are compared as numbers
    numeric = pd.DataFrame({"employed": [1, 0], "education": ["tertiary"] * 2})
    assert over.universe_mask(numeric).tolist() == [True, False]


def test_normalise_examples():
    assert normalise(0.3, {"worst": 0.5, "best": 0.0}) == pytest.approx(40.0)
    assert normalise(2.0, Goalposts(worst=0, best=1)) == 100.0
    assert normalise(-1.0, Goalposts(worst=0, best=1)) == 0.0
    assert math.isnan(normalise(float("nan"), Goalposts(worst=0, best=1)))
    series = normalise(pd.Series([0.0, 0.5, None], index=[3, 4, 5]), Goalposts(0, 1))
    assert series.index.tolist() == [3, 4, 5] and series.iloc[1] == 50.0
    with pytest.raises(ValueError, match="differ"):
        normalise(1.0, Goalposts(1, 1))


@given(
    value=st.floats(-1e6, 1e6),
    worst=st.floats(-1e3, 1e3),
    gap=st.floats(1e-3, 1e3),
    lower=st.booleans(),
)
def test_normalise_is_bounded_and_follows_direction(value, worst, gap, lower):
    best = worst - gap if lower else worst + gap
    score = normalise(value, Goalposts(worst, best))
    assert 0.0 <= score <= 100.0
    better = value - gap / 10 if lower else value + gap / 10
    assert normalise(better, Goalposts(worst, best)) >= score - 1e-9


# --------------------------------------------------------------------------- bad files
def _minimal() -> dict:
    """A small valid framework: two areas, a P and an O indicator each."""

    def text(pl, en):
        return {"pl": pl, "en": en}

    def policy(ind_id, area):
        return {
            "id": ind_id,
            "area": area,
            "kind": "P",
            "source": "questionnaire",
            "question": text("Czy?", "Is it?"),
            "institution_types": ["city_hall"],
            "options": [
                {"id": "none", "score": 0, "label": text("Nie", "No")},
                {"id": "full", "score": 100, "label": text("Tak", "Yes")},
            ],
        }

    def outcome(ind_id, area, variable):
        return {
            "id": ind_id,
            "area": area,
            "kind": "O",
            "source": "survey",
            "question": text("Odsetek", "Share"),
            "variable": variable,
            "success": ["1"],
            "direction": "higher_is_better",
            "goalposts": {"worst": 0.2, "best": 0.8},
        }

    return {
        "id": "mini",
        "version": 1,
        "name": text("Mała", "Small"),
        "groupings": {
            "icc-14": {
                "name": text("ICC", "ICC"),
                "groups": [
                    {"id": "public_services", "name": text("Usługi publiczne", "Public services")},
                    {"id": "language", "name": text("Język", "Language")},
                ],
            }
        },
        "areas": [
            {
                "id": "health",
                "name": text("Zdrowie", "Health"),
                "crosswalk": {"icc-14": ["public_services"]},
            },
            {
                "id": "language",
                "name": text("Język", "Language"),
                "crosswalk": {"icc-14": ["language"]},
            },
        ],
        "indicators": [
            policy("health_p_interpreting", "health"),
            outcome("health_o_insured", "health", "health_insured"),
            policy("language_p_free_courses", "language"),
            outcome("language_o_course", "language", "attended_course"),
        ],
    }


def _write(tmp_path: Path, data: dict, name: str = "fw.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fail(path: Path, **kwargs) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        load_framework(path, **kwargs)
    message = str(info.value)
    assert str(path) in message
    return info.value


def test_minimal_framework_loads(tmp_path):
    fw = load_framework(
        _write(tmp_path, _minimal()),
        codebook={"health_insured": ["1", "0"], "attended_course": ["1", "0"]},
    )
    assert fw.area_ids == ("health", "language")
    assert [a.number for a in fw.areas] == [1, 2]


def test_an_unchanged_file_is_checked_once_and_an_edited_one_again(tmp_path):
    path = _write(tmp_path, _minimal())
    first = load_framework(path)
    assert load_framework(path) is first  # same file, same text: the checked framework
    data = _minimal()
    data["name"] = {"pl": "Zmieniona", "en": "Changed"}
    _write(tmp_path, data)
    edited = load_framework(path)
    assert edited is not first and edited.name.en == "Changed"
    # with a codebook the file is checked against it every time
    with_codebook = load_framework(
        path, codebook={"health_insured": ["1", "0"]} | {"attended_course": ["1", "0"]}
    )
    assert with_codebook is not edited
    _fail(path, codebook={"attended_course": ["1", "0"]})


def test_unknown_area_is_rejected(tmp_path):
    data = _minimal()
    data["indicators"][1]["area"] = "healthcare"
    err = _fail(_write(tmp_path, data))
    assert "unknown area 'healthcare'" in str(err)
    assert "indicators[1] (health_o_insured).area" in str(err)
    assert [p.rule for p in err.problems] == ["unknown_area"]
    assert isinstance(err, ValueError) and isinstance(err, LublinDiagnosisError)


def test_answer_without_score_is_rejected(tmp_path):
    data = _minimal()
    del data["indicators"][0]["options"][1]["score"]
    err = _fail(_write(tmp_path, data))
    assert "indicators[0] (health_p_interpreting).options[1] (full)" in str(err)
    assert "answer option has no score" in str(err)
    problem = err.problems[0]
    assert problem.rule == "score" and problem.line is not None


def test_score_outside_range_is_rejected(tmp_path):
    data = _minimal()
    data["indicators"][0]["options"][1]["score"] = 150
    err = _fail(_write(tmp_path, data))
    assert "outside 0-100" in str(err) and "(value 150)" in str(err)


def test_outcome_variable_missing_from_codebook_is_rejected(tmp_path):
    path = _write(tmp_path, _minimal())
    err = _fail(path, codebook={"health_insured": ["1", "0"]})
    assert "outcome variable 'attended_course' is not in the codebook" in str(err)
    assert "indicators[3] (language_o_course).variable" in str(err)

    # the same check through a Codebook-like object, and for codes
    class Book:
        def __init__(self, codes):
            self._codes = codes

        def __contains__(self, name):
            return name in self._codes

        def codes(self, name):
            return list(self._codes[name])

    err = _fail(
        path, codebook=Book({"health_insured": ["yes", "no"], "attended_course": ["1", "0"]})
    )
    assert "success code(s) '1' are not codes of 'health_insured'" in str(err)


def test_codebook_universe_checks(tmp_path):
    data = _minimal()
    data["indicators"][1]["universe"] = {"needed_care_12m": ["1"], "age": {"min": 20}}
    path = _write(tmp_path, data)
    err = _fail(
        path,
        codebook={"health_insured": ["1", "0"], "attended_course": ["1", "0"], "age": ["18-29"]},
    )
    rules = [p.rule for p in err.problems]
    assert rules == ["not_in_codebook", "codebook_type"]
    assert "universe variable 'needed_care_12m' is not in the codebook" in str(err)
    fw = load_framework(
        path,
        codebook={
            "health_insured": ["1", "0"],
            "age": None,
            "attended_course": ["1", "0"],
            "needed_care_12m": ["1", "0"],
        },
    )
    assert [str(c) for c in fw.indicator("health_o_insured").universe] == [
        "needed_care_12m in {1}",
        "20 <= age",
    ]


def test_duplicate_id_is_rejected(tmp_path):
    data = _minimal()
    data["indicators"][3]["id"] = "health_o_insured"
    err = _fail(_write(tmp_path, data))
    assert "duplicate indicator id 'health_o_insured'" in str(err)
    assert "first at indicators[1] (health_o_insured)" in str(err)


def test_missing_english_text_is_rejected(tmp_path):
    data = _minimal()
    del data["areas"][1]["name"]["en"]
    err = _fail(_write(tmp_path, data))
    assert "missing English text (en) in 'name'" in str(err)
    assert "areas[1] (language).name" in str(err)


def test_several_faults_are_all_listed(tmp_path):
    data = _minimal()
    data["indicators"][0]["area"] = "nowhere"  # unknown area
    del data["indicators"][0]["options"][0]["score"]  # answer without score
    data["indicators"][2]["id"] = "health_p_interpreting"  # duplicate id
    del data["indicators"][2]["question"]["en"]  # missing English text
    data["indicators"][3]["goalposts"] = {"worst": 0.8, "best": 0.2}  # against direction
    data["indicators"][1]["kind"] = "Q"  # unknown kind
    data["areas"][0]["crosswalk"]["icc-14"] = ["health_services"]  # unknown group
    err = _fail(_write(tmp_path, data), codebook={"health_insured": ["1", "0"]})
    rules = sorted(p.rule for p in err.problems)
    assert rules == sorted(
        [
            "unknown_area",
            "score",
            "duplicate_id",
            "text",
            "goalposts",
            "kind",
            "crosswalk",
            "not_in_codebook",
        ]
    )
    message = str(err)
    assert message.count("\n  - ") == len(err.problems) == 8
    assert "8 problem(s)" in message.splitlines()[0]
    for fragment in (
        "unknown area 'nowhere'",
        "answer option has no score",
        "duplicate indicator id",
        "missing English text",
        "inconsistent with direction higher_is_better",
        "unknown kind",
        "unknown group 'health_services'",
        "not in the codebook",
    ):
        assert fragment in message


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda d: d["indicators"][0].pop("options"), "needs at least two answer options"),
        (lambda d: d["indicators"][1].pop("goalposts"), "needs goalposts"),
        (lambda d: d["indicators"][1].pop("direction"), "needs a direction"),
        (lambda d: d["indicators"][1].update(direction="up"), "unknown direction"),
        (lambda d: d["indicators"][1].update(source="register"), "does not fit a O"),
        (lambda d: d["indicators"][0].update(source="gossip"), "unknown source"),
        (
            lambda d: d["indicators"][0].update(institution_types=["church"]),
            "unknown institution type",
        ),
        (lambda d: d["indicators"][0].pop("institution_types"), "must list the institution"),
        (
            lambda d: d["indicators"][0].update(goalposts={"worst": 0, "best": 1}),
            "'goalposts' does not apply to a P",
        ),
        (
            lambda d: d["indicators"][1].update(goalposts={"worst": 0, "best": 80}),
            "must lie between 0 and 1",
        ),
        (lambda d: d["indicators"][1].pop("variable"), "needs the survey variable"),
        (lambda d: d["areas"][0]["crosswalk"].update(oecd=["x"]), "unknown grouping 'oecd'"),
        (
            lambda d: d["areas"].append({"id": "safety", "name": {"pl": "B", "en": "S"}}),
            "area 'safety' has no indicators",
        ),
        (lambda d: d["indicators"][0]["options"][0].update(scor=0), "unknown key 'scor'"),
        (
            lambda d: d["indicators"][1].update(question={"pl": "Odsetek", "en": " "}),
            "empty or non-text English text",
        ),
        (lambda d: d["indicators"][1].update(id="Health-O"), "an id must be lower-case"),
    ],
)
def test_each_rule_names_its_fault(tmp_path, mutate, fragment):
    data = _minimal()
    mutate(data)
    err = _fail(_write(tmp_path, data))
    assert fragment in str(err)


def test_unreadable_sources_are_rejected(tmp_path):
    with pytest.raises(FrameworkError, match="no framework named 'lublin-99'.*lublin-14"):
        load_framework("lublin-99")
    with pytest.raises(FrameworkError, match="file not found"):
        load_framework(tmp_path / "missing.yml")
    broken = tmp_path / "broken.yml"
    broken.write_text("id: x\nareas: [\n  - id: a\n", encoding="utf-8")
    err = _fail(broken)
    assert err.problems[0].rule == "yaml" and err.problems[0].line is not None
    twice = tmp_path / "twice.yml"
    twice.write_text(yaml.safe_dump(_minimal(), sort_keys=False) + "id: again\n", encoding="utf-8")
    assert "given twice" in str(_fail(twice))


def test_bilingual_text_and_problem_format():
    assert BilingualText("Tak", "Yes").get("pl") == "Tak"
    with pytest.raises(ValueError):
        BilingualText("Tak", "Yes").get("uk")
    problem = FrameworkProblem(
        "fw.yml",
        "score",
        "answer option has no score",
        location="indicators[12] (health_p_interpreting).options[1]",
        line=40,
    )
    assert isinstance(problem, Problem)
    assert str(problem) == (
        "fw.yml:40, indicators[12] (health_p_interpreting).options[1]: "
        "[score] answer option has no score"
    )


def test_every_builtin_indicator_says_who_can_act(fw):
    levels = {i.id: i.responsible_level for i in fw.indicators}
    assert set(levels.values()) == {"city", "state", "other"}
    assert levels["legal_aid_a_permit_days"] == "state"  # the voivodeship office decides
    assert levels["language_p_free_courses"] == "city"
    assert fw.to_frame()["responsible_level"].notna().all()


def test_responsible_level_is_optional_and_checked(tmp_path):
    codebook = {"health_insured": ["1", "0"], "attended_course": ["1", "0"]}
    data = _minimal()
    assert (
        load_framework(_write(tmp_path, data), codebook=codebook)
        .indicator("health_p_interpreting")
        .responsible_level
        is None
    )
    data["indicators"][0]["responsible_level"] = "voivodeship"
    err = _fail(_write(tmp_path, data, "bad.yml"))
    assert "indicators[0] (health_p_interpreting).responsible_level" in str(err)
    assert "city, state, other" in str(err)
