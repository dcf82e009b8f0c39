"""Framework against survey codebook: the outcome (``O``) indicators' variables, success
codes and universes must be in the codebook, with the right type (coded or numeric)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lublin_diagnosis.framework.problems import ProblemSink, YamlPath

__all__ = ["CodebookView", "check_outcome_codebook"]


class CodebookView:
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


def check_outcome_codebook(
    sink: ProblemSink,
    codebook: CodebookView,
    variable: str | None,
    success: tuple[str, ...] | None,
    universe: Iterable[Any],
    path: YamlPath,
    *,
    success_given: bool,
) -> None:
    """Add to ``sink`` every mismatch of one outcome indicator with the codebook (parts
    that failed to parse are None / absent and skipped).

    Examples
    --------
    >>> sink = ProblemSink({}, file="fw.yml", lines={})
    >>> check_outcome_codebook(sink, CodebookView({"sex": ["1", "2"]}), "belonging", None,
    ...                        (), ("indicators", 0), success_given=False)
    >>> [p.rule for p in sink.problems]
    ['not_in_codebook']
    """
    if variable is not None:
        _check_variable(sink, codebook, variable, success, path, success_given=success_given)
    _check_universe(sink, codebook, universe, path)


def _check_variable(
    sink: ProblemSink,
    codebook: CodebookView,
    variable: str,
    success: tuple[str, ...] | None,
    path: YamlPath,
    *,
    success_given: bool,
) -> None:
    if variable not in codebook:
        sink.add(
            path + ("variable",),
            "not_in_codebook",
            f"outcome variable {variable!r} is not in the codebook; correct the "
            f"name or add the variable to the codebook",
            value=variable,
        )
    else:
        codes = codebook.codes(variable)
        if success is not None and codes is None:
            sink.add(
                path + ("success",),
                "codebook_type",
                f"success codes are given but {variable!r} is numeric in the "
                f"codebook; remove 'success' to use its mean",
            )
        elif success is None and codes is not None and not success_given:
            sink.add(
                path + ("variable",),
                "codebook_type",
                f"{variable!r} is coded ({', '.join(codes)}) in the codebook; "
                f"list the codes counted as success under 'success'",
            )
        elif success is not None and codes is not None:
            wrong = [c for c in success if c not in codes]
            if wrong:
                sink.add(
                    path + ("success",),
                    "not_in_codebook",
                    f"success code(s) {', '.join(map(repr, wrong))} are not codes "
                    f"of {variable!r} in the codebook ({', '.join(codes)})",
                    value=wrong,
                )


def _check_universe(
    sink: ProblemSink, codebook: CodebookView, universe: Iterable[Any], path: YamlPath
) -> None:
    for condition in universe:
        here = path + ("universe", condition.variable)
        if condition.variable not in codebook:
            sink.add(
                here,
                "not_in_codebook",
                f"universe variable {condition.variable!r} is not in the codebook",
                value=condition.variable,
            )
            continue
        codes = codebook.codes(condition.variable)
        if condition.codes is None:
            if codes is not None:
                sink.add(
                    here,
                    "codebook_type",
                    f"{condition.variable!r} is coded in the codebook; give a list "
                    f"of codes, not a range",
                )
        elif codes is None:
            sink.add(
                here,
                "codebook_type",
                f"{condition.variable!r} is numeric in the codebook; give a range "
                f"{{min, max}}, not codes",
            )
        else:
            wrong = [c for c in condition.codes if c not in codes]
            if wrong:
                sink.add(
                    here,
                    "not_in_codebook",
                    f"universe code(s) {', '.join(map(repr, wrong))} are not codes "
                    f"of {condition.variable!r} in the codebook ({', '.join(codes)})",
                    value=wrong,
                )
