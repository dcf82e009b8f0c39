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

>>> p = check_params(notebook="10_area", data_dir="data/demo", area="health",
...                  replicates=20)                                  # doctest: +SKIP
>>> p.area, p.replicates, p.rules.min_n                              # doctest: +SKIP
('health', 20, 10)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import ParameterError
from lublin_diagnosis.framework.resolver import framework_source, resolve_framework
from lublin_diagnosis.report.i18n import LANGUAGES

__all__ = ["DEFAULTS", "NotebookParams", "check_params", "resolve_data_dir"]

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
    "cache_dir": "",
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
    cache_dir : str
        Folder where notebooks of one run share the scorecard (set by the pipeline;
        empty: no cache). See :mod:`lublin_diagnosis.pipeline.cache`.
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
    cache_dir: str = ""

    @property
    def lang_dir(self) -> Path:
        """Folder of this language's outputs: ``out_dir / lang``."""
        return self.out_dir / self.lang

    @property
    def rules(self):
        """The :class:`~lublin_diagnosis.disclosure.control.DisclosureRules` of these parameters."""
        from lublin_diagnosis.disclosure.control import DisclosureRules

        return DisclosureRules(min_n=self.min_cell, low_n=self.low_n, max_cv=self.max_cv)

    def as_dict(self) -> dict[str, Any]:
        """The parameters as plain values (paths as text), for a manifest."""
        out = asdict(self)
        out["data_dir"], out["out_dir"] = str(self.data_dir), str(self.out_dir)
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
    >>> resolve_data_dir("data/demo").name                           # doctest: +SKIP
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


def _int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value):
        raise ParameterError(f"parameter {name!r} must be a whole number, not {value!r}")
    if value < low:
        raise ParameterError(f"parameter {name!r} must be at least {low}, not {value!r}")
    return int(value)


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
    """
    known = {f.name for f in fields(NotebookParams)} - {"notebook"}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ParameterError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))} of notebook "
            f"{notebook!r}; known: {', '.join(sorted(known))}"
        )
    values = {**DEFAULTS, **params}
    if values["lang"] not in LANGUAGES:
        raise ParameterError(
            f"parameter 'lang' must be one of {', '.join(LANGUAGES)}, not {values['lang']!r}"
        )
    for name in ("seed", "min_cell"):
        values[name] = _int(name, values[name], 0 if name == "seed" else 1)
    values["replicates"] = _int("replicates", values["replicates"], 2)
    values["low_n"] = _int("low_n", values["low_n"], values["min_cell"])
    values["sensitivity_draws"] = _int("sensitivity_draws", values["sensitivity_draws"], 0)
    values["top_n"] = _int("top_n", values["top_n"], 1)
    cv = values["max_cv"]
    if isinstance(cv, bool) or not isinstance(cv, (int, float)) or not 0 < cv <= 1:
        raise ParameterError(f"parameter 'max_cv' must be a number in (0, 1], not {cv!r}")
    values["max_cv"] = float(cv)
    for name in (
        "framework",
        "area",
        "data_dir",
        "out_dir",
        "cache_dir",
        "institution",
        "reference_date",
    ):
        if not isinstance(values[name], (str, Path)):
            raise ParameterError(f"parameter {name!r} must be text, not {values[name]!r}")
    ref = str(values["reference_date"]).strip()
    if ref and not (
        len(ref) == 10 and ref[4] == ref[7] == "-" and (ref[:4] + ref[5:7] + ref[8:]).isdigit()
    ):
        raise ParameterError(
            f"parameter 'reference_date' must be a date written YYYY-MM-DD, or "
            f"empty for the latest date in the register, not {ref!r}"
        )
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
                f"parameter 'area' must be one of {', '.join(areas)}, not {values['area']!r}"
            )
    return NotebookParams(notebook=notebook, **values)
