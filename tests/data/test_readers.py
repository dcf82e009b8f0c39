"""Tests of lublin_diagnosis.data.readers: encodings, separators, decimal marks, formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from lublin_diagnosis.data.readers import (
    detect_decimal,
    detect_encoding,
    parse_numbers,
    read_sav_metadata,
    read_table,
    sniff_separator,
)
from lublin_diagnosis.exceptions import ReadError

POLISH = "id;miasto;ocena\n01;Łódź;3,5\n02;Żółć;1 200,25\n03;Gdańsk;\n"


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --------------------------------------------------------------------------- CSV
def test_codes_stay_text_and_empty_cells_are_missing(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "a.csv", "code,x\n01,\n002, 7 \n"))
    assert df["code"].tolist() == ["01", "002"]
    assert df["x"].isna().tolist() == [True, False]
    assert df["x"].iloc[1] == "7"  # blanks around a value go
    assert df.index.tolist() == [2, 3] and df.index.name == "row"
    assert df.attrs["encoding"] == "utf-8" and df.attrs["sep"] == ","


def test_blank_lines_do_not_shift_row_numbers(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "a.csv", "a,b\n1,2\n\n3,4\n,\n5,6\n"))
    assert df.index.tolist() == [2, 4, 6]
    assert df["a"].tolist() == ["1", "3", "5"]


def test_quoted_separator_and_newline(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "a.csv", 'a;b\n"x;y";"line\none"\nz;w\n'))
    assert df["a"].tolist() == ["x;y", "z"]
    assert df.index.tolist() == [2, 3]  # one record, one row


def test_polish_export_cp1250_semicolon_decimal_comma(tmp_path: Path) -> None:
    path = _write(tmp_path / "export.csv", POLISH, "cp1250")
    df = read_table(path)
    assert df.attrs["encoding"] == "cp1250"
    assert df.attrs["sep"] == ";" and df.attrs["decimal"] == ","
    assert df["miasto"].tolist() == ["Łódź", "Żółć", "Gdańsk"]
    assert df["ocena"].tolist()[:2] == ["3,5", "1 200,25"]  # still text by default
    typed = read_table(path, dtype_str=False)
    assert typed["ocena"].tolist()[:2] == [3.5, 1200.25]
    assert typed["miasto"].tolist()[0] == "Łódź"


def test_cp1250_detected_for_polish_letters(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "nazwa\nŁódź\nŻółć\n", "cp1250")
    assert read_table(path)["nazwa"].tolist() == ["Łódź", "Żółć"]
    assert detect_encoding(path.read_bytes()) == "cp1250"


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "nazwa,x\nŁódź,1\n", "utf-8-sig")
    df = read_table(path)
    assert df.attrs["encoding"] == "utf-8-sig"
    assert list(df.columns) == ["nazwa", "x"]  # no BOM glued to the header
    assert read_table(path, encoding="utf-8").columns[0] == "nazwa"


def test_cp1250_file_declared_utf8_names_offset(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "nazwa\nabc\nŁódź\n", "cp1250")
    with pytest.raises(ReadError) as info:
        read_table(path, encoding="utf-8")
    message = str(info.value)
    assert str(path) in message
    assert "byte offset 10" in message and "(line 3)" in message
    assert "cp1250" in message  # what to do


def test_declared_encoding_alias(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.csv", "nazwa\nŁódź\n", "cp1250")
    assert read_table(path, encoding="windows-1250")["nazwa"].iloc[0] == "Łódź"
    with pytest.raises(ReadError, match="unknown encoding"):
        read_table(path, encoding="klingon")


def test_declared_separator_and_decimal(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.txt", "a|b\n1|2,5\n")
    df = read_table(path, sep="|", decimal=",", dtype_str=False)
    assert df["b"].tolist() == [2.5]
    tsv = _write(tmp_path / "b.tsv", "a\tb\n1\t2,5\n")
    df = read_table(tsv)
    assert df.attrs["sep"] == "\t" and df.attrs["decimal"] == ","


def test_empty_file_is_read_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "empty.csv", "")
    with pytest.raises(ReadError, match=r"empty\.csv: the file is empty \(0 bytes\)"):
        read_table(path)


def test_header_only_is_not_a_read_error(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "h.csv", "a;b;c\n"))
    assert list(df.columns) == ["a", "b", "c"] and len(df) == 0


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    _write(tmp_path / "Survey.CSV", "a\n1\n")
    with pytest.raises(ReadError, match="Survey.CSV"):  # says what is there
        read_table(tmp_path / "survey.xlsx")
    with pytest.raises(ReadError, match=r"unknown file type '\.json'"):
        read_table(_write(tmp_path / "a.json", "{}"))


def test_duplicate_and_unnamed_columns(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"'a' appears twice .*columns 1 and 3"):
        read_table(_write(tmp_path / "d.csv", "a,b,a\n1,2,3\n"))
    with pytest.raises(ReadError, match="column 2 has values"):
        read_table(_write(tmp_path / "u.csv", "a,,c\n1,2,3\n"))
    df = read_table(_write(tmp_path / "t.csv", "a,b,\n1,2,\n"))  # trailing empty column
    assert list(df.columns) == ["a", "b"]


def test_row_with_too_many_fields_is_named(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match=r"header \(row 1\) has 2 fields but row 3 has 3"):
        read_table(_write(tmp_path / "m.csv", "a,b\n1,2\n3,4,5\n"))


def test_short_row_is_not_padded(tmp_path: Path) -> None:
    # issue 11: a row with 10 of 48 fields was padded with missing values and accepted
    header = ",".join(f"v{i}" for i in range(48))
    full = ",".join("1" for _ in range(48))
    text = "\n".join([header, full, "1,2,3,4,5,6,7,8,9,10", full, ""])
    with pytest.raises(ReadError, match="has 48 fields but row 3 has 10") as err:
        read_table(_write(tmp_path / "r.csv", text))
    assert "cut off" not in str(err.value)


def test_blank_lines_do_not_count_as_short_rows(tmp_path: Path) -> None:
    df = read_table(_write(tmp_path / "b.csv", "a,b\n1,2\n\n  \n3,4\n"))
    assert df.index.tolist() == [2, 5]


def test_many_ragged_rows_are_summarised(tmp_path: Path) -> None:
    text = "a,b,c\n" + "1,2\n" * 40
    with pytest.raises(ReadError, match=r"row 2 has 2; .*row 6 has 2 \(and 35 more rows\)"):
        read_table(_write(tmp_path / "m.csv", text))


def test_file_cut_in_half_is_named(tmp_path: Path) -> None:
    text = "a,b,c\n" + "1,2,3\n" * 5
    path = _write(tmp_path / "cut.csv", text[: len(text) // 2 + 1])  # mid-row
    with pytest.raises(
        ReadError,
        match=r"row 4 has 1; the last row \(4\) is incomplete, so "
        r"the file seems cut off",
    ):
        read_table(path)


def test_file_cut_inside_a_quoted_value(tmp_path: Path) -> None:
    path = _write(tmp_path / "q.csv", 'a,b\n1,2\n3,"long\ntext\n')
    with pytest.raises(ReadError, match=r"ends inside a quoted value that opens on row 3"):
        read_table(path)


def test_undecodable_in_any_encoding(tmp_path: Path) -> None:
    path = tmp_path / "bin.csv"
    path.write_bytes(b"a\n\x81\x98\n")  # undefined in cp1250 too
    with pytest.raises(ReadError, match="byte offset 2"):
        read_table(path)


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]
)
def test_utf16_and_utf32_files_are_detected(tmp_path: Path, encoding: str) -> None:
    # issue 11: a UTF-16 file was reported as "expected 5 fields, saw 6"
    path = _write(tmp_path / "u.csv", "nazwa,x,y,z,w\nŁódź,1,2,3,4\nŻółć,5,6,7,8\n", encoding)
    df = read_table(path)
    assert df["nazwa"].tolist() == ["Łódź", "Żółć"]
    assert df.index.tolist() == [2, 3]
    assert df.attrs["encoding"].startswith(encoding[:6])


def test_utf16_declared_as_utf8_names_the_encoding(tmp_path: Path) -> None:
    path = _write(tmp_path / "u.csv", "nazwa,x\nŁódź,1\n", "utf-16")
    with pytest.raises(ReadError, match="decodes as utf-16"):
        read_table(path, encoding="utf-8")


def test_binary_file_with_csv_name_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00")
    with pytest.raises(ReadError, match="NUL byte: this is not a text"):
        read_table(path)


def test_text_encoding_that_is_not_one(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="not a text encoding"):
        read_table(_write(tmp_path / "a.csv", "a\n1\n"), encoding="rot13")


def test_non_finite_numbers_are_not_numbers() -> None:
    values = pd.Series(["inf", "-Infinity", "nan", "1e999", "1e308", "2,5"])
    assert parse_numbers(values).isna().tolist() == [True, True, True, True, False, True]
    numeric = pd.Series([float("inf"), 1.0, float("-inf")])
    assert parse_numbers(numeric).isna().tolist() == [True, False, True]


# --------------------------------------------------------------------------- helpers
def test_sniff_separator() -> None:
    assert sniff_separator("a;b;c") == ";"
    assert sniff_separator("a,b;c,d") == ","
    assert sniff_separator('"x,y";z') == ";"
    assert sniff_separator("a\tb") == "\t"
    assert sniff_separator("single") == ","


def test_detect_decimal() -> None:
    assert detect_decimal(pd.DataFrame({"x": ["1,5", "2"]})) == ","
    assert detect_decimal(pd.DataFrame({"x": ["1,5", "2.5"]})) == "."
    assert detect_decimal(pd.DataFrame({"x": ["a", None]})) == "."


def test_parse_numbers() -> None:
    out = parse_numbers(pd.Series(["3,5", "1 234,5", "1\u00a0000", "x", None, "2.5"]), decimal=",")
    assert out.tolist()[:3] == [3.5, 1234.5, 1000.0]
    assert out.isna().tolist()[3:] == [True, True, True]  # "2.5" is ambiguous here
    assert parse_numbers(pd.Series(["2.5", "-1", "1e3"])).tolist() == [2.5, -1.0, 1000.0]
    assert parse_numbers(pd.Series([1, 2])).dtype == "float64"


# --------------------------------------------------------------------------- other formats
def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "dane"
    ws.append(["id", "code", "x", "when", "name"])
    ws.append(["01", 1, 2.5, dt.datetime(2023, 5, 31), "Łódź"])
    ws.append([None, None, None, None, None])  # blank row keeps numbering
    ws.append(["02", 2, 3.0, dt.date(2023, 6, 1), None])
    other = book.create_sheet("inne")
    other.append(["a"])
    other.append(["b"])
    path = tmp_path / "a.xlsx"
    book.save(path)
    df = read_table(path)
    assert df.index.tolist() == [2, 4]
    assert df["id"].tolist() == ["01", "02"]
    assert df["code"].tolist() == ["1", "2"]
    assert df["x"].tolist() == ["2.5", "3"]
    assert df["when"].tolist() == ["2023-05-31", "2023-06-01"]
    assert df["name"].tolist()[0] == "Łódź" and pd.isna(df["name"].iloc[1])
    assert df.attrs["sheet"] == "dane"
    assert read_table(path, sheet="inne")["a"].tolist() == ["b"]
    assert read_table(path, sheet=1)["a"].tolist() == ["b"]
    with pytest.raises(ReadError, match="no sheet named 'x'"):
        read_table(path, sheet="x")
    native = read_table(path, dtype_str=False)
    assert native["x"].tolist() == [2.5, 3]


def test_damaged_xlsx(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad.xlsx", "not a zip file")
    with pytest.raises(ReadError, match=r"bad\.xlsx: cannot open as an Excel workbook"):
        read_table(path)


def _write_sav(path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame(
        {
            "resp_id": ["R1", "R2", "R3"],
            "sex": [1.0, 2.0, -9.0],
            "level": [0.0, 3.0, 1.0],
            "income": [1200.5, None, 3000.0],
            "code": ["01", "02", ""],
        }
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels={
            "resp_id": "Identyfikator",
            "sex": "Płeć",
            "level": "Poziom",
            "income": "Dochód",
            "code": None,
        },
        variable_value_labels={
            "sex": {1: "Kobieta", 2: "Mężczyzna", -9: "odmowa"},
            "level": {0: "brak", 1: "podstawowy", 2: "średni", 3: "biegły"},
        },
        missing_ranges={"sex": [-9]},
        variable_measure={"sex": "nominal", "level": "ordinal", "income": "scale"},
    )


def test_sav_codes_and_value_labels(tmp_path: Path) -> None:
    path = tmp_path / "survey.sav"
    _write_sav(path)
    df = read_table(path)
    assert df["sex"].tolist() == ["1", "2", "-9"]  # codes, user missing kept
    assert df["income"].tolist()[0] == "1200.5" and pd.isna(df["income"].iloc[1])
    assert df["code"].tolist()[:2] == ["01", "02"] and pd.isna(df["code"].iloc[2])
    assert df.index.tolist() == [1, 2, 3]  # SPSS case numbers
    meta = read_sav_metadata(path)
    assert meta.variable_labels["sex"] == "Płeć"
    assert dict(meta.value_labels["sex"]) == {"1": "Kobieta", "2": "Mężczyzna", "-9": "odmowa"}
    assert meta.missing["sex"] == ("-9",)
    assert meta.measure["level"] == "ordinal"
    assert meta.numeric["sex"] and not meta.numeric["resp_id"]
    native = read_table(path, dtype_str=False)
    assert native["sex"].dtype == "float64"


def test_dta(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"id": ["a", "b"], "group": [1, 2], "w": [0.5, 1.25]})
    path = tmp_path / "x.dta"
    pyreadstat.write_dta(frame, str(path), variable_value_labels={"group": {1: "UA", 2: "BY"}})
    df = read_table(path)
    assert df["group"].tolist() == ["1", "2"] and df["w"].tolist() == ["0.5", "1.25"]
    assert dict(read_sav_metadata(path).value_labels["group"]) == {"1": "UA", "2": "BY"}


def test_parquet(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {
            "code": ["01", None],
            "n": [1, 2],
            "x": [0.5, None],
            "d": pd.to_datetime(["2023-01-02", "2023-02-03"]),
        }
    )
    path = tmp_path / "x.parquet"
    frame.to_parquet(path)
    df = read_table(path)
    assert df["code"].tolist()[0] == "01" and pd.isna(df["code"].iloc[1])
    assert df["n"].tolist() == ["1", "2"] and df["x"].tolist()[0] == "0.5"
    assert df["d"].tolist() == ["2023-01-02", "2023-02-03"]
    assert read_table(path, dtype_str=False)["n"].dtype == "int64"


def test_damaged_sav_and_parquet(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="cannot read as an SPSS .sav file"):
        read_table(_write(tmp_path / "bad.sav", "nope"))
    with pytest.raises(ReadError, match="cannot read as a Parquet file"):
        read_table(_write(tmp_path / "bad.parquet", "nope"))
    with pytest.raises(ReadError, match="labels can only be read"):
        read_sav_metadata(_write(tmp_path / "a.csv", "a\n1\n"))


# --------------------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CELL = st.text(alphabet="0123456789-ABCŁÓŻźż,;. ", min_size=1, max_size=6).filter(
    lambda s: s.strip() != ""
)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=40, deadline=None)
@given(
    cells=st.lists(_CELL, min_size=1, max_size=8),
    sep=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250"]),
)
def test_text_cells_round_trip(tmp_path_factory, cells, sep, encoding) -> None:
    """Whatever the encoding and separator, a quoted cell reads back as its text."""
    path = tmp_path_factory.mktemp("rt") / "a.csv"
    lines = [f"code{sep}n"] + [f'"{c}"{sep}{i}' for i, c in enumerate(cells)]
    data = ("\n".join(lines) + "\n").encode(encoding)
    path.write_bytes(data)
    # cp1250 bytes can also be valid UTF-8 ("ÓŁ" is D3 A3, UTF-8 for "ӣ"): no detector can
    # tell them apart, and UTF-8 wins, so such a file needs its encoding declared
    declared = encoding if encoding == "cp1250" and _is_utf8(data) else None
    df = read_table(path, encoding=declared)
    assert df.attrs["sep"] == sep
    assert df["code"].tolist() == [c.strip() for c in cells]
    assert df.index.tolist() == list(range(2, len(cells) + 2))
