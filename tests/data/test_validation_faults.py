"""Issue 11, input side: each fault found on corrupted copies of the demo data is reported
by ``validate_dir`` with its file and spreadsheet row (it was accepted, and ``run`` failed
or published garbage)."""

from __future__ import annotations

import csv
import dataclasses
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from lublin_diagnosis.data.validation import ValidationReport, load_dataset, validate_dir
from support import DEMO, ROOT

pytestmark = pytest.mark.skipif(not (DEMO / "survey.csv").exists(), reason="no demo data")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(DEMO, tmp_path / "demo"))


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` is the spreadsheet row (the header is row 1)."""
    rows = _rows(path)
    rows[row - 1][rows[0].index(column)] = value
    _write(path, rows)


def _set_design(data: Path, **options: object) -> None:
    meta = yaml.safe_load((data / "dataset.yml").read_text(encoding="utf-8"))
    meta["design"].update(options)
    (data / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")


def _problems(report: ValidationReport, rule: str) -> list:
    found = [p for p in report.problems if p.rule == rule]
    assert found, f"no {rule!r} problem in:\n{report.format()}"
    return found


def test_survey_cut_in_half(demo: Path) -> None:
    data = (demo / "survey.csv").read_bytes()
    (demo / "survey.csv").write_bytes(data[: len(data) // 2])
    report = validate_dir(demo)
    (p,) = _problems(report, "read")
    assert p.file == "survey.csv"
    assert "has 48 fields but row 601 has" in p.message and "cut off" in p.message


def test_row_with_10_of_48_fields(demo: Path) -> None:
    rows = _rows(demo / "survey.csv")
    rows[301] = rows[301][:10]  # spreadsheet row 302
    _write(demo / "survey.csv", rows)
    (p,) = _problems(validate_dir(demo), "read")
    assert "row 302 has 10" in p.message and "cut off" not in p.message


@pytest.mark.parametrize("variable", ["sex", "citizenship"])
def test_empty_margin_variable(demo: Path, variable: str) -> None:
    _edit(demo / "survey.csv", 40, variable, "")
    (p,) = _problems(validate_dir(demo), "margin_variable_missing")
    assert (p.file, p.row, p.column) == ("survey.csv", 40, variable)
    assert "every respondent needs a category" in p.message


def test_whole_margin_variable_empty(demo: Path) -> None:
    rows = _rows(demo / "survey.csv")
    col = rows[0].index("sex")
    for row in rows[1:]:
        row[col] = ""
    _write(demo / "survey.csv", rows)
    (p,) = _problems(validate_dir(demo), "margin_variable_missing")
    assert p.row == 2 and "1,200 rows" in p.message


def test_empty_design_variable(demo: Path) -> None:
    _edit(demo / "survey.csv", 7, "stratum", "")
    (p,) = _problems(validate_dir(demo), "design")
    assert (p.file, p.row, p.column) == ("survey.csv", 7, "stratum")


@pytest.mark.parametrize("value", ["-inf", "nan"])
def test_non_finite_weight(demo: Path, value: str) -> None:
    _edit(demo / "survey.csv", 11, "base_weight", value)
    report = validate_dir(demo)
    (p,) = _problems(report, "not_a_number")
    assert (p.row, p.column, p.value) == (11, "base_weight", value)
    assert {q.rule for q in report.problems if q.row == 11} == {"not_a_number", "design"}


def test_absurd_weight(demo: Path) -> None:
    _edit(demo / "survey.csv", 12, "base_weight", "1e308")
    report = validate_dir(demo)
    (p,) = _problems(report, "absurd")
    assert (p.file, p.row, p.column) == ("survey.csv", 12, "base_weight")
    (d,) = _problems(report, "design")
    assert "at most 1,000,000,000,000" in d.message


@pytest.mark.parametrize("value", ["inf", "1" + "0" * 300])
def test_non_finite_or_absurd_margin_count(demo: Path, value: str) -> None:
    _edit(demo / "margins.csv", 9, "count", value)
    report = validate_dir(demo)
    (p,) = [q for q in report.problems if q.file == "margins.csv"]
    assert (p.row, p.column) == (9, "count")
    assert p.rule in ("not_a_number", "absurd")
    assert all(len(str(q)) < 1000 for q in report.problems)
    assert "0" * 60 not in report.format()  # the value is cut, not printed in full


def test_margin_total_message_is_capped(demo: Path) -> None:
    _edit(demo / "margins.csv", 2, "count", "999999999999")  # large but not absurd
    found = _problems(validate_dir(demo), "margin_totals")
    assert all(len(p.message) < 400 for p in found)


def test_zero_margin_count(demo: Path) -> None:
    # issue 9: a zero population count in a margin is rejected at validate time
    _edit(demo / "margins.csv", 14, "count", "0")
    (p,) = _problems(validate_dir(demo), "range")
    assert (p.file, p.row, p.column) == ("margins.csv", 14, "count")
    assert "must be > 0" in p.message and "collapse the category" in p.message


def test_margin_category_with_no_respondents(demo: Path) -> None:
    rows = _rows(demo / "survey.csv")
    col = rows[0].index("citizenship")
    for row in rows[1:]:
        if row[col] == "other":
            row[col] = "asia"
    _write(demo / "survey.csv", rows)
    (p,) = _problems(validate_dir(demo), "margin_no_respondents")
    assert (p.file, p.row, p.column, p.value) == ("margins.csv", 14, "category", "other")


def _one_psu_in_s5(demo: Path) -> int:
    rows = _rows(demo / "survey.csv")
    head = rows[0]
    first, psu = None, None
    for number, row in enumerate(rows[1:], start=2):
        if row[head.index("stratum")] == "S5":
            first, psu = first or number, psu or row[head.index("psu")]
            row[head.index("psu")] = psu
    _write(demo / "survey.csv", rows)
    assert first is not None
    return first


def test_stratum_with_one_psu(demo: Path) -> None:
    first = _one_psu_in_s5(demo)
    (p,) = _problems(validate_dir(demo), "lonely_psu")
    assert (p.file, p.row, p.column, p.value) == ("survey.csv", first, "stratum", "S5")
    assert "'fail'" in p.message and "lonely_psu: adjust" in p.message


def test_lonely_psu_policy_in_dataset_yml(demo: Path) -> None:
    import lublin_diagnosis as ld

    _one_psu_in_s5(demo)
    _set_design(demo, lonely_psu="adjust")
    report = validate_dir(demo)
    assert report.ok, report.format()
    ds = load_dataset(demo)
    assert ds.design["lonely_psu"] == "adjust"
    design = ld.SurveyDesign.from_dataset(ds, rake=False)  # the policy reaches the engine
    assert design.mean("base_weight")["se"].iloc[0] > 0
    strict = dataclasses.replace(
        ds, meta={**ds.meta, "design": {**ds.design, "lonely_psu": "fail"}}
    )
    with pytest.raises(ld.LonelyPSUError):  # what run met before: validate now says so
        ld.SurveyDesign.from_dataset(strict, rake=False).mean("base_weight")


def test_unknown_lonely_psu_policy(demo: Path) -> None:
    _set_design(demo, lonely_psu="ignore")
    (p,) = _problems(validate_dir(demo), "dataset_yml")
    assert p.value == "ignore" and "adjust" in p.message


def test_lonely_psu_policies_match_the_engine() -> None:
    from lublin_diagnosis.data.design_checks import LONELY_PSU_POLICIES
    from lublin_diagnosis.survey._variance import LONELY_PSU_POLICIES as ENGINE

    assert LONELY_PSU_POLICIES == ENGINE


def test_non_finite_and_absurd_admin_values(demo: Path) -> None:
    _edit(demo / "admin.csv", 5, "value", "inf")
    _edit(demo / "admin.csv", 6, "value", "1e308")
    _edit(demo / "admin.csv", 7, "value", "NaN")
    found = [
        (q.row, q.column, q.value, q.rule)
        for q in validate_dir(demo).problems
        if q.file == "admin.csv"
    ]
    assert found == [
        (5, "value", "inf", "not_a_number"),
        (7, "value", "NaN", "not_a_number"),
        (6, "value", "1e308", "absurd"),
    ]


def test_unicode_survey_file(demo: Path, encoding: str = "utf-16") -> None:
    text = (demo / "survey.csv").read_text(encoding="utf-8")
    (demo / "survey.csv").write_bytes(text.encode(encoding))
    report = validate_dir(demo)  # dataset.yml declares utf-8
    (p,) = _problems(report, "read")
    assert f"decodes as {encoding}" in p.message and "fields" not in p.message
    meta = yaml.safe_load((demo / "dataset.yml").read_text(encoding="utf-8"))
    del meta["files"]["survey"]["encoding"]
    (demo / "dataset.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), "utf-8")
    assert validate_dir(demo).ok


def test_long_cell_value_is_capped(demo: Path) -> None:
    _edit(demo / "institutions.csv", 3, "type", "x" * 5000)
    (p,) = _problems(validate_dir(demo), "allowed")
    assert p.row == 3 and len(str(p)) < 600


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("data/lublin2023/survey.csv", True),
        ("data/raw/survey.sav", True),
        ("data/notes.txt", True),
        ("data/demo/survey.csv", False),
        ("data/demo/codebook.yml", False),
    ],
)
def test_real_data_is_never_committed(path: str, ignored: bool) -> None:
    # issue 11: only some raw-data folders were ignored
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", "--no-index", path],
        check=False,
        capture_output=True,
    )
    assert result.returncode == (0 if ignored else 1), result.stderr


def test_psu_in_two_strata(demo: Path) -> None:
    rows = _rows(demo / "survey.csv")
    head = rows[0]
    psu_of_s1 = rows[1][head.index("psu")]
    target = next(n for n, r in enumerate(rows) if r[head.index("stratum")] == "S2")
    rows[target][head.index("psu")] = psu_of_s1
    _write(demo / "survey.csv", rows)
    (p,) = _problems(validate_dir(demo), "psu_strata")
    assert (p.row, p.column, p.value) == (target + 1, "psu", psu_of_s1)
    assert "nest: true" in p.message


def test_strata_and_psu_the_same_variable(demo: Path) -> None:
    # found by the fuzz test: a crash (duplicate columns), now the lonely PSUs it makes
    _set_design(demo, strata="psu")
    report = validate_dir(demo)
    assert {p.rule for p in report.problems} == {"lonely_psu"}


def test_institution_responsible_level_is_a_known_code(demo: Path) -> None:
    _edit(demo / "institutions.csv", 3, "responsible_level", "county")
    (p,) = [p for p in validate_dir(demo).problems if p.column == "responsible_level"]
    assert (p.row, p.value, p.rule) == (3, "county", "allowed") and "city, state" in p.message
