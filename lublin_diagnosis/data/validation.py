"""Validate a data directory against its contracts and load it as a typed dataset.

:func:`validate_dir` reads every input of a data directory (``dataset.yml``, the survey
and its codebook, margins, institutions, monitoring, admin counts, legal cases and the
recommendations register), checks each against its schema (:mod:`.contracts`) and then the
rules that join files, and returns a :class:`ValidationReport` with **every** problem
found. It only reads: input files are never modified.

:func:`load_dataset` does the same and returns a frozen :class:`Dataset` of typed
tables, or raises :class:`~lublin_diagnosis.exceptions.ValidationError` carrying all the
problems.

Cross-file rules
----------------
* margins: each variable is a categorical codebook variable with role ``weighting``, each
  category one of its codes, every code of a margin variable has a row, every weighting
  variable has a margin, and the totals of all margins agree within 0.5 %;
* survey: the design variables named in ``dataset.yml`` exist; PSU and stratum are never
  missing; design weights are numbers > 0;
* ``institution_id`` of monitoring, admin and recommendations is in the institutions;
* ``rec_id`` of opinions and status is in the recommendations; each recommendation has one
  ``issued`` status row, first in its history; the dates of a history never go back and
  never precede the recommendation's ``date_issued``;
* framework (``framework:`` in ``dataset.yml``, default ``lublin-14``): institution areas
  and recommendation areas are framework areas; monitoring answers a policy (``P``)
  indicator with one of its option ids; admin figures are administrative (``A``)
  indicators; recommendation indicators exist.

>>> from pathlib import Path
>>> import lublin_diagnosis
>>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
>>> from lublin_diagnosis.data.validation import validate_dir, load_dataset
>>> report = validate_dir(demo)
>>> report.ok, report.summary["survey.csv"].format()
(True, 'survey.csv: 1,200 respondents, 48 variables')
>>> ds = load_dataset(demo)
>>> ds.margins_dict()["sex"]
{'F': 34300.0, 'M': 27500.0}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import Any

import pandas as pd
import yaml

from lublin_diagnosis.data.codebook import Codebook, check_codebook, load_yaml_text
from lublin_diagnosis.data.contracts import (
    MAX_MAGNITUDE,
    SCHEMAS,
    explode_list,
    problems_from_failures,
    survey_frame,
    survey_schema,
)
from lublin_diagnosis.data.design_checks import (
    LONELY_PSU_POLICIES,
    check_lonely_psus,
    check_margin_coverage,
    check_psu_nesting,
)
from lublin_diagnosis.data.readers import parse_numbers, read_table
from lublin_diagnosis.data.register import register_problems
from lublin_diagnosis.exceptions import Problem, ReadError, ValidationError, shorten

__all__ = [
    "DEFAULT_FILES",
    "Dataset",
    "FileSummary",
    "INPUTS",
    "MARGIN_TOLERANCE",
    "ValidationReport",
    "load_dataset",
    "validate_dir",
]

#: Logical names of the inputs of a data directory, in reading order.
INPUTS: tuple[str, ...] = (
    "codebook",
    "survey",
    "margins",
    "institutions",
    "monitoring",
    "admin",
    "legal_cases",
    "recommendations",
    "opinions",
    "status",
)
#: Default file name of each input.
DEFAULT_FILES: Mapping[str, str] = MappingProxyType(
    {
        "codebook": "codebook.yml",
        "survey": "survey.csv",
        **{name: schema.filename for name, schema in SCHEMAS.items()},
    }
)
#: Largest relative difference allowed between the totals of two margins.
MARGIN_TOLERANCE = 0.005

_DATASET_YML = "dataset.yml"
_READ_OPTIONS = ("path", "encoding", "sep", "decimal", "sheet")
_DESIGN_KEYS = ("ids", "strata", "weights", "fpc")
_DESIGN_OPTIONS = ("lonely_psu", "nest")
_DEFAULT_FRAMEWORK = "lublin-14"
_DESIGN_WORDS = {
    "ids": "sampling point (PSU)",
    "strata": "stratum",
    "weights": "design weight",
    "fpc": "population size (fpc)",
}


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class FileSummary:
    """What was found in one input file.

    Attributes
    ----------
    name : str
        Logical input name (``"survey"``).
    file : str
        File name as shown in problems (relative to the data directory).
    rows : int or None
        Records read (variables for the codebook); None if the file could not be read
        or was declared absent.
    columns : int or None
        Columns read.
    problems : int
        Problems found in this file.
    noun : str
        What a row is (``"respondents"``).
    present : bool
        False when ``dataset.yml`` declares the input absent (``name: null``).

    Examples
    --------
    >>> FileSummary("survey", "survey.csv", 1200, 49, 0, "respondents").format()
    'survey.csv: 1,200 respondents, 49 variables'
    """

    name: str
    file: str
    rows: int | None
    columns: int | None
    problems: int
    noun: str = "rows"
    present: bool = True
    detail: str = ""

    def format(self) -> str:
        """One line: file, row count and column count (or why they are unknown)."""
        if not self.present:
            return f"{self.name}: not provided (declared absent in {_DATASET_YML})"
        if self.rows is None:
            return f"{self.file}: not read"
        if self.name == "codebook":
            text = f"{self.file}: {self.rows:,} variables"
        else:
            what = "variables" if self.name == "survey" else "columns"
            text = f"{self.file}: {self.rows:,} {self.noun}, {self.columns:,} {what}"
        if self.detail:
            text += f" ({self.detail})"
        if self.problems:
            text += f" -- {self.problems:,} problem(s)"
        return text


@dataclass(frozen=True)
class ValidationReport:
    """The result of :func:`validate_dir`.

    Attributes
    ----------
    data_dir : pathlib.Path
        The directory validated.
    problems : tuple of Problem
        Every problem found (empty when the data is valid).
    files : tuple of FileSummary
        One summary per input, in :data:`INPUTS` order.
    meta : Mapping
        The content of ``dataset.yml`` with defaults filled in.

    Examples
    --------
    >>> from lublin_diagnosis.exceptions import Problem
    >>> report = ValidationReport(Path("data"), (
    ...     Problem("margins.csv", "range", "must be > 0", row=3, column="count", value="0"),))
    >>> report.ok, [str(p) for p in report.problems_in("margins.csv")]
    (False, ["margins.csv, row 3, column 'count': [range] (value '0') must be > 0"])
    """

    data_dir: Path
    problems: tuple[Problem, ...]
    files: tuple[FileSummary, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def summary(self) -> Mapping[str, FileSummary]:
        """File name → :class:`FileSummary` (rows, columns and problem counts)."""
        return MappingProxyType({f.file: f for f in self.files})

    def problems_in(self, file: str) -> list[Problem]:
        """The problems of one file (as named in the problems)."""
        return [p for p in self.problems if p.file == file]

    def format(self) -> str:
        """A short summary when valid; otherwise every problem, one per line.

        Each problem line gives the file, row, column, rule, value and what to do.
        """
        where = str(self.data_dir)
        synthetic = " (SYNTHETIC data)" if self.meta.get("synthetic") else ""
        if self.ok:
            lines = [f"{where}: valid -- every input meets its contract{synthetic}"]
            lines += [f"  {f.format()}" for f in self.files]
            return "\n".join(lines)
        files = sorted({p.file for p in self.problems})
        lines = [
            f"{where}: {len(self.problems):,} problem(s) in {len(files)} file(s); "
            f"nothing was changed -- fix them and run validate again{synthetic}"
        ]
        lines += [str(p) for p in self.problems]
        return "\n".join(lines)

    def raise_if_invalid(self) -> None:
        """Raise :class:`ValidationError` with every problem, if there is any."""
        if self.problems:
            raise ValidationError(
                list(self.problems),
                summary=f"{self.data_dir}: {len(self.problems)} problem(s) in the data",
            )


@dataclass(frozen=True)
class Dataset:
    """A validated data directory as typed tables.

    Attributes
    ----------
    data_dir : pathlib.Path
        The directory loaded.
    meta : Mapping
        ``dataset.yml`` with defaults: ``title``, ``synthetic`` (bool), ``design``
        (``ids``, ``strata``, ``weights``, each a variable name or None), ``framework``
        (name or path, default ``"lublin-14"``), ``files``.
    paths : Mapping[str, pathlib.Path]
        Logical input name → file read.
    codebook : Codebook
    survey : pandas.DataFrame
        One row per respondent, columns in codebook order: categorical/ordinal variables
        as ``Categorical`` (codebook codes in codebook order, ordered for ordinal), missing
        codes as missing values, integer/float as ``float64``, the id as text.
    margins : pandas.DataFrame
        ``variable``, ``category``, ``count`` (float), ``source``, ``reference_date``.
    institutions, monitoring, admin, legal_cases, recommendations, opinions, status
        Typed tables (None when declared absent). List columns (``areas``,
        ``problems``, ``indicator_ids``) stay ``;``-joined text: see
        :meth:`legal_problems` and :func:`~lublin_diagnosis.data.contracts.explode_list`.

    Examples
    --------
    >>> import pandas as pd
    >>> from lublin_diagnosis.data.codebook import Codebook
    >>> lab = {"pl": "x", "en": "x"}
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
    ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
    ...      "values": {"F": lab, "M": lab}}]})
    >>> margins = pd.DataFrame({"variable": ["sex", "sex"], "category": ["M", "F"],
    ...                         "count": [27500.0, 34300.0]})
    >>> survey = pd.DataFrame({"resp_id": ["R1"], "sex": pd.Categorical(["F"], ["F", "M"])})
    >>> ds = Dataset(Path("data"), {"design": {"ids": None, "strata": None, "weights": None}},
    ...              {}, cb, survey, margins)
    >>> ds.survey["sex"].cat.categories.tolist(), ds.legal_cases is None
    (['F', 'M'], True)
    """

    data_dir: Path
    meta: Mapping[str, Any]
    paths: Mapping[str, Path]
    codebook: Codebook
    survey: pd.DataFrame
    margins: pd.DataFrame
    institutions: pd.DataFrame | None = None
    monitoring: pd.DataFrame | None = None
    admin: pd.DataFrame | None = None
    legal_cases: pd.DataFrame | None = None
    recommendations: pd.DataFrame | None = None
    opinions: pd.DataFrame | None = None
    status: pd.DataFrame | None = None

    @property
    def synthetic(self) -> bool:
        """Whether the data is synthetic (to be printed on every report)."""
        return bool(self.meta.get("synthetic"))

    @property
    def title(self) -> str:
        """Title of the dataset."""
        return str(self.meta.get("title", ""))

    @property
    def design(self) -> Mapping[str, str | None]:
        """The survey design: ``ids``, ``strata``, ``weights`` variable names (or None),
        and ``lonely_psu`` and ``nest`` when ``dataset.yml`` sets them."""
        return self.meta["design"]

    def margins_dict(self) -> dict[str, dict[str, float]]:
        """Margins as ``{variable: {category: count}}``, in codebook order.

        This is the form the survey engine takes: ``design.rake(ds.margins_dict())``.

        Examples
        --------
        >>> import pandas as pd
        >>> from lublin_diagnosis.data.codebook import Codebook
        >>> lab = {"pl": "x", "en": "x"}
        >>> cb = Codebook.from_dict({"variables": [
        ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
        ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
        ...      "values": {"F": lab, "M": lab}}]})
        >>> margins = pd.DataFrame({"variable": ["sex", "sex"], "category": ["M", "F"],
        ...                         "count": [27500.0, 34300.0]})
        >>> survey = pd.DataFrame({"resp_id": ["R1"], "sex": pd.Categorical(["F"], ["F", "M"])})
        >>> ds = Dataset(Path("data"), {"design": {"ids": None, "strata": None, "weights": None}},
        ...              {}, cb, survey, margins)
        >>> ds.margins_dict()                    # codebook order: F before M
        {'sex': {'F': 34300.0, 'M': 27500.0}}
        """
        out: dict[str, dict[str, float]] = {}
        for name in self.codebook.names:
            rows = self.margins[self.margins["variable"] == name]
            if rows.empty:
                continue
            counts = dict(zip(rows["category"], rows["count"].astype(float), strict=False))
            out[name] = {code: counts[code] for code in self.codebook.codes(name) if code in counts}
        return out

    def legal_problems(self) -> pd.DataFrame:
        """The legal cases with one row per (case, problem).

        Examples
        --------
        >>> import pandas as pd
        >>> from lublin_diagnosis.data.codebook import Codebook
        >>> lab = {"pl": "x", "en": "x"}
        >>> cb = Codebook.from_dict({"variables": [
        ...     {"name": "resp_id", "type": "id", "role": "id", "label": lab},
        ...     {"name": "sex", "type": "categorical", "role": "weighting", "label": lab,
        ...      "values": {"F": lab, "M": lab}}]})
        >>> margins = pd.DataFrame({"variable": ["sex", "sex"], "category": ["M", "F"],
        ...                         "count": [27500.0, 34300.0]})
        >>> survey = pd.DataFrame({"resp_id": ["R1"], "sex": pd.Categorical(["F"], ["F", "M"])})
        >>> ds = Dataset(Path("data"), {"design": {"ids": None, "strata": None, "weights": None}},
        ...              {}, cb, survey, margins)
        >>> cases = pd.DataFrame({"case_id": ["C1", "C2"],
        ...                       "problems": ["work;housing", "work"]})
        >>> import dataclasses
        >>> dataclasses.replace(ds, legal_cases=cases).legal_problems()["problems"].tolist()
        ['work', 'housing', 'work']
        """
        if self.legal_cases is None:
            raise ValueError("this dataset has no legal_cases input")
        return explode_list(self.legal_cases, "problems")


# --------------------------------------------------------------------------- public API
def validate_dir(data_dir: str | Path) -> ValidationReport:
    """Check every input of a data directory; report every problem at once.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        A data directory (see ``docs/data-contracts.md``).

    Returns
    -------
    ValidationReport
        ``.ok`` is True when every input meets its contract.

    Raises
    ------
    ReadError
        If ``data_dir`` is not a directory. Problems with the files themselves
        (missing, unreadable, invalid) are reported in the report, never raised.

    Examples
    --------
    >>> validate_dir("no/such/folder")     # a valid folder: see the module's example
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ReadError: no/such/folder: not a directory; give the data \
directory (the one holding survey.csv, codebook.yml, ...)
    """
    return _Inspection(Path(data_dir)).run().report()


def load_dataset(data_dir: str | Path) -> Dataset:
    """Validate a data directory and return its typed tables.

    Parameters
    ----------
    data_dir : str or pathlib.Path
        A data directory (see ``docs/data-contracts.md``).

    Returns
    -------
    Dataset

    Raises
    ------
    ValidationError
        With every problem, if any input breaks its contract.
    ReadError
        If ``data_dir`` is not a directory.

    Examples
    --------
    >>> from pathlib import Path
    >>> import lublin_diagnosis
    >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
    >>> ds = load_dataset(demo)
    >>> len(ds.survey), ds.design["weights"]
    (1200, 'base_weight')
    """
    inspection = _Inspection(Path(data_dir)).run()
    inspection.report().raise_if_invalid()
    return inspection.dataset()


# --------------------------------------------------------------------------- machinery
@dataclass
class _Input:
    """One input while it is being inspected."""

    name: str
    path: Path | None
    label: str
    options: dict[str, Any] = field(default_factory=dict)
    present: bool = True
    frame: pd.DataFrame | None = None  # text, index = row numbers
    decimal: str = "."


class _Inspection:
    """Reads a data directory and collects its problems (used once)."""

    def __init__(self, data_dir: Path):
        if not data_dir.is_dir():
            raise ReadError(
                f"{data_dir}: not a directory; give the data directory "
                f"(the one holding survey.csv, codebook.yml, ...)"
            )
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.inputs: dict[str, _Input] = {}
        self.codebook: Codebook | None = None
        self.codebook_count: int | None = None

    # -- orchestration -----------------------------------------------------------------
    def run(self) -> _Inspection:
        self._read_dataset_yml()
        self._read_codebook()
        for name in INPUTS[1:]:
            self._read_table(name)
        self._check_design()
        self._check_margins()
        self._check_references()
        self._check_register()
        self._check_framework()
        return self

    def report(self) -> ValidationReport:
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.file] = counts.get(p.file, 0) + 1
        files = []
        for name in INPUTS:
            item = self.inputs[name]
            if name == "codebook":
                rows, cols, noun = self.codebook_count, None, "variables"
            elif item.frame is not None:
                rows, cols = len(item.frame), len(item.frame.columns)
                noun = "respondents" if name == "survey" else SCHEMAS[name].noun
            else:
                rows = cols = None
                noun = "rows"
            detail = ""
            if name == "margins" and item.frame is not None and "variable" in item.frame.columns:
                n = item.frame["variable"].nunique()
                detail = f"{n} margin{'s' if n != 1 else ''}"
            files.append(
                FileSummary(
                    name,
                    item.label,
                    rows,
                    cols,
                    counts.get(item.label, 0),
                    noun,
                    item.present,
                    detail,
                )
            )
        return ValidationReport(
            self.data_dir, tuple(self.problems), tuple(files), MappingProxyType(self.meta)
        )

    def dataset(self) -> Dataset:
        assert self.codebook is not None
        tables: dict[str, pd.DataFrame | None] = {}
        for name in INPUTS[1:]:
            item = self.inputs[name]
            if item.frame is None:
                tables[name] = None
            elif name == "survey":
                tables[name] = survey_frame(item.frame, self.codebook, decimal=item.decimal)
            else:
                tables[name] = SCHEMAS[name].coerce(item.frame, decimal=item.decimal)
        paths = {
            name: item.path
            for name, item in self.inputs.items()
            if item.present and item.path is not None
        }
        return Dataset(
            self.data_dir,
            MappingProxyType(self.meta),
            MappingProxyType(paths),
            self.codebook,
            **tables,
        )

    def add(self, problem: Problem) -> None:
        self.problems.append(_bounded(problem))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(_bounded(p) for p in problems)

    # -- dataset.yml ---------------------------------------------------------------------
    def _read_dataset_yml(self) -> None:
        path = self.data_dir / _DATASET_YML
        raw: Any = {}
        if path.is_file():
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark else ""
                self.add(
                    Problem(
                        _DATASET_YML,
                        "read",
                        f"not valid YAML{where}: "
                        f"{getattr(exc, 'problem', None) or exc}; fix the file",
                    )
                )
                raw = {}
            if not isinstance(raw, Mapping):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        "must be a mapping (title:, synthetic:, files:, design:, framework:)",
                    )
                )
                raw = {}
        meta = dict(raw)
        meta.setdefault("title", self.data_dir.resolve().name)
        synthetic = meta.get("synthetic", False)
        if not isinstance(synthetic, bool):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'synthetic:' must be true or false",
                    column="synthetic",
                    value=synthetic,
                )
            )
        meta["synthetic"] = bool(synthetic) if isinstance(synthetic, bool) else True
        framework = meta.get("framework") or _DEFAULT_FRAMEWORK
        if not isinstance(framework, str):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'framework:' must be a framework "
                    "name (e.g. lublin-14) or the path of a framework file",
                    column="framework",
                    value=framework,
                )
            )
            framework = _DEFAULT_FRAMEWORK
        meta["framework"] = framework
        meta["design"] = self._design_meta(meta.get("design"))
        files = meta.get("files") or {}
        if not isinstance(files, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'files:' must map input names to "
                    "{path: ..., encoding: ..., sep: ..., decimal: ...}",
                    column="files",
                )
            )
            files = {}
        for key in files:
            if key not in INPUTS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"unknown input {shorten(key)} under "
                        f"'files:'; inputs are {', '.join(INPUTS)}",
                        column="files",
                        value=key,
                    )
                )
        for name in INPUTS:
            self.inputs[name] = self._input(name, files)
        self.meta = meta

    def _design_meta(self, design: Any) -> Mapping[str, Any]:
        """``design:`` as written, with ``ids``, ``strata`` and ``weights`` defaulting to
        None; each value is a variable name or a list of names (multi-stage ``ids``)."""
        out: dict[str, Any] = {key: None for key in _DESIGN_KEYS[:3]}
        if design is None:
            return MappingProxyType(out)
        if not isinstance(design, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'design:' must map ids, strata and weights to survey variables",
                    column="design",
                )
            )
            return MappingProxyType(out)
        for key, value in design.items():
            if key == "lonely_psu" and value not in LONELY_PSU_POLICIES:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"design lonely_psu must be one of {', '.join(LONELY_PSU_POLICIES)}",
                        column="design",
                        value=value,
                    )
                )
            elif key == "nest" and not isinstance(value, bool):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        "design nest must be true or false",
                        column="design",
                        value=value,
                    )
                )
            elif key in _DESIGN_OPTIONS:
                out[key] = value
            elif key not in _DESIGN_KEYS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"unknown key {shorten(key)} under "
                        f"'design:'; use {', '.join(_DESIGN_KEYS + _DESIGN_OPTIONS)}",
                        column="design",
                        value=key,
                    )
                )
            elif value is not None and not _design_names(value):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"design {key} must be the "
                        f"name of a survey variable (or, for ids, a list of names)",
                        column="design",
                        value=value,
                    )
                )
            else:
                out[key] = list(value) if isinstance(value, list) else value
        return MappingProxyType(out)

    def _input(self, name: str, files: Mapping[str, Any]) -> _Input:
        default = DEFAULT_FILES[name]
        if name in files and files[name] is None:
            return _Input(name, None, name, present=False)
        spec = files.get(name, {})
        if isinstance(spec, str):
            spec = {"path": spec}
        if not isinstance(spec, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name} must be a path or "
                    f"{{path: ..., encoding: ..., sep: ..., decimal: ...}}",
                    column="files",
                    value=spec,
                )
            )
            spec = {}
        options = {}
        for key, value in spec.items():
            if key not in _READ_OPTIONS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"files: {name}: unknown "
                        f"option {shorten(key)}; options are {', '.join(_READ_OPTIONS)}",
                        column="files",
                        value=key,
                    )
                )
            elif key != "path":
                options[key] = value
        if options.get("decimal") not in (None, ".", ","):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name}: decimal must be '.' or ','",
                    column="files",
                    value=options["decimal"],
                )
            )
            options.pop("decimal")
        for key in ("encoding", "sep"):
            if key in options and not isinstance(options[key], str):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"files: {name}: {key} must be text (quote it)",
                        column="files",
                        value=options[key],
                    )
                )
                options.pop(key)
        if "sheet" in options and not isinstance(options["sheet"], (str, int)):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name}: sheet must be a sheet name or number",
                    column="files",
                    value=options["sheet"],
                )
            )
            options.pop("sheet")
        path = Path(str(spec.get("path") or default))
        if not path.is_absolute():
            path = self.data_dir / path
        try:
            label = path.relative_to(self.data_dir).as_posix()
        except ValueError:
            label = str(path)
        return _Input(name, path, label, options)

    # -- reading -------------------------------------------------------------------------
    def _read_codebook(self) -> None:
        item = self.inputs["codebook"]
        if not item.present or item.path is None:
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "the codebook cannot be declared absent: the survey needs it",
                    column="files",
                    value="codebook",
                )
            )
            return
        try:
            data = load_yaml_text(item.path)
        except ReadError as exc:
            self.add(Problem(item.label, "read", _strip_path(str(exc), item.path)))
            return
        problems = check_codebook(data, file=item.label)
        self.extend(problems)
        if isinstance(data, Mapping) and isinstance(data.get("variables"), list):
            self.codebook_count = len(data["variables"])
        if not problems:
            self.codebook = Codebook.from_dict(data, source=item.label)

    def _read_table(self, name: str) -> None:
        item = self.inputs[name]
        if not item.present or item.path is None:
            if name in ("survey", "margins"):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"the {name} cannot be declared absent",
                        column="files",
                        value=name,
                    )
                )
            return
        try:
            frame = read_table(item.path, **item.options)
        except ReadError as exc:
            self.add(Problem(item.label, "read", _strip_path(str(exc), item.path)))
            return
        item.frame = frame
        item.decimal = frame.attrs.get("decimal") or "."
        if name == "survey":
            if self.codebook is None:
                return  # the codebook's problems are reported; its columns are unknown
            schema = survey_schema(self.codebook, filename=item.label)
        else:
            schema = SCHEMAS[name]
        self.extend(schema.check(frame, file=item.label, decimal=item.decimal))

    def _frame(self, name: str, *columns: str) -> pd.DataFrame | None:
        """The text frame of ``name`` if it was read and has ``columns``."""
        item = self.inputs[name]
        if item.frame is None or not set(columns) <= set(item.frame.columns):
            return None
        return item.frame

    # -- cross-file rules ----------------------------------------------------------------
    def _check_design(self) -> None:
        survey = self._frame("survey")
        design = self.meta["design"]
        if self.codebook is None:
            return
        for key, var in ((k, v) for k in _DESIGN_KEYS for v in _design_names(design.get(k))):
            if var not in self.codebook:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "design",
                        f"design {key} {shorten(var)} is not a "
                        f"codebook variable; name a survey variable",
                        column="design",
                        value=var,
                    )
                )
                continue
            if survey is None or var not in survey.columns:
                continue
            label = self.inputs["survey"].label
            values = survey[var]
            missing = values.isna() | values.isin(self.codebook[var].missing)
            self.extend(
                problems_from_failures(
                    label,
                    "design",
                    var,
                    [(_row(r), values[r]) for r in values.index[missing]],
                    f"missing, but every respondent needs a {_DESIGN_WORDS[key]} (design "
                    f"{key} in {_DATASET_YML})",
                )
            )
            if key in ("weights", "fpc"):
                numbers = parse_numbers(values[~missing], decimal=self.inputs["survey"].decimal)
                bad = numbers.isna() | (numbers <= 0) | (numbers > MAX_MAGNITUDE)
                self.extend(
                    problems_from_failures(
                        label,
                        "design",
                        var,
                        [(_row(r), values[r]) for r in numbers.index[bad]],
                        f"design {key} must be finite numbers > 0 and at most {MAX_MAGNITUDE:,.0f}",
                    )
                )
        if survey is not None and all(
            v in self.codebook for k in ("ids", "strata") for v in _design_names(design[k])
        ):
            ids = _design_names(design["ids"])
            strata = (_design_names(design["strata"]) or [None])[0]
            label = self.inputs["survey"].label
            self.extend(
                check_lonely_psus(
                    survey,
                    ids=ids,
                    strata=strata,
                    file=label,
                    policy=design.get("lonely_psu", "fail"),
                )
            )
            self.extend(
                check_psu_nesting(
                    survey, ids=ids, strata=strata, file=label, nest=design.get("nest") is True
                )
            )

    def _check_margins(self) -> None:
        margins = self._frame("margins", "variable", "category", "count")
        if margins is None or self.codebook is None:
            return
        cb = self.codebook
        label = self.inputs["margins"].label
        bad_var: dict[str, list[tuple[int | None, object]]] = {}
        bad_cat: dict[str, list[tuple[int | None, object]]] = {}
        usable: dict[str, pd.DataFrame] = {}
        for var, rows in margins.groupby("variable", sort=False, dropna=True):
            var = str(var)
            v = cb.get(var)
            if v is None or v.role != "weighting" or not v.is_coded:
                bad_var[var] = [(_row(r), var) for r in rows.index]
                continue
            codes = set(v.codes)
            wrong = rows[~rows["category"].isin(codes) & rows["category"].notna()]
            if not wrong.empty:
                bad_cat[var] = [(_row(r), c) for r, c in wrong["category"].items()]
            present = set(rows["category"].dropna())
            for code in v.codes:
                if code not in present:
                    self.add(
                        Problem(
                            label,
                            "margin_complete",
                            f"code {shorten(code)} of {shorten(var)} is in the codebook but has no "
                            f"margin row; add its population count, or merge the "
                            f"code into another one in the codebook and the survey",
                            column="category",
                            value=code,
                        )
                    )
            usable[var] = rows
        for var, failures in bad_var.items():
            v = cb.get(var)
            if v is None:
                why = f"{shorten(var)} is not a codebook variable{_near(var, cb.names)}"
            elif not v.is_coded:
                why = f"{shorten(var)} is a {v.type} variable; margins need categories"
            else:
                why = f"{shorten(var)} has role {shorten(v.role)}, not 'weighting'"
            self.extend(
                problems_from_failures(
                    label,
                    "margin_variable",
                    "variable",
                    failures,
                    f"{why}: margins are for the codebook's weighting variables (set role: "
                    f"weighting in the codebook or correct the name)",
                )
            )
        for var, failures in bad_cat.items():
            self.extend(
                problems_from_failures(
                    label,
                    "margin_category",
                    "category",
                    failures,
                    f"not a code of {shorten(var)} in the codebook (codes: "
                    f"{', '.join(cb.codes(var))}); correct the category or add the code to "
                    f"the codebook",
                )
            )
        for var in cb.by_role("weighting"):
            if cb[var].is_coded and var not in set(margins["variable"].dropna()):
                self.add(
                    Problem(
                        label,
                        "margin_missing",
                        f"weighting variable {shorten(var)} has no margin; add its "
                        f"population counts, or give it another role in the "
                        f"codebook",
                        column="variable",
                        value=var,
                    )
                )
        # totals
        decimal = self.inputs["margins"].decimal
        survey = self._frame("survey")
        if survey is not None:
            self.extend(
                check_margin_coverage(
                    survey,
                    margins,
                    cb,
                    survey_file=self.inputs["survey"].label,
                    margins_file=label,
                    decimal=decimal,
                )
            )
        totals: dict[str, float] = {}
        for var, rows in usable.items():
            counts = parse_numbers(rows["count"], decimal=decimal)
            if counts.notna().all() and (counts.abs() <= MAX_MAGNITUDE).all():
                totals[var] = float(counts.sum())
        if len(totals) >= 2:
            ref_var, ref = next(iter(totals.items()))
            for var, total in totals.items():
                if ref > 0 and abs(total - ref) / ref > MARGIN_TOLERANCE:
                    self.add(
                        Problem(
                            label,
                            "margin_totals",
                            f"the total of {shorten(var)} is {total:,.0f} but the total of {shorten(ref_var)} "
                            f"is {ref:,.0f} (difference {100 * (total - ref) / ref:+.1f}%, more "
                            f"than {100 * MARGIN_TOLERANCE:.1f}%): margins must describe the "
                            f"same population; check the figures or rescale one margin",
                            column="count",
                            value=var,
                        )
                    )

    def _check_references(self) -> None:
        inst = self._frame("institutions", "institution_id")
        if inst is not None:
            known = set(inst["institution_id"].dropna())
            for name in ("monitoring", "admin"):
                frame = self._frame(name, "institution_id")
                if frame is None:
                    continue
                values = frame["institution_id"].dropna()
                bad = values[~values.isin(known)]
                self.extend(
                    problems_from_failures(
                        self.inputs[name].label,
                        "unknown_institution",
                        "institution_id",
                        _pairs(bad),
                        f"not an institution_id of "
                        f"{self.inputs['institutions'].label}; correct it or add the "
                        f"institution there",
                    )
                )

    def _check_register(self) -> None:
        """The recommendations register's rules (:mod:`lublin_diagnosis.data.register`)."""
        tables = {
            "recommendations": self._frame("recommendations", "rec_id"),
            "status": self._frame("status", "rec_id"),
            "opinions": self._frame("opinions", "rec_id"),
            "institutions": self._frame("institutions", "institution_id"),
        }
        files = {name: self.inputs[name].label for name in tables}
        self.extend(register_problems(**tables, files=files, codes=False))

    def _check_framework(self) -> None:
        try:
            framework = _load_framework(self.meta["framework"], self.data_dir)
        except Exception as exc:
            listed = [p for p in getattr(exc, "problems", ()) or () if isinstance(p, Problem)]
            if listed:
                why = f"{len(listed)} problem(s) of the framework file, listed below"
            else:
                why = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                why = why if len(why) <= 300 else why[:299] + "…"
            self.add(
                Problem(
                    _DATASET_YML,
                    "framework",
                    f"cannot load the framework {shorten(self.meta['framework'])} ({why}); "
                    f"its rules (areas, indicators, answers) were not checked",
                    column="framework",
                    value=self.meta["framework"],
                )
            )
            self.extend(listed)
            return
        if self.codebook is not None:
            # outcome indicators name survey variables and codes: they must be in the codebook
            self.extend(framework.original.check_codebook(self.codebook))
        areas = set(framework.areas)
        indicators = framework.indicators
        fw = f"framework {shorten(self.meta['framework'])}"

        inst = self._frame("institutions", "areas")
        if inst is not None:
            failures = []
            for row, value in inst["areas"].dropna().items():
                wrong = [
                    a.strip() for a in str(value).split(";") if a.strip() and a.strip() not in areas
                ]
                if wrong:
                    failures.append((_row(row), value))
            self.extend(
                problems_from_failures(
                    self.inputs["institutions"].label,
                    "unknown_area",
                    "areas",
                    failures,
                    f"names an area that is not in the {fw} (areas: {', '.join(sorted(areas))})",
                )
            )

        for name, kind, what in (
            ("monitoring", "P", "a policy (P)"),
            ("admin", "A", "an administrative (A)"),
        ):
            frame = self._frame(name, "indicator_id")
            if frame is None:
                continue
            label = self.inputs[name].label
            unknown, wrong_kind, bad_answer = [], [], []
            for row, ind_id in frame["indicator_id"].dropna().items():
                ind = indicators.get(ind_id)
                if ind is None:
                    unknown.append((_row(row), ind_id))
                elif ind.kind != kind:
                    wrong_kind.append((_row(row), ind_id))
                elif name == "monitoring" and "answer" in frame.columns:
                    answer = frame.at[row, "answer"]
                    if not pd.isna(answer) and answer not in ind.options:
                        bad_answer.append((_row(row), answer, ind_id))
            self.extend(
                problems_from_failures(
                    label,
                    "unknown_indicator",
                    "indicator_id",
                    unknown,
                    f"not an indicator of the {fw}; correct the id",
                )
            )
            self.extend(
                problems_from_failures(
                    label,
                    "indicator_kind",
                    "indicator_id",
                    wrong_kind,
                    f"this file takes {what} indicators of the {fw}; this indicator is of "
                    f"another kind",
                )
            )
            by_ind: dict[str, list[tuple[int | None, object]]] = {}
            for row, answer, ind_id in bad_answer:
                by_ind.setdefault(ind_id, []).append((row, answer))
            for ind_id, failures in by_ind.items():
                options = ", ".join(indicators[ind_id].options)
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_answer",
                        "answer",
                        failures,
                        f"not an answer option of indicator {shorten(ind_id)} (options: {options}); "
                        f"use one of the option ids",
                    )
                )

        recs = self._frame("recommendations")
        if recs is not None:
            label = self.inputs["recommendations"].label
            if "area" in recs.columns:
                bad = recs["area"].dropna()
                bad = bad[~bad.isin(areas)]
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_area",
                        "area",
                        _pairs(bad),
                        f"not an area of the {fw} (areas: {', '.join(sorted(areas))})",
                    )
                )
            if "indicator_ids" in recs.columns:
                failures = []
                for row, value in recs["indicator_ids"].dropna().items():
                    if any(
                        i.strip() and i.strip() not in indicators for i in str(value).split(";")
                    ):
                        failures.append((_row(row), value))
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_indicator",
                        "indicator_ids",
                        failures,
                        f"names an indicator that is not in the {fw}; correct the ids",
                    )
                )


# --------------------------------------------------------------------------- framework
def _load_framework(name: str, data_dir: Path) -> SimpleNamespace:
    """Framework facts the validation needs: area ids and indicators by id.

    The name is resolved by :func:`~lublin_diagnosis.framework.resolver.resolve_framework`
    (a shipped name, or a path relative to the data directory).
    """
    from lublin_diagnosis.framework.resolver import resolve_framework

    fw = resolve_framework(name, data_dir=data_dir)
    return SimpleNamespace(
        original=fw,
        areas=_ids(fw.areas),
        indicators={
            ind.id: SimpleNamespace(
                id=ind.id,
                area=getattr(ind, "area", None),
                kind=ind.kind,
                options=[getattr(o, "id", o) for o in (getattr(ind, "options", None) or ())],
            )
            for ind in _items(fw.indicators)
        },
    )


def _items(collection: Any) -> list[Any]:
    if isinstance(collection, Mapping):
        return list(collection.values())
    return list(collection)


def _ids(collection: Any) -> list[str]:
    if isinstance(collection, Mapping):
        return [str(k) for k in collection]
    return [str(getattr(item, "id", item)) for item in collection]


# --------------------------------------------------------------------------- helpers
#: The longest message and file name a problem keeps: a safety net for the problems of
#: other layers (the framework's) that quote data; the values themselves are shortened
#: where the messages are written.
_MESSAGE_WIDTH = 1000
_FILE_WIDTH = 300


def _bounded(problem: Problem) -> Problem:
    """``problem`` with its text fields cut to a printable length (the message to
    :data:`_MESSAGE_WIDTH`, the others, e.g. a framework problem's location, to
    :data:`_FILE_WIDTH`)."""
    changes = {}
    for item in dataclasses.fields(problem):
        text = getattr(problem, item.name)
        width = _MESSAGE_WIDTH if item.name == "message" else _FILE_WIDTH
        if isinstance(text, str) and len(text) > width:
            changes[item.name] = text[: width - 1] + "…"
    return dataclasses.replace(problem, **changes) if changes else problem


def _row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _design_names(value: Any) -> list[str]:
    """Variable names of a design entry: a name, a list of names, or [] for None/bad."""
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    return []


def _pairs(values: pd.Series) -> list[tuple[int | None, object]]:
    return [(_row(r), v) for r, v in values.items()]


def _near(name: str, names: Iterable[str]) -> str:
    import difflib

    near = difflib.get_close_matches(name, list(names), n=1)
    return f" (is {shorten(near[0])} meant?)" if near else ""


def _strip_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
