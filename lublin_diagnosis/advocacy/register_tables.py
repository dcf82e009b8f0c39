"""The recommendations register read as of a reference date.

Everything about the register is computed as of a date (:func:`resolve_reference_date`),
by default the latest date found in the register -- never the day of the run, so that a
run on the same data gives the same tables. Recommendations issued after the reference
date are left out (:func:`issued_recommendations`); status rows dated after it are
ignored (:func:`status_history`).
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.advocacy.examples import example_register  # noqa: F401 (examples)
from lublin_diagnosis.data.register import check_register
from lublin_diagnosis.exceptions import DataError

__all__ = [
    "institution_names",
    "issued_recommendations",
    "resolve_reference_date",
    "status_history",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_reference_date(dataset: Any, value: Any = None) -> pd.Timestamp:
    """The date the register is read at.

    Parameters
    ----------
    dataset : Dataset
    value : str, date or None
        ``"YYYY-MM-DD"``; ``None`` or ``""`` (the notebooks' default) means the latest
        date in the register: issue dates, status changes and opinions.

    Returns
    -------
    pandas.Timestamp
        Midnight of the reference date.

    Raises
    ------
    ValueError
        When ``value`` is not a date, or is before the first recommendation was issued
        (there would be nothing to report).
    DataError
        When the dataset has no recommendations register.

    Examples
    --------
    >>> ds = example_register()
    >>> str(resolve_reference_date(ds).date()), str(resolve_reference_date(ds, "2023-05-01").date())
    ('2023-09-30', '2023-05-01')
    >>> resolve_reference_date(ds, "1.5.2023")
    Traceback (most recent call last):
    ...
    ValueError: parameter 'reference_date' must be a date written YYYY-MM-DD, or empty for the latest date in the register, not '1.5.2023'
    """
    check_register(dataset)
    recs = dataset.recommendations
    if value is None or (isinstance(value, str) and not value.strip()):
        dates = [
            pd.to_datetime(recs["date_issued"]).max(),
            pd.to_datetime(dataset.status["date"]).max(),
        ]
        if getattr(dataset, "opinions", None) is not None and len(dataset.opinions):
            dates.append(pd.to_datetime(dataset.opinions["date"]).max())
        dates = [d for d in dates if not pd.isna(d)]
        if not dates:
            raise DataError("the recommendations register holds no dates")
        return pd.Timestamp(max(dates)).normalize()
    if isinstance(value, str):
        text = value.strip()
        if not _DATE.match(text):
            raise ValueError(
                f"parameter 'reference_date' must be a date written YYYY-MM-DD, "
                f"or empty for the latest date in the register, not {value!r}"
            )
        try:
            ts = pd.Timestamp(text)
        except ValueError:
            raise ValueError(f"parameter 'reference_date' is not a valid date: {value!r}") from None
    elif isinstance(value, (_dt.date, pd.Timestamp, np.datetime64)):
        ts = pd.Timestamp(value)
    else:
        raise ValueError(f"parameter 'reference_date' must be a date (YYYY-MM-DD), not {value!r}")
    ts = ts.normalize()
    first = pd.to_datetime(recs["date_issued"]).min()
    if not pd.isna(first) and ts < first:
        raise ValueError(
            f"reference_date {ts.date()} is before the first recommendation was "
            f"issued ({first.date()}): there is nothing to report"
        )
    return ts


def institution_names(dataset: Any, lang: str) -> dict[str, str]:
    """The name of each institution in ``lang`` (empty without an institutions table).

    Examples
    --------
    >>> institution_names(example_register(), "en")
    {'mopr': 'MOPR', 'mup': 'MUP'}
    """
    inst = getattr(dataset, "institutions", None)
    if inst is None:
        return {}
    return dict(
        zip(inst["institution_id"].astype(str), inst[f"name_{lang}"].astype(str), strict=False)
    )


def status_history(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    """Status rows dated on or before ``ref``, per recommendation in time order (rows of
    one day in file order).

    Examples
    --------
    >>> status_history(example_register(), pd.Timestamp("2023-06-30"))["status"].tolist()
    ['issued', 'in_progress', 'issued']
    """
    st = dataset.status
    hist = pd.DataFrame(
        {
            "rec_id": st["rec_id"].astype(str).to_numpy(),
            "date": pd.to_datetime(st["date"]).to_numpy(),
            "status": st["status"].astype(str).to_numpy(),
            "_order": np.arange(len(st)),
        }
    )
    hist = hist[hist["date"] <= ref]
    return hist.sort_values(["rec_id", "date", "_order"], kind="stable").reset_index(drop=True)


def issued_recommendations(dataset: Any, ref: pd.Timestamp) -> pd.DataFrame:
    """The recommendations issued on or before ``ref``, in register order: ``rec_id,
    area, institution, indicator_ids, date_issued`` and the texts (``text_pl``,
    ``text_en``) when the register has them.

    Examples
    --------
    >>> issued_recommendations(example_register(), pd.Timestamp("2023-05-01"))["rec_id"].tolist()
    ['R1']
    """
    recs = dataset.recommendations
    out = pd.DataFrame(
        {
            "rec_id": recs["rec_id"].astype(str).to_numpy(),
            "area": recs["area"].astype(str).to_numpy(),
            "institution": recs["institution_id"].astype(str).to_numpy(),
            "indicator_ids": recs["indicator_ids"].astype(str).to_numpy(),
            "date_issued": pd.to_datetime(recs["date_issued"]).to_numpy(),
        }
    )
    for lang in ("pl", "en"):
        if f"text_{lang}" in recs.columns:
            out[f"text_{lang}"] = recs[f"text_{lang}"].astype(str).to_numpy()
    return out[out["date_issued"] <= ref].reset_index(drop=True)
