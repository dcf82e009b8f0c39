"""Run the whole diagnosis: validate the data, execute every notebook, render, record.

:func:`run_pipeline` (the ``lublin-diagnosis run`` command)

1. validates the data folder and stops on the first contract violation;
2. checks every notebook parameter (unknown names and bad values fail before any kernel
   starts);
3. expands :data:`~lublin_diagnosis.pipeline.plan.PLAN` into jobs, one per notebook, fan-out value
   (the 14 areas) and language, and executes them with papermill on the ``python3``
   kernel in a bounded pool of ``jobs`` workers (default: the cores + 1), each reusing
   its kernel from one notebook to the next after a reset
   (:mod:`lublin_diagnosis.pipeline.kernels`) and retrying once a notebook whose kernel
   died; the notebook that computes the scorecard starts first, those that never read it
   next; a tqdm progress bar shows what runs;
4. renders every executed notebook into an HTML page without code cells as soon as it ran;
   builds each language's report PDF and letters and its XLSX workbook of the published
   tables as soon as the last notebook of that language ran (while the other language's
   notebooks run), the campaign cards once the factsheets ran, side by side on the
   workers; and writes ``manifest.json``;
5. writes all of it into a temporary folder beside the output folder and swaps it into
   place only when everything succeeded (an atomic exchange where the system offers one).

The output folder must be new, empty, or a run of this package (its ``manifest.json``
and nothing but the files it lists, unchanged); anything else is refused before any
work and nothing is deleted. A lock file beside it (``.<name>.lock``) stops a second
run into the same folder; the temporary folders of killed runs are removed.
:mod:`lublin_diagnosis.pipeline.folders` holds these rules.

A failed run leaves the previous output folder untouched, moves the partial run to
``<parent>/.<name>.failed-<run id>/`` (removing the folder of any earlier failure) and
raises :class:`~lublin_diagnosis.exceptions.NotebookExecutionError` naming the notebook,
the cell, the partial executed notebook and that folder. On Ctrl-C or a full disk the
partial run is removed instead.

Published files hold no absolute path: every executed notebook has the machine's paths
replaced (:mod:`lublin_diagnosis.pipeline.paths`) and the manifest records paths relative
to the data and output folders (:mod:`lublin_diagnosis.pipeline.manifest`).

Languages and the run cache
---------------------------
``lang="both"`` executes every notebook once per language: each executed notebook, page,
table and figure is then exactly what its language shows, and each language folder is a
complete report (``pl/``, ``en/``). The numbers agree, because every random draw is
seeded, and they are computed once: the scorecard (bootstrap replicates, sensitivity
draws) is kept in the run cache, ``<out>/.cache``, which the second language and later
runs read (:mod:`lublin_diagnosis.pipeline.runcache`). A later run into the same folder
copies every notebook, page, PDF and workbook whose inputs did not change (data files,
parameters, notebook, package code; for a notebook, the locale texts it read; for the
rest, the language's locale texts) and starts a kernel only for the others;
``cache=False`` (``--no-cache``) recomputes everything. The top-level ``report.html`` is
a bilingual landing page that links the report of each language run. ``jobs`` defaults to the cores available plus one (:func:`default_jobs`).

Layout of a run folder::

    report.html              landing page (both languages)
    manifest.json
    pl/report.html           front page: navigation + executive summary (90_diagnosis)
    pl/data-checks.html, pl/weighting.html, pl/areas/<area>.html
    pl/notebooks/*.ipynb     executed notebooks
    pl/tables/*.csv, pl/tables.xlsx, pl/figures/*.png|svg
    en/...                   the same in English
    .cache/                  the run cache (not an output: not in the manifest)

>>> result = run_pipeline(data_dir="data/demo", out_dir="outputs/demo",
...                       lang="both", jobs=2)                          # doctest: +SKIP
>>> print(result.format())                                              # doctest: +SKIP

A folder holding anything else is refused before any work:

>>> import tempfile
>>> mine = Path(tempfile.mkdtemp())
>>> _ = (mine / "thesis.docx").write_text("two years of work")
>>> run_pipeline(out_dir=mine)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lublin_diagnosis.exceptions.PipelineError: output folder ... holds files that are not the output of an earlier 'lublin-diagnosis run' (no manifest.json); nothing was deleted. ...: thesis.docx
>>> [p.name for p in mine.iterdir()]
['thesis.docx']
"""

from __future__ import annotations

import collections
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import (
    DataError,
    LublinDiagnosisError,
    NotebookExecutionError,
    PipelineError,
)
from lublin_diagnosis.pipeline.execute import (
    LOGS_DIR,
    NotebookFailure,
    NotebookRun,
    Progress,
    RenderError,
    cell_of,
    run_jobs,
)
from lublin_diagnosis.pipeline.folders import (
    RUN_COMMAND,
    OutputLock,
    check_out_dir,
    clean_leftovers,
    is_disk_full,
    keep_last_failure,
    swap_into_place,
    tmp_dir,
)
from lublin_diagnosis.pipeline.kernels import (
    KERNEL,
    KernelStopped,
    is_dead_kernel,
)
from lublin_diagnosis.pipeline.manifest import (
    MANIFEST,
    git_state,
    hash_tree,
    input_files,
    published_path,
    sha256_file,
    write_manifest,
)
from lublin_diagnosis.pipeline.parameters import DEFAULTS, check_params
from lublin_diagnosis.pipeline.paths import replacements
from lublin_diagnosis.pipeline.plan import (
    PIPELINE_PARAMS,
    PLAN,
    Job,
    Step,
    expand_plan,
    framework_of,
)
from lublin_diagnosis.pipeline.render import Finisher, Renderer, workbook
from lublin_diagnosis.pipeline.runcache import CACHE_DIR, RunCache, is_run_cache
from lublin_diagnosis.report.i18n import LANGUAGES
from lublin_diagnosis.report.publish import RECORDS_DIR, read_records

__all__ = [
    "KERNEL",
    "NOTEBOOKS_DIR",
    "NotebookRun",
    "RunResult",
    "available_cores",
    "default_jobs",
    "run_pipeline",
    "select_jobs",
]

#: The diagnosis notebooks, shipped inside the package (``lublin_diagnosis/notebooks``; the
#: repository's ``notebooks/`` is a link to them).
NOTEBOOKS_DIR = Path(str(resources.files("lublin_diagnosis").joinpath("notebooks")))
_CACHE_DIR = CACHE_DIR  # the run cache (lublin_diagnosis.pipeline.runcache), kept between runs
_STAGING_DIR = ".jobs"  # each executed job's files before they are cached and moved
_PACKAGE_DIR = Path(__file__).resolve().parents[1]


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
    stages: Mapping[str, float] = field(default_factory=dict)

    def format(self) -> str:
        """A short summary: where the report is, what was run, how long it took."""
        cached = sum(n.cached for n in self.notebooks)
        lines = [
            f"run {self.run_id}: {len(self.notebooks) - cached} notebooks executed"
            + (f", {cached} reused from the run cache" if cached else "")
            + f" ({', '.join(self.langs)}) in {self.seconds:.1f} s"
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


# --------------------------------------------------------------------------- set-up
def available_cores() -> int:
    """The cores this process may run on.

    >>> available_cores() >= 1
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def default_jobs() -> int:
    """Notebooks executed at the same time by default: one more than the cores
    (:func:`available_cores`). A worker spends part of each notebook waiting (for its
    kernel's replies, writing files, rendering the page while its kernel idles); one
    more kernel than cores fills those gaps. Measured on the demo, 2 cores, cold run of
    both languages: 2 jobs 133 s, 3 jobs 112 s, 4 jobs 116 s.

    >>> default_jobs() == available_cores() + 1
    True
    """
    return available_cores() + 1


def _page_path(page: str) -> str:
    return page[: -len(".html")] if page.endswith(".html") else page


def select_jobs(jobs: Sequence[Job], only: Sequence[str]) -> list[Job]:
    """The jobs named by ``only``: page paths (``areas/health``, ``areas``: every page
    under it, ``en/areas/health``: one language), notebooks (``10_area``) or job keys
    (``10_area-health``).

    Raises
    ------
    PipelineError
        When an entry names no job (the known pages are listed).

    Examples
    --------
    >>> from lublin_diagnosis.pipeline.plan import PLAN
    >>> jobs = [Job(PLAN[2], lang, "health") for lang in ("pl", "en")]
    >>> [j.name for j in select_jobs(jobs, ["areas/health"])]
    ['pl/10_area-health', 'en/10_area-health']
    >>> [j.name for j in select_jobs(jobs, ["en/areas"])]
    ['en/10_area-health']
    """

    def names(job: Job) -> set[str]:
        page = _page_path(job.page)
        parts = page.split("/")
        prefixes = {"/".join(parts[:k]) for k in range(1, len(parts) + 1)}
        plain = prefixes | {job.page, job.step.notebook, job.key}
        return plain | {f"{job.lang}/{n}" for n in plain}

    wanted = [str(o).strip().strip("/") for o in only if str(o).strip()]
    chosen = [j for j in jobs if names(j) & set(wanted)]
    unknown = [w for w in wanted if not any(w in names(j) for j in jobs)]
    if unknown:
        pages = sorted({_page_path(j.page) for j in jobs})
        raise PipelineError(
            f"--only {', '.join(map(repr, unknown))} names no page of the run; its pages "
            f"are {', '.join(pages)}"
        )
    return chosen


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


def _framework_param(params: dict[str, Any], data_path: Path) -> None:
    """A ``framework`` parameter that names a file becomes its absolute path (relative to
    the data folder, as everywhere; the notebooks run in another folder)."""
    from lublin_diagnosis.framework.resolver import framework_source

    value = params.get("framework")
    if isinstance(value, str) and value.strip():
        params["framework"] = framework_source(value, data_dir=data_path)


def _check_run_params(
    params: Mapping[str, Any] | None,
    declared: Mapping[str, set[str]],
    plan: Sequence[Step],
    data_path: Path,
) -> dict[str, Any]:
    params = {  # a date read from YAML is a date written as text
        k: v.isoformat() if isinstance(v, date) else v for k, v in (params or {}).items()
    }
    bad = [k for k in params if not isinstance(k, str)]
    if bad:
        raise PipelineError(f"parameter names must be text, not {', '.join(map(repr, bad))}")
    known = set().union(*(declared[s.notebook] for s in plan)) | set(PIPELINE_PARAMS)
    unknown = sorted(set(params) - known - set(_FIXED))
    if unknown:
        raise PipelineError(
            f"unknown parameter(s) {', '.join(map(repr, unknown))}; the "
            f"notebooks take {', '.join(sorted(known - set(_FIXED)))}"
        )
    for name in _FIXED:
        if name in params:
            raise PipelineError(
                f"parameter {name!r} is set by the pipeline (--data, --out, --lang), not by -p"
            )
    _framework_param(params, data_path)
    return params


def _jobs(
    plan: Sequence[Step],
    dataset: Any,
    common: Mapping[str, Any],
    langs: Sequence[str],
    declared: Mapping[str, set[str]],
) -> list[Job]:
    """The jobs of the run, each with the parameters its notebook declares, checked."""
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
    return checked


_FIXED = ("data_dir", "out_dir", "lang", "cache_dir")


# --------------------------------------------------------------------------- public
def run_pipeline(
    *,
    data_dir: str | Path = "data/demo",
    out_dir: str | Path = "outputs/demo",
    params: Mapping[str, Any] | None = None,
    lang: str = "both",
    jobs: int | None = None,
    progress: bool = True,
    plan: Sequence[Step] = PLAN,
    notebooks_dir: str | Path | None = None,
    only: Sequence[str] | None = None,
    cache: bool = True,
    report: bool = True,
) -> RunResult:
    """Run the whole diagnosis into ``out_dir``; see the module docstring.

    Parameters
    ----------
    data_dir : path
        The data folder (validated first).
    out_dir : path
        The output folder: new, empty, or the run of this package (see
        :func:`~lublin_diagnosis.pipeline.folders.check_out_dir`); replaced only when the
        run succeeded.
    params : mapping, optional
        Notebook parameters (``replicates``, ``seed``, ``min_cell``, ...) and the
        pipeline's own: ``areas`` (a list) restricts the area notebooks.
    lang : {"pl", "en", "both"}
    jobs : int, optional
        Notebooks executed at the same time (each in its own kernel); default: one more
        than the cores available (:func:`default_jobs`).
    progress : bool
        Show a progress bar on stderr.
    plan : sequence of Step
        The notebooks to run (default :data:`~lublin_diagnosis.pipeline.plan.PLAN`).
    notebooks_dir : path, optional
        Folder of the notebooks (default: the package's).
    only : sequence of str, optional
        Run only these pages (see :func:`select_jobs`), as ``verify --only`` does.
    cache : bool
        Reuse the run cache of ``out_dir`` (``<out>/.cache``, see
        :mod:`~lublin_diagnosis.pipeline.runcache`); False recomputes everything (the
        cache is still written for the next run).
    report : bool
        False: the executed notebooks and what they publish only, without pages,
        PDFs and workbooks (what ``verify`` compares).

    Returns
    -------
    RunResult

    Raises
    ------
    PipelineError
        Invalid data, a bad parameter, an output folder that is not a run's, another
        run into the same folder, a folder that cannot be written, a full disk.
    NotebookExecutionError
        A notebook failed (``.notebook``, ``.cell``, ``.partial``).
    KeyboardInterrupt
        Ctrl-C: the kernels are stopped, the partial run removed, ``out_dir`` untouched.
    """
    from lublin_diagnosis.data.validation import load_dataset

    started = time.perf_counter()
    stages: dict[str, float] = {}
    created = datetime.now(UTC)
    run_id = created.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)
    langs = _langs(lang)
    if jobs is None:
        jobs = default_jobs()
    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise PipelineError(f"jobs must be a whole number of at least 1, not {jobs!r}")
    out = Path(out_dir).expanduser().resolve()
    check_out_dir(out)
    notebooks_dir = Path(notebooks_dir or NOTEBOOKS_DIR).resolve()
    data_path = Path(data_dir).expanduser().resolve()
    stages["environment"] = time.perf_counter() - started
    try:
        dataset = load_dataset(data_path)
    except DataError as exc:
        raise PipelineError(
            f"the data in {data_path} break their contracts; nothing was run.\n{exc}"
        ) from None
    stages["validation"] = time.perf_counter() - started - stages["environment"]
    declared = _declared(notebooks_dir, plan)
    params = _check_run_params(params, declared, plan, data_path)
    tmp = tmp_dir(out, run_id)
    common = {
        **params,
        "data_dir": str(data_path),
        "out_dir": str(tmp),
        "cache_dir": str(tmp / _CACHE_DIR),
    }
    job_list = _jobs(plan, dataset, common, langs, declared)
    if only:
        job_list = select_jobs(job_list, only)
    try:
        lock = OutputLock(out).acquire()
    except OSError as exc:
        raise PipelineError(_os_message(exc, out)) from None
    try:
        clean_leftovers(out)
        check_out_dir(out)
        run = _Run(run_id, created, started, out, tmp, data_path, notebooks_dir, dataset, params)
        run.stages = stages
        return run.execute(
            job_list,
            plan=plan,
            langs=langs,
            lang=lang,
            workers=jobs,
            progress=progress,
            use_cache=cache,
            report=report,
        )
    finally:
        lock.release()


def _os_message(exc: OSError, out: Path) -> str:
    what = exc.strerror or type(exc).__name__
    where = f" ({exc.filename})" if exc.filename else ""
    return (
        f"cannot write the run into {out}: {what}{where}; {out} was left as it was. "
        f"Give an output folder you can write to, on a disk with free space"
    )


@dataclass
class _Run:
    """One run once its jobs are known: executes, records, swaps, cleans up."""

    run_id: str
    created: datetime
    started: float
    out: Path
    tmp: Path
    data_path: Path
    notebooks_dir: Path
    dataset: Any
    params: dict[str, Any]
    stages: dict[str, float] = field(default_factory=dict)

    def adopt_cache(self) -> None:
        """Move the run cache of the previous run (``<out>/.cache``) into the new run."""
        old = self.out / _CACHE_DIR
        if is_run_cache(old) and not old.is_symlink() and not (self.tmp / _CACHE_DIR).exists():
            os.rename(old, self.tmp / _CACHE_DIR)

    def return_cache(self) -> None:
        """A failed run gives the cache back to the output folder it came from."""
        new = self.tmp / _CACHE_DIR
        if self.out.is_dir() and is_run_cache(new) and not (self.out / _CACHE_DIR).exists():
            try:
                os.rename(new, self.out / _CACHE_DIR)
            except OSError:
                pass

    def bases(self) -> dict[str, Path]:
        return {
            "data": self.data_path,
            "notebooks": self.notebooks_dir,
            "package": _PACKAGE_DIR,
            "out": self.out,
        }

    def execute(
        self,
        job_list: list[Job],
        *,
        plan: Sequence[Step],
        langs: tuple[str, ...],
        lang: str,
        workers: int,
        progress: bool,
        use_cache: bool = True,
        report: bool = True,
    ) -> RunResult:
        from lublin_diagnosis._version import __version__

        mark = time.perf_counter()
        git = git_state()
        run_info = {"run_id": self.run_id, "git": git, "version": __version__}
        wall = time.time()
        subs = replacements(
            out=self.out, tmp=self.tmp, data=self.data_path, notebooks=self.notebooks_dir
        )
        bar = Progress(len(job_list), progress)
        try:
            self.tmp.mkdir(parents=True)
            if use_cache:  # else the previous cache stays until the new run replaces it
                self.adopt_cache()
            cache = RunCache.for_run(
                self.tmp / _CACHE_DIR,
                data_dir=self.data_path,
                out_dir=self.out,
                notebooks_dir=self.notebooks_dir,
                enabled=use_cache,
            )
            renderer = Renderer(
                job_list,
                root=self.tmp,
                dataset=self.dataset,
                langs=langs,
                run=run_info,
                cache=cache,
            )
            self.stages["plan"] = time.perf_counter() - mark
            mark = time.perf_counter()
            finisher = Finisher(workers=workers, timing=self.stages)
            last_steps = self._last_steps(renderer, cache, langs)
            left = collections.Counter(j.lang for j in job_list)
            lock = threading.Lock()

            def after(job: Job) -> None:
                """The page of a job; a language's PDFs and workbook once its last job
                ran, the cards once the factsheets ran (their scorecard is cached)."""
                renderer.page(job)
                with lock:
                    left[job.lang] -= 1
                    ready = (
                        [f"pdf-{job.lang}", f"workbook-{job.lang}"] if not left[job.lang] else []
                    )
                if job.step.notebook == "50_factsheets":
                    ready.append("cards")
                for name in ready:
                    finisher.submit(name, last_steps[name])

            cards: list = []
            sheets: dict = {}
            try:  # whatever fails, no last step still writes into the run once it is handled
                runs = run_jobs(
                    job_list,
                    root=self.tmp,
                    notebooks_dir=self.notebooks_dir,
                    workers=workers,
                    progress=bar,
                    after=after if report else None,
                    scrub=subs,
                    cache=cache,
                )
                self.stages["notebooks"] = time.perf_counter() - mark
                self.stages["pages"] = renderer.timing.get("pages", 0.0)
                bar.stage("report")
                mark = time.perf_counter()
                records = read_records(self.tmp)
                if report:
                    renderer.landing()
                    for name, task in last_steps.items():  # those not started yet
                        finisher.submit(name, task)
                    done = finisher.results()
                    cards = done["cards"]
                    for x in langs:
                        sheets.update(done[f"workbook-{x}"])
            finally:
                finisher.cancel()
            for name in (RECORDS_DIR, _STAGING_DIR, LOGS_DIR):
                shutil.rmtree(self.tmp / name, ignore_errors=True)
            self.stages["finish"] = time.perf_counter() - mark
            cache.prune(since=wall)
            timing = {"cache": {"hits": cache.hits, "misses": cache.misses}}
            settings = {"lang": lang, "languages": list(langs), "jobs": workers, "git": git}
            settings["cards"] = cards
            self._write_manifest(job_list, plan, runs, records, sheets, settings, timing)
        except BaseException as exc:
            bar.close()
            self.return_cache()
            error = self._failure(exc)
            if error is exc:
                raise
            raise error from (None if isinstance(exc, NotebookFailure) else exc)
        bar.close()
        try:
            swap_into_place(self.tmp, self.out, self.run_id)
        except PipelineError as exc:  # a file was put into out while the run ran
            failed = keep_last_failure(self.out, self.tmp, self.run_id)
            raise PipelineError(f"{exc}\n  the new run is kept in {failed}") from None
        return RunResult(
            self.out,
            self.run_id,
            langs,
            tuple(runs),
            sum(r.kind == "table" for r in records),
            sum(r.kind == "figure" for r in records),
            time.perf_counter() - self.started,
            bool(self.dataset.synthetic),
            tuple(r.name for r in runs if r.attempts > 1),
            dict(self.stages),
        )

    def _last_steps(
        self, renderer: Renderer, cache: RunCache, langs: tuple[str, ...]
    ) -> dict[str, Callable[[], Any]]:
        """The last steps of a run by name: each language's PDFs and workbook (its
        records read when it starts: the language's notebooks all ran), the cards."""

        def book(lang: str) -> dict:
            records = [r for r in read_records(self.tmp) if r.lang == lang]
            return workbook(self.tmp, records, lang, bool(self.dataset.synthetic), cache=cache)

        steps: dict[str, Callable[[], Any]] = {}
        for x in langs:
            steps[f"pdf-{x}"] = partial(renderer.pdfs, x)
            steps[f"workbook-{x}"] = partial(book, x)
        steps["cards"] = renderer.cards
        return steps

    def _failure(self, exc: BaseException) -> BaseException:
        """The error to raise for a failed run; the partial run is kept (last failure
        only) or removed (Ctrl-C, full disk)."""
        out, tmp, run_id = self.out, self.tmp, self.run_id
        cause = exc.exc if isinstance(exc, NotebookFailure) else exc
        if isinstance(exc, KeyboardInterrupt) or isinstance(cause, KernelStopped):
            keep_last_failure(out, tmp, run_id, keep=False)
            return exc if isinstance(exc, KeyboardInterrupt) else KeyboardInterrupt()
        if cause is not None and is_disk_full(cause):
            keep_last_failure(out, tmp, run_id, keep=False)
            return PipelineError(
                f"the disk is full: the run could not be written ({cause}); the partial "
                f"run was removed and {out} was left as it was. Free some space and run again"
            )
        if isinstance(exc, NotebookFailure) and not isinstance(cause, RenderError):
            return _failed(exc, tmp, out, run_id)
        failed = keep_last_failure(out, tmp, run_id)
        if isinstance(cause, OSError):
            text = _os_message(cause, out)
        else:
            text = (
                str(cause)
                if isinstance(cause, PipelineError)
                else (f"the run failed: {type(cause).__name__}: {cause}")
            )
        kept = f"partial run kept in {failed}; " if failed else ""
        return PipelineError(f"{text}\n  {kept}{out} was left as it was")

    def _write_manifest(
        self,
        job_list: Sequence[Job],
        plan: Sequence[Step],
        runs: Sequence[NotebookRun],
        records: Sequence[Any],
        sheets: Mapping[tuple[str, str], str],
        settings: Mapping[str, Any],
        timing: Mapping[str, float],
    ) -> None:
        from lublin_diagnosis._version import __version__

        bases = self.bases()
        framework = framework_of(self.dataset, self.params)
        inputs = input_files(
            self.dataset,
            framework_path=Path(framework.path) if framework.path else None,
            notebooks=[self.notebooks_dir / f"{s.notebook}.ipynb" for s in plan],
        )
        params = dict(self.params)
        if "framework" in params and Path(str(params["framework"])).is_absolute():
            params["framework"] = published_path(params["framework"], bases)
        content = {
            "run_id": self.run_id,
            "created": self.created.isoformat(timespec="seconds"),
            "command": RUN_COMMAND,
            "data_dir": os.path.relpath(self.data_path, self.out).replace(os.sep, "/"),
            "notebooks_dir": None
            if self.notebooks_dir == NOTEBOOKS_DIR.resolve()
            else published_path(self.notebooks_dir, {"out": self.out}),
            "lang": settings["lang"],
            "languages": settings["languages"],
            "jobs": settings["jobs"],
            "synthetic": bool(self.dataset.synthetic),
            "dataset_title": self.dataset.title,
            "parameters": params,
            "defaults": dict(DEFAULTS),
            "notebook_parameters": {
                j.name: {
                    k: (params[k] if k == "framework" and k in params else v)
                    for k, v in j.params.items()
                    if k not in ("data_dir", "out_dir", "cache_dir")
                }
                for j in job_list
            },
            "plan": [{"notebook": s.notebook, "fan_out": s.fan_out, "page": s.page} for s in plan],
            "git": settings["git"],
            "version": __version__,
            "inputs": {
                name: {**published_path(path, bases), "sha256": sha256_file(path)}
                for name, path in inputs.items()
            },
            "notebooks": [r.as_dict() for r in runs],
            "tables": _table_entries(records, sheets),
            "figures": _figure_entries(records),
            "cards": settings.get("cards", []),
            "timing": {
                "total_seconds": round(time.perf_counter() - self.started, 3),
                **timing,
                "stages": {k: round(v, 3) for k, v in self.stages.items()},
                "notebook_seconds": {r.name: round(r.seconds, 3) for r in runs},
            },
            "outputs": hash_tree(self.tmp, exclude_dirs=(_CACHE_DIR,)),
        }
        write_manifest(self.tmp, content)


def _table_entries(records: Sequence[Any], sheets: Mapping[tuple[str, str], str]) -> list:
    return [
        {
            "name": r.name,
            "lang": r.lang,
            "title": r.title,
            "file": r.files[0],
            "precise": r.files[-1],
            "sheet": sheets.get((r.lang, r.name)),
            "rows": r.rows,
            "columns": r.columns,
            "notebook": r.notebook,
            "part": r.part,
        }
        for r in records
        if r.kind == "table"
    ]


def _figure_entries(records: Sequence[Any]) -> list:
    return [
        {
            "name": r.name,
            "lang": r.lang,
            "title": r.title,
            "files": list(r.files),
            "texts_outside": list(getattr(r, "texts_outside", ())),
            "notebook": r.notebook,
            "part": r.part,
        }
        for r in records
        if r.kind == "figure"
    ]


def _failed(failure: NotebookFailure, tmp: Path, out: Path, run_id: str) -> NotebookExecutionError:
    job, exc = failure.job, failure.exc
    failed = keep_last_failure(out, tmp, run_id)
    partial = None
    if failed is not None:
        candidate = job.notebook_path(failed)
        partial = str(candidate) if candidate.exists() else None
    cell, reason = cell_of(exc) if exc is not None else (None, "unknown error")
    dead = exc is not None and is_dead_kernel(exc)
    where = (
        f"cell {cell}"
        if cell
        else "a cell whose kernel died twice"
        if dead
        else "before any cell ran"
    )
    logs = failed / LOGS_DIR if failed is not None else None
    text = (
        f"notebook {job.step.notebook}.ipynb ({job.name}) failed at {where}: "
        f"{reason}\n  partial executed notebook: {partial or 'none written'}\n"
        + (f"  kernel output: {logs}\n" if dead and logs is not None and logs.is_dir() else "")
        + f"  failed run kept in {failed} (only the latest failure is kept)\n"
        + f"  {out} was left as it was"
    )
    return NotebookExecutionError(text, notebook=job.name, cell=cell, partial=partial)
