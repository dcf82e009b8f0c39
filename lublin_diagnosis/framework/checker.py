"""The checker of a framework file: it reads the YAML, checks every rule at once and
builds the parts of the framework, or raises
:class:`~lublin_diagnosis.exceptions.FrameworkError` listing every problem with the file,
the line and the YAML location (``indicators[12] (health_p_interpreting).options[1]``).

The structure of the file is also described by a JSON Schema
(``lublin_diagnosis/framework/schema.json``, see ``docs/framework-format.md``), which
editors use; this checker gives the same verdict and adds the cross-checks a schema cannot
express (ids unique, areas known, crosswalks to declared groups, goalposts consistent with
the direction, outcome variables in the codebook).

>>> parts, lines = check_framework_text("id: x\\nareas: []\\n", "fw.yml")
Traceback (most recent call last):
...
lublin_diagnosis.exceptions.FrameworkError: fw.yml: 3 problem(s) in the indicator framework:
  - fw.yml:1, indicators: [required] missing required key 'indicators'
  - fw.yml:1, name: [text] missing 'name': give it in Polish and English as {pl: ..., en: ...}
  - fw.yml:2, areas: [structure] 'areas' must be a non-empty list
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from lublin_diagnosis.framework.codebook_check import CodebookView
from lublin_diagnosis.framework.elements import Area, Group, Grouping, Indicator
from lublin_diagnosis.framework.indicator_checker import IndicatorRules
from lublin_diagnosis.framework.problems import FrameworkProblem, YamlPath, framework_error
from lublin_diagnosis.framework.value_checks import FRAMEWORK_ID

__all__ = ["FileChecker", "check_framework_text", "line_index"]

_TOP_KEYS = ("id", "version", "name", "description", "groupings", "areas", "indicators")
_GROUPING_KEYS = ("name", "description", "groups")
_GROUP_KEYS = ("id", "name", "description", "weight")
_AREA_KEYS = ("id", "number", "name", "description", "weight", "crosswalk")


def check_framework_text(
    text: str, path: str, *, codebook: Any = None
) -> tuple[dict[str, Any], dict[YamlPath, int]]:
    """Check the text of a framework file; return its parts and the line of every key.

    Parameters
    ----------
    text : str
        The YAML.
    path : str
        The file, for the problems.
    codebook : Codebook or mapping, optional
        If given, outcome variables and codes are checked against it.

    Returns
    -------
    parts : dict
        The arguments of :class:`~lublin_diagnosis.framework.model.Framework`.
    lines : dict
        YAML path → line (1-based).

    Raises
    ------
    FrameworkError
        Listing every problem.
    """
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
        raise framework_error(path, [problem]) from None
    lines, duplicates = line_index(node)
    reader = FileChecker(
        data, file=path, lines=lines, codebook=None if codebook is None else CodebookView(codebook)
    )
    for where in duplicates:
        reader.add(
            where,
            "duplicate_key",
            f"the key {where[-1]!r} is given twice; YAML keeps "
            f"only the last one, so remove one of them",
        )
    parts = reader.read()
    if reader.problems or parts is None:
        raise framework_error(path, reader.problems)
    return parts, lines


def line_index(node: yaml.Node | None) -> tuple[dict[YamlPath, int], list[YamlPath]]:
    """Line (1-based) of every key and item of a composed YAML document, and the paths
    of keys given twice in one mapping."""
    lines: dict[YamlPath, int] = {}
    duplicates: list[YamlPath] = []

    def walk(n: yaml.Node, path: YamlPath) -> None:
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


class FileChecker(IndicatorRules):
    """Checks a parsed framework file, collecting every problem, and builds its parts."""

    def __init__(
        self,
        data: Any,
        *,
        file: str,
        lines: Mapping[YamlPath, int],
        codebook: CodebookView | None = None,
    ) -> None:
        super().__init__(data, file=file, lines=lines)
        self.codebook = codebook

    def read(self) -> dict[str, Any] | None:
        """The parts of the framework (the arguments of ``Framework``), or None when the
        file has problems."""
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
        fw_id = self.ident(data, (), pattern=FRAMEWORK_ID)
        version = data.get("version", 1)
        if isinstance(version, bool) or not isinstance(version, (int, str)):
            self.add(("version",), "version", "version must be a number or text", value=version)
        name = self.text(data, "name", ())
        description = self.text(data, "description", (), required=False)

        groupings = self.groupings(data.get("groupings", {}))
        group_ids = {g: set(ids) for g, ids in self.raw_group_ids(data).items()}

        areas, indicators = self.areas_and_indicators(data, group_ids)

        if self.problems or fw_id is None or name is None:
            return None
        return dict(
            id=fw_id,
            name=name,
            description=description,
            version=version,
            areas=tuple(areas),  # type: ignore[arg-type]
            indicators=tuple(indicators),  # type: ignore[arg-type]
            groupings=tuple(groupings),
            path=self.file,
        )

    def areas_and_indicators(
        self, data: Mapping, group_ids: Mapping[str, set]
    ) -> tuple[list[Area | None], list[Indicator | None]]:
        """The areas and the indicators, with their ids unique and no area left empty."""
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
        return areas, indicators

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
            path: YamlPath = ("groupings", gid)
            if not isinstance(gid, str) or not FRAMEWORK_ID.match(gid):
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
        path: YamlPath = ("areas", n)
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
