"""Checks of the context inputs: public figures against their catalogue, declared rounds,
peer-city scores against the framework."""

from __future__ import annotations

from lublin_diagnosis.data.contracts import PUBLIC_INDICATORS, problems_from_failures
from lublin_diagnosis.data.validation._common import _row
from lublin_diagnosis.exceptions import Problem, shorten


def _rounds(frame, column: str = "round") -> set[str]:
    return {str(v).strip() for v in frame[column].dropna()}


class _ContextChecks:
    """The context inputs' cross-row and cross-file rules (part of ``_Inspection``)."""

    def _check_context(self) -> None:
        self._check_public()
        self._check_rounds()

    def _check_public(self) -> None:
        """Each figure's unit and theme are those of its indicator in the catalogue."""
        public = self._frame("public", "indicator", "unit", "theme")
        if public is None:
            return
        label = self.inputs["public"].label
        bad_unit, bad_theme = {}, {}
        for row, rec in public.iterrows():
            ind = PUBLIC_INDICATORS.get(rec["indicator"])
            if ind is None:
                continue  # reported by the schema
            if rec["unit"] in ("persons", "percent", "per_1000") and rec["unit"] not in ind.units:
                bad_unit.setdefault(ind.id, []).append((_row(row), rec["unit"]))
            if isinstance(rec["theme"], str) and rec["theme"] != ind.theme:
                bad_theme.setdefault(ind.id, []).append((_row(row), rec["theme"]))
        for ind_id, failures in bad_unit.items():
            units = ", ".join(PUBLIC_INDICATORS[ind_id].units)
            self.extend(
                problems_from_failures(
                    label,
                    "unit",
                    "unit",
                    failures,
                    f"indicator {ind_id} is counted in {units}; give the figure in one of them",
                )
            )
        for ind_id, failures in bad_theme.items():
            self.extend(
                problems_from_failures(
                    label,
                    "theme",
                    "theme",
                    failures,
                    f"indicator {ind_id} belongs to the theme {PUBLIC_INDICATORS[ind_id].theme}; "
                    f"write that theme",
                )
            )

    def _check_rounds(self) -> None:
        """Rounds of the data are declared in rounds.csv (when it is given), and earlier
        rounds are not rounds of the current files."""
        current = self._frame("monitoring", "round")
        history = self._frame("monitoring_history", "round")
        if current is not None and history is not None:
            now = _rounds(current)
            clash = history["round"][history["round"].astype(str).str.strip().isin(now)]
            self.extend(
                problems_from_failures(
                    self.inputs["monitoring_history"].label,
                    "round",
                    "round",
                    [(_row(r), v) for r, v in clash.items()],
                    f"this round is in {self.inputs['monitoring'].label} already; earlier "
                    f"rounds only go into {self.inputs['monitoring_history'].label}",
                )
            )
        rounds = self._frame("rounds", "kind", "round")
        if rounds is None:
            return
        declared = {kind: _rounds(rows) for kind, rows in rounds.groupby("kind", dropna=True)}
        label = self.inputs["rounds"].label
        for name, kind in (
            ("monitoring", "monitoring"),
            ("monitoring_history", "monitoring"),
            ("admin", "monitoring"),
            ("survey_history", "survey"),
        ):
            frame = self._frame(name, "round")
            if frame is None:
                continue
            missing = sorted(_rounds(frame) - declared.get(kind, set()))
            for value in missing:
                self.add(
                    Problem(
                        label,
                        "undeclared_round",
                        f"round {shorten(value)} of {self.inputs[name].label} is not a "
                        f"{kind} round of {label}; add a row for it (kind {kind})",
                        column="round",
                        value=value,
                    )
                )
        surveys = declared.get("survey", set())
        history = self._frame("survey_history", "round")
        past = _rounds(history) if history is not None else set()
        if surveys and len(surveys - past) != 1:
            self.add(
                Problem(
                    label,
                    "survey_round",
                    f"exactly one survey round must be the current survey's (a survey round "
                    f"not in survey_history); found {len(surveys - past)}: "
                    f"{', '.join(sorted(surveys - past)) or 'none'}; declare the current "
                    f"survey's round once",
                    column="round",
                )
            )

    def _check_peer_areas(self, areas: set[str], fw: str) -> None:
        """Peer scores are scores of areas of the framework."""
        peers = self._frame("peer_scores", "area")
        if peers is None:
            return
        values = peers["area"].dropna()
        bad = values[~values.isin(areas)]
        self.extend(
            problems_from_failures(
                self.inputs["peer_scores"].label,
                "unknown_area",
                "area",
                [(_row(r), v) for r, v in bad.items()],
                f"not an area of the {fw}; peer scores must use the same framework "
                f"(areas: {', '.join(sorted(areas))})",
            )
        )
