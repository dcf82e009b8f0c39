"""Run the whole diagnosis: validate the data, execute every notebook, render, record.

:func:`run_pipeline` (the ``lublin-diagnosis run`` command)

1. validates the data folder and stops on the first contract violation;
2. checks every notebook parameter (unknown names and bad values fail before any kernel
   starts);
3. expands :data:`~lublin_diagnosis.pipeline.plan.PLAN` into jobs, one per notebook, fan-out value
   (the 14 areas) and language, and executes them with papermill on the ``python3``
   kernel in a bounded pool of ``jobs`` workers, each reusing its kernel from one
   notebook to the next after a reset (:mod:`lublin_diagnosis.pipeline.kernels`) and retrying
   once a notebook whose kernel died; a tqdm progress bar shows what runs;
4. renders every executed notebook into an HTML page without code cells, collects the
   published tables into one XLSX workbook per language, and writes ``manifest.json``;
5. writes all of it into a temporary folder beside the output folder and swaps it into
   place only when everything succeeded (an atomic exchange where the system offers one).

A failed run leaves the previous output folder untouched, moves the partial run to
``<parent>/.failed-<run id>/`` and raises
:class:`~lublin_diagnosis.exceptions.NotebookExecutionError` naming the notebook, the
cell and the partial executed notebook.

Languages
---------
``lang="both"`` executes every notebook once per language: each executed notebook, page,
table and figure is then exactly what its language shows, and each language folder is a
complete report (``pl/``, ``en/``). The numbers agree, because every random draw is
seeded. The top-level ``report.html`` is a bilingual landing page that links the report
of each language run.

Layout of a run folder::

    report.html              landing page (both languages)
    manifest.json
    pl/report.html           front page: navigation + executive summary (90_diagnosis)
    pl/data-checks.html, pl/weighting.html, pl/areas/<area>.html
    pl/notebooks/*.ipynb     executed notebooks
    pl/tables/*.csv, pl/tables.xlsx, pl/figures/*.png|svg
    en/...                   the same in English

>>> result = run_pipeline(data_dir="data/demo", out_dir="outputs/demo",
...                       lang="both", jobs=2)                          # doctest: +SKIP
>>> print(result.format())                                              # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import os
import queue
import secrets
import shutil
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import (
    DataError,
    LublinDiagnosisError,
    NotebookExecutionError,
    PipelineError,
)
from lublin_diagnosis.pipeline.kernels import KERNEL, KernelSlot, execute_notebook, is_dead_kernel
from lublin_diagnosis.pipeline.manifest import (
    MANIFEST,
    git_state,
    hash_tree,
    input_files,
    sha256_file,
    write_manifest,
)
from lublin_diagnosis.pipeline.parameters import DEFAULTS, check_params
from lublin_diagnosis.pipeline.plan import (
    PIPELINE_PARAMS,
    PLAN,
    Job,
    Step,
    expand_plan,
    framework_of,
)
from lublin_diagnosis.report.i18n import LANGUAGES, t
from lublin_diagnosis.report.publish import RECORDS_DIR, read_records

__all__ = ["KERNEL", "NOTEBOOKS_DIR", "NotebookRun", "RunResult", "run_pipeline"]

#: The diagnosis notebooks, shipped inside the package (``lublin_diagnosis/notebooks``; the
#: repository's ``notebooks/`` is a link to them).
NOTEBOOKS_DIR = Path(str(resources.files("lublin_diagnosis").joinpath("notebooks")))
_CACHE_DIR = (
    ".cache"  # scorecard shared by the notebooks of a run (lublin_diagnosis.pipeline.cache)
)
_LOGS_DIR = ".logs"  # kernel process output; kept only in a failed run's folder


@dataclass(frozen=True)
class NotebookRun:
    """One executed notebook: its job name, output path, seconds and attempts."""

    name: str
    notebook: str
    lang: str
    value: str
    output: str
    seconds: float
    attempts: int

    def as_dict(self) -> dict[str, Any]:
        """The run as plain values, for the manifest."""
        return {
            "name": self.name,
            "notebook": self.notebook,
            "lang": self.lang,
            "value": self.value,
            "output": self.output,
            "seconds": round(self.seconds, 3),
            "attempts": self.attempts,
        }


@dataclass(frozen=True)
class RunResult:
    """What :func:`run_pipeline` produced.

    Attributes
    ----------
    out_dir : pathlib.Path
    run_id : str
    langs : tuple of str
    notebooks : tuple of NotebookRun
    tables, figures : int
        Files published (all languages).
    seconds : float
        Wall time of the whole run.
    synthetic : bool
    """

    out_dir: Path
    run_id: str
    langs: tuple[str, ...]
    notebooks: tuple[NotebookRun, ...]
    tables: int
    figures: int
    seconds: float
    synthetic: bool = False
    retried: tuple[str, ...] = field(default=())

    def format(self) -> str:
        """A short summary: where the report is, what was run, how long it took."""
        lines = [
            f"run {self.run_id}: {len(self.notebooks)} notebooks executed "
            f"({', '.join(self.langs)}) in {self.seconds:.1f} s"
        ]
        if self.synthetic:
            lines.append("  SYNTHETIC data: the report says so on every page")
        lines.append(
            f"  {self.tables} tables (CSV + tables.xlsx per language), "
            f"{self.figures} figures (PNG + SVG)"
        )
        if self.retried:
            lines.append(f"  retried after a dead kernel: {', '.join(self.retried)}")
        lines.append(f"  report: {self.out_dir / 'report.html'}")
        lines.append(f"  manifest: {self.out_dir / MANIFEST}")
        return "\n".join(lines)


# --------------------------------------------------------------------------- execution
def _cell_of(exc: BaseException) -> tuple[int | None, str]:
    """Cell number (1-based, counting every cell) and a one-line reason."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return exc.cell_index + 1, f"{exc.ename}: {exc.evalue}"
    return None, f"{type(exc).__name__}: {exc}"


class _Progress:
    """A tqdm bar over the jobs, showing the notebooks running."""

    def __init__(self, total: int, enabled: bool) -> None:
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=total,
            unit="nb",
            desc="notebooks",
            disable=not enabled,
            file=sys.stderr,
            dynamic_ncols=True,
        )
        self._running: list[str] = []
        self._lock = threading.Lock()

    def start(self, name: str) -> None:
        with self._lock:
            self._running.append(name)
            self._bar.set_postfix_str(", ".join(self._running), refresh=True)

    def done(self, name: str) -> None:
        with self._lock:
            self._running.remove(name)
            self._bar.update(1)
            self._bar.set_postfix_str(", ".join(self._running), refresh=True)

    def stage(self, text: str) -> None:
        with self._lock:
            self._bar.set_description_str(text)

    def close(self) -> None:
        self._bar.close()


def _run_jobs(
    jobs: Sequence[Job],
    *,
    root: Path,
    notebooks_dir: Path,
    workers: int,
    progress: _Progress,
    after: Any = None,
) -> list[NotebookRun]:
    """Execute the jobs with ``workers`` threads, each owning one reusable kernel
    (:class:`~lublin_diagnosis.pipeline.kernels.KernelSlot`) and taking the next job from a shared
    queue; ``after(job)`` runs in the same worker once the job's notebook succeeded
    (rendering, which so overlaps with the other kernels). At the first failure the
    workers take no new job; the failure is raised once the running ones finished."""
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    runs: dict[str, NotebookRun] = {}
    failures: list[tuple[Job, BaseException]] = []
    stop = threading.Event()

    def run_one(job: Job, slot: KernelSlot) -> NotebookRun:
        source = notebooks_dir / f"{job.step.notebook}.ipynb"
        target = job.notebook_path(root)
        start = time.perf_counter()
        attempts = execute_notebook(source, target, job.params, slot=slot)
        seconds = time.perf_counter() - start
        if after is not None:
            try:
                after(job)
            except Exception as exc:
                raise _RenderError(
                    f"rendering {job.page} ({job.name}) failed: {type(exc).__name__}: {exc}"
                ) from exc
        return NotebookRun(
            job.name,
            job.step.notebook,
            job.lang,
            job.value,
            target.relative_to(root).as_posix(),
            seconds,
            attempts,
        )

    def worker(index: int) -> None:
        slot = KernelSlot(cwd=notebooks_dir, log=root / _LOGS_DIR / f"kernel-{index}.log")
        try:
            while not stop.is_set():
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                progress.start(job.name)
                try:
                    runs[job.name] = run_one(job, slot)
                except BaseException as exc:
                    failures.append((job, exc))
                    stop.set()
                finally:
                    progress.done(job.name)
        finally:
            slot.shutdown()

    threads = [
        threading.Thread(target=worker, args=(k,), name=f"ld-notebook-{k}", daemon=True)
        for k in range(min(workers, len(jobs)))
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join()
    except KeyboardInterrupt:  # let the running notebooks end and their kernels stop
        stop.set()
        for thread in threads:
            thread.join()
        raise
    if failures:
        raise _NotebookFailure(*failures[0])
    return [runs[j.name] for j in jobs]


class _RenderError(PipelineError):
    """An executed notebook could not be rendered into its page."""


class _NotebookFailure(Exception):
    def __init__(self, job: Job, exc: BaseException | None) -> None:
        super().__init__(str(exc))
        self.job, self.exc = job, exc


# --------------------------------------------------------------------------- folders
def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    return rc == 0


def _swap_into_place(tmp: Path, out: Path, run_id: str) -> None:
    """Put ``tmp`` at ``out``; the previous ``out`` stays until the new one is in place."""
    if not out.exists():
        os.rename(tmp, out)
        return
    if _exchange(tmp, out):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the previous run
        return
    old = out.with_name(f".{out.name}.old-{run_id}")
    os.rename(out, old)
    os.rename(tmp, out)
    shutil.rmtree(old, ignore_errors=True)


def _check_out_dir(out: Path) -> None:
    if out.exists() and (
        not out.is_dir() or (any(out.iterdir()) and not (out / MANIFEST).exists())
    ):
        raise PipelineError(
            f"output folder {out} exists and is not the output of an "
            f"earlier run (no {MANIFEST}); give an empty or new folder so "
            f"that nothing else is replaced"
        )


# --------------------------------------------------------------------------- rendering
def _nav_items(jobs: Sequence[Job], dataset: Any, lang: str):
    from lublin_diagnosis.report.html import NavItem

    items = []
    front = [j for j in jobs if j.lang == lang and j.page == "report.html"]
    for job in front + [j for j in jobs if j.lang == lang and j.page != "report.html"]:
        if job.step.fan_out and job.step.label is not None:
            title = job.step.label(dataset, job.value, lang)
            items.append(NavItem(job.page, title, group=t(job.step.title_key, lang)))
        else:
            items.append(NavItem(job.page, t(job.step.title_key, lang)))
    return items


class _Renderer:
    """Renders the page of each executed notebook, and the landing page at the end."""

    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        root: Path,
        dataset: Any,
        langs: Sequence[str],
        run: Mapping[str, Any],
    ) -> None:
        self.jobs, self.root, self.langs, self.run = list(jobs), root, list(langs), run
        self.synthetic = bool(dataset.synthetic)
        self.nav = {lang: _nav_items(jobs, dataset, lang) for lang in langs}

    def page(self, job: Job) -> Path:
        """Render one executed notebook into its HTML page."""
        from lublin_diagnosis.report.html import nav_html, render_page

        items = self.nav[job.lang]
        header = nav_html(
            items,
            here=job.page,
            lang=job.lang,
            other_langs=[x for x in self.langs if x != job.lang],
            synthetic=self.synthetic,
        )
        title = next(i.title for i in items if i.page == job.page)
        return render_page(
            job.notebook_path(self.root),
            self.root / job.lang / job.page,
            lang=job.lang,
            title=title,
            header=header,
            run=self.run,
        )

    def pdfs(self) -> None:
        """The report PDF and the institution letters of each language (report.pdf)."""
        from lublin_diagnosis.report.pdf import write_pdfs

        for lang in self.langs:
            write_pdfs(self.root / lang, self.nav[lang], lang=lang, synthetic=self.synthetic)

    def landing(self) -> Path:
        """The top-level ``report.html`` linking the report of each language."""
        from lublin_diagnosis.report.html import landing_page

        fronts = {j.lang: f"{j.lang}/{j.page}" for j in self.jobs if j.page == "report.html"}
        for lang in self.langs:  # a reduced plan without the summary: its first page
            fronts.setdefault(lang, f"{lang}/{next(j.page for j in self.jobs if j.lang == lang)}")
        return landing_page(
            self.root / "report.html",
            langs=self.langs,
            pages=fronts,
            synthetic=self.synthetic,
            run=self.run,
            title={lang: t("report.title", lang) for lang in self.langs},
        )


def _workbooks(
    root: Path, records: Sequence[Any], langs: Sequence[str], synthetic: bool = False
) -> dict:
    import pandas as pd

    from lublin_diagnosis.report.html import write_workbook

    sheets: dict[tuple[str, str], str] = {}
    for lang in langs:
        tables = [
            (r.name, r.title, pd.read_csv(root / r.files[0]))
            for r in records
            if r.kind == "table" and r.lang == lang
        ]
        if tables:
            names = write_workbook(root / lang / "tables.xlsx", tables, lang=lang)
            sheets.update({(lang, n): s for n, s in names.items()})
            _datapackage(root, records, lang, synthetic)
    return sheets


def _datapackage(root: Path, records: Sequence[Any], lang: str, synthetic: bool) -> None:
    """``<lang>/datapackage.json`` describing the language's CSV tables (report's writer)."""
    from lublin_diagnosis.report.datapackage import write_datapackage

    resources = [
        {"name": r.name, "path": r.files[0].split("/", 1)[1], "title": r.title, "fields": r.fields}
        for r in records
        if r.kind == "table" and r.lang == lang
    ]
    write_datapackage(
        root / lang / "datapackage.json",
        resources,
        lang=lang,
        title=t("report.title", lang),
        synthetic=synthetic,
    )


# --------------------------------------------------------------------------- public
def _langs(lang: str) -> tuple[str, ...]:
    if lang == "both":
        return LANGUAGES
    if lang in LANGUAGES:
        return (lang,)
    raise PipelineError(f"lang must be one of {', '.join(LANGUAGES)} or 'both', not {lang!r}")


def _declared(notebooks_dir: Path, plan: Sequence[Step]) -> dict[str, set[str]]:
    """The parameters declared by each notebook of the plan (its ``parameters`` cell)."""
    import papermill as pm

    missing = [s.notebook for s in plan if not (notebooks_dir / f"{s.notebook}.ipynb").is_file()]
    if missing:
        raise PipelineError(f"notebook(s) {', '.join(missing)} not found in {notebooks_dir}")
    return {
        s.notebook: set(pm.inspect_notebook(str(notebooks_dir / f"{s.notebook}.ipynb")))
        for s in plan
    }


def run_pipeline(
    *,
    data_dir: str | Path = "data/demo",
    out_dir: str | Path = "outputs/demo",
    params: Mapping[str, Any] | None = None,
    lang: str = "both",
    jobs: int = 2,
    progress: bool = True,
    plan: Sequence[Step] = PLAN,
    notebooks_dir: str | Path | None = None,
) -> RunResult:
    """Run the whole diagnosis into ``out_dir``; see the module docstring.

    Parameters
    ----------
    data_dir : path
        The data folder (validated first).
    out_dir : path
        The output folder; replaced only when the run succeeded.
    params : mapping, optional
        Notebook parameters (``replicates``, ``seed``, ``min_cell``, ...) and the
        pipeline's own: ``areas`` (a list) restricts the area notebooks.
    lang : {"pl", "en", "both"}
    jobs : int
        Notebooks executed at the same time (each in its own kernel).
    progress : bool
        Show a progress bar on stderr.
    plan : sequence of Step
        The notebooks to run (default :data:`~lublin_diagnosis.pipeline.plan.PLAN`).
    notebooks_dir : path, optional
        Folder of the notebooks (default: ``notebooks/`` of the repository).

    Returns
    -------
    RunResult

    Raises
    ------
    PipelineError
        Invalid data, a bad parameter, or an output folder that is not a run's.
    NotebookExecutionError
        A notebook failed (``.notebook``, ``.cell``, ``.partial``).
    """
    from lublin_diagnosis.data.validation import load_dataset

    started = time.perf_counter()
    created = datetime.now(UTC)
    run_id = created.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    langs = _langs(lang)
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise PipelineError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    out = Path(out_dir).expanduser().resolve()
    _check_out_dir(out)
    notebooks_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    data_path = Path(data_dir).expanduser().resolve()

    try:
        dataset = load_dataset(data_path)
    except DataError as exc:
        raise PipelineError(
            f"the data in {data_path} break their contracts; nothing was run.\n{exc}"
        ) from None

    params = dict(params or {})
    declared = _declared(notebooks_dir, plan)
    known = set().union(*(declared[s.notebook] for s in plan)) | set(PIPELINE_PARAMS)
    fixed = ("data_dir", "out_dir", "lang", "cache_dir")
    unknown = sorted(set(params) - known - set(fixed))
    if unknown:
        raise PipelineError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))}; the "
            f"notebooks take {', '.join(sorted(known - set(fixed)))}"
        )
    for name in fixed:
        if name in params:
            raise PipelineError(
                f"parameter {name!r} is set by the pipeline (--data, --out, --lang), not by -p"
            )
    tmp = out.with_name(f".{out.name}.tmp-{run_id}")
    common = {
        **params,
        "data_dir": str(data_path),
        "out_dir": str(tmp),
        "cache_dir": str(tmp / _CACHE_DIR),
    }
    try:
        job_list = expand_plan(plan, dataset, common, langs)
    except ValueError as exc:
        raise PipelineError(str(exc)) from None
    checked = []
    for job in job_list:
        wanted = {k: v for k, v in job.params.items() if k in declared[job.step.notebook]}
        try:
            check_params(notebook=job.step.notebook, **wanted)
        except (ValueError, FileNotFoundError, LublinDiagnosisError) as exc:
            raise PipelineError(f"notebook {job.step.notebook}: {exc}") from None
        checked.append(replace(job, params=wanted))
    job_list = checked

    from lublin_diagnosis._version import __version__

    git = git_state()
    run_info = {"run_id": run_id, "git": git, "version": __version__}
    renderer = _Renderer(job_list, root=tmp, dataset=dataset, langs=langs, run=run_info)
    tmp.mkdir(parents=True)
    bar = _Progress(len(job_list), progress)
    try:
        runs = _run_jobs(
            job_list,
            root=tmp,
            notebooks_dir=notebooks_dir,
            workers=jobs,
            progress=bar,
            after=renderer.page,
        )
        bar.stage("report")
        finish_start = time.perf_counter()
        records = read_records(tmp)
        shutil.rmtree(tmp / RECORDS_DIR, ignore_errors=True)
        shutil.rmtree(tmp / _CACHE_DIR, ignore_errors=True)
        shutil.rmtree(tmp / _LOGS_DIR, ignore_errors=True)
        renderer.landing()
        renderer.pdfs()
        sheets = _workbooks(tmp, records, langs, bool(dataset.synthetic))
        finish_seconds = time.perf_counter() - finish_start
        framework_path = _framework_path(dataset, params)
        inputs = input_files(
            dataset,
            framework_path=framework_path,
            notebooks=[notebooks_dir / f"{s.notebook}.ipynb" for s in plan],
        )
        seconds = time.perf_counter() - started
        write_manifest(
            tmp,
            {
                "run_id": run_id,
                "created": created.isoformat(timespec="seconds"),
                "command": "lublin-diagnosis run",
                "data_dir": str(data_path),
                "out_dir": str(out),
                "notebooks_dir": str(notebooks_dir),
                "lang": lang,
                "languages": list(langs),
                "jobs": jobs,
                "synthetic": bool(dataset.synthetic),
                "dataset_title": dataset.title,
                "parameters": params,
                "defaults": dict(DEFAULTS),
                "notebook_parameters": {
                    j.name: {
                        k: v
                        for k, v in j.params.items()
                        if k not in ("data_dir", "out_dir", "cache_dir")
                    }
                    for j in job_list
                },
                "plan": [
                    {"notebook": s.notebook, "fan_out": s.fan_out, "page": s.page} for s in plan
                ],
                "git": git,
                "version": __version__,
                "inputs": {
                    name: {"path": str(path), "sha256": sha256_file(path)}
                    for name, path in inputs.items()
                },
                "notebooks": [r.as_dict() for r in runs],
                "tables": [
                    {
                        "name": r.name,
                        "lang": r.lang,
                        "title": r.title,
                        "file": r.files[0],
                        "sheet": sheets.get((r.lang, r.name)),
                        "rows": r.rows,
                        "columns": r.columns,
                        "notebook": r.notebook,
                        "part": r.part,
                    }
                    for r in records
                    if r.kind == "table"
                ],
                "figures": [
                    {
                        "name": r.name,
                        "lang": r.lang,
                        "title": r.title,
                        "files": list(r.files),
                        "notebook": r.notebook,
                        "part": r.part,
                    }
                    for r in records
                    if r.kind == "figure"
                ],
                "timing": {
                    "total_seconds": round(seconds, 3),
                    "workbook_seconds": round(finish_seconds, 3),
                    "notebook_seconds": {r.name: round(r.seconds, 3) for r in runs},
                },
                "outputs": hash_tree(tmp),
            },
        )
    except _NotebookFailure as failure:
        bar.close()
        if isinstance(failure.exc, _RenderError):
            failed = out.with_name(f".failed-{run_id}")
            if tmp.exists():
                os.rename(tmp, failed)
            raise PipelineError(
                f"{failure.exc}\n  partial run kept in {failed}; {out} was left as it was"
            ) from failure.exc
        raise _failed(failure, tmp, out, run_id) from None
    except BaseException:
        bar.close()
        failed = out.with_name(f".failed-{run_id}")
        if tmp.exists():
            os.rename(tmp, failed)
        raise
    bar.close()
    _swap_into_place(tmp, out, run_id)
    return RunResult(
        out,
        run_id,
        langs,
        tuple(runs),
        sum(r.kind == "table" for r in records),
        sum(r.kind == "figure" for r in records),
        time.perf_counter() - started,
        bool(dataset.synthetic),
        tuple(r.name for r in runs if r.attempts > 1),
    )


def _framework_path(dataset: Any, params: Mapping[str, Any]) -> Path | None:
    fw = framework_of(dataset, params)
    return Path(fw.path) if fw.path else None


def _failed(failure: _NotebookFailure, tmp: Path, out: Path, run_id: str) -> NotebookExecutionError:
    job, exc = failure.job, failure.exc
    failed = out.with_name(f".failed-{run_id}")
    partial = None
    if tmp.exists():
        os.rename(tmp, failed)
        candidate = job.notebook_path(failed)
        partial = str(candidate) if candidate.exists() else None
    cell, reason = _cell_of(exc) if exc is not None else (None, "unknown error")
    dead = exc is not None and is_dead_kernel(exc)
    where = (
        f"cell {cell}"
        if cell
        else "a cell whose kernel died twice"
        if dead
        else "before any cell ran"
    )
    logs = failed / _LOGS_DIR
    text = (
        f"notebook {job.step.notebook}.ipynb ({job.name}) failed at {where}: "
        f"{reason}\n  partial executed notebook: {partial or 'none written'}\n"
        + (f"  kernel output: {logs}\n" if dead and logs.is_dir() else "")
        + f"  {out} was left as it was"
    )
    return NotebookExecutionError(text, notebook=job.name, cell=cell, partial=partial)
