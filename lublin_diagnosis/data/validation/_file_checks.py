"""Per-file checks: reading the codebook and each table against its contract, the survey design."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook, check_codebook, load_yaml_text
from lublin_diagnosis.data.contracts import (
    MAX_MAGNITUDE,
    SCHEMAS,
    problems_from_failures,
    survey_history_schema,
    survey_schema,
)
from lublin_diagnosis.data.design_checks import check_lonely_psus, check_psu_nesting
from lublin_diagnosis.data.readers import parse_numbers, read_table
from lublin_diagnosis.data.validation._common import (
    _DATASET_YML,
    _DESIGN_KEYS,
    _DESIGN_WORDS,
    _design_names,
    _row,
    _strip_path,
)
from lublin_diagnosis.exceptions import Problem, ReadError, shorten


class _FileChecks:
    """Reads each input and checks it alone (a part of :class:`._inspection._Inspection`)."""

    # -- reading -------------------------------------------------------------------------
    def _read_codebook(self) -> None:
        item = self.inputs["codebook"]
        if not item.present or item.path is None:
            self.add(
                Problem(
                    _DATASET_YML,
                    "dataset_yml",
                    "the codebook cannot be declared absent: the survey needs it",
                    column="files",
                    value="codebook",
                )
            )
            return
        try:
            data = load_yaml_text(item.path)
        except ReadError as exc:
            self.add(Problem(item.label, "read", _strip_path(str(exc), item.path)))
            return
        problems = check_codebook(data, file=item.label)
        self.extend(problems)
        if isinstance(data, Mapping) and isinstance(data.get("variables"), list):
            self.codebook_count = len(data["variables"])
        if not problems:
            self.codebook = Codebook.from_dict(data, source=item.label)

    def _read_table(self, name: str) -> None:
        item = self.inputs[name]
        if not item.present or item.path is None:
            if name in ("survey", "margins"):
                self.add(
                    Problem(
                        _DATASET_YML,
                        "dataset_yml",
                        f"the {name} cannot be declared absent",
                        column="files",
                        value=name,
                    )
                )
            return
        try:
            frame = read_table(item.path, **item.options)
        except ReadError as exc:
            self.add(Problem(item.label, "read", _strip_path(str(exc), item.path)))
            return
        item.frame = frame
        item.decimal = frame.attrs.get("decimal") or "."
        if name == "survey":
            if self.codebook is None:
                return  # the codebook's problems are reported; its columns are unknown
            schema = survey_schema(self.codebook, filename=item.label)
        elif name == "survey_history":
            if self.codebook is None:
                return
            schema = survey_history_schema(self.codebook, filename=item.label)
        else:
            schema = SCHEMAS[name]
        self.extend(schema.check(frame, file=item.label, decimal=item.decimal))

    def _frame(self, name: str, *columns: str) -> pd.DataFrame | None:
        """The text frame of ``name`` if it was read and has ``columns``."""
        item = self.inputs[name]
        if item.frame is None or not set(columns) <= set(item.frame.columns):
            return None
        return item.frame

    # -- cross-file rules ----------------------------------------------------------------
    def _check_design(self) -> None:
        survey = self._frame("survey")
        design = self.meta["design"]
        if self.codebook is None:
            return
        for key, var in ((k, v) for k in _DESIGN_KEYS for v in _design_names(design.get(k))):
            if var not in self.codebook:
                self.add(
                    Problem(
                        _DATASET_YML,
                        "design",
                        f"design {key} {shorten(var)} is not a "
                        f"codebook variable; name a survey variable",
                        column="design",
                        value=var,
                    )
                )
                continue
            if survey is None or var not in survey.columns:
                continue
            label = self.inputs["survey"].label
            values = survey[var]
            missing = values.isna() | values.isin(self.codebook[var].missing)
            self.extend(
                problems_from_failures(
                    label,
                    "design",
                    var,
                    [(_row(r), values[r]) for r in values.index[missing]],
                    f"missing, but every respondent needs a {_DESIGN_WORDS[key]} (design "
                    f"{key} in {_DATASET_YML})",
                )
            )
            if key in ("weights", "fpc"):
                numbers = parse_numbers(values[~missing], decimal=self.inputs["survey"].decimal)
                bad = numbers.isna() | (numbers <= 0) | (numbers > MAX_MAGNITUDE)
                self.extend(
                    problems_from_failures(
                        label,
                        "design",
                        var,
                        [(_row(r), values[r]) for r in numbers.index[bad]],
                        f"design {key} must be finite numbers > 0 and at most {MAX_MAGNITUDE:,.0f}",
                    )
                )
        if survey is not None and all(
            v in self.codebook for k in ("ids", "strata") for v in _design_names(design[k])
        ):
            ids = _design_names(design["ids"])
            strata = (_design_names(design["strata"]) or [None])[0]
            label = self.inputs["survey"].label
            self.extend(
                check_lonely_psus(
                    survey,
                    ids=ids,
                    strata=strata,
                    file=label,
                    policy=design.get("lonely_psu", "fail"),
                )
            )
            self.extend(
                check_psu_nesting(
                    survey, ids=ids, strata=strata, file=label, nest=design.get("nest") is True
                )
            )
