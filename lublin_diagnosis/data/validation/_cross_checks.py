"""Cross-file checks: margins against the codebook, references between files, the
recommendations register, the framework."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from lublin_diagnosis.data.contracts import MAX_MAGNITUDE, problems_from_failures
from lublin_diagnosis.data.design_checks import check_margin_coverage
from lublin_diagnosis.data.readers import parse_numbers
from lublin_diagnosis.data.register import pledge_problems, register_problems
from lublin_diagnosis.data.validation._common import (
    _DATASET_YML,
    MARGIN_TOLERANCE,
    _near,
    _pairs,
    _row,
)
from lublin_diagnosis.exceptions import Problem, shorten


class _CrossFileChecks:
    """The rules that join files (a part of :class:`._inspection._Inspection`)."""

    def _check_margins(self) -> None:
        margins = self._frame("margins", "variable", "category", "count")
        if margins is None or self.codebook is None:
            return
        cb = self.codebook
        label = self.inputs["margins"].label
        bad_var: dict[str, list[tuple[int | None, object]]] = {}
        bad_cat: dict[str, list[tuple[int | None, object]]] = {}
        usable: dict[str, pd.DataFrame] = {}
        for var, rows in margins.groupby("variable", sort=False, dropna=True):
            var = str(var)
            v = cb.get(var)
            if v is None or v.role != "weighting" or not v.is_coded:
                bad_var[var] = [(_row(r), var) for r in rows.index]
                continue
            codes = set(v.codes)
            wrong = rows[~rows["category"].isin(codes) & rows["category"].notna()]
            if not wrong.empty:
                bad_cat[var] = [(_row(r), c) for r, c in wrong["category"].items()]
            present = set(rows["category"].dropna())
            for code in v.codes:
                if code not in present:
                    self.add(
                        Problem(
                            label,
                            "margin_complete",
                            f"code {shorten(code)} of {shorten(var)} is in the codebook but has no "
                            f"margin row; add its population count, or merge the "
                            f"code into another one in the codebook and the survey",
                            column="category",
                            value=code,
                        )
                    )
            usable[var] = rows
        for var, failures in bad_var.items():
            v = cb.get(var)
            if v is None:
                why = f"{shorten(var)} is not a codebook variable{_near(var, cb.names)}"
            elif not v.is_coded:
                why = f"{shorten(var)} is a {v.type} variable; margins need categories"
            else:
                why = f"{shorten(var)} has role {shorten(v.role)}, not 'weighting'"
            self.extend(
                problems_from_failures(
                    label,
                    "margin_variable",
                    "variable",
                    failures,
                    f"{why}: margins are for the codebook's weighting variables (set role: "
                    f"weighting in the codebook or correct the name)",
                )
            )
        for var, failures in bad_cat.items():
            self.extend(
                problems_from_failures(
                    label,
                    "margin_category",
                    "category",
                    failures,
                    f"not a code of {shorten(var)} in the codebook (codes: "
                    f"{', '.join(cb.codes(var))}); correct the category or add the code to "
                    f"the codebook",
                )
            )
        for var in cb.by_role("weighting"):
            if cb[var].is_coded and var not in set(margins["variable"].dropna()):
                self.add(
                    Problem(
                        label,
                        "margin_missing",
                        f"weighting variable {shorten(var)} has no margin; add its "
                        f"population counts, or give it another role in the "
                        f"codebook",
                        column="variable",
                        value=var,
                    )
                )
        self._check_margin_totals(margins, usable, label)

    def _check_margin_totals(
        self, margins: pd.DataFrame, usable: Mapping[str, pd.DataFrame], label: str
    ) -> None:
        """The survey against the margins (:func:`check_margin_coverage`), and the totals of
        all margins agree within :data:`MARGIN_TOLERANCE`."""
        cb = self.codebook
        decimal = self.inputs["margins"].decimal
        survey = self._frame("survey")
        if survey is not None:
            self.extend(
                check_margin_coverage(
                    survey,
                    margins,
                    cb,
                    survey_file=self.inputs["survey"].label,
                    margins_file=label,
                    decimal=decimal,
                )
            )
        totals: dict[str, float] = {}
        for var, rows in usable.items():
            counts = parse_numbers(rows["count"], decimal=decimal)
            if counts.notna().all() and (counts.abs() <= MAX_MAGNITUDE).all():
                totals[var] = float(counts.sum())
        if len(totals) >= 2:
            ref_var, ref = next(iter(totals.items()))
            for var, total in totals.items():
                if ref > 0 and abs(total - ref) / ref > MARGIN_TOLERANCE:
                    self.add(
                        Problem(
                            label,
                            "margin_totals",
                            f"the total of {shorten(var)} is {total:,.0f} but the total of {shorten(ref_var)} "
                            f"is {ref:,.0f} (difference {100 * (total - ref) / ref:+.1f}%, more "
                            f"than {100 * MARGIN_TOLERANCE:.1f}%): margins must describe the "
                            f"same population; check the figures or rescale one margin",
                            column="count",
                            value=var,
                        )
                    )

    def _check_references(self) -> None:
        inst = self._frame("institutions", "institution_id")
        if inst is not None:
            known = set(inst["institution_id"].dropna())
            for name in ("monitoring", "monitoring_history", "admin", "events"):
                frame = self._frame(name, "institution_id")
                if frame is None:
                    continue
                values = frame["institution_id"].dropna()
                bad = values[~values.isin(known)]
                self.extend(
                    problems_from_failures(
                        self.inputs[name].label,
                        "unknown_institution",
                        "institution_id",
                        _pairs(bad),
                        f"not an institution_id of "
                        f"{self.inputs['institutions'].label}; correct it or add the "
                        f"institution there",
                    )
                )

    def _check_register(self) -> None:
        """The recommendations register's rules (:mod:`lublin_diagnosis.data.register`)."""
        tables = {
            "recommendations": self._frame("recommendations", "rec_id"),
            "status": self._frame("status", "rec_id"),
            "opinions": self._frame("opinions", "rec_id"),
            "institutions": self._frame("institutions", "institution_id"),
            "replies": self._frame("replies", "rec_id"),
        }
        files = {name: self.inputs[name].label for name in tables}
        self.extend(register_problems(**tables, files=files, codes=False))
        pledges = self._frame("pledges", "rec_id")
        if pledges is not None:
            files["pledges"] = self.inputs["pledges"].label
            self.extend(pledge_problems(pledges, tables["recommendations"], files=files))

    def _check_framework(self) -> None:
        try:
            framework = _load_framework(self.meta["framework"], self.data_dir)
        except Exception as exc:
            listed = [p for p in getattr(exc, "problems", ()) or () if isinstance(p, Problem)]
            if listed:
                why = f"{len(listed)} problem(s) of the framework file, listed below"
            else:
                why = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                why = why if len(why) <= 300 else why[:299] + "…"
            self.add(
                Problem(
                    _DATASET_YML,
                    "framework",
                    f"cannot load the framework {shorten(self.meta['framework'])} ({why}); "
                    f"its rules (areas, indicators, answers) were not checked",
                    column="framework",
                    value=self.meta["framework"],
                )
            )
            self.extend(listed)
            return
        if self.codebook is not None:
            # outcome indicators name survey variables and codes: they must be in the codebook
            self.extend(framework.original.check_codebook(self.codebook))
        areas = set(framework.areas)
        indicators = framework.indicators
        fw = f"framework {shorten(self.meta['framework'])}"
        self._check_institution_areas(areas, fw)
        self._check_indicators(indicators, fw)
        self._check_recommendation_ids(areas, indicators, fw)
        self._check_peer_areas(areas, fw)
        pledges = self._frame("pledges", "area")
        if pledges is not None:
            files = {"pledges": self.inputs["pledges"].label}
            self.extend(pledge_problems(pledges, None, areas=areas, files=files))

    def _check_institution_areas(self, areas: set[str], fw: str) -> None:
        """Institution areas are areas of the framework."""
        inst = self._frame("institutions", "areas")
        if inst is not None:
            failures = []
            for row, value in inst["areas"].dropna().items():
                wrong = [
                    a.strip() for a in str(value).split(";") if a.strip() and a.strip() not in areas
                ]
                if wrong:
                    failures.append((_row(row), value))
            self.extend(
                problems_from_failures(
                    self.inputs["institutions"].label,
                    "unknown_area",
                    "areas",
                    failures,
                    f"names an area that is not in the {fw} (areas: {', '.join(sorted(areas))})",
                )
            )

    def _check_indicators(self, indicators: Mapping[str, Any], fw: str) -> None:
        """Monitoring answers a policy (P) indicator with one of its options; admin figures
        are administrative (A) indicators."""
        for name, kind, what in (
            ("monitoring", "P", "a policy (P)"),
            ("monitoring_history", "P", "a policy (P)"),
            ("admin", "A", "an administrative (A)"),
        ):
            frame = self._frame(name, "indicator_id")
            if frame is None:
                continue
            label = self.inputs[name].label
            unknown, wrong_kind, bad_answer = [], [], []
            for row, ind_id in frame["indicator_id"].dropna().items():
                ind = indicators.get(ind_id)
                if ind is None:
                    unknown.append((_row(row), ind_id))
                elif ind.kind != kind:
                    wrong_kind.append((_row(row), ind_id))
                elif name.startswith("monitoring") and "answer" in frame.columns:
                    answer = frame.at[row, "answer"]
                    if not pd.isna(answer) and answer not in ind.options:
                        bad_answer.append((_row(row), answer, ind_id))
            self.extend(
                problems_from_failures(
                    label,
                    "unknown_indicator",
                    "indicator_id",
                    unknown,
                    f"not an indicator of the {fw}; correct the id",
                )
            )
            self.extend(
                problems_from_failures(
                    label,
                    "indicator_kind",
                    "indicator_id",
                    wrong_kind,
                    f"this file takes {what} indicators of the {fw}; this indicator is of "
                    f"another kind",
                )
            )
            by_ind: dict[str, list[tuple[int | None, object]]] = {}
            for row, answer, ind_id in bad_answer:
                by_ind.setdefault(ind_id, []).append((row, answer))
            for ind_id, failures in by_ind.items():
                options = ", ".join(indicators[ind_id].options)
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_answer",
                        "answer",
                        failures,
                        f"not an answer option of indicator {shorten(ind_id)} (options: {options}); "
                        f"use one of the option ids",
                    )
                )

    def _check_recommendation_ids(
        self, areas: set[str], indicators: Mapping[str, Any], fw: str
    ) -> None:
        """Recommendation areas and indicators are in the framework."""
        recs = self._frame("recommendations")
        if recs is not None:
            label = self.inputs["recommendations"].label
            if "area" in recs.columns:
                bad = recs["area"].dropna()
                bad = bad[~bad.isin(areas)]
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_area",
                        "area",
                        _pairs(bad),
                        f"not an area of the {fw} (areas: {', '.join(sorted(areas))})",
                    )
                )
            if "indicator_ids" in recs.columns:
                failures = []
                for row, value in recs["indicator_ids"].dropna().items():
                    if any(
                        i.strip() and i.strip() not in indicators for i in str(value).split(";")
                    ):
                        failures.append((_row(row), value))
                self.extend(
                    problems_from_failures(
                        label,
                        "unknown_indicator",
                        "indicator_ids",
                        failures,
                        f"names an indicator that is not in the {fw}; correct the ids",
                    )
                )


# --------------------------------------------------------------------------- framework
def _load_framework(name: str, data_dir: Path) -> SimpleNamespace:
    """Framework facts the validation needs: area ids and indicators by id.

    The name is resolved by :func:`~lublin_diagnosis.framework.resolver.resolve_framework`
    (a shipped name, or a path relative to the data directory).
    """
    from lublin_diagnosis.framework.resolver import resolve_framework

    fw = resolve_framework(name, data_dir=data_dir)
    return SimpleNamespace(
        original=fw,
        areas=_ids(fw.areas),
        indicators={
            ind.id: SimpleNamespace(
                id=ind.id,
                area=getattr(ind, "area", None),
                kind=ind.kind,
                options=[getattr(o, "id", o) for o in (getattr(ind, "options", None) or ())],
            )
            for ind in _items(fw.indicators)
        },
    )


def _items(collection: Any) -> list[Any]:
    if isinstance(collection, Mapping):
        return list(collection.values())
    return list(collection)


def _ids(collection: Any) -> list[str]:
    if isinstance(collection, Mapping):
        return [str(k) for k in collection]
    return [str(getattr(item, "id", item)) for item in collection]
