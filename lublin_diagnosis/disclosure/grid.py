"""A count table as linear constraints, and the linear-programming attack on it.

A published count table with its totals is a grid whose lines (rows, columns) add up;
an attacker who knows the published cells, the totals and that counts are
non-negative can bound every suppressed cell by linear programming -- the audit of
tau-Argus and sdcTable. The protection criterion is in the docstring of
:mod:`lublin_diagnosis.disclosure`. Private to the package: :mod:`.counts` and
:mod:`.audit` build on it.

>>> import numpy as np
>>> g = _Grid(np.array([[3.0], [7.0], [10.0]]), ("a", "b", "Total"), ("n",),
...           np.array([["cell"], ["cell"], ["total"]], dtype=object), False, True)
>>> hidden = np.array([[True], [True], [False]])
>>> _bounds(g, hidden, hidden, _rules(), [0], informed=False).tolist()
[[0.0, 10.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from lublin_diagnosis.disclosure.rules import TOTAL_LABEL, DisclosureRules
from lublin_diagnosis.exceptions import DisclosureError

__all__: list[str] = []

#: Tolerance of the LP comparisons.
TOL = 1e-7


def _rules() -> DisclosureRules:
    return DisclosureRules()


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
        return upper - lower >= 1 - TOL
    return lower <= TOL and upper >= min_n - TOL


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


def _pinned_by_flags(grid: _Grid, primary: np.ndarray, rules: DisclosureRules, cell: int) -> bool:
    """Whether the flags alone pin a primary cell: with every cell unknown, primaries in
    ``[1, min_n - 1]`` and the table adding up, its interval is narrower than 1."""
    everything = np.ones(grid.shape, dtype=bool)
    lo, hi = _bounds(grid, everything, primary, rules, [cell], True)[0]
    return hi - lo < 1 - TOL
