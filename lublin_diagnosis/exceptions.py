"""The exceptions lublin-diagnosis raises.

Every error is a :class:`LublinDiagnosisError` and also a built-in ``ValueError`` (bad
input) or ``RuntimeError`` (a computation that could not finish), so callers can catch
at the level they need::

    LublinDiagnosisError
    ├── DataError (ValueError)                  a data file breaks its contract
    │   ├── ReadError                           a file cannot be read at all
    │   └── ValidationError                     one or more contract violations (.problems)
    ├── SurveyError
    │   ├── DesignError (ValueError)            bad design variables or weights
    │   │   └── LonelyPSUError                  a stratum with one PSU under lonely_psu="fail"
    │   ├── MarginError (ValueError)            margins that do not fit the sample
    │   ├── DomainError (ValueError)            an empty or unknown estimation domain
    │   ├── EstimationError (ValueError)        an estimate cannot be made as asked
    │   ├── ConvergenceError (RuntimeError)     raking / calibration did not converge
    │   ├── CalibrationError (RuntimeError)     calibration infeasible (e.g. its bounds)
    │   └── ReferenceCaseError (ValueError)     an R reference-case file cannot be read
    ├── FrameworkError (ValueError)             an indicator-framework file is invalid
    ├── DisclosureError (ValueError)            a table cannot be published safely
    ├── ParameterError (ValueError)             a notebook or run parameter is invalid
    └── PipelineError (RuntimeError)            a notebook run or verification failed
        └── NotebookExecutionError              a notebook cell raised

Messages name the file, row, column, variable or margin at fault and say what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from lublin_diagnosis.survey import (
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
    "ParameterError",
    "PipelineError",
    "Problem",
    "ReadError",
    "ReferenceCaseError",
    "SurveyError",
    "ValidationError",
    "shorten",
]

#: The longest value, as printed in a message, before it is cut.
VALUE_WIDTH = 60


def shorten(value: object, width: int = VALUE_WIDTH) -> str:
    """``repr(value)`` cut to ``width`` characters, numbers in at most 12 significant digits.

    Every value printed in a problem goes through here, so a 300-digit number or a
    10,000-character cell never floods a message.

    Examples
    --------
    >>> shorten(1e308)
    '1e+308'
    >>> shorten(10.0**300 + 1)
    '1e+300'
    >>> shorten("x" * 100)[-12:]
    'xxx…(100 ch)'
    """
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        text = f"{float(value):.12g}"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**12:
        text = f"{float(value):.12g}"
    else:
        text = repr(value)
    if len(text) <= width:
        return text
    tail = f"…({len(str(value)):,} ch)"
    return text[: max(width - len(tail), 8)] + tail


@dataclass(frozen=True)
class Problem:
    """One violation of a data contract.

    Parameters
    ----------
    file : str
        The file (or logical input) at fault.
    rule : str
        Short name of the rule broken, e.g. ``"unique"``, ``"in_codebook"``.
    message : str
        What is wrong and what to do about it.
    row : int or None
        Spreadsheet row number (header is row 1, first record row 2), if it applies.
    column : str or None
        Column name, if it applies.
    value : object
        The offending value, if it applies.
    """

    file: str
    rule: str
    message: str
    row: int | None = None
    column: str | None = None
    value: object = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {shorten(self.column)}"
        value = "" if self.value is None else f" (value {shorten(self.value)})"
        return f"{where}: [{self.rule}]{value} {self.message}"


class DataError(LublinDiagnosisError, ValueError):
    """A data file breaks its contract."""


class ReadError(DataError):
    """A file cannot be read: missing, empty, unknown format or undecodable."""


class ValidationError(DataError):
    """One or more contract violations, all collected in :attr:`problems`."""

    def __init__(self, problems: list[Problem], *, summary: str | None = None):
        self.problems = list(problems)
        head = summary or f"{len(self.problems)} problem(s) found in the data"
        lines = [head + ":"] + [f"  - {p}" for p in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        super().__init__("\n".join(lines))


class FrameworkError(LublinDiagnosisError, ValueError):
    """An indicator-framework file is invalid."""


class DisclosureError(LublinDiagnosisError, ValueError):
    """A table cannot be published without exposing a small cell."""


class ParameterError(LublinDiagnosisError, ValueError):
    """A notebook or run parameter is invalid (names the parameter and what it accepts)."""


class PipelineError(LublinDiagnosisError, RuntimeError):
    """A pipeline run or a verification failed."""


class NotebookExecutionError(PipelineError):
    """A notebook cell raised during a pipeline run."""

    def __init__(
        self,
        message: str,
        *,
        notebook: str | None = None,
        cell: int | None = None,
        partial: str | None = None,
    ):
        super().__init__(message)
        self.notebook = notebook
        self.cell = cell
        self.partial = partial
