"""Seeded generator of the SYNTHETIC demo dataset.

Everything this module writes is invented. It contains no real person and no finding of
the real 2022-23 monitoring of Lublin's institutions; the population margins are *shaped*
on a handful of public figures (press reports of official data, see ``DOMAIN.md``) but are
not official counts. The data exist to exercise the package end to end: contract
validation, raking to margins, design-based standard errors with a clustered sample, the
14-area scorecard, disclosure control and the bilingual report.

The generator is deterministic byte for byte: every random draw comes from a
``numpy.random.Generator(PCG64([seed, stream]))`` with one stream per input, numbers are
formatted with fixed formats, rows are in a stable order, files use ``\\n`` line endings
and UTF-8 without BOM, and no date depends on "now". The same seed (and the same framework
file) always produces the same bytes; ``tests/test_synth.py`` checks that the committed
``data/demo`` equals a fresh run with seed 2023.

What is built in:

* **A skewed quota/network sample.** About 1,200 respondents in 5 strata (district groups)
  and 60 sampling points (PSUs). Each PSU is a recruitment channel - a university
  dormitory, a Belarusian NGO network, a help point for refugees from Ukraine, a
  workplace or a mixed point - so the sample over-represents students, young people and
  Belarusians and under-represents people aged 45+ and workers on temporary permits,
  relative to the margins. Raking therefore moves estimates visibly.
* **Real intra-cluster correlation.** A PSU random effect enters every outcome (plus an
  item-specific PSU effect), so design effects are well above 1.
* **Plausible relationships from a latent model.** Self-rated Polish and years in Poland
  drive employment, unmet medical need, information access, knowledge of benefits and
  help lines, satisfaction at city hall, Polish friends and belonging; respondents under
  temporary protection (``ukr_protection``) are mostly women, often with children;
  students are young with secondary or tertiary education; perceived discrimination is
  higher among people from Asia, Africa and the Middle East.
* **Universes and item non-response.** Follow-up items are empty outside their universe
  (``unmet_med_need`` only when ``needed_care_12m == '1'``, and so on); 1-5 % item
  non-response coded ``-9`` (refused) / ``-8`` (don't know), more for income.

Public entry point: :func:`write_demo`. The ``make_*`` functions return the tables as
DataFrames of strings, exactly as they are written.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lublin_diagnosis.data.translations import REVIEW_LANGUAGES, translate

__all__ = [
    "DEFAULT_SEED",
    "FRAMEWORK_ID",
    "N_LEGAL_CASES",
    "N_RECOMMENDATIONS",
    "N_RESPONDENTS",
    "default_framework_path",
    "load_framework_dict",
    "make_admin",
    "make_codebook",
    "make_dataset_meta",
    "make_institutions",
    "make_legal_cases",
    "make_margins",
    "make_monitoring",
    "make_readme",
    "make_recommendations",
    "make_survey",
    "write_demo",
]

DEFAULT_SEED = 2023
FRAMEWORK_ID = "lublin-14"
N_RESPONDENTS = 1200
N_LEGAL_CASES = 60
N_RECOMMENDATIONS = 50

#: one independent random stream per input, so that e.g. a change in the framework file
#: does not change the survey
_STREAMS = {
    "survey": 1,
    "monitoring": 2,
    "admin": 3,
    "legal_cases": 4,
    "recommendations": 5,
}

_FILES = {
    "survey": "survey.csv",
    "codebook": "codebook.yml",
    "margins": "margins.csv",
    "institutions": "institutions.csv",
    "monitoring": "monitoring.csv",
    "admin": "admin.csv",
    "legal_cases": "legal_cases.csv",
    "recommendations": "recommendations.csv",
    "opinions": "recommendation_opinions.csv",
    "status": "recommendation_status.csv",
}

_YES_NO = {"1": {"pl": "Tak", "en": "Yes"}, "0": {"pl": "Nie", "en": "No"}}
_MISSING = ["-9", "-8"]

_AREA_IDS = (
    "health",
    "education",
    "labour",
    "housing",
    "social_assistance",
    "domestic_violence",
    "language",
    "information",
    "city_services",
    "anti_discrimination",
    "participation",
    "culture",
    "safety",
    "legal_aid",
)


# --------------------------------------------------------------------------- helpers
def _rng(seed: int, stream: str) -> np.random.Generator:
    """Return the random generator of one input stream."""
    return np.random.Generator(np.random.PCG64([int(seed), _STREAMS[stream]]))


def _draw_rows(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """Draw one category index per row of a row-stochastic matrix ``probs``."""
    probs = np.asarray(probs, dtype=float)
    cum = np.cumsum(probs / probs.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(probs.shape[0])
    idx = (u[:, None] >= cum).sum(axis=1)
    return np.minimum(idx, probs.shape[1] - 1)


def _bern(rng: np.random.Generator, logit: np.ndarray) -> np.ndarray:
    """Bernoulli draws (0/1 integers) with the given log-odds."""
    p = 1.0 / (1.0 + np.exp(-np.asarray(logit, dtype=float)))
    return (rng.random(p.shape[0]) < p).astype(int)


def _day(base: str, offsets: np.ndarray | int) -> np.ndarray:
    """ISO dates ``base + offsets`` days."""
    days = np.datetime64(base, "D") + np.asarray(offsets, dtype="int64")
    return np.datetime_as_string(days, unit="D")


def _days_between(a: str, b: str) -> int:
    return int((np.datetime64(b, "D") - np.datetime64(a, "D")).astype(int))


def _frame(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """A DataFrame whose every column is text (empty string for "no value")."""
    return pd.DataFrame(
        {k: pd.array([str(v) for v in vals], dtype="str") for k, vals in columns.items()}
    )


def _write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write a text DataFrame as UTF-8 CSV with ``\\n`` line endings, deterministically."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([str(c) for c in df.columns])
        for row in df.itertuples(index=False, name=None):
            writer.writerow(["" if (v is None or v is pd.NA or v != v) else str(v) for v in row])
    return path


def _write_text(text: str, path: Path) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return path


def _dump_yaml(data: Any) -> str:
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def _text(obj: Any, lang: str) -> str:
    """The ``lang`` text of a ``{pl:, en:}`` mapping (or the string itself)."""
    if isinstance(obj, Mapping):
        return str(obj.get(lang) or obj.get("en") or obj.get("pl") or "")
    return "" if obj is None else str(obj)


# --------------------------------------------------------------------------- design
#: strata = groups of Lublin districts, with the (synthetic) migrant-population share
#: assumed by the sampling plan; the base weights use these shares and a frame total
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


# --------------------------------------------------------------------------- codebook
def _var(
    name: str,
    vtype: str,
    role: str,
    pl: str,
    en: str,
    *,
    values: Mapping[str, Mapping[str, str]] | None = None,
    missing: bool = False,
    range_: Sequence[float] | None = None,
    universe: str | None = None,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": name, "type": vtype, "role": role, "label": _labels(pl, en)}
    if values is not None:
        entry["values"] = {str(k): _labels(v["pl"], v["en"]) for k, v in values.items()}
    if missing:
        entry["missing"] = list(_MISSING)
    if range_ is not None:
        entry["range"] = list(range_)
    if universe is not None:
        entry["universe"] = universe
    entry["translation_review"] = list(REVIEW_LANGUAGES)
    return entry


def _labels(pl: str, en: str) -> dict[str, str]:
    """Polish and English labels, then the draft Ukrainian and Russian ones."""
    drafts = translate(en)
    if drafts is None:
        raise KeyError(
            f"no uk/ru draft for the demo label {en!r}; add it to "
            f"lublin_diagnosis/data/translations.py"
        )
    return {"pl": pl, "en": en, **drafts}


def _binary(name: str, pl: str, en: str) -> dict[str, Any]:
    return _var(
        name,
        "categorical",
        "outcome",
        pl,
        en,
        values=_YES_NO,
        missing=True,
        universe=_UNIVERSES.get(name),
    )


def make_codebook() -> dict[str, Any]:
    """Return the codebook of the demo survey (``codebook.yml`` as a mapping).

    Returns
    -------
    dict
        ``{"variables": [...]}`` following ``docs/data-contracts.md``: every variable of
        ``docs/demo-survey.md`` with Polish and English labels, value labels, missing
        codes, ranges and universes.
    """
    n_psu = sum(sum(plan.values()) for plan in _PSU_PLAN.values())
    v = [
        _var("resp_id", "id", "id", "Identyfikator respondenta", "Respondent id"),
        _var(
            "stratum",
            "categorical",
            "design",
            "Warstwa (grupa dzielnic Lublina)",
            "Stratum (group of Lublin districts)",
            values={k: lab for k, (lab, _) in _STRATA.items()},
        ),
        _var(
            "psu",
            "categorical",
            "design",
            "Punkt doboru próby (klaster)",
            "Sampling point (cluster)",
            values={
                f"P{i:03d}": {"pl": f"Punkt doboru P{i:03d}", "en": f"Sampling point P{i:03d}"}
                for i in range(1, n_psu + 1)
            },
        ),
        _var(
            "base_weight",
            "float",
            "design",
            "Waga wyjściowa (przed kalibracją)",
            "Base (design) weight before raking",
        ),
        _var(
            "sex",
            "categorical",
            "weighting",
            "Płeć",
            "Sex",
            values={"F": {"pl": "Kobieta", "en": "Woman"}, "M": {"pl": "Mężczyzna", "en": "Man"}},
        ),
        _var(
            "age_group",
            "categorical",
            "weighting",
            "Grupa wieku",
            "Age group",
            values={
                "18-29": {"pl": "18–29 lat", "en": "18–29 years"},
                "30-44": {"pl": "30–44 lata", "en": "30–44 years"},
                "45-64": {"pl": "45–64 lata", "en": "45–64 years"},
                "65+": {"pl": "65 lat i więcej", "en": "65 years or more"},
            },
        ),
        _var(
            "citizenship",
            "categorical",
            "weighting",
            "Obywatelstwo (grupa)",
            "Citizenship group",
            values={
                "UA": {"pl": "Ukraina", "en": "Ukraine"},
                "BY": {"pl": "Białoruś", "en": "Belarus"},
                "RU": {"pl": "Rosja", "en": "Russia"},
                "other_europe": {"pl": "Inne państwa Europy", "en": "Other Europe"},
                "asia": {"pl": "Azja", "en": "Asia"},
                "africa_middle_east": {
                    "pl": "Afryka i Bliski Wschód",
                    "en": "Africa and the Middle East",
                },
                "other": {"pl": "Inne", "en": "Other"},
            },
        ),
        _var(
            "legal_status",
            "categorical",
            "weighting",
            "Podstawa pobytu",
            "Residence basis",
            values={
                "ukr_protection": {
                    "pl": "Ochrona czasowa (obywatele Ukrainy, PESEL UKR)",
                    "en": "Temporary protection (Ukrainian citizens, PESEL UKR)",
                },
                "temporary_permit": {
                    "pl": "Zezwolenie na pobyt czasowy lub wiza pracownicza",
                    "en": "Temporary residence permit or work visa",
                },
                "permanent_permit": {
                    "pl": "Pobyt stały lub rezydent długoterminowy UE",
                    "en": "Permanent residence or EU long-term resident",
                },
                "student": {"pl": "Pobyt w celu studiów", "en": "Residence for studies"},
                "other": {
                    "pl": "Inna podstawa (np. wiza humanitarna, ruch bezwizowy)",
                    "en": "Other basis (e.g. humanitarian visa, visa-free stay)",
                },
            },
        ),
        _var("age", "integer", "grouping", "Wiek (w latach)", "Age (years)", range_=[18, 85]),
        _var(
            "years_in_pl",
            "ordinal",
            "grouping",
            "Okres pobytu w Polsce",
            "Years in Poland",
            values={
                "lt1": {"pl": "Mniej niż rok", "en": "Less than a year"},
                "1-2": {"pl": "1–2 lata", "en": "1–2 years"},
                "3-5": {"pl": "3–5 lat", "en": "3–5 years"},
                "6plus": {"pl": "6 lat i więcej", "en": "6 years or more"},
            },
        ),
        _var(
            "polish_level",
            "ordinal",
            "grouping",
            "Samoocena znajomości języka polskiego",
            "Self-rated Polish",
            values={
                "0": {"pl": "Brak", "en": "None"},
                "1": {"pl": "Podstawowa", "en": "Basic"},
                "2": {"pl": "Komunikatywna", "en": "Communicative"},
                "3": {"pl": "Biegła", "en": "Fluent"},
            },
        ),
        _var(
            "education",
            "ordinal",
            "grouping",
            "Najwyższe ukończone wykształcenie",
            "Highest completed education",
            values={
                "primary": {"pl": "Podstawowe lub niższe", "en": "Primary or less"},
                "secondary": {
                    "pl": "Średnie (w tym zawodowe)",
                    "en": "Secondary (incl. vocational)",
                },
                "tertiary": {"pl": "Wyższe", "en": "Tertiary"},
            },
        ),
        _var(
            "children_u18",
            "categorical",
            "grouping",
            "Mieszka z dziećmi poniżej 18 lat",
            "Lives with children under 18",
            values=_YES_NO,
        ),
        _var(
            "hh_income",
            "float",
            "outcome",
            "Miesięczny dochód netto gospodarstwa domowego (zł)",
            "Household net monthly income (PLN)",
            missing=True,
            range_=[0, 100000],
        ),
        _binary(
            "needed_care_12m",
            "Potrzebował(a) opieki medycznej w ostatnich 12 miesiącach",
            "Needed medical care in the last 12 months",
        ),
        _binary(
            "unmet_med_need",
            "Nie otrzymał(a) potrzebnej opieki medycznej (ostatnie 12 miesięcy)",
            "Did not receive medical care when needed (last 12 months)",
        ),
        _binary(
            "health_insured",
            "Objęty(-a) publicznym ubezpieczeniem zdrowotnym (NFZ)",
            "Covered by public health insurance (NFZ)",
        ),
        _binary(
            "language_barrier_health",
            "Bariera językowa u lekarza",
            "Language barrier at the doctor's",
        ),
        _binary(
            "school_child", "Ma dziecko w szkole w Lublinie", "Has a child in a school in Lublin"
        ),
        _binary(
            "school_support",
            "Dziecko otrzymało wsparcie w nauce języka polskiego",
            "The child got Polish-language support",
        ),
        _binary(
            "school_info_own_lang",
            "Informacje ze szkoły w zrozumiałym języku",
            "School information in a language they understand",
        ),
        _binary("employed", "Wykonuje pracę zarobkową", "In paid work"),
        _binary("overqualified", "Praca poniżej kwalifikacji", "Job below qualifications"),
        _binary("written_contract", "Ma pisemną umowę", "Has a written contract"),
        _binary("overcrowded", "Przeludnione mieszkanie", "Overcrowded dwelling"),
        _binary(
            "housing_discrim",
            "Odmowa wynajmu mieszkania ze względu na pochodzenie (12 miesięcy)",
            "Refused a rental because of origin (12 months)",
        ),
        _binary(
            "rent_burden",
            "Koszty mieszkaniowe powyżej 40% dochodu",
            "Housing costs over 40% of income",
        ),
        _binary(
            "knows_benefits",
            "Wie, gdzie ubiegać się o pomoc społeczną",
            "Knows where to apply for social assistance",
        ),
        _binary(
            "used_mopr",
            "Korzystał(a) z pomocy Miejskiego Ośrodka Pomocy Rodzinie (MOPR)",
            "Used the municipal family-assistance centre (MOPR)",
        ),
        _binary(
            "knows_dv_help",
            "Wie, gdzie szukać pomocy w razie przemocy domowej",
            "Knows where to get help in case of domestic violence",
        ),
        _binary(
            "attended_course",
            "Uczestniczył(a) w kursie języka polskiego (ostatnie 2 lata)",
            "Attended a Polish course in the last 2 years",
        ),
        _binary(
            "knows_info_source",
            "Wie, gdzie znaleźć informacje o prawach i usługach",
            "Knows where to find information on rights and services",
        ),
        _binary(
            "info_own_language",
            "Znalazł(a) informacje urzędowe w zrozumiałym języku",
            "Found official information in a language they understand",
        ),
        _binary(
            "city_office_contact",
            "Załatwiał(a) sprawę w Urzędzie Miasta (12 miesięcy)",
            "Dealt with city hall in the last 12 months",
        ),
        _binary(
            "city_office_satisfied",
            "Zadowolony(-a) z obsługi w Urzędzie Miasta",
            "Satisfied with city-hall service",
        ),
        _binary(
            "office_language_barrier",
            "Bariera językowa w urzędzie",
            "Language barrier at the office",
        ),
        _binary(
            "discrim_12m",
            "Doświadczył(a) dyskryminacji (12 miesięcy)",
            "Felt discriminated against (12 months)",
        ),
        _binary(
            "discrim_reported", "Zgłosił(a) dyskryminację", "Reported the discrimination anywhere"
        ),
        _binary(
            "consulted_ever",
            "Brał(a) udział w konsultacjach miejskich",
            "Ever took part in a city consultation",
        ),
        _binary(
            "wants_participation",
            "Chciał(a)by uczestniczyć w decyzjach miasta",
            "Would like to take part in city decisions",
        ),
        _binary(
            "cultural_event_12m",
            "Uczestniczył(a) w wydarzeniu kulturalnym w Lublinie (12 miesięcy)",
            "Attended a cultural event in Lublin (12 months)",
        ),
        _binary("polish_friends", "Ma polskich przyjaciół", "Has Polish friends"),
        _binary(
            "safe_after_dark",
            "Czuje się bezpiecznie, idąc samotnie po zmroku",
            "Feels safe walking alone after dark",
        ),
        _binary("trust_police", "Ufa policji", "Trusts the police"),
        _binary(
            "legal_problem_12m",
            "Miał(a) problem prawny (12 miesięcy)",
            "Had a legal problem (12 months)",
        ),
        _binary("got_legal_help", "Otrzymał(a) pomoc prawną", "Got legal help"),
        _binary(
            "status_worry",
            "Obawia się utraty prawa pobytu",
            "Worries about losing residence status",
        ),
        _var(
            "belonging",
            "integer",
            "outcome",
            "Poczucie przynależności do Lublina (0–10)",
            "Sense of belonging to Lublin (0–10)",
            missing=True,
            range_=[0, 10],
        ),
    ]
    return {"variables": v}


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


def make_survey(seed: int = DEFAULT_SEED, n: int = N_RESPONDENTS) -> pd.DataFrame:
    """Generate the synthetic survey microdata.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    n : int
        Number of respondents.

    Returns
    -------
    pandas.DataFrame
        One row per respondent, the columns of :func:`make_codebook` in its order, every
        value as text; empty text for an item outside its universe.
    """
    rng = _rng(seed, "survey")
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

    # --- socio-demography -----------------------------------------------------------
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

    # --- outcomes from a latent model -----------------------------------------------
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

    # --- base weights: constant within stratum ----------------------------------------
    n_h = pd.Series(stratum).value_counts()
    bw = np.array([_STRATA[s][1] * _FRAME_TOTAL / n_h[s] for s in stratum])

    cols: dict[str, np.ndarray] = {
        "resp_id": np.array([f"R{i + 1:04d}" for i in range(n)]),
        "stratum": stratum,
        "psu": psu,
        "base_weight": np.array([f"{w:.4f}" for w in bw]),
        "sex": sex,
        "age_group": age_group,
        "citizenship": citizenship,
        "legal_status": legal,
        "age": age.astype(str),
        "years_in_pl": years,
        "polish_level": pol.astype(str),
        "education": education,
        "children_u18": children.astype(str),
        "hh_income": np.array([f"{x:.0f}" for x in income]),
    }
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
    for name, values in items.items():
        cols[name] = np.asarray(values).astype(int).astype(str)
    cols = {k: np.asarray(v).astype(object) for k, v in cols.items()}

    # --- universes, then item non-response (filters first, in codebook order) ---------
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
        Columns ``variable, category, count, source, reference_date``, text values.
    """
    rows: dict[str, list[str]] = {
        k: [] for k in ("variable", "category", "count", "source", "reference_date")
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
            rows["reference_date"].append(spec["reference_date"])
    return _frame(rows)


# --------------------------------------------------------------------------- framework
def default_framework_path() -> Path:
    """Path of the packaged ``lublin-14`` framework file."""
    return Path(
        str(
            resources.files("lublin_diagnosis.framework").joinpath("builtin", f"{FRAMEWORK_ID}.yml")
        )
    )


def load_framework_dict(path: str | Path | None = None) -> dict[str, Any]:
    """Read a framework YAML file as a plain mapping.

    Parameters
    ----------
    path : str or Path, optional
        The framework file; default :func:`default_framework_path`.

    Returns
    -------
    dict
        The parsed YAML.

    The file is first checked with :func:`lublin_diagnosis.framework.model.load_framework`, so
    an invalid framework fails here with every problem listed rather than producing
    demo tables that do not validate.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    FrameworkError
        If the file breaks the framework format.
    """
    path = Path(path) if path is not None else default_framework_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"framework file {path} not found: the demo monitoring, admin and "
            "recommendation tables are generated from the framework's indicators"
        )
    from lublin_diagnosis.framework.model import load_framework

    load_framework(path)
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, Mapping) or "indicators" not in data:
        raise ValueError(f"{path} is not an indicator framework (no 'indicators')")
    return dict(data)


def _indicators(framework: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [i for i in framework.get("indicators", []) if str(i.get("kind")) == kind]


def _area_order(framework: Mapping[str, Any] | None) -> list[str]:
    if framework and framework.get("areas"):
        return [str(a["id"]) for a in framework["areas"]]
    return list(_AREA_IDS)


# --------------------------------------------------------------------------- institutions
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
        Columns ``institution_id, name_pl, name_en, type, areas``.
    """
    order = _area_order(framework)
    by_type: dict[str, set[str]] = {}
    if framework:
        for ind in _indicators(framework, "P"):
            for t in ind.get("institution_types") or []:
                by_type.setdefault(str(t), set()).add(str(ind["area"]))
    rows: dict[str, list[str]] = {
        k: [] for k in ("institution_id", "name_pl", "name_en", "type", "areas")
    }
    for iid, itype, pl, en, areas in _INSTITUTIONS:
        wanted = set(areas) | by_type.get(itype, set())
        ordered = [a for a in order if a in wanted] + sorted(wanted - set(order))
        rows["institution_id"].append(iid)
        rows["name_pl"].append(pl)
        rows["name_en"].append(en)
        rows["type"].append(itype)
        rows["areas"].append(";".join(ordered))
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


# --------------------------------------------------------------------------- legal cases
_NATIONALITY = ("UA", "BY", "RU", "other_europe", "asia", "africa_middle_east", "other")
_P_NATIONALITY = [0.45, 0.15, 0.07, 0.03, 0.10, 0.15, 0.05]
_PROBLEMS = (
    "residence",
    "work",
    "social_benefits",
    "housing",
    "health",
    "education",
    "family",
    "discrimination",
    "citizenship",
    "other",
)
#: P(first problem | nationality group), columns in _PROBLEMS order
_P_PROBLEM = {
    "UA": [0.20, 0.15, 0.22, 0.13, 0.08, 0.06, 0.08, 0.03, 0.01, 0.04],
    "BY": [0.40, 0.20, 0.05, 0.05, 0.04, 0.03, 0.04, 0.03, 0.12, 0.04],
    "RU": [0.45, 0.15, 0.05, 0.05, 0.05, 0.03, 0.07, 0.05, 0.06, 0.04],
    "other_europe": [0.30, 0.25, 0.10, 0.10, 0.05, 0.05, 0.05, 0.05, 0.00, 0.05],
    "asia": [0.40, 0.20, 0.03, 0.08, 0.05, 0.10, 0.04, 0.06, 0.00, 0.04],
    "africa_middle_east": [0.38, 0.12, 0.03, 0.10, 0.05, 0.12, 0.04, 0.12, 0.00, 0.04],
    "other": [0.40, 0.20, 0.05, 0.05, 0.05, 0.10, 0.05, 0.05, 0.00, 0.05],
}
_OUTCOMES = ("resolved", "advice_given", "referred", "ongoing", "dropped")


def make_legal_cases(seed: int = DEFAULT_SEED, n: int = N_LEGAL_CASES) -> pd.DataFrame:
    """The legal-advice case log: ``n`` synthetic cases opened in 2022-2023.

    No names and no free text. Nationality groups follow the clients of a Lublin advice
    point (mostly Ukrainian and Belarusian, many students from Africa and the Middle
    East); 40-50 % of cases combine two or more problem categories; recent cases are more
    often ``ongoing``.

    Parameters
    ----------
    seed : int
        Seed of the random generator.
    n : int
        Number of cases.

    Returns
    -------
    pandas.DataFrame
        Columns ``case_id, date_opened, nationality_group, sex, age_group, problems,
        outcome, n_consultations``, sorted by date.
    """
    rng = _rng(seed, "legal_cases")
    start, end = "2022-04-04", "2023-11-30"
    offsets = np.sort(rng.integers(0, _days_between(start, end) + 1, size=n))
    dates = _day(start, offsets)
    nat = np.array(_NATIONALITY)[_draw_rows(rng, np.tile(_P_NATIONALITY, (n, 1)))]
    sex = np.array(["F", "M", "X"])[_draw_rows(rng, np.tile([0.55, 0.43, 0.02], (n, 1)))]
    far = np.isin(nat, ["asia", "africa_middle_east"])
    p_age = np.where(far[:, None], [0.60, 0.32, 0.08, 0.0], [0.26, 0.46, 0.22, 0.06])
    age = np.array(_AGE_GROUPS)[_draw_rows(rng, p_age)]
    first = _draw_rows(rng, _lookup(_P_PROBLEM, nat))
    problems, n_cons, outcome = [], [], []
    for i in range(n):
        chosen = {int(first[i])}
        extra = rng.choice([0, 1, 2], p=[0.55, 0.33, 0.12])
        while len(chosen) < 1 + extra:
            chosen.add(int(_draw_rows(rng, np.array([_P_PROBLEM[nat[i]]]))[0]))
        problems.append(";".join(_PROBLEMS[j] for j in sorted(chosen)))
        recent = offsets[i] > _days_between(start, "2023-09-15")
        p_out = [0.25, 0.30, 0.15, 0.25, 0.05] if recent else [0.32, 0.34, 0.16, 0.08, 0.10]
        outcome.append(_OUTCOMES[int(_draw_rows(rng, np.array([p_out]))[0])])
        n_cons.append(1 + int(rng.poisson(0.8 + 0.7 * extra)))
    return _frame(
        {
            "case_id": [f"LC{i + 1:03d}" for i in range(n)],
            "date_opened": dates,
            "nationality_group": nat,
            "sex": sex,
            "age_group": age,
            "problems": problems,
            "outcome": outcome,
            "n_consultations": n_cons,
        }
    )


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
        ind_ids = [c["ind"]]
        # sometimes a second low indicator of the same institution and area
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
        opts = {str(o["id"]): o for o in ind.get("options") or []}
        best_id = max(_options_by_score(ind), key=lambda t: t[1])[0]
        cur_id = answers[(c["inst"], c["ind"], 2022)]
        act_pl, act_en = _ACTIONS[int(rng.integers(len(_ACTIONS)))]
        q_pl = _text(ind.get("question"), "pl").rstrip(" ?.")
        q_en = _text(ind.get("question"), "en").rstrip(" ?.")
        cur_pl = _text(opts[cur_id].get("label"), "pl")
        cur_en = _text(opts[cur_id].get("label"), "en")
        best_pl = _text(opts[best_id].get("label"), "pl")
        best_en = _text(opts[best_id].get("label"), "en")
        inst_pl, inst_en = names[c["inst"]]
        text_pl = (
            f"[SYNTETYCZNA] {inst_pl}: {act_pl}. Wskaźnik: „{q_pl}”; "
            f"w monitoringu 2022: „{cur_pl}”; cel: „{best_pl}”."
        )
        text_en = (
            f'[SYNTHETIC] {inst_en}: {act_en}. Indicator: "{q_en}"; '
            f'2022 monitoring: "{cur_en}"; target: "{best_en}".'
        )
        tranche = 0 if rng.random() < 0.8 else 1
        issued, meetings = _TRANCHES[tranche]
        recs["rec_id"].append(rec_id)
        recs["area"].append(c["area"])
        recs["institution_id"].append(c["inst"])
        recs["indicator_ids"].append(";".join(ind_ids))
        recs["text_pl"].append(text_pl)
        recs["text_en"].append(text_en)
        recs["date_issued"].append(issued)

        # opinions of the consultation group (3-6 members present)
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

        # status history: increasing dates starting with "issued"
        if c["improved"]:
            final = (
                "implemented"
                if c["top_reached"] and rng.random() < 0.7
                else "partially_implemented"
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
    return _frame(recs), _frame(ops), _frame(sts)


# --------------------------------------------------------------------------- dataset.yml
def make_dataset_meta(seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The ``dataset.yml`` mapping: title, synthetic flag, generator, design, files."""
    return {
        "title": "SYNTHETIC demo data – Lublin migrant-integration diagnosis "
        "(invented, not real data)",
        "synthetic": True,
        "description": {
            "pl": "Dane syntetyczne wygenerowane losowo do demonstracji pakietu. Nie "
            "zawierają żadnej prawdziwej osoby ani żadnego wyniku rzeczywistego "
            "monitoringu.",
            "en": "Synthetic data generated at random to demonstrate the package. They "
            "contain no real person and no finding of the real monitoring.",
        },
        "generator": "lublin_diagnosis.write_demo",
        "seed": int(seed),
        "framework": FRAMEWORK_ID,
        "design": {"ids": ["psu"], "strata": "stratum", "weights": "base_weight"},
        "files": {
            "survey": {"path": _FILES["survey"], "encoding": "utf-8", "sep": ",", "decimal": "."},
            **{key: {"path": name} for key, name in _FILES.items() if key != "survey"},
        },
    }


# --------------------------------------------------------------------------- README
def make_readme(seed: int, counts: Mapping[str, int]) -> str:
    """The ``README.md`` of a generated demo directory (deterministic text)."""
    skew = (
        "students, people aged 18-29 and Belarusians (reached through NGO networks) "
        "are over-represented; people aged 45+ and workers on temporary permits are "
        "under-represented"
    )
    lines = [
        "# SYNTHETIC demo data – not real",
        "",
        "**Every file in this directory is synthetic.** It was generated at random by "
        "`lublin_diagnosis.write_demo` to demonstrate the lublin-diagnosis package. "
        "It contains **no real person** and **no finding of the real 2022–2023 monitoring** "
        "of Lublin's institutions; institution names are generic names of institution "
        'types, marked "(synthetic)", and recommendation texts are marked [SYNTHETIC]. '
        "Do not quote any figure from it as a fact about Lublin.",
        "",
        "## Re-create it byte for byte",
        "",
        "```bash",
        f"lublin-diagnosis synth --seed {seed} --out data/demo",
        "# or",
        'python -c "from lublin_diagnosis import write_demo; '
        f"write_demo('data/demo', seed={seed})\"",
        "```",
        "",
        f"Seed: **{seed}**. Random numbers come from numpy's `Generator(PCG64([seed, "
        "stream]))`, one stream per input; numbers are written with fixed formats, rows "
        "in a stable order, UTF-8 with `\\n` line endings, and no date depends on the day "
        "of the run. The monitoring, admin and recommendation tables are built from the "
        "indicators of `lublin_diagnosis/frameworks/lublin-14.yml`, so a change in the "
        "framework changes them (but not the survey). `tests/test_synth.py` checks that "
        "this directory equals a fresh run.",
        "",
        "## Files",
        "",
        "| file | rows | what |",
        "|---|---|---|",
        f"| `survey.csv` | {counts.get('survey', 0)} | respondents of a synthetic migrant "
        "survey (codebook in `codebook.yml`) |",
        f"| `margins.csv` | {counts.get('margins', 0)} | population margins of sex, age "
        "group, citizenship and legal status |",
        f"| `institutions.csv` | {counts.get('institutions', 0)} | monitored institutions "
        "(generic, synthetic) |",
        f"| `monitoring.csv` | {counts.get('monitoring', 0)} | answers to the policy "
        "indicators, rounds 2022 and 2023 |",
        f"| `admin.csv` | {counts.get('admin', 0)} | administrative counts, rounds 2022 and 2023 |",
        f"| `legal_cases.csv` | {counts.get('legal_cases', 0)} | legal-advice case log |",
        f"| `recommendations.csv` | {counts.get('recommendations', 0)} | recommendations |",
        f"| `recommendation_opinions.csv` | {counts.get('opinions', 0)} | opinions of the "
        "consultation group (CG01–CG06) |",
        f"| `recommendation_status.csv` | {counts.get('status', 0)} | status histories |",
        "",
        "`dataset.yml` declares the files, the survey design (`ids: [psu]`, "
        "`strata: stratum`, `weights: base_weight`) and `synthetic: true`, which every "
        "report built from this directory prints.",
        "",
        "The codebook's labels are in Polish and English and, for fieldwork, in Ukrainian "
        "(`uk`) and Russian (`ru`). **The Ukrainian and Russian labels are draft "
        "translations that a native speaker has not yet reviewed**: every variable lists "
        "`translation_review: [uk, ru]` until that review is done "
        "(`lublin_diagnosis/data/translations.py`).",
        "",
        "## How the survey was made",
        "",
        "- **Design.** 5 strata (groups of Lublin districts) and 60 sampling points "
        "(PSUs), each a recruitment channel: a university dormitory, a Belarusian NGO "
        "network, a help point for refugees from Ukraine, a workplace, or a mixed point. "
        "Base weights are constant within a stratum (assumed stratum share of a frame "
        "total of 58,000, deliberately below the margins).",
        f"- **Skew, on purpose.** Like real quota and network samples of migrants, {skew}. "
        "Raking to the margins therefore changes the estimates visibly, which is what the "
        "demo is meant to show.",
        "- **Clustering.** A random effect of the sampling point enters every outcome, so "
        "design effects are above 1 and design-based standard errors differ from naive "
        "ones.",
        "- **Relationships.** Outcomes come from a latent model: better self-rated Polish "
        "and more years in Poland raise employment, information access, knowledge of "
        "benefits and help lines, satisfaction at city hall, Polish friends and belonging, "
        "and lower unmet medical need and language barriers; people under temporary "
        "protection (`ukr_protection`) are mostly women, often with children; students "
        "are young with secondary or tertiary education; perceived discrimination is "
        "higher among people from Asia, Africa and the Middle East. Some small domains "
        "(e.g. `africa_middle_east` with a school child) are small on purpose, so "
        "disclosure control has something to suppress.",
        "- **Universes and non-response.** Follow-up items are empty outside their "
        "universe (see `universe` in the codebook); 1–5% item non-response is coded `-9` "
        "(refused) / `-8` (don't know), about 10% for household income.",
        "",
        "## Where the margins come from",
        "",
        "The margins describe the adult migrant population of Lublin city (about 62,000). "
        "They are **synthetic**, *shaped on* public figures quoted in press reports of "
        "official data – not official counts:",
        "",
        "- Ukrainians in Lublin on 1 April 2022: 68,400 including 16,900 children "
        "(mobile-phone estimate);",
        "- PESEL-UKR registrations in Lubelskie on 2 November 2022: 66,000, 70% women;",
        "- valid residence permits in Lubelskie, early 2018: about 15,000, 60% men, 54% "
        "aged 20–39;",
        "- foreigners insured in ZUS in Lubelskie, end of June 2022: 29,500 (Ukraine "
        "18,400, Belarus 7,900);",
        "- foreign students in Lublin 2021/22: 8,300.",
        "",
        "Each margin row names its source and reference date. The four margin totals "
        "differ by less than 0.3%, as margins from different registers do.",
        "",
        "## The other tables",
        "",
        "Monitoring answers, administrative counts, legal cases, recommendations, "
        "consultation-group opinions and status histories are all drawn at random "
        "(baseline policy scores average a little below 50/100, some indicators improve "
        "in the 2023 follow-up, and recommendations rest on indicators where the institution "
        "scored low in 2022). None of them reports anything a real institution did.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- writer
def write_demo(
    out_dir: str | Path, *, seed: int = DEFAULT_SEED, framework: str | Path | None = None
) -> list[Path]:
    """Write the synthetic demo dataset into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Target directory (created if needed; existing files of the same names are
        overwritten, other files are left alone).
    seed : int
        Seed of the random generator; the same seed and framework give byte-identical
        files.
    framework : str or Path, optional
        Framework file the monitoring, admin and recommendation tables are built from;
        default the packaged ``lublin-14``.

    Returns
    -------
    list of Path
        The files written, in a fixed order.

    Raises
    ------
    FileNotFoundError
        If the framework file does not exist.
    """
    out = Path(out_dir)
    fw = load_framework_dict(framework)
    out.mkdir(parents=True, exist_ok=True)

    survey = make_survey(seed)
    margins = make_margins()
    institutions = make_institutions(fw)
    monitoring = make_monitoring(institutions, fw, seed)
    admin = make_admin(institutions, fw, seed)
    legal = make_legal_cases(seed)
    recs, opinions, status = make_recommendations(monitoring, institutions, fw, seed)

    tables = {
        "survey": survey,
        "margins": margins,
        "institutions": institutions,
        "monitoring": monitoring,
        "admin": admin,
        "legal_cases": legal,
        "recommendations": recs,
        "opinions": opinions,
        "status": status,
    }
    paths = [_write_text(_dump_yaml(make_dataset_meta(seed)), out / "dataset.yml")]
    header = f"# SYNTHETIC demo codebook, written by lublin_diagnosis.write_demo (seed {seed}).\n"
    paths.append(_write_text(header + _dump_yaml(make_codebook()), out / _FILES["codebook"]))
    for key, df in tables.items():
        paths.append(_write_csv(df, out / _FILES[key]))
    counts = {k: len(v) for k, v in tables.items()}
    paths.append(_write_text(make_readme(seed, counts), out / "README.md"))
    return paths
