"""The scorecard: every indicator, area score and the index of one round, ready to publish.

:func:`build_scorecard` scores a dataset with an indicator framework and returns a frozen
:class:`Scorecard` of tidy tables that the notebooks plot and export:

``indicators``
    One row per indicator and institution (``institution`` missing for the city-wide
    row, the one that enters the area score): ``area, indicator, kind, statistic,
    institution, round, answer, value, ci_low, ci_high, se, df, n, n_institutions,
    score, score_ci_low, score_ci_high, gap, gap_ci_low, gap_ci_high, reference,
    reference_illustrative, weight, in_aggregate, status, cv, suppressed,
    low_reliability, flags``.

    * ``P``: ``value`` and ``score`` are the answer's score (city-wide: the unweighted
      mean over the institutions, the MIPEX rule), ``answer`` the option id;
    * ``A``: ``value`` the figure in its unit, ``score`` on the goalposts;
    * ``O``: ``value`` the weighted estimate (a proportion in [0, 1] or a mean) with its
      interval from the raked design (logit interval for shares, t for means), ``n``
      the unweighted base; ``score`` and ``gap`` (to the fixed Polish reference, where
      the framework gives one; ``reference_illustrative`` marks a figure still to be
      checked) carry intervals too. Outcome rows are protected
      (:func:`~lublin_diagnosis.disclosure.control.protect_estimates`).

    ``P`` and ``A`` are treated as fixed: no interval. ``status`` is ``"published"``,
    ``"suppressed"`` (disclosure control) or ``"no_data"`` (nothing in this round);
    ``in_aggregate`` says whether the row entered its area score. Suppressed outcomes
    are left out of the aggregates, so that no area score can be used to recover
    them.
``areas``
    ``area, number, name_pl, name_en, weight, score, se, ci_low, ci_high, rank,
    n_indicators, n_P, n_A, n_O, n_suppressed, n_no_data, policy_score, admin_score,
    outcome_score``: the aggregate of the city-wide indicator scores (``aggregation``:
    arithmetic or geometric, see :mod:`~lublin_diagnosis.indicators.scoring`) with its interval
    from the bootstrap replicates (:mod:`~lublin_diagnosis.indicators.uncertainty`: the sampling
    error of the outcomes carried through re-raked replicate weights; ``P`` and ``A``
    fixed). ``rank`` 1 is the lowest score: the most urgent area.
``index``
    One row: the overall index (aggregate of the area scores with the area weights)
    with its interval.
``institutions``
    Each institution's policy score per area (``institution, name_pl, name_en, type,
    round, area, score, n_indicators``).
``disparities``
    Outcome estimates by citizenship, sex, age group and years in Poland with the
    Rao-Scott / Wald F test of each variable (:mod:`~lublin_diagnosis.indicators.disparities`),
    protected with complementary suppression within each indicator × variable.
``changes``
    Baseline → follow-up changes (:mod:`~lublin_diagnosis.indicators.change`): ``P`` and ``A``
    between the previous monitoring round and this one; ``O`` only when the design of
    the previous survey round is given (``previous_design``).

:meth:`Scorecard.for_grouping` re-aggregates the same indicator scores (and the same
replicates) by the groups of another grouping of the framework (``"icc-14"``), and
:meth:`Scorecard.sensitivity` runs the Monte Carlo sensitivity analysis.

>>> import lublin_diagnosis as ld
>>> from lublin_diagnosis.indicators.scorecard import build_scorecard
>>> card = build_scorecard(ld.load_dataset("data/demo"), replicates=30)   # doctest: +SKIP
>>> card.areas[["area", "score", "ci_low", "ci_high", "rank"]]            # doctest: +SKIP
>>> card.for_grouping("icc-14").areas                                     # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, protect_estimates
from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.indicator_table import INDICATOR_COLUMNS, indicator_table
from lublin_diagnosis.indicators.scorecard_inputs import (
    change_table,
    city_scores,
    disparity_table,
    policy_and_admin,
    rounds_scored,
)
from lublin_diagnosis.indicators.scoring import (
    AGGREGATIONS,
    DISPARITY_VARIABLES,
    area_scores,
    institution_scores,
    outcome_estimates,
)
from lublin_diagnosis.indicators.sensitivity import SensitivityResult, sensitivity_analysis
from lublin_diagnosis.indicators.uncertainty import (
    normalise_replicates,
    propagate_scores,
    replicate_outcomes,
    replicate_se,
    t_interval,
)

__all__ = ["INDICATOR_COLUMNS", "Scorecard", "build_scorecard"]

_AREA_COLUMNS = [
    "area",
    "number",
    "name_pl",
    "name_en",
    "weight",
    "score",
    "se",
    "ci_low",
    "ci_high",
    "rank",
    "n_indicators",
    "n_P",
    "n_A",
    "n_O",
    "n_suppressed",
    "n_no_data",
    "policy_score",
    "admin_score",
    "outcome_score",
]


@dataclass(frozen=True)
class _State:
    """What re-aggregation needs: the scores and replicates of every indicator."""

    base: Framework
    ids: tuple[str, ...]
    scores: np.ndarray  # (k,) city-wide scores, NaN: not aggregated
    replicate_scores: np.ndarray  # (R, k)
    replicate_design: Any
    df: float
    base_indicators: pd.DataFrame  # the indicator table by home area
    policy: pd.DataFrame  # per-institution policy scores of the round
    institutions: pd.DataFrame | None
    weights: Mapping[str, float] | None
    area_weights: Mapping[str, float] | None
    shift: float
    level: float


@dataclass(frozen=True, eq=False)
class Scorecard:
    """The scored diagnosis of one round; see the module docstring for the tables.

    Attributes
    ----------
    indicators, areas, index, institutions, disparities, changes : DataFrame
    framework : Framework
        The framework (or regrouped view) the areas follow.
    rules : DisclosureRules
    settings : Mapping
        ``round, baseline_round, survey_round, aggregation, shift, grouping, replicates,
        seed, level, method, synthetic``.
    """

    indicators: pd.DataFrame
    areas: pd.DataFrame
    index: pd.DataFrame
    institutions: pd.DataFrame
    disparities: pd.DataFrame
    changes: pd.DataFrame
    framework: Framework
    rules: DisclosureRules
    settings: Mapping[str, Any]
    _state: _State = field(repr=False, compare=False)

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"<Scorecard {self.framework.base.id}"
            f"{'' if s['grouping'] is None else ' by ' + s['grouping']}, round "
            f"{s['round']}, {len(self.areas)} areas, index "
            f"{float(self.index['score'].iloc[0]):.1f}>"
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """The published tables by name (for export)."""
        return {
            "indicators": self.indicators,
            "areas": self.areas,
            "index": self.index,
            "institutions": self.institutions,
            "disparities": self.disparities,
            "changes": self.changes,
        }

    def for_grouping(self, grouping: str | None) -> Scorecard:
        """The same scorecard aggregated by the groups of another grouping.

        The indicator scores, their replicates, the disclosure decisions, the
        disparities and the changes are those of this scorecard; areas, index,
        institutions (and the ``area`` column of ``indicators``, one row per group an
        indicator counts in) follow the grouping's groups. ``None`` returns to the
        framework's own areas.

        Examples
        --------
        >>> card.for_grouping("icc-14").areas["area"].tolist()[:2]   # doctest: +SKIP
        ['commitment', 'education']
        """
        st = self._state
        view = st.base if grouping is None else st.base.regroup(grouping)
        settings = dict(self.settings, grouping=grouping)
        return _assemble(view, st, settings, self.rules, self.disparities, self.changes)

    def sensitivity(self, n_draws: int = 1000, seed: int = 2023, **kwargs: Any) -> pd.DataFrame:
        """Monte Carlo sensitivity of the area scores (one row per area).

        See :func:`~lublin_diagnosis.indicators.sensitivity.sensitivity_analysis` (keyword
        arguments are passed on; it also gives the index and every draw): weights
        ±25 %, arithmetic or geometric aggregation, goalposts fixed, widened or narrowed
        by 10 %. Columns ``area, number, name_pl, name_en, score, mean, median, p05,
        p95, rank, median_rank, p05_rank, p95_rank, p_urgent``.
        """
        return self.sensitivity_result(n_draws, seed, **kwargs).areas

    def sensitivity_result(
        self, n_draws: int = 1000, seed: int = 2023, **kwargs: Any
    ) -> SensitivityResult:
        """The full result of the sensitivity analysis (areas, index, draws)."""
        kwargs.setdefault("method", self.settings["aggregation"])
        kwargs.setdefault("shift", self.settings["shift"])
        return sensitivity_analysis(self, n_draws=n_draws, seed=seed, **kwargs)


# --------------------------------------------------------------------------- building
def build_scorecard(
    dataset: Any,
    framework: Framework | str | None = None,
    *,
    design: Any = None,
    replicates: int = 200,
    seed: int = 2023,
    aggregation: str = "arithmetic",
    rules: DisclosureRules = DisclosureRules(),
    round: int | None = None,
    previous_design: Any = None,
    previous_round: int | None = None,
    survey_round: int | None = None,
    grouping: str | None = None,
    method: str = "logit",
    level: float = 0.95,
    disparity_by: Sequence[str] = DISPARITY_VARIABLES,
    weights: Mapping[str, float] | None = None,
    area_weights: Mapping[str, float] | None = None,
    shift: float = 1.0,
) -> Scorecard:
    """Score a dataset: indicators, areas, index, institutions, disparities, changes.

    Parameters
    ----------
    dataset : Dataset
        From :func:`~lublin_diagnosis.data.validation.load_dataset`.
    framework : Framework or str, optional
        Default: the dataset's framework (``dataset.yml``; ``lublin-14``).
    design : SurveyDesign, optional
        The survey design of this round; default ``SurveyDesign.from_dataset(dataset)``
        (raked to the margins). A replicate design is used as it is for the replicates.
    replicates : int
        Bootstrap replicates for the intervals of area scores and the index (re-raked).
    seed : int
        Seed of the bootstrap.
    aggregation : {"arithmetic", "geometric"}
        Aggregation of indicators into areas and of areas into the index.
    rules : DisclosureRules
        Disclosure thresholds.
    round : int, optional
        Monitoring round scored (default the latest in ``monitoring``/``admin``).
    previous_design : SurveyDesign, optional
        Design of the previous survey round: adds outcome changes to ``changes``.
    previous_round : int, optional
        The baseline round (default the latest round before ``round`` in the data).
    survey_round : int, optional
        Round label of the survey (default ``round``).
    grouping : str, optional
        Aggregate by the groups of a grouping (``"icc-14"``) instead of the areas.
    method : str
        Interval of a share (``"logit"`` by default; see ``design.proportion``).
    level : float
        Confidence level of every interval.
    disparity_by : sequence of str
        Disparity variables (those absent from the survey are skipped).
    weights, area_weights : mapping, optional
        Indicator / area weights overriding the framework's.
    shift : float
        Shift of the geometric mean (see :func:`~lublin_diagnosis.indicators.scoring.aggregate`).

    Returns
    -------
    Scorecard

    Raises
    ------
    DataError
        ``round`` is not a round of the data.
    ValueError
        An unknown aggregation, or fewer than 2 replicates.

    Examples
    --------
    >>> import lublin_diagnosis as ld
    >>> card = build_scorecard(ld.load_dataset("data/demo"), replicates=30)  # doctest: +SKIP
    >>> card.index[["score", "ci_low", "ci_high"]]                          # doctest: +SKIP
    """
    from lublin_diagnosis.survey import SurveyDesign

    if aggregation not in AGGREGATIONS:
        raise ValueError(f"aggregation must be one of {AGGREGATIONS}, not {aggregation!r}")
    if design is None or not design.is_replicate:
        if int(replicates) < 2:
            raise ValueError(f"replicates must be at least 2, not {replicates}")
    base = resolve_framework(framework, dataset=dataset).base
    round, previous_round, survey_round = rounds_scored(
        dataset, round, previous_round, survey_round
    )
    if design is None:
        design = SurveyDesign.from_dataset(dataset)

    policy, admin = policy_and_admin(dataset, base, round)

    # -- O: estimates, protection, replicates
    o_inds = [i for i in base.indicators if i.kind == "O"]
    outcomes = protect_estimates(outcome_estimates(design, base, method=method, level=level), rules)
    rep_design = (
        design
        if design.is_replicate
        else design.replicate("bootstrap", replicates=int(replicates), seed=seed)
    )
    thetas = replicate_outcomes(rep_design, o_inds)
    o_rep_scores = normalise_replicates(o_inds, thetas)

    table = indicator_table(base, policy, admin, outcomes, survey_round, weights)
    ids = base.indicator_ids
    scores, reps = city_scores(table, ids, o_inds, thetas, o_rep_scores)

    per_inst = policy[policy["institution"].notna()] if len(policy) else policy
    state = _State(
        base=base,
        ids=tuple(ids),
        scores=scores,
        replicate_scores=reps,
        replicate_design=rep_design,
        df=float(rep_design.degf),
        base_indicators=table,
        policy=per_inst,
        institutions=dataset.institutions,
        weights=None if weights is None else MappingProxyType(dict(weights)),
        area_weights=None if area_weights is None else MappingProxyType(dict(area_weights)),
        shift=float(shift),
        level=float(level),
    )

    disp = disparity_table(design, base, disparity_by, method, level, rules, survey_round)
    changes = change_table(
        dataset,
        base,
        round,
        previous_round,
        survey_round,
        previous_design,
        outcomes,
        method=method,
        level=level,
        rules=rules,
    )

    settings = {
        "round": round,
        "baseline_round": previous_round,
        "survey_round": survey_round,
        "aggregation": aggregation,
        "shift": float(shift),
        "grouping": grouping,
        "replicates": int(rep_design.replicate_weights.shape[1]),
        "seed": seed,
        "level": level,
        "method": method,
        "synthetic": bool(getattr(dataset, "synthetic", False)),
        "outcome_changes": previous_design is not None,
    }
    view = base if grouping is None else base.regroup(grouping)
    return _assemble(view, state, settings, rules, disp, changes)


def _view_indicators(view: Framework, base_tab: pd.DataFrame) -> pd.DataFrame:
    """The indicator table in the view's areas (an indicator in each group it maps to)."""
    if view.grouped_by is None:
        indicators = base_tab.copy()
    else:
        parts = []
        for area in view.areas:
            for ind in view.indicators_of(area):
                parts.append(base_tab[base_tab["indicator"] == ind.id].assign(area=area.id))
        indicators = pd.concat(parts, ignore_index=True) if parts else base_tab.iloc[0:0].copy()
    return indicators


def _area_table(
    view: Framework,
    st: _State,
    method: str,
    indicators: pd.DataFrame,
    areas_est: np.ndarray,
    area_se: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
) -> pd.DataFrame:
    """The areas of the view: scores with intervals and ranks, and their indicators'
    counts by kind and status."""
    city = indicators[indicators["institution"].isna()]
    summary = area_scores(
        dict(zip(st.ids, st.scores, strict=False)),
        view,
        method=method,
        weights=st.weights,
        shift=st.shift,
    )
    summary = summary.drop(columns=["score"])
    summary["score"] = areas_est
    summary["se"] = np.where(np.isnan(areas_est), np.nan, area_se)
    summary["ci_low"], summary["ci_high"] = lo, hi
    ranks = pd.Series(areas_est).rank(method="first").to_numpy()
    summary["rank"] = pd.array([None if np.isnan(r) else int(r) for r in ranks], dtype="Int64")
    status = city.groupby("area")["status"]
    summary["n_suppressed"] = [
        int((status.get_group(a) == "suppressed").sum()) if a in status.groups else 0
        for a in summary["area"]
    ]
    summary["n_no_data"] = [
        int((status.get_group(a) == "no_data").sum()) if a in status.groups else 0
        for a in summary["area"]
    ]
    if st.area_weights:
        summary["weight"] = [
            float(st.area_weights.get(a, w))
            for a, w in zip(summary["area"], summary["weight"], strict=False)
        ]
    return summary[_AREA_COLUMNS]


def _institution_table(view: Framework, st: _State, method: str) -> pd.DataFrame:
    """Each institution's policy score in each area of the view, with names and type."""
    inst = (
        institution_scores(st.policy, view, method=method, weights=st.weights, shift=st.shift)
        if len(st.policy)
        else pd.DataFrame(columns=["institution", "round", "area", "score", "n_indicators"])
    )
    meta = st.institutions
    if meta is not None and len(inst):
        info = meta.set_index("institution_id")
        inst.insert(1, "name_pl", inst["institution"].map(info["name_pl"]))
        inst.insert(2, "name_en", inst["institution"].map(info["name_en"]))
        inst.insert(3, "type", inst["institution"].map(info["type"]))
    else:
        for k, c in enumerate(("name_pl", "name_en", "type"), start=1):
            inst.insert(k, c, pd.Series(dtype="str"))
    names = {a.id: (a.name.pl, a.name.en) for a in view.areas}
    inst.insert(
        inst.columns.get_loc("area") + 1, "area_name_en", inst["area"].map(lambda a: names[a][1])
    )
    inst.insert(
        inst.columns.get_loc("area") + 1, "area_name_pl", inst["area"].map(lambda a: names[a][0])
    )
    return inst


def _assemble(
    view: Framework,
    st: _State,
    settings: dict,
    rules: DisclosureRules,
    disparities: pd.DataFrame,
    changes: pd.DataFrame,
) -> Scorecard:
    method = settings["aggregation"]
    ids = list(st.ids)
    areas_est, area_reps, index_est, index_reps = propagate_scores(
        view,
        ids,
        st.scores,
        st.replicate_scores,
        method=method,
        weights=st.weights,
        area_weights=st.area_weights,
        shift=st.shift,
    )
    area_se = replicate_se(st.replicate_design, area_reps, areas_est)
    lo, hi = t_interval(areas_est, area_se, st.df, st.level)
    idx_se = float(replicate_se(st.replicate_design, index_reps[:, None], np.array([index_est]))[0])
    ilo, ihi = t_interval(np.array([index_est]), np.array([idx_se]), st.df, st.level)

    indicators = _view_indicators(view, st.base_indicators)
    areas = _area_table(view, st, method, indicators, areas_est, area_se, lo, hi)
    index = pd.DataFrame(
        [
            {
                "framework": view.base.id,
                "grouping": view.grouped_by,
                "round": settings["round"],
                "aggregation": method,
                "score": index_est,
                "se": idx_se,
                "ci_low": float(ilo[0]),
                "ci_high": float(ihi[0]),
                "n_areas": int((~np.isnan(areas_est)).sum()),
                "replicates": settings["replicates"],
                "level": st.level,
            }
        ]
    )

    inst = _institution_table(view, st, method)
    return Scorecard(
        indicators=indicators,
        areas=areas,
        index=index,
        institutions=inst,
        disparities=disparities,
        changes=changes,
        framework=view,
        rules=rules,
        settings=MappingProxyType(dict(settings)),
        _state=st,
    )
