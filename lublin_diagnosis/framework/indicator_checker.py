"""The rules of an indicator in a framework file: its kind, source, answer options (P),
unit, direction, goalposts and reference (A and O), and survey variable, success codes and
universe (O). Part of :class:`~lublin_diagnosis.framework.checker.FileChecker`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from lublin_diagnosis.framework.codebook_check import CodebookView, check_outcome_codebook
from lublin_diagnosis.framework.elements import (
    DIRECTIONS,
    INSTITUTION_TYPES,
    KINDS,
    RESPONSIBLE_LEVELS,
    SOURCES,
    AnswerOption,
    Condition,
    Goalposts,
    Indicator,
    Reference,
    plain_number,
)
from lublin_diagnosis.framework.problems import YamlPath
from lublin_diagnosis.framework.value_checks import ValueChecks

__all__ = ["IndicatorRules"]

#: Evidence sources each kind may use.
_SOURCES_BY_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "P": ("questionnaire", "foi_request", "document_review", "web_audit"),
        "A": ("foi_request", "register", "document_review", "web_audit"),
        "O": ("survey",),
    }
)
_KIND_NAMES = {"P": "policy", "A": "administrative count", "O": "survey outcome"}
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
    "responsible_level",
)
_NOT_FOR_KIND = {
    "P": ("unit", "direction", "goalposts", "variable", "success", "universe", "reference"),
    "A": ("options", "variable", "success", "universe"),
    "O": ("options", "institution_types"),
}


class IndicatorRules(ValueChecks):
    """Checks and builds the indicators of a framework file."""

    codebook: CodebookView | None

    def indicator(self, raw: Any, n: int, areas: set[str]) -> Indicator | None:
        path: YamlPath = ("indicators", n)
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
        if "kind" in raw and not self.one_of(
            kind,
            KINDS,
            path + ("kind",),
            "kind",
            "P (policy), A (administrative count) or O (survey outcome)",
        ):
            kind = None
        question = self.text(raw, "question", path)
        short = self.text(raw, "short", path, required=False)
        note = self.text(raw, "note", path, required=False)
        source = self._source(raw, path, kind)
        weight = self.weight(raw, path)
        institution_types = self.institution_types(raw, path)
        level = raw.get("responsible_level")
        if "responsible_level" in raw and not self.one_of(
            level,
            RESPONSIBLE_LEVELS,
            path + ("responsible_level",),
            "responsible_level",
            f"one of {', '.join(RESPONSIBLE_LEVELS)} (the city, the state administration in "
            "the city, others)",
            what="responsible level",
        ):
            level = None
        for key in _NOT_FOR_KIND.get(kind, ()):
            if key in raw:
                self.add(
                    path + (key,),
                    "kind_field",
                    f"{key!r} does not apply to a {kind} "
                    f"({_KIND_NAMES[kind]}) indicator; remove it",
                )

        fields = self._kind_fields(raw, path, kind)

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
            responsible_level=level,
            **fields,
        )

    def _source(self, raw: Mapping, path: YamlPath, kind: str | None) -> Any:
        source = raw.get("source")
        known = "source" in raw and self.one_of(
            source, SOURCES, path + ("source",), "source", f"one of {', '.join(SOURCES)}"
        )
        if known and kind is not None and source not in _SOURCES_BY_KIND[kind]:
            self.add(
                path + ("source",),
                "source",
                f"source {source!r} does not fit a {kind} ({_KIND_NAMES[kind]}) "
                f"indicator; use one of {', '.join(_SOURCES_BY_KIND[kind])}",
                value=source,
            )
        return source

    def _kind_fields(self, raw: Mapping, path: YamlPath, kind: str | None) -> dict[str, Any]:
        """The fields of a P (options) or A/O indicator (unit, goalposts, ...)."""
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
                    check_outcome_codebook(
                        self,
                        self.codebook,
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
        return fields

    def institution_types(self, raw: Mapping, path: YamlPath) -> tuple[str, ...]:
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
            self.one_of(
                t,
                INSTITUTION_TYPES,
                here + (i,),
                "institution_type",
                f"one of {', '.join(INSTITUTION_TYPES)}",
                what="institution type",
            )
        if len(set(map(str, value))) != len(value):
            self.add(here, "institution_type", "an institution type is listed twice")
        return tuple(str(t) for t in value)

    def options(self, raw: Mapping, path: YamlPath) -> tuple[AnswerOption, ...]:
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
        self, raw: Mapping, path: YamlPath, kind: str, share: bool
    ) -> tuple[str | None, Goalposts | None]:
        direction = raw.get("direction")
        if "direction" not in raw:
            self.add(
                path + ("direction",),
                "direction",
                f"a {kind} indicator needs a direction: {' or '.join(DIRECTIONS)}",
            )
        elif not self.one_of(
            direction, DIRECTIONS, path + ("direction",), "direction", " or ".join(DIRECTIONS)
        ):
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
                f"goalposts inconsistent with direction {direction}: best ({plain_number(best)}) "
                f"must be {relation} worst ({plain_number(worst)})",
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

    def reference(self, raw: Mapping, path: YamlPath, share: bool) -> Reference | None:
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

    def outcome(self, raw: Mapping, path: YamlPath) -> dict[str, Any]:
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
