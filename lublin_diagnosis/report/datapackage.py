"""A Frictionless Data Package descriptor (``datapackage.json``) for a language's tables.

Each published CSV becomes one resource: its path, title, format and a Table Schema whose
fields carry the CSV's header (``name``), the machine column code (``code``), a type
inferred from the values, and the column's label in every report language (``titles``),
so the tables load in any tool that reads Data Packages (frictionless, R's
``frictionless``, pandas) and a reader can map the Polish headers to the English ones.

>>> import pandas as pd
>>> schema_fields(pd.DataFrame({"estimate": [0.5], "n": [40], "flags": ["x"]}))[0]
{'name': 'estimate', 'code': 'estimate', 'type': 'number', 'titles': {'pl': 'Oszacowanie', 'en': 'Estimate'}}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from lublin_diagnosis.report.i18n import LANGUAGES, t

__all__ = ["schema_fields", "write_datapackage"]


def _type(values: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    if pd.api.types.is_integer_dtype(values):
        return "integer"
    if pd.api.types.is_numeric_dtype(values):
        return "number"
    return "string"


def _titles(code: str) -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        try:
            out[lang] = t(f"columns.{code}", lang)
        except KeyError:
            out[lang] = code
    return out


def schema_fields(frame: pd.DataFrame, headers: Sequence[str] | None = None) -> list[dict]:
    """The Table Schema fields of ``frame`` (machine column names); ``headers`` are the
    names the CSV carries (default: the machine names)."""
    headers = list(headers) if headers is not None else [str(c) for c in frame.columns]
    return [
        {
            "name": header,
            "code": str(code),
            "type": _type(frame.iloc[:, i]),
            "titles": _titles(str(code)),
        }
        for i, (code, header) in enumerate(zip(frame.columns, headers, strict=True))
    ]


def write_datapackage(
    target: str | Path,
    resources: Sequence[dict[str, Any]],
    *,
    lang: str,
    title: str,
    synthetic: bool,
) -> Path:
    """Write ``datapackage.json`` listing ``resources`` (each ``name``, ``path``, ``title``
    and ``fields``).

    Examples
    --------
    >>> import tempfile, pathlib, json
    >>> p = write_datapackage(pathlib.Path(tempfile.mkdtemp()) / "datapackage.json",
    ...     [{"name": "a", "path": "tables/a.csv", "title": "A", "fields": []}],
    ...     lang="en", title="T", synthetic=True)
    >>> json.loads(p.read_text())["resources"][0]["schema"]
    {'fields': []}
    """
    package = {
        "profile": "tabular-data-package",
        "name": f"lublin-diagnosis-{lang}",
        "title": title,
        "language": lang,
        "keywords": ["synthetic"] if synthetic else [],
        "resources": [
            {
                "name": r["name"],
                "path": r["path"],
                "title": r["title"],
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": list(r["fields"])},
            }
            for r in resources
        ],
    }
    target = Path(target)
    target.write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return target
