"""The tables a scorecard is built from: the rounds scored, the policy and administrative
scores of the round, the city-wide indicator scores with their replicates, the
disparities and the changes since the baseline round."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure.control import DisclosureRules, protect_estimates
from lublin_diagnosis.exceptions import DataError
from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.indicators.change import (
    CHANGE_COLUMNS,
    admin_changes,
    outcome_changes,
    policy_changes,
)
from lublin_diagnosis.indicators.disparities import disparities as _disparities
from lublin_diagnosis.indicators.scoring import (
    POLICY_COLUMNS,
    admin_scores,
    outcome_estimates,
    policy_scores,
)

__all__ = [
    "change_table",
    "city_scores",
    "disparity_table",
    "policy_and_admin",
    "rounds_of",
    "rounds_scored",
]


def rounds_of(dataset: Any) -> list[int]:
    rounds: set[int] = set()
    for table in (dataset.monitoring, dataset.admin):
        if table is not None and "round" in table.columns:
            rounds |= {int(r) for r in table["round"].dropna().unique()}
    return sorted(rounds)


def rounds_scored(
    dataset: Any, round: int | None, previous_round: int | None, survey_round: int | None
) -> tuple[int | None, int | None, int | None]:
    """The monitoring round scored, its baseline and the survey round (defaults filled)."""
    rounds = rounds_of(dataset)
    if round is None:
        round = rounds[-1] if rounds else survey_round
    elif rounds and round not in rounds:
        raise DataError(f"round {round} is not a monitoring round of the data; rounds: {rounds}")
    if previous_round is None:
        earlier = [r for r in rounds if round is not None and r < round]
        previous_round = earlier[-1] if earlier else None
    survey_round = round if survey_round is None else survey_round
    return round, previous_round, survey_round


def policy_and_admin(
    dataset: Any, base: Framework, round: int | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Policy and administrative scores of the round (empty tables without data)."""
    policy = pd.DataFrame(columns=POLICY_COLUMNS)
    mon = dataset.monitoring
    if mon is not None and round is not None and (mon["round"] == round).any():
        policy = policy_scores(mon, base, round=round)
    admin = pd.DataFrame()
    adm = dataset.admin
    if adm is not None and round is not None and (adm["round"] == round).any():
        admin = admin_scores(adm, base, round=round)
    return policy, admin


def city_scores(
    table: pd.DataFrame,
    ids: Sequence[str],
    o_inds: Sequence[Any],
    thetas: np.ndarray,
    o_rep_scores: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """City-wide scores of the indicators that count (NaN: not aggregated) and their
    replicates (only outcome scores vary)."""
    city = table[table["institution"].isna()].set_index("indicator")
    scores = np.array(
        [float(city.loc[i, "score"]) if bool(city.loc[i, "in_aggregate"]) else np.nan for i in ids]
    )
    reps = np.repeat(scores[None, :], thetas.shape[0], axis=0)
    col = {i: j for j, i in enumerate(ids)}
    for j, ind in enumerate(o_inds):
        if not np.isnan(scores[col[ind.id]]):
            reps[:, col[ind.id]] = o_rep_scores[:, j]
    return scores, reps


def disparity_table(
    design: Any,
    base: Framework,
    disparity_by: Sequence[str],
    method: str,
    level: float,
    rules: DisclosureRules,
    survey_round: int | None,
) -> pd.DataFrame:
    """Protected disparities by the variables of ``disparity_by`` found in the survey."""
    present = [v for v in disparity_by if v in design.data.columns]
    disp = (
        _disparities(design, base, by=present, method=method, level=level)
        if present
        else pd.DataFrame()
    )
    if len(disp):
        disp = protect_estimates(disp, rules, groups=["indicator", "by"])
        disp.insert(disp.columns.get_loc("statistic") + 1, "round", survey_round)
    return disp


def change_table(
    dataset: Any,
    base: Framework,
    round: int | None,
    previous_round: int | None,
    survey_round: int | None,
    previous_design: Any,
    outcomes: pd.DataFrame,
    *,
    method: str,
    level: float,
    rules: DisclosureRules,
) -> pd.DataFrame:
    """Changes since the baseline round: policy, administrative and (with a previous
    design) outcome indicators."""
    mon, adm = dataset.monitoring, dataset.admin
    frames = []
    if previous_round is not None and round is not None:
        if mon is not None and {previous_round, round} <= set(mon["round"].unique()):
            frames.append(policy_changes(mon, base, baseline=previous_round, follow_up=round))
        if adm is not None and {previous_round, round} <= set(adm["round"].unique()):
            frames.append(admin_changes(adm, base, baseline=previous_round, follow_up=round))
    if previous_design is not None:
        before = protect_estimates(
            outcome_estimates(previous_design, base, method=method, level=level), rules
        )
        frames.append(
            outcome_changes(
                before,
                outcomes,
                baseline_round=previous_round,
                follow_up_round=survey_round,
                level=level,
            )
        )
    changes = (
        pd.concat([f for f in frames if len(f)], ignore_index=True)
        if any(len(f) for f in frames)
        else pd.DataFrame(columns=CHANGE_COLUMNS)
    )
    changes = changes[CHANGE_COLUMNS]
    return changes
