"""Failures as problems: the limits of a listing and the summary of a rule broken on many rows."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from lublin_diagnosis.exceptions import Problem, shorten

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
