"""Taylor-linearisation variance for stratified multistage designs.

The variance of an estimator is computed from its *influence values*: one row per
respondent, already multiplied by the weight (``x_i = w_i z_i``). The design-based variance
is that of the estimated total of ``x``:

1. calibration residuals: every weight adjustment (post-stratification, raking, GREG
   calibration) replaces ``x`` by its residual from the adjustment's projection, as R's
   ``survey::svyrecvar`` does, so the variance reflects the weighting rather than treating
   the adjusted weights as fixed;
2. stage by stage: PSU totals are centred within their stratum and scaled by
   ``f_h n_h / (n_h - 1)`` with ``f_h = 1 - n_h / N_h`` (the finite-population correction);
   when a first-stage fpc is given, the within-PSU variance of the next stage is added,
   multiplied by the first-stage sampling fraction, recursively.

Everything is vectorised over rows and over the columns of ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lublin_diagnosis.survey._errors import DesignError, LonelyPSUError
from lublin_diagnosis.survey._influence import DenseInfluence
from lublin_diagnosis.survey._sums import register_runs, rowsum

__all__ = ["LONELY_PSU_POLICIES", "Stage", "multistage_variance"]

#: lonely-PSU policies, as R's ``options(survey.lonely.psu=)``
LONELY_PSU_POLICIES = ("fail", "adjust", "average", "remove", "certainty")


@dataclass(frozen=True)
class Stage:
    """One sampling stage of a design, in per-row form.

    Attributes
    ----------
    cluster : ndarray of int
        Cluster code of every row, ``0 .. n_clusters - 1``, unique across strata.
    strata : ndarray of int
        Stratum code of every row, ``0 .. n_strata - 1``.
    n_psu : ndarray of float
        Number of sampled clusters in the row's stratum (at design time).
    popsize : ndarray of float or None
        Number of population clusters in the row's stratum (``inf`` when unknown);
        ``None`` when no finite-population correction was given.
    strata_labels : tuple
        Readable label of every stratum code, for messages.
    """

    cluster: np.ndarray
    strata: np.ndarray
    n_psu: np.ndarray
    popsize: np.ndarray | None
    strata_labels: tuple
    first_row: np.ndarray = field(init=False, repr=False, compare=False)
    _cluster_table: tuple | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        n_cl = int(self.cluster.max()) + 1 if self.cluster.size else 0
        # clusters sorted in the data: their runs give the first rows, and later cluster
        # totals are sums of runs (see _sums.register_runs)
        first = register_runs(self.cluster, n_cl)  # known when the ids were coded
        if first is None:
            first = np.empty(n_cl, dtype=np.int64)
            first[self.cluster[::-1]] = np.arange(self.cluster.size - 1, -1, -1)
        object.__setattr__(self, "first_row", first)

    def cluster_table(self) -> dict:
        """Per cluster: its stratum ``h``, the PSUs of its stratum ``n_h``, its
        finite-population factor ``f`` (``1 - n_h / N_h``), the variance factor ``scale``
        (``f n_h / (n_h - 1)``), whether it is a certainty or a lonely PSU; the clusters
        of every stratum ``str_n``, and whether they agree with ``n_psu``. Computed once
        per stage (stages are immutable) and reused by every estimate."""
        if self._cluster_table is None:
            first = self.first_row
            h = self.strata[first]
            h.setflags(write=False)
            n_h = self.n_psu[first]
            if self.popsize is None:
                f = np.ones_like(n_h)
            else:
                big_n = self.popsize[first]
                inf = np.isinf(big_n)
                f = np.where(inf, 1.0, (big_n - n_h) / np.where(inf, 1.0, big_n))
            str_n = np.bincount(h, minlength=self.n_strata)
            register_runs(h, self.n_strata)
            certainty = f < 1e-7
            table = {
                "h": h,
                "n_h": n_h,
                "f": f,
                "str_n": str_n,
                "consistent": not np.any(str_n[h] != n_h),
                "certainty": certainty,
                "lonely": (n_h == 1) & ~certainty,
                "scale": np.where(n_h > 1, f * n_h / np.maximum(n_h - 1, 1), f),
            }
            object.__setattr__(self, "_cluster_table", table)
        return self._cluster_table  # type: ignore[return-value]

    @property
    def n_clusters(self) -> int:
        return self.first_row.size

    @property
    def n_strata(self) -> int:
        return len(self.strata_labels)


def _present(x, stage: Stage, h: np.ndarray, n_str: int) -> np.ndarray | None:
    """(n_strata × p) number of clusters of each stratum with rows in each column's domain
    (R subsets the design to the domain), or ``None`` when the influence cannot tell."""
    if not hasattr(x, "row_counts"):
        return None
    in_cluster = x.row_counts(stage.cluster, stage.n_clusters) > 0  # (n_clusters, p)
    return rowsum(in_cluster.astype(float), h, n_str)


def _average_scale(v, present, excluded_cols, n_str_present, n_ok_all) -> np.ndarray:
    """R's ``nstrat / nokstrat`` of ``lonely_psu="average"``, column by column when the
    strata present differ between domains."""
    if present is None:
        return v * (n_str_present / n_ok_all) if n_ok_all > 0 else v * np.nan
    has = present > 0
    n_tot = has.sum(axis=0)
    n_ok = (has & ~excluded_cols).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(n_ok > 0, n_tot / np.maximum(n_ok, 1), np.nan)
    return v * np.sqrt(np.outer(c, c))


def _stratum_variance(
    x,
    stage: Stage,
    lonely_psu: str,
    stage_no: int,
    multiplier: np.ndarray | None,
    adjust_domain_lonely: bool = False,
) -> np.ndarray:
    """Between-cluster variance at one stage, summed over strata (p × p).

    ``x`` is an influence object with a ``totals(codes, n_groups)`` method (see
    :mod:`lublin_diagnosis.survey._influence`).
    """
    n_cl = stage.n_clusters
    totals = x.totals(stage.cluster, n_cl)  # (n_clusters, p)
    table = stage.cluster_table()
    h, str_n = table["h"], table["str_n"]  # str_n: clusters of each stratum
    n_str = stage.n_strata
    str_sum = rowsum(totals, h, n_str)
    if not table["consistent"]:
        raise DesignError(
            f"stage {stage_no}: the number of PSUs per stratum (n_psu) disagrees with the "
            "clusters of the stage; build stages with survey._setup.sampling_stages"
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        str_mean = str_sum / np.maximum(str_n, 1)[:, None]
    certainty = table["certainty"]
    scale = table["scale"]
    if multiplier is not None:
        scale = scale * multiplier[stage.first_row]
    dev = totals - str_mean[h]
    nstrat_present = np.flatnonzero(str_n)
    excluded = np.zeros(n_str, dtype=bool)
    lonely_bad = table["lonely"]
    if lonely_bad.any():
        bad_strata = np.unique(h[lonely_bad])
        if lonely_psu == "fail":
            labels = ", ".join(repr(stage.strata_labels[s]) for s in bad_strata[:10])
            raise LonelyPSUError(
                f"stratum {labels} has only one PSU at stage {stage_no}, so its variance "
                "cannot be estimated. Collapse it with a neighbouring stratum, or choose a "
                "lonely-PSU policy: lonely_psu='adjust' (centre at the grand mean), "
                "'average', 'remove' or 'certainty'."
            )
        if lonely_psu == "adjust":
            # centred at zero rather than at its own (single-PSU) mean, as R survey 4.1
            dev[lonely_bad] = totals[lonely_bad]
        elif lonely_psu in ("remove", "certainty"):
            dev[lonely_bad] = 0.0
        elif lonely_psu == "average":
            dev[lonely_bad] = 0.0
            excluded[bad_strata] = True
    present = (
        _present(x, stage, h, n_str)
        if lonely_psu == "average" or (adjust_domain_lonely and lonely_psu == "adjust")
        else None
    )
    # strata with several PSUs but one in a column's domain (R's survey.adjust.domain.lonely)
    dom_lonely = np.zeros((n_str, dev.shape[1]), dtype=bool)
    if adjust_domain_lonely and present is not None:
        dom_lonely = (present == 1) & (str_n > 1)[:, None]
        if lonely_psu == "adjust":
            dev = np.where(dom_lonely[h], totals, dev)  # centred at zero, no padding
        else:
            dev = np.where(dom_lonely[h], 0.0, dev)
    dev[certainty] = 0.0
    if np.all(scale >= 0):  # X'X of one matrix: BLAS computes half of it (syrk)
        root = dev * np.sqrt(scale)[:, None]
        v = root.T @ root
    else:
        v = (dev * scale[:, None]).T @ dev
    if lonely_psu == "average" and (excluded.any() or dom_lonely.any()):
        n_total = nstrat_present.size
        n_ok = n_total - int(excluded[nstrat_present].sum())
        v = _average_scale(v, present, excluded[:, None] | dom_lonely, n_total, n_ok)
    return v


def multistage_variance(
    x,
    stages: list[Stage],
    *,
    lonely_psu: str = "fail",
    one_stage: bool = False,
    adjust_domain_lonely: bool = False,
) -> np.ndarray:
    """Variance (p × p) of the estimated totals of the columns of ``x``.

    Parameters
    ----------
    x : ndarray (n,) or (n, p), or an influence object
        Weighted influence values (already residualised for calibration), or any object
        with a ``totals(codes, n_groups)`` method (:mod:`lublin_diagnosis.survey._influence`).
    stages : list of Stage
        The sampling stages, first stage first.
    lonely_psu : str
        Policy for strata with one PSU: ``"fail"``, ``"adjust"``, ``"average"``,
        ``"remove"`` or ``"certainty"``.
    one_stage : bool
        Use only the first stage (R's ``survey.ultimate.cluster``).
    adjust_domain_lonely : bool
        Treat a stratum with one PSU in a domain as lonely (R's
        ``survey.adjust.domain.lonely``).

    Examples
    --------
    >>> st = Stage(np.arange(4), np.zeros(4, dtype=int), np.full(4, 4.0), None, ("all",))
    >>> round(float(multistage_variance(np.array([1.0, 2.0, 3.0, 4.0]), [st])[0, 0]), 6)
    6.666667
    """
    if not hasattr(x, "totals"):
        x = DenseInfluence(x)
    return _multistage(x, stages, (lonely_psu, adjust_domain_lonely), one_stage, 1, None)


def _multistage(x, stages, lonely, one_stage, stage_no, multiplier):
    stage = stages[0]
    v = _stratum_variance(x, stage, lonely[0], stage_no, multiplier, lonely[1])
    if not one_stage and stage.popsize is not None and len(stages) > 1:
        frac = stage.n_psu / stage.popsize  # first-stage sampling fraction of each row
        mult = frac if multiplier is None else multiplier * frac
        # the next stage's strata are this stage's clusters, so one call covers them all;
        # its multiplier is looked up per cluster of the next stage
        v = v + _multistage(x, stages[1:], lonely, one_stage, stage_no + 1, mult)
    return v
