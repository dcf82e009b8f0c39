"""The recommendations, the consultation group's opinions and the status histories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.data.synth._common import (
    DEFAULT_SEED,
    N_RECOMMENDATIONS,
    _day,
    _days_between,
    _draw_rows,
    _frame,
    _rng,
    _text,
)
from lublin_diagnosis.data.synth._framework import _area_order, _indicators
from lublin_diagnosis.data.synth.registers import _options_by_score

# --------------------------------------------------------------------------- recommendations
_ACTIONS = [
    (
        "Wprowadzić i opisać w procedurze wewnętrznej rozwiązanie, którego dotyczy wskaźnik",
        "Introduce the practice the indicator asks about and set it down in an internal procedure",
    ),
    (
        "Zapewnić stałe finansowanie i wersje wielojęzyczne (ukraińską, angielską, rosyjską)",
        "Secure stable funding and multilingual versions (Ukrainian, English, Russian)",
    ),
    (
        "Przeszkolić personel pierwszego kontaktu i wyznaczyć osobę odpowiedzialną",
        "Train front-line staff and appoint a person responsible",
    ),
    (
        "Opublikować informacje na stronie internetowej i w punkcie obsługi",
        "Publish the information on the website and at the service desk",
    ),
    (
        "Monitorować wdrożenie i raz w roku raportować wyniki",
        "Monitor implementation and report the results once a year",
    ),
]
_COMMENTS = {
    "support": [
        ("", ""),
        ("", ""),
        (
            "Popieram – to odpowiada na realny problem.",
            "I support this – it answers a real problem.",
        ),
        (
            "Bardzo ważne dla osób, które dopiero przyjechały.",
            "Very important for people who have just arrived.",
        ),
        ("Tak, o to prosiliśmy od dawna.", "Yes, we have asked for this for a long time."),
    ],
    "amend": [
        ("Dodać wersję w języku ukraińskim i rosyjskim.", "Add Ukrainian and Russian versions."),
        (
            "Potrzebny jest konkretny termin wdrożenia.",
            "A concrete implementation deadline is needed.",
        ),
        ("Uwzględnić także osoby spoza Ukrainy.", "Include people from outside Ukraine too."),
        (
            "Skonsultować szczegóły z organizacjami migranckimi.",
            "Consult the details with migrant organisations.",
        ),
        (
            "Informacja powinna być dostępna również po angielsku.",
            "The information should also be available in English.",
        ),
    ],
    "reject": [
        (
            "Instytucja nie ma na to środków; lepiej zacząć od szkoleń.",
            "The institution has no funds for this; better to start with training.",
        ),
        ("To nie jest teraz najpilniejszy problem.", "This is not the most urgent problem now."),
        (
            "Rozwiązanie nie dotrze do osób, które najbardziej go potrzebują.",
            "The solution will not reach the people who need it most.",
        ),
    ],
}
_MEMBERS = tuple(f"CG{i:02d}" for i in range(1, 7))
#: (date the recommendations were issued, consultation-group meetings before it)
_TRANCHES = [
    ("2023-03-15", ("2023-01-19", "2023-02-09", "2023-02-23")),
    ("2023-06-20", ("2023-05-11", "2023-05-25")),
]
_STATUS_END = "2023-12-15"


def make_recommendations(
    monitoring: pd.DataFrame,
    institutions: pd.DataFrame,
    framework: Mapping[str, Any],
    seed: int = DEFAULT_SEED,
    n: int = N_RECOMMENDATIONS,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The recommendations register: recommendations, opinions and status histories.

    Recommendations rest on policy indicators where an institution scored low in the
    2022 baseline (0 first, then partial answers), spread so that every area with such an
    indicator gets at least one, and then round-robin over institutions. The consultation
    group (``CG01``-``CG06``) gives opinions at its meetings before a recommendation is
    issued. A recommendation whose indicator improved in the 2023 follow-up ends
    ``implemented`` or ``partially_implemented``; the others stay ``issued``,
    ``acknowledged`` or ``in_progress``, or are ``rejected``.

    Parameters
    ----------
    monitoring : pandas.DataFrame
        Output of :func:`make_monitoring`.
    institutions : pandas.DataFrame
        Output of :func:`make_institutions`.
    framework : mapping
        The indicator framework.
    seed : int
        Seed of the random generator.
    n : int
        Number of recommendations (fewer if there are not enough low scores).

    Returns
    -------
    tuple of pandas.DataFrame
        ``(recommendations, opinions, status)``.
    """
    rng = _rng(seed, "recommendations")
    inds = {str(i["id"]): i for i in _indicators(framework, "P")}
    scores = {iid: dict(_options_by_score(ind)) for iid, ind in inds.items()}
    names = dict(
        zip(
            institutions["institution_id"],
            zip(institutions["name_pl"], institutions["name_en"], strict=False),
            strict=False,
        )
    )
    inst_order = list(institutions["institution_id"])
    area_order = _area_order(framework)

    answers = {
        (r.institution_id, r.indicator_id, int(r.round)): r.answer
        for r in monitoring.itertuples(index=False)
    }
    cands = _candidates(rng, answers, inds, scores)
    chosen = _choose(cands, n, area_order, inst_order)

    recs: dict[str, list[str]] = {
        k: []
        for k in (
            "rec_id",
            "area",
            "institution_id",
            "indicator_ids",
            "text_pl",
            "text_en",
            "date_issued",
        )
    }
    ops: dict[str, list[str]] = {
        k: [] for k in ("rec_id", "member", "date", "opinion", "comment_pl", "comment_en")
    }
    sts: dict[str, list[str]] = {k: [] for k in ("rec_id", "date", "status")}
    for k, c in enumerate(chosen, start=1):
        rec_id = f"REC{k:02d}"
        ind = inds[c["ind"]]
        ind_ids = _indicator_ids(rng, c, cands)
        act_pl, act_en = _ACTIONS[int(rng.integers(len(_ACTIONS)))]
        cur_id = answers[(c["inst"], c["ind"], 2022)]
        text_pl, text_en = _texts(ind, cur_id, (act_pl, act_en), names[c["inst"]])
        tranche = 0 if rng.random() < 0.8 else 1
        issued, meetings = _TRANCHES[tranche]
        recs["rec_id"].append(rec_id)
        recs["area"].append(c["area"])
        recs["institution_id"].append(c["inst"])
        recs["indicator_ids"].append(";".join(ind_ids))
        recs["text_pl"].append(text_pl)
        recs["text_en"].append(text_en)
        recs["date_issued"].append(issued)
        _add_opinions(rng, rec_id, meetings, ops)
        _add_status_history(rng, c, rec_id, issued, sts)
    return _frame(recs), _frame(ops), _frame(sts)


def _candidates(
    rng: np.random.Generator,
    answers: Mapping[tuple[str, str, int], str],
    inds: Mapping[str, Mapping[str, Any]],
    scores: Mapping[str, Mapping[str, float]],
) -> list[dict[str, Any]]:
    """Every 2022 answer below the indicator's best score, lowest first (ties at random),
    with whether the 2023 follow-up improved on it."""
    cands = []
    for (iid, ind_id, rnd), ans in answers.items():
        if rnd != 2022 or ind_id not in inds:
            continue
        score = scores[ind_id][ans]
        top = max(scores[ind_id].values())
        if score >= top:
            continue
        follow = answers.get((iid, ind_id, 2023), ans)
        cands.append(
            {
                "inst": iid,
                "ind": ind_id,
                "area": str(inds[ind_id]["area"]),
                "score": score,
                "improved": scores[ind_id][follow] > score,
                "top_reached": scores[ind_id][follow] >= top,
                "tie": float(rng.random()),
            }
        )
    cands.sort(key=lambda c: (c["score"], c["tie"]))
    return cands


def _choose(
    cands: list[dict[str, Any]], n: int, area_order: list[str], inst_order: list[str]
) -> list[dict[str, Any]]:
    """Up to ``n`` candidates: one per area first, then round-robin by institution; in
    area, institution and indicator order."""
    chosen: list[dict[str, Any]] = []
    used: set[tuple[str, str]] = set()
    for area in area_order:  # one per area first
        for c in cands:
            if c["area"] == area and len(chosen) < n:
                chosen.append(c)
                used.add((c["inst"], c["ind"]))
                break
    while len(chosen) < n:  # then round-robin by institution
        added = False
        for iid in inst_order:
            for c in cands:
                if c["inst"] == iid and (iid, c["ind"]) not in used:
                    chosen.append(c)
                    used.add((iid, c["ind"]))
                    added = True
                    break
            if len(chosen) >= n:
                break
        if not added:
            break
    chosen.sort(
        key=lambda c: (
            area_order.index(c["area"]) if c["area"] in area_order else len(area_order),
            inst_order.index(c["inst"]),
            c["ind"],
        )
    )
    return chosen


def _indicator_ids(
    rng: np.random.Generator, c: Mapping[str, Any], cands: list[dict[str, Any]]
) -> list[str]:
    """The recommendation's indicator and, sometimes, a second low indicator of the same
    institution and area."""
    ind_ids = [c["ind"]]
    if rng.random() < 0.2:
        for other in cands:
            if (
                other["inst"] == c["inst"]
                and other["area"] == c["area"]
                and other["ind"] != c["ind"]
                and other["ind"] not in ind_ids
            ):
                ind_ids.append(other["ind"])
                break
    return ind_ids


def _texts(
    ind: Mapping[str, Any], cur_id: str, action: tuple[str, str], inst: tuple[str, str]
) -> tuple[str, str]:
    """The Polish and English text of a recommendation: the action, the indicator, the
    2022 answer and the target."""
    act_pl, act_en = action
    inst_pl, inst_en = inst
    opts = {str(o["id"]): o for o in ind.get("options") or []}
    best_id = max(_options_by_score(ind), key=lambda t: t[1])[0]
    q_pl = _text(ind.get("question"), "pl").rstrip(" ?.")
    q_en = _text(ind.get("question"), "en").rstrip(" ?.")
    cur_pl = _text(opts[cur_id].get("label"), "pl")
    cur_en = _text(opts[cur_id].get("label"), "en")
    best_pl = _text(opts[best_id].get("label"), "pl")
    best_en = _text(opts[best_id].get("label"), "en")
    text_pl = (
        f"[SYNTETYCZNA] {inst_pl}: {act_pl}. Wskaźnik: „{q_pl}”; "
        f"w monitoringu 2022: „{cur_pl}”; cel: „{best_pl}”."
    )
    text_en = (
        f'[SYNTHETIC] {inst_en}: {act_en}. Indicator: "{q_en}"; '
        f'2022 monitoring: "{cur_en}"; target: "{best_en}".'
    )
    return text_pl, text_en


def _add_opinions(
    rng: np.random.Generator, rec_id: str, meetings: Sequence[str], ops: dict[str, list[str]]
) -> None:
    """The opinions of the consultation group (3-6 members present) at one meeting."""
    n_members = int(rng.integers(3, 7))
    members = sorted(rng.choice(len(_MEMBERS), size=n_members, replace=False))
    meeting = meetings[int(rng.integers(len(meetings)))]
    for m in members:
        opinion = ("support", "amend", "reject")[
            int(_draw_rows(rng, np.array([[0.62, 0.28, 0.10]]))[0])
        ]
        pool = _COMMENTS[opinion]
        com_pl, com_en = pool[int(rng.integers(len(pool)))]
        ops["rec_id"].append(rec_id)
        ops["member"].append(_MEMBERS[m])
        ops["date"].append(meeting)
        ops["opinion"].append(opinion)
        ops["comment_pl"].append(com_pl)
        ops["comment_en"].append(com_en)


def _add_status_history(
    rng: np.random.Generator,
    c: Mapping[str, Any],
    rec_id: str,
    issued: str,
    sts: dict[str, list[str]],
) -> None:
    """A status history with increasing dates, starting with ``issued``; improved
    indicators end (partially) implemented."""
    if c["improved"]:
        final = (
            "implemented" if c["top_reached"] and rng.random() < 0.7 else "partially_implemented"
        )
        path = ["issued", "acknowledged", "in_progress", final]
    else:
        final = ("issued", "acknowledged", "in_progress", "rejected")[
            int(_draw_rows(rng, np.array([[0.12, 0.30, 0.38, 0.20]]))[0])
        ]
        path = {
            "issued": ["issued"],
            "acknowledged": ["issued", "acknowledged"],
            "in_progress": ["issued", "acknowledged", "in_progress"],
            "rejected": ["issued", "acknowledged", "rejected"],
        }[final]
    day = 0
    span = _days_between(issued, _STATUS_END)
    steps = np.sort(rng.choice(np.arange(1, span), size=len(path) - 1, replace=False))
    for status, offset in zip(path, [0, *steps.tolist()], strict=False):
        day = int(offset)
        sts["rec_id"].append(rec_id)
        sts["date"].append(str(_day(issued, day)))
        sts["status"].append(status)
