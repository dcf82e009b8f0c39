"""Tail probabilities of weighted sums of chi-squares, for working likelihood-ratio tests.

Under a complex design the working (weighted) likelihood-ratio statistic of a glm term is
distributed as ``sum_i a_i X_i`` with ``X_i`` independent chi-squares on one degree of
freedom and ``a_i`` the eigenvalues of ``V0^-1 V`` (the design effects of the term; Rao
and Scott). With a finite denominator df each ``X_i`` is scaled by an independent
``chi2(ddf) / ddf``. As R's ``survey::pchisqsum`` and ``pFsum``, the tail is computed
with a saddlepoint approximation, falling back to Satterthwaite's.

>>> round(p_chisq_sum(3.84, np.array([1.0])), 4)  # R: pchisqsum(3.84, 1, 1) 0.0517
0.0517
>>> bool(abs(p_f_sum(4.0, np.array([1.0, 1.0]), 20) - stats.f.sf(2.0, 2, 20)) < 0.01)
True
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, stats

__all__ = ["p_chisq_sum", "p_f_sum"]


def _saddle(x: float, lam: np.ndarray) -> float:
    """Saddlepoint upper tail of ``sum lam_i chi2_1`` at ``x`` (R's ``survey:::saddle``);
    ``nan`` where the approximation breaks down."""
    d = float(np.max(lam))
    lam = lam / d
    x = x / d

    def k0(z: float) -> float:
        return float(-np.sum(np.log(1 - 2 * z * lam)) / 2)

    def k1(z: float) -> float:
        return float(np.sum(lam / (1 - 2 * z * lam)))

    def k2(z: float) -> float:
        return float(2 * np.sum(lam**2 / (1 - 2 * z * lam) ** 2))

    if np.any(lam < 0):
        lmin = float(np.max(1 / (2 * lam[lam < 0]))) * 0.99999
    elif x > lam.sum():
        lmin = -0.01
    else:
        lmin = -lam.size / (2 * x)
    lmax = float(np.min(1 / (2 * lam[lam > 0]))) * 0.99999
    try:
        zeta = optimize.brentq(lambda z: k1(z) - x, lmin, lmax, xtol=1e-12, rtol=1e-12)
    except ValueError:
        return float("nan")
    if abs(zeta) < 1e-4:
        return float("nan")
    w = np.sign(zeta) * np.sqrt(2 * (zeta * x - k0(zeta)))
    v = zeta * np.sqrt(k2(zeta))
    return float(stats.norm.sf(w + np.log(v / w) / w))


def _satterthwaite(x: float, a: np.ndarray, ddf: float) -> float:
    tr = a.mean()
    tr2 = np.mean(a**2) / tr**2
    scale, ndf = tr * tr2, a.size / tr2
    if np.isinf(ddf):
        return float(stats.chi2.sf(x / scale, ndf))
    return float(stats.f.sf(x / ndf / scale, ndf, ddf))


def p_chisq_sum(x: float, a: np.ndarray) -> float:
    """Upper tail of ``sum a_i chi2_1`` (R's ``pchisqsum(method = "saddlepoint")``)."""
    a = np.asarray(a, dtype=float)
    p = _saddle(float(x), a) if x > 0 else float("nan")
    return _satterthwaite(float(x), a, np.inf) if np.isnan(p) else p


def p_f_sum(x: float, a: np.ndarray, ddf: float) -> float:
    """Upper tail of ``sum a_i chi2_1`` over ``chi2_ddf / ddf`` (R's ``pFsum``)."""
    a = np.asarray(a, dtype=float)
    if np.isinf(ddf):
        return p_chisq_sum(x, a)
    lam = np.concatenate([a, np.full(int(round(ddf)), -float(x) / ddf)])
    p = _saddle(0.0, lam)
    return _satterthwaite(float(x), a, ddf) if np.isnan(p) else p
