"""The advocacy notebooks (institution, legal advice, recommendations, factsheets) run alone
under papermill, and no table a run wrote exposes a count under the disclosure threshold.

Select the notebook runs with ``pytest -m notebooks tests/test_advocacy_notebooks.py``.
Check every table of a real pipeline run with::

    LUBLIN_RUN_DIR=outputs/demo pytest tests/test_advocacy_notebooks.py -k pipeline_run

The check reads every ``<lang>/tables/*.csv`` of the run folder, whose headers are in the
language of the folder (``columns`` section of the locale files):

* every published base or count -- the columns ``n``, ``count``, ``n_baseline``,
  ``n_follow_up`` and ``n_cases`` -- is missing (suppressed), 0 (a ``count`` that describes
  nobody) or at least ``min_n`` (the run's ``min_cell``, from its ``manifest.json``);
* a suppressed row shows no base or count;
* every count table (one with the ``cell``, ``count``, ``suppressed`` and ``flags``
  columns, as :func:`~lublin_diagnosis.disclosure.control.protect_counts` writes it) is attacked
  with :func:`~lublin_diagnosis.disclosure.control.audit_counts` from what it publishes: no
  suppressed cell can be narrowed down.
"""

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from lublin_diagnosis.disclosure import (
    COUNT_COLUMNS,
    TOTAL_LABEL,
    DisclosureRules,
    audit_counts,
)
from lublin_diagnosis.pipeline.parameters import DEFAULTS
from lublin_diagnosis.report.i18n import LANGUAGES, locale_keys, t

NOTEBOOKS = ("20_institution", "30_legal_advice", "40_recommendations", "50_factsheets")
RUN_ENV = "LUBLIN_RUN_DIR"
#: Columns holding unweighted bases or counts of people.
COUNTED = ("n", "count", "n_baseline", "n_follow_up", "n_cases")

merged = pytest.mark.skipif(
    not (
        {"institution", "reference_date"} <= set(DEFAULTS)
        and {"recommendations.title", "legal.title", "factsheet.title", "institution.title"}
        <= locale_keys("en")
    ),
    reason="the advocacy parameters (parameters.py) and locale keys are not merged yet",
)


# --------------------------------------------------------------------------- the check
def _headers(lang: str) -> dict[str, str]:
    """Localised header → library column name, for the columns the check reads."""
    keys = locale_keys(lang)
    wanted = set(COUNTED) | set(COUNT_COLUMNS)
    return {t(f"columns.{k}", lang): k for k in wanted if f"columns.{k}" in keys}


def _min_n(run_dir: Path) -> int:
    manifest = run_dir / "manifest.json"
    if manifest.is_file():
        params = json.loads(manifest.read_text("utf-8")).get("parameters") or {}
        return int(params.get("min_cell", DEFAULTS["min_cell"]))
    return int(DEFAULTS["min_cell"])


def _flag(value: object) -> bool:
    return str(value).strip().lower() == "true"


def published_table_problems(
    run_dir: str | Path, *, min_n: int | None = None
) -> tuple[list[str], int]:
    """Every disclosure problem of the tables of a run folder, and the number of tables.

    Returns
    -------
    (list of str, int)
        One line per problem (file, row, column, value), and how many tables were read.
    """
    run_dir = Path(run_dir)
    min_n = _min_n(run_dir) if min_n is None else int(min_n)
    rules = DisclosureRules(min_n=min_n, low_n=max(min_n, 30))
    problems: list[str] = []
    n_tables = 0
    for path in sorted(run_dir.glob("*/tables/*.csv")):
        lang = path.parent.parent.name
        if lang not in LANGUAGES:
            continue
        n_tables += 1
        where = path.relative_to(run_dir).as_posix()
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        names = _headers(lang)
        key = {col: names.get(col, col) for col in frame.columns}  # codes or labels
        hidden = (
            frame[[c for c, k in key.items() if k == "suppressed"][0]].map(_flag)
            if "suppressed" in key.values()
            else pd.Series(False, index=frame.index)
        )
        for col, name in key.items():
            if name not in COUNTED:
                continue
            values = pd.to_numeric(frame[col], errors="coerce")
            small = values.notna() & (values < min_n) & ~((name == "count") & (values == 0))
            for row in frame.index[small]:
                problems.append(
                    f"{where}, row {row + 2}, column {col!r}: {values[row]:g} is "
                    f"under the threshold {min_n} and not suppressed"
                )
            for row in frame.index[hidden & values.notna()]:
                problems.append(
                    f"{where}, row {row + 2}, column {col!r}: a suppressed row "
                    f"shows {values[row]:g}"
                )
        if {"cell", "count", "suppressed", "flags"} <= set(key.values()):
            problems += _audit(frame, key, lang, rules, where)
    return problems, n_tables


def _audit(
    frame: pd.DataFrame, key: dict, lang: str, rules: DisclosureRules, where: str
) -> list[str]:
    """Rebuild a published count table in the library's form and attack it."""
    back = {c: k for c, k in key.items() if k in COUNT_COLUMNS}
    labels = [c for c in frame.columns if key[c] not in COUNT_COLUMNS]
    total = t("values.total", lang)
    cells = {t(f"cells.{k}", lang): k for k in ("cell", "row_total", "column_total", "total")}
    table = pd.DataFrame(
        {c: frame[c].map(lambda v: TOTAL_LABEL if v == total else v).astype(object) for c in labels}
    )
    cols = {k: c for c, k in back.items()}
    table["cell"] = frame[cols["cell"]].map(lambda v: cells.get(v, v))
    table["count"] = pd.array(
        pd.to_numeric(frame[cols["count"]], errors="coerce").round().astype("Int64"), dtype="Int64"
    )
    table["suppressed"] = frame[cols["suppressed"]].map(_flag).astype(bool)
    table["low_reliability"] = (
        frame[cols["low_reliability"]].map(_flag).astype(bool)
        if "low_reliability" in cols
        else False
    )
    table["flags"] = frame[cols["flags"]].fillna("").astype(str)
    if len(labels) not in (1, 2):
        return [f"{where}: a count table needs one or two label columns, found {labels}"]
    audit = audit_counts(table, rules)
    return [
        f"{where}: suppressed cell {tuple(r[lab] for lab in labels)} can be narrowed to "
        f"[{r['lower']:g}, {r['upper']:g}] by the {r['attacker']} attacker"
        for r in audit[~audit["protected"]].to_dict("records")
    ]


# --------------------------------------------------------------------------- notebooks
@pytest.fixture(scope="module")
def notebook_run(tmp_path_factory, run_notebook):
    out = tmp_path_factory.mktemp("advocacy")
    common = {
        "out_dir": str(out / "run"),
        "replicates": 2,
        "seed": 1,
        "cache_dir": str(out / "cache"),
    }
    # the legal-advice and factsheet notebooks run in the pipeline of tests/report's
    # injected run (tests/report/test_pages.py checks their outputs there)
    jobs = [
        ("40_recommendations", {"lang": "en"}),
        ("20_institution", {"lang": "pl", "institution": "city_hall"}),
    ]
    with ThreadPoolExecutor(2) as pool:
        futures = [
            pool.submit(
                run_notebook, name, out / f"{name}-{extra['lang']}.ipynb", {**common, **extra}
            )
            for name, extra in jobs
        ]
        executed = [f.result(timeout=240) for f in futures]
    return out / "run", executed


@merged
@pytest.mark.notebooks
def test_notebooks_run_alone_with_papermill(notebook_run):
    run, executed = notebook_run
    for path in executed:
        nb = nbformat.read(str(path), as_version=4)
        errors = [
            o
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        ]
        assert not errors, path.name
        text = json.dumps(nb.cells, ensure_ascii=False)
        assert "SYNTHETIC DATA" in text or "DANE SYNTETYCZNE" in text, path.name
    for name in (
        "recommendations-status",
        "recommendations-followup",
        "recommendations-by-institution",
        "recommendations-indicators",
    ):
        assert (run / "en" / "tables" / f"{name}.csv").is_file(), name
    assert (run / "en" / "figures" / "recommendations-timeline.png").is_file()
    for name in (
        "recommendations-overdue",
        "recommendations-action-plan",
        "recommendations-replies",
        "recommendations-implementation",
    ):
        assert (run / "en" / "tables" / f"{name}.csv").is_file(), name
    assert (run / "en" / "figures" / "recommendations-implementation.png").is_file()
    for name in ("scores", "findings", "recommendations", "action-plan", "replies", "followup"):
        assert (run / "pl" / "tables" / f"institution-city_hall-{name}.csv").is_file(), name
    assert (run / "pl" / "figures" / "institution-city_hall-scores.svg").is_file()


@merged
@pytest.mark.notebooks
def test_every_table_of_the_notebooks_is_protected(notebook_run):
    run, _ = notebook_run
    problems, n_tables = published_table_problems(run)
    assert n_tables >= 10
    assert not problems, "\n".join(problems)


@pytest.mark.skipif(not os.environ.get(RUN_ENV), reason=f"set {RUN_ENV} to a run folder")
def test_every_table_of_a_pipeline_run_is_protected():
    run = Path(os.environ[RUN_ENV])
    problems, n_tables = published_table_problems(run)
    assert n_tables > 0, f"no table found under {run}/<lang>/tables/"
    assert not problems, f"{len(problems)} problem(s) in {n_tables} tables:\n" + "\n".join(
        problems[:200]
    )


# --------------------------------------------------------------------------- the check itself
def test_the_check_finds_exposed_cells(tmp_path):
    from lublin_diagnosis.disclosure import protect_counts
    from lublin_diagnosis.report.i18n import localise_columns

    tables = tmp_path / "en" / "tables"
    tables.mkdir(parents=True)
    estimates = pd.DataFrame(
        {
            "indicator": ["a", "b", "c"],
            "value": [0.5, 0.4, None],
            "n": [120, 7, None],
            "suppressed": [False, False, True],
        }
    )
    localise_columns(estimates, "en").to_csv(tables / "estimates.csv", index=False)
    counts = pd.Series({"UA": 40, "BY": 3, "RU": 25}, name="count").rename_axis("category")
    good = protect_counts(counts, DisclosureRules())
    localise_columns(good, "en").to_csv(tables / "protected.csv", index=False)
    bad = good.copy()  # only the small cell hidden: recoverable from the total
    bad.loc[bad["category"] == "RU", ["count", "suppressed", "flags"]] = [25, False, ""]
    localise_columns(bad, "en").to_csv(tables / "primary-only.csv", index=False)
    problems, n_tables = published_table_problems(tmp_path, min_n=10)
    assert n_tables == 3
    assert any("estimates.csv, row 3, column 'n': 7 is under the threshold" in p for p in problems)
    assert any(
        p.startswith("en/tables/primary-only.csv: suppressed cell ('BY',)") for p in problems
    )
    assert not any("protected.csv" in p for p in problems)
