"""Validate a data directory against its contracts and load it as a typed dataset.

:func:`validate_dir` reads every input of a data directory (``dataset.yml``, the survey
and its codebook, margins, institutions, monitoring, admin counts, legal cases and the
recommendations register), checks each against its schema
(:mod:`~lublin_diagnosis.data.contracts`) and then the rules that join files, and returns
a :class:`ValidationReport` with **every** problem found. It only reads: input files are
never modified.

The package's parts: :mod:`.results` (:class:`FileSummary`, :class:`ValidationReport`,
:class:`Dataset`); the inspection (``_inspection``) that runs the checks of
``dataset.yml`` (``_dataset_yml``), of each file alone (``_file_checks``) and across
files (``_cross_checks``); ``_common`` holds the inputs, constants and helpers.

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
import os
import threading
from pathlib import Path
from typing import Any

from lublin_diagnosis.data.validation._common import DEFAULT_FILES, INPUTS, MARGIN_TOLERANCE
from lublin_diagnosis.data.validation._inspection import _Inspection
from lublin_diagnosis.data.validation.results import Dataset, FileSummary, ValidationReport

__all__ = [
    "DEFAULT_FILES",
    "MEMO_ENV",
    "Dataset",
    "FileSummary",
    "INPUTS",
    "MARGIN_TOLERANCE",
    "ValidationReport",
    "load_dataset",
    "validate_dir",
]


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
    memo = os.environ.get(MEMO_ENV) == "1"
    if memo:
        found = _recall(Path(data_dir))
        if found is not None:
            return found
    inspection = _Inspection(Path(data_dir)).run()
    inspection.report().raise_if_invalid()
    dataset = inspection.dataset()
    if memo:
        _remember(Path(data_dir), dataset)
    return dataset


#: With this environment variable set to ``1`` (the pipeline sets it in its kernels, which
#: execute notebook after notebook), :func:`load_dataset` validates a data folder once per
#: process and hands out copies of the dataset (every table copied) while no file of the
#: folder (nor an outside framework file it names) changed size or modification time.
MEMO_ENV = "LUBLIN_DIAGNOSIS_MEMO_DATASET"
_MEMO: dict[str, tuple[Any, Dataset]] = {}
_MEMO_LOCK = threading.Lock()


def _stamp(folder: Path, meta: Any) -> Any:
    """Size and modification time of every file of ``folder`` (and of the framework file
    ``dataset.yml`` names, when it is a file)."""
    files = sorted(
        (p.relative_to(folder).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    )
    framework = (meta or {}).get("framework") if isinstance(meta, dict) else None
    extra = None
    if isinstance(framework, str) and framework.strip():
        path = (folder / framework).resolve()
        if path.is_file():
            extra = (str(path), path.stat().st_size, path.stat().st_mtime_ns)
    return (tuple(files), extra)


def _copy(dataset: Dataset) -> Dataset:
    """The dataset with every table copied (a notebook may change its own copy)."""
    import pandas as pd

    changes = {
        f.name: getattr(dataset, f.name).copy(deep=True)
        for f in dataclasses.fields(dataset)
        if isinstance(getattr(dataset, f.name), pd.DataFrame)
    }
    return dataclasses.replace(dataset, **changes)


def _recall(folder: Path) -> Dataset | None:
    key = str(folder.resolve())
    with _MEMO_LOCK:
        entry = _MEMO.get(key)
    if entry is None:
        return None
    stamp, dataset = entry
    try:
        if _stamp(folder.resolve(), dict(dataset.meta)) != stamp:
            return None
    except OSError:
        return None
    return _copy(dataset)


def _remember(folder: Path, dataset: Dataset) -> None:
    try:
        stamp = _stamp(folder.resolve(), dict(dataset.meta))
    except OSError:
        return
    with _MEMO_LOCK:
        _MEMO.clear()
        _MEMO[str(folder.resolve())] = (stamp, _copy(dataset))
