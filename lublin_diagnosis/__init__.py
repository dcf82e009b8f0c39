"""lublin-diagnosis: the local diagnosis of Lublin's migrant-integration system.

A library for reading and validating the diagnosis data, weighting the migrant survey to
known population margins, design-based estimation with honest standard errors (matching R's
``survey`` package), the 14-area indicator framework, disclosure control, and the
reproducible bilingual report.

>>> import lublin_diagnosis as ld
>>> dataset = ld.load_dataset("data/demo")                       # doctest: +SKIP
>>> design = ld.SurveyDesign.from_dataset(dataset)               # doctest: +SKIP
>>> design.proportion("employed", "1", na_rm=True)               # doctest: +SKIP

The public names are listed in ``__all__``; everything else is an implementation detail.
"""


from .change import compare_designs, outcome_changes, policy_changes
from .codebook import Codebook
from .conformance import run_cases
from .design import SurveyDesign, WeightDiagnostics
from .disclosure import DisclosureRules, audit_counts, protect_counts, protect_estimates
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
    ParameterError,
    PipelineError,
    Problem,
    ReadError,
    SurveyError,
    ValidationError,
)
from .factsheets import write_factsheets
from .framework import Framework, available_frameworks, load_framework, normalise
from .parameters import check_params
from .pipeline import RunResult, run_pipeline
from .publish import publish_counts, publish_figure, publish_table
from .readers import read_table
from .scorecard import Scorecard, build_scorecard
from .scoring import admin_scores, aggregate, outcome_estimates, policy_scores
from .sensitivity import SensitivityResult, sensitivity_analysis
from .synth import write_demo
from .validation import Dataset, ValidationReport, load_dataset, validate_dir
from .verify import VerifyReport, verify_run
from .weighting import margins_from_frame

__version__ = "0.1.0"

__all__ = [
    "CalibrationError",
    "Codebook",
    "ConvergenceError",
    "DataError",
    "Dataset",
    "DesignError",
    "DisclosureError",
    "DisclosureRules",
    "DomainError",
    "EstimationError",
    "Framework",
    "FrameworkError",
    "LonelyPSUError",
    "LublinDiagnosisError",
    "MarginError",
    "NotebookExecutionError",
    "ParameterError",
    "PipelineError",
    "Problem",
    "ReadError",
    "RunResult",
    "Scorecard",
    "SensitivityResult",
    "SurveyDesign",
    "SurveyError",
    "ValidationError",
    "ValidationReport",
    "VerifyReport",
    "WeightDiagnostics",
    "__version__",
    "admin_scores",
    "aggregate",
    "audit_counts",
    "available_frameworks",
    "build_scorecard",
    "check_params",
    "compare_designs",
    "load_dataset",
    "load_framework",
    "margins_from_frame",
    "normalise",
    "outcome_changes",
    "outcome_estimates",
    "policy_changes",
    "policy_scores",
    "protect_counts",
    "protect_estimates",
    "publish_counts",
    "publish_figure",
    "publish_table",
    "read_table",
    "run_cases",
    "run_pipeline",
    "sensitivity_analysis",
    "validate_dir",
    "verify_run",
    "write_demo",
    "write_factsheets",
]
