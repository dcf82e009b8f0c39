"""Check that a run can be reproduced: re-run it from its manifest and compare every table.

:func:`verify_run` (the ``lublin-diagnosis verify OUTDIR`` command) reads
``OUTDIR/manifest.json``, re-hashes every input the run recorded (data files, framework,
notebooks) and reports those that changed or disappeared, re-runs the diagnosis with the
same data folder, parameters and languages into a temporary folder (from scratch, no
run cache; the notebooks and their tables only: no pages, PDFs or workbooks, so it takes
no longer than the run; ``only`` re-runs one page or folder, ``["areas/health"]``), and
compares every published table of the run at full precision (``<lang>/precise/<name>.csv``;
the CSVs of ``tables/`` are rounded for people) with its re-computed twin: numbers within a relative tolerance
(default 1e-9, NaN equal to NaN), everything else exactly. Every difference is reported,
with the table, row and column. The run agrees only when no input changed, no table is
missing on either side and no value differs.

>>> report = verify_run("outputs/demo")                     # doctest: +SKIP
>>> report.ok, print(report.format())                       # doctest: +SKIP

A folder that is not a run says so:

>>> import tempfile
>>> verify_run(tempfile.mkdtemp())  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lublin_diagnosis.exceptions.PipelineError: .../manifest.json does not exist: ... is not the output folder of a 'lublin-diagnosis run'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline.manifest import read_manifest, resolve_published, sha256_file

__all__ = ["Difference", "VerifyReport", "compare_tables", "verify_run"]

_MAX_SHOWN = 50


@dataclass(frozen=True)
class Difference:
    """One disagreement between a run and its re-run.

    Attributes
    ----------
    table : str
        ``"<lang>/tables/<name>.csv"`` (or the input's name for ``kind="input"``).
    kind : {"value", "shape", "columns", "missing", "extra", "input"}
    row : int or None
        0-based data row.
    column : str or None
    expected, found : object
        The value in the run and in the re-run (hashes for an input).
    """

    table: str
    kind: str
    row: int | None = None
    column: str | None = None
    expected: object = None
    found: object = None

    def format(self) -> str:
        """One line naming the table, row, column and both values."""
        where = self.table
        if self.row is not None:
            where += f", row {self.row + 1}"
        if self.column is not None:
            where += f", column {self.column!r}"
        what = {
            "value": f"run has {self.expected!r}, re-run has {self.found!r}",
            "shape": f"run has shape {self.expected}, re-run has {self.found}",
            "columns": f"run has columns {self.expected}, re-run has {self.found}",
            "missing": "in the run but not produced by the re-run",
            "extra": "produced by the re-run but not in the run",
            "input": (
                f"input changed since the run (sha256 {str(self.expected)[:12]}... -> "
                f"{str(self.found)[:12] + '...' if self.found else 'file missing'})"
            ),
        }[self.kind]
        return f"{where}: {what}"


@dataclass(frozen=True)
class VerifyReport:
    """The result of :func:`verify_run`.

    Attributes
    ----------
    out_dir : pathlib.Path
    run_id : str
    tables : int
        Tables compared.
    differences : tuple of Difference
        Table differences (values, shapes, missing tables).
    changed_inputs : tuple of Difference
        Inputs whose sha256 differs from the manifest's.
    error : str or None
        Why the re-run failed, if it did.
    """

    out_dir: Path
    run_id: str
    tables: int
    differences: tuple[Difference, ...] = ()
    changed_inputs: tuple[Difference, ...] = ()
    error: str | None = None
    seconds: float = field(default=0.0)

    @property
    def ok(self) -> bool:
        """True when the re-run agrees with the run and no input changed."""
        return not (self.differences or self.changed_inputs or self.error)

    def format(self) -> str:
        """The verdict, then every changed input and every difference (up to 50 shown)."""
        head = f"{self.out_dir} (run {self.run_id})"
        if self.ok:
            return (
                f"{head}: reproduced -- {self.tables} tables agree (relative tolerance) "
                f"and no input changed ({self.seconds:.0f} s)"
            )
        lines = [f"{head}: NOT reproduced"]
        if self.changed_inputs:
            lines.append(f"  {len(self.changed_inputs)} input(s) changed since the run:")
            lines += [f"    - {d.format()}" for d in self.changed_inputs]
        if self.error:
            lines.append(f"  the re-run failed: {self.error}")
        if self.differences:
            tables = len({d.table for d in self.differences})
            lines.append(
                f"  {len(self.differences)} difference(s) in {tables} of {self.tables} table(s):"
            )
            lines += [f"    - {d.format()}" for d in self.differences[:_MAX_SHOWN]]
            if len(self.differences) > _MAX_SHOWN:
                lines.append(f"    ... and {len(self.differences) - _MAX_SHOWN} more")
        return "\n".join(lines)


def _numeric(series: pd.Series) -> pd.Series | None:
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    return None


def compare_tables(
    expected: pd.DataFrame, found: pd.DataFrame, *, name: str, rtol: float = 1e-9
) -> list[Difference]:
    """Every difference between two versions of a table.

    Numbers are equal within ``rtol`` (relative to the larger magnitude; two zeros and two
    NaN are equal); other values must match exactly.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"area": ["x", "y"], "score": [40.0, 55.0]})
    >>> compare_tables(a, a.assign(score=[40.0, 55.0 * (1 + 1e-12)]), name="t")
    []
    >>> [d.format() for d in compare_tables(a, a.assign(score=[40.0, 56.0]), name="t")]
    ["t, row 2, column 'score': run has 55.0, re-run has 56.0"]
    """
    if list(expected.columns) != list(found.columns):
        return [
            Difference(name, "columns", expected=list(expected.columns), found=list(found.columns))
        ]
    if expected.shape != found.shape:
        return [Difference(name, "shape", expected=expected.shape, found=found.shape)]
    out: list[Difference] = []
    for col in expected.columns:
        a, b = expected[col].reset_index(drop=True), found[col].reset_index(drop=True)
        na, nb = _numeric(a), _numeric(b)
        if na is not None and nb is not None:
            x, y = na.to_numpy(), nb.to_numpy()
            both_nan = np.isnan(x) & np.isnan(y)
            with np.errstate(invalid="ignore"):
                close = np.abs(x - y) <= rtol * np.maximum(np.abs(x), np.abs(y))
            bad = ~(both_nan | close | (x == y))
        else:
            sa, sb = a.astype(object), b.astype(object)
            bad = ~((sa == sb) | (sa.isna() & sb.isna())).to_numpy()
        for row in np.flatnonzero(bad):
            out.append(
                Difference(
                    name, "value", int(row), str(col), _plain(a.iloc[row]), _plain(b.iloc[row])
                )
            )
    return out


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=True)


def _plan_of(manifest: dict) -> tuple:
    """The plan steps the run executed (by notebook name, from the package's PLAN)."""
    from lublin_diagnosis.pipeline.plan import PLAN

    names = [step["notebook"] for step in manifest.get("plan") or []]
    if not names:
        return PLAN
    known = {step.notebook: step for step in PLAN}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise PipelineError(
            f"the run executed notebook(s) {', '.join(unknown)} that are not "
            f"in the package's plan; it cannot be re-run from its manifest"
        )
    return tuple(known[n] for n in names)


_SHAPE: dict[str, type | tuple[type, ...]] = {
    "run_id": str,
    "data_dir": str,
    "parameters": dict,
    "inputs": dict,
    "tables": list,
    "plan": list,
    "jobs": int,
    "lang": str,
}


def _check_manifest(manifest: object, out: Path) -> dict:
    """The manifest, if it has the shape a run writes; else a PipelineError naming the
    key at fault (a hand-edited or foreign manifest never reaches the re-run)."""
    where = out / "manifest.json"

    def bad(what: str) -> PipelineError:
        return PipelineError(
            f"{where}: {what}; it is not a manifest this package wrote, so the run "
            f"cannot be verified"
        )

    if not isinstance(manifest, dict):
        raise bad(f"expected a JSON object, found {type(manifest).__name__}")
    for key, kind in _SHAPE.items():
        if not isinstance(manifest.get(key), kind) or isinstance(manifest.get(key), bool):
            raise bad(f"{key!r} is missing or not a {getattr(kind, '__name__', kind)}")
    for name, entry in manifest["inputs"].items():
        if not isinstance(entry, dict) or not {"path", "sha256"} <= set(entry):
            raise bad(f"input {str(name)[:80]!r} has no path and sha256")
    for entry in manifest["tables"]:
        if not isinstance(entry, dict) or not {"lang", "name", "file"} <= set(entry):
            raise bad("a table entry has no lang, name and file")
        for key in ("file", "precise"):
            file = Path(str(entry.get(key) or entry["file"]))
            if file.is_absolute() or ".." in file.parts:
                raise bad(f"table file {str(file)[:80]!r} is not inside the run folder")
    for step in manifest["plan"]:
        if not isinstance(step, dict) or not isinstance(step.get("notebook"), str):
            raise bad("a plan step names no notebook")
    return manifest


def _bases(manifest: dict, out: Path) -> dict[str, Path]:
    """The folders the manifest's relative paths start from, on this machine: the data
    folder (``data_dir``, relative to the run folder), the notebooks, the package, the
    run folder. (Manifests of older versions hold absolute paths: taken as they are.)"""
    from lublin_diagnosis.pipeline.run import NOTEBOOKS_DIR

    data = out / str(manifest.get("data_dir", ""))  # an absolute data_dir stays absolute
    books = manifest.get("notebooks_dir")
    if isinstance(books, dict):
        notebooks = resolve_published(books, {"out": out})
    else:
        notebooks = Path(books) if books else NOTEBOOKS_DIR
    return {
        "data": Path(os.path.normpath(data)),
        "notebooks": notebooks,
        "package": Path(__file__).resolve().parents[1],
        "out": out,
    }


def verify_run(
    out_dir: str | Path,
    rtol: float = 1e-9,
    *,
    jobs: int | None = None,
    progress: bool = False,
    only: Sequence[str] | None = None,
) -> VerifyReport:
    """Re-run the diagnosis of ``out_dir`` from its manifest and compare every table.

    Parameters
    ----------
    out_dir : path
        The output folder of a ``lublin-diagnosis run``.
    rtol : float
        Relative tolerance of numeric comparisons.
    jobs : int, optional
        Parallel notebooks of the re-run (default: the cores available).
    progress : bool
        Show the re-run's progress bar.
    only : sequence of str, optional
        Re-run and compare only these pages (``["areas/health"]``; see
        :func:`~lublin_diagnosis.pipeline.run.select_jobs`): the tables of the other
        pages are not compared. Every input is checked either way.

    Returns
    -------
    VerifyReport

    Raises
    ------
    PipelineError
        When ``out_dir`` has no manifest, or one this package did not write, or when
        ``only`` names no page of the run (before any re-run).
    """
    import time

    from lublin_diagnosis.pipeline.run import run_pipeline

    started = time.perf_counter()
    out = Path(out_dir).resolve()
    manifest = _check_manifest(read_manifest(out), out)
    run_id = str(manifest.get("run_id", "?"))
    bases = _bases(manifest, out)
    changed = []
    for name, entry in sorted((manifest.get("inputs") or {}).items()):
        path = resolve_published(entry, bases) if "base" in entry else Path(entry["path"])
        now = sha256_file(path) if path.is_file() else None
        if now != entry["sha256"]:
            changed.append(Difference(name, "input", expected=entry["sha256"], found=now))
    tables: Sequence[dict] = manifest.get("tables") or []
    plan = _plan_of(manifest)
    params = dict(manifest.get("parameters") or {})
    if isinstance(params.get("framework"), dict):
        params["framework"] = str(resolve_published(params["framework"], bases))
    if only:  # an --only that names no page of the run is refused before any re-run
        from lublin_diagnosis.pipeline.plan import Job
        from lublin_diagnosis.pipeline.run import select_jobs

        steps = {step.notebook: step for step in plan}
        select_jobs(
            [
                Job(steps[n["notebook"]], str(n.get("lang", "")), str(n.get("value") or ""))
                for n in manifest.get("notebooks") or []
                if isinstance(n, dict) and n.get("notebook") in steps
            ],
            only,
        )
    work = Path(tempfile.mkdtemp(prefix=f".verify-{run_id}-", dir=out.parent))
    differences: list[Difference] = []
    error = None
    try:
        rerun = work / "rerun"
        try:
            run_pipeline(
                data_dir=bases["data"],
                out_dir=rerun,
                params=params,
                lang=manifest.get("lang", "both"),
                jobs=jobs,
                progress=progress,
                notebooks_dir=bases["notebooks"],
                plan=plan,
                only=only,
                cache=False,
                report=False,  # the tables only: no pages, PDFs or workbooks
            )
        except PipelineError as exc:
            error = str(exc)
        if error is None:
            again = read_manifest(rerun)
            new = {(e["lang"], e["name"]): e for e in again.get("tables", [])}
            old = {(e["lang"], e["name"]): e for e in tables}
            if only:  # the tables of the pages re-run
                ran = {(n["lang"], n["notebook"], n["value"]) for n in again.get("notebooks", [])}
                old = {
                    k: e
                    for k, e in old.items()
                    if (e["lang"], e.get("notebook"), e.get("part") or "") in ran
                }
                tables = list(old.values())
            for key, entry in old.items():
                name = entry["file"]
                if key not in new:
                    differences.append(Difference(name, "missing"))
                    continue
                # the full-precision copy (the CSV in tables/ is rounded for people)
                original = out / str(entry.get("precise") or entry["file"])
                if not original.is_file():
                    differences.append(
                        Difference(
                            name, "missing", expected="file", found="deleted from the run folder"
                        )
                    )
                    continue
                again = rerun / str(new[key].get("precise") or new[key]["file"])
                differences += compare_tables(_read(original), _read(again), name=name, rtol=rtol)
            differences += [Difference(new[k]["file"], "extra") for k in new if k not in old]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return VerifyReport(
        out,
        run_id,
        len(tables),
        tuple(differences),
        tuple(changed),
        error,
        time.perf_counter() - started,
    )
