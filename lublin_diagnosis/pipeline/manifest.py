"""The manifest of a run: what went in, what came out, with which software, how long it took.

``manifest.json`` sits at the top of every run folder. It records the run id, the
parameters, the git commit of the package (and whether the working tree had uncommitted
changes), the versions of Python and of every installed distribution
(:func:`package_versions`, read with :mod:`importlib.metadata`), the sha256 of every input
(data files, framework file, notebooks) and of every output file, every published table
and figure, and the time each notebook took. ``lublin-diagnosis verify`` re-runs a
diagnosis from it.

A manifest holds no absolute path: every path is relative to a named base
(:func:`published_path`): ``data`` (the data folder), ``out`` (the run folder),
``notebooks`` (the notebooks folder) or ``package`` (the installed package), and
:func:`resolve_published` turns it back into a path on the machine that reads it.

>>> sha256_file(__file__) == sha256_file(__file__)
True
>>> versions = package_versions()
>>> versions["pandas"] == metadata.version("pandas"), "lublin-diagnosis" in versions
(True, True)
>>> bases = {"data": Path("/srv/data/demo"), "out": Path("/srv/outputs/demo")}
>>> published_path(Path("/srv/data/demo/survey.csv"), bases)
{'base': 'data', 'path': 'survey.csv'}
>>> published_path(Path("/srv/frameworks/mine.yml"), bases)
{'base': 'out', 'path': '../../frameworks/mine.yml'}
>>> resolve_published({'base': 'out', 'path': '../../frameworks/mine.yml'}, bases).as_posix()
'/srv/frameworks/mine.yml'
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import subprocess
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from lublin_diagnosis.exceptions import PipelineError

__all__ = [
    "MANIFEST",
    "PACKAGES",
    "git_state",
    "hash_tree",
    "input_files",
    "package_versions",
    "published_path",
    "read_manifest",
    "resolve_published",
    "sha256_file",
    "write_manifest",
]

#: File name of the manifest in a run folder.
MANIFEST = "manifest.json"
#: The distributions that compute or render a report (a manifest records every installed
#: distribution; these are the ones a reader looks for first).
PACKAGES: tuple[str, ...] = (
    "lublin-diagnosis",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbformat",
    "nbclient",
    "nbconvert",
    "ipykernel",
    "openpyxl",
    "pyyaml",
    "pyarrow",
    "tqdm",
)


def sha256_file(path: str | Path) -> str:
    """The sha256 of a file, in hex."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def hash_tree(
    root: str | Path, *, exclude: Iterable[str] = (MANIFEST,), exclude_dirs: Iterable[str] = ()
) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root`` (POSIX paths, sorted),
    but the files ``exclude`` and the top-level folders ``exclude_dirs`` (not entered).

    The files are hashed on a few threads (hashlib works outside Python's global lock):
    the manifest of a run is the last thing it writes, and a run waits for it.

    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "a").mkdir(); _ = (root / "a" / "x.txt").write_text("x")
    >>> (root / ".cache").mkdir(); _ = (root / ".cache" / "y").write_text("y")
    >>> hash_tree(root, exclude_dirs=[".cache"])
    {'a/x.txt': '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881'}
    """
    from concurrent.futures import ThreadPoolExecutor

    root = Path(root)
    skip = set(exclude)
    skip_dirs = set(exclude_dirs)
    names: list[str] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder).relative_to(root)
        if here == Path("."):
            dirs[:] = [d for d in dirs if d not in skip_dirs]
        dirs.sort()
        for name in files:
            rel = (here / name).as_posix()
            if rel not in skip and (root / rel).is_file():
                names.append(rel)
    names.sort(key=lambda rel: rel.split("/"))  # as paths sort: folder by folder
    with ThreadPoolExecutor(max_workers=4, thread_name_prefix="ld-hash") as pool:
        digests = list(pool.map(lambda rel: sha256_file(root / rel), names))
    return dict(zip(names, digests, strict=True))


def package_versions(names: Iterable[str] | None = None) -> dict[str, str | None]:
    """Version of every installed distribution, sorted by name (or of ``names`` only,
    None for one that is not installed).

    Names are normalised as in PEP 503 (lower case, ``-`` for runs of ``-_.``).
    """
    if names is not None:
        out: dict[str, str | None] = {}
        for name in names:
            try:
                out[name] = metadata.version(name)
            except metadata.PackageNotFoundError:
                out[name] = None
        return out
    found: dict[str, str | None] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            key = "-".join(name.replace("_", "-").replace(".", "-").lower().split("-"))
            found.setdefault(key, dist.version)
    return dict(sorted(found.items()))


def published_path(path: str | Path, bases: Mapping[str, Path]) -> dict[str, str]:
    """``{"base": name, "path": relative}`` for a path under one of ``bases`` (the first
    that holds it), else relative to ``bases["out"]`` (``..`` steps, never absolute).
    """
    path = Path(os.path.abspath(path))
    for name, base in bases.items():
        try:
            return {"base": name, "path": path.relative_to(base).as_posix()}
        except ValueError:
            continue
    rel = os.path.relpath(path, bases["out"])
    return {"base": "out", "path": Path(rel).as_posix()}


def resolve_published(entry: Mapping[str, str], bases: Mapping[str, Path]) -> Path:
    """The path a :func:`published_path` entry names on this machine.

    Raises
    ------
    PipelineError
        When the entry names a base that ``bases`` does not have, or is absolute.
    """
    base, rel = entry.get("base"), str(entry.get("path", ""))
    if base not in bases or Path(rel).is_absolute():
        raise PipelineError(
            f"manifest entry {dict(entry)!r} names no known folder "
            f"({', '.join(bases)}); it was not written by this version of the package"
        )
    return Path(os.path.normpath(bases[base] / rel))


def git_state(path: str | Path | None = None) -> dict[str, Any]:
    """Commit and dirty flag of the git checkout holding ``path`` (default: the package).

    The checkout is dirty when a tracked file is modified or a file that is not ignored
    is untracked (both can change what a run computes).

    Returns ``{"commit": None, "dirty": None}`` outside a git checkout or without git.
    """
    where = Path(path) if path is not None else Path(__file__).resolve().parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(where), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
            timeout=20,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit, "dirty": bool(status.strip())}


def input_files(
    dataset: Any, *, framework_path: Path | None, notebooks: Iterable[Path]
) -> dict[str, Path]:
    """Every input of a run, by the name the manifest gives it.

    Data files are named ``data/<file>`` (relative to the data folder), the framework
    ``framework/<file>`` and the notebooks ``notebooks/<file>``.
    """
    data_dir = Path(dataset.data_dir)
    files = (
        {"data/dataset.yml": data_dir / "dataset.yml"}
        if (data_dir / "dataset.yml").exists()
        else {}
    )
    for path in dataset.paths.values():
        path = Path(path)
        try:
            name = path.resolve().relative_to(data_dir.resolve()).as_posix()
        except ValueError:
            name = path.name
        files[f"data/{name}"] = path
    if framework_path is not None:
        files[f"framework/{framework_path.name}"] = framework_path
    for nb in notebooks:
        files[f"notebooks/{Path(nb).name}"] = Path(nb)
    return dict(sorted(files.items()))


def write_manifest(out_dir: str | Path, content: Mapping[str, Any]) -> Path:
    """Write ``content`` as ``manifest.json`` with the Python and package versions added."""
    data = dict(content)
    data.setdefault(
        "python",
        {
            "version": sys.version.split()[0],
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
        },
    )
    data.setdefault("packages", package_versions())
    path = Path(out_dir) / MANIFEST
    path.write_text(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )
    return path


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The manifest of a run folder.

    Raises
    ------
    PipelineError
        When the folder has no readable ``manifest.json``.
    """
    path = Path(out_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError(
            f"{path} does not exist: {out_dir} is not the output folder of a 'lublin-diagnosis run'"
        ) from None
    except json.JSONDecodeError as exc:
        raise PipelineError(f"{path} is not valid JSON ({exc})") from None
