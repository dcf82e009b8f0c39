"""A run cache kept inside the output folder, so that a re-run does each thing once.

``<out>/.cache/`` holds what a run computed and rendered, each entry under a key of
everything it depends on; a later run into the same folder reuses every entry whose key
did not change:

* the scorecard tables (:func:`~lublin_diagnosis.pipeline.cache.scorecard_tables`, shared
  by the notebooks of both languages: the language changes words, never numbers);
* each **executed notebook** with every file it published (tables, figures, factsheets,
  its publishing records), keyed by :meth:`RunCache.job_key`: the sha256 of the
  notebook, of every file of the data folder, the job's parameters (``out_dir`` and
  ``cache_dir`` left out), its language and fan-out value and the package's code
  (:func:`code_fingerprint`: version, sources, templates, the versions of the
  distributions that compute and render). The entry also keeps the locale texts the
  notebook read (its kernel records them:
  :func:`~lublin_diagnosis.report.i18n.texts_used`), and is reused only while the locale
  files still say each of them the same;
* each **page**, keyed by its notebook's key, the locale texts of its language
  (:func:`locale_fingerprint`) and its navigation (the run id and git commit of its
  footer are filled in when the page is copied out);
* post-run outputs (the PDFs, the workbooks), through :meth:`RunCache.reuse`, keyed by
  whatever the caller names.

A warm run with unchanged inputs therefore starts no kernel, renders nothing and
recompiles no PDF: it copies. A run after editing a Polish text re-executes only the
Polish notebooks that read that text (their words changed; every other notebook is
copied), reads the scorecard from the cache (nothing is recomputed) and re-renders the
Polish pages, PDFs and workbook; a run after a change of navigation only re-renders the
pages.

The folder is marked by :data:`TAG` (a ``CACHEDIR.TAG``); the package deletes nothing
in an output folder but a cache folder so marked (see
:func:`~lublin_diagnosis.pipeline.folders.check_out_dir`), and after a successful run
removes the entries that run did not use, so the cache never outgrows one run.

>>> import tempfile
>>> cache = RunCache(Path(tempfile.mkdtemp()) / ".cache")
>>> calls = []
>>> def build(folder):
...     calls.append(1)
...     _ = (folder / "a.txt").write_text("made once")
>>> out = Path(tempfile.mkdtemp())
>>> cache.reuse("demo", {"x": 1}, build, out)
False
>>> cache.reuse("demo", {"x": 1}, build, out), len(calls), (out / "a.txt").read_text()
(True, 1, 'made once')
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from lublin_diagnosis.pipeline.manifest import PACKAGES, package_versions, sha256_file

__all__ = [
    "CACHE_DIR",
    "TAG",
    "TAG_TEXT",
    "RunCache",
    "code_fingerprint",
    "digest",
    "folder_fingerprint",
    "is_run_cache",
    "locale_fingerprint",
    "merge_staging",
    "staging_dir",
]

#: Name of the cache folder inside an output folder.
CACHE_DIR = ".cache"
#: The file of a job's entry with the locale texts its notebook read.
TEXTS_USED = "texts-used.json"
#: The file marking a folder as a run cache of this package.
TAG = "CACHEDIR.TAG"
#: Its text (the first line follows https://bford.info/cachedir/).
TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# written by lublin-diagnosis run: computed tables and rendered pages it reuses.\n"
    "# Safe to delete; the next run recomputes everything.\n"
)
_PACKAGE = Path(__file__).resolve().parents[1]
_LOCALES = _PACKAGE / "report" / "locales"
_NOT_CODE = ("notebooks", "report/locales")
_RUN_ID = "@@ld-run-id@@"
_COMMIT = "LDCOMMIT@@"  # as long as the commit a page's footer shows (10 characters)


def _stamps(run: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(placeholder, text) of what a page shows of its run: its id and the git commit
    (see the footer of :func:`~lublin_diagnosis.report.html.render_page`)."""
    git = run.get("git") or {}
    commit = str(git.get("commit") or "?")[:10] + ("+" if git.get("dirty") else "")
    return [(_RUN_ID, str(run.get("run_id", "?"))), (_COMMIT, commit)]


def digest(value: Any) -> str:
    """The sha256 (hex, 32 characters) of a JSON-able value, keys sorted.

    Examples
    --------
    >>> digest({"b": 1, "a": [1, 2]}) == digest({"a": [1, 2], "b": 1}) != digest({"a": 1})
    True
    """
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _files(root: Path, skip: Iterable[str] = ()) -> list[Path]:
    skipped = tuple(root / s for s in skip)
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and not p.name.startswith(".")
        and p.suffix not in (".pyc", ".pyo")
        and not any(p.is_relative_to(s) for s in skipped)
    )


def folder_fingerprint(root: str | Path, skip: Iterable[str] = ()) -> str:
    """sha256 over the names and contents of every file under ``root`` (hidden files,
    ``__pycache__`` and the sub-folders ``skip`` left out).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "a.csv").write_text("x\\n1\\n")
    >>> before = folder_fingerprint(root)
    >>> _ = (root / "a.csv").write_text("x\\n2\\n")
    >>> before != folder_fingerprint(root)
    True
    """
    root = Path(root)
    return digest({p.relative_to(root).as_posix(): sha256_file(p) for p in _files(root, skip)})


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The package's version, every source file but the notebooks and locale texts, and
    the versions of the distributions that compute and render (computed once per process)."""
    from lublin_diagnosis._version import __version__

    return digest(
        {
            "version": __version__,
            "files": folder_fingerprint(_PACKAGE, skip=_NOT_CODE),
            "packages": package_versions(PACKAGES),
        }
    )


def locale_fingerprint(lang: str) -> str:
    """The locale texts of one language (``report/locales/<lang>.yml`` and every topic
    folder's ``<lang>.yml``), and any other file of ``report/locales``.

    >>> locale_fingerprint("pl") != locale_fingerprint("en")
    True
    """
    from lublin_diagnosis.report.i18n import LANGUAGES

    files = [p for p in _files(_LOCALES) if p.name == f"{lang}.yml" or p.stem not in LANGUAGES]
    return digest({p.relative_to(_LOCALES).as_posix(): sha256_file(p) for p in files})


def is_run_cache(folder: str | Path) -> bool:
    """Whether ``folder`` is a run cache this package wrote (it holds :data:`TAG`).

    Examples
    --------
    >>> import tempfile
    >>> is_run_cache(tempfile.mkdtemp())
    False
    """
    try:
        return (Path(folder) / TAG).read_text(encoding="utf-8") == TAG_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def _copy_tree(source: Path, target: Path) -> None:
    """Copy every file of ``source`` into ``target`` (merging with what is there)."""
    for path in source.rglob("*"):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)


def _move_tree(source: Path, target: Path) -> None:
    """Move every file of ``source`` into ``target`` (merging), then remove ``source``."""
    for path in source.rglob("*"):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, dest)
    shutil.rmtree(source, ignore_errors=True)


class RunCache:
    """The cache folder of a run (created, and marked with :data:`TAG`, on first use).

    Parameters
    ----------
    folder : path
        ``<run folder>/.cache``.
    inputs : mapping, optional
        What every job depends on besides its own notebook and parameters (the data
        folder's fingerprint, ...); see :meth:`for_run`.
    notebooks_dir : path, optional
        Folder of the notebooks (their sha256 is part of each job's key).
    enabled : bool
        False: nothing is looked up (every job runs), entries are still written.
    """

    def __init__(
        self,
        folder: str | Path,
        *,
        inputs: Mapping[str, Any] | None = None,
        notebooks_dir: str | Path | None = None,
        enabled: bool = True,
    ) -> None:
        self.folder = Path(folder)
        self.inputs = dict(inputs or {})
        self.notebooks_dir = Path(notebooks_dir) if notebooks_dir else None
        self.enabled = enabled
        self.locales: dict[str, str] = {}
        self._texts: dict[str, dict[str, str]] = {}
        self._keys: dict[str, str] = {}
        self._used: set[str] = set()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @classmethod
    def for_run(
        cls,
        folder: str | Path,
        *,
        data_dir: Path,
        out_dir: Path,
        notebooks_dir: Path,
        enabled: bool = True,
    ) -> RunCache:
        """The cache of a run: keyed by the data folder (every file), the data folder as
        the pages name it (relative to the output folder), the code and (per language)
        the locale texts."""
        inputs = {
            "data": folder_fingerprint(data_dir),
            "data_dir": os.path.relpath(data_dir, out_dir),
            "code": code_fingerprint(),
        }
        return cls(folder, inputs=inputs, notebooks_dir=notebooks_dir, enabled=enabled)

    # ------------------------------------------------------------------ bookkeeping
    def _entry(self, kind: str, key: str) -> Path:
        with self._lock:
            self._used.add(f"{kind}/{key}")
        return self.folder / kind / key

    def _ready(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        tag = self.folder / TAG
        if not tag.is_file():
            tag.write_text(TAG_TEXT, encoding="utf-8")

    def _store(self, entry: Path, fill: Callable[[Path], None]) -> None:
        """Write an entry atomically: filled in a scratch folder, then renamed."""
        self._ready()
        scratch = entry.with_name(f".{entry.name}.{os.getpid()}.{threading.get_ident()}")
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        try:
            fill(scratch)
            shutil.rmtree(entry, ignore_errors=True)
            os.replace(scratch, entry)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def _hit(self, entry: Path, valid: Callable[[Path], bool] | None = None) -> bool:
        found = self.enabled and (entry / "done").is_file() and (valid is None or valid(entry))
        with self._lock:
            if found:
                self.hits += 1
            else:
                self.misses += 1
        return found

    def _once(self, known: dict[str, Any], lang: str, compute: Callable[[str], Any]) -> Any:
        """``compute(lang)``, kept in ``known`` for the rest of the run."""
        with self._lock:
            value = known.get(lang)
        if value is None:
            value = compute(lang)
            with self._lock:
                known[lang] = value
        return value

    def locale(self, lang: str) -> str:
        """The fingerprint of the locale texts of ``lang`` (computed once per run)."""
        return self._once(self.locales, lang, locale_fingerprint)

    def texts(self, lang: str) -> dict[str, str]:
        """The locale texts of ``lang`` as the files say at the start of the run (read
        once per run, anew: a long-lived process may have edited them)."""
        from lublin_diagnosis.report.i18n import current_texts

        return self._once(self._texts, lang, current_texts)

    def _same_texts(self, entry: Path) -> bool:
        """Whether the locale texts the entry's notebook read are still the same (an
        entry without the record, of an older version, is not reused)."""
        from lublin_diagnosis.report.i18n import texts_changed

        try:
            used = json.loads((entry / TEXTS_USED).read_text(encoding="utf-8"))
            return not texts_changed(used, {lang: self.texts(lang) for lang in used})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False

    # ------------------------------------------------------------------ jobs
    def job_key(self, job: Any) -> str:
        """The key of a job's executed notebook and published files (the locale texts
        it read are checked apart: :meth:`restore_job`)."""
        with self._lock:
            known = self._keys.get(job.name)
        if known is not None:
            return known
        book = None
        if self.notebooks_dir is not None:
            path = self.notebooks_dir / f"{job.step.notebook}.ipynb"
            book = sha256_file(path) if path.is_file() else None
        params = {
            k: v for k, v in job.params.items() if k not in ("out_dir", "cache_dir", "data_dir")
        }
        files = {  # a parameter naming a file (a framework outside the data folder)
            k: sha256_file(v)
            for k, v in params.items()
            if isinstance(v, str) and os.path.isabs(v) and os.path.isfile(v)
        }
        key = digest(
            {
                "notebook": job.step.notebook,
                "notebook_sha256": book,
                "lang": job.lang,
                "value": job.value,
                "params": params,
                "files": files,
                **self.inputs,
            }
        )
        with self._lock:
            self._keys[job.name] = key
        return key

    def restore_job(self, job: Any, root: Path) -> bool:
        """Copy a job's cached notebook and files into the run folder ``root``; False
        when the cache has no entry for it, or a locale text its notebook read changed."""
        entry = self._entry("jobs", self.job_key(job))
        if not self._hit(entry, self._same_texts):
            return False
        target = job.notebook_path(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copyfile(entry / "notebook.ipynb", target)
            if (entry / "files").is_dir():
                _copy_tree(entry / "files", root)
            os.utime(entry / "done")
        except FileNotFoundError:  # an entry damaged by hand: run the job
            shutil.rmtree(entry, ignore_errors=True)
            return False
        return True

    def store_job(
        self,
        job: Any,
        root: Path,
        staging: Path,
        texts_used: Mapping[str, Mapping[str, str | None]] | None = None,
    ) -> None:
        """Keep the executed notebook of ``job`` and the files it wrote into ``staging``
        (then moved into ``root``), with the locale texts it read (``texts_used``, of
        :func:`~lublin_diagnosis.pipeline.kernels.read_texts_used`;
        when unknown, the entry stands for every text of its language)."""
        from lublin_diagnosis.report.i18n import every_text_used

        entry = self._entry("jobs", self.job_key(job))
        if texts_used is None:
            texts_used = every_text_used(job.lang, self.texts(job.lang))

        def fill(folder: Path) -> None:
            shutil.copyfile(job.notebook_path(root), folder / "notebook.ipynb")
            if staging.is_dir():
                shutil.copytree(staging, folder / "files")
            (folder / TEXTS_USED).write_text(json.dumps(texts_used), encoding="utf-8")
            (folder / "done").write_text(job.name, encoding="utf-8")

        self._store(entry, fill)

    # ------------------------------------------------------------------ pages
    def page(
        self,
        job: Any,
        target: Path,
        context: Mapping[str, Any],
        run: Mapping[str, Any],
        render: Callable[[Path, Mapping[str, Any]], Any],
    ) -> bool:
        """Write the page of ``job`` to ``target``: from the cache when its notebook and
        ``context`` (navigation, title) are unchanged, else ``render(path, run)`` renders
        it (and the result is kept) with placeholders for the run id and the git commit,
        which are then filled in from ``run``. True when the page came from the cache."""
        key = digest({"job": self.job_key(job), "locales": self.locale(job.lang), **context})
        entry = self._entry("pages", key)
        hit = self._hit(entry)
        if not hit:
            neutral = {**run, "run_id": _RUN_ID, "git": {"commit": _COMMIT, "dirty": False}}

            def fill(folder: Path) -> None:
                render(folder / "page.html", neutral)
                (folder / "done").write_text(job.name, encoding="utf-8")

            self._store(entry, fill)
        else:
            os.utime(entry / "done")
        text = (entry / "page.html").read_text(encoding="utf-8")
        for placeholder, value in _stamps(run):
            text = text.replace(placeholder, value)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return hit

    @staticmethod
    def page_text(path: Path, run: Mapping[str, Any]) -> str:
        """A page's text with its run id and commit put back to placeholders (for keys)."""
        text = path.read_text(encoding="utf-8")
        for placeholder, value in _stamps(run):
            text = text.replace(value, placeholder)
        return text

    # ------------------------------------------------------------------ anything else
    def reuse(
        self, kind: str, key: Mapping[str, Any], build: Callable[[Path], None], target: Path
    ) -> bool:
        """Files made by ``build(folder)`` (writing into ``folder``), kept under ``key``
        and copied into ``target``; ``build`` runs only when the key is new. True when
        the files came from the cache."""
        entry = self._entry(kind, digest({**key, "code": self.inputs.get("code")}))
        hit = self._hit(entry)
        if not hit:

            def fill(folder: Path) -> None:
                (folder / "files").mkdir()
                build(folder / "files")
                (folder / "done").write_text(kind, encoding="utf-8")

            self._store(entry, fill)
        else:
            os.utime(entry / "done")
        if (entry / "files").is_dir():
            _copy_tree(entry / "files", target)
        return hit

    def prune(self, since: float) -> int:
        """Remove the entries this run did not use and the cached scorecards not read or
        written since ``since`` (a :func:`time.time`); the number removed."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for kind in self.folder.iterdir():
            if not kind.is_dir():
                continue
            for entry in kind.iterdir():
                if f"{kind.name}/{entry.name}" not in self._used:
                    shutil.rmtree(entry, ignore_errors=True)
                    removed += 1
        for path in self.folder.glob("*.pkl"):
            if path.stat().st_mtime < since:
                path.unlink(missing_ok=True)
                removed += 1
        for path in self.folder.glob("scorecard-*.lock"):
            if not path.with_suffix(".pkl").exists():
                path.unlink(missing_ok=True)
        return removed


def staging_dir(root: Path, job: Any) -> Path:
    """Where a job's notebook publishes before its files are kept and moved into ``root``."""
    return root / ".jobs" / job.lang / job.key


def merge_staging(staging: Path, root: Path) -> None:
    """Move a job's published files from its staging folder into the run folder."""
    if staging.is_dir():
        _move_tree(staging, root)
