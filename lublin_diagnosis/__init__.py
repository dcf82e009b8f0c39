"""lublin-diagnosis: the local diagnosis of Lublin's migrant-integration system.

A library for reading and validating the diagnosis data, weighting the migrant survey to
known population margins, design-based estimation with honest standard errors (matching R's
``survey`` package), the 14-area indicator framework, disclosure control, and the
reproducible bilingual report.

>>> import lublin_diagnosis as ld
"""

from __future__ import annotations

from .design import SurveyDesign, WeightDiagnostics
from .exceptions import (
    CalibrationError,
    ConvergenceError,
    DataError,
    DesignError,
    DisclosureError,
    DomainError,
    EstimationError,
    FrameworkError,
    LonelyPSUError,
    LublinDiagnosisError,
    MarginError,
    NotebookExecutionError,
    PipelineError,
    Problem,
    ReadError,
    SurveyError,
    ValidationError,
)

from .weighting import margins_from_frame

__version__ = "0.1.0"

__all__ = [
    "CalibrationError",
    "ConvergenceError",
    "DataError",
    "DesignError",
    "DisclosureError",
    "DomainError",
    "EstimationError",
    "FrameworkError",
    "LonelyPSUError",
    "LublinDiagnosisError",
    "MarginError",
    "NotebookExecutionError",
    "PipelineError",
    "Problem",
    "ReadError",
    "SurveyDesign",
    "SurveyError",
    "ValidationError",
    "WeightDiagnostics",
    "__version__",
    "margins_from_frame",
]
