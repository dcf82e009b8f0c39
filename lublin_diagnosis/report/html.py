"""Render a run's executed notebooks into the HTML report and its tables into a workbook.

Pages are executed notebooks converted by nbconvert's ``HTMLExporter`` **without code
cells** (``exclude_input``), with figures embedded as PNG, using the package's template
``templates/ld_report.html.j2`` (JupyterLab's page without scripts, so it works offline). Every page
gets the same header: the SYNTHETIC-data banner when the data is synthetic, the navigation
(front page, data checks, weighting, each area) and a link to the same page in the other
language; and a footer with the run id and commit.

:func:`write_workbook` puts every table of a language into one XLSX file, one sheet per
table after an index sheet.

>>> sheet_names(["area-social_assistance-indicators-2022",
...              "area-social_assistance-indicators-2023"])
['001 area-social_assistance-indi', '002 area-social_assistance-indi']
"""

from __future__ import annotations

import html
import math
import os
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.report import formatting
from lublin_diagnosis.report.escape import FORMULA_PREFIX, scrub_soup
from lublin_diagnosis.report.i18n import t

__all__ = [
    "NOTES_TAG",
    "NavItem",
    "OWN_FIGURES",
    "PUBLIC_FIGURES",
    "landing_page",
    "nav_html",
    "render_page",
    "sheet_names",
    "write_workbook",
]

#: Figures drawn from public figures (their sources are listed under them): the caption
#: says so instead of "own calculations".
PUBLIC_FIGURES: tuple[str, ...] = ("context-", "peers-")
#: ... except these, drawn from the diagnosis's own scores.
OWN_FIGURES: tuple[str, ...] = ("peers-scores",)
_KERNEL_NOISE = ("ERROR! Session/line number was not unique", "history database")
_NBCONVERT_ALT = "No description has been provided for this image"
_TEMPLATE = "ld_report.html.j2"  # in templates/; extends lab/index.html.j2
#: Figures whose name starts so are illustrations (the glossary's simulated picture): their
#: caption names no data source.
_ILLUSTRATION = "glossary-"
#: Tag of notebook cells written for the notebook's reader, left out of the report.
NOTES_TAG = "notes"

_CSS = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --link: #0b5394; --red: #b00020; }
html { font-size: 100%; }
body, body.jp-Notebook { font-family: "Source Sans 3", "Segoe UI", system-ui, -apple-system,
  "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.5;
  max-width: 62rem; margin: 0 auto; padding: 0 1rem 2rem; text-align: left; }
.jp-RenderedMarkdown p, .jp-RenderedMarkdown li { max-width: 42rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 1rem 0 .6rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
a { color: var(--link); }
.anchor-link { display: none; }
.ld-synthetic { background: var(--red); color: #fff; font-weight: 700; padding: .6rem 1rem;
  margin: 0 0 .8rem; border-radius: 4px; font-size: 1.05rem; letter-spacing: .02em; }
.ld-nav { font-size: .9rem; line-height: 1.6; border-bottom: 1px solid var(--line);
  padding: .4rem 0 .6rem; margin-bottom: 1rem; }
.ld-nav a { text-decoration: none; color: var(--link); }
.ld-nav .ld-here, .ld-nav [aria-current] { font-weight: 700; color: var(--ink); }
.ld-nav > a, .ld-nav > .ld-here { white-space: nowrap; }
.ld-nav ul { margin: .2rem 0; padding-left: 1.2rem; columns: 2; }
.ld-lang { float: right; font-weight: 700; }
.ld-footer { font-size: .8rem; color: var(--muted); border-top: 1px solid var(--line);
  margin-top: 2rem; padding-top: .5rem; }
.ld-table-wrap { overflow-x: auto; margin: .3rem 0 1.4rem; max-width: 100%; }
.jp-Cell, .jp-OutputArea, .jp-OutputArea-child, .jp-OutputArea-output {
  max-width: 100%; min-width: 0; overflow-wrap: break-word; }
.ld-nav details summary { cursor: pointer; }
.jp-RenderedHTMLCommon table.ld-table, table.ld-table { border-collapse: collapse;
  font-size: .88rem; table-layout: auto; margin: 0; }
.jp-RenderedHTMLCommon table.ld-table caption, table.ld-table caption { caption-side: top;
  text-align: left; font-weight: 700; padding: .2rem 0 .4rem;
  position: sticky; left: 0; max-width: calc(100vw - 2.5rem); }
/* a table wider than a phone scrolls sideways; its caption stays in view, wrapped */
.jp-RenderedHTMLCommon table.ld-table th, .jp-RenderedHTMLCommon table.ld-table td,
table.ld-table th, table.ld-table td { border: 0; border-bottom: 1px solid var(--line);
  padding: .25rem .6rem; text-align: left; vertical-align: top; background: none;
  max-width: 28rem; white-space: normal; }
.jp-RenderedHTMLCommon table.ld-table th, table.ld-table th {
  border-bottom: 2px solid var(--ink); vertical-align: bottom; }
.jp-RenderedHTMLCommon table.ld-table tbody tr, table.ld-table tbody tr { background: none; }
.jp-RenderedHTMLCommon table.ld-table .ld-num, table.ld-table .ld-num { text-align: right;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.jp-RenderedHTMLCommon table.ld-table th.ld-num, table.ld-table th.ld-num {
  white-space: normal; min-width: 4.5rem; }
table.ld-table details summary { cursor: pointer; color: var(--link); }
figure.ld-figure { margin: 1rem 0 1.6rem; }
figure.ld-figure img { max-width: 100%; height: auto; display: block; }
figure.ld-figure figcaption { font-size: .88rem; color: var(--muted); margin-top: .3rem;
  max-width: 42rem; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
@media (max-width: 40rem) {
  body, body.jp-Notebook { padding: 0 .6rem 1.5rem; }
  h1 { font-size: 1.45rem; }
  .ld-nav ul { columns: 1; }
  .ld-lang { float: none; display: block; }
}
@media print { .ld-nav { display: none; } body, body.jp-Notebook { max-width: none; } }
"""


@dataclass(frozen=True)
class NavItem:
    """One entry of the navigation: a page (relative to the language folder) and its title;
    ``group`` collects fan-out pages under a heading (e.g. the areas)."""

    page: str
    title: str
    group: str = ""


def _rel(target: str, here: str) -> str:
    return Path(os.path.relpath(target, Path(here).parent.as_posix() or ".")).as_posix()


def nav_html(
    items: Sequence[NavItem],
    *,
    here: str,
    lang: str,
    other_langs: Sequence[str] = (),
    synthetic: bool = False,
) -> str:
    """The header of a page: synthetic-data banner, navigation, language links.

    Parameters
    ----------
    items : sequence of NavItem
        Every page of the language, in order.
    here : str
        The page being rendered (relative to the language folder).
    lang : str
        Its language; ``other_langs`` get a link to the same page in theirs.
    synthetic : bool
        Show the SYNTHETIC-data banner.

    Examples
    --------
    >>> header = nav_html([NavItem("report.html", "Summary")], here="report.html", lang="en",
    ...                   synthetic=True)
    >>> print(header.splitlines()[1][:51])
    <div class="ld-synthetic">SYNTHETIC DATA – invented
    """
    parts = ['<header class="ld-header">']
    if synthetic:
        parts.append(
            f'<div class="ld-synthetic">{html.escape(t("report.synthetic_banner", lang))}</div>'
        )
    parts.append('<nav class="ld-nav">')
    for other in other_langs:
        parts.append(
            f'<a class="ld-lang" hreflang="{other}" '
            f'href="{html.escape(_rel(f"../{other}/{here}", here))}">'
            f"{html.escape(t('report.language_name', other))}</a>"
        )
    groups: dict[str, list[str]] = {}
    current: set[str] = set()
    singles: list[str] = []
    for item in items:
        link = (
            f'<span class="ld-here" aria-current="page">{html.escape(item.title)}</span>'
            if item.page == here
            else f'<a href="{html.escape(_rel(item.page, here))}">{html.escape(item.title)}</a>'
        )
        if item.group:
            groups.setdefault(item.group, []).append(link)
            if item.page == here:
                current.add(item.group)
        else:
            singles.append(link)
    parts.append(" · ".join(singles))
    for group, links in groups.items():  # folded, open where the current page is
        parts.append(
            f"<details{' open' if group in current else ''}><summary><strong>"
            f"{html.escape(group)}</strong></summary><ul>"
            + "".join(f"<li>{link}</li>" for link in links)
            + "</ul></details>"
        )
    parts.append("</nav></header>")
    return "\n".join(parts)


def _footer(run: Mapping[str, Any], lang: str) -> str:
    commit = (run.get("git") or {}).get("commit") or "?"
    dirty = (run.get("git") or {}).get("dirty")
    text = t(
        "report.footer",
        lang,
        run_id=run.get("run_id", "?"),
        commit=commit[:10] + ("+" if dirty else ""),
        version=run.get("version", "?"),
    )
    return f'<footer class="ld-footer">{html.escape(text)}</footer>'


def render_page(
    notebook: str | Path,
    target: str | Path,
    *,
    lang: str,
    title: str,
    header: str,
    run: Mapping[str, Any],
    pages: Collection[str] | None = None,
    here: str = "",
) -> Path:
    """Render one executed notebook as an HTML page without code cells.

    Cells tagged :data:`NOTES_TAG` (notes for whoever opens the notebook) and outputs on
    stderr (warnings) are left out of the page; they stay in the executed notebook.

    Parameters
    ----------
    notebook : path
        The executed notebook.
    target : path
        The HTML file to write (its folder is created).
    lang, title : str
        Page language and ``<title>``.
    header : str
        HTML put at the top of the page (see :func:`nav_html`).
    run : mapping
        ``run_id``, ``git`` and ``version`` for the footer.
    pages : collection of str, optional
        The pages of the language in this run (relative to the language folder), with
        ``here`` among them (``"areas/health.html"``): a link to another page
        of the language that the run did not write (a run restricted to some areas)
        becomes plain text.
    here : str
        The page being rendered, relative to the language folder (default: the target's
        file name).
    """
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    nb.cells = [c for c in nb.cells if NOTES_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", []) if not _is_noise(o)]
    nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(
        nb,
        resources={
            "ld_header": header,
            "ld_footer": _footer(run, lang),
            "ld_css": _CSS,
            "language_code": lang,
        },
    )
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    page = _finish(body, lang, here=here or target.name, pages=pages)
    target.write_text(page, encoding="utf-8")
    return target


_EXPORTERS = threading.local()


def _exporter() -> Any:
    """nbconvert's HTML exporter of the pages, made once per thread (loading its
    templates costs more than rendering a page)."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        templates = resources.files("lublin_diagnosis.report").joinpath("templates")
        exporter = _page_exporter_class()(
            template_name="lab",
            template_file=_TEMPLATE,
            extra_template_paths=[str(templates)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        _EXPORTERS.exporter = exporter
    return exporter


def _page_exporter_class() -> type:
    """nbconvert's HTML exporter without its last pass over the page (parsing it to add
    default alt texts and ``tabindex`` attributes): :func:`_finish` parses every page
    once for all its changes and makes those two itself."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class _PageExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> Any:
            # HTMLExporter.from_notebook_node up to its final BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return _PageExporter


def _prune_links(soup: Any, *, here: str, pages: Collection[str]) -> None:
    """Replace, in the parsed page ``soup``, every link to a page of its language that
    is not in ``pages`` by its text.

    >>> from bs4 import BeautifulSoup
    >>> soup = BeautifulSoup('<p><a href="areas/x.html#t">x</a> <a href="g.html">g</a></p>',
    ...                      features="html.parser")
    >>> _prune_links(soup, here="report.html", pages={"report.html", "g.html"}); str(soup)
    '<p>x <a href="g.html">g</a></p>'
    """
    from urllib.parse import unquote, urlparse

    folder = Path(here).parent
    for link in soup.find_all("a", href=True):
        url = urlparse(link["href"])
        if url.scheme or url.netloc or not url.path.endswith(".html"):
            continue
        target = os.path.normpath((folder / unquote(url.path)).as_posix())
        if not target.startswith("..") and target not in pages:
            link.unwrap()


def _is_noise(output: Mapping[str, Any]) -> bool:
    """Warnings (stderr) and the kernel's own messages (IPython's history database:
    ``ERROR! Session/line number was not unique``) never reach a page."""
    if output.get("output_type") != "stream":
        return False
    text = "".join(output.get("text", ""))
    return output.get("name") == "stderr" or any(marker in text for marker in _KERNEL_NOISE)


def _finish(body: str, lang: str, *, here: str = "", pages: Collection[str] | None = None) -> str:
    """The page parsed once and made safe
    (:func:`~lublin_diagnosis.report.escape.scrub_soup`), every image given alt text in
    the page's language, outputs made focusable (as nbconvert does), figures numbered
    and sourced, and links to pages the run did not write made text (``pages``, see
    :func:`render_page`)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, features="html.parser")
    scrub_soup(soup)
    default = t("report.image_alt", lang)
    for img in soup.find_all("img"):
        if not img.get("alt") or img["alt"] == _NBCONVERT_ALT:
            img["alt"] = default
    for output in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        output["tabindex"] = "0"
    for number, caption in enumerate(soup.select("figure.ld-figure figcaption"), start=1):
        label = soup.new_tag("strong")
        label.string = t("report.figure_label", lang, n=number) + " "
        caption.insert(0, label)
        img = caption.find_previous_sibling("img")
        if img is not None and img.get("data-name") and caption.parent is not None:
            caption.parent["id"] = f"figure-{img['data-name']}"
        if (
            img is not None
            and img.get("data-name")
            and not img["data-name"].startswith(_ILLUSTRATION)
        ):
            source = soup.new_tag("span", attrs={"class": "ld-source"})
            key = (
                "report.figure_source_public"
                if img["data-name"].startswith(PUBLIC_FIGURES)
                and img["data-name"] not in OWN_FIGURES
                else "report.figure_source"
            )
            source.string = ". " + t(key, lang, name=img["data-name"])
            caption.append(source)
    if soup.html is not None:
        soup.html["lang"] = lang
    if soup.head is not None and soup.head.find("meta", charset=True) is None:
        soup.head.insert(0, soup.new_tag("meta", attrs={"charset": "utf-8"}))
    if pages is not None:
        _prune_links(soup, here=here, pages=pages)
    return str(soup)


def landing_page(
    target: str | Path,
    *,
    langs: Sequence[str],
    pages: Mapping[str, str],
    synthetic: bool,
    run: Mapping[str, Any],
    title: Mapping[str, str],
) -> Path:
    """The run's top-level ``report.html``: one column per language, each linking to its
    report (``pages[lang]``), with the SYNTHETIC banner in every language.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = landing_page(pathlib.Path(tempfile.mkdtemp()) / "report.html", langs=["pl", "en"],
    ...                  pages={"pl": "pl/report.html", "en": "en/report.html"},
    ...                  synthetic=True, run={"run_id": "r1"}, title={"pl": "A", "en": "B"})
    >>> "DANE SYNTETYCZNE" in p.read_text() and "en/report.html" in p.read_text()
    True
    """
    blocks = []
    for lang in langs:
        banner = (
            f'<div class="ld-synthetic">{html.escape(t("report.synthetic_banner", lang))}</div>'
            if synthetic
            else ""
        )
        blocks.append(
            f'<section lang="{lang}">{banner}<h1>{html.escape(title[lang])}</h1>'
            f"<p>{html.escape(t('report.landing_intro', lang))}</p>"
            f'<p><a href="{html.escape(pages[lang])}"><strong>'
            f"{html.escape(t('report.open_report', lang))}</strong></a></p>"
            f"{_footer(run, lang)}</section>"
        )
    doc = (
        f'<!DOCTYPE html>\n<html lang="{langs[0]}">\n<head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>{html.escape(' / '.join(title[lang] for lang in langs))}</title>"
        f"<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        f"padding:0 1rem}} section{{margin-bottom:3rem}}{_CSS}</style></head>\n<body>"
        + "\n<hr>\n".join(blocks)
        + "\n</body></html>\n"
    )
    target = Path(target)
    target.write_text(doc, encoding="utf-8")
    return target


def sheet_names(names: Sequence[str]) -> list[str]:
    """Short unique Excel sheet names (at most 31 characters): a running number, then as
    much of the table's name as fits; the contents sheet links each to its table.

    >>> sheet_names(["area-social_assistance-indicators-2022", "b"])
    ['001 area-social_assistance-indi', '002 b']
    """
    out = []
    for k, name in enumerate(names, start=1):
        base = "".join("_" if c in "[]:*?/\\'" else c for c in name)
        out.append(f"{k:03d} {base}"[:31])
    return out


def write_workbook(
    target: str | Path, tables: Sequence[tuple[str, str, pd.DataFrame]], *, lang: str
) -> dict[str, str]:
    """Write every table into one XLSX file; return ``{table name: sheet name}``.

    The first sheet, ``index``, lists every table with its title and a link to its sheet.
    Every sheet has its header row frozen, an autofilter, column widths to fit, number
    formats with one precision per column, and Tak/Nie (Yes/No) for true/false; a text
    cell that a spreadsheet would read as a formula is written as text.

    Parameters
    ----------
    target : path
    tables : sequence of (name, title, DataFrame)
    lang : str
        Language of the contents sheet and of the yes/no values.

    Examples
    --------
    >>> import tempfile, pathlib, pandas as pd
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "tables.xlsx"
    >>> write_workbook(path, [("a", "Table A", pd.DataFrame({"x": [1]}))], lang="en")
    {'a': '001 a'}
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheets = sheet_names([name for name, _, _ in tables])
    index = pd.DataFrame(
        {
            t("columns.sheet", lang): sheets,
            t("columns.title", lang): [title for _, title, _ in tables],
            t("columns.table", lang): [n for n, _, _ in tables],
        }
    )
    yes_no = {True: t("values.yes", lang).capitalize(), False: t("values.no", lang).capitalize()}
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # openpyxl directly: pandas' ExcelWriter looks every sheet up by name on each write,
    # which grows with the square of the number of sheets (238 tables: 6 s of 8)
    book = Workbook()
    contents = book.active
    contents.title = "index"
    _write_rows(contents, index)
    for row, sheet in enumerate(sheets, start=2):
        cell = contents.cell(row=row, column=1)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{sheet}'!A1")
        cell.style = "Hyperlink"
    for sheet, (_, _, frame) in zip(sheets, tables, strict=True):
        shown = frame.copy()
        for i in range(shown.shape[1]):
            if pd.api.types.is_bool_dtype(shown.iloc[:, i]):
                shown.isetitem(i, shown.iloc[:, i].map(yes_no))
        worksheet = book.create_sheet(sheet)
        _write_rows(worksheet, shown)
        _dress(worksheet, shown)
    _dress(contents, index)
    for worksheet in book.worksheets:
        _cells_as_text(worksheet)
    book.save(target)
    return {name: sheet for (name, _, _), sheet in zip(tables, sheets, strict=True)}


def _write_rows(worksheet: Any, frame: pd.DataFrame) -> None:
    """The header and rows of ``frame`` appended to ``worksheet``: missing values as
    empty cells, numpy numbers as Python numbers, infinities as text."""
    worksheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        worksheet.append([_cell_value(v) for v in row])


def _cell_value(value: Any) -> Any:
    """One value as openpyxl writes it (see :func:`_write_rows`).

    >>> import numpy as np
    >>> [_cell_value(v) for v in (np.int64(3), np.nan, pd.NA, None, "a", np.inf, 2.5)]
    [3, None, None, None, 'a', 'inf', 2.5]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def _number_format(values: pd.Series) -> str | None:
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return None
    present = values.dropna()
    if len(present) and all(float(v).is_integer() and 1900 <= v <= 2100 for v in present):
        return "0"  # years
    digits = formatting.column_digits(values)
    return "#,##0" + ("." + "0" * digits if digits else "")


def _dress(worksheet: Any, frame: pd.DataFrame) -> None:
    """Frozen header, autofilter, widths and number formats of one sheet."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    worksheet.freeze_panes = "A2"
    if frame.shape[1]:
        worksheet.auto_filter.ref = worksheet.dimensions
    for i, (_, values) in enumerate(frame.items()):  # by position: headers may repeat
        letter = get_column_letter(i + 1)
        texts = [str(frame.columns[i])] + [str(v) for v in values.head(200)]
        worksheet.column_dimensions[letter].width = min(max(map(len, texts)) + 2, 60)
        worksheet.cell(row=1, column=i + 1).font = Font(bold=True)
        fmt = _number_format(values)
        if fmt:
            for (cell,) in worksheet.iter_rows(
                min_row=2, min_col=i + 1, max_col=i + 1, max_row=len(frame) + 1
            ):
                cell.number_format = fmt


def _cells_as_text(worksheet: Any) -> None:
    """Every text cell of ``worksheet`` that a spreadsheet would read as a formula is
    written as a string (and loses the CSV's protective apostrophe): the workbook never
    holds a formula from data."""
    for row in worksheet.iter_rows():
        for cell in row:
            value = cell.value
            if not isinstance(value, str):
                continue
            if value.startswith("'") and value[1:].startswith(FORMULA_PREFIX):
                value = value[1:]
            if value.startswith(FORMULA_PREFIX) or cell.data_type == "f":
                cell.value = value
                cell.data_type = "s"
                cell.quotePrefix = True
