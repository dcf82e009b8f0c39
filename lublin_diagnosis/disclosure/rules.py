"""The rules of disclosure control: thresholds, flags and the columns they touch.

:class:`DisclosureRules` holds the thresholds (parameters of a run); :data:`FLAGS` the
words a published row may carry in its ``flags`` column, ``;``-joined in that order.

>>> DisclosureRules().min_n, FLAGS[0]
(10, 'suppressed')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DisclosureError

__all__ = [
    "COUNT_COLUMNS",
    "FLAGS",
    "TOTAL_LABEL",
    "VALUE_COLUMNS",
    "DisclosureRules",
    "join_flags",
    "split_flags",
]

#: The flags a published row may carry, in the order they are joined.
FLAGS: tuple[str, ...] = ("suppressed", "secondary_suppression", "low_base", "high_cv")
#: Columns blanked in a suppressed row of an estimate table (those present).
VALUE_COLUMNS: tuple[str, ...] = (
    "value",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "cv",
    "deff",
    "score",
    "score_se",
    "score_ci_low",
    "score_ci_high",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
)
#: Columns of a published count table besides the label columns.
COUNT_COLUMNS: tuple[str, ...] = ("cell", "count", "suppressed", "low_reliability", "flags")
#: Label of the total row / column of a published count table.
TOTAL_LABEL = "Total"

_TOL = 1e-7


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds of disclosure control.

    Parameters
    ----------
    min_n : int
        Unweighted bases (and counts) from 1 to ``min_n - 1`` are suppressed (default
        10; some agencies use 5 or 3).
    low_n : int
        Bases below ``low_n`` are published flagged ``low_base`` (default 30).
    max_cv : float
        Estimates with a coefficient of variation ``se / |estimate|`` above ``max_cv``
        are published flagged ``high_cv`` (default 0.30).

    Examples
    --------
    >>> DisclosureRules(min_n=5).low_n
    30
    >>> DisclosureRules(min_n=40)
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.DisclosureError: DisclosureRules: low_n (30) must be at least min_n (40)
    """

    min_n: int = 10
    low_n: int = 30
    max_cv: float = 0.30

    def __post_init__(self) -> None:
        for name in ("min_n", "low_n"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise DisclosureError(
                    f"DisclosureRules: {name} must be a whole number >= 1, not {value!r}"
                )
        if self.low_n < self.min_n:
            raise DisclosureError(
                f"DisclosureRules: low_n ({self.low_n}) must be at least min_n ({self.min_n})"
            )
        try:
            cv = float(self.max_cv)
        except (TypeError, ValueError):
            cv = float("nan")
        if not cv > 0:
            raise DisclosureError(
                f"DisclosureRules: max_cv must be a positive number, not {self.max_cv!r}"
            )


def join_flags(flag_sets: Sequence[set[str]]) -> list[str]:
    return [";".join(f for f in FLAGS if f in s) for s in flag_sets]


def split_flags(value: object) -> set[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return set()
    return {f for f in str(value).split(";") if f}
