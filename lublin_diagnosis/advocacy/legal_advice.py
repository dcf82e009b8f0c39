"""The legal-advice case log: cases by problem, nationality group, outcome and month,
each problem linked to the areas of the framework it concerns.

The project gave free legal advice to about 60 migrants. The case log
(``legal_cases.csv``: no names, no free text) is tiny, so every count published from it
goes through :func:`~lublin_diagnosis.disclosure.counts.protect_counts`: a count from 1 to
``min_n - 1`` is suppressed, and further cells are suppressed wherever the published
total would let a reader recover it (secondary suppression). Zero cells describe nobody
and are shown.

Each breakdown is published as its own one-way table with its total. Crosstabs (problem
by nationality, say) are not published: with 60 cases almost every cell would be
suppressed, and two linked tables sharing a margin could let a reader recover a cell
that each table protects on its own.

Problems and areas
------------------
A case can concern several problems, so the problem table counts *mentions*: its total
is the number of (case, problem) pairs, not of cases. :data:`PROBLEM_AREAS` links each
problem category to the framework areas it concerns; it is a documented judgement, not
data, and can be replaced (``mapping=``):

================  =====================================================
problem           areas
================  =====================================================
residence         legal_aid (legal status, residence permits)
work              labour
social_benefits   social_assistance
housing           housing
health            health
education         education
family            domestic_violence, social_assistance
discrimination    anti_discrimination
citizenship       legal_aid
other             (none)
================  =====================================================

Counts by area are deliberately not published: an area total that adds up published and
suppressed problem counts (legal_aid = residence + citizenship) would recover the
suppressed one by subtraction.

>>> from types import SimpleNamespace as NS
>>> import pandas as pd
>>> cases = pd.DataFrame({"case_id": ["C1", "C2", "C3"],
...                       "date_opened": pd.to_datetime(["2022-04-05", "2022-04-20", "2022-06-01"]),
...                       "nationality_group": ["UA", "UA", "BY"], "problems": ["work;housing", "work", "residence"],
...                       "outcome": ["resolved", "referred", "resolved"], "n_consultations": [2, 1, 3]})
>>> case_counts(NS(legal_cases=cases), "month").to_dict()
{'2022-04': 2, '2022-05': 0, '2022-06': 1}
>>> case_counts(NS(legal_cases=cases), "problem")[["work", "housing", "residence"]].tolist()
[2, 1, 1]
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, protect_counts
from lublin_diagnosis.exceptions import DataError, Problem, ValidationError
from lublin_diagnosis.framework.resolver import resolve_framework

__all__ = [
    "BREAKDOWNS",
    "NATIONALITY_GROUPS",
    "OUTCOMES",
    "PROBLEMS",
    "PROBLEM_AREAS",
    "case_counts",
    "case_summary",
    "plot_case_counts",
    "problem_areas",
    "protected_case_counts",
]

#: Problem category → framework areas it concerns (module docstring).
PROBLEM_AREAS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "residence": ("legal_aid",),
        "work": ("labour",),
        "social_benefits": ("social_assistance",),
        "housing": ("housing",),
        "health": ("health",),
        "education": ("education",),
        "family": ("domestic_violence", "social_assistance"),
        "discrimination": ("anti_discrimination",),
        "citizenship": ("legal_aid",),
        "other": (),
    }
)
#: Problem categories of the case log, in the order of the tables.
PROBLEMS: tuple[str, ...] = tuple(PROBLEM_AREAS)
#: Nationality groups of the case log.
NATIONALITY_GROUPS: tuple[str, ...] = (
    "UA",
    "BY",
    "RU",
    "other_europe",
    "asia",
    "africa_middle_east",
    "other",
)
#: Outcomes of a case.
OUTCOMES: tuple[str, ...] = ("resolved", "advice_given", "referred", "ongoing", "dropped")
#: The breakdowns :func:`case_counts` gives.
BREAKDOWNS: tuple[str, ...] = ("problem", "nationality_group", "outcome", "month")

_CODES = {"problem": PROBLEMS, "nationality_group": NATIONALITY_GROUPS, "outcome": OUTCOMES}
_LOCALE = {
    "problem": "legal.problems",
    "nationality_group": "legal.nationality",
    "outcome": "legal.outcomes",
}


def _cases(dataset: Any) -> pd.DataFrame:
    cases = getattr(dataset, "legal_cases", None)
    if cases is None:
        raise DataError(
            "the dataset has no legal-advice case log (legal_cases.csv is "
            "declared absent or missing)"
        )
    return cases


def _row(frame: pd.DataFrame, pos: int) -> int | None:
    return pos + 2 if isinstance(frame.index, pd.RangeIndex) else None


def problem_areas(
    *,
    framework: Any = None,
    lang: str | None = None,
    mapping: Mapping[str, tuple[str, ...]] = PROBLEM_AREAS,
) -> pd.DataFrame:
    """The problem → area mapping as a table (one row per problem and area).

    Parameters
    ----------
    framework : Framework or str, optional
        The areas must be areas of it (default ``lublin-14``).
    lang : {"pl", "en"}, optional
        Add ``problem_name`` (locale files) and ``area_name`` (framework).
    mapping : mapping, optional
        Problem → area ids (default :data:`PROBLEM_AREAS`).

    Returns
    -------
    DataFrame
        ``problem, area, area_number``; a problem with no area has one row with the
        area missing.

    Raises
    ------
    DataError
        When the mapping names an area that is not in the framework.

    Examples
    --------
    >>> problem_areas().query("problem == 'family'")["area"].tolist()
    ['domestic_violence', 'social_assistance']
    >>> problem_areas(mapping={"work": ("jobs",)})
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.DataError: problem 'work' is linked to area 'jobs', which is not an area of framework lublin-14; known areas: health, education, labour, housing, social_assistance, domestic_violence, language, information, city_services, anti_discrimination, participation, culture, safety, legal_aid
    """
    fw = resolve_framework(framework)
    known = list(fw.base.area_ids)
    rows = []
    for problem, areas in mapping.items():
        if not areas:
            rows.append({"problem": problem, "area": None, "area_number": None})
        for area in areas:
            if area not in known:
                raise DataError(
                    f"problem {problem!r} is linked to area {area!r}, which is "
                    f"not an area of framework {fw.base.id}; known areas: "
                    f"{', '.join(known)}"
                )
            rows.append(
                {"problem": problem, "area": area, "area_number": fw.base.area(area).number}
            )
    out = pd.DataFrame(rows, columns=["problem", "area", "area_number"])
    out["area_number"] = pd.array(out["area_number"].tolist(), dtype="Int64")
    out["area"] = out["area"].astype(object).where(out["area"].notna(), None)
    if lang is not None:
        from lublin_diagnosis.report.i18n import check_lang, t

        check_lang(lang)
        out.insert(1, "problem_name", [t(f"legal.problems.{p}", lang) for p in out["problem"]])
        out["area_name"] = [fw.label(a, lang) if a is not None else None for a in out["area"]]
    return out


def case_counts(dataset: Any, by: str, *, lang: str | None = None) -> pd.Series:
    """Number of cases per category of one breakdown, every category listed.

    Parameters
    ----------
    dataset : Dataset
        Its ``legal_cases``.
    by : {"problem", "nationality_group", "outcome", "month"}
        ``problem`` counts mentions (a case with two problems counts in both);
        ``month`` is the month the case was opened, ``YYYY-MM``, every month from the
        first case to the last (months without a case are 0).
    lang : {"pl", "en"}, optional
        Label the categories in that language (locale files) instead of codes; the
        index is then named ``<by>_name`` (``problem_name``). Months stay ``YYYY-MM``.

    Returns
    -------
    Series
        Unweighted counts named ``count``, index named ``by``: the input of
        :func:`~lublin_diagnosis.disclosure.counts.protect_counts` and
        :meth:`~lublin_diagnosis.report.publish.Publisher.counts`. **Never publish it
        unprotected.**

    Raises
    ------
    ValueError
        For an unknown breakdown.
    DataError
        When the dataset has no case log.
    ValidationError
        Naming every case with a code outside the contract.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> log = NS(legal_cases=pd.DataFrame({"case_id": ["C1", "C2"], "outcome": ["resolved", "won"]}))
    >>> case_counts(log, "outcome")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ValidationError: the legal-advice case log breaks its contract:
      - legal_cases.csv, row 3, column 'outcome': [allowed] (value 'won') case C2: outcome 'won' is not one of resolved, advice_given, referred, ongoing, dropped
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"by must be one of {', '.join(BREAKDOWNS)}, not {by!r}")
    cases = _cases(dataset)
    if by == "month":
        months = pd.to_datetime(cases["date_opened"]).dt.to_period("M")
        if months.isna().any():
            pos = int(np.flatnonzero(months.isna().to_numpy())[0])
            raise ValidationError(
                [
                    Problem(
                        "legal_cases.csv",
                        "required",
                        f"case {cases['case_id'].iloc[pos]} has no date_opened",
                        row=_row(cases, pos),
                        column="date_opened",
                    )
                ]
            )
        if len(months):
            labels = pd.period_range(months.min(), months.max(), freq="M")
        else:
            labels = pd.PeriodIndex([], freq="M")
        counts = months.value_counts()
        values = [int(counts.get(p, 0)) for p in labels]
        index = pd.Index([p.strftime("%Y-%m") for p in labels], name="month", dtype="str")
        return pd.Series(values, index=index, name="count", dtype="int64")
    codes = _CODES[by]
    if by == "problem":
        items = [
            (pos, case, item.strip())
            for pos, (case, cell) in enumerate(
                zip(cases["case_id"], cases["problems"], strict=False)
            )
            for item in str(cell).split(";")
            if item.strip()
        ]
        column = "problems"
    else:
        items = [
            (pos, case, str(v))
            for pos, (case, v) in enumerate(zip(cases["case_id"], cases[by], strict=False))
        ]
        column = by
    bad = [
        Problem(
            "legal_cases.csv",
            "allowed",
            f"case {case}: {column} {value!r} is not one of {', '.join(codes)}",
            row=_row(cases, pos),
            column=column,
            value=value,
        )
        for pos, case, value in items
        if value not in codes
    ]
    if bad:
        raise ValidationError(bad, summary="the legal-advice case log breaks its contract")
    counts = pd.Series([v for _, _, v in items], dtype="str").value_counts()
    values = [int(counts.get(c, 0)) for c in codes]
    labels, name = list(codes), by
    if lang is not None:
        from lublin_diagnosis.report.i18n import check_lang, t

        check_lang(lang)
        labels, name = [t(f"{_LOCALE[by]}.{c}", lang) for c in codes], f"{by}_name"
    return pd.Series(
        values, index=pd.Index(labels, name=name, dtype="str"), name="count", dtype="int64"
    )


def protected_case_counts(
    dataset: Any, by: str, *, rules: DisclosureRules = DisclosureRules(), lang: str | None = None
) -> pd.DataFrame:
    """:func:`case_counts` through :func:`~lublin_diagnosis.disclosure.counts.protect_counts`:
    the table as it is published (with its total, suppressed cells missing).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": [f"C{i}" for i in range(40)],
    ...                       "date_opened": pd.to_datetime(["2022-04-05"] * 40),
    ...                       "nationality_group": ["UA"] * 25 + ["BY"] * 12 + ["RU"] * 3,
    ...                       "problems": ["work"] * 40, "outcome": ["resolved"] * 40,
    ...                       "n_consultations": [1] * 40})
    >>> out = protected_case_counts(NS(legal_cases=cases), "nationality_group")
    >>> out.set_index("nationality_group")["count"].astype(object).where(out["count"].notna().to_numpy(), None).to_dict()
    {'UA': 25, 'BY': None, 'RU': None, 'other_europe': 0, 'asia': 0, 'africa_middle_east': 0, 'other': 0, 'Total': 40}
    """
    return protect_counts(case_counts(dataset, by, lang=lang), rules)


def case_summary(dataset: Any, *, rules: DisclosureRules = DisclosureRules()) -> pd.DataFrame:
    """Headline figures of the case log, in one row.

    Returns
    -------
    DataFrame
        ``n_cases, n_problem_mentions, n_consultations, mean_consultations, first_case,
        last_case, first_period, last_period, suppressed``. When there are fewer than
        ``rules.min_n`` cases the counts and the mean are left out (``suppressed``
        true). The first and last opening dates are given exactly only when the month
        table (:func:`protected_case_counts` by ``"month"``) publishes the count of their
        month: while it suppresses that month, an exact date would single out a case
        in it, so ``first_case``
        / ``last_case`` are missing (``NaT``) and ``first_period`` / ``last_period`` give
        the month (``YYYY-MM``) instead of the day (``YYYY-MM-DD``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["C1", "C2"], "problems": ["work;housing", "work"],
    ...                       "n_consultations": [2, 1],
    ...                       "date_opened": pd.to_datetime(["2022-04-05", "2022-06-01"])})
    >>> case_summary(NS(legal_cases=cases), rules=DisclosureRules(min_n=2))[
    ...     ["n_cases", "n_problem_mentions", "mean_consultations"]].to_dict("records")
    [{'n_cases': 2, 'n_problem_mentions': 3, 'mean_consultations': 1.5}]
    >>> case_summary(NS(legal_cases=cases), rules=DisclosureRules(min_n=2))[
    ...     ["first_period", "last_period"]].to_dict("records")   # one case a month: months only
    [{'first_period': '2022-04', 'last_period': '2022-06'}]
    """
    cases = _cases(dataset)
    n = len(cases)
    mentions = int(sum(len([s for s in str(c).split(";") if s.strip()]) for c in cases["problems"]))
    consults = pd.to_numeric(cases["n_consultations"], errors="coerce")
    dates = pd.to_datetime(cases["date_opened"])
    hide = 0 < n < rules.min_n
    first, last = dates.min(), dates.max()
    shown = set()
    if n:
        months = protected_case_counts(dataset, "month", rules=rules)
        shown = set(months.loc[~months["suppressed"].astype(bool), "month"])
    exact_first, exact_last = (pd.notna(d) and d.strftime("%Y-%m") in shown for d in (first, last))
    out = pd.DataFrame(
        {
            "n_cases": pd.array([None if hide else n], dtype="Int64"),
            "n_problem_mentions": pd.array([None if hide else mentions], dtype="Int64"),
            "n_consultations": pd.array([None if hide else int(consults.sum())], dtype="Int64"),
            "mean_consultations": [np.nan if hide or n == 0 else float(consults.mean())],
            "first_case": [first if exact_first else pd.NaT],
            "last_case": [last if exact_last else pd.NaT],
            "first_period": [_period(first, exact_first)],
            "last_period": [_period(last, exact_last)],
            "suppressed": [bool(hide)],
        }
    )
    return out


def _period(date: pd.Timestamp, exact: bool) -> str:
    """``YYYY-MM-DD`` when ``exact``, else ``YYYY-MM`` (empty for no date).

    >>> _period(pd.Timestamp("2022-04-05"), False), _period(pd.Timestamp("2022-04-05"), True)
    ('2022-04', '2022-04-05')
    """
    if pd.isna(date):
        return ""
    return date.strftime("%Y-%m-%d" if exact else "%Y-%m")


def plot_case_counts(
    published: pd.DataFrame, *, lang: str, title: str = "", xlabel: str | None = None
):
    """Bar chart of a *published* one-way count table (from :func:`protected_case_counts`).

    Only what the table publishes is drawn: suppressed categories appear as a grey cross
    at zero, explained in the legend; the total row is left out.

    Returns
    -------
    matplotlib.figure.Figure
        16 cm wide, one bar per category, counts written at the bars.

    Examples
    --------
    >>> published = protected_case_counts(dataset, "problem", lang="en")   # doctest: +SKIP
    >>> fig = plot_case_counts(published, lang="en")                     # doctest: +SKIP
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from lublin_diagnosis.disclosure import COUNT_COLUMNS
    from lublin_diagnosis.report.i18n import t
    from lublin_diagnosis.report.plots import (
        CM,
        FONT_SIZE,
        PALETTE,
        mark_suppressed,
        note_handles,
        report_style,
    )

    label = [c for c in published.columns if c not in COUNT_COLUMNS][0]
    rows = published[published["cell"] == "cell"]
    n = len(rows)
    values = pd.to_numeric(rows["count"], errors="coerce").to_numpy(dtype=float)
    hidden = rows["suppressed"].astype(bool).to_numpy()
    with report_style():
        fig, ax = plt.subplots(
            figsize=(16 * CM, min(max(n, 1) * 0.55 + 2.6, 24) * CM), layout="constrained"
        )
        y = np.arange(n)
        ax.barh(y[~hidden], values[~hidden], color=PALETTE["main"], height=0.62)
        for yi, v, h in zip(y, values, hidden, strict=False):
            if not h:
                ax.text(v, yi, f" {int(v)}", va="center", ha="left", fontsize=FONT_SIZE - 1)
        mark_suppressed(ax, 0, y[hidden])
        ax.set_yticks(y, [str(v) for v in rows[label]])
        ax.set_ylim(n - 0.5, -0.5)
        top = np.nanmax(values[~hidden]) if (~hidden).any() else 1.0
        ax.set_xlim(0, top * 1.15 + 1)
        ax.set_xlabel(xlabel if xlabel is not None else t("legal.cases_axis", lang))
        ax.set_title(title)  # wrapped to the room the plot leaves it: plots.fit_titles
        handles = [Patch(color=PALETTE["main"], label=t("legal.cases_legend", lang))]
        handles += note_handles(lang, low=False, suppressed=bool(hidden.any()))
        fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False)
    return fig
