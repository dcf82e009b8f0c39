"""The inspection of a data directory: reads every input, collects every problem."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pandas as pd

from lublin_diagnosis.data.codebook import Codebook
from lublin_diagnosis.data.contracts import SCHEMAS, survey_frame
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.data.validation._common import INPUTS, _bounded, _Input
from lublin_diagnosis.data.validation._context_checks import _ContextChecks
from lublin_diagnosis.data.validation._cross_checks import _CrossFileChecks
from lublin_diagnosis.data.validation._dataset_yml import _DatasetYmlChecks
from lublin_diagnosis.data.validation._file_checks import _FileChecks
from lublin_diagnosis.data.validation.results import Dataset, FileSummary, ValidationReport
from lublin_diagnosis.exceptions import Problem, ReadError


class _Inspection(_DatasetYmlChecks, _FileChecks, _CrossFileChecks, _ContextChecks):
    """Reads a data directory and collects its problems (used once).

    The checks live in three parts: ``dataset.yml`` (:mod:`._dataset_yml`), each file
    alone (:mod:`._file_checks`) and the rules that join files (:mod:`._cross_checks`).
    """

    def __init__(self, data_dir: Path):
        if not data_dir.is_dir():
            raise ReadError(
                f"{data_dir}: not a directory; give the data directory "
                f"(the one holding survey.csv, codebook.yml, ...)"
            )
        self.data_dir = data_dir
        self.problems: list[Problem] = []
        self.meta: dict[str, Any] = {}
        self.inputs: dict[str, _Input] = {}
        self.codebook: Codebook | None = None
        self.codebook_count: int | None = None

    # -- orchestration -----------------------------------------------------------------
    def run(self) -> _Inspection:
        self._read_dataset_yml()
        self._read_codebook()
        for name in INPUTS[1:]:
            self._read_table(name)
        self._check_design()
        self._check_margins()
        self._check_references()
        self._check_register()
        self._check_framework()
        self._check_context()
        return self

    def report(self) -> ValidationReport:
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.file] = counts.get(p.file, 0) + 1
        files = []
        for name in INPUTS:
            item = self.inputs[name]
            if name == "codebook":
                rows, cols, noun = self.codebook_count, None, "variables"
            elif item.frame is not None:
                rows, cols = len(item.frame), len(item.frame.columns)
                noun = "respondents" if name in ("survey", "survey_history") else SCHEMAS[name].noun
            else:
                rows = cols = None
                noun = "rows"
            detail = ""
            if name == "margins" and item.frame is not None and "variable" in item.frame.columns:
                n = item.frame["variable"].nunique()
                detail = f"{n} margin{'s' if n != 1 else ''}"
            files.append(
                FileSummary(
                    name,
                    item.label,
                    rows,
                    cols,
                    counts.get(item.label, 0),
                    noun,
                    item.present,
                    detail,
                )
            )
        return ValidationReport(
            self.data_dir, tuple(self.problems), tuple(files), MappingProxyType(self.meta)
        )

    def dataset(self) -> Dataset:
        assert self.codebook is not None
        tables: dict[str, pd.DataFrame | None] = {}
        for name in INPUTS[1:]:
            item = self.inputs[name]
            if item.frame is None:
                tables[name] = None
            elif name == "survey":
                tables[name] = survey_frame(item.frame, self.codebook, decimal=item.decimal)
            elif name == "survey_history":
                typed = survey_frame(item.frame, self.codebook, decimal=item.decimal)
                rounds = parse_numbers(item.frame["round"], decimal=item.decimal)
                typed.insert(0, "round", rounds.astype("int64").to_numpy())
                tables[name] = typed
            else:
                tables[name] = SCHEMAS[name].coerce(item.frame, decimal=item.decimal)
        paths = {
            name: item.path
            for name, item in self.inputs.items()
            if item.present and item.path is not None
        }
        return Dataset(
            self.data_dir,
            MappingProxyType(self.meta),
            MappingProxyType(paths),
            self.codebook,
            **tables,
        )

    def add(self, problem: Problem) -> None:
        self.problems.append(_bounded(problem))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(_bounded(p) for p in problems)
