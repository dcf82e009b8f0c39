"""Reading CSV/TSV text: decoding it, then pandas' parser, with the field counts checked first."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import pandas as pd

from lublin_diagnosis.data.readers._formats import _drop_blank_rows, _finish, _short
from lublin_diagnosis.data.readers.detection import (
    _ENCODING_ALIASES,
    _SEP_ALIASES,
    detect_encoding,
    sniff_separator,
)
from lublin_diagnosis.exceptions import ReadError, shorten


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
