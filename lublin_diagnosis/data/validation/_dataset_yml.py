"""Checks of ``dataset.yml``: the file list, read options, the survey design, the framework."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from lublin_diagnosis.data.design_checks import LONELY_PSU_POLICIES
from lublin_diagnosis.data.validation._common import (
    _DATASET_YML,
    _DEFAULT_FRAMEWORK,
    _DESIGN_KEYS,
    _DESIGN_OPTIONS,
    _READ_OPTIONS,
    DEFAULT_FILES,
    INPUTS,
    OPTIONAL_INPUTS,
    _design_names,
    _Input,
)
from lublin_diagnosis.exceptions import Problem, shorten


class _DatasetYmlChecks:
    """Reads and checks ``dataset.yml`` (a part of :class:`._inspection._Inspection`)."""

    # -- dataset.yml ---------------------------------------------------------------------
    def _read_dataset_yml(self) -> None:
        path = self.data_dir / _DATASET_YML
        raw: Any = {}
        if path.is_file():
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" at line {mark.line + 1}" if mark else ""
                self.add(
                    Problem(
                        _DATASET_YML,
                        "read",
                        f"not valid YAML{where}: "
                        f"{getattr(exc, 'problem', None) or exc}; fix the file",
                    )
                )
                raw = {}
            if not isinstance(raw, Mapping):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        "must be a mapping (title:, synthetic:, files:, design:, framework:)",
                    )
                )
                raw = {}
        meta = dict(raw)
        meta.setdefault("title", self.data_dir.resolve().name)
        synthetic = meta.get("synthetic", False)
        if not isinstance(synthetic, bool):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'synthetic:' must be true or false",
                    column="synthetic",
                    value=synthetic,
                )
            )
        meta["synthetic"] = bool(synthetic) if isinstance(synthetic, bool) else True
        framework = meta.get("framework") or _DEFAULT_FRAMEWORK
        if not isinstance(framework, str):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'framework:' must be a framework "
                    "name (e.g. lublin-14) or the path of a framework file",
                    column="framework",
                    value=framework,
                )
            )
            framework = _DEFAULT_FRAMEWORK
        meta["framework"] = framework
        meta["design"] = self._design_meta(meta.get("design"))
        files = meta.get("files") or {}
        if not isinstance(files, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'files:' must map input names to "
                    "{path: ..., encoding: ..., sep: ..., decimal: ...}",
                    column="files",
                )
            )
            files = {}
        for key in files:
            if key not in INPUTS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"unknown input {shorten(key)} under "
                        f"'files:'; inputs are {', '.join(INPUTS)}",
                        column="files",
                        value=key,
                    )
                )
        for name in INPUTS:
            self.inputs[name] = self._input(name, files)
        self.meta = meta

    def _design_meta(self, design: Any) -> Mapping[str, Any]:
        """``design:`` as written, with ``ids``, ``strata`` and ``weights`` defaulting to
        None; each value is a variable name or a list of names (multi-stage ``ids``)."""
        out: dict[str, Any] = {key: None for key in _DESIGN_KEYS[:3]}
        if design is None:
            return MappingProxyType(out)
        if not isinstance(design, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "'design:' must map ids, strata and weights to survey variables",
                    column="design",
                )
            )
            return MappingProxyType(out)
        for key, value in design.items():
            if key == "lonely_psu" and value not in LONELY_PSU_POLICIES:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"design lonely_psu must be one of {', '.join(LONELY_PSU_POLICIES)}",
                        column="design",
                        value=value,
                    )
                )
            elif key == "nest" and not isinstance(value, bool):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        "design nest must be true or false",
                        column="design",
                        value=value,
                    )
                )
            elif key in _DESIGN_OPTIONS:
                out[key] = value
            elif key not in _DESIGN_KEYS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"unknown key {shorten(key)} under "
                        f"'design:'; use {', '.join(_DESIGN_KEYS + _DESIGN_OPTIONS)}",
                        column="design",
                        value=key,
                    )
                )
            elif value is not None and not _design_names(value):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"design {key} must be the "
                        f"name of a survey variable (or, for ids, a list of names)",
                        column="design",
                        value=value,
                    )
                )
            else:
                out[key] = list(value) if isinstance(value, list) else value
        return MappingProxyType(out)

    def _input(self, name: str, files: Mapping[str, Any]) -> _Input:
        default = DEFAULT_FILES[name]
        if name in files and files[name] is None:
            return _Input(name, None, name, present=False)
        spec = files.get(name, {})
        if isinstance(spec, str):
            spec = {"path": spec}
        if not isinstance(spec, Mapping):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name} must be a path or "
                    f"{{path: ..., encoding: ..., sep: ..., decimal: ...}}",
                    column="files",
                    value=spec,
                )
            )
            spec = {}
        options = {}
        for key, value in spec.items():
            if key not in _READ_OPTIONS:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"files: {name}: unknown "
                        f"option {shorten(key)}; options are {', '.join(_READ_OPTIONS)}",
                        column="files",
                        value=key,
                    )
                )
            elif key != "path":
                options[key] = value
        if options.get("decimal") not in (None, ".", ","):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name}: decimal must be '.' or ','",
                    column="files",
                    value=options["decimal"],
                )
            )
            options.pop("decimal")
        for key in ("encoding", "sep"):
            if key in options and not isinstance(options[key], str):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"files: {name}: {key} must be text (quote it)",
                        column="files",
                        value=options[key],
                    )
                )
                options.pop(key)
        if "sheet" in options and not isinstance(options["sheet"], (str, int)):
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    f"files: {name}: sheet must be a sheet name or number",
                    column="files",
                    value=options["sheet"],
                )
            )
            options.pop("sheet")
        path = Path(str(spec.get("path") or default))
        if not path.is_absolute():
            path = self.data_dir / path
        try:
            label = path.relative_to(self.data_dir).as_posix()
        except ValueError:
            label = str(path)
        if name in OPTIONAL_INPUTS and name not in files and not path.exists():
            return _Input(name, None, label, present=False)
        return _Input(name, path, label, options)
