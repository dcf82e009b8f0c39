"""Design-based estimators: means, totals, ratios, quantiles, tests (proportions: ``_proportion``).

Every estimator works on Taylor and on replicate designs and returns a tidy DataFrame,
one row per estimate, with the columns

``variable, by, level, estimate, se, ci_low, ci_high, df, n`` (+ ``deff`` when asked)

plus one column per ``by=`` variable. ``by`` is the domain label (levels joined with
``:``), ``level`` the category of a categorical variable, ``n`` the unweighted number of
respondents behind the estimate, ``df`` the degrees of freedom of the interval.

Domains are estimated on the whole design with the out-of-domain rows contributing zero
(never by subsetting the data), which gives the correct domain variance.

>>> import pandas as pd, lublin_diagnosis as ld
>>> df = pd.DataFrame({"st": list("aabb"), "y": [1.0, 3.0, 2.0, 6.0], "g": list("xyxy")})
>>> d = ld.SurveyDesign(df, strata="st", weights=[1.0, 1.0, 2.0, 2.0])
>>> d.mean("y", by="g")[["by", "estimate"]].to_dict("records")
[{'by': 'x', 'estimate': 1.6666666666666667}, {'by': 'y', 'estimate': 5.0}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from lublin_diagnosis.survey._errors import DomainError, EstimationError
from lublin_diagnosis.survey._results import Estimates
from lublin_diagnosis.survey._setup import codes_of

__all__ = ["chisq", "compare_means", "mean", "quantile", "ratio", "total"]

RESULT_COLUMNS = ["variable", "by", "level", "estimate", "se", "ci_low", "ci_high", "df", "n"]


# -- reading variables ------------------------------------------------------------------


def _levels_of(col: pd.Series) -> list:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return list(col.cat.categories)
    values = col.dropna().unique()
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _is_categorical(col: pd.Series, categorical: bool | None) -> bool:
    if categorical is not None:
        return bool(categorical)
    if isinstance(col.dtype, pd.CategoricalDtype):
        return True
    return not (pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))


def _column(design, variable: str) -> pd.Series:
    if not isinstance(variable, str):
        raise EstimationError(f"variable must be a column name, not {variable!r}")
    if variable not in design.data.columns:
        raise EstimationError(f"variable {variable!r} is not a column of the survey data")
    return design.data[variable]


def _values(design, variable: str, categorical: bool | None):
    """(matrix n × p of values with NaN for missing, level labels or [None])."""
    col = _column(design, variable)
    if _is_categorical(col, categorical):
        levels = _levels_of(col)
        codes = pd.Categorical(col, categories=levels).codes
        mat = (codes[:, None] == np.arange(len(levels))[None, :]).astype(float)
        mat[codes < 0] = np.nan
        return mat, levels
    if pd.api.types.is_float_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype):
        return col.to_numpy(dtype=float, na_value=np.nan)[:, None], [None]
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
    bad = np.isnan(values) & col.notna().to_numpy()
    if bad.any():
        raise EstimationError(
            f"variable {variable!r} has non-numeric values (rows "
            f"{list(design.data.index[bad][:8])}); pass categorical=True to "
            "estimate category proportions"
        )
    return values[:, None], [None]


def _values_many(design, variables, categorical: bool | None):
    """Values of one variable or of several stacked (their joint covariance is kept):
    (matrix n × p, level of every column, variable of every column)."""
    many = [variables] if isinstance(variables, str) else list(variables)
    if not many:
        raise EstimationError("give at least one variable to estimate")
    mats, levels, names = [], [], []
    for v in many:
        mat, lv = _values(design, v, categorical)
        mats.append(mat)
        levels += lv
        names += [v] * len(lv)
    return (mats[0] if len(mats) == 1 else np.hstack(mats)), levels, names


def _by_codes(col: pd.Series) -> tuple[np.ndarray, list]:
    """Codes of one by-variable over the levels present (in level order), -1 when missing.

    Categorical and integer columns are coded through a presence table of their codes
    (one ``bincount``, no per-level comparison); other columns through pandas.
    """
    if isinstance(col.dtype, pd.CategoricalDtype):
        raw = np.asarray(col.cat.codes.to_numpy(), dtype=np.int64)
        levels = list(col.cat.categories)
    elif col.dtype.kind in "iub":
        codes, labels = codes_of(col)
        return codes, [x.item() if hasattr(x, "item") else x for x in labels]
    else:
        levels = _levels_of(col)
        raw = np.asarray(pd.Categorical(col.astype(object), categories=levels).codes, np.int64)
    seen = np.bincount(raw + 1, minlength=len(levels) + 1)[1:] > 0
    if seen.all():
        return raw, levels
    lookup = np.full(len(levels) + 1, -1, dtype=np.int64)  # the last entry takes code -1
    lookup[np.flatnonzero(seen)] = np.arange(int(seen.sum()))
    return lookup[raw], [lv for lv, s in zip(levels, seen, strict=True) if s]


def _domains(design, by) -> tuple[list[str], list[tuple], np.ndarray, np.ndarray]:
    """By-variables, the domain label tuples, the domain code of every row (-1: none) and
    the number of rows of every domain.

    Each by-variable is factorised once (categorical codes, no per-level pass) and the
    combinations present are found with one ``bincount`` of the mixed-radix code.
    """
    by_vars = [] if by is None else ([by] if isinstance(by, str) else list(by))
    n = design.n
    if not by_vars:  # one domain: a constant code, no n-row array
        return [], [()], np.broadcast_to(np.int64(0), (n,)), np.array([n])
    for v in by_vars:
        if v not in design.data.columns:
            raise DomainError(f"by variable {v!r} is not a column of the survey data")
    code_list, level_lists = [], []
    for v in by_vars:
        c, lv = _by_codes(design.data[v])
        code_list.append(c)
        level_lists.append(lv)
    if len(by_vars) == 1:
        codes, space = code_list[0], max(len(level_lists[0]), 1)
    else:
        codes = np.zeros(n, dtype=np.int64)
        invalid = np.zeros(n, dtype=bool)
        space = 1
        for c, lv in zip(code_list, level_lists, strict=True):
            invalid |= c < 0
            codes = codes * max(len(lv), 1) + np.maximum(c, 0)
            space *= max(len(lv), 1)
        codes[invalid] = -1
    if space > 4 * n + 1024:  # too many combinations for a presence table
        uniq, inv = np.unique(codes, return_inverse=True)
        present = uniq[uniq >= 0]
        codes = inv.reshape(-1) - int((uniq < 0).sum())
        counts = np.bincount(codes[codes >= 0], minlength=present.size)
    else:
        counts_all = np.bincount(codes + 1, minlength=space + 1)
        present = np.flatnonzero(counts_all[1:])
        counts = counts_all[1:][present]
        if present.size < space:
            lookup = np.full(space + 1, -1, dtype=np.int64)  # the last entry takes code -1
            lookup[present] = np.arange(present.size)
            codes = lookup[codes]
    labels = []
    for c in present.tolist():
        parts = []
        for lv in reversed(level_lists):
            parts.append(lv[c % len(lv)])
            c //= len(lv)
        labels.append(tuple(reversed(parts)))
    return by_vars, labels, codes, counts


def _crit(level: float, df: float) -> float:
    alpha = 1 - level
    if df is None or not np.isfinite(df):
        return float(stats.norm.ppf(1 - alpha / 2))
    if df <= 0:
        return float("nan")
    return float(stats.t.ppf(1 - alpha / 2, df))


# -- the linearisation core: ratios of weighted totals ------------------------------------


#: denominator of a mean: one for every counted row (``_domain_core(b=COUNT)``)
COUNT = "count"


def _domain_core(
    design, a: np.ndarray, b: np.ndarray | str | None, group: np.ndarray, n_domains: int
):
    """Domain ratios ``sum_d(w a_j) / sum_d(w b)`` (or domain totals when ``b`` is None).

    Parameters
    ----------
    a : (n, q) values (zero where not counted), b : (n,) denominators, None, or
    :data:`COUNT` (a denominator of one for every row of a domain: a mean),
    group : (n,) domain of every row, -1 for rows in no domain.

    Returns the estimates and covariance over the ``n_domains * q`` estimands, ordered
    domain by domain (index ``d * q + j``). The influence values stay in partition form.
    """
    from lublin_diagnosis.survey._influence import PartitionInfluence, all_in_domains

    w = design._w
    q = a.shape[1]
    count = isinstance(b, str)
    b_arr: np.ndarray | None = None if isinstance(b, str) else b
    all_inside = all_in_domains(group)
    g = group if all_inside else np.where(group >= 0, group, 0)
    wi = w if all_inside else np.where(group >= 0, w, 0.0)
    if n_domains == 1:
        num = (wi @ a)[None, :]
    else:
        num = np.column_stack(
            [np.bincount(g, weights=wi * a[:, j], minlength=n_domains) for j in range(q)]
        )  # (D, q)
    col_scale = None
    if b is None:
        est = num
        values = a * wi[:, None]
    else:
        if count:
            den = np.array([wi.sum()]) if n_domains == 1 else np.bincount(g, wi, n_domains)
        elif n_domains == 1:
            den = np.array([wi @ b_arr])
        else:
            den = np.bincount(g, weights=wi * b_arr, minlength=n_domains)
        if np.any(den == 0):
            raise DomainError("a domain has zero total weight in the denominator: it is empty")
        est = num / den[:, None]
        # influence (a - b est) w / den: the 1 / den of each domain scales its totals
        if count:  # b = 1: no column of ones
            values = a - (est[0] if n_domains == 1 else est[g])
        elif n_domains == 1:
            assert b_arr is not None
            values = a - b_arr[:, None] * est[0]
        else:
            assert b_arr is not None
            values = a - b_arr[:, None] * est[g]
        values *= wi[:, None]
        col_scale = np.repeat(1.0 / den, q)
    est_flat = est.reshape(-1)
    if design._rep is not None:
        rep = design._rep
        t_num = rep.tdot_partition(a, group, n_domains)  # (R, D*q)
        if b is None:
            thetas = t_num
        else:
            if count:
                t_den = rep.count_totals(group, n_domains)  # (R, D)
            else:
                assert b_arr is not None
                t_den = rep.tdot_partition(b_arr[:, None], group, n_domains)
            with np.errstate(divide="ignore", invalid="ignore"):
                thetas = t_num / np.repeat(t_den, q, axis=1)
        cov = rep.variance(thetas, est_flat)
    else:
        cov = design._taylor_cov(PartitionInfluence(values, group, n_domains, col_scale))
    return est_flat, cov


def _domain_svyvar(a: np.ndarray, w: np.ndarray, group: np.ndarray, n_domains: int) -> np.ndarray:
    """Weighted variance with n/(n-1) of each column of ``a`` in each domain (R's svyvar)."""
    inside = group >= 0
    g = group[inside]
    wi = w[inside]
    ai = a[inside]
    tot = np.bincount(g, weights=wi, minlength=n_domains)
    cnt = np.bincount(g, minlength=n_domains).astype(float)
    out = np.empty((n_domains, a.shape[1]))
    for j in range(a.shape[1]):
        mu = np.bincount(g, weights=wi * ai[:, j], minlength=n_domains) / tot
        dev2 = np.bincount(g, weights=wi * (ai[:, j] - mu[g]) ** 2, minlength=n_domains)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, j] = dev2 / tot * cnt / (cnt - 1)
    return out


def _estimate(
    design,
    variable: str | Sequence[str],
    kind: str,
    *,
    by,
    na_rm: bool,
    categorical,
    deff: bool,
    level: float,
    df,
    denominator: str | None = None,
) -> pd.DataFrame:
    vals, levels, names = _values_many(design, variable, categorical if kind != "ratio" else False)
    if kind == "ratio":
        assert denominator is not None, "a ratio needs its denominator"
        den_vals, _ = _values(design, denominator, False)
    by_vars, labels, dom, dom_counts = _domains(design, by)
    missing = np.isnan(vals[:, 0]) if vals.shape[1] == 1 else np.isnan(vals).any(axis=1)
    if kind == "ratio":
        missing |= np.isnan(den_vals[:, 0])
    if missing.any() and not na_rm:
        name = "+".join(dict.fromkeys(names)) if kind != "ratio" else f"{variable}/{denominator}"
        raise EstimationError(
            f"{name!r} has {int(missing.sum())} missing value(s) (rows "
            f"{list(design.data.index[missing][:8])}); pass na_rm=True to estimate among "
            "those who answered, or impute"
        )
    ok = ~missing
    any_missing = bool(missing.any())
    group = np.where(ok, dom, -1) if any_missing else dom
    n_dom = len(labels)
    if any_missing:
        counts = np.bincount(group[group >= 0], minlength=n_dom)
    else:
        counts = dom_counts
    if np.any(counts == 0):
        d = int(np.flatnonzero(counts == 0)[0])
        raise DomainError(
            f"domain {':'.join(map(str, labels[d]))!r} of {by_vars} has no "
            f"respondent with a value of {variable!r}"
        )
    a = np.where(ok[:, None], vals, 0.0) if any_missing else vals
    b: np.ndarray | str | None
    if kind == "mean":
        b = COUNT  # the rows without a value are in no domain
    elif kind == "ratio":
        b = np.where(ok, den_vals[:, 0], 0.0)
    else:
        b = None
    est, cov = _domain_core(design, a, b, group, n_dom)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    dfv = design.degf if df is None else df
    crit = _crit(level, dfv)
    p = a.shape[1]
    if deff and kind in ("mean", "total"):
        w = design._w
        var_y = _domain_svyvar(a, w, group, n_dom)
        psum = np.bincount(
            np.where(group >= 0, group, 0), weights=np.where(group >= 0, w, 0.0), minlength=n_dom
        )
    rows = []
    for d in range(n_dom):
        for j in range(p):
            k = d * p + j
            row = {
                "variable": names[j] if kind != "ratio" else f"{variable}/{denominator}",
                "by": ":".join(map(str, labels[d])) if by_vars else None,
                "level": None if levels[j] is None else str(levels[j]),
                "estimate": float(est[k]),
                "se": float(se[k]),
                "ci_low": float(est[k] - crit * se[k]),
                "ci_high": float(est[k] + crit * se[k]),
                "df": float(dfv),
                "n": int(counts[d]),
            }
            for v, lab in zip(by_vars, labels[d], strict=False):
                row[v] = lab
            if deff and kind in ("mean", "total"):
                nobs = counts[d]
                vsrs = var_y[d, j] * (psum[d] - nobs) / (psum[d] * nobs)
                if kind == "total":
                    vsrs *= psum[d] ** 2
                row["deff"] = float(cov[k, k] / vsrs) if vsrs > 0 else float("nan")
            rows.append(row)
    cols = RESULT_COLUMNS[:2] + by_vars + RESULT_COLUMNS[2:] + (["deff"] if deff else [])
    return Estimates.build(pd.DataFrame(rows, columns=cols), cov)


def mean(
    design,
    variable: str | Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    na_rm: bool = False,
    categorical: bool | None = None,
    deff: bool = False,
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Design-based mean of a numeric variable, or the proportion of each category.

    Parameters
    ----------
    design : SurveyDesign
    variable : str or list of str
        Numeric variable, or categorical (one row per level); several variables are
        estimated together and keep their joint covariance (rows with a missing value of
        any of them are dropped with ``na_rm``, as R's ``svymean(~a + b)``).
    by : str or list of str, optional
        Domain variables: one estimate per observed combination (as R's ``svyby``).
    na_rm : bool
        Estimate among respondents with a value; without it, a missing value is an error.
    categorical : bool, optional
        Force (or forbid) treating the variable as categorical.
    deff : bool
        Add R's design effect (variance over that of a simple random sample without
        replacement of the same size).
    level : float
        Confidence level of the interval.
    df : float, optional
        Degrees of freedom of the t interval; default the design's (PSUs minus strata);
        ``numpy.inf`` gives a normal interval (R's ``confint`` default).

    Returns
    -------
    Estimates
        The tidy table, one row per domain × level, with the covariance of the
        estimates (``.vcov``, ``.contrast``, ``.difference``, ``.wald_test``).

    Examples
    --------
    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]}))
    >>> d.mean("y")[["estimate", "se"]].round(4).to_dict("records")
    [{'estimate': 2.5, 'se': 0.6455}]
    """
    return _estimate(
        design,
        variable,
        "mean",
        by=by,
        na_rm=na_rm,
        categorical=categorical,
        deff=deff,
        level=level,
        df=df,
    )


def total(
    design,
    variable: str | Sequence[str],
    *,
    by: str | Sequence[str] | None = None,
    na_rm: bool = False,
    categorical: bool | None = None,
    deff: bool = False,
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Design-based population total (of a numeric variable, or of each category).

    Same arguments as :func:`mean`.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0]}), weights=[10.0, 10.0])
    >>> float(d.total("y")["estimate"].iloc[0])
    30.0
    """
    return _estimate(
        design,
        variable,
        "total",
        by=by,
        na_rm=na_rm,
        categorical=categorical,
        deff=deff,
        level=level,
        df=df,
    )


def ratio(
    design,
    numerator: str,
    denominator: str,
    *,
    by: str | Sequence[str] | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Ratio of two population totals, ``sum(w y) / sum(w x)``, with its linearised SE.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 3.0], "x": [2.0, 2.0]}))
    >>> float(d.ratio("y", "x")["estimate"].iloc[0])
    1.0
    """
    return _estimate(
        design,
        numerator,
        "ratio",
        by=by,
        na_rm=na_rm,
        categorical=False,
        deff=False,
        level=level,
        df=df,
        denominator=denominator,
    )


# -- quantiles ---------------------------------------------------------------------------


def _cumsum_as_r(w: np.ndarray) -> np.ndarray:
    """Cumulative weights rounded as R's: R holds weights as ``1 / prob`` and sums in
    extended precision, so that whether the distribution function reaches a probability
    exactly (a tie, where ``qrule="math"`` takes the lower value) comes out as in R."""
    w_r = 1.0 / (1.0 / w)
    return np.cumsum(w_r.astype(np.longdouble)).astype(float)


def _qrule_math(x_sorted: np.ndarray, cumw: np.ndarray, p: float) -> float:
    """Smallest value whose weighted CDF reaches ``p`` (R's ``qrule_math``, sorted input)."""
    total = cumw[-1]
    pos = np.searchsorted(cumw, p * total, side="right") - 1  # last index with cumw <= p W
    if pos < 0:
        return float(x_sorted[0])
    if p - cumw[pos] / total == 0:
        return float(x_sorted[pos])
    return float(x_sorted[min(pos + 1, x_sorted.size - 1)])


def quantile(
    design,
    variable: str,
    q: float | Sequence[float],
    *,
    by: str | Sequence[str] | None = None,
    na_rm: bool = False,
    level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """Quantiles with Woodruff confidence intervals (R ``survey`` 4.1 defaults).

    The quantile is the smallest value whose weighted distribution function reaches ``q``
    (``qrule="math"``); the interval maps the interval of the proportion below the
    estimate back through the distribution function, with a t quantile on the design
    degrees of freedom of the domain; ``se`` is the interval width over twice that quantile.

    Returns a DataFrame with a ``q`` column.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [float(i) for i in range(1, 21)]}))
    >>> float(d.quantile("y", 0.5)["estimate"].iloc[0])
    10.0
    """
    qs = [float(v) for v in np.atleast_1d(np.asarray(q, dtype=float))]
    for v in qs:
        if not 0 < v < 1:
            raise EstimationError(f"quantile probabilities must be in (0, 1), got {v}")
    vals, levels = _values(design, variable, False)
    x = vals[:, 0]
    by_vars, labels, dom, _ = _domains(design, by)
    missing = np.isnan(x)
    if missing.any() and not na_rm:
        raise EstimationError(
            f"{variable!r} has {int(missing.sum())} missing value(s); pass "
            "na_rm=True to estimate among those who answered"
        )
    w = design._w
    rows = []
    for d, lab in enumerate(labels):
        mask = (dom == d) & ~missing
        if not mask.any():
            raise DomainError(f"domain {':'.join(map(str, lab))!r} has no value of {variable!r}")
        xs = x[mask]
        order = np.argsort(xs, kind="stable")
        xs_sorted = xs[order]
        cumw = _cumsum_as_r(w[mask][order])
        dfd = design.domain_degf(mask) if df is None else df
        crit = _crit(level, dfd)
        for p in qs:
            qhat = _qrule_math(xs_sorted, cumw, p)
            indicator = np.where(mask, (np.nan_to_num(x) <= qhat).astype(float), 0.0)
            est, cov = _domain_core(design, indicator[:, None], COUNT, np.where(mask, 0, -1), 1)
            se_p = float(np.sqrt(max(cov[0, 0], 0.0)))
            lo_p, hi_p = est[0] - crit * se_p, est[0] + crit * se_p
            lo = _qrule_math(xs_sorted, cumw, lo_p) if 0 <= lo_p <= 1 else float("nan")
            hi = _qrule_math(xs_sorted, cumw, hi_p) if 0 <= hi_p <= 1 else float("nan")
            row = {
                "variable": variable,
                "by": ":".join(map(str, lab)) if by_vars else None,
                "level": None,
                "q": p,
                "estimate": qhat,
                "se": (hi - lo) / (2 * crit),
                "ci_low": lo,
                "ci_high": hi,
                "df": float(dfd),
                "n": int(mask.sum()),
            }
            for var, lb in zip(by_vars, lab, strict=False):
                row[var] = lb
            rows.append(row)
    cols = RESULT_COLUMNS[:2] + by_vars + ["level", "q"] + RESULT_COLUMNS[3:]
    frame = pd.DataFrame(rows, columns=cols)
    # quantiles of different domains are estimated apart: their covariance is not kept
    return Estimates.build(frame, np.diag(frame["se"].to_numpy(dtype=float) ** 2))


# -- Rao-Scott test of independence ------------------------------------------------------


def chisq(design, row: str, col: str, *, na_rm: bool = True) -> pd.DataFrame:
    """Rao-Scott second-order corrected test of independence of two categorical variables.

    The Pearson statistic of the weighted table (scaled to the sample size) is divided by
    the mean generalised design effect and referred to an F distribution with ``d0`` and
    ``d0 * df`` degrees of freedom, ``d0`` the Satterthwaite correction (R's
    ``svychisq(statistic="F")``).

    Returns
    -------
    DataFrame
        One row: ``row, col, F, ndf, ddf, p, chisq, n``.
    """
    for v in (row, col):
        _column(design, v)
    r = design.data[row]
    c = design.data[col]
    ok = (r.notna() & c.notna()).to_numpy()
    if not na_rm and not ok.all():
        raise EstimationError(f"{row!r} or {col!r} has missing values; pass na_rm=True")
    r_levels = _levels_of(r[ok])
    c_levels = _levels_of(c[ok])
    r_levels = [lv for lv in r_levels if (r[ok] == lv).any()]
    c_levels = [lv for lv in c_levels if (c[ok] == lv).any()]
    nr, nc = len(r_levels), len(c_levels)
    if nr < 2 or nc < 2:
        raise EstimationError(
            f"a test of independence needs at least two observed categories "
            f"in each of {row!r} ({nr}) and {col!r} ({nc})"
        )
    rc = pd.Categorical(r, categories=r_levels).codes
    cc = pd.Categorical(c, categories=c_levels).codes
    cell = np.where(ok, rc + nr * cc, -1)  # rows vary fastest, as R's interaction()
    n_cells = nr * nc
    mm = (cell[:, None] == np.arange(n_cells)[None, :]).astype(float)
    mean2, v = _domain_core(design, mm, COUNT, np.where(ok, 0, -1), 1)
    big_n = design.n
    nu = design.degf
    w = design._w
    table = np.bincount(cell[ok], weights=w[ok], minlength=n_cells)
    table = table / table.sum() * big_n
    tab = table.reshape(nc, nr).T  # (nr × nc)
    expected = np.outer(tab.sum(axis=1), tab.sum(axis=0)) / tab.sum()
    pearson = float(np.sum((tab - expected) ** 2 / expected))
    # contrasts of interaction orthogonal to the main effects
    grid_r = np.tile(np.arange(nr), nc)
    grid_c = np.repeat(np.arange(nc), nr)
    x1 = np.column_stack(
        [np.ones(n_cells)]
        + [(grid_r == i).astype(float) for i in range(1, nr)]
        + [(grid_c == j).astype(float) for j in range(1, nc)]
    )
    inter = np.column_stack(
        [((grid_r == i) & (grid_c == j)).astype(float) for j in range(1, nc) for i in range(1, nr)]
    )
    qx, _ = np.linalg.qr(x1)
    cmat = inter - qx @ (qx.T @ inter)
    with np.errstate(divide="ignore"):
        inv_d = np.diag(np.where(mean2 == 0, 0.0, 1 / mean2))
    denom = cmat.T @ (inv_d / big_n) @ cmat
    numr = cmat.T @ inv_d @ v @ inv_d @ cmat
    delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(delta))
    d0 = tr**2 / float(np.trace(delta @ delta))
    f_stat = pearson / tr
    p_value = float(stats.f.sf(f_stat, d0, d0 * nu))
    return pd.DataFrame(
        [
            {
                "row": row,
                "col": col,
                "F": f_stat,
                "ndf": d0,
                "ddf": d0 * nu,
                "p": p_value,
                "chisq": pearson,
                "n": int(ok.sum()),
            }
        ]
    )


# -- comparing domains --------------------------------------------------------------------


def compare_means(design, variable: str, by: str, *, na_rm: bool = False) -> pd.DataFrame:
    """Design-based Wald F test that a numeric variable has the same mean in every domain.

    The statistic is ``(C m)' (C V C')^-1 (C m) / (D - 1)`` for the ``D`` domain means ``m``
    with design covariance ``V`` and ``C`` the contrasts with the first domain, referred to
    an F distribution on ``D - 1`` and ``degf - D + 1`` degrees of freedom (R's
    ``regTermTest(svyglm(y ~ by), ~by)``, whose denominator df is the glm's residual df).
    For a categorical variable use :func:`chisq`.

    Returns
    -------
    DataFrame
        One row: ``variable, by, F, ndf, ddf, p, n``.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> df = pd.DataFrame({"y": [1.0, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15],
    ...                    "g": list("aaaaaabbbbbb")})
    >>> float(ld.SurveyDesign(df).compare_means("y", "g")["p"].iloc[0]) < 0.001
    True
    """
    vals, levels = _values(design, variable, False)
    by_vars, labels, dom, _ = _domains(design, by)
    missing = np.isnan(vals[:, 0])
    if missing.any() and not na_rm:
        raise EstimationError(
            f"{variable!r} has {int(missing.sum())} missing value(s); pass "
            "na_rm=True to compare among those who answered"
        )
    ok = ~missing
    n_dom = len(labels)
    if n_dom < 2:
        raise DomainError(f"{by!r} has fewer than two observed groups: nothing to compare")
    counts = np.bincount(dom[ok & (dom >= 0)], minlength=n_dom)
    if np.any(counts == 0):
        empty = [":".join(map(str, labels[d])) for d in np.flatnonzero(counts == 0)]
        raise DomainError(f"groups {empty} of {by!r} have no value of {variable!r}")
    y = np.where(ok, vals[:, 0], 0.0)
    est, cov = _domain_core(design, y[:, None], COUNT, np.where(ok, dom, -1), n_dom)
    contrast = np.hstack([-np.ones((n_dom - 1, 1)), np.eye(n_dom - 1)])
    diff = contrast @ est
    wald = float(diff @ np.linalg.pinv(contrast @ cov @ contrast.T) @ diff)
    ndf = n_dom - 1
    ddf = float(design.degf - n_dom + 1)  # the residual df of the glm on the domains, as R
    f_stat = wald / ndf
    p = float(stats.f.sf(f_stat, ndf, ddf)) if ddf > 0 else float("nan")
    return pd.DataFrame(
        [
            {
                "variable": variable,
                "by": by,
                "F": f_stat,
                "ndf": float(ndf),
                "ddf": ddf,
                "p": p,
                "n": int(ok.sum()),
            }
        ]
    )
