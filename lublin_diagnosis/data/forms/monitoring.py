"""Monitoring workbooks: one XLSX per institution, and their importer.

:func:`write_monitoring_workbook` writes, for one institution, one row per policy (``P``)
indicator of the framework that applies to it (its type is among the indicator's
``institution_types`` and the indicator's area among the institution's ``areas``): the
question in Polish and English, the answer as a dropdown of the indicator's options, the
evidence type as a dropdown, the date with date validation and a notes column. Only the
answer cells and the round are unlocked; the sheets are protected and an instructions
sheet comes first.

:func:`read_monitoring_workbooks` reads filled workbooks back into the rows of
``monitoring.csv`` and reports every problem at once as workbook, sheet and cell.

>>> from lublin_diagnosis.framework.model import load_framework
>>> fw = load_framework()
>>> [i.id for i in applicable_indicators(fw, "clinic", ["health"])]
['health_p_interpreting', 'health_p_info_languages']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from lublin_diagnosis.data.contracts import SCHEMAS
from lublin_diagnosis.data.forms._common import (
    cell_date,
    cell_problem,
    cell_text,
    set_widths,
    style_header,
    unlock,
)
from lublin_diagnosis.exceptions import Problem
from lublin_diagnosis.framework.model import Framework, Indicator

__all__ = [
    "COLUMNS",
    "EVIDENCE_LABELS",
    "MONITORING_SHEET",
    "applicable_indicators",
    "read_monitoring_workbooks",
    "write_monitoring_workbook",
]

#: The sheet holding the answers.
MONITORING_SHEET = "Monitoring"
_LISTS_SHEET = "Listy"
_INFO_SHEET = "Instrukcja"
#: The columns of the answer sheet (header row 5, first indicator row 6).
COLUMNS = (
    "indicator_id",
    "area",
    "question_pl",
    "question_en",
    "answer",
    "evidence",
    "date",
    "notes",
)
_HEADERS = (
    "Wskaźnik (id)",
    "Obszar / Area",
    "Pytanie",
    "Question",
    "Odpowiedź / Answer",
    "Źródło informacji / Evidence",
    "Data (RRRR-MM-DD) / Date",
    "Uwagi / Notes",
)
_HEADER_ROW = 5
_FIRST_ROW = 6
_ID_CELL, _ROUND_CELL = "B2", "B3"
#: Evidence types of monitoring.csv and their bilingual dropdown labels.
EVIDENCE_LABELS: Mapping[str, str] = {
    "questionnaire": "kwestionariusz / questionnaire",
    "foi_request": "wniosek o informację publiczną / FOI request",
    "document_review": "analiza dokumentów / document review",
    "web_audit": "audyt strony internetowej / web audit",
}
assert tuple(EVIDENCE_LABELS) == next(
    c.allowed for c in SCHEMAS["monitoring"].columns if c.name == "evidence"
)

_INSTRUCTIONS = (
    ("Jak wypełnić ten skoroszyt", True),
    ("1. W arkuszu „Monitoring” wpisz w komórce B3 rok rundy monitoringu (np. 2023).", False),
    (
        "2. Dla każdego wskaźnika wybierz odpowiedź z listy rozwijanej (kolumna E), źródło "
        "informacji (kolumna F) i datę jej uzyskania w formacie RRRR-MM-DD (kolumna G).",
        False,
    ),
    ("3. Wskaźnik bez odpowiedzi zostaw pusty: nie zostanie zaimportowany.", False),
    (
        "4. W kolumnie „Uwagi” zapisz wyjaśnienia dla zespołu. Uwagi NIE trafiają do "
        "danych analizy; nie wpisuj w nich nazwisk ani danych osobowych.",
        False,
    ),
    ("5. Nie zmieniaj kolejności wierszy ani kolumn; struktura arkusza jest zablokowana.", False),
    (
        "6. Zaimportuj wypełnione skoroszyty poleceniem: lublin-diagnosis import monitoring "
        "PLIKI.xlsx --into KATALOG_DANYCH",
        False,
    ),
    ("", False),
    ("How to fill in this workbook", True),
    ("1. On the sheet 'Monitoring', enter the year of the monitoring round in cell B3.", False),
    (
        "2. For each indicator choose the answer from the dropdown (column E), the evidence "
        "(column F) and the date it was obtained as YYYY-MM-DD (column G).",
        False,
    ),
    ("3. Leave an indicator without an answer empty: it is not imported.", False),
    (
        "4. Notes (column H) are for the team and are NOT imported; write no names or "
        "personal data in them.",
        False,
    ),
    ("5. Do not reorder rows or columns; the structure of the sheets is locked.", False),
    (
        "6. Import the filled workbooks with: lublin-diagnosis import monitoring FILES.xlsx "
        "--into DATA_DIR",
        False,
    ),
)


def applicable_indicators(
    framework: Framework, institution_type: str, areas: Iterable[str]
) -> list[Indicator]:
    """The policy indicators an institution answers, in framework order.

    An indicator applies when the institution's type is one of its ``institution_types``
    and its area is one of the institution's monitored ``areas``.
    """
    wanted = set(areas)
    return [
        ind
        for ind in framework.indicators
        if ind.kind == "P" and institution_type in ind.institution_types and ind.area in wanted
    ]


def write_monitoring_workbook(
    path: str | Path,
    framework: Framework,
    institution: Mapping[str, str],
    *,
    round: int | None = None,
) -> Path:
    """Write the monitoring workbook of one institution to ``path``.

    Parameters
    ----------
    path : str or Path
        The XLSX file to write (overwritten: callers check first).
    framework : Framework
        The indicator framework (questions and answer options).
    institution : Mapping
        A row of ``institutions.csv`` (``institution_id``, ``name_pl``, ``name_en``,
        ``type``, ``areas``).
    round : int, optional
        Pre-filled monitoring round (year); the user may change it.

    Examples
    --------
    >>> import tempfile
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> inst = {"institution_id": "clinic_a", "name_pl": "Przychodnia", "name_en": "Clinic",
    ...         "type": "clinic", "areas": "health"}
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_monitoring_workbook(Path(tmp) / "clinic_a.xlsx", load_framework(), inst)
    ...     load_workbook(p)[MONITORING_SHEET]["A6"].value
    'health_p_interpreting'
    """
    indicators = applicable_indicators(
        framework, institution["type"], str(institution["areas"]).split(";")
    )
    wb = Workbook()
    info = wb.active
    info.title = _INFO_SHEET
    _write_info(info, institution)
    ws = wb.create_sheet(MONITORING_SHEET)
    lists = wb.create_sheet(_LISTS_SHEET)
    ws["A1"] = f"{institution['name_pl']} / {institution['name_en']}"
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"], ws[_ID_CELL] = "Instytucja (id) / Institution", institution["institution_id"]
    ws["A3"], ws[_ROUND_CELL] = "Runda (rok) / Round (year)", round
    unlock(ws, _ROUND_CELL)
    year = DataValidation(
        type="whole",
        operator="between",
        formula1="1900",
        formula2="2100",
        showErrorMessage=True,
        allow_blank=True,
        errorTitle="Runda / Round",
        error="Wpisz rok, np. 2023 / Enter a year, e.g. 2023",
    )
    ws.add_data_validation(year)
    year.add(_ROUND_CELL)
    for col, text in enumerate(_HEADERS, start=1):
        ws.cell(row=_HEADER_ROW, column=col, value=text)
    style_header(ws, _HEADER_ROW, len(_HEADERS))
    ws.row_dimensions[_HEADER_ROW].height = 32
    _write_rows(ws, lists, framework, indicators)
    widths = (28, 18, 55, 55, 40, 24, 14, 30)
    set_widths(ws, widths)
    _fit_rows(ws, widths, _FIRST_ROW, _FIRST_ROW + len(indicators))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = f"{_HEADER_ROW}:{_HEADER_ROW}"
    ws.protection.sheet = True
    lists.protection.sheet = True
    lists.sheet_state = "hidden"
    wb.security = WorkbookProtection(lockStructure=True)
    path = Path(path)
    wb.save(path)
    return path


def _fit_rows(ws, widths: Sequence[float], first: int, stop: int) -> None:
    """Row heights that show wrapped text whole (spreadsheets do not grow them on open)."""
    for row in range(first, stop):
        lines = 1
        for col, width in enumerate(widths, start=1):
            text = str(ws.cell(row=row, column=col).value or "")
            lines = max(lines, -(-len(text) // max(1, int(width * 1.1))))
        ws.row_dimensions[row].height = 15 * lines + 2


def _write_info(ws, institution: Mapping[str, str]) -> None:
    ws["A1"] = f"{institution['name_pl']} / {institution['name_en']}"
    ws["A1"].font = Font(bold=True, size=13)
    for row, (text, bold) in enumerate(_INSTRUCTIONS, start=3):
        ws.cell(row=row, column=1, value=text).font = Font(bold=bold)
    ws.column_dimensions["A"].width = 110
    for row in ws.iter_rows(min_row=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _fit_rows(ws, (110,), 3, 3 + len(_INSTRUCTIONS))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.protection.sheet = True


def _write_rows(ws, lists, framework: Framework, indicators: Sequence[Indicator]) -> None:
    lists["A1"] = "evidence"
    for i, label in enumerate(EVIDENCE_LABELS.values(), start=2):
        lists.cell(row=i, column=1, value=label)
    evidence = DataValidation(
        type="list",
        formula1=f"={_LISTS_SHEET}!$A$2:$A${len(EVIDENCE_LABELS) + 1}",
        showErrorMessage=True,
        allow_blank=True,
        errorTitle="Źródło / Evidence",
        error="Wybierz z listy / Choose from the list",
    )
    date = DataValidation(
        type="date",
        operator="between",
        formula1="36526",
        formula2="73051",
        showErrorMessage=True,
        allow_blank=True,
        errorTitle="Data / Date",
        error="Wpisz datę RRRR-MM-DD / Enter a date YYYY-MM-DD",
    )
    for dv in (evidence, date):
        ws.add_data_validation(dv)
    last = _FIRST_ROW + len(indicators) - 1
    for offset, ind in enumerate(indicators):
        row = _FIRST_ROW + offset
        col = get_column_letter(offset + 2)
        lists[f"{col}1"] = ind.id
        for k, opt in enumerate(ind.options, start=2):
            lists[f"{col}{k}"] = opt.label.pl
        answer = DataValidation(
            type="list",
            formula1=f"={_LISTS_SHEET}!${col}$2:${col}${len(ind.options) + 1}",
            showErrorMessage=True,
            allow_blank=True,
            errorTitle="Odpowiedź / Answer",
            error="Wybierz odpowiedź z listy / Choose an answer from the list",
        )
        ws.add_data_validation(answer)
        answer.add(f"E{row}")
        values = (ind.id, framework.area(ind.area).name.pl, ind.question.pl, ind.question.en)
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=value)
        ws[f"G{row}"].number_format = "yyyy-mm-dd"
    if indicators:
        evidence.add(f"F{_FIRST_ROW}:F{last}")
        date.add(f"G{_FIRST_ROW}:G{last}")
        unlock(ws, f"E{_FIRST_ROW}:H{last}")
        for row in ws[f"A{_FIRST_ROW}:D{last}"]:
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


# --------------------------------------------------------------------------- import
def read_monitoring_workbooks(
    paths: Sequence[str | Path],
    framework: Framework,
    *,
    institutions: Iterable[str] | None = None,
) -> tuple[list[list[object]], list[Problem]]:
    """Read filled monitoring workbooks into ``monitoring.csv`` rows.

    Returns the rows (in the columns of ``monitoring.csv``) and every problem found, each
    naming workbook, sheet and cell. Rows without an answer are skipped; notes are not
    imported. The workbooks are opened read-only and never modified. With
    ``institutions`` (the ids of ``institutions.csv``), the workbook's institution must
    be one of them.
    """
    known = None if institutions is None else set(institutions)
    rows: list[list[object]] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, str], str] = {}
    for path in paths:
        path = Path(path)
        book = path.name
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:
            problems.append(
                Problem(
                    book,
                    "read",
                    f"cannot open the workbook ({exc}); save it as .xlsx and try again",
                )
            )
            continue
        if MONITORING_SHEET not in wb.sheetnames:
            problems.append(
                Problem(
                    book,
                    "read",
                    f"no sheet {MONITORING_SHEET!r}; import "
                    f"the workbooks written by 'lublin-diagnosis forms'",
                )
            )
            continue
        cells = [list(r) for r in wb[MONITORING_SHEET].iter_rows(values_only=True)]
        wb.close()
        found, errs = _read_sheet(book, cells, framework)
        problems.extend(errs)
        owner = cell_text(_get(cells, (2, 2)))
        if known is not None and owner is not None and owner not in known:
            problems.append(
                cell_problem(
                    book,
                    MONITORING_SHEET,
                    _ID_CELL,
                    "unknown_institution",
                    f"institution {owner!r} is not in institutions.csv of the data "
                    f"directory; add it there, or import the workbook into its own data "
                    f"directory",
                    owner,
                )
            )
        for row, where in found:
            key = (str(row[0]), str(row[1]), str(row[5]))
            if key in seen:
                problems.append(
                    cell_problem(
                        book,
                        MONITORING_SHEET,
                        where,
                        "unique",
                        f"indicator {key[1]!r} of institution {key[0]!r} is "
                        f"answered twice for round {key[2]} (also {seen[key]}); "
                        f"keep one answer",
                    )
                )
                continue
            seen[key] = f"{book}, cell {where}"
            rows.append(row)
    return rows, problems


def _get(cells: list[list[object]], ref: tuple[int, int]) -> object:
    row, col = ref
    if row - 1 < len(cells) and col - 1 < len(cells[row - 1]):
        return cells[row - 1][col - 1]
    return None


def _read_sheet(
    book: str, cells: list[list[object]], framework: Framework
) -> tuple[list[tuple[list[object], str]], list[Problem]]:
    problems: list[Problem] = []

    def add(cell: str, rule: str, message: str, value: object = None) -> None:
        problems.append(cell_problem(book, MONITORING_SHEET, cell, rule, message, value))

    institution = cell_text(_get(cells, (2, 2)))
    if institution is None:
        add(
            _ID_CELL,
            "required",
            "the institution id is missing; use the workbook written "
            "for the institution by 'lublin-diagnosis forms'",
        )
    round_text = cell_text(_get(cells, (3, 2)))
    year = int(round_text) if round_text and round_text.isdigit() else None
    found: list[tuple[list[object], str]] = []
    for r in range(_FIRST_ROW, len(cells) + 1):
        values = [cell_text(_get(cells, (r, c))) for c in range(1, 8)]
        if values[4] is None:
            if values[5] or values[6]:
                add(
                    f"E{r}",
                    "required",
                    "evidence or date is given but the answer is "
                    "empty; choose an answer from the dropdown or "
                    "clear the row",
                )
            continue
        row = _read_row(r, values, _get(cells, (r, 7)), institution, year, framework, add)
        if row is not None:
            found.append((row, f"E{r}"))
    if found and year is None:
        add(
            _ROUND_CELL,
            "required" if round_text is None else "not_an_integer",
            "the round must be the year of the monitoring (e.g. 2023); enter it in B3",
            round_text,
        )
    elif year is not None and not 1900 <= year <= 2100:
        add(_ROUND_CELL, "range", "the round must be a year between 1900 and 2100", year)
    return found, problems


def _read_row(
    r: int,
    values: list[str | None],
    raw_date: object,
    institution: str | None,
    year: int | None,
    framework: Framework,
    add,
) -> list[object] | None:
    ind_id = values[0]
    try:
        ind = framework.indicator(ind_id or "")
    except (KeyError, ValueError):
        add(
            f"A{r}",
            "unknown_indicator",
            "not an indicator of the framework; do not edit column A (re-generate the workbook)",
            ind_id,
        )
        return None
    answer = _option_id(ind, values[4])
    if answer is None:
        choices = "; ".join(f"{o.label.pl!r}" for o in ind.options)
        add(
            f"E{r}",
            "allowed",
            f"{values[4]!r} is not one of the options of indicator "
            f"{ind.id!r}; choose one from the dropdown: {choices}",
            values[4],
        )
    evidence = _evidence_id(values[5])
    if evidence is None:
        add(
            f"F{r}",
            "required" if values[5] is None else "allowed",
            "choose the evidence from the dropdown: " + "; ".join(EVIDENCE_LABELS.values()),
            values[5],
        )
    date = cell_date(raw_date)
    if date is None:
        add(
            f"G{r}",
            "required" if values[6] is None else "date",
            "enter the date the answer was obtained as YYYY-MM-DD (e.g. 2023-05-14)",
            values[6],
        )
    if None in (answer, evidence, date):
        return None
    return [institution, ind.id, answer, evidence, date, year]


def _option_id(ind: Indicator, text: str | None) -> str | None:
    key = (text or "").strip().casefold()
    for opt in ind.options:
        if key in (
            opt.id.casefold(),
            opt.label.pl.strip().casefold(),
            opt.label.en.strip().casefold(),
        ):
            return opt.id
    return None


def _evidence_id(text: str | None) -> str | None:
    key = (text or "").strip().casefold()
    for code, label in EVIDENCE_LABELS.items():
        names = {code, label.casefold(), *(part.strip().casefold() for part in label.split("/"))}
        if key in names:
            return code
    return None
