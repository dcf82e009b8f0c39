"""Tests of validate_dir / load_dataset: a small valid dataset, then injected faults."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from lublin_diagnosis.data.contracts import MAX_ROWS_LISTED
from lublin_diagnosis.data.validation import (
    Dataset,
    ValidationReport,
    load_dataset,
    validate_dir,
)
from lublin_diagnosis.exceptions import DataError, ReadError, ValidationError
from support import DEMO

# --------------------------------------------------------------------------- fixture data


def _lab(pl: str, en: str) -> dict[str, str]:
    return {"pl": pl, "en": en}


CODEBOOK = {
    "variables": [
        {"name": "resp_id", "type": "id", "role": "id", "label": _lab("Id respondenta", "Id")},
        {
            "name": "stratum",
            "type": "categorical",
            "role": "design",
            "label": _lab("Warstwa", "Stratum"),
            "values": {"S1": _lab("Śródmieście", "Centre"), "S2": _lab("Czechów", "North")},
        },
        {
            "name": "psu",
            "type": "categorical",
            "role": "design",
            "label": _lab("Punkt", "Sampling point"),
            "values": {f"P0{i}": _lab(f"Punkt {i}", f"Point {i}") for i in range(1, 5)},
        },
        {
            "name": "base_weight",
            "type": "float",
            "role": "design",
            "label": _lab("Waga", "Base weight"),
            "range": [0, 1000],
        },
        {
            "name": "sex",
            "type": "categorical",
            "role": "weighting",
            "label": _lab("Płeć", "Sex"),
            "values": {"F": _lab("Kobieta", "Woman"), "M": _lab("Mężczyzna", "Man")},
            "missing": ["-9"],
        },
        {
            "name": "age_group",
            "type": "categorical",
            "role": "weighting",
            "label": _lab("Wiek", "Age group"),
            "values": {
                "18-29": _lab("18–29", "18–29"),
                "30-44": _lab("30–44", "30–44"),
                "45+": _lab("45+", "45+"),
            },
        },
        {
            "name": "age",
            "type": "integer",
            "role": "grouping",
            "label": _lab("Wiek", "Age"),
            "range": [18, 85],
            "missing": ["-9"],
        },
        {
            "name": "polish_level",
            "type": "ordinal",
            "role": "grouping",
            "label": _lab("Znajomość polskiego", "Polish"),
            "values": {
                "0": _lab("brak", "none"),
                "1": _lab("podstawowa", "basic"),
                "2": _lab("komunikatywna", "communicative"),
                "3": _lab("biegła", "fluent"),
            },
        },
        {
            "name": "hh_income",
            "type": "float",
            "role": "outcome",
            "label": _lab("Dochód", "Income"),
            "range": [0, 100000],
            "missing": ["-9", "-8"],
        },
        {
            "name": "employed",
            "type": "categorical",
            "role": "outcome",
            "label": _lab("Pracuje", "Employed"),
            "values": {"1": _lab("tak", "yes"), "0": _lab("nie", "no")},
            "missing": ["-9", "-8"],
            "universe": "age 20-64",
        },
    ]
}

SURVEY_HEADER = [
    "resp_id",
    "stratum",
    "psu",
    "base_weight",
    "sex",
    "age_group",
    "age",
    "polish_level",
    "hh_income",
    "employed",
]
SURVEY_ROWS = [
    ["R001", "S1", "P01", "10.5", "F", "18-29", "25", "0", "3500", "1"],
    ["R002", "S1", "P01", "10.5", "M", "30-44", "40", "1", "-9", "0"],
    ["R003", "S1", "P02", "12", "F", "45+", "60", "2", "4200.5", "-8"],
    ["R004", "S1", "P02", "12", "M", "18-29", "19", "3", "", ""],
    ["R005", "S2", "P03", "8", "F", "30-44", "33", "1", "5100", "1"],
    ["R006", "S2", "P03", "8", "M", "45+", "70", "0", "2900", ""],
    ["R007", "S2", "P04", "9.25", "F", "18-29", "22", "2", "3100", "1"],
    ["R008", "S2", "P04", "9.25", "M", "30-44", "-9", "3", "6000", "-9"],
]

MARGINS = [
    ["variable", "category", "count", "source", "reference_date"],
    ["sex", "F", "6000", "PESEL-UKR register", "2022-11-02"],
    ["sex", "M", "4000", "PESEL-UKR register", "2022-11-02"],
    ["age_group", "18-29", "3000", "ZUS", "2022-06-30"],
    ["age_group", "30-44", "4000", "ZUS", "2022-06-30"],
    ["age_group", "45+", "3010", "ZUS", "2022-06-30"],
]

INSTITUTIONS = [
    ["institution_id", "name_pl", "name_en", "type", "areas", "responsible_level"],
    [
        "city_hall",
        "Urząd Miasta Lublin",
        "Lublin City Hall",
        "city_hall",
        "information;health",
        "city",
    ],
    [
        "mopr",
        "Miejski Ośrodek Pomocy Rodzinie",
        "Family assistance centre",
        "family_assistance",
        "health",
        "city",
    ],
    ["clinic_1", "Przychodnia nr 1", "Clinic no. 1", "clinic", "health", "city"],
]

MONITORING = [
    ["institution_id", "indicator_id", "answer", "evidence", "date", "round"],
    ["clinic_1", "health_p_interpreting", "partial", "questionnaire", "2022-05-10", "2022"],
    ["clinic_1", "health_p_interpreting", "full", "questionnaire", "2023-05-12", "2023"],
    ["city_hall", "info_p_website", "none", "web_audit", "2022-04-01", "2022"],
]

ADMIN = [
    ["indicator_id", "institution_id", "round", "value", "source", "date"],
    ["health_a_interpreted_visits", "clinic_1", "2022", "120", "FOI 12/2022", "2022-09-01"],
    ["health_a_interpreted_visits", "", "2023", "310.5", "FOI 3/2023", "2023-09-01"],
]

LEGAL = [
    [
        "case_id",
        "date_opened",
        "nationality_group",
        "sex",
        "age_group",
        "problems",
        "outcome",
        "n_consultations",
    ],
    ["L001", "2022-10-03", "UA", "F", "30-44", "residence;work", "resolved", "3"],
    ["L002", "2022-11-14", "BY", "M", "18-29", "housing", "advice_given", "1"],
    ["L003", "2023-01-20", "asia", "X", "45-64", "discrimination;health;other", "ongoing", "2"],
]

RECS = [
    ["rec_id", "area", "institution_id", "indicator_ids", "text_pl", "text_en", "date_issued"],
    [
        "R01",
        "health",
        "clinic_1",
        "health_p_interpreting",
        "Zapewnić tłumaczy",
        "Provide interpreters",
        "2023-02-01",
    ],
    [
        "R02",
        "information",
        "city_hall",
        "info_p_website;health_p_interpreting",
        "Strona po ukraińsku",
        "Website in Ukrainian",
        "2023-02-01",
    ],
]

OPINIONS = [
    ["rec_id", "member", "date", "opinion", "comment_pl", "comment_en"],
    ["R01", "CG01", "2023-01-15", "support", "", ""],
    ["R02", "CG03", "2023-01-16", "amend", "Dodać rosyjski", "Add Russian"],
]

PLEDGES = [
    ["candidate", "committee", "date", "area", "rec_id", "answer", "pledge"],
    ["Kandydatka A (syntetyczna)", "Komitet X", "2024-03-01", "information", "R02", "yes", "Tak"],
    ["Kandydat B (syntetyczny)", "Komitet Y", "2024-03-02", "information", "R02", "no_answer", ""],
]

STATUS = [
    ["rec_id", "date", "status"],
    ["R01", "2023-02-01", "issued"],
    ["R02", "2023-02-01", "issued"],
    ["R01", "2023-03-10", "acknowledged"],
    ["R01", "2023-09-30", "in_progress"],
]


def _opt(oid: str, score: int) -> dict:
    return {"id": oid, "score": score, "label": _lab(oid, oid)}


FRAMEWORK = {
    "id": "test-fw",
    "version": 1,
    "name": _lab("Test", "Test"),
    "description": _lab("Test", "Test"),
    "areas": [
        {
            "id": "health",
            "number": 1,
            "name": _lab("Zdrowie", "Health"),
            "description": _lab("Zdrowie", "Health"),
        },
        {
            "id": "information",
            "number": 2,
            "name": _lab("Informacja", "Information"),
            "description": _lab("Informacja", "Information"),
        },
    ],
    "indicators": [
        {
            "id": "health_p_interpreting",
            "area": "health",
            "kind": "P",
            "question": _lab("Tłumacze?", "Interpreting?"),
            "source": "questionnaire",
            "institution_types": ["clinic"],
            "options": [_opt("none", 0), _opt("partial", 50), _opt("full", 100)],
        },
        {
            "id": "info_p_website",
            "area": "information",
            "kind": "P",
            "question": _lab("Strona?", "Website?"),
            "source": "web_audit",
            "institution_types": ["city_hall"],
            "options": [_opt("none", 0), _opt("partial", 50), _opt("full", 100)],
        },
        {
            "id": "health_a_interpreted_visits",
            "area": "health",
            "kind": "A",
            "question": _lab("Wizyty", "Interpreted visits"),
            "unit": _lab("wizyty", "visits"),
            "source": "foi_request",
            "direction": "higher_is_better",
            "goalposts": {"worst": 0, "best": 1000},
        },
        {
            "id": "health_o_employed",
            "area": "health",
            "kind": "O",
            "question": _lab("Pracuje", "Employed"),
            "source": "survey",
            "variable": "employed",
            "success": ["1"],
            "direction": "higher_is_better",
            "goalposts": {"worst": 0.0, "best": 1.0},
        },
    ],
}


def _write_csv(
    path: Path, rows: list[list[str]], *, sep: str = ",", encoding: str = "utf-8"
) -> None:
    def cell(value: str) -> str:
        if sep in value or '"' in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    text = "".join(sep.join(cell(v) for v in row) + "\n" for row in rows)
    path.write_bytes(text.encode(encoding))


ROUNDS = [
    ["kind", "round", "retrospective", "label_pl", "label_en", "source"],
    ["monitoring", "2011", "yes", "Monitoring 2010–11", "2010–11 monitoring", "old report"],
    ["monitoring", "2022", "no", "Monitoring 2022", "2022 monitoring", ""],
    ["monitoring", "2023", "no", "Monitoring 2023", "2023 monitoring", ""],
    ["survey", "2021", "no", "Badanie 2021", "2021 survey", ""],
    ["survey", "2023", "no", "Badanie 2023", "2023 survey", ""],
]
MONITORING_HISTORY = [
    MONITORING[0],
    ["clinic_1", "health_p_interpreting", "none", "document_review", "2011-03-01", "2011"],
]
PUBLIC = [
    ["theme", "indicator", "territory", "group", "date", "value", "unit", "status"]
    + ["source_title", "publisher", "url", "retrieved", "note"],
    ["education", "foreign_students", "lublin", "", "2021-10-01", "8300", "persons", "real"]
    + ["A report", "A paper", "https://example.org/a", "2026-12-01", ""],
    ["legal_status", "residence_permits_valid", "lubelskie", "sex=F", "2018-02-01", "6000"]
    + ["persons", "synthetic", "SYNTHETIC", "test", "https://example.org/b", "2026-12-01", "x"],
]
PEER_SCORES = [
    ["city", "area", "round", "score", "status", "source"],
    ["gdansk", "health", "2023", "55.5", "synthetic", "SYNTHETIC test scores"],
]


def make_dataset(root: Path, *, synthetic: bool = True) -> Path:
    """Write a small valid data directory under ``root`` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    meta = {
        "title": "Test data",
        "synthetic": synthetic,
        "design": {"ids": "psu", "strata": "stratum", "weights": "base_weight"},
        "framework": "framework.yml",
    }
    (root / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    (root / "framework.yml").write_text(
        yaml.safe_dump(FRAMEWORK, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (root / "codebook.yml").write_text(
        yaml.safe_dump(CODEBOOK, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    _write_csv(root / "survey.csv", [SURVEY_HEADER] + SURVEY_ROWS)
    _write_csv(
        root / "survey_history.csv",
        [["round", *SURVEY_HEADER]] + [["2021", *r] for r in SURVEY_ROWS],
    )
    for name, rows in [
        ("margins.csv", MARGINS),
        ("institutions.csv", INSTITUTIONS),
        ("monitoring.csv", MONITORING),
        ("admin.csv", ADMIN),
        ("legal_cases.csv", LEGAL),
        ("recommendations.csv", RECS),
        ("recommendation_opinions.csv", OPINIONS),
        ("recommendation_status.csv", STATUS),
        ("rounds.csv", ROUNDS),
        ("monitoring_history.csv", MONITORING_HISTORY),
        ("public.csv", PUBLIC),
        ("peer_scores.csv", PEER_SCORES),
        ("pledges.csv", PLEDGES),
    ]:
        _write_csv(root / name, rows)
    return root


@pytest.fixture(scope="module")
def valid_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_dataset(tmp_path_factory.mktemp("valid") / "data")


@pytest.fixture
def data(tmp_path: Path, valid_dir: Path) -> Path:
    """A fresh copy of the valid dataset, to break."""
    return Path(shutil.copytree(valid_dir, tmp_path / "data"))


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell (spreadsheet row numbering: header is row 1)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[row - 1].split(",")
    cells[header.index(column)] = value
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _rules(report: ValidationReport) -> list[str]:
    return [p.rule for p in report.problems]


def _one(report: ValidationReport, rule: str):
    found = [p for p in report.problems if p.rule == rule]
    assert len(found) == 1, report.format()
    return found[0]


# --------------------------------------------------------------------------- valid data
def test_valid_dataset_is_ok(valid_dir: Path) -> None:
    report = validate_dir(valid_dir)
    assert report.ok, report.format()
    text = report.format()
    assert "survey.csv: 8 respondents, 10 variables" in text
    assert "codebook.yml: 10 variables" in text
    assert "SYNTHETIC" in text
    assert report.summary["margins.csv"].rows == 5
    assert report.summary["survey.csv"].problems == 0


def test_load_dataset_types(valid_dir: Path) -> None:
    ds = load_dataset(valid_dir)
    assert isinstance(ds, Dataset)
    assert ds.synthetic and ds.title == "Test data"
    assert ds.meta["framework"] == "framework.yml"
    assert ds.design == {"ids": "psu", "strata": "stratum", "weights": "base_weight"}
    s = ds.survey
    assert list(s.columns) == SURVEY_HEADER and len(s) == 8
    assert s["sex"].cat.categories.tolist() == ["F", "M"]
    assert not s["sex"].cat.ordered
    assert s["polish_level"].cat.ordered
    assert s["polish_level"].cat.categories.tolist() == ["0", "1", "2", "3"]
    assert s["employed"].isna().sum() == 4  # "-8", "-9" and two empty cells
    assert s["age"].dtype == "float64" and s["age"].isna().sum() == 1
    assert s["hh_income"].tolist()[:3] == pytest.approx([3500, float("nan"), 4200.5], nan_ok=True)
    assert s["resp_id"].tolist()[0] == "R001"
    assert ds.margins_dict() == {
        "sex": {"F": 6000.0, "M": 4000.0},
        "age_group": {"18-29": 3000.0, "30-44": 4000.0, "45+": 3010.0},
    }
    assert ds.margins["count"].dtype == "float64"
    assert ds.monitoring["round"].dtype == "int64"
    assert str(ds.monitoring["date"].dtype).startswith("datetime64")
    assert ds.admin["institution_id"].isna().sum() == 1
    assert ds.admin["value"].tolist() == [120.0, 310.5]
    assert ds.paths["survey"] == valid_dir / "survey.csv"
    long = ds.legal_problems()
    assert len(long) == 6 and set(long["problems"]) >= {"residence", "work", "other"}
    with pytest.raises(AttributeError):
        ds.survey = None  # type: ignore[misc]


def test_validate_never_modifies_inputs(data: Path) -> None:
    _edit_csv(data / "survey.csv", 3, "sex", "K")  # invalid data is not "fixed" either

    def digest() -> dict[str, str]:
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(data.iterdir())}

    before = digest()
    mtimes = {p.name: p.stat().st_mtime_ns for p in data.iterdir()}
    assert not validate_dir(data).ok
    with pytest.raises(ValidationError):
        load_dataset(data)
    assert digest() == before
    assert {p.name: p.stat().st_mtime_ns for p in data.iterdir()} == mtimes
    assert sorted(p.name for p in data.iterdir()) == sorted(before)


# --------------------------------------------------------------------------- required faults
def test_missing_column(data: Path) -> None:
    frame = pd.read_csv(data / "survey.csv", dtype=str, keep_default_na=False)
    frame.drop(columns="age_group").to_csv(data / "survey.csv", index=False)
    p = _one(validate_dir(data), "missing_column")
    assert (p.file, p.column, p.row) == ("survey.csv", "age_group", None)
    assert "age_group" in str(p)


def test_unknown_category(data: Path) -> None:
    _edit_csv(data / "survey.csv", 4, "sex", "K")
    report = validate_dir(data)
    p = _one(report, "unknown_code")
    assert (p.file, p.row, p.column, p.value) == ("survey.csv", 4, "sex", "K")
    line = str(p)
    assert "survey.csv, row 4, column 'sex'" in line and "'K'" in line
    assert "F, M" in line and "codebook" in line
    assert line in report.format()


def test_out_of_range_code(data: Path) -> None:
    _edit_csv(data / "survey.csv", 2, "age", "150")
    _edit_csv(data / "survey.csv", 5, "age", "17.5")
    report = validate_dir(data)
    ranges = [p for p in report.problems if p.rule == "range"]
    assert [(p.row, p.column, p.value) for p in ranges] == [(2, "age", "150"), (5, "age", "17.5")]
    assert ">= 18 and <= 85" in ranges[0].message
    whole = _one(report, "not_an_integer")
    assert (whole.row, whole.value) == (5, "17.5")


def test_ordinal_code_out_of_its_codes(data: Path) -> None:
    _edit_csv(data / "survey.csv", 6, "polish_level", "4")
    p = _one(validate_dir(data), "unknown_code")
    assert (p.row, p.column, p.value) == (6, "polish_level", "4")


def test_duplicate_id(data: Path) -> None:
    _edit_csv(data / "survey.csv", 7, "resp_id", "R002")
    p = _one(validate_dir(data), "unique")
    assert (p.file, p.row, p.column, p.value) == ("survey.csv", 7, "resp_id", "R002")
    assert "row 3" in p.message


def test_empty_file(data: Path) -> None:
    (data / "institutions.csv").write_bytes(b"")
    report = validate_dir(data)
    p = _one(report, "read")
    assert p.file == "institutions.csv" and "empty (0 bytes)" in p.message
    # the other files are still checked: their summaries are there
    assert report.summary["survey.csv"].rows == 8


def test_header_only(data: Path) -> None:
    (data / "legal_cases.csv").write_text(",".join(LEGAL[0]) + "\n", encoding="utf-8")
    p = _one(validate_dir(data), "no_rows")
    assert p.file == "legal_cases.csv" and "no cases" in p.message


def test_missing_file(data: Path) -> None:
    (data / "admin.csv").unlink()
    p = _one(validate_dir(data), "read")
    assert p.file == "admin.csv" and "file not found" in p.message


def test_input_declared_absent(data: Path) -> None:
    (data / "admin.csv").unlink()
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["files"] = {"admin": None}
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    report = validate_dir(data)
    assert report.ok, report.format()
    assert "admin: not provided" in report.format()
    assert load_dataset(data).admin is None


def test_wrong_encoding_declared(data: Path) -> None:
    rows = [INSTITUTIONS[0], ["lodz", "Urząd w Łodzi", "Łódź office", "other", "health"]]
    _write_csv(data / "institutions.csv", INSTITUTIONS + rows[1:], encoding="cp1250")
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["files"] = {"institutions": {"path": "institutions.csv", "encoding": "utf-8"}}
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    p = _one(validate_dir(data), "read")
    assert p.file == "institutions.csv"
    assert "byte offset" in p.message and "cp1250" in p.message


def test_margin_category_absent_from_codebook(data: Path) -> None:
    _edit_csv(data / "margins.csv", 6, "category", "45-64")
    report = validate_dir(data)
    p = _one(report, "margin_category")
    assert (p.file, p.row, p.column, p.value) == ("margins.csv", 6, "category", "45-64")
    assert "age_group" in p.message
    q = _one(report, "margin_complete")  # and so 45+ has no row any more
    assert q.value == "45+"


def test_margin_totals_disagree(data: Path) -> None:
    _edit_csv(data / "margins.csv", 6, "count", "3500")  # age total 10,500 vs 10,000
    p = _one(validate_dir(data), "margin_totals")
    assert p.file == "margins.csv" and p.value == "age_group"
    assert "10,500" in p.message and "10,000" in p.message and "sex" in p.message


def test_margin_totals_within_tolerance(valid_dir: Path) -> None:
    # the fixture's totals differ by 0.1% (10,010 vs 10,000): accepted
    assert "margin_totals" not in _rules(validate_dir(valid_dir))


def test_margin_variable_rules(data: Path) -> None:
    rows = MARGINS + [
        ["age", "30", "10", "x", "2022-01-01"],
        ["stratum", "S1", "10", "x", "2022-01-01"],
    ]
    _write_csv(data / "margins.csv", rows)
    found = [p for p in validate_dir(data).problems if p.rule == "margin_variable"]
    assert [(p.row, p.value) for p in found] == [(7, "age"), (8, "stratum")]
    assert "integer" in found[0].message and "'design'" in found[1].message


def test_weighting_variable_without_margin(data: Path) -> None:
    _write_csv(data / "margins.csv", MARGINS[:3])
    p = _one(validate_dir(data), "margin_missing")
    assert p.value == "age_group"


def test_references_between_files(data: Path) -> None:
    _edit_csv(data / "monitoring.csv", 3, "institution_id", "clinic_9")
    _edit_csv(data / "recommendation_opinions.csv", 2, "rec_id", "R99")
    report = validate_dir(data)
    p = _one(report, "unknown_institution")
    assert (p.file, p.row, p.value) == ("monitoring.csv", 3, "clinic_9")
    q = _one(report, "unknown_rec_id")
    assert (q.file, q.row, q.value) == ("recommendation_opinions.csv", 2, "R99")


def test_status_history_rules(data: Path) -> None:
    _write_csv(
        data / "recommendation_status.csv",
        [
            ["rec_id", "date", "status"],
            ["R01", "2023-03-10", "acknowledged"],  # before its issued row
            ["R01", "2023-02-01", "issued"],
            ["R01", "2023-01-05", "in_progress"],  # date goes back, before date_issued
        ],
    )
    report = validate_dir(data)
    rules = _rules(report)
    assert "status_order" in rules
    dates = [p for p in report.problems if p.rule == "status_dates"]
    assert {p.row for p in dates} == {3, 4}
    missing = [p for p in report.problems if p.rule == "status_issued"]
    assert [p.value for p in missing] == ["R02"]


def test_framework_cross_checks(data: Path) -> None:
    _edit_csv(data / "monitoring.csv", 2, "answer", "maybe")
    _edit_csv(data / "monitoring.csv", 4, "indicator_id", "health_a_interpreted_visits")
    _edit_csv(data / "admin.csv", 2, "indicator_id", "info_p_website")
    _edit_csv(data / "recommendations.csv", 2, "area", "transport")
    _edit_csv(data / "institutions.csv", 3, "areas", "health;sport")
    report = validate_dir(data)
    got = {(p.file, p.rule, p.row) for p in report.problems}
    assert ("monitoring.csv", "unknown_answer", 2) in got
    assert ("monitoring.csv", "indicator_kind", 4) in got
    assert ("admin.csv", "indicator_kind", 2) in got
    assert ("recommendations.csv", "unknown_area", 2) in got
    assert ("institutions.csv", "unknown_area", 3) in got
    answer = next(p for p in report.problems if p.rule == "unknown_answer")
    assert "none, partial, full" in answer.message


def test_outcome_indicator_variable_must_be_in_codebook(data: Path) -> None:
    fw = yaml.safe_load((data / "framework.yml").read_text(encoding="utf-8"))
    fw["indicators"][3]["variable"] = "employd"
    (data / "framework.yml").write_text(yaml.safe_dump(fw), encoding="utf-8")
    report = validate_dir(data)
    p = _one(report, "not_in_codebook")
    assert p.value == "employd" and p.file.endswith("framework.yml")
    assert "employd" in report.format()


def test_unknown_framework_is_reported(data: Path) -> None:
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["framework"] = "no-such-framework.yml"
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    p = _one(validate_dir(data), "framework")
    assert p.file == "dataset.yml"


def test_design_variables(data: Path) -> None:
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["design"]["ids"] = ["psu"]  # multi-stage form: a list of names
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    assert validate_dir(data).ok
    assert load_dataset(data).design["ids"] == ["psu"]
    _edit_csv(data / "survey.csv", 3, "base_weight", "0")
    _edit_csv(data / "survey.csv", 4, "psu", "")
    report = validate_dir(data)
    design = [p for p in report.problems if p.rule == "design"]
    assert {(p.row, p.column) for p in design} == {(3, "base_weight"), (4, "psu")}


def test_legal_cases_forbid_free_text(data: Path) -> None:
    rows = [r + [v] for r, v in zip(LEGAL, ["name", "Jan Kowalski", "x", "y"], strict=False)]
    _write_csv(data / "legal_cases.csv", rows)
    p = _one(validate_dir(data), "unknown_column")
    assert p.column == "name" and "no names" in p.message


def test_codebook_problems_are_reported(data: Path) -> None:
    book = yaml.safe_load((data / "codebook.yml").read_text(encoding="utf-8"))
    del book["variables"][4]["label"]["en"]
    book["variables"][5]["type"] = "category"
    (data / "codebook.yml").write_text(yaml.safe_dump(book), encoding="utf-8")
    report = validate_dir(data)
    assert {(p.file, p.rule, p.column) for p in report.problems} >= {
        ("codebook.yml", "codebook_label", "sex"),
        ("codebook.yml", "codebook_type", "age_group"),
    }
    with pytest.raises(ValidationError):
        load_dataset(data)


def test_several_faults_reported_in_one_pass(data: Path) -> None:
    _edit_csv(data / "survey.csv", 2, "sex", "K")  # unknown code
    _edit_csv(data / "survey.csv", 3, "age", "150")  # out of range
    _edit_csv(data / "survey.csv", 9, "resp_id", "R001")  # duplicate id
    _edit_csv(data / "margins.csv", 2, "count", "-5")  # count <= 0
    _edit_csv(data / "institutions.csv", 3, "type", "hospital")  # not allowed
    _edit_csv(data / "monitoring.csv", 2, "date", "2022-13-01")  # bad date
    _edit_csv(data / "legal_cases.csv", 3, "n_consultations", "0")  # below 1
    _edit_csv(data / "recommendation_opinions.csv", 3, "member", "Anna")  # not a code
    _edit_csv(data / "recommendation_status.csv", 4, "status", "done")  # not allowed
    (data / "admin.csv").write_bytes(b"")  # unreadable
    with pytest.raises(ValidationError) as info:
        load_dataset(data)
    problems = info.value.problems
    got = {(p.file, p.rule, p.row, p.column) for p in problems}
    expected = {
        ("survey.csv", "unknown_code", 2, "sex"),
        ("survey.csv", "range", 3, "age"),
        ("survey.csv", "unique", 9, "resp_id"),
        ("margins.csv", "range", 2, "count"),
        ("institutions.csv", "allowed", 3, "type"),
        ("monitoring.csv", "date", 2, "date"),
        ("legal_cases.csv", "range", 3, "n_consultations"),
        ("recommendation_opinions.csv", "pattern", 3, "member"),
        ("recommendation_status.csv", "allowed", 4, "status"),
        ("admin.csv", "read", None, None),
    }
    assert expected <= got, "\n".join(map(str, problems))
    # the -5 count also breaks the margin totals; nothing else is reported
    assert len(problems) == len(expected) + 1, "\n".join(map(str, problems))
    assert isinstance(info.value, DataError)
    text = validate_dir(data).format()
    assert len(text.splitlines()) == len(problems) + 1


def test_thousands_of_failures_are_summarised(data: Path) -> None:
    rows = [SURVEY_HEADER] + [
        [f"R{i:05d}", "S1", "P01", "1", "K", "18-29", "30", "1", "100", "1"] for i in range(5000)
    ]
    _write_csv(data / "survey.csv", rows)
    report = validate_dir(data)
    codes = [p for p in report.problems if p.rule == "unknown_code"]
    assert len(codes) == 1
    assert codes[0].row == 2 and codes[0].value == "K"
    assert "5,000 rows" in codes[0].message and "2, 3, 4, 5, 6" in codes[0].message
    assert len(report.format().splitlines()) < 10


def test_few_failures_are_listed_one_by_one(data: Path) -> None:
    for row in range(2, 2 + min(MAX_ROWS_LISTED, 8)):
        _edit_csv(data / "survey.csv", row, "sex", "K")
    codes = [p for p in validate_dir(data).problems if p.rule == "unknown_code"]
    assert [p.row for p in codes] == list(range(2, 10))


def test_polish_export_dataset(data: Path) -> None:
    """The survey as a Polish Excel export: cp1250, ';', decimal comma, detected."""
    rows = [[v.replace(".", ",") for v in r] for r in SURVEY_ROWS]
    _write_csv(data / "survey.csv", [SURVEY_HEADER] + rows, sep=";", encoding="cp1250")
    _write_csv(data / "margins.csv", MARGINS, sep=";", encoding="utf-8-sig")
    report = validate_dir(data)
    assert report.ok, report.format()
    ds = load_dataset(data)
    assert ds.survey["base_weight"].tolist()[-1] == 9.25
    assert ds.survey["hh_income"].tolist()[2] == 4200.5


def test_survey_as_sav(data: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(SURVEY_ROWS, columns=SURVEY_HEADER).replace("", None)
    for col in ("base_weight", "age", "hh_income", "polish_level", "employed"):
        frame[col] = pd.to_numeric(frame[col])
    pyreadstat.write_sav(
        frame, str(data / "survey.sav"), variable_value_labels={"employed": {1: "tak", 0: "nie"}}
    )
    (data / "survey.csv").unlink()
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["files"] = {"survey": "survey.sav"}
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    report = validate_dir(data)
    assert report.ok, report.format()
    ds = load_dataset(data)
    assert ds.paths["survey"].name == "survey.sav"
    assert ds.survey["employed"].cat.categories.tolist() == ["1", "0"]
    assert ds.survey["employed"].tolist()[:2] == ["1", "0"]


def test_bad_dataset_yml(data: Path) -> None:
    (data / "dataset.yml").write_text(
        "files:\n  survy: {path: survey.csv}\n"
        "  margins: {path: margins.csv, sepp: ';'}\n"
        "design: {weights: nope}\n",
        encoding="utf-8",
    )
    report = validate_dir(data)
    msgs = [p for p in report.problems if p.file == "dataset.yml"]
    values = {p.value for p in msgs}
    assert {"survy", "sepp", "nope"} <= values, report.format()


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a directory"):
        validate_dir(tmp_path / "nowhere")


@pytest.mark.skipif(not (DEMO / "survey.csv").exists(), reason="no demo data written yet")
def test_demo_data_is_valid() -> None:
    report = validate_dir(DEMO)
    assert report.ok, report.format()


# --------------------------------------------------------------------------- action plan,
# replies, events (optional registers) and the activity targets
REPLIES = [
    ["rec_id", "date", "summary_pl", "summary_en", "commitment", "document_ref"],
    ["R01", "2023-04-01", "Wdrożymy.", "We will implement it.", "implement", "UM/1/2023"],
    ["R02", "2023-04-02", "Rozważymy.", "", "consider", ""],
]
EVENTS = [
    [
        "event_id",
        "date",
        "type",
        "place",
        "participants_migrants",
        "participants_institutions",
        "participants_ngo",
        "participants_other",
        "campaign",
        "institution_id",
        "outputs",
    ],
    ["EV01", "2023-03-01", "seminar", "Lublin", "5", "10", "3", "0", "", "", "notatka"],
    ["EV02", "2023-03-20", "report_sent", "Lublin", "0", "0", "0", "0", "", "mopr", ""],
]


def _with_registers(data: Path) -> Path:
    _write_csv(data / "replies.csv", REPLIES)
    _write_csv(data / "events.csv", EVENTS)
    return data


def test_optional_registers_may_be_left_out(valid_dir: Path) -> None:
    report = validate_dir(valid_dir)
    assert "replies: not provided (optional)" in report.format()
    ds = load_dataset(valid_dir)
    assert ds.replies is None and ds.events is None
    assert ds.meta["targets"]["seminars"] == 4


def test_optional_registers_load_typed(data: Path) -> None:
    ds = load_dataset(_with_registers(data))
    assert ds.replies["commitment"].tolist() == ["implement", "consider"]
    assert ds.events["participants_institutions"].tolist() == [10, 0]
    assert str(ds.events["date"].dtype).startswith("datetime64")


def test_a_reply_for_an_unknown_recommendation_is_refused(data: Path) -> None:
    _with_registers(data)
    _edit_csv(data / "replies.csv", 3, "rec_id", "R99")
    p = _one(validate_dir(data), "unknown_rec_id")
    assert (p.file, p.row, p.column, p.value) == ("replies.csv", 3, "rec_id", "R99")
    assert "a reply names recommendation R99" in p.message and "correct the rec_id" in p.message


def test_an_event_with_a_negative_count_is_refused(data: Path) -> None:
    _with_registers(data)
    _edit_csv(data / "events.csv", 2, "participants_ngo", "-1")
    p = _one(validate_dir(data), "range")
    assert (p.file, p.row, p.column) == ("events.csv", 2, "participants_ngo")
    assert ">= 0" in p.message and "never names" in p.message


def test_events_hold_no_names_and_known_institutions(data: Path) -> None:
    _with_registers(data)
    _edit_csv(data / "events.csv", 3, "institution_id", "nowhere")
    lines = (data / "events.csv").read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",speaker"] + [line + ",Jan Kowalski" for line in lines[1:]]
    (data / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_dir(data)
    assert _one(report, "unknown_column").column == "speaker"
    p = _one(report, "unknown_institution")
    assert (p.file, p.row, p.value) == ("events.csv", 3, "nowhere")


def test_action_plan_columns_are_optional_but_checked(data: Path) -> None:
    lines = (data / "recommendations.csv").read_text(encoding="utf-8").splitlines()
    extra = ",responsible_level,deadline,cost_estimate"
    lines = [lines[0] + extra, lines[1] + ",county,2023-02-30,cheap", lines[2] + ",city,,"]
    (data / "recommendations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate_dir(data)
    found = sorted((p.column, p.row, p.rule) for p in report.problems)
    assert found == [
        ("cost_estimate", 2, "allowed"),
        ("deadline", 2, "date"),
        ("responsible_level", 2, "allowed"),
    ], report.format()


@pytest.mark.parametrize(
    ("targets", "column_value"),
    [({"seminar": 4}, "seminar"), ({"seminars": -1}, -1), ({"institutions_reported": "x"}, "x")],
)
def test_bad_targets_are_problems_of_dataset_yml(data: Path, targets, column_value) -> None:
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["targets"] = targets
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    p = _one(validate_dir(data), "dataset_yml")
    assert (p.file, p.column, p.value) == ("dataset.yml", "targets", column_value)


def test_targets_override_the_defaults(data: Path) -> None:
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["targets"] = {"seminars": 6, "institutions_reported": "all"}
    (data / "dataset.yml").write_text(yaml.safe_dump(meta), encoding="utf-8")
    targets = load_dataset(data).meta["targets"]
    assert targets["seminars"] == 6 and targets["legal_clients"] == 60
