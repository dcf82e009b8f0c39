"""The monitoring registers: institutions, monitoring answers and administrative counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.data.synth._common import (
    DEFAULT_SEED,
    _day,
    _days_between,
    _frame,
    _rng,
    _text,
)
from lublin_diagnosis.data.synth._framework import _area_order, _indicators

#: (institution_id, type, name_pl, name_en, base areas)
_INSTITUTIONS = [
    (
        "voivodeship_office",
        "voivodeship_office",
        "Urząd Wojewódzki – Wydział Spraw Cudzoziemców (syntetyczny)",
        "Voivodeship Office – Foreigners' Department (synthetic)",
        ["legal_aid", "information", "city_services"],
    ),
    (
        "city_hall",
        "city_hall",
        "Urząd Miasta (syntetyczny)",
        "City Hall (synthetic)",
        [
            "housing",
            "language",
            "information",
            "city_services",
            "anti_discrimination",
            "participation",
            "culture",
        ],
    ),
    (
        "mopr",
        "family_assistance",
        "Miejski Ośrodek Pomocy Rodzinie – MOPR (syntetyczny)",
        "Municipal Family Assistance Centre – MOPR (synthetic)",
        ["social_assistance", "domestic_violence", "housing"],
    ),
    (
        "mup",
        "labour_office",
        "Miejski Urząd Pracy – MUP (syntetyczny)",
        "City Labour Office – MUP (synthetic)",
        ["labour", "information"],
    ),
    (
        "police",
        "police",
        "Komenda Miejska Policji (syntetyczna)",
        "City Police Headquarters (synthetic)",
        ["safety", "domestic_violence", "anti_discrimination"],
    ),
    (
        "zus",
        "social_insurance",
        "Zakład Ubezpieczeń Społecznych – oddział (syntetyczny)",
        "Social Insurance Institution ZUS – branch (synthetic)",
        ["labour", "social_assistance"],
    ),
    (
        "nfz",
        "health_fund",
        "Narodowy Fundusz Zdrowia – oddział wojewódzki (syntetyczny)",
        "National Health Fund NFZ – regional branch (synthetic)",
        ["health"],
    ),
    (
        "ztm",
        "transport",
        "Zarząd Transportu Miejskiego – ZTM (syntetyczny)",
        "Public Transport Authority – ZTM (synthetic)",
        ["city_services", "information"],
    ),
    (
        "tax_office",
        "tax_office",
        "Urząd Skarbowy (syntetyczny)",
        "Tax Office (synthetic)",
        ["city_services"],
    ),
    (
        "university_a",
        "university",
        "Uniwersytet publiczny A (syntetyczny)",
        "Public University A (synthetic)",
        ["education", "language", "culture"],
    ),
    (
        "university_b",
        "university",
        "Uczelnia medyczna B (syntetyczna)",
        "Medical University B (synthetic)",
        ["education", "health"],
    ),
    (
        "school_sp1",
        "school",
        "Szkoła Podstawowa nr 1 (syntetyczna)",
        "Primary School No. 1 (synthetic)",
        ["education", "language"],
    ),
    (
        "school_sp2",
        "school",
        "Szkoła Podstawowa nr 2 (syntetyczna)",
        "Primary School No. 2 (synthetic)",
        ["education", "language"],
    ),
    (
        "school_lo1",
        "school",
        "Liceum Ogólnokształcące nr 1 (syntetyczne)",
        "General Secondary School No. 1 (synthetic)",
        ["education", "language"],
    ),
    (
        "clinic_a",
        "clinic",
        "Miejska Przychodnia A (syntetyczna)",
        "Municipal Clinic A (synthetic)",
        ["health"],
    ),
    (
        "clinic_b",
        "clinic",
        "Miejska Przychodnia B (syntetyczna)",
        "Municipal Clinic B (synthetic)",
        ["health"],
    ),
]

#: Who can act, by institution type: the city's own units, the state administration in the
#: city, or others (the universities).
_LEVEL_BY_TYPE = {
    "city_hall": "city",
    "family_assistance": "city",
    "labour_office": "city",
    "transport": "city",
    "school": "city",
    "clinic": "city",
    "voivodeship_office": "state",
    "police": "state",
    "social_insurance": "state",
    "health_fund": "state",
    "tax_office": "state",
}


def make_institutions(framework: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Return the monitored institutions (synthetic, generic names of institution types).

    Parameters
    ----------
    framework : mapping, optional
        The framework; if given, an institution's ``areas`` also include the area of
        every policy indicator its type answers, in the framework's area order.

    Returns
    -------
    pandas.DataFrame
        Columns ``institution_id, name_pl, name_en, type, areas, responsible_level``
        (``city``, ``state`` or ``other``: who the institution answers to).
    """
    order = _area_order(framework)
    by_type: dict[str, set[str]] = {}
    if framework:
        for ind in _indicators(framework, "P"):
            for t in ind.get("institution_types") or []:
                by_type.setdefault(str(t), set()).add(str(ind["area"]))
    rows: dict[str, list[str]] = {
        k: []
        for k in ("institution_id", "name_pl", "name_en", "type", "areas", "responsible_level")
    }
    for iid, itype, pl, en, areas in _INSTITUTIONS:
        wanted = set(areas) | by_type.get(itype, set())
        ordered = [a for a in order if a in wanted] + sorted(wanted - set(order))
        rows["institution_id"].append(iid)
        rows["name_pl"].append(pl)
        rows["name_en"].append(en)
        rows["type"].append(itype)
        rows["areas"].append(";".join(ordered))
        rows["responsible_level"].append(_LEVEL_BY_TYPE.get(itype, "other"))
    return _frame(rows)


# --------------------------------------------------------------------------- monitoring
_EVIDENCE = ("questionnaire", "foi_request", "document_review", "web_audit")
_ROUNDS = {2022: ("2022-05-04", "2022-10-28"), 2023: ("2023-09-04", "2023-11-24")}


def _options_by_score(ind: Mapping[str, Any]) -> list[tuple[str, float]]:
    opts = [(str(o["id"]), float(o.get("score", 0))) for o in ind.get("options") or []]
    return sorted(opts, key=lambda t: t[1])  # stable: ties keep file order


def make_monitoring(
    institutions: pd.DataFrame, framework: Mapping[str, Any], seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """Monitoring answers for every policy indicator and institution, two rounds.

    Every institution whose type is in a ``P`` indicator's ``institution_types`` answers
    it in the 2022 baseline and the 2023 follow-up. Baseline answers come from an
    ordinal model with an institution "openness" effect and an indicator difficulty
    (mean score a little below 50); in the follow-up about one answer
    in six that could improve moves one option up, a few move down.

    Parameters
    ----------
    institutions : pandas.DataFrame
        Output of :func:`make_institutions`.
    framework : mapping
        The indicator framework.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Columns ``institution_id, indicator_id, answer, evidence, date, round``.
    """
    rng = _rng(seed, "monitoring")
    inst = list(zip(institutions["institution_id"], institutions["type"], strict=False))
    openness = dict(zip([i for i, _ in inst], rng.normal(0.0, 0.7, size=len(inst)), strict=False))
    rows: dict[str, list[str]] = {
        k: [] for k in ("institution_id", "indicator_id", "answer", "evidence", "date", "round")
    }
    for ind in _indicators(framework, "P"):
        opts = _options_by_score(ind)
        if not opts:
            continue
        k = len(opts)
        difficulty = rng.normal(0.0, 0.6)
        types = {str(t) for t in ind.get("institution_types") or []}
        source = str(ind.get("source", "questionnaire"))
        evidence = source if source in _EVIDENCE else "questionnaire"
        cuts = np.linspace(-0.5, 0.9, k - 1) if k > 1 else np.array([])
        for iid, itype in inst:
            if itype not in types:
                continue
            z = openness[iid] + difficulty + rng.normal(0.0, 0.8)
            base = int(np.searchsorted(cuts, z))
            r = rng.random()
            follow = base
            if base < k - 1 and r < 0.16:
                follow = base + 1
            elif base > 0 and r > 0.97:
                follow = base - 1
            for rnd, level in ((2022, base), (2023, follow)):
                start, end = _ROUNDS[rnd]
                ev = evidence if rng.random() < 0.8 else _EVIDENCE[int(rng.integers(4))]
                date = _day(start, int(rng.integers(0, _days_between(start, end) + 1)))
                rows["institution_id"].append(iid)
                rows["indicator_id"].append(str(ind["id"]))
                rows["answer"].append(opts[level][0])
                rows["evidence"].append(ev)
                rows["date"].append(str(date))
                rows["round"].append(str(rnd))
    df = _frame(rows)
    inst_order = {iid: i for i, (iid, _) in enumerate(inst)}
    ind_order = {str(i["id"]): j for j, i in enumerate(_indicators(framework, "P"))}
    key = (
        df["round"].astype(int) * 10_000_000
        + df["institution_id"].map(inst_order) * 10_000
        + df["indicator_id"].map(ind_order)
    )
    return df.iloc[np.argsort(key.to_numpy(), kind="stable")].reset_index(drop=True)


# --------------------------------------------------------------------------- admin
def _format_number(value: float, ind: Mapping[str, Any], worst: float, best: float) -> str:
    """Format an administrative value with a fixed number of decimals for its unit."""
    unit = _text(ind.get("unit"), "en").strip().lower()
    value = max(float(value), 0.0)
    if unit.startswith("per ") or " per " in f" {unit} ":
        return f"{value:.2f}"
    if unit.startswith("%") or "percent" in unit:
        return f"{value:.1f}"
    if float(worst).is_integer() and float(best).is_integer():
        return f"{int(round(value)):d}"
    return f"{value:.2f}"


def make_admin(
    institutions: pd.DataFrame, framework: Mapping[str, Any], seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """A value for every administrative (``A``) indicator in both rounds.

    Values lie between the indicator's goalposts (a draw placing them somewhat below the
    middle in 2022, slightly better in 2023). The figure is attributed to the first
    institution of the indicator's ``institution_types`` if it has any, otherwise it is
    city-wide (empty ``institution_id``).

    Parameters
    ----------
    institutions : pandas.DataFrame
        Output of :func:`make_institutions`.
    framework : mapping
        The indicator framework.
    seed : int
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator_id, institution_id, round, value, source, date``.
    """
    rng = _rng(seed, "admin")
    first_of_type: dict[str, str] = {}
    for iid, itype in zip(institutions["institution_id"], institutions["type"], strict=False):
        first_of_type.setdefault(str(itype), str(iid))
    rows: dict[str, list[str]] = {
        k: [] for k in ("indicator_id", "institution_id", "round", "value", "source", "date")
    }
    source_text = {
        "foi_request": "SYNTHETIC: answer to a freedom-of-information request (demo)",
        "register": "SYNTHETIC: register extract (demo)",
        "document_review": "SYNTHETIC: document review (demo)",
        "questionnaire": "SYNTHETIC: institution questionnaire (demo)",
        "web_audit": "SYNTHETIC: web audit (demo)",
    }
    for ind in _indicators(framework, "A"):
        goal = ind.get("goalposts") or {}
        worst = float(goal.get("worst", 0.0))
        best = float(goal.get("best", 100.0))
        t0 = rng.beta(2.0, 2.6)
        t1 = min(t0 + abs(rng.normal(0.05, 0.06)), 0.98)
        iid = ""
        for t in ind.get("institution_types") or []:
            if str(t) in first_of_type:
                iid = first_of_type[str(t)]
                break
        src = source_text.get(str(ind.get("source")), "SYNTHETIC: demo figure")
        for rnd, t in ((2022, t0), (2023, t1)):
            start, end = _ROUNDS[rnd]
            value = worst + t * (best - worst)
            date = _day(start, int(rng.integers(0, _days_between(start, end) + 1)))
            rows["indicator_id"].append(str(ind["id"]))
            rows["institution_id"].append(iid)
            rows["round"].append(str(rnd))
            rows["value"].append(_format_number(value, ind, worst, best))
            rows["source"].append(src)
            rows["date"].append(str(date))
    df = _frame(rows)
    order = np.argsort(df["round"].astype(int).to_numpy(), kind="stable")
    return df.iloc[order].reset_index(drop=True)
