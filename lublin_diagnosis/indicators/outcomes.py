"""Survey outcome (``O``) indicators: the weighted estimate among migrants with its
confidence interval from the survey design (logit interval for shares, t interval for
means), scored on its goalposts -- the score interval is the image of the value interval
(normalisation is monotone, so it keeps its coverage) -- and the gap to the
Polish-population reference, with the reference treated as fixed. See
:mod:`~lublin_diagnosis.indicators.scoring` for the other kinds and the aggregation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DomainError, EstimationError
from lublin_diagnosis.framework.model import Framework, Indicator, normalise
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "ESTIMATE_COLUMNS",
    "group_column",
    "outcome_arrays",
    "outcome_column",
    "outcome_columns",
    "outcome_estimates",
]

#: Columns of an estimate in :func:`outcome_estimates` (after the indicator and group).
ESTIMATE_COLUMNS: list[str] = [
    "value",
    "se",
    "ci_low",
    "ci_high",
    "df",
    "n",
    "score",
    "score_ci_low",
    "score_ci_high",
    "reference",
    "reference_illustrative",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
]

_PREFIX = "__ld_"


def _with_columns(design, columns: Mapping[str, Any]):
    """A design identical to ``design`` with extra columns in its data.

    Uses ``SurveyDesign.with_columns``: the clone shares the weights, calibration and
    replicates (the rows are unchanged, so every variance computation stays valid).
    """
    clash = [c for c in columns if c in design.data.columns]
    if clash:
        raise EstimationError(f"internal column names {clash} clash with survey variables")
    return design.with_columns(**columns)


def outcome_arrays(
    frame: pd.DataFrame, indicators: Sequence[Indicator]
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome values and estimation domains of outcome indicators, as matrices.

    Returns ``(y, d)``, both (n × k): ``y`` the 1/0 outcome (share) or value (mean) with
    0 outside the domain, ``d`` 1.0 for respondents in the indicator's universe who
    answered, else 0.0. A replicate estimate is then ``(W.T @ y) / (W.T @ d)``.

    Examples
    --------
    >>> import pandas as pd
    >>> ind = resolve_framework().indicator("culture_o_polish_friends")
    >>> y, d = outcome_arrays(pd.DataFrame({"polish_friends": ["1", "0", None]}), [ind])
    >>> y[:, 0].tolist(), d[:, 0].tolist()
    ([1.0, 0.0, 0.0], [1.0, 1.0, 0.0])
    """
    n, k = len(frame), len(indicators)
    y = np.zeros((n, k))
    d = np.zeros((n, k))
    for j, ind in enumerate(indicators):
        values = _outcome(frame, ind)
        ok = values.notna().to_numpy()
        d[:, j] = ok
        y[:, j] = np.where(ok, values.fillna(0.0).to_numpy(dtype=float), 0.0)
    return y, d


def _present(column: pd.Series) -> pd.Series:
    """A grouping column restricted to a domain: unused categories dropped (so group
    order stays the codebook's and no empty group is created)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.remove_unused_categories()
    return column


def _outcome(frame: pd.DataFrame, ind: Indicator) -> pd.Series:
    """The outcome within the universe (NaN outside it or unanswered)."""
    needed = [ind.variable] + [c.variable for c in ind.universe]
    missing = [v for v in needed if v not in frame.columns]
    if missing:
        raise EstimationError(
            f"outcome indicator {ind.id!r} ({ind.area}): survey "
            f"variable(s) {missing} are not in the survey data"
        )
    values = ind.outcome(frame).astype(float)
    return values.where(ind.universe_mask(frame))


def outcome_estimates(
    design,
    framework: Framework | str = "lublin-14",
    *,
    by: str | Sequence[str] | None = None,
    method: str = "logit",
    level: float = 0.95,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Weighted estimates of the outcome (``O``) indicators, with intervals and scores.

    Each indicator is estimated in its domain -- the respondents in its universe who
    answered -- on the whole design (out-of-domain rows contribute zero, the correct
    domain variance): a share with ``design.proportion`` (``method``, default the logit
    interval, t quantile on the domain's degrees of freedom), a mean with
    ``design.mean`` (t interval).

    Parameters
    ----------
    design : SurveyDesign
        The (raked) survey design; a replicate design gives replicate standard errors.
    framework : Framework or str
    by : str or sequence of str, optional
        Survey variables: one estimate per group (e.g. :data:`DISPARITY_VARIABLES`);
        groups without a respondent in the domain are left out.
    method : str
        Interval of a share (see ``design.proportion``).
    level : float
        Confidence level.
    indicators : iterable of str, optional
        Restrict to these outcome indicators (default all, in framework order).

    Returns
    -------
    DataFrame
        ``area, indicator, kind, statistic, [by, group,] value, se, ci_low, ci_high, df,
        n, score, score_ci_low, score_ci_high, reference, reference_illustrative, gap,
        gap_ci_low, gap_ci_high``. ``value`` is a proportion in [0, 1] (or a mean on the
        variable's scale), ``n`` the unweighted base, the score interval the
        normalised value interval, the gap ``value - reference`` with the interval
        shifted by the (fixed) reference. An indicator whose domain is empty has
        ``n = 0`` and missing values.

    Raises
    ------
    EstimationError
        A survey or universe variable of an indicator is not in the data (names the
        indicator).

    Examples
    --------
    >>> import lublin_diagnosis as ld
    >>> design = ld.SurveyDesign.from_dataset(ld.load_dataset("data/demo"))  # doctest: +SKIP
    >>> outcome_estimates(design, indicators=["labour_o_employed"])          # doctest: +SKIP
    """
    fw = resolve_framework(framework)
    base = fw.base
    wanted = None if indicators is None else list(indicators)
    inds = [i for i in base.indicators if i.kind == "O"]
    if wanted is not None:
        known = {i.id for i in inds}
        bad = [w for w in wanted if w not in known]
        if bad:
            raise EstimationError(f"{bad} are not outcome (O) indicators of framework {base.id!r}")
        inds = [i for i in inds if i.id in set(wanted)]
    by_vars = [] if by is None else ([by] if isinstance(by, str) else list(by))
    work = outcome_columns(design, inds, by_vars)
    rows = []
    for k, ind in enumerate(inds):
        col = outcome_column(k)
        if not by_vars:
            rows.extend(_estimate_rows(work, ind, col, None, None, method, level))
        for b, v in enumerate(by_vars):
            rows.extend(_estimate_rows(work, ind, col, group_column(k, b), v, method, level))
    cols = (
        ["area", "indicator", "kind", "statistic"]
        + (["by", "group"] if by_vars else [])
        + ESTIMATE_COLUMNS
    )
    out = pd.DataFrame(rows, columns=cols)
    out["n"] = out["n"].astype("int64")
    return out


def outcome_column(k: int) -> str:
    """Name of the k-th outcome column added by :func:`outcome_columns`."""
    return f"{_PREFIX}y{k}"


def group_column(k: int, b: int) -> str:
    """Name of the b-th grouping column of the k-th outcome (see :func:`outcome_columns`)."""
    return f"{_PREFIX}b{k}_{b}"


def outcome_columns(design, inds: Sequence[Indicator], by_vars: Sequence[str]):
    """The design with, for every outcome indicator, its 1/0 (or numeric) outcome column
    and, per grouping variable, the group of the rows that have an outcome.

    Column names come from :func:`outcome_column` and :func:`group_column`.
    """
    frame = design.data
    for v in by_vars:
        if v not in frame.columns:
            raise DomainError(f"disparity variable {v!r} is not in the survey data")
    columns: dict[str, pd.Series] = {}
    for k, ind in enumerate(inds):
        y = _outcome(frame, ind)
        columns[outcome_column(k)] = y
        for b, v in enumerate(by_vars):
            columns[group_column(k, b)] = _present(frame[v].where(y.notna()))
    return _with_columns(design, columns)


def _estimate_rows(
    work,
    ind: Indicator,
    col: str,
    by_col: str | None,
    by_name: str | None,
    method: str,
    level: float,
) -> list[dict]:
    share = ind.success is not None
    try:
        if share:
            res = work.proportion(col, None, method=method, by=by_col, na_rm=True, conf_level=level)
        else:
            res = work.mean(col, by=by_col, na_rm=True, level=level)
    except DomainError:
        if by_col is not None:
            return []
        res = pd.DataFrame(
            [
                {
                    "estimate": np.nan,
                    "se": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "df": np.nan,
                    "n": 0,
                }
            ]
        )
    rows = []
    for rec in res.to_dict("records"):
        row = _scored(
            ind, rec["estimate"], rec["se"], rec["ci_low"], rec["ci_high"], rec["df"], int(rec["n"])
        )
        if by_col is not None:
            row["by"] = by_name
            row["group"] = str(rec[by_col])
        rows.append(row)
    return rows


def _scored(
    ind: Indicator, value: float, se: float, lo: float, hi: float, df: float, n: int
) -> dict:
    gp = ind.goalposts
    assert gp is not None
    ends = sorted([normalise(lo, gp), normalise(hi, gp)]) if np.isfinite(lo) else [np.nan] * 2
    ref = ind.reference.value if ind.reference is not None else np.nan
    return {
        "area": ind.area,
        "indicator": ind.id,
        "kind": "O",
        "statistic": ind.statistic,
        "value": float(value),
        "se": float(se),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "df": float(df),
        "n": n,
        "score": float(normalise(value, gp)) if np.isfinite(value) else np.nan,
        "score_ci_low": ends[0],
        "score_ci_high": ends[1],
        "reference": ref,
        "reference_illustrative": (
            ind.reference.illustrative if ind.reference is not None else None
        ),
        "gap": value - ref,
        "gap_ci_low": lo - ref,
        "gap_ci_high": hi - ref,
    }
