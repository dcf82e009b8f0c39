"""Design-based t-tests, variances and cross-tables with cell standard errors.

* :func:`ttest` — R's ``svyttest``: one-sample (the mean against ``mu``) or two groups
  (the difference of the two domain means, which is the coefficient of ``svyglm(y ~ g)``);
  computed from the domain means and their joint covariance, so that it needs no model
  fit and stays fast on millions of rows.
* :func:`variance` — R's ``svyvar``: the weighted population variance (``n / (n - 1)``)
  and its standard error, by domain.
* :func:`table` — R's ``svytotal(~interaction(row, col))`` (or ``svymean`` with
  ``share=True``): one row per cell with its design-based SE and the joint covariance.

>>> import pandas as pd, lublin_diagnosis as ld
>>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 6.0, 8.0], "g": list("aaabbb")})
>>> t = ld.SurveyDesign(df).ttest("y", by="g")
>>> round(float(t["estimate"].iloc[0]), 4), round(float(t["t"].iloc[0]), 4)
(4.0, 3.4641)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from lublin_diagnosis.survey._errors import DomainError, EstimationError
from lublin_diagnosis.survey._estimators import (
    _column,
    _domain_core,
    _domains,
    _levels_of,
    _values,
)
from lublin_diagnosis.survey._results import Estimates

__all__ = ["table", "ttest", "variance"]


def _crit(level: float, df: float) -> float:
    return float(stats.t.ppf(1 - (1 - level) / 2, df)) if df > 0 else float("nan")


def ttest(
    design,
    variable: str,
    by: str | None = None,
    *,
    mu: float = 0.0,
    na_rm: bool = False,
    level: float = 0.95,
) -> Estimates:
    """Design-based t-test of a mean (``by=None``) or of the difference between two groups.

    Parameters
    ----------
    variable : str
        A numeric variable.
    by : str, optional
        A variable with exactly two observed groups; the estimate is the mean of the
        second (in sorted order) minus that of the first, as R's ``svyttest(y ~ g)``.
    mu : float
        The null value of a one-sample test (R: ``svyttest(I(y - mu) ~ 0)``).
    na_rm : bool
        Test among the respondents with a value (and a group).
    level : float
        Confidence level of the interval.

    Returns
    -------
    Estimates
        One row: ``variable, by, contrast, estimate, se, t, df, p, ci_low, ci_high, n``;
        ``df`` is the design's degrees of freedom minus one, as R.
    """
    vals, _ = _values(design, variable, False)
    x = vals[:, 0]
    missing = np.isnan(x)
    _, labels, dom, _ = _domains(design, by)
    if by is not None:
        missing |= dom < 0
    if missing.any() and not na_rm:
        raise EstimationError(
            f"{variable!r} (or {by!r}) has {int(missing.sum())} missing value(s); pass "
            "na_rm=True to test among those who answered"
        )
    ok = ~missing
    y = np.where(ok, x, 0.0)[:, None]
    if by is None:
        est, cov = _domain_core(design, y, ok.astype(float), np.where(ok, 0, -1), 1)
        value, var, name = float(est[0]) - mu, float(cov[0, 0]), "mean"
    else:
        if len(labels) != 2:
            raise DomainError(
                f"a two-group t-test needs exactly two groups in {by!r}, found "
                f"{len(labels)}: {[':'.join(map(str, lab)) for lab in labels][:10]}"
            )
        est, cov = _domain_core(design, y, ok.astype(float), np.where(ok, dom, -1), 2)
        c = np.array([-1.0, 1.0])
        value, var = float(c @ est), float(c @ cov @ c)
        name = f"{labels[1][0]} - {labels[0][0]}"
    # R: one sample, the design's df - 1; two groups, the residual df of svyglm(y ~ g)
    # on the rows it keeps
    df = float((design.degf if by is None else design.domain_degf(ok)) - 1)
    se = float(np.sqrt(max(var, 0.0)))
    t = value / se if se > 0 else float("nan")
    crit = _crit(level, df)
    frame = pd.DataFrame(
        [
            {
                "variable": variable,
                "by": by,
                "contrast": name,
                "estimate": value,
                "se": se,
                "t": t,
                "df": df,
                "p": float(2 * stats.t.sf(abs(t), df)) if df > 0 else float("nan"),
                "ci_low": value - crit * se,
                "ci_high": value + crit * se,
                "n": int(ok.sum()),
            }
        ]
    )
    return Estimates.build(frame, np.array([[var]]))


def variance(
    design,
    variable: str,
    *,
    by: str | Sequence[str] | None = None,
    na_rm: bool = False,
    level: float = 0.95,
) -> Estimates:
    """Population variance of a numeric variable with its SE, by domain (R's ``svyvar``).

    The estimate is the weighted variance times ``n / (n - 1)``, ``n`` the rows of the
    domain (as R, counted before rows with a missing value are dropped); its SE treats
    the mean as known (R's ``svymean`` of the squared deviations), or comes from the
    replicates.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]}))
    >>> round(float(d.variance("y")["estimate"].iloc[0]), 4)
    1.6667
    """
    vals, _ = _values(design, variable, False)
    x = vals[:, 0]
    by_vars, labels, dom, _ = _domains(design, by)
    missing = np.isnan(x)
    if missing.any() and not na_rm:
        raise EstimationError(
            f"{variable!r} has {int(missing.sum())} missing value(s); pass na_rm=True"
        )
    n_dom = len(labels)
    group = np.where(~missing, dom, -1)
    counts = np.bincount(group[group >= 0], minlength=n_dom)
    if np.any(counts < 2):
        raise DomainError(f"a variance needs two respondents with a value of {variable!r}")
    n_rows = np.bincount(dom[dom >= 0], minlength=n_dom).astype(float)  # before the NA drop
    ok = group >= 0
    g = np.where(ok, group, 0)
    y = np.where(ok, x, 0.0)
    mean_est, _ = _domain_core(design, y[:, None], ok.astype(float), group, n_dom)
    factor = n_rows / (n_rows - 1)
    z = np.where(ok, (y - mean_est[g]) ** 2 * factor[g], 0.0)
    est, cov = _domain_core(design, z[:, None], ok.astype(float), group, n_dom)
    if design._rep is not None:  # every replicate re-estimates its own mean, as R
        rep = design._rep
        moments = np.column_stack([ok.astype(float), y, y * y])
        t = rep.tdot_partition(moments, group, n_dom).reshape(-1, n_dom, 3)
        with np.errstate(divide="ignore", invalid="ignore"):
            thetas = (t[:, :, 2] / t[:, :, 0] - (t[:, :, 1] / t[:, :, 0]) ** 2) * factor
        cov = rep.variance(thetas, est)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    df = float(design.degf)
    crit = _crit(level, df)
    rows = []
    for d, lab in enumerate(labels):
        row = {
            "variable": variable,
            "by": ":".join(map(str, lab)) if by_vars else None,
            "level": None,
            "estimate": float(est[d]),
            "se": float(se[d]),
            "ci_low": float(est[d] - crit * se[d]),
            "ci_high": float(est[d] + crit * se[d]),
            "df": df,
            "n": int(counts[d]),
        }
        row.update(dict(zip(by_vars, lab, strict=False)))
        rows.append(row)
    cols = ["variable", "by", *by_vars, "level", "estimate", "se", "ci_low", "ci_high", "df", "n"]
    return Estimates.build(pd.DataFrame(rows, columns=cols), cov)


def _category_codes(design, variable: str) -> tuple[np.ndarray, list]:
    """Code of every row's category (-1: missing) and the categories in sorted order."""
    col = _column(design, variable)
    levels = _levels_of(col)
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.set_categories(levels).cat.codes.to_numpy()
    else:
        codes = pd.Categorical(col, categories=levels).codes
    return np.asarray(codes, dtype=np.int64), levels


def table(
    design, row: str, col: str, *, share: bool = False, na_rm: bool = True, level: float = 0.95
) -> Estimates:
    """Weighted cross-table with the design-based SE of every cell.

    Parameters
    ----------
    row, col : str
        Two categorical variables.
    share : bool
        Cells as shares of the population (R's ``svymean(~interaction(row, col))``)
        instead of population counts (``svytotal``).
    na_rm : bool
        Leave out rows with a missing ``row`` or ``col`` (R's ``svytable`` does).

    Returns
    -------
    Estimates
        One row per cell: ``row``, ``col`` values, ``estimate``, ``se``, interval, ``n``,
        with the joint covariance of the cells (for contrasts). The Rao-Scott test of
        independence of the same table is :func:`~lublin_diagnosis.survey._estimators.chisq`.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> df = pd.DataFrame({"a": list("xxyy"), "b": list("uvuu")})
    >>> ld.SurveyDesign(df, weights=[2.0, 2.0, 1.0, 1.0]).table("a", "b")["estimate"].tolist()
    [2.0, 2.0, 2.0, 0.0]
    """
    r_code, r_levels = _category_codes(design, row)
    c_code, c_levels = _category_codes(design, col)
    ok = (r_code >= 0) & (c_code >= 0)
    if not ok.all() and not na_rm:
        raise EstimationError(f"{row!r} or {col!r} has missing values; pass na_rm=True")
    nr, nc = len(r_levels), len(c_levels)
    cell = r_code + nr * c_code  # the row variable varies fastest, as R's interaction()
    k = nr * nc
    group = np.where(ok, cell, -1)  # cells as a partition: no n × cells matrix
    ones = np.ones((design.n, 1))
    est, cov = _domain_core(design, ones, None, group, k)
    if share:
        total = est.sum()
        est = est / total
        if design._rep is None:  # the shares are linear in the totals' influence values
            jac = (np.eye(k) - np.outer(est, np.ones(k))) / total
            cov = jac @ cov @ jac.T
        else:
            t = design._rep.tdot_partition(ones, group, k)
            cov = design._rep.variance(t / t.sum(axis=1, keepdims=True), est)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    crit = _crit(level, float(design.degf))
    counts = np.bincount(cell[ok], minlength=k)
    frame = pd.DataFrame(
        {
            row: [r_levels[i % nr] for i in range(k)],
            col: [c_levels[i // nr] for i in range(k)],
            "estimate": est,
            "se": se,
            "ci_low": est - crit * se,
            "ci_high": est + crit * se,
            "df": float(design.degf),
            "n": counts,
        }
    )
    frame.insert(0, "by", [f"{a}:{b}" for a, b in zip(frame[row], frame[col], strict=True)])
    return Estimates.build(frame, cov)
