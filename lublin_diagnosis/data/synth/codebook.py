"""The codebook of the demo survey (``codebook.yml``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lublin_diagnosis.data.synth._common import _MISSING, _YES_NO
from lublin_diagnosis.data.synth._design import _PSU_PLAN, _STRATA, _UNIVERSES
from lublin_diagnosis.data.translations import REVIEW_LANGUAGES, translate


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
    return {
        "variables": [
            *_design_variables(),
            *_background_variables(),
            *_outcome_variables(),
        ]
    }


def _design_variables() -> list[dict[str, Any]]:
    """The respondent id and the design variables: stratum, sampling point, base weight."""
    n_psu = sum(sum(plan.values()) for plan in _PSU_PLAN.values())
    return [
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
    ]


def _background_variables() -> list[dict[str, Any]]:
    """The weighting and grouping variables: sex, age, citizenship, legal status, years in
    Poland, Polish, education, children, household income."""
    return [
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
    ]


def _outcome_variables() -> list[dict[str, Any]]:
    """The outcome items, area by area, and the sense of belonging."""
    return [
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
