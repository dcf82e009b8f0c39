"""Small helpers of the codebook model and its checks."""

from __future__ import annotations

from collections.abc import Mapping

from lublin_diagnosis.data.codebook.vocabulary import LANGUAGES, TRANSLATIONS


def _texts(label: Mapping) -> dict[str, str]:
    """The required languages of a label, then the optional translations it has."""
    out = {lang: str(label[lang]) for lang in LANGUAGES}
    out.update({lang: str(label[lang]) for lang in TRANSLATIONS if label.get(lang)})
    return out


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    return lang


def _plain_number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _code_sort_key(code: str) -> tuple[int, float, str]:
    try:
        return (0, float(code), code)
    except ValueError:
        return (1, 0.0, code)
