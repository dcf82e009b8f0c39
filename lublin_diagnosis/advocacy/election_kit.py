"""The election kit: the asks to the city, a questionnaire for candidates and a pledges tracker.

During a local election campaign the project asks every candidate for mayor and city
council what they will do about its recommendations. The kit has three parts:

* **the asks** (:func:`election_asks`): the recommendations addressed to the city, not yet
  implemented, each with its evidence in one sentence (what the monitoring found at the
  addressed institution). A recommendation is the city's when the register's
  ``responsible_level`` (or the institution's) is ``city``; without that column, when the
  addressed institution is of a municipal type (:data:`CITY_TYPES`: the city hall and the
  units the city runs);
* **a questionnaire** (:func:`write_questionnaire`): the asks by area, each with "yes /
  partly / no" and room for the pledge, as an A4 PDF (Typst) and a DOCX to fill in;
* **the pledges tracker**: the optional register ``pledges.csv`` (candidate, committee,
  date, area, rec_id, answer, pledge; its contract in
  :mod:`lublin_diagnosis.data.contracts`, its ties to the register checked by
  :func:`~lublin_diagnosis.data.register.pledge_problems`), shown as who committed to what,
  per area (:func:`commitments`, :func:`pledge_table`).

>>> CITY_TYPES[:2]
('city_hall', 'family_assistance')
"""

from __future__ import annotations

import json
import shutil
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from lublin_diagnosis.advocacy.evidence import recommendation_indicators
from lublin_diagnosis.advocacy.status import recommendation_status
from lublin_diagnosis.data.contracts.files import PLEDGE_ANSWERS
from lublin_diagnosis.framework.resolver import resolve_framework
from lublin_diagnosis.report import formatting
from lublin_diagnosis.report.i18n import check_lang, t

__all__ = [
    "CITY_TYPES",
    "city_recommendations",
    "commitments",
    "election_asks",
    "pledge_table",
    "write_questionnaire",
]

#: Institution types the city runs: their recommendations are the city's when the register
#: has no ``responsible_level``.
CITY_TYPES: tuple[str, ...] = (
    "city_hall",
    "family_assistance",
    "labour_office",
    "transport",
    "clinic",
    "school",
)
_DONE = ("implemented",)


def city_recommendations(dataset: Any) -> list[str]:
    """The ``rec_id`` of every recommendation addressed to the city, in register order.

    The register's ``responsible_level`` column decides where it exists (``city``), else
    the institutions' ``responsible_level``, else the institution's type
    (:data:`CITY_TYPES`).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> ds = NS(recommendations=pd.DataFrame({"rec_id": ["R1", "R2"],
    ...                                       "institution_id": ["city_hall", "nfz"]}),
    ...         institutions=pd.DataFrame({"institution_id": ["city_hall", "nfz"],
    ...                                    "type": ["city_hall", "health_fund"]}))
    >>> city_recommendations(ds)
    ['R1']
    """
    recs = dataset.recommendations
    if recs is None or recs.empty:
        return []
    if "responsible_level" in recs.columns:
        mask = recs["responsible_level"].astype("string").str.strip().eq("city").fillna(False)
        return recs.loc[mask.to_numpy(dtype=bool), "rec_id"].astype(str).tolist()
    inst = dataset.institutions
    if inst is None:
        return []
    table = inst.set_index("institution_id")
    if "responsible_level" in table.columns:
        city = {i for i, v in table["responsible_level"].items() if str(v).strip() == "city"}
    else:
        city = {i for i, v in table["type"].items() if v in CITY_TYPES}
    return [
        str(r) for r, i in zip(recs["rec_id"], recs["institution_id"], strict=True) if i in city
    ]


def _evidence(rows: pd.DataFrame, name: str, lang: str) -> str:
    """One sentence: what the monitoring found at the addressed institution."""
    for rec in rows.to_dict("records"):
        if rec["kind"] == "P" and isinstance(rec.get("answer_label"), str):
            return t(
                "election.evidence_policy",
                lang,
                round=formatting.year(rec["round"]),
                institution=name,
                answer=rec["answer_label"],
                indicator=rec["label"],
            )
        if not bool(rec.get("suppressed")) and not formatting.is_missing(rec.get("score_city")):
            return t(
                "election.evidence_score",
                lang,
                indicator=rec["label"],
                score=formatting.number(rec["score_city"], lang, digits=0),
            )
    return t("election.evidence_none", lang)


def election_asks(
    dataset: Any,
    scorecard: Any,
    *,
    lang: str,
    framework: Any = None,
    reference_date: Any = None,
) -> pd.DataFrame:
    """The asks of the election kit: the city's recommendations not yet implemented.

    Parameters
    ----------
    dataset : Dataset
    scorecard : Scorecard or ScorecardTables
        For the evidence (the addressed institution's answer in the scored round).
    lang : {"pl", "en"}
    framework : Framework or str, optional
    reference_date : str or date, optional
        The register's date (default: its latest date).

    Returns
    -------
    DataFrame
        ``area, area_number, area_name, rec_id, institution_name, ask, ask_evidence,
        status_name``, in framework area order then register order; empty (with these
        columns) when the register or the city's recommendations are missing.

    Examples
    --------
    >>> asks = election_asks(dataset, card, lang="pl")         # doctest: +SKIP
    """
    check_lang(lang)
    columns = [
        "area",
        "area_number",
        "area_name",
        "rec_id",
        "institution_name",
        "ask",
        "ask_evidence",
        "status_name",
    ]
    ids = set(city_recommendations(dataset))
    if not ids or dataset.status is None:
        return pd.DataFrame(columns=columns)
    fw = resolve_framework(
        framework if framework is not None else getattr(scorecard, "framework", None),
        dataset=dataset,
    )
    status = recommendation_status(dataset, reference_date=reference_date, lang=lang, framework=fw)
    status = status[status["rec_id"].isin(ids) & ~status["status"].isin(_DONE)]
    basis = recommendation_indicators(
        dataset, scorecard, lang=lang, framework=fw, reference_date=reference_date
    )
    order = {a: k for k, a in enumerate(fw.area_ids)}
    rows = []
    for rec in status.to_dict("records"):
        rows.append(
            {
                "area": rec["area"],
                "area_number": fw.area(rec["area"]).number,
                "area_name": rec["area_name"],
                "rec_id": rec["rec_id"],
                "institution_name": rec["institution_name"],
                "ask": rec["text"],
                "ask_evidence": _evidence(
                    basis[basis["rec_id"] == rec["rec_id"]], rec["institution_name"], lang
                ),
                "status_name": rec["status_name"],
                "_order": order.get(rec["area"], len(order)),
            }
        )
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame(rows).sort_values("_order", kind="stable")
    return out[columns].reset_index(drop=True)


def _answer_name(answer: Any, lang: str) -> str:
    return t(f"election.answers.{answer}", lang) if answer in PLEDGE_ANSWERS else formatting.DASH


def pledge_table(dataset: Any, *, lang: str, framework: Any = None) -> pd.DataFrame:
    """Every candidate's answer to every ask they answered, by area.

    Returns
    -------
    DataFrame
        ``area_name, rec_id, candidate, committee, date, answer_name, pledge``, in
        framework area order, then by candidate (in the register's order), then by
        recommendation; empty without ``pledges.csv``.

    Examples
    --------
    >>> pledge_table(dataset, lang="en").head(2)               # doctest: +SKIP
    """
    check_lang(lang)
    columns = ["area_name", "rec_id", "candidate", "committee", "date", "answer_name", "pledge"]
    pledges = getattr(dataset, "pledges", None)
    if pledges is None or pledges.empty:
        return pd.DataFrame(columns=columns)
    fw = resolve_framework(framework, dataset=dataset)
    order = {a: k for k, a in enumerate(fw.area_ids)}
    out = pledges.assign(
        _order=[order.get(a, len(order)) for a in pledges["area"]],
        area_name=[fw.label(fw.area(a), lang) if a in order else a for a in pledges["area"]],
        answer_name=[_answer_name(a, lang) for a in pledges["answer"]],
        date=[formatting.date(d, lang) for d in pledges["date"]],
        pledge=pledges["pledge"] if "pledge" in pledges.columns else None,
    )
    first = {c: k for k, c in enumerate(dict.fromkeys(pledges["candidate"]))}
    out["_candidate"] = [first[c] for c in out["candidate"]]
    out = out.sort_values(["_order", "_candidate", "rec_id"], kind="stable")
    return out[columns].reset_index(drop=True)


def commitments(
    dataset: Any, asks: pd.DataFrame, *, lang: str, framework: Any = None
) -> pd.DataFrame:
    """Who committed to what, per area: each candidate's answers to the area's asks.

    Parameters
    ----------
    dataset : Dataset
        Its ``pledges`` (none: an empty table).
    asks : DataFrame
        :func:`election_asks` (the asks of each area; an ask a candidate did not answer
        counts as not answered).
    lang : {"pl", "en"}

    Returns
    -------
    DataFrame
        ``area_name, candidate, committee, asks, answered_yes, answered_partly,
        answered_no, not_answered`` (counts
        of asks; "no_answer" and no row both count as not answered), one row per area
        with asks and candidate, framework area order.

    Examples
    --------
    >>> commitments(dataset, asks, lang="pl").columns.tolist()    # doctest: +SKIP
    ['area_name', 'candidate', 'committee', 'asks', 'answered_yes', ...]
    """
    check_lang(lang)
    columns = [
        "area_name",
        "candidate",
        "committee",
        "asks",
        "answered_yes",
        "answered_partly",
        "answered_no",
        "not_answered",
    ]
    pledges = getattr(dataset, "pledges", None)
    if pledges is None or pledges.empty or asks.empty:
        return pd.DataFrame(columns=columns)
    fw = resolve_framework(framework, dataset=dataset)
    people = pledges[["candidate", "committee"]].drop_duplicates("candidate")
    rows = []
    for area, group in asks.groupby("area", sort=False):
        ids = set(group["rec_id"])
        for cand, committee in zip(people["candidate"], people["committee"], strict=True):
            mine = pledges[(pledges["candidate"] == cand) & pledges["rec_id"].isin(ids)]
            counts = mine["answer"].value_counts()
            yes, partly, no = (int(counts.get(a, 0)) for a in ("yes", "partly", "no"))
            rows.append(
                {
                    "area_name": fw.label(fw.area(area), lang),
                    "candidate": cand,
                    "committee": committee,
                    "asks": len(ids),
                    "answered_yes": yes,
                    "answered_partly": partly,
                    "answered_no": no,
                    "not_answered": len(ids) - yes - partly - no,
                }
            )
    return pd.DataFrame(rows, columns=columns)


def _compile(data: dict, target: Path) -> Path:
    import matplotlib
    import typst

    build = Path(tempfile.mkdtemp(prefix="ld-election-"))
    try:
        folder = resources.files("lublin_diagnosis.report").joinpath("templates")
        text = folder.joinpath("ld_questionnaire.typ").read_text(encoding="utf-8")
        (build / "main.typ").write_text(text, encoding="utf-8")
        (build / "content.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        fonts = str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")
        pdf = typst.compile(
            str(build / "main.typ"), root=str(build), font_paths=[fonts], ignore_system_fonts=True
        )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
        return target
    finally:
        shutil.rmtree(build, ignore_errors=True)


def _questionnaire_data(asks: pd.DataFrame, lang: str, synthetic: bool) -> dict:
    areas = []
    for _, group in asks.groupby("area", sort=False):
        first = group.iloc[0]
        areas.append(
            {
                "title": f"{first['area_number']}. {first['area_name']}",
                "asks": [
                    {"id": r["rec_id"], "text": r["ask"], "evidence": r["ask_evidence"]}
                    for r in group.to_dict("records")
                ],
            }
        )
    keys = ("title", "intro", "candidate", "committee", "date", "signature", "pledge", "return")
    return {
        "lang": lang,
        "synthetic": t("report.synthetic_banner", lang) if synthetic else "",
        **{k: t(f"election.questionnaire.{k}", lang) for k in keys},
        "evidence_label": t("election.questionnaire.evidence", lang),
        "answers": [t(f"election.answers.{a}", lang) for a in ("yes", "partly", "no")],
        "none": t("election.no_asks", lang),
        "areas": areas,
    }


def write_questionnaire(
    asks: pd.DataFrame, folder: str | Path, *, lang: str, synthetic: bool = True
) -> list[Path]:
    """The questionnaire for candidates: ``questionnaire.pdf`` and ``questionnaire.docx``.

    Parameters
    ----------
    asks : DataFrame
        :func:`election_asks`.
    folder : path
        Where the files go (a run writes ``<lang>/election/``).
    lang : {"pl", "en"}
    synthetic : bool
        Print the SYNTHETIC banner.

    Returns
    -------
    list of pathlib.Path
        The PDF, then the DOCX.

    Examples
    --------
    >>> write_questionnaire(asks, "outputs/run/pl/election", lang="pl")   # doctest: +SKIP
    """
    check_lang(lang)
    folder = Path(folder)
    data = _questionnaire_data(asks, lang, synthetic)
    pdf = _compile(data, folder / "questionnaire.pdf")
    return [pdf, _docx(data, folder / "questionnaire.docx")]


def _docx(data: dict, target: Path) -> Path:
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.core_properties.title = data["title"]
    doc.core_properties.author = ""
    if data["synthetic"]:
        run = doc.add_paragraph().add_run(data["synthetic"])
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    doc.add_heading(data["title"], level=0)
    doc.add_paragraph(data["intro"])
    for key in ("candidate", "committee", "date"):
        doc.add_paragraph(f"{data[key]}: " + "_" * 40)
    if not data["areas"]:
        doc.add_paragraph(data["none"])
    boxes = "    ".join(f"☐ {a}" for a in data["answers"])
    for area in data["areas"]:
        doc.add_heading(area["title"], level=1)
        for ask in area["asks"]:
            p = doc.add_paragraph(style="List Number")
            p.add_run(f"[{ask['id']}] ").bold = True
            p.add_run(ask["text"])
            ev = doc.add_paragraph()
            small = ev.add_run(f"{data['evidence_label']}: {ask['evidence']}")
            small.italic = True
            small.font.size = Pt(9)
            doc.add_paragraph(boxes)
            doc.add_paragraph(f"{data['pledge']}: " + "_" * 60)
    doc.add_paragraph(data["signature"] + ": " + "_" * 30)
    doc.add_paragraph(data["return"])
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    return target
