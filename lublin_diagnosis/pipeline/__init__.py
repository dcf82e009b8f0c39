"""The pipeline: the plan of notebooks and fan-outs, parameter checks, reusable kernels,
the papermill run into an atomic output folder, the manifest, the cache, and ``verify``.
"""

from lublin_diagnosis.pipeline.parameters import check_params
from lublin_diagnosis.pipeline.run import RunResult, run_pipeline
from lublin_diagnosis.pipeline.verify import VerifyReport, verify_run

__all__ = ["RunResult", "VerifyReport", "check_params", "run_pipeline", "verify_run"]
