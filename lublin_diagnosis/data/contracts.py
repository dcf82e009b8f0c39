"""The data contracts: one declarative schema per input file.

A :class:`Schema` lists the :class:`Column` rules of one file (type, required, allowed
values, pattern, uniqueness, range) and the column combinations that must be unique.
:meth:`Schema.check` applies them all and returns **every** failure as a
:class:`~lublin_diagnosis.exceptions.Problem` (file, row, column, value, rule and what to
do), lazily like pandera; a rule broken on more than :data:`MAX_ROWS_LISTED` rows of a
column is summarised in one problem listing the first rows, the count and the most
frequent values. :meth:`Schema.coerce` turns the text a reader returns into typed columns.

The schemas of the fixed-format files are in :data:`SCHEMAS` (``margins``,
``institutions``, ``monitoring``, ``admin``, ``legal_cases``, ``recommendations``,
``opinions``, ``status``); the survey's schema is built from its codebook by
:func:`survey_schema`, and :func:`survey_frame` types the survey (categorical codes as
``pandas.Categorical`` in codebook order, missing codes as missing values). Rules that
join files (margins against the codebook, ids across files, the framework) are applied
by :mod:`lublin_diagnosis.data.validation`. The human-readable contract is
``docs/data-contracts.md``.

>>> import pandas as pd
>>> from lublin_diagnosis.data.contracts import SCHEMAS
>>> frame = pd.DataFrame({"institution_id": ["mopr", "MUP"], "name_pl": ["MOPR", "MUP"],
...                       "name_en": ["Family centre", "Labour office"],
...                       "type": ["family_assistance", "labour_office"],
...                       "areas": ["social_assistance", "labour"]}, index=[2, 3])
>>> [str(p) for p in SCHEMAS["institutions"].check(frame, file="institutions.csv")]
["institutions.csv, row 3, column 'institution_id': [pattern] (value 'MUP') does not \
match the pattern [a-z0-9_]+; correct it. Ids are lower-case letters, digits and '_', one \
per institution."]
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.exceptions import Problem, shorten
from lublin_diagnosis.framework.model import INSTITUTION_TYPES

__all__ = [
    "ADMIN",
    "Column",
    "INSTITUTIONS",
    "INSTITUTION_TYPES",
    "LEGAL_CASES",
    "MARGINS",
    "MAX_MAGNITUDE",
    "MAX_ROWS_LISTED",
    "MONITORING",
    "OPINIONS",
    "RECOMMENDATIONS",
    "SCHEMAS",
    "STATUS",
    "Schema",
    "explode_list",
    "problems_from_failures",
    "survey_frame",
    "survey_schema",
]

#: A rule broken on more rows of one column than this is reported as one summary problem.
MAX_ROWS_LISTED = 10
#: Rows named in a summary problem.
_ROWS_IN_SUMMARY = 5
#: The largest absolute value a number of any input may have. Nothing a city diagnosis
#: counts, weighs or measures comes near it; beyond it sums overflow or lose every digit
#: (``1e308`` as a weight), so larger numbers are reported as absurd.
MAX_MAGNITUDE = 1e12

KINDS = ("text", "code", "list", "integer", "number", "date")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --------------------------------------------------------------------------- failures
def problems_from_failures(
    file: str,
    rule: str,
    column: str | None,
    failures: Sequence[tuple[int | None, object]],
    message: str,
    *,
    limit: int = MAX_ROWS_LISTED,
) -> list[Problem]:
    """Problems for one rule broken on ``failures`` (``(row, value)`` pairs).

    Up to ``limit`` failures give one problem each; more give a single problem naming the
    first rows, the number of rows and the most frequent offending values.

    Examples
    --------
    >>> ps = problems_from_failures("survey.csv", "unknown_code", "sex",
    ...                             [(r, "K") for r in range(2, 5002)], "not a code")
    >>> len(ps), ps[0].row
    (1, 2)
    >>> "5,000 rows" in ps[0].message
    True
    """
    if not failures:
        return []
    if len(failures) <= limit:
        return [
            Problem(file, rule, message, row=row, column=column, value=value)
            for row, value in failures
        ]
    rows = [row for row, _ in failures]
    shown = ", ".join(str(r) for r in rows[:_ROWS_IN_SUMMARY])
    counts = Counter(_hashable(v) for _, v in failures)
    common = ", ".join(f"{shorten(v)} ×{n:,}" for v, n in counts.most_common(3))
    more = f", {len(counts) - 3:,} other value(s)" if len(counts) > 3 else ""
    text = f"{message} [{len(failures):,} rows: {shown}, ...; values {common}{more}]"
    first_row, first_value = failures[0]
    return [Problem(file, rule, text, row=first_row, column=column, value=first_value)]


def _hashable(value: object) -> object:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


# --------------------------------------------------------------------------- schema
@dataclass(frozen=True)
class Column:
    """The rules of one column.

    Parameters
    ----------
    name : str
        Column name.
    kind : {"text", "code", "list", "integer", "number", "date"}
        ``code``: one of ``allowed``; ``list``: items separated by ``sep``, each one of
        ``allowed`` when given; ``integer``/``number``: converted with the file's decimal
        mark; ``date``: ``YYYY-MM-DD``.
    required : bool
        Every cell must have a value (after removing ``missing`` codes).
    allowed : tuple of str, optional
        The values (or list items) allowed.
    pattern : str, optional
        A regular expression every value must match in full.
    unique : bool
        No value may appear twice.
    min, max : float, optional
        Allowed range of a number; ``min_inclusive=False`` makes ``min`` exclusive.
    missing : tuple of str
        Codes meaning "no answer" (survey only): they are not checked and become missing.
    sep : str
        Separator of a ``list`` column.
    ordered : bool
        Survey ordinal variables: the categories have an order.
    from_codebook : bool
        The column is a survey variable: values outside ``allowed`` break the rule
        ``unknown_code`` and the message points to the codebook.
    hint : str
        What to do, appended to every problem of this column.
    description : str
        What the column holds (documentation).

    Examples
    --------
    >>> Column("sex", "code", allowed=("F", "M", "X")).allowed
    ('F', 'M', 'X')
    """

    name: str
    kind: str = "text"
    required: bool = True
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    unique: bool = False
    min: float | None = None
    max: float | None = None
    min_inclusive: bool = True
    missing: tuple[str, ...] = ()
    sep: str = ";"
    ordered: bool = False
    from_codebook: bool = False
    hint: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Column kind must be one of {KINDS}, not {shorten(self.kind)}")
        if self.allowed is not None:
            object.__setattr__(self, "allowed", tuple(self.allowed))
        object.__setattr__(self, "missing", tuple(self.missing))


@dataclass(frozen=True)
class Schema:
    """The contract of one input file.

    Parameters
    ----------
    name : str
        Logical name of the input (``"margins"``), the key in ``dataset.yml``.
    filename : str
        Default file name in a data directory.
    columns : tuple of Column
        Column rules, in the documented order.
    unique_together : tuple of tuple of str
        Column combinations that must not repeat.
    extra_columns : bool
        Whether columns not listed are allowed (``False`` for the legal-case log, which
        must hold no names or free text, and for the survey).
    noun : str
        What a row is, for summaries (``"institutions"``).
    description : str
        One line on what the file holds.

    Examples
    --------
    >>> SCHEMAS["legal_cases"].column("sex").allowed
    ('F', 'M', 'X')
    """

    name: str
    filename: str
    columns: tuple[Column, ...]
    unique_together: tuple[tuple[str, ...], ...] = ()
    extra_columns: bool = True
    noun: str = "rows"
    description: str = ""
    extra_hint: str = ""

    @property
    def column_names(self) -> list[str]:
        """Names of the documented columns."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        """The rules of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {shorten(name)}")

    # ------------------------------------------------------------------------------
    def check(
        self, frame: pd.DataFrame, *, file: str | None = None, decimal: str = "."
    ) -> list[Problem]:
        """Every violation of this schema in ``frame``.

        Parameters
        ----------
        frame : pandas.DataFrame
            Text as returned by :func:`~lublin_diagnosis.data.readers.read_table`; its index
            holds the row numbers used in the problems.
        file : str, optional, keyword-only
            File name used in the problems; ``filename`` by default.
        decimal : {".", ","}, keyword-only
            Decimal mark of the numbers.

        Returns
        -------
        list of Problem
            Empty when the frame meets the contract.
        """
        file = file or self.filename
        problems: list[Problem] = []
        present = set(frame.columns)
        for col in self.columns:
            if col.name not in present:
                problems.append(
                    Problem(
                        file,
                        "missing_column",
                        f"required column {shorten(col.name)} is missing{_near(col.name, present)}; "
                        f"add it (columns found: {_listing(frame.columns) or 'none'})",
                        column=col.name,
                    )
                )
        if not self.extra_columns:
            known = set(self.column_names)
            for name in frame.columns:
                if name not in known:
                    problems.append(
                        Problem(
                            file,
                            "unknown_column",
                            f"column {shorten(name)} is not part of this file's contract"
                            f"{_near(name, known)}; " + (self.extra_hint or "remove it"),
                            column=str(name),
                        )
                    )
        if frame.empty:
            problems.append(
                Problem(
                    file,
                    "no_rows",
                    f"the file has a header but no {self.noun}; export it again with its records",
                )
            )
            return problems
        for col in self.columns:
            if col.name in present:
                problems.extend(_check_column(frame[col.name], col, file, decimal))
        for names in self.unique_together:
            if all(n in present for n in names):
                problems.extend(_check_unique(frame, list(names), file))
        return problems

    def coerce(self, frame: pd.DataFrame, *, decimal: str = ".") -> pd.DataFrame:
        """Typed copy of a frame that passed :meth:`check`.

        ``integer`` columns become ``int64`` (``Int64`` when they may be empty),
        ``number`` columns ``float64``, ``date`` columns ``datetime64``; text, code and
        list columns stay strings. The index becomes ``0, 1, 2, ...``.
        """
        out = frame.copy()
        for col in self.columns:
            if col.name not in out.columns:
                continue
            out[col.name] = _typed(out[col.name], col, decimal)
        return out.reset_index(drop=True)


def _near(name: str, names: Iterable[object]) -> str:
    import difflib

    near = difflib.get_close_matches(str(name), [str(n) for n in names], n=1)
    return f" (is {shorten(near[0])} meant?)" if near else ""


def _listing(names: Iterable[object], limit: int = 20) -> str:
    """Names joined with commas, at most ``limit`` of them, each shortened."""
    names = [str(n) for n in names]
    shown = ", ".join(n if len(n) <= 40 else shorten(n, 40) for n in names[:limit])
    return shown + (f", ... ({len(names):,} in all)" if len(names) > limit else "")


def _split(value: str, sep: str) -> list[str]:
    return [item.strip() for item in str(value).split(sep)]


def _check_column(values: pd.Series, col: Column, file: str, decimal: str) -> list[Problem]:
    problems: list[Problem] = []
    hint = f". {col.hint}" if col.hint else ""
    is_missing_code = (
        values.isin(col.missing) if col.missing else pd.Series(False, index=values.index)
    )
    empty = values.isna()
    given = values[~empty & ~is_missing_code]

    def emit(rule: str, failures: list[tuple[int | None, object]], message: str) -> None:
        problems.extend(problems_from_failures(file, rule, col.name, failures, message + hint))

    if col.required:
        emit(
            "required",
            [(_row(r), None) for r in values.index[empty | is_missing_code]],
            "empty cell: every row needs a value here; fill it in",
        )
    if given.empty:
        return problems
    text = given.astype("str")
    if col.kind == "code" and col.allowed is not None:
        bad = ~text.isin(col.allowed)
        emit(
            "unknown_code" if col.from_codebook else "allowed",
            _failures(text[bad]),
            _allowed_message(col),
        )
    elif col.kind == "list":
        failures = []
        for row, value in text.items():
            items = _split(value, col.sep)
            wrong = [
                i for i in items if not i or (col.allowed is not None and i not in col.allowed)
            ]
            if wrong:
                failures.append((_row(row), value))
        emit("allowed", failures, _allowed_message(col, listed=True))
    elif col.kind in ("integer", "number"):
        numbers = parse_numbers(text, decimal=decimal)
        nan = numbers.isna()
        emit(
            "not_a_number",
            _failures(text[nan]),
            "not a number"
            + (" (the decimal mark of this file is ',')" if decimal == "," else "")
            + "; write a plain number without units (inf and "
            "nan are not numbers)",
        )
        numbers = numbers[~nan]
        absurd = numbers.abs() > MAX_MAGNITUDE
        emit(
            "absurd",
            _failures(text[absurd.index[absurd]]),
            f"implausibly large: no figure of this file can exceed {MAX_MAGNITUDE:,.0f} in "
            f"size; correct it (a unit or decimal-mark error?)",
        )
        numbers = numbers[~absurd]
        if col.kind == "integer":
            frac = numbers % 1 != 0
            emit(
                "not_an_integer",
                _failures(text[frac.index[frac]]),
                "not a whole number; correct it",
            )
        low = (
            ((numbers < col.min) if col.min_inclusive else (numbers <= col.min))
            if col.min is not None
            else pd.Series(False, index=numbers.index)
        )
        high = (numbers > col.max) if col.max is not None else pd.Series(False, index=numbers.index)
        out = low | high
        emit("range", _failures(text[out.index[out]]), _range_message(col))
    elif col.kind == "date":
        parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        bad = ~text.str.match(_DATE) | parsed.isna()
        emit(
            "date",
            _failures(text[bad]),
            "not a date written YYYY-MM-DD (e.g. 2023-05-31); "
            "correct it (in Excel, format the column as "
            "yyyy-mm-dd before exporting)",
        )
    if col.pattern is not None:
        bad = ~text.str.fullmatch(col.pattern)
        emit(
            "pattern", _failures(text[bad]), f"does not match the pattern {col.pattern}; correct it"
        )
    if col.unique:
        problems.extend(_check_unique(given.to_frame(), [col.name], file, hint=hint))
    return problems


def _check_unique(
    frame: pd.DataFrame, names: list[str], file: str, *, hint: str = ""
) -> list[Problem]:
    keys = frame[names]
    dup = keys.duplicated(keep=False)
    if not dup.any():
        return []
    first_row: dict[tuple, int] = {}
    failures = []
    for row, key in zip(
        keys.index[dup], keys[dup].itertuples(index=False, name=None), strict=False
    ):
        key = tuple(None if pd.isna(k) else k for k in key)
        if key not in first_row:
            first_row[key] = _row(row)
            continue
        value = key[0] if len(key) == 1 else dict(zip(names, key, strict=False))
        failures.append((_row(row), value, first_row[key]))
    column = names[0] if len(names) == 1 else ", ".join(names)
    what = f"{names[0]}" if len(names) == 1 else f"({column})"
    if len(failures) <= MAX_ROWS_LISTED:
        return [
            Problem(
                file,
                "unique",
                f"same {what} as row {first}; each must appear "
                f"once: remove or correct the duplicate{hint}",
                row=row,
                column=column,
                value=value,
            )
            for row, value, first in failures
        ]
    return problems_from_failures(
        file,
        "unique",
        column,
        [(r, v) for r, v, _ in failures],
        f"same {what} as an earlier row; each must appear once: "
        f"remove or correct the duplicates{hint}",
    )


def _row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _failures(values: pd.Series) -> list[tuple[int | None, object]]:
    return [(_row(row), value) for row, value in values.items()]


def _allowed_message(col: Column, *, listed: bool = False) -> str:
    codes = list(col.allowed or ())
    allowed = ", ".join(codes if len(codes) <= 30 else codes[:30] + ["..."])
    if listed:
        head = f"items separated by {shorten(col.sep)}"
        return (
            f"{head}, each one of: {allowed}; correct the list"
            if col.allowed
            else f"{head}, none empty; correct the list"
        )
    if col.from_codebook:
        missing = ", ".join(col.missing) or "none"
        return (
            f"not a code of this variable (codes: {allowed}; missing codes: "
            f"{missing}); correct the value, or add the code to the "
            f"codebook's values or missing codes"
        )
    return f"not one of the allowed values: {allowed}; correct it"


def _range_message(col: Column) -> str:
    low = "" if col.min is None else (f">= {col.min:g}" if col.min_inclusive else f"> {col.min:g}")
    high = "" if col.max is None else f"<= {col.max:g}"
    return (
        "outside the allowed range: must be "
        + " and ".join(x for x in (low, high) if x)
        + "; correct it"
    )


def _typed(values: pd.Series, col: Column, decimal: str) -> pd.Series:
    if col.missing:
        values = values.mask(values.isin(col.missing))
    if col.kind == "integer":
        numbers = parse_numbers(values, decimal=decimal).round()
        if col.required and numbers.notna().all():
            return numbers.astype("int64")
        return numbers.astype("Int64")
    if col.kind == "number":
        return parse_numbers(values, decimal=decimal)
    if col.kind == "date":
        return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
    if col.kind == "list":
        return values.map(
            lambda v: v if pd.isna(v) else ";".join(_split(v, col.sep)), na_action="ignore"
        ).astype("str")
    return values.astype("str")


def explode_list(
    frame: pd.DataFrame, column: str, *, sep: str = ";", keep: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per item of a ``sep``-separated list column.

    Parameters
    ----------
    frame : pandas.DataFrame
        A frame with a list column (``problems`` of the legal cases, ``areas`` of the
        institutions, ``indicator_ids`` of the recommendations).
    column : str
        The list column.
    sep : str, keyword-only
        Item separator.
    keep : sequence of str, optional, keyword-only
        Other columns to keep (all by default).

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["C1", "C2"], "problems": ["work;housing", "health"]})
    >>> explode_list(cases, "problems")["problems"].tolist()
    ['work', 'housing', 'health']
    """
    cols = list(keep) + [column] if keep is not None else list(frame.columns)
    out = frame[cols].copy()
    out[column] = out[column].map(lambda v: _split(v, sep), na_action="ignore")
    out = out.explode(column, ignore_index=True)
    out[column] = out[column].astype("str")
    return out


# --------------------------------------------------------------------------- survey
def survey_schema(codebook: Codebook, *, filename: str = "survey.csv") -> Schema:
    """The schema of a survey file described by ``codebook``.

    Every codebook variable is a required column and no other column is allowed. The id
    is non-empty and unique; categorical/ordinal values are codes of the codebook or its
    missing codes; integer/float values are numbers within the codebook range (integers
    whole) once missing codes are removed; an empty cell is a missing value (an item
    outside its universe).

    Examples
    --------
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}, "missing": ["-9"]},
    ...     {"name": "polish_level", "type": "ordinal", "role": "grouping", "label": lab,
    ...      "values": {"0": lab, "1": lab, "2": lab}}]})
    >>> survey_schema(cb).column("sex").allowed
    ('F', 'M')
    >>> survey_schema(cb).column("sex").missing
    ('-9',)
    """
    columns = []
    for var in codebook:
        fix = f"(see variable {shorten(var.name)} in the codebook)"
        if var.type == "id":
            columns.append(
                Column(
                    var.name,
                    "text",
                    required=True,
                    unique=True,
                    from_codebook=True,
                    hint="Every respondent needs their own id.",
                )
            )
        elif var.is_coded:
            columns.append(
                Column(
                    var.name,
                    "code",
                    required=False,
                    allowed=var.codes,
                    missing=var.missing,
                    ordered=var.type == "ordinal",
                    from_codebook=True,
                    description=var.label.get("en", ""),
                )
            )
        else:
            lo, hi = var.range if var.range is not None else (None, None)
            columns.append(
                Column(
                    var.name,
                    "integer" if var.type == "integer" else "number",
                    required=False,
                    min=lo,
                    max=hi,
                    missing=var.missing,
                    from_codebook=True,
                    hint=f"If the value means 'no answer', declare it a missing code {fix}.",
                    description=var.label.get("en", ""),
                )
            )
    return Schema(
        "survey",
        filename,
        tuple(columns),
        extra_columns=False,
        noun="respondents",
        description="survey microdata, one row per respondent",
        extra_hint="add the variable to the codebook or remove the column",
    )


def survey_frame(frame: pd.DataFrame, codebook: Codebook, *, decimal: str = ".") -> pd.DataFrame:
    """Typed survey: one column per codebook variable, in codebook order.

    Categorical/ordinal variables become ``pandas.Categorical`` with the codebook's codes
    as categories in codebook order (ordered for ordinal variables); integer/float
    variables become ``float64``; the id stays text. Missing codes, and values that are
    not codes, become missing values (run :meth:`Schema.check` first to report them).

    Examples
    --------
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}, "missing": ["-9"]},
    ...     {"name": "polish_level", "type": "ordinal", "role": "grouping", "label": lab,
    ...      "values": {"0": lab, "1": lab, "2": lab}}]})
    >>> text = pd.DataFrame({"resp_id": ["R1", "R2"], "sex": ["F", "-9"],
    ...                      "polish_level": ["2", "0"]}, index=[2, 3])
    >>> survey = survey_frame(text, cb)
    >>> survey["polish_level"].cat.ordered, survey["sex"].isna().tolist()
    (True, [False, True])
    """
    out = {}
    for var in codebook:
        if var.name not in frame.columns:
            continue
        values = frame[var.name]
        if var.missing:
            values = values.mask(values.isin(var.missing))
        if var.type == "id":
            out[var.name] = values.astype("str")
        elif var.is_coded:
            dtype = pd.CategoricalDtype(list(var.codes), ordered=var.type == "ordinal")
            out[var.name] = pd.Series(
                pd.Categorical(values.astype("object"), dtype=dtype), index=values.index
            )
        else:
            out[var.name] = parse_numbers(values, decimal=decimal)
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


# --------------------------------------------------------------------------- the files
#: Types of monitored institutions.
_EVIDENCE = ("questionnaire", "foi_request", "document_review", "web_audit")
_YEAR = {"min": 1900, "max": 2100}

MARGINS = Schema(
    "margins",
    "margins.csv",
    (
        Column("variable", "text", description="a codebook variable with role weighting"),
        Column("category", "text", description="a code of that variable"),
        Column(
            "count",
            "number",
            min=0,
            min_inclusive=False,
            hint="Margins are population counts: give a positive number, or collapse the "
            "category in the codebook.",
        ),
        Column("source", "text", hint="Name the register or estimate the figure comes from."),
        Column("reference_date", "date"),
    ),
    unique_together=(("variable", "category"),),
    noun="margin rows",
    description="population margins, long format",
)

INSTITUTIONS = Schema(
    "institutions",
    "institutions.csv",
    (
        Column(
            "institution_id",
            "text",
            unique=True,
            pattern=r"[a-z0-9_]+",
            hint="Ids are lower-case letters, digits and '_', one per institution.",
        ),
        Column("name_pl", "text"),
        Column("name_en", "text"),
        Column("type", "code", allowed=INSTITUTION_TYPES),
        Column("areas", "list", description="framework area ids, ';'-separated"),
    ),
    noun="institutions",
    description="monitored institutions",
)

MONITORING = Schema(
    "monitoring",
    "monitoring.csv",
    (
        Column("institution_id", "text"),
        Column("indicator_id", "text"),
        Column("answer", "text"),
        Column("evidence", "code", allowed=_EVIDENCE),
        Column("date", "date"),
        Column("round", "integer", **_YEAR, hint="The round is the year of the monitoring."),
    ),
    unique_together=(("institution_id", "indicator_id", "round"),),
    noun="answers",
    description="monitoring answers to policy indicators",
)

ADMIN = Schema(
    "admin",
    "admin.csv",
    (
        Column("indicator_id", "text"),
        Column(
            "institution_id", "text", required=False, description="empty for a city-wide figure"
        ),
        Column("round", "integer", **_YEAR),
        Column("value", "number", min=0),
        Column("source", "text", hint="Name the FOI request or register the figure answers."),
        Column("date", "date"),
    ),
    unique_together=(("indicator_id", "institution_id", "round"),),
    noun="figures",
    description="administrative counts",
)

LEGAL_CASES = Schema(
    "legal_cases",
    "legal_cases.csv",
    (
        Column("case_id", "text", unique=True),
        Column("date_opened", "date"),
        Column(
            "nationality_group",
            "code",
            allowed=("UA", "BY", "RU", "other_europe", "asia", "africa_middle_east", "other"),
        ),
        Column("sex", "code", allowed=("F", "M", "X")),
        Column("age_group", "code", allowed=("18-29", "30-44", "45-64", "65+")),
        Column(
            "problems",
            "list",
            allowed=(
                "residence",
                "work",
                "social_benefits",
                "housing",
                "health",
                "education",
                "family",
                "discrimination",
                "citizenship",
                "other",
            ),
        ),
        Column(
            "outcome",
            "code",
            allowed=("resolved", "advice_given", "referred", "ongoing", "dropped"),
        ),
        Column("n_consultations", "integer", min=1),
    ),
    extra_columns=False,
    noun="cases",
    description="legal-advice case log",
    extra_hint="the case log holds no names and no free text: remove the column",
)

RECOMMENDATIONS = Schema(
    "recommendations",
    "recommendations.csv",
    (
        Column("rec_id", "text", unique=True),
        Column("area", "text"),
        Column("institution_id", "text"),
        Column("indicator_ids", "list"),
        Column("text_pl", "text"),
        Column("text_en", "text"),
        Column("date_issued", "date"),
    ),
    noun="recommendations",
    description="recommendations register",
)

OPINIONS = Schema(
    "opinions",
    "recommendation_opinions.csv",
    (
        Column("rec_id", "text"),
        Column(
            "member",
            "text",
            pattern=r"[A-Z]{1,4}[0-9]{1,4}",
            hint="Use the member's pseudonymous code (e.g. CG03), never a name.",
        ),
        Column("date", "date"),
        Column("opinion", "code", allowed=("support", "amend", "reject")),
        Column("comment_pl", "text", required=False),
        Column("comment_en", "text", required=False),
    ),
    noun="opinions",
    description="consultation-group opinions on recommendations",
)

STATUS = Schema(
    "status",
    "recommendation_status.csv",
    (
        Column("rec_id", "text"),
        Column("date", "date"),
        Column(
            "status",
            "code",
            allowed=(
                "issued",
                "acknowledged",
                "in_progress",
                "implemented",
                "partially_implemented",
                "rejected",
            ),
        ),
    ),
    noun="status rows",
    description="implementation history of recommendations",
)

#: The schemas of the fixed-format inputs, by logical name.
SCHEMAS: Mapping[str, Schema] = MappingProxyType(
    {
        s.name: s
        for s in (
            MARGINS,
            INSTITUTIONS,
            MONITORING,
            ADMIN,
            LEGAL_CASES,
            RECOMMENDATIONS,
            OPINIONS,
            STATUS,
        )
    }
)
