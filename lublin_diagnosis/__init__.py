"""lublin-diagnosis: the local diagnosis of Lublin's migrant-integration system.

A library for reading and validating the diagnosis data, weighting the migrant survey to
known population margins, design-based estimation with honest standard errors (matching R's
``survey`` package), the 14-area indicator framework, disclosure control, and the
reproducible bilingual report.

>>> import lublin_diagnosis as ld
>>> dataset = ld.load_dataset("data/demo")          # the synthetic demo, from the repository root
>>> design = ld.SurveyDesign.from_dataset(dataset)  # raked to the population margins
>>> employed = design.proportion("employed", "1", na_rm=True)
>>> employed[["estimate", "ci_low", "ci_high"]].round(3).to_dict("records")
[{'estimate': 0.638, 'ci_low': 0.609, 'ci_high': 0.665}]

The layers, bottom to top (see ``docs/architecture.md``): :mod:`~lublin_diagnosis.survey`
(the survey engine, standing alone), :mod:`~lublin_diagnosis.exceptions`,
:mod:`~lublin_diagnosis.disclosure`, :mod:`~lublin_diagnosis.framework`,
:mod:`~lublin_diagnosis.data`, :mod:`~lublin_diagnosis.indicators`,
:mod:`~lublin_diagnosis.report`, :mod:`~lublin_diagnosis.advocacy` and
:mod:`~lublin_diagnosis.pipeline`.

The public names are listed in ``__all__``; everything else is an implementation detail.
"""

from lublin_diagnosis._version import __version__
from lublin_diagnosis.advocacy import write_factsheets
from lublin_diagnosis.data import (
    Codebook,
    Dataset,
    ValidationReport,
    load_dataset,
    read_table,
    validate_dir,
    write_demo,
)
from lublin_diagnosis.disclosure import (
    DisclosureRules,
    audit_counts,
    protect_counts,
    protect_estimates,
)
from lublin_diagnosis.exceptions import (
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
    ReferenceCaseError,
    SurveyError,
    ValidationError,
)
from lublin_diagnosis.framework import Framework, available_frameworks, load_framework, normalise
from lublin_diagnosis.indicators import (
    Scorecard,
    SensitivityResult,
    admin_scores,
    aggregate,
    build_scorecard,
    compare_designs,
    outcome_changes,
    outcome_estimates,
    policy_changes,
    policy_scores,
    sensitivity_analysis,
)
from lublin_diagnosis.pipeline import (
    RunResult,
    VerifyReport,
    check_params,
    run_pipeline,
    verify_run,
)
from lublin_diagnosis.report import publish_counts, publish_figure, publish_table
from lublin_diagnosis.survey import SurveyDesign, WeightDiagnostics, margins_from_frame, run_cases

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
    "ReferenceCaseError",
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
