"""Aggregate views of a dataset for the data-check and weighting notebooks.

Each function returns a small aggregate table with the library's column names (the
publisher translates the headers), with labels in the language asked for taken from the
codebook and the framework. None returns respondent-level rows.

>>> import lublin_diagnosis as ld
>>> ds = ld.load_dataset("data/demo")                               # doctest: +SKIP
>>> input_summary(ld.validate_dir("data/demo")).iloc[1].tolist()  # doctest: +SKIP
['survey.csv', 1200, 48, 0]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, weight_step
from lublin_diagnosis.report.i18n import t

__all__ = [
    "category_counts",
    "input_summary",
    "item_response",
    "margin_table",
    "monitoring_coverage",
    "weight_summary",
]

#: Columns of :func:`item_response`.
ITEM_COLUMNS: tuple[str, ...] = (
    "variable",
    "label",
    "answered",
    "missing",
    "missing_share",
    "suppressed",
    "flags",
)


def input_summary(report: Any) -> pd.DataFrame:
    """One row per input file: ``file, rows, columns, problems`` (from ``validate_dir``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> rep = NS(files=[NS(file="survey.csv", rows=1200, columns=48, problems=0,
    ...                    present=True)])
    >>> input_summary(rep).to_dict("records")
    [{'file': 'survey.csv', 'rows': 1200, 'columns': 48, 'problems': 0}]
    """
    rows = [
        {"file": f.file, "rows": f.rows, "columns": f.columns, "problems": f.problems}
        for f in report.files
        if f.present
    ]
    out = pd.DataFrame(rows, columns=["file", "rows", "columns", "problems"])
    for col in ("rows", "columns", "problems"):
        out[col] = out[col].astype("Int64")
    return out


def category_counts(dataset: Any, variable: str, lang: str) -> pd.Series:
    """Unweighted respondents per category of a coded survey variable, labelled in
    ``lang`` (codebook order; missing answers left out), as a Series named ``count``
    whose index is named ``category`` — the input of
    :meth:`~lublin_diagnosis.report.publish.Publisher.counts`.
    """
    cb = dataset.codebook
    labels = cb.value_labels(variable, lang)
    col = dataset.survey[variable].astype(object).map(lambda v: None if pd.isna(v) else str(v))
    counts = col.value_counts()
    series = pd.Series(
        [int(counts.get(code, 0)) for code in labels],
        index=pd.Index(list(labels.values()), name="category"),
        name="count",
    )
    return series


def item_response(
    dataset: Any, lang: str, *, role: str = "outcome", rules: Any = None
) -> pd.DataFrame:
    """Answers per survey variable of a role: ``variable, label, answered, missing,
    missing_share, suppressed, flags``, where *missing* counts respondents without an
    answer (not asked, refused or don't know).

    Disclosure control: answered and missing add up to the sample size, which is
    published, so when either is from 1 to ``rules.min_n - 1`` both counts and the share
    are left out (``suppressed`` true, flag ``suppressed``); a count under ``min_n`` is
    never published.

    Parameters
    ----------
    rules : DisclosureRules, optional
        The run's rules (default :class:`~lublin_diagnosis.disclosure.DisclosureRules`).

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> cb = NS(by_role=lambda r: ["x", "y"], label=lambda v, lang: v.upper())
    >>> x = [1.0] * 20 + [None] * 20
    >>> y = [1.0] * 37 + [None] * 3
    >>> ds = NS(codebook=cb, survey=pd.DataFrame({"x": x, "y": y}))
    >>> item_response(ds, "en").drop(columns="label").to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'variable': 'x', 'answered': 20, 'missing': 20, 'missing_share': 0.5,
      'suppressed': False, 'flags': ''},
     {'variable': 'y', 'answered': None, 'missing': None, 'missing_share': nan,
      'suppressed': True, 'flags': 'suppressed'}]
    """
    rules = rules if rules is not None else DisclosureRules()
    cb = dataset.codebook
    rows = []
    n = len(dataset.survey)
    for name in cb.by_role(role):
        answered = int(dataset.survey[name].notna().sum())
        missing = n - answered
        hide = 0 < answered < rules.min_n or 0 < missing < rules.min_n
        rows.append(
            {
                "variable": name,
                "label": cb.label(name, lang),
                "answered": None if hide else answered,
                "missing": None if hide else missing,
                "missing_share": float("nan") if hide or n == 0 else missing / n,
                "suppressed": hide,
                "flags": "suppressed" if hide else "",
            }
        )
    out = pd.DataFrame(rows, columns=[*ITEM_COLUMNS])
    for col in ("answered", "missing"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["missing_share"] = out["missing_share"].astype(float)
    out["suppressed"] = out["suppressed"].astype(bool)
    out["flags"] = out["flags"].astype(str)
    return out


def monitoring_coverage(dataset: Any, framework: Any, lang: str) -> pd.DataFrame:
    """Policy answers and administrative figures per area and round: ``area, name,
    round, institutions, answers, figures``."""
    area_of = {ind.id: ind.area for ind in framework.indicators}
    parts = []
    for kind, table in (("answers", dataset.monitoring), ("figures", dataset.admin)):
        if table is None or table.empty:
            continue
        frame = table.assign(area=table["indicator_id"].map(area_of))
        agg = frame.groupby(["area", "round"], observed=True).agg(
            **{
                kind: ("indicator_id", "size"),
                f"institutions_{kind}": ("institution_id", "nunique"),
            }
        )
        parts.append(agg)
    if not parts:
        return pd.DataFrame(columns=["area", "name", "round", "institutions", "answers", "figures"])
    out = pd.concat(parts, axis=1).fillna(0).reset_index()
    inst_cols = [c for c in out.columns if c.startswith("institutions_")]
    out["institutions"] = out[inst_cols].max(axis=1).astype(int)
    for col in ("answers", "figures"):
        out[col] = out[col].astype(int) if col in out.columns else 0
    order = {a: k for k, a in enumerate(framework.area_ids)}
    out["name"] = out["area"].map(lambda a: framework.label(a, lang))
    out = out.sort_values(
        ["area", "round"], key=lambda s: s.map(order) if s.name == "area" else s
    ).reset_index(drop=True)
    out["round"] = out["round"].astype(int)
    return out[["area", "name", "round", "institutions", "answers", "figures"]]


def weight_summary(diagnostics: Any, lang: str) -> pd.DataFrame:
    """The one-row weight summary of :meth:`SurveyDesign.diagnostics` as ``statistic,
    value`` rows (respondents, sum of weights, spread, Kish design effect, effective n),
    the statistics named in ``lang``.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> weight_summary(NS(summary=pd.DataFrame([{"kish_deff": 1.38}])), "en").to_dict("records")
    [{'statistic': 'Kish design effect', 'value': 1.38}]
    """
    row = diagnostics.summary.iloc[0]
    return pd.DataFrame(
        {
            "statistic": [t(f"stats.{name}", lang) for name in row.index],
            "value": [float(v) for v in row.to_numpy()],
        }
    )


def margin_table(diagnostics: Any, codebook: Any, lang: str, *, rules: Any = None) -> pd.DataFrame:
    """Margins before and after weighting: ``variable, variable_label, code, label,
    target, base, achieved, rel_diff``, with the weighted totals of each category
    (``code``, labelled ``label``) under the design weights (*base*) and the final
    weights (*achieved*).

    Disclosure control: a category's total under the design weights is the sum, over
    strata, of the stratum's base weight times its respondents in the category; at full
    precision, with the base weights known, it gives those stratum x category counts
    back. *base* is therefore rounded to a multiple of
    :func:`~lublin_diagnosis.disclosure.weight_step` (at least
    ``rules.min_n`` respondents' worth of weight), which keeps what it is shown for --
    how far the design weights are from the targets.
    """
    margins = diagnostics.margins.copy()
    if margins.empty:
        return pd.DataFrame(
            columns=[
                "variable",
                "variable_label",
                "code",
                "label",
                "target",
                "base",
                "achieved",
                "rel_diff",
            ]
        )
    last = margins["adjustment"].iloc[-1]
    margins = margins[margins["adjustment"] == last]
    margins["variable_label"] = margins["variable"].map(lambda v: codebook.label(v, lang))
    margins["label"] = [
        codebook.value_labels(v, lang).get(str(c), str(c))
        for v, c in zip(margins["variable"], margins["category"], strict=False)
    ]
    margins = margins.rename(columns={"category": "code"})
    rules = rules if rules is not None else DisclosureRules()
    n = int(diagnostics.summary["n"].iloc[0]) if "n" in diagnostics.summary else 0
    totals = margins.groupby("variable", sort=False)["target"].sum()
    step = weight_step(float(totals.max()) if len(totals) else 0.0, n, rules.min_n)
    margins["base"] = (margins["base"].astype(float) / step).round() * step
    return margins[
        ["variable", "variable_label", "code", "label", "target", "base", "achieved", "rel_diff"]
    ].reset_index(drop=True)
