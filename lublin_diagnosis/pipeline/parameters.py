"""The parameters of the report notebooks, checked in the cell after the ``parameters`` cell.

Every notebook of ``notebooks/`` starts with one cell tagged ``parameters`` holding plain
literals (papermill replaces it when it runs the notebook); the next cell passes them to
:func:`check_params`, which checks every value, resolves the paths and returns a frozen
:class:`NotebookParams`. The pipeline calls the same function before it starts any kernel,
so a bad value fails at once, naming the parameter.

Relative paths are resolved so that a notebook works from the repository root (``papermill
notebooks/10_area.ipynb out.ipynb -p area health``) and from ``notebooks/`` (JupyterLab):
``data_dir`` is looked up in the working directory and then in each parent; a relative
``out_dir`` is taken from the same base.

Parameters given as text (``-p key=value`` on the command line) are read as the type of
their default by :func:`parse_param`: whole numbers, numbers, text (never YAML tags,
dates or lists) and, for ``areas``/``institutions``, comma-separated lists.

The disclosure rules have floors no parameter can go under: ``min_cell`` is at least
:data:`MIN_CELL_FLOOR` (5) and ``low_n`` at least :data:`LOW_N_FLOOR` (10).

>>> demo = resolve_data_dir("data/demo", start=__file__)  # the repository's demo data
>>> p = check_params(notebook="10_area", data_dir=demo, area="health", replicates=20)
>>> p.area, p.replicates, p.rules.min_n
('health', 20, 10)
>>> parse_param("reference_date", "2023-05-31"), parse_param("replicates", "50")
('2023-05-31', 50)
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import ParameterError
from lublin_diagnosis.framework.resolver import framework_source, resolve_framework
from lublin_diagnosis.report.i18n import LANGUAGES

__all__ = [
    "DEFAULTS",
    "LIST_PARAMS",
    "LONELY_PSU",
    "LOW_N_FLOOR",
    "MIN_CELL_FLOOR",
    "NotebookParams",
    "check_params",
    "parse_param",
    "resolve_data_dir",
]

#: No parameter can lower the suppression threshold under this unweighted base.
MIN_CELL_FLOOR = 5
#: No parameter can lower the low-reliability threshold under this unweighted base.
LOW_N_FLOOR = 10
#: Lonely-PSU policies (R's ``survey.lonely.psu``); empty: the dataset's (``dataset.yml``
#: ``design: lonely_psu:``), else ``"fail"``.
LONELY_PSU = ("", "fail", "adjust", "average", "remove", "certainty")
#: Pipeline parameters that take a list of names (``-p areas=health,work``).
LIST_PARAMS = ("areas", "institutions")

#: Default value of every notebook parameter (the values of the ``parameters`` cells).
DEFAULTS: Mapping[str, Any] = {
    "data_dir": "data/demo",
    "out_dir": "outputs/lab",
    "lang": "pl",
    "framework": "lublin-14",
    "seed": 2023,
    "replicates": 200,
    "min_cell": 10,
    "low_n": 30,
    "max_cv": 0.30,
    "sensitivity_draws": 200,
    "top_n": 5,
    "area": "",
    "institution": "",
    "reference_date": "",
    "lonely_psu": "",
    "cache_dir": "",
    "areas": (),
}


@dataclass(frozen=True)
class NotebookParams:
    """Checked parameters of one notebook run.

    Attributes
    ----------
    notebook : str
        Notebook name without ``.ipynb`` (``"10_area"``).
    data_dir, out_dir : pathlib.Path
        Absolute paths; tables and figures go to ``out_dir / lang``.
    lang : {"pl", "en"}
    framework : str
        A shipped framework's name, or the absolute path of a framework file (a relative
        path is taken from ``data_dir``; see
        :func:`~lublin_diagnosis.framework.resolver.framework_source`).
    seed, replicates : int
        Seed of every random draw; number of bootstrap replicates (at least 2).
    min_cell, low_n : int
        Disclosure rules: suppress estimates on an unweighted base under ``min_cell``,
        flag those under ``low_n`` as of low reliability.
    max_cv : float
        Flag estimates whose coefficient of variation exceeds it.
    sensitivity_draws : int
        Draws of the sensitivity analysis (0 to skip it).
    top_n : int
        Length of the "largest gaps" and "priorities" lists.
    area : str
        The area of ``10_area`` (empty elsewhere).
    institution : str
        The institution of ``20_institution`` (empty elsewhere; checked against the
        dataset by :func:`~lublin_diagnosis.advocacy.institution_report.check_institution`).
    reference_date : str
        ``YYYY-MM-DD``: the date the recommendations register is read at (empty: the
        latest date in the register; see
        :func:`~lublin_diagnosis.advocacy.recommendations.resolve_reference_date`).
    lonely_psu : str
        What the variance does with a stratum of one PSU (one of :data:`LONELY_PSU`;
        empty: the policy of ``dataset.yml``, else ``"fail"``).
    cache_dir : str
        Folder where notebooks of one run share the scorecard (set by the pipeline;
        empty: no cache). See :mod:`lublin_diagnosis.pipeline.cache`.
    areas : tuple of str
        The areas a notebook covering every area is restricted to (the factsheets, in a
        run with ``-p areas=...``); empty: every area of the framework.
    """

    notebook: str
    data_dir: Path
    out_dir: Path
    lang: str = "pl"
    framework: str = "lublin-14"
    seed: int = 2023
    replicates: int = 200
    min_cell: int = 10
    low_n: int = 30
    max_cv: float = 0.30
    sensitivity_draws: int = 200
    top_n: int = 5
    area: str = ""
    institution: str = ""
    reference_date: str = ""
    lonely_psu: str = ""
    cache_dir: str = ""
    areas: tuple[str, ...] = ()

    @property
    def lang_dir(self) -> Path:
        """Folder of this language's outputs: ``out_dir / lang``."""
        return self.out_dir / self.lang

    @property
    def rules(self):
        """The :class:`~lublin_diagnosis.disclosure.control.DisclosureRules` of these parameters."""
        from lublin_diagnosis.disclosure import DisclosureRules

        return DisclosureRules(min_n=self.min_cell, low_n=self.low_n, max_cv=self.max_cv)

    def as_dict(self) -> dict[str, Any]:
        """The parameters as plain values (paths as text), for a manifest."""
        out = asdict(self)
        out["data_dir"], out["out_dir"] = str(self.data_dir), str(self.out_dir)
        out["areas"] = list(self.areas)
        return out


def resolve_data_dir(data_dir: str | Path, *, start: str | Path | None = None) -> Path:
    """The absolute path of ``data_dir``: as given if absolute, else the first of
    ``start`` (default: the working directory) and its parents that holds it.

    Raises
    ------
    FileNotFoundError
        Naming every place looked at.

    Examples
    --------
    >>> resolve_data_dir("data/demo", start=__file__).name
    'demo'
    """
    path = Path(data_dir).expanduser()
    if path.is_absolute():
        if not path.is_dir():
            raise FileNotFoundError(f"data_dir {str(path)!r} is not a directory")
        return path
    base = Path(start or Path.cwd()).resolve()
    tried = []
    for root in (base, *base.parents):
        candidate = root / path
        if candidate.is_dir():
            return candidate
        tried.append(str(root))
    raise FileNotFoundError(
        f"data_dir {str(data_dir)!r} was not found in {tried[0]} nor in any of its parents"
    )


def _show(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters (a 300-digit number stays readable)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def _int(name: str, value: Any, low: int, high: int = 1_000_000) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or (isinstance(value, float) and (not math.isfinite(value) or value != int(value)))
    ):
        raise ParameterError(f"parameter {name!r} must be a whole number, not {_show(value)}")
    if value < low:
        raise ParameterError(f"parameter {name!r} must be at least {low}, not {_show(value)}")
    if value > high:
        raise ParameterError(f"parameter {name!r} must be at most {high:,}, not {_show(value)}")
    return int(value)


def parse_param(name: str, raw: str) -> Any:
    """Read the text of a ``-p name=raw`` option as the type of the parameter's default.

    Whole-number parameters take a whole number, ``max_cv`` a number, ``areas`` and
    ``institutions`` a comma-separated list; every other parameter is text, taken as
    written (no YAML: ``2023-05-31`` stays a date written as text, ``!!python/...`` is
    just text, which the parameter's check then refuses). A list may also be written in
    YAML's flow form, ``[health, work]``. Unknown names are returned as
    text, for the pipeline to report.

    Raises
    ------
    ParameterError
        When the text is not of the parameter's type.

    Examples
    --------
    >>> parse_param("replicates", " 50 "), parse_param("max_cv", "0.25")
    (50, 0.25)
    >>> parse_param("areas", "health, work"), parse_param("areas", "[health, 'work']")
    (['health', 'work'], ['health', 'work'])
    >>> parse_param("reference_date", "2023-05-31")
    '2023-05-31'
    >>> parse_param("replicates", "!!python/object/apply:os.system ['true']")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ParameterError: parameter 'replicates' must be a whole number, not "!!python/object/apply:os.system ['true']"
    """
    text = raw.strip()
    if name in LIST_PARAMS:  # health,work or [health, work] (YAML's flow form)
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        names = (v.strip().strip("'\"").strip() for v in text.split(","))
        return [v for v in names if v]
    default = DEFAULTS.get(name)
    if isinstance(default, bool) or not isinstance(default, (int, float)):
        return raw
    kind = "a whole number" if isinstance(default, int) else "a number"
    try:
        value = int(text) if isinstance(default, int) else float(text)
    except ValueError:
        raise ParameterError(f"parameter {name!r} must be {kind}, not {_show(raw)}") from None
    return value


def _coerce_date(value: Any) -> Any:
    """A date read from YAML (``reference_date: 2023-05-31`` in a params file) as text."""
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value.isoformat()
    return value


def _check_numbers(values: dict[str, Any]) -> None:
    """Whole numbers, their lower bounds and the disclosure floors; ``max_cv``."""
    values["seed"] = _int("seed", values["seed"], 0, 2**32 - 1)
    values["min_cell"] = _int("min_cell", values["min_cell"], MIN_CELL_FLOOR)
    values["low_n"] = _int("low_n", values["low_n"], max(LOW_N_FLOOR, values["min_cell"]))
    values["replicates"] = _int("replicates", values["replicates"], 2, 100_000)
    values["sensitivity_draws"] = _int("sensitivity_draws", values["sensitivity_draws"], 0, 100_000)
    values["top_n"] = _int("top_n", values["top_n"], 1, 1_000)
    cv = values["max_cv"]
    if (
        isinstance(cv, bool)
        or not isinstance(cv, (int, float))
        or (isinstance(cv, float) and not math.isfinite(cv))
        or not 0 < cv <= 1
    ):
        raise ParameterError(f"parameter 'max_cv' must be a number in (0, 1], not {_show(cv)}")
    values["max_cv"] = float(cv)


def _check_texts(values: dict[str, Any]) -> None:
    """Text parameters, the reference date (a calendar date) and the lonely-PSU policy."""
    values["reference_date"] = _coerce_date(values["reference_date"])
    for name in (
        "framework",
        "area",
        "data_dir",
        "out_dir",
        "cache_dir",
        "institution",
        "reference_date",
        "lonely_psu",
    ):
        if not isinstance(values[name], (str, Path)):
            raise ParameterError(f"parameter {name!r} must be text, not {_show(values[name])}")
    ref = str(values["reference_date"]).strip()
    if ref:
        try:
            if len(ref) != 10:
                raise ValueError(ref)
            _dt.date.fromisoformat(ref)
        except ValueError:
            raise ParameterError(
                f"parameter 'reference_date' must be a calendar date written YYYY-MM-DD "
                f"(e.g. 2023-05-31), or empty for the latest date in the register, "
                f"not {_show(ref)}"
            ) from None
    values["reference_date"] = ref
    if values["lonely_psu"] not in LONELY_PSU:
        raise ParameterError(
            f"parameter 'lonely_psu' must be one of {', '.join(LONELY_PSU[1:])} (or empty "
            f"for the policy of dataset.yml), not {_show(values['lonely_psu'])}"
        )


def check_params(*, notebook: str, **params: Any) -> NotebookParams:
    """Check the parameters of a notebook and return them resolved.

    Parameters
    ----------
    notebook : str
        Notebook name without ``.ipynb``; ``"10_area"`` requires ``area``.
    **params
        Values of the ``parameters`` cell; missing ones take :data:`DEFAULTS`.

    Raises
    ------
    ParameterError
        (a ``ValueError``) naming the parameter and the value at fault (unknown names
        included).
    FileNotFoundError
        When ``data_dir`` does not exist.

    Examples
    --------
    >>> check_params(notebook="00_data_checks", lang="de")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ParameterError: parameter 'lang' must be one of pl, en, not 'de'
    >>> check_params(notebook="00_data_checks", min_cell=1)
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ParameterError: parameter 'min_cell' must be at least 5, not 1
    >>> check_params(notebook="00_data_checks", reference_date="2023-99-99")
    Traceback (most recent call last):
    ...
    lublin_diagnosis.exceptions.ParameterError: parameter 'reference_date' must be a calendar date written YYYY-MM-DD (e.g. 2023-05-31), or empty for the latest date in the register, not '2023-99-99'
    """
    known = {f.name for f in fields(NotebookParams)} - {"notebook"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(map(_show, unknown))} of notebook "
            f"{notebook!r}; known: {', '.join(sorted(known))}"
        )
    values = {**DEFAULTS, **params}
    if values["lang"] not in LANGUAGES:
        raise ParameterError(
            f"parameter 'lang' must be one of {', '.join(LANGUAGES)}, not {_show(values['lang'])}"
        )
    _check_numbers(values)
    _check_texts(values)
    data_dir = resolve_data_dir(values["data_dir"])
    out_dir = Path(values["out_dir"]).expanduser()
    if not out_dir.is_absolute():
        rel = Path(values["data_dir"])
        base = data_dir if rel.is_absolute() else data_dir.parents[len(rel.parts) - 1]
        out_dir = base / out_dir
    values["data_dir"], values["out_dir"] = data_dir, out_dir.resolve()
    values["cache_dir"] = str(Path(values["cache_dir"]).resolve()) if values["cache_dir"] else ""
    values["framework"] = framework_source(str(values["framework"]), data_dir=data_dir)
    if notebook == "10_area":
        areas = resolve_framework(values["framework"]).area_ids
        if values["area"] not in areas:
            raise ParameterError(
                f"parameter 'area' must be one of {', '.join(areas)}, not {_show(values['area'])}"
            )
    values["areas"] = _check_areas(values["areas"], values["framework"])
    return NotebookParams(notebook=notebook, **values)


def _check_areas(value: Any, framework: str) -> tuple[str, ...]:
    """The ``areas`` parameter as a tuple of the framework's area ids (a list, or text
    as on the command line, read by :func:`parse_param`; empty: every area)."""
    items = parse_param("areas", value) if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(a, str) for a in items):
        raise ParameterError(f"parameter 'areas' must be a list of area names, not {_show(value)}")
    wanted = tuple(a.strip() for a in items if a.strip())
    if wanted:
        known = resolve_framework(framework).area_ids
        unknown = [a for a in wanted if a not in known]
        if unknown:
            raise ParameterError(
                f"parameter 'areas' names unknown area(s) {', '.join(map(_show, unknown))}; "
                f"known: {', '.join(known)}"
            )
    return wanted
