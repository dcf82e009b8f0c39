"""Disclosure control: primary and secondary suppression, reliability flags, and the
linear-programming audit that attacks every published table.

Below the data layer: it knows tables of counts and estimates, not where they came from.
"""

from lublin_diagnosis.disclosure.control import (
    COUNT_COLUMNS,
    TOTAL_LABEL,
    DisclosureRules,
    audit_counts,
    audit_estimates,
    protect_counts,
    protect_estimates,
)

__all__ = [
    "COUNT_COLUMNS",
    "TOTAL_LABEL",
    "DisclosureRules",
    "audit_counts",
    "audit_estimates",
    "protect_counts",
    "protect_estimates",
]
