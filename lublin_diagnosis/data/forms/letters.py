"""Freedom-of-information requests (DOCX, PDF) and the printable questionnaire (PDF).

:func:`write_request` writes, for one institution, a *wniosek o udostępnienie informacji
publicznej* under the Act of 6 September 2001 on access to public information, in the
usual Polish form: place and date, the applicant, the addressee, the title, the legal
basis (art. 2 ust. 1 and art. 10 ust. 1), the numbered list of the figures requested (the
institution's administrative ``A`` indicators with their units), the requested form and
address of delivery (art. 14 ust. 1), the time limit (art. 13) and a request for an
administrative decision in case of refusal (art. 16 ust. 1), then the signature. The
applicant's details are left as dotted lines to fill in.

PDFs are typeset with ``typst`` (from PyPI; no system fonts needed): the texts are passed
as JSON through ``sys.inputs``, so no text is ever interpreted as markup.

>>> request_items([])
[]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.framework.model import Indicator

__all__ = ["request_items", "request_text", "write_paper_questionnaire", "write_request"]

_ACT = "ustawy z dnia 6 września 2001 r. o dostępie do informacji publicznej"
_DOTS = "…………………………………………"


def request_items(indicators: Sequence[Indicator]) -> list[str]:
    """The numbered figures of a request: each A indicator's question and unit."""
    items = []
    for ind in indicators:
        unit = f" (jednostka: {ind.unit.pl})" if ind.unit is not None else ""
        items.append(
            f"{ind.question.pl.rstrip('.')}{unit} – za ostatni zakończony rok oraz rok poprzedni;"
        )
    return items


def request_text(
    institution: Mapping[str, str], indicators: Sequence[Indicator], *, synthetic: bool = False
) -> dict[str, object]:
    """The parts of the request letter, as texts (for DOCX and PDF alike).

    Examples
    --------
    >>> parts = request_text({"name_pl": "Urząd Miasta"}, [])
    >>> parts["title"]
    'WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ'
    """
    return {
        "banner": ("DOKUMENT DEMONSTRACYJNY: adresat i dane są syntetyczne" if synthetic else ""),
        "place_date": f"Lublin, dnia {_DOTS} r.",
        "applicant": [
            "Wnioskodawca:",
            f"(nazwa) {_DOTS}",
            f"(adres) {_DOTS}",
            f"(adres e-mail do korespondencji) {_DOTS}",
        ],
        "addressee": [str(institution["name_pl"]), f"(adres) {_DOTS}"],
        "title": "WNIOSEK O UDOSTĘPNIENIE INFORMACJI PUBLICZNEJ",
        "intro": (
            f"Na podstawie art. 2 ust. 1 w związku z art. 10 ust. 1 {_ACT} wnoszę o "
            f"udostępnienie następujących informacji:"
        ),
        "items": request_items(indicators),
        "closing": [
            "Informacje proszę przekazać w formie elektronicznej (plik w formacie "
            "umożliwiającym obróbkę danych, np. XLSX lub CSV) na adres e-mail wskazany "
            "powyżej, zgodnie z art. 14 ust. 1 ustawy.",
            "Zgodnie z art. 13 ust. 1 ustawy udostępnienie informacji publicznej następuje "
            "bez zbędnej zwłoki, nie później niż w terminie 14 dni od dnia złożenia "
            "wniosku. Jeżeli informacja nie może zostać udostępniona w tym terminie, proszę "
            "o powiadomienie o powodach opóźnienia oraz o terminie, w jakim zostanie "
            "udostępniona, nie dłuższym niż 2 miesiące od dnia złożenia wniosku (art. 13 "
            "ust. 2 ustawy).",
            "W przypadku odmowy udostępnienia informacji w całości lub w części proszę o "
            "wydanie decyzji administracyjnej (art. 16 ust. 1 ustawy).",
            "Dane posłużą do diagnozy lokalnego systemu integracji migrantów i migrantek w "
            "Lublinie; będą publikowane wyłącznie w postaci zbiorczej.",
        ],
        "signature": ["……………………………………", "(podpis wnioskodawcy)"],
    }


def write_request(
    path: str | Path,
    institution: Mapping[str, str],
    indicators: Sequence[Indicator],
    *,
    synthetic: bool = False,
) -> Path:
    """Write the request letter of one institution as DOCX or PDF (by ``path``'s suffix)."""
    path = Path(path)
    parts = request_text(institution, indicators, synthetic=synthetic)
    if path.suffix.lower() == ".docx":
        return _request_docx(path, parts)
    return _typeset(path, _REQUEST_TYP, parts)


def _request_docx(path: Path, parts: Mapping[str, object]) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    doc.core_properties.title = str(parts["title"])
    doc.core_properties.language = "pl-PL"
    if parts["banner"]:
        doc.add_paragraph().add_run(str(parts["banner"])).bold = True
    doc.add_paragraph(str(parts["place_date"])).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph("\n".join(parts["applicant"]))
    addressee = doc.add_paragraph()
    addressee.paragraph_format.left_indent = Pt(240)
    addressee.add_run("\n".join(parts["addressee"])).bold = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(str(parts["title"])).bold = True
    doc.add_paragraph(str(parts["intro"])).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for item in parts["items"]:
        doc.add_paragraph(str(item), style="List Number")
    for text in parts["closing"]:
        doc.add_paragraph(str(text)).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    signature = doc.add_paragraph("\n".join(parts["signature"]))
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.save(path)
    return path


_REQUEST_TYP = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: "a4", margin: 2.5cm)
#set text(font: "Libertinus Serif", size: 12pt, lang: "pl")
#set par(justify: true)
#if d.banner != "" [#text(weight: "bold", fill: red)[#d.banner]]
#align(right)[#d.place_date]
#for line in d.applicant [#line \\ ]
#v(1em)
#pad(left: 50%)[#for line in d.addressee [*#line* \\ ]]
#v(1em)
#align(center)[*#d.title*]
#v(0.5em)
#d.intro
#enum(..d.items)
#for p in d.closing [#p #parbreak()]
#v(2em)
#align(right)[#for line in d.signature [#line \\ ]]
"""


def _typeset(path: Path, source: str, data: Mapping[str, object]) -> Path:
    import typst

    pdf = typst.compile(
        source.encode("utf-8"), sys_inputs={"data": json.dumps(data, ensure_ascii=False)}
    )
    path.write_bytes(pdf)
    return path


# --------------------------------------------------------------------------- paper
_PAPER = {
    "pl": (
        "Kwestionariusz badania migrantów w Lublinie",
        "Pytaj tylko, jeśli",
        "Zakres",
        "Ankieter",
        "Odmowa",
        "Nie wiem",
    ),
    "uk": (
        "Анкета опитування мігрантів у Любліні",
        "Питати лише, якщо",
        "Діапазон",
        "Інтерв'юер",
        "Відмова",
        "Не знаю",
    ),
    "ru": (
        "Анкета опроса мигрантов в Люблине",
        "Спрашивать только, если",
        "Диапазон",
        "Интервьюер",
        "Отказ",
        "Не знаю",
    ),
    "en": (
        "Questionnaire of the survey of migrants in Lublin",
        "Ask only if",
        "Range",
        "Interviewer",
        "Refused",
        "Don't know",
    ),
}


def paper_questions(codebook: Codebook, lang: str) -> list[dict[str, object]]:
    """The questions of the paper questionnaire in ``lang`` (English where a label lacks)."""
    words = _PAPER[lang]
    missing = {"-9": words[4], "-8": words[5]}
    asked = [v for v in codebook if v.role != "id"]
    number = {v.name: i for i, v in enumerate(asked, start=1)}
    out = []
    for var in asked:
        choices = [f"{code} = {lab.get(lang) or lab.get('en')}" for code, lab in var.values.items()]
        choices += [f"{m} = {missing.get(m, m)}" for m in var.missing]
        note = []
        if var.role == "design":
            note.append(words[3])
        if var.universe:
            note.append(f"{words[1]}: {_filter_text(var.universe, number)}")
        if var.range is not None:
            note.append(f"{words[2]}: {var.range[0]:g}–{var.range[1]:g}")
        out.append(
            {
                "name": var.name,
                "label": var.label.get(lang) or var.label.get("en"),
                "choices": choices,
                "note": "; ".join(note),
            }
        )
    return out


def _filter_text(universe: str, number: Mapping[str, int]) -> str:
    """A universe for interviewers: question numbers for names, ``=`` for ``==``.

    Examples
    --------
    >>> _filter_text("employed == '1' and age >= 20", {"employed": 21, "age": 8})
    "(21) = '1' and (8) >= 20"
    """
    text = re.sub(
        r"[A-Za-z_][A-Za-z0-9_]*",
        lambda m: f"({number[m[0]]})" if m[0] in number else m[0],
        universe,
    )
    return text.replace("==", "=")


_PAPER_TYP = """
#let d = json(bytes(sys.inputs.data))
#set page(paper: "a4", margin: 2cm, footer: context align(center)[#counter(page).display()])
#set text(font: "Libertinus Serif", size: 10.5pt, lang: d.lang)
#align(center)[#text(size: 14pt, weight: "bold")[#d.title]]
#v(0.5em)
#for (i, q) in d.questions.enumerate() [
  #block(breakable: false, below: 0.9em)[
    *#(i + 1). #q.label* #h(1fr) #text(size: 8pt, fill: gray)[#q.name] \\
    #if q.note != "" [#text(size: 9pt, style: "italic")[#q.note] \\ ]
    #if q.choices.len() > 0 [#for c in q.choices [#box[#box(width: 0.7em, height: 0.7em, stroke: 0.6pt) #c] #h(1em)]] else [#box(width: 6cm, stroke: (bottom: 0.5pt))[#v(1em)]]
  ]
]
"""


def write_paper_questionnaire(path: str | Path, codebook: Codebook, lang: str) -> Path:
    """Write the printable questionnaire in ``lang`` (``pl``, ``uk``, ``ru``, ``en``)."""
    data = {"lang": lang, "title": _PAPER[lang][0], "questions": paper_questions(codebook, lang)}
    return _typeset(Path(path), _PAPER_TYP, data)
