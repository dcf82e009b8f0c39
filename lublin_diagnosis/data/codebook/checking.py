"""The checks of a parsed codebook file (:func:`check_codebook`)."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence

from lublin_diagnosis.data.codebook.vocabulary import (
    _CODED,
    _KEYS,
    _NAME,
    _NUMERIC,
    LANGUAGES,
    ROLES,
    TRANSLATIONS,
    TYPES,
)
from lublin_diagnosis.exceptions import Problem, shorten


# --------------------------------------------------------------------------- checking
def check_codebook(data: object, *, file: str = "codebook.yml") -> list[Problem]:
    """Every problem of a parsed codebook file, as a list (empty when it is valid).

    Rules: a ``variables`` list; names unique identifiers; ``type`` and ``role`` from
    :data:`TYPES` and :data:`ROLES`; ``label`` in both languages; ``values`` (each label
    in both languages) required for categorical/ordinal and forbidden otherwise;
    ``missing`` codes distinct from value codes; ``range`` two numbers ``[low, high]``
    for integer/float only; exactly one variable of type ``id``, whose role is ``id``.

    Examples
    --------
    >>> [p.rule for p in check_codebook({"variables": [{"name": "x", "type": "text"}]})]
    ['codebook_type', 'codebook_role', 'codebook_label', 'codebook_id']
    """
    checker = _Checker(file)
    add = checker.add
    if not isinstance(data, Mapping) or "variables" not in data:
        add(
            "codebook_format",
            "the codebook must be a mapping with a 'variables:' list (see docs/data-contracts.md)",
        )
        return checker.problems
    items = data["variables"]
    if not isinstance(items, list) or not items:
        add("codebook_format", "'variables:' must be a non-empty list of variables")
        return checker.problems
    extra = [k for k in data if k != "variables"]
    for key in extra:
        add(
            "codebook_key",
            f"unknown top-level key {shorten(key)}; a codebook has only 'variables:'",
            value=key,
        )
    for pos, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            add(
                "codebook_format",
                f"variable number {pos} is not a mapping (name, type, role, label, ...)",
                value=item,
            )
            continue
        name = item.get("name")
        where = f"variable {shorten(name)}" if name else f"variable number {pos}"
        col = str(name) if name else None
        checker.variable(item, name, where, col, pos)
    if len(checker.ids) != 1:
        found = f" (found {', '.join(checker.ids)})" if checker.ids else ""
        add(
            "codebook_id",
            f"the codebook must have exactly one variable of type 'id', the respondent id{found}",
        )
    return checker.problems


class _Checker:
    """The problems of one codebook file, collected variable by variable."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.ids: list[str] = []

    def add(self, rule: str, message: str, column: str | None = None, value: object = None):
        self.problems.append(Problem(self.file, rule, message, column=column, value=value))

    def variable(self, item: Mapping, name: object, where: str, col: str | None, pos: int):
        """Every check of one variable, in the order its problems are listed."""
        self.name_and_keys(item, name, where, col, pos)
        self.type_and_role(item, name, where, col)
        self.labels(item, where, col)
        self.values_and_missing(item, where, col)
        self.range_and_universe(item, where, col)

    def name_and_keys(self, item: Mapping, name: object, where: str, col: str | None, pos: int):
        if not name or not isinstance(name, str):
            self.add("codebook_name", f"{where} has no 'name'", column=col)
        elif not _NAME.match(name):
            self.add(
                "codebook_name",
                f"{where}: names are letters, digits and '_' and do not "
                f"start with a digit; rename the column",
                column=col,
                value=name,
            )
        elif name in self.seen:
            self.add(
                "codebook_unique",
                f"{where} is defined twice (numbers {self.seen[name]} and {pos}); keep one",
                column=col,
                value=name,
            )
        else:
            self.seen[name] = pos
        for key in item:
            if key not in _KEYS:
                near = difflib.get_close_matches(str(key), _KEYS, n=1)
                hint = f" (did you mean {shorten(near[0])}?)" if near else ""
                self.add(
                    "codebook_key",
                    f"{where}: unknown key {shorten(key)}{hint}; allowed: {', '.join(_KEYS)}",
                    column=col,
                    value=key,
                )

    def type_and_role(self, item: Mapping, name: object, where: str, col: str | None):
        kind = item.get("type")
        if kind not in TYPES:
            self.add(
                "codebook_type",
                f"{where}: type must be one of {', '.join(TYPES)}",
                column=col,
                value=kind,
            )
        role = item.get("role")
        if role not in ROLES:
            self.add(
                "codebook_role",
                f"{where}: role must be one of {', '.join(ROLES)}",
                column=col,
                value=role,
            )
        if kind == "id":
            self.ids.append(str(name))
            if role != "id":
                self.add(
                    "codebook_role",
                    f"{where}: the id variable must have role 'id'",
                    column=col,
                    value=role,
                )
        elif role == "id" and kind in TYPES:
            self.add(
                "codebook_role",
                f"{where}: only the variable of type 'id' has role 'id'",
                column=col,
                value=role,
            )

    def labels(self, item: Mapping, where: str, col: str | None):
        self.problems.extend(
            _check_label(item.get("label"), f"{where}: label", self.file, col, "codebook_label")
        )
        review = item.get("translation_review")
        if review is not None and (
            not isinstance(review, list) or any(x not in TRANSLATIONS for x in review)
        ):
            self.add(
                "codebook_key",
                f"{where}: 'translation_review:' lists the languages whose "
                f"labels await review, from {', '.join(TRANSLATIONS)} "
                f"(e.g. [uk, ru])",
                column=col,
                value=review,
            )

    def values_and_missing(self, item: Mapping, where: str, col: str | None):
        kind = item.get("type")
        values = item.get("values")
        if kind in _CODED:
            if not isinstance(values, Mapping) or not values:
                self.add(
                    "codebook_values",
                    f"{where}: a {kind} variable needs 'values:' (code: "
                    f"{{pl: ..., en: ...}}, in level order)",
                    column=col,
                )
            else:
                for code, labels in values.items():
                    if code is None or str(code).strip() == "":
                        self.add("codebook_values", f"{where}: empty code in 'values:'", column=col)
                    self.problems.extend(
                        _check_label(
                            labels,
                            f"{where}: value {shorten(code)}",
                            self.file,
                            col,
                            "codebook_label",
                        )
                    )
        elif values is not None and kind in TYPES:
            self.add(
                "codebook_values",
                f"{where}: a {kind} variable has no 'values:' (only "
                f"categorical and ordinal variables do); remove them or "
                f"change the type",
                column=col,
            )
        missing = item.get("missing")
        if missing is not None:
            if not isinstance(missing, list) or any(
                isinstance(m, (Mapping, list)) or m is None for m in missing
            ):
                self.add(
                    "codebook_missing",
                    f'{where}: \'missing:\' must be a list of codes, e.g. ["-9", "-8"]',
                    column=col,
                    value=missing,
                )
            elif isinstance(values, Mapping):
                clash = [str(m) for m in missing if str(m) in {str(c) for c in values}]
                if clash:
                    self.add(
                        "codebook_missing",
                        f"{where}: code(s) {', '.join(clash)} are both "
                        f"values and missing codes; keep them in one "
                        f"place",
                        column=col,
                        value=clash[0],
                    )

    def range_and_universe(self, item: Mapping, where: str, col: str | None):
        kind = item.get("type")
        rng = item.get("range")
        if rng is not None:
            if kind not in _NUMERIC and kind in TYPES:
                self.add(
                    "codebook_range",
                    f"{where}: only integer and float variables have a 'range:'",
                    column=col,
                    value=rng,
                )
            else:
                bounds = _bounds(rng)
                if bounds is None:
                    self.add(
                        "codebook_range",
                        f"{where}: 'range:' must be [low, high] with two numbers, low <= high",
                        column=col,
                        value=rng,
                    )
        universe = item.get("universe")
        if universe is not None and not isinstance(universe, str):
            self.add(
                "codebook_universe",
                f"{where}: 'universe:' is a text describing who was asked",
                column=col,
                value=universe,
            )


def _check_label(
    label: object, where: str, file: str, column: str | None, rule: str
) -> list[Problem]:
    if not isinstance(label, Mapping):
        return [
            Problem(
                file,
                rule,
                f"{where} must be given in both languages: {{pl: ..., en: ...}}",
                column=column,
                value=label,
            )
        ]
    out = []
    for lang in LANGUAGES:
        text = label.get(lang)
        if not isinstance(text, str) or not text.strip():
            out.append(
                Problem(
                    file,
                    rule,
                    f"{where} has no {lang!r} text; add {lang}: ...",
                    column=column,
                    value=label,
                )
            )
    return out


def _bounds(rng: object) -> tuple[float, float] | None:
    if not isinstance(rng, Sequence) or isinstance(rng, str) or len(rng) != 2:
        return None
    try:
        lo, hi = float(rng[0]), float(rng[1])
    except (TypeError, ValueError):
        return None
    if math.isnan(lo) or math.isnan(hi) or lo > hi:
        return None
    return lo, hi
