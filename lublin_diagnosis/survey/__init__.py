"""The survey engine: designs, weighting and design-based estimation, matching R's ``survey``.

This subpackage stands alone: it imports nothing else of ``lublin_diagnosis`` (an
import-linter contract checks it), so it can be read, tested and reused on its own. Its
modules are private; this namespace is its public face.

* :class:`SurveyDesign` — strata, clusters, fpc and weights (R's ``svydesign`` and
  ``svrepdesign``); ``rake``, ``poststratify``, ``calibrate``, ``trim`` and ``replicate``
  each return a new design; ``mean``, ``total``, ``ratio``, ``quantile``, ``proportion``,
  ``variance``, ``table``, ``ttest``, ``chisq``, ``compare_means`` and ``glm`` estimate
  on it.
  ``SurveyDesign.from_pps`` builds PPS designs (Brewer, or joint probabilities);
  ``with_lonely_psu`` and ``with_ultimate_cluster`` set R's variance options.
* :class:`Estimates` — what the estimators return: the tidy table with the covariance of
  its estimates (``contrast``, ``difference``, ``wald_test``, ``term_test``,
  ``conf_int``, ``to_frame``); :func:`predict`, :func:`predmeans` and :func:`anova` for
  survey glms.
* :func:`run_cases` — checks the engine against R reference cases.
* The errors, rooted at :class:`LublinDiagnosisError` (see :mod:`lublin_diagnosis.exceptions`).

>>> import pandas as pd
>>> from lublin_diagnosis.survey import SurveyDesign
>>> d = SurveyDesign(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "w": [1.0, 1.0, 2.0, 2.0]}),
...                  weights="w")
>>> round(float(d.mean("y")["estimate"].iloc[0]), 4)
2.8333
"""

from lublin_diagnosis.survey._conformance import CaseResult, run_case, run_cases
from lublin_diagnosis.survey._design import SurveyDesign, WeightDiagnostics
from lublin_diagnosis.survey._errors import (
    CalibrationError,
    ConvergenceError,
    DesignError,
    DomainError,
    EstimationError,
    LonelyPSUError,
    LublinDiagnosisError,
    MarginError,
    ReferenceCaseError,
    SurveyError,
)
from lublin_diagnosis.survey._models import anova, predict, predmeans
from lublin_diagnosis.survey._results import Estimates
from lublin_diagnosis.survey._weighting import margins_from_frame

__all__ = [
    "CalibrationError",
    "CaseResult",
    "ConvergenceError",
    "DesignError",
    "DomainError",
    "Estimates",
    "EstimationError",
    "LonelyPSUError",
    "LublinDiagnosisError",
    "MarginError",
    "ReferenceCaseError",
    "SurveyDesign",
    "SurveyError",
    "WeightDiagnostics",
    "anova",
    "margins_from_frame",
    "predict",
    "predmeans",
    "run_case",
    "run_cases",
]
