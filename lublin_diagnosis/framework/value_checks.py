"""The checks of single values of a framework file that every part uses: allowed and
required keys, ids, bilingual texts, numbers, weights, code lists and duplicate ids."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from lublin_diagnosis.framework.elements import LANGUAGES, BilingualText
from lublin_diagnosis.framework.problems import ProblemSink, YamlPath

__all__ = ["FRAMEWORK_ID", "ID", "ValueChecks"]

#: An id of an area, group, indicator or answer option.
ID = re.compile(r"^[a-z][a-z0-9_]*$")
#: An id of a framework or a grouping (may also hold '-').
FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_LANGUAGE_NAMES = {"pl": "Polish", "en": "English"}


class ValueChecks(ProblemSink):
    """A :class:`~lublin_diagnosis.framework.problems.ProblemSink` with the checks of
    single values; each adds a problem and returns the value read (or None).

    Examples
    --------
    >>> check = ValueChecks({"name": {"pl": "Zdrowie"}}, file="fw.yml", lines={})
    >>> check.text(check.data, "name", ()) is None, [p.rule for p in check.problems]
    (True, ['text'])
    """

    def keys(
        self, obj: Mapping, path: YamlPath, allowed: tuple[str, ...], required: tuple[str, ...] = ()
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

    def one_of(
        self,
        value: Any,
        allowed: tuple[str, ...],
        path: YamlPath,
        rule: str,
        choices: str,
        *,
        what: str | None = None,
    ) -> bool:
        """Whether ``value`` is one of ``allowed``; if not, the problem "unknown <what>;
        use <choices>"."""
        if value in allowed:
            return True
        self.add(path, rule, f"unknown {what or rule}; use {choices}", value=value)
        return False

    def ident(self, obj: Mapping, path: YamlPath, *, pattern: re.Pattern = ID) -> str | None:
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
        self, obj: Mapping, key: str, path: YamlPath, *, required: bool = True
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

    def number(self, value: Any, path: YamlPath, rule: str, what: str) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.add(path, rule, f"{what} must be a number", value=value)
            return None
        return float(value)

    def weight(self, obj: Mapping, path: YamlPath) -> float:
        if "weight" not in obj:
            return 1.0
        w = self.number(obj["weight"], path + ("weight",), "weight", "weight")
        if w is not None and w < 0:
            self.add(path + ("weight",), "weight", "weight must be 0 or more", value=w)
        return 1.0 if w is None else w

    def codes(self, value: Any, path: YamlPath, what: str) -> tuple[str, ...] | None:
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

    def duplicates(self, items: list[tuple[YamlPath, Any]], what: str) -> None:
        first: dict[Any, YamlPath] = {}
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
