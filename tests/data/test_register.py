"""The rules tying the candidates' pledges (``pledges.csv``, optional) to the recommendations
register and the framework: every problem with its file, row and column."""

import shutil

import pandas as pd

from lublin_diagnosis.data.register import pledge_problems
from lublin_diagnosis.data.validation import validate_dir
from support import DEMO


def test_pledge_problems_name_row_and_column():
    recs = pd.DataFrame({"rec_id": ["R1", "R2"], "area": ["health", "housing"]})
    pledges = pd.DataFrame(
        {"rec_id": ["R1", "R9", "R2", None], "area": ["health", "health", "health", "mars"]},
        index=[2, 3, 4, 5],
    )
    found = [
        (p.rule, p.row, p.column, p.value)
        for p in pledge_problems(pledges, recs, areas={"health", "housing"})
    ]
    assert found == [
        ("unknown_rec_id", 3, "rec_id", "R9"),
        ("pledge_area", 4, "area", "health"),
        ("unknown_area", 5, "area", "mars"),
    ]
    assert pledge_problems(None, recs) == []
    assert pledge_problems(pledges.iloc[:1], recs, areas={"health"}) == []


def test_validate_rejects_a_pledge_for_an_unknown_recommendation(tmp_path):
    data = shutil.copytree(DEMO, tmp_path / "data")
    path = data / "pledges.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "rec_id"] = "REC99"  # row 2
    frame.loc[1, "area"] = "labour"  # row 3: not its recommendation's area
    frame.loc[2, "answer"] = "maybe"  # row 4
    frame.loc[3, "area"] = "mars"  # row 5
    frame.to_csv(path, index=False)
    report = validate_dir(data)
    found = {(p.rule, p.row, p.column) for p in report.problems if p.file == "pledges.csv"}
    assert {
        ("unknown_rec_id", 2, "rec_id"),
        ("pledge_area", 3, "area"),
        ("allowed", 4, "answer"),
        ("unknown_area", 5, "area"),
    } <= found, report.format()
    assert "REC99" in report.format()


def test_check_register_reports_the_same_problems_again_and_sees_an_edit():
    from types import SimpleNamespace

    import pytest

    from lublin_diagnosis.data.register import check_register
    from lublin_diagnosis.exceptions import ValidationError

    recs = pd.DataFrame(
        {
            "rec_id": ["R1", "R1"],
            "area": ["health", "health"],
            "institution_id": ["mup", "mup"],
            "indicator_ids": ["", ""],
            "date_issued": ["2023-01-10", "2023-01-10"],
        }
    )
    status = pd.DataFrame(
        {"rec_id": ["R1", "R2"], "date": ["2023-01-10"] * 2, "status": ["issued"] * 2}
    )
    dataset = SimpleNamespace(recommendations=recs, status=status.iloc[:1])
    for _ in range(2):  # the second check answers from the kept problems, identically
        with pytest.raises(ValidationError, match="listed twice"):
            check_register(dataset)
    dataset.recommendations = recs.assign(rec_id=["R1", "R2"])  # fixed: checked anew
    dataset.status = status
    check_register(dataset)
    dataset.recommendations.loc[1, "rec_id"] = "R1"  # edited in place: checked anew
    with pytest.raises(ValidationError, match="listed twice"):
        check_register(dataset)
