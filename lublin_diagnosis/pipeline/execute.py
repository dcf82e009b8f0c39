"""Execute the jobs of a run: a pool of workers, each with its own reusable kernel.

:func:`run_jobs` takes the jobs from a shared queue in ``workers`` threads; each thread
owns a :class:`~lublin_diagnosis.pipeline.kernels.KernelSlot`, executes a notebook on it,
removes the machine's paths from the executed notebook
(:func:`~lublin_diagnosis.pipeline.paths.scrub_notebook`) and renders its page. The first
failure stops the pool (:class:`NotebookFailure`); Ctrl-C kills every kernel at once.
:class:`Progress` is the tqdm bar that shows which notebooks run.

>>> cell_of(ValueError("boom"))
(None, 'ValueError: boom')
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline.kernels import KernelSlot, execute_notebook, read_texts_used
from lublin_diagnosis.pipeline.paths import scrub_notebook
from lublin_diagnosis.pipeline.plan import Job
from lublin_diagnosis.pipeline.runcache import merge_staging, staging_dir

__all__ = [
    "LOGS_DIR",
    "NotebookFailure",
    "NotebookRun",
    "Progress",
    "RenderError",
    "cell_of",
    "run_jobs",
]

LOGS_DIR = ".logs"  # kernel process output; kept only in a failed run's folder


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
    cached: bool = False

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
            "cached": self.cached,
        }


def cell_of(exc: BaseException) -> tuple[int | None, str]:
    """Cell number (1-based, counting every cell) and a one-line reason."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        return exc.cell_index + 1, f"{exc.ename}: {exc.evalue}"
    return None, f"{type(exc).__name__}: {exc}"


class Progress:
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


def run_jobs(
    jobs: Sequence[Job],
    *,
    root: Path,
    notebooks_dir: Path,
    workers: int,
    progress: Progress,
    after: Any = None,
    scrub: Sequence[tuple[str, str]] = (),
    cache: Any = None,
) -> list[NotebookRun]:
    """Execute the jobs with ``workers`` threads, each owning one reusable kernel
    (:class:`~lublin_diagnosis.pipeline.kernels.KernelSlot`) and taking the next job from a shared
    queue; each executed notebook has the machine's paths replaced (``scrub``), then
    ``after(job)`` runs in the same worker (rendering, which so overlaps with the other
    kernels). At the first failure the workers take no new job; the failure is raised
    once the running ones finished. On Ctrl-C every kernel is killed at once and
    ``KeyboardInterrupt`` raised when the workers stopped.

    With a ``cache`` (:class:`~lublin_diagnosis.pipeline.runcache.RunCache`) a job whose
    key is in the cache is copied from it (no kernel is started for it); any other job
    publishes into its own staging folder, which is kept in the cache, with the locale
    texts the notebook read, and then moved into ``root``."""
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    runs: dict[str, NotebookRun] = {}
    failures: list[tuple[Job, BaseException]] = []
    stop = threading.Event()
    slots = [
        KernelSlot(cwd=notebooks_dir, log=root / LOGS_DIR / f"kernel-{k}.log")
        for k in range(min(workers, len(jobs)))
    ]

    def run_one(job: Job, slot: KernelSlot) -> NotebookRun:
        source = notebooks_dir / f"{job.step.notebook}.ipynb"
        target = job.notebook_path(root)
        start = time.perf_counter()
        attempts, cached = 0, False
        if cache is not None and cache.restore_job(job, root):
            cached = True
        elif cache is not None:
            staging = staging_dir(root, job)
            staging.mkdir(parents=True, exist_ok=True)  # a notebook may expect its out_dir
            params = {**job.params, "out_dir": str(staging)} if "out_dir" in job.params else None
            texts = staging.with_name(f"{staging.name}.texts.json")
            attempts = execute_notebook(
                source, target, params or job.params, slot=slot, texts_to=texts
            )
            scrub_notebook(target, [(str(staging), "."), *scrub])
            cache.store_job(job, root, staging, read_texts_used(texts))
            merge_staging(staging, root)
        else:
            attempts = execute_notebook(source, target, job.params, slot=slot)
            scrub_notebook(target, scrub)
        seconds = time.perf_counter() - start
        if after is not None:
            try:
                after(job)
            except Exception as exc:
                raise RenderError(
                    f"rendering {job.page} ({job.name}) failed: {type(exc).__name__}: {exc}"
                ) from exc
        output = target.relative_to(root).as_posix()
        return NotebookRun(
            job.name, job.step.notebook, job.lang, job.value, output, seconds, attempts, cached
        )

    def worker(slot: KernelSlot) -> None:
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
        threading.Thread(target=worker, args=(slot,), name=f"ld-notebook-{k}", daemon=True)
        for k, slot in enumerate(slots)
    ]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.2)
    except KeyboardInterrupt:  # stop every kernel now, then let the workers end
        stop.set()
        for slot in slots:
            slot.kill()
        for thread in threads:
            thread.join(timeout=30)
        raise
    if failures:
        raise NotebookFailure(*failures[0])
    return [runs[j.name] for j in jobs]


class RenderError(PipelineError):
    """An executed notebook could not be rendered into its page."""


class NotebookFailure(Exception):
    """A job that failed (``.job``) and its error (``.exc``), raised by :func:`run_jobs`."""

    def __init__(self, job: Job, exc: BaseException | None) -> None:
        super().__init__(str(exc))
        self.job, self.exc = job, exc
