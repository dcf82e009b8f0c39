"""Plain numpy implementations of the benchmarked operations: the floor to compare with.

Each function does the same arithmetic as the engine's operation on the benchmark's data
(``bench_survey.make_data``), written directly with ``bincount`` and BLAS, with no
checking, no labels and no general design support: a one-stage stratified cluster design,
categorical margins coded ``0 .. k-1`` and integer PSU and stratum ids. They return their
numbers, so the benchmark can check that they agree with the engine's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MARGIN_NAMES = ("m2", "m6", "m8", "m27")


def _dense(ids: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer ids to codes ``0 .. k-1`` through a presence table (no sort)."""
    lo = int(ids.min())
    seen = np.bincount(ids - lo)
    lookup = np.cumsum(seen > 0) - 1
    return lookup[ids - lo], int(lookup[-1]) + 1


def _targets(margins: dict, name: str) -> np.ndarray:
    cats = margins[name]
    return np.array([cats[str(i)] for i in range(len(cats))])


def design_setup(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """PSU codes, the stratum of every PSU, the PSUs per stratum of every PSU, n_psu."""
    psu, k = _dense(frame["psu"].to_numpy())
    strata, _ = _dense(frame["stratum"].to_numpy())
    psu_stratum = np.zeros(k, dtype=np.int64)
    psu_stratum[psu] = strata
    n_h = np.bincount(psu_stratum)
    return psu, psu_stratum, n_h[psu_stratum].astype(float), k


def _between_psu(totals: np.ndarray, psu_stratum: np.ndarray, n_h: np.ndarray) -> np.ndarray:
    """Variance of estimated totals from PSU totals (k × p): centred within strata."""
    n_str = int(psu_stratum.max()) + 1
    p = totals.shape[1]
    flat = psu_stratum[:, None] * p + np.arange(p)
    means = np.bincount(flat.ravel(), weights=totals.ravel(), minlength=n_str * p)
    means = means.reshape(n_str, p) / np.bincount(psu_stratum)[:, None]
    dev = totals - means[psu_stratum]
    return np.einsum("kp,kp,k->p", dev, dev, n_h / (n_h - 1))


def taylor_mean_prop(frame: pd.DataFrame) -> list[tuple[float, float]]:
    """Design set-up, then the mean of ``y`` and of ``b`` with their Taylor SEs."""
    psu, psu_stratum, n_h, k = design_setup(frame)
    w = frame["w"].to_numpy()
    total_w = w.sum()
    out = []
    for col in ("y", "b"):
        y = frame[col].to_numpy()
        est = (w @ y) / total_w
        z = w * (y - est) / total_w
        t = np.bincount(psu, weights=z, minlength=k)[:, None]
        out.append((float(est), float(np.sqrt(_between_psu(t, psu_stratum, n_h)[0]))))
    return out


def domain_means(frame: pd.DataFrame, by: str = "m27") -> tuple[np.ndarray, np.ndarray]:
    """Means of ``y`` in the domains of ``by``, with SEs, from (PSU × domain) totals."""
    psu, psu_stratum, n_h, k = design_setup(frame)
    d = frame[by].cat.codes.to_numpy().astype(np.int64)
    n_d = int(d.max()) + 1
    w = frame["w"].to_numpy()
    y = frame["y"].to_numpy()
    w_d = np.bincount(d, weights=w, minlength=n_d)
    est = np.bincount(d, weights=w * y, minlength=n_d) / w_d
    z = w * (y - est[d]) / w_d[d]
    t = np.bincount(psu * n_d + d, weights=z, minlength=k * n_d).reshape(k, n_d)
    return est, np.sqrt(_between_psu(t, psu_stratum, n_h))


def ipf_cells(table: np.ndarray, codes: list, targets: list, tol: float, max_iter: int):
    """Raking factors of a (cells × R) table of weights to the margins, in cell space."""
    factor = np.ones_like(table)
    old = table.copy()
    eps = tol * table[:, 0].sum()
    indicators = []
    for c, t in zip(codes, targets, strict=True):
        ind = np.zeros((t.size, c.size))
        ind[c, np.arange(c.size)] = 1.0
        indicators.append(ind)
    for _ in range(max_iter):
        for c, t, ind in zip(codes, targets, indicators, strict=True):
            sums = ind @ (table * factor)
            factor *= (t[:, None] / sums)[c]
        new = table * factor
        if np.max(np.abs(new - old)) < eps:
            break
        old = new
    return factor


def rake(frame: pd.DataFrame, margins: dict, tol: float = 1e-7, max_iter: int = 100):
    """Iterative proportional fitting of the row weights (the textbook loop over rows)."""
    codes = [frame[m].cat.codes.to_numpy().astype(np.int64) for m in MARGIN_NAMES]
    targets = [_targets(margins, m) for m in MARGIN_NAMES]
    w = frame["w"].to_numpy().copy()
    eps = tol * w.sum()
    for _ in range(max_iter):
        for c, t in zip(codes, targets, strict=True):
            w *= (t / np.bincount(c, weights=w, minlength=t.size))[c]
        off = max(
            np.max(np.abs(np.bincount(c, weights=w, minlength=t.size) - t))
            for c, t in zip(codes[:-1], targets[:-1], strict=True)
        )
        if off < eps:
            break
    return w


def greg(frame: pd.DataFrame, margins: dict, numeric: dict | None = None) -> np.ndarray:
    """Linear (GREG) calibration: intercept, treatment dummies, numeric columns; dense X."""
    n = len(frame)
    cols = [np.ones(n)]
    pop = [sum(margins[MARGIN_NAMES[0]].values())]
    for m in MARGIN_NAMES:
        c = frame[m].cat.codes.to_numpy()
        t = _targets(margins, m)
        for i in range(1, t.size):
            cols.append((c == i).astype(float))
            pop.append(t[i])
    for var, total in (numeric or {}).items():
        cols.append(frame[var].to_numpy())
        pop.append(total)
    x = np.column_stack(cols)
    w = frame["w"].to_numpy()
    lam = np.linalg.solve((x * w[:, None]).T @ x, np.array(pop) - x.T @ w)
    return w * (1 + x @ lam)


def bootstrap_raked_mean(
    frame: pd.DataFrame, margins: dict, replicates: int, seed: int = 1, tol: float = 1e-7
) -> tuple[float, float]:
    """Rao-Wu bootstrap of PSUs within strata, every replicate raked, SE of the mean of y."""
    psu, psu_stratum, n_h, k = design_setup(frame)
    rng = np.random.default_rng(seed)
    codes = [frame[m].cat.codes.to_numpy().astype(np.int64) for m in MARGIN_NAMES]
    radix = [int(c.max()) + 1 for c in codes]
    cell = np.zeros(len(frame), dtype=np.int64)
    for c, r in zip(codes, radix, strict=True):
        cell = cell * r + c
    cell, n_cells = _dense(cell)
    first = np.zeros(n_cells, dtype=np.int64)
    first[cell] = np.arange(cell.size)
    cell_codes = [c[first] for c in codes]
    targets = [_targets(margins, m) for m in MARGIN_NAMES]
    factors = np.empty((k, replicates))
    for h in range(int(psu_stratum.max()) + 1):
        members = np.flatnonzero(psu_stratum == h)
        m = members.size
        draws = rng.integers(0, m, (m - 1, replicates))
        counts = np.zeros((m, replicates))
        np.add.at(counts, (draws, np.arange(replicates)), 1.0)
        factors[members] = counts * m / (m - 1)
    w = frame["w"].to_numpy()
    wy = w * frame["y"].to_numpy()
    tw = np.empty((n_cells, replicates + 1))
    twy = np.empty((n_cells, replicates + 1))
    tw[:, 0] = np.bincount(cell, weights=w, minlength=n_cells)
    twy[:, 0] = np.bincount(cell, weights=wy, minlength=n_cells)
    for r in range(replicates):
        f = factors[psu, r]
        tw[:, r + 1] = np.bincount(cell, weights=w * f, minlength=n_cells)
        twy[:, r + 1] = np.bincount(cell, weights=wy * f, minlength=n_cells)
    fac = ipf_cells(tw, cell_codes, targets, tol, 100)
    theta = (fac * twy).sum(axis=0) / (fac * tw).sum(axis=0)
    return float(theta[0]), float(np.sqrt(np.var(theta[1:], ddof=1)))
