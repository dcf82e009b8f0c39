"""Survey-weighted generalised linear models with design-based standard errors.

Point estimates come from statsmodels' GLM fitted with the (normalised) survey weights;
the variance is the sandwich ``A^-1 B A^-1`` where ``B`` is the design-based variance of
the estimating functions, computed like any total (strata, clusters, fpc and calibration
residuals) — R's ``svyglm``. On a replicate design the model is refitted with every
replicate's weights.

>>> import numpy as np, pandas as pd, lublin_diagnosis as ld
>>> rng = np.random.default_rng(1)
>>> df = pd.DataFrame({"x": rng.normal(size=200)})
>>> df["y"] = 1 + 2 * df["x"] + rng.normal(size=200)
>>> fit = ld.SurveyDesign(df).glm("y ~ x")
>>> fit["term"].tolist()
['(Intercept)', 'x']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm
from scipy import stats

from lublin_diagnosis.survey._errors import EstimationError

__all__ = ["glm"]

_FAMILIES = {
    "gaussian": sm.families.Gaussian,
    "binomial": sm.families.Binomial,
    "quasibinomial": sm.families.Binomial,
    "poisson": sm.families.Poisson,
    "quasipoisson": sm.families.Poisson,
}


def _family(name: str):
    key = name.lower().replace("(quasi)", "").replace(" ", "")
    if key not in _FAMILIES:
        raise EstimationError(f"family must be one of {sorted(_FAMILIES)}, not {name!r}")
    return _FAMILIES[key]()


def _safe_frame(data: pd.DataFrame, formula: str) -> tuple[pd.DataFrame, str, dict[str, str]]:
    """Rename columns that are not Python identifiers (R names such as ``sch.wide``)."""
    mapping: dict[str, str] = {}
    used = set(map(str, data.columns))
    for col in sorted(map(str, data.columns), key=len, reverse=True):
        if col.isidentifier():
            continue
        safe = re.sub(r"\W", "_", col)
        if not safe or safe[0].isdigit():
            safe = "v_" + safe
        while safe in used:
            safe += "_"
        used.add(safe)
        mapping[col] = safe
        formula = re.sub(rf"(?<![\w.]){re.escape(col)}(?![\w.])", safe, formula)
    frame = data.rename(columns=mapping) if mapping else data
    return frame, formula, {v: k for k, v in mapping.items()}


def _r_term(name: str, back: dict[str, str]) -> str:
    """R's name of a patsy column: ``stype[T.H]:ell`` is ``stypeH:ell``."""
    if name == "Intercept":
        return "(Intercept)"
    parts = []
    for part in name.split(":"):
        m = re.fullmatch(r"(?:C\()?([^\[\)]+)\)?\[(?:T\.)?(.+)\]", part)
        if m:
            var, lev = m.group(1), m.group(2)
            parts.append(back.get(var, var) + lev)
        else:
            parts.append(back.get(part, part))
    return ":".join(parts)


def _response(frame: pd.DataFrame, lhs: str) -> np.ndarray:
    lhs = lhs.strip()
    m = re.fullmatch(r"I\((.*)\)", lhs)
    try:
        if m:
            values = frame.eval(m.group(1))
        elif lhs in frame.columns:
            values = frame[lhs]
        else:
            values = frame.eval(lhs)
    except Exception as exc:  # pandas raises many kinds here
        raise EstimationError(f"cannot evaluate the response {lhs!r}: {exc}") from None
    values = pd.Series(values)
    if pd.api.types.is_bool_dtype(values):
        return values.astype(float).to_numpy()
    out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if np.isnan(out).all():
        raise EstimationError(f"the response {lhs!r} is not numeric")
    return out


def _fit(y, x, w, family, start=None):
    model = sm.GLM(y, x, family=family, var_weights=w / w.mean())
    return model.fit(start_params=start, tol=1e-12, maxiter=100)


def glm(design, formula: str, family: str = "gaussian", *, level: float = 0.95) -> pd.DataFrame:
    """Fit a survey-weighted GLM and return a tidy coefficient table.

    Parameters
    ----------
    design : SurveyDesign
    formula : str
        An R-style formula, e.g. ``"employed ~ polish_level + years_in_pl"``; the response
        may be ``I(expression)`` such as ``I(status == 'yes')``. Categorical predictors use
        treatment contrasts with the first level (in sorted order) as reference; terms are
        named as R names them (``(Intercept)``, ``sexM``).
    family : {"gaussian", "binomial", "quasibinomial", "poisson", "quasipoisson"}
        Binomial and Poisson are fitted as their quasi families (same estimates).
    level : float
        Confidence level; t intervals on ``degf - p + 1`` degrees of freedom, as R.

    Returns
    -------
    DataFrame
        ``term, estimate, se, ci_low, ci_high, df, statistic, p, n``.
    """
    if "~" not in formula:
        raise EstimationError(
            f"formula must have a response and predictors, 'y ~ x', not {formula!r}"
        )
    fam = _family(family)
    frame, safe_formula, back = _safe_frame(design.data, formula)
    lhs, rhs = safe_formula.split("~", 1)
    y = _response(frame, lhs)
    try:
        x = patsy.dmatrix(
            rhs, frame, return_type="dataframe", NA_action=patsy.NAAction(NA_types=[])
        )
    except patsy.PatsyError as exc:
        raise EstimationError(f"cannot build the model matrix of {formula!r}: {exc}") from None
    xv = x.to_numpy(dtype=float)
    ok = np.isfinite(y) & np.all(np.isfinite(xv), axis=1)
    if ok.sum() <= xv.shape[1]:
        raise EstimationError(f"too few complete rows ({int(ok.sum())}) to fit {formula!r}")
    w_all = design._w
    res = _fit(y[ok], xv[ok], w_all[ok], fam)
    beta = np.asarray(res.params, dtype=float)
    names = [_r_term(n, back) for n in x.columns]
    if design._rep is None:
        eta = xv[ok] @ beta
        mu = fam.link.inverse(eta)
        dmu = fam.link.inverse_deriv(eta)
        var_mu = fam.variance(mu)
        wn = w_all[ok] / w_all[ok].mean()
        working_w = wn * dmu**2 / var_mu
        a_inv = np.linalg.inv((xv[ok] * working_w[:, None]).T @ xv[ok])
        estfun = np.zeros_like(xv)
        estfun[ok] = xv[ok] * (wn * (y[ok] - mu) * dmu / var_mu)[:, None]
        cov = design._taylor_cov(estfun @ a_inv)
    else:
        reps = design._rep.weights
        thetas = np.empty((reps.shape[1], beta.size))
        for r in range(reps.shape[1]):
            wr = reps[ok, r]
            keep = wr > 0
            fit_r = _fit(y[ok][keep], xv[ok][keep], wr[keep], fam, start=beta)
            thetas[r] = fit_r.params
        cov = design._rep.variance(thetas, beta)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    df = design.degf + 1 - beta.size
    crit = stats.t.ppf(1 - (1 - level) / 2, df) if df > 0 else np.nan
    tstat = beta / se
    p = 2 * stats.t.sf(np.abs(tstat), df) if df > 0 else np.full(beta.size, np.nan)
    out = pd.DataFrame(
        {
            "term": names,
            "estimate": beta,
            "se": se,
            "ci_low": beta - crit * se,
            "ci_high": beta + crit * se,
            "df": float(df),
            "statistic": tstat,
            "p": p,
            "n": int(ok.sum()),
        }
    )

    # terms in the order of the formula, as R prints them
    def position(column: str) -> tuple[int, int]:
        if column == "Intercept":
            return (0, -1)
        factors = column.split(":")
        var = re.sub(r"^C\(|\)?\[.*$", "", factors[0])
        found = rhs.find(var)
        return (len(factors), found if found >= 0 else len(rhs))

    order = sorted(range(len(names)), key=lambda i: position(x.columns[i]))
    return out.iloc[order].reset_index(drop=True)
