"""The legal-advice case log (``legal_cases.csv``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lublin_diagnosis.data.contracts import LEGAL_CASES
from lublin_diagnosis.data.synth._common import (
    DEFAULT_SEED,
    N_LEGAL_CASES,
    _day,
    _days_between,
    _draw_rows,
    _frame,
    _rng,
)
from lublin_diagnosis.data.synth._design import _AGE_GROUPS
from lublin_diagnosis.data.synth.survey import _lookup

# --------------------------------------------------------------------------- legal cases
# the code lists of the legal-case contract, in its order (the probabilities follow it)
_NATIONALITY = tuple(LEGAL_CASES.column("nationality_group").allowed or ())
_P_NATIONALITY = [0.45, 0.15, 0.07, 0.03, 0.10, 0.15, 0.05]
_PROBLEMS = tuple(LEGAL_CASES.column("problems").allowed or ())
#: P(first problem | nationality group), columns in _PROBLEMS order
_P_PROBLEM = {
    "UA": [0.20, 0.15, 0.22, 0.13, 0.08, 0.06, 0.08, 0.03, 0.01, 0.04],
    "BY": [0.40, 0.20, 0.05, 0.05, 0.04, 0.03, 0.04, 0.03, 0.12, 0.04],
    "RU": [0.45, 0.15, 0.05, 0.05, 0.05, 0.03, 0.07, 0.05, 0.06, 0.04],
    "other_europe": [0.30, 0.25, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05, 0.00, 0.05],
    "asia": [0.40, 0.20, 0.03, 0.08, 0.05, 0.10, 0.04, 0.06, 0.00, 0.04],
    "africa_middle_east": [0.38, 0.12, 0.03, 0.10, 0.05, 0.12, 0.04, 0.12, 0.00, 0.04],
    "other": [0.40, 0.20, 0.05, 0.05, 0.05, 0.10, 0.05, 0.05, 0.00, 0.05],
}
_OUTCOMES = ("resolved", "advice_given", "referred", "ongoing", "dropped")


def make_legal_cases(seed: int = DEFAULT_SEED, n: int = N_LEGAL_CASES) -> pd.DataFrame:
    """The legal-advice case log: ``n`` synthetic cases opened in 2022-2023.

    No names and no free text. Nationality groups follow the clients of a Lublin advice
    point (mostly Ukrainian and Belarusian, many students from Africa and the Middle
    East); 40-50 % of cases combine two or more problem categories; recent cases are more
    often ``ongoing``.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    n : int
        Number of cases.

    Returns
    -------
    pandas.DataFrame
        Columns ``case_id, date_opened, nationality_group, sex, age_group, problems,
        outcome, n_consultations``, sorted by date.
    """
    rng = _rng(seed, "legal_cases")
    start, end = "2022-04-04", "2023-11-30"
    offsets = np.sort(rng.integers(0, _days_between(start, end) + 1, size=n))
    dates = _day(start, offsets)
    nat = np.array(_NATIONALITY)[_draw_rows(rng, np.tile(_P_NATIONALITY, (n, 1)))]
    sex = np.array(["F", "M", "X"])[_draw_rows(rng, np.tile([0.55, 0.43, 0.02], (n, 1)))]
    far = np.isin(nat, ["asia", "africa_middle_east"])
    p_age = np.where(far[:, None], [0.60, 0.32, 0.08, 0.0], [0.26, 0.46, 0.22, 0.06])
    age = np.array(_AGE_GROUPS)[_draw_rows(rng, p_age)]
    first = _draw_rows(rng, _lookup(_P_PROBLEM, nat))
    problems, n_cons, outcome = [], [], []
    for i in range(n):
        chosen = {int(first[i])}
        extra = rng.choice([0, 1, 2], p=[0.55, 0.33, 0.12])
        while len(chosen) < 1 + extra:
            chosen.add(int(_draw_rows(rng, np.array([_P_PROBLEM[nat[i]]]))[0]))
        problems.append(";".join(_PROBLEMS[j] for j in sorted(chosen)))
        recent = offsets[i] > _days_between(start, "2023-09-15")
        p_out = [0.25, 0.30, 0.15, 0.25, 0.05] if recent else [0.32, 0.34, 0.16, 0.08, 0.10]
        outcome.append(_OUTCOMES[int(_draw_rows(rng, np.array([p_out]))[0])])
        n_cons.append(1 + int(rng.poisson(0.8 + 0.7 * extra)))
    return _frame(
        {
            "case_id": [f"LC{i + 1:03d}" for i in range(n)],
            "date_opened": dates,
            "nationality_group": nat,
            "sex": sex,
            "age_group": age,
            "problems": problems,
            "outcome": outcome,
            "n_consultations": n_cons,
        }
    )
