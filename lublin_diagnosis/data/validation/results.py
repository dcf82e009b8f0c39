"""What validation returns: the summary of a file, the report, the validated :class:`Dataset`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.contracts import explode_list
from lublin_diagnosis.data.validation._common import _DATASET_YML
from lublin_diagnosis.data.validation._common import OPTIONAL_INPUTS as _OPTIONAL
from lublin_diagnosis.exceptions import Problem, ValidationError


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
            if self.name in _OPTIONAL or self.file == "":
                return f"{self.name}: not provided (optional)"
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
        Typed tables (None when declared absent).
    replies, events, pledges
        The optional registers (institutions' replies, the activity record, election
        candidates' pledges): None when the file is not there. List columns (``areas``,
        ``problems``, ``indicator_ids``) stay ``;``-joined text: see
        :meth:`legal_problems` and :func:`~lublin_diagnosis.data.contracts.explode_list`.
    rounds, monitoring_history, survey_history, public, peer_scores
        The optional context inputs (None when the data directory has none):
        declared rounds, earlier monitoring rounds, earlier survey rounds (typed like
        ``survey``, with ``round`` first), public register figures and peer-city scores.

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
    rounds: pd.DataFrame | None = None
    monitoring_history: pd.DataFrame | None = None
    survey_history: pd.DataFrame | None = None
    public: pd.DataFrame | None = None
    peer_scores: pd.DataFrame | None = None
    replies: pd.DataFrame | None = None
    events: pd.DataFrame | None = None
    pledges: pd.DataFrame | None = None

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
