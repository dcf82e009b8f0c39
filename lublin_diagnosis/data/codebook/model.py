"""The codebook model: :class:`Variable` and :class:`Codebook`."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml

from lublin_diagnosis.data.codebook._helpers import _code_sort_key, _lang, _plain_number, _texts
from lublin_diagnosis.data.codebook.checking import _bounds, check_codebook
from lublin_diagnosis.data.codebook.loading import load_yaml_text
from lublin_diagnosis.data.codebook.vocabulary import _CODED, _NUMERIC, LANGUAGES, ROLES, TYPES
from lublin_diagnosis.exceptions import ValidationError


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
