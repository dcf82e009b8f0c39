"""Disparities: outcome indicators by citizenship, sex, age group and years in Poland.

For every outcome (``O``) indicator and every disparity variable, the weighted estimate
of each group (with its interval, score and unweighted base, as
:func:`~lublin_diagnosis.indicators.scoring.outcome_estimates` gives them) and a design-based test
that the groups do not differ:

* a share: the Rao-Scott second-order corrected F test of independence between the
  outcome and the groups, within the indicator's domain (``design.chisq``, R's
  ``svychisq(statistic="F")``);
* a mean: the Wald F test that every group has the same mean (``design.compare_means``,
  R's ``regTermTest``).

A test that cannot be computed (one group only, an outcome constant in the domain) has
missing statistics and the reason in ``test_note``. Tests use every respondent, also
those of groups suppressed for publication: a test statistic does not reveal a cell.

>>> from lublin_diagnosis.indicators.disparities import disparities
>>> table = disparities(design, by=["sex"])                    # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import DomainError, EstimationError
from lublin_diagnosis.framework.model import Framework
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.indicators.outcomes import group_column, outcome_column, outcome_columns
from lublin_diagnosis.indicators.scoring import (
    DISPARITY_VARIABLES,
    outcome_estimates,
)

__all__ = ["TEST_COLUMNS", "disparities", "disparity_tests"]

#: Columns of the test part of a disparity table.
TEST_COLUMNS: list[str] = ["test", "F", "ndf", "ddf", "p_value", "test_n", "test_note"]


def disparity_tests(
    design,
    framework: Framework | str = "lublin-14",
    *,
    by: str | Sequence[str] = DISPARITY_VARIABLES,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Design-based tests of equal outcomes across groups, per indicator and variable.

    Returns
    -------
    DataFrame
        ``indicator, by, test, F, ndf, ddf, p_value, test_n, test_note``; ``test`` is
        ``"rao_scott_F"`` for a share and ``"wald_F"`` for a mean, ``test_n`` the
        unweighted number of respondents in the domain with a group.

    Examples
    --------
    >>> disparity_tests(design, by="sex")                     # doctest: +SKIP
    """
    fw = resolve_framework(framework)
    by_vars = [by] if isinstance(by, str) else list(by)
    inds = [i for i in fw.base.indicators if i.kind == "O"]
    if indicators is not None:
        wanted = set(indicators)
        inds = [i for i in inds if i.id in wanted]
    work = outcome_columns(design, inds, by_vars)
    rows = []
    for k, ind in enumerate(inds):
        ycol = outcome_column(k)
        for b, v in enumerate(by_vars):
            gcol = group_column(k, b)
            share = ind.success is not None
            row = {
                "indicator": ind.id,
                "by": v,
                "test": "rao_scott_F" if share else "wald_F",
                "F": np.nan,
                "ndf": np.nan,
                "ddf": np.nan,
                "p_value": np.nan,
                "test_n": pd.NA,
                "test_note": "",
            }
            try:
                res = (
                    work.chisq(ycol, gcol) if share else work.compare_means(ycol, gcol, na_rm=True)
                ).iloc[0]
                row.update(
                    F=float(res["F"]),
                    ndf=float(res["ndf"]),
                    ddf=float(res["ddf"]),
                    p_value=float(res["p"]),
                    test_n=int(res["n"]),
                )
            except (EstimationError, DomainError, np.linalg.LinAlgError) as exc:
                row["test_note"] = _short(
                    str(exc).replace(ycol, ind.variable or ind.id).replace(gcol, v)
                )
            rows.append(row)
    out = pd.DataFrame(rows, columns=["indicator", "by", *TEST_COLUMNS])
    out["test_n"] = out["test_n"].astype("Int64")
    out["test_note"] = out["test_note"].astype("str")
    return out


def _short(text: str) -> str:
    return text.split(";")[0].strip()


def disparities(
    design,
    framework: Framework | str = "lublin-14",
    *,
    by: str | Sequence[str] = DISPARITY_VARIABLES,
    method: str = "logit",
    level: float = 0.95,
    indicators: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Group estimates of every outcome indicator, with the test of each variable.

    Parameters
    ----------
    design : SurveyDesign
    framework : Framework or str
    by : str or sequence of str
        Survey variables (default :data:`~lublin_diagnosis.indicators.scoring.DISPARITY_VARIABLES`:
        citizenship, sex, age_group, years_in_pl).
    method, level : see :func:`~lublin_diagnosis.indicators.scoring.outcome_estimates`
    indicators : iterable of str, optional
        Restrict to these outcome indicators.

    Returns
    -------
    DataFrame
        The columns of ``outcome_estimates(design, by=by)`` (one row per indicator ×
        variable × group, ``by`` the variable, ``group`` the group) followed by
        :data:`TEST_COLUMNS` (the test of that indicator and variable, repeated on each
        of its groups). Not yet protected: publish it through
        :func:`~lublin_diagnosis.disclosure.control.protect_estimates` with
        ``groups=["indicator", "by"]`` (the scorecard does).

    Examples
    --------
    >>> disparities(design, by=["citizenship"])                # doctest: +SKIP
    """
    fw = resolve_framework(framework)
    by_vars = [by] if isinstance(by, str) else list(by)
    est = outcome_estimates(
        design, fw, by=by_vars, method=method, level=level, indicators=indicators
    )
    tests = disparity_tests(design, fw, by=by_vars, indicators=indicators)
    return est.merge(tests, on=["indicator", "by"], how="left", validate="many_to_one")
