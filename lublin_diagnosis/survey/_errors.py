"""The survey engine's errors.

The engine stands alone (it imports nothing else of the package), so the root of the
package's error tree, :class:`LublinDiagnosisError`, is defined here, at the bottom layer,
and re-exported by :mod:`lublin_diagnosis.exceptions` with the rest of the tree::

    LublinDiagnosisError
    └── SurveyError
        ├── DesignError (ValueError)            bad design variables or weights
        │   └── LonelyPSUError                  a stratum with one PSU under lonely_psu="fail"
        ├── MarginError (ValueError)            margins that do not fit the sample
        ├── DomainError (ValueError)            an empty or unknown estimation domain
        ├── EstimationError (ValueError)        an estimate cannot be made as asked
        ├── ConvergenceError (RuntimeError)     raking / calibration did not converge
        ├── CalibrationError (RuntimeError)     calibration infeasible (e.g. its bounds)
        └── ReferenceCaseError (ValueError)     an R reference-case file cannot be read
"""

from __future__ import annotations

__all__ = [
    "CalibrationError",
    "ConvergenceError",
    "DesignError",
    "DomainError",
    "EstimationError",
    "LonelyPSUError",
    "LublinDiagnosisError",
    "MarginError",
    "ReferenceCaseError",
    "SurveyError",
]


class LublinDiagnosisError(Exception):
    """Base class of every error raised by lublin-diagnosis."""


class SurveyError(LublinDiagnosisError):
    """Base class of errors from the survey engine."""


class DesignError(SurveyError, ValueError):
    """Design variables or weights are missing, invalid or inconsistent."""


class LonelyPSUError(DesignError):
    """A stratum has a single PSU and the lonely-PSU policy is ``"fail"``."""


class MarginError(SurveyError, ValueError):
    """Population margins do not fit the sample (categories, totals, missing values)."""


class DomainError(SurveyError, ValueError):
    """An estimation domain is empty or names an unknown variable or level."""


class EstimationError(SurveyError, ValueError):
    """An estimate cannot be made as asked (missing values without ``na_rm``, a
    non-numeric variable, an unknown method)."""


class ConvergenceError(SurveyError, RuntimeError):
    """Raking or calibration did not converge; carries the largest remaining deviation."""

    def __init__(
        self, message: str, *, max_deviation: float | None = None, iterations: int | None = None
    ):
        super().__init__(message)
        self.max_deviation = max_deviation
        self.iterations = iterations


class CalibrationError(SurveyError, RuntimeError):
    """Calibration has no solution (for instance, bounds that cannot be met)."""


class ReferenceCaseError(SurveyError, ValueError):
    """An R reference-case file (or a data file it names) is missing or not valid JSON."""
