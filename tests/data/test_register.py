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
