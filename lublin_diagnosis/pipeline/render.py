"""Turn the executed notebooks of a run into its pages and workbooks.

:class:`Renderer` renders the page of each executed notebook (as soon as it ran, in the
worker that ran it) and the bilingual landing page at the end; :func:`workbooks` collects
the published tables of each language into ``tables.xlsx``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from lublin_diagnosis.pipeline.plan import Job
from lublin_diagnosis.report.i18n import t

__all__ = ["Renderer", "nav_items", "workbooks"]


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
    ) -> None:
        self.jobs, self.root, self.langs, self.run = list(jobs), root, list(langs), run
        self.synthetic = bool(dataset.synthetic)
        self.nav = {lang: nav_items(jobs, dataset, lang) for lang in langs}

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
            pages={j.page for j in self.jobs if j.lang == job.lang},
            here=job.page,
        )

    def pdfs(self) -> None:
        """The report PDF and the institution letters of each language (``report.pdf``,
        ``letters/<id>.pdf``)."""
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


def workbooks(
    root: Path, records: Sequence[Any], langs: Sequence[str], synthetic: bool = False
) -> dict:
    """Write ``<lang>/tables.xlsx`` (full precision, labelled columns) and
    ``<lang>/datapackage.json`` of every language; ``{(lang, table): sheet}``."""
    import pandas as pd

    from lublin_diagnosis.report.html import write_workbook

    sheets: dict[tuple[str, str], str] = {}
    for lang in langs:
        tables = [
            (r.name, r.title, _labelled(pd.read_csv(root / r.files[-1]), r.fields, lang))
            for r in records
            if r.kind == "table" and r.lang == lang
        ]
        if tables:
            names = write_workbook(root / lang / "tables.xlsx", tables, lang=lang)
            sheets.update({(lang, n): s for n, s in names.items()})
            _datapackage(root, records, lang, synthetic)
    return sheets


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
