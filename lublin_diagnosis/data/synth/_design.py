"""The survey's sampling design and population model: strata, PSUs, margins' shapes, universes."""

from __future__ import annotations

#: that is deliberately lower than the margins (an outdated frame estimate)
_STRATA = {
    "S1": (
        {
            "pl": "Centrum (Śródmieście, Stare Miasto, Wieniawa)",
            "en": "Centre (Śródmieście, Old Town, Wieniawa)",
        },
        0.24,
    ),
    "S2": (
        {
            "pl": "Zachód (Czuby, Węglin, Konstantynów, Sławin)",
            "en": "West (Czuby, Węglin, Konstantynów, Sławin)",
        },
        0.21,
    ),
    "S3": (
        {
            "pl": "Północ (Czechów, Kalinowszczyzna, Ponikwoda, Sławinek)",
            "en": "North (Czechów, Kalinowszczyzna, Ponikwoda, Sławinek)",
        },
        0.22,
    ),
    "S4": (
        {
            "pl": "Wschód (Tatary, Bronowice, Felin, Hajdów-Zadębie)",
            "en": "East (Tatary, Bronowice, Felin, Hajdów-Zadębie)",
        },
        0.19,
    ),
    "S5": (
        {
            "pl": "Południe (Dziesiąta, Abramowice, Wrotków, Zemborzyce)",
            "en": "South (Dziesiąta, Abramowice, Wrotków, Zemborzyce)",
        },
        0.14,
    ),
}
_FRAME_TOTAL = 58_000.0

#: recruitment channel of each sampling point, per stratum (60 PSUs in all)
_PSU_PLAN = {
    "S1": {"student": 4, "ngo_by": 4, "ua_help": 2, "work": 1, "mixed": 3},
    "S2": {"student": 5, "ngo_by": 1, "ua_help": 3, "work": 1, "mixed": 3},
    "S3": {"student": 2, "ngo_by": 1, "ua_help": 4, "work": 2, "mixed": 3},
    "S4": {"student": 0, "ngo_by": 1, "ua_help": 5, "work": 3, "mixed": 2},
    "S5": {"student": 1, "ngo_by": 1, "ua_help": 4, "work": 1, "mixed": 3},
}
_CHANNELS = ("student", "ngo_by", "ua_help", "work", "mixed")

_SEX = ("F", "M")
_AGE_GROUPS = ("18-29", "30-44", "45-64", "65+")
_CITIZENSHIP = ("UA", "BY", "RU", "other_europe", "asia", "africa_middle_east", "other")
_LEGAL = ("ukr_protection", "temporary_permit", "permanent_permit", "student", "other")
_YEARS = ("lt1", "1-2", "3-5", "6plus")
_EDUCATION = ("primary", "secondary", "tertiary")

#: P(legal_status | channel), columns in _LEGAL order
_P_LEGAL = {
    "student": [0.12, 0.08, 0.05, 0.70, 0.05],
    "ngo_by": [0.10, 0.25, 0.30, 0.10, 0.25],
    "ua_help": [0.80, 0.08, 0.05, 0.03, 0.04],
    "work": [0.20, 0.55, 0.15, 0.05, 0.05],
    "mixed": [0.40, 0.20, 0.18, 0.12, 0.10],
}
#: P(citizenship | legal_status), columns in _CITIZENSHIP order
_P_CIT = {
    "ukr_protection": [1.00, 0, 0, 0, 0, 0, 0],
    "temporary_permit": [0.55, 0.22, 0.04, 0.03, 0.10, 0.04, 0.02],
    "permanent_permit": [0.50, 0.30, 0.08, 0.04, 0.04, 0.02, 0.02],
    "student": [0.30, 0.15, 0.03, 0.05, 0.22, 0.18, 0.07],
    "other": [0.25, 0.45, 0.10, 0.05, 0.05, 0.06, 0.04],
}
#: P(age group | legal status) for non-students
_P_AGE = {
    "ukr_protection": [0.28, 0.45, 0.20, 0.07],
    "temporary_permit": [0.40, 0.42, 0.17, 0.01],
    "permanent_permit": [0.15, 0.45, 0.32, 0.08],
    "other": [0.35, 0.42, 0.18, 0.05],
}
_P_YEARS = {
    "ukr_protection": [0.15, 0.80, 0.03, 0.02],
    "temporary_permit": [0.15, 0.25, 0.35, 0.25],
    "permanent_permit": [0.00, 0.02, 0.28, 0.70],
    "student": [0.25, 0.35, 0.35, 0.05],
    "other": [0.30, 0.35, 0.20, 0.15],
}
_P_EDU = {
    "ukr_protection": [0.10, 0.40, 0.50],
    "temporary_permit": [0.15, 0.55, 0.30],
    "permanent_permit": [0.08, 0.42, 0.50],
    "student": [0.00, 0.55, 0.45],
    "other": [0.08, 0.37, 0.55],
}
_P_FEMALE = {
    "ukr_protection": 0.78,
    "temporary_permit": 0.35,
    "permanent_permit": 0.52,
    "student": 0.50,
    "other": 0.45,
}

#: (variable, universe expression) of the follow-up items; the expressions are written to
#: the codebook and can be evaluated with ``DataFrame.eval`` on the survey with ``age``
#: numeric and every other column as text
_UNIVERSES = {
    "unmet_med_need": "needed_care_12m == '1'",
    "language_barrier_health": "needed_care_12m == '1'",
    "school_support": "school_child == '1'",
    "school_info_own_lang": "school_child == '1'",
    "employed": "age >= 20 and age <= 64",
    "overqualified": "employed == '1' and education == 'tertiary'",
    "written_contract": "employed == '1'",
    "city_office_satisfied": "city_office_contact == '1'",
    "office_language_barrier": "city_office_contact == '1'",
    "discrim_reported": "discrim_12m == '1'",
    "got_legal_help": "legal_problem_12m == '1'",
}

#: item non-response: (P(missing), share of the missing that is "-8" don't know)
_NONRESPONSE = {
    "hh_income": (0.11, 0.35),
    "needed_care_12m": (0.015, 0.5),
    "unmet_med_need": (0.02, 0.3),
    "health_insured": (0.02, 0.7),
    "language_barrier_health": (0.015, 0.3),
    "school_child": (0.01, 0.2),
    "school_support": (0.03, 0.6),
    "school_info_own_lang": (0.02, 0.4),
    "employed": (0.015, 0.1),
    "overqualified": (0.04, 0.5),
    "written_contract": (0.03, 0.2),
    "overcrowded": (0.02, 0.4),
    "housing_discrim": (0.03, 0.3),
    "rent_burden": (0.05, 0.7),
    "knows_benefits": (0.02, 0.8),
    "used_mopr": (0.015, 0.2),
    "knows_dv_help": (0.03, 0.8),
    "attended_course": (0.01, 0.2),
    "knows_info_source": (0.02, 0.8),
    "info_own_language": (0.02, 0.6),
    "city_office_contact": (0.01, 0.5),
    "city_office_satisfied": (0.03, 0.5),
    "office_language_barrier": (0.02, 0.4),
    "discrim_12m": (0.05, 0.3),
    "discrim_reported": (0.04, 0.2),
    "consulted_ever": (0.015, 0.6),
    "wants_participation": (0.04, 0.8),
    "cultural_event_12m": (0.01, 0.3),
    "polish_friends": (0.015, 0.3),
    "safe_after_dark": (0.02, 0.5),
    "trust_police": (0.05, 0.5),
    "legal_problem_12m": (0.03, 0.4),
    "got_legal_help": (0.03, 0.3),
    "status_worry": (0.04, 0.5),
    "belonging": (0.03, 0.7),
}
