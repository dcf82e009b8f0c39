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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from lublin_diagnosis.framework.checker import check_framework_text
from lublin_diagnosis.framework.codebook_check import CodebookView, check_outcome_codebook
from lublin_diagnosis.framework.elements import (
    DIRECTIONS,
    INSTITUTION_TYPES,
    KINDS,
    LANGUAGES,
    RESPONSIBLE_LEVELS,
    SOURCES,
    AnswerOption,
    Area,
    BilingualText,
    Condition,
    Goalposts,
    Group,
    Grouping,
    Indicator,
    Reference,
    check_lang,
    kinds_of,
    normalise,
    plain_number,
)
from lublin_diagnosis.framework.problems import (
    FrameworkProblem,
    ProblemSink,
    YamlPath,
    framework_error,
)

__all__ = [
    "DIRECTIONS",
    "INSTITUTION_TYPES",
    "KINDS",
    "LANGUAGES",
    "RESPONSIBLE_LEVELS",
    "SOURCES",
    "AnswerOption",
    "Area",
    "BilingualText",
    "Condition",
    "Framework",
    "FrameworkProblem",
    "Goalposts",
    "Group",
    "Grouping",
    "Indicator",
    "Reference",
    "available_frameworks",
    "load_framework",
    "normalise",
]


# --------------------------------------------------------------------------- framework
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

    _lines: ClassVar[Mapping[YamlPath, int]] = MappingProxyType({})

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
        kinds = kinds_of(kind)
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
        check_lang(lang)
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
        reference, reference_illustrative, responsible_level``. In a regrouped view ``area``
        is the group
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
                        "options": ";".join(f"{o.id}={plain_number(o.score)}" for o in ind.options)
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
                        "responsible_level": ind.responsible_level,
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
        sink = ProblemSink(stub, file=base.path or f"<framework {base.id}>", lines=base._lines)
        view = CodebookView(codebook)
        for n, ind in enumerate(base.indicators):
            if ind.kind == "O":
                check_outcome_codebook(
                    sink,
                    view,
                    ind.variable,
                    ind.success,
                    ind.universe,
                    ("indicators", n),
                    success_given=ind.success is not None,
                )
        return tuple(sink.problems)

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
    "responsible_level",
]


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
    key = (path, text)
    if codebook is None and key in _LOADED:
        return _LOADED[key]
    parts, lines = check_framework_text(text, path, codebook=codebook)
    framework = Framework(**parts)
    object.__setattr__(framework, "_lines", MappingProxyType(lines))
    if codebook is None:
        # a notebook kernel reads the same file for every notebook it executes: the
        # checked framework (immutable) is kept for an unchanged text of the same file
        while len(_LOADED) >= _LOADED_MAX:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = framework
    return framework


#: Frameworks loaded without a codebook, by (file, text): the few most recent.
_LOADED: dict[tuple[str, str], Framework] = {}
_LOADED_MAX = 4


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
            raise framework_error(str(name_or_path), [problem])
        return str(resource), resource.read_text(encoding="utf-8")
    path = Path(name_or_path)
    if not path.is_file():
        problem = FrameworkProblem(
            file=str(path), rule="not_found", message="file not found; check the path"
        )
        raise framework_error(str(path), [problem])
    try:
        return str(path), path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        problem = FrameworkProblem(
            file=str(path),
            rule="encoding",
            message=f"cannot decode as UTF-8 (byte {exc.start}); save the file as UTF-8",
        )
        raise framework_error(str(path), [problem]) from None
