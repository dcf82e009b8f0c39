"""The recommendations register's rules, checked in one place.

The register is three tables (``docs/data-contracts.md``): ``recommendations``,
``status`` (each recommendation's history) and ``opinions`` (the consultation group's),
and optionally ``replies`` (the institutions' replies).
:func:`register_problems` checks the rules that tie them together and to
``institutions``; :func:`~lublin_diagnosis.data.validation.validate_dir` reports its
problems with the rest of the data's, and :func:`check_register` guards the advocacy
functions against tables edited or built by hand.

Rules
-----
* ``rec_id`` is unique; a status is one of :data:`STATUSES`, an opinion one of
  :data:`OPINIONS` (column rules, also in the contracts; skipped with ``codes=False``);
* a recommendation is addressed to a known institution;
* status rows, opinions and replies name a recommendation of the register;
* a candidate's pledge (``pledges.csv``, :func:`pledge_problems`) names a recommendation
  of the register and an area of the framework, the recommendation's own area;
* each recommendation has exactly one ``issued`` status row, first in its history (its
  rows in file order); the dates of a history never go back and never precede the
  recommendation's ``date_issued``.

>>> recs = pd.DataFrame({"rec_id": ["R1"], "institution_id": ["mup"],
...                      "date_issued": ["2023-03-01"]})
>>> status = pd.DataFrame({"rec_id": ["R1", "R1"], "date": ["2023-03-01", "2023-02-01"],
...                        "status": ["issued", "in_progress"]}, index=[2, 3])
>>> [(p.rule, p.row) for p in register_problems(recs.set_axis([2]), status)]
[('status_dates', 3), ('status_dates', 3)]
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from lublin_diagnosis.exceptions import DataError, Problem, ValidationError, shorten

__all__ = [
    "FILES",
    "OPINIONS",
    "STATUSES",
    "check_register",
    "pledge_problems",
    "register_problems",
]

#: Statuses of a recommendation, in the order of the report's legends.
STATUSES: tuple[str, ...] = (
    "issued",
    "acknowledged",
    "in_progress",
    "partially_implemented",
    "implemented",
    "rejected",
)
#: Opinions of the consultation group.
OPINIONS: tuple[str, ...] = ("support", "amend", "reject")
#: Default file of each table of the register (the names problems are reported under).
FILES: Mapping[str, str] = {
    "recommendations": "recommendations.csv",
    "status": "recommendation_status.csv",
    "opinions": "recommendation_opinions.csv",
    "institutions": "institutions.csv",
    "replies": "replies.csv",
    "pledges": "pledges.csv",
}
_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "recommendations": ("rec_id", "area", "institution_id", "indicator_ids", "date_issued"),
    "status": ("rec_id", "date", "status"),
    "opinions": ("rec_id", "member", "date", "opinion"),
}

Frame = pd.DataFrame | None


def register_problems(
    recommendations: Frame,
    status: Frame,
    opinions: Frame = None,
    institutions: Frame = None,
    replies: Frame = None,
    *,
    files: Mapping[str, str] | None = None,
    codes: bool = True,
) -> list[Problem]:
    """Every broken rule of the register (see the module docstring).

    Parameters
    ----------
    recommendations, status, opinions, institutions, replies : DataFrame or None
        The tables (text or typed), indexed by spreadsheet row (header is row 1); a
        table that is ``None`` is not checked, nor are the references to it.
    files : mapping, optional
        Name each table is reported under (default :data:`FILES`).
    codes : bool
        Also check the column rules (unique ``rec_id``, status and opinion codes); the
        validation leaves them to the contracts.

    Returns
    -------
    list of Problem

    Examples
    --------
    >>> recs = pd.DataFrame({"rec_id": ["R1"], "institution_id": ["nowhere"]}, index=[2])
    >>> insts = pd.DataFrame({"institution_id": ["mup"]}, index=[2])
    >>> status = pd.DataFrame({"rec_id": ["R1"], "date": ["2023-03-01"],
    ...                        "status": ["issued"]}, index=[2])
    >>> print(register_problems(recs, status, institutions=insts)[0])
    recommendations.csv, row 2, column 'institution_id': [unknown_institution] (value 'nowhere') recommendation R1 is addressed to institution 'nowhere', which is not in institutions.csv; add the institution or correct the id
    """
    name = {**FILES, **(files or {})}
    problems: list[Problem] = []
    if codes:
        problems += _codes(recommendations, status, opinions, name)
    if _has(recommendations, "institution_id") and _has(institutions, "institution_id"):
        problems += _institutions(recommendations, institutions, name)
    if recommendations is not None:
        known = set(recommendations["rec_id"].dropna().astype(str))
        for table, frame in (("opinions", opinions), ("status", status), ("replies", replies)):
            if frame is not None:
                problems += _unknown_recs(frame, table, known, name)
    if _has(status, "date", "status"):
        problems += _histories(recommendations, status, name)
    return problems


def check_register(dataset: Any) -> None:
    """Check that a dataset's recommendations register can be used; report every problem.

    Parameters
    ----------
    dataset : Dataset
        Needs ``recommendations`` and ``status``; ``opinions`` and ``institutions`` are
        checked when present.

    Raises
    ------
    DataError
        When the register is absent or a table misses a column.
    ValidationError
        Listing every record at fault (:func:`register_problems`).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check_register(SimpleNamespace(recommendations=None))
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.DataError: the dataset has no recommendations register (recommendations.csv is declared absent or missing); the recommendation tables need it
    """
    recs = getattr(dataset, "recommendations", None)
    status = getattr(dataset, "status", None)
    if recs is None:
        raise DataError(
            "the dataset has no recommendations register (recommendations.csv "
            "is declared absent or missing); the recommendation tables need it"
        )
    if status is None:
        raise DataError(
            "the dataset has no status histories (recommendation_status.csv is "
            "declared absent or missing); the recommendation tables need them"
        )
    opinions = getattr(dataset, "opinions", None)
    for table, frame in (("recommendations", recs), ("status", status), ("opinions", opinions)):
        missing = [] if frame is None else [c for c in _COLUMNS[table] if c not in frame]
        if missing:
            raise DataError(f"{FILES[table]} has no column(s) {', '.join(missing)}")
    institutions = getattr(dataset, "institutions", None)
    replies = getattr(dataset, "replies", None)
    frames = (recs, status, opinions, institutions, replies)
    # every recommendation table of every notebook checks the same register: its
    # problems are kept for unchanged contents (a cell that cannot be hashed: no key)
    key = _content_key(frames)
    problems = None if key is None else _CHECKED.get(key)
    if problems is None:
        problems = register_problems(*(_numbered(f) for f in frames), codes=True)
        if key is not None:
            while len(_CHECKED) >= 8:
                _CHECKED.pop(next(iter(_CHECKED)))
            _CHECKED[key] = problems
    if problems:
        raise ValidationError(problems, summary="the recommendations register cannot be used")


#: The problems of registers already checked, by the hash of their tables' contents.
_CHECKED: dict[str, list[Problem]] = {}


def _content_key(frames: tuple[Frame, ...]) -> str | None:
    """A hash of the tables as pickled (columns, index, values; ``None`` counts as a
    table): 20 times faster than hashing every cell. Two equal tables stored
    differently only miss the memo. ``None`` when a table cannot be pickled."""
    try:
        data = pickle.dumps(frames, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # any object a cell may hold
        return None
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- rules
def _codes(recs: Frame, status: Frame, opinions: Frame, name: Mapping[str, str]) -> list[Problem]:
    problems = []
    if _has(recs, "rec_id"):
        first: dict[str, int | None] = {}
        for row, rec in _items(recs["rec_id"]):
            if rec in first:
                where = "" if first[rec] is None else f" (first at row {first[rec]})"
                problems.append(
                    Problem(
                        name["recommendations"],
                        "unique",
                        f"recommendation {rec} is listed twice{where}; give each one its own id",
                        row=row,
                        column="rec_id",
                        value=rec,
                    )
                )
            first.setdefault(rec, row)
    for table, frame, column, allowed in (
        ("status", status, "status", STATUSES),
        ("opinions", opinions, "opinion", OPINIONS),
    ):
        if not _has(frame, "rec_id", column):
            continue
        for label, code, rec in zip(frame.index, frame[column], frame["rec_id"], strict=True):
            if not _blank(code) and code not in allowed:
                problems.append(
                    Problem(
                        name[table],
                        "allowed",
                        f"{column} {shorten(code)} of recommendation {rec} is not one of "
                        f"{', '.join(allowed)}",
                        row=_row(label),
                        column=column,
                        value=code,
                    )
                )
    return problems


def _institutions(recs: pd.DataFrame, insts: pd.DataFrame, name: Mapping[str, str]):
    known = set(insts["institution_id"].dropna().astype(str))
    return [
        Problem(
            name["recommendations"],
            "unknown_institution",
            f"recommendation {rec} is addressed to institution {shorten(inst)}, which is not in "
            f"{name['institutions']}; add the institution or correct the id",
            row=_row(label),
            column="institution_id",
            value=inst,
        )
        for label, inst, rec in zip(recs.index, recs["institution_id"], recs["rec_id"], strict=True)
        if not _blank(inst) and str(inst) not in known
    ]


def _unknown_recs(frame: pd.DataFrame, table: str, known: set[str], name: Mapping[str, str]):
    what = {"status": "a status row", "replies": "a reply"}.get(table, "an opinion")
    return [
        Problem(
            name[table],
            "unknown_rec_id",
            f"{what} names recommendation {rec}, which is not in {name['recommendations']}; "
            f"correct the rec_id or add the recommendation there",
            row=row,
            column="rec_id",
            value=rec,
        )
        for row, rec in _items(frame["rec_id"])
        if str(rec) not in known
    ]


def _histories(recs: Frame, status: pd.DataFrame, name: Mapping[str, str]) -> list[Problem]:
    """The issued row of each history, its order and its dates."""
    label = name["status"]
    issued_on: dict[str, pd.Timestamp] = {}
    if recs is not None and "date_issued" in recs.columns:
        issued_on = {
            str(r): d
            for r, d in zip(recs["rec_id"], _dates(recs["date_issued"]), strict=True)
            if not _blank(r) and not pd.isna(d)
        }
    rows = [_row(label) for label in status.index]
    dates = _dates(status["date"]).tolist()
    histories: dict[str, list[int]] = {}
    for k, rec in enumerate(status["rec_id"]):
        if not _blank(rec):
            histories.setdefault(str(rec), []).append(k)
    problems: list[Problem] = []
    message = _rule_messages()
    for rec, ks in histories.items():
        kinds = [status["status"].iloc[k] for k in ks]
        n_issued = sum(kind == "issued" for kind in kinds)
        if n_issued != 1:
            where = [rows[k] for k, kind in zip(ks, kinds, strict=True) if kind == "issued"]
            listed = f" (rows {', '.join(map(str, where))})" if where else ""
            problems.append(
                Problem(
                    label,
                    "status_issued",
                    f"recommendation {rec} has {n_issued} 'issued' rows{listed}; its history "
                    f"must have exactly one, first",
                    row=where[1] if len(where) > 1 else None,
                    column="status",
                    value=rec,
                )
            )
        elif kinds[0] != "issued":
            problems.append(
                Problem(label, "status_order", message["order"], rows[ks[0]], "status", kinds[0])
            )
        previous = None
        for k in ks:
            if pd.isna(dates[k]):
                continue
            value = status["date"].iloc[k]
            if previous is not None and dates[k] < previous:
                problems.append(
                    Problem(label, "status_dates", message["back"], rows[k], "date", value)
                )
            if rec in issued_on and dates[k] < issued_on[rec]:
                problems.append(
                    Problem(label, "status_dates", message["early"], rows[k], "date", value)
                )
            previous = dates[k]
    if recs is not None:
        for row, rec in _items(recs["rec_id"]):
            if str(rec) not in histories:
                at = "" if row is None else f" (row {row} of {name['recommendations']})"
                problems.append(
                    Problem(
                        label,
                        "status_issued",
                        f"recommendation {rec} has no 'issued' status row{at}; start its "
                        f"history with the date it was issued",
                        column="rec_id",
                        value=rec,
                    )
                )
    return problems


def _rule_messages() -> dict[str, str]:
    return {
        "order": "a recommendation's history (its rows in file order) must start with its "
        "'issued' row; move that row up",
        "back": "earlier than the previous row of the same recommendation: the dates of a "
        "history never go back; correct the date or the order of the rows",
        "early": "earlier than the recommendation's date_issued; correct one of the two dates",
    }


def pledge_problems(
    pledges: Frame,
    recommendations: Frame = None,
    *,
    areas: set[str] | None = None,
    files: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Problems of the election candidates' pledges against the register and the framework.

    Parameters
    ----------
    pledges : DataFrame or None
        ``candidate, committee, date, area, rec_id, answer, pledge``, indexed by
        spreadsheet row (header = row 1).
    recommendations : DataFrame, optional
        The register: each ``rec_id`` must be one of it, and the pledge's ``area`` the
        recommendation's area (not checked without it).
    areas : set of str, optional
        The framework's areas (``area`` not checked against them without it).
    files : mapping, optional
        File names to report problems under (default :data:`FILES`).

    Returns
    -------
    list of Problem
        ``unknown_rec_id``, ``unknown_area`` and ``pledge_area``, each with its row and
        column.

    Examples
    --------
    >>> recs = pd.DataFrame({"rec_id": ["R1"], "area": ["health"]})
    >>> pledges = pd.DataFrame({"rec_id": ["R1", "R9", "R1"],
    ...                         "area": ["health", "health", "work"]}, index=[2, 3, 4])
    >>> [(p.rule, p.row, p.column) for p in pledge_problems(pledges, recs, areas={"health"})]
    [('unknown_rec_id', 3, 'rec_id'), ('unknown_area', 4, 'area'), ('pledge_area', 4, 'area')]
    """
    if pledges is None:
        return []
    name = {**FILES, **(files or {})}
    label = name["pledges"]
    problems: list[Problem] = []
    rec_area: dict[str, str] = {}
    if _has(recommendations, "rec_id") and "rec_id" in pledges.columns:
        assert recommendations is not None
        known = set(recommendations["rec_id"].dropna().astype(str))
        if "area" in recommendations.columns:
            rec_area = {
                str(r): str(a)
                for r, a in zip(recommendations["rec_id"], recommendations["area"], strict=True)
                if not _blank(r) and not _blank(a)
            }
        problems += [
            Problem(
                label,
                "unknown_rec_id",
                f"a pledge names recommendation {shorten(rec)}, which is not in "
                f"{name['recommendations']}; correct the rec_id (the asks of the election "
                f"kit list them) or add the recommendation there",
                row=row,
                column="rec_id",
                value=rec,
            )
            for row, rec in _items(pledges["rec_id"])
            if str(rec) not in known
        ]
    if "area" not in pledges.columns:
        return problems
    has_rec = "rec_id" in pledges.columns
    for label_, area in pledges["area"].items():
        if _blank(area):
            continue
        row, rec = _row(label_), pledges.at[label_, "rec_id"] if has_rec else None
        if areas is not None and str(area) not in areas:
            problems.append(
                Problem(
                    label,
                    "unknown_area",
                    f"names an area that is not in the framework (areas: "
                    f"{', '.join(sorted(areas))}); use the area id of the ask",
                    row=row,
                    column="area",
                    value=area,
                )
            )
        expected = rec_area.get(str(rec)) if not _blank(rec) else None
        if expected is not None and expected != str(area):
            problems.append(
                Problem(
                    label,
                    "pledge_area",
                    f"recommendation {shorten(rec)} belongs to area {expected!r}, not "
                    f"{shorten(area)}; use the area of the recommendation",
                    row=row,
                    column="area",
                    value=area,
                )
            )
    return problems


# --------------------------------------------------------------------------- helpers
def _items(values: pd.Series) -> Iterator[tuple[int | None, Any]]:
    """``(row, value)`` of the non-blank values, rows from the index labels."""
    for label, value in values.items():
        if not _blank(value):
            yield _row(label), value


def _has(frame: Frame, *columns: str) -> bool:
    return frame is not None and all(c in frame.columns for c in columns)


def _row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _dates(values: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    return pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")


def _numbered(frame: Frame) -> Frame:
    """A table of a dataset indexed by spreadsheet row when it is in file order, else by
    nothing (rows are then not reported)."""
    if frame is None:
        return None
    if isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0:
        return frame.set_axis(pd.RangeIndex(2, len(frame) + 2))
    return frame.set_axis(pd.Index([None] * len(frame), dtype=object))
