"""The schemas of the context inputs: public figures, peer-city scores, rounds.

* ``public.csv`` (:data:`PUBLIC`): public register figures in long format, one figure a
  row, each naming a source a reader can check (title, publisher, URL, date retrieved)
  and its ``status``: ``real`` (copied from the source named) or ``synthetic`` (invented
  for the demo, imitating the series the URL leads to). The indicators it may hold are
  the catalogue :data:`PUBLIC_INDICATORS`; territories are :data:`TERRITORIES`.
* ``peer_scores.csv`` (:data:`PEER_SCORES`): peer cities' area scores in the same
  framework (0-100), with their status and source.
* ``rounds.csv`` (:data:`ROUNDS`): the monitoring and survey rounds, with the
  ``retrospective`` ones (coded later from an old report) marked.

Earlier rounds live apart from the current files, so the current numbers never move:
``monitoring_history.csv`` has the columns of ``monitoring.csv`` (its schema,
``MONITORING_HISTORY``, is in :mod:`.files`), and ``survey_history.csv`` the survey's
columns plus ``round`` (:func:`~lublin_diagnosis.data.contracts.survey.survey_history_schema`).

>>> PUBLIC_INDICATORS["foreign_students"].units
('persons', 'percent')
>>> PUBLIC.column("status").allowed
('real', 'synthetic')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from lublin_diagnosis.data.contracts.schema import Column, Schema, in_languages

__all__ = [
    "PEER_CITIES",
    "PEER_SCORES",
    "PUBLIC",
    "PUBLIC_INDICATORS",
    "PUBLIC_STATUSES",
    "PUBLIC_THEMES",
    "PUBLIC_UNITS",
    "PublicIndicator",
    "ROUNDS",
    "TERRITORIES",
]


@dataclass(frozen=True)
class PublicIndicator:
    """One indicator ``public.csv`` may hold.

    Attributes
    ----------
    id : str
    theme : str
        One of :data:`PUBLIC_THEMES`.
    units : tuple of str
        The units its figures may have (:data:`PUBLIC_UNITS`).
    register : str
        The register or publisher that counts it (for the catalogue's documentation).

    Examples
    --------
    >>> PUBLIC_INDICATORS["zus_insured_foreigners"].theme
    'work'
    """

    id: str
    theme: str
    units: tuple[str, ...]
    register: str


#: Themes of the public figures.
PUBLIC_THEMES: tuple[str, ...] = ("population", "legal_status", "work", "education")
#: Units of a public figure (``per_1000``: per 1,000 residents).
PUBLIC_UNITS: tuple[str, ...] = ("persons", "percent", "per_1000")
#: Status of a public figure.
PUBLIC_STATUSES: tuple[str, ...] = ("real", "synthetic")
#: Territories: the city, its voivodeship, Poland and the peer cities with theirs.
TERRITORIES: tuple[str, ...] = (
    "lublin",
    "lubelskie",
    "gdansk",
    "pomorskie",
    "wroclaw",
    "dolnoslaskie",
    "krakow",
    "malopolskie",
    "poland",
)
#: The peer cities (study-visit cities) a city is compared with, and Lublin.
PEER_CITIES: tuple[str, ...] = ("lublin", "gdansk", "wroclaw", "krakow")

#: The catalogue of indicators ``public.csv`` may hold.
PUBLIC_INDICATORS: Mapping[str, PublicIndicator] = MappingProxyType(
    {
        i.id: i
        for i in (
            PublicIndicator(
                "residence_permits_valid",
                "legal_status",
                ("persons", "percent", "per_1000"),
                "Office for Foreigners (UdSC): foreigners holding a valid residence permit",
            ),
            PublicIndicator(
                "zus_insured_foreigners",
                "work",
                ("persons", "per_1000"),
                "Social Insurance Institution (ZUS): foreigners insured",
            ),
            PublicIndicator(
                "pesel_ukr_registrations",
                "legal_status",
                ("persons", "percent", "per_1000"),
                "PESEL register: numbers given to refugees from Ukraine (PESEL-UKR)",
            ),
            PublicIndicator(
                "foreign_pupils",
                "education",
                ("persons", "percent"),
                "Educational information system (SIO): foreign pupils",
            ),
            PublicIndicator(
                "preparatory_class_pupils",
                "education",
                ("persons",),
                "Educational information system (SIO): pupils in preparatory classes",
            ),
            PublicIndicator(
                "foreign_students",
                "education",
                ("persons", "percent"),
                "universities, city hall, POL-on: foreign students",
            ),
            PublicIndicator(
                "population",
                "population",
                ("persons",),
                "Statistics Poland (GUS): residents",
            ),
            PublicIndicator(
                "ukrainians_estimate",
                "population",
                ("persons", "percent"),
                "Union of Polish Metropolises (UMP): citizens of Ukraine, mobile-phone estimate",
            ),
            PublicIndicator(
                "population_growth_war",
                "population",
                ("percent",),
                "Union of Polish Metropolises (UMP): growth of the population since 24 Feb 2022",
            ),
        )
    }
)

_SOURCE_HINT = (
    "Every figure needs a source a reader can check: its title, publisher and URL. A figure "
    "you cannot source is left out, never estimated."
)

PUBLIC = Schema(
    "public",
    "public.csv",
    (
        Column("theme", "code", allowed=PUBLIC_THEMES),
        Column(
            "indicator",
            "code",
            allowed=tuple(PUBLIC_INDICATORS),
            hint="public.csv holds the indicators of its catalogue (docs/data-contracts.md).",
        ),
        Column("territory", "code", allowed=TERRITORIES),
        Column(
            "group",
            "text",
            required=False,
            pattern=r"[a-z_]+=[A-Za-z0-9_+\-]+",
            hint="Leave it empty for a total, or write variable=code (citizenship=UA, sex=F).",
            description="empty for a total, else variable=code",
        ),
        Column("date", "date", description="the date the figure describes"),
        Column("value", "number", min=0),
        Column("unit", "code", allowed=PUBLIC_UNITS),
        Column(
            "status",
            "code",
            allowed=PUBLIC_STATUSES,
            hint="real: copied from the source named; synthetic: invented for a demo.",
        ),
        Column("source_title", "text", hint=_SOURCE_HINT),
        Column("publisher", "text", hint=_SOURCE_HINT),
        Column(
            "url",
            "text",
            pattern=r"https?://[^\s]+",
            hint=_SOURCE_HINT + " Give the address starting http:// or https://.",
        ),
        Column("retrieved", "date", description="the day the source was read"),
        Column("note", "text", required=False),
    ),
    unique_together=(("indicator", "territory", "group", "date", "unit"),),
    noun="figures",
    description="public register figures, long format, each with its source",
)

PEER_SCORES = Schema(
    "peer_scores",
    "peer_scores.csv",
    (
        Column("city", "code", allowed=PEER_CITIES[1:]),
        Column("area", "text", description="a framework area id"),
        Column("round", "integer", min=1900, max=2100),
        Column("score", "number", min=0, max=100),
        Column("status", "code", allowed=PUBLIC_STATUSES),
        Column("source", "text", hint="Name the monitoring or report the score comes from."),
        *in_languages("source", "the source"),
    ),
    unique_together=(("city", "area", "round"),),
    noun="scores",
    description="peer cities' area scores in the same framework",
)

ROUNDS = Schema(
    "rounds",
    "rounds.csv",
    (
        Column("kind", "code", allowed=("monitoring", "survey")),
        Column("round", "integer", min=1900, max=2100),
        Column(
            "retrospective",
            "code",
            allowed=("yes", "no"),
            hint="yes: the round was coded later from an old report.",
        ),
        Column("label_pl", "text"),
        Column("label_en", "text"),
        Column("source", "text", required=False),
        *in_languages("source", "the source"),
    ),
    unique_together=(("kind", "round"),),
    noun="rounds",
    description="monitoring and survey rounds, retrospective ones marked",
)
