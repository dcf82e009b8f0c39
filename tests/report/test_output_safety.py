"""Output safety on an injected run: every text field of the inputs and of the framework
carries HTML, JavaScript-URL, Markdown-link and spreadsheet-formula payloads; a small
pipeline runs on them; no page holds anything live, no CSV cell or XLSX cell is a formula,
and the payload's words are still shown (as text).

The run is small (one language, one area, one institution, 20 replicates) and shared with
the page guard of ``test_pages.py`` through ``injected_run`` in ``conftest.py``."""

import csv
import re

import openpyxl
import pytest
from bs4 import BeautifulSoup

from lublin_diagnosis.report.escape import FORMULA_PREFIX

_NUMBER = re.compile(r"^-?\d+(\.\d+)?(e-?\d+)?$")


def _pages(run):
    return sorted(
        p for p in run.rglob("*.html") if "notebooks" not in p.parts and ".cache" not in p.parts
    )


def test_no_page_holds_live_markup(injected_run):
    pages = _pages(injected_run)
    assert len(pages) >= 6
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        where = page.relative_to(injected_run)
        assert not soup.find_all(["script", "iframe", "object", "embed"]), where
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                assert not name.lower().startswith("on"), (where, tag.name, name)
                assert not re.match(r"\s*(javascript|vbscript):", text, re.I), (where, name, text)
        for link in soup.find_all("a", href=True):  # a fragment of the page itself is inert
            assert link["href"].startswith("#") or "alert" not in link["href"], (where, link)


def test_no_svg_figure_holds_live_markup(injected_run):
    # SVG figures keep their texts as text: the payload is escaped XML text in them
    from xml.etree import ElementTree

    figures = sorted((injected_run / "pl" / "figures").glob("*.svg"))
    assert figures
    shown = 0
    for path in figures:
        root = ElementTree.fromstring(path.read_bytes())
        for element in root.iter():
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag not in ("script", "foreignObject", "iframe", "a"), (path.name, tag)
            for name, value in element.attrib.items():
                assert not name.rsplit("}", 1)[-1].lower().startswith("on"), (path.name, name)
                assert not re.match(r"\s*(javascript|vbscript):", value, re.I), (path.name, name)
        texts = "".join(e.text or "" for e in root.iter() if e.tag.endswith("}text"))
        shown += "<script>alert(1)</script>" in texts or "<script>" in texts
    assert shown, "the payload should be in the text of a figure (an institution's name)"


def test_payload_is_shown_as_text(injected_run):
    # escaped at the source, not only removed by the net: the reader sees what was typed
    shown = [
        p
        for p in _pages(injected_run)
        if "<script>alert(1)</script>" in BeautifulSoup(p.read_text("utf-8"), "html.parser").text
    ]
    assert len(shown) >= 3, [p.name for p in shown]
    front = BeautifulSoup(
        (injected_run / "pl" / "institutions" / "city_hall.html").read_text("utf-8"), "html.parser"
    )
    assert "[x](javascript:alert(3))" in front.text


def test_csv_cells_are_never_formulas(injected_run):
    tables = sorted((injected_run / "pl" / "tables").glob("*.csv"))
    assert tables
    injected = 0
    for path in tables:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for cell in row:
                    if _NUMBER.match(cell):  # a negative number is data, not a formula
                        continue
                    assert not cell.startswith(FORMULA_PREFIX), (path.name, cell)
                    injected += cell.startswith("'=HYPERLINK")
    assert injected > 0  # the payload reached the tables, neutralised


def test_workbook_cells_are_never_formulas(injected_run):
    book = openpyxl.load_workbook(injected_run / "pl" / "tables.xlsx")
    texts = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                texts += isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")
    assert texts > 0


def test_payload_holds_every_trick(payload):
    # the payload itself holds each trick the run must defuse
    for trick in ("<script>", "onerror=", "javascript:", "](", "=HYPERLINK", "@SUM"):
        assert trick in payload
    assert payload.startswith("=")


@pytest.mark.parametrize("lang", ["pl"])
def test_landing_page_is_safe(injected_run, lang):
    soup = BeautifulSoup((injected_run / "report.html").read_text("utf-8"), "html.parser")
    assert not soup.find_all("script")
