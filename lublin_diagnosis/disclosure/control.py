"""The former single module of disclosure control, kept so that existing imports work.

Its contents now live in modules named for what they are: :mod:`.rules`,
:mod:`.estimates`, :mod:`.counts`, :mod:`.audit` (and the private :mod:`.grid`); import
from :mod:`lublin_diagnosis.disclosure` in new code.

>>> from lublin_diagnosis.disclosure import control, protect_counts
>>> control.protect_counts is protect_counts
True
"""

from lublin_diagnosis.disclosure.audit import audit_counts, audit_estimates
from lublin_diagnosis.disclosure.counts import counts_wide, protect_counts
from lublin_diagnosis.disclosure.estimates import protect_estimates
from lublin_diagnosis.disclosure.rules import (
    COUNT_COLUMNS,
    FLAGS,
    TOTAL_LABEL,
    VALUE_COLUMNS,
    DisclosureRules,
)

__all__ = [
    "COUNT_COLUMNS",
    "FLAGS",
    "TOTAL_LABEL",
    "VALUE_COLUMNS",
    "DisclosureRules",
    "audit_counts",
    "audit_estimates",
    "counts_wide",
    "protect_counts",
    "protect_estimates",
]
