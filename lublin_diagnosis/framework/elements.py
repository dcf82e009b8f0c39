"""The parts of an indicator framework: bilingual texts, answer options, goalposts,
universe conditions, reference values, indicators, areas and groupings -- and the
normalisation of a value onto its goalposts. Everything is immutable.

The framework itself (:class:`~lublin_diagnosis.framework.model.Framework`) is in
:mod:`~lublin_diagnosis.framework.model`; the file checker that builds these parts from
YAML is in :mod:`~lublin_diagnosis.framework.checker`.

>>> Goalposts(worst=0.0, best=0.5).normalise(0.25)
50.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

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
    "Goalposts",
    "Group",
    "Grouping",
    "Indicator",
    "Reference",
    "check_lang",
    "kinds_of",
    "normalise",
    "plain_number",
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

#: Who can act on an indicator or an institution: the city (Lublin's local government and
#: its units), the state administration in the city (voivodeship office, police, ZUS, NFZ,
#: tax office) or others (universities, employers, landlords, NGOs, society at large).
RESPONSIBLE_LEVELS: tuple[str, ...] = ("city", "state", "other")

_MISSING_CODES = ("-9", "-8")


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
        return getattr(self, check_lang(lang))

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
        low = "" if self.min is None else f"{plain_number(self.min)} <= "
        high = "" if self.max is None else f" <= {plain_number(self.max)}"
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
    responsible_level : str or None
        Who can act on it: one of :data:`RESPONSIBLE_LEVELS`; ``None`` when the
        framework does not say.

    Examples
    --------
    >>> from lublin_diagnosis.framework.model import load_framework
    >>> fw = load_framework()
    >>> fw.indicator("legal_aid_a_permit_days").responsible_level
    'state'
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
    responsible_level: str | None = None

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
        >>> from lublin_diagnosis.framework.model import load_framework
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
    >>> from lublin_diagnosis.framework.model import load_framework
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
    >>> from lublin_diagnosis.framework.model import load_framework
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


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGUAGES`, else a ValueError."""
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    return lang


def kinds_of(kind: str | Iterable[str] | None) -> frozenset[str]:
    """The kinds named (one, several, or all for None), checked against :data:`KINDS`."""
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


def plain_number(x: float) -> str:
    """``50`` for 50.0, ``0.5`` for 0.5: a number as a framework file writes it."""
    return str(int(x)) if float(x).is_integer() else str(x)
