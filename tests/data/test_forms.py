"""The data-entry kit: monitoring workbooks, register templates, letters, the CLI."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from lublin_diagnosis.cli import main
from lublin_diagnosis.data.forms import import_forms, write_forms
from lublin_diagnosis.data.forms.monitoring import EVIDENCE_LABELS, read_monitoring_workbooks
from lublin_diagnosis.data.forms.registers import read_template
from lublin_diagnosis.exceptions import DataError, ValidationError
from lublin_diagnosis.framework.model import load_framework
from support import DEMO


def _demo(name: str) -> pd.DataFrame:
    return pd.read_csv(DEMO / name, dtype=str, keep_default_na=False)


def _same_rows(path: Path, name: str) -> None:
    got, want = pd.read_csv(path, dtype=str, keep_default_na=False), _demo(name)
    assert list(got.columns) == list(want.columns)
    key = list(want.columns)
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True), want.sort_values(key).reset_index(drop=True)
    )


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kit") / "forms"
    write_forms(DEMO, out, letters=False)
    return out


def _fill_monitoring(kit: Path, target: Path) -> list[Path]:
    """Fill every institution's workbook once per round from the demo's answers."""
    fw = load_framework()
    demo = _demo("monitoring.csv")
    filled = []
    for (inst, rnd), rows in demo.groupby(["institution_id", "round"]):
        wb = load_workbook(kit / "monitoring" / f"{inst}.xlsx")
        ws = wb["Monitoring"]
        ws["B3"] = int(rnd)
        where = {ws.cell(row=r, column=1).value: r for r in range(6, ws.max_row + 1)}
        for rec in rows.itertuples():
            r = where[rec.indicator_id]
            ws[f"E{r}"] = fw.indicator(rec.indicator_id).option(rec.answer).label.pl
            ws[f"F{r}"] = EVIDENCE_LABELS[rec.evidence]
            ws[f"G{r}"] = dt.datetime.fromisoformat(rec.date)
            ws[f"H{r}"] = "a note that is not imported"
        path = target / f"{inst}-{rnd}.xlsx"
        wb.save(path)
        filled.append(path)
    return filled


@pytest.fixture(scope="module")
def filled(kit, tmp_path_factory) -> list[Path]:
    return _fill_monitoring(kit, tmp_path_factory.mktemp("filled"))


def _copy(path: Path, target: Path) -> Path:
    return Path(shutil.copy(path, target / path.name))


def test_kit_has_one_workbook_per_institution_and_the_templates(kit):
    books = sorted(p.stem for p in (kit / "monitoring").glob("*.xlsx"))
    assert books == sorted(_demo("institutions.csv")["institution_id"])
    assert len(books) == 16
    assert (kit / "questionnaire-xlsform.xlsx").is_file()
    templates = sorted(p.name for p in (kit / "templates").iterdir())
    assert templates == [
        "activity-log.xlsx",
        "admin-figures.xlsx",
        "legal-advice-log.xlsx",
        "pledges-register.xlsx",
        "recommendations-register.xlsx",
        "replies-register.xlsx",
    ]


def test_monitoring_workbook_structure(kit):
    wb = load_workbook(kit / "monitoring" / "mopr.xlsx")
    assert wb.sheetnames[0] == "Instrukcja"
    assert wb.security.lockStructure
    ws = wb["Monitoring"]
    assert ws.protection.sheet and ws["B2"].value == "mopr"
    assert ws["C6"].protection.locked and not ws["E6"].protection.locked
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert kinds == {"list", "date", "whole"}
    answer = next(dv for dv in ws.data_validations.dataValidation if "E6" in str(dv.sqref))
    lists = wb["Listy"]
    col = answer.formula1.split("$")[1]
    assert lists[f"{col}1"].value == ws["A6"].value
    options = load_framework().indicator(ws["A6"].value).options
    assert [lists[f"{col}{k}"].value for k in range(2, 2 + len(options))] == [
        o.label.pl for o in options
    ]
    assert lists.sheet_state == "hidden"


def test_monitoring_round_trip_gives_the_demo_file(filled, tmp_path):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in filled}
    result = import_forms("monitoring", filled, tmp_path / "data")
    _same_rows(result.written[0], "monitoring.csv")
    assert before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in filled}


def test_five_injected_mistakes_are_all_reported_with_their_cells(filled, tmp_path):
    path = _copy([p for p in filled if p.name == "mopr-2023.xlsx"][0], tmp_path)
    wb = load_workbook(path)
    ws = wb["Monitoring"]
    ws["E6"] = "czesciowo"  # not an option
    ws["F7"] = "telefon"  # not an evidence type
    ws["G8"] = "31.02.2023"  # not a date
    ws["G9"] = None  # date missing
    ws["A10"] = "no_such_indicator"  # column A edited
    wb.save(path)
    with pytest.raises(ValidationError) as err:
        import_forms("monitoring", [path], tmp_path / "data")
    cells = [p.file for p in err.value.problems]
    assert cells == [
        f"mopr-2023.xlsx, sheet Monitoring, cell {c}" for c in ("E6", "F7", "G8", "G9", "A10")
    ]
    assert '"czesciowo"' in str(err.value).replace("'", '"')
    assert not (tmp_path / "data" / "monitoring.csv").exists()


def test_monitoring_round_and_duplicates(filled, tmp_path):
    path = _copy(filled[0], tmp_path)
    wb = load_workbook(path)
    wb["Monitoring"]["B3"] = None
    wb.save(path)
    _, problems = read_monitoring_workbooks([path], load_framework())
    assert [p.file.rsplit(" ", 1)[1] for p in problems] == ["B3"]
    _, problems = read_monitoring_workbooks([filled[0], filled[0]], load_framework())
    assert problems and {p.rule for p in problems} == {"unique"}
    _, problems = read_monitoring_workbooks([filled[0]], load_framework(), institutions=["x"])
    assert [(p.file.rsplit(" ", 1)[1], p.rule) for p in problems] == [("B2", "unknown_institution")]


def _fill_template(src: Path, sheets: dict[str, str], target: Path) -> Path:
    """Type the demo's rows into a template as a person would: dates and numbers as such."""
    from lublin_diagnosis.data.contracts import SCHEMAS

    wb = load_workbook(src)
    contracts = {
        "legal_cases.csv": "legal_cases",
        "recommendations.csv": "recommendations",
        "recommendation_opinions.csv": "opinions",
        "recommendation_status.csv": "status",
        "admin.csv": "admin",
        "replies.csv": "replies",
        "events.csv": "events",
        "pledges.csv": "pledges",
    }
    for sheet, name in sheets.items():
        kinds = {c.name: c.kind for c in SCHEMAS[contracts[name]].columns}
        frame = _demo(name)
        ws = wb[sheet]
        for i, row in enumerate(frame.itertuples(index=False), start=2):
            for j, (col, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
                if value:
                    ws.cell(row=i, column=j, value=_typed(value, kinds[col]))
    wb.save(target)
    return target


def _typed(value: str, kind: str) -> object:
    if kind == "date":
        return dt.datetime.fromisoformat(value)
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    return value


def test_register_templates_round_trip(kit, tmp_path):
    log = _fill_template(
        kit / "templates" / "legal-advice-log.xlsx",
        {"legal_cases": "legal_cases.csv"},
        tmp_path / "log.xlsx",
    )
    recs = _fill_template(
        kit / "templates" / "recommendations-register.xlsx",
        {
            "recommendations": "recommendations.csv",
            "opinions": "recommendation_opinions.csv",
            "status": "recommendation_status.csv",
        },
        tmp_path / "recs.xlsx",
    )
    admin = _fill_template(
        kit / "templates" / "admin-figures.xlsx", {"admin": "admin.csv"}, tmp_path / "admin.xlsx"
    )
    replies = _fill_template(
        kit / "templates" / "replies-register.xlsx", {"replies": "replies.csv"}, tmp_path / "r.xlsx"
    )
    events = _fill_template(
        kit / "templates" / "activity-log.xlsx", {"events": "events.csv"}, tmp_path / "ev.xlsx"
    )
    pledges = _fill_template(
        kit / "templates" / "pledges-register.xlsx",
        {"pledges": "pledges.csv"},
        tmp_path / "pledges.xlsx",
    )
    into = tmp_path / "data"
    kinds = (
        ("legal-cases", log),
        ("recommendations", recs),
        ("admin", admin),
        ("replies", replies),
        ("events", events),
        ("pledges", pledges),
    )
    for kind, path in kinds:
        for written in import_forms(kind, [path], into).written:
            demo_name = written.name
            assert written.read_bytes() == (DEMO / demo_name).read_bytes(), demo_name


def test_register_template_problems_name_cells(kit, tmp_path):
    log = _fill_template(
        kit / "templates" / "legal-advice-log.xlsx",
        {"legal_cases": "legal_cases.csv"},
        tmp_path / "log.xlsx",
    )
    wb = load_workbook(log)
    wb["legal_cases"]["G3"] = "won"
    wb["legal_cases"]["H5"] = 0
    wb.save(log)
    _, problems = read_template(log, "legal-cases")
    assert [(p.file.rsplit(" ", 1)[1], p.rule) for p in problems] == [
        ("G3", "allowed"),
        ("H5", "range"),
    ]


def test_nothing_is_overwritten_without_force(kit, filled, tmp_path):
    with pytest.raises(DataError, match="--force"):
        write_forms(DEMO, kit, letters=False)
    into = tmp_path / "data"
    into.mkdir()
    (into / "monitoring.csv").write_text("keep me")
    with pytest.raises(DataError, match="already exist"):
        import_forms("monitoring", filled, into)
    assert (into / "monitoring.csv").read_text() == "keep me"
    import_forms("monitoring", filled, into, force=True)
    _same_rows(into / "monitoring.csv", "monitoring.csv")


def test_foi_request_letters(tmp_path):
    from docx import Document

    from lublin_diagnosis.data.forms.letters import write_request

    fw = load_framework()
    inst = _demo("institutions.csv").set_index("institution_id").loc["mopr"].to_dict()
    inds = [i for i in fw.indicators_of("social_assistance", "A")]
    docx = write_request(tmp_path / "mopr.docx", inst, inds, synthetic=True)
    text = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ" in text
    assert "ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej" in text
    assert inds[0].question.pl.rstrip(".") in text and "art. 16 ust. 1" in text
    pdf = write_request(tmp_path / "mopr.pdf", inst, inds)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_cli_forms_and_import(tmp_path, capsys):
    data = tmp_path / "small"
    data.mkdir()
    rows = _demo("institutions.csv").query("institution_id == 'zus'")
    rows.to_csv(data / "institutions.csv", index=False)
    out = tmp_path / "forms"
    assert main(["forms", "--data", str(data), "--out", str(out), "--no-letters"]) == 0
    assert "wrote 7 forms" in capsys.readouterr().out
    assert main(["forms", "--data", str(data), "--out", str(out), "--no-letters"]) == 1
    assert "--force" in capsys.readouterr().err
    wb = load_workbook(out / "monitoring" / "zus.xlsx")
    wb["Monitoring"]["B3"] = 2023
    wb["Monitoring"]["E6"] = "czesciowo"
    wb.save(tmp_path / "zus.xlsx")
    code = main(
        ["import", "monitoring", str(tmp_path / "zus.xlsx"), "--into", str(tmp_path / "data")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "zus.xlsx, sheet Monitoring, cell E6" in err and "F6" in err and "G6" in err


def test_paper_questionnaire(tmp_path):
    from lublin_diagnosis.data.codebook import Codebook
    from lublin_diagnosis.data.forms.letters import paper_questions, write_paper_questionnaire

    cb = Codebook.load(DEMO / "codebook.yml")
    questions = paper_questions(cb, "uk")
    sex = next(q for q in questions if q["name"] == "sex")
    assert sex["label"] == "Стать" and sex["choices"] == ["F = Жінка", "M = Чоловік"]
    unmet = next(q for q in questions if q["name"] == "unmet_med_need")
    number = [q["name"] for q in questions].index("needed_care_12m") + 1
    assert f"({number}) = '1'" in unmet["note"]
    pdf = write_paper_questionnaire(tmp_path / "q.pdf", cb, "uk")
    assert pdf.read_bytes().startswith(b"%PDF")
