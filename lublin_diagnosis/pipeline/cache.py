"""Share one scorecard between the notebooks of a run instead of re-computing it per area.

Every area notebook needs the same scorecard (with its bootstrap replicates: seconds of
work). :func:`scorecard_tables` returns its tables; given a ``cache_dir`` (the pipeline
passes the run cache, ``<out>/.cache``, kept from one run to the next: see
:mod:`lublin_diagnosis.pipeline.runcache`), the first notebook computes them and stores
them under a key made of the sha256 of every input file, of every scoring parameter and
of the package's code, and the others -- of both languages, and of later runs -- read
them. A file lock makes a notebook
that starts while another computes wait for it rather than compute twice. Without a
``cache_dir`` (a notebook run on its own) the scorecard is simply built.

Only the tables are cached (plain DataFrames, and the per-area table of the sensitivity
analysis when asked for), not the :class:`~lublin_diagnosis.indicators.scorecard.Scorecard` object
itself.

>>> import tempfile
>>> from lublin_diagnosis.data.validation import load_dataset
>>> from lublin_diagnosis.pipeline.parameters import resolve_data_dir
>>> dataset = load_dataset(resolve_data_dir("data/demo", start=__file__))
>>> cache = tempfile.mkdtemp()
>>> tables = scorecard_tables(dataset, replicates=4, seed=2023, cache_dir=cache)
>>> again = scorecard_tables(dataset, replicates=4, seed=2023, cache_dir=cache)  # read back
>>> again.areas.equals(tables.areas), len(tables.areas)
(True, 14)
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, is_dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from lublin_diagnosis.pipeline.manifest import sha256_file

__all__ = ["ScorecardTables", "cache_key", "scorecard_tables"]


@dataclass(frozen=True)
class ScorecardTables:
    """The tables of a :class:`~lublin_diagnosis.indicators.scorecard.Scorecard`, under the same names.

    Attributes
    ----------
    indicators, areas, index, institutions, disparities, changes : DataFrame
    settings : dict
    sensitivity : DataFrame or None
        Per-area result of the sensitivity analysis, when asked for.
    """

    indicators: pd.DataFrame
    areas: pd.DataFrame
    index: pd.DataFrame
    institutions: pd.DataFrame
    disparities: pd.DataFrame
    changes: pd.DataFrame
    settings: dict
    sensitivity: pd.DataFrame | None = None

    @classmethod
    def from_scorecard(
        cls, scorecard: Any, *, sensitivity: pd.DataFrame | None = None
    ) -> ScorecardTables:
        """Copy the tables and settings of a scorecard."""
        return cls(**scorecard.tables(), settings=dict(scorecard.settings), sensitivity=sensitivity)


def cache_key(dataset: Any, **settings: Any) -> str:
    """A key that changes with any input file, any setting or the package version.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> ds = NS(paths={}, data_dir=".")
    >>> cache_key(ds, seed=1) == cache_key(ds, seed=1) != cache_key(ds, seed=2)
    True
    """
    from lublin_diagnosis._version import __version__
    from lublin_diagnosis.pipeline.runcache import code_fingerprint

    files = {name: sha256_file(path) for name, path in sorted(dataset.paths.items())}
    meta = Path(dataset.data_dir) / "dataset.yml"
    if meta.is_file():
        files["dataset.yml"] = sha256_file(meta)
    plain = {k: (asdict(v) if is_dataclass(v) else v) for k, v in sorted(settings.items())}
    text = json.dumps(
        {"version": __version__, "code": code_fingerprint(), "files": files, "settings": plain},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@contextmanager
def _locked(path: Path):
    try:
        import fcntl
    except ImportError:  # pragma: no cover - no advisory locks on this system
        yield
        return
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _load(path: Path) -> Any:
    with open(path, "rb") as fh:
        value = pickle.load(fh)
    os.utime(path)  # read by this run: kept by the run cache's pruning
    return value


def _store(path: Path, value: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)


def scorecard_tables(
    dataset: Any,
    *,
    framework: str | None = None,
    replicates: int = 200,
    seed: int = 2023,
    rules: Any = None,
    sensitivity_draws: int = 0,
    cache_dir: str | Path | None = None,
    options: Mapping[str, Any] | None = None,
    lonely_psu: str = "",
) -> ScorecardTables:
    """The scorecard's tables (and its sensitivity analysis), computed once per cache.

    Parameters
    ----------
    dataset : Dataset
    framework : str, optional
        Framework name or path (default: the dataset's).
    replicates, seed : int
        Bootstrap replicates and seed (see ``build_scorecard``); ``seed`` also seeds
        the sensitivity analysis.
    rules : DisclosureRules, optional
    sensitivity_draws : int
        With a positive number, ``sensitivity`` holds the per-area table of
        :meth:`Scorecard.sensitivity` with that many draws (cached separately, so that
        notebooks that do not ask for it share the same scorecard).
    cache_dir : path, optional
        Folder of the cache; None or ``""`` builds without caching.
    options : mapping, optional
        Further keyword arguments of ``build_scorecard`` (part of the key).
    lonely_psu : str, optional
        The lonely-PSU policy of the survey design (the ``lonely_psu`` notebook
        parameter; part of the key). Empty: the design of
        ``SurveyDesign.from_dataset(dataset)``.

    Returns
    -------
    ScorecardTables
    """
    from lublin_diagnosis.disclosure import DisclosureRules
    from lublin_diagnosis.indicators.scorecard import build_scorecard

    rules = rules if rules is not None else DisclosureRules()
    kwargs = dict(options or {})
    keyed = {**kwargs, "lonely_psu": lonely_psu} if lonely_psu else kwargs

    def build():
        extra = dict(kwargs)
        if lonely_psu:
            from lublin_diagnosis.survey import SurveyDesign

            extra["design"] = SurveyDesign.from_dataset(dataset, lonely_psu=lonely_psu)
        return build_scorecard(
            dataset, framework, replicates=replicates, seed=seed, rules=rules, **extra
        )

    if not cache_dir:
        card = build()
        sens = card.sensitivity(n_draws=sensitivity_draws, seed=seed) if sensitivity_draws else None
        return ScorecardTables.from_scorecard(card, sensitivity=sens)
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    key = cache_key(
        dataset, framework=framework, replicates=replicates, seed=seed, rules=rules, **keyed
    )
    tables_path = folder / f"scorecard-{key}.pkl"
    sens_path = folder / f"sensitivity-{key}-{sensitivity_draws}.pkl"
    with _locked(folder / f"scorecard-{key}.lock"):
        tables = _load(tables_path) if tables_path.is_file() else None
        sens = _load(sens_path) if sensitivity_draws and sens_path.is_file() else None
        if tables is None or (sensitivity_draws and sens is None):
            card = build()
            if tables is None:
                tables = ScorecardTables.from_scorecard(card)
                _store(tables_path, tables)
            if sensitivity_draws and sens is None:
                sens = card.sensitivity(n_draws=sensitivity_draws, seed=seed)
                _store(sens_path, sens)
    return replace(tables, sensitivity=sens)
