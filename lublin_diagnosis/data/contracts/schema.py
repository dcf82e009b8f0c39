"""The :class:`Column` and :class:`Schema` of a file, and the checks of one column."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from lublin_diagnosis.data.contracts.failures import (
    _DATE,
    KINDS,
    MAX_MAGNITUDE,
    MAX_ROWS_LISTED,
    problems_from_failures,
)
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.exceptions import Problem, shorten


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
    optional : bool
        The column may be left out of the file (a column a register gained later, such as
        the action-plan columns of ``recommendations.csv``); when it is there, its cells
        follow the other rules.
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
    optional: bool = False
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
    >>> from lublin_diagnosis.data.contracts import SCHEMAS
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
            if col.name not in present and not col.optional:
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


def in_languages(name: str, what: str) -> tuple[Column, Column]:
    """The optional columns ``<name>_pl`` and ``<name>_en``: ``what`` in Polish and in
    English, which the pages of that language show instead of ``<name>``
    (:func:`~lublin_diagnosis.report.i18n.in_language`).

    >>> [c.name for c in in_languages("source", "the source")]
    ['source_pl', 'source_en']
    """
    pl, en = (
        Column(
            f"{name}_{lang}",
            "text",
            required=False,
            optional=True,
            description=f"{what} in {word}, when the data give it ({word} pages show it)",
        )
        for lang, word in (("pl", "Polish"), ("en", "English"))
    )
    return pl, en


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
