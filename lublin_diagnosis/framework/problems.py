"""Problems of a framework file, each with the file, the line and the YAML location
(``indicators[12] (health_p_interpreting).options[1]``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lublin_diagnosis.exceptions import FrameworkError, Problem

__all__ = ["FrameworkProblem", "ProblemSink", "YamlPath", "framework_error"]

#: Where a value is in a YAML document: keys and list positions from the top.
YamlPath = tuple[str | int, ...]


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


def framework_error(path: str, problems: list[FrameworkProblem]) -> FrameworkError:
    """The error listing every problem of a framework file (first 300), sorted by line.

    Examples
    --------
    >>> err = framework_error("fw.yml", [FrameworkProblem("fw.yml", "yaml", "bad", line=3)])
    >>> str(err), len(err.problems)
    ('fw.yml: 1 problem(s) in the indicator framework:\\n  - fw.yml:3: [yaml] bad', 1)
    """
    problems = sorted(problems, key=lambda p: p.line or 0)
    head = f"{path}: {len(problems)} problem(s) in the indicator framework"
    lines = [head + ":"] + [f"  - {p}" for p in problems[:300]]
    if len(problems) > 300:
        lines.append(f"  ... and {len(problems) - 300} more")
    error = FrameworkError("\n".join(lines))
    error.problems = tuple(problems)  # type: ignore[attr-defined]
    return error


class ProblemSink:
    """Collects the problems of one parsed framework file, each placed by its YAML path.

    Examples
    --------
    >>> sink = ProblemSink({"areas": [{"id": "health"}]}, file="fw.yml",
    ...                    lines={("areas", 0): 7})
    >>> sink.add(("areas", 0, "name"), "text", "missing 'name'")
    >>> str(sink.problems[0])
    "fw.yml:7, areas[0] (health).name: [text] missing 'name'"
    """

    def __init__(self, data: Any, *, file: str, lines: Mapping[YamlPath, int]) -> None:
        self.data = data
        self.file = file
        self.lines = lines
        self.problems: list[FrameworkProblem] = []

    def add(self, path: YamlPath, rule: str, message: str, value: Any = None) -> None:
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

    def _where(self, path: YamlPath) -> str:
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

    def _line(self, path: YamlPath) -> int | None:
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return None
