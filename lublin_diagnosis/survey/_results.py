"""Estimates that keep their covariance: contrasts, differences between domains, Wald tests.

:class:`Estimates` is the tidy table every estimator returns (one row per estimate,
columns ``variable, by, level, estimate, se, ci_low, ci_high, df, n``) that also keeps the
design-based covariance matrix of its ``estimate`` column, in row order. It is a
:class:`pandas.DataFrame`, so notebooks and plots that read the table keep working; any
pandas operation on it gives a plain DataFrame, and :meth:`Estimates.to_frame` gives the
table alone. The statistical methods follow R's ``survey``: :meth:`~Estimates.contrast`
is ``svycontrast``, :meth:`~Estimates.difference` a domain difference from
``svyby(covmat = TRUE)``, :meth:`~Estimates.wald_test` the Wald F test of
``regTermTest``.

>>> import pandas as pd, lublin_diagnosis as ld
>>> df = pd.DataFrame({"st": list("aabbaabb"), "g": list("xyxyxxyy"),
...                    "y": [1.0, 3.0, 2.0, 6.0, 2.0, 2.0, 5.0, 7.0]})
>>> est = ld.SurveyDesign(df, strata="st").mean("y", by="g")
>>> est.vcov.shape
(2, 2)
>>> diff = est.difference("y", "x")
>>> round(float(diff["estimate"].iloc[0]), 4), round(float(diff["se"].iloc[0]), 4)
(3.5, 0.7906)
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from lublin_diagnosis.survey._errors import EstimationError

__all__ = ["Estimates"]


def _crit(level: float, df: float | None) -> float:
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, not {level!r}")
    if df is None or not np.isfinite(df):
        return float(stats.norm.ppf(1 - (1 - level) / 2))
    if df <= 0:
        return float("nan")
    return float(stats.t.ppf(1 - (1 - level) / 2, df))


class Estimates(pd.DataFrame):
    """A tidy table of estimates with their covariance matrix.

    Attributes
    ----------
    vcov : ndarray (k, k)
        Design-based covariance of the ``estimate`` column, rows in table order.
    """

    _metadata = ["vcov", "info"]

    @property
    def _constructor(self):
        return pd.DataFrame  # any pandas operation gives a plain table

    @classmethod
    def build(cls, frame: pd.DataFrame, vcov: np.ndarray, **info) -> Estimates:
        """The table ``frame`` with the covariance ``vcov`` of its ``estimate`` column
        (``info``: what a model keeps for tests and predictions)."""
        vcov = np.atleast_2d(np.asarray(vcov, dtype=float))
        if vcov.shape != (len(frame), len(frame)):
            raise EstimationError(
                f"vcov has shape {vcov.shape} for {len(frame)} estimates: it must be square "
                "with one row per estimate"
            )
        out = cls(frame)
        object.__setattr__(out, "vcov", vcov)
        object.__setattr__(out, "info", info)
        return out

    # -- views --------------------------------------------------------------------------
    def to_frame(self) -> pd.DataFrame:
        """The tidy table alone (a plain DataFrame, as every estimator returned before)."""
        return pd.DataFrame(self).copy()

    def labels(self) -> list[str]:
        """A label for every row: domain and level joined by ``:`` (or the variable)."""
        out = []
        for _, row in pd.DataFrame(self).iterrows():
            parts = [str(row[c]) for c in ("by", "level") if c in row and pd.notna(row[c])]
            out.append(":".join(parts) if parts else str(row.get("variable", "")))
        return out

    def cov_params(self) -> pd.DataFrame:
        """The covariance matrix with row and column labels (statsmodels' name)."""
        lab = self.labels()
        return pd.DataFrame(self.vcov, index=lab, columns=lab)

    def conf_int(self, level: float = 0.95, df: float | None = None) -> pd.DataFrame:
        """Confidence intervals at another level or on other degrees of freedom.

        ``df=None`` uses each row's ``df`` column; ``numpy.inf`` a normal interval (R's
        ``confint`` default).
        """
        est = self["estimate"].to_numpy(dtype=float)
        se = np.sqrt(np.maximum(np.diag(self.vcov), 0.0))
        dfs = self["df"].to_numpy(dtype=float) if df is None else np.full(est.size, float(df))
        crit = np.array([_crit(level, d) for d in dfs])
        return pd.DataFrame(
            {"ci_low": est - crit * se, "ci_high": est + crit * se}, index=self.labels()
        )

    # -- contrasts ----------------------------------------------------------------------
    def _matrix(self, contrasts) -> tuple[np.ndarray, list[str]]:
        k = len(self)
        if isinstance(contrasts, dict):
            names = list(contrasts)
            rows = [self._matrix(v)[0][0] for v in contrasts.values()]
            return np.vstack(rows), names
        c = np.atleast_2d(np.asarray(contrasts, dtype=float))
        if c.shape[1] != k:
            raise EstimationError(
                f"contrast has {c.shape[1]} coefficients for {k} estimates; give one "
                "coefficient per row of the table"
            )
        return c, [f"contrast {i + 1}" for i in range(c.shape[0])]

    def contrast(self, contrasts, *, level: float = 0.95) -> Estimates:
        """Linear combinations ``C @ estimate`` with their SEs (R's ``svycontrast``).

        Parameters
        ----------
        contrasts : array (m, k) or (k,), or dict
            One row of coefficients per combination, or ``{name: coefficients}``.
        level : float
            Confidence level of the intervals (t on the smallest df of the rows).
        """
        c, names = self._matrix(contrasts)
        est = c @ self["estimate"].to_numpy(dtype=float)
        cov = c @ self.vcov @ c.T
        se = np.sqrt(np.maximum(np.diag(cov), 0.0))
        df = float(np.min(self["df"].to_numpy(dtype=float))) if "df" in self else np.inf
        crit = _crit(level, df)
        frame = pd.DataFrame(
            {
                "contrast": names,
                "estimate": est,
                "se": se,
                "ci_low": est - crit * se,
                "ci_high": est + crit * se,
                "df": df,
                "t": np.divide(est, se, out=np.full(est.size, np.nan), where=se > 0),
            }
        )
        frame["p"] = 2 * stats.t.sf(np.abs(frame["t"]), df) if df > 0 else np.nan
        return Estimates.build(frame, cov)

    def _row_of(self, label: str, level: str | None) -> int:
        labels = self["by"].astype(object).map(lambda v: None if pd.isna(v) else str(v))
        mask = labels == str(label)
        if level is not None and "level" in self:
            mask &= self["level"].astype(str) == str(level)
        hits = np.flatnonzero(mask.to_numpy())
        if hits.size != 1:
            known = sorted(set(labels.dropna()))
            raise EstimationError(
                f"domain {label!r} names {hits.size} rows of the table; domains: {known}"
                + ("; give level= for a categorical variable" if hits.size > 1 else "")
            )
        return int(hits[0])

    def difference(self, a: str, b: str, *, level: str | None = None) -> Estimates:
        """The difference ``a - b`` between two domains (``by`` labels) with its SE.

        The SE uses the covariance of the two domain estimates, as R's
        ``svycontrast(svyby(..., covmat = TRUE), ...)``.
        """
        c = np.zeros(len(self))
        c[self._row_of(a, level)] += 1.0
        c[self._row_of(b, level)] -= 1.0
        return self.contrast({f"{a} - {b}": c})

    def term_test(self, *terms: str, method: str = "Wald") -> pd.DataFrame:
        """Test that every coefficient of the model terms is zero (R's
        ``regTermTest(fit, ~a + b, method = )``), on the glm's residual degrees of freedom.

        Terms are named as in the formula, with the data's column names: ``"stype"``,
        ``"stype:ell"``. ``method``: ``"Wald"`` (F test), ``"LRT"`` (the working
        likelihood ratio, whose null distribution is a weighted sum of chi-squares: Rao-Scott,
        saddlepoint approximation) or ``"WorkingWald"`` (the Wald statistic on the model's
        unweighted-information covariance, with the same null distribution).
        """
        if method not in ("Wald", "LRT", "WorkingWald"):
            raise EstimationError(f"method must be Wald, LRT or WorkingWald, not {method!r}")
        known = (getattr(self, "info", None) or {}).get("terms")
        if known is None:
            raise EstimationError("term_test needs the result of glm(...)")
        rows = [i for i, t in enumerate(known) if t in terms]
        missing = [t for t in terms if t not in known]
        if missing or not rows:
            raise EstimationError(
                f"terms {missing or list(terms)} are not in the model; its terms: "
                f"{sorted(set(known) - {'Intercept'})}"
            )
        if method != "Wald":
            out = self._working_test(rows, set(terms), method)
        else:
            c = np.zeros((len(rows), len(self)))
            c[np.arange(len(rows)), rows] = 1.0
            out = self.wald_test(c, df=self.info["ddf"])
        out.insert(0, "terms", " + ".join(terms))
        return out

    def _working_test(self, rows: list[int], terms: set, method: str) -> pd.DataFrame:
        from lublin_diagnosis.survey._lrt import p_f_sum

        idx = np.ix_(rows, rows)
        v, v0 = self.vcov[idx], self.info["naive_cov"][idx]
        beta = self["estimate"].to_numpy(dtype=float)[rows]
        if method == "LRT":
            chisq = self.info["refit_without"](terms) - self.info["deviance"]
        else:
            chisq = float(beta @ np.linalg.solve(v0, beta))
        misspec = np.linalg.eigvals(np.linalg.solve(v0, v)).real
        ddf = self.info["ddf"]
        return pd.DataFrame(
            [
                {
                    "chisq": float(chisq),
                    "ndf": float(len(rows)),
                    "ddf": ddf,
                    "p": p_f_sum(float(chisq), misspec, ddf),
                    "method": method,
                }
            ]
        )

    def wald_test(self, contrasts=None, *, df: float | None = None) -> pd.DataFrame:
        """Wald F test of ``C @ estimate = 0`` (R's ``regTermTest(method = "Wald")``).

        Parameters
        ----------
        contrasts : array (m, k), optional
            Default: the differences of every row with the first (all estimates equal),
            the test of equal domain means.
        df : float, optional
            Denominator degrees of freedom; default the table's ``df`` less ``m``
            (the residual df of the equivalent glm, as R).

        Returns
        -------
        DataFrame
            One row: ``F, ndf, ddf, p, chisq``.
        """
        k = len(self)
        if contrasts is None:
            if k < 2:
                raise EstimationError("a test of equal estimates needs at least two rows")
            c = np.hstack([-np.ones((k - 1, 1)), np.eye(k - 1)])
        else:
            c, _ = self._matrix(contrasts)
        diff = c @ self["estimate"].to_numpy(dtype=float)
        cov = c @ self.vcov @ c.T
        chisq = float(diff @ np.linalg.pinv(cov) @ diff)
        ndf = int(np.linalg.matrix_rank(cov))
        if df is None:
            df = float(np.min(self["df"].to_numpy(dtype=float))) - ndf
        f_stat = chisq / ndf if ndf > 0 else float("nan")
        p = float(stats.f.sf(f_stat, ndf, df)) if df > 0 and ndf > 0 else float("nan")
        return pd.DataFrame(
            [{"F": f_stat, "ndf": float(ndf), "ddf": float(df), "p": p, "chisq": chisq}]
        )
