"""The framework file format as a JSON Schema: the shipped frameworks follow it, it rejects
every structural fault the checker rejects (with the YAML location and line), and it
leaves the cross-checks to the checker."""

import copy

import pytest
import yaml

from lublin_diagnosis.exceptions import FrameworkError
from lublin_diagnosis.framework.model import available_frameworks, load_framework
from lublin_diagnosis.framework.schema import (
    framework_schema,
    schema_problems,
    validate_against_schema,
)
from support import ROOT

BUILTIN = ROOT / "lublin_diagnosis" / "framework" / "builtin" / "lublin-14.yml"


@pytest.fixture(scope="module")
def base():
    return yaml.safe_load(BUILTIN.read_text(encoding="utf-8"))


def _ind(data, kind):
    return next(i for i in data["indicators"] if i["kind"] == kind)


def _set(key, value):
    def edit(data, ind):
        ind[key] = value

    return edit


def _drop(key):
    def edit(data, ind):
        del ind[key]

    return edit


#: (name, kind of the indicator edited, edit, a key expected in the schema's location)
STRUCTURAL = [
    ("unknown indicator key", "P", _set("colour", "red"), "indicators"),
    ("unknown kind", "A", _set("kind", "X"), "kind"),
    ("text without English", "P", _set("question", {"pl": "Pytanie"}), "question"),
    ("empty Polish text", "O", _set("question", {"pl": " ", "en": "Q"}), "question"),
    ("P with goalposts", "P", _set("goalposts", {"worst": 0, "best": 1}), "goalposts"),
    ("A without unit", "A", _drop("unit"), "indicators"),
    ("O with options", "O", _set("options", []), "options"),
    ("score above 100", "P", lambda d, i: i["options"][0].update(score=120), "score"),
    ("upper-case id", "A", _set("id", "Labour_A"), "id"),
    ("negative weight", "O", _set("weight", -1), "weight"),
    ("unknown institution type", "P", _set("institution_types", ["church"]), "0"),
    ("goalposts without best", "A", _set("goalposts", {"worst": 1}), "goalposts"),
    ("empty universe range", "O", _set("universe", {"age": {}}), "age"),
    (
        "illustrative as text",
        "O",
        _set("reference", {"value": 0.1, "source": {"pl": "a", "en": "b"}, "illustrative": "yes"}),
        "illustrative",
    ),  # fmt: skip
    ("unknown direction", "A", _set("direction", "up"), "direction"),
    ("one answer option", "P", lambda d, i: i.update(options=i["options"][:1]), "options"),
    ("unknown top-level key", "P", lambda d, i: d.update(colour="red"), ""),
    ("no areas", "P", lambda d, i: d.update(areas=[]), "areas"),
]


def test_the_shipped_frameworks_follow_the_schema():
    assert framework_schema()["$schema"].endswith("2020-12/schema")
    for name in available_frameworks():
        assert validate_against_schema(load_framework(name).path) == []


@pytest.mark.parametrize("name, kind, edit, where", STRUCTURAL, ids=[s[0] for s in STRUCTURAL])
def test_schema_and_checker_reject_the_same_structural_faults(
    base, tmp_path, name, kind, edit, where
):
    data = copy.deepcopy(base)
    edit(data, _ind(data, kind))
    path = tmp_path / "fw.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = validate_against_schema(path)
    assert problems, f"the schema accepts: {name}"
    assert all(p.rule == "schema" and p.file == str(path) for p in problems)
    assert any(where in p.location for p in problems), [p.location for p in problems]
    assert all(p.line is not None for p in problems)
    with pytest.raises(FrameworkError):
        load_framework(path)


@pytest.mark.parametrize(
    "edit, rule",
    [
        (lambda d: d["areas"].append(copy.deepcopy(d["areas"][0])), "duplicate_id"),
        (lambda d: _ind(d, "P").update(area="nowhere"), "unknown_area"),
        (lambda d: _ind(d, "A").update(source="survey"), "source"),
        (
            lambda d: _ind(d, "O").update(
                direction="higher_is_better", goalposts={"worst": 0.9, "best": 0.1}
            ),
            "goalposts",
        ),
        (lambda d: d["areas"][0]["crosswalk"].update({"icc-14": ["nowhere"]}), "crosswalk"),
    ],
)
def test_cross_checks_are_left_to_the_checker(base, tmp_path, edit, rule):
    data = copy.deepcopy(base)
    edit(data)
    assert schema_problems(data, file="fw.yml") == []
    path = tmp_path / "fw.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    assert rule in {p.rule for p in info.value.problems}


def test_a_schema_problem_names_the_line_and_the_indicator(tmp_path, base):
    data = copy.deepcopy(base)
    ind = _ind(data, "P")
    ind["options"][1]["score"] = "half"
    path = tmp_path / "fw.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (problem,) = validate_against_schema(path)
    assert problem.location.startswith("indicators[0] (" + ind["id"] + ").options[1]")
    assert problem.location.endswith(".score")
    text = path.read_text(encoding="utf-8").splitlines()
    assert "half" in text[problem.line - 1]
