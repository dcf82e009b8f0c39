"""Disclosure control of count tables: primary and secondary suppression.

Secondary suppression is chosen by a heuristic in the spirit of tau-Argus' hypercube
method: for each primary cell not yet protected, the cheapest *elementary pattern*
through it (a rectangle of four cells in a two-way table with totals, a pair of cells
along a one-way table's total) whose own zero-sum perturbation already satisfies the
criterion of :mod:`lublin_diagnosis.disclosure` is suppressed, preferring cells already
suppressed, then fewest new cells, smallest counts and interior cells over totals.
Suppressing more cells only widens the feasible intervals, so a cell protected by its
pattern stays protected. If no single pattern suffices, patterns are added and the
table re-audited until every primary cell passes (at worst the whole table is
suppressed, which always passes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure.grid import (
    _as_grid,
    _bounds,
    _Grid,
    _pattern_interval,
    _patterns,
    _pinned_by_flags,
    _protected,
)
from lublin_diagnosis.disclosure.rules import COUNT_COLUMNS, FLAGS, DisclosureRules

__all__ = ["counts_wide", "protect_counts"]


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
    rows = _long_rows(grid, len(names), primary, hidden, rules)
    out = pd.DataFrame(rows, columns=[*names, *COUNT_COLUMNS])
    for name in names:
        out[name] = out[name].astype(object)
    out["count"] = pd.array(out["count"].tolist(), dtype="Int64")
    out["cell"] = out["cell"].astype("str")
    out["flags"] = out["flags"].astype("str")
    return out


def _long_rows(
    grid: _Grid, n_labels: int, primary: np.ndarray, hidden: np.ndarray, rules: DisclosureRules
) -> list[list]:
    """One published row per grid cell: labels, kind, count (None when hidden), flags.

    A count from 1 to ``low_n - 1`` that is published is flagged ``low_base``.
    """
    values = grid.values
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
            labels = [grid.row_labels[i]] + ([grid.col_labels[j]] if n_labels == 2 else [])
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
    return rows


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
