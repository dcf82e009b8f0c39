"""Statistical disclosure control of every published table.

Small groups of migrants in one city are identifiable, so no published table may show
an estimate or a count that rests on too few respondents, nor let a reader recover one
from what *is* published. The rules (:class:`DisclosureRules`, thresholds as parameters)
follow common agency practice (DOMAIN.md):

* **primary suppression**: an unweighted base (or a count) below ``min_n`` (default 10):
  the value, its standard error and interval, its score and gap, and the base itself are
  blanked, and the row is flagged ``suppressed``;
* **low reliability**: a base below ``low_n`` (30) is flagged ``low_base``, a coefficient
  of variation ``se / |estimate|`` above ``max_cv`` (30 %) ``high_cv``; both set
  ``low_reliability`` (the value is published, with the warning);
* **secondary (complementary) suppression**, flagged ``secondary_suppression``, wherever
  a table publishes totals from which a suppressed cell could be recovered by
  subtraction: count crosstabs with row and column totals (:func:`protect_counts`) and
  estimate tables whose rows partition a published total (:func:`protect_estimates` with
  ``groups=``, e.g. the groups of one disparity variable, whose bases add up to the
  published base of the indicator).

Suppression is never silent: a blanked value always comes with ``suppressed=True`` and
its reason in ``flags`` (``;``-joined among :data:`FLAGS`).

Protection criterion (checked by :func:`audit_counts` and by the attack tests)
--------------------------------------------------------------------------------
An attacker knows every published cell and total, that the table adds up, and that
counts are non-negative; linear programming gives, for each suppressed cell, the
smallest and largest value consistent with all that (the audit of tau-Argus and
sdcTable). A primarily suppressed cell (``1 <= x < min_n``) is **protected** when

1. *standard attacker*: its feasible interval contains ``[0, min_n]`` -- the published
   table is consistent both with the cell being empty and with it being at the
   threshold, so it does not even reveal that the cell is small or non-empty; and
2. *informed attacker*: who also reads the flags, and so knows that every primary cell
   lies in ``[1, min_n - 1]``, still cannot pin it: its feasible interval is at least
   1 wide (two whole values or more remain possible). A stronger requirement (the full
   ``[1, min_n - 1]``) cannot be met in general: when a row and its total are all
   primary, the flags alone already bound each cell below ``min_n - 1``. For the same
   reason a cell that the flags alone pin, whatever else is published, is exempt (with
   ``min_n = 3``, a row total of 2 made of two cells of 1: three primary cells in
   ``[1, 2]`` that add up force both cells to 1); this happens only for tiny totals,
   describing fewer than ``min_n`` people in all, and the audit reports it
   (``pinned_by_flags``).

Both are computed in continuous arithmetic (the LP relaxation). Zero cells are not
suppressed (they describe nobody; DOMAIN.md's "cells with an unweighted base under
10" means bases 1-9), and the structural relations used are exactly the published
totals.

The modules: :mod:`.rules` (thresholds and flags), :mod:`.estimates` and :mod:`.counts`
(protection), :mod:`.audit` (attacks on one table), :mod:`.run_audit` (the attack on
every table of a run together), and the private :mod:`.grid` (the linear programs).

>>> import pandas as pd
>>> from lublin_diagnosis.disclosure import DisclosureRules, protect_counts, audit_counts
>>> table = pd.DataFrame({"F": [40, 3, 25], "M": [35, 20, 30]},
...                      index=pd.Index(["UA", "asia", "BY"], name="citizenship"))
>>> published = protect_counts(table, DisclosureRules())
>>> int(published["suppressed"].sum()) >= 4      # the small cell and its complements
True
>>> bool(audit_counts(published)["protected"].all())
True
"""

from lublin_diagnosis.disclosure.audit import audit_counts, audit_estimates
from lublin_diagnosis.disclosure.counts import counts_wide, protect_counts
from lublin_diagnosis.disclosure.estimates import protect_estimates, round_bases, weight_step
from lublin_diagnosis.disclosure.rules import (
    COUNT_COLUMNS,
    FLAGS,
    TOTAL_LABEL,
    VALUE_COLUMNS,
    DisclosureRules,
)
from lublin_diagnosis.disclosure.run_audit import audit_run, audit_tables

__all__ = [
    "COUNT_COLUMNS",
    "FLAGS",
    "TOTAL_LABEL",
    "VALUE_COLUMNS",
    "DisclosureRules",
    "audit_counts",
    "audit_estimates",
    "audit_run",
    "audit_tables",
    "counts_wide",
    "protect_counts",
    "protect_estimates",
    "round_bases",
    "weight_step",
]
