"""Turn the executed notebooks of a run into its pages and workbooks.

:class:`Renderer` renders the page of each executed notebook (as soon as it ran, in the
worker that ran it), the bilingual landing page, each language's PDFs and the campaign
cards; :func:`workbook` collects the published tables of a language into
``tables.xlsx``; :class:`Finisher` runs those last steps side by side, each as soon as
what it reads is written.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from lublin_diagnosis.pipeline.manifest import sha256_file
from lublin_diagnosis.pipeline.plan import Job
from lublin_diagnosis.report.i18n import t

__all__ = ["Finisher", "Renderer", "nav_items", "workbook"]


def nav_items(jobs: Sequence[Job], dataset: Any, lang: str) -> list:
    """The navigation of a language's pages: the front page first."""
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


class Renderer:
    """Renders the page of each executed notebook, and the landing page at the end."""

    def __init__(
        self,
        jobs: Sequence[Job],
        *,
        root: Path,
        dataset: Any,
        langs: Sequence[str],
        run: Mapping[str, Any],
        cache: Any = None,
    ) -> None:
        self.jobs, self.root, self.langs, self.run = list(jobs), root, list(langs), run
        self.dataset = dataset
        self.synthetic = bool(dataset.synthetic)
        self.nav = {lang: nav_items(jobs, dataset, lang) for lang in langs}
        self.cache = cache
        self.timing: dict[str, float] = {}
        #: Printable content of each page rendered by this run (not copied from the cache),
        #: parsed as it was rendered, for the PDFs (``report.pdf.page_content``).
        self.contents: dict[Path, Any] = {}
        self._lock = threading.Lock()

    def page(self, job: Job) -> Path:
        """Render one executed notebook into its HTML page (copied from the run cache
        when its notebook, navigation and title are unchanged); a page rendered is also
        parsed for the PDFs (:attr:`contents`), while the other notebooks run."""
        from lublin_diagnosis.report.html import nav_html, render_page
        from lublin_diagnosis.report.pdf import page_content

        started = time.perf_counter()
        items = self.nav[job.lang]
        header = nav_html(
            items,
            here=job.page,
            lang=job.lang,
            other_langs=[x for x in self.langs if x != job.lang],
            synthetic=self.synthetic,
        )
        title = next(i.title for i in items if i.page == job.page)
        target = self.root / job.lang / job.page
        pages = {j.page for j in self.jobs if j.lang == job.lang}  # links to others are text

        def render(path: Path, run: Mapping[str, Any]) -> Path:
            return render_page(
                job.notebook_path(self.root),
                path,
                lang=job.lang,
                title=title,
                header=header,
                run=run,
                pages=pages,
                here=job.page,
            )

        if self.cache is None:
            render(target, self.run)
            rendered = True
        else:
            context = {
                "header": header,
                "title": title,
                "version": self.run.get("version"),
                "pages": sorted(pages),
            }
            rendered = not self.cache.page(job, target, context, self.run, render)
        if rendered:  # its PDFs will be built again: parse it now, not at the end of the run
            content = page_content(target.read_text(encoding="utf-8"))
            with self._lock:
                self.contents[target] = content
        self._add("pages", time.perf_counter() - started)
        return target

    def _add(self, stage: str, seconds: float) -> None:
        with self._lock:
            self.timing[stage] = self.timing.get(stage, 0.0) + seconds

    def pdfs(self, lang: str) -> None:
        """The report PDF and the institution letters of one language (``report.pdf``,
        ``letters/<id>.pdf``); from the run cache when the pages they print are unchanged.
        The languages are independent: a run builds them at the same time."""
        from lublin_diagnosis.report.pdf import write_pdfs

        lang_dir = self.root / lang
        if self.cache is None:
            write_pdfs(
                lang_dir,
                self.nav[lang],
                lang=lang,
                synthetic=self.synthetic,
                contents=self.contents,
            )
            return
        pages = [
            (i.page, i.title, self.cache.page_text(lang_dir / i.page, self.run))
            for i in self.nav[lang]
            if (lang_dir / i.page).is_file()
        ]
        figures = sorted(
            (p.relative_to(lang_dir).as_posix(), sha256_file(p))
            for p in (lang_dir / "figures").glob("*.png")
        )
        key = {
            "what": "pdfs",
            "lang": lang,
            "synthetic": self.synthetic,
            "pages": pages,
            "figures": figures,
            "locales": self.cache.locale(lang),
        }

        def build(folder: Path) -> None:
            # the PDFs read the pages (and their figures) of the language folder
            written = write_pdfs(
                lang_dir,
                self.nav[lang],
                lang=lang,
                synthetic=self.synthetic,
                contents=self.contents,
            )
            for path in written:
                dest = folder / path.relative_to(lang_dir)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)

        self.cache.reuse("pdfs", key, build, lang_dir)

    def cards(self) -> list[dict]:
        """The campaign cards of every area (of the run's ``areas``, when restricted) in the
        four card languages, whatever the run's languages (``cards/<lang>/``;
        :mod:`lublin_diagnosis.advocacy.campaign_cards`).

        They show the scorecard of the factsheets: written only when the plan has the
        factsheets step (``50_factsheets``), whose parameters give the scorecard (read from
        the run's cache, so nothing is re-computed); with a run cache they are copied from
        it when that step's inputs, the locale texts and the date on the cards are
        unchanged. Returns one entry per card for the manifest (read from the
        ``alt-text.json`` of each language): ``lang, area, indicator, files, alt``.
        """
        import json

        from lublin_diagnosis.advocacy.campaign_cards import (
            CARD_LANGUAGES,
            FORMATS,
            logo_files,
            write_cards,
        )
        from lublin_diagnosis.pipeline.cache import scorecard_tables
        from lublin_diagnosis.pipeline.parameters import check_params

        job = next((j for j in self.jobs if j.step.notebook == "50_factsheets"), None)
        if job is None:
            return []
        p = check_params(notebook=job.step.notebook, **job.params)
        run_id = str(self.run.get("run_id", ""))
        as_of = p.reference_date or (
            f"{run_id[:4]}-{run_id[4:6]}-{run_id[6:8]}" if run_id else None
        )

        def build(folder: Path) -> None:
            card = scorecard_tables(
                self.dataset,
                framework=p.framework,
                replicates=p.replicates,
                seed=p.seed,
                rules=p.rules,
                cache_dir=p.cache_dir,
                lonely_psu=p.lonely_psu,
            )
            write_cards(
                card,
                folder,
                logos=logo_files(self.dataset),
                rules=p.rules,
                synthetic=self.synthetic,
                framework=p.framework,
                as_of=as_of,
                areas=p.areas or None,  # a run restricted to some areas: theirs only
            )

        if self.cache is None:
            build(self.root)
        else:
            key = {
                "what": "cards",
                "job": self.cache.job_key(job),  # data (logos included), parameters, code
                "locales": [self.cache.locale(lang) for lang in ("pl", "en")],  # + uk, ru
                "as_of": str(as_of),
                "synthetic": self.synthetic,
            }
            self.cache.reuse("cards", key, build, self.root)
        entries = []
        for lang in CARD_LANGUAGES:
            index = self.root / "cards" / lang / "alt-text.json"
            listed = json.loads(index.read_text(encoding="utf-8"))["cards"]
            for stem, card in listed.items():
                entries.append(
                    {
                        "lang": lang,
                        "area": card["area"],
                        "indicator": card["indicator"],
                        "files": [
                            f"cards/{lang}/{stem}-{fmt}.{kind}" for fmt, kind in FORMATS.items()
                        ],
                        "alt": card["alt"],
                    }
                )
        return entries

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


class Finisher:
    """Runs the last steps of a run (each language's PDFs and workbook, the campaign
    cards) on ``workers`` threads, each as soon as what it reads is written: a language's
    PDFs and workbook once its last notebook ran and its pages are rendered, so they are
    built while the other language's notebooks run, the cards once the factsheets ran.

    Typst typesets outside Python's global lock, so PDFs and cards are built at the same
    time as each other, as a workbook and as the kernels. Each task's seconds are added to
    ``timing`` under its name's first part (``"pdf-en"`` counts as ``"pdf"``).
    :meth:`results` waits for every task and raises the first error, in the order the
    tasks were submitted; :meth:`cancel` drops the tasks not started and waits for the
    others (a failed run).

    Examples
    --------
    >>> timing = {}
    >>> finisher = Finisher(workers=2, timing=timing)
    >>> finisher.submit("a-pl", lambda: 1)
    True
    >>> finisher.submit("a-pl", lambda: 9)  # once per name
    False
    >>> _ = finisher.submit("a-en", lambda: 2), finisher.submit("b", lambda: 3)
    >>> finisher.results()
    {'a-pl': 1, 'a-en': 2, 'b': 3}
    >>> sorted(timing)
    ['a', 'b']
    """

    def __init__(self, *, workers: int, timing: dict[str, float] | None = None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ld-finish")
        self._futures: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.timing = timing

    def __contains__(self, name: str) -> bool:
        with self._lock:
            return name in self._futures

    def submit(self, name: str, task: Callable[[], Any]) -> bool:
        """Start ``task`` under ``name`` unless a task of that name was submitted."""
        with self._lock:
            if name in self._futures:
                return False
            self._futures[name] = self._pool.submit(self._timed, name, task)
            return True

    def _timed(self, name: str, task: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return task()
        finally:
            if self.timing is not None:
                stage = name.split("-", 1)[0]
                with self._lock:
                    self.timing[stage] = self.timing.get(stage, 0.0) + time.perf_counter() - started

    def results(self) -> dict[str, Any]:
        """Every task's result by name, once all ended (the first error is raised)."""
        self._pool.shutdown(wait=True)
        with self._lock:
            futures = dict(self._futures)
        return {name: future.result() for name, future in futures.items()}

    def cancel(self) -> None:
        """Drop the tasks not started; wait for the running ones."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def workbook(
    root: Path,
    records: Sequence[Any],
    lang: str,
    synthetic: bool = False,
    cache: Any = None,
) -> dict:
    """Write ``<lang>/tables.xlsx`` (full precision, labelled columns) and
    ``<lang>/datapackage.json`` of one language; ``{(lang, table): sheet}``. With a run
    ``cache`` they are copied from it when the language's tables (their CSV files, names,
    titles and fields) are unchanged. The languages are independent: a run writes them at
    the same time."""
    from lublin_diagnosis.report.html import sheet_names

    mine = [r for r in records if r.kind == "table" and r.lang == lang]
    if not mine:
        return {}
    names = dict(zip([r.name for r in mine], sheet_names([r.name for r in mine]), strict=True))

    def build(folder: Path) -> None:
        _workbook(root, folder, mine, lang, synthetic)

    if cache is None:
        build(root)
    else:
        key = {
            "what": "workbook",
            "lang": lang,
            "synthetic": synthetic,
            "tables": [
                (r.name, r.title, r.files, r.fields, sha256_file(root / r.files[-1])) for r in mine
            ],
            "locales": cache.locale(lang),
        }
        cache.reuse("workbooks", key, build, root)
    return {(lang, n): sheet for n, sheet in names.items()}


def _workbook(root: Path, target: Path, mine: Sequence[Any], lang: str, synthetic: bool) -> None:
    """The workbook and data package of one language's tables, written under ``target``."""
    import pandas as pd

    from lublin_diagnosis.report.html import write_workbook

    tables = [
        (r.name, r.title, _labelled(pd.read_csv(root / r.files[-1]), r.fields, lang)) for r in mine
    ]
    write_workbook(target / lang / "tables.xlsx", tables, lang=lang)
    _datapackage(target, mine, lang, synthetic)


def _labelled(frame: Any, fields: Sequence[Mapping[str, Any]], lang: str) -> Any:
    """A table read from its full-precision file, its machine column codes replaced by
    their labels in ``lang`` (the workbook is for people; the CSVs keep the codes)."""
    labels = {f["name"]: (f.get("titles") or {}).get(lang, f["name"]) for f in fields}
    return frame.rename(columns=labels)


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
