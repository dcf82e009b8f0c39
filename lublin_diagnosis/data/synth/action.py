"""The action plan of the recommendations, the institutions' replies (``replies.csv``)
and the project's activity record (``events.csv``), all SYNTHETIC.

Each table has its own random stream, so adding them changed no other demo file: the
action-plan columns are appended to ``recommendations.csv`` after its seven columns,
whose values stay as they were.

* **Action plan.** The responsible level follows the institution's type (city units,
  state administration, other); the unit a generic name (the institution's name carries "(syntetyczny)"), the
  legal basis an act that plausibly applies to the area (illustrative, not a legal
  opinion), the deadline 4 to 12 months after the recommendation was issued (some
  fall before the end of the register, so the report has overdue items), and the cost a
  band of :data:`~lublin_diagnosis.data.contracts.COST_BANDS`.
* **Replies.** About two recommendations in three get a reply some weeks after they were
  issued; its commitment agrees with where the recommendation ended (implemented →
  ``implement``, rejected → ``decline``, ...).
* **Events.** The project's activities: 4 expert seminars, 3 study visits (Gdańsk,
  Wrocław, Kraków), the consultation group's meetings (the dates its opinions carry, and
  two follow-up meetings), 2 campaigns of a few actions each, and the report sent to
  every institution. Participant counts are drawn at random; there are no names.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lublin_diagnosis.data.contracts import COST_BANDS, EVENTS
from lublin_diagnosis.data.synth._common import DEFAULT_SEED, _day, _frame, _rng

__all__ = ["make_action_plan", "make_events", "make_replies"]

#: Responsible level and a generic unit by institution type.
_LEVELS: Mapping[str, tuple[str, str]] = {
    "city_hall": ("city", "Wydział Spraw Społecznych"),
    "family_assistance": ("city", "Dyrekcja MOPR"),
    "labour_office": ("city", "Dyrekcja MUP"),
    "transport": ("city", "Dział Obsługi Pasażerów"),
    "school": ("city", "Wydział Oświaty i Wychowania UM"),
    "clinic": ("city", "Wydział Zdrowia UM"),
    "voivodeship_office": ("state", "Wydział Spraw Cudzoziemców"),
    "police": ("state", "Komendant Miejski"),
    "social_insurance": ("state", "Dyrekcja oddziału"),
    "health_fund": ("state", "Dyrekcja oddziału"),
    "tax_office": ("state", "Naczelnik urzędu"),
    "university": ("other", "Biuro ds. Studentów Zagranicznych"),
}
_LEGAL_BASIS: Mapping[str, str] = {
    "health": "ustawa z 27 sierpnia 2004 r. o świadczeniach opieki zdrowotnej finansowanych "
    "ze środków publicznych",
    "education": "ustawa z 14 grudnia 2016 r. – Prawo oświatowe",
    "labour": "ustawa o rynku pracy i służbach zatrudnienia",
    "housing": "ustawa z 21 czerwca 2001 r. o ochronie praw lokatorów i mieszkaniowym "
    "zasobie gminy",
    "social_assistance": "ustawa z 12 marca 2004 r. o pomocy społecznej",
    "domestic_violence": "ustawa z 29 lipca 2005 r. o przeciwdziałaniu przemocy domowej",
    "language": "ustawa z 8 marca 1990 r. o samorządzie gminnym, art. 7",
    "information": "ustawa z 8 marca 1990 r. o samorządzie gminnym, art. 7",
    "city_services": "ustawa z 14 czerwca 1960 r. – Kodeks postępowania administracyjnego",
    "anti_discrimination": "ustawa z 3 grudnia 2010 r. o wdrożeniu niektórych przepisów "
    "Unii Europejskiej w zakresie równego traktowania",
    "participation": "ustawa z 8 marca 1990 r. o samorządzie gminnym, art. 5a",
    "culture": "ustawa z 25 października 1991 r. o organizowaniu i prowadzeniu "
    "działalności kulturalnej",
    "safety": "ustawa z 6 kwietnia 1990 r. o Policji",
    "legal_aid": "ustawa z 5 sierpnia 2015 r. o nieodpłatnej pomocy prawnej",
}
_P_COST = [0.35, 0.35, 0.2, 0.1]
#: Replies by commitment: (Polish, English) summaries.
_REPLIES: Mapping[str, tuple[tuple[str, str], ...]] = {
    "implement": (
        (
            "Instytucja deklaruje wdrożenie rekomendacji w bieżącym roku.",
            "The institution undertakes to implement the recommendation this year.",
        ),
        (
            "Zadanie wpisano do planu pracy; wyznaczono osobę odpowiedzialną.",
            "The task has been added to the work plan; a person responsible was appointed.",
        ),
    ),
    "partial": (
        (
            "Instytucja wdroży część rekomendacji; na resztę brakuje środków.",
            "The institution will implement part of the recommendation; the rest lacks funds.",
        ),
    ),
    "consider": (
        (
            "Rekomendacja zostanie rozważona przy planowaniu budżetu na kolejny rok.",
            "The recommendation will be considered when next year's budget is planned.",
        ),
        (
            "Instytucja dziękuje za raport i przeanalizuje rekomendację.",
            "The institution thanks the project for the report and will study the recommendation.",
        ),
    ),
    "refer": (
        (
            "Instytucja wskazuje, że sprawa należy do kompetencji innego organu.",
            "The institution answers that the matter is for another authority.",
        ),
    ),
    "decline": (
        (
            "Instytucja nie widzi potrzeby zmian i nie planuje wdrożenia.",
            "The institution sees no need for change and does not plan to implement it.",
        ),
    ),
}
_COMMITMENT_BY_STATUS: Mapping[str, tuple[str, ...]] = {
    "implemented": ("implement",),
    "partially_implemented": ("partial", "implement"),
    "in_progress": ("implement", "partial"),
    "acknowledged": ("consider", "refer"),
    "issued": ("consider", "refer"),
    "rejected": ("decline",),
}
_SYN_PL, _SYN_EN = "[SYNTETYCZNA] ", "[SYNTHETIC] "


def make_action_plan(
    recommendations: pd.DataFrame,
    institutions: pd.DataFrame,
    seed: int = DEFAULT_SEED,
) -> pd.DataFrame:
    """``recommendations`` with the action-plan columns appended.

    Parameters
    ----------
    recommendations : pandas.DataFrame
        Output of :func:`~lublin_diagnosis.data.synth.make_recommendations` (its first
        table).
    institutions : pandas.DataFrame
        Output of :func:`~lublin_diagnosis.data.synth.make_institutions`.
    seed : int

    Returns
    -------
    pandas.DataFrame
        The same rows and columns, then ``responsible_level, responsible_unit,
        deadline, cost_estimate, legal_basis``.

    Examples
    --------
    >>> recs = pd.DataFrame({"rec_id": ["R1"], "area": ["labour"], "institution_id": ["mup"],
    ...                      "date_issued": ["2023-03-15"]})
    >>> insts = pd.DataFrame({"institution_id": ["mup"], "type": ["labour_office"]})
    >>> make_action_plan(recs, insts).loc[0, ["responsible_level", "deadline"]].tolist()
    ['city', '2023-09-21']
    """
    rng = _rng(seed, "action_plan")
    types = dict(zip(institutions["institution_id"], institutions["type"], strict=True))
    out = recommendations.copy()
    levels, units, deadlines, costs, bases = [], [], [], [], []
    for inst, area, issued in zip(
        out["institution_id"], out["area"], out["date_issued"], strict=True
    ):
        level, unit = _LEVELS.get(types.get(inst, ""), ("other", "Zarząd"))
        months = (4, 6, 8, 10, 12)[int(rng.integers(5))]
        days = int(rng.integers(0, 31))
        levels.append(level)
        units.append(unit)
        deadline = pd.Timestamp(issued) + pd.DateOffset(months=months) + pd.Timedelta(days=days)
        deadlines.append(str(deadline.date()))
        costs.append(COST_BANDS[int(rng.choice(len(COST_BANDS), p=_P_COST))])
        bases.append(_LEGAL_BASIS.get(area, ""))
    extra = _frame(
        {
            "responsible_level": levels,
            "responsible_unit": units,
            "deadline": deadlines,
            "cost_estimate": costs,
            "legal_basis": bases,
        }
    )
    return pd.concat([out.reset_index(drop=True), extra], axis=1)


def make_replies(
    recommendations: pd.DataFrame, status: pd.DataFrame, seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """The institutions' replies: about two recommendations in three get one.

    Parameters
    ----------
    recommendations, status : pandas.DataFrame
        Outputs of :func:`~lublin_diagnosis.data.synth.make_recommendations`.
    seed : int

    Returns
    -------
    pandas.DataFrame
        ``rec_id, date, summary_pl, summary_en, commitment, document_ref``, by date of
        the recommendation.
    """
    rng = _rng(seed, "replies")
    final = status.groupby("rec_id", sort=False)["status"].last()
    rows: dict[str, list[str]] = {
        k: [] for k in ("rec_id", "date", "summary_pl", "summary_en", "commitment", "document_ref")
    }
    for k, (rec, issued) in enumerate(
        zip(recommendations["rec_id"], recommendations["date_issued"], strict=True), start=1
    ):
        if rng.random() >= 0.65:
            continue
        options = _COMMITMENT_BY_STATUS[str(final.get(rec, "issued"))]
        commitment = options[int(rng.integers(len(options)))]
        texts = _REPLIES[commitment]
        pl, en = texts[int(rng.integers(len(texts)))]
        rows["rec_id"].append(str(rec))
        rows["date"].append(str(_day(str(issued), int(rng.integers(21, 60)))))
        rows["summary_pl"].append(_SYN_PL + pl)
        rows["summary_en"].append(_SYN_EN + en)
        rows["commitment"].append(commitment)
        rows["document_ref"].append(f"SYN/{str(issued)[:4]}/{k:03d}")
    return _frame(rows)


#: (date, type, place, campaign, outputs) of the demo's events, in date order.
_EVENTS: tuple[tuple[str, str, str, str, str], ...] = (
    ("2023-01-19", "consultation_group", "Lublin", "", "opinie o projektach rekomendacji"),
    ("2023-02-09", "consultation_group", "Lublin", "", "opinie o projektach rekomendacji"),
    ("2023-02-23", "consultation_group", "Lublin", "", "opinie o projektach rekomendacji"),
    ("2023-03-02", "seminar", "Lublin", "", "notatka z seminarium: ochrona zdrowia"),
    ("2023-03-20", "report_sent", "Lublin", "", "raport z monitoringu i rekomendacje"),
    ("2023-04-18", "study_visit", "Gdańsk", "", "notatka: model integracji imigrantów"),
    ("2023-05-11", "consultation_group", "Lublin", "", "opinie o projektach rekomendacji"),
    ("2023-05-16", "campaign_action", "Lublin", "C1", "plakaty w komunikacji miejskiej"),
    ("2023-05-25", "consultation_group", "Lublin", "", "opinie o projektach rekomendacji"),
    ("2023-06-06", "seminar", "Lublin", "", "notatka z seminarium: edukacja"),
    ("2023-06-14", "campaign_action", "Lublin", "C1", "piknik informacyjny"),
    ("2023-06-27", "study_visit", "Wrocław", "", "notatka: centrum informacji dla migrantów"),
    ("2023-06-28", "campaign_action", "Lublin", "C1", "kampania w mediach społecznościowych"),
    ("2023-09-12", "study_visit", "Kraków", "", "notatka: rada ds. migrantów"),
    ("2023-09-19", "campaign_action", "Lublin", "C2", "debata z kandydatami i kandydatkami"),
    ("2023-09-26", "seminar", "Lublin", "", "notatka z seminarium: rynek pracy"),
    ("2023-10-03", "campaign_action", "Lublin", "C2", "ulotki w czterech językach"),
    ("2023-10-17", "consultation_group", "Lublin", "", "ocena wdrażania rekomendacji"),
    ("2023-11-21", "seminar", "Lublin", "", "notatka z seminarium: mieszkalnictwo"),
    ("2023-12-05", "consultation_group", "Lublin", "", "ocena wdrażania rekomendacji"),
)
#: Mean participants per category (migrants, institutions, NGOs, other) by event type.
_MEANS: Mapping[str, tuple[int, int, int, int]] = {
    "seminar": (8, 14, 9, 4),
    "study_visit": (2, 4, 3, 0),
    "consultation_group": (6, 0, 1, 0),
    "campaign_action": (60, 5, 8, 40),
    "report_sent": (0, 0, 0, 0),
}


def make_events(institutions: pd.DataFrame, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The activity record: the events of :data:`_EVENTS`, the report sent to every
    institution (one ``report_sent`` row each), participants as counts.

    Parameters
    ----------
    institutions : pandas.DataFrame
        Output of :func:`~lublin_diagnosis.data.synth.make_institutions`.
    seed : int

    Returns
    -------
    pandas.DataFrame
        The columns of the ``events`` contract, in its order.

    Examples
    --------
    >>> insts = pd.DataFrame({"institution_id": ["mup", "mopr"]})
    >>> events = make_events(insts)
    >>> events["type"].value_counts()[["seminar", "study_visit", "report_sent"]].tolist()
    [4, 3, 2]
    """
    rng = _rng(seed, "events")
    rows: dict[str, list[str]] = {c.name: [] for c in EVENTS.columns}
    k = 0
    for date, kind, place, campaign, outputs in _EVENTS:
        targets = list(institutions["institution_id"]) if kind == "report_sent" else [""]
        for inst in targets:
            k += 1
            counts = rng.poisson(np.array(_MEANS[kind], dtype=float))
            values = {
                "event_id": f"EV{k:02d}",
                "date": date,
                "type": kind,
                "place": place,
                "campaign": campaign,
                "institution_id": str(inst),
                "outputs": outputs,
            }
            for col, n in zip(
                ("participants_migrants", "participants_institutions"), counts[:2], strict=True
            ):
                values[col] = str(int(n))
            values["participants_ngo"] = str(int(counts[2]))
            values["participants_other"] = str(int(counts[3]))
            for col in rows:
                rows[col].append(values[col])
    return _frame(rows)
