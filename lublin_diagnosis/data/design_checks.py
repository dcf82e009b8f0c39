"""Checks of the survey against its design and margins: what weighting and variance need.

The contracts (:mod:`.contracts`) check each file alone; these rules join the survey with
``dataset.yml``'s design and with the margins, so that ``validate`` reports, with the file
and spreadsheet row, everything the survey engine would otherwise stop on during ``run``:

* a weighting variable with a margin has no missing value (raking needs every
  respondent's category);
* every margin category is held by at least one respondent (otherwise no weight can
  reach its population count);
* every stratum has at least two sampling points (PSUs), unless ``dataset.yml`` sets a
  lonely-PSU policy other than ``fail`` (``design: {lonely_psu: adjust}``);
* a PSU id belongs to one stratum only, unless ``design: {nest: true}`` says that PSU ids
  are only unique within strata.

>>> import pandas as pd
>>> survey = pd.DataFrame({"stratum": ["S1", "S1", "S2"], "psu": ["P1", "P2", "P3"]},
...                       index=[2, 3, 4])
>>> [(p.row, p.column, p.value) for p in check_lonely_psus(
...     survey, ids=["psu"], strata="stratum", policy="fail", file="survey.csv")]
[(4, 'stratum', 'S2')]
>>> check_lonely_psus(survey, ids=["psu"], strata="stratum", policy="adjust",
...                   file="survey.csv")
[]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.contracts import MAX_MAGNITUDE, problems_from_failures
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.exceptions import Problem, shorten

__all__ = [
    "LONELY_PSU_POLICIES",
    "check_lonely_psus",
    "check_margin_coverage",
    "check_psu_nesting",
]

#: What the variance does with a stratum of one PSU (the survey engine's ``lonely_psu``,
#: R's ``options(survey.lonely.psu)``); ``fail`` is the default.
LONELY_PSU_POLICIES: tuple[str, ...] = ("fail", "adjust", "average", "remove", "certainty")

_ROWS_SHOWN = 5


def check_lonely_psus(
    survey: pd.DataFrame,
    *,
    ids: Sequence[str],
    strata: str | None,
    policy: str,
    file: str,
) -> list[Problem]:
    """One problem per stratum with a single first-stage sampling point (PSU).

    Parameters
    ----------
    survey : pandas.DataFrame
        The survey as text, indexed by spreadsheet row.
    ids : sequence of str
        The cluster variables, first stage first (empty: every respondent is a PSU).
    strata : str or None
        The stratum variable (None: one stratum).
    policy : str
        The lonely-PSU policy of ``dataset.yml``; only ``"fail"`` makes a lonely PSU a
        problem.
    file : str
        The survey's file name, for the problems.

    Returns
    -------
    list of Problem
        Rule ``lonely_psu``, at the stratum's first row; the message names the stratum,
        its PSU, the policy and what to do.
    """
    if policy != "fail":
        return []
    columns = list(dict.fromkeys(c for c in [strata, *ids[:1]] if c))
    if any(c not in survey.columns for c in columns):
        return []
    frame = survey[columns].dropna()
    if frame.empty:
        return []
    stratum = frame[strata] if strata else pd.Series("(all)", index=frame.index)
    psu = frame[ids[0]] if ids else pd.Series(frame.index.astype(str), index=frame.index)
    problems = []
    for key, members in psu.groupby(stratum, sort=False):
        if members.nunique() > 1:
            continue
        rows = members.index.tolist()
        shown = ", ".join(str(r) for r in rows[:_ROWS_SHOWN]) + (
            ", ..." if len(rows) > _ROWS_SHOWN else ""
        )
        what = f"stratum {shorten(key)}" if strata else "the survey (no strata)"
        unit = f"sampling point (PSU {shorten(members.iloc[0])})" if ids else "respondent"
        problems.append(
            Problem(
                file,
                "lonely_psu",
                f"{what} has a single {unit}, rows {shown}: its variance cannot be estimated "
                f"under the lonely-PSU policy 'fail' (the default); merge the stratum with a "
                f"neighbouring one, or choose a policy in dataset.yml, e.g. design: "
                f"{{lonely_psu: adjust}} (policies: {', '.join(LONELY_PSU_POLICIES)})",
                row=int(rows[0]),
                column=strata or (ids[0] if ids else None),
                value=key if strata else None,
            )
        )
    return problems


def check_psu_nesting(
    survey: pd.DataFrame,
    *,
    ids: Sequence[str],
    strata: str | None,
    nest: bool,
    file: str,
) -> list[Problem]:
    """One problem per first-stage PSU id found in more than one stratum (unless ``nest``).

    Examples
    --------
    >>> import pandas as pd
    >>> survey = pd.DataFrame({"stratum": ["S1", "S1", "S2", "S2"],
    ...                        "psu": ["P1", "P2", "P1", "P3"]}, index=[2, 3, 4, 5])
    >>> [(p.row, p.value) for p in check_psu_nesting(
    ...     survey, ids=["psu"], strata="stratum", nest=False, file="survey.csv")]
    [(4, 'P1')]
    """
    if nest or not strata or not ids or strata == ids[0]:
        return []
    if not {strata, ids[0]} <= set(survey.columns):
        return []
    frame = survey[[strata, ids[0]]].dropna()
    first = frame.groupby(ids[0], sort=False)[strata].transform("first")
    shared = frame[frame[strata] != first]
    problems = []
    for psu, rows in shared.groupby(ids[0], sort=False):
        where = frame.index[frame[ids[0]] == psu]
        strata_of = sorted({str(v) for v in frame.loc[where, strata]})
        problems.append(
            Problem(
                file,
                "psu_strata",
                f"sampling point {shorten(psu)} appears in strata "
                f"{', '.join(shorten(x) for x in strata_of[:5])} (first rows "
                f"{where[0]} and {rows.index[0]}): a PSU belongs to one stratum; correct "
                f"the PSU or stratum, or, if PSU ids are only unique within strata, set "
                f"design: {{nest: true}} in dataset.yml",
                row=int(rows.index[0]),
                column=ids[0],
                value=psu,
            )
        )
    return problems


def check_margin_coverage(
    survey: pd.DataFrame,
    margins: pd.DataFrame,
    codebook: Codebook,
    *,
    survey_file: str,
    margins_file: str,
    decimal: str = ".",
) -> list[Problem]:
    """Missing values of margin variables, and margin categories no respondent holds.

    Parameters
    ----------
    survey : pandas.DataFrame
        The survey as text, indexed by spreadsheet row.
    margins : pandas.DataFrame
        The margins as text (``variable``, ``category``, ``count``), indexed by row.
    codebook : Codebook
        Its missing codes count as missing values.
    survey_file, margins_file : str, keyword-only
        File names, for the problems.
    decimal : str, keyword-only
        The decimal mark of the margins file.

    Returns
    -------
    list of Problem
        Rule ``margin_variable_missing`` (survey rows) and ``margin_no_respondents``
        (margin rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}}]})
    >>> survey = pd.DataFrame({"sex": ["F", None]}, index=[2, 3])
    >>> margins = pd.DataFrame({"variable": ["sex", "sex"], "category": ["F", "M"],
    ...                         "count": ["60", "40"]}, index=[2, 3])
    >>> [(p.file, p.row, p.rule) for p in check_margin_coverage(
    ...     survey, margins, cb, survey_file="survey.csv", margins_file="margins.csv")]
    [('survey.csv', 3, 'margin_variable_missing'), ('margins.csv', 3, 'margin_no_respondents')]
    """
    problems: list[Problem] = []
    counts = parse_numbers(margins["count"], decimal=decimal)
    for var, rows in margins.groupby("variable", sort=False, dropna=True):
        variable = codebook.get(str(var))
        if variable is None or variable.role != "weighting" or not variable.is_coded:
            continue  # reported by the margin rules
        if var not in survey.columns:
            continue  # reported by the survey's contract
        values = survey[var]
        missing = values.isna() | values.isin(variable.missing)
        problems += problems_from_failures(
            survey_file,
            "margin_variable_missing",
            str(var),
            [(int(r), values[r]) for r in values.index[missing]],
            f"missing, but {shorten(var)} is raked to the margins of {margins_file}: every "
            f"respondent needs a category; fill it in, or add a category such as 'unknown' "
            f"to the codebook, the survey and the margins",
        )
        held = set(values[~missing].dropna())
        empty = [
            (int(r), c)
            for r, c in rows["category"].items()
            if c in variable.codes and c not in held and 0 < counts.get(r, 0) <= MAX_MAGNITUDE
        ]
        problems += problems_from_failures(
            margins_file,
            "margin_no_respondents",
            "category",
            empty,
            f"no respondent of {survey_file} has this category of {shorten(var)}, so no weight "
            f"can reach its population count; merge it with a neighbouring category in the "
            f"codebook, the survey and the margins",
        )
    return problems
