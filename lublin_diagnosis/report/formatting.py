"""The one formatter of numbers, dates and counted words in the report (CLDR, by babel).

Every number a reader sees goes through here: tables (:func:`column`), sentences
(:func:`format_spec`, which the locale texts' ``{score:.1f}`` placeholders use) and figures.

* separators of the language, with a **no-break space** (U+00A0) between thousands, so
  ``1 148`` never breaks across lines; the **true minus** sign (U+2212); no ``−0,0``;
* :func:`number`, :func:`percent` (a share 0–1 as ``32,3%``), :func:`points` (a difference of
  shares in percentage points, signed: ``+3,2 p.p.``), :func:`p_value` (``< 0,001``),
  :func:`year` (never a separator: ``2022``) and :func:`date` (``11 grudnia 2023 r.`` /
  ``11 December 2023``);
* :func:`column`: one precision for a whole column (:func:`column_digits`);
* :func:`plural`: the CLDR plural category of a number (Polish has ``one``, ``few``,
  ``many``, ``other``), so a sentence agrees with its number (:func:`counted`).

>>> number(-0.0004, "pl", digits=3), number(1148.5, "pl", digits=1), year(2022)
('0,000', '1\\xa0148,5', '2022')
>>> counted(23, "pl", one="zmiana", few="zmiany", many="zmian")
'23\\xa0zmiany'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DASH",
    "MINUS",
    "column",
    "column_digits",
    "counted",
    "date",
    "format_spec",
    "is_missing",
    "number",
    "p_value",
    "percent",
    "period",
    "plural",
    "points",
    "rounded_for_file",
    "year",
]

#: The true minus sign.
MINUS = "\u2212"
#: What a missing or suppressed value shows as.
DASH = "–"
_NBSP = "\u00a0"
#: Locales of the report languages and of the campaign cards' extra languages (uk, ru).
_LOCALES = {"pl": "pl_PL", "en": "en_GB", "uk": "uk_UA", "ru": "ru_RU"}
_POINTS = {"pl": "p.p.", "en": "pp", "uk": "в.\u00a0п.", "ru": "п.\u00a0п."}
_MIXED = 1000.0
_CATEGORIES = {
    "pl": ("one", "few", "many", "other"),
    "en": ("one", "other"),
    "uk": ("one", "few", "many", "other"),
    "ru": ("one", "few", "many", "other"),
}
_SPEC = re.compile(r"^(?P<comma>,)?(?:\.(?P<digits>\d+))?(?P<kind>[fgd%]?)$")


def _locale(lang: str) -> str:
    try:
        return _LOCALES[lang]
    except KeyError:
        raise ValueError(f"lang must be one of {', '.join(_LOCALES)}, not {lang!r}") from None


def is_missing(value: Any) -> bool:
    """True for None, NA, NaN and infinities: what a table shows as a dash.

    >>> is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, False)
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _tidy(text: str) -> str:
    text = text.replace("\u202f", _NBSP).replace("-", MINUS)
    # a value that rounds to zero carries no sign
    if text.startswith(MINUS) and not any(c in "123456789" for c in text):
        text = text[1:]
    return text


def number(value: Any, lang: str, *, digits: int | None = None, group: bool = True) -> str:
    """``value`` with ``digits`` decimals (default: :func:`column_digits` of the value alone)
    and the separators of ``lang``.

    Examples
    --------
    >>> number(61760, "en"), number(0.61910, "pl"), number(-2.5, "pl", digits=1)
    ('61,760', '0,619', '−2,5')
    >>> number(float("nan"), "pl")
    '–'
    """
    if is_missing(value):
        return DASH
    value = float(value)
    if digits is None:
        digits = column_digits([value])
    from babel.numbers import format_decimal

    pattern = ("#,##0" if group else "0") + ("." + "0" * digits if digits else "")
    return _tidy(format_decimal(round(value, digits), format=pattern, locale=_locale(lang)))


def percent(share: Any, lang: str, *, digits: int = 1) -> str:
    """A share (0–1) as a percentage.

    >>> percent(0.3234, "pl"), percent(0.5, "en", digits=0)
    ('32,3%', '50%')
    """
    if is_missing(share):
        return DASH
    return number(100 * float(share), lang, digits=digits) + "%"


def points(difference: Any, lang: str, *, digits: int = 1) -> str:
    """A difference of two shares (on the 0–1 scale) in percentage points, signed.

    >>> points(0.0323, "pl"), points(-0.1, "en"), points(0.00001, "pl")
    ('+3,2\\xa0p.p.', '−10.0\\xa0pp', '0,0\\xa0p.p.')
    """
    if is_missing(difference):
        return DASH
    text = number(100 * float(difference), lang, digits=digits)
    if not text.startswith(MINUS) and any(c in "123456789" for c in text):
        text = "+" + text
    return f"{text}{_NBSP}{_POINTS[lang]}"


def p_value(p: Any, lang: str) -> str:
    """A p-value: three decimals, ``< 0,001`` below that.

    >>> p_value(0.0000, "pl"), p_value(0.0123, "en"), p_value(1, "pl")
    ('<\\xa00,001', '0.012', '1,000')
    """
    if is_missing(p):
        return DASH
    if float(p) < 0.001:
        return f"<{_NBSP}{number(0.001, lang, digits=3)}"
    return number(float(p), lang, digits=3)


def year(value: Any) -> str:
    """A year (or a survey round) as digits only.

    >>> year(2022.0), year("2023")
    ('2022', '2023')
    """
    if is_missing(value):
        return DASH
    return str(int(float(value)))


def date(value: Any, lang: str) -> str:
    """A date in words: ``11 grudnia 2023 r.`` / ``11 December 2023``.

    >>> date("2023-12-11", "pl"), date("2023-12-11", "en")
    ('11 grudnia 2023\\xa0r.', '11 December 2023')
    """
    if value is None or (not isinstance(value, str) and is_missing(value)):
        return DASH
    from babel.dates import format_date

    day = pd.Timestamp(value).date()
    text = format_date(day, format="d MMMM y", locale=_locale(lang))
    return f"{text}{_NBSP}r." if lang == "pl" else text


def period(value: Any, lang: str) -> str:
    """A day (``YYYY-MM-DD``) or, where only the month may be shown, a month (``YYYY-MM``),
    in words, in the form that follows "od" / "from": ``kwietnia 2022 r.`` / ``April 2022``.

    >>> period("2022-04", "pl"), period("2022-04", "en"), period("2022-04-05", "en")
    ('kwietnia 2022\xa0r.', 'April 2022', '5 April 2022')
    """
    if value is None or (not isinstance(value, str) and is_missing(value)):
        return DASH
    text = str(value)
    if len(text) != 7:
        return date(text, lang)
    from babel.dates import format_date

    month = format_date(pd.Timestamp(text + "-01").date(), format="MMMM y", locale=_locale(lang))
    return f"{month}{_NBSP}r." if lang == "pl" else month


def column_digits(values: Iterable[Any]) -> int:
    """The decimals of a column: none for whole numbers, else by the typical (median)
    magnitude: 3 under 1, 2 under 10, 1 under 1000 and none above.

    >>> column_digits([0.12, 0.5, 1.2]), column_digits([12.5, 80.25]), column_digits([3, 40])
    (3, 1, 0)
    """
    finite = np.array([float(v) for v in values if not is_missing(v)], dtype=float)
    if finite.size == 0 or np.all(finite == np.round(finite)):
        return 0
    size = float(np.median(np.abs(finite[finite != 0]))) if np.any(finite != 0) else 0.0
    return 3 if size < 1 else 2 if size < 10 else 1 if size < 1000 else 0


def column(values: Iterable[Any], lang: str, *, digits: int | None = None) -> list[str]:
    """A column of numbers formatted with one precision (:func:`column_digits`); a column
    whose values span more than three orders of magnitude holds different statistics,
    and each value gets the precision of its size; a column of whole numbers from 1900 to
    2100 is a column of years (no separator).

    >>> column([0.5, 0.123456, None], "pl")
    ['0,500', '0,123', '–']
    >>> column([1200, 0.619, 229.4], "en")
    ['1,200', '0.619', '229.4']
    >>> column([2022, 2023.0, None], "en")
    ['2022', '2023', '–']
    """
    values = list(values)
    present = [float(v) for v in values if not is_missing(v)]
    if digits is None and present and all(v.is_integer() and 1900 <= v <= 2100 for v in present):
        return [year(v) for v in values]  # a column of years (survey rounds)
    if digits is None:
        sizes = [abs(float(v)) for v in values if not is_missing(v) and float(v) != 0]
        if sizes and max(sizes) / min(sizes) > _MIXED:
            # a column of different statistics (a key-value table): each by its size
            return [number(v, lang) for v in values]
        digits = column_digits(values)
    return [number(v, lang, digits=digits) for v in values]


def plural(n: Any, lang: str) -> str:
    """The CLDR plural category of ``n`` in ``lang`` (``one``, ``few``, ``many``, ``other``).

    >>> [plural(k, "pl") for k in (1, 2, 5, 22, 25, 1.5)], plural(1, "en")
    (['one', 'few', 'many', 'few', 'many', 'other'], 'one')
    >>> [plural(k, "uk") for k in (1, 2, 5, 21)], plural(3, "ru")
    (['one', 'few', 'many', 'one'], 'few')
    """
    from babel import Locale

    return Locale.parse(_locale(lang)).plural_form(abs(n))


def counted(n: Any, lang: str, **forms: str) -> str:
    """``n`` and the form of the noun that agrees with it; ``forms`` by plural category
    (a missing category falls back to ``other``, then ``many``).

    >>> counted(1, "en", one="case", other="cases"), counted(5, "pl", one="osoba",
    ...     few="osoby", many="osób")
    ('1\\xa0case', '5\\xa0osób')
    """
    category = plural(n, lang)
    word = forms.get(category) or forms.get("other") or forms.get("many") or ""
    digits = 0 if float(n) == int(float(n)) else 1
    return f"{number(n, lang, digits=digits)}{_NBSP if word else ''}{word}"


def format_spec(value: Any, spec: str, lang: str) -> str:
    """``format(value, spec)`` with the language's separators, for the locale texts'
    placeholders (``{score:.1f}``, ``{n:,}``, ``{max_cv:.0%}``), and the number with the
    noun that agrees with it: ``{n:plural:wskaźnik|wskaźniki|wskaźników|wskaźnika}``, the
    forms in CLDR order (Polish one, few, many, other; English one, other).

    >>> format_spec(52.345, ".1f", "pl"), format_spec(1200, ",", "pl"), format_spec(0.3, ".0%", "en")
    ('52,3', '1\\xa0200', '30%')
    >>> format_spec(22, "plural:wskaźnik|wskaźniki|wskaźników", "pl")
    '22\\xa0wskaźniki'
    >>> format_spec(2023, "", "pl"), format_spec(0.0018234, ".2g", "pl")
    ('2023', '0,0018')
    """
    if spec.startswith("plural:"):
        forms = dict(zip(_CATEGORIES[lang], spec[len("plural:") :].split("|"), strict=False))
        return counted(value, lang, **forms)
    match = _SPEC.match(spec)
    if match is None:
        return _tidy(format(value, spec))
    digits = int(match["digits"]) if match["digits"] is not None else None
    if match["kind"] == "%":
        return percent(value, lang, digits=digits or 0)
    if match["kind"] == "g":
        size = abs(float(value))
        significant = digits or 6
        decimals = significant - 1 - math.floor(math.log10(size)) if size else 0
        return number(value, lang, digits=max(decimals, 0), group=bool(match["comma"]))
    if digits is None and float(value) == int(float(value)):
        # a bare integer (a count, a year, a round) has no separator unless asked: {n:,}
        return number(value, lang, digits=0, group=bool(match["comma"]))
    return number(value, lang, digits=digits, group=True)


#: Extra decimals a data file keeps beyond the page's precision of a column.
FILE_EXTRA_DIGITS = 2
#: Significant digits of each value of a mixed column (different statistics) in a file.
_FILE_SIGNIFICANT = 6


def rounded_for_file(frame: Any) -> Any:
    """``frame`` with its decimal columns rounded to the precision they carry, for the
    data files (CSV): the page's precision of the column (:func:`column_digits`) plus
    :data:`FILE_EXTRA_DIGITS`; in a column of different statistics (values spanning more
    than three orders of magnitude) each value keeps six significant digits. Whole
    numbers, text and yes/no columns are left alone; the full-precision values stay in the
    run's ``precise/`` copies, which ``lublin-diagnosis verify`` compares.

    >>> import pandas as pd
    >>> rounded_for_file(pd.DataFrame({"p": [0.4725570546, 0.1], "s": [29.77711626, 50.0],
    ...                                "k": ["a", "b"]})).to_dict("list")
    {'p': [0.47256, 0.1], 's': [29.777, 50.0], 'k': ['a', 'b']}
    >>> rounded_for_file(pd.DataFrame({"v": [1200.0, 61760.00000000001, 0.61912345]}))["v"].tolist()
    [1200.0, 61760.0, 0.619123]
    """
    out = frame.copy()
    for i in range(out.shape[1]):
        values = out.iloc[:, i]
        if not pd.api.types.is_float_dtype(values):
            continue
        finite = values[np.isfinite(values)]
        if finite.empty or bool(np.all(finite == np.round(finite))):
            continue
        sizes = np.abs(finite[finite != 0])
        if len(sizes) and float(sizes.max()) / float(sizes.min()) > _MIXED:
            out.isetitem(i, values.map(_significant))
        else:
            out.isetitem(i, values.round(column_digits(finite) + FILE_EXTRA_DIGITS))
    return out


def _significant(value: float) -> float:
    if not np.isfinite(value) or value == 0:
        return value
    return float(round(value, _FILE_SIGNIFICANT - 1 - int(np.floor(np.log10(abs(value))))))
