"""The workbook: a contents sheet linking every table, short unique sheet names, frozen
headers, autofilter, number formats, Tak/Nie, and no formula from data."""

import openpyxl
import pandas as pd

from lublin_diagnosis.report.html import sheet_names, write_workbook


def test_sheet_names_are_short_unique_and_numbered():
    names = sheet_names(["x" * 40, "x" * 40, "a/b:c"])
    assert len(set(names)) == 3 and max(map(len, names)) <= 31
    assert names[2] == "003 a_b_c"


def test_workbook_is_dressed_for_people(tmp_path):
    frame = pd.DataFrame(
        {
            "ok": [True, False],
            "share": [0.5, 0.25],
            "round": [2022, 2023],
            "n": [1200, 15],
            "text": ["=1+1", "'@x"],
        }
    )
    path = tmp_path / "tables.xlsx"
    assert write_workbook(path, [("a", "Tabela A", frame)], lang="pl") == {"a": "001 a"}
    book = openpyxl.load_workbook(path)
    contents, sheet = book["index"], book["001 a"]
    assert contents["A2"].value == "001 a" and contents["A2"].hyperlink.location == "'001 a'!A1"
    assert contents["B2"].value == "Tabela A"
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E3"
    assert [c.value for c in sheet["A"]][1:] == ["Tak", "Nie"]
    assert sheet["B2"].number_format == "#,##0.000"
    assert sheet["C2"].number_format == "0" and sheet["D2"].number_format == "#,##0"
    assert [c.value for c in sheet["E"]][1:] == ["=1+1", "@x"]
    assert all(c.data_type == "s" for c in sheet["E"])
    assert sheet.column_dimensions["A"].width >= 4
