"""Texts of the reports in Polish and English, read from the locale files.

Every title, sentence, table header, axis label and legend note of the notebooks and of the
HTML report comes from ``lublin_diagnosis/locales/pl.yml`` and ``en.yml`` (names of areas
and indicators come from the framework). Keys are dotted paths into the YAML tree
(``"columns.estimate"``); values are ``str.format`` templates.

:func:`t` returns one text; :func:`md` returns it as an IPython ``Markdown`` object, so a
notebook cell ``display(md("area.intro", lang, area=name))`` writes a paragraph in the
language of the run: one notebook serves both languages. :func:`localise_columns` renames
the columns of a table by the ``columns`` section; :func:`has_text` tells whether a key
exists.

In the pipeline's kernels (:data:`RECORD_ENV` set) every text these functions read is
recorded (:func:`texts_used`), so the run cache re-executes a notebook after a locale
edit only when a text it read changed (:func:`texts_changed`); an edit to any other
text renders the pages, PDFs and workbook of its language again, and nothing more.

>>> t("report.synthetic_short", "en")
'SYNTHETIC DATA'
>>> t("report.synthetic_short", "pl")
'DANE SYNTETYCZNE'
>>> t("units.respondents", "en", n="1,200")
'1,200 respondents'
>>> t("area.headline", "pl", score=52.34, ci_low=-0.04, ci_high=1148.56, rank=1, n_areas=14,
...   n_indicators=22, n_P=2, n_A=1, n_O=2, n_suppressed=0)[16:100]
' 52,3** na 100 (95% przedział ufności: 0,0–1\\xa0148,6); 1. miejsce z 14 (1 = obszar naj'
>>> t("area.headline", "pl", score=1, ci_low=0, ci_high=2, rank=1, n_areas=14,
...   n_indicators=22, n_P=2, n_A=1, n_O=2, n_suppressed=0).split("obejmuje ")[1][:12]
'22\\xa0wskaźniki'
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml

from lublin_diagnosis.report.formatting import format_spec

__all__ = [
    "LANGUAGES",
    "RECORD_ENV",
    "check_lang",
    "current_texts",
    "every_text_used",
    "forget_texts_used",
    "has_text",
    "in_language",
    "locale_keys",
    "localise_columns",
    "md",
    "t",
    "texts_changed",
    "texts_used",
]

#: Languages of the reports, in the order they are run and listed.
LANGUAGES: tuple[str, ...] = ("pl", "en")
#: Further languages some texts exist in (the campaign cards' Ukrainian and Russian, in
#: ``locales/cards/``): :func:`t` gives a key of these languages where one is defined;
#: the report itself stays in :data:`LANGUAGES`.
_TEXT_LANGUAGES: tuple[str, ...] = (*LANGUAGES, "uk", "ru")
#: Set in the environment of the pipeline's kernels: record every text read.
RECORD_ENV = "LUBLIN_DIAGNOSIS_RECORD_TEXTS"
#: Stands for "every key" in a record (:func:`locale_keys` lists them all).
_ALL = "*"
#: The texts read since the last :func:`forget_texts_used`, ``{lang: {key: text or None}}``
#: (None: the key was looked up and is missing); None when not recording.
_used: dict[str, dict[str, str | None]] | None = {} if os.environ.get(RECORD_ENV) else None


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is a report language, else raise ``ValueError``.

    >>> check_lang("pl")
    'pl'
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return str(lang)


def _load(path: Any) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}


def _locale_files(lang: str) -> list[Any]:
    """``locales/<lang>.yml`` and every ``locales/<topic>/<lang>.yml``, in name order.

    A topic folder (``locales/cards/``) keeps the texts of one part of the package
    together; a key defined in two files is an error.
    """
    root = resources.files("lublin_diagnosis.report").joinpath("locales")
    files = [root.joinpath(f"{lang}.yml")]
    topics = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: p.name)
    files += [p.joinpath(f"{lang}.yml") for p in topics if p.joinpath(f"{lang}.yml").is_file()]
    return files


@cache
def _flat(lang: str) -> Mapping[str, str]:
    out: dict[str, str] = {}
    origin: dict[str, str] = {}

    def walk(node: Any, prefix: str, source: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key), source)
        else:
            if prefix in out:
                raise ValueError(
                    f"locale text {prefix!r} is defined in both {origin[prefix]} and {source}"
                )
            out[prefix] = "" if node is None else str(node)
            origin[prefix] = source

    for path in _locale_files(lang):
        if path.is_file():
            walk(_load(path), "", str(path).split("lublin_diagnosis/report/")[-1])
    return out


def _digest(texts: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(sorted(texts.items())).encode()).hexdigest()


def _read(texts: Mapping[str, str], key: str, lang: str) -> str | None:
    """``texts[key]`` or None, recorded when recording."""
    value = texts.get(key)
    if _used is not None:
        _used.setdefault(lang, {})[key] = value
    return value


def texts_used() -> dict[str, dict[str, str | None]]:
    """The texts read since :func:`forget_texts_used` (or the start of the process),
    ``{lang: {key: text}}``; a key looked up and missing has None, and ``"*"`` means
    every key was listed. Empty when not recording (see :data:`RECORD_ENV`).

    >>> texts_used()  # recording is on in the pipeline's kernels only (RECORD_ENV)
    {}
    """
    return {lang: dict(keys) for lang, keys in (_used or {}).items()}


def forget_texts_used() -> None:
    """Start a new record of the texts read (a kernel does before each notebook)."""
    if _used is not None:
        _used.clear()


def current_texts(lang: str) -> dict[str, str]:
    """Every text of ``lang`` as the locale files say now (read anew, not memoised)."""
    return dict(_flat.__wrapped__(lang))


def every_text_used(
    lang: str, texts: Mapping[str, str] | None = None
) -> dict[str, dict[str, str | None]]:
    """A record (as :func:`texts_used` gives) that stands for every text of ``lang``
    (``texts``, default as the files say now): any edit changes it.

    >>> texts_changed(every_text_used("en"))
    []
    """
    return {lang: {_ALL: _digest(texts if texts is not None else current_texts(lang))}}


def texts_changed(
    used: Mapping[str, Mapping[str, str | None]],
    current: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """The ``lang:key`` of each text in the record ``used`` (of :func:`texts_used`) that
    the locale files no longer say the same (``current``: the texts by language, default
    read anew); empty when a notebook that read them would print the same words.

    >>> used = {"en": {"columns.estimate": "Estimate", "no.such": None}}
    >>> texts_changed(used)
    []
    >>> texts_changed({"en": {"columns.estimate": "Point estimate"}})
    ['en:columns.estimate']
    >>> texts_changed({"en": {"*": "an older version of every text"}})
    ['en:*']
    """
    changed = []
    for lang, keys in used.items():
        texts = current[lang] if current is not None else current_texts(lang)
        for key, value in keys.items():
            now = _digest(texts) if key == _ALL else texts.get(key)
            if now != value:
                changed.append(f"{lang}:{key}")
    return changed


def has_text(key: str, lang: str) -> bool:
    """Whether the locale files of ``lang`` have the text ``key``.

    >>> has_text("columns.estimate", "pl"), has_text("columns.no_such_column", "pl")
    (True, False)
    """
    if lang not in _TEXT_LANGUAGES:
        check_lang(lang)
    return _read(_flat(lang), key, lang) is not None


def locale_keys(lang: str) -> frozenset[str]:
    """Every key of the locale file of ``lang``.

    Ukrainian and Russian have only the keys of their topic files.

    >>> locale_keys("pl") == locale_keys("en")
    True
    >>> "cards.title" in locale_keys("uk"), "report.title" in locale_keys("uk")
    (True, False)
    """
    if lang not in _TEXT_LANGUAGES:
        check_lang(lang)
    texts = _flat(lang)
    if _used is not None:  # whatever is done with the list depends on every text
        _used.setdefault(lang, {})[_ALL] = _digest(texts)
    return frozenset(texts)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


class _Number:
    """A number that formats by :func:`~lublin_diagnosis.report.formatting.format_spec`:
    the language's separators, a no-break space between thousands, the true minus."""

    __slots__ = ("value", "lang")

    def __init__(self, value: Any, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        return format_spec(self.value, spec, self.lang)

    def __str__(self) -> str:
        return self.__format__("")


#: An abbreviation's full stop followed by the sentence's ("2023 r..", "p.p..").
_DOUBLE_STOP = re.compile(r"(\b(?:r|p\.p|pp|nr|pkt|ok|tys|mln)\.)\.(?!\.)")


def t(key: str, lang: str, /, **values: Any) -> str:
    """The text ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Parameters
    ----------
    key : str
        Dotted key of the locale files, e.g. ``"columns.estimate"``.
    lang : {"pl", "en"} or {"uk", "ru"}
        Language (Ukrainian and Russian only for the keys their topic files define,
        e.g. ``cards.*``).
    **values
        Values of the template's placeholders. Numbers are formatted with the
        separators of ``lang`` (``{score:.1f}`` gives ``52,3`` in Polish).

    Raises
    ------
    KeyError
        When the key is not in the locale file (the message names the file), or a
        placeholder has no value.

    Examples
    --------
    >>> t("columns.estimate", "pl")
    'Oszacowanie'
    >>> t("units.respondents", "pl", n=1200), t("units.respondents", "en", n=1200)
    ('1200 respondentów', '1200 respondents')
    >>> t("institution.intro", "pl", areas="zdrowie", round=2023, date="11 grudnia 2023 r.")[-27:]
    'stanu na 11 grudnia 2023 r.'
    """
    if lang not in _TEXT_LANGUAGES:
        check_lang(lang)
    texts = _flat(lang)
    template = _read(texts, key, lang)
    if template is None:
        near = sorted(k for k in texts if k.rsplit(".", 1)[0] == key.rsplit(".", 1)[0])[:8]
        hint = f"; keys of that section: {', '.join(near)}" if near else ""
        raise KeyError(f"no text {key!r} in lublin_diagnosis/locales/{lang}.yml{hint}") from None
    if not values:
        return template
    try:
        text = template.format(
            **{k: _Number(v, lang) if _is_number(v) else v for k, v in values.items()}
        )
    except KeyError as exc:
        raise KeyError(
            f"text {key!r} of locales/{lang}.yml needs a value for {exc.args[0]!r}"
        ) from None
    # a value ending in an abbreviation ("11 grudnia 2023 r.", "3,2 p.p.") at the end of a
    # sentence: one full stop, not two
    return _DOUBLE_STOP.sub(r"\1", text)


def md(key: str, lang: str, /, **values: Any):
    """:func:`t` as an IPython ``Markdown`` object, for ``display()`` in a notebook.

    The template is the project's Markdown; every value put into it is escaped
    (:func:`~lublin_diagnosis.report.escape.escape_markdown`), so a name from the data
    or the framework shows as typed and never becomes a link, an image or HTML.

    >>> md("report.synthetic_short", "en").data
    'SYNTHETIC DATA'
    >>> md("area.title", "en", number=1, name="<script>x</script>").data
    '# 1. &lt;script&gt;x&lt;/script&gt;'
    """
    from IPython.display import Markdown

    from lublin_diagnosis.report.escape import escape_markdown

    safe = {k: v if _is_number(v) else escape_markdown(v) for k, v in values.items()}
    return Markdown(t(key, lang, **safe))


def in_language(frame: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """A text column of the data in the reader's language: ``<column>_<lang>`` (as
    ``source_pl``) where the data give it, else ``<column>`` (missing values empty).

    The data are written in one language and may give a text in the other beside it (a
    source named in Polish and in English): a page shows the one of its language.

    Examples
    --------
    >>> frame = pd.DataFrame({"source": ["GUS register", "ZUS"],
    ...                       "source_pl": ["rejestr GUS", None]})
    >>> in_language(frame, "source", "pl").tolist(), in_language(frame, "source", "en").tolist()
    (['rejestr GUS', 'ZUS'], ['GUS register', 'ZUS'])
    """
    check_lang(lang)
    if column in frame.columns:
        base = frame[column].fillna("").astype(str)
    else:
        base = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    own = f"{column}_{lang}"
    if own not in frame.columns:
        return base
    text = frame[own].fillna("").astype(str)
    return text.where(text.str.strip() != "", base)


def localise_columns(frame: pd.DataFrame, lang: str, *, keep: Iterable[str] = ()) -> pd.DataFrame:
    """``frame`` with every column renamed by the ``columns`` section of the locale file.

    Parameters
    ----------
    frame : DataFrame
    lang : {"pl", "en"}
    keep : iterable of str
        Columns left as they are (for instance columns already named in ``lang``).

    Raises
    ------
    KeyError
        Naming every column that has no translation.

    Examples
    --------
    >>> import pandas as pd
    >>> localise_columns(pd.DataFrame({"estimate": [0.5], "n": [40]}), "pl").columns.tolist()
    ['Oszacowanie', 'n']
    """
    texts = _flat(check_lang(lang))
    keep = set(keep)
    missing = [
        c for c in frame.columns if c not in keep and _read(texts, f"columns.{c}", lang) is None
    ]
    if missing:
        raise KeyError(
            f"no header for column(s) {', '.join(map(repr, missing))} in "
            f"section 'columns' of lublin_diagnosis/locales/{lang}.yml"
        )
    return frame.rename(columns={c: texts[f"columns.{c}"] for c in frame.columns if c not in keep})
