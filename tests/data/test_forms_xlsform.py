"""The survey XLSForm (checked with pyxform, no Java) and the Kobo/ODK export importer."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

pyxform = pytest.importorskip("pyxform")
from pyxform.errors import PyXFormError  # noqa: E402
from pyxform.xls2xform import convert  # noqa: E402

from lublin_diagnosis.data.codebook import Codebook  # noqa: E402
from lublin_diagnosis.data.forms import import_forms  # noqa: E402
from lublin_diagnosis.data.forms.xlsform import (  # noqa: E402
    LANGUAGE_COLUMNS,
    read_survey_export,
    write_xlsform,
)
from lublin_diagnosis.exceptions import ValidationError  # noqa: E402
from support import DEMO  # noqa: E402


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return Codebook.load(DEMO / "codebook.yml")


@pytest.fixture(scope="module")
def xlsform(codebook, tmp_path_factory):
    return write_xlsform(
        tmp_path_factory.mktemp("xlsform") / "questionnaire-xlsform.xlsx", codebook
    )


def test_pyxform_converts_the_questionnaire_without_warnings(xlsform):
    result = convert(xlsform=str(xlsform), validate=False)
    assert result.warnings == []
    xform = result.xform
    for lang in LANGUAGE_COLUMNS.values():
        assert f'lang="{lang}"' in xform
    assert '<translation lang="Polski (pl)" default="true()">' in xform
    assert "relevant=\" /data/questions/needed_care_12m  = '1'\"" in xform
    assert 'constraint="(. &gt;= 18 and . &lt;= 85)' in xform
    assert 'required="true()"' in xform


def test_questionnaire_content(xlsform, codebook):
    wb = load_workbook(xlsform)
    survey = [[c.value for c in row] for row in wb["survey"].iter_rows()]
    header = survey[0]
    names = [r[1] for r in survey[1:] if r[0] not in ("begin_group", "end_group")]
    assert names == [v.name for v in codebook if v.role != "id"]
    assert header[2:6] == [f"label::{lang}" for lang in LANGUAGE_COLUMNS.values()]
    choices = [[c.value for c in row] for row in wb["choices"].iter_rows(min_row=2)]
    sex = [r[1] for r in choices if r[0] == "sex"]
    assert sex == ["F", "M"]
    settings = [c.value for c in wb["settings"][2]]
    assert settings[-1] == "Polski (pl)"


def test_a_deliberate_error_is_rejected_by_pyxform(xlsform, tmp_path):
    wb = load_workbook(xlsform)
    ws = wb["survey"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[1].value == "sex")
    row[0].value = "select_one no_such_list"
    broken = tmp_path / "broken.xlsx"
    wb.save(broken)
    with pytest.raises(PyXFormError, match="no_such_list"):
        convert(xlsform=str(broken), validate=False)


def _kobo_export(codebook: Codebook, rows: pd.DataFrame) -> pd.DataFrame:
    design = {v.name for v in codebook if v.role == "design"}
    export = rows.rename(columns=lambda c: f"interview/{c}" if c in design else f"questions/{c}")
    export.insert(0, "start", "2023-03-01T10:00:00.000+01:00")
    export["questions/respondent_name"] = "Jan Kowalski"
    export["questions/comments"] = "free text"
    export["_id"] = range(9000, 9000 + len(export))
    export["_uuid"] = [f"uuid-{i}" for i in range(len(export))]
    times = pd.date_range("2023-03-01", periods=len(export), freq="min")
    export["_submission_time"] = times.strftime("%Y-%m-%dT%H:%M:%S")
    return export


def test_kobo_export_round_trip_gives_the_demo_survey(codebook, tmp_path):
    demo = pd.read_csv(DEMO / "survey.csv", dtype=str, keep_default_na=False)
    export = _kobo_export(codebook, demo)
    path = tmp_path / "kobo.csv"
    export.to_csv(path, index=False, sep=";")
    before = path.read_bytes()
    into = tmp_path / "data"
    result = import_forms("survey", [path], into, codebook=DEMO / "codebook.yml")
    assert (into / "survey.csv").read_bytes() == (DEMO / "survey.csv").read_bytes()
    assert path.read_bytes() == before
    note = " ".join(result.notes)
    assert "questions/respondent_name" in note and "questions/comments" in note
    assert "_uuid" in note
    text = (into / "survey.csv").read_text(encoding="utf-8")
    assert "Jan Kowalski" not in text and "uuid-" not in text


def test_export_ids_are_rekeyed_in_submission_order_xlsx(codebook, tmp_path):
    demo = pd.read_csv(DEMO / "survey.csv", dtype=str, keep_default_na=False).head(5)
    export = _kobo_export(codebook, demo).iloc[::-1]
    export["questions/resp_id"] = ["SECRET-A", "SECRET-B", "SECRET-C", "SECRET-D", "SECRET-E"]
    path = tmp_path / "odk.xlsx"
    export.to_excel(path, index=False)
    survey, problems, _ = read_survey_export([path], codebook)
    assert problems == []
    assert list(survey["resp_id"]) == ["R0001", "R0002", "R0003", "R0004", "R0005"]
    assert list(survey["age"]) == list(demo["age"])


def test_export_problems_name_row_and_question(codebook, tmp_path):
    demo = pd.read_csv(DEMO / "survey.csv", dtype=str, keep_default_na=False).head(4)
    export = _kobo_export(codebook, demo)
    export.loc[1, "questions/age"] = "150"
    export.loc[2, "questions/sex"] = "K"
    export = export.drop(columns=["questions/belonging"])
    path = tmp_path / "kobo.csv"
    export.to_csv(path, index=False)
    with pytest.raises(ValidationError) as err:
        import_forms("survey", [path], tmp_path / "data", codebook=DEMO / "codebook.yml")
    found = {(p.row, p.column, p.rule) for p in err.value.problems}
    assert "kobo.csv, row 3, column 'age'" in str(err.value)
    assert found == {
        (None, "belonging", "missing_column"),
        (3, "age", "range"),
        (4, "sex", "unknown_code"),
    }


def test_ukrainian_and_russian_labels_are_drafts_marked_for_review(codebook, xlsform):
    from lublin_diagnosis.data.codebook import check_codebook

    sex = codebook["sex"]
    assert sex.label["uk"] == "Стать" and sex.values["F"]["ru"] == "Женщина"
    assert all(v.translation_review == ("uk", "ru") for v in codebook)
    assert "native speaker" in (DEMO / "README.md").read_text(encoding="utf-8")
    ws = load_workbook(xlsform)["survey"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "sex")
    assert row[2:6] == ("Płeć", "Стать", "Пол", "Sex")
    bad = codebook.to_dict()
    bad["variables"][1]["translation_review"] = ["de"]
    assert [p.rule for p in check_codebook(bad)] == ["codebook_key"]


def test_odk_central_export_with_dash_groups(codebook, tmp_path):
    demo = pd.read_csv(DEMO / "survey.csv", dtype=str, keep_default_na=False).head(3)
    design = {v.name for v in codebook if v.role == "design"}
    export = demo.drop(columns=["resp_id"]).rename(
        columns=lambda c: f"interview-{c}" if c in design else f"questions-{c}"
    )
    export.insert(
        0,
        "SubmissionDate",
        ["2023-03-02T10:00:00.000Z", "2023-03-01T10:00:00.000Z", "2023-03-03T10:00:00.000Z"],
    )
    export["meta-instanceID"] = ["uuid:a", "uuid:b", "uuid:c"]
    export["SubmitterName"] = ["Anna", "Ola", "Ewa"]
    path = tmp_path / "odk.csv"
    export.to_csv(path, index=False)
    survey, problems, notes = read_survey_export([path], codebook)
    assert problems == []
    assert list(survey["age"]) == [demo["age"][1], demo["age"][0], demo["age"][2]]
    assert "SubmitterName" in notes[0] and "meta-instanceID" in notes[0]


def test_an_unreadable_export_is_one_problem_among_all(codebook, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    demo = pd.read_csv(DEMO / "survey.csv", dtype=str, keep_default_na=False).head(2)
    good = tmp_path / "good.csv"
    _kobo_export(codebook, demo).to_csv(good, index=False)
    survey, problems, _ = read_survey_export([empty, good], codebook)
    assert [(p.file, p.rule) for p in problems] == [("empty.csv", "read")]
    assert len(survey) == 2
