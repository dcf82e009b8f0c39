"""The context inputs of the demo: public figures, peer scores, rounds and earlier rounds.

* :func:`make_public` -- ``public.csv``. Rows marked ``real`` are figures copied from the
  public source each row names (press reports of official data: Office for Foreigners,
  ZUS, GUS, Lublin City Hall, the Union of Polish Metropolises), with its URL. Rows
  marked ``synthetic`` are invented for the demo (a decade of residence permits in the
  city, its composition, pupils, per-1,000 comparisons of the peer cities): their URL
  leads to the portal where the real series is published, so that a reader can replace
  them, and their source title says SYNTHETIC.
* :func:`make_peer_scores` -- ``peer_scores.csv``: SYNTHETIC area scores of Gdańsk,
  Wrocław and Kraków in the same framework.
* :func:`make_rounds` -- ``rounds.csv``: the 2011 retrospective monitoring round, the
  2022 and 2023 rounds, the 2022 and 2023 survey rounds.
* :func:`make_monitoring_history` -- ``monitoring_history.csv``: a SYNTHETIC 2011
  retrospective round for the institutions the 2010-11 monitoring covered.
* :func:`make_survey_history` -- ``survey_history.csv``: a SYNTHETIC earlier survey round
  (2022), drawn like the survey from its own random stream, with somewhat lower levels of
  a few outcomes, so the change between rounds has something to show.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from lublin_diagnosis.data.synth._common import DEFAULT_SEED, _day, _frame, _rng
from lublin_diagnosis.data.synth._framework import _indicators

__all__ = [
    "HISTORY_ROUND",
    "N_HISTORY_RESPONDENTS",
    "RETROSPECTIVE_INSTITUTIONS",
    "RETROSPECTIVE_ROUND",
    "make_monitoring_history",
    "make_peer_scores",
    "make_public",
    "make_rounds",
    "make_survey_history",
]

#: The retrospective monitoring round (the 2010-11 monitoring, coded later).
RETROSPECTIVE_ROUND = 2011
#: The earlier survey round.
HISTORY_ROUND = 2022
#: Respondents of the earlier survey round.
N_HISTORY_RESPONDENTS = 800
#: The institutions the 2010-11 monitoring covered (voivodeship office, city hall, MOPR,
#: MUP, public transport, police, tax office, ZUS, NFZ and the universities).
RETROSPECTIVE_INSTITUTIONS: tuple[str, ...] = (
    "voivodeship_office",
    "city_hall",
    "mopr",
    "mup",
    "ztm",
    "police",
    "tax_office",
    "zus",
    "nfz",
    "university_a",
    "university_b",
)
_RETRIEVED = "2026-12-01"

# --------------------------------------------------------------------------- public.csv
_COLUMNS = (
    "theme",
    "indicator",
    "territory",
    "group",
    "date",
    "value",
    "unit",
    "status",
    "source_title",
    "publisher",
    "url",
    "retrieved",
    "note",
)

#: (title, publisher, url) of each real source, by key
_SOURCES = {
    "dw2018": (
        "15 tysięcy legalnych cudzoziemców w Lubelskiem",
        "Dziennik Wschodni (figures of the Office for Foreigners, UdSC)",
        "http://www.dziennikwschodni.pl/lubelskie/15-tysiecy-legalnych-cudzoziemcow-w-lubelskiem,n,1000213653.html",
    ),
    "wg2019": (
        "Maleje liczba cudzoziemców w Polsce",
        "wGospodarce.pl / PAP (spokesman of the Office for Foreigners, UdSC)",
        "http://wgospodarce.pl/informacje/59720-maleje-liczba-cudzoziemcow-w-polsce",
    ),
    "zus2018": (
        "Szybko przybywa Ukraińców płacących składki w ZUS",
        "Radzyń Info (figures of ZUS)",
        "http://radzyninfo.pl/rozmaitosci/szybko-przybywa-ukraincow-placacych-skladki-w-zus/",
    ),
    "zus2021": (
        "Coraz więcej obcokrajowców zgłoszonych w ZUS",
        "Telewizja Łuków (figures of ZUS, Lublin branch)",
        "https://telewizja.lukow.pl/2021/08/05/coraz-wiecej-obcokrajowcow-zgloszonych-w-zus/",
    ),
    "zus2022": (
        "Lubelskie: niemal 30 tys. cudzoziemców legalnie zatrudnionych, ponad 18 tys. to Ukraińcy",
        "wnp.pl / PAP (spokeswoman of ZUS in Lublin)",
        "https://www.wnp.pl/praca/lubelskie-niemal-30-tys-cudzoziemcow-legalnie-zatrudnionych-ponad-18-tys-to-ukraincy,610926.html",
    ),
    "pap2014": (
        "W Lublinie studiuje coraz więcej cudzoziemców",
        "Nauka w Polsce / PAP (Lublin City Hall)",
        "https://naukawpolsce.pl/aktualnosci/news,398858,w-lublinie-studiuje-coraz-wiecej-cudzoziemcow.html",
    ),
    "kdl2017": (
        "Wzrost liczby studentów zagranicznych do 5000 osób",
        "Kontrakt dla Lublina (figures of Lublin City Hall)",
        "https://kontraktdlalublina.pl/2017/06/26/wzrost-liczby-studentow-zagranicznych-do-5000-osob/",
    ),
    "dw2016": (
        "Mamy coraz więcej studentów zagranicznych. Dlaczego wybierają Lublin?",
        "Dziennik Wschodni (Lublin City Hall)",
        "http://www.dziennikwschodni.pl/lublin/mamy-coraz-wiecej-studentow-zagranicznych-dlaczego-wybieraja-lublin,n,1000190200.html",
    ),
    "dw2022": (
        "Stąd mamy studentów. Takie kierunki wybierają",
        "Dziennik Wschodni (Lublin City Hall)",
        "https://www.dziennikwschodni.pl/lublin/stad-mamy-studentow-takie-kierunki-wybieraja,n,1000316737.html",
    ),
    "gus2022": (
        "Liczba mieszkańców Lublina na koniec 2022 roku wyniosła 331 243",
        "Lublinews (figures of Statistics Poland, GUS)",
        "https://lublinews.pl/lublin/liczba-mieszkancow-lublina-na-koniec-2022-roku-wyniosla-331243/",
    ),
    "ump_lublin": (
        "Raport UMP: Lublin ponad 400-tysięcznym miastem",
        "Głos Lubelski (report of the Union of Polish Metropolises, UMP)",
        "https://gloslubelski.pl/?p=16730",
    ),
    "ump_rp": (
        "Ukraińcy policzeni. Populacja Rzeszowa wzrosła o 53 proc., Warszawy o 15 proc.",
        "Rzeczpospolita (report of the Union of Polish Metropolises, UMP)",
        "https://www.rp.pl/spoleczenstwo/art36144681-ukraincy-policzeni-populacja-rzeszowa-wzrosla-o-53-proc-warszawy-o-15-proc",
    ),
    "ump_prawo": (
        "Napływ uchodźców z Ukrainy wyzwaniem dla miast",
        "Prawo.pl (report of the Union of Polish Metropolises, UMP)",
        "https://www.prawo.pl/samorzad/naplyw-uchodzcow-z-ukrainy-wyzwaniem-dla-miast,515138.html",
    ),
    "ump_krakow": (
        "Prawie milion mieszkańców Krakowa, w tym blisko 178 tys. Ukraińców",
        "Gazeta Krakowska (report of the Union of Polish Metropolises, UMP)",
        "https://gazetakrakowska.pl/prawie-milion-mieszkancow-krakowa-w-tym-blisko-178-tys-ukraincow-w-dwa-miesiace-populacja-miasta-zwiekszyla-sie-o-19-procent/gh/c1-16308747/4",
    ),
    "pesel2022": (
        "Ilu Ukraińców z PESEL przypada na tysiąc mieszkańców",
        "Konkret24 / TVN24 (figures of dane.gov.pl)",
        "https://konkret24.tvn24.pl/polska,108/ilu-ukraincow-z-pesel-przypada-na-tysiac-mieszkancow-dominuja-male-powiaty,1104015.html",
    ),
}

#: real figures: (source, indicator, territory, group, date, value, unit, note)
_REAL: tuple[tuple[str, str, str, str, str, float, str, str], ...] = (
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "",
        "2018-02-01",
        15000,
        "persons",
        "about 15 thousand; date: month of the report",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "citizenship=UA",
        "2018-02-01",
        9300,
        "persons",
        "9.3 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "citizenship=BY",
        "2018-02-01",
        1300,
        "persons",
        "1.3 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "citizenship=BG",
        "2018-02-01",
        400,
        "persons",
        "0.4 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "sex=M",
        "2018-02-01",
        9000,
        "persons",
        "9 thousand (60%)",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "sex=F",
        "2018-02-01",
        6000,
        "persons",
        "6 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "age=20-39",
        "2018-02-01",
        54,
        "percent",
        "about 54%",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "age=40-59",
        "2018-02-01",
        26,
        "percent",
        "about 26%",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "permit=temporary",
        "2018-02-01",
        49,
        "percent",
        "temporary residence (up to 3 years)",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "lubelskie",
        "permit=permanent",
        "2018-02-01",
        37,
        "percent",
        "permanent residence",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "poland",
        "",
        "2018-02-01",
        329000,
        "persons",
        "329 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "malopolskie",
        "",
        "2018-02-01",
        31000,
        "persons",
        "31 thousand",
    ),
    (
        "dw2018",
        "residence_permits_valid",
        "dolnoslaskie",
        "",
        "2018-02-01",
        31000,
        "persons",
        "31 thousand",
    ),
    (
        "wg2019",
        "residence_permits_valid",
        "poland",
        "",
        "2017-01-01",
        266000,
        "persons",
        "266 thousand",
    ),
    (
        "wg2019",
        "residence_permits_valid",
        "poland",
        "",
        "2018-01-01",
        325000,
        "persons",
        "325 thousand",
    ),
    (
        "wg2019",
        "residence_permits_valid",
        "poland",
        "",
        "2019-01-01",
        372000,
        "persons",
        "372 thousand; 'at the beginning of 2019'",
    ),
    (
        "wg2019",
        "residence_permits_valid",
        "malopolskie",
        "",
        "2019-01-01",
        36000,
        "persons",
        "36 thousand; 'at the beginning of 2019'",
    ),
    (
        "wg2019",
        "residence_permits_valid",
        "dolnoslaskie",
        "",
        "2019-01-01",
        31000,
        "persons",
        "31 thousand; 'at the beginning of 2019'",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "",
        "2017-06-30",
        11523,
        "persons",
        "pension insurance",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=UA",
        "2017-06-30",
        8045,
        "persons",
        "",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=BY",
        "2017-06-30",
        1944,
        "persons",
        "",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "",
        "2018-06-30",
        16889,
        "persons",
        "pension insurance",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=UA",
        "2018-06-30",
        12208,
        "persons",
        "",
    ),
    (
        "zus2018",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=BY",
        "2018-06-30",
        2905,
        "persons",
        "",
    ),
    ("zus2018", "zus_insured_foreigners", "poland", "", "2017-06-30", 378461, "persons", ""),
    ("zus2018", "zus_insured_foreigners", "poland", "", "2018-06-30", 541175, "persons", ""),
    (
        "zus2021",
        "zus_insured_foreigners",
        "lubelskie",
        "",
        "2021-06-30",
        25700,
        "persons",
        "25,700",
    ),
    (
        "zus2021",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=UA",
        "2021-06-30",
        16700,
        "persons",
        "16.7 thousand",
    ),
    (
        "zus2021",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=BY",
        "2021-06-30",
        6300,
        "persons",
        "'over 6.3 thousand'",
    ),
    (
        "zus2022",
        "zus_insured_foreigners",
        "lubelskie",
        "",
        "2022-06-30",
        29500,
        "persons",
        "29.5 thousand",
    ),
    (
        "zus2022",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=UA",
        "2022-06-30",
        18400,
        "persons",
        "about 18.4 thousand",
    ),
    (
        "zus2022",
        "zus_insured_foreigners",
        "lubelskie",
        "citizenship=BY",
        "2022-06-30",
        7900,
        "persons",
        "7.9 thousand",
    ),
    (
        "pap2014",
        "foreign_students",
        "lublin",
        "",
        "2010-10-01",
        1400,
        "persons",
        "academic year 2010/11; 1.4 thousand",
    ),
    (
        "pap2014",
        "foreign_students",
        "lublin",
        "",
        "2011-10-01",
        1700,
        "persons",
        "academic year 2011/12; 'over 1.7 thousand'",
    ),
    (
        "pap2014",
        "foreign_students",
        "lublin",
        "",
        "2012-10-01",
        2400,
        "persons",
        "academic year 2012/13; 'almost 2.4 thousand'",
    ),
    (
        "pap2014",
        "foreign_students",
        "lublin",
        "",
        "2013-10-01",
        3037,
        "persons",
        "academic year 2013/14, nine universities",
    ),
    (
        "pap2014",
        "foreign_students",
        "lublin",
        "",
        "2013-10-01",
        4,
        "percent",
        "academic year 2013/14: share of all students",
    ),
    (
        "kdl2017",
        "foreign_students",
        "lublin",
        "",
        "2015-10-01",
        5639,
        "persons",
        "academic year 2015/16",
    ),
    (
        "dw2016",
        "foreign_students",
        "lublin",
        "",
        "2016-10-01",
        6500,
        "persons",
        "academic year 2016/17, preliminary figures of nine universities; about 6.5 thousand",
    ),
    (
        "dw2022",
        "foreign_students",
        "lublin",
        "",
        "2021-10-01",
        8300,
        "persons",
        "academic year 2021/22; 8.3 thousand",
    ),
    (
        "dw2022",
        "foreign_students",
        "lublin",
        "",
        "2021-10-01",
        13,
        "percent",
        "academic year 2021/22: 'almost 13%' of all students",
    ),
    ("gus2022", "population", "lublin", "", "2022-12-31", 331243, "persons", ""),
    ("gus2022", "population", "lublin", "sex=F", "2022-12-31", 178319, "persons", ""),
    ("gus2022", "population", "lublin", "sex=M", "2022-12-31", 152924, "persons", ""),
    (
        "ump_lublin",
        "ukrainians_estimate",
        "lublin",
        "",
        "2022-04-01",
        17,
        "percent",
        "share of the 406,982 residents (mobile-phone estimate incl. citizens of Ukraine)",
    ),
    ("ump_lublin", "population_growth_war", "lublin", "", "2022-04-01", 20, "percent", ""),
    (
        "ump_rp",
        "ukrainians_estimate",
        "gdansk",
        "",
        "2022-04-01",
        25,
        "percent",
        "share of the city's residents",
    ),
    (
        "ump_prawo",
        "ukrainians_estimate",
        "wroclaw",
        "",
        "2022-04-01",
        23,
        "percent",
        "share of the 829 thousand residents",
    ),
    ("ump_prawo", "ukrainians_estimate", "gdansk", "", "2022-04-01", 157787, "persons", ""),
    ("ump_prawo", "population_growth_war", "gdansk", "", "2022-04-01", 34, "percent", ""),
    (
        "ump_krakow",
        "ukrainians_estimate",
        "krakow",
        "",
        "2022-04-01",
        178000,
        "persons",
        "'nearly 178 thousand' (headline)",
    ),
    ("ump_krakow", "population_growth_war", "krakow", "", "2022-04-01", 19, "percent", "headline"),
    (
        "pesel2022",
        "pesel_ukr_registrations",
        "wroclaw",
        "",
        "2022-04-25",
        31500,
        "persons",
        "31.5 thousand",
    ),
    (
        "pesel2022",
        "pesel_ukr_registrations",
        "krakow",
        "",
        "2022-04-25",
        20900,
        "persons",
        "20.9 thousand",
    ),
    ("pesel2022", "pesel_ukr_registrations", "poland", "", "2022-04-25", 1011979, "persons", ""),
    (
        "pesel2022",
        "pesel_ukr_registrations",
        "poland",
        "sex=F",
        "2022-04-25",
        725200,
        "persons",
        "725.2 thousand",
    ),
    (
        "pesel2022",
        "pesel_ukr_registrations",
        "poland",
        "sex=M",
        "2022-04-25",
        286800,
        "persons",
        "286.8 thousand",
    ),
)

#: where the real series of a synthetic figure is published
_PORTALS = {
    "residence_permits_valid": (
        "Office for Foreigners (UdSC)",
        "https://migracje.gov.pl/statystyki/",
    ),
    "zus_insured_foreigners": ("Social Insurance Institution (ZUS)", "https://www.zus.pl/"),
    "pesel_ukr_registrations": ("Open data portal (dane.gov.pl)", "https://dane.gov.pl/"),
    "foreign_pupils": ("Open data portal (dane.gov.pl), SIO", "https://dane.gov.pl/"),
    "preparatory_class_pupils": ("Open data portal (dane.gov.pl), SIO", "https://dane.gov.pl/"),
    "population": ("Statistics Poland (GUS), Local Data Bank", "https://bdl.stat.gov.pl/"),
}
_THEMES = {
    "residence_permits_valid": "legal_status",
    "zus_insured_foreigners": "work",
    "pesel_ukr_registrations": "legal_status",
    "foreign_pupils": "education",
    "preparatory_class_pupils": "education",
    "foreign_students": "education",
    "population": "population",
    "ukrainians_estimate": "population",
    "population_growth_war": "population",
}


def _synthetic_rows(rng: np.random.Generator) -> list[tuple]:
    """(indicator, territory, group, date, value, unit, note) of the SYNTHETIC figures."""
    rows: list[tuple] = []
    # a decade of valid residence permits in the city, tenfold growth
    level = 1580.0
    for year in range(2013, 2024):
        rows.append(
            (
                "residence_permits_valid",
                "lublin",
                "",
                f"{year}-01-01",
                round(level, -1),
                "persons",
                "",
            )
        )
        growth = 1.18 + 0.06 * rng.random() + (0.18 if year in (2018, 2022) else 0.0)
        level *= growth
    total = rows[-1][4]
    for group, share in (
        ("citizenship=UA", 0.66),
        ("citizenship=BY", 0.17),
        ("citizenship=RU", 0.03),
        ("citizenship=other", 0.14),
        ("sex=F", 0.47),
        ("sex=M", 0.53),
        ("age=0-17", 0.12),
        ("age=18-39", 0.55),
        ("age=40-59", 0.27),
        ("age=60+", 0.06),
        ("permit=temporary", 0.58),
        ("permit=permanent", 0.24),
        ("permit=eu_long_term", 0.09),
        ("permit=other", 0.09),
    ):
        rows.append(
            (
                "residence_permits_valid",
                "lublin",
                group,
                "2023-01-01",
                round(total * share, -1),
                "persons",
                "",
            )
        )
    # PESEL-UKR in the city and foreign pupils in its schools
    rows.append(("pesel_ukr_registrations", "lublin", "", "2022-11-02", 24860.0, "persons", ""))
    rows.append(("pesel_ukr_registrations", "lublin", "", "2023-06-30", 21340.0, "persons", ""))
    pupils = 310.0
    for year in range(2014, 2024):
        rows.append(
            (
                "foreign_pupils",
                "lublin",
                "",
                f"{year}-09-30",
                round(pupils, -1),
                "persons",
                "school year starting in this year",
            )
        )
        pupils *= 1.22 + 0.05 * rng.random() + (1.9 if year == 2021 else 0.0)
    rows.append(("preparatory_class_pupils", "lublin", "", "2022-09-30", 640.0, "persons", ""))
    rows.append(("preparatory_class_pupils", "lublin", "", "2023-09-30", 410.0, "persons", ""))
    # the peer cities: residents and figures per 1,000 residents
    populations = {"gdansk": 486000.0, "wroclaw": 674000.0, "krakow": 803000.0}
    for city, pop in populations.items():
        rows.append(("population", city, "", "2022-12-31", pop, "persons", ""))
    for city, (permits, insured) in {
        "lublin": (48.0, 71.0),
        "gdansk": (57.0, 88.0),
        "wroclaw": (96.0, 142.0),
        "krakow": (71.0, 109.0),
    }.items():
        rows.append(("residence_permits_valid", city, "", "2023-01-01", permits, "per_1000", ""))
        rows.append(("zus_insured_foreigners", city, "", "2023-06-30", insured, "per_1000", ""))
    return rows


def make_public(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """The demo's ``public.csv``: real figures with their sources, then synthetic ones.

    Returns
    -------
    pandas.DataFrame
        The columns of the ``public`` contract, every value as text.
    """
    rng = _rng(seed, "context")
    cols: dict[str, list[str]] = {c: [] for c in _COLUMNS}

    def add(values: Mapping[str, Any]) -> None:
        for c in _COLUMNS:
            cols[c].append(str(values.get(c, "")))

    for key, ind, terr, group, date, value, unit, note in _REAL:
        title, publisher, url = _SOURCES[key]
        add(
            dict(
                theme=_THEMES[ind],
                indicator=ind,
                territory=terr,
                group=group,
                date=date,
                value=f"{value:g}",
                unit=unit,
                status="real",
                source_title=title,
                publisher=publisher,
                url=url,
                retrieved=_RETRIEVED,
                note=note,
            )
        )
    for ind, terr, group, date, value, unit, note in _synthetic_rows(rng):
        publisher, url = _PORTALS[ind]
        add(
            dict(
                theme=_THEMES[ind],
                indicator=ind,
                territory=terr,
                group=group,
                date=date,
                value=f"{value:g}",
                unit=unit,
                status="synthetic",
                source_title=f"SYNTHETIC demo figure, imitating the series of {publisher}",
                publisher="lublin-diagnosis demo generator (SYNTHETIC, not a real figure)",
                url=url,
                retrieved=_RETRIEVED,
                note=(
                    "SYNTHETIC: invented for the demo; the real series is published at "
                    "the URL" + (f"; {note}" if note else "")
                ),
            )
        )
    return _frame(cols)


# --------------------------------------------------------------------------- peers
def make_peer_scores(framework: Mapping[str, Any], seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """SYNTHETIC area scores (0-100) of Gdańsk, Wrocław and Kraków, round 2023."""
    rng = _rng(seed, "context")
    rng.random(64)  # a separate part of the stream from public.csv
    level = {"gdansk": 62.0, "wroclaw": 55.0, "krakow": 50.0}
    cols: dict[str, list[str]] = {
        c: [] for c in ("city", "area", "round", "score", "status", "source", "source_pl")
    }
    for city, mean in level.items():
        for area in framework.get("areas") or []:
            score = float(np.clip(mean + rng.normal(0.0, 12.0), 5.0, 95.0))
            cols["city"].append(city)
            cols["area"].append(str(area["id"]))
            cols["round"].append("2023")
            cols["score"].append(f"{score:.1f}")
            cols["status"].append("synthetic")
            cols["source"].append(
                "SYNTHETIC: invented peer-city scores for the demo, not a real monitoring"
            )
            cols["source_pl"].append(
                "SYNTETYCZNE: wyniki miast porównawczych wymyślone do demonstracji, "
                "nie z prawdziwego monitoringu"
            )
    return _frame(cols)


# --------------------------------------------------------------------------- rounds
def make_rounds() -> pd.DataFrame:
    """``rounds.csv``: three monitoring rounds (2011 retrospective) and two survey rounds."""
    rows = [
        (
            "monitoring",
            "2011",
            "yes",
            "Monitoring 2010–11 (retrospektywny)",
            "2010–11 monitoring (retrospective)",
            "SYNTHETIC: answers coded later from the report of the 2010–11 monitoring (demo)",
            "SYNTETYCZNE: odpowiedzi zakodowane później z raportu z monitoringu 2010–11 "
            "(demonstracja)",
        ),
        ("monitoring", "2022", "no", "Monitoring 2022", "2022 monitoring", "", ""),
        ("monitoring", "2023", "no", "Monitoring 2023", "2023 monitoring", "", ""),
        (
            "survey",
            "2022",
            "no",
            "Badanie ankietowe 2022",
            "2022 survey",
            "SYNTHETIC: an earlier, independent sample (survey_history.csv)",
            "SYNTETYCZNE: wcześniejsza, niezależna próba (survey_history.csv)",
        ),
        (
            "survey",
            "2023",
            "no",
            "Badanie ankietowe 2023",
            "2023 survey",
            "survey.csv",
            "",
        ),
    ]
    names = ("kind", "round", "retrospective", "label_pl", "label_en", "source", "source_pl")
    return _frame({n: [r[i] for r in rows] for i, n in enumerate(names)})


# --------------------------------------------------------------------------- history
def make_monitoring_history(
    monitoring: pd.DataFrame, framework: Mapping[str, Any], seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """A SYNTHETIC 2011 retrospective round: the 2022 answers of the institutions the
    2010-11 monitoring covered, for about seven indicators in ten, often one option
    lower (practice was weaker a decade earlier), dated in 2010-11."""
    rng = _rng(seed, "monitoring_history")
    options = {
        str(i["id"]): [
            str(o["id"])
            for o in sorted(i.get("options") or [], key=lambda o: float(o.get("score", 0)))
        ]
        for i in _indicators(framework, "P")
    }
    base = monitoring[
        (monitoring["round"] == "2022")
        & monitoring["institution_id"].isin(RETROSPECTIVE_INSTITUTIONS)
    ]
    kept = {ind for ind in sorted(base["indicator_id"].unique()) if rng.random() < 0.7}
    rows: dict[str, list[str]] = {
        k: [] for k in ("institution_id", "indicator_id", "answer", "evidence", "date", "round")
    }
    for rec in base.itertuples(index=False):
        if rec.indicator_id not in kept:
            continue
        opts = options[rec.indicator_id]
        level = opts.index(rec.answer)
        if level > 0 and rng.random() < 0.75:
            level -= 1
        rows["institution_id"].append(rec.institution_id)
        rows["indicator_id"].append(rec.indicator_id)
        rows["answer"].append(opts[level])
        rows["evidence"].append("document_review")
        rows["date"].append(str(_day("2010-11-02", int(rng.integers(0, 240)))))
        rows["round"].append(str(RETROSPECTIVE_ROUND))
    return _frame(rows)


#: outcome items a little less often 1 in the earlier survey round
_LOWER_EARLIER = (
    "knows_info_source",
    "knows_benefits",
    "knows_dv_help",
    "city_office_satisfied",
    "polish_friends",
    "attended_course",
)


def make_survey_history(seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """A SYNTHETIC earlier survey round (2022): ``round`` and the survey's columns.

    Drawn like :func:`~lublin_diagnosis.data.synth.survey.make_survey` from its own
    random stream (an independent sample), with a share of the ``1`` answers of
    :data:`_LOWER_EARLIER` turned into ``0``.
    """
    from lublin_diagnosis.data.synth.survey import make_survey

    survey = make_survey(seed, N_HISTORY_RESPONDENTS, stream="survey_history")
    rng = _rng(seed, "survey_history")
    rng.random(1024)
    for col in _LOWER_EARLIER:
        if col not in survey.columns:
            continue
        values = survey[col].to_numpy(dtype=object)
        flip = (values == "1") & (rng.random(len(values)) < 0.18)
        values[flip] = "0"
        survey[col] = pd.array([str(v) for v in values], dtype="str")
    survey.insert(0, "round", pd.array([str(HISTORY_ROUND)] * len(survey), dtype="str"))
    return survey
