"""The survey design: sampling structure, weights, and their adjustments.

A :class:`SurveyDesign` is immutable. Every adjustment (:meth:`~SurveyDesign.rake`,
:meth:`~SurveyDesign.poststratify`, :meth:`~SurveyDesign.calibrate`,
:meth:`~SurveyDesign.trim`) and :meth:`~SurveyDesign.replicate` returns a new design and
leaves the old one as it was::

    >>> import pandas as pd
    >>> import lublin_diagnosis as ld
    >>> df = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3], "sex": list("FMFMFF"),
    ...                    "w": [10.0] * 6, "y": [1, 0, 1, 1, 0, 1]})
    >>> d = ld.SurveyDesign(df, ids=["psu"], weights="w")
    >>> raked = d.rake({"sex": {"F": 40, "M": 20}})
    >>> float(raked.weights.sum()), float(d.weights.sum())
    (60.0, 60.0)

Standard errors follow R's ``survey`` package: Taylor linearisation for stratified
multistage designs with a finite-population correction at each stage, computed on the
calibration residuals after any weight adjustment; or replicate weights, where every
replicate is adjusted again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lublin_diagnosis.survey import _calibration as _cal
from lublin_diagnosis.survey import _setup
from lublin_diagnosis.survey import _weighting as _wt
from lublin_diagnosis.survey._errors import DesignError
from lublin_diagnosis.survey._influence import DenseInfluence, GroupCellCache, as_corrected
from lublin_diagnosis.survey._replicates import (
    REPLICATE_TYPES,
    FactoredReplicates,
    ReplicateWeights,
    bootstrap_factors,
    brr_factors,
    jk1_factors,
    jkn_factors,
    subbootstrap_factors,
)
from lublin_diagnosis.survey._sums import rowsum
from lublin_diagnosis.survey._variance import LONELY_PSU_POLICIES, multistage_variance

__all__ = ["SurveyDesign", "WeightDiagnostics"]


# -- calibration records: how an adjustment changes the influence values ----------------
#
# Each record turns an influence (see lublin_diagnosis.survey._influence) into its residual from
# the adjustment's projection, as R's svyrecvar does, in the form
# ``x - rowweight ⊙ C[cell]`` so that no n × p matrix is needed.


@dataclass(frozen=True)
class _PostStratCal:
    codes: np.ndarray  # post-stratum of every row
    n_levels: int
    psw: np.ndarray  # weights after post-stratification
    oldw: np.ndarray  # weights before
    cache: GroupCellCache = field(default_factory=GroupCellCache, compare=False, repr=False)

    def residualize(self, influence):
        sums = influence.totals(self.codes, self.n_levels, scale=self.oldw / self.psw)
        base = np.bincount(self.codes, weights=self.oldw, minlength=self.n_levels)
        with np.errstate(divide="ignore", invalid="ignore"):
            means = sums / base[:, None]
        means[~np.isfinite(means)] = 0.0
        out = as_corrected(influence)
        out.corrections.append((self.psw, self.codes, self.n_levels, means, self.cache))
        return out


@dataclass(frozen=True)
class _RakeCal:
    """R's raking residual: ``sweeps`` rounds of post-stratification projections.

    Worked in the cells of the margins' cross-classification: with ``b`` the weights
    before raking and ``phi[m]`` the cell factor after margin ``m``'s step of the last
    sweep, the projected values are ``x - b ⊙ C[cell]`` with ``C`` found in cell space.
    """

    b: np.ndarray
    cell: np.ndarray
    n_cells: int
    counts: np.ndarray  # rows per cell
    margins: tuple  # of (cell -> category codes, n_levels, phi)
    sweeps: int = 10
    cache: GroupCellCache = field(default_factory=GroupCellCache, compare=False, repr=False)

    def residualize(self, influence):
        k = self.n_cells
        s0 = influence.totals(self.cell, k + 1, scale=1.0 / self.b)[:k]
        coef = np.zeros_like(s0)
        n_k = self.counts[:, None]
        for _ in range(self.sweeps):
            for cm, n_levels, phi in self.margins:
                per_cell = (s0 - n_k * coef) / phi[:, None]
                n_g = np.bincount(cm, weights=self.counts, minlength=n_levels)
                ave = rowsum(per_cell, cm, n_levels) / np.maximum(n_g, 1)[:, None]
                coef = coef + phi[:, None] * ave[cm]
        out = as_corrected(influence)
        out.corrections.append(
            (
                self.b,
                self.cell,
                k + 1,
                np.vstack([coef, np.zeros((1, coef.shape[1]))]),
                self.cache,
            )
        )
        return out


@dataclass(frozen=True)
class _GregCal:
    """R's GREG residual ``x - w ⊙ X (X'W0X)⁻¹ X'(x / g)``, with ``X`` in cell form.

    ``w`` are the calibrated weights, ``g`` the g-weights and ``W0`` the weights before
    calibration; the categorical columns of ``X`` enter through the totals of the cells
    (one correction in cell space), each numeric column through one row vector.
    """

    model: _cal.CellModel
    g: np.ndarray  # full-sample g-weights of every row
    w: np.ndarray  # calibrated full-sample weights
    inv_gram: np.ndarray  # (p × p) pseudo-inverse of X' diag(w0) X
    cache: GroupCellCache = field(default_factory=GroupCellCache, compare=False, repr=False)

    @classmethod
    def build(cls, model: _cal.CellModel, w0: np.ndarray, w: np.ndarray) -> _GregCal:
        gram = model.gram(w0)
        diag = np.diag(gram)
        d = np.where(diag > 0, 1.0 / np.sqrt(np.where(diag > 0, diag, 1.0)), 0.0)
        inv = np.linalg.pinv(gram * d[:, None] * d[None, :], rcond=1e-12, hermitian=True)
        return cls(model, w / w0, w, inv * d[:, None] * d[None, :])

    def residualize(self, influence):
        m = self.model
        inv_g = 1.0 / self.g
        zeros = np.zeros(m.n_rows, dtype=np.int64)
        parts = [_cal._dot(m.cat.T, influence.totals(m.cell, m.n_cells, scale=inv_g))]
        parts += [influence.totals(zeros, 1, scale=m.num[:, j] * inv_g) for j in range(m.q)]
        beta = self.inv_gram @ np.vstack(parts)
        out = as_corrected(influence)
        if m.pc:
            out.corrections.append(
                (self.w, m.cell, m.n_cells, _cal._dot(m.cat, beta[: m.pc]), self.cache)
            )
        for j in range(m.q):
            out.corrections.append((self.w * m.num[:, j], zeros, 1, beta[m.pc + j][None, :]))
        return out


@dataclass(frozen=True)
class WeightDiagnostics:
    """What the weighting did: summary figures, margins achieved, adjustment steps.

    Attributes
    ----------
    summary : DataFrame
        One row: n, sum of weights, min/median/max weight, CV, Kish design effect and
        effective sample size.
    margins : DataFrame
        One row per margin category: target, achieved with the base weights and with the
        final weights, relative difference.
    adjustments : DataFrame
        One row per adjustment: kind, iterations, converged.
    """

    summary: pd.DataFrame
    margins: pd.DataFrame
    adjustments: pd.DataFrame

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        return (
            self.summary.to_html(index=False)
            + self.adjustments.to_html(index=False)
            + self.margins.to_html(index=False)
        )


class SurveyDesign:
    """A complex survey design: clusters, strata, weights, fpc, and weight adjustments.

    Parameters
    ----------
    data : DataFrame
        One row per respondent.
    ids : str or list of str, optional
        Cluster variable of each sampling stage (first stage first). ``None``: every row is
        its own PSU.
    strata : str, optional
        Stratum variable of the first stage.
    weights : str or array, optional
        Sampling weights (a column name or an array). ``None``: derived from ``fpc``, or
        equal weights.
    fpc : str or list of str, optional
        One column per stage holding either the sampling fraction (≤ 1) or the population
        number of units (> 1) of the row's stratum, as R reads it.
    nest : bool
        Cluster ids repeat across strata and are to be read within their stratum.
    lonely_psu : {"fail", "adjust", "average", "remove", "certainty"}
        What to do with a stratum that has a single PSU (R's ``survey.lonely.psu``).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"st": ["a", "a", "b", "b"], "w": [2.0, 2.0, 3.0, 3.0],
    ...                    "y": [1.0, 2.0, 3.0, 4.0]})
    >>> d = SurveyDesign(df, strata="st", weights="w")
    >>> d.mean("y")[["estimate", "se"]].round(3).to_dict("records")
    [{'estimate': 2.7, 'se': 0.361}]
    """

    __slots__ = (
        "_data",
        "_w",
        "_base_w",
        "_stages",
        "_cal",
        "_rep",
        "_lonely_psu",
        "_ops",
        "_spec",
        "_history",
        "_degf",
        "_var_opts",
    )

    def __init__(
        self,
        data: pd.DataFrame,
        *,
        ids: str | Sequence[str] | None = None,
        strata: str | None = None,
        weights: str | np.ndarray | None = None,
        fpc: str | Sequence[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ):
        if not isinstance(data, pd.DataFrame):
            raise DesignError(f"data must be a pandas DataFrame, not {type(data).__name__}")
        if len(data) == 0:
            raise DesignError("the survey data has no rows")
        spec = _setup.DesignSpec.parse(
            ids=ids, strata=strata, weights=weights, fpc=fpc, nest=nest, lonely_psu=lonely_psu
        )
        spec.check(data)
        stages = _setup.sampling_stages(data, spec)
        w = _setup.design_weights(data, weights, stages)
        self._data = data.copy(deep=False)
        self._w = w
        self._base_w = w
        self._stages = stages
        self._cal: tuple = ()
        self._rep: ReplicateWeights | None = None
        self._lonely_psu = lonely_psu
        self._ops: tuple = ()
        self._spec = spec
        self._history: tuple = ()
        self._degf: int | None = None
        self._var_opts: dict = {}  # variance options: adjust_domain_lonely, ultimate_cluster

    # -- construction helpers ---------------------------------------------------------
    @classmethod
    def from_frame(cls, data: pd.DataFrame, **kwargs) -> SurveyDesign:
        """Alias of the constructor, for symmetry with :meth:`from_replicate_weights`."""
        return cls(data, **kwargs)

    @classmethod
    def from_replicate_weights(
        cls,
        data: pd.DataFrame,
        repweights: Sequence[str] | np.ndarray,
        *,
        weights: str | np.ndarray | None = None,
        type: str = "other",
        scale: float | None = None,
        rscales: Sequence[float] | None = None,
        combined_weights: bool = True,
        mse: bool = False,
        fay_rho: float | None = None,
    ) -> SurveyDesign:
        """A design from user-supplied replicate weights (R's ``svrepdesign``).

        Parameters
        ----------
        repweights : list of str or ndarray (n, R)
            Replicate weight columns, or a matrix.
        weights : str or array, optional
            Full-sample weights (default 1).
        type : {"JK1", "JKn", "BRR", "Fay", "bootstrap", "other"}
            Sets the default ``scale``: BRR 1/R, JK1 (R-1)/R, bootstrap 1/(R-1), other 1.
        combined_weights : bool
            ``True``: the replicate columns are the analysis weights; ``False``: they are
            factors that multiply the full-sample weights.
        fay_rho : float, optional
            Fay's coefficient ρ of ``type="Fay"`` (or BRR with ρ): the default scale is
            then ``1 / (R (1 - ρ)²)``, as R's ``svrepdesign(type = "Fay", rho = ρ)``.

        Examples
        --------
        >>> import numpy as np, pandas as pd
        >>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0]})
        >>> reps = np.array([[1.7, 0.3, 1.7, 0.3], [0.3, 1.7, 0.3, 1.7]]).T
        >>> d = SurveyDesign.from_replicate_weights(df, reps, type="Fay", fay_rho=0.3)
        >>> round(float(d.mean("y")["se"].iloc[0]), 4)
        0.5
        """
        if type not in REPLICATE_TYPES:
            raise DesignError(f"replicate type must be one of {REPLICATE_TYPES}, not {type!r}")
        design = cls(data, weights=weights)
        if isinstance(repweights, np.ndarray):
            mat = np.asarray(repweights, dtype=float)
        else:
            cols = list(repweights)
            missing = [c for c in cols if c not in data.columns]
            if missing:
                raise DesignError(f"replicate weight columns {missing} are not in the data")
            mat = data[cols].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
        if mat.ndim != 2 or mat.shape[0] != len(data):
            raise DesignError(f"replicate weights must be an (n, R) matrix with n = {len(data)}")
        if not np.all(np.isfinite(mat)):
            raise DesignError("replicate weights contain missing or non-numeric values")
        if not combined_weights:
            mat = mat * design._w[:, None]
        r = mat.shape[1]
        if fay_rho is not None and not 0 <= fay_rho < 1:
            raise DesignError(f"fay_rho must be in [0, 1), not {fay_rho!r}")
        if scale is None and fay_rho is not None and type in ("Fay", "BRR"):
            scale = 1.0 / (r * (1.0 - fay_rho) ** 2)
        if scale is None and type == "Fay":
            raise DesignError("type='Fay' needs fay_rho (Fay's coefficient ρ), or scale")
        if scale is None:
            scale = {
                "BRR": 1.0 / r,
                "Fay": 1.0 / r,
                "JK1": (r - 1) / r,
                "bootstrap": 1.0 / (r - 1),
                "subbootstrap": 1.0 / (r - 1),
                "JKn": 1.0,
                "other": 1.0,
            }[type]
        rs = np.ones(r) if rscales is None else np.asarray(rscales, dtype=float)
        if rs.size != r:
            raise DesignError(f"rscales has {rs.size} values for {r} replicates")
        new = design._clone(_rep=ReplicateWeights(type, mat, float(scale), rs, mse))
        return new

    @classmethod
    def from_pps(
        cls,
        data: pd.DataFrame,
        *,
        probs: str,
        ids: str | None = None,
        strata: str | None = None,
        weights: str | np.ndarray | None = None,
        method: str = "brewer",
        joint: np.ndarray | None = None,
        tolerance: float = 1e-4,
        lonely_psu: str = "fail",
    ) -> SurveyDesign:
        """A design whose PSUs were drawn with unequal probabilities, without replacement.

        Parameters
        ----------
        probs : str
            Column of the PSUs' first-order inclusion probabilities (R's ``fpc`` of a
            ``pps`` design).
        ids, strata : str, optional
            The PSU and stratum variables (one stage); default every row is a PSU.
        weights : str or array, optional
            Sampling weights; default ``1 / probs``.
        method : {"brewer", "ht"}
            Brewer's approximation (R's ``svydesign(pps = "brewer")``), or the
            Horvitz-Thompson variance with the joint probabilities ``joint`` (R's
            ``pps = ppsmat(joint)``).
        joint : ndarray (PSUs × PSUs), optional
            Joint inclusion probabilities, PSUs in data order (diagonal: ``probs``).
        tolerance : float
            Entries of the HT weighting matrix below it are set to zero (R's
            ``ppsmat(tolerance = )``).

        See :mod:`lublin_diagnosis.survey._pps`.
        """
        from lublin_diagnosis.survey import _pps

        return _pps.build(
            cls,
            data,
            ids=ids,
            strata=strata,
            weights=weights,
            probs=probs,
            method=method,
            joint=joint,
            tolerance=tolerance,
            lonely_psu=lonely_psu,
        )

    @classmethod
    def from_dataset(
        cls,
        dataset,
        *,
        rake: bool = True,
        lonely_psu: str = "fail",
        tol: float = 1e-7,
        max_iter: int = 100,
    ) -> SurveyDesign:
        """The survey design of a loaded dataset, raked to its population margins.

        Parameters
        ----------
        dataset : Dataset
            From :func:`lublin_diagnosis.load_dataset`; its ``dataset.yml`` declares the
            design (``ids``, ``strata``, ``weights``, optional ``fpc`` and ``nest``).
        rake : bool
            Rake the design weights to the dataset's margins (default).

        Examples
        --------
        >>> import lublin_diagnosis as ld
        >>> from pathlib import Path
        >>> demo = Path(ld.__file__).resolve().parents[1] / "data" / "demo"
        >>> design = ld.SurveyDesign.from_dataset(ld.load_dataset(demo))
        >>> design.n > 0
        True
        """
        spec = dict(dataset.meta.get("design") or {})
        design = cls(
            dataset.survey,
            ids=spec.get("ids"),
            strata=spec.get("strata"),
            weights=spec.get("weights"),
            fpc=spec.get("fpc"),
            nest=bool(spec.get("nest", False)),
            lonely_psu=spec.get("lonely_psu", lonely_psu),
        )
        if rake:
            design = design.rake(dataset.margins_dict(), tol=tol, max_iter=max_iter)
        return design

    def _clone(self, **changes) -> SurveyDesign:
        new = object.__new__(SurveyDesign)
        for slot in SurveyDesign.__slots__:
            object.__setattr__(new, slot, changes.get(slot, getattr(self, slot)))
        if "_degf" not in changes:
            object.__setattr__(new, "_degf", None if "_rep" in changes else self._degf)
        return new

    # -- properties ---------------------------------------------------------------------
    @property
    def data(self) -> pd.DataFrame:
        """The survey data (a view: do not modify it)."""
        return self._data

    @property
    def weights(self) -> np.ndarray:
        """The current (adjusted) full-sample weights, one per row."""
        return self._w.copy()

    @property
    def n(self) -> int:
        """Number of respondents."""
        return len(self._w)

    @property
    def is_replicate(self) -> bool:
        """Whether standard errors come from replicate weights."""
        return self._rep is not None

    @property
    def replicate_weights(self) -> np.ndarray | None:
        """The (n × R) replicate analysis weights, or ``None`` for a Taylor design."""
        return None if self._rep is None else self._rep.weights.copy()

    @property
    def degf(self) -> int:
        """Design degrees of freedom: PSUs minus strata, or replicate rank minus one."""
        if self._degf is None:
            if self._rep is not None:
                value = self._rep.degf()
            else:
                st = self._stages[0]
                value = st.n_clusters - st.n_strata
            object.__setattr__(self, "_degf", value)
            return int(value)
        return self._degf

    def domain_degf(self, mask: np.ndarray) -> int:
        """Degrees of freedom of a domain: its PSUs minus its strata (as R's subsets)."""
        if self._rep is not None:
            return self.degf
        st = self._stages[0]
        return int(np.unique(st.cluster[mask]).size - np.unique(st.strata[mask]).size)

    def __repr__(self) -> str:
        st = self._stages[0]
        kind = (
            f"replicate ({self._rep.kind}, {self._rep.n_replicates} replicates)"
            if self._rep is not None
            else "Taylor linearisation"
        )
        adj = ", ".join(op for op, _ in self._ops) or "none"
        return (
            f"<SurveyDesign n={self.n}, {st.n_strata} strata, {st.n_clusters} PSUs, "
            f"{len(self._stages)} stage(s), variance: {kind}, adjustments: {adj}>"
        )

    def with_columns(self, **columns) -> SurveyDesign:
        """The same design with extra (derived) data columns; weights, calibration and
        replicates are shared, since the rows are unchanged.

        >>> import pandas as pd
        >>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0]}))
        >>> d.with_columns(y2=d.data["y"] * 2).mean("y2")["estimate"].tolist()
        [3.0]
        """
        for name, values in columns.items():
            if len(values) != self.n:
                raise DesignError(f"column {name!r} has {len(values)} values for {self.n} rows")
        return self._clone(_data=self._data.assign(**columns))

    @property
    def lonely_psu(self) -> str:
        """The lonely-PSU policy (R's ``survey.lonely.psu``)."""
        return self._lonely_psu

    def with_lonely_psu(self, policy: str, *, adjust_domain_lonely: bool = False) -> SurveyDesign:
        """The same design with another lonely-PSU policy.

        Parameters
        ----------
        policy : {"fail", "adjust", "average", "remove", "certainty"}
            What to do with a stratum that has a single PSU (R's ``survey.lonely.psu``).
        adjust_domain_lonely : bool
            Also apply the policy to a stratum that has several PSUs in the design but a
            single one in a domain (R's ``survey.adjust.domain.lonely``): with
            ``"adjust"`` that PSU is centred at zero, with ``"average"`` the stratum is
            left out and the variance scaled up. Default ``False``, as R.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"st": list("aabb"), "g": list("xyxx"), "y": [1.0, 2, 3, 4]})
        >>> d = SurveyDesign(df, strata="st").with_lonely_psu("adjust", adjust_domain_lonely=True)
        >>> d.mean("y", by="g")["se"].round(4).tolist()
        [0.8535, 0.0]
        """
        if policy not in LONELY_PSU_POLICIES:
            raise DesignError(f"lonely_psu must be one of {LONELY_PSU_POLICIES}, not {policy!r}")
        opts = dict(self._var_opts, adjust_domain_lonely=bool(adjust_domain_lonely))
        return self._clone(_lonely_psu=policy, _var_opts=opts)

    def with_ultimate_cluster(self, on: bool = True) -> SurveyDesign:
        """The same design with the variance from the first stage only (R's
        ``options(survey.ultimate.cluster = TRUE)``): the PSU totals, with the first-stage
        finite-population correction, ignoring the later stages.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"psu": [1, 1, 2, 2, 3, 3], "ssu": [1, 2, 3, 4, 5, 6],
        ...                    "f1": [10.0] * 6, "f2": [4.0] * 6, "y": [1.0, 2, 4, 3, 6, 8]})
        >>> d = SurveyDesign(df, ids=["psu", "ssu"], fpc=["f1", "f2"])
        >>> bool(d.with_ultimate_cluster().mean("y")["se"].iloc[0] < d.mean("y")["se"].iloc[0])
        True
        """
        return self._clone(_var_opts=dict(self._var_opts, ultimate_cluster=bool(on)))

    def replicate_variance(self, thetas: np.ndarray, estimate: np.ndarray) -> np.ndarray:
        """Variance matrix of estimates from their replicate values, with this design's
        replicate scheme (scale, rscales, centring).

        Parameters
        ----------
        thetas : ndarray (R,) or (R, p)
            The estimates computed with each replicate's weights.
        estimate : ndarray (p,)
            The full-sample estimates (the centre when the design has ``mse=True``).
        """
        if self._rep is None:
            raise DesignError(
                "replicate_variance needs a replicate design: call design.replicate(...) first"
            )
        return self._rep.variance(thetas, estimate)

    # -- variance -------------------------------------------------------------------------
    def _taylor_cov(self, x) -> np.ndarray:
        """Design covariance (p × p) of the totals of weighted influence values ``x``.

        ``x`` is an (n × p) array or an influence object (:mod:`lublin_diagnosis.survey._influence`);
        it is residualised for every calibration, then its cluster totals enter the
        multistage formula.
        """
        influence = x if hasattr(x, "totals") else DenseInfluence(x)
        for cal in self._cal:
            influence = cal.residualize(influence)
        if "pps_dcheck" in self._var_opts:  # Horvitz-Thompson with joint probabilities
            order, dcheck = self._var_opts["pps_dcheck"]
            st = self._stages[0]
            totals = influence.totals(st.cluster, st.n_clusters)[order]
            return totals.T @ (dcheck @ totals)
        return multistage_variance(
            influence,
            list(self._stages),
            lonely_psu=self._lonely_psu,
            adjust_domain_lonely=self._var_opts.get("adjust_domain_lonely", False),
            one_stage=self._var_opts.get("ultimate_cluster", False),
        )

    # -- adjustments ----------------------------------------------------------------------
    def _weight_matrix(self) -> np.ndarray:
        if self._rep is None:
            return self._w[:, None]
        return np.column_stack([self._w, self._rep.weights])

    def _with_matrix(self, mat: np.ndarray, cal, op: tuple, record: dict) -> SurveyDesign:
        w = np.ascontiguousarray(mat[:, 0])
        w.setflags(write=False)
        rep = (
            self._rep.with_weights(mat[:, 1:])
            if self._rep is not None and mat.shape[1] > 1
            else self._rep
        )
        cals = self._cal + ((cal,) if cal is not None else ())
        return self._clone(
            _w=w, _rep=rep, _cal=cals, _ops=self._ops + (op,), _history=self._history + (record,)
        )

    def rake(
        self,
        margins: Mapping | pd.DataFrame,
        *,
        tol: float = 1e-7,
        max_iter: int = 100,
        on_fail: str = "raise",
        converge_replicates: bool = True,
    ) -> SurveyDesign:
        """Rake the weights to population margins (iterative proportional fitting).

        Parameters
        ----------
        margins : mapping or DataFrame
            ``{variable: {category: population count}}``, or the long margins table
            (columns variable, category, count).
        tol : float
            Stop when no cell of the joint table of the margin variables changes by more
            than ``tol`` between sweeps: a fraction of the total weight when below 1,
            weighted-count units otherwise (R's ``epsilon``; R's default is 1).
        max_iter : int
            Maximum number of sweeps over the margins (R's default is 10).
        on_fail : {"raise", "warn"}
            Non-convergence raises :class:`ConvergenceError` (default) or warns.
        converge_replicates : bool
            On a replicate design, iterate until every replicate has converged too
            (default); ``False`` stops when the full sample has, as R does.

        Returns
        -------
        SurveyDesign
            A new design; with replicate weights, every replicate is raked too.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"sex": list("FFMM"), "age": list("yoyo"), "w": [1.0] * 4})
        >>> d = SurveyDesign(df, weights="w").rake({"sex": {"F": 30, "M": 10},
        ...                                         "age": {"y": 20, "o": 20}})
        >>> d.weights.round(2).tolist()
        [15.0, 15.0, 5.0, 5.0]
        """
        if isinstance(margins, pd.DataFrame):
            margins = _wt.margins_from_frame(margins)
        if on_fail not in ("raise", "warn"):
            raise ValueError(f"on_fail must be 'raise' or 'warn', not {on_fail!r}")
        checked = _wt.check_margins(self._data, margins)
        cells = _wt.cell_index(checked)
        k = cells.n_cells
        rep = self._rep
        factored = rep if isinstance(rep, FactoredReplicates) and rep.cell_factors is None else None
        if factored is not None:
            # rake the replicates through their cell totals: no (n × R) matrix is built
            main = np.bincount(cells.cell, weights=self._w, minlength=k + 1)[:k]
            rep_table = factored.cell_table(cells.cell, k + 1)
            table = np.column_stack([main, rep_table[:k]])
            mat = self._w[:, None]
        else:
            mat = self._weight_matrix()
            table = rowsum(mat, cells.cell, k + 1)[:k]
        res = _wt.rake_table(
            table,
            cells,
            checked,
            epsilon=tol,
            max_iter=max_iter,
            on_fail=on_fail,
            all_columns=converge_replicates,
        )
        if factored is not None:
            new_mat = mat * res.cell_factors[cells.cell, :1]
            new_rep = factored.with_cell_factors(
                cells.cell, k + 1, res.cell_factors[:, 1:], rep_table
            )
        else:
            new_mat = mat * res.cell_factors[cells.cell]
            new_rep = None
        b = mat[:, 0].copy()
        counts = np.bincount(cells.cell, minlength=cells.n_cells + 1)[: cells.n_cells]
        cal = _RakeCal(
            b,
            cells.cell,
            cells.n_cells,
            counts.astype(float),
            tuple(
                (cm, lv, sf[:-1])
                for cm, lv, sf in zip(
                    cells.margin_codes, cells.levels, res.step_factors, strict=False
                )
            ),
        )
        record = {
            "kind": "rake",
            "margins": {m.variable: dict(zip(m.levels, m.targets, strict=False)) for m in checked},
            "iterations": res.iterations,
            "converged": res.converged,
            "max_rel_deviation": res.max_rel_deviation,
        }
        op = (
            "rake",
            {
                "margins": margins,
                "tol": tol,
                "max_iter": max_iter,
                "on_fail": on_fail,
                "converge_replicates": converge_replicates,
            },
        )
        new = self._with_matrix(new_mat, cal, op, record)
        if new_rep is not None:
            new = new._clone(_rep=new_rep, _degf=None)
        return new

    def poststratify(
        self,
        variable: str | Sequence[str],
        totals: Mapping | pd.DataFrame,
        *,
        partial: bool = False,
    ) -> SurveyDesign:
        """Post-stratify: scale the weights of each category to its population count.

        Parameters
        ----------
        variable : str or list of str
            The post-stratification variable, or several: their cross-classification
            (R's ``postStratify(design, ~a + b, table)``).
        totals : mapping or DataFrame
            ``{category: count}``; for several variables ``{(a, b): count}`` or
            ``{"a:b": count}``, or a table with one column per variable and the counts in
            a ``Freq`` (or ``count``) column, as R's.
        partial : bool
            Leave out population cells that have no respondent (R's ``partial = TRUE``);
            without it they are an error.

        >>> import pandas as pd
        >>> df = pd.DataFrame({"g": list("aab"), "w": [1.0, 1.0, 1.0]})
        >>> SurveyDesign(df, weights="w").poststratify("g", {"a": 10, "b": 5}).weights.tolist()
        [5.0, 5.0, 5.0]
        >>> df = pd.DataFrame({"g": list("aab"), "h": list("xyx")})
        >>> pop = pd.DataFrame({"g": ["a", "a", "b", "b"], "h": ["x", "y", "x", "y"],
        ...                     "Freq": [4, 6, 5, 7]})
        >>> SurveyDesign(df).poststratify(["g", "h"], pop, partial=True).weights.tolist()
        [4.0, 6.0, 5.0]
        """
        data, key, cells = _wt.poststrata(self._data, variable, totals, partial=partial)
        (checked,) = _wt.check_margins(data, {key: cells})
        mat = self._weight_matrix()
        new_mat = mat * _wt.poststratify_factors(mat, checked)
        cal = _PostStratCal(
            checked.codes, len(checked.levels), new_mat[:, 0].copy(), mat[:, 0].copy()
        )
        record = {
            "kind": "poststratify",
            "margins": {key: dict(zip(checked.levels, checked.targets, strict=False))},
            "iterations": 1,
            "converged": True,
            "max_rel_deviation": 0.0,
        }
        op = ("poststratify", {"variable": variable, "totals": totals, "partial": partial})
        return self._with_matrix(new_mat, cal, op, record)

    def _calibrated(self, model: _cal.CellModel, pop: np.ndarray, options):
        """Weights before and after calibration (full sample, replicates), new factored
        replicates if any, and the iterations used.

        With categorical auxiliaries only, the Newton steps run over the cells (as raking)
        and factored replicates gain cell factors; with numeric ones, over the rows.
        """
        rep = self._rep
        if model.q:
            mat = self._weight_matrix()
            g, iterations = _cal.calibrate_g(model, mat, pop, **options.kwargs())
            return mat, mat * g, None, iterations
        cell, k = model.cell, model.n_cells
        factored = rep if isinstance(rep, FactoredReplicates) and rep.cell_factors is None else None
        if factored is not None:
            mat = self._w[:, None]
            main = np.bincount(cell, weights=self._w, minlength=k)
            rep_table = factored.cell_table(cell, k)
            table = np.column_stack([main, rep_table])
        else:
            mat = self._weight_matrix()
            table = rowsum(mat, cell, k)
        g_cells, iterations = _cal.calibrate_g(model.collapsed(), table, pop, **options.kwargs())
        new_mat = mat * g_cells[cell, : mat.shape[1]]
        new_rep = None
        if factored is not None:
            new_rep = factored.with_cell_factors(cell, k, g_cells[:, 1:], rep_table)
        return mat, new_mat, new_rep, iterations

    def calibrate(
        self,
        totals: Mapping,
        *,
        calfun: str = "linear",
        bounds: tuple[float, float] | None = None,
        population_size: float | None = None,
        epsilon: float = 1e-7,
        max_iter: int = 50,
    ) -> SurveyDesign:
        """Calibrate the weights to population totals (GREG, raking or logit distance).

        Parameters
        ----------
        totals : mapping
            A categorical variable maps to ``{category: count}``; a numeric variable maps
            to its population total. With a categorical variable the model has an
            intercept (the population size) and treatment contrasts, as R's formula
            ``~ var1 + var2``.
        calfun : {"linear", "raking", "logit"}
            Calibration distance.
        bounds : (float, float), optional
            Limits on the g-weights (calibrated / input weight). Required for ``logit``.
        population_size : float, optional
            Population total of the intercept; default: the total of the first categorical
            variable.

        Examples
        --------
        >>> import pandas as pd
        >>> df = pd.DataFrame({"g": list("aab"), "x": [1.0, 2.0, 3.0]})
        >>> d = SurveyDesign(df).calibrate({"g": {"a": 4, "b": 2}, "x": 11.0})
        >>> d.weights.round(3).tolist()
        [3.0, 1.0, 2.0]
        """
        model, pop, names = _cal.calibration_model(self._data, totals, population_size)
        b = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
        options = _cal.CalibrationOptions(calfun, b, epsilon, max_iter, names)
        mat, new_mat, new_rep, iterations = self._calibrated(model, pop, options)
        cal = _GregCal.build(model, mat[:, 0], new_mat[:, 0])
        record = {
            "kind": f"calibrate ({calfun})",
            "margins": {
                k: dict(v) if isinstance(v, Mapping) else {"(total)": float(v)}
                for k, v in totals.items()
            },
            "iterations": iterations,
            "converged": True,
            "max_rel_deviation": 0.0,
        }
        op = (
            "calibrate",
            {
                "totals": totals,
                "calfun": calfun,
                "bounds": bounds,
                "population_size": population_size,
                "epsilon": epsilon,
                "max_iter": max_iter,
            },
        )
        new = self._with_matrix(new_mat, cal, op, record)
        return new if new_rep is None else new._clone(_rep=new_rep, _degf=None)

    def trim(
        self, lower: float = -np.inf, upper: float = np.inf, *, strict: bool = False
    ) -> SurveyDesign:
        """Trim weights to ``[lower, upper]``, sharing the amount cut over the other weights.

        As R's ``trimWeights``: the total weight is kept; with ``strict=True`` trimming is
        repeated until no weight is outside the bounds.

        >>> import pandas as pd
        >>> d = SurveyDesign(pd.DataFrame({"w": [1.0, 2.0, 9.0]}), weights="w")
        >>> d.trim(upper=5).weights.tolist()
        [3.0, 4.0, 5.0]
        """
        if lower >= upper:
            raise DesignError(f"trim: lower ({lower}) must be below upper ({upper})")
        mat = self._weight_matrix()
        new_mat = _wt.trim_vector(mat, lower, upper, strict=strict)
        record = {
            "kind": "trim",
            "margins": {},
            "iterations": 1,
            "converged": True,
            "max_rel_deviation": 0.0,
            "trimmed": int(((mat[:, 0] < lower) | (mat[:, 0] > upper)).sum()),
        }
        op = ("trim", {"lower": lower, "upper": upper, "strict": strict})
        return self._with_matrix(new_mat, None, op, record)

    # -- replicate weights ----------------------------------------------------------------
    def replicate(
        self,
        type: str = "bootstrap",
        *,
        replicates: int = 200,
        seed: int | None = None,
        fay_rho: float = 0.5,
        mse: bool = False,
    ) -> SurveyDesign:
        """Turn the design into a replicate-weight design.

        Replicates are built from the design's sampling weights, then every weight
        adjustment already applied (raking, calibration, trimming) is applied again to the
        full sample and to each replicate, so the replicate standard errors include the
        weighting.

        Parameters
        ----------
        type : {"JK1", "JKn", "BRR", "Fay", "bootstrap", "subbootstrap"}
            JK1 for unstratified designs (one replicate per PSU); JKn stratified (one per
            PSU); BRR/Fay need two PSUs per stratum; the bootstrap resamples PSUs within
            strata; the subbootstrap draws ``n_h - 1`` of them (R's ``subbootweights``).
        replicates : int
            Number of bootstrap replicates.
        seed : int, optional
            Seed of the bootstrap (pass one for reproducible results).
        fay_rho : float
            Fay's coefficient for ``type="Fay"``.
        mse : bool
            Centre the variance on the full-sample estimate.
        """
        if type not in REPLICATE_TYPES or type == "other":
            raise DesignError(
                "replicate type must be one of JK1, JKn, BRR, Fay, bootstrap, subbootstrap; "
                f"not {type!r}"
            )
        if self._rep is not None:
            raise DesignError("the design already has replicate weights")
        st = self._stages[0]
        n_cl = st.n_clusters
        first = np.full(n_cl, -1, dtype=np.int64)
        first[st.cluster[::-1]] = np.arange(st.cluster.size)[::-1]
        psu_stratum = st.strata[first]
        has_strata = self._spec.strata is not None
        if type == "JK1":
            if has_strata:
                raise DesignError("JK1 is for unstratified designs; use type='JKn'")
            pop1 = None if st.popsize is None else float(st.popsize[0])
            factors, scale, rscales = jk1_factors(st.cluster, n_cl, pop1)
        elif type == "JKn":
            pop = None if st.popsize is None else st.popsize[first]
            factors, scale, rscales = jkn_factors(
                psu_stratum, pop, self._lonely_psu, st.strata_labels
            )
        elif type in ("BRR", "Fay"):
            rho = 0.0 if type == "BRR" else float(fay_rho)
            factors, scale, rscales = brr_factors(
                psu_stratum, fay_rho=rho, strata_labels=st.strata_labels, psu_first_row=first
            )
        elif type == "subbootstrap":
            rng = np.random.default_rng(seed)
            factors, scale, rscales = subbootstrap_factors(psu_stratum, int(replicates), rng)
        else:
            rng = np.random.default_rng(seed)
            factors, scale, rscales = bootstrap_factors(
                psu_stratum, int(replicates), rng, lonely_psu=self._lonely_psu
            )
        base = self._base_w
        rep = FactoredReplicates(
            type,
            base,
            st.cluster,
            np.asarray(factors, dtype=float),
            float(scale),
            np.asarray(rscales, dtype=float),
            mse,
        )
        design = self._clone(_w=base, _rep=rep, _cal=(), _ops=(), _history=())
        for op, kwargs in self._ops:
            design = getattr(design, op)(**kwargs)
        return design

    # -- diagnostics ------------------------------------------------------------------------
    def diagnostics(self) -> WeightDiagnostics:
        """Weight diagnostics: Kish deff, effective n, weight spread, margins achieved.

        >>> import pandas as pd
        >>> d = SurveyDesign(pd.DataFrame({"w": [1.0, 1.0, 2.0, 4.0]}), weights="w")
        >>> round(float(d.diagnostics().summary["kish_deff"].iloc[0]), 3)
        1.375
        """
        w = self._w
        n = w.size
        mean = w.mean()
        cv = float(w.std(ddof=0) / mean)
        deff = float(n * np.sum(w**2) / np.sum(w) ** 2)
        summary = pd.DataFrame(
            [
                {
                    "n": n,
                    "sum_weights": float(w.sum()),
                    "min": float(w.min()),
                    "median": float(np.median(w)),
                    "max": float(w.max()),
                    "max_min_ratio": float(w.max() / w.min()),
                    "cv": cv,
                    "kish_deff": deff,
                    "effective_n": float(n / deff),
                }
            ]
        )
        rows = []
        for rec in self._history:
            for var, targets in rec["margins"].items():
                if var not in self._data.columns:
                    continue
                col = self._data[var]
                if set(targets) == {"(total)"}:
                    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)
                    rows.append(
                        {
                            "adjustment": rec["kind"],
                            "variable": var,
                            "category": "(total)",
                            "target": targets["(total)"],
                            "base": float(np.nansum(values * self._base_w)),
                            "achieved": float(np.nansum(values * w)),
                        }
                    )
                    continue
                keys = np.array([_wt._level_key(v) for v in col.to_numpy()], dtype=object)
                for cat, target in targets.items():
                    mask = keys == cat
                    rows.append(
                        {
                            "adjustment": rec["kind"],
                            "variable": var,
                            "category": cat,
                            "target": float(target),
                            "base": float(self._base_w[mask].sum()),
                            "achieved": float(w[mask].sum()),
                        }
                    )
        margins = pd.DataFrame(
            rows, columns=["adjustment", "variable", "category", "target", "base", "achieved"]
        )
        margins["rel_diff"] = (margins["achieved"] - margins["target"]) / margins["target"]
        adjustments = pd.DataFrame(
            [
                {
                    "kind": r["kind"],
                    "iterations": r["iterations"],
                    "converged": r["converged"],
                    "max_rel_deviation": r["max_rel_deviation"],
                }
                for r in self._history
            ],
            columns=["kind", "iterations", "converged", "max_rel_deviation"],
        )
        return WeightDiagnostics(summary, margins, adjustments)

    # -- estimators (see lublin_diagnosis.survey._estimators) ----------------------------------------
    def mean(self, variable, **kwargs) -> pd.DataFrame:
        """Design-based mean (or category proportions); see :func:`estimators.mean`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.mean(self, variable, **kwargs)

    def total(self, variable, **kwargs) -> pd.DataFrame:
        """Design-based total; see :func:`estimators.total`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.total(self, variable, **kwargs)

    def ratio(self, numerator: str, denominator: str, **kwargs) -> pd.DataFrame:
        """Ratio of two totals; see :func:`estimators.ratio`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.ratio(self, numerator, denominator, **kwargs)

    def quantile(self, variable: str, q, **kwargs) -> pd.DataFrame:
        """Quantiles with Woodruff intervals; see :func:`estimators.quantile`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.quantile(self, variable, q, **kwargs)

    def proportion(self, variable: str, level=None, **kwargs) -> pd.DataFrame:
        """A proportion with a proper interval; see :func:`proportion.proportion`."""
        from lublin_diagnosis.survey import _proportion

        return _proportion.proportion(self, variable, level, **kwargs)

    def chisq(self, row: str, col: str, **kwargs) -> pd.DataFrame:
        """Rao-Scott test of independence; see :func:`estimators.chisq`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.chisq(self, row, col, **kwargs)

    def compare_means(self, variable: str, by: str, **kwargs) -> pd.DataFrame:
        """Wald F test of equal domain means; see :func:`estimators.compare_means`."""
        from lublin_diagnosis.survey import _estimators as estimators

        return estimators.compare_means(self, variable, by, **kwargs)

    def ttest(self, variable: str, by: str | None = None, **kwargs) -> pd.DataFrame:
        """Design-based t-test (one sample, or two groups); see :func:`tests.ttest`."""
        from lublin_diagnosis.survey import _tests as tests

        return tests.ttest(self, variable, by, **kwargs)

    def variance(self, variable: str, **kwargs) -> pd.DataFrame:
        """Population variance with its SE (R's ``svyvar``); see :func:`tests.variance`."""
        from lublin_diagnosis.survey import _tests as tests

        return tests.variance(self, variable, **kwargs)

    def table(self, row: str, col: str, **kwargs) -> pd.DataFrame:
        """Weighted cross-table with cell SEs; see :func:`tests.table`."""
        from lublin_diagnosis.survey import _tests as tests

        return tests.table(self, row, col, **kwargs)

    def glm(self, formula: str, family: str = "gaussian", **kwargs) -> pd.DataFrame:
        """Survey-weighted GLM with design-based SEs; see :func:`models.glm`."""
        from lublin_diagnosis.survey import _models as models

        return models.glm(self, formula, family, **kwargs)
