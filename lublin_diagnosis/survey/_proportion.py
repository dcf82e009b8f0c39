"""Proportions with confidence intervals that stay inside [0, 1] (R's ``svyciprop``).

Methods ``logit``, ``likelihood``, ``beta`` (Korn-Graubard), ``wald`` ("mean"), ``asin``
and ``xlogit`` as R's ``svyciprop``; ``wilson`` is the Wilson score interval on the
effective sample size. The ``likelihood`` interval reproduces R step by step: its
``svyglm`` fit stops where R's IRLS stops, the Pearson residuals carry no weights, the
weights are normalised before rows with a missing answer are dropped, and the profile is
inverted through an FMM spline.

>>> import pandas as pd, lublin_diagnosis as ld
>>> d = ld.SurveyDesign(pd.DataFrame({"y": [1, 0, 1, 1, 0, 1, 1, 1]}))
>>> r = d.proportion("y", method="logit")
>>> round(float(r["estimate"].iloc[0]), 3)
0.75
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from lublin_diagnosis.survey._errors import DomainError, EstimationError
from lublin_diagnosis.survey._estimators import (
    RESULT_COLUMNS,
    _column,
    _crit,
    _domain_core,
    _domains,
)
from lublin_diagnosis.survey._results import Estimates

__all__ = ["PROPORTION_METHODS", "proportion"]

PROPORTION_METHODS = ("logit", "beta", "likelihood", "wald", "wilson", "asin", "xlogit")


def _prop_interval(
    p: float,
    var: float,
    method: str,
    level: float,
    df: float,
    n_rows: int,
    w: np.ndarray,
    y: np.ndarray,
    w_mean: float | None = None,
) -> tuple[float, float]:
    alpha = 1 - level
    tq = _crit(level, df)
    se = np.sqrt(max(var, 0.0))
    if method == "wald":
        return p - tq * se, p + tq * se
    if p <= 0 or p >= 1:
        return (0.0, 0.0) if p <= 0 else (1.0, 1.0)
    if method in ("logit", "xlogit"):
        eta = np.log(p / (1 - p))
        se_eta = se / (p * (1 - p))
        lo, hi = eta - tq * se_eta, eta + tq * se_eta
        return 1 / (1 + np.exp(-lo)), 1 / (1 + np.exp(-hi))
    if method == "asin":
        eta = np.arcsin(np.sqrt(p))
        se_eta = se / (2 * np.sqrt(p * (1 - p)))
        lo, hi = eta - tq * se_eta, eta + tq * se_eta
        return float(np.sin(max(lo, 0)) ** 2), float(np.sin(min(hi, np.pi / 2)) ** 2)
    n_eff = p * (1 - p) / var if var > 0 else np.inf
    if method == "beta":
        # Korn and Graubard: effective n, adjusted by the ratio of t quantiles (as R)
        if np.isfinite(df) and df > 0:
            n_eff = n_eff * (stats.t.ppf(alpha / 2, n_rows - 1) / stats.t.ppf(alpha / 2, df)) ** 2
        lo = stats.beta.ppf(alpha / 2, n_eff * p, n_eff * (1 - p) + 1)
        hi = stats.beta.ppf(1 - alpha / 2, n_eff * p + 1, n_eff * (1 - p))
        return float(lo), float(hi)
    if method == "wilson":
        z2 = tq**2
        centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
        half = tq * np.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff**2)) / (1 + z2 / n_eff)
        return float(centre - half), float(centre + half)
    if method == "likelihood":
        return _likelihood_interval(p, var, level, df, n_rows, w, y, w_mean)
    raise EstimationError(f"method must be one of {PROPORTION_METHODS}, not {method!r}")


def _fmm_spline(x: np.ndarray, y: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Cubic spline with Forsythe-Malcolm-Moler end conditions (R's ``spline()``)."""
    n = x.size
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        slope = (y[1] - y[0]) / (x[1] - x[0])
        return y[0] + slope * (u - x[0])
    last = n - 1
    d[0] = x[1] - x[0]
    c[1] = (y[1] - y[0]) / d[0]
    for i in range(1, last):
        d[i] = x[i + 1] - x[i]
        b[i] = 2.0 * (d[i - 1] + d[i])
        c[i + 1] = (y[i + 1] - y[i]) / d[i]
        c[i] = c[i + 1] - c[i]
    b[0], b[last] = -d[0], -d[n - 2]
    c[0] = c[last] = 0.0
    if n > 3:  # third derivatives at the ends from the cubics through four points
        c0 = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
        cl = c[n - 2] / (x[last] - x[n - 3]) - c[n - 3] / (x[n - 2] - x[n - 4])
        c[0] = c0 * d[0] * d[0] / (x[3] - x[0])
        c[last] = -cl * d[n - 2] * d[n - 2] / (x[last] - x[n - 4])
    for i in range(1, n):
        t = d[i - 1] / b[i - 1]
        b[i] -= t * d[i - 1]
        c[i] -= t * c[i - 1]
    c[last] /= b[last]
    for i in range(n - 2, -1, -1):
        c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
    b[last] = (y[last] - y[n - 2]) / d[n - 2] + d[n - 2] * (c[n - 2] + 2.0 * c[last])
    for i in range(last):
        b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
        d[i] = (c[i + 1] - c[i]) / d[i]
        c[i] *= 3.0
    c[last] *= 3.0
    d[last] = d[n - 2]
    k = np.clip(np.searchsorted(x, u, side="right") - 1, 0, last)
    dx = u - x[k]
    return y[k] + dx * (b[k] + dx * (c[k] + dx * d[k]))


def _glm_intercept_fit(y: np.ndarray, wn: np.ndarray, epsilon: float = 1e-8, maxit: int = 25):
    """R's ``glm.fit`` of ``y ~ 1``, quasibinomial, weights ``wn``: the logit where its
    IRLS stops (``|dev - devold| / (|dev| + 0.1) < epsilon``, not the exact MLE) and the
    unscaled variance ``1 / sum(working weights)`` of its last iteration.

    >>> b, v = _glm_intercept_fit(np.array([1.0, 0.0, 1.0, 1.0]), np.ones(4))
    >>> round(b, 4), round(v, 4)
    (1.0986, 1.3333)
    """

    def dev_of(mu: np.ndarray) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            a = np.where(y > 0, y * np.log(y / mu), 0.0)
            b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
        return float(2 * np.sum(wn * (a + b)))

    mu = np.full(y.size, 0.0) + (wn * y + 0.5) / (wn + 1)
    eta = np.log(mu / (1 - mu))
    devold = dev_of(mu)
    beta, unscaled = float(np.mean(eta)), np.nan
    for _ in range(maxit):
        var_mu = mu * (1 - mu)
        z = eta + (y - mu) / var_mu
        ww = wn * var_mu
        beta = float(np.sum(ww * z) / np.sum(ww))
        unscaled = 1.0 / float(np.sum(ww))
        eta = np.full(y.size, beta)
        mu = 1 / (1 + np.exp(-eta))
        dev = dev_of(mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
            break
        devold = dev
    return beta, unscaled


def _likelihood_interval(
    p: float,
    var: float,
    level: float,
    df: float,
    n_rows: int,
    w: np.ndarray,
    y: np.ndarray,
    w_mean: float | None = None,
) -> tuple[float, float]:
    """Profile-likelihood interval of a proportion, R ``svyciprop(method="likelihood")``.

    The binomial deviance is scaled by the design-based dispersion and the interval level
    is adjusted by the design effect of the logit (Rao-Scott); as R, the profile is
    evaluated on a grid of steps around the estimate and inverted through an FMM spline.
    ``w_mean`` is the mean weight the glm weights are normalised by: R's ``svyglm``
    normalises over the rows before it drops those with a missing answer.
    """
    alpha = 1 - level
    wn = w / (w.mean() if w_mean is None else w_mean)
    beta0, naive = _glm_intercept_fit(y, wn)
    se_beta = np.sqrt(var) / (p * (1 - p))
    lam = se_beta**2 / naive
    tq = stats.t.ppf(alpha / 2, df) if np.isfinite(df) else stats.norm.ppf(alpha / 2)
    half_alpha = stats.norm.cdf(tq * np.sqrt(lam)) / 2
    # design-based dispersion: svyvar of the Pearson residuals
    mu0 = 1 / (1 + np.exp(-beta0))
    # Pearson residuals: R's svyglm takes the weights back out, as normalised after the drop
    r = (y - mu0) / np.sqrt(mu0 * (1 - mu0)) * np.sqrt(wn.mean())
    rbar = np.sum(w * r) / w.sum()
    m = y.size
    disp = np.sum(w * (r - rbar) ** 2) / w.sum() * m / (m - 1)

    def deviance(b: float) -> float:
        mu = 1 / (1 + np.exp(-b))
        return float(-2 * np.sum(wn * (y * np.log(mu) + (1 - y) * np.log(1 - mu))))

    dev0 = deviance(beta0)
    zmax = np.sqrt(stats.f.isf(half_alpha, 1, n_rows - 1))
    step_size = zmax / 5
    xs, zs = [beta0], [0.0]
    for sign in (-1, 1):
        step, z = 0, 0.0
        while (step := step + 1) < 10 and abs(z) < zmax:
            b = beta0 + sign * step * step_size * se_beta
            z = sign * np.sqrt(max((deviance(b) - dev0) / disp, 0.0))
            xs.append(b)
            zs.append(z)
    order = np.argsort(zs, kind="stable")
    bx, bz = np.array(xs)[order], np.array(zs)[order]
    grid = np.linspace(bx.min(), bx.max(), 3 * bx.size)
    sz = _fmm_spline(bx, bz, grid)
    srt = np.argsort(sz, kind="stable")
    cutoff = stats.norm.ppf(2 * half_alpha)
    lo_b, hi_b = np.interp([cutoff, -cutoff], sz[srt], grid[srt], left=np.nan, right=np.nan)
    return float(1 / (1 + np.exp(-lo_b))), float(1 / (1 + np.exp(-hi_b)))


def _level_key(value) -> str | None:
    """A category as text; a whole number is the same category as an int or a float."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float | np.floating) and float(value).is_integer():
        value = int(value)
    return str(value)


def proportion(
    design,
    variable: str,
    level=None,
    *,
    method: str = "logit",
    by: str | Sequence[str] | None = None,
    domain: dict | None = None,
    na_rm: bool = False,
    conf_level: float = 0.95,
    df: float | None = None,
) -> pd.DataFrame:
    """A proportion with a confidence interval that stays inside [0, 1].

    Parameters
    ----------
    variable : str
        The variable; the proportion is of rows equal to ``level`` (a binary 0/1 or
        boolean variable needs no level).
    level : optional
        The category counted.
    method : {"logit", "beta", "likelihood", "wald", "wilson", "asin", "xlogit"}
        ``logit``, ``likelihood``, ``beta`` (Korn-Graubard), ``wald`` ("mean") and
        ``asin`` as R's ``svyciprop``; ``wilson`` is the Wilson score interval on the
        effective sample size.
    by : str or list, optional
        One interval per domain.
    domain : dict, optional
        ``{variable: value}``: the proportion within that domain only.
    df : float, optional
        Degrees of freedom (default: the domain's PSUs minus strata, as R's subsets).

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> d = ld.SurveyDesign(pd.DataFrame({"y": [1, 0, 1, 1, 0, 1, 1, 1]}))
    >>> r = d.proportion("y", method="wilson")
    >>> bool(r["ci_low"].iloc[0] < 0.75 < r["ci_high"].iloc[0])
    True
    """
    method = {"mean": "wald"}.get(method, method)
    if method not in PROPORTION_METHODS:
        raise EstimationError(f"method must be one of {PROPORTION_METHODS}, not {method!r}")
    col = _column(design, variable)
    if level is None:
        numeric = pd.to_numeric(col, errors="coerce")
        if not set(numeric.dropna().unique()) <= {0, 1}:
            raise EstimationError(
                f"{variable!r} is not 0/1: name the category to count with level="
            )
        y = numeric.to_numpy(dtype=float)
        lab: str | None = "1"
    else:
        keyed = col.astype(object).map(_level_key)
        y = np.where(keyed.isna(), np.nan, (keyed == _level_key(level)).astype(float))
        lab = _level_key(level)
    missing = np.isnan(y)
    if missing.any() and not na_rm:
        raise EstimationError(
            f"{variable!r} has {int(missing.sum())} missing value(s); pass "
            "na_rm=True to estimate among those who answered"
        )
    in_domain = np.ones(design.n, dtype=bool)
    if domain:
        for dv, dval in domain.items():
            if dv not in design.data.columns:
                raise DomainError(f"domain variable {dv!r} is not a column of the survey data")
            in_domain &= (design.data[dv].astype(object).map(str) == str(dval)).to_numpy()
        if not in_domain.any():
            raise DomainError(f"the domain {domain} has no respondent")
    by_vars, labels, dom, _ = _domains(design, by)
    rows = []
    w = design._w
    for d, blab in enumerate(labels):
        in_d = (dom == d) & in_domain  # the domain before missing answers are dropped
        mask = in_d & ~missing
        if not mask.any():
            raise DomainError(
                f"domain {':'.join(map(str, blab)) or domain} has no respondent "
                f"with a value of {variable!r}"
            )
        a = np.where(mask, np.nan_to_num(y), 0.0)
        est, cov = _domain_core(design, a[:, None], np.ones(design.n), np.where(mask, 0, -1), 1)
        p, var = float(est[0]), float(cov[0, 0])
        # as R's svyciprop: df and (for beta) n of the domain before dropping missing rows
        dfd = design.domain_degf(in_d) if df is None else df
        n_rows = int(in_d.sum()) if design._cal == () else design.n
        if method == "likelihood":  # R's svyglm: the complete rows only
            n_rows = int(mask.sum()) if design._cal == () else design.n
        w_mean = float(w[in_d].mean()) if design._cal == () else None
        lo, hi = _prop_interval(p, var, method, conf_level, dfd, n_rows, w[mask], y[mask], w_mean)
        row = {
            "variable": variable,
            "by": ":".join(map(str, blab)) if by_vars else None,
            "level": lab,
            "estimate": p,
            "se": float(np.sqrt(max(var, 0.0))),
            "ci_low": float(lo),
            "ci_high": float(hi),
            "df": float(dfd),
            "n": int(mask.sum()),
            "method": method,
        }
        for v, lb in zip(by_vars, blab, strict=False):
            row[v] = lb
        rows.append(row)
    cols = RESULT_COLUMNS[:2] + by_vars + RESULT_COLUMNS[2:] + ["method"]
    group = np.where(in_domain & ~missing, dom, -1)
    _, cov = _domain_core(design, np.nan_to_num(y)[:, None], np.ones(design.n), group, len(labels))
    return Estimates.build(pd.DataFrame(rows, columns=cols), cov)
