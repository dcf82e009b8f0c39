"""Weight adjustments: raking, post-stratification, calibration and trimming.

These are the numerical kernels behind :meth:`SurveyDesign.rake`,
:meth:`~SurveyDesign.poststratify` and :meth:`~SurveyDesign.trim` (calibration is in
:mod:`lublin_diagnosis.survey._calibration`). They work on a weight *matrix* ``W`` of shape ``(n, k)``: column
0 holds the full-sample weights and any further columns hold replicate weights, so a
replicate design is adjusted in one vectorised pass.

Raking touches the rows only through the weighted totals of the cells of the cross
classification of its margin variables: the iterations run on a ``(cells × k)`` table and
the rows are touched twice, once to build the table and once to apply the final factors.

Margins are given as ``{variable: {category: population count}}``; they are checked before
anything is computed (:func:`check_margins`) and every mismatch is named.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lublin_diagnosis.survey._errors import CalibrationError, ConvergenceError, MarginError
from lublin_diagnosis.survey._sums import rowsum

__all__ = [
    "CheckedMargin",
    "CellIndex",
    "RakeResult",
    "cell_index",
    "check_margins",
    "margins_from_frame",
    "poststratify_factors",
    "rake_table",
    "trim_vector",
]

#: relative disagreement allowed between the totals of different margins
MARGIN_TOTAL_RTOL = 0.005


@dataclass(frozen=True)
class CheckedMargin:
    """A margin matched to the sample: the variable, its levels, row codes and targets."""

    variable: str
    levels: tuple
    codes: np.ndarray  # (n,) int code of every row into levels
    targets: np.ndarray  # (L,) population counts, in the order of levels


def margins_from_frame(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Turn a long margins table (variable, category, count) into the dict form.

    >>> t = pd.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"],
    ...                   "count": [60.0, 40.0]})
    >>> margins_from_frame(t)
    {'sex': {'F': 60.0, 'M': 40.0}}
    """
    missing = {"variable", "category", "count"} - set(frame.columns)
    if missing:
        raise MarginError(
            f"the margins table lacks column(s) {sorted(missing)}; it needs "
            "variable, category and count (long format, one row per category)"
        )
    out: dict[str, dict[str, float]] = {}
    for var, cat, count in zip(frame["variable"], frame["category"], frame["count"], strict=False):
        out.setdefault(str(var), {})[str(cat)] = float(count)
    return out


def _level_key(value) -> str:
    """Canonical text of a category, so that 1, 1.0 and '1' match."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def poststrata(
    data: pd.DataFrame, variable, totals, *, partial: bool = False
) -> tuple[pd.DataFrame, str, dict]:
    """The post-strata of one variable or of the cross-classification of several:
    (data holding the post-stratum column, its name, ``{cell: count}``).

    Several variables are joined into cells ``"a:b"``; ``totals`` is a mapping (keys
    tuples or ``"a:b"``) or a table with the variables and a ``Freq``/``count`` column.
    With ``partial``, cells with no respondent are left out (R's ``partial = TRUE``).

    >>> df = pd.DataFrame({"g": ["a", "b"], "h": [1, 2]})
    >>> poststrata(df, ["g", "h"], {("a", 1): 3, ("b", 2): 4, ("b", 1): 5}, partial=True)[2]
    {'a:1': 3.0, 'b:2': 4.0}
    """
    names = [variable] if isinstance(variable, str) else list(variable)
    missing = [v for v in names if v not in data.columns]
    if missing:
        raise MarginError(f"post-stratification variable(s) {missing} are not columns of the data")
    if isinstance(totals, pd.DataFrame):
        count_col = next((c for c in ("Freq", "count", "Count", "n") if c in totals.columns), None)
        if count_col is None or any(v not in totals.columns for v in names):
            raise MarginError(
                f"the post-stratum table needs columns {names} and a 'Freq' column of counts; "
                f"it has {list(totals.columns)}"
            )
        totals = {tuple(row[v] for v in names): row[count_col] for _, row in totals.iterrows()}
    cells = {}
    for cat, count in totals.items():
        parts = cat if isinstance(cat, tuple) else (cat,)
        cells[":".join(_level_key(c) for c in parts)] = float(count)
    if len(names) == 1:
        key, frame = names[0], data[[names[0]]]
    else:
        key = ":".join(names)
        cols = [
            data[v].astype(object).map(lambda x: None if pd.isna(x) else _level_key(x))
            for v in names
        ]
        joined = cols[0]
        for c in cols[1:]:
            joined = joined.str.cat(c, sep=":")
        frame = pd.DataFrame({key: joined})
    if partial:
        present = {_level_key(v) for v in frame[key].dropna().unique()}
        cells = {c: v for c, v in cells.items() if c in present}
    return frame, key, cells


def _factorize(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and the values they stand for; a categorical's own codes."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.cat.codes.to_numpy().astype(np.int64), np.asarray(col.cat.categories)
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    return codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object)


def check_margins(
    data: pd.DataFrame,
    margins: Mapping,
    *,
    rows: np.ndarray | None = None,
    check_totals: bool = True,
) -> list[CheckedMargin]:
    """Match population margins to the sample and list everything that does not fit.

    Parameters
    ----------
    data : DataFrame
        The survey data.
    margins : mapping
        ``{variable: {category: population count}}``.
    rows : ndarray of bool, optional
        Rows that take part (rows outside get code -1; they must have zero weight).
    check_totals : bool
        Require the totals of all margins to agree within 0.5%.

    Raises
    ------
    MarginError
        Naming every problem: unknown variables, missing values in a margin variable,
        sample categories absent from the margin, margin categories with no respondent,
        non-positive or missing counts, totals that disagree.

    Examples
    --------
    >>> df = pd.DataFrame({"sex": ["F", "M", "F"]})
    >>> [m.targets.tolist() for m in check_margins(df, {"sex": {"F": 60, "M": 40}})]
    [[60.0, 40.0]]
    """
    if not isinstance(margins, Mapping) or not margins:
        raise MarginError("margins must be a non-empty mapping {variable: {category: count}}")
    problems: list[str] = []
    checked: list[CheckedMargin] = []
    totals: dict[str, float] = {}
    for var, spec in margins.items():
        if var not in data.columns:
            problems.append(
                f"margin variable {var!r} is not a column of the survey data "
                f"(columns include {', '.join(map(repr, list(data.columns)[:12]))})"
            )
            continue
        if not isinstance(spec, Mapping) or not spec:
            problems.append(f"margin {var!r} must map each category to its population count")
            continue
        targets = {}
        for cat, count in spec.items():
            try:
                value = float(count)
            except (TypeError, ValueError):
                value = np.nan
            if not np.isfinite(value) or value <= 0:
                problems.append(
                    f"margin {var!r}, category {cat!r}: population count "
                    f"{count!r} is not a positive number"
                )
            targets[_level_key(cat)] = value
        col = data[var]
        row_codes, uniques = _factorize(col)
        na = row_codes < 0 if rows is None else (row_codes < 0) & rows
        if na.any():
            where = np.nonzero(na)[0]
            problems.append(
                f"margin variable {var!r} has {where.size} missing value(s) (rows "
                f"{', '.join(str(i) for i in where[:8])}{' ...' if where.size > 8 else ''}); "
                "impute them or add a category such as 'unknown' to the data and the margin"
            )
            continue
        unique_keys = [_level_key(u) for u in np.asarray(uniques, dtype=object)]
        taking_part = row_codes if rows is None else row_codes[rows]
        present = np.bincount(taking_part + 1, minlength=len(unique_keys) + 1)[1:] > 0
        sample_levels = sorted({k for k, p in zip(unique_keys, present, strict=False) if p})
        not_in_margin = [lv for lv in sample_levels if lv not in targets]
        if not_in_margin:
            problems.append(
                f"margin {var!r}: sample categor{'y' if len(not_in_margin) == 1 else 'ies'} "
                f"{', '.join(map(repr, not_in_margin))} "
                f"{'is' if len(not_in_margin) == 1 else 'are'} not in the margin (which has "
                f"{', '.join(map(repr, targets))}); add the population count or collapse the "
                "category into a neighbouring one in both the data and the margin"
            )
        no_sample = [lv for lv in targets if lv not in set(sample_levels)]
        if no_sample:
            problems.append(
                f"margin {var!r}: categor{'y' if len(no_sample) == 1 else 'ies'} "
                f"{', '.join(map(repr, no_sample))} "
                f"{'has' if len(no_sample) == 1 else 'have'} no respondent in the sample, so "
                "no weight can reach its population count; collapse it with a neighbouring "
                "category in both the data and the margin"
            )
        if not_in_margin or no_sample:
            continue
        levels = tuple(targets)
        index = {lv: i for i, lv in enumerate(levels)}
        to_level = np.array([index.get(k, -1) for k in unique_keys] + [-1], dtype=np.int64)
        codes = to_level[row_codes]  # row code -1 (missing) picks the trailing -1
        if rows is not None:
            codes[~rows] = -1
        target_arr = np.array([targets[lv] for lv in levels], dtype=float)
        totals[var] = float(target_arr.sum())
        checked.append(CheckedMargin(var, levels, codes, target_arr))
    if check_totals and len(totals) > 1 and not problems:
        values = np.array(list(totals.values()))
        ref = values.max()
        if (ref - values.min()) / ref > MARGIN_TOTAL_RTOL:
            listing = ", ".join(f"{v!r} {t:,.0f}" for v, t in totals.items())
            problems.append(
                f"the margins' totals disagree by more than {MARGIN_TOTAL_RTOL:.1%} "
                f"({listing}); they must describe the same population: check the sources "
                "and reference dates, or rescale the margins to one total"
            )
    if problems:
        raise MarginError("margins do not fit the sample:\n  - " + "\n  - ".join(problems))
    return checked


@dataclass(frozen=True)
class CellIndex:
    """Cells of the cross-classification of raking margins.

    ``cell`` holds the cell of every row (``n_cells`` for a row outside the margins);
    ``margin_codes[m]`` the category of margin ``m`` of every cell.
    """

    cell: np.ndarray
    n_cells: int
    margin_codes: tuple
    levels: tuple


def cell_index(margins: list[CheckedMargin]) -> CellIndex:
    """Index the rows by the cells of the cross-classification of the margins.

    A mixed-radix code over the margins' categories, compressed to the cells present with a
    presence table (no sort) when the product of the numbers of levels is small.
    """
    n = margins[0].codes.size
    cell = np.zeros(n, dtype=np.int64)
    inside = np.ones(n, dtype=bool)
    radix = [len(m.levels) for m in margins]
    for m, r in zip(margins, radix, strict=False):
        cell *= r
        cell += np.maximum(m.codes, 0)
        inside &= m.codes >= 0
    space = int(np.prod(radix, dtype=float))
    if space <= 4 * n + 1024:
        seen = np.bincount(cell[inside] if not inside.all() else cell, minlength=space) > 0
        uniq = np.flatnonzero(seen)
        lookup = np.full(space, -1, dtype=np.int64)
        lookup[uniq] = np.arange(uniq.size)
        idx = lookup[cell]
    else:
        uniq, idx = np.unique(cell, return_inverse=True)
    if not inside.all():
        idx = np.where(inside, idx, uniq.size)
    codes = []
    for j in range(len(margins)):
        below = int(np.prod(radix[j + 1 :], dtype=float))
        codes.append((uniq // below) % radix[j])
    return CellIndex(idx, int(uniq.size), tuple(codes), tuple(radix))


@dataclass(frozen=True)
class RakeResult:
    """Output of :func:`rake_table`."""

    cell_factors: np.ndarray  # (n_cells + 1, k): adjustment of each cell (last row: outside)
    iterations: int
    converged: bool
    max_change: float
    # per margin of the last sweep, the full-sample cell factor after that margin's step
    step_factors: tuple
    max_rel_deviation: float


def rake_table(
    table: np.ndarray,
    cells: CellIndex,
    margins: list[CheckedMargin],
    *,
    epsilon: float,
    max_iter: int,
    on_fail: str = "raise",
    all_columns: bool = True,
) -> RakeResult:
    """Rake the weighted cell totals ``table`` (n_cells × k) to the margins.

    Column 0 is the full sample, further columns replicates. The stopping rule is R
    ``survey::rake``'s: stop when no cell of the joint table changes by ``epsilon`` or more
    between sweeps (``epsilon`` below 1 is a fraction of the total). With
    ``all_columns=True`` every column must meet it; with ``False`` only the full sample
    does and the replicates get the same number of sweeps, as R's ``rake`` on a replicate
    design.
    """
    table = np.asarray(table, dtype=float)
    if table.ndim == 1:
        table = table[:, None]
    n_cells, k = table.shape
    factor = np.ones((n_cells, k))
    total = float(table[:, 0].sum())
    eps = epsilon * total if epsilon < 1 else epsilon
    watch = slice(None) if all_columns else slice(0, 1)
    old = table[:, watch].copy()
    converged = False
    iterations = 0
    step_factors: list[np.ndarray] = []
    delta = np.inf
    while iterations < max_iter:
        step_factors = []
        for m, cm, levels in zip(margins, cells.margin_codes, cells.levels, strict=False):
            sums = rowsum(table * factor, cm, levels)  # (L, k)
            with np.errstate(divide="ignore", invalid="ignore"):
                adj = m.targets[:, None] / sums
            adj[~np.isfinite(adj)] = 1.0
            factor *= adj[cm]
            step_factors.append(factor[:, 0].copy())
        new = table[:, watch] * factor[:, watch]
        delta = float(np.max(np.abs(new - old))) if n_cells else 0.0
        iterations += 1
        if delta < eps:
            converged = True
            break
        old = new
    final = table[:, 0] * factor[:, 0]
    devs = [
        np.max(np.abs(rowsum(final, cm, lv) - m.targets) / m.targets)
        for m, cm, lv in zip(margins, cells.margin_codes, cells.levels, strict=False)
    ]
    max_dev = float(max(devs)) if devs else 0.0
    if not converged:
        msg = (
            f"raking did not converge in {max_iter} sweeps: the joint table still "
            f"changed by {delta:.4g} (tolerance {eps:.4g}); the largest remaining "
            f"relative deviation from a margin is {max_dev:.3g}. Collapse sparse "
            "categories, check that the margins are consistent, or raise max_iter."
        )
        if on_fail == "raise":
            raise ConvergenceError(msg, max_deviation=max_dev, iterations=iterations)
        warnings.warn(msg, RuntimeWarning, stacklevel=3)
    padded = np.vstack([factor, np.ones((1, k))])
    steps = tuple(np.append(sf, 1.0) for sf in step_factors)
    return RakeResult(padded, iterations, converged, delta, steps, max_dev)


def poststratify_factors(weights: np.ndarray, margin: CheckedMargin) -> np.ndarray:
    """Factors (n, k) that make each post-stratum's weights sum to its population count."""
    w = np.asarray(weights, dtype=float)
    if w.ndim == 1:
        w = w[:, None]
    inside = margin.codes >= 0
    codes = np.where(inside, margin.codes, len(margin.levels))
    sums = rowsum(w, codes, len(margin.levels) + 1)[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        adj = margin.targets[:, None] / sums
    if not np.all(np.isfinite(adj[:, 0])):
        empty = [margin.levels[i] for i in np.nonzero(~np.isfinite(adj[:, 0]))[0]]
        raise MarginError(
            f"post-stratum {margin.variable!r} categories {empty} have zero "
            "total weight; collapse them with a neighbouring category"
        )
    adj[~np.isfinite(adj)] = 1.0
    out = np.ones_like(w)
    out[inside] = adj[margin.codes[inside]]
    return out


def trim_vector(
    w: np.ndarray, lower: float, upper: float, *, strict: bool = False, max_rounds: int = 100
) -> np.ndarray:
    """Trim weights to ``[lower, upper]`` and share the amount cut equally over the rest.

    As R's ``trimWeights``: the net amount trimmed is added in equal parts to the untrimmed
    weights, once (or, with ``strict=True``, repeatedly until no weight is outside). ``w``
    may be a matrix (n × m): every column is trimmed, in one vectorised pass per round.

    A weight of exactly zero (a PSU dropped from a jackknife or bootstrap replicate) is
    left at zero and takes no share: lifting it to ``lower`` would put the dropped units
    back into the replicate (R's ``trimWeights`` on replicate designs does lift them).

    >>> trim_vector(np.array([1.0, 2.0, 9.0]), 0.0, 5.0)
    array([3., 4., 5.])
    >>> trim_vector(np.array([0.0, 2.0, 9.0]), 1.0, 5.0)
    array([0., 6., 5.])
    """
    vector = np.ndim(w) == 1
    out = np.array(w, dtype=float, copy=True).reshape(len(w), -1)
    active = out != 0
    for _ in range(max_rounds):
        outside = active & ((out < lower) | (out > upper))
        if not outside.any():
            break
        keep = (active & ~outside).sum(axis=0)
        if np.any(keep[outside.any(axis=0)] == 0):
            raise CalibrationError(
                f"every weight lies outside [{lower}, {upper}]; the "
                "trimming bounds cannot hold the total weight"
            )
        new = np.where(active, np.clip(out, lower, upper), 0.0)
        cut = (out - new).sum(axis=0)
        new += np.where(active & ~outside, cut / np.maximum(keep, 1), 0.0)
        out = new
        if not strict:
            break
    return out[:, 0] if vector else out
