"""How a published table looks on a page: a caption, headers, numbers right-aligned in
one precision per column (or a display format), code columns left out, long text folded
into a details element. Used by :class:`~lublin_diagnosis.report.publish.PublishedTable`.

>>> import pandas as pd
>>> print(table_html(pd.DataFrame({"a": ["x"], "n": ["1"]}), "T", [1])[:40])
<div class="ld-table-wrap" role="region"
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import pandas as pd

from lublin_diagnosis.report import formatting
from lublin_diagnosis.report.i18n import t

__all__ = ["FORMATS", "cell_text", "is_code_column", "render_table", "table_html"]

_LONG_TEXT = 160
_NUM = ' class="ld-num"'
#: Display formats of a column's numbers (``Publisher.table(formats=...)``).
FORMATS = {
    "percent": formatting.percent,
    "points": formatting.points,
    "p_value": formatting.p_value,
    "year": lambda v, lang: formatting.year(v),
    "date": formatting.date,
}


def is_code_column(name: Any) -> bool:
    """A column of machine codes (its English header says "(code)"): left out of pages."""
    try:
        header = t(f"columns.{name}", "en")
    except KeyError:
        return False
    return header.endswith(("(code)", "(codes)"))


def cell_text(value: Any) -> Any:
    """Long text (a recommendation, a comment) folded into a details element."""
    if isinstance(value, str) and len(value) > _LONG_TEXT:
        cut = value[: _LONG_TEXT // 2].rsplit(" ", 1)[0]
        return _Folded(cut, value)
    return value


class _Folded:
    """A long text cell: its beginning as summary, the whole on demand."""

    def __init__(self, summary: str, text: str) -> None:
        self.summary, self.text = summary, text

    def html(self) -> str:
        return (
            f"<details><summary>{html.escape(self.summary)}…</summary>"
            f"{html.escape(self.text)}</details>"
        )


def table_html(
    shown: pd.DataFrame, title: str, numeric: Sequence[int], anchor: str | None = None
) -> str:
    """A display table: caption, headers, numbers right-aligned, text left-aligned; its
    wrapper scrolls sideways on a narrow screen and, given an ``anchor`` (the table's
    name), has the id ``table-<anchor>`` that findings link to."""
    head = "".join(
        f'<th scope="col"{_NUM if i in numeric else ""}>{html.escape(str(c))}</th>'
        for i, c in enumerate(shown.columns)
    )
    rows = []
    for row in shown.itertuples(index=False, name=None):
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, _Folded):
                text = value.html()
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                text = formatting.DASH
            else:
                text = html.escape(str(value))
            cells.append(f"<td{_NUM if i in numeric else ''}>{text}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ident = f' id="table-{html.escape(anchor)}"' if anchor else ""
    return (
        f'<div class="ld-table-wrap"{ident} role="region" tabindex="0" '
        f'aria-label="{html.escape(title)}"><table class="ld-table">'
        f"<caption>{html.escape(title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def render_table(
    shown: pd.DataFrame,
    title: str,
    lang: str,
    formats: Sequence[str | None] = (),
    anchor: str | None = None,
) -> str:
    """``shown`` as a page shows it: yes/no in words, numbers formatted (one precision per
    column, or the column's display format), missing values a dash, long text folded.

    >>> import pandas as pd
    >>> "0,500" in render_table(pd.DataFrame({"x": [0.5, 0.25]}), "T", "pl")
    True
    >>> "11 grudnia 2023" in render_table(pd.DataFrame({"d": pd.to_datetime(["2023-12-11"])}),
    ...                                   "T", "pl")
    True
    """
    shown = shown.copy()
    numeric = []
    for i in range(shown.shape[1]):
        values = shown.iloc[:, i]
        kind = formats[i] if i < len(formats) else None
        if kind is not None:
            shown.isetitem(i, [FORMATS[kind](v, lang) for v in values])
            numeric.append(i)
        elif pd.api.types.is_datetime64_any_dtype(values):
            shown.isetitem(i, [formatting.date(v, lang) for v in values])
        elif pd.api.types.is_bool_dtype(values):
            yes_no = {True: t("values.yes", lang), False: t("values.no", lang)}
            shown.isetitem(i, values.map(yes_no))
        elif pd.api.types.is_numeric_dtype(values):
            shown.isetitem(i, formatting.column(values, lang))
            numeric.append(i)
        else:
            shown.isetitem(i, values.map(cell_text))
    return table_html(shown, title, numeric, anchor)
