"""Campaign cards: one plain-language card per area, in four languages and three formats.

A card carries one finding of the survey as a campaign can use it:

* the area (number and name);
* a **headline in natural frequencies**, on the side of the problem: "1 na 2 migrantki i
  migrantów nie rozmawia z lekarzem bez bariery językowej" (the noun agrees with the
  denominator and the verb with the numerator, by the CLDR plural rules of
  :func:`~lublin_diagnosis.report.formatting.plural`), and the share in per cent;
* the **gap to the whole population of Poland**, in percentage points, where the framework
  gives a reference (nothing otherwise), with a note when that reference is indicative;
* an **honest uncertainty line in words**: how many people answered and the range the true
  figure most likely lies in (the 95% interval, said without jargon); a warning when the
  base is small;
* the source and the date, a logos area (the funders' and partners' logos: the image files
  of the data folder's ``logos/`` folder, or of the folder ``dataset.yml`` names under
  ``logos:``) and, on synthetic data, a red SYNTHETIC banner.

The finding is the area's key survey indicator (:data:`KEY_INDICATORS`; another published
share of the area when that one is suppressed or absent, those with a Polish reference
first, then the furthest from its goal). Only published numbers appear: an estimate the
disclosure layer suppressed is never printed (the card says there were too few answers),
and bases are rounded as in every published table
(:func:`~lublin_diagnosis.disclosure.round_bases`).

Formats (:data:`FORMATS`): an A4 poster for print (PDF), a 1080×1080 square and a 1080×1920
story (PNG) for social media, typeset by Typst in one batch per format with DejaVu Sans
(matplotlib's copy), which carries Polish and Cyrillic letters. Languages
(:data:`CARD_LANGUAGES`): Polish, English, Ukrainian and Russian; the texts are in
``report/locales/cards/<lang>.yml`` (the Ukrainian and Russian ones are drafts awaiting a
native speaker's review, and each index page says so). :func:`write_cards` writes::

    cards/<lang>/NN-<area>-a4.pdf, NN-<area>-square.png, NN-<area>-story.png
    cards/<lang>/index.html      every card with its alternative text and its files
    cards/<lang>/alt-text.json   the alternative text of each card, for posting tools

>>> natural_frequency(0.5005), natural_frequency(0.416), natural_frequency(0.0312)
((1, 2), (2, 5), (3, 100))
>>> card_verb_form(1, "pl"), card_verb_form(3, "pl"), card_verb_form(7, "pl"), card_verb_form(3, "en")
('sg', 'pl', 'sg', 'pl')
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date as _date
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from lublin_diagnosis.disclosure import DisclosureRules, round_bases
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.report import formatting
from lublin_diagnosis.report.i18n import has_text, t

__all__ = [
    "CARD_LANGUAGES",
    "FORMATS",
    "KEY_INDICATORS",
    "card_texts",
    "card_verb_form",
    "key_indicator",
    "logo_files",
    "natural_frequency",
    "write_cards",
]

#: Languages of the cards: the report's two and the two largest migrant communities'.
CARD_LANGUAGES: tuple[str, ...] = ("pl", "en", "uk", "ru")
#: Card formats and their file type: print poster, social-media square and story.
FORMATS: Mapping[str, str] = {"a4": "pdf", "square": "png", "story": "png"}
#: The survey indicator each card of the ``lublin-14`` framework leads with.
KEY_INDICATORS: Mapping[str, str] = {
    "health": "health_o_language_barrier",
    "education": "education_o_school_info",
    "labour": "labour_o_employed",
    "housing": "housing_o_rent_burden",
    "social_assistance": "social_assistance_o_knows_benefits",
    "domestic_violence": "domestic_violence_o_knows_help",
    "language": "language_o_polish_communicative",
    "information": "information_o_own_language",
    "city_services": "city_services_o_language_barrier",
    "anti_discrimination": "anti_discrimination_o_discrim_12m",
    "participation": "participation_o_consulted_ever",
    "culture": "culture_o_polish_friends",
    "safety": "safety_o_safe_after_dark",
    "legal_aid": "legal_aid_o_status_worry",
}
_DENOMINATORS = (2, 3, 4, 5, 10)
_TOLERANCE = 0.03
#: Plural categories of the numerator that take a plural verb ("3 na 4 ... nie mają").
_PLURAL_VERB = {"pl": {"few"}, "uk": {"few"}, "ru": {"few"}, "en": {"other"}}
_LOGO_TYPES = (".png", ".jpg", ".jpeg", ".svg")
_PPI = 144  # 540 pt at 144 ppi = 1080 px


def natural_frequency(share: float) -> tuple[int, int]:
    """``(k, n)``: "k in n", the simplest natural frequency within 3 points of ``share``.

    Denominators 2, 3, 4, 5, 10 are tried in that order; failing them, ``k in 100``
    (at least 1 and at most 99, so a card never says "0 in 100" or "100 in 100").

    Examples
    --------
    >>> natural_frequency(0.34), natural_frequency(0.62), natural_frequency(0.004)
    ((1, 3), (3, 5), (1, 100))
    >>> natural_frequency(0.362), natural_frequency(0.97), natural_frequency(0.15)
    ((1, 3), (97, 100), (15, 100))
    """
    if pd.isna(share):
        raise ValueError("a natural frequency needs a share, not a missing value")
    share = min(max(float(share), 0.0), 1.0)
    for n in _DENOMINATORS:
        k = round(share * n)
        if 1 <= k < n and abs(k / n - share) <= _TOLERANCE:
            return k, n
    return min(max(round(share * 100), 1), 99), 100


def card_verb_form(k: int, lang: str) -> str:
    """``"sg"`` or ``"pl"``: the verb form that agrees with the numerator ``k`` of a
    natural frequency in ``lang`` (Polish, Ukrainian and Russian: plural after 2-4, 22-24,
    ...; English: plural after anything but 1).

    >>> [card_verb_form(k, "uk") for k in (1, 2, 5, 21, 23)]
    ['sg', 'pl', 'sg', 'sg', 'pl']
    """
    return "pl" if formatting.plural(k, lang) in _PLURAL_VERB[lang] else "sg"


def _keep(text: str) -> str:
    """``text`` with a no-break space after each one-letter word ("i", "w", "з", "и"), so
    that no line of a card ends with one (Polish typography; harmless elsewhere).

    >>> _keep("1 na 3 migrantki i migrantów") == "1 na 3 migrantki i\u00a0migrantów"
    True
    """
    return re.sub(r"(?<!\w)([^\W\d]) ", "\\1\u00a0", text)


def _frequency(text: str, n: int) -> str:
    """ "k na n" kept on one line, the line free to break before the people.

    >>> _frequency("37 na 100\u00a0migrantek i migrantów", 100)
    '37\xa0na\xa0100 migrantek i migrantów'
    """
    digits = str(n)
    end = text.rfind(digits) + len(digits) if digits in text else 0
    head, tail = text[:end], text[end:].lstrip("\u00a0 ")
    return head.replace(" ", "\u00a0") + (" " + tail if tail else "")


def _check_card_lang(lang: str) -> str:
    if lang not in CARD_LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(CARD_LANGUAGES)}, not {lang!r}")
    return lang


def key_indicator(
    scorecard: Any, area: str, *, framework: Any = None, rules: Any = None
) -> dict | None:
    """The published survey share an area's card leads with, or None.

    :data:`KEY_INDICATORS` names it for ``lublin-14``; when it is suppressed, missing or
    not a share, the area's other published shares are taken, those with a reference
    for the whole population first, then the furthest from its goal (lowest score).
    ``rules`` (default: the scorecard's, else the defaults) round the base as every
    published table does.

    Returns
    -------
    dict or None
        The scorecard row (``indicator, value, ci_low, ci_high, n, reference,
        reference_illustrative, low_reliability, ...``, ``n`` rounded as published) with
        ``direction``; None when the area has no published share.

    Examples
    --------
    >>> key_indicator(card, "health")["indicator"]          # doctest: +SKIP
    'health_o_language_barrier'
    """
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    ind = scorecard.indicators
    rows = ind[ind["institution"].isna() & (ind["area"] == area) & (ind["kind"] == "O")]
    rows = rows[~rows["suppressed"].astype(bool) & rows["value"].notna() & rows["ci_low"].notna()]
    if rows.empty:
        return None
    rules = rules or getattr(scorecard, "rules", None) or DisclosureRules()
    rows = round_bases(rows, rules)
    known = set(fw.indicator_ids)
    shares = [
        rec
        for rec in rows.to_dict("records")
        if rec["indicator"] in known and fw.indicator(rec["indicator"]).statistic == "proportion"
    ]
    if not shares:
        return None
    wanted = KEY_INDICATORS.get(area)
    chosen = next((r for r in shares if r["indicator"] == wanted), None)
    if chosen is None:
        order = {i: k for k, i in enumerate(fw.indicator_ids)}
        chosen = sorted(
            shares,
            key=lambda r: (
                pd.isna(r.get("reference")),
                r["score"] if not pd.isna(r["score"]) else 1e9,
                order[r["indicator"]],
            ),
        )[0]
    return {**chosen, "direction": fw.indicator(chosen["indicator"]).direction}


def _area_name(fw: Any, area: str, lang: str) -> str:
    key = f"cards.areas.{area}"
    if has_text(key, lang):
        return t(key, lang)
    return fw.label(fw.area(area), lang if lang in ("pl", "en") else "en")


def card_texts(
    scorecard: Any,
    area: str,
    *,
    lang: str,
    framework: Any = None,
    synthetic: bool = True,
    as_of: Any = None,
    rules: Any = None,
) -> dict[str, Any]:
    """Every text of one card, as printed (and its alternative text).

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
        Its estimates already passed disclosure control (``suppressed`` column).
    area : str
    lang : {"pl", "en", "uk", "ru"}
    framework : Framework or str, optional
        Default: the scorecard's, else ``lublin-14``.
    synthetic : bool
        Add the SYNTHETIC banner.
    as_of : date or str, optional
        The date printed after the source (default: today).
    rules : DisclosureRules, optional
        The rules the scorecard was protected with (bases are rounded by them).

    Returns
    -------
    dict
        ``lang, area, number, area_label, area_name, indicator, frequency, claim, share,
        gap, gap_note, uncertainty, no_number, source, partners, synthetic, alt`` (an empty
        string where a part is absent: ``frequency`` when nothing can be published,
        ``gap`` without a reference).

    Examples
    --------
    >>> card_texts(card, "health", lang="pl")["frequency"]     # doctest: +SKIP
    '1 na 2\\xa0migrantki i migrantów'
    """
    _check_card_lang(lang)
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    spec = fw.area(area)
    settings = getattr(scorecard, "settings", {}) or {}
    rnd = settings.get("survey_round") or settings.get("round")
    out: dict[str, Any] = {
        "lang": lang,
        "area": area,
        "number": int(spec.number),
        "area_label": t("cards.area", lang, number=int(spec.number), n_areas=len(fw.areas)),
        "area_name": _area_name(fw, area, lang),
        "indicator": "",
        "frequency": "",
        "claim": "",
        "share": "",
        "gap": "",
        "gap_note": "",
        "uncertainty": "",
        "no_number": t("cards.no_number", lang),
        "source": t(
            "cards.source",
            lang,
            round=formatting.year(rnd) if rnd is not None else formatting.DASH,
            date=formatting.date(as_of if as_of is not None else _date.today(), lang),
        ),  # t() drops the sentence's full stop after a Polish date's "r."
        "partners": t("cards.partners", lang),
        "synthetic": t("cards.synthetic", lang) if synthetic else "",
    }
    rec = key_indicator(scorecard, area, framework=fw, rules=rules)
    if rec is not None:
        flip = rec["direction"] != "lower_is_better"  # say the share on the problem side
        q = 1 - rec["value"] if flip else rec["value"]
        low, high = (
            (1 - rec["ci_high"], 1 - rec["ci_low"]) if flip else (rec["ci_low"], rec["ci_high"])
        )
        k, n = natural_frequency(q)
        key = f"cards.claims.{rec['indicator']}.{card_verb_form(k, lang)}"
        if has_text(key, lang):
            claim = t(key, lang)
        else:  # a framework without a campaign text: the indicator's name
            label = fw.label(fw.indicator(rec["indicator"]), lang if lang in ("pl", "en") else "en")
            claim = t("cards.fallback_claim", lang, label=label)
        out.update(
            indicator=rec["indicator"],
            frequency=_frequency(t("cards.frequency", lang, k=k, n=n), n),
            claim=claim,
            share=t("cards.share", lang, p=formatting.number(100 * q, lang, digits=0)),
            uncertainty=t(
                "cards.uncertainty",
                lang,
                n=int(rec["n"]),
                low=formatting.number(100 * low, lang, digits=0),
                high=formatting.number(100 * high, lang, digits=0),
            ),
        )
        if bool(rec.get("low_reliability")):
            out["uncertainty"] += " " + t("cards.low_reliability", lang)
        ref = rec.get("reference")
        if ref is not None and not pd.isna(ref):
            q_ref = 1 - float(ref) if flip else float(ref)
            gap = round(100 * q) - round(100 * q_ref)
            ref_text = formatting.number(100 * q_ref, lang, digits=0)
            which = (
                "cards.gap_more" if gap > 0 else "cards.gap_less" if gap < 0 else "cards.gap_same"
            )
            out["gap"] = t(which, lang, gap=abs(gap), ref=ref_text)
            if rec.get("reference_illustrative"):
                out["gap_note"] = t("cards.gap_illustrative", lang)
    for name in ("frequency", "claim", "share", "gap", "gap_note", "uncertainty", "no_number"):
        out[name] = _keep(out[name])
    if out["frequency"]:
        headline = f"{out['frequency']} {out['claim']} ({out['share']})"
        details = " ".join(x for x in (out["gap"], out["gap_note"], out["uncertainty"]) if x)
    else:
        headline, details = out["no_number"], ""
    alt = t(
        "cards.alt",
        lang,
        area=out["area_label"],
        name=out["area_name"],
        headline=headline,
        details=f"{details} {out['source']}".strip(),
    )
    out["alt"] = alt + (" " + t("cards.alt_synthetic", lang) if synthetic else "")
    return out


def logo_files(dataset: Any) -> list[Path]:
    """The logo images of a data folder: ``dataset.yml``'s ``logos:`` folder (relative to
    the data folder), else its ``logos/`` folder; PNG, JPEG and SVG files in name order.

    >>> from types import SimpleNamespace as NS
    >>> logo_files(NS(meta={}, data_dir="/nonexistent"))
    []
    """
    meta = getattr(dataset, "meta", {}) or {}
    data_dir = Path(getattr(dataset, "data_dir", "."))
    folder = data_dir / str(meta["logos"]) if meta.get("logos") else data_dir / "logos"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in _LOGO_TYPES and p.is_file())


def _stem(card: Mapping[str, Any]) -> str:
    return f"{card['number']:02d}-{card['area']}"


def _typeset(cards: list[dict], logos: Sequence[Path]) -> dict[tuple[int, str], bytes]:
    """Every card in every format: ``{(index, format): bytes}``. One Typst compiler: the PNG
    of a format in one pass (a page per card), the PDFs one card at a time."""
    import matplotlib
    import typst

    build = Path(tempfile.mkdtemp(prefix="ld-cards-"))
    try:
        names = []
        for i, logo in enumerate(logos, 1):
            name = f"logo-{i}{logo.suffix.lower()}"
            shutil.copyfile(logo, build / name)
            names.append(name)
        data = {"title": "campaign cards", "cards": [{**c, "logos": names} for c in cards]}
        (build / "cards.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        template = resources.files("lublin_diagnosis.report").joinpath("templates", "ld_card.typ")
        (build / "main.typ").write_text(template.read_text(encoding="utf-8"), encoding="utf-8")
        fonts = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
        compiler = typst.Compiler(
            str(build / "main.typ"), root=str(build), font_paths=[fonts], ignore_system_fonts=True
        )
        out: dict[tuple[int, str], bytes] = {}
        for fmt, kind in FORMATS.items():
            if kind == "png":
                pages = compiler.compile(format="png", ppi=_PPI, sys_inputs={"format": fmt})
                pages = pages if isinstance(pages, list) else [pages]
                out.update({(i, fmt): page for i, page in enumerate(pages)})
            else:
                for i in range(len(cards)):
                    out[(i, fmt)] = compiler.compile(
                        format="pdf", sys_inputs={"format": fmt, "card": str(i)}
                    )
        return out
    finally:
        shutil.rmtree(build, ignore_errors=True)


def write_cards(
    scorecard: Any,
    out_dir: str | Path,
    *,
    langs: Sequence[str] = CARD_LANGUAGES,
    synthetic: bool = True,
    framework: Any = None,
    areas: Sequence[str] | None = None,
    logos: Sequence[str | Path] = (),
    as_of: Any = None,
    rules: Any = None,
) -> list[Path]:
    """Write every campaign card, with an index page and the alternative texts per language.

    Parameters
    ----------
    scorecard : Scorecard or ScorecardTables
    out_dir : path
        The run folder: files go to ``out_dir/cards/<lang>/``.
    langs : sequence of {"pl", "en", "uk", "ru"}
    synthetic : bool
        Print the SYNTHETIC banner (pass ``dataset.synthetic``).
    framework : Framework or str, optional
    areas : sequence of str, optional
        Default: every area of the scorecard, in framework order.
    logos : sequence of path
        Logo images for the partners' area (:func:`logo_files`).
    as_of : date or str, optional
        The date printed after the source (default: today).
    rules : DisclosureRules, optional
        The rules the scorecard was protected with.

    Returns
    -------
    list of pathlib.Path
        The card files (``len(langs) × len(areas) × 3``: by language and area, A4 PDF,
        square PNG, story PNG), then each language's ``index.html`` and ``alt-text.json``.

    Examples
    --------
    >>> paths = write_cards(card, "outputs/run", langs=("uk",), areas=["health"])  # doctest: +SKIP
    >>> [p.name for p in paths]                                                  # doctest: +SKIP
    ['01-health-a4.pdf', '01-health-square.png', '01-health-story.png', 'index.html', 'alt-text.json']
    """
    for lang in langs:
        _check_card_lang(lang)
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None)
    )
    have = set(scorecard.areas["area"])
    wanted = list(areas) if areas is not None else [a for a in fw.area_ids if a in have]
    unknown = [a for a in wanted if a not in have]
    if unknown:
        raise KeyError(f"area(s) {', '.join(unknown)} not in the scorecard")
    cards = [
        card_texts(
            scorecard, a, lang=lang, framework=fw, synthetic=synthetic, as_of=as_of, rules=rules
        )
        for lang in langs
        for a in wanted
    ]
    images = _typeset(cards, [Path(p) for p in logos])
    root = Path(out_dir) / "cards"
    files: list[Path] = []
    for i, card in enumerate(cards):
        folder = root / card["lang"]
        folder.mkdir(parents=True, exist_ok=True)
        for fmt, kind in FORMATS.items():
            path = folder / f"{_stem(card)}-{fmt}.{kind}"
            path.write_bytes(images[(i, fmt)])
            files.append(path)
    for lang in langs:
        mine = [c for c in cards if c["lang"] == lang]
        files += _index(root / lang, mine, langs, synthetic)
    return files


def _index(folder: Path, cards: list[dict], langs: Sequence[str], synthetic: bool) -> list[Path]:
    """``index.html`` (every card, its files and alternative text) and ``alt-text.json``."""
    lang = cards[0]["lang"] if cards else "en"
    esc = html.escape
    alt = {
        _stem(c): {
            "area": c["area"],
            "indicator": c["indicator"] or None,
            "alt": c["alt"],
            **{fmt: f"{_stem(c)}-{fmt}.{k}" for fmt, k in FORMATS.items()},
        }
        for c in cards
    }
    json_path = folder / "alt-text.json"
    json_path.write_text(
        json.dumps(
            {"lang": lang, "synthetic": synthetic, "cards": alt}, ensure_ascii=False, indent=1
        )
        + "\n",
        encoding="utf-8",
    )
    n_files = len(cards) * len(FORMATS)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(t('cards.title', lang))}</title>",
        "<style>body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:1100px;"
        "margin:0 auto;padding:1rem;color:#222;line-height:1.45}"
        ".syn{background:#b00020;color:#fff;font-weight:bold;padding:.5rem 1rem}"
        ".review{background:#fff4ce;border-left:4px solid #b58900;padding:.5rem 1rem}"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1.5rem}"
        "figure{margin:0;border:1px solid #ddd;padding:.75rem;border-radius:4px}"
        "figure img{width:100%;height:auto;display:block}"
        "figcaption{font-size:.85rem;color:#444}nav a{margin-right:.8rem}</style>",
        "</head><body>",
    ]
    if synthetic:
        parts.append(f'<p class="syn">{esc(t("cards.synthetic", lang))}</p>')
    parts.append(f"<h1>{esc(t('cards.title', lang))}</h1>")
    links = " ".join(
        f'<a href="../{esc(x)}/index.html"{" aria-current=page" if x == lang else ""}>{esc(x.upper())}</a>'
        for x in langs
    )
    parts.append(f"<nav>{esc(t('cards.languages', lang))}: {links}</nav>")
    note = t("cards.review_note", lang)
    if note:
        parts.append(f'<p class="review">{esc(note)}</p>')
    parts.append(f"<p>{esc(t('cards.intro', lang))}</p>")
    parts.append(f"<p>{esc(t('cards.count', lang, n=len(cards), files=n_files))}</p>")
    parts.append('<div class="grid">')
    for c in cards:
        stem = _stem(c)
        parts.append(
            f'<figure id="{esc(stem)}"><img src="{esc(stem)}-square.png" alt="{esc(c["alt"])}" '
            f'width="1080" height="1080" loading="lazy"><figcaption>'
            f"<strong>{c['number']}. {esc(c['area_name'])}</strong><br>"
            f'<a href="{esc(stem)}-a4.pdf">{esc(t("cards.format_a4", lang))}</a> · '
            f'<a href="{esc(stem)}-square.png">{esc(t("cards.format_square", lang))}</a> · '
            f'<a href="{esc(stem)}-story.png">{esc(t("cards.format_story", lang))}</a>'
            f"<details><summary>{esc(t('cards.alt_heading', lang))}</summary>"
            f"<p>{esc(c['alt'])}</p></details></figcaption></figure>"
        )
    parts.append("</div></body></html>")
    page = folder / "index.html"
    page.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return [page, json_path]
