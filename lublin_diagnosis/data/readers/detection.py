"""Detection of how a file was exported: encoding, separator, decimal mark; numbers from text."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

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
