"""Read the tabular inputs of the diagnosis, whatever program exported them.

One function, :func:`read_table`, reads CSV/TSV, Excel ``.xlsx``, SPSS ``.sav``, Stata
``.dta`` and Parquet files into a :class:`pandas.DataFrame`, chosen by file extension.

* Every cell is read as **text** by default, so a category code ``01`` stays ``01``;
  surrounding blanks are removed and empty cells become missing values. Numbers are
  converted later, by the data contracts, with :func:`parse_numbers`.
* The index of the frame is the **row number a person sees**: in a CSV or a sheet the
  header is row 1 and the first record row 2; in ``.sav``, ``.dta`` and Parquet files
  (which have no header row) it is the case number, starting at 1. Blank lines are skipped
  but do not shift the numbers.
* CSV encoding is taken as declared or detected (a byte-order mark → ``utf-8-sig``,
  ``utf-16`` or ``utf-32``; the NUL bytes of UTF-16/32 text without one; strict UTF-8
  decodes → ``utf-8``; otherwise Windows-1250, the encoding of Polish Excel exports);
  the separator (``,``, ``;`` or tab) is sniffed from the header line; the decimal mark is
  declared or detected (a ``;``- or tab-separated file whose numbers look like ``3,5``).
  What was used is recorded in ``df.attrs`` (``path``, ``format``, ``encoding``, ``sep``,
  ``decimal``).
* A file that cannot be read raises :class:`~lublin_diagnosis.exceptions.ReadError`
  naming the file and what to do. A file with a header but no records is *not* a read
  error (it returns an empty frame; the contracts report it).

SPSS value labels are kept apart from the codes: :func:`read_sav_metadata` returns the
variable and value labels, from which :meth:`Codebook.from_sav
<lublin_diagnosis.data.codebook.Codebook.from_sav>` builds a codebook skeleton.

>>> import pathlib, tempfile
>>> from lublin_diagnosis.data.readers import read_table
>>> path = pathlib.Path(tempfile.mkdtemp()) / "export.csv"
>>> _ = path.write_bytes("id;miasto;ocena\\n01;Łódź;3,5\\n02;Lublin;4\\n".encode("cp1250"))
>>> df = read_table(path)
>>> df.attrs["encoding"], df.attrs["sep"], df.attrs["decimal"]
('cp1250', ';', ',')
>>> df.loc[2, "id"], df.loc[3, "miasto"]       # rows as a spreadsheet numbers them
('01', 'Lublin')
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import ReadError, shorten

__all__ = [
    "SavMetadata",
    "TABLE_EXTENSIONS",
    "detect_decimal",
    "detect_encoding",
    "parse_numbers",
    "read_sav_metadata",
    "read_table",
    "sniff_separator",
]

#: File extensions :func:`read_table` understands, mapped to the format name.
TABLE_EXTENSIONS: Mapping[str, str] = MappingProxyType(
    {
        ".csv": "csv",
        ".tsv": "csv",
        ".txt": "csv",
        ".xlsx": "xlsx",
        ".xlsm": "xlsx",
        ".sav": "sav",
        ".zsav": "sav",
        ".dta": "dta",
        ".parquet": "parquet",
        ".pq": "parquet",
    }
)

_SEP_ALIASES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";"}
_ENCODING_ALIASES = {
    "windows-1250": "cp1250",
    "win1250": "cp1250",
    "utf8": "utf-8",
    "utf-8-bom": "utf-8-sig",
    "utf8-bom": "utf-8-sig",
}
_COMMA_NUMBER = re.compile(r"^[+-]?\d+,\d+$")
_POINT_NUMBER = re.compile(r"^[+-]?\d+\.\d+$")
_THOUSANDS_BLANKS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d{3}(?:\D|$))")


# --------------------------------------------------------------------------- detection
def detect_encoding(data: bytes) -> str:
    """Guess the text encoding of a CSV file from its bytes.

    A byte-order mark decides first: UTF-32 (``"utf-32"``), UTF-8 (``"utf-8-sig"``) or
    UTF-16 (``"utf-16"``). Without one, a file whose first bytes hold NUL bytes in the
    pattern of UTF-16/32 text (an ASCII header: every second or fourth byte zero) is
    ``"utf-16-le"``, ``"utf-16-be"``, ``"utf-32-le"`` or ``"utf-32-be"``. Otherwise bytes
    that decode as strict UTF-8 give ``"utf-8"``, and anything else is taken as
    ``"cp1250"`` (Windows-1250, Polish Excel).

    Parameters
    ----------
    data : bytes
        The raw content of the file.

    Returns
    -------
    str
        A Python codec name.

    Examples
    --------
    >>> detect_encoding("Łódź".encode("cp1250"))
    'cp1250'
    >>> detect_encoding("Łódź".encode("utf-8"))
    'utf-8'
    >>> detect_encoding("resp_id,sex".encode("utf-16"))
    'utf-16'
    >>> detect_encoding("resp_id,sex".encode("utf-16-be"))
    'utf-16-be'
    >>> detect_encoding("resp_id,sex".encode("utf-32"))
    'utf-32'
    """
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    wide = _wide_encoding(data[:4096])
    if wide is not None:
        return wide
    try:
        data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return "cp1250"
    return "utf-8"


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a byte-order mark, told by where the NUL bytes of its text are.

    In UTF-32 every character of the Basic Multilingual Plane has two zero bytes (the
    last two in little-endian order); in UTF-16 ASCII characters (digits, separators,
    Latin letters) have one, always on the same side of each pair.
    """
    size = len(head) - len(head) % 4
    if size < 4 or b"\x00" not in head[:size]:
        return None
    zero = [head[i:size:4].count(0) / (size // 4) for i in range(4)]
    if zero[2] > 0.95 and zero[3] > 0.95 and zero[0] < 0.5:
        return "utf-32-le"
    if zero[0] > 0.95 and zero[1] > 0.95 and zero[3] < 0.5:
        return "utf-32-be"
    odd, even = (zero[1] + zero[3]) / 2, (zero[0] + zero[2]) / 2
    if odd >= 0.2 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.2 and odd <= 0.05:
        return "utf-16-be"
    return None


def sniff_separator(header: str) -> str:
    """Return the field separator used in a CSV header line.

    Counts commas, semicolons and tabs outside double quotes and returns the most
    frequent; a header with none of them (a single column) gives ``","``.

    Examples
    --------
    >>> sniff_separator("resp_id;sex;age")
    ';'
    >>> sniff_separator('"a;b",c')
    ','
    """
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda k: (counts[k], k == ","))
    return best if counts[best] > 0 else ","


def detect_decimal(frame: pd.DataFrame) -> str:
    """Guess the decimal mark of a text frame: ``","`` or ``"."``.

    The mark is ``","`` when some cells look like decimal-comma numbers (``3,5``) and no
    cell looks like a decimal-point number (``3.5``).

    Examples
    --------
    >>> import pandas as pd
    >>> detect_decimal(pd.DataFrame({"x": ["3,5", "12", None]}))
    ','
    """
    comma = point = 0
    for column in frame.columns:
        values = frame[column].dropna().astype(str)
        if values.empty:
            continue
        comma += int(values.str.match(_COMMA_NUMBER).sum())
        point += int(values.str.match(_POINT_NUMBER).sum())
    return "," if comma > 0 and point == 0 else "."


def parse_numbers(values: pd.Series, *, decimal: str = ".") -> pd.Series:
    """Convert a column of text to ``float64``; what does not parse becomes NaN.

    With ``decimal=","`` the comma is the decimal mark and blanks between groups of three
    digits (``1 234,5``, also non-breaking spaces) are removed. Infinite values (``inf``,
    ``-Infinity``, ``1e999``) and ``nan`` written as text are not numbers either: they
    become NaN too. Compare the missing values of the input and of the output to find the
    cells that are not numbers.

    Parameters
    ----------
    values : pandas.Series
        Text (or already numeric) values.
    decimal : {".", ","}, keyword-only
        The decimal mark.

    Returns
    -------
    pandas.Series
        ``float64`` values with the index of ``values``.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_numbers(pd.Series(["3,5", "1 200", "x", None]), decimal=",").tolist()
    [3.5, 1200.0, nan, nan]
    >>> parse_numbers(pd.Series(["inf", "-1e999", "1e308"])).tolist()
    [nan, nan, 1e+308]
    """
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        out = values.astype("float64")
        return out.where(np.isfinite(out))
    text = values.astype("str").str.strip()
    if decimal == ",":
        # a point in a decimal-comma column is ambiguous (3.5? 3.500?): not a number
        text = text.where(~text.str.contains(".", regex=False))
        text = text.str.replace(_THOUSANDS_BLANKS, "", regex=True)
        text = text.str.replace(",", ".", regex=False)
    out = pd.to_numeric(text, errors="coerce")
    out = pd.Series(np.asarray(out, dtype="float64"), index=values.index, name=values.name)
    out[values.isna().to_numpy() | ~np.isfinite(out.to_numpy())] = np.nan
    return out


# --------------------------------------------------------------------------- metadata
@dataclass(frozen=True)
class SavMetadata:
    """The labels an SPSS (or Stata) file carries besides its data.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    columns : tuple of str
        Variable names in file order.
    variable_labels : Mapping[str, str]
        Variable name → label (variables without a label are absent).
    value_labels : Mapping[str, Mapping[str, str]]
        Variable name → {code → label}; codes are strings as :func:`read_table` gives them
        (the SPSS value ``1.0`` is the code ``"1"``).
    missing : Mapping[str, tuple of str]
        Variable name → user-defined missing codes (discrete values only).
    measure : Mapping[str, str]
        Variable name → SPSS measurement level (``nominal``, ``ordinal``, ``scale`` or
        ``unknown``).
    numeric : Mapping[str, bool]
        Variable name → whether the variable is stored as a number.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd, pyreadstat
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "survey.sav")
    >>> pyreadstat.write_sav(pd.DataFrame({"sex": [1.0, 2.0]}), path,
    ...                      column_labels=["Płeć"],
    ...                      variable_value_labels={"sex": {1: "Kobieta", 2: "Mężczyzna"}})
    >>> meta = read_sav_metadata(path)
    >>> dict(meta.value_labels["sex"])
    {'1': 'Kobieta', '2': 'Mężczyzna'}
    """

    path: Path
    columns: tuple[str, ...]
    variable_labels: Mapping[str, str] = field(default_factory=dict)
    value_labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    measure: Mapping[str, str] = field(default_factory=dict)
    numeric: Mapping[str, bool] = field(default_factory=dict)


def read_sav_metadata(path: str | Path) -> SavMetadata:
    """Return the variable labels, value labels and missing codes of a ``.sav``/``.dta``.

    Parameters
    ----------
    path : str or pathlib.Path
        An SPSS ``.sav``/``.zsav`` or Stata ``.dta`` file.

    Returns
    -------
    SavMetadata

    Raises
    ------
    ReadError
        If the file is missing, empty or not an SPSS/Stata file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pandas as pd, pyreadstat
    >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "survey.sav")
    >>> pyreadstat.write_sav(pd.DataFrame({"sex": [1.0, 2.0]}), path,
    ...                      column_labels=["Płeć"])
    >>> read_sav_metadata(path).variable_labels["sex"]
    'Płeć'
    """
    path = _existing_file(path)
    kind = _format_of(path)
    if kind not in ("sav", "dta"):
        raise ReadError(
            f"{path}: labels can only be read from SPSS .sav or Stata .dta "
            f"files, not {shorten(path.suffix)} files"
        )
    _, meta = _read_stat(path, kind, metadata_only=True)
    numeric = {
        name: meta.readstat_variable_types.get(name) != "string" for name in meta.column_names
    }
    value_labels = {
        name: MappingProxyType({_code_text(code): str(label) for code, label in labels.items()})
        for name, labels in (meta.variable_value_labels or {}).items()
    }
    missing: dict[str, tuple[str, ...]] = {}
    for name, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        codes = []
        for item in ranges:
            lo, hi = item.get("lo"), item.get("hi")
            if lo is not None and lo == hi:
                codes.append(_code_text(lo))
        if codes:
            missing[name] = tuple(codes)
    for name, values in (getattr(meta, "missing_user_values", None) or {}).items():
        extra = [_code_text(v) for v in values]
        missing[name] = tuple(dict.fromkeys(list(missing.get(name, ())) + extra))
    labels = {
        name: str(label) for name, label in (meta.column_names_to_labels or {}).items() if label
    }
    return SavMetadata(
        path=path,
        columns=tuple(meta.column_names),
        variable_labels=MappingProxyType(labels),
        value_labels=MappingProxyType(value_labels),
        missing=MappingProxyType(missing),
        measure=MappingProxyType(dict(getattr(meta, "variable_measure", None) or {})),
        numeric=MappingProxyType(numeric),
    )


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


def _decode(path: Path, data: bytes, encoding: str | None) -> tuple[str, str]:
    """Decode ``data`` strictly, raising a ReadError that says where and what to do."""
    if encoding is None:
        encoding = detect_encoding(data)
    else:
        encoding = _ENCODING_ALIASES.get(encoding.lower(), encoding)
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise ReadError(
                f"{path}: unknown encoding {shorten(encoding)}; use utf-8, utf-8-sig or cp1250"
            ) from None
        if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
    try:
        return data.decode(encoding, errors="strict"), encoding
    except LookupError:
        raise ReadError(
            f"{path}: {shorten(encoding)} is not a text encoding; use utf-8, utf-8-sig or cp1250"
        ) from None
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = data.count(b"\n", 0, offset) + 1
        bad = data[exc.start : exc.end][:8].hex(" ")
        hint = ""
        detected = detect_encoding(data)
        candidates = (
            ("utf-8", "cp1250") if detected in ("utf-8", "cp1250", "utf-8-sig") else (detected,)
        )
        for other in candidates:
            if other == encoding:
                continue
            try:
                data.decode(other)
            except UnicodeDecodeError:
                continue
            hint = f"; the file decodes as {other}" + (
                " (Windows-1250, a Polish Excel export)"
                if other == "cp1250"
                else " (Unicode text, e.g. Excel's 'Unicode Text')"
                if "16" in other or "32" in other
                else ""
            )
            hint += f": declare encoding: {other} for it in dataset.yml or save it as UTF-8"
            break
        else:
            hint = "; save the file as UTF-8 (in Excel: 'CSV UTF-8')"
        raise ReadError(
            f"{path}: cannot decode the file as {encoding}: byte(s) {bad} at "
            f"byte offset {offset} (line {line}){hint}"
        ) from None


def _read_csv(
    path: Path, *, encoding: str | None, sep: str | None, decimal: str | None
) -> tuple[pd.DataFrame, dict]:
    data = path.read_bytes()
    text, encoding = _decode(path, data, encoding)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ReadError(
            f"{path}: line {line} holds a NUL byte: this is not a text (CSV) "
            f"file, or not in the encoding {encoding}; if it is an Excel "
            f"workbook, give it the .xlsx extension, otherwise export it again "
            f"as CSV UTF-8"
        )
    if not text.strip():
        raise ReadError(
            f"{path}: the file holds only blank lines; export it again with its "
            f"header row and records"
        )
    lines = text.split("\n")
    lead = next(i for i, line in enumerate(lines) if line.strip())  # blank lines on top
    text = "\n".join(lines[lead:])
    header = lines[lead]
    if sep is None:
        sep = "\t" if path.suffix.lower() == ".tsv" else sniff_separator(header)
    sep = _SEP_ALIASES.get(sep, sep)
    if sep not in (",", ";", "\t", "|"):
        raise ReadError(f"{path}: unsupported separator {shorten(sep)}; use ',', ';' or tab")
    _check_field_counts(path, text, sep, first_row=1 + lead)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            header=None,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise ReadError(_parser_message(path, exc, sep, first_row=1 + lead)) from None
    except pd.errors.EmptyDataError:
        raise ReadError(f"{path}: no header row found") from None
    # the header is the first non-blank line; blank lines are skipped but every record
    # keeps the row number a spreadsheet shows for it
    frame.index = pd.RangeIndex(1 + lead, len(frame) + 1 + lead)
    names = [None if pd.isna(v) else str(v).strip() for v in frame.iloc[0]]
    body = _drop_blank_rows(frame.iloc[1:])
    return _finish(path, body, names), {"encoding": encoding, "sep": sep, "decimal": decimal}


_FIELDS_LISTED = 5
_EOF_IN_QUOTES = re.compile(r"EOF inside string starting at row (\d+)")


def _check_field_counts(path: Path, text: str, sep: str, *, first_row: int) -> None:
    """Raise a ReadError naming the rows whose number of fields is not the header's.

    A row with fewer fields is what a file cut off in the middle, or a record broken over
    lines, looks like; with more, a separator inside an unquoted value. Blank lines are
    not counted as rows with fields. ``first_row`` is the spreadsheet row of the header.
    """
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=sep, quotechar='"', doublequote=True
    )
    width: int | None = None
    wrong: list[tuple[int, int]] = []
    row = first_row - 1
    try:
        for row, fields in enumerate(reader, start=first_row):
            if not any(f.strip() for f in fields):
                continue
            if width is None:
                width = len(fields)
            elif len(fields) != width:
                wrong.append((row, len(fields)))
    except csv.Error as exc:
        raise ReadError(
            f"{path}: malformed CSV at row {row + 1} ({_short(exc)}); check the "
            f"quotes on that row and export the file again"
        ) from None
    if not wrong or width is None:
        return
    last = row
    shown = "; ".join(f"row {r} has {n}" for r, n in wrong[:_FIELDS_LISTED])
    more = (
        f" (and {len(wrong) - _FIELDS_LISTED:,} more rows)" if len(wrong) > _FIELDS_LISTED else ""
    )
    cut = ""
    if wrong[-1][0] == last and wrong[-1][1] < width and not text.endswith("\n"):
        cut = (
            f"; the last row ({last}) is incomplete, so the file seems cut off: copy or "
            f"export it again in full"
        )
    raise ReadError(
        f"{path}: the header (row {first_row}) has {width} fields but {shown}"
        f"{more}{cut}; every row needs exactly one value (possibly empty) per "
        f"column: check separators ({shorten(sep)}) and quotes on those rows"
    )


def _parser_message(path: Path, exc: Exception, sep: str, *, first_row: int) -> str:
    """A ReadError message for a pandas ParserError, with a spreadsheet row number."""
    match = _EOF_IN_QUOTES.search(str(exc))
    if match:
        row = int(match.group(1)) + first_row
        return (
            f"{path}: the file ends inside a quoted value that opens on row {row}: a "
            f'quote (") is not closed, or the file is cut off; check that row, or '
            f"export the file again in full"
        )
    return (
        f"{path}: malformed CSV ({_short(exc)}); check quotes and the number of "
        f"separators on that line (separator {shorten(sep)})"
    )


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
