"""The framework file format as a JSON Schema (``schema.json``, shipped with the package).

The schema describes the **structure** of a framework file -- its keys, the type of every
value, the ids' pattern, the kinds, sources, directions and institution types, and the keys
each kind requires or refuses -- so that an editor (VS Code with the YAML extension,
PyCharm, ``check-jsonschema``) can check a file while it is written; see
``docs/framework-format.md``. :func:`~lublin_diagnosis.framework.model.load_framework`
checks the same structure and adds the cross-checks a schema cannot express (unique ids,
known areas, crosswalks to declared groups, goalposts consistent with the direction,
sources that fit the kind, outcome variables in the codebook).

>>> schema_problems({"id": "x", "name": {"pl": "a", "en": "b"}, "areas": [],
...                  "indicators": [{"id": "y"}]}, file="fw.yml")[0].location
'areas'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lublin_diagnosis.framework.checker import line_index
from lublin_diagnosis.framework.problems import FrameworkProblem, ProblemSink, YamlPath

__all__ = ["framework_schema", "schema_problems", "validate_against_schema"]


@lru_cache(maxsize=1)
def framework_schema() -> Mapping[str, Any]:
    """The JSON Schema of a framework file (draft 2020-12).

    Examples
    --------
    >>> framework_schema()["required"]
    ['id', 'name', 'areas', 'indicators']
    """
    text = resources.files("lublin_diagnosis.framework").joinpath("schema.json").read_text("utf-8")
    return json.loads(text)


def schema_problems(
    data: Any, *, file: str, lines: Mapping[YamlPath, int] | None = None
) -> list[FrameworkProblem]:
    """Where a parsed framework file breaks the schema, each problem with its YAML
    location and (given ``lines``) its line.

    Parameters
    ----------
    data : object
        The parsed YAML.
    file : str
        The file, for the problems.
    lines : mapping, optional
        YAML path → line, from :func:`~lublin_diagnosis.framework.checker.line_index`.

    Returns
    -------
    list of FrameworkProblem
        Rule ``schema``, sorted by location.
    """
    validator = jsonschema.Draft202012Validator(framework_schema())
    sink = ProblemSink(data, file=file, lines=lines or {})
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(k) for k in e.absolute_path])
    for error in errors:
        where = tuple(error.absolute_path)
        if error.validator is None:  # a key the kind refuses: "properties": {key: false}
            node = data
            for step in where:
                node = node[step]
            key = next(k for k, v in node.items() if v is error.instance)
            where += (key,)
            message = f"{key!r} does not apply to this kind of indicator; remove it"
        else:
            message = f"{error.message} (schema: {error.validator})"
        sink.add(where, "schema", message)
    return list(sink.problems)  # type: ignore[arg-type]


def validate_against_schema(path: str | Path) -> list[FrameworkProblem]:
    """Check a framework file against the schema only (what an editor reports).

    Parameters
    ----------
    path : str or Path
        A framework YAML file.

    Returns
    -------
    list of FrameworkProblem
        Empty when the structure is right.

    Examples
    --------
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> validate_against_schema(load_framework("lublin-14").path)
    []
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    lines, _ = line_index(yaml.compose(text, Loader=loader))
    return schema_problems(yaml.load(text, Loader=loader), file=str(path), lines=lines)
