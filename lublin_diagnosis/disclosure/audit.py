"""Audits: attack published tables as a reader would, from what they publish alone.

>>> import pandas as pd
>>> from lublin_diagnosis.disclosure.counts import protect_counts
>>> s = pd.Series({"a": 50, "b": 3, "c": 40}).rename_axis("g")
>>> bool(audit_counts(protect_counts(s))["protected"].all())
True
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure.grid import _bounds, _Grid, _pinned_by_flags, _protected
from lublin_diagnosis.disclosure.rules import (
    COUNT_COLUMNS,
    TOTAL_LABEL,
    DisclosureRules,
    split_flags,
)
from lublin_diagnosis.exceptions import DisclosureError

__all__ = ["AUDIT_COLUMNS", "audit_counts", "audit_estimates"]

#: Columns of an audit besides the label columns.
AUDIT_COLUMNS: tuple[str, ...] = (
    "cell",
    "primary",
    "attacker",
    "lower",
    "upper",
    "protected",
    "pinned_by_flags",
)


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
        flags = split_flags(d["flags"])
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
    >>> from lublin_diagnosis.disclosure.counts import protect_counts
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
    out = pd.DataFrame(rows, columns=[*names, *AUDIT_COLUMNS])
    for name in names:
        out[name] = out[name].astype(object)
    return out


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
    >>> from lublin_diagnosis.disclosure.estimates import protect_estimates
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
