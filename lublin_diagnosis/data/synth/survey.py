"""The demo survey (``survey.csv``) and its population margins (``margins.csv``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.data.synth._common import (
    DEFAULT_SEED,
    N_RESPONDENTS,
    _bern,
    _draw_rows,
    _frame,
    _rng,
)
from lublin_diagnosis.data.synth._design import (
    _AGE_GROUPS,
    _CHANNELS,
    _CITIZENSHIP,
    _EDUCATION,
    _FRAME_TOTAL,
    _LEGAL,
    _NONRESPONSE,
    _P_AGE,
    _P_CIT,
    _P_EDU,
    _P_FEMALE,
    _P_LEGAL,
    _P_YEARS,
    _PSU_PLAN,
    _STRATA,
    _UNIVERSES,
    _YEARS,
)
from lublin_diagnosis.data.synth.codebook import make_codebook


# --------------------------------------------------------------------------- survey
def _psu_table(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """Sampling points: id, stratum, recruitment channel, number of interviews."""
    rows = []
    for stratum, plan in _PSU_PLAN.items():
        channels = [c for c in _CHANNELS for _ in range(plan[c])]
        order = rng.permutation(len(channels))
        rows.extend((stratum, channels[i]) for i in order)
    n_psu = len(rows)
    base = 10
    shares = rng.gamma(4.0, 1.0, size=n_psu)
    sizes = base + rng.multinomial(n - base * n_psu, shares / shares.sum())
    return pd.DataFrame(
        {
            "psu": [f"P{i + 1:03d}" for i in range(n_psu)],
            "stratum": [r[0] for r in rows],
            "channel": [r[1] for r in rows],
            "size": sizes.astype(int),
        }
    )


def _lookup(table: Mapping[str, Sequence[float]], keys: np.ndarray) -> np.ndarray:
    return np.array([table[k] for k in keys], dtype=float)


def make_survey(
    seed: int = DEFAULT_SEED, n: int = N_RESPONDENTS, *, stream: str = "survey"
) -> pd.DataFrame:
    """Generate the synthetic survey microdata.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    n : int
        Number of respondents.
    stream : str
        The random stream (``"survey_history"`` draws an earlier, independent round).

    Returns
    -------
    pandas.DataFrame
        One row per respondent, the columns of :func:`make_codebook` in its order, every
        value as text; empty text for an item outside its universe.
    """
    rng = _rng(seed, stream)
    psus = _psu_table(rng, n)
    psu = np.repeat(psus["psu"].to_numpy(), psus["size"].to_numpy())
    stratum = np.repeat(psus["stratum"].to_numpy(), psus["size"].to_numpy())
    channel = np.repeat(psus["channel"].to_numpy(), psus["size"].to_numpy())
    psu_index = np.repeat(np.arange(len(psus)), psus["size"].to_numpy())
    n = psu.shape[0]

    # PSU random effects: one common, one per outcome item (drawn lazily, fixed order)
    u_common = rng.normal(0.0, 0.6, size=len(psus))[psu_index]

    def psu_effect(sd: float = 0.4) -> np.ndarray:
        return rng.normal(0.0, sd, size=len(psus))[psu_index]

    p = _demography(rng, channel, u_common, n)
    income, items = _outcomes(rng, p, channel, u_common, psu_effect, n)

    # --- base weights: constant within stratum ----------------------------------------
    n_h = pd.Series(stratum).value_counts()
    bw = np.array([_STRATA[s][1] * _FRAME_TOTAL / n_h[s] for s in stratum])

    cols: dict[str, np.ndarray] = {
        "resp_id": np.array([f"R{i + 1:04d}" for i in range(n)]),
        "stratum": stratum,
        "psu": psu,
        "base_weight": np.array([f"{w:.4f}" for w in bw]),
        "sex": p["sex"],
        "age_group": p["age_group"],
        "citizenship": p["citizenship"],
        "legal_status": p["legal"],
        "age": p["age"].astype(str),
        "years_in_pl": p["years"],
        "polish_level": p["pol"].astype(str),
        "education": p["education"],
        "children_u18": p["children"].astype(str),
        "hh_income": np.array([f"{x:.0f}" for x in income]),
    }
    for name, values in items.items():
        cols[name] = np.asarray(values).astype(int).astype(str)
    cols = {k: np.asarray(v).astype(object) for k, v in cols.items()}
    return _universes_and_nonresponse(rng, cols, n)


def _demography(
    rng: np.random.Generator, channel: np.ndarray, u_common: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """Socio-demography of each respondent, drawn given the recruitment channel: legal
    status, citizenship, sex, age, years in Poland, education, Polish (0 none .. 3
    fluent), children."""
    legal = np.array(_LEGAL)[_draw_rows(rng, _lookup(_P_LEGAL, channel))]
    p_cit = _lookup(_P_CIT, legal)
    by_net = (channel == "ngo_by") & (legal != "ukr_protection")
    p_cit[by_net, 1] *= 3.0  # Belarusians reached through NGO networks
    citizenship = np.array(_CITIZENSHIP)[_draw_rows(rng, p_cit)]

    p_f = np.array([_P_FEMALE[s] for s in legal])
    far = np.isin(citizenship, ["asia", "africa_middle_east"])
    p_f[(legal == "student") & far] = 0.35
    sex = np.where(rng.random(n) < p_f, "F", "M")

    student = legal == "student"
    age = np.zeros(n, dtype=int)
    age[student] = np.clip(np.round(18.5 + rng.gamma(2.0, 1.8, size=student.sum())), 18, 38).astype(
        int
    )
    other = ~student
    group = _draw_rows(rng, _lookup(_P_AGE, legal[other]))
    lo = np.array([18, 30, 45, 65])[group]
    hi = np.array([29, 44, 64, 85])[group]
    a = lo + np.floor(rng.random(other.sum()) * (hi - lo + 1)).astype(int)
    old = group == 3
    a[old] = np.minimum(65 + np.floor(rng.exponential(5.0, size=old.sum())), 85).astype(int)
    age[other] = a
    age_group = np.array(_AGE_GROUPS)[np.searchsorted([30, 45, 65], age, side="right")]

    years_i = _draw_rows(rng, _lookup(_P_YEARS, legal))
    p_edu = _lookup(_P_EDU, legal)
    p_edu[age >= 65] = [0.30, 0.45, 0.25]
    edu_i = _draw_rows(rng, p_edu)
    edu_i[(age < 21) & (edu_i == 2)] = 1
    education = np.array(_EDUCATION)[edu_i]
    years = np.array(_YEARS)[years_i]

    slav = np.select(
        [np.isin(citizenship, ["UA", "BY", "RU"]), citizenship == "other_europe", far],
        [0.8, 0.2, -0.6],
        -0.3,
    )
    lp = (
        -0.75
        + 0.6 * years_i
        + slav
        + 0.25 * (edu_i == 2)
        + 0.2 * (student & ~far)
        - 0.3 * (age >= 55)
        + 0.3 * u_common
        + rng.normal(0.0, 0.8, size=n)
    )
    pol = np.digitize(lp, [0.0, 0.9, 1.8])  # 0 none .. 3 fluent

    female = sex == "F"
    mid_age = (age >= 25) & (age <= 54)
    p_child = np.select(
        [
            legal == "ukr_protection",
            legal == "permanent_permit",
            legal == "temporary_permit",
            student,
        ],
        [np.where(female & mid_age, 0.70, 0.22), np.where(mid_age, 0.50, 0.15), 0.20, 0.03],
        0.30,
    )
    p_child = np.where(age >= 65, 0.04, p_child)
    children = (rng.random(n) < p_child).astype(int)
    return {
        "legal": legal,
        "citizenship": citizenship,
        "sex": sex,
        "age": age,
        "age_group": age_group,
        "years_i": years_i,
        "years": years,
        "edu_i": edu_i,
        "education": education,
        "pol": pol,
        "children": children,
        "student": student,
        "female": female,
    }


def _outcomes(
    rng: np.random.Generator,
    p: Mapping[str, np.ndarray],
    channel: np.ndarray,
    u_common: np.ndarray,
    psu_effect: Callable[..., np.ndarray],
    n: int,
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Household income and the outcome items, from a latent model with PSU effects
    (``psu_effect`` draws one item-specific effect per call, in this fixed order)."""
    legal, citizenship, age, edu_i = p["legal"], p["citizenship"], p["age"], p["edu_i"]
    student, female, children = p["student"], p["female"], p["children"]
    pol, years_i = p["pol"], p["years_i"]
    ukr = (legal == "ukr_protection").astype(float)
    temp = (legal == "temporary_permit").astype(float)
    perm = (legal == "permanent_permit").astype(float)
    oth = (legal == "other").astype(float)
    stu = student.astype(float)
    afr = (citizenship == "africa_middle_east").astype(float)
    asia = (citizenship == "asia").astype(float)
    ngo = (channel == "ngo_by").astype(float)
    fem = female.astype(float)
    kids = children.astype(float)
    P = pol.astype(float)
    Y = years_i.astype(float)
    u = u_common

    working_age = (age >= 20) & (age <= 64)
    emp = _bern(
        rng,
        -0.9
        + 0.55 * P
        + 0.3 * Y
        + 2.2 * temp
        + 1.0 * perm
        + 0.3 * oth
        + 0.2 * ukr
        - 1.3 * stu
        + 0.4 * (1 - fem)
        - 0.7 * kids * fem
        - 0.6 * (age >= 55)
        + 0.5 * u
        + psu_effect(),
    )
    emp = np.where(working_age, emp, 0)
    log_inc = (
        7.9
        + 0.12 * P
        + 0.55 * emp
        + 0.08 * Y
        + 0.25 * (edu_i == 2)
        + 0.2 * kids
        - 0.3 * stu
        + 0.2 * u
        + rng.normal(0.0, 0.5, size=n)
    )
    income = np.round(np.exp(log_inc) / 10.0) * 10.0

    insured = _bern(
        rng, 0.2 + 1.6 * emp + 1.3 * ukr + 0.9 * stu + 1.0 * perm + 0.2 * P + psu_effect()
    )
    needed = _bern(rng, 0.25 + 0.025 * (age - 35) + 0.35 * kids + 0.3 * fem + psu_effect())
    unmet = _bern(rng, -0.3 - 0.45 * P - 0.2 * Y - 0.7 * insured - 0.6 * u + psu_effect(0.5))
    lang_health = _bern(rng, 1.4 - 1.0 * P + 0.4 * (afr + asia) - 0.3 * u + psu_effect())
    school_child = children * (rng.random(n) < 0.85).astype(int)
    school_support = _bern(rng, 0.2 + 0.5 * ukr + 0.4 * u + psu_effect(0.5))
    school_info = _bern(
        rng, -0.2 + 0.4 * P + 0.5 * np.isin(citizenship, ["UA", "RU"]) + 0.3 * u + psu_effect()
    )
    overq = _bern(rng, 0.9 - 0.5 * P - 0.2 * Y + 0.4 * ukr + psu_effect())
    contract = _bern(
        rng, 0.9 + 0.35 * P + 0.25 * Y + 0.5 * temp - 0.6 * ukr + 0.3 * u + psu_effect()
    )
    overcrowded = _bern(
        rng, -1.0 + 0.6 * ukr + 0.4 * kids - 0.25 * Y - 0.3 * perm - 0.3 * u + psu_effect()
    )
    housing_discrim = _bern(
        rng, -2.0 + 1.3 * afr + 0.9 * asia + 0.3 * ukr - 0.15 * P + psu_effect()
    )
    rent_burden = _bern(rng, -0.4 - 0.9 * emp + 0.4 * ukr + 0.3 * stu + psu_effect())
    knows_benefits = _bern(
        rng, -0.9 + 0.5 * P + 0.3 * Y + 0.5 * ukr + 0.3 * ngo + 0.5 * u + psu_effect()
    )
    used_mopr = _bern(
        rng, -2.4 + 1.4 * ukr + 0.6 * kids - 0.6 * emp + 0.8 * knows_benefits + psu_effect()
    )
    knows_dv = _bern(rng, -1.2 + 0.45 * P + 0.2 * Y + 0.3 * fem + 0.5 * u + psu_effect())
    course = _bern(
        rng,
        -1.0
        + 0.6 * ukr
        + 0.5 * stu
        - 0.25 * Y
        + 0.3 * np.isin(pol, [1, 2])
        + 0.3 * u
        + psu_effect(),
    )
    knows_info = _bern(rng, -0.4 + 0.5 * P + 0.25 * Y + 0.4 * ngo + 0.5 * u + psu_effect())
    info_lang = _bern(
        rng,
        0.1
        + 0.3 * P
        + 0.6 * np.isin(citizenship, ["UA", "RU"])
        + 0.2 * (citizenship == "BY")
        - 0.3 * (afr + asia)
        + 0.3 * u
        + psu_effect(),
    )
    office_contact = _bern(rng, -0.5 + 0.4 * ukr + 0.4 * kids + 0.1 * Y + psu_effect())
    office_sat = _bern(rng, 0.2 + 0.35 * P + 0.4 * u + psu_effect(0.5))
    office_lang = _bern(rng, 0.8 - 0.9 * P - 0.2 * u + psu_effect())
    discrim = _bern(
        rng, -1.5 + 1.4 * afr + 0.9 * asia + 0.2 * ukr - 0.1 * P - 0.2 * u + psu_effect()
    )
    discrim_rep = _bern(rng, -1.6 + 0.35 * P + 0.4 * knows_info + psu_effect())
    consulted = _bern(rng, -3.2 + 0.35 * Y + 0.3 * P + 0.5 * ngo + psu_effect())
    wants_part = _bern(rng, -0.3 + 0.2 * P + 0.1 * Y + 0.2 * u + psu_effect())
    culture = _bern(rng, -0.2 + 0.3 * P + 0.6 * stu - 0.3 * kids + 0.3 * u + psu_effect())
    friends = _bern(rng, -1.0 + 0.7 * P + 0.3 * Y + 0.5 * stu + 0.3 * u + psu_effect())
    safe = _bern(rng, 1.3 - 0.7 * fem - 0.6 * afr - 0.3 * asia + 0.3 * u + psu_effect())
    trust = _bern(
        rng, 0.6 + 0.1 * P - 0.8 * afr - 0.3 * asia - 0.6 * discrim + 0.3 * u + psu_effect()
    )
    legal_prob = _bern(rng, -1.3 + 0.5 * temp + 0.6 * oth - 0.2 * Y + psu_effect())
    legal_help = _bern(rng, -0.3 + 0.35 * P + 0.4 * knows_info + 0.4 * ngo + psu_effect())
    worry = _bern(rng, 0.1 + 0.6 * ukr + 0.6 * temp + 0.9 * oth - 1.8 * perm + psu_effect())
    belong = np.clip(
        np.round(
            5.0
            + 0.5 * P
            + 0.35 * Y
            + 0.7 * friends
            - 0.9 * discrim
            + 0.6 * u
            + rng.normal(0.0, 1.7, size=n)
        ),
        0,
        10,
    ).astype(int)

    items = {
        "needed_care_12m": needed,
        "unmet_med_need": unmet,
        "health_insured": insured,
        "language_barrier_health": lang_health,
        "school_child": school_child,
        "school_support": school_support,
        "school_info_own_lang": school_info,
        "employed": emp,
        "overqualified": overq,
        "written_contract": contract,
        "overcrowded": overcrowded,
        "housing_discrim": housing_discrim,
        "rent_burden": rent_burden,
        "knows_benefits": knows_benefits,
        "used_mopr": used_mopr,
        "knows_dv_help": knows_dv,
        "attended_course": course,
        "knows_info_source": knows_info,
        "info_own_language": info_lang,
        "city_office_contact": office_contact,
        "city_office_satisfied": office_sat,
        "office_language_barrier": office_lang,
        "discrim_12m": discrim,
        "discrim_reported": discrim_rep,
        "consulted_ever": consulted,
        "wants_participation": wants_part,
        "cultural_event_12m": culture,
        "polish_friends": friends,
        "safe_after_dark": safe,
        "trust_police": trust,
        "legal_problem_12m": legal_prob,
        "got_legal_help": legal_help,
        "status_worry": worry,
        "belonging": belong,
    }
    return income, items


def _universes_and_nonresponse(
    rng: np.random.Generator, cols: dict[str, np.ndarray], n: int
) -> pd.DataFrame:
    """Empty the items outside their universe, then draw item non-response (filters
    first, in codebook order); return the columns in codebook order."""
    order = [v["name"] for v in make_codebook()["variables"]]
    for name in order:
        if name not in _NONRESPONSE:
            continue
        if name in _UNIVERSES:
            inside = _eval_universe(cols, _UNIVERSES[name])
            cols[name][~inside] = ""
        else:
            inside = np.ones(n, dtype=bool)
        p_miss, p_dk = _NONRESPONSE[name]
        r = rng.random(n)
        miss = inside & (r < p_miss)
        dk = miss & (r < p_miss * p_dk)
        cols[name][miss] = "-9"
        cols[name][dk] = "-8"
    return _frame({k: cols[k] for k in order})


def _eval_universe(cols: Mapping[str, np.ndarray], expr: str) -> np.ndarray:
    """Evaluate a codebook universe expression on text columns (``age`` numeric)."""
    names = [t for t in expr.replace("(", " ").replace(")", " ").split() if t in cols]
    frame = pd.DataFrame({k: cols[k].astype(str) for k in dict.fromkeys(names)})
    if "age" in frame:
        frame["age"] = frame["age"].astype(int)
    return np.asarray(frame.eval(expr, engine="python"), dtype=bool)


# --------------------------------------------------------------------------- margins
#: population shares of each margin (shaped on public figures, see the sources) and the
#: margin total; totals differ slightly because each comes from a different register
_MARGINS: dict[str, dict[str, Any]] = {
    "sex": {
        "total": 61_800,
        "shares": {"F": 0.555, "M": 0.445},
        "source": (
            "SYNTHETIC: shaped on PESEL-UKR registrations in Lubelskie on 2 Nov 2022 "
            "(70% women) and valid residence permits in Lubelskie in early 2018 "
            "(60% men), press reports; not an official count for Lublin"
        ),
        "source_pl": (
            "SYNTETYCZNE: na wzór rejestracji PESEL-UKR w Lubelskiem z 2 listopada 2022 r. "
            "(70% kobiet) i ważnych zezwoleń na pobyt w Lubelskiem z początku 2018 r. "
            "(60% mężczyzn), doniesienia prasowe; to nie jest oficjalna liczba dla Lublina"
        ),
        "reference_date": "2022-11-02",
    },
    "age_group": {
        "total": 61_720,
        "shares": {"18-29": 0.285, "30-44": 0.405, "45-64": 0.245, "65+": 0.065},
        "source": (
            "SYNTHETIC: shaped on the age structure of residence permits in "
            "Lubelskie (54% aged 20-39, press reports 2018) and the adult share of "
            "the 1 Apr 2022 mobile-phone estimate of Ukrainians in Lublin"
        ),
        "source_pl": (
            "SYNTETYCZNE: na wzór struktury wieku osób z zezwoleniami na pobyt w "
            "Lubelskiem (54% w wieku 20–39 lat, doniesienia prasowe z 2018 r.) i odsetka "
            "dorosłych w szacunku liczby Ukrainek i Ukraińców w Lublinie z 1 kwietnia "
            "2022 r. (na podstawie danych z telefonów komórkowych)"
        ),
        "reference_date": "2022-06-30",
    },
    "citizenship": {
        "total": 61_870,
        "shares": {
            "UA": 0.735,
            "BY": 0.105,
            "RU": 0.025,
            "other_europe": 0.022,
            "asia": 0.063,
            "africa_middle_east": 0.035,
            "other": 0.015,
        },
        "source": (
            "SYNTHETIC: shaped on Ukrainians in Lublin on 1 Apr 2022 (68,400 incl. "
            "16,900 children, mobile-phone estimate) and foreigners insured in ZUS "
            "in Lubelskie on 30 Jun 2022 (Ukraine 18,400, Belarus 7,900), press "
            "reports"
        ),
        "source_pl": (
            "SYNTETYCZNE: na wzór liczby Ukrainek i Ukraińców w Lublinie 1 kwietnia 2022 r. "
            "(68 400, w tym 16 900 dzieci, szacunek na podstawie danych z telefonów "
            "komórkowych) i cudzoziemców ubezpieczonych w ZUS w Lubelskiem 30 czerwca "
            "2022 r. (z Ukrainy 18 400, z Białorusi 7900), doniesienia prasowe"
        ),
        "reference_date": "2022-06-30",
    },
    "legal_status": {
        "total": 61_760,
        "shares": {
            "ukr_protection": 0.385,
            "temporary_permit": 0.310,
            "permanent_permit": 0.125,
            "student": 0.120,
            "other": 0.060,
        },
        "source": (
            "SYNTHETIC: shaped on PESEL-UKR registrations (2 Nov 2022), valid "
            "residence permits (early 2018) and 8,300 foreign students in Lublin "
            "in 2021/22, press reports"
        ),
        "source_pl": (
            "SYNTETYCZNE: na wzór rejestracji PESEL-UKR (2 listopada 2022 r.), ważnych "
            "zezwoleń na pobyt (początek 2018 r.) i 8300 studentek i studentów z "
            "zagranicy w Lublinie w roku akademickim 2021/22, doniesienia prasowe"
        ),
        "reference_date": "2022-11-02",
    },
}


def make_margins() -> pd.DataFrame:
    """Return the population margins of the four weighting variables.

    The margins describe the adult migrant population of Lublin city. They are synthetic,
    shaped on public figures (``DOMAIN.md``), and do not depend on the seed. Counts are
    rounded to tens; each margin's total is its own (different registers) and the four
    totals agree within 0.3 %.

    Returns
    -------
    pandas.DataFrame
        Columns ``variable, category, count, source, source_pl, reference_date``, text
        values (``source`` in English, ``source_pl`` in Polish).
    """
    rows: dict[str, list[str]] = {
        k: [] for k in ("variable", "category", "count", "source", "source_pl", "reference_date")
    }
    for var, spec in _MARGINS.items():
        cats = list(spec["shares"])
        counts = [int(round(spec["total"] * spec["shares"][c] / 10.0)) * 10 for c in cats]
        largest = int(np.argmax(counts))
        counts[largest] += spec["total"] - sum(counts)
        for cat, cnt in zip(cats, counts, strict=False):
            rows["variable"].append(var)
            rows["category"].append(cat)
            rows["count"].append(str(cnt))
            rows["source"].append(spec["source"])
            rows["source_pl"].append(spec["source_pl"])
            rows["reference_date"].append(spec["reference_date"])
    return _frame(rows)


# --------------------------------------------------------------------------- framework
