"""The page guard over a small run of the whole plan in both languages (the injected run of
``conftest.py``): what a reader of any page must never meet, checked on every page of the
run, so a page a new step adds is guarded without a change here."""

import functools
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from bs4 import BeautifulSoup

from lublin_diagnosis.report.i18n import t

#: Words of failure a page must not show.
FAILURE = re.compile(r"\b(ERROR|Traceback|nan|NaN|inf|-inf|None)\b")
#: A year of the survey era (2010-2029) with a thousands separator: 2 022, 2,022, 2.022
#: (a count such as 2,000 is not a year).
YEAR_WITH_SEPARATOR = re.compile(r"\b2[\s\u00a0\u2009\u202f,.]0[12]\d\b")
#: A machine code: lower-case words joined by underscores (status, evidence, indicator ids).
CODE = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/.-])")
#: Bare one-word codes of the inputs that must be translated on a Polish page.
WORD_CODES = re.compile(
    r"\b(in_progress|partially_implemented|acknowledged|implemented|rejected|issued|"
    r"document_review|foi_request|questionnaire|web_audit|amend|oppose)\b"
)


def _pages(run):
    return sorted(
        p for p in run.rglob("*.html") if "notebooks" not in p.parts and ".cache" not in p.parts
    )


def _text(soup, payload):
    text = soup.get_text(" ")
    return text.replace(payload, " ").replace(payload.strip(), " ")


@pytest.fixture(scope="module")
def pages(injected_run):
    return {
        p.relative_to(injected_run).as_posix(): BeautifulSoup(p.read_text("utf-8"), "html.parser")
        for p in _pages(injected_run)
    }


def test_no_failure_words(pages, payload):
    for name, soup in pages.items():
        found = FAILURE.findall(_text(soup, payload))
        assert not found, (name, found[:5])


def test_no_year_with_a_separator(pages, payload):
    for name, soup in pages.items():
        found = YEAR_WITH_SEPARATOR.findall(_text(soup, payload))
        assert not found, (name, found[:5])


def test_no_bare_code_on_a_polish_page(pages, payload):
    for name, soup in pages.items():
        if not name.startswith(("pl/", "cards/pl/")):
            continue
        text = _text(soup, payload)
        found = CODE.findall(text) + WORD_CODES.findall(text)
        assert not found, (name, sorted(set(found))[:10])


def test_html_lang_and_the_current_page(pages):
    for name, soup in pages.items():
        parts = name.split("/")
        if parts[0] == "cards":  # cards/<lang>/index.html: a gallery, outside the navigation
            assert soup.html.get("lang") == parts[1], name
            continue
        lang = parts[0] if "/" in name else soup.html.get("lang")
        assert soup.html.get("lang") == lang, name
        if "/" in name:
            assert soup.select('[aria-current="page"]'), name


def test_every_page_of_the_plan_in_both_languages(injected_run, pages):
    from lublin_diagnosis.pipeline.plan import PLAN

    for lang in ("pl", "en"):
        for step in PLAN:
            pattern = f"{lang}/" + step.page.format(value="*")
            assert any(Path(name).match(pattern) for name in pages), pattern


def _alt_prefixes(lang):
    """The fixed beginnings of the alt texts the report writes in ``lang``."""
    figure = t("report.figure_alt", lang, title="\0").split("\0")[0]
    return tuple(x for x in (figure, t("report.image_alt", lang)) if x.strip())


def test_every_image_has_alt_text_in_the_page_language(pages):
    for name, soup in pages.items():
        lang = soup.html.get("lang")
        other = "en" if lang == "pl" else "pl"
        for img in soup.find_all("img"):
            alt = img.get("alt") or ""
            assert alt.strip(), (name, str(img)[:80])
            assert "No description has been provided" not in alt, name
            assert not alt.startswith(_alt_prefixes(other)), (name, alt)
            if lang == "pl":
                assert not alt.startswith(("Chart:", "A figure")), (name, alt)


def test_figures_are_numbered_with_captions(pages):
    for name, soup in pages.items():
        lang = soup.html.get("lang")
        figures = soup.select("figure.ld-figure")
        for number, figure in enumerate(figures, start=1):
            caption = figure.find("figcaption")
            assert caption is not None, name
            assert caption.get_text().startswith(t("report.figure_label", lang, n=number)), name


@functools.cache
def _ids(path):
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    return frozenset(tag["id"] for tag in soup.find_all(id=True))


def test_internal_links_resolve(injected_run, pages):
    """Every relative link reaches a file of the run, and its #anchor an element of it."""
    for name, soup in pages.items():
        here = injected_run / name
        for link in soup.find_all("a", href=True):
            url = urlparse(link["href"])
            if url.scheme or url.netloc:
                continue
            target = (here.parent / unquote(url.path)).resolve() if url.path else here
            assert Path(target).exists(), (name, link["href"])
            if url.fragment and target.suffix == ".html":
                ids = _ids(target)
                assert url.fragment in ids or unquote(url.fragment) in ids, (name, link["href"])


def test_no_kernel_noise(pages):
    for name, soup in pages.items():
        assert "Session/line number" not in soup.get_text(), name


@pytest.mark.xfail(
    reason="known: the injected names are ~200 characters of unbreakable markup, so row "
    "labels alone are wider than the page (the demo's figures are checked in "
    "tests/pipeline/test_pipeline.py::test_no_figure_text_outside_its_canvas_on_the_demo)",
    strict=False,
)
def test_no_figure_text_outside_its_canvas(injected_run):
    """Checked on the drawn extents of every text when each figure was saved."""
    figures = json.loads((injected_run / "manifest.json").read_text("utf-8"))["figures"]
    assert figures
    outside = {f["files"][0]: f["texts_outside"] for f in figures if f["texts_outside"]}
    assert not outside, outside


def test_every_page_declares_utf8(pages):
    """Without it a browser may guess another encoding and garble the Polish letters."""
    for name, soup in pages.items():
        meta = soup.find("meta", charset=True)
        assert meta is not None and meta["charset"].lower() == "utf-8", name


def test_the_legal_advice_and_factsheet_notebooks_wrote_their_outputs(injected_run):
    for name in ("problems", "nationality", "outcomes", "months", "problem-areas"):
        assert (injected_run / "en" / "tables" / f"legal-{name}.csv").is_file(), name
    # the run is restricted to one area: its factsheet (PDF, PNG) and cards only
    sheets = sorted(p.name for p in (injected_run / "pl" / "factsheets").iterdir())
    assert sheets == ["01-health.pdf", "01-health.png"]
    cards = {p.name.split("-")[1] for p in (injected_run / "cards" / "uk").glob("*.png")}
    assert cards == {"health"}
