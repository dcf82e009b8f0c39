"""Execute notebooks with papermill on kernels that are reused, reset and replaced when they die.

Starting a Python kernel and importing pandas, scipy, seaborn and the package costs about
three seconds of CPU; a full diagnosis executes dozens of notebooks. Each worker of the
pipeline therefore owns one :class:`KernelSlot`: the kernel is started for the worker's
first notebook and reused for the next ones, all on one client (:meth:`KernelSlot.client`).
Between two notebooks the kernel is **reset** (:func:`reset_shell`: every figure closed,
the user namespace emptied as by ``%reset -f``, the execution counter back to 1) as a
notebook ends or, when that failed, before the next one. So a notebook sees no variable
of the previous one and must import what it uses, exactly as in a fresh kernel; only
already-imported modules stay loaded.
A notebook run alone with ``papermill`` gets a fresh kernel and computes the same
results (the test suite checks both ways).

:func:`execute_notebook` runs one notebook through papermill's engine interface (a
registered engine that executes on the slot's kernel). A kernel that dies at any point --
while it starts (for instance a port collision between kernels started in parallel,
papermill #511), while it is reset between notebooks, or while a cell runs -- is
replaced and the notebook executed once more; a second death is an error. A reset that
fails leaves the kernel discarded and a new one started.

Every kernel runs the ``python3`` kernelspec with IPython's history off
(``--HistoryManager.enabled=False``: no ``Session/line number was not unique`` message
reaches a page) and warnings printed without the file and line that raised them (no path
of the machine reaches a page) and validates a data folder once for all the notebooks it
executes (``load_dataset`` hands out copies while no file changed; see
:data:`~lublin_diagnosis.data.validation.MEMO_ENV`); its process output (shutdown noise, the last words of a
dying kernel) goes to a log file instead of the terminal. :meth:`KernelSlot.kill` stops
a slot's kernel at once from another thread (Ctrl-C) and keeps it from being restarted.

>>> import tempfile
>>> is_dead_kernel(RuntimeError("Kernel died before replying to kernel_info"))
True
>>> slot = KernelSlot(cwd=tempfile.gettempdir(), log=Path(tempfile.mkdtemp()) / "k.log")
>>> slot.alive()
False
>>> slot.kill(); slot.acquire()
Traceback (most recent call last):
...
lublin_diagnosis.pipeline.kernels.KernelStopped: the run was interrupted: no new kernel is started
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = [
    "ENGINE",
    "KERNEL",
    "KernelSlot",
    "KernelStopped",
    "execute_notebook",
    "is_dead_kernel",
    "read_texts_used",
    "reset_shell",
]

#: The Jupyter kernel every notebook runs on.
KERNEL = "python3"
#: Name of the papermill engine that executes on a slot's kernel.
ENGINE = "lublin-diagnosis"
#: Seconds for a kernel to start and answer.
START_TIMEOUT = 30
_KERNEL_ARGS = [
    "--IPKernelApp.log_level=ERROR",  # no "running over TCP" warning
    "--HistoryManager.enabled=False",  # no "Session/line number was not unique" on a page
]
#: Run once in every new kernel: warnings without the path and line that raised them.
_SETUP = """\
import warnings as _ld_warnings
_ld_warnings.formatwarning = (
    lambda message, category, filename, lineno, line=None:
    f"{category.__name__}: {message}\\n"
)
del _ld_warnings
"""
#: Run as each notebook ends (or before the next one, when that failed): :func:`reset_shell`.
_RESET = """\
import sys as _ld_sys
if "lublin_diagnosis" in _ld_sys.modules:
    from lublin_diagnosis.pipeline.kernels import reset_shell as _ld_reset
else:  # a kernel that never loaded the package (a small heap): IPython's own reset
    def _ld_reset(shell):
        shell.run_line_magic("reset", "-f")
        shell.execution_count = 1
_ld_reset(get_ipython())
"""
_log = logging.getLogger(__name__)
#: nbclient's messages ("Kernel died while waiting for execute reply.") stay off the
#: terminal: a death is retried and reported once, by this module or the run's error.
_CLIENT_LOG = logging.getLogger(f"{__name__}.nbclient")
_CLIENT_LOG.addHandler(logging.NullHandler())
_CLIENT_LOG.propagate = False
_START_LOCK = threading.Lock()


def reset_shell(shell: Any) -> None:
    """Make a used kernel's shell like a fresh one for the next notebook; runs in the kernel.

    Every figure is closed, the user namespace emptied and the execution counter set
    back to 1, as ``%reset -f`` does, but without its two full garbage collections: with
    pandas, scipy and matplotlib loaded, each walks ~240,000 objects (0.15 s), which cost
    0.3 s before every notebook. Instead the cyclic garbage of the last notebook is
    collected once and everything that survives is frozen (:func:`gc.freeze`): the modules
    and caches of a kernel are then walked by no later collection, so this collection and
    those during the next notebook look only at what that notebook allocated.

    It runs inside a kernel, so it has no doctest (an IPython shell in the test process
    would change ``builtins``); ``tests/pipeline/test_kernels.py`` checks on real kernels
    that no variable, figure or output of a notebook reaches the next one.
    """
    import gc

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    hook = shell.displayhook
    full_cache, hook.do_full_cache = hook.do_full_cache, 0  # its flush() collects garbage
    try:
        shell.reset(new_session=False)  # namespace, output history, aliases
    finally:
        hook.do_full_cache = full_cache
    hook._ = hook.__ = hook.___ = ""  # the last outputs, released as flush() does
    shell.user_ns.update({"_": "", "__": "", "___": ""})
    shell.execution_count = 1
    i18n = sys.modules.get("lublin_diagnosis.report.i18n")
    if i18n is not None:  # a new record of the locale texts the next notebook reads
        i18n.forget_texts_used()
    gc.collect()
    gc.freeze()


async def _silently(km: Any, kc: Any, code: str, timeout: float) -> None:
    """Run ``code`` on the client ``kc`` of the kernel of ``km``, silently; a kernel that
    dies meanwhile is noticed within half a second (not after ``timeout``)."""
    import asyncio

    task = asyncio.ensure_future(
        kc.execute_interactive(
            code,
            silent=True,
            store_history=False,
            timeout=timeout,
            output_hook=lambda msg: None,
        )
    )
    while not task.done():
        await asyncio.wait({task}, timeout=0.5)
        if not task.done() and not await km.is_alive():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            raise RuntimeError("Kernel died during its set-up or reset")
    reply = task.result()
    if reply["content"].get("status") != "ok":
        raise RuntimeError(f"Kernel died or failed its set-up or reset: {reply['content']}")


def _kernel_env() -> dict[str, str]:
    """The kernel's environment: this process's, with the dataset of a data folder
    validated once per kernel (:data:`~lublin_diagnosis.data.validation.MEMO_ENV`) and
    the locale texts a notebook reads recorded (:data:`~lublin_diagnosis.report.i18n.RECORD_ENV`)."""
    from lublin_diagnosis.data.validation import MEMO_ENV
    from lublin_diagnosis.report.i18n import RECORD_ENV

    return {**os.environ, MEMO_ENV: "1", RECORD_ENV: "1"}


#: Run after a notebook: the locale texts it read, as JSON into the file ``{path}``
#: (``{}`` when it never loaded the texts: it printed none).
_TEXTS_USED = """\
def _ld_texts_used(path):
    import json, sys
    i18n = sys.modules.get("lublin_diagnosis.report.i18n")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(i18n.texts_used() if i18n is not None else {{}}, f)
_ld_texts_used({path!r})
del _ld_texts_used
"""


class KernelStopped(RuntimeError):
    """The slot was stopped (:meth:`KernelSlot.kill`): no kernel is started any more."""


def is_dead_kernel(exc: BaseException) -> bool:
    """Whether an execution error means the kernel died or never answered.

    Examples
    --------
    >>> is_dead_kernel(RuntimeError("Kernel didn't respond in 30 seconds"))
    True
    >>> is_dead_kernel(ValueError("boom"))
    False
    """
    from nbclient.exceptions import DeadKernelError

    if isinstance(exc, DeadKernelError):
        return True
    text = str(exc)
    return isinstance(exc, RuntimeError) and (
        "Kernel died" in text or "Kernel didn't respond" in text
    )


def _manager_class(log: Path) -> type:
    from jupyter_client.manager import AsyncKernelManager

    class _LoggedKernelManager(AsyncKernelManager):
        """Writes the kernel process's stdout and stderr to ``log``."""

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "ab") as fh:
                kw["stdout"] = kw["stderr"] = fh
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return _LoggedKernelManager


class KernelSlot:
    """One kernel, started on first use and reused (after a reset) by later notebooks.

    A slot belongs to the thread that uses it: its kernel manager runs on that thread's
    event loop, as papermill's does.

    Parameters
    ----------
    cwd : path
        Working directory of the kernel.
    log : path
        File receiving the kernel process's output.
    reuse : bool
        False starts a new kernel for every notebook.
    start_timeout : float
        Seconds for a kernel to start and answer.
    """

    def __init__(
        self,
        *,
        cwd: str | Path,
        log: str | Path,
        reuse: bool = True,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.cwd, self.log = Path(cwd), Path(log)
        self.reuse, self.start_timeout = reuse, start_timeout
        self.km: Any = None
        self.kc: Any = None  # one client for the kernel's life (see client())
        self.stopped = False
        #: The kernel was reset at the end of its last notebook (or just started).
        self.clean = False

    def _run(self, coro: Any) -> Any:
        from jupyter_core.utils import run_sync

        async def call() -> Any:
            return await coro

        return run_sync(call)()

    def alive(self) -> bool:
        """Whether the slot has a kernel and it is running."""
        if self.km is None:
            return False
        try:
            return bool(self._run(self.km.is_alive()))
        except Exception:
            return False

    def _start(self) -> None:
        if self.stopped:
            raise KernelStopped("the run was interrupted: no new kernel is started")
        with _START_LOCK:  # one start at a time: no two kernels race for a port
            km = _manager_class(self.log)(kernel_name=KERNEL)
            self.km = km
            try:
                self._run(
                    km.start_kernel(
                        cwd=str(self.cwd), extra_arguments=_KERNEL_ARGS, env=_kernel_env()
                    )
                )
                self._execute_silently(_SETUP)
            except KernelStopped:
                raise
            except Exception as exc:
                self.discard()
                raise RuntimeError(f"Kernel didn't respond or died while starting: {exc}") from exc

    def acquire(self) -> Any:
        """The kernel manager of a ready kernel: a new kernel, or the previous one reset.

        A previous kernel that is dead, or dies or fails during its reset, is discarded
        and a new kernel started.

        Raises
        ------
        RuntimeError
            When a new kernel does not start or does not answer in time (a "dead kernel"
            for :func:`is_dead_kernel`).
        KernelStopped
            After :meth:`kill`.
        """
        if self.stopped:
            raise KernelStopped("the run was interrupted: no new kernel is started")
        if self.km is not None and (not self.reuse or not self.alive()):
            self.discard()
        clean, self.clean = self.clean, False
        if self.km is not None:
            if clean:  # reset as its last notebook ended (execute_notebook)
                return self.km
            try:
                self._execute_silently(_RESET)
                return self.km
            except Exception as exc:
                if self.stopped:
                    raise KernelStopped("the run was interrupted") from exc
                _log.info("the kernel failed its reset (%s); starting a new one", exc)
                self.discard()
        self._start()
        return self.km

    def kill(self) -> None:
        """Kill the kernel process now (from any thread) and start no new one."""
        self.stopped = True
        km = self.km
        pid = getattr(getattr(km, "provisioner", None), "pid", None) if km else None
        if isinstance(pid, int) and pid > 0:
            with contextlib.suppress(OSError):
                os.kill(pid, getattr(signal, "SIGKILL", signal.SIGTERM))

    def client(self) -> Any:
        """The kernel's client: started, and waited for, once for the kernel's life; every
        notebook, reset and set-up runs on it (a new client per notebook waits 0.2 s for
        IOPub to go quiet and costs CPU on both sides). Replies and outputs are told apart
        by the request they answer, so one client serves them all in turn."""
        if self.kc is None:
            kc = self.km.client()
            kc.allow_stdin = False

            async def start() -> None:
                kc.start_channels()
                await kc.wait_for_ready(timeout=self.start_timeout)

            try:
                self._run(start())
            except BaseException:
                kc.stop_channels()
                raise
            self.kc = kc
        return self.kc

    def _execute_silently(self, code: str) -> None:
        """Run ``code`` in the kernel; a kernel that dies meanwhile is noticed within
        half a second (not after the timeout)."""
        km, kc = self.km, self.client()
        self._run(_silently(km, kc, code, self.start_timeout))

    def discard(self) -> None:
        """Shut the kernel down (now) and forget it."""
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        if kc is not None:
            with contextlib.suppress(Exception):
                kc.stop_channels()
        if km is None:
            return
        try:
            self._run(km.shutdown_kernel(now=True))
        except Exception:
            pass
        try:
            self._run(km.cleanup_resources())
        except Exception:
            pass

    def shutdown(self) -> None:
        """Shut the kernel down at the end of the run."""
        self.discard()


def read_texts_used(path: str | Path) -> dict[str, dict[str, str | None]] | None:
    """The locale texts a notebook read, from the file ``texts_to`` of
    :func:`execute_notebook` (then removed); None when the kernel did not write it.

    >>> import tempfile
    >>> read_texts_used(Path(tempfile.mkdtemp()) / "none.json") is None
    True
    """
    import json

    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        path.unlink(missing_ok=True)


def _after_notebook(client: Any, code: str, *, timeout: float) -> bool:
    """Run ``code`` (the texts the notebook read, the reset for the next notebook) on the
    client that executed the notebook, in its event loop, as the notebook ends. Whether
    it ran; a kernel that fails it is reset, or replaced, before the next notebook."""
    from jupyter_core.utils import run_sync

    try:
        run_sync(_silently)(client.km, client.kc, code, timeout)
        return True
    except Exception as exc:
        _log.info("the kernel failed its reset after a notebook (%s)", exc)
        return False


def _engine() -> type:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class _SlotEngine(NBClientEngine):
        """papermill's nbclient engine, executing on the kernel of ``km`` (not starting
        its own) and closing its client afterwards."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            **kwargs: Any,
        ):
            km = kwargs.pop("km")
            kc = kwargs.pop("kc", None)  # the slot's client, kept open between notebooks
            after = kwargs.pop("after", None)  # {"code": ..., "ran": False}
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=_CLIENT_LOG,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=km, **final)
            client.kc = kc  # None: nbclient starts a client of its own
            try:
                executed = client.execute()
                if after is not None and after["code"] and client.kc is not None:
                    after["ran"] = _after_notebook(client, after["code"], timeout=start_timeout)
                return executed
            finally:
                if kc is None and client.kc is not None:
                    client.kc.stop_channels()

    if ENGINE not in papermill_engines._engines:
        papermill_engines.register(ENGINE, _SlotEngine)
    return _SlotEngine


def execute_notebook(
    source: str | Path,
    target: str | Path,
    parameters: Mapping[str, Any],
    *,
    slot: KernelSlot,
    on_retry: Callable[[BaseException], None] | None = None,
    texts_to: str | Path | None = None,
) -> int:
    """Execute ``source`` with papermill into ``target`` on the slot's kernel.

    Parameters
    ----------
    source, target : path
        The notebook and the executed copy (its folder is created). On a cell error
        papermill writes the partial executed notebook, the failing cell marked.
    parameters : mapping
        Injected after the ``parameters`` cell.
    slot : KernelSlot
    on_retry : callable, optional
        Called with the error when a dead kernel is replaced and the notebook retried.
    texts_to : path, optional
        Where the kernel writes, once the notebook ran, the locale texts it read (JSON
        of :func:`~lublin_diagnosis.report.i18n.texts_used`; see :func:`read_texts_used`).

    Returns
    -------
    int
        Attempts made (1, or 2 after a dead kernel).

    Raises
    ------
    papermill.exceptions.PapermillExecutionError
        A cell raised.
    nbclient.exceptions.DeadKernelError, RuntimeError
        The kernel died (or did not start) twice.
    """
    import papermill as pm

    _engine()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    code = _TEXTS_USED.format(path=str(texts_to)) if texts_to is not None else ""
    for attempt in (1, 2):
        try:
            km = slot.acquire()
            after = {"code": code + (_RESET if slot.reuse else ""), "ran": False}
            pm.execute_notebook(
                str(source),
                str(target),
                parameters=dict(parameters),
                engine_name=ENGINE,
                km=km,
                kernel_name=KERNEL,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                start_timeout=int(slot.start_timeout),
                after=after,
                kc=slot.client(),
            )
            slot.clean = bool(after["ran"]) and slot.reuse
            return attempt
        except Exception as exc:
            if slot.stopped:
                raise KernelStopped("the run was interrupted") from exc
            if attempt == 1 and (is_dead_kernel(exc) or slot.km is None or not slot.alive()):
                slot.discard()
                _log.warning(
                    "the kernel running %s died or did not start (%s); retrying "
                    "once on a new kernel",
                    Path(source).name,
                    exc,
                )
                if on_retry is not None:
                    on_retry(exc)
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover
