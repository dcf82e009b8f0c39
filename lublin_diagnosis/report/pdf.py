"""The printed report and the institution letters: PDFs typeset by Typst (``typst`` from
PyPI: pip only, its fonts embedded, no network at build time).

The content is taken from the rendered HTML pages (:func:`page_blocks`: headings,
paragraphs, list items, the display tables and the numbered figures) and handed to the
Typst templates (``templates/ld_report.typ``, ``templates/ld_letter.typ``) as **JSON
data**: a text from the data is a string value that Typst never parses as markup, so no
escaping can be forgotten. The report has an A4 cover (with the SYNTHETIC banner when the
data is synthetic), a table of contents, page numbers and numbered figures and tables;
a letter is addressed to its institution and carries its page of the report.

>>> blocks = page_blocks_from_html('<main><h1>Tytuł</h1><p>Tekst #1 *x*</p></main>', None)
>>> [(b["kind"], b["text"]) for b in blocks]
[('heading', 'Tytuł'), ('par', 'Tekst #1 *x*')]
"""

from __future__ import annotations

import base64
import json
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from lublin_diagnosis.report.i18n import t

__all__ = [
    "Contents",
    "page_blocks",
    "page_blocks_from_html",
    "page_content",
    "place_figures",
    "write_letter_pdf",
    "write_pdfs",
    "write_report_pdf",
    "write_summary_pdf",
]

_SKIP_PARENTS = ("table", "figure", "header", "nav", "footer", "details")
_MAX_COLUMNS = 8


def _text(element: Any) -> str:
    """The element's text on one line; the space put between its parts is dropped before
    punctuation (``<em>x</em>.`` is "x.", not "x .").

    >>> from bs4 import BeautifulSoup
    >>> _text(BeautifulSoup("<p>same <b>indicators</b><span>. Source: x.</span></p>",
    ...                     features="html.parser"))
    'same indicators. Source: x.'
    """
    return _BEFORE_PUNCTUATION.sub(r"\1", " ".join(element.get_text(" ").split()))


_BEFORE_PUNCTUATION = re.compile(r" ([.,;:!?)])(?=\s|$)")


def _table(element: Any) -> dict[str, Any]:
    caption = element.find("caption")
    header = [_text(th) for th in element.select("thead th")][:_MAX_COLUMNS]
    rows = []
    for tr in element.select("tbody tr"):
        cells = []
        for td in tr.find_all("td")[:_MAX_COLUMNS]:
            details = td.find("details")
            if details is not None and details.find("summary") is not None:
                details.find("summary").decompose()
            cells.append(_text(td))
        rows.append(cells)
    numeric = [
        i for i, th in enumerate(element.select("thead th")) if "ld-num" in th.get("class", [])
    ]
    lengths = [
        max([len(r[i]) for r in rows if i < len(r)] + [len(h)]) for i, h in enumerate(header)
    ]
    words = [
        max(
            len(w)
            for text in [h] + [r[i] for r in rows if i < len(r)]
            for w in text.split() or [""]
        )
        for i, h in enumerate(header)
    ]
    return {
        "kind": "table",
        "widths": _column_widths(lengths, words),
        "caption": _text(caption) if caption else "",
        "header": header,
        "rows": rows,
        "numeric": [i for i in numeric if i < _MAX_COLUMNS],
    }


#: Characters of a 7.5 pt table line across the text width of the report and the letters
#: (16.6 cm of Libertinus Serif, bold headers, less the cells' insets).
_TABLE_CHARS = 120


def _column_widths(lengths: Sequence[int], words: Sequence[int]) -> list[float]:
    """Relative widths (Typst ``fr``) of a table's columns: as the longest text of each
    column (at most 60 characters) would have them, except that no column is narrower
    than its longest word, so that a word never runs into the next column.

    Parameters
    ----------
    lengths : sequence of int
        The longest text (header or cell) of each column, in characters.
    words : sequence of int
        The longest word of each column.

    Examples
    --------
    >>> _column_widths([5, 60], [5, 12])  # room for both: as their texts
    [11.0, 66.0]
    >>> w = _column_widths([12, 200, 200, 200], [12, 10, 10, 10])
    >>> round(w[0] / sum(w) * 120, 1) >= 12 * 1.15
    True
    """
    desired = [float(min(n, 60) + 6) for n in lengths]
    need = [w * 1.15 + 2 for w in words]
    fixed: dict[int, float] = {}
    while True:  # give a column its need while its share is smaller, share out the rest
        free = [i for i in range(len(desired)) if i not in fixed]
        room = _TABLE_CHARS - sum(fixed.values())
        total = sum(desired[i] for i in free)
        short = [i for i in free if total and desired[i] / total * room < need[i]]
        if not short or room <= 0:
            break
        fixed.update({i: need[i] for i in short})
    if not fixed:
        return desired
    room = max(_TABLE_CHARS - sum(fixed.values()), 1.0)
    total = sum(desired[i] for i in range(len(desired)) if i not in fixed) or 1.0
    return [
        round(fixed[i] if i in fixed else desired[i] / total * room, 2) for i in range(len(desired))
    ]


def _figure(element: Any) -> dict[str, Any]:
    """A figure of the page: its PNG (None when it has none: not printed), caption, alt."""
    img = element.find("img")
    src = img.get("src", "") if img is not None else ""
    png = (
        base64.b64decode(src.split(",", 1)[1]) if src.startswith("data:image/png;base64,") else None
    )
    caption = element.find("figcaption")
    text = _text(caption) if caption else ""
    strong = caption.find("strong") if caption else None
    if strong is not None:  # the page's own number: Typst numbers the figures of the PDF
        text = text[len(_text(strong)) :].strip()
    alt = img.get("alt", "") if img is not None else ""
    return {"kind": "figure", "png": png, "caption": text, "alt": alt}


_PRINTED = frozenset({"h1", "h2", "h3", "p", "li", "table", "figure"})


def _printable(node: Any) -> Iterator[Any]:
    """The printed elements under ``node`` in document order; nothing inside a table,
    a figure, the navigation, header, footer, a folded detail or the synthetic banner
    (one walk over the tree instead of a search of every element's parents)."""
    for child in node.children:
        if child.name is None:  # text, a comment
            continue
        if child.name in _PRINTED:
            yield child
        if child.name not in _SKIP_PARENTS and "ld-synthetic" not in child.get("class", []):
            yield from _printable(child)


def page_content(page: str) -> list[dict[str, Any]]:
    """The printable blocks of one rendered page, in order, parsed once: a figure block
    holds its PNG bytes (``png``), placed in a PDF's folder by :func:`place_figures`.
    A run computes it as each page is rendered, so its PDFs only typeset."""
    from bs4 import BeautifulSoup

    # lxml's parser: the page is the package's own and only its text is read (3x faster)
    soup = BeautifulSoup(page, features="lxml")
    blocks: list[dict[str, Any]] = []
    for element in _printable(soup):
        if element.name in ("h1", "h2", "h3"):
            text = _text(element).rstrip("¶").strip()
            if text:
                blocks.append({"kind": "heading", "level": int(element.name[1]), "text": text})
        elif element.name == "table":
            if "ld-table" in element.get("class", []):
                blocks.append(_table(element))
        elif element.name == "figure":
            blocks.append(_figure(element))
        else:
            text = _text(element)
            if text:
                blocks.append({"kind": "item" if element.name == "li" else "par", "text": text})
    return blocks


def place_figures(content: Sequence[Mapping[str, Any]], images: Path | None) -> list[dict]:
    """The blocks of :func:`page_content` for a PDF: each figure's PNG written into the
    folder ``images`` (numbered on from the figures already there) and named by its
    block; without ``images``, or without a PNG, a figure is left out."""
    count = len(list(images.glob("figure-*.png"))) if images is not None else 0
    blocks: list[dict[str, Any]] = []
    for block in content:
        if block["kind"] != "figure":
            blocks.append(dict(block))
            continue
        count += 1
        if images is None or block["png"] is None:
            continue
        path = images / f"figure-{count:03d}.png"
        path.write_bytes(block["png"])
        blocks.append(
            {"kind": "figure", "path": path.name, "caption": block["caption"], "alt": block["alt"]}
        )
    return blocks


def page_blocks_from_html(page: str, images: Path | None) -> list[dict[str, Any]]:
    """The printable blocks of one rendered page, in order; figures are written into the
    folder ``images`` (none when it is None)."""
    return place_figures(page_content(page), images)


#: Contents of rendered pages by page file (see :func:`page_content`), computed as a run
#: renders them; a page not in it is read from its file.
Contents = Mapping[Path, Sequence[Mapping[str, Any]]]


def page_blocks(
    html_path: str | Path, images: Path | None, contents: Contents | None = None
) -> list[dict[str, Any]]:
    """:func:`page_blocks_from_html` of a page file (its content from ``contents`` when
    the run already parsed it)."""
    content = (contents or {}).get(Path(html_path))
    if content is None:
        content = page_content(Path(html_path).read_text(encoding="utf-8"))
    return place_figures(content, images)


def _compile(template: str, data: Mapping[str, Any], build: Path, target: Path) -> Path:
    import typst

    folder = resources.files("lublin_diagnosis.report").joinpath("templates")
    for name in (template, "ld_blocks.typ"):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        (build / ("main.typ" if name == template else name)).write_text(text, encoding="utf-8")
    (build / "content.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf = typst.compile(str(build / "main.typ"), root=str(build), ignore_system_fonts=True)
    target.write_bytes(pdf)
    return target


def _labels(lang: str, synthetic: bool) -> dict[str, Any]:
    return {
        "lang": lang,
        "synthetic": synthetic,
        "banner": t("report.synthetic_banner", lang) if synthetic else "",
        "contents": t("report.pdf_contents", lang),
        "figure": t("report.pdf_figure", lang),
        "table": t("report.pdf_table", lang),
        "page": t("report.pdf_page", lang),
    }


def write_report_pdf(
    target: str | Path,
    sections: Sequence[tuple[str, str | Path]],
    *,
    lang: str,
    title: str,
    subtitle: str,
    synthetic: bool,
    contents: Contents | None = None,
) -> Path:
    """The whole report of a language as one A4 PDF.

    Parameters
    ----------
    target : path
        ``<lang>/report.pdf``.
    sections : sequence of (title, html path)
        The pages in the order of the navigation.
    lang, title, subtitle : str
    synthetic : bool
        Print the SYNTHETIC banner on the cover and in every page header.
    contents : mapping, optional
        Pages already parsed (:func:`page_content`), by page file.
    """
    build = Path(tempfile.mkdtemp(prefix="ld-pdf-"))
    try:
        data = {
            **_labels(lang, synthetic),
            "title": title,
            "subtitle": subtitle,
            "sections": [
                {"title": name, "blocks": page_blocks(path, build, contents)}
                for name, path in sections
            ],
        }
        return _compile("ld_report.typ", data, build, Path(target))
    finally:
        shutil.rmtree(build, ignore_errors=True)


def write_letter_pdf(
    target: str | Path,
    page: str | Path,
    *,
    lang: str,
    institution: str,
    sender: str,
    synthetic: bool,
    contents: Contents | None = None,
) -> Path:
    """One institution's letter: addressed to it, with its page of the report (its
    findings, the evidence, its recommendations with status and the consultation group's
    opinions, the follow-up)."""
    build = Path(tempfile.mkdtemp(prefix="ld-letter-"))
    try:
        data = {
            **_labels(lang, synthetic),
            "to": institution,
            "sender": sender,
            "opening": t("report.letter_opening", lang, name=institution),
            "closing": t("report.letter_closing", lang),
            "blocks": page_blocks(page, build, contents),
        }
        return _compile("ld_letter.typ", data, build, Path(target))
    finally:
        shutil.rmtree(build, ignore_errors=True)


def write_summary_pdf(
    target: str | Path,
    page: str | Path,
    *,
    lang: str,
    title: str,
    synthetic: bool,
    contents: Contents | None = None,
) -> Path:
    """A page of the report as a compact summary on one A4 page when it is short enough
    (``activities.pdf``): its headings, paragraphs, tables and figures (at 60 % of the
    width) in a smaller type and narrower margins than the report."""
    build = Path(tempfile.mkdtemp(prefix="ld-summary-"))
    try:
        blocks = page_blocks(page, build, contents)
        data = {**_labels(lang, synthetic), "title": title, "blocks": blocks, "figure_scale": 0.6}
        return _compile("ld_summary.typ", data, build, Path(target))
    finally:
        shutil.rmtree(build, ignore_errors=True)


def write_pdfs(
    lang_dir: str | Path,
    items: Sequence[Any],
    *,
    lang: str,
    synthetic: bool,
    contents: Contents | None = None,
) -> list[Path]:
    """Every PDF of a language folder: ``report.pdf`` (every page of the navigation
    ``items``, in order), ``letters/<id>.pdf`` for each institution page and
    ``activities.pdf`` (a one-page summary) when the run wrote ``activities.html``.

    ``contents`` holds the pages the run already parsed (:func:`page_content`). The
    report and the letters are typeset side by side (Typst works outside Python's
    global lock): a run waits for the longest, the report, not for their sum."""
    from concurrent.futures import ThreadPoolExecutor

    lang_dir = Path(lang_dir)
    pages = [(i.title, lang_dir / i.page) for i in items if (lang_dir / i.page).is_file()]
    tasks = [
        partial(
            write_report_pdf,
            lang_dir / "report.pdf",
            pages,
            lang=lang,
            title=t("report.title", lang),
            subtitle=t("report.pdf_subtitle", lang),
            synthetic=synthetic,
            contents=contents,
        )
    ]
    if (lang_dir / "activities.html").is_file():
        tasks.append(
            partial(
                write_summary_pdf,
                lang_dir / "activities.pdf",
                lang_dir / "activities.html",
                lang=lang,
                title=t("activities.pdf_title", lang),
                synthetic=synthetic,
                contents=contents,
            )
        )
    letters = [
        partial(
            write_letter_pdf,
            lang_dir / "letters" / f"{Path(item.page).stem}.pdf",
            lang_dir / item.page,
            lang=lang,
            institution=item.title,
            sender=t("report.letter_sender", lang),
            synthetic=synthetic,
            contents=contents,
        )
        for item in items
        if item.page.startswith("institutions/") and (lang_dir / item.page).is_file()
    ]

    def all_letters() -> list[Path]:
        return [letter() for letter in letters]

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="ld-pdf") as pool:
        report = pool.submit(lambda: [task() for task in tasks])
        others = pool.submit(all_letters)
        return report.result() + others.result()
