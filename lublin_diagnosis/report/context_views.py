"""Tables of the context chapter and the peer-city page, in the report's words.

Public figures (``Dataset.public``) become display tables with every figure's source
beside it (:func:`public_table`), a list of the sources to print under a figure
(:func:`sources_note`), the weighting margins with their registers
(:func:`margin_sources`), the peer cities' comparable figures (:func:`peer_figures`)
and the city's area scores among its peers (:func:`peer_score_table`). Every label
comes from the locale files (``locales/context/``); no raw code reaches a page.

>>> import pandas as pd
>>> public = pd.DataFrame({"theme": ["education"], "indicator": ["foreign_students"],
...     "territory": ["lublin"], "group": [None], "date": pd.to_datetime(["2021-10-01"]),
...     "value": [8300.0], "unit": ["persons"], "status": ["real"],
...     "source_title": ["A report"], "publisher": ["A paper"], "url": ["https://x.pl/a"],
...     "retrieved": pd.to_datetime(["2026-12-01"]), "note": [None]})
>>> public_table(public, "en")[["territory_name", "value", "status_name"]].values.tolist()
[['Lublin', 8300.0, 'real']]
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from lublin_diagnosis.report.escape import escape_markdown
from lublin_diagnosis.report.formatting import counted
from lublin_diagnosis.report.formatting import date as format_date
from lublin_diagnosis.report.i18n import has_text, in_language, t

__all__ = [
    "STUDY_VISIT_CITIES",
    "figures_count",
    "group_name",
    "indicator_name",
    "link",
    "margin_sources",
    "peer_figures",
    "peer_score_table",
    "public_table",
    "select",
    "sources_md",
    "sources_note",
    "territory_name",
]

_PLURALS = ("one", "few", "many", "other")

#: The cities of the project's study visits (the peers of the comparison).
STUDY_VISIT_CITIES: tuple[str, ...] = ("gdansk", "wroclaw", "krakow")


def territory_name(code: str, lang: str) -> str:
    """``"gdansk"`` → ``"Gdańsk"``."""
    return t(f"context.territories.{code}", lang)


def indicator_name(code: str, lang: str) -> str:
    """The name of a public indicator of the catalogue."""
    return t(f"context.indicators.{code}", lang)


def group_name(group: Any, lang: str) -> str:
    """``"citizenship=UA"`` → ``"citizenship: Ukraine"``; empty → ``"total"``."""
    if group is None or (isinstance(group, float) and group != group) or not str(group):
        return t("values.total", lang)
    var, _, code = str(group).partition("=")
    key = f"context.group_values.{var}.{code}"
    value = t(key, lang) if has_text(key, lang) else code
    return f"{t(f'context.group_vars.{var}', lang)}: {value}"


def select(
    public: pd.DataFrame,
    *,
    indicator: str | None = None,
    territory: str | tuple[str, ...] | None = None,
    unit: str | None = None,
    groups: bool | str = False,
) -> pd.DataFrame:
    """Rows of ``public`` by indicator, territory (one or several), unit and group:
    ``groups=False`` keeps totals only, ``True`` keeps everything, a text keeps the
    groups of that variable (``"citizenship"``)."""
    rows = public
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    if territory is not None:
        wanted = (territory,) if isinstance(territory, str) else tuple(territory)
        rows = rows[rows["territory"].isin(wanted)]
    if unit is not None:
        rows = rows[rows["unit"] == unit]
    group = rows["group"].fillna("")
    if groups is False:
        rows = rows[group == ""]
    elif isinstance(groups, str):
        rows = rows[group.str.startswith(f"{groups}=")]
    return rows.sort_values(["territory", "date"], kind="stable")


def public_table(public: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display table of public figures with their sources.

    Columns: ``indicator_label, territory_name, group_label, date, value, unit_name,
    status_name, source_title, publisher, url, retrieved, note`` (``date`` and
    ``retrieved`` as text in ``lang``).
    """
    out = pd.DataFrame(
        {
            "indicator_label": [indicator_name(i, lang) for i in public["indicator"]],
            "territory_name": [territory_name(c, lang) for c in public["territory"]],
            "group_label": [group_name(g, lang) for g in public["group"]],
            "date": [format_date(d, lang) for d in public["date"]],
            "value": public["value"].astype(float).to_numpy(),
            "unit_name": [t(f"context.units.{u}", lang) for u in public["unit"]],
            "status_name": [t(f"context.status.{s}", lang) for s in public["status"]],
            "source_title": public["source_title"].to_numpy(),
            "publisher": public["publisher"].to_numpy(),
            "url": public["url"].to_numpy(),
            "retrieved": [format_date(d, lang) for d in public["retrieved"]],
            "note": public["note"].fillna("").to_numpy(),
        }
    )
    return out.reset_index(drop=True)


def link(url: Any) -> str:
    """A Markdown autolink ``<url>`` of an ``http(s)`` address, every character outside
    the URL alphabet percent-encoded (so no ``<``, ``>``, quote or space can break out);
    anything else is shown as escaped text.

    >>> link("https://x.pl/a-b?q=1"), link("https://x.pl/<b>")
    ('<https://x.pl/a-b?q=1>', '<https://x.pl/%3Cb%3E>')
    >>> link("javascript:alert(1)") == "javascript:alert" + chr(92) + "(1" + chr(92) + ")"
    True
    """
    from urllib.parse import quote

    text = str(url).strip()
    if not re.fullmatch(r"https?://\S+", text):
        return escape_markdown(text)
    return "<" + quote(text, safe="/:?#[]@!$&'()*+,;=%-._~") + ">"


def sources_note(public: pd.DataFrame, lang: str) -> str:
    """Markdown: the sources of the figures in ``public``, one line each (title,
    publisher, URL, day read, how many figures, real or synthetic), every value
    escaped. Synthetic figures are named as such, with the address where the real
    series is published.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"source_title": ["T"], "publisher": ["P"],
    ...     "url": ["https://x.pl"], "retrieved": pd.to_datetime(["2026-12-01"]),
    ...     "status": ["real"]})
    >>> print(sources_note(rows, "en").replace(chr(160), " "))
    **Sources.**
    <BLANKLINE>
    - T – P, <https://x.pl> (read 1 December 2026) – real (1 figure)
    """
    lines = [t("context.sources_heading", lang), ""]
    keys = ["source_title", "publisher", "url", "retrieved", "status"]
    for (title, publisher, url, retrieved, status), rows in public.groupby(keys, sort=False):
        key = "context.source_line" if status == "real" else "context.synthetic_source_line"
        lines.append(
            t(
                key,
                lang,
                title=escape_markdown(title),
                publisher=escape_markdown(publisher),
                url=link(url),
                retrieved=format_date(retrieved, lang),
                status=t(f"context.status.{status}", lang),
                figures=figures_count(len(rows), lang),
            )
        )
    return "\n".join(lines)


def figures_count(n: int, lang: str) -> str:
    """``n`` with the word "figure" in the plural form that agrees with it.

    >>> figures_count(3, "pl"), figures_count(5, "pl"), figures_count(1, "en")
    ('3\xa0liczby', '5\xa0liczb', '1\xa0figure')
    """
    return counted(n, lang, **{c: t(f"context.figure_forms.{c}", lang) for c in _PLURALS})


def sources_md(public: pd.DataFrame, lang: str):
    """:func:`sources_note` as an IPython ``Markdown`` object, for ``display()`` under a
    figure (its values are escaped by :func:`sources_note`)."""
    from IPython.display import Markdown

    return Markdown(sources_note(public, lang))


def margin_sources(dataset: Any, lang: str) -> pd.DataFrame:
    """The weighting margins with the register each comes from (in ``lang`` where the
    data give it: ``source_pl``, ``source_en``) and its date: ``variable_label, count,
    source, date``."""
    margins = dataset.margins.assign(source=in_language(dataset.margins, "source", lang))
    rows = []
    for var, group in margins.groupby("variable", sort=False):
        label = dataset.codebook[var].label.get(lang, var) if var in dataset.codebook else var
        rows.append(
            {
                "variable_label": label,
                "count": float(group["count"].sum()),
                "source": "; ".join(dict.fromkeys(group["source"].astype(str))),
                "date": "; ".join(
                    dict.fromkeys(format_date(d, lang) for d in group["reference_date"])
                ),
            }
        )
    return pd.DataFrame(rows, columns=["variable_label", "count", "source", "date"])


def peer_figures(public: pd.DataFrame, lang: str, *, unit: str) -> pd.DataFrame:
    """The latest figure of each indicator in ``unit`` for Lublin and the peer cities
    (one row per indicator and city): ``indicator, city, label, indicator_label,
    value, status, date``. Indicators no source gives for a city are left out for it."""
    cities = ("lublin", *STUDY_VISIT_CITIES)
    rows = public[
        public["territory"].isin(cities)
        & (public["unit"] == unit)
        & public["group"].fillna("").eq("")
    ]
    if rows.empty:
        return pd.DataFrame(
            columns=["indicator", "city", "label", "indicator_label", "value", "status", "date"]
        )
    latest = rows.sort_values("date").groupby(["indicator", "territory"]).tail(1)
    order = {c: i for i, c in enumerate(cities)}
    latest = latest.assign(_o=latest["territory"].map(order)).sort_values(["indicator", "_o"])
    return pd.DataFrame(
        {
            "indicator": latest["indicator"].to_numpy(),
            "city": latest["territory"].to_numpy(),
            "label": [territory_name(c, lang) for c in latest["territory"]],
            "indicator_label": [indicator_name(i, lang) for i in latest["indicator"]],
            "value": latest["value"].astype(float).to_numpy(),
            "status": latest["status"].to_numpy(),
            "date": [format_date(d, lang) for d in latest["date"]],
        }
    ).reset_index(drop=True)


def peer_score_table(comparison: pd.DataFrame, framework: Any, lang: str) -> pd.DataFrame:
    """The area-by-city table of :func:`~lublin_diagnosis.indicators.trends.peer_comparison`
    for display: ``area_name, score_lublin, rank`` and ``score_<city>`` of each study-visit
    city (missing where the peer has no score for the area)."""
    rows = []
    for area, group in comparison.groupby("area", sort=False):
        own = group[group["status"] == "own"].iloc[0]
        row = {
            "area_name": framework.label(framework.area(area), lang),
            "score_lublin": own["score"],
            "rank": own["rank"],
        }
        for city in STUDY_VISIT_CITIES:
            match = group[(group["city"] == city) & (group["status"] != "own")]
            row[f"score_{city}"] = float(match["score"].iloc[0]) if len(match) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)
