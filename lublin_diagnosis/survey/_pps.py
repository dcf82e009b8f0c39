"""Designs with PSUs drawn with unequal probabilities and without replacement (PPS).

Two variance estimators, as R's ``svydesign(pps = )``:

* ``"brewer"`` — Brewer's approximation: the with-replacement formula with each PSU's
  squared deviation multiplied by ``1 - pi_i`` (its own finite-population correction), so
  that only the first-order inclusion probabilities are needed (R's ``pps = "brewer"``,
  the probabilities given as ``fpc``);
* a joint-probability matrix ``pi_ij`` — the Horvitz-Thompson variance
  ``x' D x`` with ``D_ij = (pi_ij - pi_i pi_j) / pi_ij`` on the PSU totals ``x`` of the
  weighted influence values (R's ``pps = ppsmat(pij)``), entries of ``D`` below the
  tolerance set to zero as R does.

>>> import pandas as pd
>>> from lublin_diagnosis.survey import SurveyDesign
>>> df = pd.DataFrame({"y": [3.0, 5.0, 9.0], "p": [0.2, 0.3, 0.5]})
>>> d = SurveyDesign.from_pps(df, probs="p", method="brewer")
>>> d.weights.round(3).tolist()
[5.0, 3.333, 2.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lublin_diagnosis.survey._errors import DesignError
from lublin_diagnosis.survey._variance import Stage

__all__ = ["dcheck_matrix", "pps_stage"]


def _probabilities(data: pd.DataFrame, probs: str) -> np.ndarray:
    if probs not in data.columns:
        raise DesignError(f"probs {probs!r} is not a column of the data")
    p = pd.to_numeric(data[probs], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(p) | (p <= 0) | (p > 1)
    if bad.any():
        raise DesignError(
            f"inclusion probabilities {probs!r} must be in (0, 1]; rows "
            f"{list(data.index[bad][:8])} are not"
        )
    return p


def pps_stage(stage: Stage, probs: np.ndarray) -> Stage:
    """The first stage with Brewer's per-PSU correction: population size ``n_h / pi_i``
    for the rows of PSU ``i`` (so that ``1 - n_h / N = 1 - pi_i``)."""
    first = stage.first_row
    pi_psu = probs[first]
    if np.any(np.abs(probs - pi_psu[stage.cluster]) > 1e-12):
        raise DesignError("the inclusion probability must be the same for all rows of a PSU")
    return Stage(
        stage.cluster,
        stage.strata,
        stage.n_psu,
        stage.n_psu / probs,
        stage.strata_labels,
    )


def dcheck_matrix(joint: np.ndarray, n_psu: int, tolerance: float = 1e-4) -> np.ndarray:
    """R's ``pi2Dcheck``: ``(pi_ij - pi_i pi_j) / pi_ij``, with |entries| below
    ``tolerance`` set to zero.

    >>> dcheck_matrix(np.array([[0.5, 0.2], [0.2, 0.4]]), 2).round(3).tolist()
    [[0.5, 0.0], [0.0, 0.6]]
    """
    pij = np.asarray(joint, dtype=float)
    if pij.shape != (n_psu, n_psu):
        raise DesignError(
            f"the joint inclusion probabilities must be a {n_psu} × {n_psu} matrix (one "
            f"row and column per PSU, in data order), not {pij.shape}"
        )
    if not np.allclose(pij, pij.T) or np.any(pij <= 0):
        raise DesignError("joint inclusion probabilities must be symmetric and positive")
    d = (pij - np.outer(np.diag(pij), np.diag(pij))) / pij
    d[np.abs(d) < tolerance] = 0.0
    return d


def build(cls, data, *, ids, strata, weights, probs, method, joint, tolerance, lonely_psu):
    """The design of :meth:`SurveyDesign.from_pps`."""
    ids_l = [] if ids is None else ([ids] if isinstance(ids, str) else list(ids))
    if len(ids_l) > 1:
        raise DesignError("PPS designs here have one stage: give one cluster variable")
    p = _probabilities(data, probs)
    design = cls(
        data,
        ids=ids_l or None,
        strata=strata,
        weights=1.0 / p if weights is None else weights,
        lonely_psu=lonely_psu,
    )
    stage = design._stages[0]
    if method == "brewer":
        new_stage = pps_stage(stage, p)
        return design._clone(_stages=(new_stage,) + design._stages[1:])
    if method == "ht":
        if joint is None:
            raise DesignError("method='ht' needs the joint inclusion probabilities (joint=)")
        d = dcheck_matrix(joint, stage.n_clusters, tolerance)
        order = np.argsort(stage.first_row, kind="stable")  # PSU codes in data order
        opts = dict(design._var_opts, pps_dcheck=(order, d))
        return design._clone(_var_opts=opts)
    raise DesignError(f"method must be 'brewer' or 'ht', not {method!r}")
