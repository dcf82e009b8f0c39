"""The survey codebook: what each survey variable is, its codes and their labels.

A :class:`Codebook` is loaded from ``codebook.yml`` (format in ``docs/data-contracts.md``)
and is immutable. It answers the questions the rest of the package asks about the survey:
the codes of a categorical variable in level order, their Polish and English labels, the
missing-value codes, the allowed range of a number, the variables of a role (``id``,
``design``, ``weighting``, ``grouping``, ``outcome``).

:func:`check_codebook` lists every problem of a codebook file at once (as
:class:`~lublin_diagnosis.exceptions.Problem` objects); :meth:`Codebook.from_dict` and
:meth:`Codebook.load` raise :class:`~lublin_diagnosis.exceptions.ValidationError` with all
of them. :meth:`Codebook.from_sav` drafts a codebook from the labels of an SPSS file, to be
completed by hand (roles, English labels).

YAML note: the codebook is read with every plain scalar kept as text, so codes such as
``01``, ``1`` or ``no`` stay the strings ``"01"``, ``"1"`` and ``"no"``.

>>> from lublin_diagnosis.data.codebook import Codebook
>>> from pathlib import Path
>>> import lublin_diagnosis
>>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
>>> cb = Codebook.load(demo / "codebook.yml")
>>> cb.codes("sex"), cb.value_labels("sex", "pl")
(['F', 'M'], {'F': 'Kobieta', 'M': 'Mężczyzna'})
>>> cb.by_role("weighting")
['sex', 'age_group', 'citizenship', 'legal_status']
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from lublin_diagnosis.exceptions import Problem, ReadError, ValidationError, shorten

__all__ = [
    "Codebook",
    "LANGUAGES",
    "ROLES",
    "TRANSLATIONS",
    "TYPES",
    "Variable",
    "check_codebook",
    "load_yaml_text",
]

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


# --------------------------------------------------------------------------- YAML
class _TextLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """A safe YAML loader that keeps numbers and booleans as the text written (libyaml's
    parser when PyYAML has it: 8 times faster on a 50-variable codebook)."""


_TextLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag
        not in (
            "tag:yaml.org,2002:int",
            "tag:yaml.org,2002:float",
            "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:timestamp",
        )
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_text(path: str | Path) -> object:
    """Load a YAML file keeping every plain scalar as text (``01`` stays ``"01"``).

    Raises
    ------
    ReadError
        If the file is missing, empty or not valid YAML (with its line and column).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "codebook.yml"
    >>> _ = path.write_text("variables:\\n- name: resp_id\\n  code: 01\\n", encoding="utf-8")
    >>> load_yaml_text(path)["variables"][0]
    {'name': 'resp_id', 'code': '01'}
    """
    path = Path(path)
    if not path.is_file():
        raise ReadError(
            f"{path}: file not found; check the path, or declare the file's path "
            f"under 'files:' in dataset.yml"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise ReadError(
            f"{path}: the file is empty; write the codebook (see docs/data-contracts.md)"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{path}: cannot decode as UTF-8 (byte offset {exc.start}); save YAML files as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=_TextLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ReadError(f"{path}: not valid YAML{where}: {problem}") from None


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class Variable:
    """One survey variable of a codebook.

    Attributes
    ----------
    name : str
        Column name in the survey file.
    type : str
        One of :data:`TYPES`.
    role : str
        One of :data:`ROLES`.
    label : Mapping[str, str]
        Language → label.
    values : Mapping[str, Mapping[str, str]]
        Code → {language → label}, in level order (categorical/ordinal only).
    missing : tuple of str
        Codes meaning "no answer"; they become missing values.
    range : tuple of float or None
        Allowed closed interval of an integer/float variable.
    universe : str or None
        Who was asked (documentation).

    Examples
    --------
    >>> v = Variable("sex", "categorical", "weighting", {"pl": "Płeć", "en": "Sex"},
    ...              {"F": {"pl": "Kobieta", "en": "Woman"}})
    >>> v.codes
    ('F',)
    """

    name: str
    type: str
    role: str
    label: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    range: tuple[float, float] | None = None
    universe: str | None = None
    translation_review: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "label", MappingProxyType(dict(self.label)))
        object.__setattr__(
            self,
            "values",
            MappingProxyType({str(k): MappingProxyType(dict(v)) for k, v in self.values.items()}),
        )
        object.__setattr__(self, "missing", tuple(str(m) for m in self.missing))
        if self.range is not None:
            object.__setattr__(self, "range", (float(self.range[0]), float(self.range[1])))

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of a categorical/ordinal variable, in level order."""
        return tuple(self.values)

    @property
    def is_coded(self) -> bool:
        """Whether the variable is categorical or ordinal."""
        return self.type in _CODED

    @property
    def is_numeric(self) -> bool:
        """Whether the variable is an integer or float."""
        return self.type in _NUMERIC

    def to_dict(self) -> dict[str, object]:
        """The variable as a plain ``dict`` in codebook-file form."""
        out: dict[str, object] = {
            "name": self.name,
            "type": self.type,
            "role": self.role,
            "label": dict(self.label),
        }
        if self.values:
            out["values"] = {code: dict(lab) for code, lab in self.values.items()}
        if self.missing:
            out["missing"] = list(self.missing)
        if self.range is not None:
            out["range"] = [_plain_number(x) for x in self.range]
        if self.universe:
            out["universe"] = self.universe
        if self.translation_review:
            out["translation_review"] = list(self.translation_review)
        return out


@dataclass(frozen=True)
class Codebook:
    """An immutable survey codebook.

    Build it with :meth:`load` (a ``codebook.yml``), :meth:`from_dict` or
    :meth:`from_sav`. Lookups by name raise ``KeyError`` naming close matches.

    Attributes
    ----------
    variables : tuple of Variable
        The variables in codebook order.
    source : str or None
        Where the codebook came from (a path), for messages.

    Examples
    --------
    >>> cb = Codebook.from_dict({"variables": [
    ...     {"name": "id", "type": "id", "role": "id", "label": {"pl": "Id", "en": "Id"}},
    ...     {"name": "sex", "type": "categorical", "role": "weighting",
    ...      "label": {"pl": "Płeć", "en": "Sex"},
    ...      "values": {"F": {"pl": "Kobieta", "en": "Woman"},
    ...                 "M": {"pl": "Mężczyzna", "en": "Man"}}}]})
    >>> cb.codes("sex"), cb.label("sex", "pl"), cb.id_variable
    (['F', 'M'], 'Płeć', 'id')
    """

    variables: tuple[Variable, ...]
    source: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "variables", tuple(self.variables))
        index = {v.name: v for v in self.variables}
        if len(index) != len(self.variables):
            raise ValueError("codebook variable names must be unique")
        object.__setattr__(self, "_index", MappingProxyType(index))

    # -- construction ---------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Load and check a ``codebook.yml``.

        Raises
        ------
        ReadError
            If the file cannot be read or parsed.
        ValidationError
            With every problem of the codebook, if it breaks its contract.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> cb.names[:2]
        ['resp_id', 'stratum']
        """
        path = Path(path)
        return cls.from_dict(load_yaml_text(path), source=path.name)

    @classmethod
    def from_dict(cls, data: object, *, source: str | None = None) -> Codebook:
        """Build a codebook from the parsed content of a codebook file.

        Raises
        ------
        ValidationError
            With every problem found by :func:`check_codebook`.
        """
        problems = check_codebook(data, file=source or "codebook.yml")
        if problems:
            raise ValidationError(
                problems, summary=f"{source or 'codebook'}: {len(problems)} problem(s)"
            )
        assert isinstance(data, Mapping)
        return cls(tuple(_variable(item) for item in data["variables"]), source=source)

    @classmethod
    def from_sav(
        cls,
        path: str | Path,
        *,
        language: str = "pl",
        role: str = "outcome",
        id_variable: str | None = None,
    ) -> Codebook:
        """Draft a codebook from the variable and value labels of an SPSS/Stata file.

        Variables with value labels become ``categorical`` (``ordinal`` when SPSS marks
        them ordinal) with their codes in label order; numeric variables without value
        labels become ``float`` (``integer`` when every value is whole); text variables
        become ``categorical`` with their distinct values. The labels found are used for
        ``language`` and copied to the other language, marked ``TODO``; every variable
        gets ``role`` except the id. The draft is a starting point: review roles, types
        and translations, then write it with :meth:`to_yaml`.

        Parameters
        ----------
        path : str or pathlib.Path
            A ``.sav``/``.zsav`` or ``.dta`` file.
        language : {"pl", "en"}, keyword-only
            Language of the labels in the file.
        role : str, keyword-only
            Role given to every variable but the id.
        id_variable : str, optional, keyword-only
            The respondent id; by default the first variable whose values are unique and
            non-missing.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> import pandas as pd, pyreadstat
        >>> path = str(pathlib.Path(tempfile.mkdtemp()) / "survey.sav")
        >>> pyreadstat.write_sav(pd.DataFrame({"id": [1.0, 2.0], "sex": [1.0, 2.0]}), path,
        ...                      column_labels=["Id", "Płeć"],
        ...                      variable_value_labels={"sex": {1: "Kobieta", 2: "Mężczyzna"}})
        >>> draft = Codebook.from_sav(path, id_variable="id")
        >>> draft.get("sex").type, draft.value_labels("sex", "pl")
        ('categorical', {'1': 'Kobieta', '2': 'Mężczyzna'})
        """
        from lublin_diagnosis.data.readers import read_sav_metadata, read_table

        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        if role not in ROLES or role == "id":
            raise ValueError(f"role must be one of {ROLES[1:]}, not {role!r}")
        meta = read_sav_metadata(path)
        data = read_table(path)
        other = "en" if language == "pl" else "pl"
        if id_variable is None:
            for name in meta.columns:
                col = data[name]
                if col.notna().all() and col.is_unique and name not in meta.value_labels:
                    id_variable = name
                    break
        variables = []
        for name in meta.columns:
            text = meta.variable_labels.get(name) or name
            label = {language: text, other: f"TODO: {text}"}
            missing = tuple(meta.missing.get(name, ()))
            values: dict[str, dict[str, str]] = {}
            if name == id_variable:
                kind, var_role = "id", "id"
            elif name in meta.value_labels:
                kind = "ordinal" if meta.measure.get(name) == "ordinal" else "categorical"
                var_role = role
                for code, lab in meta.value_labels[name].items():
                    if code not in missing:
                        values[code] = {language: lab, other: f"TODO: {lab}"}
                observed = [
                    c for c in data[name].dropna().unique() if c not in values and c not in missing
                ]
                for code in sorted(observed, key=_code_sort_key):
                    values[code] = {language: code, other: code}
            elif meta.numeric.get(name, True):
                var_role = role
                from lublin_diagnosis.data.readers import parse_numbers

                numbers = parse_numbers(data[name]).dropna()
                numbers = numbers[~data[name].loc[numbers.index].isin(missing)]
                whole = bool(len(numbers)) and bool((numbers % 1 == 0).all())
                kind = "integer" if whole else "float"
            else:
                kind, var_role = "categorical", role
                for code in sorted(data[name].dropna().unique(), key=_code_sort_key):
                    if code not in missing:
                        values[code] = {language: code, other: code}
            variables.append(Variable(name, kind, var_role, label, values, missing))
        return cls(tuple(variables), source=Path(path).name)

    # -- lookups --------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        """Variable names in codebook order."""
        return [v.name for v in self.variables]

    @property
    def id_variable(self) -> str:
        """Name of the respondent-id variable."""
        for v in self.variables:
            if v.type == "id":
                return v.name
        raise KeyError("the codebook has no variable of type 'id'")

    def __len__(self) -> int:
        return len(self.variables)

    def __iter__(self) -> Iterator[Variable]:
        return iter(self.variables)

    def __contains__(self, name: object) -> bool:
        return name in self._index  # type: ignore[attr-defined]

    def __getitem__(self, name: str) -> Variable:
        try:
            return self._index[name]  # type: ignore[attr-defined]
        except KeyError:
            near = difflib.get_close_matches(str(name), self.names, n=3)
            hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
            raise KeyError(f"{name!r} is not a variable of the codebook{hint}") from None

    def get(self, name: str, default: Variable | None = None) -> Variable | None:
        """The variable called ``name``, or ``default`` if there is none.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> cb.get("sex").type, cb.get("no_such_variable") is None
        ('categorical', True)
        """
        return self._index.get(name, default)  # type: ignore[attr-defined]

    def label(self, name: str, lang: str = "en") -> str:
        """The label of variable ``name`` in language ``lang``.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> cb.label("sex", "pl")
        'Płeć'
        """
        return self[name].label[_lang(lang)]

    def value_labels(self, name: str, lang: str = "en") -> dict[str, str]:
        """Code → label of a categorical/ordinal variable, in level order.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> cb.value_labels("sex", "en")
        {'F': 'Woman', 'M': 'Man'}
        """
        lang = _lang(lang)
        return {code: labels[lang] for code, labels in self[name].values.items()}

    def codes(self, name: str) -> list[str]:
        """The codes of a categorical/ordinal variable, in level order (no missing codes)."""
        return list(self[name].codes)

    def missing_codes(self, name: str) -> list[str]:
        """The codes of variable ``name`` that mean "no answer"."""
        return list(self[name].missing)

    def by_role(self, role: str) -> list[str]:
        """Names of the variables with role ``role``, in codebook order.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> cb.by_role("design")
        ['stratum', 'psu', 'base_weight']
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        return [v.name for v in self.variables if v.role == role]

    def by_type(self, type: str) -> list[str]:
        """Names of the variables of type ``type``, in codebook order."""
        if type not in TYPES:
            raise ValueError(f"type must be one of {TYPES}, not {type!r}")
        return [v.name for v in self.variables if v.type == type]

    # -- output ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, object]:
        """The codebook as a plain ``dict`` in codebook-file form."""
        return {"variables": [v.to_dict() for v in self.variables]}

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Write the codebook as YAML (UTF-8) to ``path``, and return the text.

        Examples
        --------
        >>> from pathlib import Path
        >>> import lublin_diagnosis
        >>> demo = Path(lublin_diagnosis.__file__).parents[1] / "data" / "demo"  # in a checkout
        >>> cb = Codebook.load(demo / "codebook.yml")
        >>> text = cb.to_yaml()
        >>> text.splitlines()[:2]
        ['variables:', '- name: resp_id']
        """
        text = yaml.safe_dump(
            self.to_dict(), allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
        )
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text


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
    problems: list[Problem] = []

    def add(rule: str, message: str, column: str | None = None, value: object = None):
        problems.append(Problem(file, rule, message, column=column, value=value))

    if not isinstance(data, Mapping) or "variables" not in data:
        add(
            "codebook_format",
            "the codebook must be a mapping with a 'variables:' list (see docs/data-contracts.md)",
        )
        return problems
    items = data["variables"]
    if not isinstance(items, list) or not items:
        add("codebook_format", "'variables:' must be a non-empty list of variables")
        return problems
    extra = [k for k in data if k != "variables"]
    for key in extra:
        add(
            "codebook_key",
            f"unknown top-level key {shorten(key)}; a codebook has only 'variables:'",
            value=key,
        )
    seen: dict[str, int] = {}
    ids = []
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
        if not name or not isinstance(name, str):
            add("codebook_name", f"{where} has no 'name'", column=col)
        elif not _NAME.match(name):
            add(
                "codebook_name",
                f"{where}: names are letters, digits and '_' and do not "
                f"start with a digit; rename the column",
                column=col,
                value=name,
            )
        elif name in seen:
            add(
                "codebook_unique",
                f"{where} is defined twice (numbers {seen[name]} and {pos}); keep one",
                column=col,
                value=name,
            )
        else:
            seen[name] = pos
        for key in item:
            if key not in _KEYS:
                near = difflib.get_close_matches(str(key), _KEYS, n=1)
                hint = f" (did you mean {shorten(near[0])}?)" if near else ""
                add(
                    "codebook_key",
                    f"{where}: unknown key {shorten(key)}{hint}; allowed: {', '.join(_KEYS)}",
                    column=col,
                    value=key,
                )
        kind = item.get("type")
        if kind not in TYPES:
            add(
                "codebook_type",
                f"{where}: type must be one of {', '.join(TYPES)}",
                column=col,
                value=kind,
            )
        role = item.get("role")
        if role not in ROLES:
            add(
                "codebook_role",
                f"{where}: role must be one of {', '.join(ROLES)}",
                column=col,
                value=role,
            )
        if kind == "id":
            ids.append(str(name))
            if role != "id":
                add(
                    "codebook_role",
                    f"{where}: the id variable must have role 'id'",
                    column=col,
                    value=role,
                )
        elif role == "id" and kind in TYPES:
            add(
                "codebook_role",
                f"{where}: only the variable of type 'id' has role 'id'",
                column=col,
                value=role,
            )
        problems.extend(
            _check_label(item.get("label"), f"{where}: label", file, col, "codebook_label")
        )
        review = item.get("translation_review")
        if review is not None and (
            not isinstance(review, list) or any(x not in TRANSLATIONS for x in review)
        ):
            add(
                "codebook_key",
                f"{where}: 'translation_review:' lists the languages whose "
                f"labels await review, from {', '.join(TRANSLATIONS)} "
                f"(e.g. [uk, ru])",
                column=col,
                value=review,
            )
        values = item.get("values")
        if kind in _CODED:
            if not isinstance(values, Mapping) or not values:
                add(
                    "codebook_values",
                    f"{where}: a {kind} variable needs 'values:' (code: "
                    f"{{pl: ..., en: ...}}, in level order)",
                    column=col,
                )
            else:
                for code, labels in values.items():
                    if code is None or str(code).strip() == "":
                        add("codebook_values", f"{where}: empty code in 'values:'", column=col)
                    problems.extend(
                        _check_label(
                            labels, f"{where}: value {shorten(code)}", file, col, "codebook_label"
                        )
                    )
        elif values is not None and kind in TYPES:
            add(
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
                add(
                    "codebook_missing",
                    f'{where}: \'missing:\' must be a list of codes, e.g. ["-9", "-8"]',
                    column=col,
                    value=missing,
                )
            elif isinstance(values, Mapping):
                clash = [str(m) for m in missing if str(m) in {str(c) for c in values}]
                if clash:
                    add(
                        "codebook_missing",
                        f"{where}: code(s) {', '.join(clash)} are both "
                        f"values and missing codes; keep them in one "
                        f"place",
                        column=col,
                        value=clash[0],
                    )
        rng = item.get("range")
        if rng is not None:
            if kind not in _NUMERIC and kind in TYPES:
                add(
                    "codebook_range",
                    f"{where}: only integer and float variables have a 'range:'",
                    column=col,
                    value=rng,
                )
            else:
                bounds = _bounds(rng)
                if bounds is None:
                    add(
                        "codebook_range",
                        f"{where}: 'range:' must be [low, high] with two numbers, low <= high",
                        column=col,
                        value=rng,
                    )
        universe = item.get("universe")
        if universe is not None and not isinstance(universe, str):
            add(
                "codebook_universe",
                f"{where}: 'universe:' is a text describing who was asked",
                column=col,
                value=universe,
            )
    if len(ids) != 1:
        found = f" (found {', '.join(ids)})" if ids else ""
        add(
            "codebook_id",
            f"the codebook must have exactly one variable of type 'id', the respondent id{found}",
        )
    return problems


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


def _variable(item: Mapping) -> Variable:
    values = item.get("values") or {}
    return Variable(
        name=str(item["name"]),
        type=str(item["type"]),
        role=str(item["role"]),
        label=_texts(item["label"]),
        values={str(code): _texts(lab) for code, lab in values.items()},
        missing=tuple(str(m) for m in item.get("missing") or ()),
        range=_bounds(item["range"]) if item.get("range") is not None else None,
        universe=item.get("universe"),
        translation_review=tuple(str(x) for x in item.get("translation_review") or ()),
    )


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
