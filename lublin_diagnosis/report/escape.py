"""Output safety: every value from data, framework or parameters reaches a page as text.

Three rules, one home each:

* :func:`escape_markdown` makes a value inert inside a Markdown template (the texts of
  :func:`~lublin_diagnosis.report.i18n.md`): HTML special characters become entities and
  Markdown punctuation is backslash-escaped, so ``<script>``, ``[x](javascript:...)`` or
  ``![](...)`` in a data value show as typed and never become markup;
* :func:`scrub_html` is the net under a rendered page: it removes script-like elements,
  event-handler attributes (``onerror=``...) and links or sources with a ``javascript:``,
  ``vbscript:`` or non-image ``data:`` URL, whatever produced them;
* :func:`neutralise_formula` writes a spreadsheet cell that starts with ``= + - @``, a tab
  or a carriage return as text (OWASP "CSV injection"): a CSV cell gets a leading
  apostrophe; the workbook writes such cells as strings, never formulas.

>>> print(escape_markdown("[click](javascript:alert(1)) <b>"))
\\[click\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;
>>> neutralise_formula("=HYPERLINK(\\"x\\")"), neutralise_formula("-0.5"), neutralise_formula(-0.5)
('\\'=HYPERLINK("x")', "'-0.5", -0.5)
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_PREFIX",
    "escape_markdown",
    "neutralise_formula",
    "neutralise_formulas",
    "scrub_html",
    "scrub_soup",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_PREFIX: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+!|~>-])")
_BAD_TAGS = (
    "script",
    "iframe",
    "object",
    "embed",
    "frame",
    "frameset",
    "applet",
    "base",
    "meta",
    "link",
    "form",
    "svg",
    "math",
    "noscript",
    "template",
)
_URL_ATTRS = (
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
    "background",
    "data",
)
_BAD_SCHEME = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,", re.IGNORECASE)


def escape_markdown(value: Any) -> str:
    """``value`` as text that Markdown and HTML show literally.

    Examples
    --------
    >>> escape_markdown("a_b *c* <img src=x onerror=alert(1)>")
    'a\\\\_b \\\\*c\\\\* &lt;img src=x onerror=alert\\\\(1\\\\)&gt;'
    >>> escape_markdown("Zdrowie")
    'Zdrowie'
    """
    text = str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace('"', "&quot;")
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\r", " ").replace("\n", " ")


def _unsafe_url(value: str, *, image: bool) -> bool:
    # control characters and whitespace inside a scheme ("java\tscript:") are ignored
    # by browsers, so they are removed before the check
    squeezed = re.sub(r"[\x00-\x20]+", "", value)
    if image and _IMAGE_DATA.match(squeezed):
        return False
    return bool(_BAD_SCHEME.match(squeezed))


def scrub_html(page: str) -> str:
    """``page`` without anything that could run: script-like elements, ``on*``
    attributes, ``javascript:``/``vbscript:``/``file:`` URLs and ``data:`` URLs other
    than embedded images.

    Examples
    --------
    >>> scrub_html('<p onclick="x()">a<script>alert(1)</script></p>')
    '<p>a</p>'
    >>> scrub_html('<a href=" javascript:alert(1)">x</a><img src="data:image/png;base64,AA">')
    '<a>x</a><img src="data:image/png;base64,AA"/>'
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    scrub_soup(soup)
    return str(soup)


def scrub_soup(soup: Any) -> None:
    """:func:`scrub_html` on a parsed page (a BeautifulSoup tree), in place: the page
    renderer parses a page once for every change it makes."""
    for element in soup.find_all(_BAD_TAGS):
        element.decompose()
    for element in soup.find_all(True):
        for name in list(element.attrs):
            value = element.attrs[name]
            text = " ".join(value) if isinstance(value, list) else str(value)
            if (
                name.lower().startswith("on")
                or name.lower() == "style"
                and ("expression(" in text.lower() or "url(" in text.lower())
            ):
                del element.attrs[name]
            elif name.lower() in _URL_ATTRS and _unsafe_url(text, image=element.name == "img"):
                del element.attrs[name]


def neutralise_formula(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, prefixed with ``'``;
    anything else unchanged (numbers stay numbers).

    Examples
    --------
    >>> neutralise_formula("@SUM(A1)"), neutralise_formula("\\tx"), neutralise_formula("ok")
    ("'@SUM(A1)", "'\\tx", 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIX):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell and header passed through :func:`neutralise_formula`.

    Examples
    --------
    >>> import pandas as pd
    >>> neutralise_formulas(pd.DataFrame({"=x": ["=1+1", "a"], "n": [1, -2]})).to_dict("list")
    {"'=x": ["'=1+1", 'a'], 'n': [1, -2]}
    """
    out = frame.copy()
    for i in range(out.shape[1]):  # by position: headers may repeat
        column = out.iloc[:, i]
        if column.dtype == object or isinstance(column.dtype, pd.StringDtype):
            if not any(isinstance(v, str) and v.startswith(FORMULA_PREFIX) for v in column):
                continue  # nothing to change: the column stays as it is (most do)
            out.isetitem(i, column.map(neutralise_formula))
    out.columns = [neutralise_formula(c) if isinstance(c, str) else c for c in out.columns]
    return out
