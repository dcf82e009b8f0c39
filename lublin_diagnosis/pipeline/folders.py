"""The output folder of a run: what may be replaced, a lock against two runs, leftovers.

A run writes into ``<parent>/.<name>.tmp-<run id>/`` beside its output folder
``<parent>/<name>/`` and swaps it into place when everything succeeded. Around that:

* :func:`check_out_dir` refuses an output folder that is neither new, nor empty, nor the
  run of this package: a folder is a run only when its ``manifest.json`` was written by
  ``lublin-diagnosis run`` and every other file in it is listed in that manifest with the
  same sha256. A foreign or edited file is named and nothing is deleted.
* :class:`OutputLock` is an ``O_EXCL`` lock file ``<parent>/.<name>.lock`` holding the pid
  and host of the run; a second run into the same folder is refused while the first
  runs. A lock whose process is gone (a killed run) is stale and taken over.
* :func:`clean_leftovers` removes the temporary folders of killed runs
  (``.<name>.tmp-*``, ``.<name>.old-*``); :func:`keep_last_failure` keeps only the
  folder of the latest failed run (``.<name>.failed-<run id>``).

>>> import tempfile
>>> parent = Path(tempfile.mkdtemp())
>>> check_out_dir(parent / "new")                 # a new folder: fine
>>> (parent / "mine").mkdir(); _ = (parent / "mine" / "thesis.docx").write_text("mine")
>>> check_out_dir(parent / "mine")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lublin_diagnosis.exceptions.PipelineError: output folder ... holds files that are not the output of an earlier 'lublin-diagnosis run' (no manifest.json); nothing was deleted. Give a new or empty folder, or move these files away: thesis.docx
>>> with OutputLock(parent / "new") as lock:
...     lock.path.name
'.new.lock'
>>> sorted(p.name for p in parent.iterdir())
['mine']
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import shutil
import socket
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import PipelineError
from lublin_diagnosis.pipeline.manifest import MANIFEST, sha256_file
from lublin_diagnosis.pipeline.runcache import CACHE_DIR, is_run_cache

__all__ = [
    "OutputLock",
    "check_out_dir",
    "clean_leftovers",
    "failed_dir",
    "is_disk_full",
    "keep_last_failure",
    "swap_into_place",
    "tmp_dir",
]

#: The command a manifest must name for its folder to count as a run of this package.
RUN_COMMAND = "lublin-diagnosis run"
_SHOWN = 5


def tmp_dir(out: Path, run_id: str) -> Path:
    """Where a run is written before it is swapped into place."""
    return out.with_name(f".{out.name}.tmp-{run_id}")


def failed_dir(out: Path, run_id: str) -> Path:
    """Where a failed run is kept (the latest failure only)."""
    return out.with_name(f".{out.name}.failed-{run_id}")


def _listing(names: list[str]) -> str:
    more = f" and {len(names) - _SHOWN} more" if len(names) > _SHOWN else ""
    return ", ".join(names[:_SHOWN]) + more


def _foreign_files(out: Path) -> tuple[list[str], str]:
    """Files of ``out`` a run did not write (or that changed since), and why."""
    cache = out / CACHE_DIR
    skip = cache if is_run_cache(cache) and not cache.is_symlink() else None
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if (p.is_file() or p.is_symlink()) and not (skip and p.is_relative_to(skip))
    )
    if not files:
        return [], ""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return files, f"no {MANIFEST}"
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return files, f"its {MANIFEST} is not one this package wrote"
    outputs = manifest.get("outputs") if isinstance(manifest, dict) else None
    if manifest.get("command") != RUN_COMMAND or not isinstance(outputs, dict):
        return files, f"its {MANIFEST} is not one this package wrote"
    foreign = [f for f in files if f != MANIFEST and f not in outputs]
    if foreign:
        return foreign, f"not listed in its {MANIFEST}"
    changed = [
        f
        for f in files
        if f != MANIFEST and ((out / f).is_symlink() or sha256_file(out / f) != outputs[f])
    ]
    return changed, "changed since the run wrote them" if changed else ""


def check_out_dir(out: str | Path) -> None:
    """Refuse an output folder that a run could not replace without losing a file.

    Fine: a folder that does not exist, an empty one, or the run of this package
    (``manifest.json`` written by ``lublin-diagnosis run`` and every other file listed
    in it, unchanged), besides its run cache (a ``.cache`` folder marked by
    :data:`~lublin_diagnosis.pipeline.runcache.TAG`).

    Raises
    ------
    PipelineError
        Naming the folder and the first foreign files; nothing is deleted.
    """
    out = Path(out)
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise PipelineError(
            f"output folder {out} exists and is not a folder; give a new or empty folder"
        )
    foreign, why = _foreign_files(out)
    if foreign:
        raise PipelineError(
            f"output folder {out} holds files that are not the output of an earlier "
            f"'lublin-diagnosis run' ({why}); nothing was deleted. Give a new or empty "
            f"folder, or move these files away: {_listing(foreign)}"
        )


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would signal the process there: assume alive
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


class OutputLock:
    """An exclusive lock on an output folder: ``<parent>/.<name>.lock`` (pid and host).

    Use as a context manager; the parent folder is created. A lock left by a process
    that no longer runs on this host is stale and taken over.

    Raises
    ------
    PipelineError
        When another live run holds the lock (naming its pid and the lock file), or the
        parent folder cannot be written.
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.path = self.out.with_name(f".{self.out.name}.lock")
        self._held = False

    def _holder(self) -> dict[str, Any]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def _stale(self, holder: dict[str, Any]) -> bool:
        pid = holder.get("pid")
        if holder.get("host") != socket.gethostname() or not isinstance(pid, int):
            return False
        return not _alive(pid)

    def acquire(self) -> OutputLock:
        """Take the lock (once more after removing a stale one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                if self._stale(holder):
                    with contextlib.suppress(FileNotFoundError):
                        self.path.unlink()
                    continue
                who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}"
                raise PipelineError(
                    f"another run ({who}) is writing into {self.out}; wait for it to end, "
                    f"or delete {self.path} if no run is going on"
                ) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump({"pid": os.getpid(), "host": socket.gethostname()}, fh)
            self._held = True
            return self
        raise PipelineError(f"could not take the lock {self.path}; try again")

    def release(self) -> None:
        """Remove the lock file (if this lock holds it)."""
        if self._held:
            self._held = False
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> OutputLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def clean_leftovers(out: Path) -> list[Path]:
    """Remove the temporary folders of killed runs into ``out`` (call with the lock held)."""
    removed = []
    for pattern in (f".{out.name}.tmp-*", f".{out.name}.old-*"):
        for path in out.parent.glob(pattern):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def keep_last_failure(out: Path, tmp: Path, run_id: str, *, keep: bool = True) -> Path | None:
    """Move the failed run ``tmp`` to :func:`failed_dir` and remove earlier failed runs.

    With ``keep=False`` (a full disk, an interruption) the failed run is removed too.
    Returns the kept folder, or None.
    """
    for path in out.parent.glob(f".{out.name}.failed-*"):
        shutil.rmtree(path, ignore_errors=True)
    if not tmp.exists():
        return None
    if not keep:
        shutil.rmtree(tmp, ignore_errors=True)
        return None
    failed = failed_dir(out, run_id)
    os.rename(tmp, failed)
    return failed


def is_disk_full(exc: BaseException) -> bool:
    """Whether an error (or its cause) is a full disk or quota."""
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


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


def swap_into_place(tmp: Path, out: Path, run_id: str) -> None:
    """Put ``tmp`` at ``out``; the previous ``out`` stays until the new one is in place.

    ``out`` is checked once more (:func:`check_out_dir`) right before: a file put into it
    while the run ran is not lost.
    """
    check_out_dir(out)
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
