"""The words a codebook may use: variable types, roles, label languages and keys."""

from __future__ import annotations

import re

#: Variable types a codebook may declare.
TYPES: tuple[str, ...] = ("id", "categorical", "ordinal", "integer", "float")
#: Variable roles a codebook may declare.
ROLES: tuple[str, ...] = ("id", "design", "weighting", "grouping", "outcome")
#: Languages every label must be given in.
LANGUAGES: tuple[str, ...] = ("pl", "en")
#: Optional further languages of labels (the survey is fielded in them too); a variable
#: lists in ``translation_review`` those whose labels still await a native speaker.
TRANSLATIONS: tuple[str, ...] = ("uk", "ru")

_CODED = ("categorical", "ordinal")
_NUMERIC = ("integer", "float")
_KEYS = (
    "name",
    "type",
    "role",
    "label",
    "values",
    "missing",
    "range",
    "universe",
    "translation_review",
    "question",
    "notes",
)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
