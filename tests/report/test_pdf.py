"""The PDFs of a run (the injected run of ``conftest.py``): the report and one letter per
institution page open as PDFs, A4, with page counts in range, and Typst never read a data
value as markup (the injected payload compiles as text)."""

import base64
import re

import pytest

from lublin_diagnosis.report.pdf import page_blocks, page_blocks_from_html, page_content

A4 = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+595\.\d+\s+841\.\d+\s*\]")


def _pages(path):
    data = path.read_bytes()
    assert data.startswith(b"%PDF-"), path
    return len(re.findall(rb"/Type\s*/Page\b", data)), data


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_report_pdf_opens_with_cover_contents_and_pages(injected_run, lang):
    count, data = _pages(injected_run / lang / "report.pdf")
    assert 8 <= count <= 400
    assert A4.search(data)


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_one_letter_per_institution_page(injected_run, lang):
    pages = sorted((injected_run / lang / "institutions").glob("*.html"))
    letters = sorted((injected_run / lang / "letters").glob("*.pdf"))
    assert [p.stem for p in letters] == [p.stem for p in pages] == ["city_hall"]
    count, data = _pages(letters[0])
    assert 1 <= count <= 60
    assert A4.search(data)


def test_activities_summary_is_one_a4_page(injected_run):
    count, data = _pages(injected_run / "pl" / "activities.pdf")
    assert count == 1
    assert A4.search(data)


def test_blocks_are_data_not_markup(tmp_path):
    page = (
        "<h1>#set page(width: 1cm) ¶</h1><p>*bold* _x_ $y$ #[z] </p>"
        '<div class="ld-table-wrap"><table class="ld-table"><caption>T</caption>'
        '<thead><tr><th>a</th><th class="ld-num">n</th></tr></thead>'
        "<tbody><tr><td><details><summary>Long…</summary>Long text</details></td>"
        '<td class="ld-num">1</td></tr></tbody></table></div>'
    )
    blocks = page_blocks_from_html(page, tmp_path)
    assert blocks[0] == {"kind": "heading", "level": 1, "text": "#set page(width: 1cm)"}
    assert blocks[1]["text"] == "*bold* _x_ $y$ #[z]"
    assert blocks[2]["rows"] == [["Long text", "1"]] and blocks[2]["numeric"] == [1]


def test_a_letter_is_byte_reproducible_and_holds_polish_text(tmp_path):
    from lublin_diagnosis.report.pdf import write_letter_pdf

    page = tmp_path / "page.html"
    page.write_text("<h1>Zażółć gęślą jaźń</h1><p>Łódź − 1\u00a0148,5</p>", encoding="utf-8")
    first, second = (
        write_letter_pdf(
            tmp_path / f"{k}.pdf",
            page,
            lang="pl",
            institution="Urząd Miasta",
            sender="Zespół",
            synthetic=True,
        ).read_bytes()
        for k in ("a", "b")
    )
    assert first == second and first.startswith(b"%PDF-")
    assert b"FontFile" in first  # the fonts are embedded


def test_a_page_parsed_as_it_was_rendered_gives_the_same_blocks(tmp_path):
    png = base64.b64encode(b"\x89PNG not really").decode()
    figure = (
        f'<figure class="ld-figure"><img src="data:image/png;base64,{png}" alt="A chart">'
        "<figcaption><strong>Rycina 1.</strong> Wyniki</figcaption></figure>"
    )
    page = tmp_path / "page.html"
    page.write_text(
        f"<main><h1>Tytuł</h1>{figure}<p>Tekst</p><figure>no image</figure>{figure}</main>",
        encoding="utf-8",
    )
    read, parsed = tmp_path / "read", tmp_path / "parsed"
    read.mkdir(), parsed.mkdir()
    (read / "figure-001.png").write_bytes(b"an earlier page's")
    (parsed / "figure-001.png").write_bytes(b"an earlier page's")
    contents = {page: page_content(page.read_text(encoding="utf-8"))}
    blocks = page_blocks(page, read)
    assert page_blocks(page, parsed, contents) == blocks
    assert [b.get("path") for b in blocks if b["kind"] == "figure"] == [
        "figure-002.png",
        "figure-004.png",
    ]
    assert blocks[1]["caption"] == "Wyniki" and blocks[1]["alt"] == "A chart"
    for name in ("figure-002.png", "figure-004.png"):
        assert (read / name).read_bytes() == (parsed / name).read_bytes() == b"\x89PNG not really"
    assert page_blocks(page, None, contents) == page_blocks_from_html(page.read_text(), None)
