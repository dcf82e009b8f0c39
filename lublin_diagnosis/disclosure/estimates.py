"""Disclosure control of estimate tables: primary suppression, complements within a
published total, and the reliability flags.

>>> import pandas as pd
>>> t = pd.DataFrame({"value": [0.5, 0.0], "se": [0.05, 0.01], "n": [200, 50]})
>>> protect_estimates(t)["flags"].tolist()      # an estimate of 0 with an SE: infinite CV
['', 'high_cv']
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure.grid import TOL
from lublin_diagnosis.disclosure.rules import (
    VALUE_COLUMNS,
    DisclosureRules,
    join_flags,
    split_flags,
)
from lublin_diagnosis.exceptions import DisclosureError

__all__ = ["BASE_COLUMNS", "BASE_ROUNDING", "protect_estimates", "round_bases", "weight_step"]

#: Columns of a published estimate table that hold unweighted bases.
BASE_COLUMNS: tuple[str, ...] = ("n", "n_baseline", "n_follow_up")
#: Published bases are rounded down to a multiple of this (see :func:`round_bases`).
BASE_ROUNDING = 5


def protect_estimates(
    df: pd.DataFrame,
    rules: DisclosureRules = DisclosureRules(),
    *,
    n: str = "n",
    value: str | None = None,
    se: str = "se",
    columns: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Flag and suppress the rows of an estimate table.

    Parameters
    ----------
    df : DataFrame
        One row per published estimate, with its unweighted base ``n`` and, for the
        coefficient of variation, the estimate and its standard error.
    rules : DisclosureRules
    n, se : str
        Names of the base and standard-error columns.
    value : str, optional
        Name of the estimate column; default ``"value"`` or else ``"estimate"``.
    columns : sequence of str, optional
        Columns blanked in a suppressed row; default those of :data:`VALUE_COLUMNS`
        present. The base ``n`` is always blanked too (it is a small count).
    groups : sequence of str, optional
        Columns whose values identify sets of rows that partition a published total
        (the groups of one disparity variable for one indicator: ``["indicator",
        "by"]``). Within each set, if a row is suppressed, further rows (smallest base
        first) are suppressed until at least two are and their bases add up to
        ``min_n`` or more, so that no suppressed base (nor, approximately, estimate) can
        be recovered by subtraction from the total (criterion in the module docstring).
        A table protected before (it has ``suppressed`` and ``flags`` columns, bases of
        suppressed rows missing) keeps its decisions: protecting twice changes nothing.

    Returns
    -------
    DataFrame
        A copy with ``n`` as nullable integers, a ``cv`` column, suppressed values as
        missing, and the columns ``suppressed``, ``low_reliability`` and ``flags``
        (existing flags of an already protected table are kept).

    Raises
    ------
    DisclosureError
        If a row has no base (``n`` missing): it cannot be checked.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"group": ["a", "b", "c"], "value": [0.5, 0.2, 0.05],
    ...                    "se": [0.05, 0.1, 0.01], "n": [200, 4, 25]})
    >>> out = protect_estimates(df)
    >>> out[["group", "value", "suppressed", "flags"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'group': 'a', 'value': 0.5, 'suppressed': False, 'flags': ''},
     {'group': 'b', 'value': nan, 'suppressed': True, 'flags': 'suppressed'},
     {'group': 'c', 'value': 0.05, 'suppressed': False, 'flags': 'low_base'}]
    >>> protect_estimates(df.assign(t="x"), groups=["t"])["flags"].tolist()
    ['', 'suppressed', 'secondary_suppression']
    """
    value = _check_columns(df, n, value)
    out = df.copy()
    base_v, already = _bases(out, n)
    flag_sets, primary, suppressed = _primary(out, base_v, already, rules)
    if groups is not None:
        for idx in _partitions(out, list(groups)):
            if not already[idx].any():  # a set protected by an earlier pass is left alone
                _complement(idx, base_v, primary, suppressed, flag_sets, rules)
    cv = _cv(out, value, se)
    _reliability_flags(flag_sets, suppressed, base_v, cv, rules)
    out["cv"] = cv
    _blank(out, columns, suppressed)
    out[n] = pd.array(
        [pd.NA if s else int(round(b)) for s, b in zip(suppressed, base_v, strict=False)],
        dtype="Int64",
    )
    out["suppressed"] = suppressed
    out["low_reliability"] = [bool({"low_base", "high_cv"} & s) for s in flag_sets]
    out["flags"] = pd.array(join_flags(flag_sets), dtype="str")
    return out


def _check_columns(df: pd.DataFrame, n: str, value: str | None) -> str | None:
    """The estimate column of ``df`` (checked), after checking the table and its base."""
    if not isinstance(df, pd.DataFrame):
        raise DisclosureError(f"protect_estimates needs a DataFrame, not {type(df).__name__}")
    if n not in df.columns:
        raise DisclosureError(
            f"protect_estimates: the table has no base column {n!r}; "
            f"columns: {', '.join(map(str, df.columns))}"
        )
    if value is None:
        return next((c for c in ("value", "estimate") if c in df.columns), None)
    if value not in df.columns:
        raise DisclosureError(f"protect_estimates: no estimate column {value!r}")
    return value


def _primary(
    out: pd.DataFrame, base: np.ndarray, already: np.ndarray, rules: DisclosureRules
) -> tuple[list[set[str]], np.ndarray, np.ndarray]:
    """Flag sets (those of an earlier pass kept), primary suppressions (a base under
    ``min_n`` not decided before) and every suppressed row so far."""
    flag_sets = (
        [split_flags(f) for f in out["flags"]]
        if "flags" in out.columns
        else [set() for _ in range(len(out))]
    )
    primary = (base < rules.min_n) & ~already
    for i in np.flatnonzero(primary):
        if "secondary_suppression" not in flag_sets[i]:
            flag_sets[i].add("suppressed")
    suppressed = np.array(
        ["suppressed" in s or "secondary_suppression" in s for s in flag_sets], dtype=bool
    )
    return flag_sets, primary, suppressed


def _bases(out: pd.DataFrame, n: str) -> tuple[np.ndarray, np.ndarray]:
    """The bases (0 where an earlier pass hid them) and which rows were suppressed before;
    a row with no base that was not suppressed before cannot be checked."""
    base = pd.to_numeric(out[n], errors="coerce")
    already = (
        out["suppressed"].fillna(False).astype(bool).to_numpy()
        if "suppressed" in out.columns
        else np.zeros(len(out), dtype=bool)
    )
    unknown = base.isna().to_numpy() & ~already
    if unknown.any():
        rows = out.index[unknown].tolist()[:8]
        raise DisclosureError(
            f"protect_estimates: {int(unknown.sum())} row(s) have no "
            f"unweighted base {n!r} (rows {rows}); every published "
            f"estimate needs one to be checked"
        )
    return base.fillna(0).to_numpy(dtype=float), already


def _blank(out: pd.DataFrame, columns: Sequence[str] | None, suppressed: np.ndarray) -> None:
    """Blank the value columns (and ``cv``) of the suppressed rows, in place."""
    blank = list(columns) if columns is not None else [c for c in VALUE_COLUMNS if c in out.columns]
    unknown = [c for c in blank if c not in out.columns]
    if unknown:
        raise DisclosureError(f"protect_estimates: columns {unknown} are not in the table")
    for col in dict.fromkeys(blank + ["cv"]):
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(float).where(~suppressed, np.nan)
        else:
            out[col] = out[col].astype(object).where(~suppressed, None)


def _partitions(out: pd.DataFrame, groups: list[str]) -> list[np.ndarray]:
    """Positions of the rows of each set sharing the ``groups`` values."""
    missing = [g for g in groups if g not in out.columns]
    if missing:
        raise DisclosureError(f"protect_estimates: groups columns {missing} are not in the table")
    keys = (
        out[groups].astype(object).where(out[groups].notna(), "<NA>").apply(tuple, axis=1)
        if groups
        else pd.Series([()] * len(out), index=out.index)
    )
    positions: dict[tuple, list[int]] = {}
    for pos, key in enumerate(keys):
        positions.setdefault(key, []).append(pos)
    return [np.array(members) for members in positions.values()]


def _complement(
    idx: np.ndarray,
    base: np.ndarray,
    primary: np.ndarray,
    suppressed: np.ndarray,
    flag_sets: list[set[str]],
    rules: DisclosureRules,
) -> None:
    """Suppress further rows of one partition (smallest base first, in place) until its
    hidden bases resist subtraction from the published total."""
    while True:
        hidden = idx[suppressed[idx]]
        if hidden.size == 0 or hidden.size == idx.size:
            return
        if (
            hidden.size >= 2
            and base[hidden].sum() >= rules.min_n
            and _partition_safe(base[hidden], primary[hidden], rules)
        ):
            return
        shown = idx[~suppressed[idx]]
        pick = shown[np.argmin(base[shown])]
        suppressed[pick] = True
        flag_sets[pick].add("secondary_suppression")


def _cv(out: pd.DataFrame, value: str | None, se: str) -> np.ndarray:
    """Coefficients of variation ``se / |estimate|``: infinite for an estimate of 0 with a
    positive SE, 0 for an SE of 0, missing without an SE.

    >>> _cv(pd.DataFrame({"v": [0.5, 0.0, 0.2, 0.3], "se": [0.1, 0.01, 0.0, None]}), "v", "se")
    array([0.2, inf, 0. , nan])
    """
    if value is None or se not in out.columns:
        return np.full(len(out), np.nan)
    est = pd.to_numeric(out[value], errors="coerce").to_numpy(dtype=float)
    sev = pd.to_numeric(out[se], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sev > 0, sev / np.abs(est), np.where(sev == 0, 0.0, np.nan))


def _reliability_flags(
    flag_sets: list[set[str]],
    suppressed: np.ndarray,
    base: np.ndarray,
    cv: np.ndarray,
    rules: DisclosureRules,
) -> None:
    """Add ``low_base`` (base < ``low_n``) and ``high_cv`` (cv > ``max_cv``, or infinite)
    to the published rows, in place; a suppressed row carries neither."""
    for i in range(len(flag_sets)):
        if suppressed[i]:
            flag_sets[i] -= {"low_base", "high_cv"}
            continue
        if base[i] < rules.low_n:
            flag_sets[i].add("low_base")
        if np.isfinite(cv[i]) and cv[i] > rules.max_cv or np.isinf(cv[i]):
            flag_sets[i].add("high_cv")


def _partition_safe(bases: np.ndarray, primary: np.ndarray, rules: DisclosureRules) -> bool:
    """Whether hidden parts of a published total resist the informed attacker.

    The attacker knows their sum and that a primary part lies in ``[1, min_n - 1]`` (a
    secondary one in ``[0, inf)``); a primary part is pinned when that leaves it an
    interval narrower than 1.
    """
    total = float(bases.sum())
    lo = np.where(primary, 1.0, 0.0)
    hi = np.where(primary, rules.min_n - 1.0, np.inf)
    for i in np.flatnonzero(primary):
        others_hi = np.delete(hi, i).sum()
        others_lo = np.delete(lo, i).sum()
        lower = max(lo[i], total - others_hi)
        upper = min(hi[i], total - others_lo)
        if upper - lower < 1 - TOL:
            return False
    return True


def round_bases(
    published: pd.DataFrame,
    rules: DisclosureRules = DisclosureRules(),
    *,
    step: int = BASE_ROUNDING,
    columns: Sequence[str] = BASE_COLUMNS,
) -> pd.DataFrame:
    """Published bases rounded down to a multiple of ``step`` (never under ``min_n``).

    An exact base lets a reader subtract: the sample count of a group (published) minus
    the base of an estimate for that group is the number of its members who did not
    answer, or fell outside the indicator's population -- often 1 to 9 people. With
    bases rounded down to a multiple of ``step`` the difference is known only to within
    ``step`` values, so no such count is pinned (the run-wide audit,
    :func:`~lublin_diagnosis.disclosure.run_audit.audit_run`, checks it). Rounding down
    keeps the reliability flags true of the published base when ``low_n`` is a multiple
    of ``step``; a base is never shown under ``min_n``. Missing bases (suppressed rows)
    and 0 stay as they are, and a base from 1 to ``min_n - 1`` that is shown is left
    for the audit to report rather than hidden by rounding.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"n": pd.array([766, 29, 30, 10, 12, None, 0], dtype="Int64")})
    >>> round_bases(t)["n"].tolist()
    [765, 25, 30, 10, 10, <NA>, 0]
    >>> round_bases(t, DisclosureRules(min_n=12))["n"].tolist()[3:5]
    [10, 12]
    """
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or step < 1:
        raise DisclosureError(f"round_bases: step must be a whole number >= 1, not {step!r}")
    out = published.copy()
    for col in columns:
        if col not in out.columns:
            continue
        values = pd.to_numeric(out[col], errors="coerce").astype("Float64")
        big = values.notna() & (values >= rules.min_n)
        floored = (values // step) * step
        rounded = values.where(~big, floored.where(floored >= rules.min_n, rules.min_n))
        out[col] = rounded.round().astype("Int64")
    return out


def weight_step(population: float, n: int, min_n: int) -> float:
    """The rounding step of published design-weighted totals (weighting margins): the smallest 1, 2 or 5
    times a power of ten that is at least ``min_n`` times the mean weight
    ``population / n`` (1 when there is nothing to go by).

    Examples
    --------
    >>> weight_step(61_800, 1200, 10)       # mean weight 51.5: 515 -> 1000
    1000.0
    >>> weight_step(10_000, 1000, 10), weight_step(0, 0, 10)
    (100.0, 1.0)
    """
    if not (n > 0 and population > 0):
        return 1.0
    need = min_n * population / n
    exponent = math.floor(math.log10(need))
    for power in (exponent, exponent + 1):
        for nice in (1, 2, 5):
            if nice * 10.0**power >= need * (1 - 1e-12):
                return float(nice * 10.0**power)
    return float(10.0 ** (exponent + 1))
