"""Setting a design up: its inputs checked, strata and clusters factorised once.

:class:`DesignSpec` holds what the user gave (column names and options) and checks it
against the data; :func:`sampling_stages` turns the strata, cluster and fpc columns into
the integer codes of :class:`~lublin_diagnosis.survey._variance.Stage` that every
estimate reuses; :func:`design_weights` reads and checks the sampling weights. Integer
ids are coded through a presence table (no sort, no hashing), and ids that already run
``0 .. k-1`` are used as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lublin_diagnosis.survey._errors import DesignError
from lublin_diagnosis.survey._sums import register_runs
from lublin_diagnosis.survey._variance import LONELY_PSU_POLICIES, Stage

__all__ = ["DesignSpec", "codes_of", "design_weights", "rows_text", "sampling_stages"]


def _as_list(value: object) -> list:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)  # type: ignore[call-overload]


def rows_text(index: pd.Index, mask: np.ndarray, limit: int = 8) -> str:
    """The labels of the first rows of ``mask``, for messages.

    >>> rows_text(pd.RangeIndex(20), np.arange(20) > 5, limit=3)
    '6, 7, 8 and 11 more'
    """
    labels = list(index[mask][:limit])
    more = int(mask.sum()) - len(labels)
    return ", ".join(map(str, labels)) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class DesignSpec:
    """The inputs of a design: its columns and options, as the user gave them.

    >>> spec = DesignSpec.parse(ids="psu", strata="st", weights="w")
    >>> spec.ids, spec.strata, spec.n_stages, spec.columns
    (('psu',), 'st', 1, ['psu', 'st', 'w'])
    """

    ids: tuple[str, ...] = ()
    strata: str | None = None
    weights: str | None = None  # a column name (None: an array, or no weights)
    fpc: tuple[str, ...] = ()
    nest: bool = False
    lonely_psu: str = "fail"

    @classmethod
    def parse(
        cls,
        *,
        ids: str | Sequence[str] | None = None,
        strata: str | None = None,
        weights: object = None,
        fpc: str | Sequence[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> DesignSpec:
        """Check the arguments' form (not yet the data) and normalise them."""
        if lonely_psu not in LONELY_PSU_POLICIES:
            raise DesignError(
                f"lonely_psu must be one of {LONELY_PSU_POLICIES}, not {lonely_psu!r}"
            )
        ids_l = [c for c in _as_list(ids) if c not in ("1", 1)]
        fpc_l = _as_list(fpc)
        strata_l = _as_list(strata)
        if len(strata_l) > 1:
            raise DesignError(
                "strata: give one stratum variable (the first stage's); later "
                "stages are stratified by the clusters above them"
            )
        if fpc_l and ids_l and len(fpc_l) != len(ids_l):
            raise DesignError(
                f"give one fpc column per sampling stage: {len(ids_l)} stage(s) "
                f"in ids but {len(fpc_l)} fpc column(s)"
            )
        if fpc_l and not ids_l and len(fpc_l) != 1:
            raise DesignError("without ids there is one stage: give one fpc column")
        return cls(
            tuple(ids_l),
            strata_l[0] if strata_l else None,
            weights if isinstance(weights, str) else None,
            tuple(fpc_l),
            bool(nest),
            lonely_psu,
        )

    @property
    def n_stages(self) -> int:
        return max(len(self.ids), 1)

    @property
    def columns(self) -> list[str]:
        """The design's columns: ids, strata, fpc and weights."""
        strata = [self.strata] if self.strata is not None else []
        weights = [self.weights] if self.weights is not None else []
        return [*self.ids, *strata, *self.fpc, *weights]

    def check(self, data: pd.DataFrame) -> None:
        """Every design column is in the data, and ids, strata and fpc have no gaps."""
        unknown = [c for c in self.columns if c not in data.columns]
        if unknown:
            raise DesignError(
                f"design variable(s) {unknown} are not columns of the data; "
                f"available columns: {', '.join(map(str, list(data.columns)[:20]))}"
            )
        for col in [c for c in self.columns if c != self.weights]:
            if data[col].dtype.kind in "iub":  # integers and booleans have no missing value
                continue
            na = data[col].isna().to_numpy()
            if na.any():
                raise DesignError(
                    f"design variable {col!r} has {int(na.sum())} missing "
                    f"value(s) (rows {rows_text(data.index, na)}); every "
                    "respondent needs a stratum, cluster and fpc"
                )

    def as_dict(self) -> dict:
        """The spec in the form of the constructor's keywords."""
        return {
            "ids": list(self.ids),
            "strata": self.strata,
            "weights": self.weights,
            "fpc": list(self.fpc),
            "nest": self.nest,
        }


def _dense_codes(codes: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Renumber codes in ``0 .. space-1`` to ``0 .. k-1`` over the values present (no sort)."""
    present = np.flatnonzero(np.bincount(codes, minlength=space))
    if present.size == space:  # already dense
        return codes, present
    lookup = np.empty(space, dtype=np.int64)
    lookup[present] = np.arange(present.size)
    return lookup[codes], present


def _sorted_codes(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of sorted integer ids (survey files are usually sorted by stratum and
    cluster): the ids change only at the start of each run, and the runs are registered
    so that later cluster sums add contiguous runs (``_sums.register_runs``)."""
    starts = np.concatenate([[0], np.flatnonzero(arr[1:] != arr[:-1]) + 1])
    values = arr[starts]
    lo, hi = int(values[0]), int(values[-1])
    if values.size == hi - lo + 1:  # every id from lo to hi: codes are ids - lo
        # a copy, not a view of the data: the registered runs must not change under it
        codes = arr.astype(np.int64) - lo if lo else arr.astype(np.int64, copy=True)
    else:
        codes = np.repeat(np.arange(values.size), np.diff(np.append(starts, arr.size)))
    codes.setflags(write=False)
    register_runs(codes, values.size, starts)
    return codes, values.astype(object)


def codes_of(values: pd.Series | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of the values present (in sorted order) and their labels.

    >>> codes, labels = codes_of(pd.Series([30, 10, 30, 20]))
    >>> codes.tolist(), labels.tolist()
    ([2, 0, 2, 1], [10, 20, 30])
    """
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if isinstance(series.dtype, pd.CategoricalDtype):
        codes, present = _dense_codes(
            series.cat.codes.to_numpy().astype(np.int64), len(series.cat.categories)
        )
        return codes, np.asarray(series.cat.categories[present], dtype=object)
    arr = series.to_numpy()
    if arr.dtype.kind in "iu" and arr.size > 1 and bool((arr[1:] >= arr[:-1]).all()):
        return _sorted_codes(arr)
    if arr.dtype.kind in "iu" and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo <= 4 * arr.size + 1024:
            shifted = arr.astype(np.int64, copy=False)
            shifted = shifted - lo if lo else shifted
            codes, present = _dense_codes(shifted, hi - lo + 1)
            return codes, (present + lo).astype(object)
    codes, uniques = pd.factorize(series, sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _combine(*code_arrays: np.ndarray) -> np.ndarray:
    """Codes of the combinations of several code arrays (nested grouping)."""
    if len(code_arrays) == 1:
        return code_arrays[0]
    combined = np.zeros(code_arrays[0].size, dtype=np.int64)
    space = 1
    for c in code_arrays:
        k = int(c.max()) + 1 if c.size else 1
        combined = combined * k + c
        space *= k
        if space > 4 * combined.size + 1024:
            combined = pd.factorize(combined, sort=True)[0].astype(np.int64)
            space = int(combined.max()) + 1
    return _dense_codes(combined, space)[0]


def _clusters(
    data: pd.DataFrame, spec: DesignSpec, st_codes: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Cluster codes of every stage (nested in the stages above) and each cluster's
    stratum (the first stage's strata, then the clusters of the stage above)."""
    n = len(data)
    raw = [codes_of(data[c])[0] for c in spec.ids] or [np.arange(n, dtype=np.int64)]
    clusters, owners = [], []
    above = st_codes
    for i in range(spec.n_stages):
        c = _combine(*raw[: i + 1])
        if spec.strata is not None and spec.nest:
            c = _combine(st_codes, c)
        k = int(c.max()) + 1
        starts = register_runs(c, k)
        if starts is not None:  # sorted clusters: the stratum of each is that of its run
            owner = above[starts]
            # nested iff the strata change only where a cluster's run starts
            change = np.flatnonzero(above[1:] != above[:-1]) + 1
            nested = bool(np.isin(change, starts, assume_unique=True).all())
        else:
            owner = np.empty(k, dtype=np.int64)
            owner[c] = above
            nested = None
        if i == 0 and spec.strata is not None and not spec.nest and spec.ids:
            if nested is False or (nested is None and np.any(owner[c] != st_codes)):
                raise DesignError(
                    f"clusters of {spec.ids[0]!r} appear in more than one stratum of "
                    f"{spec.strata!r}; if cluster ids are only unique within strata pass "
                    "nest=True"
                )
        clusters.append(c)
        owners.append(owner)
        above = c
    return clusters, owners


def _popsizes(
    data: pd.DataFrame, spec: DesignSpec, sampsize: list, stage_strata: list
) -> list[np.ndarray] | None:
    """Population numbers of clusters of every row's stratum, per stage, from the fpc."""
    if not spec.fpc:
        return None
    vals = [pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float) for c in spec.fpc]
    for c, v in zip(spec.fpc, vals, strict=True):
        bad = ~np.isfinite(v) | (v <= 0)
        if bad.any():
            raise DesignError(
                f"fpc column {c!r} must hold positive numbers (rows {rows_text(data.index, bad)})"
            )
    as_popsize = any(np.any(v > 1) for v in vals)
    if as_popsize and any(np.any(v < 1) for v in vals):
        raise DesignError(
            "fpc columns mix sampling fractions (≤ 1) and population "
            "sizes (> 1); use one kind for every stage"
        )
    popsize = []
    for i, (c, v) in enumerate(zip(spec.fpc, vals, strict=True)):
        pop = v if as_popsize else sampsize[i] / v
        bad = pop < sampsize[i] - 1e-9
        if bad.any():
            raise DesignError(
                f"fpc {c!r} implies more than 100% sampling at stage {i + 1} (rows "
                f"{rows_text(data.index, bad)}): the population size is below the number "
                "of sampled units"
            )
        s = stage_strata[i]
        lo = np.full(int(s.max()) + 1, np.inf)
        hi = np.full(int(s.max()) + 1, -np.inf)
        np.minimum.at(lo, s, pop)
        np.maximum.at(hi, s, pop)
        if np.any(hi - lo > 1e-9 * np.maximum(hi, 1)):
            raise DesignError(
                f"fpc {c!r} varies within a stratum at stage {i + 1}; "
                "it must be constant for all rows of a stratum"
            )
        popsize.append(pop)
    return popsize


def sampling_stages(data: pd.DataFrame, spec: DesignSpec) -> tuple[Stage, ...]:
    """The sampling stages of the design: strata and clusters factorised once.

    >>> df = pd.DataFrame({"st": [1, 1, 2, 2], "psu": [7, 8, 9, 9]})
    >>> (stage,) = sampling_stages(df, DesignSpec.parse(ids="psu", strata="st"))
    >>> stage.cluster.tolist(), stage.strata.tolist(), stage.n_psu.tolist()
    ([0, 1, 2, 2], [0, 0, 1, 1], [2.0, 2.0, 1.0, 1.0])
    """
    n = len(data)
    if spec.strata is not None:
        st_codes, st_labels = codes_of(data[spec.strata])
    else:
        st_codes, st_labels = np.zeros(n, dtype=np.int64), np.array(["(all)"], dtype=object)
    clusters, owners = _clusters(data, spec, st_codes)
    stage_strata = [st_codes, *clusters[:-1]]
    stage_labels = [tuple(st_labels)] + [
        tuple(f"cluster {j}" for j in range(owner.size)) for owner in owners[:-1]
    ]
    sampsize = []
    for st, owner in zip(stage_strata, owners, strict=True):
        per_stratum = np.bincount(owner, minlength=int(owner.max()) + 1).astype(float)
        sampsize.append(per_stratum[st])
    popsize = _popsizes(data, spec, sampsize, stage_strata)
    return tuple(
        Stage(
            clusters[i],
            stage_strata[i],
            sampsize[i],
            None if popsize is None else popsize[i],
            stage_labels[i],
        )
        for i in range(spec.n_stages)
    )


def design_weights(data: pd.DataFrame, weights: object, stages: Sequence[Stage]) -> np.ndarray:
    """The sampling weights (read-only): the column or array given, or from the fpc.

    >>> df = pd.DataFrame({"w": [1.5, 2.0]})
    >>> design_weights(df, "w", sampling_stages(df, DesignSpec())).tolist()
    [1.5, 2.0]
    """
    n = len(data)
    if weights is None:
        if stages[0].popsize is not None:
            w = np.prod([s.popsize / s.n_psu for s in stages], axis=0)
        else:
            w = np.ones(n)
    else:
        raw = data[weights] if isinstance(weights, str) else weights
        if len(raw) != n:  # type: ignore[arg-type]
            raise DesignError(f"weights has {len(raw)} values for {n} rows")  # type: ignore[arg-type]
        arr = np.asarray(raw)
        if arr.dtype.kind in "fiu":
            w = arr.astype(float)
        else:
            w = pd.to_numeric(pd.Series(arr), errors="coerce").to_numpy(dtype=float)
    name = weights if isinstance(weights, str) else "weights"
    if not np.isfinite(w.sum()):  # a sum is cheaper than a mask; check the rows if not
        bad = ~np.isfinite(w)
        if bad.any():
            raise DesignError(
                f"{name!r} has {int(bad.sum())} missing or non-numeric weight(s) (rows "
                f"{rows_text(data.index, bad)}); every respondent needs a positive weight"
            )
    if w.size and w.min() <= 0:
        bad = w <= 0
        raise DesignError(
            f"{name!r} has {int(bad.sum())} zero or negative weight(s) "
            f"(rows {rows_text(data.index, bad)}); drop those rows or "
            "give them a positive weight (use by= for domain estimates)"
        )
    w = np.ascontiguousarray(w, dtype=float)
    w.setflags(write=False)
    return w
