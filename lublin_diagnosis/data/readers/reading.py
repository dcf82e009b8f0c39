"""Reading one table: :func:`read_table`, the file's format and its decoding."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lublin_diagnosis.data.readers._delimited import _read_csv
from lublin_diagnosis.data.readers._formats import (
    _numeric_where_possible,
    _read_labelled,
    _read_parquet,
    _read_xlsx,
)
from lublin_diagnosis.data.readers.detection import TABLE_EXTENSIONS, detect_decimal
from lublin_diagnosis.exceptions import ReadError, shorten


# --------------------------------------------------------------------------- reading
def read_table(
    path: str | Path,
    *,
    encoding: str | None = None,
    sep: str | None = None,
    decimal: str | None = None,
    sheet: str | int | None = None,
    dtype_str: bool = True,
) -> pd.DataFrame:
    """Read a CSV/TSV, XLSX, SPSS, Stata or Parquet file into a data frame.

    Parameters
    ----------
    path : str or pathlib.Path
        The file; its extension chooses the reader (see :data:`TABLE_EXTENSIONS`).
    encoding : str, optional, keyword-only
        CSV only: ``"utf-8"``, ``"utf-8-sig"``, ``"cp1250"`` (alias ``"windows-1250"``)
        or any Python codec. Detected when omitted (see :func:`detect_encoding`).
    sep : str, optional, keyword-only
        CSV only: ``","``, ``";"`` or ``"\\t"`` (alias ``"tab"``). Sniffed from the header
        line when omitted.
    decimal : {".", ","}, optional, keyword-only
        The decimal mark of numbers in the file. Detected when omitted: ``","`` for a
        ``;``- or tab-separated file whose numbers look like ``3,5``, else ``"."``. Used
        when ``dtype_str=False`` and recorded in ``df.attrs["decimal"]``.
    sheet : str or int, optional, keyword-only
        XLSX only: sheet name or 0-based position; the first sheet by default.
    dtype_str : bool, default True, keyword-only
        Read every cell as text (missing cells as missing values). With ``False``, CSV
        columns whose every value is a number become ``float64`` and the other formats
        keep their native types.

    Returns
    -------
    pandas.DataFrame
        Index: the row (case) number a person sees, named ``"row"``. ``attrs`` records
        ``path``, ``format``, ``encoding``, ``sep`` and ``decimal``.

    Raises
    ------
    ReadError
        Missing file, empty (0-byte) file, unknown extension, undecodable bytes (with the
        byte offset and line), malformed CSV, a duplicated or unnamed column, or a file the
        format's library cannot open.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
    >>> _ = path.write_bytes("id;ocena\\n01;3,5\\n02;1 200,25\\n".encode("cp1250"))
    >>> df = read_table(path)
    >>> df.attrs["encoding"], df.attrs["sep"], df.attrs["decimal"]
    ('utf-8', ';', ',')
    >>> read_table(path, dtype_str=False)["ocena"].tolist()
    [3.5, 1200.25]
    """
    path = _existing_file(path)
    kind = _format_of(path)
    if decimal is not None and decimal not in (".", ","):
        raise ReadError(f"{path}: decimal must be '.' or ',', not {shorten(decimal)}")
    if kind == "csv":
        frame, info = _read_csv(path, encoding=encoding, sep=sep, decimal=decimal)
    elif kind == "xlsx":
        frame, info = _read_xlsx(path, sheet=sheet, dtype_str=dtype_str)
    elif kind in ("sav", "dta"):
        frame, info = _read_labelled(path, kind, dtype_str=dtype_str)
    else:
        frame, info = _read_parquet(path, dtype_str=dtype_str)
    if info.get("decimal") is None:
        info["decimal"] = decimal or (
            detect_decimal(frame) if kind == "csv" and info.get("sep") in (";", "\t") else "."
        )
    if kind == "csv" and not dtype_str:
        frame = _numeric_where_possible(frame, decimal=info["decimal"])
    frame.index.name = "row"
    frame.attrs.update({"path": str(path), "format": kind, **info})
    return frame


def _existing_file(path: str | Path) -> Path:
    path = Path(path)
    if not path.exists():
        hint = ""
        if path.parent.is_dir():
            near = sorted(
                p.name
                for p in path.parent.iterdir()
                if p.stem.lower() == path.stem.lower() and p != path
            )
            if near:
                hint = f" (found {', '.join(near)}: declare its path in dataset.yml)"
        raise ReadError(
            f"{path}: file not found{hint}; check the path, or declare the file's "
            f"path under 'files:' in dataset.yml"
        )
    if path.is_dir():
        raise ReadError(f"{path}: is a directory, not a data file")
    if path.stat().st_size == 0:
        raise ReadError(
            f"{path}: the file is empty (0 bytes); export it again with its header row and records"
        )
    return path


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in TABLE_EXTENSIONS:
        known = ", ".join(sorted(TABLE_EXTENSIONS))
        raise ReadError(
            f"{path}: unknown file type {shorten(path.suffix)}; save it as one of {known}"
        )
    return TABLE_EXTENSIONS[suffix]
