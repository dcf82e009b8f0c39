"""The recommendations register: status, implementation, the indicators behind each
recommendation and the consultation group's opinions.

The register is three tables of a dataset (``docs/data-contracts.md``):
``recommendations`` (one row per recommendation, addressed to one institution, in one
area, resting on one or more indicators), ``status`` (the history of each recommendation:
``issued`` first, then ``acknowledged``, ``in_progress``, ``implemented``,
``partially_implemented`` or ``rejected``) and ``opinions`` (each consultation-group
member's ``support`` / ``amend`` / ``reject``, with an optional comment in both
languages).

Everything is computed **as of a reference date**, by default the latest date found in
the register (:mod:`~lublin_diagnosis.advocacy.register_tables`). This module gathers the
register's public functions for the notebooks; each lives in the module named for what it
is:

* the register's rules: :mod:`lublin_diagnosis.data.register` (:func:`check_register`);
* status, time in status, timelines and implementation rates:
  :mod:`~lublin_diagnosis.advocacy.status`;
* the consultation group's opinions: :mod:`~lublin_diagnosis.advocacy.opinions`;
* the indicators behind each recommendation: :mod:`~lublin_diagnosis.advocacy.evidence`;
* the timeline chart: :mod:`~lublin_diagnosis.advocacy.timeline_chart`;
* a small register for examples and tests: :mod:`~lublin_diagnosis.advocacy.examples`.

>>> ds = example_register()
>>> recommendation_status(ds)[["rec_id", "status", "days_in_status"]].to_dict("records")
[{'rec_id': 'R1', 'status': 'implemented', 'days_in_status': 30}, {'rec_id': 'R2', 'status': 'in_progress', 'days_in_status': 61}]
>>> implementation_rates(ds, by=None)["implementation_rate"].tolist()
[0.5]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lublin_diagnosis.advocacy.evidence import recommendation_indicators
from lublin_diagnosis.advocacy.examples import example_register  # noqa: F401 (examples)
from lublin_diagnosis.advocacy.opinions import opinion_comments, opinion_summary
from lublin_diagnosis.advocacy.register_tables import resolve_reference_date
from lublin_diagnosis.advocacy.status import (
    STATUS_CREDIT,
    implementation_rates,
    recommendation_status,
    status_timeline,
)
from lublin_diagnosis.advocacy.timeline_chart import STATUS_COLOURS, plot_timeline
from lublin_diagnosis.data.register import OPINIONS, STATUSES, check_register

__all__ = [
    "OPINIONS",
    "STATUSES",
    "STATUS_COLOURS",
    "STATUS_CREDIT",
    "check_register",
    "implementation_rates",
    "opinion_comments",
    "opinion_summary",
    "plot_timeline",
    "recommendation_indicators",
    "recommendation_register",
    "recommendation_status",
    "resolve_reference_date",
    "status_timeline",
]


def recommendation_register(
    dataset: Any,
    *,
    lang: str,
    reference_date: Any = None,
    institution: str | None = None,
    framework: Any = None,
) -> pd.DataFrame:
    """The register as the report shows it: each recommendation with its status and the
    consultation group's opinions.

    Returns
    -------
    DataFrame
        :func:`recommendation_status` (with labels in ``lang``) joined with
        :func:`opinion_summary` on ``rec_id``; the ``reference_date`` column is dropped.

    Examples
    --------
    >>> register = recommendation_register(example_register(), lang="en")
    >>> register[["rec_id", "status_name", "support"]]
      rec_id  status_name  support
    0     R1  implemented        2
    1     R2  in progress        0
    """
    status = recommendation_status(
        dataset,
        reference_date=reference_date,
        lang=lang,
        framework=framework,
        institution=institution,
    )
    ops = opinion_summary(dataset, reference_date=reference_date, institution=institution)
    out = status.drop(columns=["reference_date"]).merge(
        ops, on="rec_id", how="left", validate="one_to_one"
    )
    return out
