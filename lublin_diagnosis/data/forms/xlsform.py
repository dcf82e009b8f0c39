"""The migrant survey as an XLSForm, and the importer of KoboToolbox / ODK exports.

:func:`write_xlsform` turns the codebook into ``questionnaire-xlsform.xlsx``, the format
ODK Collect, KoboToolbox, Enketo and SurveyCTO read: a ``survey`` sheet (one question per
codebook variable but the id, in two groups: the interview's design variables and the
questions), a ``choices`` sheet (the codes and value labels of every coded variable, plus
its missing codes), and ``settings``. Labels are given in Polish, Ukrainian, Russian and
English (``label::Polski (pl)``, ...; a language the codebook lacks falls back to English);
numbers get a constraint from the codebook's ``range`` (missing codes allowed), every
question is required (its missing codes are the way to decline) and the codebook's
``universe`` becomes the question's ``relevant`` expression.

:func:`read_survey_export` reads an export (CSV or XLSX): group prefixes are removed
(``questions/sex``, ``questions-sex`` and ``questions:sex`` are ``sex``), metadata columns
(``_uuid``, ``_submission_time``, ``start``, ...) and columns that are not codebook
variables (free text, names) are dropped with a note, choice labels are mapped to codes,
and the respondent id is re-keyed (``R0001``, ... in submission order) so that the
export's ids never reach ``survey.csv``.

>>> xpath_relevance("employed == '1' and education == 'tertiary'")
"${employed} = '1' and ${education} = 'tertiary'"
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from lublin_diagnosis.data.codebook import Codebook, Variable
from lublin_diagnosis.data.contracts import survey_schema
from lublin_diagnosis.data.readers import read_table
from lublin_diagnosis.exceptions import DataError, Problem, ReadError

__all__ = [
    "FORM_ID",
    "LANGUAGE_COLUMNS",
    "read_survey_export",
    "write_xlsform",
    "xpath_relevance",
]

#: The form id of the generated XLSForm.
FORM_ID = "lublin_migrant_survey"
#: The XLSForm language suffixes, Polish first (the default language).
LANGUAGE_COLUMNS: Mapping[str, str] = {
    "pl": "Polski (pl)",
    "uk": "Українська (uk)",
    "ru": "Русский (ru)",
    "en": "English (en)",
}
_MISSING_LABELS = {
    "-9": {
        "pl": "Odmowa odpowiedzi",
        "uk": "Відмова від відповіді",
        "ru": "Отказ от ответа",
        "en": "Refused",
    },
    "-8": {"pl": "Nie wiem", "uk": "Не знаю", "ru": "Не знаю", "en": "Don't know"},
}
_RANGE_MESSAGE = {
    "pl": "Wartość spoza zakresu {lo}–{hi}",
    "uk": "Значення поза межами {lo}–{hi}",
    "ru": "Значение вне диапазона {lo}–{hi}",
    "en": "Value outside {lo}–{hi}",
}
_GROUPS = {
    "interview": {
        "pl": "Dane wywiadu (wypełnia ankieter)",
        "uk": "Дані інтерв'ю (заповнює інтерв'юер)",
        "ru": "Данные интервью (заполняет интервьюер)",
        "en": "Interview (filled in by the interviewer)",
    },
    "questions": {"pl": "Pytania", "uk": "Питання", "ru": "Вопросы", "en": "Questions"},
}
_META = re.compile(
    r"^(_.*|start|end|today|deviceid|subscriberid|simserial|phonenumber|"
    r"username|audit|instanceid|instanceID|__version__|formhub.*|meta.*)$"
)
_TOKEN = re.compile(r"'[^']*'|\"[^\"]*\"|[A-Za-z_][A-Za-z0-9_]*|==|!=|<=|>=|.", re.S)
_WORDS = {"and", "or", "not", "div", "mod"}
#: Submission-time columns: KoboToolbox, ODK Central.
_SUBMITTED = ("_submission_time", "SubmissionDate")


def xpath_relevance(universe: str) -> str:
    """Translate a codebook ``universe`` into an XLSForm ``relevant`` expression.

    Variable names become ``${name}`` and ``==`` becomes ``=``.

    Examples
    --------
    >>> xpath_relevance("age >= 20 and age <= 64")
    '${age} >= 20 and ${age} <= 64'
    """
    out = []
    for token in _TOKEN.findall(universe):
        if token == "==":
            out.append("=")
        elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", token) and token not in _WORDS:
            out.append("${" + token + "}")
        else:
            out.append(token)
    return "".join(out)


def _labels(mapping: Mapping[str, str]) -> list[str]:
    return [str(mapping.get(lang) or mapping.get("en") or "") for lang in LANGUAGE_COLUMNS]


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _question(var: Variable) -> list[object]:
    kind = {"integer": "integer", "float": "decimal"}.get(var.type, f"select_one {var.name}")
    constraint, messages = "", ["" for _ in LANGUAGE_COLUMNS]
    if var.range is not None:
        lo, hi = (_number(x) for x in var.range)
        parts = [f"(. >= {lo} and . <= {hi})"] + [f". = {m}" for m in var.missing]
        constraint = " or ".join(parts)
        messages = [_RANGE_MESSAGE[lang].format(lo=lo, hi=hi) for lang in LANGUAGE_COLUMNS]
    relevant = xpath_relevance(var.universe) if var.universe else ""
    return [kind, var.name, *_labels(var.label), "yes", relevant, constraint, *messages]


def write_xlsform(
    path: str | Path, codebook: Codebook, *, title: str | None = None, version: str = "1"
) -> Path:
    """Write the survey questionnaire as an XLSForm to ``path``.

    Examples
    --------
    >>> import tempfile
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "id", "type": "id", "role": "id", "label": {"pl": "Id", "en": "Id"}},
    ...     {"name": "age", "type": "integer", "role": "outcome", "range": ["18", "99"],
    ...      "label": {"pl": "Wiek", "en": "Age"}}]})
    >>> from openpyxl import load_workbook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     ws = load_workbook(write_xlsform(Path(tmp) / "q.xlsx", cb))["survey"]
    ...     [c.value for c in ws[3]][:2], ws["I3"].value
    (['integer', 'age'], '(. >= 18 and . <= 99)')
    """
    langs = list(LANGUAGE_COLUMNS.values())
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(
        [
            "type",
            "name",
            *[f"label::{lang}" for lang in langs],
            "required",
            "relevant",
            "constraint",
            *[f"constraint_message::{lang}" for lang in langs],
        ]
    )
    design = [v for v in codebook if v.role == "design"]
    asked = [v for v in codebook if v.role not in ("design", "id")]
    blank = ["" for _ in range(3 + len(langs))]
    for group, members in (("interview", design), ("questions", asked)):
        if not members:
            continue
        survey.append(["begin_group", group, *_labels(_GROUPS[group]), *blank])
        for var in members:
            survey.append(_question(var))
        survey.append(["end_group", group])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", *[f"label::{lang}" for lang in langs]])
    for var in codebook:
        if var.is_coded:
            for code, labels in var.values.items():
                choices.append([var.name, code, *_labels(labels)])
            for code in var.missing:
                choices.append(
                    [
                        var.name,
                        code,
                        *_labels(
                            _MISSING_LABELS.get(
                                code,
                                {"pl": f"Brak odpowiedzi ({code})", "en": f"No answer ({code})"},
                            )
                        ),
                    ]
                )
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(
        [
            title or "Badanie migrantów w Lublinie / Migrant survey, Lublin",
            FORM_ID,
            version,
            langs[0],
        ]
    )
    path = Path(path)
    wb.save(path)
    return path


# --------------------------------------------------------------------------- import
def _base_name(column: str) -> str:
    return re.split(r"[/:.\-]", str(column))[-1]


def _label_index(var: Variable) -> dict[str, str]:
    index = {}
    for code, labels in var.values.items():
        for text in labels.values():
            index.setdefault(str(text).strip().casefold(), code)
    return index


def read_survey_export(
    paths: Sequence[str | Path], codebook: Codebook
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    """Read KoboToolbox / ODK exports into the rows of ``survey.csv``.

    Returns the survey (text, codebook columns in codebook order, re-keyed ids), every
    problem (file, row and question name) and the notes on what was dropped.
    """
    frames, notes = [], []
    problems: list[Problem] = []
    for path in paths:
        try:
            frame, dropped = _read_one(Path(path), codebook)
        except DataError as exc:
            problems.append(Problem(Path(path).name, "read", str(exc)))
            continue
        if dropped:
            notes.append(
                f"{Path(path).name}: dropped {len(dropped)} column(s) that are not "
                f"codebook variables (metadata, free text or names; survey.csv "
                f"keeps none): {', '.join(dropped)}"
            )
        frames.append(frame)
    for frame in frames:
        problems.extend(_check(frame, codebook))
    survey = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    stamp = next((c for c in _SUBMITTED if c in survey), None)
    if stamp is not None:
        order = pd.to_datetime(survey[stamp], errors="coerce", utc=True, format="mixed")
        survey = survey.assign(_order=order).sort_values("_order", kind="stable")
    width = max(4, len(str(len(survey))))
    survey = survey.reset_index(drop=True)
    survey[codebook.id_variable] = [f"R{i:0{width}d}" for i in range(1, len(survey) + 1)]
    names = [v.name for v in codebook]
    return survey[[n for n in names if n in survey]], problems, notes


def _read_one(path: Path, codebook: Codebook) -> tuple[pd.DataFrame, list[str]]:
    try:
        raw = read_table(path)
    except ReadError as exc:
        raise DataError(
            f"{exc}; export the submissions from KoboToolbox or ODK Central as CSV or XLSX"
        ) from None
    keep, dropped, rename = [], [], {}
    id_name = codebook.id_variable
    for column in raw.columns:
        base = _base_name(column)
        if column in _SUBMITTED:
            keep.append(column)
        elif base in codebook and base != id_name and not _META.match(str(column)):
            keep.append(column)
            rename[column] = base
        else:
            dropped.append(str(column))
    frame = raw[keep].rename(columns=rename)
    frame.attrs["file"] = path.name
    for var in codebook:
        if var.name not in frame or not var.is_coded:
            continue
        index = _label_index(var)
        codes = set(var.codes) | set(var.missing)
        frame[var.name] = frame[var.name].map(
            lambda v, codes=codes, index=index: (
                v if pd.isna(v) or v in codes else index.get(str(v).strip().casefold(), v)
            )
        )
    if raw.attrs.get("decimal") == ",":
        for var in codebook:
            if var.is_numeric and var.name in frame:
                frame[var.name] = frame[var.name].str.replace(",", ".", regex=False)
    return frame, dropped


def _check(frame: pd.DataFrame, codebook: Codebook) -> list[Problem]:
    file = frame.attrs.get("file", "export")
    problems = []
    for var in codebook:
        if var.type != "id" and var.name not in frame:
            problems.append(
                Problem(
                    file,
                    "missing_column",
                    f"question {var.name!r} is not "
                    f"in the export; export every question of the form "
                    f"(XML values) and do not rename them",
                    column=var.name,
                )
            )
    checked = frame.drop(columns=list(_SUBMITTED), errors="ignore").copy()
    checked.insert(0, codebook.id_variable, [f"x{i}" for i in range(len(checked))])
    for var in codebook:
        if var.name not in checked:
            checked[var.name] = pd.NA
    checked.index = frame.index
    for problem in survey_schema(codebook, filename=file).check(checked, file=file):
        if problem.rule not in ("missing_column", "unique"):
            problems.append(problem)
    return problems
