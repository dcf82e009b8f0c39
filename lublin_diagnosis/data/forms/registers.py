"""Templates for the registers kept in spreadsheets, and their importers.

Six templates, each an XLSX whose sheets carry the columns of one contract file
(``docs/data-contracts.md``) with dropdowns for every coded column, date and number
validation, a locked header row and an instructions sheet:

* ``legal-advice-log.xlsx``: sheet ``legal_cases`` (→ ``legal_cases.csv``);
* ``recommendations-register.xlsx``: sheets ``recommendations``, ``opinions`` and
  ``status`` (→ ``recommendations.csv``, ``recommendation_opinions.csv``,
  ``recommendation_status.csv``);
* ``admin-figures.xlsx``: sheet ``admin`` (→ ``admin.csv``), the figures the
  freedom-of-information requests obtain;
* ``replies-register.xlsx``: sheet ``replies`` (→ ``replies.csv``), the institutions'
  replies to the recommendations;
* ``activity-log.xlsx``: sheet ``events`` (→ ``events.csv``), the project's activity
  record (participants as counts, never names).
* ``pledges-register.xlsx``: sheet ``pledges`` (→ ``pledges.csv``), the election
  candidates' answers to the asks of the election kit.

:func:`read_template` checks a filled template with the contract's own rules and
reports every problem as workbook, sheet and cell.

>>> [t.filename for t in TEMPLATES.values()]
['legal-advice-log.xlsx', 'recommendations-register.xlsx', 'admin-figures.xlsx', 'replies-register.xlsx', 'activity-log.xlsx', 'pledges-register.xlsx']
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from lublin_diagnosis.data.contracts import SCHEMAS, Schema
from lublin_diagnosis.data.forms._common import (
    INPUT_FILL,
    cell_date,
    cell_problem,
    cell_text,
    set_widths,
    style_header,
)
from lublin_diagnosis.exceptions import Problem

__all__ = ["TEMPLATES", "Template", "read_template", "write_template"]

#: Rows made ready for entry (dropdowns and validation) below the header.
ENTRY_ROWS = 1000
_LISTS = "Listy"


@dataclass(frozen=True)
class Template:
    """A register template: its file name and its sheets (sheet name → contract name)."""

    kind: str
    filename: str
    sheets: tuple[tuple[str, str], ...]
    title: str


#: The templates, by import kind.
TEMPLATES: Mapping[str, Template] = {
    "legal-cases": Template(
        "legal-cases",
        "legal-advice-log.xlsx",
        (("legal_cases", "legal_cases"),),
        "Rejestr porad prawnych / Legal-advice case log",
    ),
    "recommendations": Template(
        "recommendations",
        "recommendations-register.xlsx",
        (("recommendations", "recommendations"), ("opinions", "opinions"), ("status", "status")),
        "Rejestr rekomendacji / Recommendations register",
    ),
    "admin": Template(
        "admin",
        "admin-figures.xlsx",
        (("admin", "admin"),),
        "Dane administracyjne / Administrative figures",
    ),
    "replies": Template(
        "replies",
        "replies-register.xlsx",
        (("replies", "replies"),),
        "Odpowiedzi instytucji / Institutions' replies",
    ),
    "events": Template(
        "events",
        "activity-log.xlsx",
        (("events", "events"),),
        "Rejestr działań projektu / Activity record",
    ),
    "pledges": Template(
        "pledges",
        "pledges-register.xlsx",
        (("pledges", "pledges"),),
        "Rejestr deklaracji kandydatek i kandydatów / Candidates' pledges register",
    ),
}

_INSTRUCTIONS = (
    "Każdy wiersz to jeden rekord; nagłówków (wiersz 1) nie zmieniaj. Wybieraj kody z list "
    "rozwijanych, daty wpisuj jako RRRR-MM-DD. W rejestrze porad prawnych i rejestrze "
    "działań nie ma miejsca na nazwiska: nie dodawaj kolumn (uczestników wpisuj jako "
    "liczby). Kolumny listowe (problems, indicator_ids) przyjmują kilka kodów "
    "rozdzielonych średnikiem, np. residence;work.",
    "One record per row; do not change the headers (row 1). Choose codes from the "
    "dropdowns and write dates as YYYY-MM-DD. The legal-advice log and the activity record "
    "have no place for names: do not add columns (participants are counts). List columns "
    "(problems, indicator_ids) take several codes separated by ';', e.g. residence;work.",
    "Import: lublin-diagnosis import KIND FILE.xlsx --into DATA_DIR "
    "(KIND: legal-cases, recommendations, admin, replies, events or pledges).",
)


def _choices(schema: Schema, context: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Dropdown values per column: the contract's allowed codes, else the context's."""
    out = {}
    for col in schema.columns:
        if col.kind == "code" and col.allowed:
            out[col.name] = list(col.allowed)
        elif col.name in context and context[col.name]:
            out[col.name] = list(context[col.name])
    return out


def write_template(
    path: str | Path, kind: str, context: Mapping[str, Sequence[str]] | None = None
) -> Path:
    """Write the template of ``kind`` (a key of :data:`TEMPLATES`) to ``path``.

    ``context`` gives dropdown values for columns whose values come from other files:
    ``area`` (framework area ids), ``institution_id``, ``indicator_id``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     wb = load_workbook(write_template(Path(tmp) / "log.xlsx", "legal-cases"))
    ...     wb.sheetnames, wb["legal_cases"]["C1"].value
    (['Instrukcja', 'legal_cases', 'Listy'], 'nationality_group')
    """
    template = TEMPLATES[kind]
    context = dict(context or {})
    wb = Workbook()
    info = wb.active
    info.title = "Instrukcja"
    info["A1"] = template.title
    info["A1"].font = Font(bold=True, size=13)
    for row, text in enumerate(_INSTRUCTIONS, start=3):
        info.cell(row=row, column=1, value=text)
    info.column_dimensions["A"].width = 140
    info.protection.sheet = True
    sheets = [(name, SCHEMAS[contract]) for name, contract in template.sheets]
    lists_col = 0
    for name, _schema in sheets:
        wb.create_sheet(name)
    lists_ws = wb.create_sheet(_LISTS)
    for name, schema in sheets:
        ws = wb[name]
        ws.append([c.name for c in schema.columns])
        style_header(ws, 1, len(schema.columns))
        last = ENTRY_ROWS + 1
        for j, col in enumerate(schema.columns, start=1):
            letter = get_column_letter(j)
            rng = f"{letter}2:{letter}{last}"
            values = _choices(schema, context).get(col.name)
            if name != "recommendations" and col.name == "rec_id" and "recommendations" in wb:
                formula = f"=recommendations!$A$2:$A${last}"
            elif values:
                lists_col += 1
                lcol = get_column_letter(lists_col)
                lists_ws[f"{lcol}1"] = f"{name}.{col.name}"
                for k, value in enumerate(values, start=2):
                    lists_ws[f"{lcol}{k}"] = value
                formula = f"={_LISTS}!${lcol}$2:${lcol}${len(values) + 1}"
            else:
                formula = None
            _validate(ws, col, rng, formula)
        for j in range(1, len(schema.columns) + 1):
            dim = ws.column_dimensions[get_column_letter(j)]
            dim.protection = Protection(locked=False)
            dim.fill = INPUT_FILL
        set_widths(ws, [max(14, len(c.name) + 4) for c in schema.columns])
        ws.protection.sheet = True
        ws.protection.insertRows = False
        ws.protection.deleteRows = False
    lists_ws.sheet_state = "hidden"
    lists_ws.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    path = Path(path)
    wb.save(path)
    return path


def _validate(ws, col, rng: str, formula: str | None) -> None:
    if col.kind == "date":
        dv = DataValidation(
            type="date",
            operator="between",
            formula1="36526",
            formula2="73051",
            error="RRRR-MM-DD / YYYY-MM-DD",
        )
        letter = "".join(ch for ch in rng.split(":")[0] if ch.isalpha())
        ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
    elif col.kind == "integer":
        lo = int(col.min) if col.min is not None else 0
        hi = int(col.max) if col.max is not None else 10**9
        dv = DataValidation(
            type="whole", operator="between", formula1=str(lo), formula2=str(hi), error=f"{lo}–{hi}"
        )
    elif col.kind == "number":
        dv = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1=str(col.min or 0), error="≥ 0"
        )
    elif formula and col.kind != "list":
        dv = DataValidation(
            type="list", formula1=formula, error="Wybierz z listy / Choose from the list"
        )
    else:
        return
    dv.showErrorMessage = True
    dv.allow_blank = True
    dv.errorTitle = col.name
    ws.add_data_validation(dv)
    dv.add(rng)


# --------------------------------------------------------------------------- import
def read_template(path: str | Path, kind: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Read a filled template: one text frame per contract, and every problem.

    Problems name workbook, sheet and cell. The workbook is opened read-only.
    """
    template = TEMPLATES[kind]
    path = Path(path)
    book = path.name
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        return {}, [
            Problem(
                book, "read", f"cannot open the workbook ({exc}); save it as .xlsx and try again"
            )
        ]
    frames: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for sheet, contract in template.sheets:
        if sheet not in wb.sheetnames:
            problems.append(
                Problem(
                    book,
                    "read",
                    f"no sheet {sheet!r}; fill in the template written by 'lublin-diagnosis forms'",
                )
            )
            continue
        rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
        frame, errs = _read_sheet(book, sheet, rows, SCHEMAS[contract])
        frames[contract] = frame
        problems.extend(errs)
    wb.close()
    return frames, problems


def _read_sheet(
    book: str, sheet: str, rows: list[list[object]], schema: Schema
) -> tuple[pd.DataFrame, list[Problem]]:
    header = [cell_text(v) for v in (rows[0] if rows else [])]
    kinds = {c.name: c.kind for c in schema.columns}
    records, index = [], []
    for r, row in enumerate(rows[1:], start=2):
        values = [_text(v, kinds.get(h or "")) for h, v in zip(header, row, strict=False)]
        if any(v is not None for v in values):
            records.append(values + [None] * (len(header) - len(values)))
            index.append(r)
    names = [h or f"(column {get_column_letter(j)})" for j, h in enumerate(header, 1)]
    frame = pd.DataFrame(records, columns=names, index=pd.Index(index, name="row"), dtype=object)
    letters = {name: get_column_letter(j) for j, name in enumerate(names, start=1)}
    problems = []
    for p in schema.check(frame, file=book):
        if p.row is not None and p.column in letters:
            where = f"{letters[p.column]}{p.row}"
        elif p.column in letters:
            where = f"{letters[p.column]}1"
        else:
            where = "A1"
        problems.append(cell_problem(book, sheet, where, p.rule, p.message, p.value))
    return frame, problems


def _text(value: object, kind: str | None) -> str | None:
    if kind == "date" and isinstance(value, dt.date | dt.datetime):
        return cell_date(value)
    return cell_text(value)
