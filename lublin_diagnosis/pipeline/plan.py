"""What a run executes: the notebooks, their fan-outs and their pages, declared in one place.

:data:`PLAN` lists the :class:`Step` objects of a full diagnosis. A step names a notebook of
``notebooks/``; a step with a fan-out runs once per value of one parameter (the area
notebook once per area of the framework), with the values read from the dataset by a
function. Adding a notebook to the report (say, one page per monitored institution) is
one more line here::

    Step("20_institution", fan_out="institution", values=institution_ids,
         label=institution_label, page="institutions/{value}.html",
         title_key="nav.institutions")

:func:`expand_plan` turns the plan into :class:`Job` objects: one per step, fan-out value
and language, each with the parameters its notebook gets.

>>> [step.notebook for step in PLAN]
['00_data_checks', '01_weighting', '10_area', '20_institution', '30_legal_advice', '40_recommendations', '50_factsheets', '60_context', '61_peers', '62_trends', '70_activities', '71_election', '80_glossary', '90_diagnosis']
>>> PLAN[2].fan_out, PLAN[2].page
('area', 'areas/{value}.html')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lublin_diagnosis.framework.resolver import framework_source, resolve_framework

__all__ = [
    "Job",
    "PIPELINE_PARAMS",
    "PLAN",
    "Step",
    "area_ids",
    "area_label",
    "expand_plan",
    "framework_of",
    "institution_ids",
    "institution_label",
]

ValuesFn = Callable[[Any, Mapping[str, Any]], Sequence[str]]
LabelFn = Callable[[Any, str, str], str]


@dataclass(frozen=True)
class Step:
    """One notebook of the plan.

    Attributes
    ----------
    notebook : str
        File stem in the notebooks folder (``"10_area"``).
    page : str
        Path of its HTML page within a language folder; ``{value}`` stands for the
        fan-out value. The step whose page is ``report.html`` is the report's front page.
    title_key : str
        Locale key of its title in the report's navigation.
    fan_out : str, optional
        The parameter that takes each value (``"area"``).
    values : callable, optional
        ``values(dataset, params) -> list of str``: the fan-out values.
    label : callable, optional
        ``label(dataset, value, lang) -> str``: the name of a value in the navigation.
    limit : str, optional
        Pipeline parameter that restricts the values (``areas: [health]``).
    """

    notebook: str
    page: str
    title_key: str
    fan_out: str | None = None
    values: ValuesFn | None = None
    label: LabelFn | None = None
    limit: str | None = None
    takes: tuple[str, ...] = ()
    scorecard: str = "reads"


def _as_list(value: Any) -> list[str]:
    """A pipeline list parameter (``areas``) as a list of names."""
    return [value] if isinstance(value, str) else list(value)


def framework_of(dataset: Any, params: Mapping[str, Any]):
    """The framework of a run: the ``framework`` parameter, else the dataset's
    (see :func:`~lublin_diagnosis.framework.resolver.resolve_framework`)."""
    return resolve_framework(params.get("framework") or None, dataset=dataset)


def area_ids(dataset: Any, params: Mapping[str, Any]) -> list[str]:
    """The areas of the framework (all of them, or those of the ``areas`` parameter)."""
    return list(framework_of(dataset, params).area_ids)


def area_label(dataset: Any, value: str, lang: str) -> str:
    """``"1. Health care"``: number and name of an area."""
    fw = framework_of(dataset, {})
    area = fw.area(value)
    return f"{area.number}. {fw.label(area, lang)}"


def institution_ids(dataset: Any, params: Mapping[str, Any]) -> list[str]:
    """The monitored institutions of the dataset (for an institution notebook)."""
    if dataset.institutions is None:
        return []
    return dataset.institutions["institution_id"].astype(str).tolist()


def institution_label(dataset: Any, value: str, lang: str) -> str:
    """The name of an institution in ``lang``."""
    table = dataset.institutions.set_index("institution_id")
    return str(table.loc[value, f"name_{lang}"])


#: The notebooks of a full diagnosis, in the order of the report's navigation.
PLAN: tuple[Step, ...] = (
    Step("00_data_checks", page="data-checks.html", title_key="nav.data_checks", scorecard="none"),
    Step("01_weighting", page="weighting.html", title_key="nav.weighting", scorecard="none"),
    Step(
        "10_area",
        page="areas/{value}.html",
        title_key="nav.areas",
        fan_out="area",
        values=area_ids,
        label=area_label,
        limit="areas",
    ),
    Step(
        "20_institution",
        page="institutions/{value}.html",
        title_key="nav.institutions",
        fan_out="institution",
        values=institution_ids,
        label=institution_label,
        limit="institutions",
    ),
    Step(
        "30_legal_advice", page="legal-advice.html", title_key="nav.legal_advice", scorecard="none"
    ),
    Step("40_recommendations", page="recommendations.html", title_key="nav.recommendations"),
    Step("50_factsheets", page="factsheets.html", title_key="nav.factsheets", takes=("areas",)),
    Step("60_context", page="context.html", title_key="nav.context", scorecard="none"),
    Step("61_peers", page="peers.html", title_key="nav.peers"),
    Step("62_trends", page="trends.html", title_key="nav.trends", scorecard="none"),
    Step("70_activities", page="activities.html", title_key="nav.activities", scorecard="none"),
    Step("71_election", page="election.html", title_key="nav.election"),
    Step("80_glossary", page="glossary.html", title_key="nav.glossary", scorecard="none"),
    Step("90_diagnosis", page="report.html", title_key="nav.summary", scorecard="computes"),
)

#: Parameters the pipeline itself takes (never passed to a notebook).
PIPELINE_PARAMS: tuple[str, ...] = ("areas", "institutions")


@dataclass(frozen=True)
class Job:
    """One notebook execution: a step, a language and (for a fan-out) a value.

    Attributes
    ----------
    step : Step
    lang : str
    value : str
        The fan-out value, empty if the step has none.
    params : dict
        The parameters passed to papermill.
    """

    step: Step
    lang: str
    value: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """``"10_area-health"``: unique within a language."""
        return self.step.notebook + (f"-{self.value}" if self.value else "")

    @property
    def name(self) -> str:
        """``"pl/10_area-health"``: unique within a run."""
        return f"{self.lang}/{self.key}"

    def notebook_path(self, root: str | Path) -> Path:
        """Where the executed notebook goes in a run folder."""
        return Path(root) / self.lang / "notebooks" / f"{self.key}.ipynb"

    @property
    def page(self) -> str:
        """The HTML page within the language folder."""
        return self.step.page.format(value=self.value)


def expand_plan(
    plan: Sequence[Step], dataset: Any, params: Mapping[str, Any], langs: Sequence[str]
) -> list[Job]:
    """The jobs of a run, in the order they start: the notebook that computes the
    scorecard, those that never read it, the single notebooks, the fan-outs.

    Parameters
    ----------
    plan : sequence of Step
    dataset : Dataset
        Gives the fan-out values.
    params : mapping
        Notebook parameters common to every job, plus the pipeline's own
        (:data:`PIPELINE_PARAMS`, e.g. ``areas``). ``framework`` (default: the dataset's)
        is passed on as a shipped name or an absolute path.
    langs : sequence of str

    Raises
    ------
    ValueError
        When a ``limit`` parameter names a value the dataset does not have.
    """
    common = {k: v for k, v in params.items() if k not in PIPELINE_PARAMS}
    # every notebook gets the run's framework as a name or an absolute path, so that it
    # reads the file the dataset names whatever its working directory is
    common["framework"] = framework_source(params.get("framework") or None, dataset=dataset)
    jobs: list[Job] = []
    for lang in langs:
        for step in plan:
            if step.fan_out is None:
                taken = {k: _as_list(params[k]) for k in step.takes if params.get(k)}
                jobs.append(Job(step, lang, "", {**common, **taken, "lang": lang}))
                continue
            assert step.values is not None, f"step {step.notebook} has no values function"
            values = list(step.values(dataset, params))
            wanted = params.get(step.limit) if step.limit else None
            if wanted:
                wanted = _as_list(wanted)
                unknown = [w for w in wanted if w not in values]
                if unknown:
                    raise ValueError(
                        f"parameter {step.limit!r} names unknown value(s) "
                        f"{', '.join(map(repr, unknown))}; known: "
                        f"{', '.join(values)}"
                    )
                values = [v for v in values if v in wanted]
            jobs += [Job(step, lang, v, {**common, "lang": lang, step.fan_out: v}) for v in values]
    # the order jobs start in: one notebook that computes the whole scorecard first (of
    # the first language), the notebooks that never read it next (they keep the other
    # workers busy meanwhile), then the single notebooks before the fan-outs (they take
    # longest); the sort is stable, so the languages keep the plan's order
    first = next((j for j in jobs if j.step.scorecard == "computes"), None)

    def start_order(job: Job) -> tuple[int, int]:
        if job is first:
            return (0, 0)
        if job.step.scorecard == "none":
            return (1, 0)
        return (2, int(job.step.fan_out is not None))

    return sorted(jobs, key=start_order)
