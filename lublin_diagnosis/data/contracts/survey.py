"""The survey's schema, built from its codebook, and the typed survey frame."""

from __future__ import annotations

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.contracts.schema import Column, Schema
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.exceptions import shorten


# --------------------------------------------------------------------------- survey
def survey_schema(codebook: Codebook, *, filename: str = "survey.csv") -> Schema:
    """The schema of a survey file described by ``codebook``.

    Every codebook variable is a required column and no other column is allowed. The id
    is non-empty and unique; categorical/ordinal values are codes of the codebook or its
    missing codes; integer/float values are numbers within the codebook range (integers
    whole) once missing codes are removed; an empty cell is a missing value (an item
    outside its universe).

    Examples
    --------
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}, "missing": ["-9"]},
    ...     {"name": "polish_level", "type": "ordinal", "role": "grouping", "label": lab,
    ...      "values": {"0": lab, "1": lab, "2": lab}}]})
    >>> survey_schema(cb).column("sex").allowed
    ('F', 'M')
    >>> survey_schema(cb).column("sex").missing
    ('-9',)
    """
    columns = []
    for var in codebook:
        fix = f"(see variable {shorten(var.name)} in the codebook)"
        if var.type == "id":
            columns.append(
                Column(
                    var.name,
                    "text",
                    required=True,
                    unique=True,
                    from_codebook=True,
                    hint="Every respondent needs their own id.",
                )
            )
        elif var.is_coded:
            columns.append(
                Column(
                    var.name,
                    "code",
                    required=False,
                    allowed=var.codes,
                    missing=var.missing,
                    ordered=var.type == "ordinal",
                    from_codebook=True,
                    description=var.label.get("en", ""),
                )
            )
        else:
            lo, hi = var.range if var.range is not None else (None, None)
            columns.append(
                Column(
                    var.name,
                    "integer" if var.type == "integer" else "number",
                    required=False,
                    min=lo,
                    max=hi,
                    missing=var.missing,
                    from_codebook=True,
                    hint=f"If the value means 'no answer', declare it a missing code {fix}.",
                    description=var.label.get("en", ""),
                )
            )
    return Schema(
        "survey",
        filename,
        tuple(columns),
        extra_columns=False,
        noun="respondents",
        description="survey microdata, one row per respondent",
        extra_hint="add the variable to the codebook or remove the column",
    )


def survey_frame(frame: pd.DataFrame, codebook: Codebook, *, decimal: str = ".") -> pd.DataFrame:
    """Typed survey: one column per codebook variable, in codebook order.

    Categorical/ordinal variables become ``pandas.Categorical`` with the codebook's codes
    as categories in codebook order (ordered for ordinal variables); integer/float
    variables become ``float64``; the id stays text. Missing codes, and values that are
    not codes, become missing values (run :meth:`Schema.check` first to report them).

    Examples
    --------
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}, "missing": ["-9"]},
    ...     {"name": "polish_level", "type": "ordinal", "role": "grouping", "label": lab,
    ...      "values": {"0": lab, "1": lab, "2": lab}}]})
    >>> text = pd.DataFrame({"resp_id": ["R1", "R2"], "sex": ["F", "-9"],
    ...                      "polish_level": ["2", "0"]}, index=[2, 3])
    >>> survey = survey_frame(text, cb)
    >>> survey["polish_level"].cat.ordered, survey["sex"].isna().tolist()
    (True, [False, True])
    """
    out = {}
    for var in codebook:
        if var.name not in frame.columns:
            continue
        values = frame[var.name]
        if var.missing:
            values = values.mask(values.isin(var.missing))
        if var.type == "id":
            out[var.name] = values.astype("str")
        elif var.is_coded:
            dtype = pd.CategoricalDtype(list(var.codes), ordered=var.type == "ordinal")
            out[var.name] = pd.Series(
                pd.Categorical(values.astype("object"), dtype=dtype), index=values.index
            )
        else:
            out[var.name] = parse_numbers(values, decimal=decimal)
    return pd.DataFrame(out, index=frame.index).reset_index(drop=True)


def survey_history_schema(codebook: Codebook, *, filename: str = "survey_history.csv") -> Schema:
    """The schema of ``survey_history.csv``: earlier survey rounds, the columns of the
    survey plus ``round`` (the year of the round). Respondent ids are unique within a
    round.

    Examples
    --------
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab}]})
    >>> survey_history_schema(cb).column_names
    ['round', 'resp_id']
    """
    import dataclasses

    base = survey_schema(codebook, filename=filename)
    ids = [c.name for c in base.columns if c.unique]
    columns = tuple(dataclasses.replace(c, unique=False) for c in base.columns)
    round_column = Column(
        "round", "integer", min=1900, max=2100, hint="The round is the year of the survey."
    )
    return dataclasses.replace(
        base,
        name="survey_history",
        columns=(round_column, *columns),
        unique_together=tuple(("round", i) for i in ids),
        description="earlier survey rounds, one row per respondent and round",
    )
