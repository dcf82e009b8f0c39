"""Statistical disclosure control of every published table.

Small groups of migrants in one city are identifiable, so no published table may show
an estimate or a count that rests on too few respondents, nor let a reader recover one
from what *is* published. The rules (:class:`DisclosureRules`, thresholds as parameters)
follow common agency practice (DOMAIN.md):

* **primary suppression**: an unweighted base (or a count) below ``min_n`` (default 10):
  the value, its standard error and interval, its score and gap, and the base itself are
  blanked, and the row is flagged ``suppressed``;
* **low reliability**: a base below ``low_n`` (30) is flagged ``low_base``, a coefficient
  of variation ``se / |estimate|`` above ``max_cv`` (30 %) ``high_cv``; both set
  ``low_reliability`` (the value is published, with the warning);
* **secondary (complementary) suppression**, flagged ``secondary_suppression``, wherever
  a table publishes totals from which a suppressed cell could be recovered by
  subtraction: count crosstabs with row and column totals (:func:`protect_counts`) and
  estimate tables whose rows partition a published total (:func:`protect_estimates` with
  ``groups=``, e.g. the groups of one disparity variable, whose bases add up to the
  published base of the indicator).

Suppression is never silent: a blanked value always comes with ``suppressed=True`` and
its reason in ``flags`` (``;``-joined among :data:`FLAGS`).

Protection criterion (checked by :func:`audit_counts` and by the attack tests)
--------------------------------------------------------------------------------
An attacker knows every published cell and total, that the table adds up, and that
counts are non-negative; linear programming gives, for each suppressed cell, the
smallest and largest value consistent with all that (the audit of tau-Argus and
sdcTable). A primarily suppressed cell (``1 <= x < min_n``) is **protected** when

1. *standard attacker*: its feasible interval contains ``[0, min_n]`` -- the published
   table is consistent both with the cell being empty and with it being at the
   threshold, so it does not even reveal that the cell is small or non-empty; and
2. *informed attacker*: who also reads the flags, and so knows that every primary cell
   lies in ``[1, min_n - 1]``, still cannot pin it: its feasible interval is at least
   1 wide (two whole values or more remain possible). A stronger requirement (the full
   ``[1, min_n - 1]``) cannot be met in general: when a row and its total are all
   primary, the flags alone already bound each cell below ``min_n - 1``. For the same
   reason a cell that the flags alone pin, whatever else is published, is exempt (with
   ``min_n = 3``, a row total of 2 made of two cells of 1: three primary cells in
   ``[1, 2]`` that add up force both cells to 1); this happens only for tiny totals,
   describing fewer than ``min_n`` people in all, and the audit reports it
   (``pinned_by_flags``).

Both are computed in continuous arithmetic (the LP relaxation). Zero cells are not
suppressed (they describe nobody; DOMAIN.md's "cells with an unweighted base under
10" means bases 1-9), and the structural relations used are exactly the published
totals.

Secondary suppression is chosen by a heuristic in the spirit of tau-Argus' hypercube
method: for each primary cell not yet protected, the cheapest *elementary pattern*
through it (a rectangle of four cells in a two-way table with totals, a pair of cells
along a one-way table's total) whose own zero-sum perturbation already satisfies both
criteria is suppressed, preferring cells already suppressed, then fewest new cells,
smallest counts and interior cells over totals. Suppressing more cells only widens the
feasible intervals, so a cell protected by its pattern stays protected. If no single
pattern suffices, patterns are added and the table re-audited until every primary cell
passes (at worst the whole table is suppressed, which always passes).

>>> import pandas as pd
>>> from lublin_diagnosis.disclosure.control import DisclosureRules, protect_counts, audit_counts
>>> table = pd.DataFrame({"F": [40, 3, 25], "M": [35, 20, 30]},
...                      index=pd.Index(["UA", "asia", "BY"], name="citizenship"))
>>> published = protect_counts(table, DisclosureRules())
>>> int(published["suppressed"].sum()) >= 4      # the small cell and its complements
True
>>> bool(audit_counts(published)["protected"].all())
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from lublin_diagnosis.exceptions import DisclosureError

__all__ = [
    "COUNT_COLUMNS",
    "DisclosureRules",
    "FLAGS",
    "TOTAL_LABEL",
    "VALUE_COLUMNS",
    "audit_counts",
    "audit_estimates",
    "counts_wide",
    "protect_counts",
    "protect_estimates",
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


def _join_flags(flag_sets: Sequence[set[str]]) -> list[str]:
    return [";".join(f for f in FLAGS if f in s) for s in flag_sets]


def _split_flags(value: object) -> set[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return set()
    return {f for f in str(value).split(";") if f}


# --------------------------------------------------------------------------- estimates
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
    if not isinstance(df, pd.DataFrame):
        raise DisclosureError(f"protect_estimates needs a DataFrame, not {type(df).__name__}")
    if n not in df.columns:
        raise DisclosureError(
            f"protect_estimates: the table has no base column {n!r}; "
            f"columns: {', '.join(map(str, df.columns))}"
        )
    if value is None:
        value = next((c for c in ("value", "estimate") if c in df.columns), None)
    elif value not in df.columns:
        raise DisclosureError(f"protect_estimates: no estimate column {value!r}")
    out = df.copy()
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
    base_v = base.fillna(0).to_numpy(dtype=float)
    flag_sets = (
        [_split_flags(f) for f in out["flags"]]
        if "flags" in out.columns
        else [set() for _ in range(len(out))]
    )
    primary = (base_v < rules.min_n) & ~already
    for i in np.flatnonzero(primary):
        if "secondary_suppression" not in flag_sets[i]:
            flag_sets[i].add("suppressed")
    suppressed = np.array(
        ["suppressed" in s or "secondary_suppression" in s for s in flag_sets], dtype=bool
    )
    if groups is not None:
        groups = list(groups)
        missing = [g for g in groups if g not in out.columns]
        if missing:
            raise DisclosureError(
                f"protect_estimates: groups columns {missing} are not in the table"
            )
        keys = (
            out[groups].astype(object).where(out[groups].notna(), "<NA>").apply(tuple, axis=1)
            if groups
            else pd.Series([()] * len(out), index=out.index)
        )
        positions: dict[tuple, list[int]] = {}
        for pos, key in enumerate(keys):
            positions.setdefault(key, []).append(pos)
        for members in positions.values():
            idx = np.array(members)
            if already[idx].any():  # protected by an earlier pass: leave it
                continue
            while True:
                hidden = idx[suppressed[idx]]
                if hidden.size == 0 or hidden.size == idx.size:
                    break
                if (
                    hidden.size >= 2
                    and base_v[hidden].sum() >= rules.min_n
                    and _partition_safe(base_v[hidden], primary[hidden], rules)
                ):
                    break
                shown = idx[~suppressed[idx]]
                pick = shown[np.argmin(base_v[shown])]
                suppressed[pick] = True
                flag_sets[pick].add("secondary_suppression")
    cv = np.full(len(out), np.nan)
    if value is not None and se in out.columns:
        est = pd.to_numeric(out[value], errors="coerce").to_numpy(dtype=float)
        sev = pd.to_numeric(out[se], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            cv = np.where(sev > 0, sev / np.abs(est), np.where(sev == 0, 0.0, np.nan))
    for i in range(len(out)):
        if suppressed[i]:
            flag_sets[i] -= {"low_base", "high_cv"}
            continue
        if base_v[i] < rules.low_n:
            flag_sets[i].add("low_base")
        if np.isfinite(cv[i]) and cv[i] > rules.max_cv or np.isinf(cv[i]):
            flag_sets[i].add("high_cv")
    out["cv"] = cv
    blank = list(columns) if columns is not None else [c for c in VALUE_COLUMNS if c in out.columns]
    unknown = [c for c in blank if c not in out.columns]
    if unknown:
        raise DisclosureError(f"protect_estimates: columns {unknown} are not in the table")
    for col in dict.fromkeys(blank + ["cv"]):
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].astype(float).where(~suppressed, np.nan)
        else:
            out[col] = out[col].astype(object).where(~suppressed, None)
    out[n] = pd.array(
        [pd.NA if s else int(round(b)) for s, b in zip(suppressed, base_v, strict=False)],
        dtype="Int64",
    )
    out["suppressed"] = suppressed
    out["low_reliability"] = [bool({"low_base", "high_cv"} & s) for s in flag_sets]
    out["flags"] = pd.array(_join_flags(flag_sets), dtype="str")
    return out


# --------------------------------------------------------------------------- counts
@dataclass(frozen=True)
class _Grid:
    """A count table extended with its totals, and the lines (rows / columns) that add up.

    ``values[i, j]`` is the count of cell (i, j) of the extended grid (NaN: no such
    cell). Each line is a list of (cell index, coefficient) whose weighted sum is 0:
    the cells of a row of the table with +1 and its total with -1.
    """

    values: np.ndarray
    row_labels: tuple
    col_labels: tuple
    kinds: np.ndarray  # cell kind of each grid position
    row_total: bool  # last column of the grid is the row totals
    col_total: bool  # last row of the grid is the column totals

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    def lines(self) -> list[list[tuple[int, int]]]:
        r, c = self.shape
        out = []
        if self.row_total:
            for i in range(r):
                out.append([(i * c + j, -1 if j == c - 1 else 1) for j in range(c)])
        if self.col_total:
            for j in range(c):
                out.append([(i * c + j, -1 if i == r - 1 else 1) for i in range(r)])
        return out

    def rho(self, j: int) -> int:
        """Coefficient of grid column ``j`` in a row line."""
        return -1 if self.row_total and j == self.shape[1] - 1 else 1

    def kappa(self, i: int) -> int:
        """Coefficient of grid row ``i`` in a column line."""
        return -1 if self.col_total and i == self.shape[0] - 1 else 1


def _as_grid(table: pd.DataFrame | pd.Series, margins: bool) -> tuple[_Grid, list[str]]:
    one_way = isinstance(table, pd.Series)
    frame = table.to_frame(name="count") if one_way else table
    if not isinstance(frame, pd.DataFrame):
        raise DisclosureError(
            f"protect_counts needs a DataFrame (crosstab) or a Series, not {type(table).__name__}"
        )
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise DisclosureError("protect_counts: the table is empty")
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0) | (np.abs(values - np.round(values)) > 1e-9)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise DisclosureError(
            f"protect_counts: cell ({frame.index[i]!r}, {frame.columns[j]!r}) holds "
            f"{frame.iat[i, j]!r}; a count table needs whole numbers >= 0 in every cell "
            f"({int(bad.sum())} bad cell(s))"
        )
    labels = [*frame.index, *([] if one_way else frame.columns)]
    if margins and any(isinstance(x, str) and x == TOTAL_LABEL for x in labels):
        raise DisclosureError(
            f"protect_counts: a category is labelled {TOTAL_LABEL!r}, "
            "the label of the totals; rename it"
        )
    if frame.index.has_duplicates or frame.columns.has_duplicates:
        raise DisclosureError("protect_counts: row or column labels are repeated")
    r, c = values.shape
    row_total = margins and c > 1
    col_total = margins and r > 1
    grid = values
    if row_total:
        grid = np.column_stack([grid, grid.sum(axis=1)])
    if col_total:
        grid = np.vstack([grid, grid.sum(axis=0)])
    kinds = np.full(grid.shape, "cell", dtype=object)
    if row_total:
        kinds[:, -1] = "row_total"
    if col_total:
        kinds[-1, :] = "column_total"
    if row_total and col_total:
        kinds[-1, -1] = "total"
    elif col_total:  # one column: its total is the grand total
        kinds[-1, 0] = "total"
    elif row_total:  # one row: its total is the grand total
        kinds[0, -1] = "total"
    row_labels = tuple(frame.index) + ((TOTAL_LABEL,) if col_total else ())
    col_labels = tuple(frame.columns) + ((TOTAL_LABEL,) if row_total else ())
    names = [str(frame.index.name) if frame.index.name is not None else "row"]
    if not one_way:
        names.append(str(frame.columns.name) if frame.columns.name is not None else "column")
        if names[0] == names[1]:
            names[1] = names[1] + "_2"
    return _Grid(grid, row_labels, col_labels, kinds, row_total, col_total), names


def _bounds(
    grid: _Grid,
    suppressed: np.ndarray,
    primary: np.ndarray,
    rules: DisclosureRules,
    targets: Sequence[int],
    informed: bool,
) -> np.ndarray:
    """LP interval (lower, upper) of each target cell (flat index) given the published
    cells: shape (len(targets), 2)."""
    flat = grid.values.ravel()
    hidden = np.flatnonzero(suppressed.ravel())
    position = {k: v for v, k in enumerate(hidden)}
    rows, rhs = [], []
    for line in grid.lines():
        coef = np.zeros(hidden.size)
        known = 0.0
        touched = False
        for cell, a in line:
            if cell in position:
                coef[position[cell]] += a
                touched = True
            else:
                known += a * flat[cell]
        if touched:
            rows.append(coef)
            rhs.append(-known)
    prim = primary.ravel()[hidden]
    if informed:
        bnds = [(1.0, rules.min_n - 1.0) if p else (0.0, None) for p in prim]
    else:
        bnds = [(0.0, None)] * hidden.size
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    out = np.empty((len(targets), 2))
    for t, cell in enumerate(targets):
        k = position[cell]
        if a_eq is None or not a_eq[:, k].any():
            lo, hi = bnds[k]
            out[t] = (lo, np.inf if hi is None else hi)
            continue
        for side, sign in ((0, 1.0), (1, -1.0)):
            obj = np.zeros(hidden.size)
            obj[k] = sign
            res = linprog(obj, A_eq=a_eq, b_eq=b_eq, bounds=bnds, method="highs")
            if res.status == 3:  # unbounded
                out[t, side] = -np.inf if side == 0 else np.inf
            elif res.status != 0:
                raise DisclosureError(
                    f"the disclosure audit could not solve its linear program ({res.message})"
                )
            else:
                out[t, side] = sign * res.fun
    return out


def _protected(lower: float, upper: float, min_n: int, informed: bool) -> bool:
    if informed:
        return upper - lower >= 1 - _TOL
    return lower <= _TOL and upper >= min_n - _TOL


def _patterns(grid: _Grid, i: int, j: int):
    """Elementary zero-sum patterns through cell (i, j): lists of (flat cell, multiplier)."""
    r, c = grid.shape
    ncol = c
    if grid.row_total and grid.col_total:
        for i2, j2 in product(range(r), range(c)):
            if i2 == i or j2 == j:
                continue
            m_b = -grid.rho(j) / grid.rho(j2)
            m_c = -grid.kappa(i) / grid.kappa(i2)
            m_d = grid.rho(j) * grid.kappa(i) / (grid.rho(j2) * grid.kappa(i2))
            yield [
                (i * ncol + j, 1.0),
                (i * ncol + j2, m_b),
                (i2 * ncol + j, m_c),
                (i2 * ncol + j2, m_d),
            ]
    elif grid.col_total:
        for i2 in range(r):
            if i2 != i:
                yield [(i * ncol + j, 1.0), (i2 * ncol + j, -grid.kappa(i) / grid.kappa(i2))]
    elif grid.row_total:
        for j2 in range(c):
            if j2 != j:
                yield [(i * ncol + j, 1.0), (i * ncol + j2, -grid.rho(j) / grid.rho(j2))]


def _pattern_interval(
    pattern, flat: np.ndarray, primary: np.ndarray, rules: DisclosureRules, informed: bool
) -> tuple[float, float]:
    """Range of the first cell of a pattern moved along the pattern alone."""
    t_lo, t_hi = -np.inf, np.inf
    for cell, m in pattern:
        x = flat[cell]
        lo, hi = (1.0, rules.min_n - 1.0) if informed and primary[cell] else (0.0, np.inf)
        # lo <= x + m t <= hi
        a, b = (lo - x) / m, (hi - x) / m
        if m < 0:
            a, b = b, a
        t_lo, t_hi = max(t_lo, a), min(t_hi, b)
    x0 = flat[pattern[0][0]]
    return x0 + t_lo, x0 + t_hi


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
        if upper - lower < 1 - _TOL:
            return False
    return True


def _pinned_by_flags(grid: _Grid, primary: np.ndarray, rules: DisclosureRules, cell: int) -> bool:
    """Whether the flags alone pin a primary cell: with every cell unknown, primaries in
    ``[1, min_n - 1]`` and the table adding up, its interval is narrower than 1."""
    everything = np.ones(grid.shape, dtype=bool)
    lo, hi = _bounds(grid, everything, primary, rules, [cell], True)[0]
    return hi - lo < 1 - _TOL


def _secondary(grid: _Grid, primary: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """Suppressed cells (bool grid): the primaries and a complement that protects them."""
    flat = grid.values.ravel()
    prim = primary.ravel()
    hidden = prim.copy()
    kinds = grid.kinds.ravel()
    if not grid.lines():
        return hidden.reshape(grid.shape)
    ncol = grid.shape[1]
    exempt: dict[int, bool] = {}

    def attackers(cell: int) -> tuple[bool, ...]:
        """The attackers a cell must resist (not the informed one where the flags alone
        already pin it: no suppression can help there)."""
        if cell not in exempt:
            exempt[cell] = _pinned_by_flags(grid, primary, rules, cell)
        return (False,) if exempt[cell] else (False, True)

    def protected_now(cell: int) -> bool:
        i, j = divmod(int(cell), ncol)
        for pattern in _patterns(grid, i, j):  # cheap sufficient check first
            if all(hidden[k] for k, _ in pattern) and all(
                _protected(
                    *_pattern_interval(pattern, flat, prim, rules, informed), rules.min_n, informed
                )
                for informed in (False, True)
            ):
                return True
        for informed in attackers(cell):
            lo, hi = _bounds(grid, hidden.reshape(grid.shape), primary, rules, [cell], informed)[0]
            if not _protected(lo, hi, rules.min_n, informed):
                return False
        return True

    order = sorted(np.flatnonzero(prim), key=lambda k: (flat[k], k))
    unresolved = []
    for cell in order:
        if protected_now(cell):
            continue
        best, best_cost = None, None
        i, j = divmod(int(cell), ncol)
        for pattern in _patterns(grid, i, j):
            ok = all(
                _protected(
                    *_pattern_interval(pattern, flat, prim, rules, informed), rules.min_n, informed
                )
                for informed in attackers(cell)
            )
            if not ok:
                continue
            new = [k for k, _ in pattern if not hidden[k]]
            cost = (len(new), sum(kinds[k] != "cell" for k in new), sum(flat[k] for k in new))
            if best_cost is None or cost < best_cost:
                best, best_cost = pattern, cost
        if best is None:
            unresolved.append(cell)
            continue
        for k, _ in best:
            hidden[k] = True
    # fallback: add the widest patterns (then any cell) until the audit passes
    for cell in unresolved:
        i, j = divmod(int(cell), ncol)
        while not protected_now(cell):
            candidates = []
            for pattern in _patterns(grid, i, j):
                new = [k for k, _ in pattern if not hidden[k]]
                if new:
                    lo, hi = _pattern_interval(pattern, flat, prim, rules, False)
                    candidates.append((-(hi - lo), len(new), sum(flat[k] for k in new), new))
            if candidates:
                for k in min(candidates, key=lambda c: c[:3])[3]:
                    hidden[k] = True
            else:
                rest = np.flatnonzero(~hidden)
                if rest.size == 0:
                    break
                hidden[rest[np.argmin(flat[rest])]] = True
    return hidden.reshape(grid.shape)


def protect_counts(
    table: pd.DataFrame | pd.Series,
    rules: DisclosureRules = DisclosureRules(),
    *,
    margins: bool = True,
) -> pd.DataFrame:
    """Primary and secondary suppression of a count table (a crosstab or a one-way table).

    Parameters
    ----------
    table : DataFrame or Series
        Unweighted counts (whole numbers >= 0): a crosstab with the categories of one
        variable as index and of the other as columns, or a one-way Series.
    rules : DisclosureRules
    margins : bool
        The table is published with its row and column totals (and grand total), which
        are computed here, checked like any cell, and taken into account by the
        secondary suppression. Without totals nothing can be recovered by subtraction,
        so only primary suppression applies.

    Returns
    -------
    DataFrame
        The published table in long form, one row per cell (totals included and
        labelled :data:`TOTAL_LABEL`): the label column(s) named after the index /
        columns names (``row``, ``column`` when unnamed), ``cell`` (``"cell"``,
        ``"row_total"``, ``"column_total"`` or ``"total"``), ``count`` (nullable
        integers, missing when suppressed), ``suppressed``, ``low_reliability``
        (a published count from 1 to ``low_n - 1``: ``low_base``) and ``flags``. :func:`counts_wide` turns it back into a
        crosstab for display.

    Raises
    ------
    DisclosureError
        If a cell is not a whole number >= 0, or a category is labelled like the totals.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series({"UA": 120, "BY": 45, "asia": 4, "other": 15}, name="n")
    >>> out = protect_counts(s.rename_axis("citizenship"))
    >>> out["citizenship"].tolist()
    ['UA', 'BY', 'asia', 'other', 'Total']
    >>> out["count"].tolist()
    [120, 45, <NA>, <NA>, 184]
    >>> out["flags"].tolist()
    ['', '', 'suppressed', 'secondary_suppression', '']
    """
    grid, names = _as_grid(table, margins)
    values = grid.values
    primary = (values >= 1) & (values < rules.min_n)
    hidden = _secondary(grid, primary, rules)
    rows = []
    r, c = grid.shape
    for i in range(r):
        for j in range(c):
            flags = set()
            x = values[i, j]
            if primary[i, j]:
                flags.add("suppressed")
            elif hidden[i, j]:
                flags.add("secondary_suppression")
            elif 0 < x < rules.low_n:
                flags.add("low_base")
            labels = [grid.row_labels[i]] + ([grid.col_labels[j]] if len(names) == 2 else [])
            rows.append(
                [
                    *labels,
                    grid.kinds[i, j],
                    None if hidden[i, j] else int(x),
                    bool(hidden[i, j]),
                    "low_base" in flags,
                    ";".join(f for f in FLAGS if f in flags),
                ]
            )
    out = pd.DataFrame(rows, columns=[*names, *COUNT_COLUMNS])
    for name in names:
        out[name] = out[name].astype(object)
    out["count"] = pd.array(out["count"].tolist(), dtype="Int64")
    out["cell"] = out["cell"].astype("str")
    out["flags"] = out["flags"].astype("str")
    return out


def _grid_from_published(
    published: pd.DataFrame,
) -> tuple[_Grid, np.ndarray, np.ndarray, list[str]]:
    missing = [c for c in COUNT_COLUMNS if c not in published.columns]
    if missing:
        raise DisclosureError(
            f"audit_counts: not a published count table (from "
            f"protect_counts): columns {missing} are missing"
        )
    names = [c for c in published.columns if c not in COUNT_COLUMNS]
    if len(names) not in (1, 2):
        raise DisclosureError(f"audit_counts: expected one or two label columns, found {names}")
    rows_l: list[Hashable] = list(dict.fromkeys(published[names[0]].tolist()))
    cols_l: list[Hashable] = (
        list(dict.fromkeys(published[names[1]].tolist())) if len(names) == 2 else ["count"]
    )
    for lab in (rows_l, cols_l):
        if TOTAL_LABEL in lab:  # totals last
            lab.remove(TOTAL_LABEL)
            lab.append(TOTAL_LABEL)
    shape = (len(rows_l), len(cols_l))
    values = np.full(shape, np.nan)
    hidden = np.zeros(shape, dtype=bool)
    primary = np.zeros(shape, dtype=bool)
    kinds = np.full(shape, "cell", dtype=object)
    ri = {x: k for k, x in enumerate(rows_l)}
    ci = {x: k for k, x in enumerate(cols_l)}
    for rec in published.itertuples(index=False):
        d = dict(zip(published.columns, rec, strict=False))
        i = ri[d[names[0]]]
        j = ci[d[names[1]]] if len(names) == 2 else 0
        kinds[i, j] = d["cell"]
        flags = _split_flags(d["flags"])
        if bool(d["suppressed"]):
            hidden[i, j] = True
            primary[i, j] = "suppressed" in flags
        else:
            values[i, j] = float(d["count"])
    row_total = bool((kinds == "row_total").any())
    col_total = bool((kinds == "column_total").any()) or (
        len(names) == 1 and bool((kinds == "total").any())
    )
    values = np.where(hidden, 0.0, values)  # placeholders: never read for hidden cells
    grid = _Grid(values, tuple(rows_l), tuple(cols_l), kinds, row_total, col_total)
    return grid, hidden, primary, names


def audit_counts(
    published: pd.DataFrame,
    rules: DisclosureRules = DisclosureRules(),
    *,
    informed: bool | None = None,
) -> pd.DataFrame:
    """Attack a published count table: the feasible range of every suppressed cell.

    For each suppressed cell, linear programs (``scipy.optimize.linprog``) find the
    smallest and largest value consistent with the published cells, the published
    totals and non-negativity -- what an attacker can learn. Only the published table is
    used (suppressed values are not read).

    Parameters
    ----------
    published : DataFrame
        Output of :func:`protect_counts`.
    rules : DisclosureRules
        The rules the table was protected with.
    informed : bool, optional
        ``False``: the standard attacker; ``True``: the attacker who also knows from the
        flags that primary cells lie in ``[1, min_n - 1]``; default: both (rows for each).

    Returns
    -------
    DataFrame
        One row per suppressed cell (and attacker): the label column(s), ``cell``,
        ``primary`` (primary or secondary suppression), ``attacker`` (``"standard"`` /
        ``"informed"``), ``lower``, ``upper``, ``protected`` (the criterion of the
        module docstring for primary cells; always True for secondary ones) and
        ``pinned_by_flags`` (informed attacker: the flags alone pin the cell, whatever
        is published; such a cell counts as protected by the table).

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series({"a": 50, "b": 3, "c": 40}).rename_axis("g")
    >>> audit = audit_counts(protect_counts(s))
    >>> audit.loc[audit["primary"], ["g", "attacker", "lower", "upper"]].to_dict("records")
    [{'g': 'b', 'attacker': 'standard', 'lower': 0.0, 'upper': 43.0}, {'g': 'b', 'attacker': 'informed', 'lower': 1.0, 'upper': 9.0}]
    """
    grid, hidden, primary, names = _grid_from_published(published)
    cells = np.flatnonzero(hidden.ravel())
    modes = (False, True) if informed is None else (bool(informed),)
    rows = []
    ncol = grid.shape[1]
    for mode in modes:
        bounds = (
            _bounds(grid, hidden, primary, rules, list(cells), mode)
            if cells.size
            else np.empty((0, 2))
        )
        for cell, (lo, hi) in zip(cells, bounds, strict=False):
            i, j = divmod(int(cell), ncol)
            is_primary = bool(primary[i, j])
            labels = [grid.row_labels[i]] + ([grid.col_labels[j]] if len(names) == 2 else [])
            ok = _protected(lo, hi, rules.min_n, mode) if is_primary else True
            by_flags = bool(
                mode and is_primary and not ok and _pinned_by_flags(grid, primary, rules, int(cell))
            )
            rows.append(
                [
                    *labels,
                    grid.kinds[i, j],
                    is_primary,
                    "informed" if mode else "standard",
                    float(lo),
                    float(hi),
                    ok or by_flags,
                    by_flags,
                ]
            )
    out = pd.DataFrame(
        rows,
        columns=[
            *names,
            "cell",
            "primary",
            "attacker",
            "lower",
            "upper",
            "protected",
            "pinned_by_flags",
        ],
    )
    for name in names:
        out[name] = out[name].astype(object)
    return out


def counts_wide(published: pd.DataFrame, *, symbol: str | None = None) -> pd.DataFrame:
    """A published count table (from :func:`protect_counts`) back in crosstab form.

    Suppressed cells are missing (or ``symbol``, e.g. ``"x"``, for display).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"F": [40, 3], "M": [35, 20]}, index=pd.Index(["UA", "asia"], name="c"))
    >>> wide = counts_wide(protect_counts(t), symbol="x")
    >>> wide.loc["asia"].tolist(), wide.loc["Total"].tolist()
    (['x', 'x', 23], [43, 55, 98])
    """
    names = [c for c in published.columns if c not in COUNT_COLUMNS]
    if len(names) == 1:
        wide = published.set_index(names[0])[["count"]]
    else:
        wide = published.pivot(index=names[0], columns=names[1], values="count")
        wide = wide.reindex(
            index=list(dict.fromkeys(published[names[0]])),
            columns=list(dict.fromkeys(published[names[1]])),
        )
    if symbol is not None:
        wide = wide.astype(object).where(wide.notna(), symbol)
    return wide


def audit_estimates(
    published: pd.DataFrame,
    totals: pd.Series,
    rules: DisclosureRules = DisclosureRules(),
    *,
    groups: Sequence[str],
    n: str = "n",
) -> pd.DataFrame:
    """Attack the bases of an estimate table whose rows partition published totals.

    Each set of rows sharing the ``groups`` values is treated as a one-way count table
    of its bases whose total is known to the attacker (``totals``: the published total
    base of each set, indexed by the ``groups`` values), and audited as
    :func:`audit_counts` does.

    Known limit: when *every* row of a set is a primary suppression and the parts are all
    at ``min_n - 1`` (e.g. 9 + 9 with a published total of 18), the flags and the total
    pin the bases; no suppression within the table can prevent it. Such cells are
    reported with ``pinned_by_flags`` (the estimates themselves stay hidden).

    Returns
    -------
    DataFrame
        The audit rows, with the ``groups`` columns first.

    Examples
    --------
    >>> import pandas as pd
    >>> est = pd.DataFrame({"by": ["sex"] * 3, "group": ["F", "M", "X"],
    ...                     "value": [0.4, 0.5, 0.9], "se": [0.05, 0.05, 0.1],
    ...                     "n": [120, 80, 3]})
    >>> pub = protect_estimates(est, groups=["by"])
    >>> audit = audit_estimates(pub, pd.Series({"sex": 203}), groups=["by"])
    >>> bool(audit["protected"].all()), int(audit["primary"].sum())
    (True, 2)
    """
    groups = list(groups)
    frames = []
    for key, part in published.groupby(groups, sort=False, dropna=False):
        key_t = key if isinstance(key, tuple) else (key,)
        total = totals.loc[key_t[0] if len(key_t) == 1 else key_t]
        labels = [f"row{k}" for k in range(len(part))] + [TOTAL_LABEL]
        flags = part["flags"].tolist() + [""]
        counts = [None if s else int(v) for s, v in zip(part["suppressed"], part[n], strict=False)]
        table = pd.DataFrame(
            {
                "item": labels,
                "cell": ["cell"] * len(part) + ["total"],
                "count": pd.array(counts + [int(total)], dtype="Int64"),
                "suppressed": part["suppressed"].tolist() + [False],
                "low_reliability": [False] * (len(part) + 1),
                "flags": flags,
            }
        )
        audit = audit_counts(table, rules)
        if bool(part["suppressed"].all()):
            # every part is hidden: no suppression inside this table can help, since the
            # total is published elsewhere; the flags and that total pin the bases (the
            # estimates stay hidden). Reported as pinned by the flags.
            pinned = (audit["attacker"] == "informed") & ~audit["protected"]
            audit.loc[pinned, "pinned_by_flags"] = True
            audit.loc[pinned, "protected"] = True
        for g, v in zip(groups, key_t, strict=False):
            audit.insert(groups.index(g), g, v)
        frames.append(audit)
    if not frames:
        return pd.DataFrame(
            columns=[*groups, "item", "cell", "primary", "attacker", "lower", "upper", "protected"]
        )
    return pd.concat(frames, ignore_index=True)
