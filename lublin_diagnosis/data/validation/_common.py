"""The inputs of a data directory, the validation's constants and its small helpers."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from lublin_diagnosis.data.contracts import SCHEMAS
from lublin_diagnosis.exceptions import Problem, shorten

#: Logical names of the inputs of a data directory, in reading order.
INPUTS: tuple[str, ...] = (
    "codebook",
    "survey",
    "margins",
    "institutions",
    "monitoring",
    "admin",
    "legal_cases",
    "recommendations",
    "opinions",
    "status",
    "rounds",
    "monitoring_history",
    "survey_history",
    "public",
    "peer_scores",
    "replies",
    "events",
    "pledges",
)
#: Inputs a data directory may simply leave out (no ``dataset.yml`` entry needed): the
#: context inputs and the action-plan and election registers. Without the file there is no such input.
OPTIONAL_INPUTS: frozenset[str] = frozenset(
    (
        "rounds",
        "monitoring_history",
        "survey_history",
        "public",
        "peer_scores",
        "replies",
        "events",
        "pledges",
    )
)
#: Default file name of each input.
DEFAULT_FILES: Mapping[str, str] = MappingProxyType(
    {
        "codebook": "codebook.yml",
        "survey": "survey.csv",
        "survey_history": "survey_history.csv",
        **{name: schema.filename for name, schema in SCHEMAS.items()},
    }
)
#: Largest relative difference allowed between the totals of two margins.
MARGIN_TOLERANCE = 0.005

_DATASET_YML = "dataset.yml"
_READ_OPTIONS = ("path", "encoding", "sep", "decimal", "sheet")
_DESIGN_KEYS = ("ids", "strata", "weights", "fpc")
_DESIGN_OPTIONS = ("lonely_psu", "nest")
_DEFAULT_FRAMEWORK = "lublin-14"
_DESIGN_WORDS = {
    "ids": "sampling point (PSU)",
    "strata": "stratum",
    "weights": "design weight",
    "fpc": "population size (fpc)",
}


# --------------------------------------------------------------------------- machinery
@dataclass
class _Input:
    """One input while it is being inspected."""

    name: str
    path: Path | None
    label: str
    options: dict[str, Any] = field(default_factory=dict)
    present: bool = True
    frame: pd.DataFrame | None = None  # text, index = row numbers
    decimal: str = "."


# --------------------------------------------------------------------------- helpers
#: The longest message and file name a problem keeps: a safety net for the problems of
#: other layers (the framework's) that quote data; the values themselves are shortened
#: where the messages are written.
_MESSAGE_WIDTH = 1000
_FILE_WIDTH = 300


def _bounded(problem: Problem) -> Problem:
    """``problem`` with its text fields cut to a printable length (the message to
    :data:`_MESSAGE_WIDTH`, the others, e.g. a framework problem's location, to
    :data:`_FILE_WIDTH`)."""
    changes = {}
    for item in dataclasses.fields(problem):
        text = getattr(problem, item.name)
        width = _MESSAGE_WIDTH if item.name == "message" else _FILE_WIDTH
        if isinstance(text, str) and len(text) > width:
            changes[item.name] = text[: width - 1] + "…"
    return dataclasses.replace(problem, **changes) if changes else problem


def _row(label: object) -> int | None:
    try:
        return int(label)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _design_names(value: Any) -> list[str]:
    """Variable names of a design entry: a name, a list of names, or [] for None/bad."""
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    return []


def _pairs(values: pd.Series) -> list[tuple[int | None, object]]:
    return [(_row(r), v) for r, v in values.items()]


def _near(name: str, names: Iterable[str]) -> str:
    import difflib

    near = difflib.get_close_matches(name, list(names), n=1)
    return f" (is {shorten(near[0])} meant?)" if near else ""


def _strip_path(message: str, path: Path) -> str:
    prefix = f"{path}: "
    return message[len(prefix) :] if message.startswith(prefix) else message
