"""The indicator framework: areas, indicators and their groupings, read from a YAML file.

A framework is data (format: ``docs/framework-format.md``). It has **areas** (the default
``lublin-14`` has the 14 monitored areas), each with **indicators** of three kinds:

* ``P`` policy / institutional practice: answer options scored 0-100;
* ``A`` administrative count: a number in a unit, scored on fixed goalposts;
* ``O`` survey outcome: a share (or a mean) among migrants, scored on fixed goalposts,
  with an optional Polish-population reference for the gap.

Each area carries a **crosswalk** to alternative groupings declared in the same file
(the ICC-14 Intercultural Cities Index, MIPEX, NIEM); :meth:`Framework.regroup` returns a
view of the same indicators organised by such a grouping, so one set of scores aggregates
either way. Everything is immutable.

:func:`load_framework` checks the whole file at once and raises
:class:`~lublin_diagnosis.exceptions.FrameworkError` listing **every** problem with the file,
the line and the YAML location (``indicators[12] (health_p_interpreting).options[1]``).

>>> from lublin_diagnosis.framework.model import load_framework
>>> fw = load_framework()
>>> len(fw.areas), fw.indicator("health_p_interpreting").kind
(14, 'P')
>>> [i.id for i in fw.indicators_of("health", "O")][:1]
['health_o_unmet_need']
>>> fw.regroup("icc-14").areas[0].id
'commitment'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import yaml

from lublin_diagnosis.exceptions import FrameworkError, Problem

__all__ = [
    "AnswerOption",
    "Area",
    "BilingualText",
    "Condition",
    "DIRECTIONS",
    "Framework",
    "FrameworkProblem",
    "Goalposts",
    "Group",
    "Grouping",
    "INSTITUTION_TYPES",
    "Indicator",
    "KINDS",
    "LANGUAGES",
    "Reference",
    "SOURCES",
    "available_frameworks",
    "load_framework",
    "normalise",
]

#: Languages every text of a framework is given in.
LANGUAGES: tuple[str, ...] = ("pl", "en")
#: Indicator kinds: policy, administrative count, survey outcome.
KINDS: tuple[str, ...] = ("P", "A", "O")
#: Directions of an A or O indicator.
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")
#: Evidence sources, and which of them each kind may use.
SOURCES: tuple[str, ...] = (
    "questionnaire",
    "foi_request",
    "document_review",
    "web_audit",
    "register",
    "survey",
)
_SOURCES_BY_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "P": ("questionnaire", "foi_request", "document_review", "web_audit"),
        "A": ("foi_request", "register", "document_review", "web_audit"),
        "O": ("survey",),
    }
)
#: Institution types of ``institutions.csv`` (docs/data-contracts.md).
INSTITUTION_TYPES: tuple[str, ...] = (
    "voivodeship_office",
    "city_hall",
    "family_assistance",
    "labour_office",
    "police",
    "social_insurance",
    "health_fund",
    "transport",
    "tax_office",
    "university",
    "school",
    "clinic",
    "ngo",
    "other",
)

_LANGUAGE_NAMES = {"pl": "Polish", "en": "English"}
_KIND_NAMES = {"P": "policy", "A": "administrative count", "O": "survey outcome"}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_TOP_KEYS = ("id", "version", "name", "description", "groupings", "areas", "indicators")
_GROUPING_KEYS = ("name", "description", "groups")
_GROUP_KEYS = ("id", "name", "description", "weight")
_AREA_KEYS = ("id", "number", "name", "description", "weight", "crosswalk")
_OPTION_KEYS = ("id", "score", "label")
_INDICATOR_KEYS = (
    "id",
    "area",
    "kind",
    "short",
    "question",
    "note",
    "source",
    "weight",
    "institution_types",
    "options",
    "unit",
    "direction",
    "goalposts",
    "variable",
    "success",
    "universe",
    "reference",
)
_NOT_FOR_KIND = {
    "P": ("unit", "direction", "goalposts", "variable", "success", "universe", "reference"),
    "A": ("options", "variable", "success", "universe"),
    "O": ("options", "institution_types"),
}
_MISSING_CODES = ("-9", "-8")

_Path = tuple[str | int, ...]


# --------------------------------------------------------------------------- model
@dataclass(frozen=True)
class BilingualText:
    """A text in Polish and English.

    Examples
    --------
    >>> BilingualText(pl="Ochrona zdrowia", en="Health care").get("pl")
    'Ochrona zdrowia'
    """

    pl: str
    en: str

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"pl"`` or ``"en"``)."""
        return getattr(self, _check_lang(lang))

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class AnswerOption:
    """One answer option of a policy (``P``) indicator and its 0-100 score.

    Examples
    --------
    >>> AnswerOption("full", 100.0, BilingualText("Tak", "Yes")).score
    100.0
    """

    id: str
    score: float
    label: BilingualText


@dataclass(frozen=True)
class Goalposts:
    """Fixed anchors of an ``A`` or ``O`` indicator: ``worst`` scores 0, ``best`` 100.

    The direction follows from the anchors (``best < worst`` means lower is better).

    Examples
    --------
    >>> Goalposts(worst=365, best=60).normalise(212.5)
    50.0
    """

    worst: float
    best: float

    @property
    def direction(self) -> str:
        """``"higher_is_better"`` or ``"lower_is_better"``."""
        return "higher_is_better" if self.best > self.worst else "lower_is_better"

    def normalise(self, value: Any) -> Any:
        """Score ``value`` on these goalposts; see :func:`normalise`."""
        return normalise(value, self)


@dataclass(frozen=True)
class Condition:
    """One condition of an outcome's universe: a variable in a set of codes or a range.

    A universe is the AND of its conditions.

    Examples
    --------
    >>> import pandas as pd
    >>> Condition("age", min=20, max=64).mask(pd.DataFrame({"age": [19, 20, 64, 65]})).tolist()
    [False, True, True, False]
    >>> str(Condition("employed", codes=("1",)))
    'employed in {1}'
    """

    variable: str
    codes: tuple[str, ...] | None = None
    min: float | None = None
    max: float | None = None

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: which rows of ``frame`` meet the condition (missing → False)."""
        column = frame[self.variable]
        if self.codes is not None:
            return _isin(column, self.codes)
        numbers = pd.to_numeric(column, errors="coerce")
        keep = pd.Series(True, index=frame.index)
        if self.min is not None:
            keep &= (numbers >= self.min).fillna(False).astype(bool)
        if self.max is not None:
            keep &= (numbers <= self.max).fillna(False).astype(bool)
        return keep & numbers.notna()

    def __str__(self) -> str:
        if self.codes is not None:
            return f"{self.variable} in {{{', '.join(self.codes)}}}"
        low = "" if self.min is None else f"{_plain(self.min)} <= "
        high = "" if self.max is None else f" <= {_plain(self.max)}"
        return f"{low}{self.variable}{high}"


@dataclass(frozen=True)
class Reference:
    """The value of an indicator for the Polish population, for the gap.

    ``illustrative=True`` marks an orientation figure still to be checked against the
    cited source before publication.

    Examples
    --------
    >>> Reference(0.06, BilingualText("Eurostat", "Eurostat"), illustrative=True).value
    0.06
    """

    value: float
    source: BilingualText
    illustrative: bool = False


@dataclass(frozen=True)
class Indicator:
    """One indicator of a framework.

    Attributes
    ----------
    id, area, kind : str
        Unique id, home area id, ``"P"``, ``"A"`` or ``"O"``.
    question : BilingualText
        The full question or definition; ``short`` is an optional short label.
    source : str
        One of :data:`SOURCES` (``survey`` for ``O``).
    weight : float
        Weight within its area (default 1).
    institution_types : tuple of str
        ``P`` (required) and ``A`` (optional): the institution types that answer it.
    options : tuple of AnswerOption
        ``P`` only.
    unit : BilingualText or None
        ``A`` (required) and ``O`` (optional).
    direction : str or None
        ``A`` and ``O``: one of :data:`DIRECTIONS`.
    goalposts : Goalposts or None
        ``A`` and ``O``.
    variable : str or None
        ``O``: the survey variable.
    success : tuple of str or None
        ``O``: codes counted in the numerator of a share; ``None`` for the mean of a
        numeric variable.
    universe : tuple of Condition
        ``O``: who is asked (AND of the conditions); empty for everybody.
    reference : Reference or None
        Polish-population value, for the gap.

    Examples
    --------
    >>> fw = load_framework()
    >>> ind = fw.indicator("labour_o_employed")
    >>> ind.statistic, [str(c) for c in ind.universe]
    ('proportion', ['20 <= age <= 64'])
    >>> fw.indicator("health_p_interpreting").score("partial")
    50.0
    """

    id: str
    area: str
    kind: str
    question: BilingualText
    source: str
    short: BilingualText | None = None
    note: BilingualText | None = None
    weight: float = 1.0
    institution_types: tuple[str, ...] = ()
    options: tuple[AnswerOption, ...] = ()
    unit: BilingualText | None = None
    direction: str | None = None
    goalposts: Goalposts | None = None
    variable: str | None = None
    success: tuple[str, ...] | None = None
    universe: tuple[Condition, ...] = ()
    reference: Reference | None = None

    @property
    def statistic(self) -> str:
        """``"score"`` (P), ``"value"`` (A), ``"proportion"`` or ``"mean"`` (O)."""
        if self.kind == "P":
            return "score"
        if self.kind == "A":
            return "value"
        return "proportion" if self.success is not None else "mean"

    def option(self, answer: str) -> AnswerOption:
        """The answer option with id ``answer`` (``KeyError`` naming the options if none)."""
        for opt in self.options:
            if opt.id == answer:
                return opt
        known = ", ".join(o.id for o in self.options) or "none: not a P indicator"
        raise KeyError(f"{answer!r} is not an answer option of {self.id!r} (options: {known})")

    def score(self, answer_or_value: Any) -> Any:
        """0-100 score of an answer option id (``P``) or of a value (``A``/``O``)."""
        if self.kind == "P":
            return self.option(answer_or_value).score
        assert self.goalposts is not None
        return normalise(answer_or_value, self.goalposts)

    def universe_mask(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean Series: the respondents of ``frame`` in this outcome's universe."""
        keep = pd.Series(True, index=frame.index)
        for condition in self.universe:
            keep &= condition.mask(frame)
        return keep

    def outcome(self, frame: pd.DataFrame, *, missing: Iterable[str] = _MISSING_CODES) -> pd.Series:
        """The outcome variable as numbers: 1/0 for a share, the value for a mean.

        Empty cells and the ``missing`` codes become NaN. Combine with
        :meth:`universe_mask` to get the estimation domain.

        Examples
        --------
        >>> import pandas as pd
        >>> ind = load_framework().indicator("culture_o_polish_friends")
        >>> ind.outcome(pd.DataFrame({"polish_friends": ["1", "0", "-9", None]})).tolist()
        [1.0, 0.0, nan, nan]
        """
        if self.variable is None:
            raise ValueError(f"{self.id!r} is a {self.kind} indicator: it has no survey variable")
        column = frame[self.variable]
        absent = column.isna() | _isin(column, tuple(missing))
        if self.success is None:
            values = pd.to_numeric(column.where(~absent), errors="coerce").astype(float)
            return values
        hit = _isin(column, self.success)
        values = pd.Series(np.where(hit, 1.0, 0.0), index=frame.index)
        return values.where(~absent, np.nan)


@dataclass(frozen=True)
class Area:
    """An area of a framework (or, in a regrouped view, a group of the grouping).

    Examples
    --------
    >>> area = load_framework().area("domestic_violence")
    >>> area.groups("icc-14")
    ('public_services', 'mediation')
    """

    id: str
    number: int
    name: BilingualText
    description: BilingualText | None = None
    weight: float = 1.0
    crosswalk: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def groups(self, grouping: str) -> tuple[str, ...]:
        """Ids of the groups of ``grouping`` this area maps to (empty if none)."""
        return dict(self.crosswalk).get(grouping, ())


@dataclass(frozen=True)
class Group:
    """One group of a grouping (e.g. the ICC-14 indicator ``public_services``)."""

    id: str
    name: BilingualText
    description: BilingualText | None = None
    weight: float = 1.0


@dataclass(frozen=True)
class Grouping:
    """An alternative grouping of the areas (``icc-14``, ``mipex``, ``niem``).

    Examples
    --------
    >>> len(load_framework().grouping("icc-14").groups)
    14
    """

    id: str
    name: BilingualText
    groups: tuple[Group, ...]
    description: BilingualText | None = None

    @property
    def group_ids(self) -> tuple[str, ...]:
        """The ids of the groups, in order."""
        return tuple(g.id for g in self.groups)

    def group(self, group_id: str) -> Group:
        """The group with id ``group_id``."""
        for g in self.groups:
            if g.id == group_id:
                return g
        raise KeyError(
            f"{group_id!r} is not a group of grouping {self.id!r} "
            f"(groups: {', '.join(self.group_ids)})"
        )


@dataclass(frozen=True, repr=False)
class Framework:
    """An indicator framework, or a view of it regrouped by one of its groupings.

    In the framework as loaded, ``areas`` are its own areas. In the view returned by
    :meth:`regroup`, ``areas`` are the groups of the grouping (``grouped_by`` names it),
    an indicator belongs to every group its home area maps to, and ``unmapped_areas`` lists
    the areas that map to no group. Aggregate with :meth:`indicators_of`, never with
    ``Indicator.area``, so that the same code scores both.

    Examples
    --------
    >>> fw = load_framework()
    >>> fw.label("health", "pl"), len(fw.indicators_of("health", kind="P"))
    ('Ochrona zdrowia', 2)
    >>> icc = fw.regroup("icc-14")
    >>> icc.grouped_by, [i.id for i in icc.indicators_of("mediation", "O")][:2]
    ('icc-14', ['domestic_violence_o_knows_help', 'anti_discrimination_o_discrim_12m'])
    >>> fw.to_frame().shape[0] == len(fw.indicators)
    True
    """

    id: str
    name: BilingualText
    areas: tuple[Area, ...]
    indicators: tuple[Indicator, ...]
    groupings: tuple[Grouping, ...] = ()
    version: int | str = 1
    description: BilingualText | None = None
    path: str | None = None
    grouped_by: str | None = None
    membership: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unmapped_areas: tuple[str, ...] = ()
    parent: Framework | None = field(default=None, compare=False)

    _lines: ClassVar[Mapping[_Path, int]] = MappingProxyType({})

    def __post_init__(self) -> None:
        if not self.membership:
            own = {a.id: [] for a in self.areas}
            for ind in self.indicators:
                own.setdefault(ind.area, []).append(ind.id)
            object.__setattr__(self, "membership", tuple((a, tuple(ids)) for a, ids in own.items()))

    def __repr__(self) -> str:
        view = "" if self.grouped_by is None else f", grouped_by={self.grouped_by!r}"
        return (
            f"Framework(id={self.id!r}, areas={len(self.areas)}, "
            f"indicators={len(self.indicators)}{view})"
        )

    # -- lookups --------------------------------------------------------------------
    @cached_property
    def _area_index(self) -> Mapping[str, Area]:
        return MappingProxyType({a.id: a for a in self.areas})

    @cached_property
    def _indicator_index(self) -> Mapping[str, Indicator]:
        return MappingProxyType({i.id: i for i in self.indicators})

    @cached_property
    def _members(self) -> Mapping[str, tuple[str, ...]]:
        return MappingProxyType(dict(self.membership))

    @property
    def base(self) -> Framework:
        """The framework as loaded (``self`` unless this is a regrouped view)."""
        return self.parent if self.parent is not None else self

    @property
    def area_ids(self) -> tuple[str, ...]:
        """The ids of the areas, in order."""
        return tuple(self._area_index)

    @property
    def indicator_ids(self) -> tuple[str, ...]:
        """The ids of the indicators, in file order."""
        return tuple(self._indicator_index)

    @property
    def empty_areas(self) -> tuple[str, ...]:
        """Ids of areas (groups, in a view) without any indicator."""
        return tuple(a for a, ids in self.membership if not ids)

    def area(self, area_id: str) -> Area:
        """The area with id ``area_id`` (``KeyError`` naming the areas if none)."""
        try:
            return self._area_index[area_id]
        except KeyError:
            raise KeyError(
                f"{area_id!r} is not an area of framework {self._title} "
                f"(areas: {', '.join(self.area_ids)})"
            ) from None

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with id ``indicator_id``."""
        try:
            return self._indicator_index[indicator_id]
        except KeyError:
            raise KeyError(
                f"{indicator_id!r} is not an indicator of framework {self._title}"
            ) from None

    def indicators_of(
        self, area: str | Area, kind: str | Iterable[str] | None = None
    ) -> tuple[Indicator, ...]:
        """The indicators of an area (a group, in a view), optionally of some kinds.

        Parameters
        ----------
        area : str or Area
            Area id (or the area).
        kind : str or iterable of str, optional
            ``"P"``, ``"A"``, ``"O"`` or several of them; default all.

        Examples
        --------
        >>> [i.kind for i in load_framework().indicators_of("labour")]
        ['P', 'P', 'A', 'O', 'O', 'O']
        """
        area_id = area.id if isinstance(area, Area) else area
        self.area(area_id)
        kinds = _kinds(kind)
        return tuple(
            self._indicator_index[i]
            for i in self._members.get(area_id, ())
            if self._indicator_index[i].kind in kinds
        )

    def grouping(self, grouping_id: str) -> Grouping:
        """The grouping with id ``grouping_id``."""
        for g in self.base.groupings:
            if g.id == grouping_id:
                return g
        known = ", ".join(g.id for g in self.base.groupings) or "none"
        raise KeyError(
            f"{grouping_id!r} is not a grouping of framework {self._title} (groupings: {known})"
        )

    # -- views ----------------------------------------------------------------------
    def regroup(self, grouping: str) -> Framework:
        """A view of the same indicators organised by the groups of ``grouping``.

        An indicator counts in every group its home area maps to (an area that maps to
        two ICC indicators contributes to both). Groups without indicators are listed in
        :attr:`empty_areas`, areas mapped to no group in :attr:`unmapped_areas`.

        Examples
        --------
        >>> niem = load_framework().regroup("niem")
        >>> niem.empty_areas, "safety" in niem.unmapped_areas
        (('reception',), True)
        """
        base = self.base
        spec = base.grouping(grouping)
        members: dict[str, list[str]] = {g.id: [] for g in spec.groups}
        unmapped = []
        for area in base.areas:
            targets = area.groups(spec.id)
            if not targets:
                unmapped.append(area.id)
            for target in targets:
                members[target].extend(i.id for i in base.indicators_of(area))
        used = {i for ids in members.values() for i in ids}
        areas = tuple(
            Area(id=g.id, number=n, name=g.name, description=g.description, weight=g.weight)
            for n, g in enumerate(spec.groups, start=1)
        )
        return replace(
            base,
            areas=areas,
            indicators=tuple(i for i in base.indicators if i.id in used),
            grouped_by=spec.id,
            membership=tuple((g, tuple(ids)) for g, ids in members.items()),
            unmapped_areas=tuple(unmapped),
            parent=base,
        )

    # -- text and tables ------------------------------------------------------------
    def label(self, obj: Any, lang: str = "en", *, short: bool = True) -> str:
        """The name of an area, group, grouping or framework, an indicator's label
        (its ``short`` label if ``short`` and it has one, else its question), an answer
        option's label, or a :class:`BilingualText`, in ``lang``.

        ``obj`` may also be an id: of an area (also the home areas of a view), an
        indicator, a grouping or a group.

        Examples
        --------
        >>> fw = load_framework()
        >>> fw.label("culture_o_belonging", "pl")
        'Poczucie przynależności do Lublina'
        >>> fw.label("public_services", "en")
        'Public services'
        """
        _check_lang(lang)
        if isinstance(obj, str):
            obj = self._lookup(obj)
        if isinstance(obj, BilingualText):
            text = obj
        elif isinstance(obj, Indicator):
            text = obj.short if short and obj.short is not None else obj.question
        elif isinstance(obj, AnswerOption):
            text = obj.label
        elif isinstance(obj, (Area, Group, Grouping, Framework)):
            text = obj.name
        else:
            raise TypeError(
                f"cannot label an object of type {type(obj).__name__}; give an "
                f"id, an Area, Indicator, Group, Grouping, AnswerOption or "
                f"BilingualText"
            )
        return text.get(lang)

    def _lookup(self, ident: str) -> Any:
        for frame in (self, self.base):
            if ident in frame._area_index:
                return frame._area_index[ident]
            if ident in frame._indicator_index:
                return frame._indicator_index[ident]
        for g in self.base.groupings:
            if g.id == ident:
                return g
        for g in self.base.groupings:
            for group in g.groups:
                if group.id == ident:
                    return group
        raise KeyError(
            f"{ident!r} is not an area, indicator, grouping or group of framework {self._title}"
        )

    def to_frame(self) -> pd.DataFrame:
        """The indicators as a tidy table, one row per (area, indicator).

        Columns: ``id, area, home_area, area_number, kind, statistic, source, weight,
        short_pl, short_en, question_pl, question_en, unit_pl, unit_en, institution_types,
        options, max_score, direction, worst, best, variable, success, universe,
        reference, reference_illustrative``. In a regrouped view ``area`` is the group
        and an indicator appears once per group; in the framework as loaded ``area`` and
        ``home_area`` agree.

        Examples
        --------
        >>> df = load_framework().to_frame()
        >>> df.groupby("kind").size().to_dict()
        {'A': 12, 'O': 30, 'P': 30}
        """
        rows = []
        for area in self.areas:
            for ind in self.indicators_of(area):
                gp, ref = ind.goalposts, ind.reference
                rows.append(
                    {
                        "id": ind.id,
                        "area": area.id,
                        "home_area": ind.area,
                        "area_number": area.number,
                        "kind": ind.kind,
                        "statistic": ind.statistic,
                        "source": ind.source,
                        "weight": ind.weight,
                        "short_pl": ind.short.pl if ind.short else None,
                        "short_en": ind.short.en if ind.short else None,
                        "question_pl": ind.question.pl,
                        "question_en": ind.question.en,
                        "unit_pl": ind.unit.pl if ind.unit else None,
                        "unit_en": ind.unit.en if ind.unit else None,
                        "institution_types": ";".join(ind.institution_types) or None,
                        "options": ";".join(f"{o.id}={_plain(o.score)}" for o in ind.options)
                        or None,
                        "max_score": max((o.score for o in ind.options), default=np.nan),
                        "direction": ind.direction,
                        "worst": gp.worst if gp else np.nan,
                        "best": gp.best if gp else np.nan,
                        "variable": ind.variable,
                        "success": ";".join(ind.success) if ind.success is not None else None,
                        "universe": "; ".join(str(c) for c in ind.universe) or None,
                        "reference": ref.value if ref else np.nan,
                        "reference_illustrative": ref.illustrative if ref else None,
                    }
                )
        return pd.DataFrame(rows, columns=_FRAME_COLUMNS)

    # -- codebook -------------------------------------------------------------------
    def check_codebook(self, codebook: Any) -> tuple[FrameworkProblem, ...]:
        """Every mismatch between the outcome (``O``) indicators and a survey codebook.

        Parameters
        ----------
        codebook : Codebook or mapping
            A :class:`~lublin_diagnosis.data.codebook.Codebook` (anything with ``codes(name)``
            and ``in``), or a mapping ``{variable: list of codes, or None if numeric}``.

        Returns
        -------
        tuple of FrameworkProblem
            Empty if every variable, universe variable and code is in the codebook.

        Examples
        --------
        >>> fw = load_framework()
        >>> [p.rule for p in fw.check_codebook({"belonging": None})][:1]
        ['not_in_codebook']
        """
        base = self.base
        stub = {"indicators": [{"id": i.id} for i in base.indicators]}
        reader = _Reader(
            stub,
            file=base.path or f"<framework {base.id}>",
            lines=base._lines,
            codebook=_CodebookView(codebook),
        )
        for n, ind in enumerate(base.indicators):
            if ind.kind == "O":
                reader.check_outcome_codebook(
                    ind.variable,
                    ind.success,
                    ind.universe,
                    ("indicators", n),
                    success_given=ind.success is not None,
                )
        return tuple(reader.problems)

    @property
    def _title(self) -> str:
        return (
            repr(self.id)
            if self.grouped_by is None
            else f"{self.id!r} regrouped by {self.grouped_by!r}"
        )


_FRAME_COLUMNS = [
    "id",
    "area",
    "home_area",
    "area_number",
    "kind",
    "statistic",
    "source",
    "weight",
    "short_pl",
    "short_en",
    "question_pl",
    "question_en",
    "unit_pl",
    "unit_en",
    "institution_types",
    "options",
    "max_score",
    "direction",
    "worst",
    "best",
    "variable",
    "success",
    "universe",
    "reference",
    "reference_illustrative",
]


# --------------------------------------------------------------------------- scoring
def normalise(value: Any, goalposts: Goalposts | Mapping[str, float]) -> Any:
    """Score a value on fixed goalposts: ``100 * (value - worst) / (best - worst)``,
    clipped to [0, 100]. Works for either direction; NaN stays NaN.

    Parameters
    ----------
    value : float, array-like or pandas Series
    goalposts : Goalposts or mapping with ``worst`` and ``best``

    Returns
    -------
    float, ndarray or Series (as ``value``)

    Examples
    --------
    >>> normalise(0.3, {"worst": 0.5, "best": 0.0})
    40.0
    >>> normalise([-1, 2], Goalposts(worst=0, best=1)).tolist()
    [0.0, 100.0]
    """
    if isinstance(goalposts, Goalposts):
        worst, best = float(goalposts.worst), float(goalposts.best)
    else:
        worst, best = float(goalposts["worst"]), float(goalposts["best"])
    if worst == best:
        raise ValueError(f"goalposts must differ, not worst = best = {worst}")
    span = best - worst
    if isinstance(value, pd.Series):
        numbers = pd.to_numeric(value, errors="coerce").astype(float)
        return ((numbers - worst) / span * 100.0).clip(0.0, 100.0)
    scores = np.clip((np.asarray(value, dtype=float) - worst) / span * 100.0, 0.0, 100.0)
    return float(scores) if scores.ndim == 0 else scores


# --------------------------------------------------------------------------- loading
def available_frameworks() -> tuple[str, ...]:
    """Names of the frameworks shipped with the package.

    Examples
    --------
    >>> "lublin-14" in available_frameworks()
    True
    """
    folder = resources.files("lublin_diagnosis.framework").joinpath("builtin")
    if not folder.is_dir():
        return ()
    return tuple(sorted(p.name[:-4] for p in folder.iterdir() if p.name.endswith(".yml")))


def load_framework(name_or_path: str | Path = "lublin-14", *, codebook: Any = None) -> Framework:
    """Load and check an indicator framework.

    Parameters
    ----------
    name_or_path : str or Path, default ``"lublin-14"``
        A bare name (no folder, no ``.yml``) is a framework shipped in
        ``lublin_diagnosis/frameworks/<name>.yml``; anything else is a file path.
    codebook : Codebook or mapping, optional
        If given, every outcome variable, universe variable and code must be in it (see
        :meth:`Framework.check_codebook`).

    Returns
    -------
    Framework

    Raises
    ------
    FrameworkError
        Listing every problem (``.problems``), each with the file, line and YAML
        location, if the file is missing, not YAML or breaks the format.

    Examples
    --------
    >>> fw = load_framework("lublin-14")
    >>> fw.id, len(fw.indicators) >= 70
    ('lublin-14', True)
    """
    path, text = _read_source(name_or_path)
    try:
        # the C parser where libyaml is installed: the framework is read in every notebook
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(text, Loader=loader)
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = FrameworkProblem(
            file=path,
            rule="yaml",
            line=None if mark is None else mark.line + 1,
            message=f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
        )
        raise _error(path, [problem]) from None
    lines, duplicates = _line_index(node)
    reader = _Reader(
        data, file=path, lines=lines, codebook=None if codebook is None else _CodebookView(codebook)
    )
    for where in duplicates:
        reader.add(
            where,
            "duplicate_key",
            f"the key {where[-1]!r} is given twice; YAML keeps "
            f"only the last one, so remove one of them",
        )
    framework = reader.read()
    if reader.problems or framework is None:
        raise _error(path, reader.problems)
    object.__setattr__(framework, "_lines", MappingProxyType(lines))
    return framework


def _read_source(name_or_path: str | Path) -> tuple[str, str]:
    is_name = (
        isinstance(name_or_path, str)
        and "/" not in name_or_path
        and "\\" not in name_or_path
        and not name_or_path.lower().endswith((".yml", ".yaml"))
    )
    if is_name:
        resource = resources.files("lublin_diagnosis.framework").joinpath(
            "builtin", f"{name_or_path}.yml"
        )
        if not resource.is_file():
            known = ", ".join(available_frameworks()) or "none"
            problem = FrameworkProblem(
                file=str(name_or_path),
                rule="not_found",
                message=f"no framework named {name_or_path!r} ships with the package "
                f"(available: {known}); give the path of a .yml file instead",
            )
            raise _error(str(name_or_path), [problem])
        return str(resource), resource.read_text(encoding="utf-8")
    path = Path(name_or_path)
    if not path.is_file():
        problem = FrameworkProblem(
            file=str(path), rule="not_found", message="file not found; check the path"
        )
        raise _error(str(path), [problem])
    try:
        return str(path), path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = FrameworkProblem(
            file=str(path),
            rule="encoding",
            message=f"cannot decode as UTF-8 (byte {exc.start}); save the file as UTF-8",
        )
        raise _error(str(path), [problem]) from None


def _error(path: str, problems: list[FrameworkProblem]) -> FrameworkError:
    problems = sorted(problems, key=lambda p: p.line or 0)
    head = f"{path}: {len(problems)} problem(s) in the indicator framework"
    lines = [head + ":"] + [f"  - {p}" for p in problems[:300]]
    if len(problems) > 300:
        lines.append(f"  ... and {len(problems) - 300} more")
    error = FrameworkError("\n".join(lines))
    error.problems = tuple(problems)  # type: ignore[attr-defined]
    return error


def _line_index(node: yaml.Node | None) -> tuple[dict[_Path, int], list[_Path]]:
    """Line (1-based) of every key and item of a composed YAML document, and the paths
    of keys given twice in one mapping."""
    lines: dict[_Path, int] = {}
    duplicates: list[_Path] = []

    def walk(n: yaml.Node, path: _Path) -> None:
        if isinstance(n, yaml.MappingNode):
            seen = set()
            for key_node, value_node in n.value:
                key = key_node.value
                here = path + (key,)
                if key in seen:
                    duplicates.append(here)
                seen.add(key)
                lines[here] = key_node.start_mark.line + 1
                walk(value_node, here)
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                lines[path + (i,)] = item.start_mark.line + 1
                walk(item, path + (i,))

    if node is not None:
        lines[()] = node.start_mark.line + 1
        walk(node, ())
    return lines, duplicates


@dataclass(frozen=True)
class FrameworkProblem(Problem):
    """One problem of a framework file: a :class:`~lublin_diagnosis.exceptions.Problem`
    with the YAML ``location`` and ``line``.

    Examples
    --------
    >>> str(FrameworkProblem("fw.yml", "score", "answer option has no score",
    ...                      location="indicators[0] (x_p_y).options[1]", line=12))
    'fw.yml:12, indicators[0] (x_p_y).options[1]: [score] answer option has no score'
    """

    location: str = ""
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        if self.location:
            where += f", {self.location}"
        value = "" if self.value is None else f" (value {self.value!r})"
        return f"{where}: [{self.rule}]{value} {self.message}"


# --------------------------------------------------------------------------- codebook
class _CodebookView:
    """The two questions the framework asks a codebook, of a Codebook or a mapping."""

    def __init__(self, codebook: Any) -> None:
        self._codebook = codebook
        if isinstance(codebook, Mapping):
            self._names = frozenset(codebook)
        elif hasattr(codebook, "__contains__"):
            self._names = None
        elif hasattr(codebook, "variables"):
            variables = codebook.variables
            self._names = frozenset(
                variables
                if isinstance(variables, Mapping)
                else (getattr(v, "name", v) for v in variables)
            )
        else:
            raise TypeError(
                f"codebook must be a Codebook or a mapping of variable → codes, "
                f"not {type(codebook).__name__}"
            )

    def __contains__(self, name: str) -> bool:
        return name in (self._codebook if self._names is None else self._names)

    def codes(self, name: str) -> tuple[str, ...] | None:
        """The codes of a coded variable, or None for a numeric one."""
        if isinstance(self._codebook, Mapping):
            codes = self._codebook[name]
        else:
            variable = self._codebook.get(name) if hasattr(self._codebook, "get") else None
            if getattr(variable, "type", None) in ("integer", "float", "id"):
                return None
            codes = self._codebook.codes(name)
        if codes is None or isinstance(codes, str) or len(codes) == 0:
            return None
        return tuple(str(c) for c in codes)


# --------------------------------------------------------------------------- reader
class _Reader:
    """Checks a parsed framework file, collecting every problem, and builds it."""

    def __init__(
        self,
        data: Any,
        *,
        file: str,
        lines: Mapping[_Path, int],
        codebook: _CodebookView | None = None,
    ) -> None:
        self.data = data
        self.file = file
        self.lines = lines
        self.codebook = codebook
        self.problems: list[FrameworkProblem] = []

    # -- problems -------------------------------------------------------------------
    def add(self, path: _Path, rule: str, message: str, value: Any = None) -> None:
        self.problems.append(
            FrameworkProblem(
                file=self.file,
                rule=rule,
                message=message,
                value=value,
                location=self._where(path),
                line=self._line(path),
            )
        )

    def _where(self, path: _Path) -> str:
        text, node = "", self.data
        for key in path:
            if isinstance(key, int):
                text += f"[{key}]"
                node = node[key] if isinstance(node, list) and 0 <= key < len(node) else None
                if isinstance(node, Mapping) and isinstance(node.get("id"), str):
                    text += f" ({node['id']})"
            else:
                text += f".{key}" if text else str(key)
                node = node.get(key) if isinstance(node, Mapping) else None
        return text

    def _line(self, path: _Path) -> int | None:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None

    # -- generic checks -------------------------------------------------------------
    def keys(
        self, obj: Mapping, path: _Path, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> None:
        for key in obj:
            if key not in allowed:
                self.add(
                    path + (key,),
                    "unknown_key",
                    f"unknown key {key!r}; allowed here: {', '.join(allowed)}",
                )
        for key in required:
            if key not in obj:
                self.add(path + (key,), "required", f"missing required key {key!r}")

    def ident(self, obj: Mapping, path: _Path, *, pattern: re.Pattern = _ID) -> str | None:
        value = obj.get("id")
        if value is None:
            return None
        if not isinstance(value, str) or not pattern.match(value):
            self.add(
                path + ("id",),
                "id_format",
                f"an id must be lower-case letters, digits and '_' ({pattern.pattern})",
                value=value,
            )
            return None
        return value

    def text(
        self, obj: Mapping, key: str, path: _Path, *, required: bool = True
    ) -> BilingualText | None:
        here = path + (key,)
        if key not in obj:
            if required:
                self.add(
                    here,
                    "text",
                    f"missing {key!r}: give it in Polish and English as {{pl: ..., en: ...}}",
                )
            return None
        value = obj[key]
        if not isinstance(value, Mapping):
            self.add(here, "text", f"{key!r} must be a mapping {{pl: ..., en: ...}}", value=value)
            return None
        ok = True
        for lang in value:
            if lang not in LANGUAGES:
                self.add(
                    here + (lang,), "text", f"unknown language {lang!r} in {key!r}; give pl and en"
                )
                ok = False
        for lang in LANGUAGES:
            text = value.get(lang)
            if text is None:
                self.add(here, "text", f"missing {_LANGUAGE_NAMES[lang]} text ({lang}) in {key!r}")
                ok = False
            elif not isinstance(text, str) or not text.strip():
                self.add(
                    here + (lang,),
                    "text",
                    f"empty or non-text {_LANGUAGE_NAMES[lang]} text ({lang}) in {key!r}",
                    value=text,
                )
                ok = False
        return BilingualText(pl=value["pl"].strip(), en=value["en"].strip()) if ok else None

    def number(self, value: Any, path: _Path, rule: str, what: str) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.add(path, rule, f"{what} must be a number", value=value)
            return None
        return float(value)

    def weight(self, obj: Mapping, path: _Path) -> float:
        if "weight" not in obj:
            return 1.0
        w = self.number(obj["weight"], path + ("weight",), "weight", "weight")
        if w is not None and w < 0:
            self.add(path + ("weight",), "weight", "weight must be 0 or more", value=w)
        return 1.0 if w is None else w

    def codes(self, value: Any, path: _Path, what: str) -> tuple[str, ...] | None:
        if not isinstance(value, list) or not value:
            self.add(
                path, "codes", f'{what} must be a non-empty list of codes, e.g. ["1"]', value=value
            )
            return None
        out = []
        for i, code in enumerate(value):
            if isinstance(code, bool) or not isinstance(code, (str, int)):
                self.add(path + (i,), "codes", 'a code must be text, e.g. "1"', value=code)
                return None
            out.append(str(code))
        if len(set(out)) != len(out):
            self.add(path, "codes", f"{what} lists a code twice", value=value)
        return tuple(out)

    # -- the file -------------------------------------------------------------------
    def read(self) -> Framework | None:
        data = self.data
        if not isinstance(data, Mapping):
            self.add(
                (),
                "structure",
                "a framework file must be a YAML mapping with the keys "
                "id, name, areas and indicators (see docs/framework-format.md)",
            )
            return None
        self.keys(data, (), _TOP_KEYS, required=("id", "areas", "indicators"))
        fw_id = self.ident(data, (), pattern=_FRAMEWORK_ID)
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, (int, str)):
            self.add(("version",), "version", "version must be a number or text", value=version)
        name = self.text(data, "name", ())
        description = self.text(data, "description", (), required=False)

        groupings = self.groupings(data.get("groupings", {}))
        group_ids = {g: set(ids) for g, ids in self.raw_group_ids(data).items()}

        raw_areas = data.get("areas")
        if not isinstance(raw_areas, list) or not raw_areas:
            if "areas" in data:
                self.add(("areas",), "structure", "'areas' must be a non-empty list")
            raw_areas = []
        raw_indicators = data.get("indicators")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            if "indicators" in data:
                self.add(("indicators",), "structure", "'indicators' must be a non-empty list")
            raw_indicators = []

        areas = [self.area(raw, n, group_ids) for n, raw in enumerate(raw_areas)]
        area_ids = [raw.get("id") for raw in raw_areas if isinstance(raw, Mapping)]
        self.duplicates(
            [
                (("areas", n), raw.get("id"))
                for n, raw in enumerate(raw_areas)
                if isinstance(raw, Mapping)
            ],
            "area id",
        )
        self.duplicates(
            [
                (("areas", n, "number"), raw.get("number"))
                for n, raw in enumerate(raw_areas)
                if isinstance(raw, Mapping) and "number" in raw
            ],
            "area number",
        )

        known_areas = {a for a in area_ids if isinstance(a, str)}
        indicators = [self.indicator(raw, n, known_areas) for n, raw in enumerate(raw_indicators)]
        self.duplicates(
            [
                (("indicators", n), raw.get("id"))
                for n, raw in enumerate(raw_indicators)
                if isinstance(raw, Mapping)
            ],
            "indicator id",
        )

        used = {raw.get("area") for raw in raw_indicators if isinstance(raw, Mapping)}
        for n, raw in enumerate(raw_areas):
            if (
                isinstance(raw, Mapping)
                and isinstance(raw.get("id"), str)
                and raw["id"] not in used
            ):
                self.add(
                    ("areas", n),
                    "empty_area",
                    f"area {raw['id']!r} has no indicators; add some or remove the area",
                )

        if self.problems or fw_id is None or name is None:
            return None
        return Framework(
            id=fw_id,
            name=name,
            description=description,
            version=version,
            areas=tuple(areas),  # type: ignore[arg-type]
            indicators=tuple(indicators),  # type: ignore[arg-type]
            groupings=tuple(groupings),
            path=self.file,
        )

    def duplicates(self, items: list[tuple[_Path, Any]], what: str) -> None:
        first: dict[Any, _Path] = {}
        for path, value in items:
            if value is None or isinstance(value, (list, dict)):
                continue
            if value in first:
                self.add(
                    path,
                    "duplicate_id",
                    f"duplicate {what} {value!r} (first at "
                    f"{self._where(first[value])}); ids must be unique",
                    value=value,
                )
            else:
                first[value] = path

    # -- groupings ------------------------------------------------------------------
    def raw_group_ids(self, data: Mapping) -> dict[str, list[str]]:
        groupings = data.get("groupings")
        out: dict[str, list[str]] = {}
        if isinstance(groupings, Mapping):
            for gid, spec in groupings.items():
                groups = spec.get("groups") if isinstance(spec, Mapping) else None
                out[str(gid)] = (
                    [g.get("id") for g in groups or [] if isinstance(g, Mapping)]
                    if isinstance(groups, list)
                    else []
                )
        return out

    def groupings(self, raw: Any) -> list[Grouping]:
        if not isinstance(raw, Mapping):
            self.add(
                ("groupings",),
                "structure",
                "'groupings' must be a mapping: grouping id → {name, groups}",
            )
            return []
        out = []
        for gid, spec in raw.items():
            path: _Path = ("groupings", gid)
            if not isinstance(gid, str) or not _FRAMEWORK_ID.match(gid):
                self.add(
                    path,
                    "id_format",
                    "a grouping id must be lower-case letters, digits, '_' and '-'",
                    value=gid,
                )
                continue
            if not isinstance(spec, Mapping):
                self.add(path, "structure", "a grouping must be a mapping {name, groups}")
                continue
            self.keys(spec, path, _GROUPING_KEYS, required=("groups",))
            name = self.text(spec, "name", path)
            description = self.text(spec, "description", path, required=False)
            groups_raw = spec.get("groups")
            if not isinstance(groups_raw, list) or not groups_raw:
                if "groups" in spec:
                    self.add(path + ("groups",), "structure", "'groups' must be a non-empty list")
                continue
            groups = []
            for n, g in enumerate(groups_raw):
                gpath = path + ("groups", n)
                if not isinstance(g, Mapping):
                    self.add(gpath, "structure", "a group must be a mapping {id, name}")
                    continue
                self.keys(g, gpath, _GROUP_KEYS, required=("id",))
                group_id = self.ident(g, gpath)
                group_name = self.text(g, "name", gpath)
                group_description = self.text(g, "description", gpath, required=False)
                weight = self.weight(g, gpath)
                if group_id and group_name:
                    groups.append(Group(group_id, group_name, group_description, weight))
            self.duplicates(
                [
                    (path + ("groups", n), g.get("id"))
                    for n, g in enumerate(groups_raw)
                    if isinstance(g, Mapping)
                ],
                f"group id of grouping {gid!r}",
            )
            if name is not None:
                out.append(Grouping(gid, name, tuple(groups), description))
        return out

    # -- areas ----------------------------------------------------------------------
    def area(self, raw: Any, n: int, group_ids: Mapping[str, set]) -> Area | None:
        path: _Path = ("areas", n)
        if not isinstance(raw, Mapping):
            self.add(path, "structure", "an area must be a mapping {id, name, ...}")
            return None
        before = len(self.problems)
        self.keys(raw, path, _AREA_KEYS, required=("id",))
        area_id = self.ident(raw, path)
        number = raw.get("number", n + 1)
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            self.add(
                path + ("number",),
                "number",
                "an area number must be a whole number from 1",
                value=number,
            )
        name = self.text(raw, "name", path)
        description = self.text(raw, "description", path, required=False)
        weight = self.weight(raw, path)
        crosswalk = []
        raw_cw = raw.get("crosswalk", {})
        if not isinstance(raw_cw, Mapping):
            self.add(
                path + ("crosswalk",),
                "crosswalk",
                "'crosswalk' must be a mapping: grouping id → list of group ids",
            )
            raw_cw = {}
        for grouping, targets in raw_cw.items():
            here = path + ("crosswalk", grouping)
            if grouping not in group_ids:
                known = ", ".join(group_ids) or "none declared under 'groupings'"
                self.add(
                    here,
                    "crosswalk",
                    f"crosswalk to an unknown grouping {grouping!r} (groupings: {known})",
                    value=grouping,
                )
                continue
            if targets is None:
                targets = []
            if not isinstance(targets, list):
                self.add(
                    here,
                    "crosswalk",
                    "a crosswalk entry must be a list of group ids",
                    value=targets,
                )
                continue
            for i, target in enumerate(targets):
                if target not in group_ids[grouping]:
                    self.add(
                        here + (i,),
                        "crosswalk",
                        f"crosswalk to an unknown group {target!r} of grouping "
                        f"{grouping!r} (groups: {', '.join(sorted(group_ids[grouping]))})",
                        value=target,
                    )
            if len(set(map(str, targets))) != len(targets):
                self.add(here, "crosswalk", "a group is listed twice", value=targets)
            crosswalk.append((str(grouping), tuple(str(t) for t in targets)))
        if len(self.problems) > before or area_id is None or name is None:
            return None
        return Area(area_id, number, name, description, weight, tuple(crosswalk))

    # -- indicators -----------------------------------------------------------------
    def indicator(self, raw: Any, n: int, areas: set[str]) -> Indicator | None:
        path: _Path = ("indicators", n)
        if not isinstance(raw, Mapping):
            self.add(path, "structure", "an indicator must be a mapping {id, area, kind, ...}")
            return None
        before = len(self.problems)
        self.keys(raw, path, _INDICATOR_KEYS, required=("id", "area", "kind", "source"))
        ind_id = self.ident(raw, path)
        area = raw.get("area")
        if "area" in raw and area not in areas:
            self.add(
                path + ("area",),
                "unknown_area",
                f"unknown area {area!r}; the areas are: {', '.join(sorted(areas))}",
                value=area,
            )
        kind = raw.get("kind")
        if "kind" in raw and kind not in KINDS:
            self.add(
                path + ("kind",),
                "kind",
                "unknown kind; use P (policy), A (administrative count) or O (survey outcome)",
                value=kind,
            )
            kind = None
        question = self.text(raw, "question", path)
        short = self.text(raw, "short", path, required=False)
        note = self.text(raw, "note", path, required=False)
        source = raw.get("source")
        if "source" in raw:
            if source not in SOURCES:
                self.add(
                    path + ("source",),
                    "source",
                    f"unknown source; use one of {', '.join(SOURCES)}",
                    value=source,
                )
            elif kind is not None and source not in _SOURCES_BY_KIND[kind]:
                self.add(
                    path + ("source",),
                    "source",
                    f"source {source!r} does not fit a {kind} ({_KIND_NAMES[kind]}) "
                    f"indicator; use one of {', '.join(_SOURCES_BY_KIND[kind])}",
                    value=source,
                )
        weight = self.weight(raw, path)
        institution_types = self.institution_types(raw, path)
        for key in _NOT_FOR_KIND.get(kind, ()):
            if key in raw:
                self.add(
                    path + (key,),
                    "kind_field",
                    f"{key!r} does not apply to a {kind} "
                    f"({_KIND_NAMES[kind]}) indicator; remove it",
                )

        fields: dict[str, Any] = {}
        if kind == "P":
            fields["options"] = self.options(raw, path)
            if "institution_types" not in raw:
                self.add(
                    path + ("institution_types",),
                    "institution_type",
                    "a policy (P) indicator must list the institution_types that answer it",
                )
        elif kind in ("A", "O"):
            success = None
            if kind == "O":
                fields.update(self.outcome(raw, path))
                success = fields.get("success")
                if self.codebook is not None:
                    self.check_outcome_codebook(
                        fields["variable"],
                        success,
                        fields["universe"],
                        path,
                        success_given="success" in raw,
                    )
                fields["unit"] = self.text(raw, "unit", path, required=False)
            else:
                if "unit" not in raw:
                    self.add(
                        path + ("unit",),
                        "unit",
                        "an administrative (A) indicator needs a unit {pl: ..., en: ...}",
                    )
                fields["unit"] = self.text(raw, "unit", path, required=False)
            share = kind == "O" and success is not None
            fields["direction"], fields["goalposts"] = self.goalposts(raw, path, kind, share)
            fields["reference"] = self.reference(raw, path, share)

        if len(self.problems) > before or None in (ind_id, question) or kind is None:
            return None
        return Indicator(
            id=ind_id,
            area=area,
            kind=kind,
            question=question,
            source=source,
            short=short,
            note=note,
            weight=weight,
            institution_types=institution_types,
            **fields,
        )

    def institution_types(self, raw: Mapping, path: _Path) -> tuple[str, ...]:
        if "institution_types" not in raw:
            return ()
        value = raw["institution_types"]
        here = path + ("institution_types",)
        if not isinstance(value, list) or not value:
            self.add(
                here, "institution_type", "institution_types must be a non-empty list", value=value
            )
            return ()
        for i, t in enumerate(value):
            if t not in INSTITUTION_TYPES:
                self.add(
                    here + (i,),
                    "institution_type",
                    f"unknown institution type; use one of {', '.join(INSTITUTION_TYPES)}",
                    value=t,
                )
        if len(set(map(str, value))) != len(value):
            self.add(here, "institution_type", "an institution type is listed twice")
        return tuple(str(t) for t in value)

    def options(self, raw: Mapping, path: _Path) -> tuple[AnswerOption, ...]:
        here = path + ("options",)
        value = raw.get("options")
        if not isinstance(value, list) or len(value) < 2:
            self.add(
                here,
                "options",
                "a policy (P) indicator needs at least two answer "
                "options, each with an id, a score from 0 to 100 and a pl/en label",
            )
            return ()
        out = []
        for i, opt in enumerate(value):
            opath = here + (i,)
            if not isinstance(opt, Mapping):
                self.add(
                    opath,
                    "options",
                    "an answer option must be a mapping {id, score, label}",
                    value=opt,
                )
                continue
            self.keys(opt, opath, _OPTION_KEYS, required=("id",))
            opt_id = self.ident(opt, opath)
            label = self.text(opt, "label", opath)
            score = None
            if "score" not in opt or opt["score"] is None:
                self.add(opath, "score", "answer option has no score; give a number from 0 to 100")
            else:
                score = self.number(opt["score"], opath + ("score",), "score", "an answer score")
                if score is not None and not 0 <= score <= 100:
                    self.add(
                        opath + ("score",),
                        "score",
                        "answer score outside 0-100; give a number from 0 to 100",
                        value=opt["score"],
                    )
                    score = None
            if opt_id is not None and label is not None and score is not None:
                out.append(AnswerOption(opt_id, score, label))
        self.duplicates(
            [(here + (i,), o.get("id")) for i, o in enumerate(value) if isinstance(o, Mapping)],
            "answer option id",
        )
        return tuple(out)

    def goalposts(
        self, raw: Mapping, path: _Path, kind: str, share: bool
    ) -> tuple[str | None, Goalposts | None]:
        direction = raw.get("direction")
        if "direction" not in raw:
            self.add(
                path + ("direction",),
                "direction",
                f"a {kind} indicator needs a direction: {' or '.join(DIRECTIONS)}",
            )
        elif direction not in DIRECTIONS:
            self.add(
                path + ("direction",),
                "direction",
                f"unknown direction; use {' or '.join(DIRECTIONS)}",
                value=direction,
            )
            direction = None
        here = path + ("goalposts",)
        if "goalposts" not in raw:
            self.add(
                here,
                "goalposts",
                f"a {kind} indicator needs goalposts "
                f"{{worst: ..., best: ...}}: the values scored 0 and 100",
            )
            return direction, None
        value = raw["goalposts"]
        if not isinstance(value, Mapping):
            self.add(
                here,
                "goalposts",
                "goalposts must be a mapping {worst: ..., best: ...}",
                value=value,
            )
            return direction, None
        self.keys(value, here, ("worst", "best"), required=("worst", "best"))
        ends = {}
        for end in ("worst", "best"):
            if end in value:
                ends[end] = self.number(value[end], here + (end,), "goalposts", f"goalpost {end!r}")
        worst, best = ends.get("worst"), ends.get("best")
        if worst is None or best is None:
            return direction, None
        if worst == best:
            self.add(here, "goalposts", "worst and best goalposts must differ", value=dict(value))
            return direction, None
        if direction is not None and Goalposts(worst, best).direction != direction:
            relation = "above" if direction == "higher_is_better" else "below"
            self.add(
                here,
                "goalposts",
                f"goalposts inconsistent with direction {direction}: best ({_plain(best)}) "
                f"must be {relation} worst ({_plain(worst)})",
                value=dict(value),
            )
        if share and not (0 <= worst <= 1 and 0 <= best <= 1):
            self.add(
                here,
                "goalposts",
                "the goalposts of a share (an O indicator with "
                "success codes) must lie between 0 and 1",
                value=dict(value),
            )
        return direction, Goalposts(worst, best)

    def reference(self, raw: Mapping, path: _Path, share: bool) -> Reference | None:
        if "reference" not in raw:
            return None
        here = path + ("reference",)
        value = raw["reference"]
        if not isinstance(value, Mapping):
            self.add(
                here,
                "reference",
                "a reference must be a mapping {value, source: {pl, en}, illustrative}",
            )
            return None
        self.keys(value, here, ("value", "source", "illustrative"), required=("value", "source"))
        number = (
            self.number(value.get("value"), here + ("value",), "reference", "the reference value")
            if "value" in value
            else None
        )
        if number is not None and share and not 0 <= number <= 1:
            self.add(
                here + ("value",),
                "reference",
                "the reference of a share must lie between 0 and 1",
                value=number,
            )
        source = self.text(value, "source", here) if "source" in value else None
        illustrative = value.get("illustrative", False)
        if not isinstance(illustrative, bool):
            self.add(
                here + ("illustrative",),
                "reference",
                "illustrative must be true or false",
                value=illustrative,
            )
        if number is None or source is None:
            return None
        return Reference(number, source, bool(illustrative))

    def outcome(self, raw: Mapping, path: _Path) -> dict[str, Any]:
        out: dict[str, Any] = {"variable": None, "success": None, "universe": ()}
        variable = raw.get("variable")
        if not isinstance(variable, str) or not variable:
            self.add(
                path + ("variable",),
                "variable",
                "an outcome (O) indicator needs the survey variable it is computed from",
                value=variable,
            )
        else:
            out["variable"] = variable
        if "success" in raw:
            out["success"] = self.codes(raw["success"], path + ("success",), "success")
        universe = raw.get("universe", {})
        here = path + ("universe",)
        if universe is None:
            universe = {}
        if not isinstance(universe, Mapping):
            self.add(
                here,
                "universe",
                "universe must be a mapping: variable → list of codes or {min, max}",
                value=universe,
            )
            return out
        conditions = []
        for var, spec in universe.items():
            vpath = here + (var,)
            if isinstance(spec, Mapping):
                self.keys(spec, vpath, ("min", "max"))
                bounds = {
                    k: self.number(spec[k], vpath + (k,), "universe", f"universe {k}")
                    for k in ("min", "max")
                    if k in spec
                }
                if not bounds:
                    self.add(vpath, "universe", "a range needs min, max or both")
                elif None not in bounds.values():
                    low, high = bounds.get("min"), bounds.get("max")
                    if low is not None and high is not None and low > high:
                        self.add(vpath, "universe", "min must not exceed max", value=dict(spec))
                    conditions.append(Condition(str(var), min=low, max=high))
            else:
                codes = self.codes(spec, vpath, f"the universe codes of {var!r}")
                if codes is not None:
                    conditions.append(Condition(str(var), codes=codes))
        out["universe"] = tuple(conditions)
        return out

    def check_outcome_codebook(
        self,
        variable: str | None,
        success: tuple[str, ...] | None,
        universe: tuple[Condition, ...],
        path: _Path,
        *,
        success_given: bool,
    ) -> None:
        """Check an outcome's variable, success codes and universe against the codebook
        (parts that failed to parse are None / absent and skipped)."""
        codebook = self.codebook
        assert codebook is not None
        if variable is not None:
            if variable not in codebook:
                self.add(
                    path + ("variable",),
                    "not_in_codebook",
                    f"outcome variable {variable!r} is not in the codebook; correct the "
                    f"name or add the variable to the codebook",
                    value=variable,
                )
            else:
                codes = codebook.codes(variable)
                if success is not None and codes is None:
                    self.add(
                        path + ("success",),
                        "codebook_type",
                        f"success codes are given but {variable!r} is numeric in the "
                        f"codebook; remove 'success' to use its mean",
                    )
                elif success is None and codes is not None and not success_given:
                    self.add(
                        path + ("variable",),
                        "codebook_type",
                        f"{variable!r} is coded ({', '.join(codes)}) in the codebook; "
                        f"list the codes counted as success under 'success'",
                    )
                elif success is not None and codes is not None:
                    wrong = [c for c in success if c not in codes]
                    if wrong:
                        self.add(
                            path + ("success",),
                            "not_in_codebook",
                            f"success code(s) {', '.join(map(repr, wrong))} are not codes "
                            f"of {variable!r} in the codebook ({', '.join(codes)})",
                            value=wrong,
                        )
        for condition in universe:
            here = path + ("universe", condition.variable)
            if condition.variable not in codebook:
                self.add(
                    here,
                    "not_in_codebook",
                    f"universe variable {condition.variable!r} is not in the codebook",
                    value=condition.variable,
                )
                continue
            codes = codebook.codes(condition.variable)
            if condition.codes is None:
                if codes is not None:
                    self.add(
                        here,
                        "codebook_type",
                        f"{condition.variable!r} is coded in the codebook; give a list "
                        f"of codes, not a range",
                    )
            elif codes is None:
                self.add(
                    here,
                    "codebook_type",
                    f"{condition.variable!r} is numeric in the codebook; give a range "
                    f"{{min, max}}, not codes",
                )
            else:
                wrong = [c for c in condition.codes if c not in codes]
                if wrong:
                    self.add(
                        here,
                        "not_in_codebook",
                        f"universe code(s) {', '.join(map(repr, wrong))} are not codes "
                        f"of {condition.variable!r} in the codebook ({', '.join(codes)})",
                        value=wrong,
                    )


# --------------------------------------------------------------------------- helpers
def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    return lang


def _kinds(kind: str | Iterable[str] | None) -> frozenset[str]:
    if kind is None:
        return frozenset(KINDS)
    kinds = frozenset([kind] if isinstance(kind, str) else kind)
    wrong = kinds - set(KINDS)
    if wrong:
        raise ValueError(f"kind must be among {KINDS}, not {sorted(wrong)!r}")
    return kinds


def _isin(column: pd.Series, codes: tuple[str, ...]) -> pd.Series:
    """Which cells of ``column`` hold one of ``codes`` (text codes; numbers compared as
    numbers); missing → False."""
    if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        numbers = pd.to_numeric(pd.Series(codes, dtype=object), errors="coerce").dropna()
        hit = column.isin(numbers.tolist())
    else:
        hit = column.astype("string").isin(codes)
    return hit.fillna(False).astype(bool)


def _plain(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
