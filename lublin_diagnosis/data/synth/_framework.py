"""The framework the demo's monitoring, admin and recommendation tables are built from."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from lublin_diagnosis.data.synth._common import _AREA_IDS, FRAMEWORK_ID


def default_framework_path() -> Path:
    """Path of the packaged ``lublin-14`` framework file."""
    return Path(
        str(
            resources.files("lublin_diagnosis.framework").joinpath("builtin", f"{FRAMEWORK_ID}.yml")
        )
    )


def load_framework_dict(path: str | Path | None = None) -> dict[str, Any]:
    """Read a framework YAML file as a plain mapping.

    Parameters
    ----------
    path : str or Path, optional
        The framework file; default :func:`default_framework_path`.

    Returns
    -------
    dict
        The parsed YAML.

    The file is first checked with :func:`lublin_diagnosis.framework.model.load_framework`, so
    an invalid framework fails here with every problem listed rather than producing
    demo tables that do not validate.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    FrameworkError
        If the file breaks the framework format.
    """
    path = Path(path) if path is not None else default_framework_path()
    if not path.is_file():
        raise FileNotFoundError(
            f"framework file {path} not found: the demo monitoring, admin and "
            "recommendation tables are generated from the framework's indicators"
        )
    from lublin_diagnosis.framework.model import load_framework

    load_framework(path)
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, Mapping) or "indicators" not in data:
        raise ValueError(f"{path} is not an indicator framework (no 'indicators')")
    return dict(data)


def _indicators(framework: Mapping[str, Any], kind: str) -> list[Mapping[str, Any]]:
    return [i for i in framework.get("indicators", []) if str(i.get("kind")) == kind]


def _area_order(framework: Mapping[str, Any] | None) -> list[str]:
    if framework and framework.get("areas"):
        return [str(a["id"]) for a in framework["areas"]]
    return list(_AREA_IDS)


# --------------------------------------------------------------------------- institutions
