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

The package's modules: :mod:`.reading` (:func:`read_table`), :mod:`.detection`
(encoding, separator, decimal mark, numbers), :mod:`.metadata` (SPSS labels); the CSV
reader (``_delimited``) and the other formats' readers (``_formats``) are private.

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

from lublin_diagnosis.data.readers.detection import (
    TABLE_EXTENSIONS,
    detect_decimal,
    detect_encoding,
    parse_numbers,
    sniff_separator,
)
from lublin_diagnosis.data.readers.metadata import SavMetadata, read_sav_metadata
from lublin_diagnosis.data.readers.reading import read_table

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
