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
import warnings

import numpy as np
import pandas as pd
import patsy
from scipy import stats

# statsmodels' GLM and families only: ``statsmodels.api`` imports all of statsmodels (0.3 s
# more in every process and kernel that imports the package)
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import DomainWarning

from lublin_diagnosis.survey._errors import EstimationError
from lublin_diagnosis.survey._results import Estimates

__all__ = ["anova", "glm", "predict", "predmeans"]

_FAMILIES = {
    "gaussian": families.Gaussian,
    "binomial": families.Binomial,
    "quasibinomial": families.Binomial,
    "poisson": families.Poisson,
    "quasipoisson": families.Poisson,
    "gamma": families.Gamma,
}
_LINKS = {
    "identity": families.links.Identity,
    "log": families.links.Log,
    "logit": families.links.Logit,
    "inverse": families.links.InversePower,
    "probit": families.links.Probit,
    "sqrt": families.links.Sqrt,
}


def _family(name: str):
    """A statsmodels family from R's notation: ``"Gamma"``, ``"gaussian(log)"``,
    ``'Gamma(link = "log")'``, ``"quasipoisson"``.

    >>> type(_family('gaussian(link = "log")').link).__name__
    'Log'
    """
    name = re.sub(r"\s*\(quasi\)", "", name)  # "binomial (quasi)": the same fit
    m = re.fullmatch(r"\s*([A-Za-z]+)\s*(?:\(\s*(?:link\s*=\s*)?[\"']?(\w*)[\"']?\s*\))?\s*", name)
    key = m.group(1).lower() if m else ""
    if key not in _FAMILIES:
        raise EstimationError(
            f"family must be one of {sorted(_FAMILIES)} (with an optional link such as "
            f"'gaussian(log)'), not {name!r}"
        )
    assert m is not None  # key is "" when m is None, and "" is not a family
    link = m.group(2)
    if not link:
        return _FAMILIES[key]()
    if link not in _LINKS:
        raise EstimationError(f"link must be one of {sorted(_LINKS)}, not {link!r} in {name!r}")
    return _FAMILIES[key](link=_LINKS[link]())


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
    with warnings.catch_warnings():  # R's links for every family (Gamma's inverse)
        warnings.simplefilter("ignore", DomainWarning)
        model = GLM(y, x, family=family, var_weights=w / w.mean())
        return model.fit(start_params=start, tol=1e-12, maxiter=100)


def _mustart(fam, y: np.ndarray, wn: np.ndarray) -> np.ndarray:
    """R's starting means (each family's ``initialize``)."""
    if isinstance(fam, families.Binomial):
        return (wn * y + 0.5) / (wn + 1)
    if isinstance(fam, families.Poisson):
        return y + 0.1
    return y.astype(float).copy()


def _irls_as_r(y, x, wn, fam, epsilon: float = 1e-8, maxit: int = 25):
    """R's ``glm.fit``: IRLS from R's starting values, stopped when the deviance changes by
    less than ``epsilon`` relative (so not at the exact optimum, as R).

    Returns the coefficients, the working weights of the last iteration, the working
    residuals at the coefficients (what R's ``svy.varcoef`` builds the sandwich from) and
    the deviance.
    """
    link = fam.link
    mu = _mustart(fam, y, wn)
    eta = link(mu)
    mu = link.inverse(eta)
    devold = float(fam.deviance(y, mu, var_weights=wn))
    beta, ww = None, None
    for _ in range(maxit):
        dmu = link.inverse_deriv(eta)
        z = eta + (y - mu) / dmu
        ww = wn * dmu**2 / fam.variance(mu)
        sw = np.sqrt(ww)
        beta = np.linalg.lstsq(x * sw[:, None], z * sw, rcond=None)[0]
        eta = x @ beta
        mu = link.inverse(eta)
        dev = float(fam.deviance(y, mu, var_weights=wn))
        if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
            break
        devold = dev
    if beta is None or not np.all(np.isfinite(beta)):
        raise EstimationError("the survey glm did not converge (R's IRLS)")
    return beta, ww, (y - mu) / link.inverse_deriv(eta), dev


def _model_matrix(design, formula: str):
    """(response, model-matrix frame, rows kept, names back to the data's, rhs)."""
    if "~" not in formula:
        raise EstimationError(
            f"formula must have a response and predictors, 'y ~ x', not {formula!r}"
        )
    frame, safe_formula, back = _safe_frame(design.data, formula)
    lhs, rhs = safe_formula.split("~", 1)
    y = _response(frame, lhs)
    try:
        x = patsy.dmatrix(
            rhs, frame, return_type="dataframe", NA_action=patsy.NAAction(NA_types=[])
        )
    except patsy.PatsyError as exc:
        raise EstimationError(f"cannot build the model matrix of {formula!r}: {exc}") from None
    ok = np.isfinite(y) & np.all(np.isfinite(x.to_numpy(dtype=float)), axis=1)
    if ok.sum() <= x.shape[1]:
        raise EstimationError(f"too few complete rows ({int(ok.sum())}) to fit {formula!r}")
    return y, x, ok, back, rhs


def _sandwich(design, fam, y, xv, ok, beta, working) -> np.ndarray:
    """Design-based covariance of the coefficients (R's ``svy.varcoef``), or replicates.

    ``working`` is (working weights, working residuals) of R's IRLS."""
    if design._rep is not None:
        reps = design._rep.weights
        thetas = np.empty((reps.shape[1], beta.size))
        for r in range(reps.shape[1]):
            wr = reps[ok, r]
            keep = wr > 0
            thetas[r] = _fit(y[ok][keep], xv[ok][keep], wr[keep], fam, start=beta).params
        return design._rep.variance(thetas, beta)
    working_w, resid = working
    a_inv = np.linalg.inv((xv[ok] * working_w[:, None]).T @ xv[ok])
    estfun = np.zeros_like(xv)
    estfun[ok] = xv[ok] * (working_w * resid)[:, None]
    return design._taylor_cov(estfun @ a_inv)


def _term_order(columns, rhs: str) -> list[int]:
    """Columns in R's order: intercept, then terms by degree, then by formula position."""

    def position(column: str) -> tuple[int, int]:
        if column == "Intercept":
            return (0, -1)
        factors = column.split(":")
        var = re.sub(r"^C\(|\)?\[.*$", "", factors[0])
        found = rhs.find(var)
        return (len(factors), found if found >= 0 else len(rhs))

    return sorted(range(len(columns)), key=lambda i: position(columns[i]))


def glm(design, formula: str, family: str = "gaussian", *, level: float = 0.95) -> Estimates:
    """Fit a survey-weighted GLM and return a tidy coefficient table.

    Parameters
    ----------
    design : SurveyDesign
    formula : str
        An R-style formula, e.g. ``"employed ~ polish_level + years_in_pl"``; the response
        may be ``I(expression)`` such as ``I(status == 'yes')``. Categorical predictors use
        treatment contrasts with the first level (in sorted order) as reference; terms are
        named as R names them (``(Intercept)``, ``sexM``, ``sexM:age``).
    family : str
        ``gaussian``, ``binomial``, ``quasibinomial``, ``poisson``, ``quasipoisson`` or
        ``Gamma``, with an optional link in R's notation (``"gaussian(log)"``,
        ``'Gamma(link = "log")'``). Binomial and Poisson are fitted as their quasi
        families (same estimates).
    level : float
        Confidence level; t intervals on ``degf - p + 1`` degrees of freedom, as R.

    Returns
    -------
    Estimates
        ``term, estimate, se, ci_low, ci_high, df, statistic, p, n`` with the coefficients'
        covariance (``.vcov``), ``.term_test(...)`` (R's ``regTermTest``) and
        :func:`predict`.
    """
    fam = _family(family)
    y, x, ok, back, rhs = _model_matrix(design, formula)
    xv = x.to_numpy(dtype=float)
    w_ok = design._w[ok]
    wn = w_ok / w_ok.mean()
    beta, working_w, resid, deviance = _irls_as_r(y[ok], xv[ok], wn, fam)
    cov = _sandwich(design, fam, y, xv, ok, beta, (working_w, resid))
    naive = np.linalg.inv((xv[ok] * working_w[:, None]).T @ xv[ok])
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    degf = design.degf if ok.all() else design.domain_degf(ok)
    df = degf + 1 - beta.size
    crit = stats.t.ppf(1 - (1 - level) / 2, df) if df > 0 else np.nan
    tstat = beta / se
    p = 2 * stats.t.sf(np.abs(tstat), df) if df > 0 else np.full(beta.size, np.nan)
    out = pd.DataFrame(
        {
            "term": [_r_term(n, back) for n in x.columns],
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
    order = _term_order(list(x.columns), rhs)
    terms = {}
    for name, sl in x.design_info.term_name_slices.items():
        label = ":".join(back.get(f, f) for f in name.split(":"))
        for i in range(sl.start, sl.stop):
            terms[i] = label
    col_terms = [terms[i] for i in range(len(terms))]

    def refit_without(drop: set) -> float:
        keep = [i for i, t in enumerate(col_terms) if t not in drop]
        return _irls_as_r(y[ok], xv[ok][:, keep], wn, fam)[3]

    info = {
        "terms": [terms[i] for i in order],
        "ddf": float(df),
        "naive_cov": naive[np.ix_(order, order)],
        "deviance": deviance,
        "refit_without": refit_without,
        "family": fam,
        "design_info": x.design_info,
        "back": back,
        "beta_order": order,
    }
    return Estimates.build(
        out.iloc[order].reset_index(drop=True), cov[np.ix_(order, order)], **info
    )


def predict(fit: Estimates, newdata: pd.DataFrame, *, type: str = "link") -> Estimates:
    """Predictions of a survey glm for new rows with their SEs (R's ``predict.svyglm``).

    Parameters
    ----------
    fit : Estimates
        The result of :func:`glm`.
    newdata : DataFrame
        The predictors of the rows to predict (data column names).
    type : {"link", "response"}
        The linear predictor, or the mean (delta method for the SE), as R.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [1.0, 3.0, 2.0, 5.0]})
    >>> fit = ld.SurveyDesign(df).glm("y ~ x")
    >>> round(float(predict(fit, pd.DataFrame({"x": [2.5]}))["estimate"].iloc[0]), 6)
    2.75
    """
    info = getattr(fit, "info", {}) or {}
    if "design_info" not in info:
        raise EstimationError("predict needs the result of glm(...) (a fitted survey glm)")
    if type not in ("link", "response"):
        raise EstimationError(f"type must be 'link' or 'response', not {type!r}")
    safe = newdata.rename(columns={v: k for k, v in info["back"].items()})
    try:
        (xn,) = patsy.build_design_matrices([info["design_info"]], safe)
    except patsy.PatsyError as exc:
        raise EstimationError(f"cannot build the predictors of newdata: {exc}") from None
    xn = np.asarray(xn, dtype=float)[:, info["beta_order"]]
    beta = fit["estimate"].to_numpy(dtype=float)
    eta = xn @ beta
    cov = xn @ fit.vcov @ xn.T
    if type == "response":
        fam = info["family"]
        d = fam.link.inverse_deriv(eta)
        eta = fam.link.inverse(eta)
        cov = cov * np.outer(d, d)
    se = np.sqrt(np.maximum(np.diag(cov), 0.0))
    frame = pd.DataFrame({"row": list(newdata.index), "estimate": eta, "se": se})
    return Estimates.build(frame, cov)


def anova(fit: Estimates, smaller: Estimates, *, method: str = "LRT") -> pd.DataFrame:
    """Compare two nested survey glms (R's ``anova(fit, smaller)``): the test that the
    terms of ``fit`` missing from ``smaller`` are zero, a working likelihood-ratio test by
    default (``method="Wald"`` for the Wald F test). Both must be fitted on the same rows.

    >>> import numpy as np, pandas as pd, lublin_diagnosis as ld
    >>> rng = np.random.default_rng(3)
    >>> df = pd.DataFrame({"x": rng.normal(size=60), "z": rng.normal(size=60)})
    >>> df["y"] = df["x"] + rng.normal(size=60)
    >>> d = ld.SurveyDesign(df)
    >>> out = anova(d.glm("y ~ x + z"), d.glm("y ~ x"))
    >>> out["terms"].iloc[0], bool(out["p"].iloc[0] > 0.05)
    ('z', True)
    """
    big = (getattr(fit, "info", None) or {}).get("terms")
    small = (getattr(smaller, "info", None) or {}).get("terms")
    if big is None or small is None:
        raise EstimationError("anova compares two results of glm(...)")
    if not set(small) <= set(big):
        big, small, fit = small, big, smaller
    if not set(small) <= set(big):
        raise EstimationError(
            f"the models are not nested by terms: {sorted(set(small) - set(big))} are only "
            "in one of them"
        )
    extra = [t for t in dict.fromkeys(big) if t not in set(small)]
    if not extra:
        raise EstimationError("the two models have the same terms: nothing to test")
    if int(fit["n"].iloc[0]) != int(smaller["n"].iloc[0]):
        raise EstimationError("the two models were fitted on different rows (missing values)")
    return fit.term_test(*extra, method=method)


def predmeans(design, formula: str, group: str, family: str = "gaussian") -> Estimates:
    """Adjusted (marginal) means of a group: R's ``svypredmeans(svyglm(formula), ~group)``.

    The model ``formula + group`` is fitted; for every group, every respondent's mean is
    predicted as if they belonged to it, and the predictions are averaged over the design.
    The variance adds the model's (through the derivative of the average) to the
    design-based variance of the averages, as R.

    Returns
    -------
    Estimates
        One row per group (groups in data order, as R): ``by, estimate, se, ...``.

    >>> import pandas as pd, lublin_diagnosis as ld
    >>> df = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6], "g": list("ababab"),
    ...                    "y": [1.0, 3, 3, 5, 5, 7]})
    >>> predmeans(ld.SurveyDesign(df), "y ~ x", "g")["estimate"].round(3).tolist()
    [3.5, 4.5]
    """
    if group not in design.data.columns:
        raise EstimationError(f"group variable {group!r} is not a column of the survey data")
    fit = glm(design, f"{formula} + {group}", family)
    info = fit.info
    frame, _, _ = _safe_frame(design.data, formula)
    col = design.data[group]
    if col.isna().any() or int(fit["n"].iloc[0]) != design.n:
        raise EstimationError(
            "predmeans needs every row of the design in the model: impute or drop the rows "
            f"with a missing value of the model's variables or of {group!r}"
        )
    groups = list(pd.unique(col))
    safe_group = {v: k for k, v in info["back"].items()}.get(group, group)
    w = design._w
    beta = fit["estimate"].to_numpy(dtype=float)
    fam = info["family"]
    fits = np.empty((design.n, len(groups)))
    deriv = np.empty((beta.size, len(groups)))
    for i, g in enumerate(groups):
        mf = frame.assign(**{safe_group: pd.Series([g] * design.n, index=frame.index)})
        (xg,) = patsy.build_design_matrices([info["design_info"]], mf)
        xg = np.asarray(xg, dtype=float)[:, info["beta_order"]]
        eta = xg @ beta
        fits[:, i] = fam.link.inverse(eta)
        deriv[:, i] = (w * fam.link.inverse_deriv(eta)) @ xg / w.sum()
    names = [f"_predmean_{i}" for i in range(len(groups))]
    cond = design.with_columns(**dict(zip(names, fits.T, strict=True))).mean(names)
    cov = deriv.T @ fit.vcov @ deriv + cond.vcov
    out = cond.to_frame()
    out["variable"] = formula.split("~")[0].strip()
    out["by"] = [str(g) for g in groups]
    out["se"] = np.sqrt(np.maximum(np.diag(cov), 0.0))
    crit = stats.t.ppf(0.975, out["df"].iloc[0]) if out["df"].iloc[0] > 0 else np.nan
    out["ci_low"] = out["estimate"] - crit * out["se"]
    out["ci_high"] = out["estimate"] + crit * out["se"]
    return Estimates.build(out, cov)
