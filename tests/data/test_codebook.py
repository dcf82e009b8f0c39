"""Tests of lublin_diagnosis.data.codebook."""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

from lublin_diagnosis.data.codebook import Codebook, Variable, check_codebook
from lublin_diagnosis.exceptions import ReadError, ValidationError

BOOK = {
    "variables": [
        {"name": "resp_id", "type": "id", "role": "id", "label": {"pl": "Id", "en": "Id"}},
        {
            "name": "sex",
            "type": "categorical",
            "role": "weighting",
            "label": {"pl": "Płeć", "en": "Sex"},
            "values": {
                "F": {"pl": "Kobieta", "en": "Woman"},
                "M": {"pl": "Mężczyzna", "en": "Man"},
            },
            "missing": ["-9", "-8"],
        },
        {
            "name": "polish_level",
            "type": "ordinal",
            "role": "grouping",
            "label": {"pl": "Polski", "en": "Polish"},
            "values": {"0": {"pl": "brak", "en": "none"}, "1": {"pl": "podstawowy", "en": "basic"}},
        },
        {
            "name": "age",
            "type": "integer",
            "role": "grouping",
            "label": {"pl": "Wiek", "en": "Age"},
            "range": [18, 85],
        },
        {
            "name": "belonging",
            "type": "integer",
            "role": "outcome",
            "label": {"pl": "Przynależność", "en": "Belonging"},
            "range": [0, 10],
            "universe": "all",
        },
    ]
}

YAML = """\
variables:
  - name: resp_id
    type: id
    role: id
    label: {pl: Id, en: Id}
  - name: school
    type: categorical
    role: outcome
    label: {pl: Szkoła, en: School}
    values:
      01: {pl: tak, en: "yes"}
      02: {pl: nie, en: "no"}
      yes: {pl: inne, en: other}
    missing: [-9, -8]
  - name: age
    type: integer
    role: grouping
    label: {pl: Wiek, en: Age}
    range: [18, 85.5]
"""


def test_lookups() -> None:
    cb = Codebook.from_dict(BOOK)
    assert cb.names == ["resp_id", "sex", "polish_level", "age", "belonging"]
    assert cb.id_variable == "resp_id"
    assert cb.codes("sex") == ["F", "M"]
    assert cb.missing_codes("sex") == ["-9", "-8"]
    assert cb.label("sex", "pl") == "Płeć" and cb.label("sex") == "Sex"
    assert cb.value_labels("sex", "pl") == {"F": "Kobieta", "M": "Mężczyzna"}
    assert cb.by_role("grouping") == ["polish_level", "age"]
    assert cb.by_type("integer") == ["age", "belonging"]
    assert cb["age"].range == (18.0, 85.0)
    assert cb.get("nope") is None and "sex" in cb and len(cb) == 5
    with pytest.raises(KeyError, match="did you mean 'sex'"):
        cb["sexx"]
    with pytest.raises(ValueError, match="lang"):
        cb.label("sex", "de")
    with pytest.raises(ValueError, match="role"):
        cb.by_role("weights")


def test_immutable() -> None:
    cb = Codebook.from_dict(BOOK)
    with pytest.raises(AttributeError):
        cb.variables = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        cb["sex"].values["X"] = {"pl": "x", "en": "x"}  # type: ignore[index]
    with pytest.raises(TypeError):
        cb["sex"].label["pl"] = "x"  # type: ignore[index]


def test_yaml_keeps_codes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yml"
    path.write_text(YAML, encoding="utf-8")
    cb = Codebook.load(path)
    assert cb.codes("school") == ["01", "02", "yes"]
    assert cb.missing_codes("school") == ["-9", "-8"]
    assert cb.value_labels("school", "en")["01"] == "yes"
    assert cb["age"].range == (18.0, 85.5)


def test_round_trip(tmp_path: Path) -> None:
    cb = Codebook.from_dict(BOOK)
    path = tmp_path / "cb.yml"
    cb.to_yaml(path)
    again = Codebook.load(path)
    assert again.to_dict() == cb.to_dict()


def test_check_reports_every_problem() -> None:
    bad = copy.deepcopy(BOOK)
    bad["variables"][1]["label"] = {"pl": "Płeć"}  # no English
    bad["variables"][2]["values"] = None  # ordinal without values
    bad["variables"][3]["values"] = {"1": {"pl": "a", "en": "a"}}  # integer with values
    bad["variables"][3]["range"] = [85, 18]  # low > high
    bad["variables"][4]["role"] = "result"
    bad["variables"][4]["vaules"] = {}  # typo
    bad["variables"].append(copy.deepcopy(BOOK["variables"][0]))  # duplicate, 2nd id
    problems = check_codebook(bad, file="codebook.yml")
    got = {(p.rule, p.column) for p in problems}
    assert got >= {
        ("codebook_label", "sex"),
        ("codebook_values", "polish_level"),
        ("codebook_values", "age"),
        ("codebook_range", "age"),
        ("codebook_role", "belonging"),
        ("codebook_key", "belonging"),
        ("codebook_unique", "resp_id"),
        ("codebook_id", None),
    }
    typo = next(p for p in problems if p.rule == "codebook_key")
    assert "did you mean 'values'" in typo.message
    assert all(p.file == "codebook.yml" for p in problems)
    with pytest.raises(ValidationError) as info:
        Codebook.from_dict(bad)
    assert len(info.value.problems) == len(problems)


def test_missing_codes_clash_with_values() -> None:
    bad = copy.deepcopy(BOOK)
    bad["variables"][1]["missing"] = ["F"]
    assert [p.rule for p in check_codebook(bad)] == ["codebook_missing"]


def test_not_a_codebook(tmp_path: Path) -> None:
    assert [p.rule for p in check_codebook(["x"])] == ["codebook_format"]
    path = tmp_path / "cb.yml"
    path.write_text("variables: [\n", encoding="utf-8")
    with pytest.raises(ReadError, match="not valid YAML at line"):
        Codebook.load(path)
    with pytest.raises(ReadError, match="file not found"):
        Codebook.load(tmp_path / "none.yml")


def test_from_sav_skeleton(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {
            "resp_id": ["R1", "R2", "R3"],
            "sex": [1.0, 2.0, -9.0],
            "level": [0.0, 3.0, 1.0],
            "age": [20.0, 35.0, 61.0],
            "income": [1200.5, None, 3000.0],
        }
    )
    path = tmp_path / "survey.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={
            "resp_id": "Identyfikator",
            "sex": "Płeć",
            "level": "Poziom",
            "age": "Wiek",
            "income": "Dochód",
        },
        variable_value_labels={
            "sex": {1: "Kobieta", 2: "Mężczyzna", -9: "odmowa"},
            "level": {0: "brak", 1: "podstawowy", 3: "biegły"},
        },
        missing_ranges={"sex": [-9]},
        variable_measure={"sex": "nominal", "level": "ordinal", "income": "scale"},
    )
    cb = Codebook.from_sav(path)
    assert cb.id_variable == "resp_id"
    assert cb["sex"].type == "categorical" and cb["level"].type == "ordinal"
    assert cb.value_labels("sex", "pl") == {"1": "Kobieta", "2": "Mężczyzna"}
    assert cb.missing_codes("sex") == ["-9"]
    assert cb.value_labels("sex", "en")["1"].startswith("TODO")
    assert cb.label("income", "pl") == "Dochód"
    assert cb["age"].type == "integer" and cb["income"].type == "float"
    assert cb.by_role("outcome") == ["sex", "level", "age", "income"]
    # the skeleton is itself a valid codebook file
    assert check_codebook(cb.to_dict()) == []


def test_variable_properties() -> None:
    v = Variable(
        "x",
        "ordinal",
        "grouping",
        {"pl": "x", "en": "x"},
        {"a": {"pl": "a", "en": "a"}, "b": {"pl": "b", "en": "b"}},
    )
    assert v.codes == ("a", "b") and v.is_coded and not v.is_numeric
    assert v.to_dict()["values"]["b"] == {"pl": "b", "en": "b"}
