"""Change between monitoring rounds: baseline (2022) against follow-up (2023).

* ``P`` policy: the change of each institution's answer score, and of the city-wide
  score. The city-wide change is computed on the institutions answering the indicator
  in **both** rounds (matched), so that it is a change of practice and not of which
  institutions answered (:func:`policy_changes`).
* ``A`` administrative figures: the change of value and of score, per figure and
  city-wide; figures are taken as exact (:func:`admin_changes`).
* ``O`` survey outcomes: two survey rounds are **independent samples**, so the
  difference ``follow_up - baseline`` has standard error ``sqrt(se1² + se2²)``. It is
  tested with a t statistic on Satterthwaite's degrees of freedom
  ``(se1² + se2²)² / (se1⁴/df1 + se2⁴/df2)`` (a z test when both designs have
  infinite degrees of freedom), and the interval is ``difference ± t * se``
  (:func:`outcome_changes`, :func:`compare_designs`). Score changes are reported as
  point differences (clipping at the goalposts makes the score difference nonlinear
  in the data; its uncertainty is that of the value difference).

If the estimates were protected (:func:`~lublin_diagnosis.disclosure.control.protect_estimates`),
a change involving a suppressed estimate is suppressed too, and reliability flags are
carried over.

>>> from lublin_diagnosis.indicators.change import outcome_changes
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from lublin_diagnosis.disclosure import FLAGS
from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.scoring import (
    admin_scores,
    outcome_estimates,
    policy_scores,
)

__all__ = [
    "CHANGE_ESTIMATES",
    "CHANGE_SCORES",
    "CHANGE_COLUMNS",
    "admin_changes",
    "compare_designs",
    "outcome_changes",
    "policy_changes",
]

#: The estimate columns of a change (hidden together when a change is suppressed).
CHANGE_ESTIMATES: tuple[str, ...] = ("baseline", "follow_up", "change", "se", "ci_low", "ci_high")
#: The score columns of a change.
CHANGE_SCORES: tuple[str, ...] = ("score_baseline", "score_follow_up", "score_change")
#: Columns of every change table.
CHANGE_COLUMNS: list[str] = [
    "area",
    "indicator",
    "kind",
    "institution",
    "baseline_round",
    "follow_up_round",
    *CHANGE_ESTIMATES,
    "df",
    "statistic",
    "p_value",
    *CHANGE_SCORES,
    "n_baseline",
    "n_follow_up",
    "n_institutions",
    "suppressed",
    "low_reliability",
    "flags",
]


def _finish(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for c in ("suppressed", "low_reliability"):
        out[c] = out[c].fillna(False).astype(bool)
    out["flags"] = out["flags"].fillna("").astype("str")
    for c in ("baseline_round", "follow_up_round", "n_baseline", "n_follow_up", "n_institutions"):
        out[c] = pd.array(
            [
                None
                if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
                else int(v)
                for v in out[c]
            ],
            dtype="Int64",
        )
    out["institution"] = out["institution"].astype(object).where(out["institution"].notna(), None)
    return out


def _exact_row(
    area: str,
    ind: str,
    kind: str,
    inst,
    r0: int,
    r1: int,
    v0: float,
    v1: float,
    s0: float,
    s1: float,
    n_inst: int,
) -> dict:
    return {
        "area": area,
        "indicator": ind,
        "kind": kind,
        "institution": inst,
        "baseline_round": r0,
        "follow_up_round": r1,
        "baseline": v0,
        "follow_up": v1,
        "change": v1 - v0,
        "se": np.nan,
        "ci_low": np.nan,
        "ci_high": np.nan,
        "df": np.nan,
        "statistic": np.nan,
        "p_value": np.nan,
        "score_baseline": s0,
        "score_follow_up": s1,
        "score_change": s1 - s0,
        "n_baseline": pd.NA,
        "n_follow_up": pd.NA,
        "n_institutions": n_inst,
        "suppressed": False,
        "low_reliability": False,
        "flags": "",
    }


def policy_changes(
    monitoring: pd.DataFrame,
    framework: Framework | str = "lublin-14",
    *,
    baseline: int,
    follow_up: int,
) -> pd.DataFrame:
    """Change of the policy (``P``) scores between two monitoring rounds.

    Parameters
    ----------
    monitoring : DataFrame
        ``Dataset.monitoring``.
    framework : Framework or str
    baseline, follow_up : int
        The two rounds.

    Returns
    -------
    DataFrame
        :data:`CHANGE_COLUMNS`: one row per institution answering an indicator in both
        rounds (``baseline``/``follow_up`` are its scores), then one city-wide row per
        indicator (``institution`` missing) with the unweighted means over those
        matched institutions and their number in ``n_institutions``.

    Examples
    --------
    >>> import pandas as pd
    >>> mon = pd.DataFrame({"institution_id": ["clinic_a", "clinic_b", "clinic_a"],
    ...                     "indicator_id": ["health_p_interpreting"] * 3,
    ...                     "answer": ["none", "full", "partial"], "round": [2022, 2022, 2023]})
    >>> policy_changes(mon, baseline=2022, follow_up=2023)[
    ...     ["institution", "baseline", "follow_up", "change", "n_institutions"]].to_dict("records")
    [{'institution': 'clinic_a', 'baseline': 0.0, 'follow_up': 50.0, 'change': 50.0, 'n_institutions': 1}, {'institution': None, 'baseline': 0.0, 'follow_up': 50.0, 'change': 50.0, 'n_institutions': 1}]
    """
    fw = resolve_framework(framework)
    scores = policy_scores(monitoring, fw)
    per = scores[scores["institution"].notna()]
    b = per[per["round"] == baseline].set_index(["indicator", "institution"])
    f = per[per["round"] == follow_up].set_index(["indicator", "institution"])
    both = b.index.intersection(f.index)
    rows = []
    order = {i: k for k, i in enumerate(fw.base.indicator_ids)}
    for ind_id in sorted({i for i, _ in both}, key=order.__getitem__):
        keys = [k for k in both if k[0] == ind_id]
        keys.sort(key=lambda k: k[1])
        area = fw.base.indicator(ind_id).area
        s0 = [float(b.loc[k, "score"]) for k in keys]
        s1 = [float(f.loc[k, "score"]) for k in keys]
        for k, x0, x1 in zip(keys, s0, s1, strict=False):
            rows.append(_exact_row(area, ind_id, "P", k[1], baseline, follow_up, x0, x1, x0, x1, 1))
        m0, m1 = float(np.mean(s0)), float(np.mean(s1))
        rows.append(
            _exact_row(area, ind_id, "P", None, baseline, follow_up, m0, m1, m0, m1, len(keys))
        )
    return _finish(rows)


def admin_changes(
    admin: pd.DataFrame, framework: Framework | str = "lublin-14", *, baseline: int, follow_up: int
) -> pd.DataFrame:
    """Change of the administrative (``A``) figures and their scores between two rounds.

    Rows as in :func:`admin_scores` (per institution and city-wide), for the figures
    present in both rounds.

    Examples
    --------
    >>> import pandas as pd
    >>> adm = pd.DataFrame({"indicator_id": ["legal_aid_a_permit_days"] * 2,
    ...                     "institution_id": ["voivodeship_office"] * 2,
    ...                     "round": [2022, 2023], "value": [260.0, 213.0]})
    >>> admin_changes(adm, baseline=2022, follow_up=2023)["change"].tolist()
    [-47.0, -47.0]
    """
    fw = resolve_framework(framework)
    scores = admin_scores(admin, fw)
    key = scores["institution"].astype(object).where(scores["institution"].notna(), "")
    scores = scores.assign(_key=key)
    b = scores[scores["round"] == baseline].set_index(["indicator", "_key"])
    f = scores[scores["round"] == follow_up].set_index(["indicator", "_key"])
    rows = []
    for k in b.index.intersection(f.index):
        r0, r1 = b.loc[k], f.loc[k]
        rows.append(
            _exact_row(
                r0["area"],
                k[0],
                "A",
                k[1] or None,
                baseline,
                follow_up,
                float(r0["value"]),
                float(r1["value"]),
                float(r0["score"]),
                float(r1["score"]),
                int(r1["n_institutions"]),
            )
        )
    out = _finish(rows)
    order = {i: n for n, i in enumerate(fw.base.indicator_ids)}
    return out.sort_values(
        ["indicator", "institution"],
        key=lambda s: s.map(order) if s.name == "indicator" else s.isna(),
        kind="stable",
    ).reset_index(drop=True)


def _satterthwaite(var0: float, df0: float, var1: float, df1: float) -> float:
    """Degrees of freedom of a sum of two independent variance estimates."""
    terms = [
        v**2 / d if np.isfinite(d) and d > 0 else (0.0 if not np.isfinite(d) else np.inf)
        for v, d in ((var0, df0), (var1, df1))
    ]
    denom = sum(terms)
    if denom == 0:
        return np.inf
    return float((var0 + var1) ** 2 / denom)


def outcome_changes(
    baseline: pd.DataFrame,
    follow_up: pd.DataFrame,
    *,
    baseline_round: int | None = None,
    follow_up_round: int | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Differences of outcome estimates between two independent survey rounds.

    Parameters
    ----------
    baseline, follow_up : DataFrame
        Estimates of the two rounds (:func:`~lublin_diagnosis.indicators.scoring.outcome_estimates`,
        possibly protected), matched on ``indicator`` (and ``by``, ``group`` if present).
    baseline_round, follow_up_round : int, optional
        Round labels for the table.
    level : float
        Confidence level of the interval of the difference.

    Returns
    -------
    DataFrame
        :data:`CHANGE_COLUMNS` (plus ``by``, ``group`` for group estimates):
        ``change = follow_up - baseline``, ``se = sqrt(se1² + se2²)``, Satterthwaite
        ``df``, the t ``statistic`` and its two-sided ``p_value``, the interval, score
        change, and the bases of both rounds.

    Examples
    --------
    >>> import pandas as pd
    >>> b = pd.DataFrame({"area": ["labour"], "indicator": ["labour_o_employed"],
    ...                   "value": [0.60], "se": [0.03], "df": [float("inf")], "n": [400],
    ...                   "score": [36.0]})
    >>> f = b.assign(value=[0.66], se=[0.04], score=[57.0])
    >>> r = outcome_changes(b, f).iloc[0]
    >>> round(float(r["change"]), 2), round(float(r["se"]), 3), round(float(r["statistic"]), 2)
    (0.06, 0.05, 1.2)
    """
    keys = ["indicator"] + [
        c for c in ("by", "group") if c in baseline.columns and c in follow_up.columns
    ]
    merged = baseline.merge(
        follow_up, on=keys, suffixes=("_0", "_1"), how="inner", validate="one_to_one"
    )
    alpha = 1 - level
    rows = []
    for rec in merged.to_dict("records"):
        v0, v1 = float(rec["value_0"]), float(rec["value_1"])
        se0, se1 = float(rec["se_0"]), float(rec["se_1"])
        df0 = float(rec.get("df_0", np.inf))
        df1 = float(rec.get("df_1", np.inf))
        flags0 = set(str(rec.get("flags_0", "") or "").split(";")) - {""}
        flags1 = set(str(rec.get("flags_1", "") or "").split(";")) - {""}
        hidden = bool(rec.get("suppressed_0", False)) or bool(rec.get("suppressed_1", False))
        diff, se, df, stat, p, lo, hi = _difference(v0, se0, df0, v1, se1, df1, alpha)
        flags = set()
        if hidden:
            flags.add(
                "suppressed" if ({"suppressed"} & (flags0 | flags1)) else "secondary_suppression"
            )
        else:
            flags |= (flags0 | flags1) & {"low_base", "high_cv"}
        row = {
            "area": rec.get("area_1", rec.get("area_0", rec.get("area"))),
            "indicator": rec["indicator"],
            "kind": "O",
            "institution": None,
            "baseline_round": baseline_round,
            "follow_up_round": follow_up_round,
            "baseline": v0,
            "follow_up": v1,
            "change": diff,
            "se": se,
            "ci_low": lo,
            "ci_high": hi,
            "df": df,
            "statistic": stat,
            "p_value": p,
            "score_baseline": float(rec.get("score_0", np.nan)),
            "score_follow_up": float(rec.get("score_1", np.nan)),
            "score_change": float(rec.get("score_1", np.nan)) - float(rec.get("score_0", np.nan)),
            "n_baseline": rec.get("n_0"),
            "n_follow_up": rec.get("n_1"),
            "n_institutions": pd.NA,
            "suppressed": hidden,
            "low_reliability": bool(flags & {"low_base", "high_cv"}),
            "flags": ";".join(f for f in FLAGS if f in flags),
        }
        if hidden:
            for c in (*CHANGE_ESTIMATES, "statistic", "p_value", *CHANGE_SCORES):
                row[c] = np.nan
        for c in keys[1:]:
            row[c] = rec[c]
        rows.append(row)
    out = _finish(rows)
    for c in keys[1:]:
        out[c] = [r[c] for r in rows]
    return out


def _difference(
    v0: float, se0: float, df0: float, v1: float, se1: float, df1: float, alpha: float
) -> tuple[float, float, float, float, float, float, float]:
    """Change between two independent estimates: difference, standard error,
    Satterthwaite degrees of freedom, t statistic, two-sided p value and interval."""
    diff = v1 - v0
    se = float(np.hypot(se0, se1))
    var0, var1 = se0**2, se1**2
    df = _satterthwaite(var0, df0, var1, df1)
    if se > 0 and np.isfinite(se):
        stat = diff / se
        dist = stats.norm if not np.isfinite(df) else stats.t(df)
        p = float(2 * dist.sf(abs(stat)))
        q = float(dist.ppf(1 - alpha / 2))
        lo, hi = diff - q * se, diff + q * se
    else:
        stat = p = lo = hi = np.nan
    return diff, se, df, stat, p, lo, hi


def compare_designs(
    baseline_design,
    follow_up_design,
    framework: Framework | str = "lublin-14",
    *,
    baseline_round: int | None = None,
    follow_up_round: int | None = None,
    method: str = "logit",
    level: float = 0.95,
) -> pd.DataFrame:
    """Outcome changes between two survey rounds, each with its own (raked) design.

    Estimates every outcome indicator in both designs
    (:func:`~lublin_diagnosis.indicators.scoring.outcome_estimates`) and compares them with
    :func:`outcome_changes`.

    Examples
    --------
    >>> compare_designs(design_2022, design_2023, baseline_round=2022,
    ...                 follow_up_round=2023)                          # doctest: +SKIP
    """
    fw = resolve_framework(framework)
    b = outcome_estimates(baseline_design, fw, method=method, level=level)
    f = outcome_estimates(follow_up_design, fw, method=method, level=level)
    return outcome_changes(
        b, f, baseline_round=baseline_round, follow_up_round=follow_up_round, level=level
    )
