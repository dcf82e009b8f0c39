"""Helpers the form writers and importers share: safe output, cells, problems, CSV.

Every problem of an import names the workbook, the sheet and the cell (or, for a survey
export, the row and the question) and says what to do; they are collected and raised
together as one :class:`~lublin_diagnosis.exceptions.ValidationError`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from lublin_diagnosis.exceptions import DataError, Problem, ValidationError

__all__ = [
    "HEADER_FILL",
    "INPUT_FILL",
    "cell_date",
    "cell_problem",
    "cell_text",
    "check_free",
    "raise_problems",
    "set_widths",
    "style_header",
    "unlock",
    "write_csv",
]

HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INPUT_FILL = PatternFill("solid", fgColor="FFF6D5")
_WRAP = Alignment(wrap_text=True, vertical="top")


def check_free(paths: Iterable[Path], *, force: bool) -> None:
    """Raise :class:`DataError` if any of ``paths`` exists and ``force`` is false.

    Examples
    --------
    >>> check_free([Path("/nonexistent/x.csv")], force=False)
    """
    taken = [str(p) for p in paths if Path(p).exists()]
    if taken and not force:
        listed = ", ".join(taken[:5]) + (" ..." if len(taken) > 5 else "")
        raise DataError(
            f"{len(taken)} file(s) already exist: {listed}; choose another "
            f"output folder, or pass --force to overwrite them"
        )


def cell_problem(
    book: str, sheet: str, cell: str, rule: str, message: str, value: object = None
) -> Problem:
    """A problem located at ``book, sheet S, cell C``.

    Examples
    --------
    >>> str(cell_problem("mopr.xlsx", "Monitoring", "E7", "allowed", "choose one"))
    'mopr.xlsx, sheet Monitoring, cell E7: [allowed] choose one'
    """
    return Problem(f"{book}, sheet {sheet}, cell {cell}", rule, message, value=value)


def raise_problems(problems: Sequence[Problem], what: str) -> None:
    """Raise :class:`ValidationError` listing every problem, if there is any."""
    if problems:
        raise ValidationError(
            list(problems), summary=f"{len(problems)} problem(s) in {what}; nothing was written"
        )


def cell_text(value: object) -> str | None:
    """The text of a cell with blanks stripped; ``None`` for an empty cell.

    Examples
    --------
    >>> cell_text("  tak "), cell_text(""), cell_text(3.0), cell_text(None)
    ('tak', None, '3', None)
    """
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


def cell_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from a date cell or a text date; ``None`` if it is not a date.

    Examples
    --------
    >>> cell_date(dt.datetime(2022, 8, 15)), cell_date("2022-08-15"), cell_date("15.08")
    ('2022-08-15', '2022-08-15', None)
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = cell_text(value)
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text[:10]).isoformat() if len(text) in (10, 19) else None
    except ValueError:
        return None


def write_csv(rows: Sequence[Sequence[object]], columns: Sequence[str], path: Path) -> Path:
    """Write rows as UTF-8 CSV with ``\\n`` line endings, as the demo files are written."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(list(columns))
        for row in rows:
            writer.writerow(["" if v is None else str(v) for v in row])
    return path


def style_header(ws: Worksheet, row: int, ncols: int) -> None:
    """Bold, shaded, wrapped header cells in ``row``; freeze the panes below it."""
    for col in range(1, ncols + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = _WRAP
    ws.freeze_panes = ws.cell(row=row + 1, column=1)


def unlock(ws: Worksheet, ref: str) -> None:
    """Unlock and shade the cells of ``ref`` (e.g. ``"E5:H40"``) for data entry."""
    cells = ws[ref]
    rows = cells if isinstance(cells, tuple) else ((cells,),)
    for row in rows:
        for cell in row:
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
            cell.alignment = _WRAP


def set_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Set the column widths, first column first, and wrap long text."""
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
