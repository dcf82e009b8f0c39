"""Execute notebooks with papermill on kernels that are reused, reset and replaced when they die.

Starting a Python kernel and importing pandas, scipy, seaborn and the package costs about
three seconds of CPU; a full diagnosis executes dozens of notebooks. Each worker of the
pipeline therefore owns one :class:`KernelSlot`: the kernel is started for the worker's
first notebook and reused for the next ones. Before each notebook the kernel is **reset**
(every figure closed, ``%reset -f`` empties the user namespace, the execution counter
goes back to 1), so a notebook sees no variable of the previous one and must import
what it uses, exactly as in a fresh kernel; only already-imported modules stay loaded.
A notebook run alone with ``papermill`` gets a fresh kernel and computes the same
results (the test suite checks both ways).

:func:`execute_notebook` runs one notebook through papermill's engine interface (a
registered engine that executes on the slot's kernel). If the kernel dies -- or does not
start, for instance because of a port collision between kernels started in parallel
(papermill #511) -- the slot starts a new kernel and the notebook is executed once more;
a second death is an error.

Every kernel runs the ``python3`` kernelspec; its process output (shutdown noise, the
last words of a dying kernel) goes to a log file instead of the terminal.

>>> slot = KernelSlot(cwd="notebooks", log="/tmp/kernel.log")                  # doctest: +SKIP
>>> execute_notebook("notebooks/01_weighting.ipynb", "/tmp/out.ipynb",
...                  {"lang": "en"}, slot=slot)                                 # doctest: +SKIP
1
>>> slot.shutdown()                                                             # doctest: +SKIP
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

__all__ = ["ENGINE", "KERNEL", "KernelSlot", "execute_notebook", "is_dead_kernel"]

#: The Jupyter kernel every notebook runs on.
KERNEL = "python3"
#: Name of the papermill engine that executes on a slot's kernel.
ENGINE = "lublin-diagnosis"
#: Seconds for a kernel to start and answer.
START_TIMEOUT = 30
_KERNEL_ARGS = ["--IPKernelApp.log_level=ERROR"]  # no "running over TCP" warning
_RESET = """\
import matplotlib.pyplot as _ld_plt
_ld_plt.close("all")
del _ld_plt
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""
_log = logging.getLogger(__name__)
_START_LOCK = threading.Lock()


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

    def _run(self, coro: Any) -> Any:
        from jupyter_core.utils import run_sync

        async def call() -> Any:
            return await coro

        return run_sync(call)()

    def acquire(self) -> Any:
        """The kernel manager of a ready kernel: a new kernel, or the previous one reset.

        Raises
        ------
        RuntimeError
            When a kernel does not start or does not answer in time.
        """
        if self.km is not None and (not self.reuse or not self._run(self.km.is_alive())):
            self.discard()
        if self.km is None:
            with _START_LOCK:  # one start at a time: no two kernels race for a port
                km = _manager_class(self.log)(kernel_name=KERNEL)
                self._run(km.start_kernel(cwd=str(self.cwd), extra_arguments=_KERNEL_ARGS))
                self.km = km
                try:
                    self._execute_silently("pass")
                except BaseException:
                    self.discard()
                    raise
        else:
            self._execute_silently(_RESET)
        return self.km

    def _execute_silently(self, code: str) -> None:
        async def run() -> None:
            kc = self.km.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=self.start_timeout)
                reply = await kc.execute_interactive(
                    code,
                    silent=True,
                    store_history=False,
                    timeout=self.start_timeout,
                    output_hook=lambda msg: None,
                )
            finally:
                kc.stop_channels()
            if reply["content"].get("status") != "ok":
                raise RuntimeError(f"Kernel died or failed to reset: {reply['content']}")

        self._run(run())

    def discard(self) -> None:
        """Shut the kernel down (now) and forget it."""
        km, self.km = self.km, None
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
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, km=km, **final)
            try:
                return client.execute()
            finally:
                if client.kc is not None:
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
    for attempt in (1, 2):
        try:
            km = slot.acquire()
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
            )
            return attempt
        except Exception as exc:
            if attempt == 1 and is_dead_kernel(exc):
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
