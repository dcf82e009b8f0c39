"""Indicators and scores: policy (P), administrative (A) and outcome (O) indicator scores,
area scores and the index with replicate intervals, disparities, change between rounds,
and the JRC-style sensitivity analysis, gathered in the :class:`Scorecard`.
"""

from lublin_diagnosis.indicators.change import compare_designs, outcome_changes, policy_changes
from lublin_diagnosis.indicators.scorecard import Scorecard, build_scorecard
from lublin_diagnosis.indicators.scoring import (
    admin_scores,
    aggregate,
    outcome_estimates,
    policy_scores,
)
from lublin_diagnosis.indicators.sensitivity import SensitivityResult, sensitivity_analysis

__all__ = [
    "Scorecard",
    "SensitivityResult",
    "admin_scores",
    "aggregate",
    "build_scorecard",
    "compare_designs",
    "outcome_changes",
    "outcome_estimates",
    "policy_changes",
    "policy_scores",
    "sensitivity_analysis",
]
