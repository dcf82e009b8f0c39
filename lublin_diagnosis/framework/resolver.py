"""The one rule that turns a framework reference into a framework.

A dataset names its framework in ``dataset.yml`` (``framework: lublin-14`` or
``framework: frameworks/local.yml``), a run may override it (``-p framework=...``) and a
researcher may pass one to any function that takes ``framework=``. Every one of those
goes through :func:`resolve_framework`, so ``validate``, ``run``, the notebooks, the
scores and the recommendations all use the same file:

- a :class:`~lublin_diagnosis.framework.model.Framework` is used as it is;
- nothing (``None`` or ``""``) means the dataset's framework, or ``lublin-14`` when there
  is no dataset;
- a bare name (no folder, no ``.yml``/``.yaml`` suffix) is a framework shipped with the
  package (:func:`~lublin_diagnosis.framework.model.available_frameworks`);
- anything else is a file; a relative path is taken from the **data folder** (never from
  the working directory) when there is one, so a run started anywhere reads the same file.

Shipped frameworks are read once per process; a file is read again when it changes.

Examples
--------
>>> resolve_framework("lublin-14").id
'lublin-14'
>>> framework_source("local.yml", data_dir="/data/lublin")
'/data/lublin/local.yml'
>>> framework_source(None)
'lublin-14'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

from lublin_diagnosis.framework.model import Framework, load_framework

__all__ = ["DEFAULT_FRAMEWORK", "framework_source", "resolve_framework"]

#: The framework of a dataset whose ``dataset.yml`` names none.
DEFAULT_FRAMEWORK = "lublin-14"

FrameworkRef = Framework | str | PathLike[str] | None


def _is_name(ref: str | PathLike[str]) -> bool:
    return (
        isinstance(ref, str)
        and "/" not in ref
        and "\\" not in ref
        and not ref.lower().endswith((".yml", ".yaml"))
    )


def _data_dir_of(dataset: Any, data_dir: str | PathLike[str] | None) -> Path | None:
    if data_dir is None and dataset is not None:
        data_dir = getattr(dataset, "data_dir", None)
    return None if data_dir is None else Path(data_dir).expanduser()


def framework_source(
    framework: str | PathLike[str] | None = None,
    *,
    dataset: Any = None,
    data_dir: str | PathLike[str] | None = None,
) -> str:
    """Where a framework comes from: a shipped name, or the absolute path of its file.

    The text can be passed to a notebook (``-p framework=``) and names the same framework
    whatever that notebook's working directory is.

    Parameters
    ----------
    framework : str or path, optional
        A shipped name, a path, or nothing for the dataset's framework.
    dataset : Dataset, optional
        Gives ``meta["framework"]`` (when ``framework`` is empty) and ``data_dir``.
    data_dir : path, optional
        The folder relative paths are taken from (default: ``dataset.data_dir``; with
        neither, the working directory).

    Returns
    -------
    str

    Examples
    --------
    >>> framework_source("lublin-14", data_dir="/data")
    'lublin-14'
    >>> framework_source("/frameworks/fw.yml", data_dir="/data")
    '/frameworks/fw.yml'
    """
    if framework is None or str(framework).strip() == "":
        meta: Mapping[str, Any] = getattr(dataset, "meta", None) or {}
        framework = meta.get("framework") or DEFAULT_FRAMEWORK
    if _is_name(framework):
        return str(framework).strip()
    path = Path(framework).expanduser()
    folder = _data_dir_of(dataset, data_dir)
    if not path.is_absolute() and folder is not None:
        path = folder / path
    return str(path.absolute())


def resolve_framework(
    framework: FrameworkRef = None,
    *,
    dataset: Any = None,
    data_dir: str | PathLike[str] | None = None,
) -> Framework:
    """The framework a reference names (see the module docstring for the rule).

    Parameters
    ----------
    framework : Framework, str or path, optional
        The framework itself, a shipped name, a path, or nothing for the dataset's.
    dataset : Dataset, optional
        Gives ``meta["framework"]`` and ``data_dir``.
    data_dir : path, optional
        The folder relative paths are taken from (default: ``dataset.data_dir``).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkError
        When the name is not shipped, the file does not exist (the message gives the
        path that was tried) or breaks the format.

    Examples
    --------
    >>> fw = resolve_framework("lublin-14")
    >>> resolve_framework(fw) is fw
    True
    >>> resolve_framework("lublin-14") is fw
    True
    """
    if isinstance(framework, Framework):
        return framework
    source = framework_source(framework, dataset=dataset, data_dir=data_dir)
    if _is_name(source):
        return _shipped(source)
    try:
        stat = Path(source).stat()
    except OSError:
        return load_framework(source)  # raises FrameworkError naming the path
    return _file(source, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _shipped(name: str) -> Framework:
    return load_framework(name)


@lru_cache(maxsize=8)
def _file(path: str, mtime_ns: int, size: int) -> Framework:
    return load_framework(path)
