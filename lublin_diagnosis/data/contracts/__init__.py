"""The data contracts: one declarative schema per input file.

A :class:`Schema` lists the :class:`Column` rules of one file (type, required, allowed
values, pattern, uniqueness, range) and the column combinations that must be unique.
:meth:`Schema.check` applies them all and returns **every** failure as a
:class:`~lublin_diagnosis.exceptions.Problem` (file, row, column, value, rule and what to
do), lazily like pandera; a rule broken on more than :data:`MAX_ROWS_LISTED` rows of a
column is summarised in one problem listing the first rows, the count and the most
frequent values. :meth:`Schema.coerce` turns the text a reader returns into typed columns.

The schemas of the fixed-format files are in :data:`SCHEMAS` (``margins``,
``institutions``, ``monitoring``, ``admin``, ``legal_cases``, ``recommendations``,
``opinions``, ``status``, the optional context inputs ``public``, ``peer_scores``,
``rounds`` and ``monitoring_history`` of :mod:`.context`, and the optional registers
``replies``, ``events`` and ``pledges``); the survey's schema is built from its codebook by
:func:`survey_schema`, and :func:`survey_frame` types the survey (categorical codes as
``pandas.Categorical`` in codebook order, missing codes as missing values). Rules that
join files (margins against the codebook, ids across files, the framework) are applied
by :mod:`lublin_diagnosis.data.validation`. The human-readable contract is
``docs/data-contracts.md``.

The package's modules: :mod:`.schema` (:class:`Column`, :class:`Schema` and the checks
of a column), :mod:`.failures` (failures as problems), :mod:`.survey` (the survey's
schema and typed frame) and :mod:`.files` (the fixed-format files' schemas).

>>> import pandas as pd
>>> from lublin_diagnosis.data.contracts import SCHEMAS
>>> frame = pd.DataFrame({"institution_id": ["mopr", "MUP"], "name_pl": ["MOPR", "MUP"],
...                       "name_en": ["Family centre", "Labour office"],
...                       "type": ["family_assistance", "labour_office"],
...                       "areas": ["social_assistance", "labour"],
...                       "responsible_level": ["city", "city"]}, index=[2, 3])
>>> [str(p) for p in SCHEMAS["institutions"].check(frame, file="institutions.csv")]
["institutions.csv, row 3, column 'institution_id': [pattern] (value 'MUP') does not \
match the pattern [a-z0-9_]+; correct it. Ids are lower-case letters, digits and '_', one \
per institution."]
"""

from __future__ import annotations

from lublin_diagnosis.data.contracts.context import (
    PEER_CITIES,
    PEER_SCORES,
    PUBLIC,
    PUBLIC_INDICATORS,
    PUBLIC_STATUSES,
    PUBLIC_THEMES,
    PUBLIC_UNITS,
    ROUNDS,
    TERRITORIES,
    PublicIndicator,
)
from lublin_diagnosis.data.contracts.failures import (
    KINDS as KINDS,
)
from lublin_diagnosis.data.contracts.failures import (
    MAX_MAGNITUDE,
    MAX_ROWS_LISTED,
    problems_from_failures,
)
from lublin_diagnosis.data.contracts.files import (
    ADMIN,
    COMMITMENTS,
    COST_BANDS,
    DEFAULT_TARGETS,
    EVENT_TYPES,
    EVENTS,
    INSTITUTIONS,
    LEGAL_CASES,
    MARGINS,
    MONITORING,
    MONITORING_HISTORY,
    OPINIONS,
    PARTICIPANT_COLUMNS,
    PLEDGES,
    RECOMMENDATIONS,
    REPLIES,
    RESPONSIBLE_LEVELS,
    SCHEMAS,
    STATUS,
)
from lublin_diagnosis.data.contracts.schema import Column, Schema, explode_list
from lublin_diagnosis.data.contracts.survey import (
    survey_frame,
    survey_history_schema,
    survey_schema,
)
from lublin_diagnosis.framework.model import INSTITUTION_TYPES

__all__ = [
    "ADMIN",
    "COMMITMENTS",
    "COST_BANDS",
    "Column",
    "DEFAULT_TARGETS",
    "EVENTS",
    "EVENT_TYPES",
    "INSTITUTIONS",
    "INSTITUTION_TYPES",
    "LEGAL_CASES",
    "MARGINS",
    "MAX_MAGNITUDE",
    "MAX_ROWS_LISTED",
    "MONITORING",
    "MONITORING_HISTORY",
    "OPINIONS",
    "PARTICIPANT_COLUMNS",
    "PEER_CITIES",
    "PEER_SCORES",
    "PUBLIC",
    "PUBLIC_INDICATORS",
    "PUBLIC_STATUSES",
    "PUBLIC_THEMES",
    "PUBLIC_UNITS",
    "PublicIndicator",
    "PLEDGES",
    "RECOMMENDATIONS",
    "REPLIES",
    "RESPONSIBLE_LEVELS",
    "ROUNDS",
    "SCHEMAS",
    "STATUS",
    "Schema",
    "TERRITORIES",
    "explode_list",
    "problems_from_failures",
    "survey_frame",
    "survey_history_schema",
    "survey_schema",
]
