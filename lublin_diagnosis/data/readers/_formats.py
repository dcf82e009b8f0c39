"""Reading Excel, SPSS, Stata and Parquet files, and turning every cell into text."""

from __future__ import annotations

import datetime as _dt
import math
from pathlib import Path

import numpy as np
import pandas as pd

from lublin_diagnosis.data.readers.detection import parse_numbers
from lublin_diagnosis.exceptions import ReadError, shorten


def _read_xlsx(
    path: Path, *, sheet: str | int | None, dtype_str: bool
) -> tuple[pd.DataFrame, dict]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ReadError(
            f"{path}: cannot open as an Excel workbook ({_short(exc)}); save it again as .xlsx"
        ) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(book.worksheets):
                raise ReadError(
                    f"{path}: no sheet number {sheet}; the workbook has "
                    f"{len(book.worksheets)} sheet(s): {book.sheetnames}"
                )
            ws = book.worksheets[sheet]
        else:
            if sheet not in book.sheetnames:
                raise ReadError(
                    f"{path}: no sheet named {shorten(sheet)}; sheets: {book.sheetnames}"
                )
            ws = book[sheet]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        title = ws.title
    finally:
        book.close()
    convert = _cell_text if dtype_str else (lambda v: v)
    rows = [[convert(v) for v in r] for r in rows]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [None] * (width - len(r)) for r in rows]
    frame = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1), dtype=object)
    if dtype_str:
        frame = frame.astype("str") if len(frame.columns) else frame
    frame = _drop_blank_rows(frame)
    if frame.empty:
        raise ReadError(f"{path}: sheet {shorten(title)} is empty; put the header in its first row")
    header_row = frame.index[0]
    names = [None if _blank(v) else str(v).strip() for v in frame.iloc[0]]
    body = frame.iloc[1:]
    if header_row != 1:
        body = body.set_axis(body.index)  # keep the sheet's own row numbers
    return _finish(path, body, names), {
        "encoding": None,
        "sep": None,
        "decimal": ".",
        "sheet": title,
    }


def _read_stat(path: Path, kind: str, *, metadata_only: bool = False):
    import pyreadstat

    reader = pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta
    try:
        return reader(
            str(path), user_missing=True, metadataonly=metadata_only, apply_value_formats=False
        )
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        what = "an SPSS .sav" if kind == "sav" else "a Stata .dta"
        raise ReadError(
            f"{path}: cannot read as {what} file ({_short(exc)}); export it "
            f"again from the statistics program"
        ) from None


def _read_labelled(path: Path, kind: str, *, dtype_str: bool) -> tuple[pd.DataFrame, dict]:
    frame, _ = _read_stat(path, kind)
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    if dtype_str:
        frame = _as_text(frame)
    return frame, {"encoding": None, "sep": None, "decimal": "."}


def _read_parquet(path: Path, *, dtype_str: bool) -> tuple[pd.DataFrame, dict]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow.ArrowInvalid and friends
        raise ReadError(f"{path}: cannot read as a Parquet file ({_short(exc)})") from None
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c) for c in frame.columns]
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    if dtype_str:
        frame = _as_text(frame)
    return frame, {"encoding": None, "sep": None, "decimal": "."}


def _finish(path: Path, body: pd.DataFrame, names: list[str | None]) -> pd.DataFrame:
    """Name the columns of ``body``, dropping unnamed empty ones; strip text cells."""
    keep: list[int] = []
    for pos, name in enumerate(names):
        if name:
            keep.append(pos)
        elif body.iloc[:, pos].notna().any():
            first = body.index[body.iloc[:, pos].notna().to_numpy()][0]
            raise ReadError(
                f"{path}: column {pos + 1} has values (first in row {first}) but "
                f"no name in the header row; add its name or delete the column"
            )
    named = [names[p] for p in keep]
    seen: dict[str, int] = {}
    for pos, name in zip(keep, named, strict=False):
        if name in seen:
            raise ReadError(
                f"{path}: column name {shorten(name)} appears twice in the header "
                f"(columns {seen[name] + 1} and {pos + 1}); rename or delete one"
            )
        seen[name] = pos
    frame = body.iloc[:, keep].copy()
    frame.columns = named
    for column in frame.columns:
        col = frame[column]
        if isinstance(col.dtype, pd.StringDtype):
            col = col.str.strip()
            frame[column] = col.mask(col == "")
        elif col.dtype == object:
            frame[column] = col.map(lambda v: (v.strip() or None) if isinstance(v, str) else v)
    return frame


def _drop_blank_rows(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return frame
    blank = frame.isna()
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype):
            blank[column] = blank[column] | (values.str.strip() == "")
        elif values.dtype == object:
            blank[column] = blank[column] | values.map(_blank).astype(bool)
    return frame[~blank.all(axis=1).to_numpy()]


def _numeric_where_possible(frame: pd.DataFrame, *, decimal: str) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.notna().sum() == 0:
            continue
        numbers = parse_numbers(values, decimal=decimal)
        if (numbers.isna() == values.isna()).all():
            out[column] = numbers
    return out


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.StringDtype):
            text = values.str.strip()
        else:
            text = pd.Series([_cell_text(v) for v in values], index=frame.index, dtype="str")
            text = text.str.strip()
        out[column] = text.mask(text == "")
    return pd.DataFrame(out, index=frame.index)


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _code_text(value: object) -> str:
    """The text of a code: ``1.0`` → ``"1"``, ``2.5`` → ``"2.5"``, ``"01"`` → ``"01"``."""
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        value = float(value)
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _cell_text(value: object) -> str | None:
    """Text of one spreadsheet / statistics-file cell; None for an empty cell."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, _dt.datetime)):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return _code_text(value)
    return str(value)


def _short(exc: BaseException, width: int = 160) -> str:
    """The last line of a library's error message, cut to ``width`` characters."""
    text = str(exc).strip().splitlines()
    line = text[-1] if text else type(exc).__name__
    return line if len(line) <= width else line[: width - 1] + "…"
